//! Declared (stacks/prod.toml, rendered) against live (read from the fake ARM): what `infra drift` reports.

mod support;

use infra::drift::azure::{Azure, AzureSettings, RetrySettings};
use infra::drift::compare::{compare, DriftReport, Status};
use infra::drift::network::NetworkTarget;
use infra::drift::project::project;
use infra::drift::read::Target;
use infra::terraform::{Config, Format};

use std::time::Duration;
use support::arm::{self, *};
use support::fake_arm::{FakeArm, Reply};

/// insta's `assert_json_snapshot!` with this project's snapshot folder (`snapshots/drift/`).
macro_rules! assert_json_snapshot {
    ($($t:tt)*) => {{
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path("../snapshots/drift");
        let _guard = settings.bind_to_scope();
        insta::assert_json_snapshot!($($t)*)
    }};
}

const SECRET: &str = "compare-tests-secret";

fn declared() -> Config {
    let stack = infra::stack::Stack::load(std::path::Path::new("stacks/prod.toml")).unwrap();
    infra::render::render(&stack, Format::Hcl)
}

async fn drift(fake: &FakeArm) -> DriftReport {
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
    let config = declared();
    let target = Target::from_config(&config).unwrap();
    assert_eq!(
        target,
        Target {
            resource_group: RG.into(),
            registry: Some(ACR.into()),
            identity: Some(IDENTITY.into()),
            workspace: Some(WORKSPACE.into()),
            environment: Some(ENVIRONMENT.into()),
            container_app: Some(APP.into()),
            network: NetworkTarget {
                virtual_networks: vec![VNET.into()],
                network_security_groups: vec![NSG.into()],
                private_endpoints: vec!["pe-acrfastapiprod".into(), "pe-stfastapiprod-file".into()],
                private_dns_zones: vec![
                    "privatelink.azurecr.io".into(),
                    "privatelink.file.core.windows.net".into()
                ],
            },
        }
    );
    let live = Azure::connect(&settings).unwrap().read_live(&target).await.unwrap();
    compare(&config, &project(&live))
}

async fn stack() -> FakeArm {
    let fake = FakeArm::start(TENANT, CLIENT_ID, SECRET).await;
    arm::serve_stack(&fake);
    fake
}

fn statuses(report: &DriftReport) -> Vec<(String, Status)> {
    report.resources.iter().map(|r| (r.address.clone(), r.status)).collect()
}

fn drifted(report: &DriftReport) -> Vec<&infra::drift::compare::ResourceDrift> {
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
    // 8 + prod's network: virtual network, 2 subnets, NSG and its association, 2 DNS zones, 2 links, 2 endpoints.
    assert_eq!(report.resources.len(), 19);
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
