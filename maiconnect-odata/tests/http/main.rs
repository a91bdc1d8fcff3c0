//! HTTP-level tests of the client against a small local Gateway-like
//! server: CSRF fetch and refetch, HEAD→GET fallback, cookies, ETag
//! 412/428, paging with `__next`, `$batch`, error classification.

mod server;

use std::time::Duration;

use maiconnect_core::model::{Record, S4Key};
use maiconnect_core::testing::samples;
use maiconnect_core::{ErrorKind, PortError, Retry};
use maiconnect_odata::client::{Method, Request};
use maiconnect_odata::mapping::MappingConfig;
use maiconnect_odata::profile::ServiceId;
use maiconnect_odata::wire::json::parse_page;
use maiconnect_odata::{ClientConfig, ODataClient, ODataCrm, ODataError};
use server::{State, start};

const TASK: &str = "Tasks(guid'00000000-0000-0000-0000-000000000001')";

fn client(addr: std::net::SocketAddr) -> ODataClient {
    let c = ClientConfig::new(&format!("http://{addr}"), "MAICONNECT", "Welcome1!")
        .unwrap()
        .with_sap_client("100");
    ODataClient::new(c).unwrap()
}

fn merge(etag: &str) -> Request {
    Request::new(Method::Merge, TASK)
        .json(&serde_json::json!({"Description": "x"}))
        .header("If-Match", etag)
}

fn state() -> State {
    State {
        head_allowed: true,
        etag: "W/\"1\"".into(),
        ..State::default()
    }
}

#[tokio::test]
async fn the_token_is_fetched_once_with_head_and_sent_with_its_cookie() {
    let (addr, s) = start(state()).await;
    let c = client(addr);
    let r = c.send(ServiceId::Tasks, &merge("W/\"1\"")).await.unwrap();
    assert_eq!(r.etag(), Some("W/\"2\""));
    c.send(ServiceId::Tasks, &merge("W/\"2\"")).await.unwrap();
    let st = s.lock().unwrap();
    assert_eq!((st.heads, st.fetch_gets, st.writes), (1, 0, 2));
    assert_eq!(c.token_fetches(ServiceId::Tasks), 1);
    assert!(
        st.seen_queries.iter().all(|q| q.contains("sap-client=100")),
        "{:?}",
        st.seen_queries
    );
}

#[tokio::test]
async fn a_refused_head_falls_back_to_get() {
    let (addr, s) = start(State {
        head_allowed: false,
        ..state()
    })
    .await;
    let c = client(addr);
    c.send(ServiceId::Tasks, &merge("W/\"1\"")).await.unwrap();
    let st = s.lock().unwrap();
    assert_eq!((st.heads, st.fetch_gets, st.writes), (1, 1, 1));
}

#[tokio::test]
async fn an_expired_token_is_fetched_again_once() {
    let (addr, s) = start(state()).await;
    let c = client(addr);
    c.send(ServiceId::Tasks, &merge("W/\"1\"")).await.unwrap();
    // The server forgets the session (token expiry).
    s.lock().unwrap().token = Some("something-else".into());
    c.send(ServiceId::Tasks, &merge("W/\"2\"")).await.unwrap();
    assert_eq!(c.token_fetches(ServiceId::Tasks), 2);
    assert_eq!(s.lock().unwrap().writes, 2);
}

