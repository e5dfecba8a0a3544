//! What is wrong with a stack, and where: `FILE:LINE:COL: message` then `  help: …` lines.

use std::fmt;

/// One problem in a stack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The stack file as it was named when loaded (e.g. `stacks/prod.toml`), or the stack's name when it was
    /// built in Rust.
    pub file: String,
    /// 1-based line and column (in characters) of the offending value; `None` for stacks built in Rust.
    pub line_col: Option<(usize, usize)>,
    /// The field at fault, e.g. `container_app.scale.min_replicas` (empty for syntax errors).
    pub field: String,
    /// What is wrong.
    pub message: String,
    /// What would be valid.
    pub help: Vec<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line_col {
            Some((line, col)) => write!(f, "{}:{line}:{col}: {}", self.file, self.message)?,
            None => write!(f, "{}: {}", self.file, self.message)?,
        }
        for h in &self.help {
            write!(f, "\n  help: {h}")?;
        }
        Ok(())
    }
}

/// A stack that could not be read or is not valid: every problem found, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackError {
    /// Every problem found, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

impl StackError {
    /// An error that is not about a place in the file (e.g. the file cannot be read).
    pub fn file(file: &str, message: impl Into<String>) -> StackError {
        StackError {
            diagnostics: vec![Diagnostic {
                file: file.to_string(),
                line_col: None,
                field: String::new(),
                message: message.into(),
                help: Vec::new(),
            }],
        }
    }
}

impl fmt::Display for StackError {
    /// Each diagnostic as `FILE:LINE:COL: message` + `  help: …` lines; several are separated by a newline and
    /// `error: ` so that a caller printing `error: {err}` labels each one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                f.write_str("\nerror: ")?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for StackError {}
