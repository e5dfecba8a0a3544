//! Which major version of a provider (given by its source address, `hashicorp/azurerm`) a configuration is
//! written for: what `.terraform.lock.hcl` selected, else what the `required_providers` constraints (root module
//! and every module it calls — Terraform picks one version that satisfies them all) allow.
//!
//! Constraint syntax as Terraform reads it (developer.hashicorp.com/terraform/language/expressions/version-constraints):
//! comma-separated `=`, `!=`, `>`, `>=`, `<`, `<=` and `~>` (only the rightmost given component may grow).

use super::{Config, Expression};
use std::path::Path;

/// A major version of a provider the configuration is pinned to, and where that is said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ProviderPin {
    pub major: u64,
    /// Where: `.terraform.lock.hcl selects azurerm 3.117.0`, `main.tf requires azurerm "< 4.0"`.
    pub why: String,
}

/// The major version of the provider with source address `source` (`hashicorp/azurerm`: the registry host left
/// out) the configuration in `dir` (with its modules' files in `config`) is written for, when the lock file or a
/// version constraint fixes it; `None` when any major version may be used.
pub(crate) fn pinned_major(dir: &Path, config: &Config, source: &str) -> Option<ProviderPin> {
    if let Some(pin) = locked(dir, source) {
        return Some(pin);
    }
    let name = type_name(source);
    let mut lowest: Option<ProviderPin> = None;
    for (file, constraint) in constraints(config, source) {
        let Some(major) = highest_major(&constraint) else {
            continue;
        };
        if lowest.as_ref().is_none_or(|l| major < l.major) {
            lowest = Some(ProviderPin {
                major,
                why: format!("{file} requires {name} \"{constraint}\""),
            });
        }
    }
    lowest
}

/// The provider's type name, the last part of its source address (`hashicorp/azurerm` → `azurerm`): its default
/// local name in `required_providers`, and how messages name it.
fn type_name(source: &str) -> &str {
    source.rsplit('/').next().unwrap_or(source)
}

/// The version `.terraform.lock.hcl` in `dir` selects for the provider `source`. A lock file that cannot be read
/// or parsed says nothing (`terraform init` would rewrite it).
fn locked(dir: &Path, source: &str) -> Option<ProviderPin> {
    let path = dir.join(".terraform.lock.hcl");
    let root = crate::fsutil::repository_root(dir);
    let text = crate::fsutil::read_in_repository_text(&path, &root, crate::fsutil::FILE_LIMIT).ok()?;
    let body = super::hcl::read(&path.display().to_string(), &text).ok()?;
    let pin = body
        .blocks_of("provider")
        .filter(|b| {
            b.labels
                .first()
                .is_some_and(|l| l.to_ascii_lowercase().ends_with(&format!("/{source}")))
        })
        .find_map(|b| {
            let version = super::expr::as_str(b.body.get("version")?)?;
            let major = version.split('.').next()?.trim().parse().ok()?;
            Some(ProviderPin {
                major,
                why: format!(".terraform.lock.hcl selects {} {version}", type_name(source)),
            })
        });
    pin
}

/// One entry of a `terraform { required_providers { … } }` block: `name = "constraint"` or `name = { source = …,
/// version = … }`.
struct Requirement<'a> {
    /// The file it is in.
    file: &'a str,
    /// The provider's local name.
    name: &'a str,
    source: Option<&'a str>,
    version: Option<&'a str>,
}

/// Every entry of every `required_providers` block of `config`, in file order.
fn requirements(config: &Config) -> Vec<Requirement<'_>> {
    let mut out = Vec::new();
    for file in &config.files {
        let blocks = file
            .body
            .blocks_of("terraform")
            .flat_map(|t| t.body.blocks_of("required_providers"));
        for attribute in blocks.flat_map(|r| r.body.attributes()) {
            let (source, version) = match &attribute.value {
                Expression::String(v) => (None, Some(v.as_str())),
                Expression::Object(o) => {
                    let field = |name: &str| {
                        o.iter()
                            .find(|(k, _)| object_key(k) == Some(name))
                            .and_then(|(_, v)| super::expr::as_str(v))
                    };
                    (field("source"), field("version"))
                }
                _ => continue,
            };
            out.push(Requirement {
                file: &file.name,
                name: &attribute.name,
                source,
                version,
            });
        }
    }
    out
}

/// Every version constraint of the provider `source` in `terraform { required_providers { … } }` blocks:
/// (file, constraint).
fn constraints(config: &Config, source: &str) -> Vec<(String, String)> {
    requirements(config)
        .into_iter()
        .filter(|r| match r.source {
            Some(s) => qualified(s) == qualified(source),
            None => r.name == type_name(source),
        })
        .filter_map(|r| Some((r.file.to_string(), r.version?.to_string())))
        .collect()
}

