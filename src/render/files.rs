//! The conventional files besides `main.tf`: `versions.tf` (Terraform and provider versions, backend),
//! `providers.tf`, `variables.tf`, `outputs.tf`.

use super::common::r;
use crate::stack::Stack;
use crate::terraform::expr::parse;
use crate::terraform::{Block, Body, Expression};

/// The Terraform versions infra's output is written for.
pub const REQUIRED_TERRAFORM: &str = ">= 1.9, < 2.0";
/// azurerm on the 4.x line, from the version the vendored schema describes (4.79.0).
pub const AZURERM_CONSTRAINT: &str = "~> 4.79";

pub fn versions(stack: &Stack) -> Body {
    let mut provider = hcl::Object::new();
    provider.insert(hcl::ObjectKey::from("source"), Expression::from("hashicorp/azurerm"));
    provider.insert(hcl::ObjectKey::from("version"), Expression::from(AZURERM_CONSTRAINT));
    let mut terraform = Block::new("terraform")
        .attr("required_version", REQUIRED_TERRAFORM)
        .block(Block::new("required_providers").attr("azurerm", Expression::Object(provider)));
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

pub fn providers(_stack: &Stack) -> Body {
    // The subscription comes from ARM_SUBSCRIPTION_ID (azurerm 4.x requires one), credentials from the
    // environment (az login, OIDC in CI): nothing secret or account-specific is written here.
    body(vec![Block::new("provider")
        .label("azurerm")
        .block(Block::new("features"))])
}

pub fn variables(stack: &Stack) -> Body {
    let v = Block::new("variable")
        .label("image_tag")
        .attr("type", r("string"))
        .attr(
            "description",
            format!(
                "Tag of the {} image to deploy from the stack's registry, e.g. \"1.4.2\".",
                stack.container_app.container.image
            ),
        )
        .attr_opt("default", stack.container_app.container.image_tag.as_deref())
        .attr("nullable", false);
    let mut blocks = vec![v];
    for secret in &stack.container_app.secrets {
        blocks.push(
            Block::new("variable")
                .label(secret.variable())
                .attr("type", r("string"))
                .attr(
                    "description",
                    format!(
                        "Value of the app secret {:?}. Set it from a secret store (e.g. TF_VAR_{}); never commit it.",
                        secret.name.as_str(),
                        secret.variable()
                    ),
                )
                .attr("sensitive", true)
                .attr("nullable", false),
        );
    }
    if let Some(rules) = &stack.storage.account.network_rules {
        blocks.push(super::storage::allow_list_variable(rules));
    }
    body(blocks)
}

pub fn outputs(stack: &Stack) -> Body {
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
            r("azurerm_container_registry.main.name"),
        ),
        out(
            "container_registry_login_server",
            "Where to push images, e.g. for docker login.",
            r("azurerm_container_registry.main.login_server"),
        ),
        out(
            "container_app_name",
            "The container app's name.",
            r("azurerm_container_app.app.name"),
        ),
    ];
    if stack.container_app.ingress.is_some() {
        blocks.push(out(
            "container_app_url",
            "The app's HTTPS URL.",
            parse("\"https://${azurerm_container_app.app.ingress[0].fqdn}\"").expect("valid template"),
        ));
    }
    blocks.push(out(
        "app_identity_client_id",
        "Client id of the app's user-assigned identity (AZURE_CLIENT_ID).",
        r("azurerm_user_assigned_identity.app.client_id"),
    ));
    body(blocks)
}

pub fn body(blocks: Vec<Block>) -> Body {
    let mut b = Body::default();
    for block in blocks {
        b.push_block(block);
    }
    b
}
