//! `[network] internal_load_balancer = true`: the environment behind an internal load balancer, with the private
//! DNS zone for its default domain, the zone's link to the virtual network and a wildcard A record to its static
//! IP. The fixture stack is tests/fixtures/stacks/internal.toml; its rendered form is committed for the test
//! provider (tests/terraform-provider/tests/internal_load_balancer.rs validates and plans it).

use crate::support::resource_block;
use infra::stack::Stack;
use infra::terraform::{Config, Format};
use std::path::Path;

const FIXTURE: &str = "tests/fixtures/stacks/internal.toml";

fn render(path: &str) -> String {
    let stack = Stack::load(Path::new(path)).unwrap();
    let config: Config = infra::render::render(&stack, Format::Hcl);
    config.files.iter().map(|f| f.to_text()).collect::<Vec<_>>().join("\n")
}

/// `name = value` with any alignment.
fn has(block: &str, name: &str, value: &str) -> bool {
    block.lines().any(|l| {
        l.trim_start().starts_with(name)
            && l.split_once('=')
                .is_some_and(|(k, v)| k.trim() == name && v.trim() == value)
    })
}

#[test]
fn the_environment_gets_an_internal_load_balancer_and_its_private_dns() {
    let hcl = render(FIXTURE);
    let env = resource_block(&hcl, "azurerm_container_app_environment", "main");
    assert!(has(&env, "internal_load_balancer_enabled", "true"), "{env}");
    assert!(
        has(&env, "infrastructure_subnet_id", "azurerm_subnet.environment.id"),
        "{env}"
    );

    let zone = resource_block(&hcl, "azurerm_private_dns_zone", "environment");
    assert!(
        has(&zone, "name", "azurerm_container_app_environment.main.default_domain"),
        "{zone}"
    );

    let link = resource_block(&hcl, "azurerm_private_dns_zone_virtual_network_link", "environment");
    assert!(
        has(
            &link,
            "private_dns_zone_name",
            "azurerm_private_dns_zone.environment.name"
        ),
        "{link}"
    );
    assert!(
        has(&link, "virtual_network_id", "azurerm_virtual_network.main.id"),
        "{link}"
    );

    let record = resource_block(&hcl, "azurerm_private_dns_a_record", "environment_wildcard");
    assert!(has(&record, "name", "\"*\""), "{record}");
    assert!(
        has(&record, "zone_name", "azurerm_private_dns_zone.environment.name"),
        "{record}"
    );
    assert!(has(&record, "ttl", "300"), "{record}");
    assert!(
        has(
            &record,
            "records",
            "[azurerm_container_app_environment.main.static_ip_address]"
        ),
        "{record}"
    );
    // Rendered after the environment it refers to.
    assert!(
        hcl.find("\"azurerm_container_app_environment\" \"main\"").unwrap()
            < hcl.find("\"azurerm_private_dns_a_record\"").unwrap()
    );
}

#[test]
fn without_it_nothing_changes() {
    // prod keeps its public ingress; dev has no network at all.
    for stack in ["stacks/prod.toml", "stacks/dev.toml"] {
        let hcl = render(stack);
        assert!(!hcl.contains("internal_load_balancer_enabled"), "{stack}");
        assert!(!hcl.contains("azurerm_private_dns_a_record"), "{stack}");
        assert!(!hcl.contains("default_domain"), "{stack}");
    }
}

#[test]
fn the_key_round_trips_through_the_stack_file() {
    let stack = Stack::load(Path::new(FIXTURE)).unwrap();
    assert!(stack.network.as_ref().unwrap().internal_load_balancer);
    let again = Stack::from_toml("again.toml", &stack.to_toml()).unwrap();
    assert_eq!(again.network, stack.network);
    // Off is the default and is not written.
    let prod = Stack::load(Path::new("stacks/prod.toml")).unwrap();
    assert!(!prod.to_toml().contains("internal_load_balancer"));
}

#[test]
fn outside_network_it_is_an_error_that_points_to_network() {
    let text = std::fs::read_to_string("stacks/dev.toml")
        .unwrap()
        .replace("[environment]\n", "[environment]\ninternal_load_balancer = true\n");
    assert!(text.contains("internal_load_balancer = true"));
    let error = Stack::from_toml("dev.toml", &text).unwrap_err().to_string();
    assert!(
        error.contains("unknown key `internal_load_balancer` in [environment]"),
        "{error}"
    );
    assert!(
        error.contains("help: an internal load balancer needs a virtual network"),
        "{error}"
    );
    assert!(error.contains("[network]"), "{error}");
}

#[test]
fn the_rendered_fixtures_are_fresh() {
    // What the test provider validates and plans is what infra renders today.
    for (dir, format) in [("internal-hcl", "hcl"), ("internal-json", "json")] {
        crate::support::assert_fixture_fresh(FIXTURE, dir, format);
    }
}
