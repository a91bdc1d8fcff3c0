//! Starting, stopping and restarting the fake Exchange, and its handle.

mod ews;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;

use super::config::FakeExchangeConfig;
use super::control;
use super::error::{FakeExchangeError, Result};
use super::faults::{Concurrency, Faults};
use super::schema::SchemaValidator;
use super::state::{self, World};

/// Shared by the HTTP handlers, the push tasks and the handle.
pub struct Inner {
    /// Settings.
    pub config: FakeExchangeConfig,
    /// The state.
    pub world: Mutex<World>,
    /// Request validation.
    pub validator: SchemaValidator,
    /// Injected faults.
    pub faults: Mutex<Faults>,
    /// Requests in flight per account.
    pub concurrency: Concurrency,
    /// Bumped after changes to subscriptions or through the control API,
    /// waking every push task.
    pub changed: watch::Sender<u64>,
    /// Bumped after a change in one mailbox, waking its push tasks only
    /// (thousands of subscriptions need not look at every write).
    pub mailbox_changed: Mutex<HashMap<String, watch::Sender<u64>>>,
    /// Client for notifications.
    pub http: reqwest::Client,
    /// Push tasks by subscription id.
    pub push_tasks: Mutex<HashMap<String, JoinHandle<()>>>,
    /// EWS requests served, by operation.
    pub stats: Mutex<HashMap<String, u64>>,
    /// `http://127.0.0.1:port`.
    pub base_url: Mutex<String>,
    /// The port (kept across restarts).
    pub port: std::sync::atomic::AtomicU16,
    /// The running server: its stop signal and task.
    running: Mutex<Option<(oneshot::Sender<()>, JoinHandle<()>)>>,
}

impl Inner {
    /// Wakes the push tasks after a change.
    pub fn touch(&self) {
        self.changed.send_modify(|v| *v += 1);
    }

    /// Wakes the push tasks of one mailbox (its lower-case key).
    pub fn touch_mailbox(&self, mailbox: &str) {
        if let Ok(map) = self.mailbox_changed.lock()
            && let Some(tx) = map.get(mailbox)
        {
            tx.send_modify(|v| *v += 1);
        }
    }

    /// Changes in one mailbox, for its push tasks.
    pub fn watch_mailbox(&self, mailbox: &str) -> watch::Receiver<u64> {
        match self.mailbox_changed.lock() {
            Ok(mut map) => map
                .entry(mailbox.to_owned())
                .or_insert_with(|| watch::channel(0).0)
                .subscribe(),
            Err(_) => watch::channel(0).1,
        }
    }

    /// Saves the state file, when one is configured.
    pub fn save(&self) -> Result<()> {
        let Some(path) = &self.config.state_file else {
            return Ok(());
        };
        let snapshot = {
            let mut w = self
                .world
                .lock()
                .map_err(|_| FakeExchangeError::Server("state lock poisoned".into()))?;
            w.dirty = false;
            w.clone()
        };
        state::save(path, &snapshot)
    }
}

/// The fake Exchange server.
#[derive(Debug)]
pub struct FakeExchange;

/// A running fake Exchange.
pub struct FakeExchangeHandle {
    pub(crate) inner: Arc<Inner>,
    port: u16,
    saver: JoinHandle<()>,
}

impl std::fmt::Debug for FakeExchangeHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeExchangeHandle")
            .field("port", &self.port)
            .finish()
    }
}

impl FakeExchange {
    /// Starts a fake Exchange on 127.0.0.1 (state loaded from the state
    /// file when one is configured).
    pub async fn start(config: FakeExchangeConfig) -> Result<FakeExchangeHandle> {
        let seed = config.seed.unwrap_or_else(|| fastrand::u64(..));
        let world = match &config.state_file {
            Some(p) => state::load(p, seed)?,
            None => World::new(seed),
        };
        let validator = SchemaValidator::start(config.validator_threads)?;
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(16)
            .build()
            .map_err(|e| FakeExchangeError::Server(e.to_string()))?;
        let max_body = config.max_body_bytes;
        let inner = Arc::new(Inner {
            config,
            world: Mutex::new(world),
            validator,
            faults: Mutex::new(Faults::default()),
            concurrency: Concurrency::default(),
            changed: watch::channel(0).0,
            mailbox_changed: Mutex::new(HashMap::new()),
            http,
            push_tasks: Mutex::new(HashMap::new()),
            stats: Mutex::new(HashMap::new()),
            base_url: Mutex::new(String::new()),
            port: Default::default(),
            running: Mutex::new(None),
        });
        let listener = bind(inner.config.port).await?;
        let port = listener
            .local_addr()
            .map_err(|e| FakeExchangeError::Server(e.to_string()))?
            .port();
        if let Ok(mut b) = inner.base_url.lock() {
            *b = format!("http://127.0.0.1:{port}");
        }
        inner.port.store(port, std::sync::atomic::Ordering::SeqCst);
        let running = serve(Arc::clone(&inner), listener, max_body);
        if let Ok(mut r) = inner.running.lock() {
            *r = Some(running);
        }
        super::push::ensure_tasks(&inner);
        let saver = tokio::spawn(save_loop(Arc::clone(&inner)));
        Ok(FakeExchangeHandle { inner, port, saver })
    }
}

