//! GEN002: resources are in allowed regions.

use crate::check::settings_normalize_region;
use crate::check::{str_attr, violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};

pub(super) static RULE: Rule = Rule {
    id: "GEN002",
    title: "Resources are in allowed regions",
    severity: Severity::High,
    category: Category::General,
    resources: Resources::WithArgument("location"),
    enabled_when: EnabledWhen::AllowedRegions,
    description: "Every literal `location` (and registry replica `georeplications.location`) is one of \
                  `allowed_regions` in infra.toml, compared as the provider does (`West Europe` = `westeurope`). \
                  Off when `allowed_regions` is empty.",
    why: "Data residency and compliance commitments name regions; a resource elsewhere breaks them.",
    fix: "Move the resource to an allowed region (location is force-new: the resource is replaced).",
    checkov: &[],
    psrule: &["Azure.Resource.AllowedRegions"],
    check: Check::Custom(check),
};

fn check(ctx: &Context) -> Vec<Violation> {
    let allowed = &ctx.settings.allowed_regions;
    if allowed.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for r in ctx.managed() {
        let bodies =
            std::iter::once((r.block, r.body())).chain(r.body().blocks_of("georeplications").map(|g| (g, &g.body)));
        for (block, body) in bodies {
            if let Some(loc) = str_attr(body, "location") {
                if !allowed.contains(&settings_normalize_region(loc)) {
                    out.push(violation(
                        r,
                        body.attribute("location"),
                        block,
                        format!("{loc} is not an allowed region ({})", allowed.join(", ")),
                    ));
                }
            }
        }
    }
    out
}
