//! The views over a change model built from outside (as `infra drift` does): Markdown stays under GitHub's
//! comment limit and says what it cut; JSON keeps its documented shape.

use infra::diff::{self, Action, AttributeChange, Change, ChangeSet, Node, Reason, ResourceChange, Source, Value};

fn many(n: usize) -> ChangeSet {
    let mut set = ChangeSet::new(Source::Plan);
    for i in 0..n {
        let mut c = ResourceChange::new(
            &format!("azurerm_container_app.app{i:05}"),
            if i % 2 == 0 {
                Action::Delete
            } else {
                Action::Replace {
                    create_before_destroy: false,
                }
            },
        );
        c.reasons.push(Reason::ForcesReplacement {
            attribute: "name".into(),
        });
        for a in 0..10 {
            c.attributes.push(AttributeChange::value(
                &format!("attribute_{a}"),
                Some(Value::string("before-value-with-some-length")),
                Some(Value::string("after-value-with-some-length")),
            ));
        }
        set.changes.push(c);
    }
    set
}

#[test]
fn markdown_stays_under_githubs_limit_and_says_what_was_cut() {
    let set = many(3000);
    let md = diff::markdown::render(&set);
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
    let mut c = ResourceChange::new("azurerm_container_registry.main", Action::Update);
    c.attributes.push(AttributeChange::value(
        "sku",
        Some(Value::string("Premium")),
        Some(Value::string("Basic")),
    ));
    c.attributes.push(AttributeChange::value(
        "admin_password",
        Some(Value::Sensitive),
        Some(Value::Sensitive),
    ));
    c.attributes[1].change = Change::Update;
    c.attributes.push(AttributeChange {
        name: "georeplications".into(),
        change: Change::Create,
        forces_replacement: false,
        node: Node::Block {
            key: Some("location = \"northeurope\"".into()),
            attributes: vec![AttributeChange::value(
                "location",
                None,
                Some(Value::string("northeurope")),
            )],
            unchanged_attributes: 0,
            unchanged_blocks: 0,
        },
    });
    c.unchanged_attributes = 12;
    set.changes.push(c);
    set.unchanged = 10;

    assert_eq!(
        diff::text::render(&set, false),
        r#"Resource actions are indicated with the following symbols:
  ~ update in-place

Terraform would perform the following actions to undo the drift:

  # azurerm_container_registry.main will be updated in-place
  ~ resource "azurerm_container_registry" "main" {
      ~ sku            = "Premium" -> "Basic"
      ~ admin_password = (sensitive value) -> (sensitive value)
      + georeplications {
          + location = "northeurope"
        }
        # (12 unchanged attributes hidden)
    }

Plan: 0 to add, 1 to change, 0 to destroy.
"#
    );
    let v: serde_json::Value = serde_json::from_str(&diff::json::render(&set)).unwrap();
    assert_eq!(v["source"], "drift");
    assert_eq!(v["summary"]["unchanged"], 10);
    let attrs = &v["resource_changes"][0]["attributes"];
    assert_eq!(attrs[0]["before"], serde_json::json!({"value": "Premium"}));
    assert_eq!(attrs[1]["after"], serde_json::json!({"sensitive": true}));
    assert_eq!(attrs[2]["type"], "block");
    assert_eq!(attrs[2]["key"], "location = \"northeurope\"");
    assert_eq!(attrs[2]["attributes"][0]["change"], "create");
    let md = diff::markdown::render(&set);
    assert!(
        md.contains("| <code>azurerm_container_registry.main</code> | 🔄 update in-place |  |\n"),
        "{md}"
    );
}
