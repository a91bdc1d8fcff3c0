//! Model fields → `SetItemField` / `DeleteItemField` changes of UpdateItem:
//! only the listed fields are written.
//!
//! See <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/updates-item>.

use std::borrow::Cow;

use maiconnect_core::model::{Record, S4Key, Zone};
use maiconnect_core::plan::Field;

use super::write::{
    EMAIL_KEYS, attendee_list, body, importance, sensitivity, split_attendees, status, task_date,
    task_status, times,
};
use super::{ExtendedField, PropertyPath};
use crate::timezone::write_zone;
use crate::xml::XmlWriter;

/// One change of an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Update {
    /// Replace a property; `item` is the item element holding just it.
    Set {
        /// The property.
        path: PropertyPath,
        /// `<t:CalendarItem><t:Subject>…</t:Subject></t:CalendarItem>`.
        item: Vec<u8>,
    },
    /// Append to a property (a body, an attendee list).
    Append {
        /// The property.
        path: PropertyPath,
        /// The item element holding what to append.
        item: Vec<u8>,
    },
    /// Remove a property.
    Delete {
        /// The property.
        path: PropertyPath,
    },
}

fn element(record: &Record) -> &'static str {
    match record {
        Record::Appointment(_) => "t:CalendarItem",
        Record::Task(_) => "t:Task",
        Record::Contact(_) => "t:Contact",
    }
}

struct Changes {
    element: &'static str,
    out: Vec<Update>,
}

impl Changes {
    fn set(&mut self, path: PropertyPath, write: impl FnOnce(&mut XmlWriter)) {
        let mut w = XmlWriter::new();
        w.open(self.element, &[]);
        write(&mut w);
        w.close(self.element);
        self.out.push(Update::Set {
            path,
            item: w.into_bytes(),
        });
    }

    /// Sets a text property, or deletes it when empty.
    fn text(&mut self, field: &'static str, element: &str, value: &str) {
        if value.is_empty() {
            self.out.push(Update::Delete {
                path: PropertyPath::Field(field),
            });
        } else {
            self.set(PropertyPath::Field(field), |w| {
                w.leaf(element, value);
            });
        }
    }

    fn indexed(
        &mut self,
        field: &'static str,
        index: &'static str,
        write: impl FnOnce(&mut XmlWriter),
        empty: bool,
    ) {
        let path = PropertyPath::Indexed(field, Cow::Borrowed(index));
        if empty {
            self.out.push(Update::Delete { path });
        } else {
            self.set(path, write);
        }
    }
}

