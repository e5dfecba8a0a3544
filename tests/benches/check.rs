//! `make bench`: `infra check` (release build) on a generated tree of 12,000 resources in 200 files.
//! Reports wall time and peak memory (getrusage RUSAGE_CHILDREN ru_maxrss) of the child process.
//! For comparison, checkov took 3 min 40 s and 621 MB on such a tree on this machine.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a bench reports its measurements on the terminal"
)]

use std::fmt::Write as _;
use std::process::Command;
use std::time::{Duration, Instant};

const FILES: usize = 200;
const GROUPS_PER_FILE: usize = 6; // 10 resources each → 60 per file, 12,000 in all

/// One group of ten resources, `f{f}g{g}`: half the registries Premium, a third of the apps on `latest`.
fn group(f: usize, g: usize) -> String {
    let n = format!("f{f}g{g}");
    let sku = if g % 2 == 0 { "Premium" } else { "Basic" };
    let tag = if g % 3 == 0 { "latest" } else { "1.4.2" };
    let mut s = String::new();
    write_platform(&mut s, &n, sku);
    write_app(&mut s, &n, tag);
    s
}

/// The group's resource group, registry, identity and its AcrPull grant, workspace, environment and storage.
fn write_platform(s: &mut String, n: &str, sku: &str) {
    write!(
        s,
        r#"resource "azurerm_resource_group" "{n}" {{
  name     = "rg-{n}"
  location = "westeurope"
  tags = {{
    owner = "platform"
  }}
}}

resource "azurerm_container_registry" "{n}" {{
  name                     = "acr{n}"
  resource_group_name      = azurerm_resource_group.{n}.name
  location                 = azurerm_resource_group.{n}.location
  sku                      = "{sku}"
  admin_enabled            = false
  zone_redundancy_enabled  = true
  retention_policy_in_days = 7

  georeplications {{
    location                = "northeurope"
    zone_redundancy_enabled = true
  }}
}}

resource "azurerm_user_assigned_identity" "{n}" {{
  name                = "id-{n}"
  resource_group_name = azurerm_resource_group.{n}.name
  location            = azurerm_resource_group.{n}.location
}}

resource "azurerm_role_assignment" "{n}" {{
  scope                = azurerm_container_registry.{n}.id
  role_definition_name = "AcrPull"
  principal_id         = azurerm_user_assigned_identity.{n}.principal_id
  principal_type       = "ServicePrincipal"
}}

resource "azurerm_log_analytics_workspace" "{n}" {{
  name                = "log-{n}"
  resource_group_name = azurerm_resource_group.{n}.name
  location            = azurerm_resource_group.{n}.location
}}

resource "azurerm_container_app_environment" "{n}" {{
  name                       = "cae-{n}"
  resource_group_name        = azurerm_resource_group.{n}.name
  location                   = azurerm_resource_group.{n}.location
  log_analytics_workspace_id = azurerm_log_analytics_workspace.{n}.id
}}

resource "azurerm_storage_account" "{n}" {{
  name                            = "st{n}"
  resource_group_name             = azurerm_resource_group.{n}.name
  location                        = azurerm_resource_group.{n}.location
  account_tier                    = "Standard"
  account_replication_type        = "ZRS"
  min_tls_version                 = "TLS1_2"
  allow_nested_items_to_be_public = false
}}

resource "azurerm_storage_share" "{n}" {{
  name               = "data"
  storage_account_id = azurerm_storage_account.{n}.id
  quota              = 50
}}

resource "azurerm_container_app_environment_storage" "{n}" {{
  name                         = "data"
  container_app_environment_id = azurerm_container_app_environment.{n}.id
  account_name                 = azurerm_storage_account.{n}.name
  share_name                   = azurerm_storage_share.{n}.name
  access_key                   = azurerm_storage_account.{n}.primary_access_key
  access_mode                  = "ReadWrite"
}}

"#
    )
    .unwrap();
}

/// The group's container app.
fn write_app(s: &mut String, n: &str, tag: &str) {
    write!(
        s,
        r#"resource "azurerm_container_app" "{n}" {{
  name                         = "app-{n}"
  resource_group_name          = azurerm_resource_group.{n}.name
  container_app_environment_id = azurerm_container_app_environment.{n}.id
  revision_mode                = "Single"

  identity {{
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.{n}.id]
  }}

  registry {{
    server   = azurerm_container_registry.{n}.login_server
    identity = azurerm_user_assigned_identity.{n}.id
  }}

  template {{
    min_replicas = 2
    container {{
      name   = "web"
      image  = "${{azurerm_container_registry.{n}.login_server}}/web:{tag}"
      cpu    = 0.5
      memory = "1Gi"
      liveness_probe {{
        transport = "HTTP"
        port      = 8080
      }}
      readiness_probe {{
        transport = "HTTP"
        port      = 8080
      }}
    }}
  }}

  depends_on = [azurerm_role_assignment.{n}]
}}

