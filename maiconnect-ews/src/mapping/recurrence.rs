//! `Recurrence` (pattern and range), `ModifiedOccurrences` and
//! `DeletedOccurrences` of a recurring master.
//!
//! See <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/recurrence-recurrencetype>.

use chrono::{NaiveDate, Weekday};
use maiconnect_core::ids::ItemId;
use maiconnect_core::model::{
    DaySelector, ModifiedOccurrence, Pattern, RangeEnd, Recurrence, RecurrenceRange, WeekOfMonth,
    When, Zone,
};

use super::{parse_date, parse_instant};
use crate::xml::{Node, XmlWriter};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn weekday_name(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

fn parse_weekday(s: &str) -> Option<Weekday> {
    [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ]
    .into_iter()
    .find(|d| weekday_name(*d) == s)
}

fn day_selector_name(d: DaySelector) -> &'static str {
    match d {
        DaySelector::On(w) => weekday_name(w),
        DaySelector::Day => "Day",
        DaySelector::Weekday => "Weekday",
        DaySelector::WeekendDay => "WeekendDay",
    }
}

fn parse_day_selector(s: &str) -> Option<DaySelector> {
    match s {
        "Day" => Some(DaySelector::Day),
        "Weekday" => Some(DaySelector::Weekday),
        "WeekendDay" => Some(DaySelector::WeekendDay),
        other => parse_weekday(other).map(DaySelector::On),
    }
}

fn week_name(w: WeekOfMonth) -> &'static str {
    match w {
        WeekOfMonth::First => "First",
        WeekOfMonth::Second => "Second",
        WeekOfMonth::Third => "Third",
        WeekOfMonth::Fourth => "Fourth",
        WeekOfMonth::Last => "Last",
    }
}

fn parse_week(s: &str) -> Option<WeekOfMonth> {
    Some(match s {
        "First" => WeekOfMonth::First,
        "Second" => WeekOfMonth::Second,
        "Third" => WeekOfMonth::Third,
        "Fourth" => WeekOfMonth::Fourth,
        "Last" => WeekOfMonth::Last,
        _ => return None,
    })
}

fn month_number(s: &str) -> Option<u32> {
    MONTHS.iter().position(|m| *m == s).map(|i| i as u32 + 1)
}

fn month_name(m: u32) -> &'static str {
    MONTHS[(m.clamp(1, 12) - 1) as usize]
}

fn num(n: Node<'_, '_>, name: &str) -> Option<u32> {
    n.child_text(name)?.parse().ok()
}

