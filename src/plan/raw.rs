//! A plan's values kept as their JSON text, and reading JSON without serde_json's nesting limit (the depth is
//! checked first).

use super::text::SourceText;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;
use std::cell::RefCell;
use std::sync::{Arc, OnceLock};

/// A JSON value kept as its text (validated when the plan was read), parsed by [`RawJson::value`] when needed.
///
/// A value read from a plan file is a range of the file's one copy of its text (shared by every value of the
/// plan, [`parse_shared`]), not a copy of its own: a plan is held once in memory, not once as the file and once as
/// its values.
#[derive(Clone)]
pub(crate) struct RawJson {
    text: Arc<SourceText>,
    /// Offsets of 32 bits (a plan has five values a change): `Plan::parse` reads plans under 4 GiB.
    start: u32,
    end: u32,
}

thread_local! {
    /// The text [`parse_shared`] is reading: values found in it are kept as ranges of it.
    static SOURCE: RefCell<Option<Arc<SourceText>>> = const { RefCell::new(None) };
}

/// `make(text, start, end)` when `s` is the range `start..end` of the text [`parse_shared`] is reading (a string
/// serde_json borrowed from it); else `None` (a string it unescaped into a buffer of its own, or no text is being
/// read).
pub(super) fn range_of_source<T>(s: &str, make: impl FnOnce(Arc<SourceText>, usize, usize) -> Option<T>) -> Option<T> {
    SOURCE.with(|source| {
        let source = source.borrow();
        let whole = source.as_ref()?;
        let start = (s.as_ptr() as usize).checked_sub(whole.as_str().as_ptr() as usize)?;
        let end = start.checked_add(s.len()).filter(|end| *end <= whole.as_str().len())?;
        make(whole.clone(), start, end)
    })
}

impl<'de> Deserialize<'de> for RawJson {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<RawJson, D::Error> {
        let raw = <&'de RawValue>::deserialize(d)?;
        Ok(RawJson::of(raw.get()))
    }
}

impl RawJson {
    /// `text`: a range of the text being read by [`parse_shared`] when it is part of it, else a copy.
    fn of(text: &str) -> RawJson {
        range_of_source(text, |whole, start, end| {
            Some(RawJson {
                text: whole,
                start: u32::try_from(start).ok()?,
                end: u32::try_from(end).ok()?,
            })
        })
        .unwrap_or_else(|| RawJson {
            // Not a plan's (`Plan::parse` reads plans under 4 GiB): a value of 4 GiB or more reads as `null`.
            end: u32::try_from(text.len()).unwrap_or(0),
            text: Arc::new(SourceText::from(text.to_string())),
            start: 0,
        })
    }

    /// The value, parsed now (a new tree each call: keep it only as long as needed). Plans are validated when
    /// read ([`Plan::parse`]), so this is the value; `null` for a `RawJson` made otherwise that is not one.
    pub(crate) fn value(&self) -> Value {
        from_json(self.text()).unwrap_or(Value::Null)
    }

    /// The JSON text.
    pub(crate) fn text(&self) -> &str {
        &self.text.as_str()[self.start as usize..self.end as usize]
    }

    #[cfg(test)]
    pub(crate) fn is_null(&self) -> bool {
        self.text() == "null"
    }

    /// Whether it is a range of a plan file mapped into memory.
    #[cfg(test)]
    pub(crate) fn text_is_mapped(&self) -> bool {
        self.text.is_mapped()
    }

    /// Whether `self` and `other` are ranges of one text (not copies).
    #[cfg(test)]
    pub(crate) fn shares_text_with(&self, other: &RawJson) -> bool {
        Arc::ptr_eq(&self.text, &other.text)
    }
}

impl Default for RawJson {
    fn default() -> RawJson {
        static NULL: OnceLock<Arc<SourceText>> = OnceLock::new();
        RawJson {
            text: NULL
                .get_or_init(|| Arc::new(SourceText::from("null".to_string())))
                .clone(),
            start: 0,
            end: 4,
        }
    }
}

impl PartialEq for RawJson {
    fn eq(&self, other: &RawJson) -> bool {
        self.text() == other.text()
    }
}

/// Only the size: the text may hold secrets (plan JSON is not redacted).
impl std::fmt::Debug for RawJson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RawJson({} bytes)", self.end - self.start)
    }
}

/// `T` from `text` as [`from_json`] reads it, the [`RawJson`] values in it kept as ranges of `text` (shared).
pub(super) fn parse_shared<T: serde::de::DeserializeOwned>(text: &Arc<SourceText>) -> serde_json::Result<T> {
    /// Forgets the source however the parse ends.
    struct Reading;
    impl Drop for Reading {
        fn drop(&mut self) {
            SOURCE.with(|s| s.borrow_mut().take());
        }
    }
    SOURCE.with(|s| *s.borrow_mut() = Some(text.clone()));
    let _reading = Reading;
    from_json(text.as_str())
}

