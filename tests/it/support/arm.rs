//! stacks/prod.toml, live, as ARM returns it, shaped like the REST API (Microsoft.ContainerRegistry 2023-07-01 and
//! 2019-04-01 for tasks, Microsoft.Resources 2021-04-01, Microsoft.ManagedIdentity 2023-01-31,
//! Microsoft.Authorization 2022-04-01, Microsoft.OperationalInsights 2022-10-01, Microsoft.App 2024-03-01),
//! including the fields Azure fills in by default, which are not drift.

#![allow(dead_code, reason = "shared by the test modules; each uses part of it")]

use super::fake_arm::{FakeArm, Reply};
use serde_json::{json, Value};

pub(crate) const SUBSCRIPTION: &str = "6f1d2c3b-0a9e-4c71-9b1e-2d3c4b5a6f70";
pub(crate) const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
pub(crate) const CLIENT_ID: &str = "3c5e7a9b-1d2f-4a6b-8c0d-e1f2a3b4c5d6";
pub(crate) const RG: &str = "rg-fastapi-prod";
pub(crate) const ACR: &str = "acrfastapiprod";
pub(crate) const IDENTITY: &str = "id-fastapi-prod";
pub(crate) const WORKSPACE: &str = "log-fastapi-prod";
pub(crate) const ENVIRONMENT: &str = "cae-fastapi-prod";
pub(crate) const APP: &str = "ca-fastapi-prod";
pub(crate) const PRINCIPAL_ID: &str = "9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d";
pub(crate) const IDENTITY_CLIENT_ID: &str = "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e";
pub(crate) const WORKSPACE_CUSTOMER_ID: &str = "d6c5b4a3-9281-4f7e-8d6c-5b4a39281f7e";
pub(crate) const ACR_PULL: &str = "7f951dda-4ed3-4680-a7ca-43fe172d538d";
pub(crate) const READER: &str = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
/// The deterministic name infra renders for the AcrPull assignment of stacks/prod.toml.
pub(crate) const ASSIGNMENT_NAME: &str = "c64084fd-d5d6-5e7c-92f4-ab49a9eafdd3";

pub(crate) fn rg_path() -> String {
    format!("/subscriptions/{SUBSCRIPTION}/resourceGroups/{RG}")
}
pub(crate) fn registry_path() -> String {
    format!("{}/providers/Microsoft.ContainerRegistry/registries/{ACR}", rg_path())
}
pub(crate) fn replications_path() -> String {
    format!("{}/replications", registry_path())
}
pub(crate) fn webhooks_path() -> String {
    format!("{}/webhooks", registry_path())
}
pub(crate) fn tasks_path() -> String {
    format!("{}/tasks", registry_path())
}
pub(crate) fn role_assignments_path() -> String {
    format!("{}/providers/Microsoft.Authorization/roleAssignments", registry_path())
}
pub(crate) fn identity_path() -> String {
    format!(
        "{}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{IDENTITY}",
        rg_path()
    )
}
pub(crate) fn workspace_path() -> String {
    format!(
        "{}/providers/Microsoft.OperationalInsights/workspaces/{WORKSPACE}",
        rg_path()
    )
}
pub(crate) fn environment_path() -> String {
    format!(
        "{}/providers/Microsoft.App/managedEnvironments/{ENVIRONMENT}",
        rg_path()
    )
}
pub(crate) fn app_path() -> String {
    format!("{}/providers/Microsoft.App/containerApps/{APP}", rg_path())
}

/// The stack's tags, on every resource.
pub(crate) fn stack_tags() -> Value {
    json!({ "application": "fastapi-app", "environment": "prod", "owner": "platform-team" })
}

fn system_data() -> Value {
    json!({
        "createdBy": "deploy@contoso.com",
        "createdByType": "User",
        "createdAt": "2026-03-02T09:14:27.5031234Z",
        "lastModifiedBy": "deploy@contoso.com",
        "lastModifiedByType": "User",
        "lastModifiedAt": "2026-11-20T16:02:11.0081375Z"
    })
}

pub(crate) fn resource_group() -> Value {
    json!({
        "id": rg_path(),
        "name": RG,
        "type": "Microsoft.Resources/resourceGroups",
        "location": "westeurope",
        "tags": stack_tags(),
        "properties": { "provisioningState": "Succeeded" }
    })
}

