//! Provider schemas, as `terraform providers schema -json` prints them, and the one [`Schemas`] value that is
//! handed to the readers (`.tf.json`, plan values), the plan differ and the rules.
//!
//! JSON alone cannot say whether `"rule": {…}` is a nested block or an object-valued argument, nor which
//! attributes are sensitive: Terraform decides both with the provider's schema, and so does infra. Nothing here
//! is provider-specific: which providers' schemas a run knows is decided by its caller (built in: azurerm and
//! `time`, assembled by `crate::azurerm::builtin_schemas`; more from `--providers-schema FILE`). Terraform's own
//! builtin provider (`terraform_data`, `terraform_remote_state`) is here, as [`Schemas::terraform_builtin`].
//!
//! Format: developer.hashicorp.com/terraform/cli/commands/providers/schema (`provider_schemas` →
//! `resource_schemas` / `data_source_schemas` → `block`: `attributes`, `block_types`, `nested_type`).

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// The schema of a block (a resource's top level, or a nested block), as `terraform providers schema -json`
/// prints it.
#[derive(Debug, Clone, Deserialize, Default, PartialEq)]
pub struct BlockSchema {
    /// The block's attributes, by name.
    #[serde(default)]
    pub attributes: BTreeMap<String, AttributeSchema>,
    /// The block's nested block types, by name.
    #[serde(default)]
    pub block_types: BTreeMap<String, NestedBlock>,
}

/// One attribute: its type (a cty type in JSON form, e.g. `"string"`, `["map","string"]`) and flags; or, for
/// an attribute with a nested type (plugin protocol 6), the nested attributes and how they nest.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct AttributeSchema {
    /// The cty type in JSON form (`null` for an attribute with a `nested_type`).
    #[serde(rename = "type", default)]
    pub ty: serde_json::Value,
    /// The nested type of an attribute that has one.
    #[serde(default)]
    pub nested_type: Option<NestedType>,
    /// The configuration must set it.
    #[serde(default)]
    pub required: bool,
    /// The configuration may set it.
    #[serde(default)]
    pub optional: bool,
    /// The provider may set it (known after apply when the configuration leaves it unset).
    #[serde(default)]
    pub computed: bool,
    /// Terraform hides its value in plans and output.
    #[serde(default)]
    pub sensitive: bool,
    /// The provider marks it deprecated.
    #[serde(default)]
    pub deprecated: bool,
}

/// The nested type of an attribute (`nested_type` in `terraform providers schema -json`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct NestedType {
    /// The nested attributes, by name.
    #[serde(default)]
    pub attributes: BTreeMap<String, AttributeSchema>,
    /// How the nested objects nest.
    pub nesting_mode: NestingMode,
}

/// A nested block type: how it nests and how many may appear.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct NestedBlock {
    /// How the blocks nest.
    pub nesting_mode: NestingMode,
    /// The schema of each block.
    pub block: BlockSchema,
    /// The fewest blocks the configuration may write (0: no minimum).
    #[serde(default)]
    pub min_items: u64,
    /// The most blocks the configuration may write (0: no maximum).
    #[serde(default)]
    pub max_items: u64,
}

/// How nested blocks or nested attribute objects nest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NestingMode {
    /// At most one, as an object.
    Single,
    /// Exactly one, as an object (absent means all attributes null).
    Group,
    /// An ordered list.
    List,
    /// An unordered set.
    Set,
    /// A map by label.
    Map,
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

