//! The documentation is real. README.md stays short and its 60-second tour is what the binary prints; every
//! relative link in README.md and docs/ resolves; the annotated stack in docs/stacks.md is `stacks/prod.toml`, and
//! its Rust example is the doc test on `infra::stack::Stack` (src/stack/stack-in-rust.md).

use infra::stack::Stack;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap()
}

#[test]
fn annotated_stack_is_the_prod_stack() {
    let doc = read("docs/stacks.md");
    let start = doc.find("```toml\n").expect("a toml example in docs/stacks.md") + "```toml\n".len();
    let end = start + doc[start..].find("```").unwrap();
    let annotated = Stack::from_toml("stacks/prod.toml", &doc[start..end]).unwrap_or_else(|e| panic!("{e}"));
    let prod = Stack::from_toml("stacks/prod.toml", &read("stacks/prod.toml")).unwrap();
    assert_eq!(annotated, prod);
}

#[test]
fn rust_example_is_the_doc_test() {
    let doc = read("docs/stacks.md");
    let example = read("src/stack/stack-in-rust.md");
    assert!(
        doc.contains(example.trim()),
        "the Rust example in docs/stacks.md differs from src/stack/stack-in-rust.md"
    );
}

/// The README is the front page: what infra is, install, the two commands, the tour and links. Detail goes in
/// docs/.
#[test]
fn readme_stays_under_10_kb() {
    let size = std::fs::metadata(root().join("README.md")).unwrap().len();
    assert!(
        size <= 10_000,
        "README.md is {size} bytes: keep it at most 10 KB and move detail into docs/"
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The tour's commands (`$ …` lines) and what each prints, in order.
fn tour() -> Vec<(String, String)> {
    let readme = read("README.md");
    let section = &readme[readme.find("## A 60-second tour").expect("README has a 60-second tour")..];
    let start = section.find("```console\n").expect("the tour is a console block") + "```console\n".len();
    let block = &section[start..start + section[start..].find("```").unwrap()];
    let mut steps: Vec<(String, String)> = Vec::new();
    for line in block.lines() {
        match line.strip_prefix("$ ") {
            Some(command) => steps.push((command.to_string(), String::new())),
            None => {
                let (_, output) = steps.last_mut().expect("the tour starts with a command");
                output.push_str(line);
                output.push('\n');
            }
        }
    }
    steps
}

/// The tour replayed in a copy of the repository's stacks, Terraform and infra.toml, with this build's `infra`
/// first on PATH: each command prints exactly what the README shows (stdout and stderr together), and
/// `echo $?` shows the previous command's exit code.
#[test]
fn tour_is_real_output() {
    let tmp = tempfile::tempdir().unwrap();
    for dir in ["stacks", "terraform"] {
        copy_dir(&root().join(dir), &tmp.path().join(dir));
    }
    std::fs::copy(root().join("infra.toml"), tmp.path().join("infra.toml")).unwrap();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_infra")).parent().unwrap();
    let path = std::env::join_paths(
        std::iter::once(bin_dir.to_path_buf())
            .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .unwrap();
    let steps = tour();
    assert!(
        steps.iter().filter(|(c, _)| c.starts_with("infra ")).count() >= 4,
        "{steps:?}"
    );
    let mut code = 0;
    for (command, expected) in steps {
        let printed = if command == "echo $?" {
            format!("{code}\n")
        } else {
            let out = Command::new("sh")
                .arg("-c")
                .arg(format!("{command} 2>&1"))
                .current_dir(tmp.path())
                .env("PATH", &path)
                .env("NO_COLOR", "1")
                .output()
                .unwrap();
            code = out.status.code().unwrap();
            String::from_utf8(out.stdout).unwrap()
        };
        assert_eq!(printed, expected, "README tour: `$ {command}`");
    }
}

/// GitHub's anchor for a heading: lower-cased, punctuation dropped, spaces as hyphens.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The anchors of a Markdown file's headings (outside code blocks).
fn anchors(text: &str) -> Vec<String> {
    let mut fenced = false;
    let mut out = Vec::new();
    for line in text.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
        } else if !fenced && line.starts_with('#') {
            out.push(anchor(line.trim_start_matches('#')));
        }
    }
    out
}

fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            markdown_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

#[test]
fn relative_links_in_readme_and_docs_resolve() {
    let mut files = vec![root().join("README.md")];
    markdown_files(&root().join("docs"), &mut files);
    assert!(files.len() > 5, "{files:?}");
    let link = regex::Regex::new(r"\]\(([^)\s]+)\)").unwrap();
    let mut broken = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let name = file.strip_prefix(root()).unwrap().display().to_string();
        for target in link.captures_iter(&text).map(|c| c[1].to_string()) {
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let (path, fragment) = target.split_once('#').unwrap_or((&target, ""));
            let resolved = if path.is_empty() {
                file.clone()
            } else {
                file.parent().unwrap().join(path)
            };
            if !resolved.exists() {
                broken.push(format!("{name}: {target} (no such file)"));
            } else if !fragment.is_empty() && resolved.extension().is_some_and(|e| e == "md") {
                let headings = anchors(&std::fs::read_to_string(&resolved).unwrap());
                if !headings.iter().any(|a| a == fragment) {
                    broken.push(format!("{name}: {target} (no such heading)"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

/// The code block under "At a glance".
fn at_a_glance() -> String {
    let readme = read("README.md");
    let start = readme
        .find("## At a glance")
        .expect("README has an \"At a glance\" section");
    let block = &readme[start..];
    let open = block.find("```\n").expect("a code block under At a glance") + 4;
    let close = open + block[open..].find("```").unwrap();
    block[open..close].to_string()
}

/// "At a glance" is one screen that shows every command the binary has, each line one the CLI accepts, and the
/// version line is what `infra --version` prints.
#[test]
fn at_a_glance_shows_every_command_and_each_line_parses() {
    let block = at_a_glance();
    assert!(block.lines().count() <= 24, "At a glance is one screen:\n{block}");
    let mut shown = std::collections::BTreeSet::new();
    for line in block.lines() {
        let command = line.split("  #").next().unwrap().trim();
        let args = shlex::split(&command.replace("<id>", "00000000-0000-0000-0000-000000000000"))
            .unwrap_or_else(|| panic!("README At a glance: cannot split {command:?}"));
        assert_eq!(args.first().map(String::as_str), Some("infra"), "{line}");
        match infra::command().try_get_matches_from(&args) {
            Ok(_) => {
                shown.insert(args[1].clone());
            }
            // `--version` is a clap "error" that prints the version: the line is accepted as written.
            Err(e) if e.kind() == clap::error::ErrorKind::DisplayVersion => {
                let printed = Command::new(env!("CARGO_BIN_EXE_infra"))
                    .arg("--version")
                    .output()
                    .unwrap();
                let printed = String::from_utf8(printed.stdout).unwrap();
                let comment = line.split("# ").nth(1).expect("the version line shows the output");
                assert_eq!(printed.trim(), comment.trim(), "README At a glance: infra --version");
            }
            Err(e) => panic!("README At a glance: `{command}` is not a command infra accepts:\n{e}"),
        }
    }
    for sub in infra::command().get_subcommands() {
        let name = sub.get_name();
        if name == "help" || (name == "man" && block.contains("infra man")) {
            continue;
        }
        assert!(shown.contains(name), "README At a glance does not show `infra {name}`");
    }
    // `infra man` is named in a comment (next to completions): it must be a real command line too.
    let man = block
        .split('`')
        .find(|s| s.starts_with("infra man"))
        .expect("At a glance names `infra man`");
    infra::command()
        .try_get_matches_from(shlex::split(&man.replace("DIR", "man")).unwrap())
        .unwrap_or_else(|e| panic!("README At a glance: `{man}`: {e}"));
}

/// Every file "At a glance" points users at exists: the pipelines, the pre-commit hooks and this repository's CI.
#[test]
fn at_a_glance_files_exist_and_hooks_are_the_manifest_s() {
    let readme = read("README.md");
    let start = readme.find("## At a glance").unwrap();
    let end = start + readme[start..].find("## Install").unwrap();
    let section = &readme[start..end];
    for path in [
        "examples/github/infra.yml",
        "examples/azure-devops/azure-pipelines.yml",
        ".pre-commit-hooks.yaml",
        ".github/workflows/ci.yml",
    ] {
        assert!(section.contains(&format!("]({path})")), "At a glance links {path}");
        assert!(root().join(path).is_file(), "{path} is missing");
    }
    let hooks = read(".pre-commit-hooks.yaml");
    for id in ["infra-render-check", "infra-check"] {
        assert!(section.contains(&format!("`{id}`")), "At a glance names hook {id}");
        assert!(
            hooks.contains(&format!("- id: {id}\n")),
            ".pre-commit-hooks.yaml has no hook {id}"
        );
    }
}
