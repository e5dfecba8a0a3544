//! A [`DriftReport`] as the diff module's change model, so that `infra drift` prints with the same views as
//! `infra diff` (text, Markdown, JSON). The direction is Terraform's after a refresh: *before* is live, *after*
//! is what the stack declares (what applying it would do).

use super::compare::{BlockChange, Difference, DriftReport, ResourceDrift, Status};
use crate::diff::{Action, AttributeChange, Change, ChangeSet, Node, Reason, ResourceChange, Source, Value};

/// What a declared value that depends on a missing resource reads as.
pub const KNOWN_AFTER_APPLY: &str = "(known after apply)";

pub fn to_change_set(report: &DriftReport) -> ChangeSet {
    let mut set = ChangeSet::new(Source::Drift);
    for resource in &report.resources {
        match resource.status {
            Status::InSync => set.unchanged += 1,
            _ => set.changes.push(resource_change(resource)),
        }
    }
    if !report.not_checked.is_empty() {
        set.warnings.push(format!(
            "Not read from Azure (infra drift does not check these types): {}.",
            report.not_checked.join(", ")
        ));
    }
    set
}

fn resource_change(resource: &ResourceDrift) -> ResourceChange {
    let action = match resource.status {
        Status::Missing => Action::Create,
        Status::NotDeclared => Action::Delete,
        _ if resource.forces_replacement() => Action::Replace {
            create_before_destroy: false,
        },
        _ => Action::Update,
    };
    let mut change = ResourceChange::new(&resource.address, action);
    change.attributes = resource.differences.iter().map(node).collect();
    change.unchanged_attributes = resource.unchanged_attributes;
    change.unchanged_blocks = resource.unchanged_blocks;
    match resource.status {
        Status::NotDeclared => change.reasons.push(Reason::NotInConfiguration),
        Status::Missing => change.notes.push("does not exist in Azure".to_string()),
        _ => {}
    }
    for path in forcing(&resource.differences, "") {
        change.reasons.push(Reason::ForcesReplacement { attribute: path });
    }
    if !resource.not_compared.is_empty() {
        change
            .notes
            .push(format!("not compared: {}", resource.not_compared.join(", ")));
    }
    change
}

fn forcing(differences: &[Difference], prefix: &str) -> Vec<String> {
    let mut out = Vec::new();
    for d in differences {
        match d {
            Difference::Attribute {
                name,
                forces_replacement: true,
                ..
            } => out.push(format!("{prefix}{name}")),
            Difference::Block { name, differences, .. } => {
                out.extend(forcing(differences, &format!("{prefix}{name}.")))
            }
            _ => {}
        }
    }
    out
}

fn value(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::String(s) if s == KNOWN_AFTER_APPLY => Value::Unknown,
        other => Value::Known(other.clone()),
    }
}

fn node(difference: &Difference) -> AttributeChange {
    match difference {
        Difference::Attribute {
            name,
            live,
            declared,
            forces_replacement,
        } => {
            let mut change = AttributeChange::value(name, live.as_ref().map(value), declared.as_ref().map(value));
            change.forces_replacement = *forces_replacement;
            change
        }
        Difference::Block {
            name,
            key,
            change,
            differences,
            unchanged_attributes,
            unchanged_blocks,
        } => AttributeChange {
            name: name.clone(),
            change: match change {
                BlockChange::Missing => Change::Create,
                BlockChange::Drifted => Change::Update,
                BlockChange::NotDeclared => Change::Delete,
            },
            forces_replacement: false,
            node: Node::Block {
                key: key.clone(),
                attributes: differences.iter().map(node).collect(),
                unchanged_attributes: *unchanged_attributes,
                unchanged_blocks: *unchanged_blocks,
                hidden_name_width: 0,
            },
        },
    }
}
