//! Azure naming rules, one per kind of name (NOTES.md §13; Microsoft Learn, "Naming rules and restrictions for
//! Azure resources"; the provider's `validate/*_name.go` where it is stricter). The stack's name types
//! (`stack::names`) and the name rules of `infra check` (ACR013, APP010) both call these, so they cannot disagree.

/// One naming rule: what the name is, the rule in words, and the predicate.
#[derive(Clone, Copy)]
pub struct NameRule {
    /// What the name names, e.g. `"container registry name"`.
    pub what: &'static str,
    /// The rule in words, e.g. `"5-50 ASCII letters and digits, no hyphens"`.
    pub rule: &'static str,
    check: fn(&str) -> bool,
}

impl NameRule {
    /// Whether `name` follows the rule.
    pub fn is_valid(&self, name: &str) -> bool {
        (self.check)(name)
    }
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

/// An Azure region in its normalised form (`westeurope`, not `West Europe`).
pub const REGION: NameRule = NameRule {
    what: "location",
    rule: "an Azure region in lower case without spaces, e.g. \"westeurope\" or \"northeurope\"",
    check: |s| len_in(s, 2, 40) && s.chars().all(lower_alnum) && s.starts_with(|c: char| c.is_ascii_lowercase()),
};

/// A resource group name: 1–90 of ASCII letters, digits, `-`, `_`, `.`, `(`, `)`; not ending with `.`.
pub const RESOURCE_GROUP: NameRule = NameRule {
    what: "resource group name",
    rule: "1-90 characters: ASCII letters, digits, '-', '_', '.', '(' or ')', not ending with '.'",
    check: |s| {
        len_in(s, 1, 90) && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_.()".contains(c)) && !s.ends_with('.')
    },
};

/// A container registry name: 5–50 ASCII letters and digits (globally unique as `<name>.azurecr.io`).
pub const REGISTRY: NameRule = NameRule {
    what: "container registry name",
    rule: "5-50 ASCII letters and digits, no hyphens",
    check: |s| len_in(s, 5, 50) && s.chars().all(|c| c.is_ascii_alphanumeric()),
};

/// A registry webhook name: 5–50 ASCII letters and digits (the provider's `^[a-zA-Z0-9]{5,50}$`,
/// `validate/container_registry_webhook_name.go`), starting with a letter because it also names the
/// Terraform resource.
pub const WEBHOOK: NameRule = NameRule {
    what: "registry webhook name",
    rule: "5-50 ASCII letters and digits, starting with a letter, no hyphens",
    check: |s| {
        len_in(s, 5, 50)
            && s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars().all(|c| c.is_ascii_alphanumeric())
    },
};

/// An ACR task name: 5–50 letters, digits, `-` and `_`.
pub const TASK: NameRule = NameRule {
    what: "registry task name",
    rule: "5-50 ASCII letters, digits, '-' or '_'",
    check: |s| len_in(s, 5, 50) && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
};

/// A user-assigned identity name: 3–128 letters, digits, `-`, `_`, starting with a letter or digit.
pub const IDENTITY: NameRule = NameRule {
    what: "user-assigned identity name",
    rule: "3-128 ASCII letters, digits, '-' or '_', starting with a letter or digit",
    check: |s| {
        len_in(s, 3, 128)
            && s.starts_with(|c: char| c.is_ascii_alphanumeric())
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    },
};

/// A Log Analytics workspace name: 4–63 letters, digits and `-`, starting and ending with a letter or digit.
pub const WORKSPACE: NameRule = NameRule {
    what: "Log Analytics workspace name",
    rule: "4-63 ASCII letters, digits or '-', starting and ending with a letter or digit",
    check: |s| {
        len_in(s, 4, 63)
            && s.starts_with(|c: char| c.is_ascii_alphanumeric())
            && s.ends_with(|c: char| c.is_ascii_alphanumeric())
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    },
};

/// A container app environment name: 2–60 lower-case letters, digits and `-`, starting with a letter, not
/// ending with `-`.
pub const ENVIRONMENT: NameRule = NameRule {
    what: "container app environment name",
    rule: "2-60 lower-case letters, digits or '-', starting with a letter and ending with a letter or digit, no '--'",
    check: |s| len_in(s, 2, 60) && dns_label(s),
};

/// A storage account name: 3–24 lower-case letters and digits (globally unique).
pub const STORAGE_ACCOUNT: NameRule = NameRule {
    what: "storage account name",
    rule: "3-24 lower-case letters and digits, no hyphens",
    check: |s| len_in(s, 3, 24) && s.chars().all(lower_alnum),
};

/// An Azure Files share name: 3–63 lower-case letters, digits and single `-`, not starting or ending with `-`.
pub const SHARE: NameRule = NameRule {
    what: "file share name",
    rule: "3-63 lower-case letters, digits or '-', not starting or ending with '-', no '--'",
    check: |s| {
        len_in(s, 3, 63)
            && s.chars().all(|c| lower_alnum(c) || c == '-')
            && !s.starts_with('-')
            && !s.ends_with('-')
            && !s.contains("--")
    },
};

/// The name of a container app environment storage (what a volume's `storage_name` refers to): 1–32
/// lower-case letters, digits and single `-`, starting with a letter.
pub const ENVIRONMENT_STORAGE: NameRule = NameRule {
    what: "environment storage name",
    rule: "1-32 lower-case letters, digits or '-', starting with a letter and ending with a letter or digit, no '--'",
    check: |s| len_in(s, 1, 32) && dns_label(s),
};

/// A container app name: 2–32 lower-case letters, digits and single `-`, starting with a letter, ending with a
/// letter or digit.
pub const CONTAINER_APP: NameRule = NameRule {
    what: "container app name",
    rule: "2-32 lower-case letters, digits or '-', starting with a letter and ending with a letter or digit, no '--'",
    check: |s| len_in(s, 2, 32) && dns_label(s),
};

/// A container, volume or scale-rule name inside an app: 1–63 lower-case letters, digits and single `-`,
/// starting with a letter, ending with a letter or digit.
pub const COMPONENT: NameRule = NameRule {
    what: "name",
    rule: "1-63 lower-case letters, digits or '-', starting with a letter and ending with a letter or digit, no '--'",
    check: |s| len_in(s, 1, 63) && dns_label(s),
};

/// An app secret's name: 1-253 lower-case letters, digits and `-`, starting and ending with a letter or digit.
pub const SECRET: NameRule = NameRule {
    what: "secret name",
    rule: "1-253 lower-case letters, digits or '-', starting and ending with a letter or digit",
    check: |s| {
        len_in(s, 1, 253)
            && s.starts_with(lower_alnum)
            && s.ends_with(lower_alnum)
            && s.chars().all(|c| lower_alnum(c) || c == '-')
    },
};

/// An image repository inside the stack's registry, e.g. `fastapi-app` or `team/api`.
pub const REPOSITORY: NameRule = NameRule {
    what: "image repository",
    rule: "1-255 lower-case letters, digits, '-', '_', '.' or '/', starting with a letter or digit, without a registry host or tag",
    check: |s| len_in(s, 1, 255)
            && s.starts_with(lower_alnum)
            && s.chars().all(|c| lower_alnum(c) || "-_./".contains(c)),
};

/// A virtual network, subnet, network security group or private endpoint name: 1-80 ASCII letters, digits,
/// '_', '.' or '-', starting with a letter or digit, ending with a letter, digit or '_' (Microsoft Learn,
/// "Naming rules and restrictions for Azure resources", Microsoft.Network; a virtual network allows 2-64).
pub const NETWORK: NameRule = NameRule {
    what: "network resource name",
    rule: "1-80 ASCII letters, digits, '_', '.' or '-', starting with a letter or digit and ending with a letter, digit or '_'",
    check: |s| len_in(s, 1, 80)
            && s.starts_with(|c: char| c.is_ascii_alphanumeric())
            && s.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
            && s.chars().all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c)),
};
