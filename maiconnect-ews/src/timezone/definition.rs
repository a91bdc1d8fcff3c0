//! `TimeZoneDefinition` elements (`StartTimeZone`, `EndTimeZone`): read
//! them into a model [`Zone`], write a zone as one.
//!
//! See <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/timezonedefinition>.

use std::ops::RangeInclusive;

use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use chrono_tz::Tz;
use maiconnect_core::model::Zone;
use maiconnect_core::model::zones::{CHECKED_YEARS, offset_at, offset_changes};

use super::custom;
use super::rules::Definition;
use super::{golden_zones, windows_to_iana, zone_to_windows};
use crate::xml::{Node, XmlWriter};

/// Seconds of an `xs:duration` such as `-PT1H`, `PT5H30M`, `P1DT2H`.
pub fn parse_duration_seconds(s: &str) -> Option<i64> {
    let s = s.trim();
    let (sign, rest) = match s.strip_prefix('-') {
        Some(r) => (-1, r),
        None => (1, s),
    };
    let rest = rest.strip_prefix('P')?;
    let (days, time) = match rest.split_once('T') {
        Some((d, t)) => (d, t),
        None => (rest, ""),
    };
    let mut total: i64 = 0;
    if !days.is_empty() {
        total += days.strip_suffix('D')?.parse::<i64>().ok()? * 86_400;
    }
    let mut num = String::new();
    for c in time.chars() {
        match c {
            '0'..='9' | '.' => num.push(c),
            'H' | 'M' | 'S' => {
                let v: f64 = num.parse().ok()?;
                let unit = match c {
                    'H' => 3600.0,
                    'M' => 60.0,
                    _ => 1.0,
                };
                total += (v * unit) as i64;
                num.clear();
            }
            _ => return None,
        }
    }
    if !num.is_empty() {
        return None;
    }
    Some(sign * total)
}

/// An `xs:duration` of a bias or a time of day in seconds: `-PT5H30M`.
pub(crate) fn duration_text(seconds: i64) -> String {
    let sign = if seconds < 0 { "-" } else { "" };
    let s = seconds.abs();
    let (h, m, sec) = (s / 3600, (s % 3600) / 60, s % 60);
    match (m, sec) {
        (0, 0) => format!("{sign}PT{h}H"),
        (_, 0) => format!("{sign}PT{h}H{m}M"),
        _ => format!("{sign}PT{h}H{m}M{sec}S"),
    }
}

/// Reads a `TimeZoneDefinition`-typed element into a zone: by its Windows
/// id; by its IANA name (the id of the custom definitions [`write_zone`]
/// writes); by the Windows id inside its period ids; else by its rules,
/// taking the first zone (Windows zones first, then every IANA zone) whose
/// UTC offsets equal the definition's throughout [`CHECKED_YEARS`]. A
/// definition nothing matches falls back to its fixed standard offset (with
/// a warning), never to UTC.
pub fn read_zone(node: Node<'_, '_>) -> Option<Zone> {
    if let Some(id) = node.attr("Id") {
        if let Some(tz) = windows_to_iana(&id) {
            return Some(Zone::Iana(tz));
        }
        if let Ok(tz) = id.trim().parse::<Tz>() {
            return Some(Zone::Iana(tz));
        }
    }
    let definition = Definition::read(node)?;
    for p in &definition.periods {
        // "trule:Microsoft/Registry/W. Europe Standard Time/2006-Standard"
        if let Some(rest) = p.id.split("Microsoft/Registry/").nth(1)
            && let Some(win) = rest.split('/').next()
            && let Some(tz) = windows_to_iana(win)
        {
            return Some(Zone::Iana(tz));
        }
    }
    if let Some(tz) = matching_zone(&definition) {
        return Some(Zone::Iana(tz));
    }
    let standard = definition
        .periods
        .iter()
        .find(|p| p.name == "Standard")
        .or(definition.periods.first())?;
    let fixed = FixedOffset::east_opt(i32::try_from(standard.offset).ok()?)?;
    tracing::warn!(
        zone = %definition.name,
        offset = %fixed,
        "time zone definition matches no known zone; using its fixed standard offset"
    );
    Some(Zone::Fixed(fixed))
}

/// Whether the definition gives `tz`'s offset at every instant of `years`.
pub(crate) fn definition_agrees(d: &Definition, tz: Tz, years: RangeInclusive<i32>) -> bool {
    let year = |y: i32| Utc.with_ymd_and_hms(y, 1, 1, 0, 0, 0).single();
    let (Some(from), Some(to)) = (year(*years.start()), year(years.end() + 1)) else {
        return false;
    };
    // Both sides are constant between their changes: compare at every
    // change of either, and just before it.
    let mut instants = vec![from];
    instants.extend(d.breakpoints(*years.start(), *years.end()));
    instants.extend(offset_changes(tz, from, to).into_iter().map(|c| c.at));
    let offsets = d.offsets();
    instants
        .into_iter()
        .filter(|t| (from..to).contains(t))
        .flat_map(|t| {
            [t - Duration::seconds(1), t]
                .into_iter()
                .filter(move |x| *x >= from)
        })
        .all(|t| offsets.at(t) == Some(i64::from(offset_at(tz, t).local_minus_utc())))
}

