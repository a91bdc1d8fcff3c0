//! A CA bundle makes a server signed by an internal CA reachable, and only
//! with it; without it the failure says what to do.

mod support;

use maiconnect_transport::{CaBundle, Outbound, explain};
use support::{internal_ca, serve};

#[tokio::test]
async fn an_internal_ca_is_trusted_only_when_configured() {
    let (ca_pem, config) = internal_ca();
    let url = serve(config).await;

    let plain = Outbound::default().client_builder().build().unwrap();
    let err = plain.get(&url).send().await.unwrap_err();
    let why = explain(&err);
    assert!(why.certificate, "{why}");
    assert!(why.to_string().contains("set `ca_bundle`"), "{why}");

    let bundle = CaBundle::from_pem("internal-ca.pem", ca_pem.as_bytes()).unwrap();
    assert_eq!(bundle.len(), 1);
    let trusting = Outbound {
        ca_bundle: Some(bundle),
        ..Outbound::default()
    }
    .client_builder()
    .build()
    .unwrap();
    let resp = trusting.get(&url).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.text().await.unwrap(), "hello");
}

#[tokio::test]
async fn a_refused_connection_is_explained_with_its_cause() {
    // A port nobody listens on: bind, learn the port, close.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let err = Outbound::default()
        .client_builder()
        .build()
        .unwrap()
        .get(format!("http://127.0.0.1:{port}/"))
        .send()
        .await
        .unwrap_err();
    let why = explain(&err);
    assert!(!why.certificate);
    assert!(why.text.to_ascii_lowercase().contains("refused"), "{why}");
}
