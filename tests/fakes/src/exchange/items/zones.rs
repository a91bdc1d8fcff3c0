//! Windows time zone ids (as EWS names them in `StartTimeZone/@Id` and
//! `TimeZoneDefinition/@Id`) and IANA zones, from the same CLDR and tzdata
//! tables the adapters use (`maiconnect_core::model::zones`): a real
//! Exchange knows every Windows zone, so the fake does too.
//!
//! A custom `TimeZoneDefinition` is known here by its `Id` when that is an
//! IANA name (as the EWS adapter writes them); the fake does not evaluate
//! the periods and transitions of other custom definitions (those read as
//! unknown, and the request's `TimeZoneContext` or UTC applies).

use chrono_tz::Tz;
use maiconnect_core::model::zones::{iana_to_windows, windows_to_iana, windows_zones};

/// The IANA zone for a Windows zone id (any case), or the name itself when
/// it already is an IANA name.
pub fn iana(windows_id: &str) -> Option<&'static str> {
    let id = windows_id.trim();
    let windows = windows_to_iana(id).or_else(|| {
        windows_zones()
            .iter()
            .find(|(w, _)| w.eq_ignore_ascii_case(id))
            .map(|(_, tz)| *tz)
    });
    windows
        .or_else(|| id.parse::<Tz>().ok())
        .map(|tz| tz.name())
}

/// The Windows zone id of an IANA zone, when one keeps its offsets.
pub fn windows(iana: &str) -> Option<&'static str> {
    iana.trim().parse::<Tz>().ok().and_then(iana_to_windows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_and_iana_names_resolve() {
        assert_eq!(iana("W. Europe Standard Time"), Some("Europe/Berlin"));
        assert_eq!(iana("pacific standard time"), Some("America/Los_Angeles"));
        assert_eq!(iana("Europe/Berlin"), Some("Europe/Berlin"));
        assert_eq!(iana("Mars Standard Time"), None);
        // Every Windows zone, not a handful.
        assert_eq!(iana("Nepal Standard Time"), Some("Asia/Katmandu"));
        assert_eq!(windows("Asia/Kolkata"), Some("India Standard Time"));
        assert_eq!(windows("Europe/Kyiv"), Some("FLE Standard Time"));
        assert_eq!(windows("Antarctica/Troll"), None);
    }
}