pub(crate) fn registry() -> Value {
    json!({
        "sku": { "name": "Premium", "tier": "Premium" },
        "type": "Microsoft.ContainerRegistry/registries",
        "id": registry_path(),
        "name": ACR,
        "location": "westeurope",
        "tags": stack_tags(),
        "systemData": system_data(),
        "properties": {
            "loginServer": format!("{ACR}.azurecr.io"),
            "creationDate": "2026-03-02T09:14:27.5031234Z",
            "provisioningState": "Succeeded",
            "adminUserEnabled": false,
            "networkRuleSet": { "defaultAction": "Allow", "ipRules": [] },
            "policies": {
                "quarantinePolicy": { "status": "disabled" },
                "trustPolicy": { "type": "Notary", "status": "disabled" },
                "retentionPolicy": { "days": 7, "lastUpdatedTime": "2026-03-02T09:14:40.1233321+00:00", "status": "enabled" },
                "exportPolicy": { "status": "disabled" },
                "azureADAuthenticationAsArmPolicy": { "status": "enabled" },
                "softDeletePolicy": { "retentionDays": 7, "lastUpdatedTime": "2026-03-02T09:14:40.1233321+00:00", "status": "disabled" }
            },
            "encryption": { "status": "disabled" },
            "dataEndpointEnabled": true,
            "dataEndpointHostNames": [
                format!("{ACR}.westeurope.data.azurecr.io"),
                format!("{ACR}.northeurope.data.azurecr.io")
            ],
            "privateEndpointConnections": [],
            "publicNetworkAccess": "Disabled",
            "networkRuleBypassOptions": "AzureServices",
            "zoneRedundancy": "Enabled"
        }
    })
}

pub(crate) fn replication(location: &str, display: &str) -> Value {
    let home = location == "westeurope";
    json!({
        "type": "Microsoft.ContainerRegistry/registries/replications",
        "id": format!("{}/replications/{location}", registry_path()),
        "name": location,
        "location": display,
        "tags": if home { json!({}) } else { stack_tags() },
        "systemData": system_data(),
        "properties": {
            "provisioningState": "Succeeded",
            "status": { "displayStatus": "Ready", "timestamp": "2026-03-02T09:20:01.4402331Z" },
            "regionEndpointEnabled": true,
            "zoneRedundancy": "Enabled"
        }
    })
}

/// The home-region replication ARM always lists, and one geo-replica in North Europe.
pub(crate) fn replications() -> Value {
    json!({ "value": [replication("westeurope", "westeurope"), replication("northeurope", "northeurope")] })
}

pub(crate) fn webhook(name: &str, actions: &[&str]) -> Value {
    json!({
        "type": "Microsoft.ContainerRegistry/registries/webhooks",
        "id": format!("{}/webhooks/{name}", registry_path()),
        "name": name,
        "location": "westeurope",
        "tags": stack_tags(),
        "systemData": system_data(),
        "properties": { "status": "enabled", "scope": "fastapi-app:*", "actions": actions, "provisioningState": "Succeeded" }
    })
}

/// The stack's one webhook (prod's `cdpush`).
pub(crate) fn webhooks() -> Value {
    json!({ "value": [webhook("cdpush", &["push"])] })
}

/// A purge task (prod no longer declares one: its registry is network-restricted).
pub(crate) fn purge_task() -> Value {
    json!({
        "type": "Microsoft.ContainerRegistry/registries/tasks",
        "id": format!("{}/tasks/purge-untagged", registry_path()),
        "name": "purge-untagged",
        "location": "westeurope",
        "tags": stack_tags(),
        "systemData": system_data(),
        "properties": {
            "provisioningState": "Succeeded",
            "creationDate": "2026-03-02T09:16:03.9571062+00:00",
            "status": "Enabled",
            "platform": { "os": "Linux", "architecture": "amd64" },
            "agentConfiguration": { "cpu": 2 },
            "timeout": 3600,
            "step": {
                "type": "EncodedTask",
                "encodedTaskContent": "dmVyc2lvbjogdjEuMS4wCnN0ZXBzOgogIC0gY21kOiBhY3IgcHVyZ2UgLS1maWx0ZXIgJy4qOi4qJyAtLWFnbyAwZCAtLWtlZXAgMTAgLS11bnRhZ2dlZAo=",
                "values": []
            },
            "trigger": {
                "timerTriggers": [{ "schedule": "0 1 * * Sun", "status": "Enabled", "name": "schedule" }],
                "baseImageTrigger": null
            },
            "isSystemTask": false
        }
    })
}

