//! The text view's frame for every change set: for a plan, Terraform's own text ([`super::plan`]); for an offline
//! diff or `infra drift`, the legend, each resource's header comment and its structured change (rendered by the
//! one renderer per kind of node of this folder), the `Plan:` line and the outputs.

use crate::diff::model::{Action, ChangeSet, Reason, ResourceChange, Source};
use crate::style::{escape, escape_lines, Style};
use std::fmt::Write as _;

/// Colour (through [`crate::style`]), used only when asked for.
struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, style: Style, s: &str) -> String {
        crate::style::Paint::new(self.on).paint(style, s)
    }
    fn symbol(&self, sym: &str) -> String {
        match Style::of_symbol(sym) {
            Some(style) => self.wrap(style, sym),
            None => sym.to_string(),
        }
    }
    fn bold(&self, s: &str) -> String {
        self.wrap(Style::Heading, s)
    }
}

fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// The header comment of a resource change (`# azurerm_x.y will be updated in-place`) and its reason lines,
/// every name in them [`escape`]d.
fn header_lines(c: &ResourceChange) -> Vec<String> {
    let a = &escape(&c.address);
    let mut lines = Vec::new();
    let moved = c.previous_address.as_deref().map(escape);
    let first = match c.action {
        Action::Create => format!("{a} will be created"),
        Action::Update => format!("{a} will be updated in-place"),
        Action::Replace { create_before_destroy } => {
            if c.reasons.contains(&Reason::Tainted) {
                format!("{a} is tainted, so must be replaced")
            } else if c.reasons.contains(&Reason::ReplaceByRequest) {
                format!("{a} will be replaced, as requested")
            } else if create_before_destroy {
                format!("{a} must be replaced (create before destroy)")
            } else {
                format!("{a} must be replaced")
            }
        }
        Action::Delete => format!("{a} will be destroyed"),
        Action::Read => format!("{a} will be read during apply"),
        Action::Move => format!("{} has moved to {a}", moved.as_deref().unwrap_or("?")),
        Action::Import => format!("{a} will be imported"),
        Action::Forget => format!("{a} will no longer be managed by Terraform"),
        Action::NoOp => format!("{a} is unchanged"),
    };
    lines.push(first);
    if let (Some(p), false) = (&moved, c.action == Action::Move) {
        lines.push(format!("(moved from {p})"));
    }
    if let (Some(id), false) = (c.importing.as_deref().map(escape), c.action == Action::Import) {
        if id.starts_with('{') {
            lines.push(format!("(imported with identity {id})"));
        } else {
            lines.push(format!("(imported from \"{id}\")"));
        }
    }
    for r in &c.reasons {
        match r {
            Reason::NotInConfiguration => lines.push(format!("(because {a} is not in configuration)")),
            Reason::RemovedBlock => lines.push(format!("(because of a removed block for {a})")),
            Reason::DependencyPending => lines.push("(depends on a resource or a module with changes pending)".into()),
            Reason::Cascade { attribute, resource } => lines.push(format!(
                "(because {} is replaced and {}, which forces replacement, refers to it)",
                escape(resource),
                escape(attribute)
            )),
            Reason::DependsOnReplaced { attribute, resource } => lines.push(format!(
                "({} refers to {}, which is replaced)",
                escape(attribute),
                escape(resource)
            )),
            Reason::Other { reason } => lines.push(format!("(reason: {})", escape(reason))),
            Reason::MayForceReplacement { attribute } => lines.push(format!(
                "(changing {} forces replacement for some values: confirm with terraform plan)",
                escape(attribute)
            )),
            Reason::ForcesReplacement { .. } | Reason::Tainted | Reason::ReplaceByRequest | Reason::CannotUpdate => {}
        }
    }
    for n in &c.notes {
        lines.push(format!("({})", escape(n)));
    }
    lines
}

fn push_line(out: &mut String, depth: usize, sym: &str, paint: &Paint, text: &str) {
    // The symbol is right-aligned in three columns, then a space: "  + ", "-/+ ", " <= ", "    ".
    let pad = 4 * depth + 3 - sym.len().min(3);
    out.push_str(&" ".repeat(pad));
    out.push_str(&paint.symbol(sym));
    out.push(' ');
    out.push_str(text);
    out.push('\n');
}

/// One resource change: header comments and the block (for a change read from a plan, as Terraform prints it).
pub fn resource(c: &ResourceChange, color: bool) -> String {
    super::resource_of_plan(c, color).unwrap_or_else(|| resource_with(c, &Paint { on: color }))
}

