//! No input makes infra panic: arbitrary bytes, and random edits of real files, given to the stack loader, the
//! `.tf` / `.tf.json` reader, the plan reader and the `infra.toml` loader give `Ok` or a clear error, never a
//! panic; random expressions and configurations (every function of the evaluator's table, arithmetic, templates,
//! nested `for`, `count`, `for_each`, `dynamic`, modules) evaluate within the evaluator's limits and in bounded
//! memory (issue 20); `infra render` on a broken stack exits 1 with an error and writes nothing. Inputs that once
//! panicked are kept as explicit regression tests (`arithmetic_that_panicked_…`, …).
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
        if let Err(e) = Config::parse_file_with("main.tf", "main.tf".into(), Format::Hcl, &text, infra::azurerm::builtin_schemas()) {
            prop_assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn json_reader_never_panics(bytes in input(MAIN_TF_JSON.with(|j| j.as_bytes()))) {
        let text = String::from_utf8_lossy(&bytes);
        if let Err(e) = Config::parse_file_with("main.tf.json", "main.tf.json".into(), Format::Json, &text, infra::azurerm::builtin_schemas()) {
            prop_assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn config_dir_reader_never_panics(bytes in input(MAIN_TF.as_bytes()), json in any::<bool>()) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(if json { "main.tf.json" } else { "main.tf" }), &bytes).unwrap();
        if let Err(e) = Config::read_dir_with(dir.path(), infra::azurerm::builtin_schemas()) {
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

/// The names of the evaluator's functions, read from its tables (`src/terraform/eval/functions/`, one file per
/// family, lines `("name", …`), so a function added there is called here too; and some it does not evaluate.
fn function_names() -> Vec<&'static str> {
    let table = concat!(
        include_str!("../../src/terraform/eval/functions/string.rs"),
        include_str!("../../src/terraform/eval/functions/conversion.rs"),
        include_str!("../../src/terraform/eval/functions/collection.rs"),
        include_str!("../../src/terraform/eval/functions/numeric.rs"),
        include_str!("../../src/terraform/eval/functions/encoding.rs"),
        include_str!("../../src/terraform/eval/functions/network.rs"),
    );
    let mut names: Vec<&'static str> = table
        .lines()
        .filter_map(|l| {
            l.trim_start()
                .strip_prefix("(\"")?
                .split_once('"')
                .map(|(name, _)| name)
        })
        .collect();
    assert!(
        names.len() > 50 && names.contains(&"cidrsubnet"),
        "the function table moved: {names:?}"
    );
    names.extend(["try", "can", "timestamp", "file", "uuid", "nosuchfunction"]);
    names
}

/// What an expression may refer to where it stands: the locals defined before it, and the iteration symbols
/// of its block (`count.index`, `each.key`, a `dynamic` block's iterator).
#[derive(Clone, Copy)]
struct Scope {
    locals: usize,
    symbols: &'static [&'static str],
}

/// A random Terraform expression from the pieces that stress the evaluator: huge, negative and zero numbers,
/// arithmetic (division and modulo by zero), any function of the table with random arguments, templates with
/// interpolations and directives, nested `for` (lists and objects, with conditions), conditionals, indexes,
/// and references that can only be resolved where they stand.
fn expression(scope: Scope) -> impl Strategy<Value = String> {
    let mut refs: Vec<String> = (0..scope.locals).map(|i| format!("local.l{i}")).collect();
    refs.extend(scope.symbols.iter().map(|s| s.to_string()));
    refs.extend(["var.n".to_string(), "var.names".to_string()]);
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
            "18446744073709551615",
            "-9223372036854775808",
            "0.5",
            "100000000",
            "65536",
            "true",
            "null",
        ])
        .prop_map(str::to_string),
        "[a-z%0-9./-]{0,6}".prop_map(|s| format!("{s:?}")),
        prop::sample::select(vec![
            "\"%018446744073709551615d\"",
            "\"%.65536f\"",
            "\"10.0.0.0/8\"",
            "\"0.0.0.0/0\"",
            "\"%05d\"",
            "\"/a+/\"",
            "\"e30=\"",
            "\"{\\\"a\\\": [1]}\"",
        ])
        .prop_map(str::to_string),
        prop::sample::select(refs),
    ];
    let functions = prop::sample::select(function_names());
    leaf.prop_recursive(4, 32, 4, move |inner| {
        let op = prop::sample::select(vec!["+", "-", "*", "/", "%", "==", "<", "&&"]);
        prop_oneof![
            3 => (functions.clone(), prop::collection::vec(inner.clone(), 0..4))
                .prop_map(|(f, a)| format!("{f}({})", a.join(", "))),
            2 => (inner.clone(), op, inner.clone()).prop_map(|(a, op, b)| format!("({a} {op} {b})")),
            1 => prop::collection::vec(inner.clone(), 0..4).prop_map(|a| format!("[{}]", a.join(", "))),
            1 => (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("\"${{{a}}}-${{{b}}}${{{a}}}\"")),
            1 => (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(c, a, b)| format!("\"%{{ if {c} }}${{{a}}}%{{ else }}x%{{ endif }}%{{ for i, v in {b} }}${{v}}%{{ endfor }}\"")),
            1 => (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(c, v, cond)| format!("[for x in {c} : [for y in {c} : {v} if {cond}]]")),
            1 => (inner.clone(), inner.clone()).prop_map(|(c, v)| format!("{{ for k, x in {c} : \"${{k}}\" => {v}... }}")),
            1 => (inner.clone(), inner.clone(), inner.clone()).prop_map(|(c, a, b)| format!("({c} ? {a} : {b})")),
            1 => (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{{ k = {a}, j = {b} }}")),
            1 => (inner.clone(), inner.clone()).prop_map(|(a, i)| format!("{a}[{i}]")),
        ]
    })
}

