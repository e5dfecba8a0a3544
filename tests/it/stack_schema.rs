//! The stack JSON Schema (`infra schema`, `schema/stack.schema.json`): the committed file is fresh and is what the
//! command prints; the reference stacks validate against it; it is no stricter than the stack reader; and every
//! invalid stack of the validation tests is rejected by it, except the ones [`RENDER_ONLY`] lists with the reason
//! a schema cannot say it.
//!
//! How the invalid stacks are iterated: the validation tests (`stack_validation`, `cleanup_validation`) hand every
//! stack they expect to be rejected to [`invalid`] and every stack they expect to load to [`valid`]. [`invalid`]
//! finds the case by the running test's name and the call's position in it (a table-driven test names each case
//! itself, through [`invalid_as`]: `stack_validation`'s case `name/2` is call 1 of `name`), and checks the schema's verdict
//! against the table: rejected unless listed in [`RENDER_ONLY`], accepted if listed. A case that moves between
//! the two (the schema learns a rule, or loses one) fails until the table says so.

use serde_json::Value;
use std::cell::Cell;
use std::sync::OnceLock;

const PATH: &str = "schema/stack.schema.json";
const UPDATE: &str = "INFRA_UPDATE_DOCS=1 cargo test --test it stack_schema::";

/// Which of a test's invalid stacks an entry covers: all of them, or the n-th ones (0-based, in call order).
#[derive(Debug)]
enum Calls {
    All,
    Only(&'static [usize]),
}

use Calls::{All, Only};

const SPANS: &str = "cross-field: spans tables, checked by `infra render`";
const SKU: &str =
    "cross-field: a registry SKU gate (a value allowed only with sku = \"Premium\"/\"Standard\"), checked by `infra render`";
const NOT_A_PATTERN: &str = "a URI rule (https, no user info, no query or fragment) that is code, webhook_uri in src/stack/validate/webhooks.rs, not a pattern constant the schema could read: checked by `infra render`";

/// The invalid stacks a JSON Schema does not reject, by test (`module::name`) and call, with the reason.
const RENDER_ONLY: &[(&str, Calls, &str)] = &[
    // Custom domains (issue 25 item 6): what a pattern on the host name cannot say.
    (
        "stack_validation::custom_domain_under_azurecontainerapps_io",
        All,
        "a host under a domain (not a pattern of its characters), checked by `infra render`",
    ),
    (
        "stack_validation::custom_domain_apex_without_a_zone",
        All,
        "an apex is a DNS fact (two labels), not a pattern of the name's characters, checked by `infra render`",
    ),
    (
        "stack_validation::custom_domain_apex_of_its_zone",
        All,
        "cross-field: the host against its dns_zone, checked by `infra render`",
    ),
    (
        "stack_validation::custom_domain_outside_its_zone",
        All,
        "cross-field: the host against its dns_zone, checked by `infra render`",
    ),
    ("stack_validation::custom_domain_on_internal_ingress", All, SPANS),
    ("stack_validation::custom_domain_without_ingress", All, SPANS),
    (
        "stack_validation::custom_domain_key_vault_certificate_without_a_vault",
        All,
        SPANS,
    ),
    (
        "stack_validation::custom_domain_key_vault_certificate_on_an_existing_environment",
        All,
        SPANS,
    ),
    (
        "stack_validation::custom_domain_same_certificate_name",
        All,
        "across entries: certificate names derived from two hosts, checked by `infra render`",
    ),
    (
        "stack_validation::custom_domain_same_terraform_name",
        All,
        "across apps: Terraform names derived from app keys and hosts, checked by `infra render`",
    ),
    (
        "stack_validation::custom_domain_twice",
        All,
        "across entries: one binding per host in the stack, checked by `infra render`",
    ),
    (
        "stack_validation::existing_registry_name_follows_the_registry_rule",
        All,
        "the name rule is checked by render for a reference",
    ),
    // What exists, by reference (issue 25): not both, and what an existing resource excludes, is render's.
    (
        "stack_validation::existing_and_declared_registry",
        All,
        "cross-table: [container_registry] excludes [existing.container_registry]",
    ),
    (
        "stack_validation::existing_registry_not_by_id",
        All,
        "cross-field: which kinds take an id is the render's",
    ),
    (
        "stack_validation::existing_environment_id_of_another_type",
        All,
        "an ID's resource type is compared without regard to case",
    ),
    (
        "stack_validation::existing_environment_needs_its_group",
        All,
        "cross-field: name and resource_group_name, or id",
    ),
    (
        "stack_validation::workspace_with_an_existing_environment",
        All,
        "cross-table: [existing.environment] excludes a workspace",
    ),
    (
        "stack_validation::network_with_an_existing_environment",
        All,
        "cross-table: [existing.environment] excludes [network]",
    ),
    // An existing virtual network, a registry in another subscription (issue 25 item 3).
    (
        "stack_validation::existing_virtual_network_without_network",
        All,
        "cross-table: [existing.virtual_network] needs [network]",
    ),
    (
        "stack_validation::network_name_with_an_existing_virtual_network",
        All,
        "cross-table: [existing.virtual_network] excludes network.name",
    ),
    (
        "stack_validation::network_needs_its_name_and_space_without_an_existing_one",
        All,
        "cross-table: network.name and address_space are required without [existing.virtual_network]",
    ),
    (
        "stack_validation::network_security_group_on_an_existing_subnet",
        All,
        "cross-field: an NSG needs a subnet the stack creates",
    ),
    (
        "stack_validation::existing_runner_subnet",
        All,
        "cross-field: the runners' subnet needs address_prefix",
    ),
    (
        "stack_validation::created_subnets_in_an_existing_network_do_not_overlap",
        All,
        SPANS,
    ),
    (
        "stack_validation::existing_virtual_network_id_of_another_type",
        All,
        "an ID's resource type is compared without regard to case",
    ),
    (
        "stack_validation::only_a_registry_takes_a_subscription_id",
        All,
        "the reference type is shared by every [existing.<what>]",
    ),
    // Many apps and jobs (issue 25): rules over several tables or fields.
    (
        "stack_validation::container_app_and_apps_together",
        All,
        "cross-table: [container_app] excludes [apps]",
    ),
    (
        "stack_validation::app_and_job_share_a_key",
        All,
        "cross-table: keys of [apps] and [jobs] compared",
    ),
    (
        "stack_validation::app_cpu_memory_pair_names_the_app",
        All,
        "cross-field: memory must be 2 × cpu",
    ),
    (
        "stack_validation::sidecars_need_an_image_tag",
        All,
        "cross-field: image_tag required only with init containers or sidecars",
    ),
    (
        "stack_validation::init_containers_take_no_probes",
        All,
        "init containers share the container type; the rule is the render's",
    ),
    (
        "stack_validation::own_identity_only_in_apps",
        All,
        "the app type is shared by [container_app] and [apps.<key>]",
    ),
    (
        "stack_validation::job_schedule_needs_a_cron_expression",
        All,
        "cross-field: cron_expression required by trigger = \"Schedule\"",
    ),
    (
        "stack_validation::job_cron_expression_is_checked",
        All,
        "a cron expression's field ranges are not a pattern",
    ),
    (
        "stack_validation::job_cron_expression_only_for_schedule",
        All,
        "cross-field: cron_expression only with trigger = \"Schedule\"",
    ),
    (
        "stack_validation::job_event_trigger_needs_rules",
        All,
        "cross-field: [event] required by trigger = \"Event\"",
    ),
    // A secret and the vault it names are in two tables; a vault name's "no --" is a second rule on one segment of
    // the ID, which the ID's pattern does not restate.
    ("stack_validation::key_vault_secret_without_a_vault", All, SPANS),
    // Scale rules: names unique across rules and the HTTP rule, one way to authenticate, secrets the app declares,
    // replicas within the app's max, a cron grammar, credentials in metadata: code over several fields.
    ("stack_validation::scale_rule_name_taken_by_http", All, SPANS),
    ("stack_validation::scale_rule_cron_replicas_above_max", All, SPANS),
    ("stack_validation::scale_rule_queue_needs_one_way_in", All, SPANS),
    ("stack_validation::scale_rule_queue_secret_undeclared", All, SPANS),
    (
        "stack_validation::scale_rule_service_bus_topic_without_subscription",
        All,
        SPANS,
    ),
    (
        "stack_validation::scale_rule_cron_expression",
        All,
        "a cron grammar (names, ranges, steps, field bounds): checked by `infra render`",
    ),
    (
        "stack_validation::scale_rule_custom_metadata_credential",
        All,
        "credential-like metadata keys: checked by `infra render`",
    ),
    ("stack_validation::key_vault_without_a_secret", All, SPANS),
    ("stack_validation::apps_key_vault_secret_without_a_vault", All, SPANS),
    ("stack_validation::jobs_key_vault_without_a_secret", All, SPANS),
    (
        "stack_validation::existing_key_vault_by_name_cannot_serve_secrets",
        All,
        SPANS,
    ),
    (
        "stack_validation::existing_key_vault_id_double_hyphen",
        All,
        "the vault name's `--` rule: checked by `infra render`",
    ),
    ("stack_validation::apps_scale_rule_name_taken_by_http", All, SPANS),
    (
        "stack_validation::key_vault_name_double_hyphen",
        All,
        "the vault name's `--` rule: checked by `infra render`",
    ),
    // Registry SKU gates and other rules over several fields.
    ("stack_validation::geo_replications_need_premium", All, SKU),
    ("stack_validation::zone_redundancy_needs_premium", All, SKU),
    ("stack_validation::retention_needs_premium", All, SKU),
    ("stack_validation::network_rules_need_premium", All, SKU),
    ("stack_validation::public_network_access_off_needs_premium", All, SKU),
    ("stack_validation::data_endpoint_needs_premium", All, SKU),
    ("stack_validation::export_policy_off_needs_premium", All, SKU),
    ("stack_validation::anonymous_pull_needs_standard", All, SKU),
    ("stack_validation::registry_private_endpoint_needs_premium", All, SKU),
    (
        "stack_validation::export_policy_off_needs_public_access_off",
        All,
        SPANS,
    ),
    (
        "stack_validation::a_purge_task_on_a_restricted_registry_is_rejected",
        All,
        SPANS,
    ),
    (
        "stack_validation::registry_rules_without_public_access_have_no_effect",
        All,
        SPANS,
    ),
    (
        "stack_validation::private_registry_without_its_private_endpoint_blocks_the_app",
        All,
        SPANS,
    ),
    (
        "stack_validation::registry_firewall_without_private_endpoint_blocks_the_app",
        All,
        SPANS,
    ),
    (
        "stack_validation::closed_storage_without_its_private_endpoint_blocks_the_mount",
        All,
        SPANS,
    ),
    ("stack_validation::private_endpoints_need_their_subnet", All, SPANS),
    (
        "stack_validation::geo_replica_not_in_registry_location",
        All,
        "cross-field: compares with the stack's location",
    ),
    (
        "stack_validation::geo_replica_listed_twice",
        All,
        "uniqueness by one key of the items (location): uniqueItems compares whole items",
    ),
    (
        "stack_validation::cpu_memory_pair",
        All,
        "cross-field: memory must be 2 × cpu",
    ),
    (
        "stack_validation::min_replicas_not_above_max",
        All,
        "cross-field: min_replicas ≤ max_replicas",
    ),
    (
        "stack_validation::liveness_failure_threshold_range",
        All,
        "liveness and readiness probes share one type; the schema allows the readiness range (1–48)",
    ),
    (
        "stack_validation::liveness_has_no_success_threshold",
        All,
        "liveness and readiness probes share one type",
    ),
    (
        "stack_validation::tcp_probe_has_no_path",
        All,
        "cross-field: path depends on transport",
    ),
    ("stack_validation::volume_mount_names_a_volume", All, SPANS),
    ("stack_validation::volume_names_an_environment_storage", All, SPANS),
    (
        "stack_validation::secret_declared_twice",
        All,
        "uniqueness by one key of the items (name): uniqueItems compares whole items",
    ),
    ("stack_validation::secret_env_already_set", All, SPANS),
    (
        "stack_validation::environment_subnet_at_least_27",
        All,
        "the prefix length inside a CIDR string: checked by `infra render`",
    ),
    ("stack_validation::subnets_must_not_overlap", All, SPANS),
    ("stack_validation::subnet_inside_the_address_space", All, SPANS),
    // address_space_is_a_cidr: /1 a prefix over 32 is the CIDR pattern's; /2 host bits set is arithmetic (call 1).
    (
        "stack_validation::address_space_is_a_cidr",
        Only(&[1]),
        "host bits are arithmetic on the address: checked by `infra render`",
    ),
    (
        "stack_validation::allow_lists_reject_documentation_and_private_ranges",
        All,
        "address ranges (RFC 5737, RFC 1918) and a storage-only rule: checked by `infra render`",
    ),
    (
        "stack_validation::cleanup_schedule_is_cron",
        All,
        "a cron grammar (names, ranges, steps, field bounds): checked by `infra render`",
    ),
    // Webhooks: service_uri (https, no credentials, no query), a header listed twice without case. Rejected by the
    // schema: an unknown action, no action, a scope, a short name, a header name, an action twice.
    ("stack_validation::webhook_service_uri_is_https", All, NOT_A_PATTERN),
    ("stack_validation::webhook_service_uri_has_no_query", All, NOT_A_PATTERN),
    (
        "stack_validation::webhook_service_uri_has_no_credentials",
        All,
        NOT_A_PATTERN,
    ),
    (
        "stack_validation::webhook_header_listed_twice",
        All,
        "header names compared without case: uniqueItems is case-sensitive",
    ),
    // cleanup_validation: filter (a regex grammar), ago (a duration grammar), schedule (cron), all code.
    (
        "cleanup_validation::hostile_filter_is_rejected_not_rendered",
        All,
        "acr purge --filter: a pair of regexes, checked by `infra render`",
    ),
    (
        "cleanup_validation::filter_template_directive_quote_and_newline",
        All,
        "acr purge --filter: checked by `infra render`",
    ),
    (
        "cleanup_validation::filter_is_repository_colon_tag",
        All,
        "acr purge --filter: a pair of regexes, checked by `infra render`",
    ),
    (
        "cleanup_validation::ago_is_days_and_go_duration",
        All,
        "acr purge --ago: a Go duration with a range limit, checked by `infra render`",
    ),
    (
        "cleanup_validation::schedule_is_a_real_cron_expression",
        All,
        "a cron grammar (names, ranges, steps, field bounds): checked by `infra render`",
    ),
];

fn schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(infra::stack::json_schema)
}

fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        assert_eq!(schema()["$schema"], "http://json-schema.org/draft-07/schema#");
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .build(schema())
            .expect("the stack schema compiles")
    })
}

/// A stack file as the JSON a schema validator sees (what taplo does with TOML); `None` when it is not TOML.
fn as_json(text: &str) -> Option<Value> {
    let table: toml::Table = toml::from_str(text).ok()?;
    Some(serde_json::to_value(table).expect("TOML is JSON"))
}

/// The schema's complaints about a stack file (empty: it validates).
fn errors(text: &str) -> Vec<String> {
    let json = as_json(text).expect("a stack that is TOML");
    validator()
        .iter_errors(&json)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

thread_local! {
    /// How many invalid stacks the running test has handed to [`invalid`].
    static CALLS: Cell<usize> = const { Cell::new(0) };
}

/// Called by the validation tests with each stack they expect `infra render` to reject: the schema rejects it too,
/// unless [`RENDER_ONLY`] lists the case (then the schema must accept it, so the list stays true).
pub(crate) fn invalid(text: &str) {
    let call = CALLS.with(|c| c.replace(c.get() + 1));
    let test = std::thread::current().name().unwrap_or_default().to_string();
    invalid_as(&test, call, text);
}

/// [`invalid`] for a case a table-driven test names itself: `test` as [`RENDER_ONLY`] lists it, `call` its
/// position among the test's calls.
pub(crate) fn invalid_as(test: &str, call: usize, text: &str) {
    let listed = RENDER_ONLY.iter().find(|(name, calls, _)| {
        *name == test
            && match calls {
                All => true,
                Only(n) => n.contains(&call),
            }
    });
    let found = errors(text);
    match listed {
        None => assert!(
            !found.is_empty(),
            "the stack schema accepts invalid stack #{call} of {test}: make the schema express the rule, or list \
             the case in stack_schema::RENDER_ONLY with the reason it cannot\n{text}"
        ),
        Some((_, _, why)) => assert!(
            found.is_empty(),
            "the stack schema now rejects invalid stack #{call} of {test}, listed in stack_schema::RENDER_ONLY \
             ({why}): remove it from the list\n{found:?}"
        ),
    }
}

/// Called by the validation tests with each stack they expect to load: the schema is no stricter than the reader.
pub(crate) fn valid(text: &str) {
    let found = errors(text);
    assert!(
        found.is_empty(),
        "the stack schema rejects a valid stack: {found:?}\n{text}"
    );
}

#[test]
fn committed_schema_is_fresh() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_infra"))
        .arg("schema")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "infra schema: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    if std::env::var_os("INFRA_UPDATE_DOCS").is_some() {
        std::fs::create_dir_all("schema").unwrap();
        std::fs::write(PATH, &text).unwrap();
    }
    let committed = std::fs::read_to_string(PATH).unwrap_or_default();
    assert!(
        committed == text,
        "{PATH} is out of date with the stack types: run {UPDATE} and commit it"
    );
}

