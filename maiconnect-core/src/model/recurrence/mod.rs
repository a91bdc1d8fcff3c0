//! Recurring series as Exchange can express them, and their expansion into
//! single occurrences.
//!
//! Occurrences are computed on local wall-clock dates in the series' zone and
//! only then turned into instants, so a weekly 09:00 meeting stays at 09:00
//! local time on both sides of a DST change. Expansion is pure: the horizon
//! is an argument, not a clock read. It visits only the pattern dates near
//! the window (see `dates.rs`), so a series begun decades ago is expanded as
//! quickly as a new one and still numbered (and counted) from its start.
//!
//! # Times a DST change skips or repeats
//!
//! The rule, as Exchange, Outlook and RFC 5545 (§3.3.5) apply it:
//!
//! - A series has one wall-clock start time: [`Recurrence::start_time`] where
//!   the source names it, else the local time of the master's start.
//! - On a day where that time does not exist (inside a spring gap, such as
//!   02:30 in Berlin on the last Sunday of March), the occurrence starts at
//!   the instant that time names with the offset in force before the gap:
//!   the wall clock reads later by the size of the gap (03:30). On every
//!   other day the series is back at its own time.
//! - A time that happens twice (autumn) is the earlier instant.
//! - Every occurrence lasts the master's elapsed time, whatever the wall
//!   clock does in between; nothing is clamped to zero length.
//! - A master that starts in a gap can only be an instant after the gap.
//!   Where the protocol still carries the intended time (Graph's
//!   `start.dateTime` in `start.timeZone` is a local time), the adapter sets
//!   `start_time` and the later occurrences keep it. EWS returns the
//!   master's `Start` in UTC and its recurrence range starts on a date
//!   (`xs:date`), so there the master's local time is the series' time: a
//!   master that was moved by a gap before it reached us stays moved.

mod dates;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Days, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use serde::{Deserialize, Serialize};

use crate::ids::ItemId;
use crate::model::time::{When, Zone};
use dates::Dates;

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
    /// The series' own wall-clock start time in `zone`, where the source
    /// names one; `None` takes the local time of the master's start. The
    /// two differ only when the master's first day skips that time (see the
    /// module documentation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<NaiveTime>,
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

impl Recurrence {
    /// The occurrences of the series whose master spans `first` that overlap
    /// `[from, to)`, in order, without deleted ones and with modified ones
    /// in their modified form.
    ///
    /// Only the pattern dates near the window are visited, so a series that
    /// began decades ago costs no more than one that begins today, and keeps
    /// its numbering.
    pub fn expand(&self, first: &When, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Occurrence> {
        let deleted: BTreeSet<NaiveDate> =
            self.deleted.iter().map(|d| self.local_date(*d)).collect();
        let modified: BTreeMap<NaiveDate, &ModifiedOccurrence> = self
            .modified
            .iter()
            .map(|m| (self.local_date(m.original_start), m))
            .collect();
        let dates = Dates::new(&self.pattern, &self.range);
        // An occurrence on a local date starts that day (or just after, in a
        // DST gap) and lasts as long as the master: look back by that length
        // and a day either way for the zone's offset.
        let length = first.end_instant(self.zone) - first.start_instant(self.zone);
        let lo = from
            .checked_sub_signed(length)
            .map_or(NaiveDate::MIN, |t| self.local_date(t))
            .checked_sub_days(Days::new(2))
            .unwrap_or(NaiveDate::MIN);
        let hi = self
            .local_date(to)
            .checked_add_days(Days::new(1))
            .unwrap_or(NaiveDate::MAX);
        let mut out = Vec::new();
        for (index, date) in dates.between(lo, hi) {
            if deleted.contains(&date) || modified.contains_key(&date) {
                continue;
            }
            let (original_start, when) = self.place(first, date);
            if when.overlaps(from, to, self.zone) {
                out.push(Occurrence {
                    index,
                    original_start,
                    when,
                    modified: None,
                });
            }
        }
        // A modified occurrence may have moved into the window from anywhere.
        for (date, m) in modified {
            if deleted.contains(&date) || !m.when.overlaps(from, to, self.zone) {
                continue;
            }
            if let Some(index) = dates.index_of(date) {
                out.push(Occurrence {
                    index,
                    original_start: self.place(first, date).0,
                    when: m.when.clone(),
                    modified: Some(m.clone()),
                });
            }
        }
        out.sort_by_key(|o| o.index);
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
        let index = Dates::new(&self.pattern, &self.range).index_of(day)?;
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

    /// Places an occurrence on `date`: the series' wall-clock start on that
    /// local date, lasting the master's elapsed time (not its wall-clock
    /// span, which a DST change inside the master stretches or shrinks).
    fn place(&self, first: &When, date: NaiveDate) -> (DateTime<Utc>, When) {
        match first {
            When::Timed { start, end, .. } => {
                let time = self
                    .start_time
                    .unwrap_or_else(|| self.zone.local(*start).time());
                let length = (*end - *start).max(Duration::zero());
                let start = self.zone.instant(date.and_time(time));
                (start, When::timed(start, start + length, self.zone))
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
}

#[cfg(test)]
mod tests;
