//! No sensitive value — masked by a plan's `*_sensitive`, marked sensitive by the azurerm schema, or coming
//! from a `sensitive = true` variable — appears in any output format, for any plan fixture or scenario.

use infra::diff::{self, ChangeSet};
use infra::plan::Plan;
use infra::terraform::Config;
use serde_json::Value;
use std::path::Path;

/// Every string or number leaf of `v` where `mask` is `true` (or under a `true`).
fn masked_leaves(v: &Value, mask: &Value, under: bool, out: &mut Vec<String>) {
    let under = under || mask == &Value::Bool(true);
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                masked_leaves(x, mask.get(k).unwrap_or(&Value::Null), under, out)
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                masked_leaves(x, mask.get(i).unwrap_or(&Value::Null), under, out)
            }
        }
        Value::String(s) if under => out.push(s.clone()),
        Value::Number(n) if under => out.push(n.to_string()),
        _ => {}
    }
}

/// Strings under attributes the vendored azurerm schema marks sensitive.
fn schema_sensitive_leaves(resource_type: &str, v: &Value, out: &mut Vec<String>) {
    if let (Some(schema), Value::Object(o)) = (infra::azurerm::resource_schema(resource_type), v) {
        for (k, x) in o {
            if schema.attributes.get(k).is_some_and(|a| a.sensitive) {
                masked_leaves(x, &Value::Bool(true), true, out);
            }
        }
    }
}

fn all_formats(set: &ChangeSet) -> Vec<String> {
    vec![
        diff::text::render(set, false),
        diff::text::render(set, true),
        diff::markdown::render(set),
        diff::json::render(set),
    ]
}

fn assert_none_in(secrets: &[String], outputs: &[String], what: &str) {
    for s in secrets.iter().filter(|s| s.len() >= 6) {
        for o in outputs {
            assert!(!o.contains(s.as_str()), "{what}: sensitive value {s:?} printed:\n{o}");
        }
    }
}

#[test]
fn no_sensitive_value_from_any_plan_fixture_is_printed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/terraform-json/plans");
    let mut total = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let raw: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let mut secrets = Vec::new();
        for list in ["resource_changes", "resource_drift"] {
            for rc in raw[list].as_array().into_iter().flatten() {
                let c = &rc["change"];
                masked_leaves(&c["before"], &c["before_sensitive"], false, &mut secrets);
                masked_leaves(&c["after"], &c["after_sensitive"], false, &mut secrets);
                let ty = rc["type"].as_str().unwrap_or("");
                schema_sensitive_leaves(ty, &c["before"], &mut secrets);
                schema_sensitive_leaves(ty, &c["after"], &mut secrets);
            }
        }
        for (_, c) in raw["output_changes"].as_object().into_iter().flatten() {
            masked_leaves(&c["before"], &c["before_sensitive"], false, &mut secrets);
            masked_leaves(&c["after"], &c["after_sensitive"], false, &mut secrets);
        }
        // Values of variables the configuration declares sensitive.
        for (name, v) in raw["configuration"]["root_module"]["variables"]
            .as_object()
            .into_iter()
            .flatten()
        {
            if v["sensitive"] == Value::Bool(true) {
                masked_leaves(&raw["variables"][name]["value"], &Value::Bool(true), true, &mut secrets);
            }
        }
        total += secrets.len();
        let plan = Plan::parse("plan.json", &std::fs::read(&path).unwrap()).unwrap();
        assert_none_in(
            &secrets,
            &all_formats(&diff::from_plan(&plan)),
            &path.display().to_string(),
        );
    }
    // The fixtures do hold secrets (e.g. 02's `supersecret`): the test is not vacuous.
    assert!(total >= 5, "only {total} sensitive values found in the fixtures");
}

#[test]
fn no_sensitive_value_from_a_configuration_is_printed() {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff/base");
    let main = std::fs::read_to_string(base.join("main.tf")).unwrap();
    let vars = std::fs::read_to_string(base.join("variables.tf")).unwrap();
    let write = |main: &str, vars: &str| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("main.tf"), main).unwrap();
        std::fs::write(dir.path().join("variables.tf"), vars).unwrap();
        let config = Config::read_dir_with(dir.path(), infra::azurerm::builtin_schemas()).unwrap();
        (dir, config)
    };
    // Literal secrets in schema-sensitive arguments, a sensitive variable used in a secret and in an output,
    // and a sensitive output — changed, created and destroyed.
    let old_main = main.replace(
        "azurerm_storage_account.data.primary_access_key",
        "\"literal-access-key-OLD-0123456789\"",
    ) + "\noutput \"db\" {\n  value = \"postgres://app:${var.database_password}@db\"\n}\n";
    let new_main = main
        .replace(
            "azurerm_storage_account.data.primary_access_key",
            "\"literal-access-key-NEW-9876543210\"",
        )
        .replace("value = var.database_password", "value = \"inline-secret-value-42\"")
        + "\noutput \"token\" {\n  value     = \"output-token-abcdef\"\n  sensitive = true\n}\n";
    let new_vars = vars.replace("s3cr3t-Pa55w0rd-from-variable", "n3w-s3cr3t-from-variable");
    let (_a, old) = write(&old_main, &vars);
    let (_b, new) = write(&new_main, &new_vars);
    let secrets: Vec<String> = [
        "literal-access-key-OLD-0123456789",
        "literal-access-key-NEW-9876543210",
        "s3cr3t-Pa55w0rd-from-variable",
        "n3w-s3cr3t-from-variable",
        "output-token-abcdef",
        "inline-secret-value-42",
    ]
    .map(String::from)
    .to_vec();
    for set in [
        diff::from_configs(&old, &new),
        diff::from_configs(&new, &old),
        diff::from_configs(&Config::default(), &new),
    ] {
        let outputs = all_formats(&set);
        assert!(outputs[0].contains("(sensitive value)"), "{}", outputs[0]);
        assert_none_in(&secrets, &outputs, "configuration diff");
    }
}
