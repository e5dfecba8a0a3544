//! `infra check --policy`: OPA Rego policies with conftest's semantics (namespaces, deny / violation / warn and
//! their `_*` forms, results as strings or objects with `msg`, exceptions, Rego v0 and v1), on a real plan and
//! on the configuration it was made from; the two regorus idioms Azure/policy-library-avm needs; errors located;
//! `infra policy test`.

use crate::support::git;
use crate::support::infra_in;
use serde_json::Value;
use std::path::PathBuf;

/// The repository (tests run there).
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A directory of policy files (`name` → text).
fn policies(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// A finding as (rule, severity, address, message, `file:line`).
type Found = (String, String, String, String, String);

/// `infra check ARGS --format json` in the repository: its exit code, findings and stderr.
fn check(args: &[&str]) -> (i32, Vec<Found>, String) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let out = infra_in(&root(), &all);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let code = out.status.code().unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    let findings = json["findings"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            let location = match (&f["file"], &f["line"]) {
                (Value::String(file), Value::Number(line)) => format!("{file}:{line}"),
                _ => String::new(),
            };
            (s("rule"), s("severity"), s("address"), s("message"), location)
        })
        .collect();
    (code, findings, stderr)
}

/// Only the findings of policy rules (IDs with a `.` or `_`), as (rule, severity, address, message).
fn policy_findings(args: &[&str]) -> Vec<(String, String, String, String)> {
    let (code, findings, stderr) = check(args);
    assert!(code == 0 || code == 1, "exit {code}: {stderr}");
    findings
        .into_iter()
        .filter(|f| f.0.contains(['.', '_']))
        .map(|(r, s, a, m, _)| (r, s, a, m))
        .collect()
}

fn p(dir: &tempfile::TempDir) -> String {
    dir.path().display().to_string()
}

const REGISTRY: &str = "azurerm_container_registry.main";

/// A `utils` package in policy-library-avm's idioms: resources of a type through a function whose comprehension
/// variable is named like the function (`resource`), and resource configurations found with the relation form of
/// `walk`.
const UTILS: &str = r#"package utils

import rego.v1

_resource(_input) := {body |
    r := _input.resource_changes[_]
    body := {"address": r.address, "values": r.change.after, "type": r.type, "mode": r.mode}
}

resource(_input, resource_type) := [resource |
    some resource in _resource(_input)
    resource.mode == "managed"
    resource.type == resource_type
]

resource_configuration(_input) := {address: resource |
    walk(_input.configuration, [path, value])
    value.resources == value.resources
    prefix := concat("", [sprintf("module.%s.", [path[i + 1]]) | some i; path[i] == "module_calls"])
    res := value.resources[_]
    resource := {"address": sprintf("%s%s", [prefix, res.address]), "expressions": res.expressions}
    address := resource.address
}
"#;

#[test]
fn some_declaration_shadows_a_function_of_the_package() {
    let dir = policies(&[
        ("utils.rego", UTILS),
        (
            "main.rego",
            "package main\nimport rego.v1\n\ndeny_public contains msg if {\n  some r in data.utils.resource(input, \"azurerm_container_registry\")\n  r.values.public_network_access_enabled == true\n  msg := sprintf(\"%s allows public network access\", [r.address])\n}\n",
        ),
    ]);
    let found = policy_findings(&["terraform/dev", "--policy", &p(&dir)]);
    assert_eq!(
        found,
        [(
            "main.deny_public".to_string(),
            "high".to_string(),
            REGISTRY.to_string(),
            format!("{REGISTRY} allows public network access")
        )]
    );
}

#[test]
fn walk_relation_form_binds_path_and_value() {
    let dir = policies(&[
        ("utils.rego", UTILS),
        (
            "main.rego",
            "package main\nimport rego.v1\n\nwarn_constant_sku contains msg if {\n  some address, r in data.utils.resource_configuration(input)\n  r.expressions.sku.constant_value == \"Basic\"\n  msg := sprintf(\"%s: sku is written as Basic\", [address])\n}\n",
        ),
    ]);
    let found = policy_findings(&["terraform/dev", "--policy", &p(&dir)]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "main.warn_constant_sku");
    assert_eq!(found[0].1, "medium");
    assert_eq!(found[0].2, REGISTRY);
}

/// One policy file per conftest form, each in namespace `main` unless said.
const FORMS: &str = r#"package main

deny[msg] {
    rc := input.resource_changes[_]
    rc.type == "azurerm_container_registry"
    msg := sprintf("v0 deny: %s", [rc.address])
}

