//! `infra diff OLD_DIR NEW_DIR` predicts what Terraform plans (issue 12, item 8): both configurations evaluated
//! (variables, locals, functions), `count` / `for_each` instances and module resources under Terraform's
//! addresses, `moved` with instance keys and module addresses, two expressions with the same value equal, and
//! data sources shown only when Terraform defers them to apply.
//!
//! Each scenario is checked against the installed `terraform` (1.11, built-in `terraform_data` and
//! `terraform_remote_state` only, so it runs offline): apply the old configuration, plan the new one, and compare
//! the planned action of every address with infra's offline prediction.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_infra");

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

use crate::support::terraform;

/// An empty local state for `terraform_remote_state` to read.
const OTHER_STATE: &str = r#"{"version": 4, "terraform_version": "1.11.0", "serial": 1, "lineage": "00000000-0000-0000-0000-000000000000", "outputs": {}, "resources": []}"#;

/// Address → action, as Terraform plans it: apply `old` in a working directory, replace its configuration by
/// `new`, plan, `terraform show -json`. No-op changes are left out.
fn terraform_actions(old: &[(&str, &str)], new: &[(&str, &str)]) -> BTreeMap<String, String> {
    let work = tempfile::tempdir().unwrap();
    write(work.path(), &[("other.tfstate", OTHER_STATE)]);
    write(work.path(), old);
    terraform(work.path(), &["init", "-input=false", "-no-color"]);
    terraform(work.path(), &["apply", "-input=false", "-auto-approve", "-no-color"]);
    for (name, _) in old {
        std::fs::remove_file(work.path().join(name)).unwrap();
    }
    write(work.path(), new);
    // A new module call needs `init` again (Terraform records local modules in .terraform/modules).
    terraform(work.path(), &["init", "-input=false", "-no-color"]);
    terraform(work.path(), &["plan", "-input=false", "-no-color", "-out", "p"]);
    let plan: serde_json::Value = serde_json::from_slice(&terraform(work.path(), &["show", "-json", "p"])).unwrap();
    let mut out = BTreeMap::new();
    for rc in plan["resource_changes"].as_array().into_iter().flatten() {
        let actions: Vec<&str> = rc["change"]["actions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        let moved = rc.get("previous_address").is_some_and(|p| !p.is_null());
        let action = match actions.as_slice() {
            ["no-op"] if moved => "move",
            ["no-op"] => continue,
            ["create"] => "create",
            ["update"] => "update",
            ["delete"] => "delete",
            ["read"] => "read",
            ["delete", "create"] | ["create", "delete"] => "replace",
            other => panic!("unexpected actions {other:?}"),
        };
        out.insert(rc["address"].as_str().unwrap().to_string(), action.to_string());
    }
    out
}

/// Address → action, as `infra diff OLD NEW --format json` predicts it, and the exit code.
fn infra_actions(old: &[(&str, &str)], new: &[(&str, &str)], args: &[&str]) -> (BTreeMap<String, String>, i32, String) {
    let t = tempfile::tempdir().unwrap();
    for (dir, files) in [("old", old), ("new", new)] {
        write(&t.path().join(dir), &[("other.tfstate", OTHER_STATE)]);
        write(&t.path().join(dir), files);
    }
    let out = Command::new(BIN)
        .args(["diff", "old", "new", "--format", "json"])
        .args(args)
        .current_dir(t.path())
        .output()
        .unwrap();
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let actions = json["resource_changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["address"].as_str().unwrap().to_string(),
                c["action"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let text = Command::new(BIN)
        .args(["diff", "old", "new", "--color", "never"])
        .args(args)
        .current_dir(t.path())
        .output()
        .unwrap();
    (
        actions,
        out.status.code().unwrap(),
        String::from_utf8(text.stdout).unwrap(),
    )
}

/// infra's prediction equals Terraform's plan, address for address.
fn agrees(old: &[(&str, &str)], new: &[(&str, &str)]) -> (BTreeMap<String, String>, String) {
    let expected = terraform_actions(old, new);
    let (actual, _, text) = infra_actions(old, new, &[]);
    assert_eq!(actual, expected, "infra (left) vs terraform plan (right)\n{text}");
    (actual, text)
}

const COUNTED: &str = r#"
variable "replicas" {
  type    = number
  default = 2
}

resource "terraform_data" "old" {
  count = var.replicas
  input = "replica-${count.index}"
}
"#;

#[test]
fn moved_with_instance_keys_is_a_move_not_create_and_destroy() {
    let new = r#"
variable "replicas" {
  type    = number
  default = 2
}

resource "terraform_data" "new" {
  count = var.replicas
  input = "replica-${count.index}"
}

moved {
  from = terraform_data.old[0]
  to   = terraform_data.new[0]
}

moved {
  from = terraform_data.old[1]
  to   = terraform_data.new[1]
}
"#;
    let (actions, text) = agrees(&[("main.tf", COUNTED)], &[("main.tf", new)]);
    assert_eq!(actions["terraform_data.new[0]"], "move");
    assert!(
        text.contains("# terraform_data.old[1] has moved to terraform_data.new[1]"),
        "{text}"
    );
}

#[test]
fn count_and_for_each_expand_to_instances() {
    let new = r#"
variable "replicas" {
  type    = number
  default = 3
}

locals {
  names = toset(["api", "worker"])
}

resource "terraform_data" "old" {
  count = var.replicas
  input = "replica-${count.index}"
}

resource "terraform_data" "named" {
  for_each = local.names
  input    = upper(each.key)
}
"#;
    let (actions, _) = agrees(&[("main.tf", COUNTED)], &[("main.tf", new)]);
    assert_eq!(actions["terraform_data.old[2]"], "create");
    assert_eq!(actions["terraform_data.named[\"api\"]"], "create");
}

const ZONE: &str = r#"
variable "sku" {
  default = "Premium"
}

variable "zr" {
  type    = bool
  default = true
}

resource "terraform_data" "registry" {
  input = { zone_redundancy_enabled = var.zr }
}
"#;

#[test]
fn two_expressions_with_the_same_value_are_no_change() {
    let new = ZONE.replace(
        "zone_redundancy_enabled = var.zr",
        "zone_redundancy_enabled = var.sku == \"Premium\" ? var.zr : false",
    );
    let (actions, _) = agrees(&[("main.tf", ZONE)], &[("main.tf", &new)]);
    assert!(actions.is_empty(), "{actions:?}");

    // On an azurerm registry, where zone_redundancy_enabled forces replacement: no replacement predicted, so
    // --fail-on-destroy passes (before: `# forces replacement`, exit 3, cascading to the role assignment).
    let acr = |zr: &str| {
        format!(
            "variable \"sku\" {{\n  default = \"Premium\"\n}}\n\nvariable \"zr\" {{\n  type    = bool\n  default = true\n}}\n\n\
             resource \"azurerm_container_registry\" \"main\" {{\n  name                    = \"acrexample\"\n  \
             resource_group_name     = \"rg\"\n  location                = \"westeurope\"\n  sku                     = var.sku\n  \
             zone_redundancy_enabled = {zr}\n}}\n\n\
             resource \"azurerm_role_assignment\" \"pull\" {{\n  scope                = azurerm_container_registry.main.id\n  \
             role_definition_name = \"AcrPull\"\n  principal_id         = \"00000000-0000-0000-0000-000000000000\"\n}}\n"
        )
    };
    let (actions, code, text) = infra_actions(
        &[("main.tf", &acr("var.zr"))],
        &[("main.tf", &acr("var.sku == \"Premium\" ? var.zr : false"))],
        &["--fail-on-destroy"],
    );
    assert!(actions.is_empty(), "{text}");
    assert_eq!(code, 0, "{text}");

    // A --var that changes the value is a change, and the force-new argument replaces the registry.
    let (actions, code, text) = infra_actions(
        &[("main.tf", &acr("var.zr"))],
        &[("main.tf", &acr("var.sku == \"Premium\" ? var.zr : false"))],
        &["--var", "sku=Standard", "--fail-on-destroy"],
    );
    // Both sides get the --var: Standard makes the new expression false, the old one stays true.
    assert_eq!(actions["azurerm_container_registry.main"], "replace", "{text}");
    assert_eq!(code, 3, "{text}");
}

const MODULE: &str = r#"
variable "image" {
  type = string
}

resource "terraform_data" "app" {
  input = var.image
}

resource "terraform_data" "probe" {
  input = "/health"
}

output "image" {
  value = terraform_data.app.output
}
"#;

#[test]
fn module_resources_are_diffed_under_module_addresses_and_counted() {
    let old = "resource \"terraform_data\" \"base\" {\n  input = \"x\"\n}\n";
    let new = format!("{old}\nmodule \"web\" {{\n  source = \"./modules/app\"\n  image  = \"nginx:1.27.0\"\n}}\n");
    let (actions, text) = agrees(
        &[("main.tf", old)],
        &[("main.tf", &new), ("modules/app/main.tf", MODULE)],
    );
    assert_eq!(actions["module.web.terraform_data.app"], "create");
    // The call itself is not a resource: Terraform counts the module's two resources.
    assert!(text.contains("Plan: 2 to add, 0 to change, 0 to destroy."), "{text}");
}

#[test]
fn moved_with_module_addresses_moves_every_resource_in_it() {
    let call =
        |name: &str| format!("module \"{name}\" {{\n  source = \"./modules/app\"\n  image  = \"nginx:1.27.0\"\n}}\n");
    let new = format!(
        "{}\nmoved {{\n  from = module.web\n  to   = module.frontend\n}}\n",
        call("frontend")
    );
    let (actions, _) = agrees(
        &[("main.tf", &call("web")), ("modules/app/main.tf", MODULE)],
        &[("main.tf", &new), ("modules/app/main.tf", MODULE)],
    );
    assert_eq!(actions["module.frontend.terraform_data.app"], "move");
    assert_eq!(actions["module.frontend.terraform_data.probe"], "move");
}

#[test]
fn data_sources_appear_only_when_terraform_reads_them_during_apply() {
    let old = "resource \"terraform_data\" \"app\" {\n  input = \"v1\"\n}\n";
    let data = r#"
data "terraform_remote_state" "known" {
  backend = "local"
  config = {
    path = "other.tfstate"
  }
}

data "terraform_remote_state" "after_app" {
  backend = "local"
  config = {
    path = "other.tfstate"
  }
  depends_on = [terraform_data.app]
}
"#;
    // The app does not change: both data sources are read while planning, and not shown.
    let (actions, _) = agrees(&[("main.tf", old)], &[("main.tf", &format!("{old}{data}"))]);
    assert!(actions.is_empty(), "{actions:?}");
    // The app changes: the one that depends on it is read during apply.
    let changed = old.replace("v1", "v2");
    let (actions, text) = agrees(&[("main.tf", old)], &[("main.tf", &format!("{changed}{data}"))]);
    assert_eq!(actions["data.terraform_remote_state.after_app"], "read");
    assert!(!actions.contains_key("data.terraform_remote_state.known"));
    assert!(
        text.contains("(depends on a resource or a module with changes pending)"),
        "{text}"
    );
}

#[test]
fn a_sensitive_variable_never_reaches_the_diff_even_when_evaluated() {
    let config = |secret: &str| {
        format!(
            "variable \"password\" {{\n  type      = string\n  sensitive = true\n  default   = \"{secret}\"\n}}\n\n\
             locals {{\n  conn = \"Server=db;Password=${{var.password}}\"\n}}\n\n\
             resource \"terraform_data\" \"db\" {{\n  input = local.conn\n}}\n\n\
             module \"web\" {{\n  source = \"./modules/app\"\n  image  = var.password\n}}\n"
        )
    };
    let (_, _, text) = infra_actions(
        &[("main.tf", &config("old-secret-ABC")), ("modules/app/main.tf", MODULE)],
        &[("main.tf", &config("new-secret-XYZ")), ("modules/app/main.tf", MODULE)],
        &["--var", "password=cli-secret-QRS"],
    );
    for secret in ["old-secret-ABC", "new-secret-XYZ", "cli-secret-QRS"] {
        assert!(!text.contains(secret), "{text}");
    }
}
