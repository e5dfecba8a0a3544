//! Rules that span fields, checked on the typed stack before Terraform ever runs (NOTES.md §2, §10, §16).
//!
//! Each [`Violation`] names the field at fault (the loader turns it into a line and column) and says what would be
//! valid. Rules that concern one value only live in the value's type (see [`super::names`], [`super::Cpu`]).

use super::container_app::Probe;
use super::Stack;
use crate::azurerm::facts::compute;
use crate::azurerm::facts::names::pattern_matches;
use crate::azurerm::facts::sku::{self, RegistryFeature};
use std::fmt::Write as _;

/// One step of a field path: a key or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(&'static str),
    Index(usize),
}

/// A broken rule: where (a field path), what, and what would be valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub path: Vec<Seg>,
    pub message: String,
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
            Seg::Index(i) => {
                let _ = write!(s, "[{i}]");
            }
        }
    }
    s
}

use Seg::{Index, Key};

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

    fn range(&mut self, path: Vec<Seg>, value: u32, bounds: Bounds, what: &str) {
        let Bounds { min, max } = bounds;
        if !(min..=max).contains(&value) {
            let f = field(&path);
            self.push(
                path,
                format!("{f} = {value} is out of range"),
                format!("{what} is {min} to {max}"),
            );
        }
    }
}

/// The inclusive range of a whole-number setting. The stack JSON Schema's `minimum`/`maximum` read the same
/// constants (`#[schemars(range(...))]` on the fields). Sources: the provider's validation of each argument as
/// recorded in provider-notes.json (azurerm 4.79.0), unless said otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Bounds {
    pub min: u32,
    pub max: u32,
}

/// `log_analytics.retention_in_days` (`azurerm_log_analytics_workspace.retention_in_days`: 30..730).
pub(super) const LOG_RETENTION_DAYS: Bounds = Bounds { min: 30, max: 730 };
/// `storage.share.quota_gb` (`azurerm_storage_share.quota`: a Standard account without large file shares caps
/// at 5120 GiB).
pub(super) const SHARE_QUOTA_GB: Bounds = Bounds { min: 1, max: 5120 };
/// `container_registry.retention_days` (`retention_policy_in_days`: 0..365, 0 meaning off, so 1..365 when set).
pub(super) const REGISTRY_RETENTION_DAYS: Bounds = Bounds { min: 1, max: 365 };
/// `container_app.scale.min_replicas` (`template.min_replicas`: 0..300).
pub(super) const MIN_REPLICAS: Bounds = Bounds { min: 0, max: 300 };
/// `container_app.scale.max_replicas` (`template.max_replicas`: 1..300).
pub(super) const MAX_REPLICAS: Bounds = Bounds { min: 1, max: 300 };
/// A TCP port: ingress `target_port` and a probe's `port` (1..65535).
pub(super) const PORT: Bounds = Bounds { min: 1, max: 65535 };
/// A probe's `initial_delay` in seconds (0..60).
pub(super) const PROBE_INITIAL_DELAY: Bounds = Bounds { min: 0, max: 60 };
/// A probe's `interval_seconds` and `timeout` in seconds (1..240).
pub(super) const PROBE_SECONDS: Bounds = Bounds { min: 1, max: 240 };
/// A liveness probe's `failure_count_threshold` (1..30).
pub(super) const LIVENESS_FAILURES: Bounds = Bounds { min: 1, max: 30 };
/// A readiness probe's `failure_count_threshold` (1..48, the 4.79 doc string).
pub(super) const READINESS_FAILURES: Bounds = Bounds { min: 1, max: 48 };
/// A readiness probe's `success_count_threshold` (1..10).
pub(super) const READINESS_SUCCESSES: Bounds = Bounds { min: 1, max: 10 };

// Value patterns: the rule of one string value, in the common subset of Rust's `regex` and ECMA-262 (what JSON
// Schema's `pattern` is). The checks below match them (`pattern_matches`) and the stack JSON Schema carries them.

