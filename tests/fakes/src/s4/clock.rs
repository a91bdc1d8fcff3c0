//! The fake's clock: real time unless a test sets it.

use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

/// Real time (the workspace builds chrono without its `clock` feature).
pub fn system_now() -> DateTime<Utc> {
    DateTime::<Utc>::from(std::time::SystemTime::now())
}

/// Real time, or a time set through the control API.
#[derive(Debug, Default)]
pub struct Clock {
    fixed: Mutex<Option<DateTime<Utc>>>,
}

impl Clock {
    /// The current time.
    pub fn now(&self) -> DateTime<Utc> {
        match self.fixed.lock() {
            Ok(g) => g.unwrap_or_else(system_now),
            Err(p) => p.into_inner().unwrap_or_else(system_now),
        }
    }
    /// Freezes the clock at `t`.
    pub fn set(&self, t: DateTime<Utc>) {
        *self.fixed.lock().unwrap_or_else(|p| p.into_inner()) = Some(t);
    }
    /// Moves the clock by `d` (freezing it at now + d if it ran in real time).
    pub fn advance(&self, d: Duration) {
        let mut g = self.fixed.lock().unwrap_or_else(|p| p.into_inner());
        *g = Some(g.unwrap_or_else(system_now) + d);
    }
    /// Back to real time.
    pub fn real(&self) {
        *self.fixed.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }
    /// Whether the clock is frozen.
    pub fn is_fixed(&self) -> bool {
        self.fixed.lock().map(|g| g.is_some()).unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn set_advance_and_back_to_real_time() {
        let c = Clock::default();
        let t = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap();
        c.set(t);
        assert_eq!(c.now(), t);
        c.advance(Duration::minutes(5));
        assert_eq!(c.now(), t + Duration::minutes(5));
        c.real();
        assert!(!c.is_fixed());
        assert!(c.now() > t + Duration::days(-100_000));
    }
}
