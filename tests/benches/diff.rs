//! `make bench` (`cargo bench --bench diff`): `infra diff` on two generated configurations of 10,000
//! resources, and on a generated plan JSON of more than 50 MB. Inputs are generated in a temporary
//! directory at run time. Each measured step runs in a child process (this binary, re-invoked), which
//! reports its wall time per phase and its peak resident memory (`VmHWM` from /proc/self/status).

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a bench reports its measurements on the terminal"
)]

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// The allocator of the `infra` binary (src/main.rs), so the figures are the command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const RESOURCES: usize = 10_000;
const PLAN_BYTES: usize = 50 * 1024 * 1024;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("child") {
        child(&args[2..]);
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let (old, new, plan) = (
        tmp.path().join("old"),
        tmp.path().join("new"),
        tmp.path().join("plan.json"),
    );
    let t = Instant::now();
    generate_configs(&old, &new);
    let plan_size = generate_plan(&plan);
    println!(
        "generated 2 x {RESOURCES} resources and a {:.1} MB plan in {:.2?}",
        plan_size as f64 / 1e6,
        t.elapsed()
    );
    time_library(&old, &new, &plan, plan_size);
    time_plan_views(&plan, plan_size);
}

/// The library's config diff and plan diff, each in a child process (`child config`, `child plan`).
fn time_library(old: &Path, new: &Path, plan: &Path, plan_size: usize) {
    for (what, args) in [
        (
            format!("config diff, 2 x {RESOURCES} resources"),
            vec![
                "config".to_string(),
                old.display().to_string(),
                new.display().to_string(),
            ],
        ),
        (
            format!(
                "plan JSON, {:.1} MB (text, markdown and json each rendered into a string)",
                plan_size as f64 / 1e6
            ),
            vec!["plan".to_string(), plan.display().to_string()],
        ),
    ] {
        let out = Command::new(std::env::current_exe().unwrap())
            .arg("child")
            .args(&args)
            .output()
            .expect("run child");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        println!("{what}: {}", String::from_utf8_lossy(&out.stdout).trim());
    }
}

/// `infra diff --plan` in each view, each in a child process, against Python's `json.load` of the same plan.
fn time_plan_views(plan: &Path, plan_size: usize) {
    // `infra diff --plan` (text, markdown, json) as the command runs it, each in its own process; the text's time
    // against Python's `json.load` of the same file, measured now, on this machine.
    let file_mb = plan_size as f64 / 1048576.0;
    let run = |format: &str| {
        let out = Command::new(std::env::current_exe().unwrap())
            .args(["child", &format!("plan-{format}"), &plan.display().to_string()])
            .output()
            .expect("run child");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        let mut fields = stdout.split_whitespace();
        let mut next = || fields.next().unwrap().parse::<f64>().unwrap();
        let (secs, peak_mb) = (next(), next());
        let phases = stdout.split_whitespace().skip(2).collect::<Vec<_>>().join(" ");
        (secs, peak_mb, phases)
    };
    let (secs, peak_mb, phases) = run("text");
    let python = Command::new("python3")
        .args([
            "-c",
            "import json, sys, time\nt = time.perf_counter()\njson.load(open(sys.argv[1], 'rb'))\nprint(time.perf_counter() - t)",
        ])
        .arg(plan)
        .output();
    match python {
        Ok(p) if p.status.success() => {
            let py: f64 = String::from_utf8_lossy(&p.stdout).trim().parse().unwrap();
            println!(
                "diff --plan text of the {:.1} MB plan: {secs:.2} s ({phases}), python json.load {py:.2} s: time ratio {:.2} (target < 0.5); peak RSS {peak_mb:.0} MB = {:.1} x the file (target < 3)",
                plan_size as f64 / 1e6,
                secs / py,
                peak_mb / file_mb
            );
        }
        other => println!(
            "diff --plan text: {secs:.2} s ({phases}), peak RSS {peak_mb:.0} MB = {:.1} x the file; python3 not available for the comparison ({other:?})",
            peak_mb / file_mb
        ),
    }
    for (format, target) in [("markdown", "(target < 3)"), ("json", "(streamed)")] {
        let (secs, peak_mb, phases) = run(format);
        println!(
            "diff --plan --format {format}: {secs:.2} s ({phases}); peak RSS {peak_mb:.0} MB = {:.1} x the file {target}",
            peak_mb / file_mb
        );
    }
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

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

fn child(args: &[String]) {
    let start = Instant::now();
    if args[0] == "generate" {
        // The bench's plan, kept for profiling: `child generate plan.json`.
        generate_plan(Path::new(&args[1]));
        return;
    }
    if let Some(format) = args[0].strip_prefix("plan-") {
        // What `infra diff --plan plan.json [--format F]` does: read, model, write the view as it is produced
        // (here to a sink). Prints seconds, peak RSS (MB) and the phases.
        let plan = infra::plan::Plan::read(Path::new(&args[1])).unwrap();
        let read = start.elapsed();
        let set = infra::diff::from_plan(&plan);
        // As `infra diff --plan` does: the plan is dropped once the model is built.
        drop(plan);
        let model = start.elapsed() - read;
        let mut out = Counted(0);
        {
            let mut w = std::io::BufWriter::new(&mut out);
            match format {
                "text" => infra::diff::text::write(&set, false, &mut w).unwrap(),
                "markdown" => w.write_all(infra::diff::markdown::render(&set).as_bytes()).unwrap(),
                _ => infra::diff::json::write(&set, &mut w).unwrap(),
            }
            w.flush().unwrap();
        }
        assert!(out.0 > 0);
        let write = start.elapsed() - read - model;
        println!(
            "{} {} read {read:.2?}, model {model:.2?}, {format} {write:.2?}, {} bytes",
            start.elapsed().as_secs_f64(),
            peak_rss_mb(),
            out.0
        );
        return;
    }
    let mut phases = Vec::new();
    let set = match args[0].as_str() {
        "config" => {
            let t = Instant::now();
            let old = infra::terraform::Config::read_dir_with(Path::new(&args[1]), infra::azurerm::builtin_schemas())
                .unwrap();
            let new = infra::terraform::Config::read_dir_with(Path::new(&args[2]), infra::azurerm::builtin_schemas())
                .unwrap();
            phases.push(format!("read {:.2?}", t.elapsed()));
            let t = Instant::now();
            let set = infra::diff::from_configs(&old, &new);
            phases.push(format!("diff {:.2?}", t.elapsed()));
            set
        }
        _ => {
            let t = Instant::now();
            let plan = infra::plan::Plan::read(Path::new(&args[1])).unwrap();
            phases.push(format!("read {:.2?}", t.elapsed()));
            let t = Instant::now();
            let set = infra::diff::from_plan(&plan);
            phases.push(format!("model {:.2?}", t.elapsed()));
            // As `infra diff --plan` does: the plan is dropped once the model is built.
            drop(plan);
            set
        }
    };
    let t = Instant::now();
    let text = infra::diff::text::render(&set, false);
    let md = infra::diff::markdown::render(&set);
    let json = infra::diff::json::render(&set);
    phases.push(format!("render text+md+json {:.2?}", t.elapsed()));
    println!(
        "total {:.2?} ({}); peak RSS {:.0} MB; {}; output {} / {} / {} bytes",
        start.elapsed(),
        phases.join(", "),
        peak_rss_mb(),
        set.summary().line(),
        text.len(),
        md.len(),
        json.len()
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
