//! `AppointmentSet` / `AttendeeSet` ↔ [`Appointment`].

use std::borrow::Cow;

use maiconnect_core::ids::{ActivityId, EmailAddress, PartnerNo, Version};
use maiconnect_core::model::{
    Appointment, Attachment, AttachmentContent, Attendee, Body, ExchangeKey, PartnerFunction,
    Record, S4Key, Sensitivity, When, Zone,
};
use maiconnect_core::plan::fields::Field;
use maiconnect_core::plan::state::S4Item;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::error::ODataError;
use crate::mapping::{
    self, EntityName, MappingConfig, Writer, changed_at, code, datetime, day_of, importance,
    midnight, partner,
};
use crate::wire::json::{EntityMeta, Nav, Text, text};
use crate::wire::literal::Literal;
use crate::wire::query::entity_path;
use crate::wire::value::format_datetime;

/// An `Attendee` entity.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AttendeeWire<'a> {
    /// `PartnerGuid`: the partner's GUID within the activity.
    #[serde(rename = "PartnerGuid", default, borrow)]
    pub partner_guid: Option<Text<'a>>,
    /// `PartnerNo`.
    #[serde(rename = "PartnerNo", default, borrow)]
    pub partner_no: Option<Text<'a>>,
    /// `Function`.
    #[serde(rename = "Function", default, borrow)]
    pub function: Option<Text<'a>>,
    /// `IntAttendee`.
    #[serde(rename = "IntAttendee", default)]
    pub internal: Option<bool>,
    /// `FullName`.
    #[serde(rename = "FullName", default, borrow)]
    pub full_name: Option<Text<'a>>,
    /// `Email`.
    #[serde(rename = "Email", default, borrow)]
    pub email: Option<Text<'a>>,
}

/// An `Attachment` media entity.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AttachmentWire<'a> {
    /// `DocumentId`.
    #[serde(rename = "DocumentId", default, borrow)]
    pub document_id: Option<Text<'a>>,
    /// `FileName`.
    #[serde(rename = "FileName", default, borrow)]
    pub file_name: Option<Text<'a>>,
    /// `MimeType`.
    #[serde(rename = "MimeType", default, borrow)]
    pub mime_type: Option<Text<'a>>,
    /// `FileSize`.
    #[serde(rename = "FileSize", default, deserialize_with = "lenient_size")]
    pub file_size: Option<u64>,
}

fn lenient_size<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

impl AttachmentWire<'_> {
    /// The attachment, referenced by its `DocumentId`.
    pub fn to_model(&self) -> Attachment {
        Attachment {
            name: text(&self.file_name).to_owned(),
            content_type: text(&self.mime_type).to_owned(),
            size: self.file_size.unwrap_or(0),
            content: AttachmentContent::Reference(text(&self.document_id).to_owned()),
        }
    }
}

/// An `Appointment` entity, with `Attendee` and `Attachments` when expanded.
#[derive(Debug, Deserialize)]
pub struct AppointmentWire<'a> {
    /// `__metadata`.
    #[serde(rename = "__metadata", default, borrow)]
    pub meta: Option<EntityMeta<'a>>,
    /// `Guid`.
    #[serde(rename = "Guid", borrow)]
    pub guid: Cow<'a, str>,
    /// `Description`.
    #[serde(rename = "Description", default, borrow)]
    pub description: Option<Text<'a>>,
    /// `Location`.
    #[serde(rename = "Location", default, borrow)]
    pub location: Option<Text<'a>>,
    /// `FromDate`.
    #[serde(rename = "FromDate", default, borrow)]
    pub from_date: Option<Text<'a>>,
    /// `ToDate`.
    #[serde(rename = "ToDate", default, borrow)]
    pub to_date: Option<Text<'a>>,
    /// `AllDay`.
    #[serde(rename = "AllDay", default)]
    pub all_day: Option<bool>,
    /// `PrivatFlag`.
    #[serde(rename = "PrivatFlag", default)]
    pub private: Option<bool>,
    /// `Status`.
    #[serde(rename = "Status", default, borrow)]
    pub status: Option<Text<'a>>,
    /// `Priority`.
    #[serde(rename = "Priority", default, borrow)]
    pub priority: Option<Text<'a>>,
    /// `Account`.
    #[serde(rename = "Account", default, borrow)]
    pub account: Option<Text<'a>>,
    /// `Contact`.
    #[serde(rename = "Contact", default, borrow)]
    pub contact: Option<Text<'a>>,
    /// `Responsible`.
    #[serde(rename = "Responsible", default, borrow)]
    pub responsible: Option<Text<'a>>,
    /// `Note`.
    #[serde(rename = "Note", default, borrow)]
    pub note: Option<Text<'a>>,
    /// `TextType`.
    #[serde(rename = "TextType", default, borrow)]
    pub text_type: Option<Text<'a>>,
    /// `TransactionType`.
    #[serde(rename = "TransactionType", default, borrow)]
    pub transaction_type: Option<Text<'a>>,
    /// `TimeZone`.
    #[serde(rename = "TimeZone", default, borrow)]
    pub time_zone: Option<Text<'a>>,
    /// `ExternalKey`.
    #[serde(rename = "ExternalKey", default, borrow)]
    pub external_key: Option<Text<'a>>,
    /// `ChangedAt`.
    #[serde(rename = "ChangedAt", default, borrow)]
    pub changed_at: Option<Text<'a>>,
    /// `Attendee`.
    #[serde(rename = "Attendee", default, borrow)]
    pub attendees: Nav<AttendeeWire<'a>>,
    /// `Attachments` (`AppointmentToAttachment` in SAP's standard service).
    #[serde(
        rename = "Attachments",
        alias = "AppointmentToAttachment",
        default,
        borrow
    )]
    pub attachments: Nav<AttachmentWire<'a>>,
}

