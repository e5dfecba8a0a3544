//! The measurement recorded in docs/benchmarks.md ("Rego: Azure/policy-library-avm"): every policy of the library
//! with its own mock cases (`<policy>.mock.json`: `{"mock": {"<case>": <plan JSON>}}`), evaluated as
//! `conftest test --all-namespaces` would with the shared `utils` package; a case named `invalid*` should be
//! denied, any other not. Run by hand on a checkout of the library (nothing of it is in this repository):
//! `AVM_POLICY_DIR=/path/to/policy-library-avm/policy cargo test --lib avm_library -- --ignored --nocapture`.

use super::{Kind, Namespaces, Policies};
use std::path::{Path, PathBuf};

/// How one case came out.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Agree,
    Disagree(String),
    Error(String),
}

/// The outcome of each case of one policy file.
fn cases(utils: &Path, policy: &Path) -> Vec<(String, Outcome)> {
    let mock = policy.with_extension("mock.json");
    let Ok(text) = std::fs::read_to_string(&mock) else {
        return Vec::new();
    };
    let mock: serde_json::Value = serde_json::from_str(&text).expect("mock JSON");
    let Some(cases) = mock["mock"].as_object() else {
        return Vec::new();
    };
    let loaded = Policies::load(&[utils.to_path_buf(), policy.to_path_buf()], &[], Namespaces::All, None);
    cases
        .iter()
        .map(|(name, input)| {
            let outcome = match &loaded {
                Err(e) => Outcome::Error(e.to_string()),
                Ok(_) => {
                    let mut p =
                        Policies::load(&[utils.to_path_buf(), policy.to_path_buf()], &[], Namespaces::All, None)
                            .expect("loaded once");
                    match p.evaluate(&super::to_rego(input)) {
                        Err(e) => Outcome::Error(e.to_string()),
                        Ok(results) => {
                            let denied = results.iter().filter(|r| r.kind != Kind::Warn).count();
                            match (name.starts_with("invalid"), denied) {
                                (true, 0) => Outcome::Disagree("expected a deny, got none".into()),
                                (false, n) if n > 0 => Outcome::Disagree(format!("expected none, got {n}")),
                                _ => Outcome::Agree,
                            }
                        }
                    }
                }
            };
            (name.clone(), outcome)
        })
        .collect()
}

fn rego_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a directory") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            rego_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rego")
            && !path.to_string_lossy().contains("utils")
            && !path.to_string_lossy().ends_with("_test.rego")
        {
            out.push(path);
        }
    }
}

#[test]
#[ignore = "measures a checkout of Azure/policy-library-avm named by AVM_POLICY_DIR (docs/benchmarks.md)"]
#[allow(clippy::print_stderr, reason = "the measurement's report is its output")]
fn avm_library() {
    let dir = PathBuf::from(std::env::var("AVM_POLICY_DIR").expect("AVM_POLICY_DIR: the library's policy/ directory"));
    let utils = dir.join("common/common.utils.rego");
    let mut files = Vec::new();
    rego_files(&dir, &mut files);
    files.sort();
    let (mut agree, mut disagree, mut error, mut policies) = (0, 0, 0, 0);
    let start = std::time::Instant::now();
    for f in &files {
        let outcomes = cases(&utils, f);
        policies += usize::from(!outcomes.is_empty());
        for (case, outcome) in outcomes {
            match outcome {
                Outcome::Agree => agree += 1,
                Outcome::Disagree(why) => {
                    disagree += 1;
                    eprintln!("DISAGREE {} {case}: {why}", f.strip_prefix(&dir).unwrap_or(f).display());
                }
                Outcome::Error(e) => {
                    error += 1;
                    eprintln!(
                        "ERROR {} {case}: {}",
                        f.strip_prefix(&dir).unwrap_or(f).display(),
                        e.replace('\n', " | ")
                    );
                }
            }
        }
    }
    eprintln!(
        "{policies} policies, {} cases: {agree} agree, {disagree} disagree, {error} error ({:.1?})",
        agree + disagree + error,
        start.elapsed()
    );
}
