//! `infra check` evaluates values as Terraform's type system does (issue 21, items 1–3): input variables are
//! converted to their declared types (`optional()` attributes are null or their default), an argument whose
//! value is null is not set, and collections with some unknown values still expand (and provably empty ones
//! create nothing). Each test is a reproduction from the issue: findings that must and must not appear.

use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_infra");

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

/// `infra check . --format <format>` in `dir`: (exit code, stdout, stderr).
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN).args(args).current_dir(dir).output().unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (out.status.code().unwrap(), text(out.stdout), text(out.stderr))
}

/// `infra check . --format json` in `dir`: (exit code, JSON, stderr).
fn check(dir: &Path) -> (i32, serde_json::Value, String) {
    let (code, out, err) = run(dir, &["check", ".", "--format", "json"]);
    let json = serde_json::from_str(&out).unwrap_or(serde_json::Value::Null);
    assert_no_marker(&out);
    (code, json, err)
}

/// The findings as `RULE address`, sorted.
fn findings(json: &serde_json::Value) -> Vec<String> {
    let mut f: Vec<String> = json["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no findings in {json}"))
        .iter()
        .map(|f| format!("{} {}", f["rule"].as_str().unwrap(), f["address"].as_str().unwrap()))
        .collect();
    f.sort();
    f
}

fn has(json: &serde_json::Value, rule: &str) -> bool {
    findings(json).iter().any(|f| f.starts_with(&format!("{rule} ")))
}

/// The marker that stands for an unknown inside the evaluator never reaches what infra prints.
fn assert_no_marker(text: &str) {
    assert!(
        !text.contains('\u{FDD0}') && !text.contains('\u{FDD1}') && !text.contains("\\ufdd0"),
        "the unknown marker leaked: {text}"
    );
}

const APP_BODY: &str = r#"
  container_app_environment_id = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.App/managedEnvironments/env"
  resource_group_name          = "rg"
  revision_mode                = "Single"

  template {
    container {
      name   = "web"
      image  = "mcr.microsoft.com/k8se/quickstart:latest"
      cpu    = 0.25
      memory = "0.5Gi"
    }
  }
"#;

/// An app whose `registry` block exists only when `var.app.regs` (an absent `optional` attribute) is not null.
fn optional_registry(tfvars: Option<&str>) -> tempfile::TempDir {
    let main = format!(
        r#"
variable "app" {{
  type    = object({{ name = string, regs = optional(list(string)) }})
  default = {{ name = "web" }}
}}

resource "azurerm_container_app" "app" {{
  name = var.app.name
{APP_BODY}
  dynamic "registry" {{
    for_each = var.app.regs == null ? [] : ["a"]
    content {{
      server               = "acrexample01.azurecr.io"
      username             = "u"
      password_secret_name = "p"
    }}
  }}
}}
"#
    );
    let mut files = vec![("main.tf", main.as_str())];
    if let Some(t) = tfvars {
        files.push(("terraform.tfvars", t));
    }
    dir_with(&files)
}

#[test]
fn an_absent_optional_attribute_is_null_so_a_dynamic_block_over_it_is_not_generated() {
    let dir = optional_registry(None);
    let (_, json, err) = check(dir.path());
    assert!(!has(&json, "APP001"), "{err} {json}");
    assert_eq!(json["summary"]["unknown"], 0, "{json}");

    // Given, the block is generated and judged.
    let dir = optional_registry(Some("app = { name = \"web\", regs = [\"acrexample01.azurecr.io\"] }\n"));
    let (_, json, err) = check(dir.path());
    assert!(has(&json, "APP001"), "{err} {json}");
}

#[test]
fn a_count_on_an_absent_optional_attribute_is_known() {
    let main = r#"
variable "cfg" {
  type    = object({ name = string, legacy = optional(object({ tls = string })) })
  default = { name = "web" }
}

resource "azurerm_resource_group" "rg" {
  name     = "rg"
  location = "westeurope"
}

resource "azurerm_storage_account" "legacy" {
  count                    = var.cfg.legacy == null ? 0 : 1
  name                     = "stlegacy01"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
  min_tls_version          = "TLS1_0"
}
"#;
    let dir = dir_with(&[("main.tf", main)]);
    let (_, json, err) = check(dir.path());
    assert!(!has(&json, "STG001"), "{err} {json}");

    let dir = dir_with(&[
        ("main.tf", main),
        (
            "terraform.tfvars",
            "cfg = { name = \"web\", legacy = { tls = \"x\" } }\n",
        ),
    ]);
    let (_, json, err) = check(dir.path());
    assert!(
        findings(&json).contains(&"STG001 azurerm_storage_account.legacy[0]".to_string()),
        "{err} {json}"
    );
}

