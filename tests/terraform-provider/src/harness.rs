//! Runs real `terraform` against the test provider, for this crate's tests and any other test that wants
//! `terraform validate` / `terraform plan` on a directory of `.tf` / `.tf.json` files.
//!
//! Terraform finds the providers through a CLI configuration with `dev_overrides` for `hashicorp/azurerm`,
//! `hashicorp/time` and `hashicorp/corpus`, all pointing at one directory ([`provider_dir`]) that holds the
//! test provider binary linked under each provider's name (`terraform-provider-azurerm`, `-time`, `-corpus`:
//! the name chooses the schemas it serves, [`crate::schema::Served::for_program`]); under dev_overrides neither
//! `validate` nor `plan` needs `terraform init` (as long as the configuration uses no other provider and no
//! module). Terraform talks to the provider over its default automatic mutual TLS (feature `mtls`, on by
//! default); with `TF_DISABLE_PLUGIN_TLS=1` (set without that feature) the provider speaks plain gRPC.
//!
//! ```no_run
//! use infra_test_provider::harness;
//! let checked = harness::check_dir(&harness::provider_binary(), "terraform/dev".as_ref());
//! checked.assert_ok();
//! ```

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Mutex, OnceLock};

/// The provider binary's file name, as cargo builds it (it serves azurerm under this name).
pub const BINARY_NAME: &str = "terraform-provider-azurerm";

/// Where the provider binary is. In order: `$INFRA_TEST_PROVIDER_BIN`; the binary in the running test's
/// target directory (`target/<profile>/terraform-provider-azurerm`, which `cargo test --workspace` builds
/// along with everything else); otherwise it is built with `cargo build -p infra-test-provider` into a target
/// directory of its own (`target/<profile>/infra-test-provider/`: the running `cargo test` holds the lock on
/// the main one). This crate's own tests use `env!("CARGO_BIN_EXE_terraform-provider-azurerm")` instead.
pub fn provider_binary() -> PathBuf {
    if let Some(p) = std::env::var_os("INFRA_TEST_PROVIDER_BIN") {
        return PathBuf::from(p);
    }
    static FOUND: OnceLock<PathBuf> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            // A test binary lives in target/<profile>/deps/.
            let exe = std::env::current_exe().expect("current_exe");
            let profile_dir = exe
                .parent()
                .and_then(Path::parent)
                .expect("test binary under target/<profile>/deps");
            let candidate = profile_dir.join(BINARY_NAME);
            if candidate.exists() {
                return candidate;
            }
            let target_dir = profile_dir.join("infra-test-provider");
            let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
            let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
            let status = Command::new(cargo)
                .args([
                    "build",
                    "--quiet",
                    "-p",
                    "infra-test-provider",
                    "--bin",
                    BINARY_NAME,
                    "--manifest-path",
                ])
                .arg(&manifest)
                .arg("--target-dir")
                .arg(&target_dir)
                .status();
            assert!(
                matches!(status, Ok(s) if s.success()),
                "could not build the terraform test provider: {status:?}"
            );
            let built = target_dir.join("debug").join(BINARY_NAME);
            assert!(built.exists(), "test provider binary not found at {}", built.display());
            built
        })
        .clone()
}

/// The directory every dev override points at: `infra-test-providers/` next to `provider_bin`, holding a
/// symbolic link to `provider_bin` under the file name of each provider it serves
/// ([`Served::ALL`](crate::schema::Served::ALL)). Each link is made under a temporary name and renamed into
/// place, so concurrent test processes never see a missing or half-made one.
pub fn provider_dir(provider_bin: &Path) -> std::io::Result<PathBuf> {
    let bin = provider_bin.canonicalize()?;
    let dir = bin
        .parent()
        .expect("binary has a parent directory")
        .join("infra-test-providers");
    std::fs::create_dir_all(&dir)?;
    for (_, name) in crate::schema::Served::ALL {
        let link = dir.join(name);
        if std::fs::canonicalize(&link).is_ok_and(|target| target == bin) {
            continue;
        }
        let tmp = dir.join(format!(".{name}.{}", std::process::id()));
        let _ = std::fs::remove_file(&tmp);
        link_to(&bin, &tmp)?;
        std::fs::rename(&tmp, &link)?;
    }
    Ok(dir)
}

#[cfg(unix)]
fn link_to(bin: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(bin, link)
}

