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
pub(crate) mod scrub;

pub use credential::CredentialSettings;
pub use error::AzureError;
pub use pipeline::RetrySettings;

use azure_core::auth::TokenCredential;
use azure_core::error::ErrorKind;
use azure_core::{ClientOptions, Context, Method, Pipeline, Request, RetryOptions, TransportOptions, Url};
use credential::GuardedCredential;
use pipeline::{AttemptTimedOut, AttemptTimeoutPolicy, BoundedRetryPolicy};
use serde_json::Value;
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
/// Environment variable setting the cap on one response, in MiB.
pub(crate) const MAX_RESPONSE_ENV: &str = "INFRA_ARM_MAX_RESPONSE_MB";
/// The cap on one response unless `INFRA_ARM_MAX_RESPONSE_MB` says otherwise: 32 MiB, far above any single
/// resource or list page drift reads (ARM pages its lists; a container app's body is a few KiB), and a bound on
/// what a broken or hostile endpoint can make infra hold.
pub(crate) const DEFAULT_MAX_RESPONSE_BYTES: usize = 32 << 20;

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
    /// The cap on one response's body, in bytes (`INFRA_ARM_MAX_RESPONSE_MB`): a larger one is an error.
    pub max_response_bytes: usize,
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
        let max_response_bytes = max_response_bytes(lookup)?;
        Ok(AzureSettings {
            subscription_id: subscription_id.to_ascii_lowercase(),
            arm_endpoint,
            authority_host,
            credential: CredentialSettings::from_lookup(lookup),
            timeout: DEFAULT_TIMEOUT,
            retry: RetrySettings::default(),
            max_response_bytes,
        })
    }
}

