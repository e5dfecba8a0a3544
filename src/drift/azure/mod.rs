//! Everything that talks to Azure: the credential, the HTTP pipeline, the Container Registry client and plain ARM
//! GETs. This is the only module that names azure_identity, azure_core or azure_mgmt_containerregistry, so moving to
//! the 1.x crates touches this folder alone.
//!
//! One `azure_core` HTTP client carries everything: token requests, the registry client's requests and our own ARM
//! GETs, which go through a `Pipeline` built from the very same `ClientOptions` (transport, retry policy, per-attempt
//! timeout) as the registry client's. Bearer tokens come from one `GuardedCredential` (see [`credential`]).

pub(crate) mod credential;
pub(crate) mod error;
pub(crate) mod pipeline;
pub(crate) mod registry;

pub use credential::CredentialSettings;
pub use error::AzureError;
pub use pipeline::RetrySettings;

use azure_core::auth::TokenCredential;
use azure_core::error::ErrorKind;
use azure_core::{ClientOptions, Context, Method, Pipeline, Request, RetryOptions, TransportOptions, Url};
use credential::GuardedCredential;
use pipeline::{AttemptTimedOut, AttemptTimeoutPolicy, BoundedRetryPolicy};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::sync::Arc;
use std::time::Duration;

/// Public-cloud Resource Manager.
pub(crate) const DEFAULT_ARM_ENDPOINT: &str = "https://management.azure.com/";
/// Public-cloud Entra ID.
pub(crate) const DEFAULT_AUTHORITY_HOST: &str = "https://login.microsoftonline.com/";
/// Per-request timeout unless `--timeout` says otherwise.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Environment variable overriding the Resource Manager endpoint (sovereign clouds, tests).
pub(crate) const ARM_ENDPOINT_ENV: &str = "INFRA_ARM_ENDPOINT";
/// Environment variable overriding the Entra ID authority host (azure_identity's own name for it).
pub(crate) const AUTHORITY_HOST_ENV: &str = "AZURE_AUTHORITY_HOST";

/// How to reach Azure.
#[derive(Debug, Clone)]
pub struct AzureSettings {
    /// The subscription the stack lives in.
    pub subscription_id: String,
    /// Azure Resource Manager's endpoint (`INFRA_ARM_ENDPOINT`, default the public cloud's).
    pub arm_endpoint: Url,
    /// Entra ID's authority (`AZURE_AUTHORITY_HOST`).
    pub authority_host: Url,
    /// Which credential to use.
    pub credential: CredentialSettings,
    /// Per request: each attempt, body included, must finish within it. Token requests too.
    pub timeout: Duration,
    /// How failed requests are retried.
    pub retry: RetrySettings,
}

impl AzureSettings {
    /// Settings from the process environment (see [`AzureSettings::from_lookup`]).
    pub(crate) fn from_env(subscription_id: &str) -> Result<Self, AzureError> {
        Self::from_lookup(subscription_id, &|key| std::env::var(key).ok())
    }

