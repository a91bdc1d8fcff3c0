//! Writes every request the EWS adapter can produce — each operation with
//! its main option combinations — as a full SOAP envelope, one file each.
//!
//! ```text
//! cargo run -p maiconnect-ews --example dump_requests -- OUTDIR
//! ```
//!
//! `tests/schema.rs` validates these files against the EWS schema.

use std::path::PathBuf;

use chrono::{Duration, NaiveDate, TimeZone, Utc, Weekday};
use maiconnect_core::model::{
    Appointment, Attendee, Body, Contact, DaySelector, Importance, Pattern, PostalAddress,
    RangeEnd, Record, Recurrence, RecurrenceRange, Reminder, S4Key, Sensitivity, Task, TaskStatus,
    WeekOfMonth, When, Zone,
};
use maiconnect_core::plan::Field;
use maiconnect_ews::mapping::{
    ExtendedField, PropertyPath, Update, field_updates, item_properties, tag_update,
};
use maiconnect_ews::operations::*;
use maiconnect_ews::soap::Headers;
use maiconnect_ews::xml::XmlWriter;

fn appointment() -> Appointment {
    let zone: Zone = "Europe/Berlin".parse().expect("zone");
    let start = Utc
        .with_ymd_and_hms(2026, 12, 1, 9, 0, 0)
        .single()
        .expect("time");
    let mut a = Appointment::new(
        "Quarterly review & <figures>",
        When::timed(start, start + Duration::hours(1), zone),
    );
    a.location = "Walldorf".into();
    a.body = Body::new("Agenda:\n1. Figures");
    a.categories = vec!["CRM".into(), "Kunde".into()];
    a.importance = Importance::High;
    a.sensitivity = Sensitivity::Private;
    a.reminder = Some(Reminder { minutes_before: 15 });
    a.sync_tag = true;
    a.attendees = vec![
        Attendee {
            email: Some("olga.meyer@customer.example".parse().expect("email")),
            name: "Olga Meyer".into(),
            partner: None,
            function: None,
            required: true,
        },
        Attendee {
            email: Some("piet.jansen@customer.example".parse().expect("email")),
            name: "Piet Jansen".into(),
            partner: None,
            function: None,
            required: false,
        },
    ];
    a
}

fn recurring(pattern: Pattern, end: RangeEnd) -> Appointment {
    let mut a = appointment();
    a.recurrence = Some(Box::new(Recurrence {
        pattern,
        range: RecurrenceRange {
            start: NaiveDate::from_ymd_opt(2026, 12, 1).expect("date"),
            end,
        },
        zone: "Europe/Berlin".parse().expect("zone"),
        modified: vec![],
        deleted: vec![],
        start_time: None,
    }));
    a
}

fn task() -> Task {
    let mut t = Task::new("Send offer");
    t.body = Body::new("Prices as agreed");
    t.due_date = NaiveDate::from_ymd_opt(2026, 12, 4);
    t.start_date = NaiveDate::from_ymd_opt(2026, 12, 1);
    t.status = TaskStatus::InProgress;
    t.percent_complete = 50;
    t.categories = vec!["CRM".into()];
    t
}

fn contact() -> Contact {
    Contact {
        given_name: "Olga".into(),
        surname: "Meyer".into(),
        middle_name: "K.".into(),
        title: "Dr.".into(),
        file_as: "Meyer, Olga".into(),
        display_name: "Olga Meyer".into(),
        company: "Customer AG".into(),
        department: "Purchasing".into(),
        job_title: "Head of Purchasing".into(),
        emails: vec![
            "olga.meyer@customer.example".parse().expect("email"),
            "olga@customer.example".parse().expect("email"),
        ],
        business_phone: "+49 6227 1".into(),
        mobile_phone: "+49 170 1".into(),
        business_fax: "+49 6227 9".into(),
        business_address: PostalAddress {
            street: "Hauptstr. 1".into(),
            city: "Walldorf".into(),
            state: "BW".into(),
            postal_code: "69190".into(),
            country: "DE".into(),
        },
    }
}

