//! Reading a stack file: TOML → [`Stack`], with every error located at a line and column.
//!
//! Per-field rules (names, enums, CPU steps) are checked while deserialising, so toml reports them at the
//! offending value. Rules that span fields are checked afterwards on the typed stack ([`Stack::violations`]);
//! each names a field path, which is found again in the spanned TOML tree (`toml::de::DeTable`) to get its place.

use super::error::{Diagnostic, StackError};
use super::validate::{Seg, Violation};
use super::Stack;
use std::ops::Range;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

pub(super) fn from_toml(path: &str, text: &str) -> Result<Stack, StackError> {
    // The name first: it becomes a directory and header text, so a bad one stops everything.
    if let Some(e) = super::names::stack_name_error(&stem(path)) {
        let mut error = StackError::file(path, e.message);
        error.diagnostics[0].help.push(e.help);
        return Err(error);
    }
    let mut stack: Stack = toml::from_str(text).map_err(|e| StackError {
        diagnostics: vec![serde_diagnostic(path, text, &e)],
    })?;
    stack.name = stem(path);
    stack.source = path.to_string();
    let violations = stack.violations();
    if violations.is_empty() {
        return Ok(stack);
    }
    let tree = DeTable::parse(text).map_err(|e| StackError {
        diagnostics: vec![serde_diagnostic(path, text, &e)],
    })?;
    let mut diagnostics: Vec<(usize, Diagnostic)> = violations
        .into_iter()
        .map(|v| {
            let offset = span_of(&tree, &v.path).map(|s| s.start).unwrap_or(0);
            (offset, locate(path, text, offset, v))
        })
        .collect();
    diagnostics.sort_by_key(|(offset, _)| *offset);
    Err(StackError {
        diagnostics: diagnostics.into_iter().map(|(_, d)| d).collect(),
    })
}

/// The stack's name: the file stem (`stacks/prod.toml` → `prod`).
pub(super) fn stem(path: &str) -> String {
    std::path::Path::new(path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string())
}

/// 1-based line and column (in characters) of byte `offset`.
pub(super) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    (line, before[line_start..].chars().count() + 1)
}

fn locate(path: &str, text: &str, offset: usize, v: Violation) -> Diagnostic {
    Diagnostic {
        file: path.to_string(),
        line_col: Some(line_col(text, offset)),
        field: v.field(),
        message: v.message,
        help: v.help,
    }
}

/// Turns a toml/serde error into a diagnostic: splits our `help:` lines off, and rewrites serde's
/// "expected one of" lists as help.
fn serde_diagnostic(path: &str, text: &str, e: &toml::de::Error) -> Diagnostic {
    let offset = e.span().map(|s| s.start).unwrap_or(0);
    let raw = e.message().trim_end();
    let mut parts = raw.split("\nhelp: ");
    let first = parts.next().unwrap_or_default().to_string();
    let mut message = first.clone();
    let mut help: Vec<String> = parts.map(str::to_string).collect();
    if let Some(rest) = first.strip_prefix("unknown field ") {
        // "unknown field `x`, expected one of `a`, `b`" / "…, expected `a`" / "…, there are no fields"
        let (key, expected) = rest.split_once(", ").unwrap_or((rest, ""));
        let known = expected
            .strip_prefix("expected one of ")
            .or_else(|| expected.strip_prefix("expected "))
            .unwrap_or("");
        message = match table_at(text, offset) {
            Some(table) => format!("unknown key {key} in {table}"),
            None => format!("unknown key {key}"),
        };
        if !known.is_empty() {
            help.push(format!("known keys here: {known}"));
        }
        // A secret's value is never written in a stack (the file is committed), with or without a Key Vault
        // reference.
        if key == "`value`" && table_at(text, offset).is_some_and(|t| t.ends_with(".secrets]]")) {
            help.push(
                concat!(
                    "a secret's value is never written in a stack: it is the sensitive variable secret_<name> ",
                    "(set TF_VAR_secret_<name> at plan time), or read from Key Vault with ",
                    "key_vault_secret = \"<name in the vault>\""
                )
                .to_string(),
            );
        }
        // An internal load balancer needs the environment in a virtual network (Microsoft Learn, "Networking in
        // Azure Container Apps environment": an internal environment needs a custom virtual network), so it is a
        // key of [network] only.
        if key.trim_matches('`').starts_with("internal_load_balancer") {
            help.push(
                "an internal load balancer needs a virtual network: set `internal_load_balancer = true` in [network] \
                 (with its environment_subnet)"
                    .to_string(),
            );
        }
    } else if let Some(key) = first.strip_prefix("missing field ") {
        message = match table_at(text, offset) {
            Some(table) => format!("missing key {key} in {table}"),
            None => format!("missing key {key}"),
        };
    } else if let Some(rest) = first.strip_prefix("unknown variant ") {
        let (value, expected) = rest.split_once(", ").unwrap_or((rest, ""));
        message = format!("unknown value {value}");
        if let Some(known) = expected
            .strip_prefix("expected one of ")
            .or_else(|| expected.strip_prefix("expected "))
        {
            help.push(format!("valid values: {known}"));
        }
    }
    Diagnostic {
        file: path.to_string(),
        line_col: Some(line_col(text, offset)),
        field: String::new(),
        message,
        help,
    }
}