/// An environment variable name (`[container_app.container.env]` keys, a secret's `env`): letters, digits and
/// `_`, not starting with a digit.
pub(super) const ENV_NAME: &str = r"^[A-Za-z_][A-Za-z0-9_]*$";
/// A webhook's custom header name: 1-64 letters, digits and `-`, starting with a letter (every common header
/// name; it becomes a key of the rendered map).
pub(super) const HEADER_NAME: &str = r"^[A-Za-z][A-Za-z0-9-]{0,63}$";
/// A webhook scope, `repository[:tag]`, the tag `*` or 1-128 letters, digits, `-`, `_`, `.` (the scopes ACR
/// accepts for a webhook).
pub(super) const WEBHOOK_SCOPE: &str = r"^[a-z0-9][a-z0-9_./-]*(:(\*|[A-Za-z0-9_.-]{1,128}))?$";
/// A volume mount path: absolute.
pub(super) const MOUNT_PATH: &str = r"^/";
/// An IPv4 address, unanchored: four decimal octets 0-255 without leading zeros (as Rust's `Ipv4Addr` reads them).
macro_rules! ipv4 {
    () => {
        r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}"
    };
}

/// An IPv4 network in CIDR notation, `<address>/<prefix>`: the prefix 0-32 in one or two digits. Host bits are
/// arithmetic, checked in `Cidr::parse`.
pub(super) const CIDR: &str = concat!("^", ipv4!(), r"/([0-2]?[0-9]|3[0-2])$");
/// An IPv4 address, or a range with a prefix length 0-32 (a firewall allow-list entry): four decimal octets
/// as in [`CIDR`], the prefix with any number of leading zeros (as `u8` parsing reads it).
pub(super) const IPV4_RANGE: &str = concat!("^", ipv4!(), r"(/0*([0-9]|[12][0-9]|3[0-2]))?$");

/// `container_registry.cleanup.keep`: keep at least one tag per repository (0 would delete every tag).
pub(super) const MIN_KEEP: u32 = 1;
/// `container_app.scale.http_concurrent_requests`: at least one request per replica (0 would never scale).
pub(super) const MIN_HTTP_CONCURRENT_REQUESTS: u32 = 1;

const REGISTRY: Seg = Key("container_registry");
const APP: Seg = Key("container_app");

pub(super) fn violations(stack: &Stack) -> Vec<Violation> {
    let mut r = Rules { out: Vec::new() };
    registry(stack, &mut r);
    app(stack, &mut r);
    if let Some(days) = stack.log_analytics.retention_in_days {
        r.range(
            vec![Key("log_analytics"), Key("retention_in_days")],
            days,
            LOG_RETENTION_DAYS,
            "a Log Analytics workspace's retention_in_days",
        );
    }
    r.range(
        vec![Key("storage"), Key("share"), Key("quota_gb")],
        stack.storage.share.quota_gb,
        SHARE_QUOTA_GB,
        "quota_gb of a share on a Standard account",
    );
    r.out.extend(super::network::violations(stack));
    r.out
}

