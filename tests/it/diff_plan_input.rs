//! How `infra diff --plan` takes its plan: a file (a large one mapped into memory, a small one read), or standard
//! input (`--plan -`, read into memory); the output is the same whichever way the plan comes in, and input that is
//! not a plan — empty, not UTF-8, too large — is an error with nothing on stdout.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// A plan of `n` resource groups whose tags change (about 400 bytes each): large enough to be mapped when `n` is
/// in the thousands (`infra::fsutil`'s threshold is 256 KiB).
fn plan(n: usize) -> String {
    let changes: Vec<String> = (0..n)
        .map(|i| {
            // Odd ones keyed by a string (`for_each`): an address with escapes (`rg[\"k1\"]`).
            let (key, index) = if i % 2 == 1 {
                (format!(r#"\"k{i}\""#), format!(r#""k{i}""#))
            } else {
                (i.to_string(), i.to_string())
            };
            format!(
                r#"{{"address":"azurerm_resource_group.rg[{key}]","mode":"managed","type":"azurerm_resource_group","name":"rg","index":{index},"provider_name":"registry.terraform.io/hashicorp/azurerm","change":{{"actions":["update"],"before":{{"id":"/subscriptions/0/resourceGroups/rg-{i}","location":"westeurope","name":"rg-{i}","tags":{{"env":"dev","note":"caf\u00e9 \"{i}\""}}}},"after":{{"id":"/subscriptions/0/resourceGroups/rg-{i}","location":"westeurope","name":"rg-{i}","tags":{{"env":"prod","note":"café \"{i}\""}}}},"after_unknown":{{}},"before_sensitive":{{}},"after_sensitive":{{}}}}}}"#
            )
        })
        .collect();
    format!(
        r#"{{"format_version":"1.2","terraform_version":"1.11.0","resource_changes":[{}]}}"#,
        changes.join(",\n")
    )
}

/// `infra diff --plan PLAN ARGS…` with `stdin` (if any) written to its standard input through a pipe.
fn infra(dir: &Path, plan: &str, args: &[&str], stdin: Option<&[u8]>, env: &[(&str, &str)]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_infra"))
        .args(["diff", "--plan", plan])
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied())
        .env("NO_COLOR", "1")
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = child.stdin.take();
    let bytes = stdin.map(<[u8]>::to_vec);
    let writer = std::thread::spawn(move || {
        if let (Some(mut pipe), Some(bytes)) = (input, bytes) {
            // infra may stop reading early (a plan over the limit): a closed pipe is not this test's failure.
            let _ = pipe.write_all(&bytes);
        }
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

/// `--plan` and what infra reads through it (a file when `None`), the environment, and what stderr must say.
type Case<'a> = (&'a str, Option<&'a [u8]>, &'a [(&'a str, &'a str)], &'a str);

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_plan_from_standard_input_reads_as_the_file_does() {
    let tmp = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/terraform-json/plans/03_azurerm_comprehensive_SYNTHETIC.plan.json");
    let small = std::fs::read(&fixture).unwrap();
    let large = plan(3000).into_bytes();
    assert!(
        large.len() > 1024 * 1024,
        "{} bytes: not large enough to be mapped",
        large.len()
    );
    for (name, bytes) in [("small.json", &small), ("large.json", &large)] {
        std::fs::write(tmp.path().join(name), bytes).unwrap();
        for format in ["text", "json", "markdown"] {
            let file = infra(tmp.path(), name, &["--format", format], None, &[]);
            let piped = infra(tmp.path(), "-", &["--format", format], Some(bytes), &[]);
            assert_eq!(file.status.code(), Some(2), "{name} {format}: {}", stderr(&file));
            assert_eq!(piped.status.code(), Some(2), "{name} {format}: {}", stderr(&piped));
            assert!(file.stdout.len() > 1000, "{name} {format}: too little output");
            // Byte for byte, but for the input's name in warnings (the small plan has changes with no actions).
            let named = String::from_utf8(piped.stdout.clone())
                .unwrap()
                .replace("<stdin>", name)
                .replace("&lt;stdin&gt;", name);
            assert!(
                file.stdout == named.as_bytes(),
                "{name} --format {format}: stdin gave other output"
            );
            assert_eq!(
                stderr(&file),
                stderr(&piped).replace("<stdin>", name),
                "{name} {format}"
            );
        }
    }
    // Strings with escapes (an address's `\"`) read as those without.
    let text = String::from_utf8(infra(tmp.path(), "large.json", &[], None, &[]).stdout).unwrap();
    assert!(
        text.contains("  # azurerm_resource_group.rg[\"k2999\"] will be updated in-place\n"),
        "{text:.2000}"
    );
    assert!(
        text.contains("Plan: 0 to add, 3000 to change, 0 to destroy."),
        "{text:.2000}"
    );
}

#[test]
fn empty_or_not_utf8_or_too_large_input_is_an_error_with_nothing_on_stdout() {
    let tmp = tempfile::tempdir().unwrap();
    let large = plan(3000);
    // An invalid byte inside a string of the last change: the error says where (line 3000).
    let at = large.rfind("westeurope").unwrap();
    let mut bad = large.clone().into_bytes();
    bad[at] = 0xff;
    std::fs::write(tmp.path().join("bad.json"), &bad).unwrap();
    std::fs::write(tmp.path().join("empty.json"), b"").unwrap();
    std::fs::write(tmp.path().join("blank.json"), vec![b' '; 2 * 1024 * 1024]).unwrap();
    std::fs::write(tmp.path().join("large.json"), &large).unwrap();
    let cases: [Case; 7] = [
        ("bad.json", None, &[], "bad.json:3000:"),
        ("-", Some(&bad), &[], "<stdin>:3000:"),
        (
            "empty.json",
            None,
            &[],
            "empty.json:1:0: the JSON ends early (truncated?)",
        ),
        ("-", Some(b""), &[], "<stdin>:1:0: the JSON ends early (truncated?)"),
        (
            "blank.json",
            None,
            &[],
            "blank.json:1:2097152: the JSON ends early (truncated?)",
        ),
        ("large.json", None, &[("INFRA_MAX_PLAN_MIB", "1")], "larger than 1 MiB"),
        (
            "-",
            Some(large.as_bytes()),
            &[("INFRA_MAX_PLAN_MIB", "1")],
            "larger than 1 MiB",
        ),
    ];
    for (plan, stdin, env, expected) in cases {
        let o = infra(tmp.path(), plan, &[], stdin, env);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{plan}: {e}");
        assert!(o.stdout.is_empty(), "{plan}: output on stdout");
        assert!(e.contains(expected), "{plan}: expected {expected:?} in:\n{e}");
        assert!(!e.contains("panicked"), "{e}");
    }
}
