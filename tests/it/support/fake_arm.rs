//! A fake Azure Resource Manager and Entra ID token endpoint, in-process on 127.0.0.1 (random port), plain
//! HTTP/1.1 on tokio. azure_identity 0.21 and azure_core accept an `http://` authority host and endpoint, so no
//! TLS is needed.
//!
//! Scriptable per path: a queue of one-shot replies (status, headers, body, delay) served first, then a sticky
//! default. Unknown paths answer 404 the way ARM does. Every request is recorded.

#![allow(dead_code, reason = "shared by the test modules; each uses part of it")]

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One scripted answer.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub delay: Duration,
}

impl Reply {
    pub(crate) fn json(status: u16, value: &serde_json::Value) -> Self {
        Reply::raw(status, &serde_json::to_string_pretty(value).unwrap())
    }

    pub(crate) fn raw(status: u16, body: &str) -> Self {
        Reply {
            status,
            headers: vec![("Content-Type".into(), "application/json; charset=utf-8".into())],
            body: body.as_bytes().to_vec(),
            delay: Duration::ZERO,
        }
    }

    /// ARM's error envelope.
    pub(crate) fn arm_error(status: u16, code: &str, message: &str) -> Self {
        Reply::json(
            status,
            &serde_json::json!({ "error": { "code": code, "message": message } }),
        )
    }

    pub(crate) fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub(crate) fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

/// A request the fake received.
#[derive(Debug, Clone)]
pub(crate) struct Recorded {
    pub method: String,
    pub path: String,
    pub query: String,
    pub authorization: Option<String>,
    pub body: String,
}

#[derive(Default)]
struct Route {
    queue: VecDeque<Reply>,
    default: Option<Reply>,
}

struct State {
    tenant: String,
    client_id: String,
    client_secret: String,
    access_token: String,
    routes: HashMap<String, Route>,
    requests: Vec<Recorded>,
}

/// The running fake. Dropping it stops the server.
pub(crate) struct FakeArm {
    port: u16,
    state: Arc<Mutex<State>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeArm {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeArm {
    /// Starts on 127.0.0.1 with a random port; tokens are issued only for this tenant / client / secret.
    pub(crate) async fn start(tenant: &str, client_id: &str, client_secret: &str) -> FakeArm {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(Mutex::new(State {
            tenant: tenant.into(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            access_token: format!("eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.fake-arm-{port}.sig"),
            routes: HashMap::new(),
            requests: Vec::new(),
        }));
        let shared = state.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let state = shared.clone();
                tokio::spawn(async move {
                    let _ = serve(stream, state).await;
                });
            }
        });
        FakeArm { port, state, task }
    }

    /// `http://127.0.0.1:PORT/` — both the ARM endpoint and the authority host.
    pub(crate) fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// The sticky answer for a path (query ignored, case-insensitive like ARM).
    pub(crate) fn set(&self, path: &str, reply: Reply) {
        self.state.lock().unwrap().routes.entry(key(path)).or_default().default = Some(reply);
    }

    /// A one-shot answer, served before the sticky one; several queue up in order.
    pub(crate) fn push(&self, path: &str, reply: Reply) {
        self.state
            .lock()
            .unwrap()
            .routes
            .entry(key(path))
            .or_default()
            .queue
            .push_back(reply);
    }

    /// Forget a path: it answers 404 again.
    pub(crate) fn remove(&self, path: &str) {
        self.state.lock().unwrap().routes.remove(&key(path));
    }

    pub(crate) fn requests(&self) -> Vec<Recorded> {
        self.state.lock().unwrap().requests.clone()
    }

    /// How many requests were made to a path (any query).
    pub(crate) fn hits(&self, path: &str) -> usize {
        let k = key(path);
        self.requests().iter().filter(|r| key(&r.path) == k).count()
    }
}

fn key(path: &str) -> String {
    path.split('?')
        .next()
        .unwrap_or("")
        .trim_end_matches('/')
        .to_ascii_lowercase()
}

async fn serve(mut stream: TcpStream, state: Arc<Mutex<State>>) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let header_end = loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..header_end]).to_string();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default().to_string();
    let mut parts = request_line.split(' ');
    let method = parts.next().unwrap_or_default().to_string();
    let target = parts.next().unwrap_or_default().to_string();
    let mut headers = HashMap::new();
    for line in lines.filter(|l| !l.is_empty()) {
        if let Some((name, value)) = line.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_string());
        }
    }
    let length: usize = headers.get("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
    while buf.len() < header_end + length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = String::from_utf8_lossy(&buf[header_end..]).to_string();
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_string(), q.to_string()),
        None => (target.clone(), String::new()),
    };
    let recorded = Recorded {
        method: method.clone(),
        path: path.clone(),
        query: query.clone(),
        authorization: headers.get("authorization").cloned(),
        body: body.clone(),
    };
    let reply = {
        let mut state = state.lock().unwrap();
        state.requests.push(recorded.clone());
        route(&mut state, &recorded)
    };
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let mut out = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
    for (name, value) in &reply.headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        reply.body.len()
    ));
    stream.write_all(out.as_bytes()).await?;
    stream.write_all(&reply.body).await?;
    stream.flush().await?;
    stream.shutdown().await
}

