//! `infra drift`'s Azure side against a fake ARM + token endpoint on 127.0.0.1.

use crate::support::arm::{self, *};
use crate::support::fake_arm::{FakeArm, Reply};
use infra::drift::{Azure, AzureError, AzureSettings, LiveStack, RetrySettings, Target};
use std::time::{Duration, Instant};

/// `json_snapshot!` into `snapshots/drift/`, named `drift_azure__<name>` (as when this file was its own test binary).
macro_rules! assert_json_snapshot {
    ($name:expr, $value:expr) => {
        json_snapshot!("drift", format!("drift_azure__{}", $name), $value)
    };
}

/// Distinctive, so that a leak anywhere is found by a plain substring search.
const SECRET: &str = "Zq8~leak-canary-7Hf2.Rb91_xY";

fn settings(fake: &FakeArm, secret: &str) -> AzureSettings {
    let base = fake.base_url();
    let env = |key: &str| -> Option<String> {
        match key {
            "AZURE_TENANT_ID" => Some(TENANT.into()),
            "AZURE_CLIENT_ID" => Some(CLIENT_ID.into()),
            "AZURE_CLIENT_SECRET" => Some(secret.into()),
            "INFRA_ARM_ENDPOINT" | "AZURE_AUTHORITY_HOST" => Some(base.clone()),
            _ => None,
        }
    };
    let mut settings = AzureSettings::from_lookup(SUBSCRIPTION, &env).unwrap();
    settings.timeout = Duration::from_secs(2);
    settings.retry = RetrySettings {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(100),
        max_retry_after: Duration::from_secs(5),
    };
    settings
}

fn target() -> Target {
    Target {
        resource_group: RG.into(),
        registry: Some(ACR.into()),
        identities: vec![IDENTITY.into()],
        workspace: Some(WORKSPACE.into()),
        environment: Some(ENVIRONMENT.into()),
        container_apps: vec![APP.into()],
        container_app_jobs: Vec::new(),
        network: Default::default(),
        storage: infra::drift::StorageTarget {
            account: Some(STORAGE_ACCOUNT.into()),
            share: Some(SHARE.into()),
            environment_storage: Some(ENVIRONMENT_STORAGE.into()),
        },
    }
}

const REGISTRY: &str = "azurerm_container_registry";
const WEBHOOK: &str = "azurerm_container_registry_webhook";
const IDENTITY_TYPE: &str = "azurerm_user_assigned_identity";
const ROLE_ASSIGNMENT: &str = "azurerm_role_assignment";
const APP_TYPE: &str = "azurerm_container_app";

async fn read(fake: &FakeArm) -> Result<LiveStack, AzureError> {
    let azure = Azure::connect(&settings(fake, SECRET)).unwrap();
    azure.read_live(&target()).await
}

/// An error's message with the fake's random port replaced, so it can be pinned.
fn message(fake: &FakeArm, error: &AzureError) -> String {
    error.to_string().replace(&fake.base_url(), "{arm}/")
}

async fn stack() -> FakeArm {
    let fake = FakeArm::start(TENANT, CLIENT_ID, SECRET).await;
    arm::serve_stack(&fake);
    fake
}

