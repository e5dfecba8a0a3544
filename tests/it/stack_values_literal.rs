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
use proptest::test_runner::{Config, FileFailurePersistence};
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

/// Loads `text`; on rejection asserts the error names `key` and returns `None`.
fn load_or_named_error(text: &str, key: &str) -> Option<Stack> {
    match Stack::from_toml("stacks/prod.toml", text) {
        Ok(stack) => Some(stack),
        Err(e) => {
            let msg = e.to_string();
            assert!(
                msg.starts_with("stacks/prod.toml:") && msg.contains(key) && msg.contains("help: "),
                "the error should name {key} and say how to fix it: {msg}"
            );
            None
        }
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn tag_values_and_keys_are_literal(key in text(), value in text()) {
        let text = edited(&[("owner = \"platform-team\"", format!("{} = {}", toml_str(&key), toml_str(&value)))]);
        // Tags are free text in Azure's model; the loader must accept any (a duplicate key is a TOML error).
        let Ok(stack) = Stack::from_toml("stacks/prod.toml", &text) else {
            prop_assert!(key == "application" || key == "environment");
            return Ok(());
        };
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
    fn env_values_and_names_are_literal(name in text(), value in text()) {
        let text = edited(&[("PYTHONUNBUFFERED = \"1\"", format!("{} = {}", toml_str(&name), toml_str(&value)))]);
        let Some(stack) = load_or_named_error(&text, "container_app.container.env") else { return Ok(()) };
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
    fn image_is_literal_inside_its_template(image in text()) {
        let text = edited(&[("image = \"fastapi-app\"", format!("image = {}", toml_str(&image)))]);
        let Some(stack) = load_or_named_error(&text, "image") else { return Ok(()) };
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
    fn image_tag_default_is_literal(tag in text()) {
        let text = edited(&[("image = \"fastapi-app\"", format!("image = \"fastapi-app\"\nimage_tag = {}", toml_str(&tag)))]);
        let Some(stack) = load_or_named_error(&text, "image_tag") else { return Ok(()) };
        let r = render_both(&stack);
        assert_literal(&r, "variables.tf", &["variable", "image_tag", "default"], &["variable", "image_tag", "default"], &tag);
    }

    #[test]
    fn backend_container_and_key_are_literal(container in text(), key in text()) {
        let text = edited(&[
            ("container_name = \"tfstate\"", format!("container_name = {}", toml_str(&container))),
            ("key = \"fastapi-app/prod.tfstate\"", format!("key = {}", toml_str(&key))),
        ]);
        let Some(stack) = load_or_named_error(&text, "backend") else { return Ok(()) };
        let r = render_both(&stack);
        let p = |a: &'static str| ["terraform", "backend", "azurerm", a];
        assert_literal(&r, "versions.tf", &p("container_name"), &p("container_name"), &container);
        assert_literal(&r, "versions.tf", &p("key"), &p("key"), &key);
    }

    #[test]
    fn paths_are_literal(mount in text(), probe in text()) {
        let text = edited(&[
            ("path = \"/data\"", format!("path = {}", toml_str(&mount))),
            ("[container_app.container.liveness_probe]\nport = 8000\npath = \"/health\"",
             format!("[container_app.container.liveness_probe]\nport = 8000\npath = {}", toml_str(&probe))),
        ]);
        let Some(stack) = load_or_named_error(&text, "path") else { return Ok(()) };
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
    fn secret_env_name_is_literal(env in text()) {
        let text = format!("{}\n[[container_app.secrets]]\nname = \"database-url\"\nenv = {}\n", prod_with_cleanup(), toml_str(&env));
        let Some(stack) = load_or_named_error(&text, "container_app.secrets[0].env") else { return Ok(()) };
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
    fn cleanup_filter_and_ago_reach_the_command_as_one_argument_each(filter in text(), ago in text()) {
        let text = edited(&[(
            "keep = 10\nuntagged = true\n",
            format!("keep = 10\nuntagged = true\nfilter = {}\nago = {}\n", toml_str(&filter), toml_str(&ago)),
        )]);
        let Some(stack) = load_or_named_error(&text, "container_registry.cleanup.") else { return Ok(()) };
        check_task(&stack, &filter, &ago);
    }

    /// Escaping by construction, not only validation: a stack built in Rust and never validated renders any
    /// filter and ago as literal text and as exactly one shell argument each.
    #[test]
    fn cleanup_unvalidated_values_are_still_escaped(filter in text(), ago in text()) {
        let mut stack = Stack::from_toml("stacks/prod.toml", &prod_with_cleanup()).unwrap();
        let task = stack.container_registry.cleanup.as_mut().unwrap();
        task.filter = filter.clone();
        task.ago = ago.clone();
        check_task(&stack, &filter, &ago);
    }

    #[test]
    fn cleanup_accepted_filters_reach_the_command_as_one_argument(
        repo in "[a-z0-9._/-]{1,8}|\\.\\*", tag in "[a-zA-Z0-9.*+?^$|()\\[\\]\\\\ -]{1,12}", days in 0u32..400, hours in 0u32..48
    ) {
        let filter = format!("{repo}:{tag}");
        let ago = format!("{days}d{hours}h");
        let text = edited(&[(
            "keep = 10\nuntagged = true\n",
            format!("keep = 10\nuntagged = true\nfilter = {}\nago = {}\n", toml_str(&filter), toml_str(&ago)),
        )]);
        let Some(stack) = load_or_named_error(&text, "container_registry.cleanup.filter") else { return Ok(()) };
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