/// The changes that write `fields` of `record`. Fields the record kind
/// does not have, and attachments (written with CreateAttachment and
/// DeleteAttachment), produce nothing. All-day times are written at local
/// midnight of `all_day_zone`. An `occurrence` lives in its series' zone:
/// only its times move, its zones are not written.
pub fn field_updates(
    record: &Record,
    fields: &[Field],
    all_day_zone: Zone,
    occurrence: bool,
) -> Vec<Update> {
    let mut c = Changes {
        element: element(record),
        out: Vec::new(),
    };
    for f in fields {
        match (record, f) {
            (Record::Appointment(a), Field::Subject) => {
                c.text("item:Subject", "t:Subject", &a.subject)
            }
            (Record::Task(t), Field::Subject) => c.text("item:Subject", "t:Subject", &t.subject),
            (Record::Appointment(a), Field::Location) => {
                c.text("calendar:Location", "t:Location", &a.location)
            }
            (Record::Appointment(a), Field::Body) => c.set(PropertyPath::Field("item:Body"), |w| {
                body(w, a.body.as_str())
            }),
            (Record::Task(t), Field::Body) => c.set(PropertyPath::Field("item:Body"), |w| {
                body(w, t.body.as_str())
            }),
            (Record::Appointment(a), Field::When) => {
                let (start, end, all_day, zone) = times(&a.when, all_day_zone);
                // The zones go first, so that Start and End are read in them.
                if !occurrence {
                    c.set(PropertyPath::Field("calendar:StartTimeZone"), |w| {
                        write_zone(w, "t:StartTimeZone", zone)
                    });
                    c.set(PropertyPath::Field("calendar:EndTimeZone"), |w| {
                        write_zone(w, "t:EndTimeZone", zone)
                    });
                }
                c.set(PropertyPath::Field("calendar:IsAllDayEvent"), |w| {
                    w.leaf("t:IsAllDayEvent", if all_day { "true" } else { "false" });
                });
                c.set(PropertyPath::Field("calendar:Start"), |w| {
                    w.leaf("t:Start", &start);
                });
                c.set(PropertyPath::Field("calendar:End"), |w| {
                    w.leaf("t:End", &end);
                });
            }
            (Record::Appointment(a), Field::Private) => {
                c.set(PropertyPath::Field("item:Sensitivity"), |w| {
                    w.leaf("t:Sensitivity", sensitivity(a.sensitivity));
                })
            }
            (Record::Task(t), Field::Private) => {
                c.set(PropertyPath::Field("item:Sensitivity"), |w| {
                    w.leaf("t:Sensitivity", sensitivity(t.sensitivity));
                })
            }
            (Record::Appointment(a), Field::Importance) => {
                c.set(PropertyPath::Field("item:Importance"), |w| {
                    w.leaf("t:Importance", importance(a.importance));
                })
            }
            (Record::Task(t), Field::Importance) => {
                c.set(PropertyPath::Field("item:Importance"), |w| {
                    w.leaf("t:Importance", importance(t.importance));
                })
            }
            (Record::Appointment(a), Field::Attendees) => {
                let (required, optional) = split_attendees(&a.attendees);
                for (field, element, list) in [
                    (
                        "calendar:RequiredAttendees",
                        "t:RequiredAttendees",
                        required,
                    ),
                    (
                        "calendar:OptionalAttendees",
                        "t:OptionalAttendees",
                        optional,
                    ),
                ] {
                    if list.is_empty() {
                        c.out.push(Update::Delete {
                            path: PropertyPath::Field(field),
                        });
                    } else {
                        c.set(PropertyPath::Field(field), |w| {
                            attendee_list(w, element, &list)
                        });
                    }
                }
            }
            (Record::Task(t), Field::DueDate) => match t.due_date {
                Some(d) => c.set(PropertyPath::Field("task:DueDate"), |w| {
                    w.leaf("t:DueDate", &task_date(d));
                }),
                None => c.out.push(Update::Delete {
                    path: PropertyPath::Field("task:DueDate"),
                }),
            },
            (Record::Task(t), Field::Completed) => {
                let s = task_status(t);
                c.set(PropertyPath::Field("task:Status"), |w| {
                    w.leaf("t:Status", status(s));
                });
            }
            (Record::Contact(k), _) => contact_field(&mut c, k, *f),
            _ => {}
        }
    }
    c.out
}

