//! APP005: production apps run at least 2 replicas.

use crate::check::{num_attr, violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};

pub(super) static RULE: Rule = Rule {
    id: "APP005",
    title: "Production container app keeps a minimum number of replicas",
    severity: Severity::Medium,
    category: Category::ContainerApp,
    resources: Resources::Types(&["azurerm_container_app"]),
    enabled_when: EnabledWhen::Production,
    description: "In production stacks, `template.min_replicas` of `azurerm_container_app` is at least \
                  `min_replicas` from infra.toml (default 2). Production: the stack name, or the directory name for \
                  `infra check DIR`, is in `production_stacks` (default `prod`, `production`), or `--production`.",
    why: "With fewer than 2 replicas, every restart, revision rollout or platform update is an outage, and an app \
          scaled to zero answers its first request after a cold start.",
    fix: "Set `min_replicas = 2` (or more) in the `template` block.",
    checkov: &[],
    psrule: &["Azure.ContainerApp.MinReplicas"],
    check: Check::Custom(check),
};

fn check(ctx: &Context) -> Vec<Violation> {
    if !ctx.production {
        return Vec::new();
    }
    let min = f64::from(ctx.settings.min_replicas);
    let mut out = Vec::new();
    for app in ctx.resources_of("azurerm_container_app") {
        for t in app.body().blocks_of("template") {
            let attr = t.body.attribute("min_replicas");
            let value = match attr {
                None => Some(0.0),
                Some(_) => num_attr(&t.body, "min_replicas"),
            };
            if let Some(v) = value.filter(|v| *v < min) {
                out.push(violation(
                    app,
                    attr,
                    t,
                    format!("min_replicas is {v} in a production stack; at least {min} are required"),
                ));
            }
        }
    }
    out
}