#[cfg(not(unix))]
fn link_to(bin: &Path, link: &Path) -> std::io::Result<()> {
    std::fs::copy(bin, link).map(|_| ())
}

/// A Terraform CLI configuration file with dev overrides for every provider the test provider serves
/// (`hashicorp/azurerm`, `hashicorp/time`, `hashicorp/corpus`) pointing at [`provider_dir`]. It is written there
/// (`infra-test-provider.tfrc`; its content depends only on that directory, so concurrent test processes write
/// the same bytes, each atomically).
pub fn cli_config(provider_bin: &Path) -> PathBuf {
    static CONFIGS: OnceLock<Mutex<HashMap<PathBuf, PathBuf>>> = OnceLock::new();
    let mut configs = CONFIGS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let bin = provider_bin
        .canonicalize()
        .unwrap_or_else(|e| panic!("{}: {e}", provider_bin.display()));
    configs
        .entry(bin.clone())
        .or_insert_with(|| {
            let dir = provider_dir(&bin).unwrap_or_else(|e| panic!("links to {}: {e}", bin.display()));
            let quoted = serde_json::to_string(&dir.to_string_lossy()).expect("string");
            let overrides: String = crate::schema::Served::ALL
                .iter()
                .map(|(_, name)| {
                    let source = format!("hashicorp/{}", name.trim_start_matches("terraform-provider-"));
                    format!("    \"{source}\" = {quoted}\n")
                })
                .collect();
            let text = format!("provider_installation {{\n  dev_overrides {{\n{overrides}  }}\n  direct {{}}\n}}\n");
            let path = dir.join("infra-test-provider.tfrc");
            let tmp = dir.join(format!(".infra-test-provider.tfrc.{}", std::process::id()));
            std::fs::write(&tmp, text)
                .and_then(|()| std::fs::rename(&tmp, &path))
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            path
        })
        .clone()
}

/// The `terraform` program: `$TERRAFORM` or `terraform` on PATH.
pub fn terraform_program() -> OsString {
    std::env::var_os("TERRAFORM").unwrap_or_else(|| OsString::from("terraform"))
}

/// A `terraform` command running in `workdir` against the test provider at `provider_bin`.
pub fn terraform_command(provider_bin: &Path, workdir: &Path) -> Command {
    let mut cmd = Command::new(terraform_program());
    if cfg!(feature = "mtls") {
        // Terraform's default: automatic mutual TLS with the plugin (see `tls.rs`).
        cmd.env_remove("TF_DISABLE_PLUGIN_TLS");
    } else {
        cmd.env("TF_DISABLE_PLUGIN_TLS", "1");
    }
    cmd.current_dir(workdir)
        .env("TF_CLI_CONFIG_FILE", cli_config(provider_bin))
        .env("TF_IN_AUTOMATION", "1")
        .env("CHECKPOINT_DISABLE", "1")
        .env_remove("TF_DATA_DIR")
        .env_remove("TF_WORKSPACE")
        .env_remove("TF_CLI_ARGS");
    cmd
}

/// A `terraform` command running in `workdir` against the test provider found by [`provider_binary`].
pub fn terraform_with_provider(workdir: &Path) -> Command {
    terraform_command(&provider_binary(), workdir)
}

