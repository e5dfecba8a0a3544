//! The rules, one file each, named by ID and meaning. IDs are stable: never renumber or reuse one.

use super::Rule;
use crate::terraform::{expr, Resource};

mod acr001_admin_user;
mod acr002_anonymous_pull;
mod acr003_min_sku;
mod acr004_firewall;
mod acr005_geo_replication;
mod acr006_zone_redundancy;
mod acr007_retention;
mod acr008_content_trust;
mod acr009_quarantine;
mod acr010_data_endpoints;
mod acr011_export_policy;
mod acr012_webhook_https;
mod acr013_name;
mod acr014_premium_rules_skipped;
mod acr015_webhook_secrets;
mod app001_registry_identity;
mod app002_identity_assigned;
mod app003_insecure_ingress;
mod app004_ip_allow_list;
mod app005_min_replicas;
mod app006_probes;
mod app007_image_pinned;
mod app008_image_registry;
mod app009_cpu_memory;
mod app010_name;
mod app011_secret_value_literal;
mod apply001_storage_data_plane;
mod apply002_storage_ip_rules;
mod apply003_export_policy_public;
mod apply004_replica_own_region;
mod apply005_premium_settings;
mod apply006_environment_subnet;
mod apply007_private_registry_pull;
mod apply008_subnet_update_order;
mod apply009_zones_in_region;
mod apply_support;
mod env001_log_analytics;
mod gen001_required_tags;
mod gen002_allowed_regions;
mod gen003_suppression_reason;
mod iam001_acr_pull_scope;
mod iam002_least_privilege;
mod iam003_principal_type;
mod iam004_depends_on_role;
mod iam005_privileged_managed_identity;
mod iam006_broad_scope;
mod kv001_rbac_authorization;
mod kv002_purge_protection;
mod net001_private_endpoint_dns;
mod stg001_tls;
mod stg002_https_only;
mod stg003_public_blob;
mod stg004_shared_key;
mod stg005_public_network;
mod stg006_sas_policy;

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
    &app011_secret_value_literal::RULE,
    &apply001_storage_data_plane::RULE,
    &apply002_storage_ip_rules::RULE,
    &apply003_export_policy_public::RULE,
    &apply004_replica_own_region::RULE,
    &apply005_premium_settings::RULE,
    &apply006_environment_subnet::RULE,
    &apply007_private_registry_pull::RULE,
    &apply008_subnet_update_order::RULE,
    &apply009_zones_in_region::RULE,
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
    &kv001_rbac_authorization::RULE,
    &kv002_purge_protection::RULE,
    &net001_private_endpoint_dns::RULE,
    &stg001_tls::RULE,
    &stg002_https_only::RULE,
    &stg003_public_blob::RULE,
    &stg004_shared_key::RULE,
    &stg005_public_network::RULE,
    &stg006_sas_policy::RULE,
];

/// The registry's SKU, when it is a literal.
pub(crate) fn registry_sku<'a>(res: &Resource<'a>) -> Option<&'a str> {
    res.get("sku").and_then(expr::as_str)
}

