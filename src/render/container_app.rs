//! `azurerm_container_app.app`: pulls with the user-assigned identity, after its AcrPull grant exists
//! (NOTES.md §14).

use super::common::{float, int, r, resource, resource_group_name, var, with_tags};
use crate::stack::{ContainerApp, Ingress, Probe, Stack, PLACEHOLDER_IMAGE, PLACEHOLDER_PORT, PLACEHOLDER_PROBE_PATH};
use crate::terraform::expr::{template as template_expr, Part};
use crate::terraform::{Block, Expression};

pub(super) fn block(stack: &Stack) -> Block {
    let t = "azurerm_container_app";
    let app = &stack.container_app;
    let identity_id = || r("azurerm_user_assigned_identity.app.id");

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
        b = b.block(super::key_vault::secret_block(app, secret, identity_id()));
    }
    if let Some(ingress) = &app.ingress {
        b = b.block(ingress_block(ingress));
    }
    b.block(template(app))
        // Nothing in the app refers to the role assignment, so Terraform cannot infer that the first revision's
        // pull needs it; and the grant returning is not the registry honouring it (NOTES.md §14): wait for the
        // propagation sleep, which itself waits for the grant.
        .attr(
            "depends_on",
            Expression::Array(
                std::iter::once(r("time_sleep.acr_pull_propagation"))
                    .chain(super::key_vault::depends_on(app))
                    .chain(super::network::private_path(stack, "registry"))
                    .collect(),
            ),
        )
}

/// `ingress`: the target port (the placeholder's while it runs), all traffic to the latest revision.
fn ingress_block(ingress: &Ingress) -> Block {
    Block::new("ingress")
        .attr("external_enabled", ingress.external_enabled)
        .attr(
            "target_port",
            while_placeholder(int(PLACEHOLDER_PORT), int(ingress.target_port)),
        )
        .attr("allow_insecure_connections", ingress.allow_insecure_connections)
        .block(
            Block::new("traffic_weight")
                .attr("latest_revision", true)
                .attr("percentage", int(100)),
        )
}

/// `template`: the replica bounds, the container, the HTTP scale rule and the volumes.
fn template(app: &ContainerApp) -> Block {
    let mut template = Block::new("template")
        .attr("min_replicas", int(app.scale.min_replicas))
        .attr("max_replicas", int(app.scale.max_replicas))
        .block(container(app));
    if let Some(n) = app.scale.http_concurrent_requests {
        template = template.block(
            Block::new("http_scale_rule")
                .attr("name", crate::stack::scale::HTTP_RULE)
                // The provider types it as a string.
                .attr("concurrent_requests", n.to_string()),
        );
    }
    for rule in &app.scale.rules {
        template = template.block(super::scale::block(rule));
    }
    for v in &app.volumes {
        template = template.block(
            Block::new("volume")
                .attr("name", v.name.as_str())
                .attr("storage_type", "AzureFile")
                // A reference, not the literal name: the app then waits for the environment storage
                // (otherwise ManagedEnvironmentStorageNotFound on the first apply). Validation guarantees the
                // volume names this storage.
                .attr("storage_name", r("azurerm_container_app_environment_storage.data.name")),
        );
    }
    template
}

/// `template.container`: the image (the placeholder's until `var.image_tag` is set), CPU and memory, the
/// environment (plain values, then secrets), the probes and the volume mounts.
fn container(app: &ContainerApp) -> Block {
    let c = &app.container;
    // First deploy: while var.image_tag is null the registry may still be empty, so the app runs the public
    // placeholder (its port and probe path too); CI pushes the image and applies with -var image_tag=…, an in-place
    // update of the app (a new revision).
    let image = while_placeholder(
        Expression::from(PLACEHOLDER_IMAGE),
        template_expr(&[
            Part::Interpolate("azurerm_container_registry.main.login_server"),
            Part::Literal(&format!("/{}:", c.image)),
            Part::Interpolate("var.image_tag"),
        ]),
    );
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
    container
}

/// `var.image_tag == null ? placeholder : app`: what the placeholder needs while it runs.
fn while_placeholder(placeholder: Expression, app: Expression) -> Expression {
    // `var.image_tag == null`, built without parsing.
    let unset = Expression::from(hcl::expr::Operation::Binary(hcl::expr::BinaryOp::new(
        var("image_tag"),
        hcl::expr::BinaryOperator::Eq,
        Expression::Null,
    )));
    Expression::from(hcl::expr::Conditional::new(unset, placeholder, app))
}

fn probe(kind: &str, p: &Probe) -> Block {
    // HTTP(S) probes of the app's port would fail against the placeholder (another port, no /health), and a
    // revision that never gets ready makes the first apply fail: probe the placeholder's own port and path.
    let port = while_placeholder(int(PLACEHOLDER_PORT), int(p.port));
    let path = p
        .path
        .as_deref()
        .map(|path| while_placeholder(Expression::from(PLACEHOLDER_PROBE_PATH), Expression::from(path)));
    Block::new(kind)
        .attr("transport", p.transport.as_str())
        .attr("port", port)
        .attr_opt("path", path)
        .attr_opt("initial_delay", p.initial_delay.map(int))
        .attr_opt("interval_seconds", p.interval_seconds.map(int))
        .attr_opt("timeout", p.timeout.map(int))
        .attr_opt("failure_count_threshold", p.failure_count_threshold.map(int))
        .attr_opt("success_count_threshold", p.success_count_threshold.map(int))
}
