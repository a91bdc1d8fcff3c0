//! Recurring series as Exchange can express them, and their expansion into
//! single occurrences.
//!
//! Occurrences are computed on local wall-clock dates in the series' zone and
//! only then turned into instants, so a weekly 09:00 meeting stays at 09:00
//! local time on both sides of a DST change. Expansion is pure: the horizon
//! is an argument, not a clock read.

use std::collections::BTreeMap;

use chrono::{
    DateTime, Datelike, Duration, Months, NaiveDate, NaiveDateTime, NaiveTime, Utc, Weekday,
};
use serde::{Deserialize, Serialize};

use crate::ids::ItemId;
use crate::model::time::{When, Zone};

/// A recurring series: pattern, range, and the occurrences that differ from
/// the pattern.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Recurrence {
    /// How often.
    pub pattern: Pattern,
    /// From when and until when.
    pub range: RecurrenceRange,
    /// The zone of the series (EWS `StartTimeZone` of the master); it decides
    /// local dates and wall-clock times, for all-day series too.
    pub zone: Zone,
    /// Occurrences moved or edited on their own.
    pub modified: Vec<ModifiedOccurrence>,
    /// Original start instants of deleted occurrences.
    pub deleted: Vec<DateTime<Utc>>,
}

/// The recurrence pattern (EWS `RecurrencePatternTypes`, without the task
/// regeneration patterns).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Pattern {
    /// Every `interval` days.
    Daily {
        /// Days between occurrences (at least 1).
        interval: u32,
    },
    /// On `days` of every `interval`-th week.
    Weekly {
        /// Weeks between occurrences.
        interval: u32,
        /// Week days on which it occurs.
        days: Vec<Weekday>,
        /// First day of the week (decides which weeks count).
        first_day_of_week: Weekday,
    },
    /// On day `day_of_month` of every `interval`-th month (the last day of
    /// shorter months, as Outlook does).
    AbsoluteMonthly {
        /// Months between occurrences.
        interval: u32,
        /// Day of the month, 1 to 31.
        day_of_month: u32,
    },
    /// On the `week`-th `day` of every `interval`-th month.
    RelativeMonthly {
        /// Months between occurrences.
        interval: u32,
        /// Which one: first, second, third, fourth or last.
        week: WeekOfMonth,
        /// Which kind of day.
        day: DaySelector,
    },
    /// Every year on `day_of_month` of `month`.
    AbsoluteYearly {
        /// Month 1 to 12.
        month: u32,
        /// Day of month 1 to 31 (clamped to the month's length).
        day_of_month: u32,
    },
    /// Every year on the `week`-th `day` of `month`.
    RelativeYearly {
        /// Month 1 to 12.
        month: u32,
        /// Which one.
        week: WeekOfMonth,
        /// Which kind of day.
        day: DaySelector,
    },
}

/// EWS `DayOfWeekIndexType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WeekOfMonth {
    /// First.
    First,
    /// Second.
    Second,
    /// Third.
    Third,
    /// Fourth.
    Fourth,
    /// Last.
    Last,
}

/// EWS `DayOfWeekType`: a week day, or any day, any weekday, any weekend day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DaySelector {
    /// That week day.
    On(Weekday),
    /// Any day.
    Day,
    /// Monday to Friday.
    Weekday,
    /// Saturday or Sunday.
    WeekendDay,
}

impl DaySelector {
    fn matches(self, d: Weekday) -> bool {
        match self {
            DaySelector::On(w) => w == d,
            DaySelector::Day => true,
            DaySelector::Weekday => !matches!(d, Weekday::Sat | Weekday::Sun),
            DaySelector::WeekendDay => matches!(d, Weekday::Sat | Weekday::Sun),
        }
    }
}

/// Start and end of a series.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RecurrenceRange {
    /// The first day the pattern applies (local date).
    pub start: NaiveDate,
    /// Where it ends.
    pub end: RangeEnd,
}

/// How a series ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum RangeEnd {
    /// Never.
    NoEnd,
    /// After this day (inclusive).
    EndDate(NaiveDate),
    /// After this many occurrences.
    Numbered(u32),
}

/// An occurrence that was moved or edited on its own.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ModifiedOccurrence {
    /// Where the pattern put it.
    pub original_start: DateTime<Utc>,
    /// The occurrence's own item id, when the mailbox gave one.
    pub id: Option<ItemId>,
    /// When it takes place now.
    pub when: When,
    /// Its own subject, when it differs from the series.
    pub subject: Option<String>,
    /// Its own location, when it differs from the series.
    pub location: Option<String>,
}

