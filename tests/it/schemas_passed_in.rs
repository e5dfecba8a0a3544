//! One `Schemas` value, handed in: the readers, `infra check` and `infra diff` use a provider schema they are
//! given (`--providers-schema`, `check.providers_schema`), here a made-up provider's
//! (`tests/fixtures/schemas-passed-in/`), and `src/terraform/` knows no provider of its own.

use infra::terraform::{Config, Schemas};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schemas-passed-in")
}

fn schema_file() -> String {
    fixtures().join("acme.schema.json").display().to_string()
}

fn acme() -> Schemas {
    infra::azurerm::builtin_schemas()
        .clone()
        .with_file(Path::new(&schema_file()))
        .unwrap_or_else(|e| panic!("{e}"))
}

use crate::support::{infra_in as infra, stdout_of as stdout};

/// A temporary repository whose `infra.toml` requires an `owner` tag (GEN001), plus `extra` settings lines.
fn repository(extra: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join(".git")).unwrap();
    std::fs::write(
        tmp.path().join("infra.toml"),
        format!("[check]\nrequired_tags = [\"owner\"]\n{extra}"),
    )
    .unwrap();
    tmp
}

#[test]
fn tf_json_reading_tells_blocks_from_arguments_by_the_schema_given() {
    let dir = fixtures().join("new");
    let with = Config::read_dir_with(&dir, &acme()).unwrap();
    let widget = &with.resources()[0].block.body;
    let rule = widget.block("rule").expect("rule is a nested block with the schema");
    assert!(rule.body.get("port").is_some());
    assert!(widget.get("rule").is_none());
    // An object-valued argument the schema declares stays an argument.
    assert!(widget.get("settings").is_some() && widget.block("settings").is_none());

    // Without the schema (the built-in set has no acme_widget), `rule` is an object-valued argument.
    let without = Config::read_dir_with(&dir, infra::azurerm::builtin_schemas()).unwrap();
    let widget = &without.resources()[0].block.body;
    assert!(widget.block("rule").is_none());
    assert!(widget.get("rule").is_some());
}

#[test]
fn the_schema_file_adds_to_the_builtin_set_and_takes_precedence() {
    let s = acme();
    assert!(s.resource("acme_widget").unwrap().attributes["api_key"].sensitive);
    assert!(s.resource("azurerm_container_app").is_some() && s.resource("terraform_data").is_some());
    let own = r#"{"provider_schemas": {"x/azurerm": {"resource_schemas": {"azurerm_resource_group": {"block": {}}}}}}"#;
    let replaced = s.with_json("own.json", own.as_bytes()).unwrap();
    assert!(replaced
        .resource("azurerm_resource_group")
        .unwrap()
        .attributes
        .is_empty());
}

#[test]
fn check_plan_and_check_dir_consult_the_schema_given() {
    let tmp = repository("");
    let plan = fixtures().join("plan.json").display().to_string();
    let dir = fixtures().join("new").display().to_string();
    let schema = schema_file();
    for target in [vec!["--plan", plan.as_str()], vec![dir.as_str()]] {
        // Without the schema nothing says acme_widget takes tags: GEN001 does not judge it.
        let without = infra(
            tmp.path(),
            &[&["check", "--color", "never"], target.as_slice()].concat(),
        );
        assert_eq!(without.status.code(), Some(0), "{}", stdout(&without));
        assert!(!stdout(&without).contains("GEN001"), "{}", stdout(&without));
        // With it, the widget has a `tags` argument and lacks the required tag.
        let args = [
            &["check", "--color", "never", "--providers-schema", &schema],
            target.as_slice(),
        ]
        .concat();
        let with = infra(tmp.path(), &args);
        assert_eq!(with.status.code(), Some(0), "{}", stdout(&with));
        assert!(
            stdout(&with).contains("GEN001") && stdout(&with).contains("missing required tags: owner"),
            "{}",
            stdout(&with)
        );
        // JUnit's test cases are rule × resource by the same schemas.
        let junit = infra(tmp.path(), &[args.as_slice(), &["--format", "junit"]].concat());
        assert!(stdout(&junit).contains("classname=\"GEN001 "), "{}", stdout(&junit));
    }
    // A file that is not a schema is an input error (exit 2), named, with how to write one.
    std::fs::write(tmp.path().join("bad.json"), "[]").unwrap();
    let bad = infra(
        tmp.path(),
        &["check", "--plan", &plan, "--providers-schema", "bad.json"],
    );
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("bad.json: not the output of") && err.contains("\nhelp: write it with"),
        "{err}"
    );
}