/// The stack declares no task.
pub(crate) fn tasks() -> Value {
    json!({ "value": [] })
}

pub(crate) fn identity() -> Value {
    json!({
        "id": identity_path(),
        "name": IDENTITY,
        "type": "Microsoft.ManagedIdentity/userAssignedIdentities",
        "location": "westeurope",
        "tags": stack_tags(),
        "properties": { "tenantId": TENANT, "principalId": PRINCIPAL_ID, "clientId": IDENTITY_CLIENT_ID }
    })
}

fn role_assignment(scope: &str, role: &str, principal: &str, name: &str) -> Value {
    json!({
        "properties": {
            "roleDefinitionId": format!("/subscriptions/{SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/{role}"),
            "principalId": principal,
            "principalType": "ServicePrincipal",
            "scope": scope,
            "condition": null,
            "conditionVersion": null,
            "createdOn": "2026-03-02T09:15:12.4498177Z",
            "updatedOn": "2026-03-02T09:15:12.4498177Z",
            "createdBy": "5d8e2f1a-3b4c-4d5e-9f6a-7b8c9d0e1f2a",
            "updatedBy": "5d8e2f1a-3b4c-4d5e-9f6a-7b8c9d0e1f2a",
            "delegatedManagedIdentityResourceId": null,
            "description": null
        },
        "id": format!("{scope}/providers/Microsoft.Authorization/roleAssignments/{name}"),
        "type": "Microsoft.Authorization/roleAssignments",
        "name": name
    })
}

/// An inherited Reader at the subscription (atScope() lists it too), and the AcrPull made at the registry, whose
/// scope Azure returns with a lower-cased resource group.
pub(crate) fn role_assignments(with_acr_pull: bool) -> Value {
    let mut value = vec![role_assignment(
        &format!("/subscriptions/{SUBSCRIPTION}"),
        READER,
        "c0ffee00-1111-4222-8333-944445555666",
        "b1e2c3d4-0000-4000-8000-000000000001",
    )];
    if with_acr_pull {
        let scope = registry_path().replace("/resourceGroups/", "/resourcegroups/");
        value.push(role_assignment(&scope, ACR_PULL, PRINCIPAL_ID, ASSIGNMENT_NAME));
    }
    json!({ "value": value })
}

pub(crate) fn workspace() -> Value {
    json!({
        "properties": {
            "customerId": WORKSPACE_CUSTOMER_ID,
            "provisioningState": "Succeeded",
            "sku": { "name": "PerGB2018", "lastSkuUpdate": "2026-03-02T09:13:55.4033618Z" },
            "retentionInDays": 90,
            "features": { "legacy": 0, "searchVersion": 1, "enableLogAccessUsingOnlyResourcePermissions": true },
            "workspaceCapping": { "dailyQuotaGb": -1.0, "quotaNextResetTime": "2026-11-30T08:00:00Z", "dataIngestionStatus": "RespectQuota" },
            "publicNetworkAccessForIngestion": "Enabled",
            "publicNetworkAccessForQuery": "Enabled",
            "createdDate": "2026-03-02T09:13:55.4033618Z",
            "modifiedDate": "2026-03-02T09:13:57.1234567Z"
        },
        "id": workspace_path(),
        "name": WORKSPACE,
        "type": "Microsoft.OperationalInsights/workspaces",
        "location": "westeurope",
        "tags": stack_tags()
    })
}

