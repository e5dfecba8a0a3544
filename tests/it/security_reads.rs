//! Issue 20, "a hostile pull request can't hurt the runner": reads stay inside the repository, and every read is
//! bounded. A pull request controls the files infra reads — symlinks among them — so a Terraform file, variable
//! file or module that resolves outside the repository is not read ("not read: outside the repository", in every
//! output format, its content nowhere), and a device, fifo or huge file ends the read at once.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_infra");

/// What a runner's `~/.docker/config.json` holds: the credential that must never appear in any output.
const SECRET: &str = "czNjcmV0LXRva2Vu";
const DOCKER_CONFIG: &str = r#"{"auths":{"myregistry.azurecr.io":{"auth":"czNjcmV0LXRva2Vu"}}}"#;

const OUTSIDE: &str = "not read: outside the repository";

/// A registry named from a variable: a variable file's value reaches ACR013's message (`… is not a valid registry
/// name`).
const REGISTRY: &str = r#"
variable "auths" {
  default = {}
}

resource "azurerm_container_registry" "main" {
  name                = jsonencode(var.auths)
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Premium"
}
"#;

/// A module with a registry whose name ACR013 rejects: where its finding appears, the module was read.
const MODULE: &str = r#"
resource "azurerm_container_registry" "this" {
  name                = "Not_A_Valid_Name"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Premium"
}
"#;

/// A temporary directory holding `outside/` (the rest of the machine) and `repo/` (a git checkout: `repo/.git`).
struct Machine {
    dir: tempfile::TempDir,
}

impl Machine {
    fn new() -> Machine {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("repo/.git")).unwrap();
        std::fs::create_dir_all(dir.path().join("outside")).unwrap();
        Machine { dir }
    }

    fn repo(&self) -> PathBuf {
        self.dir.path().join("repo")
    }

    fn outside(&self) -> PathBuf {
        self.dir.path().join("outside")
    }

    fn write(&self, path: &str, text: &str) {
        let path = self.dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn symlink(&self, target: impl AsRef<Path>, link: &str) {
        let link = self.dir.path().join(link);
        std::fs::create_dir_all(link.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, link).unwrap();
    }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    took: Duration,
}

/// Runs infra in `cwd`; a run that has not ended after 20 s is killed (and the test fails on its exit code).
fn infra(cwd: &Path, args: &[&str]) -> Run {
    let start = Instant::now();
    let child = Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || tx.send(child.wait_with_output()));
    let out = match rx.recv_timeout(Duration::from_secs(20)) {
        Ok(out) => out.unwrap(),
        Err(_) => {
            // The child this test started, by its id.
            // SAFETY: kill takes plain integers; the pid is our own child's.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            rx.recv().unwrap().unwrap()
        }
    };
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        took: start.elapsed(),
    }
}

fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr))
}

/// The rule and address of every finding of a JSON report.
fn findings(report: &serde_json::Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().into(),
                f["address"].as_str().unwrap().into(),
            )
        })
        .collect()
}

/// The messages of a JSON report's `unread` list.
fn unread(report: &serde_json::Value) -> Vec<String> {
    report["unread"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            format!(
                "{}: {}",
                u["file"].as_str().unwrap_or("-"),
                u["message"].as_str().unwrap()
            )
        })
        .collect()
}