"#
    )
    .unwrap();
}

fn peak_rss_children_kib() -> i64 {
    // SAFETY: rusage is plain integers, for which all zeroes is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes into the struct we own.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    assert_eq!(rc, 0);
    usage.ru_maxrss // KiB on Linux
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree");
    std::fs::create_dir(&tree).unwrap();
    let mut bytes = 0;
    for f in 0..FILES {
        let text: String = (0..GROUPS_PER_FILE).map(|g| group(f, g)).collect();
        bytes += text.len();
        std::fs::write(tree.join(format!("file{f:03}.tf")), text).unwrap();
    }
    if std::env::var_os("INFRA_BENCH_KEEP").is_some() {
        // For profiling: the generated tree stays, and its path is printed.
        eprintln!("tree kept at {}", tree.display());
        std::mem::forget(dir);
        return;
    }
    let bin = env!("CARGO_BIN_EXE_infra");
    let mut times = Vec::new();
    let mut summary = serde_json::Value::Null;
    for _ in 0..3 {
        let start = Instant::now();
        let out = Command::new(bin)
            .args(["check", "--format", "json"])
            .arg(&tree)
            .current_dir(dir.path())
            .output()
            .unwrap();
        times.push(start.elapsed());
        let code = out.status.code().unwrap();
        assert!(
            code == 0 || code == 1,
            "infra check failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        summary = v["summary"].clone();
    }
    times.sort();
    let median: Duration = times[times.len() / 2];
    let resources = summary["resources"].as_u64().unwrap();
    let files = summary["files"].as_u64().unwrap();
    assert!(resources >= 12_000 && files == FILES as u64, "{summary}");
    println!(
        "infra check: {resources} resources in {files} files ({:.1} MiB of HCL), {} findings",
        bytes as f64 / 1_048_576.0,
        summary["findings"]
    );
    println!(
        "  wall time: median {:.3} s (min {:.3} s, max {:.3} s, 3 runs)",
        median.as_secs_f64(),
        times[0].as_secs_f64(),
        times[2].as_secs_f64()
    );
    println!(
        "  peak memory (max RSS): {:.1} MiB",
        peak_rss_children_kib() as f64 / 1024.0
    );
    println!("  (checkov on such a tree here: 3 min 40 s, 621 MB)");
    policies(bin, dir.path(), &tree);
}

/// How many Rego policies the policy bench runs (issue 26: 50 policies over the tree in under 1 s).
const POLICIES: usize = 50;

/// Policy `i`, in the idioms of Azure/policy-library-avm: a `deny_*` rule over `resource_changes` of one type,
/// judging one attribute, its message naming the address.
fn policy(i: usize) -> String {
    let (resource_type, test) = match i % 5 {
        0 => ("azurerm_container_registry", "rc.change.after.sku != \"Premium\""),
        1 => ("azurerm_resource_group", "not rc.change.after.tags.cost_center"),
        2 => (
            "azurerm_storage_account",
            "rc.change.after.min_tls_version != \"TLS1_2\"",
        ),
        3 => ("azurerm_container_app", "rc.change.after.revision_mode == \"Single\""),
        _ => (
            "azurerm_log_analytics_workspace",
            "rc.change.after.retention_in_days < 90",
        ),
    };
    format!(
        "package main\n\nimport rego.v1\n\ndeny_rule_{i} contains msg if {{\n    some rc in input.resource_changes\n    \
         rc.type == \"{resource_type}\"\n    {test}\n    msg := sprintf(\"%s: policy {i}\", [rc.address])\n}}\n"
    )
}

/// `infra check --policy` with [`POLICIES`] policies over the same tree: the plan-shaped input of 12,000 resources
/// built, every policy evaluated, its results located.
fn policies(bin: &str, dir: &std::path::Path, tree: &std::path::Path) {
    let policy_dir = dir.join("policy");
    std::fs::create_dir(&policy_dir).unwrap();
    for i in 0..POLICIES {
        std::fs::write(policy_dir.join(format!("p{i:02}.rego")), policy(i)).unwrap();
    }
    let mut times = Vec::new();
    let mut findings = serde_json::Value::Null;
    for _ in 0..3 {
        let start = Instant::now();
        let out = Command::new(bin)
            .args(["check", "--format", "json", "--policy"])
            .arg(&policy_dir)
            .arg(tree)
            .current_dir(dir)
            .output()
            .unwrap();
        times.push(start.elapsed());
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "infra check --policy failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        findings = v["summary"]["findings"].clone();
    }
    times.sort();
    println!(
        "infra check --policy ({POLICIES} Rego policies): {findings} findings, wall time median {:.3} s (min {:.3} s, max {:.3} s)",
        times[1].as_secs_f64(),
        times[0].as_secs_f64(),
        times[2].as_secs_f64()
    );
}
