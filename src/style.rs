//! Colour for text output, in one place: named styles and the one way to paint them (ANSI SGR codes, as
//! Terraform's own output uses). The diff text view (`infra diff`, `infra drift`) and the check text view
//! (`infra check`) paint through [`Paint`]; whether to colour at all is the command line's choice
//! (`--color auto|always|never`).
//!
//! And the one way input reaches text output: [`escape`] for a piece printed on one line (a name, a key, a
//! value, a message), [`escape_lines`] for a message of several lines (errors and warnings on stderr). Input is
//! untrusted (a pull request's Terraform, plan JSON, file names): nothing it holds may start an output line, so
//! it can neither forge a CI workflow command (`::error …`, `##[…`, `##vso[…`) nor paint or move the terminal.

use std::borrow::Cow;

/// What a piece of text is, for colouring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// `+`: created.
    Create,
    /// `~`: updated in place.
    Update,
    /// `-`: destroyed.
    Delete,
    /// `# forces replacement`.
    ForcesReplacement,
    /// `Warning: …`.
    Warning,
    /// `-/+`, `+/-`: replaced.
    Replace,
    /// `<=`: read.
    Read,
    /// Headings (`# azurerm_x.y will be created`, `Plan: …`).
    Heading,
    /// Secondary text (`# (3 unchanged attributes hidden)`).
    Dim,
    /// A finding's severity.
    Critical,
    High,
    Medium,
    Low,
    Info,
}

impl Style {
    /// The style of a plan symbol (`+`, `~`, `-`, `-/+`, `+/-`, `<=`); `None` for others.
    pub(crate) fn of_symbol(sym: &str) -> Option<Style> {
        Some(match sym {
            "+" => Style::Create,
            "~" => Style::Update,
            "-" => Style::Delete,
            "-/+" | "+/-" => Style::Replace,
            "<=" => Style::Read,
            _ => return None,
        })
    }

    fn sgr(self) -> &'static str {
        match self {
            Style::Create => "32",
            Style::Update => "33",
            Style::Delete | Style::ForcesReplacement => "31",
            Style::Warning => "33",
            Style::Replace => "35",
            Style::Read => "36",
            Style::Heading => "1",
            Style::Dim => "2",
            Style::Critical => "1;35",
            Style::High => "1;31",
            Style::Medium => "33",
            Style::Low => "36",
            Style::Info => "2",
        }
    }
}

/// Paints text in a [`Style`] when colour is on; otherwise leaves it as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Paint {
    pub on: bool,
}

impl Paint {
    pub(crate) fn new(on: bool) -> Paint {
        Paint { on }
    }

    /// `s` in `style` (empty text stays empty: no escape codes around nothing).
    pub(crate) fn paint(self, style: Style, s: &str) -> String {
        if self.on && !s.is_empty() {
            format!("\x1b[{}m{s}\x1b[0m", style.sgr())
        } else {
            s.to_string()
        }
    }
}

/// Whether `c` is never printed raw from input: the C0 controls (line feed, carriage return, tab, ESC, …), DEL,
/// the C1 controls (NEL U+0085, CSI U+009B, …), the line and paragraph separators (U+2028, U+2029) and the
/// bidirectional controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069). Each can end a line (for a
/// terminal, a CI log reader or an editor), drive a terminal, or make text read differently from what it is.
pub(crate) fn is_unsafe(c: char) -> bool {
    matches!(
        c,
        '\0'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{61c}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
    )
}

