//! A `TimeZoneDefinition` as data: its periods (UTC offsets), its groups of
//! yearly transitions between them, and the switches from one group to the
//! next. Read from and written to XML, and evaluated to the UTC offset in
//! force at any instant.
//!
//! See <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/timezonedefinition>.
//!
//! Meaning, as Windows and Exchange use these rules:
//! - a group of one `Transition` holds one period all along;
//! - a group of yearly transitions (`RecurringDayTransition`: the n-th or
//!   last week day of a month; `RecurringDateTransition`: a day of a month)
//!   changes period at `TimeOffset` after local midnight of that day, in the
//!   wall-clock time in force just before the change;
//! - `Transitions` names the group in force from the beginning, then each
//!   `AbsoluteDateTransition` the group in force from its `DateTime`, again
//!   wall-clock time just before it.

use std::cell::RefCell;
use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc, Weekday};

use super::definition::{duration_text, parse_duration_seconds};
use crate::xml::{Node, XmlWriter};

/// A whole definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Definition {
    /// `Id`.
    pub id: String,
    /// `Name`.
    pub name: String,
    /// The periods.
    pub periods: Vec<Period>,
    /// The groups, by index (written as their `Id`).
    pub groups: Vec<Group>,
    /// The group in force from the beginning.
    pub first_group: usize,
    /// Later groups with the wall-clock time they take over at.
    pub switches: Vec<(NaiveDateTime, usize)>,
}

/// A `Period`: one UTC offset with a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Period {
    /// `Id`, which transitions name.
    pub id: String,
    /// `Standard` or `Daylight`.
    pub name: &'static str,
    /// Seconds east of UTC (the negated `Bias`).
    pub offset: i64,
}

/// A `TransitionsGroup`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Group {
    /// One period all along.
    Fixed(usize),
    /// Yearly changes between periods.
    Yearly(Vec<Yearly>),
}

/// A yearly change to the period `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Yearly {
    /// The period from then on.
    pub to: usize,
    /// Month 1 to 12.
    pub month: u32,
    /// Which day of the month.
    pub day: DayRule,
    /// Seconds after local midnight, in the time before the change.
    pub time: i64,
}

/// The day of a yearly change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DayRule {
    /// The n-th (1 to 4) or, for -1, the last such week day.
    Nth(Weekday, i32),
    /// That day of the month.
    Date(u32),
}

impl DayRule {
    pub(crate) fn date(self, year: i32, month: u32) -> Option<NaiveDate> {
        match self {
            DayRule::Date(day) => NaiveDate::from_ymd_opt(year, month, day),
            DayRule::Nth(weekday, n) => {
                let days: Vec<NaiveDate> = NaiveDate::from_ymd_opt(year, month, 1)?
                    .iter_days()
                    .take_while(|d| d.month() == month)
                    .filter(|d| d.weekday() == weekday)
                    .collect();
                if n < 1 || n as usize > days.len() {
                    days.last().copied()
                } else {
                    days.get(n as usize - 1).copied()
                }
            }
        }
    }
}

const WEEKDAYS: [(&str, Weekday); 7] = [
    ("Sunday", Weekday::Sun),
    ("Monday", Weekday::Mon),
    ("Tuesday", Weekday::Tue),
    ("Wednesday", Weekday::Wed),
    ("Thursday", Weekday::Thu),
    ("Friday", Weekday::Fri),
    ("Saturday", Weekday::Sat),
];

pub(crate) fn parse_weekday(s: &str) -> Option<Weekday> {
    WEEKDAYS
        .iter()
        .find(|(n, _)| *n == s.trim())
        .map(|(_, d)| *d)
}

fn weekday_name(d: Weekday) -> &'static str {
    WEEKDAYS
        .iter()
        .find(|(_, w)| *w == d)
        .map_or("Sunday", |(n, _)| n)
}

