//! Declared (stacks/prod.toml, rendered) against live (read from the fake ARM): what `infra drift` reports.

use infra::drift::{
    compare, Azure, AzureSettings, DriftReport, NetworkTarget, RetrySettings, Status, StorageTarget, Target,
};
use infra::terraform::{Config, Format};

use crate::support::arm::{self, *};
use crate::support::fake_arm::{FakeArm, Reply};
use std::time::Duration;

/// `json_snapshot!` into `snapshots/drift/`, named `drift_compare__<name>` (as when this file was its own test binary).
macro_rules! assert_json_snapshot {
    ($name:expr, $value:expr) => {
        json_snapshot!("drift", format!("drift_compare__{}", $name), $value)
    };
}

const SECRET: &str = "compare-tests-secret";

fn declared() -> Config {
    let stack = infra::stack::Stack::load(std::path::Path::new("stacks/prod.toml")).unwrap();
    infra::render::render(&stack, Format::Hcl)
}

async fn drift(fake: &FakeArm) -> DriftReport {
    drift_of(fake, declared(), true).await
}

/// Reads what `config` declares from the fake ARM and compares; `prod` pins the target read from prod's config.
async fn drift_of(fake: &FakeArm, config: Config, prod: bool) -> DriftReport {
    let base = fake.base_url();
    let env = |key: &str| -> Option<String> {
        match key {
            "AZURE_TENANT_ID" => Some(TENANT.into()),
            "AZURE_CLIENT_ID" => Some(CLIENT_ID.into()),
            "AZURE_CLIENT_SECRET" => Some(SECRET.into()),
            "INFRA_ARM_ENDPOINT" | "AZURE_AUTHORITY_HOST" => Some(base.clone()),
            _ => None,
        }
    };
    let mut settings = AzureSettings::from_lookup(SUBSCRIPTION, &env).unwrap();
    settings.retry = RetrySettings {
        initial_backoff: Duration::from_millis(10),
        ..RetrySettings::default()
    };
    let target = Target::from_config(&config).unwrap();
    assert!(!prod || target == prod_target(), "{target:#?}");
    let live = Azure::connect(&settings).unwrap().read_live(&target).await.unwrap();
    compare(&config, &live.objects)
}

fn prod_target() -> Target {
    Target {
        resource_group: RG.into(),
        registry: Some(ACR.into()),
        identities: vec![IDENTITY.into()],
        workspace: Some(WORKSPACE.into()),
        environment: Some(ENVIRONMENT.into()),
        container_apps: vec![APP.into()],
        container_app_jobs: Vec::new(),
        network: NetworkTarget {
            virtual_networks: vec![VNET.into()],
            existing_virtual_networks: Vec::new(),
            network_security_groups: vec![NSG.into()],
            private_endpoints: vec!["pe-acrfastapiprod".into(), "pe-stfastapiprod-file".into()],
            private_dns_zones: vec![
                "privatelink.azurecr.io".into(),
                "privatelink.file.core.windows.net".into(),
            ],
            environment_zone: false,
        },
        storage: StorageTarget {
            account: Some(STORAGE_ACCOUNT.into()),
            share: Some(SHARE.into()),
            environment_storage: Some(ENVIRONMENT_STORAGE.into()),
        },
    }
}

async fn stack() -> FakeArm {
    let fake = FakeArm::start(TENANT, CLIENT_ID, SECRET).await;
    arm::serve_stack(&fake);
    fake
}

fn statuses(report: &DriftReport) -> Vec<(String, Status)> {
    report.resources.iter().map(|r| (r.address.clone(), r.status)).collect()
}

fn drifted(report: &DriftReport) -> Vec<&infra::drift::ResourceDrift> {
    report.resources.iter().filter(|r| r.status != Status::InSync).collect()
}

#[tokio::test]
async fn no_drift() {
    let report = drift(&stack().await).await;
    assert!(!report.has_drift(), "{:#?}", drifted(&report));
    assert_json_snapshot!("no_drift", report);
}

#[tokio::test]
async fn sku_changed_in_the_portal() {
    let fake = stack().await;
    let mut registry = arm::registry();
    registry["sku"] = serde_json::json!({ "name": "Standard", "tier": "Standard" });
    fake.set(&registry_path(), Reply::json(200, &registry));
    let report = drift(&fake).await;
    assert_json_snapshot!("sku_changed", drifted(&report));
}

