//! The Markdown view, for a pull-request comment: summary table first, destructive changes called out, then
//! each resource's details in a collapsible section — kept under GitHub's comment size limit.
//!
//! The comment is posted from a pull request's input: every address, key, value and message in it is made inert
//! (`inert`, inside `<code>` by `code`) and every resource's text is in a code fence no line of it can close,
//! so the input adds no markup, link, image, mention or table cell.

use crate::diff::model::{Action, ChangeSet, Reason, ResourceChange, Source};

/// GitHub rejects comments longer than this many characters.
pub const GITHUB_COMMENT_LIMIT: usize = 65_536;

/// The change set as Markdown, at most [`GITHUB_COMMENT_LIMIT`] characters.
pub fn render(set: &ChangeSet) -> String {
    render_limited(set, GITHUB_COMMENT_LIMIT)
}

fn why(c: &ResourceChange) -> String {
    let mut parts: Vec<String> = Vec::new();
    for r in &c.reasons {
        parts.push(match r {
            Reason::ForcesReplacement { attribute } => format!("{} forces replacement", code(attribute)),
            Reason::Cascade { attribute, resource } | Reason::DependsOnReplaced { attribute, resource } => {
                format!("{} refers to {}, which is replaced", code(attribute), code(resource))
            }
            Reason::MayForceReplacement { attribute } => format!(
                "⚠️ {} forces replacement for some values: confirm with `terraform plan`",
                code(attribute)
            ),
            Reason::NotInConfiguration => "not in configuration".into(),
            Reason::RemovedBlock => "`removed` block".into(),
            Reason::Tainted => "tainted".into(),
            Reason::ReplaceByRequest => "replacement requested".into(),
            Reason::CannotUpdate => "cannot be updated in place".into(),
            Reason::DependencyPending => "depends on pending changes".into(),
            Reason::Other { reason } => code(reason),
        });
    }
    if let Some(p) = &c.previous_address {
        parts.push(format!("moved from {}", code(p)));
    }
    if let Some(id) = &c.importing {
        parts.push(format!("imported from {}", code(id)));
    }
    parts.dedup();
    parts.join("; ")
}

fn action_label(a: Action) -> &'static str {
    match a {
        Action::Create => "➕ create",
        Action::Update => "🔄 update in-place",
        Action::Replace {
            create_before_destroy: false,
        } => "♻️ replace (destroy, then create)",
        Action::Replace {
            create_before_destroy: true,
        } => "♻️ replace (create, then destroy)",
        Action::Delete => "❌ destroy",
        Action::Read => "📖 read",
        Action::Move => "🚚 move",
        Action::Import => "📥 import",
        Action::Forget => "🫥 forget",
        Action::NoOp => "no-op",
    }
}

