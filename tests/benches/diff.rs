//! `make bench` (`cargo bench --bench diff`): the release `infra` binary as users run it, on generated inputs
//! (in a temporary directory, made at run time):
//!
//! - `infra diff OLD NEW` on two configurations of 10,000 resources (read, evaluated and diffed);
//! - `infra diff --plan PLAN` (text, markdown, json; output to a pipe) on two plan shapes of more than 50 MB:
//!   ~22,000 large changes (nested blocks, 20 env vars each) and ~60,000 small ones (tags, role assignments,
//!   `count` and module instances), each against `python3 -c 'import json,sys; json.load(open(sys.argv[1]))'` of
//!   the same file, timed here the same way.
//!
//! Every figure is measured in this run: wall time of the whole process (best of [`RUNS`]) and its peak resident
//! memory (`ru_maxrss` of that child, from `wait4`). A last line per plan splits the text view's time into its
//! steps (read, model, text), timed through the library in a child of this bench: where the time goes, not a
//! figure of the binary.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a bench reports its measurements on the terminal"
)]

#[path = "measure.rs"]
mod measure;
use measure::{run, Measured};

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// The allocator of the `infra` binary (src/main.rs), so the breakdown's figures are the command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const RESOURCES: usize = 10_000;
const PLAN_BYTES: usize = 50 * 1024 * 1024;
/// Runs of each command; the fastest is reported (the machine is shared: the others measure its load).
const RUNS: usize = 3;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("phases") => return phases(Path::new(&args[2])),
        // The bench's plans, kept for profiling: `diff generate large|small plan.json`.
        Some("generate") if args[2] == "large" => {
            generate_plan(Path::new(&args[3]));
            return;
        }
        Some("generate") => {
            generate_small_plan(Path::new(&args[3]));
            return;
        }
        _ => {}
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    let t = Instant::now();
    generate_configs(&dir.join("old"), &dir.join("new"));
    let large = generate_plan(&dir.join("large.json"));
    let (small, small_changes) = generate_small_plan(&dir.join("small.json"));
    println!(
        "generated 2 x {RESOURCES} resources, a {:.1} MB plan of large changes and a {:.1} MB plan of {small_changes} small changes in {:.2?}",
        large as f64 / 1e6,
        small as f64 / 1e6,
        t.elapsed()
    );
    let old_new = [dir.join("old"), dir.join("new")].map(|p| p.display().to_string());
    let m = best(&["diff", &old_new[0], &old_new[1]]);
    println!(
        "infra diff OLD NEW, 2 x {RESOURCES} resources (text): {:.2} s, peak RSS {:.0} MB, {} bytes of output",
        m.secs, m.peak_mb, m.output
    );
    for (name, file) in [("large", "large.json"), ("small", "small.json")] {
        time_plan(name, &dir.join(file));
    }
}

/// The fastest of [`RUNS`] runs of the `infra` binary with `args` (its peak memory is that run's).
fn best(args: &[&str]) -> Measured {
    let runs = (0..RUNS).map(|_| run(Command::new(env!("CARGO_BIN_EXE_infra")).args(args), &[0, 1, 2], false));
    runs.min_by(|a, b| a.secs.total_cmp(&b.secs)).unwrap()
}

