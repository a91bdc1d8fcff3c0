//! FindItem: list the items of a folder in a calendar window or page by
//! page, optionally restricted to those carrying our key.
//!
//! See <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/finditem-operation>.

use chrono::{DateTime, Utc};

use super::{Context, FolderRef, ItemShape, Operation, id_pair};
use crate::error::EwsError;
use crate::mapping::{ExtendedField, format_instant, parse_instant};
use crate::soap::response_messages;
use crate::xml::{Node, XmlWriter};

/// How FindItem pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum View {
    /// `CalendarView`: occurrences in `[start, end)`, at most `max`.
    Calendar {
        /// Window start.
        start: DateTime<Utc>,
        /// Window end.
        end: DateTime<Utc>,
        /// `MaxEntriesReturned`.
        max: u32,
    },
    /// `IndexedPageItemView` from `offset`, `max` per page.
    Indexed {
        /// `Offset` from the beginning.
        offset: u32,
        /// `MaxEntriesReturned`.
        max: u32,
    },
}

/// Finds items in one folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindItem {
    /// What to return of each item.
    pub shape: ItemShape,
    /// How to page.
    pub view: View,
    /// Only items whose extended property equals the value.
    pub restriction: Option<(ExtendedField, String)>,
    /// The folder.
    pub folder: FolderRef,
}

/// An item as FindItem lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundItem {
    /// Item id.
    pub id: String,
    /// Change key.
    pub change_key: String,
    /// `CalendarItemType`, when asked for.
    pub calendar_type: Option<String>,
    /// Start, when asked for.
    pub start: Option<DateTime<Utc>>,
}

/// One page of FindItem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindItemPage {
    /// The items.
    pub items: Vec<FoundItem>,
    /// `IncludesLastItemInRange`.
    pub includes_last: bool,
    /// `IndexedPagingOffset`: where the next page starts.
    pub next_offset: Option<u32>,
    /// `TotalItemsInView`.
    pub total: Option<u32>,
}

impl Operation for FindItem {
    const NAME: &'static str = "FindItem";
    type Response = FindItemPage;

    fn write_body(&self, w: &mut XmlWriter) {
        w.open("m:FindItem", &[("Traversal", "Shallow")]);
        self.shape.write(w, "m:ItemShape");
        match &self.view {
            View::Calendar { start, end, max } => {
                w.empty(
                    "m:CalendarView",
                    &[
                        ("MaxEntriesReturned", &max.to_string()),
                        ("StartDate", &format_instant(*start)),
                        ("EndDate", &format_instant(*end)),
                    ],
                );
            }
            View::Indexed { offset, max } => {
                w.empty(
                    "m:IndexedPageItemView",
                    &[
                        ("MaxEntriesReturned", &max.to_string()),
                        ("Offset", &offset.to_string()),
                        ("BasePoint", "Beginning"),
                    ],
                );
            }
        }
        if let Some((field, value)) = &self.restriction {
            w.open("m:Restriction", &[]).open("t:IsEqualTo", &[]);
            field.write_uri(w);
            w.open("t:FieldURIOrConstant", &[])
                .empty("t:Constant", &[("Value", value)])
                .close("t:FieldURIOrConstant")
                .close("t:IsEqualTo")
                .close("m:Restriction");
        }
        w.open("m:ParentFolderIds", &[]);
        self.folder.write(w);
        w.close("m:ParentFolderIds").close("m:FindItem");
    }

    fn parse_body(&self, body: Node<'_, '_>, cx: &Context<'_>) -> Result<FindItemPage, EwsError> {
        let msgs = response_messages(body, "FindItemResponse")?;
        let msg = msgs
            .first()
            .ok_or_else(|| EwsError::Unexpected("FindItem answered no response message".into()))?;
        let node = msg.ok(&cx.describe(Self::NAME), cx.mailbox)?;
        let root = node.child("RootFolder").ok_or_else(|| {
            EwsError::Unexpected(format!("{}: no RootFolder", cx.describe(Self::NAME)))
        })?;
        let items = root
            .child("Items")
            .map(|list| {
                list.children()
                    .filter_map(|item| {
                        let (id, change_key) = id_pair(item.child("ItemId")?)?;
                        Some(FoundItem {
                            id,
                            change_key,
                            calendar_type: item.child_text("CalendarItemType").map(str::to_owned),
                            start: item.child_text("Start").and_then(parse_instant),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(FindItemPage {
            items,
            includes_last: root.attr("IncludesLastItemInRange").as_deref() != Some("false"),
            next_offset: root
                .attr("IndexedPagingOffset")
                .and_then(|o| o.parse().ok()),
            total: root.attr("TotalItemsInView").and_then(|o| o.parse().ok()),
        })
    }
}
