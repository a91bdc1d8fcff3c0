//! Literals in URLs: key predicates and `$filter` operands.
//!
//! Reference: OData Version 2.0, URI Conventions, §2.2.2 (abstract type
//! system): `'text'` with `'` doubled, `guid'…'`, `datetime'yyyy-mm-ddThh:mm[:ss[.fffffff]]'`,
//! `datetimeoffset'…'`, `true`, `42`, `42L`, `null`.

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDateTime, Timelike};
use uuid::Uuid;

use crate::wire::value::ValueError;

/// A literal value in a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Literal {
    /// `null`.
    Null,
    /// `'text'`.
    String(String),
    /// `guid'…'`.
    Guid(Uuid),
    /// `datetime'…'` (UTC by SAP's convention; the literal has no zone).
    DateTime(NaiveDateTime),
    /// `datetimeoffset'…'`.
    DateTimeOffset(DateTime<FixedOffset>),
    /// `true` / `false`.
    Boolean(bool),
    /// `42`.
    Int32(i32),
    /// `42L`.
    Int64(i64),
}

impl Literal {
    /// A string literal.
    pub fn string(s: impl Into<String>) -> Literal {
        Literal::String(s.into())
    }
}

/// Writes the fraction of a second with up to 7 digits (100 ns ticks, as
/// `Edm.DateTime` holds), without trailing zeros.
fn fraction(nanos: u32) -> String {
    let ticks = (nanos % 1_000_000_000) / 100;
    if ticks == 0 {
        return String::new();
    }
    let digits = format!("{ticks:07}");
    format!(".{}", digits.trim_end_matches('0'))
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Literal::Null => f.write_str("null"),
            Literal::String(s) => write!(f, "'{}'", s.replace('\'', "''")),
            Literal::Guid(g) => write!(f, "guid'{}'", g.hyphenated()),
            Literal::DateTime(t) => write!(
                f,
                "datetime'{}{}'",
                t.format("%Y-%m-%dT%H:%M:%S"),
                fraction(t.nanosecond())
            ),
            Literal::DateTimeOffset(t) => {
                let off = t.offset().local_minus_utc();
                let zone = if off == 0 {
                    "Z".to_owned()
                } else {
                    t.format("%:z").to_string()
                };
                write!(
                    f,
                    "datetimeoffset'{}{}{zone}'",
                    t.format("%Y-%m-%dT%H:%M:%S"),
                    fraction(t.nanosecond())
                )
            }
            Literal::Boolean(b) => write!(f, "{b}"),
            Literal::Int32(i) => write!(f, "{i}"),
            Literal::Int64(i) => write!(f, "{i}L"),
        }
    }
}

/// Reads a quoted body `'…'` with `''` escapes; returns the text and the
/// rest after the closing quote.
pub(crate) fn read_quoted(s: &str) -> Result<(String, &str), ValueError> {
    let mut rest = s.strip_prefix('\'').ok_or("does not start with a quote")?;
    let mut out = String::new();
    loop {
        let i = rest.find('\'').ok_or("has no closing quote")?;
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        if let Some(r) = rest.strip_prefix('\'') {
            out.push('\'');
            rest = r;
        } else {
            return Ok((out, rest));
        }
    }
}

fn naive(s: &str) -> Result<NaiveDateTime, ValueError> {
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|fmt| NaiveDateTime::parse_from_str(s, fmt).ok())
        .ok_or("is not a date-time yyyy-mm-ddThh:mm[:ss[.fffffff]]")
}

