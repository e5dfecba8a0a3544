use std::fmt;
use std::sync::Arc;

/// Where something stands in a source file: file path (as given), 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Location {
    pub file: Arc<str>,
    pub line: usize,
    pub column: usize,
}

impl Location {
    pub fn new(file: impl Into<Arc<str>>, line: usize, column: usize) -> Self {
        Location {
            file: file.into(),
            line,
            column,
        }
    }

    /// The location of byte `offset` in `source` (1-based line and column, columns counted in characters).
    pub fn at_offset(file: &Arc<str>, source: &str, offset: usize) -> Self {
        let offset = offset.min(source.len());
        let before = &source[..offset];
        let line = before.bytes().filter(|b| *b == b'\n').count() + 1;
        let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
        let column = source[line_start..offset].chars().count() + 1;
        Location {
            file: file.clone(),
            line,
            column,
        }
    }
}

/// Line starts of one source text, so that many offsets become locations in O(log lines) each instead of a scan
/// from the start of the file ([`Location::at_offset`] is quadratic when called for every attribute of a file).
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    file: Arc<str>,
    source: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(file: &Arc<str>, source: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(
                source
                    .bytes()
                    .enumerate()
                    .filter(|(_, b)| *b == b'\n')
                    .map(|(i, _)| i + 1),
            )
            .collect();
        LineIndex {
            file: file.clone(),
            source,
            starts,
        }
    }

    /// The same as [`Location::at_offset`] on this index's source.
    pub fn location(&self, offset: usize) -> Location {
        let offset = offset.min(self.source.len());
        let line = self.starts.partition_point(|s| *s <= offset);
        let line_start = self.starts[line - 1];
        let column = self
            .source
            .get(line_start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(0)
            + 1;
        Location {
            file: self.file.clone(),
            line,
            column,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_agrees_with_at_offset() {
        let file: Arc<str> = "f.tf".into();
        let text = "a = 1\n\nbé = \"x\"\n  c {\n}\n";
        let index = LineIndex::new(&file, text);
        for (offset, _) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
            assert_eq!(
                index.location(offset),
                Location::at_offset(&file, text, offset),
                "{offset}"
            );
        }
    }
}
