//! The conventional files besides `main.tf`: `versions.tf` (Terraform and provider versions, backend),
//! `providers.tf`, `variables.tf`, `outputs.tf`.

use super::common::{identity, r, registry};
use crate::stack::{Deployed, Stack, Workload};
use crate::terraform::expr::parse;
use crate::terraform::{Block, Body, Expression};

/// The Terraform versions infra's output is written for.
pub(super) const REQUIRED_TERRAFORM: &str = ">= 1.9, < 2.0";
/// Exactly the azurerm version whose schema and facts infra vendors: another version can behave differently
/// (4.81.0 changed the role-assignment defaults) while infra would still judge by 4.79.0's facts. Moving it means
/// vendoring the new version's schema, re-checking the facts, then changing [`crate::azurerm::PROVIDER_VERSION`]
/// (docs/render.md, "Provider versions").
pub(super) const AZURERM_CONSTRAINT: &str = crate::azurerm::PROVIDER_VERSION;
/// Exactly the hashicorp/time version whose `time_sleep` schema infra vendors.
pub(super) const TIME_CONSTRAINT: &str = crate::azurerm::TIME_PROVIDER_VERSION;

pub(super) fn versions(stack: &Stack) -> Body {
    let provider = |source: &str, version: &str| {
        let mut p = hcl::Object::new();
        p.insert(hcl::ObjectKey::from("source"), Expression::from(source));
        p.insert(hcl::ObjectKey::from("version"), Expression::from(version));
        Expression::Object(p)
    };
    let mut terraform = Block::new("terraform")
        .attr("required_version", REQUIRED_TERRAFORM)
        .block(
            Block::new("required_providers")
                .attr("azurerm", provider("hashicorp/azurerm", AZURERM_CONSTRAINT))
                .attr("time", provider("hashicorp/time", TIME_CONSTRAINT)),
        );
    if let Some(be) = &stack.backend {
        terraform = terraform.block(
            Block::new("backend")
                .label("azurerm")
                .attr("resource_group_name", be.resource_group_name.as_str())
                .attr("storage_account_name", be.storage_account_name.as_str())
                .attr("container_name", be.container_name.as_str())
                .attr("key", be.key.as_str())
                .attr("use_azuread_auth", true),
        );
    }
    body(vec![terraform])
}

/// The provider's storage data plane is off for every stack: `features { storage { data_plane_available = false } }`
/// (azurerm v4.79.0 `internal/provider/features.go`, default `true`). With it on, refreshing
/// `azurerm_storage_account` reads the account's queue and static-website properties from the data plane
/// (`internal/services/storage/storage_account_resource.go`, `resourceStorageAccountFlatten`), which a storage
/// firewall that denies by default refuses to any runner outside the network — and IP rules never match a runner
/// inside Azure in the same region. Nothing infra renders needs the data plane: the share goes through ARM
/// (`storage_account_id`), and the provider refuses `queue_properties` / `static_website` with the switch off,
/// which the stack never writes. Always, not only for network-restricted storage: the same plan works from every
/// runner for every stack, and no identity needs data-plane access to plan (docs/private-networking.md).
pub(crate) const STORAGE_DATA_PLANE_AVAILABLE: bool = false;

pub(super) fn providers(stack: &Stack) -> Body {
    // The subscription comes from ARM_SUBSCRIPTION_ID (azurerm 4.x requires one), credentials from the
    // environment (az login, OIDC in CI): nothing secret or account-specific is written here.
    let storage = Block::new("storage").attr("data_plane_available", STORAGE_DATA_PLANE_AVAILABLE);
    let mut blocks = vec![Block::new("provider")
        .label("azurerm")
        .block(Block::new("features").block(storage))];
    // A registry in another subscription (a subscription ID is not a secret; the credentials stay the same, so
    // both subscriptions are in the tenant the credentials sign in to). `features` is required in every azurerm
    // provider block (azurerm 4.x).
    if let Some(subscription) = super::existing::registry_subscription(stack) {
        blocks.push(
            Block::new("provider")
                .label("azurerm")
                .attr("alias", super::existing::REGISTRY_PROVIDER)
                .attr("subscription_id", subscription)
                .block(Block::new("features")),
        );
    }
    body(blocks)
}

pub(super) fn variables(stack: &Stack) -> Body {
    let mut blocks: Vec<Block> = stack.deployed().iter().map(tag_variable).collect();
    for w in stack.container_registry.iter().flat_map(|reg| &reg.webhooks) {
        let sensitive = |name: String, description: String| {
            Block::new("variable")
                .label(name)
                .attr("type", r("string"))
                .attr("description", description)
                .attr("sensitive", true)
                .attr("nullable", false)
        };
        if w.service_uri.is_none() {
            let name = w.service_uri_variable();
            blocks.push(
                sensitive(
                    name.clone(),
                    format!(
                        "Service URI of the registry webhook {:?} (it may carry a token). Set it from a secret store (e.g. TF_VAR_{name}); never commit it.",
                        w.name.as_str()
                    ),
                )
                .block(
                    Block::new("validation")
                        .attr(
                            "condition",
                            crate::terraform::expr::parse(&format!("startswith(var.{name}, \"https://\")"))
                                .expect("valid HCL"),
                        )
                        .attr("error_message", "A registry webhook calls an https:// URI."),
                ),
            );
        }
        for h in &w.headers {
            let name = w.header_variable(h);
            blocks.push(sensitive(
                name.clone(),
                format!(
                    "Value of the {h:?} header of the registry webhook {:?}. Set it from a secret store (e.g. TF_VAR_{name}); never commit it.",
                    w.name.as_str()
                ),
            ));
        }
    }
    for (d, secret) in stack.deployed().into_iter().flat_map(|d| {
        d.secrets()
            .iter()
            .filter(|s| s.has_variable())
            .map(move |s| (d.clone(), s))
    }) {
        let variable = d.secret_variable(secret);
        blocks.push(
            Block::new("variable")
                .label(variable.clone())
                .attr("type", r("string"))
                .attr(
                    "description",
                    format!(
                        "Value of the {} secret {:?}. Set it from a secret store (e.g. TF_VAR_{variable}); never commit it.",
                        what(&d),
                        secret.name.as_str(),
                    ),
                )
                .attr("sensitive", true)
                .attr("nullable", false),
        );
    }
    body(blocks)
}

