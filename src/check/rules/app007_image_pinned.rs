//! APP007: the image is pinned to a version tag, commit tag or digest.

use crate::check::{violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};
use crate::terraform::{expr, Expression};

pub(super) static RULE: Rule = Rule {
    id: "APP007",
    title: "Container image is pinned",
    severity: Severity::High,
    category: Category::ContainerApp,
    resources: Resources::Types(&["azurerm_container_app", "azurerm_container_app_job"]),
    enabled_when: EnabledWhen::Always,
    description: "`template.container.image` and `template.init_container.image` of `azurerm_container_app` \
                  and `azurerm_container_app_job` (the same `template` blocks in the azurerm 4.79.0 schema) end in a version tag (`:1.4.2`, `:v2`), a \
                  commit tag (`:3f9c2ab`, `:main-3f9c2ab`) or a digest (`@sha256:…`) — not `:latest`, another \
                  moving tag, or no tag. A tag from a variable is judged by the variable's default (what is deployed when \
                  CI passes no value); a variable without a default is not judged. A conditional image is judged \
                  branch by branch, except the first-deploy placeholder of `var.T == null ? <placeholder> : \
                  <image tagged with var.T>`: it only runs until CI first passes a tag (in a plan, where the \
                  conditional is evaluated, infra's placeholder image `mcr.microsoft.com/k8se/quickstart:latest`).",
    why: "A moving tag makes a deployment unrepeatable: two replicas of the same revision can run different code, \
          and a rollback does not roll back.",
    fix: "Deploy an immutable tag produced by CI (version or commit SHA), or a digest.",
    checkov: &[],
    psrule: &[],
    check: Check::Custom(check),
};

/// Interpolations in an image template are replaced by this character.
pub(crate) const UNKNOWN: char = '\u{1}';

/// The image reference as text, with interpolations replaced by [`UNKNOWN`]; `None` when it is not a string.
pub(crate) fn image_text(e: &Expression) -> Option<String> {
    match e {
        Expression::String(s) => Some(s.clone()),
        Expression::TemplateExpr(t) => {
            let template = ::hcl::Template::from_expr(t).ok()?;
            let mut s = String::new();
            for el in template.elements() {
                match el {
                    ::hcl::template::Element::Literal(l) => s.push_str(l),
                    _ => s.push(UNKNOWN),
                }
            }
            Some(s)
        }
        _ => None,
    }
}

fn is_version(tag: &str) -> bool {
    let t = tag.strip_prefix('v').unwrap_or(tag);
    t.starts_with(|c: char| c.is_ascii_digit())
}

fn is_commit(tag: &str) -> bool {
    tag.split(['-', '_', '.']).any(|part| {
        (7..=40).contains(&part.len())
            && part.chars().all(|c| c.is_ascii_hexdigit())
            && part.chars().any(|c| c.is_ascii_digit())
    })
}

/// Why the image is not pinned, or `None` when it is (or cannot be known).
pub(crate) fn unpinned(image: &str) -> Option<String> {
    let last = image.rsplit('/').next().unwrap_or(image);
    if last.contains('@') {
        return None;
    }
    match last.split_once(':') {
        None if last.contains(UNKNOWN) => None,
        None => Some("has no tag (it means `latest`)".to_string()),
        Some((_, tag)) if tag.contains(UNKNOWN) => None,
        Some((_, "latest")) => Some("uses the `latest` tag".to_string()),
        Some((_, tag)) if is_version(tag) || is_commit(tag) => None,
        Some((_, tag)) => Some(format!("uses the moving tag `{tag}`")),
    }
}

/// The image with `${var.x}` interpolations replaced by the literal string default of variable `x`, when it has
/// one; `None` when nothing was substituted.
fn with_variable_defaults(ctx: &Context, e: &Expression) -> Option<(String, Vec<String>)> {
    let Expression::TemplateExpr(t) = e else { return None };
    let template = ::hcl::Template::from_expr(t).ok()?;
    let mut s = String::new();
    let mut used = Vec::new();
    for el in template.elements() {
        match el {
            ::hcl::template::Element::Literal(l) => s.push_str(l),
            ::hcl::template::Element::Interpolation(i) => {
                let default = expr::references(&i.expr)
                    .first()
                    .filter(|r| matches!(i.expr, Expression::Traversal(_)) && r.starts_with("var."))
                    .and_then(|r| {
                        let name = r.trim_start_matches("var.");
                        let default = ctx.config.variable(name)?.body.get("default")?;
                        expr::as_str(default).map(|d| (r.clone(), d.to_string()))
                    });
                match default {
                    Some((r, d)) => {
                        s.push_str(&d);
                        used.push(format!("{r} defaults to \"{d}\""));
                    }
                    None => s.push(UNKNOWN),
                }
            }
            _ => s.push(UNKNOWN),
        }
    }
    (!used.is_empty()).then_some((s, used))
}

