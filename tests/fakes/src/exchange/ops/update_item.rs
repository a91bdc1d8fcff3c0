//! UpdateItem: change keys, conflict resolution, occurrences turned into
//! exceptions.
//!
//! Reference: <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/updateitem-operation>.

use base64::Engine;
use maiconnect_core::model::Zone;

use super::Ctx;
use crate::exchange::items::fields::PropPath;
use crate::exchange::items::parse::item_zone;
use crate::exchange::items::recurrence::{self, occurrence_at};
use crate::exchange::items::time::{fmt_dt, zone_named};
use crate::exchange::items::update::{Change, apply};
use crate::exchange::soap::{EwsError, error_message, open_message, response_close, response_open};
use crate::exchange::state::item::OccurrenceException;
use crate::exchange::state::{EventKind, ItemKind, ItemRef};
use crate::exchange::xml::{Element, escape_attr};

fn conflict() -> EwsError {
    EwsError::new(
        "ErrorIrresolvableConflict",
        "The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.",
    )
}

/// UpdateItem.
pub fn update_item(ctx: &mut Ctx<'_>, body: &Element) -> String {
    let resolution = body
        .attr("ConflictResolution")
        .unwrap_or("AutoResolve")
        .to_string();
    let notify = matches!(
        body.attr("SendMeetingInvitationsOrCancellations"),
        Some(
            "SendToAllAndSaveCopy"
                | "SendOnlyToAll"
                | "SendToChangedAndSaveCopy"
                | "SendOnlyToChanged"
        )
    );
    let mut out = response_open("UpdateItem");
    for change in body
        .child("ItemChanges")
        .into_iter()
        .flat_map(|c| c.elements())
    {
        match one(ctx, change, &resolution) {
            Ok((kind, id, ck, master)) => {
                if notify && kind == ItemKind::CalendarItem {
                    ctx.sent("Update", &master);
                }
                open_message(&mut out, "UpdateItemResponseMessage", Ok(()));
                out.push_str(&format!(
                    "<m:Items><t:{k}><t:ItemId Id=\"{}\" ChangeKey=\"{}\"/></t:{k}></m:Items><m:ConflictResults><t:Count>0</t:Count></m:ConflictResults></m:UpdateItemResponseMessage>",
                    escape_attr(&id),
                    escape_attr(&ck),
                    k = kind.element()
                ));
            }
            Err(e) => error_message(&mut out, "UpdateItemResponseMessage", &e),
        }
    }
    out.push_str(&response_close("UpdateItem"));
    out
}

