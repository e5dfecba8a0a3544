//! Real `terraform plan` of infra's own stacks, through the test provider:
//!
//! * every stack in `stacks/`, rendered as `.tf.json`, validates and plans with no error and no warning (the
//!   `.tf` form is `stacks.rs`);
//! * the committed real plans `tests/fixtures/terraform-json/own/<stack>.plan.json` (and terraform's own text,
//!   `<stack>.plan.txt`) equal a fresh plan of `terraform/<stack>/`, so they never go stale silently
//!   (`INFRA_REFRESH_PLANS=1` rewrites them);
//! * infra's `Plan:` line for a real plan equals terraform's — for the creates of a first plan, and for updates
//!   and replacements planned against an existing state.

use std::path::{Path, PathBuf};
use std::time::Instant;

use infra::diff::{self, Action};
use infra::plan::Plan;
use infra::render;
use infra::stack::Stack;
use infra::terraform::Format;
use infra_test_provider::harness::{self, Run};
use infra_test_provider::schema::{self, Block, Ty};
use serde_json::{json, Value};

fn provider() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-azurerm"))
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn own_fixtures() -> PathBuf {
    repo_root().join("tests/fixtures/terraform-json/own")
}

/// The stacks in `stacks/`, by name, sorted.
fn stacks() -> Vec<(String, Stack)> {
    let dir = repo_root().join("stacks");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no stacks in {}", dir.display());
    paths
        .iter()
        .map(|p| {
            let stack = Stack::load(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (stack.name().to_string(), stack)
        })
        .collect()
}

/// The warnings terraform printed (`Warning: <summary>` lines), except the dev_overrides notice that every run
/// against the test provider gets.
fn unexpected_warnings(run: &Run) -> Vec<String> {
    run.output()
        .lines()
        .map(|l| l.trim_start_matches(['│', '╷', ' ']))
        .filter(|l| l.starts_with("Warning:"))
        .filter(|l| !l.contains("Provider development overrides are in effect"))
        .map(str::to_string)
        .collect()
}

/// `Plan: …` as terraform printed it.
fn terraform_plan_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .find(|l| l.starts_with("Plan: ") || l.starts_with("No changes."))
        .unwrap_or_else(|| panic!("no `Plan:` line in terraform's output:\n{text}"))
        .to_string()
}

/// infra's text rendering of a `terraform show -json` plan.
fn infra_text(name: &str, plan_json: &str) -> String {
    let plan = Plan::parse(name, plan_json.as_bytes()).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(plan.warnings.is_empty(), "{name}: {:?}", plan.warnings);
    diff::text::render(&diff::from_plan(&plan), false)
}

