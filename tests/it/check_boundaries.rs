//! Boundary cases of the rules whose verdict turns on a threshold or an allowed set (issue 21: "rules covered by a
//! single pass/fail fixture pair get their boundary cases"). Each case is a tiny Terraform directory written from a
//! template into a tempdir and checked by the binary (`infra check . --format json`); the case says whether the rule
//! reports the resource. The values just inside and just outside each boundary come from the rule's own metadata
//! and the facts it cites (src/check/rules/, src/azurerm/facts/): STG001's forbidden TLS versions, APP005's
//! `min_replicas` (default 2), APP009's Consumption pairs (`compute.rs`), the `/0` allow-list entries
//! (`network.rs`), APPLY002's `/30` and RFC 1918 ranges, APPLY006's `/27` and `/23` subnets.
//!
//! A case that shows a bug in a rule is listed in [`KNOWN`] with the reason, and is asserted to still show it (so
//! the list is emptied when the rule is fixed).

use serde_json::Value;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_infra");

/// Cases whose expectation (from the rule's description and its cited source) the rule does not meet yet:
/// (case name, why).
const KNOWN: &[(&str, &str)] = &[];

struct Case {
    name: &'static str,
    rule: &'static str,
    address: &'static str,
    main_tf: String,
    infra_toml: &'static str,
    production: bool,
    /// Whether `rule` reports `address`.
    fires: bool,
}

fn case(name: &'static str, rule: &'static str, address: &'static str, main_tf: String, fires: bool) -> Case {
    Case {
        name,
        rule,
        address,
        main_tf,
        infra_toml: "",
        production: false,
        fires,
    }
}

