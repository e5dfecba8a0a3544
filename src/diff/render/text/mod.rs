//! The text view: Terraform's plan text (`terraform show PLANFILE`) for every source ([`render`], [`write()`],
//! [`resource`]). One renderer per kind of node of the structured change (`crate::diff::structured::Renderer`),
//! one file each, as Terraform's `internal/command/jsonformat/computed/renderers`, and the frames around them:
//! `plan.rs` for a plan read from Terraform (the preamble, each resource's header comment, the `Plan:` line,
//! "Changes to Outputs:" and the closing notes, exactly Terraform's), `frame.rs` for an offline diff or
//! `infra drift` (infra's legend and headings around the same renderers). Terraform 1.11's
//! layout rules (internal/command/jsonformat/computed/renderers and plan.go; read, not copied): four columns per
//! level, the symbol right-aligned in the first three; `=` aligned over every attribute of a body, shown or
//! hidden; the unchanged `id`, `name` and `tags` always shown; hidden attributes, blocks and elements counted
//! separately; unchanged list elements next to a change shown for context; `-> null` on deleted values.

mod block;
mod frame;
mod json_string;
mod list;
mod map;
mod object;
mod plan;
mod primitive;
mod quote;
mod sensitive;
mod set;
mod string;
mod type_change;
mod unknown;

pub use frame::{render, resource, write};
use plan::{is_plan, resource_of_plan, write_plan};

use crate::diff::structured::{Act, Diff, Renderer};
use crate::style::Style;
use quote::attribute_name;
use sensitive::warnings;
use std::borrow::Cow;
use std::fmt::Write as _;

/// Terraform's `RenderHumanOpts`.
#[derive(Clone, Copy)]
pub(super) struct Opts {
    pub(super) paint: crate::style::Paint,
    pub(super) override_null_suffix: bool,
    pub(super) force_forces_replacement: bool,
    pub(super) forbid_forces_replacement: bool,
    pub(super) show_unchanged_children: bool,
}

impl Opts {
    /// A copy for children: the forced/forbidden "forces replacement" marks do not pass down.
    pub(super) fn child(self) -> Opts {
        Opts {
            force_forces_replacement: false,
            forbid_forces_replacement: false,
            ..self
        }
    }
    pub(super) fn color(self, style: Style, s: &str) -> String {
        self.paint.paint(style, s)
    }
}

/// `n` levels of indentation (four spaces each), borrowed up to a depth no plan reaches in practice.
pub(super) fn indent(n: usize) -> Cow<'static, str> {
    const SPACES: &str = concat!(
        "                                                                                                    ",
        "                                                                                                    "
    );
    SPACES
        .get(..4 * n)
        .map_or_else(|| Cow::Owned("    ".repeat(n)), Cow::Borrowed)
}

/// `s` in `style`, borrowed when there is no colour (the text view's output to a pipe).
fn painted(o: Opts, style: Style, s: &'static str) -> Cow<'static, str> {
    if o.paint.on {
        Cow::Owned(o.color(style, s))
    } else {
        Cow::Borrowed(s)
    }
}

/// A symbol in its three columns, then a space.
pub(super) fn symbol(action: Act, o: Opts) -> Cow<'static, str> {
    if !o.paint.on {
        return Cow::Borrowed(match action {
            Act::Create => "  + ",
            Act::Delete => "  - ",
            Act::Update => "  ~ ",
            Act::NoOp => "    ",
        });
    }
    Cow::Owned(match action {
        Act::Create => format!("  {} ", o.color(Style::Create, "+")),
        Act::Delete => format!("  {} ", o.color(Style::Delete, "-")),
        Act::Update => format!("  {} ", o.color(Style::Update, "~")),
        Act::NoOp => "    ".to_string(),
    })
}

pub(super) fn null_suffix(action: Act, o: Opts) -> Cow<'static, str> {
    if !o.override_null_suffix && action == Act::Delete {
        prefixed_space(painted(o, Style::Dim, "-> null"))
    } else {
        Cow::Borrowed("")
    }
}

pub(super) fn forces(replace: bool, o: Opts) -> Cow<'static, str> {
    if (replace || o.force_forces_replacement) && !o.forbid_forces_replacement {
        prefixed_space(painted(o, Style::ForcesReplacement, "# forces replacement"))
    } else {
        Cow::Borrowed("")
    }
}

/// ` ` then `s`, borrowed for the uncoloured marks.
fn prefixed_space(s: Cow<'static, str>) -> Cow<'static, str> {
    match s {
        Cow::Borrowed("-> null") => Cow::Borrowed(" -> null"),
        Cow::Borrowed("# forces replacement") => Cow::Borrowed(" # forces replacement"),
        other => Cow::Owned(format!(" {other}")),
    }
}

pub(super) fn unchanged(what: &str, n: usize, o: Opts) -> String {
    let s = if n == 1 { "" } else { "s" };
    o.color(Style::Dim, &format!("# ({n} unchanged {what}{s} hidden)"))
}

pub(super) fn important(name: &str) -> bool {
    matches!(name, "id" | "name" | "tags")
}

/// A structured change at the root — a resource's block, an output's value — as Terraform's text shows it after
/// the resource's labels or the output's name; for changes not read from a plan (offline, drift), whose frame
/// `frame.rs` writes.
pub(crate) fn root(d: &Diff, color: bool) -> String {
    node(d, 0, plan::root_opts(crate::style::Paint::new(color)))
}

/// A node as Terraform prints it after its name (`= value`, a block's `{ … }`), at indentation level `ind`.
pub(super) fn node(d: &Diff, ind: usize, o: Opts) -> String {
    match &d.renderer {
        Renderer::Primitive { before, after, ty } => primitive::render(d, before, after, *ty, ind, o),
        Renderer::Sensitive { .. } => sensitive::value(d, o),
        Renderer::SensitiveBlock { .. } => sensitive::block(d, ind, o),
        Renderer::Unknown { before, written } => unknown::render(d, before.as_deref(), written.as_deref(), ind, o),
        Renderer::TypeChange { before, after } => type_change::render(before, after, ind, o),
        Renderer::List { elements, context } => list::render(d, elements, *context, ind, o),
        Renderer::Set { elements, nested } => set::render(d, elements, *nested, ind, o),
        Renderer::Map { elements, nested } => map::render(d, elements, *nested, ind, o),
        Renderer::Object { attributes, nested } => object::render(d, attributes, *nested, ind, o),
        Renderer::Block { attributes, blocks } => block::render(d, attributes, blocks, ind, o),
    }
}

/// The end of a collection or object: the hidden-count line (when anything was hidden), then the closing bracket
/// with the null suffix of a deleted value.
pub(super) fn close_collection(
    buf: &mut String,
    what: &str,
    hidden: usize,
    closer: char,
    d: &Diff,
    ind: usize,
    o: Opts,
) {
    if hidden > 0 {
        let _ = writeln!(
            buf,
            "{}{}{}",
            indent(ind + 1),
            symbol(Act::NoOp, o),
            unchanged(what, hidden, o)
        );
    }
    let _ = write!(
        buf,
        "{}{}{closer}{}",
        indent(ind),
        symbol(Act::NoOp, o),
        null_suffix(d.action, o)
    );
}

/// A warning line (sensitivity changes) above a node, when it has one.
pub(super) fn push_warnings(buf: &mut String, d: &Diff, ind: usize, o: Opts) {
    for w in warnings(d, ind, o) {
        let _ = writeln!(buf, "{}{w}", indent(ind));
    }
}
