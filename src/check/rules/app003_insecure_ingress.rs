//! APP003: ingress does not allow insecure (http) connections.

use crate::check::{Category, Check, EnabledWhen, Forbidden, Literal, Resources, Rule, Severity};

pub(super) static RULE: Rule = Rule {
    id: "APP003",
    title: "Container app ingress is https only",
    severity: Severity::High,
    category: Category::ContainerApp,
    resources: Resources::Types(&["azurerm_container_app"]),
    enabled_when: EnabledWhen::Always,
    description: "`ingress.allow_insecure_connections` of `azurerm_container_app` is not `true`.",
    why: "Insecure connections serve the app over plain http: traffic and cookies can be read and changed in transit.",
    fix: "Remove `allow_insecure_connections` (it defaults to `false`); http requests are then redirected to https.",
    checkov: &[],
    psrule: &["Azure.ContainerApp.Insecure"],
    check: Check::Forbidden(Forbidden {
        attribute: "ingress.allow_insecure_connections",
        values: &[Literal::Bool(true)],
        message: "ingress allows insecure http connections",
        unset_message: None,
    }),
};