/// The change set as Markdown of at most `limit` characters: when the details do not fit, the last
/// sections are left out and a note says how many.
pub fn render_limited(set: &ChangeSet, limit: usize) -> String {
    let mut head = format!("### {}\n\n", command(set));
    if !set.has_changes() {
        head.push_str("**No changes.** Your infrastructure matches the configuration.\n");
        for w in &set.warnings {
            head.push_str(&warning(w));
        }
        return head;
    }
    head.push_str(&summary(set));
    head.push_str(&caution(set));
    for w in &set.warnings {
        head.push_str(&warning(&clip(w, 4000)));
    }
    let table = table(set);
    let outputs = outputs(set);

    // Fit: head always; then the table, the outputs and as many detail sections as fit with room for a note.
    const NOTE_ROOM: usize = 400;
    let mut out = head;
    let budget = limit.saturating_sub(NOTE_ROOM);
    let mut cut_rows = 0;
    if out.len() + table.len() <= budget {
        out.push_str(&table);
    } else {
        out.push_str("\n| Resource | Action | Why |\n|---|---|---|\n");
        // One row per change (as many as there are changes).
        for (_, line) in set.changes.iter().zip(table.lines().skip(3)) {
            if out.len() + line.len() + 1 > budget {
                cut_rows += 1;
                continue;
            }
            out.push_str(line);
            out.push('\n');
        }
    }
    // The picture of what a replacement drags along, when it fits.
    if let Some(picture) = crate::diff::graph::markdown(set) {
        if out.len() + picture.len() <= budget {
            out.push_str(&picture);
        }
    }
    if out.len() + outputs.len() <= budget {
        out.push_str(&outputs);
    }
    out.push_str("\n#### Details\n\n");
    let cut = details(&mut out, set, budget);
    if out.len() > budget {
        // Only a pathological head (thousands of warnings) gets here: cut it hard.
        out = clip(&out, budget);
        out.push('\n');
        cut_rows = set.changes.len();
    }
    if cut > 0 || cut_rows > 0 {
        out.push_str(&format!(
            "\n> [!NOTE]\n> Cut to stay under GitHub's {limit}-character comment limit: {cut} of {} resource detail \
             sections{} left out. Run `{}` locally (or `--format json`) for the full plan.\n",
            set.changes.len(),
            if cut_rows > 0 {
                format!(" and {cut_rows} summary table rows")
            } else {
                String::new()
            },
            command(set)
        ));
    }
    out
}

/// The `Plan:` line and the table of counts.
fn summary(set: &ChangeSet) -> String {
    let s = set.summary();
    let mut out = format!("**{}**\n\n", s.line());
    out.push_str("| Add | Change | Destroy | Import | Move | Read | Forget | Unchanged |\n");
    out.push_str("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    out.push_str(&format!(
        "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
        s.add, s.change, s.destroy, s.import, s.move_only, s.read, s.forget, s.unchanged
    ));
    out
}

/// The caution listing destructive changes (the first 50), when there are any.
fn caution(set: &ChangeSet) -> String {
    const LISTED: usize = 50;
    let destructive: Vec<&ResourceChange> = set.changes.iter().filter(|c| c.action.is_destructive()).collect();
    if destructive.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "\n> [!CAUTION]\n> **{} destructive change{}:** these objects will be destroyed{}.\n>\n",
        destructive.len(),
        if destructive.len() == 1 { "" } else { "s" },
        if destructive.iter().any(|c| matches!(c.action, Action::Replace { .. })) {
            " (replaced objects are destroyed and created again)"
        } else {
            ""
        }
    );
    for c in destructive.iter().take(LISTED) {
        let w = why(c);
        out.push_str(&format!(
            "> - {} — {}{}\n",
            code(&c.address),
            action_label(c.action),
            if w.is_empty() { String::new() } else { format!(": {w}") }
        ));
    }
    if destructive.len() > LISTED {
        out.push_str(&format!(
            "> - … and {} more (see the table below)\n",
            destructive.len() - LISTED
        ));
    }
    out
}

/// The table of changes: resource, action, why.
fn table(set: &ChangeSet) -> String {
    let mut table = String::from("\n| Resource | Action | Why |\n|---|---|---|\n");
    for c in &set.changes {
        table.push_str(&format!(
            "| {} | {} | {} |\n",
            code(&c.address),
            action_label(c.action),
            why(c)
        ));
    }
    table
}

/// The outputs' changes, folded; empty when none change.
fn outputs(set: &ChangeSet) -> String {
    let mut outputs = String::new();
    if set.outputs.is_empty() {
        return outputs;
    }
    outputs.push_str("\n<details><summary>Changes to outputs</summary>\n\n");
    let mut lines = String::new();
    for o in &set.outputs {
        let v = match (&o.before, &o.after) {
            (Some(b), Some(a)) => format!(
                "{} -> {}",
                crate::diff::model::value_text(b),
                crate::diff::model::value_text(a)
            ),
            (None, Some(a)) => crate::diff::model::value_text(a),
            (Some(b), None) => format!("{} -> null", crate::diff::model::value_text(b)),
            (None, None) => "null".into(),
        };
        lines.push_str(&format!(
            "{:>3} {} = {v}\n",
            o.change.symbol(),
            crate::style::escape(&o.name)
        ));
    }
    outputs.push_str(&fenced(&lines));
    outputs.push_str("\n</details>\n");
    outputs
}

