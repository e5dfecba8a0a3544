//! No input makes infra panic: arbitrary bytes, and random edits of real files, given to the stack loader, the
//! `.tf` / `.tf.json` reader, the plan reader and the `infra.toml` loader give `Ok` or a clear error, never a
//! panic; random expressions and configurations evaluate within the evaluator's limits (issue 20); `infra render` on a broken stack exits 1 with an error and writes nothing.
//!
//! Cases per property: `PROPTEST_CASES` (default 24; `make fuzz` runs many more, in release mode).

use infra::check::Settings;
use infra::plan::Plan;
use infra::render::render;
use infra::stack::Stack;
use infra::terraform::{Config, Format};
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, FileFailurePersistence};

const PROD: &str = include_str!("../../stacks/prod.toml");
const MAIN_TF: &str = include_str!("../../terraform/prod/main.tf");
const INFRA_TOML: &str = include_str!("../../infra.toml");
const PLAN: &[u8] = include_bytes!("../fixtures/terraform-json/plans/06_tfcore_golden_moved_drift.plan.json");

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(24);
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        ..ProptestConfig::default()
    }
}

/// Syntax that parsers care about, to splice into real files.
const SNIPPETS: &[&str] = &[
    "\"",
    "'",
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    "${",
    "%{",
    "<<-YAML\n",
    "\n",
    "=",
    ".",
    ",",
    ":",
    "#",
    "\\",
    "\\u",
    "0",
    "-1",
    "1e999",
    "18446744073709551616",
    "true",
    "null",
    "\u{0}",
    "\u{feff}",
    "é",
    "\"\"\"",
    "'''",
    "//",
    "/*",
    "*/",
    "=\n",
    " = [",
    "{}",
    "[]",
    "\"resource\":",
    "\"values\":",
    "\"after\": {",
];

/// `seed` with a few random edits: bytes deleted, replaced, or a snippet / random bytes inserted.
fn mutated(seed: &'static [u8]) -> impl Strategy<Value = Vec<u8>> {
    let edit = (
        any::<prop::sample::Index>(),
        0u8..4,
        any::<u8>(),
        prop::sample::select(SNIPPETS),
        1usize..40,
    );
    prop::collection::vec(edit, 1..6).prop_map(move |edits| {
        let mut bytes = seed.to_vec();
        for (at, op, byte, snippet, len) in edits {
            let i = at.index(bytes.len() + 1);
            match op {
                0 => {
                    let end = (i + len).min(bytes.len());
                    bytes.drain(i..end);
                }
                1 if i < bytes.len() => bytes[i] = byte,
                2 => {
                    bytes.splice(i..i, snippet.bytes());
                }
                _ => {
                    bytes.splice(i..i, std::iter::repeat_n(byte, len % 4 + 1));
                }
            }
        }
        bytes
    })
}

/// Arbitrary bytes, or an edited real file.
fn input(seed: &'static [u8]) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![1 => prop::collection::vec(any::<u8>(), 0..200), 4 => mutated(seed)]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn stack_loader_never_panics(bytes in input(PROD.as_bytes())) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("prod.toml");
        std::fs::write(&path, &bytes).unwrap();
        match Stack::load(&path) {
            Ok(stack) => {
                // A stack that loads renders in both syntaxes.
                for format in [Format::Hcl, Format::Json] {
                    for file in render(&stack, format).files {
                        prop_assert!(!file.to_text().is_empty());
                    }
                }
            }
            Err(e) => {
                let msg = e.to_string();
                prop_assert!(msg.contains("prod.toml"), "{}", msg);
                prop_assert!(!e.diagnostics.is_empty() && e.diagnostics.iter().all(|d| !d.message.is_empty()), "{}", msg);
            }
        }
    }

    #[test]
    fn hcl_reader_never_panics(bytes in input(MAIN_TF.as_bytes())) {
        let text = String::from_utf8_lossy(&bytes);
        if let Err(e) = Config::parse_file("main.tf", "main.tf".into(), Format::Hcl, &text) {
            prop_assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn json_reader_never_panics(bytes in input(MAIN_TF_JSON.with(|j| j.as_bytes()))) {
        let text = String::from_utf8_lossy(&bytes);
        if let Err(e) = Config::parse_file("main.tf.json", "main.tf.json".into(), Format::Json, &text) {
            prop_assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn config_dir_reader_never_panics(bytes in input(MAIN_TF.as_bytes()), json in any::<bool>()) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(if json { "main.tf.json" } else { "main.tf" }), &bytes).unwrap();
        if let Err(e) = Config::read_dir(dir.path()) {
            prop_assert!(e.to_string().contains("main.tf"), "{}", e);
        }
    }

    #[test]
    fn plan_reader_never_panics(bytes in input(PLAN)) {
        match Plan::parse("plan.json", &bytes) {
            Ok(plan) => {
                let _ = plan.planned_config();
                let _ = infra::diff::from_plan(&plan);
            }
            Err(e) => prop_assert!(e.to_string().starts_with("plan.json"), "{}", e),
        }
    }

    #[test]
    fn settings_loader_never_panics(bytes in input(INFRA_TOML.as_bytes())) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("infra.toml");
        std::fs::write(&path, &bytes).unwrap();
        if let Err(e) = Settings::load(&path) {
            prop_assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn render_cli_writes_all_or_nothing(bytes in mutated(PROD.as_bytes())) {
        let dir = tempfile::tempdir().unwrap();
        let stack = dir.path().join("prod.toml");
        std::fs::write(&stack, &bytes).unwrap();
        let out = dir.path().join("out");
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_infra"))
            .arg("render")
            .arg(&stack)
            .arg("--out")
            .arg(&out)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        prop_assert!(!stderr.contains("panicked"), "{}", stderr);
        match run.status.code() {
            Some(0) => prop_assert_eq!(std::fs::read_dir(&out).unwrap().count(), 5),
            Some(1) => {
                prop_assert!(stderr.starts_with("error: "), "{}", stderr);
                prop_assert!(!out.exists(), "partial output after: {}", stderr);
            }
            other => prop_assert!(false, "exit {:?}: {}", other, stderr),
        }
    }
}

/// A random Terraform expression from the pieces that stress the evaluator: huge and negative numbers, the
/// functions with arithmetic, templates that repeat their parts, nested `for`, references to other locals.
fn expression(locals: usize) -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        prop::sample::select(vec![
            "0",
            "1",
            "-1",
            "3",
            "1000",
            "1e18",
            "1e19",
            "-1e19",
            "4294967295",
            "0.5",
            "100000000",
            "65536"
        ])
        .prop_map(str::to_string),
        "[a-z%0-9./-]{0,6}".prop_map(|s| format!("{s:?}")),
        prop::sample::select(vec![
            "\"%018446744073709551615d\"",
            "\"%.65536f\"",
            "\"10.0.0.0/8\"",
            "\"%05d\""
        ])
        .prop_map(str::to_string),
        (0..locals.max(1)).prop_map(|i| format!("local.l{i}")),
    ];
    leaf.prop_recursive(4, 24, 3, |inner| {
        let f = prop::sample::select(vec![
            "substr",
            "format",
            "cidrsubnet",
            "cidrhost",
            "join",
            "replace",
            "concat",
            "distinct",
            "flatten",
            "element",
            "slice",
            "range",
            "length",
            "upper",
            "toset",
            "jsonencode",
            "merge",
            "zipmap",
            "lookup",
        ]);
        prop_oneof![
            (f, prop::collection::vec(inner.clone(), 1..4)).prop_map(|(f, a)| format!("{f}({})", a.join(", "))),
            prop::collection::vec(inner.clone(), 0..4).prop_map(|a| format!("[{}]", a.join(", "))),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("\"${{{a}}}${{{b}}}${{{a}}}\"")),
            (inner.clone(), inner.clone()).prop_map(|(c, v)| format!("[for x in {c} : [for y in {c} : {v}]]")),
            (inner.clone(), inner).prop_map(|(a, b)| format!("{{ k = {a}, j = {b} }}")),
        ]
    })
}

