//! A custom `TimeZoneDefinition` for an IANA zone that no Windows zone
//! matches: its real periods and transitions, from tzdata (chrono-tz).
//!
//! The rules are worked out year by year over [`DEFINED_YEARS`], the way
//! Windows keeps them (a rule per year, taking over on 1 January):
//! - a year without a change is one period;
//! - a year that changes to one offset and back is a yearly rule, written
//!   as the n-th or last week day of the month (`RecurringDayTransition`)
//!   at the wall-clock time of the change, standard time being the lower
//!   offset;
//! - any other year (a lasting change of offset, or more than two changes)
//!   is written as fixed periods that take over at the exact changes.
//!
//! Consecutive years that the same rule describes share one group, so a
//! zone with steady rules is written as one group. Before the first year
//! the first group holds, after the last one the last group.

use std::collections::HashMap;
use std::ops::RangeInclusive;
use std::sync::{Mutex, OnceLock};

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};
use chrono_tz::Tz;
use maiconnect_core::model::Zone;
use maiconnect_core::model::zones::{OffsetChange, offset_at, offset_changes};

use super::rules::{DayRule, Definition, Group, Period, Yearly};

/// The years a custom definition spells out.
pub(crate) const DEFINED_YEARS: RangeInclusive<i32> = 2010..=2040;

/// How one year runs.
#[derive(Debug, Clone, PartialEq)]
enum Year {
    /// One offset all year.
    Fixed(i64),
    /// To `changes[0].after` and back again.
    Rule([OffsetChange; 2]),
    /// Anything else: the offset at the start, then every change.
    Pieces(i64, Vec<OffsetChange>),
}

/// The instant local midnight of 1 January of `year` is in `tz`.
fn new_year(tz: Tz, year: i32) -> DateTime<Utc> {
    let midnight = NaiveDate::from_ymd_opt(year, 1, 1)
        .map_or(NaiveDateTime::MIN, |d| d.and_time(NaiveTime::MIN));
    Zone::Iana(tz).instant(midnight)
}

fn secs(o: chrono::FixedOffset) -> i64 {
    i64::from(o.local_minus_utc())
}

fn year_of(tz: Tz, year: i32) -> Year {
    let (from, to) = (new_year(tz, year), new_year(tz, year + 1));
    let start = secs(offset_at(tz, from));
    let changes = offset_changes(tz, from, to);
    match changes.as_slice() {
        [] => Year::Fixed(start),
        [a, b] if secs(b.after) == start && secs(a.after) != start => Year::Rule([*a, *b]),
        _ => Year::Pieces(start, changes),
    }
}

/// The wall-clock time just before a change.
fn local_before(c: &OffsetChange) -> NaiveDateTime {
    c.at.naive_utc() + chrono::Duration::seconds(secs(c.before))
}

/// The ways to name the day of `d` as a week day of its month.
fn day_rules(d: NaiveDate) -> Vec<DayRule> {
    let mut out = Vec::new();
    let n = (d.day() as i32 - 1) / 7 + 1;
    if n <= 4 {
        out.push(DayRule::Nth(d.weekday(), n));
    }
    if d.checked_add_days(Days::new(7))
        .is_none_or(|w| w.month() != d.month())
    {
        out.push(DayRule::Nth(d.weekday(), -1));
    }
    out
}

/// A yearly rule for a `Year::Rule` change, in every way that fits it.
fn yearly_options(c: &OffsetChange, to: usize) -> Vec<Yearly> {
    let local = local_before(c);
    let time = i64::from(local.time().num_seconds_from_midnight());
    day_rules(local.date())
        .into_iter()
        .map(|day| Yearly {
            to,
            month: local.month(),
            day,
            time,
        })
        .collect()
}

/// Whether `rule` puts its change where `c` is in `year`.
fn fits(rule: &Yearly, c: &OffsetChange, year: i32) -> bool {
    let local = local_before(c);
    local.year() == year
        && rule.month == local.month()
        && rule.day.date(year, rule.month) == Some(local.date())
        && rule.time == i64::from(local.time().num_seconds_from_midnight())
}

struct Builder {
    periods: Vec<Period>,
    groups: Vec<Group>,
    /// For the last group, when it is yearly: every pair of rules that fits
    /// all its years so far, and the offsets it changes between.
    open: Option<(Vec<[Yearly; 2]>, [i64; 2])>,
    switches: Vec<(NaiveDateTime, usize)>,
}

impl Builder {
    fn period(&mut self, name: &'static str, offset: i64) -> usize {
        let id = format!("{name}/{}", offset_label(offset));
        if let Some(i) = self.periods.iter().position(|p| p.id == id) {
            return i;
        }
        self.periods.push(Period { id, name, offset });
        self.periods.len() - 1
    }