#[test]
fn an_optional_attribute_takes_its_default() {
    let main = r#"
variable "storage" {
  type = map(object({
    name = string
    tls  = optional(string, "TLS1_0")
  }))
  default = { logs = { name = "stlogs01" } }
}

resource "azurerm_storage_account" "st" {
  for_each                 = var.storage
  name                     = each.value.name
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
  min_tls_version          = each.value.tls
}
"#;
    let dir = dir_with(&[("main.tf", main)]);
    let (_, json, err) = check(dir.path());
    assert!(
        findings(&json).contains(&"STG001 azurerm_storage_account.st[\"logs\"]".to_string()),
        "{err} {json}"
    );
    assert_eq!(json["summary"]["unknown"], 0, "{json}");
}

#[test]
fn an_argument_set_to_null_is_not_set() {
    let main = format!(
        r#"
resource "azurerm_container_app" "app" {{
  name = "web"
{APP_BODY}
  registry {{
    server               = "acrexample01.azurecr.io"
    identity             = "System"
    username             = null
    password_secret_name = null
  }}
}}
"#
    );
    let dir = dir_with(&[("main.tf", &main)]);
    let (_, json, err) = check(dir.path());
    assert!(!has(&json, "APP001"), "{err} {json}");

    // `infra diff` agrees: null and absent are the same configuration (terraform plan shows no change).
    let absent = main
        .replace("    username             = null\n", "")
        .replace("    password_secret_name = null\n", "");
    assert_ne!(absent, main);
    let other = dir_with(&[("main.tf", &absent)]);
    let (a, b) = (dir.path().to_str().unwrap(), other.path().to_str().unwrap());
    let (code, out, err) = run(Path::new("."), &["diff", a, b]);
    assert!(out.contains("No changes."), "{code} {err}\n{out}");

    // Null through a variable is absent too; a value is judged.
    let main = main.replace("username             = null", "username             = var.user");
    let main = format!("variable \"user\" {{\n  default = null\n}}\n{main}");
    let dir = dir_with(&[("main.tf", &main)]);
    let (_, json, err) = check(dir.path());
    assert!(!has(&json, "APP001"), "{err} {json}");
    let dir = dir_with(&[("main.tf", &main), ("terraform.tfvars", "user = \"admin\"\n")]);
    let (_, json, err) = check(dir.path());
    assert!(has(&json, "APP001"), "{err} {json}");
}

/// A module creating one app per entry of `var.apps`, called with a map whose keys are known and one value is not.
fn partly_known_apps() -> tempfile::TempDir {
    let root = r#"
resource "random_id" "x" {
  byte_length = 2
}

module "apps" {
  source = "./modules/apps"
  apps = {
    web = { name = "web-${random_id.x.hex}", insecure = true }
  }
}
"#;
    let module = format!(
        r#"
variable "apps" {{
  type = map(object({{
    name     = string
    insecure = optional(bool, false)
  }}))
}}

resource "azurerm_container_app" "app" {{
  for_each = var.apps
  name     = each.value.name
{APP_BODY}
  ingress {{
    external_enabled           = true
    target_port                = 80
    allow_insecure_connections = each.value.insecure

    traffic_weight {{
      latest_revision = true
      percentage      = 100
    }}
  }}
}}
"#
    );
    dir_with(&[("main.tf", root), ("modules/apps/main.tf", &module)])
}

#[test]
fn a_map_with_known_keys_and_an_unknown_value_expands_to_its_instances() {
    let dir = partly_known_apps();
    let (_, json, err) = check(dir.path());
    assert!(
        findings(&json).contains(&"APP003 module.apps.azurerm_container_app.app[\"web\"]".to_string()),
        "{err} {json}"
    );
    // The unknown name is reported unknown, as written: never as a value.
    let unknown: Vec<(String, String, String)> = json["unknown"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            let s = |k: &str| u[k].as_str().unwrap_or_default().to_string();
            (s("address"), s("attribute"), s("expression"))
        })
        .collect();
    assert!(
        unknown.contains(&(
            "module.apps.azurerm_container_app.app[\"web\"]".to_string(),
            "name".to_string(),
            "each.value.name".to_string()
        )),
        "{unknown:?}"
    );
}

