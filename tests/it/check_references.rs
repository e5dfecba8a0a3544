//! Issue 21 items 4–6: cross-resource rules follow references to resource *instances* (`x[0]`, `count.index`,
//! `each.key`, module outputs), configuration written for azurerm 3.x is read with the 3.x names or not judged,
//! init containers and allow lists that admit everyone are judged, messages never print an expression as a value,
//! and directories whose resources have no instances are checked. Each reproduction has a correct twin that
//! stays quiet.

use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_infra");

/// `infra check . --format json` over `files` written into a fresh directory (with an empty infra.toml):
/// (exit code, the JSON report).
fn check(files: &[(&str, &str)]) -> (i32, serde_json::Value) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("infra.toml"), "").unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    run(dir.path())
}

fn run(dir: &Path) -> (i32, serde_json::Value) {
    let out = Command::new(BIN)
        .args(["check", ".", "--format", "json"])
        .current_dir(dir)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("no JSON; stderr: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap(), json)
}

/// (rule, address, message) of every finding.
fn findings(json: &serde_json::Value) -> Vec<(String, String, String)> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            (s("rule"), s("address"), s("message"))
        })
        .collect()
}

fn has(json: &serde_json::Value, rule: &str, address: &str) -> bool {
    findings(json).iter().any(|(r, a, _)| r == rule && a == address)
}

fn notices(json: &serde_json::Value) -> Vec<String> {
    json["notices"]
        .as_array()
        .map(|n| n.iter().map(|n| n["message"].as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

const SHARE: &str = r#"
resource "azurerm_storage_account" "sa" {
  count                    = 2
  name                     = "stfiles0${count.index}"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_container_app_environment_storage" "files" {
  name                         = "files"
  container_app_environment_id = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.App/managedEnvironments/env"
  account_name                 = azurerm_storage_account.sa[0].name
  share_name                   = "share"
  access_key                   = azurerm_storage_account.sa[0].primary_access_key
  access_mode                  = "ReadOnly"
}
"#;

#[test]
fn a_share_mounted_through_an_instance_reference_needs_its_key() {
    let (_, json) = check(&[("main.tf", SHARE)]);
    // The mounted instance keeps shared keys on rightly; the other instance is not mounted.
    assert!(!has(&json, "STG004", "azurerm_storage_account.sa[0]"), "{json:#}");
    assert!(has(&json, "STG004", "azurerm_storage_account.sa[1]"), "{json:#}");
    // Turning keys off on the mounted instance is the finding, naming the mount.
    let off = SHARE.replace(
        "  account_replication_type = \"LRS\"\n}",
        "  account_replication_type = \"LRS\"\n  shared_access_key_enabled = false\n}",
    );
    let (_, json) = check(&[("main.tf", &off)]);
    let f = findings(&json);
    assert!(
        f.iter().any(|(r, a, m)| r == "STG004"
            && a == "azurerm_storage_account.sa[0]"
            && m.contains("azurerm_container_app_environment_storage.files mounts")),
        "{f:?}"
    );
    assert!(!has(&json, "STG004", "azurerm_storage_account.sa[1]"), "{f:?}");
}

#[test]
fn count_index_and_module_outputs_name_instances() {
    // Each mount refers to its own account through count.index: every account is mounted.
    let by_index = SHARE
        .replace(
            "resource \"azurerm_container_app_environment_storage\" \"files\" {",
            "resource \"azurerm_container_app_environment_storage\" \"files\" {\n  count = 2",
        )
        .replace("sa[0]", "sa[count.index]");
    let (_, json) = check(&[("main.tf", &by_index)]);
    assert!(!findings(&json).iter().any(|(r, _, _)| r == "STG004"), "{json:#}");
    // The account in a module, its key reaching the mount through the module's output.
    let module = r#"
module "storage" {
  source = "./modules/storage"
}

resource "azurerm_container_app_environment_storage" "files" {
  name                         = "files"
  container_app_environment_id = "/x"
  account_name                 = module.storage.name
  share_name                   = "share"
  access_key                   = module.storage.key
  access_mode                  = "ReadOnly"
}
"#;
    let account = r#"
resource "azurerm_storage_account" "sa" {
  name                     = "stfiles01"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}
"#;
    let outputs = "output \"name\" {\n  value = azurerm_storage_account.sa.name\n}\n\
                   output \"key\" {\n  value = azurerm_storage_account.sa.primary_access_key\n}\n";
    let files = [
        ("main.tf", module),
        ("modules/storage/main.tf", account),
        ("modules/storage/outputs.tf", outputs),
    ];
    let (_, json) = check(&files);
    assert!(
        !has(&json, "STG004", "module.storage.azurerm_storage_account.sa"),
        "{json:#}"
    );
    // Twin: the module's account that nothing mounts.
    let unmounted = [
        ("main.tf", "module \"storage\" {\n  source = \"./modules/storage\"\n}\n"),
        ("modules/storage/main.tf", account),
        ("modules/storage/outputs.tf", outputs),
    ];
    let (_, json) = check(&unmounted);
    assert!(
        has(&json, "STG004", "module.storage.azurerm_storage_account.sa"),
        "{json:#}"
    );
}

const REGISTRY_3X: &str = r#"
terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = ">= 3.50, < 4.0"
    }
  }
}

