//! ACR008: registries do not enable Docker Content Trust (turned around: it used to require it).
//!
//! Azure rejects enabling content trust on a registry with 400 `ContentTrustUnsupported`
//! (hashicorp/terraform-provider-azurerm#32752; the argument is removed in azurerm 5.0): a configuration that
//! sets it fails on apply. Images are signed with Notation (Notary Project) instead, which needs no registry setting.

use crate::check::{Category, Check, EnabledWhen, Forbidden, Literal, Resources, Rule, Severity};

pub(super) static RULE: Rule = Rule {
    id: "ACR008",
    title: "Registry does not enable Docker Content Trust",
    severity: Severity::High,
    category: Category::ApplyTime {
        sources: &[
            "hashicorp/terraform-provider-azurerm#32752 (Azure answers 400 `ContentTrustUnsupported`)",
            "hashicorp/terraform-provider-azurerm v4.79.0, `internal/services/containers/container_registry_resource.go` \
             (`trust_policy_enabled` is sent as `TrustPolicy.Status`)",
        ],
    },
    resources: Resources::Types(&["azurerm_container_registry"]),
    enabled_when: EnabledWhen::Always,
    description: "An `azurerm_container_registry` does not set `trust_policy_enabled = true`. (Until infra 0.x this \
                  rule required content trust; Azure has since retired it.)",
    why: "Azure rejects enabling Docker Content Trust on a registry (400 ContentTrustUnsupported, \
          hashicorp/terraform-provider-azurerm#32752): the registry, and everything after it, fails to apply.",
    fix: "Remove `trust_policy_enabled` and sign images with Notation (`notation sign` in CI); verify the signature \
          before deploying.",
    checkov: &[],
    psrule: &[],
    check: Check::Forbidden(Forbidden {
        attribute: "trust_policy_enabled",
        values: &[Literal::Bool(true)],
        message: "content trust is enabled: Azure rejects it (ContentTrustUnsupported); sign with Notation instead",
        unset_message: None,
    }),
};
