//! HTTP-level behaviour of the client against a minimal local server:
//! auth and routing headers, OAuth token fetching and caching, faults,
//! throttling with Retry-After, size limits.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use maiconnect_core::ids::Mailbox;
use maiconnect_core::model::{Folder, Record};
use maiconnect_core::ports::MailboxPort;
use maiconnect_core::{ErrorKind, Retry};
use maiconnect_ews::auth::{ClientSecret, Credentials, OAuth};
use maiconnect_ews::{EwsClient, EwsConfig, EwsMailboxes};

/// A programmed answer: status, an extra header, body.
type Answer = (u16, Option<(&'static str, String)>, String);

#[derive(Default)]
struct Server {
    /// Responses to give, in order.
    answers: VecDeque<Answer>,
    /// Requests seen: headers and body.
    seen: Vec<(HeaderMap, String)>,
    tokens_issued: u32,
}

type Shared = Arc<Mutex<Server>>;

async fn ews(State(s): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let mut s = s.lock().unwrap();
    s.seen
        .push((headers, String::from_utf8_lossy(&body).into_owned()));
    let (status, header, body) =
        s.answers
            .pop_front()
            .unwrap_or((500, None, "no answer programmed".into()));
    let mut r = (StatusCode::from_u16(status).unwrap(), body).into_response();
    r.headers_mut()
        .insert("content-type", "text/xml; charset=utf-8".parse().unwrap());
    if let Some((k, v)) = header {
        r.headers_mut().insert(k, v.parse().unwrap());
    }
    r
}

async fn token(State(s): State<Shared>, body: Bytes) -> Response {
    let mut s = s.lock().unwrap();
    let form = String::from_utf8_lossy(&body);
    if !form.contains("client_secret=s3cret") {
        return (
            StatusCode::UNAUTHORIZED,
            r#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."}"#,
        )
            .into_response();
    }
    s.tokens_issued += 1;
    let n = s.tokens_issued;
    format!(r#"{{"token_type":"Bearer","expires_in":3599,"access_token":"token-{n}"}}"#)
        .into_response()
}

async fn serve() -> (String, Shared) {
    let state: Shared = Arc::new(Mutex::new(Server::default()));
    let app = Router::new()
        .route("/EWS/Exchange.asmx", post(ews))
        .route("/contoso/oauth2/v2.0/token", post(token))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (format!("http://{addr}"), state)
}

fn sample(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/samples/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

const CREATED: &str = r#"<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><m:CreateItemResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><m:ResponseMessages><m:CreateItemResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode><m:Items><t:CalendarItem><t:ItemId Id="AAMkNEW=" ChangeKey="DwAAAA1"/></t:CalendarItem></m:Items></m:CreateItemResponseMessage></m:ResponseMessages></m:CreateItemResponse></s:Body></s:Envelope>"#;

fn mailbox() -> Mailbox {
    "anna.berg@example.com".parse().unwrap()
}

fn record() -> Record {
    let mut a = maiconnect_core::testing::samples::appointment_a();
    a.attachments.clear();
    Record::Appointment(a)
}

#[tokio::test]
async fn basic_auth_impersonation_and_routing_headers_are_sent() {
    let (base, state) = serve().await;
    state
        .lock()
        .unwrap()
        .answers
        .push_back((200, None, CREATED.into()));
    let config = EwsConfig::new(
        &format!("{base}/EWS/Exchange.asmx"),
        Credentials::Basic {
            user: "svc-maiconnect".into(),
            password: "pw".into(),
        },
    );
    let port = EwsMailboxes::new(EwsClient::new(config).unwrap());
    let (key, version) = port
        .create(&mailbox(), Folder::Calendar, &record(), None)
        .await
        .unwrap();
    assert_eq!(key.item.as_str(), "AAMkNEW=");
    assert_eq!(version.as_str(), "DwAAAA1");
    let s = state.lock().unwrap();
    let (headers, body) = &s.seen[0];
    assert_eq!(headers["authorization"], "Basic c3ZjLW1haWNvbm5lY3Q6cHc=");
    assert_eq!(headers["x-anchormailbox"], "anna.berg@example.com");
    assert_eq!(
        headers["soapaction"],
        "\"http://schemas.microsoft.com/exchange/services/2006/messages/CreateItem\""
    );
    assert!(body.contains("<t:PrimarySmtpAddress>anna.berg@example.com</t:PrimarySmtpAddress>"));
    assert!(body.contains("SendMeetingInvitations=\"SendToNone\""));
    assert!(body.contains("<t:RequestServerVersion Version=\"Exchange2013_SP1\"/>"));
}

#[tokio::test]
async fn oauth_tokens_are_fetched_once_and_sent_as_bearer() {
    let (base, state) = serve().await;
    for _ in 0..2 {
        state
            .lock()
            .unwrap()
            .answers
            .push_back((200, None, CREATED.into()));
    }
    let mut oauth = OAuth::new("contoso", "app-1", ClientSecret::Secret("s3cret".into()));
    oauth.authority = base.clone();
    let config = EwsConfig::new(
        &format!("{base}/EWS/Exchange.asmx"),
        Credentials::OAuth(Box::new(oauth)),
    );
    let port = EwsMailboxes::new(EwsClient::new(config).unwrap());
    for _ in 0..2 {
        port.create(&mailbox(), Folder::Calendar, &record(), None)
            .await
            .unwrap();
    }
    let s = state.lock().unwrap();
    assert_eq!(s.tokens_issued, 1);
    assert_eq!(s.seen[1].0["authorization"], "Bearer token-1");
    // App-only tokens need the impersonation header: always sent.
    assert!(s.seen[1].1.contains("<t:ExchangeImpersonation>"));
}

#[tokio::test]
async fn wrong_oauth_secrets_say_what_to_fix() {
    let (base, _state) = serve().await;
    let mut oauth = OAuth::new("contoso", "app-1", ClientSecret::Secret("wrong".into()));
    oauth.authority = base.clone();
    let config = EwsConfig::new(
        &format!("{base}/EWS/Exchange.asmx"),
        Credentials::OAuth(Box::new(oauth)),
    );
    let port = EwsMailboxes::new(EwsClient::new(config).unwrap());
    let e = port
        .create(&mailbox(), Folder::Calendar, &record(), None)
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unauthenticated);
    assert!(
        e.message.contains("client secret is wrong"),
        "{}",
        e.message
    );
}

#[tokio::test]
async fn throttling_faults_and_http_errors_are_classified() {
    let (base, state) = serve().await;
    {
        let mut s = state.lock().unwrap();
        s.answers
            .push_back((503, Some(("retry-after", "120".into())), "busy".into()));
        s.answers.push_back((
            429,
            Some(("retry-after", "Fri, 01 Jan 2100 00:00:00 GMT".into())),
            String::new(),
        ));
        s.answers
            .push_back((500, None, sample("error-serverbusy-fault-response.xml")));
        s.answers.push_back((401, None, String::new()));
        s.answers.push_back((403, None, String::new()));
        s.answers.push_back((200, None, "x".repeat(4096)));
    }
    let mut config = EwsConfig::new(
        &format!("{base}/EWS/Exchange.asmx"),
        Credentials::Bearer("static".into()),
    );
    config.max_response_bytes = 2048;
    let port = EwsMailboxes::new(EwsClient::new(config).unwrap());
    let mb = mailbox();
    let rec = record();
    let call = || port.create(&mb, Folder::Calendar, &rec, None);

    let e = call().await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unavailable);
    assert_eq!(
        e.retry,
        Retry::Later {
            after: Some(Duration::from_secs(120))
        }
    );
    let e = call().await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Throttled);
    assert!(matches!(e.retry, Retry::Later { after: Some(d) } if d > Duration::from_secs(3600)));
    let e = call().await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Throttled);
    assert_eq!(
        e.retry,
        Retry::Later {
            after: Some(Duration::from_millis(297749))
        }
    );
    let e = call().await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unauthenticated);
    assert!(
        e.message.contains("credentials were rejected"),
        "{}",
        e.message
    );
    let e = call().await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::PermissionDenied);
    assert!(
        e.message
            .contains("ApplicationAccessPolicy excludes anna.berg@example.com"),
        "{}",
        e.message
    );
    let e = call().await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::TooLarge);
}

