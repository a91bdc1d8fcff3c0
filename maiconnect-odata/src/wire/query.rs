//! System query options and their percent-encoding, and key predicates in
//! resource paths.
//!
//! Reference: OData Version 2.0, URI Conventions, §4 (query options) and
//! §2 (resource path, key predicates).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::wire::filter::Filter;
use crate::wire::literal::Literal;

/// Characters left as they are in a query value: RFC 3986 unreserved.
/// Everything else — spaces, quotes, `&`, `=`, `+`, `#` — is encoded, so a
/// value can never end its parameter early.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Characters left as they are in a key predicate inside a path segment:
/// unreserved plus the predicate's own punctuation.
const KEY_PREDICATE: &AsciiSet = &QUERY_VALUE
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b',')
    .remove(b'=')
    .remove(b':');

/// Percent-encodes a query parameter value.
pub fn encode_value(v: &str) -> String {
    utf8_percent_encode(v, QUERY_VALUE).to_string()
}

/// `Set(literal)`, encoded for a path: `AppointmentSet(guid'…')`,
/// `AccountCollection('0000000200')`.
pub fn entity_path(set: &str, key: &Literal) -> String {
    format!(
        "{set}({})",
        utf8_percent_encode(&key.to_string(), KEY_PREDICATE)
    )
}

/// `Set(A=lit,B=lit)` for compound keys.
pub fn entity_path_compound(set: &str, keys: &[(&str, Literal)]) -> String {
    let parts: Vec<String> = keys.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!(
        "{set}({})",
        utf8_percent_encode(&parts.join(","), KEY_PREDICATE)
    )
}

/// The GUID key of the entity a `Location` header (or `__metadata.uri`)
/// names: `…/AppointmentSet(guid'…')` or `…/AttendeeSet(Guid=guid'…',…)`
/// (the part named `Guid`), percent-encoded or not.
pub fn guid_in_location(location: &str) -> Option<uuid::Uuid> {
    let path = location.split(['?', '#']).next()?;
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let inner = decoded.strip_suffix(')')?;
    let inner = &inner[inner.rfind('(')? + 1..];
    let parts: Vec<&str> = inner.split(',').collect();
    let literal = match parts.as_slice() {
        [only] if !only.contains('=') => *only,
        _ => parts.iter().find_map(|p| {
            let (name, value) = p.split_once('=')?;
            name.trim().eq_ignore_ascii_case("Guid").then_some(value)
        })?,
    };
    let literal = literal.trim();
    let quoted = match literal.get(..5) {
        Some(prefix) if prefix.eq_ignore_ascii_case("guid'") => &literal[4..],
        _ => literal,
    };
    uuid::Uuid::try_parse(quoted.trim_matches('\'')).ok()
}

/// The system query options of one request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query {
    /// `$filter`.
    pub filter: Option<Filter>,
    /// `$expand` (navigation properties).
    pub expand: Vec<&'static str>,
    /// `$select`.
    pub select: Vec<&'static str>,
    /// `$top`.
    pub top: Option<u32>,
    /// `$skip`.
    pub skip: Option<u32>,
    /// `$inlinecount=allpages`.
    pub inline_count: bool,
}

impl Query {
    /// A query with only a filter.
    pub fn filter(f: Filter) -> Query {
        Query {
            filter: Some(f),
            ..Query::default()
        }
    }

