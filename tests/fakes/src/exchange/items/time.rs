//! EWS `xs:dateTime` values: read in the zone the request names, stored and
//! returned in UTC with a `Z`, as Exchange returns them.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use maiconnect_core::model::Zone;

use super::zones;

/// Reads an EWS date-time. A value without an offset is local time in
/// `zone` (the request's `TimeZoneContext` or the item's start zone).
pub fn parse_dt(text: &str, zone: Zone) -> Option<DateTime<Utc>> {
    let t = text.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(t) {
        return Some(d.with_timezone(&Utc));
    }
    let naive = NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M"))
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(t.get(..10)?, "%Y-%m-%d")
                .ok()
                .map(|d| d.and_time(chrono::NaiveTime::MIN))
        })?;
    Some(zone.instant(naive))
}

/// Writes a UTC date-time as Exchange does (`2026-05-04T09:00:00Z`).
pub fn fmt_dt(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Reads the date part of an `xs:date` (`2014-03-08`, `2014-03-08Z`,
/// `2014-03-08-08:00`).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim().get(..10)?, "%Y-%m-%d").ok()
}

/// The zone for a Windows or IANA zone id.
pub fn zone_named(id: &str) -> Option<Zone> {
    if let Some(iana) = zones::iana(id) {
        return iana.parse().ok();
    }
    id.trim().parse::<chrono_tz::Tz>().ok().map(Zone::Iana)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_take_the_zone_and_utc_times_do_not() {
        let berlin = zone_named("W. Europe Standard Time").unwrap();
        let a = parse_dt("2026-07-01T09:00:00", berlin).unwrap();
        assert_eq!(fmt_dt(a), "2026-07-01T07:00:00Z");
        let b = parse_dt("2026-07-01T09:00:00Z", berlin).unwrap();
        assert_eq!(fmt_dt(b), "2026-07-01T09:00:00Z");
        let c = parse_dt("2026-07-01T09:00:00+02:00", Zone::UTC).unwrap();
        assert_eq!(c, a);
        assert_eq!(
            parse_date("2014-03-08-08:00").unwrap().to_string(),
            "2014-03-08"
        );
        assert!(parse_dt("yesterday", Zone::UTC).is_none());
    }
}
