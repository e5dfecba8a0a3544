//! Rule semantics beyond the pass/fail fixtures: unknown values are not violations, references are followed,
//! alternative spellings are understood.

use infra::check::{self, Date, Settings};
use infra::terraform::{Config, Format};

fn findings(hcl: &str, settings: &Settings, production: bool) -> Vec<String> {
    let file = Config::parse_file_with(
        "main.tf",
        "main.tf".into(),
        Format::Hcl,
        hcl,
        infra::azurerm::builtin_schemas(),
    )
    .unwrap();
    let config = Config { files: vec![file] };
    check::check(&config, settings, None, production)
        .findings
        .iter()
        .map(|f| format!("{} {} {}", f.rule, f.address, f.message))
        .collect()
}

fn settings() -> Settings {
    let mut s = Settings::parse("[check]\nrequired_tags = [\"owner\"]\nallowed_regions = [\"westeurope\"]\n").unwrap();
    s.today = Date::parse("2026-11-29").unwrap();
    s
}

#[test]
fn values_from_variables_and_functions_are_not_violations() {
    let hcl = r#"
resource "azurerm_container_registry" "r" {
  name                          = var.registry_name
  resource_group_name           = var.rg
  location                      = var.location
  sku                           = var.sku
  admin_enabled                 = var.admin
  anonymous_pull_enabled        = local.anonymous
  public_network_access_enabled = var.public
  tags                          = merge(local.tags, { extra = "x" })
}

resource "azurerm_storage_account" "s" {
  name                            = var.name
  resource_group_name             = var.rg
  location                        = var.location
  account_tier                    = "Standard"
  account_replication_type        = "LRS"
  min_tls_version                 = var.tls
  https_traffic_only_enabled      = var.https
  allow_nested_items_to_be_public = var.public_blobs
  shared_access_key_enabled       = var.shared_key
  public_network_access_enabled   = var.public_access
  tags                            = var.tags
  sas_policy {
    expiration_period = var.sas_period
  }
}

resource "azurerm_role_assignment" "pull" {
  scope                = var.scope
  role_definition_name = "AcrPull"
  principal_id         = var.principal
}

resource "azurerm_container_app" "a" {
  name                         = var.app_name
  resource_group_name          = var.rg
  container_app_environment_id = var.env
  revision_mode                = "Single"
  identity {
    type         = "UserAssigned"
    identity_ids = var.identity_ids
  }
  registry {
    server   = var.server
    identity = var.identity
  }
  template {
    min_replicas = var.min
    container {
      name   = "web"
      image  = "${var.server}/web:${var.tag}"
      cpu    = var.cpu
      memory = var.memory
      liveness_probe {
        transport = "HTTP"
        port      = 8080
      }
      readiness_probe {
        transport = "HTTP"
        port      = 8080
      }
    }
  }
  tags = local.tags
}
"#;
    assert_eq!(findings(hcl, &settings(), true), Vec::<String>::new());
}

#[test]
fn cross_resource_rules_follow_references() {
    let base = r#"
resource "azurerm_container_registry" "acr" {
  name                = "contosoacr"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Standard"
  tags                = { owner = "me" }
}
resource "azurerm_user_assigned_identity" "pull" {
  name                = "id-pull"
  resource_group_name = "rg"
  location            = "westeurope"
  tags                = { owner = "me" }
}
resource "azurerm_user_assigned_identity" "other" {
  name                = "id-other"
  resource_group_name = "rg"
  location            = "westeurope"
  tags                = { owner = "me" }
}
resource "azurerm_role_assignment" "pull" {
  scope              = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/contosoacr"
  role_definition_id = "/subscriptions/0000/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d"
  principal_id       = azurerm_user_assigned_identity.pull.principal_id
  principal_type     = "ServicePrincipal"
}
resource "azurerm_role_assignment" "owner" {
  scope                = "/subscriptions/0000"
  role_definition_name = "Owner"
  principal_id         = azurerm_user_assigned_identity.pull.principal_id
  principal_type       = "User"
}
resource "azurerm_container_app" "a" {
  name                         = "web"
  resource_group_name          = "rg"
  container_app_environment_id = "/x"
  revision_mode                = "Single"
  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.other.id]
  }
  registry {
    server   = azurerm_container_registry.acr.login_server
    identity = azurerm_user_assigned_identity.pull.id
  }
  template {
    container {
      name   = "web"
      image  = "contosoacr.azurecr.io/web@sha256:0123456789abcdef0123456789abcdef"
      cpu    = 1
      memory = "2Gi"
      liveness_probe {
        transport = "TCP"
        port      = 8080
      }
      readiness_probe {
        transport = "TCP"
        port      = 8080
      }
    }
  }
  tags = { owner = "me" }
}
"#;
    snapshot!(
        "check",
        "semantics_cross_resource",
        findings(base, &settings(), false).join("\n")
    );
}

#[test]
fn system_identity_workload_profiles_and_regions() {
    let hcl = r#"
resource "azurerm_container_app" "a" {
  name                         = "web"
  resource_group_name          = "rg"
  container_app_environment_id = "/x"
  revision_mode                = "Single"
  workload_profile_name        = "D4"
  registry {
    server   = "contosoacr.azurecr.io"
    identity = "System"
  }
  template {
    min_replicas = 3
    container {
      name   = "web"
      image  = "contosoacr.azurecr.io/web:2024.11.3"
      cpu    = 3
      memory = "12Gi"
      liveness_probe {
        transport = "TCP"
        port      = 8080
      }
      readiness_probe {
        transport = "TCP"
        port      = 8080
      }
    }
  }
  tags = { owner = "me" }
}
resource "azurerm_resource_group" "rg" {
  name     = "rg"
  location = "West Europe"
  tags     = { "owner" = "me" }
}
"#;
    // Dedicated profile: any CPU/memory; "System" identity without a system-assigned identity is APP002.
    assert_eq!(
        findings(hcl, &settings(), true),
        ["APP002 azurerm_container_app.a pulls with the system-assigned identity, which the app does not have"]
    );
}

