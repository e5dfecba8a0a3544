//! APPLY005: a Basic or Standard registry asks for nothing its SKU does not have.

use super::registry_sku;
use crate::azurerm::facts::sku::{registry_allows, RegistryFeature, REGISTRY_SKUS};
use crate::check::{violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};
use crate::terraform::{expr, Resource};

pub(super) static RULE: Rule = Rule {
    id: "APPLY005",
    title: "Registry setting its SKU does not have",
    severity: Severity::High,
    category: Category::ApplyTime {
        sources: &[
            "hashicorp/terraform-provider-azurerm v4.79.0, `internal/services/containers/container_registry_resource.go` \
             (CustomizeDiff: geo-replication, quarantine, retention, export policy, encryption, zone redundancy and \
             data endpoints \"can only be applied when using the Premium Sku\", anonymous pull with Standard or \
             Premium; Create/Update: `network_rule_set` and `public_network_access_enabled = false` Premium only)",
            "Microsoft Learn, \"Azure Container Registry service tiers\" and \"Connect privately to an Azure container \
             registry using Azure Private Link\" (private endpoints: Premium)",
        ],
    },
    resources: Resources::Types(&["azurerm_container_registry"]),
    enabled_when: EnabledWhen::Always,
    description: "A registry whose `sku` is literally Basic or Standard sets none of: `georeplications`, \
                  `zone_redundancy_enabled = true`, `retention_policy_in_days` > 0, `data_endpoint_enabled = true`, \
                  `network_rule_set`, `public_network_access_enabled = false`, `export_policy_enabled = false`, \
                  `quarantine_policy_enabled = true`, `encryption` (Premium only) or `anonymous_pull_enabled = true` \
                  (Standard or Premium), and no `azurerm_private_endpoint` connects to it (Premium only). \
                  (`trust_policy_enabled` is ACR008.)",
    why: "The provider refuses most of these when planning, the rest fail at apply (`network_rule_set`, public \
          access off, the private endpoint): the registry, or everything that waits for it, is not created.",
    fix: "Set `sku = \"Premium\"`, or remove the setting (a Basic dev registry stays public: waive ACR004 instead).",
    checkov: &[],
    psrule: &[],
    check: Check::Custom(check),
};

fn check(ctx: &Context) -> Vec<Violation> {
    let mut out = Vec::new();
    for r in ctx.resources_of("azurerm_container_registry") {
        let Some(sku) = registry_sku(r).filter(|s| REGISTRY_SKUS.contains(s)) else {
            continue;
        };
        for (argument, feature) in asked_for(r) {
            if !registry_allows(sku, feature) {
                out.push(violation(
                    r,
                    r.body().attribute(argument),
                    r.body().block(argument).unwrap_or(r.block),
                    format!(
                        "`{argument}` needs the {} SKU, the registry is {sku}",
                        feature.minimum_sku()
                    ),
                ));
            }
        }
        for pe in private_endpoints(ctx, r) {
            if !registry_allows(sku, RegistryFeature::PrivateEndpoint) {
                out.push(violation(
                    r,
                    r.body().attribute("sku"),
                    r.block,
                    format!(
                        "{} connects a private endpoint, which needs the Premium SKU; the registry is {sku}",
                        pe.address()
                    ),
                ));
            }
        }
    }
    out
}

/// The SKU-gated features the registry's arguments ask for, with the argument.
fn asked_for(r: &Resource) -> Vec<(&'static str, RegistryFeature)> {
    let body = r.body();
    let is = |name: &str, want: bool| body.get(name).and_then(expr::as_bool) == Some(want);
    // A block, or a non-empty literal list (`network_rule_set` and `encryption` are attributes-as-blocks; in a plan,
    // a value known only after apply is not asked for).
    let present = |name: &str| {
        body.block(name).is_some()
            || matches!(body.get(name), Some(crate::terraform::Expression::Array(v)) if !v.is_empty())
    };
    let mut out = Vec::new();
    if present("georeplications") {
        out.push(("georeplications", RegistryFeature::GeoReplication));
    }
    let flags = [
        ("zone_redundancy_enabled", true, RegistryFeature::ZoneRedundancy),
        ("data_endpoint_enabled", true, RegistryFeature::DataEndpoint),
        (
            "public_network_access_enabled",
            false,
            RegistryFeature::PublicNetworkAccessOff,
        ),
        ("export_policy_enabled", false, RegistryFeature::ExportPolicyOff),
        ("quarantine_policy_enabled", true, RegistryFeature::Quarantine),
        ("anonymous_pull_enabled", true, RegistryFeature::AnonymousPull),
    ];
    for (name, want, feature) in flags {
        if is(name, want) {
            out.push((name, feature));
        }
    }
    if body
        .get("retention_policy_in_days")
        .and_then(expr::as_f64)
        .is_some_and(|d| d > 0.0)
    {
        out.push(("retention_policy_in_days", RegistryFeature::Retention));
    }
    if present("network_rule_set") {
        out.push(("network_rule_set", RegistryFeature::NetworkRules));
    }
    if present("encryption") {
        out.push(("encryption", RegistryFeature::Encryption));
    }
    out
}

/// The private endpoints whose connection names the registry.
fn private_endpoints<'c, 'a>(ctx: &'c Context<'a>, r: &'c Resource<'a>) -> Vec<&'c Resource<'a>> {
    let want = r.address().to_string();
    ctx.resources_of("azurerm_private_endpoint")
        .filter(|pe| {
            pe.body().blocks_of("private_service_connection").any(|c| {
                c.body
                    .get("private_connection_resource_id")
                    .and_then(|e| super::apply_support::referenced(ctx, pe, e, "azurerm_container_registry"))
                    .is_some_and(|t| t.address().to_string() == want)
            })
        })
        .collect()
}
