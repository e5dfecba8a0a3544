//! GEN003: every in-source suppression says why, and names real rules.

use crate::check::{Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};

pub(super) static RULE: Rule = Rule {
    id: "GEN003",
    title: "In-source suppressions give a reason",
    severity: Severity::Medium,
    category: Category::General,
    resources: Resources::Comments,
    enabled_when: EnabledWhen::Always,
    description: "Every `# infra:ignore[ID] reason` comment names existing rules, has a reason (and a valid \
                  `until=YYYY-MM-DD` if it has one), and every `#checkov:skip=CKV_…:reason` has a reason. One that \
                  does not suppresses nothing.",
    why: "A suppression is a decision someone will have to revisit; without a reason nobody can tell whether it \
          still holds, and a typo in a rule ID would silently suppress nothing.",
    fix: "Write why the finding is acceptable after the brackets: `# infra:ignore[ACR004] public by design: \
          status page` (optionally `until=2027-06-30`), or `#checkov:skip=CKV_AZURE_139:why`.",
    checkov: &[],
    psrule: &[],
    check: Check::Custom(check),
};

fn check(ctx: &Context) -> Vec<Violation> {
    ctx.inline()
        .iter()
        .filter_map(|s| {
            Some(Violation {
                address: s.address.clone().unwrap_or_else(|| "-".into()),
                location: Some(s.location.clone()),
                message: s.problem.clone()?,
            })
        })
        .collect()
}
