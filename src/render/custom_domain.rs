//! An app's custom domains (`[[…custom_domains]]`, `src/stack/custom_domain.rs`), each in the order that applies
//! in one run (hashicorp/terraform-provider-azurerm v4.79.0: the acceptance test `basic` of
//! `internal/services/containerapps/container_app_environment_managed_certificate_resource_test.go`, and
//! `website/docs/r/container_app_custom_domain.html.markdown`): the DNS records that prove the domain (when the
//! stack names its Azure DNS zone), the domain on the app without a certificate, then the managed certificate; or,
//! for a certificate from Key Vault, the records and the environment's certificate, then the domain bound to it.
//! Terraform names: `<app label>_<host with . and - as _>`, e.g. `azurerm_container_app_custom_domain.web_shop_example_com`.

use super::common::{environment_id, identity, int, r, resource, with_tags};
use crate::stack::names::KeyVaultSecretName;
use crate::stack::{propagation_label, ContainerApp, CustomDomain, Deployed, Stack, RECORD_TTL};
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
        match domain.certificate.key_vault_secret() {
            None => {
                blocks.push(custom_domain(d, domain, &label, after_records));
                blocks.push(managed_certificate(stack, domain, &label));
            }
            Some(secret) => {
                blocks.push(key_vault_certificate(stack, d, domain, secret, &label));
                blocks.push(custom_domain_with_certificate(d, domain, &label, after_records));
            }
        }
    }
    blocks
}

/// The identities the environment reads Key Vault certificates with: the identity of each app with such a
/// domain (`identity_ids` of the environment's `identity` block; empty when no domain brings its certificate).
pub(super) fn environment_identities(stack: &Stack) -> Vec<Expression> {
    let mut labels: Vec<&str> = stack
        .deployed_apps()
        .iter()
        .filter(|d| !d.key_vault_certificates().is_empty())
        .map(|d| d.identity_label())
        .collect();
    labels.sort_unstable();
    labels.dedup();
    labels.into_iter().map(|l| identity(stack, l, "id")).collect()
}

/// A certificate of the user's, read by the environment from the app's Key Vault with the app's identity
/// (assigned to the environment, [`environment_identities`]) once its "Key Vault Secrets User" grant has
/// propagated (the wait `super::role_assignment::propagation_wait` also waits for that grant). The
/// `certificate_key_vault` form of `azurerm_container_app_environment_certificate` (the provider's documentation
/// of that resource, v4.79.0; Microsoft Learn, "Import certificates from Azure Key Vault to Azure Container Apps").
fn key_vault_certificate(
    stack: &Stack,
    d: &Deployed<'_>,
    domain: &CustomDomain,
    secret: &KeyVaultSecretName,
    label: &str,
) -> Block {
    let t = "azurerm_container_app_environment_certificate";
    // Validation requires a vault wherever a certificate is read from one.
    let secret_id = d.key_vault(stack).map(|v| v.secret_id(secret)).unwrap_or_default();
    let b = resource(t, label)
        .attr("name", domain.certificate_name())
        .attr("container_app_environment_id", environment_id(stack))
        .block(
            Block::new("certificate_key_vault")
                .attr("identity", identity(stack, d.identity_label(), "id"))
                .attr("key_vault_secret_id", secret_id),
        );
    let after = vec![
        r(&format!("time_sleep.{}", propagation_label(d.identity_label()))),
        r(&format!("azurerm_role_assignment.{}", d.key_vault_grant_label())),
    ];
    with_tags(b, stack, t).attr("depends_on", Expression::Array(after))
}

/// The domain bound to the certificate from Key Vault with SNI, after the records: nothing changes outside
/// Terraform, so nothing is ignored.
fn custom_domain_with_certificate(
    d: &Deployed<'_>,
    domain: &CustomDomain,
    label: &str,
    after: Vec<Expression>,
) -> Block {
    resource("azurerm_container_app_custom_domain", label)
        .attr("name", domain.name.as_str())
        .attr(
            "container_app_id",
            r(&format!("azurerm_container_app.{}.id", d.label())),
        )
        .attr(
            "container_app_environment_certificate_id",
            r(&format!("azurerm_container_app_environment_certificate.{label}.id")),
        )
        .attr("certificate_binding_type", "SniEnabled")
        .attr_opt("depends_on", (!after.is_empty()).then_some(Expression::Array(after)))
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
