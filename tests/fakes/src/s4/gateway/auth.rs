//! Logon (Basic auth or the session cookie, in the configured client),
//! roles per service, and the CSRF token exchange.

use axum::http::HeaderMap;
use base64::Engine as _;

use super::OdataResponse;
use crate::s4::edm::ServiceId;
use crate::s4::shared::{Shared, lock};

fn cookies(headers: &HeaderMap) -> impl Iterator<Item = (&str, &str)> {
    headers
        .get_all("cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
}

fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    cookies(headers).find(|(n, _)| *n == name).map(|(_, v)| v)
}

fn session_cookie(shared: &Shared) -> String {
    format!(
        "SAP_SESSIONID_{}_{}",
        shared.config.sid, shared.config.client
    )
}

fn xsrf_cookie(shared: &Shared) -> String {
    format!("sap-XSRF_{}_{}", shared.config.sid, shared.config.client)
}

fn unauthorized(shared: &Shared) -> OdataResponse {
    OdataResponse::new(401)
        .header(
            "www-authenticate",
            &format!("Basic realm=\"SAP NetWeaver Application Server [{}/{}]\"", shared.config.sid, shared.config.client),
        )
        .header("content-type", "text/html; charset=utf-8")
        .body(b"<html><head><title>Logon Error Message</title></head><body><p>Logon failed: check user, password and client (sap-client).</p></body></html>".to_vec())
}

/// Logs the request on; the user name, or the 401 to answer.
pub fn logon(
    shared: &Shared,
    query: &[(String, String)],
    headers: &HeaderMap,
) -> Result<String, OdataResponse> {
    // A client that does not exist cannot be logged on to.
    if let Some((_, client)) = query.iter().find(|(k, _)| k == "sap-client")
        && client.trim() != shared.config.client
    {
        return Err(unauthorized(shared));
    }
    if let Some(auth) = headers.get("authorization").and_then(|v| v.to_str().ok()) {
        let decoded = auth
            .strip_prefix("Basic ")
            .and_then(|b| {
                base64::engine::general_purpose::STANDARD
                    .decode(b.trim())
                    .ok()
            })
            .and_then(|b| String::from_utf8(b).ok());
        let Some((name, password)) = decoded.as_deref().and_then(|d| d.split_once(':')) else {
            return Err(unauthorized(shared));
        };
        let settings = lock(&shared.settings);
        return settings
            .users
            .iter()
            .find(|u| u.name.eq_ignore_ascii_case(name) && u.password == password)
            .map(|u| u.name.clone())
            .ok_or_else(|| unauthorized(shared));
    }
    if let Some(id) = cookie(headers, &session_cookie(shared))
        && let Some(session) = lock(&shared.sessions).get(id)
    {
        return Ok(session.user.clone());
    }
    Err(unauthorized(shared))
}

/// Whether the user's roles open the service.
pub fn has_role(shared: &Shared, user: &str, service: ServiceId) -> bool {
    let settings = lock(&shared.settings);
    settings
        .users
        .iter()
        .find(|u| u.name.eq_ignore_ascii_case(user))
        .is_some_and(|u| u.services.as_ref().is_none_or(|s| s.contains(&service)))
}

/// Answers `X-CSRF-Token: Fetch`: the token and the session cookies.
pub fn fetch_token(shared: &Shared, user: &str, headers: &HeaderMap) -> Vec<(String, String)> {
    let existing = cookie(headers, &session_cookie(shared)).map(str::to_owned);
    let (new_id, new_token) = (shared.token(32), shared.token(24));
    let (id, token) = lock(&shared.sessions).fetch(user, existing.as_deref(), new_id, new_token);
    vec![
        ("x-csrf-token".into(), token.clone()),
        (
            "set-cookie".into(),
            format!("{}={id}; path=/; HttpOnly", session_cookie(shared)),
        ),
        (
            "set-cookie".into(),
            format!("{}={token}; path=/; HttpOnly", xsrf_cookie(shared)),
        ),
    ]
}

/// Whether a modifying request carries a valid token for its session.
pub fn token_valid(shared: &Shared, headers: &HeaderMap) -> bool {
    let Some(token) = headers.get("x-csrf-token").and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let session = cookie(headers, &session_cookie(shared));
    let xsrf = cookie(headers, &xsrf_cookie(shared));
    lock(&shared.sessions).valid(token, session, xsrf)
}
