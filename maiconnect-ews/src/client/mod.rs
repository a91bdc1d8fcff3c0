//! The thin I/O layer: an HTTP executor for the sans-I/O operations
//! ([`EwsClient`]) and the mailbox port on top of it ([`EwsMailboxes`]).

mod mailbox;
mod port;

use std::time::{Duration, SystemTime};

use maiconnect_core::ids::shorten;
use maiconnect_core::model::Zone;

pub use mailbox::EwsMailboxes;

use crate::auth::{Credentials, TokenCache, basic_header, parse_token_response};
use crate::error::{EwsError, http_hint};
use crate::operations::{Context, CreateItem, DeleteType, Operation, SendInvitations};
use crate::soap::{Headers, ServerVersion};

/// Everything the client needs, as plain values.
#[derive(Debug, Clone)]
pub struct EwsConfig {
    /// `https://outlook.office365.com/EWS/Exchange.asmx`.
    pub endpoint: String,
    /// Basic, OAuth or a bearer token.
    pub credentials: Credentials,
    /// `RequestServerVersion` (default `Exchange2013_SP1`).
    pub server_version: ServerVersion,
    /// Whether attendees of created appointments get invitations (default:
    /// no).
    pub send_invitations: SendInvitations,
    /// The contacts subfolder to write contacts into (created when
    /// missing); `None` writes into the Contacts folder itself.
    pub contacts_folder: Option<String>,
    /// How deleted items go.
    pub delete_type: DeleteType,
    /// The mailboxes' zone: all-day items are written at its midnight and
    /// it is sent as `TimeZoneContext`.
    pub time_zone: Zone,
    /// Timeout of a whole request.
    pub timeout: Duration,
    /// Timeout of connecting.
    pub connect_timeout: Duration,
    /// Responses larger than this are refused.
    pub max_response_bytes: usize,
    /// Items per GetItem / CreateItem batch.
    pub batch_size: usize,
    /// Whom to trust (the platform's roots and an optional CA bundle).
    pub outbound: maiconnect_transport::Outbound,
}

impl EwsConfig {
    /// A configuration with defaults for everything but the endpoint and
    /// credentials.
    pub fn new(endpoint: &str, credentials: Credentials) -> EwsConfig {
        EwsConfig {
            endpoint: endpoint.to_owned(),
            credentials,
            server_version: ServerVersion::default(),
            send_invitations: SendInvitations::SendToNone,
            contacts_folder: None,
            delete_type: DeleteType::MoveToDeletedItems,
            time_zone: Zone::UTC,
            timeout: Duration::from_secs(100),
            connect_timeout: Duration::from_secs(10),
            max_response_bytes: 64 * 1024 * 1024,
            batch_size: 100,
            outbound: maiconnect_transport::Outbound::default(),
        }
    }
}

/// Executes operations against one EWS endpoint, acting as a mailbox by
/// impersonation.
#[derive(Debug)]
pub struct EwsClient {
    http: reqwest::Client,
    config: EwsConfig,
    tokens: TokenCache,
}

/// `Retry-After`: seconds or an HTTP date.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(v).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

impl EwsClient {
    /// A client for `config`.
    pub fn new(config: EwsConfig) -> Result<EwsClient, EwsError> {
        if !(config.endpoint.starts_with("https://") || config.endpoint.starts_with("http://")) {
            return Err(EwsError::Config(format!(
                "the EWS endpoint {:?} is not an http(s) URL; it usually is https://<server>/EWS/Exchange.asmx",
                config.endpoint
            )));
        }
        if config.batch_size == 0 || config.max_response_bytes == 0 {
            return Err(EwsError::Config(
                "batch_size and max_response_bytes must be at least 1".into(),
            ));
        }
        let http = config
            .outbound
            .client_builder()
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .build()
            .map_err(|e| EwsError::Config(format!("cannot build the HTTP client: {e}")))?;
        Ok(EwsClient {
            http,
            config,
            tokens: TokenCache::new(),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &EwsConfig {
        &self.config
    }

    /// The SOAP headers of a request for `mailbox`: impersonation is always
    /// sent (app-only tokens require it, and a service user needs it).
    pub fn headers(&self, mailbox: &str) -> Headers {
        Headers {
            version: self.config.server_version.clone(),
            impersonate: (!mailbox.is_empty()).then(|| mailbox.to_owned()),
            time_zone: Some(self.config.time_zone),
        }
    }

    /// The parse context of responses for `mailbox`.
    pub fn context<'a>(&self, mailbox: &'a str) -> Context<'a> {
        Context {
            mailbox,
            default_zone: self.config.time_zone,
        }
    }

    /// A CreateItem into `folder` as configured.
    pub(crate) fn create_item(&self, folder: crate::operations::FolderRef) -> CreateItem {
        CreateItem {
            folder,
            items: Vec::new(),
            send: self.config.send_invitations,
            all_day_zone: self.config.time_zone,
        }
    }

    async fn authorization(&self, fresh: bool) -> Result<String, EwsError> {
        match &self.config.credentials {
            Credentials::Basic { user, password } => Ok(basic_header(user, password)),
            Credentials::Bearer(t) => Ok(format!("Bearer {t}")),
            Credentials::OAuth(o) => {
                if fresh {
                    self.tokens.clear().await;
                }
                let token = self
                    .tokens
                    .get(SystemTime::now(), || async {
                        let body = o.token_request(SystemTime::now())?;
                        let resp = self
                            .http
                            .post(o.token_endpoint())
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .body(body)
                            .send()
                            .await
                            .map_err(|e| {
                                EwsError::Auth(format!(
                                    "cannot reach the token endpoint {}: {}",
                                    o.token_endpoint(),
                                    self.config.outbound.explain(&e)
                                ))
                            })?;
                        let status = resp.status().as_u16();
                        let bytes = resp.bytes().await.map_err(|e| {
                            EwsError::Auth(format!("reading the token response failed: {e}"))
                        })?;
                        parse_token_response(status, &bytes)
                    })
                    .await?;
                Ok(format!("Bearer {token}"))
            }
        }
    }

    /// Sends `op`, which carries one item, and returns the one response
    /// message (its error, if the server refused the item).
    pub async fn call_one<O, T>(&self, mailbox: &str, op: &O) -> Result<T, EwsError>
    where
        O: Operation<Response = Vec<Result<T, EwsError>>>,
    {
        self.call(mailbox, op)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| EwsError::Unexpected(format!("{} answered nothing", O::NAME)))?
    }

