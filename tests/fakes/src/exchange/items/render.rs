//! Items as responses show them: the requested shape, computed properties,
//! schema order.
//!
//! Reference: <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/itemshape>.

use std::collections::BTreeSet;

use super::fields::PropPath;
use super::order;
use super::recurrence::{OccurrenceView, first_and_last, occurrences};
use super::time::fmt_dt;
use crate::exchange::state::ids::occurrence_id;
use crate::exchange::state::{ItemKind, Mailbox, StoredItem};
use crate::exchange::xml::Element;

/// `BaseShape`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseShape {
    /// Only the id.
    IdOnly,
    /// A useful default set.
    Default,
    /// Every first-class property.
    AllProperties,
}

/// An `ItemShape`.
#[derive(Debug, Clone)]
pub struct Shape {
    /// `BaseShape`.
    pub base: BaseShape,
    /// `AdditionalProperties`.
    pub additional: Vec<PropPath>,
    /// `BodyType` (`Best`, `HTML`, `Text`).
    pub body_type: Option<String>,
}

impl Shape {
    /// Reads an `ItemShape` element.
    pub fn from_element(el: Option<&Element>) -> Shape {
        let base = match el.and_then(|e| e.child_text("BaseShape")).as_deref() {
            Some("IdOnly") => BaseShape::IdOnly,
            Some("AllProperties") => BaseShape::AllProperties,
            _ => BaseShape::Default,
        };
        let additional = el
            .and_then(|e| e.child("AdditionalProperties"))
            .map(|a| a.elements().filter_map(PropPath::from_element).collect())
            .unwrap_or_default();
        Shape {
            base,
            additional,
            body_type: el.and_then(|e| e.child_text("BodyType")),
        }
    }

    /// Ids only.
    pub fn id_only() -> Shape {
        Shape {
            base: BaseShape::IdOnly,
            additional: vec![],
            body_type: None,
        }
    }
}

const DEFAULT_COMMON: &[&str] = &[
    "ItemId",
    "ParentFolderId",
    "ItemClass",
    "Subject",
    "Sensitivity",
    "HasAttachments",
    "Categories",
    "Importance",
    "DateTimeCreated",
    "LastModifiedTime",
];
const DEFAULT_CALENDAR: &[&str] = &[
    "UID",
    "Start",
    "End",
    "IsAllDayEvent",
    "LegacyFreeBusyStatus",
    "Location",
    "IsRecurring",
    "CalendarItemType",
    "Organizer",
];
const DEFAULT_TASK: &[&str] = &[
    "DueDate",
    "IsComplete",
    "PercentComplete",
    "StartDate",
    "Status",
];
const DEFAULT_CONTACT: &[&str] = &[
    "FileAs",
    "DisplayName",
    "GivenName",
    "CompanyName",
    "EmailAddresses",
    "PhoneNumbers",
    "JobTitle",
    "Surname",
];

/// Which occurrence to render, if any.
#[derive(Debug, Clone, Copy)]
pub enum View<'v, 'a> {
    /// The stored item itself (single item or master).
    Item,
    /// One occurrence of a master.
    Occurrence(&'v OccurrenceView<'a>),
}

