//! The dates a pattern puts occurrences on, numbered from the range start.
//!
//! A pattern repeats in blocks: a day, a week (from the first day of the
//! week), a month or a year, every `interval`-th one counted from the block
//! that holds the range start. Every block after the first holds the same
//! number of dates (one, or one per week day of a weekly pattern), and the
//! first block holds those of its dates that are not before the range start.
//! So the number of occurrences before any block is known without walking
//! to it: expansion jumps straight to the window, and a series that ends
//! after N occurrences still counts them from its start, however long ago.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

use super::{DaySelector, Pattern, RangeEnd, RecurrenceRange, WeekOfMonth};

/// The pattern dates of one series.
pub(super) struct Dates {
    blocks: Blocks,
    start: NaiveDate,
    end: RangeEnd,
    /// Dates in block 0 on or after the range start.
    first_block: u64,
    /// Dates in every later block.
    per_block: u64,
}

enum Blocks {
    /// Block k is the day `start + k * step`.
    Daily { start: NaiveDate, step: u64 },
    /// Block k is the week from `week0 + k * step` days; `offsets` are the
    /// pattern's week days as days from the week's first day, ascending.
    Weekly {
        week0: NaiveDate,
        step: u64,
        offsets: Vec<u64>,
    },
    /// Block k is the month `month0 + k * step`.
    Monthly {
        month0: NaiveDate,
        step: u32,
        day: DayRule,
    },
    /// Block k is `month` of the year `year0 + k`.
    Yearly {
        year0: i32,
        month: u32,
        day: DayRule,
    },
}

/// Which day of a month.
#[derive(Clone, Copy)]
enum DayRule {
    /// Day n, or the month's last day when it is shorter.
    Absolute(u32),
    /// The n-th (or last) day matching the selector.
    Relative(WeekOfMonth, DaySelector),
}

impl DayRule {
    fn date(self, y: i32, m: u32) -> Option<NaiveDate> {
        match self {
            DayRule::Absolute(day) => clamp_day(y, m, day),
            DayRule::Relative(week, sel) => nth_day(y, m, week, sel),
        }
    }
}

impl Dates {
    pub(super) fn new(pattern: &Pattern, range: &RecurrenceRange) -> Dates {
        let start = range.start;
        let step = |interval: u32| interval.max(1);
        let month0 = start.with_day(1).unwrap_or(start);
        let (blocks, per_block) = match pattern {
            Pattern::Daily { interval } => (
                Blocks::Daily {
                    start,
                    step: u64::from(step(*interval)),
                },
                1,
            ),
            Pattern::Weekly {
                interval,
                days,
                first_day_of_week,
            } => {
                let mut offsets: Vec<u64> = days
                    .iter()
                    .map(|d| u64::from(d.days_since(*first_day_of_week)))
                    .collect();
                offsets.sort_unstable();
                offsets.dedup();
                let per_block = offsets.len() as u64;
                let blocks = Blocks::Weekly {
                    week0: week_start(start, *first_day_of_week),
                    step: u64::from(step(*interval)) * 7,
                    offsets,
                };
                (blocks, per_block)
            }
            Pattern::AbsoluteMonthly {
                interval,
                day_of_month,
            } => (
                Blocks::Monthly {
                    month0,
                    step: step(*interval),
                    day: DayRule::Absolute(*day_of_month),
                },
                1,
            ),
            Pattern::RelativeMonthly {
                interval,
                week,
                day,
            } => (
                Blocks::Monthly {
                    month0,
                    step: step(*interval),
                    day: DayRule::Relative(*week, *day),
                },
                1,
            ),
            Pattern::AbsoluteYearly {
                month,
                day_of_month,
            } => (
                Blocks::Yearly {
                    year0: start.year(),
                    month: *month,
                    day: DayRule::Absolute(*day_of_month),
                },
                1,
            ),
            Pattern::RelativeYearly { month, week, day } => (
                Blocks::Yearly {
                    year0: start.year(),
                    month: *month,
                    day: DayRule::Relative(*week, *day),
                },
                1,
            ),
        };
        let mut dates = Dates {
            blocks,
            start,
            end: range.end,
            first_block: 0,
            per_block,
        };
        dates.first_block = dates.block(0).iter().filter(|d| **d >= start).count() as u64;
        dates
    }

