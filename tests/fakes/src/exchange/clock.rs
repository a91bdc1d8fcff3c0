//! The fake's clock: real time by default, or set and advanced by tests.
//!
//! Item timestamps, event time stamps and token expiry read this clock;
//! heartbeats and notification retries run on tokio's timer (scaled by the
//! configured length of a "minute").

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// How the clock runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum Clock {
    /// The system clock.
    #[default]
    Real,
    /// The system clock shifted by `offset_ms`.
    Shifted {
        /// Milliseconds added to the system clock.
        offset_ms: i64,
    },
    /// Frozen at `at` until set or advanced again.
    Fixed {
        /// The frozen instant.
        at: DateTime<Utc>,
    },
}

/// The system clock (chrono's `Utc::now` needs a feature the workspace
/// leaves off).
pub fn system_now() -> DateTime<Utc> {
    DateTime::<Utc>::from(std::time::SystemTime::now())
}

impl Clock {
    /// The current instant (whole milliseconds).
    pub fn now(&self) -> DateTime<Utc> {
        let t = match self {
            Clock::Real => system_now(),
            Clock::Shifted { offset_ms } => system_now() + Duration::milliseconds(*offset_ms),
            Clock::Fixed { at } => *at,
        };
        DateTime::from_timestamp_millis(t.timestamp_millis()).unwrap_or(t)
    }

    /// Freezes the clock at `at`.
    pub fn set(&mut self, at: DateTime<Utc>) {
        *self = Clock::Fixed { at };
    }

    /// Moves the clock forward (or back, for a negative amount); a running
    /// clock keeps running.
    pub fn advance(&mut self, by: Duration) {
        *self = match *self {
            Clock::Real => Clock::Shifted {
                offset_ms: by.num_milliseconds(),
            },
            Clock::Shifted { offset_ms } => Clock::Shifted {
                offset_ms: offset_ms + by.num_milliseconds(),
            },
            Clock::Fixed { at } => Clock::Fixed { at: at + by },
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_advances_only_when_told() {
        let at: DateTime<Utc> = "2026-05-04T10:00:00Z".parse().unwrap();
        let mut c = Clock::Real;
        c.set(at);
        assert_eq!(c.now(), at);
        c.advance(Duration::minutes(90));
        assert_eq!(c.now(), at + Duration::minutes(90));
        let mut r = Clock::Real;
        r.advance(Duration::days(1));
        assert!(r.now() > system_now() + Duration::hours(23));
    }
}