violation[{"msg": msg, "address": rc.address}] {
    rc := input.resource_changes[_]
    rc.type == "azurerm_storage_account"
    msg := "v0 violation object"
}

warn_sku[msg] {
    rc := input.resource_changes[_]
    rc.change.after.sku == "Basic"
    msg := sprintf("%s: Basic SKU", [rc.address])
}

deny_skipped[msg] {
    msg := "never reported: excepted"
}

exception[rules] {
    rules := ["skipped"]
}

helper_not_a_rule[msg] {
    msg := "rules not named deny/violation/warn are not run"
}
"#;

#[test]
fn conftest_rule_forms_results_and_exceptions() {
    let dir = policies(&[("forms.rego", FORMS)]);
    let found = policy_findings(&["terraform/dev", "--policy", &p(&dir)]);
    let summary: Vec<(&str, &str, &str)> = found
        .iter()
        .map(|(r, s, a, _)| (r.as_str(), s.as_str(), a.as_str()))
        .collect();
    assert!(summary.contains(&("main.deny", "high", REGISTRY)), "{found:?}");
    assert!(
        summary.contains(&("main.violation", "high", "azurerm_storage_account.data")),
        "{found:?}"
    );
    assert!(summary.contains(&("main.warn_sku", "medium", REGISTRY)), "{found:?}");
    assert!(
        !summary.iter().any(|s| s.0 == "main.deny_skipped"),
        "excepted: {found:?}"
    );
    assert!(!summary.iter().any(|s| s.0.contains("helper")), "{found:?}");
}

#[test]
fn namespaces_main_by_default_named_or_all() {
    let rule = |pkg: &str| format!("package {pkg}\nimport rego.v1\ndeny contains \"from {pkg}\" if {{ true }}\n");
    let dir = policies(&[
        ("a.rego", &rule("main")),
        ("b.rego", &rule("team.naming")),
        ("c.rego", &rule("other")),
    ]);
    let path = p(&dir);
    let rules = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["terraform/dev", "--policy", &path];
        all.extend_from_slice(args);
        let mut r: Vec<String> = policy_findings(&all).into_iter().map(|f| f.0).collect();
        r.sort();
        r
    };
    assert_eq!(rules(&[]), ["main.deny"]);
    assert_eq!(rules(&["--namespace", "team.naming"]), ["team.naming.deny"]);
    assert_eq!(
        rules(&["--namespace", "team.naming", "--namespace", "other"]),
        ["other.deny", "team.naming.deny"]
    );
    assert_eq!(
        rules(&["--all-namespaces"]),
        ["main.deny", "other.deny", "team.naming.deny"]
    );
}

#[test]
fn metadata_severity_result_id_and_location() {
    let dir = policies(&[(
        "main.rego",
        r#"package main
import rego.v1

# METADATA
# title: Registries are private
# description: A registry does not accept traffic from the internet.
# custom:
#   severity: critical
deny_public contains msg if {
    some rc in input.resource_changes
    rc.change.after.public_network_access_enabled == true
    msg := sprintf("%s is public", [rc.address])
}

warn contains {"msg": "named by id", "id": "TEAM_001", "address": "azurerm_storage_account.data"} if { true }
"#,
    )]);
    let (_, findings, _) = check(&["terraform/dev", "--policy", &p(&dir)]);
    let public = findings
        .iter()
        .find(|f| f.0 == "main.deny_public")
        .expect("deny_public");
    assert_eq!(public.1, "critical");
    assert_eq!(public.2, REGISTRY);
    assert_eq!(public.4, "terraform/dev/main.tf:27", "the registry block's line");
    let team = findings.iter().find(|f| f.0 == "TEAM_001").expect("TEAM_001");
    assert_eq!(
        (team.1.as_str(), team.2.as_str()),
        ("medium", "azurerm_storage_account.data")
    );
    assert!(team.4.starts_with("terraform/dev/main.tf:"), "{team:?}");
}

