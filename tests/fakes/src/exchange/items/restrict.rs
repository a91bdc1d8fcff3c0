//! FindItem `Restriction`s evaluated against stored items.
//!
//! Reference: <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/restriction>.

use chrono::{DateTime, Utc};
use maiconnect_core::model::Zone;

use super::fields::PropPath;
use super::time::{fmt_dt, parse_dt};
use crate::exchange::state::StoredItem;
use crate::exchange::xml::Element;

/// Whether `item` matches the restriction's search expression.
pub fn matches(expr: &Element, item: &StoredItem) -> bool {
    match expr.name.as_str() {
        "Restriction" => expr.first_element().is_none_or(|e| matches(e, item)),
        "And" => expr.elements().all(|e| matches(e, item)),
        "Or" => expr.elements().any(|e| matches(e, item)),
        "Not" => !expr.first_element().is_some_and(|e| matches(e, item)),
        "Exists" => expr
            .first_element()
            .and_then(PropPath::from_element)
            .is_some_and(|p| !values(&p, item).is_empty()),
        "Contains" => contains(expr, item),
        "IsEqualTo"
        | "IsNotEqualTo"
        | "IsGreaterThan"
        | "IsGreaterThanOrEqualTo"
        | "IsLessThan"
        | "IsLessThanOrEqualTo" => compare(expr, item),
        _ => false,
    }
}

fn operands(expr: &Element) -> Option<(PropPath, String)> {
    let mut it = expr.elements();
    let path = PropPath::from_element(it.next()?)?;
    let constant = it.next()?;
    let constant = constant.child("Constant").unwrap_or(constant);
    Some((path, constant.attr("Value")?.to_string()))
}

fn compare(expr: &Element, item: &StoredItem) -> bool {
    let Some((path, constant)) = operands(expr) else {
        return false;
    };
    let vals = values(&path, item);
    if vals.is_empty() {
        return expr.name == "IsNotEqualTo";
    }
    let test = |v: &String| {
        let ord = order(v, &constant);
        match expr.name.as_str() {
            "IsEqualTo" => ord.is_eq(),
            "IsNotEqualTo" => ord.is_ne(),
            "IsGreaterThan" => ord.is_gt(),
            "IsGreaterThanOrEqualTo" => ord.is_ge(),
            "IsLessThan" => ord.is_lt(),
            _ => ord.is_le(),
        }
    };
    if expr.name == "IsNotEqualTo" {
        vals.iter().all(test)
    } else {
        vals.iter().any(test)
    }
}

fn order(a: &str, b: &str) -> std::cmp::Ordering {
    let dt = |s: &str| -> Option<DateTime<Utc>> { parse_dt(s, Zone::UTC) };
    if let (Some(x), Some(y)) = (dt(a), dt(b))
        && (a.contains('T') || b.contains('T'))
    {
        return x.cmp(&y);
    }
    if let (Ok(x), Ok(y)) = (a.trim().parse::<f64>(), b.trim().parse::<f64>()) {
        return x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal);
    }
    a.to_lowercase().cmp(&b.to_lowercase())
}

fn contains(expr: &Element, item: &StoredItem) -> bool {
    let Some(path) = expr.first_element().and_then(PropPath::from_element) else {
        return false;
    };
    let Some(needle) = expr.child("Constant").and_then(|c| c.attr("Value")) else {
        return false;
    };
    let ignore = expr
        .attr("ContainmentComparison")
        .is_some_and(|c| c.contains("Ignore") || c == "Loose");
    let mode = expr.attr("ContainmentMode").unwrap_or("FullString");
    let norm = |s: &str| {
        if ignore {
            s.to_lowercase()
        } else {
            s.to_string()
        }
    };
    let needle = norm(needle);
    values(&path, item).iter().any(|v| {
        let v = norm(v);
        match mode {
            "Prefixed" => v.starts_with(&needle),
            "Substring" | "ExactPhrase" => v.contains(&needle),
            "PrefixOnWords" => v.split_whitespace().any(|w| w.starts_with(&needle)),
            _ => v == needle,
        }
    })
}

/// The value(s) of a property of an item, as text.
pub fn values(path: &PropPath, item: &StoredItem) -> Vec<String> {
    match path {
        PropPath::Extended(key, _) => item
            .extended(key)
            .map(|e| e.values.clone())
            .unwrap_or_default(),
        PropPath::Indexed { dict, key, member } => item
            .props
            .get(dict)
            .into_iter()
            .flat_map(|d| d.elements())
            .filter(|e| e.attr("Key") == Some(key.as_str()))
            .map(|e| match member {
                Some(m) => e.child_text(m).unwrap_or_default(),
                None => e.text(),
            })
            .filter(|s| !s.is_empty())
            .collect(),
        PropPath::Field(name) => match name.as_str() {
            "ItemClass" => vec![
                item.text("ItemClass")
                    .unwrap_or_else(|| item.kind.item_class().into()),
            ],
            "DateTimeCreated" => vec![fmt_dt(item.created)],
            "LastModifiedTime" => vec![fmt_dt(item.modified)],
            "ItemId" => vec![item.id.clone()],
            "HasAttachments" => vec![(!item.attachments.is_empty()).to_string()],
            "Categories" => item
                .props
                .get("Categories")
                .map(|c| c.elements().map(Element::text).collect())
                .unwrap_or_default(),
            other => item.text(other).into_iter().collect(),
        },
    }
}
