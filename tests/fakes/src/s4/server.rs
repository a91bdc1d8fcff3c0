//! Starting, restarting and stopping the fake: an axum server on
//! 127.0.0.1, the event sender, and the state file.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;

use super::config::FakeS4Config;
use super::control;
use super::edm::ServiceId;
use super::error::FakeS4Error;
use super::events::{EventRecord, run_sender};
use super::gateway::{self, ODATA_ROOT};
use super::shared::{Shared, lock};
use super::store::Store;

/// The fake S/4HANA.
#[derive(Debug)]
pub struct FakeS4;

#[derive(Debug)]
struct Running {
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) shared: Arc<Shared>,
    addr: SocketAddr,
    server: tokio::sync::Mutex<Option<Running>>,
    background: watch::Sender<bool>,
}

/// A running fake: its URLs and the typed control API.
#[derive(Debug, Clone)]
pub struct FakeS4Handle {
    pub(crate) inner: Arc<Inner>,
}

/// The state file: the data and the event log (so that events not yet
/// delivered survive a restart, as in SAP's persistent bgRFC queue).
#[derive(serde::Deserialize)]
struct SavedState {
    store: Store,
    #[serde(default)]
    events: Vec<EventRecord>,
}

#[derive(serde::Serialize)]
struct SavedStateRef<'a> {
    store: &'a Store,
    events: &'a [EventRecord],
}

fn load(config: &FakeS4Config, seed: u64) -> Result<(Store, Vec<EventRecord>), FakeS4Error> {
    let Some(path) = &config.state_file else {
        return Ok((Store::new(seed), Vec::new()));
    };
    let error = |message: String| FakeS4Error::StateFile {
        path: path.display().to_string(),
        message,
    };
    match std::fs::read(path) {
        Ok(bytes) => {
            let SavedState { mut store, events } = serde_json::from_slice(&bytes)
                .map_err(|e| error(format!("not a saved fake S/4HANA state: {e}")))?;
            // Continue the GUID sequence without repeating the first run's.
            store.reseed(
                seed ^ (store.appointments.len() + store.tasks.len() + events.len()) as u64
                    ^ 0x9E37_79B9,
            );
            Ok((store, events))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok((Store::new(seed), Vec::new())),
        Err(e) => Err(error(e.to_string())),
    }
}

async fn bind(port: u16) -> Result<TcpListener, FakeS4Error> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut last = None;
    // A restart rebinds the port just released; give the OS a moment.
    for _ in 0..50 {
        match TcpListener::bind(addr).await {
            Ok(l) => return Ok(l),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && port != 0 => {
                last = Some(e);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Err(e) => return Err(FakeS4Error::Bind { port, source: e }),
        }
    }
    Err(FakeS4Error::Bind {
        port,
        source: last.unwrap_or_else(|| std::io::Error::other("address in use")),
    })
}

fn serve(listener: TcpListener, handle: FakeS4Handle) -> Running {
    let shared = handle.inner.shared.clone();
    let odata = axum::Router::new()
        .fallback(gateway::entry)
        .with_state(shared);
    let app = control::router(handle).fallback_service(odata);
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
    });
    Running { stop, task }
}

impl FakeS4 {
    /// Starts a fake on 127.0.0.1 (`config.port`, 0 for a free port).
    pub async fn start(config: FakeS4Config) -> Result<FakeS4Handle, FakeS4Error> {
        let seed = config.seed.unwrap_or_else(|| fastrand::u64(..));
        let (store, events) = load(&config, seed)?;
        let listener = bind(config.port).await?;
        let addr = listener.local_addr().map_err(|e| FakeS4Error::Bind {
            port: config.port,
            source: e,
        })?;
        let shared = Arc::new(Shared::new(config, store, seed));
        shared.events.restore(events);
        let (background, stop_rx) = watch::channel(false);
        let handle = FakeS4Handle {
            inner: Arc::new(Inner {
                shared: shared.clone(),
                addr,
                server: tokio::sync::Mutex::new(None),
                background,
            }),
        };
        tokio::spawn(run_sender(shared.clone(), stop_rx.clone()));
        if shared.config.state_file.is_some() {
            tokio::spawn(autosave(handle.clone(), stop_rx));
        }
        let running = serve(listener, handle.clone());
        *handle.inner.server.lock().await = Some(running);
        Ok(handle)
    }
}

async fn autosave(handle: FakeS4Handle, mut stop: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            _ = stop.changed() => return,
        }
        if handle.inner.shared.dirty.load(Ordering::Relaxed) {
            let _ = handle.save();
        }
    }
}

impl FakeS4Handle {
    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.inner.addr)
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.inner.addr.port()
    }

    /// The root URL of a service, ending in `/`
    /// (`http://127.0.0.1:<port>/sap/opu/odata/NAG/CRM_APPOINTMENT_SRV_01/`;
    /// `…/sap/CRM_APPOINTMENT_SRV/` with the standard catalogue).
    pub fn service_url(&self, service: ServiceId) -> String {
        let catalogue = lock(&self.inner.shared.settings).quirks.catalogue;
        let model = service.model(catalogue);
        format!(
            "{}{ODATA_ROOT}{}/{}/",
            self.base_url(),
            model.namespace_segment,
            model.name
        )
    }

    /// The system's client (`sap-client`).
    pub fn client(&self) -> &str {
        &self.inner.shared.config.client
    }

    /// The first configured user and password.
    pub fn credentials(&self) -> (String, String) {
        let s = lock(&self.inner.shared.settings);
        s.users
            .first()
            .map(|u| (u.name.clone(), u.password.clone()))
            .unwrap_or_default()
    }

    /// Writes the state to the state file (if one is configured).
    pub fn save(&self) -> Result<(), FakeS4Error> {
        let shared = &self.inner.shared;
        let Some(path) = &shared.config.state_file else {
            return Ok(());
        };
        shared.dirty.store(false, Ordering::Relaxed);
        let bytes = {
            // Store before events: the order in which commits lock them.
            let store = lock(&shared.store);
            let events = shared.events.log();
            serde_json::to_vec(&SavedStateRef {
                store: &store,
                events: &events,
            })
        };
        let error = |message: String| FakeS4Error::StateFile {
            path: path.display().to_string(),
            message,
        };
        let bytes = bytes.map_err(|e| error(e.to_string()))?;
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, bytes).map_err(|e| error(e.to_string()))?;
        std::fs::rename(&tmp, path).map_err(|e| error(e.to_string()))
    }

    async fn stop_server(&self) {
        let running = self.inner.server.lock().await.take();
        if let Some(r) = running {
            let _ = r.stop.send(());
            let abort = r.task.abort_handle();
            if tokio::time::timeout(Duration::from_secs(3), r.task)
                .await
                .is_err()
            {
                // Idle keep-alive connections must not hold a restart up.
                abort.abort();
            }
        }
    }

    /// Stops and starts the server on the same port, keeping the data (but
    /// not the logon sessions, as on a real restart).
    pub async fn restart(&self) -> Result<(), FakeS4Error> {
        self.stop_server().await;
        lock(&self.inner.shared.sessions).clear();
        self.save()?;
        let listener = bind(self.port()).await?;
        let running = serve(listener, self.clone());
        *self.inner.server.lock().await = Some(running);
        self.inner.shared.events.wake();
        Ok(())
    }

    /// Stops the server and the event sender; saves the state.
    pub async fn shutdown(&self) -> Result<(), FakeS4Error> {
        self.stop_server().await;
        let _ = self.inner.background.send(true);
        self.save()
    }
}
