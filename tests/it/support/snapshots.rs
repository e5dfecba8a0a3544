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
        insta::assert_json_snapshot!($name, $value)
    }};
}
