//! `infra policy test`: runs the `test_*` rules of the policies under a path, as `opa test` does: a test passes when
//! its rule is defined and not `false`.

use super::{add_policy, files_under, read, PolicyError};
use std::path::PathBuf;

/// One test's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TestResult {
    /// `package.test_name`.
    pub name: String,
    /// Passed; else failed (undefined or false), or errored with `error`.
    pub passed: bool,
    pub error: Option<String>,
}

/// Loads every `.rego` file under `paths` (tests included) and the data files under `data`, then runs each
/// `test_*` rule, in file order.
pub(crate) fn run(paths: &[PathBuf], data: &[PathBuf]) -> Result<Vec<TestResult>, PolicyError> {
    let mut policies = super::Policies::load(&[], data, super::Namespaces::Main, None)?;
    let engine = &mut policies.engine;
    let mut tests = Vec::new();
    for path in paths {
        let files = files_under(path, &["rego"], true)?;
        if files.is_empty() {
            return Err(PolicyError::NoPolicies {
                path: path.display().to_string(),
            });
        }
        for file in files {
            let text = read(&file, None)?;
            let package = add_policy(engine, &file.display().to_string(), &text)?;
            for name in test_rules(&text) {
                let test = format!("{package}.{name}");
                if !tests.contains(&test) {
                    tests.push(test);
                }
            }
        }
    }
    Ok(crate::heap::with_ceiling(crate::heap::POLICY_CEILING, || {
        evaluate(engine, tests)
    }))
}

/// Runs each test rule (`data.<package>.test_…`), under the policies' memory ceiling.
fn evaluate(engine: &mut regorus::Engine, tests: Vec<String>) -> Vec<TestResult> {
    tests
        .into_iter()
        .map(|test| {
            crate::heap::evaluating(&test);
            let outcome = engine.eval_rule(test.clone());
            let name = test.strip_prefix("data.").unwrap_or(&test).to_string();
            match outcome {
                Ok(v) => TestResult {
                    name,
                    passed: !matches!(v, regorus::Value::Undefined | regorus::Value::Bool(false)),
                    error: None,
                },
                Err(e) => TestResult {
                    name,
                    passed: false,
                    error: Some(e.to_string()),
                },
            }
        })
        .collect()
}

/// The `test_*` rules a file declares (at the start of a line, as a rule head is written).
fn test_rules(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in text.lines() {
        if !line.starts_with("test_") {
            continue;
        }
        let end = line
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(line.len());
        let name = line[..end].to_string();
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}