#[tokio::test]
async fn admin_user_switched_on() {
    let fake = stack().await;
    let mut registry = arm::registry();
    registry["properties"]["adminUserEnabled"] = true.into();
    fake.set(&registry_path(), Reply::json(200, &registry));
    assert_json_snapshot!("admin_enabled", drifted(&drift(&fake).await));
}

#[tokio::test]
async fn a_geo_replica_added_and_one_removed() {
    let fake = stack().await;
    let replications = serde_json::json!({ "value": [
        arm::replication("westeurope", "westeurope"),
        arm::replication("swedencentral", "Sweden Central"),
    ]});
    fake.set(&replications_path(), Reply::json(200, &replications));
    assert_json_snapshot!("georeplications", drifted(&drift(&fake).await));
}

#[tokio::test]
async fn an_extra_webhook() {
    let fake = stack().await;
    let webhooks = serde_json::json!({ "value": [arm::webhook("cdpush", &["push"]), arm::webhook("zapierhook", &["push", "delete"])] });
    fake.set(&webhooks_path(), Reply::json(200, &webhooks));
    assert_json_snapshot!("webhooks", drifted(&drift(&fake).await));
}

#[tokio::test]
async fn the_container_apps_image_and_replica_bounds_changed() {
    let fake = stack().await;
    let mut app = arm::container_app();
    app["properties"]["template"]["containers"][0]["image"] =
        "acrfastapiprod.azurecr.io/fastapi-app:1.5.0-hotfix".into();
    app["properties"]["template"]["scale"] = serde_json::json!({ "minReplicas": 0, "maxReplicas": 5, "rules": null });
    fake.set(&app_path(), Reply::json(200, &app));
    assert_json_snapshot!("container_app", drifted(&drift(&fake).await));
}

#[tokio::test]
async fn the_role_assignment_deleted() {
    let fake = stack().await;
    fake.set(
        &role_assignments_path(),
        Reply::json(200, &arm::role_assignments(false)),
    );
    let report = drift(&fake).await;
    assert_eq!(
        statuses(&report)
            .into_iter()
            .filter(|(_, s)| *s != Status::InSync)
            .collect::<Vec<_>>(),
        vec![("azurerm_role_assignment.acr_pull".to_string(), Status::Missing)]
    );
    assert_json_snapshot!("role_assignment_deleted", drifted(&report));
}

#[tokio::test]
async fn the_registry_missing() {
    let fake = stack().await;
    for path in [
        registry_path(),
        replications_path(),
        webhooks_path(),
        tasks_path(),
        role_assignments_path(),
    ] {
        fake.remove(&path);
    }
    let report = drift(&fake).await;
    assert_eq!(
        statuses(&report)
            .into_iter()
            .filter(|(_, s)| *s != Status::InSync)
            .collect::<Vec<_>>(),
        vec![
            ("azurerm_container_registry.main".to_string(), Status::Missing),
            ("azurerm_container_registry_webhook.cdpush".to_string(), Status::Missing),
            ("azurerm_role_assignment.acr_pull".to_string(), Status::Missing),
            // Its private_connection_resource_id is the missing registry's id: known after apply.
            ("azurerm_private_endpoint.registry".to_string(), Status::Drifted),
            // Its registry server is the missing registry's login server: known after apply.
            ("azurerm_container_app.app".to_string(), Status::Drifted),
        ]
    );
    assert_json_snapshot!("registry_missing", drifted(&report));
}

#[tokio::test]
async fn location_spelling_and_id_case_are_not_drift() {
    let fake = stack().await;
    let mut rg = arm::resource_group();
    rg["location"] = "West Europe".into();
    fake.set(&rg_path(), Reply::json(200, &rg));
    let mut app = arm::container_app();
    let upper = identity_path().to_uppercase();
    app["identity"]["userAssignedIdentities"] =
        serde_json::json!({ upper.clone(): { "principalId": PRINCIPAL_ID, "clientId": IDENTITY_CLIENT_ID } });
    app["properties"]["configuration"]["registries"][0]["identity"] = upper.into();
    fake.set(&app_path(), Reply::json(200, &app));
    let mut registry = arm::registry();
    registry["properties"]["networkRuleSet"]["ipRules"] = serde_json::json!([
        { "action": "Allow", "value": "198.51.100.10/32" },
        { "action": "Allow", "value": "203.0.113.0/24" }
    ]);
    fake.set(&registry_path(), Reply::json(200, &registry));
    let report = drift(&fake).await;
    assert!(!report.has_drift(), "{:#?}", drifted(&report));
}

