//! Starts the fakes and a hub wired to them, and waits for outcomes.
//!
//! The hub runs on a Tokio runtime of its own, so that [`Env::crash`] can
//! end it the way a killed process ends: every task of the hub — workers,
//! request handlers, open connections — stops at its next await point,
//! nothing in flight finishes, and only the SQLite file remains.
#![allow(dead_code)]

use std::future::Future;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use maiconnect_fakes::world::{ADMIN, World, WorldOptions};
use maiconnect_http::{Hub, HubConfig, RunningHub};
use tokio::net::TcpListener;
use tokio::runtime::Runtime;

mod look;
pub use look::*;

/// Logs to the test output when `RUST_LOG` is set (e.g.
/// `RUST_LOG=maiconnect_http=debug`).
fn init_tracing() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if std::env::var_os("RUST_LOG").is_some() {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
                .with_test_writer()
                .try_init();
        }
    });
}

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

impl Setup {
    /// The default world with changes to the hub configuration.
    pub fn config(change: impl FnOnce(&mut HubConfig) + Send + 'static) -> Setup {
        Setup {
            config: Box::new(change),
            ..Setup::default()
        }
    }

    /// The same with a fake Exchange whose "minute" (status frequency,
    /// retry timing) lasts `minute`.
    pub fn with_minute(mut self, minute: Duration) -> Setup {
        self.world.minute = minute;
        self
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
    /// The hub's own runtime (None between a crash and a restart).
    runtime: Option<Runtime>,
    /// A plain HTTP client.
    pub http: reqwest::Client,
}

/// Binds the hub's port, retrying while a stopped hub still holds it.
async fn bind(addr: SocketAddr) -> std::net::TcpListener {
    for _ in 0..100 {
        if let Ok(l) = std::net::TcpListener::bind(addr) {
            l.set_nonblocking(true).expect("non-blocking listener");
            return l;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the hub's port {addr} stays taken");
}

/// Builds a hub from `config` and starts it on a runtime of its own.
async fn launch(config: &HubConfig, listener: std::net::TcpListener) -> (Runtime, RunningHub) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("hub")
        .enable_all()
        .build()
        .expect("hub runtime");
    let config = config.clone();
    let running = runtime
        .spawn(async move {
            let hub = Hub::from_config(&config).expect("hub builds");
            let listener = TcpListener::from_std(listener).expect("listener");
            RunningHub::start(hub, listener).await.expect("hub starts")
        })
        .await
        .expect("hub start task");
    (runtime, running)
}

impl Env {
    /// Starts everything with the default setup.
    pub async fn start() -> Env {
        Env::with(Setup::default()).await
    }

    /// Starts everything.
    pub async fn with(setup: Setup) -> Env {
        init_tracing();
        let dir = tempfile::tempdir().expect("tempdir");
        let listener = bind("127.0.0.1:0".parse().expect("address")).await;
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
        let (runtime, running) = launch(&config, listener).await;
        Env {
            dir,
            world,
            config,
            addr,
            hub: Some(running),
            runtime: Some(runtime),
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

    /// Stops the hub abruptly, as a killed process stops: its runtime goes
    /// away with every task, connection and request in flight.
    pub fn crash(&mut self) {
        self.hub.take();
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }

    /// Stops the hub gracefully.
    pub async fn stop(&mut self) {
        if let Some(h) = self.hub.take() {
            h.shutdown().await;
        }
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }

    /// Starts the hub again on the same address and state file (after a
    /// crash, or stopping it gracefully first).
    pub async fn restart(&mut self) {
        self.stop().await;
        let listener = bind(self.addr).await;
        let (runtime, running) = launch(&self.config, listener).await;
        self.hub = Some(running);
        self.runtime = Some(runtime);
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

impl Drop for Env {
    fn drop(&mut self) {
        // A runtime may not be dropped inside another one; let it go in the
        // background.
        self.crash();
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
