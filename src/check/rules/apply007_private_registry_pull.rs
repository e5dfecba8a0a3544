//! APPLY007: an app pulls from a private registry only from an environment that can reach it.

use super::apply_support::{referenced, referring};
use crate::check::{violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};
use crate::terraform::{expr, Resource};

pub(super) static RULE: Rule = Rule {
    id: "APPLY007",
    title: "Container app pulls from a private registry its environment cannot reach",
    severity: Severity::High,
    category: Category::ApplyTime {
        sources: &[
            "Microsoft Learn, \"Connect privately to an Azure container registry using Azure Private Link\" (with \
             public network access disabled, clients pull only through a private endpoint whose \
             `privatelink.azurecr.io` record they resolve)",
            "Microsoft Learn, \"Configure virtual networks in Azure Container Apps environments\" (an environment \
             reaches private endpoints only when it is in a custom virtual network)",
            "hashicorp/terraform-provider-azurerm v4.79.0, `internal/services/containerapps/container_app_resource.go` \
             (Create waits for the first revision to be provisioned: a revision that cannot pull fails the apply)",
        ],
    },
    resources: Resources::Types(&["azurerm_container_app"]),
    enabled_when: EnabledWhen::Always,
    description: "When a `registry` block of an `azurerm_container_app` refers to an `azurerm_container_registry` \
                  with `public_network_access_enabled = false`, the app's environment has an \
                  `infrastructure_subnet_id` in an `azurerm_virtual_network` of the configuration, an \
                  `azurerm_private_endpoint` connects to the registry, and a private DNS zone of its zone group is \
                  linked (`azurerm_private_dns_zone_virtual_network_link`) to that network. Not judged when a link in \
                  that chain is not a reference the configuration resolves.",
    why: "Without the private endpoint and its DNS record in the environment's network, the registry's name resolves \
          to its public address, which refuses every pull: the first revision never starts and the app's create \
          fails (or times out).",
    fix: "Put the environment in a virtual network (`infrastructure_subnet_id`), add an `azurerm_private_endpoint` for \
          the registry (`subresource_names = [\"registry\"]`) with a `private_dns_zone_group` naming \
          `privatelink.azurecr.io`, and link that zone to the environment's network; infra renders all of it for \
          `[network.private_endpoints] registry = true`.",
    checkov: &[],
    psrule: &[],
    check: Check::Custom(check),
};

fn check(ctx: &Context) -> Vec<Violation> {
    let mut out = Vec::new();
    for app in ctx.resources_of("azurerm_container_app") {
        for reg in app.body().blocks_of("registry") {
            let Some(server) = reg.body.attribute("server") else {
                continue;
            };
            let Some(registry) = referenced(ctx, app, &server.value, "azurerm_container_registry") else {
                continue;
            };
            if registry.get("public_network_access_enabled").and_then(expr::as_bool) != Some(false) {
                continue;
            }
            if let Some(problem) = unreachable(ctx, app, registry) {
                out.push(violation(
                    app,
                    Some(server),
                    reg,
                    format!(
                        "{} has public network access off, and {problem}: the first revision cannot pull",
                        registry.address()
                    ),
                ));
            }
        }
    }
    out
}

/// Why the app's environment cannot reach the registry, or `None` when it can or that is not known.
fn unreachable(ctx: &Context, app: &Resource, registry: &Resource) -> Option<String> {
    let env = referenced(
        ctx,
        app,
        app.get("container_app_environment_id")?,
        "azurerm_container_app_environment",
    )?;
    let Some(subnet_id) = env.get("infrastructure_subnet_id") else {
        return Some(format!("{} is not in a virtual network", env.address()));
    };
    let subnet = referenced(ctx, env, subnet_id, "azurerm_subnet")?;
    let vnet = referenced(
        ctx,
        subnet,
        subnet.get("virtual_network_name")?,
        "azurerm_virtual_network",
    )?;
    let endpoints: Vec<&Resource> = ctx
        .resources_of("azurerm_private_endpoint")
        .filter(|pe| {
            pe.body().blocks_of("private_service_connection").any(|c| {
                c.body
                    .get("private_connection_resource_id")
                    .and_then(|e| referenced(ctx, pe, e, "azurerm_container_registry"))
                    .is_some_and(|r| r.address() == registry.address())
            })
        })
        .collect();
    if endpoints.is_empty() {
        return Some("no private endpoint connects to it".to_string());
    }
    let mut zones = Vec::new();
    for pe in &endpoints {
        for group in pe.body().blocks_of("private_dns_zone_group") {
            let ids = group.body.get("private_dns_zone_ids")?;
            let crate::terraform::Expression::Array(ids) = ids else {
                return None;
            };
            for id in ids {
                zones.push(referenced(ctx, pe, id, "azurerm_private_dns_zone")?);
            }
        }
    }
    let linked = zones.iter().any(|zone| {
        referring(
            ctx,
            "azurerm_private_dns_zone_virtual_network_link",
            "private_dns_zone_name",
            zone,
        )
        .any(|link| {
            link.get("virtual_network_id")
                .and_then(|e| referenced(ctx, link, e, "azurerm_virtual_network"))
                .is_some_and(|v| v.address() == vnet.address())
        })
    });
    (!linked).then(|| {
        format!(
            "no private DNS zone of its private endpoint is linked to {}, the network of {}",
            vnet.address(),
            env.address()
        )
    })
}
