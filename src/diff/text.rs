//! The text view: Terraform's plan output (`terraform plan`), symbols and all.

pub(crate) use super::model::value_text;
use super::model::{
    json_text, Action, AttributeChange, Change, ChangeSet, Node, Reason, ResourceChange, Source, Value,
};
use crate::style::{escape, escape_lines, Style};

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

/// A map key as Terraform prints it: always quoted (and [`escape`]d).
fn key_text(k: &str) -> String {
    escape(&serde_json::Value::String(k.to_string()).to_string()).into_owned()
}

fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// The header comment of a resource change (`# azurerm_x.y will be updated in-place`) and its reason lines,
/// every name in them [`escape`]d.
pub(crate) fn header_lines(c: &ResourceChange) -> Vec<String> {
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

/// A body's changes, then the counts of its unchanged attributes (`ua`) and blocks (`ub`).
fn body(out: &mut String, depth: usize, attrs: &[AttributeChange], ua: usize, ub: usize, paint: &Paint) {
    let width = attrs
        .iter()
        .filter(|a| matches!(a.node, Node::Attribute { .. }))
        .map(|a| escape(&a.name).len())
        .max()
        .unwrap_or(0);
    let hidden = |out: &mut String, n: usize, what: &str| {
        if n > 0 {
            out.push_str(&" ".repeat(4 * depth + 4));
            out.push_str(&paint.wrap(Style::Dim, &format!("# ({} hidden)", plural(n, what))));
            out.push('\n');
        }
    };
    for a in attrs {
        let sym = a.change.symbol();
        let name = escape(&a.name);
        let forces = if a.forces_replacement {
            format!(" {}", paint.wrap(Style::ForcesReplacement, "# forces replacement"))
        } else {
            String::new()
        };
        match &a.node {
            Node::Attribute { before, after } => {
                attribute(out, depth, a, (before.as_ref(), after.as_ref()), width, &forces, paint)
            }
            Node::Block {
                attributes,
                unchanged_attributes,
                unchanged_blocks,
                ..
            } => {
                push_line(out, depth, sym, paint, &format!("{name} {{{forces}"));
                body(
                    out,
                    depth + 1,
                    attributes,
                    *unchanged_attributes,
                    *unchanged_blocks,
                    paint,
                );
                out.push_str(&" ".repeat(4 * depth + 4));
                out.push_str("}\n");
            }
        }
    }
    hidden(out, ua, "unchanged attribute");
    hidden(out, ub, "unchanged block");
}

/// One attribute of a body, `=` at `width`; `forces` ends its first line.
fn attribute(
    out: &mut String,
    depth: usize,
    a: &AttributeChange,
    sides: (Option<&Value>, Option<&Value>),
    width: usize,
    forces: &str,
    paint: &Paint,
) {
    let sym = a.change.symbol();
    let name = escape(&a.name);
    match sides {
        (Some(Value::Known(serde_json::Value::Object(b))), Some(Value::Known(serde_json::Value::Object(n))))
            if a.change == Change::Update && !b.is_empty() && !n.is_empty() =>
        {
            // A map changes element by element, as Terraform shows it.
            push_line(out, depth, sym, paint, &format!("{name:width$} = {{{forces}"));
            map_body(out, depth + 1, b, n, paint);
            out.push_str(&" ".repeat(4 * depth + 4));
            out.push_str("}\n");
        }
        (before, after) => {
            let v = match (a.change, before, after) {
                (Change::Create, _, Some(x)) => value_text(x),
                (Change::Delete, Some(x), _) => format!("{} -> null", value_text(x)),
                (Change::Update, Some(x), Some(y)) => format!("{} -> {}", value_text(x), value_text(y)),
                (_, _, Some(x)) | (_, Some(x), None) => value_text(x),
                (_, None, None) => "null".into(),
            };
            push_line(out, depth, sym, paint, &format!("{name:width$} = {v}{forces}"));
        }
    }
}

/// The elements of a map that changed, with unchanged ones counted.
fn map_body(
    out: &mut String,
    depth: usize,
    before: &serde_json::Map<String, serde_json::Value>,
    after: &serde_json::Map<String, serde_json::Value>,
    paint: &Paint,
) {
    let mut keys: Vec<&String> = before.keys().chain(after.keys()).collect();
    keys.sort();
    keys.dedup();
    let quoted = |k: &str| key_text(k);
    let width = keys
        .iter()
        .filter(|k| before.get(k.as_str()) != after.get(k.as_str()))
        .map(|k| quoted(k).len())
        .max()
        .unwrap_or(0);
    let mut unchanged = 0;
    for k in keys {
        let key = quoted(k);
        match (before.get(k), after.get(k)) {
            (Some(x), Some(y)) if x == y => unchanged += 1,
            (Some(x), Some(y)) => push_line(
                out,
                depth,
                "~",
                paint,
                &format!("{key:width$} = {} -> {}", json_text(x), json_text(y)),
            ),
            (None, Some(y)) => push_line(out, depth, "+", paint, &format!("{key:width$} = {}", json_text(y))),
            (Some(x), None) => push_line(
                out,
                depth,
                "-",
                paint,
                &format!("{key:width$} = {} -> null", json_text(x)),
            ),
            (None, None) => {}
        }
    }
    if unchanged > 0 {
        out.push_str(&" ".repeat(4 * depth + 4));
        out.push_str(&paint.wrap(
            Style::Dim,
            &format!("# ({} hidden)", plural(unchanged, "unchanged element")),
        ));
        out.push('\n');
    }
}

/// One resource change: header comments and the block.
pub fn resource(c: &ResourceChange, color: bool) -> String {
    resource_with(c, &Paint { on: color })
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
    if let Some(d) = super::from_plan::structured_of(c) {
        let value = super::render::text::root(&d, paint.on);
        push_line(&mut out, 0, c.action.symbol(), paint, &format!("{labels} {value}"));
        return out;
    }
    push_line(&mut out, 0, c.action.symbol(), paint, &format!("{labels} {{"));
    body(
        &mut out,
        1,
        &c.attributes,
        c.unchanged_attributes,
        c.unchanged_blocks,
        paint,
    );
    out.push_str("    }\n");
    out
}

/// The whole change set as `terraform plan` would print it.
pub fn render(set: &ChangeSet, color: bool) -> String {
    let mut out = Vec::new();
    write(set, color, &mut out).expect("writing to memory does not fail");
    String::from_utf8(out).expect("the text is UTF-8")
}

/// [`render`], written to `w` as it is produced (a plan's text one resource at a time).
pub fn write(set: &ChangeSet, color: bool, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    if super::render::text::is_plan(set) {
        // A plan read from Terraform: Terraform's own text. infra's notes (if any) follow it.
        super::render::text::write_plan(set, color, w)?;
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
            out.push_str(&resource_with(&super::details(c), &paint));
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
            out.push_str(&format!("{}{} {what}\n", " ".repeat(3 - sym.len()), paint.symbol(sym)));
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
        let d = super::values::output(o.before.as_ref(), o.after.as_ref());
        let v = super::render::text::root(&d, paint.on);
        push_line(
            out,
            0,
            o.change.symbol(),
            paint,
            &format!("{:width$} = {v}", escape(&o.name)),
        );
    }
}