fn registry(stack: &Stack, r: &mut Rules) {
    let reg = &stack.container_registry;
    let sku = reg.sku;
    let allows = |feature| sku::registry_allows(sku.as_str(), feature);
    let premium_only = |r: &mut Rules, key: &'static str, setting: &str, feature: RegistryFeature| {
        if !allows(feature) {
            r.push(
                vec![REGISTRY, Key(key)],
                format!(
                    "container_registry.{key} = {setting} needs sku = \"Premium\", but container_registry.sku = \"{sku}\""
                ),
                format!("set container_registry.sku = \"Premium\", or remove {key}"),
            );
        }
    };
    if reg.zone_redundancy_enabled {
        premium_only(r, "zone_redundancy_enabled", "true", RegistryFeature::ZoneRedundancy);
    }
    if let Some(days) = reg.retention_days {
        r.range(
            vec![REGISTRY, Key("retention_days")],
            days,
            REGISTRY_RETENTION_DAYS,
            "retention_days",
        );
        premium_only(r, "retention_days", &days.to_string(), RegistryFeature::Retention);
    }
    // Azure refuses to enable Docker Content Trust on a registry: 400 ContentTrustUnsupported
    // (hashicorp/terraform-provider-azurerm#32752; `trust_policy_enabled` is removed in azurerm 5.0). DCT is retired
    // in favour of Notation (Notary Project) signatures, which need no registry setting.
    if reg.trust_policy_enabled {
        r.push(
            vec![REGISTRY, Key("trust_policy_enabled")],
            "container_registry.trust_policy_enabled = true: Azure no longer lets a registry enable Docker Content Trust (400 ContentTrustUnsupported), so the first apply would fail".to_string(),
            "remove trust_policy_enabled and sign images with Notation instead (`notation sign` in CI, signatures stored next to the image in the registry; verify them before deploying)".to_string(),
        );
    }
    // A quarantined image cannot be pulled with AcrPull, only with AcrQuarantineReader, until a scanner marks it
    // Passed (Azure/acr#210): with no release step the app could never pull its image.
    if reg.quarantine_policy_enabled {
        r.push(
            vec![REGISTRY, Key("quarantine_policy_enabled")],
            "container_registry.quarantine_policy_enabled = true: every pushed image stays unpullable until a scanner releases it, and the stack has no release step, so the app could never pull its image (AcrPull cannot pull quarantined images)".to_string(),
            "remove quarantine_policy_enabled: scan images in CI before pushing them (push only what passed)".to_string(),
        );
    }
    if reg.data_endpoint_enabled {
        premium_only(r, "data_endpoint_enabled", "true", RegistryFeature::DataEndpoint);
    }
    if !reg.public_network_access_enabled {
        premium_only(
            r,
            "public_network_access_enabled",
            "false",
            RegistryFeature::PublicNetworkAccessOff,
        );
    }
    if !reg.export_policy_enabled {
        premium_only(r, "export_policy_enabled", "false", RegistryFeature::ExportPolicyOff);
        if reg.public_network_access_enabled && allows(RegistryFeature::ExportPolicyOff) {
            r.push(
                vec![REGISTRY, Key("export_policy_enabled")],
                "container_registry.export_policy_enabled = false needs public_network_access_enabled = false"
                    .to_string(),
                "set container_registry.public_network_access_enabled = false, or keep export_policy_enabled = true"
                    .to_string(),
            );
        }
    }
    if reg.anonymous_pull_enabled && !allows(RegistryFeature::AnonymousPull) {
        r.push(
            vec![REGISTRY, Key("anonymous_pull_enabled")],
            "container_registry.anonymous_pull_enabled = true needs sku = \"Standard\" or \"Premium\", but container_registry.sku = \"Basic\"".to_string(),
            "set container_registry.sku = \"Standard\" or \"Premium\", or remove anonymous_pull_enabled".to_string(),
        );
    }
    if let Some(rules) = &reg.network_rules {
        if !allows(RegistryFeature::NetworkRules) {
            r.push(
                vec![REGISTRY, Key("network_rules")],
                format!(
                    "container_registry.network_rules needs sku = \"Premium\", but container_registry.sku = \"{sku}\""
                ),
                "set container_registry.sku = \"Premium\", or remove [container_registry.network_rules]".to_string(),
            );
        }
        for (i, ip) in rules.ip_allow_list.iter().enumerate() {
            if !is_ipv4_range(ip) {
                r.push(
                    vec![REGISTRY, Key("network_rules"), Key("ip_allow_list"), Index(i)],
                    format!("container_registry.network_rules.ip_allow_list[{i}] = {ip:?} is not an IPv4 address or CIDR range"),
                    "write an address or range such as \"203.0.113.7\" or \"203.0.113.0/24\"".to_string(),
                );
            }
        }
    }
    let mut seen: Vec<&str> = Vec::new();
    for (i, geo) in reg.geo_replications.iter().enumerate() {
        let path = vec![REGISTRY, Key("geo_replications"), Index(i), Key("location")];
        if !allows(RegistryFeature::GeoReplication) && i == 0 {
            r.push(
                vec![REGISTRY, Key("geo_replications"), Index(i)],
                format!(
                    "container_registry.geo_replications need sku = \"Premium\", but container_registry.sku = \"{sku}\""
                ),
                "set container_registry.sku = \"Premium\", or remove [[container_registry.geo_replications]]"
                    .to_string(),
            );
        }
        if geo.location == stack.location {
            r.push(
                path,
                format!(
                    "container_registry.geo_replications[{i}].location = \"{}\" is the registry's own location (location = \"{}\")",
                    geo.location, stack.location
                ),
                "a geo-replica must be in another region, e.g. \"northeurope\" for a registry in \"westeurope\"".to_string(),
            );
        } else if seen.contains(&geo.location.as_str()) {
            r.push(
                path,
                format!(
                    "container_registry.geo_replications[{i}].location = \"{}\" is replicated twice",
                    geo.location
                ),
                "list each region once".to_string(),
            );
        }
        seen.push(geo.location.as_str());
    }
    webhooks(reg, r);
    if let Some(task) = &reg.cleanup {
        // Since 1 June 2025 ACR Tasks no longer bypass the registry's network rules unless the registry sets
        // `networkRuleBypassAllowedForTasks` (Microsoft Learn, "Manage network bypass policy for tasks";
        // Azure/azure-cli#27253). azurerm exposes it as `network_rule_bypass_for_tasks_enabled` only from 4.81.0,
        // whose schema infra does not vendor: a scheduled purge on a restricted registry would fail on every run.
        let restricted = !reg.public_network_access_enabled
            || reg
                .network_rules
                .as_ref()
                .is_some_and(|n| n.default_action == super::container_registry::DefaultAction::Deny);
        if restricted {
            r.push(
                vec![REGISTRY, Key("cleanup")],
                "[container_registry.cleanup] runs as an ACR task, and ACR tasks cannot reach a network-restricted registry (network_rules default_action = \"Deny\" or public access off) without `networkRuleBypassAllowedForTasks`, which azurerm 4.79.0 cannot set: the purge would fail on every run".to_string(),
                "remove [container_registry.cleanup]: retention_days deletes untagged manifests inside the registry, and CI, from where it reaches the registry (an allowed address, or a runner inside the virtual network), can prune old tags with `acr purge` (see docs/first-deploy.md)".to_string(),
            );
        }
        let cleanup = |k: &'static str| vec![REGISTRY, Key("cleanup"), Key(k)];
        if let Some(reason) = super::cleanup_task::schedule_problem(&task.schedule) {
            r.push(
                cleanup("schedule"),
                format!(
                    "container_registry.cleanup.schedule = {:?} is not a cron expression ACR tasks accept: {reason}",
                    task.schedule
                ),
                "write five fields, minute hour day-of-month month day-of-week (UTC), e.g. \"0 1 * * Sun\"; each is *, a number, a range a-b, a list a,b or a step */n; months and days may be names (Jan, Sun)".to_string(),
            );
        }
        if let Some((reason, help)) = super::cleanup_task::filter_problem(&task.filter) {
            r.push(
                cleanup("filter"),
                format!("container_registry.cleanup.filter = {:?} {reason}", task.filter),
                help,
            );
        }
        if let Some(reason) = super::cleanup_task::ago_problem(&task.ago) {
            r.push(
                cleanup("ago"),
                format!(
                    "container_registry.cleanup.ago = {:?} {reason}",
                    task.ago
                ),
                "ago is days and/or a Go duration (acr purge --ago), e.g. \"0d\" (any age), \"30d\", \"2d3h6m\" or \"90m\"".to_string(),
            );
        }
        if task.keep < MIN_KEEP {
            r.push(
                vec![REGISTRY, Key("cleanup"), Key("keep")],
                "container_registry.cleanup.keep = 0 would delete every tag".to_string(),
                "keep at least 1 tag per repository, e.g. keep = 10".to_string(),
            );
        }
    }
}

