//! What Azure Resource Manager uses when a property is absent: the value the REST spec documents (a `"default"`
//! in the schema, or "the default interpretation is …" in its description), written here once, in ARM's own
//! spelling, and placed by [`ARM_DEFAULTS`] (ARM type, property path, source), which [`fill`] writes into every
//! body — live and `azapi_resource` bodies alike — before its reader (`src/azurerm/arm/`) reads it; readers hold
//! no default of their own.
//!
//! Each constant names its spec file (in Azure/azure-rest-api-specs, under `specification/`), the definition and
//! what it documents. Where the spec documents nothing and the service still behaves so, the source is the
//! Microsoft Learn page that says so, and the doc comment says the spec is silent.
//! Tests (`src/azurerm/arm/mod.rs`) read an ARM body without each property and expect its default here.

use serde_json::{Map, Value};

// Microsoft.ContainerRegistry 2023-07-01:
// `containerregistry/resource-manager/Microsoft.ContainerRegistry/stable/2023-07-01/containerregistry.json`.

/// `RegistryProperties.adminUserEnabled`: `"default": false`.
pub(crate) const REGISTRY_ADMIN_USER_ENABLED: bool = false;
/// `RegistryProperties.publicNetworkAccess`: `"default": "Enabled"`.
pub(crate) const REGISTRY_PUBLIC_NETWORK_ACCESS: &str = "Enabled";
/// `RegistryProperties.zoneRedundancy`: `"default": "Disabled"`.
pub(crate) const REGISTRY_ZONE_REDUNDANCY: &str = "Disabled";
/// `RegistryProperties.dataEndpointEnabled`: the spec documents no default; a registry has no dedicated data
/// endpoints until they are enabled (Microsoft Learn, "Mitigate data exfiltration with dedicated data
/// endpoints", `azure/container-registry/container-registry-dedicated-data-endpoints`), and azurerm 4.79.0's
/// Create sends `false` when unset ([`super::defaults`]).
pub(crate) const REGISTRY_DATA_ENDPOINT_ENABLED: bool = false;
/// `NetworkRuleSet.defaultAction`: `"default": "Allow"`.
pub(crate) const REGISTRY_NETWORK_DEFAULT_ACTION: &str = "Allow";
/// `IPRule.action`: `"default": "Allow"` (the only value of its enum).
pub(crate) const REGISTRY_IP_RULE_ACTION: &str = "Allow";
/// `QuarantinePolicy.status`: `"default": "disabled"`.
pub(crate) const REGISTRY_QUARANTINE_POLICY_STATUS: &str = "disabled";
/// `TrustPolicy.status`: `"default": "disabled"`.
pub(crate) const REGISTRY_TRUST_POLICY_STATUS: &str = "disabled";
/// `RetentionPolicy.status`: `"default": "disabled"`.
pub(crate) const REGISTRY_RETENTION_POLICY_STATUS: &str = "disabled";
/// `RetentionPolicy.days`: `"default": 7` (read when the policy is enabled; a disabled policy reads as 0 days,
/// as azurerm keeps it).
pub(crate) const REGISTRY_RETENTION_POLICY_DAYS: i64 = 7;
/// `ExportPolicy.status`: `"default": "enabled"`.
pub(crate) const REGISTRY_EXPORT_POLICY_STATUS: &str = "enabled";
/// `ReplicationProperties.regionEndpointEnabled`: `"default": true`.
pub(crate) const REPLICATION_REGION_ENDPOINT_ENABLED: bool = true;
/// `ReplicationProperties.zoneRedundancy`: `"default": "Disabled"`.
pub(crate) const REPLICATION_ZONE_REDUNDANCY: &str = "Disabled";
/// `WebhookPropertiesCreateParameters.status`: the spec documents no default; a webhook is created enabled
/// (Microsoft Learn, `az acr webhook create`: `--status`, default `enabled`, `cli/azure/acr/webhook`).
pub(crate) const WEBHOOK_STATUS: &str = "enabled";

