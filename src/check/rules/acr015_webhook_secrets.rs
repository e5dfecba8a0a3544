//! ACR015: registry webhook secrets are not written in the configuration.

use crate::check::{violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};
use crate::terraform::{expr, Expression};

pub(super) static RULE: Rule = Rule {
    id: "ACR015",
    title: "Registry webhook secrets come from variables",
    severity: Severity::High,
    category: Category::Registry,
    resources: Resources::Types(&["azurerm_container_registry_webhook"]),
    enabled_when: EnabledWhen::Always,
    description: "`azurerm_container_registry_webhook` has no literal `custom_headers` value, and a literal \
                  `service_uri` carries no credentials (no user info, no query string or fragment, where tokens \
                  travel). Values from variables or other expressions are not judged.",
    why: "Header values (`Authorization`, `X-Token`) and tokens in the URI are secrets: written in the \
          configuration they land in the repository, in every clone and in CI logs of the plan.",
    fix: "Take each header value and a URI that carries a token from a `sensitive = true` variable set at plan time \
          (`TF_VAR_…` from the CI secret store).",
    checkov: &[],
    psrule: &[],
    check: Check::Custom(check),
};

/// Whether a literal URI carries credentials: user info before the host, a query string or a fragment.
pub(crate) fn uri_carries_secret(uri: &str) -> bool {
    let rest = uri.split_once("://").map_or(uri, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    authority.contains('@') || uri.contains('?') || uri.contains('#')
}

fn check(ctx: &Context) -> Vec<Violation> {
    let mut out = Vec::new();
    for r in ctx.resources_of("azurerm_container_registry_webhook") {
        if let Some(a) = r.body().attribute("service_uri") {
            if expr::as_str(&a.value).is_some_and(uri_carries_secret) {
                out.push(violation(
                    r,
                    Some(a),
                    r.block,
                    "the service URI is written in the configuration with credentials (user info or a query string)",
                ));
            }
        }
        if let Some(a) = r.body().attribute("custom_headers") {
            let literal: Vec<String> = match &a.value {
                Expression::Object(o) => o
                    .iter()
                    .filter(|(_, v)| expr::as_str(v).is_some())
                    .map(|(k, _)| match k {
                        hcl::ObjectKey::Identifier(i) => i.to_string(),
                        hcl::ObjectKey::Expression(e) => {
                            expr::as_str(e).map(str::to_string).unwrap_or_else(|| expr::to_hcl(e))
                        }
                        _ => "?".to_string(),
                    })
                    .collect(),
                _ => Vec::new(),
            };
            if !literal.is_empty() {
                out.push(violation(
                    r,
                    Some(a),
                    r.block,
                    format!(
                        "custom header value written in the configuration: {}",
                        literal.join(", ")
                    ),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_with_credentials() {
        assert!(uri_carries_secret("https://ci.example.com/hook?token=abc"));
        assert!(uri_carries_secret("https://user:pw@ci.example.com/hook"));
        assert!(!uri_carries_secret("https://ci.example.com/hooks/acr"));
        assert!(!uri_carries_secret("https://ci.example.com/a@b"));
    }
}
