//! Blocks (Terraform's `block.go`): attributes, then nested blocks by type, hidden ones counted.

use super::quote::go_quote;
use super::{attribute_name, forces, important, indent, node, push_warnings, symbol, unchanged, Opts};
use crate::diff::structured::{Act, BlockGroup, Diff, Nest, Renderer};
use std::borrow::Cow;
use std::fmt::Write as _;

pub(super) fn render(d: &Diff, attributes: &[(String, Diff)], groups: &[BlockGroup], ind: usize, o: Opts) -> String {
    if attributes.is_empty() && groups.is_empty() {
        return format!("{{}}{}", forces(d.replace, o));
    }
    let mut buf = format!("{{{}\n", forces(d.replace, o));
    let hidden_attributes = write_attributes(&mut buf, attributes, ind, o);
    if hidden_attributes > 0 {
        let _ = writeln!(
            buf,
            "{}{}{}",
            indent(ind + 1),
            symbol(Act::NoOp, o),
            unchanged("attribute", hidden_attributes, o)
        );
    }
    let mut hidden_blocks = 0;
    for g in groups {
        hidden_blocks += write_group(&mut buf, d, g, !attributes.is_empty(), ind, o);
    }
    if hidden_blocks > 0 {
        let _ = writeln!(
            buf,
            "\n{}{}{}",
            indent(ind + 1),
            symbol(Act::NoOp, o),
            unchanged("block", hidden_blocks, o)
        );
    }
    let _ = write!(buf, "{}{}}}", indent(ind), symbol(Act::NoOp, o));
    buf
}

/// The attributes of a block, `=` aligned over all of them; returns how many were hidden.
fn write_attributes(buf: &mut String, attributes: &[(String, Diff)], ind: usize, o: Opts) -> usize {
    let keys: Vec<String> = attributes.iter().map(|(k, _)| attribute_name(k)).collect();
    let width = keys.iter().map(String::len).max().unwrap_or(0);
    let mut io = o.child();
    io.show_unchanged_children = true;
    let ao = o.child();
    let mut hidden = 0;
    for ((name, a), key) in attributes.iter().zip(&keys) {
        if important(name) {
            push_warnings(buf, a, ind + 1, io);
            let _ = writeln!(
                buf,
                "{}{}{name:width$} = {}",
                indent(ind + 1),
                symbol(a.action, io),
                node(a, ind + 1, io)
            );
            continue;
        }
        if a.action == Act::NoOp && !o.show_unchanged_children {
            hidden += 1;
            continue;
        }
        push_warnings(buf, a, ind + 1, o);
        let _ = writeln!(
            buf,
            "{}{}{key:width$} = {}",
            indent(ind + 1),
            symbol(a.action, ao),
            node(a, ind + 1, ao)
        );
    }
    hidden
}

/// The blocks of one type (`parent` is the block they are in), a blank line before the first one shown when the
/// parent has attributes; returns how many were hidden.
fn write_group(buf: &mut String, parent: &Diff, g: &BlockGroup, after_attributes: bool, ind: usize, o: Opts) -> usize {
    let mut hidden = 0;
    let mut found = false;
    let mut write = |diff: &Diff, map_key: &str, buf: &mut String| {
        let diff = sensitive_wrapped(g, diff);
        if diff.action == Act::NoOp && !o.show_unchanged_children {
            hidden += 1;
            return;
        }
        if !found && after_attributes {
            buf.push('\n');
            found = true;
        }
        let mut bo = o.child();
        bo.force_forces_replacement = g.replace;
        push_warnings(buf, &diff, ind + 1, bo);
        let _ = writeln!(
            buf,
            "{}{}{}{map_key} {}",
            indent(ind + 1),
            symbol(diff.action, bo),
            attribute_name(&g.name),
            node(&diff, ind + 1, bo)
        );
    };
    if g.unknown && g.nesting != Nest::Single {
        let unknown = Diff {
            renderer: Renderer::Unknown {
                before: None,
                written: None,
            },
            action: parent.action,
            replace: false,
        };
        write(&unknown, "", buf);
    }
    for (key, b) in &g.blocks {
        let map_key = key.as_deref().map(|k| format!(" {}", go_quote(k))).unwrap_or_default();
        write(b, &map_key, buf);
    }
    hidden
}

/// A block of a group marked sensitive on the side that shows, as a sensitive block.
fn sensitive_wrapped<'d>(g: &BlockGroup, diff: &'d Diff) -> Cow<'d, Diff> {
    let sensitive = match diff.action {
        Act::Create => g.after_sensitive,
        Act::Delete => g.before_sensitive,
        Act::Update | Act::NoOp => g.after_sensitive || g.before_sensitive,
    };
    if !sensitive {
        return Cow::Borrowed(diff);
    }
    let mut action = diff.action;
    if action == Act::NoOp && g.before_sensitive != g.after_sensitive {
        action = Act::Update;
    }
    Cow::Owned(Diff {
        renderer: Renderer::SensitiveBlock {
            inner: Box::new(diff.clone()),
            before: g.before_sensitive,
            after: g.after_sensitive,
        },
        action,
        replace: diff.replace,
    })
}
