//! `TimeZoneDefinition` elements (`StartTimeZone`, `EndTimeZone`): read
//! them into a model [`Zone`], write a zone as one.
//!
//! See <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/timezonedefinition>.

use chrono::{Datelike, FixedOffset, NaiveDate, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use maiconnect_core::model::Zone;

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

/// An `xs:duration` of a bias in seconds: `-PT5H30M`.
fn duration_text(seconds: i64) -> String {
    let sign = if seconds < 0 { "-" } else { "" };
    let s = seconds.abs();
    let (h, m) = (s / 3600, (s % 3600) / 60);
    if m == 0 {
        format!("{sign}PT{h}H")
    } else {
        format!("{sign}PT{h}H{m}M")
    }
}

/// Reads a `TimeZoneDefinition`-typed element into a zone: by its Windows
/// id, by the Windows id inside its period ids, or by matching its offsets
/// and transition rules against the known zones; an unmatched definition
/// falls back to its fixed standard offset (with a warning).
pub fn read_zone(node: Node<'_, '_>) -> Option<Zone> {
    if let Some(id) = node.attr("Id")
        && let Some(tz) = windows_to_iana(&id)
    {
        return Some(Zone::Iana(tz));
    }
    let periods: Vec<(String, String, i64)> = node
        .child("Periods")?
        .children_named("Period")
        .filter_map(|p| {
            let bias = parse_duration_seconds(&p.attr("Bias")?)?;
            Some((
                p.attr("Name").unwrap_or_default().into_owned(),
                p.attr("Id").unwrap_or_default().into_owned(),
                bias,
            ))
        })
        .collect();
    for (_, id, _) in &periods {
        // "trule:Microsoft/Registry/W. Europe Standard Time/2006-Standard"
        if let Some(rest) = id.split("Microsoft/Registry/").nth(1)
            && let Some(win) = rest.split('/').next()
            && let Some(tz) = windows_to_iana(win)
        {
            return Some(Zone::Iana(tz));
        }
    }
    let standard = periods
        .iter()
        .find(|p| p.0.eq_ignore_ascii_case("Standard"))
        .or_else(|| periods.first())?;
    let std_offset = -standard.2;
    let daylight = periods
        .iter()
        .find(|p| p.0.eq_ignore_ascii_case("Daylight"))
        .map(|p| -p.2);
    let rules = transition_rules(node, &periods);
    if let Some(tz) = match_zone(std_offset, daylight, &rules) {
        return Some(Zone::Iana(tz));
    }
    let fixed = FixedOffset::east_opt(std_offset as i32)?;
    tracing::warn!(
        zone = node.attr("Name").as_deref().unwrap_or(""),
        offset = %fixed,
        "time zone definition matches no known zone; using its fixed standard offset"
    );
    Some(Zone::Fixed(fixed))
}

/// A yearly transition: to daylight (`true`) or standard time on the
/// `occurrence`-th (`-1` last) `weekday` of `month`.
#[derive(Debug, Clone, Copy)]
struct Rule {
    to_daylight: bool,
    month: u32,
    weekday: Weekday,
    occurrence: i32,
}

fn transition_rules(node: Node<'_, '_>, periods: &[(String, String, i64)]) -> Vec<Rule> {
    let Some(groups) = node.child("TransitionsGroups") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    // The last group holds the rules in force now.
    if let Some(group) = groups.children_named("TransitionsGroup").last() {
        for t in group.children_named("RecurringDayTransition") {
            let target = t.child_text("To").unwrap_or("");
            let to_daylight = periods
                .iter()
                .any(|(name, id, _)| id == target && name.eq_ignore_ascii_case("Daylight"));
            let (Some(month), Some(day), Some(occ)) = (
                t.child_text("Month").and_then(|m| m.parse().ok()),
                t.child_text("DayOfWeek").and_then(parse_weekday),
                t.child_text("Occurrence").and_then(|o| o.parse().ok()),
            ) else {
                continue;
            };
            out.push(Rule {
                to_daylight,
                month,
                weekday: day,
                occurrence: occ,
            });
        }
    }
    out
}

fn parse_weekday(s: &str) -> Option<Weekday> {
    Some(match s {
        "Sunday" => Weekday::Sun,
        "Monday" => Weekday::Mon,
        "Tuesday" => Weekday::Tue,
        "Wednesday" => Weekday::Wed,
        "Thursday" => Weekday::Thu,
        "Friday" => Weekday::Fri,
        "Saturday" => Weekday::Sat,
        _ => return None,
    })
}

fn rule_date(year: i32, r: &Rule) -> Option<NaiveDate> {
    let first = NaiveDate::from_ymd_opt(year, r.month, 1)?;
    let days: Vec<NaiveDate> = first
        .iter_days()
        .take_while(|d| d.month() == r.month)
        .filter(|d| d.weekday() == r.weekday)
        .collect();
    if r.occurrence < 0 || r.occurrence as usize > days.len() {
        days.last().copied()
    } else {
        days.get((r.occurrence.max(1) - 1) as usize).copied()
    }
}

/// The reference year for matching rules against the zone database.
const REFERENCE_YEAR: i32 = 2026;

fn offset_on(tz: Tz, date: NaiveDate) -> Option<i64> {
    let noon = date.and_hms_opt(12, 0, 0)?;
    let t = Utc.from_utc_datetime(&noon);
    Some(i64::from(
        chrono::Offset::fix(&tz.offset_from_utc_datetime(&t.naive_utc())).local_minus_utc(),
    ))
}

fn match_zone(std_offset: i64, daylight: Option<i64>, rules: &[Rule]) -> Option<Tz> {
    let jan = NaiveDate::from_ymd_opt(REFERENCE_YEAR, 1, 15)?;
    let jul = NaiveDate::from_ymd_opt(REFERENCE_YEAR, 7, 15)?;
    golden_zones().iter().map(|(_, tz)| *tz).find(|tz| {
        let (Some(a), Some(b)) = (offset_on(*tz, jan), offset_on(*tz, jul)) else {
            return false;
        };
        match daylight.filter(|d| *d != std_offset && !rules.is_empty()) {
            None => a == std_offset && b == std_offset,
            Some(dst) => {
                let offsets_fit = (a == std_offset && b == dst) || (a == dst && b == std_offset);
                offsets_fit
                    && rules.iter().all(|r| {
                        let Some(d) = rule_date(REFERENCE_YEAR, r) else {
                            return false;
                        };
                        let (before, after) = (
                            offset_on(*tz, d - chrono::Duration::days(1)),
                            offset_on(*tz, d + chrono::Duration::days(1)),
                        );
                        let (from, to) = if r.to_daylight {
                            (std_offset, dst)
                        } else {
                            (dst, std_offset)
                        };
                        before == Some(from) && after == Some(to)
                    })
            }
        }
    })
}

/// Writes `zone` as the element `name` (`t:StartTimeZone`, …): by Windows
/// id where it has one, else as a custom definition with one fixed period.
pub fn write_zone(w: &mut XmlWriter, name: &str, zone: Zone) {
    if let Some(id) = zone_to_windows(zone) {
        w.empty(name, &[("Id", id)]);
        return;
    }
    let offset = match zone {
        Zone::Fixed(off) => i64::from(off.local_minus_utc()),
        Zone::Iana(_) => 0,
    };
    let label = format!("UTC{}", zone_offset_label(offset));
    let id = format!("maiconnect/{label}");
    let bias = duration_text(-offset);
    w.open(name, &[("Id", &id), ("Name", &label)])
        .open("t:Periods", &[])
        .empty(
            "t:Period",
            &[("Bias", &bias), ("Name", "Standard"), ("Id", "std")],
        )
        .close("t:Periods")
        .open("t:TransitionsGroups", &[])
        .open("t:TransitionsGroup", &[("Id", "0")])
        .open("t:Transition", &[])
        .leaf_with("t:To", &[("Kind", "Period")], "std")
        .close("t:Transition")
        .close("t:TransitionsGroup")
        .close("t:TransitionsGroups")
        .open("t:Transitions", &[])
        .open("t:Transition", &[])
        .leaf_with("t:To", &[("Kind", "Group")], "0")
        .close("t:Transition")
        .close("t:Transitions")
        .close(name);
}

fn zone_offset_label(seconds: i64) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.abs();
    format!("{sign}{:02}:{:02}", s / 3600, (s % 3600) / 60)
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
