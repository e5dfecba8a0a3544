//! Terraform's JSON syntax (`.tf.json`) and plan values: writing, reading, and the one JSON → body conversion.

pub(crate) mod mask;
mod read;
pub(crate) mod tree;
pub(crate) mod values;
mod write;

pub(crate) use read::read;
pub(crate) use values::{planned_config, values_body, PlannedResource, KNOWN_AFTER_APPLY};
pub(crate) use write::write;

/// A JSON value as HCL's evaluator holds it (`jsondecode`, `.tfvars.json`, live objects in drift). Not through
/// serde: serde_json keeps a number's text (`arbitrary_precision`) and hands it to other formats as a struct, which
/// `hcl::Value` would read as an object. Numbers are evaluated in f64 as the evaluator's (`hcl::Number`); `Err`
/// names a number beyond f64.
pub(crate) fn to_hcl(v: &serde_json::Value) -> Result<::hcl::Value, String> {
    use serde_json::Value;
    Ok(match v {
        Value::Null => ::hcl::Value::Null,
        Value::Bool(b) => ::hcl::Value::Bool(*b),
        Value::Number(n) => ::hcl::Value::Number(
            n.as_i64()
                .map(::hcl::Number::from)
                .or_else(|| n.as_u64().map(::hcl::Number::from))
                .or_else(|| n.as_f64().and_then(::hcl::Number::from_f64))
                .ok_or_else(|| format!("number out of range: {n}"))?,
        ),
        Value::String(s) => ::hcl::Value::String(s.clone()),
        Value::Array(items) => ::hcl::Value::Array(items.iter().map(to_hcl).collect::<Result<_, _>>()?),
        Value::Object(map) => ::hcl::Value::Object(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), to_hcl(v)?)))
                .collect::<Result<_, String>>()?,
        ),
    })
}

#[cfg(test)]
mod tests {
    /// Found by `tests/it/no_panic.rs` (moved here: the reader is not public).
    #[test]
    fn plan_locations_of_a_truncated_escape_are_an_error() {
        // The scan past unkept members stepped over a trailing backslash, past the end of the text, and the error
        // message then sliced there.
        for text in ["{\"x\": \"a\\", "{\"planned_values\": {}, \"x\": [1, \"\\"] {
            assert!(super::values::planned_locations("p.json", text).is_err(), "{text}");
        }
    }
}
