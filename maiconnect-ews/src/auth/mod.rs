//! Authentication: Basic for an on-premises service user, OAuth 2.0
//! client credentials (secret or certificate) against the Microsoft
//! identity platform for Exchange Online.
//!
//! The token logic is sans-I/O: [`OAuth::token_request`] builds the form
//! body, [`parse_token_response`] reads the answer, and [`TokenCache`]
//! decides when to fetch again (time is an argument).

mod jwt;

use std::future::Future;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

pub use jwt::{AssertionStyle, CertificateKey};

use crate::error::EwsError;

/// The default authority.
pub const DEFAULT_AUTHORITY: &str = "https://login.microsoftonline.com";
/// The default scope of EWS in Exchange Online.
pub const DEFAULT_SCOPE: &str = "https://outlook.office365.com/.default";
/// Form values keep the unreserved characters of RFC 3986 as they are.
const FORM: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// How long before expiry a token is replaced.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(300);

/// How the client proves who it is.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// HTTP Basic for an on-premises service user (with the
    /// ApplicationImpersonation role).
    Basic {
        /// User (`DOMAIN\user` or UPN).
        user: String,
        /// Password.
        password: String,
    },
    /// OAuth 2.0 client credentials (app-only).
    OAuth(Box<OAuth>),
    /// A bearer token obtained elsewhere (tests, external token brokers).
    Bearer(String),
}

/// The secret of an app registration.
#[derive(Clone)]
pub enum ClientSecret {
    /// A client secret.
    Secret(String),
    /// A certificate and its key; `style` says how the assertion is signed
    /// and how its header names the certificate.
    Certificate {
        /// The loaded certificate and key.
        key: CertificateKey,
        /// PS256 with `x5t#S256` (default) or RS256 with `x5t`.
        style: AssertionStyle,
    },
}

impl std::fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClientSecret::Secret(_) => f.write_str("Secret(…)"),
            ClientSecret::Certificate { key, style } => {
                write!(f, "Certificate({key:?}, {style:?})")
            }
        }
    }
}

/// An app registration in Microsoft Entra ID.
#[derive(Debug, Clone)]
pub struct OAuth {
    /// `https://login.microsoftonline.com` or a national cloud.
    pub authority: String,
    /// Tenant id or domain.
    pub tenant: String,
    /// Application (client) id.
    pub client_id: String,
    /// Scope, `https://outlook.office365.com/.default`.
    pub scope: String,
    /// Secret or certificate.
    pub secret: ClientSecret,
}

impl OAuth {
    /// An app registration with the default authority and scope.
    pub fn new(tenant: &str, client_id: &str, secret: ClientSecret) -> OAuth {
        OAuth {
            authority: DEFAULT_AUTHORITY.into(),
            tenant: tenant.into(),
            client_id: client_id.into(),
            scope: DEFAULT_SCOPE.into(),
            secret,
        }
    }

    /// `{authority}/{tenant}/oauth2/v2.0/token`.
    pub fn token_endpoint(&self) -> String {
        format!(
            "{}/{}/oauth2/v2.0/token",
            self.authority.trim_end_matches('/'),
            self.tenant
        )
    }

    /// The form body of a token request at `now`.
    pub fn token_request(&self, now: SystemTime) -> Result<String, EwsError> {
        let mut form = vec![
            ("grant_type", "client_credentials".to_owned()),
            ("client_id", self.client_id.clone()),
            ("scope", self.scope.clone()),
        ];
        match &self.secret {
            ClientSecret::Secret(s) => form.push(("client_secret", s.clone())),
            ClientSecret::Certificate { key, style } => {
                let secs = now
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs() as i64);
                let jwt = key.assertion(&self.client_id, &self.token_endpoint(), secs, *style)?;
                form.push((
                    "client_assertion_type",
                    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer".to_owned(),
                ));
                form.push(("client_assertion", jwt));
            }
        }
        Ok(form
            .iter()
            .map(|(k, v)| format!("{k}={}", utf8_percent_encode(v, FORM)))
            .collect::<Vec<_>>()
            .join("&"))
    }
}

/// A token as the identity platform returned it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The access token.
    pub access_token: String,
    /// Lifetime.
    pub expires_in: Duration,
}

/// Reads a token endpoint answer (`status` is the HTTP status).
pub fn parse_token_response(status: u16, body: &[u8]) -> Result<Token, EwsError> {
    if status == 407 {
        return Err(EwsError::Auth(
            "the token endpoint answered HTTP 407: a proxy between the hub and the identity platform demands authentication; set or correct user and password under the environment's proxy".into(),
        ));
    }
    let v: serde_json::Value = serde_json::from_slice(body).map_err(|_| {
        EwsError::Auth(format!(
            "the token endpoint answered HTTP {status} with something other than JSON; check the authority URL"
        ))
    })?;
    if let Some(err) = v.get("error").and_then(|e| e.as_str()) {
        let desc = v
            .get("error_description")
            .and_then(|d| d.as_str())
            .unwrap_or("")
            .lines()
            .next()
            .unwrap_or("");
        let hint = if desc.contains("AADSTS7000215") || desc.contains("AADSTS7000222") {
            "the client secret is wrong or expired; create a new one in the app registration"
        } else if desc.contains("AADSTS700016") {
            "the client id is unknown in this tenant; check tenant and client id"
        } else if desc.contains("AADSTS90002") {
            "the tenant does not exist; check the tenant id or domain"
        } else if desc.contains("AADSTS700027") || desc.contains("AADSTS700023") {
            "the certificate is not registered with the app or the assertion is invalid; upload the certificate to the app registration"
        } else {
            "check tenant, client id and credentials of the app registration"
        };
        return Err(EwsError::Auth(format!("{err}: {desc}; {hint}")));
    }
    let access_token = v
        .get("access_token")
        .and_then(|t| t.as_str())
        .ok_or_else(|| {
            EwsError::Auth(format!(
                "the token endpoint answered HTTP {status} without access_token"
            ))
        })?
        .to_owned();
    // `expires_in` is a number, but some proxies send it as a string.
    let secs = match v.get("expires_in") {
        Some(serde_json::Value::Number(n)) => n.as_u64().unwrap_or(3600),
        Some(serde_json::Value::String(s)) => s.parse().unwrap_or(3600),
        _ => 3600,
    };
    Ok(Token {
        access_token,
        expires_in: Duration::from_secs(secs),
    })
}

