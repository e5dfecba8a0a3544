//! What can go wrong when talking to Azure, each case phrased for the person running `infra drift`.
//!
//! Messages are built only from what we asked for (URLs, resource names) and from the `code` / `message` of
//! ARM's and Entra ID's error bodies; never from headers, request bodies or credential values.

use std::fmt;
use std::time::Duration;

/// A failure reading live state. A resource that does not exist is *not* an error (it reads as `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AzureError {
    /// No credential in the chain produced a token (nothing configured, or every source failed).
    NoCredential {
        /// What each source said.
        detail: String,
    },
    /// Entra ID or ARM rejected the credential (HTTP 401).
    CredentialRejected {
        /// The request.
        url: String,
        /// What the answer said.
        detail: String,
    },
    /// ARM answered 403: the identity lacks a permission.
    Forbidden {
        /// The request.
        url: String,
        /// The resource group asked about, if any.
        resource_group: Option<String>,
        /// The permission missing (`Microsoft.ContainerRegistry/registries/read`), when ARM names it.
        action: Option<String>,
        /// What the answer said.
        detail: String,
    },
    /// ARM answered 404 for the subscription itself.
    SubscriptionNotFound {
        /// The subscription.
        subscription_id: String,
    },
    /// 429 or 5xx on every attempt.
    RetriesExhausted {
        /// The request.
        url: String,
        /// How many attempts were made.
        attempts: u32,
        /// The last HTTP status.
        status: u16,
        /// The last ARM error code, if any.
        code: Option<String>,
    },
    /// No answer within the per-request timeout.
    Timeout {
        /// The request.
        url: String,
        /// The timeout.
        after: Duration,
    },
    /// A 2xx answer whose body is not the JSON we expect.
    Malformed {
        /// The request.
        url: String,
        /// What was expected.
        what: String,
        /// Why it did not parse.
        detail: String,
    },
    /// An answer larger than the cap on one response (`INFRA_ARM_MAX_RESPONSE_MB`); reading stopped there.
    TooLarge {
        /// The request.
        url: String,
        /// The cap, in bytes.
        limit: usize,
    },
    /// Any other non-success status.
    Http {
        /// The request.
        url: String,
        /// The HTTP status.
        status: u16,
        /// ARM's error code, if any.
        code: Option<String>,
        /// ARM's error message, if any.
        message: Option<String>,
    },
    /// The request could not be sent (connection refused, DNS, TLS …).
    Transport {
        /// The request.
        url: String,
        /// What failed.
        detail: String,
    },
    /// Our own configuration is unusable (bad endpoint URL, …).
    Config {
        /// What is wrong.
        detail: String,
    },
}

impl fmt::Display for AzureError {
    /// The message, with any token an answer echoed scrubbed (`super::scrub::text`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = String::new();
        self.write(&mut text)?;
        f.write_str(&super::scrub::text(&text))
    }
}

impl AzureError {
    /// The same error with every text taken from an answer scrubbed of tokens ([`super::scrub::text`]), so that
    /// neither its message nor its `Debug` form carries one.
    pub(crate) fn scrubbed(self) -> AzureError {
        let clean = |s: String| super::scrub::text(&s).into_owned();
        match self {
            AzureError::NoCredential { detail } => AzureError::NoCredential { detail: clean(detail) },
            AzureError::CredentialRejected { url, detail } => AzureError::CredentialRejected {
                url: clean(url),
                detail: clean(detail),
            },
            AzureError::Forbidden {
                url,
                resource_group,
                action,
                detail,
            } => AzureError::Forbidden {
                url: clean(url),
                resource_group,
                action,
                detail: clean(detail),
            },
            AzureError::Malformed { url, what, detail } => AzureError::Malformed {
                url: clean(url),
                what,
                detail: clean(detail),
            },
            AzureError::Http {
                url,
                status,
                code,
                message,
            } => AzureError::Http {
                url: clean(url),
                status,
                code: code.map(clean),
                message: message.map(clean),
            },
            AzureError::Transport { url, detail } => AzureError::Transport {
                url: clean(url),
                detail: clean(detail),
            },
            other => other,
        }
    }

