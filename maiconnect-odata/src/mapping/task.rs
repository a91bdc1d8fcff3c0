//! `Tasks` ↔ [`Task`].

use std::borrow::Cow;

use maiconnect_core::ids::{ActivityId, PartnerNo};
use maiconnect_core::model::{
    Body, ExchangeKey, Record, S4Key, Sensitivity, Task, TaskStatus, Zone,
};
use maiconnect_core::plan::fields::Field;
use maiconnect_core::plan::state::S4Item;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::error::ODataError;
use crate::mapping::appointment::{AttachmentWire, external_key, version};
use crate::mapping::{self, Writer, changed_at, code, day_of, importance, midnight, partner};
use crate::wire::json::{EntityMeta, Nav, Text, text};
use crate::wire::literal::Literal;
use crate::wire::query::entity_path;
use crate::wire::value::{format_datetime, parse_datetime};

/// A `Task` entity.
#[derive(Debug, Deserialize)]
pub struct TaskWire<'a> {
    /// `__metadata`.
    #[serde(rename = "__metadata", default, borrow)]
    pub meta: Option<EntityMeta<'a>>,
    /// `Guid`.
    #[serde(rename = "Guid", borrow)]
    pub guid: Cow<'a, str>,
    /// `Id` (display number).
    #[serde(rename = "Id", default, borrow)]
    pub id: Option<Text<'a>>,
    /// `Description`.
    #[serde(rename = "Description", default, borrow)]
    pub description: Option<Text<'a>>,
    /// `DueDate`.
    #[serde(rename = "DueDate", default, borrow)]
    pub due_date: Option<Text<'a>>,
    /// `Note`.
    #[serde(rename = "Note", default, borrow)]
    pub note: Option<Text<'a>>,
    /// `Private`.
    #[serde(rename = "Private", default)]
    pub private: Option<bool>,
    /// `Completed`.
    #[serde(rename = "Completed", default)]
    pub completed: Option<bool>,
    /// `Priority`.
    #[serde(rename = "Priority", default, borrow)]
    pub priority: Option<Text<'a>>,
    /// `UserStatusCode`.
    #[serde(rename = "UserStatusCode", default, borrow)]
    pub user_status: Option<Text<'a>>,
    /// `AccountId`.
    #[serde(rename = "AccountId", default, borrow)]
    pub account: Option<Text<'a>>,
    /// `ContactId`.
    #[serde(rename = "ContactId", default, borrow)]
    pub contact: Option<Text<'a>>,
    /// `ResponsibleId`.
    #[serde(rename = "ResponsibleId", default, borrow)]
    pub responsible: Option<Text<'a>>,
    /// `TransactionType`.
    #[serde(rename = "TransactionType", default, borrow)]
    pub transaction_type: Option<Text<'a>>,
    /// `ExternalKey`.
    #[serde(rename = "ExternalKey", default, borrow)]
    pub external_key: Option<Text<'a>>,
    /// `ChangedAt`.
    #[serde(rename = "ChangedAt", default, borrow)]
    pub changed_at: Option<Text<'a>>,
    /// `Attachments`.
    #[serde(rename = "Attachments", default, borrow)]
    pub attachments: Nav<AttachmentWire<'a>>,
}

/// A task as read.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskRead {
    /// The item for the planner.
    pub item: S4Item,
    /// The Outlook item it was created from.
    pub external_key: Option<String>,
}

/// `Tasks(guid'…')`.
pub fn object(id: ActivityId) -> String {
    entity_path(crate::profile::task::SET, &Literal::Guid(id.uuid()))
}

/// Reads a task; a due date off midnight UTC is read in `zone` (the
/// user's).
pub fn read(w: TaskWire<'_>, etag: Option<&str>, zone: Zone) -> Result<TaskRead, ODataError> {
    let id: ActivityId = w.guid.parse().map_err(|e| {
        ODataError::mapping("Tasks", "Guid", &w.guid, format!("is not a GUID ({e})"))
    })?;
    let object = crate::mapping::EntityName(crate::profile::task::SET, id);
    let version = version(&object, etag, w.meta.as_ref())?;
    let mut t = Task::new(text(&w.description));
    t.body = Body::new(text(&w.note));
    t.due_date = match w.due_date.as_deref() {
        None | Some("") => None,
        Some(d) => {
            let at =
                parse_datetime(d).map_err(|why| ODataError::mapping(object, "DueDate", d, why))?;
            Some(day_of(&object, "DueDate", at, zone))
        }
    };
    t.completed = w.completed == Some(true);
    if t.completed {
        t.status = TaskStatus::Completed;
        t.percent_complete = 100;
    }
    t.sensitivity = if w.private == Some(true) {
        Sensitivity::Private
    } else {
        Sensitivity::Normal
    };
    t.importance = importance(text(&w.priority));
    t.user_status = code(text(&w.user_status));
    t.transaction_type = code(text(&w.transaction_type)).and_then(|x| x.parse().ok());
    t.owner = partner(&object, "ResponsibleId", text(&w.responsible))?;
    t.account = partner(&object, "AccountId", text(&w.account))?;
    t.contact = partner(&object, "ContactId", text(&w.contact))?;
    if let Nav::Loaded(list) = &w.attachments {
        t.attachments = list.iter().map(AttachmentWire::to_model).collect();
    }
    Ok(TaskRead {
        item: S4Item {
            key: S4Key::Task(id),
            version,
            record: Record::Task(t),
            changed_at: changed_at(&object, w.changed_at.as_deref())?,
        },
        external_key: code(text(&w.external_key)),
    })
}