#[derive(Debug, Clone)]
struct Cached {
    token: String,
    expires_at: SystemTime,
}

/// Holds the current token and fetches a new one shortly before it
/// expires. Concurrent callers wait for one fetch instead of each fetching.
#[derive(Debug, Default)]
pub struct TokenCache {
    state: tokio::sync::Mutex<Option<Cached>>,
}

impl TokenCache {
    /// An empty cache.
    pub fn new() -> TokenCache {
        TokenCache::default()
    }

    /// The token valid at `now`, fetching with `fetch` when there is none or
    /// it expires within [`REFRESH_MARGIN`].
    pub async fn get<F, Fut>(&self, now: SystemTime, fetch: F) -> Result<String, EwsError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Token, EwsError>>,
    {
        let mut state = self.state.lock().await;
        if let Some(c) = state.as_ref()
            && now + REFRESH_MARGIN < c.expires_at
        {
            return Ok(c.token.clone());
        }
        let t = fetch().await?;
        *state = Some(Cached {
            token: t.access_token.clone(),
            expires_at: now + t.expires_in,
        });
        Ok(t.access_token)
    }

    /// Forgets the token (after a 401).
    pub async fn clear(&self) {
        *self.state.lock().await = None;
    }
}

/// The `Authorization` header value of Basic credentials.
pub fn basic_header(user: &str, password: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn token(n: u32, secs: u64) -> Result<Token, EwsError> {
        Ok(Token {
            access_token: format!("t{n}"),
            expires_in: Duration::from_secs(secs),
        })
    }

    #[tokio::test]
    async fn tokens_are_refreshed_five_minutes_before_expiry() {
        let cache = TokenCache::new();
        let t0 = UNIX_EPOCH + Duration::from_secs(1_000_000);
        let calls = AtomicU32::new(0);
        let fetch = || async {
            let n = calls.fetch_add(1, Ordering::SeqCst) + 1;
            token(n, 3600)
        };
        assert_eq!(cache.get(t0, fetch).await.unwrap(), "t1");
        // 54 minutes later: still valid for 6 minutes, reused.
        let t1 = t0 + Duration::from_secs(54 * 60);
        assert_eq!(cache.get(t1, fetch).await.unwrap(), "t1");
        // 56 minutes later: within the 5-minute margin, refreshed.
        let t2 = t0 + Duration::from_secs(56 * 60);
        assert_eq!(cache.get(t2, fetch).await.unwrap(), "t2");
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        cache.clear().await;
        assert_eq!(cache.get(t2, fetch).await.unwrap(), "t3");
    }

    #[tokio::test]
    async fn concurrent_callers_share_one_fetch() {
        let cache = Arc::new(TokenCache::new());
        let calls = Arc::new(AtomicU32::new(0));
        let now = SystemTime::now();
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (cache, calls) = (cache.clone(), calls.clone());
            tasks.push(tokio::spawn(async move {
                cache
                    .get(now, || async move {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        let n = calls.fetch_add(1, Ordering::SeqCst) + 1;
                        token(n, 3600)
                    })
                    .await
                    .unwrap()
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap(), "t1");
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn token_requests_and_answers() {
        let o = OAuth::new(
            "contoso.onmicrosoft.com",
            "app-1",
            ClientSecret::Secret("s&cret".into()),
        );
        assert_eq!(
            o.token_endpoint(),
            "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"
        );
        let body = o.token_request(SystemTime::now()).unwrap();
        assert_eq!(
            body,
            "grant_type=client_credentials&client_id=app-1&scope=https%3A%2F%2Foutlook.office365.com%2F.default&client_secret=s%26cret"
        );
        let t = parse_token_response(
            200,
            br#"{"token_type":"Bearer","expires_in":3599,"access_token":"eyJ0"}"#,
        )
        .unwrap();
        assert_eq!(t.access_token, "eyJ0");
        assert_eq!(t.expires_in, Duration::from_secs(3599));
        let e = parse_token_response(
            401,
            br#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."}"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("client secret is wrong"), "{e}");
        assert_eq!(e.kind(), maiconnect_core::ErrorKind::Unauthenticated);
        assert!(parse_token_response(502, b"<html>").is_err());
        assert_eq!(basic_header("svc", "pw"), "Basic c3ZjOnB3");
    }

    #[test]
    fn certificate_requests_carry_a_client_assertion() {
        let (cert, key) = jwt::tests::app_pem();
        let key = CertificateKey::from_pem(&cert, &key).unwrap();
        let o = OAuth::new(
            "t",
            "c",
            ClientSecret::Certificate {
                key,
                style: AssertionStyle::Ps256,
            },
        );
        let body = o.token_request(SystemTime::now()).unwrap();
        assert!(body.contains(
            "client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
        ));
        assert!(body.contains("&client_assertion=ey"));
        assert!(!body.contains("client_secret"));
    }
}
