//! The entity sets as rows: the stored activities as they are, and the
//! partner-based sets (accounts, contacts, employees, relationships,
//! partner search) as views of partners and relationships.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::{Activity, ActivityKind, Partner, Store, appointment_set, attendee_set};
use crate::s4::edm::{EntitySet, Navigation, ServiceId};
use crate::s4::filter::{Candidates, Filter};
use crate::s4::value::Value;

/// One entity as the protocol layer sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Its entity set.
    pub set: &'static EntitySet,
    /// Values in the order of the type's properties.
    pub values: Vec<Value>,
    /// Further values that `$filter` matches for a property (an
    /// appointment's attendees for `Responsible`).
    pub also: Vec<(usize, Value)>,
    /// The ETag (weak form), for types that have one.
    pub etag: Option<String>,
    /// The MIME type of a media entity.
    pub media_type: Option<String>,
}

impl Candidates for Row {
    fn any(&self, index: usize, test: &mut dyn FnMut(&Value) -> bool) -> bool {
        self.values.get(index).is_some_and(&mut *test)
            || self.also.iter().any(|(i, v)| *i == index && test(v))
    }
}

/// A stored activity seen through a filter without copying it.
struct ActivityView<'a> {
    activity: &'a Activity,
    /// `Responsible` of appointments, which also matches attendees.
    responsible: Option<usize>,
    partner_no: usize,
}

impl Candidates for ActivityView<'_> {
    fn any(&self, index: usize, test: &mut dyn FnMut(&Value) -> bool) -> bool {
        if self.activity.values.get(index).is_some_and(&mut *test) {
            return true;
        }
        self.responsible == Some(index)
            && self
                .activity
                .attendees
                .iter()
                .filter_map(|a| a.get(self.partner_no))
                .any(test)
    }
}

impl Row {
    fn new(set: &'static EntitySet, values: Vec<Value>) -> Row {
        let etag = set
            .etag
            .and_then(|p| set.index(p))
            .and_then(|i| match &values[i] {
                Value::DateTimeOffset(t) => Some(timestamp_etag(*t)),
                Value::Text(s) if !s.is_empty() => Some(format!("W/\"'{s}'\"")),
                _ => None,
            });
        Row {
            set,
            values,
            also: Vec::new(),
            etag,
            media_type: None,
        }
    }

    /// The value of a property.
    pub fn get(&self, name: &str) -> &Value {
        self.set
            .index(name)
            .and_then(|i| self.values.get(i))
            .unwrap_or(&Value::Null)
    }

    /// The key values in key order.
    pub fn key(&self) -> Vec<Value> {
        self.set
            .keys()
            .map(|(i, _)| self.values[i].clone())
            .collect()
    }

    /// The key predicate: `(guid'…')` for one key property,
    /// `(A='…',B='…')` for several.
    pub fn key_predicate(&self) -> String {
        let keys: Vec<_> = self.set.keys().collect();
        if let [(i, _)] = keys.as_slice() {
            return format!("({})", self.values[*i].to_literal());
        }
        let parts: Vec<String> = keys
            .iter()
            .map(|(i, p)| format!("{}={}", p.name, self.values[*i].to_literal()))
            .collect();
        format!("({})", parts.join(","))
    }
}

/// The ETag of a type whose concurrency token is a change time stamp, as
/// Gateway writes a `DateTimeOffset` ETag property.
pub fn timestamp_etag(t: DateTime<Utc>) -> String {
    format!(
        "W/\"datetimeoffset'{}.{}Z'\"",
        t.format("%Y-%m-%dT%H%%3A%M%%3A%S"),
        crate::s4::value::hundred_nanos(&t)
    )
}

fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

impl Store {
    fn activity_row(&self, kind: ActivityKind, guid: &uuid::Uuid) -> Option<Row> {
        let activity = self.activities(kind).get(guid)?;
        let mut row = Row::new(kind.set(), activity.values.clone());
        if kind == ActivityKind::Appointment
            && let (Some(resp), Some(no)) = (
                appointment_set().index("Responsible"),
                attendee_set().index("PartnerNo"),
            )
        {
            row.also = activity
                .attendees
                .iter()
                .filter_map(|a| a.get(no).cloned())
                .map(|v| (resp, v))
                .collect();
        }
        Some(row)
    }

    fn attachment_row(&self, set: &'static EntitySet, id: &str) -> Option<Row> {
        let a = self.attachments.get(id)?;
        let mut row = Row::new(set, a.values.clone());
        row.media_type = a.values.get(3).and_then(Value::as_str).map(str::to_owned);
        Some(row)
    }

