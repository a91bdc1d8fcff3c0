//! A new item from the element a client sent (`CreateItem`, the control
//! API): properties stored as sent, times normalised to UTC, a few
//! defaults Exchange fills in.

use std::collections::BTreeMap;

use base64::Engine;
use chrono::{DateTime, Utc};
use maiconnect_core::model::Zone;

use super::order;
use super::time::{fmt_dt, parse_dt, zone_named};
use crate::exchange::soap::EwsError;
use crate::exchange::state::{ExtKey, ExtendedValue, ItemKind};
use crate::exchange::xml::Element;

/// Properties computed by the server; a client's copy is ignored.
const READ_ONLY: &[&str] = &[
    "ItemId",
    "ParentFolderId",
    "DateTimeCreated",
    "LastModifiedTime",
    "Size",
    "HasAttachments",
    "IsRecurring",
    "CalendarItemType",
    "ModifiedOccurrences",
    "DeletedOccurrences",
    "FirstOccurrence",
    "LastOccurrence",
    "OriginalStart",
    "DateTimeReceived",
    "EffectiveRights",
    "LastModifiedName",
    "IsMeeting",
    "MyResponseType",
    "IsComplete",
    "ChangeCount",
];

/// Properties holding date-times, normalised to UTC on the way in.
const DATE_TIMES: &[&str] = &[
    "Start",
    "End",
    "DueDate",
    "StartDate",
    "CompleteDate",
    "ReminderDueBy",
];

/// The parts of a new item.
#[derive(Debug, Clone)]
pub struct NewItem {
    /// Its type.
    pub kind: ItemKind,
    /// Property elements.
    pub props: BTreeMap<String, Element>,
    /// Extended properties.
    pub extended: Vec<ExtendedValue>,
    /// File attachments: (name, content type, content id, inline, base64).
    pub attachments: Vec<NewAttachment>,
    /// IANA zone of the item.
    pub zone: Zone,
}

/// A file attachment sent with an item or through CreateAttachment.
#[derive(Debug, Clone)]
pub struct NewAttachment {
    /// `Name`.
    pub name: String,
    /// `ContentType`.
    pub content_type: Option<String>,
    /// `ContentId`.
    pub content_id: Option<String>,
    /// `IsInline`.
    pub is_inline: bool,
    /// `Content` (base64).
    pub content: String,
    /// Decoded length.
    pub size: usize,
}

/// The zone an item's times are in: its `StartTimeZone`, else the request's
/// `TimeZoneContext`, else UTC.
pub fn item_zone(el: &Element, context: Option<Zone>) -> Zone {
    el.child("StartTimeZone")
        .and_then(|z| z.attr("Id"))
        .and_then(zone_named)
        .or_else(|| {
            el.child("MeetingTimeZone")
                .and_then(|z| z.attr("TimeZoneName"))
                .and_then(zone_named)
        })
        .or(context)
        .unwrap_or(Zone::UTC)
}

/// Reads an item element.
pub fn new_item(el: &Element, context: Option<Zone>) -> Result<NewItem, EwsError> {
    let kind = ItemKind::from_element(&el.name).ok_or_else(|| {
        EwsError::new(
            "ErrorInvalidItemForOperation",
            format!("The fake Exchange stores CalendarItem, Task, Contact and Item; {} is not supported.", el.name),
        )
    })?;
    let zone = item_zone(el, context);
    let mut props = BTreeMap::new();
    let mut extended = Vec::new();
    let mut attachments = Vec::new();
    for child in el.elements() {
        match child.name.as_str() {
            "ExtendedProperty" => upsert_extended(&mut extended, extended_value(child)?),
            "Attachments" => {
                for a in child.elements() {
                    attachments.push(new_attachment(a)?);
                }
            }
            n if READ_ONLY.contains(&n) => {}
            n if order::has(kind, n) => {
                props.insert(n.to_string(), normalise(child, zone)?);
            }
            _ => {}
        }
    }
    Ok(NewItem {
        kind,
        props,
        extended,
        attachments,
        zone,
    })
}

