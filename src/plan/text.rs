//! The text of a plan as it was read — the file mapped into memory or the bytes read into memory — and the
//! plan's strings kept as ranges of it ([`SharedStr`]).

use crate::fsutil::FileBytes;
use serde::Deserialize;
use std::sync::Arc;

/// A plan's whole text, checked to be UTF-8 once when made: the file's bytes mapped into memory (a large
/// regular file, `crate::fsutil::map_bounded`) or held in memory (a small file, standard input, text parsed
/// from memory).
pub(crate) struct SourceText(Inner);

enum Inner {
    Owned(String),
    /// Bytes checked to be UTF-8 when the `SourceText` was made (never changed by infra: the map is read-only).
    Mapped(memmap2::Mmap),
}

impl SourceText {
    /// The text of a file read by `crate::fsutil::map_bounded`, or the bytes back when they are not UTF-8.
    pub(crate) fn of_file(bytes: FileBytes) -> Result<SourceText, FileBytes> {
        match bytes {
            FileBytes::Read(v) => String::from_utf8(v)
                .map(|s| SourceText(Inner::Owned(s)))
                .map_err(|e| FileBytes::Read(e.into_bytes())),
            FileBytes::Mapped(m) => match std::str::from_utf8(&m) {
                Ok(_) => Ok(SourceText(Inner::Mapped(m))),
                Err(_) => Err(FileBytes::Mapped(m)),
            },
        }
    }

    /// The text.
    pub(crate) fn as_str(&self) -> &str {
        match &self.0 {
            Inner::Owned(s) => s,
            // SAFETY: the bytes were checked to be UTF-8 when this `SourceText` was made (`of_file`), and infra
            // never writes to them (the map is read-only). Another process rewriting the file in place while infra
            // reads it could change them; `crate::fsutil::map_bounded` says why that is accepted.
            Inner::Mapped(m) => unsafe { std::str::from_utf8_unchecked(m) },
        }
    }

    /// Whether the text is the file mapped into memory (not a copy).
    #[cfg(test)]
    pub(crate) fn is_mapped(&self) -> bool {
        matches!(self.0, Inner::Mapped(_))
    }
}

impl From<String> for SourceText {
    fn from(s: String) -> SourceText {
        SourceText(Inner::Owned(s))
    }
}

/// A string of a plan (an address, a type, an action): a range of the plan's [`SourceText`] when the JSON string
/// has no escapes — nearly all of them — else a copy of its own. A plan of 60,000 changes has about half a million
/// of them: kept as ranges, none is allocated. Reads as a `&str`.
#[derive(Clone)]
pub(crate) struct SharedStr(Repr);

#[derive(Clone)]
enum Repr {
    /// `text.as_str()[start..end]`: offsets of 32 bits (a plan over 4 GiB keeps copies).
    Range {
        text: Arc<SourceText>,
        start: u32,
        end: u32,
    },
    Own(Box<str>),
}

impl SharedStr {
    /// `s`: a range of the text being read by [`super::raw::parse_shared`] when it is part of it, else a copy.
    fn of(s: &str) -> SharedStr {
        super::raw::range_of_source(s, |text, start, end| {
            Some(SharedStr(Repr::Range {
                text,
                start: u32::try_from(start).ok()?,
                end: u32::try_from(end).ok()?,
            }))
        })
        .unwrap_or_else(|| SharedStr(Repr::Own(s.into())))
    }

    /// The string.
    pub(crate) fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Range { text, start, end } => &text.as_str()[*start as usize..*end as usize],
            Repr::Own(s) => s,
        }
    }
}

#[cfg(test)]
impl SharedStr {
    /// Whether it is a range of a plan's text (not a copy).
    pub(crate) fn is_range(&self) -> bool {
        matches!(self.0, Repr::Range { .. })
    }
}

impl std::ops::Deref for SharedStr {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

/// The empty string (a plan's missing `mode`).
impl Default for SharedStr {
    fn default() -> SharedStr {
        SharedStr(Repr::Own("".into()))
    }
}

impl From<&str> for SharedStr {
    fn from(s: &str) -> SharedStr {
        SharedStr(Repr::Own(s.into()))
    }
}

impl PartialEq for SharedStr {
    fn eq(&self, other: &SharedStr) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for SharedStr {}

impl PartialEq<str> for SharedStr {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for SharedStr {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Display for SharedStr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// As a `String`'s: these are addresses, types and actions, never values.
impl std::fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl<'de> Deserialize<'de> for SharedStr {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<SharedStr, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = SharedStr;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E>(self, s: &str) -> Result<SharedStr, E> {
                // Borrowed from the text when serde_json could (no escapes), so `of` finds it there.
                Ok(SharedStr::of(s))
            }
        }
        d.deserialize_str(V)
    }
}
