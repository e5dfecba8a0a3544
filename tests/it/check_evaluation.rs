//! `infra check DIR` judges the values Terraform would use (issue 12, item 1): variables from every source in
//! Terraform's precedence, locals, conditionals and functions; what cannot be known stays "not a violation" and
//! is counted.

use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_infra");

const REGISTRY: &str = r#"
variable "admin" {
  type    = bool
  default = true
}

variable "sku" {
  default = "Premium"
}

variable "env" {
  type    = string
  default = "dev"
}

locals {
  suffix = format("%s%02d", var.env, 1)
  name   = "acr${local.suffix}"
  public = var.env == "prod" ? false : true
}

resource "azurerm_container_registry" "main" {
  name                          = local.name
  resource_group_name           = azurerm_resource_group.main.name
  location                      = "westeurope"
  sku                           = var.sku
  admin_enabled                 = var.admin
  public_network_access_enabled = local.public
  data_endpoint_enabled         = timestamp() != ""
}
"#;

fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("infra.toml"), "").unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

/// `infra check . --format json <args>` in `dir`: (exit code, JSON, stderr).
fn check(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, serde_json::Value, String) {
    let mut cmd = Command::new(BIN);
    cmd.args(["check", ".", "--format", "json"]).args(args).current_dir(dir);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (out.status.code().unwrap(), json, String::from_utf8(out.stderr).unwrap())
}

fn rules(json: &serde_json::Value) -> Vec<String> {
    let mut r: Vec<String> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect();
    r.sort();
    r
}

#[test]
fn a_variable_default_is_judged() {
    let dir = dir_with(&[("main.tf", REGISTRY)]);
    let (code, json, err) = check(dir.path(), &[], &[]);
    assert_eq!(code, 1, "{err}");
    let rules = rules(&json);
    // admin_enabled = var.admin (default true) is the admin user enabled.
    assert!(rules.contains(&"ACR001".to_string()), "{rules:?}");
    // sku = var.sku (default "Premium"): the Premium rules run and the "rules skipped" note does not appear.
    assert!(rules.contains(&"ACR005".to_string()), "{rules:?}");
    assert!(!rules.contains(&"ACR014".to_string()), "{rules:?}");
    // The conditional is evaluated: dev is public.
    assert!(rules.contains(&"ACR004".to_string()), "{rules:?}");
    // The name is built from locals and format(): acrdev01 is a valid name.
    assert!(!rules.contains(&"ACR013".to_string()), "{rules:?}");
    // timestamp() is not evaluated: unknown, counted, not a violation.
    assert_eq!(json["summary"]["unknown"], 1);
    assert_eq!(json["unknown"][0]["attribute"], "data_endpoint_enabled");
    assert_eq!(json["unknown"][0]["line"], 29);
}

