//! Many apps and jobs per stack (issue 25 items 1, 2, 7): `[apps.<key>]` and `[jobs.<key>]` share the stack's
//! environment, registry and pull identity; the single-app form `[container_app]` renders as it always has. The
//! fixture stack is tests/fixtures/stacks/platform-apps.toml; its rendered form is committed for the test provider
//! (tests/terraform-provider/tests/apps_and_jobs.rs validates and plans it).

use infra::stack::Stack;
use infra::terraform::{Config, Format};
use std::path::Path;
use std::process::Command;

const FIXTURE: &str = "tests/fixtures/stacks/platform-apps.toml";

fn render(stack: &Stack) -> String {
    let config: Config = infra::render::render(stack, Format::Hcl);
    config.files.iter().map(|f| f.to_text()).collect::<Vec<_>>().join("\n")
}

/// The text of `<kind> "<type>" "<name>" { … }` in rendered HCL.
fn block(hcl: &str, head: &str) -> String {
    let start = hcl.find(head).unwrap_or_else(|| panic!("{head} not rendered"));
    let end = hcl[start..].find("\n}\n").map(|e| start + e + 3).unwrap();
    hcl[start..end].to_string()
}

#[test]
fn every_app_and_job_is_rendered_with_its_own_tag_variable() {
    let stack = Stack::load(Path::new(FIXTURE)).unwrap();
    let hcl = render(&stack);
    for app in ["web", "api", "worker"] {
        let b = block(&hcl, &format!("resource \"azurerm_container_app\" \"{app}\" {{"));
        assert!(b.contains(&format!("var.image_tag_{app}")), "{b}");
        assert!(hcl.contains(&format!("variable \"image_tag_{app}\" {{")), "{app}");
        assert!(hcl.contains(&format!("output \"app_{app}_name\" {{")), "{app}");
    }
    let job = block(&hcl, "resource \"azurerm_container_app_job\" \"report\" {");
    assert!(job.contains("schedule_trigger_config {"), "{job}");
    assert!(job.contains("var.image_tag_report"), "{job}");
    assert!(job.contains("value = var.secret_report_database_url"), "{job}");
    assert!(job.contains("depends_on = [time_sleep.acr_pull_propagation]"), "{job}");
    // One registry, one environment, one shared identity; the worker's own identity and grant beside it.
    assert_eq!(hcl.matches("resource \"azurerm_container_registry\"").count(), 1);
    assert_eq!(hcl.matches("resource \"azurerm_container_app_environment\"").count(), 1);
    let worker = block(&hcl, "resource \"azurerm_container_app\" \"worker\" {");
    assert!(worker.contains("azurerm_user_assigned_identity.worker.id"), "{worker}");
    assert!(
        worker.contains("depends_on = [time_sleep.acr_pull_propagation_worker]"),
        "{worker}"
    );
    assert!(hcl.contains("resource \"azurerm_role_assignment\" \"acr_pull_worker\" {"));
    // The single-app outputs belong to [container_app] only.
    assert!(!hcl.contains("output \"container_app_name\""), "{hcl}");
}

#[test]
fn init_containers_and_sidecars_run_in_the_apps_template() {
    let stack = Stack::load(Path::new(FIXTURE)).unwrap();
    let api = block(&render(&stack), "resource \"azurerm_container_app\" \"api\" {");
    let init = api.find("init_container {").expect("init container");
    let main = api.find("name   = \"api\"").expect("main container");
    let sidecar = api.find("name   = \"logs\"").expect("sidecar");
    assert!(init < main && main < sidecar, "{api}");
    assert!(api.contains("/shop/log-shipper:${var.image_tag_api}"), "{api}");
}

#[test]
fn the_rendered_hcl_is_terraform_fmt_canonical() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_infra"))
        .args(["render", FIXTURE, "--out", out])
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let fmt = Command::new("terraform")
        .args(["fmt", "-check", "-diff", out])
        .output()
        .expect("terraform on PATH");
    assert!(
        fmt.status.success(),
        "not fmt-canonical:\n{}",
        String::from_utf8_lossy(&fmt.stdout)
    );
}

#[test]
fn the_rendered_fixtures_are_fresh() {
    // What the test provider validates and plans is what infra renders today.
    for (dir, format) in [("apps-hcl", "hcl"), ("apps-json", "json")] {
        crate::support::assert_fixture_fresh(FIXTURE, dir, format);
    }
}

#[test]
fn the_shipped_single_app_stacks_render_as_committed() {
    // Item 7: nothing existing is replaced — both shipped stacks keep every address, variable and output.
    let run = Command::new(env!("CARGO_BIN_EXE_infra"))
        .args(["render", "--check"])
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
}

#[test]
fn a_stack_round_trips_through_toml() {
    let stack = Stack::load(Path::new(FIXTURE)).unwrap();
    let again = Stack::from_toml(FIXTURE, &stack.to_toml()).unwrap();
    assert_eq!(again.apps, stack.apps);
    assert_eq!(again.jobs, stack.jobs);
}

