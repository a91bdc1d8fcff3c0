//! The SAP Gateway in front of the services: logon (Basic auth or session
//! cookie, `sap-client`), service activation and roles, injected faults
//! and latency, CSRF, then the OData request itself (or a `$batch` of them).
//!
//! The order of the checks follows a real system: the ICF logon comes
//! first (401), then the service catalogue (404 `/IWFND/MED/170`), the
//! authorisation (403), the CSRF check (403 `X-CSRF-Token: Required`), and
//! last the data provider (400/404/412/428).

mod auth;
mod batch;
mod csrf;
mod faults;
mod path;
mod read;
pub mod sap_error;
mod write;

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use chrono::{DateTime, NaiveDate, Utc};

pub use csrf::Sessions;
pub use faults::{FaultAction, FaultRule, Faults};
use path::{QueryOptions, Resource};
use sap_error::{ErrorContext, SapError};

use super::edm::{Service, ServiceId, metadata_document};
use super::quirks::{ErrorShape, Quirks};
use super::shared::{Shared, lock};
use super::store::Store;

/// The path prefix of all OData services.
pub const ODATA_ROOT: &str = "/sap/opu/odata/";

/// A response before it becomes HTTP (or a `$batch` part).
#[derive(Debug, Clone)]
pub struct OdataResponse {
    /// Status code.
    pub status: u16,
    /// Headers (lower-case names).
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Bytes,
}

impl OdataResponse {
    /// An empty response.
    pub fn new(status: u16) -> OdataResponse {
        OdataResponse {
            status,
            headers: Vec::new(),
            body: Bytes::new(),
        }
    }
    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> OdataResponse {
        self.headers
            .push((name.to_ascii_lowercase(), value.to_owned()));
        self
    }
    /// Sets the body.
    pub fn body(mut self, body: Vec<u8>) -> OdataResponse {
        self.body = Bytes::from(body);
        self
    }
    /// Sets the body without copying.
    pub fn body_bytes(mut self, body: Bytes) -> OdataResponse {
        self.body = body;
        self
    }
    /// A JSON body.
    pub fn json(self, body: String) -> OdataResponse {
        self.header("content-type", "application/json; charset=utf-8")
            .body(body.into_bytes())
    }
    fn into_http(self, head: bool) -> Response {
        let mut builder = Response::builder()
            .status(StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
        for (k, v) in &self.headers {
            if let Ok(v) = HeaderValue::from_str(v) {
                builder = builder.header(k.as_str(), v);
            }
        }
        let body = if head {
            Body::empty()
        } else {
            Body::from(self.body)
        };
        builder
            .body(body)
            .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
    }
}

/// What one request needs while it runs under the store lock.
#[derive(Debug)]
pub struct Exec<'a> {
    /// The fake.
    pub shared: &'a Shared,
    /// The service addressed (its role).
    pub service: ServiceId,
    /// The service as the catalogue offers it (its names, what it hides).
    pub model: &'static Service,
    /// The departures from the kindest behaviour.
    pub quirks: Quirks,
    /// Absolute service root, ending in `/`, as the server writes it into
    /// links (another host behind a proxy).
    pub service_url: String,
    /// The time of the request.
    pub now: DateTime<Utc>,
    /// Page size of collections.
    pub page_size: usize,
}

impl Exec<'_> {
    /// Today (for relationship validity).
    pub fn today(&self) -> NaiveDate {
        self.now.date_naive()
    }
    fn error_context(&self, json: bool) -> ErrorContext {
        ErrorContext {
            service: Some(self.service),
            json,
            transaction_id: self.shared.hex(32),
            now: self.now,
            shape: self.quirks.error_shape,
        }
    }

    /// The error context inside a `$batch`: a proxy can replace the body
    /// of the whole answer, not of its parts.
    fn part_error_context(&self, json: bool) -> ErrorContext {
        let mut ctx = self.error_context(json);
        if ctx.shape == ErrorShape::Html {
            ctx.shape = ErrorShape::Gateway;
        }
        ctx
    }
}

/// Whether the client asked for JSON (`$format=json` or `Accept`).
fn wants_json(query: &[(String, String)], headers: &HeaderMap) -> bool {
    query.iter().any(|(k, v)| k == "$format" && v == "json")
        || headers
            .get("accept")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("json"))
}

