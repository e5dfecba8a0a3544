//! `infra diff --plan` renders our own stacks' real plans as Terraform does: the resource section of infra's
//! text view (from the first `  # ` line to the `Plan:` line, no colour) is identical to the same section of
//! terraform's own `terraform show PLANFILE` text, committed next to the plan JSON in
//! `tests/fixtures/terraform-json/own/` (`<stack>.plan.json`, `<stack>.plan.txt`). Nothing is normalised:
//! addresses, symbols, alignment, nested block layout, multi-line maps and lists, heredocs, `(known after
//! apply)`/`(sensitive value)` and the `Plan:` line all match. Headers before the first resource may differ.

use infra::diff;
use infra::plan::Plan;
use std::path::{Path, PathBuf};

fn own(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/terraform-json/own")
        .join(file)
}

/// From the first line starting `  # ` to the `Plan:` line, both included.
fn resource_section(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with("  # "))
        .unwrap_or_else(|| panic!("no `  # ` line in:\n{text}"));
    let end = lines
        .iter()
        .position(|l| l.starts_with("Plan: "))
        .unwrap_or_else(|| panic!("no `Plan:` line in:\n{text}"));
    assert!(start < end, "`Plan:` before the first resource in:\n{text}");
    lines[start..=end].join("\n") + "\n"
}

fn check(stack: &str) {
    let json = own(&format!("{stack}.plan.json"));
    let plan =
        Plan::parse(&format!("{stack}.plan.json"), &std::fs::read(&json).unwrap()).unwrap_or_else(|e| panic!("{e}"));
    let ours = resource_section(&diff::text::render(&diff::from_plan(&plan), false));
    let theirs = resource_section(&std::fs::read_to_string(own(&format!("{stack}.plan.txt"))).unwrap());
    if ours != theirs {
        // A line diff is easier to read than two 300-line strings.
        let (o, t): (Vec<&str>, Vec<&str>) = (ours.lines().collect(), theirs.lines().collect());
        let first = o
            .iter()
            .zip(&t)
            .position(|(a, b)| a != b)
            .unwrap_or(o.len().min(t.len()));
        let context = |v: &[&str]| v[first.saturating_sub(3)..(first + 5).min(v.len())].join("\n");
        panic!(
            "{stack}: infra's resource section differs from terraform's at line {}\n--- terraform:\n{}\n--- infra:\n{}",
            first + 1,
            context(&t),
            context(&o)
        );
    }
}

#[test]
fn dev_plan_renders_as_terraform_renders_it() {
    check("dev");
}

#[test]
fn prod_plan_renders_as_terraform_renders_it() {
    check("prod");
}

/// The section is not trivially equal: it holds the features this test is about.
#[test]
fn the_compared_sections_cover_terraforms_layout() {
    let theirs = resource_section(&std::fs::read_to_string(own("prod.plan.txt")).unwrap());
    for needle in [
        "  # azurerm_container_app.app will be created",
        "      + custom_domain_verification_id = (sensitive value)",
        "      + identity {",
        "          + identity_ids = [\n              + (known after apply),\n            ]",
        "      + tags                          = {\n          + \"application\" = \"fastapi-app\"",
        "      + network_rule_set              = (known after apply)",
        "      + address_space       = [\n          + \"10.20.0.0/16\",\n        ]",
        "          + private_dns_zone_ids = [\n              + (known after apply),\n            ]",
        "      + custom_headers      = {\n          + \"Authorization\" = (sensitive value)\n        }",
        "      + triggers        = {\n          + \"acr_pull_role_assignment_id\" = (known after apply)\n        }",
        "Plan: 24 to add, 0 to change, 0 to destroy.",
    ] {
        assert!(theirs.contains(needle), "terraform's prod plan text lacks {needle:?}");
    }
    assert!(!theirs.contains("dapr"), "terraform shows no empty block list");
}

// ---------------------------------------------------------------------------------------------------------------
// The corpus of real pairs (tests/fixtures/plan-corpus/, made by tests/terraform-provider/tests/corpus.rs): for
// every scenario, infra's whole text equals `terraform show -no-color` of the same plan, byte for byte — preamble,
// resources, `Plan:` line, "Changes to Outputs:" and the closing notes.

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/plan-corpus")
}