/// A root module of random locals (each may use the ones before it: a valid order, so that evaluation runs
/// rather than stopping at a cycle), variables, a resource with `count`, one with `for_each` and a `dynamic`
/// block, and module calls with `count` and `for_each` into a module that calls another.
fn configuration() -> impl Strategy<Value = String> {
    const EACH: &[&str] = &["each.key", "each.value"];
    const DYNAMIC: &[&str] = &["each.key", "c.key", "c.value"];
    (1usize..6)
        .prop_flat_map(|n| {
            let locals: Vec<_> = (0..n)
                .map(|i| expression(Scope { locals: i, symbols: &[] }).prop_map(move |e| format!("  l{i} = {e}\n")))
                .collect();
            let root = Scope { locals: n, symbols: &[] };
            let counted = Scope { locals: n, symbols: &["count.index"] };
            (
                locals,
                (expression(root), expression(counted), expression(root), expression(root)),
                (expression(Scope { locals: n, symbols: EACH }), expression(root), expression(Scope { locals: n, symbols: DYNAMIC })),
                (expression(root), expression(root), expression(root)),
            )
        })
        .prop_map(|(locals, (count, name, default, for_each), (each_name, dynamic_each, image), (calls, module_each, x))| {
            format!(
                "variable \"n\" {{\n  default = {default}\n}}\nvariable \"names\" {{\n  default = [\"a\", \"b\"]\n}}\n\
                 locals {{\n{}}}\n\
                 resource \"azurerm_resource_group\" \"rg\" {{\n  count = {count}\n  name = {name}\n  location = \"westeurope\"\n}}\n\
                 resource \"azurerm_container_app\" \"app\" {{\n  for_each = {for_each}\n  name = {each_name}\n  template {{\n    \
                 dynamic \"container\" {{\n      for_each = {dynamic_each}\n      iterator = c\n      content {{\n        \
                 name = c.key\n        image = {image}\n      }}\n    }}\n  }}\n}}\n\
                 module \"m\" {{\n  source = \"./m\"\n  count = length({calls})\n  x = {x}\n}}\n\
                 module \"f\" {{\n  source = \"./m\"\n  for_each = {module_each}\n  x = each.value\n}}\n\
                 output \"o\" {{\n  value = module.m\n}}\n",
                locals.concat()
            )
        })
}

