//! Issue 22, part 1: prod deploys from CI as shipped. The provider reads storage through ARM only (no runner has
//! to pass the storage firewall), no variable lets an address the provider refuses into the firewall, the
//! environment follows every other update of its subnet, the webhook's endpoint is the team's (no placeholder),
//! the stack offers the runners a subnet, and the shipped custom roles cover what refreshing and applying every
//! rendered resource type calls (docs/azure-roles.md cites each call). The pipelines' runners are tested in
//! `ci_workflows.rs`.

use infra::render::render;
use infra::stack::Stack;
use infra::terraform::expr::{normalize, to_hcl};
use infra::terraform::{Config, Format};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

fn stack_text(name: &str) -> String {
    read(&format!("stacks/{name}.toml"))
}

fn stack(name: &str) -> Stack {
    Stack::from_toml(&format!("stacks/{name}.toml"), &stack_text(name)).unwrap_or_else(|e| panic!("{e}"))
}

/// prod with `old` replaced once by `new`, loaded: the stack or the error's text.
fn prod_with(old: &str, new: &str) -> Result<Stack, String> {
    let text = stack_text("prod");
    assert_eq!(text.matches(old).count(), 1, "edit target {old:?} must occur once");
    Stack::from_toml("stacks/prod.toml", &text.replacen(old, new, 1)).map_err(|e| e.to_string())
}

fn file_text(config: &Config, name: &str) -> String {
    config.files.iter().find(|f| f.name == name).unwrap().to_text()
}

fn attr(config: &Config, address: &str, name: &str) -> Option<String> {
    let resource = config.resource(address).unwrap_or_else(|| panic!("no {address}"));
    resource.body().get(name).map(|e| to_hcl(&normalize(e)))
}

/// Every stack this repository renders, and a dev with the purge task, the internal-load-balancer fixture and the
/// custom-domains fixture:
/// every resource type infra can render.
fn every_rendering() -> Vec<Config> {
    let cleanup = format!(
        "{}\n[container_registry.cleanup]\nname = \"purge\"\nschedule = \"0 1 * * Sun\"\nkeep = 10\n",
        stack_text("dev")
    );
    let stacks = [
        stack("dev"),
        stack("prod"),
        Stack::from_toml("stacks/dev.toml", &cleanup).unwrap_or_else(|e| panic!("{e}")),
        Stack::from_toml(
            "tests/fixtures/stacks/internal.toml",
            &read("tests/fixtures/stacks/internal.toml"),
        )
        .unwrap_or_else(|e| panic!("{e}")),
        // Custom domains: DNS records, the domain, a managed certificate and one from Key Vault.
        Stack::from_toml(
            "tests/fixtures/stacks/custom-domains.toml",
            &read("tests/fixtures/stacks/custom-domains.toml"),
        )
        .unwrap_or_else(|e| panic!("{e}")),
    ];
    stacks.iter().map(|s| render(s, Format::Hcl)).collect()
}

/// Why: refreshing a network-restricted storage account reads its data plane, which the firewall refuses to every
/// runner outside the network. The provider's switch is on in both stacks, in both formats.
#[test]
fn the_provider_reads_storage_through_arm_only() {
    for name in ["dev", "prod"] {
        let hcl = file_text(&render(&stack(name), Format::Hcl), "providers.tf");
        assert!(
            hcl.contains("provider \"azurerm\" {\n  features {\n    storage {\n      data_plane_available = false\n    }\n  }\n}"),
            "{hcl}"
        );
        let json: Value =
            serde_json::from_str(&file_text(&render(&stack(name), Format::Json), "providers.tf.json")).unwrap();
        assert_eq!(
            json["provider"]["azurerm"]["features"]["storage"]["data_plane_available"],
            Value::Bool(false),
            "{json}"
        );
    }
}

/// With the data plane off the provider refuses `queue_properties` and `static_website`, and a share named by
/// `storage_account_name` goes through the data plane: nothing infra renders may need it.
#[test]
fn nothing_rendered_needs_the_storage_data_plane() {
    for config in every_rendering() {
        for r in config.resources() {
            let body = r.body();
            match r.address().resource_type.as_str() {
                "azurerm_storage_account" => {
                    for needs in ["queue_properties", "static_website"] {
                        assert!(
                            body.block(needs).is_none() && body.get(needs).is_none(),
                            "{}: {needs}",
                            r.address()
                        );
                    }
                }
                "azurerm_storage_share" => {
                    assert!(body.get("storage_account_id").is_some(), "{}", r.address());
                    assert!(body.get("storage_account_name").is_none(), "{}", r.address());
                }
                _ => {}
            }
        }
    }
}