// Microsoft.ContainerRegistry tasks 2019-04-01:
// `containerregistry/resource-manager/Microsoft.ContainerRegistry/stable/2019-04-01/containerregistry_build.json`.

/// `TaskProperties.status`: the spec documents no default; a task is created enabled (Microsoft Learn,
/// `az acr task create`: `--status`, default `Enabled`, `cli/azure/acr/task`).
pub(crate) const TASK_STATUS: &str = "Enabled";
/// `TimerTrigger.status`: `"default": "Enabled"`.
pub(crate) const TIMER_TRIGGER_STATUS: &str = "Enabled";
/// `TaskProperties.isSystemTask`: not in 2019-04-01; where the spec has it
/// (`…/preview/2019-06-01-preview/containerregistry_build.json`), `"default": false`.
pub(crate) const TASK_IS_SYSTEM_TASK: bool = false;

// Microsoft.App 2024-03-01: `app/resource-manager/Microsoft.App/stable/2024-03-01/ContainerApps.json` and
// `CommonDefinitions.json` (the same definitions live under `Microsoft.App/ContainerApps/stable/2024-03-01/` in
// the specs' newer layout).

/// `Configuration.activeRevisionsMode` (`ContainerApps.json`): `"default": "Single"` ("If no value if provided,
/// this is the default").
pub(crate) const CONTAINER_APP_ACTIVE_REVISIONS_MODE: &str = "Single";
/// `Scale.maxReplicas` (`CommonDefinitions.json`): `"default": 10` ("Defaults to 10 if not set").
pub(crate) const CONTAINER_APP_MAX_REPLICAS: i64 = 10;
/// `Ingress.external` (`ContainerApps.json`): `"default": false`.
pub(crate) const INGRESS_EXTERNAL: bool = false;
/// `Ingress.allowInsecure` (`ContainerApps.json`): `"default": false` ("If set to false HTTP connections are
/// automatically redirected to HTTPS connections").
pub(crate) const INGRESS_ALLOW_INSECURE: bool = false;
/// `ContainerAppProbe.httpGet.scheme` (`CommonDefinitions.json`): "Scheme to use for connecting to the host.
/// Defaults to HTTP." (no `"default"` key; the description states it).
pub(crate) const PROBE_HTTP_SCHEME: &str = "HTTP";
/// `VnetConfiguration.internal` (`ManagedEnvironments.json`): no documented default; an environment is
/// external (has a public endpoint) unless created internal (Microsoft Learn, "Networking in Azure Container
/// Apps environment", `azure/container-apps/networking`), and azurerm 4.79.0 sends `false` when
/// `internal_load_balancer_enabled` is unset (`data/provider-notes.json`).
pub(crate) const ENVIRONMENT_VNET_INTERNAL: bool = false;

// Microsoft.Network privateDnsZones 2024-06-01:
// `privatedns/resource-manager/Microsoft.Network/stable/2024-06-01/privatedns.json`.

/// `VirtualNetworkLinkProperties.registrationEnabled`: no documented default; auto-registration is off unless
/// enabled on the link (Microsoft Learn, "What is a virtual network link?",
/// `azure/dns/private-dns-virtual-network-links`), and azurerm 4.79.0 sends `false` when `registration_enabled`
/// is unset (`data/provider-notes.json`).
pub(crate) const LINK_REGISTRATION_ENABLED: bool = false;

// Microsoft.Storage 2023-05-01: `storage/resource-manager/Microsoft.Storage/stable/2023-05-01/storage.json`
// (`StorageAccountPropertiesCreateParameters` and `StorageAccountProperties`) and `file.json`.

