//! Every zone reaches Exchange as itself (issue #23): by a Windows id whose
//! zone keeps the same offsets, or as a custom definition with the zone's
//! own periods and transitions, which reads back as the same zone.

use chrono::{DateTime, Duration, TimeZone, Utc};
use chrono_tz::{TZ_VARIANTS, Tz};
use maiconnect_core::model::Zone;
use maiconnect_core::model::zones::{CHECKED_YEARS, link_target, offset_at, offset_changes};

use super::custom::{DEFINED_YEARS, definition};
use super::definition::definition_agrees;
use super::rules::Definition;
use super::{read_zone, windows_to_iana, write_zone};
use crate::xml::{Doc, XmlWriter};

fn written(zone: Zone) -> String {
    let mut w = XmlWriter::new();
    write_zone(&mut w, "t:StartTimeZone", zone);
    String::from_utf8(w.into_bytes()).unwrap()
}

fn with_namespace(xml: &str) -> String {
    xml.replacen("<t:StartTimeZone", "<t:StartTimeZone xmlns:t=\"t\"", 1)
}

fn year(y: i32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, 1, 1, 0, 0, 0).unwrap()
}

/// Instants on both sides of every offset change of `tz` in `years`, and
/// the middle of every month.
fn probes(tz: Tz, years: std::ops::RangeInclusive<i32>) -> Vec<DateTime<Utc>> {
    let (from, to) = (year(*years.start()), year(years.end() + 1));
    let mut out: Vec<DateTime<Utc>> = offset_changes(tz, from, to)
        .iter()
        .flat_map(|c| [c.at - Duration::seconds(1), c.at, c.at + Duration::hours(1)])
        .collect();
    let mut t = from + Duration::days(14);
    while t < to {
        out.push(t);
        t += Duration::days(30);
    }
    out
}

#[test]
fn every_zone_has_a_windows_id_with_its_offsets_or_a_custom_definition_with_them() {
    let mut custom = Vec::new();
    for tz in TZ_VARIANTS {
        let xml = written(Zone::Iana(tz));
        let doc_text = with_namespace(&xml);
        let doc = Doc::parse(doc_text.as_bytes()).unwrap();
        let root = doc.root();
        match windows_to_iana(&root.attr("Id").unwrap_or_default()) {
            Some(golden) if root.child("Periods").is_none() => {
                for t in probes(tz, CHECKED_YEARS) {
                    assert_eq!(
                        offset_at(tz, t),
                        offset_at(golden, t),
                        "{tz} vs {golden} at {t}"
                    );
                }
            }
            _ => {
                custom.push(tz.name());
                let d = Definition::read(root).unwrap_or_else(|| panic!("{tz}: {xml}"));
                for t in probes(tz, CHECKED_YEARS) {
                    let want = i64::from(offset_at(tz, t).local_minus_utc());
                    assert_eq!(d.offset_at(t), Some(want), "{tz} at {t}: {xml}");
                }
                assert!(definition_agrees(&d, tz, CHECKED_YEARS), "{tz}: {xml}");
                assert_eq!(read_zone(root), Some(Zone::Iana(tz)), "{xml}");
            }
        }
    }
    assert_eq!(
        custom,
        [
            "America/Coyhaique",
            "America/Scoresbysund",
            "Antarctica/Casey",
            "Antarctica/Troll",
            "Antarctica/Vostok"
        ]
    );
}

#[test]
fn the_custom_definition_of_every_zone_keeps_its_offsets() {
    // The writer on every kind of rule tzdata has (both hemispheres, half-
    // hour DST, negative DST, Morocco's Ramadan breaks, lasting changes),
    // not only on the zones that need it today. (A link has its zone's
    // rules, so zones of their own are enough.)
    for tz in TZ_VARIANTS
        .into_iter()
        .filter(|tz| link_target(tz.name()) == tz.name())
    {
        let mut w = XmlWriter::new();
        definition(tz).write(&mut w, "t:StartTimeZone");
        let xml = with_namespace(&String::from_utf8(w.into_bytes()).unwrap());
        let doc = Doc::parse(xml.as_bytes()).unwrap();
        let d = Definition::read(doc.root()).unwrap();
        assert_eq!(d, definition(tz), "{tz}: read back differs");
        assert!(definition_agrees(&d, tz, DEFINED_YEARS), "{tz}: {xml}");
        // Without its id, the rules alone still read as a zone with the
        // same offsets.
        let anonymous = xml.replacen(&format!("Id=\"{}\"", tz.name()), "Id=\"Custom\"", 1);
        let doc = Doc::parse(anonymous.as_bytes()).unwrap();
        match read_zone(doc.root()) {
            Some(Zone::Iana(other)) => assert!(
                definition_agrees(&d, other, CHECKED_YEARS),
                "{tz} read as {other}"
            ),
            other => panic!("{tz} read as {other:?}"),
        }
    }
}

#[test]
fn troll_is_written_with_its_summer_time() {
    let troll: Tz = "Antarctica/Troll".parse().unwrap();
    let xml = written(Zone::Iana(troll));
    assert!(
        xml.starts_with(
            "<t:StartTimeZone Id=\"Antarctica/Troll\" Name=\"(UTC+00:00) Antarctica/Troll\">"
        ),
        "{xml}"
    );
    assert!(
        xml.contains("<t:Period Bias=\"PT0H\" Name=\"Standard\" Id=\"Standard/+00:00\"/>"),
        "{xml}"
    );
    assert!(
        xml.contains("<t:Period Bias=\"-PT2H\" Name=\"Daylight\" Id=\"Daylight/+02:00\"/>"),
        "{xml}"
    );
    // Last Sunday of March at 01:00 UTC, last Sunday of October at 01:00 UTC.
    assert!(xml.contains("<t:RecurringDayTransition><t:To Kind=\"Period\">Daylight/+02:00</t:To><t:TimeOffset>PT1H</t:TimeOffset><t:Month>3</t:Month><t:DayOfWeek>Sunday</t:DayOfWeek><t:Occurrence>-1</t:Occurrence></t:RecurringDayTransition>"), "{xml}");
    assert!(
        xml.contains("<t:TimeOffset>PT3H</t:TimeOffset><t:Month>10</t:Month>"),
        "{xml}"
    );
    assert!(!xml.contains("maiconnect/UTC+00:00"), "{xml}");
}
