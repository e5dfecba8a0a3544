//! `azurerm_container_app.app` (`[container_app]`) and `azurerm_container_app.<key>` (`[apps.<key>]`): pulls with
//! the user-assigned identity (the stack's or its own), after that identity's AcrPull grant exists (NOTES.md §14).
//! The pull wiring and the main container are shared with jobs (`container_app_job.rs`).

use super::common::{
    environment_id, float, identity, int, r, registry, registry_ref, resource, resource_group_name, var, with_tags,
};
use crate::stack::{
    propagation_label, Container, ContainerApp, Deployed, Ingress, Probe, Stack, PLACEHOLDER_IMAGE, PLACEHOLDER_PORT,
    PLACEHOLDER_PROBE_PATH,
};
use crate::terraform::expr::{template as template_expr, Part};
use crate::terraform::{Block, Expression};

/// The app `d` (`[container_app]` as `azurerm_container_app.app`, `[apps.<key>]` as `azurerm_container_app.<key>`).
pub(super) fn block(stack: &Stack, d: &Deployed<'_>, app: &ContainerApp) -> Block {
    let t = "azurerm_container_app";
    let tag = d.tag_variable();
    let mut b = resource(t, d.label())
        .attr("name", app.name.as_str())
        .attr("resource_group_name", resource_group_name())
        .attr("container_app_environment_id", environment_id(stack))
        .attr("revision_mode", app.revision_mode.as_str())
        // In a workload-profiles environment Azure reports the profile an app runs on: name it, or every plan
        // shows it changing back.
        .attr_opt(
            "workload_profile_name",
            stack.network.as_ref().map(|_| super::network::CONSUMPTION),
        );
    b = with_tags(b, stack, t);
    b = pull_wiring(b, stack, d);
    if let Some(ingress) = &app.ingress {
        b = b.block(ingress_block(ingress, &tag));
    }
    b.block(template(stack, d, app))
        .attr_opt("depends_on", depends_on(stack, d))
}

/// `identity` and `registry`: what pulls the images carries the identity `d` pulls with and uses it for the
/// stack's registry; then each secret, its value a sensitive variable (it never appears in a file) or a Key Vault
/// reference read with that identity.
pub(super) fn pull_wiring(mut b: Block, stack: &Stack, d: &Deployed<'_>) -> Block {
    let identity_id = || identity(stack, d.identity_label(), "id");
    b = b
        .block(
            Block::new("identity")
                .attr("type", "UserAssigned")
                .attr("identity_ids", Expression::Array(vec![identity_id()])),
        )
        .block(
            Block::new("registry")
                .attr("server", registry(stack, "login_server"))
                .attr("identity", identity_id()),
        );
    let vault = d.key_vault(stack);
    for secret in d.secrets() {
        b = b.block(super::key_vault::secret_block(d, vault.as_ref(), secret, identity_id()));
    }
    b
}

/// Nothing in an app or job refers to the role assignment, so Terraform cannot infer that the first revision's
/// pull needs it; and the grant returning is not the registry honouring it (NOTES.md §14): wait for the
/// propagation sleep of the identity it pulls with, which itself waits for the grant — unless the platform
/// grants the shared identity AcrPull (`[existing.identity] acr_pull_granted_by_platform`). Its Key Vault grant,
/// when it reads secrets from a vault, is named too, and waited for by the same sleep (which then exists even where
/// the platform grants AcrPull).
pub(super) fn depends_on(stack: &Stack, d: &Deployed<'_>) -> Option<Expression> {
    let label = d.identity_label();
    let key_vault = super::key_vault::depends_on(stack, d);
    let grant = (super::role_assignment::grants_acr_pull(stack, label) || key_vault.is_some())
        .then(|| r(&format!("time_sleep.{}", propagation_label(label))));
    let all: Vec<Expression> = grant
        .into_iter()
        .chain(key_vault)
        .chain(super::network::private_path(stack, "registry"))
        .collect();
    (!all.is_empty()).then_some(Expression::Array(all))
}

/// `ingress`: the target port (the placeholder's while it runs), all traffic to the latest revision.
fn ingress_block(ingress: &Ingress, tag: &str) -> Block {
    Block::new("ingress")
        .attr("external_enabled", ingress.external_enabled)
        .attr(
            "target_port",
            while_placeholder(tag, int(PLACEHOLDER_PORT), int(ingress.target_port)),
        )
        .attr("allow_insecure_connections", ingress.allow_insecure_connections)
        .block(
            Block::new("traffic_weight")
                .attr("latest_revision", true)
                .attr("percentage", int(100)),
        )
}

