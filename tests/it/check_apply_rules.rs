//! The apply-time rules (issue 22, item 2): what `terraform validate` accepts but the provider or Azure refuses at
//! plan or apply time. Each rule's fixture pair (tests/fixtures/check/APPLYnnn/{fail,pass}) through the binary
//! (so through the evaluator), the reproductions from the issue, and the same rules on variables, modules and a
//! plan.

use serde_json::{json, Value};
use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_infra");

/// `infra check <args> --format json` from the repository root: (exit code, JSON).
fn check(args: &[&str]) -> (i32, Value) {
    let out = Command::new(BIN)
        .arg("check")
        .args(args)
        .args(["--format", "json"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: {e}\n{}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap(), json)
}

/// (address, message) of every finding of `rule`.
fn own(json: &Value, rule: &str) -> Vec<(String, String)> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| {
            (
                f["address"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn write(root: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let path = root.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// Each apply-time rule's findings on its failing fixture: (address, a part of the message).
const FIXTURE_FINDINGS: &[(&str, &[(&str, &str)])] = &[
    (
        "APPLY001",
        &[
            (
                "azurerm_storage_account.data",
                "the storage firewall denies by default, and provider \"azurerm\" has",
            ),
            (
                "azurerm_storage_account.logs",
                "provider \"azurerm\" (alias shared) has `data_plane_available = true`",
            ),
        ],
    ),
    (
        "APPLY002",
        &[
            ("azurerm_storage_account.data", "`20.50.2.7/32`: a /32 range is refused"),
            ("azurerm_storage_account.data", "`20.50.2.8/31`: a /31 range is refused"),
            (
                "azurerm_storage_account.data",
                "`10.20.0.0/16` is in the private range 10.0.0.0/8",
            ),
            (
                "azurerm_storage_account_network_rules.logs",
                "private range 192.168.0.0/16",
            ),
        ],
    ),
    (
        "APPLY003",
        &[(
            "azurerm_container_registry.main",
            "export is disabled while public network access is on",
        )],
    ),
    (
        "APPLY004",
        &[("azurerm_container_registry.main", "a geo-replica in westeurope")],
    ),
    (
        "APPLY005",
        &[
            (
                "azurerm_container_registry.basic",
                "`anonymous_pull_enabled` needs the Standard SKU, the registry is Basic",
            ),
            (
                "azurerm_container_registry.basic",
                "azurerm_private_endpoint.basic connects a private endpoint",
            ),
            (
                "azurerm_container_registry.main",
                "`georeplications` needs the Premium SKU",
            ),
            (
                "azurerm_container_registry.main",
                "`data_endpoint_enabled` needs the Premium SKU",
            ),
            (
                "azurerm_container_registry.main",
                "`public_network_access_enabled` needs the Premium SKU",
            ),
            (
                "azurerm_container_registry.main",
                "`retention_policy_in_days` needs the Premium SKU",
            ),
        ],
    ),
    (
        "APPLY006",
        &[
            (
                "azurerm_container_app_environment.consumption_only",
                "azurerm_subnet.v1 is a /24; a Consumption-only environment needs /23",
            ),
            (
                "azurerm_container_app_environment.profiles",
                "azurerm_subnet.small is a /28; a workload profiles environment needs /27",
            ),
            (
                "azurerm_container_app_environment.profiles",
                "azurerm_subnet.small is not delegated to Microsoft.App/environments",
            ),
        ],
    ),
    (
        "APPLY007",
        &[
            (
                "azurerm_container_app.app",
                "no private DNS zone of its private endpoint is linked to azurerm_virtual_network.main",
            ),
            (
                "azurerm_container_app.worker",
                "azurerm_container_app_environment.public is not in a virtual network",
            ),
        ],
    ),
    (
        "APPLY008",
        &[(
            "azurerm_container_app_environment.main",
            "azurerm_subnet_network_security_group_association.environment also updates azurerm_subnet.environment",
        )],
    ),
    (
        "APPLY009",
        &[
            ("azurerm_container_app_environment.main", "zone redundancy in westus"),
            ("azurerm_container_registry.main", "zone redundancy in West US"),
            ("azurerm_container_registry.main", "a zone-redundant replica in ukwest"),
            ("azurerm_storage_account.data", "zone-redundant storage in westus"),
        ],
    ),
];

/// Each rule's failing fixture has exactly these findings (address, a part of the message), and its correct twin
/// none.
#[test]
fn each_rule_fires_on_its_fixture_and_is_quiet_on_the_correct_twin() {
    for (rule, expected) in FIXTURE_FINDINGS {
        let dir = format!("tests/fixtures/check/{rule}");
        let (_, fail) = check(&[&format!("{dir}/fail")]);
        let mut found = own(&fail, rule);
        assert_eq!(found.len(), expected.len(), "{rule} fail: {found:#?}");
        for (want_address, want) in *expected {
            let i = found
                .iter()
                .position(|(address, message)| address == want_address && message.contains(want))
                .unwrap_or_else(|| panic!("{rule}: no finding on {want_address} with {want:?} in {found:#?}"));
            found.remove(i);
        }
        let (_, pass) = check(&[&format!("{dir}/pass")]);
        assert_eq!(own(&pass, rule), Vec::<(String, String)>::new(), "{rule} pass");
    }
}

/// Apply-time rules are marked as such: in the metadata, on their rule pages (with sources) and in --explain.
#[test]
fn apply_time_rules_are_a_category_with_sources() {
    let apply: Vec<_> = infra::check::rules::ALL
        .iter()
        .filter(|r| r.category.apply_time_sources().is_some())
        .collect();
    assert!(apply.len() >= 10, "APPLY001-APPLY009 and ACR008");
    for r in apply {
        let sources = r.category.apply_time_sources().unwrap();
        assert!(!sources.is_empty(), "{}", r.id);
        assert!(
            sources
                .iter()
                .all(|s| s.contains("v4.79.0") || s.contains("Microsoft Learn") || s.contains('#')),
            "{}: every source is a provider file at the pinned tag, a Learn page or an issue",
            r.id
        );
        let page = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(r.help_uri())).unwrap();
        assert!(page.contains("| Category | apply-time"), "{}", r.id);
        assert!(page.contains("## Sources") && page.contains(sources[0]), "{}", r.id);
        assert!(
            r.explain().contains("apply-time: predicts a plan or apply failure"),
            "{}",
            r.id
        );
    }
}

/// Issue 22: "`variables.tf` accepts `/32` for the storage firewall, which the provider rejects". The variable's
/// value is judged through the evaluator: its default, then a `--var` that fixes it.
#[test]
fn storage_ip_rules_from_a_variable_are_judged_by_value() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        &[(
            "main.tf",
            r#"
variable "storage_ip_allow_list" {
  type    = list(string)
  default = ["20.50.2.7/32"]
}

resource "azurerm_storage_account" "data" {
  name                     = "stfastapiprod"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "ZRS"

  network_rules {
    default_action = "Deny"
    ip_rules       = var.storage_ip_allow_list
  }
}
"#,
        )],
    );
    let dir = t.path().to_str().unwrap();
    let (code, json) = check(&[dir]);
    assert_eq!(code, 1);
    let found = own(&json, "APPLY002");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].1.contains("`20.50.2.7/32`: a /32 range is refused"));
    let (_, json) = check(&[dir, "--var", r#"storage_ip_allow_list=["20.50.2.7"]"#]);
    assert!(own(&json, "APPLY002").is_empty());
}

const NETWORK_MODULE: &str = r#"
variable "prefix" {
  type = string
}

resource "azurerm_subnet" "environment" {
  name                 = "snet-cae"
  resource_group_name  = "rg"
  virtual_network_name = "vnet"
  address_prefixes     = [var.prefix]
}

resource "azurerm_network_security_group" "environment" {
  name                = "nsg-cae"
  location            = "westeurope"
  resource_group_name = "rg"
}

resource "azurerm_subnet_network_security_group_association" "environment" {
  subnet_id                 = azurerm_subnet.environment.id
  network_security_group_id = azurerm_network_security_group.environment.id
}

resource "azurerm_container_app_environment" "main" {
  name                     = "cae"
  location                 = "westeurope"
  resource_group_name      = "rg"
  infrastructure_subnet_id = azurerm_subnet.environment.id
  DEPENDS
}

resource "azurerm_storage_account" "data" {
  name                          = "stdata"
  resource_group_name           = "rg"
  location                      = "westeurope"
  account_tier                  = "Standard"
  account_replication_type      = "LRS"
  public_network_access_enabled = false
}
"#;

/// The rules work inside modules: the subnet's size comes from the call's argument, the ordering is read inside
/// the module, and the storage account in the module is judged by the root module's provider block.
#[test]
fn rules_judge_resources_in_modules() {
    for (depends, data_plane, want) in [
        ("", "", vec!["APPLY001", "APPLY006", "APPLY008"]),
        (
            "depends_on = [azurerm_subnet_network_security_group_association.environment]",
            "storage {\n      data_plane_available = false\n    }",
            vec!["APPLY006"],
        ),
    ] {
        let t = tempfile::tempdir().unwrap();
        let root = format!(
            "provider \"azurerm\" {{\n  features {{\n    {data_plane}\n  }}\n}}\n\nmodule \"net\" {{\n  source = \"./modules/net\"\n  prefix = \"10.0.0.0/24\"\n}}\n"
        );
        write(
            t.path(),
            &[
                ("main.tf", root.as_str()),
                ("modules/net/main.tf", &NETWORK_MODULE.replace("DEPENDS", depends)),
            ],
        );
        let (_, json) = check(&[t.path().to_str().unwrap()]);
        let mut rules: Vec<String> = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"].as_str().unwrap().starts_with("APPLY"))
            .map(|f| {
                assert!(f["address"].as_str().unwrap().starts_with("module.net."), "{f}");
                f["rule"].as_str().unwrap().to_string()
            })
            .collect();
        rules.sort();
        rules.dedup();
        assert_eq!(rules, want, "{json:#}");
    }
}

/// A plan (`terraform show -json`) carries the provider's features in `configuration.provider_config`: APPLY001
/// reads them there, APPLY002 the planned IP rules.
#[test]
fn rules_judge_a_plan() {
    let plan = |features: Value| {
        let values = json!({
            "name": "stfastapiprod", "resource_group_name": "rg", "location": "westeurope",
            "account_tier": "Standard", "account_replication_type": "ZRS",
            "network_rules": [{"default_action": "Deny", "bypass": ["AzureServices"], "ip_rules": ["20.50.2.7/32"],
                               "virtual_network_subnet_ids": [], "private_link_access": []}]
        });
        json!({
            "format_version": "1.2",
            "terraform_version": "1.11.0",
            "planned_values": {"root_module": {"resources": [{
                "address": "azurerm_storage_account.data", "mode": "managed", "type": "azurerm_storage_account",
                "name": "data", "provider_name": "registry.terraform.io/hashicorp/azurerm", "schema_version": 4,
                "values": values, "sensitive_values": {}
            }]}},
            "resource_changes": [{
                "address": "azurerm_storage_account.data", "mode": "managed", "type": "azurerm_storage_account",
                "name": "data", "provider_name": "registry.terraform.io/hashicorp/azurerm",
                "change": {"actions": ["create"], "before": null, "after": values, "after_unknown": {"id": true},
                           "before_sensitive": false, "after_sensitive": {}}
            }],
            "configuration": {
                "provider_config": {"azurerm": {"name": "azurerm", "full_name": "registry.terraform.io/hashicorp/azurerm",
                                                "expressions": {"features": [features]}}},
                "root_module": {}
            }
        })
    };
    let t = tempfile::tempdir().unwrap();
    let on = t.path().join("on.plan.json");
    let off = t.path().join("off.plan.json");
    std::fs::write(&on, plan(json!({})).to_string()).unwrap();
    let off_features = json!({"storage": [{"data_plane_available": {"constant_value": false}}]});
    std::fs::write(&off, plan(off_features).to_string()).unwrap();

    let (code, json) = check(&["--plan", on.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(own(&json, "APPLY001").len(), 1, "{json:#}");
    assert_eq!(own(&json, "APPLY002").len(), 1, "{json:#}");
    let (_, json) = check(&["--plan", off.to_str().unwrap()]);
    assert!(own(&json, "APPLY001").is_empty(), "{json:#}");
    assert_eq!(own(&json, "APPLY002").len(), 1);
}

/// In a plan, a value known only after apply is not a setting the configuration asks for: dev's real plan (a
/// Basic registry whose `network_rule_set` and `encryption` are computed) has no apply-time finding.
#[test]
fn values_known_after_apply_are_not_asked_for() {
    let (_, json) = check(&["--plan", "tests/fixtures/terraform-json/own/dev.plan.json"]);
    let apply: Vec<&Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"].as_str().unwrap().starts_with("APPLY"))
        .collect();
    assert!(apply.is_empty(), "{apply:#?}");
}
