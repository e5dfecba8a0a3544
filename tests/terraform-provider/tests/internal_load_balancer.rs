//! The test fixture stack with an internal load balancer (`tests/fixtures/stacks/internal.toml`, rendered into
//! `tests/fixtures/internal-{hcl,json}/`; the main crate's tests/it/internal_load_balancer.rs keeps them fresh) passes
//! `terraform validate` and `plan` as `.tf` and as `.tf.json`, the private DNS A record type included.

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
    let env = change(plan, "azurerm_container_app_environment.main");
    assert_eq!(env["change"]["after"]["internal_load_balancer_enabled"], true, "{dir}");
    // The zone is named after the environment's default domain, the record points at its static IP: both known
    // only once the environment exists.
    let zone = change(plan, "azurerm_private_dns_zone.environment");
    assert_eq!(zone["change"]["after_unknown"]["name"], true, "{dir}");
    let record = change(plan, "azurerm_private_dns_a_record.environment_wildcard");
    assert_eq!(record["change"]["actions"], serde_json::json!(["create"]), "{dir}");
    assert_eq!(record["change"]["after"]["name"], "*", "{dir}");
    assert_eq!(record["change"]["after"]["ttl"], 300, "{dir}");
    // One address, known after apply.
    assert_eq!(
        record["change"]["after_unknown"]["records"],
        serde_json::json!([true]),
        "{dir}"
    );
    assert_eq!(record["change"]["after_unknown"]["fqdn"], true, "{dir}");
    let link = change(plan, "azurerm_private_dns_zone_virtual_network_link.environment");
    assert_eq!(link["change"]["after"]["registration_enabled"], false, "{dir}");
    assert!(checked
        .plan
        .as_ref()
        .unwrap()
        .stdout
        .contains("# azurerm_private_dns_a_record.environment_wildcard will be created"));
}

#[test]
fn the_internal_environment_validates_and_plans_as_hcl() {
    check("internal-hcl");
}

#[test]
fn the_internal_environment_validates_and_plans_as_json() {
    check("internal-json");
}
