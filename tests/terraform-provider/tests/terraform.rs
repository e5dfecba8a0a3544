//! Real `terraform validate` / `terraform plan` against the schema-only test provider.
//! These tests fail (never skip) when terraform is not installed.

use std::path::{Path, PathBuf};

use infra_test_provider::harness::{self, Run};
use infra_test_provider::schema;

fn provider() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-azurerm"))
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

const HEADER: &str = r#"
terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "4.79.0"
    }
  }
}

provider "azurerm" {
  features {}
}

resource "azurerm_resource_group" "main" {
  name     = "rg"
  location = "westeurope"
}

resource "azurerm_user_assigned_identity" "x" {
  name                = "id"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
}
"#;

const CONTAINER_APP: &str = r#"
resource "azurerm_container_app_environment" "main" {
  name                = "cae"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
}

resource "azurerm_container_app" "web" {
  name                         = "web"
  container_app_environment_id = azurerm_container_app_environment.main.id
  resource_group_name          = azurerm_resource_group.main.name
  revision_mode                = "Single"
  %INGRESS%
  template {
    container {
      name   = "web"
      image  = "nginx:1.27"
      cpu    = 0.25
      memory = "0.5Gi"
    }
  }
}
"#;

const INGRESS: &str = r#"
  ingress {
    target_port = 8080
    traffic_weight {
      latest_revision = true
      percentage      = 100
    }
  }
"#;

/// Writes `main.tf` (the header plus `body`) into a fresh directory and runs `terraform validate` on it.
fn validate(body: &str) -> Run {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), format!("{HEADER}\n{body}")).unwrap();
    harness::validate(&provider(), dir.path())
}

#[track_caller]
fn assert_rejected(body: &str, fragments: &[&str]) {
    let run = validate(body);
    let out = run.output();
    assert!(
        !run.success,
        "terraform validate accepted a broken configuration:\n{body}\n{out}"
    );
    // Terraform wraps long lines; compare with whitespace collapsed.
    let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
    for f in fragments {
        assert!(flat.contains(f), "expected {f:?} in terraform's output:\n{out}");
    }
}

#[test]
fn the_header_alone_validates() {
    let run = validate("");
    assert!(run.success, "{}", run.output());
    assert!(run.output().contains("The configuration is valid"), "{}", run.output());
}

#[test]
fn a_valid_container_app_validates() {
    let run = validate(&CONTAINER_APP.replace("%INGRESS%", INGRESS));
    assert!(run.success, "{}", run.output());
}

#[test]
fn unknown_argument_is_rejected() {
    assert_rejected(
        r#"
resource "azurerm_log_analytics_workspace" "main" {
  name                = "log"
  location            = "westeurope"
  resource_group_name = "rg"
  retention_days      = 30
}
"#,
        &[
            "Unsupported argument",
            r#"An argument named "retention_days" is not expected here"#,
        ],
    );
}

