//! STG004: shared-key access is enabled only when an Azure Files volume needs it.

use crate::azurerm::facts::defaults::default_bool;
use crate::check::{violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};
use crate::terraform::{expr, Resource};
use std::collections::HashMap;

pub(super) static RULE: Rule = Rule {
    id: "STG004",
    title: "Storage shared-key access only where Azure Files needs it",
    severity: Severity::Medium,
    category: Category::Storage,
    resources: Resources::Types(&["azurerm_storage_account"]),
    enabled_when: EnabledWhen::Always,
    description: "`shared_access_key_enabled` of `azurerm_storage_account` (default `true`) is `false`, unless an \
                  `azurerm_container_app_environment_storage` mounts a share of the account with its access key — \
                  then it must stay `true`. An azapi `Microsoft.App/managedEnvironments/storages` whose `body` or \
                  `sensitive_body` takes the account's `primary_access_key`/`secondary_access_key` (ARM \
                  `properties.azureFile.accountKey`, also through module arguments) mounts it the same way. checkov's CKV2_AZURE_40 cannot know about the mount and fires anyway; \
                  infra follows the reference from the environment storage to the account.",
    why: "Shared keys are all-powerful, never expire and are not tied to an identity. Container Apps mounts SMB \
          Azure Files shares only with the account key, so turning keys off there breaks the volume.",
    fix: "Set `shared_access_key_enabled = false` on accounts no Azure Files volume mounts; keep it on (and rotate \
          the key) for accounts that back a container app volume.",
    checkov: &["CKV2_AZURE_40"],
    psrule: &["Azure.Storage.LocalAuth"],
    check: Check::Custom(check),
};

fn check(ctx: &Context) -> Vec<Violation> {
    // account instance address, or literal account name → the first environment storage that mounts it with the
    // key (references in a configuration, literal names in a plan's planned values); `certain` is false when the
    // reference's index is not known (it may mount any of the instances).
    let mut mounts: HashMap<String, (&Resource, bool)> = HashMap::new();
    for s in ctx.resources_of("azurerm_container_app_environment_storage") {
        for e in ["access_key", "account_name"].iter().filter_map(|a| s.get(a)) {
            for account in ctx.targets(s, e) {
                let entry = mounts.entry(account.address).or_insert((s, account.exact));
                entry.1 |= account.exact;
            }
        }
        if let Some(name) = s.get("account_name").and_then(expr::as_str) {
            mounts.entry(format!("name:{name}")).or_insert((s, true));
        }
    }
    // The same mount created with azapi (ARM `Microsoft.App/managedEnvironments/storages`,
    // `properties.azureFile.accountKey`: Azure/bicep-types-az, Microsoft.App managedEnvironments/storages): the
    // account whose key its body takes, written there or passed in through module arguments.
    for s in ctx.resources_of(crate::check::azapi::AZAPI_RESOURCE).filter(|s| {
        s.get("type").and_then(expr::as_str).is_some_and(|t| {
            t.split('@')
                .next()
                .is_some_and(|t| t.eq_ignore_ascii_case("Microsoft.App/managedEnvironments/storages"))
        })
    }) {
        for e in ["body", "sensitive_body"].iter().filter_map(|a| s.get(a)) {
            for account in ctx.targets(s, e).into_iter().filter(|t| {
                t.resource_type == "azurerm_storage_account"
                    && matches!(t.attribute.as_str(), "primary_access_key" | "secondary_access_key")
            }) {
                let entry = mounts.entry(account.address).or_insert((s, account.exact));
                entry.1 |= account.exact;
            }
        }
    }
    let mut out = Vec::new();
    for sa in ctx.resources_of("azurerm_storage_account") {
        let by_name = sa.get("name").and_then(expr::as_str).map(|n| format!("name:{n}"));
        let mounted_by = mounts
            .get(&sa.address().to_string())
            .or_else(|| by_name.and_then(|n| mounts.get(&n)));
        let attr = sa.body().attribute("shared_access_key_enabled");
        let enabled = match attr {
            None => default_bool("azurerm_storage_account", "shared_access_key_enabled"),
            Some(a) => expr::as_bool(&a.value),
        };
        match (enabled, mounted_by) {
            (Some(true), None) => out.push(violation(
                sa,
                attr,
                sa.block,
                "shared-key access is enabled but no Azure Files volume needs it",
            )),
            (Some(false), Some((m, true))) => out.push(violation(
                sa,
                attr,
                sa.block,
                format!(
                    "shared-key access is disabled but {} mounts a share with the account key",
                    m.address()
                ),
            )),
            _ => {}
        }
    }
    out
}
