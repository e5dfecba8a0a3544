//! `infra check DIR` reads `azapi_resource`s of the types its rules know as the azurerm resources they create
//! (issue 12, item 4): the same rules, the azapi address, locations in the azapi block.

use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_infra");

const COMMON: &str = r#"
resource "azurerm_resource_group" "main" {
  name     = "rg-app"
  location = "westeurope"
}

resource "azurerm_user_assigned_identity" "app" {
  name                = "id-app"
  resource_group_name = azurerm_resource_group.main.name
  location            = "westeurope"
}
"#;

fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("infra.toml"), "").unwrap();
    std::fs::write(dir.path().join("common.tf"), COMMON).unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

/// `infra check . --format json` in `dir`: (exit code, JSON, stderr).
fn check(dir: &Path) -> (i32, serde_json::Value, String) {
    let out = Command::new(BIN)
        .args(["check", ".", "--format", "json"])
        .current_dir(dir)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (out.status.code().unwrap(), json, String::from_utf8(out.stderr).unwrap())
}

/// (rule, address) of every finding, sorted.
fn findings(json: &serde_json::Value) -> Vec<(String, String)> {
    let mut r: Vec<(String, String)> = json["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no findings list in {json}"))
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["address"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    r.sort();
    r
}

fn rules_of(json: &serde_json::Value, address: &str) -> Vec<String> {
    findings(json)
        .into_iter()
        .filter(|(_, a)| a == address)
        .map(|(r, _)| r)
        .collect()
}

fn finding<'a>(json: &'a serde_json::Value, rule: &str, address: &str) -> &'a serde_json::Value {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule && f["address"] == address)
        .unwrap_or_else(|| panic!("no {rule} on {address} in {json}"))
}

const AZAPI_APP: &str = r#"
resource "azapi_resource" "app" {
  type      = "Microsoft.App/containerApps@2024-03-01"
  name      = "ca-app"
  parent_id = azurerm_resource_group.main.id
  location  = "westeurope"
  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.app.id]
  }
  body = {
    properties = {
      managedEnvironmentId = "/subscriptions/s/resourceGroups/rg-app/providers/Microsoft.App/managedEnvironments/cae"
      configuration = {
        activeRevisionsMode = "Single"
        ingress = {
          external      = true
          targetPort    = 80
          allowInsecure = true
        }
      }
      template = {
        containers = [{
          name      = "web"
          image     = "nginx:latest"
          resources = { cpu = 0.5, memory = "1Gi" }
        }]
        scale = { minReplicas = 0, maxReplicas = 3 }
      }
    }
  }
}
"#;

const AZURERM_APP: &str = r#"
resource "azurerm_container_app" "app" {
  name                         = "ca-app"
  resource_group_name          = azurerm_resource_group.main.name
  container_app_environment_id = "/subscriptions/s/resourceGroups/rg-app/providers/Microsoft.App/managedEnvironments/cae"
  revision_mode                = "Single"

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.app.id]
  }

  ingress {
    external_enabled           = true
    target_port                = 80
    allow_insecure_connections = true
  }

  template {
    min_replicas = 0
    max_replicas = 3

    container {
      name   = "web"
      image  = "nginx:latest"
      cpu    = 0.5
      memory = "1Gi"
    }
  }
}
"#;

#[test]
fn a_container_app_via_azapi_gets_the_findings_of_its_azurerm_twin() {
    let azapi = dir_with(&[("main.tf", AZAPI_APP)]);
    let twin = dir_with(&[("main.tf", AZURERM_APP)]);
    let (code, azapi_json, err) = check(azapi.path());
    assert_eq!(code, 1, "{err}");
    let (_, twin_json, err) = check(twin.path());
    let twin_rules = rules_of(&twin_json, "azurerm_container_app.app");
    // The twin's findings that this test is about.
    for rule in ["APP003", "APP006", "APP007"] {
        assert!(
            twin_rules.contains(&rule.to_string()),
            "{rule} not in {twin_rules:?} {err}"
        );
    }
    assert_eq!(rules_of(&azapi_json, "azapi_resource.app"), twin_rules);
    // Nothing is reported under the azurerm type the azapi resource is read as.
    assert!(rules_of(&azapi_json, "azurerm_container_app.app").is_empty());
    // Located in the azapi block's body.
    let f = finding(&azapi_json, "APP007", "azapi_resource.app");
    assert_eq!(f["file"], "main.tf", "{f}");
    assert_eq!(f["line"], 11, "{f}");
}