/// `infra diff --plan` in each view against Python's `json.load` of the same plan, and the text view's steps.
fn time_plan(name: &str, plan: &Path) {
    let size = std::fs::metadata(plan).unwrap().len() as f64;
    let path = plan.display().to_string();
    let python = (0..RUNS)
        .map(|_| {
            let mut cmd = Command::new("python3");
            cmd.args(["-c", "import json,sys; json.load(open(sys.argv[1]))", &path]);
            run(&mut cmd, &[0], false)
        })
        .min_by(|a, b| a.secs.total_cmp(&b.secs))
        .unwrap();
    println!(
        "plan of {name} changes, {:.1} MB: python3 json.load {:.2} s, peak RSS {:.0} MB",
        size / 1e6,
        python.secs,
        python.peak_mb
    );
    for format in ["text", "markdown", "json"] {
        let m = best(&["diff", "--plan", &path, "--format", format]);
        println!(
            "  infra diff --plan --format {format}: {:.2} s = {:.2} x python's json.load{}; peak RSS {:.0} MB = {:.2} x the file{}; {} bytes of output",
            m.secs,
            m.secs / python.secs,
            if format == "text" { " (target < 0.5)" } else { "" },
            m.peak_mb,
            m.peak_mb * 1048576.0 / size,
            if format == "text" { " (target < 3)" } else { "" },
            m.output
        );
    }
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["phases", &path])
        .output()
        .expect("run child");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    println!(
        "  text view's steps, through the library: {}",
        String::from_utf8_lossy(&out.stdout).trim()
    );
}

/// A sink that counts the bytes written to it.
struct Counted(usize);

impl std::io::Write for Counted {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The steps of `infra diff --plan PLAN` (text), timed apart: read, model, text (to a sink).
fn phases(plan: &Path) {
    let start = Instant::now();
    let lap = |since: &mut Instant| -> Duration {
        let d = since.elapsed();
        *since = Instant::now();
        d
    };
    let mut t = Instant::now();
    let read = infra::plan::Plan::read(plan).unwrap();
    let read_time = lap(&mut t);
    let set = infra::diff::from_plan(&read);
    drop(read);
    let model = lap(&mut t);
    let mut out = Counted(0);
    {
        let mut w = std::io::BufWriter::with_capacity(1 << 16, &mut out);
        infra::diff::text::write(&set, false, &mut w).unwrap();
        w.flush().unwrap();
    }
    let text = lap(&mut t);
    drop(set);
    println!(
        "read {read_time:.2?}, model {model:.2?}, text {text:.2?} ({} bytes), total {:.2?}",
        out.0,
        start.elapsed()
    );
}

/// Groups of five resources with references (so replacement cascades); the new configuration renames
/// every 50th registry (a cascade), changes every 10th SKU, drops every 100th app and adds 20 resources.
fn generate_configs(old: &Path, new: &Path) {
    std::fs::create_dir_all(old).unwrap();
    std::fs::create_dir_all(new).unwrap();
    let groups = RESOURCES / 5;
    for (dir, is_new) in [(old, false), (new, true)] {
        for file in 0..10 {
            let mut s = String::new();
            for g in (file * groups / 10)..((file + 1) * groups / 10) {
                let registry = if is_new && g % 50 == 0 {
                    format!("cr{g}new")
                } else {
                    format!("cr{g}")
                };
                let sku = if is_new && g % 10 == 0 { "Premium" } else { "Basic" };
                write!(
                    s,
                    r#"resource "azurerm_resource_group" "g{g}" {{
  name     = "rg-{g}"
  location = "westeurope"
  tags = {{
    group = "{g}"
  }}
}}

resource "azurerm_container_registry" "g{g}" {{
  name                = "{registry}"
  resource_group_name = azurerm_resource_group.g{g}.name
  location            = azurerm_resource_group.g{g}.location
  sku                 = "{sku}"
}}

resource "azurerm_user_assigned_identity" "g{g}" {{
  name                = "id-{g}"
  resource_group_name = azurerm_resource_group.g{g}.name
  location            = azurerm_resource_group.g{g}.location
}}

resource "azurerm_role_assignment" "g{g}" {{
  scope                = azurerm_container_registry.g{g}.id
  role_definition_name = "AcrPull"
  principal_id         = azurerm_user_assigned_identity.g{g}.principal_id
}}

"#
                )
                .unwrap();
                if !(is_new && g % 100 == 1) {
                    write!(
                        s,
                        r#"resource "azurerm_container_app" "g{g}" {{
  name                         = "ca-{g}"
  resource_group_name          = azurerm_resource_group.g{g}.name
  container_app_environment_id = "/subscriptions/0000/resourceGroups/shared/providers/Microsoft.App/managedEnvironments/cae"
  revision_mode                = "Single"
  registry {{
    server   = azurerm_container_registry.g{g}.login_server
    identity = azurerm_user_assigned_identity.g{g}.id
  }}
  template {{
    container {{
      name   = "web"
      image  = "${{azurerm_container_registry.g{g}.login_server}}/app:1.0"
      cpu    = 0.5
      memory = "1Gi"
      env {{
        name  = "GROUP"
        value = "{g}"
      }}
    }}
  }}
}}

"#
                    )
                    .unwrap();
                }
            }
            if is_new && file == 0 {
                for i in 0..20 {
                    write!(s, "resource \"azurerm_resource_group\" \"extra{i}\" {{\n  name     = \"rg-extra-{i}\"\n  location = \"westeurope\"\n}}\n\n").unwrap();
                }
            }
            std::fs::write(dir.join(format!("main{file:02}.tf")), s).unwrap();
        }
    }
}

