//! `make bench`: `infra check` (release build) on a generated tree of 12,000 resources: 200 files of resource
//! groups, registries, identities, role assignments, workspaces, environments and container apps, which read the
//! root module's variables and locals, expand `count` and `for_each`, build blocks with `dynamic`, and call a
//! local storage module (three resources per call). Reports wall time and peak memory (`ru_maxrss` of each child,
//! from `wait4`), and checkov's on the same tree when checkov is installed.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a bench reports its measurements on the terminal"
)]

use std::fmt::Write as _;
use std::process::Command;

#[path = "measure.rs"]
mod measure;
use measure::run;

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

/// The group's resource group, registry (its replicas from a `dynamic` block over a local), identity and its
/// AcrPull grant (`for_each`), workspace, environment, and a call of the storage module (three resources).
fn write_platform(s: &mut String, n: &str, sku: &str) {
    write!(
        s,
        r#"resource "azurerm_resource_group" "{n}" {{
  name     = "rg-{n}"
  location = var.location
  tags     = local.common_tags
}}

resource "azurerm_container_registry" "{n}" {{
  name                     = "acr{n}"
  resource_group_name      = azurerm_resource_group.{n}.name
  location                 = azurerm_resource_group.{n}.location
  sku                      = "{sku}"
  admin_enabled            = false
  zone_redundancy_enabled  = true
  retention_policy_in_days = var.retention_days

  dynamic "georeplications" {{
    for_each = local.replicas
    content {{
      location                = georeplications.value
      zone_redundancy_enabled = true
    }}
  }}
}}

resource "azurerm_user_assigned_identity" "{n}" {{
  name                = "id-{n}"
  resource_group_name = azurerm_resource_group.{n}.name
  location            = azurerm_resource_group.{n}.location
}}

resource "azurerm_role_assignment" "{n}" {{
  for_each             = toset(var.registry_roles)
  scope                = azurerm_container_registry.{n}.id
  role_definition_name = each.value
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

module "storage_{n}" {{
  source                       = "./modules/storage"
  name                         = "st{n}"
  resource_group_name          = azurerm_resource_group.{n}.name
  location                     = azurerm_resource_group.{n}.location
  container_app_environment_id = azurerm_container_app_environment.{n}.id
}}

"#
    )
    .unwrap();
}

/// The root module's variables and locals, which every group reads.
const ROOT: &str = r#"variable "location" {
  type    = string
  default = "westeurope"
}

variable "retention_days" {
  type    = number
  default = 7
}

variable "registry_roles" {
  type    = list(string)
  default = ["AcrPull"]
}

variable "apps" {
  type    = number
  default = 1
}

variable "env" {
  type = map(string)
  default = {
    LOG_LEVEL = "info"
    REGION    = "westeurope"
  }
}

locals {
  common_tags = {
    owner      = "platform"
    managed_by = "infra"
  }
  replicas = ["northeurope"]
}
"#;

/// `modules/storage/main.tf`: a storage account, its share and the environment storage that mounts it.
const STORAGE_MODULE: &str = r#"variable "name" {
  type = string
}

variable "resource_group_name" {
  type = string
}

variable "location" {
  type = string
}

variable "container_app_environment_id" {
  type = string
}

resource "azurerm_storage_account" "this" {
  name                            = var.name
  resource_group_name             = var.resource_group_name
  location                        = var.location
  account_tier                    = "Standard"
  account_replication_type        = "ZRS"
  min_tls_version                 = "TLS1_2"
  allow_nested_items_to_be_public = false
}

resource "azurerm_storage_share" "this" {
  name               = "data"
  storage_account_id = azurerm_storage_account.this.id
  quota              = 50
}

resource "azurerm_container_app_environment_storage" "this" {
  name                         = "data"
  container_app_environment_id = var.container_app_environment_id
  account_name                 = azurerm_storage_account.this.name
  share_name                   = azurerm_storage_share.this.name
  access_key                   = azurerm_storage_account.this.primary_access_key
  access_mode                  = "ReadWrite"
}
"#;

