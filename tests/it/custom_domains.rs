//! Custom domains with managed certificates (issue 25 item 6; docs/stacks.md, "Custom domains"): what is rendered
//! and in which order, in both forms and in the dependency graph. The worked platform example has one; its real
//! `terraform validate` and `plan` are `tests/terraform-provider/tests/platform_example.rs`. Host-name validation
//! is in the table of `stack_validation.rs`.

use crate::support::resource_block;
use infra::graph::Graph;
use infra::stack::Stack;
use infra::terraform::{Config, Format};

const DEV: &str = include_str!("../../stacks/dev.toml");

/// The reference dev stack (`[container_app]`, the single-app form) with one custom domain appended.
fn dev_with(domain: &str) -> Stack {
    Stack::from_toml("stacks/dev.toml", &format!("{DEV}{domain}")).unwrap_or_else(|e| panic!("{e}"))
}

const IN_ZONE: &str = "\n[[container_app.custom_domains]]\nname = \"api.dev.example.com\"\ndns_zone = { name = \"example.com\", resource_group_name = \"rg-dns\" }\n";
const NO_ZONE: &str = "\n[[container_app.custom_domains]]\nname = \"api.dev.example.com\"\n";

fn text(config: &Config, stem: &str) -> String {
    config
        .files
        .iter()
        .find(|f| f.name.starts_with(stem))
        .unwrap_or_else(|| panic!("no {stem}"))
        .to_text()
}

/// `name = value` with any alignment.
fn has(block: &str, name: &str, value: &str) -> bool {
    block.lines().any(|l| {
        l.split_once('=')
            .is_some_and(|(k, v)| k.trim() == name && v.trim() == value)
    })
}

const TXT: &str = "azurerm_dns_txt_record.app_api_dev_example_com_verification";
const CNAME: &str = "azurerm_dns_cname_record.app_api_dev_example_com";
const DOMAIN: &str = "azurerm_container_app_custom_domain.app_api_dev_example_com";
const CERTIFICATE: &str = "azurerm_container_app_environment_managed_certificate.app_api_dev_example_com";

#[test]
fn a_custom_domain_renders_in_the_order_that_applies_in_one_run() {
    let config = infra::render::render(&dev_with(IN_ZONE), Format::Hcl);
    let main = text(&config, "main");
    let txt = resource_block(&main, "azurerm_dns_txt_record", "app_api_dev_example_com_verification");
    assert!(
        has(&txt, "name", "\"asuid.api.dev\"") && has(&txt, "zone_name", "\"example.com\""),
        "{txt}"
    );
    assert!(has(&txt, "resource_group_name", "\"rg-dns\""), "{txt}");
    assert!(
        has(&txt, "value", "azurerm_container_app.app.custom_domain_verification_id"),
        "{txt}"
    );
    let cname = resource_block(&main, "azurerm_dns_cname_record", "app_api_dev_example_com");
    assert!(has(&cname, "name", "\"api.dev\""), "{cname}");
    assert!(
        has(&cname, "record", "azurerm_container_app.app.ingress[0].fqdn"),
        "{cname}"
    );
    let domain = resource_block(&main, "azurerm_container_app_custom_domain", "app_api_dev_example_com");
    assert!(has(&domain, "name", "\"api.dev.example.com\""), "{domain}");
    assert!(
        has(&domain, "container_app_id", "azurerm_container_app.app.id"),
        "{domain}"
    );
    assert!(
        has(
            &domain,
            "ignore_changes",
            "[certificate_binding_type, container_app_environment_certificate_id]"
        ),
        "{domain}"
    );
    assert!(!domain.contains("certificate_binding_type ="), "{domain}");
    let certificate = resource_block(
        &main,
        "azurerm_container_app_environment_managed_certificate",
        "app_api_dev_example_com",
    );
    assert!(has(&certificate, "name", "\"api-dev-example-com\""), "{certificate}");
    assert!(
        has(&certificate, "subject_name", "\"api.dev.example.com\""),
        "{certificate}"
    );
    assert!(
        has(&certificate, "domain_control_validation", "\"CNAME\""),
        "{certificate}"
    );
    assert!(
        has(
            &certificate,
            "container_app_environment_id",
            "azurerm_container_app_environment.main.id"
        ),
        "{certificate}"
    );
    // The order, as Terraform reads it: records → domain → certificate, and the records after the app.
    let graph = Graph::of_config(&config);
    // An edge runs from what is created first to what refers to it.
    let edge = |first: &str, then: &str| {
        let (f, t) = (graph.node(first).unwrap(), graph.node(then).unwrap());
        graph.edges.iter().find(|e| e.from == f && e.to == t).copied()
    };
    for record in [TXT, CNAME] {
        assert!(
            edge(record, DOMAIN).is_some_and(|e| e.depends_on),
            "{record} → {DOMAIN}"
        );
        assert!(edge("azurerm_container_app.app", record).is_some(), "{record}");
    }
    assert!(edge(DOMAIN, CERTIFICATE).is_some_and(|e| e.depends_on), "{CERTIFICATE}");
    assert!(edge("azurerm_container_app.app", DOMAIN).is_some());
    // Written in file order too: app, records, domain, certificate.
    let at = |head: &str| main.find(head).unwrap();
    assert!(at("\"azurerm_container_app\" \"app\"") < at("\"azurerm_dns_txt_record\""));
    assert!(at("\"azurerm_dns_cname_record\"") < at("\"azurerm_container_app_custom_domain\""));
    assert!(
        at("\"azurerm_container_app_custom_domain\"") < at("\"azurerm_container_app_environment_managed_certificate\"")
    );
}