/// Reads the recurrence of a master: `recurrence` is its `Recurrence`
/// element, `master` the calendar item (for modified and deleted
/// occurrences), `zone` its start zone and `all_day` whether it is an
/// all-day series. `None` when the pattern is one the model cannot hold
/// (task regeneration patterns).
pub fn read_recurrence(
    recurrence: Node<'_, '_>,
    master: Node<'_, '_>,
    zone: Zone,
    all_day: bool,
) -> Option<Recurrence> {
    let mut pattern = None;
    let mut range = None;
    for p in recurrence.children() {
        match p.name() {
            "DailyRecurrence" => {
                pattern = Some(Pattern::Daily {
                    interval: num(p, "Interval").unwrap_or(1),
                })
            }
            "WeeklyRecurrence" => {
                pattern = Some(Pattern::Weekly {
                    interval: num(p, "Interval").unwrap_or(1),
                    days: p
                        .child_text("DaysOfWeek")
                        .unwrap_or("")
                        .split_whitespace()
                        .filter_map(parse_weekday)
                        .collect(),
                    first_day_of_week: p
                        .child_text("FirstDayOfWeek")
                        .and_then(parse_weekday)
                        .unwrap_or(Weekday::Sun),
                })
            }
            "AbsoluteMonthlyRecurrence" => {
                pattern = Some(Pattern::AbsoluteMonthly {
                    interval: num(p, "Interval").unwrap_or(1),
                    day_of_month: num(p, "DayOfMonth")?,
                })
            }
            "RelativeMonthlyRecurrence" => {
                pattern = Some(Pattern::RelativeMonthly {
                    interval: num(p, "Interval").unwrap_or(1),
                    week: parse_week(p.child_text("DayOfWeekIndex")?)?,
                    day: parse_day_selector(p.child_text("DaysOfWeek")?)?,
                })
            }
            "AbsoluteYearlyRecurrence" => {
                pattern = Some(Pattern::AbsoluteYearly {
                    month: month_number(p.child_text("Month")?)?,
                    day_of_month: num(p, "DayOfMonth")?,
                })
            }
            "RelativeYearlyRecurrence" => {
                pattern = Some(Pattern::RelativeYearly {
                    month: month_number(p.child_text("Month")?)?,
                    week: parse_week(p.child_text("DayOfWeekIndex")?)?,
                    day: parse_day_selector(p.child_text("DaysOfWeek")?)?,
                })
            }
            "NoEndRecurrence" | "EndDateRecurrence" | "NumberedRecurrence" => {
                let start = parse_date(p.child_text("StartDate")?)?;
                let end = match p.name() {
                    "EndDateRecurrence" => RangeEnd::EndDate(parse_date(p.child_text("EndDate")?)?),
                    "NumberedRecurrence" => RangeEnd::Numbered(num(p, "NumberOfOccurrences")?),
                    _ => RangeEnd::NoEnd,
                };
                range = Some(RecurrenceRange { start, end });
            }
            _ => {}
        }
    }
    let modified = master
        .child("ModifiedOccurrences")
        .map(|m| {
            m.children_named("Occurrence")
                .filter_map(|o| {
                    let original_start = parse_instant(o.child_text("OriginalStart")?)?;
                    let start = parse_instant(o.child_text("Start")?)?;
                    let end = parse_instant(o.child_text("End")?)?;
                    let when = if all_day {
                        let first_day = super::read::local_day(start, zone);
                        let end_day = super::read::local_day(end, zone).max(first_day.succ_opt()?);
                        When::AllDay { first_day, end_day }
                    } else {
                        When::timed(start, end, zone)
                    };
                    Some(ModifiedOccurrence {
                        original_start,
                        id: o
                            .child("ItemId")
                            .and_then(|i| i.attr("Id"))
                            .and_then(|i| i.parse::<ItemId>().ok()),
                        when,
                        subject: None,
                        location: None,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let deleted = master
        .child("DeletedOccurrences")
        .map(|d| {
            d.children_named("DeletedOccurrence")
                .filter_map(|o| parse_instant(o.child_text("Start")?))
                .collect()
        })
        .unwrap_or_default();
    Some(Recurrence {
        pattern: pattern?,
        range: range?,
        zone,
        modified,
        deleted,
        // EWS names the master's start as an instant only (see the core's
        // rule for times in a DST gap).
        start_time: None,
    })
}

/// Writes `t:Recurrence` (pattern and range; modified and deleted
/// occurrences cannot be written, Exchange keeps them per occurrence).
pub fn write_recurrence(w: &mut XmlWriter, r: &Recurrence) {
    w.open("t:Recurrence", &[]);
    match &r.pattern {
        Pattern::Daily { interval } => {
            w.open("t:DailyRecurrence", &[])
                .leaf("t:Interval", &interval.max(&1).to_string())
                .close("t:DailyRecurrence");
        }
        Pattern::Weekly {
            interval,
            days,
            first_day_of_week,
        } => {
            let names: Vec<&str> = days.iter().map(|d| weekday_name(*d)).collect();
            w.open("t:WeeklyRecurrence", &[])
                .leaf("t:Interval", &interval.max(&1).to_string())
                .leaf("t:DaysOfWeek", &names.join(" "))
                .leaf("t:FirstDayOfWeek", weekday_name(*first_day_of_week))
                .close("t:WeeklyRecurrence");
        }
        Pattern::AbsoluteMonthly {
            interval,
            day_of_month,
        } => {
            w.open("t:AbsoluteMonthlyRecurrence", &[])
                .leaf("t:Interval", &interval.max(&1).to_string())
                .leaf("t:DayOfMonth", &day_of_month.to_string())
                .close("t:AbsoluteMonthlyRecurrence");
        }
        Pattern::RelativeMonthly {
            interval,
            week,
            day,
        } => {
            w.open("t:RelativeMonthlyRecurrence", &[])
                .leaf("t:Interval", &interval.max(&1).to_string())
                .leaf("t:DaysOfWeek", day_selector_name(*day))
                .leaf("t:DayOfWeekIndex", week_name(*week))
                .close("t:RelativeMonthlyRecurrence");
        }
        Pattern::AbsoluteYearly {
            month,
            day_of_month,
        } => {
            w.open("t:AbsoluteYearlyRecurrence", &[])
                .leaf("t:DayOfMonth", &day_of_month.to_string())
                .leaf("t:Month", month_name(*month))
                .close("t:AbsoluteYearlyRecurrence");
        }
        Pattern::RelativeYearly { month, week, day } => {
            w.open("t:RelativeYearlyRecurrence", &[])
                .leaf("t:DaysOfWeek", day_selector_name(*day))
                .leaf("t:DayOfWeekIndex", week_name(*week))
                .leaf("t:Month", month_name(*month))
                .close("t:RelativeYearlyRecurrence");
        }
    }
    let start = date_text(r.range.start);
    match r.range.end {
        RangeEnd::NoEnd => {
            w.open("t:NoEndRecurrence", &[])
                .leaf("t:StartDate", &start)
                .close("t:NoEndRecurrence");
        }
        RangeEnd::EndDate(end) => {
            w.open("t:EndDateRecurrence", &[])
                .leaf("t:StartDate", &start)
                .leaf("t:EndDate", &date_text(end))
                .close("t:EndDateRecurrence");
        }
        RangeEnd::Numbered(n) => {
            w.open("t:NumberedRecurrence", &[])
                .leaf("t:StartDate", &start)
                .leaf("t:NumberOfOccurrences", &n.to_string())
                .close("t:NumberedRecurrence");
        }
    }
    w.close("t:Recurrence");
}

fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::Doc;

    #[test]
    fn every_pattern_round_trips() {
        let zone: Zone = "Europe/Berlin".parse().unwrap();
        let start = NaiveDate::from_ymd_opt(2026, 3, 16).unwrap();
        let patterns = vec![
            Pattern::Daily { interval: 2 },
            Pattern::Weekly {
                interval: 1,
                days: vec![Weekday::Mon, Weekday::Thu],
                first_day_of_week: Weekday::Mon,
            },
            Pattern::AbsoluteMonthly {
                interval: 3,
                day_of_month: 31,
            },
            Pattern::RelativeMonthly {
                interval: 1,
                week: WeekOfMonth::Last,
                day: DaySelector::Weekday,
            },
            Pattern::AbsoluteYearly {
                month: 2,
                day_of_month: 29,
            },
            Pattern::RelativeYearly {
                month: 11,
                week: WeekOfMonth::Fourth,
                day: DaySelector::On(Weekday::Thu),
            },
        ];
        let ends = [
            RangeEnd::NoEnd,
            RangeEnd::Numbered(10),
            RangeEnd::EndDate(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()),
        ];
        for (i, pattern) in patterns.into_iter().enumerate() {
            let r = Recurrence {
                pattern,
                range: RecurrenceRange {
                    start,
                    end: ends[i % 3],
                },
                zone,
                modified: vec![],
                deleted: vec![],
                start_time: None,
            };
            let mut w = XmlWriter::new();
            w.raw("<t:CalendarItem xmlns:t=\"t\">");
            write_recurrence(&mut w, &r);
            w.raw("</t:CalendarItem>");
            let bytes = w.into_bytes();
            let doc = Doc::parse(&bytes).unwrap();
            let item = doc.root();
            let back = read_recurrence(item.child("Recurrence").unwrap(), item, zone, false);
            assert_eq!(back, Some(r));
        }
    }
}
