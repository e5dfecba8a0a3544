//! APPLY003: a registry disables export only with public network access off.

use crate::azurerm::facts::defaults::default_bool;
use crate::check::{violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};
use crate::terraform::expr;

pub(super) static RULE: Rule = Rule {
    id: "APPLY003",
    title: "Registry disables export while public network access is on",
    severity: Severity::High,
    category: Category::ApplyTime {
        sources: &[
            "hashicorp/terraform-provider-azurerm v4.79.0, `internal/services/containers/container_registry_resource.go` \
             (CustomizeDiff: \"to disable export of artifacts, `public_network_access_enabled` must also be `false`\")",
            "Microsoft Learn, \"Disable export of artifacts from an Azure container registry\"",
        ],
    },
    resources: Resources::Types(&["azurerm_container_registry"]),
    enabled_when: EnabledWhen::Always,
    description: "An `azurerm_container_registry` with `export_policy_enabled = false` also sets \
                  `public_network_access_enabled = false` (the provider default is `true`).",
    why: "The provider refuses the combination when planning: `terraform plan` fails before anything is created.",
    fix: "Set `public_network_access_enabled = false` (with a private endpoint for the registry and a build agent \
          inside the network), or keep export allowed until then (and waive ACR011 with a reason).",
    checkov: &[],
    psrule: &[],
    check: Check::Custom(check),
};

fn check(ctx: &Context) -> Vec<Violation> {
    ctx.resources_of("azurerm_container_registry")
        .filter_map(|r| {
            let export = r.body().attribute("export_policy_enabled")?;
            if expr::as_bool(&export.value) != Some(false) {
                return None;
            }
            let public = match r.get("public_network_access_enabled") {
                None => default_bool("azurerm_container_registry", "public_network_access_enabled"),
                Some(e) => expr::as_bool(e),
            };
            (public == Some(true)).then(|| {
                violation(
                    r,
                    Some(export),
                    r.block,
                    "export is disabled while public network access is on: the provider refuses the plan",
                )
            })
        })
        .collect()
}
