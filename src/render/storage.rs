//! The `/data` volume's storage: `azurerm_storage_account.data`, `azurerm_storage_share.data`,
//! `azurerm_container_app_environment_storage.data`.

use super::common::{int, r, resource, resource_group_name, with_tags};
use crate::stack::Stack;
use crate::terraform::{Block, Expression};

pub(super) fn account(stack: &Stack) -> Block {
    let t = "azurerm_storage_account";
    let a = &stack.storage.account;
    let b = resource(t, "data")
        .attr("name", a.name.as_str())
        .attr("resource_group_name", resource_group_name())
        .attr("location", stack.location.as_str())
        .attr("account_kind", "StorageV2")
        .attr("account_tier", "Standard")
        .attr("account_replication_type", a.replication.as_str())
        .attr("min_tls_version", "TLS1_2")
        .attr("https_traffic_only_enabled", true)
        .attr("allow_nested_items_to_be_public", false)
        // The environment mounts the share with the account key: Container Apps environment storage for Azure
        // Files (SMB) takes only `account_name` + `access_key`, so shared-key access must stay on (STG004).
        .attr("shared_access_key_enabled", true)
        .attr_opt(
            "public_network_access_enabled",
            (!a.public_network_access_enabled).then_some(false),
        );
    let mut b = with_tags(b, stack, t);
    if let Some(rules) = &a.network_rules {
        // Trusted Azure services keep working (e.g. Azure Backup of the share); private endpoints are not subject
        // to the firewall (Microsoft Learn, "Azure Storage firewall rules"). The allowed addresses are the
        // stack's, as literals: no runner needs to be listed, since the provider reads the account through ARM
        // only (`STORAGE_DATA_PLANE_AVAILABLE` in files.rs).
        let ips = rules
            .ip_allow_list
            .iter()
            .map(|ip| Expression::from(ip.as_str()))
            .collect();
        b = b.block(
            Block::new("network_rules")
                .attr("default_action", rules.default_action.as_str())
                .attr("bypass", Expression::Array(vec!["AzureServices".into()]))
                .attr("ip_rules", Expression::Array(ips)),
        );
    }
    if let Some(period) = &a.sas_expiration_period {
        // A SAS valid for longer than the period is logged when used (expiration_action "Log", the provider's
        // default and, in 4.79, Azure's only action besides "Block").
        b = b.block(
            Block::new("sas_policy")
                .attr("expiration_period", period.as_str())
                .attr("expiration_action", "Log"),
        );
    }
    b
}

pub(super) fn share(stack: &Stack) -> Block {
    let s = &stack.storage.share;
    resource("azurerm_storage_share", "data")
        .attr("name", s.name.as_str())
        .attr("storage_account_id", r("azurerm_storage_account.data.id"))
        .attr("quota", int(s.quota_gb))
        .attr("enabled_protocol", "SMB")
}

pub(super) fn environment_storage(stack: &Stack) -> Block {
    let e = &stack.storage.environment_storage;
    resource("azurerm_container_app_environment_storage", "data")
        .attr("name", e.name.as_str())
        .attr("container_app_environment_id", super::common::environment_id(stack))
        .attr("account_name", r("azurerm_storage_account.data.name"))
        .attr("share_name", r("azurerm_storage_share.data.name"))
        // A reference to the sensitive attribute: the key never appears in a file.
        .attr("access_key", r("azurerm_storage_account.data.primary_access_key"))
        .attr("access_mode", e.access_mode.as_str())
        .attr_opt("depends_on", {
            let deps = super::network::private_path(stack, "file");
            (!deps.is_empty()).then_some(Expression::Array(deps))
        })
}