/// The scenarios whose text still differs from terraform's, one name a line (`#` comments). The test fails when
/// a scenario not listed differs, and when a listed one matches (so the list only shrinks).
fn known_differences() -> Vec<String> {
    std::fs::read_to_string(corpus().join("KNOWN_DIFFERENCES"))
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// infra's text for a corpus scenario's plan, and terraform's.
fn corpus_pair(name: &str) -> (String, String) {
    let dir = corpus().join(name);
    let bytes = std::fs::read(dir.join("plan.json")).unwrap();
    let plan = Plan::parse("plan.json", &bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    // Scenarios of the hand-made corpus provider come with its `terraform providers schema -json`.
    let schema = dir.join("schema.json");
    let schemas = if schema.exists() {
        infra::azurerm::builtin_schemas()
            .clone()
            .with_file(&schema)
            .unwrap_or_else(|e| panic!("{e}"))
    } else {
        infra::azurerm::builtin_schemas().clone()
    };
    let ours = diff::text::render(&diff::from_plan_with(&plan, &schemas), false);
    let theirs = std::fs::read_to_string(dir.join("show.txt")).unwrap();
    (ours, theirs)
}

fn first_difference(ours: &str, theirs: &str) -> String {
    let (o, t): (Vec<&str>, Vec<&str>) = (ours.lines().collect(), theirs.lines().collect());
    let first = o
        .iter()
        .zip(&t)
        .position(|(a, b)| a != b)
        .unwrap_or(o.len().min(t.len()));
    let context = |v: &[&str]| v[first.saturating_sub(2).min(v.len())..(first + 4).min(v.len())].join("\n");
    format!(
        "line {}\n--- terraform:\n{}\n--- infra:\n{}",
        first + 1,
        context(&t),
        context(&o)
    )
}

#[allow(clippy::print_stderr, reason = "the corpus score, shown with --nocapture")]
#[test]
fn every_corpus_scenario_renders_as_terraform_shows_it() {
    let mut names: Vec<String> = std::fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().join("show.txt").exists())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 40, "only {} scenarios in the corpus", names.len());
    let known = known_differences();
    let mut unexpected = vec![];
    let mut fixed = vec![];
    let mut matching = 0;
    for name in &names {
        let (ours, theirs) = corpus_pair(name);
        let same = ours == theirs;
        matching += usize::from(same);
        match (same, known.contains(name)) {
            (false, false) => unexpected.push(format!("{name}: {}", first_difference(&ours, &theirs))),
            (true, true) => fixed.push(name.clone()),
            _ => {}
        }
    }
    eprintln!(
        "{matching} of {} corpus scenarios match terraform byte for byte",
        names.len()
    );
    for k in &known {
        assert!(
            names.contains(k),
            "KNOWN_DIFFERENCES names {k}, which is not a scenario"
        );
    }
    assert!(
        unexpected.is_empty(),
        "{} scenario(s) differ from terraform's text:\n\n{}",
        unexpected.len(),
        unexpected.join("\n\n")
    );
    assert!(
        fixed.is_empty(),
        "now matching terraform: remove from tests/fixtures/plan-corpus/KNOWN_DIFFERENCES: {fixed:?}"
    );
}

/// Print one scenario's two texts: `INFRA_CORPUS=name cargo test --test it diff_matches_terraform::show_one -- --nocapture`.
#[test]
#[allow(clippy::print_stderr, reason = "this test exists to print the two texts")]
fn show_one() {
    if let Ok(name) = std::env::var("INFRA_CORPUS") {
        let (ours, theirs) = corpus_pair(&name);
        eprintln!(
            "=== terraform\n{theirs}=== infra\n{ours}=== {}",
            if ours == theirs { "same" } else { "DIFFERENT" }
        );
    }
}

/// The real plans from other projects (tests/fixtures/terraform-json/plans/; their providers' schemas are not
/// available, so terraform's text for them is not either): the text renders, says which types had no schema, has
/// one header comment per shown change, and its `Plan:` line counts as the model does.
#[test]
fn real_plans_of_other_providers_render_with_terraforms_counts() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/terraform-json/plans");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert_eq!(files.len(), 11);
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let plan = Plan::parse(&name, &std::fs::read(&path).unwrap()).unwrap_or_else(|e| panic!("{e}"));
        let set = diff::from_plan(&plan);
        let text = diff::text::render(&set, false);
        let headers = text
            .lines()
            .filter(|l| l.starts_with("  # ") || l.starts_with(" # "))
            .filter(|l| !l.starts_with("  # (") && !l.starts_with(" # ("))
            .count();
        let shown = set
            .changes
            .iter()
            .filter(|c| !(c.action == diff::Action::Delete && c.kind == "data"))
            .count();
        assert_eq!(headers, shown, "{name}:\n{text}");
        if shown > 0 {
            let line = text
                .lines()
                .find(|l| l.starts_with("Plan: "))
                .unwrap_or_else(|| panic!("{name}"));
            assert_eq!(line, set.summary().line(), "{name}");
        }
        let builtin = infra::azurerm::builtin_schemas().clone();
        let unknown = set
            .changes
            .iter()
            .any(|c| builtin.get(c.kind == "data", &c.resource_type).is_none());
        assert_eq!(
            text.contains("\nNote: no provider schema for "),
            unknown,
            "{name}:\n{text}"
        );
    }
}