/// The group's container app (`count` instances, its environment variables from a `dynamic` block).
fn write_app(s: &mut String, n: &str, tag: &str) {
    write!(
        s,
        r#"resource "azurerm_container_app" "{n}" {{
  count                        = var.apps
  name                         = "app-{n}-${{count.index}}"
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
      dynamic "env" {{
        for_each = var.env
        content {{
          name  = env.key
          value = env.value
        }}
      }}
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
    std::fs::write(tree.join("variables.tf"), ROOT).unwrap();
    std::fs::create_dir_all(tree.join("modules/storage")).unwrap();
    std::fs::write(tree.join("modules/storage/main.tf"), STORAGE_MODULE).unwrap();
    bytes += ROOT.len() + STORAGE_MODULE.len();
    if std::env::var_os("INFRA_BENCH_KEEP").is_some() {
        // For profiling: the generated tree and the bench's policies stay, and their paths are printed.
        let policy_dir = dir.path().join("policy");
        write_policies(&policy_dir);
        eprintln!("tree kept at {}, policies at {}", tree.display(), policy_dir.display());
        std::mem::forget(dir);
        return;
    }
    let bin = env!("CARGO_BIN_EXE_infra");
    let mut runs = Vec::new();
    let mut summary = serde_json::Value::Null;
    for _ in 0..3 {
        let mut cmd = Command::new(bin);
        // 1,200 module calls: above the default `module_instances` limit (1,000) for untrusted Terraform.
        cmd.args(["check", "--format", "json", "--limit", "module_instances=2000"])
            .arg(&tree)
            .current_dir(dir.path());
        let m = run(&mut cmd, &[0, 1], true);
        let v: serde_json::Value = serde_json::from_slice(&m.stdout).unwrap();
        summary = v["summary"].clone();
        runs.push(m);
    }
    runs.sort_by(|a, b| a.secs.total_cmp(&b.secs));
    let resources = summary["resources"].as_u64().unwrap();
    let files = summary["files"].as_u64().unwrap();
    assert!(resources >= 12_000, "{summary}");
    println!(
        "infra check: {resources} resources in {files} files ({:.1} MiB of HCL), {} findings",
        bytes as f64 / 1_048_576.0,
        summary["findings"]
    );
    println!(
        "  wall time: median {:.3} s (min {:.3} s, max {:.3} s, 3 runs)",
        runs[1].secs, runs[0].secs, runs[2].secs
    );
    let peak = runs.iter().map(|m| m.peak_mb).fold(0.0, f64::max);
    println!("  peak memory (max RSS of the three): {peak:.1} MiB");
    checkov(&tree);
    policies(bin, dir.path(), &tree);
}

/// checkov on the same tree, measured the same way, when it is installed (`checkov` on `PATH`, or the path in
/// `INFRA_BENCH_CHECKOV`); otherwise nothing is said about it.
fn checkov(tree: &std::path::Path) {
    let bin = std::env::var_os("INFRA_BENCH_CHECKOV").unwrap_or_else(|| "checkov".into());
    let Ok(version) = Command::new(&bin).arg("--version").output() else {
        println!("  checkov: not installed, not compared");
        return;
    };
    let mut cmd = Command::new(&bin);
    cmd.args([
        "--quiet",
        "--compact",
        "--framework",
        "terraform",
        "--output",
        "json",
        "-d",
    ])
    .arg(tree);
    let m = run(&mut cmd, &[0, 1], false);
    println!(
        "  checkov {} on the same tree: {:.1} s, peak memory {:.0} MiB (one run)",
        String::from_utf8_lossy(&version.stdout).trim(),
        m.secs,
        m.peak_mb
    );
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

/// The [`POLICIES`] policies, one file each, in a new directory `policy_dir`.
fn write_policies(policy_dir: &std::path::Path) {
    std::fs::create_dir(policy_dir).unwrap();
    for i in 0..POLICIES {
        std::fs::write(policy_dir.join(format!("p{i:02}.rego")), policy(i)).unwrap();
    }
}

/// `infra check --policy` with [`POLICIES`] policies over the same tree: the plan-shaped input of 12,000 resources
/// built, every policy evaluated, its results located.
fn policies(bin: &str, dir: &std::path::Path, tree: &std::path::Path) {
    let policy_dir = dir.join("policy");
    write_policies(&policy_dir);
    let mut runs = Vec::new();
    let mut findings = serde_json::Value::Null;
    for _ in 0..3 {
        let mut cmd = Command::new(bin);
        cmd.args([
            "check",
            "--format",
            "json",
            "--limit",
            "module_instances=2000",
            "--policy",
        ])
        .arg(&policy_dir)
        .arg(tree)
        .current_dir(dir);
        let m = run(&mut cmd, &[0, 1], true);
        let v: serde_json::Value = serde_json::from_slice(&m.stdout).unwrap();
        findings = v["summary"]["findings"].clone();
        runs.push(m);
    }
    runs.sort_by(|a, b| a.secs.total_cmp(&b.secs));
    let peak = runs.iter().map(|m| m.peak_mb).fold(0.0, f64::max);
    println!(
        "infra check --policy ({POLICIES} Rego policies): {findings} findings, wall time median {:.3} s (min {:.3} s, \
         max {:.3} s), peak memory {peak:.1} MiB",
        runs[1].secs, runs[0].secs, runs[2].secs
    );
}