/// The outcome of one terraform command.
#[derive(Debug)]
pub struct Run {
    pub args: Vec<String>,
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout and stderr together, for matching messages wherever terraform printed them.
    pub fn output(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

/// Runs a command; panics (so a test fails, never skips) when terraform cannot be started.
pub fn run(mut cmd: Command) -> Run {
    let args = std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let out: Output = cmd.output().unwrap_or_else(|e| {
        panic!(
            "could not run {:?}: {e}. The test suite needs terraform 1.11 on PATH (or $TERRAFORM).",
            cmd.get_program()
        )
    });
    Run {
        args,
        success: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Copies a configuration directory (recursively, without `.terraform/`) into a fresh temporary directory and
/// removes `backend` and `cloud` blocks from its `terraform` blocks, so that `plan` runs without
/// `terraform init` (which would contact the registry) and without any remote state.
///
/// Every sensitive variable without a default (app secrets, webhook header values: set from a secret store at
/// plan time in real use) gets a made-up value in `infra-test-secrets.auto.tfvars.json`, which terraform loads by
/// itself; a `*_service_uri` one gets an `https://` URI.
pub fn stage(dir: &Path) -> std::io::Result<tempfile::TempDir> {
    let tmp = tempfile::Builder::new().prefix("infra-tf-").tempdir()?;
    copy_config(dir, tmp.path())?;
    let mut values = serde_json::Map::new();
    for name in required_sensitive_variables(tmp.path())? {
        let value = if name.ends_with("_service_uri") {
            format!("https://hooks.example.invalid/{name}")
        } else {
            format!("test-value-of-{name}")
        };
        values.insert(name, serde_json::Value::String(value));
    }
    if !values.is_empty() {
        let text = serde_json::to_string_pretty(&values).map_err(std::io::Error::other)?;
        std::fs::write(tmp.path().join("infra-test-secrets.auto.tfvars.json"), text)?;
    }
    Ok(tmp)
}

/// Names of the `variable`s of the top-level `.tf` / `.tf.json` files of `dir` that are `sensitive = true` and
/// have no `default`.
pub fn required_sensitive_variables(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.ends_with(".tf") {
            let Ok(body) = std::fs::read_to_string(&path)?.parse::<hcl_edit::structure::Body>() else {
                continue;
            };
            for block in body.get_blocks("variable") {
                let sensitive = block
                    .body
                    .get_attribute("sensitive")
                    .is_some_and(|a| a.value.as_bool() == Some(true));
                if sensitive && block.body.get_attribute("default").is_none() {
                    if let Some(label) = block.labels.first() {
                        out.push(label.as_str().to_string());
                    }
                }
            }
        } else if name.ends_with(".tf.json") {
            let Ok(doc) = serde_json::from_str::<serde_json::Value>(&std::fs::read_to_string(&path)?) else {
                continue;
            };
            if let Some(vars) = doc.get("variable").and_then(serde_json::Value::as_object) {
                for (name, v) in vars {
                    let v = v.as_array().and_then(|a| a.first()).unwrap_or(v);
                    if v.get("sensitive") == Some(&serde_json::Value::Bool(true)) && v.get("default").is_none() {
                        out.push(name.clone());
                    }
                }
            }
        }
    }
    out.sort();
    Ok(out)
}

fn copy_config(from: &Path, to: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        let src = entry.path();
        let dst = to.join(&name);
        let name = name.to_string_lossy();
        if entry.file_type()?.is_dir() {
            if name != ".terraform" {
                std::fs::create_dir_all(&dst)?;
                copy_config(&src, &dst)?;
            }
        } else if name.ends_with(".tf") {
            let text = std::fs::read_to_string(&src)?;
            std::fs::write(dst, strip_backend_hcl(&text).map_err(|e| invalid(&src, e))?)?;
        } else if name.ends_with(".tf.json") {
            let text = std::fs::read_to_string(&src)?;
            std::fs::write(dst, strip_backend_json(&text).map_err(|e| invalid(&src, e))?)?;
        } else if !name.ends_with(".tfstate") && !name.ends_with(".tfstate.backup") {
            std::fs::copy(&src, dst)?;
        }
    }
    Ok(())
}

fn invalid(path: &Path, e: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, format!("{}: {e}", path.display()))
}

/// Removes `backend "…" {}` and `cloud {}` from every `terraform {}` block of an HCL file. A file that does not
/// parse is returned unchanged (terraform will report it).
pub fn strip_backend_hcl(text: &str) -> Result<String, String> {
    let Ok(mut body) = text.parse::<hcl_edit::structure::Body>() else {
        return Ok(text.to_string());
    };
    let mut changed = false;
    for block in body.get_blocks_mut("terraform") {
        changed |= !block.body.remove_blocks("backend").is_empty();
        changed |= !block.body.remove_blocks("cloud").is_empty();
    }
    Ok(if changed { body.to_string() } else { text.to_string() })
}

/// The same for a JSON configuration file (`"terraform": {"backend": …}` or a list of such objects).
pub fn strip_backend_json(text: &str) -> Result<String, String> {
    let Ok(mut doc) = serde_json::from_str::<serde_json::Value>(text) else {
        return Ok(text.to_string());
    };
    let mut changed = false;
    if let Some(tf) = doc.get_mut("terraform") {
        let blocks: Vec<&mut serde_json::Value> = match tf {
            serde_json::Value::Array(items) => items.iter_mut().collect(),
            other => vec![other],
        };
        for b in blocks {
            if let Some(obj) = b.as_object_mut() {
                changed |= obj.remove("backend").is_some();
                changed |= obj.remove("cloud").is_some();
            }
        }
    }
    if !changed {
        return Ok(text.to_string());
    }
    serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())
}