/// The same policy on a real plan of `terraform/dev` (made by `terraform plan` with the test provider, kept
/// fresh by tests/terraform-provider/tests/realplan.rs) and on the configuration itself: the same findings.
#[test]
fn a_real_plan_and_its_configuration_give_the_same_findings() {
    let dir = policies(&[
        ("utils.rego", UTILS),
        (
            "main.rego",
            r#"package main
import rego.v1

deny_public contains msg if {
    some r in data.utils.resource(input, "azurerm_container_registry")
    r.values.public_network_access_enabled != false
    msg := sprintf("%s: public network access", [r.address])
}

warn_owner contains msg if {
    some rc in input.resource_changes
    rc.change.actions == ["create"]
    object.get(rc.change.after, "tags", null) != null
    not rc.change.after.tags.owner
    msg := sprintf("%s: no owner tag", [rc.address])
}

deny_unknown_id contains msg if {
    some rc in input.resource_changes
    rc.type == "azurerm_container_app"
    rc.change.after_unknown.id == true
    msg := sprintf("%s: id known after apply", [rc.address])
}
"#,
        ),
    ]);
    let plan = root().join("tests/fixtures/terraform-json/own/dev.plan.json");
    let mut from_plan = policy_findings(&["--plan", &plan.display().to_string(), "--policy", &p(&dir)]);
    let mut from_config = policy_findings(&["terraform/dev", "--policy", &p(&dir)]);
    from_plan.sort();
    from_config.sort();
    assert!(!from_plan.is_empty());
    assert!(from_plan.iter().any(|f| f.0 == "main.deny_unknown_id"), "{from_plan:?}");
    assert_eq!(from_plan, from_config);
}

#[test]
fn a_policy_that_does_not_parse_is_an_error_with_its_place() {
    let dir = policies(&[(
        "main.rego",
        "package main\nimport rego.v1\n\ndeny contains msg if {\n  msg := \n}\n",
    )]);
    let (code, findings, stderr) = check(&["terraform/dev", "--policy", &p(&dir)]);
    assert_eq!(code, 2, "{stderr}");
    assert!(findings.is_empty(), "no partial output");
    let file = dir.path().join("main.rego").display().to_string();
    assert!(
        stderr.contains(&format!("{file}:6:")) || stderr.contains(&format!("{file}:5:")),
        "{stderr}"
    );
    assert!(stderr.contains("help:"), "{stderr}");
}

#[test]
fn a_policy_that_fails_to_evaluate_or_returns_no_msg_is_an_error() {
    let conflict = policies(&[(
        "main.rego",
        "package main\nimport rego.v1\n\nx := 1 if { true }\nx := 2 if { true }\n\ndeny contains \"y\" if { x == 1 }\n",
    )]);
    let (code, _, stderr) = check(&["terraform/dev", "--policy", &p(&conflict)]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("main.rego:"), "located: {stderr}");
    let no_msg = policies(&[(
        "main.rego",
        "package main\nimport rego.v1\n\ndeny contains {\"message\": \"x\"} if { true }\n",
    )]);
    let (code, _, stderr) = check(&["terraform/dev", "--policy", &p(&no_msg)]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("main.deny") && stderr.contains("`msg`"), "{stderr}");
}

#[test]
fn policy_findings_are_waived_and_suppressed_like_built_in_ones() {
    let t = tempfile::tempdir().unwrap();
    std::fs::create_dir(t.path().join(".git")).unwrap();
    let tf = "resource \"azurerm_resource_group\" \"a\" {\n  name     = \"rg-a\"\n  location = \"westeurope\"\n}\n\n# infra:ignore[main.deny_rg] a sandbox group, agreed with security\nresource \"azurerm_resource_group\" \"b\" {\n  name     = \"rg-b\"\n  location = \"westeurope\"\n}\n\nresource \"azurerm_resource_group\" \"c\" {\n  name     = \"rg-c\"\n  location = \"westeurope\"\n}\n";
    std::fs::create_dir(t.path().join("tf")).unwrap();
    std::fs::write(t.path().join("tf/main.tf"), tf).unwrap();
    std::fs::create_dir(t.path().join("policy")).unwrap();
    std::fs::write(
        t.path().join("policy/main.rego"),
        "package main\nimport rego.v1\n\ndeny_rg contains sprintf(\"%s: no resource groups here\", [rc.address]) if {\n  some rc in input.resource_changes\n  rc.type == \"azurerm_resource_group\"\n}\n",
    )
    .unwrap();
    std::fs::write(
        t.path().join("infra.toml"),
        "[check]\npolicy = \"policy\"\n\n[[waivers]]\nrule = \"main.deny_rg\"\naddress = \"azurerm_resource_group.c\"\nreason = \"migrating\"\nexpires = 2099-01-01\n",
    )
    .unwrap();
    let out = infra_in(t.path(), &["check", "tf", "--format", "json"]);
    let json: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    let state: Vec<(String, bool)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "main.deny_rg")
        .map(|f| (f["address"].as_str().unwrap().to_string(), f["suppressed"] == true))
        .collect();
    assert_eq!(
        state,
        [
            ("azurerm_resource_group.a".to_string(), false),
            ("azurerm_resource_group.b".to_string(), true),
            ("azurerm_resource_group.c".to_string(), true),
        ]
    );
    assert_eq!(out.status.code(), Some(1), "the unwaived finding fails the run");
}

