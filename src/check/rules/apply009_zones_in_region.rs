//! APPLY009: zone redundancy only in regions with availability zones.

use super::apply_support::location;
use crate::azurerm::facts::regions::has_availability_zones;
use crate::check::{violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};
use crate::terraform::{expr, Attribute, Block, Resource};

pub(super) static RULE: Rule = Rule {
    id: "APPLY009",
    title: "Zone redundancy in a region without availability zones",
    severity: Severity::High,
    category: Category::ApplyTime {
        sources: &[
            "Microsoft Learn, \"Azure regions list\" (learn.microsoft.com/azure/reliability/regions-list, \
             \"Availability zone support\"; table in `src/azurerm/facts/regions.rs`)",
            "Microsoft Learn, \"Reliability in Azure Container Registry\", \"Reliability in Azure Container Apps\" and \
             \"Azure Storage redundancy\" (zone redundancy and ZRS/GZRS need a region with availability zones)",
        ],
    },
    resources: Resources::Types(&[
        "azurerm_container_registry",
        "azurerm_container_app_environment",
        "azurerm_storage_account",
    ]),
    enabled_when: EnabledWhen::Always,
    description: "`zone_redundancy_enabled = true` on an `azurerm_container_registry` (or one of its \
                  `georeplications`) or an `azurerm_container_app_environment`, or an `azurerm_storage_account` \
                  with `account_replication_type` ZRS, GZRS or RAGZRS, is in a region Microsoft lists without \
                  availability zones. A region the table does not list is not judged.",
    why: "Azure refuses zone redundancy where there are no zones: the apply fails. The setting forces replacement, \
          so it is only chosen when the resource is created.",
    fix: "Choose a region with availability zones, or turn zone redundancy off there (LRS/GRS for storage).",
    checkov: &[],
    psrule: &[],
    check: Check::Custom(check),
};

const ZONE_REDUNDANT_STORAGE: [&str; 3] = ["ZRS", "GZRS", "RAGZRS"];

fn check(ctx: &Context) -> Vec<Violation> {
    let mut out = Vec::new();
    for t in ["azurerm_container_registry", "azurerm_container_app_environment"] {
        for r in ctx.resources_of(t) {
            let zr = r.body().attribute("zone_redundancy_enabled");
            if zr.is_some_and(|a| expr::as_bool(&a.value) == Some(true)) {
                judge(r, location(ctx, r), zr, r.block, "zone redundancy", &mut out);
            }
            for g in r.body().blocks_of("georeplications") {
                let zr = g.body.attribute("zone_redundancy_enabled");
                if zr.is_some_and(|a| expr::as_bool(&a.value) == Some(true)) {
                    let at = g.body.get("location").and_then(expr::as_str);
                    judge(r, at, zr, g, "a zone-redundant replica", &mut out);
                }
            }
        }
    }
    for sa in ctx.resources_of("azurerm_storage_account") {
        let rep = sa.body().attribute("account_replication_type");
        if rep
            .and_then(|a| expr::as_str(&a.value))
            .is_some_and(|v| ZONE_REDUNDANT_STORAGE.iter().any(|z| z.eq_ignore_ascii_case(v)))
        {
            judge(sa, location(ctx, sa), rep, sa.block, "zone-redundant storage", &mut out);
        }
    }
    out
}

fn judge(
    res: &Resource,
    region: Option<&str>,
    at: Option<&Attribute>,
    block: &Block,
    what: &str,
    out: &mut Vec<Violation>,
) {
    let Some(region) = region else { return };
    if has_availability_zones(region) == Some(false) {
        out.push(violation(
            res,
            at,
            block,
            format!("{what} in {region}, a region without availability zones: Azure refuses it"),
        ));
    }
}