/// A configuration of random locals (each may use the ones before it), a resource with a random `count` and
/// `name`, and a module call with a random `count`.
fn configuration() -> impl Strategy<Value = String> {
    (1usize..6)
        .prop_flat_map(|n| {
            let locals: Vec<_> = (0..n)
                .map(|i| expression(i).prop_map(move |e| format!("  l{i} = {e}\n")))
                .collect();
            (locals, expression(n), expression(n), expression(n))
        })
        .prop_map(|(locals, count, name, calls)| {
            format!(
            "locals {{\n{}}}\nresource \"azurerm_resource_group\" \"rg\" {{\n  count = {count}\n  name = {name}\n  \
             location = \"westeurope\"\n}}\nmodule \"m\" {{\n  source = \"./m\"\n  count = length({calls})\n}}\n",
            locals.concat()
        )
        })
}

/// Small limits, so that every case ends quickly.
fn small_limits() -> infra::terraform::eval::Limits {
    let mut l = infra::terraform::eval::Limits::default();
    for (name, value) in [
        ("value_size", 1 << 16),
        ("work", 1 << 22),
        ("instances_per_resource", 200),
        ("module_instances", 50),
    ] {
        l.set(name, value).unwrap();
    }
    l
}

proptest! {
    #![proptest_config(config())]

    /// Whatever the expressions, evaluation ends (quickly, within the budget) with a value, an unknown, or an error
    /// that names the file and line and the limit reached — never a panic.
    #[test]
    fn evaluator_ends_within_its_budget(text in configuration()) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("main.tf"), &text).unwrap();
        std::fs::create_dir(dir.path().join("m")).unwrap();
        std::fs::write(dir.path().join("m/main.tf"), "module \"again\" {\n  source = \"../m2\"\n}\n").unwrap();
        std::fs::create_dir(dir.path().join("m2")).unwrap();
        std::fs::write(dir.path().join("m2/main.tf"), "locals {\n  x = 1\n}\n").unwrap();
        let config = Config::read_dir(dir.path()).unwrap();
        let inputs = infra::terraform::eval::Inputs { limits: small_limits(), ..Default::default() };
        let start = std::time::Instant::now();
        match infra::terraform::eval::evaluate(config, dir.path(), &inputs) {
            Ok(evaluated) => {
                let n = evaluated.config.resources().len();
                prop_assert!(n <= 200, "{} instances", n);
            }
            Err(e) => {
                let msg = e.to_string();
                prop_assert!(msg.contains("main.tf:"), "{}", msg);
                // A local may name itself (`l0 = local.l0`): a cycle; else a limit.
                prop_assert!(msg.contains("cycle") || msg.contains("limit `") && msg.contains("help: "), "{}", msg);
            }
        }
        prop_assert!(start.elapsed() < std::time::Duration::from_secs(20), "took {:?}: {}", start.elapsed(), text);
    }
}

thread_local! {
    /// The prod stack rendered as `.tf.json`: a real Terraform JSON file to edit.
    static MAIN_TF_JSON: &'static str = {
        let stack = Stack::from_toml("stacks/prod.toml", PROD).unwrap();
        let text = render(&stack, Format::Json)
            .files
            .into_iter()
            .find(|f| f.name == "main.tf.json")
            .unwrap()
            .to_text();
        Box::leak(text.into_boxed_str())
    };
}