#[test]
fn infra_toml_policy_paths_stay_inside_the_repository() {
    let outside = policies(&[(
        "main.rego",
        "package main\nimport rego.v1\ndeny contains \"x\" if { true }\n",
    )]);
    let t = tempfile::tempdir().unwrap();
    std::fs::create_dir(t.path().join(".git")).unwrap();
    std::fs::create_dir(t.path().join("tf")).unwrap();
    std::fs::write(
        t.path().join("tf/main.tf"),
        "resource \"azurerm_resource_group\" \"a\" {\n  name     = \"rg\"\n  location = \"westeurope\"\n}\n",
    )
    .unwrap();
    std::fs::write(
        t.path().join("infra.toml"),
        format!("[check]\npolicy = {:?}\n", p(&outside)),
    )
    .unwrap();
    let out = infra_in(t.path(), &["check", "tf"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("outside the repository"), "{stderr}");
}

#[test]
fn sarif_with_policy_findings_is_valid_and_describes_the_policy_rules() {
    let dir = policies(&[(
        "main.rego",
        "package main\nimport rego.v1\n\n# METADATA\n# title: Storage is private\ndeny_storage contains sprintf(\"%s\", [rc.address]) if {\n  some rc in input.resource_changes\n  rc.type == \"azurerm_storage_account\"\n}\n",
    )]);
    let out = infra_in(
        &root(),
        &["check", "terraform/dev", "--policy", &p(&dir), "--format", "sarif"],
    );
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let v = crate::check_sarif_schema::validator();
    assert_eq!(crate::check_sarif_schema::errors(&v, &sarif), Vec::<String>::new());
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    let index = rules
        .iter()
        .position(|r| r["id"] == "main.deny_storage")
        .expect("described");
    assert_eq!(rules[index]["shortDescription"]["text"], "Storage is private");
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "main.deny_storage")
        .unwrap()
        .clone();
    assert_eq!(result["ruleIndex"], index);
    assert!(result["locations"][0]["physicalLocation"]["region"]["startLine"].is_number());
}

#[test]
fn policy_test_runs_test_rules_and_fails_when_one_fails() {
    let dir = policies(&[
        ("utils.rego", UTILS),
        (
            "main.rego",
            "package main\nimport rego.v1\n\ndeny contains \"public\" if { input.public }\n",
        ),
        (
            "main_test.rego",
            "package main\nimport rego.v1\n\ntest_public_is_denied if { \"public\" in deny with input as {\"public\": true} }\n\ntest_private_passes if { count(deny) == 0 with input as {\"public\": false} }\n\ntest_utils_finds_a_registry if {\n  r := data.utils.resource({\"resource_changes\": [{\"address\": \"a.b\", \"type\": \"a\", \"mode\": \"managed\", \"change\": {\"after\": {}}}]}, \"a\")\n  count(r) == 1\n}\n",
        ),
    ]);
    let out = infra_in(&root(), &["policy", "test", &p(&dir)]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("3 passed, 0 failed"), "{text}");
    std::fs::write(
        dir.path().join("more_test.rego"),
        "package main\nimport rego.v1\n\ntest_wrong if { count(deny) == 1 with input as {\"public\": false} }\n",
    )
    .unwrap();
    let out = infra_in(&root(), &["policy", "test", &p(&dir)]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("FAIL  main.test_wrong"), "{text}");
}

#[test]
fn a_missing_policy_path_is_an_error() {
    let (code, _, stderr) = check(&["terraform/dev", "--policy", "no/such/dir"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no/such/dir"), "{stderr}");
}

/// The policy findings of `infra check . --policy policy --format json ARGS` in `dir`: (rule, address, baseline
/// state), with the run's exit code.
fn policy_states(dir: &std::path::Path, args: &[&str]) -> (i32, Vec<(String, String, String)>) {
    let mut all = vec!["check", ".", "--policy", "policy", "--format", "json"];
    all.extend_from_slice(args);
    let out = infra_in(dir, &all);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    let found = json["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no findings: {}", String::from_utf8_lossy(&out.stderr)))
        .iter()
        .filter(|f| f["rule"] == "main.deny_not_premium")
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            (s("rule"), s("address"), s("baseline_state"))
        })
        .collect();
    (out.status.code().unwrap(), found)
}

