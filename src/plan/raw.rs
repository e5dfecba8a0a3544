//! A plan's values kept as their JSON text, and reading JSON without serde_json's nesting limit (the depth is
//! checked first).

use serde::Deserialize;
use serde_json::Value;

/// A JSON value kept as its text (validated when the plan was read), parsed by [`RawJson::value`] when needed.
#[derive(Clone, Deserialize)]
#[serde(transparent)]
pub(crate) struct RawJson(Box<serde_json::value::RawValue>);

impl RawJson {
    /// The value, parsed now (a new tree each call: keep it only as long as needed). Plans are validated when
    /// read ([`Plan::parse`]), so this is the value; `null` for a `RawJson` made otherwise that is not one.
    pub(crate) fn value(&self) -> Value {
        from_json(self.0.get()).unwrap_or(Value::Null)
    }

    /// The JSON text.
    pub(crate) fn text(&self) -> &str {
        self.0.get()
    }

    #[cfg(test)]
    pub(crate) fn is_null(&self) -> bool {
        self.0.get() == "null"
    }
}

impl Default for RawJson {
    fn default() -> RawJson {
        let null: Box<serde_json::value::RawValue> = serde_json::from_str("null").unwrap_or_else(|_| unreachable!());
        RawJson(null)
    }
}

impl PartialEq for RawJson {
    fn eq(&self, other: &RawJson) -> bool {
        self.0.get() == other.0.get()
    }
}

/// Only the size: the text may hold secrets (plan JSON is not redacted).
impl std::fmt::Debug for RawJson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RawJson({} bytes)", self.0.get().len())
    }
}

/// `T` from JSON text, without serde_json's nesting limit of 128 (plans pass it; [`Plan::parse`] checks the
/// depth against `MAX_DEPTH` first).
pub(super) fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> serde_json::Result<T> {
    from_json_bytes(text.as_bytes())
}

pub(super) fn from_json_bytes<T: serde::de::DeserializeOwned>(text: &[u8]) -> serde_json::Result<T> {
    let mut de = serde_json::Deserializer::from_slice(text);
    de.disable_recursion_limit();
    let value = T::deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// How deeply arrays and objects nest in `text` (outside strings).
pub(super) fn json_depth(text: &[u8]) -> usize {
    let (mut depth, mut max, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for &b in text {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
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
                while map.next_entry::<String, Valid>()?.is_some() {}
                Ok(Valid)
            }
        }
        d.deserialize_any(V)
    }
}