    /// The same query expanding `navigations`.
    pub fn expand(mut self, navigations: &[&'static str]) -> Query {
        self.expand.extend_from_slice(navigations);
        self
    }

    /// The encoded options, `$filter=…&$expand=…` (no leading `?`), each
    /// value percent-encoded.
    pub fn encode(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(f) = &self.filter {
            parts.push(format!("$filter={}", encode_value(&f.to_string())));
        }
        if !self.expand.is_empty() {
            parts.push(format!("$expand={}", encode_value(&self.expand.join(","))));
        }
        if !self.select.is_empty() {
            parts.push(format!("$select={}", encode_value(&self.select.join(","))));
        }
        if let Some(t) = self.top {
            parts.push(format!("$top={t}"));
        }
        if let Some(s) = self.skip {
            parts.push(format!("$skip={s}"));
        }
        if self.inline_count {
            parts.push("$inlinecount=allpages".into());
        }
        parts.join("&")
    }
}

/// Joins a path with encoded query parts, skipping empty ones.
pub fn with_query(path: &str, parts: &[&str]) -> String {
    let q: Vec<&str> = parts.iter().copied().filter(|p| !p.is_empty()).collect();
    if q.is_empty() {
        return path.to_owned();
    }
    let sep = if path.contains('?') { '&' } else { '?' };
    format!("{path}{sep}{}", q.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn encodes_every_option() {
        let q = Query {
            filter: Some(Filter::eq("EmailAddress", Literal::string("o'neil+x@a.de"))),
            expand: vec!["Attendee", "Attachments"],
            select: vec!["Guid"],
            top: Some(100),
            skip: Some(200),
            inline_count: true,
        };
        assert_eq!(
            q.encode(),
            "$filter=EmailAddress%20eq%20%27o%27%27neil%2Bx%40a.de%27&$expand=Attendee%2CAttachments&$select=Guid&$top=100&$skip=200&$inlinecount=allpages"
        );
    }

    #[test]
    fn builds_key_paths() {
        let g = uuid::Uuid::from_u128(1);
        assert_eq!(
            entity_path("AppointmentSet", &Literal::Guid(g)),
            "AppointmentSet(guid'00000000-0000-0000-0000-000000000001')"
        );
        assert_eq!(
            entity_path("AttachmentSet", &Literal::string("DOC 1/ä")),
            "AttachmentSet('DOC%201%2F%C3%A4')"
        );
        assert_eq!(
            entity_path_compound(
                "AttendeeSet",
                &[
                    ("Guid", Literal::Guid(g)),
                    ("PartnerGuid", Literal::Guid(g))
                ]
            ),
            "AttendeeSet(Guid=guid'00000000-0000-0000-0000-000000000001',PartnerGuid=guid'00000000-0000-0000-0000-000000000001')"
        );
        assert_eq!(with_query("X", &["", "a=1"]), "X?a=1");
        for location in [
            "http://gw.internal:8000/sap/opu/odata/NAG/S/AppointmentSet(guid'00000000-0000-0000-0000-000000000001')",
            "AppointmentSet(guid%2700000000-0000-0000-0000-000000000001%27)",
            "Tasks(Guid=guid'00000000-0000-0000-0000-000000000001')?sap-client=100",
            "X(PartnerGuid=guid'00000000-0000-0000-0000-000000000009',Guid=guid'00000000-0000-0000-0000-000000000001')",
            "X('00000000-0000-0000-0000-000000000001')",
        ] {
            assert_eq!(guid_in_location(location), Some(g), "{location}");
        }
        assert_eq!(guid_in_location("AttachmentSet('DOC1')"), None);
        assert_eq!(guid_in_location("AppointmentSet"), None);
        assert_eq!(with_query("X?b=2", &["a=1"]), "X?b=2&a=1");
    }

    proptest! {
        #[test]
        fn a_value_stays_one_parameter(s in any::<String>()) {
            let q = Query::filter(Filter::eq("Name", Literal::String(s.clone())));
            let url = url::Url::parse(&format!("http://h/S/Set?{}&sap-client=100", q.encode())).unwrap();
            let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
            prop_assert_eq!(pairs.len(), 2);
            prop_assert_eq!(&pairs[0].0, "$filter");
            prop_assert_eq!(&pairs[0].1, &format!("Name eq {}", Literal::String(s)));
            prop_assert_eq!(&pairs[1], &("sap-client".to_owned(), "100".to_owned()));
        }
    }
}
