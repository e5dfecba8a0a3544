//! infra reads what Terraform reads (issue 12, item 6): every syntax form of Terraform's language docs, the two
//! constructs hcl-edit 0.10.0 rejected (patched in patches/hcl-edit), and one unreadable file does not hide the
//! others from `infra check`.

use infra::terraform::{Config, Format};
use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_infra");

fn corpus() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hcl-syntax")
}

fn local<'c>(config: &'c Config, name: &str) -> &'c hcl::Expression {
    config
        .blocks_of("locals")
        .find_map(|(_, b)| b.body.get(name))
        .unwrap_or_else(|| panic!("no local {name}"))
}

#[test]
fn every_file_of_the_syntax_corpus_is_read() {
    let config = Config::read_dir_with(&corpus(), infra::azurerm::builtin_schemas()).unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<&str> = config.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["dynamic.tf", "expressions.tf", "structure.tf", "templates.tf"]);
    // Spot checks that each file was read whole, not stopped early.
    assert!(config.resource("azurerm_container_app.app").is_some());
    assert!(config.blocks_of("check").next().is_some());
    assert!(config.blocks_of("removed").next().is_some());
    local(&config, "type_conversion");
    local(&config, "json_heredoc");
}

#[test]
fn the_syntax_corpus_is_terraform_that_terraform_accepts() {
    // `terraform fmt` parses every file: it fails on any syntax error (and -check on non-canonical layout).
    let out = Command::new("terraform")
        .args(["fmt", "-check", "-diff", "-no-color"])
        .current_dir(corpus())
        .env("TF_CLI_CONFIG_FILE", "/dev/null")
        .output()
        .expect("terraform must be installed to run the test suite (see README)");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_repeated_object_key_keeps_the_last_value_as_terraform_does() {
    let text = "locals {\n  tags = {\n    env  = \"dev\"\n    tier = \"web\"\n    env  = \"prod\"\n  }\n}\n";
    for (format, text) in [
        (Format::Hcl, text.to_string()),
        // The JSON syntax reads objects through serde_json, which keeps the last value too.
        (
            Format::Json,
            r#"{"locals": {"tags": {"env": "dev", "tier": "web", "env": "prod"}}}"#.to_string(),
        ),
    ] {
        let file = Config::parse_file_with("t", "t".into(), format, &text, infra::azurerm::builtin_schemas())
            .unwrap_or_else(|e| panic!("{e}"));
        let config = Config { files: vec![file] };
        let hcl::Expression::Object(tags) = local(&config, "tags") else {
            panic!("not an object")
        };
        let env: Vec<_> = tags
            .iter()
            .filter(|(k, _)| k.to_string().trim_matches('"') == "env")
            .map(|(_, v)| v.clone())
            .collect();
        assert_eq!(env, [hcl::Expression::from("prod")], "{format:?}");
        assert_eq!(tags.len(), 2);
    }
}

#[test]
fn a_line_break_after_an_operator_inside_an_object_for_is_read() {
    let text = r#"locals {
  zones = {
    for location, v in var.locations : location =>
    local.enabled &&
    anytrue([for z in v.zones : z != null])
  }
}
"#;
    let file = Config::parse_file_with(
        "t.tf",
        "t.tf".into(),
        Format::Hcl,
        text,
        infra::azurerm::builtin_schemas(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let config = Config { files: vec![file] };
    let hcl::Expression::ForExpr(f) = local(&config, "zones") else {
        panic!("not a for expression")
    };
    assert!(f.key_expr.is_some());
    assert!(
        matches!(f.value_expr, hcl::Expression::Operation(_)),
        "{:?}",
        f.value_expr
    );
}

#[test]
fn one_unreadable_file_is_a_tool_error_and_the_other_files_are_still_checked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("good.tf"),
        "resource \"azurerm_container_registry\" \"main\" {\n  name = \"acrmain01\"\n  resource_group_name = \"rg\"\n  \
         location = \"westeurope\"\n  sku = \"Premium\"\n  admin_enabled = true\n}\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("bad.tf"), "resource \"a\" \"b\" {\n  name = \n}\n").unwrap();
    std::fs::write(dir.path().join("infra.toml"), "").unwrap();

    let out = Command::new(BIN)
        .args(["check", ".", "--format", "sarif"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("bad.tf:2:10"), "{stderr}");
    assert!(stderr.contains("help:"), "{stderr}");
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let run = &sarif["runs"][0];
    let rules: Vec<&str> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"ACR001"), "good.tf was not checked: {rules:?}");
    let invocation = &run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let note = &invocation["toolExecutionNotifications"][0];
    assert_eq!(note["level"], "error");
    let place = &note["locations"][0]["physicalLocation"];
    assert_eq!(place["artifactLocation"]["uri"], "bad.tf");
    assert_eq!(place["region"]["startLine"], 2);
    assert_eq!(place["region"]["startColumn"], 10);

    // Text and JSON say the same: findings of good.tf, exit 2, the unread file named.
    let out = Command::new(BIN)
        .args(["check", ".", "--format", "json"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["unread"][0]["file"], "bad.tf");
    assert_eq!(json["unread"][0]["line"], 2);
    assert!(json["summary"]["findings"].as_u64().unwrap() > 0);
}

#[test]
fn a_directory_whose_only_file_is_unreadable_is_still_a_plain_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.tf"), "resource \"a\" \"b\" {\n  name = \n}\n").unwrap();
    let out = Command::new(BIN)
        .args(["check", "."])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "no partial output");
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.tf:2:10"));
}