/// An attendee as S/4HANA keys it, for changing the attendee list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendeeRow {
    /// `PartnerGuid`.
    pub partner_guid: Option<Uuid>,
    /// `PartnerNo`.
    pub partner: Option<PartnerNo>,
    /// `Function`.
    pub function: Option<PartnerFunction>,
}

/// An appointment as read, with what the core model does not hold.
#[derive(Debug, Clone, PartialEq)]
pub struct AppointmentRead {
    /// The item for the planner.
    pub item: S4Item,
    /// The Outlook item it was created from (`ExternalKey`).
    pub external_key: Option<String>,
    /// The attendee rows, with their GUIDs.
    pub attendee_rows: Vec<AttendeeRow>,
}

/// `AppointmentSet(guid'…')`.
pub fn object(id: ActivityId) -> String {
    entity_path(crate::profile::appointment::SET, &Literal::Guid(id.uuid()))
}

/// The version from the `ETag` header or `__metadata.etag`.
pub fn version(
    object: &dyn std::fmt::Display,
    header: Option<&str>,
    meta: Option<&EntityMeta<'_>>,
) -> Result<Version, ODataError> {
    let etag = header
        .filter(|h| !h.is_empty())
        .or_else(|| meta.and_then(|m| m.etag.as_deref()))
        .ok_or_else(|| {
            ODataError::mapping(object, "__metadata.etag", "", "is missing; the profile requires an ETag on the entity (ETag header or __metadata.etag)")
        })?;
    etag.parse().map_err(|e| {
        ODataError::mapping(
            object,
            "__metadata.etag",
            etag,
            format!("is not a usable ETag ({e})"),
        )
    })
}

/// A partner function; the configured ones are shared, not allocated, as
/// they are in almost every attendee.
fn function(code: &str, cfg: &MappingConfig) -> Option<PartnerFunction> {
    [&cfg.participant_function, &cfg.contact_function]
        .into_iter()
        .find(|f| f.as_str() == code)
        .cloned()
        .or_else(|| code.parse().ok())
}

fn attendee(w: &AttendeeWire<'_>, cfg: &MappingConfig) -> Attendee {
    Attendee {
        email: w
            .email
            .as_deref()
            .filter(|e| !e.is_empty())
            .and_then(|e| e.parse().ok()),
        name: text(&w.full_name).to_owned(),
        partner: w.partner_no.as_deref().and_then(|p| p.parse().ok()),
        function: w.function.as_deref().and_then(|f| function(f, cfg)),
        required: true,
    }
}

fn row(w: &AttendeeWire<'_>, cfg: &MappingConfig) -> AttendeeRow {
    AttendeeRow {
        partner_guid: w
            .partner_guid
            .as_deref()
            .and_then(|g| Uuid::try_parse(g).ok()),
        partner: w.partner_no.as_deref().and_then(|p| p.parse().ok()),
        function: w.function.as_deref().and_then(|f| function(f, cfg)),
    }
}