#[test]
fn the_unknown_marker_never_leaks_into_output() {
    let dir = partly_known_apps();
    for format in ["text", "json", "sarif", "junit"] {
        let (_, out, err) = run(dir.path(), &["check", ".", "--format", format, "--show-unknown"]);
        assert_no_marker(&out);
        assert_no_marker(&err);
    }
    // A diff against the same module with a different known value shows the change, not the marker.
    let other = partly_known_apps();
    let changed = other.path().join("main.tf");
    let text = std::fs::read_to_string(&changed)
        .unwrap()
        .replace("insecure = true", "insecure = false");
    std::fs::write(&changed, text).unwrap();
    let (a, b) = (dir.path().to_str().unwrap(), other.path().to_str().unwrap());
    for format in ["text", "markdown", "json"] {
        let (code, out, err) = run(Path::new("."), &["diff", a, b, "--format", format]);
        assert_no_marker(&out);
        assert_no_marker(&err);
        assert!(out.contains("allow_insecure_connections"), "{code} {err}\n{out}");
    }
    let (_, out, err) = run(dir.path(), &["graph", "."]);
    assert_no_marker(&out);
    assert_no_marker(&err);
}

fn endpoints(manage_dns: bool) -> tempfile::TempDir {
    let main = format!(
        r#"
variable "manage_dns" {{
  type    = bool
  default = {manage_dns}
}}

resource "azurerm_subnet" "pe" {{
  name                 = "snet-pe"
  resource_group_name  = "rg"
  virtual_network_name = "vnet"
  address_prefixes     = ["10.0.1.0/24"]
}}

locals {{
  pes = {{
    acr = {{ subnet_id = azurerm_subnet.pe.id, resource_id = "/subscriptions/0/registries/acr" }}
  }}
}}

resource "azurerm_private_endpoint" "pe" {{
  for_each            = {{ for k, v in local.pes : k => v if !var.manage_dns }}
  name                = "pe-${{each.key}}"
  location            = "westeurope"
  resource_group_name = "rg"
  subnet_id           = each.value.subnet_id

  private_service_connection {{
    name                           = "psc-${{each.key}}"
    private_connection_resource_id = each.value.resource_id
    is_manual_connection           = false
    subresource_names              = ["registry"]
  }}
}}
"#
    );
    dir_with(&[("main.tf", &main)])
}

#[test]
fn a_provably_empty_for_each_creates_nothing() {
    let dir = endpoints(true);
    let (_, json, err) = check(dir.path());
    assert!(!has(&json, "NET001"), "{err} {json}");

    let dir = endpoints(false);
    let (_, json, err) = check(dir.path());
    assert!(
        findings(&json).contains(&"NET001 azurerm_private_endpoint.pe[\"acr\"]".to_string()),
        "{err} {json}"
    );
}

#[test]
fn a_value_that_does_not_convert_is_an_error_at_the_variable() {
    let main = r#"variable "app" {
  type = object({ name = string, regs = optional(list(string)) })
}
"#;
    let dir = dir_with(&[("main.tf", main), ("terraform.tfvars", "app = { regs = [\"a\"] }\n")]);
    let (code, out, err) = run(dir.path(), &["check", "."]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("main.tf:1:1"), "{err}");
    assert!(err.contains("Invalid value for input variable `app`"), "{err}");
    assert!(err.contains("attribute \"name\" is required"), "{err}");
    assert!(err.contains("help:"), "{err}");
    assert!(out.is_empty(), "no partial output: {out}");

    // A default that does not convert: at the default.
    let main = "variable \"port\" {\n  type    = number\n  default = \"eighty\"\n}\n";
    let dir = dir_with(&[("main.tf", main)]);
    let (code, _, err) = run(dir.path(), &["check", "."]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("main.tf:3:3") && err.contains("a number is required"),
        "{err}"
    );
}

#[test]
fn a_module_argument_that_does_not_convert_is_an_error_at_the_argument() {
    let root = r#"
module "apps" {
  source = "./modules/apps"
  apps = {
    web = { insecure = true }
  }
}
"#;
    let module = r#"variable "apps" {
  type = map(object({ name = string, insecure = optional(bool, false) }))
}
"#;
    let dir = dir_with(&[("main.tf", root), ("modules/apps/main.tf", module)]);
    let (code, _, err) = run(dir.path(), &["check", "."]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("main.tf:4:3"), "{err}");
    assert!(err.contains("element \"web\": attribute \"name\" is required"), "{err}");
}