/// One occurrence of a series, as expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// 1-based position in the series, counting deleted occurrences (EWS
    /// `InstanceIndex`).
    pub index: u32,
    /// Where the pattern put it: the stable identity of the occurrence.
    pub original_start: DateTime<Utc>,
    /// When it takes place (moved occurrences differ from the pattern).
    pub when: When,
    /// The modification, if this occurrence was edited on its own.
    pub modified: Option<ModifiedOccurrence>,
}

/// Stop expanding after this many pattern steps, whatever the pattern says:
/// a malformed pattern must not hang the hub.
const MAX_STEPS: u32 = 20_000;

impl Recurrence {
    /// The occurrences of the series whose master spans `first` that overlap
    /// `[from, to)`, in order, without deleted ones and with modified ones
    /// in their modified form.
    pub fn expand(&self, first: &When, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Occurrence> {
        let deleted: Vec<NaiveDate> = self.deleted.iter().map(|d| self.local_date(*d)).collect();
        let modified: BTreeMap<NaiveDate, &ModifiedOccurrence> = self
            .modified
            .iter()
            .map(|m| (self.local_date(m.original_start), m))
            .collect();
        let mut out = Vec::new();
        for (index, date) in self.dates(to).into_iter().enumerate() {
            let index = index as u32 + 1;
            if deleted.contains(&date) {
                continue;
            }
            let (original_start, when) = self.place(first, date);
            let m = modified.get(&date).copied();
            let when = m.map_or(when, |m| m.when.clone());
            if when.overlaps(from, to, self.zone) {
                out.push(Occurrence {
                    index,
                    original_start,
                    when,
                    modified: m.cloned(),
                });
            }
        }
        out
    }

    /// The occurrence the pattern put at `original_start`, wherever it was
    /// moved to; `None` when the series has no such occurrence or it was
    /// deleted.
    pub fn find(&self, first: &When, original_start: DateTime<Utc>) -> Option<Occurrence> {
        let day = self.local_date(original_start);
        if self.deleted.iter().any(|d| self.local_date(*d) == day) {
            return None;
        }
        let dates = self.dates(original_start + Duration::days(2));
        let index = dates.iter().position(|d| *d == day)? as u32 + 1;
        let (start, when) = self.place(first, day);
        let m = self
            .modified
            .iter()
            .find(|m| self.local_date(m.original_start) == day);
        let when = m.map_or(when, |m| m.when.clone());
        Some(Occurrence {
            index,
            original_start: start,
            when,
            modified: m.cloned(),
        })
    }

    /// The local date of an instant in the series' zone.
    pub fn local_date(&self, instant: DateTime<Utc>) -> NaiveDate {
        self.zone.local(instant).date()
    }

    /// Places an occurrence on `date`: the master's wall-clock start and
    /// duration on that local date.
    fn place(&self, first: &When, date: NaiveDate) -> (DateTime<Utc>, When) {
        match first {
            When::Timed { start, end, .. } => {
                let local_start = self.zone.local(*start);
                let local_len = self.zone.local(*end) - local_start;
                let s = date.and_time(local_start.time());
                let e: NaiveDateTime = s + local_len;
                let start = self.zone.instant(s);
                let end = self.zone.instant(e);
                (start, When::timed(start, end, self.zone))
            }
            When::AllDay { first_day, end_day } => {
                let days = (*end_day - *first_day).num_days().max(1);
                let original = self.zone.instant(date.and_time(NaiveTime::MIN));
                (
                    original,
                    When::AllDay {
                        first_day: date,
                        end_day: date + Duration::days(days),
                    },
                )
            }
        }
    }

    /// All pattern dates from the range start up to the range end or the
    /// local date of `to`, whichever is first.
    fn dates(&self, to: DateTime<Utc>) -> Vec<NaiveDate> {
        let horizon = self.zone.local(to).date();
        let last = match self.range.end {
            RangeEnd::EndDate(d) => d.min(horizon),
            _ => horizon,
        };
        let limit = match self.range.end {
            RangeEnd::Numbered(n) => n,
            _ => u32::MAX,
        };
        let mut out = Vec::new();
        let mut emit = |d: NaiveDate| -> bool {
            if d < self.range.start {
                return true;
            }
            if d > last || out.len() as u32 >= limit {
                return false;
            }
            out.push(d);
            true
        };
        let start = self.range.start;
        match &self.pattern {
            Pattern::Daily { interval } => {
                let step = i64::from((*interval).max(1));
                for k in 0..MAX_STEPS {
                    if !emit(start + Duration::days(step * i64::from(k))) {
                        break;
                    }
                }
            }
            Pattern::Weekly {
                interval,
                days,
                first_day_of_week,
            } => {
                let mut sorted: Vec<Weekday> = days.clone();
                sorted.sort_by_key(|d| d.days_since(*first_day_of_week));
                sorted.dedup();
                if sorted.is_empty() {
                    return out;
                }
                let week_start = start
                    - Duration::days(i64::from(start.weekday().days_since(*first_day_of_week)));
                let step = i64::from((*interval).max(1)) * 7;
                'weeks: for k in 0..MAX_STEPS {
                    let base = week_start + Duration::days(step * i64::from(k));
                    for d in &sorted {
                        let day =
                            base + Duration::days(i64::from(d.days_since(*first_day_of_week)));
                        if !emit(day) {
                            break 'weeks;
                        }
                    }
                }
            }
            Pattern::AbsoluteMonthly {
                interval,
                day_of_month,
            } => {
                month_steps(
                    start,
                    *interval,
                    |y, m| clamp_day(y, m, *day_of_month),
                    &mut emit,
                );
            }
            Pattern::RelativeMonthly {
                interval,
                week,
                day,
            } => {
                month_steps(
                    start,
                    *interval,
                    |y, m| nth_day(y, m, *week, *day),
                    &mut emit,
                );
            }
            Pattern::AbsoluteYearly {
                month,
                day_of_month,
            } => {
                for y in start.year()..start.year().saturating_add(MAX_STEPS as i32 / 12) {
                    let Some(d) = clamp_day(y, *month, *day_of_month) else {
                        break;
                    };
                    if !emit(d) {
                        break;
                    }
                }
            }
            Pattern::RelativeYearly { month, week, day } => {
                for y in start.year()..start.year().saturating_add(MAX_STEPS as i32 / 12) {
                    let Some(d) = nth_day(y, *month, *week, *day) else {
                        break;
                    };
                    if !emit(d) {
                        break;
                    }
                }
            }
        }
        out
    }
}

