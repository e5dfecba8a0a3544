//! Where a called module is: a local source's directory, or where `terraform init` installed it
//! (`.terraform/modules/modules.json`) — never outside the repository.

use super::State;
use crate::terraform::{Block, Location, ReadError};
use std::collections::BTreeMap;
use std::path::Path;

/// The directory of a module call's source: relative to the calling module for `./` and `../`, else where
/// `terraform init` installed it. `None` (and a note in `state.not_read`) when it cannot be found, or when it
/// resolves outside the repository (then also in `state.unread`: "not read: outside the repository").
pub(super) fn module_dir(
    source: &str,
    call: &Block,
    module_key: &str,
    state: &mut State,
) -> Option<std::path::PathBuf> {
    let caller = call
        .location
        .as_ref()
        .and_then(|l| Path::new(l.file.as_ref()).parent().map(Path::to_path_buf))
        .unwrap_or_else(|| state.root.clone());
    let address = || format!("module.{}", module_key.replace('.', ".module."));
    let dir = if source.starts_with("./") || source.starts_with("../") {
        lexical(&caller.join(source))
    } else if let Some(installed) = state.installed.get(module_key) {
        lexical(&state.root.join(installed))
    } else {
        let why = if source.is_empty() {
            "no literal `source`".to_string()
        } else {
            "not installed: run `terraform init` to read it (.terraform/modules/modules.json)".to_string()
        };
        state.not_read.push((address(), source.to_string(), why));
        return None;
    };
    match crate::fsutil::is_inside(&dir, &state.repository) {
        Ok(true) if dir.is_dir() => Some(dir),
        Ok(false) => {
            let why = crate::fsutil::ReadLimitError::Outside {
                root: state.repository.clone(),
            };
            let at = call
                .location
                .clone()
                .unwrap_or_else(|| Location::new(dir.display().to_string(), 1, 1));
            let message = format!("{} (source {source:?}) {why}", address());
            state.unread.push(ReadError::at(at, message));
            state
                .not_read
                .push((address(), source.to_string(), crate::fsutil::OUTSIDE_REPOSITORY.into()));
            None
        }
        _ => {
            state.not_read.push((
                address(),
                source.to_string(),
                format!("{} is not a directory", dir.display()),
            ));
            None
        }
    }
}

/// `path` without `.` components and with `dir/..` pairs removed (so locations read `modules/app/main.tf`).
fn lexical(path: &Path) -> std::path::PathBuf {
    use std::path::Component;
    let mut out: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.is_empty() {
        return std::path::PathBuf::from(".");
    }
    out.iter().collect()
}

/// `.terraform/modules/modules.json` of the root module: each installed module's key and directory (none when the
/// manifest is not in the repository at `repository`).
pub(super) fn installed_modules(root: &Path, repository: &Path) -> BTreeMap<String, String> {
    #[derive(serde::Deserialize)]
    struct Manifest {
        #[serde(rename = "Modules", default)]
        modules: Vec<Entry>,
    }
    #[derive(serde::Deserialize)]
    struct Entry {
        #[serde(rename = "Key")]
        key: String,
        #[serde(rename = "Dir")]
        dir: String,
    }
    let manifest = root.join(".terraform/modules/modules.json");
    crate::fsutil::read_in_repository(&manifest, repository, crate::fsutil::FILE_LIMIT)
        .ok()
        .and_then(|t| serde_json::from_slice::<Manifest>(&t).ok())
        .map(|m| {
            m.modules
                .into_iter()
                .filter(|e| !e.key.is_empty())
                .map(|e| (e.key, e.dir))
                .collect()
        })
        .unwrap_or_default()
}