/// The variable `x` of a `var.x == null` (or `null == var.x`) condition.
fn null_test(cond: &Expression) -> Option<String> {
    let Expression::Operation(op) = cond else { return None };
    let ::hcl::Operation::Binary(b) = op.as_ref() else {
        return None;
    };
    if b.operator != ::hcl::expr::BinaryOperator::Eq {
        return None;
    }
    let var = |e: &Expression| {
        matches!(e, Expression::Traversal(_))
            .then(|| expr::references(e).into_iter().find(|r| r.starts_with("var.")))
            .flatten()
    };
    match (&b.lhs_expr, &b.rhs_expr) {
        (Expression::Null, e) | (e, Expression::Null) => var(e),
        _ => None,
    }
}

/// The image expressions to judge. A conditional is judged branch by branch; in the first-deploy pattern
/// `var.T == null ? <placeholder> : <image using var.T>` the placeholder is left out (it runs only until CI passes
/// a tag: see docs/first-deploy.md).
pub(crate) fn judged_images(e: &Expression) -> Vec<&Expression> {
    match e {
        Expression::Parenthesis(inner) => judged_images(inner),
        Expression::Conditional(c) => {
            let placeholder = null_test(&c.cond_expr).is_some_and(|v| {
                expr::references(&c.false_expr).contains(&v) && !expr::references(&c.true_expr).contains(&v)
            });
            let mut out = Vec::new();
            if !placeholder {
                out.extend(judged_images(&c.true_expr));
            }
            out.extend(judged_images(&c.false_expr));
            out
        }
        // In a plan the conditional is already evaluated: while `image_tag` is null the planned image is infra's
        // placeholder itself.
        Expression::String(image) if image == crate::stack::PLACEHOLDER_IMAGE => Vec::new(),
        other => vec![other],
    }
}

fn check(ctx: &Context) -> Vec<Violation> {
    let mut out = Vec::new();
    for resource_type in ["azurerm_container_app", "azurerm_container_app_job"] {
        for app in ctx.resources_of(resource_type) {
            for c in super::containers(app) {
                let Some(a) = c.body.attribute("image") else { continue };
                for image in judged_images(&a.value) {
                    out.extend(judge(ctx, app, a, c, image));
                }
            }
        }
    }
    out
}

/// The finding for one image expression, if it is not pinned.
fn judge(
    ctx: &Context,
    app: &crate::terraform::Resource,
    a: &crate::terraform::Attribute,
    c: &crate::terraform::Block,
    image: &Expression,
) -> Option<Violation> {
    if let Some((text, used)) = with_variable_defaults(ctx, image) {
        let why = unpinned(&text)?;
        let shown = text.replace(UNKNOWN, "(known after apply)");
        return Some(violation(
            app,
            Some(a),
            c,
            format!(
                "image {shown} {why} ({}; CI can override it, but a plain apply deploys it)",
                used.join(", ")
            ),
        ));
    }
    let why = unpinned(&image_text(image)?)?;
    let shown = crate::check::references::shown_text(image).unwrap_or_default();
    Some(violation(app, Some(a), c, format!("image {shown} {why}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags() {
        for ok in [
            "acr.azurecr.io/app:1.2.3",
            "app:v2",
            "app:3f9c2ab",
            "app:main-3f9c2ab1",
            "app@sha256:0123456789abcdef",
            "registry:5000/app:1",
            "app:\u{1}",
            "\u{1}",
        ] {
            assert_eq!(unpinned(ok), None, "{ok}");
        }
        for bad in ["app", "app:latest", "registry:5000/app", "nginx:stable", "app:main"] {
            assert!(unpinned(bad).is_some(), "{bad}");
        }
    }
}
