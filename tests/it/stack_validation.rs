//! One test per validation rule: a reference stack with one mistake, and the exact error (file, line, column,
//! message, help). Generated cases are edits of `stacks/dev.toml` / `stacks/prod.toml`.

use infra::stack::Stack;

const DEV: &str = include_str!("../../stacks/dev.toml");
const PROD: &str = include_str!("../../stacks/prod.toml");

/// Applies `edits` (each `old` must occur exactly once) to the stack `base` and returns the load error.
fn error(base: &str, edits: &[(&str, &str)]) -> String {
    let (path, mut text) = match base {
        "dev" => ("stacks/dev.toml", DEV.to_string()),
        _ => ("stacks/prod.toml", PROD.to_string()),
    };
    for (old, new) in edits {
        assert_eq!(text.matches(old).count(), 1, "edit target {old:?} must occur once");
        text = text.replacen(old, new, 1);
    }
    crate::stack_schema::invalid(&text);
    match Stack::from_toml(path, &text) {
        Ok(_) => panic!("the stack should be rejected"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn reference_stacks_are_valid() {
    crate::stack_schema::valid(DEV);
    crate::stack_schema::valid(PROD);
    assert_eq!(Stack::from_toml("stacks/dev.toml", DEV).unwrap().name(), "dev");
    assert_eq!(Stack::from_toml("stacks/prod.toml", PROD).unwrap().name(), "prod");
}

#[test]
fn registry_name_must_be_alphanumeric() {
    assert_eq!(
        error(
            "prod",
            &[(r#"name = "acrfastapiprod""#, r#"name = "acr-fastapi-prod""#)]
        ),
        r#"stacks/prod.toml:22:8: "acr-fastapi-prod" is not a valid container registry name
  help: a container registry name is 5-50 ASCII letters and digits, no hyphens"#
    );
}

#[test]
fn registry_name_length() {
    assert_eq!(
        error("prod", &[(r#"name = "acrfastapiprod""#, r#"name = "acr""#)]),
        r#"stacks/prod.toml:22:8: "acr" is not a valid container registry name
  help: a container registry name is 5-50 ASCII letters and digits, no hyphens"#
    );
}

#[test]
fn container_app_name_max_32() {
    assert_eq!(
        error(
            "prod",
            &[(
                r#"name = "ca-fastapi-prod""#,
                r#"name = "ca-fastapi-prod-with-a-very-long-name""#
            )]
        ),
        r#"stacks/prod.toml:78:8: "ca-fastapi-prod-with-a-very-long-name" is not a valid container app name
  help: a container app name is 2-32 lower-case letters, digits or '-', starting with a letter and ending with a letter or digit, no '--'"#
    );
}

#[test]
fn container_app_name_starts_with_letter_lowercase() {
    assert_eq!(
        error("prod", &[(r#"name = "ca-fastapi-prod""#, r#"name = "1CA-prod""#)]),
        r#"stacks/prod.toml:78:8: "1CA-prod" is not a valid container app name
  help: a container app name is 2-32 lower-case letters, digits or '-', starting with a letter and ending with a letter or digit, no '--'"#
    );
}

#[test]
fn container_app_name_no_double_hyphen() {
    assert_eq!(
        error("prod", &[(r#"name = "ca-fastapi-prod""#, r#"name = "ca--prod""#)]),
        r#"stacks/prod.toml:78:8: "ca--prod" is not a valid container app name
  help: a container app name is 2-32 lower-case letters, digits or '-', starting with a letter and ending with a letter or digit, no '--'"#
    );
}

#[test]
fn storage_account_name() {
    assert_eq!(
        error("prod", &[(r#"name = "stfastapiprod""#, r#"name = "st-fastapi-prod""#)]),
        r#"stacks/prod.toml:57:8: "st-fastapi-prod" is not a valid storage account name
  help: a storage account name is 3-24 lower-case letters and digits, no hyphens"#
    );
}

#[test]
fn resource_group_name() {
    assert_eq!(
        error("prod", &[(r#"name = "rg-fastapi-prod""#, r#"name = "rg fastapi.""#)]),
        r#"stacks/prod.toml:19:8: "rg fastapi." is not a valid resource group name
  help: a resource group name is 1-90 characters: ASCII letters, digits, '-', '_', '.', '(' or ')', not ending with '.'"#
    );
}

#[test]
fn workspace_name() {
    assert_eq!(
        error("prod", &[(r#"name = "log-fastapi-prod""#, r#"name = "log-""#)]),
        r#"stacks/prod.toml:50:8: "log-" is not a valid Log Analytics workspace name
  help: a Log Analytics workspace name is 4-63 ASCII letters, digits or '-', starting and ending with a letter or digit"#
    );
}

#[test]
fn environment_name() {
    assert_eq!(
        error("prod", &[(r#"name = "cae-fastapi-prod""#, r#"name = "CAE_prod""#)]),
        r#"stacks/prod.toml:54:8: "CAE_prod" is not a valid container app environment name
  help: a container app environment name is 2-60 lower-case letters, digits or '-', starting with a letter and ending with a letter or digit, no '--'"#
    );
}

#[test]
fn identity_name() {
    assert_eq!(
        error("prod", &[(r#"name = "id-fastapi-prod""#, r#"name = "-id""#)]),
        r#"stacks/prod.toml:47:8: "-id" is not a valid user-assigned identity name
  help: a user-assigned identity name is 3-128 ASCII letters, digits, '-' or '_', starting with a letter or digit"#
    );
}

#[test]
fn share_name() {
    assert_eq!(
        error(
            "prod",
            &[(
                r#"[storage.share]
name = "data""#,
                r#"[storage.share]
name = "Data""#
            )]
        ),
        r#"stacks/prod.toml:70:8: "Data" is not a valid file share name
  help: a file share name is 3-63 lower-case letters, digits or '-', not starting or ending with '-', no '--'"#
    );
}

#[test]
fn location_normalised() {
    assert_eq!(
        error("prod", &[(r#"location = "westeurope""#, r#"location = "West Europe""#)]),
        r#"stacks/prod.toml:4:12: "West Europe" is not a valid location
  help: a location is an Azure region in lower case without spaces, e.g. "westeurope" or "northeurope""#
    );
}

#[test]
fn unknown_key_lists_known_keys() {
    assert_eq!(
        error(
            "prod",
            &[(
                r#"sku = "Premium""#,
                r#"sku = "Premium"
zone_redundant = true"#
            )]
        ),
        r#"stacks/prod.toml:24:1: unknown key `zone_redundant` in [container_registry]
  help: known keys here: `name`, `sku`, `admin_enabled`, `anonymous_pull_enabled`, `zone_redundancy_enabled`, `retention_days`, `trust_policy_enabled`, `quarantine_policy_enabled`, `data_endpoint_enabled`, `public_network_access_enabled`, `export_policy_enabled`, `geo_replications`, `network_rules`, `cleanup`, `webhooks`"#
    );
}

#[test]
fn unknown_sku() {
    assert_eq!(
        error("prod", &[(r#"sku = "Premium""#, r#"sku = "Gold""#)]),
        r#"stacks/prod.toml:23:7: unknown value `Gold`
  help: valid values: `Basic`, `Standard`, `Premium`"#
    );
}

#[test]
fn missing_key() {
    assert_eq!(
        error(
            "prod",
            &[(
                r#"[identity]
name = "id-fastapi-prod""#,
                r#"[identity]"#
            )]
        ),
        r#"stacks/prod.toml:46:1: missing key `name` in [identity]"#
    );
}

#[test]
fn geo_replications_need_premium() {
    assert_eq!(
        error(
            "dev",
            &[(
                r#"sku = "Basic""#,
                r#"sku = "Standard"

[[container_registry.geo_replications]]
location = "northeurope""#
            )]
        ),
        r#"stacks/dev.toml:25:1: container_registry.geo_replications need sku = "Premium", but container_registry.sku = "Standard"
  help: set container_registry.sku = "Premium", or remove [[container_registry.geo_replications]]"#
    );
}

#[test]
fn zone_redundancy_needs_premium() {
    assert_eq!(
        error(
            "dev",
            &[(
                r#"sku = "Basic""#,
                r#"sku = "Basic"
zone_redundancy_enabled = true"#
            )]
        ),
        r#"stacks/dev.toml:24:27: container_registry.zone_redundancy_enabled = true needs sku = "Premium", but container_registry.sku = "Basic"
  help: set container_registry.sku = "Premium", or remove zone_redundancy_enabled"#
    );
}

#[test]
fn retention_needs_premium() {
    assert_eq!(
        error(
            "dev",
            &[(
                r#"sku = "Basic""#,
                r#"sku = "Basic"
retention_days = 7"#
            )]
        ),
        r#"stacks/dev.toml:24:18: container_registry.retention_days = 7 needs sku = "Premium", but container_registry.sku = "Basic"
  help: set container_registry.sku = "Premium", or remove retention_days"#
    );
}

#[test]
fn retention_range() {
    assert_eq!(
        error("prod", &[(r#"retention_days = 7"#, r#"retention_days = 400"#)]),
        r#"stacks/prod.toml:25:18: container_registry.retention_days = 400 is out of range
  help: retention_days is 1 to 365"#
    );
}

/// Issue 10, defect 1: Azure refuses Docker Content Trust on a registry (400 ContentTrustUnsupported,
/// hashicorp/terraform-provider-azurerm#32752): rejected at load, on any SKU, pointing at Notation.
#[test]
fn content_trust_is_rejected_with_the_way_to_notation() {
    assert_eq!(
        error(
            "prod",
            &[(
                r#"retention_days = 7"#,
                "retention_days = 7\ntrust_policy_enabled = true"
            )]
        ),
        r#"stacks/prod.toml:26:24: container_registry.trust_policy_enabled = true: Azure no longer lets a registry enable Docker Content Trust (400 ContentTrustUnsupported), so the first apply would fail
  help: remove trust_policy_enabled and sign images with Notation instead (`notation sign` in CI, signatures stored next to the image in the registry; verify them before deploying)"#
    );
}

/// Issue 10, defect 4: AcrPull cannot pull a quarantined image (Azure/acr#210) and a stack has no release step.
#[test]
fn quarantine_is_rejected_without_a_release_path() {
    assert_eq!(
        error(
            "prod",
            &[(
                r#"retention_days = 7"#,
                "retention_days = 7\nquarantine_policy_enabled = true"
            )]
        ),
        r#"stacks/prod.toml:26:29: container_registry.quarantine_policy_enabled = true: every pushed image stays unpullable until a scanner releases it, and the stack has no release step, so the app could never pull its image (AcrPull cannot pull quarantined images)
  help: remove quarantine_policy_enabled: scan images in CI before pushing them (push only what passed)"#
    );
}

/// Issue 10, defect 7: an ACR task cannot reach a network-restricted registry without the bypass policy that
/// azurerm 4.79.0 cannot set; dev's open registry may keep one.
#[test]
fn a_purge_task_on_a_restricted_registry_is_rejected() {
    let cleanup = "\n[container_registry.cleanup]\nname = \"purge-untagged\"\nschedule = \"0 1 * * Sun\"\nkeep = 10\n";
    let text = format!("{PROD}{cleanup}");
    crate::stack_schema::invalid(&text);
    let err = Stack::from_toml("stacks/prod.toml", &text).unwrap_err().to_string();
    assert!(
        err.contains("[container_registry.cleanup] runs as an ACR task, and ACR tasks cannot reach a network-restricted registry"),
        "{err}"
    );
    assert!(
        err.contains("help: remove [container_registry.cleanup]: retention_days deletes untagged manifests"),
        "{err}"
    );
    assert!(Stack::from_toml("stacks/dev.toml", &format!("{DEV}{cleanup}")).is_ok());
    crate::stack_schema::valid(&format!("{DEV}{cleanup}"));
}

/// Webhooks: https only, no credentials in the stack, known actions, a repository:tag scope.
#[test]
fn webhook_rules() {
    let hook = |body: &str| format!("{DEV}\n[[container_registry.webhooks]]\n{body}\n");
    let err = |body: &str| {
        crate::stack_schema::invalid(&hook(body));
        match Stack::from_toml("stacks/dev.toml", &hook(body)) {
            Ok(_) => panic!("accepted: {body}"),
            Err(e) => e.to_string(),
        }
    };
    crate::stack_schema::valid(&hook(
        "name = \"cdpush\"\nactions = [\"push\", \"delete\"]\nscope = \"fastapi-app:*\"\nheaders = [\"X-Token\"]",
    ));
    assert!(Stack::from_toml(
        "stacks/dev.toml",
        &hook(
            "name = \"cdpush\"\nactions = [\"push\", \"delete\"]\nscope = \"fastapi-app:*\"\nheaders = [\"X-Token\"]"
        )
    )
    .is_ok());
    let e = err("name = \"cdpush\"\nactions = [\"push\"]\nservice_uri = \"http://ci.example.com/hook\"");
    assert!(
        e.contains("service_uri = \"http://ci.example.com/hook\" is not an https:// URI"),
        "{e}"
    );
    assert!(e.contains("help: write an https:// URI without credentials, or remove service_uri and set the sensitive variable webhook_cdpush_service_uri at plan time (TF_VAR_webhook_cdpush_service_uri)"), "{e}");
    let e = err("name = \"cdpush\"\nactions = [\"push\"]\nservice_uri = \"https://ci.example.com/hook?token=abc\"");
    assert!(e.contains("has a query string or fragment, where tokens travel"), "{e}");
    let e = err("name = \"cdpush\"\nactions = [\"push\"]\nservice_uri = \"https://u:p@ci.example.com/hook\"");
    assert!(e.contains("carries credentials (user info before '@')"), "{e}");
    let e = err("name = \"cdpush\"\nactions = [\"pull\"]");
    assert!(e.contains("unknown value `pull`"), "{e}");
    let e = err("name = \"cdpush\"\nactions = []");
    assert!(e.contains("container_registry.webhooks[0].actions is empty"), "{e}");
    let e = err("name = \"cdpush\"\nactions = [\"push\"]\nscope = \"Fastapi App\"");
    assert!(e.contains("is not a repository:tag scope"), "{e}");
    let e = err("name = \"cd\"\nactions = [\"push\"]");
    assert!(e.contains("is not a valid registry webhook name"), "{e}");
    let e = err("name = \"cdpush\"\nactions = [\"push\"]\nheaders = [\"X-Token\", \"x-token\"]");
    assert!(e.contains("headers[1] = \"x-token\" is listed twice"), "{e}");
    let e = err("name = \"cdpush\"\nactions = [\"push\"]\nheaders = [\"X Token = 1\"]");
    assert!(
        e.contains("headers[0] = \"X Token = 1\" is not an HTTP header name"),
        "{e}"
    );
    // Located at file:line:col.
    let e = err("name = \"cdpush\"\nactions = [\"push\", \"push\"]");
    let line = DEV.lines().count() + 4;
    assert!(e.contains(&format!("stacks/dev.toml:{line}:")), "{e}");
}

#[test]
fn network_rules_need_premium() {
    assert_eq!(
        error(
            "dev",
            &[(
                r#"sku = "Basic""#,
                r#"sku = "Standard"

[container_registry.network_rules]
default_action = "Deny"
ip_allow_list = ["203.0.113.0/24"]"#
            )]
        ),
        r#"stacks/dev.toml:25:1: container_registry.network_rules needs sku = "Premium", but container_registry.sku = "Standard"
  help: set container_registry.sku = "Premium", or remove [container_registry.network_rules]
error: stacks/dev.toml:26:18: container_registry.network_rules.default_action = "Deny" blocks the app's image pull: Container Apps is not a trusted service of ACR and its outbound address is not fixed
  help: add [network] with [network.private_endpoints] registry = true (the environment pulls over the private endpoint), or allow public access
error: stacks/dev.toml:27:18: container_registry.network_rules.ip_allow_list[0] = "203.0.113.0/24" is in a documentation range (TEST-NET-3, RFC 5737): no real client has it
  help: list the public egress addresses of your CI runners (e.g. from your CI provider's published ranges)"#
    );
}

#[test]
fn network_rules_ip_range() {
    assert_eq!(
        error(
            "prod",
            &[(
                "public_network_access_enabled = false\nexport_policy_enabled = false\n",
                "network_rules = { default_action = \"Allow\", ip_allow_list = [\"20.50.2.7\", \"20.50.2.300\"] }\n"
            )]
        ),
        r#"stacks/prod.toml:30:75: container_registry.network_rules.ip_allow_list[1] = "20.50.2.300" is not an IPv4 address or CIDR range
  help: write an address or range such as "203.0.113.7" or "203.0.113.0/24""#
    );
}

#[test]
fn public_network_access_off_needs_premium() {
    assert_eq!(
        error(
            "dev",
            &[(
                r#"sku = "Basic""#,
                r#"sku = "Basic"
public_network_access_enabled = false"#
            )]
        ),
        r#"stacks/dev.toml:24:33: container_registry.public_network_access_enabled = false needs sku = "Premium", but container_registry.sku = "Basic"
  help: set container_registry.sku = "Premium", or remove public_network_access_enabled
error: stacks/dev.toml:24:33: container_registry.public_network_access_enabled = false blocks the app's image pull: Container Apps is not a trusted service of ACR and its outbound address is not fixed
  help: add [network] with [network.private_endpoints] registry = true (the environment pulls over the private endpoint), or allow public access"#
    );
}

#[test]
fn data_endpoint_needs_premium() {
    assert_eq!(
        error(
            "dev",
            &[(
                r#"sku = "Basic""#,
                r#"sku = "Standard"
data_endpoint_enabled = true"#
            )]
        ),
        r#"stacks/dev.toml:24:25: container_registry.data_endpoint_enabled = true needs sku = "Premium", but container_registry.sku = "Standard"
  help: set container_registry.sku = "Premium", or remove data_endpoint_enabled"#
    );
}

#[test]
fn export_policy_off_needs_premium() {
    assert_eq!(
        error(
            "dev",
            &[(
                r#"sku = "Basic""#,
                r#"sku = "Standard"
export_policy_enabled = false"#
            )]
        ),
        r#"stacks/dev.toml:24:25: container_registry.export_policy_enabled = false needs sku = "Premium", but container_registry.sku = "Standard"
  help: set container_registry.sku = "Premium", or remove export_policy_enabled"#
    );
}

#[test]
fn export_policy_off_needs_public_access_off() {
    assert_eq!(
        error(
            "prod",
            // prod's registry is private; open it again but keep export off.
            &[("public_network_access_enabled = false\n", "")]
        ),
        r#"stacks/prod.toml:30:25: container_registry.export_policy_enabled = false needs public_network_access_enabled = false
  help: set container_registry.public_network_access_enabled = false, or keep export_policy_enabled = true"#
    );
}

#[test]
fn anonymous_pull_needs_standard() {
    assert_eq!(
        error(
            "dev",
            &[(
                r#"sku = "Basic""#,
                r#"sku = "Basic"
anonymous_pull_enabled = true"#
            )]
        ),
        r#"stacks/dev.toml:24:26: container_registry.anonymous_pull_enabled = true needs sku = "Standard" or "Premium", but container_registry.sku = "Basic"
  help: set container_registry.sku = "Standard" or "Premium", or remove anonymous_pull_enabled"#
    );
}

#[test]
fn geo_replica_not_in_registry_location() {
    assert_eq!(
        error("prod", &[(r#"location = "northeurope""#, r#"location = "westeurope""#)]),
        r#"stacks/prod.toml:34:12: container_registry.geo_replications[0].location = "westeurope" is the registry's own location (location = "westeurope")
  help: a geo-replica must be in another region, e.g. "northeurope" for a registry in "westeurope""#
    );
}

#[test]
fn geo_replica_listed_twice() {
    assert_eq!(
        error(
            "prod",
            &[(
                r#"[[container_registry.geo_replications]]
location = "northeurope"
zone_redundancy_enabled = true"#,
                r#"[[container_registry.geo_replications]]
location = "northeurope"
zone_redundancy_enabled = true

[[container_registry.geo_replications]]
location = "northeurope""#
            )]
        ),
        r#"stacks/prod.toml:38:12: container_registry.geo_replications[1].location = "northeurope" is replicated twice
  help: list each region once"#
    );
}

#[test]
fn cleanup_schedule_is_cron() {
    // On dev: prod's registry is network-restricted and may not have a purge task.
    let text =
        format!("{DEV}\n[container_registry.cleanup]\nname = \"purge-untagged\"\nschedule = \"weekly\"\nkeep = 10\n");
    assert_eq!(
        Stack::from_toml("stacks/dev.toml", &text).unwrap_err().to_string(),
        r#"stacks/dev.toml:86:12: container_registry.cleanup.schedule = "weekly" is not a cron expression ACR tasks accept: has 1 fields, not 5
  help: write five fields, minute hour day-of-month month day-of-week (UTC), e.g. "0 1 * * Sun"; each is *, a number, a range a-b, a list a,b or a step */n; months and days may be names (Jan, Sun)"#
    );
}

#[test]
fn cpu_memory_pair() {
    assert_eq!(
        error("prod", &[(r#"memory = "1Gi""#, r#"memory = "2Gi""#)]),
        r#"stacks/prod.toml:87:10: container_app.container.cpu = 0.5 and memory = "2Gi" are not a valid Consumption pair
  help: with cpu = 0.5 use memory = "1Gi" (memory must be 2 × cpu, cpu in 0.25 steps from 0.25 to 4.0)"#
    );
}

#[test]
fn cpu_in_quarter_steps() {
    assert_eq!(
        error("prod", &[(r#"cpu = 0.5"#, r#"cpu = 0.3"#)]),
        r#"stacks/prod.toml:86:7: cpu = 0.3 is not a Consumption vCPU amount
  help: cpu is 0.25 to 4.0 in steps of 0.25, e.g. 0.5"#
    );
}

#[test]
fn cpu_at_most_4() {
    assert_eq!(
        error("prod", &[(r#"cpu = 0.5"#, r#"cpu = 4.5"#)]),
        r#"stacks/prod.toml:86:7: cpu = 4.5 is not a Consumption vCPU amount
  help: cpu is 0.25 to 4.0 in steps of 0.25, e.g. 0.5"#
    );
}

#[test]
fn memory_format() {
    assert_eq!(
        error("prod", &[(r#"memory = "1Gi""#, r#"memory = "1024Mi""#)]),
        r#"stacks/prod.toml:87:10: memory = "1024Mi" is not an amount of memory
  help: write memory in GiB with the Gi suffix, e.g. "1Gi" or "0.5Gi""#
    );
}

#[test]
fn min_replicas_not_above_max() {
    assert_eq!(
        error("prod", &[(r#"min_replicas = 2"#, r#"min_replicas = 12"#)]),
        r#"stacks/prod.toml:106:16: container_app.scale.min_replicas = 12 is greater than max_replicas = 10
  help: min_replicas must be at most max_replicas: lower min_replicas, or raise max_replicas to at least 12"#
    );
}

#[test]
fn max_replicas_limit() {
    assert_eq!(
        error("prod", &[(r#"max_replicas = 10"#, r#"max_replicas = 301"#)]),
        r#"stacks/prod.toml:107:16: container_app.scale.max_replicas = 301 is out of range
  help: max_replicas is 1 to 300"#
    );
}

#[test]
fn max_replicas_at_least_1() {
    assert_eq!(
        error("dev", &[(r#"max_replicas = 10"#, r#"max_replicas = 0"#)]),
        r#"stacks/dev.toml:77:16: container_app.scale.max_replicas = 0 is out of range
  help: max_replicas is 1 to 300"#
    );
}

#[test]
fn http_concurrency_at_least_1() {
    assert_eq!(
        error(
            "prod",
            &[(r#"http_concurrent_requests = 100"#, r#"http_concurrent_requests = 0"#)]
        ),
        r#"stacks/prod.toml:108:28: container_app.scale.http_concurrent_requests = 0 would never scale
  help: http_concurrent_requests is the number of concurrent requests per replica, at least 1, e.g. 100"#
    );
}

#[test]
fn probe_initial_delay_range() {
    assert_eq!(
        error(
            "prod",
            &[(
                r#"[container_app.container.liveness_probe]
port = 8000"#,
                r#"[container_app.container.liveness_probe]
port = 8000
initial_delay = 61"#
            )]
        ),
        r#"stacks/prod.toml:95:17: container_app.container.liveness_probe.initial_delay = 61 is out of range
  help: a probe's initial_delay is 0 to 60"#
    );
}

#[test]
fn probe_interval_range() {
    assert_eq!(
        error(
            "prod",
            &[(
                r#"[container_app.container.readiness_probe]
port = 8000"#,
                r#"[container_app.container.readiness_probe]
port = 8000
interval_seconds = 0"#
            )]
        ),
        r#"stacks/prod.toml:99:20: container_app.container.readiness_probe.interval_seconds = 0 is out of range
  help: a probe's interval_seconds is 1 to 240"#
    );
}

#[test]
fn probe_timeout_range() {
    assert_eq!(
        error(
            "prod",
            &[(
                r#"[container_app.container.liveness_probe]
port = 8000"#,
                r#"[container_app.container.liveness_probe]
port = 8000
timeout = 241"#
            )]
        ),
        r#"stacks/prod.toml:95:11: container_app.container.liveness_probe.timeout = 241 is out of range
  help: a probe's timeout is 1 to 240"#
    );
}

#[test]
fn liveness_failure_threshold_range() {
    assert_eq!(
        error(
            "prod",
            &[(
                r#"[container_app.container.liveness_probe]
port = 8000"#,
                r#"[container_app.container.liveness_probe]
port = 8000
failure_count_threshold = 31"#
            )]
        ),
        r#"stacks/prod.toml:95:27: container_app.container.liveness_probe.failure_count_threshold = 31 is out of range
  help: a liveness probe's failure_count_threshold is 1 to 30"#
    );
}

#[test]
fn readiness_success_threshold_range() {
    assert_eq!(
        error(
            "prod",
            &[(
                r#"[container_app.container.readiness_probe]
port = 8000"#,
                r#"[container_app.container.readiness_probe]
port = 8000
success_count_threshold = 11"#
            )]
        ),
        r#"stacks/prod.toml:99:27: container_app.container.readiness_probe.success_count_threshold = 11 is out of range
  help: a probe's success_count_threshold is 1 to 10"#
    );
}

#[test]
fn liveness_has_no_success_threshold() {
    assert_eq!(
        error(
            "prod",
            &[(
                r#"[container_app.container.liveness_probe]
port = 8000"#,
                r#"[container_app.container.liveness_probe]
port = 8000
success_count_threshold = 1"#
            )]
        ),
        r#"stacks/prod.toml:95:27: container_app.container.liveness_probe.success_count_threshold is only for readiness probes
  help: remove success_count_threshold from the liveness probe"#
    );
}

#[test]
fn probe_port_range() {
    assert_eq!(
        error(
            "prod",
            &[(
                r#"[container_app.container.readiness_probe]
port = 8000"#,
                r#"[container_app.container.readiness_probe]
port = 70000"#
            )]
        ),
        r#"stacks/prod.toml:98:8: container_app.container.readiness_probe.port = 70000 is out of range
  help: a probe's port is 1 to 65535"#
    );
}

#[test]
fn tcp_probe_has_no_path() {
    assert_eq!(
        error(
            "prod",
            &[(
                r#"[container_app.container.liveness_probe]
port = 8000"#,
                r#"[container_app.container.liveness_probe]
transport = "TCP"
port = 8000"#
            )]
        ),
        r#"stacks/prod.toml:96:8: container_app.container.liveness_probe.path is set on a TCP probe
  help: path is for transport = "HTTP" or "HTTPS"; remove it or change the transport"#
    );
}

#[test]
fn volume_mount_names_a_volume() {
    assert_eq!(
        error(
            "prod",
            &[(
                r#"[[container_app.container.volume_mounts]]
name = "data""#,
                r#"[[container_app.container.volume_mounts]]
name = "cache""#
            )]
        ),
        r#"stacks/prod.toml:102:8: container_app.container.volume_mounts[0].name = "cache" names no volume
  help: a volume mount names one of [[container_app.volumes]]: "data""#
    );
}

#[test]
fn volume_names_an_environment_storage() {
    assert_eq!(
        error(
            "prod",
            &[(
                r#"[[container_app.volumes]]
name = "data"
storage_name = "data""#,
                r#"[[container_app.volumes]]
name = "data"
storage_name = "files""#
            )]
        ),
        r#"stacks/prod.toml:112:16: container_app.volumes[0].storage_name = "files" names no environment storage
  help: the environment storage is "data" ([storage.environment_storage] name)"#
    );
}

#[test]
fn secret_name() {
    assert_eq!(
        error(
            "prod",
            &[(
                r#"storage_name = "data"
"#,
                r#"storage_name = "data"

[[container_app.secrets]]
name = "Database_URL"
"#
            )]
        ),
        r#"stacks/prod.toml:115:8: "Database_URL" is not a valid secret name
  help: a secret name is 1-253 lower-case letters, digits or '-', starting and ending with a letter or digit"#
    );
}
#[test]
fn secret_declared_twice() {
    assert_eq!(
        error(
            "prod",
            &[(
                r#"storage_name = "data"
"#,
                r#"storage_name = "data"

[[container_app.secrets]]
name = "database-url"
env = "DATABASE_URL"

[[container_app.secrets]]
name = "database-url"
"#
            )]
        ),
        r#"stacks/prod.toml:119:8: container_app.secrets[1].name = "database-url" is declared twice
  help: give each secret its own name"#
    );
}
#[test]
fn secret_env_already_set() {
    assert_eq!(
        error(
            "prod",
            &[(
                r#"storage_name = "data"
"#,
                r#"storage_name = "data"

[[container_app.secrets]]
name = "python-path"
env = "PYTHONPATH"
"#
            )]
        ),
        r#"stacks/prod.toml:116:7: container_app.secrets[0].env = "PYTHONPATH" is already set by another value
  help: an environment variable gets one value: remove PYTHONPATH from [container_app.container.env] or from the other secret"#
    );
}
#[test]
fn secret_env_name() {
    assert_eq!(
        error(
            "prod",
            &[(
                r#"storage_name = "data"
"#,
                r#"storage_name = "data"

[[container_app.secrets]]
name = "database-url"
env = "DATABASE-URL"
"#
            )]
        ),
        r#"stacks/prod.toml:116:7: container_app.secrets[0].env = "DATABASE-URL" is not an environment variable name
  help: environment variable names are letters, digits and '_', not starting with a digit"#
    );
}

#[test]
fn toml_syntax_error_is_located() {
    let e = Stack::from_toml("stacks/bad.toml", "location = \"westeurope\"\n[tags\n").unwrap_err();
    assert_eq!(e.to_string(), "stacks/bad.toml:2:6: unclosed table, expected `]`");
}

#[test]
fn wrong_type_is_located() {
    let text = PROD.replacen("quota_gb = 100", "quota_gb = \"100\"", 1);
    crate::stack_schema::invalid(&text);
    let e = Stack::from_toml("stacks/bad.toml", &text).unwrap_err();
    assert_eq!(
        e.to_string(),
        "stacks/bad.toml:71:12: invalid type: string \"100\", expected u32"
    );
}

#[test]
fn several_problems_are_reported_in_file_order() {
    let text = DEV
        .replacen("sku = \"Basic\"", "sku = \"Basic\"\nretention_days = 7", 1)
        .replacen("max_replicas = 10", "max_replicas = 0", 1);
    crate::stack_schema::invalid(&text);
    let e = Stack::from_toml("stacks/dev.toml", &text).unwrap_err();
    let fields: Vec<(&str, Option<(usize, usize)>)> =
        e.diagnostics.iter().map(|d| (d.field.as_str(), d.line_col)).collect();
    assert_eq!(
        fields,
        [
            ("container_registry.retention_days", Some((24, 18))),
            ("container_app.scale.max_replicas", Some((78, 16)))
        ]
    );
}

#[test]
fn unknown_key_names_its_table() {
    assert_eq!(
        error("prod", &[("replication = \"ZRS\"", "replication = \"ZRS\"\nkind = \"StorageV2\"")]),
        "stacks/prod.toml:59:1: unknown key `kind` in [storage.account]\n  help: known keys here: `name`, `replication`, `public_network_access_enabled`, `network_rules`, `sas_expiration_period`"
    );
    assert_eq!(
        error("prod", &[("storage_name = \"data\"\n", "storage_name = \"data\"\nmount = true\n")]),
        "stacks/prod.toml:113:1: unknown key `mount` in [[container_app.volumes]]\n  help: known keys here: `name` or `storage_name`"
    );
}

// ---- [network] (issue 10): the broken combinations of a private network are rejected at load.

/// `[network]` for dev (Basic registry), with the given private endpoints and, optionally, their subnet.
fn dev_with_network(private_endpoints: &str, pe_subnet: bool) -> String {
    let mut text = DEV.to_string();
    text.push_str(
        "\n[network]\nname = \"vnet-fastapi-dev\"\naddress_space = \"10.30.0.0/16\"\n\n[network.environment_subnet]\nname = \"snet-cae\"\naddress_prefix = \"10.30.0.0/27\"\n",
    );
    if pe_subnet {
        text.push_str("\n[network.private_endpoint_subnet]\nname = \"snet-pe\"\naddress_prefix = \"10.30.1.0/28\"\n");
    }
    text.push_str(&format!("\n[network.private_endpoints]\n{private_endpoints}\n"));
    text
}

fn load_error(text: &str) -> String {
    crate::stack_schema::invalid(text);
    Stack::from_toml("stacks/dev.toml", text).unwrap_err().to_string()
}

#[test]
fn dev_with_a_network_and_a_file_endpoint_is_valid() {
    crate::stack_schema::valid(&dev_with_network("storage = true", true));
    let stack = Stack::from_toml("stacks/dev.toml", &dev_with_network("storage = true", true)).unwrap();
    assert_eq!(
        stack.network.unwrap().environment_subnet.address_prefix.to_string(),
        "10.30.0.0/27"
    );
}

#[test]
fn private_registry_without_its_private_endpoint_blocks_the_app() {
    assert_eq!(
        error("prod", &[("registry = true\n", "registry = false\n")]),
        "stacks/prod.toml:30:33: container_registry.public_network_access_enabled = false blocks the app's image pull: Container Apps is not a trusted service of ACR and its outbound address is not fixed\n  help: add [network] with [network.private_endpoints] registry = true (the environment pulls over the private endpoint), or allow public access"
    );
}

#[test]
fn registry_firewall_without_private_endpoint_blocks_the_app() {
    assert_eq!(
        error(
            "prod",
            &[
                ("registry = true\n", "registry = false\n"),
                (
                    "public_network_access_enabled = false\nexport_policy_enabled = false\n",
                    "network_rules = { default_action = \"Deny\", ip_allow_list = [\"20.50.2.7\"] }\n"
                )
            ]
        ),
        "stacks/prod.toml:30:36: container_registry.network_rules.default_action = \"Deny\" blocks the app's image pull: Container Apps is not a trusted service of ACR and its outbound address is not fixed\n  help: add [network] with [network.private_endpoints] registry = true (the environment pulls over the private endpoint), or allow public access"
    );
}

#[test]
fn closed_storage_without_its_private_endpoint_blocks_the_mount() {
    assert_eq!(error("prod", &[("storage = true\n", "storage = false\n")]), "stacks/prod.toml:66:18: storage.account.network_rules.default_action = \"Deny\" blocks the environment's mount of the /data share\n  help: add [network] with [network.private_endpoints] storage = true, or allow public access");
}

#[test]
fn registry_private_endpoint_needs_premium() {
    assert_eq!(load_error(&dev_with_network("registry = true", true)), "stacks/dev.toml:97:12: network.private_endpoints.registry = true needs container_registry.sku = \"Premium\", but it is \"Basic\"\n  help: set container_registry.sku = \"Premium\", or remove registry from [network.private_endpoints]");
}

#[test]
fn private_endpoints_need_their_subnet() {
    assert_eq!(load_error(&dev_with_network("storage = true", false)), "stacks/dev.toml:92:1: [network.private_endpoints] needs a subnet for the endpoints' addresses\n  help: add [network.private_endpoint_subnet] with name and address_prefix, e.g. \"10.20.2.0/27\"");
}

#[test]
fn environment_subnet_at_least_27() {
    assert_eq!(error("prod", &[("\"10.20.0.0/23\"", "\"10.20.0.0/28\"")]), "stacks/prod.toml:122:18: network.environment_subnet.address_prefix = \"10.20.0.0/28\" is too small\n  help: a workload-profiles Container Apps environment needs a /27 or larger subnet (Microsoft Learn, \"Networking in Azure Container Apps environment\"): use a /27 or shorter prefix");
}

#[test]
fn subnets_must_not_overlap() {
    assert_eq!(error("prod", &[("\"10.20.2.0/27\"", "\"10.20.1.0/27\"")]), "stacks/prod.toml:126:18: network.private_endpoint_subnet.address_prefix = \"10.20.1.0/27\" overlaps network.environment_subnet.address_prefix = \"10.20.0.0/23\"\n  help: subnets of a virtual network must not share addresses: pick a range after the other subnet");
}

#[test]
fn subnet_inside_the_address_space() {
    assert_eq!(error("prod", &[("\"10.20.2.0/27\"", "\"10.30.2.0/27\"")]), "stacks/prod.toml:126:18: network.private_endpoint_subnet.address_prefix = \"10.30.2.0/27\" is not inside network.address_space = \"10.20.0.0/16\"\n  help: a subnet takes its addresses from the virtual network's address space: pick a range inside it");
}

#[test]
fn address_space_is_a_cidr() {
    assert_eq!(error("prod", &[("\"10.20.0.0/16\"", "\"10.20.0.0/33\"")]), "stacks/prod.toml:118:17: \"10.20.0.0/33\" is not an IPv4 network in CIDR notation\n  help: write an address and a prefix length, e.g. \"10.20.0.0/16\"");
    assert_eq!(error("prod", &[("\"10.20.0.0/16\"", "\"10.20.0.1/16\"")]), "stacks/prod.toml:118:17: \"10.20.0.1/16\" has host bits set: it is not the first address of its network\n  help: write \"10.20.0.0/16\"");
}

#[test]
fn allow_lists_reject_documentation_and_private_ranges() {
    assert_eq!(
        error(
            "prod",
            &[(
                "public_network_access_enabled = false\nexport_policy_enabled = false\n",
                "network_rules = { default_action = \"Allow\", ip_allow_list = [\"203.0.113.0/24\", \"198.51.100.10\"] }\n"
            )]
        ),
        "stacks/prod.toml:30:62: container_registry.network_rules.ip_allow_list[0] = \"203.0.113.0/24\" is in a documentation range (TEST-NET-3, RFC 5737): no real client has it\n  help: list the public egress addresses of your CI runners (e.g. from your CI provider's published ranges)\nerror: stacks/prod.toml:30:80: container_registry.network_rules.ip_allow_list[1] = \"198.51.100.10\" is in a documentation range (TEST-NET-2, RFC 5737): no real client has it\n  help: list the public egress addresses of your CI runners (e.g. from your CI provider's published ranges)"
    );
    assert_eq!(error("prod", &[("ip_allow_list = []", "ip_allow_list = [\"10.1.2.3\", \"20.50.2.7/32\"]")]), "stacks/prod.toml:67:18: storage.account.network_rules.ip_allow_list[0] = \"10.1.2.3\" is a private address (10.0.0.0/8, RFC 1918): the firewall only filters public addresses\n  help: reach the service from inside the virtual network over its private endpoint instead ([network.private_endpoints])\nerror: stacks/prod.toml:67:30: storage.account.network_rules.ip_allow_list[1] = \"20.50.2.7/32\": a storage firewall takes no /31 or /32 range\n  help: write the address alone, e.g. \"20.50.2.7\"");
}

#[test]
fn registry_rules_without_public_access_have_no_effect() {
    assert_eq!(
        error(
            "prod",
            &[(
                "export_policy_enabled = false\n",
                "export_policy_enabled = false\nnetwork_rules = { default_action = \"Deny\", ip_allow_list = [] }\n"
            )]
        ),
        "stacks/prod.toml:32:17: container_registry.network_rules has no effect with public_network_access_enabled = false\n  help: remove [container_registry.network_rules], or keep public network access on behind it"
    );
}

#[test]
fn sas_expiration_period_format() {
    assert_eq!(
        error("prod", &[("sas_expiration_period = \"1.00:00:00\"", "sas_expiration_period = \"24:00:00\"")]),
        "stacks/prod.toml:60:25: storage.account.sas_expiration_period = \"24:00:00\" is not a period D.HH:MM:SS\n  help: write days.hours:minutes:seconds, e.g. \"1.00:00:00\" for one day (sas_policy.expiration_period)"
    );
}
