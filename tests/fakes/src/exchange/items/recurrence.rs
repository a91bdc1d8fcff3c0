//! EWS recurrences of calendar items and their occurrences.
//!
//! The pattern arithmetic is the core's ([`Recurrence::expand`]); this
//! module reads the EWS `Recurrence` element into the core model and lays
//! the master's exceptions and deletions over the plain expansion.

use chrono::{DateTime, Duration, Utc, Weekday};
use maiconnect_core::model::{
    DaySelector, Pattern, RangeEnd, Recurrence, RecurrenceRange, WeekOfMonth, When, Zone,
};

use super::time::{parse_date, parse_dt};
use crate::exchange::state::StoredItem;
use crate::exchange::state::item::OccurrenceException;
use crate::exchange::xml::Element;

/// One occurrence of a master, as a calendar view shows it.
#[derive(Debug, Clone)]
pub struct OccurrenceView<'a> {
    /// `InstanceIndex`.
    pub index: u32,
    /// Where the pattern put it.
    pub original_start: DateTime<Utc>,
    /// Actual start.
    pub start: DateTime<Utc>,
    /// Actual end.
    pub end: DateTime<Utc>,
    /// Its exception, when changed on its own.
    pub exception: Option<&'a OccurrenceException>,
}

/// The master's zone (as stored at creation).
pub fn item_zone(item: &StoredItem) -> Zone {
    item.zone.parse().unwrap_or(Zone::UTC)
}

/// The master's own start and end.
pub fn master_span(item: &StoredItem) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let start = parse_dt(&item.text("Start")?, Zone::UTC)?;
    let end = item
        .text("End")
        .and_then(|e| parse_dt(&e, Zone::UTC))
        .unwrap_or(start);
    Some((start, end.max(start)))
}

fn first_when(item: &StoredItem, zone: Zone) -> Option<When> {
    let (start, end) = master_span(item)?;
    if item.text("IsAllDayEvent").as_deref() == Some("true") {
        let first_day = zone.local(start).date();
        let end_day = zone.local(end).date().max(first_day + Duration::days(1));
        return Some(When::AllDay { first_day, end_day });
    }
    Some(When::timed(start, end, zone))
}

/// Reads an EWS `Recurrence` element (calendar patterns only).
pub fn to_core(rec: &Element, zone: Zone) -> Option<Recurrence> {
    let mut pattern = None;
    let mut range = None;
    for el in rec.elements() {
        let num = |n: &str| el.child_text(n).and_then(|t| t.parse::<u32>().ok());
        match el.name.as_str() {
            "DailyRecurrence" => {
                pattern = Some(Pattern::Daily {
                    interval: num("Interval")?,
                })
            }
            "WeeklyRecurrence" => {
                pattern = Some(Pattern::Weekly {
                    interval: num("Interval")?,
                    days: el
                        .child_text("DaysOfWeek")?
                        .split_whitespace()
                        .filter_map(weekday)
                        .collect(),
                    first_day_of_week: el
                        .child_text("FirstDayOfWeek")
                        .and_then(|d| weekday(&d))
                        .unwrap_or(Weekday::Sun),
                })
            }
            "AbsoluteMonthlyRecurrence" => {
                pattern = Some(Pattern::AbsoluteMonthly {
                    interval: num("Interval")?,
                    day_of_month: num("DayOfMonth")?,
                })
            }
            "RelativeMonthlyRecurrence" => {
                pattern = Some(Pattern::RelativeMonthly {
                    interval: num("Interval")?,
                    week: week_index(&el.child_text("DayOfWeekIndex")?)?,
                    day: day_selector(&el.child_text("DaysOfWeek")?)?,
                })
            }
            "AbsoluteYearlyRecurrence" => {
                pattern = Some(Pattern::AbsoluteYearly {
                    month: month(&el.child_text("Month")?)?,
                    day_of_month: num("DayOfMonth")?,
                })
            }
            "RelativeYearlyRecurrence" => {
                pattern = Some(Pattern::RelativeYearly {
                    month: month(&el.child_text("Month")?)?,
                    week: week_index(&el.child_text("DayOfWeekIndex")?)?,
                    day: day_selector(&el.child_text("DaysOfWeek")?)?,
                })
            }
            "NoEndRecurrence" | "EndDateRecurrence" | "NumberedRecurrence" => {
                let start = parse_date(&el.child_text("StartDate")?)?;
                let end = match el.name.as_str() {
                    "EndDateRecurrence" => {
                        RangeEnd::EndDate(parse_date(&el.child_text("EndDate")?)?)
                    }
                    "NumberedRecurrence" => RangeEnd::Numbered(num("NumberOfOccurrences")?),
                    _ => RangeEnd::NoEnd,
                };
                range = Some(RecurrenceRange { start, end });
            }
            _ => {}
        }
    }
    Some(Recurrence {
        pattern: pattern?,
        range: range?,
        zone,
        modified: vec![],
        deleted: vec![],
        start_time: None,
    })
}