fn resource_with(c: &ResourceChange, paint: &Paint) -> String {
    let mut out = String::new();
    for l in header_lines(c) {
        out.push_str(&paint.bold(&format!("  # {l}")));
        out.push('\n');
    }
    let labels = if c.kind == "module" {
        format!("module \"{}\"", escape(&c.resource_type))
    } else {
        format!(
            "{} \"{}\" \"{}\"",
            escape(&c.kind),
            escape(&c.resource_type),
            escape(&c.name)
        )
    };
    let symbol = c.action.symbol();
    match crate::diff::from_plan::structured_of(c) {
        Some(d) => {
            let value = super::root(&d, paint.on);
            push_line(&mut out, 0, symbol, paint, &format!("{labels} {value}"));
        }
        None => {
            // Nothing changes in it (an import, a `removed` block's forget, a data source read again): counted.
            push_line(&mut out, 0, symbol, paint, &format!("{labels} {{"));
            hidden(&mut out, c.unchanged_attributes, "unchanged attribute", paint);
            hidden(&mut out, c.unchanged_blocks, "unchanged block", paint);
            out.push_str("    }\n");
        }
    }
    out
}

/// `# (N unchanged attributes hidden)` inside a resource's block, when `n` is not 0.
fn hidden(out: &mut String, n: usize, what: &str, paint: &Paint) {
    if n > 0 {
        out.push_str("        ");
        out.push_str(&paint.wrap(Style::Dim, &format!("# ({} hidden)", plural(n, what))));
        out.push('\n');
    }
}

/// The whole change set as `terraform plan` would print it.
pub fn render(set: &ChangeSet, color: bool) -> String {
    let mut out = Vec::new();
    write(set, color, &mut out).expect("writing to memory does not fail");
    String::from_utf8(out).expect("the text is UTF-8")
}

/// [`render`], written to `w` as it is produced (a plan's text one resource at a time).
pub fn write(set: &ChangeSet, color: bool, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    if super::is_plan(set) {
        // A plan read from Terraform: Terraform's own text. infra's notes (if any) follow it.
        super::write_plan(set, color, w)?;
        for warning in &set.warnings {
            let text =
                crate::style::Paint::new(color).paint(Style::Warning, &format!("Warning: {}", escape_lines(warning)));
            write!(w, "\n{text}\n")?;
        }
        return Ok(());
    }
    let paint = Paint { on: color };
    let mut out = String::new();
    if !set.has_changes() {
        out.push_str(&paint.bold("No changes."));
        out.push_str(match set.source {
            Source::Drift => " Your infrastructure matches the configuration.\n",
            _ => " Your infrastructure matches the configuration.\n",
        });
    } else {
        out.push_str(&legend(set, &paint));
        out.push_str(match set.source {
            Source::Configuration => {
                "infra predicts the following actions (offline: values not known before apply are shown as written):\n"
            }
            Source::Plan => "Terraform will perform the following actions:\n",
            Source::Drift => "Terraform would perform the following actions to undo the drift:\n",
        });
        for c in &set.changes {
            out.push('\n');
            out.push_str(&resource_with(c, &paint));
        }
        out.push('\n');
        let s = set.summary();
        out.push_str(&paint.bold(&s.line()));
        out.push('\n');
        outputs(&mut out, set, &paint);
    }
    for warning in &set.warnings {
        out.push('\n');
        out.push_str(&paint.wrap(Style::Warning, &format!("Warning: {}", escape_lines(warning))));
        out.push('\n');
    }
    w.write_all(out.as_bytes())
}

/// The symbols the change set uses, explained (nothing when it uses none).
fn legend(set: &ChangeSet, paint: &Paint) -> String {
    let mut symbols: Vec<(&str, &str)> = Vec::new();
    for (test, sym, what) in [
        (Action::Create, "+", "create"),
        (Action::Update, "~", "update in-place"),
        (Action::Delete, "-", "destroy"),
        (
            Action::Replace {
                create_before_destroy: false,
            },
            "-/+",
            "destroy and then create replacement",
        ),
        (
            Action::Replace {
                create_before_destroy: true,
            },
            "+/-",
            "create replacement and then destroy",
        ),
        (Action::Read, "<=", "read (data resources)"),
        (Action::Forget, ".", "forget"),
    ] {
        if set.changes.iter().any(|c| c.action == test) {
            symbols.push((sym, what));
        }
    }
    let mut out = String::new();
    if !symbols.is_empty() {
        out.push_str("Resource actions are indicated with the following symbols:\n");
        for (sym, what) in symbols {
            let _ = writeln!(out, "{}{} {what}", " ".repeat(3 - sym.len()), paint.symbol(sym));
        }
        out.push('\n');
    }
    out
}

/// "Changes to Outputs:", when any output changes.
fn outputs(out: &mut String, set: &ChangeSet, paint: &Paint) {
    if set.outputs.is_empty() {
        return;
    }
    out.push_str("\nChanges to Outputs:\n");
    let width = set.outputs.iter().map(|o| escape(&o.name).len()).max().unwrap_or(0);
    for o in &set.outputs {
        let d = crate::diff::values::output(o.before.as_ref(), o.after.as_ref());
        let v = super::root(&d, paint.on);
        push_line(
            out,
            0,
            o.change.symbol(),
            paint,
            &format!("{:width$} = {v}", escape(&o.name)),
        );
    }
}