fn when(
    w: &AppointmentWire<'_>,
    object: &dyn std::fmt::Display,
    cfg: &MappingConfig,
) -> Result<When, ODataError> {
    let from = datetime(object, "FromDate", w.from_date.as_deref())?;
    let to = datetime(object, "ToDate", w.to_date.as_deref())?;
    if w.all_day == Some(true) {
        let zone = cfg.default_zone;
        let first_day = day_of(object, "FromDate", from, zone);
        let end_day =
            day_of(object, "ToDate", to, zone).max(first_day.succ_opt().unwrap_or(first_day));
        return Ok(When::AllDay { first_day, end_day });
    }
    let zone = match w.time_zone.as_deref().map(str::trim) {
        None | Some("") => cfg.default_zone,
        Some(z) => z.parse::<Zone>().unwrap_or_else(|e| {
            tracing::warn!(
                object = %object,
                time_zone = z,
                "unknown TimeZone, using the default zone: {e}"
            );
            cfg.default_zone
        }),
    };
    Ok(When::timed(from, to, zone))
}

/// Reads an appointment with its attendee rows (for changing the attendee
/// list); `etag` is the `ETag` response header of a single read
/// (collections carry it in `__metadata`).
pub fn read(
    w: AppointmentWire<'_>,
    etag: Option<&str>,
    cfg: &MappingConfig,
) -> Result<AppointmentRead, ODataError> {
    let rows = match &w.attendees {
        Nav::Loaded(list) => list.iter().map(|x| row(x, cfg)).collect(),
        Nav::Deferred => Vec::new(),
    };
    let external_key = code(text(&w.external_key));
    Ok(AppointmentRead {
        item: read_item(w, etag, cfg)?,
        external_key,
        attendee_rows: rows,
    })
}

/// Reads an appointment for the planner (listings).
pub fn read_item(
    w: AppointmentWire<'_>,
    etag: Option<&str>,
    cfg: &MappingConfig,
) -> Result<S4Item, ODataError> {
    let id: ActivityId = w.guid.parse().map_err(|e| {
        ODataError::mapping(
            "AppointmentSet",
            "Guid",
            &w.guid,
            format!("is not a GUID ({e})"),
        )
    })?;
    let object = EntityName(crate::profile::appointment::SET, id);
    let version = version(&object, etag, w.meta.as_ref())?;
    let when = when(&w, &object, cfg)?;
    let mut a = Appointment::new(text(&w.description), when);
    a.location = text(&w.location).to_owned();
    a.body = Body::new(text(&w.note));
    a.sensitivity = if w.private == Some(true) {
        Sensitivity::Private
    } else {
        Sensitivity::Normal
    };
    a.importance = importance(text(&w.priority));
    a.status = code(text(&w.status));
    a.transaction_type = w
        .transaction_type
        .as_deref()
        .filter(|t| !t.trim().is_empty())
        .and_then(|t| t.parse().ok());
    a.owner = partner(&object, "Responsible", text(&w.responsible))?;
    a.account = partner(&object, "Account", text(&w.account))?;
    let contact = partner(&object, "Contact", text(&w.contact))?;
    if let Nav::Loaded(list) = &w.attendees {
        a.attendees.reserve(list.len() + 1);
        a.attendees.extend(list.iter().map(|x| attendee(x, cfg)));
    }
    if let Some(c) = contact {
        // The main contact comes first, so that writing the list back makes
        // the same partner the main contact again.
        match a
            .attendees
            .iter()
            .position(|x| x.partner.as_ref() == Some(&c))
        {
            Some(0) => {}
            Some(i) => {
                let x = a.attendees.remove(i);
                a.attendees.insert(0, x);
            }
            None => a.attendees.insert(
                0,
                Attendee {
                    email: None,
                    name: String::new(),
                    partner: Some(c),
                    function: Some(cfg.contact_function),
                    required: true,
                },
            ),
        }
    }
    if let Nav::Loaded(list) = &w.attachments {
        a.attachments = list.iter().map(AttachmentWire::to_model).collect();
    }
    Ok(S4Item {
        key: S4Key::Appointment(id),
        version,
        record: Record::Appointment(a),
        changed_at: changed_at(&object, w.changed_at.as_deref())?,
    })
}

/// The text of `ExternalKey` for an Outlook item: its id, and for an
/// occurrence of a series `@` and the original start.
pub fn external_key(origin: &ExchangeKey) -> String {
    match origin.occurrence {
        None => origin.item.as_str().to_owned(),
        Some(t) => format!(
            "{}@{}",
            origin.item.as_str(),
            t.format("%Y-%m-%dT%H:%M:%SZ")
        ),
    }
}

/// The main contact: the first attendee with the contact-person function.
pub fn main_contact<'a>(a: &'a Appointment, cfg: &MappingConfig) -> Option<&'a PartnerNo> {
    a.attendees
        .iter()
        .find(|x| x.function.as_ref() == Some(&cfg.contact_function))
        .and_then(|x| x.partner.as_ref())
}

