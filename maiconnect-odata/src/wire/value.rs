//! Primitive values in OData v2 JSON ("verbose JSON").
//!
//! Reference: OData Version 2.0, "JSON Format", §2.2.6.3 (primitive types):
//! `Edm.DateTime` is `"/Date(<ms since 1970-01-01 UTC>)/"`,
//! `Edm.DateTimeOffset` is `"/Date(<ms>±<offset in minutes, 4 digits>)/"`
//! (some Gateway services send ISO 8601 instead, or omit the offset),
//! `Edm.Time` is an ISO 8601 duration such as `"PT11H43M43S"`, and
//! `Edm.Int64` / `Edm.Decimal` are strings.

use chrono::{DateTime, FixedOffset, NaiveTime, TimeZone, Timelike, Utc};

/// Why a value could not be read.
pub type ValueError = &'static str;

/// Splits `/Date(<ms>[±hhmm])/` into milliseconds and the offset in minutes.
fn split_date(s: &str) -> Result<(i64, Option<i32>), ValueError> {
    let inner = s
        .strip_prefix("/Date(")
        .and_then(|r| r.strip_suffix(")/"))
        .ok_or("is not a /Date(ms)/ value")?;
    let bytes = inner.as_bytes();
    // The sign of the offset is the first + or - after the first digit.
    let split = bytes
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, b)| **b == b'+' || **b == b'-')
        .map(|(i, _)| i);
    let (ms, offset) = match split {
        Some(i) => (&inner[..i], Some(&inner[i..])),
        None => (inner, None),
    };
    let ms = parse_i64(ms).ok_or("has no valid milliseconds in /Date(ms)/")?;
    let offset = match offset {
        None => None,
        Some(o) => {
            let sign = if o.starts_with('-') { -1 } else { 1 };
            let digits = &o[1..];
            if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err("has an offset that is not 4 digits of minutes");
            }
            let minutes: i32 = digits.parse().map_err(|_| "has a bad offset")?;
            Some(sign * minutes)
        }
    };
    Ok((ms, offset))
}

/// A fast decimal parser for the hot path of listing thousands of entities.
fn parse_i64(s: &str) -> Option<i64> {
    let (neg, digits) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || digits.len() > 18 {
        return None;
    }
    let mut v: i64 = 0;
    for b in digits.bytes() {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(b - b'0');
    }
    Some(if neg { -v } else { v })
}

fn instant(ms: i64) -> Result<DateTime<Utc>, ValueError> {
    DateTime::<Utc>::from_timestamp_millis(ms).ok_or("is out of the supported date range")
}

/// Reads an `Edm.DateTime`: `/Date(ms)/` (an offset, if present, is ignored:
/// the milliseconds are UTC either way).
pub fn parse_datetime(s: &str) -> Result<DateTime<Utc>, ValueError> {
    let (ms, _) = split_date(s)?;
    instant(ms)
}

/// Reads an `Edm.DateTimeOffset`: `/Date(ms±mmmm)/` with the offset in
/// minutes (missing: UTC), or ISO 8601 / RFC 3339 text.
pub fn parse_datetime_offset(s: &str) -> Result<DateTime<FixedOffset>, ValueError> {
    if s.starts_with("/Date(") {
        let (ms, offset) = split_date(s)?;
        let off = FixedOffset::east_opt(offset.unwrap_or(0) * 60)
            .ok_or("has an offset of a day or more")?;
        return Ok(instant(ms)?.with_timezone(&off));
    }
    DateTime::parse_from_rfc3339(s)
        .or_else(|_| {
            // Gateway sometimes leaves out the zone: treat it as UTC.
            chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
                .map(|n| Utc.from_utc_datetime(&n).fixed_offset())
        })
        .map_err(|_| "is neither /Date(ms±mmmm)/ nor an ISO 8601 date-time")
}

/// Writes an `Edm.DateTime` as `/Date(ms)/`.
pub fn format_datetime(t: DateTime<Utc>) -> String {
    format!("/Date({})/", t.timestamp_millis())
}

/// Writes an `Edm.DateTimeOffset` as `/Date(ms±mmmm)/`.
pub fn format_datetime_offset(t: DateTime<FixedOffset>) -> String {
    let minutes = t.offset().local_minus_utc() / 60;
    let sign = if minutes < 0 { '-' } else { '+' };
    format!("/Date({}{sign}{:04})/", t.timestamp_millis(), minutes.abs())
}

/// Reads an `Edm.Time` such as `PT11H43M43S` (also `PT0S`, `PT9H`,
/// fractional seconds `PT1M2.5S`).
pub fn parse_time(s: &str) -> Result<NaiveTime, ValueError> {
    let mut rest = s
        .strip_prefix("PT")
        .ok_or("is not an Edm.Time such as PT11H43M43S")?;
    if rest.is_empty() {
        return Err("is an empty duration");
    }
    let (mut h, mut m, mut secs, mut nanos) = (0u32, 0u32, 0u32, 0u32);
    let mut last = 0u8;
    while !rest.is_empty() {
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or("has a number without a unit")?;
        let (num, unit) = rest.split_at(end);
        let unit_byte = unit.as_bytes()[0];
        let order = match unit_byte {
            b'H' => 1,
            b'M' => 2,
            b'S' => 3,
            _ => return Err("has a unit other than H, M or S"),
        };
        if order <= last || num.is_empty() {
            return Err("has its parts out of order or empty");
        }
        last = order;
        match unit_byte {
            b'H' => h = num.parse().map_err(|_| "has bad hours")?,
            b'M' => m = num.parse().map_err(|_| "has bad minutes")?,
            _ => {
                let (whole, frac) = num.split_once('.').unwrap_or((num, ""));
                secs = whole.parse().map_err(|_| "has bad seconds")?;
                if !frac.is_empty() {
                    let digits: String =
                        frac.chars().chain(std::iter::repeat('0')).take(9).collect();
                    nanos = digits.parse().map_err(|_| "has bad fractional seconds")?;
                }
            }
        }
        rest = &unit[1..];
    }
    NaiveTime::from_hms_nano_opt(h, m, secs, nanos)
        .ok_or("is not a time of day (00:00 to 23:59:59)")
}