#[test]
fn missing_required_argument_is_rejected() {
    assert_rejected(
        r#"
resource "azurerm_container_registry" "main" {
  name                = "acr"
  location            = "westeurope"
  resource_group_name = "rg"
}
"#,
        &["Missing required argument", r#"The argument "sku" is required"#],
    );
}

#[test]
fn list_for_a_string_is_rejected() {
    assert_rejected(
        r#"
resource "azurerm_container_registry" "main" {
  name                = "acr"
  location            = "westeurope"
  resource_group_name = "rg"
  sku                 = ["Basic"]
}
"#,
        &["Incorrect attribute value type", "string required"],
    );
}

#[test]
fn object_for_a_string_is_rejected() {
    assert_rejected(
        r#"
resource "azurerm_resource_group" "other" {
  name     = { value = "rg" }
  location = "westeurope"
}
"#,
        &["Incorrect attribute value type", "string required"],
    );
}

#[test]
fn string_for_a_number_is_rejected() {
    assert_rejected(
        r#"
resource "azurerm_log_analytics_workspace" "main" {
  name                = "log"
  location            = "westeurope"
  resource_group_name = "rg"
  retention_in_days   = "thirty"
}
"#,
        &["Incorrect attribute value type", "a number is required"],
    );
}

#[test]
fn reference_to_a_misspelt_attribute_is_rejected() {
    assert_rejected(
        r#"
resource "azurerm_role_assignment" "pull" {
  scope                = azurerm_resource_group.main.id
  role_definition_name = "AcrPull"
  principal_id         = azurerm_user_assigned_identity.x.principal_idd
}
"#,
        &["Unsupported attribute", r#"named "principal_idd""#],
    );
}

#[test]
fn unknown_block_is_rejected() {
    assert_rejected(
        r#"
resource "azurerm_resource_group" "other" {
  name     = "rg2"
  location = "westeurope"
  lifecycle_rules {
    keep = true
  }
}
"#,
        &[
            "Unsupported block type",
            r#"Blocks of type "lifecycle_rules" are not expected here"#,
        ],
    );
}

#[test]
fn second_ingress_block_is_rejected() {
    let body = CONTAINER_APP.replace("%INGRESS%", &format!("{INGRESS}{INGRESS}"));
    assert_rejected(
        &body,
        &[
            "Too many ingress blocks",
            r#"No more than 1 "ingress" blocks are allowed"#,
        ],
    );
}

#[test]
fn missing_required_nested_block_is_rejected() {
    assert_rejected(
        &CONTAINER_APP
            .replace("%INGRESS%", "")
            .replace("template {", "templates {"),
        &[
            "Unsupported block type",
            r#"Blocks of type "templates" are not expected here"#,
        ],
    );
    assert_rejected(
        r#"
resource "azurerm_container_app" "web" {
  name                         = "web"
  container_app_environment_id = "x"
  resource_group_name          = "rg"
  revision_mode                = "Single"
}
"#,
        &[
            "Insufficient template blocks",
            r#"At least 1 "template" blocks are required"#,
        ],
    );
}

#[test]
fn provider_without_features_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        HEADER.replace(
            "provider \"azurerm\" {\n  features {}\n}",
            "provider \"azurerm\" {\n  use_cli = true\n}",
        ),
    )
    .unwrap();
    let run = harness::validate(&provider(), dir.path());
    assert!(!run.success, "{}", run.output());
    assert!(
        run.output().contains("Insufficient features blocks"),
        "{}",
        run.output()
    );
}

