//! ACR004: public network access is off, or a deny-by-default network rule set restricts it.

use crate::azurerm::facts::defaults::default_bool;
use crate::azurerm::facts::network::allows_every_address;
use crate::azurerm::facts::sku::{registry_allows, RegistryFeature, REGISTRY_SKUS};
use crate::check::{violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};
use crate::terraform::{expr, Attribute, Block, Expression, Resource};

fn object_key(k: &::hcl::ObjectKey) -> Option<String> {
    match k {
        ::hcl::ObjectKey::Identifier(i) => Some(i.to_string()),
        ::hcl::ObjectKey::Expression(Expression::String(s)) => Some(s.clone()),
        _ => None,
    }
}

/// An `ip_rule` of a network rule set written as an object (`network_rule_set = [{ … }]`, JSON) whose range
/// admits every address.
fn open_range(rule_set: &Expression) -> Option<String> {
    let Expression::Object(o) = rule_set else { return None };
    let (_, rules) = o.iter().find(|(k, _)| object_key(k).as_deref() == Some("ip_rule"))?;
    let Expression::Array(rules) = rules else { return None };
    rules.iter().find_map(|rule| {
        let Expression::Object(rule) = rule else { return None };
        rule.iter()
            .find(|(k, _)| object_key(k).as_deref() == Some("ip_range"))
            .and_then(|(_, v)| expr::as_str(v))
            .filter(|s| allows_every_address(s))
            .map(str::to_string)
    })
}

fn open_message(range: &str) -> String {
    format!("the network rule set denies by default but its `ip_rule` `{range}` allows every address")
}

pub(super) static RULE: Rule = Rule {
    id: "ACR004",
    title: "Registry network access is restricted",
    severity: Severity::Medium,
    category: Category::Registry,
    resources: Resources::Types(&["azurerm_container_registry"]),
    enabled_when: EnabledWhen::Always,
    description: "`azurerm_container_registry` has `public_network_access_enabled = false`, or a `network_rule_set` \
                  with `default_action = \"Deny\"` (an allow-list) none of whose `ip_rule` ranges admits every address \
                  (`0.0.0.0/0`, `::/0`).",
    why: "A registry open to every network can be probed and pulled from (with stolen credentials) from anywhere; \
          an allow-list limits that to known networks.",
    fix: "On Premium registries add `network_rule_set { default_action = \"Deny\" ip_rule { … } }` or turn public \
          network access off and use private endpoints. Basic and Standard registries cannot restrict networks: \
          upgrade the SKU where this matters (the finding is medium so it does not fail dev stacks by default).",
    checkov: &["CKV_AZURE_139"],
    psrule: &["Azure.ACR.Firewall"],
    check: Check::Custom(check),
};

fn check(ctx: &Context) -> Vec<Violation> {
    ctx.resources_of("azurerm_container_registry")
        .filter_map(registry_violation)
        .collect()
}

const ALLOWS_BY_DEFAULT: &str = "the network rule set allows by default (`default_action = \"Allow\"`)";
const NO_DEFAULT_ACTION: &str = "the network rule set has no `default_action` (it defaults to Allow)";

/// A registry whose public network access is on (written so, or by the provider's default) and that no
/// deny-by-default network rule set restricts.
fn registry_violation(r: &Resource) -> Option<Violation> {
    let body = r.body();
    let public_on = match body.get("public_network_access_enabled") {
        None => default_bool("azurerm_container_registry", "public_network_access_enabled") != Some(false),
        Some(e) => expr::as_bool(e) == Some(true),
    };
    if !public_on {
        return None; // false, or unknown
    }
    if let Some(rules) = body.block("network_rule_set") {
        return rule_set_block(r, rules);
    }
    // `network_rule_set` is an attribute-as-block: `network_rule_set { … }` in HCL, a list of objects in JSON
    // (and in HCL written as `network_rule_set = [{ … }]`).
    if let Some(a) = body.attribute("network_rule_set") {
        if let Verdict::Judged(v) = rule_set_attribute(r, a) {
            return v;
        }
    }
    Some(violation(
        r,
        body.attribute("public_network_access_enabled"),
        r.block,
        "public network access is on and no deny-by-default network rule set restricts it",
    ))
}

/// `network_rule_set { … }` written as a block: it allows by default, has no `default_action`, or an
/// `ip_rule` admits every address.
fn rule_set_block(r: &Resource, rules: &Block) -> Option<Violation> {
    match rules.body.get("default_action") {
        Some(e) if expr::as_str(e) == Some("Allow") => Some(violation(
            r,
            rules.body.attribute("default_action"),
            rules,
            ALLOWS_BY_DEFAULT,
        )),
        Some(_) => {
            let open = rules.body.blocks_of("ip_rule").find_map(|rule| {
                let a = rule.body.attribute("ip_range")?;
                expr::as_str(&a.value)
                    .filter(|s| allows_every_address(s))
                    .map(|s| (a, s))
            });
            open.map(|(a, range)| violation(r, Some(a), rules, open_message(range)))
        }
        None => Some(violation(r, None, rules, NO_DEFAULT_ACTION)),
    }
}

/// What a `network_rule_set` attribute says.
enum Verdict {
    /// Its first rule set was judged (or its value is not known): this is the rule's answer.
    Judged(Option<Violation>),
    /// There is no rule set: an empty list, or a non-literal value below Premium (where none can exist).
    NoRuleSet,
}

/// `network_rule_set = [{ … }]` (or one object): its first rule set judged as [`rule_set_block`] judges a block.
fn rule_set_attribute(r: &Resource, a: &Attribute) -> Verdict {
    let first = match &a.value {
        Expression::Array(items) => items.first(),
        object @ Expression::Object(_) => Some(object),
        // Not a literal: unknown — except below Premium, where no network rule set can exist.
        _ if super::registry_sku(r)
            .is_some_and(|s| REGISTRY_SKUS.contains(&s) && !registry_allows(s, RegistryFeature::NetworkRules)) =>
        {
            None
        }
        _ => return Verdict::Judged(None),
    };
    let Some(item) = first else {
        return Verdict::NoRuleSet;
    };
    let Expression::Object(o) = item else {
        return Verdict::Judged(None);
    };
    let action = o
        .iter()
        .find(|(k, _)| object_key(k).as_deref() == Some("default_action"))
        .map(|(_, v)| v);
    Verdict::Judged(match action {
        Some(e) if expr::as_str(e) == Some("Allow") => Some(violation(r, Some(a), r.block, ALLOWS_BY_DEFAULT)),
        Some(_) => open_range(item).map(|range| violation(r, Some(a), r.block, open_message(&range))),
        None => Some(violation(r, Some(a), r.block, NO_DEFAULT_ACTION)),
    })
}
