//! `[[container_app.custom_domains]]` / `[[apps.<key>.custom_domains]]`: a host name of the app's own, with a
//! certificate Azure issues and renews (a managed certificate) or one of yours from Key Vault, and — when the stack names the Azure DNS zone —
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
//!
//! A certificate from Key Vault (`certificate = { key_vault_secret }`) is an
//! `azurerm_container_app_environment_certificate` read by the environment with the app's identity (assigned to the
//! environment, granted Key Vault Secrets User on the vault), and the domain binds it with `SniEnabled` after it and
//! the records (`website/docs/r/container_app_environment_certificate.html.markdown`, v4.79.0).

use super::names::{KeyVaultSecretName, ResourceGroupName};
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
    /// The certificate: `"managed"` (the default), issued and renewed by Azure for this host, or
    /// `{ key_vault_secret = "<name>" }`, a certificate of yours in the app's Key Vault.
    #[serde(default)]
    pub certificate: DomainCertificate,
    /// The Azure DNS zone that holds the host (`name`, `resource_group_name`): infra then writes the TXT and CNAME
    /// records that prove the domain, so one apply creates everything. Without it, create them yourself from the
    /// outputs `…_custom_domain_verification_id` and `…_custom_domain_cname_target` before the domain is added.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_zone: Option<DnsZone>,
}

/// Where a custom domain's certificate comes from: `"managed"` (the default; Azure issues and renews it) or
/// `{ key_vault_secret = "<name>" }`, a certificate you bring, stored in the app's Key Vault (its `key_vault`, else
/// `[existing.key_vault]` by `id`) and read from there by the environment with the app's identity.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum DomainCertificate {
    /// A managed certificate (`azurerm_container_app_environment_managed_certificate`).
    #[default]
    Managed,
    /// A certificate in Key Vault (`azurerm_container_app_environment_certificate` with `certificate_key_vault`).
    KeyVault {
        /// The secret of the certificate in the vault (a Key Vault certificate's name is its secret's name).
        key_vault_secret: KeyVaultSecretName,
    },
}

/// What `certificate` takes, as the loader's "valid values" help names it.
const CERTIFICATE_VALUES: &str = "`managed` or a table { key_vault_secret = \"<name in the vault>\" }";

impl Serialize for DomainCertificate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            DomainCertificate::Managed => serializer.serialize_str("managed"),
            DomainCertificate::KeyVault { key_vault_secret } => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("key_vault_secret", key_vault_secret)?;
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for DomainCertificate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(CertificateVisitor)
    }
}

/// Reads `"managed"` or `{ key_vault_secret = … }`, with the loader's wording for anything else.
struct CertificateVisitor;

impl<'de> serde::de::Visitor<'de> for CertificateVisitor {
    type Value = DomainCertificate;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(CERTIFICATE_VALUES)
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<DomainCertificate, E> {
        match v {
            "managed" => Ok(DomainCertificate::Managed),
            _ => Err(E::custom(format!(
                "unknown variant `{v}`, expected {CERTIFICATE_VALUES}"
            ))),
        }
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<DomainCertificate, A::Error> {
        let mut secret = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "key_vault_secret" if secret.is_none() => secret = Some(map.next_value()?),
                "key_vault_secret" => return Err(serde::de::Error::duplicate_field("key_vault_secret")),
                other => return Err(serde::de::Error::unknown_field(other, &["key_vault_secret"])),
            }
        }
        secret
            .map(|key_vault_secret| DomainCertificate::KeyVault { key_vault_secret })
            .ok_or_else(|| serde::de::Error::missing_field("key_vault_secret"))
    }
}

/// `"managed"`, or a closed table with the vault secret's name.
impl JsonSchema for DomainCertificate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "DomainCertificate".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let secret = generator.subschema_for::<KeyVaultSecretName>();
        schemars::json_schema!({
            "description": "Where the certificate comes from: \"managed\" (Azure issues and renews it), or { key_vault_secret = \"<name>\" }, a certificate in the app's Key Vault.",
            "anyOf": [
                { "type": "string", "enum": ["managed"] },
                {
                    "type": "object",
                    "properties": { "key_vault_secret": secret },
                    "required": ["key_vault_secret"],
                    "additionalProperties": false,
                },
            ],
        })
    }
}

impl DomainCertificate {
    /// The Key Vault secret of a certificate brought from Key Vault; `None` for a managed one.
    pub(crate) fn key_vault_secret(&self) -> Option<&KeyVaultSecretName> {
        match self {
            DomainCertificate::Managed => None,
            DomainCertificate::KeyVault { key_vault_secret } => Some(key_vault_secret),
        }
    }
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
            certificate: DomainCertificate::default(),
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
