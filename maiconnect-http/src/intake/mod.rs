//! The HTTP intake: S/4HANA events, EWS notifications, health and metrics.

pub mod ews;
pub mod health;
pub mod s4;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;

use crate::secrets::Secret;

/// Whether the request carries these Basic credentials.
pub fn basic_ok(headers: &HeaderMap, expected: Option<&(String, Secret)>) -> bool {
    let Some((user, password)) = expected else {
        return false;
    };
    let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let Some(encoded) = value
        .strip_prefix("Basic ")
        .or_else(|| value.strip_prefix("basic "))
    else {
        return false;
    };
    let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(encoded.trim()) else {
        return false;
    };
    let wanted = format!("{user}:{}", password.expose());
    constant_time_eq(&decoded, wanted.as_bytes())
}

/// Compares without an early exit, so that timing tells nothing about how
/// much of a password was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut diff = u8::from(a.len() != b.len());
    for (x, y) in a.iter().zip(b) {
        diff |= x ^ y;
    }
    diff == 0
}

/// 401 asking for Basic credentials.
pub fn unauthorized(realm: &str) -> Response {
    let mut r = (
        StatusCode::UNAUTHORIZED,
        json_error(
            "wrong or missing credentials",
            "send the user and password configured for this endpoint (HTTP Basic)",
        ),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("Basic realm=\"{realm}\"")) {
        r.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    r
}

/// A JSON error body naming what is wrong and what to do.
pub fn json_error(error: &str, fix: &str) -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::json!({ "error": error, "fix": fix }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_are_checked_exactly() {
        let creds = ("s4".to_string(), Secret::new("pw"));
        let mut h = HeaderMap::new();
        let ok = base64::engine::general_purpose::STANDARD.encode("s4:pw");
        h.insert(
            header::AUTHORIZATION,
            format!("Basic {ok}").parse().unwrap(),
        );
        assert!(basic_ok(&h, Some(&creds)));
        let bad = base64::engine::general_purpose::STANDARD.encode("s4:pwx");
        h.insert(
            header::AUTHORIZATION,
            format!("Basic {bad}").parse().unwrap(),
        );
        assert!(!basic_ok(&h, Some(&creds)));
        h.insert(header::AUTHORIZATION, "Basic !!!".parse().unwrap());
        assert!(!basic_ok(&h, Some(&creds)));
        assert!(!basic_ok(&HeaderMap::new(), Some(&creds)));
        assert!(!basic_ok(&h, None));
    }
}