fn route(state: &mut State, request: &Recorded) -> Reply {
    let token_path = format!("/{}/oauth2/v2.0/token", state.tenant);
    if request.method == "POST" && request.path.ends_with("/oauth2/v2.0/token") {
        if let Some(reply) = scripted(state, &request.path) {
            return reply;
        }
        if request.path != token_path {
            return aad_error(400, "invalid_request", "AADSTS90002: Tenant not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.", 90002);
        }
        let form: HashMap<String, String> = url::form_urlencoded::parse(request.body.as_bytes())
            .into_owned()
            .collect();
        if form.get("grant_type").map(String::as_str) != Some("client_credentials") {
            return aad_error(
                400,
                "unsupported_grant_type",
                "AADSTS70003: The app requested an unsupported grant type.",
                70003,
            );
        }
        if form.get("client_id") != Some(&state.client_id) {
            return aad_error(
                400,
                "unauthorized_client",
                "AADSTS700016: Application with identifier was not found in the directory.",
                700016,
            );
        }
        if form.get("client_secret") != Some(&state.client_secret) {
            let description = format!(
                "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the \
                 client secret value, not the client secret ID, for a secret added to app '{}'.\r\nTrace ID: \
                 0e0b4b7f-5d6a-4a3e-9a2b-1c9d8e7f6a50\r\nCorrelation ID: 4f1c2d3e-5b6a-4789-8a9b-0c1d2e3f4a5b\r\n\
                 Timestamp: 2026-11-29 21:00:00Z",
                state.client_id
            );
            return aad_error(401, "invalid_client", &description, 7000215);
        }
        return Reply::json(
            200,
            &serde_json::json!({
                "token_type": "Bearer",
                "expires_in": 3599,
                "ext_expires_in": 3599,
                "access_token": state.access_token,
            }),
        );
    }

    // ARM: a bearer token is required before anything else.
    let expected = format!("Bearer {}", state.access_token);
    if request.authorization.as_deref() != Some(expected.as_str()) {
        return Reply::arm_error(
            401,
            "AuthenticationFailed",
            "Authentication failed. The 'Authorization' header is missing or invalid.",
        )
        .header(
            "WWW-Authenticate",
            "Bearer authorization_uri=\"https://login.windows.net/\", error=\"invalid_token\"",
        );
    }
    if !request.query.split('&').any(|p| p.starts_with("api-version=")) {
        return Reply::arm_error(
            400,
            "MissingApiVersionParameter",
            "The api-version query parameter (?api-version=) is required for all requests.",
        );
    }
    if let Some(reply) = scripted(state, &request.path) {
        return reply;
    }
    not_found(&request.path)
}

fn scripted(state: &mut State, path: &str) -> Option<Reply> {
    let route = state.routes.get_mut(&key(path))?;
    route.queue.pop_front().or_else(|| route.default.clone())
}

/// ARM's 404s: the resource group, or a resource in it.
fn not_found(path: &str) -> Reply {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    if segments.len() == 4 && segments[2].eq_ignore_ascii_case("resourceGroups") {
        return Reply::arm_error(
            404,
            "ResourceGroupNotFound",
            &format!("Resource group '{}' could not be found.", segments[3]),
        );
    }
    let rg = segments
        .iter()
        .position(|s| s.eq_ignore_ascii_case("resourceGroups"))
        .and_then(|i| segments.get(i + 1))
        .copied()
        .unwrap_or("");
    let provider = segments
        .iter()
        .position(|s| s.eq_ignore_ascii_case("providers"))
        .map(|i| segments[i + 1..].join("/"));
    Reply::arm_error(
        404,
        "ResourceNotFound",
        &format!(
            "The Resource '{}' under resource group '{rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
            provider.unwrap_or_default()
        ),
    )
}

fn aad_error(status: u16, error: &str, description: &str, code: u32) -> Reply {
    Reply::json(
        status,
        &serde_json::json!({
            "error": error,
            "error_description": description,
            "error_codes": [code],
            "timestamp": "2026-11-29 21:00:00Z",
            "trace_id": "0e0b4b7f-5d6a-4a3e-9a2b-1c9d8e7f6a50",
            "correlation_id": "4f1c2d3e-5b6a-4789-8a9b-0c1d2e3f4a5b",
            "error_uri": format!("https://login.microsoftonline.com/error?code={code}"),
        }),
    )
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}
