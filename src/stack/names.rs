//! Validated names: one newtype per Azure naming rule (NOTES.md §13), so a stack holding a name that Azure would
//! reject at apply time cannot be built. Each type checks its rule in `TryFrom<String>` (which is also how a
//! stack file deserialises it) and explains what would be valid.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A name that breaks its rule: what is wrong and what would be valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameError {
    pub message: String,
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
    ($(#[$doc:meta])* $ty:ident, $what:literal, $rule:literal, $check:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $ty(String);

        impl $ty {
            /// The rule a valid name follows, in words.
            pub const RULE: &'static str = $rule;

            /// Checks `name` against the rule.
            pub fn new(name: impl Into<String>) -> Result<Self, NameError> {
                let name = name.into();
                let check: fn(&str) -> bool = $check;
                if check(&name) {
                    Ok($ty(name))
                } else {
                    Err(NameError {
                        message: format!("{:?} is not a valid {}", name, $what),
                        help: format!("a {} is {}", $what, $rule),
                    })
                }
            }

            pub fn as_str(&self) -> &str {
                &self.0
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

fn len_in(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.chars().count())
}

fn lower_alnum(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

/// Lower-case letters, digits and single hyphens; starts with a letter, ends with a letter or digit.
fn dns_label(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.ends_with(lower_alnum)
        && s.chars().all(|c| lower_alnum(c) || c == '-')
        && !s.contains("--")
}

name_type!(
    /// An Azure region in its normalised form (`westeurope`, not `West Europe`).
    Region,
    "location",
    "an Azure region in lower case without spaces, e.g. \"westeurope\" or \"northeurope\"",
    |s| len_in(s, 2, 40) && s.chars().all(lower_alnum) && s.starts_with(|c: char| c.is_ascii_lowercase())
);

name_type!(
    /// A resource group name: 1–90 of ASCII letters, digits, `-`, `_`, `.`, `(`, `)`; not ending with `.`.
    ResourceGroupName,
    "resource group name",
    "1-90 characters: ASCII letters, digits, '-', '_', '.', '(' or ')', not ending with '.'",
    |s| len_in(s, 1, 90)
        && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_.()".contains(c))
        && !s.ends_with('.')
);

name_type!(
    /// A container registry name: 5–50 ASCII letters and digits (globally unique as `<name>.azurecr.io`).
    RegistryName,
    "container registry name",
    "5-50 ASCII letters and digits, no hyphens",
    |s| len_in(s, 5, 50) && s.chars().all(|c| c.is_ascii_alphanumeric())
);

name_type!(
    /// A registry webhook name: 5–50 ASCII letters and digits (the provider's `^[a-zA-Z0-9]{5,50}$`,
    /// `validate/container_registry_webhook_name.go`), starting with a letter because it also names the
    /// Terraform resource.
    WebhookName,
    "registry webhook name",
    "5-50 ASCII letters and digits, starting with a letter, no hyphens",
    |s| len_in(s, 5, 50) && s.starts_with(|c: char| c.is_ascii_alphabetic()) && s.chars().all(|c| c.is_ascii_alphanumeric())
);

name_type!(
    /// An ACR task name: 5–50 letters, digits, `-` and `_`.
    TaskName,
    "registry task name",
    "5-50 ASCII letters, digits, '-' or '_'",
    |s| len_in(s, 5, 50) && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
);

name_type!(
    /// A user-assigned identity name: 3–128 letters, digits, `-`, `_`, starting with a letter or digit.
    IdentityName,
    "user-assigned identity name",
    "3-128 ASCII letters, digits, '-' or '_', starting with a letter or digit",
    |s| len_in(s, 3, 128)
        && s.starts_with(|c: char| c.is_ascii_alphanumeric())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
);

name_type!(
    /// A Log Analytics workspace name: 4–63 letters, digits and `-`, starting and ending with a letter or digit.
    WorkspaceName,
    "Log Analytics workspace name",
    "4-63 ASCII letters, digits or '-', starting and ending with a letter or digit",
    |s| len_in(s, 4, 63)
        && s.starts_with(|c: char| c.is_ascii_alphanumeric())
        && s.ends_with(|c: char| c.is_ascii_alphanumeric())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
);

name_type!(
    /// A container app environment name: 2–60 lower-case letters, digits and `-`, starting with a letter, not
    /// ending with `-`.
    EnvironmentName,
    "container app environment name",
    "2-60 lower-case letters, digits or '-', starting with a letter and ending with a letter or digit, no '--'",
    |s| len_in(s, 2, 60) && dns_label(s)
);

name_type!(
    /// A storage account name: 3–24 lower-case letters and digits (globally unique).
    StorageAccountName,
    "storage account name",
    "3-24 lower-case letters and digits, no hyphens",
    |s| len_in(s, 3, 24) && s.chars().all(lower_alnum)
);

name_type!(
    /// An Azure Files share name: 3–63 lower-case letters, digits and single `-`, not starting or ending with `-`.
    ShareName,
    "file share name",
    "3-63 lower-case letters, digits or '-', not starting or ending with '-', no '--'",
    |s| len_in(s, 3, 63)
        && s.chars().all(|c| lower_alnum(c) || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
);

name_type!(
    /// The name of a container app environment storage (what a volume's `storage_name` refers to): 1–32
    /// lower-case letters, digits and single `-`, starting with a letter.
    EnvironmentStorageName,
    "environment storage name",
    "1-32 lower-case letters, digits or '-', starting with a letter and ending with a letter or digit, no '--'",
    |s| len_in(s, 1, 32) && dns_label(s)
);

name_type!(
    /// A container app name: 2–32 lower-case letters, digits and single `-`, starting with a letter, ending with a
    /// letter or digit.
    ContainerAppName,
    "container app name",
    "2-32 lower-case letters, digits or '-', starting with a letter and ending with a letter or digit, no '--'",
    |s| len_in(s, 2, 32) && dns_label(s)
);

name_type!(
    /// A container, volume or scale-rule name inside an app: 1–63 lower-case letters, digits and single `-`,
    /// starting with a letter, ending with a letter or digit.
    ComponentName,
    "name",
    "1-63 lower-case letters, digits or '-', starting with a letter and ending with a letter or digit, no '--'",
    |s| len_in(s, 1, 63) && dns_label(s)
);

name_type!(
    /// An app secret's name: 1-253 lower-case letters, digits and `-`, starting and ending with a letter or digit.
    SecretName,
    "secret name",
    "1-253 lower-case letters, digits or '-', starting and ending with a letter or digit",
    |s| len_in(s, 1, 253)
        && s.starts_with(lower_alnum)
        && s.ends_with(lower_alnum)
        && s.chars().all(|c| lower_alnum(c) || c == '-')
);

name_type!(
    /// An image repository inside the stack's registry, e.g. `fastapi-app` or `team/api`.
    Repository,
    "image repository",
    "1-255 lower-case letters, digits, '-', '_', '.' or '/', starting with a letter or digit, without a registry host or tag",
    |s| len_in(s, 1, 255)
        && s.starts_with(lower_alnum)
        && s.chars().all(|c| lower_alnum(c) || "-_./".contains(c))
);

name_type!(
    /// A virtual network, subnet, network security group or private endpoint name: 1-80 ASCII letters, digits,
    /// '_', '.' or '-', starting with a letter or digit, ending with a letter, digit or '_' (Microsoft Learn,
    /// "Naming rules and restrictions for Azure resources", Microsoft.Network; a virtual network allows 2-64).
    NetworkName,
    "network resource name",
    "1-80 ASCII letters, digits, '_', '.' or '-', starting with a letter or digit and ending with a letter, digit or '_'",
    |s| len_in(s, 1, 80)
        && s.starts_with(|c: char| c.is_ascii_alphanumeric())
        && s.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
);

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
