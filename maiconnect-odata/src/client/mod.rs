//! The HTTP client of the services: one session per service (its CSRF
//! token and `$metadata`), Basic or bearer authentication, timeouts,
//! `sap-client` and `sap-language` on every URL, paging and `$batch`.
//!
//! CSRF (SAP Gateway): a modifying request needs the token that a request
//! with `X-CSRF-Token: Fetch` returned, sent together with the session
//! cookies of that request (kept in the client's cookie store). The token
//! is fetched with HEAD on the service root, with GET when HEAD is refused
//! or fails (a HEAD answer has no body for SAP's message; not on 429 or
//! 5xx), once per service at a time — concurrent writers wait and reuse
//! it — and fetched again once when a write is answered with `403` and
//! `X-CSRF-Token: Required`. [`ODataClient::fetch_csrf_token`] does the
//! same on demand, for the hub's `check`.

mod config;
mod csrf;
mod missing;
mod paging;
mod response;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

use url::Url;

pub use config::{Auth, ClientConfig};
pub use csrf::CsrfFetch;
pub use paging::next_link;
pub use response::{Response, check, failure, retry_after};

use crate::error::ODataError;
use crate::profile::ServiceId;
use crate::wire::batch::{BatchRequest, BatchResponse, boundary_of, parse_batch};
use crate::wire::metadata::{Metadata, parse_metadata};

/// An HTTP method of OData v2 (MERGE included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET
    Get,
    /// HEAD
    Head,
    /// POST
    Post,
    /// PUT
    Put,
    /// MERGE (OData v2's partial update)
    Merge,
    /// DELETE
    Delete,
}

impl Method {
    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Merge => "MERGE",
            Method::Delete => "DELETE",
        }
    }
    /// Whether SAP Gateway asks for a CSRF token.
    pub fn is_modifying(self) -> bool {
        !matches!(self, Method::Get | Method::Head)
    }
}

/// A request relative to a service root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The method.
    pub method: Method,
    /// Path and query relative to the service root (`Tasks(guid'…')`).
    pub path: String,
    /// Headers besides the standard ones.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Option<Vec<u8>>,
}

impl Request {
    /// A request without headers or body.
    pub fn new(method: Method, path: impl Into<String>) -> Request {
        Request {
            method,
            path: path.into(),
            headers: Vec::new(),
            body: None,
        }
    }
    /// With a header.
    pub fn header(mut self, name: &str, value: &str) -> Request {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
    /// With a JSON body.
    pub fn json(mut self, body: &serde_json::Value) -> Request {
        self.body = Some(body.to_string().into_bytes());
        self.header("Content-Type", "application/json")
    }
    /// `METHOD path`, for messages.
    pub fn context(&self) -> String {
        format!("{} {}", self.method.as_str(), self.path)
    }
}

#[derive(Debug)]
struct Session {
    root: Url,
    csrf: tokio::sync::Mutex<csrf::CsrfState>,
    metadata: RwLock<Option<Arc<Metadata>>>,
    token_fetches: AtomicU64,
}

/// The OData client of all six services.
#[derive(Debug, Clone)]
pub struct ODataClient {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    http: reqwest::Client,
    config: ClientConfig,
    sessions: BTreeMap<ServiceId, Session>,
}

impl ODataClient {
    /// A client for `config`.
    pub fn new(config: ClientConfig) -> Result<ODataClient, ODataError> {
        let http = config
            .outbound
            .client_builder()
            .cookie_store(true)
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| ODataError::Config(format!("cannot build the HTTP client: {e}")))?;
        let mut sessions = BTreeMap::new();
        for id in ServiceId::ALL {
            sessions.insert(
                id,
                Session {
                    root: config.service_root(id)?,
                    csrf: tokio::sync::Mutex::new(csrf::CsrfState::Unknown),
                    metadata: RwLock::new(None),
                    token_fetches: AtomicU64::new(0),
                },
            );
        }
        Ok(ODataClient {
            inner: Arc::new(Inner {
                http,
                config,
                sessions,
            }),
        })
    }

