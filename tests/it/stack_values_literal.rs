//! Stack values are data, never code: for arbitrary text in every free-text field of a stack (tags, env values,
//! image, image tag default, cleanup filter and ago, secret env names, env names, backend container and key,
//! volume mount and probe paths), loading either rejects the stack with an error naming the key, or
//! `render` writes the text as a literal. The rendered `.tf` is parsed back with hcl-rs and the `.tf.json` with
//! serde_json, and the value is read back as Terraform would (a template with no interpolation or directive);
//! the cleanup task's YAML is parsed (yaml-rust2) and its command split as a shell would (shlex).
//!
//! Cases per property: `PROPTEST_CASES` (default 24; `make fuzz` runs many more).

use infra::render::render;
use infra::stack::Stack;
use infra::terraform::Format;
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestCaseError};
use serde_json::Value as Json;

/// stacks/prod.toml as it was before issue 10 made its registry's purge task impossible (a private registry: ACR
/// tasks no longer bypass network rules): public network access is back on (and export with it, the provider's
/// defaults) and the webhook's place holds the weekly purge task, so the cleanup task's values are still checked
/// on a full stack.
fn prod_with_cleanup() -> String {
    let prod = include_str!("../../stacks/prod.toml");
    let start = prod.find("# Tells CI/CD about").expect("prod's webhook");
    let end = start + prod[start..].find("\n\n").expect("end of the webhook") + 2;
    let cleanup = "# Weekly: keep the newest 10 tags per repository, delete untagged manifests.\n[container_registry.cleanup]\nname = \"purge-untagged\"\nschedule = \"0 1 * * Sun\"\nkeep = 10\nuntagged = true\n\n";
    let text = format!("{}{cleanup}{}", &prod[..start], &prod[end..]);
    // The registry's "# Private: ..." comment and its two settings, public_network_access_enabled = false and
    // export_policy_enabled = false.
    let private = text
        .find("# Private: no public network access")
        .expect("prod's private registry");
    let settings = "export_policy_enabled = false\n";
    let end = text.find(settings).expect("prod's export policy") + settings.len();
    format!("{}{}", &text[..private], &text[end..])
}

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(24);
    Config {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        ..Config::default()
    }
}

/// Hostile text: template openers, quotes, backslashes, line breaks, YAML and shell syntax, non-ASCII, and
/// arbitrary characters, in any mix.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => prop::sample::select(vec![
            "${", "%{", "$${", "%%{", "}", "{{", "\"", "'", "\\", "\\n", "\n", "\r\n", "\t", ": ", " #", "- ", "YAML",
            "\n    YAML\n", "${file(\"/etc/passwd\")}", "%{ if true }x%{ endif }", "'; curl x | sh #", "é", "😀", "\u{0}",
            "\u{7f}", "\u{2028}", " ", "*", ":", ".*", "a", "Z", "0", "-", "_", "/", "=", "<<", "null", "for", "true",
        ])
        .prop_map(str::to_string),
        1 => any::<char>().prop_map(String::from),
        1 => "[a-z0-9]{1,6}",
    ];
    prop::collection::vec(piece, 0..10).prop_map(|v| v.concat())
}

/// `s` as a one-line TOML basic string (usable as a key too).
fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The prod stack with each `(old, new)` edit applied once.
fn edited(edits: &[(&str, String)]) -> String {
    let mut text = prod_with_cleanup();
    for (old, new) in edits {
        assert_eq!(text.matches(old).count(), 1, "{old:?}");
        text = text.replacen(old, new, 1);
    }
    text
}

/// Both renderings of a stack: (`main`, `variables`, `versions`) as parsed HCL bodies and as JSON.
struct Rendered {
    hcl: Vec<(String, hcl::Body)>,
    main_tf: String,
    json: Vec<(String, Json)>,
}