    /// Starts `group` at `at` (or from the beginning, when it is the first).
    fn start(&mut self, group: Group, at: NaiveDateTime) {
        self.groups.push(group);
        if self.groups.len() > 1 {
            self.switches.push((at, self.groups.len() - 1));
        }
    }

    fn fixed(&mut self, offset: i64, at: NaiveDateTime) {
        let p = self.period("Standard", offset);
        if self.open.is_none() && self.groups.last() == Some(&Group::Fixed(p)) {
            return;
        }
        self.open = None;
        self.start(Group::Fixed(p), at);
    }

    fn rule(&mut self, year: i32, changes: &[OffsetChange; 2], at: NaiveDateTime) {
        let (a, b) = (secs(changes[0].after), secs(changes[1].after));
        let daylight = a.max(b);
        let to = |this: &mut Builder, o: i64| {
            let name = if o == daylight {
                "Daylight"
            } else {
                "Standard"
            };
            this.period(name, o)
        };
        let (ta, tb) = (to(self, a), to(self, b));
        if let Some((options, offsets)) = &mut self.open
            && *offsets == [a, b]
        {
            let kept: Vec<[Yearly; 2]> = options
                .iter()
                .filter(|[x, y]| fits(x, &changes[0], year) && fits(y, &changes[1], year))
                .copied()
                .collect();
            if !kept.is_empty() {
                *options = kept.clone();
                if let Some(Group::Yearly(rules)) = self.groups.last_mut() {
                    *rules = kept[0].to_vec();
                }
                return;
            }
        }
        let mut options = Vec::new();
        for x in yearly_options(&changes[0], ta) {
            for y in yearly_options(&changes[1], tb) {
                options.push([x, y]);
            }
        }
        // Prefer "last" for a day in the last week: it stays right in
        // later years, where the n-th may not.
        options.sort_by_key(|[x, y]| {
            let last = |r: &Yearly| matches!(r.day, DayRule::Nth(_, -1));
            (!last(x), !last(y))
        });
        let first = options[0];
        self.open = Some((options, [a, b]));
        self.start(Group::Yearly(first.to_vec()), at);
    }
}

fn offset_label(seconds: i64) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.abs();
    format!("{sign}{:02}:{:02}", s / 3600, (s % 3600) / 60)
}

/// The definition of `tz` with its own rules.
pub(crate) fn definition(tz: Tz) -> Definition {
    static CACHE: OnceLock<Mutex<HashMap<Tz, Definition>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(hit) = cache.lock().ok().and_then(|c| c.get(&tz).cloned()) {
        return hit;
    }
    let built = build(tz);
    if let Ok(mut c) = cache.lock() {
        c.insert(tz, built.clone());
    }
    built
}

fn build(tz: Tz) -> Definition {
    let mut b = Builder {
        periods: Vec::new(),
        groups: Vec::new(),
        open: None,
        switches: Vec::new(),
    };
    for year in DEFINED_YEARS {
        let jan1 = NaiveDate::from_ymd_opt(year, 1, 1)
            .map_or(NaiveDateTime::MIN, |d| d.and_time(NaiveTime::MIN));
        match year_of(tz, year) {
            Year::Fixed(o) => b.fixed(o, jan1),
            Year::Rule(changes) => b.rule(year, &changes, jan1),
            Year::Pieces(start, changes) => {
                b.fixed(start, jan1);
                for c in &changes {
                    b.open = None;
                    let p = b.period("Standard", secs(c.after));
                    b.start(Group::Fixed(p), local_before(c));
                }
            }
        }
    }
    let standard = b
        .groups
        .last()
        .and_then(|g| match g {
            Group::Fixed(p) => Some(*p),
            Group::Yearly(r) => r.iter().map(|y| y.to).min_by_key(|p| b.periods[*p].offset),
        })
        .map_or(0, |p| b.periods[p].offset);
    Definition {
        id: tz.name().to_owned(),
        name: format!("(UTC{}) {}", offset_label(standard), tz.name()),
        periods: b.periods,
        groups: b.groups,
        first_group: 0,
        switches: b.switches,
    }
}

/// A zone of one fixed offset.
pub(crate) fn fixed_definition(offset: i64) -> Definition {
    let label = format!("UTC{}", offset_label(offset));
    Definition {
        id: format!("maiconnect/{label}"),
        name: label,
        periods: vec![Period {
            id: "std".into(),
            name: "Standard",
            offset,
        }],
        groups: vec![Group::Fixed(0)],
        first_group: 0,
        switches: Vec::new(),
    }
}
