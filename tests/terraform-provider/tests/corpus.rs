//! The corpus of real plan/text pairs (`tests/fixtures/plan-corpus/<scenario>/`): for each scenario, a prior
//! state and a new configuration, planned by real terraform 1.11 against the test provider, with the plan JSON
//! (`plan.json`, `terraform show -json`) and terraform's own text (`show.txt`, `terraform show -no-color`)
//! committed. infra's `diff --plan` text must equal `show.txt` byte for byte (`tests/it/diff_matches_terraform.rs`).
//!
//! A scenario directory holds:
//! - `before.tf` (optional): a configuration of builtin resources (`terraform_data`) and outputs, applied for
//!   real (`terraform apply`) to make the prior state; `terraform_data` ids are then made deterministic;
//! - `state.json` (optional): more prior-state objects, for the azurerm test provider (which cannot apply):
//!   `{"resources": [{"type", "name", "module"?, "index_key"?, "status"?, "deposed"?, "attributes"}]}`;
//! - `main.tf`: the new configuration;
//! - `args` (optional): extra `terraform plan` arguments, one per line (`-replace=…`).
//!
//! Scenarios using `corpus_thing` (the hand-made `hashicorp/corpus` provider the same binary serves as
//! `terraform-provider-corpus`) also get `schema.json`, `terraform providers schema -json`, which infra reads as
//! `--providers-schema`.
//!
//! This test re-plans every scenario and fails when a committed pair is stale; `INFRA_REFRESH_PLANS=1`
//! rewrites them (review the diff).

use std::path::{Path, PathBuf};

use infra_test_provider::harness;
use infra_test_provider::schema;
use serde_json::{json, Value};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/plan-corpus")
        .canonicalize()
        .unwrap()
}

fn provider() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-azurerm"))
}

fn tf(dir: &Path, args: &[&str]) -> harness::Run {
    // The harness's dev overrides cover `hashicorp/corpus` too: the same binary, linked as
    // `terraform-provider-corpus` (the name selects the hand-made corpus provider's schema).
    let mut cmd = harness::terraform_command(&provider(), dir);
    cmd.args(args);
    let run = harness::run(cmd);
    assert!(run.success, "{}: terraform {args:?}:\n{}", dir.display(), run.output());
    run
}

/// The prior state of a scenario: `before.tf` applied, then `state.json`'s objects added.
fn prior_state(scenario: &Path, work: &Path) -> Option<Value> {
    let mut state: Option<Value> = None;
    let before = scenario.join("before.tf");
    if before.exists() {
        let dir = work.join("before");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(&before, dir.join("main.tf")).unwrap();
        tf(
            &dir,
            &["apply", "-auto-approve", "-no-color", "-input=false", "-lock=false"],
        );
        let mut s: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("terraform.tfstate")).unwrap()).unwrap();
        // terraform_data ids are random UUIDs: make them stable.
        for r in s["resources"].as_array_mut().unwrap() {
            if r["type"] == "terraform_data" {
                let name = r["name"].as_str().unwrap().to_string();
                for (i, inst) in r["instances"].as_array_mut().unwrap().iter_mut().enumerate() {
                    inst["attributes"]["id"] = json!(format!("{name}-{i}"));
                }
            }
        }
        s["lineage"] = json!("5d4a4c3e-0000-4000-8000-00000000c0de");
        state = Some(s);
    }
    let extra = scenario.join("state.json");
    if extra.exists() {
        let spec: Value = serde_json::from_str(&std::fs::read_to_string(&extra).unwrap()).unwrap();
        let schemas = schema::resources();
        let s = state.get_or_insert_with(|| {
            json!({"version": 4, "terraform_version": "1.11.4", "serial": 1,
                   "lineage": "5d4a4c3e-0000-4000-8000-00000000c0de", "outputs": {}, "resources": [],
                   "check_results": null})
        });
        for o in spec["resources"].as_array().unwrap() {
            let ty = o["type"].as_str().unwrap();
            let version = schemas.get(ty).map(|s| s.version).unwrap_or(0);
            let mut inst = json!({
                "schema_version": version,
                "attributes": o["attributes"],
                "sensitive_attributes": o.get("sensitive_attributes").cloned().unwrap_or(json!([])),
            });
            for k in [
                "index_key",
                "status",
                "deposed",
                "create_before_destroy",
                "dependencies",
            ] {
                if let Some(v) = o.get(k) {
                    inst[k] = v.clone();
                }
            }
            let resources = s["resources"].as_array_mut().unwrap();
            let same =
                |r: &Value| r["type"] == o["type"] && r["name"] == o["name"] && r.get("module") == o.get("module");
            if let Some(r) = resources.iter_mut().find(|r| same(r)) {
                r["instances"].as_array_mut().unwrap().push(inst);
            } else {
                let mut r = json!({
                    "mode": o.get("mode").cloned().unwrap_or(json!("managed")),
                    "type": ty,
                    "name": o["name"],
                    "provider": format!(
                        "provider[\"registry.terraform.io/hashicorp/{}\"]",
                        if ty.starts_with("corpus_") { "corpus" } else { "azurerm" }
                    ),
                    "instances": [inst],
                });
                if let Some(m) = o.get("module") {
                    r["module"] = m.clone();
                }
                if let Some(e) = o.get("each") {
                    r["each"] = e.clone();
                }
                resources.push(r);
            }
        }
    }
    state
}

