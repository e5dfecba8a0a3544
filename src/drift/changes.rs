//! A [`DriftReport`] as the diff module's change model, so that `infra drift` prints with the same views as
//! `infra diff` (text, Markdown, JSON). The direction is Terraform's after a refresh: *before* is live, *after*
//! is what the stack declares (what applying it would do).

use super::compare::{DriftReport, ResourceDrift, Status};
use crate::diff::{Action, ChangeSet, Reason, ResourceChange, Source};

/// A drift report as a change set (before = live, after = declared), for the diff views: what applying the stack would do to undo the drift.
pub fn to_change_set(report: &DriftReport) -> ChangeSet {
    let mut set = ChangeSet::new(Source::Drift);
    for resource in &report.resources {
        if !resource.not_compared.is_empty() {
            set.not_compared
                .insert(resource.address.clone(), resource.not_compared.clone());
        }
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
    change.structured = resource.structured.clone();
    match resource.status {
        Status::NotDeclared => change.reasons.push(Reason::NotInConfiguration),
        Status::Missing => change.notes.push("does not exist in Azure".to_string()),
        _ => {}
    }
    for path in resource.forcing() {
        change.reasons.push(Reason::ForcesReplacement { attribute: path });
    }
    if !resource.not_compared.is_empty() {
        change
            .notes
            .push(format!("not compared: {}", resource.not_compared.join(", ")));
    }
    change
}