/// The properties for `fields` of `t` (all of them for a create).
pub fn payload(
    id: ActivityId,
    t: &Task,
    fields: Option<&[Field]>,
    origin: Option<&ExchangeKey>,
    w: &mut Writer<'_>,
) -> Map<String, Value> {
    let all = fields.is_none();
    let has = |f: Field| fields.is_none_or(|l| l.contains(&f));
    let mut m = Map::new();
    if all {
        m.insert("Guid".into(), json!(id.to_string()));
    }
    if has(Field::Subject) {
        m.insert(
            "Description".into(),
            json!(w.fit("Description", &t.subject)),
        );
    }
    if has(Field::Body) {
        m.insert("Note".into(), json!(w.fit("Note", t.body.as_str())));
    }
    if has(Field::DueDate) {
        let due = t
            .due_date
            .map_or(Value::Null, |d| json!(format_datetime(midnight(d))));
        m.insert("DueDate".into(), due);
    }
    if has(Field::Completed) {
        m.insert("Completed".into(), json!(t.completed));
    }
    if has(Field::Private) {
        m.insert("Private".into(), json!(t.is_private()));
    }
    if has(Field::Importance) {
        m.insert("Priority".into(), json!(mapping::priority(t.importance)));
    }
    if all {
        let opt = |p: &Option<PartnerNo>| json!(p.as_ref().map_or("", PartnerNo::as_str));
        m.insert("ResponsibleId".into(), opt(&t.owner));
        m.insert("AccountId".into(), opt(&t.account));
        m.insert("ContactId".into(), opt(&t.contact));
        if let Some(x) = &t.transaction_type {
            m.insert("TransactionType".into(), json!(x.as_str()));
        }
        if let Some(s) = &t.user_status {
            m.insert("UserStatusCode".into(), json!(w.fit("UserStatusCode", s)));
        }
        if let Some(o) = origin
            && w.has("ExternalKey")
        {
            m.insert(
                "ExternalKey".into(),
                json!(w.fit("ExternalKey", &external_key(o))),
            );
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use maiconnect_core::model::Importance;
    use maiconnect_core::testing::samples;

    use super::*;
    use crate::mapping::{Lengths, WriteReport};
    use crate::profile::ServiceId;
    use crate::wire::json::parse_entity;

    const ID: &str = "00505697-47e6-1ee7-bed1-6c5662a87345";

    #[test]
    fn reads_a_task() {
        let body = format!(
            r#"{{"d":{{"__metadata":{{"etag":"W/\"'0001'\""}},"Guid":"{ID}","Id":"8000001234","Description":"Send offer",
            "DueDate":"/Date(1796342400000)/","Note":"Prices","Private":false,"Completed":true,"Priority":"7",
            "UserStatusCode":"E0003","AccountId":"200","ContactId":"100","ResponsibleId":"4711","TransactionType":"ZTSK",
            "ExternalKey":"","ChangedAt":"2026-11-27T09:30:00Z","Attachments":{{"__deferred":{{}}}}}}}}"#
        );
        let w: TaskWire<'_> = parse_entity(body.as_bytes(), "t").unwrap();
        let r = read(w, None, Zone::UTC).unwrap();
        assert_eq!(r.item.version.as_str(), "W/\"'0001'\"");
        assert_eq!(r.external_key, None);
        let Record::Task(t) = r.item.record else {
            panic!()
        };
        assert_eq!(t.subject, "Send offer");
        assert_eq!(t.due_date, NaiveDate::from_ymd_opt(2026, 12, 4));
        assert!(t.completed);
        assert_eq!(t.status, TaskStatus::Completed);
        assert_eq!(t.importance, Importance::Low);
        assert_eq!(t.user_status.as_deref(), Some("E0003"));
        assert_eq!(t.owner.unwrap().as_str(), "0000004711");
        assert_eq!(t.contact.unwrap().as_str(), "0000000100");
        assert_eq!(t.account.unwrap().as_str(), "0000000200");
    }

    #[test]
    fn a_task_round_trips_and_updates_carry_only_fields() {
        let id: ActivityId = ID.parse().unwrap();
        let lengths = Lengths::default();
        for original in [samples::task_a(), samples::task_b()] {
            let mut report = WriteReport::default();
            let mut w = Writer {
                service: ServiceId::Tasks,
                set: "Tasks",
                object: object(id),
                lengths: &lengths,
                report: &mut report,
            };
            let mut m = payload(id, &original, None, None, &mut w);
            m.insert("__metadata".into(), json!({"etag": "W/\"1\""}));
            let body = json!({ "d": m }).to_string();
            let back = read(parse_entity(body.as_bytes(), "t").unwrap(), None, Zone::UTC).unwrap();
            let Record::Task(back) = back.item.record else {
                panic!()
            };
            let mut expected = original.clone();
            expected.attachments.clear();
            if expected.completed {
                expected.status = TaskStatus::Completed;
                expected.percent_complete = 100;
            }
            assert_eq!(back, expected);
        }
        let mut report = WriteReport::default();
        let mut w = Writer {
            service: ServiceId::Tasks,
            set: "Tasks",
            object: object(id),
            lengths: &lengths,
            report: &mut report,
        };
        let mut t = samples::task_a();
        t.due_date = None;
        let m = payload(
            id,
            &t,
            Some(&[Field::DueDate, Field::Completed]),
            None,
            &mut w,
        );
        assert_eq!(
            Value::Object(m),
            json!({"DueDate": null, "Completed": false})
        );
    }
}
