//! Where the access token comes from.
//!
//! The chain is azure_identity's usual one: environment (client secret, or workload identity through
//! `AZURE_FEDERATED_TOKEN_FILE`), managed identity (App Service, VM), then the Azure CLI (`az login`). When a client
//! secret is configured we build azure_identity's `ClientSecretCredential` directly (so that its settings can be
//! passed in rather than read from the process environment, which is what tests need).
//!
//! Every credential is wrapped in `GuardedCredential`: a timeout on token requests, and errors turned into
//! [`AzureError`]s whose text is scrubbed of the client secret. Nothing here prints or logs a secret; the secret
//! lives in an `azure_core::auth::Secret`, whose `Debug` is redacted.

use super::error::AzureError;
use async_trait::async_trait;
use azure_core::auth::{AccessToken, Secret, TokenCredential};
use azure_core::error::{Error, ErrorKind};
use azure_core::{HttpClient, Url};
use azure_identity::{ClientSecretCredential, DefaultAzureCredentialBuilder, TokenCredentialOptions};
use oauth2::basic::BasicErrorResponse;
use oauth2::RequestTokenError;
use std::sync::Arc;
use std::time::Duration;

/// Which credential to use.
#[derive(Clone, PartialEq, Eq)]
pub enum CredentialSettings {
    /// A service principal with a client secret (`AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, `AZURE_CLIENT_SECRET`).
    ClientSecret {
        /// `AZURE_TENANT_ID`.
        tenant_id: String,
        /// `AZURE_CLIENT_ID`.
        client_id: String,
        /// `AZURE_CLIENT_SECRET` (never printed).
        secret: Secret,
    },
    /// azure_identity's default chain: workload identity, managed identity, Azure CLI.
    DefaultChain,
}

impl std::fmt::Debug for CredentialSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CredentialSettings::ClientSecret {
                tenant_id, client_id, ..
            } => f
                .debug_struct("ClientSecret")
                .field("tenant_id", tenant_id)
                .field("client_id", client_id)
                .field("secret", &"<REDACTED>")
                .finish(),
            CredentialSettings::DefaultChain => f.write_str("DefaultChain"),
        }
    }
}

impl CredentialSettings {
    /// A client secret when all three of `AZURE_TENANT_ID`, `AZURE_CLIENT_ID` and `AZURE_CLIENT_SECRET` are set
    /// (and not empty); otherwise the default chain.
    pub fn from_lookup(lookup: &dyn Fn(&str) -> Option<String>) -> Self {
        let get = |key: &str| lookup(key).filter(|value| !value.trim().is_empty());
        match (
            get("AZURE_TENANT_ID"),
            get("AZURE_CLIENT_ID"),
            get("AZURE_CLIENT_SECRET"),
        ) {
            (Some(tenant_id), Some(client_id), Some(secret)) => CredentialSettings::ClientSecret {
                tenant_id,
                client_id,
                secret: Secret::new(secret),
            },
            _ => CredentialSettings::DefaultChain,
        }
    }
}

/// Builds the credential for `settings`, token requests going to `authority_host` through `http_client`.
pub(crate) fn build(
    settings: &CredentialSettings,
    authority_host: &Url,
    http_client: Arc<dyn HttpClient>,
    timeout: Duration,
) -> Result<Arc<GuardedCredential>, AzureError> {
    let (inner, token_url, secret): (Arc<dyn TokenCredential>, String, Option<Secret>) = match settings {
        CredentialSettings::ClientSecret {
            tenant_id,
            client_id,
            secret,
        } => {
            let credential = ClientSecretCredential::new(
                http_client,
                authority_host.clone(),
                tenant_id.clone(),
                client_id.clone(),
                secret.secret().to_string(),
            );
            let token_url = format!(
                "{}/{tenant_id}/oauth2/v2.0/token",
                authority_host.as_str().trim_end_matches('/')
            );
            (Arc::new(credential), token_url, Some(secret.clone()))
        }
        CredentialSettings::DefaultChain => {
            let mut options = TokenCredentialOptions::from(http_client);
            options.set_authority_host(authority_host.to_string());
            let credential = DefaultAzureCredentialBuilder::new()
                .with_options(options)
                .build()
                .map_err(|error| AzureError::NoCredential {
                    detail: flatten(&error, None),
                })?;
            (Arc::new(credential), "the default credential chain".to_string(), None)
        }
    };
    Ok(Arc::new(GuardedCredential {
        inner,
        token_url,
        secret,
        timeout,
    }))
}

