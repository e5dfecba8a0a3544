//! Terraform's JSON syntax (`.tf.json`) and plan values: writing, reading, and the one JSON → body conversion.

pub(crate) mod mask;
mod read;
pub(crate) mod tree;
pub(crate) mod values;
mod write;

pub(crate) use read::read;
pub(crate) use values::{planned_config, values_body, PlannedResource, KNOWN_AFTER_APPLY};
pub(crate) use write::write;

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
