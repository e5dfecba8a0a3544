//! The values of a module's input variables, from every source Terraform reads, in Terraform's precedence
//! (developer.hashicorp.com/terraform/language/values/variables, "Variable Definition Precedence"), later
//! sources overriding earlier ones:
//! the `default`; `TF_VAR_<name>` environment variables; `terraform.tfvars`; `terraform.tfvars.json`;
//! `*.auto.tfvars` and `*.auto.tfvars.json` in lexical order of their names; then `--var-file` and `--var` as
//! given (infra applies every `--var-file` before every `--var`; Terraform takes the two in command-line order).

use super::super::{Config, Location, ReadError};
use super::types::{self, Type};
use hcl::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Variable values given on the command line and in the environment.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// `--var-file FILE`, in order.
    pub var_files: Vec<PathBuf>,
    /// `--var NAME=VALUE`, in order.
    pub vars: Vec<String>,
    /// `TF_VAR_<name>` environment variables: (name, value).
    pub env: Vec<(String, String)>,
    /// Leave every variable declared `sensitive = true` (and every `sensitive` module output) without a value,
    /// whatever its sources say, so its value can never be written into the evaluated configuration: what
    /// `infra diff` needs, where such values must read `(sensitive value)`. `infra check` judges them.
    pub withhold_sensitive: bool,
    /// How much evaluating may build (see [`super::Limits`]); reaching a limit is an error.
    pub limits: super::Limits,
    /// The provider schemas the `.tf.json` files of called modules are read with (the root module's files are
    /// read before evaluating, with the same value). `None`: no provider's, so in those files an object is an
    /// argument unless it is one of Terraform's own blocks.
    pub schemas: Option<crate::terraform::Schemas>,
}

impl Inputs {
    /// `var_files` and `vars` from the command line, and every `TF_VAR_*` variable of this process.
    pub(crate) fn from_env(var_files: Vec<PathBuf>, vars: Vec<String>) -> Inputs {
        let mut env: Vec<(String, String)> = std::env::vars()
            .filter_map(|(k, v)| k.strip_prefix("TF_VAR_").map(|n| (n.to_string(), v)))
            .collect();
        env.sort();
        Inputs {
            var_files,
            vars,
            env,
            withhold_sensitive: false,
            limits: super::Limits::default(),
            schemas: None,
        }
    }
}

struct Declared<'a> {
    ty: Type,
    location: Option<&'a Location>,
}

/// A variable's `default`, converted to its type (`None`: no default, or one that is not a literal). A default
/// that does not convert is an error at the default.
fn default_of(block: &super::super::Block, ty: &Type) -> Result<Option<Value>, ReadError> {
    let Some(default) = block.body.attribute("default") else {
        return Ok(None);
    };
    let Ok(value) = super::arith::evaluate(&default.value, &super::arith::literal_context()) else {
        return Ok(None);
    };
    let name = block.labels.first().map(String::as_str).unwrap_or_default();
    types::convert(value, ty).map(Some).map_err(|e| {
        let message = format!(
            "Invalid default value for variable `{name}`: this default value is not compatible with the \
             variable's type constraint: {e}\nhelp: change the default to a value of the declared type"
        );
        at(default.location.as_ref().or(block.location.as_ref()), message)
    })
}

fn at(location: Option<&Location>, message: String) -> ReadError {
    match location {
        Some(l) => ReadError::at(l.clone(), message),
        None => ReadError::new(message),
    }
}