fn object_key(k: &hcl::ObjectKey) -> Option<&str> {
    match k {
        hcl::ObjectKey::Identifier(i) => Some(i.as_str()),
        hcl::ObjectKey::Expression(Expression::String(s)) => Some(s),
        _ => None,
    }
}

/// The highest major version a constraint allows, or `None` when it has no upper bound (or cannot be read).
pub(crate) fn highest_major(constraint: &str) -> Option<u64> {
    let mut highest: Option<u64> = None;
    for clause in constraint.split(',') {
        let clause = clause.trim();
        let (op, version) = ["~>", ">=", "<=", "!=", "=", ">", "<"]
            .iter()
            .find_map(|op| clause.strip_prefix(op).map(|v| (*op, v.trim())))
            .unwrap_or(("=", clause));
        let parts: Vec<u64> = version
            .split(['-', '+'])
            .next()?
            .split('.')
            .map(|p| p.parse().ok())
            .collect::<Option<_>>()?;
        let major = *parts.first()?;
        let bound = match op {
            "=" | "<=" | "~>" => Some(major),
            // `< 4.0` / `< 4` / `< 4.0.0` stop below 4; `< 4.1` lets 4.0.x in.
            "<" if parts[1..].iter().all(|p| *p == 0) => Some(major.checked_sub(1)?),
            "<" => Some(major),
            _ => None,
        };
        if let Some(b) = bound {
            highest = Some(highest.map_or(b, |h| h.min(b)));
        }
    }
    highest
}

/// The provider address Terraform gives each resource in a plan (`provider_name`): the source its module's
/// `required_providers` gives the resource's provider, fully qualified and in lower case
/// (`registry.terraform.io/azure/azapi` for `source = "Azure/azapi"`); a provider a module does not declare is
/// `hashicorp/<name>`, and `terraform` is Terraform's built-in one (`terraform.io/builtin/terraform`), as Terraform
/// resolves them (`addrs.ParseProviderSourceString`, `addrs.ImpliedProviderForUnqualifiedType`, Terraform 1.11).
#[derive(Debug, Default)]
pub(crate) struct ProviderNames {
    /// A module's directory (that of its files) → local name → qualified source.
    declared: std::collections::HashMap<String, std::collections::HashMap<String, String>>,
}

impl ProviderNames {
    /// The `required_providers` of every module of `config`, by the directory of its files.
    pub(crate) fn of(config: &Config) -> ProviderNames {
        let mut names = ProviderNames::default();
        for r in requirements(config) {
            if let Some(source) = r.source {
                names
                    .declared
                    .entry(super::parent_dir(r.file).to_string())
                    .or_default()
                    .insert(r.name.to_string(), qualified(source));
            }
        }
        names
    }

    /// The `provider_name` of a resource of type `resource_type` declared in `file`, whose `provider` argument
    /// (if any) is `provider` (`azurerm.west`).
    pub(crate) fn of_resource(&self, file: &str, resource_type: &str, provider: Option<&str>) -> String {
        let local = provider
            .and_then(|p| p.split('.').next())
            .unwrap_or_else(|| resource_type.split('_').next().unwrap_or_default());
        match self.declared.get(super::parent_dir(file)).and_then(|d| d.get(local)) {
            Some(source) => source.clone(),
            None if local == "terraform" => "terraform.io/builtin/terraform".to_string(),
            None => format!("registry.terraform.io/hashicorp/{}", local.to_ascii_lowercase()),
        }
    }
}

/// A `source` (`hashicorp/azurerm`, `Azure/azapi`, `example.com/team/thing`) as Terraform's fully qualified
/// provider address: the registry's hostname when none is given, in lower case.
fn qualified(source: &str) -> String {
    let source = source.trim().to_ascii_lowercase();
    match source.split('/').count() {
        3 => source,
        _ => format!("registry.terraform.io/{source}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraints_bound_the_major_version() {
        for (constraint, major) in [
            ("< 4.0", Some(3)),
            (">= 3.50, < 4.0", Some(3)),
            ("~> 3.0", Some(3)),
            ("~> 3.116.0", Some(3)),
            ("=3.114.0", Some(3)),
            ("3.117.0", Some(3)),
            ("<= 3.117.0", Some(3)),
            ("< 4.1", Some(4)),
            ("~> 4.0", Some(4)),
            (">= 3.0", None),
            ("> 3.0, != 3.5.0", None),
            ("~> 3.x", None),
        ] {
            assert_eq!(highest_major(constraint), major, "{constraint}");
        }
    }
}