#[tokio::test]
async fn the_resource_group_missing_means_everything_would_be_created() {
    let fake = FakeArm::start(TENANT, CLIENT_ID, SECRET).await;
    let report = drift(&fake).await;
    assert!(
        report.resources.iter().all(|r| r.status == Status::Missing),
        "{:#?}",
        statuses(&report)
    );
    // 8 + prod's network: virtual network, 3 subnets, NSG and its association, 2 DNS zones, 2 links, 2 endpoints;
    // + the storage account, its share and the environment's storage.
    assert_eq!(report.resources.len(), 23);
    assert_eq!(
        fake.requests().iter().filter(|r| r.method == "GET").count(),
        1,
        "stops after the resource group"
    );
}

#[tokio::test]
async fn network_changed_in_the_portal() {
    let fake = stack().await;
    // Someone widened the environment's subnet and removed the registry endpoint's DNS zone group.
    let mut vnet = arm::virtual_network();
    vnet["properties"]["subnets"][0]["properties"]["addressPrefix"] = "10.20.0.0/22".into();
    fake.set(&vnet_path(), Reply::json(200, &vnet));
    fake.set(
        &format!("{}/privateDnsZoneGroups", private_endpoint_path("pe-acrfastapiprod")),
        Reply::json(200, &serde_json::json!({ "value": [] })),
    );
    let report = drift(&fake).await;
    let drifted_network: Vec<(String, Status)> = statuses(&report)
        .into_iter()
        .filter(|(_, s)| *s != Status::InSync)
        .collect();
    assert_eq!(
        drifted_network,
        vec![
            ("azurerm_subnet.environment".to_string(), Status::Drifted),
            ("azurerm_private_endpoint.registry".to_string(), Status::Drifted),
        ]
    );
    let subnet = report
        .resources
        .iter()
        .find(|r| r.address == "azurerm_subnet.environment")
        .unwrap();
    let text = format!("{:?}", subnet.differences);
    assert!(text.contains("10.20.0.0/22") && text.contains("10.20.0.0/23"), "{text}");
}

#[tokio::test]
async fn a_task_the_stack_does_not_declare() {
    let fake = stack().await;
    fake.set(
        &tasks_path(),
        Reply::json(200, &serde_json::json!({ "value": [arm::purge_task()] })),
    );
    let report = drift(&fake).await;
    assert_eq!(
        statuses(&report)
            .into_iter()
            .filter(|(_, s)| *s != Status::InSync)
            .collect::<Vec<_>>(),
        vec![(
            "azurerm_container_registry_task.purge-untagged".to_string(),
            Status::NotDeclared
        )]
    );
}

/// prod with addresses on the storage firewall (the variable's default).
fn declared_with_storage_addresses(addresses: &str) -> Config {
    let text = std::fs::read_to_string("stacks/prod.toml")
        .unwrap()
        .replace("ip_allow_list = []", &format!("ip_allow_list = {addresses}"));
    assert!(text.contains(addresses));
    let stack = infra::stack::Stack::from_toml("stacks/prod.toml", &text).unwrap();
    infra::render::render(&stack, Format::Hcl)
}

fn resource<'a>(report: &'a DriftReport, address: &str) -> &'a infra::drift::ResourceDrift {
    report
        .resources
        .iter()
        .find(|r| r.address == address)
        .unwrap_or_else(|| panic!("{address} not in {:#?}", statuses(report)))
}

#[tokio::test]
async fn storage_is_read_and_in_sync() {
    let report = drift(&stack().await).await;
    for address in [
        "azurerm_storage_account.data",
        "azurerm_storage_share.data",
        "azurerm_container_app_environment_storage.data",
    ] {
        let r = resource(&report, address);
        assert_eq!(r.status, Status::InSync, "{address}: {:#?}", r.differences);
        assert!(r.unchanged_attributes > 0, "{address} compared nothing");
    }
    let account = resource(&report, "azurerm_storage_account.data");
    // The firewall and the SAS policy are compared, not skipped.
    assert_eq!(account.unchanged_blocks, 2, "{account:#?}");
    assert!(account.not_compared.is_empty(), "{:?}", account.not_compared);
    // Only the account key is not compared (it is never returned by a GET of the environment's storage).
    assert_eq!(
        resource(&report, "azurerm_container_app_environment_storage.data").not_compared,
        vec!["access_key".to_string()]
    );
}

