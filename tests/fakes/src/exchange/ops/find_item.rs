//! FindItem: calendar views with expanded occurrences, paged views,
//! restrictions and sort orders.
//!
//! Reference: <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/finditem-operation>.

use chrono::{DateTime, Utc};
use maiconnect_core::model::Zone;

use super::Ctx;
use crate::exchange::items::fields::PropPath;
use crate::exchange::items::recurrence::{OccurrenceView, master_span, occurrences};
use crate::exchange::items::render::{Shape, View, render};
use crate::exchange::items::restrict::{matches, values};
use crate::exchange::items::time::parse_dt;
use crate::exchange::soap::{EwsError, error_message, open_message, response_close, response_open};
use crate::exchange::state::StoredItem;
use crate::exchange::xml::Element;

/// FindItem.
pub fn find_item(ctx: &mut Ctx<'_>, body: &Element) -> String {
    let shape = Shape::from_element(body.child("ItemShape"));
    let mut out = response_open("FindItem");
    for fid in body
        .child("ParentFolderIds")
        .into_iter()
        .flat_map(|f| f.elements())
    {
        match ctx
            .folder(fid)
            .and_then(|folder| one_folder(ctx, body, &shape, &folder))
        {
            Ok(xml) => {
                open_message(&mut out, "FindItemResponseMessage", Ok(()));
                out.push_str(&xml);
                out.push_str("</m:FindItemResponseMessage>");
            }
            Err(e) => error_message(&mut out, "FindItemResponseMessage", &e),
        }
    }
    out.push_str(&response_close("FindItem"));
    out
}

fn one_folder(
    ctx: &Ctx<'_>,
    body: &Element,
    shape: &Shape,
    folder: &str,
) -> Result<String, EwsError> {
    let mb = ctx.mb();
    let restriction = body.child("Restriction");
    let mut items: Vec<&StoredItem> = mb
        .items
        .values()
        .filter(|i| i.folder_id == folder)
        .filter(|i| restriction.is_none_or(|r| matches(r, i)))
        .collect();
    items.sort_by_key(|i| i.created_seq);
    if let Some(order) = body.child("SortOrder") {
        sort(&mut items, order);
    }
    let mut out = String::new();
    if let Some(view) = body.child("CalendarView") {
        let bad = || {
            EwsError::new(
                "ErrorInvalidRequest",
                "CalendarView needs StartDate and EndDate.",
            )
        };
        let tz = ctx.tz.unwrap_or(Zone::UTC);
        let start = view
            .attr("StartDate")
            .and_then(|s| parse_dt(s, tz))
            .ok_or_else(bad)?;
        let end = view
            .attr("EndDate")
            .and_then(|s| parse_dt(s, tz))
            .ok_or_else(bad)?;
        if end < start {
            return Err(EwsError::new(
                "ErrorCalendarEndDateIsEarlierThanStartDate",
                "EndDate is earlier than StartDate.",
            ));
        }
        let rows = calendar_rows(&items, start, end);
        let max = view
            .attr("MaxEntriesReturned")
            .and_then(|m| m.parse::<usize>().ok());
        let total = rows.len();
        let shown = max.map_or(total, |m| m.min(total));
        out.push_str(&format!(
            "<m:RootFolder TotalItemsInView=\"{total}\" IncludesLastItemInRange=\"{}\"><t:Items>",
            shown == total
        ));
        for (item, occ) in rows.iter().take(shown) {
            match occ {
                Some(o) => render(&mut out, item, View::Occurrence(o), shape, mb),
                None => render(&mut out, item, View::Item, shape, mb),
            }
        }
        out.push_str("</t:Items></m:RootFolder>");
        return Ok(out);
    }
    let total = items.len();
    let (offset, max) = match body.child("IndexedPageItemView") {
        Some(v) => {
            let max = v
                .attr("MaxEntriesReturned")
                .and_then(|m| m.parse::<usize>().ok());
            let off = v
                .attr("Offset")
                .and_then(|o| o.parse::<usize>().ok())
                .unwrap_or(0);
            let off = if v.attr("BasePoint") == Some("End") {
                total.saturating_sub(off + max.unwrap_or(total))
            } else {
                off
            };
            (off, max)
        }
        None => (0, None),
    };
    let page: Vec<&&StoredItem> = items
        .iter()
        .skip(offset)
        .take(max.unwrap_or(usize::MAX))
        .collect();
    let next = offset + page.len();
    out.push_str(&format!(
        "<m:RootFolder IndexedPagingOffset=\"{next}\" TotalItemsInView=\"{total}\" IncludesLastItemInRange=\"{}\"><t:Items>",
        next >= total
    ));
    for item in page {
        render(&mut out, item, View::Item, shape, mb);
    }
    out.push_str("</t:Items></m:RootFolder>");
    Ok(out)
}

type Row<'a> = (&'a StoredItem, Option<OccurrenceView<'a>>);

/// Single items overlapping the window and the occurrences of masters, by
/// start.
fn calendar_rows<'a>(
    items: &[&'a StoredItem],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<Row<'a>> {
    let mut rows: Vec<(DateTime<Utc>, Row<'a>)> = Vec::new();
    for item in items {
        if item.is_recurring_master() {
            for o in occurrences(item, from, to) {
                rows.push((o.start, (*item, Some(o))));
            }
        } else if let Some((s, e)) = master_span(item)
            && s < to
            && (e > from || (s == e && s >= from))
        {
            rows.push((s, (*item, None)));
        }
    }
    rows.sort_by_key(|(s, _)| *s);
    rows.into_iter().map(|(_, r)| r).collect()
}

fn sort(items: &mut [&StoredItem], order: &Element) {
    let Some(field) = order.child("FieldOrder") else {
        return;
    };
    let Some(path) = field.first_element().and_then(PropPath::from_element) else {
        return;
    };
    let descending = field.attr("Order") == Some("Descending");
    items.sort_by(|a, b| {
        let (x, y) = (values(&path, a), values(&path, b));
        let o = x.first().cmp(&y.first());
        if descending { o.reverse() } else { o }
    });
}