#[test]
fn infra_schema_prints_the_committed_file() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_infra"))
        .arg("schema")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        std::fs::read_to_string(PATH).unwrap()
    );
}

/// The stack files the repository ships as examples: the reference stacks and the fixture docs point to.
fn example_stacks() -> Vec<std::path::PathBuf> {
    let mut files = infra::stack::stack_files(std::path::Path::new("stacks")).unwrap();
    assert!(files.len() >= 2, "{files:?}");
    files.push("tests/fixtures/stacks/internal.toml".into());
    files
}

#[test]
fn every_example_stack_names_the_schema_and_validates() {
    for file in example_stacks() {
        let text = std::fs::read_to_string(&file).unwrap();
        let up = "../".repeat(file.components().count() - 1);
        assert_eq!(
            text.lines().next(),
            Some(format!("#:schema {up}{PATH}").as_str()),
            "{}: the first line is the schema directive taplo and Even Better TOML follow",
            file.display()
        );
        assert_eq!(errors(&text), Vec::<String>::new(), "{}", file.display());
        infra::stack::Stack::from_toml(&file.display().to_string(), &text).unwrap();
    }
}

/// taplo (what Even Better TOML runs) follows the directive offline: the example stacks pass, a copy of prod with
/// wrong values fails with each one named. taplo is pinned and installed by `make tools` (`.ci/install-tools`,
/// npm `@taplo/cli`) into `.ci/tools/`; `TAPLO` names another binary. Missing, the test fails and says so.
#[test]
fn taplo_follows_the_directive() {
    let taplo = std::env::var_os("TAPLO")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/tools/node/node_modules/.bin/taplo")
        });
    assert!(
        taplo.exists(),
        "{} is missing: run `make tools` (installs the pinned @taplo/cli into .ci/tools/, see .ci/install-tools)",
        taplo.display()
    );
    let run = |dir: &std::path::Path, file: &str| {
        let out = std::process::Command::new(&taplo)
            .args(["check", file])
            .current_dir(dir)
            .env("RUST_LOG", "error")
            .output()
            .unwrap_or_else(|e| panic!("cannot run {} ({e}): run `make tools`", taplo.display()));
        (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let here = std::env::current_dir().unwrap();
    for file in example_stacks() {
        let (ok, stderr) = run(&here, &file.display().to_string());
        assert!(ok, "{}: {stderr}", file.display());
    }
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("stacks")).unwrap();
    std::fs::create_dir_all(tmp.path().join("schema")).unwrap();
    std::fs::copy(PATH, tmp.path().join(PATH)).unwrap();
    let prod = include_str!("../../stacks/prod.toml")
        .replacen("sku = \"Premium\"", "sku = \"Gold\"", 1)
        .replacen("quota_gb = 100", "quota_gb = 6000", 1)
        .replacen("cpu = 0.5", "cpu = 0.3", 1);
    std::fs::write(tmp.path().join("stacks/prod.toml"), prod).unwrap();
    let (ok, stderr) = run(tmp.path(), "stacks/prod.toml");
    assert!(!ok, "{stderr}");
    for expected in [
        "\"Gold\" is not one of",
        "6000 is greater than the maximum of 5120",
        "0.3 is not a multiple of 0.25",
    ] {
        assert!(stderr.contains(expected), "{expected}: {stderr}");
    }
}

