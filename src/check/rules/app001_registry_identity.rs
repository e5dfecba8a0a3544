//! APP001: the app pulls from its registry through a managed identity, never a password.

use crate::check::{violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};

pub(super) static RULE: Rule = Rule {
    id: "APP001",
    title: "Container app pulls images with a managed identity",
    severity: Severity::High,
    category: Category::ContainerApp,
    resources: Resources::Types(&["azurerm_container_app"]),
    enabled_when: EnabledWhen::Always,
    description: "Every `registry` block of `azurerm_container_app` sets `identity` and no `username` / \
                  `password_secret_name`; an app whose image comes from an Azure registry has a `registry` block.",
    why: "A registry password is a long-lived secret copied into the app (usually the admin user's, with push \
          rights); a managed identity has no secret to leak or rotate and can be limited to AcrPull.",
    fix: "Use `registry { server = azurerm_container_registry.main.login_server identity = \
          azurerm_user_assigned_identity.app.id }`, list the identity in `identity.identity_ids`, grant it AcrPull \
          on the registry, and delete the password secret.",
    checkov: &[],
    psrule: &["Azure.ContainerApp.ManagedIdentity"],
    check: Check::Custom(check),
};

fn check(ctx: &Context) -> Vec<Violation> {
    let mut out = Vec::new();
    for app in ctx.resources_of("azurerm_container_app") {
        let mut registries = 0;
        for reg in app.body().blocks_of("registry") {
            registries += 1;
            if let Some(a) = reg
                .body
                .attribute("password_secret_name")
                .or_else(|| reg.body.attribute("username"))
            {
                out.push(violation(
                    app,
                    Some(a),
                    reg,
                    "pulls images with a username and password",
                ));
            } else if reg.body.get("identity").is_none() {
                out.push(violation(app, None, reg, "the registry block has no managed identity"));
            }
        }
        if registries == 0 {
            for c in super::containers(app) {
                if let Some(image) = c.body.attribute("image") {
                    let text = crate::terraform::expr::as_str(&image.value).unwrap_or("");
                    if ctx.refers_to_type(app, &image.value, "azurerm_container_registry")
                        || text.contains(".azurecr.io/")
                    {
                        out.push(violation(
                            app,
                            Some(image),
                            c,
                            "the image comes from an Azure registry but the app has no `registry` block with a managed identity",
                        ));
                    }
                }
            }
        }
    }
    out
}