/// Small limits, so that every case ends quickly.
fn small_limits() -> infra::terraform::eval::Limits {
    let mut l = infra::terraform::eval::Limits::default();
    for (name, value) in [
        ("value_size", VALUE_SIZE),
        ("work", 1 << 22),
        ("instances_per_resource", 200),
        ("module_instances", 50),
    ] {
        l.set(name, value).unwrap();
    }
    l
}

const VALUE_SIZE: u64 = 1 << 16;

/// The size of `v` as the `value_size` limit counts it (a string's bytes; a list or map the sum of its
/// elements and keys, plus 8 per element).
fn value_size(v: &hcl::Value) -> u64 {
    match v {
        hcl::Value::String(s) => s.len() as u64,
        hcl::Value::Array(items) => 8 + items.iter().map(value_size).sum::<u64>(),
        hcl::Value::Object(o) => 8 + o.iter().map(|(k, v)| k.len() as u64 + 8 + value_size(v)).sum::<u64>(),
        _ => 8,
    }
}

/// The process's peak resident memory (VmHWM), in KiB (`None` off Linux).
fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Evaluates the root module `text` (with `./m`, which calls `./m2`) under [`small_limits`].
fn evaluate_text(text: &str) -> Result<infra::terraform::eval::Evaluated, String> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), text).unwrap();
    std::fs::create_dir(dir.path().join("m")).unwrap();
    std::fs::write(
        dir.path().join("m/main.tf"),
        "variable \"x\" {\n  default = 1 % 0\n}\nmodule \"again\" {\n  source = \"../m2\"\n  y = var.x\n}\noutput \"o\" {\n  value = [var.x, module.again.o]\n}\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("m2")).unwrap();
    std::fs::write(
        dir.path().join("m2/main.tf"),
        "variable \"y\" {}\noutput \"o\" {\n  value = var.y * 2\n}\n",
    )
    .unwrap();
    let config = Config::read_dir_with(dir.path(), infra::azurerm::builtin_schemas())
        .map_err(|e| format!("does not parse: {e}"))?;
    let inputs = infra::terraform::eval::Inputs {
        limits: small_limits(),
        ..Default::default()
    };
    infra::terraform::eval::evaluate(config, dir.path(), &inputs).map_err(|e| e.to_string())
}

proptest! {
    #![proptest_config(config())]

    /// Whatever the expressions, evaluation ends quickly, within the budget and in bounded memory, with values
    /// no larger than the limit, or an error that names the file and line and the limit reached — never a panic.
    #[test]
    fn evaluator_ends_within_its_budget(text in configuration()) {
        let peak = peak_kib();
        let start = std::time::Instant::now();
        match evaluate_text(&text) {
            Ok(evaluated) => {
                let n = evaluated.config.resources().len();
                // Each of the two resource blocks may have up to 200 instances, plus those of the modules.
                prop_assert!(n <= 2 * 200 + 50, "{} instances", n);
                for (name, v) in &evaluated.locals {
                    prop_assert!(value_size(v) <= VALUE_SIZE, "local.{} is {} bytes", name, value_size(v));
                }
            }
            Err(msg) => {
                prop_assert!(!msg.starts_with("does not parse"), "{}\n{}", msg, text);
                prop_assert!(msg.contains("main.tf:"), "{}", msg);
                prop_assert!(msg.contains("limit `") && msg.contains("help: "), "{}\n{}", msg, text);
            }
        }
        prop_assert!(start.elapsed() < std::time::Duration::from_secs(20), "took {:?}: {}", start.elapsed(), text);
        // Tests run side by side in one process, so the bound is loose: far above what small limits allow one
        // evaluation, far below what an unbounded one would take.
        if let (Some(before), Some(after)) = (peak, peak_kib()) {
            prop_assert!(after.saturating_sub(before) < 512 * 1024, "peak memory grew by {} KiB: {}", after - before, text);
        }
    }

    /// Locals that refer to each other in a ring are one error naming the cycle, whatever the ring's length.
    #[test]
    fn evaluator_names_a_cycle_of_locals(n in 1usize..8, through in expression(Scope { locals: 0, symbols: &[] })) {
        let locals: String = (0..n).map(|i| format!("  l{i} = [local.l{}, {through}]\n", (i + 1) % n)).collect();
        let msg = evaluate_text(&format!("locals {{\n{locals}}}\n")).err().unwrap_or_default();
        prop_assert!(msg.contains("main.tf:") && msg.contains("cycle") && msg.contains("help: "), "{}", msg);
    }
}

