//! The app features of issue 25: secrets read from an existing Key Vault with the app's identity. The fixture
//! stack is tests/fixtures/stacks/features.toml; its rendered form is committed for the test provider
//! (tests/terraform-provider/tests/app_features.rs validates and plans it).

use infra::stack::Stack;
use infra::terraform::{Config, Format};
use std::path::Path;
use std::process::Command;

const FIXTURE: &str = "tests/fixtures/stacks/features.toml";

fn render_text(stack: &Stack) -> String {
    let config: Config = infra::render::render(stack, Format::Hcl);
    config.files.iter().map(|f| f.to_text()).collect::<Vec<_>>().join("\n")
}

fn render(path: &str) -> String {
    render_text(&Stack::load(Path::new(path)).unwrap())
}

/// The text of `resource "<type>" "<name>" { … }` in rendered HCL.
fn resource(hcl: &str, resource_type: &str, name: &str) -> String {
    let head = format!("resource \"{resource_type}\" \"{name}\" {{");
    let start = hcl.find(&head).unwrap_or_else(|| panic!("{head} not rendered"));
    let end = hcl[start..].find("\n}\n").map(|e| start + e + 3).unwrap();
    hcl[start..end].to_string()
}

/// `name = value` with any alignment.
fn has(block: &str, name: &str, value: &str) -> bool {
    block.lines().any(|l| {
        l.split_once('=')
            .is_some_and(|(k, v)| k.trim() == name && v.trim() == value)
    })
}

fn features_text() -> String {
    std::fs::read_to_string(FIXTURE).unwrap()
}

#[test]
fn a_key_vault_secret_is_read_with_the_identity_after_its_grant() {
    let hcl = render(FIXTURE);
    let app = resource(&hcl, "azurerm_container_app", "app");
    let database = app.split("secret {").find(|s| s.contains("\"database-url\"")).unwrap();
    assert!(
        has(database, "identity", "azurerm_user_assigned_identity.app.id"),
        "{database}"
    );
    assert!(
        has(
            database,
            "key_vault_secret_id",
            "\"https://kv-platform-features.vault.azure.net/secrets/database-url\""
        ),
        "{database}"
    );
    assert!(!database.contains("value"), "{database}");
    // A secret without a vault reference keeps its variable, and only it has one.
    assert!(app.contains("value = var.secret_sentry_dsn"), "{app}");
    assert!(hcl.contains("variable \"secret_sentry_dsn\""));
    assert!(
        !hcl.contains("variable \"secret_database_url\""),
        "no variable for a Key Vault secret"
    );

    let grant = resource(&hcl, "azurerm_role_assignment", "key_vault_secrets_user");
    assert!(
        has(
            &grant,
            "scope",
            "\"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-platform/providers/Microsoft.KeyVault/vaults/kv-platform-features\""
        ),
        "{grant}"
    );
    assert!(
        has(&grant, "role_definition_name", "\"Key Vault Secrets User\""),
        "{grant}"
    );
    assert!(
        has(
            &grant,
            "principal_id",
            "azurerm_user_assigned_identity.app.principal_id"
        ),
        "{grant}"
    );
    // Ordered before the app like AcrPull: the app depends on it, and the propagation wait waits for it too.
    let depends_on = &app[app.find("depends_on").unwrap()..];
    assert!(
        depends_on.contains("azurerm_role_assignment.key_vault_secrets_user"),
        "{app}"
    );
    let wait = resource(&hcl, "time_sleep", "acr_pull_propagation");
    assert!(
        has(
            &wait,
            "key_vault_secrets_user_role_assignment_id",
            "azurerm_role_assignment.key_vault_secrets_user.id"
        ),
        "{wait}"
    );
}

#[test]
fn the_grant_name_is_stable_and_follows_vault_and_identity() {
    let stack = Stack::load(Path::new(FIXTURE)).unwrap();
    let vault = stack.container_app.key_vault.clone().unwrap();
    let a = vault.secrets_user(&stack.identity.name);
    assert_eq!(a, vault.secrets_user(&stack.identity.name));
    let other = infra::stack::names::IdentityName::new("id-other").unwrap();
    assert_ne!(a.name, vault.secrets_user(&other).name);
    assert_ne!(a.name, stack.acr_pull().name);
}

#[test]
fn a_secret_value_in_the_stack_is_an_error_with_or_without_a_vault() {
    for (what, edit) in [
        (
            "plain",
            "name = \"sentry-dsn\"\nvalue = \"https://key@sentry.example/1\"",
        ),
        (
            "with a vault reference",
            "name = \"database-url\"\nvalue = \"postgres://u:p@db/app\"",
        ),
    ] {
        let from = edit.lines().next().unwrap();
        let text = features_text().replacen(from, edit, 1);
        let error = Stack::from_toml("features.toml", &text).unwrap_err().to_string();
        assert!(
            error.contains("unknown key `value` in [[container_app.secrets]]"),
            "{what}: {error}"
        );
        assert!(
            error.contains("help: a secret's value is never written in a stack"),
            "{what}: {error}"
        );
        // The value itself is not echoed.
        assert!(
            !error.contains("sentry.example") && !error.contains("u:p@db"),
            "{what}: {error}"
        );
    }
}