#[test]
fn probes_in_the_body_are_read() {
    let with_probes = AZAPI_APP.replace(
        r#"resources = { cpu = 0.5, memory = "1Gi" }"#,
        r#"resources = { cpu = 0.5, memory = "1Gi" }
          probes = [
            { type = "Liveness", httpGet = { path = "/healthz", port = 80 } },
            { type = "Readiness", tcpSocket = { port = 80 } },
          ]"#,
    );
    let dir = dir_with(&[("main.tf", &with_probes)]);
    let (_, json, err) = check(dir.path());
    let rules = rules_of(&json, "azapi_resource.app");
    assert!(rules.contains(&"APP007".to_string()), "{rules:?} {err}");
    assert!(!rules.contains(&"APP006".to_string()), "{rules:?}");
}

const AZAPI_REGISTRY: &str = r#"
resource "azapi_resource" "acr" {
  type      = "Microsoft.ContainerRegistry/registries@API"
  name      = "acrapp"
  parent_id = azurerm_resource_group.main.id
  location  = "westeurope"
  body = {
    sku = { name = "Premium" }
    properties = {
      adminUserEnabled    = ADMIN
      publicNetworkAccess = "Disabled"
    }
  }
}
"#;

#[test]
fn a_registry_via_azapi_with_the_admin_user_gets_acr001_whatever_the_api_version() {
    for api in ["2023-07-01", "2019-05-01", "2025-04-01-preview"] {
        let text = AZAPI_REGISTRY.replace("API", api).replace("ADMIN", "true");
        let dir = dir_with(&[("main.tf", &text)]);
        let (code, json, err) = check(dir.path());
        assert_eq!(code, 1, "{api}: {err}");
        let rules = rules_of(&json, "azapi_resource.acr");
        assert!(rules.contains(&"ACR001".to_string()), "{api}: {rules:?}");
        // publicNetworkAccess = "Disabled": the firewall rule is satisfied.
        assert!(!rules.contains(&"ACR004".to_string()), "{api}: {rules:?}");
        assert_eq!(finding(&json, "ACR001", "azapi_resource.acr")["line"], 7);
    }
    let text = AZAPI_REGISTRY.replace("API", "2023-07-01").replace("ADMIN", "false");
    let dir = dir_with(&[("main.tf", &text)]);
    let (_, json, _) = check(dir.path());
    assert!(!rules_of(&json, "azapi_resource.acr").contains(&"ACR001".to_string()));
}

#[test]
fn an_unknown_body_value_is_not_a_violation() {
    let text = AZAPI_REGISTRY
        .replace("API", "2023-07-01")
        .replace("ADMIN", "var.admin")
        + "variable \"admin\" {\n  type = bool\n}\n";
    let dir = dir_with(&[("main.tf", &text)]);
    let (_, json, err) = check(dir.path());
    let rules = rules_of(&json, "azapi_resource.acr");
    assert!(!rules.contains(&"ACR001".to_string()), "{rules:?} {err}");
    // Still a registry the other rules judge.
    assert!(rules.contains(&"ACR006".to_string()), "{rules:?}");
}

#[test]
fn replications_are_georeplications_of_their_registry() {
    let registry = AZAPI_REGISTRY.replace("API", "2023-07-01").replace("ADMIN", "false");
    let dir = dir_with(&[("main.tf", &registry)]);
    let (_, json, _) = check(dir.path());
    assert!(rules_of(&json, "azapi_resource.acr").contains(&"ACR005".to_string()));
    let replication = r#"
resource "azapi_resource" "replica" {
  type      = "Microsoft.ContainerRegistry/registries/replications@2023-07-01"
  name      = "northeurope"
  parent_id = azapi_resource.acr.id
  location  = "northeurope"
  body = {
    properties = { zoneRedundancy = "Enabled" }
  }
}
"#;
    let dir = dir_with(&[("main.tf", &registry), ("replica.tf", replication)]);
    let (_, json, err) = check(dir.path());
    assert!(
        !rules_of(&json, "azapi_resource.acr").contains(&"ACR005".to_string()),
        "{err}"
    );

    // A replication of an azurerm registry is one of its georeplications too.
    let azurerm = r#"
resource "azurerm_container_registry" "acr" {
  name                = "acrapp"
  resource_group_name = azurerm_resource_group.main.name
  location            = "westeurope"
  sku                 = "Premium"
}
"#;
    let dir = dir_with(&[("main.tf", azurerm)]);
    let (_, json, _) = check(dir.path());
    assert!(rules_of(&json, "azurerm_container_registry.acr").contains(&"ACR005".to_string()));
    let replication = replication.replace("azapi_resource.acr.id", "azurerm_container_registry.acr.id");
    let dir = dir_with(&[("main.tf", azurerm), ("replica.tf", &replication)]);
    let (_, json, err) = check(dir.path());
    assert!(
        !rules_of(&json, "azurerm_container_registry.acr").contains(&"ACR005".to_string()),
        "{err}"
    );
}

