//! `[[container_app.custom_domains]]` / `[[apps.<key>.custom_domains]]`: a host name of the app's own, with a
//! certificate Azure issues and renews (a managed certificate), and — when the stack names the Azure DNS zone —
//! the DNS records that prove the domain is the app's.
//!
//! What is rendered, in the order that applies in one run (hashicorp/terraform-provider-azurerm v4.79.0: the
//! acceptance test `basic` of `container_app_environment_managed_certificate_resource_test.go` and
//! `website/docs/r/container_app_custom_domain.html.markdown`, "Managed Certificate"; the resource came with
//! hashicorp/terraform-provider-azurerm#31137):
//!
//! 1. with `dns_zone`: `azurerm_dns_txt_record` `asuid.<host>` holding the app's `custom_domain_verification_id`
//!    and `azurerm_dns_cname_record` `<host>` → the app's `ingress[0].fqdn` (Microsoft Learn, "Custom domain
//!    names and free managed certificates in Azure Container Apps": a subdomain's records);
//! 2. `azurerm_container_app_custom_domain` without a certificate, after both records, ignoring changes to
//!    `certificate_binding_type` and `container_app_environment_certificate_id` (Azure binds the managed
//!    certificate to the domain once it is issued, outside Terraform; both arguments force replacement);
//! 3. `azurerm_container_app_environment_managed_certificate` for the host, validated by `CNAME`, after the domain
//!    (Azure issues a certificate only for a host already added to an app).

use super::names::ResourceGroupName;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The TTL, in seconds, of the DNS records infra renders for a custom domain: one hour, the Azure portal's
/// default for a new record set.
pub(crate) const RECORD_TTL: u32 = 3600;

/// The name of the TXT record Azure reads to verify a custom domain: `asuid.<host>` (Microsoft Learn, "Custom
/// domain names and free managed certificates in Azure Container Apps").
pub(crate) const VERIFICATION_RECORD_PREFIX: &str = "asuid";

/// The domain of the names Azure gives apps (`<app>.<hash>.<region>.azurecontainerapps.io`): not a custom domain.
pub(crate) const CONTAINER_APPS_DOMAIN: &str = "azurecontainerapps.io";

/// `[[container_app.custom_domains]]`: a host name the app answers on, with a managed certificate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomDomain {
    /// The host name, e.g. `shop.example.com`: lower-case labels of 1–63 letters, digits and `-` (not first or
    /// last), at least two labels, 253 characters at most; a subdomain (not a zone's apex), no wildcard.
    #[schemars(pattern(crate::azurerm::facts::limits::HOST_NAME), length(max = crate::azurerm::facts::limits::HOST_NAME_MAX_LEN))]
    pub name: String,
    /// The certificate: `"managed"` (the default), issued and renewed by Azure for this host.
    #[serde(default)]
    pub certificate: DomainCertificate,
    /// The Azure DNS zone that holds the host (`name`, `resource_group_name`): infra then writes the TXT and CNAME
    /// records that prove the domain, so one apply creates everything. Without it, create them yourself from the
    /// outputs `…_custom_domain_verification_id` and `…_custom_domain_cname_target` before the domain is added.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_zone: Option<DnsZone>,
}

/// Where a custom domain's certificate comes from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[allow(
    missing_docs,
    reason = "a doc comment here would become a description in the stack JSON Schema (schemars) and change schema/stack.schema.json; the enum's doc says what the values are"
)]
pub enum DomainCertificate {
    #[default]
    #[serde(rename = "managed")]
    Managed,
}

/// `dns_zone = { name, resource_group_name }`: an existing Azure DNS zone (public) that holds a custom domain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DnsZone {
    /// The zone's name, e.g. `example.com`.
    #[schemars(pattern(crate::azurerm::facts::limits::HOST_NAME), length(max = crate::azurerm::facts::limits::HOST_NAME_MAX_LEN))]
    pub name: String,
    /// The resource group of the zone.
    pub resource_group_name: ResourceGroupName,
}

impl CustomDomain {
    /// The host's name relative to its zone (`shop` of `shop.example.com` in `example.com`): the CNAME record's
    /// name. `None` without a zone, or when the host is not under it (validation refuses that).
    pub(crate) fn record_name(&self) -> Option<&str> {
        let zone = &self.dns_zone.as_ref()?.name;
        self.name.strip_suffix(zone.as_str())?.strip_suffix('.')
    }

    /// The TXT record's name relative to the zone: `asuid.<record name>`.
    pub(crate) fn verification_record_name(&self) -> Option<String> {
        self.record_name().map(|n| format!("{VERIFICATION_RECORD_PREFIX}.{n}"))
    }

    /// The managed certificate's name in the environment: the host with `.` as `-` (`shop-example-com`), runs of
    /// `-` as one — the provider's `validate.CertificateName` takes lower-case letters, digits, `-` and `.`,
    /// alphanumeric first and last, no `--` (internal/services/containerapps/validate/validate.go, v4.79.0).
    pub(crate) fn certificate_name(&self) -> String {
        let mut out = String::with_capacity(self.name.len());
        for c in self.name.chars().map(|c| if c == '.' { '-' } else { c }) {
            if !(c == '-' && out.ends_with('-')) {
                out.push(c);
            }
        }
        out
    }

    /// The part of the Terraform names of this domain's resources after the app's label: the host with `.` and
    /// `-` as `_` (`shop_example_com`).
    pub(crate) fn label(&self) -> String {
        self.name.replace(['.', '-', '*'], "_")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn domain(name: &str, zone: Option<&str>) -> CustomDomain {
        CustomDomain {
            name: name.to_string(),
            certificate: DomainCertificate::Managed,
            dns_zone: zone.map(|z| DnsZone {
                name: z.to_string(),
                resource_group_name: ResourceGroupName::new("rg-dns").unwrap(),
            }),
        }
    }

    #[test]
    fn names_follow_the_host() {
        let d = domain("shop.eu.example.com", Some("example.com"));
        assert_eq!(d.record_name(), Some("shop.eu"));
        assert_eq!(d.verification_record_name().as_deref(), Some("asuid.shop.eu"));
        assert_eq!(d.certificate_name(), "shop-eu-example-com");
        assert_eq!(d.label(), "shop_eu_example_com");
        assert_eq!(
            domain("xn--bcher-kva.example.com", None).certificate_name(),
            "xn-bcher-kva-example-com"
        );
        // Not under the zone (a suffix of a label is not a subdomain), or no zone at all.
        assert_eq!(domain("shop.badexample.com", Some("example.com")).record_name(), None);
        assert_eq!(domain("shop.example.com", None).record_name(), None);
    }
}
