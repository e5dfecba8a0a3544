//! The limits and value rules a stack is checked against, each stated once: the whole-number ranges of settings
//! (retention days, replica counts, probe timings, ports, share quota), the smallest subnet, and the patterns one
//! string value must match. Stack validation (`src/stack/validate/`) checks them and the
//! stack JSON Schema (`#[schemars(range(...))]`, `#[schemars(pattern(...))]` on the model's fields) carries them,
//! so the editor and `infra render` cannot disagree.
//!
//! Unless said otherwise, a range is the provider's validation of the argument as recorded in
//! `src/azurerm/data/provider-notes.json` (`validation`, hashicorp/terraform-provider-azurerm v4.79.0). Name
//! lengths are in [`super::names`], the Consumption CPU/memory steps in [`super::compute`] and the environment
//! subnet size in [`super::network`].

/// The inclusive range of a whole-number setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    /// The smallest value allowed.
    pub min: u32,
    /// The largest value allowed.
    pub max: u32,
}

impl Bounds {
    /// Whether `value` is inside the range.
    pub fn contains(self, value: u32) -> bool {
        (self.min..=self.max).contains(&value)
    }
}

/// `log_analytics.retention_in_days`: `azurerm_log_analytics_workspace.retention_in_days`, 30..730
/// (provider-notes.json).
pub(crate) const LOG_RETENTION_DAYS: Bounds = Bounds { min: 30, max: 730 };
/// `storage.share.quota_gb`: `azurerm_storage_share.quota`, 1..102400 GiB, but a Standard account without large
/// file shares caps at 5120 GiB (provider-notes.json).
pub(crate) const SHARE_QUOTA_GB: Bounds = Bounds { min: 1, max: 5120 };
/// `container_registry.retention_days`: `azurerm_container_registry.retention_policy_in_days`, 0..365, 0 meaning
/// off, so 1..365 when set (provider-notes.json).
pub(crate) const REGISTRY_RETENTION_DAYS: Bounds = Bounds { min: 1, max: 365 };
/// `container_app.scale.min_replicas`: `azurerm_container_app.template.min_replicas`, 0..300 (provider-notes.json;
/// Azure itself allows up to 1000).
pub(crate) const MIN_REPLICAS: Bounds = Bounds { min: 0, max: 300 };
/// `container_app.scale.max_replicas`: `azurerm_container_app.template.max_replicas`, 1..300 (provider-notes.json).
pub(crate) const MAX_REPLICAS: Bounds = Bounds { min: 1, max: 300 };
/// A TCP port: `azurerm_container_app.ingress.target_port` and a probe's `port`, 1..65535 (provider-notes.json).
pub(crate) const PORT: Bounds = Bounds { min: 1, max: 65535 };
/// A probe's `initial_delay` in seconds: `template.container.*_probe.initial_delay`, 0..60 (provider-notes.json).
pub(crate) const PROBE_INITIAL_DELAY: Bounds = Bounds { min: 0, max: 60 };
/// A probe's `interval_seconds` and `timeout` in seconds: `template.container.*_probe.interval_seconds` and
/// `.timeout`, 1..240 (provider-notes.json).
pub(crate) const PROBE_SECONDS: Bounds = Bounds { min: 1, max: 240 };
/// A liveness probe's `failure_count_threshold`: `template.container.liveness_probe.failure_count_threshold`,
/// 1..30 (provider-notes.json).
pub(crate) const LIVENESS_FAILURES: Bounds = Bounds { min: 1, max: 30 };
/// A readiness probe's `failure_count_threshold`: `template.container.readiness_probe.failure_count_threshold`,
/// 1..48 (provider-notes.json, the 4.79 doc string).
pub(crate) const READINESS_FAILURES: Bounds = Bounds { min: 1, max: 48 };
/// A readiness probe's `success_count_threshold`: `template.container.readiness_probe.success_count_threshold`,
/// 1..10 (provider-notes.json).
pub(crate) const READINESS_SUCCESSES: Bounds = Bounds { min: 1, max: 10 };

/// `container_registry.cleanup.keep`: keep at least one tag per repository (`acr purge --keep 0` would delete
/// every tag; Azure/acr-cli `cmd/acr/purge.go`).
pub(crate) const MIN_KEEP: u32 = 1;
/// `container_app.scale.http_concurrent_requests`: at least one request per replica (0 would never scale):
/// `template.http_scale_rule.concurrent_requests`, "string holding an integer >= 1" (provider-notes.json).
pub(crate) const MIN_HTTP_CONCURRENT_REQUESTS: u32 = 1;

/// The longest prefix of a subnet Azure creates: /29 (Microsoft Learn, "Azure Virtual Network FAQ": "the smallest
/// supported IPv4 subnet is /29"; Azure reserves five addresses in each subnet). The environment's subnet has its
/// own, [`super::network::WORKLOAD_PROFILES_LONGEST_PREFIX`].
pub(crate) const SUBNET_LONGEST_PREFIX: u8 = 29;

// Value patterns: the rule of one string value, in the common subset of Rust's `regex` and ECMA-262 (what JSON
// Schema's `pattern` is). Validation matches them (`names::pattern_matches`) and the stack JSON Schema carries them.