/// The messages of a SARIF log's `toolExecutionNotifications`.
fn notifications(sarif: &serde_json::Value) -> Vec<String> {
    sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .map(|n| {
            n.iter()
                .map(|n| n["message"]["text"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_variable_file_linked_to_the_docker_config_is_not_read_in_any_format() {
    let m = Machine::new();
    m.write("outside/config.json", DOCKER_CONFIG);
    m.write("repo/env/main.tf", REGISTRY);
    m.symlink(m.outside().join("config.json"), "repo/env/terraform.tfvars.json");
    let env = m.repo().join("env");

    let text = infra(&env, &["check", "."]);
    assert_eq!(text.code, 2, "{}{}", text.stdout, text.stderr);
    assert!(
        text.stderr
            .contains("terraform.tfvars.json:1:1: not read: outside the repository"),
        "{}",
        text.stderr
    );
    let report = infra(&env, &["check", ".", "--format", "json"]);
    let sarif = infra(&env, &["check", ".", "--format", "sarif"]);
    for run in [&text, &report, &sarif] {
        assert!(
            !run.stdout.contains(SECRET) && !run.stderr.contains(SECRET),
            "{}{}",
            run.stdout,
            run.stderr
        );
        assert!(!run.stdout.contains("myregistry"), "{}", run.stdout);
    }
    let report = json(&report);
    assert_eq!(
        unread(&report),
        [format!(
            "terraform.tfvars.json: {OUTSIDE} ({})\nhelp: infra reads only files inside the repository (the git \
             checkout, or the checked directory outside git); move the file inside it rather than linking to it",
            std::fs::canonicalize(m.repo()).unwrap().display()
        )]
    );
    // The configuration itself was checked: the variable kept its default.
    assert!(findings(&report).contains(&("ACR013".into(), "azurerm_container_registry.main".into())));
    let notes = notifications(&json(&sarif));
    assert!(
        notes.len() == 1 && notes[0].starts_with(&format!("not checked: {OUTSIDE}")),
        "{notes:?}"
    );
}

#[test]
fn the_same_variable_file_inside_the_repository_is_read() {
    // The control: what the symlink out of the repository would have shown (the finding names the value).
    let m = Machine::new();
    m.write("repo/shared/config.json", DOCKER_CONFIG);
    m.write("repo/env/main.tf", REGISTRY);
    m.symlink("../shared/config.json", "repo/env/terraform.tfvars.json");
    let run = infra(&m.repo().join("env"), &["check", "."]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains(SECRET), "{}", run.stdout);
}

#[test]
fn a_module_source_climbing_out_of_the_repository_is_not_read() {
    let m = Machine::new();
    m.write("outside/module/main.tf", MODULE);
    m.write(
        "repo/env/main.tf",
        "module \"m\" {\n  source = \"../../outside/module\"\n}\n",
    );
    let env = m.repo().join("env");
    let run = infra(&env, &["check", ".", "--format", "json"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    let report = json(&run);
    assert_eq!(findings(&report), []);
    let unread = unread(&report);
    assert!(
        unread.len() == 1
            && unread[0].starts_with(&format!(
                "main.tf: module.m (source \"../../outside/module\") {OUTSIDE}"
            )),
        "{unread:?}"
    );
    assert_eq!(report["unread"][0]["line"], 1);

    // As far up as it goes: still outside, still not read.
    m.write(
        "repo/env/main.tf",
        "module \"m\" {\n  source = \"../../../../../../../..\"\n}\n",
    );
    let run = infra(&env, &["check", ".", "--format", "json"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(unread_contains(&json(&run), OUTSIDE), "{}", run.stdout);

    // infra graph and infra diff warn; the module's content is in neither.
    let graph = infra(&env, &["graph", "."]);
    assert!(graph.stderr.contains(OUTSIDE), "{}", graph.stderr);
}

fn unread_contains(report: &serde_json::Value, text: &str) -> bool {
    unread(report).iter().any(|u| u.contains(text))
}

#[test]
fn an_installed_module_whose_dir_is_outside_the_repository_is_not_read() {
    let m = Machine::new();
    m.write("outside/module/main.tf", MODULE);
    m.write(
        "repo/env/main.tf",
        "module \"m\" {\n  source  = \"example/registry/azurerm\"\n  version = \"1.0.0\"\n}\n",
    );
    let manifest = serde_json::json!({ "Modules": [
        { "Key": "", "Source": "", "Dir": "." },
        { "Key": "m", "Source": "registry.terraform.io/example/registry/azurerm", "Version": "1.0.0",
          "Dir": m.outside().join("module") },
    ]});
    m.write("repo/env/.terraform/modules/modules.json", &manifest.to_string());
    let run = infra(&m.repo().join("env"), &["check", ".", "--format", "json"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    let report = json(&run);
    assert_eq!(findings(&report), []);
    assert!(unread_contains(
        &report,
        &format!("module.m (source \"example/registry/azurerm\") {OUTSIDE}")
    ));
}

#[test]
fn modules_inside_the_repository_are_read() {
    let m = Machine::new();
    m.write("repo/modules/app/main.tf", MODULE);
    m.write("repo/modules/installed/main.tf", MODULE);
    m.write(
        "repo/envs/dev/main.tf",
        "module \"app\" {\n  source = \"../../modules/app\"\n}\n\nmodule \"m\" {\n  source = \"example/x/azurerm\"\n}\n",
    );
    let manifest = serde_json::json!({ "Modules": [
        { "Key": "m", "Source": "registry.terraform.io/example/x/azurerm", "Dir": "../../modules/installed" },
    ]});
    m.write("repo/envs/dev/.terraform/modules/modules.json", &manifest.to_string());
    let run = infra(&m.repo().join("envs/dev"), &["check", ".", "--format", "json"]);
    let report = json(&run);
    assert_eq!(unread(&report), Vec::<String>::new(), "{}", run.stderr);
    let found = findings(&report);
    for address in [
        "module.app.azurerm_container_registry.this",
        "module.m.azurerm_container_registry.this",
    ] {
        assert!(found.contains(&("ACR013".into(), address.into())), "{found:?}");
    }
}

#[test]
fn a_terraform_file_linked_to_dev_zero_ends_at_once() {
    let m = Machine::new();
    m.write("repo/env/main.tf", MODULE);
    m.symlink("/dev/zero", "repo/env/zero.tf");
    let run = infra(&m.repo().join("env"), &["check", "."]);
    assert!(run.took < Duration::from_secs(2), "took {:?}", run.took);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains(&format!("zero.tf:1:1: {OUTSIDE}")),
        "{}",
        run.stderr
    );
}

#[test]
fn fifos_and_a_huge_file_inside_the_repository_are_not_read() {
    let m = Machine::new();
    m.write("repo/env/main.tf", MODULE);
    let fifo = std::ffi::CString::new(m.repo().join("env/pipe.tf").to_str().unwrap()).unwrap();
    // SAFETY: the path is a valid NUL-terminated string that outlives the call.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
    let fifo_vars = std::ffi::CString::new(m.repo().join("env/x.auto.tfvars").to_str().unwrap()).unwrap();
    // SAFETY: as above.
    assert_eq!(unsafe { libc::mkfifo(fifo_vars.as_ptr(), 0o600) }, 0);
    std::fs::File::create(m.repo().join("env/huge.tf"))
        .unwrap()
        .set_len(9 * 1024 * 1024)
        .unwrap();
    let run = infra(&m.repo().join("env"), &["check", ".", "--format", "json"]);
    assert!(run.took < Duration::from_secs(2), "took {:?}", run.took);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    let report = json(&run);
    let unread = unread(&report);
    let says = |file: &str, what: &str| unread.iter().any(|u| u.starts_with(file) && u.contains(what));
    assert!(
        says("pipe.tf", "not read: it is a named pipe (fifo), not a regular file"),
        "{unread:?}"
    );
    assert!(
        says("x.auto.tfvars", "not read: it is a named pipe (fifo)"),
        "{unread:?}"
    );
    assert!(says("huge.tf", "not read: it is larger than 8 MiB"), "{unread:?}");
    assert!(says("huge.tf", "INFRA_MAX_FILE_MIB"), "{unread:?}");
    // main.tf was checked.
    assert!(findings(&report).contains(&("ACR013".into(), "azurerm_container_registry.this".into())));
}

/// A project with `stacks/dev.toml`, rendered.
fn rendered_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::fs::create_dir(dir.path().join("stacks")).unwrap();
    let stack = Path::new(env!("CARGO_MANIFEST_DIR")).join("stacks/dev.toml");
    std::fs::copy(stack, dir.path().join("stacks/dev.toml")).unwrap();
    assert_eq!(infra(dir.path(), &["render"]).code, 0);
    dir
}

#[test]
fn render_check_of_a_generated_file_linked_to_dev_zero_ends_at_once() {
    let dir = rendered_project();
    let main = dir.path().join("terraform/dev/main.tf");
    std::fs::remove_file(&main).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &main).unwrap();
    let run = infra(dir.path(), &["render", "--check"]);
    assert!(run.took < Duration::from_secs(2), "took {:?}", run.took);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    // Reported as what it is (`render --check` names every non-file where infra writes), never read.
    assert!(
        run.stdout
            .contains("terraform/dev/main.tf: not a regular file (a symbolic link, directory, device or FIFO)"),
        "{}{}",
        run.stdout,
        run.stderr
    );
}

#[test]
fn a_stack_file_or_settings_linked_out_of_the_repository_is_not_read() {
    let dir = rendered_project();
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("config.toml");
    std::fs::write(&secret, format!("[auths]\nauth = \"{SECRET}\"\nbroken = \n")).unwrap();
    std::os::unix::fs::symlink(&secret, dir.path().join("infra.toml")).unwrap();
    let run = infra(dir.path(), &["check"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr
            .contains("cannot read infra.toml: not read: outside the repository"),
        "{}",
        run.stderr
    );
    std::fs::remove_file(dir.path().join("infra.toml")).unwrap();
    std::os::unix::fs::symlink(&secret, dir.path().join("stacks/stolen.toml")).unwrap();
    let run = infra(dir.path(), &["render", "--check"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains(OUTSIDE), "{}", run.stderr);
    for run in [&run, &infra(dir.path(), &["check"])] {
        assert!(
            !run.stdout.contains(SECRET) && !run.stderr.contains(SECRET),
            "{}{}",
            run.stdout,
            run.stderr
        );
    }
}

#[test]
fn check_base_reads_modules_elsewhere_in_the_repository_at_the_revision() {
    let m = Machine::new();
    std::fs::remove_dir(m.repo().join(".git")).unwrap();
    m.write("repo/modules/app/main.tf", MODULE);
    m.write(
        "repo/envs/dev/main.tf",
        "module \"app\" {\n  source = \"../../modules/app\"\n}\n",
    );
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(m.repo())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q", "-b", "main"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "one"]);
    // The module's finding is in both trees: unchanged, nothing new.
    let run = infra(&m.repo(), &["check", "envs/dev", "--base", "HEAD", "--format", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let report = json(&run);
    assert_eq!(report["summary"]["baseline"]["new"], 0, "{}", run.stdout);
    let found = findings(&report);
    assert!(
        found.contains(&("ACR013".into(), "module.app.azurerm_container_registry.this".into())),
        "{found:?}"
    );
    assert_eq!(
        report["summary"]["baseline"]["unchanged"],
        found.len(),
        "{}",
        run.stdout
    );
}