impl Definition {
    /// Reads a `TimeZoneDefinition`-typed element. `None` when it holds no
    /// period or names a period or group it does not define.
    pub(crate) fn read(node: Node<'_, '_>) -> Option<Definition> {
        let periods: Vec<Period> = node
            .child("Periods")?
            .children_named("Period")
            .map(|p| {
                let name = match p.attr("Name").as_deref() {
                    Some(n) if n.eq_ignore_ascii_case("Daylight") => "Daylight",
                    _ => "Standard",
                };
                Some(Period {
                    id: p.attr("Id").unwrap_or_default().into_owned(),
                    name,
                    offset: -parse_duration_seconds(&p.attr("Bias")?)?,
                })
            })
            .collect::<Option<_>>()?;
        if periods.is_empty() {
            return None;
        }
        let period = |id: &str| periods.iter().position(|p| p.id == id.trim());
        let mut group_ids = Vec::new();
        let mut groups = Vec::new();
        let group_nodes: Vec<Node<'_, '_>> = match node.child("TransitionsGroups") {
            Some(gs) => gs.children_named("TransitionsGroup").collect(),
            None => Vec::new(),
        };
        for g in group_nodes {
            let mut yearly = Vec::new();
            let mut fixed = None;
            for t in g.children() {
                let to = period(t.child_text("To")?)?;
                let rule = |day: Option<DayRule>| -> Option<Yearly> {
                    Some(Yearly {
                        to,
                        month: t.child_text("Month")?.trim().parse().ok()?,
                        day: day?,
                        time: parse_duration_seconds(t.child_text("TimeOffset")?)?,
                    })
                };
                match t.name() {
                    "Transition" => fixed = Some(to),
                    "RecurringDayTransition" => yearly.push(rule(Some(DayRule::Nth(
                        parse_weekday(t.child_text("DayOfWeek")?)?,
                        t.child_text("Occurrence")?.trim().parse().ok()?,
                    )))?),
                    "RecurringDateTransition" => yearly.push(rule(
                        t.child_text("Day")
                            .and_then(|d| d.trim().parse().ok())
                            .map(DayRule::Date),
                    )?),
                    _ => {}
                }
            }
            group_ids.push(g.attr("Id").unwrap_or_default().into_owned());
            groups.push(match (fixed, yearly.is_empty()) {
                (_, false) => Group::Yearly(yearly),
                (Some(p), true) => Group::Fixed(p),
                (None, true) => return None,
            });
        }
        if groups.is_empty() {
            // Periods alone: the standard one holds all along.
            let standard = periods
                .iter()
                .position(|p| p.name == "Standard")
                .unwrap_or(0);
            groups.push(Group::Fixed(standard));
            group_ids.push(String::new());
        }
        let group = |id: &str| group_ids.iter().position(|g| g == id.trim());
        let mut first_group = 0;
        let mut switches = Vec::new();
        for t in node
            .child("Transitions")
            .into_iter()
            .flat_map(|ts| ts.children())
        {
            let to = group(t.child_text("To")?)?;
            match t.name() {
                "AbsoluteDateTransition" => {
                    let at = NaiveDateTime::parse_from_str(
                        t.child_text("DateTime")?.trim(),
                        "%Y-%m-%dT%H:%M:%S",
                    )
                    .ok()?;
                    switches.push((at, to));
                }
                _ => first_group = to,
            }
        }
        switches.sort();
        Some(Definition {
            id: node.attr("Id").unwrap_or_default().into_owned(),
            name: node.attr("Name").unwrap_or_default().into_owned(),
            periods,
            groups,
            first_group,
            switches,
        })
    }