/// Why: `storage_ip_allow_list` accepted `/32`, which the provider refuses, and only changed the desired
/// configuration, not what refresh meets. It is gone; the firewall's rules are the stack's, as literals.
#[test]
fn no_variable_opens_the_storage_firewall() {
    let config = render(&stack("prod"), Format::Hcl);
    let variables = file_text(&config, "variables.tf");
    assert!(!variables.contains("storage_ip_allow_list"), "{variables}");
    let account = config.resource("azurerm_storage_account.data").unwrap();
    let rules = account.body().block("network_rules").unwrap();
    assert_eq!(to_hcl(rules.body.get("ip_rules").unwrap()), "[]");
    let with_range = prod_with(
        "ip_allow_list = []",
        "ip_allow_list = [\"20.50.2.0/24\", \"20.50.3.7\"]",
    )
    .unwrap();
    let config = render(&with_range, Format::Hcl);
    let account = config.resource("azurerm_storage_account.data").unwrap();
    let rules = account.body().block("network_rules").unwrap();
    assert_eq!(
        to_hcl(rules.body.get("ip_rules").unwrap()),
        "[\"20.50.2.0/24\", \"20.50.3.7\"]"
    );
}

/// The provider's `StorageAccountIpRule` accepts prefixes `0`-`30` without a leading zero, and no RFC 1918 range.
#[test]
fn storage_ip_rules_are_what_the_provider_accepts() {
    let list = |ips: &str| prod_with("ip_allow_list = []", &format!("ip_allow_list = [{ips}]"));
    assert!(list("\"20.50.2.0/30\", \"20.50.2.7\", \"0.0.0.0/0\"").is_ok());
    let e = list("\"20.50.2.7/32\"").unwrap_err();
    assert!(e.contains("stacks/prod.toml:") && e.contains("ip_allow_list[0] = \"20.50.2.7/32\": a storage firewall takes no /31 or /32 range\n  help: write the address alone, e.g. \"20.50.2.7\""), "{e}");
    let e = list("\"20.50.2.6/031\"").unwrap_err();
    assert!(
        e.contains("ip_allow_list[0] = \"20.50.2.6/031\": a storage firewall takes no /31 or /32 range"),
        "{e}"
    );
    let e = list("\"20.50.0.0/016\"").unwrap_err();
    assert!(
        e.contains("ip_allow_list[0] = \"20.50.0.0/016\": the prefix /016 has a leading zero, which the provider's IP rule validation refuses\n  help: write \"20.50.0.0/16\""),
        "{e}"
    );
    let e = list("\"192.168.1.0/24\"").unwrap_err();
    assert!(e.contains("is a private address (192.168.0.0/16, RFC 1918)"), "{e}");
}

/// Why: the environment and the NSG association both update the environment's subnet; without an order Azure
/// refuses the second with 409 AnotherOperationInProgress.
#[test]
fn the_environment_follows_every_other_update_of_its_subnet() {
    let prod = render(&stack("prod"), Format::Hcl);
    assert_eq!(
        attr(&prod, "azurerm_container_app_environment.main", "depends_on").as_deref(),
        Some("[azurerm_subnet_network_security_group_association.environment]")
    );
    let json = render(&stack("prod"), Format::Json);
    let main: Value = serde_json::from_str(&file_text(&json, "main.tf.json")).unwrap();
    let env = &main["resource"]["azurerm_container_app_environment"]["main"];
    let env = env.get(0).unwrap_or(env);
    assert_eq!(
        env["depends_on"],
        serde_json::json!(["azurerm_subnet_network_security_group_association.environment"])
    );
    // Nothing else updates the subnet without an NSG, or without a network.
    let no_nsg = prod_with(
        "[network.network_security_group]\nname = \"nsg-cae-fastapi-prod\"\n",
        "",
    )
    .unwrap();
    assert_eq!(
        attr(
            &render(&no_nsg, Format::Hcl),
            "azurerm_container_app_environment.main",
            "depends_on"
        ),
        None
    );
    assert_eq!(
        attr(
            &render(&stack("dev"), Format::Hcl),
            "azurerm_container_app_environment.main",
            "depends_on"
        ),
        None
    );
}

