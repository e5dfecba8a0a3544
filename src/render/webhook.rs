//! `azurerm_container_registry_webhook.<name>`: one per `[[container_registry.webhooks]]` (NOTES.md §4).
//!
//! Secrets never reach a file: a service URI the stack does not give, and every custom header value, are
//! sensitive variables (`variables.tf`, set at plan time).

use super::common::{r, resource, resource_group_name, with_tags};
use crate::stack::{Stack, Webhook};
use crate::terraform::{Block, Expression};

pub(super) fn block(stack: &Stack, w: &Webhook) -> Block {
    let t = "azurerm_container_registry_webhook";
    let service_uri = match &w.service_uri {
        Some(uri) => Expression::from(uri.as_str()),
        None => r(&format!("var.{}", w.service_uri_variable())),
    };
    let actions = Expression::Array(w.actions.iter().map(|a| Expression::from(a.as_str())).collect());
    let mut b = resource(t, &w.resource_name())
        .attr("name", w.name.as_str())
        .attr("resource_group_name", resource_group_name())
        // References, not literals: Terraform creates the webhook after the registry.
        .attr("registry_name", r("azurerm_container_registry.main.name"))
        .attr("location", r("azurerm_container_registry.main.location"))
        .attr("service_uri", service_uri)
        .attr("actions", actions)
        .attr("status", w.status.as_str())
        .attr_opt("scope", w.scope.as_deref());
    if !w.headers.is_empty() {
        let mut headers = hcl::Object::new();
        for h in &w.headers {
            headers.insert(
                hcl::ObjectKey::from(h.as_str()),
                r(&format!("var.{}", w.header_variable(h))),
            );
        }
        b = b.attr("custom_headers", Expression::Object(headers));
    }
    with_tags(b, stack, t)
}