/// A credential with a timeout and sanitised errors. The error inside the returned `azure_core::Error` is an
/// [`AzureError`], found again by `error::find`.
pub(crate) struct GuardedCredential {
    inner: Arc<dyn TokenCredential>,
    token_url: String,
    secret: Option<Secret>,
    timeout: Duration,
}

impl std::fmt::Debug for GuardedCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GuardedCredential")
            .field("token_url", &self.token_url)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl GuardedCredential {
    fn classify(&self, error: &Error) -> AzureError {
        let token_error = find::<RequestTokenError<Error, BasicErrorResponse>>(error);
        if let Some(RequestTokenError::Request(inner)) = token_error {
            return AzureError::Transport {
                url: self.token_url.clone(),
                detail: self.scrub(&flatten(inner, None)),
            };
        }
        if let Some(RequestTokenError::ServerResponse(response)) = token_error {
            let code = response.error().as_ref().to_string();
            let description = response.error_description().cloned().unwrap_or_default();
            let detail = self.scrub(&format!("{code}: {}", first_line(&description)));
            return match code.as_str() {
                "invalid_client" | "unauthorized_client" | "invalid_grant" => AzureError::CredentialRejected {
                    url: self.token_url.clone(),
                    detail,
                },
                _ => AzureError::NoCredential { detail },
            };
        }
        AzureError::NoCredential {
            detail: self.scrub(&flatten(error, None)),
        }
    }

    fn scrub(&self, text: &str) -> String {
        scrub(text, self.secret.as_ref())
    }
}

#[async_trait]
impl TokenCredential for GuardedCredential {
    async fn get_token(&self, scopes: &[&str]) -> azure_core::Result<AccessToken> {
        match tokio::time::timeout(self.timeout, self.inner.get_token(scopes)).await {
            Ok(Ok(token)) => Ok(token),
            Ok(Err(error)) => Err(Error::new(ErrorKind::Credential, self.classify(&error))),
            Err(_) => Err(Error::new(
                ErrorKind::Credential,
                AzureError::Timeout {
                    url: self.token_url.clone(),
                    after: self.timeout,
                },
            )),
        }
    }

    async fn clear_cache(&self) -> azure_core::Result<()> {
        self.inner.clear_cache().await
    }
}

/// Finds an error of type `T` inside an azure_core error, looking through nested azure_core errors.
pub(crate) fn find<T: std::error::Error + 'static>(error: &Error) -> Option<&T> {
    let mut current = error;
    loop {
        if let Some(found) = current.downcast_ref::<T>() {
            return Some(found);
        }
        current = current.downcast_ref::<Error>()?;
    }
}

/// An error and its sources on one line, optionally scrubbed of a secret.
pub(crate) fn flatten(error: &dyn std::error::Error, secret: Option<&Secret>) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current: Option<&dyn std::error::Error> = Some(error);
    while let Some(err) = current {
        let text = err.to_string().replace('\n', " ");
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        current = err.source();
    }
    scrub(&parts.join(": "), secret)
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("").trim()
}

fn scrub(text: &str, secret: Option<&Secret>) -> String {
    match secret.map(Secret::secret) {
        Some(secret) if !secret.is_empty() => text.replace(secret, "<REDACTED>"),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_secret_needs_all_three_variables() {
        let full = |key: &str| match key {
            "AZURE_TENANT_ID" => Some("t".to_string()),
            "AZURE_CLIENT_ID" => Some("c".to_string()),
            "AZURE_CLIENT_SECRET" => Some("s3cr3t".to_string()),
            _ => None,
        };
        assert!(matches!(
            CredentialSettings::from_lookup(&full),
            CredentialSettings::ClientSecret { .. }
        ));
        let partial = |key: &str| {
            if key == "AZURE_CLIENT_SECRET" {
                Some("s3cr3t".to_string())
            } else {
                None
            }
        };
        assert_eq!(
            CredentialSettings::from_lookup(&partial),
            CredentialSettings::DefaultChain
        );
        let debug = format!("{:?}", CredentialSettings::from_lookup(&full));
        assert!(!debug.contains("s3cr3t"), "{debug}");
    }

    #[test]
    fn scrub_removes_the_secret() {
        let secret = Secret::new("hunter2");
        assert_eq!(scrub("bad hunter2 value", Some(&secret)), "bad <REDACTED> value");
        assert_eq!(scrub("untouched", None), "untouched");
    }
}
