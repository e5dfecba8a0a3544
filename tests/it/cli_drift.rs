//! `infra drift` end to end: the binary against the fake ARM + token endpoint, each scenario's output and exit
//! code pinned.

use crate::support::arm::{self, *};
use crate::support::fake_arm::{FakeArm, Reply};
use std::process::Command;
use std::time::Duration;

/// `snapshot!` into `snapshots/drift/`, named `cli_drift__<name>` (as when this file was its own test binary).
macro_rules! assert_snapshot {
    ($name:expr, $value:expr) => {
        snapshot!("drift", format!("cli_drift__{}", $name), $value)
    };
}

/// Distinctive, so that a leak anywhere is found by a plain substring search.
const SECRET: &str = "Qv3~cli-canary-secret.9Kd_Lp0";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// Exit code, stdout and stderr, with the fake's random port replaced.
    fn pinned(&self, fake: &FakeArm) -> String {
        let base = fake.base_url();
        format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            self.code,
            self.stdout.replace(&base, "{arm}/"),
            self.stderr.replace(&base, "{arm}/")
        )
    }
}

async fn drift(fake: &FakeArm, secret: &str, extra: &[&str]) -> Run {
    let base = fake.base_url();
    let secret = secret.to_string();
    let secret_used = secret.clone();
    let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_infra"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_clear()
            .env("AZURE_TENANT_ID", TENANT)
            .env("AZURE_CLIENT_ID", CLIENT_ID)
            .env("AZURE_CLIENT_SECRET", &secret)
            .env("AZURE_AUTHORITY_HOST", &base)
            .env("INFRA_ARM_ENDPOINT", &base)
            .args(["drift", "stacks/prod.toml", "--subscription", SUBSCRIPTION])
            .args(&extra)
            .output()
            .expect("run infra")
    })
    .await
    .unwrap();
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    for text in [&run.stdout, &run.stderr] {
        assert!(!text.contains(SECRET), "the client secret leaked:\n{text}");
        assert!(
            !text.contains(secret_used.as_str()),
            "the client secret leaked:\n{text}"
        );
    }
    run
}

async fn stack() -> FakeArm {
    let fake = FakeArm::start(TENANT, CLIENT_ID, SECRET).await;
    arm::serve_stack(&fake);
    fake
}

macro_rules! pin {
    ($name:expr, $fake:expr, $run:expr) => {
        assert_snapshot!($name, $run.pinned(&$fake));
    };
}