/// The span of the value at `path`; when part of the path is absent (a defaulted field), the span of the
/// deepest table that is there.
fn span_of(root: &Spanned<DeTable<'_>>, path: &[Seg]) -> Option<Range<usize>> {
    let mut best = root.span();
    let mut table: Option<&DeTable<'_>> = Some(root.get_ref());
    let mut value: Option<&Spanned<DeValue<'_>>> = None;
    for seg in path {
        let next = match (seg, table, value) {
            (Seg::Key(k), Some(t), _) => t.iter().find(|(key, _)| key.get_ref() == k).map(|(_, v)| v),
            (Seg::Entry(k), Some(t), _) => t.iter().find(|(key, _)| key.get_ref() == k).map(|(_, v)| v),
            (Seg::Index(i), _, Some(v)) => v.get_ref().as_array().and_then(|a| a.get(*i)),
            _ => None,
        };
        match next {
            Some(v) => {
                best = v.span();
                table = v.get_ref().as_table();
                value = Some(v);
            }
            None => break,
        }
    }
    Some(best)
}

/// The table that holds byte `offset`, as written in the file (`[container_registry]`,
/// `[[container_app.volumes]]`); `None` at the top level. The innermost table whose header starts at or
/// before `offset` (headers span only themselves in `DeTable`).
fn table_at(text: &str, offset: usize) -> Option<String> {
    let root = DeTable::parse(text).ok()?;
    let mut tables: Vec<(usize, usize, String)> = Vec::new();
    collect_tables(root.get_ref(), "", &mut tables);
    tables
        .into_iter()
        .filter(|(start, _, _)| *start <= offset)
        // By line: a dotted header (`[storage.account]`) also spans its implicit parent (`storage`).
        .max_by_key(|(start, depth, _)| (line_col(text, *start).0, *depth))
        .map(|(_, _, name)| name)
}

fn collect_tables(table: &DeTable<'_>, prefix: &str, out: &mut Vec<(usize, usize, String)>) {
    for (key, value) in table.iter() {
        let path = if prefix.is_empty() {
            key.get_ref().to_string()
        } else {
            format!("{prefix}.{}", key.get_ref())
        };
        let depth = path.matches('.').count();
        match value.get_ref() {
            DeValue::Table(t) => {
                out.push((value.span().start, depth, format!("[{path}]")));
                collect_tables(t, &path, out);
            }
            DeValue::Array(items) => {
                for item in items.iter() {
                    if let DeValue::Table(t) = item.get_ref() {
                        out.push((item.span().start, depth, format!("[[{path}]]")));
                        collect_tables(t, &path, out);
                    }
                }
            }
            _ => {}
        }
    }
}
