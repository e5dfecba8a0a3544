//! A real plan from the installed `terraform` (1.11; only the built-in `terraform_data` resource, so it runs
//! offline): apply a configuration, change it, plan, `terraform show -json`, and render it with infra.

use infra::diff;
use infra::plan::Plan;

use crate::support::terraform;

const V1: &str = r#"variable "password" {
  type      = string
  sensitive = true
  default   = "tf-real-secret-XYZ123"
}

resource "terraform_data" "app" {
  input = { name = "web", cpu = 0.5 }
}

resource "terraform_data" "replaced" {
  input            = "v1"
  triggers_replace = ["a"]
}

resource "terraform_data" "old_name" {
  input = "moves"
}

resource "terraform_data" "gone" {
  input = "bye"
}

resource "terraform_data" "secret" {
  input = var.password
}
"#;

#[test]
fn renders_a_real_terraform_plan() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("main.tf"), V1).unwrap();
    terraform(dir, &["init", "-input=false", "-no-color"]);
    terraform(dir, &["apply", "-input=false", "-auto-approve", "-no-color"]);
    let v2 = V1
        .replace("cpu = 0.5", "cpu = 1")
        .replace("triggers_replace = [\"a\"]", "triggers_replace = [\"b\"]")
        .replace("\"old_name\"", "\"new_name\"")
        .replace(
            "resource \"terraform_data\" \"gone\" {\n  input = \"bye\"\n}\n",
            "moved {\n  from = terraform_data.old_name\n  to   = terraform_data.new_name\n}\n",
        )
        .replace(
            "default   = \"tf-real-secret-XYZ123\"",
            "default   = \"tf-real-secret-NEW456\"",
        );
    std::fs::write(dir.join("main.tf"), v2).unwrap();
    terraform(dir, &["plan", "-input=false", "-no-color", "-out", "p"]);
    let json = terraform(dir, &["show", "-json", "p"]);

    let plan = Plan::parse("plan.json", &json).unwrap();
    let set = diff::from_plan(&plan);
    // terraform_data ids are random UUIDs: name them by address so the snapshot is stable.
    let mut text = diff::text::render(&set, false);
    let mut md = diff::markdown::render(&set);
    let mut js = diff::json::render(&set);
    let changes: serde_json::Value = serde_json::from_slice(&json).unwrap();
    for rc in changes["resource_changes"].as_array().unwrap() {
        if let Some(id) = rc["change"]["before"]["id"].as_str() {
            let label = format!("<id of {}>", rc["address"].as_str().unwrap());
            text = text.replace(id, &label);
            md = md.replace(id, &label);
            js = js.replace(id, &label);
        }
    }
    for secret in ["tf-real-secret-XYZ123", "tf-real-secret-NEW456"] {
        assert!(
            String::from_utf8_lossy(&json).contains(secret),
            "the plan JSON holds the secret unredacted"
        );
        for out in [&text, &md, &js] {
            assert!(!out.contains(secret), "{out}");
        }
    }
    snapshot!("diff", "terraform_real_plan_text", text);
    assert_eq!(set.summary().line(), "Plan: 1 to add, 2 to change, 2 to destroy.");
}
