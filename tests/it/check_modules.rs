//! `infra check DIR` reads the modules a configuration calls (issue 12, item 3): local sources recursively,
//! installed ones through `.terraform/modules/modules.json`; arguments bound to the module's variables, outputs
//! usable by the caller, findings in the module's files under module addresses.

use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_infra");

fn write(root: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let path = root.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// `infra check . --format json` in `root`: (exit code, JSON, stderr).
fn check(root: &Path) -> (i32, serde_json::Value, String) {
    let out = Command::new(BIN)
        .args(["check", ".", "--format", "json"])
        .current_dir(root)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (out.status.code().unwrap(), json, String::from_utf8(out.stderr).unwrap())
}

/// (address, rule, file:line) of every finding.
fn findings(json: &serde_json::Value) -> Vec<(String, String, String)> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["address"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
                format!("{}:{}", f["file"].as_str().unwrap_or("-"), f["line"]),
            )
        })
        .collect()
}

const APP_MODULE: &str = r#"
variable "name" {
  type = string
}

variable "image" {
  type    = string
  default = "nginx:1.27.0"
}

resource "azurerm_container_app" "this" {
  name                         = var.name
  resource_group_name          = "rg"
  container_app_environment_id = "x"
  revision_mode                = "Single"

  template {
    container {
      name   = var.name
      image  = var.image
      cpu    = 0.25
      memory = "0.5Gi"
    }
  }
}

output "registry_sku" {
  value = startswith(var.image, "debian") ? "Basic" : "Premium"
}
"#;

#[test]
fn a_value_passed_to_a_local_module_is_checked_in_the_module() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        &[
            ("infra.toml", ""),
            (
                "main.tf",
                "module \"web\" {\n  source = \"./modules/app\"\n  name   = \"web-app\"\n  image  = \"debian:latest\"\n}\n",
            ),
            ("modules/app/main.tf", APP_MODULE),
        ],
    );
    // Before: "no resource blocks", exit 2. Now the module's resource is checked where it is written.
    let (code, json, err) = check(t.path());
    assert_eq!(code, 1, "{err}");
    let f = findings(&json);
    assert!(
        f.contains(&(
            "module.web.azurerm_container_app.this".to_string(),
            "APP007".to_string(),
            "modules/app/main.tf:20".to_string()
        )),
        "{f:?}"
    );
    // The SARIF logical location names the module address.
    let out = Command::new(BIN)
        .args(["check", ".", "--format", "sarif"])
        .current_dir(t.path())
        .output()
        .unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(
        result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        "module.web.azurerm_container_app.this"
    );
}

/// A root module calling `apps` (for_each) and `platform`, which passes an `apps` output on to `registry`.
const NESTED_ROOT: &str = r#"
module "apps" {
  source   = "./modules/app"
  for_each = toset(["api", "web"])
  name     = "app-${each.key}"
  image    = each.key == "api" ? "debian:latest" : "nginx:1.27.0"
}

module "platform" {
  source = "./modules/platform"
  sku    = module.apps["api"].registry_sku
}
"#;

const PLATFORM_MODULE: &str = r#"
variable "sku" {}

module "registry" {
  source = "../registry"
  sku    = var.sku
}
"#;

const REGISTRY_MODULE: &str = r#"
variable "sku" {
  default = "Premium"
}

resource "azurerm_container_registry" "this" {
  name                = "acrplatform01"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = var.sku
}
"#;

#[test]
fn module_outputs_nested_modules_and_instances() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        &[
            ("infra.toml", ""),
            ("main.tf", NESTED_ROOT),
            ("modules/app/main.tf", APP_MODULE),
            ("modules/platform/main.tf", PLATFORM_MODULE),
            ("modules/registry/main.tf", REGISTRY_MODULE),
        ],
    );
    let (_, json, err) = check(t.path());
    let f = findings(&json);
    let has = |a: &str, r: &str| f.iter().any(|(fa, fr, _)| fa == a && fr == r);
    assert!(
        has("module.apps[\"api\"].azurerm_container_app.this", "APP007"),
        "{f:?} {err}"
    );
    assert!(
        !has("module.apps[\"web\"].azurerm_container_app.this", "APP007"),
        "{f:?}"
    );
    // The api instance's output ("Basic", from debian) flows through module.platform into module.registry.
    let registry = "module.platform.module.registry.azurerm_container_registry.this";
    assert!(has(registry, "ACR003"), "{f:?}");
    assert!(
        f.iter()
            .any(|(a, _, at)| a == registry && at.starts_with("modules/registry/main.tf:")),
        "{f:?}"
    );

    // SARIF: the call chain as related locations, outermost call first.
    let chain = sarif_call_chain(t.path(), "ACR003");
    assert_eq!(
        chain,
        [
            ("module.platform is called here".to_string(), "main.tf:9".to_string()),
            (
                "module.platform.module.registry is called here".to_string(),
                "modules/platform/main.tf:4".to_string()
            ),
        ]
    );
}

