//! Azure naming rules, one per kind of name (NOTES.md §13; Microsoft Learn, "Naming rules and restrictions for
//! Azure resources"; the provider's `validate/*_name.go` where it is stricter). The stack's name types
//! (`stack::names`), the name rules of `infra check` (ACR013, APP010) and the stack JSON Schema (`infra schema`:
//! `minLength`, `maxLength`, `pattern`) all read these, so they cannot disagree.
//!
//! A rule is a length range plus a regular expression. The expression is written in the common subset of Rust's
//! `regex` and ECMA-262 (what JSON Schema's `pattern` is): anchored, ASCII classes only, no look-around, no
//! `\w`/`\d` (Unicode-aware in Rust). A "no `--`" rule is written structurally, e.g. `^[a-z](-?[a-z0-9])*$`.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

/// One naming rule: what the name is, the rule in words, and the rule itself (length range and pattern).
#[derive(Clone, Copy)]
pub(crate) struct NameRule {
    /// What the name names, e.g. `"container registry name"`.
    pub what: &'static str,
    /// The rule in words, e.g. `"5-50 ASCII letters and digits, no hyphens"`.
    pub rule: &'static str,
    /// The fewest characters.
    pub min_len: usize,
    /// The most characters.
    pub max_len: usize,
    /// The characters and shape: an anchored regular expression valid in Rust's `regex` and in ECMA-262.
    pub pattern: &'static str,
}

/// Compiled patterns, by pattern text (every rule is a constant, so this holds a few dozen, compiled once).
static COMPILED: LazyLock<Mutex<HashMap<&'static str, &'static regex::Regex>>> = LazyLock::new(Default::default);

impl NameRule {
    /// Whether `name` follows the rule.
    pub(crate) fn is_valid(&self, name: &str) -> bool {
        (self.min_len..=self.max_len).contains(&name.chars().count()) && self.regex().is_match(name)
    }

    fn regex(&self) -> &'static regex::Regex {
        compiled(self.pattern)
    }
}

/// Whether `text` matches `pattern`, one of the rules' pattern constants (compiled once).
pub(crate) fn pattern_matches(pattern: &'static str, text: &str) -> bool {
    compiled(pattern).is_match(text)
}