fn render_both(stack: &Stack) -> Rendered {
    let mut out = Rendered {
        hcl: Vec::new(),
        main_tf: String::new(),
        json: Vec::new(),
    };
    for file in render(stack, Format::Hcl).files {
        let text = file.to_text();
        let body: hcl::Body =
            hcl::parse(&text).unwrap_or_else(|e| panic!("{} does not parse back: {e}\n{text}", file.name));
        if file.name == "main.tf" {
            out.main_tf = text.clone();
        }
        out.hcl.push((file.name.clone(), body));
    }
    for file in render(stack, Format::Json).files {
        let text = file.to_text();
        let json: Json =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}\n{text}", file.name));
        out.json.push((file.name.clone(), json));
    }
    out
}

/// The value of a literal HCL expression as Terraform reads it: a string, or a template made only of literal
/// text (escapes such as `$${` resolved); `None` for anything that would evaluate code.
fn hcl_literal(expr: &hcl::Expression) -> Option<String> {
    match expr {
        hcl::Expression::String(s) => Some(s.clone()),
        hcl::Expression::TemplateExpr(t) => template_literal(&hcl::Template::from_expr(t).ok()?),
        _ => None,
    }
}

fn template_literal(t: &hcl::Template) -> Option<String> {
    let mut s = String::new();
    for el in t.elements() {
        match el {
            hcl::template::Element::Literal(l) => s.push_str(l),
            _ => return None,
        }
    }
    Some(s)
}

/// A Terraform JSON string as Terraform reads it: a template that must be literal text only.
fn json_literal(v: &Json) -> Option<String> {
    let s = v.as_str()?;
    template_literal(&s.parse::<hcl::Template>().ok()?)
}

/// The attribute `path` (block kinds/labels, then the attribute name) in the HCL files.
fn hcl_attr<'a>(r: &'a Rendered, file: &str, path: &[&str]) -> &'a hcl::Expression {
    let body = &r.hcl.iter().find(|(n, _)| n == file).expect("file").1;
    find_hcl(body, path).unwrap_or_else(|| panic!("{file}: no {path:?}"))
}

fn find_hcl<'a>(body: &'a hcl::Body, path: &[&str]) -> Option<&'a hcl::Expression> {
    match path {
        [name] => body.attributes().find(|a| a.key() == *name).map(|a| a.expr()),
        [kind, rest @ ..] => body.blocks().filter(|b| b.identifier() == *kind).find_map(|b| {
            let labels: Vec<&str> = b.labels().iter().map(|l| l.as_str()).collect();
            let rest = rest.strip_prefix(labels.as_slice())?;
            find_hcl(b.body(), rest)
        }),
        [] => None,
    }
}

/// The JSON value at `path` (object keys; arrays of blocks are searched element by element).
fn json_at<'a>(r: &'a Rendered, file: &str, path: &[&str]) -> &'a Json {
    let root = &r.json.iter().find(|(n, _)| n == file).expect("file").1;
    find_json(root, path).unwrap_or_else(|| panic!("{file}: no {path:?}"))
}

fn find_json<'a>(v: &'a Json, path: &[&str]) -> Option<&'a Json> {
    match (v, path) {
        (_, []) => Some(v),
        (Json::Array(items), _) => items.iter().find_map(|i| find_json(i, path)),
        (Json::Object(m), [k, rest @ ..]) => find_json(m.get(*k)?, rest),
        _ => None,
    }
}

/// Asserts `expected` reads back exactly from both renderings at the given paths.
fn assert_literal(r: &Rendered, file: &str, hcl_path: &[&str], json_path: &[&str], expected: &str) {
    let e = hcl_attr(r, file, hcl_path);
    assert_eq!(hcl_literal(e).as_deref(), Some(expected), "{file} {hcl_path:?}: {e:?}");
    let j = json_at(r, &format!("{file}.json"), json_path);
    assert_eq!(
        json_literal(j).as_deref(),
        Some(expected),
        "{file}.json {json_path:?}: {j:?}"
    );
}

/// Loads `text`, which the generators made valid-shaped: it must load.
fn load(text: &str) -> Result<Stack, TestCaseError> {
    Stack::from_toml("stacks/prod.toml", text)
        .map_err(|e| TestCaseError::fail(format!("a valid-shaped value was refused: {e}")))
}