/// "app" for `[container_app]`, else "app \"<key>\"" or "job \"<key>\"" (a variable's description).
fn what(d: &Deployed<'_>) -> String {
    match (d.key, d.workload) {
        (None, _) => "app".to_string(),
        (Some(k), Workload::App(_)) => format!("app {k:?}"),
        (Some(k), Workload::Job(_)) => format!("job {k:?}"),
    }
}

/// The image-tag variable of an app or job. Null (unset) until CI has pushed the first image: the app then runs
/// the public placeholder (first deploy).
fn tag_variable(d: &Deployed<'_>) -> Block {
    let c = d.container();
    let default = match c.image_tag.as_deref() {
        Some(tag) => Expression::from(tag),
        None => Expression::Null,
    };
    let whose = match d.key {
        None => "the app then runs".to_string(),
        Some(_) => format!("the {} then runs", what(d)),
    };
    Block::new("variable")
        .label(d.tag_variable())
        .attr("type", r("string"))
        .attr(
            "description",
            format!(
                "Tag of the {} image to deploy from the stack's registry, e.g. \"1.4.2\". Null until CI has pushed the first image: {whose} the public placeholder {}.",
                c.image,
                crate::stack::PLACEHOLDER_IMAGE
            ),
        )
        .attr("default", default)
        .attr("nullable", true)
}

pub(super) fn outputs(stack: &Stack) -> Body {
    let out = |name: &str, description: &str, value: Expression| {
        Block::new("output")
            .label(name)
            .attr("description", description)
            .attr("value", value)
    };
    let mut blocks = vec![
        out(
            "resource_group_name",
            "The resource group holding the stack.",
            r("azurerm_resource_group.main.name"),
        ),
        out(
            "container_registry_name",
            "The container registry's name.",
            registry(stack, "name"),
        ),
        out(
            "container_registry_login_server",
            "Where to push images, e.g. for docker login.",
            registry(stack, "login_server"),
        ),
    ];
    for d in stack.deployed() {
        blocks.extend(deployed_outputs(&d, &out));
    }
    blocks.push(out(
        "app_identity_client_id",
        "Client id of the app's user-assigned identity (AZURE_CLIENT_ID).",
        identity(stack, crate::stack::SHARED, "client_id"),
    ));
    for d in stack.deployed() {
        if d.own_identity().is_some() {
            blocks.push(out(
                &format!("{}_identity_client_id", prefix(&d)),
                &format!("Client id of the own user-assigned identity of the {}.", what(&d)),
                r(&format!("azurerm_user_assigned_identity.{}.client_id", d.label())),
            ));
        }
    }
    body(blocks)
}

/// `app_<key>` or `job_<key>`: what an app's or job's outputs start with.
fn prefix(d: &Deployed<'_>) -> String {
    match d.workload {
        Workload::App(_) => format!("app_{}", d.label()),
        Workload::Job(_) => format!("job_{}", d.label()),
    }
}

/// An app's name and URL, a job's name: `container_app_name` and `container_app_url` for `[container_app]` (the
/// names the first stacks had), `app_<key>_name`, `app_<key>_url` and `job_<key>_name` otherwise.
fn deployed_outputs(d: &Deployed<'_>, out: &dyn Fn(&str, &str, Expression) -> Block) -> Vec<Block> {
    let label = d.label();
    match (d.key, d.workload) {
        (_, Workload::Job(_)) => vec![out(
            &format!("{}_name", prefix(d)),
            &format!("The name of the {}.", what(d)),
            r(&format!("azurerm_container_app_job.{label}.name")),
        )],
        (key, Workload::App(app)) => {
            let (name, url, whose) = match key {
                None => (
                    "container_app_name".to_string(),
                    "container_app_url".to_string(),
                    String::new(),
                ),
                Some(_) => (format!("{}_name", prefix(d)), format!("{}_url", prefix(d)), what(d)),
            };
            let description = match key {
                None => "The container app's name.".to_string(),
                Some(_) => format!("The name of the {whose}."),
            };
            let mut blocks = vec![out(
                &name,
                &description,
                r(&format!("azurerm_container_app.{label}.name")),
            )];
            if app.ingress.is_some() {
                let description = match key {
                    None => "The app's HTTPS URL.".to_string(),
                    Some(_) => format!("The HTTPS URL of the {}.", what(d)),
                };
                blocks.push(out(
                    &url,
                    &description,
                    parse(&format!(
                        "\"https://${{azurerm_container_app.{label}.ingress[0].fqdn}}\""
                    ))
                    .expect("valid template"),
                ));
            }
            let domains = key.map_or_else(|| "container_app".to_string(), |_| prefix(d));
            blocks.extend(super::custom_domain::outputs(d, app, &domains));
            blocks
        }
    }
}

pub(super) fn body(blocks: Vec<Block>) -> Body {
    let mut b = Body::default();
    for block in blocks {
        b.push_block(block);
    }
    b
}