#[test]
fn an_inline_suppression_on_the_azapi_block_applies() {
    let registry = AZAPI_REGISTRY
        .replace("API", "2023-07-01")
        .replace("ADMIN", "true")
        .replace(
            "resource \"azapi_resource\" \"acr\" {",
            "# infra:ignore[ACR001] break-glass access, tracked in OPS-1\nresource \"azapi_resource\" \"acr\" {",
        );
    let dir = dir_with(&[("main.tf", &registry)]);
    let (_, json, err) = check(dir.path());
    let f = finding(&json, "ACR001", "azapi_resource.acr");
    assert_eq!(f["suppressed"], true, "{f} {err}");
}

#[test]
fn a_webhook_via_azapi_calling_http_gets_acr012() {
    let text = r#"
resource "azurerm_container_registry" "acr" {
  name                = "acrapp"
  resource_group_name = azurerm_resource_group.main.name
  location            = "westeurope"
  sku                 = "Premium"
}

resource "azapi_resource" "hook" {
  type      = "Microsoft.ContainerRegistry/registries/webhooks@2023-07-01"
  name      = "hook"
  parent_id = azurerm_container_registry.acr.id
  location  = "westeurope"
  body = {
    properties = {
      serviceUri = "http://hooks.example.com/acr"
      actions    = ["push"]
    }
  }
}
"#;
    let dir = dir_with(&[("main.tf", text)]);
    let (code, json, err) = check(dir.path());
    assert_eq!(code, 1, "{err}");
    assert_eq!(rules_of(&json, "azapi_resource.hook"), ["ACR012"]);
    let https = text.replace("http://", "https://");
    let dir = dir_with(&[("main.tf", &https)]);
    let (_, json, _) = check(dir.path());
    assert!(rules_of(&json, "azapi_resource.hook").is_empty());
}

const ROLE: &str = r#"
data "azurerm_client_config" "current" {}

resource "azapi_resource" "grant" {
  type      = "Microsoft.Authorization/roleAssignments@2022-04-01"
  name      = "6f1c8c2a-0000-4000-8000-000000000001"
  parent_id = azurerm_resource_group.main.id
  body = {
    properties = {
      roleDefinitionId = "/subscriptions/${data.azurerm_client_config.current.subscription_id}/providers/Microsoft.Authorization/roleDefinitions/ROLE"
      principalId      = azurerm_user_assigned_identity.app.principal_id
      principalType    = "ServicePrincipal"
    }
  }
}
"#;

/// Owner and Reader (built-in role IDs, learn.microsoft.com/azure/role-based-access-control/built-in-roles).
const OWNER: &str = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
const READER: &str = "acdd72a7-3385-48ef-bd42-f606fba81ae7";

#[test]
fn owner_for_a_user_assigned_identity_via_azapi_gets_iam005() {
    let dir = dir_with(&[("main.tf", &ROLE.replace("ROLE", OWNER))]);
    let (code, json, err) = check(dir.path());
    assert_eq!(code, 1, "{err}");
    assert!(
        rules_of(&json, "azapi_resource.grant").contains(&"IAM005".to_string()),
        "{json}"
    );
    let f = finding(&json, "IAM005", "azapi_resource.grant");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("azurerm_user_assigned_identity.app"),
        "{f}"
    );
    let dir = dir_with(&[("main.tf", &ROLE.replace("ROLE", READER))]);
    let (_, json, _) = check(dir.path());
    assert!(!rules_of(&json, "azapi_resource.grant").contains(&"IAM005".to_string()));
}

#[test]
fn an_unknown_azapi_type_is_ignored() {
    let text = r#"
resource "azapi_resource" "storage" {
  type      = "Microsoft.Storage/storageAccounts@2023-01-01"
  name      = "stapp"
  parent_id = azurerm_resource_group.main.id
  location  = "westeurope"
  body = {
    properties = { allowBlobPublicAccess = true }
  }
}

resource "azapi_resource" "opaque" {
  type      = "Microsoft.App/containerApps@2024-03-01"
  name      = "ca"
  parent_id = azurerm_resource_group.main.id
  body      = var.body
}

resource "azapi_resource" "no_type" {
  name      = "x"
  parent_id = azurerm_resource_group.main.id
}

variable "body" {}
"#;
    let registry = AZAPI_REGISTRY.replace("API", "2023-07-01").replace("ADMIN", "true");
    let dir = dir_with(&[("main.tf", text), ("registry.tf", &registry)]);
    let (code, json, err) = check(dir.path());
    assert_eq!(code, 1, "{err}");
    assert!(!err.contains("panicked"), "{err}");
    // The mapped resource next to them is still judged.
    assert!(
        rules_of(&json, "azapi_resource.acr").contains(&"ACR001".to_string()),
        "{json}"
    );
    for address in [
        "azapi_resource.storage",
        "azapi_resource.opaque",
        "azapi_resource.no_type",
    ] {
        assert!(rules_of(&json, address).is_empty(), "{address}: {json}");
    }
}

