//! The rules table and reference in docs/check.md are generated from the rules (`UPDATE_README=1 cargo test
//! --test it check_readme::` rewrites them); this test fails when they drift.

use infra::check::{rules, rules_markdown};

const DOC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/check.md");

#[test]
fn readme_rules_section_is_generated_from_the_rules() {
    let doc = std::fs::read_to_string(DOC).unwrap();
    let (begin, end) = ("<!-- rules:begin -->\n", "<!-- rules:end -->");
    let start = doc.find(begin).expect("docs/check.md has <!-- rules:begin -->") + begin.len();
    let stop = doc.find(end).expect("docs/check.md has <!-- rules:end -->");
    let generated = rules_markdown(rules::ALL);
    if std::env::var_os("UPDATE_README").is_some() {
        let updated = format!("{}{generated}{}", &doc[..start], &doc[stop..]);
        std::fs::write(DOC, updated).unwrap();
        return;
    }
    assert!(
        doc[start..stop] == generated,
        "the rules section of docs/check.md is out of date: run UPDATE_README=1 cargo test --test it check_readme::"
    );
}

#[test]
fn explain_in_readme_matches_the_binary() {
    let doc = std::fs::read_to_string(DOC).unwrap();
    let rule = infra::check::rule("ACR014").unwrap();
    assert!(doc.contains(&format!("$ infra check --explain ACR014\n{}```", rule.explain())));
}