/// Normalises a date-time property to UTC; other properties pass through.
pub fn normalise(el: &Element, zone: Zone) -> Result<Element, EwsError> {
    if !DATE_TIMES.contains(&el.name.as_str()) {
        return Ok(el.clone());
    }
    let t: DateTime<Utc> = parse_dt(&el.text(), zone).ok_or_else(|| {
        EwsError::new(
            "ErrorInvalidValueForProperty",
            format!("{} = {:?} is not a valid date-time.", el.name, el.text()),
        )
    })?;
    Ok(Element::t_text(&el.name, fmt_dt(t)))
}

/// Reads an `ExtendedProperty` element.
pub fn extended_value(el: &Element) -> Result<ExtendedValue, EwsError> {
    let bad = || {
        EwsError::new(
            "ErrorInvalidExtendedProperty",
            "The extended property needs an ExtendedFieldURI with a PropertyTag or a property set and a name or id.",
        )
    };
    let uri = el.child("ExtendedFieldURI").ok_or_else(bad)?;
    let key = ExtKey::from_uri(uri).ok_or_else(bad)?;
    let (values, multi) = match el.child("Values") {
        Some(vs) => (
            vs.children_named("Value").map(Element::text).collect(),
            true,
        ),
        None => (
            el.child("Value").map(Element::text).into_iter().collect(),
            false,
        ),
    };
    Ok(ExtendedValue {
        key,
        uri: uri.clone(),
        values,
        multi,
    })
}

/// Adds or replaces an extended property.
pub fn upsert_extended(list: &mut Vec<ExtendedValue>, v: ExtendedValue) {
    match list.iter_mut().find(|e| e.key == v.key) {
        Some(e) => *e = v,
        None => list.push(v),
    }
}

/// Reads a `FileAttachment` element.
pub fn new_attachment(a: &Element) -> Result<NewAttachment, EwsError> {
    if a.name != "FileAttachment" {
        return Err(EwsError::new(
            "ErrorInvalidAttachmentType",
            "The fake Exchange keeps file attachments only.",
        ));
    }
    let content = a.child_text("Content").unwrap_or_default();
    let compact: String = content.split_whitespace().collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map_err(|_| {
            EwsError::new(
                "ErrorInvalidRequest",
                "The attachment Content is not base64.",
            )
        })?;
    Ok(NewAttachment {
        name: a.child_text("Name").unwrap_or_default(),
        content_type: a.child_text("ContentType"),
        content_id: a.child_text("ContentId"),
        is_inline: a.child_text("IsInline").as_deref() == Some("true"),
        content: compact,
        size: bytes.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::xml::parse;

    #[test]
    fn a_calendar_item_keeps_its_properties_in_utc_and_drops_read_only_ones() {
        let el = parse(br#"<t:CalendarItem xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">
            <t:Subject>Plan</t:Subject><t:ItemId Id="x"/>
            <t:ExtendedProperty><t:ExtendedFieldURI DistinguishedPropertySetId="PublicStrings" PropertyName="S4Key" PropertyType="String"/><t:Value>A1</t:Value></t:ExtendedProperty>
            <t:Start>2026-07-01T09:00:00</t:Start><t:End>2026-07-01T10:00:00</t:End>
            <t:StartTimeZone Id="W. Europe Standard Time"/></t:CalendarItem>"#).unwrap();
        let item = new_item(&el, None).unwrap();
        assert_eq!(item.kind, ItemKind::CalendarItem);
        assert_eq!(item.props["Start"].text(), "2026-07-01T07:00:00Z");
        assert!(!item.props.contains_key("ItemId"));
        assert_eq!(item.extended[0].values, vec!["A1".to_string()]);
        assert_eq!(item.zone.to_string(), "Europe/Berlin");
    }

    #[test]
    fn unsupported_types_and_bad_times_are_named() {
        let m = parse(
            br#"<t:Message xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"/>"#,
        )
        .unwrap();
        assert_eq!(
            new_item(&m, None).unwrap_err().code,
            "ErrorInvalidItemForOperation"
        );
        let t = parse(br#"<t:Task xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><t:DueDate>soon</t:DueDate></t:Task>"#).unwrap();
        let e = new_item(&t, None).unwrap_err();
        assert!(e.text.contains("DueDate"), "{e:?}");
    }
}