/// Writes an `Edm.Time` as `PThhHmmMssS`.
pub fn format_time(t: NaiveTime) -> String {
    let nanos = t.nanosecond();
    if nanos == 0 {
        format!("PT{:02}H{:02}M{:02}S", t.hour(), t.minute(), t.second())
    } else {
        let frac = format!("{nanos:09}");
        format!(
            "PT{:02}H{:02}M{:02}.{}S",
            t.hour(),
            t.minute(),
            t.second(),
            frac.trim_end_matches('0')
        )
    }
}

/// Reads an `Edm.Int64` sent as a string (or, leniently, a number).
pub fn parse_int64(v: &serde_json::Value) -> Result<i64, ValueError> {
    match v {
        serde_json::Value::String(s) => s.trim().parse().map_err(|_| "is not an Edm.Int64"),
        serde_json::Value::Number(n) => n.as_i64().ok_or("is not an Edm.Int64"),
        _ => Err("is not an Edm.Int64"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_sap_dates() {
        let t = parse_datetime("/Date(1535932800000)/").unwrap();
        assert_eq!(t.to_rfc3339(), "2018-09-03T00:00:00+00:00");
        let o = parse_datetime_offset("/Date(1535932800000+0060)/").unwrap();
        assert_eq!(o.to_rfc3339(), "2018-09-03T01:00:00+01:00");
        assert_eq!(o.with_timezone(&Utc), t);
        let o = parse_datetime_offset("/Date(1535932800000-0330)/").unwrap();
        assert_eq!(
            o.offset().local_minus_utc(),
            -330 * 60,
            "the offset counts minutes"
        );
        // The cloud SDK's sample offset +1000 minutes is 16 h 40 min.
        let o = parse_datetime_offset("/Date(1535932800000+1000)/").unwrap();
        assert_eq!(o.offset().local_minus_utc(), 1000 * 60);
        assert_eq!(
            parse_datetime("/Date(-86400000)/").unwrap().to_rfc3339(),
            "1969-12-31T00:00:00+00:00"
        );
        let iso = parse_datetime_offset("2026-11-27T09:30:00Z").unwrap();
        assert_eq!(iso.to_rfc3339(), "2026-11-27T09:30:00+00:00");
        assert_eq!(parse_datetime_offset("2026-11-27T09:30:00").unwrap(), iso);
    }

    #[test]
    fn rejects_bad_dates_with_a_reason() {
        for bad in [
            "2018-09-03",
            "/Date()/",
            "/Date(12a)/",
            "/Date(1+60)/",
            "/Date(1+006x)/",
            "Date(1)",
        ] {
            assert!(parse_datetime(bad).is_err(), "{bad}");
        }
        assert!(parse_datetime("/Date(99999999999999999)/").is_err());
    }

    #[test]
    fn reads_and_writes_edm_time() {
        let t = parse_time("PT11H43M43S").unwrap();
        assert_eq!(t, NaiveTime::from_hms_opt(11, 43, 43).unwrap());
        assert_eq!(format_time(t), "PT11H43M43S");
        assert_eq!(
            parse_time("PT9H").unwrap(),
            NaiveTime::from_hms_opt(9, 0, 0).unwrap()
        );
        assert_eq!(parse_time("PT0S").unwrap(), NaiveTime::MIN);
        let f = parse_time("PT1M2.5S").unwrap();
        assert_eq!(f, NaiveTime::from_hms_milli_opt(0, 1, 2, 500).unwrap());
        assert_eq!(format_time(f), "PT00H01M02.5S");
        for bad in ["11:43:43", "PT", "PT5X", "PT5S3M", "PT25H"] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn reads_int64_strings() {
        assert_eq!(parse_int64(&serde_json::json!("345")).unwrap(), 345);
        assert_eq!(parse_int64(&serde_json::json!(7)).unwrap(), 7);
        assert!(parse_int64(&serde_json::json!("3.5")).is_err());
    }

    proptest! {
        #[test]
        fn datetime_round_trips(ms in -62_135_596_800_000i64..253_402_300_799_000i64) {
            let t = DateTime::<Utc>::from_timestamp_millis(ms).unwrap();
            prop_assert_eq!(parse_datetime(&format_datetime(t)).unwrap(), t);
        }

        #[test]
        fn datetime_offset_round_trips(ms in -62_000_000_000_000i64..253_000_000_000_000i64, minutes in -1439i32..1440) {
            let off = FixedOffset::east_opt(minutes * 60).unwrap();
            let t = DateTime::<Utc>::from_timestamp_millis(ms).unwrap().with_timezone(&off);
            let back = parse_datetime_offset(&format_datetime_offset(t)).unwrap();
            prop_assert_eq!(back, t);
            prop_assert_eq!(back.offset(), t.offset());
        }

        #[test]
        fn time_round_trips(secs in 0u32..86_400, nanos in 0u32..1_000_000_000) {
            let t = NaiveTime::from_num_seconds_from_midnight_opt(secs, nanos).unwrap();
            prop_assert_eq!(parse_time(&format_time(t)).unwrap(), t);
        }
    }
}