/// The first zone whose offsets the definition keeps: the Windows zones in
/// CLDR order, then every IANA zone (a cheap look at two days first).
fn matching_zone(d: &Definition) -> Option<Tz> {
    let probes: Vec<DateTime<Utc>> = [(2026, 1, 15), (2026, 7, 15)]
        .iter()
        .filter_map(|(y, m, day)| Utc.with_ymd_and_hms(*y, *m, *day, 12, 0, 0).single())
        .collect();
    let offsets = d.offsets();
    let wanted: Vec<Option<i64>> = probes.iter().map(|t| offsets.at(*t)).collect();
    golden_zones()
        .iter()
        .map(|(_, tz)| *tz)
        .chain(chrono_tz::TZ_VARIANTS)
        .filter(|tz| {
            probes
                .iter()
                .zip(&wanted)
                .all(|(t, w)| *w == Some(i64::from(offset_at(*tz, *t).local_minus_utc())))
        })
        .find(|tz| definition_agrees(d, *tz, CHECKED_YEARS))
}

/// Writes `zone` as the element `name` (`t:StartTimeZone`,
/// `t:TimeZoneDefinition`, …): by its Windows id where a Windows zone keeps
/// its offsets, else as a custom definition with the zone's own periods and
/// transitions (see `custom.rs`); a fixed offset as a definition of one
/// period.
pub fn write_zone(w: &mut XmlWriter, name: &str, zone: Zone) {
    if let Some(id) = zone_to_windows(zone) {
        w.empty(name, &[("Id", id)]);
        return;
    }
    let definition = match zone {
        Zone::Iana(tz) => custom::definition(tz),
        Zone::Fixed(off) => custom::fixed_definition(i64::from(off.local_minus_utc())),
    };
    definition.write(w, name);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::Doc;

    #[test]
    fn durations_parse() {
        assert_eq!(parse_duration_seconds("-PT1H"), Some(-3600));
        assert_eq!(parse_duration_seconds("PT5H30M"), Some(19800));
        assert_eq!(parse_duration_seconds("PT0H"), Some(0));
        assert_eq!(parse_duration_seconds("P1DT2H"), Some(93600));
        assert_eq!(parse_duration_seconds("1H"), None);
        assert_eq!(duration_text(-19800), "-PT5H30M");
    }

    fn zone_of(xml: &str) -> Option<Zone> {
        let doc = Doc::parse(xml.as_bytes()).unwrap();
        read_zone(doc.root())
    }

    #[test]
    fn definitions_are_read_by_id_period_id_or_rules() {
        assert_eq!(
            zone_of(r#"<StartTimeZone Id="Eastern Standard Time"/>"#),
            Some(Zone::Iana(chrono_tz::America::New_York))
        );
        let by_period = r#"<StartTimeZone Id="custom" Name="x"><Periods>
            <Period Bias="-PT1H" Name="Standard" Id="trule:Microsoft/Registry/W. Europe Standard Time/2006-Standard"/>
            </Periods></StartTimeZone>"#;
        assert_eq!(
            zone_of(by_period),
            Some(Zone::Iana(chrono_tz::Europe::Berlin))
        );
        // A custom definition with US rules: second Sunday of March, first
        // Sunday of November, UTC-5 / UTC-4.
        let us = r#"<StartTimeZone Id="Custom US East" Name="Custom"><Periods>
            <Period Bias="PT5H" Name="Standard" Id="s"/><Period Bias="PT4H" Name="Daylight" Id="d"/>
            </Periods><TransitionsGroups><TransitionsGroup Id="0">
            <RecurringDayTransition><To Kind="Period">d</To><TimeOffset>PT2H</TimeOffset><Month>3</Month><DayOfWeek>Sunday</DayOfWeek><Occurrence>2</Occurrence></RecurringDayTransition>
            <RecurringDayTransition><To Kind="Period">s</To><TimeOffset>PT2H</TimeOffset><Month>11</Month><DayOfWeek>Sunday</DayOfWeek><Occurrence>1</Occurrence></RecurringDayTransition>
            </TransitionsGroup></TransitionsGroups></StartTimeZone>"#;
        let Some(Zone::Iana(tz)) = zone_of(us) else {
            panic!("expected an IANA zone")
        };
        let jan = Utc.with_ymd_and_hms(2026, 1, 15, 12, 0, 0).unwrap();
        assert_eq!(
            chrono::Offset::fix(&tz.offset_from_utc_datetime(&jan.naive_utc())).local_minus_utc(),
            -5 * 3600
        );
        // Nothing has UTC+05:17 as standard time: a fixed offset.
        let odd = r#"<StartTimeZone Id="Odd" Name="Odd"><Periods><Period Bias="-PT5H17M" Name="Standard" Id="s"/></Periods></StartTimeZone>"#;
        assert_eq!(
            zone_of(odd),
            Some(Zone::Fixed(
                FixedOffset::east_opt(5 * 3600 + 17 * 60).unwrap()
            ))
        );
    }

    #[test]
    fn fixed_zones_are_written_as_custom_definitions_and_read_back() {
        let zone = Zone::Fixed(FixedOffset::east_opt(5 * 3600 + 17 * 60).unwrap());
        let mut w = XmlWriter::new();
        write_zone(&mut w, "t:StartTimeZone", zone);
        let xml = String::from_utf8(w.into_bytes()).unwrap();
        assert!(xml.contains("Bias=\"-PT5H17M\""), "{xml}");
        let wrapped = xml.replacen("<t:StartTimeZone", "<t:StartTimeZone xmlns:t=\"t\"", 1);
        assert_eq!(zone_of(&wrapped), Some(zone));
        let mut w = XmlWriter::new();
        write_zone(
            &mut w,
            "t:EndTimeZone",
            Zone::Iana(chrono_tz::Europe::Paris),
        );
        assert_eq!(
            String::from_utf8(w.into_bytes()).unwrap(),
            "<t:EndTimeZone Id=\"Romance Standard Time\"/>"
        );
    }
}