#[test]
fn the_key_vault_round_trips_through_the_stack_file() {
    let stack = Stack::load(Path::new(FIXTURE)).unwrap();
    let again = Stack::from_toml("again.toml", &stack.to_toml()).unwrap();
    assert_eq!(again.container_app, stack.container_app);
}

#[test]
fn without_them_nothing_changes() {
    for stack in ["stacks/prod.toml", "stacks/dev.toml"] {
        let hcl = render(stack);
        assert!(!hcl.contains("key_vault"), "{stack}");
    }
}

#[test]
fn the_rendered_fixtures_are_fresh() {
    // What the test provider validates and plans is what infra renders today.
    for (dir, format) in [("features-hcl", "hcl"), ("features-json", "json")] {
        let out = format!("tests/terraform-provider/tests/fixtures/{dir}");
        let run = Command::new(env!("CARGO_BIN_EXE_infra"))
            .args(["render", FIXTURE, "--out", &out, "--format", format, "--check"])
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{out} is stale: run `infra render {FIXTURE} --out {out} --format {format}`\n{}{}",
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        );
    }
}

/// The `<kind> { … }` blocks in `text` whose `name` is `name`.
fn nested(text: &str, kind: &str, name: &str) -> String {
    let needle = format!("{kind} {{");
    text.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &text[i..];
            // The block ends at the first closing brace at its own indentation.
            let indent = text[..i].rsplit('\n').next().unwrap_or_default();
            let end = rest.find(&format!("\n{indent}}}")).unwrap_or(rest.len());
            rest[..end].to_string()
        })
        .find(|b| has(b, "name", &format!("{name:?}")))
        .unwrap_or_else(|| panic!("no {kind} named {name}"))
}

#[test]
fn scale_rules_render_into_the_template_with_the_identity_where_the_provider_takes_one() {
    let hcl = render(FIXTURE);
    let app = resource(&hcl, "azurerm_container_app", "app");
    let orders = nested(&app, "custom_scale_rule", "orders-queue");
    assert!(has(&orders, "custom_rule_type", "\"azure-queue\""), "{orders}");
    assert!(
        has(&orders, "identity_id", "azurerm_user_assigned_identity.app.id"),
        "{orders}"
    );
    assert!(has(&orders, "accountName", "\"stordersfeatures\""), "{orders}");
    assert!(has(&orders, "queueLength", "\"20\""), "{orders}");

    let legacy = nested(&app, "azure_queue_scale_rule", "legacy-queue");
    assert!(has(&legacy, "queue_length", "5"), "{legacy}");
    assert!(has(&legacy, "secret_name", "\"queue-connection\""), "{legacy}");
    assert!(has(&legacy, "trigger_parameter", "\"connection\""), "{legacy}");

    let invoices = nested(&app, "custom_scale_rule", "invoices");
    assert!(has(&invoices, "custom_rule_type", "\"azure-servicebus\""), "{invoices}");
    assert!(
        has(&invoices, "identity_id", "azurerm_user_assigned_identity.app.id"),
        "{invoices}"
    );
    assert!(has(&invoices, "subscriptionName", "\"fastapi-app\""), "{invoices}");
    assert!(has(&invoices, "messageCount", "\"50\""), "{invoices}");

    let cron = nested(&app, "custom_scale_rule", "business-hours");
    assert!(has(&cron, "custom_rule_type", "\"cron\""), "{cron}");
    assert!(has(&cron, "start", "\"0 8 * * 1-5\""), "{cron}");
    assert!(has(&cron, "timezone", "\"Europe/London\""), "{cron}");
    assert!(has(&cron, "desiredReplicas", "\"2\""), "{cron}");
    assert!(!cron.contains("identity_id"), "{cron}");

    let tcp = nested(&app, "tcp_scale_rule", "tcp-connections");
    assert!(has(&tcp, "concurrent_requests", "\"200\""), "{tcp}");

    let redis = nested(&app, "custom_scale_rule", "redis-jobs");
    assert!(has(&redis, "listName", "\"jobs\""), "{redis}");
    assert!(has(&redis, "secret_name", "\"redis-password\""), "{redis}");
    assert!(!redis.contains("identity_id"), "{redis}");
}

#[test]
fn scale_rules_round_trip_and_stay_out_of_stacks_without_them() {
    let stack = Stack::load(Path::new(FIXTURE)).unwrap();
    assert_eq!(stack.container_app.scale.rules.len(), 6);
    let again = Stack::from_toml("again.toml", &stack.to_toml()).unwrap();
    assert_eq!(again.container_app.scale, stack.container_app.scale);
    for base in ["stacks/prod.toml", "stacks/dev.toml"] {
        let hcl = render(base);
        for block in ["custom_scale_rule", "azure_queue_scale_rule", "tcp_scale_rule"] {
            assert!(!hcl.contains(block), "{base}: {block}");
        }
    }
}