pub(crate) fn environment() -> Value {
    json!({
        "id": environment_path(),
        "name": ENVIRONMENT,
        "type": "Microsoft.App/managedEnvironments",
        "location": "West Europe",
        "tags": stack_tags(),
        "systemData": system_data(),
        "properties": {
            "provisioningState": "Succeeded",
            "daprAIInstrumentationKey": null,
            "vnetConfiguration": { "internal": false, "infrastructureSubnetId": subnet_path(SUBNET_ENV) },
            "defaultDomain": "kindhill-1a2b3c4d.westeurope.azurecontainerapps.io",
            "staticIp": "20.31.122.45",
            "appLogsConfiguration": {
                "destination": "log-analytics",
                "logAnalyticsConfiguration": { "customerId": WORKSPACE_CUSTOMER_ID, "sharedKey": null }
            },
            "zoneRedundant": false,
            "customDomainConfiguration": { "customDomainVerificationId": "7C3B1F0E2D4A6B8C9E0F1A2B3C4D5E6F7A8B9C0D1E2F3A4B5C6D7E8F9A0B1C2D" },
            "workloadProfiles": [{ "workloadProfileType": "Consumption", "name": "Consumption" }],
            "infrastructureResourceGroup": "ME_cae-fastapi-prod_rg-fastapi-prod_westeurope",
            "peerAuthentication": { "mtls": { "enabled": false } }
        }
    })
}

pub(crate) fn container_app() -> Value {
    let identity_id = identity_path();
    json!({
        "id": app_path(),
        "name": APP,
        "type": "Microsoft.App/containerApps",
        "location": "West Europe",
        "tags": stack_tags(),
        "systemData": system_data(),
        "identity": {
            "type": "UserAssigned",
            "userAssignedIdentities": {
                identity_id.clone(): { "principalId": PRINCIPAL_ID, "clientId": IDENTITY_CLIENT_ID }
            }
        },
        "properties": {
            "provisioningState": "Succeeded",
            "runningStatus": "Running",
            "managedEnvironmentId": environment_path(),
            "environmentId": environment_path(),
            "workloadProfileName": "Consumption",
            "outboundIpAddresses": ["20.31.122.46"],
            "latestRevisionName": "ca-fastapi-prod--7x2k9q1",
            "latestReadyRevisionName": "ca-fastapi-prod--7x2k9q1",
            "latestRevisionFqdn": "ca-fastapi-prod--7x2k9q1.kindhill-1a2b3c4d.westeurope.azurecontainerapps.io",
            "customDomainVerificationId": "7C3B1F0E2D4A6B8C9E0F1A2B3C4D5E6F7A8B9C0D1E2F3A4B5C6D7E8F9A0B1C2D",
            "configuration": {
                "secrets": null,
                "activeRevisionsMode": "Single",
                "ingress": {
                    "fqdn": "ca-fastapi-prod.kindhill-1a2b3c4d.westeurope.azurecontainerapps.io",
                    "external": true,
                    "targetPort": 8000,
                    "exposedPort": 0,
                    "transport": "Auto",
                    "traffic": [{ "weight": 100, "latestRevision": true }],
                    "customDomains": null,
                    "allowInsecure": false,
                    "ipSecurityRestrictions": null,
                    "stickySessions": null
                },
                "registries": [{
                    "server": format!("{ACR}.azurecr.io"),
                    "username": "",
                    "passwordSecretRef": "",
                    "identity": identity_id
                }],
                "dapr": null,
                "maxInactiveRevisions": 100,
                "service": null
            },
            "template": {
                "revisionSuffix": "",
                "terminationGracePeriodSeconds": null,
                "containers": [{
                    "image": format!("{ACR}.azurecr.io/fastapi-app:1.0.0"),
                    "name": "fastapi-app",
                    "env": [
                        { "name": "PYTHONPATH", "value": "/app" },
                        { "name": "PYTHONUNBUFFERED", "value": "1" }
                    ],
                    "resources": { "cpu": 0.5, "memory": "1Gi", "ephemeralStorage": "2Gi" },
                    "probes": [
                        { "type": "Liveness", "httpGet": { "path": "/health", "port": 8000, "scheme": "HTTP" } },
                        { "type": "Readiness", "httpGet": { "path": "/health", "port": 8000, "scheme": "HTTP" } }
                    ],
                    "volumeMounts": [{ "volumeName": "data", "mountPath": "/data" }]
                }],
                "initContainers": null,
                "scale": {
                    "minReplicas": 2,
                    "maxReplicas": 10,
                    "rules": [{ "name": "http-concurrency", "http": { "metadata": { "concurrentRequests": "100" } } }]
                },
                "volumes": [{ "name": "data", "storageType": "AzureFile", "storageName": "data" }],
                "serviceBinds": null
            },
            "eventStreamEndpoint": "https://westeurope.azurecontainerapps.dev/subscriptions/6f1d2c3b-0a9e-4c71-9b1e-2d3c4b5a6f70/resourceGroups/rg-fastapi-prod/containerApps/ca-fastapi-prod/eventstream"
        }
    })
}

