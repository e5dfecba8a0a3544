//! The worked platform example (`examples/platform/platform.toml` and `apps.toml`, rendered into
//! `tests/fixtures/example-{platform,apps}-{hcl,json}/`; the main crate's tests/it/platform_example.rs keeps them
//! fresh) passes `terraform validate` and `plan` as `.tf` and as `.tf.json`: the platform creates the registry,
//! identity, grant, environment and network and no app; the app stack reads the platform by data sources,
//! creates no second AcrPull grant (the platform's) and orders what reads Key Vault after its grant.

use std::path::{Path, PathBuf};

use infra_test_provider::harness;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn plan_of(dir: &str) -> (serde_json::Value, String) {
    let provider = PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-azurerm"));
    let checked = harness::check_dir(&provider, &fixture(dir));
    checked.assert_ok();
    let plan = checked.plan_json.clone().unwrap();
    (plan, checked.plan.as_ref().unwrap().stdout.clone())
}

fn managed(plan: &serde_json::Value, kind: &str) -> usize {
    plan["resource_changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["type"] == kind && c["mode"] == "managed")
        .count()
}

/// The `depends_on` of `address` in the plan's configuration.
fn depends_on(plan: &serde_json::Value, address: &str) -> Vec<String> {
    plan["configuration"]["root_module"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["address"] == address)
        .and_then(|r| r["depends_on"].as_array())
        .map(|a| a.iter().map(|v| v.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

fn check_platform(dir: &str) {
    let (plan, stdout) = plan_of(dir);
    assert!(
        stdout.contains("Plan: 21 to add, 0 to change, 0 to destroy."),
        "{dir}: {stdout}"
    );
    for kind in [
        "azurerm_container_registry",
        "azurerm_container_app_environment",
        "azurerm_user_assigned_identity",
        "azurerm_role_assignment",
        "azurerm_virtual_network",
    ] {
        assert_eq!(managed(&plan, kind), 1, "{dir}: {kind}");
    }
    assert_eq!(managed(&plan, "azurerm_container_app"), 0, "{dir}");
}

fn check_apps(dir: &str) {
    let (plan, stdout) = plan_of(dir);
    // Resource group, two Key Vault grants and their wait, storage (3), three apps and a job; the web app's custom
    // domain: two DNS records, the domain and its managed certificate.
    assert!(
        stdout.contains("Plan: 15 to add, 0 to change, 0 to destroy."),
        "{dir}: {stdout}"
    );
    for kind in [
        "azurerm_container_registry",
        "azurerm_container_app_environment",
        "azurerm_user_assigned_identity",
    ] {
        assert_eq!(managed(&plan, kind), 0, "{dir}: {kind} is created");
    }
    assert_eq!(managed(&plan, "azurerm_container_app"), 3, "{dir}");
    assert_eq!(managed(&plan, "azurerm_container_app_job"), 1, "{dir}");
    for (address, grant) in [
        (
            "azurerm_container_app.api",
            "azurerm_role_assignment.key_vault_secrets_user_api",
        ),
        (
            "azurerm_container_app_job.report",
            "azurerm_role_assignment.key_vault_secrets_user_report",
        ),
    ] {
        let deps = depends_on(&plan, address);
        assert!(deps.contains(&grant.to_string()), "{dir} {address}: {deps:?}");
        assert!(
            deps.contains(&"time_sleep.acr_pull_propagation".to_string()),
            "{dir} {address}: {deps:?}"
        );
    }
    custom_domain_in_apply_order(&plan, dir);
}

/// The web app's custom domain in the order that applies in one run (docs/stacks.md, "Custom domains"): both DNS
/// records, then the domain (its binding ignored), then the managed certificate; the records' values are the
/// app's, known after apply.
fn custom_domain_in_apply_order(plan: &serde_json::Value, dir: &str) {
    let domain = "azurerm_container_app_custom_domain.web_shop_example_com";
    assert_eq!(
        depends_on(plan, domain),
        [
            "azurerm_dns_txt_record.web_shop_example_com_verification",
            "azurerm_dns_cname_record.web_shop_example_com"
        ],
        "{dir}"
    );
    assert_eq!(
        depends_on(
            plan,
            "azurerm_container_app_environment_managed_certificate.web_shop_example_com"
        ),
        [domain],
        "{dir}"
    );
    let change = |address: &str| {
        plan["resource_changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["address"] == address)
            .unwrap_or_else(|| panic!("{dir}: no {address}"))["change"]
            .clone()
    };
    let certificate = change("azurerm_container_app_environment_managed_certificate.web_shop_example_com");
    assert_eq!(certificate["after"]["subject_name"], "shop.example.com", "{dir}");
    assert_eq!(certificate["after"]["domain_control_validation"], "CNAME", "{dir}");
    let txt = change("azurerm_dns_txt_record.web_shop_example_com_verification");
    assert_eq!(txt["after"]["name"], "asuid.shop", "{dir}");
    // The verification ID is the app's, known after apply, and sensitive (the provider marks it so).
    assert_eq!(
        txt["after_unknown"]["record"],
        serde_json::json!([{"value": true}]),
        "{dir}: {txt}"
    );
    assert_eq!(txt["after_sensitive"]["record"], true, "{dir}: {txt}");
    let cname = change("azurerm_dns_cname_record.web_shop_example_com");
    assert_eq!(cname["after_unknown"]["record"], true, "{dir}");
}

#[test]
fn the_platform_of_the_worked_example_validates_and_plans_as_hcl() {
    check_platform("example-platform-hcl");
}

#[test]
fn the_platform_of_the_worked_example_validates_and_plans_as_json() {
    check_platform("example-platform-json");
}

#[test]
fn the_apps_of_the_worked_example_validate_and_plan_as_hcl() {
    check_apps("example-apps-hcl");
}

#[test]
fn the_apps_of_the_worked_example_validate_and_plan_as_json() {
    check_apps("example-apps-json");
}