/// `[[container_registry.webhooks]]`: names, actions, scope and a service URI that holds no secret.
fn webhooks(reg: &super::ContainerRegistry, r: &mut Rules) {
    let mut names: Vec<String> = Vec::new();
    for (i, w) in reg.webhooks.iter().enumerate() {
        let at = |k: &'static str| vec![REGISTRY, Key("webhooks"), Index(i), Key(k)];
        let lower = w.resource_name();
        if names.contains(&lower) {
            r.push(
                at("name"),
                format!(
                    "container_registry.webhooks[{i}].name = \"{}\" is declared twice",
                    w.name
                ),
                "give each webhook its own name (names are compared without case)".to_string(),
            );
        }
        names.push(lower);
        if w.actions.is_empty() {
            r.push(
                at("actions"),
                format!("container_registry.webhooks[{i}].actions is empty"),
                "list at least one of \"push\", \"delete\", \"quarantine\", \"chart_push\", \"chart_delete\""
                    .to_string(),
            );
        }
        let mut seen = Vec::new();
        for (j, a) in w.actions.iter().enumerate() {
            if seen.contains(a) {
                let mut p = at("actions");
                p.push(Index(j));
                r.push(
                    p,
                    format!(
                        "container_registry.webhooks[{i}].actions lists \"{}\" twice",
                        a.as_str()
                    ),
                    "list each action once".to_string(),
                );
            }
            seen.push(*a);
        }
        if let Some(scope) = &w.scope {
            if !is_webhook_scope(scope) {
                r.push(
                    at("scope"),
                    format!("container_registry.webhooks[{i}].scope = {scope:?} is not a repository:tag scope"),
                    "write `repository:tag`, e.g. \"fastapi-app:*\" for every tag of fastapi-app, or leave scope out for every repository".to_string(),
                );
            }
        }
        if let Some(uri) = &w.service_uri {
            if let Err(why) = webhook_uri(uri) {
                r.push(
                    at("service_uri"),
                    format!("container_registry.webhooks[{i}].service_uri {why}"),
                    format!(
                        "write an https:// URI without credentials, or remove service_uri and set the sensitive variable {} at plan time (TF_VAR_{})",
                        w.service_uri_variable(),
                        w.service_uri_variable()
                    ),
                );
            }
        }
        let mut vars: Vec<String> = Vec::new();
        for (j, h) in w.headers.iter().enumerate() {
            let mut p = at("headers");
            p.push(Index(j));
            if !pattern_matches(HEADER_NAME, h) {
                r.push(
                    p,
                    format!("container_registry.webhooks[{i}].headers[{j}] = {h:?} is not an HTTP header name"),
                    "write a header name of letters, digits and '-', starting with a letter, such as \"Authorization\" or \"X-Token\"; its value comes from a sensitive variable, never from the stack".to_string(),
                );
                continue;
            }
            let v = w.header_variable(h);
            if vars.contains(&v) {
                r.push(
                    p,
                    format!("container_registry.webhooks[{i}].headers[{j}] = {h:?} is listed twice"),
                    "list each header once (names are compared without case)".to_string(),
                );
            }
            vars.push(v);
        }
    }
}