/// `template`: the replica bounds, the init containers, the main container and the sidecars, the HTTP scale rule
/// and the volumes.
fn template(stack: &Stack, d: &Deployed<'_>, app: &ContainerApp) -> Block {
    let tag = d.tag_variable();
    let login_server = registry_ref(stack, "login_server");
    let image_of = |c: &Container, tag: &str| image_of(&login_server, c, tag);
    let mut template = Block::new("template")
        .attr("min_replicas", int(app.scale.min_replicas))
        .attr("max_replicas", int(app.scale.max_replicas));
    for c in &app.init_containers {
        template = template.block(container_block("init_container", c, &image_of(c, &tag), &[], &tag));
    }
    template = template.block(container(stack, d, &app.container, &tag));
    for c in &app.sidecars {
        template = template.block(container_block("container", c, &image_of(c, &tag), &[], &tag));
    }
    if let Some(n) = app.scale.http_concurrent_requests {
        template = template.block(
            Block::new("http_scale_rule")
                .attr("name", crate::stack::scale::HTTP_RULE)
                // The provider types it as a string.
                .attr("concurrent_requests", n.to_string()),
        );
    }
    for rule in &app.scale.rules {
        template = template.block(super::scale::block(rule, identity(stack, d.identity_label(), "id")));
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

/// `<registry login server>/<image>:<var.tag>`.
fn image_of(login_server: &str, c: &Container, tag: &str) -> Expression {
    let tag_ref = format!("var.{tag}");
    template_expr(&[
        Part::Interpolate(login_server),
        Part::Literal(&format!("/{}:", c.image)),
        Part::Interpolate(&tag_ref),
    ])
}

/// `template.container`, the main one of an app or job: the image (the placeholder's until its tag variable is
/// set), CPU and memory, the environment (plain values, then secrets), the probes and the volume mounts.
pub(super) fn container(stack: &Stack, d: &Deployed<'_>, c: &Container, tag: &str) -> Block {
    // First deploy: while the tag variable is null the registry may still be empty, so the app runs the public
    // placeholder (its port and probe path too); CI pushes the image and applies with -var image_tag=…, an
    // in-place update of the app (a new revision).
    let login_server = registry_ref(stack, "login_server");
    let image = while_placeholder(
        tag,
        Expression::from(PLACEHOLDER_IMAGE),
        image_of(&login_server, c, tag),
    );
    container_block("container", c, &image, d.secrets(), tag)
}

/// A `container` or `init_container` block of `c` running `image`, with the secrets that name an environment
/// variable (the main container's).
fn container_block(
    kind: &str,
    c: &Container,
    image: &Expression,
    secrets: &[crate::stack::Secret],
    tag: &str,
) -> Block {
    let mut container = Block::new(kind)
        .attr("name", c.name.as_str())
        .attr("image", image.clone())
        .attr("cpu", float(c.cpu.cores()))
        .attr("memory", c.memory.as_str());
    for (name, value) in &c.env {
        container = container.block(
            Block::new("env")
                .attr("name", name.as_str())
                .attr("value", value.as_str()),
        );
    }
    for secret in secrets.iter().filter(|s| s.env.is_some()) {
        container = container.block(
            Block::new("env")
                .attr("name", secret.env.as_deref().unwrap_or_default())
                .attr("secret_name", secret.name.as_str()),
        );
    }
    if let Some(p) = &c.liveness_probe {
        container = container.block(probe("liveness_probe", p, tag));
    }
    if let Some(p) = &c.readiness_probe {
        container = container.block(probe("readiness_probe", p, tag));
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

/// `var.<tag> == null ? placeholder : app`: what the placeholder needs while it runs.
fn while_placeholder(tag: &str, placeholder: Expression, app: Expression) -> Expression {
    // `var.<tag> == null`, built without parsing.
    let unset = Expression::from(hcl::expr::Operation::Binary(hcl::expr::BinaryOp::new(
        var(tag),
        hcl::expr::BinaryOperator::Eq,
        Expression::Null,
    )));
    Expression::from(hcl::expr::Conditional::new(unset, placeholder, app))
}

fn probe(kind: &str, p: &Probe, tag: &str) -> Block {
    // HTTP(S) probes of the app's port would fail against the placeholder (another port, no /health), and a
    // revision that never gets ready makes the first apply fail: probe the placeholder's own port and path.
    let port = while_placeholder(tag, int(PLACEHOLDER_PORT), int(p.port));
    let path = p
        .path
        .as_deref()
        .map(|path| while_placeholder(tag, Expression::from(PLACEHOLDER_PROBE_PATH), Expression::from(path)));
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
