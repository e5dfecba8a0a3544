//! infra's SARIF validates against the SARIF 2.1.0 JSON schema (draft-04), and the validator really validates.

use infra::check::{self, output, Date, Settings};
use infra::terraform::Config;
use serde_json::Value;
use std::path::Path;

pub(crate) fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string("tests/fixtures/sarif-2.1.0/sarif-schema-2.1.0.json").unwrap();
    let mut schema: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-04/schema#");
    // The published schema's `run.language` pattern has a stray `]`, a literal in ECMA-262 regexes (which JSON
    // Schema specifies) but a syntax error for Rust's regex engines. Escape it: same meaning, nothing else changes.
    const STRAY: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
    assert_eq!(
        escape_stray_bracket(&mut schema, STRAY),
        2,
        "run.language and toolComponent.language"
    );
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

/// Replaces every `"pattern": <stray>` with the same pattern, its `]` escaped; returns how many.
fn escape_stray_bracket(v: &mut Value, stray: &str) -> usize {
    match v {
        Value::Object(map) => {
            let mut n = 0;
            for (k, child) in map.iter_mut() {
                if k == "pattern" && child.as_str() == Some(stray) {
                    *child = stray.replace("}]?", "}\\]?").into();
                    n += 1;
                } else {
                    n += escape_stray_bracket(child, stray);
                }
            }
            n
        }
        Value::Array(items) => items.iter_mut().map(|i| escape_stray_bracket(i, stray)).sum(),
        _ => 0,
    }
}

pub(crate) fn errors(v: &jsonschema::Validator, sarif: &Value) -> Vec<String> {
    v.iter_errors(sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn sarif_for(dir: &str, settings: &Settings) -> Value {
    let config = Config::read_dir_with(Path::new(dir), infra::azurerm::builtin_schemas()).unwrap();
    let report = check::check(&config, settings, Some("prod"), true);
    serde_json::from_str(&output::sarif::render(&report)).unwrap()
}

#[test]
fn sarif_output_is_valid_sarif_2_1_0() {
    let v = validator();
    let mut settings = Settings::parse(
        "[check]\nrequired_tags = [\"owner\"]\n\n[[waivers]]\nrule = \"ACR004\"\naddress = \"azurerm_container_registry.other\"\nreason = \"r\"\nexpires = \"2999-01-01\"\n",
    )
    .unwrap();
    settings.today = Date::parse("2026-11-29").unwrap();
    let mut checked = 0;
    for dir in [
        "tests/fixtures/check/ACR004/fail",
        "tests/fixtures/check/APP001/fail",
        "tests/fixtures/check/STG004/fail",
        "terraform/dev",
        "terraform/prod",
        "tests/fixtures/check/ACR001/pass",
        "tests/fixtures/check/GEN003/pass",
        "tests/fixtures/check/GEN003/fail",
    ] {
        let sarif = sarif_for(dir, &settings);
        assert_eq!(errors(&v, &sarif), Vec::<String>::new(), "{dir}");
        checked += sarif["runs"][0]["results"].as_array().unwrap().len();
    }
    // Plan mode: locations in the plan file.
    let text = std::fs::read_to_string("tests/fixtures/check/plan/prod.plan.json").unwrap();
    let plan = infra::plan::Plan::parse("prod.plan.json", text.as_bytes()).unwrap();
    let config = check::planned_config(
        &plan,
        "tests/fixtures/check/plan/prod.plan.json",
        &text,
        infra::azurerm::builtin_schemas(),
    );
    let report = check::check(&config, &settings, None, true);
    let sarif: Value = serde_json::from_str(&output::sarif::render(&report)).unwrap();
    assert_eq!(errors(&v, &sarif), Vec::<String>::new(), "plan");
    checked += sarif["runs"][0]["results"].as_array().unwrap().len();
    assert!(checked > 5);
    // A waived finding carries a suppression, and the log still validates (checked above).
    let sarif = sarif_for("tests/fixtures/check/ACR004/fail", &settings);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| r["suppressions"][0]["kind"] == "external"));
    // An in-source suppression (a comment) is `inSource`, and validates too (checked above).
    let sarif = sarif_for("tests/fixtures/check/GEN003/pass", &settings);
    let inline = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(inline.iter().any(|r| r["suppressions"][0]["kind"] == "inSource"));
    // GitHub code scanning needs these on every rule and result.
    for rule in sarif["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap() {
        assert!(rule["help"]["text"].is_string() && rule["help"]["markdown"].is_string());
        assert!(rule["properties"]["security-severity"].is_string());
        // The docs link is relative to the repository, so it is in the markdown help, not in `helpUri` (which
        // SARIF wants absolute).
        let id = rule["id"].as_str().unwrap();
        assert!(rule.get("helpUri").is_none());
        assert!(rule["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains(&format!("](docs/rules/{id}.md)")));
    }
    for r in results {
        assert!(r["partialFingerprints"].is_object());
        assert!(
            r["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap()
                >= 1
        );
        assert!(
            r["locations"][0]["physicalLocation"]["region"]["startColumn"]
                .as_u64()
                .unwrap()
                >= 1
        );
    }
}

#[test]
fn the_validator_rejects_invalid_sarif() {
    let v = validator();
    let settings = Settings::default();
    let good = sarif_for("tests/fixtures/check/ACR001/fail", &settings);
    assert!(errors(&v, &good).is_empty());

    let mut bad_level = good.clone();
    bad_level["runs"][0]["results"][0]["level"] = "severe".into();
    assert!(!errors(&v, &bad_level).is_empty());

    let mut bad_line = good.clone();
    bad_line["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0.into();
    assert!(!errors(&v, &bad_line).is_empty());

    let mut bad_suppression = good.clone();
    bad_suppression["runs"][0]["results"][0]["suppressions"] = serde_json::json!([{"kind": "waived"}]);
    assert!(!errors(&v, &bad_suppression).is_empty());

    let mut no_driver = good;
    no_driver["runs"][0]["tool"] = serde_json::json!({});
    assert!(!errors(&v, &no_driver).is_empty());
}