#[tokio::test]
async fn concurrent_writers_share_one_token_fetch() {
    let (addr, s) = start(state()).await;
    let c = client(addr);
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let c = c.clone();
        tasks.push(tokio::spawn(async move {
            // Stale ETags: each write is answered 412, after the CSRF check.
            c.execute(ServiceId::Tasks, &merge("W/\"0\""))
                .await
                .unwrap()
                .status
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 412);
    }
    assert_eq!(c.token_fetches(ServiceId::Tasks), 1);
    assert_eq!(s.lock().unwrap().issued, 1);
}

#[tokio::test]
async fn etag_failures_are_conflicts_and_a_missing_if_match_is_named() {
    let (addr, _s) = start(state()).await;
    let c = client(addr);
    let e = c
        .send(ServiceId::Tasks, &merge("W/\"0\""))
        .await
        .unwrap_err();
    match &e {
        ODataError::Conflict { object, current } => {
            assert!(object.contains(TASK));
            assert_eq!(current.as_ref().unwrap().as_str(), "W/\"1\"");
        }
        other => panic!("{other}"),
    }
    let port: PortError = e.into();
    assert_eq!(
        (port.kind, port.retry),
        (ErrorKind::Conflict, Retry::Replan)
    );
    let no_match = Request::new(Method::Merge, TASK).json(&serde_json::json!({}));
    let e = c.send(ServiceId::Tasks, &no_match).await.unwrap_err();
    assert!(matches!(e, ODataError::PreconditionRequired { .. }), "{e}");
    assert!(e.to_string().contains("If-Match"));
}

fn guids(body: &[u8]) -> Result<(Vec<String>, Option<String>), ODataError> {
    #[derive(serde::Deserialize)]
    struct T {
        #[serde(rename = "Guid")]
        guid: String,
    }
    let p = parse_page::<T>(body, "GET Tasks")?;
    Ok((p.results.into_iter().map(|t| t.guid).collect(), p.next))
}

#[tokio::test]
async fn paging_follows_next_links_below_the_service_root() {
    let (addr, s) = start(state()).await;
    let c = client(addr);
    let all = c
        .read_pages(ServiceId::Tasks, "Tasks?$top=1", guids)
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    assert!(all[1].ends_with('2'));
    assert!(
        s.lock()
            .unwrap()
            .seen_queries
            .iter()
            .any(|q| q.contains("$skiptoken=2") && q.contains("sap-client=100"))
    );

    // A Gateway that writes its internal host name into __next: the
    // listing goes on below the configured root.
    s.lock().unwrap().next_origin = Some("https://s4-app01.corp.internal:44300".into());
    let all = c
        .read_pages(ServiceId::Tasks, "Tasks", guids)
        .await
        .unwrap();
    assert_eq!(all.len(), 2, "page two was read");
    let mut strict = ClientConfig::new(&format!("http://{addr}"), "MAICONNECT", "Welcome1!")
        .unwrap()
        .with_sap_client("100");
    strict.strict_next_links = true;
    let e = ODataClient::new(strict)
        .unwrap()
        .read_pages(ServiceId::Tasks, "Tasks", guids)
        .await
        .unwrap_err();
    assert!(matches!(e, ODataError::CrossOrigin { .. }), "{e}");
    assert_eq!(e.kind(), ErrorKind::Misconfigured);
}

#[tokio::test]
async fn without_csrf_protection_writes_fetch_no_token() {
    let (addr, s) = start(State {
        csrf_off: true,
        ..state()
    })
    .await;
    let c = client(addr);
    // A read first, as the adapter does ($metadata, the object): it asks
    // for the token on the way and learns that there is none.
    c.send(ServiceId::Tasks, &Request::new(Method::Get, "Tasks"))
        .await
        .unwrap();
    for i in 1..=5 {
        let r = c
            .send(ServiceId::Tasks, &merge(&format!("W/\"{i}\"")))
            .await
            .unwrap();
        assert_eq!(r.status, 204);
    }
    let st = s.lock().unwrap();
    assert_eq!((st.heads, st.fetch_gets), (0, 1), "only the read asked");
    assert_eq!(st.write_requests, 5, "no write was sent twice");
    assert_eq!(c.token_fetches(ServiceId::Tasks), 0);
}

#[tokio::test]
async fn a_read_brings_the_token_so_writes_need_no_fetch() {
    let (addr, s) = start(state()).await;
    let c = client(addr);
    c.send(ServiceId::Tasks, &Request::new(Method::Get, "Tasks"))
        .await
        .unwrap();
    for i in 1..=5 {
        c.send(ServiceId::Tasks, &merge(&format!("W/\"{i}\"")))
            .await
            .unwrap();
    }
    let st = s.lock().unwrap();
    assert_eq!((st.heads, st.issued, st.writes), (0, 1, 5));
    assert_eq!(st.write_requests, 5);
    assert_eq!(c.token_fetches(ServiceId::Tasks), 0);
}

#[tokio::test]
async fn client_driven_paging_uses_top_and_skip() {
    let (addr, s) = start(state()).await;
    let c = client(addr);
    let all = c
        .read_pages_by_skip(ServiceId::Tasks, "Tasks", 2, guids)
        .await
        .unwrap();
    assert_eq!(all.len(), 5);
    assert!(all[4].ends_with("14"));
    let skips: Vec<String> = s
        .lock()
        .unwrap()
        .seen_queries
        .iter()
        .filter_map(|q| {
            q.split('&')
                .find(|p| p.starts_with("$skip="))
                .map(str::to_owned)
        })
        .collect();
    assert_eq!(skips, vec!["$skip=0", "$skip=2", "$skip=4"]);
}

#[tokio::test]
async fn creates_go_in_a_batch_changeset_and_a_repeat_is_already_exists() {
    let (addr, s) = start(state()).await;
    let crm = ODataCrm::new(client(addr), MappingConfig::default());
    let mut t = samples::task_a();
    t.attachments.clear();
    let key = S4Key::Task("0050568c-2b4f-1ee8-a1b2-c3d4e5f60718".parse().unwrap());
    let (created, report) = crm
        .create_activity(&key, &Record::Task(t.clone()), None)
        .await
        .unwrap();
    assert_eq!(created.version.as_str(), "W/\"1\"");
    assert_eq!(created.key, key, "no GUID in the answer: the key sent");
    assert!(report.cuts.is_empty());
    {
        let st = s.lock().unwrap();
        let body = &st.batch_bodies[0];
        assert!(body.contains("POST Tasks HTTP/1.1\r\n"), "{body}");
        assert!(
            body.contains("\"Guid\":\"0050568c-2b4f-1ee8-a1b2-c3d4e5f60718\""),
            "{body}"
        );
        assert!(body.contains("\"Description\":\"Send offer\""), "{body}");
    }
    let e = maiconnect_core::ports::Crm::create(&crm, &key, &Record::Task(t), None)
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::AlreadyExists, "{e}");
    assert!(e.message.contains("exists already"), "{e}");
}

