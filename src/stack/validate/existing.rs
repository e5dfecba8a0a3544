//! `[existing]`: each of the registry, the identity and the environment is created (its table) or referenced
//! (`[existing.<what>]`), exactly one; the Log Analytics workspace is needed only by an environment the stack
//! creates; each reference is complete and of its kind (`existing.rs`); a referenced environment takes no
//! `[network]` (its subnet and load balancer are the platform's); `[network]` creates its virtual network or uses
//! `[existing.virtual_network]`, and what it asks of an existing subnet is only what the stack may do to a
//! subnet it does not own (`virtual_network`).

use super::{Rules, Seg};
use crate::stack::existing::{self, Kind};
use crate::stack::{ExistingResource, Stack};
use Seg::Key;

pub(super) fn check(stack: &Stack, r: &mut Rules) {
    let e = &stack.existing;
    one_of(
        r,
        "container_registry",
        stack.container_registry.is_some(),
        e.container_registry.is_some(),
    );
    one_of(r, "identity", stack.identity.is_some(), e.identity.is_some());
    one_of(r, "environment", stack.environment.is_some(), e.environment.is_some());
    let workspace = stack.log_analytics.is_some() || e.log_analytics.is_some();
    if e.environment.is_some() && workspace {
        let path = if stack.log_analytics.is_some() {
            vec![Key("log_analytics")]
        } else {
            vec![Key("existing"), Key("log_analytics")]
        };
        r.push(
            path,
            "a Log Analytics workspace with [existing.environment]: the environment sends its logs where the platform set them".to_string(),
            "remove the workspace: only an environment the stack creates needs one".to_string(),
        );
    } else if stack.environment.is_some() {
        one_of(
            r,
            "log_analytics",
            stack.log_analytics.is_some(),
            e.log_analytics.is_some(),
        );
    }
    if e.environment.is_some() && stack.network.is_some() {
        r.push(
            vec![Key("network")],
            "[network] with [existing.environment]: the network holds the subnet of an environment the stack creates"
                .to_string(),
            "remove [network] (the existing environment's network is the platform's), or create the environment here"
                .to_string(),
        );
    }
    let refs: [(Option<&ExistingResource>, Kind); 5] = [
        (e.container_registry.as_ref(), existing::REGISTRY),
        (e.environment.as_ref(), existing::ENVIRONMENT),
        (e.log_analytics.as_ref(), existing::LOG_ANALYTICS),
        (e.key_vault.as_ref(), existing::KEY_VAULT),
        (e.virtual_network.as_ref(), existing::VIRTUAL_NETWORK),
    ];
    for (reference, kind) in refs {
        if let Some((field, message, help)) = reference.and_then(|x| x.problem(kind)) {
            r.push(vec![Key("existing"), Key(kind.table), Key(field)], message, help);
        }
    }
    key_vault_id(stack, r);
    virtual_network(stack, r);
}

