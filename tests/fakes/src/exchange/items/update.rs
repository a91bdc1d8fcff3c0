//! `SetItemField`, `AppendToItemField` and `DeleteItemField` applied to a
//! property set.
//!
//! Reference: <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/updates-item>.

use std::collections::BTreeMap;

use maiconnect_core::model::Zone;

use super::fields::PropPath;
use super::parse::{extended_value, normalise, upsert_extended};
use crate::exchange::soap::EwsError;
use crate::exchange::state::ExtendedValue;
use crate::exchange::xml::{Element, Node};

/// One change of an `Updates` list.
#[derive(Debug, Clone)]
pub enum Change {
    /// `SetItemField`: the path and the new property element.
    Set(PropPath, Option<Element>),
    /// `AppendToItemField`.
    Append(PropPath, Option<Element>),
    /// `DeleteItemField`.
    Delete(PropPath),
}

impl Change {
    /// Reads one child of `Updates`.
    pub fn from_element(el: &Element) -> Result<Change, EwsError> {
        let mut children = el.elements();
        let path_el = children.next().ok_or_else(invalid)?;
        let path = PropPath::from_element(path_el).ok_or_else(invalid)?;
        // The value sits inside an item element: <t:CalendarItem><t:Start>…
        let value = children
            .next()
            .and_then(|item| item.first_element())
            .cloned();
        Ok(match el.name.as_str() {
            "SetItemField" => Change::Set(path, value),
            "AppendToItemField" => Change::Append(path, value),
            "DeleteItemField" => Change::Delete(path),
            _ => return Err(invalid()),
        })
    }

    /// The property it touches.
    pub fn path(&self) -> &PropPath {
        match self {
            Change::Set(p, _) | Change::Append(p, _) | Change::Delete(p) => p,
        }
    }
}

fn invalid() -> EwsError {
    EwsError::new(
        "ErrorInvalidPropertyRequest",
        "The update names no property or no value.",
    )
}

/// Applies one change to `props` / `extended`.
pub fn apply(
    change: &Change,
    props: &mut BTreeMap<String, Element>,
    extended: &mut Vec<ExtendedValue>,
    zone: Zone,
) -> Result<(), EwsError> {
    match change {
        Change::Set(PropPath::Field(_), Some(v)) => {
            props.insert(v.name.clone(), normalise(v, zone)?);
        }
        Change::Set(PropPath::Extended(..), Some(v))
        | Change::Append(PropPath::Extended(..), Some(v)) => {
            upsert_extended(extended, extended_value(v)?);
        }
        Change::Set(PropPath::Indexed { dict, key, member }, Some(v))
        | Change::Append(PropPath::Indexed { dict, key, member }, Some(v)) => {
            let entry = v
                .elements()
                .find(|e| e.attr("Key") == Some(key.as_str()))
                .cloned()
                .ok_or_else(invalid)?;
            let d = props
                .entry(dict.clone())
                .or_insert_with(|| Element::t(dict));
            merge_entry(d, entry, member.is_some());
        }
        Change::Append(PropPath::Field(name), Some(v)) => match props.get_mut(name) {
            Some(old) if name == "Body" => {
                let text = old.text() + &v.text();
                old.children = vec![Node::Text(text)];
            }
            Some(old) if is_list(name) => old.children.extend(v.children.iter().cloned()),
            _ => {
                props.insert(v.name.clone(), normalise(v, zone)?);
            }
        },
        Change::Delete(PropPath::Field(name)) => {
            props.remove(name);
        }
        Change::Delete(PropPath::Extended(key, _)) => extended.retain(|e| &e.key != key),
        Change::Delete(PropPath::Indexed { dict, key, member }) => {
            if let Some(d) = props.get_mut(dict) {
                match member {
                    None => d.children.retain(
                        |n| !matches!(n, Node::Element(e) if e.attr("Key") == Some(key.as_str())),
                    ),
                    Some(m) => {
                        for e in d
                            .elements_mut()
                            .filter(|e| e.attr("Key") == Some(key.as_str()))
                        {
                            e.children
                                .retain(|n| !matches!(n, Node::Element(x) if &x.name == m));
                        }
                    }
                }
                if d.elements().next().is_none() {
                    props.remove(dict);
                }
            }
        }
        Change::Set(_, None) | Change::Append(_, None) => return Err(invalid()),
    }
    Ok(())
}

fn is_list(name: &str) -> bool {
    matches!(
        name,
        "RequiredAttendees" | "OptionalAttendees" | "Resources" | "Categories"
    )
}

