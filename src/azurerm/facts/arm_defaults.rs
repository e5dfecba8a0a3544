//! What Azure Resource Manager uses when a property is absent: the value the REST spec documents (a `"default"`
//! in the schema, or "the default interpretation is …" in its description), written here once, in ARM's own
//! spelling, and read by the ARM readers (`src/azurerm/arm/`) for live bodies and `azapi_resource` bodies alike.
//!
//! Each constant names its spec file (in Azure/azure-rest-api-specs, under `specification/`), the definition and
//! what it documents. Where the spec documents nothing and the service still behaves so, the source is the
//! Microsoft Learn page that says so, and the doc comment says the spec is silent.
//! Tests (`src/azurerm/arm/mod.rs`) read an ARM body without each property and expect its default here.

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
