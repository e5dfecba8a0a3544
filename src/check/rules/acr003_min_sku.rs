//! ACR003: the registry SKU is at least Standard.

use crate::check::{Category, Check, EnabledWhen, Forbidden, Literal, Resources, Rule, Severity};

pub(super) static RULE: Rule = Rule {
    id: "ACR003",
    title: "Registry SKU is at least Standard",
    severity: Severity::Medium,
    category: Category::Registry,
    resources: Resources::Types(&["azurerm_container_registry"]),
    enabled_when: EnabledWhen::Always,
    description: "`sku` on `azurerm_container_registry` is `Standard` or `Premium`, not `Basic`.",
    why: "Basic registries have the lowest storage and throughput limits (image pulls are throttled under load) and \
          none of the network, replication or content-protection features.",
    fix: "Set `sku = \"Standard\"`, or `\"Premium\"` for production (network rules, geo-replication, zone \
          redundancy, content trust). The change is made in place.",
    checkov: &["CKV_AZURE_163"],
    psrule: &["Azure.ACR.MinSku"],
    check: Check::Forbidden(Forbidden {
        attribute: "sku",
        values: &[Literal::Str("Basic")],
        message: "the registry SKU is Basic",
        unset_message: None,
    }),
};