/// The role assignments that grant a privileged role ([`crate::azurerm::facts::roles::PRIVILEGED`]): each with
/// the role's name and the argument that names it (where a finding points).
pub(crate) fn privileged_assignments<'c, 'a>(
    ctx: &'c crate::check::Context<'a>,
) -> impl Iterator<Item = (&'c Resource<'a>, String, Option<&'a crate::terraform::Attribute>)> + 'c {
    ctx.resources_of("azurerm_role_assignment").filter_map(|ra| {
        let role = role_name(ra)?;
        crate::azurerm::facts::roles::PRIVILEGED
            .iter()
            .any(|p| p.eq_ignore_ascii_case(&role))
            .then(|| {
                let named_by = ra
                    .body()
                    .attribute("role_definition_name")
                    .or_else(|| ra.body().attribute("role_definition_id"));
                (ra, role, named_by)
            })
    })
}

/// The role an `azurerm_role_assignment` grants, from `role_definition_name` or a built-in `role_definition_id`
/// ([`crate::azurerm::facts::roles`]).
pub(crate) fn role_name(res: &Resource) -> Option<String> {
    if let Some(n) = res.get("role_definition_name").and_then(expr::as_str) {
        return Some(n.to_string());
    }
    let id = res.get("role_definition_id").and_then(expr::as_str)?;
    crate::azurerm::facts::roles::builtin_name(id).map(str::to_string)
}

/// The identity instances a container app pulls its images with: addresses of the user-assigned identities
/// `registry.identity` refers to ([`crate::check::Context::targets`]), or the app's own address for
/// `identity = "System"`.
pub(crate) fn pull_identities(ctx: &crate::check::Context, app: &Resource) -> Vec<String> {
    let mut out = Vec::new();
    for reg in app.body().blocks_of("registry") {
        let Some(id) = reg.body.get("identity") else { continue };
        if expr::as_str(id).is_some_and(|s| s.eq_ignore_ascii_case("system")) {
            out.push(app.address().to_string());
        } else {
            out.extend(ctx.target_addresses(app, id));
        }
    }
    out.dedup();
    out
}

/// The containers of a container app's template that run an image: `container` and `init_container` blocks.
pub(crate) fn containers<'a>(app: &Resource<'a>) -> Vec<&'a crate::terraform::Block> {
    app.body()
        .blocks_of("template")
        .flat_map(|t| {
            t.body
                .blocks()
                .filter(|b| b.kind == "container" || b.kind == "init_container")
        })
        .collect()
}