/// `INFRA_ARM_MAX_RESPONSE_MB` in bytes, or the default.
fn max_response_bytes(lookup: &dyn Fn(&str) -> Option<String>) -> Result<usize, AzureError> {
    let Some(raw) = lookup(MAX_RESPONSE_ENV).filter(|v| !v.trim().is_empty()) else {
        return Ok(DEFAULT_MAX_RESPONSE_BYTES);
    };
    match raw.trim().parse::<usize>() {
        Ok(mib) if (1..=4096).contains(&mib) => Ok(mib << 20),
        _ => Err(AzureError::Config {
            detail: format!("{MAX_RESPONSE_ENV}='{raw}' must be a whole number of MiB from 1 to 4096 (default 32)"),
        }),
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
            .push(Arc::new(AttemptTimeoutPolicy::new(
                settings.timeout,
                settings.max_response_bytes,
            )));

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

    /// GET an ARM resource; `None` when it does not exist (404 other than for the subscription). The body must be
    /// a JSON object.
    pub(crate) async fn get_json(
        &self,
        path: &str,
        api_version: &str,
        what: &str,
    ) -> Result<Option<Value>, AzureError> {
        let url = self.url(path, api_version)?;
        match self.get_bytes(url.clone()).await? {
            None => Ok(None),
            Some(answer) => parse_object(&answer, &url, what).map(Some),
        }
    }

    /// GET an ARM list, following `nextLink` (on the same host only). A 404 reads as an empty list. Every item
    /// must be a JSON object.
    pub(crate) async fn list_json(
        &self,
        path: &str,
        api_version: &str,
        extra_query: &[(&str, &str)],
        what: &str,
    ) -> Result<Vec<Value>, AzureError> {
        let mut url = self.url(path, api_version)?;
        for (k, v) in extra_query {
            url.query_pairs_mut().append_pair(k, v);
        }
        let mut items = Vec::new();
        for _ in 0..100 {
            let Some(answer) = self.get_bytes(url.clone()).await? else {
                return Ok(items);
            };
            let mut page = parse_object(&answer, &url, what)?;
            let malformed = |detail: String| AzureError::Malformed {
                url: url.to_string(),
                what: what.to_string(),
                detail,
            };
            match page.get_mut("value").map(Value::take) {
                None | Some(Value::Null) => {}
                Some(Value::Array(values)) => {
                    if let Some(i) = values.iter().position(|v| !v.is_object()) {
                        return Err(malformed(format!(
                            "item {i} of `value` is not a JSON object (it is {})",
                            kind(&values[i])
                        )));
                    }
                    items.extend(values);
                }
                Some(other) => return Err(malformed(format!("`value` is not a list (it is {})", kind(&other)))),
            }
            match page.get("nextLink").and_then(Value::as_str).filter(|l| !l.is_empty()) {
                None => return Ok(items),
                Some(link) => {
                    let next = Url::parse(link).map_err(|e| malformed(format!("nextLink is not a URL ({e})")))?;
                    if next.origin() != self.endpoint.origin() {
                        return Err(malformed(format!(
                            "nextLink points at another host ({})",
                            next.origin().ascii_serialization()
                        )));
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

    /// One authenticated GET through the shared pipeline; the answer, or `None` on a resource 404.
    async fn get_bytes(&self, url: Url) -> Result<Option<Answer>, AzureError> {
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
        Answer::read(response)
            .await
            .map(Some)
            .map_err(|e| self.map_error(e, &url))
    }

    /// Turns an azure_core error for `url` into what the user is told.
    pub(crate) fn map_error(&self, error: azure_core::Error, url: &Url) -> AzureError {
        self.classify(error, url).scrubbed()
    }

    fn classify(&self, error: azure_core::Error, url: &Url) -> AzureError {
        let url_text = url.to_string();
        if let Some(too_large) = credential::find::<pipeline::ResponseTooLarge>(&error) {
            return AzureError::TooLarge {
                url: url_text,
                limit: too_large.limit,
            };
        }
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

/// A 2xx answer: its body (already capped and buffered by the pipeline) and its `Content-Type`.
pub(crate) struct Answer {
    pub(crate) body: bytes::Bytes,
    pub(crate) content_type: Option<String>,
}

impl Answer {
    /// Reads a response that the pipeline has buffered.
    pub(crate) async fn read(response: azure_core::Response) -> azure_core::Result<Answer> {
        let content_type = response
            .headers()
            .get_optional_str(&azure_core::headers::CONTENT_TYPE)
            .map(str::to_string);
        let body = response.into_body().collect().await?;
        Ok(Answer { body, content_type })
    }
}

/// What a JSON value is, for a message.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// An answer that should be a JSON object, parsed, its tokens scrubbed ([`scrub::value`]). HTML (a proxy's or a
/// portal's page) is named as such, with its content type and first bytes; any other non-object is an error,
/// never read as an empty resource.
pub(crate) fn parse_object(answer: &Answer, url: &Url, what: &str) -> Result<Value, AzureError> {
    let malformed = |detail: String| AzureError::Malformed {
        url: url.to_string(),
        what: what.to_string(),
        detail,
    };
    if let Some(html) = html(answer) {
        return Err(malformed(html).scrubbed());
    }
    // Checked before anything is built: a malformed body (of any size under the cap) is refused without the tree
    // of values its valid part would make (many times its size).
    serde_json::from_slice::<serde::de::IgnoredAny>(&answer.body).map_err(|e| malformed(e.to_string()))?;
    let mut value: Value = serde_json::from_slice(&answer.body).map_err(|e| malformed(e.to_string()))?;
    if !value.is_object() {
        return Err(malformed(format!(
            "the body is not a JSON object (it is {}); Azure Resource Manager answers a resource as an object",
            kind(&value)
        )));
    }
    scrub::value(&mut value);
    Ok(value)
}

/// Says so when an answer is HTML: by its content type, else by its first bytes (`<!DOCTYPE`, `<html`).
fn html(answer: &Answer) -> Option<String> {
    let start = answer
        .body
        .iter()
        .position(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF)
        .unwrap_or(answer.body.len());
    let head = &answer.body[start..answer.body.len().min(start + 60)];
    let by_type = answer
        .content_type
        .as_deref()
        .is_some_and(|t| t.to_ascii_lowercase().contains("html"));
    let lower = String::from_utf8_lossy(head).to_ascii_lowercase();
    let by_bytes = lower.starts_with("<!doctype") || lower.starts_with("<html") || lower.starts_with("<?xml");
    if !by_type && !by_bytes {
        return None;
    }
    let shown: String = String::from_utf8_lossy(head)
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let content_type = answer.content_type.as_deref().unwrap_or("none given");
    Some(format!(
        "the answer is HTML, not JSON (Content-Type: {content_type}; it starts `{shown}`): something other than \
         Azure Resource Manager answered — check INFRA_ARM_ENDPOINT and any proxy between here and Azure"
    ))
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
