use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// What the provider's Go source says about a resource type that its JSON schema does not: which arguments
/// force replacement (`ForceNew`), defaults, validation rules.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ProviderNotes {
    /// Argument paths (`name`, `template.container.name`) → whether changing them forces replacement.
    #[serde(default)]
    pub force_new: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    pub defaults: BTreeMap<String, serde_json::Value>,
    /// Read by the tests only (they hold the stack's checks to it).
    #[cfg(test)]
    #[serde(default)]
    pub validation: BTreeMap<String, serde_json::Value>,
}

const NOTES: &str = include_str!("data/provider-notes.json");

fn all() -> &'static BTreeMap<String, ProviderNotes> {
    static ALL: OnceLock<BTreeMap<String, ProviderNotes>> = OnceLock::new();
    ALL.get_or_init(|| serde_json::from_str(NOTES).expect("vendored provider-notes.json is invalid"))
}

impl ProviderNotes {
    /// The notes for `resource_type`.
    pub(crate) fn of(resource_type: &str) -> Option<&'static ProviderNotes> {
        all().get(resource_type)
    }
}

/// Whether changing argument `path` (dot-separated, e.g. `location`, `template.container.name`) of a
/// `resource_type` forces replacement. `Some(true)` when the provider marks it ForceNew (unconditionally),
/// `Some(false)` when it is updated in place or only conditionally forces (see the notes), `None` when
/// the resource type is unknown.
pub fn force_new(resource_type: &str, path: &str) -> Option<bool> {
    let notes = ProviderNotes::of(resource_type)?;
    Some(matches!(notes.force_new.get(path), Some(serde_json::Value::Bool(true))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_force_new_arguments() {
        assert_eq!(force_new("azurerm_container_registry", "name"), Some(true));
        assert_eq!(force_new("azurerm_container_registry", "sku"), Some(false));
        assert_eq!(
            force_new("azurerm_container_app", "container_app_environment_id"),
            Some(true)
        );
        assert_eq!(force_new("azurerm_role_assignment", "principal_id"), Some(true));
        assert_eq!(force_new("aws_instance", "ami"), None);
    }
}