/// A plan of updates, creates, replacements and deletes with nested blocks, unknowns and sensitive values,
/// grown until it exceeds [`PLAN_BYTES`]. Returns its size.
fn generate_plan(path: &Path) -> usize {
    let mut s = String::with_capacity(PLAN_BYTES + 1_000_000);
    s.push_str(r#"{"format_version":"1.2","terraform_version":"1.11.0","resource_changes":["#);
    let mut i = 0;
    while s.len() < PLAN_BYTES {
        if i > 0 {
            s.push(',');
        }
        let actions = match i % 10 {
            0 => r#"["delete","create"]"#,
            1 => r#"["create"]"#,
            2 => r#"["delete"]"#,
            3..=5 => r#"["update"]"#,
            _ => r#"["no-op"]"#,
        };
        let env: String = (0..20)
            .map(|e| {
                format!(
                    r#"{{"name":"VAR_{e}","value":"value-{i}-{e}-{}","secret_name":null}}"#,
                    "x".repeat(40)
                )
            })
            .collect::<Vec<_>>()
            .join(",");
        let obj = |tag: &str| {
            format!(
                r#"{{"id":"/subscriptions/0000/resourceGroups/rg/providers/Microsoft.App/containerApps/ca-{i}","name":"ca-{i}","location":"westeurope","revision_mode":"Single","tags":{{"tag":"{tag}","group":"{i}"}},"secret":[{{"name":"db","value":"secret-{i}"}}],"template":[{{"min_replicas":1,"max_replicas":3,"container":[{{"name":"web","image":"cr.azurecr.io/app:{tag}","cpu":0.5,"memory":"1Gi","env":[{env}]}}]}}]}}"#
            )
        };
        write!(
            s,
            r#"{{"address":"azurerm_container_app.a{i}","mode":"managed","type":"azurerm_container_app","name":"a{i}","provider_name":"registry.terraform.io/hashicorp/azurerm","change":{{"actions":{actions},"before":{},"after":{},"after_unknown":{{"latest_revision_fqdn":true}},"before_sensitive":{{"secret":[{{"value":true}}]}},"after_sensitive":{{"secret":[{{"value":true}}]}},"replace_paths":[["name"]]}}}}"#,
            if i % 10 == 1 { "null".to_string() } else { obj("v1") },
            if i % 10 == 2 { "null".to_string() } else { obj(if i % 10 == 3 { "v2" } else { "v1" }) },
        )
        .unwrap();
        i += 1;
    }
    s.push_str("]}");
    std::fs::write(path, &s).unwrap();
    s.len()
}

/// A plan of many small changes, as a large estate's plan after a tag or naming change: resource groups,
/// identities and role assignments (some `count` instances, some in modules), a few attributes each; creates,
/// updates, replacements, deletes and no-ops. Grown until it exceeds [`PLAN_BYTES`]. Returns its size and the
/// number of changes.
fn generate_small_plan(path: &Path) -> (usize, usize) {
    let mut s = String::with_capacity(PLAN_BYTES + 1_000_000);
    s.push_str(r#"{"format_version":"1.2","terraform_version":"1.11.0","resource_changes":["#);
    let mut i = 0;
    while s.len() < PLAN_BYTES {
        if i > 0 {
            s.push(',');
        }
        let (module, prefix) = if i % 7 == 0 {
            (
                format!(r#""module_address":"module.team{}","#, i % 50),
                format!("module.team{}.", i % 50),
            )
        } else {
            (String::new(), String::new())
        };
        let (actions, tag_before, tag_after) = match i % 10 {
            0 => (r#"["delete","create"]"#, "a", "a"),
            1 | 2 => (r#"["create"]"#, "a", "a"),
            3 => (r#"["delete"]"#, "a", "a"),
            4..=7 => (r#"["update"]"#, "a", "b"),
            _ => (r#"["no-op"]"#, "a", "a"),
        };
        let (kind, name, body) = match i % 3 {
            0 => (
                "azurerm_resource_group",
                format!("rg{i}"),
                format!(
                    r#""id":"/subscriptions/0000/resourceGroups/rg-{i}","location":"westeurope","managed_by":null,"name":"rg-{i}","tags":{{"cost_center":"cc-{}","env":"prod","owner":"team-{{TAG}}"}},"timeouts":null"#,
                    i % 97
                ),
            ),
            1 => (
                "azurerm_user_assigned_identity",
                format!("id{i}"),
                format!(
                    r#""client_id":"0000-{i}","id":"/subscriptions/0000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-{i}","location":"westeurope","name":"id-{i}","principal_id":"1111-{i}","resource_group_name":"rg","tags":{{"owner":"team-{{TAG}}"}},"tenant_id":"2222","timeouts":null"#
                ),
            ),
            _ => (
                "azurerm_role_assignment",
                "pull".to_string(),
                format!(
                    r#""condition":null,"condition_version":null,"delegated_managed_identity_resource_id":null,"description":"pull {{TAG}}","id":"/subscriptions/0000/providers/Microsoft.Authorization/roleAssignments/{i}","name":"{i}","principal_id":"1111-{i}","principal_type":"ServicePrincipal","role_definition_name":"AcrPull","scope":"/subscriptions/0000/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/cr","skip_service_principal_aad_check":false,"timeouts":null"#
                ),
            ),
        };
        let (index, key) = if i % 3 == 2 {
            (format!(r#""index":{i},"#), format!("[{i}]"))
        } else {
            (String::new(), String::new())
        };
        let value = |tag: &str, gone: bool| {
            if gone {
                "null".to_string()
            } else {
                format!("{{{}}}", body.replace("{TAG}", tag))
            }
        };
        let (before, after) = (
            value(tag_before, i % 10 == 1 || i % 10 == 2),
            value(tag_after, i % 10 == 3),
        );
        write!(
            s,
            r#"{{"address":"{prefix}{kind}.{name}{key}",{module}"mode":"managed","type":"{kind}","name":"{name}",{index}"provider_name":"registry.terraform.io/hashicorp/azurerm","change":{{"actions":{actions},"before":{before},"after":{after},"after_unknown":{},"before_sensitive":{{"tags":{{}}}},"after_sensitive":{{"tags":{{}}}}{}}}}}"#,
            if matches!(i % 10, 0..=2) { r#"{"id":true}"# } else { "{}" },
            if i % 10 == 0 { r#","replace_paths":[["name"]]"# } else { "" }
        )
        .unwrap();
        i += 1;
    }
    s.push_str("]}");
    std::fs::write(path, &s).unwrap();
    (s.len(), i)
}
