//! Offline `infra diff` scenarios on the reference stacks (stacks/dev.toml, stacks/prod.toml): edit the
//! stack file's text, render both versions in memory, diff, and pin the text view.

use infra::diff::{self, Action, ChangeSet, Reason};
use infra::stack::Stack;
use infra::terraform::{Config, Format};
use std::path::Path;

fn stack_text(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("stacks/{name}.toml"))).unwrap()
}

fn render(name: &str, text: &str) -> Config {
    let stack = Stack::from_toml(&format!("stacks/{name}.toml"), text).unwrap_or_else(|e| panic!("{e}"));
    infra::render::render(&stack, Format::Hcl)
}

/// The stack as committed, and with `edit` applied to its text.
fn scenario(name: &str, edit: &[(&str, &str)]) -> ChangeSet {
    let text = stack_text(name);
    let mut edited = text.clone();
    for (from, to) in edit {
        assert!(edited.contains(from), "{from:?} not in stacks/{name}.toml");
        edited = edited.replace(from, to);
    }
    diff::from_configs(&render(name, &text), &render(name, &edited))
}

fn actions(set: &ChangeSet) -> Vec<(&str, &'static str)> {
    set.changes
        .iter()
        .map(|c| (c.address.as_str(), c.action.name()))
        .collect()
}

fn snap(name: &str, set: &ChangeSet) {
    snapshot!("diff", format!("stack_{name}"), diff::text::render(set, false));
}

#[test]
fn committed_terraform_matches_a_fresh_render() {
    for name in ["dev", "prod"] {
        let committed = Config::read_dir_with(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("terraform").join(name),
            infra::azurerm::builtin_schemas(),
        )
        .unwrap();
        let set = diff::from_configs(&committed, &render(name, &stack_text(name)));
        assert!(!set.has_changes(), "{name}:\n{}", diff::text::render(&set, false));
        assert_eq!(set.unchanged, if name == "prod" { 24 } else { 11 });
    }
}