/// Applies one `ItemChange`; returns (kind, id, new change key, master id).
fn one(
    ctx: &mut Ctx<'_>,
    change: &Element,
    resolution: &str,
) -> Result<(ItemKind, String, String, String), EwsError> {
    let id_el = change.first_element().ok_or_else(EwsError::id_malformed)?;
    let target = ctx.item_ref(id_el)?;
    let given = id_el.attr("ChangeKey").map(str::to_string);
    if let Some(g) = &given
        && base64::engine::general_purpose::STANDARD.decode(g).is_err()
    {
        return Err(EwsError::new(
            "ErrorInvalidChangeKey",
            "The change key is invalid.",
        ));
    }
    let changes: Vec<Change> = change
        .child("Updates")
        .into_iter()
        .flat_map(|u| u.elements())
        .map(Change::from_element)
        .collect::<Result<_, _>>()?;
    let touched: Vec<String> = changes.iter().map(|c| c.path().tracking_name()).collect();
    let new_ck = ctx.world.ids().change_key();
    let now = ctx.world.now();
    match target {
        ItemRef::Item(id) => {
            let item = &ctx.mb().items[&id];
            check_change_key(
                given.as_deref(),
                resolution,
                &item.change_key,
                || item.changed_since(given.as_deref().unwrap_or_default()),
                &touched,
            )?;
            let mut props = item.props.clone();
            let mut extended = item.extended.clone();
            let zone = update_zone(&changes, &recurrence::item_zone(item), ctx.tz);
            for c in &changes {
                apply(c, &mut props, &mut extended, zone)?;
            }
            let folder = item.folder_id.clone();
            let seq = ctx.item_event(EventKind::Modified, &id, &new_ck, &folder);
            let item = ctx
                .mb_mut()
                .items
                .get_mut(&id)
                .ok_or_else(EwsError::item_not_found)?;
            if props.get("Recurrence") != item.props.get("Recurrence") {
                item.exceptions.clear();
                item.deleted_occurrences.clear();
            }
            item.props = props;
            item.extended = extended;
            item.zone = zone.to_string();
            item.bump(new_ck.clone(), touched, now, seq);
            Ok((item.kind, id.clone(), new_ck, id))
        }
        ItemRef::Occurrence { master, index } => {
            let item = &ctx.mb().items[&master];
            let occ = occurrence_at(item, index).ok_or_else(EwsError::item_not_found)?;
            let current = occ
                .exception
                .map_or(item.change_key.clone(), |e| e.change_key.clone());
            check_change_key(given.as_deref(), resolution, &current, || None, &touched)?;
            let mut ex = occ
                .exception
                .cloned()
                .unwrap_or_else(|| OccurrenceException {
                    change_key: String::new(),
                    props: Default::default(),
                    original_start: occ.original_start,
                });
            if !ex.props.contains_key("Start") {
                ex.props
                    .insert("Start".into(), Element::t_text("Start", fmt_dt(occ.start)));
                ex.props
                    .insert("End".into(), Element::t_text("End", fmt_dt(occ.end)));
            }
            let mut ext = item.extended.clone();
            let zone = recurrence::item_zone(item);
            let folder = item.folder_id.clone();
            for c in &changes {
                if matches!(c.path(), PropPath::Field(n) if n == "Recurrence") {
                    return Err(EwsError::new(
                        "ErrorInvalidPropertyForOperation",
                        "An occurrence has no recurrence of its own; update the master.",
                    ));
                }
                apply(c, &mut ex.props, &mut ext, zone)?;
            }
            ex.change_key = ctx.world.ids().change_key();
            let occ_ck = ex.change_key.clone();
            let seq = ctx.item_event(EventKind::Modified, &master, &new_ck, &folder);
            let item = ctx
                .mb_mut()
                .items
                .get_mut(&master)
                .ok_or_else(EwsError::item_not_found)?;
            item.exceptions.insert(index, ex);
            item.extended = ext;
            item.bump(new_ck, vec!["ModifiedOccurrences".into()], now, seq);
            let occ_id = crate::exchange::state::ids::occurrence_id(&master, index);
            Ok((ItemKind::CalendarItem, occ_id, occ_ck, master))
        }
    }
}

fn check_change_key(
    given: Option<&str>,
    resolution: &str,
    current: &str,
    changed_since: impl FnOnce() -> Option<std::collections::BTreeSet<String>>,
    touched: &[String],
) -> Result<(), EwsError> {
    let Some(given) = given else {
        return Ok(());
    };
    if given == current || resolution == "AlwaysOverwrite" {
        return Ok(());
    }
    if resolution == "NeverOverwrite" {
        return Err(conflict());
    }
    // AutoResolve: a stale change key passes when the properties changed
    // since then are not the ones this update sets.
    match changed_since() {
        Some(changed) if !touched.iter().any(|t| changed.contains(t)) => Ok(()),
        _ => Err(conflict()),
    }
}

/// The zone after the update: a new `StartTimeZone` wins.
fn update_zone(changes: &[Change], current: &Zone, context: Option<Zone>) -> Zone {
    for c in changes {
        if let Change::Set(_, Some(v)) = c {
            if v.name == "StartTimeZone"
                && let Some(z) = v.attr("Id").and_then(zone_named)
            {
                return z;
            }
            if v.name == "Start" && !v.text().ends_with('Z') {
                let wrapper = Element::t("CalendarItem");
                return item_zone(&wrapper, context.or(Some(*current)));
            }
        }
    }
    *current
}
