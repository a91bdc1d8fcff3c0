//! EWS items ↔ the core model: which EWS property holds which model field,
//! reading items from responses and writing them into requests.
//!
//! maiconnect's own extended properties live in the `PublicStrings`
//! property set: [`KEY_PROPERTY`] holds the S/4 object key, [`SYNC_PROPERTY`]
//! the sync tag an Outlook add-in sets.

mod body;
mod read;
mod recurrence;
mod update;
mod write;

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, Utc};

pub use body::html_to_text;
pub use read::{ReadItem, read_item};
pub use recurrence::{read_recurrence, write_recurrence};
pub use update::{Update, field_updates, tag_update};
pub use write::write_item;

use crate::xml::XmlWriter;

/// Name of the extended property that holds the S/4 object key
/// (`BUS2000126:<guid>`, …).
pub const KEY_PROPERTY: &str = "maiconnect-key";
/// Name of the Boolean extended property an Outlook add-in sets to ask for
/// synchronisation.
pub const SYNC_PROPERTY: &str = "maiconnect-sync";
/// The property set of both.
pub const PROPERTY_SET: &str = "PublicStrings";
/// MAPI tag of the display name prefix (a contact's title, "Dr.").
pub const TITLE_PROPERTY_TAG: &str = "0x3A45";

/// An extended property (`ExtendedFieldURI`).
///
/// See <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/extendedfielduri>.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExtendedField {
    /// A named property of `PublicStrings`.
    Named {
        /// `PropertyName`.
        name: &'static str,
        /// `PropertyType` (`String`, `Boolean`).
        ty: &'static str,
    },
    /// A MAPI property by tag.
    Tag {
        /// `PropertyTag` (`0x3A45`).
        tag: &'static str,
        /// `PropertyType`.
        ty: &'static str,
    },
}

impl ExtendedField {
    /// maiconnect's key property.
    pub const KEY: ExtendedField = ExtendedField::Named {
        name: KEY_PROPERTY,
        ty: "String",
    };
    /// The sync tag property.
    pub const SYNC: ExtendedField = ExtendedField::Named {
        name: SYNC_PROPERTY,
        ty: "Boolean",
    };
    /// A contact's title.
    pub const TITLE: ExtendedField = ExtendedField::Tag {
        tag: TITLE_PROPERTY_TAG,
        ty: "String",
    };

    /// Writes the `t:ExtendedFieldURI` element.
    pub fn write_uri(&self, w: &mut XmlWriter) {
        match self {
            ExtendedField::Named { name, ty } => w.empty(
                "t:ExtendedFieldURI",
                &[
                    ("DistinguishedPropertySetId", PROPERTY_SET),
                    ("PropertyName", name),
                    ("PropertyType", ty),
                ],
            ),
            ExtendedField::Tag { tag, ty } => w.empty(
                "t:ExtendedFieldURI",
                &[("PropertyTag", tag), ("PropertyType", ty)],
            ),
        };
    }

    /// Writes a `t:ExtendedProperty` with `value`.
    pub fn write_value(&self, w: &mut XmlWriter, value: &str) {
        w.open("t:ExtendedProperty", &[]);
        self.write_uri(w);
        w.leaf("t:Value", value);
        w.close("t:ExtendedProperty");
    }

    /// Whether an `ExtendedFieldURI` element names this property.
    pub fn matches(&self, uri: crate::xml::Node<'_, '_>) -> bool {
        match self {
            ExtendedField::Named { name, .. } => {
                uri.attr("PropertyName").as_deref() == Some(*name)
                    && uri
                        .attr("DistinguishedPropertySetId")
                        .is_none_or(|s| s == PROPERTY_SET)
            }
            ExtendedField::Tag { tag, .. } => {
                uri.attr("PropertyTag").is_some_and(|t| same_tag(&t, tag))
            }
        }
    }
}

/// Tags compare as numbers (`0x3A45` = `0x3a45` = `14917`).
fn same_tag(a: &str, b: &str) -> bool {
    let num = |s: &str| -> Option<u32> {
        match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
            Some(h) => u32::from_str_radix(h, 16).ok(),
            None => s.parse().ok(),
        }
    };
    num(a).is_some_and(|x| Some(x) == num(b))
}

/// A property path in a shape, a restriction or an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PropertyPath {
    /// `t:FieldURI FieldURI="item:Subject"`.
    Field(&'static str),
    /// `t:IndexedFieldURI FieldURI="contacts:EmailAddress" FieldIndex="EmailAddress1"`.
    Indexed(&'static str, Cow<'static, str>),
    /// `t:ExtendedFieldURI …`.
    Extended(ExtendedField),
}