/// The schema really checks: a wrong value, an unknown key and a missing table in prod are each reported.
#[test]
fn the_schema_reports_what_it_should() {
    let prod = include_str!("../../stacks/prod.toml");
    for (old, new, expect) in [
        ("sku = \"Premium\"", "sku = \"Gold\"", "/container_registry/sku"),
        ("quota_gb = 100", "quota_gb = 6000", "/storage/share/quota_gb"),
        ("cpu = 0.5", "cpu = 0.3", "/container_app/container/cpu"),
        ("memory = \"1Gi\"", "memory = \"1G\"", "/container_app/container/memory"),
        (
            "replication = \"ZRS\"",
            "replication = \"ZRS\"\nkind = \"StorageV2\"",
            "/storage/account",
        ),
        (
            "name = \"acrfastapiprod\"",
            "name = \"acr-fastapi-prod\"",
            "/container_registry/name",
        ),
        ("[identity]\nname = \"id-fastapi-prod\"\n", "", ""),
    ] {
        assert_eq!(prod.matches(old).count(), 1, "{old}");
        let found = errors(&prod.replacen(old, new, 1));
        assert_eq!(found.len(), 1, "{new}: {found:?}");
        assert!(found[0].ends_with(&format!(" at {expect}")), "{new}: {found:?}");
    }
}

