//! Stack → Terraform document: `terraform/<stack>/` as [`Config`] — pure and in memory — plus the writer
//! and checker of a rendered directory ([`write()`], [`check()`]).
//!
//! One file per resource block; `files.rs` holds `versions.tf`, `providers.tf`, `variables.tf`, `outputs.tf`.
//! Wiring follows NOTES.md §14: the user-assigned identity exists first, its AcrPull assignment (deterministic
//! name) is scoped to the registry, and the app pulls with that identity and depends on the assignment.

mod cleanup_task;
mod common;
mod container_app;
mod container_app_job;
mod container_registry;
mod custom_domain;
mod environment;
mod existing;
mod files;
mod identity;
mod internal_load_balancer;
mod key_vault;
mod log_analytics;
mod network;
mod resource_group;
mod role_assignment;
mod scale;
mod storage;
mod webhook;
mod write;

pub use write::{check, is_generated, write, CheckReport, FileProblem, Problem, WriteReport};
pub(crate) use write::{checksum, ensure_writable, CHECKSUM_MARK, HEADER_MARK};

use crate::stack::{Stack, Workload, SHARED};
use crate::terraform::{Body, Config, File, Format};

/// The header lines every generated file starts with (HCL `#` comments, JSON `"//"`), before the checksum line
/// that [`render`] adds.
pub(crate) fn header(stack: &Stack) -> Vec<String> {
    let source = if stack.source.is_empty() {
        format!("stack \"{}\"", stack.name())
    } else {
        stack.source.clone()
    };
    vec![
        format!("{HEADER_MARK} {source}."),
        "Do not edit by hand: change the stack and run `infra render`.".to_string(),
    ]
}

/// Renders a stack into its Terraform files: `versions`, `providers`, `variables`, `main`, `outputs`, each with
/// the generated-file header. Pure: same stack, same bytes.
///
/// The stack must be valid ([`Stack::load`] / [`Stack::from_toml`] check it; call [`Stack::validate`] on stacks
/// built in Rust).
pub fn render(stack: &Stack, format: Format) -> Config {
    let header = header(stack);
    let file = |stem: &str, body: Body| {
        let mut file = File {
            name: format!("{stem}{}", format.extension()),
            format,
            header: Vec::new(),
            body,
        };
        // The checksum of the file's content without its header lets `check` tell a file edited by hand from one
        // that is merely stale.
        let sum = checksum(&file.to_text());
        file.header = header.clone();
        file.header.push(format!("{CHECKSUM_MARK}{sum}"));
        file
    };
    Config {
        files: vec![
            file("versions", files::versions(stack)),
            file("providers", files::providers(stack)),
            file("variables", files::variables(stack)),
            file("main", main(stack)),
            file("outputs", files::outputs(stack)),
        ],
    }
}

/// `main.tf`: every resource, in dependency order.
fn main(stack: &Stack) -> Body {
    let mut blocks = vec![resource_group::block(stack)];
    blocks.extend(existing::blocks(stack));
    blocks.extend(stack.log_analytics.as_ref().map(|w| log_analytics::block(stack, w)));
    if let Some(registry) = &stack.container_registry {
        blocks.push(container_registry::block(stack, registry));
        if let Some(task) = &registry.cleanup {
            blocks.push(cleanup_task::block(stack, task));
        }
        for w in &registry.webhooks {
            blocks.push(webhook::block(stack, w));
        }
    }
    blocks.extend(network::blocks(stack));
    blocks.extend(identities(stack));
    blocks.extend(stack.environment.as_ref().map(|e| environment::block(stack, e)));
    blocks.extend(internal_load_balancer::blocks(stack));
    blocks.extend([
        storage::account(stack),
        storage::share(stack),
        storage::environment_storage(stack),
    ]);
    for d in stack.deployed() {
        match d.workload {
            Workload::App(app) => {
                blocks.push(container_app::block(stack, &d, app));
                blocks.extend(custom_domain::blocks(stack, &d, app));
            }
            Workload::Job(job) => blocks.push(container_app_job::block(stack, &d, job)),
        }
    }
    files::body(blocks)
}

/// The stack's pull identity, its AcrPull grant, the Key Vault grants of what runs with it and the grants' wait;
/// then the same for each app or job with an identity of its own.
fn identities(stack: &Stack) -> Vec<crate::terraform::Block> {
    let mut blocks: Vec<crate::terraform::Block> = stack
        .identity
        .iter()
        .map(|i| identity::block(stack, SHARED, i))
        .collect();
    if stack.grants_shared_acr_pull() {
        blocks.push(role_assignment::block(stack, SHARED, stack.identity_name()));
    }
    let deployed = stack.deployed();
    let on_shared = deployed.iter().filter(|d| d.own_identity().is_none());
    blocks.extend(on_shared.filter_map(|d| key_vault::grant(stack, d)));
    if role_assignment::has_wait(stack, SHARED) {
        blocks.push(role_assignment::propagation_wait(stack, SHARED));
    }
    for d in &deployed {
        if let Some(own) = d.own_identity() {
            blocks.extend([
                identity::block(stack, d.label(), own),
                role_assignment::block(stack, d.label(), own.name.as_str()),
            ]);
            blocks.extend(key_vault::grant(stack, d));
            blocks.push(role_assignment::propagation_wait(stack, d.label()));
        }
    }
    blocks
}