/// `minimumTlsVersion`: "The default interpretation is TLS 1.0 for this property."
pub(crate) const STORAGE_MIN_TLS_VERSION: &str = "TLS1_0";
/// `supportsHttpsTrafficOnly`: "The default value is true since API version 2019-04-01."
pub(crate) const STORAGE_HTTPS_TRAFFIC_ONLY: bool = true;
/// `allowBlobPublicAccess`: "The default interpretation is false for this property."
pub(crate) const STORAGE_ALLOW_BLOB_PUBLIC_ACCESS: bool = false;
/// `allowSharedKeyAccess`: "The default value is null, which is equivalent to true."
pub(crate) const STORAGE_ALLOW_SHARED_KEY_ACCESS: bool = true;
/// `publicNetworkAccess`: the spec documents no default ("Value is optional"); an account accepts connections
/// from any network until restricted (Microsoft Learn, "Azure Storage firewall rules",
/// `azure/storage/common/storage-network-security`: "By default, storage accounts accept connections from
/// clients on any network").
pub(crate) const STORAGE_PUBLIC_NETWORK_ACCESS: &str = "Enabled";
/// `NetworkRuleSet.defaultAction`: `"default": "Allow"`.
pub(crate) const STORAGE_NETWORK_DEFAULT_ACTION: &str = "Allow";
/// `NetworkRuleSet.bypass`: `"default": "AzureServices"`.
pub(crate) const STORAGE_NETWORK_BYPASS: &str = "AzureServices";
/// `SasPolicy.expirationAction`: `"default": "Log"`.
pub(crate) const STORAGE_SAS_EXPIRATION_ACTION: &str = "Log";
/// `FileShareProperties.enabledProtocols` (`file.json`): no `"default"` (enum `SMB`, `NFS`, "Can only be
/// specified when creating a share"); a share is SMB unless created as NFS, which only premium FileStorage
/// accounts offer (Microsoft Learn, "NFS file shares in Azure Files", `azure/storage/files/files-nfs-protocol`).
pub(crate) const SHARE_ENABLED_PROTOCOLS: &str = "SMB";

/// The ARM type of a registry's geo-replications (read as children of the registry).
pub(crate) const REPLICATIONS_ARM_TYPE: &str = "Microsoft.ContainerRegistry/registries/replications";

/// A value ARM uses for an absent property, in ARM's own spelling.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum ArmValue {
    /// A string (`"Enabled"`).
    Str(&'static str),
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// An object whose own properties take their defaults (rows after it fill them).
    Object,
}

impl ArmValue {
    fn to_json(self) -> Value {
        match self {
            ArmValue::Str(s) => Value::String(s.to_string()),
            ArmValue::Bool(b) => Value::Bool(b),
            ArmValue::Int(i) => Value::from(i),
            ArmValue::Object => Value::Object(Map::new()),
        }
    }
}

/// One row of [`ARM_DEFAULTS`]: the ARM type, where the property is, the value ARM uses when it is absent (or
/// `null`), and where that is documented.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ArmDefault {
    /// The ARM resource type (`Microsoft.Storage/storageAccounts`).
    pub(crate) arm_type: &'static str,
    /// Where, from the body's root: keys separated by `/`; `*` is every element of an array; a key ending in `?`
    /// is looked into only when the body has it (an absent object without `?` is read as an empty one, whose
    /// properties then take their defaults).
    pub(crate) path: &'static str,
    /// What ARM uses when the property is absent.
    pub(crate) value: ArmValue,
    #[allow(
        dead_code,
        reason = "the row's citation: read by its test and by whoever checks the row"
    )]
    /// The spec file (under `specification/` of Azure/azure-rest-api-specs) and api-version, and the definition;
    /// or the page that documents it where the spec is silent (the constant's doc comment says more).
    pub(crate) source: &'static str,
}

const ACR: &str = "Microsoft.ContainerRegistry/registries";
const ACR_SPEC: &str = "containerregistry/…/stable/2023-07-01/containerregistry.json";
const TASKS_SPEC: &str = "containerregistry/…/stable/2019-04-01/containerregistry_build.json";
const APP_SPEC: &str = "app/…/Microsoft.App/stable/2024-03-01/ContainerApps.json, CommonDefinitions.json";
const STORAGE: &str = "Microsoft.Storage/storageAccounts";
const STORAGE_SPEC: &str = "storage/…/Microsoft.Storage/stable/2023-05-01/storage.json";

