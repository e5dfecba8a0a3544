//! `[container_registry]`: what needs a Premium (or Standard) registry, settings Azure no longer accepts, the
//! firewall's allow list, geo-replicas and the cleanup task.

use super::{is_ipv4_range, Rules, Seg};
use crate::azurerm::facts::limits;
use crate::azurerm::facts::sku::{self, RegistryFeature};
use crate::stack::container_registry::DefaultAction;
use crate::stack::{cleanup_task, CleanupTask, ContainerRegistry, Stack};
use Seg::{Index, Key};

const REGISTRY: Seg = Key("container_registry");

pub(super) fn check(stack: &Stack, r: &mut Rules) {
    let Some(reg) = &stack.container_registry else {
        return;
    };
    zone_redundancy_and_retention(reg, r);
    retired_policies(reg, r);
    access(reg, r);
    network_rules(reg, r);
    geo_replications(stack, r);
    super::webhooks::check(reg, r);
    if let Some(task) = &reg.cleanup {
        cleanup(reg, task, r);
    }
}

fn allows(reg: &ContainerRegistry, feature: RegistryFeature) -> bool {
    sku::registry_allows(reg.sku.as_str(), feature)
}

/// `key = setting` needs a Premium registry.
fn premium_only(r: &mut Rules, reg: &ContainerRegistry, key: &'static str, setting: &str, feature: RegistryFeature) {
    if !allows(reg, feature) {
        let sku = reg.sku;
        r.push(
            vec![REGISTRY, Key(key)],
            format!(
                "container_registry.{key} = {setting} needs sku = \"Premium\", but container_registry.sku = \"{sku}\""
            ),
            format!("set container_registry.sku = \"Premium\", or remove {key}"),
        );
    }
}

fn zone_redundancy_and_retention(reg: &ContainerRegistry, r: &mut Rules) {
    if reg.zone_redundancy_enabled {
        premium_only(
            r,
            reg,
            "zone_redundancy_enabled",
            "true",
            RegistryFeature::ZoneRedundancy,
        );
    }
    if let Some(days) = reg.retention_days {
        r.range(
            vec![REGISTRY, Key("retention_days")],
            days,
            limits::REGISTRY_RETENTION_DAYS,
            "retention_days",
        );
        premium_only(r, reg, "retention_days", &days.to_string(), RegistryFeature::Retention);
    }
}

/// Policies Azure accepts in the API but that would break the first apply or every pull.
fn retired_policies(reg: &ContainerRegistry, r: &mut Rules) {
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
}

/// The data endpoint, public network access, export policy and anonymous pull.
fn access(reg: &ContainerRegistry, r: &mut Rules) {
    if reg.data_endpoint_enabled {
        premium_only(r, reg, "data_endpoint_enabled", "true", RegistryFeature::DataEndpoint);
    }
    if !reg.public_network_access_enabled {
        premium_only(
            r,
            reg,
            "public_network_access_enabled",
            "false",
            RegistryFeature::PublicNetworkAccessOff,
        );
    }
    if !reg.export_policy_enabled {
        premium_only(
            r,
            reg,
            "export_policy_enabled",
            "false",
            RegistryFeature::ExportPolicyOff,
        );
        if reg.public_network_access_enabled && allows(reg, RegistryFeature::ExportPolicyOff) {
            r.push(
                vec![REGISTRY, Key("export_policy_enabled")],
                "container_registry.export_policy_enabled = false needs public_network_access_enabled = false"
                    .to_string(),
                "set container_registry.public_network_access_enabled = false, or keep export_policy_enabled = true"
                    .to_string(),
            );
        }
    }
    if reg.anonymous_pull_enabled && !allows(reg, RegistryFeature::AnonymousPull) {
        r.push(
            vec![REGISTRY, Key("anonymous_pull_enabled")],
            "container_registry.anonymous_pull_enabled = true needs sku = \"Standard\" or \"Premium\", but container_registry.sku = \"Basic\"".to_string(),
            "set container_registry.sku = \"Standard\" or \"Premium\", or remove anonymous_pull_enabled".to_string(),
        );
    }
}