fn parse_query(raw: Option<&str>) -> Vec<(String, String)> {
    raw.map(|q| {
        url::form_urlencoded::parse(q.as_bytes())
            .into_owned()
            .collect()
    })
    .unwrap_or_default()
}

/// Runs one OData request (outside `$batch` or as a part of it) against
/// the store. The caller owns the transaction.
pub fn execute(
    exec: &Exec,
    store: &mut Store,
    method: &str,
    resource_path: &str,
    query: &[(String, String)],
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<OdataResponse, SapError> {
    let service = exec.model;
    let resource = path::parse_resource(service, resource_path)?;
    match (method, resource) {
        ("GET" | "HEAD", Resource::ServiceDocument) => {
            QueryOptions::parse(None, query)?;
            let names: Vec<&str> = service.sets.iter().map(|s| s.name).collect();
            let body = serde_json::json!({"d": {"EntitySets": names}}).to_string();
            Ok(OdataResponse::new(200).json(body))
        }
        ("GET" | "HEAD", Resource::Metadata) => Ok(OdataResponse::new(200)
            .header("content-type", "application/xml")
            .body(metadata_document(service, &exec.service_url).into_bytes())),
        (_, Resource::Batch) => Err(SapError::bad_request(
            "$batch must be the outer request, sent with POST",
        )),
        ("GET" | "HEAD", Resource::Entities(p)) => {
            // Options apply to what the path returns (the navigation target).
            let target = p
                .navigation
                .and_then(|n| p.set.navigation(n))
                .and_then(|n| service.set(n.target))
                .unwrap_or(p.set);
            let opts = QueryOptions::parse(Some(target), query)?;
            read::get(
                exec,
                store,
                &p,
                &opts,
                resource_path.trim_end_matches('/'),
                query,
            )
        }
        ("POST" | "PUT" | "MERGE" | "PATCH" | "DELETE", Resource::Entities(p)) => {
            write::modify(exec, store, method, &p, headers, body)
        }
        (other, _) => Err(SapError::new(
            405,
            sap_error::TECHNICAL,
            format!("Method {other} is not supported on this resource"),
        )),
    }
}

/// The method a request stands for: `POST` with `X-HTTP-Method: MERGE`
/// (as SAPUI5 tunnels MERGE, PUT and DELETE through proxies) is a MERGE.
pub fn effective_method(method: &str, headers: &HeaderMap) -> String {
    let method = method.to_ascii_uppercase();
    match headers.get("x-http-method").and_then(|v| v.to_str().ok()) {
        Some(tunnelled) if method == "POST" => {
            let t = tunnelled.trim().to_ascii_uppercase();
            if matches!(t.as_str(), "MERGE" | "PUT" | "PATCH" | "DELETE") {
                t
            } else {
                method
            }
        }
        _ => method,
    }
}

fn is_modifying(method: &str) -> bool {
    matches!(method, "POST" | "PUT" | "MERGE" | "PATCH" | "DELETE")
}

/// The axum handler of everything under `/sap/opu/odata/`.
pub async fn entry(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (latency, page_size, head_allowed, quirks) = {
        let s = lock(&shared.settings);
        (s.latency, s.page_size, s.head_allowed, s.quirks.clone())
    };
    if latency.fixed_ms > 0 || latency.jitter_ms > 0 {
        let jitter = if latency.jitter_ms > 0 {
            lock(&shared.rng).u64(0..=latency.jitter_ms)
        } else {
            0
        };
        tokio::time::sleep(std::time::Duration::from_millis(latency.fixed_ms + jitter)).await;
    }
    let (parts, body) = request.into_parts();
    let method = effective_method(parts.method.as_str(), &parts.headers);
    let head = method == "HEAD";
    let query = parse_query(parts.uri.query());
    let headers = parts.headers;
    let json = wants_json(&query, &headers);
    let now = shared.clock.now();
    let plain_error = |service: Option<ServiceId>, e: SapError| {
        e.response(&ErrorContext {
            service,
            json,
            transaction_id: shared.hex(32),
            now,
            shape: quirks.error_shape,
        })
        .into_http(head)
    };
    let body = match axum::body::to_bytes(body, shared.config.max_body_bytes).await {
        Ok(b) => b,
        Err(_) => {
            return plain_error(
                None,
                SapError::new(
                    413,
                    sap_error::TECHNICAL,
                    format!(
                        "Request body larger than {} bytes; send attachments one by one or raise max_body_bytes",
                        shared.config.max_body_bytes
                    ),
                ),
            );
        }
    };
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1")
        .to_owned();
    let raw_path = parts.uri.path();
    let decoded = percent_encoding::percent_decode_str(raw_path)
        .decode_utf8_lossy()
        .into_owned();
    let user = match auth::logon(&shared, &query, &headers) {
        Ok(u) => u,
        Err(r) => return r.into_http(head),
    };
    let Some(rest) = decoded.strip_prefix(ODATA_ROOT) else {
        return plain_error(None, SapError::not_found("Not an OData service path"));
    };
    let (namespace, rest) = rest.split_once('/').unwrap_or((rest, ""));
    let (service_name, resource_path) = rest.split_once('/').unwrap_or((rest, ""));
    let service_name = service_name.split(';').next().unwrap_or(service_name);
    let active = ServiceId::from_path(quirks.catalogue, namespace, service_name)
        .filter(|s| !lock(&shared.settings).inactive.contains(s));
    let Some(service) = active else {
        return plain_error(
            None,
            SapError::new(
                404,
                sap_error::SERVICE_NOT_FOUND,
                format!(
                    "No service found for namespace '/{namespace}/', name '{service_name}', version '0001'; activate it in /IWFND/MAINT_SERVICE with system alias LOCAL"
                ),
            ),
        );
    };
    if !auth::has_role(&shared, &user, service) {
        return plain_error(
            Some(service),
            SapError::new(
                403,
                sap_error::TECHNICAL,
                format!(
                    "User {user} has no authorization for service /NAG/{}: assign the role /NAG/SAP_MAICONNECT",
                    service.name()
                ),
            ),
        );
    }
    if head && !head_allowed {
        return OdataResponse::new(405)
            .header("allow", "GET, POST, PUT, MERGE, PATCH, DELETE")
            .header("content-type", "text/plain")
            .body(b"Method HEAD not allowed".to_vec())
            .into_http(true);
    }
    let set_name = resource_path.split(['(', '/']).next().unwrap_or("");
    let fault = lock(&shared.faults).take(service, set_name, &method);
    if let Some(action) = fault {
        if let FaultAction::Delay { ms } = action {
            tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
        } else if let Some(e) = action.error() {
            return plain_error(Some(service), e);
        }
    }
    let mut extra: Vec<(String, String)> = Vec::new();
    let csrf_header = headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if quirks.csrf_off {
        // Gateway without CSRF protection issues no token and checks none.
    } else if matches!(method.as_str(), "GET" | "HEAD") && csrf_header.eq_ignore_ascii_case("fetch")
    {
        extra = auth::fetch_token(&shared, &user, &headers);
    } else if is_modifying(&method) && !auth::token_valid(&shared, &headers) {
        return OdataResponse::new(403)
            .header("x-csrf-token", "Required")
            .header("content-type", "text/plain; charset=utf-8")
            .body(b"CSRF token validation failed".to_vec())
            .into_http(head);
    }
    let origin = quirks
        .internal_origin
        .clone()
        .unwrap_or_else(|| format!("http://{host}"));
    let exec = Exec {
        shared: &shared,
        service,
        model: service.model(quirks.catalogue),
        service_url: format!(
            "{}{ODATA_ROOT}{namespace}/{service_name}/",
            origin.trim_end_matches('/')
        ),
        quirks,
        now,
        page_size,
    };
    let mut response = if resource_path.trim_end_matches('/') == "$batch" && method == "POST" {
        batch::handle(&exec, &headers, &body, json)
    } else {
        let mut store = lock(&shared.store);
        store.begin();
        let result = execute(
            &exec,
            &mut store,
            &method,
            resource_path,
            &query,
            &headers,
            &body,
        );
        match result {
            Ok(r) if r.status < 400 => {
                shared.commit(&mut store);
                r
            }
            Ok(r) => {
                store.rollback();
                r
            }
            Err(e) => {
                store.rollback();
                drop(store);
                e.response(&exec.error_context(json))
            }
        }
    };
    response
        .headers
        .push(("dataserviceversion".into(), "2.0".into()));
    response.headers.extend(extra);
    tracing::debug!(%method, path = %decoded, status = response.status, "fake S/4HANA: OData request");
    response.into_http(head)
}