    fn write(&self, f: &mut dyn fmt::Write) -> fmt::Result {
        match self {
            AzureError::NoCredential { detail } => write!(
                f,
                "could not get an Azure access token: {detail}. Set AZURE_TENANT_ID, AZURE_CLIENT_ID and \
                 AZURE_CLIENT_SECRET (or AZURE_FEDERATED_TOKEN_FILE for workload identity), run on a host with a \
                 managed identity, or sign in with `az login`"
            ),
            AzureError::CredentialRejected { url, detail } => write!(
                f,
                "Azure rejected the credential (401) at {url}: {}. Check AZURE_TENANT_ID / AZURE_CLIENT_ID and \
                 that the client secret has not expired, or run `az login` again",
                detail.trim_end_matches('.')
            ),
            AzureError::Forbidden {
                url,
                resource_group,
                action,
                detail,
            } => forbidden(f, url, resource_group.as_deref(), action.as_deref(), detail),
            AzureError::SubscriptionNotFound { subscription_id } => write!(
                f,
                "subscription '{subscription_id}' was not found, or the signed-in identity has no access to it. Check \
                 --subscription and that the identity has Reader on the stack's resource group"
            ),
            AzureError::RetriesExhausted {
                url,
                attempts,
                status,
                code,
            } => {
                answered(f, *status, code.as_deref())?;
                write!(f, " on all {attempts} attempts at {url}; try again later")
            }
            AzureError::Timeout { url, after } => write!(
                f,
                "no answer from {url} within {}; raise --timeout or try again later",
                human_duration(*after)
            ),
            AzureError::Malformed { url, what, detail } => {
                write!(f, "malformed response for {what} from {url}: {detail}")
            }
            AzureError::TooLarge { url, limit } => write!(
                f,
                "the answer from {url} is larger than {} (the cap on one Azure Resource Manager response), so it \
                 was not read. If it is genuine, raise the cap: INFRA_ARM_MAX_RESPONSE_MB=<MiB>",
                mebibytes(*limit)
            ),
            AzureError::Http {
                url,
                status,
                code,
                message,
            } => {
                answered(f, *status, code.as_deref())?;
                write!(f, " at {url}")?;
                if let Some(message) = message {
                    write!(f, ": {message}")?;
                }
                Ok(())
            }
            AzureError::Transport { url, detail } => {
                write!(f, "could not reach {url}: {detail}")
            }
            AzureError::Config { detail } => write!(f, "{detail}"),
        }
    }
}

/// `1 MiB`, `512 KiB`: a byte count as the cap is set.
fn mebibytes(bytes: usize) -> String {
    if bytes % (1 << 20) == 0 {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{} KiB", bytes.div_ceil(1 << 10))
    }
}

/// `Azure answered 429 (TooManyRequests)`: the status, and ARM's error code when there is one.
fn answered(f: &mut dyn fmt::Write, status: u16, code: Option<&str>) -> fmt::Result {
    write!(f, "Azure answered {status}")?;
    if let Some(code) = code {
        write!(f, " ({code})")?;
    }
    Ok(())
}

/// A 403: the role the identity needs (Reader) on the scope asked about, and the permission ARM names as
/// missing (else what it said).
fn forbidden(
    f: &mut dyn fmt::Write,
    url: &str,
    resource_group: Option<&str>,
    action: Option<&str>,
    detail: &str,
) -> fmt::Result {
    let scope = match resource_group {
        Some(rg) => format!("resource group '{rg}'"),
        None => "the subscription".to_string(),
    };
    match action {
        Some(action) => write!(
            f,
            "permission denied (403) at {url}: the signed-in identity needs Reader on {scope} \
             (missing permission {action})"
        ),
        None => write!(
            f,
            "permission denied (403) at {url}: the signed-in identity needs Reader on {scope} ({detail})"
        ),
    }
}

impl std::error::Error for AzureError {}

fn human_duration(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{}s", d.as_secs())
    } else {
        format!("{}ms", d.as_millis())
    }
}

/// Pulls the action out of ARM's `AuthorizationFailed` message:
/// "... does not have authorization to perform action 'Microsoft.X/y/read' over scope '...'".
pub(crate) fn authorization_action(message: &str) -> Option<String> {
    let start = message.find("perform action '")? + "perform action '".len();
    let rest = &message[start..];
    let end = rest.find('\'')?;
    Some(rest[..end].to_string())
}

/// The resource group named in an ARM path, if any (case-insensitive segment match).
pub(crate) fn resource_group_of(path: &str) -> Option<String> {
    let mut segments = path.split('/');
    while let Some(segment) = segments.next() {
        if segment.eq_ignore_ascii_case("resourceGroups") {
            return segments.next().map(str::to_string);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extracts_the_action_from_an_authorization_failed_message() {
        let message = "The client 'a' with object id 'b' does not have authorization to perform action \
                       'Microsoft.ContainerRegistry/registries/read' over scope '/subscriptions/s/resourceGroups/rg' \
                       or the scope is invalid.";
        assert_eq!(
            authorization_action(message).as_deref(),
            Some("Microsoft.ContainerRegistry/registries/read")
        );
        assert_eq!(authorization_action("nothing here"), None);
    }

    #[test]
    fn finds_the_resource_group_in_a_path() {
        assert_eq!(
            resource_group_of("/subscriptions/s/resourcegroups/rg-prod/providers/x").as_deref(),
            Some("rg-prod")
        );
        assert_eq!(resource_group_of("/subscriptions/s"), None);
    }
}
