//! Tokens never printed: whatever Azure (or something posing as it) answers may echo the request's
//! `Authorization: Bearer …` header or carry an OAuth `access_token`. Every text drift prints from an answer —
//! error messages, what a malformed body starts with, live string values — goes through [`text`] (and live
//! bodies through [`value`]), which replace the credential part with [`REDACTED`].

use regex::Regex;
use serde_json::Value;
use std::borrow::Cow;
use std::sync::LazyLock;

/// What a scrubbed credential is replaced with.
pub(crate) const REDACTED: &str = "(redacted)";

/// `Bearer <token>`; `Authorization: <value>` / `"Authorization": "<value>"` (header or JSON); `access_token` /
/// `accessToken` / `refresh_token` as a JSON field, a form or query parameter. Case-insensitive.
static PATTERNS: LazyLock<[Regex; 3]> = LazyLock::new(|| {
    [
        Regex::new(r"(?i)(\bbearer\s+)[A-Za-z0-9\-._~+/=]+").expect("valid regex"),
        Regex::new(r#"(?i)(\bauthorization"?\s*[:=]\s*"?(?:bearer\s+|basic\s+)?)[^\s",;}&]+"#).expect("valid regex"),
        Regex::new(r#"(?i)(\b(?:access|refresh|id)_?token"?\s*[:=]\s*"?)[^\s",;}&]+"#).expect("valid regex"),
    ]
});

/// Keys whose string value is a credential, whatever it looks like.
fn is_credential_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase().replace(['_', '-'], "");
    matches!(
        key.as_str(),
        "authorization" | "accesstoken" | "refreshtoken" | "idtoken"
    )
}

/// `text` with every bearer token, `Authorization` value and `access_token` replaced by [`REDACTED`].
pub(crate) fn text(text: &str) -> Cow<'_, str> {
    let lower = text.to_ascii_lowercase();
    if !["bearer", "authorization", "token"].iter().any(|w| lower.contains(w)) {
        return Cow::Borrowed(text);
    }
    let mut out = text.to_string();
    for pattern in PATTERNS.iter() {
        out = pattern
            .replace_all(&out, |c: &regex::Captures| format!("{}{REDACTED}", &c[1]))
            .into_owned();
    }
    Cow::Owned(out)
}

/// Scrubs a live body in place: every string as [`text`] does, and the value of a credential key whole.
pub(crate) fn value(v: &mut Value) {
    match v {
        Value::String(s) => {
            if let Cow::Owned(clean) = text(s) {
                *s = clean;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(value),
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                if is_credential_key(key) && item.is_string() {
                    *item = Value::String(REDACTED.to_string());
                } else {
                    value(item);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tokens_headers_and_fields_are_scrubbed() {
        let token = "eyJ0eXAi.eyJhdWQi.c2lnbmF0dXJl";
        let cases = [
            format!("Authorization: Bearer {token}"),
            format!("authorization={token}"),
            format!(r#"{{"access_token":"{token}","token_type":"Bearer"}}"#),
            format!("got BEARER {token} back"),
            format!("?accessToken={token}&x=1"),
        ];
        for case in cases {
            let out = text(&case);
            assert!(!out.contains(token), "{case} -> {out}");
            assert!(out.contains(REDACTED), "{out}");
        }
        assert!(matches!(text("nothing to see"), Cow::Borrowed(_)));
        assert_eq!(text("token_type is Bearer"), "token_type is Bearer");
    }

    #[test]
    fn a_live_body_is_scrubbed_by_key_and_by_text() {
        let mut body = json!({ "env": [{ "name": "H", "value": "Bearer abc.def" }], "accessToken": "xyz", "n": 1 });
        value(&mut body);
        assert_eq!(body["env"][0]["value"], "Bearer (redacted)");
        assert_eq!(body["accessToken"], REDACTED);
        assert_eq!(body["n"], 1);
    }
}