const fn row(arm_type: &'static str, path: &'static str, value: ArmValue, source: &'static str) -> ArmDefault {
    ArmDefault {
        arm_type,
        path,
        value,
        source,
    }
}

/// Every default ARM applies to an absent property of a type infra reads, in one table: every body read (live or
/// an `azapi_resource`'s request) goes through [`fill`] with it before its reader
/// (`crate::azurerm::arm::registry::ArmResource::read_body`), so an absent property compares as its documented
/// default wherever it is, not one special case at a time. Rows of one type apply in order (an object before its
/// properties).
pub(crate) const ARM_DEFAULTS: &[ArmDefault] = &[
    row(
        ACR,
        "properties/adminUserEnabled",
        ArmValue::Bool(REGISTRY_ADMIN_USER_ENABLED),
        ACR_SPEC,
    ),
    row(
        ACR,
        "properties/publicNetworkAccess",
        ArmValue::Str(REGISTRY_PUBLIC_NETWORK_ACCESS),
        ACR_SPEC,
    ),
    row(
        ACR,
        "properties/zoneRedundancy",
        ArmValue::Str(REGISTRY_ZONE_REDUNDANCY),
        ACR_SPEC,
    ),
    row(
        ACR,
        "properties/dataEndpointEnabled",
        ArmValue::Bool(REGISTRY_DATA_ENDPOINT_ENABLED),
        "Microsoft Learn, container-registry-dedicated-data-endpoints (the spec is silent)",
    ),
    row(
        ACR,
        "properties/networkRuleSet?/defaultAction",
        ArmValue::Str(REGISTRY_NETWORK_DEFAULT_ACTION),
        ACR_SPEC,
    ),
    row(
        ACR,
        "properties/networkRuleSet?/ipRules/*/action",
        ArmValue::Str(REGISTRY_IP_RULE_ACTION),
        ACR_SPEC,
    ),
    row(
        ACR,
        "properties/policies/quarantinePolicy/status",
        ArmValue::Str(REGISTRY_QUARANTINE_POLICY_STATUS),
        ACR_SPEC,
    ),
    row(
        ACR,
        "properties/policies/trustPolicy/status",
        ArmValue::Str(REGISTRY_TRUST_POLICY_STATUS),
        ACR_SPEC,
    ),
    row(
        ACR,
        "properties/policies/retentionPolicy/status",
        ArmValue::Str(REGISTRY_RETENTION_POLICY_STATUS),
        ACR_SPEC,
    ),
    row(
        ACR,
        "properties/policies/retentionPolicy/days",
        ArmValue::Int(REGISTRY_RETENTION_POLICY_DAYS),
        ACR_SPEC,
    ),
    row(
        ACR,
        "properties/policies/exportPolicy/status",
        ArmValue::Str(REGISTRY_EXPORT_POLICY_STATUS),
        ACR_SPEC,
    ),
    row(
        REPLICATIONS_ARM_TYPE,
        "properties/regionEndpointEnabled",
        ArmValue::Bool(REPLICATION_REGION_ENDPOINT_ENABLED),
        ACR_SPEC,
    ),
    row(
        REPLICATIONS_ARM_TYPE,
        "properties/zoneRedundancy",
        ArmValue::Str(REPLICATION_ZONE_REDUNDANCY),
        ACR_SPEC,
    ),
    row(
        "Microsoft.ContainerRegistry/registries/webhooks",
        "properties/status",
        ArmValue::Str(WEBHOOK_STATUS),
        "Microsoft Learn, az acr webhook create --status (the spec is silent)",
    ),
    row(
        "Microsoft.ContainerRegistry/registries/tasks",
        "properties/status",
        ArmValue::Str(TASK_STATUS),
        "Microsoft Learn, az acr task create --status (the spec is silent)",
    ),
    row(
        "Microsoft.ContainerRegistry/registries/tasks",
        "properties/trigger?/timerTriggers/*/status",
        ArmValue::Str(TIMER_TRIGGER_STATUS),
        TASKS_SPEC,
    ),
    row(
        "Microsoft.ContainerRegistry/registries/tasks",
        "properties/isSystemTask",
        ArmValue::Bool(TASK_IS_SYSTEM_TASK),
        "containerregistry/…/preview/2019-06-01-preview/containerregistry_build.json",
    ),
    row(
        "Microsoft.App/containerApps",
        "properties/configuration/activeRevisionsMode",
        ArmValue::Str(CONTAINER_APP_ACTIVE_REVISIONS_MODE),
        APP_SPEC,
    ),
    row(
        "Microsoft.App/containerApps",
        "properties/template/scale/maxReplicas",
        ArmValue::Int(CONTAINER_APP_MAX_REPLICAS),
        APP_SPEC,
    ),
    row(
        "Microsoft.App/containerApps",
        "properties/configuration/ingress?/external",
        ArmValue::Bool(INGRESS_EXTERNAL),
        APP_SPEC,
    ),
    row(
        "Microsoft.App/containerApps",
        "properties/configuration/ingress?/allowInsecure",
        ArmValue::Bool(INGRESS_ALLOW_INSECURE),
        APP_SPEC,
    ),
    row(
        "Microsoft.App/containerApps",
        "properties/template?/containers/*/probes/*/httpGet?/scheme",
        ArmValue::Str(PROBE_HTTP_SCHEME),
        APP_SPEC,
    ),
    row(
        "Microsoft.App/managedEnvironments",
        "properties/vnetConfiguration/internal",
        ArmValue::Bool(ENVIRONMENT_VNET_INTERNAL),
        "Microsoft Learn, container-apps/networking (ManagedEnvironments.json 2024-03-01 is silent)",
    ),
    row(
        "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
        "properties/registrationEnabled",
        ArmValue::Bool(LINK_REGISTRATION_ENABLED),
        "Microsoft Learn, dns/private-dns-virtual-network-links (privatedns.json 2024-06-01 is silent)",
    ),
    row(
        STORAGE,
        "properties/minimumTlsVersion",
        ArmValue::Str(STORAGE_MIN_TLS_VERSION),
        STORAGE_SPEC,
    ),
    row(
        STORAGE,
        "properties/supportsHttpsTrafficOnly",
        ArmValue::Bool(STORAGE_HTTPS_TRAFFIC_ONLY),
        STORAGE_SPEC,
    ),
    row(
        STORAGE,
        "properties/allowBlobPublicAccess",
        ArmValue::Bool(STORAGE_ALLOW_BLOB_PUBLIC_ACCESS),
        STORAGE_SPEC,
    ),
    row(
        STORAGE,
        "properties/allowSharedKeyAccess",
        ArmValue::Bool(STORAGE_ALLOW_SHARED_KEY_ACCESS),
        STORAGE_SPEC,
    ),
    row(
        STORAGE,
        "properties/publicNetworkAccess",
        ArmValue::Str(STORAGE_PUBLIC_NETWORK_ACCESS),
        "Microsoft Learn, storage/common/storage-network-security (the spec is silent)",
    ),
    // An account without `networkAcls` accepts every network (Microsoft Learn, storage-network-security): the
    // rule set of `NetworkRuleSet`'s own defaults.
    row(STORAGE, "properties/networkAcls", ArmValue::Object, STORAGE_SPEC),
    row(
        STORAGE,
        "properties/networkAcls/defaultAction",
        ArmValue::Str(STORAGE_NETWORK_DEFAULT_ACTION),
        STORAGE_SPEC,
    ),
    row(
        STORAGE,
        "properties/networkAcls/bypass",
        ArmValue::Str(STORAGE_NETWORK_BYPASS),
        STORAGE_SPEC,
    ),
    row(
        STORAGE,
        "properties/sasPolicy?/expirationAction",
        ArmValue::Str(STORAGE_SAS_EXPIRATION_ACTION),
        STORAGE_SPEC,
    ),
    row(
        "Microsoft.Storage/storageAccounts/fileServices/shares",
        "properties/enabledProtocols",
        ArmValue::Str(SHARE_ENABLED_PROTOCOLS),
        "storage/…/2023-05-01/file.json and Microsoft Learn, files-nfs-protocol",
    ),
];