/// The values of the variables of `config`, and the names of those whose value comes from a `TF_VAR_*`
/// environment variable (sensitive: CI keeps secrets there).
pub(super) fn values(
    config: &Config,
    dir: &Path,
    inputs: &Inputs,
    root: &Path,
    not_read: &mut Vec<ReadError>,
) -> Result<(BTreeMap<String, Value>, BTreeSet<String>), ReadError> {
    let mut declared: BTreeMap<String, Declared> = BTreeMap::new();
    let declared_sensitive = sensitive(config);
    let mut from_env: BTreeSet<String> = BTreeSet::new();
    let mut values: BTreeMap<String, Value> = BTreeMap::new();
    for (_, block) in config.blocks_of("variable") {
        let Some(name) = block.labels.first() else { continue };
        let ty = Type::parse(block.body.get("type"));
        if let Some(v) = default_of(block, &ty)? {
            values.insert(name.clone(), v);
        }
        declared.insert(
            name.clone(),
            Declared {
                ty,
                location: block.location.as_ref(),
            },
        );
    }
    let set = |values: &mut BTreeMap<String, Value>, name: &str, value: Value, source: &str| {
        let Some(d) = declared.get(name) else {
            return Ok(()); // Terraform warns about values for undeclared variables in files and the environment.
        };
        // The message never quotes the value: it may be secret (declared so, or from the environment).
        let value = types::convert(value, &d.ty).map_err(|e| {
            let message = format!(
                "Invalid value for input variable `{name}` (from {source}): the given value is not suitable for \
                 var.{name}: {e}\nhelp: give a value of the type the variable declares"
            );
            at(d.location, message)
        })?;
        values.insert(name.to_string(), value);
        Ok::<(), ReadError>(())
    };

    for (name, raw) in &inputs.env {
        if let Some(d) = declared.get(name) {
            let value = raw_value(raw, &d.ty, &format!("TF_VAR_{name}"), true)?;
            set(&mut values, name, value, &format!("TF_VAR_{name}"))?;
            from_env.insert(name.clone());
        }
    }
    for (shown, text) in variable_files(dir, root, inputs, not_read)? {
        for (name, value) in read_file(&shown, &text)? {
            set(&mut values, &name, value, &shown)?;
            from_env.remove(&name);
        }
    }
    for arg in &inputs.vars {
        let (name, raw) = arg.split_once('=').ok_or_else(|| {
            ReadError::new(format!(
                "--var {arg:?} is not NAME=VALUE\nhelp: write --var 'sku=Premium' (quote the whole argument for your shell)"
            ))
        })?;
        let name = name.trim();
        let Some(d) = declared.get(name) else {
            let known: Vec<&str> = declared.keys().map(String::as_str).collect();
            return Err(ReadError::new(format!(
                "--var {name}: the module declares no variable `{name}`\nhelp: declared variables: {}",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            )));
        };
        let value = raw_value(raw, &d.ty, &format!("--var {name}"), declared_sensitive.contains(name))?;
        set(&mut values, name, value, &format!("--var {name}"))?;
        from_env.remove(name);
    }
    Ok((values, from_env))
}

/// The variables of `config` declared `sensitive = true`.
pub(super) fn sensitive(config: &Config) -> BTreeSet<String> {
    config
        .blocks_of("variable")
        .filter(|(_, b)| b.body.get("sensitive").and_then(super::super::expr::as_bool) == Some(true))
        .filter_map(|(_, b)| b.labels.first().cloned())
        .collect()
}

/// The defaults of a called module's variables, converted to their types (a called module reads no variable
/// files). A default that does not convert is an error at the default.
pub(super) fn defaults(config: &Config) -> Result<BTreeMap<String, Value>, ReadError> {
    let mut out = BTreeMap::new();
    for (_, b) in config.blocks_of("variable") {
        let Some(name) = b.labels.first() else { continue };
        if let Some(v) = default_of(b, &Type::parse(b.body.get("type")))? {
            out.insert(name.clone(), v);
        }
    }
    Ok(out)
}

/// `value`, given by a module call's argument `name` at `location`, converted to the type of the module's
/// variable `name`; an error in Terraform's words when it does not convert (never quoting the value). An
/// argument for no declared variable is left as it is.
pub(super) fn convert_argument(
    config: &Config,
    name: &str,
    value: Value,
    module: &str,
    location: Option<&Location>,
) -> Result<Value, ReadError> {
    let Some(variable) = config.variable(name) else {
        return Ok(value);
    };
    let ty = Type::parse(variable.body.get("type"));
    types::convert(value, &ty).map_err(|e| {
        let declared = variable
            .location
            .as_ref()
            .map(|l| format!(" (declared at {l})"))
            .unwrap_or_default();
        let message = format!(
            "Invalid value for input variable `{name}` of {module}: the given value is not suitable for \
             var.{name}{declared}: {e}\nhelp: give the argument a value of the type the variable declares"
        );
        at(location, message)
    })
}