    /// The settings.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    fn session(&self, service: ServiceId) -> &Session {
        // Every service has a session from `new`.
        &self.inner.sessions[&service]
    }

    /// The service root.
    pub fn root(&self, service: ServiceId) -> &Url {
        &self.session(service).root
    }

    /// How many CSRF tokens were fetched for `service` (for tests and
    /// metrics).
    pub fn token_fetches(&self, service: ServiceId) -> u64 {
        self.session(service).token_fetches.load(Ordering::Relaxed)
    }

    /// The absolute URL of `path`, with `sap-client` and `sap-language`.
    pub fn url(&self, service: ServiceId, path: &str) -> Result<Url, ODataError> {
        let mut url = self.root(service).join(path).map_err(|e| {
            ODataError::Invalid(format!(
                "{path:?} is not a path below the service root of {service} ({e})"
            ))
        })?;
        self.add_sap_params(&mut url);
        Ok(url)
    }

    fn add_sap_params(&self, url: &mut Url) {
        let has = |url: &Url, k: &str| url.query_pairs().any(|(n, _)| n == k);
        let c = &self.inner.config;
        for (k, v) in [
            ("sap-client", &c.sap_client),
            ("sap-language", &c.sap_language),
        ] {
            if let Some(v) = v.as_ref().filter(|_| !has(url, k)) {
                let pair = format!("{k}={}", crate::wire::query::encode_value(v));
                let q = match url.query() {
                    Some(q) if !q.is_empty() => format!("{q}&{pair}"),
                    _ => pair,
                };
                url.set_query(Some(&q));
            }
        }
    }

    /// Sends one request to `url` and reads the whole answer (up to the
    /// size limit), whatever its status.
    async fn raw(
        &self,
        method: Method,
        url: Url,
        headers: &[(String, String)],
        body: Option<Vec<u8>>,
        context: &str,
    ) -> Result<Response, ODataError> {
        let m = reqwest::Method::from_bytes(method.as_str().as_bytes())
            .map_err(|e| ODataError::Invalid(format!("{context}: bad method ({e})")))?;
        let mut rb = self.inner.http.request(m, url);
        rb = match &self.inner.config.auth {
            Auth::None => rb,
            Auth::Basic { user, password } => rb.basic_auth(user, Some(password)),
            Auth::Bearer(t) => rb.bearer_auth(t),
        };
        let mut has_accept = false;
        for (k, v) in headers {
            has_accept |= k.eq_ignore_ascii_case("accept");
            rb = rb.header(k.as_str(), v.as_str());
        }
        if !has_accept {
            rb = rb.header("Accept", "application/json");
        }
        if let Some(b) = body {
            rb = rb.body(b);
        } else if method.is_modifying() {
            rb = rb.header("Content-Length", "0");
        }
        let transport = |source: reqwest::Error| ODataError::Transport {
            context: context.to_owned(),
            detail: self.inner.config.outbound.explain(&source).to_string(),
            source,
        };
        let mut resp = rb.send().await.map_err(transport)?;
        let status = resp.status().as_u16();
        let headers: Vec<(String, String)> = resp
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let limit = self.inner.config.max_response_bytes;
        let too_large = || ODataError::TooLarge {
            context: context.to_owned(),
            limit,
        };
        if resp.content_length().is_some_and(|n| n > limit as u64) {
            return Err(too_large());
        }
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(transport)? {
            if body.len() + chunk.len() > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Response {
            status,
            headers,
            body,
        })
    }

    /// A GET of `url` that asks for a CSRF token on the way while the
    /// session knows none, and learns it from the answer.
    async fn read(
        &self,
        service: ServiceId,
        url: Url,
        headers: &[(String, String)],
        context: &str,
    ) -> Result<Response, ODataError> {
        let ask = self.wants_token(service);
        let mut headers = headers.to_vec();
        if ask {
            headers.push(("X-CSRF-Token".into(), "Fetch".into()));
        }
        let r = self.raw(Method::Get, url, &headers, None, context).await?;
        if ask {
            self.learn_token(service, &r).await;
        }
        Ok(r)
    }

    /// Sends `req` to `service` and returns the response, whatever its
    /// status. A read asks for the CSRF token while none is known;
    /// modifying requests carry it (none when the service issues none); a
    /// `403` with `X-CSRF-Token: Required` fetches a new one and sends
    /// again, once.
    pub async fn execute(&self, service: ServiceId, req: &Request) -> Result<Response, ODataError> {
        let url = self.url(service, &req.path)?;
        let context = req.context();
        if req.method == Method::Get {
            return self.read(service, url, &req.headers, &context).await;
        }
        let mut refetched = false;
        loop {
            let mut headers = req.headers.clone();
            let token = if req.method.is_modifying() {
                self.token(service).await?
            } else {
                None
            };
            if let Some(t) = &token {
                headers.push(("X-CSRF-Token".into(), t.clone()));
            }
            let r = self
                .raw(
                    req.method,
                    url.clone(),
                    &headers,
                    req.body.clone(),
                    &context,
                )
                .await?;
            let refused = r.status == 403
                && r.header("x-csrf-token")
                    .is_some_and(|v| v.eq_ignore_ascii_case("required"));
            if refused && req.method.is_modifying() && !refetched {
                tracing::debug!(%service, "CSRF token refused, fetching a new one");
                self.forget_token(service, token.as_deref()).await;
                refetched = true;
                continue;
            }
            return Ok(r);
        }
    }

    /// Sends `req`; an error status becomes an error.
    pub async fn send(&self, service: ServiceId, req: &Request) -> Result<Response, ODataError> {
        let r = self.execute(service, req).await?;
        check(&req.context(), r, SystemTime::now())
    }

    /// Sends a `$batch` and parses the answer.
    pub async fn batch(
        &self,
        service: ServiceId,
        batch: &BatchRequest,
    ) -> Result<BatchResponse, ODataError> {
        let req = Request {
            method: Method::Post,
            path: "$batch".into(),
            headers: vec![("Content-Type".into(), batch.content_type())],
            body: Some(batch.to_body().into_bytes()),
        };
        let r = self.send(service, &req).await?;
        let ctype = r.header("content-type").unwrap_or_default();
        let boundary = boundary_of(ctype).ok_or_else(|| {
            ODataError::Batch(format!(
                "the response's Content-Type {ctype:?} names no boundary"
            ))
        })?;
        parse_batch(&r.body, &boundary)
    }

    /// The service's `$metadata`, read once and kept.
    pub async fn metadata(&self, service: ServiceId) -> Result<Arc<Metadata>, ODataError> {
        if let Some(m) = self.cached_metadata(service) {
            return Ok(m);
        }
        let req = Request::new(Method::Get, "$metadata").header("Accept", "application/xml");
        let r = self.execute(service, &req).await?;
        if !r.is_success() {
            return Err(self.service_failure(&req.context(), &r));
        }
        let m = Arc::new(
            parse_metadata(&r.body).map_err(|e| ODataError::Metadata(format!("{service}: {e}")))?,
        );
        if let Ok(mut slot) = self.session(service).metadata.write() {
            *slot = Some(m.clone());
        }
        Ok(m)
    }

    /// The `$metadata` if it was read already.
    pub fn cached_metadata(&self, service: ServiceId) -> Option<Arc<Metadata>> {
        self.session(service)
            .metadata
            .read()
            .ok()
            .and_then(|m| m.clone())
    }
}

#[cfg(test)]
mod tests;