fn weekday(s: &str) -> Option<Weekday> {
    Some(match s {
        "Monday" => Weekday::Mon,
        "Tuesday" => Weekday::Tue,
        "Wednesday" => Weekday::Wed,
        "Thursday" => Weekday::Thu,
        "Friday" => Weekday::Fri,
        "Saturday" => Weekday::Sat,
        "Sunday" => Weekday::Sun,
        _ => return None,
    })
}

fn day_selector(s: &str) -> Option<DaySelector> {
    Some(match s.trim() {
        "Day" => DaySelector::Day,
        "Weekday" => DaySelector::Weekday,
        "WeekendDay" => DaySelector::WeekendDay,
        other => DaySelector::On(weekday(other)?),
    })
}

fn week_index(s: &str) -> Option<WeekOfMonth> {
    Some(match s.trim() {
        "First" => WeekOfMonth::First,
        "Second" => WeekOfMonth::Second,
        "Third" => WeekOfMonth::Third,
        "Fourth" => WeekOfMonth::Fourth,
        "Last" => WeekOfMonth::Last,
        _ => return None,
    })
}

fn month(s: &str) -> Option<u32> {
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
    MONTHS
        .iter()
        .position(|m| *m == s.trim())
        .map(|p| p as u32 + 1)
}

/// Occurrences of a master overlapping `[from, to)`, deleted ones left out
/// and exceptions at their own times, ordered by start.
pub fn occurrences(
    item: &StoredItem,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<OccurrenceView<'_>> {
    let zone = item_zone(item);
    let (Some(rec), Some(first)) = (
        item.props.get("Recurrence").and_then(|r| to_core(r, zone)),
        first_when(item, zone),
    ) else {
        return vec![];
    };
    // Widen the window: an exception may have moved into it from outside.
    let slack = Duration::days(31);
    let mut out: Vec<OccurrenceView<'_>> = rec
        .expand(&first, from - slack, to + slack)
        .into_iter()
        .filter(|o| !item.deleted_occurrences.contains(&o.index))
        .map(|o| view(item, zone, o.index, o.original_start, &o.when))
        .filter(|v| v.start < to && (v.end > from || (v.start == v.end && v.start >= from)))
        .collect();
    out.sort_by_key(|v| (v.start, v.index));
    out
}

fn view<'a>(
    item: &'a StoredItem,
    zone: Zone,
    index: u32,
    original_start: DateTime<Utc>,
    when: &When,
) -> OccurrenceView<'a> {
    let (mut start, mut end) = match when {
        When::Timed { start, end, .. } => (*start, *end),
        When::AllDay { first_day, end_day } => (
            zone.instant(first_day.and_time(chrono::NaiveTime::MIN)),
            zone.instant(end_day.and_time(chrono::NaiveTime::MIN)),
        ),
    };
    let exception = item.exceptions.get(&index);
    if let Some(ex) = exception {
        if let Some(s) = ex
            .props
            .get("Start")
            .and_then(|e| parse_dt(&e.text(), Zone::UTC))
        {
            start = s;
        }
        if let Some(e) = ex
            .props
            .get("End")
            .and_then(|e| parse_dt(&e.text(), Zone::UTC))
        {
            end = e;
        }
    }
    OccurrenceView {
        index,
        original_start,
        start,
        end,
        exception,
    }
}

/// The `index`-th occurrence (deleted ones included, so callers can tell).
pub fn occurrence_at(item: &StoredItem, index: u32) -> Option<OccurrenceView<'_>> {
    let zone = item_zone(item);
    let rec = item
        .props
        .get("Recurrence")
        .and_then(|r| to_core(r, zone))?;
    let first = first_when(item, zone)?;
    let (start, _) = master_span(item)?;
    for years in [2i64, 20, 80] {
        let to = start + Duration::days(366 * years);
        let hit = rec
            .expand(&first, start - Duration::days(366), to)
            .into_iter()
            .find(|o| o.index == index);
        if let Some(o) = hit {
            return Some(view(item, zone, o.index, o.original_start, &o.when));
        }
    }
    None
}

/// First and (for series that end) last occurrence.
pub fn first_and_last(
    item: &StoredItem,
) -> (Option<OccurrenceView<'_>>, Option<OccurrenceView<'_>>) {
    let Some((start, _)) = master_span(item) else {
        return (None, None);
    };
    let zone = item_zone(item);
    let ends = item
        .props
        .get("Recurrence")
        .and_then(|r| to_core(r, zone))
        .is_some_and(|r| !matches!(r.range.end, RangeEnd::NoEnd));
    let all = if ends {
        occurrences(
            item,
            start - Duration::days(366),
            start + Duration::days(366 * 80),
        )
    } else {
        occurrences(
            item,
            start - Duration::days(366),
            start + Duration::days(366 * 2),
        )
    };
    let first = all.first().cloned();
    let last = if ends { all.last().cloned() } else { None };
    (first, last)
}