resource "azurerm_container_registry" "r" {
  name                          = "acrexample01"
  resource_group_name           = "rg"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = false
  retention_policy {
    days    = 7
    enabled = true
  }
  trust_policy {
    enabled = true
  }
}
"#;

#[test]
fn configuration_for_azurerm_3_is_read_with_the_3_names() {
    let (_, json) = check(&[("main.tf", REGISTRY_3X)]);
    // retention_policy { days = 7, enabled = true } is retention_policy_in_days = 7; trust_policy is content trust.
    assert!(!has(&json, "ACR007", "azurerm_container_registry.r"), "{json:#}");
    assert!(has(&json, "ACR008", "azurerm_container_registry.r"), "{json:#}");
    // The same from the lock file, without a constraint.
    let unpinned = REGISTRY_3X.replace(">= 3.50, < 4.0", ">= 3.50");
    let lock = "provider \"registry.terraform.io/hashicorp/azurerm\" {\n  version     = \"3.117.0\"\n  constraints = \">= 3.50\"\n}\n";
    let (_, json) = check(&[("main.tf", &unpinned), (".terraform.lock.hcl", lock)]);
    assert!(!has(&json, "ACR007", "azurerm_container_registry.r"), "{json:#}");
    assert!(has(&json, "ACR008", "azurerm_container_registry.r"), "{json:#}");
    // Retention switched off in 3.x is no retention.
    let off = REGISTRY_3X.replace(
        "    days    = 7\n    enabled = true",
        "    days    = 7\n    enabled = false",
    );
    let (_, json) = check(&[("main.tf", &off)]);
    assert!(has(&json, "ACR007", "azurerm_container_registry.r"), "{json:#}");
    // Correct twin: the 4.x names, quiet on both.
    let v4 = REGISTRY_3X
        .replace(">= 3.50, < 4.0", "~> 4.0")
        .replace(
            "  retention_policy {\n    days    = 7\n    enabled = true\n  }\n",
            "  retention_policy_in_days = 7\n",
        )
        .replace("  trust_policy {\n    enabled = true\n  }\n", "");
    let (_, json) = check(&[("main.tf", &v4)]);
    assert!(!has(&json, "ACR007", "azurerm_container_registry.r"), "{json:#}");
    assert!(!has(&json, "ACR008", "azurerm_container_registry.r"), "{json:#}");
    assert!(notices(&json).is_empty(), "{json:#}");
}