#[test]
fn azapi_1x_jsonencoded_bodies_are_read() {
    let text = r#"
resource "azapi_resource" "acr" {
  type      = "Microsoft.ContainerRegistry/registries@2023-07-01"
  name      = "acrapp"
  parent_id = azurerm_resource_group.main.id
  location  = "westeurope"
  body = jsonencode({
    sku        = { name = "Standard" }
    properties = { adminUserEnabled = true }
  })
}
"#;
    let dir = dir_with(&[("main.tf", text)]);
    let (_, json, err) = check(dir.path());
    assert!(
        rules_of(&json, "azapi_resource.acr").contains(&"ACR001".to_string()),
        "{err} {json}"
    );
}

#[test]
fn an_azapi_resource_in_a_plan_is_checked_too() {
    let plan = serde_json::json!({
        "format_version": "1.2",
        "terraform_version": "1.11.0",
        "planned_values": { "root_module": { "resources": [{
            "address": "azapi_resource.acr",
            "mode": "managed",
            "type": "azapi_resource",
            "name": "acr",
            "provider_name": "registry.terraform.io/azure/azapi",
            "schema_version": 2,
            "values": {
                "type": "Microsoft.ContainerRegistry/registries@2023-07-01",
                "name": "acrapp",
                "location": "westeurope",
                "parent_id": "/subscriptions/s/resourceGroups/rg-app",
                "body": { "sku": { "name": "Premium" }, "properties": { "adminUserEnabled": true } },
                "identity": [],
                "tags": null
            },
            "sensitive_values": {}
        }]}},
        "resource_changes": [{
            "address": "azapi_resource.acr",
            "mode": "managed",
            "type": "azapi_resource",
            "name": "acr",
            "provider_name": "registry.terraform.io/azure/azapi",
            "change": {
                "actions": ["create"],
                "before": null,
                "after": {},
                "after_unknown": { "id": true, "output": true },
                "before_sensitive": false,
                "after_sensitive": {}
            }
        }]
    });
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("infra.toml"), "").unwrap();
    std::fs::write(
        dir.path().join("plan.json"),
        serde_json::to_string_pretty(&plan).unwrap(),
    )
    .unwrap();
    let out = Command::new(BIN)
        .args(["check", "--plan", "plan.json", "--format", "json"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        rules_of(&json, "azapi_resource.acr").contains(&"ACR001".to_string()),
        "{json}"
    );
}

#[test]
fn a_property_left_out_of_the_body_is_an_argument_left_out() {
    let text = ROLE
        .replace("ROLE", READER)
        .replace("      principalType    = \"ServicePrincipal\"\n", "");
    assert!(!text.contains("principalType"));
    let dir = dir_with(&[("main.tf", &text)]);
    let (_, json, err) = check(dir.path());
    let f = finding(&json, "IAM003", "azapi_resource.grant");
    let message = f["message"].as_str().unwrap();
    assert!(!message.contains("\"\""), "{message} {err}");
}

#[test]
fn an_environment_via_azapi_without_logs_gets_env001_like_its_twin() {
    let text = r#"
resource "azapi_resource" "env" {
  type      = "Microsoft.App/managedEnvironments@2024-03-01"
  name      = "cae"
  parent_id = azurerm_resource_group.main.id
  location  = "westeurope"
  body = {
    properties = {}
  }
}

resource "azapi_resource" "logged" {
  type      = "Microsoft.App/managedEnvironments@2024-03-01"
  name      = "cae-logged"
  parent_id = azurerm_resource_group.main.id
  location  = "westeurope"
  body = {
    properties = {
      appLogsConfiguration = {
        destination = "log-analytics"
        logAnalyticsConfiguration = {
          customerId = azurerm_log_analytics_workspace.main.workspace_id
          sharedKey  = azurerm_log_analytics_workspace.main.primary_shared_key
        }
      }
    }
  }
}

resource "azurerm_container_app_environment" "twin" {
  name                = "cae-twin"
  resource_group_name = azurerm_resource_group.main.name
  location            = "westeurope"
}
"#;
    let dir = dir_with(&[("main.tf", text)]);
    let (_, json, err) = check(dir.path());
    assert_eq!(
        rules_of(&json, "azapi_resource.env"),
        rules_of(&json, "azurerm_container_app_environment.twin"),
        "{err}"
    );
    assert!(rules_of(&json, "azapi_resource.env").contains(&"ENV001".to_string()));
    assert!(!rules_of(&json, "azapi_resource.logged").contains(&"ENV001".to_string()));
}