/// The provider block's `features { storage { data_plane_available } }` (what infra renders, issue 22) is served
/// as azurerm v4.79.0 declares it (`internal/provider/features.go`: an optional block of at most one, a bool):
/// the rendered block validates, a misspelt argument, a second block or a string value does not.
#[test]
fn storage_data_plane_feature_is_served_as_the_provider_declares_it() {
    let features = |block: &str| HEADER.replace("provider \"azurerm\" {\n  features {}\n}", block);
    let dir = tempfile::tempdir().unwrap();
    let good = "provider \"azurerm\" {\n  features {\n    storage {\n      data_plane_available = false\n    }\n  }\n}";
    std::fs::write(dir.path().join("main.tf"), features(good)).unwrap();
    let run = harness::validate(&provider(), dir.path());
    assert!(run.success, "{}", run.output());
    for (bad, says) in [
        (
            "storage {\n      data_plane_availabl = false\n    }",
            "Unsupported argument",
        ),
        ("storage {}\n    storage {}", "Too many storage blocks"),
        (
            "storage {\n      data_plane_available = \"no\"\n    }",
            "Incorrect attribute value type",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let block = format!("provider \"azurerm\" {{\n  features {{\n    {bad}\n  }}\n}}");
        std::fs::write(dir.path().join("main.tf"), features(&block)).unwrap();
        let run = harness::validate(&provider(), dir.path());
        assert!(!run.success, "{bad}: {}", run.output());
        assert!(run.output().contains(says), "{bad}: {}", run.output());
    }
}

#[test]
fn unknown_resource_type_is_rejected() {
    assert_rejected(
        r#"
resource "azurerm_container_apps" "web" {
  name = "web"
}
"#,
        &[
            "Invalid resource type",
            r#"does not support resource type "azurerm_container_apps""#,
        ],
    );
}

#[test]
fn every_type_validates_and_plans_with_unknown_ids() {
    let checked = harness::check_dir(&provider(), &fixture("all-types"));
    checked.assert_ok();
    let plan = checked.plan_json.as_ref().unwrap();
    let changes = plan["resource_changes"].as_array().expect("resource_changes");
    let mut types: Vec<&str> = changes.iter().map(|c| c["type"].as_str().unwrap()).collect();
    types.sort();
    types.dedup();
    assert_eq!(types.len(), schema::RESOURCE_SCHEMAS.len(), "{types:?}");
    for c in changes {
        let addr = c["address"].as_str().unwrap();
        assert_eq!(c["change"]["actions"], serde_json::json!(["create"]), "{addr}");
        assert_eq!(
            c["change"]["after_unknown"]["id"], true,
            "{addr}: id must be known after apply"
        );
    }
    let app = changes
        .iter()
        .find(|c| c["address"] == "azurerm_container_app.web")
        .unwrap();
    // Values keep their types: cpu stays 0.25, nested computed attributes are unknown.
    let container = &app["change"]["after"]["template"][0]["container"][0];
    assert_eq!(container["cpu"], 0.25);
    assert_eq!(container["memory"], "0.5Gi");
    assert_eq!(app["change"]["after_unknown"]["latest_revision_fqdn"], true);
    assert_eq!(
        app["change"]["after_unknown"]["template"][0]["container"][0]["ephemeral_storage"],
        true
    );
    // Config values referencing other resources' computed attributes are unknown too.
    let ra = changes
        .iter()
        .find(|c| c["address"] == "azurerm_role_assignment.pull")
        .unwrap();
    assert_eq!(ra["change"]["after_unknown"]["principal_id"], true);
    // The human-readable plan says so.
    assert!(checked.plan.as_ref().unwrap().stdout.contains("(known after apply)"));
    assert!(checked
        .plan
        .as_ref()
        .unwrap()
        .stdout
        .contains("Plan: 29 to add, 0 to change, 0 to destroy."));
}

#[test]
fn the_fixture_directory_itself_is_not_written_to() {
    let before: Vec<_> = std::fs::read_dir(fixture("all-types"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    harness::check_dir(&provider(), &fixture("all-types")).assert_ok();
    let after: Vec<_> = std::fs::read_dir(fixture("all-types"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(before, after);
}

#[test]
fn apply_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), HEADER).unwrap();
    let mut cmd = harness::terraform_command(&provider(), dir.path());
    cmd.args(["apply", "-auto-approve", "-no-color", "-input=false"]);
    let run = harness::run(cmd);
    assert!(!run.success, "{}", run.output());
    assert!(
        run.output()
            .contains("this is infra's schema-only test provider; it cannot apply"),
        "{}",
        run.output()
    );
}

#[test]
fn the_binary_refuses_to_run_outside_terraform() {
    let out = std::process::Command::new(provider())
        .env_remove("TF_PLUGIN_MAGIC_COOKIE")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("This binary is a plugin"));
}

#[test]
#[cfg(feature = "mtls")]
fn mutual_tls_and_plain_grpc_both_work() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), HEADER).unwrap();
    // Terraform's default: automatic mutual TLS (its client certificate is ECDSA P-521).
    let mut cmd = harness::terraform_command(&provider(), dir.path());
    cmd.env_remove("TF_DISABLE_PLUGIN_TLS").args(["validate", "-no-color"]);
    let run = harness::run(cmd);
    assert!(run.success, "with mTLS: {}", run.output());
    let mut cmd = harness::terraform_command(&provider(), dir.path());
    cmd.env("TF_DISABLE_PLUGIN_TLS", "1").args(["validate", "-no-color"]);
    let run = harness::run(cmd);
    assert!(run.success, "with TF_DISABLE_PLUGIN_TLS=1: {}", run.output());
}

/// A state file with the header's resource group in it, as terraform 1.11 writes one.
fn state_with_resource_group(location: &str) -> String {
    serde_json::json!({
        "version": 4,
        "terraform_version": "1.11.4",
        "serial": 1,
        "lineage": "5d4a4c3e-0000-4000-8000-000000000001",
        "outputs": {},
        "resources": [{
            "mode": "managed",
            "type": "azurerm_resource_group",
            "name": "main",
            "provider": "provider[\"registry.terraform.io/hashicorp/azurerm\"]",
            "instances": [{
                "schema_version": 0,
                "attributes": {
                    "id": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg",
                    "location": location,
                    "managed_by": null,
                    "name": "rg",
                    "tags": null,
                    "timeouts": null
                },
                "sensitive_attributes": []
            }]
        }],
        "check_results": null
    })
    .to_string()
}

/// Plans against existing state: exercises UpgradeResourceState (JSON state → msgpack), ReadResource and
/// PlanResourceChange with a prior state.
fn plan_with_state(location: &str) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), HEADER).unwrap();
    std::fs::write(
        dir.path().join("terraform.tfstate"),
        state_with_resource_group(location),
    )
    .unwrap();
    let mut cmd = harness::terraform_command(&provider(), dir.path());
    cmd.args(["plan", "-no-color", "-input=false", "-lock=false", "-out=p.tfplan"]);
    let run = harness::run(cmd);
    assert!(run.success, "{}", run.output());
    let mut cmd = harness::terraform_command(&provider(), dir.path());
    cmd.args(["show", "-json", "p.tfplan"]);
    let show = harness::run(cmd);
    assert!(show.success, "{}", show.output());
    serde_json::from_str(&show.stdout).unwrap()
}