#[test]
fn text_output_colours_only_when_asked() {
    let file = Config::parse_file_with(
        "main.tf",
        "main.tf".into(),
        Format::Hcl,
        "resource \"azurerm_container_registry\" \"r\" {\n  admin_enabled = true\n  public_network_access_enabled = false\n}\n", infra::azurerm::builtin_schemas())
    .unwrap();
    let report = check::check(&Config { files: vec![file] }, &Settings::default(), None, false);
    let plain = check::output::text::render(&report, false);
    let coloured = check::output::text::render(&report, true);
    assert!(!plain.contains('\x1b'));
    assert!(coloured.contains("\x1b[1;31mhigh"), "{coloured}");
    assert_eq!(plain, "azurerm_container_registry.r\n  high     ACR001  main.tf:2:3  the admin user is enabled (`admin_enabled = true`)\n\n1 resource in 1 file: 1 finding (1 high); 1 at or above high: failed\n");
}

#[test]
fn an_image_tag_from_a_variable_is_judged_by_its_default() {
    let app = |default: &str| {
        format!(
            r#"
variable "image_tag" {{
  type = string
  {default}
}}

resource "azurerm_container_app" "a" {{
  name                         = "web"
  resource_group_name          = "rg"
  container_app_environment_id = "x"
  revision_mode                = "Single"
  template {{
    container {{
      name   = "web"
      image  = "acr.azurecr.io/web:${{var.image_tag}}"
      cpu    = 0.5
      memory = "1Gi"
    }}
  }}
}}
"#
        )
    };
    let app007 = |default: &str| -> Vec<String> {
        findings(&app(default), &settings(), false)
            .into_iter()
            .filter(|f| f.starts_with("APP007"))
            .collect()
    };
    assert_eq!(
        app007("default = \"latest\""),
        vec![
            "APP007 azurerm_container_app.a image acr.azurecr.io/web:latest uses the `latest` tag \
             (var.image_tag defaults to \"latest\"; CI can override it, but a plain apply deploys it)"
        ]
    );
    assert_eq!(app007("default = \"1.4.2\""), Vec::<String>::new());
    assert_eq!(
        app007(""),
        Vec::<String>::new(),
        "no default: the tag is only known at deploy time"
    );
}

/// The first-deploy conditional (`var.T == null ? <placeholder> : <registry image tagged var.T>`): the registry
/// branch is judged (by the variable's default), the placeholder is not; any other conditional is judged branch
/// by branch, so a conditional cannot hide an unpinned or foreign image.
#[test]
fn conditional_images_are_judged_branch_by_branch_except_the_first_deploy_placeholder() {
    let app = |image: &str, default: &str| {
        format!(
            r#"
variable "image_tag" {{
  type     = string
  default  = {default}
  nullable = true
}}

resource "azurerm_container_registry" "main" {{
  name                = "acrweb"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Premium"
}}

resource "azurerm_container_app" "a" {{
  name                         = "web"
  resource_group_name          = "rg"
  container_app_environment_id = "x"
  revision_mode                = "Single"
  template {{
    container {{
      name   = "web"
      image  = {image}
      cpu    = 0.5
      memory = "1Gi"
    }}
  }}
}}
"#
        )
    };
    let image_rules = |image: &str, default: &str| -> Vec<String> {
        findings(&app(image, default), &settings(), false)
            .into_iter()
            .filter(|f| f.starts_with("APP007") || f.starts_with("APP008"))
            .collect()
    };
    let first_deploy = r#"var.image_tag == null ? "mcr.microsoft.com/k8se/quickstart:latest" : "${azurerm_container_registry.main.login_server}/web:${var.image_tag}""#;
    assert_eq!(image_rules(first_deploy, "null"), Vec::<String>::new());
    assert_eq!(image_rules(first_deploy, "\"1.4.2\""), Vec::<String>::new());
    assert_eq!(
        image_rules(first_deploy, "\"latest\""),
        vec![
            "APP007 azurerm_container_app.a image (known after apply)/web:latest \
             uses the `latest` tag (var.image_tag defaults to \"latest\"; CI can override it, but a plain apply deploys it)"
        ]
    );
    // A plan has the conditional evaluated: the planned image is the placeholder itself.
    assert_eq!(
        image_rules(&format!("{:?}", infra::stack::PLACEHOLDER_IMAGE), "null"),
        Vec::<String>::new()
    );
    // Not the first-deploy pattern: the condition does not test the tag the other branch uses.
    let other = r#"var.canary == null ? "docker.io/library/nginx:latest" : "${azurerm_container_registry.main.login_server}/web:${var.image_tag}""#;
    assert_eq!(
        image_rules(other, "null"),
        vec![
            "APP007 azurerm_container_app.a image docker.io/library/nginx:latest uses the `latest` tag",
            "APP008 azurerm_container_app.a the image comes from docker.io, not from the stack's registry",
        ]
    );
}