    /// Writes the definition as the element `element` (`t:StartTimeZone`,
    /// `t:TimeZoneDefinition`, …), in schema order.
    pub(crate) fn write(&self, w: &mut XmlWriter, element: &str) {
        w.open(element, &[("Id", &self.id), ("Name", &self.name)]);
        w.open("t:Periods", &[]);
        for p in &self.periods {
            w.empty(
                "t:Period",
                &[
                    ("Bias", &duration_text(-p.offset)),
                    ("Name", p.name),
                    ("Id", &p.id),
                ],
            );
        }
        w.close("t:Periods");
        w.open("t:TransitionsGroups", &[]);
        for (i, g) in self.groups.iter().enumerate() {
            w.open("t:TransitionsGroup", &[("Id", &i.to_string())]);
            match g {
                Group::Fixed(p) => {
                    w.open("t:Transition", &[])
                        .leaf_with("t:To", &[("Kind", "Period")], &self.periods[*p].id)
                        .close("t:Transition");
                }
                Group::Yearly(changes) => {
                    for c in changes {
                        let element = match c.day {
                            DayRule::Nth(..) => "t:RecurringDayTransition",
                            DayRule::Date(_) => "t:RecurringDateTransition",
                        };
                        w.open(element, &[])
                            .leaf_with("t:To", &[("Kind", "Period")], &self.periods[c.to].id)
                            .leaf("t:TimeOffset", &duration_text(c.time))
                            .leaf("t:Month", &c.month.to_string());
                        match c.day {
                            DayRule::Nth(day, n) => {
                                w.leaf("t:DayOfWeek", weekday_name(day))
                                    .leaf("t:Occurrence", &n.to_string());
                            }
                            DayRule::Date(day) => {
                                w.leaf("t:Day", &day.to_string());
                            }
                        }
                        w.close(element);
                    }
                }
            }
            w.close("t:TransitionsGroup");
        }
        w.close("t:TransitionsGroups");
        w.open("t:Transitions", &[]);
        w.open("t:Transition", &[])
            .leaf_with("t:To", &[("Kind", "Group")], &self.first_group.to_string())
            .close("t:Transition");
        for (at, g) in &self.switches {
            w.open("t:AbsoluteDateTransition", &[])
                .leaf_with("t:To", &[("Kind", "Group")], &g.to_string())
                .leaf("t:DateTime", &at.format("%Y-%m-%dT%H:%M:%S").to_string())
                .close("t:AbsoluteDateTransition");
        }
        w.close("t:Transitions");
        w.close(element);
    }

    /// The UTC offset (seconds east) the definition gives at `t`.
    pub(crate) fn offset_at(&self, t: DateTime<Utc>) -> Option<i64> {
        self.offsets().at(t)
    }

