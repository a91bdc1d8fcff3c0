//! The OAuth 2.0 token endpoint (`POST /{tenant}/oauth2/v2.0/token`,
//! client credentials) with Entra ID's answers.
//!
//! Reference: <https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow>.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::jwt;
use crate::exchange::state::{IssuedToken, World};

/// The answer: HTTP status and JSON body.
pub type TokenAnswer = (u16, Value);

fn error(status: u16, error: &str, code: u32, description: &str, now: &str) -> TokenAnswer {
    (
        status,
        json!({
            "error": error,
            "error_description": format!("AADSTS{code}: {description} Trace ID: 00000000-0000-0000-0000-000000000000 Correlation ID: 00000000-0000-0000-0000-000000000000 Timestamp: {now}"),
            "error_codes": [code],
            "timestamp": now,
            "trace_id": "00000000-0000-0000-0000-000000000000",
            "correlation_id": "00000000-0000-0000-0000-000000000000",
            "error_uri": format!("https://login.microsoftonline.com/error?code={code}"),
        }),
    )
}

/// Answers a token request for `tenant` whose form fields are `form`;
/// `token_url` is this endpoint's own URL (the expected `aud`).
pub fn token(
    world: &mut World,
    tenant: &str,
    form: &HashMap<String, String>,
    token_url: &str,
    lifetime: std::time::Duration,
) -> TokenAnswer {
    let now = world.now();
    let ts = now.format("%Y-%m-%d %H:%M:%SZ").to_string();
    let field = |k: &str| form.get(k).map(String::as_str);
    if field("grant_type") != Some("client_credentials") {
        return error(
            400,
            "unsupported_grant_type",
            70003,
            "The app requested an unsupported grant type; the fake supports client_credentials.",
            &ts,
        );
    }
    let Some(client_id) = field("client_id") else {
        return error(
            400,
            "invalid_request",
            900144,
            "The request body must contain the following parameter: 'client_id'.",
            &ts,
        );
    };
    let Some(app) = world
        .apps
        .get(client_id)
        .filter(|a| a.tenant.eq_ignore_ascii_case(tenant))
    else {
        return error(
            400,
            "unauthorized_client",
            700016,
            &format!(
                "Application with identifier '{client_id}' was not found in the directory '{tenant}'."
            ),
            &ts,
        );
    };
    if !field("scope").is_some_and(|s| s.split_whitespace().any(|x| x.ends_with("/.default"))) {
        return error(
            400,
            "invalid_scope",
            1002012,
            "The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).",
            &ts,
        );
    }
    if let Some(secret) = field("client_secret") {
        if app.secret.as_deref() != Some(secret) {
            return error(
                401,
                "invalid_client",
                7000215,
                &format!(
                    "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{client_id}'."
                ),
                &ts,
            );
        }
    } else if let Some(assertion) = field("client_assertion") {
        if field("client_assertion_type")
            != Some("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
        {
            return error(
                400,
                "invalid_request",
                700002,
                "The client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer.",
                &ts,
            );
        }
        let Some(cert) = app.certificate_pem.as_deref() else {
            return error(
                401,
                "invalid_client",
                700027,
                "No certificate is registered on the application.",
                &ts,
            );
        };
        let audiences = vec![
            token_url.to_string(),
            format!("https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token"),
        ];
        if let Err((code, why)) = jwt::verify(assertion, client_id, cert, &audiences, now) {
            return error(401, "invalid_client", code, &why, &ts);
        }
    } else {
        return error(
            401,
            "invalid_client",
            7000218,
            "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
            &ts,
        );
    }
    let client_id = client_id.to_string();
    let access_token = format!("eyJ0eXAiOiJKV1QifQ.{}", world.ids().token());
    let expires = now
        + chrono::Duration::from_std(lifetime).unwrap_or_else(|_| chrono::Duration::seconds(3599));
    world
        .tokens
        .insert(access_token.clone(), IssuedToken { client_id, expires });
    world.tokens.retain(|_, t| t.expires > now);
    world.dirty = true;
    let secs = lifetime.as_secs();
    (
        200,
        json!({"token_type": "Bearer", "expires_in": secs, "ext_expires_in": secs, "access_token": access_token}),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::state::OAuthApp;

    fn form(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn secrets_are_checked_and_errors_look_like_entra_id() {
        let mut w = World::new(1);
        w.apps.insert(
            "cid".into(),
            OAuthApp {
                client_id: "cid".into(),
                tenant: "contoso".into(),
                secret: Some("s3cret".into()),
                certificate_pem: None,
                allowed_mailboxes: None,
            },
        );
        let life = std::time::Duration::from_secs(3599);
        let base = [
            ("grant_type", "client_credentials"),
            ("client_id", "cid"),
            ("scope", "https://outlook.office365.com/.default"),
        ];
        let mut ok = form(&base);
        ok.insert("client_secret".into(), "s3cret".into());
        let (status, body) = token(&mut w, "contoso", &ok, "u", life);
        assert_eq!(status, 200);
        assert_eq!(body["token_type"], "Bearer");
        assert_eq!(body["expires_in"], 3599);
        assert!(
            w.tokens
                .contains_key(body["access_token"].as_str().unwrap())
        );
        let mut bad = form(&base);
        bad.insert("client_secret".into(), "nope".into());
        let (status, body) = token(&mut w, "contoso", &bad, "u", life);
        assert_eq!(
            (status, body["error"].as_str()),
            (401, Some("invalid_client"))
        );
        assert_eq!(body["error_codes"][0], 7000215);
        let (status, body) = token(&mut w, "fabrikam", &ok, "u", life);
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some("unauthorized_client"))
        );
    }
}