#[tokio::test]
async fn a_missing_item_reads_as_none_and_deleting_it_succeeds() {
    let (base, state) = serve().await;
    let not_found = |op: &str| {
        format!(
            r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><m:{op}Response xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"><m:ResponseMessages><m:{op}ResponseMessage ResponseClass="Error"><m:MessageText>The specified object was not found in the store.</m:MessageText><m:ResponseCode>ErrorItemNotFound</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey></m:{op}ResponseMessage></m:ResponseMessages></m:{op}Response></s:Body></s:Envelope>"#
        )
    };
    {
        let mut s = state.lock().unwrap();
        s.answers.push_back((200, None, not_found("GetItem")));
        s.answers.push_back((200, None, not_found("DeleteItem")));
    }
    let config = EwsConfig::new(
        &format!("{base}/EWS/Exchange.asmx"),
        Credentials::Bearer("static".into()),
    );
    let port = EwsMailboxes::new(EwsClient::new(config).unwrap());
    let id = "AAMkGONE=".parse().unwrap();
    let got = port
        .get(&mailbox(), Folder::Calendar, std::slice::from_ref(&id))
        .await
        .unwrap();
    assert!(matches!(got.as_slice(), [Ok(None)]), "{got:?}");
    port.delete(&mailbox(), &maiconnect_core::model::ExchangeKey::item(id))
        .await
        .unwrap();
    let s = state.lock().unwrap();
    assert!(
        s.seen[1]
            .1
            .contains("SendMeetingCancellations=\"SendToNone\"")
    );
}