fn action(plan: &serde_json::Value, address: &str) -> serde_json::Value {
    let changes = plan["resource_changes"].as_array().unwrap();
    changes
        .iter()
        .find(|c| c["address"] == address)
        .unwrap_or_else(|| panic!("{address} not in plan"))["change"]["actions"]
        .clone()
}

#[test]
fn existing_state_is_upgraded_read_and_kept() {
    let plan = plan_with_state("westeurope");
    assert_eq!(
        action(&plan, "azurerm_resource_group.main"),
        serde_json::json!(["no-op"])
    );
    assert_eq!(
        action(&plan, "azurerm_user_assigned_identity.x"),
        serde_json::json!(["create"])
    );
    // The computed id keeps its prior value.
    let rg = plan["resource_changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["address"] == "azurerm_resource_group.main");
    assert_eq!(
        rg.unwrap()["change"]["after"]["id"],
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
    );
}

#[test]
fn a_changed_force_new_argument_plans_a_replacement() {
    let plan = plan_with_state("northeurope");
    // `location` is ForceNew for a resource group (the vendored provider notes say so): the provider answers
    // with `requires_replace`, and terraform plans delete-then-create, as with the real provider.
    assert_eq!(
        action(&plan, "azurerm_resource_group.main"),
        serde_json::json!(["delete", "create"])
    );
    let rg = plan["resource_changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["address"] == "azurerm_resource_group.main")
        .unwrap();
    assert_eq!(rg["action_reason"], "replace_because_cannot_update");
    assert_eq!(rg["change"]["replace_paths"], serde_json::json!([["location"]]));
    // The replacement is planned as a create: its id is known only after apply.
    assert_eq!(rg["change"]["after_unknown"]["id"], true);
}

#[test]
#[cfg(not(feature = "mtls"))]
fn without_mtls_terraform_needs_tls_disabled() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), HEADER).unwrap();
    let mut cmd = harness::terraform_command(&provider(), dir.path());
    cmd.env_remove("TF_DISABLE_PLUGIN_TLS").args(["validate", "-no-color"]);
    let run = harness::run(cmd);
    assert!(!run.success, "{}", run.output());
    let mut cmd = harness::terraform_command(&provider(), dir.path());
    cmd.env("TF_DISABLE_PLUGIN_TLS", "1").args(["validate", "-no-color"]);
    let run = harness::run(cmd);
    assert!(run.success, "{}", run.output());
}

#[test]
fn json_configuration_with_a_backend_validates_and_plans() {
    let dir = tempfile::tempdir().unwrap();
    let config = serde_json::json!({
        "terraform": {
            "required_providers": {"azurerm": {"source": "hashicorp/azurerm", "version": "4.79.0"}},
            "backend": {"azurerm": {"resource_group_name": "rg-tfstate", "storage_account_name": "sttfstate",
                                    "container_name": "tfstate", "key": "json.tfstate"}}
        },
        "provider": {"azurerm": {"features": {}}},
        "resource": {
            "azurerm_resource_group": {"main": {"name": "rg", "location": "westeurope"}},
            "azurerm_container_app_environment": {"main": {
                "name": "cae",
                "location": "${azurerm_resource_group.main.location}",
                "resource_group_name": "${azurerm_resource_group.main.name}",
                "workload_profile": [{"name": "Consumption", "workload_profile_type": "Consumption"}]
            }}
        }
    });
    std::fs::write(
        dir.path().join("main.tf.json"),
        serde_json::to_string_pretty(&config).unwrap(),
    )
    .unwrap();
    let checked = harness::check_dir(&provider(), dir.path());
    checked.assert_ok();
    let changes = checked.plan_json.as_ref().unwrap()["resource_changes"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(changes, 2);
    // The staged copy lost its backend; the original did not.
    assert!(std::fs::read_to_string(dir.path().join("main.tf.json"))
        .unwrap()
        .contains("backend"));
}

#[test]
fn json_configuration_type_errors_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let config = serde_json::json!({
        "terraform": {"required_providers": {"azurerm": {"source": "hashicorp/azurerm"}}},
        "provider": {"azurerm": {"features": {}}},
        "resource": {"azurerm_container_registry": {"main": {
            "name": "acr", "location": "westeurope", "resource_group_name": "rg", "sku": ["Basic"]
        }}}
    });
    std::fs::write(dir.path().join("main.tf.json"), config.to_string()).unwrap();
    let run = harness::validate(&provider(), dir.path());
    assert!(!run.success, "{}", run.output());
    assert!(
        run.output().contains("Incorrect attribute value type"),
        "{}",
        run.output()
    );
}
