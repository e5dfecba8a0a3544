//! `infra diff --plan` of providers infra has no schema for: the layout is inferred from the plan itself
//! (`src/diff/from_plan/infer.rs`). The expected text is terraform's own: the plan corpus
//! (`tests/fixtures/plan-corpus/`, made by real terraform 1.11 with the test provider's azurerm and corpus
//! schemas) rendered with no provider schema but Terraform's builtin one, as if azurerm and the corpus provider
//! were other providers' — then infra's text, but for its closing note that the layout is approximate, equals
//! `terraform show`'s.

use infra::diff;
use infra::plan::Plan;
use infra::terraform::Schemas;
use std::path::{Path, PathBuf};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/plan-corpus")
}

/// infra's text for a corpus scenario's plan without provider schemas, its note split off, and terraform's.
fn schemaless_pair(name: &str) -> (String, Option<String>, String) {
    let dir = corpus().join(name);
    let plan = Plan::parse("plan.json", &std::fs::read(dir.join("plan.json")).unwrap())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let text = diff::text::render(&diff::from_plan_with(&plan, &Schemas::terraform_builtin()), false);
    let (ours, note) = match text.find("\nNote: no provider schema for ") {
        Some(at) => (text[..at].to_string(), Some(text[at..].to_string())),
        None => (text, None),
    };
    (ours, note, std::fs::read_to_string(dir.join("show.txt")).unwrap())
}

/// Lines of `theirs` that `ours` has in the same order (a longest common subsequence of lines).
fn matching_lines(theirs: &str, ours: &str) -> usize {
    let (t, o): (Vec<&str>, Vec<&str>) = (theirs.lines().collect(), ours.lines().collect());
    let mut row = vec![0usize; o.len() + 1];
    for a in &t {
        let mut prev = 0;
        for (j, b) in o.iter().enumerate() {
            let keep = row[j + 1];
            row[j + 1] = if a == b { prev + 1 } else { row[j + 1].max(row[j]) };
            prev = keep;
        }
    }
    row[o.len()]
}

/// The scenarios whose text without schemas still differs from terraform's, each with why (what the plan does
/// not tell). The test fails when a scenario not listed differs, and when a listed one matches (the list only
/// shrinks).
const APPROXIMATE: &[(&str, &str)] = &[
    (
        "az_delete_container_app",
        "an empty list attribute (`args = []`) of a resource no longer configured reads as an empty block list",
    ),
    (
        "az_update_block_removed",
        "an empty list attribute (`custom_domain = []`) outside the configuration reads as an empty block list",
    ),
    (
        "az_update_registry_nested_attributes",
        "a set of objects in an attribute (`ip_rule`) reads as a list: no sensitive mark or configured order tells",
    ),
    (
        "corpus_delete",
        "no configuration (deleted): nested attribute types read as blocks or maps",
    ),
    (
        "corpus_empty_collections",
        "nested attribute types (protocol 6) read as plain object types: no `-> null` inside",
    ),
    (
        "corpus_remove_everything_optional",
        "nested attribute types read as plain object types; an empty map block reads as an attribute",
    ),
    (
        "corpus_unknown_nested",
        "an object of one type whose other member is unknown (`limits`) reads as a map",
    ),
    (
        "corpus_update_blocks",
        "a set block whose elements keep the configuration's order reads as a list",
    ),
    (
        "corpus_update_nested_attributes",
        "nested attribute types read as plain object types; a set of objects reads as a list",
    ),
    (
        "corpus_update_set_block_order",
        "an empty map block (`listener = {}`) reads as an unchanged map attribute",
    ),
    ("corpus_update_types", "a set of numbers reads as a list"),
    (
        "data_delete_values",
        "KNOWN_DIFFERENCES: a secret copied without its mark stays hidden",
    ),
    (
        "data_update_sensitive",
        "KNOWN_DIFFERENCES: a secret copied without its mark stays hidden",
    ),
    (
        "exact_lone_cr",
        "KNOWN_DIFFERENCES: infra never prints a raw carriage return (it could overwrite a log line)",
    ),
];