/// `repository[:tag]` where the tag may be `*` (the scopes ACR accepts for a webhook).
fn is_webhook_scope(s: &str) -> bool {
    pattern_matches(WEBHOOK_SCOPE, s)
}

/// Why a literal webhook URI is not allowed in the stack: not https, or carrying credentials (user info or a query
/// string, where tokens travel).
fn webhook_uri(uri: &str) -> Result<(), String> {
    let Some(rest) = uri.strip_prefix("https://") else {
        return Err(format!(
            "= {uri:?} is not an https:// URI (the call carries image names and headers)"
        ));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.is_empty() || uri.chars().any(char::is_whitespace) {
        return Err(format!("= {uri:?} has no host"));
    }
    if authority.contains('@') {
        return Err("carries credentials (user info before '@'); a secret never goes in the stack".to_string());
    }
    if uri.contains('?') || uri.contains('#') {
        return Err(
            "has a query string or fragment, where tokens travel; a secret never goes in the stack".to_string(),
        );
    }
    if let Some(reserved) = placeholder_host(authority) {
        return Err(format!(
            "= {uri:?} is a placeholder: {reserved} is reserved for examples and reaches no CI/CD endpoint"
        ));
    }
    Ok(())
}

/// Names reserved for documentation and testing, which no real endpoint has (RFC 2606 §2-3: the `.example`,
/// `.test`, `.invalid` and `.localhost` top-level domains and `example.com` / `.net` / `.org`; RFC 6761 §6.3:
/// `localhost`). Returns which reservation `authority`'s host falls under.
fn placeholder_host(authority: &str) -> Option<String> {
    let host = authority.rsplit_once(':').map_or(authority, |(h, port)| {
        if port.bytes().all(|b| b.is_ascii_digit()) {
            h
        } else {
            authority
        }
    });
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    const DOMAINS: [&str; 3] = ["example.com", "example.net", "example.org"];
    const TLDS: [&str; 4] = ["example", "test", "invalid", "localhost"];
    let in_domain = |d: &str| host == d || host.ends_with(&format!(".{d}"));
    if let Some(d) = DOMAINS.iter().find(|d| in_domain(d)) {
        return Some(format!("{d} (RFC 2606)"));
    }
    TLDS.iter()
        .find(|t| in_domain(t))
        .map(|t| format!("the .{t} domain (RFC 2606)"))
}

pub(super) fn is_ipv4_range(s: &str) -> bool {
    pattern_matches(IPV4_RANGE, s)
}

fn app(stack: &Stack, r: &mut Rules) {
    let app = &stack.container_app;
    let c = &app.container;
    let ctr = || vec![APP, Key("container")];

    if !compute::consumption_pair(c.cpu.cores(), c.memory.gib()) {
        let mut path = ctr();
        path.push(Key("memory"));
        r.push(
            path,
            format!(
                "container_app.container.cpu = {} and memory = \"{}\" are not a valid Consumption pair",
                c.cpu.cores(),
                c.memory
            ),
            format!(
                "with cpu = {} use memory = \"{}\" (memory must be 2 × cpu, cpu in 0.25 steps from 0.25 to 4.0)",
                c.cpu.cores(),
                c.cpu.matching_memory()
            ),
        );
    }

    let scale = &app.scale;
    let sp = |k: &'static str| vec![APP, Key("scale"), Key(k)];
    r.range(sp("min_replicas"), scale.min_replicas, MIN_REPLICAS, "min_replicas");
    r.range(sp("max_replicas"), scale.max_replicas, MAX_REPLICAS, "max_replicas");
    if scale.min_replicas > scale.max_replicas {
        r.push(
            sp("min_replicas"),
            format!(
                "container_app.scale.min_replicas = {} is greater than max_replicas = {}",
                scale.min_replicas, scale.max_replicas
            ),
            format!(
                "min_replicas must be at most max_replicas: lower min_replicas, or raise max_replicas to at least {}",
                scale.min_replicas
            ),
        );
    }
    if scale
        .http_concurrent_requests
        .is_some_and(|n| n < MIN_HTTP_CONCURRENT_REQUESTS)
    {
        r.push(
            sp("http_concurrent_requests"),
            "container_app.scale.http_concurrent_requests = 0 would never scale".to_string(),
            "http_concurrent_requests is the number of concurrent requests per replica, at least 1, e.g. 100"
                .to_string(),
        );
    }

    if let Some(ingress) = &app.ingress {
        r.range(
            vec![APP, Key("ingress"), Key("target_port")],
            ingress.target_port,
            PORT,
            "a port",
        );
    }

    if let Some(p) = &c.liveness_probe {
        probe_rules(r, "liveness_probe", p, false);
    }
    if let Some(p) = &c.readiness_probe {
        probe_rules(r, "readiness_probe", p, true);
    }

    for key in c.env.keys() {
        if !is_env_name(key) {
            let mut path = ctr();
            path.push(Key("env"));
            r.push(
                path,
                format!("container_app.container.env has an invalid variable name {key:?}"),
                "environment variable names are letters, digits and '_', not starting with a digit".to_string(),
            );
        }
    }

    let mut secret_names: Vec<&str> = Vec::new();
    let mut secret_envs: Vec<&str> = Vec::new();
    for (i, secret) in app.secrets.iter().enumerate() {
        if secret_names.contains(&secret.name.as_str()) {
            r.push(
                vec![APP, Key("secrets"), Index(i), Key("name")],
                format!(
                    "container_app.secrets[{i}].name = \"{}\" is declared twice",
                    secret.name
                ),
                "give each secret its own name".to_string(),
            );
        }
        secret_names.push(secret.name.as_str());
        if let Some(env) = &secret.env {
            let path = vec![APP, Key("secrets"), Index(i), Key("env")];
            if c.env.contains_key(env) || secret_envs.contains(&env.as_str()) {
                r.push(
                    path,
                    format!("container_app.secrets[{i}].env = {env:?} is already set by another value"),
                    format!("an environment variable gets one value: remove {env} from [container_app.container.env] or from the other secret"),
                );
            } else if !is_env_name(env) {
                r.push(
                    path,
                    format!("container_app.secrets[{i}].env = {env:?} is not an environment variable name"),
                    "environment variable names are letters, digits and '_', not starting with a digit".to_string(),
                );
            }
            secret_envs.push(env);
        }
    }

    let volumes: Vec<&str> = app.volumes.iter().map(|v| v.name.as_str()).collect();
    for (i, m) in c.volume_mounts.iter().enumerate() {
        let mut path = ctr();
        path.extend([Key("volume_mounts"), Index(i)]);
        if !volumes.contains(&m.name.as_str()) {
            let mut p = path.clone();
            p.push(Key("name"));
            let help = if volumes.is_empty() {
                "declare the volume in [[container_app.volumes]] (name, storage_name)".to_string()
            } else {
                format!(
                    "a volume mount names one of [[container_app.volumes]]: {}",
                    quoted(&volumes)
                )
            };
            r.push(
                p,
                format!(
                    "container_app.container.volume_mounts[{i}].name = \"{}\" names no volume",
                    m.name
                ),
                help,
            );
        }
        if !pattern_matches(MOUNT_PATH, &m.path) {
            path.push(Key("path"));
            r.push(
                path,
                format!(
                    "container_app.container.volume_mounts[{i}].path = {:?} is not an absolute path",
                    m.path
                ),
                "mount paths start with '/', e.g. \"/data\"".to_string(),
            );
        }
    }
    let storage = &stack.storage.environment_storage.name;
    for (i, v) in app.volumes.iter().enumerate() {
        if &v.storage_name != storage {
            r.push(
                vec![APP, Key("volumes"), Index(i), Key("storage_name")],
                format!(
                    "container_app.volumes[{i}].storage_name = \"{}\" names no environment storage",
                    v.storage_name
                ),
                format!("the environment storage is \"{storage}\" ([storage.environment_storage] name)"),
            );
        }
    }
}

fn is_env_name(key: &str) -> bool {
    pattern_matches(ENV_NAME, key)
}

fn quoted(names: &[&str]) -> String {
    names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
}

fn probe_rules(r: &mut Rules, name: &'static str, p: &Probe, readiness: bool) {
    let path = |k: &'static str| vec![APP, Key("container"), Key(name), Key(k)];
    let what = |k: &str| format!("a probe's {k}");
    r.range(path("port"), p.port, PORT, &what("port"));
    if let Some(v) = p.initial_delay {
        r.range(path("initial_delay"), v, PROBE_INITIAL_DELAY, &what("initial_delay"));
    }
    if let Some(v) = p.interval_seconds {
        r.range(path("interval_seconds"), v, PROBE_SECONDS, &what("interval_seconds"));
    }
    if let Some(v) = p.timeout {
        r.range(path("timeout"), v, PROBE_SECONDS, &what("timeout"));
    }
    if let Some(v) = p.failure_count_threshold {
        let bounds = if readiness {
            READINESS_FAILURES
        } else {
            LIVENESS_FAILURES
        };
        let kind = if readiness { "readiness" } else { "liveness" };
        r.range(
            path("failure_count_threshold"),
            v,
            bounds,
            &format!("a {kind} probe's failure_count_threshold"),
        );
    }
    if let Some(v) = p.success_count_threshold {
        if readiness {
            r.range(
                path("success_count_threshold"),
                v,
                READINESS_SUCCESSES,
                &what("success_count_threshold"),
            );
        } else {
            r.push(
                path("success_count_threshold"),
                format!("container_app.container.{name}.success_count_threshold is only for readiness probes"),
                "remove success_count_threshold from the liveness probe".to_string(),
            );
        }
    }
    if p.transport == super::container_app::Transport::TCP && p.path.is_some() {
        r.push(
            path("path"),
            format!("container_app.container.{name}.path is set on a TCP probe"),
            "path is for transport = \"HTTP\" or \"HTTPS\"; remove it or change the transport".to_string(),
        );
    }
}
