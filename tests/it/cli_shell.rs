//! Where users work: `infra completions`, `infra man` and `infra --version`, run as processes. The completions are
//! exercised in the shells themselves (bash and fish complete real command lines; zsh parses the script), the man
//! pages are rendered by groff. What is expected comes from the command tree (`infra::command()`), so a new
//! subcommand or flag value is expected the moment it exists.
//!
//! Needs bash, zsh, fish and groff on PATH (Debian: `apt-get install bash zsh fish groff-base`); a missing shell
//! fails the test naming the package, it is never skipped.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn infra(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_infra")).args(args).output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// `infra completions SHELL`, checked to succeed.
fn completion_script(shell: &str) -> String {
    let run = infra(&["completions", shell]);
    assert_eq!(run.code, 0, "infra completions {shell}: {}", run.stderr);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    run.stdout
}

/// Runs `program args…`, failing the test with how to install it when it is missing.
fn tool(program: &str, package: &str, args: &[&str]) -> std::process::Output {
    match Command::new(program).args(args).stdin(Stdio::null()).output() {
        Ok(out) => out,
        Err(e) => panic!("cannot run {program} ({e}): the shell tests need it (Debian: apt-get install {package})"),
    }
}

/// The subcommands of `infra` (clap's own `help` included: the shells complete it too).
fn subcommands() -> Vec<String> {
    let cmd = infra::command();
    let mut names: Vec<String> = cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .map(|s| s.get_name().to_string())
        .collect();
    names.push("help".to_string());
    names
}

/// Every `--flag` of every subcommand that takes one of a fixed set of values: (subcommand, flag, values).
fn value_flags() -> Vec<(String, String, BTreeSet<String>)> {
    let mut out = Vec::new();
    for sub in infra::command().get_subcommands() {
        for arg in sub.get_arguments() {
            let (Some(long), values) = (arg.get_long(), arg.get_possible_values()) else {
                continue;
            };
            if values.is_empty() || !arg.get_action().takes_values() {
                continue;
            }
            let values = values
                .iter()
                .filter(|v| !v.is_hide_set())
                .map(|v| v.get_name().to_string());
            out.push((sub.get_name().to_string(), format!("--{long}"), values.collect()));
        }
    }
    out
}

fn set(values: &[&str]) -> BTreeSet<String> {
    values.iter().map(|v| v.to_string()).collect()
}

#[test]
fn the_command_tree_has_the_flags_the_tests_rely_on() {
    // Guards the tests below against passing vacuously: they loop over what the command tree declares.
    let subs = subcommands();
    for name in ["render", "diff", "check", "drift", "completions", "man"] {
        assert!(subs.iter().any(|s| s == name), "{name} in {subs:?}");
    }
    let flags = value_flags();
    let check_format = flags.iter().find(|(sub, flag, _)| sub == "check" && flag == "--format");
    assert_eq!(
        check_format.map(|(_, _, v)| v.clone()),
        Some(set(&["text", "json", "sarif", "junit"]))
    );
    assert!(flags.len() >= 5, "{flags:?}");
}

// ---- bash ----