/// Writes into `body` (an ARM body of `arm_type`) every default of [`ARM_DEFAULTS`] for a property it lacks (or
/// has as `null`). A body that is not an object is left as it is.
pub(crate) fn fill(arm_type: &str, body: &mut Value) {
    for default in ARM_DEFAULTS
        .iter()
        .filter(|d| d.arm_type.eq_ignore_ascii_case(arm_type))
    {
        let path: Vec<&str> = default.path.split('/').collect();
        fill_at(body, &path, default.value);
    }
}

fn fill_at(node: &mut Value, path: &[&str], value: ArmValue) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    if *first == "*" {
        for item in node.as_array_mut().into_iter().flatten() {
            fill_at(item, rest, value);
        }
        return;
    }
    let Value::Object(map) = node else {
        return;
    };
    let (key, only_when_present) = match first.strip_suffix('?') {
        Some(key) => (key, true),
        None => (*first, false),
    };
    let absent = map.get(key).is_none_or(Value::is_null);
    if rest.is_empty() {
        if absent {
            map.insert(key.to_string(), value.to_json());
        }
        return;
    }
    if absent {
        if only_when_present {
            return;
        }
        map.insert(key.to_string(), Value::Object(Map::new()));
    }
    if let Some(child) = map.get_mut(key) {
        fill_at(child, rest, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fill_writes_what_is_absent_and_keeps_what_is_there() {
        let mut body = json!({ "properties": { "networkAcls": { "defaultAction": "Deny", "bypass": null } } });
        fill(STORAGE, &mut body);
        assert_eq!(body["properties"]["networkAcls"]["defaultAction"], "Deny");
        assert_eq!(body["properties"]["networkAcls"]["bypass"], STORAGE_NETWORK_BYPASS);
        assert_eq!(body["properties"]["minimumTlsVersion"], STORAGE_MIN_TLS_VERSION);
        // `sasPolicy?`: not created.
        assert!(body["properties"].get("sasPolicy").is_none());
        // An absent rule set is one of its defaults.
        let mut bare = json!({});
        fill(STORAGE, &mut bare);
        assert_eq!(
            bare["properties"]["networkAcls"],
            json!({ "defaultAction": "Allow", "bypass": "AzureServices" })
        );
    }

    #[test]
    fn fill_reaches_every_element_of_an_array_and_nothing_else() {
        let mut task =
            json!({ "properties": { "trigger": { "timerTriggers": [{ "name": "a" }, { "status": "Disabled" }] } } });
        fill("microsoft.containerregistry/registries/tasks", &mut task);
        let triggers = &task["properties"]["trigger"]["timerTriggers"];
        assert_eq!(triggers[0]["status"], TIMER_TRIGGER_STATUS);
        assert_eq!(triggers[1]["status"], "Disabled");
        let mut not_an_object = json!([1, 2]);
        fill(STORAGE, &mut not_an_object);
        assert_eq!(not_an_object, json!([1, 2]));
    }

    /// Every row names its source and a type infra maps (or a child list it reads).
    #[test]
    fn every_row_names_its_source_and_a_mapped_type() {
        for d in ARM_DEFAULTS {
            assert!(!d.source.is_empty() && !d.path.is_empty(), "{d:?}");
            let mapped = crate::azurerm::arm::registry::RESOURCES
                .iter()
                .any(|r| r.arm_type == d.arm_type);
            assert!(
                mapped || d.arm_type == REPLICATIONS_ARM_TYPE,
                "{} is not mapped",
                d.arm_type
            );
        }
    }
}
