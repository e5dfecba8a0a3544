//! Where snapshots live, in one place: `snapshots/<area>/<name>.snap` at the repository root (`area` is `check`,
//! `diff`, `drift`, `realplan` or `render`). Names carry no module prefix, so a snapshot keeps its name wherever
//! its test lives.

use std::path::Path;

/// insta's settings for `snapshots/<area>/`, on top of the current ones.
pub(crate) fn settings(area: &str) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots").join(area));
    settings.set_prepend_module_to_snapshot(false);
    settings
}

/// `snapshot!(area, name, value)`: insta's `assert_snapshot!(name, value)` into `snapshots/<area>/<name>.snap`.
macro_rules! snapshot {
    ($area:expr, $name:expr, $value:expr) => {{
        let _guard = $crate::support::snapshots::settings($area).bind_to_scope();
        insta::assert_snapshot!($name, $value)
    }};
}

/// `json_snapshot!(area, name, value)`: insta's `assert_json_snapshot!(name, value)` into
/// `snapshots/<area>/<name>.snap`.
macro_rules! json_snapshot {
    ($area:expr, $name:expr, $value:expr) => {{
        let _guard = $crate::support::snapshots::settings($area).bind_to_scope();
        let value = serde_json::to_value(&$value).expect("a snapshot value serialises");
        insta::assert_json_snapshot!($name, $crate::support::snapshots::Plain(&value))
    }};
}

/// A JSON value as insta serialises it: numbers as numbers. serde_json keeps a number's text
/// (`arbitrary_precision`) and hands it to other serialisers as a struct, which insta would print as an object.
pub(crate) struct Plain<'a>(pub(crate) &'a serde_json::Value);

impl serde::Serialize for Plain<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde_json::Value;
        match self.0 {
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    s.serialize_u64(u)
                } else if let Some(i) = n.as_i64() {
                    s.serialize_i64(i)
                } else {
                    s.serialize_f64(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            Value::Array(items) => s.collect_seq(items.iter().map(Plain)),
            Value::Object(map) => s.collect_map(map.iter().map(|(k, v)| (k, Plain(v)))),
            other => other.serialize(s),
        }
    }
}