fn key() -> S4Key {
    "BUS2000126:0050568c-2b4f-1ee8-a1b2-c3d4e5f60718"
        .parse()
        .expect("key")
}

const ID: &str = "AAMkADk0ZjQ2YzE3LWQxNjItNGQ0ZC1hZjk2LTk5NmFkMzcwZmY0MQBGAAAAAAD=";
const CK: &str = "DwAAABYAAAC6j5Y8jC5hQ5b9b3VWm6uIAAAABGvn";

/// Records to create, each with its key.
type Batch = Vec<(Record, Option<S4Key>)>;

/// Every request as (file name, envelope).
fn requests() -> Vec<(String, Vec<u8>)> {
    let headers = Headers {
        impersonate: Some("anna.berg@example.com".into()),
        ..Headers::default()
    };
    let plain = Headers {
        time_zone: None,
        ..Headers::default()
    };
    let troll = Headers {
        time_zone: Some("Antarctica/Troll".parse().expect("zone")),
        ..Headers::default()
    };
    let berlin = Headers {
        time_zone: Some("Europe/Berlin".parse().expect("zone")),
        impersonate: Some("anna.berg@example.com".into()),
        ..Headers::default()
    };
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    let mut add = |name: &str, bytes: Vec<u8>| out.push((format!("{name}.xml"), bytes));
    let cal = FolderRef::Distinguished(Distinguished::Calendar);
    let start = Utc
        .with_ymd_and_hms(2026, 11, 1, 0, 0, 0)
        .single()
        .expect("t");

    // FindItem.
    add(
        "finditem-calendarview",
        FindItem {
            shape: ItemShape {
                base: "IdOnly",
                body_type: None,
                additional: vec![
                    PropertyPath::Field("calendar:CalendarItemType"),
                    PropertyPath::Field("calendar:Start"),
                ],
            },
            view: View::Calendar {
                start,
                end: start + Duration::days(90),
                max: 256,
            },
            restriction: None,
            folder: cal.clone(),
        }
        .envelope(&headers),
    );
    add(
        "finditem-indexed-page",
        FindItem {
            shape: ItemShape::id_only(),
            view: View::Indexed {
                offset: 256,
                max: 256,
            },
            restriction: None,
            folder: FolderRef::Distinguished(Distinguished::Tasks),
        }
        .envelope(&headers),
    );
    add(
        "finditem-restriction-key",
        FindItem {
            shape: ItemShape::id_only(),
            view: View::Indexed {
                offset: 0,
                max: 100,
            },
            restriction: Some((ExtendedField::KEY, key().to_string())),
            folder: FolderRef::Id(ID.into()),
        }
        .envelope(&plain),
    );
    add(
        "finditem-timezonecontext-custom",
        FindItem {
            shape: ItemShape::id_only(),
            view: View::Indexed {
                offset: 0,
                max: 100,
            },
            restriction: None,
            folder: FolderRef::Id(ID.into()),
        }
        .envelope(&troll),
    );

    // GetItem.
    for (name, folder) in [
        ("calendar", maiconnect_core::model::Folder::Calendar),
        ("tasks", maiconnect_core::model::Folder::Tasks),
        ("contacts", maiconnect_core::model::Folder::Contacts),
    ] {
        add(
            &format!("getitem-{name}"),
            GetItem {
                shape: ItemShape::with(item_properties(folder)),
                ids: vec![ItemRef::id(ID), ItemRef::id("AAMkADsecond=")],
            }
            .envelope(&headers),
        );
    }
    add(
        "getitem-recurring-master-and-occurrence",
        GetItem {
            shape: ItemShape::with(item_properties(maiconnect_core::model::Folder::Calendar)),
            ids: vec![
                ItemRef::Master {
                    occurrence_id: ID.into(),
                },
                ItemRef::Occurrence {
                    master_id: ID.into(),
                    change_key: None,
                    index: 3,
                },
            ],
        }
        .envelope(&headers),
    );

    // CreateItem.
    let all_day = {
        let mut a = appointment();
        a.when = When::all_day(NaiveDate::from_ymd_opt(2026, 5, 3).expect("date"), 2);
        a.reminder = None;
        a.attendees.clear();
        a
    };
    let fixed = {
        let mut a = appointment();
        a.when = When::timed(
            start,
            start + Duration::hours(1),
            Zone::Fixed(chrono::FixedOffset::east_opt(5 * 3600 + 17 * 60).expect("offset")),
        );
        a
    };
    // A zone no Windows zone matches goes with its own rules: Casey has
    // fixed years, yearly rules and changes within a year.
    let casey = {
        let mut a = appointment();
        a.when = When::timed(
            start,
            start + Duration::hours(1),
            "Antarctica/Casey".parse().expect("zone"),
        );
        a
    };
    let creates: Vec<(&str, Batch, SendInvitations)> = vec![
        (
            "createitem-calendaritem-custom-zone",
            vec![(Record::Appointment(casey), None)],
            SendInvitations::SendToNone,
        ),
        (
            "createitem-calendaritem",
            vec![(Record::Appointment(appointment()), Some(key()))],
            SendInvitations::SendToNone,
        ),
        (
            "createitem-calendaritem-invitations",
            vec![(Record::Appointment(appointment()), None)],
            SendInvitations::SendToAllAndSaveCopy,
        ),
        (
            "createitem-allday-batch",
            vec![
                (Record::Appointment(all_day), Some(key())),
                (Record::Appointment(fixed), None),
            ],
            SendInvitations::SendToNone,
        ),
        (
            "createitem-recurring-weekly",
            vec![(
                Record::Appointment(recurring(
                    Pattern::Weekly {
                        interval: 1,
                        days: vec![Weekday::Tue, Weekday::Thu],
                        first_day_of_week: Weekday::Mon,
                    },
                    RangeEnd::Numbered(10),
                )),
                None,
            )],
            SendInvitations::SendToNone,
        ),
        (
            "createitem-recurring-monthly-yearly",
            vec![
                (
                    Record::Appointment(recurring(
                        Pattern::RelativeMonthly {
                            interval: 1,
                            week: WeekOfMonth::Last,
                            day: DaySelector::Weekday,
                        },
                        RangeEnd::EndDate(NaiveDate::from_ymd_opt(2027, 12, 31).expect("date")),
                    )),
                    None,
                ),
                (
                    Record::Appointment(recurring(
                        Pattern::AbsoluteMonthly {
                            interval: 2,
                            day_of_month: 31,
                        },
                        RangeEnd::NoEnd,
                    )),
                    None,
                ),
                (
                    Record::Appointment(recurring(
                        Pattern::RelativeYearly {
                            month: 11,
                            week: WeekOfMonth::Fourth,
                            day: DaySelector::On(Weekday::Thu),
                        },
                        RangeEnd::NoEnd,
                    )),
                    None,
                ),
                (
                    Record::Appointment(recurring(
                        Pattern::AbsoluteYearly {
                            month: 2,
                            day_of_month: 29,
                        },
                        RangeEnd::Numbered(4),
                    )),
                    None,
                ),
                (
                    Record::Appointment(recurring(Pattern::Daily { interval: 2 }, RangeEnd::NoEnd)),
                    None,
                ),
            ],
            SendInvitations::SendToNone,
        ),
        (
            "createitem-task",
            vec![(
                Record::Task(task()),
                Some(
                    "BUS2000125:0050568c-2b4f-1ee8-a1b2-c3d4e5f60719"
                        .parse()
                        .expect("key"),
                ),
            )],
            SendInvitations::SendToNone,
        ),
        (
            "createitem-contact",
            vec![(
                Record::Contact(Box::new(contact())),
                Some("BUS1006:0000004711".parse().expect("key")),
            )],
            SendInvitations::SendToNone,
        ),
    ];
    for (name, items, send) in creates {
        let folder = match &items[0].0 {
            Record::Appointment(_) => cal.clone(),
            Record::Task(_) => FolderRef::Distinguished(Distinguished::Tasks),
            Record::Contact(_) => FolderRef::Id(ID.into()),
        };
        add(
            name,
            CreateItem {
                folder,
                items,
                send,
                all_day_zone: "Europe/Berlin".parse().expect("zone"),
            }
            .envelope(&berlin),
        );
    }

    // UpdateItem: every field of every kind.
    let zone: Zone = "Europe/Berlin".parse().expect("zone");
    let mut emptied = appointment();
    emptied.location.clear();
    emptied.attendees.clear();
    let mut done = task();
    done.completed = true;
    done.due_date = None;
    let mut sparse = contact();
    sparse.emails.truncate(1);
    sparse.business_fax.clear();
    sparse.title.clear();
    sparse.business_address.state.clear();
    let contact_fields: Vec<Field> =
        <Contact as maiconnect_core::plan::fields::SyncRecord>::MERGED.to_vec();
    let updates: Vec<(&str, ItemRef, ConflictResolution, Vec<Update>)> = vec![
        (
            "updateitem-calendaritem-all-fields",
            ItemRef::Item {
                id: ID.into(),
                change_key: Some(CK.into()),
            },
            ConflictResolution::NeverOverwrite,
            field_updates(
                &Record::Appointment(appointment()),
                &Field::ALL,
                zone,
                false,
            ),
        ),
        (
            "updateitem-calendaritem-delete-fields",
            ItemRef::Item {
                id: ID.into(),
                change_key: Some(CK.into()),
            },
            ConflictResolution::AutoResolve,
            field_updates(
                &Record::Appointment(emptied),
                &[Field::Location, Field::Attendees],
                zone,
                false,
            ),
        ),
        (
            "updateitem-occurrence",
            ItemRef::Occurrence {
                master_id: ID.into(),
                change_key: None,
                index: 3,
            },
            ConflictResolution::AutoResolve,
            field_updates(
                &Record::Appointment(appointment()),
                &[Field::Subject, Field::When],
                zone,
                true,
            ),
        ),
        (
            "updateitem-task",
            ItemRef::Item {
                id: ID.into(),
                change_key: Some(CK.into()),
            },
            ConflictResolution::NeverOverwrite,
            field_updates(&Record::Task(done), &Field::ALL, zone, false),
        ),
        (
            "updateitem-contact",
            ItemRef::Item {
                id: ID.into(),
                change_key: Some(CK.into()),
            },
            ConflictResolution::NeverOverwrite,
            field_updates(
                &Record::Contact(Box::new(contact())),
                &contact_fields,
                zone,
                false,
            ),
        ),
        (
            "updateitem-contact-deletes",
            ItemRef::Item {
                id: ID.into(),
                change_key: Some(CK.into()),
            },
            ConflictResolution::NeverOverwrite,
            field_updates(
                &Record::Contact(Box::new(sparse)),
                &contact_fields,
                zone,
                false,
            ),
        ),
        (
            "updateitem-tag",
            ItemRef::id(ID),
            ConflictResolution::AlwaysOverwrite,
            vec![tag_update(&key())],
        ),
        (
            "updateitem-append-body",
            ItemRef::Item {
                id: ID.into(),
                change_key: Some(CK.into()),
            },
            ConflictResolution::AutoResolve,
            vec![Update::Append {
                path: PropertyPath::Field("item:Body"),
                item: {
                    let mut w = XmlWriter::new();
                    w.open("t:CalendarItem", &[])
                        .leaf_with("t:Body", &[("BodyType", "Text")], "\nAdded by maiconnect")
                        .close("t:CalendarItem");
                    w.into_bytes()
                },
            }],
        ),
    ];
    for (name, item, conflict, updates) in updates {
        add(
            name,
            UpdateItem::new(conflict, vec![ItemChange { item, updates }]).envelope(&headers),
        );
    }

    // DeleteItem.
    add(
        "deleteitem-items",
        DeleteItem::new(vec![ItemRef::id(ID), ItemRef::id("AAMkADsecond=")]).envelope(&headers),
    );
    add(
        "deleteitem-occurrence-hard",
        DeleteItem {
            delete_type: DeleteType::HardDelete,
            task_occurrences: "SpecifiedOccurrenceOnly",
            ids: vec![ItemRef::Occurrence {
                master_id: ID.into(),
                change_key: None,
                index: 2,
            }],
        }
        .envelope(&headers),
    );

    // SyncFolderItems.
    add(
        "syncfolderitems-initial",
        SyncFolderItems {
            shape: ItemShape::id_only(),
            folder: cal.clone(),
            sync_state: None,
            max: 512,
        }
        .envelope(&headers),
    );
    add(
        "syncfolderitems-incremental",
        SyncFolderItems {
            shape: ItemShape::id_only(),
            folder: FolderRef::Id(ID.into()),
            sync_state: Some("H4sIAAAAAAAEAO29B2AcSZY=".into()),
            max: 100,
        }
        .envelope(&headers),
    );

    // Subscribe / Unsubscribe / GetEvents.
    add(
        "subscribe-push",
        Subscribe {
            folders: vec![cal.clone(), FolderRef::Distinguished(Distinguished::Tasks)],
            events: EVENT_TYPES.to_vec(),
            watermark: None,
            status_frequency: 5,
            url: "https://hub.example.com/ews/notify/s3cr3t".into(),
        }
        .envelope(&headers),
    );
    add(
        "subscribe-push-watermark",
        Subscribe {
            folders: vec![FolderRef::Id(ID.into())],
            events: EVENT_TYPES.to_vec(),
            watermark: Some("AAAAAMAGAAAAAAAAAQ==".into()),
            status_frequency: 30,
            url: "https://hub.example.com/ews/notify/s3cr3t".into(),
        }
        .envelope(&headers),
    );
    add(
        "unsubscribe",
        Unsubscribe {
            id: "f6bc657d-dde1-4f94-952d-143b95d6483d".into(),
        }
        .envelope(&headers),
    );
    add(
        "getevents",
        GetEvents {
            subscription_id: "f6bc657d-dde1-4f94-952d-143b95d6483d".into(),
            watermark: "AAAAAMAGAAAAAAAAAQ==".into(),
        }
        .envelope(&headers),
    );

    // Attachments.
    add(
        "createattachment",
        CreateAttachment {
            parent: ItemRef::Item {
                id: ID.into(),
                change_key: Some(CK.into()),
            },
            files: vec![NewFile {
                name: "offer.pdf".into(),
                content_type: "application/pdf".into(),
                content: b"%PDF-1.4 test".to_vec(),
            }],
        }
        .envelope(&headers),
    );
    add(
        "getattachment",
        GetAttachment {
            ids: vec!["AAMkADattachment1=".into()],
        }
        .envelope(&headers),
    );
    add(
        "deleteattachment",
        DeleteAttachment {
            ids: vec!["AAMkADattachment1=".into()],
        }
        .envelope(&headers),
    );

    // Folders.
    add(
        "getfolder-distinguished",
        GetFolder {
            folders: vec![
                cal.clone(),
                FolderRef::Distinguished(Distinguished::Tasks),
                FolderRef::Distinguished(Distinguished::Contacts),
            ],
        }
        .envelope(&headers),
    );
    add(
        "findfolder-contacts-subfolder",
        FindFolder {
            parent: FolderRef::Distinguished(Distinguished::Contacts),
            display_name: Some("CRM Kontakte".into()),
        }
        .envelope(&headers),
    );
    add(
        "createfolder-contacts-subfolder",
        CreateFolder {
            parent: FolderRef::Distinguished(Distinguished::Contacts),
            display_name: "CRM Kontakte".into(),
        }
        .envelope(&headers),
    );

    // The push answer.
    add(
        "sendnotificationresult-ok",
        maiconnect_ews::push::send_notification_result(
            maiconnect_ews::push::SubscriptionStatus::Ok,
        ),
    );
    add(
        "sendnotificationresult-unsubscribe",
        maiconnect_ews::push::send_notification_result(
            maiconnect_ews::push::SubscriptionStatus::Unsubscribe,
        ),
    );
    out
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir: PathBuf = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .ok_or("usage: dump_requests OUTDIR")?;
    std::fs::create_dir_all(&dir)?;
    let all = requests();
    for (name, bytes) in &all {
        std::fs::write(dir.join(name), bytes)?;
    }
    println!("wrote {} requests to {}", all.len(), dir.display());
    Ok(())
}