#[tokio::test]
async fn reads_the_live_stack_normalised() {
    let fake = stack().await;
    let live = read(&fake).await.unwrap();
    assert_json_snapshot!("live_stack", live);

    // The requests: one token, then GETs at the API versions of the real API, all authenticated.
    let requests = fake.requests();
    let token_requests: Vec<_> = requests.iter().filter(|r| r.method == "POST").collect();
    assert_eq!(token_requests.len(), 1, "the token is cached across requests");
    assert_eq!(token_requests[0].path, format!("/{TENANT}/oauth2/v2.0/token"));
    assert!(
        token_requests[0].body.contains("scope=http%3A%2F%2F127.0.0.1"),
        "{}",
        token_requests[0].body
    );
    let gets: Vec<String> = requests
        .iter()
        .filter(|r| r.method == "GET")
        .map(|r| format!("{} ?{}", r.path.replace(&rg_path(), "{rg}"), r.query))
        .collect();
    assert_eq!(
        gets,
        vec![
            "{rg} ?api-version=2021-04-01".to_string(),
            "{rg}/providers/Microsoft.ContainerRegistry/registries/acrfastapiprod ?api-version=2023-07-01".to_string(),
            "{rg}/providers/Microsoft.ContainerRegistry/registries/acrfastapiprod/replications ?api-version=2023-07-01".to_string(),
            "{rg}/providers/Microsoft.ContainerRegistry/registries/acrfastapiprod/webhooks ?api-version=2023-07-01".to_string(),
            "{rg}/providers/Microsoft.ContainerRegistry/registries/acrfastapiprod/tasks ?api-version=2019-04-01".to_string(),
            "{rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-fastapi-prod ?api-version=2023-01-31".to_string(),
            "{rg}/providers/Microsoft.ContainerRegistry/registries/acrfastapiprod/providers/Microsoft.Authorization/roleAssignments ?api-version=2022-04-01&%24filter=atScope%28%29".to_string(),
            "{rg}/providers/Microsoft.OperationalInsights/workspaces/log-fastapi-prod ?api-version=2022-10-01".to_string(),
            "{rg}/providers/Microsoft.App/managedEnvironments/cae-fastapi-prod ?api-version=2024-03-01".to_string(),
            "{rg}/providers/Microsoft.App/containerApps/ca-fastapi-prod ?api-version=2024-03-01".to_string(),
            "{rg}/providers/Microsoft.Storage/storageAccounts/stfastapiprod ?api-version=2023-05-01".to_string(),
            "{rg}/providers/Microsoft.Storage/storageAccounts/stfastapiprod/fileServices/default/shares/data ?api-version=2023-05-01".to_string(),
            "{rg}/providers/Microsoft.App/managedEnvironments/cae-fastapi-prod/storages/data ?api-version=2024-03-01".to_string(),
        ]
    );
    assert!(requests
        .iter()
        .filter(|r| r.method == "GET")
        .all(|r| r.authorization.as_deref().is_some_and(|a| a.starts_with("Bearer eyJ"))));
}

// ---- drift scenarios: what the live state reads as ----

#[tokio::test]
async fn sku_changed_in_the_portal() {
    let fake = stack().await;
    let mut registry = arm::registry();
    registry["sku"] = serde_json::json!({ "name": "Standard", "tier": "Standard" });
    fake.set(&registry_path(), Reply::json(200, &registry));
    let live = read(&fake).await.unwrap();
    let registry = live.get(REGISTRY).unwrap();
    assert_eq!(registry.attributes["sku"], "Standard");
    assert_eq!(registry.attributes["georeplications"], serde_json::json!([]));
    assert_eq!(
        fake.hits(&replications_path()),
        0,
        "replications are Premium-only and not listed otherwise"
    );
}

#[tokio::test]
async fn admin_user_switched_on() {
    let fake = stack().await;
    let mut registry = arm::registry();
    registry["properties"]["adminUserEnabled"] = true.into();
    fake.set(&registry_path(), Reply::json(200, &registry));
    let live = read(&fake).await.unwrap();
    let registry = live.get(REGISTRY).unwrap();
    assert_eq!(registry.attributes["admin_enabled"], true);
    // Nothing else moved.
    let mut expected = read_baseline().await.get(REGISTRY).unwrap().clone();
    expected.attributes["admin_enabled"] = true.into();
    assert_eq!(*registry, expected);
}

async fn read_baseline() -> LiveStack {
    read(&stack().await).await.unwrap()
}

