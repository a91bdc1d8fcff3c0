//! Starts the fakes and a hub wired to them, and waits for outcomes.
#![allow(dead_code)]

use std::future::Future;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use maiconnect_fakes::world::{ADMIN, World, WorldOptions};
use maiconnect_http::{Hub, HubConfig, RunningHub};
use tokio::net::TcpListener;

/// How a test wants the world.
pub struct Setup {
    /// The fakes.
    pub world: WorldOptions,
    /// Changes to the hub configuration (policy, hub settings).
    pub config: Box<dyn FnOnce(&mut HubConfig) + Send>,
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            world: WorldOptions {
                sample_items: false,
                s4_activities: false,
                ..WorldOptions::default()
            },
            config: Box::new(|_| {}),
        }
    }
}

/// Fakes plus a running hub.
pub struct Env {
    /// Keeps the data directory alive.
    pub dir: tempfile::TempDir,
    /// The fakes.
    pub world: World,
    /// The hub configuration used.
    pub config: HubConfig,
    /// Where the hub listens.
    pub addr: SocketAddr,
    /// The running hub (None between a crash and a restart).
    pub hub: Option<RunningHub>,
    /// A plain HTTP client.
    pub http: reqwest::Client,
}

impl Env {
    /// Starts everything with the default setup.
    pub async fn start() -> Env {
        Env::with(Setup::default()).await
    }

    /// Starts everything.
    pub async fn with(setup: Setup) -> Env {
        let dir = tempfile::tempdir().expect("tempdir");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let public = format!("http://{addr}");
        let opts = WorldOptions {
            data: dir.path().join("world"),
            ..setup.world
        };
        let world = World::start(&opts, Some(&public))
            .await
            .expect("fakes start");
        let text = world
            .config_toml(&addr.to_string(), &public)
            .expect("config");
        let mut config = HubConfig::from_toml(&text).expect("config parses");
        config.hub.keeper_interval_seconds = 1;
        config.hub.minute_ms = opts.minute.as_millis() as u64;
        (setup.config)(&mut config);
        config.validate().expect("config valid");
        let hub = Hub::from_config(&config).expect("hub builds");
        let running = RunningHub::start(hub, listener).await.expect("hub starts");
        Env {
            dir,
            world,
            config,
            addr,
            hub: Some(running),
            http: reqwest::Client::new(),
        }
    }

    /// The hub.
    pub fn hub(&self) -> &std::sync::Arc<Hub> {
        &self.hub.as_ref().expect("hub running").hub
    }

    /// The hub's base URL.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops the hub abruptly, as a crash would.
    pub fn crash(&mut self) {
        if let Some(h) = self.hub.take() {
            h.abort();
        }
    }

    /// Stops the hub gracefully.
    pub async fn stop(&mut self) {
        if let Some(h) = self.hub.take() {
            h.shutdown().await;
        }
    }

    /// Starts the hub again on the same address and state file.
    pub async fn restart(&mut self) {
        self.stop().await;
        let mut listener = None;
        for _ in 0..50 {
            match TcpListener::bind(self.addr).await {
                Ok(l) => {
                    listener = Some(l);
                    break;
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
        let listener = listener.expect("the hub's port is free again");
        let hub = Hub::from_config(&self.config).expect("hub builds");
        self.hub = Some(RunningHub::start(hub, listener).await.expect("hub starts"));
    }

    /// A GET on the admin API, as JSON.
    pub async fn admin_get(&self, path: &str) -> serde_json::Value {
        let r = self
            .http
            .get(format!("{}{path}", self.url()))
            .basic_auth(ADMIN.0, Some(ADMIN.1))
            .send()
            .await
            .expect("admin GET");
        let status = r.status();
        let body = r.text().await.expect("body");
        assert!(status.is_success(), "GET {path}: {status} {body}");
        serde_json::from_str(&body).expect("JSON")
    }

    /// A POST/PUT/DELETE on the admin API; returns status and JSON body.
    pub async fn admin_send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.url()))
            .basic_auth(ADMIN.0, Some(ADMIN.1));
        if let Some(b) = body {
            req = req
                .header("content-type", "application/json")
                .body(b.to_string());
        }
        let r = req.send().await.expect("admin request");
        let status = r.status().as_u16();
        let text = r.text().await.unwrap_or_default();
        (
            status,
            serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
        )
    }

    /// Waits until the inbox is empty and no work is in flight.
    pub async fn settle(&self) {
        use maiconnect_core::ports::StateStore;
        let hub = self.hub().clone();
        eventually("the inbox to drain", Duration::from_secs(30), || {
            let hub = hub.clone();
            async move { hub.store.inbox_depth().await.ok() == Some(0) }
        })
        .await;
    }
}

/// Polls `check` until it holds or `timeout` passes (then panics naming
/// `what`).
pub async fn eventually<F, Fut>(what: &str, timeout: Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let start = Instant::now();
    loop {
        if check().await {
            return;
        }
        if start.elapsed() > timeout {
            panic!("timed out after {timeout:?} waiting for {what}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
