//! What `render` produces for the reference stacks: snapshots of both stacks in both formats, byte-identical
//! re-renders, `terraform fmt`-canonical HCL (checked with the real binary), JSON that describes the same
//! resources as the HCL, every resource conforming to the vendored azurerm 4.79.0 schema, and the NOTES.md §14
//! wiring (identity → AcrPull → app).

use infra::azurerm::resource_schema;
use infra::render::render;
use infra::stack::Stack;
use infra::terraform::expr::{is_literal, normalize, to_hcl};
use infra::terraform::schema::{BlockSchema, NestingMode};
use infra::terraform::{Body, Config, Expression, Format, Structure};
use std::path::Path;
use std::process::Command;

fn stack(name: &str) -> Stack {
    let path = format!("stacks/{name}.toml");
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(&path)).unwrap();
    Stack::from_toml(&path, &text).unwrap_or_else(|e| panic!("{e}"))
}

const STACKS: [&str; 2] = ["dev", "prod"];
const FORMATS: [Format; 2] = [Format::Hcl, Format::Json];

fn text(config: &Config) -> String {
    config
        .files
        .iter()
        .map(|f| format!("=== {} ===\n{}", f.name, f.to_text()))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn snapshots() {
    for name in STACKS {
        for format in FORMATS {
            let ext = match format {
                Format::Hcl => "hcl",
                Format::Json => "json",
            };
            let out = text(&render(&stack(name), format));
            snapshot!("render", format!("{name}_{ext}"), out);
        }
    }
}

#[test]
fn rendering_is_byte_identical_across_runs() {
    for name in STACKS {
        for format in FORMATS {
            assert_eq!(text(&render(&stack(name), format)), text(&render(&stack(name), format)));
        }
    }
}

#[test]
fn conventional_files_with_headers() {
    for format in FORMATS {
        let config = render(&stack("prod"), format);
        let names: Vec<&str> = config.files.iter().map(|f| f.name.as_str()).collect();
        let ext = format.extension();
        let expected: Vec<String> = ["versions", "providers", "variables", "main", "outputs"]
            .iter()
            .map(|s| format!("{s}{ext}"))
            .collect();
        assert_eq!(names, expected);
        for f in &config.files {
            assert!(infra::render::is_generated(&f.to_text()), "{} has no header", f.name);
            assert!(
                f.to_text().contains("stacks/prod.toml"),
                "{} does not name its stack",
                f.name
            );
        }
    }
}

#[test]
fn committed_terraform_matches_the_stacks() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for name in STACKS {
        let report =
            infra::render::check(&render(&stack(name), Format::Hcl), &root.join("terraform").join(name)).unwrap();
        assert!(
            report.is_clean(),
            "terraform/{name} is stale, run `make render`: {:?}",
            report.problems
        );
    }
}

/// `terraform fmt -check` on the rendered .tf of both stacks. Fails (does not skip) without terraform.
#[test]
fn hcl_passes_terraform_fmt_check() {
    let dir = tempfile::tempdir().unwrap();
    for name in STACKS {
        let out = dir.path().join(name);
        infra::render::write(&render(&stack(name), Format::Hcl), &out).unwrap();
    }
    let result = Command::new("terraform")
        .args(["fmt", "-check", "-diff", "-recursive"])
        .arg(dir.path())
        .env("TF_CLI_CONFIG_FILE", "/dev/null")
        .output()
        .expect("terraform must be installed (>= 1.11) to run the test suite: it is not on PATH");
    assert!(
        result.status.success(),
        "terraform fmt -check failed:\n{}{}",
        String::from_utf8_lossy(&result.stdout),
        String::from_utf8_lossy(&result.stderr)
    );
}

/// Attribute and block structure, expressions normalised (so `"${x}"` in JSON equals `x` in HCL).
fn shape(body: &Body, out: &mut Vec<String>, prefix: &str) {
    for s in &body.structures {
        match s {
            Structure::Attribute(a) => {
                out.push(format!("{prefix}{} = {}", a.name, to_hcl(&normalize(&a.value)).trim()))
            }
            Structure::Block(b) => {
                let p = format!("{prefix}{} {}.", b.kind, b.labels.join("."));
                out.push(p.clone());
                shape(&b.body, out, &p);
            }
        }
    }
}