#[test]
fn the_json_form_has_the_same_order_and_lifecycle() {
    let config = infra::render::render(&dev_with(IN_ZONE), Format::Json);
    let main: serde_json::Value = serde_json::from_str(&text(&config, "main")).unwrap();
    let domain = &main["resource"]["azurerm_container_app_custom_domain"]["app_api_dev_example_com"];
    assert_eq!(
        domain["lifecycle"]["ignore_changes"],
        serde_json::json!(["certificate_binding_type", "container_app_environment_certificate_id"]),
        "{domain}"
    );
    assert_eq!(domain["depends_on"], serde_json::json!([TXT, CNAME]), "{domain}");
    let certificate =
        &main["resource"]["azurerm_container_app_environment_managed_certificate"]["app_api_dev_example_com"];
    assert_eq!(certificate["depends_on"], serde_json::json!([DOMAIN]), "{certificate}");
    // What infra reads back is what it wrote: the graph of the JSON form has the same ordering edges.
    let graph = Graph::of_config(&config);
    let (c, d) = (graph.node(CERTIFICATE).unwrap(), graph.node(DOMAIN).unwrap());
    assert!(graph.edges.iter().any(|e| e.from == d && e.to == c && e.depends_on));
}

#[test]
fn without_a_zone_the_records_are_the_users_and_their_values_are_outputs() {
    let config = infra::render::render(&dev_with(NO_ZONE), Format::Hcl);
    let main = text(&config, "main");
    assert!(!main.contains("azurerm_dns_"), "{main}");
    let domain = resource_block(&main, "azurerm_container_app_custom_domain", "app_api_dev_example_com");
    assert!(!domain.contains("depends_on"), "{domain}");
    let outputs = text(&config, "outputs");
    let verification = outputs
        .split("output ")
        .find(|o| o.starts_with("\"container_app_custom_domain_verification_id\""))
        .unwrap_or_else(|| panic!("{outputs}"));
    // The provider marks the verification ID sensitive: an output of it must be too, or plan fails.
    assert!(has(verification, "sensitive", "true"), "{verification}");
    assert!(has(
        verification,
        "value",
        "azurerm_container_app.app.custom_domain_verification_id"
    ));
    assert!(
        outputs.contains("output \"container_app_custom_domain_cname_target\""),
        "{outputs}"
    );
    // With a zone there are no such outputs.
    let with_zone = text(&infra::render::render(&dev_with(IN_ZONE), Format::Hcl), "outputs");
    assert!(!with_zone.contains("custom_domain"), "{with_zone}");
}

