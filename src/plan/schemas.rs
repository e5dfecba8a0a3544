//! Provider schemas for rendering a plan as Terraform does: a plan JSON does not carry them, and Terraform's
//! renderer decides nesting (blocks, nested attributes, sets) and sensitivity from them.
//!
//! Built in: the vendored azurerm 4.79.0 resource schemas ([`crate::azurerm::resource_schema`]) and Terraform's
//! own builtin provider (`terraform.io/builtin/terraform`: `terraform_data`, `terraform_remote_state`, as
//! `terraform providers schema -json` prints them for terraform 1.11). More come from a file written by
//! `terraform providers schema -json` ([`Schemas::load`], `infra diff --plan --providers-schema FILE`); they
//! take precedence.

use crate::azurerm::BlockSchema;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// `terraform.io/builtin/terraform`'s schemas (terraform 1.11: internal/builtin/providers/terraform).
const BUILTIN: &str = r#"{
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

#[derive(Deserialize, Default)]
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

/// Resource and data source schemas, by type.
#[derive(Default, Clone)]
pub struct Schemas {
    resources: BTreeMap<String, BlockSchema>,
    data_sources: BTreeMap<String, BlockSchema>,
}

/// A schema file that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct SchemaError {
    /// The schema file.
    pub path: String,
    /// What is wrong with it.
    pub message: String,
}

impl Schemas {
    /// The built-in schemas only.
    pub fn builtin() -> Schemas {
        let mut s = Schemas::default();
        let builtin: Provider = serde_json::from_str(BUILTIN).expect("the builtin schema is valid");
        s.add(builtin);
        s
    }

    /// The built-in schemas and those of `terraform providers schema -json` output in `path`.
    pub fn load(path: &Path) -> Result<Schemas, SchemaError> {
        let err = |message: String| SchemaError {
            path: path.display().to_string(),
            message,
        };
        let text = crate::fsutil::read_bounded(path, crate::fsutil::PLAN_LIMIT).map_err(|e| err(e.to_string()))?;
        Schemas::builtin().with_json(&text).map_err(err)
    }

    /// These schemas and those of a `terraform providers schema -json` document.
    pub(crate) fn with_json(mut self, json: &[u8]) -> Result<Schemas, String> {
        let file: ProviderFile = serde_json::from_slice(json).map_err(|e| {
            format!("not the output of `terraform providers schema -json` ({e})\nhelp: write it with `terraform providers schema -json > schemas.json` in the configuration's directory")
        })?;
        for (_, p) in file.provider_schemas {
            self.add(p);
        }
        Ok(self)
    }

    fn add(&mut self, p: Provider) {
        self.resources
            .extend(p.resource_schemas.into_iter().map(|(k, v)| (k, v.block)));
        self.data_sources
            .extend(p.data_source_schemas.into_iter().map(|(k, v)| (k, v.block)));
    }

    /// The schema of a managed resource (`data == false`) or data source type.
    pub fn get(&self, data: bool, resource_type: &str) -> Option<&BlockSchema> {
        let own = if data { &self.data_sources } else { &self.resources };
        own.get(resource_type).or_else(|| {
            (!data)
                .then(|| crate::azurerm::resource_schema(resource_type))
                .flatten()
        })
    }
}
