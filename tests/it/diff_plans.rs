//! `terraform show -json` plans: every fixture reads and renders (text and Markdown pinned), malformed input
//! gets a clear error or warning.

use infra::diff::{self, Action};
use infra::plan::Plan;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/terraform-json")
}

fn plan_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixtures().join("plans"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_plan_fixture_reads_and_renders() {
    let files = plan_files();
    assert_eq!(files.len(), 11);
    for path in files {
        let stem = path.file_name().unwrap().to_string_lossy().replace(".plan.json", "");
        let plan = parse(&path);
        let set = diff::from_plan(&plan);
        snapshot!("diff", format!("plan_{stem}_text"), diff::text::render(&set, false));
        snapshot!("diff", format!("plan_{stem}_markdown"), diff::markdown::render(&set));
    }
}

/// The plan at `path`, named by its file name in messages (so snapshots do not depend on the checkout).
fn parse(path: &Path) -> Plan {
    let name = path.file_name().unwrap().to_string_lossy();
    Plan::parse(&name, &std::fs::read(path).unwrap()).unwrap_or_else(|e| panic!("{e}"))
}

fn read(name: &str) -> infra::diff::ChangeSet {
    diff::from_plan(&parse(&fixtures().join("plans").join(name)))
}

#[test]
fn json_view_of_a_plan_with_every_action_and_masked_values() {
    let set = read("02_azuredevops_create_update_delete_replace_read.plan.json");
    snapshot!("diff", "plan_02_json", diff::json::render(&set));
}

#[test]
fn replace_paths_and_reasons_come_through() {
    let set = read("05_tfcore_golden_requires_replace.plan.json");
    let c = &set.changes[0];
    assert_eq!(
        c.action,
        Action::Replace {
            create_before_destroy: false
        }
    );
    let text = diff::text::render(&set, false);
    assert!(
        text.contains("      ~ ami = \"bar\" -> \"force-replace\" # forces replacement\n"),
        "{text}"
    );
    assert!(
        text.contains("      ~ id  = \"placeholder\" -> (known after apply)\n"),
        "{text}"
    );
    assert!(text.contains("Plan: 1 to add, 0 to change, 1 to destroy.\n"), "{text}");

    let set = read("04_azurerm_role_assignments_SYNTHETIC.plan.json");
    let cbd = set
        .changes
        .iter()
        .find(|c| c.address == "azurerm_role_assignment.replace_assignment")
        .unwrap();
    assert_eq!(
        cbd.action,
        Action::Replace {
            create_before_destroy: true
        }
    );
    assert!(diff::text::render(&set, false).contains("+/- resource \"azurerm_role_assignment\" \"replace_assignment\""));

    let set = read("10_tfjson_action_reason_tainted.plan.json");
    assert!(diff::text::render(&set, false).contains("  # null_resource.example is tainted, so must be replaced\n"));
}

#[test]
fn moves_imports_reads_and_deletes_say_what_they_are() {
    let text = diff::text::render(&read("08_tfjson_moved_block.plan.json"), false);
    assert!(
        text.contains("  # random_id.test has moved to random_id.test2\n"),
        "{text}"
    );

    let set = read("09_tfjson_identity_import.plan.json");
    assert_eq!(set.changes[0].action, Action::Update);
    assert_eq!(
        set.summary().line(),
        "Plan: 1 to import, 0 to add, 1 to change, 0 to destroy."
    );

    let text = diff::text::render(
        &read("02_azuredevops_create_update_delete_replace_read.plan.json"),
        false,
    );
    assert!(
        text.contains(" <= data \"azuredevops_project\" \"example\" {\n"),
        "{text}"
    );
    assert!(
        text.contains("  # (because azuredevops_build_definition.example is not in configuration)\n"),
        "{text}"
    );
    assert!(text.contains("Plan: 3 to add, 1 to change, 2 to destroy.\n"), "{text}");
}

#[test]
fn counts_match_terraforms_summary_line() {
    // Counted as `terraform plan` prints them for these plans.
    for (file, line) in [
        (
            "01_azurerm_firewall_update_drift.plan.json",
            "Plan: 0 to add, 1 to change, 0 to destroy.",
        ),
        (
            "03_azurerm_comprehensive_SYNTHETIC.plan.json",
            "Plan: 17 to add, 6 to change, 5 to destroy.",
        ),
        (
            "07_tfcore_golden_basic_delete.plan.json",
            "Plan: 0 to add, 1 to change, 1 to destroy.",
        ),
        (
            "12_tfsummarize_example_github_create.plan.json",
            "Plan: 7 to add, 0 to change, 0 to destroy.",
        ),
    ] {
        assert_eq!(read(file).summary().line(), line, "{file}");
    }
}

#[test]
fn empty_actions_are_skipped_with_a_warning_naming_them() {
    let plan = Plan::read(&fixtures().join("plans/03_azurerm_comprehensive_SYNTHETIC.plan.json")).unwrap();
    assert_eq!(plan.warnings.len(), 1);
    assert!(plan.warnings[0].contains("skipped 20 resource change(s) with an empty \"actions\" list"));
    assert!(plan.warnings[0].contains("azurerm_monitor_diagnostic_setting.noop0, "));
    assert!(plan.warnings[0].ends_with("azurerm_monitor_diagnostic_setting.noop19"));
    let text = diff::text::render(&diff::from_plan(&plan), false);
    assert!(text.contains("\nWarning: "), "{text}");
}

fn err(name: &str, text: &[u8]) -> String {
    Plan::parse(name, text).unwrap_err().message
}

#[test]
fn malformed_input_gets_a_clear_error() {
    let full = std::fs::read(fixtures().join("plans/07_tfcore_golden_basic_delete.plan.json")).unwrap();
    let truncated = &full[..1000];
    let e = err("plan.json", truncated);
    assert!(e.starts_with("plan.json:"), "{e}");
    assert!(e.contains("the JSON ends early (truncated?)"), "{e}");

    let e = err(
        "plan.json",
        b"{\"format_version\": \"1.2\",\n  \"resource_changes\": [}",
    );
    assert_eq!(
        e,
        "plan.json:2:24: not valid JSON: expected value; expected the output of `terraform show -json PLANFILE`"
    );

    for state in [
        "states/tfsummarize_example.tfstate",
        "states/tfcore_show_json_state_modules.show.json",
        "states/tfcore_show_json_state_sensitive.show.json",
        "states/tfjson_110_sensitive_values.tfstate",
    ] {
        let text = std::fs::read(fixtures().join(state)).unwrap();
        let e = err("x.json", &text);
        assert_eq!(
            e,
            "x.json: this is a state file, not a plan: run `terraform show -json PLANFILE` on a saved plan \
             (`terraform plan -out PLANFILE`)",
            "{state}"
        );
    }

    let e = err("p.json", br#"{"format_version": "2.0", "resource_changes": []}"#);
    assert_eq!(
        e,
        "p.json: unsupported plan format_version \"2.0\": infra reads format 0.1, 0.2 and 1.x"
    );
    let e = err("p.json", br#"[1, 2]"#);
    assert!(e.contains("not a Terraform plan"), "{e}");
    let e = err("p.json", br#"{"resource_changes": []}"#);
    assert!(e.contains("no \"format_version\""), "{e}");
    let e = err("p.json", b"");
    assert!(e.contains("truncated"), "{e}");
    // 1.x minor versions and the 0.x formats of Terraform 0.12-0.15 are read.
    assert!(Plan::parse("p", br#"{"format_version": "1.9", "resource_changes": []}"#).is_ok());
    assert!(Plan::parse("p", br#"{"format_version": "0.2", "planned_values": {}}"#).is_ok());
}

#[test]
fn planned_config_turns_planned_values_into_resource_blocks() {
    let plan = Plan::parse(
        "p.json",
        br#"{"format_version": "1.2", "planned_values": {"root_module": {
          "resources": [{"address": "azurerm_container_registry.main", "mode": "managed",
            "type": "azurerm_container_registry", "name": "main",
            "values": {"name": "crshop", "sku": "Premium", "admin_password": "hunter2-secret", "tags": {"a": "b"},
              "georeplications": [{"location": "northeurope", "zone_redundancy_enabled": true}]},
            "sensitive_values": {"admin_password": true}}],
          "child_modules": [{"address": "module.net", "resources": [{"address": "module.net.azurerm_resource_group.x",
            "mode": "managed", "type": "azurerm_resource_group", "name": "x", "values": {"name": "rg"}}]}]}}}"#,
    )
    .unwrap();
    let config = plan.planned_config();
    let names: Vec<&str> = config.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["planned.tf.json", "module.net"]);
    let acr = config.resource("azurerm_container_registry.main").unwrap();
    assert_eq!(acr.get("sku").and_then(infra::terraform::expr::as_str), Some("Premium"));
    // `georeplications` is a nested block in the azurerm schema: a block, not an attribute.
    let geo: Vec<_> = acr.body().blocks_of("georeplications").collect();
    assert_eq!(geo.len(), 1);
    assert_eq!(
        geo[0].body.get("location").and_then(infra::terraform::expr::as_str),
        Some("northeurope")
    );
    assert!(acr.get("georeplications").is_none());
    // Sensitive values never reach the configuration.
    assert_eq!(acr.get("admin_password"), Some(&infra::terraform::Expression::Null));
    assert_eq!(config.files[1].body.blocks().count(), 1);

    let plan = Plan::read(&fixtures().join("plans/12_tfsummarize_example_github_create.plan.json")).unwrap();
    let names: Vec<String> = plan.planned_config().files.iter().map(|f| f.name.clone()).collect();
    assert_eq!(
        names,
        [
            "planned.tf.json",
            "module.github[\"demo-repository\"]",
            "module.github[\"terraform-plan-summary\"]"
        ]
    );
}