/// `terraform.io/builtin/terraform`'s schemas, as `terraform providers schema -json` prints them for terraform 1.11
/// (internal/builtin/providers/terraform).
const TERRAFORM_BUILTIN: &str = r#"{
  "resource_schemas": {
    "terraform_data": {"version": 0, "block": {"attributes": {
      "id": {"type": "string", "computed": true},
      "input": {"type": "dynamic", "optional": true},
      "output": {"type": "dynamic", "computed": true},
      "triggers_replace": {"type": "dynamic", "optional": true}
    }}}
  },
  "data_source_schemas": {
    "terraform_remote_state": {"version": 0, "block": {"attributes": {
      "backend": {"type": "string", "required": true},
      "config": {"type": "dynamic", "optional": true},
      "defaults": {"type": "dynamic", "optional": true},
      "outputs": {"type": "dynamic", "computed": true},
      "workspace": {"type": "string", "optional": true}
    }}}
  }
}"#;

#[derive(Deserialize)]
struct ProviderFile {
    provider_schemas: BTreeMap<String, Provider>,
}

#[derive(Deserialize, Default)]
struct Provider {
    #[serde(default)]
    resource_schemas: BTreeMap<String, Schema>,
    #[serde(default)]
    data_source_schemas: BTreeMap<String, Schema>,
}

#[derive(Deserialize)]
struct Schema {
    block: BlockSchema,
}

/// Resource and data source schemas, by type: the one value the readers, the differ and the rules are given.
/// Schemas added later take precedence over earlier ones of the same type. Cloning is cheap (the maps are
/// shared until one side adds to them).
#[derive(Default, Clone, PartialEq)]
pub struct Schemas {
    resources: Arc<BTreeMap<String, BlockSchema>>,
    data_sources: Arc<BTreeMap<String, BlockSchema>>,
}

/// The types only: a provider's schemas run to megabytes.
impl std::fmt::Debug for Schemas {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Schemas")
            .field("resources", &self.resources.keys().collect::<Vec<_>>())
            .field("data_sources", &self.data_sources.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// A provider schema file that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    /// The file cannot be read (missing, not a regular file, too large).
    #[error("{path}: {source}")]
    Read {
        /// The file, as given.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file is not JSON in the shape `terraform providers schema -json` prints.
    #[error(
        "{path}: not the output of `terraform providers schema -json` ({source})\nhelp: write it with `terraform \
         providers schema -json > schemas.json` in the configuration's directory"
    )]
    NotProviderSchemas {
        /// The file, as given.
        path: String,
        /// What is wrong, with the line and column.
        #[source]
        source: serde_json::Error,
    },
}

impl Schemas {
    /// Terraform's own builtin provider (`terraform_data`, `terraform_remote_state`), which every configuration
    /// may use.
    pub fn terraform_builtin() -> Schemas {
        let provider: Provider = serde_json::from_str(TERRAFORM_BUILTIN).expect("the builtin schema is valid");
        let mut s = Schemas::default();
        s.add(provider);
        s
    }

    /// These schemas and those of the `terraform providers schema -json` output in the file at `path`, which take
    /// precedence.
    pub fn with_file(self, path: &Path) -> Result<Schemas, SchemaError> {
        let shown = path.display().to_string();
        let text = crate::fsutil::read_bounded(path, crate::fsutil::PLAN_LIMIT).map_err(|e| SchemaError::Read {
            path: shown.clone(),
            source: e.into(),
        })?;
        self.with_json(&shown, &text)
    }

    /// These schemas and those of a `terraform providers schema -json` document (`path` names it in errors),
    /// which take precedence.
    pub fn with_json(mut self, path: &str, json: &[u8]) -> Result<Schemas, SchemaError> {
        let file: ProviderFile = serde_json::from_slice(json).map_err(|source| SchemaError::NotProviderSchemas {
            path: path.to_string(),
            source,
        })?;
        for (_, p) in file.provider_schemas {
            self.add(p);
        }
        Ok(self)
    }

    /// These schemas and the resource schema `block` for `resource_type`, which takes precedence.
    pub fn with_resource(mut self, resource_type: &str, block: BlockSchema) -> Schemas {
        Arc::make_mut(&mut self.resources).insert(resource_type.to_string(), block);
        self
    }