#[tokio::test]
async fn a_geo_replica_added_and_one_removed() {
    let fake = stack().await;
    // North Europe deleted, Sweden Central added (Azure answers display names for some regions).
    let replications = serde_json::json!({ "value": [
        arm::replication("westeurope", "westeurope"),
        arm::replication("swedencentral", "Sweden Central"),
    ]});
    fake.set(&replications_path(), Reply::json(200, &replications));
    let live = read(&fake).await.unwrap();
    let locations: Vec<&str> = live.get(REGISTRY).unwrap().attributes["georeplications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["location"].as_str().unwrap())
        .collect();
    assert_eq!(
        locations,
        vec!["swedencentral"],
        "the home-region replication is not a geo-replica"
    );
}

#[tokio::test]
async fn an_extra_webhook() {
    let fake = stack().await;
    let webhooks = serde_json::json!({ "value": [
        arm::webhook("deployhook", &["push", "delete"]),
        arm::webhook("zapierhook", &["push"]),
    ]});
    fake.set(&webhooks_path(), Reply::json(200, &webhooks));
    let live = read(&fake).await.unwrap();
    let names: Vec<&str> = live.all(WEBHOOK).map(|w| w.name.as_str()).collect();
    assert_eq!(names, vec!["deployhook", "zapierhook"]);
}

#[tokio::test]
async fn the_container_apps_image_and_replica_bounds_changed() {
    let fake = stack().await;
    let mut app = arm::container_app();
    app["properties"]["template"]["containers"][0]["image"] =
        "acrfastapiprod.azurecr.io/fastapi-app:1.5.0-hotfix".into();
    app["properties"]["template"]["scale"] = serde_json::json!({ "minReplicas": 0, "maxReplicas": 5, "rules": null });
    fake.set(&app_path(), Reply::json(200, &app));
    let live = read(&fake).await.unwrap();
    let template = &live.get(APP_TYPE).unwrap().attributes["template"][0];
    assert_eq!(
        template["container"][0]["image"],
        "acrfastapiprod.azurecr.io/fastapi-app:1.5.0-hotfix"
    );
    assert_eq!(
        (&template["min_replicas"], &template["max_replicas"]),
        (&0.into(), &5.into())
    );
}

#[tokio::test]
async fn the_role_assignment_deleted() {
    let fake = stack().await;
    // Only the inherited subscription Reader of someone else is left at the registry's scope.
    fake.set(
        &role_assignments_path(),
        Reply::json(200, &arm::role_assignments(false)),
    );
    let live = read(&fake).await.unwrap();
    assert_eq!(live.get(ROLE_ASSIGNMENT), None);
    assert!(live.get(REGISTRY).is_some() && live.get(IDENTITY_TYPE).is_some());
}

#[tokio::test]
async fn an_acr_pull_inherited_from_the_resource_group_is_not_the_one_infra_renders() {
    let fake = stack().await;
    let mut list = arm::role_assignments(false);
    let mut inherited = arm::role_assignments(true)["value"][1].clone();
    inherited["properties"]["scope"] = rg_path().into();
    list["value"].as_array_mut().unwrap().push(inherited);
    fake.set(&role_assignments_path(), Reply::json(200, &list));
    assert_eq!(read(&fake).await.unwrap().get(ROLE_ASSIGNMENT), None);
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
    let live = read(&fake).await.unwrap();
    assert_eq!(live.get(REGISTRY), None);
    assert_eq!(
        live.get(ROLE_ASSIGNMENT),
        None,
        "no registry, no assignment at its scope"
    );
    assert!(live.get(IDENTITY_TYPE).is_some() && live.get(APP_TYPE).is_some());
    assert_eq!(
        fake.hits(&replications_path()),
        0,
        "the registry's parts are not asked for"
    );
    assert_eq!(fake.hits(&role_assignments_path()), 0);
}

#[tokio::test]
async fn the_resource_group_missing_stops_early() {
    let fake = FakeArm::start(TENANT, CLIENT_ID, SECRET).await;
    let live = read(&fake).await.unwrap();
    assert_eq!(live, LiveStack::default());
    assert_eq!(fake.requests().iter().filter(|r| r.method == "GET").count(), 1);
}

#[tokio::test]
async fn a_paged_role_assignment_list_is_followed() {
    let fake = stack().await;
    let second = format!("{}/page2", role_assignments_path());
    let mut first = arm::role_assignments(false);
    first["nextLink"] = format!(
        "{}{}?api-version=2022-04-01&%24filter=atScope%28%29&%24skipToken=abc",
        fake.base_url(),
        &second[1..]
    )
    .into();
    let mut rest = arm::role_assignments(true);
    rest["value"].as_array_mut().unwrap().remove(0);
    fake.set(&role_assignments_path(), Reply::json(200, &first));
    fake.set(&second, Reply::json(200, &rest));
    assert!(read(&fake).await.unwrap().get(ROLE_ASSIGNMENT).is_some());
    assert_eq!(fake.hits(&second), 1);
}

// ---- faults ----

#[tokio::test]
async fn throttled_then_success_honours_retry_after() {
    let fake = stack().await;
    fake.push(
        &registry_path(),
        Reply::arm_error(429, "TooManyRequests", "The request is being throttled.").header("Retry-After", "1"),
    );
    fake.push(
        &identity_path(),
        Reply::arm_error(503, "ServiceUnavailable", "Try again later."),
    );
    let started = Instant::now();
    let live = read(&fake).await.unwrap();
    let elapsed = started.elapsed();
    assert_eq!(live, read_baseline().await, "the retried reads give the same result");
    assert_eq!(fake.hits(&registry_path()), 2, "registry client: one 429, one retry");
    assert_eq!(fake.hits(&identity_path()), 2, "plain ARM GET: one 503, one retry");
    assert!(
        elapsed >= Duration::from_secs(1),
        "Retry-After: 1 was not honoured ({elapsed:?})"
    );
    assert!(elapsed < Duration::from_secs(4), "{elapsed:?}");
}

#[tokio::test]
async fn server_error_three_times_gives_up_after_three_attempts() {
    let fake = stack().await;
    for _ in 0..3 {
        fake.push(
            &app_path(),
            Reply::arm_error(500, "InternalServerError", "Encountered internal server error."),
        );
    }
    let error = read(&fake).await.unwrap_err();
    assert_eq!(
        message(&fake, &error),
        format!(
            "Azure answered 500 (InternalServerError) on all 3 attempts at {{arm}}/{}?api-version=2024-03-01; try again later",
            &app_path()[1..]
        )
    );
    assert_eq!(
        fake.hits(&app_path()),
        3,
        "bounded: the 4th (healthy) answer is never asked for"
    );

    // The same through the registry client.
    let fake = stack().await;
    for _ in 0..3 {
        fake.push(
            &webhooks_path(),
            Reply::arm_error(500, "InternalServerError", "Encountered internal server error."),
        );
    }
    let error = read(&fake).await.unwrap_err();
    assert!(
        matches!(
            error,
            AzureError::RetriesExhausted {
                attempts: 3,
                status: 500,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(fake.hits(&webhooks_path()), 3);
}

#[tokio::test]
async fn a_response_slower_than_the_timeout() {
    let fake = stack().await;
    fake.push(
        &workspace_path(),
        Reply::json(200, &arm::workspace()).delay(Duration::from_secs(5)),
    );
    let mut slow = settings(&fake, SECRET);
    slow.timeout = Duration::from_millis(400);
    let azure = Azure::connect(&slow).unwrap();
    let started = Instant::now();
    let error = azure.read_live(&target()).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
    assert_eq!(
        message(&fake, &error),
        format!(
            "no answer from {{arm}}/{}?api-version=2022-10-01 within 400ms; raise --timeout or try again later",
            &workspace_path()[1..]
        )
    );
    assert_eq!(fake.hits(&workspace_path()), 1, "a timed-out request is not retried");

    // The registry client is bounded the same way.
    let fake = stack().await;
    fake.push(
        &registry_path(),
        Reply::json(200, &arm::registry()).delay(Duration::from_secs(5)),
    );
    let mut slow = settings(&fake, SECRET);
    slow.timeout = Duration::from_millis(400);
    let error = Azure::connect(&slow).unwrap().read_live(&target()).await.unwrap_err();
    assert!(matches!(error, AzureError::Timeout { .. }), "{error:?}");
}

#[tokio::test]
async fn truncated_json() {
    let fake = stack().await;
    let body = serde_json::to_string(&arm::container_app()).unwrap();
    fake.set(&app_path(), Reply::raw(200, &body[..body.len() / 2]));
    let error = read(&fake).await.unwrap_err();
    let text = message(&fake, &error);
    assert!(
        text.starts_with(&format!(
            "malformed response for container app 'ca-fastapi-prod' from {{arm}}/{}?api-version=2024-03-01: EOF while parsing",
            &app_path()[1..]
        )),
        "{text}"
    );

    // Through the registry client too.
    let fake = stack().await;
    let body = serde_json::to_string(&arm::registry()).unwrap();
    fake.set(&registry_path(), Reply::raw(200, &body[..body.len() - 10]));
    let error = read(&fake).await.unwrap_err();
    let text = message(&fake, &error);
    assert!(
        text.starts_with(&format!(
            "malformed response for container registry 'acrfastapiprod' from {{arm}}/{}?api-version=2023-07-01: EOF while parsing",
            &registry_path()[1..]
        )),
        "{text}"
    );
}

#[tokio::test]
async fn arm_rejects_the_token() {
    let fake = stack().await;
    fake.push(
        &rg_path(),
        Reply::arm_error(401, "InvalidAuthenticationToken", "The access token is invalid."),
    );
    let error = read(&fake).await.unwrap_err();
    assert_eq!(
        message(&fake, &error),
        format!(
            "Azure rejected the credential (401) at {{arm}}/{}?api-version=2021-04-01: InvalidAuthenticationToken: The \
             access token is invalid. Check AZURE_TENANT_ID / AZURE_CLIENT_ID and that the client secret has not \
             expired, or run `az login` again",
            &rg_path()[1..]
        )
    );
}

#[tokio::test]
async fn entra_id_rejects_the_client_secret() {
    let fake = FakeArm::start(TENANT, CLIENT_ID, "the-real-secret").await;
    arm::serve_stack(&fake);
    let error = read(&fake).await.unwrap_err();
    assert_eq!(
        message(&fake, &error),
        format!(
            "Azure rejected the credential (401) at {{arm}}/{TENANT}/oauth2/v2.0/token: invalid_client: AADSTS7000215: \
             Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, \
             not the client secret ID, for a secret added to app '{CLIENT_ID}'. Check AZURE_TENANT_ID / \
             AZURE_CLIENT_ID and that the client secret has not expired, or run `az login` again"
        )
    );
    assert_eq!(
        fake.requests().iter().filter(|r| r.method == "GET").count(),
        0,
        "no ARM request without a token"
    );
}

#[tokio::test]
async fn forbidden_names_the_missing_permission() {
    let fake = stack().await;
    fake.set(
        &registry_path(),
        Reply::arm_error(
            403,
            "AuthorizationFailed",
            &format!(
                "The client '{CLIENT_ID}' with object id '5d8e2f1a-3b4c-4d5e-9f6a-7b8c9d0e1f2a' does not have authorization \
                 to perform action 'Microsoft.ContainerRegistry/registries/read' over scope '{}' or the scope is invalid. \
                 If access was recently granted, please refresh your credentials.",
                registry_path()
            ),
        ),
    );
    let error = read(&fake).await.unwrap_err();
    assert_eq!(
        message(&fake, &error),
        format!(
            "permission denied (403) at {{arm}}/{}?api-version=2023-07-01: the signed-in identity needs Reader on \
             resource group 'rg-fastapi-prod' (missing permission Microsoft.ContainerRegistry/registries/read)",
            &registry_path()[1..]
        )
    );
}

#[tokio::test]
async fn the_subscription_does_not_exist() {
    let fake = stack().await;
    fake.set(
        &rg_path(),
        Reply::arm_error(
            404,
            "SubscriptionNotFound",
            &format!("The subscription '{SUBSCRIPTION}' could not be found."),
        ),
    );
    let error = read(&fake).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "subscription '{SUBSCRIPTION}' was not found, or the signed-in identity has no access to it. Check \
             --subscription and that the identity has Reader on the stack's resource group"
        )
    );
}

#[tokio::test]
async fn nothing_listening() {
    let fake = FakeArm::start(TENANT, CLIENT_ID, SECRET).await;
    let mut gone = settings(&fake, SECRET);
    let base = fake.base_url();
    drop(fake);
    gone.retry.max_attempts = 1;
    let error = Azure::connect(&gone).unwrap().read_live(&target()).await.unwrap_err();
    let text = error.to_string().replace(&base, "{arm}/");
    assert!(
        text.starts_with(&format!("could not reach {{arm}}/{TENANT}/oauth2/v2.0/token: ")),
        "{text}"
    );
}

// ---- the client secret never leaks ----

#[tokio::test]
async fn the_client_secret_never_appears_in_any_output_or_error() {
    let mut seen = Vec::<String>::new();

    // Wrong secret at the token endpoint (Entra ID's error text is passed on).
    let fake = FakeArm::start(TENANT, CLIENT_ID, "some-other-secret").await;
    let azure = Azure::connect(&settings(&fake, SECRET)).unwrap();
    let error = azure.read_live(&target()).await.unwrap_err();
    seen.push(error.to_string());
    seen.push(format!("{error:?}"));
    seen.push(format!("{azure:?}"));
    seen.push(format!("{:?}", settings(&fake, SECRET)));

    // A token endpoint that echoes the request body back in its error (as a misbehaving proxy might).
    let fake = FakeArm::start(TENANT, CLIENT_ID, SECRET).await;
    fake.push(
        &format!("/{TENANT}/oauth2/v2.0/token"),
        Reply::json(
            400,
            &serde_json::json!({ "error": "invalid_request", "error_description": format!("bad request: client_secret={SECRET}") }),
        ),
    );
    let error = read(&fake).await.unwrap_err();
    seen.push(error.to_string());
    seen.push(format!("{error:?}"));

    // Every ARM failure path, with a working token.
    let faults: Vec<(String, Reply)> = vec![
        (
            rg_path(),
            Reply::arm_error(401, "InvalidAuthenticationToken", "The access token is invalid."),
        ),
        (
            rg_path(),
            Reply::arm_error(
                403,
                "AuthorizationFailed",
                "does not have authorization to perform action 'Microsoft.Resources/subscriptions/resourceGroups/read'",
            ),
        ),
        (rg_path(), Reply::arm_error(404, "SubscriptionNotFound", "not found")),
        (registry_path(), Reply::arm_error(500, "InternalServerError", "boom")),
        (registry_path(), Reply::raw(200, "{\"id\": ")),
        (app_path(), Reply::raw(200, "{\"properties\": ")),
    ];
    for (path, reply) in faults {
        let fake = stack().await;
        fake.set(&path, reply);
        let error = read(&fake).await.unwrap_err();
        seen.push(error.to_string());
        seen.push(format!("{error:?}"));
    }
    // And a success.
    let fake = stack().await;
    seen.push(serde_json::to_string(&read(&fake).await.unwrap()).unwrap());
    seen.push(format!("{:?}", read(&fake).await.unwrap()));
    // The secret went to the token endpoint only, never to ARM.
    assert!(fake
        .requests()
        .iter()
        .filter(|r| r.method == "GET")
        .all(|r| !r.query.contains(SECRET) && !r.body.contains(SECRET)));
    assert!(fake
        .requests()
        .iter()
        .any(|r| r.method == "POST" && r.body.contains("client_secret=")));

    assert!(seen.len() >= 16);
    for text in &seen {
        assert!(!text.contains(SECRET), "the client secret leaked: {text}");
        assert!(!text.contains("Zq8"), "part of the client secret leaked: {text}");
    }
}

#[tokio::test]
async fn the_default_chain_builds_without_sending_anything() {
    // Without a client secret the chain is azure_identity's (workload identity, managed identity, Azure CLI).
    // Building it must not touch the network; nothing here asks it for a token.
    let fake = FakeArm::start(TENANT, CLIENT_ID, SECRET).await;
    let base = fake.base_url();
    let env = |key: &str| (key == "INFRA_ARM_ENDPOINT" || key == "AZURE_AUTHORITY_HOST").then(|| base.clone());
    let settings = AzureSettings::from_lookup(SUBSCRIPTION, &env).unwrap();
    assert_eq!(settings.credential, infra::drift::CredentialSettings::DefaultChain);
    let azure = Azure::connect(&settings).unwrap();
    assert_eq!(azure.subscription_id(), SUBSCRIPTION);
    assert!(fake.requests().is_empty());
}

// ---- issue 24: bodies that are not what ARM answers, and what is printed from them ----

/// A 200 whose body is JSON but not an object is an error naming what was expected, never an empty resource.
#[tokio::test]
async fn a_body_that_is_not_a_json_object_is_an_error() {
    for body in ["[]", "null", "\"ca-fastapi-prod\"", "42"] {
        let fake = stack().await;
        fake.set(&app_path(), Reply::raw(200, body));
        let error = read(&fake).await.unwrap_err();
        assert!(matches!(error, AzureError::Malformed { .. }), "{body}: {error:?}");
        let text = message(&fake, &error);
        assert!(
            text.contains("container app 'ca-fastapi-prod'") && text.contains("not a JSON object"),
            "{body}: {text}"
        );
    }
    // An item of a list too.
    let fake = stack().await;
    fake.set(&webhooks_path(), Reply::raw(200, r#"{"value":[["cdpush"]]}"#));
    let error = read(&fake).await.unwrap_err();
    assert!(message(&fake, &error).contains("not a JSON object"), "{error}");
}

/// A response over the size cap is refused while it is read, with the limit and how to raise it; raising it
/// reads the same body.
#[tokio::test]
async fn a_response_over_the_size_cap_is_an_error_naming_the_limit() {
    let fake = stack().await;
    // A 3 MB malformed list (never closed) where a role assignment list is expected.
    let mut body = String::from(r#"{"value":["#);
    while body.len() < 3 << 20 {
        body.push_str("1,");
    }
    fake.set(&role_assignments_path(), Reply::raw(200, &body));
    let mut settings = settings(&fake, SECRET);
    settings.max_response_bytes = 1 << 20;
    let azure = Azure::connect(&settings).unwrap();
    let error = azure.read_live(&target()).await.unwrap_err();
    let text = message(&fake, &error);
    assert!(
        matches!(error, AzureError::TooLarge { .. })
            && text.contains("larger than 1 MiB")
            && text.contains("INFRA_ARM_MAX_RESPONSE_MB"),
        "{text}"
    );
    // Raised, the body is read (and is malformed).
    settings.max_response_bytes = 8 << 20;
    let error = Azure::connect(&settings)
        .unwrap()
        .read_live(&target())
        .await
        .unwrap_err();
    assert!(matches!(error, AzureError::Malformed { .. }), "{error:?}");
    // The default is taken from the environment.
    let env = |key: &str| (key == "INFRA_ARM_MAX_RESPONSE_MB").then(|| "3".to_string());
    let settings = AzureSettings::from_lookup(SUBSCRIPTION, &env).unwrap();
    assert_eq!(settings.max_response_bytes, 3 << 20);
    let bad = |key: &str| (key == "INFRA_ARM_MAX_RESPONSE_MB").then(|| "lots".to_string());
    let error = AzureSettings::from_lookup(SUBSCRIPTION, &bad).unwrap_err();
    assert!(
        error.to_string().contains("INFRA_ARM_MAX_RESPONSE_MB='lots'"),
        "{error}"
    );
}

/// An error body that echoes the request's token (or any bearer token, Authorization header or access_token
/// field) is printed with the token scrubbed.
#[tokio::test]
async fn a_token_echoed_in_an_error_body_is_scrubbed() {
    let token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.leak-canary-token.sig";
    let fake = stack().await;
    fake.set(
        &registry_path(),
        Reply::arm_error(
            400,
            "BadRequest",
            &format!(
                "Request rejected. Headers: Authorization: Bearer {token}; body: {{\"access_token\":\"{token}\"}}"
            ),
        ),
    );
    let error = read(&fake).await.unwrap_err();
    let text = error.to_string();
    assert!(!text.contains("leak-canary-token"), "{text}");
    assert!(text.contains("Bearer (redacted)"), "{text}");
    let debug = format!("{error:?}");
    assert!(!debug.contains("leak-canary-token"), "{debug}");
}

/// An HTML page answered with 200 (a proxy's sign-in page, a wrong endpoint) is named as HTML.
#[tokio::test]
async fn an_html_answer_is_named_as_html() {
    let fake = stack().await;
    let mut reply = Reply::raw(200, "<!DOCTYPE html>\n<html><head><title>Sign in</title></head></html>");
    reply.headers = vec![("Content-Type".into(), "text/html; charset=utf-8".into())];
    fake.set(&app_path(), reply);
    let error = read(&fake).await.unwrap_err();
    let text = message(&fake, &error);
    assert!(
        text.contains("HTML") && text.contains("text/html") && text.contains("<!DOCTYPE html>"),
        "{text}"
    );
    // Without a content type, the first bytes say it.
    let fake = stack().await;
    let mut reply = Reply::raw(200, "<html><body>proxy</body></html>");
    reply.headers.clear();
    fake.set(&registry_path(), reply);
    let text = message(&fake, &read(&fake).await.unwrap_err());
    assert!(text.contains("HTML") && text.contains("<html>"), "{text}");
}