/// Regression seeds: inputs that panicked the evaluator or a reader (found by the properties above and by the
/// sweep of issue 20), each evaluated or read as Terraform would.
#[test]
fn arithmetic_that_panicked_evaluates_as_terraform_does() {
    // hcl-rs computed these with unchecked integer operations: `%` by zero panicked in every build, overflow in
    // debug builds. Expected values: `terraform console` (1.11).
    let text = "variable \"v\" {\n  default = 7 % 0\n}\nlocals {\n  mod_zero = 1 % 0\n  neg_mod = -7 % 3\n  \
                frac_mod = 5.5 % 2\n  min_mod = -9223372036854775808 % -1\n  past_u64 = 18446744073709551615 + 1\n  \
                past_i64 = -9223372036854775808 - 1\n  product = 9223372036854775807 * 3\n  half = 7 / 2\n  \
                in_template = \"${10 % 0}-${2 * 3}\"\n  in_for = [for x in [1, 2] : x % 0]\n  \
                cidr = cidrsubnet(\"0.0.0.0/0\", 0, 0)\n  from_var = var.v\n}\n";
    let evaluated = evaluate_text(text).unwrap();
    let local = |name: &str| {
        evaluated
            .locals
            .get(name)
            .cloned()
            .unwrap_or_else(|| panic!("local.{name} has no value"))
    };
    let json = |name: &str| serde_json::to_string(&local(name)).unwrap();
    for (name, expected) in [
        ("mod_zero", "1"),
        ("neg_mod", "-1"),
        ("frac_mod", "1.5"),
        ("min_mod", "0"),
        ("half", "3.5"),
        ("in_template", "\"10-6\""),
        ("in_for", "[1,2]"),
        ("cidr", "\"0.0.0.0/0\""),
        ("from_var", "7"),
    ] {
        assert_eq!(json(name), expected, "local.{name}");
    }
    // Terraform keeps every digit; infra's numbers are 64-bit integers or floats: the nearest float.
    assert_eq!(local("past_u64").as_f64(), Some(18446744073709551616.0));
    assert_eq!(local("past_i64").as_f64(), Some(-9223372036854775809.0));
    assert_eq!(local("product").as_f64(), Some(27670116110564327421.0));
}

#[test]
fn division_by_zero_has_no_value() {
    // Terraform's 1 / 0 is an infinity, 0 / 0 an error: infra has no infinite number, so neither has a value
    // (and nothing that uses them).
    let evaluated = evaluate_text("locals {\n  inf = 1 / 0\n  nan = 0 / 0\n  uses = [1 / 0]\n  fine = 1\n}\n").unwrap();
    assert_eq!(evaluated.locals.keys().collect::<Vec<_>>(), ["fine"]);
}

#[test]
fn variable_files_with_arithmetic_do_not_panic() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "variable \"a\" {}\nvariable \"b\" {\n  default = 2 % 0\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("terraform.tfvars"),
        "a = 18446744073709551615 * 18446744073709551615 % 0\n",
    )
    .unwrap();
    let config = Config::read_dir_with(dir.path(), infra::azurerm::builtin_schemas()).unwrap();
    let evaluated = infra::terraform::eval::evaluate(config, dir.path(), &Default::default()).unwrap();
    assert_eq!(evaluated.variables["b"], hcl::Value::from(2));
    assert_eq!(
        evaluated.variables["a"].as_f64(),
        Some(18446744073709551615.0 * 18446744073709551615.0)
    );
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
