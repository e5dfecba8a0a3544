//! Where each rule's checkov and PSRule for Azure equivalents come from, and the lookups other features use (a
//! `#checkov:skip=CKV_AZURE_139:reason` comment names a checkov ID: [`rules_for_checkov`] finds the infra rules it
//! means).
//!
//! checkov: bridgecrewio/checkov (Apache-2.0), commit 03d5fdad8d, `checkov/terraform/checks/…`; each ID below was
//! read in its check's source (the `id = "…"` and the resource and argument it inspects).
//! PSRule for Azure: Azure/PSRule.Rules.Azure (MIT), rule definitions in `src/PSRule.Rules.Azure/rules/` and one
//! page per rule, `docs/en/rules/<name>.md`, published at `https://azure.github.io/PSRule.Rules.Azure/en/rules/<name>/`.

use super::rules::ALL;
use super::Rule;

/// Every checkov check a rule names as an equivalent, with the file that defines it.
#[cfg(test)]
pub(crate) const CHECKOV: &[(&str, &str)] = &[
    (
        "CKV_AZURE_137",
        "checkov/terraform/checks/resource/azure/ACRAdminAccountDisabled.py",
    ),
    (
        "CKV_AZURE_138",
        "checkov/terraform/checks/resource/azure/ACRAnonymousPullDisabled.py",
    ),
    (
        "CKV_AZURE_139",
        "checkov/terraform/checks/resource/azure/ACRPublicNetworkAccessDisabled.py",
    ),
    // "Enable vulnerability scanning for container images": passes for sku Standard or Premium, i.e. not Basic.
    (
        "CKV_AZURE_163",
        "checkov/terraform/checks/resource/azure/ACRContainerScanEnabled.py",
    ),
    (
        "CKV_AZURE_165",
        "checkov/terraform/checks/resource/azure/ACRGeoreplicated.py",
    ),
    (
        "CKV_AZURE_167",
        "checkov/terraform/checks/resource/azure/ACREnableRetentionPolicy.py",
    ),
    (
        "CKV_AZURE_233",
        "checkov/terraform/checks/resource/azure/ACREnableZoneRedundancy.py",
    ),
    (
        "CKV_AZURE_237",
        "checkov/terraform/checks/resource/azure/ACRDedicatedDataEndpointEnabled.py",
    ),
    (
        "CKV2_AZURE_30",
        "checkov/terraform/checks/graph_checks/azure/AzureACR_HTTPSwebhook.yaml",
    ),
    (
        "CKV_AZURE_3",
        "checkov/terraform/checks/resource/azure/StorageAccountsTransportEncryption.py",
    ),
    (
        "CKV_AZURE_35",
        "checkov/terraform/checks/resource/azure/StorageAccountDefaultNetworkAccessDeny.py",
    ),
    (
        "CKV_AZURE_44",
        "checkov/terraform/checks/resource/azure/StorageAccountMinimumTlsVersion.py",
    ),
    (
        "CKV_AZURE_59",
        "checkov/terraform/checks/resource/azure/StorageAccountDisablePublicAccess.py",
    ),
    (
        "CKV_AZURE_190",
        "checkov/terraform/checks/resource/azure/StorageBlobRestrictPublicAccess.py",
    ),
    (
        "CKV2_AZURE_40",
        "checkov/terraform/checks/graph_checks/azure/AzureStorageAccConfigSharedKeyAuth.yaml",
    ),
];

/// checkov checks that ask for the opposite of an infra rule (rule ID, checkov ID, why): a checkov skip for them
/// must not waive the infra rule, and the docs say so.
#[cfg(test)]
pub(crate) const CHECKOV_OPPOSED: &[(&str, &str, &str)] = &[
    (
        "ACR008",
        "CKV_AZURE_164",
        "checkov's ACRUseSignedImages requires `trust_policy_enabled = true`, which Azure now rejects \
         (ContentTrustUnsupported)",
    ),
    (
        "ACR009",
        "CKV_AZURE_166",
        "checkov's ACREnableImageQuarantine requires `quarantine_policy_enabled = true`; infra only allows it with a \
         release path",
    ),
];

