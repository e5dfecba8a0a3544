//! Rules that span fields, checked on the typed stack before Terraform ever runs (NOTES.md §2, §10, §16, §18).
//!
//! Each [`Violation`] names the field at fault (the loader turns it into a line and column) and says what would be
//! valid. Rules that concern one value only live in the value's type (see [`super::names`], [`super::Cpu`]); the
//! limits and value patterns checked here are stated once in [`crate::azurerm::facts::limits`], which the stack
//! JSON Schema reads too. One file per part of the stack, one function per concern:
//!
//! | file | checks |
//! |---|---|
//! | `registry.rs` | `[container_registry]`: SKU gates, retired policies, network rules, geo-replicas, the cleanup task |
//! | `webhooks.rs` | `[[container_registry.webhooks]]` |
//! | `app.rs` | `[container_app]`, `[apps.<key>]`, `[jobs.<key>]`: one form of apps, CPU/memory, scale, ingress, probes, environment and secrets, volumes, init containers and sidecars |
//! | `jobs.rs` | `[jobs.<key>]`: the trigger, its cron expression or event rules, replica settings |
//! | `custom_domain.rs` | each app's `[[…custom_domains]]`: host names, the zone that holds them, external ingress |
//! | `key_vault.rs` | each app's or job's `key_vault` (or `[existing.key_vault]`) and the secrets read from it |
//! | `scale.rs` | each app's `[[…scale.rules]]` |
//! | `network.rs` | firewalls, what a closed firewall blocks, `[network]` subnets and private endpoints |
//!
//! This module imports the model; the model files import nothing from here.

mod app;
mod custom_domain;
mod existing;
mod jobs;
mod key_vault;
mod network;
mod registry;
mod scale;
mod webhooks;

use super::{Stack, Workload};
use crate::azurerm::facts::limits::{self, Bounds};
use crate::azurerm::facts::names::pattern_matches;
use std::fmt::Write as _;

/// One step of a field path: a key or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    /// A key of a table, e.g. `container_registry`.
    Key(&'static str),
    /// An index into an array of tables, e.g. `[0]` of `geo_replications`.
    Index(usize),
    /// A key the stack file chose, e.g. `api` of `[apps.api]`.
    Entry(String),
}

/// A broken rule: where (a field path), what, and what would be valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The field at fault.
    pub path: Vec<Seg>,
    /// What is wrong.
    pub message: String,
    /// What would be valid.
    pub help: Vec<String>,
}

impl Violation {
    /// The path as written in the stack file, e.g. `container_registry.geo_replications[0].location`.
    pub fn field(&self) -> String {
        field(&self.path)
    }
}

fn field(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Entry(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => {
                let _ = write!(s, "[{i}]");
            }
        }
    }
    s
}

use Seg::Key;

/// The violations found so far.
struct Rules {
    out: Vec<Violation>,
}

impl Rules {
    fn push(&mut self, path: Vec<Seg>, message: String, help: String) {
        self.out.push(Violation {
            path,
            message,
            help: vec![help],
        });
    }

    /// `value` at `path` must lie in `bounds`; `what` names the setting in the help line.
    fn range(&mut self, path: Vec<Seg>, value: u32, bounds: Bounds, what: &str) {
        let Bounds { min, max } = bounds;
        if !bounds.contains(value) {
            let f = field(&path);
            self.push(
                path,
                format!("{f} = {value} is out of range"),
                format!("{what} is {min} to {max}"),
            );
        }
    }
}

/// Every broken cross-field rule of `stack`, in the order the rules run (the loader sorts them by place).
pub(super) fn violations(stack: &Stack) -> Vec<Violation> {
    let mut r = Rules { out: Vec::new() };
    registry::check(stack, &mut r);
    app::check(stack, &mut r);
    custom_domain::check(stack, &mut r);
    for d in stack.deployed() {
        let path = d.path();
        key_vault::check(stack, &d, &path, &mut r);
        if let Workload::App(app) = d.workload {
            scale::check(app, &path, &mut r);
        }
    }
    if let Some(days) = stack.log_analytics.as_ref().and_then(|w| w.retention_in_days) {
        r.range(
            vec![Key("log_analytics"), Key("retention_in_days")],
            days,
            limits::LOG_RETENTION_DAYS,
            "a Log Analytics workspace's retention_in_days",
        );
    }
    r.range(
        vec![Key("storage"), Key("share"), Key("quota_gb")],
        stack.storage.share.quota_gb,
        limits::SHARE_QUOTA_GB,
        "quota_gb of a share on a Standard account",
    );
    network::check(stack, &mut r);
    existing::check(stack, &mut r);
    r.out
}

/// An IPv4 address or CIDR range, as a firewall allow-list takes it ([`limits::IPV4_RANGE`]).
fn is_ipv4_range(s: &str) -> bool {
    pattern_matches(limits::IPV4_RANGE, s)
}