#[test]
fn sku_basic_to_premium_is_an_update_in_place() {
    let set = scenario("dev", &[(r#"sku = "Basic""#, r#"sku = "Premium""#)]);
    assert_eq!(actions(&set), [("azurerm_container_registry.main", "update")]);
    assert_eq!(set.summary().line(), "Plan: 0 to add, 1 to change, 0 to destroy.");
    snap("dev_sku_premium", &set);
}

#[test]
fn registry_rename_replaces_and_cascades_to_webhook_role_assignment_and_its_wait() {
    let set = scenario("prod", &[(r#"name = "acrfastapiprod""#, r#"name = "acrfastapiprod2""#)]);
    assert_eq!(
        actions(&set),
        [
            ("azurerm_container_app.app", "update"),
            ("azurerm_container_registry.main", "replace"),
            ("azurerm_container_registry_webhook.cdpush", "replace"),
            // private_connection_resource_id forces a new endpoint
            ("azurerm_private_endpoint.registry", "replace"),
            ("azurerm_role_assignment.acr_pull", "replace"),
            // A new grant waits for propagation again: its id is one of the sleep's triggers.
            ("time_sleep.acr_pull_propagation", "replace"),
        ]
    );
    assert!(set.changes[2].reasons.contains(&Reason::Cascade {
        attribute: "registry_name".into(),
        resource: "azurerm_container_registry.main".into()
    }));
    assert!(set.changes[4].reasons.contains(&Reason::Cascade {
        attribute: "scope".into(),
        resource: "azurerm_container_registry.main".into()
    }));
    snap("prod_registry_rename", &set);
    snapshot!(
        "diff",
        "stack_prod_registry_rename_markdown",
        diff::markdown::render(&set)
    );
}

#[test]
fn location_change_replaces_everything() {
    let set = scenario("dev", &[(r#"location = "westeurope""#, r#"location = "northeurope""#)]);
    assert_eq!(set.changes.len(), 11);
    assert!(
        set.changes.iter().all(|c| matches!(c.action, Action::Replace { .. })),
        "{:?}",
        actions(&set)
    );
    assert_eq!(set.summary().line(), "Plan: 11 to add, 0 to change, 11 to destroy.");
    snap("dev_location", &set);
}

#[test]
fn adding_a_geo_replica_updates_the_registry() {
    let set = scenario(
        "prod",
        &[(
            "# Tells CI/CD about",
            "[[container_registry.geo_replications]]\nlocation = \"swedencentral\"\n\n# Tells CI/CD about",
        )],
    );
    assert_eq!(actions(&set), [("azurerm_container_registry.main", "update")]);
    let text = diff::text::render(&set, false);
    assert!(text.contains("      + georeplications {\n"), "{text}");
    // The existing replica (northeurope) is matched by location, not shown as changed.
    assert!(!text.contains("northeurope"), "{text}");
    snap("prod_geo_replica", &set);
}

#[test]
fn new_cpu_and_memory_update_the_app_in_place() {
    let set = scenario(
        "dev",
        &[("cpu = 0.5", "cpu = 1.0"), (r#"memory = "1Gi""#, r#"memory = "2Gi""#)],
    );
    assert_eq!(actions(&set), [("azurerm_container_app.app", "update")]);
    snap("dev_cpu_memory", &set);
}

#[test]
fn identity_rename_replaces_identity_and_role_assignment_and_updates_the_app() {
    let set = scenario("dev", &[(r#"name = "id-fastapi-dev""#, r#"name = "id-fastapi-dev-2""#)]);
    assert_eq!(
        actions(&set),
        [
            ("azurerm_container_app.app", "update"),
            ("azurerm_role_assignment.acr_pull", "replace"),
            ("azurerm_user_assigned_identity.app", "replace"),
            ("time_sleep.acr_pull_propagation", "replace"),
        ]
    );
    snap("dev_identity_rename", &set);
}

#[test]
fn removing_the_cleanup_task_destroys_it() {
    // dev's registry is not network-restricted, so it may have a purge task (prod's may not: issue 10, defect 7).
    let edited = stack_text("dev");
    let text = format!(
        "{edited}\n# Weekly: keep the newest 10 tags per repository, delete untagged manifests.\n[container_registry.cleanup]\nname = \"purge-untagged\"\nschedule = \"0 1 * * Sun\"\nkeep = 10\nuntagged = true\n"
    );
    let set = diff::from_configs(&render("dev", &text), &render("dev", &edited));
    assert_eq!(actions(&set), [("azurerm_container_registry_task.cleanup", "delete")]);
    assert_eq!(set.summary().line(), "Plan: 0 to add, 0 to change, 1 to destroy.");
    snap("dev_cleanup_removed", &set);
}

#[test]
fn a_moved_block_on_the_rendered_configuration_is_a_move() {
    // Stacks do not rename resources; a hand edit of the rendered files does: rename the workspace and
    // record the move, as a platform engineer would.
    let old = render("dev", &stack_text("dev"));
    let tmp = tempfile::tempdir().unwrap();
    for f in &old.files {
        let text = f
            .to_text()
            .replace(
                "\"azurerm_log_analytics_workspace\" \"main\"",
                "\"azurerm_log_analytics_workspace\" \"logs\"",
            )
            .replace(
                "azurerm_log_analytics_workspace.main.",
                "azurerm_log_analytics_workspace.logs.",
            );
        std::fs::write(tmp.path().join(&f.name), text).unwrap();
    }
    std::fs::write(
        tmp.path().join("moved.tf"),
        "moved {\n  from = azurerm_log_analytics_workspace.main\n  to   = azurerm_log_analytics_workspace.logs\n}\n",
    )
    .unwrap();
    let set = diff::from_configs(
        &old,
        &Config::read_dir_with(tmp.path(), infra::azurerm::builtin_schemas()).unwrap(),
    );
    assert_eq!(actions(&set), [("azurerm_log_analytics_workspace.logs", "move")]);
    assert_eq!(
        set.changes[0].previous_address.as_deref(),
        Some("azurerm_log_analytics_workspace.main")
    );
    snap("dev_moved", &set);
}

#[test]
fn a_conditionally_force_new_change_is_an_update_with_a_warning() {
    let set = scenario("prod", &[(r#"replication = "ZRS""#, r#"replication = "GZRS""#)]);
    assert_eq!(actions(&set), [("azurerm_storage_account.data", "update")]);
    assert_eq!(
        set.changes[0].reasons,
        [Reason::MayForceReplacement {
            attribute: "account_replication_type".into()
        }]
    );
    let text = diff::text::render(&set, false);
    assert!(
        text.contains(
            "  # (changing account_replication_type forces replacement for some values: confirm with terraform plan)\n"
        ),
        "{text}"
    );
}

#[test]
fn the_same_stack_in_hcl_and_json_syntax_has_no_changes() {
    for name in ["dev", "prod"] {
        let text = stack_text(name);
        let stack = Stack::from_toml(&format!("stacks/{name}.toml"), &text).unwrap();
        let json = infra::render::render(&stack, Format::Json);
        let tmp = tempfile::tempdir().unwrap();
        for f in &json.files {
            std::fs::write(tmp.path().join(&f.name), f.to_text()).unwrap();
        }
        let read = Config::read_dir_with(tmp.path(), infra::azurerm::builtin_schemas()).unwrap();
        let set = diff::from_configs(&render(name, &text), &read);
        assert!(!set.has_changes(), "{name}:\n{}", diff::text::render(&set, false));
    }
}

/// Moving dev's environment into a virtual network: `infrastructure_subnet_id` forces a new environment, and the
/// replacement cascades to everything that names the environment's id (the app, the environment storage).
#[test]
fn moving_the_environment_into_a_network_replaces_it_and_the_app() {
    let text = stack_text("dev");
    let edited = format!(
        "{text}\n[network]\nname = \"vnet-fastapi-dev\"\naddress_space = \"10.30.0.0/16\"\n\n\
         [network.environment_subnet]\nname = \"snet-cae\"\naddress_prefix = \"10.30.0.0/27\"\n"
    );
    let set = diff::from_configs(&render("dev", &text), &render("dev", &edited));
    assert_eq!(
        actions(&set),
        [
            ("azurerm_container_app.app", "replace"),
            ("azurerm_container_app_environment.main", "replace"),
            ("azurerm_container_app_environment_storage.data", "replace"),
            ("azurerm_subnet.environment", "create"),
            ("azurerm_virtual_network.main", "create"),
        ]
    );
    let env = &set.changes[1];
    assert!(env.reasons.contains(&Reason::ForcesReplacement {
        attribute: "infrastructure_subnet_id".into()
    }));
    assert!(set.changes[0].reasons.contains(&Reason::Cascade {
        attribute: "container_app_environment_id".into(),
        resource: "azurerm_container_app_environment.main".into()
    }));
    let text_view = diff::text::render(&set, false);
    assert!(
        text_view.contains("-/+ resource \"azurerm_container_app_environment\" \"main\""),
        "{text_view}"
    );
    assert!(text_view.contains("# forces replacement"), "{text_view}");
    snap("dev_into_network", &set);
}