fn envelope(body: &str) -> String {
    format!(
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>{body}</s:Body></s:Envelope>"#
    )
}

fn calendar_page(last: bool, items: &[(&str, &str, &str)]) -> String {
    let items: String = items
        .iter()
        .map(|(id, kind, start)| {
            format!(
                r#"<t:CalendarItem><t:ItemId Id="{id}" ChangeKey="ck"/><t:Start>{start}</t:Start><t:CalendarItemType>{kind}</t:CalendarItemType></t:CalendarItem>"#
            )
        })
        .collect();
    envelope(&format!(
        r#"<m:FindItemResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><m:ResponseMessages><m:FindItemResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode><m:RootFolder TotalItemsInView="3" IncludesLastItemInRange="{last}"><t:Items>{items}</t:Items></m:RootFolder></m:FindItemResponseMessage></m:ResponseMessages></m:FindItemResponse>"#
    ))
}

fn get_items(items: &[(&str, &str)]) -> String {
    let msgs: String = items
        .iter()
        .map(|(id, subject)| {
            format!(
                r#"<m:GetItemResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode><m:Items><t:CalendarItem><t:ItemId Id="{id}" ChangeKey="ck2"/><t:Subject>{subject}</t:Subject><t:Start>2026-12-01T09:00:00Z</t:Start><t:End>2026-12-01T10:00:00Z</t:End></t:CalendarItem></m:Items></m:GetItemResponseMessage>"#
            )
        })
        .collect();
    envelope(&format!(
        r#"<m:GetItemResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><m:ResponseMessages>{msgs}</m:ResponseMessages></m:GetItemResponse>"#
    ))
}

#[tokio::test]
async fn calendar_views_continue_after_a_full_page_and_series_come_as_masters() {
    let (base, state) = serve().await;
    {
        let mut s = state.lock().unwrap();
        s.answers.push_back((
            200,
            None,
            calendar_page(
                false,
                &[
                    ("single-1", "Single", "2026-12-01T09:00:00Z"),
                    ("occ-1", "Occurrence", "2026-12-02T09:00:00Z"),
                ],
            ),
        ));
        s.answers.push_back((
            200,
            None,
            calendar_page(
                true,
                &[
                    ("occ-1", "Occurrence", "2026-12-02T09:00:00Z"),
                    ("exc-2", "Exception", "2026-12-09T11:00:00Z"),
                ],
            ),
        ));
        s.answers.push_back((
            200,
            None,
            get_items(&[
                ("single-1", "Single"),
                ("master-1", "Series"),
                ("master-1", "Series"),
            ]),
        ));
    }
    let config = EwsConfig::new(
        &format!("{base}/EWS/Exchange.asmx"),
        Credentials::Bearer("static".into()),
    );
    let port = EwsMailboxes::new(EwsClient::new(config).unwrap());
    let from = chrono::DateTime::parse_from_rfc3339("2026-11-30T00:00:00Z")
        .unwrap()
        .to_utc();
    let items = port
        .list(
            &mailbox(),
            Folder::Calendar,
            from,
            from + chrono::Duration::days(30),
        )
        .await
        .unwrap();
    let ids: Vec<&str> = items.iter().map(|i| i.key.item.as_str()).collect();
    assert_eq!(ids, ["single-1", "master-1"], "one master for the series");
    let s = state.lock().unwrap();
    // The second page starts at the last start of the first.
    assert!(
        s.seen[1].1.contains("StartDate=\"2026-12-02T09:00:00Z\""),
        "{}",
        s.seen[1].1
    );
    // Occurrences and exceptions are read through their master.
    let get = &s.seen[2].1;
    assert!(get.contains("<t:ItemId Id=\"single-1\"/>"), "{get}");
    assert!(
        get.contains("<t:RecurringMasterItemId OccurrenceId=\"occ-1\"/>"),
        "{get}"
    );
    assert!(
        get.contains("<t:RecurringMasterItemId OccurrenceId=\"exc-2\"/>"),
        "{get}"
    );
}