pub(crate) const JOB: &str = "caj-fastapi-report";
pub(crate) const KEY_VAULT_SECRET: &str = "https://kv-platform.vault.azure.net/secrets/database-url";

pub(crate) fn job_path() -> String {
    format!("{}/providers/Microsoft.App/jobs/{JOB}", rg_path())
}

/// A manual job reading a Key Vault secret with the stack's identity, as Microsoft.App 2024-03-01 answers a GET
/// (`Jobs.json`: `properties.configuration.secrets[]` with `keyVaultUrl` and `identity`, never a value).
pub(crate) fn job() -> Value {
    let identity_id = identity_path();
    json!({
        "id": job_path(),
        "name": JOB,
        "type": "Microsoft.App/jobs",
        "location": "West Europe",
        "tags": stack_tags(),
        "identity": {
            "type": "UserAssigned",
            "userAssignedIdentities": { identity_id.clone(): { "principalId": PRINCIPAL_ID, "clientId": IDENTITY_CLIENT_ID } }
        },
        "properties": {
            "provisioningState": "Succeeded",
            "environmentId": environment_path(),
            "workloadProfileName": "Consumption",
            "configuration": {
                "triggerType": "Manual",
                "replicaTimeout": 600,
                "replicaRetryLimit": 0,
                "manualTriggerConfig": { "replicaCompletionCount": 1, "parallelism": 1 },
                "secrets": [{ "name": "database-url", "keyVaultUrl": KEY_VAULT_SECRET, "identity": identity_id.clone() }],
                "registries": [{ "server": format!("{ACR}.azurecr.io"), "identity": identity_id }]
            },
            "template": {
                "containers": [{
                    "name": "report",
                    "image": format!("{ACR}.azurecr.io/fastapi-app:1.4.0"),
                    "resources": { "cpu": 0.25, "memory": "0.5Gi" },
                    "env": [{ "name": "DATABASE_URL", "secretRef": "database-url" }]
                }]
            }
        }
    })
}

/// Serves the whole stack as live, matching what the stack declares.
pub(crate) fn serve_stack(fake: &FakeArm) {
    fake.set(&rg_path(), Reply::json(200, &resource_group()));
    fake.set(&registry_path(), Reply::json(200, &registry()));
    fake.set(&replications_path(), Reply::json(200, &replications()));
    fake.set(&webhooks_path(), Reply::json(200, &webhooks()));
    fake.set(&tasks_path(), Reply::json(200, &tasks()));
    fake.set(&identity_path(), Reply::json(200, &identity()));
    fake.set(&role_assignments_path(), Reply::json(200, &role_assignments(true)));
    fake.set(&workspace_path(), Reply::json(200, &workspace()));
    fake.set(&environment_path(), Reply::json(200, &environment()));
    fake.set(&app_path(), Reply::json(200, &container_app()));
    serve_network(fake);
    serve_storage(fake);
}

// ---- prod's [network], as ARM answers it (Microsoft.Network 2024-05-01, privateDnsZones 2024-06-01).

pub(crate) const VNET: &str = "vnet-fastapi-prod";
pub(crate) const SUBNET_ENV: &str = "snet-cae";
pub(crate) const SUBNET_PE: &str = "snet-private-endpoints";
pub(crate) const SUBNET_RUNNERS: &str = "snet-runners";
pub(crate) const NSG: &str = "nsg-cae-fastapi-prod";

fn network_base() -> String {
    format!("{}/providers/Microsoft.Network", rg_path())
}

pub(crate) fn vnet_path() -> String {
    format!("{}/virtualNetworks/{VNET}", network_base())
}

pub(crate) fn subnet_path(name: &str) -> String {
    format!("{}/subnets/{name}", vnet_path())
}

pub(crate) fn nsg_path() -> String {
    format!("{}/networkSecurityGroups/{NSG}", network_base())
}

pub(crate) fn private_endpoint_path(name: &str) -> String {
    format!("{}/privateEndpoints/{name}", network_base())
}

pub(crate) fn dns_zone_path(zone: &str) -> String {
    format!("{}/privateDnsZones/{zone}", network_base())
}