    /// An evaluator that works out the switches once, for many questions.
    pub(crate) fn offsets(&self) -> Offsets<'_> {
        let mut o = Offsets {
            d: self,
            switches: Vec::new(),
            years: RefCell::new(HashMap::new()),
        };
        let mut group = self.first_group;
        for (local, next) in &self.switches {
            // The switch is wall-clock time in the offset just before it.
            let guess = local.and_utc();
            let before = o
                .group_offset(group, guess)
                .and_then(|b| o.group_offset(group, guess - Duration::seconds(b + 1)));
            if let Some(before) = before {
                o.switches.push((guess - Duration::seconds(before), *next));
            }
            group = *next;
        }
        o
    }

    /// Every instant in the years `from..=to` (UTC, with a day's margin)
    /// where the definition may change offset: its switches between groups
    /// and every yearly change of every group. Between two of them the
    /// offset is constant.
    pub(crate) fn breakpoints(&self, from: i32, to: i32) -> Vec<DateTime<Utc>> {
        let mut out = Vec::new();
        for (local, _) in &self.switches {
            let guess = local.and_utc();
            out.extend([guess - Duration::days(1), guess + Duration::days(1)]);
            if let Some(o) = self.offset_at(guess) {
                out.push(guess - Duration::seconds(o));
            }
            for p in &self.periods {
                out.push(guess - Duration::seconds(p.offset));
            }
        }
        // The years each group is in force (by its switches' dates).
        let mut years: Vec<Option<(i32, i32)>> = vec![None; self.groups.len()];
        let mut widen = |g: usize, a: i32, b: i32| {
            if let Some(y) = years.get_mut(g) {
                *y = Some(y.map_or((a, b), |(x, z)| (x.min(a), z.max(b))));
            }
        };
        let mut since = from - 1;
        let mut current = self.first_group;
        for (local, next) in &self.switches {
            widen(current, since, local.year());
            since = local.year();
            current = *next;
        }
        widen(current, since, to + 1);
        for (g, in_force) in self.groups.iter().zip(years) {
            let (Group::Yearly(changes), Some((a, b))) = (g, in_force) else {
                continue;
            };
            for year in a.max(from - 1)..=b.min(to + 1) {
                for c in changes {
                    let Some(day) = c.day.date(year, c.month) else {
                        continue;
                    };
                    let local = day.and_time(NaiveTime::MIN) + Duration::seconds(c.time);
                    // In whichever period was in force before it.
                    for p in &self.periods {
                        out.push(local.and_utc() - Duration::seconds(p.offset));
                    }
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }
}

/// Changes of a yearly group in one year: when, and to which period.
type YearChanges = Vec<(DateTime<Utc>, usize)>;

/// The offsets of a definition, its switches worked out.
pub(crate) struct Offsets<'d> {
    d: &'d Definition,
    /// The instant each switch takes effect, and the group from then on.
    switches: Vec<(DateTime<Utc>, usize)>,
    /// The changes of a yearly group in a year, as instants, in order.
    years: RefCell<HashMap<(usize, i32), YearChanges>>,
}

impl Offsets<'_> {
    /// The UTC offset (seconds east) at `t`.
    pub(crate) fn at(&self, t: DateTime<Utc>) -> Option<i64> {
        let group = self
            .switches
            .iter()
            .take_while(|(at, _)| *at <= t)
            .last()
            .map_or(self.d.first_group, |(_, g)| *g);
        self.group_offset(group, t)
    }

    fn period_offset(&self, p: usize) -> Option<i64> {
        self.d.periods.get(p).map(|p| p.offset)
    }

    /// The offset group `g` gives at `t`: that of the latest of its changes
    /// at or before `t`.
    fn group_offset(&self, g: usize, t: DateTime<Utc>) -> Option<i64> {
        match self.d.groups.get(g)? {
            Group::Fixed(p) => self.period_offset(*p),
            Group::Yearly(_) => {
                let mut latest: Option<(DateTime<Utc>, usize)> = None;
                for year in t.year() - 1..=t.year() + 1 {
                    for (at, to) in self.changes(g, year)? {
                        if at <= t && latest.is_none_or(|(l, _)| at > l) {
                            latest = Some((at, to));
                        }
                    }
                }
                self.period_offset(latest?.1)
            }
        }
    }

    /// The changes of yearly group `g` in `year`, each read in the period
    /// the change before it (around the year) led to.
    fn changes(&self, g: usize, year: i32) -> Option<YearChanges> {
        if let Some(hit) = self.years.borrow().get(&(g, year)) {
            return Some(hit.clone());
        }
        let Group::Yearly(changes) = self.d.groups.get(g)? else {
            return Some(Vec::new());
        };
        let mut local: Vec<(NaiveDateTime, usize)> = changes
            .iter()
            .filter_map(|c| {
                let day = c.day.date(year, c.month)?;
                Some((
                    day.and_time(NaiveTime::MIN) + Duration::seconds(c.time),
                    c.to,
                ))
            })
            .collect();
        local.sort();
        let mut out = Vec::new();
        for (i, (at, to)) in local.iter().enumerate() {
            let prev = if i == 0 {
                local.last()?.1
            } else {
                local[i - 1].1
            };
            out.push((
                at.and_utc() - Duration::seconds(self.period_offset(prev)?),
                *to,
            ));
        }
        self.years.borrow_mut().insert((g, year), out.clone());
        Some(out)
    }
}