/// A create whose answer is lost (503 after the server carried it out) is
/// confirmed by reading before it is reported: it exists, so it is not
/// retried into a second object.
#[tokio::test]
async fn a_create_that_happened_is_confirmed_by_reading() {
    let (addr, s) = start(State {
        lose_batch_answers: true,
        ..state()
    })
    .await;
    let crm = ODataCrm::new(client(addr), MappingConfig::default());
    let mut t = samples::task_a();
    t.attachments.clear();
    let key = S4Key::Task("0050568c-2b4f-1ee8-a1b2-c3d4e5f60719".parse().unwrap());
    let e = maiconnect_core::ports::Crm::create(&crm, &key, &Record::Task(t.clone()), None)
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::AlreadyExists, "{e}");
    assert!(e.message.contains("Service Unavailable"), "{e}");
    // Refused without being made: the failure stands, to be retried.
    s.lock().unwrap().refuse_batches = true;
    let other = S4Key::Task("0050568c-2b4f-1ee8-a1b2-c3d4e5f6071a".parse().unwrap());
    let e = maiconnect_core::ports::Crm::create(&crm, &other, &Record::Task(t), None)
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unavailable, "{e}");
    assert_eq!(
        e.retry,
        Retry::Later {
            after: Some(Duration::from_secs(1))
        }
    );
}

#[tokio::test]
async fn statuses_are_classified() {
    let (addr, s) = start(state()).await;
    let c = client(addr);
    let e = c
        .send(ServiceId::Tasks, &Request::new(Method::Get, "Busy"))
        .await
        .unwrap_err();
    assert_eq!(
        e.retry(),
        Retry::Later {
            after: Some(Duration::from_secs(3))
        }
    );
    let wrong = ClientConfig::new(&format!("http://{addr}"), "MAICONNECT", "wrong").unwrap();
    let e = ODataClient::new(wrong)
        .unwrap()
        .send(ServiceId::Tasks, &Request::new(Method::Get, "Tasks"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthenticated);
    assert!(e.to_string().contains("password"), "{e}");
    // A service that is not active.
    let e = c
        .send(
            ServiceId::Appointments,
            &Request::new(Method::Get, "AppointmentSet"),
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Misconfigured);
    assert!(e.to_string().contains("/IWFND/MAINT_SERVICE"), "{e}");
    // Bodies over the limit.
    s.lock().unwrap().huge = true;
    let mut small =
        ClientConfig::new(&format!("http://{addr}"), "MAICONNECT", "Welcome1!").unwrap();
    small.max_response_bytes = 1024;
    let e = ODataClient::new(small)
        .unwrap()
        .send(ServiceId::Tasks, &Request::new(Method::Get, "Tasks"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TooLarge, "{e}");
    // Nothing listens: a transport error, retried later.
    let gone = ClientConfig::new("http://127.0.0.1:9", "u", "p").unwrap();
    let e = ODataClient::new(gone)
        .unwrap()
        .send(ServiceId::Tasks, &Request::new(Method::Get, "Tasks"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unavailable, "{e}");
    assert!(matches!(e.retry(), Retry::Later { .. }));
}

#[tokio::test]
async fn the_check_reports_every_service() {
    let (addr, _s) = start(state()).await;
    let report = maiconnect_odata::check_services(&client(addr)).await;
    assert_eq!(report.services.len(), 6);
    assert!(!report.is_ok());
    let appointments = &report.services[0];
    assert!(
        appointments.problems[0]
            .fix
            .contains("/IWFND/MAINT_SERVICE"),
        "{report}"
    );
    // The task service answers, but its $metadata is not there in this server.
    assert!(!report.services[1].problems.is_empty());
}
