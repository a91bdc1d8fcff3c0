//! The small JSON item description of the control API, turned into the
//! EWS XML Outlook would send.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::exchange::items::order;
use crate::exchange::items::time::{fmt_dt, zone_named};
use crate::exchange::state::ItemKind;
use crate::exchange::xml::{escape_attr, escape_text};

/// An attendee.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendeeSpec {
    /// SMTP address.
    pub email: String,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Optional rather than required.
    #[serde(default)]
    pub optional: bool,
}

/// A recurrence: `pattern` is `daily`, `weekly`, `absolute_monthly` or
/// `absolute_yearly`; the range ends at `end_date`, after `occurrences`,
/// or never.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecurrenceSpec {
    /// Pattern kind.
    pub pattern: String,
    /// Interval (default 1).
    #[serde(default)]
    pub interval: Option<u32>,
    /// Week days (`Monday` …) for weekly.
    #[serde(default)]
    pub days: Vec<String>,
    /// Day of month for monthly/yearly.
    #[serde(default)]
    pub day_of_month: Option<u32>,
    /// Month (`January` …) for yearly.
    #[serde(default)]
    pub month: Option<String>,
    /// First day of the range (default: the start's date).
    #[serde(default)]
    pub start_date: Option<NaiveDate>,
    /// Last day.
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
    /// Number of occurrences.
    #[serde(default)]
    pub occurrences: Option<u32>,
}

/// An extended property: `set` (`PublicStrings`, `Common`, …) or
/// `property_set_id` (GUID) with `name` or `id`, or a `tag` (`0x…`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtendedSpec {
    /// DistinguishedPropertySetId.
    #[serde(default)]
    pub set: Option<String>,
    /// PropertySetId.
    #[serde(default)]
    pub property_set_id: Option<String>,
    /// PropertyName.
    #[serde(default)]
    pub name: Option<String>,
    /// PropertyId.
    #[serde(default)]
    pub id: Option<u32>,
    /// PropertyTag.
    #[serde(default)]
    pub tag: Option<String>,
    /// PropertyType (default `String`).
    #[serde(default)]
    pub r#type: Option<String>,
    /// The value.
    pub value: String,
}

/// An item as a user would enter it in Outlook.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemSpec {
    /// `appointment` (default), `task` or `contact`.
    #[serde(default)]
    pub kind: Option<String>,
    /// Subject.
    #[serde(default)]
    pub subject: Option<String>,
    /// Body text.
    #[serde(default)]
    pub body: Option<String>,
    /// `Text` (default) or `HTML`.
    #[serde(default)]
    pub body_type: Option<String>,
    /// Location.
    #[serde(default)]
    pub location: Option<String>,
    /// Start (appointments).
    #[serde(default)]
    pub start: Option<DateTime<Utc>>,
    /// End (appointments).
    #[serde(default)]
    pub end: Option<DateTime<Utc>>,
    /// Zone (IANA or Windows id).
    #[serde(default)]
    pub zone: Option<String>,
    /// All-day event.
    #[serde(default)]
    pub all_day: Option<bool>,
    /// Categories.
    #[serde(default)]
    pub categories: Option<Vec<String>>,
    /// `Normal`, `Personal`, `Private`, `Confidential`.
    #[serde(default)]
    pub sensitivity: Option<String>,
    /// `Low`, `Normal`, `High`.
    #[serde(default)]
    pub importance: Option<String>,
    /// Reminder minutes before start.
    #[serde(default)]
    pub reminder_minutes: Option<u32>,
    /// Attendees.
    #[serde(default)]
    pub attendees: Option<Vec<AttendeeSpec>>,
    /// Recurrence.
    #[serde(default)]
    pub recurrence: Option<RecurrenceSpec>,
    /// Extended properties.
    #[serde(default)]
    pub extended: Vec<ExtendedSpec>,
    /// Task due date.
    #[serde(default)]
    pub due: Option<DateTime<Utc>>,
    /// Task status (`NotStarted`, `InProgress`, `Completed`, …).
    #[serde(default)]
    pub status: Option<String>,
    /// Task percent complete.
    #[serde(default)]
    pub percent_complete: Option<u32>,
    /// Contact given name.
    #[serde(default)]
    pub given_name: Option<String>,
    /// Contact surname.
    #[serde(default)]
    pub surname: Option<String>,
    /// Contact company.
    #[serde(default)]
    pub company: Option<String>,
    /// Contact e-mail (EmailAddress1).
    #[serde(default)]
    pub email: Option<String>,
    /// Contact business phone.
    #[serde(default)]
    pub phone: Option<String>,
    /// Contact job title.
    #[serde(default)]
    pub job_title: Option<String>,
}

