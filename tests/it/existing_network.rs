//! An existing virtual network and a registry in another subscription (issue 25 item 3): the landing zone's network
//! and subnets are read with data sources (or given by ID), the subnets the stack creates go into that network,
//! its private DNS zones are linked to it, and a registry in a shared-services subscription is read through an
//! aliased provider with AcrPull still granted on its ID. The fixture stack is
//! tests/fixtures/stacks/app-on-landing-zone.toml; its rendered form is committed for the test provider
//! (tests/terraform-provider/tests/existing_network.rs validates and plans it). Refusals are rows of
//! `stack_validation::CASES`.

use infra::stack::Stack;
use infra::terraform::{Config, Format};
use std::path::Path;
use std::process::Command;

const FIXTURE: &str = "tests/fixtures/stacks/app-on-landing-zone.toml";

fn render(stack: &Stack) -> String {
    let config: Config = infra::render::render(stack, Format::Hcl);
    config.files.iter().map(|f| f.to_text()).collect::<Vec<_>>().join("\n")
}

/// The fixture with `(old, new)` edits, each `old` occurring once.
fn edited(edits: &[(&str, &str)]) -> Stack {
    let mut text = std::fs::read_to_string(FIXTURE).unwrap();
    for (old, new) in edits {
        assert_eq!(text.matches(old).count(), 1, "{old}");
        text = text.replacen(old, new, 1);
    }
    Stack::from_toml(FIXTURE, &text).unwrap_or_else(|e| panic!("{e}"))
}

/// The text of `<kind> "<type>" "<name>" { … }` in rendered HCL.
fn block(hcl: &str, head: &str) -> String {
    let start = hcl
        .find(head)
        .unwrap_or_else(|| panic!("{head} not rendered in\n{hcl}"));
    let end = hcl[start..].find("\n}\n").map(|e| start + e + 3).unwrap();
    hcl[start..end].to_string()
}

#[test]
fn the_landing_zone_network_is_read_and_not_created() {
    let hcl = render(&Stack::load(Path::new(FIXTURE)).unwrap());
    assert!(!hcl.contains("resource \"azurerm_virtual_network\""), "{hcl}");
    let vnet = block(&hcl, "data \"azurerm_virtual_network\" \"main\" {");
    assert!(vnet.contains("name                = \"vnet-lz-spoke-shop\""), "{vnet}");
    assert!(vnet.contains("resource_group_name = \"rg-lz-network\""), "{vnet}");
    // The environment's subnet is the network team's: read by name, in the network the data source read.
    let subnet = block(&hcl, "data \"azurerm_subnet\" \"environment\" {");
    assert!(subnet.contains("name                 = \"snet-aca\""), "{subnet}");
    assert!(
        subnet.contains("virtual_network_name = data.azurerm_virtual_network.main.name"),
        "{subnet}"
    );
    assert!(
        subnet.contains("resource_group_name  = data.azurerm_virtual_network.main.resource_group_name"),
        "{subnet}"
    );
    assert!(!hcl.contains("resource \"azurerm_subnet\" \"environment\""), "{hcl}");
    let env = block(&hcl, "resource \"azurerm_container_app_environment\" \"main\" {");
    assert!(
        env.contains("infrastructure_subnet_id       = data.azurerm_subnet.environment.id"),
        "{env}"
    );
    // The endpoints' subnet is the stack's, created in the existing network and its resource group.
    let endpoints = block(&hcl, "resource \"azurerm_subnet\" \"private_endpoints\" {");
    assert!(
        endpoints.contains("resource_group_name  = data.azurerm_virtual_network.main.resource_group_name"),
        "{endpoints}"
    );
    assert!(
        endpoints.contains("virtual_network_name = data.azurerm_virtual_network.main.name"),
        "{endpoints}"
    );
    let pe = block(&hcl, "resource \"azurerm_private_endpoint\" \"file\" {");
    assert!(
        pe.contains("subnet_id           = azurerm_subnet.private_endpoints.id"),
        "{pe}"
    );
    // Both private DNS zones (the file endpoint's, the internal environment's) are linked to the existing network.
    for label in ["file", "environment"] {
        let link = block(
            &hcl,
            &format!("resource \"azurerm_private_dns_zone_virtual_network_link\" \"{label}\" {{"),
        );
        assert!(
            link.contains("virtual_network_id    = data.azurerm_virtual_network.main.id"),
            "{link}"
        );
    }
}