/// Renders `item` (or an occurrence of it) as `<t:CalendarItem>…`.
pub fn render(
    out: &mut String,
    item: &StoredItem,
    view: View<'_, '_>,
    shape: &Shape,
    mailbox: &Mailbox,
) {
    let kind = item.kind;
    let wanted = wanted_names(kind, shape);
    let mut parts: Vec<(usize, Element)> = Vec::new();
    let mut push = |name: &str, el: Element| {
        if let Some(p) = order::position(kind, name) {
            parts.push((p, el));
        }
    };
    let all = shape.base == BaseShape::AllProperties;
    let include = |name: &str| all || wanted.contains(name);
    let occ = match view {
        View::Occurrence(o) => Some(o),
        View::Item => None,
    };
    // Stored properties (an exception's own ones win).
    for (name, el) in &item.props {
        if occ.is_some() && matches!(name.as_str(), "Recurrence" | "Start" | "End") {
            continue;
        }
        let own = occ
            .and_then(|o| o.exception)
            .and_then(|e| e.props.get(name));
        if include(name) {
            let el = own.unwrap_or(el);
            push(name, body_as(el, shape.body_type.as_deref()));
        }
    }
    if let Some(ex) = occ.and_then(|o| o.exception) {
        for (name, el) in &ex.props {
            if !item.props.contains_key(name)
                && include(name)
                && !matches!(name.as_str(), "Start" | "End")
            {
                push(name, el.clone());
            }
        }
    }
    // Computed properties.
    let (id, ck) = match occ {
        Some(o) => (
            occurrence_id(&item.id, o.index),
            o.exception
                .map_or(item.change_key.clone(), |e| e.change_key.clone()),
        ),
        None => (item.id.clone(), item.change_key.clone()),
    };
    push(
        "ItemId",
        Element::t("ItemId")
            .with_attr("Id", id)
            .with_attr("ChangeKey", ck),
    );
    if include("ParentFolderId") {
        let f = mailbox.folders.get(&item.folder_id);
        let fck = f.map(|f| f.change_key.clone()).unwrap_or_default();
        push(
            "ParentFolderId",
            Element::t("ParentFolderId")
                .with_attr("Id", item.folder_id.clone())
                .with_attr("ChangeKey", fck),
        );
    }
    let text_default = |name: &str, value: &str, push: &mut dyn FnMut(&str, Element)| {
        if include(name) && !item.props.contains_key(name) {
            push(name, Element::t_text(name, value));
        }
    };
    text_default("ItemClass", kind.item_class(), &mut push);
    text_default("Sensitivity", "Normal", &mut push);
    text_default("Importance", "Normal", &mut push);
    if include("Size") {
        let size = item.props.values().map(|e| e.to_xml().len()).sum::<usize>()
            + item.attachments.iter().map(|a| a.size).sum::<usize>();
        push("Size", Element::t_text("Size", size.to_string()));
    }
    if include("DateTimeCreated") {
        push(
            "DateTimeCreated",
            Element::t_text("DateTimeCreated", fmt_dt(item.created)),
        );
    }
    if include("LastModifiedTime") {
        push(
            "LastModifiedTime",
            Element::t_text("LastModifiedTime", fmt_dt(item.modified)),
        );
    }
    if include("HasAttachments") {
        push(
            "HasAttachments",
            Element::t_text("HasAttachments", (!item.attachments.is_empty()).to_string()),
        );
    }
    if include("Attachments") && !item.attachments.is_empty() {
        let mut atts = Element::t("Attachments");
        for a in &item.attachments {
            let mut f = Element::t("FileAttachment")
                .with_child(Element::t("AttachmentId").with_attr("Id", a.id.clone()))
                .with_child(Element::t_text("Name", a.name.clone()));
            if let Some(ct) = &a.content_type {
                f = f.with_child(Element::t_text("ContentType", ct.clone()));
            }
            f = f
                .with_child(Element::t_text("Size", a.size.to_string()))
                .with_child(Element::t_text("LastModifiedTime", fmt_dt(a.last_modified)))
                .with_child(Element::t_text("IsInline", a.is_inline.to_string()));
            atts = atts.with_child(f);
        }
        push("Attachments", atts);
    }
    if all && kind == ItemKind::CalendarItem {
        text_default("ReminderIsSet", "true", &mut push);
        text_default("ReminderMinutesBeforeStart", "15", &mut push);
    }
    match kind {
        ItemKind::CalendarItem => calendar_parts(item, occ, &include, mailbox, &mut push),
        ItemKind::Task => {
            text_default("Status", "NotStarted", &mut push);
            text_default("PercentComplete", "0", &mut push);
            if include("IsComplete") {
                let done = item.text("Status").as_deref() == Some("Completed");
                push(
                    "IsComplete",
                    Element::t_text("IsComplete", done.to_string()),
                );
            }
            if include("IsRecurring") {
                push(
                    "IsRecurring",
                    Element::t_text(
                        "IsRecurring",
                        item.props.contains_key("Recurrence").to_string(),
                    ),
                );
            }
        }
        _ => {}
    }
    // Requested extended properties and dictionary entries.
    for p in &shape.additional {
        match p {
            PropPath::Extended(key, _) => {
                if let Some(v) = item.extended(key) {
                    let mut e = Element::t("ExtendedProperty").with_child(v.uri.clone());
                    if v.multi {
                        let mut vs = Element::t("Values");
                        for x in &v.values {
                            vs = vs.with_child(Element::t_text("Value", x.clone()));
                        }
                        e = e.with_child(vs);
                    } else {
                        e = e.with_child(Element::t_text(
                            "Value",
                            v.values.first().cloned().unwrap_or_default(),
                        ));
                    }
                    push("ExtendedProperty", e);
                }
            }
            PropPath::Indexed { dict, key, member } => {
                if wanted.contains(dict.as_str()) || all {
                    continue;
                }
                if let Some(d) = item.props.get(dict) {
                    let entries: Vec<Element> = d.elements().filter(|e| e.attr("Key") == Some(key)).cloned().map(|mut e| {
                        if let Some(m) = member {
                            e.children.retain(|c| matches!(c, crate::exchange::xml::Node::Element(x) if &x.name == m));
                        }
                        e
                    }).collect();
                    if !entries.is_empty() {
                        let mut out_d = Element::t(dict);
                        for e in entries {
                            out_d = out_d.with_child(e);
                        }
                        parts_merge(&mut push, dict, out_d);
                    }
                }
            }
            PropPath::Field(_) => {}
        }
    }
    parts.sort_by_key(|(p, _)| *p);
    out.push_str("<t:");
    out.push_str(kind.element());
    out.push('>');
    for (_, el) in &parts {
        el.write_to(out);
    }
    out.push_str("</t:");
    out.push_str(kind.element());
    out.push('>');
}