#[test]
fn infra_toml_names_schema_files_relative_to_itself() {
    let tmp = repository("providers_schema = [\"schemas/acme.json\"]\n");
    std::fs::create_dir(tmp.path().join("schemas")).unwrap();
    std::fs::copy(schema_file(), tmp.path().join("schemas/acme.json")).unwrap();
    let dir = fixtures().join("new").display().to_string();
    let out = infra(tmp.path(), &["check", "--color", "never", &dir]);
    assert!(
        stdout(&out).contains("missing required tags: owner"),
        "{}",
        stdout(&out)
    );

    std::fs::write(tmp.path().join("schemas/acme.json"), "{}").unwrap();
    let bad = infra(tmp.path(), &["check", "--color", "never", &dir]);
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("check.providers_schema: ")
            && err.contains("not the output of `terraform providers schema -json`"),
        "{err}"
    );
}

#[test]
fn infra_toml_cannot_name_a_schema_file_outside_the_repository() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("acme.json");
    std::fs::copy(schema_file(), &secret).unwrap();
    let tmp = repository("");
    std::os::unix::fs::symlink(&secret, tmp.path().join("linked.json")).unwrap();
    let dir = fixtures().join("new").display().to_string();
    for settings in [
        format!("providers_schema = [{:?}]\n", secret.display().to_string()),
        "providers_schema = [\"linked.json\"]\n".to_string(),
    ] {
        std::fs::write(
            tmp.path().join("infra.toml"),
            format!("[check]\nrequired_tags = [\"owner\"]\n{settings}"),
        )
        .unwrap();
        let out = infra(tmp.path(), &["check", "--color", "never", &dir]);
        assert_eq!(out.status.code(), Some(2), "{settings}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("check.providers_schema: ") && err.contains("outside"),
            "{settings}: {err}"
        );
    }
}

#[test]
fn diff_plan_lays_out_and_masks_by_the_schema_given() {
    let tmp = tempfile::tempdir().unwrap();
    let plan = fixtures().join("plan.json").display().to_string();
    let schema = schema_file();
    let with = stdout(&infra(
        tmp.path(),
        &[
            "diff",
            "--color",
            "never",
            "--plan",
            &plan,
            "--providers-schema",
            &schema,
        ],
    ));
    assert!(with.contains("      + api_key  = (sensitive value)\n"), "{with}");
    assert!(!with.contains("hunter2"), "{with}");
    assert!(with.contains("      + rule {\n          + port     = 443\n"), "{with}");
    assert!(!with.contains("no provider schema"), "{with}");
    let without = stdout(&infra(tmp.path(), &["diff", "--color", "never", "--plan", &plan]));
    assert!(
        without.contains("Note: no provider schema for acme_widget"),
        "{without}"
    );
}

#[test]
fn diff_of_tf_json_directories_reads_blocks_by_the_schema_given() {
    let tmp = tempfile::tempdir().unwrap();
    let (old, new) = (fixtures().join("old"), fixtures().join("new"));
    let (old, new) = (old.to_str().unwrap(), new.to_str().unwrap());
    let schema = schema_file();
    let with = stdout(&infra(
        tmp.path(),
        &["diff", "--color", "never", old, new, "--providers-schema", &schema],
    ));
    assert!(
        with.contains("      ~ rule {\n          ~ port     = 80 -> 443\n"),
        "{with}"
    );
    let without = stdout(&infra(tmp.path(), &["diff", "--color", "never", old, new]));
    assert!(
        without.contains("      ~ rule     = {\n          ~ port     = 80 -> 443\n"),
        "{without}"
    );
    // Stack modes render infra's own stacks: there is nothing for a schema file to say (a usage error).
    let stacks = infra(tmp.path(), &["diff", "--providers-schema", &schema]);
    assert_eq!(stacks.status.code(), Some(1));
    let err = String::from_utf8_lossy(&stacks.stderr);
    assert!(err.contains("<--plan <FILE>|NEW_DIR>"), "{err}");
}

/// `src/terraform/` is generic: it names no provider; which schemas a run knows is its caller's choice.
#[test]
fn the_terraform_layer_imports_nothing_provider_specific() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/terraform");
    let mut offending = Vec::new();
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (i, line) in text.lines().enumerate() {
                let code = line.trim_start();
                if code.starts_with("//") {
                    continue;
                }
                if code.contains("azurerm::") || code.contains("\"hashicorp/azurerm\"") {
                    offending.push(format!("{}:{}: {code}", path.display(), i + 1));
                }
            }
        }
    }
    assert!(offending.is_empty(), "{}", offending.join("\n"));
}
