//! Every call goes through the configured proxy: plain HTTP in absolute
//! form, TLS through a CONNECT tunnel; a refusing proxy reads as a proxy
//! problem; `no_proxy` hosts go direct.

mod support;

use axum::Router;
use axum::routing::get;
use maiconnect_fakes::proxy::ForwardProxy;
use maiconnect_transport::{CaBundle, Outbound, Proxy, ProxySetting};

async fn plain_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = Router::new().route("/hello", get(|| async { "hi" }));
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}/hello")
}

fn via(proxy: &ForwardProxy, user: Option<(&str, &str)>, bypass: &[&str]) -> Outbound {
    let mut p = Proxy::new("s4.proxy", &proxy.url()).unwrap();
    if let Some((u, pw)) = user {
        p = p.with_credentials(u, pw);
    }
    let bypass: Vec<String> = bypass.iter().map(|s| s.to_string()).collect();
    Outbound {
        proxy: ProxySetting::Via(p.bypassing(&bypass)),
        ..Outbound::default()
    }
}

#[tokio::test]
async fn plain_and_tls_calls_go_through_the_proxy_with_its_credentials() {
    let proxy = ForwardProxy::start(Some(("svc", "proxy-pw")))
        .await
        .unwrap();
    let url = plain_server().await;
    let client = via(&proxy, Some(("svc", "proxy-pw")), &[])
        .client_builder()
        .build()
        .unwrap();
    assert_eq!(
        client.get(&url).send().await.unwrap().text().await.unwrap(),
        "hi"
    );

    let (ca, config) = support::internal_ca();
    let tls_url = support::serve(config).await;
    let mut outbound = via(&proxy, Some(("svc", "proxy-pw")), &[]);
    outbound.ca_bundle = Some(CaBundle::from_pem("ca.pem", ca.as_bytes()).unwrap());
    let client = outbound.client_builder().build().unwrap();
    let resp = client.get(&tls_url).send().await.unwrap();
    assert_eq!(resp.text().await.unwrap(), "hello");

    let seen = proxy.seen();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert_eq!(seen[0].method, "GET");
    assert_eq!(seen[0].target, url);
    assert_eq!(seen[1].method, "CONNECT");
    assert_eq!(format!("https://{}/", seen[1].target), tls_url);
    assert!(seen.iter().all(|s| s.allowed));
}

#[tokio::test]
async fn a_refusing_proxy_is_named_as_the_problem() {
    let proxy = ForwardProxy::start(Some(("svc", "proxy-pw")))
        .await
        .unwrap();
    // Plain HTTP: the 407 is the answer.
    let url = plain_server().await;
    let client = via(&proxy, Some(("svc", "wrong")), &[])
        .client_builder()
        .build()
        .unwrap();
    assert_eq!(client.get(&url).send().await.unwrap().status(), 407);

    // TLS: the tunnel is refused, so the call fails, and says why.
    let (_, config) = support::internal_ca();
    let tls_url = support::serve(config).await;
    let outbound = via(&proxy, None, &[]);
    let err = outbound
        .client_builder()
        .build()
        .unwrap()
        .get(&tls_url)
        .send()
        .await
        .unwrap_err();
    let why = outbound.explain(&err);
    assert!(why.proxy_failed(), "{why}");
    assert!(
        why.to_string()
            .contains(&format!("through the proxy {}", proxy.url())),
        "{why}"
    );

    // A proxy that is not running.
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let outbound = Outbound {
        proxy: ProxySetting::Via(Proxy::new("s4.proxy", &dead).unwrap()),
        ..Outbound::default()
    };
    let err = outbound
        .client_builder()
        .build()
        .unwrap()
        .get(&url)
        .send()
        .await
        .unwrap_err();
    let why = outbound.explain(&err);
    assert!(why.proxy_failed(), "{why}");
}

#[tokio::test]
async fn listed_hosts_bypass_the_proxy_and_direct_ignores_it() {
    let proxy = ForwardProxy::start(None).await.unwrap();
    let url = plain_server().await;
    let client = via(&proxy, None, &["127.0.0.1"])
        .client_builder()
        .build()
        .unwrap();
    assert_eq!(
        client.get(&url).send().await.unwrap().text().await.unwrap(),
        "hi"
    );
    let direct = Outbound {
        proxy: ProxySetting::Direct,
        ..Outbound::default()
    };
    let client = direct.client_builder().build().unwrap();
    assert_eq!(
        client.get(&url).send().await.unwrap().text().await.unwrap(),
        "hi"
    );
    assert!(proxy.seen().is_empty(), "{:?}", proxy.seen());
}

#[test]
fn unusable_proxy_settings_are_refused_with_the_key() {
    for (url, why) in [
        ("proxy.example.com:3128", "is not a URL"),
        ("socks5://proxy:1080", "unsupported scheme"),
        ("http://user:pw@proxy:3128", "carries credentials"),
    ] {
        let e = Proxy::new("environments[0].proxy.url", url).unwrap_err();
        let text = e.to_string();
        assert!(text.contains("environments[0].proxy.url"), "{text}");
        assert!(text.contains(why), "{text}");
    }
}