/// The long-running containers of a container app's template (`container` blocks, not `init_container`): what
/// probes and the app's CPU/memory total are about.
pub(crate) fn app_containers<'a>(app: &Resource<'a>) -> Vec<&'a crate::terraform::Block> {
    app.body()
        .blocks_of("template")
        .flat_map(|t| t.body.blocks_of("container"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::check::{check, Check, EnabledWhen, Resources, Settings};
    use crate::terraform::{Config, Format};

    fn config(hcl: &str) -> Config {
        Config {
            files: vec![Config::parse_file_with(
                "t.tf",
                "t.tf".into(),
                Format::Hcl,
                hcl,
                crate::azurerm::builtin_schemas(),
            )
            .unwrap()],
        }
    }

    fn findings(id: &str, config: &Config, production: bool) -> usize {
        let report = check(config, &Settings::default(), None, production);
        report.findings.iter().filter(|f| f.rule == id).count()
    }

    /// Forbidden-value rows agree with the provider defaults: a finding for a left-out argument exactly when its
    /// default is forbidden, and every "defaults to X" a rule's text states is the default the facts hold.
    #[test]
    fn forbidden_values_agree_with_the_provider_defaults() {
        let mut rows = 0;
        for r in ALL {
            let Check::Forbidden(f) = &r.check else { continue };
            let Resources::Types(types) = r.resources else {
                panic!("{}: a forbidden-value rule names its resource types", r.id)
            };
            for t in types {
                rows += 1;
                let schema = crate::azurerm::resource_schema(t).unwrap();
                let parts: Vec<&str> = f.attribute.split('.').collect();
                let (last, blocks) = parts.split_last().unwrap();
                let holder = schema
                    .nested(blocks)
                    .unwrap_or_else(|| panic!("{}: no block {}", r.id, f.attribute));
                assert!(
                    holder.attributes.contains_key(*last),
                    "{}: {t} has no {}",
                    r.id,
                    f.attribute
                );
                let default = crate::azurerm::facts::defaults::default(t, f.attribute);
                let forbidden_default = default.is_some_and(|d| f.values.iter().any(|v| v.to_json() == *d));
                assert_eq!(
                    f.unset_message.is_some(),
                    forbidden_default,
                    "{}: unset_message must be set exactly when the default ({default:?}) is forbidden",
                    r.id
                );
                for text in [r.description, r.fix, f.unset_message.unwrap_or("")] {
                    let phrases = ["defaults to ", "default is "];
                    let stated_at = phrases
                        .iter()
                        .flat_map(|p| text.match_indices(p).map(move |(i, _)| i + p.len()));
                    for i in stated_at {
                        let stated: String = text[i..]
                            .trim_start_matches('`')
                            .chars()
                            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                            .collect();
                        let actual = default.map(|d| d.as_str().map_or_else(|| d.to_string(), str::to_string));
                        assert_eq!(
                            Some(stated),
                            actual,
                            "{}: the text states a default the facts do not hold",
                            r.id
                        );
                    }
                }
            }
        }
        assert!(rows >= 10);
    }

    #[test]
    fn premium_only_is_declared_where_the_text_says_so() {
        for r in ALL {
            assert_eq!(
                r.description.contains("Premium only."),
                r.enabled_when == EnabledWhen::PremiumRegistry,
                "{}",
                r.id
            );
        }
    }

    /// A Premium-only rule judges Premium registries only: the same registry, Standard, has no finding.
    #[test]
    fn premium_only_rules_skip_other_skus() {
        let registry = |sku: &str| {
            config(&format!(
                "resource \"azurerm_container_registry\" \"r\" {{\n  name = \"acrexample1\"\n  sku = \"{sku}\"\n}}\n"
            ))
        };
        for r in ALL.iter().filter(|r| r.enabled_when == EnabledWhen::PremiumRegistry) {
            assert!(
                findings(r.id, &registry("Premium"), false) > 0,
                "{} finds nothing on a bare Premium registry",
                r.id
            );
            assert_eq!(findings(r.id, &registry("Standard"), false), 0, "{}", r.id);
        }
    }

    /// Stack validation and the check rules judge names and CPU/memory the same way: a value the stack accepts
    /// renders to Terraform the rules pass, and a value the rules reject is one the stack rejects.
    #[test]
    fn stack_validation_and_rules_agree() {
        use crate::stack::names::{ContainerAppName, RegistryName};
        let long = "a".repeat(51);
        for name in [
            "acrexample1",
            "acr-example",
            "acr1",
            "Acr12345",
            "acr_12345",
            "ACR",
            long.as_str(),
            "acré1234",
        ] {
            let doc = config(&format!(
                "resource \"azurerm_container_registry\" \"r\" {{\n  name = \"{name}\"\n  sku = \"Premium\"\n}}\n"
            ));
            assert_eq!(
                RegistryName::new(name).is_ok(),
                findings("ACR013", &doc, false) == 0,
                "{name}"
            );
        }
        let long = "a".repeat(33);
        for name in ["ca-api", "ca--api", "1api", "api-", "a", "ab", long.as_str(), "Api"] {
            let doc = config(&format!(
                "resource \"azurerm_container_app\" \"a\" {{\n  name = \"{name}\"\n}}\n"
            ));
            assert_eq!(
                ContainerAppName::new(name).is_ok(),
                findings("APP010", &doc, false) == 0,
                "{name}"
            );
        }
        // CPU and memory: through stack validation and render, then check.
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/stacks/dev.toml")).unwrap();
        for (cpu, memory) in [
            (0.5, "1Gi"),
            (0.5, "1.0Gi"),
            (0.5, "2Gi"),
            (1.0, "2Gi"),
            (4.0, "8Gi"),
            (0.25, "1Gi"),
        ] {
            let mut stack = crate::stack::Stack::from_toml("dev.toml", &text).unwrap();
            stack.container_app.as_mut().unwrap().container.cpu = crate::stack::Cpu::new(cpu).unwrap();
            stack.container_app.as_mut().unwrap().container.memory = crate::stack::Memory::new(memory).unwrap();
            let stack_ok = !stack.violations().iter().any(|v| v.field().contains("memory"));
            let doc = crate::render::render(&stack, Format::Hcl);
            assert_eq!(
                stack_ok,
                findings("APP009", &doc, false) == 0,
                "cpu {cpu} memory {memory}"
            );
        }
    }

    #[test]
    fn ids_are_unique_sorted_and_match_file_names() {
        let ids: Vec<_> = ALL.iter().map(|r| r.id).collect();
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
