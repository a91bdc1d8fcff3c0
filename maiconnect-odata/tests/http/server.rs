//! A small SAP-Gateway-like server for the HTTP-level tests: CSRF tokens
//! bound to a session cookie, ETags on one task, paging, `$batch`.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

pub const ROOT: &str = "/sap/opu/odata/NAG/MAI_CRM_TASK_SRV/";

#[derive(Debug, Default)]
pub struct State {
    pub head_allowed: bool,
    pub heads: u32,
    pub fetch_gets: u32,
    pub token: Option<String>,
    pub session: Option<String>,
    pub issued: u32,
    pub etag: String,
    pub writes: u32,
    pub next_origin: Option<String>,
    pub seen_queries: Vec<String>,
    pub batch_bodies: Vec<String>,
    pub huge: bool,
    /// CSRF protection off: no token issued, none checked.
    pub csrf_off: bool,
    /// Modifying requests that reached the service.
    pub write_requests: u32,
    /// A `$batch` is carried out but answered 503 (the answer is lost).
    pub lose_batch_answers: bool,
    /// A `$batch` is answered 503 and not carried out.
    pub refuse_batches: bool,
    /// The task a lost answer created.
    pub created: Option<String>,
}

pub type Shared = Arc<Mutex<State>>;

fn header<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name).and_then(|v| v.to_str().ok())
}

fn reply(status: u16, headers: &[(&str, String)], body: impl Into<String>) -> Response {
    let mut r = (StatusCode::from_u16(status).unwrap(), body.into()).into_response();
    for (k, v) in headers {
        r.headers_mut().insert(
            axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
            v.parse().unwrap(),
        );
    }
    r
}

fn task(guid: &str, etag: &str) -> String {
    format!(
        r#"{{"__metadata":{{"etag":"{}"}},"Guid":"{guid}","Description":"Task {guid}","ResponsibleId":"4711"}}"#,
        etag.replace('"', "\\\"")
    )
}

async fn handle(
    axum::extract::State(state): axum::extract::State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut s = state.lock().unwrap();
    let path = uri.path().to_owned();
    if header(&headers, "authorization") != Some("Basic TUFJQ09OTkVDVDpXZWxjb21lMSE=") {
        return reply(
            401,
            &[("www-authenticate", "Basic realm=\"SAP\"".into())],
            "",
        );
    }
    let Some(rest) = path.strip_prefix(ROOT) else {
        return reply(
            404,
            &[],
            r#"{"error":{"code":"/IWFND/MED/170","message":{"lang":"en","value":"No service found for namespace /NAG/, name X, version 0001"}}}"#,
        );
    };
    let rest = percent_encoding::percent_decode_str(rest)
        .decode_utf8_lossy()
        .into_owned();
    let cookie = header(&headers, "cookie").unwrap_or_default().to_owned();
    // The token fetch: on its own (HEAD, GET of the root) or with a read.
    let mut issued: Vec<(&str, String)> = Vec::new();
    if header(&headers, "x-csrf-token").is_some_and(|t| t.eq_ignore_ascii_case("fetch")) {
        if method == Method::HEAD {
            s.heads += 1;
            if !s.head_allowed {
                return reply(405, &[], "");
            }
        } else {
            s.fetch_gets += 1;
        }
        if s.csrf_off {
            if method == Method::HEAD || rest.is_empty() {
                return reply(200, &[], "");
            }
        } else {
            s.issued += 1;
            let token = format!("token{}", s.issued);
            let session = format!("session{}", s.issued);
            s.token = Some(token.clone());
            s.session = Some(session.clone());
            issued = vec![
                ("x-csrf-token", token),
                (
                    "set-cookie",
                    format!("SAP_SESSIONID_S4H_100={session}; path=/; HttpOnly"),
                ),
            ];
            if method == Method::HEAD || rest.is_empty() {
                return reply(200, &issued, "");
            }
        }
    }
    let mut r = route(&mut s, &method, &uri, &headers, &body, &rest, &cookie);
    for (k, v) in issued {
        r.headers_mut().append(
            axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
            v.parse().unwrap(),
        );
    }
    r
}