    /// The rows of an entity set that pass `filter`. Activities are tested
    /// in place and only the matches copied.
    pub fn filtered_rows(
        &self,
        service: ServiceId,
        set: &'static EntitySet,
        today: NaiveDate,
        filter: Option<&Filter>,
    ) -> Vec<Row> {
        let kind = match set.name {
            "AppointmentSet" if service == ServiceId::Appointments => ActivityKind::Appointment,
            "Tasks" if service == ServiceId::Tasks => ActivityKind::Task,
            _ => {
                let rows = self.rows(service, set, today);
                return match filter {
                    Some(f) => rows.into_iter().filter(|r| f.matches(r)).collect(),
                    None => rows,
                };
            }
        };
        let responsible = (kind == ActivityKind::Appointment)
            .then(|| set.index("Responsible"))
            .flatten();
        let partner_no = attendee_set().index("PartnerNo").unwrap_or(0);
        // The hub lists an employee's appointments: look them up.
        let employee = responsible
            .zip(filter)
            .and_then(|(i, f)| f.required_eq(i))
            .and_then(Value::as_str);
        let indexed: Vec<(&Uuid, &Activity)>;
        let candidates: Box<dyn Iterator<Item = (&Uuid, &Activity)>> = match employee {
            Some(bp) => {
                let all = self.activities(kind);
                indexed = self
                    .by_partner
                    .appointments_of(bp, all.iter())
                    .iter()
                    .filter_map(|g| all.get_key_value(g))
                    .collect();
                Box::new(indexed.into_iter())
            }
            None => Box::new(self.activities(kind).iter()),
        };
        candidates
            .filter(|(_, a)| {
                filter.is_none_or(|f| {
                    f.matches(&ActivityView {
                        activity: a,
                        responsible,
                        partner_no,
                    })
                })
            })
            .filter_map(|(g, _)| self.activity_row(kind, g))
            .collect()
    }

    /// All rows of an entity set of `service`, in key order.
    pub fn rows(&self, service: ServiceId, set: &'static EntitySet, today: NaiveDate) -> Vec<Row> {
        match (service, set.name) {
            (ServiceId::Appointments, "AppointmentSet") => self
                .appointments
                .keys()
                .filter_map(|g| self.activity_row(ActivityKind::Appointment, g))
                .collect(),
            (ServiceId::Appointments, "AttendeeSet") => self
                .appointments
                .values()
                .flat_map(|a| a.attendees.iter())
                .map(|v| Row::new(set, v.clone()))
                .collect(),
            (ServiceId::Tasks, "Tasks") => self
                .tasks
                .keys()
                .filter_map(|g| self.activity_row(ActivityKind::Task, g))
                .collect(),
            (_, "AttachmentSet") => {
                let owner = if service == ServiceId::Tasks {
                    ActivityKind::Task
                } else {
                    ActivityKind::Appointment
                };
                self.attachments
                    .iter()
                    .filter(|(_, a)| a.owner == owner)
                    .filter_map(|(id, _)| self.attachment_row(set, id))
                    .collect()
            }
            _ => self.partner_rows(set, today, None),
        }
    }

    /// One row by key.
    pub fn row(
        &self,
        service: ServiceId,
        set: &'static EntitySet,
        key: &[Value],
        today: NaiveDate,
    ) -> Option<Row> {
        match (set.name, key) {
            ("AppointmentSet", [Value::Guid(g)]) => self.activity_row(ActivityKind::Appointment, g),
            ("Tasks", [Value::Guid(g)]) => self.activity_row(ActivityKind::Task, g),
            ("AttachmentSet", [Value::Text(id)]) => {
                let row = self.attachment_row(set, id)?;
                let owner = self.attachments.get(id.as_str())?.owner;
                (owner.service() == service).then_some(row)
            }
            ("AttendeeSet", [Value::Guid(g), Value::Guid(_)]) => {
                let a = self.appointments.get(g)?;
                a.attendees
                    .iter()
                    .map(|v| Row::new(set, v.clone()))
                    .find(|r| r.key() == key)
            }
            // Partner sets are keyed by the partner (or relationship)
            // number first: build only that partner's rows.
            (_, [Value::Text(first), ..]) if is_partner_set(set) => self
                .partner_rows(set, today, Some(first))
                .into_iter()
                .find(|r| r.key() == key),
            _ => self
                .rows(service, set, today)
                .into_iter()
                .find(|r| r.key() == key),
        }
    }

