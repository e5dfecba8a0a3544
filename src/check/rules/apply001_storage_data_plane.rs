//! APPLY001: a network-restricted storage account is refreshed through ARM only.

use crate::check::{violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};
use crate::terraform::{expr, Attribute, Block, Config, Expression, Resource};

pub(super) static RULE: Rule = Rule {
    id: "APPLY001",
    title: "Network-restricted storage with the provider's storage data plane on",
    severity: Severity::High,
    category: Category::ApplyTime {
        sources: &[
            "hashicorp/terraform-provider-azurerm v4.79.0, `internal/services/storage/storage_account_resource.go` \
             (read: with the data plane available, refresh reads the blob and queue service properties and the \
             static website from the account's data-plane endpoints)",
            "hashicorp/terraform-provider-azurerm v4.79.0, `internal/provider/features.go` \
             (`features { storage { data_plane_available } }`, default `true`)",
            "hashicorp/terraform-provider-azurerm v4.79.0, `website/docs/r/storage_account_network_rules.html.markdown` \
             (IP rules do not match clients in the same region, which reach the account over Azure's network)",
        ],
    },
    resources: Resources::Types(&["azurerm_storage_account"]),
    enabled_when: EnabledWhen::Always,
    description: "An `azurerm_storage_account` with `public_network_access_enabled = false`, or a firewall that denies \
                  by default (`network_rules { default_action = \"Deny\" }`, or an \
                  `azurerm_storage_account_network_rules` with `default_action = \"Deny\"`), is managed by an \
                  `azurerm` provider block whose `features { storage { data_plane_available } }` is not `false`. Not \
                  judged when the configuration has no `provider \"azurerm\"` block for the account (a module on its \
                  own) or the setting is not a literal.",
    why: "With the data plane available, every refresh of the account reads its blob and queue properties from the \
          account's own endpoints, which the firewall refuses (403) to anyone outside the network: `terraform plan` \
          from a hosted CI runner, Cloud Shell or a runner in the same region (IP rules do not match those) fails \
          before it shows anything. An IP allow-list variable changes only the desired configuration, not what \
          refresh meets.",
    fix: "Set `provider \"azurerm\" { features { storage { data_plane_available = false } } }` and manage shares \
          through ARM (`azurerm_storage_share.storage_account_id`); the provider then refuses `queue_properties` and \
          `static_website`, which need the data plane.",
    checkov: &[],
    psrule: &[],
    check: Check::Custom(check),
};

fn check(ctx: &Context) -> Vec<Violation> {
    let mut out = Vec::new();
    for sa in ctx.resources_of("azurerm_storage_account") {
        let Some(restricted) = restriction(ctx, sa) else {
            continue;
        };
        let Some(provider) = provider_block(ctx.config, sa) else {
            continue;
        };
        let Some(at) = data_plane_on(provider) else { continue };
        let (what, attribute) = restricted;
        let setting = match at {
            Some(_) => "`data_plane_available = true`",
            None => "the provider's storage data plane on (the default)",
        };
        out.push(violation(
            sa,
            attribute,
            sa.block,
            format!(
                "{what}, and provider \"azurerm\"{} has {setting}: refreshing the account from outside its network fails (403)",
                provider
                    .body
                    .get("alias")
                    .and_then(expr::as_str)
                    .map(|a| format!(" (alias {a})"))
                    .unwrap_or_default()
            ),
        ));
    }
    out
}

/// What restricts the account's network, and where it is written.
fn restriction<'a>(ctx: &Context<'a>, sa: &Resource<'a>) -> Option<(&'static str, Option<&'a Attribute>)> {
    let public = sa.body().attribute("public_network_access_enabled");
    if public.is_some_and(|a| expr::as_bool(&a.value) == Some(false)) {
        return Some(("public network access is off", public));
    }
    let deny = |a: Option<&Attribute>| {
        a.is_some_and(|a| expr::as_str(&a.value).is_some_and(|v| v.eq_ignore_ascii_case("deny")))
    };
    if let Some(rules) = sa.body().block("network_rules") {
        let action = rules.body.attribute("default_action");
        if deny(action) {
            return Some(("the storage firewall denies by default", action));
        }
    }
    let separate =
        super::apply_support::referring(ctx, "azurerm_storage_account_network_rules", "storage_account_id", sa)
            .any(|r| deny(r.body().attribute("default_action")));
    separate.then_some((
        "the storage firewall denies by default (azurerm_storage_account_network_rules)",
        None,
    ))
}

/// The `provider "azurerm"` block that manages `res`: the one whose `alias` its `provider` argument names, or the
/// one without an alias.
fn provider_block<'a>(config: &'a Config, res: &Resource) -> Option<&'a Block> {
    let alias = res
        .get("provider")
        .map(expr::to_hcl)
        .and_then(|p| p.split_once('.').map(|(_, a)| a.to_string()));
    config
        .blocks_of("provider")
        .map(|(_, b)| b)
        .filter(|b| b.labels.first().is_some_and(|l| l == "azurerm"))
        .find(|b| b.body.get("alias").and_then(expr::as_str).map(str::to_string) == alias)
}

/// Whether the provider's storage data plane is on: `Some(Some(attribute))` when set to `true`, `Some(None)` when
/// left out (default `true`), `None` when off or not a literal.
fn data_plane_on(provider: &Block) -> Option<Option<&Expression>> {
    let storage = provider
        .body
        .blocks_of("features")
        .flat_map(|f| f.body.blocks_of("storage"))
        .next();
    match storage.and_then(|s| s.body.get("data_plane_available")) {
        None => Some(None),
        Some(e) => (expr::as_bool(e) == Some(true)).then_some(Some(e)),
    }
}