/// Reads one literal (the whole of `s`).
pub fn parse_literal(s: &str) -> Result<Literal, ValueError> {
    let whole = |(text, rest): (String, &str)| {
        if rest.is_empty() {
            Ok(text)
        } else {
            Err("has text after the closing quote")
        }
    };
    if s == "null" {
        return Ok(Literal::Null);
    }
    if s == "true" || s == "false" {
        return Ok(Literal::Boolean(s == "true"));
    }
    if s.starts_with('\'') {
        return whole(read_quoted(s)?).map(Literal::String);
    }
    if let Some(r) = s.strip_prefix("guid") {
        let text = whole(read_quoted(r)?)?;
        return Uuid::try_parse(&text)
            .map(Literal::Guid)
            .map_err(|_| "is not a GUID");
    }
    if let Some(r) = s.strip_prefix("datetimeoffset") {
        let text = whole(read_quoted(r)?)?;
        return DateTime::parse_from_rfc3339(&text)
            .map(Literal::DateTimeOffset)
            .map_err(|_| "is not an ISO 8601 date-time with offset");
    }
    if let Some(r) = s.strip_prefix("datetime") {
        return naive(&whole(read_quoted(r)?)?).map(Literal::DateTime);
    }
    if let Some(n) = s.strip_suffix('L') {
        return n.parse().map(Literal::Int64).map_err(|_| "is not an Int64");
    }
    s.parse()
        .map(Literal::Int32)
        .map_err(|_| "is not a literal")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone, Utc};
    use proptest::prelude::*;

    #[test]
    fn writes_sap_literals() {
        assert_eq!(Literal::string("O'Neil").to_string(), "'O''Neil'");
        let g = Uuid::parse_str("0050568C2B4F1EE8A1B2C3D4E5F60718").unwrap();
        assert_eq!(
            Literal::Guid(g).to_string(),
            "guid'0050568c-2b4f-1ee8-a1b2-c3d4e5f60718'"
        );
        let t = NaiveDate::from_ymd_opt(9999, 12, 31)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        assert_eq!(
            Literal::DateTime(t).to_string(),
            "datetime'9999-12-31T00:00:00'"
        );
        let o = FixedOffset::east_opt(3600)
            .unwrap()
            .with_ymd_and_hms(2026, 12, 1, 9, 0, 0)
            .unwrap();
        assert_eq!(
            Literal::DateTimeOffset(o).to_string(),
            "datetimeoffset'2026-12-01T09:00:00+01:00'"
        );
        let z = Utc
            .with_ymd_and_hms(2026, 12, 1, 9, 0, 0)
            .unwrap()
            .fixed_offset();
        assert_eq!(
            Literal::DateTimeOffset(z).to_string(),
            "datetimeoffset'2026-12-01T09:00:00Z'"
        );
        assert_eq!(Literal::Int64(42).to_string(), "42L");
        assert_eq!(Literal::Null.to_string(), "null");
    }

    #[test]
    fn reads_short_datetimes_and_rejects_garbage() {
        assert_eq!(
            parse_literal("datetime'2017-12-24T18:00'").unwrap(),
            Literal::DateTime(
                NaiveDate::from_ymd_opt(2017, 12, 24)
                    .unwrap()
                    .and_hms_opt(18, 0, 0)
                    .unwrap()
            )
        );
        for bad in [
            "'open",
            "'a'b",
            "guid'xyz'",
            "datetime'24.12.2017'",
            "bogus",
        ] {
            assert!(parse_literal(bad).is_err(), "{bad}");
        }
    }

    fn ticks() -> impl Strategy<Value = NaiveDateTime> {
        (0i64..253_402_300_799, 0u32..10_000_000).prop_map(|(s, t)| {
            chrono::DateTime::from_timestamp(s, t * 100)
                .unwrap()
                .naive_utc()
        })
    }

    proptest! {
        #[test]
        fn string_literals_round_trip(s in any::<String>()) {
            let lit = Literal::String(s);
            prop_assert_eq!(parse_literal(&lit.to_string()).unwrap(), lit);
        }

        #[test]
        fn datetime_literals_round_trip(t in ticks()) {
            let lit = Literal::DateTime(t);
            prop_assert_eq!(parse_literal(&lit.to_string()).unwrap(), lit);
        }

        #[test]
        fn datetimeoffset_literals_round_trip(t in ticks(), minutes in -1439i32..1440) {
            let off = FixedOffset::east_opt(minutes * 60).unwrap();
            let lit = Literal::DateTimeOffset(t.and_utc().with_timezone(&off));
            let back = parse_literal(&lit.to_string()).unwrap();
            prop_assert_eq!(&back, &lit);
        }

        #[test]
        fn guid_and_number_literals_round_trip(g in any::<u128>(), i in any::<i32>(), l in any::<i64>()) {
            for lit in [Literal::Guid(Uuid::from_u128(g)), Literal::Int32(i), Literal::Int64(l)] {
                prop_assert_eq!(parse_literal(&lit.to_string()).unwrap(), lit);
            }
        }
    }
}
