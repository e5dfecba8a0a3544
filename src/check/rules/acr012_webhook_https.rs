//! ACR012: registry webhooks call https URIs.

use crate::check::{violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};
use crate::terraform::expr;

pub(super) static RULE: Rule = Rule {
    id: "ACR012",
    title: "Registry webhooks use https",
    severity: Severity::High,
    category: Category::Registry,
    resources: Resources::Types(&["azurerm_container_registry_webhook"]),
    enabled_when: EnabledWhen::Always,
    description: "`service_uri` of `azurerm_container_registry_webhook` starts with `https://`.",
    why: "Webhook calls carry image names, tags and custom headers (often a token); over http they can be read and \
          forged in transit.",
    fix: "Use an `https://` endpoint.",
    checkov: &["CKV2_AZURE_30"],
    psrule: &[],
    check: Check::Custom(check),
};

fn check(ctx: &Context) -> Vec<Violation> {
    ctx.resources_of("azurerm_container_registry_webhook")
        .filter_map(|r| {
            let a = r.body().attribute("service_uri")?;
            let uri = expr::as_str(&a.value)?;
            (!uri.to_ascii_lowercase().starts_with("https://")).then(|| {
                violation(
                    r,
                    Some(a),
                    r.block,
                    format!("the webhook calls `{uri}`, not an https URI"),
                )
            })
        })
        .collect()
}