/// `terraform validate` and, if that passed, `terraform plan -out` + `terraform show -json` on a staged copy
/// of `dir`.
#[derive(Debug)]
pub struct Checked {
    pub dir: PathBuf,
    pub validate: Run,
    pub plan: Option<Run>,
    pub show: Option<Run>,
    /// The plan as `terraform show -json` prints it.
    pub plan_json: Option<serde_json::Value>,
}

impl Checked {
    pub fn ok(&self) -> bool {
        self.validate.success
            && self.plan.as_ref().is_some_and(|r| r.success)
            && self.show.as_ref().is_some_and(|r| r.success)
            && self.plan_json.is_some()
    }

    /// Panics with terraform's output unless validate and plan both succeeded.
    pub fn assert_ok(&self) {
        if self.ok() {
            return;
        }
        let mut msg = format!("terraform rejected {}:\n", self.dir.display());
        for r in [Some(&self.validate), self.plan.as_ref(), self.show.as_ref()]
            .into_iter()
            .flatten()
        {
            if !r.success {
                msg.push_str(&format!("$ {}\n{}\n", r.args.join(" "), r.output()));
            }
        }
        panic!("{msg}");
    }
}

/// `terraform validate` on a staged copy of `dir`.
pub fn validate(provider_bin: &Path, dir: &Path) -> Run {
    let staged = stage(dir).unwrap_or_else(|e| panic!("staging {}: {e}", dir.display()));
    let mut cmd = terraform_command(provider_bin, staged.path());
    cmd.args(["validate", "-no-color"]);
    run(cmd)
}

/// Validates and plans `dir` (a staged copy of it: the directory itself is never written to).
pub fn check_dir(provider_bin: &Path, dir: &Path) -> Checked {
    let staged = stage(dir).unwrap_or_else(|e| panic!("staging {}: {e}", dir.display()));
    let tf = |args: &[&str]| {
        let mut cmd = terraform_command(provider_bin, staged.path());
        cmd.args(args);
        run(cmd)
    };
    let validate = tf(&["validate", "-no-color"]);
    let mut checked = Checked {
        dir: dir.to_path_buf(),
        validate,
        plan: None,
        show: None,
        plan_json: None,
    };
    if !checked.validate.success {
        return checked;
    }
    let plan = tf(&["plan", "-no-color", "-input=false", "-lock=false", "-out=infra.tfplan"]);
    let planned = plan.success;
    checked.plan = Some(plan);
    if planned {
        let show = tf(&["show", "-json", "-no-color", "infra.tfplan"]);
        if show.success {
            checked.plan_json = serde_json::from_str(&show.stdout).ok();
        }
        checked.show = Some(show);
    }
    checked
}

/// Directories under `root` (recursively, skipping hidden ones) that directly contain `.tf` or `.tf.json` files.
pub fn config_dirs(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = vec![];
    let mut has_config = false;
    let mut entries: Vec<_> = std::fs::read_dir(root)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        if e.file_type()?.is_dir() {
            if !name.starts_with('.') {
                out.extend(config_dirs(&e.path())?);
            }
        } else if name.ends_with(".tf") || name.ends_with(".tf.json") {
            has_config = true;
        }
    }
    if has_config {
        out.insert(0, root.to_path_buf());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_blocks_are_removed_from_hcl_and_json() {
        let hcl = "terraform {\n  required_version = \">= 1.11\"\n  backend \"azurerm\" {\n    key = \"x\"\n  }\n}\n";
        let out = strip_backend_hcl(hcl).unwrap();
        assert!(!out.contains("backend"), "{out}");
        assert!(out.contains("required_version"), "{out}");
        let json = r#"{"terraform": {"backend": {"azurerm": {"key": "x"}}, "required_version": ">= 1.11"}}"#;
        let out = strip_backend_json(json).unwrap();
        assert!(!out.contains("backend") && out.contains("required_version"), "{out}");
        // Untouched when there is nothing to strip.
        assert_eq!(
            strip_backend_hcl("resource \"a\" \"b\" {}\n").unwrap(),
            "resource \"a\" \"b\" {}\n"
        );
    }
}
