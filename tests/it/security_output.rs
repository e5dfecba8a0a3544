//! Issue 20, "output that can't be forged": a pull request's input (resource names, `for_each` keys, values,
//! file names, plan JSON) printed by `infra check`, `infra diff` (offline and `--plan`) and on stderr never starts
//! a line (no `::error …` workflow command), holds no raw control, C1, line-separator or bidi character, and the
//! Markdown view (the PR comment) renders it inert.

use std::path::Path;
use std::process::{Command, Output};

fn infra(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_infra"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn write(dir: &Path, file: &str, text: &str) {
    std::fs::create_dir_all(dir.join(file).parent().unwrap()).unwrap();
    std::fs::write(dir.join(file), text).unwrap();
}

/// What must never reach the output raw from input: C0 controls (but the output's own line feeds), DEL, C1
/// controls, the line and paragraph separators, the bidi overrides and isolates.
fn forbidden(c: char) -> bool {
    matches!(
        c,
        '\0'..='\u{9}'
            | '\u{b}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
    )
}

/// No line of `out` is a CI workflow command (GitHub's runner trims leading whitespace first), none holds a
/// logging command that runners act on anywhere in a line, and no forbidden character is in it.
fn assert_unforgeable(what: &str, out: &str) {
    for line in out.split('\n') {
        assert!(
            !line.trim_start().starts_with("::"),
            "{what}: a line starts with `::`: {line:?}\n{out}"
        );
        assert!(!line.contains("##["), "{what}: a `##[` command: {line:?}\n{out}");
    }
    if let Some(c) = out.chars().find(|&c| forbidden(c)) {
        panic!("{what}: raw U+{:04X} in the output:\n{out:?}", c as u32);
    }
}

/// `for_each` keys, as HCL string literals, each hiding a line (or a colour, a reversal) after its first
/// character.
const HOSTILE_KEYS: &str = r#"toset([
    "a\n::error file=x::pwned",
    "b\u001b[31mred",
    "c\u0085::notice::nel",
    "d\u2028::warning::ls",
    "e\u202eright-to-left",
    "f\r::error::cr ##[add-mask]x",
  ])"#;

fn hostile_registries(label: &str) -> String {
    format!(
        r#"resource "azurerm_container_registry" "{label}" {{
  for_each            = {HOSTILE_KEYS}
  name                = each.key
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Basic"
  admin_enabled       = true
  tags = {{
    "k\n::error file=t::tag" = "v\u2028::warning::tag\u202e"
  }}
}}
"#
    )
}

#[test]
fn check_text_escapes_names_keys_values_and_file_names() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "tf/main.tf", &hostile_registries("main"));
    // A file name is input too: its findings' locations name it.
    write(
        tmp.path(),
        "tf/x\n::error file=f::name\u{2028}::warning::ls.tf",
        &hostile_registries("other"),
    );
    let o = infra(tmp.path(), &["check", "tf"]);
    let (out, err) = (text(&o.stdout), text(&o.stderr));
    assert_eq!(o.status.code(), Some(1), "{out}\n{err}");
    assert_unforgeable("infra check (stdout)", &out);
    assert_unforgeable("infra check (stderr)", &err);
    // Shown escaped, as Terraform would quote them, not left out.
    assert!(
        out.contains(r#"azurerm_container_registry.main["a\n::error file=x::pwned"]"#),
        "{out}"
    );
    assert!(out.contains(r"\u2028::warning::ls"), "{out}");
    assert!(out.contains(r"\x1b[31mred") || out.contains(r"\u001b[31mred"), "{out}");
    assert!(out.contains(r"x\n::error file=f::name\u2028::warning::ls.tf:"), "{out}");
}

/// JSON and SARIF (serde escapes control characters in strings) and JUnit (input escaped) keep input off the
/// start of a line too, for when a CI step prints them.
#[test]
fn check_machine_formats_keep_input_on_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "tf/main.tf", &hostile_registries("main"));
    for format in ["json", "sarif", "junit"] {
        let o = infra(tmp.path(), &["check", "tf", "--format", format]);
        let out = text(&o.stdout);
        assert_eq!(o.status.code(), Some(1), "{format}: {out}");
        assert!(out.contains("::error file=x::pwned"), "{format}: {out}");
        for line in out.split(['\n', '\r']) {
            assert!(!line.trim_start().starts_with("::"), "{format}: {line:?}\n{out}");
        }
    }
}

#[test]
fn check_errors_on_stderr_cannot_start_a_line() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "tf/main.tf", &hostile_registries("main"));
    write(
        tmp.path(),
        "tf/bad\n::error file=b::unread\r::notice::cr.tf",
        "resource \"x\" {\n",
    );
    let o = infra(tmp.path(), &["check", "tf"]);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("could not be read"), "{err}");
    assert!(err.contains(r"bad\n::error file=b::unread\r::notice::cr.tf"), "{err}");
    assert_unforgeable("infra check (stderr)", &err);
}

