//! Outbound proxies through the hub: S/4HANA and both Exchange
//! environments (Basic and OAuth, token requests included) reached only
//! through a forwarding proxy, and a refusing proxy reported as such.
//!
//! The hub is given host names that only the proxy resolves
//! (`*.maiconnect.invalid`, RFC 6761), so a call that bypassed the proxy
//! would fail: every call that succeeded went through it.

use std::net::SocketAddr;

use maiconnect_core::policy::{EnvironmentAuth, ProxyConfig, SecretRef};
use maiconnect_fakes::proxy::ForwardProxy;
use maiconnect_fakes::s4::ActivityKind;
use maiconnect_http::check::run_check;
use maiconnect_http::{Hub, HubConfig};
use serde_json::json;

use crate::harness::{ANNA, CLARA, Env, Setup, at, iso, meeting, text};

const S4_NAME: &str = "s4.maiconnect.invalid";
const EXCHANGE_NAME: &str = "exchange.maiconnect.invalid";

/// `http://127.0.0.1:PORT/…` → (`NAME:PORT`, `127.0.0.1:PORT`, the URL
/// with the name).
fn renamed(url: &str, name: &str) -> (String, SocketAddr, String) {
    let rest = url.strip_prefix("http://").expect("the fakes speak http");
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let addr: SocketAddr = authority.parse().expect("host:port");
    let named = format!("{name}:{}", addr.port());
    let url = if path.is_empty() {
        format!("http://{named}")
    } else {
        format!("http://{named}/{path}")
    };
    (named, addr, url)
}

fn proxy_config(url: &str, password_file: &std::path::Path) -> ProxyConfig {
    ProxyConfig {
        url: Some(url.to_owned()),
        user: Some("svc-proxy".into()),
        password: Some(SecretRef::file(password_file)),
        ..ProxyConfig::default()
    }
}

/// Points S/4HANA and every environment at the proxy-only names, through
/// `proxy` with the password in `password_file`.
fn through(proxy: ForwardProxy, password_file: std::path::PathBuf) -> Setup {
    Setup::config(move |c: &mut HubConfig| {
        let (named, addr, url) = renamed(&c.s4.url, S4_NAME);
        proxy.resolve(&named, addr);
        c.s4.url = url;
        c.s4.proxy = Some(proxy_config(&proxy.url(), &password_file));
        for env in &mut c.policy.environments {
            let (named, addr, url) = renamed(&env.endpoint, EXCHANGE_NAME);
            proxy.resolve(&named, addr);
            env.endpoint = url;
            if let EnvironmentAuth::Oauth { authority, .. } = &mut env.auth {
                let current = authority.clone().expect("the demo names its authority");
                *authority = Some(renamed(&current, EXCHANGE_NAME).2);
            }
            env.proxy = Some(proxy_config(&proxy.url(), &password_file));
        }
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_call_goes_through_the_configured_proxy() {
    let proxy = ForwardProxy::start(Some(("svc-proxy", "proxy-secret")))
        .await
        .unwrap();
    let secrets = tempfile::tempdir().unwrap();
    let password = secrets.path().join("proxy-password");
    std::fs::write(&password, "proxy-secret").unwrap();
    let env = Env::with(through(proxy.clone(), password)).await;
    env.quiet().await;

    // S/4 → Outlook in both environments (Basic on-premises, OAuth online).
    env.world
        .s4
        .create_appointment(json!({
            "Description": "Proxy review", "TransactionType": "ZMAI", "Responsible": "4713",
            "FromDate": iso(at(2, 9)), "ToDate": iso(at(2, 10)),
            "Attendee": [{"PartnerNo": "4711", "Function": "00000032", "IntAttendee": true}]
        }))
        .unwrap();
    env.wait_items(CLARA, "calendar", "Proxy review", 1).await;
    env.wait_items(ANNA, "calendar", "Proxy review", 1).await;
    // Outlook → S/4.
    env.outlook_create(ANNA, "calendar", &meeting("Behind the firewall", at(3, 9)));
    let created = env
        .wait_s4(ActivityKind::Appointment, "Behind the firewall", 1)
        .await;
    assert_eq!(text(&created[0], "Responsible"), "0000004711");

    let seen = proxy.seen();
    assert!(seen.iter().all(|s| s.allowed), "{seen:#?}");
    let to = |name: &str, path: &str| {
        seen.iter()
            .filter(|s| s.target.contains(name) && s.target.contains(path))
            .count()
    };
    assert!(to(S4_NAME, "/sap/opu/odata/") > 0, "{seen:#?}");
    assert!(to(EXCHANGE_NAME, "/EWS/Exchange.asmx") > 0, "{seen:#?}");
    assert!(to(EXCHANGE_NAME, "/oauth2/v2.0/token") > 0, "{seen:#?}");
    assert!(
        seen.iter()
            .all(|s| s.target.contains(".maiconnect.invalid")),
        "only the proxy-only names were asked for: {seen:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proxy_that_refuses_the_hub_is_reported_as_a_proxy_problem() {
    let proxy = ForwardProxy::start(Some(("svc-proxy", "proxy-secret")))
        .await
        .unwrap();
    let secrets = tempfile::tempdir().unwrap();
    let password = secrets.path().join("proxy-password");
    std::fs::write(&password, "proxy-secret").unwrap();
    let env = Env::with(through(proxy.clone(), password.clone())).await;
    env.quiet().await;

    // The same configuration with a wrong proxy password, as `hub check`
    // would read it.
    std::fs::write(&password, "wrong").unwrap();
    let report = run_check(&Hub::from_config(&env.config).unwrap()).await;
    assert!(!report.ok(), "{report}");
    let text = report.to_string();
    // Every S/4 and Exchange line fails, and each says it is the proxy.
    let failed: Vec<_> = report.lines.iter().filter(|l| !l.ok).collect();
    assert!(failed.len() >= 4, "{text}");
    for line in failed {
        assert!(
            line.detail.contains("407") && line.detail.contains("proxy"),
            "{}: {}",
            line.what,
            line.detail
        );
    }
    assert!(proxy.seen().iter().any(|s| !s.allowed));
}
