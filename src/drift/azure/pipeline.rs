//! The policies we put into azure_core's pipeline: a bounded exponential retry that honours `Retry-After`, and a
//! per-attempt timeout that also covers reading the body.
//!
//! azure_core 0.21 has no request timeout of its own (its `TimeoutPolicy` only adds a `timeout=` query parameter),
//! so `AttemptTimeoutPolicy` is installed as a per-retry policy: each attempt, headers *and* body, must finish
//! within the timeout. A timed-out attempt is not retried: `--timeout` is the ceiling the user asked for.

use async_trait::async_trait;
use azure_core::error::{Error, ErrorKind};
use azure_core::{BytesStream, Context, Policy, PolicyResult, Request, Response, RetryPolicy};
use std::sync::Arc;
use std::time::Duration;

/// How many times a request is sent and how long to wait in between.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetrySettings {
    /// Total attempts, the first included (3 = one try and two retries).
    pub max_attempts: u32,
    /// The wait before the first retry; doubled for each further retry.
    pub initial_backoff: Duration,
    /// Upper bound of our own backoff.
    pub max_backoff: Duration,
    /// Upper bound of a server's `Retry-After` that we honour (a longer one is cut to this).
    pub max_retry_after: Duration,
}

impl Default for RetrySettings {
    fn default() -> Self {
        RetrySettings {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

/// Retries 408, 429, 500, 502, 503 and 504 (azure_core's list) and I/O errors, up to `max_attempts` in all.
#[derive(Debug, Clone)]
pub(crate) struct BoundedRetryPolicy {
    settings: RetrySettings,
}

impl BoundedRetryPolicy {
    pub(crate) fn new(settings: RetrySettings) -> Self {
        BoundedRetryPolicy { settings }
    }
}

#[async_trait]
impl RetryPolicy for BoundedRetryPolicy {
    fn is_expired(&self, _duration_since_start: Duration, retry_count: u32) -> bool {
        // `retry_count` is the number of retries already made when the latest attempt failed.
        retry_count + 1 >= self.settings.max_attempts.max(1)
    }

    fn sleep_duration(&self, retry_count: u32) -> Duration {
        let exponent = retry_count.saturating_sub(1).min(16);
        self.settings
            .initial_backoff
            .saturating_mul(1u32 << exponent)
            .min(self.settings.max_backoff)
    }

    async fn wait(&self, _error: &Error, retry_count: u32, retry_after: Option<Duration>) {
        let backoff = self.sleep_duration(retry_count);
        let delay = match retry_after {
            Some(server) => server.min(self.settings.max_retry_after).max(backoff),
            None => backoff,
        };
        tokio::time::sleep(delay).await;
    }
}

/// The error inside an azure_core error when an attempt ran out of time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AttemptTimedOut {
    pub(crate) after: Duration,
}

impl std::fmt::Display for AttemptTimedOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "no response within {:?}", self.after)
    }
}

impl std::error::Error for AttemptTimedOut {}

/// The error inside an azure_core error when an answer is larger than the cap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ResponseTooLarge {
    pub(crate) limit: usize,
}

impl std::fmt::Display for ResponseTooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the response is larger than {} bytes", self.limit)
    }
}

impl std::error::Error for ResponseTooLarge {}

/// Bounds one attempt (status, headers and the whole body) by a timeout, and its body by a size cap (checked
/// against `Content-Length` first, then as it arrives, so no more than the cap is ever held); buffers the body
/// so that later stages never wait on the network. Neither is retried.
#[derive(Debug, Clone)]
pub(crate) struct AttemptTimeoutPolicy {
    timeout: Duration,
    max_bytes: usize,
}

impl AttemptTimeoutPolicy {
    pub(crate) fn new(timeout: Duration, max_bytes: usize) -> Self {
        AttemptTimeoutPolicy { timeout, max_bytes }
    }
}

/// The body, read up to `max_bytes`.
async fn collect_capped(mut body: azure_core::ResponseBody, max_bytes: usize) -> azure_core::Result<bytes::Bytes> {
    use futures::StreamExt;
    let too_large = || Error::new(ErrorKind::Other, ResponseTooLarge { limit: max_bytes });
    let mut out = bytes::BytesMut::new();
    while let Some(chunk) = body.next().await {
        let chunk = chunk?;
        if out.len() + chunk.len() > max_bytes {
            return Err(too_large());
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out.freeze())
}

#[async_trait]
impl Policy for AttemptTimeoutPolicy {
    async fn send(&self, ctx: &Context, request: &mut Request, next: &[Arc<dyn Policy>]) -> PolicyResult {
        let attempt = async {
            let response = next[0].send(ctx, request, &next[1..]).await?;
            let (status, headers, body) = response.deconstruct();
            let declared: Option<usize> = headers
                .get_optional_str(&azure_core::headers::CONTENT_LENGTH)
                .and_then(|v| v.trim().parse().ok());
            if declared.is_some_and(|n| n > self.max_bytes) {
                return Err(Error::new(ErrorKind::Other, ResponseTooLarge { limit: self.max_bytes }));
            }
            let bytes = collect_capped(body, self.max_bytes).await?;
            Ok(Response::new(status, headers, Box::pin(BytesStream::new(bytes))))
        };
        match tokio::time::timeout(self.timeout, attempt).await {
            Ok(result) => result,
            Err(_) => Err(Error::new(ErrorKind::Other, AttemptTimedOut { after: self.timeout })),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let policy = BoundedRetryPolicy::new(RetrySettings {
            max_attempts: 10,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(350),
            max_retry_after: Duration::from_secs(1),
        });
        let waits: Vec<u128> = (1..=4).map(|n| policy.sleep_duration(n).as_millis()).collect();
        assert_eq!(waits, vec![100, 200, 350, 350]);
    }

    #[test]
    fn attempts_are_bounded() {
        let policy = BoundedRetryPolicy::new(RetrySettings {
            max_attempts: 3,
            ..RetrySettings::default()
        });
        // first failure (no retry yet) and second failure may retry; the third attempt is the last.
        assert!(!policy.is_expired(Duration::ZERO, 0));
        assert!(!policy.is_expired(Duration::ZERO, 1));
        assert!(policy.is_expired(Duration::ZERO, 2));
    }
}
