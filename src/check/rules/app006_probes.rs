//! APP006: containers have liveness and readiness probes.

use crate::check::{violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};
use crate::terraform::expr;

pub(super) static RULE: Rule = Rule {
    id: "APP006",
    title: "Containers have liveness and readiness probes",
    severity: Severity::Medium,
    category: Category::ContainerApp,
    resources: Resources::Types(&["azurerm_container_app"]),
    enabled_when: EnabledWhen::Always,
    description:
        "Every `template.container` of `azurerm_container_app` has a `liveness_probe` and a `readiness_probe`.",
    why: "Without a readiness probe traffic reaches replicas before they can serve it; without a liveness probe a \
          hung process is never restarted. The platform's default TCP probes only check that a port is open.",
    fix: "Add `liveness_probe { transport = \"HTTP\" port = 8080 path = \"/healthz\" }` and a `readiness_probe` to \
          each container.",
    checkov: &[],
    psrule: &[],
    check: Check::Custom(check),
};

fn check(ctx: &Context) -> Vec<Violation> {
    let mut out = Vec::new();
    for app in ctx.resources_of("azurerm_container_app") {
        for c in super::app_containers(app) {
            let name = c.body.get("name").and_then(expr::as_str).unwrap_or("?");
            let missing: Vec<&str> = ["liveness_probe", "readiness_probe"]
                .into_iter()
                .filter(|p| c.body.block(p).is_none())
                .collect();
            if !missing.is_empty() {
                out.push(violation(
                    app,
                    None,
                    c,
                    format!("container `{name}` has no {}", missing.join(" and ")),
                ));
            }
        }
    }
    out
}