    /// The rows a navigation property of `parent` leads to.
    pub fn navigate(
        &self,
        service: ServiceId,
        parent: &Row,
        nav: &Navigation,
        today: NaiveDate,
    ) -> Vec<Row> {
        let Some(target) = service.service().set(nav.target) else {
            return Vec::new();
        };
        match (parent.set.name, nav.name) {
            ("AppointmentSet", "Attendee") => {
                let Value::Guid(g) = parent.get("Guid") else {
                    return Vec::new();
                };
                self.appointments
                    .get(g)
                    .map(|a| {
                        a.attendees
                            .iter()
                            .map(|v| Row::new(target, v.clone()))
                            .collect()
                    })
                    .unwrap_or_default()
            }
            (_, "Attachments" | "AppointmentToAttachment") => {
                let guid = parent.get("Guid").clone();
                self.rows(service, attachment_set_of(service, target), today)
                    .into_iter()
                    .filter(|r| r.get("ObjectGuid") == &guid)
                    .collect()
            }
            ("ContactCollection", "WorkAddress") => self
                .row(service, target, &parent.key(), today)
                .into_iter()
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The rows of a partner set; `only`: those whose key starts with this
    /// partner (or relationship) number.
    fn partner_rows(
        &self,
        set: &'static EntitySet,
        today: NaiveDate,
        only: Option<&str>,
    ) -> Vec<Row> {
        let wanted = move |number: &str| only.is_none_or(|o| o == number);
        let partners = || -> Box<dyn Iterator<Item = &Partner>> {
            match only {
                Some(o) => Box::new(self.partners.get(o).into_iter()),
                None => Box::new(self.partners.values()),
            }
        };
        let contacts = || {
            self.relationships.values().filter(move |r| {
                r.category == "BUR001"
                    && wanted(&r.partner1)
                    && r.valid_on(today)
                    && self.partners.contains_key(&r.partner1)
                    && self.partners.contains_key(&r.partner2)
            })
        };
        let employees = || partners().filter(|p| p.employee);
        match set.name {
            "AccountCollection" => partners()
                .map(|p| {
                    let (n1, n2) = if p.category == "1" {
                        (&p.last_name, &p.first_name)
                    } else {
                        (&p.name1, &p.name2)
                    };
                    Row::new(
                        set,
                        vec![
                            text(&p.number),
                            text(&p.category),
                            Value::Text(p.full_name()),
                            text(n1),
                            text(n2),
                            Value::Text(p.etag()),
                        ],
                    )
                })
                .collect(),
            "ContactCollection" => contacts()
                .map(|r| {
                    let person = &self.partners[&r.partner1];
                    let company = self.partners[&r.partner2].full_name();
                    Row::new(
                        set,
                        vec![
                            text(&person.number),
                            text(&r.partner2),
                            text(&person.first_name),
                            text(&person.last_name),
                            text(&person.middle_name),
                            Value::Text(person.full_name()),
                            text(&person.title),
                            text(&person.academic_title),
                            text(&person.function),
                            text(&person.department),
                            Value::Text(company),
                            Value::Text(person.etag()),
                        ],
                    )
                })
                .collect(),
            "ContactWorkAddressCollection" => contacts()
                .map(|r| {
                    let p = &self.partners[&r.partner1];
                    Row::new(
                        set,
                        vec![
                            text(&p.number),
                            text(&r.partner2),
                            text(&p.street),
                            text(&p.house_number),
                            text(&p.postcode),
                            text(&p.city),
                            text(&p.region),
                            text(&p.country),
                            text(&p.email),
                            text(&p.phone),
                            text(&p.mobile_phone),
                            text(&p.fax),
                        ],
                    )
                })
                .collect(),
            "EmployeeCollection" => employees()
                .map(|p| {
                    Row::new(
                        set,
                        vec![
                            text(&p.number),
                            Value::Text(p.full_name()),
                            text(&p.email),
                            text(&p.user_name),
                        ],
                    )
                })
                .collect(),
            "Employees" => employees()
                .map(|p| {
                    Row::new(
                        set,
                        vec![
                            text(&p.number),
                            text(&p.user_name),
                            text(&p.email),
                            Value::Text(p.full_name()),
                        ],
                    )
                })
                .collect(),
            "Relationships" => self
                .relationships
                .values()
                .filter(|r| wanted(&r.number))
                .map(|r| {
                    let category = |n: &str| {
                        self.partners
                            .get(n)
                            .map(|p| p.category.clone())
                            .unwrap_or_default()
                    };
                    let day = |d: NaiveDate| {
                        Value::DateTime(d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
                    };
                    Row::new(
                        set,
                        vec![
                            text(&r.number),
                            text(&r.partner1),
                            text(&r.partner2),
                            day(r.valid_to),
                            text(&r.category),
                            day(r.valid_from),
                            Value::Text(category(&r.partner1)),
                            Value::Text(category(&r.partner2)),
                        ],
                    )
                })
                .collect(),
            "PartnerAddressSet" => partners()
                .filter(|p| !p.email.is_empty())
                .map(|p| {
                    Row::new(
                        set,
                        vec![
                            text(&p.number),
                            Value::Text(p.address_number()),
                            text(&p.category),
                            Value::Text(p.full_name()),
                            text(&p.email),
                            Value::Bool(p.employee),
                        ],
                    )
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// Whether the set's rows are built by `partner_rows`, keyed by a partner
/// (or relationship) number first.
fn is_partner_set(set: &EntitySet) -> bool {
    matches!(
        set.name,
        "AccountCollection"
            | "ContactCollection"
            | "ContactWorkAddressCollection"
            | "EmployeeCollection"
            | "Employees"
            | "Relationships"
            | "PartnerAddressSet"
    )
}

fn attachment_set_of(service: ServiceId, fallback: &'static EntitySet) -> &'static EntitySet {
    service.service().set("AttachmentSet").unwrap_or(fallback)
}
