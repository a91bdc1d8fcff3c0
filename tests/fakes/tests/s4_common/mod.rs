//! Helpers shared by the fake S/4HANA's integration tests: a started fake,
//! an authenticated reqwest client with a cookie store, and the CSRF dance.
#![allow(dead_code)]

use maiconnect_fakes::s4::{FakeS4, FakeS4Config, FakeS4Handle, ServiceId};
use reqwest::{Client, Method, RequestBuilder, Response};
use serde_json::Value;

pub const APPOINTMENTS: ServiceId = ServiceId::Appointments;

pub async fn start() -> FakeS4Handle {
    start_with(FakeS4Config {
        seed: Some(42),
        ..FakeS4Config::default()
    })
    .await
}

pub async fn start_with(config: FakeS4Config) -> FakeS4Handle {
    FakeS4::start(config).await.unwrap()
}

pub fn client() -> Client {
    Client::builder().cookie_store(true).build().unwrap()
}

/// A request with Basic auth and JSON accepted.
pub fn request(c: &Client, h: &FakeS4Handle, method: Method, url: &str) -> RequestBuilder {
    let (user, password) = h.credentials();
    c.request(method, url)
        .basic_auth(user, Some(password))
        .header("accept", "application/json")
}

pub fn url(h: &FakeS4Handle, service: ServiceId, path: &str) -> String {
    format!("{}{path}", h.service_url(service))
}

/// Fetches a CSRF token (GET on the service root); the cookies stay in the client.
pub async fn fetch_token(c: &Client, h: &FakeS4Handle, service: ServiceId) -> String {
    let r = request(c, h, Method::GET, &h.service_url(service))
        .header("x-csrf-token", "Fetch")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.headers()["x-csrf-token"].to_str().unwrap().to_owned()
}

pub async fn json(r: Response) -> Value {
    let status = r.status();
    let text = r.text().await.unwrap();
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("status {status}: not JSON ({e}): {text}"))
}

/// POSTs an entity with a fresh token; returns the response.
pub async fn post(
    c: &Client,
    h: &FakeS4Handle,
    service: ServiceId,
    path: &str,
    body: Value,
) -> Response {
    let token = fetch_token(c, h, service).await;
    request(c, h, Method::POST, &url(h, service, path))
        .header("x-csrf-token", token)
        .json_body(&body)
        .send()
        .await
        .unwrap()
}

pub fn appointment(guid: &str, description: &str, responsible: &str, from_ms: i64) -> Value {
    serde_json::json!({
        "Guid": guid,
        "Description": description,
        "Responsible": responsible,
        "FromDate": format!("/Date({from_ms})/"),
        "ToDate": format!("/Date({})/", from_ms + 3_600_000),
        "TransactionType": "ZMAI"
    })
}

pub fn guid(n: u32) -> String {
    format!("0050568c-2b4f-1ee8-a1b2-{n:012}")
}

/// 2026-12-01T09:00:00Z.
pub const DEC_1_9AM: i64 = 1_796_115_600_000;

/// `RequestBuilder::json` without reqwest's `json` feature.
pub trait JsonBody {
    fn json_body(self, body: &Value) -> RequestBuilder;
}

impl JsonBody for RequestBuilder {
    fn json_body(self, body: &Value) -> RequestBuilder {
        self.header("content-type", "application/json")
            .body(body.to_string())
    }
}
