//! KV001: Key Vault uses Azure RBAC authorization.

use crate::check::{violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};
use crate::terraform::expr;

pub(super) static RULE: Rule = Rule {
    id: "KV001",
    title: "Key Vault uses Azure RBAC authorization",
    severity: Severity::Medium,
    category: Category::KeyVault,
    resources: Resources::Types(&["azurerm_key_vault"]),
    enabled_when: EnabledWhen::Always,
    description: "`azurerm_key_vault` sets `rbac_authorization_enabled = true` (or the deprecated \
                  `enable_rbac_authorization = true`); unset, the provider leaves it `false` and the vault uses \
                  access policies (azurerm 4.79.0 schema and `key_vault_resource.go`).",
    why: "With access policies, anyone who can write the vault (Contributor) can grant themselves its secrets, and \
          grants cannot be scoped to one secret or audited like role assignments. Container apps read Key Vault \
          references with an identity granted \"Key Vault Secrets User\" (Microsoft Learn, \"Azure role-based \
          access control for Key Vault data plane operations\"; \"Manage secrets in Azure Container Apps\").",
    fix: "Set `rbac_authorization_enabled = true` and grant \"Key Vault Secrets User\" to the identities that read \
          secrets (infra does this for a stack's app).",
    checkov: &[],
    psrule: &[],
    check: Check::Custom(check),
};

fn check(ctx: &Context) -> Vec<Violation> {
    let mut out = Vec::new();
    for r in ctx.resources_of("azurerm_key_vault") {
        let body = r.body();
        let set = ["rbac_authorization_enabled", "enable_rbac_authorization"]
            .iter()
            .filter_map(|name| body.attribute(name))
            .collect::<Vec<_>>();
        if set.iter().any(|a| expr::as_bool(&a.value) != Some(false)) {
            continue;
        }
        out.push(violation(
            r,
            set.first().copied(),
            r.block,
            "the vault uses access policies, not Azure RBAC (`rbac_authorization_enabled` is not `true`)",
        ));
    }
    out
}