/// Loads `text`, which holds a value the stack's rules refuse: the error names `key` (file:line:col first) and
/// says how to fix it.
fn assert_refused(text: &str, key: &str) -> Result<(), TestCaseError> {
    match Stack::from_toml("stacks/prod.toml", text) {
        Ok(_) => Err(TestCaseError::fail(format!("an invalid value for {key} was accepted"))),
        Err(e) => {
            let msg = e.to_string();
            prop_assert!(
                msg.starts_with("stacks/prod.toml:") && msg.contains(key) && msg.contains("help: "),
                "the error should name {} and say how to fix it: {}",
                key,
                msg
            );
            Ok(())
        }
    }
}

/// An environment variable name (`azurerm::facts::limits::ENV_NAME`, `^[A-Za-z_][A-Za-z0-9_]*$`): words Terraform and shells
/// give meaning to, and random ones. Never one of prod's own (PYTHONPATH): that is a duplicate.
fn env_name() -> impl Strategy<Value = String> {
    let word = prop::sample::select(vec![
        "for", "if", "null", "true", "var", "local", "each", "count", "PATH", "_", "HOME",
    ])
    .prop_map(str::to_string);
    prop_oneof![1 => word, 3 => "[A-Za-z_][A-Za-z0-9_]{0,20}"]
        .prop_filter("prod's own env names", |n| n != "PYTHONPATH" && n != "PYTHONUNBUFFERED")
}

fn is_env_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A DNS host name of two labels or more (`facts::limits::HOST_NAME`: labels of 1-63 lower-case letters, digits and
/// hyphens, not starting or ending with a hyphen).
fn is_host_name(s: &str) -> bool {
    let label = |l: &str| {
        (1..=63).contains(&l.len())
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    s.len() <= 253 && s.contains('.') && s.split('.').all(label)
}

/// An image repository (`facts::names::REPOSITORY`: 1-255 of `[a-z0-9_./-]`, starting with a letter or digit).
fn repository() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-z0-9][a-z0-9_./-]{0,40}",
        1 => "[a-z0-9][a-z0-9_./-]{254}",
    ]
}

fn is_repository(s: &str) -> bool {
    let mut chars = s.chars();
    (1..=255).contains(&s.len())
        && chars
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_./-".contains(c))
}

/// A regex `acr purge` accepts for a repository or a tag: atoms (literals the shell and YAML care about, escapes,
/// classes, groups, anchors for tags), each maybe repeated. No `:` (the repository/tag separator), quote,
/// control character, `${`, `%{` or `{{` (refused: see `cleanup_task::filter_problem`).
fn filter_regex(tag: bool) -> impl Strategy<Value = String> {
    let literal = prop::sample::select(vec![
        "a", "Z", "0", "-", "_", "/", ".", " ", ";", "&", "<", ">", "#", "!", "~", "%", "=", ",", "@", "$", "{", "}",
        "é", "😀",
    ]);
    let atom = prop_oneof![
        4 => literal.prop_map(|l| match l {
            // `$` is an anchor, `{`/`}` repetition syntax: escaped they are literals.
            "$" | "{" | "}" => format!("\\{l}"),
            l => l.to_string(),
        }),
        1 => prop::sample::select(vec!["\\.", "\\\\", "\\(", "\\*", "\\|", "\\d", "\\w", ".", "[a-z]", "[^ ]", "[0-9.]", "(a|b)", "(?i)x"])
            .prop_map(str::to_string),
    ];
    let quantified = (atom, prop::sample::select(vec!["", "", "*", "+", "?"])).prop_map(|(a, q)| format!("{a}{q}"));
    (prop::collection::vec(quantified, 1..6), any::<bool>(), any::<bool>()).prop_map(move |(parts, start, end)| {
        let mut body = parts.concat();
        // acr-cli does not split at a `:` after `(?` and flags (it reads `(?i:` as a group): a repository regex
        // ending in an escaped `\(` made optional (`\(?`) would swallow the separator. Found by this property.
        if !tag && body.trim_end_matches(|c| "imsU-".contains(c)).ends_with("(?") {
            body.push('x');
        }
        if tag {
            format!("{}{body}{}", if start { "^" } else { "" }, if end { "$" } else { "" })
        } else {
            body
        }
    })
}

