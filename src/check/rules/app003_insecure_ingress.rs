//! APP003: ingress does not allow insecure (http) connections.

use crate::check::{bool_attr, violation, Category, Context, Rule, Severity, Violation};

pub static RULE: Rule = Rule {
    id: "APP003",
    title: "Container app ingress is https only",
    severity: Severity::High,
    category: Category::ContainerApp,
    description: "`ingress.allow_insecure_connections` of `azurerm_container_app` is not `true`.",
    why: "Insecure connections serve the app over plain http: traffic and cookies can be read and changed in transit.",
    fix: "Remove `allow_insecure_connections` (it defaults to `false`); http requests are then redirected to https.",
    checkov: &[],
    psrule: &["Azure.ContainerApp.Insecure"],
    check,
};

fn check(ctx: &Context) -> Vec<Violation> {
    let mut out = Vec::new();
    for app in ctx.resources_of("azurerm_container_app") {
        for ingress in app.body().blocks_of("ingress") {
            if bool_attr(&ingress.body, "allow_insecure_connections") == Some(true) {
                out.push(violation(
                    app,
                    ingress.body.attribute("allow_insecure_connections"),
                    ingress,
                    "ingress allows insecure http connections",
                ));
            }
        }
    }
    out
}
