//! The views over a change model built from outside (as `infra drift` does): Markdown stays under GitHub's
//! comment limit and says what it cut; JSON keeps its documented shape.

use infra::diff::{self, Action, ChangeSet, Reason, ResourceChange, Source};
use serde_json::{json, Value as Json};

fn many(n: usize) -> ChangeSet {
    let mut set = ChangeSet::new(Source::Plan);
    for i in 0..n {
        let action = if i % 2 == 0 {
            Action::Delete
        } else {
            Action::Replace {
                create_before_destroy: false,
            }
        };
        let values = |v: &str| Json::Object((0..10).map(|a| (format!("attribute_{a}"), json!(v))).collect());
        let after = match action {
            Action::Delete => Json::Null,
            _ => values("after-value-with-some-length"),
        };
        let mut c = ResourceChange::from_values(
            &format!("azurerm_container_app.app{i:05}"),
            action,
            &values("before-value-with-some-length"),
            &after,
            infra::azurerm::builtin_schemas(),
        );
        c.reasons.push(Reason::ForcesReplacement {
            attribute: "name".into(),
        });
        set.changes.push(c);
    }
    set
}

#[test]
fn markdown_stays_under_githubs_limit_and_says_what_was_cut() {
    let set = many(3000);
    let md = diff::markdown::render(&set);
    for view in [diff::text::render(&set, false), diff::json::render(&set), md.clone()] {
        assert!(!view.contains("old-secret") && !view.contains("new-secret"), "{view}");
    }
    assert!(
        md.chars().count() <= diff::markdown::GITHUB_COMMENT_LIMIT,
        "{}",
        md.len()
    );
    assert!(md.starts_with("### infra diff\n\n**Plan: 1500 to add, 0 to change, 3000 to destroy.**\n"));
    assert!(md.contains("> [!CAUTION]\n> **3000 destructive changes:**"));
    assert!(md.contains("> - … and 2950 more (see the table below)\n"));
    assert!(md.contains("> [!NOTE]\n> Cut to stay under GitHub's 65536-character comment limit: 3000 of 3000 resource detail sections"), "{}", &md[md.len() - 600..]);

    // A small plan is not cut.
    let md = diff::markdown::render(&many(3));
    assert!(!md.contains("[!NOTE]"));
    assert_eq!(md.matches("<details>").count(), 3);

    // A tight limit keeps the summary and cuts details, with the note.
    let md = diff::markdown::render_limited(&many(3), 2500);
    assert!(md.len() <= 2500, "{}", md.len());
    assert!(md.contains("resource detail sections left out"), "{md}");
}

#[test]
fn a_change_set_built_from_outside_renders_in_every_view() {
    let mut set = ChangeSet::new(Source::Drift);
    // Twelve attributes that do not change, a changed one, a secret (masked: the schema marks it sensitive) and
    // a new replica.
    let mut before = json!({
        "name": "acr", "sku": "Premium", "admin_password": "old-secret", "georeplications": [],
    });
    for i in 0..12 {
        before[format!("unchanged_{i:02}")] = json!(i);
    }
    let mut after = before.clone();
    after["sku"] = json!("Basic");
    after["admin_password"] = json!("new-secret");
    after["georeplications"] = json!([{"location": "northeurope"}]);
    let c = ResourceChange::from_values(
        "azurerm_container_registry.main",
        Action::Update,
        &before,
        &after,
        infra::azurerm::builtin_schemas(),
    );
    set.changes.push(c);
    set.unchanged = 10;

    assert_eq!(
        diff::text::render(&set, false),
        r#"Resource actions are indicated with the following symbols:
  ~ update in-place

Terraform would perform the following actions to undo the drift:

  # azurerm_container_registry.main will be updated in-place
  ~ resource "azurerm_container_registry" "main" {
      ~ admin_password = (sensitive value)
        name           = "acr"
      ~ sku            = "Premium" -> "Basic"
        # (12 unchanged attributes hidden)

      + georeplications {
          + location = "northeurope"
        }
    }

Plan: 0 to add, 1 to change, 0 to destroy.
"#
    );
    let v: serde_json::Value = serde_json::from_str(&diff::json::render(&set)).unwrap();
    assert_eq!(v["source"], "drift");
    assert_eq!(v["summary"]["unchanged"], 10);
    let attrs = &v["resource_changes"][0]["attributes"];
    let attribute = |name: &str| {
        let found = attrs.as_array().unwrap().iter().find(|a| a["name"] == name);
        found.unwrap_or_else(|| panic!("no {name} in {attrs:#}")).clone()
    };
    assert_eq!(attribute("sku")["before"], json!({"value": "Premium"}));
    assert_eq!(attribute("admin_password")["after"], json!({"sensitive": true}));
    let replica = attribute("georeplications");
    assert_eq!(replica["type"], "block");
    assert_eq!(replica["key"], "location = \"northeurope\"");
    assert_eq!(replica["attributes"][0]["change"], "create");
    let md = diff::markdown::render(&set);
    for view in [diff::text::render(&set, false), diff::json::render(&set), md.clone()] {
        assert!(!view.contains("old-secret") && !view.contains("new-secret"), "{view}");
    }
    assert!(
        md.contains("| <code>azurerm_container_registry.main</code> | 🔄 update in-place |  |\n"),
        "{md}"
    );
}