    fn add(&mut self, p: Provider) {
        Arc::make_mut(&mut self.resources).extend(p.resource_schemas.into_iter().map(|(k, v)| (k, v.block)));
        Arc::make_mut(&mut self.data_sources).extend(p.data_source_schemas.into_iter().map(|(k, v)| (k, v.block)));
    }

    /// The schema of managed resource type `resource_type`.
    pub fn resource(&self, resource_type: &str) -> Option<&BlockSchema> {
        self.resources.get(resource_type)
    }

    /// The schema of a managed resource (`data == false`) or data source type.
    pub fn get(&self, data: bool, resource_type: &str) -> Option<&BlockSchema> {
        match data {
            true => self.data_sources.get(resource_type),
            false => self.resources.get(resource_type),
        }
    }

    /// The schema a `resource` (`data == false`) or `data` block of `resource_type` is read with: a data source
    /// without a schema of its own is read with the resource schema of the same type (a provider's data source
    /// mirrors its resource's nested blocks; infra's built-in set has resource schemas only).
    pub(crate) fn for_block(&self, data: bool, resource_type: &str) -> Option<&BlockSchema> {
        self.get(data, resource_type).or_else(|| self.resource(resource_type))
    }

    /// Every managed resource type with a schema, in name order.
    pub fn resource_types(&self) -> impl Iterator<Item = &str> {
        self.resources.keys().map(String::as_str)
    }
}

/// A small hand-written provider schema for unit tests: `acme_app` with an `identity` block, a `template` block
/// holding `container` blocks, an object-valued `tags` argument and a sensitive `admin_password`.
#[cfg(test)]
pub(crate) fn test_schemas() -> Schemas {
    let json = br#"{"provider_schemas": {"acme/acme": {"resource_schemas": {"acme_app": {"block": {
        "attributes": {
            "name": {"type": "string", "required": true},
            "tags": {"type": ["map", "string"], "optional": true},
            "admin_password": {"type": "string", "optional": true, "sensitive": true}
        },
        "block_types": {
            "identity": {"nesting_mode": "list", "max_items": 1, "block": {"attributes": {
                "type": {"type": "string", "required": true},
                "identity_ids": {"type": ["set", "string"], "optional": true}}}},
            "template": {"nesting_mode": "list", "min_items": 1, "max_items": 1, "block": {"block_types": {
                "container": {"nesting_mode": "list", "block": {"attributes": {
                    "cpu": {"type": "number", "required": true}}}}}}}
        }}}}}}}"#;
    Schemas::default()
        .with_json("test", json)
        .expect("the test schema is valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_schemas_take_precedence_and_errors_are_typed() {
        let json = br#"{"format_version": "1.0", "provider_schemas": {"registry.terraform.io/acme/acme": {
            "resource_schemas": {"terraform_data": {"block": {"attributes": {"x": {"type": "string"}}}}},
            "data_source_schemas": {"acme_thing": {"block": {"block_types": {"rule": {
                "nesting_mode": "list", "block": {}}}}}}}}}"#;
        let s = Schemas::terraform_builtin().with_json("s.json", json).unwrap();
        assert!(s.resource("terraform_data").unwrap().attributes.contains_key("x"));
        assert!(s.get(true, "terraform_remote_state").is_some());
        assert!(s.get(false, "acme_thing").is_none());
        assert!(s
            .for_block(true, "acme_thing")
            .unwrap()
            .block_types
            .contains_key("rule"));
        let err = Schemas::default().with_json("bad.json", b"{}").unwrap_err();
        assert!(matches!(err, SchemaError::NotProviderSchemas { .. }));
        assert!(err.to_string().starts_with("bad.json: not the output of"), "{err}");
        assert!(err.to_string().contains("\nhelp: "), "{err}");
        let missing = Schemas::default()
            .with_file(Path::new("/nonexistent/s.json"))
            .unwrap_err();
        assert!(matches!(missing, SchemaError::Read { .. }), "{missing}");
    }
}
