//! APP004: IP restrictions, when present, are allow-lists.

use crate::azurerm::facts::network::allows_every_address;
use crate::check::{str_attr, violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};

pub(super) static RULE: Rule = Rule {
    id: "APP004",
    title: "Container app IP restrictions are allow-lists",
    severity: Severity::Medium,
    category: Category::ContainerApp,
    resources: Resources::Types(&["azurerm_container_app"]),
    enabled_when: EnabledWhen::Always,
    description: "Every `ingress.ip_security_restriction` of `azurerm_container_app` has `action = \"Allow\"`, and \
                  none allows every address (`ip_address_range` `0.0.0.0/0` or `::/0`).",
    why: "A deny-list blocks the addresses it names and lets the rest of the internet in; new attackers are not on \
          it. Container Apps does not allow mixing both kinds either.",
    fix: "List the networks that may call the app with `action = \"Allow\"`; everything else is then denied.",
    checkov: &[],
    psrule: &["Azure.ContainerApp.RestrictIngress"],
    check: Check::Custom(check),
};

fn check(ctx: &Context) -> Vec<Violation> {
    let mut out = Vec::new();
    for app in ctx.resources_of("azurerm_container_app") {
        for ingress in app.body().blocks_of("ingress") {
            for r in ingress.body.blocks_of("ip_security_restriction") {
                let range = str_attr(&r.body, "ip_address_range").filter(|s| allows_every_address(s));
                if let (Some("Allow"), Some(range)) = (str_attr(&r.body, "action"), range) {
                    let name = str_attr(&r.body, "name").unwrap_or("?");
                    out.push(violation(
                        app,
                        r.body.attribute("ip_address_range"),
                        r,
                        format!(
                            "IP restriction `{name}` allows every address (`{range}`): the allow-list admits everyone"
                        ),
                    ));
                }
                if str_attr(&r.body, "action") == Some("Deny") {
                    let name = str_attr(&r.body, "name").unwrap_or("?");
                    out.push(violation(
                        app,
                        r.body.attribute("action"),
                        r,
                        format!("IP restriction `{name}` is a deny rule; use allow-lists"),
                    ));
                }
            }
        }
    }
    out
}