    /// The pattern dates within the range from `lo` to `hi` (both
    /// inclusive), each with its 1-based index in the series.
    pub(super) fn between(&self, lo: NaiveDate, hi: NaiveDate) -> Vec<(u32, NaiveDate)> {
        let mut out = Vec::new();
        let mut k = self.block_at_or_before(lo).max(0) as u64;
        loop {
            let block = self.block(k);
            if block.is_empty() {
                return out;
            }
            for (index, d) in self.numbered(k, block) {
                if d > hi || !self.within_end(index, d) {
                    return out;
                }
                if d >= lo {
                    out.push((index, d));
                }
            }
            k += 1;
        }
    }

    /// The 1-based index of the occurrence on `d`, when the pattern puts one
    /// there within the range.
    pub(super) fn index_of(&self, d: NaiveDate) -> Option<u32> {
        let k = u64::try_from(self.block_at_or_before(d)).ok()?;
        self.numbered(k, self.block(k))
            .find(|(_, x)| *x == d)
            .filter(|(index, _)| self.within_end(*index, d))
            .map(|(index, _)| index)
    }

    /// The dates of block `k` that belong to the series, with their indexes.
    fn numbered(&self, k: u64, block: Vec<NaiveDate>) -> impl Iterator<Item = (u32, NaiveDate)> {
        let before = match k {
            0 => 0,
            k => self.first_block + (k - 1) * self.per_block,
        };
        block
            .into_iter()
            .filter(move |d| *d >= self.start)
            .enumerate()
            .map(move |(i, d)| {
                let index = before + i as u64 + 1;
                (u32::try_from(index).unwrap_or(u32::MAX), d)
            })
    }

    fn within_end(&self, index: u32, d: NaiveDate) -> bool {
        match self.end {
            RangeEnd::NoEnd => true,
            RangeEnd::EndDate(last) => d <= last,
            RangeEnd::Numbered(n) => index <= n,
        }
    }

    /// The index of the block that holds `d`, or of the last block that
    /// begins before it (negative before the first block).
    fn block_at_or_before(&self, d: NaiveDate) -> i64 {
        match &self.blocks {
            Blocks::Daily { start, step } => (d - *start).num_days().div_euclid(*step as i64),
            Blocks::Weekly { week0, step, .. } => {
                let first_day_of_week = week0.weekday();
                (week_start(d, first_day_of_week) - *week0)
                    .num_days()
                    .div_euclid(*step as i64)
            }
            Blocks::Monthly { month0, step, .. } => {
                months_between(*month0, d).div_euclid(i64::from(*step))
            }
            Blocks::Yearly { year0, .. } => i64::from(d.year()) - i64::from(*year0),
        }
    }

    /// The dates of block `k`, ascending; empty past the end of the calendar.
    fn block(&self, k: u64) -> Vec<NaiveDate> {
        let some = |d: Option<NaiveDate>| d.into_iter().collect();
        match &self.blocks {
            Blocks::Daily { start, step } => some(
                k.checked_mul(*step)
                    .and_then(|n| start.checked_add_days(Days::new(n))),
            ),
            Blocks::Weekly {
                week0,
                step,
                offsets,
            } => {
                let Some(base) = k
                    .checked_mul(*step)
                    .and_then(|n| week0.checked_add_days(Days::new(n)))
                else {
                    return Vec::new();
                };
                offsets
                    .iter()
                    .map_while(|o| base.checked_add_days(Days::new(*o)))
                    .collect()
            }
            Blocks::Monthly { month0, step, day } => some(
                u32::try_from(k)
                    .ok()
                    .and_then(|k| k.checked_mul(*step))
                    .and_then(|n| month0.checked_add_months(Months::new(n)))
                    .and_then(|m| day.date(m.year(), m.month())),
            ),
            Blocks::Yearly { year0, month, day } => some(
                i32::try_from(k)
                    .ok()
                    .and_then(|k| year0.checked_add(k))
                    .and_then(|y| day.date(y, *month)),
            ),
        }
    }
}

/// The first day of the week (starting on `first`) that holds `d`.
fn week_start(d: NaiveDate, first: Weekday) -> NaiveDate {
    d - Days::new(u64::from(d.weekday().days_since(first)))
}

/// Whole months from the month of `a` to the month of `b`.
fn months_between(a: NaiveDate, b: NaiveDate) -> i64 {
    let index = |d: NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
    index(b) - index(a)
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
    let mut matching = (1..=len)
        .filter_map(|d| NaiveDate::from_ymd_opt(y, m, d))
        .filter(|d| sel.matches(d.weekday()));
    match week {
        WeekOfMonth::First => matching.next(),
        WeekOfMonth::Second => matching.nth(1),
        WeekOfMonth::Third => matching.nth(2),
        WeekOfMonth::Fourth => matching.nth(3),
        WeekOfMonth::Last => matching.next_back(),
    }
}