#[test]
fn drift_reads_every_app_and_identity_of_the_stack() {
    // `infra drift` reads each declared app, job and identity (and each identity's AcrPull grant).
    let stack = Stack::load(Path::new(FIXTURE)).unwrap();
    let config = infra::render::render(&stack, Format::Hcl);
    let target = infra::drift::Target::from_config(&config).unwrap();
    assert_eq!(target.container_apps, ["ca-shop-api", "ca-shop-web", "ca-shop-worker"]);
    assert_eq!(target.identities, ["id-shop-test", "id-shop-worker"]);
    assert_eq!(target.container_app_jobs, ["caj-shop-report"]);
}

const PLATFORM: &str = "tests/fixtures/stacks/app-on-platform.toml";

#[test]
fn what_exists_is_read_by_data_sources_and_nothing_of_it_is_created() {
    // Issue 25 item 3: the registry, identity and environment of another stack (another state file).
    let stack = Stack::load(Path::new(PLATFORM)).unwrap();
    let hcl = render(&stack);
    for (kind, label) in [
        ("azurerm_container_registry", "main"),
        ("azurerm_user_assigned_identity", "app"),
        ("azurerm_container_app_environment", "main"),
    ] {
        assert!(hcl.contains(&format!("data \"{kind}\" \"{label}\" {{")), "{kind}");
        assert!(!hcl.contains(&format!("resource \"{kind}\"")), "{kind} is created");
    }
    assert!(!hcl.contains("azurerm_log_analytics_workspace"), "{hcl}");
    let grant = block(&hcl, "resource \"azurerm_role_assignment\" \"acr_pull\" {");
    assert!(
        grant.contains("scope                = data.azurerm_container_registry.main.id"),
        "{grant}"
    );
    assert!(
        grant.contains("data.azurerm_user_assigned_identity.app.principal_id"),
        "{grant}"
    );
    let web = block(&hcl, "resource \"azurerm_container_app\" \"web\" {");
    assert!(
        web.contains("${data.azurerm_container_registry.main.login_server}/shop/web:"),
        "{web}"
    );
    assert!(web.contains("depends_on = [time_sleep.acr_pull_propagation]"), "{web}");
    assert!(
        hcl.contains("value       = data.azurerm_user_assigned_identity.app.client_id"),
        "{hcl}"
    );
}

#[test]
fn the_platform_may_grant_acr_pull_when_the_stack_says_so() {
    let text = std::fs::read_to_string(PLATFORM).unwrap().replace(
        "name = \"id-platform-pull\"\nresource_group_name = \"rg-platform\"\n",
        "name = \"id-platform-pull\"\nresource_group_name = \"rg-platform\"\nacr_pull_granted_by_platform = true\n",
    );
    let stack = Stack::from_toml(PLATFORM, &text).unwrap();
    let hcl = render(&stack);
    assert!(!hcl.contains("azurerm_role_assignment"), "{hcl}");
    assert!(!hcl.contains("time_sleep"), "{hcl}");
    assert!(!hcl.contains("depends_on"), "{hcl}");
}

#[test]
fn an_environment_given_by_id_is_written_as_that_id() {
    // A plain ID needs no read at plan time (and may be in another subscription).
    let id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-platform/providers/Microsoft.App/managedEnvironments/cae-platform-test";
    let text = std::fs::read_to_string(PLATFORM).unwrap().replace(
        "[existing.environment]\nname = \"cae-platform-test\"\nresource_group_name = \"rg-platform\"\n",
        &format!("[existing.environment]\nid = \"{id}\"\n"),
    );
    let stack = Stack::from_toml(PLATFORM, &text).unwrap();
    let hcl = render(&stack);
    assert!(!hcl.contains("data \"azurerm_container_app_environment\""), "{hcl}");
    assert!(
        hcl.contains(&format!("container_app_environment_id = \"{id}\"")),
        "{hcl}"
    );
}

#[test]
fn the_platform_fixtures_are_fresh() {
    for (dir, format) in [("platform-hcl", "hcl"), ("platform-json", "json")] {
        crate::support::assert_fixture_fresh(PLATFORM, dir, format);
    }
}

#[test]
fn graph_and_check_read_the_data_sources() {
    let dir = "tests/terraform-provider/tests/fixtures/platform-hcl";
    let graph = Command::new(env!("CARGO_BIN_EXE_infra"))
        .args(["graph", dir])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&graph.stdout);
    assert!(graph.status.success(), "{}", String::from_utf8_lossy(&graph.stderr));
    assert!(text.contains("data.azurerm_container_registry.main"), "{text}");
    let check = Command::new(env!("CARGO_BIN_EXE_infra"))
        .args(["check", dir])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&check.stdout);
    assert!(
        out.contains("resources in"),
        "{out}{}",
        String::from_utf8_lossy(&check.stderr)
    );
}
