//! Offline `infra diff` scenarios on a reference-stack-shaped configuration (tests/fixtures/diff/base): each
//! scenario edits the configuration's text, diffs old → new, and pins the text view.

use infra::diff::{self, Action, ChangeSet, Reason};
use infra::terraform::Config;
use std::path::Path;

fn base_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/diff/base"))
}

/// The base configuration, and a copy with `edit` applied to the text of main.tf.
fn scenario(edit: impl Fn(String) -> String) -> ChangeSet {
    let old = Config::read_dir_with(base_dir(), infra::azurerm::builtin_schemas()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    for f in ["main.tf", "variables.tf"] {
        let text = std::fs::read_to_string(base_dir().join(f)).unwrap();
        let text = if f == "main.tf" { edit(text) } else { text };
        std::fs::write(tmp.path().join(f), text).unwrap();
    }
    let new = Config::read_dir_with(tmp.path(), infra::azurerm::builtin_schemas()).unwrap();
    diff::from_configs(&old, &new)
}

fn replace(from: &'static str, to: &'static str) -> impl Fn(String) -> String {
    move |s: String| {
        assert!(s.contains(from), "scenario edit: {from:?} not in main.tf");
        s.replace(from, to)
    }
}

fn actions(set: &ChangeSet) -> Vec<(String, &'static str)> {
    set.changes
        .iter()
        .map(|c| (c.address.clone(), c.action.name()))
        .collect()
}

fn snap(name: &str, set: &ChangeSet) {
    snapshot!("diff", format!("scenario_{name}"), diff::text::render(set, false));
}

#[test]
fn no_change_is_no_changes() {
    let set = scenario(|s| s);
    assert!(set.changes.is_empty());
    assert_eq!(set.unchanged, 11);
    assert_eq!(
        diff::text::render(&set, false),
        "No changes. Your infrastructure matches the configuration.\n"
    );
}

#[test]
fn sku_basic_to_premium_updates_in_place() {
    let set = scenario(replace(
        r#"sku                 = "Basic""#,
        r#"sku                 = "Premium""#,
    ));
    assert_eq!(
        actions(&set),
        [("azurerm_container_registry.main".to_string(), "update")]
    );
    assert_eq!(set.summary().line(), "Plan: 0 to add, 1 to change, 0 to destroy.");
    snap("sku_basic_to_premium", &set);
}

#[test]
fn registry_rename_replaces_and_cascades() {
    let set = scenario(replace(r#""crshopprod""#, r#""crshopprod2""#));
    assert_eq!(
        actions(&set),
        [
            ("azurerm_container_app.app".to_string(), "update"),
            ("azurerm_container_registry.main".to_string(), "replace"),
            ("azurerm_container_registry_task.cleanup".to_string(), "replace"),
            ("azurerm_role_assignment.acr_pull".to_string(), "replace"),
        ]
    );
    let task = &set.changes[2];
    assert_eq!(
        task.reasons,
        [Reason::Cascade {
            attribute: "container_registry_id".into(),
            resource: "azurerm_container_registry.main".into()
        }]
    );
    assert_eq!(
        set.changes[1].reasons,
        [Reason::ForcesReplacement {
            attribute: "name".into()
        }]
    );
    assert_eq!(set.summary().line(), "Plan: 3 to add, 1 to change, 3 to destroy.");
    snap("registry_rename", &set);
}

#[test]
fn location_change_replaces_everything() {
    let set = scenario(replace(r#"location = "westeurope""#, r#"location = "northeurope""#));
    assert_eq!(set.changes.len(), 11);
    assert!(
        set.changes.iter().all(|c| matches!(c.action, Action::Replace { .. })),
        "{:?}",
        actions(&set)
    );
    assert_eq!(set.summary().line(), "Plan: 11 to add, 0 to change, 11 to destroy.");
    snap("location_change", &set);
}

#[test]
fn adding_a_geo_replica_updates_the_registry() {
    let set = scenario(replace(
        "  admin_enabled       = false\n",
        "  admin_enabled       = false\n  georeplications {\n    location                = \"northeurope\"\n    zone_redundancy_enabled = true\n  }\n",
    ));
    assert_eq!(
        actions(&set),
        [("azurerm_container_registry.main".to_string(), "update")]
    );
    snap("add_geo_replica", &set);
}

#[test]
fn geo_replicas_are_matched_by_location_not_position() {
    let two = "  georeplications {\n    location = \"northeurope\"\n  }\n  georeplications {\n    location = \"swedencentral\"\n  }\n";
    let old_edit = move |s: String| {
        s.replace(
            "  admin_enabled       = false\n",
            &format!("  admin_enabled       = false\n{two}"),
        )
    };
    // Remove the first replica: only it is deleted; the other is not shown as changed.
    let old = {
        let tmp = tempfile::tempdir().unwrap();
        let text = old_edit(std::fs::read_to_string(base_dir().join("main.tf")).unwrap());
        std::fs::write(tmp.path().join("main.tf"), &text).unwrap();
        Config::read_dir_with(tmp.path(), infra::azurerm::builtin_schemas()).unwrap()
    };
    let new = {
        let tmp = tempfile::tempdir().unwrap();
        let text = old_edit(std::fs::read_to_string(base_dir().join("main.tf")).unwrap())
            .replace("  georeplications {\n    location = \"northeurope\"\n  }\n", "");
        std::fs::write(tmp.path().join("main.tf"), &text).unwrap();
        Config::read_dir_with(tmp.path(), infra::azurerm::builtin_schemas()).unwrap()
    };
    let set = diff::from_configs(&old, &new);
    let text = diff::text::render(&set, false);
    assert!(
        text.contains("      - georeplications {\n          - location = \"northeurope\" -> null\n        }\n"),
        "{text}"
    );
    assert!(!text.contains("swedencentral"), "{text}");
    assert!(text.contains("# (1 unchanged block hidden)"), "{text}");
}

#[test]
fn new_cpu_and_memory_update_in_place() {
    let set = scenario(|s| replace("cpu    = 0.5", "cpu    = 1")(s).replace(r#"memory = "1Gi""#, r#"memory = "2Gi""#));
    assert_eq!(actions(&set), [("azurerm_container_app.app".to_string(), "update")]);
    let text = diff::text::render(&set, false);
    assert!(text.contains("~ cpu    = 0.5 -> 1\n"), "{text}");
    snap("cpu_memory", &set);
}

#[test]
fn identity_rename_replaces_identity_and_role_assignment_and_updates_app() {
    let set = scenario(replace(r#""id-shop-prod""#, r#""id-shop-prod-web""#));
    assert_eq!(
        actions(&set),
        [
            ("azurerm_container_app.app".to_string(), "update"),
            ("azurerm_role_assignment.acr_pull".to_string(), "replace"),
            ("azurerm_user_assigned_identity.app".to_string(), "replace"),
        ]
    );
    assert_eq!(
        set.changes[1].reasons,
        [Reason::Cascade {
            attribute: "principal_id".into(),
            resource: "azurerm_user_assigned_identity.app".into()
        }]
    );
    snap("identity_rename", &set);
}

#[test]
fn removing_a_resource_destroys_it() {
    let set = scenario(|s| {
        let start = s.find("resource \"azurerm_container_registry_task\"").unwrap();
        let end = start + s[start..].find("\n}\n").unwrap() + 3;
        format!("{}{}", &s[..start], &s[end..])
    });
    assert_eq!(
        actions(&set),
        [("azurerm_container_registry_task.cleanup".to_string(), "delete")]
    );
    assert_eq!(set.changes[0].reasons, [Reason::NotInConfiguration]);
    snap("resource_removed", &set);
}

#[test]
fn a_moved_block_moves_without_replacing() {
    let set = scenario(|s| {
        replace(
            "resource \"azurerm_log_analytics_workspace\" \"main\"",
            "resource \"azurerm_log_analytics_workspace\" \"logs\"",
        )(s)
        .replace("azurerm_log_analytics_workspace.main.id", "azurerm_log_analytics_workspace.logs.id")
            + "\nmoved {\n  from = azurerm_log_analytics_workspace.main\n  to   = azurerm_log_analytics_workspace.logs\n}\n"
    });
    // The environment's reference follows the move: it names the same object, so it is not a change.
    assert_eq!(
        actions(&set),
        [("azurerm_log_analytics_workspace.logs".to_string(), "move")]
    );
    assert_eq!(
        set.changes[0].previous_address.as_deref(),
        Some("azurerm_log_analytics_workspace.main")
    );
    assert!(set.has_changes());
    assert_eq!(set.summary().line(), "Plan: 0 to add, 0 to change, 0 to destroy.");
    snap("moved_block", &set);
}

#[test]
fn import_and_removed_blocks_are_understood() {
    let set = scenario(|s| {
        let start = s.find("resource \"azurerm_container_registry_task\"").unwrap();
        let end = start + s[start..].find("\n}\n").unwrap() + 3;
        format!("{}{}", &s[..start], &s[end..])
            + "\nremoved {\n  from = azurerm_container_registry_task.cleanup\n  lifecycle {\n    destroy = false\n  }\n}\n"
            + "\nimport {\n  to = azurerm_storage_share.extra\n  id = \"https://stshopproddata.file.core.windows.net/extra\"\n}\n"
            + "\nresource \"azurerm_storage_share\" \"extra\" {\n  name               = \"extra\"\n  storage_account_id = azurerm_storage_account.data.id\n  quota              = 10\n}\n"
    });
    assert_eq!(
        actions(&set),
        [
            ("azurerm_container_registry_task.cleanup".to_string(), "forget"),
            ("azurerm_storage_share.extra".to_string(), "import"),
        ]
    );
    assert_eq!(
        set.summary().line(),
        "Plan: 1 to import, 0 to add, 0 to change, 0 to destroy."
    );
    snap("import_and_removed", &set);
}

#[test]
fn create_before_destroy_gives_plus_minus() {
    let set = scenario(|s| {
        replace(
            "  principal_id         = azurerm_user_assigned_identity.app.principal_id\n",
            "  principal_id         = \"00000000-0000-0000-0000-000000000001\"\n  lifecycle {\n    create_before_destroy = true\n  }\n",
        )(s)
    });
    let ra = set
        .changes
        .iter()
        .find(|c| c.address == "azurerm_role_assignment.acr_pull")
        .unwrap();
    assert_eq!(
        ra.action,
        Action::Replace {
            create_before_destroy: true
        }
    );
    assert!(diff::text::render(&set, false).contains("+/- resource \"azurerm_role_assignment\" \"acr_pull\" {"));
}

#[test]
fn count_and_for_each_and_modules_are_shown_for_what_they_are() {
    let set = scenario(|s| {
        s + "\nresource \"azurerm_storage_share\" \"extra\" {\n  for_each           = toset([\"a\", \"b\"])\n  name               = each.key\n  storage_account_id = azurerm_storage_account.data.id\n  quota              = 10\n}\n"
            + "\nmodule \"dns\" {\n  source = \"./modules/dns\"\n  zone   = \"shop.example.com\"\n}\n"
    });
    let text = diff::text::render(&set, false);
    assert!(text.contains("  # (for_each = toset([\"a\", \"b\"]): instances are not expanded offline; this applies to each instance)\n"), "{text}");
    assert!(text.contains("  + module \"dns\" {\n"), "{text}");
    assert!(text.contains("      + name                = each.key\n"), "{text}");
    snap("count_for_each_module", &set);
}
