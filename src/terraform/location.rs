use std::fmt;
use std::sync::Arc;

/// Where something stands in a source file: file path (as given), 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Location {
    /// The file.
    pub file: Arc<str>,
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1.
    pub column: usize,
}

impl Location {
    /// A location in `file`.
    pub fn new(file: impl Into<Arc<str>>, line: usize, column: usize) -> Self {
        Location {
            file: file.into(),
            line,
            column,
        }
    }

    /// The location of byte `offset` in `source` (1-based line and column, columns counted in characters).
    pub(crate) fn at_offset(file: &Arc<str>, source: &str, offset: usize) -> Self {
        // An offset inside a character counts from the character's start (slicing there would panic).
        let mut offset = offset.min(source.len());
        while !source.is_char_boundary(offset) {
            offset -= 1;
        }
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

/// Line starts of a source text, for turning many byte offsets into locations without rescanning the text
/// each time (reading a large file stays linear).
#[derive(Debug, Clone)]
pub(crate) struct LineIndex<'a> {
    source: &'a str,
    /// Byte offset of the start of each line.
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(source: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            source
                .bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { source, starts }
    }

    /// The same as [`Location::at_offset`], in logarithmic time.
    pub(crate) fn location(&self, file: &Arc<str>, offset: usize) -> Location {
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
            file: file.clone(),
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
        let src = "a = 1\n\nb = \"é\"\nlast";
        let index = LineIndex::new(src);
        for offset in 0..=src.len() + 2 {
            if src.is_char_boundary(offset.min(src.len())) {
                assert_eq!(
                    index.location(&file, offset),
                    Location::at_offset(&file, src, offset),
                    "{offset}"
                );
            }
        }
    }
}
