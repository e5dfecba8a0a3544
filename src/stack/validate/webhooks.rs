//! `[[container_registry.webhooks]]`: names, actions, scope, a service URI that holds no secret, and header names.

use super::{Rules, Seg};
use crate::azurerm::facts::limits::{HEADER_NAME, WEBHOOK_SCOPE};
use crate::azurerm::facts::names::pattern_matches;
use crate::stack::{ContainerRegistry, Webhook};
use Seg::{Index, Key};

pub(super) fn check(reg: &ContainerRegistry, r: &mut Rules) {
    let mut names: Vec<String> = Vec::new();
    for (i, w) in reg.webhooks.iter().enumerate() {
        let lower = w.resource_name();
        if names.contains(&lower) {
            r.push(
                at(i, "name"),
                format!(
                    "container_registry.webhooks[{i}].name = \"{}\" is declared twice",
                    w.name
                ),
                "give each webhook its own name (names are compared without case)".to_string(),
            );
        }
        names.push(lower);
        actions(i, w, r);
        target(i, w, r);
        headers(i, w, r);
    }
}

/// The path of `key` in the `i`th webhook.
fn at(i: usize, key: &'static str) -> Vec<Seg> {
    vec![Key("container_registry"), Key("webhooks"), Index(i), Key(key)]
}

/// At least one action, each once.
fn actions(i: usize, w: &Webhook, r: &mut Rules) {
    if w.actions.is_empty() {
        r.push(
            at(i, "actions"),
            format!("container_registry.webhooks[{i}].actions is empty"),
            "list at least one of \"push\", \"delete\", \"quarantine\", \"chart_push\", \"chart_delete\"".to_string(),
        );
    }
    let mut seen = Vec::new();
    for (j, a) in w.actions.iter().enumerate() {
        if seen.contains(a) {
            let mut p = at(i, "actions");
            p.push(Index(j));
            r.push(
                p,
                format!(
                    "container_registry.webhooks[{i}].actions lists \"{}\" twice",
                    a.as_str()
                ),
                "list each action once".to_string(),
            );
        }
        seen.push(*a);
    }
}

/// The scope ACR accepts, and a service URI that is https and carries no secret.
fn target(i: usize, w: &Webhook, r: &mut Rules) {
    if let Some(scope) = &w.scope {
        if !pattern_matches(WEBHOOK_SCOPE, scope) {
            r.push(
                at(i, "scope"),
                format!("container_registry.webhooks[{i}].scope = {scope:?} is not a repository:tag scope"),
                "write `repository:tag`, e.g. \"fastapi-app:*\" for every tag of fastapi-app, or leave scope out for every repository".to_string(),
            );
        }
    }
    if let Some(uri) = &w.service_uri {
        if let Err(why) = webhook_uri(uri) {
            r.push(
                at(i, "service_uri"),
                format!("container_registry.webhooks[{i}].service_uri {why}"),
                format!(
                    "write an https:// URI without credentials, or remove service_uri and set the sensitive variable {} at plan time (TF_VAR_{})",
                    w.service_uri_variable(),
                    w.service_uri_variable()
                ),
            );
        }
    }
}

/// Header names that are HTTP header names, each once.
fn headers(i: usize, w: &Webhook, r: &mut Rules) {
    let mut vars: Vec<String> = Vec::new();
    for (j, h) in w.headers.iter().enumerate() {
        let mut p = at(i, "headers");
        p.push(Index(j));
        if !pattern_matches(HEADER_NAME, h) {
            r.push(
                p,
                format!("container_registry.webhooks[{i}].headers[{j}] = {h:?} is not an HTTP header name"),
                "write a header name of letters, digits and '-', starting with a letter, such as \"Authorization\" or \"X-Token\"; its value comes from a sensitive variable, never from the stack".to_string(),
            );
            continue;
        }
        let v = w.header_variable(h);
        if vars.contains(&v) {
            r.push(
                p,
                format!("container_registry.webhooks[{i}].headers[{j}] = {h:?} is listed twice"),
                "list each header once (names are compared without case)".to_string(),
            );
        }
        vars.push(v);
    }
}

/// Why a literal webhook URI is not allowed in the stack. Its text follows the field name in the message
/// (`container_registry.webhooks[0].service_uri = "http://…" is not an https:// URI …`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum UriProblem {
    /// Not `https://`.
    #[error("= {0:?} is not an https:// URI (the call carries image names and headers)")]
    NotHttps(String),
    /// No host, or whitespace in the URI.
    #[error("= {0:?} has no host")]
    NoHost(String),
    /// User info before `@`.
    #[error("carries credentials (user info before '@'); a secret never goes in the stack")]
    Credentials,
    /// A query string or fragment.
    #[error("has a query string or fragment, where tokens travel; a secret never goes in the stack")]
    Query,
    /// A host reserved for examples; the second field says which reservation.
    #[error("= {0:?} is a placeholder: {1} is reserved for examples and reaches no CI/CD endpoint")]
    Placeholder(String, String),
}

/// Why a literal webhook URI is not allowed in the stack: not https, or carrying credentials (user info or a query
/// string, where tokens travel).
fn webhook_uri(uri: &str) -> Result<(), UriProblem> {
    let Some(rest) = uri.strip_prefix("https://") else {
        return Err(UriProblem::NotHttps(uri.to_string()));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.is_empty() || uri.chars().any(char::is_whitespace) {
        return Err(UriProblem::NoHost(uri.to_string()));
    }
    if authority.contains('@') {
        return Err(UriProblem::Credentials);
    }
    if uri.contains('?') || uri.contains('#') {
        return Err(UriProblem::Query);
    }
    if let Some(reserved) = placeholder_host(authority) {
        return Err(UriProblem::Placeholder(uri.to_string(), reserved));
    }
    Ok(())
}

/// Names reserved for documentation and testing, which no real endpoint has (RFC 2606 §2-3: the `.example`,
/// `.test`, `.invalid` and `.localhost` top-level domains and `example.com` / `.net` / `.org`; RFC 6761 §6.3:
/// `localhost`). Returns which reservation `authority`'s host falls under.
fn placeholder_host(authority: &str) -> Option<String> {
    let host = authority.rsplit_once(':').map_or(authority, |(h, port)| {
        if port.bytes().all(|b| b.is_ascii_digit()) {
            h
        } else {
            authority
        }
    });
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    const DOMAINS: [&str; 3] = ["example.com", "example.net", "example.org"];
    const TLDS: [&str; 4] = ["example", "test", "invalid", "localhost"];
    let in_domain = |d: &str| host == d || host.ends_with(&format!(".{d}"));
    if let Some(d) = DOMAINS.iter().find(|d| in_domain(d)) {
        return Some(format!("{d} (RFC 2606)"));
    }
    TLDS.iter()
        .find(|t| in_domain(t))
        .map(|t| format!("the .{t} domain (RFC 2606)"))
}
