use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The schema of a block (a resource's top level, or a nested block), as `terraform providers schema -json`
/// prints it.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct BlockSchema {
    #[serde(default)]
    /// The block's attributes, by name.
    pub attributes: BTreeMap<String, AttributeSchema>,
    #[serde(default)]
    /// The block's nested block types, by name.
    pub block_types: BTreeMap<String, NestedBlock>,
}

/// One attribute: its type (a cty type in JSON form, e.g. `"string"`, `["map","string"]`) and flags; or, for
/// an attribute with a nested type (plugin protocol 6), the nested attributes and how they nest.
#[derive(Debug, Clone, Deserialize)]
pub struct AttributeSchema {
    #[serde(rename = "type", default)]
    /// The attribute's type, in Terraform's JSON type notation (`"string"`, `["list","string"]`).
    pub ty: serde_json::Value,
    #[serde(default)]
    /// For an attribute of nested type (protocol 6): its attributes and nesting.
    pub nested_type: Option<NestedType>,
    #[serde(default)]
    /// The configuration must set it.
    pub required: bool,
    #[serde(default)]
    /// The configuration may set it.
    pub optional: bool,
    #[serde(default)]
    /// The provider may set it ("known after apply" when unset).
    pub computed: bool,
    #[serde(default)]
    /// Terraform hides its value in plans and output.
    pub sensitive: bool,
    #[serde(default)]
    /// The provider marks it deprecated.
    pub deprecated: bool,
}

/// The nested type of an attribute (`nested_type` in `terraform providers schema -json`).
#[derive(Debug, Clone, Deserialize)]
pub struct NestedType {
    #[serde(default)]
    /// The nested type's attributes, by name.
    pub attributes: BTreeMap<String, AttributeSchema>,
    /// How the nested objects repeat.
    pub nesting_mode: NestingMode,
}

/// A nested block type: how it nests and how many may appear.
#[derive(Debug, Clone, Deserialize)]
pub struct NestedBlock {
    /// How the blocks repeat.
    pub nesting_mode: NestingMode,
    /// The nested block's own schema.
    pub block: BlockSchema,
    #[serde(default)]
    /// The fewest blocks allowed (0: no minimum).
    pub min_items: u64,
    #[serde(default)]
    /// The most blocks allowed (0: no maximum).
    pub max_items: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
/// How a nested block or nested attribute type repeats (Terraform's `nesting_mode`).
pub enum NestingMode {
    /// At most one, an object.
    Single,
    /// Exactly one, never null (an empty block when not written).
    Group,
    /// An ordered list.
    List,
    /// An unordered set.
    Set,
    /// A map keyed by the block's label.
    Map,
}

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
    "azurerm_container_app_environment",
    "azurerm_container_app_environment_storage",
    "azurerm_container_registry",
    "azurerm_container_registry_task",
    "azurerm_container_registry_task_schedule_run_now",
    "azurerm_container_registry_webhook",
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

/// The schema of resource type `resource_type`, when it is one infra knows.
pub fn resource_schema(resource_type: &str) -> Option<&'static BlockSchema> {
    all().get(resource_type)
}

/// Every resource type with a vendored schema.
#[cfg(test)]
pub(crate) fn resource_types() -> impl Iterator<Item = &'static str> {
    all().keys().copied()
}

impl BlockSchema {
    /// The schema of the nested block at `path` (`["template", "container"]`).
    pub fn nested(&self, path: &[&str]) -> Option<&BlockSchema> {
        let mut block = self;
        for p in path {
            block = &block.block_types.get(*p)?.block;
        }
        Some(block)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vendored_schema_loads() {
        assert_eq!(resource_types().count(), 22);
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
    }
}