fn compiled(pattern: &'static str) -> &'static regex::Regex {
    let mut compiled = COMPILED.lock().unwrap_or_else(|e| e.into_inner());
    compiled
        .entry(pattern)
        .or_insert_with(|| Box::leak(Box::new(regex::Regex::new(pattern).expect("a rule's pattern compiles"))))
}

/// An Azure region in its normalised form (`westeurope`, not `West Europe`).
pub(crate) const REGION: NameRule = NameRule {
    what: "location",
    rule: "an Azure region in lower case without spaces, e.g. \"westeurope\" or \"northeurope\"",
    min_len: 2,
    max_len: 40,
    pattern: r"^[a-z][a-z0-9]*$",
};

/// A resource group name: 1–90 of ASCII letters, digits, `-`, `_`, `.`, `(`, `)`; not ending with `.`.
pub(crate) const RESOURCE_GROUP: NameRule = NameRule {
    what: "resource group name",
    rule: "1-90 characters: ASCII letters, digits, '-', '_', '.', '(' or ')', not ending with '.'",
    min_len: 1,
    max_len: 90,
    pattern: r"^[A-Za-z0-9_().-]*[A-Za-z0-9_()-]$",
};

/// A container registry name: 5–50 ASCII letters and digits (globally unique as `<name>.azurecr.io`).
pub(crate) const REGISTRY: NameRule = NameRule {
    what: "container registry name",
    rule: "5-50 ASCII letters and digits, no hyphens",
    min_len: 5,
    max_len: 50,
    pattern: r"^[A-Za-z0-9]*$",
};

/// A registry webhook name: 5–50 ASCII letters and digits (the provider's `^[a-zA-Z0-9]{5,50}$`,
/// `validate/container_registry_webhook_name.go`), starting with a letter because it also names the
/// Terraform resource.
pub(crate) const WEBHOOK: NameRule = NameRule {
    what: "registry webhook name",
    rule: "5-50 ASCII letters and digits, starting with a letter, no hyphens",
    min_len: 5,
    max_len: 50,
    pattern: r"^[A-Za-z][A-Za-z0-9]*$",
};

/// An ACR task name: 5–50 letters, digits, `-` and `_`.
pub(crate) const TASK: NameRule = NameRule {
    what: "registry task name",
    rule: "5-50 ASCII letters, digits, '-' or '_'",
    min_len: 5,
    max_len: 50,
    pattern: r"^[A-Za-z0-9_-]*$",
};

/// A user-assigned identity name: 3–128 letters, digits, `-`, `_`, starting with a letter or digit.
pub(crate) const IDENTITY: NameRule = NameRule {
    what: "user-assigned identity name",
    rule: "3-128 ASCII letters, digits, '-' or '_', starting with a letter or digit",
    min_len: 3,
    max_len: 128,
    pattern: r"^[A-Za-z0-9][A-Za-z0-9_-]*$",
};

/// A Log Analytics workspace name: 4–63 letters, digits and `-`, starting and ending with a letter or digit.
pub(crate) const WORKSPACE: NameRule = NameRule {
    what: "Log Analytics workspace name",
    rule: "4-63 ASCII letters, digits or '-', starting and ending with a letter or digit",
    min_len: 4,
    max_len: 63,
    pattern: r"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$",
};

/// A container app environment name: 2–60 lower-case letters, digits and `-`, starting with a letter, not
/// ending with `-`.
pub(crate) const ENVIRONMENT: NameRule = NameRule {
    what: "container app environment name",
    rule: "2-60 lower-case letters, digits or '-', starting with a letter and ending with a letter or digit, no '--'",
    min_len: 2,
    max_len: 60,
    pattern: r"^[a-z](-?[a-z0-9])*$",
};

/// A storage account name: 3–24 lower-case letters and digits (globally unique).
pub(crate) const STORAGE_ACCOUNT: NameRule = NameRule {
    what: "storage account name",
    rule: "3-24 lower-case letters and digits, no hyphens",
    min_len: 3,
    max_len: 24,
    pattern: r"^[a-z0-9]*$",
};

/// An Azure Files share name: 3–63 lower-case letters, digits and single `-`, not starting or ending with `-`.
pub(crate) const SHARE: NameRule = NameRule {
    what: "file share name",
    rule: "3-63 lower-case letters, digits or '-', not starting or ending with '-', no '--'",
    min_len: 3,
    max_len: 63,
    pattern: r"^[a-z0-9](-?[a-z0-9])*$",
};

/// The name of a container app environment storage (what a volume's `storage_name` refers to): 1–32
/// lower-case letters, digits and single `-`, starting with a letter.
pub(crate) const ENVIRONMENT_STORAGE: NameRule = NameRule {
    what: "environment storage name",
    rule: "1-32 lower-case letters, digits or '-', starting with a letter and ending with a letter or digit, no '--'",
    min_len: 1,
    max_len: 32,
    pattern: r"^[a-z](-?[a-z0-9])*$",
};

/// A container app name: 2–32 lower-case letters, digits and single `-`, starting with a letter, ending with a
/// letter or digit.
pub(crate) const CONTAINER_APP: NameRule = NameRule {
    what: "container app name",
    rule: "2-32 lower-case letters, digits or '-', starting with a letter and ending with a letter or digit, no '--'",
    min_len: 2,
    max_len: 32,
    pattern: r"^[a-z](-?[a-z0-9])*$",
};

/// A Container Apps job name (`Microsoft.App/jobs`): the container app rule. Sources: Microsoft Learn, "Naming
/// rules and restrictions for Azure resources", Microsoft.App (jobs: 2-32, lower-case letters, digits and `-`,
/// starting with a letter, ending with a letter or digit); azurerm 4.79.0 checks a subset
/// (`internal/services/containerapps/validate/validate.go`, `ContainerAppJobName`: lower-case letters, digits and
/// `-`, starting and ending with a letter or digit).
pub(crate) const CONTAINER_APP_JOB: NameRule = NameRule {
    what: "container app job name",
    ..CONTAINER_APP
};

/// The key of an app or job table (`[apps.<key>]`, `[jobs.<key>]`): it becomes a Terraform resource name and
/// the suffix of the app's variables (`image_tag_<key>`), so it is a Terraform identifier (Terraform's
/// "Arguments and Blocks", identifiers: letters, digits, `_` and `-`, not starting with a digit), kept to
/// lower-case letters, digits and `_` so that variable names built from it stay identifiers in every tool.
pub(crate) const STACK_KEY: NameRule = NameRule {
    what: "app or job key",
    rule: "1-40 lower-case letters, digits or '_', starting with a letter",
    min_len: 1,
    max_len: 40,
    pattern: r"^[a-z][a-z0-9_]*$",
};

/// A container, volume or scale-rule name inside an app: 1–63 lower-case letters, digits and single `-`,
/// starting with a letter, ending with a letter or digit.
pub(crate) const COMPONENT: NameRule = NameRule {
    what: "name",
    rule: "1-63 lower-case letters, digits or '-', starting with a letter and ending with a letter or digit, no '--'",
    min_len: 1,
    max_len: 63,
    pattern: r"^[a-z](-?[a-z0-9])*$",
};

/// An app secret's name: 1-253 lower-case letters, digits and `-`, starting and ending with a letter or digit.
pub(crate) const SECRET: NameRule = NameRule {
    what: "secret name",
    rule: "1-253 lower-case letters, digits or '-', starting and ending with a letter or digit",
    min_len: 1,
    max_len: 253,
    pattern: r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$",
};

/// An image repository inside the stack's registry, e.g. `fastapi-app` or `team/api`.
pub(crate) const REPOSITORY: NameRule = NameRule {
    what: "image repository",
    rule: "1-255 lower-case letters, digits, '-', '_', '.' or '/', starting with a letter or digit, without a registry host or tag",
    min_len: 1,
    max_len: 255,
    pattern: r"^[a-z0-9][a-z0-9_./-]*$",
};

/// A virtual network, subnet, network security group or private endpoint name: 1-80 ASCII letters, digits,
/// '_', '.' or '-', starting with a letter or digit, ending with a letter, digit or '_' (Microsoft Learn,
/// "Naming rules and restrictions for Azure resources", Microsoft.Network; a virtual network allows 2-64).
pub(crate) const NETWORK: NameRule = NameRule {
    what: "network resource name",
    rule: "1-80 ASCII letters, digits, '_', '.' or '-', starting with a letter or digit and ending with a letter, digit or '_'",
    min_len: 1,
    max_len: 80,
    pattern: r"^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$",
};

/// An Azure subscription ID: a GUID, 8-4-4-4-12 hexadecimal digits, as `az account show --query id` prints it
/// (Microsoft Learn, "Get subscription and tenant IDs in the Azure portal"; the azurerm provider block's
/// `subscription_id`, which a second, aliased provider block takes to read a registry in another subscription).
pub(crate) const SUBSCRIPTION_ID: NameRule = NameRule {
    what: "subscription ID",
    rule: "a GUID: 8-4-4-4-12 hexadecimal digits, e.g. \"00000000-0000-0000-0000-000000000000\"",
    min_len: 36,
    max_len: 36,
    pattern: r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
};

/// The resource ID of a Key Vault: `/subscriptions/<GUID>/resourceGroups/<group>/providers/Microsoft.KeyVault/vaults/
/// <vault>`, as `az keyvault show --query id` prints it. The vault name is 3-24 letters, digits and `-`, starting
/// with a letter and ending with a letter or digit (Microsoft Learn, "Naming rules and restrictions for Azure
/// resources", Microsoft.KeyVault/vaults; the provider's `keyvault/validate/vault_name.go` at v4.79.0, which also
/// refuses `--`, checked by stack validation).
pub(crate) const KEY_VAULT_ID: NameRule = NameRule {
    what: "Key Vault resource ID",
    rule: "/subscriptions/<subscription GUID>/resourceGroups/<resource group>/providers/Microsoft.KeyVault/vaults/<vault name: 3-24 letters, digits or '-', starting with a letter, ending with a letter or digit>",
    min_len: 108,
    max_len: 218,
    pattern: r"^/subscriptions/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/resourceGroups/[A-Za-z0-9_.()-]{0,89}[A-Za-z0-9_()-]/providers/Microsoft\.KeyVault/vaults/[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]$",
};

/// The name of a secret inside a Key Vault: 1-127 ASCII letters, digits and `-` (Microsoft Learn, "About Azure Key
/// Vault secrets" / "Object identifiers"; the provider's `keyvault/validate/nested_item_name.go` at v4.79.0:
/// `^[0-9a-zA-Z-]+$`).
pub(crate) const KEY_VAULT_SECRET: NameRule = NameRule {
    what: "Key Vault secret name",
    rule: "1-127 ASCII letters, digits or '-'",
    min_len: 1,
    max_len: 127,
    pattern: r"^[0-9A-Za-z-]+$",
};

/// An Azure Storage queue: 3-63 lower-case letters, digits and single `-`, starting and ending with a letter or
/// digit (Microsoft Learn, "Naming queues and metadata").
pub(crate) const STORAGE_QUEUE: NameRule = NameRule {
    what: "storage queue name",
    rule: "3-63 lower-case letters, digits or '-', starting and ending with a letter or digit, no '--'",
    min_len: 3,
    max_len: 63,
    pattern: r"^[a-z0-9](-?[a-z0-9])*$",
};

/// A Service Bus namespace: 6-50 letters, digits and `-`, starting with a letter, ending with a letter or digit
/// (Microsoft Learn, "Naming rules and restrictions for Azure resources", Microsoft.ServiceBus/namespaces).
pub(crate) const SERVICE_BUS_NAMESPACE: NameRule = NameRule {
    what: "Service Bus namespace",
    rule: "6-50 letters, digits or '-', starting with a letter and ending with a letter or digit",
    min_len: 6,
    max_len: 50,
    pattern: r"^[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]$",
};

/// A Service Bus queue, topic or subscription: 1-260 letters, digits, `.`, `-`, `_` and (queues, topics) `/`,
/// starting and ending with a letter or digit (Microsoft Learn, "Naming rules and restrictions for Azure
/// resources", Microsoft.ServiceBus; subscriptions allow 1-50 and no `/`, checked by the same pattern's shape).
pub(crate) const SERVICE_BUS_ENTITY: NameRule = NameRule {
    what: "Service Bus queue, topic or subscription name",
    rule: "1-260 letters, digits, '.', '-', '_' or '/', starting and ending with a letter or digit",
    min_len: 1,
    max_len: 260,
    pattern: r"^[A-Za-z0-9]([A-Za-z0-9./_-]*[A-Za-z0-9])?$",
};

/// A KEDA scaler type, as a custom scale rule's `custom_rule_type` (keda.sh/docs/2.x/scalers: `azure-servicebus`,
/// `redis`, `kafka`, …): lower-case letters, digits and `-`.
pub(crate) const KEDA_SCALER: NameRule = NameRule {
    what: "KEDA scaler type",
    rule: "1-63 lower-case letters, digits or '-', starting with a letter (a KEDA scaler's type, e.g. redis or azure-servicebus)",
    min_len: 1,
    max_len: 63,
    pattern: r"^[a-z][a-z0-9-]*$",
};

/// A KEDA trigger metadata key or trigger parameter (KEDA's camelCase names, e.g. `queueName`, `listLength`).
pub(crate) const KEDA_PARAMETER: NameRule = NameRule {
    what: "KEDA metadata key",
    rule: "1-63 ASCII letters and digits, starting with a letter (KEDA's names, e.g. queueName)",
    min_len: 1,
    max_len: 63,
    pattern: r"^[A-Za-z][A-Za-z0-9]*$",
};

/// An IANA time zone as KEDA's cron scaler takes it (`timezone`: keda.sh/docs/2.x/scalers/cron), e.g. `UTC`,
/// `Europe/London`, `America/Argentina/Buenos_Aires`.
pub(crate) const TIME_ZONE: NameRule = NameRule {
    what: "time zone",
    rule: "an IANA time zone name, e.g. UTC or Europe/London",
    min_len: 1,
    max_len: 64,
    pattern: r"^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$",
};
