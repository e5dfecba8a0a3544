//! Built-in Azure role definitions infra names. The GUIDs are the same in every tenant and cloud: Microsoft's
//! "Azure built-in roles" reference (learn.microsoft.com/azure/role-based-access-control/built-in-roles).

/// `AcrPull`: pull images from a container registry (what a container app's identity needs).
pub(crate) const ACR_PULL: &str = "7f951dda-4ed3-4680-a7ca-43fe172d538d";

/// `Key Vault Secrets User`: read secret contents in a vault with Azure RBAC authorization (what a container app's
/// identity needs for a `key_vault_secret_id`; Microsoft Learn, "Azure built-in roles", Security section, and
/// "Import certificates / Manage secrets in Azure Container Apps": the identity needs this role on the vault).
pub(crate) const KEY_VAULT_SECRETS_USER: &str = "4633458b-17de-408a-b874-0445c86b69e6";

/// Built-in roles by definition GUID (lower case) and name, for `role_definition_id` spellings.
pub(crate) const BUILTIN: &[(&str, &str)] = &[
    (ACR_PULL, "AcrPull"),
    (KEY_VAULT_SECRETS_USER, "Key Vault Secrets User"),
    ("8311e382-0749-4cb8-b61a-304f252e45ec", "AcrPush"),
    ("c8d4ff99-41c3-41a8-9f60-21dfdad59608", "AcrQuarantineWriter"),
    ("b24988ac-6180-42a0-ab88-20f7382dd24c", "Contributor"),
    ("8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "Owner"),
    ("18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", "User Access Administrator"),
    (
        "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
        "Role Based Access Control Administrator",
    ),
];

/// Roles that must not go to a workload's identity: Microsoft's "Privileged" built-in roles (they manage resources
/// or grant access: learn.microsoft.com/azure/role-based-access-control/built-in-roles/privileged) and AcrPush
/// (replaces the images other apps run).
pub(crate) const PRIVILEGED: &[&str] = &[
    "Owner",
    "Contributor",
    "User Access Administrator",
    "Role Based Access Control Administrator",
    "AcrPush",
];

/// The built-in role a definition ID (a bare GUID or a `…/roleDefinitions/<guid>` ID, any case) names.
pub(crate) fn builtin_name(definition_id: &str) -> Option<&'static str> {
    let guid = super::normalize::last_segment(definition_id);
    BUILTIN.iter().find(|(id, _)| *id == guid).map(|(_, name)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acr_pull_by_guid_or_id_in_any_case() {
        assert_eq!(builtin_name(ACR_PULL), Some("AcrPull"));
        assert_eq!(
            builtin_name("/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/7F951DDA-4ED3-4680-A7CA-43FE172D538D"),
            Some("AcrPull")
        );
        assert_eq!(builtin_name("00000000-0000-0000-0000-000000000000"), None);
    }
}