/// `[network]` with or without `[existing.virtual_network]`: the network's `name` and `address_space` exactly when
/// the stack creates it, an existing subnet (no `address_prefix`) only in an existing network, and nothing that
/// would change a subnet the stack does not own.
fn virtual_network(stack: &Stack, r: &mut Rules) {
    let existing = stack.existing.virtual_network.is_some();
    let Some(net) = &stack.network else {
        if existing {
            r.push(
                vec![Key("existing"), Key("virtual_network")],
                "[existing.virtual_network] without [network]: nothing of the stack is in it".to_string(),
                "add [network] with [network.environment_subnet] (name = an existing subnet's, or name and address_prefix of one to create in it)".to_string(),
            );
        }
        return;
    };
    let own = [
        ("name", net.name.is_some()),
        ("address_space", net.address_space.is_some()),
    ];
    for (field, given) in own {
        match (existing, given) {
            (true, true) => r.push(
                vec![Key("network"), Key(field)],
                format!("network.{field} with [existing.virtual_network]: the stack does not create the virtual network"),
                format!("remove network.{field}: the existing network has its own"),
            ),
            (false, false) => r.push(
                vec![Key("network"), Key(field)],
                format!("[network] has no {field}"),
                "give the virtual network's name and address_space, or refer to an existing network with [existing.virtual_network]".to_string(),
            ),
            _ => {}
        }
    }
    let subnets = [
        ("environment_subnet", Some(&net.environment_subnet)),
        ("private_endpoint_subnet", net.private_endpoint_subnet.as_ref()),
        ("runner_subnet", net.runner_subnet.as_ref()),
    ];
    for (key, subnet) in subnets {
        let Some(subnet) = subnet.filter(|s| !s.created()) else {
            continue;
        };
        let path = vec![Key("network"), Key(key), Key("address_prefix")];
        if !existing {
            r.push(
                path,
                format!("network.{key} has no address_prefix"),
                "give the subnet's range, e.g. \"10.20.0.0/27\"; a subnet without one is an existing subnet, which needs [existing.virtual_network]".to_string(),
            );
        } else if key == "runner_subnet" {
            r.push(
                path,
                format!("network.runner_subnet {:?} has no address_prefix: the stack would do nothing with an existing runners' subnet", subnet.name.as_str()),
                "remove [network.runner_subnet] (the runners' subnet exists already), or give address_prefix to create one".to_string(),
            );
        }
    }
    if existing && !net.environment_subnet.created() && net.network_security_group.is_some() {
        // The association is a PUT of the whole subnet (`subnet_network_security_group_association_resource.go`,
        // azurerm v4.79.0): it would replace the NSG the network team set, and remove it on destroy.
        r.push(
            vec![Key("network"), Key("network_security_group")],
            "[network.network_security_group] on an existing environment subnet: associating it rewrites a subnet the stack does not own".to_string(),
            "remove [network.network_security_group] (the existing subnet's NSG is the network team's), or create the environment's subnet here (give environment_subnet.address_prefix)".to_string(),
        );
    }
}

/// `[existing.key_vault] id`, the vault of the apps' and jobs' `key_vault_secret`s that have no `key_vault` of their
/// own, must be one `[…key_vault] id` accepts (a Key Vault name has no `--`: the provider's
/// `keyvault/validate/vault_name.go`, v4.79.0).
fn key_vault_id(stack: &Stack, r: &mut Rules) {
    let Some(id) = stack.existing.key_vault.as_ref().and_then(|k| k.id.as_ref()) else {
        return;
    };
    let path = vec![Key("existing"), Key("key_vault"), Key("id")];
    match crate::stack::names::KeyVaultId::new(id.as_str()) {
        Err(e) => r.push(path, format!("existing.key_vault.id {id:?} is not a Key Vault resource ID: {e}"), "copy the ID from `az keyvault show --name <vault> --query id`".to_string()),
        Ok(v) if v.vault_name().contains("--") => r.push(
            path,
            format!("existing.key_vault.id names vault {:?}, which has \"--\"", v.vault_name()),
            "a Key Vault name has no consecutive hyphens: copy the ID from `az keyvault show --name <vault> --query id`".to_string(),
        ),
        Ok(_) => {}
    }
}

/// `[<table>]` or `[existing.<table>]`, exactly one.
fn one_of(r: &mut Rules, table: &'static str, declared: bool, referenced: bool) {
    match (declared, referenced) {
        (true, true) => r.push(
            vec![Key("existing"), Key(table)],
            format!("[{table}] and [existing.{table}] are both set"),
            format!("create it with [{table}], or refer to an existing one with [existing.{table}], not both"),
        ),
        (false, false) => r.push(
            Vec::new(),
            format!("the stack has no [{table}]"),
            format!("add [{table}] to create it, or [existing.{table}] (name and resource_group_name) to use one that exists"),
        ),
        _ => {}
    }
}