/// The (rule, address) of every finding of `infra check . --format json` on the case's directory.
fn findings(c: &Case) -> Vec<(String, String)> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("infra.toml"), c.infra_toml).unwrap();
    std::fs::write(dir.path().join("main.tf"), &c.main_tf).unwrap();
    let mut cmd = Command::new(BIN);
    cmd.args(["check", ".", "--format", "json"]).current_dir(dir.path());
    if c.production {
        cmd.arg("--production");
    }
    let out = cmd.output().unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{}: {e}\n{}\n{}",
            c.name,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    json["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("{}: no findings in {json}", c.name))
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["address"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Runs every case; all mismatches are reported together.
fn run(cases: Vec<Case>) {
    let mut wrong = Vec::new();
    for c in &cases {
        let all = findings(c);
        let fired = all.iter().any(|(r, a)| r == c.rule && a == c.address);
        let known = KNOWN.iter().find(|(n, _)| *n == c.name);
        match known {
            None if fired != c.fires => wrong.push(format!(
                "{}: {} {} on {} (expected {}); findings: {all:?}",
                c.name,
                c.rule,
                if fired { "fires" } else { "is quiet" },
                c.address,
                if c.fires { "a finding" } else { "none" },
            )),
            Some((_, why)) if fired == c.fires => wrong.push(format!(
                "{}: listed in KNOWN ({why}) but now behaves as expected: remove it from KNOWN",
                c.name
            )),
            _ => {}
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} cases wrong:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
}

// Templates.

const SA: &str = "azurerm_storage_account.sa";
const ACR: &str = "azurerm_container_registry.acr";
const APP: &str = "azurerm_container_app.app";
const ENV: &str = "azurerm_container_app_environment.env";

fn storage(extra: &str) -> String {
    format!(
        r#"
resource "azurerm_storage_account" "sa" {{
  name                     = "stboundary"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
{extra}
}}
"#
    )
}

fn storage_rules(ip_rules: &str) -> String {
    storage(&format!(
        r#"
  network_rules {{
    default_action = "Deny"
    ip_rules       = [{ip_rules}]
  }}
"#
    ))
}

fn registry(sku: &str, extra: &str) -> String {
    format!(
        r#"
resource "azurerm_container_registry" "acr" {{
  name                = "acrboundary"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "{sku}"
{extra}
}}
"#
    )
}

fn registry_ip_rule(range: &str) -> String {
    registry(
        "Premium",
        &format!(
            r#"
  network_rule_set {{
    default_action = "Deny"
    ip_rule {{
      action   = "Allow"
      ip_range = "{range}"
    }}
  }}
"#
        ),
    )
}

/// A container app: `app_extra` in the resource, `template_extra` in `template`, and `containers` (each `(image,
/// cpu, memory)`).
fn app(app_extra: &str, template_extra: &str, containers: &[(&str, &str, &str)]) -> String {
    let containers: String = containers
        .iter()
        .enumerate()
        .map(|(i, (image, cpu, memory))| {
            format!(
                r#"
    container {{
      name   = "c{i}"
      image  = "{image}"
      cpu    = {cpu}
      memory = "{memory}"
    }}
"#
            )
        })
        .collect();
    format!(
        r#"
resource "azurerm_container_app" "app" {{
  name                         = "web"
  container_app_environment_id = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.App/managedEnvironments/env"
  resource_group_name          = "rg"
  revision_mode                = "Single"
{app_extra}
  template {{
{template_extra}
{containers}
  }}
}}
"#
    )
}

const PINNED: &str = "contoso.azurecr.io/web:1.4.2";

fn app_image(image: &str) -> String {
    app("", "", &[(image, "0.25", "0.5Gi")])
}

fn app_pair(cpu: &str, memory: &str) -> String {
    app("", "", &[(PINNED, cpu, memory)])
}

fn app_ingress(ingress: &str) -> String {
    app(
        &format!(
            r#"
  ingress {{
    external_enabled = true
    target_port      = 8080
{ingress}
    traffic_weight {{
      latest_revision = true
      percentage      = 100
    }}
  }}
"#
        ),
        "",
        &[(PINNED, "0.25", "0.5Gi")],
    )
}

fn app_restriction(action: &str, range: &str) -> String {
    app_ingress(&format!(
        r#"
    ip_security_restriction {{
      name             = "office"
      action           = "{action}"
      ip_address_range = "{range}"
    }}
"#
    ))
}

/// An environment in a subnet of `prefix`, with a `workload_profile` block or none, the subnet delegated or not.
fn environment(prefix: &str, workload_profiles: bool, delegated: bool) -> String {
    let delegation = if delegated {
        r#"
  delegation {
    name = "container-apps"
    service_delegation {
      name    = "Microsoft.App/environments"
      actions = ["Microsoft.Network/virtualNetworks/subnets/join/action"]
    }
  }
"#
    } else {
        ""
    };
    let profile = if workload_profiles {
        r#"
  workload_profile {
    name                  = "Consumption"
    workload_profile_type = "Consumption"
  }
"#
    } else {
        ""
    };
    format!(
        r#"
resource "azurerm_virtual_network" "vnet" {{
  name                = "vnet"
  location            = "westeurope"
  resource_group_name = "rg"
  address_space       = ["10.20.0.0/16"]
}}

resource "azurerm_subnet" "env" {{
  name                 = "snet-cae"
  resource_group_name  = "rg"
  virtual_network_name = azurerm_virtual_network.vnet.name
  address_prefixes     = ["{prefix}"]
{delegation}
}}

resource "azurerm_container_app_environment" "env" {{
  name                     = "cae"
  location                 = "westeurope"
  resource_group_name      = "rg"
  infrastructure_subnet_id = azurerm_subnet.env.id
{profile}
}}
"#
    )
}

// The rules.

/// STG001: `TLS1_0` and `TLS1_1` are forbidden; `TLS1_2` and unset (the provider default, TLS1_2) are not.
#[test]
fn stg001_min_tls_version() {
    let tls = |v: &str| storage(&format!("  min_tls_version = \"{v}\""));
    run(vec![
        case("stg001-tls1_0", "STG001", SA, tls("TLS1_0"), true),
        case("stg001-tls1_1", "STG001", SA, tls("TLS1_1"), true),
        case("stg001-tls1_2", "STG001", SA, tls("TLS1_2"), false),
        case("stg001-absent", "STG001", SA, storage(""), false),
    ]);
}

/// APP005: in production, `min_replicas` below `min_replicas` of infra.toml (default 2) is reported; unset is 0.
#[test]
fn app005_min_replicas() {
    let replicas = |n: &str| app("", &format!("    min_replicas = {n}"), &[(PINNED, "0.25", "0.5Gi")]);
    let prod = |mut c: Case| {
        c.production = true;
        c
    };
    let three = |mut c: Case| {
        c.infra_toml = "[check]\nmin_replicas = 3\n";
        c
    };
    run(vec![
        prod(case("app005-0", "APP005", APP, replicas("0"), true)),
        prod(case("app005-1", "APP005", APP, replicas("1"), true)),
        prod(case("app005-2", "APP005", APP, replicas("2"), false)),
        prod(case("app005-3", "APP005", APP, replicas("3"), false)),
        prod(case(
            "app005-absent",
            "APP005",
            APP,
            app("", "", &[(PINNED, "0.25", "0.5Gi")]),
            true,
        )),
        // Not production: not judged.
        case("app005-1-not-production", "APP005", APP, replicas("1"), false),
        // The threshold from infra.toml.
        three(prod(case("app005-min3-2", "APP005", APP, replicas("2"), true))),
        three(prod(case("app005-min3-3", "APP005", APP, replicas("3"), false))),
    ]);
}

/// APP009: on Consumption, the summed CPU is 0.25 to 4 in steps of 0.25 and the memory exactly 2 GiB per vCPU
/// (src/azurerm/facts/compute.rs).
#[test]
fn app009_consumption_pairs() {
    let on_profile = |profile: &str| {
        app(
            &format!("  workload_profile_name = \"{profile}\""),
            "",
            &[(PINNED, "4.25", "8.5Gi")],
        )
    };
    run(vec![
        case("app009-0.25/0.5", "APP009", APP, app_pair("0.25", "0.5Gi"), false),
        case("app009-4/8", "APP009", APP, app_pair("4", "8Gi"), false),
        case("app009-4.0/8.0", "APP009", APP, app_pair("4.0", "8.0Gi"), false),
        case("app009-1.75/3.5", "APP009", APP, app_pair("1.75", "3.5Gi"), false),
        case("app009-4.25/8.5", "APP009", APP, app_pair("4.25", "8.5Gi"), true),
        case("app009-0/0.5", "APP009", APP, app_pair("0", "0.5Gi"), true),
        case("app009-0.3/0.6", "APP009", APP, app_pair("0.3", "0.6Gi"), true),
        case("app009-0.5/0.75", "APP009", APP, app_pair("0.5", "0.75Gi"), true),
        case("app009-0.5/2", "APP009", APP, app_pair("0.5", "2Gi"), true),
        case("app009-1/1.5", "APP009", APP, app_pair("1", "1.5Gi"), true),
        // Summed over the containers: 0.25 + 0.25 with 0.5 + 0.5 is 0.5/1.
        case(
            "app009-sum-ok",
            "APP009",
            APP,
            app("", "", &[(PINNED, "0.25", "0.5Gi"), (PINNED, "0.25", "0.5Gi")]),
            false,
        ),
        // 2 + 2.25 is 4.25 vCPU with 8.5Gi: each container is a pair, the sum is not.
        case(
            "app009-sum-over",
            "APP009",
            APP,
            app("", "", &[(PINNED, "2", "4Gi"), (PINNED, "2.25", "4.5Gi")]),
            true,
        ),
        case(
            "app009-consumption-profile",
            "APP009",
            APP,
            on_profile("Consumption"),
            true,
        ),
        // A dedicated workload profile is not judged.
        case("app009-dedicated-profile", "APP009", APP, on_profile("D4"), false),
    ]);
}

/// ACR007 (Premium only): `retention_policy_in_days = 0` and unset are reported, 1 is not.
#[test]
fn acr007_retention_days() {
    let days = |sku: &str, n: &str| registry(sku, &format!("  retention_policy_in_days = {n}"));
    run(vec![
        case("acr007-0", "ACR007", ACR, days("Premium", "0"), true),
        case("acr007-1", "ACR007", ACR, days("Premium", "1"), false),
        case("acr007-365", "ACR007", ACR, days("Premium", "365"), false),
        case("acr007-absent", "ACR007", ACR, registry("Premium", ""), true),
        // Below Premium the rule does not apply (ACR014 notes it).
        case("acr007-standard-absent", "ACR007", ACR, registry("Standard", ""), false),
        case("acr007-basic-absent", "ACR007", ACR, registry("Basic", ""), false),
    ]);
}

/// ACR003: Basic is reported, Standard and Premium are not. ACR014: a note on Basic and Standard, not Premium.
#[test]
fn acr003_acr014_sku() {
    run(vec![
        case("acr003-basic", "ACR003", ACR, registry("Basic", ""), true),
        case("acr003-standard", "ACR003", ACR, registry("Standard", ""), false),
        case("acr003-premium", "ACR003", ACR, registry("Premium", ""), false),
        case("acr014-basic", "ACR014", ACR, registry("Basic", ""), true),
        case("acr014-standard", "ACR014", ACR, registry("Standard", ""), true),
        case("acr014-premium", "ACR014", ACR, registry("Premium", ""), false),
    ]);
}

/// APP007's cases: (name, image, whether it fires).
const APP007_IMAGES: &[(&str, &str, bool)] = &[
    ("app007-latest", "contoso.azurecr.io/web:latest", true),
    ("app007-no-tag", "contoso.azurecr.io/web", true),
    // A registry port is not a tag.
    ("app007-port-no-tag", "contoso.azurecr.io:5000/web", true),
    ("app007-port-version", "contoso.azurecr.io:5000/web:1.0", false),
    ("app007-moving-tag", "contoso.azurecr.io/web:main", true),
    ("app007-v-alone", "contoso.azurecr.io/web:v", true),
    (
        "app007-digest",
        "contoso.azurecr.io/web@sha256:0f3e6b7c8d9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c",
        false,
    ),
    (
        "app007-tag-and-digest",
        "contoso.azurecr.io/web:latest@sha256:0f3e6b7c8d9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c",
        false,
    ),
    ("app007-version", "contoso.azurecr.io/web:1.4.2", false),
    ("app007-v-version", "contoso.azurecr.io/web:v2", false),
    ("app007-commit", "contoso.azurecr.io/web:3f9c2ab", false),
    ("app007-branch-commit", "contoso.azurecr.io/web:main-3f9c2ab", false),
    // Six hex digits are not a commit tag (7 to 40).
    ("app007-short-hex", "contoso.azurecr.io/web:abc123", true),
];

/// APP007: `latest`, no tag and moving tags are reported; version tags, commit tags and digests are not.
#[test]
fn app007_image_tags() {
    run(APP007_IMAGES
        .iter()
        .map(|&(name, image, fires)| case(name, "APP007", APP, app_image(image), fires))
        .collect());
}

/// APP003: `allow_insecure_connections = true` is reported; false and unset (default false) are not.
#[test]
fn app003_insecure_connections() {
    run(vec![
        case(
            "app003-true",
            "APP003",
            APP,
            app_ingress("    allow_insecure_connections = true"),
            true,
        ),
        case(
            "app003-false",
            "APP003",
            APP,
            app_ingress("    allow_insecure_connections = false"),
            false,
        ),
        case("app003-absent", "APP003", APP, app_ingress(""), false),
    ]);
}

/// ACR004, STG005, APP004: an allow-list entry of prefix /0 admits every address (src/azurerm/facts/network.rs);
/// `/1` and `/32` do not.
#[test]
fn allow_lists_every_address() {
    run(vec![
        case("acr004-0.0.0.0/0", "ACR004", ACR, registry_ip_rule("0.0.0.0/0"), true),
        case("acr004-10.0.0.0/0", "ACR004", ACR, registry_ip_rule("10.0.0.0/0"), true),
        case("acr004-::/0", "ACR004", ACR, registry_ip_rule("::/0"), true),
        case("acr004-0.0.0.0/1", "ACR004", ACR, registry_ip_rule("0.0.0.0/1"), false),
        case("acr004-/32", "ACR004", ACR, registry_ip_rule("20.50.2.7/32"), false),
        case("stg005-0.0.0.0/0", "STG005", SA, storage_rules(r#""0.0.0.0/0""#), true),
        case(
            "stg005-later-/0",
            "STG005",
            SA,
            storage_rules(r#""20.50.2.7", "0.0.0.0/0""#),
            true,
        ),
        case("stg005-0.0.0.0/1", "STG005", SA, storage_rules(r#""0.0.0.0/1""#), false),
        case("stg005-/32", "STG005", SA, storage_rules(r#""20.50.2.7/32""#), false),
        case("stg005-empty", "STG005", SA, storage_rules(""), false),
        case("stg005-absent", "STG005", SA, storage(""), true),
        case(
            "app004-0.0.0.0/0",
            "APP004",
            APP,
            app_restriction("Allow", "0.0.0.0/0"),
            true,
        ),
        case("app004-::/0", "APP004", APP, app_restriction("Allow", "::/0"), true),
        case(
            "app004-0.0.0.0/1",
            "APP004",
            APP,
            app_restriction("Allow", "0.0.0.0/1"),
            false,
        ),
        case(
            "app004-/32",
            "APP004",
            APP,
            app_restriction("Allow", "20.50.2.7/32"),
            false,
        ),
        case(
            "app004-deny",
            "APP004",
            APP,
            app_restriction("Deny", "20.50.2.7/32"),
            true,
        ),
    ]);
}

/// APPLY002: storage IP rules are /0 to /30 (or a bare address) and outside 10/8, 172.16/12, 192.168/16.
#[test]
fn apply002_storage_ip_rules() {
    let rule = |r: &str| storage_rules(&format!("\"{r}\""));
    let separate = |r: &str| {
        format!(
            r#"
resource "azurerm_storage_account_network_rules" "rules" {{
  storage_account_id = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st"
  default_action     = "Deny"
  ip_rules           = ["{r}"]
}}
"#
        )
    };
    const RULES: &str = "azurerm_storage_account_network_rules.rules";
    run(vec![
        case("apply002-/30", "APPLY002", SA, rule("20.50.2.4/30"), false),
        case("apply002-/31", "APPLY002", SA, rule("20.50.2.4/31"), true),
        case("apply002-/32", "APPLY002", SA, rule("20.50.2.7/32"), true),
        case("apply002-bare", "APPLY002", SA, rule("20.50.2.7"), false),
        case("apply002-10/8", "APPLY002", SA, rule("10.0.0.0/8"), true),
        case("apply002-11/8", "APPLY002", SA, rule("11.0.0.0/8"), false),
        case("apply002-10-bare", "APPLY002", SA, rule("10.1.2.3"), true),
        case("apply002-9.255", "APPLY002", SA, rule("9.255.255.252/30"), false),
        case("apply002-172.16/12", "APPLY002", SA, rule("172.16.0.0/12"), true),
        case("apply002-172.31.255", "APPLY002", SA, rule("172.31.255.0/24"), true),
        case("apply002-172.32", "APPLY002", SA, rule("172.32.0.0/24"), false),
        case("apply002-172.15.255", "APPLY002", SA, rule("172.15.255.0/24"), false),
        case("apply002-192.168/16", "APPLY002", SA, rule("192.168.0.0/16"), true),
        case("apply002-192.169", "APPLY002", SA, rule("192.169.0.0/16"), false),
        case(
            "apply002-separate-/30",
            "APPLY002",
            RULES,
            separate("20.50.2.4/30"),
            false,
        ),
        case(
            "apply002-separate-/31",
            "APPLY002",
            RULES,
            separate("20.50.2.4/31"),
            true,
        ),
        case(
            "apply002-separate-10/8",
            "APPLY002",
            RULES,
            separate("10.0.0.0/8"),
            true,
        ),
    ]);
}

/// APPLY006: a workload profiles environment needs a delegated /27 or larger, a Consumption-only one a /23 or
/// larger.
#[test]
fn apply006_environment_subnet() {
    run(vec![
        case(
            "apply006-profiles-/26",
            "APPLY006",
            ENV,
            environment("10.20.0.0/26", true, true),
            false,
        ),
        case(
            "apply006-profiles-/27",
            "APPLY006",
            ENV,
            environment("10.20.0.0/27", true, true),
            false,
        ),
        case(
            "apply006-profiles-/28",
            "APPLY006",
            ENV,
            environment("10.20.0.0/28", true, true),
            true,
        ),
        case(
            "apply006-profiles-undelegated",
            "APPLY006",
            ENV,
            environment("10.20.0.0/27", true, false),
            true,
        ),
        case(
            "apply006-consumption-/22",
            "APPLY006",
            ENV,
            environment("10.20.0.0/22", false, false),
            false,
        ),
        case(
            "apply006-consumption-/23",
            "APPLY006",
            ENV,
            environment("10.20.0.0/23", false, false),
            false,
        ),
        case(
            "apply006-consumption-/24",
            "APPLY006",
            ENV,
            environment("10.20.0.0/24", false, false),
            true,
        ),
        // A Consumption-only environment is judged on size alone: a /27 is too small for it.
        case(
            "apply006-consumption-/27",
            "APPLY006",
            ENV,
            environment("10.20.0.0/27", false, true),
            true,
        ),
    ]);
}
