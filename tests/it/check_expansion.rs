//! `infra check DIR` expands `dynamic` blocks, `count` and `for_each` as Terraform does (issue 12, item 2):
//! instances get Terraform's addresses and their own findings; a dynamic block whose collection is unknown
//! "may be present".

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_infra");

/// (address, rule) of every finding of `infra check .` over `main_tf`.
fn findings(main_tf: &str) -> Vec<(String, String)> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("infra.toml"), "").unwrap();
    std::fs::write(dir.path().join("main.tf"), main_tf).unwrap();
    let out = Command::new(BIN)
        .args(["check", ".", "--format", "json"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["address"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn has(f: &[(String, String)], address: &str, rule: &str) -> bool {
    f.iter().any(|(a, r)| a == address && r == rule)
}

const PREMIUM: &str = r#"
variable "replica_locations" {
  default = ["northeurope"]
}

resource "azurerm_container_registry" "main" {
  name                          = "acrmain01"
  resource_group_name           = "rg"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = true

  dynamic "georeplications" {
    for_each = var.replica_locations
    content {
      location                = georeplications.value
      zone_redundancy_enabled = true
    }
  }

  dynamic "network_rule_set" {
    for_each = var.rules_from_elsewhere
    content {
      default_action = "Deny"
    }
  }
}
"#;

#[test]
fn dynamic_blocks_count_as_present() {
    let f = findings(PREMIUM);
    // A known for_each: one georeplications block → no "no geo-replication" finding.
    assert!(!has(&f, "azurerm_container_registry.main", "ACR005"), "{f:?}");
    // An unknown for_each: the network rule set may be present and its content denies by default → no ACR004.
    assert!(!has(&f, "azurerm_container_registry.main", "ACR004"), "{f:?}");
    // An empty list generates no block: the finding comes back.
    let f = findings(&PREMIUM.replace("default = [\"northeurope\"]", "default = []"));
    assert!(has(&f, "azurerm_container_registry.main", "ACR005"), "{f:?}");
}

const APP: &str = r#"
variable "public" {
  default = true
}

resource "azurerm_container_app" "app" {
  name                         = "app"
  resource_group_name          = "rg"
  container_app_environment_id = "x"
  revision_mode                = "Single"

  template {
    dynamic "container" {
      for_each = var.containers_from_elsewhere
      content {
        name   = "web"
        image  = "nginx:latest"
        cpu    = 0.25
        memory = "0.5Gi"
      }
    }
  }

  dynamic "ingress" {
    for_each = var.public ? [1] : []
    content {
      allow_insecure_connections = true
      external_enabled           = true
      target_port                = 80
    }
  }
}
"#;

#[test]
fn rules_inspect_the_content_of_dynamic_blocks() {
    let f = findings(APP);
    let app = "azurerm_container_app.app";
    assert!(has(&f, app, "APP007"), "nginx:latest in a dynamic container: {f:?}");
    assert!(has(&f, app, "APP006"), "no probes in a dynamic container: {f:?}");
    assert!(
        has(&f, app, "APP003"),
        "insecure connections in a dynamic ingress: {f:?}"
    );
    // var.public = false: the conditional gives [] and there is no ingress block at all.
    let f = findings(&APP.replace("default = true", "default = false"));
    assert!(!has(&f, app, "APP003"), "{f:?}");
}

#[test]
fn count_and_for_each_give_one_instance_each_with_terraform_addresses() {
    let text = r#"
variable "apps" {
  default = {
    api = "nginx:latest"
    web = "nginx:1.27.0"
  }
}

resource "azurerm_container_registry" "main" {
  count               = 2
  name                = count.index == 0 ? "acrmain01" : "acr-${count.index}"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Standard"
}

resource "azurerm_container_app" "app" {
  for_each                     = var.apps
  name                         = each.key
  resource_group_name          = "rg"
  container_app_environment_id = "x"
  revision_mode                = "Single"

  template {
    container {
      name   = each.key
      image  = each.value
      cpu    = 0.25
      memory = "0.5Gi"
    }
  }
}

resource "azurerm_container_registry" "none" {
  count               = 0
  name                = "x"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Basic"
}
"#;
    let f = findings(text);
    // count.index is evaluated per instance: only [1] has an invalid name.
    assert!(has(&f, "azurerm_container_registry.main[1]", "ACR013"), "{f:?}");
    assert!(!has(&f, "azurerm_container_registry.main[0]", "ACR013"), "{f:?}");
    assert!(has(&f, "azurerm_container_registry.main[0]", "ACR004"), "{f:?}");
    // each.value per instance: only "api" uses latest.
    assert!(has(&f, "azurerm_container_app.app[\"api\"]", "APP007"), "{f:?}");
    assert!(!has(&f, "azurerm_container_app.app[\"web\"]", "APP007"), "{f:?}");
    assert!(has(&f, "azurerm_container_app.app[\"web\"]", "APP006"), "{f:?}");
    // count = 0: no instance, nothing to find.
    assert!(
        !f.iter().any(|(a, _)| a.starts_with("azurerm_container_registry.none")),
        "{f:?}"
    );
    // No finding is reported against the unexpanded address.
    assert!(
        !f.iter()
            .any(|(a, _)| a == "azurerm_container_app.app" || a == "azurerm_container_registry.main"),
        "{f:?}"
    );
}

#[test]
fn an_unknown_count_is_checked_once_as_written() {
    let text = r#"
resource "azurerm_container_registry" "main" {
  count               = length(data.x.y.ids)
  name                = "acrmain01"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Basic"
  admin_enabled       = true
}
"#;
    let f = findings(text);
    assert!(has(&f, "azurerm_container_registry.main", "ACR001"), "{f:?}");
}
