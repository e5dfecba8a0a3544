//! An app's custom domains (`[[…custom_domains]]`, `src/stack/custom_domain.rs`), each in the order that applies
//! in one run (hashicorp/terraform-provider-azurerm v4.79.0: the acceptance test `basic` of
//! `internal/services/containerapps/container_app_environment_managed_certificate_resource_test.go`, and
//! `website/docs/r/container_app_custom_domain.html.markdown`): the DNS records that prove the domain (when the
//! stack names its Azure DNS zone), the domain on the app without a certificate, then the managed certificate.
//! Terraform names: `<app label>_<host with . and - as _>`, e.g. `azurerm_container_app_custom_domain.web_shop_example_com`.

use super::common::{environment_id, int, r, resource, with_tags};
use crate::stack::{ContainerApp, CustomDomain, Deployed, Stack, RECORD_TTL};
use crate::terraform::{Block, Expression};

/// The resource blocks of every custom domain of the app `d`, each domain's in apply order.
pub(super) fn blocks(stack: &Stack, d: &Deployed<'_>, app: &ContainerApp) -> Vec<Block> {
    let mut blocks = Vec::new();
    for domain in &app.custom_domains {
        let label = format!("{}_{}", d.label(), domain.label());
        let records = dns_records(stack, d, domain, &label);
        let after_records: Vec<Expression> = records
            .iter()
            .map(|b| r(&format!("{}.{}", b.labels[0], b.labels[1])))
            .collect();
        blocks.extend(records);
        blocks.push(custom_domain(d, domain, &label, after_records));
        blocks.push(managed_certificate(stack, domain, &label));
    }
    blocks
}

/// With a zone: the TXT record `asuid.<host>` with the app's verification ID, and the CNAME `<host>` → the app's
/// FQDN (`ingress[0].fqdn`, the app's name, not a revision's).
fn dns_records(stack: &Stack, d: &Deployed<'_>, domain: &CustomDomain, label: &str) -> Vec<Block> {
    let (Some(zone), Some(record), Some(verification)) = (
        domain.dns_zone.as_ref(),
        domain.record_name(),
        domain.verification_record_name(),
    ) else {
        return Vec::new();
    };
    let app = format!("azurerm_container_app.{}", d.label());
    let in_zone = |b: Block, name: &str| {
        b.attr("name", name)
            .attr("zone_name", zone.name.as_str())
            .attr("resource_group_name", zone.resource_group_name.as_str())
            .attr("ttl", int(RECORD_TTL))
    };
    let txt = in_zone(
        resource("azurerm_dns_txt_record", &format!("{label}_verification")),
        &verification,
    )
    .block(Block::new("record").attr("value", r(&format!("{app}.custom_domain_verification_id"))));
    let cname = in_zone(resource("azurerm_dns_cname_record", label), record)
        .attr("record", r(&format!("{app}.ingress[0].fqdn")));
    vec![
        with_tags(txt, stack, "azurerm_dns_txt_record"),
        with_tags(cname, stack, "azurerm_dns_cname_record"),
    ]
}

/// The domain on the app, without a certificate: Azure binds the managed certificate once it is issued, outside
/// Terraform, so the binding's two arguments (both ForceNew) are ignored, or the next plan would replace the
/// domain (the provider's documentation of `azurerm_container_app_custom_domain`, v4.79.0). After the records:
/// Azure checks them when the domain is added.
fn custom_domain(d: &Deployed<'_>, domain: &CustomDomain, label: &str, after: Vec<Expression>) -> Block {
    resource("azurerm_container_app_custom_domain", label)
        .attr("name", domain.name.as_str())
        .attr(
            "container_app_id",
            r(&format!("azurerm_container_app.{}.id", d.label())),
        )
        .block(Block::new("lifecycle").attr(
            "ignore_changes",
            Expression::Array(vec![
                r("certificate_binding_type"),
                r("container_app_environment_certificate_id"),
            ]),
        ))
        .attr_opt("depends_on", (!after.is_empty()).then_some(Expression::Array(after)))
}

/// The managed certificate for the host, validated by its CNAME record (a subdomain's method: Microsoft Learn,
/// "Custom domain names and free managed certificates in Azure Container Apps"), after the domain is on the app:
/// Azure issues one only for a host an app has.
fn managed_certificate(stack: &Stack, domain: &CustomDomain, label: &str) -> Block {
    let t = "azurerm_container_app_environment_managed_certificate";
    let b = resource(t, label)
        .attr("name", domain.certificate_name())
        .attr("container_app_environment_id", environment_id(stack))
        .attr("subject_name", domain.name.as_str())
        .attr("domain_control_validation", "CNAME");
    with_tags(b, stack, t).attr(
        "depends_on",
        Expression::Array(vec![r(&format!("azurerm_container_app_custom_domain.{label}"))]),
    )
}

/// The outputs of an app with a custom domain whose records the user creates (no `dns_zone`): the TXT record's
/// value (sensitive, as the provider marks it) and the CNAME's target. `prefix` is what the app's outputs start
/// with.
pub(super) fn outputs(d: &Deployed<'_>, app: &ContainerApp, prefix: &str) -> Vec<Block> {
    if app.custom_domains.iter().all(|c| c.dns_zone.is_some()) {
        return Vec::new();
    }
    let app_ref = format!("azurerm_container_app.{}", d.label());
    vec![
        Block::new("output")
            .label(format!("{prefix}_custom_domain_verification_id"))
            .attr(
                "description",
                "The value of the TXT record asuid.<host> each custom domain without dns_zone needs.",
            )
            .attr("value", r(&format!("{app_ref}.custom_domain_verification_id")))
            .attr("sensitive", true),
        Block::new("output")
            .label(format!("{prefix}_custom_domain_cname_target"))
            .attr(
                "description",
                "The target of the CNAME record <host> each custom domain without dns_zone needs.",
            )
            .attr("value", r(&format!("{app_ref}.ingress[0].fqdn"))),
    ]
}