fn contact_field(c: &mut Changes, k: &maiconnect_core::model::Contact, f: Field) {
    match f {
        Field::GivenName => c.text("contacts:GivenName", "t:GivenName", &k.given_name),
        Field::Surname => c.text("contacts:Surname", "t:Surname", &k.surname),
        Field::MiddleName => c.text("contacts:MiddleName", "t:MiddleName", &k.middle_name),
        Field::FileAs => c.text("contacts:FileAs", "t:FileAs", &k.file_as),
        Field::DisplayName => c.text("contacts:DisplayName", "t:DisplayName", &k.display_name),
        Field::Company => c.text("contacts:CompanyName", "t:CompanyName", &k.company),
        Field::Department => c.text("contacts:Department", "t:Department", &k.department),
        Field::JobTitle => c.text("contacts:JobTitle", "t:JobTitle", &k.job_title),
        Field::Title => {
            let path = PropertyPath::Extended(ExtendedField::TITLE);
            if k.title.is_empty() {
                c.out.push(Update::Delete { path });
            } else {
                c.set(path, |w| ExtendedField::TITLE.write_value(w, &k.title));
            }
        }
        Field::Emails => {
            for (i, key) in EMAIL_KEYS.iter().enumerate() {
                let email = k.emails.get(i);
                c.indexed(
                    "contacts:EmailAddress",
                    key,
                    |w| {
                        w.open("t:EmailAddresses", &[])
                            .leaf_with(
                                "t:Entry",
                                &[("Key", key)],
                                email.map(|e| e.as_str()).unwrap_or(""),
                            )
                            .close("t:EmailAddresses");
                    },
                    email.is_none(),
                );
            }
        }
        Field::BusinessPhone | Field::MobilePhone | Field::BusinessFax => {
            let (key, value) = match f {
                Field::BusinessPhone => ("BusinessPhone", &k.business_phone),
                Field::MobilePhone => ("MobilePhone", &k.mobile_phone),
                _ => ("BusinessFax", &k.business_fax),
            };
            c.indexed(
                "contacts:PhoneNumber",
                key,
                |w| {
                    w.open("t:PhoneNumbers", &[])
                        .leaf_with("t:Entry", &[("Key", key)], value)
                        .close("t:PhoneNumbers");
                },
                value.is_empty(),
            );
        }
        Field::BusinessAddress => {
            let a = &k.business_address;
            for (field, element, value) in [
                ("contacts:PhysicalAddress:Street", "t:Street", &a.street),
                ("contacts:PhysicalAddress:City", "t:City", &a.city),
                ("contacts:PhysicalAddress:State", "t:State", &a.state),
                (
                    "contacts:PhysicalAddress:CountryOrRegion",
                    "t:CountryOrRegion",
                    &a.country,
                ),
                (
                    "contacts:PhysicalAddress:PostalCode",
                    "t:PostalCode",
                    &a.postal_code,
                ),
            ] {
                c.indexed(
                    field,
                    "Business",
                    |w| {
                        w.open("t:PhysicalAddresses", &[])
                            .open("t:Entry", &[("Key", "Business")])
                            .leaf(element, value)
                            .close("t:Entry")
                            .close("t:PhysicalAddresses");
                    },
                    value.is_empty(),
                );
            }
        }
        _ => {}
    }
}

/// The change that writes `key` into maiconnect's key property.
pub fn tag_update(key: &S4Key) -> Update {
    let element = match key {
        S4Key::Appointment(_) => "t:CalendarItem",
        S4Key::Task(_) => "t:Task",
        S4Key::Contact(_) => "t:Contact",
    };
    let mut w = XmlWriter::new();
    w.open(element, &[]);
    ExtendedField::KEY.write_value(&mut w, &key.to_string());
    w.close(element);
    Update::Set {
        path: PropertyPath::Extended(ExtendedField::KEY),
        item: w.into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(updates: &[Update]) -> Vec<String> {
        updates
            .iter()
            .filter_map(|u| match u {
                Update::Set {
                    path: PropertyPath::Field(f),
                    ..
                } => Some((*f).to_owned()),
                _ => None,
            })
            .collect()
    }

    /// A series item gets its times with their zones; an occurrence lives in
    /// its series' zone, so only its times move.
    #[test]
    fn an_occurrence_moves_without_its_zones() {
        let a = Record::Appointment(maiconnect_core::testing::samples::appointment_a());
        let zone: Zone = "Europe/Berlin".parse().unwrap();
        let series = paths(&field_updates(&a, &[Field::When], zone, false));
        let occurrence = paths(&field_updates(&a, &[Field::When], zone, true));
        for path in ["calendar:StartTimeZone", "calendar:EndTimeZone"] {
            assert!(series.iter().any(|p| p == path), "{path} in {series:?}");
        }
        for path in ["calendar:Start", "calendar:End"] {
            assert!(
                occurrence.iter().any(|p| p == path),
                "{path} in {occurrence:?}"
            );
        }
        assert!(
            !occurrence.iter().any(|p| p.ends_with("TimeZone")),
            "{occurrence:?}"
        );
    }
}