fn parts_merge(push: &mut dyn FnMut(&str, Element), name: &str, el: Element) {
    push(name, el);
}

fn wanted_names(kind: ItemKind, shape: &Shape) -> BTreeSet<String> {
    let mut set: BTreeSet<String> = BTreeSet::from(["ItemId".to_string()]);
    if shape.base == BaseShape::Default {
        let own: &[&str] = match kind {
            ItemKind::CalendarItem => DEFAULT_CALENDAR,
            ItemKind::Task => DEFAULT_TASK,
            ItemKind::Contact => DEFAULT_CONTACT,
            ItemKind::Item => &[],
        };
        set.extend(DEFAULT_COMMON.iter().chain(own).map(|s| s.to_string()));
    }
    for p in &shape.additional {
        if let PropPath::Field(n) = p {
            set.insert(n.clone());
        }
    }
    set
}

fn body_as(el: &Element, wanted: Option<&str>) -> Element {
    if el.name != "Body" {
        return el.clone();
    }
    let have = el.attr("BodyType").unwrap_or("Text");
    match (have, wanted) {
        ("HTML", Some("Text")) => Element::t("Body")
            .with_attr("BodyType", "Text")
            .with_text(strip_tags(&el.text())),
        ("Text", Some("HTML")) => {
            Element::t("Body")
                .with_attr("BodyType", "HTML")
                .with_text(format!(
                    "<html><body>{}</body></html>",
                    crate::exchange::xml::escape_text(&el.text())
                ))
        }
        _ => el.clone(),
    }
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

fn calendar_parts(
    item: &StoredItem,
    occ: Option<&OccurrenceView<'_>>,
    include: &dyn Fn(&str) -> bool,
    mailbox: &Mailbox,
    push: &mut dyn FnMut(&str, Element),
) {
    let master = item.is_recurring_master();
    if let Some(o) = occ {
        if include("Start") {
            push("Start", Element::t_text("Start", fmt_dt(o.start)));
        }
        if include("End") {
            push("End", Element::t_text("End", fmt_dt(o.end)));
        }
        if include("OriginalStart") {
            push(
                "OriginalStart",
                Element::t_text("OriginalStart", fmt_dt(o.original_start)),
            );
        }
    }
    if include("IsRecurring") {
        push(
            "IsRecurring",
            Element::t_text("IsRecurring", occ.is_some().to_string()),
        );
    }
    if include("CalendarItemType") {
        let t = match occ {
            Some(o) if o.exception.is_some() => "Exception",
            Some(_) => "Occurrence",
            None if master => "RecurringMaster",
            None => "Single",
        };
        push("CalendarItemType", Element::t_text("CalendarItemType", t));
    }
    if include("LegacyFreeBusyStatus") && !item.props.contains_key("LegacyFreeBusyStatus") {
        push(
            "LegacyFreeBusyStatus",
            Element::t_text("LegacyFreeBusyStatus", "Busy"),
        );
    }
    if include("IsMeeting") {
        let meeting = item.props.contains_key("RequiredAttendees")
            || item.props.contains_key("OptionalAttendees");
        push(
            "IsMeeting",
            Element::t_text("IsMeeting", meeting.to_string()),
        );
    }
    if include("Organizer") && !item.props.contains_key("Organizer") {
        push(
            "Organizer",
            Element::t("Organizer").with_child(
                Element::t("Mailbox")
                    .with_child(Element::t_text("Name", mailbox.display_name.clone()))
                    .with_child(Element::t_text("EmailAddress", mailbox.address.clone()))
                    .with_child(Element::t_text("RoutingType", "SMTP")),
            ),
        );
    }
    if occ.is_some() || !master {
        return;
    }
    if include("FirstOccurrence") || include("LastOccurrence") {
        let (first, last) = first_and_last(item);
        for (name, o) in [("FirstOccurrence", first), ("LastOccurrence", last)] {
            if let (true, Some(o)) = (include(name), o) {
                push(name, occurrence_info(name, item, &o));
            }
        }
    }
    if include("ModifiedOccurrences") && !item.exceptions.is_empty() {
        let mut m = Element::t("ModifiedOccurrences");
        let (start, _) = super::recurrence::master_span(item).unwrap_or_default();
        let all = occurrences(
            item,
            start - chrono::Duration::days(366),
            start + chrono::Duration::days(366 * 80),
        );
        for o in all.iter().filter(|o| o.exception.is_some()) {
            m = m.with_child(occurrence_info("Occurrence", item, o));
        }
        push("ModifiedOccurrences", m);
    }
    if include("DeletedOccurrences") && !item.deleted_occurrences.is_empty() {
        let mut d = Element::t("DeletedOccurrences");
        for idx in &item.deleted_occurrences {
            if let Some(o) = super::recurrence::occurrence_at(item, *idx) {
                d = d.with_child(
                    Element::t("DeletedOccurrence")
                        .with_child(Element::t_text("Start", fmt_dt(o.original_start))),
                );
            }
        }
        push("DeletedOccurrences", d);
    }
}

fn occurrence_info(name: &str, item: &StoredItem, o: &OccurrenceView<'_>) -> Element {
    let ck = o
        .exception
        .map_or(item.change_key.clone(), |e| e.change_key.clone());
    Element::t(name)
        .with_child(
            Element::t("ItemId")
                .with_attr("Id", occurrence_id(&item.id, o.index))
                .with_attr("ChangeKey", ck),
        )
        .with_child(Element::t_text("Start", fmt_dt(o.start)))
        .with_child(Element::t_text("End", fmt_dt(o.end)))
        .with_child(Element::t_text("OriginalStart", fmt_dt(o.original_start)))
}