fn route(
    s: &mut State,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
    rest: &str,
    cookie: &str,
) -> Response {
    if method != Method::GET && method != Method::HEAD && !s.csrf_off {
        let token_ok = s.token.is_some() && header(headers, "x-csrf-token") == s.token.as_deref();
        let cookie_ok = s
            .session
            .as_ref()
            .is_some_and(|sid| cookie.contains(&format!("SAP_SESSIONID_S4H_100={sid}")));
        if !(token_ok && cookie_ok) {
            return reply(
                403,
                &[("x-csrf-token", "Required".into())],
                "CSRF token validation failed",
            );
        }
    }
    s.seen_queries
        .push(uri.query().unwrap_or_default().to_owned());
    let json = [("content-type", "application/json".to_owned())];
    if method != Method::GET && method != Method::HEAD {
        s.write_requests += 1;
    }
    match (method.as_str(), rest) {
        ("MERGE", r) if r.starts_with("Tasks(") => match header(headers, "if-match") {
            None => reply(
                428,
                &[],
                r#"{"error":{"code":"/IWBEP/CM_MGW_RT/176","message":{"lang":"en","value":"Precondition required"}}}"#,
            ),
            Some(m) if m != s.etag => reply(
                412,
                &[("etag", s.etag.clone())],
                r#"{"error":{"code":"/IWBEP/CM_MGW_RT/022","message":{"lang":"en","value":"Precondition failed"}}}"#,
            ),
            Some(_) => {
                s.writes += 1;
                s.etag = format!("W/\"{}\"", s.writes + 1);
                reply(204, &[("etag", s.etag.clone())], "")
            }
        },
        ("GET", "Tasks") => {
            if s.huge {
                return reply(
                    200,
                    &json,
                    format!(r#"{{"d":{{"results":[],"pad":"{}"}}}}"#, "x".repeat(4096)),
                );
            }
            let q = uri.query().unwrap_or_default();
            if q.contains("$top=2") {
                // Client-driven paging: five tasks, no next links.
                let skip: usize = q
                    .split('&')
                    .find_map(|p| p.strip_prefix("$skip="))
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                let rows: Vec<String> = (skip..(skip + 2).min(5))
                    .map(|i| {
                        task(
                            &format!("00000000-0000-0000-0000-00000000001{i}"),
                            "W/\"1\"",
                        )
                    })
                    .collect();
                return reply(
                    200,
                    &json,
                    format!(r#"{{"d":{{"results":[{}]}}}}"#, rows.join(",")),
                );
            }
            if q.contains("$skiptoken=2") {
                reply(
                    200,
                    &json,
                    format!(
                        r#"{{"d":{{"results":[{}]}}}}"#,
                        task("00000000-0000-0000-0000-000000000002", "W/\"2\"")
                    ),
                )
            } else {
                let origin = s.next_origin.clone().unwrap_or_else(|| {
                    format!("http://{}", header(headers, "host").unwrap_or_default())
                });
                let next = format!("{origin}{ROOT}Tasks?$skiptoken=2");
                reply(
                    200,
                    &json,
                    format!(
                        r#"{{"d":{{"results":[{}],"__count":"2","__next":"{next}"}}}}"#,
                        task("00000000-0000-0000-0000-000000000001", "W/\"1\"")
                    ),
                )
            }
        }
        ("GET", "Busy") => reply(429, &[("retry-after", "3".into())], ""),
        ("POST", "$batch") if s.refuse_batches => reply(503, &[("retry-after", "1".into())], ""),
        ("POST", "$batch") if s.lose_batch_answers => {
            let text = String::from_utf8_lossy(body).into_owned();
            s.created = text
                .split("\"Guid\":\"")
                .nth(1)
                .map(|rest| rest.chars().take(36).collect());
            reply(
                503,
                &[("retry-after", "1".into())],
                "<html><body>Service Unavailable</body></html>",
            )
        }
        ("GET", r)
            if s.created
                .as_deref()
                .is_some_and(|g| r == format!("Tasks(guid'{g}')")) =>
        {
            let guid = s.created.clone().unwrap_or_default();
            reply(
                200,
                &[
                    ("content-type", "application/json".into()),
                    ("etag", "W/\"7\"".into()),
                ],
                format!(r#"{{"d":{}}}"#, task(&guid, "W/\"7\"")),
            )
        }
        ("POST", "$batch") => {
            let text = String::from_utf8_lossy(body).into_owned();
            s.batch_bodies.push(text.clone());
            let already = s.batch_bodies.len() > 1;
            let inner = if already {
                "HTTP/1.1 409 Conflict\r\nContent-Type: application/json\r\n\r\n{\"error\":{\"code\":\"CRM/001\",\"message\":{\"lang\":\"en\",\"value\":\"Activity exists already\"}}}\r\n".to_owned()
            } else {
                "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nETag: W/\"1\"\r\n\r\n{\"d\":{\"Guid\":\"x\"}}\r\n".to_owned()
            };
            let out = if already {
                format!(
                    "--resp\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n{inner}--resp--\r\n"
                )
            } else {
                format!(
                    "--resp\r\nContent-Type: multipart/mixed; boundary=cs\r\n\r\n--cs\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n{inner}--cs--\r\n--resp--\r\n"
                )
            };
            reply(
                202,
                &[("content-type", "multipart/mixed; boundary=resp".into())],
                out,
            )
        }
        ("GET", "") => reply(200, &json, r#"{"d":{"EntitySets":["Tasks"]}}"#),
        _ => reply(
            404,
            &json,
            r#"{"error":{"code":"/IWBEP/CM_MGW_RT/020","message":{"lang":"en","value":"Resource not found"}}}"#,
        ),
    }
}

pub async fn start(state: State) -> (SocketAddr, Shared) {
    let shared: Shared = Arc::new(Mutex::new(state));
    let app = Router::new().fallback(handle).with_state(shared.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (addr, shared)
}
