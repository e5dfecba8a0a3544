//! Each app's `[[…custom_domains]]`: the host is a DNS name (RFC 1123 §2.1, RFC 1035 §2.3.4; the pattern in
//! [`limits::HOST_NAME`]), a subdomain that is not the app's own `azurecontainerapps.io` name and not a wildcard
//! (a managed certificate covers one host: Microsoft Learn, "Custom domain names and free managed certificates in
//! Azure Container Apps"), inside its `dns_zone` when one is given, and bound once in the stack (and its
//! certificate's name, derived from the host, once); the app has
//! external ingress (a custom domain is added to an app's ingress: ARM `Microsoft.App/containerApps`
//! `properties.configuration.ingress.customDomains`).

use super::{field, Rules, Seg};
use crate::azurerm::facts::limits::{self, HOST_NAME};
use crate::azurerm::facts::names::pattern_matches;
use crate::stack::{ContainerApp, CustomDomain, Deployed, Stack, Workload, CONTAINER_APPS_DOMAIN};
use std::collections::BTreeMap;
use Seg::{Index, Key};

/// The Microsoft Learn page the help lines cite.
const DOC: &str = "https://learn.microsoft.com/azure/container-apps/custom-domains-managed-certificates";

/// The rules for every app's custom domains, and the rule between them (one binding per host).
pub(super) fn check(stack: &Stack, r: &mut Rules) {
    let mut seen: BTreeMap<&str, String> = BTreeMap::new();
    let mut certificates: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut labels: BTreeMap<String, String> = BTreeMap::new();
    for d in stack.deployed_apps() {
        let Workload::App(app) = d.workload else {
            continue;
        };
        let base = d.path();
        let table = field(&base);
        for (i, domain) in app.custom_domains.iter().enumerate() {
            let at = |keys: &[Seg]| -> Vec<Seg> {
                let mut p = base.clone();
                p.extend([Key("custom_domains"), Index(i)]);
                p.extend_from_slice(keys);
                p
            };
            let here = format!("{table}.custom_domains[{i}]");
            if !host(domain, &here, at(&[Key("name")]), r) {
                continue;
            }
            ingress(app, &here, &table, at(&[Key("name")]), r);
            key_vault_certificate(
                stack,
                &d,
                domain,
                &here,
                at(&[Key("certificate"), Key("key_vault_secret")]),
                r,
            );
            zone(domain, &here, at, r);
            if let Some(first) = seen.insert(domain.name.as_str(), here.clone()) {
                r.push(
                    at(&[Key("name")]),
                    format!("{here}.name = {:?} is also {first}", domain.name),
                    "a host name is bound to one app once: remove one of them".to_string(),
                );
            } else if let Some((host, first)) =
                certificates.insert(domain.certificate_name(), (domain.name.clone(), here.clone()))
            {
                r.push(
                    at(&[Key("name")]),
                    format!(
                        "{here}.name = {:?} gives the certificate name {:?}, as {first}.name = {host:?} does",
                        domain.name,
                        domain.certificate_name()
                    ),
                    "infra names a certificate after its host with '.' as '-', and names are unique in an environment: rename one host, or add it by hand".to_string(),
                );
            } else if let Some(first) = labels.insert(format!("{}_{}", d.label(), domain.label()), here.clone()) {
                r.push(
                    at(&[Key("name")]),
                    format!(
                        "{here} gives the Terraform name {}_{}, as {first} does",
                        d.label(),
                        domain.label()
                    ),
                    "infra names a domain's resources <app key>_<host with '.' and '-' as '_'>: rename the app key or one host".to_string(),
                );
            }
        }
    }
}

/// The host is a DNS name Azure can issue a managed certificate for; `false` when it is not a DNS name at all
/// (the other rules then say nothing more).
fn host(domain: &CustomDomain, here: &str, path: Vec<Seg>, r: &mut Rules) -> bool {
    let name = domain.name.as_str();
    let max = limits::HOST_NAME_MAX_LEN as usize;
    if name.starts_with("*.") {
        r.push(
            path,
            format!("{here}.name = {name:?} is a wildcard, which a managed certificate cannot cover"),
            format!("name each host, e.g. \"shop.example.com\": Azure issues a managed certificate for one host name ({DOC})"),
        );
        return false;
    }
    if name.len() > max || !pattern_matches(HOST_NAME, name) {
        let why = if name.len() > max {
            format!("it is {} characters long, more than {max}", name.len())
        } else if !name.contains('.') {
            "it has one label; a host name has at least two, e.g. \"shop.example.com\"".to_string()
        } else {
            "it is not a DNS name".to_string()
        };
        r.push(
            path,
            format!("{here}.name = {name:?} is not a host name: {why}"),
            format!("write the host in lower case without a trailing dot: labels of 1-63 letters, digits and '-' (not first or last), joined by '.', {max} characters at most (RFC 1123 §2.1)"),
        );
        return false;
    }
    if name == CONTAINER_APPS_DOMAIN || name.ends_with(&format!(".{CONTAINER_APPS_DOMAIN}")) {
        r.push(
            path,
            format!("{here}.name = {name:?} is under {CONTAINER_APPS_DOMAIN}, the domain of the names Azure gives apps"),
            "the app already answers on its own name with Azure's certificate (output …_url): a custom domain is a host in a domain you own".to_string(),
        );
        return false;
    }
    true
}