/// Why: the webhook URI was a placeholder nobody was asked to replace. prod's is now the required sensitive
/// variable (no default: terraform refuses to plan without it), and a placeholder host is refused at load.
#[test]
fn the_webhook_uri_is_the_teams_not_a_placeholder() {
    let config = render(&stack("prod"), Format::Hcl);
    assert_eq!(
        attr(&config, "azurerm_container_registry_webhook.cdpush", "service_uri").as_deref(),
        Some("var.webhook_cdpush_service_uri")
    );
    let variables = file_text(&config, "variables.tf");
    let start = variables
        .find("variable \"webhook_cdpush_service_uri\" {")
        .expect("the variable");
    let block = &variables[start..start + variables[start..].find("\n}\n").unwrap()];
    assert!(!block.contains("default"), "required: {block}");
    assert!(
        block.contains("sensitive   = true") && block.contains("nullable    = false"),
        "{block}"
    );
    let hook = "headers = [\"Authorization\"]";
    for (uri, reserved) in [
        ("https://ci.example.com/hooks/acr/fastapi-app", "example.com (RFC 2606)"),
        ("https://EXAMPLE.org./hook", "example.org (RFC 2606)"),
        ("https://hooks.ci.test/acr", "the .test domain (RFC 2606)"),
        ("https://localhost:8443/acr", "the .localhost domain (RFC 2606)"),
    ] {
        let e = prod_with(hook, &format!("service_uri = \"{uri}\"\n{hook}")).unwrap_err();
        assert!(
            e.contains(&format!(
                "container_registry.webhooks[0].service_uri = \"{uri}\" is a placeholder: {reserved} is reserved for examples and reaches no CI/CD endpoint"
            )) && e.contains("help: write an https:// URI without credentials, or remove service_uri and set the sensitive variable webhook_cdpush_service_uri at plan time"),
            "{e}"
        );
        assert!(
            e.starts_with("stacks/prod.toml:4") || e.contains("stacks/prod.toml:"),
            "{e}"
        );
    }
    let real = prod_with(
        hook,
        &format!("service_uri = \"https://ci.contoso-example.com/hooks/acr\"\n{hook}"),
    )
    .unwrap();
    assert_eq!(
        attr(
            &render(&real, Format::Hcl),
            "azurerm_container_registry_webhook.cdpush",
            "service_uri"
        )
        .as_deref(),
        Some("\"https://ci.contoso-example.com/hooks/acr\"")
    );
}

/// The runners that push to prod's private registry get a subnet of the stack's network, where the privatelink
/// zones resolve; it is checked like the others.
#[test]
fn the_stack_offers_the_runners_a_subnet() {
    let config = render(&stack("prod"), Format::Hcl);
    assert_eq!(
        attr(&config, "azurerm_subnet.runners", "name").as_deref(),
        Some("\"snet-runners\"")
    );
    assert_eq!(
        attr(&config, "azurerm_subnet.runners", "address_prefixes").as_deref(),
        Some("[\"10.20.3.0/27\"]")
    );
    assert_eq!(
        attr(&config, "azurerm_subnet.runners", "virtual_network_name").as_deref(),
        Some("azurerm_virtual_network.main.name")
    );
    let runner = "name = \"snet-runners\"\naddress_prefix = \"10.20.3.0/27\"";
    let e = prod_with(runner, "name = \"snet-runners\"\naddress_prefix = \"10.20.2.16/28\"").unwrap_err();
    assert!(e.contains("network.runner_subnet.address_prefix = \"10.20.2.16/28\" overlaps network.private_endpoint_subnet.address_prefix = \"10.20.2.0/27\""), "{e}");
    let e = prod_with(runner, "name = \"snet-runners\"\naddress_prefix = \"10.20.3.0/30\"").unwrap_err();
    assert!(
        e.contains("network.runner_subnet.address_prefix = \"10.20.3.0/30\" is too small"),
        "{e}"
    );
    let e = prod_with(
        runner,
        "name = \"snet-private-endpoints\"\naddress_prefix = \"10.20.3.0/27\"",
    )
    .unwrap_err();
    assert!(
        e.contains(
            "network.runner_subnet.name = \"snet-private-endpoints\" is the name of network.private_endpoint_subnet"
        ),
        "{e}"
    );
}

// ---------------------------------------------------------------------------------------------------------------
// The custom roles

/// docs/azure-roles.md's table: (resource type, action, roles), one row per action a type needs.
fn cited_actions() -> Vec<(String, String, String)> {
    let doc = read("docs/azure-roles.md");
    let mut rows = Vec::new();
    for line in doc.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        assert_eq!(cells.len(), 4, "{line}");
        assert!(cells[3].len() > 10, "every action names its source: {line}");
        rows.push((
            cells[0].trim_matches('`').to_string(),
            cells[1].trim_matches('`').to_string(),
            cells[2].to_string(),
        ));
    }
    assert!(rows.len() > 40, "the table was not found: {} rows", rows.len());
    rows
}

