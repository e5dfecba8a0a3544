//! The test fixture stack with the app features of issue 25 (`tests/fixtures/stacks/features.toml`, rendered into
//! `tests/fixtures/features-{hcl,json}/`; the main crate's tests/it/app_features.rs keeps them fresh) passes
//! `terraform validate` and `plan` as `.tf` and as `.tf.json`: Key Vault secret references and their role
//! assignment. So do the same features in the many-apps form (`tests/fixtures/stacks/apps-features.toml`, rendered
//! into `tests/fixtures/apps-features-{hcl,json}/`): two apps and a job, each with its own grant.

use std::path::{Path, PathBuf};

use infra_test_provider::harness;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn change<'a>(plan: &'a serde_json::Value, address: &str) -> &'a serde_json::Value {
    plan["resource_changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["address"] == address)
        .unwrap_or_else(|| panic!("{address} is not in the plan"))
}

fn check(dir: &str) {
    let provider = PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-azurerm"));
    let checked = harness::check_dir(&provider, &fixture(dir));
    checked.assert_ok();
    let plan = checked.plan_json.as_ref().unwrap();
    let grant = change(plan, "azurerm_role_assignment.key_vault_secrets_user");
    assert_eq!(grant["change"]["actions"], serde_json::json!(["create"]), "{dir}");
    assert_eq!(
        grant["change"]["after"]["role_definition_name"], "Key Vault Secrets User",
        "{dir}"
    );
    let app = change(plan, "azurerm_container_app.app");
    let secrets = app["change"]["after"]["secret"].as_array().unwrap();
    let database = secrets.iter().find(|s| s["name"] == "database-url").unwrap();
    assert_eq!(
        database["key_vault_secret_id"], "https://kv-platform-features.vault.azure.net/secrets/database-url",
        "{dir}"
    );
    // The identity's ID is known after apply.
    assert_eq!(
        app["change"]["after_unknown"]["secret"][0]["identity"], true,
        "{dir}: {}",
        app["change"]["after_unknown"]["secret"]
    );
    scale_rules(app, dir);
}

/// Every kind of scale rule is planned in the app's template; the identity-authenticated ones with the identity's
/// ID known after apply.
fn scale_rules(app: &serde_json::Value, dir: &str) {
    let template = &app["change"]["after"]["template"][0];
    let names = |block: &str| -> Vec<String> {
        template[block]
            .as_array()
            .unwrap_or_else(|| panic!("{dir}: no {block}"))
            .iter()
            .map(|b| b["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names("azure_queue_scale_rule"), ["legacy-queue"], "{dir}");
    assert_eq!(names("tcp_scale_rule"), ["tcp-connections"], "{dir}");
    assert_eq!(
        names("custom_scale_rule"),
        ["orders-queue", "invoices", "business-hours", "redis-jobs"],
        "{dir}"
    );
    let unknown = &app["change"]["after_unknown"]["template"][0]["custom_scale_rule"];
    assert_eq!(unknown[0]["identity_id"], true, "{dir}: {unknown}");
    assert_eq!(
        template["custom_scale_rule"][2]["metadata"]["start"], "0 8 * * 1-5",
        "{dir}"
    );
}

#[test]
fn the_app_features_validate_and_plan_as_hcl() {
    check("features-hcl");
}

#[test]
fn the_app_features_validate_and_plan_as_json() {
    check("features-json");
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

/// Two apps and a job: each reads its Key Vault secret with the identity it runs with, after its own grant; each
/// app's non-HTTP scale rule authenticates with that identity.
fn check_apps(dir: &str) {
    let provider = PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-azurerm"));
    let checked = harness::check_dir(&provider, &fixture(dir));
    checked.assert_ok();
    let plan = checked.plan_json.as_ref().unwrap();
    let workloads = [
        (
            "azurerm_container_app.api",
            "key_vault_secrets_user_api",
            "acr_pull_propagation",
            "kv-shop-api",
        ),
        (
            "azurerm_container_app.worker",
            "key_vault_secrets_user_worker",
            "acr_pull_propagation_worker",
            "kv-platform-shared",
        ),
        (
            "azurerm_container_app_job.report",
            "key_vault_secrets_user_report",
            "acr_pull_propagation",
            "kv-platform-shared",
        ),
    ];
    for (address, grant, wait, vault) in workloads {
        let g = change(plan, &format!("azurerm_role_assignment.{grant}"));
        assert_eq!(g["change"]["actions"], serde_json::json!(["create"]), "{dir} {grant}");
        assert_eq!(
            g["change"]["after"]["role_definition_name"], "Key Vault Secrets User",
            "{dir}"
        );
        assert!(
            g["change"]["after"]["scope"]
                .as_str()
                .unwrap()
                .ends_with(&format!("/vaults/{vault}")),
            "{dir} {grant}"
        );
        let c = change(plan, address);
        let secret = &c["change"]["after"]["secret"][0];
        assert!(
            secret["key_vault_secret_id"]
                .as_str()
                .unwrap()
                .starts_with(&format!("https://{vault}.vault.azure.net/secrets/")),
            "{dir} {address}: {secret}"
        );
        assert_eq!(
            c["change"]["after_unknown"]["secret"][0]["identity"], true,
            "{dir} {address}"
        );
        assert_eq!(
            depends_on(plan, address),
            [format!("time_sleep.{wait}"), format!("azurerm_role_assignment.{grant}")],
            "{dir} {address}"
        );
    }
    for app in ["api", "worker"] {
        let c = change(plan, &format!("azurerm_container_app.{app}"));
        let unknown = &c["change"]["after_unknown"]["template"][0]["custom_scale_rule"];
        assert_eq!(unknown[0]["identity_id"], true, "{dir} {app}: {unknown}");
    }
}

#[test]
fn the_app_features_of_many_apps_validate_and_plan_as_hcl() {
    check_apps("apps-features-hcl");
}

#[test]
fn the_app_features_of_many_apps_validate_and_plan_as_json() {
    check_apps("apps-features-json");
}