#[test]
fn offline_diff_text_escapes_names_keys_and_values() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "old/main.tf",
        "resource \"azurerm_resource_group\" \"rg\" {\n  name     = \"rg\"\n  location = \"westeurope\"\n}\n",
    );
    write(tmp.path(), "new/main.tf", &hostile_registries("main"));
    let o = infra(tmp.path(), &["diff", "old", "new"]);
    let (out, err) = (text(&o.stdout), text(&o.stderr));
    assert_eq!(o.status.code(), Some(2), "{out}\n{err}");
    assert_unforgeable("infra diff OLD NEW", &out);
    assert_unforgeable("infra diff OLD NEW (stderr)", &err);
    assert!(
        out.contains(r#"# azurerm_container_registry.main["d\u2028::warning::ls"] will be created"#),
        "{out}"
    );
    assert!(
        out.contains(r#""k\n::error file=t::tag" = "v\u2028::warning::tag\u202e""#),
        "{out}"
    );
}

/// A literal map a user writes with the one key `$expression` is printed as the map it is, not as a reference
/// kept as written (offline diffs mark written values in a mask beside the value, not in the value).
#[test]
fn offline_diff_prints_a_map_shaped_like_a_written_value_as_a_map() {
    let tmp = tempfile::tempdir().unwrap();
    let rg = |tags: &str| {
        format!("resource \"azurerm_resource_group\" \"rg\" {{\n  name     = \"rg\"\n  location = \"westeurope\"\n  tags     = {tags}\n}}\n")
    };
    write(tmp.path(), "old/main.tf", &rg("{ env = \"dev\" }"));
    write(
        tmp.path(),
        "new/main.tf",
        &rg("{ \"$expression\" = \"azurerm_key_vault.kv.id\" }"),
    );
    let o = infra(tmp.path(), &["diff", "old", "new"]);
    let out = text(&o.stdout);
    assert!(!out.contains("-> azurerm_key_vault.kv.id"), "{out}");
    assert!(out.contains(r#"+ "$expression" = "azurerm_key_vault.kv.id""#), "{out}");
    // A real reference is still shown as written.
    write(tmp.path(), "new/main.tf", &rg("azurerm_resource_group.other.tags"));
    let out = text(&infra(tmp.path(), &["diff", "old", "new"]).stdout);
    assert!(out.contains("} -> azurerm_resource_group.other.tags"), "{out}");
}

/// A hand-written `terraform show -json` plan whose addresses, keys and values hide lines.
fn hostile_plan() -> serde_json::Value {
    let key = "a\n::error file=x::pwned\u{2028}::warning::ls\u{1b}[31m\u{85}\u{202e}";
    let address = format!("test_instance.x[{}]", serde_json::Value::String(key.into()));
    serde_json::json!({
        "format_version": "1.2",
        "terraform_version": "1.11.0",
        "resource_changes": [
            {
                "address": address,
                "mode": "managed",
                "type": "test_instance",
                "name": "x",
                "index": key,
                "provider_name": "registry.terraform.io/hashicorp/test",
                "change": {
                    "actions": ["create"],
                    "before": null,
                    "after": {
                        "ami": "v\u{202e}\u{1b}[31m\u{85}::error::ami",
                        "tags": { "k\n::error file=t::tag": "v\u{2028}::warning::tag", "safe": "x" },
                        "script": "line one\n::add-mask::secret\nline three",
                        "notes": "  first\n  ##[error]second\n",
                        "doc": "first line\nsecond line"
                    },
                    "after_unknown": {},
                    "before_sensitive": false,
                    "after_sensitive": {}
                }
            },
            {
                "address": "test_instance.gone\u{2028}::error::name",
                "mode": "managed",
                "type": "test_instance",
                "name": "gone\u{2028}::error::name",
                "provider_name": "registry.terraform.io/hashicorp/test",
                "action_reason": "delete_because_no_resource_config",
                "change": {
                    "actions": ["delete"],
                    "before": { "ami": "old\r::error::cr" },
                    "after": null,
                    "after_unknown": {},
                    "before_sensitive": {},
                    "after_sensitive": false
                }
            }
        ]
    })
}

#[test]
fn plan_diff_text_escapes_what_terraform_would_print_raw() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "plan.json", &hostile_plan().to_string());
    let o = infra(tmp.path(), &["diff", "--plan", "plan.json"]);
    let (out, err) = (text(&o.stdout), text(&o.stderr));
    assert_eq!(o.status.code(), Some(2), "{out}\n{err}");
    assert_unforgeable("infra diff --plan", &out);
    assert_unforgeable("infra diff --plan (stderr)", &err);
    assert!(
        out.contains(
            r#"# test_instance.x["a\n::error file=x::pwned\u2028::warning::ls\u001b[31m\u0085\u202e"] will be created"#
        ),
        "{out}"
    );
    assert!(
        out.contains(r#"resource "test_instance" "gone\u2028::error::name""#),
        "{out}"
    );
    // A multi-line string one of whose lines would be a workflow command is quoted on one line; other
    // multi-line strings stay heredocs, as Terraform prints them.
    assert!(
        out.contains(r#"+ script = "line one\n::add-mask::secret\nline three""#),
        "{out}"
    );
    assert!(
        out.contains(r#"+ notes  = "  first\n  ##\u005berror]second\n""#),
        "{out}"
    );
    assert!(out.contains("+ doc    = <<-EOT\n"), "{out}");
    assert!(
        out.contains("            first line\n            second line\n"),
        "{out}"
    );
}

/// `for_each` keys that would be Markdown and HTML if pasted raw into a PR comment.
const MARKUP_KEYS: &str = r#"toset([
    "a`|**bold**|[link](https://x)",
    "<img src=x>@everyone #123 www.example.com",
    "c\n| forged | row | here |",
  ])"#;

#[test]
fn markdown_renders_input_inert() {
    let tmp = tempfile::tempdir().unwrap();
    let group = |location: &str| {
        format!(
            "resource \"azurerm_resource_group\" \"rg\" {{\n  for_each = {MARKUP_KEYS}\n  name     = each.key\n  \
             location = \"{location}\"\n}}\n\nresource \"azurerm_container_registry\" \"acr\" {{\n  for_each = {MARKUP_KEYS}\n  \
             name                = \"acr\"\n  resource_group_name = azurerm_resource_group.rg[each.key].name\n  \
             location            = \"westeurope\"\n  sku                 = \"Basic\"\n}}\n"
        )
    };
    write(tmp.path(), "old/main.tf", &group("westeurope"));
    // A new location replaces every resource group (and, through them, the registries): the destructive list,
    // the Why column and the Mermaid picture all show the keys.
    write(tmp.path(), "new/main.tf", &group("northeurope"));
    let o = infra(tmp.path(), &["diff", "old", "new", "--format", "markdown"]);
    let (out, err) = (text(&o.stdout), text(&o.stderr));
    assert_eq!(o.status.code(), Some(2), "{out}\n{err}");
    assert_unforgeable("infra diff --format markdown", &out);
    // Fenced blocks are code (GitHub renders them as `<pre>`): the text view's lines and the Mermaid picture.
    let (mut prose, mut mermaid, mut fence) = (String::new(), String::new(), None::<String>);
    for line in out.lines() {
        match &fence {
            None if line.starts_with("```") => fence = Some(line.to_string()),
            None => prose.push_str(&format!("{line}\n")),
            Some(f) if line.trim_end() == f.trim_end_matches(char::is_alphabetic) => fence = None,
            Some(f) if f.ends_with("mermaid") => mermaid.push_str(&format!("{line}\n")),
            Some(_) => {}
        }
    }
    assert!(!mermaid.is_empty(), "a replacement draws its picture:\n{out}");
    for raw in [
        "**bold**",
        "[link]",
        "](https",
        "https://",
        "<img",
        "@everyone",
        "#123",
        "www.example",
        "`|",
    ] {
        assert!(!prose.contains(raw), "raw {raw:?} in the comment:\n{prose}");
    }
    for escaped in [
        r#"<code>azurerm_resource_group.rg&#91;"a&#96;&#124;&#42;&#42;bold&#42;&#42;&#124;&#91;link&#93;(https&#58;//x)"&#93;</code>"#,
        "&lt;img src=x&gt;&#64;&#8288;everyone &#35;&#8288;123 www&#46;example.com",
        "c&#92;n&#124; forged &#124; row &#124; here &#124;",
    ] {
        assert!(prose.contains(escaped), "no {escaped:?} in the comment:\n{prose}");
    }
    // Every row of the resource table has its three cells: four unescaped `|`.
    let table = prose.split("| Resource | Action | Why |").nth(1).unwrap();
    let rows: Vec<&str> = table.lines().skip(2).take_while(|l| l.starts_with('|')).collect();
    assert_eq!(rows.len(), 6, "{table}");
    for row in rows {
        assert_eq!(row.matches('|').count(), 4, "{row}");
    }
    // The Mermaid labels stay escaped: no quote, backtick, angle bracket or line of the key's own.
    assert!(mermaid.contains("#96;"), "{mermaid}");
    for line in mermaid.lines().filter(|l| l.contains("rg[")) {
        assert!(!line.contains('<') && !line.contains('`'), "{line}");
        assert_eq!(line.matches('"').count() % 2, 0, "{line}");
    }
}