#[test]
fn variable_sources_follow_terraform_precedence() {
    let dir = dir_with(&[
        ("main.tf", REGISTRY),
        ("terraform.tfvars", "env = \"prod\"\n"),
        ("a.auto.tfvars", "admin = false\n"),
        ("b.auto.tfvars.json", r#"{"admin": true}"#),
        ("basic.tfvars", "sku = \"Basic\"\n"),
    ]);
    // terraform.tfvars: prod → not public (no ACR004). *.auto.tfvars in lexical order: b (true) beats a (false).
    let (_, json, err) = check(dir.path(), &[], &[]);
    let r = rules(&json);
    assert!(
        !r.contains(&"ACR004".to_string()) && r.contains(&"ACR001".to_string()),
        "{r:?} {err}"
    );

    // TF_VAR_ is below the files: it does not override terraform.tfvars.
    let (_, json, _) = check(dir.path(), &[], &[("TF_VAR_env", "dev")]);
    assert!(!rules(&json).contains(&"ACR004".to_string()));
    // --var is above every file; the string "false" converts to the declared bool.
    let (_, json, _) = check(dir.path(), &["--var", "admin=false", "--var", "env=dev"], &[]);
    let r = rules(&json);
    assert!(
        !r.contains(&"ACR001".to_string()) && r.contains(&"ACR004".to_string()),
        "{r:?}"
    );
    // --var-file is above the automatic files.
    let (_, json, _) = check(dir.path(), &["--var-file", "basic.tfvars"], &[]);
    let r = rules(&json);
    assert!(
        r.contains(&"ACR003".to_string()) && !r.contains(&"ACR005".to_string()),
        "{r:?}"
    );
}

#[test]
fn tf_var_environment_variables_are_read() {
    let dir = dir_with(&[("main.tf", REGISTRY)]);
    let (_, json, _) = check(dir.path(), &[], &[("TF_VAR_admin", "false")]);
    assert!(!rules(&json).contains(&"ACR001".to_string()));
}

#[test]
fn bad_variable_input_is_a_clear_error() {
    let dir = dir_with(&[("main.tf", REGISTRY)]);
    let (code, json, err) = check(dir.path(), &["--var", "nope=1"], &[]);
    assert_eq!((code, json), (2, serde_json::Value::Null), "no partial output");
    assert!(
        err.contains("declares no variable `nope`") && err.contains("help: declared variables: admin, env, sku"),
        "{err}"
    );

    let (code, _, err) = check(dir.path(), &["--var", "admin=maybe"], &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("main.tf:2:1") && err.contains("`admin`") && err.contains("help:"),
        "{err}"
    );

    let (code, _, err) = check(dir.path(), &["--var", "admin"], &[]);
    assert_eq!(code, 2);
    assert!(err.contains("NAME=VALUE"), "{err}");
}

#[test]
fn locals_in_a_cycle_are_an_error_with_a_location() {
    let dir = dir_with(&[(
        "main.tf",
        "locals {\n  a = local.b\n  b = \"${local.a}-x\"\n}\nresource \"azurerm_resource_group\" \"rg\" {\n  name     = local.a\n  location = \"westeurope\"\n}\n",
    )]);
    let (code, _, err) = check(dir.path(), &[], &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("main.tf:2:3") && err.contains("cycle") && err.contains("local.a, local.b"),
        "{err}"
    );
}

#[test]
fn functions_modules_use_are_evaluated() {
    let text = r#"
variable "cidr" {
  default = "10.0.0.0/16"
}
variable "settings" {
  default = { tier = "premium", zones = ["1", "2"] }
}
locals {
  subnet   = cidrsubnet(var.cidr, 8, 2)
  sku      = title(lookup(var.settings, "tier", "basic"))
  fallback = try(var.settings.missing, "Standard")
  has_tier = can(var.settings.tier)
  merged   = merge({ a = 1 }, { b = 2 }, { a = 3 })
  joined   = join(",", concat(var.settings.zones, ["3"]))
  encoded  = jsonencode({ k = coalesce("", "v") })
  upper    = [for z in var.settings.zones : upper("z${z}") if z != "2"]
  by_zone  = { for z in var.settings.zones : z => length(z) }
}
resource "azurerm_container_registry" "main" {
  name                = "acrmain01"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = local.has_tier ? local.sku : local.fallback
  admin_enabled       = local.subnet == "10.0.2.0/24" && local.merged.a == 3 && local.joined == "1,2,3" && local.encoded == "{\"k\":\"v\"}" && local.upper == ["Z1"] && local.by_zone["2"] == 1
}
"#;
    let dir = dir_with(&[("main.tf", text)]);
    let (_, json, err) = check(dir.path(), &[], &[]);
    let r = rules(&json);
    // Every function above gave Terraform's value, or admin_enabled would not be true.
    assert!(r.contains(&"ACR001".to_string()), "{r:?} {err}");
    // sku = title("premium") = "Premium".
    assert!(
        r.contains(&"ACR005".to_string()) && !r.contains(&"ACR003".to_string()),
        "{r:?}"
    );
    assert_eq!(json["summary"]["unknown"], 0, "{json}");
}

#[test]
fn resource_attributes_data_sources_and_path_stay_unknown_and_are_not_violations() {
    let text = r#"
resource "azurerm_container_registry" "main" {
  name                = "acrmain01"
  resource_group_name = azurerm_resource_group.main.name
  location            = "westeurope"
  sku                 = data.external.sku.result
  admin_enabled       = fileexists("${path.module}/admin")
}
"#;
    let dir = dir_with(&[("main.tf", text)]);
    let (_, json, _) = check(dir.path(), &[], &[]);
    let r = rules(&json);
    assert!(
        !r.contains(&"ACR001".to_string()) && !r.contains(&"ACR003".to_string()),
        "{r:?}"
    );
    let unknown: Vec<&str> = json["unknown"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["attribute"].as_str().unwrap())
        .collect();
    // The plain reference to another resource is followed by rules, not counted.
    assert_eq!(unknown, ["sku", "admin_enabled"]);

    let out = Command::new(BIN)
        .args(["check", ".", "--show-unknown"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("2 rule inputs are not known before apply"), "{text}");
    assert!(
        text.contains("main.tf:6:3  azurerm_container_registry.main.sku = data.external.sku.result"),
        "{text}"
    );
}
