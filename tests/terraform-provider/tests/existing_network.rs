//! An app stack in a landing zone (`tests/fixtures/stacks/app-on-landing-zone.toml`, rendered into
//! `tests/fixtures/landing-zone-{hcl,json}/`; the main crate's tests/it/existing_network.rs keeps them fresh) passes
//! `terraform validate` and `plan` as `.tf` and as `.tf.json`: the existing virtual network and environment subnet
//! are `azurerm_virtual_network` and `azurerm_subnet` data sources, read at plan time; the registry is read through
//! a second, aliased azurerm provider block with its own `subscription_id`; the stack creates a subnet in the
//! existing network and links its private DNS zones to it.

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

/// The configuration's `provider_config` entries of the root module, by key (`azurerm`, `azurerm.registry`).
fn provider_config<'a>(plan: &'a serde_json::Value, key: &str) -> &'a serde_json::Value {
    &plan["configuration"]["provider_config"][key]
}

fn check(dir: &str) {
    let provider = PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-azurerm"));
    let checked = harness::check_dir(&provider, &fixture(dir));
    checked.assert_ok();
    let plan = checked.plan_json.as_ref().unwrap();
    let stdout = &checked.plan.as_ref().unwrap().stdout;
    // Resource group, workspace, endpoints' subnet, file zone + link + endpoint, identity, grant, wait,
    // environment, its zone + link + record, storage (3), app: no network and no registry is created.
    assert!(
        stdout.contains("Plan: 17 to add, 0 to change, 0 to destroy."),
        "{dir}: {stdout}"
    );
    let changes = plan["resource_changes"].as_array().unwrap();
    for kind in ["azurerm_virtual_network", "azurerm_container_registry"] {
        assert!(
            !changes.iter().any(|c| c["type"] == kind && c["mode"] == "managed"),
            "{dir}: {kind} is created"
        );
    }
    // The data sources were read at plan time: the test provider's placeholders stand where they are used.
    let env = change(plan, "azurerm_container_app_environment.main");
    assert_eq!(
        env["change"]["after"]["infrastructure_subnet_id"], "azurerm_subnet.id",
        "{dir}"
    );
    let subnet = change(plan, "azurerm_subnet.private_endpoints");
    assert_eq!(
        subnet["change"]["after"]["virtual_network_name"], "vnet-lz-spoke-shop",
        "{dir}"
    );
    assert_eq!(
        subnet["change"]["after"]["resource_group_name"], "rg-lz-network",
        "{dir}"
    );
    for link in [
        "azurerm_private_dns_zone_virtual_network_link.file",
        "azurerm_private_dns_zone_virtual_network_link.environment",
    ] {
        let link = change(plan, link);
        assert_eq!(
            link["change"]["after"]["virtual_network_id"], "azurerm_virtual_network.id",
            "{dir}"
        );
    }
    // The registry is read by the aliased provider, in its subscription; AcrPull is scoped to its ID.
    let aliased = provider_config(plan, "azurerm.registry");
    assert_eq!(aliased["alias"], "registry", "{dir}: {aliased}");
    assert_eq!(
        aliased["expressions"]["subscription_id"]["constant_value"], "11111111-2222-3333-4444-555555555555",
        "{dir}: {aliased}"
    );
    let registry = plan["configuration"]["root_module"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["address"] == "data.azurerm_container_registry.main")
        .unwrap_or_else(|| panic!("{dir}: no registry data source"));
    assert_eq!(registry["provider_config_key"], "azurerm.registry", "{dir}");
    let grant = change(plan, "azurerm_role_assignment.acr_pull");
    assert_eq!(
        grant["change"]["after"]["scope"], "azurerm_container_registry.id",
        "{dir}"
    );
}

#[test]
fn an_app_stack_in_a_landing_zone_validates_and_plans_as_hcl() {
    check("landing-zone-hcl");
}

#[test]
fn an_app_stack_in_a_landing_zone_validates_and_plans_as_json() {
    check("landing-zone-json");
}
