//! The app features of issue 25: secrets read from an existing Key Vault with the app's identity. The fixture
//! stack is tests/fixtures/stacks/features.toml; its rendered form is committed for the test provider
//! (tests/terraform-provider/tests/app_features.rs validates and plans it).

use crate::support::resource_block;
use infra::stack::Stack;
use infra::terraform::{Config, Format};
use std::path::Path;

const FIXTURE: &str = "tests/fixtures/stacks/features.toml";

/// The same features in the many-apps form: two `[apps.<key>]` and a job (rendered into
/// `apps-features-{hcl,json}/` for the test provider).
const APPS_FIXTURE: &str = "tests/fixtures/stacks/apps-features.toml";

fn render_text(stack: &Stack) -> String {
    let config: Config = infra::render::render(stack, Format::Hcl);
    config.files.iter().map(|f| f.to_text()).collect::<Vec<_>>().join("\n")
}

fn render(path: &str) -> String {
    render_text(&Stack::load(Path::new(path)).unwrap())
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
    let app = resource_block(&hcl, "azurerm_container_app", "app");
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

    let grant = resource_block(&hcl, "azurerm_role_assignment", "key_vault_secrets_user");
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
    let wait = resource_block(&hcl, "time_sleep", "acr_pull_propagation");
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
    let app = stack.container_app.as_ref().unwrap();
    let vault = app.key_vault.clone().unwrap();
    let identity = stack.identity.as_ref().unwrap().name.as_str();
    let a = vault.secrets_user(identity);
    assert_eq!(a, vault.secrets_user(identity));
    assert_ne!(a.name, vault.secrets_user("id-other").name);
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
    for (fixture, dir, format) in [
        (FIXTURE, "features-hcl", "hcl"),
        (FIXTURE, "features-json", "json"),
        (APPS_FIXTURE, "apps-features-hcl", "hcl"),
        (APPS_FIXTURE, "apps-features-json", "json"),
    ] {
        crate::support::assert_fixture_fresh(fixture, dir, format);
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
    let app = resource_block(&hcl, "azurerm_container_app", "app");
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
    let scale = |s: &Stack| s.container_app.as_ref().unwrap().scale.clone();
    assert_eq!(scale(&stack).rules.len(), 6);
    let again = Stack::from_toml("again.toml", &stack.to_toml()).unwrap();
    assert_eq!(scale(&again), scale(&stack));
    for base in ["stacks/prod.toml", "stacks/dev.toml"] {
        let hcl = render(base);
        for block in ["custom_scale_rule", "azure_queue_scale_rule", "tcp_scale_rule"] {
            assert!(!hcl.contains(block), "{base}: {block}");
        }
    }
}

/// One app or job of [`APPS_FIXTURE`] and what it must render with.
struct Workload {
    /// Its resource type and name.
    resource: (&'static str, &'static str),
    /// The identity it runs with (`azurerm_user_assigned_identity.<identity>`).
    identity: &'static str,
    /// Its Key Vault grant (`azurerm_role_assignment.<grant>`).
    grant: &'static str,
    /// Its secret read from Key Vault, and that secret's versionless URL.
    secret: (&'static str, &'static str),
    /// Its non-HTTP scale rule (block kind, name), for apps.
    scale_rule: Option<(&'static str, &'static str)>,
}

const WORKLOADS: [Workload; 3] = [
    Workload {
        resource: ("azurerm_container_app", "api"),
        identity: "app",
        grant: "key_vault_secrets_user_api",
        secret: (
            "database-url",
            "https://kv-shop-api.vault.azure.net/secrets/database-url",
        ),
        scale_rule: Some(("custom_scale_rule", "orders")),
    },
    Workload {
        resource: ("azurerm_container_app", "worker"),
        identity: "worker",
        grant: "key_vault_secrets_user_worker",
        secret: (
            "queue-token",
            "https://kv-platform-shared.vault.azure.net/secrets/worker-queue-token",
        ),
        scale_rule: Some(("custom_scale_rule", "jobs-queue")),
    },
    Workload {
        resource: ("azurerm_container_app_job", "report"),
        identity: "app",
        grant: "key_vault_secrets_user_report",
        secret: (
            "database-url",
            "https://kv-platform-shared.vault.azure.net/secrets/database-url",
        ),
        scale_rule: None,
    },
];

#[test]
fn each_app_and_job_reads_its_key_vault_secrets_and_scales_with_its_own_identity() {
    let hcl = render(APPS_FIXTURE);
    for w in WORKLOADS {
        let b = resource_block(&hcl, w.resource.0, w.resource.1);
        let id = format!("azurerm_user_assigned_identity.{}.id", w.identity);
        let secret = nested(&b, "secret", w.secret.0);
        assert!(has(&secret, "identity", &id), "{secret}");
        assert!(
            has(&secret, "key_vault_secret_id", &format!("{:?}", w.secret.1)),
            "{secret}"
        );
        assert!(!secret.contains("value"), "{secret}");
        // It waits for its own grant, and for the propagation sleep of the identity it runs with.
        let wait = match w.identity {
            "app" => "acr_pull_propagation".to_string(),
            own => format!("acr_pull_propagation_{own}"),
        };
        let depends = b.split("depends_on = [").nth(1).unwrap();
        assert!(depends.contains(&format!("time_sleep.{wait},")), "{b}");
        assert!(
            depends.contains(&format!("azurerm_role_assignment.{},", w.grant)),
            "{b}"
        );
        // The grant is to that identity, and the wait waits for it.
        let g = resource_block(&hcl, "azurerm_role_assignment", w.grant);
        let principal = format!("azurerm_user_assigned_identity.{}.principal_id", w.identity);
        assert!(has(&g, "principal_id", &principal), "{g}");
        assert!(has(&g, "role_definition_name", "\"Key Vault Secrets User\""), "{g}");
        let sleep = resource_block(&hcl, "time_sleep", &wait);
        let trigger = format!("{}_role_assignment_id", w.grant);
        assert!(
            has(&sleep, &trigger, &format!("azurerm_role_assignment.{}.id", w.grant)),
            "{sleep}"
        );
        if let Some((kind, rule)) = w.scale_rule {
            let r = nested(&b, kind, rule);
            assert!(has(&r, "identity_id", &id), "{r}");
        }
    }
    // No secret read from a vault has a variable; the name of [container_app]'s grant is not used.
    assert!(!hcl.contains("variable \"secret_"), "{hcl}");
    assert!(!hcl.contains("\"key_vault_secrets_user\""), "{hcl}");
    // api names its own vault; the worker and the job read [existing.key_vault].
    let api = resource_block(&hcl, "azurerm_role_assignment", "key_vault_secrets_user_api");
    assert!(api.contains("vaults/kv-shop-api\""), "{api}");
    for grant in ["key_vault_secrets_user_worker", "key_vault_secrets_user_report"] {
        let g = resource_block(&hcl, "azurerm_role_assignment", grant);
        assert!(g.contains("vaults/kv-platform-shared\""), "{g}");
    }
}

#[test]
fn the_grants_of_two_identities_on_one_vault_have_two_names() {
    let stack = Stack::load(Path::new(APPS_FIXTURE)).unwrap();
    let hcl = render_text(&stack);
    let name = |grant: &str| {
        let g = resource_block(&hcl, "azurerm_role_assignment", grant);
        g.lines()
            .find(|l| l.trim_start().starts_with("name "))
            .unwrap()
            .to_string()
    };
    // Same vault, the worker's identity and the stack's: two assignments, two names.
    assert_ne!(
        name("key_vault_secrets_user_worker"),
        name("key_vault_secrets_user_report")
    );
    // The jobs' and apps' key_vault and [existing.key_vault] survive the stack file.
    let again = Stack::from_toml(APPS_FIXTURE, &stack.to_toml()).unwrap();
    assert_eq!(again.apps, stack.apps);
    assert_eq!(again.jobs, stack.jobs);
    assert_eq!(again.existing, stack.existing);
}

#[test]
fn a_key_vault_grant_is_waited_for_even_where_the_platform_grants_acr_pull() {
    // An app stack on a platform that grants the shared identity AcrPull: no AcrPull grant, but the app's Key
    // Vault grant (to the existing identity, read by a data source) still gets its propagation wait.
    let text = std::fs::read_to_string("tests/fixtures/stacks/app-on-platform.toml")
        .unwrap()
        .replace(
            "name = \"id-platform-pull\"\nresource_group_name = \"rg-platform\"\n",
            "name = \"id-platform-pull\"\nresource_group_name = \"rg-platform\"\nacr_pull_granted_by_platform = true\n",
        )
        + "\n[existing.key_vault]\nid = \"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-platform/providers/Microsoft.KeyVault/vaults/kv-platform\"\n\n[[apps.web.secrets]]\nname = \"api-key\"\nenv = \"API_KEY\"\nkey_vault_secret = \"api-key\"\n";
    let stack = Stack::from_toml("app-on-platform.toml", &text).unwrap();
    let hcl = render_text(&stack);
    assert!(!hcl.contains("\"acr_pull\""), "{hcl}");
    let grant = resource_block(&hcl, "azurerm_role_assignment", "key_vault_secrets_user_web");
    let principal = "data.azurerm_user_assigned_identity.app.principal_id";
    assert!(has(&grant, "principal_id", principal), "{grant}");
    let sleep = resource_block(&hcl, "time_sleep", "acr_pull_propagation");
    assert!(!sleep.contains("acr_pull_role_assignment_id"), "{sleep}");
    let trigger = "key_vault_secrets_user_web_role_assignment_id";
    let id = "azurerm_role_assignment.key_vault_secrets_user_web.id";
    assert!(has(&sleep, trigger, id), "{sleep}");
    let web = resource_block(&hcl, "azurerm_container_app", "web");
    let depends = web.split("depends_on = [").nth(1).unwrap();
    assert!(depends.contains("time_sleep.acr_pull_propagation,"), "{web}");
    assert!(
        depends.contains("azurerm_role_assignment.key_vault_secrets_user_web,"),
        "{web}"
    );
    // The other apps read nothing from the vault, wait for nothing.
    let api = resource_block(&hcl, "azurerm_container_app", "api");
    assert!(!api.contains("depends_on"), "{api}");
}