/// A role definition file in the shape `az role definition create --role-definition @file` takes; its actions.
fn role(path: &str) -> BTreeSet<String> {
    let json: Value = serde_json::from_str(&read(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    let keys: BTreeSet<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        BTreeSet::from([
            "Name",
            "IsCustom",
            "Description",
            "Actions",
            "NotActions",
            "DataActions",
            "NotDataActions",
            "AssignableScopes"
        ]),
        "{path}"
    );
    assert_eq!(json["IsCustom"], Value::Bool(true), "{path}");
    assert!(json["Name"].as_str().is_some_and(|n| !n.is_empty()), "{path}");
    for empty in ["NotActions", "DataActions", "NotDataActions"] {
        assert_eq!(json[empty], serde_json::json!([]), "{path}: {empty}");
    }
    let scope = regex::Regex::new(r"^/subscriptions/[0-9a-f-]{36}(/resourceGroups/[-\w._()]+)?$").unwrap();
    let scopes = json["AssignableScopes"].as_array().unwrap();
    assert!(
        !scopes.is_empty() && scopes.iter().all(|s| s.as_str().is_some_and(|s| scope.is_match(s))),
        "{path}"
    );
    let action = regex::Regex::new(r"^Microsoft\.[A-Za-z]+(/[A-Za-z]+)+/(read|write|delete|action)$").unwrap();
    let actions: Vec<String> = json["Actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect();
    for a in &actions {
        assert!(action.is_match(a), "{path}: {a} is not an action (no wildcards)");
    }
    let set: BTreeSet<String> = actions.iter().cloned().collect();
    assert_eq!(set.len(), actions.len(), "{path}: an action listed twice");
    set
}

/// Why: Reader cannot refresh a container app (`listSecrets`) or a webhook (`getCallbackConfig`), POST actions
/// outside `*/read`. The shipped plan role grants what refreshing every rendered type calls, and nothing that
/// writes; the apply role adds the writes, deletes and joins; every action is cited to the provider's call.
#[test]
fn the_roles_cover_every_rendered_resource_type() {
    let plan = role("examples/azure/plan-role.json");
    let apply = role("examples/azure/apply-role.json");
    let rows = cited_actions();
    let mut by_type: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for (t, a, roles) in &rows {
        by_type.entry(t).or_default().push((a, roles));
        if roles.contains("plan") {
            assert!(plan.contains(a), "plan-role.json lacks {a} ({t})");
        }
        if roles.contains("apply") {
            assert!(apply.contains(a), "apply-role.json lacks {a} ({t})");
        }
        assert!(roles == "plan, apply" || roles == "apply", "{t} {a}: {roles}");
    }
    for (file, actions, role) in [("plan-role.json", &plan, "plan"), ("apply-role.json", &apply, "apply")] {
        for a in actions.iter() {
            assert!(
                rows.iter().any(|(_, b, roles)| b == a && roles.contains(role)),
                "{file}: {a} is cited nowhere in docs/azure-roles.md"
            );
        }
    }
    assert!(
        plan.iter().all(|a| a.ends_with("/read") || a.ends_with("/action")),
        "{plan:?}"
    );
    assert!(plan.is_subset(&apply));
    for needed in [
        "Microsoft.App/containerApps/listSecrets/action",
        "Microsoft.ContainerRegistry/registries/webhooks/getCallbackConfig/action",
    ] {
        assert!(plan.contains(needed), "{needed}");
    }
    let types: BTreeSet<String> = every_rendering()
        .iter()
        .flat_map(|c| {
            c.resources()
                .iter()
                .map(|r| r.address().resource_type.clone())
                .collect::<Vec<_>>()
        })
        .filter(|t| t.starts_with("azurerm_"))
        .collect();
    assert!(types.len() >= 19, "{types:?}");
    for t in &types {
        let rows = by_type
            .get(t.as_str())
            .unwrap_or_else(|| panic!("docs/azure-roles.md has no row for {t}"));
        assert!(
            rows.iter()
                .any(|(a, roles)| a.ends_with("/read") && roles.contains("plan")),
            "{t}: no read for plan"
        );
        assert!(
            rows.iter().any(|(a, _)| a.ends_with("/write")),
            "{t}: no write for apply"
        );
    }
}

/// Why: "or builds with ACR Tasks" was offered for prod's private registry, but tasks reach a network-restricted
/// registry only with the bypass setting (azurerm >= 4.81) or a dedicated agent pool. No stack, doc or pipeline
/// offers it.
#[test]
fn no_file_offers_acr_tasks_for_the_private_registry() {
    let claim = regex::Regex::new(r"(?i)\b(builds?|built|building)\s+(\w+\s+)?with\s+ACR\s+Tasks").unwrap();
    let mut files = vec!["README.md".to_string()];
    for dir in ["stacks", "docs", "examples/github", "examples/azure-devops"] {
        for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                files.push(format!("{dir}/{}", path.file_name().unwrap().to_string_lossy()));
            }
        }
    }
    assert!(files.len() > 10, "{files:?}");
    for f in &files {
        let text = read(f).replace('\n', " ").replace("# ", "");
        assert!(
            !claim.is_match(&text),
            "{f} offers ACR Tasks: {:?}",
            claim.find(&text).map(|m| m.as_str())
        );
    }
    assert!(claim.is_match("CI pushes from inside the network or builds with ACR Tasks."));
}