impl ItemSpec {
    /// The EWS item type.
    pub fn kind(&self) -> Result<ItemKind, String> {
        match self.kind.as_deref().unwrap_or("appointment") {
            "appointment" | "calendar" | "CalendarItem" => Ok(ItemKind::CalendarItem),
            "task" | "Task" => Ok(ItemKind::Task),
            "contact" | "Contact" => Ok(ItemKind::Contact),
            other => Err(format!(
                "kind {other:?} is not appointment, task or contact"
            )),
        }
    }

    /// Property elements (`(name, xml)`), each valid on its own.
    pub fn elements(&self) -> Result<Vec<(String, String)>, String> {
        let kind = self.kind()?;
        let mut v: Vec<(String, String)> = Vec::new();
        fn leaf(v: &mut Vec<(String, String)>, name: &str, text: &str) {
            v.push((
                name.into(),
                format!("<t:{name}>{}</t:{name}>", escape_text(text)),
            ));
        }
        if let Some(s) = &self.subject {
            leaf(&mut v, "Subject", s);
        }
        if let Some(s) = &self.sensitivity {
            leaf(&mut v, "Sensitivity", s);
        }
        if let Some(s) = &self.importance {
            leaf(&mut v, "Importance", s);
        }
        if let Some(m) = self.reminder_minutes {
            leaf(&mut v, "ReminderIsSet", "true");
            leaf(&mut v, "ReminderMinutesBeforeStart", &m.to_string());
        }
        if let Some(s) = &self.location {
            leaf(&mut v, "Location", s);
        }
        let zone =
            match &self.zone {
                Some(z) => Some(zone_named(z).ok_or_else(|| {
                    format!("zone {z:?} is neither an IANA nor a Windows zone id")
                })?),
                None => None,
            };
        let all_day = self.all_day.unwrap_or(false);
        let to_text = |t: &DateTime<Utc>| -> String {
            match (all_day, zone) {
                (true, Some(z)) => z.local(*t).format("%Y-%m-%dT%H:%M:%S").to_string(),
                _ => fmt_dt(*t),
            }
        };
        if let Some(t) = &self.start {
            leaf(&mut v, "Start", &to_text(t));
        }
        if let Some(t) = &self.end {
            leaf(&mut v, "End", &to_text(t));
        }
        if self.all_day.is_some() {
            leaf(&mut v, "IsAllDayEvent", &all_day.to_string());
        }
        if let Some(t) = &self.due {
            leaf(&mut v, "DueDate", &fmt_dt(*t));
        }
        if let Some(s) = &self.status {
            leaf(&mut v, "Status", s);
        }
        if let Some(p) = self.percent_complete {
            leaf(&mut v, "PercentComplete", &p.to_string());
        }
        for (name, val) in [
            ("GivenName", &self.given_name),
            ("Surname", &self.surname),
            ("CompanyName", &self.company),
            ("JobTitle", &self.job_title),
        ] {
            if let Some(s) = val {
                leaf(&mut v, name, s);
            }
        }
        if let (Some(g), Some(s)) = (&self.given_name, &self.surname) {
            leaf(&mut v, "DisplayName", &format!("{g} {s}"));
        }
        if let Some(b) = &self.body {
            let bt = self.body_type.as_deref().unwrap_or("Text");
            v.push((
                "Body".into(),
                format!(
                    "<t:Body BodyType=\"{}\">{}</t:Body>",
                    escape_attr(bt),
                    escape_text(b)
                ),
            ));
        }
        if let Some(c) = &self.categories {
            let inner: String = c
                .iter()
                .map(|c| format!("<t:String>{}</t:String>", escape_text(c)))
                .collect();
            v.push((
                "Categories".into(),
                format!("<t:Categories>{inner}</t:Categories>"),
            ));
        }
        if let Some(a) = &self.attendees {
            for (name, optional) in [("RequiredAttendees", false), ("OptionalAttendees", true)] {
                let list: String = a
                    .iter()
                    .filter(|x| x.optional == optional)
                    .map(|x| {
                        let n = x.name.as_deref().map(|n| format!("<t:Name>{}</t:Name>", escape_text(n))).unwrap_or_default();
                        format!("<t:Attendee><t:Mailbox>{n}<t:EmailAddress>{}</t:EmailAddress></t:Mailbox></t:Attendee>", escape_text(&x.email))
                    })
                    .collect();
                if !list.is_empty() {
                    v.push((name.into(), format!("<t:{name}>{list}</t:{name}>")));
                }
            }
        }
        if let Some(e) = &self.email {
            v.push(("EmailAddresses".into(), format!("<t:EmailAddresses><t:Entry Key=\"EmailAddress1\">{}</t:Entry></t:EmailAddresses>", escape_text(e))));
        }
        if let Some(p) = &self.phone {
            v.push((
                "PhoneNumbers".into(),
                format!(
                    "<t:PhoneNumbers><t:Entry Key=\"BusinessPhone\">{}</t:Entry></t:PhoneNumbers>",
                    escape_text(p)
                ),
            ));
        }
        if let Some(r) = &self.recurrence {
            v.push(("Recurrence".into(), recurrence_xml(r, self.start)?));
        }
        if let Some(z) = zone
            && kind == ItemKind::CalendarItem
        {
            let id = windows_id(&z.to_string());
            v.push((
                "StartTimeZone".into(),
                format!("<t:StartTimeZone Id=\"{}\"/>", escape_attr(&id)),
            ));
            v.push((
                "EndTimeZone".into(),
                format!("<t:EndTimeZone Id=\"{}\"/>", escape_attr(&id)),
            ));
        }
        for e in &self.extended {
            v.push((
                "ExtendedProperty".into(),
                format!(
                    "<t:ExtendedProperty>{}<t:Value>{}</t:Value></t:ExtendedProperty>",
                    extended_uri(e),
                    escape_text(&e.value)
                ),
            ));
        }
        v.retain(|(n, _)| n == "ExtendedProperty" || order::has(kind, n));
        v.sort_by_key(|(n, _)| order::position(kind, n).unwrap_or(0));
        Ok(v)
    }
}

