//! A stack of three apps and a job (`tests/fixtures/stacks/platform-apps.toml`, rendered into
//! `tests/fixtures/apps-{hcl,json}/`; the main crate's tests/it/apps_and_jobs.rs keeps them fresh) passes
//! `terraform validate` and `plan` as `.tf` and as `.tf.json`: the job type, init containers, sidecars and an app's
//! own identity included, and everything that pulls waits for the AcrPull grant of the identity it pulls with.

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

fn check(dir: &str) {
    let provider = PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-azurerm"));
    let checked = harness::check_dir(&provider, &fixture(dir));
    checked.assert_ok();
    let plan = checked.plan_json.as_ref().unwrap();
    let stdout = &checked.plan.as_ref().unwrap().stdout;
    // 10 shared resources, 3 apps, a job, and the worker's identity, grant and wait.
    assert!(
        stdout.contains("Plan: 17 to add, 0 to change, 0 to destroy."),
        "{dir}: {stdout}"
    );
    for app in ["web", "api", "worker"] {
        let c = change(plan, &format!("azurerm_container_app.{app}"));
        assert_eq!(c["change"]["actions"], serde_json::json!(["create"]), "{dir} {app}");
    }
    let job = change(plan, "azurerm_container_app_job.report");
    let after = &job["change"]["after"];
    assert_eq!(
        after["schedule_trigger_config"][0]["cron_expression"], "0 3 * * *",
        "{dir}"
    );
    assert_eq!(after["replica_timeout_in_seconds"], 1800, "{dir}");
    let api = &change(plan, "azurerm_container_app.api")["change"]["after"]["template"][0];
    assert_eq!(api["init_container"][0]["name"], "migrate", "{dir}");
    let names: Vec<&str> = api["container"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["api", "logs"], "{dir}");
    // Ordered after the grant of the identity each pulls with.
    for (address, wait) in [
        ("azurerm_container_app.web", "time_sleep.acr_pull_propagation"),
        ("azurerm_container_app.api", "time_sleep.acr_pull_propagation"),
        ("azurerm_container_app_job.report", "time_sleep.acr_pull_propagation"),
        ("azurerm_container_app.worker", "time_sleep.acr_pull_propagation_worker"),
    ] {
        assert_eq!(depends_on(plan, address), [wait], "{dir} {address}");
    }
    let grant = change(plan, "azurerm_role_assignment.acr_pull_worker");
    assert_eq!(grant["change"]["after"]["role_definition_name"], "AcrPull", "{dir}");
}

#[test]
fn three_apps_and_a_job_validate_and_plan_as_hcl() {
    check("apps-hcl");
}

#[test]
fn three_apps_and_a_job_validate_and_plan_as_json() {
    check("apps-json");
}

/// An app stack on a platform (`tests/fixtures/stacks/app-on-platform.toml`): the registry, identity and
/// environment are data sources, read at plan time; the stack still grants AcrPull and orders its apps after it.
fn check_platform(dir: &str) {
    let provider = PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-azurerm"));
    let checked = harness::check_dir(&provider, &fixture(dir));
    checked.assert_ok();
    let plan = checked.plan_json.as_ref().unwrap();
    let stdout = &checked.plan.as_ref().unwrap().stdout;
    // Resource group, grant and wait, storage (3), two apps and a job: nothing of the platform is created.
    assert!(
        stdout.contains("Plan: 9 to add, 0 to change, 0 to destroy."),
        "{dir}: {stdout}"
    );
    let changes = plan["resource_changes"].as_array().unwrap();
    for kind in [
        "azurerm_container_registry",
        "azurerm_container_app_environment",
        "azurerm_user_assigned_identity",
    ] {
        assert!(
            !changes.iter().any(|c| c["type"] == kind && c["mode"] == "managed"),
            "{dir}: {kind} is created"
        );
    }
    // The data sources were read at plan time: their values are known where they are used.
    let grant = change(plan, "azurerm_role_assignment.acr_pull");
    assert_eq!(
        grant["change"]["after"]["scope"], "azurerm_container_registry.id",
        "{dir}"
    );
    let api = change(plan, "azurerm_container_app.api");
    assert_eq!(
        api["change"]["after"]["container_app_environment_id"], "azurerm_container_app_environment.id",
        "{dir}"
    );
    assert_eq!(
        depends_on(plan, "azurerm_container_app.api"),
        ["time_sleep.acr_pull_propagation"],
        "{dir}"
    );
    assert_eq!(
        depends_on(plan, "azurerm_container_app_job.reindex"),
        ["time_sleep.acr_pull_propagation"],
        "{dir}"
    );
}

#[test]
fn an_app_stack_on_an_existing_platform_validates_and_plans_as_hcl() {
    check_platform("platform-hcl");
}

#[test]
fn an_app_stack_on_an_existing_platform_validates_and_plans_as_json() {
    check_platform("platform-json");
}