/// A call that reads another's outputs is evaluated after it whatever the file order: `module.platform`, written
/// first, still gets `module.apps["api"]`'s output.
#[test]
fn a_call_reading_another_call_s_outputs_is_evaluated_after_it() {
    let (apps, platform) = NESTED_ROOT.split_at(NESTED_ROOT.find("module \"platform\"").unwrap());
    let reversed = format!("{platform}\n{apps}");
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        &[
            ("infra.toml", ""),
            ("main.tf", &reversed),
            ("modules/app/main.tf", APP_MODULE),
            ("modules/platform/main.tf", PLATFORM_MODULE),
            ("modules/registry/main.tf", REGISTRY_MODULE),
        ],
    );
    let (_, json, err) = check(t.path());
    let f = findings(&json);
    let registry = "module.platform.module.registry.azurerm_container_registry.this";
    assert!(f.iter().any(|(a, r, _)| a == registry && r == "ACR003"), "{f:?} {err}");
}

/// The SARIF `relatedLocations` of the first result of `rule` in `dir`: (message, `file:line`), outermost call
/// first.
fn sarif_call_chain(dir: &Path, rule: &str) -> Vec<(String, String)> {
    let out = Command::new(BIN)
        .args(["check", ".", "--format", "sarif"])
        .current_dir(dir)
        .output()
        .unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == rule)
        .unwrap();
    result["relatedLocations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["message"]["text"].as_str().unwrap().to_string(),
                format!(
                    "{}:{}",
                    l["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap(),
                    l["physicalLocation"]["region"]["startLine"]
                ),
            )
        })
        .collect()
}

#[test]
fn an_unknown_argument_makes_the_variable_unknown_not_its_default() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        &[
            ("infra.toml", ""),
            (
                "main.tf",
                "module \"web\" {\n  source = \"./modules/app\"\n  name   = \"web-app\"\n  image  = data.x.y.image\n}\n",
            ),
            ("modules/app/main.tf", &APP_MODULE.replace("nginx:1.27.0", "nginx:latest")),
        ],
    );
    let (_, json, _) = check(t.path());
    let f = findings(&json);
    assert!(
        !f.iter().any(|(_, r, _)| r == "APP007"),
        "the default must not be used: {f:?}"
    );
}

#[test]
fn installed_modules_are_read_from_modules_json_and_others_are_listed_as_not_read() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        &[
            ("infra.toml", ""),
            (
                "main.tf",
                r#"
module "registry_module" {
  source  = "example/app/azurerm"
  version = "1.0.0"
  name    = "web-app"
  image   = "debian:latest"
}

module "git_module" {
  source = "git::https://example.com/modules.git"
}
"#,
            ),
            (".terraform/modules/registry_module/main.tf", APP_MODULE),
            (
                ".terraform/modules/modules.json",
                r#"{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"registry_module","Source":"registry.terraform.io/example/app/azurerm","Version":"1.0.0","Dir":".terraform/modules/registry_module"}]}"#,
            ),
        ],
    );
    let (code, json, err) = check(t.path());
    assert_eq!(code, 1, "{err}");
    let f = findings(&json);
    assert!(
        f.iter()
            .any(|(a, r, _)| a == "module.registry_module.azurerm_container_app.this" && r == "APP007"),
        "{f:?}"
    );
    assert!(
        err.contains("module.git_module") && err.contains("not read") && err.contains("terraform init"),
        "{err}"
    );
}

/// `for_each = toset(try(var.settings.keys, []))` with `var.settings` unset (aztfmod/terraform-azurerm-caf's
/// private-endpoint module is written so): Terraform's `try` gives an unknown value here — the attribute of an
/// unknown value is unknown, not an error — so the fallback `[]` is not taken and the module is checked once as
/// written; `can(var.settings.keys)` is unknown too. Before: zero instances, "no resource blocks", exit 2.
#[test]
fn try_over_an_unset_variable_is_unknown_not_its_fallback() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        &[
            ("infra.toml", ""),
            (
                "main.tf",
                "variable \"settings\" {}\n\nmodule \"web\" {\n  source   = \"./modules/app\"\n  for_each = toset(try(var.settings.keys, []))\n  name     = can(var.settings.keys) ? \"web-app\" : \"other\"\n  image    = \"debian:latest\"\n}\n",
            ),
            ("modules/app/main.tf", APP_MODULE),
        ],
    );
    let (code, json, err) = check(t.path());
    assert_eq!(code, 1, "{err}");
    let f = findings(&json);
    assert!(
        f.contains(&(
            "module.web.azurerm_container_app.this".to_string(),
            "APP007".to_string(),
            "modules/app/main.tf:20".to_string()
        )),
        "{f:?}"
    );

    // A known variable without the key: the fallback is taken, as Terraform does — zero instances.
    write(t.path(), &[("terraform.tfvars", "settings = { other = 1 }\n")]);
    let (code, _, err) = check(t.path());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no resource blocks"), "{err}");
}