/// Steps through every `interval`-th month from the range start's month.
fn month_steps(
    start: NaiveDate,
    interval: u32,
    day_in: impl Fn(i32, u32) -> Option<NaiveDate>,
    emit: &mut impl FnMut(NaiveDate) -> bool,
) {
    let Some(first_of_month) = start.with_day(1) else {
        return;
    };
    let step = interval.max(1);
    for k in 0..MAX_STEPS / 12 {
        let Some(month) = first_of_month.checked_add_months(Months::new(k * step)) else {
            return;
        };
        let Some(d) = day_in(month.year(), month.month()) else {
            return;
        };
        if !emit(d) {
            return;
        }
    }
}

fn days_in_month(y: i32, m: u32) -> Option<u32> {
    let first = NaiveDate::from_ymd_opt(y, m, 1)?;
    let next = first.checked_add_months(Months::new(1))?;
    Some((next - first).num_days() as u32)
}

/// Day `day` of the month, or its last day when the month is shorter.
fn clamp_day(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
    let len = days_in_month(y, m)?;
    NaiveDate::from_ymd_opt(y, m, day.clamp(1, len))
}

/// The `week`-th day matching `sel` in the month.
fn nth_day(y: i32, m: u32, week: WeekOfMonth, sel: DaySelector) -> Option<NaiveDate> {
    let len = days_in_month(y, m)?;
    let matching: Vec<NaiveDate> = (1..=len)
        .filter_map(|d| NaiveDate::from_ymd_opt(y, m, d))
        .filter(|d| sel.matches(d.weekday()))
        .collect();
    let pick = match week {
        WeekOfMonth::First => matching.first(),
        WeekOfMonth::Second => matching.get(1),
        WeekOfMonth::Third => matching.get(2),
        WeekOfMonth::Fourth => matching.get(3),
        WeekOfMonth::Last => matching.last(),
    };
    pick.copied()
}

#[cfg(test)]
mod tests;
