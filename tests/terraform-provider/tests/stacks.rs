//! Every configuration infra renders into the repository's `terraform/` directory must pass real
//! `terraform validate` and `terraform plan` against the azurerm 4.79.0 schema.

use std::path::{Path, PathBuf};

use infra_test_provider::harness;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

#[test]
fn every_rendered_stack_validates_and_plans() {
    let root = repo_root().join("terraform");
    let dirs = harness::config_dirs(&root).unwrap_or_else(|e| {
        panic!(
            "{}: {e}. `make render` writes the rendered stacks there; this test needs them.",
            root.display()
        )
    });
    assert!(
        !dirs.is_empty(),
        "no directory with .tf or .tf.json files under {}: the rendered stacks are missing, so nothing was \
         checked (run `make render` and commit terraform/)",
        root.display()
    );
    let provider = PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-azurerm"));
    let mut failures = vec![];
    for dir in &dirs {
        let started = std::time::Instant::now();
        let checked = harness::check_dir(&provider, dir);
        eprintln!("{}: validate+plan in {:.2?}", dir.display(), started.elapsed());
        if let Err(e) = std::panic::catch_unwind(|| checked.assert_ok()) {
            failures.push(
                e.downcast_ref::<String>()
                    .cloned()
                    .unwrap_or_else(|| format!("{}", dir.display())),
            );
            continue;
        }
        let plan = checked.plan_json.as_ref().unwrap();
        let changes = plan["resource_changes"].as_array().map(Vec::len).unwrap_or(0);
        if changes == 0 {
            failures.push(format!("{}: the plan has no resource changes", dir.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rendered stacks failed:\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n")
    );
}

#[test]
fn config_dirs_finds_nested_configuration_directories() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("dev")).unwrap();
    std::fs::create_dir_all(tmp.path().join("prod/.terraform")).unwrap();
    std::fs::create_dir_all(tmp.path().join("empty")).unwrap();
    std::fs::write(tmp.path().join("dev/main.tf"), "").unwrap();
    std::fs::write(tmp.path().join("prod/main.tf.json"), "{}").unwrap();
    std::fs::write(tmp.path().join("prod/.terraform/x.tf"), "").unwrap();
    let dirs = harness::config_dirs(tmp.path()).unwrap();
    assert_eq!(dirs, vec![tmp.path().join("dev"), tmp.path().join("prod")]);
}

#[test]
fn other_tests_find_the_provider_binary() {
    // What tests outside this crate use: finds target/<profile>/terraform-provider-azurerm.
    let found = harness::provider_binary();
    let built = PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-azurerm"));
    assert_eq!(found.canonicalize().unwrap(), built.canonicalize().unwrap());
}

#[test]
fn the_provider_directory_links_the_binary_under_every_provider_name() {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-azurerm"));
    let dir = harness::provider_dir(&bin).unwrap();
    for (_, name) in infra_test_provider::schema::Served::ALL {
        assert_eq!(
            dir.join(name).canonicalize().unwrap(),
            bin.canonicalize().unwrap(),
            "{name}"
        );
    }
    let config = std::fs::read_to_string(harness::cli_config(&bin)).unwrap();
    let quoted = serde_json::to_string(&dir.to_string_lossy()).unwrap();
    for source in ["hashicorp/azurerm", "hashicorp/time", "hashicorp/corpus"] {
        assert!(
            config.contains(&format!("\"{source}\" = {quoted}\n")),
            "{source} in {config}"
        );
    }
}

/// A webhook whose service URI carries a token (left out of the stack) and has two custom headers: every one
/// a sensitive variable, the URI's with an https validation; terraform validates and plans it in both syntaxes,
/// and the plan never holds the made-up secret values outside `variables`.
#[test]
fn a_webhook_with_secret_uri_and_headers_validates_and_plans_in_both_syntaxes() {
    use infra::stack::Stack;
    use infra::terraform::Format;
    let text = std::fs::read_to_string(repo_root().join("stacks/dev.toml")).unwrap()
        + "\n[[container_registry.webhooks]]\nname = \"deployhook\"\nactions = [\"push\", \"delete\"]\nscope = \"fastapi-app:*\"\nstatus = \"disabled\"\nheaders = [\"Authorization\", \"X-Source\"]\n";
    let stack = Stack::from_toml("stacks/dev.toml", &text).unwrap_or_else(|e| panic!("{e}"));
    let provider = PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-azurerm"));
    for format in [Format::Hcl, Format::Json] {
        let tmp = tempfile::tempdir().unwrap();
        let config = infra::render::render(&stack, format);
        infra::render::write(&config, tmp.path()).unwrap();
        assert_eq!(
            harness::required_sensitive_variables(tmp.path()).unwrap(),
            [
                "webhook_deployhook_header_authorization",
                "webhook_deployhook_header_x_source",
                "webhook_deployhook_service_uri"
            ]
        );
        let checked = harness::check_dir(&provider, tmp.path());
        checked.assert_ok();
        let plan = checked.plan_json.as_ref().unwrap();
        let hook = plan["resource_changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["address"] == "azurerm_container_registry_webhook.deployhook")
            .expect("the webhook is planned");
        assert_eq!(hook["change"]["after_sensitive"]["service_uri"], true, "{format:?}");
        assert_eq!(
            hook["change"]["after_sensitive"]["custom_headers"],
            serde_json::json!({"Authorization": true, "X-Source": true}),
            "{format:?}"
        );
    }
}