#[test]
fn every_stack_rendered_as_tf_json_validates_and_plans_without_warnings() {
    let provider = provider();
    let tmp = tempfile::tempdir().unwrap();
    for (name, stack) in stacks() {
        let dir = tmp.path().join(&name);
        let config = render::render(&stack, Format::Json);
        render::write(&config, &dir).unwrap();
        let files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            !files.is_empty() && files.iter().all(|f| f.ends_with(".tf.json")),
            "{files:?}"
        );
        let started = Instant::now();
        let checked = harness::check_dir(&provider, &dir);
        eprintln!("{name} (.tf.json): validate+plan in {:.2?}", started.elapsed());
        checked.assert_ok();
        for run in [&checked.validate, checked.plan.as_ref().unwrap()] {
            assert_eq!(
                unexpected_warnings(run),
                Vec::<String>::new(),
                "{name}: {}",
                run.output()
            );
        }
        // Same resources as the HCL form plans (tests/stacks.rs plans the committed terraform/<stack>/).
        let hcl = harness::check_dir(&provider, &repo_root().join("terraform").join(&name));
        hcl.assert_ok();
        for run in [&hcl.validate, hcl.plan.as_ref().unwrap()] {
            assert_eq!(
                unexpected_warnings(run),
                Vec::<String>::new(),
                "{name}: {}",
                run.output()
            );
        }
        let addresses = |c: &harness::Checked| -> Vec<String> {
            c.plan_json.as_ref().unwrap()["resource_changes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["address"].as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(addresses(&checked), addresses(&hcl), "{name}");
        assert_eq!(
            terraform_plan_line(&checked.plan.as_ref().unwrap().stdout),
            terraform_plan_line(&hcl.plan.as_ref().unwrap().stdout),
            "{name}"
        );
    }
}

/// A plan with `relevant_attributes` sorted: terraform lists them in no particular order (a map walk).
fn canonical(plan: &Value) -> Value {
    let mut v = plan.clone();
    if let Some(Value::Array(items)) = v.get_mut("relevant_attributes") {
        items.sort_by_key(|i| i.to_string());
    }
    v
}

/// A plan with what varies between runs blanked: `timestamp`, `terraform_version`, and the order of
/// `relevant_attributes`.
fn normalized(plan: &Value) -> Value {
    let mut v = canonical(plan);
    for key in ["timestamp", "terraform_version"] {
        if let Some(x) = v.get_mut(key) {
            *x = json!("<volatile>");
        }
    }
    v
}

/// Terraform's plan text without what varies: the dev_overrides warning (it names the provider's absolute
/// directory) and trailing spaces.
fn normalized_text(text: &str) -> String {
    let mut lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    if let Some(start) = lines
        .iter()
        .position(|l| l.ends_with("Warning: Provider development overrides are in effect"))
    {
        let end = lines[start..]
            .iter()
            .position(|l| l.ends_with("releases."))
            .map(|i| start + i + 1)
            .expect("end of the dev_overrides warning");
        let end = end + lines[end..].iter().take_while(|l| l.trim().is_empty()).count();
        let start = start - lines[..start].iter().rev().take_while(|l| l.trim().is_empty()).count();
        lines.drain(start..end);
    }
    lines.join("\n") + "\n"
}

#[test]
fn committed_real_plans_of_our_stacks_are_fresh() {
    let refresh = std::env::var_os("INFRA_REFRESH_PLANS").is_some_and(|v| v == "1");
    let provider = provider();
    let dir = own_fixtures();
    let mut stale = vec![];
    for (name, _) in stacks() {
        let started = Instant::now();
        let checked = harness::check_dir(&provider, &repo_root().join("terraform").join(&name));
        eprintln!("terraform/{name}: validate+plan+show in {:.2?}", started.elapsed());
        checked.assert_ok();
        let fresh = checked.plan_json.as_ref().unwrap();
        let shown = &checked.show.as_ref().unwrap().stdout;
        assert!(
            !shown.contains(&*repo_root().to_string_lossy()) && !shown.contains("infra-tf-"),
            "the plan JSON holds an absolute path; normalise it here"
        );
        let fresh_text = normalized_text(&checked.plan.as_ref().unwrap().stdout);
        let json_path = dir.join(format!("{name}.plan.json"));
        let text_path = dir.join(format!("{name}.plan.txt"));
        let committed = std::fs::read_to_string(&json_path)
            .ok()
            .and_then(|t| serde_json::from_str::<Value>(&t).ok());
        let committed_text = std::fs::read_to_string(&text_path).ok();
        let json_fresh = committed.as_ref().is_some_and(|c| normalized(c) == normalized(fresh));
        let text_fresh = committed_text.as_deref() == Some(fresh_text.as_str());
        if json_fresh && text_fresh {
            continue;
        }
        if refresh {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(
                &json_path,
                serde_json::to_string_pretty(&canonical(fresh)).unwrap() + "\n",
            )
            .unwrap();
            std::fs::write(&text_path, &fresh_text).unwrap();
            eprintln!("rewrote {} and {}", json_path.display(), text_path.display());
        } else {
            stale.push(
                format!(
                    "{}{}",
                    if json_fresh { "" } else { "plan JSON " },
                    if text_fresh { "" } else { "plan text " }
                ) + &name,
            );
        }
    }
    assert!(
        stale.is_empty(),
        "the committed real plans in {} differ from a fresh `terraform plan` of terraform/<stack>/ ({}). \
         If the change is intended (a stack or the renderer changed), refresh them with\n  \
         INFRA_REFRESH_PLANS=1 cargo test -p infra-test-provider --test realplan committed_real_plans\n\
         and review the diff.",
        dir.display(),
        stale.join(", ")
    );
}

#[test]
fn infra_plan_line_equals_terraforms_for_a_fresh_plan_of_each_stack() {
    let provider = provider();
    for (name, _) in stacks() {
        let checked = harness::check_dir(&provider, &repo_root().join("terraform").join(&name));
        checked.assert_ok();
        let terraform = terraform_plan_line(&checked.plan.as_ref().unwrap().stdout);
        let infra = infra_text(&name, &checked.show.as_ref().unwrap().stdout);
        assert_eq!(terraform_plan_line(&infra), terraform, "{name}:\n{infra}");
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Plans against an existing state.

/// A placeholder for a value terraform would know only after apply, of the attribute's type. Azure-like where a
/// policy rule reads it (resource IDs, `location`, a registry's `login_server`), so that `infra check` on a plan
/// against the state judges the configuration, not the placeholders.
fn placeholder(ty: &Ty, resource: &Value, address: &str, path: &str) -> Value {
    let name = resource["name"].as_str().unwrap_or("x");
    let rg = resource["resource_group_name"].as_str().unwrap_or("rg");
    let ty_name = address.split('.').next().unwrap_or_default();
    match (ty, path) {
        (Ty::String, "id") => {
            let sub = "/subscriptions/00000000-0000-0000-0000-000000000000";
            let provider = match ty_name {
                "azurerm_resource_group" => return json!(format!("{sub}/resourceGroups/{name}")),
                "azurerm_container_registry" => "Microsoft.ContainerRegistry/registries",
                "azurerm_user_assigned_identity" => "Microsoft.ManagedIdentity/userAssignedIdentities",
                "azurerm_log_analytics_workspace" => "Microsoft.OperationalInsights/workspaces",
                "azurerm_container_app_environment" => "Microsoft.App/managedEnvironments",
                "azurerm_container_app" => "Microsoft.App/containerApps",
                "azurerm_storage_account" => "Microsoft.Storage/storageAccounts",
                other => other,
            };
            json!(format!("{sub}/resourceGroups/{rg}/providers/{provider}/{name}"))
        }
        (Ty::String, "location") => json!("westeurope"),
        (Ty::String, "login_server") => json!(format!("{name}.azurecr.io")),
        (Ty::String, _) => json!(format!("{address}.{path}")),
        (Ty::Number, _) => json!(0),
        (Ty::Bool, _) => json!(false),
        (Ty::List(_) | Ty::Set(_) | Ty::Tuple(_), _) => json!([]),
        (Ty::Map(_) | Ty::Object(_), _) => json!({}),
        (Ty::Dynamic, _) => Value::Null,
    }
}

/// `after` with every value `after_unknown` marks replaced by a [`placeholder`], walking the schema.
fn known(block: &Block, after: &Value, unknown: &Value, resource: &Value, address: &str, path: &str) -> Value {
    let mut out = serde_json::Map::new();
    // A value known only after apply is absent from `after` and `true` in `after_unknown`.
    let mut obj = after.as_object().cloned().unwrap_or_default();
    for (name, u) in unknown.as_object().into_iter().flatten() {
        if *u == Value::Bool(true) {
            obj.entry(name.clone()).or_insert(Value::Null);
        }
    }
    for (name, v) in obj {
        let u = unknown.get(&name).unwrap_or(&Value::Null);
        let p = if path.is_empty() {
            name.clone()
        } else {
            format!("{path}.{name}")
        };
        let nv = if let Some(a) = block.attributes.get(&name) {
            if *u == Value::Bool(true) {
                placeholder(&a.ty, resource, address, &p)
            } else {
                v
            }
        } else if let Some(nb) = block.block_types.get(&name) {
            match (&v, u) {
                (Value::Array(items), _) => Value::Array(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| {
                            known(&nb.block, item, u.get(i).unwrap_or(&Value::Null), resource, address, &p)
                        })
                        .collect(),
                ),
                (Value::Object(_), _) => known(&nb.block, &v, u, resource, address, &p),
                _ => v,
            }
        } else {
            v
        };
        out.insert(name, nv);
    }
    Value::Object(out)
}

/// A terraform 1.11 state (v4) holding, for each resource a plan creates or keeps, its planned values, with
/// placeholders for what only apply would know.
fn state_from_plan(plan: &Value, serial: u64) -> String {
    let mut schemas = schema::resources();
    schemas.extend(schema::resources_of(schema::Served::Time));
    let resources: Vec<Value> = plan["resource_changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["mode"] == "managed" && c["change"]["after"].is_object())
        .map(|c| {
            let ty = c["type"].as_str().unwrap();
            let address = c["address"].as_str().unwrap();
            let s = &schemas[ty];
            let after = &c["change"]["after"];
            let attributes = known(&s.block, after, &c["change"]["after_unknown"], after, address, "");
            json!({
                "mode": "managed",
                "type": ty,
                "name": c["name"],
                "provider": format!(
                    "provider[\"registry.terraform.io/hashicorp/{}\"]",
                    if ty.starts_with("time_") { "time" } else { "azurerm" }
                ),
                "instances": [{
                    "schema_version": s.version,
                    "attributes": attributes,
                    "sensitive_attributes": [],
                }],
            })
        })
        .collect();
    // Outputs whose value the plan knows (the others are known on the next round).
    let outputs: serde_json::Map<String, Value> = plan["output_changes"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(_, c)| c["after"].is_string())
        .map(|(name, c)| {
            let sensitive = c["after_sensitive"] == Value::Bool(true);
            (
                name.clone(),
                json!({"value": c["after"], "type": "string", "sensitive": sensitive}),
            )
        })
        .collect();
    serde_json::to_string_pretty(&json!({
        "version": 4,
        "terraform_version": "1.11.4",
        "serial": serial,
        "lineage": "5d4a4c3e-0000-4000-8000-00000000feed",
        "outputs": outputs,
        "resources": resources,
        "check_results": null,
    }))
    .unwrap()
}

/// `state` with each resource's attributes replaced by the plan's `prior_state` values (what terraform read).
fn state_from_prior(plan: &Value, state: &str) -> String {
    let prior = plan["prior_state"]["values"]["root_module"]["resources"]
        .as_array()
        .unwrap();
    let mut state: Value = serde_json::from_str(state).unwrap();
    for r in state["resources"].as_array_mut().unwrap() {
        let address = format!("{}.{}", r["type"].as_str().unwrap(), r["name"].as_str().unwrap());
        let read = prior
            .iter()
            .find(|p| p["address"] == address.as_str())
            .unwrap_or_else(|| panic!("{address} not in prior_state"));
        r["instances"][0]["attributes"] = read["values"].clone();
        // Without the paths of sensitive values, terraform would report the schema's sensitive marks as drift.
        let mut paths = vec![];
        sensitive_paths(&read["sensitive_values"], &mut vec![], &mut paths);
        r["instances"][0]["sensitive_attributes"] = Value::Array(paths);
    }
    serde_json::to_string_pretty(&state).unwrap()
}

/// The paths `sensitive_values` marks `true`, as a v4 state's `sensitive_attributes` lists them.
fn sensitive_paths(marks: &Value, path: &mut Vec<Value>, out: &mut Vec<Value>) {
    match marks {
        Value::Bool(true) => out.push(Value::Array(path.clone())),
        Value::Object(m) => {
            for (k, v) in m {
                path.push(json!({"type": "get_attr", "value": k}));
                sensitive_paths(v, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                path.push(json!({"type": "index", "value": {"value": i, "type": "number"}}));
                sensitive_paths(v, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// `terraform plan` (+ `show -json`) of `config_dir` against `state`.
struct Planned {
    text: String,
    json: String,
    value: Value,
}

fn plan_against_state(config_dir: &Path, state: Option<&str>) -> Planned {
    plan_against_state_with(config_dir, state, &[])
}

/// [`plan_against_state`] with `-var` arguments (`name=value`).
fn plan_against_state_with(config_dir: &Path, state: Option<&str>, vars: &[&str]) -> Planned {
    let staged = harness::stage(config_dir).unwrap();
    if let Some(state) = state {
        std::fs::write(staged.path().join("terraform.tfstate"), state).unwrap();
    }
    let tf = |args: &[&str]| {
        let mut cmd = harness::terraform_command(&provider(), staged.path());
        cmd.args(args);
        let run = harness::run(cmd);
        assert!(run.success, "{}", run.output());
        assert_eq!(unexpected_warnings(&run), Vec::<String>::new(), "{}", run.output());
        run
    };
    let mut args: Vec<String> = [
        "plan",
        "-no-color",
        "-input=false",
        "-lock=false",
        "-refresh=true",
        "-out=p.tfplan",
    ]
    .map(String::from)
    .to_vec();
    for v in vars {
        args.push(format!("-var={v}"));
    }
    let plan = tf(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let show = tf(&["show", "-json", "p.tfplan"]);
    Planned {
        text: plan.stdout,
        value: serde_json::from_str(&show.stdout).unwrap(),
        json: show.stdout,
    }
}

fn actions(plan: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = plan["resource_changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["change"]["actions"] != json!(["no-op"]))
        .map(|c| {
            let a: Vec<&str> = c["change"]["actions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap())
                .collect();
            (c["address"].as_str().unwrap().to_string(), a.join(","))
        })
        .collect();
    out.sort();
    out
}

/// A state in which `dir`'s configuration is fully applied: planned values, with placeholders for the unknown
/// ones, re-planned until terraform reports no changes (a reference such as `scope = registry.id` only takes
/// the placeholder id on the second round).
fn applied_state(dir: &Path) -> String {
    let mut planned = plan_against_state(dir, None);
    for serial in 1..=4 {
        let state = state_from_plan(&planned.value, serial);
        planned = plan_against_state(dir, Some(&state));
        let outputs_change = planned.value["output_changes"]
            .as_object()
            .into_iter()
            .flatten()
            .any(|(_, c)| c["actions"] != json!(["no-op"]));
        if actions(&planned.value).is_empty() && !outputs_change {
            assert!(planned.text.contains("No changes."), "{}", planned.text);
            // Terraform read the state back through the provider (UpgradeResourceState, ReadResource), which
            // normalises it (types from the schema, empty blocks); state it as terraform read it, so that a
            // plan against it reports no drift ("changed outside of Terraform").
            let state = state_from_prior(&planned.value, &state);
            let again = plan_against_state(dir, Some(&state));
            assert!(again.text.contains("No changes."), "{}", again.text);
            assert_eq!(again.value.get("resource_drift"), None, "{}", again.json);
            return state;
        }
    }
    panic!(
        "no fixpoint: terraform still plans {:?}\n{}",
        actions(&planned.value),
        planned.text
    );
}

/// dev as committed, and dev with `edit` applied to its stack file, rendered (HCL) into `dir`.
fn render_dev(dir: &Path, edit: &dyn Fn(String) -> String) -> infra::terraform::Config {
    let path = repo_root().join("stacks/dev.toml");
    let text = edit(std::fs::read_to_string(&path).unwrap());
    let stack = Stack::from_toml("stacks/dev.toml", &text).unwrap_or_else(|e| panic!("{e}"));
    let config = render::render(&stack, Format::Hcl);
    render::write(&config, dir).unwrap();
    config
}

/// From the first line starting `  # ` to the `Plan:` line.
fn resource_section(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| l.starts_with("  # ")).unwrap_or(0);
    let end = lines
        .iter()
        .position(|l| l.starts_with("Plan: "))
        .unwrap_or(lines.len());
    lines[start..end.max(start)].join("\n")
}

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({snapshot_path => "../../../snapshots/realplan", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn changes_against_an_applied_dev_state_plan_as_infra_predicts() {
    let started = Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    let base_dir = tmp.path().join("dev");
    let base = render_dev(&base_dir, &|t| t);
    let state = applied_state(&base_dir);
    eprintln!("applied dev state in {:.2?}", started.elapsed());

    let cases: [(&str, &dyn Fn(String) -> String); 2] = [
        ("dev_sku_premium", &|t: String| {
            t.replace("sku = \"Basic\"", "sku = \"Premium\"")
        }),
        ("dev_registry_rename_and_premium", &|t: String| {
            t.replace("sku = \"Basic\"", "sku = \"Premium\"")
                .replace("name = \"acrfastapidev\"", "name = \"acrfastapidev2\"")
        }),
    ];
    for (case, edit) in cases {
        let started = Instant::now();
        let dir = tmp.path().join(case);
        let changed = render_dev(&dir, edit);
        assert_ne!(changed, base, "{case}: the edit changed nothing");
        let planned = plan_against_state(&dir, Some(&state));
        eprintln!("{case}: plan against state in {:.2?}", started.elapsed());

        // infra's rendering of terraform's plan: same `Plan:` line.
        let text = infra_text(case, &planned.json);
        assert_eq!(
            terraform_plan_line(&text),
            terraform_plan_line(&planned.text),
            "{case}: infra:\n{text}\nterraform:\n{}",
            planned.text
        );

        // infra's offline prediction (configurations only, no terraform) names the same actions.
        let predicted = diff::from_configs(&base, &changed);
        let mut offline: Vec<(String, String)> = predicted
            .changes
            .iter()
            .map(|r| {
                let a = match r.action {
                    Action::Create => "create",
                    Action::Update => "update",
                    Action::Delete => "delete",
                    Action::Replace {
                        create_before_destroy: true,
                    } => "create,delete",
                    Action::Replace {
                        create_before_destroy: false,
                    } => "delete,create",
                    other => panic!("{case}: unexpected offline action {other:?} for {}", r.address),
                };
                (r.address.clone(), a.to_string())
            })
            .collect();
        offline.sort();
        assert_eq!(
            offline,
            actions(&planned.value),
            "{case}: offline prediction vs terraform"
        );
        assert_eq!(
            terraform_plan_line(&diff::text::render(&predicted, false)),
            terraform_plan_line(&planned.text),
            "{case}: offline Plan line"
        );
        // ... and the same resources section, line for line (tests/it/diff_matches_terraform.rs does the same
        // for the committed creates; these are updates and replacements, with hidden attributes).
        assert_eq!(
            resource_section(&text),
            resource_section(&planned.text),
            "{case}: infra's text vs terraform's"
        );
        snapshot(&format!("{case}_text"), &text);

        // `infra check --plan` on it. Premium now: no ACR003 (SKU) and no ACR014 note; instead the Premium-only
        // rules ACR005-ACR007, ACR010 and ACR011 apply, and fire as on any Premium registry left at the defaults
        // (a stack choosing Premium sets those). image_tag is null (dev has had no CI deploy), so the image is
        // the first-deploy placeholder, which APP007 and APP008 leave alone. With the registry renamed (replaced), its login_server and network_rule_set are
        // unknown again: no ACR004.
        let plan = Plan::parse("dev.plan.json", planned.json.as_bytes()).unwrap();
        let config =
            infra::check::planned_config(&plan, "dev.plan.json", &planned.json, infra::azurerm::builtin_schemas());
        let settings = infra::check::Settings::load(&repo_root().join("infra.toml")).unwrap();
        let report = infra::check::check_as(&config, &settings, None, Some("dev"), false);
        let mut found: Vec<(&str, &str)> = report.findings.iter().map(|f| (f.rule, f.address.as_str())).collect();
        found.sort();
        let acr = "azurerm_container_registry.main";
        let premium_only = ["ACR005", "ACR006", "ACR007", "ACR010", "ACR011"].map(|r| (r, acr));
        let mut expected: Vec<(&str, &str)> = premium_only.to_vec();
        // dev's storage account stays open to every network (cheap and public; prod closes it): STG005.
        expected.push(("STG005", "azurerm_storage_account.data"));
        if case == "dev_sku_premium" {
            expected.push(("ACR004", acr));
        }
        expected.sort();
        assert_eq!(found, expected, "{case}: infra check --plan");
    }
}

/// Issue 10, defect 2: the first apply runs the placeholder (`image_tag` null); CI's first deploy,
/// `terraform apply -var image_tag=<tag>`, switches the app to the stack's image as an in-place update of the app
/// alone (a new revision: image, port and probes), and infra's rendering of that plan says so.
#[test]
fn the_first_ci_deploy_switches_the_placeholder_in_place() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("dev");
    render_dev(&dir, &|t| t);
    let state = applied_state(&dir);
    let planned = plan_against_state_with(&dir, Some(&state), &["image_tag=1.2.3"]);
    assert_eq!(
        actions(&planned.value),
        [("azurerm_container_app.app".to_string(), "update".to_string())],
        "{}",
        planned.text
    );
    assert!(
        planned
            .text
            .contains("azurerm_container_app.app will be updated in-place"),
        "{}",
        planned.text
    );
    let text = infra_text("dev_first_ci_deploy", &planned.json);
    assert_eq!(terraform_plan_line(&text), "Plan: 0 to add, 1 to change, 0 to destroy.");
    assert_eq!(
        resource_section(&text),
        resource_section(&planned.text),
        "infra's text vs terraform's"
    );
    for line in [
        "  # azurerm_container_app.app will be updated in-place",
        "\"mcr.microsoft.com/k8se/quickstart:latest\" -> \"acrfastapidev.azurecr.io/fastapi-app:1.2.3\"",
        "80 -> 8000",
    ] {
        assert!(text.contains(line), "{line:?} not in infra's text:\n{text}");
    }
    snapshot("dev_first_ci_deploy_text", &text);
}
