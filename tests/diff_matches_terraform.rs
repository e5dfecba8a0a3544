//! `infra diff --plan` renders our own stacks' real plans as Terraform does: the resource section of infra's
//! text view (from the first `  # ` line to the `Plan:` line, no colour) is identical to the same section of
//! terraform's own `terraform show PLANFILE` text, committed next to the plan JSON in
//! `tests/fixtures/terraform-json/own/` (`<stack>.plan.json`, `<stack>.plan.txt`). Nothing is normalised:
//! addresses, symbols, alignment, nested block layout, multi-line maps and lists, heredocs, `(known after
//! apply)`/`(sensitive value)` and the `Plan:` line all match. Headers before the first resource may differ.

use infra::diff;
use infra::plan::Plan;
use std::path::{Path, PathBuf};

fn own(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/terraform-json/own")
        .join(file)
}

/// From the first line starting `  # ` to the `Plan:` line, both included.
fn resource_section(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with("  # "))
        .unwrap_or_else(|| panic!("no `  # ` line in:\n{text}"));
    let end = lines
        .iter()
        .position(|l| l.starts_with("Plan: "))
        .unwrap_or_else(|| panic!("no `Plan:` line in:\n{text}"));
    assert!(start < end, "`Plan:` before the first resource in:\n{text}");
    lines[start..=end].join("\n") + "\n"
}

fn check(stack: &str) {
    let json = own(&format!("{stack}.plan.json"));
    let plan =
        Plan::parse(&format!("{stack}.plan.json"), &std::fs::read(&json).unwrap()).unwrap_or_else(|e| panic!("{e}"));
    let ours = resource_section(&diff::text::render(&diff::from_plan(&plan), false));
    let theirs = resource_section(&std::fs::read_to_string(own(&format!("{stack}.plan.txt"))).unwrap());
    if ours != theirs {
        // A line diff is easier to read than two 300-line strings.
        let (o, t): (Vec<&str>, Vec<&str>) = (ours.lines().collect(), theirs.lines().collect());
        let first = o
            .iter()
            .zip(&t)
            .position(|(a, b)| a != b)
            .unwrap_or(o.len().min(t.len()));
        let context = |v: &[&str]| v[first.saturating_sub(3)..(first + 5).min(v.len())].join("\n");
        panic!(
            "{stack}: infra's resource section differs from terraform's at line {}\n--- terraform:\n{}\n--- infra:\n{}",
            first + 1,
            context(&t),
            context(&o)
        );
    }
}

#[test]
fn dev_plan_renders_as_terraform_renders_it() {
    check("dev");
}

#[test]
fn prod_plan_renders_as_terraform_renders_it() {
    check("prod");
}

/// The section is not trivially equal: it holds the features this test is about.
#[test]
fn the_compared_sections_cover_terraforms_layout() {
    let theirs = resource_section(&std::fs::read_to_string(own("prod.plan.txt")).unwrap());
    for needle in [
        "  # azurerm_container_app.app will be created",
        "      + custom_domain_verification_id = (sensitive value)",
        "      + identity {",
        "          + identity_ids = [\n              + (known after apply),\n            ]",
        "      + tags                          = {\n          + \"application\" = \"fastapi-app\"",
        "      + network_rule_set              = (known after apply)",
        "      + address_space       = [\n          + \"10.20.0.0/16\",\n        ]",
        "          + private_dns_zone_ids = [\n              + (known after apply),\n            ]",
        "      + custom_headers      = {\n          + \"Authorization\" = (sensitive value)\n        }",
        "      + triggers        = {\n          + \"acr_pull_role_assignment_id\" = (known after apply)\n        }",
        "Plan: 23 to add, 0 to change, 0 to destroy.",
    ] {
        assert!(theirs.contains(needle), "terraform's prod plan text lacks {needle:?}");
    }
    assert!(!theirs.contains("dapr"), "terraform shows no empty block list");
}
