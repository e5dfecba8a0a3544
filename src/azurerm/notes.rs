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

    /// The Go schema's ForceNew facts (`data/force-new/`, extracted by its `extract.py` from
    /// hashicorp/terraform-provider-azurerm at the pinned tag): every unconditional `ForceNew: true` path is a
    /// `true` in the notes, and every `true` in the notes is one, or is forced by the resource's `CustomizeDiff`.
    #[test]
    fn force_new_agrees_with_the_provider_go_schema_at_the_pinned_tag() {
        #[derive(Deserialize)]
        struct Facts {
            source: BTreeMap<String, String>,
            resources: BTreeMap<String, Resource>,
        }
        #[derive(Deserialize)]
        struct Resource {
            file: String,
            force_new: Vec<String>,
            customize_diff_force_new: Vec<String>,
        }
        let facts: Facts = serde_json::from_str(include_str!("data/force-new/force-new-v4.79.0.json")).unwrap();
        assert_eq!(facts.source["tag"], format!("v{}", super::super::PROVIDER_VERSION));
        let mut wrong = Vec::new();
        for (resource_type, notes) in all().iter().filter(|(t, _)| t.starts_with("azurerm_")) {
            let Some(go) = facts.resources.get(resource_type) else {
                wrong.push(format!(
                    "{resource_type}: not in the Go schema facts (rerun extract.py)"
                ));
                continue;
            };
            let forced = |p: &String| notes.force_new.get(p) == Some(&serde_json::Value::Bool(true));
            for path in go.force_new.iter().filter(|p| !forced(p)) {
                wrong.push(format!(
                    "{resource_type}.{path}: ForceNew in {}, not `true` in the notes",
                    go.file
                ));
            }
            for path in notes.force_new.keys().filter(|p| forced(p)) {
                if !go.force_new.contains(path) && !go.customize_diff_force_new.contains(path) {
                    wrong.push(format!(
                        "{resource_type}.{path}: `true` in the notes, not ForceNew in {}",
                        go.file
                    ));
                }
            }
        }
        assert!(
            wrong.is_empty(),
            "provider-notes.json disagrees with the Go schema:\n{}",
            wrong.join("\n")
        );
    }
}