pub(crate) fn virtual_network() -> Value {
    json!({
        "id": vnet_path(),
        "name": VNET,
        "type": "Microsoft.Network/virtualNetworks",
        "location": "westeurope",
        "tags": stack_tags(),
        "properties": {
            "provisioningState": "Succeeded",
            "addressSpace": { "addressPrefixes": ["10.20.0.0/16"] },
            "subnets": [
                {
                    "id": subnet_path(SUBNET_ENV),
                    "name": SUBNET_ENV,
                    "properties": {
                        "addressPrefix": "10.20.0.0/23",
                        "networkSecurityGroup": { "id": nsg_path() },
                        "delegations": [{
                            "name": "container-apps",
                            "properties": {
                                "serviceName": "Microsoft.App/environments",
                                "actions": ["Microsoft.Network/virtualNetworks/subnets/join/action"]
                            }
                        }]
                    }
                },
                {
                    "id": subnet_path(SUBNET_PE),
                    "name": SUBNET_PE,
                    "properties": { "addressPrefix": "10.20.2.0/27", "delegations": [] }
                },
                {
                    "id": subnet_path(SUBNET_RUNNERS),
                    "name": SUBNET_RUNNERS,
                    "properties": { "addressPrefix": "10.20.3.0/27", "delegations": [] }
                }
            ]
        }
    })
}

pub(crate) fn network_security_group() -> Value {
    json!({
        "id": nsg_path(),
        "name": NSG,
        "type": "Microsoft.Network/networkSecurityGroups",
        "location": "westeurope",
        "tags": stack_tags(),
        "properties": { "securityRules": [] }
    })
}

/// A private endpoint to `target` (subresource `group`) in the endpoints' subnet.
pub(crate) fn private_endpoint(name: &str, target: &str, group: &str) -> Value {
    json!({
        "id": private_endpoint_path(name),
        "name": name,
        "type": "Microsoft.Network/privateEndpoints",
        "location": "westeurope",
        "tags": stack_tags(),
        "properties": {
            "subnet": { "id": subnet_path(SUBNET_PE) },
            "privateLinkServiceConnections": [{
                "name": format!("{name}-{group}"),
                "properties": { "privateLinkServiceId": target, "groupIds": [group] }
            }],
            "manualPrivateLinkServiceConnections": []
        }
    })
}

pub(crate) fn zone_groups(zone: &str) -> Value {
    json!({ "value": [{
        "name": "default",
        "properties": { "privateDnsZoneConfigs": [{
            "name": zone.replace('.', "-"),
            "properties": { "privateDnsZoneId": dns_zone_path(zone) }
        }] }
    }] })
}

pub(crate) fn dns_zone(zone: &str) -> Value {
    json!({
        "id": dns_zone_path(zone),
        "name": zone,
        "type": "Microsoft.Network/privateDnsZones",
        "location": "global",
        "tags": stack_tags(),
        "properties": { "numberOfRecordSets": 2 }
    })
}

pub(crate) fn vnet_links(zone: &str, link: &str) -> Value {
    json!({ "value": [{
        "id": format!("{}/virtualNetworkLinks/{link}", dns_zone_path(zone)),
        "name": link,
        "location": "global",
        "tags": stack_tags(),
        "properties": { "virtualNetwork": { "id": vnet_path() }, "registrationEnabled": false }
    }] })
}

pub(crate) fn storage_account_path() -> String {
    format!(
        "{}/providers/Microsoft.Storage/storageAccounts/{STORAGE_ACCOUNT}",
        rg_path()
    )
}

// ---- prod's storage, as ARM answers it (Microsoft.Storage 2023-05-01, Microsoft.App 2024-03-01), with the
// properties Azure fills in on its own (encryption, endpoints, `allowBlobPublicAccess` …), which are not drift.

pub(crate) const STORAGE_ACCOUNT: &str = "stfastapiprod";
pub(crate) const SHARE: &str = "data";
pub(crate) const ENVIRONMENT_STORAGE: &str = "data";

pub(crate) fn share_path() -> String {
    format!("{}/fileServices/default/shares/{SHARE}", storage_account_path())
}

pub(crate) fn environment_storage_path() -> String {
    format!("{}/storages/{ENVIRONMENT_STORAGE}", environment_path())
}

