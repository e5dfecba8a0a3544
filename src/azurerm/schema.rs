//! The vendored schemas (azurerm 4.79.0 and hashicorp/time's `time_sleep`), and the built-in set every run starts
//! from: [`builtin_schemas`]. The schema types and the [`Schemas`] value are generic
//! ([`crate::terraform::schema`]).

use crate::terraform::schema::{BlockSchema, Schemas};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

#[derive(Deserialize)]
struct ResourceFile {
    block: BlockSchema,
}

macro_rules! schemas {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("data/schema/", $name, ".json")))),*]
    };
}

const FILES: &[(&str, &str)] = schemas![
    "azurerm_container_app",
    "azurerm_container_app_custom_domain",
    "azurerm_container_app_environment",
    "azurerm_container_app_environment_certificate",
    "azurerm_container_app_environment_managed_certificate",
    "azurerm_container_app_environment_storage",
    "azurerm_container_app_job",
    "azurerm_container_registry",
    "azurerm_container_registry_task",
    "azurerm_container_registry_task_schedule_run_now",
    "azurerm_container_registry_webhook",
    "azurerm_dns_cname_record",
    "azurerm_dns_txt_record",
    "azurerm_key_vault",
    "azurerm_log_analytics_workspace",
    "azurerm_network_security_group",
    "azurerm_private_dns_a_record",
    "azurerm_private_dns_zone",
    "azurerm_private_dns_zone_virtual_network_link",
    "azurerm_private_endpoint",
    "azurerm_resource_group",
    "azurerm_role_assignment",
    "azurerm_storage_account",
    "azurerm_storage_share",
    "azurerm_subnet",
    "azurerm_subnet_network_security_group_association",
    "azurerm_user_assigned_identity",
    "azurerm_virtual_network",
    // hashicorp/time (TIME_PROVIDER_VERSION), written from its Go source: see data/README.md.
    "time_sleep",
];

/// The vendored schemas, by resource type.
fn all() -> &'static BTreeMap<&'static str, BlockSchema> {
    static SCHEMAS: OnceLock<BTreeMap<&'static str, BlockSchema>> = OnceLock::new();
    SCHEMAS.get_or_init(|| {
        FILES
            .iter()
            .map(|(name, text)| {
                let file: ResourceFile = serde_json::from_str(text)
                    .unwrap_or_else(|e| panic!("vendored schema {name}.json is invalid: {e}"));
                (*name, file.block)
            })
            .collect()
    })
}

/// The vendored schema of resource type `resource_type` (azurerm 4.79.0, or `time_sleep`), when it is one infra
/// knows. What a run reads with is [`builtin_schemas`], plus the files it is given.
pub fn resource_schema(resource_type: &str) -> Option<&'static BlockSchema> {
    all().get(resource_type)
}

/// Every resource type with a vendored schema (not Terraform's builtin provider).
pub fn resource_types() -> impl Iterator<Item = &'static str> {
    all().keys().copied()
}

/// The schemas every run knows without being told: Terraform's builtin provider
/// ([`Schemas::terraform_builtin`]), then the vendored azurerm 4.79.0 and `time_sleep` schemas. Files given with
/// `--providers-schema` (or `infra.toml`'s `check.providers_schema`) are added on top and take precedence.
pub fn builtin_schemas() -> &'static Schemas {
    static BUILTIN: OnceLock<Schemas> = OnceLock::new();
    BUILTIN.get_or_init(|| {
        all().iter().fold(Schemas::terraform_builtin(), |s, (name, block)| {
            s.with_resource(name, block.clone())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terraform::schema::NestingMode;

    #[test]
    fn every_vendored_schema_loads() {
        assert_eq!(resource_types().count(), 29);
        let sleep = resource_schema("time_sleep").unwrap();
        assert!(sleep.attributes["id"].computed && sleep.attributes["triggers"].optional);
        let app = resource_schema("azurerm_container_app").unwrap();
        assert!(app.attributes["name"].required);
        let template = &app.block_types["template"];
        assert_eq!(
            (template.nesting_mode, template.min_items, template.max_items),
            (NestingMode::List, 1, 1)
        );
        assert!(app
            .nested(&["template", "container"])
            .unwrap()
            .attributes
            .contains_key("cpu"));
        assert!(resource_schema("azurerm_storage_account").unwrap().attributes["primary_access_key"].sensitive);
        // The built-in set: Terraform's own provider and every vendored schema.
        let builtin = builtin_schemas();
        assert_eq!(builtin.resource_types().count(), 30);
        assert!(builtin.resource("terraform_data").is_some() && builtin.get(true, "terraform_remote_state").is_some());
        assert_eq!(builtin.resource("azurerm_container_app"), Some(app));
    }
}
