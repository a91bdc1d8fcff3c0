//! Fault injection for the in-memory ports.

use std::sync::Mutex;

use crate::error::{ErrorKind, PortError};

/// When an injected fault strikes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// The n-th write from now (0 = the next) fails before it happens.
    FailBefore(u32, PortError),
    /// The n-th write from now happens, then reports a failure (a crash or
    /// lost response after the write).
    FailAfter(u32, PortError),
}

/// Faults waiting to strike; shared by the in-memory ports.
#[derive(Debug, Default)]
pub struct Faults {
    pending: Mutex<Vec<Fault>>,
    writes: Mutex<u64>,
}

/// What a write should do.
pub(crate) enum Strike {
    None,
    Before(PortError),
    After(PortError),
}

impl Faults {
    /// Arms a fault.
    pub fn arm(&self, fault: Fault) {
        self.lock().push(fault);
    }
    /// Disarms all faults.
    pub fn clear(&self) {
        self.lock().clear();
    }
    /// How many writes happened so far.
    pub fn writes(&self) -> u64 {
        *self.writes.lock().unwrap_or_else(|p| p.into_inner())
    }
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Fault>> {
        self.pending.lock().unwrap_or_else(|p| p.into_inner())
    }
    /// Called at every write: counts down the armed faults.
    pub(crate) fn on_write(&self) -> Strike {
        *self.writes.lock().unwrap_or_else(|p| p.into_inner()) += 1;
        let mut pending = self.lock();
        let mut strike = Strike::None;
        let mut keep = Vec::with_capacity(pending.len());
        for f in pending.drain(..) {
            match f {
                Fault::FailBefore(0, e) if matches!(strike, Strike::None) => {
                    strike = Strike::Before(e)
                }
                Fault::FailAfter(0, e) if matches!(strike, Strike::None) => {
                    strike = Strike::After(e)
                }
                Fault::FailBefore(n, e) if n > 0 => keep.push(Fault::FailBefore(n - 1, e)),
                Fault::FailAfter(n, e) if n > 0 => keep.push(Fault::FailAfter(n - 1, e)),
                other => keep.push(other),
            }
        }
        *pending = keep;
        strike
    }
}

/// The error of a simulated crash.
pub fn crash() -> PortError {
    PortError::new(ErrorKind::Unavailable, "simulated crash")
}