/// Plans a scenario: (plan JSON, `terraform show -no-color` text, and for scenarios using the corpus provider
/// `terraform providers schema -json`).
fn plan(scenario: &Path) -> (Value, String, Option<Value>) {
    let work = tempfile::Builder::new().prefix("infra-corpus-").tempdir().unwrap();
    let state = prior_state(scenario, work.path());
    let dir = work.path().join("plan");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(scenario.join("main.tf"), dir.join("main.tf")).unwrap();
    if let Some(state) = state {
        std::fs::write(
            dir.join("terraform.tfstate"),
            serde_json::to_string_pretty(&state).unwrap(),
        )
        .unwrap();
    }
    let mut args = vec![
        "plan".to_string(),
        "-no-color".into(),
        "-input=false".into(),
        "-lock=false".into(),
        "-out=p.tfplan".into(),
    ];
    if let Ok(extra) = std::fs::read_to_string(scenario.join("args")) {
        args.extend(extra.lines().filter(|l| !l.trim().is_empty()).map(str::to_string));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    tf(&dir, &args);
    let json = tf(&dir, &["show", "-json", "p.tfplan"]).stdout;
    let text = tf(&dir, &["show", "-no-color", "p.tfplan"]).stdout;
    let config = std::fs::read_to_string(dir.join("main.tf")).unwrap();
    let schema = config
        .contains("corpus_")
        .then(|| serde_json::from_str(&tf(&dir, &["providers", "schema", "-json"]).stdout).unwrap());
    let shown = format!("{json}{text}");
    assert!(
        !shown.contains(&*work.path().to_string_lossy()),
        "{}: the plan holds a temporary path",
        scenario.display()
    );
    (serde_json::from_str(&json).unwrap(), normalized_text(&text), schema)
}

/// A plan with `relevant_attributes` sorted (terraform lists them in map order).
fn canonical(plan: &Value) -> Value {
    let mut v = plan.clone();
    if let Some(Value::Array(items)) = v.get_mut("relevant_attributes") {
        items.sort_by_key(|i| i.to_string());
    }
    v
}

fn normalized(plan: &Value) -> Value {
    let mut v = canonical(plan);
    for key in ["timestamp", "terraform_version"] {
        if let Some(x) = v.get_mut(key) {
            *x = json!("<volatile>");
        }
    }
    v
}

/// Terraform's text without the dev_overrides warning (it names the provider's directory).
fn normalized_text(text: &str) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
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
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

fn scenarios() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("main.tf").exists())
        .collect();
    out.sort();
    out
}

#[test]
fn committed_corpus_pairs_are_fresh() {
    let refresh = std::env::var_os("INFRA_REFRESH_PLANS").is_some_and(|v| v == "1");
    let only = std::env::var("INFRA_CORPUS_ONLY").ok();
    let all = scenarios();
    assert!(all.len() >= 40, "only {} scenarios", all.len());
    let todo: Vec<&PathBuf> = all
        .iter()
        .filter(|p| {
            only.as_deref()
                .is_none_or(|o| p.file_name().unwrap().to_string_lossy().contains(o))
        })
        .collect();
    let stale = std::sync::Mutex::new(vec![]);
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some(dir) = todo.get(i) else { break };
                let name = dir.file_name().unwrap().to_string_lossy().into_owned();
                let (fresh, text, schema) = match std::panic::catch_unwind(|| plan(dir)) {
                    Ok(planned) => planned,
                    Err(_) => {
                        stale
                            .lock()
                            .unwrap()
                            .push(format!("{name} (terraform failed, see above)"));
                        continue;
                    }
                };
                let json_path = dir.join("plan.json");
                let text_path = dir.join("show.txt");
                let committed = std::fs::read_to_string(&json_path)
                    .ok()
                    .and_then(|t| serde_json::from_str::<Value>(&t).ok());
                let json_fresh = committed.as_ref().is_some_and(|c| normalized(c) == normalized(&fresh));
                let text_fresh = std::fs::read_to_string(&text_path).ok().as_deref() == Some(text.as_str());
                let schema_path = dir.join("schema.json");
                let committed_schema = std::fs::read_to_string(&schema_path)
                    .ok()
                    .and_then(|t| serde_json::from_str::<Value>(&t).ok());
                let schema_fresh = committed_schema == schema;
                if json_fresh && text_fresh && schema_fresh {
                    continue;
                }
                if refresh {
                    std::fs::write(
                        &json_path,
                        serde_json::to_string_pretty(&canonical(&fresh)).unwrap() + "\n",
                    )
                    .unwrap();
                    std::fs::write(&text_path, &text).unwrap();
                    if let Some(schema) = &schema {
                        std::fs::write(&schema_path, serde_json::to_string_pretty(schema).unwrap() + "\n").unwrap();
                    }
                    eprintln!("rewrote {name}");
                } else {
                    stale.lock().unwrap().push(name);
                }
            });
        }
    });
    let stale = stale.into_inner().unwrap();
    assert!(
        stale.is_empty(),
        "stale corpus pairs in {}: {}. Refresh with\n  INFRA_REFRESH_PLANS=1 cargo test -p infra-test-provider \
         --test corpus\nand review the diff.",
        corpus_dir().display(),
        stale.join(", ")
    );
}
