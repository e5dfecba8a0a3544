//! ENV001: the environment sends logs to a Log Analytics workspace.

use crate::check::{violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};

pub(super) static RULE: Rule = Rule {
    id: "ENV001",
    title: "Container app environment sends logs to Log Analytics",
    severity: Severity::Medium,
    category: Category::Environment,
    resources: Resources::Types(&["azurerm_container_app_environment"]),
    enabled_when: EnabledWhen::Always,
    description: "`azurerm_container_app_environment` sets `log_analytics_workspace_id`.",
    why: "Without a workspace, container console and system logs are not kept: incidents cannot be investigated.",
    fix: "Set `log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id`.",
    checkov: &[],
    psrule: &[],
    check: Check::Custom(check),
};

fn check(ctx: &Context) -> Vec<Violation> {
    ctx.resources_of("azurerm_container_app_environment")
        .filter(|r| r.get("log_analytics_workspace_id").is_none())
        .map(|r| {
            violation(
                r,
                None,
                r.block,
                "the environment does not send logs to a Log Analytics workspace",
            )
        })
        .collect()
}