#[tokio::test]
async fn storage_firewall_addresses_compare_as_a_set() {
    let fake = stack().await;
    let mut account = arm::storage_account();
    // Azure answers the addresses in its own order.
    account["properties"]["networkAcls"]["ipRules"] = serde_json::json!([
        { "value": "52.160.10.0/24", "action": "Allow" },
        { "value": "20.50.2.7", "action": "Allow" }
    ]);
    fake.set(&storage_account_path(), Reply::json(200, &account));
    let config = declared_with_storage_addresses(r#"["20.50.2.7", "52.160.10.0/24"]"#);
    let report = drift_of(&fake, config.clone(), false).await;
    let r = resource(&report, "azurerm_storage_account.data");
    assert_eq!(r.status, Status::InSync, "{:#?}", r.differences);

    // One address removed in the portal is drift, and names the address.
    account["properties"]["networkAcls"]["ipRules"] =
        serde_json::json!([{ "value": "52.160.10.0/24", "action": "Allow" }]);
    fake.set(&storage_account_path(), Reply::json(200, &account));
    let report = drift_of(&fake, config, false).await;
    let r = resource(&report, "azurerm_storage_account.data");
    assert_eq!(r.status, Status::Drifted);
    let text = format!("{:?}", r.differences);
    assert!(text.contains("network_rules") && text.contains("20.50.2.7"), "{text}");
}

#[tokio::test]
async fn storage_opened_in_the_portal() {
    let fake = stack().await;
    // Someone opened the firewall, let trusted services and logging through, removed the SAS expiry policy,
    // switched shared keys off, lowered TLS, moved to LRS and grew the share.
    let mut account = arm::storage_account();
    account["sku"] = serde_json::json!({ "name": "Standard_LRS", "tier": "Standard" });
    account["properties"]["networkAcls"]["defaultAction"] = "Allow".into();
    account["properties"]["networkAcls"]["bypass"] = "Logging, AzureServices".into();
    account["properties"]["sasPolicy"] = serde_json::Value::Null;
    account["properties"]["allowSharedKeyAccess"] = false.into();
    account["properties"]["minimumTlsVersion"] = "TLS1_0".into();
    fake.set(&storage_account_path(), Reply::json(200, &account));
    let mut share = arm::share();
    share["properties"]["shareQuota"] = 200.into();
    fake.set(&share_path(), Reply::json(200, &share));
    let report = drift(&fake).await;
    let account = resource(&report, "azurerm_storage_account.data");
    assert_eq!(account.status, Status::Drifted);
    let text = format!("{:?}", account.differences);
    for needle in [
        "account_replication_type",
        "\"LRS\"",
        "shared_access_key_enabled",
        "min_tls_version",
        "TLS1_0",
        "network_rules",
        "default_action",
        "bypass",
        "sas_policy",
    ] {
        assert!(text.contains(needle), "{needle} not in {text}");
    }
    // Whether the change replaces the account is what the vendored provider notes say.
    let replication = account
        .differences
        .iter()
        .find_map(|d| (d.path == "account_replication_type").then_some(d.forces_replacement))
        .unwrap();
    assert_eq!(
        replication,
        infra::azurerm::force_new("azurerm_storage_account", "account_replication_type").unwrap_or(false)
    );
    let share = resource(&report, "azurerm_storage_share.data");
    assert_eq!(share.status, Status::Drifted);
    let text = format!("{:?}", share.differences);
    assert!(text.contains("quota") && text.contains("200"), "{text}");
    // Nothing else moved.
    assert_eq!(
        statuses(&report)
            .into_iter()
            .filter(|(_, s)| *s != Status::InSync)
            .count(),
        2,
        "{:#?}",
        statuses(&report)
    );
}

#[tokio::test]
async fn the_environment_storage_pointing_at_another_share() {
    let fake = stack().await;
    let mut storage = arm::environment_storage();
    storage["properties"]["azureFile"]["shareName"] = "other".into();
    storage["properties"]["azureFile"]["accessMode"] = "ReadOnly".into();
    fake.set(&environment_storage_path(), Reply::json(200, &storage));
    let report = drift(&fake).await;
    let r = resource(&report, "azurerm_container_app_environment_storage.data");
    assert_eq!(r.status, Status::Drifted);
    let text = format!("{:?}", r.differences);
    assert!(
        text.contains("share_name") && text.contains("\"other\"") && text.contains("ReadOnly"),
        "{text}"
    );
}

#[tokio::test]
async fn the_storage_account_deleted() {
    let fake = stack().await;
    fake.remove(&storage_account_path());
    let report = drift(&fake).await;
    assert_eq!(
        resource(&report, "azurerm_storage_account.data").status,
        Status::Missing
    );
    // The share is not looked up under an account that does not exist.
    assert_eq!(fake.hits(&share_path()), 0);
    assert_eq!(resource(&report, "azurerm_storage_share.data").status, Status::Missing);
}

/// prod with `[network] internal_load_balancer = true`.
fn declared_internal() -> Config {
    let text = std::fs::read_to_string("stacks/prod.toml").unwrap().replacen(
        "address_space = \"10.20.0.0/16\"\n",
        "address_space = \"10.20.0.0/16\"\ninternal_load_balancer = true\n",
        1,
    );
    assert!(text.contains("internal_load_balancer = true"));
    let stack = infra::stack::Stack::from_toml("stacks/prod.toml", &text).unwrap();
    infra::render::render(&stack, Format::Hcl)
}

/// The fake environment as an internal one, with its private DNS zone (named after its default domain) linked.
async fn internal_stack() -> (FakeArm, String) {
    let fake = stack().await;
    let mut env = arm::environment();
    env["properties"]["vnetConfiguration"]["internal"] = true.into();
    fake.set(&environment_path(), Reply::json(200, &env));
    let domain = env["properties"]["defaultDomain"].as_str().unwrap().to_string();
    fake.set(&dns_zone_path(&domain), Reply::json(200, &arm::dns_zone(&domain)));
    fake.set(
        &format!("{}/virtualNetworkLinks", dns_zone_path(&domain)),
        Reply::json(200, &arm::vnet_links(&domain, "environment-link")),
    );
    (fake, domain)
}

#[tokio::test]
async fn an_internal_environments_zone_is_found_by_its_default_domain() {
    let (fake, domain) = internal_stack().await;
    let report = drift_of(&fake, declared_internal(), false).await;
    for address in [
        "azurerm_container_app_environment.main",
        "azurerm_private_dns_zone.environment",
        "azurerm_private_dns_zone_virtual_network_link.environment",
    ] {
        let r = resource(&report, address);
        assert_eq!(r.status, Status::InSync, "{address}: {:#?}", r.differences);
    }
    // The zone's name was compared (resolved from the live environment), not skipped.
    let zone = resource(&report, "azurerm_private_dns_zone.environment");
    assert!(zone.not_compared.is_empty(), "{:?}", zone.not_compared);
    assert!(fake.hits(&dns_zone_path(&domain)) == 1);
    // The wildcard record is not read (listed as such).
    assert!(report
        .not_checked
        .contains(&"azurerm_private_dns_a_record.environment_wildcard".to_string()));
}

#[tokio::test]
async fn an_internal_environment_made_public_and_its_zone_unlinked() {
    let (fake, domain) = internal_stack().await;
    fake.set(
        &format!("{}/virtualNetworkLinks", dns_zone_path(&domain)),
        Reply::json(200, &serde_json::json!({ "value": [] })),
    );
    let mut env = arm::environment();
    env["properties"]["vnetConfiguration"]["internal"] = false.into();
    fake.set(&environment_path(), Reply::json(200, &env));
    let report = drift_of(&fake, declared_internal(), false).await;
    assert_eq!(
        resource(&report, "azurerm_private_dns_zone_virtual_network_link.environment").status,
        Status::Missing
    );
    let env = resource(&report, "azurerm_container_app_environment.main");
    assert_eq!(env.status, Status::Drifted);
    // internal_load_balancer_enabled is ForceNew: undoing the drift replaces the environment.
    assert!(env.forces_replacement(), "{:#?}", env.differences);
}

// ---- the official REST examples' shapes (tests/fixtures/arm-examples/, see its README) ----

/// An ARM body written in the shape of an official REST API example.
fn example(name: &str) -> serde_json::Value {
    let path = format!("tests/fixtures/arm-examples/{name}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[tokio::test]
async fn a_resource_group_body_with_only_a_location_is_read() {
    let fake = stack().await;
    fake.set(
        &rg_path(),
        Reply::json(200, &example("resource_group_location_only.json")),
    );
    let report = drift(&fake).await;
    let rg = resource(&report, "azurerm_resource_group.main");
    // Named by the request: found, compared (name, location, tags), in sync.
    assert_eq!(rg.status, Status::InSync, "{:#?}", rg.differences);
    assert_eq!(rg.unchanged_attributes, 3, "{rg:#?}");
    assert!(!report.has_drift(), "{:#?}", drifted(&report));
}

#[tokio::test]
async fn what_the_container_apps_service_defaults_is_not_drift() {
    let fake = stack().await;
    let body = example("container_app_service_defaults.json");
    // The example's shape: no activeRevisionsMode, no maxReplicas, memory written as 1.0Gi.
    assert!(body.pointer("/properties/configuration/activeRevisionsMode").is_none());
    assert!(body.pointer("/properties/template/scale/maxReplicas").is_none());
    fake.set(&app_path(), Reply::json(200, &body));
    let report = drift(&fake).await;
    let app = resource(&report, "azurerm_container_app.app");
    assert_eq!(app.status, Status::InSync, "{:#?}", app.differences);
    for compared in ["revision_mode", "template.max_replicas", "template.container.memory"] {
        assert!(
            !app.not_compared.iter().any(|n| n == compared),
            "{compared} was skipped: {app:#?}"
        );
    }

    // Compared, not skipped: values the service did not default are still drift.
    let mut changed = body.clone();
    changed["properties"]["configuration"]["activeRevisionsMode"] = "Multiple".into();
    changed["properties"]["template"]["scale"]["maxReplicas"] = 4.into();
    changed["properties"]["template"]["containers"][0]["resources"]["memory"] = "1.5Gi".into();
    fake.set(&app_path(), Reply::json(200, &changed));
    let report = drift(&fake).await;
    let text = format!("{:?}", resource(&report, "azurerm_container_app.app").differences);
    for needle in [
        "revision_mode",
        "Multiple",
        "max_replicas",
        "Number(4)",
        "memory",
        "1.5Gi",
    ] {
        assert!(text.contains(needle), "{needle} not in {text}");
    }
}

#[tokio::test]
async fn a_sparse_container_app_is_drift_not_an_error() {
    let fake = stack().await;
    let sparse = example("container_app_sparse.json");
    fake.set(&app_path(), Reply::json(200, &sparse));
    let report = drift(&fake).await;
    let app = resource(&report, "azurerm_container_app.app");
    assert_eq!(app.status, Status::Drifted);
    let text = format!("{:?}", app.differences);
    // What the body lacks is what applying the stack would add: the registry, the ingress, the identity, the
    // container's name (its image is not compared: prod's depends on a variable with a null default).
    for needle in ["\"registry\"", "\"ingress\"", "\"identity\"", "\"fastapi-app\""] {
        assert!(text.contains(needle), "{needle} not in {text}");
    }

    // Without `properties` at all.
    let mut bare = sparse.clone();
    bare.as_object_mut().unwrap().remove("properties");
    fake.set(&app_path(), Reply::json(200, &bare));
    let report = drift(&fake).await;
    assert_eq!(resource(&report, "azurerm_container_app.app").status, Status::Drifted);
}

#[tokio::test]
async fn tasks_are_read_at_the_stable_api_version() {
    let fake = stack().await;
    fake.set(&tasks_path(), Reply::json(200, &example("registry_tasks_list.json")));
    let report = drift(&fake).await;
    let queries: Vec<String> = fake
        .requests()
        .iter()
        .filter(|r| r.path == tasks_path())
        .map(|r| r.query.clone())
        .collect();
    assert_eq!(queries, vec!["api-version=2019-04-01".to_string()]);
    let task = resource(&report, "azurerm_container_registry_task.purge-untagged");
    assert_eq!(task.status, Status::NotDeclared);
    let text = format!("{:?}", task.differences);
    assert!(
        text.contains("timer_trigger") && text.contains("weekly") && text.contains("Bool(false)"),
        "{text}"
    );
}

// ---- issue 24: aligned bodies in the shape of the official REST examples show no drift ----

/// prod's private endpoints as `PrivateEndpointGet.json` (Microsoft.Network 2024-05-01) shapes them: the
/// connection has no `name` (`PrivateLinkServiceConnection.name` is optional in `privateEndpoint.json`).
#[tokio::test]
async fn a_private_endpoint_connection_without_a_name_is_not_drift() {
    let fake = stack().await;
    for (pe, target, group) in [
        ("pe-acrfastapiprod", registry_path(), "registry"),
        ("pe-stfastapiprod-file", storage_account_path(), "file"),
    ] {
        let mut body = arm::private_endpoint(pe, &target, group);
        body["properties"]["privateLinkServiceConnections"][0]
            .as_object_mut()
            .unwrap()
            .remove("name");
        fake.set(&private_endpoint_path(pe), Reply::json(200, &body));
    }
    let report = drift(&fake).await;
    for address in ["azurerm_private_endpoint.registry", "azurerm_private_endpoint.file"] {
        let r = resource(&report, address);
        assert_eq!(r.status, Status::InSync, "{address}: {:#?}", r.differences);
        // The name Azure did not answer is not compared, and said so.
        assert!(
            r.not_compared.contains(&"private_service_connection.name".to_string()),
            "{address}: {:?}",
            r.not_compared
        );
    }
    assert!(!report.has_drift(), "{:#?}", drifted(&report));
}

/// `networkAcls` without `bypass`, as in `StorageAccountGetProperties.json`'s older shapes: the spec's
/// `"default": "AzureServices"` (`NetworkRuleSet.bypass`, storage.json 2023-05-01) is what prod declares.
#[tokio::test]
async fn storage_without_bypass_reads_the_spec_default() {
    let fake = stack().await;
    let mut account = arm::storage_account();
    account["properties"]["networkAcls"]
        .as_object_mut()
        .unwrap()
        .remove("bypass");
    fake.set(&storage_account_path(), Reply::json(200, &account));
    let report = drift(&fake).await;
    let r = resource(&report, "azurerm_storage_account.data");
    assert_eq!(r.status, Status::InSync, "{:#?}", r.differences);

    // No networkAcls at all: the whole rule set reads as the spec's defaults (Allow, AzureServices), so prod's
    // Deny is drift on `default_action` only, not a block added.
    account["properties"].as_object_mut().unwrap().remove("networkAcls");
    fake.set(&storage_account_path(), Reply::json(200, &account));
    let report = drift(&fake).await;
    let r = resource(&report, "azurerm_storage_account.data");
    let paths: Vec<&str> = r.differences.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(paths, ["network_rules.default_action"], "{:#?}", r.differences);
}

/// A file share and an environment storage without `id` and `name` (read-only in `Resource` of common-types,
/// required of no GET body) are read by the name requested, as the resource group, network and account are.
#[tokio::test]
async fn a_share_and_an_environment_storage_without_id_or_name_are_read() {
    let fake = stack().await;
    for (path, mut body) in [
        (share_path(), arm::share()),
        (environment_storage_path(), arm::environment_storage()),
    ] {
        let object = body.as_object_mut().unwrap();
        object.remove("id");
        object.remove("name");
        fake.set(&path, Reply::json(200, &body));
    }
    let report = drift(&fake).await;
    for address in [
        "azurerm_storage_share.data",
        "azurerm_container_app_environment_storage.data",
    ] {
        let r = resource(&report, address);
        assert_eq!(r.status, Status::InSync, "{address}: {:#?}", r.differences);
    }
}

/// A webhook's tags are read and compared like any tracked resource's (`Webhook` in containerregistry.json
/// 2023-07-01 is a `Resource` with `tags`).
#[tokio::test]
async fn webhook_tags_are_compared() {
    let report = drift(&stack().await).await;
    let address = "azurerm_container_registry_webhook.cdpush";
    let r = resource(&report, address);
    assert!(!r.not_compared.contains(&"tags".to_string()), "{:?}", r.not_compared);
    let fake = stack().await;
    let mut webhooks = arm::webhooks();
    webhooks["value"][0]["tags"] = serde_json::json!({ "owner": "someone-else" });
    fake.set(&webhooks_path(), Reply::json(200, &webhooks));
    let report = drift(&fake).await;
    let r = resource(&report, address);
    assert_eq!(r.status, Status::Drifted, "{r:#?}");
    assert!(r.differences.iter().any(|d| d.path == "tags"), "{:#?}", r.differences);
}

/// With the storage account deleted, what names it by a configured attribute (`account_name =
/// azurerm_storage_account.data.name`) is known at plan time, as Terraform knows it: the environment storage is
/// not replaced. What needs the new account's ID (the private endpoint's target) is `(known after apply)`.
#[tokio::test]
async fn a_missing_account_does_not_replace_what_names_it() {
    let fake = stack().await;
    fake.remove(&storage_account_path());
    let report = drift(&fake).await;
    let storage = resource(&report, "azurerm_container_app_environment_storage.data");
    assert_eq!(storage.status, Status::InSync, "{:#?}", storage.differences);
    assert_eq!(resource(&report, "azurerm_storage_share.data").status, Status::Missing);

    // The share missing alone: the environment storage names it by its configured name.
    let fake = stack().await;
    fake.remove(&share_path());
    let report = drift(&fake).await;
    assert_eq!(resource(&report, "azurerm_storage_share.data").status, Status::Missing);
    let storage = resource(&report, "azurerm_container_app_environment_storage.data");
    assert_eq!(storage.status, Status::InSync, "{:#?}", storage.differences);
}

/// The JSON view lists what was not compared on every resource, in sync or not.
#[tokio::test]
async fn the_json_view_lists_what_was_not_compared_on_every_resource() {
    let report = drift(&stack().await).await;
    assert!(!report.has_drift());
    let json: serde_json::Value =
        serde_json::from_str(&infra::diff::json::render(&infra::drift::to_change_set(&report))).unwrap();
    let text = json.to_string();
    // The environment storage is in sync; its account key is never returned by a GET.
    assert!(
        text.contains("azurerm_container_app_environment_storage.data") && text.contains("access_key"),
        "{json:#}"
    );
}

/// prod with a manual job that reads a Key Vault secret with the stack's identity (issue 25: drift of jobs).
fn declared_with_job() -> Config {
    let mut text = std::fs::read_to_string("stacks/prod.toml").unwrap();
    text.push_str(&format!(
        r#"
[jobs.report]
name = "{JOB}"
trigger = "Manual"
replica_timeout_in_seconds = 600

[jobs.report.key_vault]
id = "/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-platform/providers/Microsoft.KeyVault/vaults/kv-platform"

[jobs.report.container]
name = "report"
image = "fastapi-app"
cpu = 0.25
memory = "0.5Gi"

[[jobs.report.secrets]]
name = "database-url"
env = "DATABASE_URL"
key_vault_secret = "database-url"
"#
    ));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("prod.toml");
    std::fs::write(&path, text).unwrap();
    let stack = infra::stack::Stack::load(&path).unwrap();
    infra::render::render(&stack, Format::Hcl)
}

const JOB_ADDRESS: &str = "azurerm_container_app_job.report";

#[tokio::test]
async fn a_job_and_its_key_vault_reference_are_read_and_in_sync() {
    let fake = stack().await;
    fake.set(&job_path(), Reply::json(200, &arm::job()));
    let report = drift_of(&fake, declared_with_job(), false).await;
    assert!(
        !report.not_checked.iter().any(|a| a == JOB_ADDRESS),
        "{:?}",
        report.not_checked
    );
    let job = resource(&report, JOB_ADDRESS);
    assert_eq!(job.status, Status::InSync, "{job:#?}");
    assert!(
        !job.not_compared
            .iter()
            .any(|n| n.starts_with("secret") || n.starts_with("replica_timeout")),
        "{:?}",
        job.not_compared
    );
    assert!(fake
        .requests()
        .iter()
        .any(|r| r.path == job_path() && r.query == "api-version=2024-03-01"));
}

#[tokio::test]
async fn a_job_whose_key_vault_reference_and_timeout_changed_in_the_portal() {
    let fake = stack().await;
    let mut job = arm::job();
    job["properties"]["configuration"]["secrets"][0]["keyVaultUrl"] =
        "https://kv-elsewhere.vault.azure.net/secrets/database-url".into();
    job["properties"]["configuration"]["replicaTimeout"] = 1800.into();
    fake.set(&job_path(), Reply::json(200, &job));
    let report = drift_of(&fake, declared_with_job(), false).await;
    let drift = resource(&report, JOB_ADDRESS);
    assert_eq!(drift.status, Status::Drifted, "{drift:#?}");
    let paths: Vec<&str> = drift.differences.iter().map(|d| d.path.as_str()).collect();
    assert!(paths.iter().any(|p| p.starts_with("secret")), "{paths:?}");
    assert!(paths.contains(&"replica_timeout_in_seconds"), "{paths:?}");
}

#[tokio::test]
async fn a_deleted_job_would_be_created() {
    let fake = stack().await;
    fake.set(
        &job_path(),
        Reply::json(
            404,
            &serde_json::json!({ "error": { "code": "ResourceNotFound", "message": "not found" } }),
        ),
    );
    let report = drift_of(&fake, declared_with_job(), false).await;
    assert_eq!(resource(&report, JOB_ADDRESS).status, Status::Missing);
}
