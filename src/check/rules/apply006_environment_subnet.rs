//! APPLY006: a Container Apps environment's subnet is large enough and delegated as its type needs.

use crate::azurerm::facts::network::{
    ipv4_range, CONSUMPTION_ONLY_LONGEST_PREFIX, ENVIRONMENT_DELEGATION, WORKLOAD_PROFILES_LONGEST_PREFIX,
};
use crate::check::{violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};
use crate::terraform::{expr, Resource};

pub(super) static RULE: Rule = Rule {
    id: "APPLY006",
    title: "Container Apps environment subnet too small or not delegated",
    severity: Severity::High,
    category: Category::ApplyTime {
        sources: &[
            "Microsoft Learn, \"Configure virtual networks in Azure Container Apps environments\" \
             (learn.microsoft.com/azure/container-apps/custom-virtual-networks, \"Subnet\": workload profiles \
             environment /27 or larger, delegated to `Microsoft.App/environments`; Consumption-only environment /23 \
             or larger)",
            "hashicorp/terraform-provider-azurerm v4.79.0, `internal/services/containerapps/container_app_environment_resource.go` \
             (`infrastructure_subnet_id` is passed to Azure as `VnetConfiguration.InfrastructureSubnetId`; the \
             provider checks neither)",
        ],
    },
    resources: Resources::Types(&["azurerm_container_app_environment"]),
    enabled_when: EnabledWhen::Always,
    description: "The `azurerm_subnet` an `azurerm_container_app_environment`'s `infrastructure_subnet_id` refers to \
                  is at least /27 and delegated to `Microsoft.App/environments` when the environment has a \
                  `workload_profile` block (a workload profiles environment), and at least /23 when it has none \
                  (Consumption-only). Judged on the subnet's first literal `address_prefixes` entry.",
    why: "Azure refuses to create the environment in a smaller or undelegated subnet, after the network is built; \
          `infrastructure_subnet_id` forces replacement, so fixing it later replaces the environment and every app \
          in it.",
    fix: "Give the environment its own subnet of /27 or larger (workload profiles; /23 for Consumption-only) with \
          `delegation { service_delegation { name = \"Microsoft.App/environments\" } }`.",
    checkov: &[],
    psrule: &[],
    check: Check::Custom(check),
};

fn check(ctx: &Context) -> Vec<Violation> {
    let mut out = Vec::new();
    for env in ctx.resources_of("azurerm_container_app_environment") {
        let Some(at) = env.body().attribute("infrastructure_subnet_id") else {
            continue;
        };
        let Some(subnet) = super::apply_support::referenced(ctx, env, &at.value, "azurerm_subnet") else {
            continue;
        };
        let workload_profiles = env.body().block("workload_profile").is_some();
        let (kind, longest) = if workload_profiles {
            ("a workload profiles environment", WORKLOAD_PROFILES_LONGEST_PREFIX)
        } else {
            ("a Consumption-only environment", CONSUMPTION_ONLY_LONGEST_PREFIX)
        };
        let prefix = first_prefix(subnet);
        if let Some(p) = prefix.filter(|p| *p > longest) {
            out.push(violation(
                env,
                Some(at),
                env.block,
                format!("{} is a /{p}; {kind} needs /{longest} or larger", subnet.address()),
            ));
        }
        if workload_profiles && !delegated(subnet) {
            out.push(violation(
                env,
                Some(at),
                env.block,
                format!(
                    "{} is not delegated to {ENVIRONMENT_DELEGATION}; {kind} needs it",
                    subnet.address()
                ),
            ));
        }
    }
    out
}

/// The prefix length of the subnet's first address prefix, when it is a literal.
fn first_prefix(subnet: &Resource) -> Option<u8> {
    let first = match subnet.get("address_prefixes")? {
        crate::terraform::Expression::Array(items) => expr::as_str(items.first()?)?,
        _ => return None,
    };
    ipv4_range(first)?.2
}

/// True when the subnet has a delegation to `Microsoft.App/environments`, or one whose name is not a literal.
fn delegated(subnet: &Resource) -> bool {
    subnet
        .body()
        .blocks_of("delegation")
        .flat_map(|d| d.body.blocks_of("service_delegation"))
        .any(|s| {
            s.body
                .get("name")
                .is_none_or(|n| expr::as_str(n).is_none_or(|n| n == ENVIRONMENT_DELEGATION))
        })
        || subnet
            .body()
            .blocks_of("dynamic")
            .any(|d| d.labels.first().is_some_and(|l| l == "delegation"))
}