/// An environment variable name (`[container_app.container.env]` keys, a secret's `env`): letters, digits and
/// `_`, not starting with a digit (POSIX.1-2017, "Environment Variables": names of portable characters, not
/// beginning with a digit).
pub(crate) const ENV_NAME: &str = r"^[A-Za-z_][A-Za-z0-9_]*$";
/// A webhook's custom header name: 1-64 letters, digits and `-`, starting with a letter (every common header
/// name, a subset of RFC 9110's `token`; it becomes a key of the rendered map).
pub(crate) const HEADER_NAME: &str = r"^[A-Za-z][A-Za-z0-9-]{0,63}$";
/// A webhook scope, `repository[:tag]`, the tag `*` or 1-128 letters, digits, `-`, `_`, `.` (the scopes ACR
/// accepts for a webhook: Microsoft Learn, "Azure Container Registry webhook reference"; a tag is at most 128
/// characters, OCI distribution-spec).
pub(crate) const WEBHOOK_SCOPE: &str = r"^[a-z0-9][a-z0-9_./-]*(:(\*|[A-Za-z0-9_.-]{1,128}))?$";
/// A volume mount path: absolute (`azurerm_container_app.template.container.volume_mounts.path`).
pub(crate) const MOUNT_PATH: &str = r"^/";

/// An IPv4 address, unanchored: four decimal octets 0-255 without leading zeros (as Rust's `Ipv4Addr` reads them).
macro_rules! ipv4 {
    () => {
        r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}"
    };
}

/// An IPv4 network in CIDR notation, `<address>/<prefix>`: the prefix 0-32 in one or two digits. Host bits are
/// arithmetic, checked in `Cidr::parse`.
pub(crate) const CIDR: &str = concat!("^", ipv4!(), r"/([0-2]?[0-9]|3[0-2])$");
/// An IPv4 address, or a range with a prefix length 0-32 (a firewall allow-list entry): four decimal octets
/// as in [`CIDR`], the prefix with any number of leading zeros (as `u8` parsing reads it).
pub(crate) const IPV4_RANGE: &str = concat!("^", ipv4!(), r"(/0*([0-9]|[12][0-9]|3[0-2]))?$");
/// `D.HH:MM:SS`, 1-5 digits of days, hours < 24, minutes and seconds < 60: the form of
/// `azurerm_storage_account.sas_policy.expiration_period` (azurerm v4.79.0
/// `internal/services/storage/storage_account_resource.go`; Azure's `sasExpirationPeriod`). Not zero either,
/// which validation checks.
pub(crate) const SAS_PERIOD: &str = r"^[0-9]{1,5}\.([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$";

/// One DNS label, unanchored: 1-63 lower-case letters, digits and `-`, not starting or ending with `-` (RFC 1123
/// §2.1, RFC 1035 §2.3.4 "Size limits"; lower case because DNS compares names without case and Azure keeps custom
/// domain names as written, so one spelling avoids a change on every plan).
macro_rules! dns_label {
    () => {
        r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"
    };
}

/// A DNS name of at least two labels ([`dns_label`]s joined by `.`, no trailing dot, no wildcard): a custom
/// domain's host name (`[[…custom_domains]] name`; a managed certificate covers one host) and an Azure DNS zone's
/// name. Its length is [`HOST_NAME_MAX_LEN`].
pub(crate) const HOST_NAME: &str = concat!(r"^(", dns_label!(), r"\.)+", dns_label!(), "$");
/// The longest DNS name in text form, without the trailing dot: 253 characters (RFC 1035 §2.3.4: 255 octets
/// on the wire).
pub(crate) const HOST_NAME_MAX_LEN: u32 = 253;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::azurerm::facts::names::pattern_matches;

    #[test]
    fn bounds_are_ranges() {
        for b in [
            LOG_RETENTION_DAYS,
            SHARE_QUOTA_GB,
            REGISTRY_RETENTION_DAYS,
            MIN_REPLICAS,
            MAX_REPLICAS,
            PORT,
            PROBE_INITIAL_DELAY,
            PROBE_SECONDS,
            LIVENESS_FAILURES,
            READINESS_FAILURES,
            READINESS_SUCCESSES,
        ] {
            assert!(b.min <= b.max && b.contains(b.min) && b.contains(b.max), "{b:?}");
        }
    }

    #[test]
    fn patterns_compile_and_match() {
        assert!(pattern_matches(CIDR, "10.20.0.0/16") && !pattern_matches(CIDR, "10.20.0.0"));
        assert!(pattern_matches(HOST_NAME, "shop.example.com") && pattern_matches(HOST_NAME, "example.co.uk"));
        assert!(!pattern_matches(HOST_NAME, "example") && !pattern_matches(HOST_NAME, "-a.example.com"));
        assert!(!pattern_matches(HOST_NAME, "*.example.com") && !pattern_matches(HOST_NAME, "a.example.com."));
        assert!(pattern_matches(IPV4_RANGE, "203.0.113.7") && pattern_matches(IPV4_RANGE, "203.0.113.0/024"));
        assert!(pattern_matches(ENV_NAME, "_A1") && !pattern_matches(ENV_NAME, "1A"));
        assert!(pattern_matches(SAS_PERIOD, "1.00:00:00") && !pattern_matches(SAS_PERIOD, "1.24:00:00"));
        assert!(pattern_matches(WEBHOOK_SCOPE, "app:*") && pattern_matches(MOUNT_PATH, "/data"));
        assert!(pattern_matches(HEADER_NAME, "X-Token") && !pattern_matches(HEADER_NAME, "X_Token"));
    }
}
