//! The frame of Terraform's plan text around each resource's structured change: the preamble, the header
//! comment of each change (`# azurerm_x.y will be updated in-place`), the `Plan:` line, "Changes to Outputs:" and
//! the closing notes (Terraform 1.11's `internal/command/jsonformat/plan.go`; read, not copied).

use super::{attribute_name, node, Opts};
use crate::diff::model::{Action, ChangeSet, PlanText, ResourceChange, ResourceText};
use crate::diff::structured::{Act, Diff};
use crate::style::{Paint, Style};
use serde_json::Value as Json;
use std::fmt::Write as _;

/// Terraform's word wrap for its prose (`format.WordWrap` at 78 columns, when not on a terminal): greedy, at
/// most 77 characters a line; lines starting with a space are left alone.
fn word_wrap(s: &str) -> String {
    const LIMIT: usize = 77;
    s.split('\n')
        .map(|line| {
            if line.starts_with(' ') {
                return line.to_string();
            }
            let mut out = String::new();
            let mut len = 0;
            for word in line.split(' ').filter(|w| !w.is_empty()) {
                let wl = word.chars().count();
                if len > 0 && len + 1 + wl > LIMIT {
                    out.push('\n');
                    len = 0;
                } else if len > 0 {
                    out.push(' ');
                    len += 1;
                }
                out.push_str(word);
                len += wl;
            }
            out
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The resource action as Terraform's renderer names it, with its symbol.
fn action_symbol(a: Action, paint: Paint) -> String {
    match a {
        Action::Create => format!("  {}", paint.paint(Style::Create, "+")),
        Action::Update => format!("  {}", paint.paint(Style::Update, "~")),
        Action::Delete => format!("  {}", paint.paint(Style::Delete, "-")),
        Action::Replace {
            create_before_destroy: false,
        } => format!(
            "{}/{}",
            paint.paint(Style::Delete, "-"),
            paint.paint(Style::Create, "+")
        ),
        Action::Replace {
            create_before_destroy: true,
        } => format!(
            "{}/{}",
            paint.paint(Style::Create, "+"),
            paint.paint(Style::Delete, "-")
        ),
        Action::Read => format!(" {}", paint.paint(Style::Read, "<=")),
        Action::Forget => format!(" {}", paint.paint(Style::Delete, ".")),
        Action::Move | Action::Import | Action::NoOp => "   ".to_string(),
    }
}

/// The header comment of one resource change.
fn comment(c: &ResourceChange, t: &ResourceText, paint: Paint) -> String {
    let e = |s: &str| crate::style::escape(s).into_owned();
    let mut addr = e(&c.address);
    if let Some(d) = &t.plan.deposed {
        addr = format!("{addr} (deposed object {})", e(d));
    }
    let (mut buf, printed_moved, printed_imported) = heading(c, t, &addr, paint);
    buf.push('\n');
    if let (Some(p), false) = (&c.previous_address, printed_moved) {
        let _ = writeln!(buf, "  # (moved from {})", e(p));
    }
    if let (Some(id), false) = (&c.importing, printed_imported) {
        if !id.is_empty() && !id.starts_with('{') {
            let _ = writeln!(buf, "  # (imported from \"{}\")", e(id));
        } else {
            buf.push_str("  # (will be imported first)\n");
        }
    }
    if c.importing.is_some() && matches!(c.action, Action::Replace { .. }) {
        let _ = writeln!(
            buf,
            "  # {}",
            paint.paint(Style::Warning, "Warning: this will destroy the imported resource")
        );
    }
    buf
}

/// The first lines of the header comment (without the final newline), and whether they said the resource moved
/// or is imported.
fn heading(c: &ResourceChange, t: &ResourceText, addr: &str, paint: Paint) -> (String, bool, bool) {
    let bold = |s: &str| paint.paint(Style::Heading, s);
    let reason = t
        .plan
        .action_reason
        .as_deref()
        .map_or("", crate::plan::SharedStr::as_str);
    let head = bold(&format!("  # {addr}"));
    let text = match c.action {
        Action::Create => format!("{head} will be created"),
        Action::Read => {
            let why = match reason {
                "read_because_config_unknown" => "\n  # (config refers to values not yet known)",
                "read_because_dependency_pending" => "\n  # (depends on a resource or a module with changes pending)",
                "read_because_check_nested" => "\n  # (config will be reloaded to verify a check block)",
                _ => "",
            };
            format!("{head} will be read during apply{why}")
        }
        Action::Update => format!("{head} will be updated in-place"),
        Action::Replace { .. } => {
            let replaced = paint.paint(Style::Delete, "replaced");
            match reason {
                "replace_because_tainted" => format!("{head} is tainted, so must be {replaced}"),
                "replace_by_request" => format!("{head} will be {replaced}, as requested"),
                "replace_by_triggers" => format!("{head} will be {replaced} due to changes in replace_triggered_by"),
                _ => format!("{head} must be {replaced}"),
            }
        }
        Action::Forget => forget(t, addr, paint),
        Action::Delete => format!(
            "{head} will be {}{}",
            paint.paint(Style::Delete, "destroyed"),
            delete_reason(c, t, addr, reason)
        ),
        Action::Move | Action::Import | Action::NoOp => {
            let e = |s: &str| crate::style::escape(s).into_owned();
            return if let Some(p) = &c.previous_address {
                (
                    format!("{} has moved to {}", bold(&format!("  # {}", e(p))), bold(addr)),
                    true,
                    false,
                )
            } else if c.importing.is_some() {
                (format!("{head} will be imported"), false, true)
            } else {
                let bug = format!("{addr} has an action the plan renderer doesn't support (this is a bug)");
                (bug, false, false)
            };
        }
    };
    (text, false, false)
}

/// The heading of an object removed from state without being destroyed.
fn forget(t: &ResourceText, addr: &str, paint: Paint) -> String {
    let bold = |s: &str| paint.paint(Style::Heading, s);
    let head = bold(&format!(" # {addr}"));
    let not = paint.paint(Style::Delete, "will not be destroyed");
    let mut buf = if t.plan.deposed.is_some() {
        format!(
            "{head} will be removed from Terraform state, but {not}\n{}",
            bold(" # (left over from a partially-failed replacement of this instance)")
        )
    } else {
        format!("{head} will no longer be managed by Terraform, but {not}")
    };
    buf.push_str("\n # (destroy = false is set in the configuration)");
    buf
}

/// The lines after "will be destroyed": why, and whether it is a deposed object.
fn delete_reason(c: &ResourceChange, t: &ResourceText, addr: &str, reason: &str) -> String {
    let e = |s: &str| crate::style::escape(s).into_owned();
    let index_value = t.plan.index.as_ref().map(crate::plan::RawJson::value);
    let index = index_value.as_ref().map(|i| e(&i.to_string())).unwrap_or_default();
    let mut buf = match reason {
        "delete_because_no_resource_config" => format!(
            "\n  # (because {}.{} is not in configuration)",
            e(&c.resource_type),
            e(&c.name)
        ),
        "delete_because_no_move_target" => format!(
            "\n  # (because {} was moved to {addr}, which is not in configuration)",
            e(c.previous_address.as_deref().unwrap_or_default()),
        ),
        "delete_because_no_module" => format!(
            "\n  # (because {} is not in configuration)",
            e(t.plan.module_address.as_deref().unwrap_or_default())
        ),
        "delete_because_wrong_repetition" => match &index_value {
            None | Some(Json::Null) => "\n  # (because resource uses count or for_each)".into(),
            Some(Json::Number(_)) => "\n  # (because resource does not use count)".into(),
            Some(Json::String(_)) => "\n  # (because resource does not use for_each)".into(),
            _ => String::new(),
        },
        "delete_because_count_index" => format!("\n  # (because index [{index}] is out of range for count)"),
        "delete_because_each_key" => format!("\n  # (because key [{index}] is not in for_each map)"),
        _ => String::new(),
    };
    if t.plan.deposed.is_some() {
        buf.push_str("\n  # (left over from a partially-failed replacement of this instance)");
    }
    buf
}

/// Whether Terraform's text shows this change (a data source's delete is not shown).
fn shown(c: &ResourceChange) -> bool {
    !(c.action == Action::Delete && c.terraform.as_ref().is_some_and(|t| !t.plan.managed()))
}

/// Whether `set` was read from a plan: every resource change carries its [`crate::diff::model::ResourceText`], and
/// [`write_plan`] can show it.
pub(crate) fn is_plan(set: &ChangeSet) -> bool {
    set.terraform.is_some() && set.changes.iter().all(|c| c.terraform.is_some())
}

/// How many resources [`write_plan`] renders before it writes them.
const BATCH: usize = 256;

/// Writes the whole text of `terraform show PLANFILE` for a change set read from a plan ([`is_plan`]; otherwise
/// nothing) to `w`, one resource at a time: each change's structured change is computed, written and dropped.
pub(crate) fn write_plan(set: &ChangeSet, color: bool, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let Some(text) = set.terraform.as_ref().filter(|_| is_plan(set)) else {
        return Ok(());
    };
    let paint = Paint::new(color);
    let mut changes: Vec<&ResourceChange> = set.changes.iter().filter(|c| shown(c)).collect();
    changes.sort_by_key(|c| c.terraform.as_ref().map_or(0, |t| t.position));
    let acting = changes
        .iter()
        .any(|c| !matches!(c.action, Action::Move | Action::Import | Action::NoOp));
    let outputs: Vec<&(String, Diff)> = text.outputs.iter().filter(|(_, d)| d.action != Act::NoOp).collect();
    let mut out = String::new();
    if changes.is_empty() && outputs.is_empty() {
        no_changes(&mut out, text.errored, paint);
    }
    if acting {
        legend(&mut out, &changes, paint);
    }
    if !changes.is_empty() {
        out.push_str(if text.errored {
            "\nTerraform planned the following actions, but then encountered a problem:\n"
        } else {
            "\nTerraform will perform the following actions:\n"
        });
        w.write_all(out.as_bytes())?;
        out.clear();
        // Rendered on every core, a batch of resources at a time, written in order as each is done: the memory held
        // is a few batches' text, and 60,000 small changes render in about 60 % of the time on two cores.
        let render = |batch: &[&ResourceChange]| {
            let mut text = String::new();
            for c in batch {
                resource(&mut text, c, paint);
            }
            text
        };
        crate::parallel::for_each_ordered(&changes, BATCH, render, |text| w.write_all(text.as_bytes()))?;
        out.push_str(&summary(&changes, paint));
    }
    if !outputs.is_empty() {
        write_outputs(&mut out, text, &outputs, acting, paint);
    }
    if let Some(note) = &text.schema_note {
        out.push('\n');
        out.push_str(&word_wrap(&crate::style::escape(note)));
        out.push('\n');
    }
    w.write_all(out.as_bytes())
}

/// Terraform's options at the root of a resource or output.
pub(super) fn root_opts(paint: Paint) -> Opts {
    Opts {
        paint,
        override_null_suffix: false,
        force_forces_replacement: false,
        forbid_forces_replacement: false,
        show_unchanged_children: false,
    }
}

/// "No changes." (or "Planning failed."), when nothing changes.
fn no_changes(out: &mut String, errored: bool, paint: Paint) {
    if errored {
        let _ = writeln!(
            out,
            "\n{} Terraform encountered an error while generating this plan.\n",
            paint.paint(Style::Delete, "Planning failed.")
        );
        return;
    }
    let _ = writeln!(
        out,
        "\n{} Your infrastructure matches the configuration.\n",
        paint.paint(Style::Create, "No changes.")
    );
    out.push_str(&word_wrap(
        "Terraform has compared your real infrastructure against your configuration and found no differences, so no changes are needed.",
    ));
    out.push('\n');
}

/// Every action among `changes`, once.
const LEGEND: [(Action, &str); 6] = [
    (Action::Create, "create"),
    (Action::Update, "update in-place"),
    (Action::Delete, "destroy"),
    (
        Action::Replace {
            create_before_destroy: false,
        },
        "destroy and then create replacement",
    ),
    (
        Action::Replace {
            create_before_destroy: true,
        },
        "create replacement and then destroy",
    ),
    (Action::Read, "read (data resources)"),
];

/// The symbols the plan uses, explained.
fn legend(out: &mut String, changes: &[&ResourceChange], paint: Paint) {
    out.push_str(&word_wrap(
        "\nTerraform used the selected providers to generate the following execution plan. Resource actions are indicated with the following symbols:",
    ));
    out.push('\n');
    for (a, what) in LEGEND {
        if changes.iter().any(|c| c.action == a) {
            let _ = writeln!(out, "{} {what}", action_symbol(a, paint));
        }
    }
}

/// One resource change: its header comment and its structured change, computed now (and dropped after).
fn resource(out: &mut String, c: &ResourceChange, paint: Paint) {
    let t = c.terraform.as_ref().expect("a change read from a plan");
    out.push('\n');
    out.push_str(&resource_text(c, t, paint));
}

/// The text of one resource change read from a plan (`t` its plan facts), as Terraform shows it.
fn resource_text(c: &ResourceChange, t: &ResourceText, paint: Paint) -> String {
    let mut o = root_opts(paint);
    o.show_unchanged_children = c.importing.is_some();
    let mode = if t.plan.managed() { "resource" } else { "data" };
    format!(
        "{}{} {mode} \"{}\" \"{}\" {}\n",
        comment(c, t, paint),
        action_symbol(c.action, paint),
        crate::style::escape(&c.resource_type),
        crate::style::escape(&c.name),
        node(&crate::diff::from_plan::body(c, t), 0, o)
    )
}

/// A change read from a plan as Terraform's text shows it; `None` for a change that was not read from a plan.
pub(crate) fn resource_of_plan(c: &ResourceChange, color: bool) -> Option<String> {
    let t = c.terraform.as_ref()?;
    Some(resource_text(c, t, Paint::new(color)))
}

/// `Plan: 1 to import, 2 to add, 0 to change, 1 to destroy.`
fn summary(changes: &[&ResourceChange], paint: Paint) -> String {
    let counted = |a: Action| changes.iter().filter(|c| c.action == a).count();
    let importing = changes.iter().filter(|c| c.importing.is_some()).count();
    let replaced = counted(Action::Replace {
        create_before_destroy: false,
    }) + counted(Action::Replace {
        create_before_destroy: true,
    });
    let mut line = format!("\n{} ", paint.paint(Style::Heading, "Plan:"));
    if importing > 0 {
        let _ = write!(line, "{importing} to import, ");
    }
    let _ = writeln!(
        line,
        "{} to add, {} to change, {} to destroy.",
        counted(Action::Create) + replaced,
        counted(Action::Update),
        counted(Action::Delete) + replaced
    );
    line
}

/// "Changes to Outputs:", names aligned over every output (shown or not).
fn write_outputs(out: &mut String, text: &PlanText, outputs: &[&(String, Diff)], acting: bool, paint: Paint) {
    let width = text
        .outputs
        .iter()
        .map(|(k, _)| attribute_name(k).len())
        .max()
        .unwrap_or(0);
    out.push_str("\nChanges to Outputs:\n");
    let lines: Vec<String> = outputs
        .iter()
        .map(|(k, d)| {
            let sym = match d.action {
                Act::Create => format!("  {}", paint.paint(Style::Create, "+")),
                Act::Delete => format!("  {}", paint.paint(Style::Delete, "-")),
                Act::Update => format!("  {}", paint.paint(Style::Update, "~")),
                Act::NoOp => "   ".to_string(),
            };
            format!("{sym} {:width$} = {}", attribute_name(k), node(d, 0, root_opts(paint)))
        })
        .collect();
    out.push_str(&lines.join("\n"));
    out.push('\n');
    if !acting {
        out.push_str(&word_wrap(
            "\nYou can apply this plan to save these new output values to the Terraform state, without changing any real infrastructure.",
        ));
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// More resources than a batch: rendered on several threads, the text is the resources' text in plan order,
    /// as one thread renders it.
    #[test]
    fn a_plan_of_many_resources_renders_in_order_on_every_core() {
        let changes: Vec<String> = (0..BATCH * 3 + 7)
            .map(|i| {
                format!(
                    r#"{{"address":"terraform_data.r{i}","mode":"managed","type":"terraform_data","name":"r{i}","provider_name":"terraform.io/builtin/terraform","change":{{"actions":["create"],"before":null,"after":{{"input":"v{i}"}},"after_unknown":{{"id":true}}}}}}"#
                )
            })
            .collect();
        let json = format!(
            r#"{{"format_version":"1.2","terraform_version":"1.11.0","resource_changes":[{}]}}"#,
            changes.join(",")
        );
        let plan = crate::plan::Plan::parse("p", json.as_bytes()).expect("a plan");
        let set = crate::diff::from_plan(&plan);
        let mut out = Vec::new();
        write_plan(&set, false, &mut out).expect("written");
        let text = String::from_utf8(out).expect("UTF-8");
        let mut in_order: Vec<&ResourceChange> = set.changes.iter().collect();
        in_order.sort_by_key(|c| c.terraform.as_ref().map_or(0, |t| t.position));
        let mut one_thread = String::new();
        for c in in_order {
            resource(&mut one_thread, c, Paint::new(false));
        }
        assert!(one_thread.contains("terraform_data.r770 "), "{one_thread:.300}");
        let start = text.find("  # terraform_data.r0 ").unwrap_or(0);
        let diverge = text[start..].bytes().zip(one_thread.bytes()).position(|(a, b)| a != b);
        assert!(
            text.contains(&one_thread),
            "first difference at {diverge:?}: {:?} / {:?}",
            diverge.map(|d| &text[start + d.saturating_sub(200)..start + d + 100]),
            diverge.map(|d| &one_thread[d.saturating_sub(200)..d + 100])
        );
    }

    #[test]
    fn prose_wraps_at_terraforms_width() {
        assert_eq!(
            word_wrap("\nTerraform used the selected providers to generate the following execution plan. Resource actions are indicated with the following symbols:"),
            "\nTerraform used the selected providers to generate the following execution\nplan. Resource actions are indicated with the following symbols:"
        );
    }
}
