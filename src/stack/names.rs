//! Validated names: one newtype per Azure naming rule, so a stack holding a name that Azure would reject at apply
//! time cannot be built. Each type checks its rule in `TryFrom<String>` (which is also how a stack file
//! deserialises it) and explains what would be valid. The rules themselves live in `crate::azurerm::facts::names`
//! (where `infra check` reads them too).

use crate::azurerm::facts::names::{self as facts, NameRule};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A name that breaks its rule: what is wrong and what would be valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameError {
    /// What is wrong with the name.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

impl fmt::Display for NameError {
    /// `message` then `help: …` on the next line (the stack loader splits them again).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\nhelp: {}", self.message, self.help)
    }
}

impl std::error::Error for NameError {}

macro_rules! name_type {
    ($(#[$doc:meta])* $ty:ident, $rule:path) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $ty(String);

        impl $ty {
            /// The rule a valid name follows, in words.
            pub const RULE: &'static str = $rule.rule;

            /// Checks `name` against the rule.
            pub fn new(name: impl Into<String>) -> Result<Self, NameError> {
                let name = name.into();
                let rule: NameRule = $rule;
                if rule.is_valid(&name) {
                    Ok($ty(name))
                } else {
                    Err(NameError {
                        message: format!("{:?} is not a valid {}", name, rule.what),
                        help: format!("a {} is {}", rule.what, rule.rule),
                    })
                }
            }

            /// The name.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        /// The rule as a JSON Schema string: `minLength`, `maxLength` and `pattern` from the rule itself.
        impl schemars::JsonSchema for $ty {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($ty).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                super::schema::name_rule(&$rule)
            }
        }

        impl TryFrom<String> for $ty {
            type Error = NameError;
            fn try_from(name: String) -> Result<Self, NameError> {
                $ty::new(name)
            }
        }

        impl TryFrom<&str> for $ty {
            type Error = NameError;
            fn try_from(name: &str) -> Result<Self, NameError> {
                $ty::new(name)
            }
        }

        impl From<$ty> for String {
            fn from(name: $ty) -> String {
                name.0
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

name_type!(
    /// An Azure region in its normalised form (`westeurope`, not `West Europe`).
    Region,
    facts::REGION
);

name_type!(
    /// A resource group name: 1–90 of ASCII letters, digits, `-`, `_`, `.`, `(`, `)`; not ending with `.`.
    ResourceGroupName,
    facts::RESOURCE_GROUP
);

name_type!(
    /// A container registry name: 5–50 ASCII letters and digits (globally unique as `<name>.azurecr.io`).
    RegistryName,
    facts::REGISTRY
);

name_type!(
    /// A registry webhook name: 5–50 ASCII letters and digits (the provider's `^[a-zA-Z0-9]{5,50}$`,
    /// `validate/container_registry_webhook_name.go`), starting with a letter because it also names the
    /// Terraform resource.
    WebhookName,
    facts::WEBHOOK
);

name_type!(
    /// An ACR task name: 5–50 letters, digits, `-` and `_`.
    TaskName,
    facts::TASK
);

name_type!(
    /// A user-assigned identity name: 3–128 letters, digits, `-`, `_`, starting with a letter or digit.
    IdentityName,
    facts::IDENTITY
);

name_type!(
    /// A Log Analytics workspace name: 4–63 letters, digits and `-`, starting and ending with a letter or digit.
    WorkspaceName,
    facts::WORKSPACE
);

name_type!(
    /// A container app environment name: 2–60 lower-case letters, digits and `-`, starting with a letter, not
    /// ending with `-`.
    EnvironmentName,
    facts::ENVIRONMENT
);

name_type!(
    /// A storage account name: 3–24 lower-case letters and digits (globally unique).
    StorageAccountName,
    facts::STORAGE_ACCOUNT
);

name_type!(
    /// An Azure Files share name: 3–63 lower-case letters, digits and single `-`, not starting or ending with `-`.
    ShareName,
    facts::SHARE
);

name_type!(
    /// The name of a container app environment storage (what a volume's `storage_name` refers to): 1–32
    /// lower-case letters, digits and single `-`, starting with a letter.
    EnvironmentStorageName,
    facts::ENVIRONMENT_STORAGE
);

name_type!(
    /// A container app name: 2–32 lower-case letters, digits and single `-`, starting with a letter, ending with a
    /// letter or digit.
    ContainerAppName,
    facts::CONTAINER_APP
);

name_type!(
    /// A Container Apps job name: 2–32 lower-case letters, digits and single `-`, starting with a letter, ending
    /// with a letter or digit.
    ContainerAppJobName,
    facts::CONTAINER_APP_JOB
);

name_type!(
    /// The key of `[apps.<key>]` or `[jobs.<key>]`: the Terraform resource name of that app or job and the suffix
    /// of its variables (`image_tag_<key>`): 1–40 lower-case letters, digits and `_`, starting with a letter.
    StackKey,
    facts::STACK_KEY
);

name_type!(
    /// A container, volume or scale-rule name inside an app: 1–63 lower-case letters, digits and single `-`,
    /// starting with a letter, ending with a letter or digit.
    ComponentName,
    facts::COMPONENT
);

name_type!(
    /// An app secret's name: 1-253 lower-case letters, digits and `-`, starting and ending with a letter or digit.
    SecretName,
    facts::SECRET
);

name_type!(
    /// An image repository inside the stack's registry, e.g. `fastapi-app` or `team/api`.
    Repository,
    facts::REPOSITORY
);

name_type!(
    /// A virtual network, subnet, network security group or private endpoint name: 1-80 ASCII letters, digits,
    /// '_', '.' or '-', starting with a letter or digit, ending with a letter, digit or '_' (Microsoft Learn,
    /// "Naming rules and restrictions for Azure resources", Microsoft.Network; a virtual network allows 2-64).
    NetworkName,
    facts::NETWORK
);

name_type!(
    /// An Azure subscription ID (a GUID), e.g. `[existing.container_registry] subscription_id`: the registry is
    /// read in that subscription through an aliased provider.
    SubscriptionId,
    facts::SUBSCRIPTION_ID
);

/// The rule a stack's name follows. The name is the stack file's stem (`prod` for `stacks/prod.toml`): it names
/// the output directory `terraform/<name>/` and appears in every generated file's header, so it is a plain name —
/// never a path (`..`), never text that could end a comment (a newline). The one statement of the rule: the
/// loader checks it ([`stack_name_error`]) and docs/stacks.md quotes it.
pub(crate) const STACK_NAME: NameRule = NameRule {
    what: "stack name",
    rule: "1-63 characters: lowercase ASCII letters, digits, '-' and '_', starting with a letter or digit",
    min_len: 1,
    max_len: 63,
    pattern: r"^[a-z0-9][a-z0-9_-]*$",
};

/// Why `name` cannot be a stack's name ([`STACK_NAME`]), if it cannot: the message names it (escaped, so a control
/// character shows as `\n`) and the help says the rule and how to fix it.
pub(crate) fn stack_name_error(name: &str) -> Option<NameError> {
    (!STACK_NAME.is_valid(name)).then(|| NameError {
        message: format!(
            "{name:?} is not a valid {} (the stack's name is its file's stem)",
            STACK_NAME.what
        ),
        help: format!(
            "a {} is {}; rename the file, e.g. stacks/dev.toml",
            STACK_NAME.what, STACK_NAME.rule
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_accept_and_reject() {
        assert!(RegistryName::new("acrfastapiprod").is_ok());
        assert!(RegistryName::new("acr-prod").is_err());
        assert!(ContainerAppName::new("ca-fastapi-prod").is_ok());
        assert!(ContainerAppName::new("ca--x").is_err());
        assert!(ContainerAppName::new("1app").is_err());
        assert!(ContainerAppName::new("a".repeat(33)).is_err());
        assert!(StorageAccountName::new("stfastapiprod").is_ok());
        assert!(StorageAccountName::new("St").is_err());
        assert!(ResourceGroupName::new("rg-app.").is_err());
        assert!(WorkspaceName::new("log-").is_err());
        assert!(IdentityName::new("-id").is_err());
        assert!(Region::new("West Europe").is_err());
    }
}

name_type!(
    /// The resource ID of an existing Key Vault, e.g.
    /// `/subscriptions/<GUID>/resourceGroups/rg-platform/providers/Microsoft.KeyVault/vaults/kv-platform`.
    KeyVaultId,
    facts::KEY_VAULT_ID
);

impl KeyVaultId {
    /// The vault's name: the ID's last segment.
    pub fn vault_name(&self) -> &str {
        self.0.rsplit('/').next().unwrap_or_default()
    }
}

name_type!(
    /// The name of a secret inside a Key Vault: 1-127 ASCII letters, digits and `-`.
    KeyVaultSecretName,
    facts::KEY_VAULT_SECRET
);

name_type!(
    /// An Azure Storage queue name: 3-63 lower-case letters, digits and single `-`.
    StorageQueueName,
    facts::STORAGE_QUEUE
);

name_type!(
    /// A Service Bus namespace: 6-50 letters, digits and `-`, starting with a letter.
    ServiceBusNamespace,
    facts::SERVICE_BUS_NAMESPACE
);

name_type!(
    /// A Service Bus queue, topic or subscription name.
    ServiceBusEntityName,
    facts::SERVICE_BUS_ENTITY
);

name_type!(
    /// A KEDA scaler type, e.g. `redis`.
    KedaScalerType,
    facts::KEDA_SCALER
);

name_type!(
    /// An IANA time zone, e.g. `Europe/London`.
    TimeZone,
    facts::TIME_ZONE
);