/// Every table rejects unknown keys, as the reader does (`deny_unknown_fields` on every stack type). (That every
/// name definition's pattern is one of the name rules is a unit test next to the schema, `src/stack/schema.rs`:
/// the rules are not public.)
#[test]
fn tables_are_closed() {
    let definitions = schema()["definitions"].as_object().unwrap();
    let mut tables = vec![("Stack", schema())];
    tables.extend(definitions.iter().map(|(k, v)| (k.as_str(), v)));
    for (name, def) in tables {
        if def["type"] == "object" && def.get("properties").is_some() {
            assert_eq!(def["additionalProperties"], false, "{name}");
        }
    }
}

/// Rust's `regex` (the reader) and the validator's ECMA-262 engine agree on every name pattern: each name type
/// and its schema definition give the same verdict on names built from the characters the rules care about.
#[test]
fn names_get_the_same_verdict_from_the_reader_and_the_schema() {
    use infra::stack::names::*;
    type Reader = fn(&str) -> bool;
    let checks: Vec<(&str, Reader)> = vec![
        ("Region", |s| Region::new(s).is_ok()),
        ("ResourceGroupName", |s| ResourceGroupName::new(s).is_ok()),
        ("RegistryName", |s| RegistryName::new(s).is_ok()),
        ("WebhookName", |s| WebhookName::new(s).is_ok()),
        ("TaskName", |s| TaskName::new(s).is_ok()),
        ("IdentityName", |s| IdentityName::new(s).is_ok()),
        ("WorkspaceName", |s| WorkspaceName::new(s).is_ok()),
        ("EnvironmentName", |s| EnvironmentName::new(s).is_ok()),
        ("StorageAccountName", |s| StorageAccountName::new(s).is_ok()),
        ("ShareName", |s| ShareName::new(s).is_ok()),
        ("EnvironmentStorageName", |s| EnvironmentStorageName::new(s).is_ok()),
        ("ContainerAppName", |s| ContainerAppName::new(s).is_ok()),
        ("ComponentName", |s| ComponentName::new(s).is_ok()),
        ("SecretName", |s| SecretName::new(s).is_ok()),
        ("Repository", |s| Repository::new(s).is_ok()),
        ("NetworkName", |s| NetworkName::new(s).is_ok()),
    ];
    let alphabet = ["a", "Z", "0", "-", "_", ".", "(", ")", "/", " ", "é", "\n"];
    let mut names: Vec<String> = vec![String::new()];
    for _ in 0..3 {
        let longer: Vec<String> = names
            .iter()
            .flat_map(|n| alphabet.iter().map(move |c| format!("{n}{c}")))
            .collect();
        names.extend(longer);
    }
    names.sort();
    names.dedup();
    let mut compared = 0;
    for (def, reader) in checks {
        let mut sub = schema()["definitions"][def].clone();
        sub["definitions"] = schema()["definitions"].clone();
        let v = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .build(&sub)
            .unwrap();
        for body in &names {
            for name in [
                body.clone(),
                format!("ab{body}"),
                format!("abcd{body}"),
                format!("ab{body}cd"),
            ] {
                assert_eq!(
                    v.is_valid(&Value::from(name.as_str())),
                    reader(&name),
                    "{def}: {name:?}"
                );
                compared += 1;
            }
        }
    }
    assert!(compared > 100_000, "{compared}");
}