/// Merges a dictionary entry: a whole entry replaces; a physical-address
/// member replaces that member only.
fn merge_entry(dict: &mut Element, entry: Element, member_only: bool) {
    let key = entry.attr("Key").map(str::to_string);
    let existing = dict
        .elements_mut()
        .find(|e| e.attr("Key").map(str::to_string) == key);
    match existing {
        Some(old) if member_only => {
            for m in entry.elements() {
                old.children
                    .retain(|n| !matches!(n, Node::Element(x) if x.name == m.name));
                old.children.push(Node::Element(m.clone()));
            }
            // Keep the members in the schema's order.
            const ORDER: [&str; 5] = ["Street", "City", "State", "CountryOrRegion", "PostalCode"];
            old.children.sort_by_key(|n| match n {
                Node::Element(x) => ORDER.iter().position(|o| *o == x.name).unwrap_or(9),
                Node::Text(_) => 9,
            });
        }
        Some(old) => *old = entry,
        None => dict.children.push(Node::Element(entry)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::xml::parse;

    fn change(xml: &str) -> Change {
        let el = parse(xml.as_bytes()).unwrap();
        Change::from_element(&el).unwrap()
    }

    const T: &str = "xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\"";

    #[test]
    fn set_append_and_delete_reach_fields_entries_and_extended_properties() {
        let mut props = BTreeMap::new();
        let mut ext = vec![];
        let z = Zone::UTC;
        apply(&change(&format!("<t:SetItemField {T}><t:FieldURI FieldURI=\"item:Body\"/><t:Item><t:Body BodyType=\"Text\">a</t:Body></t:Item></t:SetItemField>")), &mut props, &mut ext, z).unwrap();
        apply(&change(&format!("<t:AppendToItemField {T}><t:FieldURI FieldURI=\"item:Body\"/><t:Item><t:Body BodyType=\"Text\">b</t:Body></t:Item></t:AppendToItemField>")), &mut props, &mut ext, z).unwrap();
        assert_eq!(props["Body"].text(), "ab");
        apply(&change(&format!("<t:SetItemField {T}><t:IndexedFieldURI FieldURI=\"contacts:PhysicalAddress:City\" FieldIndex=\"Business\"/><t:Contact><t:PhysicalAddresses><t:Entry Key=\"Business\"><t:City>Bonn</t:City></t:Entry></t:PhysicalAddresses></t:Contact></t:SetItemField>")), &mut props, &mut ext, z).unwrap();
        apply(&change(&format!("<t:SetItemField {T}><t:IndexedFieldURI FieldURI=\"contacts:PhysicalAddress:Street\" FieldIndex=\"Business\"/><t:Contact><t:PhysicalAddresses><t:Entry Key=\"Business\"><t:Street>Hauptstr. 1</t:Street></t:Entry></t:PhysicalAddresses></t:Contact></t:SetItemField>")), &mut props, &mut ext, z).unwrap();
        assert_eq!(
            props["PhysicalAddresses"].to_xml(),
            "<t:PhysicalAddresses><t:Entry Key=\"Business\"><t:Street>Hauptstr. 1</t:Street><t:City>Bonn</t:City></t:Entry></t:PhysicalAddresses>"
        );
        apply(&change(&format!("<t:SetItemField {T}><t:ExtendedFieldURI DistinguishedPropertySetId=\"PublicStrings\" PropertyName=\"K\" PropertyType=\"String\"/><t:Item><t:ExtendedProperty><t:ExtendedFieldURI DistinguishedPropertySetId=\"PublicStrings\" PropertyName=\"K\" PropertyType=\"String\"/><t:Value>1</t:Value></t:ExtendedProperty></t:Item></t:SetItemField>")), &mut props, &mut ext, z).unwrap();
        assert_eq!(ext[0].values, vec!["1"]);
        apply(&change(&format!("<t:DeleteItemField {T}><t:ExtendedFieldURI DistinguishedPropertySetId=\"PublicStrings\" PropertyName=\"K\" PropertyType=\"String\"/></t:DeleteItemField>")), &mut props, &mut ext, z).unwrap();
        assert!(ext.is_empty());
        apply(
            &change(&format!(
                "<t:DeleteItemField {T}><t:FieldURI FieldURI=\"item:Body\"/></t:DeleteItemField>"
            )),
            &mut props,
            &mut ext,
            z,
        )
        .unwrap();
        assert!(!props.contains_key("Body"));
    }
}