    /// Settings from `lookup` (an environment): `INFRA_ARM_ENDPOINT`, `AZURE_AUTHORITY_HOST`, and the credential
    /// variables read by [`CredentialSettings::from_lookup`].
    pub fn from_lookup(subscription_id: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Result<Self, AzureError> {
        if !is_guid(subscription_id) {
            return Err(AzureError::Config {
                detail: format!(
                    "--subscription must be a subscription ID (a GUID such as 00000000-0000-0000-0000-000000000000), \
                     not '{subscription_id}'"
                ),
            });
        }
        let arm_endpoint = endpoint(lookup, ARM_ENDPOINT_ENV, DEFAULT_ARM_ENDPOINT)?;
        let authority_host = endpoint(lookup, AUTHORITY_HOST_ENV, DEFAULT_AUTHORITY_HOST)?;
        Ok(AzureSettings {
            subscription_id: subscription_id.to_ascii_lowercase(),
            arm_endpoint,
            authority_host,
            credential: CredentialSettings::from_lookup(lookup),
            timeout: DEFAULT_TIMEOUT,
            retry: RetrySettings::default(),
        })
    }
}

fn endpoint(lookup: &dyn Fn(&str) -> Option<String>, key: &str, default: &str) -> Result<Url, AzureError> {
    let raw = lookup(key)
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| default.to_string());
    let mut url = Url::parse(raw.trim()).map_err(|e| AzureError::Config {
        detail: format!("{key}='{raw}' is not a URL ({e}); give it as https://host/"),
    })?;
    if url.cannot_be_a_base() || !matches!(url.scheme(), "https" | "http") {
        return Err(AzureError::Config {
            detail: format!("{key}='{raw}' must be an http(s) URL"),
        });
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

pub(crate) fn is_guid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}

/// An authenticated connection to one subscription.
#[derive(Clone)]
pub struct Azure {
    subscription_id: String,
    endpoint: Url,
    scopes: Vec<String>,
    timeout: Duration,
    max_attempts: u32,
    credential: Arc<GuardedCredential>,
    pipeline: Pipeline,
    registry: azure_mgmt_containerregistry::package_2023_07::Client,
}

impl std::fmt::Debug for Azure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Azure")
            .field("subscription_id", &self.subscription_id)
            .field("endpoint", &self.endpoint.as_str())
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl Azure {
    /// Builds the credential and the clients. Sends nothing yet.
    pub fn connect(settings: &AzureSettings) -> Result<Self, AzureError> {
        let http_client = azure_core::new_http_client();
        let credential = credential::build(
            &settings.credential,
            &settings.authority_host,
            http_client.clone(),
            settings.timeout,
        )?;
        let mut options = ClientOptions::new(TransportOptions::new(http_client)).retry(RetryOptions::custom(Arc::new(
            BoundedRetryPolicy::new(settings.retry.clone()),
        )));
        options
            .per_retry_policies_mut()
            .push(Arc::new(AttemptTimeoutPolicy::new(settings.timeout)));

        let scope = settings
            .arm_endpoint
            .join(".default")
            .map_err(|e| AzureError::Config {
                detail: format!("bad ARM endpoint {}: {e}", settings.arm_endpoint),
            })?
            .to_string();
        let scopes = vec![scope];
        let registry = azure_mgmt_containerregistry::package_2023_07::Client::new(
            settings.arm_endpoint.clone(),
            credential.clone() as Arc<dyn TokenCredential>,
            scopes.clone(),
            options.clone(),
        );
        let pipeline = Pipeline::new(
            Some("infra"),
            Some(env!("CARGO_PKG_VERSION")),
            options,
            Vec::new(),
            Vec::new(),
        );
        Ok(Azure {
            subscription_id: settings.subscription_id.clone(),
            endpoint: settings.arm_endpoint.clone(),
            scopes,
            timeout: settings.timeout,
            max_attempts: settings.retry.max_attempts.max(1),
            credential,
            pipeline,
            registry,
        })
    }

    /// The subscription this client reads.
    pub fn subscription_id(&self) -> &str {
        &self.subscription_id
    }

    /// The ARM endpoint, ending in `/`.
    pub fn endpoint(&self) -> &Url {
        &self.endpoint
    }

    /// The URL of an ARM path (starting with `/subscriptions/…`) at an api-version.
    pub(crate) fn url(&self, path: &str, api_version: &str) -> Result<Url, AzureError> {
        let mut url = self
            .endpoint
            .join(path.trim_start_matches('/'))
            .map_err(|e| AzureError::Config {
                detail: format!("bad ARM path {path}: {e}"),
            })?;
        url.query_pairs_mut().append_pair("api-version", api_version);
        Ok(url)
    }

    /// GET an ARM resource; `None` when it does not exist (404 other than for the subscription).
    pub(crate) async fn get_json<T: DeserializeOwned>(
        &self,
        path: &str,
        api_version: &str,
        what: &str,
    ) -> Result<Option<T>, AzureError> {
        let url = self.url(path, api_version)?;
        match self.get_bytes(url.clone()).await? {
            None => Ok(None),
            Some(bytes) => parse(&bytes, &url, what).map(Some),
        }
    }

    /// GET an ARM list, following `nextLink` (on the same host only). A 404 reads as an empty list.
    pub(crate) async fn list_json<T: DeserializeOwned>(
        &self,
        path: &str,
        api_version: &str,
        extra_query: &[(&str, &str)],
        what: &str,
    ) -> Result<Vec<T>, AzureError> {
        #[derive(Deserialize)]
        struct Page<T> {
            #[serde(default = "Vec::new")]
            value: Vec<T>,
            #[serde(rename = "nextLink")]
            next_link: Option<String>,
        }
        let mut url = self.url(path, api_version)?;
        for (k, v) in extra_query {
            url.query_pairs_mut().append_pair(k, v);
        }
        let mut items = Vec::new();
        for _ in 0..100 {
            let Some(bytes) = self.get_bytes(url.clone()).await? else {
                return Ok(items);
            };
            let page: Page<T> = parse(&bytes, &url, what)?;
            items.extend(page.value);
            match page.next_link.filter(|l| !l.is_empty()) {
                None => return Ok(items),
                Some(link) => {
                    let next = Url::parse(&link).map_err(|e| AzureError::Malformed {
                        url: url.to_string(),
                        what: what.to_string(),
                        detail: format!("nextLink is not a URL ({e})"),
                    })?;
                    if next.origin() != self.endpoint.origin() {
                        return Err(AzureError::Malformed {
                            url: url.to_string(),
                            what: what.to_string(),
                            detail: format!(
                                "nextLink points at another host ({})",
                                next.origin().ascii_serialization()
                            ),
                        });
                    }
                    url = next;
                }
            }
        }
        Err(AzureError::Malformed {
            url: url.to_string(),
            what: what.to_string(),
            detail: "more than 100 pages; stopped following nextLink".to_string(),
        })
    }

    /// One authenticated GET through the shared pipeline; the body, or `None` on a resource 404.
    async fn get_bytes(&self, url: Url) -> Result<Option<bytes::Bytes>, AzureError> {
        let scopes: Vec<&str> = self.scopes.iter().map(String::as_str).collect();
        let token = self
            .credential
            .get_token(&scopes)
            .await
            .map_err(|e| self.map_error(e, &url))?;
        let mut request = Request::new(url.clone(), Method::Get);
        request.insert_header(
            azure_core::headers::AUTHORIZATION,
            format!("Bearer {}", token.token.secret()),
        );
        request.insert_header(azure_core::headers::ACCEPT, "application/json");
        let response = match self.pipeline.send(&Context::new(), &mut request).await {
            Ok(response) => response,
            Err(error) if is_resource_not_found(&error) => return Ok(None),
            Err(error) => return Err(self.map_error(error, &url)),
        };
        // The body was buffered within the timeout by AttemptTimeoutPolicy.
        let bytes = response
            .into_body()
            .collect()
            .await
            .map_err(|e| self.map_error(e, &url))?;
        Ok(Some(bytes))
    }

    /// Turns an azure_core error for `url` into what the user is told.
    pub(crate) fn map_error(&self, error: azure_core::Error, url: &Url) -> AzureError {
        let url_text = url.to_string();
        if let Some(ours) = credential::find::<AzureError>(&error) {
            return ours.clone();
        }
        if let Some(timeout) = credential::find::<AttemptTimedOut>(&error) {
            return AzureError::Timeout {
                url: url_text,
                after: timeout.after,
            };
        }
        if let Some(http) = error.as_http_error() {
            let status = u16::from(http.status());
            let code = http.error_code().map(str::to_string);
            let message = http.error_message().map(|m| m.trim().to_string());
            return match status {
                401 => AzureError::CredentialRejected {
                    url: url_text,
                    detail: match (&code, &message) {
                        (Some(c), Some(m)) => format!("{c}: {m}"),
                        (Some(c), None) => c.clone(),
                        (None, Some(m)) => m.clone(),
                        (None, None) => "no details given".to_string(),
                    },
                },
                403 => AzureError::Forbidden {
                    resource_group: error::resource_group_of(url.path()),
                    action: message.as_deref().and_then(error::authorization_action),
                    detail: message.or(code).unwrap_or_else(|| "no details given".to_string()),
                    url: url_text,
                },
                404 => AzureError::SubscriptionNotFound {
                    subscription_id: self.subscription_id.clone(),
                },
                408 | 429 | 500 | 502 | 503 | 504 => AzureError::RetriesExhausted {
                    url: url_text,
                    attempts: self.max_attempts,
                    status,
                    code,
                },
                _ => AzureError::Http {
                    url: url_text,
                    status,
                    code,
                    message,
                },
            };
        }
        match error.kind() {
            ErrorKind::DataConversion => AzureError::Malformed {
                url: url_text,
                what: "the response".to_string(),
                detail: credential::flatten(&error, None),
            },
            ErrorKind::Credential => AzureError::NoCredential {
                detail: credential::flatten(&error, None),
            },
            _ => AzureError::Transport {
                url: url_text,
                detail: credential::flatten(&error, None),
            },
        }
    }

    pub(crate) fn registry_client(&self) -> &azure_mgmt_containerregistry::package_2023_07::Client {
        &self.registry
    }
}

/// A 404 that means "this resource (or its resource group) does not exist", as opposed to the subscription.
pub(crate) fn is_resource_not_found(error: &azure_core::Error) -> bool {
    match error.as_http_error() {
        Some(http) => {
            u16::from(http.status()) == 404
                && !http
                    .error_code()
                    .is_some_and(|code| code.eq_ignore_ascii_case("SubscriptionNotFound"))
        }
        None => false,
    }
}

pub(crate) fn parse<T: DeserializeOwned>(bytes: &[u8], url: &Url, what: &str) -> Result<T, AzureError> {
    serde_json::from_slice(bytes).map_err(|e| AzureError::Malformed {
        url: url.to_string(),
        what: what.to_string(),
        detail: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_read_endpoints_and_check_the_subscription() {
        let env = |key: &str| match key {
            "INFRA_ARM_ENDPOINT" => Some("http://127.0.0.1:9999".to_string()),
            _ => None,
        };
        let settings = AzureSettings::from_lookup("0000AAAA-0000-0000-0000-000000000000", &env).unwrap();
        assert_eq!(settings.arm_endpoint.as_str(), "http://127.0.0.1:9999/");
        assert_eq!(settings.authority_host.as_str(), "https://login.microsoftonline.com/");
        assert_eq!(settings.subscription_id, "0000aaaa-0000-0000-0000-000000000000");
        assert_eq!(settings.credential, CredentialSettings::DefaultChain);

        let err = AzureSettings::from_lookup("prod", &env).unwrap_err();
        assert!(
            err.to_string().contains("--subscription must be a subscription ID"),
            "{err}"
        );
        let bad = |key: &str| (key == "INFRA_ARM_ENDPOINT").then(|| "not a url".to_string());
        let err = AzureSettings::from_lookup("00000000-0000-0000-0000-000000000000", &bad).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("INFRA_ARM_ENDPOINT='not a url' is not a URL"),
            "{err}"
        );
    }
}
