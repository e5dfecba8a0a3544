//! `azurerm_container_app.app`: pulls with the user-assigned identity, after its AcrPull grant exists
//! (NOTES.md §14).

use super::common::{float, int, r, resource, resource_group_name, var, with_tags};
use crate::stack::{Probe, Stack};
use crate::terraform::expr::{template, Part};
use crate::terraform::{Block, Expression};

pub fn block(stack: &Stack) -> Block {
    let t = "azurerm_container_app";
    let app = &stack.container_app;
    let c = &app.container;
    let identity_id = || r("azurerm_user_assigned_identity.app.id");

    let image = template(&[
        Part::Interpolate("azurerm_container_registry.main.login_server"),
        Part::Literal(&format!("/{}:", c.image)),
        Part::Interpolate("var.image_tag"),
    ]);

    let mut container = Block::new("container")
        .attr("name", c.name.as_str())
        .attr("image", image)
        .attr("cpu", float(c.cpu.cores()))
        .attr("memory", c.memory.as_str());
    for (name, value) in &c.env {
        container = container.block(
            Block::new("env")
                .attr("name", name.as_str())
                .attr("value", value.as_str()),
        );
    }
    for secret in app.secrets.iter().filter(|s| s.env.is_some()) {
        container = container.block(
            Block::new("env")
                .attr("name", secret.env.as_deref().unwrap_or_default())
                .attr("secret_name", secret.name.as_str()),
        );
    }
    if let Some(p) = &c.liveness_probe {
        container = container.block(probe("liveness_probe", p));
    }
    if let Some(p) = &c.readiness_probe {
        container = container.block(probe("readiness_probe", p));
    }
    for m in &c.volume_mounts {
        container = container.block(
            Block::new("volume_mounts")
                .attr("name", m.name.as_str())
                .attr("path", m.path.as_str()),
        );
    }

    let mut template = Block::new("template")
        .attr("min_replicas", int(app.scale.min_replicas))
        .attr("max_replicas", int(app.scale.max_replicas))
        .block(container);
    if let Some(n) = app.scale.http_concurrent_requests {
        template = template.block(
            Block::new("http_scale_rule")
                .attr("name", "http-concurrency")
                // The provider types it as a string.
                .attr("concurrent_requests", n.to_string()),
        );
    }
    for v in &app.volumes {
        template = template.block(
            Block::new("volume")
                .attr("name", v.name.as_str())
                .attr("storage_type", "AzureFile")
                .attr("storage_name", v.storage_name.as_str()),
        );
    }

    let mut b = resource(t, "app")
        .attr("name", app.name.as_str())
        .attr("resource_group_name", resource_group_name())
        .attr(
            "container_app_environment_id",
            r("azurerm_container_app_environment.main.id"),
        )
        .attr("revision_mode", app.revision_mode.as_str())
        // In a workload-profiles environment Azure reports the profile an app runs on: name it, or every plan
        // shows it changing back.
        .attr_opt(
            "workload_profile_name",
            stack.network.as_ref().map(|_| super::network::CONSUMPTION),
        );
    b = with_tags(b, stack, t)
        .block(
            Block::new("identity")
                .attr("type", "UserAssigned")
                .attr("identity_ids", Expression::Array(vec![identity_id()])),
        )
        .block(
            Block::new("registry")
                .attr("server", r("azurerm_container_registry.main.login_server"))
                .attr("identity", identity_id()),
        );
    for secret in &app.secrets {
        // The value is a sensitive variable: it never appears in a file.
        b = b.block(
            Block::new("secret")
                .attr("name", secret.name.as_str())
                .attr("value", var(&secret.variable())),
        );
    }
    if let Some(ingress) = &app.ingress {
        b = b.block(
            Block::new("ingress")
                .attr("external_enabled", ingress.external_enabled)
                .attr("target_port", int(ingress.target_port))
                .attr("allow_insecure_connections", ingress.allow_insecure_connections)
                .block(
                    Block::new("traffic_weight")
                        .attr("latest_revision", true)
                        .attr("percentage", int(100)),
                ),
        );
    }
    b.block(template)
        // Nothing in the app refers to the role assignment, so Terraform cannot infer that the first revision's
        // pull needs it: say so.
        .attr(
            "depends_on",
            Expression::Array(
                std::iter::once(r("azurerm_role_assignment.acr_pull"))
                    .chain(super::network::private_path(stack, "registry"))
                    .collect(),
            ),
        )
}

fn probe(kind: &str, p: &Probe) -> Block {
    Block::new(kind)
        .attr("transport", p.transport.as_str())
        .attr("port", int(p.port))
        .attr_opt("path", p.path.as_deref())
        .attr_opt("initial_delay", p.initial_delay.map(int))
        .attr_opt("interval_seconds", p.interval_seconds.map(int))
        .attr_opt("timeout", p.timeout.map(int))
        .attr_opt("failure_count_threshold", p.failure_count_threshold.map(int))
        .attr_opt("success_count_threshold", p.success_count_threshold.map(int))
}
