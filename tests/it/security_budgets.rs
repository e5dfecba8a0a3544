//! Issue 20, budgets: a hostile configuration or plan ends in a clear error (exit 2, the limit, file:line:col and
//! how to raise it), never in a panic, an abort or gigabytes of memory. Each reproduction of the issue is here.

use infra::terraform::eval::{evaluate, Inputs, Limits};
use infra::terraform::Config;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_infra");

const RG: &str = "resource \"azurerm_resource_group\" \"rg\" {\n  name     = NAME\n  location = \"westeurope\"\n}\n";

/// A directory with `main.tf` = `text` (and other files: `(path, text)`).
fn dir(text: &str, others: &[(&str, String)]) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("main.tf"), text).unwrap();
    for (path, text) in others {
        let p = d.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    d
}

/// `infra check` with `args` in `cwd`: exit code, stdout, stderr, how long it took.
fn check(cwd: &Path, args: &[&str]) -> (i32, String, String, Duration) {
    let start = Instant::now();
    let out = Command::new(BIN)
        .current_dir(cwd)
        .arg("check")
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    let code = out.status.code().unwrap_or(-1);
    (
        code,
        String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr,
        start.elapsed(),
    )
}

/// `infra check .` must stop at limit `limit`, at `at` (`main.tf:2:3`), with the help line and no output.
fn assert_limit(d: &tempfile::TempDir, limit: &str, at: &str, within: Duration) {
    let (code, stdout, stderr, took) = check(d.path(), &["."]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty(), "partial output: {stdout}");
    assert!(stderr.contains(&format!("error: ./{at}:")), "{stderr}");
    assert!(stderr.contains(&format!("limit `{limit}`")), "{stderr}");
    assert!(stderr.contains(&format!("help: if the configuration really needs it, raise the limit: `--limit {limit}=N`, or `{limit} = N` under `[limits]` in infra.toml")), "{stderr}");
    assert!(took < within, "took {took:?}");
}

#[test]
fn a_hundred_million_instances_is_a_limit_not_an_abort() {
    let d = dir(
        &RG.replace("  name", "  count    = 100000000\n  name")
            .replace("NAME", "\"rg\""),
        &[],
    );
    assert_limit(&d, "instances_per_resource", "main.tf:2:3", Duration::from_secs(2));
}

#[test]
fn count_1e18_is_a_limit_not_a_capacity_overflow() {
    let d = dir(
        &RG.replace("  name", "  count    = 1e18\n  name")
            .replace("NAME", "\"rg\""),
        &[],
    );
    assert_limit(&d, "instances_per_resource", "main.tf:2:3", Duration::from_secs(2));
}

#[test]
fn forty_doubling_locals_stop_at_the_value_size() {
    let mut text = String::from("locals {\n  l0 = \"xxxxxxxxxxxxxxxx\"\n");
    for i in 1..=40 {
        text.push_str(&format!("  l{i} = \"${{local.l{}}}${{local.l{}}}\"\n", i - 1, i - 1));
    }
    text.push_str("}\n");
    text.push_str(&RG.replace("NAME", "local.l40"));
    // 16 bytes doubled 21 times is 32 MiB: l21 (line 23) is the first over 16 MiB.
    assert_limit(&dir(&text, &[]), "value_size", "main.tf:23:3", Duration::from_secs(20));
}

#[test]
fn a_thousand_cubed_for_is_refused_before_it_runs() {
    let text = format!(
        "locals {{\n  cube = [for a in range(1000) : [for b in range(1000) : [for c in range(1000) : c]]]\n}}\n{}",
        RG.replace("NAME", "\"x${length(local.cube)}\"")
    );
    assert_limit(&dir(&text, &[]), "work", "main.tf:2:3", Duration::from_secs(2));
    // The same over a local (no function call inside hcl-rs's loops to stop it).
    let text = format!(
        "locals {{\n  k = [for i in range(1000) : i]\n  cube = [for a in local.k : [for b in local.k : [for c in local.k : c]]]\n}}\n{}",
        RG.replace("NAME", "\"x${length(local.cube)}\"")
    );
    assert_limit(&dir(&text, &[]), "work", "main.tf:3:3", Duration::from_secs(2));
}

#[test]
fn modules_fanned_out_stop_at_the_module_instances() {
    // Three calls per level, 16 levels deep: 3^16 module instances unbounded.
    let mut others = Vec::new();
    for level in 1..=16 {
        let calls: String = (0..3)
            .map(|i| format!("module \"c{i}\" {{\n  source = \"../l{}\"\n}}\n", level + 1))
            .collect();
        others.push((format!("l{level}/main.tf"), calls + &RG.replace("NAME", "\"rg\"")));
    }
    let others: Vec<(&str, String)> = others.iter().map(|(p, t)| (p.as_str(), t.clone())).collect();
    let d = dir(
        &format!(
            "module \"top\" {{\n  source = \"./l1\"\n}}\n{}",
            RG.replace("NAME", "\"rg\"")
        ),
        &others,
    );
    let (code, _, stderr, took) = check(d.path(), &["."]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("limit `module_instances` (1000)"), "{stderr}");
    assert!(took < Duration::from_secs(20), "took {took:?}");
}

