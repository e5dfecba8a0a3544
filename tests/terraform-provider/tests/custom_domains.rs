//! Custom domains (`tests/fixtures/stacks/custom-domains.toml`, rendered into
//! `tests/fixtures/custom-domains-{hcl,json}/`; the main crate's tests/it/custom_domains.rs keeps them fresh) pass
//! `terraform validate` and `plan` as `.tf` and as `.tf.json`: a domain with a managed certificate after its DNS
//! records, and a domain bound to a certificate from Key Vault that the environment reads with the app's
//! identity after that identity's grant.

use std::path::{Path, PathBuf};

use infra_test_provider::harness;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// The `depends_on` of `address` in the plan's configuration.
fn depends_on(plan: &serde_json::Value, address: &str) -> Vec<String> {
    plan["configuration"]["root_module"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["address"] == address)
        .unwrap_or_else(|| panic!("{address} is not in the configuration"))["depends_on"]
        .as_array()
        .map(|a| a.iter().map(|v| v.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

fn after(plan: &serde_json::Value, address: &str) -> serde_json::Value {
    plan["resource_changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["address"] == address)
        .unwrap_or_else(|| panic!("{address} is not in the plan"))["change"]["after"]
        .clone()
}

fn check(dir: &str) {
    let provider = PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-azurerm"));
    let checked = harness::check_dir(&provider, &fixture(dir));
    checked.assert_ok();
    let plan = checked.plan_json.as_ref().unwrap();
    let managed = "app_api_dev_example_com";
    assert_eq!(
        depends_on(plan, &format!("azurerm_container_app_custom_domain.{managed}")),
        [
            format!("azurerm_dns_txt_record.{managed}_verification"),
            format!("azurerm_dns_cname_record.{managed}")
        ],
        "{dir}"
    );
    assert_eq!(
        depends_on(
            plan,
            &format!("azurerm_container_app_environment_managed_certificate.{managed}")
        ),
        [format!("azurerm_container_app_custom_domain.{managed}")],
        "{dir}"
    );
    let byo = "app_www_dev_example_com";
    let certificate = format!("azurerm_container_app_environment_certificate.{byo}");
    assert_eq!(
        depends_on(plan, &certificate),
        [
            "time_sleep.acr_pull_propagation",
            "azurerm_role_assignment.key_vault_secrets_user"
        ],
        "{dir}"
    );
    let kv = &after(plan, &certificate)["certificate_key_vault"][0];
    assert_eq!(
        kv["key_vault_secret_id"], "https://kv-platform.vault.azure.net/secrets/www-dev-example-com",
        "{dir}"
    );
    let domain = after(plan, &format!("azurerm_container_app_custom_domain.{byo}"));
    assert_eq!(domain["certificate_binding_type"], "SniEnabled", "{dir}");
    // The environment carries the identity it reads the certificate with.
    let environment = after(plan, "azurerm_container_app_environment.main");
    assert_eq!(environment["identity"][0]["type"], "UserAssigned", "{dir}");
    assert!(
        checked
            .plan
            .as_ref()
            .unwrap()
            .stdout
            .contains("Plan: 20 to add, 0 to change, 0 to destroy."),
        "{dir}: {}",
        checked.plan.as_ref().unwrap().stdout
    );
}

#[test]
fn custom_domains_validate_and_plan_as_hcl() {
    check("custom-domains-hcl");
}

#[test]
fn custom_domains_validate_and_plan_as_json() {
    check("custom-domains-json");
}