/// A value given as text (`--var`, `TF_VAR_`): a string for a primitive or unconstrained type, else HCL syntax.
/// The errors of a `secret` value do not quote it.
fn raw_value(raw: &str, ty: &Type, source: &str, secret: bool) -> Result<Value, ReadError> {
    if matches!(ty, Type::Any | Type::String | Type::Number | Type::Bool) {
        return Ok(Value::String(raw.to_string()));
    }
    let detail = |e: &dyn std::fmt::Display| if secret { String::new() } else { format!(": {e}") };
    let expr = super::super::expr::parse(raw).map_err(|e| {
        ReadError::new(format!(
            "{source}: the value is not valid HCL{}\nhelp: write lists as [\"a\"] and maps as {{ k = \"v\" }}",
            detail(&e)
        ))
    })?;
    super::arith::evaluate(&expr, &super::arith::literal_context())
        .map_err(|e| ReadError::new(format!("{source}: the value must be a literal{}", detail(&e))))
}

/// The variable files Terraform loads from `dir` (`terraform.tfvars`, `terraform.tfvars.json`, `*.auto.tfvars` and
/// `*.auto.tfvars.json` in name order), then `--var-file`s, as (path as shown, text). A file of `dir` comes from the
/// repository: one that resolves outside `root`, is not a regular file or is too large is not read, and is added
/// to `not_read` instead. A `--var-file` is named by whoever runs infra: it is read wherever it is.
fn variable_files(
    dir: &Path,
    root: &Path,
    inputs: &Inputs,
    not_read: &mut Vec<ReadError>,
) -> Result<Vec<(String, String)>, ReadError> {
    use crate::fsutil::{read_bounded_text, read_in_repository_text, ReadLimitError, FILE_LIMIT};
    let mut files: Vec<PathBuf> = ["terraform.tfvars", "terraform.tfvars.json"]
        .iter()
        .map(|n| dir.join(n))
        .filter(|p| p.exists() && !p.is_dir())
        .collect();
    let mut auto: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| ReadError::io(format!("cannot read directory {}", dir.display()), e))?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            !p.is_dir()
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json"))
        })
        .collect();
    auto.sort();
    files.extend(auto);
    let loaded = files.len();
    files.extend(inputs.var_files.iter().cloned());
    let mut out = Vec::new();
    for (i, path) in files.iter().enumerate() {
        let shown = path.display().to_string();
        let read = match i < loaded {
            true => read_in_repository_text(path, root, FILE_LIMIT),
            false => read_bounded_text(path, FILE_LIMIT),
        };
        match read {
            Ok(text) => out.push((shown, text)),
            Err(ReadLimitError::Io(e)) => return Err(ReadError::io(format!("cannot read {shown}"), e)),
            Err(e) if i < loaded => not_read.push(ReadError::not_read(&shown, e)),
            Err(e) => return Err(ReadError::new(format!("cannot read {shown}: {e}"))),
        }
    }
    Ok(out)
}

/// Every `name = value` of a `.tfvars` (HCL) or `.tfvars.json` file, given as `shown` (its path) and its text.
fn read_file(shown: &str, text: &str) -> Result<Vec<(String, Value)>, ReadError> {
    if shown.ends_with(".json") {
        let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(text).map_err(|e| {
            ReadError::at(
                Location::new(std::sync::Arc::<str>::from(shown), e.line(), e.column()),
                format!("not a JSON object of variable values: {e}"),
            )
        })?;
        return map
            .iter()
            .map(|(name, v)| {
                let value = crate::terraform::json::to_hcl(v).map_err(|e| {
                    ReadError::at(
                        Location::new(std::sync::Arc::<str>::from(shown), 1, 1),
                        format!("variable {name:?}: {e}"),
                    )
                })?;
                Ok((name.clone(), value))
            })
            .collect();
    }
    let body = super::super::hcl::read(shown, text)?;
    let mut out = Vec::new();
    for a in body.attributes() {
        let value = super::arith::evaluate(&a.value, &super::arith::literal_context()).map_err(|e| {
            let message = format!(
                "the value of `{}` must be a literal (variable files cannot refer to anything): {e}",
                a.name
            );
            match &a.location {
                Some(l) => ReadError::at(l.clone(), message),
                None => ReadError::new(message),
            }
        })?;
        out.push((a.name.clone(), value));
    }
    if let Some(b) = body.blocks().next() {
        let message = format!(
            "a variable file holds only `name = value` lines, not blocks (`{}`)",
            b.kind
        );
        return Err(match &b.location {
            Some(l) => ReadError::at(l.clone(), message),
            None => ReadError::new(message),
        });
    }
    Ok(out)
}
