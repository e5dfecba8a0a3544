//! `azurerm_container_registry.main` with its geo-replicas (sorted by location) and firewall.

use super::common::{int, resource, resource_group_name, tags, unless_default, with_tags};
use crate::stack::{ContainerRegistry, Stack};
use crate::terraform::{Block, Expression};

pub(super) fn block(stack: &Stack, reg: &ContainerRegistry) -> Block {
    let t = "azurerm_container_registry";
    // Optional settings are written only when they differ from the provider default.
    let set = |argument: &str, value: bool| unless_default(t, argument, value);
    let mut b = resource(t, "main")
        .attr("name", reg.name.as_str())
        .attr("resource_group_name", resource_group_name())
        .attr("location", stack.location.as_str())
        .attr("sku", reg.sku.as_str())
        .attr("admin_enabled", reg.admin_enabled)
        .attr("anonymous_pull_enabled", reg.anonymous_pull_enabled)
        .attr("public_network_access_enabled", reg.public_network_access_enabled)
        .attr_opt(
            "zone_redundancy_enabled",
            set("zone_redundancy_enabled", reg.zone_redundancy_enabled),
        )
        .attr_opt("retention_policy_in_days", reg.retention_days.map(int))
        .attr_opt(
            "trust_policy_enabled",
            set("trust_policy_enabled", reg.trust_policy_enabled),
        )
        .attr_opt(
            "quarantine_policy_enabled",
            set("quarantine_policy_enabled", reg.quarantine_policy_enabled),
        )
        .attr_opt(
            "data_endpoint_enabled",
            set("data_endpoint_enabled", reg.data_endpoint_enabled),
        )
        .attr_opt(
            "export_policy_enabled",
            set("export_policy_enabled", reg.export_policy_enabled),
        );
    if let Some(rules) = &reg.network_rules {
        // `network_rule_set` is an attribute of type list(object) ("attribute as block" in the provider).
        let ip_rules: Vec<Expression> = rules
            .ip_allow_list
            .iter()
            .map(|ip| {
                let mut o = hcl::Object::new();
                o.insert(hcl::ObjectKey::from("action"), Expression::from("Allow"));
                // The provider reads bare addresses back as `/32`: write them so, or every plan shows a diff.
                let range = crate::azurerm::facts::normalize::ip_range(ip);
                o.insert(hcl::ObjectKey::from("ip_range"), Expression::from(range));
                Expression::Object(o)
            })
            .collect();
        let mut set = hcl::Object::new();
        set.insert(
            hcl::ObjectKey::from("default_action"),
            Expression::from(rules.default_action.as_str()),
        );
        set.insert(hcl::ObjectKey::from("ip_rule"), Expression::Array(ip_rules));
        b = b.attr("network_rule_set", Expression::Array(vec![Expression::Object(set)]));
    }
    b = with_tags(b, stack, t);
    for geo in reg.geo_replications_sorted() {
        b = b.block(
            Block::new("georeplications")
                .attr("location", geo.location.as_str())
                .attr("zone_redundancy_enabled", geo.zone_redundancy_enabled)
                .attr_opt("regional_endpoint_enabled", geo.regional_endpoint_enabled)
                .attr_opt("tags", tags(stack, t)),
        );
    }
    b
}