async fn bind(port: u16) -> Result<tokio::net::TcpListener> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    // A restart may race the old socket's close: try a few times.
    let mut last = None;
    for _ in 0..50 {
        match tokio::net::TcpListener::bind(addr).await {
            Ok(l) => return Ok(l),
            Err(e) => {
                last = Some(e);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }
    Err(FakeExchangeError::Bind {
        port,
        source: last.unwrap_or_else(|| std::io::Error::other("bind failed")),
    })
}

fn router(inner: Arc<Inner>, max_body: usize) -> Router {
    Router::new()
        .route("/EWS/Exchange.asmx", post(ews::handle))
        .route("/ews/exchange.asmx", post(ews::handle))
        .route("/{tenant}/oauth2/v2.0/token", post(ews::token))
        .route("/_control/health", get(|| async { "ok" }))
        .merge(control::routes())
        .layer(DefaultBodyLimit::max(max_body))
        .with_state(inner)
}

fn serve(
    inner: Arc<Inner>,
    listener: tokio::net::TcpListener,
    max_body: usize,
) -> (oneshot::Sender<()>, JoinHandle<()>) {
    let (stop_tx, stop_rx) = oneshot::channel::<()>();
    let app = router(inner, max_body);
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stop_rx.await;
            })
            .await;
    });
    (stop_tx, task)
}

async fn save_loop(inner: Arc<Inner>) {
    if inner.config.state_file.is_none() {
        return;
    }
    loop {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let dirty = inner.world.lock().map(|w| w.dirty).unwrap_or(false);
        if dirty && let Err(e) = inner.save() {
            tracing::warn!("fake Exchange: {e}");
        }
    }
}

impl FakeExchangeHandle {
    /// `http://127.0.0.1:{port}`.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The EWS endpoint.
    pub fn ews_url(&self) -> String {
        format!("{}/EWS/Exchange.asmx", self.base_url())
    }

    /// The OAuth token endpoint of `tenant`.
    pub fn token_url(&self, tenant: &str) -> String {
        format!("{}/{tenant}/oauth2/v2.0/token", self.base_url())
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Stops the server and starts it again on the same port with the state
    /// kept (subscriptions resume delivering).
    pub async fn restart(&self) -> Result<()> {
        restart(&self.inner).await
    }

    /// Stops the server (and saves the state file).
    pub async fn shutdown(self) -> Result<()> {
        stop_server(&self.inner).await;
        self.saver.abort();
        self.inner.save()
    }
}

async fn stop_server(inner: &Inner) {
    let running = inner.running.lock().ok().and_then(|mut r| r.take());
    if let Some((stop, task)) = running {
        let _ = stop.send(());
        let _ = tokio::time::timeout(Duration::from_secs(5), task).await;
    }
    if let Ok(mut tasks) = inner.push_tasks.lock() {
        for (_, t) in tasks.drain() {
            t.abort();
        }
    }
}

/// Stops the server and serves again on the same port, state kept.
pub async fn restart(inner: &Arc<Inner>) -> Result<()> {
    stop_server(inner).await;
    inner.save()?;
    let port = inner.port.load(std::sync::atomic::Ordering::SeqCst);
    let listener = bind(port).await?;
    let running = serve(Arc::clone(inner), listener, inner.config.max_body_bytes);
    if let Ok(mut r) = inner.running.lock() {
        *r = Some(running);
    }
    super::push::ensure_tasks(inner);
    Ok(())
}