#[test]
fn a_thousand_wide_locals_are_fast() {
    let mut text = String::from("locals {\n  base = [for i in range(1000) : \"item-${i}\"]\n");
    for i in 0..1000 {
        text.push_str(&format!("  w{i} = concat(local.base, [\"{i}\"])\n"));
    }
    text.push_str("}\n");
    text.push_str(&RG.replace("NAME", "\"x${length(local.w999)}\""));
    let d = dir(&text, &[]);
    let (code, _, stderr, took) = check(d.path(), &[".", "--show-unknown"]);
    assert_eq!(code, 0, "{stderr}");
    // Each local sees only the locals it refers to: linear (a few seconds in a debug build on a loaded machine);
    // copying every local for every local took 54 s in a release build. Speed itself is `make bench`'s.
    assert!(took < Duration::from_secs(40), "took {took:?}");
}

#[test]
fn limits_are_raised_or_lowered_by_flag_and_infra_toml() {
    let d = dir(
        &RG.replace("  name", "  count    = 20\n  name")
            .replace("NAME", "\"rg\""),
        &[],
    );
    let (code, _, stderr, _) = check(d.path(), &[".", "--limit", "instances_per_resource=10"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("azurerm_resource_group.rg has 20 instances"),
        "{stderr}"
    );
    std::fs::write(d.path().join("infra.toml"), "[limits]\ninstances = 19\n").unwrap();
    let (code, _, stderr, _) = check(d.path(), &["."]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("limit `instances` (19)"), "{stderr}");
    // The flag overrides the file.
    let (code, stdout, stderr, _) = check(d.path(), &[".", "--limit", "instances=20"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("20 resources"), "{stdout}");
    let (code, _, stderr, _) = check(d.path(), &[".", "--limit", "instance=20"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("no limit `instance`") && stderr.contains("help: the limits are"),
        "{stderr}"
    );
}

/// The value `name` evaluates to in `main.tf`'s resource, or `None` when it stays unknown (an error).
fn name_of(expr: &str) -> Option<String> {
    let d = dir(&RG.replace("NAME", expr), &[]);
    let evaluated = evaluate(
        Config::read_dir_with(d.path(), infra::azurerm::builtin_schemas()).unwrap(),
        d.path(),
        &Inputs::default(),
    )
    .unwrap();
    let (_, block) = evaluated.config.blocks_of("resource").next().unwrap();
    infra::terraform::expr::as_str(block.body.get("name").unwrap()).map(str::to_string)
}

#[test]
fn function_arithmetic_is_checked() {
    // Terraform: "value must be a whole number, between -9223372036854775808 and 9223372036854775807".
    assert_eq!(name_of(r#"substr("abc", 1, 1e19)"#), None);
    assert_eq!(name_of(r#"substr("abc", -1e19, 1)"#), None);
    assert_eq!(name_of(r#"substr("abc", 1, 9e18)"#).as_deref(), Some("bc"));
    assert_eq!(name_of(r#"substr("abc", -9e18, 1)"#).as_deref(), Some("a"));
    assert_eq!(name_of(r#"format("%.65536f", 1)"#), None);
    assert_eq!(name_of(r#"format("%.3f", 1)"#).as_deref(), Some("1.000"));
    assert_eq!(name_of(r#"format("%05d", 42)"#).as_deref(), Some("00042"));
    // It wrapped to 10.0.0.0/7.
    assert_eq!(name_of(r#"cidrsubnet("10.0.0.0/8", 4294967295, 0)"#), None);
    assert_eq!(name_of(r#"cidrsubnet("10.0.0.0/8", -1, 0)"#), None);
    assert_eq!(
        name_of(r#"cidrsubnet("10.0.0.0/8", 8, 2)"#).as_deref(),
        Some("10.2.0.0/16")
    );
    assert_eq!(name_of(r#"cidrhost("10.0.0.0/8", 1e19)"#), None);
    assert_eq!(name_of(r#"element(["a", "b"], 3)"#).as_deref(), Some("b"));
}

#[test]
fn format_width_beyond_the_value_size_is_a_limit() {
    let d = dir(&RG.replace("NAME", "format(\"%018446744073709551615d\", 1)"), &[]);
    assert_limit(&d, "value_size", "main.tf:2:3", Duration::from_secs(2));
    let d = dir(&RG.replace("NAME", "join(format(\"%01000000d\", 1), range(100))"), &[]);
    assert_limit(&d, "value_size", "main.tf:2:3", Duration::from_secs(2));
}

#[test]
fn distinct_is_linear_and_keeps_first_seen_order() {
    let many = "flatten([for a in range(20) : [for b in range(1000) : \"v${b}\"]])";
    let start = Instant::now();
    let n = name_of(&format!("tostring(length(distinct({many})))"));
    assert_eq!(n.as_deref(), Some("1000"));
    assert!(start.elapsed() < Duration::from_secs(5));
    assert_eq!(
        name_of(r#"join(",", distinct(["b", "a", "b", "c", "a"]))"#).as_deref(),
        Some("b,a,c")
    );
    assert_eq!(
        name_of(r#"tostring(length(distinct([{a = 1, b = 2}, {b = 2, a = 1}, {a = 1}])))"#).as_deref(),
        Some("2")
    );
}

#[test]
fn limits_default_to_the_documented_values() {
    let l = Limits::default();
    assert_eq!(
        (
            l.instances_per_resource,
            l.instances,
            l.module_instances,
            l.value_size,
            l.work
        ),
        (10_000, 100_000, 1_000, 16 << 20, 256 << 20)
    );
}

/// A plan with one resource whose `after.tags.v` is `value` (JSON text).
fn plan_with(value: &str) -> String {
    format!(
        r#"{{"format_version":"1.2","resource_changes":[{{"address":"azurerm_resource_group.rg","mode":"managed","type":"azurerm_resource_group","name":"rg","change":{{"actions":["create"],"before":null,"after":{{"name":"rg","location":"westeurope","tags":{{"v":{value}}}}},"after_unknown":{{}},"before_sensitive":false,"after_sensitive":{{}}}}}}],"planned_values":{{"root_module":{{"resources":[{{"address":"azurerm_resource_group.rg","mode":"managed","type":"azurerm_resource_group","name":"rg","values":{{"name":"rg","location":"westeurope","tags":{{"v":{value}}}}}}}]}}}}}}"#
    )
}

fn run_plan(plan: &str, command: &[&str]) -> (i32, String) {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("plan.json"), plan).unwrap();
    let out = Command::new(BIN)
        .current_dir(d.path())
        .args(command)
        .arg("plan.json")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (out.status.code().unwrap_or(-1), stderr)
}

#[test]
fn plan_values_that_are_not_values_are_a_clear_error() {
    for (value, why) in [(r#""\ud800""#, "surrogate")] {
        for command in [&["check", "--plan"][..], &["diff", "--plan"][..]] {
            let (code, stderr) = run_plan(&plan_with(value), command);
            let error = if command[0] == "check" { 2 } else { 1 };
            assert_eq!(code, error, "{command:?} {value}: {stderr}");
            assert!(stderr.contains("plan.json"), "{stderr}");
            assert!(stderr.contains("resource_changes[0].change.after"), "{stderr}");
            assert!(stderr.to_lowercase().contains(why), "{stderr}");
        }
    }
}

/// A number beyond f64 is a Terraform number (cty's are arbitrary precision): read, kept as its text.
#[test]
fn plan_numbers_beyond_f64_are_read_as_written() {
    let (code, stderr) = run_plan(&plan_with("1e999"), &["check", "--plan"]);
    assert!(code == 0 || code == 1, "{stderr}");
    let (code, stderr) = run_plan(&plan_with("1e999"), &["diff", "--plan"]);
    assert_eq!(code, 2, "changes: {stderr}");
}

#[test]
fn plans_nested_deeper_than_128_levels_are_read() {
    let deep = format!("{}1{}", "[".repeat(300), "]".repeat(300));
    let (code, stderr) = run_plan(&plan_with(&deep), &["check", "--plan"]);
    assert!(code == 0 || code == 1, "{stderr}");
    let (code, stderr) = run_plan(&plan_with(&deep), &["diff", "--plan"]);
    assert_eq!(code, 2, "changes: {stderr}");
    let too_deep = format!("{}1{}", "[".repeat(600), "]".repeat(600));
    let (code, stderr) = run_plan(&plan_with(&too_deep), &["check", "--plan"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("nests 607 levels deep, more than the 512 infra reads"),
        "{stderr}"
    );
}

/// Loops nested over parts of a few large elements (the shape of a public storage module's diagnostic settings:
/// services → settings → metrics, with a `contains` over the metrics again) are measured element by element, not
/// guessed from the largest element at every level — which made about 4·10⁹ bytes of 8 KB elements and refused
/// the directory. The estimate for a large outer collection is still the bound (the 1000³ test above).
#[test]
fn nested_loops_over_parts_of_few_elements_are_measured_not_guessed() {
    let note = "x".repeat(8000);
    let text = format!(
        r#"variable "services" {{
  default = {{
    blob = {{ s1 = {{ metrics = [{{ category = "AllMetrics", note = "{note}" }}] }} }}
    file = {{ s2 = {{ metrics = [{{ category = "Capacity", note = "{note}" }}] }} }}
  }}
}}

locals {{
  normalized = {{
    for service, settings in var.services : service => {{
      for name, setting in settings : name => [
        for metric in setting.metrics : [
          for c in ["Capacity", "Transaction"] : "${{c}}-${{metric.category}}"
          if !contains([for m in setting.metrics : m.category], c)
        ]
      ]
    }}
  }}
}}
"#
    ) + &RG.replace("NAME", "\"rg-${local.normalized.file.s2[0][0]}\"");
    let d = dir(&text, &[]);
    let (code, stdout, stderr, _) = check(d.path(), &[".", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("limit"), "{stderr}");
    // The value was computed: the resource group's name is known (no unknown input).
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["summary"]["unknown"], 0, "{stdout}");
}
