//! GEN001: resources carry the required tags.

use crate::check::{violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};
use crate::terraform::Expression;

pub(super) static RULE: Rule = Rule {
    id: "GEN001",
    title: "Required tags are present",
    severity: Severity::Medium,
    category: Category::General,
    resources: Resources::WithArgument("tags"),
    enabled_when: EnabledWhen::RequiredTags,
    description: "Every resource whose type has `tags` sets each tag listed in `required_tags` of infra.toml. Tags \
                  from a variable or function call are not judged; an object literal's keys are. Off when \
                  `required_tags` is empty.",
    why: "Tags are how costs, owners and on-call rotations are found; an untagged resource is an orphan.",
    fix: "Add the missing keys to `tags` (e.g. through a shared `local.tags`).",
    checkov: &[],
    psrule: &[],
    check: Check::Custom(check),
};

fn key_text(k: &::hcl::ObjectKey) -> Option<String> {
    match k {
        ::hcl::ObjectKey::Identifier(i) => Some(i.to_string()),
        ::hcl::ObjectKey::Expression(Expression::String(s)) => Some(s.clone()),
        _ => None,
    }
}

fn check(ctx: &Context) -> Vec<Violation> {
    let required = &ctx.settings.required_tags;
    if required.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for r in ctx.managed() {
        let has_tags = ctx
            .settings
            .schemas
            .resource(r.resource_type)
            .is_some_and(|s| s.attributes.contains_key("tags"))
            || r.get("tags").is_some();
        if !has_tags {
            continue;
        }
        let attr = r.body().attribute("tags");
        let present: Vec<String> = match attr.map(|a| &a.value) {
            None => Vec::new(),
            Some(Expression::Object(o)) => o.keys().filter_map(key_text).collect(),
            Some(_) => continue,
        };
        let missing: Vec<&str> = required
            .iter()
            .filter(|t| !present.contains(t))
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            out.push(violation(
                r,
                attr,
                r.block,
                format!("missing required tags: {}", missing.join(", ")),
            ));
        }
    }
    out
}