/// stacks/prod.toml's account: ZRS, firewall Deny with Azure services bypassing and no address listed, SAS
/// expiry policy of a day (logged), TLS 1.2, HTTPS only, shared keys on (the environment mounts with the key).
pub(crate) fn storage_account() -> Value {
    json!({
        "id": storage_account_path(),
        "name": STORAGE_ACCOUNT,
        "type": "Microsoft.Storage/storageAccounts",
        "location": "westeurope",
        "tags": stack_tags(),
        "sku": { "name": "Standard_ZRS", "tier": "Standard" },
        "kind": "StorageV2",
        "properties": {
            "provisioningState": "Succeeded",
            "creationTime": "2026-03-02T09:14:51.0000000Z",
            "primaryLocation": "westeurope",
            "statusOfPrimary": "available",
            "accessTier": "Hot",
            "minimumTlsVersion": "TLS1_2",
            "supportsHttpsTrafficOnly": true,
            "allowBlobPublicAccess": false,
            "allowSharedKeyAccess": true,
            "publicNetworkAccess": "Enabled",
            "networkAcls": {
                "bypass": "AzureServices",
                "defaultAction": "Deny",
                "ipRules": [],
                "virtualNetworkRules": []
            },
            "sasPolicy": { "sasExpirationPeriod": "1.00:00:00", "expirationAction": "Log" },
            "encryption": {
                "keySource": "Microsoft.Storage",
                "services": {
                    "blob": { "enabled": true, "keyType": "Account" },
                    "file": { "enabled": true, "keyType": "Account" }
                }
            },
            "primaryEndpoints": {
                "blob": format!("https://{STORAGE_ACCOUNT}.blob.core.windows.net/"),
                "file": format!("https://{STORAGE_ACCOUNT}.file.core.windows.net/")
            },
            "privateEndpointConnections": []
        }
    })
}

pub(crate) fn share() -> Value {
    json!({
        "id": share_path(),
        "name": SHARE,
        "type": "Microsoft.Storage/storageAccounts/fileServices/shares",
        "etag": "\"0x8DC4A6F2B1E3C70\"",
        "properties": {
            "lastModifiedTime": "2026-03-02T09:16:03.0000000Z",
            "shareQuota": 100,
            "enabledProtocols": "SMB",
            "accessTier": "TransactionOptimized",
            "leaseStatus": "unlocked",
            "leaseState": "available"
        }
    })
}

pub(crate) fn environment_storage() -> Value {
    json!({
        "id": environment_storage_path(),
        "name": ENVIRONMENT_STORAGE,
        "type": "Microsoft.App/managedEnvironments/storages",
        "properties": {
            "azureFile": {
                "accountName": STORAGE_ACCOUNT,
                "shareName": SHARE,
                "accessMode": "ReadWrite"
            }
        }
    })
}

pub(crate) fn serve_storage(fake: &FakeArm) {
    fake.set(&storage_account_path(), Reply::json(200, &storage_account()));
    fake.set(&share_path(), Reply::json(200, &share()));
    fake.set(&environment_storage_path(), Reply::json(200, &environment_storage()));
}

pub(crate) fn serve_network(fake: &FakeArm) {
    fake.set(&vnet_path(), Reply::json(200, &virtual_network()));
    fake.set(&nsg_path(), Reply::json(200, &network_security_group()));
    for (pe, target, group, zone, link) in [
        (
            "pe-acrfastapiprod",
            registry_path(),
            "registry",
            "privatelink.azurecr.io",
            "registry-link",
        ),
        (
            "pe-stfastapiprod-file",
            storage_account_path(),
            "file",
            "privatelink.file.core.windows.net",
            "file-link",
        ),
    ] {
        fake.set(
            &private_endpoint_path(pe),
            Reply::json(200, &private_endpoint(pe, &target, group)),
        );
        fake.set(
            &format!("{}/privateDnsZoneGroups", private_endpoint_path(pe)),
            Reply::json(200, &zone_groups(zone)),
        );
        fake.set(&dns_zone_path(zone), Reply::json(200, &dns_zone(zone)));
        fake.set(
            &format!("{}/virtualNetworkLinks", dns_zone_path(zone)),
            Reply::json(200, &vnet_links(zone, link)),
        );
    }
}