/// Policy findings take part in baselines like built-in ones: `--write-baseline` records them, `--baseline` and
/// `--base REF` report as new only those the change introduces (the policies read at REF too).
#[test]
fn policy_findings_with_a_baseline_and_with_base() {
    let registry = |name: &str| {
        format!(
            "resource \"azurerm_container_registry\" \"{name}\" {{\n  name                = \"acr{name}\"\n  \
             resource_group_name = \"rg\"\n  location            = \"westeurope\"\n  sku                 = \"Standard\"\n}}\n"
        )
    };
    let t = tempfile::tempdir().unwrap();
    std::fs::write(t.path().join("infra.toml"), "").unwrap();
    std::fs::write(t.path().join("main.tf"), registry("one")).unwrap();
    std::fs::create_dir(t.path().join("policy")).unwrap();
    std::fs::write(
        t.path().join("policy/premium.rego"),
        "package main\nimport rego.v1\n\ndeny_not_premium contains msg if {\n    some rc in input.resource_changes\n    \
         rc.type == \"azurerm_container_registry\"\n    rc.change.after.sku != \"Premium\"\n    \
         msg := sprintf(\"%s: not Premium\", [rc.address])\n}\n",
    )
    .unwrap();
    let one = "azurerm_container_registry.one".to_string();
    let two = "azurerm_container_registry.two".to_string();
    let rule = "main.deny_not_premium".to_string();
    let (code, found) = policy_states(t.path(), &[]);
    assert_eq!((code, found), (1, vec![(rule.clone(), one.clone(), String::new())]));

    // A baseline records the policy finding: against it, nothing is new and the run passes.
    let (code, _) = policy_states(t.path(), &["--write-baseline", "infra-baseline.json"]);
    assert_eq!(code, 0);
    let baseline = std::fs::read_to_string(t.path().join("infra-baseline.json")).unwrap();
    assert!(baseline.contains("main.deny_not_premium"), "{baseline}");
    let (code, found) = policy_states(t.path(), &["--baseline", "infra-baseline.json"]);
    assert_eq!(code, 0, "{found:?}");
    assert!(found.iter().all(|f| f.2 != "new"), "{found:?}");

    // A second registry: its policy finding is new, the first one's is not.
    git(t.path(), &["init", "-q", "-b", "main"]);
    git(t.path(), &["add", "."]);
    git(t.path(), &["commit", "-q", "-m", "one"]);
    std::fs::write(t.path().join("main.tf"), registry("one") + "\n" + &registry("two")).unwrap();
    git(t.path(), &["commit", "-q", "-am", "two"]);
    for args in [&["--baseline", "infra-baseline.json"][..], &["--base", "HEAD~1"][..]] {
        let (code, found) = policy_states(t.path(), args);
        assert_eq!(code, 1, "{args:?}");
        let new: Vec<&String> = found.iter().filter(|f| f.2 == "new").map(|f| &f.1).collect();
        assert_eq!(new, [&two], "{args:?}: {found:?}");
    }
    // Against itself, nothing is new.
    let (code, found) = policy_states(t.path(), &["--base", "HEAD"]);
    assert_eq!(code, 0, "{found:?}");
    assert!(found.iter().all(|f| f.2 != "new"), "{found:?}");
}

/// A policy that asks for far more memory than any real one (one builtin call building a billion numbers: ~24 GB,
/// beyond what the time limit can stop) ends the run at the policies' 2 GiB ceiling with a clear error and exit
/// code 2, before anything is printed — not after exhausting the machine.
#[test]
fn a_policy_that_exhausts_memory_is_stopped_with_a_clear_error() {
    let huge = "package main\nimport rego.v1\n\ndeny contains msg if {\n    count(numbers.range(1, 1000000000)) > 0\n    msg := \"never\"\n}\n";
    let dir = policies(&[("main.rego", huge)]);
    let started = std::time::Instant::now();
    let out = infra_in(&root(), &["check", "terraform/dev", "--policy", &p(&dir)]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty(), "nothing printed before the refusal");
    assert!(
        stderr.contains("error: the Rego policies took more than 2 GiB of memory"),
        "{stderr}"
    );
    assert!(stderr.contains("help: "), "{stderr}");
    // The rule that asked for it is named.
    assert!(stderr.contains("note: it was evaluating data.main.deny\n"), "{stderr}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(25),
        "stopped by the ceiling, not by the 30 s time limit"
    );
    // `infra policy test` runs under the same ceiling.
    let test = "package main\nimport rego.v1\n\ntest_huge if {\n    count(numbers.range(1, 1000000000)) > 0\n}\n";
    let dir = policies(&[("main_test.rego", test)]);
    let out = infra_in(&root(), &["policy", "test", &p(&dir)]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("took more than 2 GiB"), "{stderr}");
    assert!(
        stderr.contains("note: it was evaluating data.main.test_huge\n"),
        "{stderr}"
    );
}