#[test]
fn a_registry_in_another_subscription_is_read_through_an_aliased_provider() {
    let hcl = render(&Stack::load(Path::new(FIXTURE)).unwrap());
    let alias = "provider \"azurerm\" {\n  alias           = \"registry\"\n  subscription_id = \"11111111-2222-3333-4444-555555555555\"\n\n  features {}\n}\n";
    assert!(hcl.contains(alias), "{hcl}");
    assert_eq!(hcl.matches("provider \"azurerm\" {").count(), 2, "{hcl}");
    let registry = block(&hcl, "data \"azurerm_container_registry\" \"main\" {");
    assert!(
        registry.contains("provider            = azurerm.registry"),
        "{registry}"
    );
    // Nothing else is read or created in the registry's subscription.
    assert_eq!(hcl.matches("azurerm.registry").count(), 1, "{hcl}");
    // AcrPull is granted on the registry's ID (a scope in another subscription of the tenant), and the app waits.
    let grant = block(&hcl, "resource \"azurerm_role_assignment\" \"acr_pull\" {");
    assert!(
        grant.contains("scope                = data.azurerm_container_registry.main.id"),
        "{grant}"
    );
    let app = block(&hcl, "resource \"azurerm_container_app\" \"app\" {");
    assert!(app.contains("depends_on = [time_sleep.acr_pull_propagation]"), "{app}");
    // The JSON form: a list of two provider blocks, and the data source's provider as a bare reference.
    let json = infra::render::render(&Stack::load(Path::new(FIXTURE)).unwrap(), Format::Json);
    let text: String = json.files.iter().map(|f| f.to_text()).collect();
    assert!(text.contains("\"alias\": \"registry\""), "{text}");
    assert!(text.contains("\"provider\": \"azurerm.registry\""), "{text}");
}

#[test]
fn a_registry_in_the_providers_subscription_needs_no_second_provider() {
    let stack = edited(&[("subscription_id = \"11111111-2222-3333-4444-555555555555\"\n", "")]);
    let hcl = render(&stack);
    assert_eq!(hcl.matches("provider \"azurerm\" {").count(), 1, "{hcl}");
    assert!(!hcl.contains("azurerm.registry"), "{hcl}");
}

#[test]
fn a_network_given_by_id_is_written_as_that_id() {
    // No read at plan time: the links take the ID, the created subnet and the existing subnet's data source the
    // network's group and name from it.
    let id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-lz-network/providers/Microsoft.Network/virtualNetworks/vnet-lz-spoke-shop";
    let stack = edited(&[(
        "name = \"vnet-lz-spoke-shop\"\nresource_group_name = \"rg-lz-network\"\n",
        &format!("id = \"{id}\"\n"),
    )]);
    let hcl = render(&stack);
    assert!(!hcl.contains("azurerm_virtual_network"), "{hcl}");
    assert_eq!(
        hcl.matches(&format!("virtual_network_id    = \"{id}\"")).count(),
        2,
        "{hcl}"
    );
    let endpoints = block(&hcl, "resource \"azurerm_subnet\" \"private_endpoints\" {");
    assert!(
        endpoints.contains("resource_group_name  = \"rg-lz-network\""),
        "{endpoints}"
    );
    assert!(
        endpoints.contains("virtual_network_name = \"vnet-lz-spoke-shop\""),
        "{endpoints}"
    );
    let subnet = block(&hcl, "data \"azurerm_subnet\" \"environment\" {");
    assert!(
        subnet.contains("virtual_network_name = \"vnet-lz-spoke-shop\""),
        "{subnet}"
    );
}

#[test]
fn an_environment_subnet_created_in_the_existing_network_is_delegated_and_may_have_an_nsg() {
    let stack = edited(&[(
        "[network.environment_subnet]\nname = \"snet-aca\"\n",
        "[network.environment_subnet]\nname = \"snet-shop-aca\"\naddress_prefix = \"10.50.5.0/27\"\n\n[network.network_security_group]\nname = \"nsg-shop-aca\"\n",
    )]);
    let hcl = render(&stack);
    assert!(!hcl.contains("data \"azurerm_subnet\""), "{hcl}");
    let subnet = block(&hcl, "resource \"azurerm_subnet\" \"environment\" {");
    assert!(
        subnet.contains("resource_group_name  = data.azurerm_virtual_network.main.resource_group_name"),
        "{subnet}"
    );
    assert!(subnet.contains("= \"Microsoft.App/environments\""), "{subnet}");
    let env = block(&hcl, "resource \"azurerm_container_app_environment\" \"main\" {");
    assert!(
        env.contains("infrastructure_subnet_id       = azurerm_subnet.environment.id"),
        "{env}"
    );
    assert!(
        env.contains("depends_on = [azurerm_subnet_network_security_group_association.environment]"),
        "{env}"
    );
}