/// An `acr purge --ago` value: `[<days>d][<Go duration>]`, well under acr-cli's limit of about 292 years.
fn ago() -> impl Strategy<Value = String> {
    let unit = prop::sample::select(vec!["ns", "us", "µs", "ms", "s", "m", "h"]);
    let part = (0u32..1000, unit, prop::option::of(0u32..100)).prop_map(|(n, u, frac)| match frac {
        Some(f) => format!("{n}.{f}{u}"),
        None => format!("{n}{u}"),
    });
    (prop::option::of(0u32..10_000), prop::collection::vec(part, 0..3)).prop_map(|(days, parts)| {
        let days = days.map(|d| format!("{d}d")).unwrap_or_default();
        let rest = parts.concat();
        if days.is_empty() && rest.is_empty() {
            "0".to_string()
        } else {
            format!("{days}{rest}")
        }
    })
}

/// The prod stack with the cleanup task's filter and ago set.
fn with_filter_and_ago(filter: &str, ago: &str) -> String {
    edited(&[(
        "keep = 10\nuntagged = true\n",
        format!(
            "keep = 10\nuntagged = true\nfilter = {}\nago = {}\n",
            toml_str(filter),
            toml_str(ago)
        ),
    )])
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn tag_values_and_keys_are_literal(key in text(), value in text()) {
        // Tags are free text in Azure's model; the loader accepts any (but the two the stack sets itself, a
        // duplicate key in TOML).
        prop_assume!(key != "application" && key != "environment");
        let text = edited(&[("owner = \"platform-team\"", format!("{} = {}", toml_str(&key), toml_str(&value)))]);
        let stack = load(&text)?;
        let r = render_both(&stack);
        let rg = ["resource", "azurerm_resource_group", "main", "tags"];
        let tags = hcl_attr(&r, "main.tf", &rg);
        let hcl::Expression::Object(obj) = tags else { panic!("tags: {tags:?}") };
        let found = obj.iter().find_map(|(k, v)| {
            let k = match k {
                hcl::ObjectKey::Identifier(id) => id.to_string(),
                hcl::ObjectKey::Expression(e) => hcl_literal(e)?,
                _ => return None,
            };
            (k == key).then(|| hcl_literal(v))
        });
        prop_assert_eq!(found, Some(Some(value.clone())), "{:?}", obj);
        let json = json_at(&r, "main.tf.json", &rg);
        let Json::Object(m) = json else { panic!("{json:?}") };
        let found = m.iter().find_map(|(k, v)| {
            (json_literal(&Json::String(k.clone())).as_deref() == Some(key.as_str())).then(|| json_literal(v))
        });
        prop_assert_eq!(found, Some(Some(value)));
    }

    #[test]
    fn env_values_and_names_are_literal(name in env_name(), value in text()) {
        let text = edited(&[("PYTHONUNBUFFERED = \"1\"", format!("{} = {}", toml_str(&name), toml_str(&value)))]);
        let stack = load(&text)?;
        let r = render_both(&stack);
        let env = ["resource", "azurerm_container_app", "app", "template", "container", "env"];
        let body = &r.hcl.iter().find(|(n, _)| n == "main.tf").unwrap().1;
        let app = body.blocks().find(|b| b.labels().iter().any(|l| l.as_str() == "azurerm_container_app")).unwrap();
        let template = app.body().blocks().find(|b| b.identifier() == "template").unwrap();
        let container = template.body().blocks().find(|b| b.identifier() == "container").unwrap();
        let found = container.body().blocks().filter(|b| b.identifier() == "env").find_map(|b| {
            let get = |k: &str| b.body().attributes().find(|a| a.key() == k).and_then(|a| hcl_literal(a.expr()));
            (get("name").as_deref() == Some(name.as_str())).then(|| get("value"))
        });
        prop_assert_eq!(found, Some(Some(value.clone())));
        let json_envs = json_at(&r, "main.tf.json", &env[..5]);
        let envs = json_envs.get("env").and_then(Json::as_array).expect("env blocks");
        let found = envs.iter().find_map(|e| {
            (json_literal(&e["name"]).as_deref() == Some(name.as_str())).then(|| json_literal(&e["value"]))
        });
        prop_assert_eq!(found, Some(Some(value)));
    }

    #[test]
    fn env_names_that_are_not_names_are_refused(name in text().prop_filter("not an env name", |n| !is_env_name(n))) {
        let text = edited(&[("PYTHONUNBUFFERED = \"1\"", format!("{} = \"1\"", toml_str(&name)))]);
        assert_refused(&text, "container_app.container.env")?;
    }

    #[test]
    fn image_is_literal_inside_its_template(image in repository()) {
        let text = edited(&[("image = \"fastapi-app\"", format!("image = {}", toml_str(&image)))]);
        let stack = load(&text)?;
        let r = render_both(&stack);
        let path = ["resource", "azurerm_container_app", "app", "template", "container", "image"];
        // The first-deploy conditional: `var.image_tag == null ? <placeholder> : <registry image template>`.
        let hcl::Expression::Conditional(c) = hcl_attr(&r, "main.tf", &path) else { panic!("image") };
        let hcl::Expression::TemplateExpr(t) = &c.false_expr else { panic!("image template") };
        let t = hcl::Template::from_expr(t).unwrap();
        let literals: Vec<String> = t.elements().iter().filter_map(|e| match e {
            hcl::template::Element::Literal(l) => Some(l.clone()),
            _ => None,
        }).collect();
        prop_assert_eq!(literals, vec![format!("/{image}:")]);
        prop_assert_eq!(t.elements().len(), 3);
        let j = json_at(&r, "main.tf.json", &path).as_str().unwrap();
        let t: hcl::Template = j.parse().unwrap();
        let [hcl::template::Element::Interpolation(i)] = t.elements() else { panic!("one interpolation: {j}") };
        let hcl::Expression::Conditional(c) = &i.expr else { panic!("a conditional: {j}") };
        let hcl::Expression::TemplateExpr(inner) = &c.false_expr else { panic!("image template: {j}") };
        let t = hcl::Template::from_expr(inner).unwrap();
        prop_assert_eq!(t.elements().len(), 3);
        prop_assert_eq!(&t.elements()[1], &hcl::template::Element::Literal(format!("/{image}:")));
    }

    #[test]
    fn images_that_are_not_repositories_are_refused(image in text().prop_filter("not a repository", |i| !is_repository(i))) {
        let text = edited(&[("image = \"fastapi-app\"", format!("image = {}", toml_str(&image)))]);
        assert_refused(&text, "image")?;
    }

    #[test]
    fn custom_domain_hosts_and_zones_that_are_not_dns_names_are_refused(
        host in text().prop_filter("not a host name", |h| !is_host_name(h)),
        zone in text().prop_filter("not a host name", |z| !is_host_name(z)),
    ) {
        let domain = |name: &str, zone: &str| format!(
            "{}\n[[container_app.custom_domains]]\nname = {}\ndns_zone = {{ name = {}, resource_group_name = \"rg-dns\" }}\n",
            prod_with_cleanup(), toml_str(name), toml_str(zone)
        );
        assert_refused(&domain(&host, "example.com"), "custom_domains")?;
        assert_refused(&domain("api.example.com", &zone), "dns_zone")?;
    }

    #[test]
    fn image_tag_default_is_literal(tag in text()) {
        let text = edited(&[("image = \"fastapi-app\"", format!("image = \"fastapi-app\"\nimage_tag = {}", toml_str(&tag)))]);
        let stack = load(&text)?;
        let r = render_both(&stack);
        assert_literal(&r, "variables.tf", &["variable", "image_tag", "default"], &["variable", "image_tag", "default"], &tag);
    }

    #[test]
    fn backend_container_and_key_are_literal(container in text(), key in text()) {
        let text = edited(&[
            ("container_name = \"tfstate\"", format!("container_name = {}", toml_str(&container))),
            ("key = \"fastapi-app/prod.tfstate\"", format!("key = {}", toml_str(&key))),
        ]);
        let stack = load(&text)?;
        let r = render_both(&stack);
        let p = |a: &'static str| ["terraform", "backend", "azurerm", a];
        assert_literal(&r, "versions.tf", &p("container_name"), &p("container_name"), &container);
        assert_literal(&r, "versions.tf", &p("key"), &p("key"), &key);
    }

    #[test]
    fn paths_are_literal(mount in text().prop_map(|t| format!("/{t}")), probe in text()) {
        let text = edited(&[
            ("path = \"/data\"", format!("path = {}", toml_str(&mount))),
            ("[container_app.container.liveness_probe]\nport = 8000\npath = \"/health\"",
             format!("[container_app.container.liveness_probe]\nport = 8000\npath = {}", toml_str(&probe))),
        ]);
        let stack = load(&text)?;
        let r = render_both(&stack);
        let c = ["resource", "azurerm_container_app", "app", "template", "container"];
        let m: Vec<&str> = c.iter().copied().chain(["volume_mounts", "path"]).collect();
        let p: Vec<&str> = c.iter().copied().chain(["liveness_probe", "path"]).collect();
        assert_literal(&r, "main.tf", &m, &m, &mount);
        // The probe path is the app branch of the first-deploy conditional (`var.image_tag == null ? "/" : path`).
        let hcl::Expression::Conditional(c) = hcl_attr(&r, "main.tf", &p) else { panic!("probe path") };
        prop_assert_eq!(hcl_literal(&c.false_expr), Some(probe.clone()));
        let j = json_at(&r, "main.tf.json", &p).as_str().unwrap();
        let t: hcl::Template = j.parse().unwrap();
        let [hcl::template::Element::Interpolation(i)] = t.elements() else { panic!("one interpolation: {j}") };
        let hcl::Expression::Conditional(c) = &i.expr else { panic!("a conditional: {j}") };
        prop_assert_eq!(hcl_literal(&c.false_expr), Some(probe));
    }

    #[test]
    fn relative_mount_paths_are_refused(mount in text().prop_filter("relative", |m| !m.starts_with('/'))) {
        let text = edited(&[("path = \"/data\"", format!("path = {}", toml_str(&mount)))]);
        assert_refused(&text, "container_app.container.volume_mounts[0].path")?;
    }

    #[test]
    fn secret_env_name_is_literal(env in env_name()) {
        let text = format!("{}\n[[container_app.secrets]]\nname = \"database-url\"\nenv = {}\n", prod_with_cleanup(), toml_str(&env));
        let stack = load(&text)?;
        let r = render_both(&stack);
        let body = &r.hcl.iter().find(|(n, _)| n == "main.tf").unwrap().1;
        let rendered = body.blocks().flat_map(|b| b.body().blocks()).filter(|b| b.identifier() == "template")
            .flat_map(|t| t.body().blocks()).flat_map(|c| c.body().blocks())
            .filter(|e| e.identifier() == "env")
            .filter(|e| e.body().attributes().any(|a| a.key() == "secret_name"))
            .find_map(|e| e.body().attributes().find(|a| a.key() == "name").and_then(|a| hcl_literal(a.expr())));
        prop_assert_eq!(rendered, Some(env));
    }

    #[test]
    fn secret_env_names_that_are_not_names_are_refused(env in text().prop_filter("not an env name", |n| !is_env_name(n))) {
        let text = format!("{}\n[[container_app.secrets]]\nname = \"database-url\"\nenv = {}\n", prod_with_cleanup(), toml_str(&env));
        assert_refused(&text, "container_app.secrets[0].env")?;
    }

    #[test]
    fn cleanup_filter_and_ago_reach_the_command_as_one_argument_each(repo in filter_regex(false), tag in filter_regex(true), ago in ago()) {
        let filter = format!("{repo}:{tag}");
        let stack = load(&with_filter_and_ago(&filter, &ago))?;
        check_task(&stack, &filter, &ago);
    }

    /// Random text is nearly never a filter and an ago acr purge reads: refused, naming the field.
    #[test]
    fn cleanup_filter_and_ago_that_acr_purge_misreads_are_refused(filter in text(), ago in text()) {
        let valid = Stack::from_toml("stacks/prod.toml", &with_filter_and_ago(&filter, "0d")).is_ok();
        prop_assume!(!valid);
        assert_refused(&with_filter_and_ago(&filter, "0d"), "container_registry.cleanup.filter")?;
        let valid = Stack::from_toml("stacks/prod.toml", &with_filter_and_ago(".*:.*", &ago)).is_ok();
        if !valid {
            assert_refused(&with_filter_and_ago(".*:.*", &ago), "container_registry.cleanup.ago")?;
        }
    }

    /// Escaping by construction, not only validation: a stack built in Rust and never validated renders any
    /// filter and ago as literal text and as exactly one shell argument each.
    #[test]
    fn cleanup_unvalidated_values_are_still_escaped(filter in text(), ago in text()) {
        let mut stack = Stack::from_toml("stacks/prod.toml", &prod_with_cleanup()).unwrap();
        let task = stack.container_registry.as_mut().unwrap().cleanup.as_mut().unwrap();
        task.filter = filter.clone();
        task.ago = ago.clone();
        check_task(&stack, &filter, &ago);
    }
}

