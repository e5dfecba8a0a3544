//! APP008: the image comes from the stack's registry.

use super::app007_image_pinned::{image_text, judged_images, UNKNOWN};
use crate::check::{violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};
use crate::terraform::{expr, Mode};

pub(super) static RULE: Rule = Rule {
    id: "APP008",
    title: "Container image comes from the stack's registry",
    severity: Severity::Medium,
    category: Category::ContainerApp,
    resources: Resources::Types(&["azurerm_container_app"]),
    enabled_when: EnabledWhen::Always,
    description: "`template.container.image` and `template.init_container.image` of `azurerm_container_app` \
                  refer to a registry of the configuration \
                  (`azurerm_container_registry.x.login_server`, or a literal `<name>.azurecr.io/…` of one of its \
                  registries). Not judged when the configuration has no registry or the host is not a literal. A \
                  conditional image is judged branch by branch, except the first-deploy placeholder of \
                  `var.T == null ? <placeholder> : <image tagged with var.T>` (the registry is empty until CI pushes; \
                  in a plan, infra's placeholder image `mcr.microsoft.com/k8se/quickstart:latest`).",
    why: "Images from public or foreign registries bypass the stack's scanning, retention and network rules, and \
          pulls from Docker Hub are rate-limited.",
    fix: "Import the image into the stack's registry (`az acr import`) and reference \
          `${azurerm_container_registry.main.login_server}/<repo>:<tag>`.",
    checkov: &[],
    psrule: &[],
    check: Check::Custom(check),
};

fn check(ctx: &Context) -> Vec<Violation> {
    let registries: Vec<_> = ctx
        .resources
        .iter()
        .filter(|r| r.resource_type == "azurerm_container_registry")
        .collect();
    if registries.is_empty() {
        return Vec::new();
    }
    let servers: Vec<String> = registries
        .iter()
        .filter(|r| r.mode == Mode::Managed)
        .filter_map(|r| r.get("name").and_then(expr::as_str))
        .map(|n| format!("{}.azurecr.io", n.to_ascii_lowercase()))
        .collect();
    let mut out = Vec::new();
    for app in ctx.resources_of("azurerm_container_app") {
        for c in super::containers(app) {
            let Some(a) = c.body.attribute("image") else { continue };
            for image in judged_images(&a.value) {
                if ctx.refers_to_type(app, image, "azurerm_container_registry") {
                    continue;
                }
                let Some(text) = image_text(image) else { continue };
                let first = text.split('/').next().unwrap_or("");
                let host = if text.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost")
                {
                    first.to_ascii_lowercase()
                } else if text.starts_with(UNKNOWN) {
                    continue;
                } else {
                    "docker.io".to_string()
                };
                if host.contains(UNKNOWN) || servers.contains(&host) {
                    continue;
                }
                out.push(violation(
                    app,
                    Some(a),
                    c,
                    format!("the image comes from {host}, not from the stack's registry"),
                ));
            }
        }
    }
    out
}