#[test]
fn the_landing_zone_fixtures_are_fresh() {
    for (dir, format) in [("landing-zone-hcl", "hcl"), ("landing-zone-json", "json")] {
        crate::support::assert_fixture_fresh(FIXTURE, dir, format);
    }
}

#[test]
fn check_finds_nothing_wrong_with_data_source_subnets() {
    // APPLY006 (the environment subnet's size and delegation), APPLY007, APPLY008 and NET001 follow references to
    // subnets and networks: a data source's size and delegation are not known, so nothing is judged on them.
    for dir in ["landing-zone-hcl", "landing-zone-json"] {
        let path = format!("tests/terraform-provider/tests/fixtures/{dir}");
        let run = Command::new(env!("CARGO_BIN_EXE_infra"))
            .args(["check", &path, "--format", "json"])
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&run.stdout);
        assert!(run.status.success(), "{out}{}", String::from_utf8_lossy(&run.stderr));
        let report: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
        let findings = report["findings"].as_array().unwrap_or_else(|| panic!("{out}"));
        assert!(findings.is_empty(), "{dir}: {findings:#?}");
        assert_eq!(report["summary"]["resources"], 17, "{dir}: {out}");
    }
}

/// `infra drift` on the landing-zone stack against a fake ARM: the subnet the stack creates in the existing
/// network is read through that network (in its resource group) and compared, not reported missing; the
/// network itself and its existing subnet are read, not declared, so they are not compared.
#[tokio::test]
async fn drift_reads_a_created_subnet_through_the_existing_network() {
    use crate::support::arm::{CLIENT_ID, SUBSCRIPTION, TENANT};
    use crate::support::fake_arm::{FakeArm, Reply};
    use infra::drift::{Azure, AzureSettings, Status, Target};
    use serde_json::json;

    let config = infra::render::render(&Stack::load(Path::new(FIXTURE)).unwrap(), Format::Hcl);
    let target = Target::from_config(&config).unwrap();
    assert_eq!(
        target.network.existing_virtual_networks,
        [("rg-lz-network".to_string(), "vnet-lz-spoke-shop".to_string())]
    );
    assert!(target.network.virtual_networks.is_empty(), "{target:#?}");

    let fake = FakeArm::start(TENANT, CLIENT_ID, "secret").await;
    let rg = format!("/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-shop-lz-test");
    fake.set(
        &rg,
        Reply::json(
            200,
            &json!({ "id": rg, "name": "rg-shop-lz-test", "location": "westeurope",
            "properties": { "provisioningState": "Succeeded" } }),
        ),
    );
    let vnet = format!(
        "/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-lz-network/providers/Microsoft.Network/virtualNetworks/vnet-lz-spoke-shop"
    );
    let subnet = |name: &str, prefix: &str| {
        json!({ "id": format!("{vnet}/subnets/{name}"), "name": name,
            "properties": { "addressPrefix": prefix, "delegations": [] } })
    };
    fake.set(
        &vnet,
        Reply::json(
            200,
            &json!({ "id": vnet, "name": "vnet-lz-spoke-shop", "location": "westeurope",
            "properties": { "addressSpace": { "addressPrefixes": ["10.50.0.0/16"] },
                "subnets": [subnet("snet-aca", "10.50.0.0/23"), subnet("snet-shop-endpoints", "10.50.4.0/28")] } }),
        ),
    );
    let base = fake.base_url();
    let env = |key: &str| -> Option<String> {
        match key {
            "AZURE_TENANT_ID" => Some(TENANT.into()),
            "AZURE_CLIENT_ID" => Some(CLIENT_ID.into()),
            "AZURE_CLIENT_SECRET" => Some("secret".into()),
            "INFRA_ARM_ENDPOINT" | "AZURE_AUTHORITY_HOST" => Some(base.clone()),
            _ => None,
        }
    };
    let settings = AzureSettings::from_lookup(SUBSCRIPTION, &env).unwrap();
    let live = Azure::connect(&settings).unwrap().read_live(&target).await.unwrap();
    assert!(
        !live
            .objects
            .iter()
            .any(|o| o.resource_type == "azurerm_virtual_network"),
        "the existing network is not declared: {:#?}",
        live.objects
    );
    let report = infra::drift::compare(&config, &live.objects);
    let endpoints = report
        .resources
        .iter()
        .find(|r| r.address == "azurerm_subnet.private_endpoints")
        .unwrap_or_else(|| panic!("{report:#?}"));
    assert_eq!(endpoints.status, Status::InSync, "{endpoints:#?}");
    assert!(
        !report
            .resources
            .iter()
            .any(|r| r.address.contains("environment") && r.resource_type == "azurerm_subnet"),
        "{report:#?}"
    );
}