/// Every corpus scenario (real terraform's text), without the provider schemas: infra's text, but for its note
/// that the layout is approximate, equals terraform's — for the scenarios of azurerm, whose plans come from a
/// legacy-SDK provider as most others' do: empty block lists hidden, set blocks removed and added, attributes
/// known only after apply inside blocks shown. (Before the inference read the configuration, masks and unknowns,
/// ten more scenarios differed and 2234 of these 2725 lines matched.)
#[allow(clippy::print_stderr, reason = "the score, shown with --nocapture")]
#[test]
fn corpus_without_schemas_renders_as_terraform_shows_it() {
    let mut names: Vec<String> = std::fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().join("show.txt").exists())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 70, "only {} scenarios in the corpus", names.len());
    let approximate: Vec<&str> = APPROXIMATE.iter().map(|(n, _)| *n).collect();
    let (mut total, mut matched) = (0, 0);
    let (mut unexpected, mut fixed) = (vec![], vec![]);
    for name in &names {
        let (ours, note, theirs) = schemaless_pair(name);
        total += theirs.lines().count();
        matched += matching_lines(&theirs, &ours);
        // Only the builtin provider's types have a schema here: the note is there whenever another one changes.
        let others = theirs.contains("resource \"azurerm_") || theirs.contains("resource \"corpus_");
        assert_eq!(note.is_some(), others, "{name}: {note:?}");
        if let Some(note) = note {
            assert!(
                note.contains("approximate") && note.contains("--providers-schema"),
                "{note}"
            );
        }
        match (ours == theirs, approximate.contains(&name.as_str())) {
            (false, false) => unexpected.push(format!("{name}:\n--- terraform:\n{theirs}--- infra:\n{ours}")),
            (true, true) => fixed.push(name.clone()),
            _ => {}
        }
    }
    eprintln!("without schemas: {matched} of {total} lines of terraform's text match");
    assert!(unexpected.is_empty(), "{}", unexpected.join("\n\n"));
    assert!(
        fixed.is_empty(),
        "now matching terraform: remove from APPROXIMATE: {fixed:?}"
    );
    for (name, _) in APPROXIMATE {
        assert!(
            names.iter().any(|n| n == name),
            "APPROXIMATE names {name}, which is not a scenario"
        );
    }
    // The approximate ones still come close: 94 % of all lines (measured: 2563 of 2725).
    assert!(matched * 100 >= total * 94, "{matched} of {total} lines");
}

/// A set block planned in terraform's order, not the configuration's (`corpus_update_set_block_order`): its
/// changed elements are removed and added, as terraform shows them, without the schema that says it is a set.
#[test]
fn a_set_block_is_told_by_its_planned_order() {
    let (ours, _, theirs) = schemaless_pair("corpus_update_set_block_order");
    let blocks = |text: &str| {
        let start = text
            .find("      - tag {")
            .unwrap_or_else(|| panic!("no removed tag in:\n{text}"));
        let end = text
            .find("        # (1 unchanged block hidden)")
            .unwrap_or_else(|| panic!("{text}"));
        text[start..end].to_string()
    };
    assert_eq!(blocks(&ours), blocks(&theirs));
}

/// Print one scenario's two texts without schemas:
/// `INFRA_CORPUS=name cargo test --test it diff_without_schema::show_one -- --nocapture`.
#[test]
#[allow(clippy::print_stderr, reason = "this test exists to print the two texts")]
fn show_one() {
    if let Ok(name) = std::env::var("INFRA_CORPUS") {
        let (ours, note, theirs) = schemaless_pair(&name);
        eprintln!(
            "=== terraform\n{theirs}=== infra\n{ours}{}=== {}",
            note.unwrap_or_default(),
            if ours == theirs { "same" } else { "DIFFERENT" }
        );
    }
}
