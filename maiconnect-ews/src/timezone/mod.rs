//! Zones on the wire: `StartTimeZone`, `EndTimeZone` and `TimeZoneContext`
//! name a Windows time-zone id where one keeps the zone's offsets, and
//! otherwise carry the zone's own rules as a custom definition.
//!
//! Which IANA zone has which Windows id is the core's
//! ([`maiconnect_core::model::zones`]), so that every adapter names zones
//! the same way; this module writes and reads the EWS elements.

mod custom;
mod definition;
mod rules;
#[cfg(test)]
mod tests;

use chrono_tz::Tz;

pub use definition::{parse_duration_seconds, read_zone, write_zone};
pub use maiconnect_core::model::zones::{iana_to_windows, windows_to_iana, zone_to_windows};

/// The Windows ids with their IANA zones, in CLDR order.
pub(crate) fn golden_zones() -> &'static [(&'static str, Tz)] {
    maiconnect_core::model::zones::windows_zones()
}