/// Cpu and memory: the schema's number and pattern accept exactly what the reader's types accept.
#[test]
fn cpu_and_memory_get_the_same_verdict_from_the_reader_and_the_schema() {
    use infra::stack::{Cpu, Memory};
    let def = |name: &str| {
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .build(&schema()["definitions"][name])
            .unwrap()
    };
    let (cpu, memory) = (def("Cpu"), def("Memory"));
    for hundredths in -100..=600 {
        let cores = f64::from(hundredths) / 100.0;
        assert_eq!(
            cpu.is_valid(&Value::from(cores)),
            Cpu::new(cores).is_ok(),
            "cpu = {cores}"
        );
    }
    for text in [
        "1Gi", "0.5Gi", "1.Gi", ".5Gi", "00.5Gi", "10Gi", "0Gi", "0.0Gi", ".Gi", "Gi", "1G", "1gi", "1.5.Gi", "-1Gi",
        "1e3Gi", " 1Gi", "1Gi ", "1,5Gi", "٣Gi",
    ] {
        assert_eq!(
            memory.is_valid(&Value::from(text)),
            Memory::new(text).is_ok(),
            "memory = {text:?}"
        );
    }
}

/// Every entry of [`RENDER_ONLY`] names a test that exists, so a renamed test cannot leave a stale entry.
#[test]
fn render_only_names_existing_tests() {
    for (test, _, why) in RENDER_ONLY {
        let (module, name) = test.split_once("::").unwrap();
        let source = std::fs::read_to_string(format!("tests/it/{module}.rs")).unwrap();
        // A test, or a case of a table-driven test (`name: "…"`, `name: "…/2"`).
        let found = source.contains(&format!("fn {name}()"))
            || source.contains(&format!("name: \"{name}\""))
            || source.contains(&format!("name: \"{name}/"));
        assert!(found, "{test} ({why}) is not a test or a case");
    }
}