// ---- scenarios ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_drift() {
    let fake = stack().await;
    let run = drift(&fake, SECRET, &[]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    pin!("no_drift", fake, run);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sku_changed_in_the_portal() {
    let fake = stack().await;
    let mut registry = arm::registry();
    registry["sku"] = serde_json::json!({ "name": "Standard", "tier": "Standard" });
    fake.set(&registry_path(), Reply::json(200, &registry));
    let run = drift(&fake, SECRET, &[]).await;
    assert_eq!(run.code, 2);
    pin!("sku_changed_text", fake, run);
    pin!(
        "sku_changed_markdown",
        fake,
        drift(&fake, SECRET, &["--format", "markdown"]).await
    );
    pin!(
        "sku_changed_json",
        fake,
        drift(&fake, SECRET, &["--format", "json"]).await
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_user_switched_on() {
    let fake = stack().await;
    let mut registry = arm::registry();
    registry["properties"]["adminUserEnabled"] = true.into();
    fake.set(&registry_path(), Reply::json(200, &registry));
    let run = drift(&fake, SECRET, &[]).await;
    assert_eq!(run.code, 2);
    pin!("admin_enabled", fake, run);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_geo_replica_added_and_one_removed() {
    let fake = stack().await;
    let replications = serde_json::json!({ "value": [
        arm::replication("westeurope", "westeurope"),
        arm::replication("swedencentral", "Sweden Central"),
    ]});
    fake.set(&replications_path(), Reply::json(200, &replications));
    let run = drift(&fake, SECRET, &[]).await;
    assert_eq!(run.code, 2);
    pin!("georeplications", fake, run);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_extra_webhook() {
    let fake = stack().await;
    let webhooks = serde_json::json!({ "value": [arm::webhook("cdpush", &["push"]), arm::webhook("zapierhook", &["push", "delete"])] });
    fake.set(&webhooks_path(), Reply::json(200, &webhooks));
    let run = drift(&fake, SECRET, &[]).await;
    assert_eq!(run.code, 2);
    pin!("extra_webhook", fake, run);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_container_apps_image_and_replica_bounds_changed() {
    let fake = stack().await;
    let mut app = arm::container_app();
    app["properties"]["template"]["containers"][0]["image"] =
        format!("{ACR}.azurecr.io/fastapi-app:1.5.0-hotfix").into();
    app["properties"]["template"]["scale"] = serde_json::json!({ "minReplicas": 0, "maxReplicas": 5, "rules": null });
    fake.set(&app_path(), Reply::json(200, &app));
    let run = drift(&fake, SECRET, &[]).await;
    assert_eq!(run.code, 2);
    pin!("container_app", fake, run);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_role_assignment_deleted() {
    let fake = stack().await;
    fake.set(
        &role_assignments_path(),
        Reply::json(200, &arm::role_assignments(false)),
    );
    let run = drift(&fake, SECRET, &[]).await;
    assert_eq!(run.code, 2);
    pin!("role_assignment_deleted", fake, run);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
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
    let run = drift(&fake, SECRET, &[]).await;
    assert_eq!(run.code, 2);
    pin!("registry_missing", fake, run);
}

// ---- faults ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttled_then_success() {
    let fake = stack().await;
    fake.push(
        &registry_path(),
        Reply::arm_error(429, "TooManyRequests", "The request is being throttled.").header("Retry-After", "1"),
    );
    let run = drift(&fake, SECRET, &[]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(fake.hits(&registry_path()), 2);
    pin!("throttled_then_success", fake, run);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_error_three_times() {
    let fake = stack().await;
    for _ in 0..3 {
        fake.push(
            &app_path(),
            Reply::arm_error(500, "InternalServerError", "Encountered internal server error."),
        );
    }
    let run = drift(&fake, SECRET, &[]).await;
    assert_eq!(run.code, 1);
    assert_eq!(fake.hits(&app_path()), 3);
    pin!("server_error_three_times", fake, run);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slower_than_the_timeout() {
    let fake = stack().await;
    fake.push(
        &workspace_path(),
        Reply::json(200, &arm::workspace()).delay(Duration::from_secs(4)),
    );
    let started = std::time::Instant::now();
    let run = drift(&fake, SECRET, &["--timeout", "1"]).await;
    assert!(started.elapsed() < Duration::from_secs(4), "{:?}", started.elapsed());
    assert_eq!(run.code, 1);
    pin!("timeout", fake, run);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn truncated_json() {
    let fake = stack().await;
    let body = serde_json::to_string(&arm::container_app()).unwrap();
    fake.set(&app_path(), Reply::raw(200, &body[..body.len() / 2]));
    let run = drift(&fake, SECRET, &[]).await;
    assert_eq!(run.code, 1);
    pin!("truncated_json", fake, run);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credential_rejected() {
    // Entra ID refuses the secret.
    let fake = stack().await;
    let run = drift(&fake, "a-wrong-secret", &[]).await;
    assert_eq!(run.code, 1);
    pin!("secret_rejected", fake, run);
    // ARM refuses the token.
    let fake = stack().await;
    fake.set(
        &rg_path(),
        Reply::arm_error(401, "InvalidAuthenticationToken", "The access token is invalid."),
    );
    let run = drift(&fake, SECRET, &[]).await;
    assert_eq!(run.code, 1);
    pin!("token_rejected", fake, run);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forbidden() {
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
    let run = drift(&fake, SECRET, &[]).await;
    assert_eq!(run.code, 1);
    pin!("forbidden", fake, run);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscription_not_found() {
    let fake = stack().await;
    fake.set(
        &rg_path(),
        Reply::arm_error(
            404,
            "SubscriptionNotFound",
            &format!("The subscription '{SUBSCRIPTION}' could not be found."),
        ),
    );
    let run = drift(&fake, SECRET, &[]).await;
    assert_eq!(run.code, 1);
    pin!("subscription_not_found", fake, run);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_subscription_id_is_an_error_before_any_request() {
    let fake = stack().await;
    let output = tokio::task::spawn_blocking(|| {
        Command::new(env!("CARGO_BIN_EXE_infra"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_clear()
            .args(["drift", "stacks/prod.toml", "--subscription", "prod"])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: --subscription must be a subscription ID (a GUID such as 00000000-0000-0000-0000-000000000000), not 'prod'\n"
    );
    assert!(fake.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rendered_directory_reads_the_same_as_its_stack() {
    let fake = stack().await;
    let mut app = arm::container_app();
    app["properties"]["template"]["scale"] = serde_json::json!({ "minReplicas": 0, "maxReplicas": 5, "rules": null });
    fake.set(&app_path(), Reply::json(200, &app));
    let from_stack = drift(&fake, SECRET, &[]).await;
    let base = fake.base_url();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_infra"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_clear()
            .env("AZURE_TENANT_ID", TENANT)
            .env("AZURE_CLIENT_ID", CLIENT_ID)
            .env("AZURE_CLIENT_SECRET", SECRET)
            .env("AZURE_AUTHORITY_HOST", &base)
            .env("INFRA_ARM_ENDPOINT", &base)
            .env("AZURE_SUBSCRIPTION_ID", SUBSCRIPTION)
            .args(["drift", "terraform/prod", "--format", "json"])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let from_dir: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let from_stack_json = drift(&fake, SECRET, &["--format", "json"]).await;
    assert_eq!(
        from_dir,
        serde_json::from_str::<serde_json::Value>(&from_stack_json.stdout).unwrap()
    );
    assert_eq!(from_dir["summary"]["change"], 1);
    assert_eq!(from_stack.code, 2);
}

#[test]
fn a_missing_subscription_is_a_usage_error_with_exit_1() {
    let output = Command::new(env!("CARGO_BIN_EXE_infra"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_clear()
        .args(["drift", "stacks/prod.toml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "exit 2 would read as drift");
    assert!(String::from_utf8_lossy(&output.stderr).contains("--subscription <ID>"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn color_flag_colours_the_text_view_only() {
    let fake = stack().await;
    let mut registry = arm::registry();
    registry["sku"] = serde_json::json!({ "name": "Standard", "tier": "Standard" });
    fake.set(&registry_path(), Reply::json(200, &registry));
    // stdout is a pipe here: auto (the default) means no colour.
    let plain = drift(&fake, SECRET, &[]).await;
    assert!(!plain.stdout.contains('\x1b'), "{:?}", plain.stdout);
    let coloured = drift(&fake, SECRET, &["--color", "always"]).await;
    assert_eq!(coloured.code, 2, "the exit code does not depend on colour");
    assert!(
        coloured.stdout.contains("\x1b[33m~\x1b[0m sku"),
        "{:?}",
        coloured.stdout
    );
    let stripped = coloured
        .stdout
        .split('\x1b')
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                part
            } else {
                &part[part.find('m').unwrap() + 1..]
            }
        })
        .collect::<String>();
    assert_eq!(stripped, plain.stdout);
    assert_eq!(drift(&fake, SECRET, &["--color", "never"]).await.stdout, plain.stdout);
    let json = drift(&fake, SECRET, &["--color", "always", "--format", "json"]).await;
    assert!(!json.stdout.contains('\x1b'));
}

/// The official `ResourceGroups_Get` shape names neither `id` nor `name`: read by the requested name, not an
/// error (exit 1 before).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resource_group_body_with_only_a_location_exits_0() {
    let fake = stack().await;
    let text = std::fs::read_to_string("tests/fixtures/arm-examples/resource_group_location_only.json").unwrap();
    let body: serde_json::Value = serde_json::from_str(&text).unwrap();
    fake.set(&rg_path(), Reply::json(200, &body));
    let run = drift(&fake, SECRET, &[]).await;
    assert_eq!(run.code, 0, "{}", run.pinned(&fake));
    assert!(run.stdout.contains("No changes"), "{}", run.stdout);
}