/// The cleanup task's `task_content` heredoc in `main.tf`, read with hcl-edit: its text when it is only literal
/// text, with the common indentation stripped as `<<-` does.
fn heredoc_literal(main_tf: &str) -> Option<String> {
    let body = hcl_edit::parser::parse_body(main_tf).ok()?;
    let task = body
        .get_blocks("resource")
        .find(|b| b.has_exact_labels(&["azurerm_container_registry_task", "cleanup"]))?;
    let step = task.body.get_blocks("encoded_step").next()?;
    let hcl_edit::expr::Expression::HeredocTemplate(h) = &step.body.get_attribute("task_content")?.value else {
        return None;
    };
    let mut text = String::new();
    for el in h.template.iter() {
        match el {
            hcl_edit::template::Element::Literal(l) => text.push_str(l.value()),
            _ => return None,
        }
    }
    Some(text)
}

/// The task's YAML reads back (HCL and JSON alike) as YAML whose step command splits into exactly
/// `acr purge --filter <filter> --ago <ago> --keep 10 --untagged`.
fn check_task(stack: &Stack, filter: &str, ago: &str) {
    let r = render_both(stack);
    let path = [
        "resource",
        "azurerm_container_registry_task",
        "cleanup",
        "encoded_step",
        "task_content",
    ];
    let from_hcl = match hcl_attr(&r, "main.tf", &path) {
        // hcl-rs turns a parsed heredoc back into template text with its marker-escaping bug (`$$${` becomes
        // `$${`), so heredocs are read with hcl-edit, whose elements are what Terraform reads.
        hcl::Expression::TemplateExpr(t) if matches!(**t, hcl::expr::TemplateExpr::Heredoc(_)) => {
            heredoc_literal(&r.main_tf).expect("task_content is a literal heredoc")
        }
        e => hcl_literal(e).expect("task_content is literal"),
    };
    let from_json = json_literal(json_at(&r, "main.tf.json", &path)).expect("task_content is literal");
    assert_eq!(from_hcl, from_json);
    let docs = yaml_rust2::YamlLoader::load_from_str(&from_hcl).expect("task_content is YAML");
    let cmd = docs[0]["steps"][0]["cmd"].as_str().expect("steps[0].cmd");
    let args = shlex::split(cmd).expect("cmd splits as shell words");
    let expected: Vec<String> = [
        "acr",
        "purge",
        "--filter",
        filter,
        "--ago",
        ago,
        "--keep",
        "10",
        "--untagged",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(args, expected, "{from_hcl}");
    assert_eq!(docs[0]["steps"][0]["timeout"].as_i64(), Some(3600));
}

/// A seed the accept-path property found: acr-cli reads `(?` before the separator as the start of a flags group
/// (`(?i:`), so `\(?:a` has no repository/tag separator for it, and the stack refuses it, naming the filter.
#[test]
fn cleanup_filter_whose_colon_acr_cli_reads_as_a_group_is_refused() {
    let refused = Stack::from_toml("stacks/prod.toml", &with_filter_and_ago("\\(?:a", "0d")).unwrap_err();
    assert!(
        refused.to_string().contains("container_registry.cleanup.filter"),
        "{refused}"
    );
    Stack::from_toml("stacks/prod.toml", &with_filter_and_ago("\\(?x:a", "0d")).unwrap();
}