fn network_rules(reg: &ContainerRegistry, r: &mut Rules) {
    let Some(rules) = &reg.network_rules else {
        return;
    };
    if !allows(reg, RegistryFeature::NetworkRules) {
        r.push(
            vec![REGISTRY, Key("network_rules")],
            format!(
                "container_registry.network_rules needs sku = \"Premium\", but container_registry.sku = \"{}\"",
                reg.sku
            ),
            "set container_registry.sku = \"Premium\", or remove [container_registry.network_rules]".to_string(),
        );
    }
    for (i, ip) in rules.ip_allow_list.iter().enumerate() {
        if !is_ipv4_range(ip) {
            r.push(
                vec![REGISTRY, Key("network_rules"), Key("ip_allow_list"), Index(i)],
                format!(
                    "container_registry.network_rules.ip_allow_list[{i}] = {ip:?} is not an IPv4 address or CIDR range"
                ),
                "write an address or range such as \"203.0.113.7\" or \"203.0.113.0/24\"".to_string(),
            );
        }
    }
}

fn geo_replications(stack: &Stack, r: &mut Rules) {
    let Some(reg) = &stack.container_registry else {
        return;
    };
    let mut seen: Vec<&str> = Vec::new();
    for (i, geo) in reg.geo_replications.iter().enumerate() {
        let path = vec![REGISTRY, Key("geo_replications"), Index(i), Key("location")];
        if !allows(reg, RegistryFeature::GeoReplication) && i == 0 {
            r.push(
                vec![REGISTRY, Key("geo_replications"), Index(i)],
                format!(
                    "container_registry.geo_replications need sku = \"Premium\", but container_registry.sku = \"{}\"",
                    reg.sku
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
}

/// `[container_registry.cleanup]`: reachable by ACR tasks, and a schedule, filter, age and keep `acr purge` takes.
fn cleanup(reg: &ContainerRegistry, task: &CleanupTask, r: &mut Rules) {
    // Since 1 June 2025 ACR Tasks no longer bypass the registry's network rules unless the registry sets
    // `networkRuleBypassAllowedForTasks` (Microsoft Learn, "Manage network bypass policy for tasks";
    // Azure/azure-cli#27253). azurerm exposes it as `network_rule_bypass_for_tasks_enabled` only from 4.81.0,
    // whose schema infra does not vendor: a scheduled purge on a restricted registry would fail on every run.
    let restricted = !reg.public_network_access_enabled
        || reg
            .network_rules
            .as_ref()
            .is_some_and(|n| n.default_action == DefaultAction::Deny);
    if restricted {
        r.push(
            vec![REGISTRY, Key("cleanup")],
            "[container_registry.cleanup] runs as an ACR task, and ACR tasks cannot reach a network-restricted registry (network_rules default_action = \"Deny\" or public access off) without `networkRuleBypassAllowedForTasks`, which azurerm 4.79.0 cannot set: the purge would fail on every run".to_string(),
            "remove [container_registry.cleanup]: retention_days deletes untagged manifests inside the registry, and CI, from where it reaches the registry (an allowed address, or a runner inside the virtual network), can prune old tags with `acr purge` (see docs/first-deploy.md)".to_string(),
        );
    }
    let at = |k: &'static str| vec![REGISTRY, Key("cleanup"), Key(k)];
    if let Some(reason) = cleanup_task::schedule_problem(&task.schedule) {
        r.push(
            at("schedule"),
            format!(
                "container_registry.cleanup.schedule = {:?} is not a cron expression ACR tasks accept: {reason}",
                task.schedule
            ),
            "write five fields, minute hour day-of-month month day-of-week (UTC), e.g. \"0 1 * * Sun\"; each is *, a number, a range a-b, a list a,b or a step */n; months and days may be names (Jan, Sun)".to_string(),
        );
    }
    if let Some((reason, help)) = cleanup_task::filter_problem(&task.filter) {
        r.push(
            at("filter"),
            format!("container_registry.cleanup.filter = {:?} {reason}", task.filter),
            help,
        );
    }
    if let Some(reason) = cleanup_task::ago_problem(&task.ago) {
        r.push(
            at("ago"),
            format!("container_registry.cleanup.ago = {:?} {reason}", task.ago),
            "ago is days and/or a Go duration (acr purge --ago), e.g. \"0d\" (any age), \"30d\", \"2d3h6m\" or \"90m\""
                .to_string(),
        );
    }
    if task.keep < limits::MIN_KEEP {
        r.push(
            at("keep"),
            "container_registry.cleanup.keep = 0 would delete every tag".to_string(),
            "keep at least 1 tag per repository, e.g. keep = 10".to_string(),
        );
    }
}