    /// Sends `op` for `mailbox` and parses the answer.
    pub async fn call<O: Operation>(&self, mailbox: &str, op: &O) -> Result<O::Response, EwsError> {
        let body = op.envelope(&self.headers(mailbox));
        let cx = self.context(mailbox);
        let what = cx.describe(O::NAME);
        let mut fresh = false;
        loop {
            let (status, retry_after, bytes) =
                self.post(O::NAME, mailbox, &body, fresh, &what).await?;
            match status {
                // A SOAP fault comes with 500; parsing turns it into an error.
                200 | 500 => {
                    return match op.parse_response(&bytes, &cx) {
                        Err(EwsError::Xml(_)) | Err(EwsError::Unexpected(_)) if status == 500 => {
                            Err(EwsError::Http {
                                context: what,
                                status,
                                retry_after,
                                hint: http_hint(status, mailbox),
                            })
                        }
                        other => other,
                    };
                }
                401 if !fresh && matches!(self.config.credentials, Credentials::OAuth(_)) => {
                    // The token may have been revoked early: fetch a new one once.
                    fresh = true;
                }
                _ => {
                    return Err(EwsError::Http {
                        context: what,
                        status,
                        retry_after,
                        hint: http_hint(status, mailbox),
                    });
                }
            }
        }
    }

    async fn post(
        &self,
        action: &str,
        mailbox: &str,
        body: &[u8],
        fresh: bool,
        what: &str,
    ) -> Result<(u16, Option<Duration>, Vec<u8>), EwsError> {
        let auth = self.authorization(fresh).await?;
        let mut req = self
            .http
            .post(&self.config.endpoint)
            .header("Content-Type", "text/xml; charset=utf-8")
            .header(
                "SOAPAction",
                format!(
                    "\"http://schemas.microsoft.com/exchange/services/2006/messages/{action}\""
                ),
            )
            .header("Authorization", auth)
            .body(body.to_vec());
        if !mailbox.is_empty() {
            req = req.header("X-AnchorMailbox", mailbox);
        }
        let mut resp = req.send().await.map_err(|e| EwsError::Transport {
            context: what.to_owned(),
            message: self.config.outbound.explain(&e).to_string(),
        })?;
        let status = resp.status().as_u16();
        let retry_after = resp
            .headers()
            .get("Retry-After")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        let limit = self.config.max_response_bytes;
        if resp.content_length().is_some_and(|n| n as usize > limit) {
            return Err(EwsError::TooLarge {
                what: what.to_owned(),
                limit,
            });
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(|e| EwsError::Transport {
            context: what.to_owned(),
            message: self.config.outbound.explain(&e).to_string(),
        })? {
            if bytes.len() + chunk.len() > limit {
                return Err(EwsError::TooLarge {
                    what: what.to_owned(),
                    limit,
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        tracing::debug!(
            operation = action,
            mailbox = %shorten(mailbox),
            status,
            bytes = bytes.len(),
            "EWS call"
        );
        Ok((status, retry_after, bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_takes_seconds_and_dates() {
        let now = httpdate::parse_http_date("Fri, 27 Nov 2026 08:00:00 GMT").unwrap();
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("Fri, 27 Nov 2026 08:01:30 GMT", now),
            Some(Duration::from_secs(90))
        );
        assert_eq!(
            parse_retry_after("Fri, 27 Nov 2026 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn bad_configurations_are_refused() {
        let e = EwsClient::new(EwsConfig::new(
            "exchange.local",
            Credentials::Bearer("x".into()),
        ))
        .unwrap_err();
        assert!(e.to_string().contains("/EWS/Exchange.asmx"), "{e}");
    }
}