impl PropertyPath {
    /// Writes the path element.
    pub fn write(&self, w: &mut XmlWriter) {
        match self {
            PropertyPath::Field(f) => {
                w.empty("t:FieldURI", &[("FieldURI", f)]);
            }
            PropertyPath::Indexed(f, i) => {
                w.empty("t:IndexedFieldURI", &[("FieldURI", f), ("FieldIndex", i)]);
            }
            PropertyPath::Extended(e) => e.write_uri(w),
        }
    }
}

/// The properties GetItem asks for, per folder: every mapped field and our
/// extended properties.
pub fn item_properties(folder: maiconnect_core::model::Folder) -> Vec<PropertyPath> {
    use PropertyPath::Field as F;
    use maiconnect_core::model::Folder;
    let mut p = vec![F("item:Subject"), F("item:LastModifiedTime")];
    match folder {
        Folder::Calendar => p.extend([
            F("item:Sensitivity"),
            F("item:Body"),
            F("item:Attachments"),
            F("item:Categories"),
            F("item:Importance"),
            F("item:ReminderIsSet"),
            F("item:ReminderMinutesBeforeStart"),
            F("calendar:Start"),
            F("calendar:End"),
            F("calendar:OriginalStart"),
            F("calendar:IsAllDayEvent"),
            F("calendar:Location"),
            F("calendar:CalendarItemType"),
            F("calendar:Organizer"),
            F("calendar:RequiredAttendees"),
            F("calendar:OptionalAttendees"),
            F("calendar:Recurrence"),
            F("calendar:ModifiedOccurrences"),
            F("calendar:DeletedOccurrences"),
            F("calendar:StartTimeZone"),
            F("calendar:EndTimeZone"),
            PropertyPath::Extended(ExtendedField::SYNC),
        ]),
        Folder::Tasks => p.extend([
            F("item:Sensitivity"),
            F("item:Body"),
            F("item:Attachments"),
            F("item:Categories"),
            F("item:Importance"),
            F("task:StartDate"),
            F("task:DueDate"),
            F("task:Status"),
            F("task:PercentComplete"),
            PropertyPath::Extended(ExtendedField::SYNC),
        ]),
        Folder::Contacts => p.extend([
            F("contacts:FileAs"),
            F("contacts:DisplayName"),
            F("contacts:GivenName"),
            F("contacts:MiddleName"),
            F("contacts:Surname"),
            F("contacts:CompanyName"),
            F("contacts:Department"),
            F("contacts:JobTitle"),
            F("contacts:EmailAddresses"),
            F("contacts:PhoneNumbers"),
            F("contacts:PhysicalAddresses"),
            PropertyPath::Extended(ExtendedField::TITLE),
        ]),
    }
    p.push(PropertyPath::Extended(ExtendedField::KEY));
    p
}

/// An `xs:dateTime` as EWS writes it (UTC, `Z`).
pub fn format_instant(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Parses an `xs:dateTime` with `Z` or an offset; without either it is
/// taken as UTC (our requests send a UTC `TimeZoneContext`).
pub fn parse_instant(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Some(t) = plain_utc(s) {
        return Some(t);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(|n| n.and_utc())
}

/// The form Exchange answers with, `2026-12-01T09:00:00Z`, read without
/// the general parser.
fn plain_utc(s: &str) -> Option<DateTime<Utc>> {
    let b = s.as_bytes();
    if b.len() != 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[19] != b'Z'
    {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<u32> {
        b[from..to].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let date = NaiveDate::from_ymd_opt(num(0, 4)? as i32, num(5, 7)?, num(8, 10)?)?;
    Some(
        date.and_hms_opt(num(11, 13)?, num(14, 16)?, num(17, 19)?)?
            .and_utc(),
    )
}

/// Parses an `xs:date` (`2026-03-16`, `2026-03-16Z`, `2026-03-16+01:00`).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_and_dates_parse_in_every_wire_form() {
        let t = parse_instant("2014-03-08T13:21:32.868-08:00").unwrap();
        assert_eq!(format_instant(t), "2014-03-08T21:21:32Z");
        assert_eq!(
            format_instant(parse_instant("2023-02-07T18:00:00.000").unwrap()),
            "2023-02-07T18:00:00Z"
        );
        assert_eq!(
            parse_date("2026-03-16+01:00"),
            NaiveDate::from_ymd_opt(2026, 3, 16)
        );
        assert_eq!(
            parse_date("2026-03-16Z"),
            NaiveDate::from_ymd_opt(2026, 3, 16)
        );
        assert!(parse_instant("yesterday").is_none());
        assert!(same_tag("0x3a45", "14917"));
    }
}

#[cfg(test)]
mod round_trip;
