//! The README's examples are real: the annotated stack is `stacks/prod.toml`, and the Rust example is the doc test
//! on `infra::stack::Stack` (src/stack/stack-in-rust.md).

use infra::stack::Stack;
use std::path::Path;

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

#[test]
fn annotated_stack_is_the_prod_stack() {
    let readme = read("README.md");
    let start = readme.find("```toml\n").expect("a toml example") + "```toml\n".len();
    let end = start + readme[start..].find("```").unwrap();
    let annotated = Stack::from_toml("stacks/prod.toml", &readme[start..end]).unwrap_or_else(|e| panic!("{e}"));
    let prod = Stack::from_toml("stacks/prod.toml", &read("stacks/prod.toml")).unwrap();
    assert_eq!(annotated, prod);
}

#[test]
fn rust_example_is_the_doc_test() {
    let readme = read("README.md");
    let example = read("src/stack/stack-in-rust.md");
    assert!(
        readme.contains(example.trim()),
        "README's Rust example differs from src/stack/stack-in-rust.md"
    );
}