#[test]
fn custom_domains_round_trip_through_the_stack_file() {
    let stack = dev_with(IN_ZONE);
    let app = stack.container_app.as_ref().unwrap();
    assert_eq!(app.custom_domains.len(), 1);
    let again = Stack::from_toml("stacks/dev.toml", &toml::to_string(&stack).unwrap()).unwrap();
    assert_eq!(again.container_app.unwrap().custom_domains, app.custom_domains);
}

/// Dev with an own vault and a second custom domain whose certificate is in it (`tests/fixtures/stacks/
/// custom-domains.toml`, which the test provider validates and plans).
const FIXTURE: &str = "tests/fixtures/stacks/custom-domains.toml";

#[test]
fn a_certificate_from_key_vault_is_read_by_the_environment_after_the_grant_and_bound_with_sni() {
    let stack = Stack::load(std::path::Path::new(FIXTURE)).unwrap();
    let config = infra::render::render(&stack, Format::Hcl);
    let main = text(&config, "main");
    let label = "app_www_dev_example_com";
    let certificate = resource_block(&main, "azurerm_container_app_environment_certificate", label);
    assert!(has(&certificate, "name", "\"www-dev-example-com\""), "{certificate}");
    assert!(
        has(&certificate, "identity", "azurerm_user_assigned_identity.app.id"),
        "{certificate}"
    );
    assert!(
        has(
            &certificate,
            "key_vault_secret_id",
            "\"https://kv-platform.vault.azure.net/secrets/www-dev-example-com\""
        ),
        "{certificate}"
    );
    let domain = resource_block(&main, "azurerm_container_app_custom_domain", label);
    assert!(has(&domain, "certificate_binding_type", "\"SniEnabled\""), "{domain}");
    assert!(
        has(
            &domain,
            "container_app_environment_certificate_id",
            &format!("azurerm_container_app_environment_certificate.{label}.id")
        ),
        "{domain}"
    );
    // Nothing changes outside Terraform: nothing is ignored.
    assert!(!domain.contains("lifecycle"), "{domain}");
    // The environment reads the certificate with the app's identity, granted Key Vault Secrets User on the vault.
    let environment = resource_block(&main, "azurerm_container_app_environment", "main");
    assert!(
        has(&environment, "identity_ids", "[azurerm_user_assigned_identity.app.id]"),
        "{environment}"
    );
    let grant = resource_block(&main, "azurerm_role_assignment", "key_vault_secrets_user");
    assert!(
        has(&grant, "role_definition_name", "\"Key Vault Secrets User\""),
        "{grant}"
    );
    let graph = Graph::of_config(&config);
    let edge = |first: &str, then: &str| {
        let (f, t) = (graph.node(first).unwrap(), graph.node(then).unwrap());
        graph.edges.iter().any(|e| e.from == f && e.to == t)
    };
    let certificate = format!("azurerm_container_app_environment_certificate.{label}");
    assert!(edge("time_sleep.acr_pull_propagation", &certificate));
    assert!(edge(
        &certificate,
        &format!("azurerm_container_app_custom_domain.{label}")
    ));
    assert!(edge(
        &format!("azurerm_dns_cname_record.{label}"),
        &format!("azurerm_container_app_custom_domain.{label}")
    ));
    // No managed certificate for it.
    assert!(!main.contains(&format!(
        "\"azurerm_container_app_environment_managed_certificate\" \"{label}\""
    )));
}

#[test]
fn without_a_certificate_from_key_vault_the_environment_has_no_identity() {
    for stack in ["stacks/dev.toml", "stacks/prod.toml"] {
        let config = infra::render::render(&Stack::load(std::path::Path::new(stack)).unwrap(), Format::Hcl);
        let main = text(&config, "main");
        let environment = resource_block(&main, "azurerm_container_app_environment", "main");
        assert!(!environment.contains("identity"), "{stack}");
    }
    let main = text(&infra::render::render(&dev_with(IN_ZONE), Format::Hcl), "main");
    assert!(!resource_block(&main, "azurerm_container_app_environment", "main").contains("identity"));
}

#[test]
fn the_rendered_fixtures_are_fresh() {
    for format in ["hcl", "json"] {
        crate::support::assert_fixture_fresh(FIXTURE, &format!("custom-domains-{format}"), format);
    }
}
