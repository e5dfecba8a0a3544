//! Issue 21, item 7: the functions infra evaluates compute what Terraform computes. `tests/fixtures/functions/
//! cases.json` holds, for each expression of `cases.txt`, the answer of Terraform 1.11's own `terraform console`
//! (`generate.sh` wrote it once; it is re-runnable). This test runs infra's evaluator on every expression — without
//! terraform — and requires the same value, or, where Terraform reports an error or cannot know the value, no value
//! (the expression stays unknown: a rule then sees "not known", never a value Terraform would not compute).

use infra::terraform::eval::{evaluate, Inputs};
use infra::terraform::Config;
use serde_json::Value as Json;

const CASES: &str = include_str!("../fixtures/functions/cases.json");

/// Where infra knowingly answers otherwise than Terraform, and why. Each must still differ (a fix makes the test
/// fail until its entry goes), so this list is exactly what is left.
const KNOWN_GAPS: &[(&str, &str)] = &[
    // Values infra gets wrong: outside the functions, in how the evaluator reads literals and types.
    (
        "tostring(-0)",
        "hcl-rs reads `-0` as the integer 0: its numbers have no negative zero",
    ),
    (
        "jsonencode(-0)",
        "hcl-rs reads `-0` as the integer 0: its numbers have no negative zero",
    ),
    (
        r#"strrev("e\u0301a")"#,
        "Terraform normalises every string to NFC (e + U+0301 is é); infra keeps the code points written",
    ),
    (
        r#"substr("e\u0301e\u0301x", 1, 1)"#,
        "Terraform normalises every string to NFC (e + U+0301 is é); infra keeps the code points written",
    ),
    (
        r#"concat(toset(["b", "a"]), ["c"])"#,
        "infra does not tell a set from a list, so concat takes the set where Terraform refuses it",
    ),
    // Values infra leaves unknown (a rule sees "not known"): Terraform's answer is go-cidr's arithmetic on
    // negative numbers, not a documented behaviour.
    (
        r#"cidrsubnet("10.0.0.0/16", -1, 0)"#,
        "a negative newbits is not evaluated",
    ),
    (
        r#"cidrsubnet("10.0.0.0/16", 8, -1)"#,
        "a negative netnum is not evaluated",
    ),
];

/// What terraform answered for one expression.
enum Answer {
    Value { value: Json, unordered: bool },
    NoValue(String),
}

fn answers() -> Vec<(String, Answer)> {
    let file: Json = serde_json::from_str(CASES).expect("cases.json is JSON");
    let cases = file["cases"].as_array().expect("cases.json has `cases`");
    assert!(cases.len() > 400, "cases.json holds {} cases", cases.len());
    cases
        .iter()
        .map(|c| {
            let expr = c["expr"].as_str().expect("a case has `expr`").to_string();
            let answer = match (c.get("value"), c.get("error"), c.get("unknown")) {
                (Some(value), None, None) => {
                    let ty = c["type"].as_str().unwrap_or_default();
                    // Terraform orders a set of strings, numbers or bools by value, and any other set by a hash of
                    // its elements, which infra does not reproduce: those are compared as multisets.
                    let unordered =
                        ty.starts_with("set(") && !matches!(ty, "set(string)" | "set(number)" | "set(bool)");
                    Answer::Value {
                        value: value.clone(),
                        unordered,
                    }
                }
                (None, Some(e), None) => Answer::NoValue(format!("terraform: {}", e.as_str().unwrap_or_default())),
                (None, None, Some(_)) => Answer::NoValue("terraform: (known after apply)".into()),
                _ => panic!("case {expr}: expected one of value, error, unknown"),
            };
            (expr, answer)
        })
        .collect()
}

/// infra's value of `expr` (as a local), or `None` when it stays unknown.
fn ours(expr: &str) -> Result<Option<Json>, String> {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("main.tf"), format!("locals {{\n  c = {expr}\n}}\n")).unwrap();
    let config = Config::read_dir_with(d.path(), infra::azurerm::builtin_schemas())
        .map_err(|e| format!("does not parse: {e}"))?;
    let evaluated = evaluate(config, d.path(), &Inputs::default()).map_err(|e| format!("error: {e}"))?;
    Ok(evaluated.locals.get("c").map(|v| serde_json::to_value(v).unwrap()))
}

/// Numbers equal as numbers (`1` and `1.0`), objects whatever their keys' order, and, `unordered`, the top-level
/// array as a multiset.
fn same(a: &Json, b: &Json, unordered: bool) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => x.as_f64() == y.as_f64(),
        (Json::Array(x), Json::Array(y)) if unordered => {
            let mut left: Vec<&Json> = y.iter().collect();
            x.len() == y.len()
                && x.iter().all(|v| match left.iter().position(|w| same(v, w, false)) {
                    Some(i) => {
                        left.remove(i);
                        true
                    }
                    None => false,
                })
        }
        (Json::Array(x), Json::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same(v, w, false)),
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w, false)))
        }
        _ => a == b,
    }
}

#[test]
fn every_function_agrees_with_terraform_console() {
    let mut wrong = Vec::new();
    let all = answers();
    for (expr, answer) in &all {
        let known_gap = KNOWN_GAPS.iter().find(|(e, _)| e == expr);
        let got = ours(expr);
        let ok = match (&got, answer) {
            (Ok(Some(v)), Answer::Value { value, unordered }) => same(v, value, *unordered),
            (Ok(None), Answer::NoValue(_)) => true,
            _ => false,
        };
        if let Some((_, why)) = known_gap {
            if ok {
                wrong.push(format!(
                    "{expr}\n    now agrees with terraform: remove it from KNOWN_GAPS ({why})"
                ));
            }
            continue;
        }
        if !ok {
            let want = match answer {
                Answer::Value { value, .. } => value.to_string(),
                Answer::NoValue(why) => format!("no value ({why})"),
            };
            let got = match got {
                Ok(Some(v)) => v.to_string(),
                Ok(None) => "no value".into(),
                Err(e) => e,
            };
            wrong.push(format!("{expr}\n    terraform: {want}\n    infra:     {got}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} cases disagree:\n{}",
        wrong.len(),
        all.len(),
        wrong.join("\n")
    );
}

#[test]
fn known_gaps_are_cases() {
    let all = answers();
    for (expr, _) in KNOWN_GAPS {
        assert!(all.iter().any(|(e, _)| e == expr), "{expr} is not in cases.json");
    }
}

#[test]
fn the_cases_are_terraforms_answers_for_every_listed_expression() {
    // cases.json is generated from cases.txt: an expression added to one but not the other is a stale file.
    let listed: Vec<&str> = include_str!("../fixtures/functions/cases.txt")
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let answered: Vec<String> = answers().into_iter().map(|(e, _)| e).collect();
    assert_eq!(listed, answered, "run tests/fixtures/functions/generate.sh");
}