fn read_back(config: &Config) -> Config {
    Config {
        files: config
            .files
            .iter()
            .map(|f| {
                Config::parse_file_with(
                    &f.name,
                    f.name.clone(),
                    f.format,
                    &f.to_text(),
                    infra::azurerm::builtin_schemas(),
                )
                .unwrap_or_else(|e| panic!("{e}"))
            })
            .collect(),
    }
}

#[test]
fn json_parses_and_describes_the_same_configuration() {
    for name in STACKS {
        let s = stack(name);
        let json = render(&s, Format::Json);
        for f in &json.files {
            serde_json::from_str::<serde_json::Value>(&f.to_text()).unwrap_or_else(|e| panic!("{}: {e}", f.name));
        }
        let (hcl, json) = (read_back(&render(&s, Format::Hcl)), read_back(&json));
        let addresses = |c: &Config| {
            c.resources()
                .iter()
                .map(|r| r.address().to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(addresses(&hcl), addresses(&json));
        for (h, j) in hcl.files.iter().zip(&json.files) {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            shape(&h.body, &mut a, "");
            shape(&j.body, &mut b, "");
            assert_eq!(a, b, "{} and {} differ", h.name, j.name);
        }
    }
}

/// Checks a literal against a cty type from the schema JSON. Non-literals (references, templates with
/// interpolations) are checked only for being plausible for strings.
fn type_error(ty: &serde_json::Value, value: &Expression) -> Option<String> {
    use serde_json::Value as J;
    let ok = match (ty, value) {
        (_, Expression::Null) => true,
        (_, v) if !is_literal(v) => {
            !matches!(ty, J::String(t) if t == "bool") || !matches!(v, Expression::TemplateExpr(_))
        }
        (J::String(t), v) => match t.as_str() {
            "string" => matches!(v, Expression::String(_) | Expression::TemplateExpr(_)),
            "number" => matches!(v, Expression::Number(_)),
            "bool" => matches!(v, Expression::Bool(_)),
            _ => true,
        },
        (J::Array(parts), v) => match (parts[0].as_str(), v) {
            (Some("list" | "set"), Expression::Array(items)) => {
                return items.iter().find_map(|i| type_error(&parts[1], i));
            }
            (Some("map"), Expression::Object(o)) => {
                return o.values().find_map(|i| type_error(&parts[1], i));
            }
            (Some("object"), Expression::Object(o)) => {
                let fields = parts[1].as_object().unwrap();
                for (k, v) in o {
                    let key = match k {
                        hcl::ObjectKey::Identifier(i) => i.to_string(),
                        hcl::ObjectKey::Expression(Expression::String(s)) => s.clone(),
                        other => format!("{other:?}"),
                    };
                    match fields.get(&key) {
                        None => return Some(format!("object has no attribute {key:?}")),
                        Some(t) => {
                            if let Some(e) = type_error(t, v) {
                                return Some(e);
                            }
                        }
                    }
                }
                true
            }
            _ => false,
        },
        _ => false,
    };
    (!ok).then(|| format!("{} is not a {ty}", to_hcl(value)))
}

const META: &[&str] = &["depends_on", "count", "for_each", "provider", "lifecycle"];

fn conform(body: &Body, schema: &BlockSchema, path: &str, top: bool, errors: &mut Vec<String>) {
    for a in body.attributes() {
        if top && META.contains(&a.name.as_str()) {
            continue;
        }
        match schema.attributes.get(&a.name) {
            None => errors.push(format!("{path}.{}: the provider has no such attribute", a.name)),
            Some(s) if s.computed && !s.optional && !s.required => {
                errors.push(format!("{path}.{}: computed only, cannot be set", a.name))
            }
            Some(s) => {
                if let Some(e) = type_error(&s.ty, &a.value) {
                    errors.push(format!("{path}.{}: {e}", a.name));
                }
            }
        }
    }
    for (name, s) in &schema.attributes {
        if s.required && body.attribute(name).is_none() {
            errors.push(format!("{path}.{name}: required but missing"));
        }
    }
    for b in body.blocks() {
        if top && b.kind == "lifecycle" {
            continue;
        }
        if !schema.block_types.contains_key(&b.kind) {
            errors.push(format!("{path}.{}: the provider has no such block", b.kind));
        }
    }
    for (kind, nested) in &schema.block_types {
        let blocks: Vec<_> = body.blocks_of(kind).collect();
        let n = blocks.len() as u64;
        let max = match nested.nesting_mode {
            NestingMode::Single | NestingMode::Group => 1,
            _ => nested.max_items,
        };
        if n < nested.min_items || (max > 0 && n > max) {
            errors.push(format!(
                "{path}.{kind}: {n} blocks, the provider allows {}..{}",
                nested.min_items,
                if max == 0 { "n".to_string() } else { max.to_string() }
            ));
        }
        for b in blocks {
            conform(&b.body, &nested.block, &format!("{path}.{kind}"), false, errors);
        }
    }
}

#[test]
fn every_resource_conforms_to_the_azurerm_schema() {
    for name in STACKS {
        for format in FORMATS {
            let config = read_back(&render(&stack(name), format));
            let mut errors = Vec::new();
            let resources = config.resources();
            assert!(resources.len() >= 10, "{name}: only {} resources", resources.len());
            for r in resources {
                let schema = resource_schema(r.resource_type)
                    .unwrap_or_else(|| panic!("{}: no vendored schema", r.resource_type));
                conform(r.body(), schema, &r.address().to_string(), true, &mut errors);
            }
            assert!(errors.is_empty(), "{name} ({format:?}):\n{}", errors.join("\n"));
        }
    }
}

#[test]
fn addresses_are_the_contract() {
    let addresses = |s: &str| {
        render(&stack(s), Format::Hcl)
            .resources()
            .iter()
            .map(|r| r.address().to_string())
            .collect::<Vec<_>>()
    };
    let common = [
        "azurerm_resource_group.main",
        "azurerm_log_analytics_workspace.main",
        "azurerm_container_registry.main",
        "azurerm_user_assigned_identity.app",
        "azurerm_role_assignment.acr_pull",
        "time_sleep.acr_pull_propagation",
        "azurerm_container_app_environment.main",
        "azurerm_storage_account.data",
        "azurerm_storage_share.data",
        "azurerm_container_app_environment_storage.data",
        "azurerm_container_app.app",
    ];
    assert_eq!(addresses("dev"), common);
    let mut prod = common.to_vec();
    prod.insert(3, "azurerm_container_registry_webhook.cdpush");
    // [network], after the registry (and its webhook) and before the identity: grouped by type, in dependency order.
    let network = [
        "azurerm_virtual_network.main",
        "azurerm_subnet.environment",
        "azurerm_subnet.private_endpoints",
        "azurerm_subnet.runners",
        "azurerm_network_security_group.environment",
        "azurerm_subnet_network_security_group_association.environment",
        "azurerm_private_dns_zone.registry",
        "azurerm_private_dns_zone.file",
        "azurerm_private_dns_zone_virtual_network_link.registry",
        "azurerm_private_dns_zone_virtual_network_link.file",
        "azurerm_private_endpoint.registry",
        "azurerm_private_endpoint.file",
    ];
    for (i, a) in network.iter().enumerate() {
        prod.insert(4 + i, a);
    }
    assert_eq!(addresses("prod"), prod);
}

/// NOTES.md §14 and the issue's rule "registry pull goes through the user-assigned identity, which is listed in
/// the app's identity_ids": the model has no other way to pull, and the render wires it so.
#[test]
fn app_pulls_with_the_identity_it_carries_after_the_grant() {
    for name in STACKS {
        let config = render(&stack(name), Format::Hcl);
        let get = |addr: &str, path: &[&str], attr: &str| {
            let r = config.resource(addr).unwrap();
            let mut body = r.body();
            for p in path {
                body = &body.block(p).unwrap().body;
            }
            to_hcl(body.get(attr).unwrap())
        };
        let app = "azurerm_container_app.app";
        assert_eq!(
            get(app, &["registry"], "identity"),
            "azurerm_user_assigned_identity.app.id"
        );
        assert_eq!(
            get(app, &["identity"], "identity_ids"),
            "[azurerm_user_assigned_identity.app.id]"
        );
        assert_eq!(get(app, &["identity"], "type"), "\"UserAssigned\"");
        assert_eq!(
            get(app, &["registry"], "server"),
            "azurerm_container_registry.main.login_server"
        );
        // Issue 10, defect 6: the app waits for the grant to propagate, not just for the grant to exist; with the
        // registry's private endpoint, the pull also waits for the endpoint and its DNS zone link.
        let depends_on = if name == "prod" {
            "[time_sleep.acr_pull_propagation, azurerm_private_endpoint.registry, azurerm_private_dns_zone_virtual_network_link.registry]"
        } else {
            "[time_sleep.acr_pull_propagation]"
        };
        assert_eq!(get(app, &[], "depends_on"), depends_on);
        let sleep = "time_sleep.acr_pull_propagation";
        assert_eq!(get(sleep, &[], "create_duration"), "\"120s\"");
        assert_eq!(
            get(sleep, &[], "triggers"),
            "{ \"acr_pull_role_assignment_id\" = azurerm_role_assignment.acr_pull.id }"
        );
        // Issue 10, defect 5: the volume names the environment storage by reference, so the app waits for it.
        assert_eq!(
            get(app, &["template", "volume"], "storage_name"),
            "azurerm_container_app_environment_storage.data.name"
        );
        let ra = "azurerm_role_assignment.acr_pull";
        assert_eq!(get(ra, &[], "scope"), "azurerm_container_registry.main.id");
        assert_eq!(
            get(ra, &[], "principal_id"),
            "azurerm_user_assigned_identity.app.principal_id"
        );
        assert_eq!(get(ra, &[], "principal_type"), "\"ServicePrincipal\"");
        assert_eq!(get(ra, &[], "role_definition_name"), "\"AcrPull\"");
        assert_eq!(
            get("azurerm_container_app_environment_storage.data", &[], "access_key"),
            "azurerm_storage_account.data.primary_access_key"
        );
    }
}

#[test]
fn role_assignment_name_is_a_stable_uuid_of_scope_principal_and_role() {
    let prod = stack("prod");
    let a = prod.acr_pull();
    assert_eq!(a.name.get_version_num(), 5);
    assert_eq!(a, stack("prod").acr_pull());
    let mut other = prod.clone();
    other.identity.as_mut().unwrap().name = "id-other".try_into().unwrap();
    assert_ne!(other.acr_pull().name, a.name);
    assert_ne!(stack("dev").acr_pull().name, a.name);
}

#[test]
fn no_secret_values_in_files() {
    for name in STACKS {
        for format in FORMATS {
            let t = text(&render(&stack(name), format));
            assert!(!t.contains("password"), "{name}");
            assert!(!t.to_lowercase().contains("accountkey="), "{name}");
        }
    }
}

/// The conformance check itself finds what it is meant to find.
#[test]
fn conformance_check_catches_mistakes() {
    use infra::terraform::Block;
    let schema = resource_schema("azurerm_container_app").unwrap();
    let body = Block::new("resource")
        .attr("name", "x")
        .attr("revision_mode", true)
        .attr("latest_revision_fqdn", "computed")
        .attr("no_such_thing", "x")
        .block(Block::new("template"))
        .block(Block::new("template"))
        .body;
    let mut errors = Vec::new();
    conform(&body, schema, "app", true, &mut errors);
    errors.sort();
    assert_eq!(
        errors,
        [
            "app.container_app_environment_id: required but missing",
            "app.latest_revision_fqdn: computed only, cannot be set",
            "app.no_such_thing: the provider has no such attribute",
            "app.resource_group_name: required but missing",
            "app.revision_mode: true is not a \"string\"",
            "app.template.container: 0 blocks, the provider allows 1..n",
            "app.template.container: 0 blocks, the provider allows 1..n",
            "app.template: 2 blocks, the provider allows 1..1",
        ]
    );
}

/// Secrets become sensitive variables referenced by the app; their values never appear in any file.
#[test]
fn secrets_are_sensitive_variables() {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("stacks/prod.toml")).unwrap()
        + "\n[[container_app.secrets]]\nname = \"database-url\"\nenv = \"DATABASE_URL\"\n";
    let s = Stack::from_toml("stacks/prod.toml", &text).unwrap_or_else(|e| panic!("{e}"));
    for format in FORMATS {
        let config = read_back(&render(&s, format));
        let var = config.variable("secret_database_url").expect("a variable per secret");
        assert_eq!(var.body.get("sensitive").map(to_hcl).as_deref(), Some("true"));
        let app = config.resource("azurerm_container_app.app").unwrap();
        let secret = app.body().block("secret").unwrap();
        assert_eq!(
            to_hcl(&normalize(secret.body.get("value").unwrap())),
            "var.secret_database_url"
        );
        let container = app.body().block("template").unwrap().body.block("container").unwrap();
        let env: Vec<String> = container
            .body
            .blocks_of("env")
            .map(|e| to_hcl(&normalize(e.body.get("secret_name").unwrap_or(&Expression::Null))))
            .collect();
        assert!(env.contains(&"\"database-url\"".to_string()), "{env:?}");
        let mut errors = Vec::new();
        conform(
            app.body(),
            resource_schema("azurerm_container_app").unwrap(),
            "app",
            true,
            &mut errors,
        );
        assert!(errors.is_empty(), "{errors:?}");
    }
}

/// Issue 10, defect 8: the providers are pinned to exactly the versions whose schemas are vendored.
#[test]
fn providers_are_pinned_to_the_vendored_versions() {
    for name in STACKS {
        let config = render(&stack(name), Format::Hcl);
        let text = config.files.iter().find(|f| f.name == "versions.tf").unwrap().to_text();
        assert!(
            text.contains(&format!(
                "azurerm = {{\n      source  = \"hashicorp/azurerm\"\n      version = \"{}\"",
                infra::azurerm::PROVIDER_VERSION
            )),
            "{text}"
        );
        assert!(
            text.contains(&format!(
                "time = {{\n      source  = \"hashicorp/time\"\n      version = \"{}\"",
                infra::azurerm::TIME_PROVIDER_VERSION
            )),
            "{text}"
        );
        assert!(
            !text.contains('~') && !text.contains(">= 4"),
            "no range constraint: {text}"
        );
    }
}

/// Issue 10, defect 2: while `var.image_tag` is null (the first apply, the registry still empty) the app runs the
/// public placeholder on its own port and probe path; with a tag, the stack's image on the app's port.
#[test]
fn the_first_deploy_runs_the_placeholder_until_a_tag_is_passed() {
    for name in STACKS {
        let config = render(&stack(name), Format::Hcl);
        let variables = config
            .files
            .iter()
            .find(|f| f.name == "variables.tf")
            .unwrap()
            .to_text();
        assert!(
            variables.contains("default     = null\n  nullable    = true"),
            "{variables}"
        );
        let app = config.resource("azurerm_container_app.app").unwrap();
        let template = &app.body().block("template").unwrap().body;
        let container = &template.block("container").unwrap().body;
        assert_eq!(
            to_hcl(container.get("image").unwrap()),
            format!(
                "var.image_tag == null ? \"{}\" : \"${{azurerm_container_registry.main.login_server}}/fastapi-app:${{var.image_tag}}\"",
                infra::stack::PLACEHOLDER_IMAGE
            )
        );
        for probe in ["liveness_probe", "readiness_probe"] {
            let p = &container.block(probe).unwrap().body;
            assert_eq!(to_hcl(p.get("port").unwrap()), "var.image_tag == null ? 80 : 8000");
            assert_eq!(
                to_hcl(p.get("path").unwrap()),
                "var.image_tag == null ? \"/\" : \"/health\""
            );
        }
        let ingress = &app.body().block("ingress").unwrap().body;
        assert_eq!(
            to_hcl(ingress.get("target_port").unwrap()),
            "var.image_tag == null ? 80 : 8000"
        );
    }
}

/// Webhooks: references to the registry, header values from sensitive variables, never a literal secret.
#[test]
fn prod_webhook_takes_its_secrets_from_sensitive_variables() {
    let config = render(&stack("prod"), Format::Hcl);
    let hook = config.resource("azurerm_container_registry_webhook.cdpush").unwrap();
    let get = |a: &str| to_hcl(hook.body().get(a).unwrap());
    assert_eq!(get("registry_name"), "azurerm_container_registry.main.name");
    assert_eq!(get("location"), "azurerm_container_registry.main.location");
    assert_eq!(get("actions"), "[\"push\"]");
    assert_eq!(get("scope"), "\"fastapi-app:*\"");
    assert_eq!(
        get("custom_headers"),
        "{ \"Authorization\" = var.webhook_cdpush_header_authorization }"
    );
    let variables = config
        .files
        .iter()
        .find(|f| f.name == "variables.tf")
        .unwrap()
        .to_text();
    assert!(
        variables.contains("variable \"webhook_cdpush_header_authorization\" {\n  type        = string\n  description = \"Value of the \\\"Authorization\\\" header of the registry webhook \\\"cdpush\\\". Set it from a secret store (e.g. TF_VAR_webhook_cdpush_header_authorization); never commit it.\"\n  sensitive   = true\n  nullable    = false\n}"),
        "{variables}"
    );
}
