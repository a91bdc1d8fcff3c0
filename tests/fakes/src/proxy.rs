//! A forwarding HTTP proxy for tests, as a company's outbound proxy
//! behaves: plain requests arrive in absolute form and are forwarded,
//! `CONNECT` opens a tunnel, and with credentials set it answers `407` with
//! `Proxy-Authenticate` until the client sends the right
//! `Proxy-Authorization`. It logs every request so a test can prove that
//! all traffic went through it.
//!
//! It can also resolve names that nothing else resolves (`*.invalid`, RFC
//! 6761): a client configured with such a name reaches its server only
//! through the proxy, so a call that bypassed it would fail.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use hyper_util::rt::TokioIo;

/// One request the proxy saw: method and target (`http://host:port/path`
/// for a forwarded request, `host:port` for a tunnel).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    /// `GET`, `POST`, `CONNECT`, …
    pub method: String,
    /// The target.
    pub target: String,
    /// Whether the proxy let it through.
    pub allowed: bool,
}

#[derive(Debug)]
struct Inner {
    credentials: Option<(String, String)>,
    /// `host:port` the clients use → `host:port` to connect to.
    hosts: Mutex<Vec<(String, String)>>,
    seen: Mutex<Vec<Seen>>,
    client: reqwest::Client,
}

/// A running proxy.
#[derive(Debug, Clone)]
pub struct ForwardProxy {
    addr: SocketAddr,
    inner: Arc<Inner>,
}

impl ForwardProxy {
    /// Starts a proxy on a free port of 127.0.0.1; with `credentials`, it
    /// demands Basic proxy authentication.
    pub async fn start(credentials: Option<(&str, &str)>) -> std::io::Result<ForwardProxy> {
        ForwardProxy::start_resolving(credentials, &[]).await
    }

    /// The same, connecting `host:port` names of `hosts` to the given
    /// addresses.
    pub async fn start_resolving(
        credentials: Option<(&str, &str)>,
        hosts: &[(&str, SocketAddr)],
    ) -> std::io::Result<ForwardProxy> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let client = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(std::io::Error::other)?;
        let inner = Arc::new(Inner {
            credentials: credentials.map(|(u, p)| (u.to_owned(), p.to_owned())),
            hosts: Mutex::new(
                hosts
                    .iter()
                    .map(|(name, addr)| (name.to_string(), addr.to_string()))
                    .collect(),
            ),
            seen: Mutex::new(Vec::new()),
            client,
        });
        let app = Router::new().fallback(handle).with_state(inner.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(ForwardProxy { addr, inner })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// From now on, connects `host:port` (a name only the proxy knows) to
    /// `addr`.
    pub fn resolve(&self, name: &str, addr: SocketAddr) {
        if let Ok(mut hosts) = self.inner.hosts.lock() {
            hosts.push((name.to_owned(), addr.to_string()));
        }
    }

    /// Every request so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.inner
            .seen
            .lock()
            .map(|s| s.clone())
            .unwrap_or_default()
    }
}

impl Inner {
    /// Where a `host:port` really is.
    fn resolve(&self, authority: &str) -> String {
        self.hosts
            .lock()
            .ok()
            .and_then(|hosts| {
                hosts
                    .iter()
                    .find(|(name, _)| name == authority)
                    .map(|(_, addr)| addr.clone())
            })
            .unwrap_or_else(|| authority.to_owned())
    }
}

fn authorized(inner: &Inner, headers: &HeaderMap) -> bool {
    let Some((user, password)) = &inner.credentials else {
        return true;
    };
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    );
    headers
        .get(header::PROXY_AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == expected)
}

async fn handle(State(inner): State<Arc<Inner>>, req: Request) -> Response {
    let method = req.method().clone();
    let target = if method == Method::CONNECT {
        req.uri()
            .authority()
            .map(|a| a.to_string())
            .unwrap_or_default()
    } else {
        req.uri().to_string()
    };
    let allowed = authorized(&inner, req.headers());
    if let Ok(mut seen) = inner.seen.lock() {
        seen.push(Seen {
            method: method.to_string(),
            target: target.clone(),
            allowed,
        });
    }
    if !allowed {
        return (
            StatusCode::PROXY_AUTHENTICATION_REQUIRED,
            [(header::PROXY_AUTHENTICATE, "Basic realm=\"test proxy\"")],
            "proxy authentication required",
        )
            .into_response();
    }
    if method == Method::CONNECT {
        let address = inner.resolve(&target);
        return tunnel(req, address);
    }
    if req.uri().scheme().is_none() {
        return (
            StatusCode::BAD_REQUEST,
            "a proxy expects the absolute form (GET http://host/path)",
        )
            .into_response();
    }
    forward(&inner, req).await
}

fn tunnel(req: Request, target: String) -> Response {
    tokio::spawn(async move {
        let Ok(upgraded) = hyper::upgrade::on(req).await else {
            return;
        };
        let Ok(mut server) = tokio::net::TcpStream::connect(&target).await else {
            return;
        };
        let mut client = TokioIo::new(upgraded);
        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
    });
    StatusCode::OK.into_response()
}

/// Hop-by-hop headers stay with the proxy (RFC 9110 §7.6.1).
const HOP_BY_HOP: &[&str] = &[
    "connection",
    "proxy-connection",
    "keep-alive",
    "proxy-authorization",
    "proxy-authenticate",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "host",
    "content-length",
];

async fn forward(inner: &Inner, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let Ok(body) = axum::body::to_bytes(body, 64 * 1024 * 1024).await else {
        return (StatusCode::BAD_GATEWAY, "cannot read the request body").into_response();
    };
    let authority = parts
        .uri
        .authority()
        .map(|a| a.to_string())
        .unwrap_or_default();
    let path = parts
        .uri
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_owned();
    let scheme = parts.uri.scheme_str().unwrap_or("http");
    let upstream = format!("{scheme}://{}{path}", inner.resolve(&authority));
    // The server sees the name the client used, as behind a real proxy.
    let mut out = inner
        .client
        .request(parts.method, upstream)
        .header(header::HOST, authority)
        .body(body);
    for (name, value) in &parts.headers {
        if !HOP_BY_HOP.contains(&name.as_str()) {
            out = out.header(name, value);
        }
    }
    let answer = match out.send().await {
        Ok(a) => a,
        Err(e) => {
            return (
                StatusCode::BAD_GATEWAY,
                format!("proxy: upstream failed: {e}"),
            )
                .into_response();
        }
    };
    let status = answer.status();
    let headers = answer.headers().clone();
    let bytes = answer.bytes().await.unwrap_or_default();
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    for (name, value) in &headers {
        if !HOP_BY_HOP.contains(&name.as_str()) {
            response.headers_mut().append(name, value.clone());
        }
    }
    response
}