fn windows_id(iana: &str) -> String {
    crate::exchange::items::zones::windows(iana)
        .unwrap_or(iana)
        .to_string()
}

/// The `ExtendedFieldURI` of a spec.
pub fn extended_uri(e: &ExtendedSpec) -> String {
    let mut attrs = String::new();
    if let Some(s) = &e.set {
        attrs.push_str(&format!(
            " DistinguishedPropertySetId=\"{}\"",
            escape_attr(s)
        ));
    }
    if let Some(s) = &e.property_set_id {
        attrs.push_str(&format!(" PropertySetId=\"{}\"", escape_attr(s)));
    }
    if let Some(s) = &e.tag {
        attrs.push_str(&format!(" PropertyTag=\"{}\"", escape_attr(s)));
    }
    if let Some(s) = &e.name {
        attrs.push_str(&format!(" PropertyName=\"{}\"", escape_attr(s)));
    }
    if let Some(s) = e.id {
        attrs.push_str(&format!(" PropertyId=\"{s}\""));
    }
    let t = e.r#type.as_deref().unwrap_or("String");
    format!(
        "<t:ExtendedFieldURI{attrs} PropertyType=\"{}\"/>",
        escape_attr(t)
    )
}

fn recurrence_xml(r: &RecurrenceSpec, start: Option<DateTime<Utc>>) -> Result<String, String> {
    let interval = r.interval.unwrap_or(1);
    let pattern = match r.pattern.as_str() {
        "daily" => {
            format!("<t:DailyRecurrence><t:Interval>{interval}</t:Interval></t:DailyRecurrence>")
        }
        "weekly" => format!(
            "<t:WeeklyRecurrence><t:Interval>{interval}</t:Interval><t:DaysOfWeek>{}</t:DaysOfWeek></t:WeeklyRecurrence>",
            escape_text(&r.days.join(" "))
        ),
        "absolute_monthly" => format!(
            "<t:AbsoluteMonthlyRecurrence><t:Interval>{interval}</t:Interval><t:DayOfMonth>{}</t:DayOfMonth></t:AbsoluteMonthlyRecurrence>",
            r.day_of_month
                .ok_or("absolute_monthly needs day_of_month")?
        ),
        "absolute_yearly" => format!(
            "<t:AbsoluteYearlyRecurrence><t:DayOfMonth>{}</t:DayOfMonth><t:Month>{}</t:Month></t:AbsoluteYearlyRecurrence>",
            r.day_of_month.ok_or("absolute_yearly needs day_of_month")?,
            escape_text(r.month.as_deref().ok_or("absolute_yearly needs month")?)
        ),
        other => {
            return Err(format!(
                "recurrence pattern {other:?} is not daily, weekly, absolute_monthly or absolute_yearly"
            ));
        }
    };
    let first = r
        .start_date
        .or_else(|| start.map(|s| s.date_naive()))
        .ok_or("a recurrence needs start_date or the item's start")?;
    let range = match (r.end_date, r.occurrences) {
        (Some(end), _) => format!(
            "<t:EndDateRecurrence><t:StartDate>{first}</t:StartDate><t:EndDate>{end}</t:EndDate></t:EndDateRecurrence>"
        ),
        (None, Some(n)) => format!(
            "<t:NumberedRecurrence><t:StartDate>{first}</t:StartDate><t:NumberOfOccurrences>{n}</t:NumberOfOccurrences></t:NumberedRecurrence>"
        ),
        (None, None) => {
            format!("<t:NoEndRecurrence><t:StartDate>{first}</t:StartDate></t:NoEndRecurrence>")
        }
    };
    Ok(format!("<t:Recurrence>{pattern}{range}</t:Recurrence>"))
}