/// The app has external ingress.
fn ingress(app: &ContainerApp, here: &str, table: &str, path: Vec<Seg>, r: &mut Rules) {
    let why = match &app.ingress {
        None => "has no ingress",
        Some(i) if !i.external_enabled => "has internal ingress only",
        Some(_) => return,
    };
    r.push(
        path,
        format!("{here} is a custom domain, but [{table}] {why}"),
        format!("a custom domain is reached from the internet: add [{table}.ingress] with external_enabled = true (the default), or remove the domain"),
    );
}

/// The zone is a DNS name and holds the host below its apex; without a zone the host is not an apex by its shape
/// (two labels).
fn zone(domain: &CustomDomain, here: &str, at: impl Fn(&[Seg]) -> Vec<Seg>, r: &mut Rules) {
    let name = domain.name.as_str();
    let apex_help = format!("a managed certificate for an apex domain is validated over HTTP with an A record to the environment's static IP, which infra does not render: use a subdomain (e.g. \"www.{name}\"), or add the apex by hand ({DOC})");
    let Some(zone) = &domain.dns_zone else {
        if name.split('.').count() == 2 {
            r.push(
                at(&[Key("name")]),
                format!("{here}.name = {name:?} is an apex domain (a zone's own name), not a subdomain"),
                apex_help,
            );
        }
        return;
    };
    if !pattern_matches(HOST_NAME, &zone.name) {
        r.push(
            at(&[Key("dns_zone"), Key("name")]),
            format!("{here}.dns_zone.name = {:?} is not a DNS zone name", zone.name),
            "write the zone as Azure DNS names it, in lower case without a trailing dot, e.g. \"example.com\""
                .to_string(),
        );
    } else if name == zone.name {
        r.push(
            at(&[Key("name")]),
            format!(
                "{here}.name = {name:?} is the apex of its zone {:?}, not a subdomain",
                zone.name
            ),
            apex_help,
        );
    } else if domain.record_name().is_none() {
        r.push(
            at(&[Key("name")]),
            format!("{here}.name = {name:?} is not in its zone {:?}", zone.name),
            format!(
                "infra writes the records in dns_zone: name a host ending in \".{}\", or the zone that holds {name:?}",
                zone.name
            ),
        );
    }
}

/// A certificate from Key Vault has a vault to come from, and an environment infra can give the identity that reads
/// it: Container Apps reads a Key Vault certificate with a managed identity of the environment (Microsoft Learn,
/// "Import certificates from Azure Key Vault to Azure Container Apps"), which infra assigns to an `[environment]`
/// it creates, not to `[existing.environment]`.
fn key_vault_certificate(
    stack: &Stack,
    d: &Deployed<'_>,
    domain: &CustomDomain,
    here: &str,
    path: Vec<Seg>,
    r: &mut Rules,
) {
    let Some(secret) = domain.certificate.key_vault_secret() else {
        return;
    };
    let table = field(&d.path());
    if d.key_vault(stack).is_none() {
        r.push(
            path,
            format!("{here} reads its certificate from Key Vault secret {:?} but [{table}.key_vault] is not set", secret.as_str()),
            format!("add [{table}.key_vault] with the vault's resource ID: id = \"/subscriptions/…/providers/Microsoft.KeyVault/vaults/<vault>\" (or [existing.key_vault] with that id)"),
        );
    } else if stack.environment.is_none() {
        r.push(
            path,
            format!("{here} reads its certificate from Key Vault, but the environment is [existing.environment], which infra does not change"),
            "the environment reads the certificate with an identity assigned to it: use certificate = \"managed\", or create the environment in this stack ([environment]), or have the platform assign the identity and add the certificate there".to_string(),
        );
    }
}