/// Completes each command line (its words; the last is the word being completed, maybe empty) in one bash
/// process that sourced `infra completions bash`, the way bash's programmable completion calls the function that
/// `complete -F` registered for `infra`. One list of candidates per line.
fn bash_complete(lines: &[Vec<&str>]) -> Vec<BTreeSet<String>> {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("infra.bash");
    std::fs::write(&script, completion_script("bash")).unwrap();
    let mut driver = format!(
        r#"set -u
source {script}
# The function `complete -F FUNCTION … infra` registered.
spec=$(complete -p infra)
fn=$(sed -E 's/.*-F ([^ ]+).*/\1/' <<<"$spec")
ask() {{
    COMP_WORDS=("$@")
    COMP_CWORD=$(( $# - 1 ))
    COMP_LINE="$*"
    COMP_POINT=${{#COMP_LINE}}
    COMPREPLY=()
    local prev=""
    (( COMP_CWORD > 0 )) && prev=${{COMP_WORDS[COMP_CWORD-1]}}
    "$fn" infra "${{COMP_WORDS[COMP_CWORD]}}" "$prev"
    printf '%s\n' "${{COMPREPLY[@]}}"
    echo '<<end>>'
}}
"#,
        script = shlex::try_quote(script.to_str().unwrap()).unwrap()
    );
    for words in lines {
        let quoted: Vec<String> = words
            .iter()
            .map(|w| shlex::try_quote(w).unwrap().into_owned())
            .collect();
        driver.push_str(&format!("ask {}\n", quoted.join(" ")));
    }
    let out = tool("bash", "bash", &["-c", &driver]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "bash: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    let replies: Vec<BTreeSet<String>> = stdout
        .split("<<end>>\n")
        .take(lines.len())
        .map(|reply| reply.lines().filter(|l| !l.is_empty()).map(str::to_string).collect())
        .collect();
    assert_eq!(replies.len(), lines.len(), "{stdout}");
    replies
}

#[test]
fn bash_script_parses() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("infra.bash");
    std::fs::write(&script, completion_script("bash")).unwrap();
    let out = tool("bash", "bash", &["-n", script.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn bash_completes_subcommands_flags_and_values() {
    let flags = value_flags();
    let mut lines = vec![
        vec!["infra", ""],
        vec!["infra", "ch"],
        vec!["infra", "check", "--fo"],
        vec!["infra", "check", "--format", "j"],
        vec!["infra", "completions", ""],
    ];
    for (sub, flag, _) in &flags {
        lines.push(vec!["infra", sub, flag, ""]);
    }
    let replies = bash_complete(&lines);

    let subs: BTreeSet<String> = subcommands().into_iter().collect();
    assert!(replies[0].is_superset(&subs), "infra <TAB>: {:?}", replies[0]);
    assert!(replies[0].contains("--version"), "{:?}", replies[0]);
    assert_eq!(replies[1], set(&["check"]), "infra ch<TAB>");
    assert_eq!(replies[2], set(&["--format"]), "infra check --fo<TAB>");
    assert_eq!(replies[3], set(&["json", "junit"]), "infra check --format j<TAB>");
    let shells = set(&["bash", "zsh", "fish", "powershell", "elvish"]);
    assert!(
        replies[4].is_superset(&shells),
        "infra completions <TAB>: {:?}",
        replies[4]
    );
    for ((sub, flag, values), reply) in flags.iter().zip(&replies[5..]) {
        assert_eq!(reply, values, "infra {sub} {flag} <TAB>");
    }
}

// ---- fish ----

#[test]
fn fish_script_parses_and_completes() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("infra.fish");
    std::fs::write(&script, completion_script("fish")).unwrap();
    let path = script.to_str().unwrap();
    let out = tool("fish", "fish", &["-n", path]);
    assert!(
        out.status.success(),
        "fish -n: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    // `complete -C LINE` prints what fish offers for LINE, one `candidate<TAB>description` per line.
    let flags = value_flags();
    let mut lines = vec!["infra ".to_string(), "infra check --fo".to_string()];
    lines.extend(flags.iter().map(|(sub, flag, _)| format!("infra {sub} {flag} ")));
    let mut driver = format!("source {}\n", shlex::try_quote(path).unwrap());
    for line in &lines {
        driver.push_str(&format!(
            "complete -C {}\necho '<<end>>'\n",
            shlex::try_quote(line).unwrap()
        ));
    }
    let out = tool("fish", "fish", &["--no-config", "-c", &driver]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "fish: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    let replies: Vec<BTreeSet<String>> = stdout
        .split("<<end>>\n")
        .take(lines.len())
        .map(|reply| {
            reply
                .lines()
                .map(|l| l.split('\t').next().unwrap().to_string())
                .collect()
        })
        .collect();
    assert_eq!(replies.len(), lines.len(), "{stdout}");

    let subs: BTreeSet<String> = subcommands().into_iter().collect();
    assert_eq!(replies[0], subs, "infra <TAB>");
    assert_eq!(replies[1], set(&["--format"]), "infra check --fo<TAB>");
    for ((sub, flag, values), reply) in flags.iter().zip(&replies[2..]) {
        assert_eq!(reply, values, "infra {sub} {flag} <TAB>");
    }
}

// ---- zsh, powershell, elvish: parsed (zsh) and checked for what each must list ----

#[test]
fn zsh_script_parses_and_lists_every_subcommand_and_value() {
    let script = completion_script("zsh");
    assert!(
        script.starts_with("#compdef infra\n"),
        "{}",
        &script[..40.min(script.len())]
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("_infra");
    std::fs::write(&path, &script).unwrap();
    let out = tool("zsh", "zsh", &["-n", path.to_str().unwrap()]);
    assert!(out.status.success(), "zsh -n: {}", String::from_utf8_lossy(&out.stderr));

    // Subcommands are `'name:description'` entries of `_infra_commands`. Each subcommand's flags are in its
    // `(SUB)` case, up to `;;`; a flag's values follow its value name, `:FORMAT:(v1 v2)` or, with descriptions,
    // `:FORMAT:((v1\:"…" v2\:"…"))`, and the entry ends with `' \`.
    for sub in subcommands() {
        assert!(script.contains(&format!("'{sub}:")), "zsh: subcommand {sub}");
    }
    for (sub, flag, values) in value_flags() {
        let case = &script[script
            .find(&format!("({sub})\n"))
            .unwrap_or_else(|| panic!("zsh: no ({sub}) case"))..];
        let case = &case[..case.find("\n;;").unwrap()];
        let entry = &case[case
            .find(&format!("'{flag}="))
            .unwrap_or_else(|| panic!("zsh: {sub} {flag}"))..];
        let entry = &entry[..entry.find("' \\\n").unwrap()];
        for value in values {
            let listed = regex::Regex::new(&format!(r#"[\s(]{}(\\:|[\s)])"#, regex::escape(&value))).unwrap();
            assert!(
                listed.is_match(entry),
                "zsh: infra {sub} {flag} offers {value}: {entry}"
            );
        }
    }
}

/// The block a PowerShell or elvish script completes `infra SUB` in: from its `'infra;SUB'` key to the next key.
fn block<'a>(script: &'a str, key: &str) -> &'a str {
    let start = script.find(key).unwrap_or_else(|| panic!("no {key} block"));
    let rest = &script[start + key.len()..];
    let end = rest.find("'infra;").unwrap_or(rest.len());
    &rest[..end]
}

#[test]
fn powershell_and_elvish_scripts_list_every_subcommand_and_flag() {
    let powershell = completion_script("powershell");
    assert!(powershell.contains("Register-ArgumentCompleter -Native -CommandName 'infra'"));
    let elvish = completion_script("elvish");
    assert!(elvish.contains("set edit:completion:arg-completer[infra]"));
    let top_ps = block(&powershell, "'infra' {");
    let top_elv = block(&elvish, "'infra'= {");
    for sub in infra::command().get_subcommands() {
        let name = sub.get_name();
        assert!(
            top_ps.contains(&format!("[CompletionResult]::new('{name}', '{name}'")),
            "powershell: {name}"
        );
        assert!(top_elv.contains(&format!("cand {name} ")), "elvish: {name}");
        let ps = block(&powershell, &format!("'infra;{name}' {{"));
        let elv = block(&elvish, &format!("'infra;{name}'= {{"));
        for arg in sub.get_arguments() {
            let Some(long) = arg.get_long() else { continue };
            assert!(
                ps.contains(&format!("[CompletionResult]::new('--{long}'")),
                "powershell: {name} --{long}"
            );
            assert!(elv.contains(&format!("cand --{long} ")), "elvish: {name} --{long}");
        }
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let run = infra(&["completions", "tcsh"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("invalid value 'tcsh'"), "{}", run.stderr);
    assert!(
        run.stderr.contains("bash, elvish, fish, powershell, zsh"),
        "{}",
        run.stderr
    );
}

// ---- man ----

/// A page rendered by `groff -man -Tutf8 -ww` (every warning on) as plain text (`-P-cbou`: no bold or
/// underline), without hyphenation (`-rHY=0`) and without the page footer; fails on any warning.
fn groff(page: &[u8], name: &str) -> String {
    let mut child = Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-P-cbou", "-rHY=0"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run groff ({e}): the man page tests need it (Debian: groff-base)"));
    use std::io::Write;
    child.stdin.take().unwrap().write_all(page).unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && stderr.is_empty(), "groff {name}: {stderr}");
    // Without the footer (`infra 0.1.0   infra-check(1)`), so the last section ends with its text.
    let text = String::from_utf8(out.stdout).unwrap();
    let text = text.trim_end();
    let (body, footer) = text.rsplit_once('\n').unwrap();
    assert!(footer.trim_end().ends_with("(1)"), "{name}: footer {footer:?}");
    format!("{body}\n")
}

/// The text under `heading` in a rendered page, up to the next section heading or the footer (the next line
/// that starts in column 0).
fn section<'a>(text: &'a str, heading: &str) -> &'a str {
    let start = text
        .find(&format!("\n{heading}\n"))
        .unwrap_or_else(|| panic!("no {heading} in\n{text}"))
        + heading.len()
        + 2;
    let rest = &text[start..];
    let end = rest
        .match_indices('\n')
        .map(|(i, _)| i + 1)
        .find(|&i| rest[i..].starts_with(|c: char| !c.is_whitespace()))
        .unwrap_or(rest.len());
    &rest[..end]
}

/// A rendered section with its lines joined (groff fills and hyphenates).
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn man_prints_the_page_of_infra_and_groff_renders_it_without_warnings() {
    let run = infra(&["man"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with(".ie") || run.stdout.starts_with(".TH"),
        "roff: {}",
        &run.stdout[..80]
    );
    assert!(run.stdout.is_ascii(), "non-ASCII left in the roff");
    let text = groff(run.stdout.as_bytes(), "infra.1");

    let cmd = infra::command();
    let about = cmd.get_about().unwrap().to_string();
    assert_eq!(words(section(&text, "NAME")), format!("infra - {about}"));
    assert!(words(section(&text, "SYNOPSIS")).starts_with("infra [-h|--help] [-V|--version]"));
    let subcommands = words(section(&text, "SUBCOMMANDS"));
    for sub in cmd.get_subcommands() {
        let name = sub.get_name();
        assert!(
            subcommands.contains(&format!("infra-{name}(1)")),
            "{name} in {subcommands}"
        );
        if name != "help" {
            let about = sub.get_about().unwrap().to_string();
            assert!(subcommands.contains(&words(&about)), "{about}");
        }
    }
    assert!(
        !subcommands.contains("infra-help"),
        "clap's help is not a page: {subcommands}"
    );
    assert!(words(section(&text, "OPTIONS")).contains("-V, --version Print version"));
    assert_eq!(
        words(section(&text, "VERSION")),
        words(&format!("v{}", infra::command().get_version().unwrap()))
    );
}

#[test]
fn man_out_dir_writes_one_page_per_command_atomically_and_leaves_other_files() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("share/man/man1");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("git.1"), "not ours").unwrap();
    std::fs::write(dir.join("infra-render.1"), "an older page").unwrap();

    let run = infra(&["man", "--out-dir", dir.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    let cmd = infra::command();
    let mut expected = vec!["infra.1".to_string()];
    for s in cmd.get_subcommands() {
        expected.push(format!("infra-{}.1", s.get_name()));
        // A command with subcommands of its own (`infra policy test`) gets a page for each.
        expected.extend(
            s.get_subcommands()
                .map(|n| format!("infra-{}-{}.1", s.get_name(), n.get_name())),
        );
    }
    let wrote: Vec<String> = expected
        .iter()
        .map(|name| format!("wrote {}", dir.join(name).display()))
        .collect();
    assert_eq!(run.stdout.lines().collect::<Vec<_>>(), wrote);

    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    files.sort();
    let mut want = expected.clone();
    want.push("git.1".to_string());
    want.sort();
    assert_eq!(files, want, "one page per command, no temporaries left");
    assert_eq!(std::fs::read_to_string(dir.join("git.1")).unwrap(), "not ours");

    // infra.1 is what `infra man` prints; every page renders without warnings and is about its command.
    let top = std::fs::read(dir.join("infra.1")).unwrap();
    assert_eq!(top, infra(&["man"]).stdout.into_bytes());
    for sub in cmd.get_subcommands() {
        let name = sub.get_name();
        let page = std::fs::read(dir.join(format!("infra-{name}.1"))).unwrap();
        let text = groff(&page, name);
        let about = words(&sub.get_about().unwrap().to_string());
        assert_eq!(words(section(&text, "NAME")), format!("infra-{name} - {about}"));
        assert!(words(section(&text, "SYNOPSIS")).starts_with(&format!("infra {name} ")));
        for arg in sub.get_arguments() {
            if let Some(long) = arg.get_long() {
                assert!(text.contains(&format!("--{long}")), "infra-{name}.1: --{long}");
            }
        }
    }
    let check = groff(&std::fs::read(dir.join("infra-check.1")).unwrap(), "check");
    let options = words(section(&check, "OPTIONS"));
    assert!(
        options
            .contains("--format <FORMAT> [default: text] Output format Possible values: • text • json • sarif • junit"),
        "{options}"
    );
    // What `--help` says after the options is on the page as sections, one example a line as in `--help`.
    let render = groff(&std::fs::read(dir.join("infra-render.1")).unwrap(), "render");
    let examples: Vec<&str> = section(&render, "EXAMPLES").lines().map(str::trim).collect();
    assert!(examples.contains(&"infra render --check"), "{examples:?}");
    assert!(
        examples.contains(&"infra render stacks/prod.toml --out build/prod"),
        "{examples:?}"
    );
    assert!(
        words(section(&render, "EXIT STATUS")).starts_with("0 success"),
        "{render}"
    );
    assert_eq!(words(section(&render, "SEE ALSO")), "infra(1)");
}

#[test]
fn man_out_dir_that_cannot_be_written_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("man1");
    std::fs::write(&file, "a file, not a directory").unwrap();
    let run = infra(&["man", "--out-dir", file.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    let want = format!("error: cannot write {}", file.join("infra.1").display());
    assert!(run.stderr.starts_with(&want), "{}", run.stderr);
    assert!(
        run.stderr.contains("\nhelp: --out-dir names a directory"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "a file, not a directory");
}

// ---- --version ----

#[test]
fn version_names_the_crate_and_the_azurerm_schema_that_rendered_files_pin() {
    let want = format!(
        "infra {} (azurerm provider schema {})\n",
        env!("CARGO_PKG_VERSION"),
        infra::azurerm::PROVIDER_VERSION
    );
    for flag in ["--version", "-V"] {
        let run = infra(&[flag]);
        assert_eq!(
            (run.code, run.stdout.as_str(), run.stderr.as_str()),
            (0, want.as_str(), ""),
            "{flag}"
        );
    }
    // The version printed is the one every rendered configuration pins.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let versions = std::fs::read_to_string(root.join("terraform/prod/versions.tf")).unwrap();
    let pinned = format!("version = \"{}\"", infra::azurerm::PROVIDER_VERSION);
    assert!(versions.contains(&pinned), "{versions}");
}

// ---- cargo install ----

/// `cargo install --locked --path <repo>` — what docs/install.md tells a user — into a temporary root, then the
/// installed binary, run from a directory outside the repository, renders a stack exactly as the committed
/// `terraform/dev/` (everything it needs is built in). The build shares this test run's build directory (cargo's
/// `build.build-dir`, by default the target directory; a cargo without it builds from scratch, slowly): the
/// artifacts are those `make test`'s `cargo run -- render --check` uses, so the step costs `make test` seconds.
/// The final binary goes to a target directory of its own, so `target/debug/infra`, which the other tests run,
/// is never replaced under them. `--offline`: the crates are in cargo's cache once the tests are built.
#[test]
fn cargo_install_gives_a_binary_that_works_outside_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let installed = cargo_install(root, tmp.path());

    let version = Command::new(&installed).arg("--version").output().unwrap();
    let want = format!(
        "infra {} (azurerm provider schema {})\n",
        env!("CARGO_PKG_VERSION"),
        infra::azurerm::PROVIDER_VERSION
    );
    assert_eq!(String::from_utf8(version.stdout).unwrap(), want);

    // A project with only a stack in it, far from the repository.
    let project = tmp.path().join("project");
    std::fs::create_dir_all(project.join("stacks")).unwrap();
    std::fs::copy(root.join("stacks/dev.toml"), project.join("stacks/dev.toml")).unwrap();
    let render = Command::new(&installed)
        .arg("render")
        .current_dir(&project)
        .output()
        .unwrap();
    assert!(render.status.success(), "{}", String::from_utf8_lossy(&render.stderr));
    let committed = dir_files(&root.join("terraform/dev"));
    assert!(committed.iter().any(|(name, _)| name == "main.tf"), "{committed:?}");
    assert_eq!(dir_files(&project.join("terraform/dev")), committed);
}

/// `cargo install --locked --offline --path <root>` into `tmp` (root `tmp/root`, target `tmp/target`), in this
/// run's profile and build directory; the installed binary.
fn cargo_install(root: &Path, tmp: &Path) -> std::path::PathBuf {
    // The binary the other tests run is <target>/<profile>/infra.
    let profile_dir = Path::new(env!("CARGO_BIN_EXE_infra")).parent().unwrap();
    let target_dir = profile_dir.parent().unwrap();
    let build_dir = std::env::var_os("CARGO_BUILD_BUILD_DIR").unwrap_or_else(|| target_dir.into());
    let profile = match profile_dir.file_name().unwrap().to_str().unwrap() {
        "debug" => "dev",
        other => other,
    };
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut install = Command::new(cargo);
    without_cargo_test_env(&mut install);
    let out = install
        .args([
            "install",
            "--locked",
            "--offline",
            "--quiet",
            "--profile",
            profile,
            "--path",
        ])
        .arg(root)
        .arg("--root")
        .arg(tmp.join("root"))
        .env("CARGO_BUILD_BUILD_DIR", build_dir)
        .env("CARGO_TARGET_DIR", tmp.join("target"))
        .env_remove("CARGO_BUILD_TARGET")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cargo install: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    tmp.join("root/bin")
        .join(format!("infra{}", std::env::consts::EXE_SUFFIX))
}

/// Removes the variables cargo sets for this test process (CARGO_MANIFEST_DIR, CARGO_PKG_NAME, …): build
/// scripts that watch them (ring's `rerun-if-env-changed`) would see them change and rebuild everything after
/// them, here and again in `make test`'s `cargo run`.
fn without_cargo_test_env(command: &mut Command) {
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        let set_by_cargo = name.starts_with("CARGO_PKG_")
            || [
                "CARGO_MANIFEST_DIR",
                "CARGO_MANIFEST_PATH",
                "CARGO_MANIFEST_LINKS",
                "CARGO_CRATE_NAME",
                "CARGO_BIN_NAME",
                "CARGO_PRIMARY_PACKAGE",
                "CARGO_TARGET_TMPDIR",
                "CARGO_RUSTC_CURRENT_DIR",
                "OUT_DIR",
            ]
            .contains(&name.as_ref());
        if set_by_cargo {
            command.env_remove(name.as_ref());
        }
    }
}

/// The files of `dir` (not recursive): (name, content), sorted.
fn dir_files(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}