#[test]
fn a_3x_argument_without_a_4x_form_is_not_judged_and_said_so() {
    let vnet = REGISTRY_3X.replace(
        "  trust_policy {",
        "  network_rule_set {\n    default_action = \"Deny\"\n    virtual_network {\n      action    = \"Allow\"\n      subnet_id = \"/x\"\n    }\n  }\n  trust_policy {",
    );
    let (code, json) = check(&[("main.tf", &vnet)]);
    assert!(
        !findings(&json)
            .iter()
            .any(|(_, a, _)| a == "azurerm_container_registry.r"),
        "{json:#}"
    );
    let n = notices(&json);
    assert!(
        n.len() == 1 && n[0].contains("network_rule_set.virtual_network") && n[0].contains("azurerm 3.x"),
        "{n:?}"
    );
    assert_eq!(json["notices"][0]["address"], "azurerm_container_registry.r");
    assert_eq!(code, 0, "{json:#}");
}

const APP: &str = r#"
resource "azurerm_container_app" "a" {
  name                         = "ca-api"
  resource_group_name          = "rg"
  container_app_environment_id = "/x"
  revision_mode                = "Single"
  template {
    init_container {
      name   = "init"
      image  = "debian:latest"
      cpu    = 0.25
      memory = "0.5Gi"
    }
    container {
      name   = "web"
      image  = "mcr.microsoft.com/app/web:1.0.0"
      cpu    = 0.25
      memory = "0.5Gi"
    }
  }
}
"#;

#[test]
fn init_containers_are_judged_like_containers() {
    let (_, json) = check(&[("main.tf", APP)]);
    let f = findings(&json);
    assert!(
        f.iter().any(|(r, _, m)| r == "APP007" && m.contains("debian:latest")),
        "{f:?}"
    );
    let (_, json) = check(&[("main.tf", &APP.replace("debian:latest", "debian:12.5"))]);
    assert!(!has(&json, "APP007", "azurerm_container_app.a"), "{json:#}");
}

const FIREWALLS: &str = r#"
resource "azurerm_container_registry" "r" {
  name                = "acrexample01"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Premium"
  network_rule_set {
    default_action = "Deny"
    ip_rule {
      action   = "Allow"
      ip_range = "0.0.0.0/0"
    }
  }
}

resource "azurerm_storage_account" "s" {
  name                     = "stfiles01"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
  network_rules {
    default_action = "Deny"
    ip_rules       = ["0.0.0.0/0"]
  }
}

resource "azurerm_container_app" "a" {
  name                         = "ca-api"
  resource_group_name          = "rg"
  container_app_environment_id = "/x"
  revision_mode                = "Single"
  ingress {
    target_port = 80
    traffic_weight {
      percentage      = 100
      latest_revision = true
    }
    ip_security_restriction {
      name             = "everyone"
      action           = "Allow"
      ip_address_range = "0.0.0.0/0"
    }
  }
}
"#;

#[test]
fn an_allow_list_that_admits_every_address_is_open() {
    let (_, json) = check(&[("main.tf", FIREWALLS)]);
    for (rule, address) in [
        ("ACR004", "azurerm_container_registry.r"),
        ("STG005", "azurerm_storage_account.s"),
        ("APP004", "azurerm_container_app.a"),
    ] {
        assert!(has(&json, rule, address), "{rule} {json:#}");
    }
    let (_, json) = check(&[(
        "main.tf",
        &FIREWALLS.replace("::/0", "").replace("0.0.0.0/0", "203.0.113.0/24"),
    )]);
    for rule in ["ACR004", "STG005", "APP004"] {
        assert!(!findings(&json).iter().any(|(r, _, _)| r == rule), "{rule} {json:#}");
    }
}

