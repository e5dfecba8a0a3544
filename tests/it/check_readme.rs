//! The README's rules table and reference are generated from the rules (`UPDATE_README=1 cargo test --test
//! it check_readme::` rewrites them); this test fails when they drift.

use infra::check::{rules, rules_markdown};

#[test]
fn readme_rules_section_is_generated_from_the_rules() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let (begin, end) = ("<!-- rules:begin -->\n", "<!-- rules:end -->");
    let start = readme.find(begin).expect("README has <!-- rules:begin -->") + begin.len();
    let stop = readme.find(end).expect("README has <!-- rules:end -->");
    let generated = rules_markdown(rules::ALL);
    if std::env::var_os("UPDATE_README").is_some() {
        let updated = format!("{}{generated}{}", &readme[..start], &readme[stop..]);
        std::fs::write(path, updated).unwrap();
        return;
    }
    assert!(
        readme[start..stop] == generated,
        "README rules section is out of date: run UPDATE_README=1 cargo test --test it check_readme::"
    );
}

#[test]
fn explain_in_readme_matches_the_binary() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let rule = infra::check::rule("ACR014").unwrap();
    assert!(readme.contains(&format!("$ infra check --explain ACR014\n{}```", rule.explain())));
}