/// `T` from JSON text, without serde_json's nesting limit of 128 (plans pass it; [`Plan::parse`] checks the
/// depth against `MAX_DEPTH` first). Text is already UTF-8: its strings are not checked again.
pub(super) fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> serde_json::Result<T> {
    let mut de = serde_json::Deserializer::from_str(text);
    de.disable_recursion_limit();
    let value = T::deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// [`from_json`] of bytes that may not be UTF-8 (the reader says where they are not).
pub(super) fn from_json_bytes<T: serde::de::DeserializeOwned>(text: &[u8]) -> serde_json::Result<T> {
    let mut de = serde_json::Deserializer::from_slice(text);
    de.disable_recursion_limit();
    let value = T::deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// How deeply arrays and objects nest in `text` (outside strings).
pub(super) fn json_depth(text: &[u8]) -> usize {
    let (mut depth, mut max, mut i) = (0usize, 0usize, 0usize);
    while i < text.len() {
        match text[i] {
            b'"' => i = string_end(text, i + 1),
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    max
}

/// Where the JSON string whose text starts at `i` ends: the index of its closing quote (`text.len()` if none).
/// Eight bytes at a time while none of them is a quote or a backslash (most of a plan's bytes are in strings), then
/// straight to the first that is.
fn string_end(text: &[u8], mut i: usize) -> usize {
    /// The high bit of each byte of `w` that equals `b` (and maybe of bytes after one that does).
    fn has(w: u64, b: u8) -> u64 {
        let x = w ^ (0x0101_0101_0101_0101 * u64::from(b));
        x.wrapping_sub(0x0101_0101_0101_0101) & !x & 0x8080_8080_8080_8080
    }
    loop {
        while let Some(chunk) = text.get(i..i + 8) {
            let w = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
            let found = has(w, b'"') | has(w, b'\\');
            if found != 0 {
                // The lowest flagged byte is a quote or a backslash (only bytes after one can be flagged falsely).
                i += (found.trailing_zeros() / 8) as usize;
                break;
            }
            i += 8;
        }
        match text.get(i) {
            None => return text.len(),
            Some(b'"') => return i,
            Some(b'\\') => i += 2,
            Some(_) => i += 1,
        }
    }
}

/// Any JSON value, read to check that it is one: numbers that fit a float, strings without lone surrogates.
pub(super) struct Valid;

impl<'de> Deserialize<'de> for Valid {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Valid, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Valid;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_bool<E>(self, _: bool) -> Result<Valid, E> {
                Ok(Valid)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Valid, E> {
                Ok(Valid)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Valid, E> {
                Ok(Valid)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Valid, E> {
                Ok(Valid)
            }
            fn visit_str<E>(self, _: &str) -> Result<Valid, E> {
                Ok(Valid)
            }
            fn visit_unit<E>(self) -> Result<Valid, E> {
                Ok(Valid)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Valid, A::Error> {
                while seq.next_element::<Valid>()?.is_some() {}
                Ok(Valid)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Valid, A::Error> {
                // Keys read as `Valid` too: checked, not copied into a `String` each.
                while map.next_entry::<Valid, Valid>()?.is_some() {}
                Ok(Valid)
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::json_depth;

    #[test]
    fn depth_skips_strings_with_escapes_and_brackets() {
        assert_eq!(json_depth(br#"{"a":[1,{"b":"[[[\"{{"}],"c":"x\\"}"#), 3);
        assert_eq!(
            json_depth(br#"["aaaaaaaaaaaaaaaaaaaaa\"]]]]]]]]]]", [[["unterminated"#),
            4
        );
        assert_eq!(json_depth(b"[[[]]]"), 3);
        assert_eq!(json_depth(br#""no end \"#), 0);
        // A quote or backslash at each place of an eight-byte word, and a backslash before the quote.
        for at in 0..16 {
            let text = format!(
                r#"["{}\\{}", [[{{"k": "{}"}}]]]"#,
                "a".repeat(at),
                "b".repeat(15 - at),
                "c".repeat(at)
            );
            assert_eq!(json_depth(text.as_bytes()), 4, "{text}");
            let text = format!(r#"["{}\"]]]]]", "{}"]"#, "a".repeat(at), "b".repeat(at));
            assert_eq!(json_depth(text.as_bytes()), 1, "{text}");
        }
    }
}
