//! The rules, one file each, named by ID and meaning. IDs are stable: never renumber or reuse one.

use super::{violation, Context, Rule, Violation};
use crate::terraform::{expr, Resource};

pub mod acr001_admin_user;
pub mod acr002_anonymous_pull;
pub mod acr003_min_sku;
pub mod acr004_firewall;
pub mod acr005_geo_replication;
pub mod acr006_zone_redundancy;
pub mod acr007_retention;
pub mod acr008_content_trust;
pub mod acr009_quarantine;
pub mod acr010_data_endpoints;
pub mod acr011_export_policy;
pub mod acr012_webhook_https;
pub mod acr013_name;
pub mod acr014_premium_rules_skipped;
pub mod acr015_webhook_secrets;
pub mod app001_registry_identity;
pub mod app002_identity_assigned;
pub mod app003_insecure_ingress;
pub mod app004_ip_allow_list;
pub mod app005_min_replicas;
pub mod app006_probes;
pub mod app007_image_pinned;
pub mod app008_image_registry;
pub mod app009_cpu_memory;
pub mod app010_name;
pub mod env001_log_analytics;
pub mod gen001_required_tags;
pub mod gen002_allowed_regions;
pub mod gen003_suppression_reason;
pub mod iam001_acr_pull_scope;
pub mod iam002_least_privilege;
pub mod iam003_principal_type;
pub mod iam004_depends_on_role;
pub mod iam005_privileged_managed_identity;
pub mod iam006_broad_scope;
pub mod net001_private_endpoint_dns;
pub mod stg001_tls;
pub mod stg002_https_only;
pub mod stg003_public_blob;
pub mod stg004_shared_key;
pub mod stg005_public_network;
pub mod stg006_sas_policy;

/// Every rule, in ID order.
pub static ALL: &[&Rule] = &[
    &acr001_admin_user::RULE,
    &acr002_anonymous_pull::RULE,
    &acr003_min_sku::RULE,
    &acr004_firewall::RULE,
    &acr005_geo_replication::RULE,
    &acr006_zone_redundancy::RULE,
    &acr007_retention::RULE,
    &acr008_content_trust::RULE,
    &acr009_quarantine::RULE,
    &acr010_data_endpoints::RULE,
    &acr011_export_policy::RULE,
    &acr012_webhook_https::RULE,
    &acr013_name::RULE,
    &acr014_premium_rules_skipped::RULE,
    &acr015_webhook_secrets::RULE,
    &app001_registry_identity::RULE,
    &app002_identity_assigned::RULE,
    &app003_insecure_ingress::RULE,
    &app004_ip_allow_list::RULE,
    &app005_min_replicas::RULE,
    &app006_probes::RULE,
    &app007_image_pinned::RULE,
    &app008_image_registry::RULE,
    &app009_cpu_memory::RULE,
    &app010_name::RULE,
    &env001_log_analytics::RULE,
    &gen001_required_tags::RULE,
    &gen002_allowed_regions::RULE,
    &gen003_suppression_reason::RULE,
    &iam001_acr_pull_scope::RULE,
    &iam002_least_privilege::RULE,
    &iam003_principal_type::RULE,
    &iam004_depends_on_role::RULE,
    &iam005_privileged_managed_identity::RULE,
    &iam006_broad_scope::RULE,
    &net001_private_endpoint_dns::RULE,
    &stg001_tls::RULE,
    &stg002_https_only::RULE,
    &stg003_public_blob::RULE,
    &stg004_shared_key::RULE,
    &stg005_public_network::RULE,
    &stg006_sas_policy::RULE,
];

/// The registry's SKU, when it is a literal.
pub fn registry_sku<'a>(res: &Resource<'a>) -> Option<&'a str> {
    res.get("sku").and_then(expr::as_str)
}

/// Registries whose SKU is literally `Premium`: the ones Premium-only rules apply to.
pub fn premium_registries<'c, 'a>(ctx: &'c Context<'a>) -> impl Iterator<Item = &'c Resource<'a>> + 'c {
    ctx.resources_of("azurerm_container_registry")
        .filter(|r| registry_sku(r) == Some("Premium"))
}

/// A violation per resource of `resource_type` whose `attribute` is literally `bad`.
pub fn literal_is(ctx: &Context, resource_type: &str, attribute: &str, bad: bool, message: &str) -> Vec<Violation> {
    ctx.resources_of(resource_type)
        .filter(|r| r.body().get(attribute).and_then(expr::as_bool) == Some(bad))
        .map(|r| violation(r, r.body().attribute(attribute), r.block, message))
        .collect()
}

/// For Premium registries: a violation when `attribute` is not set (at the block) or literally `false` (at the
/// attribute). A non-literal value is unknown and passes.
pub fn premium_requires_true(ctx: &Context, attribute: &str, missing: &str, disabled: &str) -> Vec<Violation> {
    premium_registries(ctx)
        .filter_map(|r| match r.body().attribute(attribute) {
            None => Some(violation(r, None, r.block, missing)),
            Some(a) if expr::as_bool(&a.value) == Some(false) => Some(violation(r, Some(a), r.block, disabled)),
            Some(_) => None,
        })
        .collect()
}

/// Every rule, by ID.
pub fn ids() -> impl Iterator<Item = &'static str> {
    ALL.iter().map(|r| r.id)
}

/// The role an `azurerm_role_assignment` grants, from `role_definition_name` or a built-in `role_definition_id`
/// ([`crate::azurerm::facts::roles`]).
pub fn role_name(res: &Resource) -> Option<String> {
    if let Some(n) = res.get("role_definition_name").and_then(expr::as_str) {
        return Some(n.to_string());
    }
    let id = res.get("role_definition_id").and_then(expr::as_str)?;
    crate::azurerm::facts::roles::builtin_name(id).map(str::to_string)
}

/// The identity resources a container app pulls its images with: addresses of user-assigned identities referenced
/// by `registry.identity`, or the app's own address for `identity = "System"`.
pub fn pull_identities(app: &Resource) -> Vec<String> {
    let mut out = Vec::new();
    for reg in app.body().blocks_of("registry") {
        let Some(id) = reg.body.get("identity") else { continue };
        if expr::as_str(id).is_some_and(|s| s.eq_ignore_ascii_case("system")) {
            out.push(app.address().to_string());
        } else {
            out.extend(expr::referenced_resources(id));
        }
    }
    out.dedup();
    out
}

/// The containers of a container app's template.
pub fn containers<'a>(app: &Resource<'a>) -> Vec<&'a crate::terraform::Block> {
    app.body()
        .blocks_of("template")
        .flat_map(|t| t.body.blocks_of("container"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_sorted_and_match_file_names() {
        let ids: Vec<_> = ids().collect();
        let mut sorted = ids.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(ids, sorted);
        for r in ALL {
            assert!(!r.title.is_empty() && !r.description.is_empty() && !r.why.is_empty() && !r.fix.is_empty());
            let prefix = r.id.to_ascii_lowercase();
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/check/rules");
            let found = std::fs::read_dir(&dir).unwrap().any(|e| {
                e.unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with(&format!("{prefix}_"))
            });
            assert!(found, "no file for {}", r.id);
        }
    }
}