/// Every PSRule for Azure rule a rule names as an equivalent. Each was read on its rule page,
/// `docs/en/rules/<name>.md` in Azure/PSRule.Rules.Azure (online: [`psrule_url`]).
#[cfg(test)]
pub(crate) const PSRULE: &[&str] = &[
    "Azure.ACR.AdminUser",
    "Azure.ACR.AnonymousAccess",
    "Azure.ACR.ExportPolicy",
    "Azure.ACR.Firewall",
    "Azure.ACR.GeoReplica",
    "Azure.ACR.MinSku",
    "Azure.ACR.Name",
    "Azure.ACR.Retention",
    "Azure.ContainerApp.Insecure",
    "Azure.ContainerApp.ManagedIdentity",
    "Azure.ContainerApp.MinReplicas",
    "Azure.ContainerApp.Name",
    "Azure.ContainerApp.RestrictIngress",
    "Azure.Resource.AllowedRegions",
    "Azure.Storage.BlobPublicAccess",
    "Azure.Storage.Firewall",
    "Azure.Storage.LocalAuth",
    "Azure.Storage.MinTLS",
    "Azure.Storage.SecureTransfer",
];

/// The infra rules equivalent to checkov check `id` (case-insensitive): what a `#checkov:skip=<id>` comment
/// waives. A check that asks for the opposite of a rule ([`CHECKOV_OPPOSED`]) finds nothing.
pub(crate) fn rules_for_checkov(id: &str) -> Vec<&'static Rule> {
    ALL.iter()
        .copied()
        .filter(|r| r.checkov.iter().any(|c| c.eq_ignore_ascii_case(id)))
        .collect()
}

/// The checkov checks that ask for the opposite of rule `id`, with the reason.
#[cfg(test)]
pub(crate) fn checkov_opposed(id: &str) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
    CHECKOV_OPPOSED
        .iter()
        .filter(move |(rule, _, _)| *rule == id)
        .map(|(_, ckv, why)| (*ckv, *why))
}

/// The page of a PSRule for Azure rule.
#[cfg(test)]
pub(crate) fn psrule_url(name: &str) -> String {
    format!("https://azure.github.io/PSRule.Rules.Azure/en/rules/{name}/")
}

/// The source of a checkov check, as a link to the file in bridgecrewio/checkov.
#[cfg(test)]
pub(crate) fn checkov_url(id: &str) -> Option<String> {
    CHECKOV
        .iter()
        .find(|(c, _)| *c == id)
        .map(|(_, path)| format!("https://github.com/bridgecrewio/checkov/blob/main/{path}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_equivalent_has_a_source_and_every_source_is_used() {
        for r in ALL {
            for c in r.checkov {
                assert!(
                    CHECKOV.iter().any(|(id, _)| id == c),
                    "{}: no source for checkov {c}",
                    r.id
                );
                assert!(
                    checkov_opposed(r.id).all(|(o, _)| o != *c),
                    "{}: {c} both equivalent and opposed",
                    r.id
                );
            }
            for p in r.psrule {
                assert!(PSRULE.contains(p), "{}: no source for PSRule {p}", r.id);
            }
        }
        for (id, _) in CHECKOV {
            assert!(!rules_for_checkov(id).is_empty(), "{id} is listed but no rule names it");
        }
        for name in PSRULE {
            assert!(
                ALL.iter().any(|r| r.psrule.contains(name)),
                "{name} is listed but no rule names it"
            );
        }
        for (rule, _, _) in CHECKOV_OPPOSED {
            assert!(ALL.iter().any(|r| r.id == *rule));
        }
    }

    #[test]
    fn checkov_skips_find_their_rules() {
        let ids = |id: &str| rules_for_checkov(id).iter().map(|r| r.id).collect::<Vec<_>>();
        assert_eq!(ids("CKV_AZURE_139"), ["ACR004"]);
        assert_eq!(ids("ckv_azure_137"), ["ACR001"]);
        assert_eq!(ids("CKV_AZURE_35"), ["STG005"]);
        assert!(ids("CKV_AZURE_164").is_empty(), "opposed: a skip must not waive ACR008");
        assert_eq!(
            checkov_opposed("ACR008").map(|(c, _)| c).collect::<Vec<_>>(),
            ["CKV_AZURE_164"]
        );
    }
}
