//! Property paths: `FieldURI`, `IndexedFieldURI` and `ExtendedFieldURI`.
//!
//! Reference: <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/fielduri>.

use crate::exchange::state::ExtKey;
use crate::exchange::xml::Element;

/// Which property a request means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PropPath {
    /// A first-class property: its element name (`Subject`, `Start`).
    Field(String),
    /// One entry (and optionally one member) of a dictionary property.
    Indexed {
        /// The dictionary element (`EmailAddresses`, `PhysicalAddresses`).
        dict: String,
        /// `FieldIndex` (the entry's `Key`).
        key: String,
        /// For physical addresses: `Street`, `City`, …
        member: Option<String>,
    },
    /// An extended (MAPI) property.
    Extended(ExtKey, Element),
}

impl PropPath {
    /// Reads a path element; `None` for unknown forms.
    pub fn from_element(el: &Element) -> Option<PropPath> {
        match el.name.as_str() {
            "FieldURI" => {
                let uri = el.attr("FieldURI")?;
                Some(PropPath::Field(field_element(uri).to_string()))
            }
            "IndexedFieldURI" => {
                let uri = el.attr("FieldURI")?;
                let key = el.attr("FieldIndex")?.to_string();
                let (dict, member) = match uri {
                    "contacts:EmailAddress" => ("EmailAddresses", None),
                    "contacts:PhoneNumber" => ("PhoneNumbers", None),
                    "contacts:ImAddress" => ("ImAddresses", None),
                    "item:InternetMessageHeader" => ("InternetMessageHeaders", None),
                    other => {
                        let member = other.strip_prefix("contacts:PhysicalAddress:")?;
                        ("PhysicalAddresses", Some(member.to_string()))
                    }
                };
                Some(PropPath::Indexed {
                    dict: dict.into(),
                    key,
                    member,
                })
            }
            "ExtendedFieldURI" => Some(PropPath::Extended(ExtKey::from_uri(el)?, el.clone())),
            _ => None,
        }
    }

    /// The name used for change tracking (conflict detection).
    pub fn tracking_name(&self) -> String {
        match self {
            PropPath::Field(n) => n.clone(),
            PropPath::Indexed { dict, .. } => dict.clone(),
            PropPath::Extended(k, _) => format!("ExtendedProperty:{k:?}"),
        }
    }
}

/// The element name of a `FieldURI` (`calendar:Start` → `Start`).
pub fn field_element(uri: &str) -> &str {
    uri.rsplit(':').next().unwrap_or(uri)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_from_all_three_forms() {
        let f = Element::t("FieldURI").with_attr("FieldURI", "calendar:Start");
        assert_eq!(
            PropPath::from_element(&f),
            Some(PropPath::Field("Start".into()))
        );
        let i = Element::t("IndexedFieldURI")
            .with_attr("FieldURI", "contacts:PhysicalAddress:City")
            .with_attr("FieldIndex", "Business");
        assert_eq!(
            PropPath::from_element(&i),
            Some(PropPath::Indexed {
                dict: "PhysicalAddresses".into(),
                key: "Business".into(),
                member: Some("City".into())
            })
        );
        let e = Element::t("ExtendedFieldURI")
            .with_attr("DistinguishedPropertySetId", "PublicStrings")
            .with_attr("PropertyName", "S4Key")
            .with_attr("PropertyType", "String");
        let p = PropPath::from_element(&e).unwrap();
        assert!(p.tracking_name().contains("S4Key"));
    }
}
