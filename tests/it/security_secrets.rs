//! Secrets stay secret (issue 20): a value from `TF_VAR_*`, from a variable declared `sensitive = true`, or
//! derived from one (locals, functions, module arguments) never appears in what infra prints — check's four
//! formats, errors, diff's three views, graph labels, `check --plan` — it reads `(sensitive value)`, and rules
//! still judge the real value.

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_infra");
const SECRET: &str = "Hunter2-Secret-Pass";
const MASK: &str = "(sensitive value)";

fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("infra.toml"), "").unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// `infra <args>` in `dir` with `TF_VAR_db_password` set to [`SECRET`].
fn infra(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("TF_VAR_db_password", SECRET)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Nothing printed contains any of `secrets`, in any case.
fn assert_hidden(out: &str, secrets: &[&str]) {
    for s in secrets {
        assert!(!out.to_lowercase().contains(&s.to_lowercase()), "{s:?} printed:\n{out}");
    }
}

fn rules(json_out: &Output) -> Vec<String> {
    let json: serde_json::Value = serde_json::from_slice(&json_out.stdout).expect("JSON output");
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

/// A registry named by `var.db_password`, declared with type `ty`.
fn registry_named_by_secret(ty: &str) -> String {
    format!(
        r#"
variable "db_password" {{
  type = {ty}
}}

resource "azurerm_container_registry" "main" {{
  name                = var.db_password
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Premium"
}}
"#
    )
}

#[test]
fn a_tf_var_used_as_registry_name_is_masked_in_every_check_format_and_still_judged() {
    let dir = dir_with(&[("main.tf", &registry_named_by_secret("string"))]);
    for format in ["text", "json", "sarif", "junit"] {
        let out = infra(dir.path(), &["check", ".", "--format", format]);
        let printed = text(&out);
        assert_hidden(&printed, &[SECRET]);
        assert!(printed.contains(MASK), "{format}: {printed}");
        assert!(
            printed.contains("ACR013"),
            "{format}: the name rule must still fire:\n{printed}"
        );
    }
    let json = infra(dir.path(), &["check", ".", "--format", "json"]);
    assert!(rules(&json).contains(&"ACR013".to_string()));
}

#[test]
fn a_secret_in_a_webhook_uri_built_by_a_local_and_a_module_is_masked() {
    let main = r#"
variable "db_password" {
  type = string
}

locals {
  hook = "http://hooks.example.com/${upper(var.db_password)}/notify"
}

resource "azurerm_container_registry_webhook" "direct" {
  name                = "direct"
  resource_group_name = "rg"
  registry_name       = "acrexample01"
  location            = "westeurope"
  service_uri         = local.hook
  actions             = ["push"]
}

module "hook" {
  source = "./hook"
  token  = lower(var.db_password)
}
"#;
    let module = r#"
variable "token" {
  type = string
}

resource "azurerm_container_registry_webhook" "in_module" {
  name                = "inmodule"
  resource_group_name = "rg"
  registry_name       = "acrexample01"
  location            = "westeurope"
  service_uri         = "http://example.net/x?t=${var.token}"
  actions             = ["push"]
}
"#;
    let dir = dir_with(&[("main.tf", main), ("hook/main.tf", module)]);
    for format in ["text", "json", "sarif", "junit"] {
        let printed = text(&infra(dir.path(), &["check", ".", "--format", format]));
        assert_hidden(&printed, &[SECRET]);
    }
    // Both webhooks are still judged (plain http), on the real value.
    let json = infra(dir.path(), &["check", ".", "--format", "json"]);
    let acr012 = rules(&json).iter().filter(|r| *r == "ACR012").count();
    assert_eq!(acr012, 2, "{}", text(&json));
    // A value derived from a secret is sensitive as a whole, as Terraform shows it.
    assert!(
        text(&json).contains(&format!("the webhook calls `{MASK}`")),
        "{}",
        text(&json)
    );
}

#[test]
fn a_sensitive_variable_from_tfvars_is_masked() {
    let main = r#"
variable "registry" {
  type      = string
  sensitive = true
}

resource "azurerm_container_registry" "main" {
  name                = "${var.registry}-acr"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Premium"
}
"#;
    let dir = dir_with(&[
        ("main.tf", main),
        ("terraform.tfvars", "registry = \"Zq9-TopSecret\"\n"),
    ]);
    let out = infra(dir.path(), &["check", ".", "--format", "json"]);
    assert_hidden(&text(&out), &["Zq9-TopSecret"]);
    assert!(rules(&out).contains(&"ACR013".to_string()), "{}", text(&out));
}

#[test]
fn a_type_mismatch_does_not_echo_a_secret() {
    let dir = dir_with(&[("main.tf", &registry_named_by_secret("number"))]);
    let out = infra(dir.path(), &["check", "."]);
    let printed = text(&out);
    assert_eq!(out.status.code(), Some(2), "{printed}");
    assert_hidden(&printed, &[SECRET]);
    assert!(
        printed.contains("TF_VAR_db_password") && printed.contains("help:"),
        "{printed}"
    );

    let declared = r#"
variable "pin" {
  type      = number
  sensitive = true
}
"#;
    let dir = dir_with(&[("main.tf", declared), ("terraform.tfvars", "pin = \"Zq9-TopSecret\"\n")]);
    let out = infra(dir.path(), &["check", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert_hidden(&text(&out), &["Zq9-TopSecret"]);
    assert!(text(&out).contains("`pin`"), "{}", text(&out));
}

#[test]
fn diff_of_two_directories_never_prints_the_secret() {
    let hook = |uri: &str| {
        format!(
            r#"
variable "db_password" {{
  type = string
}}

locals {{
  uri = "https://hooks.example.com/${{var.db_password}}"
}}

resource "azurerm_container_registry_webhook" "hook" {{
  name                = "hook"
  resource_group_name = "rg"
  registry_name       = "acrexample01"
  location            = "westeurope"
  service_uri         = {uri}
  actions             = ["push"]
}}
"#
        )
    };
    let old = dir_with(&[("main.tf", &hook("\"https://hooks.example.com/static\""))]);
    let new = dir_with(&[("main.tf", &hook("local.uri"))]);
    let (o, n) = (old.path().to_str().unwrap(), new.path().to_str().unwrap());
    for format in ["text", "markdown", "json"] {
        let out = infra(Path::new("."), &["diff", o, n, "--format", format]);
        let printed = text(&out);
        assert_eq!(out.status.code(), Some(2), "{printed}");
        assert_hidden(&printed, &[SECRET]);
        // JSON marks the value `{"sensitive": true}`, the other views print `(sensitive value)`.
        let marked = if format == "json" { "\"sensitive\": true" } else { MASK };
        assert!(printed.contains(marked), "{format}:\n{printed}");
    }
}

#[test]
fn graph_labels_never_show_a_secret() {
    let main = r#"
variable "db_password" {
  type = string
}

resource "azurerm_user_assigned_identity" "app" {
  name                = "app"
  resource_group_name = "rg"
  location            = "westeurope"
}

resource "azurerm_role_assignment" "pull" {
  scope                = "/subscriptions/x"
  role_definition_name = var.db_password
  principal_id         = azurerm_user_assigned_identity.app.principal_id
}
"#;
    let dir = dir_with(&[("main.tf", main)]);
    for format in ["mermaid", "dot"] {
        let out = infra(dir.path(), &["graph", ".", "--format", format]);
        let printed = text(&out);
        assert!(out.status.success(), "{printed}");
        assert_hidden(&printed, &[SECRET]);
        assert!(printed.contains("azurerm_role_assignment.pull"), "{printed}");
    }
}

/// A plan of one registry named [`SECRET`], with `sensitive_values` (planned_values) and `after_sensitive`
/// (resource_changes) as given.
fn plan(sensitive_values: &str, after_sensitive: &str) -> String {
    format!(
        r#"{{
  "format_version": "1.2",
  "terraform_version": "1.11.0",
  "planned_values": {{"root_module": {{"resources": [
    {{"address": "azurerm_container_registry.main", "mode": "managed", "type": "azurerm_container_registry",
      "name": "main", "provider_name": "registry.terraform.io/hashicorp/azurerm", "schema_version": 2,
      "values": {{"name": "{SECRET}", "sku": "Premium", "location": "westeurope", "resource_group_name": "rg",
                  "admin_enabled": false, "georeplications": [{{"location": "{SECRET}", "zone_redundancy_enabled": true}}]}},
      "sensitive_values": {sensitive_values}}}]}}}},
  "resource_changes": [
    {{"address": "azurerm_container_registry.main", "mode": "managed", "type": "azurerm_container_registry",
      "name": "main", "provider_name": "registry.terraform.io/hashicorp/azurerm",
      "change": {{"actions": ["create"], "before": null,
        "after": {{"name": "{SECRET}", "sku": "Premium", "location": "westeurope", "resource_group_name": "rg",
                   "admin_enabled": false, "georeplications": [{{"location": "{SECRET}", "zone_redundancy_enabled": true}}]}},
        "after_unknown": {{}}, "before_sensitive": false, "after_sensitive": {after_sensitive}}}}}]
}}"#
    )
}

#[test]
fn check_plan_honours_every_form_of_sensitive_values() {
    for (sensitive_values, after_sensitive) in [
        ("true", "true"),
        ("{}", "true"),
        ("true", "{}"),
        (
            r#"{"name": true, "georeplications": [{"location": true}]}"#,
            r#"{"name": true, "georeplications": [{"location": true}]}"#,
        ),
    ] {
        let dir = dir_with(&[("plan.json", &plan(sensitive_values, after_sensitive))]);
        for format in ["text", "json", "sarif", "junit"] {
            let out = infra(dir.path(), &["check", "--plan", "plan.json", "--format", format]);
            let printed = text(&out);
            assert_hidden(&printed, &[SECRET]);
            assert!(
                matches!(out.status.code(), Some(0 | 1)),
                "{sensitive_values} / {after_sensitive}:\n{printed}"
            );
        }
    }
}
