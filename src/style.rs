//! Colour for text output, in one place: named styles and the one way to paint them (ANSI SGR codes, as
//! Terraform's own output uses). The diff text view (`infra diff`, `infra drift`) and the check text view
//! (`infra check`) paint through [`Paint`]; whether to colour at all is the command line's choice
//! (`--color auto|always|never`).

/// What a piece of text is, for colouring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
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
    pub fn of_symbol(sym: &str) -> Option<Style> {
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
pub struct Paint {
    pub on: bool,
}

impl Paint {
    pub fn new(on: bool) -> Paint {
        Paint { on }
    }

    /// `s` in `style` (empty text stays empty: no escape codes around nothing).
    pub fn paint(self, style: Style, s: &str) -> String {
        if self.on && !s.is_empty() {
            format!("\x1b[{}m{s}\x1b[0m", style.sgr())
        } else {
            s.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