/// `c` escaped as Go's `%q` (and Terraform) escapes it, which HCL's quoted strings read back: `\a \b \f \n \r
/// \t \v`, `\xNN` for the other C0 controls and DEL, `\uNNNN` (`\UNNNNNNNN`) for anything else.
pub(crate) fn push_escaped(out: &mut String, c: char) {
    match c {
        '\u{7}' => out.push_str("\\a"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{b}' => out.push_str("\\v"),
        c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
        c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
        c => out.push_str(&format!("\\U{:08x}", c as u32)),
    }
}

/// Whether a `[` after `before` would open a CI logging command that runners act on anywhere in a line:
/// GitHub Actions' `##[command]` and Azure Pipelines' `##vso[command]`.
pub(crate) fn opens_command(before: &str) -> bool {
    let b = before.as_bytes();
    b.ends_with(b"##") || (b.len() >= 5 && b[b.len() - 5..].eq_ignore_ascii_case(b"##vso"))
}

/// `piece` (input printed on one line) made safe to print: every [`is_unsafe`] character escaped
/// ([`push_escaped`]), the `[` of a `##[` or `##vso[` escaped (`\u005b`), and a piece that starts (after
/// whitespace) with `::` — a GitHub Actions workflow command when it starts a line — gets its first `:` escaped
/// (`\u003a`). Text without any of these is returned as it is.
pub(crate) fn escape(piece: &str) -> Cow<'_, str> {
    let command = piece.trim_start().starts_with("::");
    if !command && !piece.chars().any(is_unsafe) && !piece.contains("##") {
        return Cow::Borrowed(piece);
    }
    let first_colon = command.then(|| piece.len() - piece.trim_start().len());
    let mut out = String::with_capacity(piece.len() + 8);
    for (i, c) in piece.char_indices() {
        if is_unsafe(c) || (c == '[' && opens_command(&piece[..i])) || Some(i) == first_colon {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A message of several lines (an error, a warning) made safe to print: its line feeds kept, each line
/// [`escape`]d (so a carriage return or a line separator inside a line is escaped, and no line starts with
/// `::`).
pub(crate) fn escape_lines(message: &str) -> Cow<'_, str> {
    if !message.split('\n').any(|l| matches!(escape(l), Cow::Owned(_))) {
        return Cow::Borrowed(message);
    }
    Cow::Owned(message.split('\n').map(escape).collect::<Vec<_>>().join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_cannot_start_a_line_or_drive_a_terminal() {
        assert_eq!(escape("x\n::error file=x::pwned"), "x\\n::error file=x::pwned");
        assert_eq!(escape("::add-mask::x"), "\\u003a:add-mask::x");
        assert_eq!(escape("  ::warning::x"), "  \\u003a:warning::x");
        assert_eq!(escape("\u{1b}[31mred"), "\\x1b[31mred");
        assert_eq!(
            escape("a\u{85}b\u{2028}c\u{2029}d\u{202e}e\u{2066}f\rg\th"),
            "a\\u0085b\\u2028c\\u2029d\\u202ee\\u2066f\\rg\\th"
        );
        assert_eq!(
            escape("x ##[error]y ##VSO[task.setvariable]z #[ok] # [ok]"),
            "x ##\\u005berror]y ##VSO\\u005btask.setvariable]z #[ok] # [ok]"
        );
        assert!(matches!(escape("azurerm_x.y[\"k é ü\"] = \"::1\""), Cow::Borrowed(_)));
        assert_eq!(
            escape_lines("error: bad\n::error::x\rhelp: fix"),
            "error: bad\n\\u003a:error::x\\rhelp: fix"
        );
        assert!(matches!(escape_lines("error: a\n  help: b"), Cow::Borrowed(_)));
    }

    #[test]
    fn paints_only_when_on_and_never_around_nothing() {
        assert_eq!(Paint::new(true).paint(Style::Create, "+"), "\x1b[32m+\x1b[0m");
        assert_eq!(Paint::new(true).paint(Style::High, "high"), "\x1b[1;31mhigh\x1b[0m");
        assert_eq!(Paint::new(false).paint(Style::Create, "+"), "+");
        assert_eq!(Paint::new(true).paint(Style::Dim, ""), "");
        assert_eq!(Style::of_symbol("+/-"), Some(Style::Replace));
        assert_eq!(Style::of_symbol("#"), None);
    }
}