/// The attendees S/4HANA can hold (partner and function known); the others
/// are named in the report.
pub fn s4_attendees<'a>(a: &'a Appointment, w: &mut Writer<'_>) -> Vec<&'a Attendee> {
    let mut out = Vec::with_capacity(a.attendees.len());
    for x in &a.attendees {
        if x.fits_s4() {
            out.push(x);
        } else {
            tracing::info!(object = %w.object, attendee = %x, "attendee without business partner or function is not written to S/4HANA");
            w.report.skipped_attendees.push(x.to_string());
        }
    }
    out
}

/// The JSON of one attendee for `AttendeeSet` (or inline in a deep insert).
pub fn attendee_payload(
    id: ActivityId,
    x: &Attendee,
    cfg: &MappingConfig,
    w: &mut Writer<'_>,
) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("Guid".into(), json!(id.to_string()));
    m.insert(
        "PartnerNo".into(),
        json!(x.partner.as_ref().map_or("", PartnerNo::as_str)),
    );
    m.insert(
        "Function".into(),
        json!(x.function.as_ref().map_or("", PartnerFunction::as_str)),
    );
    m.insert(
        "IntAttendee".into(),
        json!(x.function.as_ref() == Some(&cfg.participant_function)),
    );
    m.insert(
        "FullName".into(),
        json!(w.fit_in(
            crate::profile::appointment::ATTENDEE_SET,
            "FullName",
            &x.name
        )),
    );
    if w.has_in(crate::profile::appointment::ATTENDEE_SET, "Email") {
        let email = x.email.as_ref().map_or("", EmailAddress::as_str);
        m.insert(
            "Email".into(),
            json!(w.fit_in(crate::profile::appointment::ATTENDEE_SET, "Email", email)),
        );
    }
    m
}

/// The properties for `fields` of `a` (all of them when `fields` is
/// `None`, as for a create, which also carries the attendees inline).
pub fn payload(
    id: ActivityId,
    a: &Appointment,
    fields: Option<&[Field]>,
    origin: Option<&ExchangeKey>,
    cfg: &MappingConfig,
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
            json!(w.fit("Description", &a.subject)),
        );
    }
    if has(Field::Location) {
        m.insert("Location".into(), json!(w.fit("Location", &a.location)));
    }
    if has(Field::Body) {
        m.insert("Note".into(), json!(w.fit("Note", a.body.as_str())));
        let tt = a
            .transaction_type
            .as_ref()
            .and_then(|t| cfg.text_types.get(t));
        if let Some(tt) = tt
            && w.has("TextType")
        {
            m.insert("TextType".into(), json!(tt.as_str()));
        }
    }
    if has(Field::When) {
        let (from, to, all_day, zone) = match &a.when {
            When::Timed { start, end, zone } => (*start, *end, false, zone.to_string()),
            When::AllDay { first_day, end_day } => (
                midnight(*first_day),
                midnight(*end_day),
                true,
                String::new(),
            ),
        };
        m.insert("FromDate".into(), json!(format_datetime(from)));
        m.insert("ToDate".into(), json!(format_datetime(to)));
        m.insert("AllDay".into(), json!(all_day));
        if w.has("TimeZone") {
            m.insert("TimeZone".into(), json!(w.fit("TimeZone", &zone)));
        }
    }
    if has(Field::Private) {
        m.insert("PrivatFlag".into(), json!(a.is_private()));
    }
    if has(Field::Importance) {
        m.insert("Priority".into(), json!(mapping::priority(a.importance)));
    }
    if has(Field::Attendees) {
        let contact = main_contact(a, cfg).map_or("", PartnerNo::as_str);
        m.insert("Contact".into(), json!(contact));
    }
    if all {
        let opt = |p: &Option<PartnerNo>| json!(p.as_ref().map_or("", PartnerNo::as_str));
        m.insert("Responsible".into(), opt(&a.owner));
        m.insert("Account".into(), opt(&a.account));
        if let Some(t) = &a.transaction_type {
            m.insert("TransactionType".into(), json!(t.as_str()));
        }
        if let Some(s) = &a.status {
            m.insert("Status".into(), json!(w.fit("Status", s)));
        }
        if let Some(o) = origin
            && w.has("ExternalKey")
        {
            m.insert(
                "ExternalKey".into(),
                json!(w.fit("ExternalKey", &external_key(o))),
            );
        }
        let attendees: Vec<Value> = s4_attendees(a, w)
            .into_iter()
            .map(|x| Value::Object(attendee_payload(id, x, cfg, w)))
            .collect();
        m.insert(
            crate::profile::appointment::NAV_ATTENDEE.into(),
            Value::Array(attendees),
        );
    }
    m
}

#[cfg(test)]
mod tests;