/// A resource's details: the text view's, without colour (for a plan, Terraform's text of its structured change).
fn resource_text(c: &ResourceChange) -> String {
    super::text::resource(c, false)
}

/// As many detail sections as fit in `budget`, in order; returns how many were left out. Each section is built
/// when it is placed (its details computed then), and none after the first that does not fit: a large plan's
/// sections are not all held at once.
fn details(out: &mut String, set: &ChangeSet, budget: usize) -> usize {
    let section = |c: &ResourceChange| {
        format!(
            "<details><summary>{} — {}</summary>\n\n{}\n</details>\n",
            code(&c.address),
            action_label(c.action),
            fenced(&resource_text(c))
        )
    };
    let mut cut = 0;
    for c in &set.changes {
        if cut > 0 {
            cut += 1;
            continue;
        }
        let sec = section(c);
        if out.len() + sec.len() <= budget {
            out.push_str(&sec);
        } else {
            cut += 1;
        }
    }
    cut
}

/// The command whose output this is: `infra drift` for drift, `infra diff` otherwise.
fn command(set: &ChangeSet) -> &'static str {
    match set.source {
        Source::Drift => "infra drift",
        _ => "infra diff",
    }
}

/// At most `max` bytes of `s`, cut at a character boundary, with `…` when cut.
fn clip(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

/// A warning (infra's words about input, of one line or more) as a GitHub alert, each line [`inert`].
fn warning(w: &str) -> String {
    let lines: Vec<String> = w.split('\n').map(inert).collect();
    format!("\n> [!WARNING]\n> {}\n", lines.join("\n> "))
}

/// `text` (infra's text view, lines ending in `\n`) in a code fence longer than any run of backticks in it, so
/// no line of it can close the fence.
fn fenced(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}\n{text}{fence}\n")
}

/// Input shown as code: `<code>` around [`inert`] text. GitHub reads Markdown inside an inline `<code>` element
/// (emphasis, links, autolinks), which the entities of [`inert`] leave as plain text; it links no mention or
/// issue reference inside `<code>`.
fn code(s: &str) -> String {
    format!("<code>{}</code>", inert(s))
}

/// Input as text that is neither HTML nor Markdown, on one line: [`crate::style::escape`]d, then every character
/// that Markdown or HTML text reads (`& < > | \ ` * [ ] ~ $ ! : # @`, `_` except between letters or digits, the
/// `.` of `www.`) written as a character reference, which both read as the character itself; `|` so it splits no
/// table cell; `:` and the `.` of `www.` so no address becomes a link; `@` and `#` followed by a word joiner
/// (U+2060), so that even outside `<code>` no `@name` is a mention and no `#123` an issue reference.
fn inert(s: &str) -> String {
    let s = crate::style::escape(s);
    let chars: Vec<char> = s.chars().collect();
    let alnum = |i: Option<usize>| i.and_then(|i| chars.get(i)).is_some_and(|c| c.is_ascii_alphanumeric());
    let mut out = String::with_capacity(s.len() + 16);
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '@' | '#' => out.push_str(&format!("&#{};&#8288;", c as u32)),
            '_' if alnum(i.checked_sub(1)) && alnum(Some(i + 1)) => out.push(c),
            '.' if i >= 3 && chars[i - 3..i].iter().collect::<String>().eq_ignore_ascii_case("www") => {
                out.push_str("&#46;")
            }
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '~' | '$' | '!' | ':' => {
                out.push_str(&format!("&#{};", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}