#[test]
fn messages_never_print_an_unevaluated_expression_as_a_value() {
    let app = r#"
variable "registries" {}

resource "azurerm_container_app" "a" {
  name                         = "ca-api"
  resource_group_name          = "rg"
  container_app_environment_id = "/x"
  revision_mode                = "Single"
  identity {
    type         = "UserAssigned"
    identity_ids = ["/subscriptions/x/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id"]
  }
  dynamic "registry" {
    for_each = var.registries
    content {
      server   = registry.value.server
      identity = registry.value.identity
    }
  }
  template {
    container {
      name   = "web"
      image  = "mcr.microsoft.com/app/web:1.0.0"
      cpu    = 0.25
      memory = "0.5Gi"
    }
  }
}
"#;
    let (_, json) = check(&[("main.tf", app)]);
    let f = findings(&json);
    assert!(!f.iter().any(|(r, _, _)| r == "APP002"), "{f:?}");
    assert!(!f.iter().any(|(_, _, m)| m.contains("registry.value")), "{f:?}");
    // The twin: a declared identity missing from identity_ids is named by its address.
    let declared = app
        .replace("variable \"registries\" {}", "resource \"azurerm_user_assigned_identity\" \"pull\" {\n  name = \"id-pull\"\n  resource_group_name = \"rg\"\n  location = \"westeurope\"\n}")
        .replace("  dynamic \"registry\" {\n    for_each = var.registries\n    content {\n      server   = registry.value.server\n      identity = registry.value.identity\n    }\n  }", "  registry {\n    server   = \"acrexample01.azurecr.io\"\n    identity = azurerm_user_assigned_identity.pull.id\n  }");
    let (_, json) = check(&[("main.tf", &declared)]);
    let f = findings(&json);
    assert!(
        f.iter()
            .any(|(r, _, m)| r == "APP002" && m.contains("pulls with azurerm_user_assigned_identity.pull")),
        "{f:?}"
    );
}

#[test]
fn resources_without_instances_are_checked_and_said_so() {
    let zero = "resource \"azurerm_resource_group\" \"rg\" {\n  count    = 0\n  name     = \"rg\"\n  location = \"westeurope\"\n}\n";
    let (code, json) = check(&[("main.tf", zero)]);
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(json["summary"]["resources"], 0);
    let n = notices(&json);
    assert!(n.len() == 1 && n[0].contains("no instances"), "{n:?}");
    // A module called twice has its files counted once.
    let files = [
        ("main.tf", "module \"m\" {\n  count  = 2\n  source = \"./m\"\n}\n"),
        (
            "m/main.tf",
            "resource \"azurerm_resource_group\" \"rg\" {\n  name     = \"rg\"\n  location = \"westeurope\"\n}\n",
        ),
    ];
    let (_, json) = check(&files);
    assert_eq!(json["summary"]["files"], 2, "{json:#}");
    assert_eq!(json["summary"]["resources"], 2, "{json:#}");
}

/// Issue 21 (after run): `var.x` in a module is the call's argument. The module's environment storage mounts the
/// share with `var.access_key`, which the caller sets to the account's key: an account with keys disabled is
/// reported (the mount would fail), its twin with keys on is not reported at all.
#[test]
fn a_module_variable_is_followed_to_the_calls_argument() {
    let module = r#"
variable "access_key" {
  type = string
}
variable "account_name" {
  type = string
}
resource "azurerm_container_app_environment_storage" "files" {
  name                         = "content"
  container_app_environment_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.App/managedEnvironments/cae"
  account_name                 = var.account_name
  share_name                   = "content"
  access_key                   = var.access_key
  access_mode                  = "ReadOnly"
}
"#;
    let main = |enabled: bool| {
        format!(
            r#"
resource "azurerm_storage_account" "sa" {{
  name                       = "contosofiles09"
  location                   = "westeurope"
  resource_group_name        = "rg"
  account_tier               = "Standard"
  account_replication_type   = "ZRS"
  shared_access_key_enabled  = {enabled}
}}
module "env" {{
  source       = "./modules/env"
  account_name = azurerm_storage_account.sa.name
  access_key   = azurerm_storage_account.sa.primary_access_key
}}
"#
        )
    };
    let stg004 = |enabled: bool| -> Vec<String> {
        let main = main(enabled);
        let (_, json) = check(&[("main.tf", main.as_str()), ("modules/env/main.tf", module)]);
        findings(&json)
            .into_iter()
            .filter(|(rule, _, _)| rule == "STG004")
            .map(|(_, address, message)| format!("{address}: {message}"))
            .collect()
    };
    assert_eq!(
        stg004(false),
        vec![
            "azurerm_storage_account.sa: shared-key access is disabled but \
              module.env.azurerm_container_app_environment_storage.files mounts a share with the account key"
        ]
    );
    assert_eq!(stg004(true), Vec::<String>::new());
}
