//! The resource path and query options of a request, as
//! [OData v2 URI conventions](https://www.odata.org/documentation/odata-version-2-0/uri-conventions/)
//! define them: `Set`, `Set(key)`, `Set(key)/Nav`, `Set(key)/$value`,
//! `Set/$count`; `$filter`, `$top`, `$skip`, `$skiptoken`, `$select`,
//! `$expand`, `$inlinecount`, `$orderby`, `$format`.

use super::sap_error::SapError;
use crate::s4::edm::{EdmType, EntitySet, Service};
use crate::s4::filter::{Filter, is_partner_number};
use crate::s4::value::{Value, alpha, parse_iso};

/// What a request addresses inside a service.
#[derive(Debug, Clone, PartialEq)]
pub enum Resource {
    /// The service document.
    ServiceDocument,
    /// `$metadata`.
    Metadata,
    /// `$batch`.
    Batch,
    /// An entity set, an entity, a navigation, a media value or a count.
    Entities(EntityPath),
}

/// `Set(key)/Nav/$value` and its parts.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityPath {
    /// The set.
    pub set: &'static EntitySet,
    /// The key values in key order, if a key was given.
    pub key: Option<Vec<Value>>,
    /// A navigation property after the key.
    pub navigation: Option<&'static str>,
    /// `/$value` (media content).
    pub value: bool,
    /// `/$count`.
    pub count: bool,
}

/// Splits `Name(...)` at the parenthesis, respecting quotes.
fn split_segment(segment: &str) -> Result<(&str, Option<&str>), SapError> {
    let Some(open) = segment.find('(') else {
        return Ok((segment, None));
    };
    let inner = &segment[open + 1..];
    let Some(close) = inner.strip_suffix(')') else {
        return Err(SapError::bad_request(format!(
            "Malformed resource path segment '{segment}': the key predicate must end with ')'"
        )));
    };
    Ok((&segment[..open], Some(close)))
}

/// Splits at `sep` outside quotes.
fn split_outside_quotes(text: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut quoted = false;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c == '\'' {
            quoted = !quoted;
        } else if c == sep && !quoted {
            parts.push(&text[start..i]);
            start = i + c.len_utf8();
        }
    }
    parts.push(&text[start..]);
    parts
}

/// Parses one URI literal for a property of type `ty`.
fn literal(text: &str, ty: EdmType, name: &str) -> Option<Value> {
    let text = text.trim();
    let quoted = |prefix: &str| {
        text.strip_prefix(prefix)
            .and_then(|t| t.strip_prefix('\''))
            .and_then(|t| t.strip_suffix('\''))
    };
    match ty {
        EdmType::String => quoted("").map(|s| {
            let s = s.replace("''", "'");
            Value::Text(if is_partner_number(name) {
                alpha(&s)
            } else {
                s
            })
        }),
        EdmType::Guid => quoted("guid")
            .and_then(|s| uuid::Uuid::try_parse(s).ok())
            .map(Value::Guid),
        EdmType::DateTime => quoted("datetime").and_then(parse_iso).map(Value::DateTime),
        EdmType::DateTimeOffset => quoted("datetimeoffset")
            .and_then(parse_iso)
            .map(Value::DateTimeOffset),
        EdmType::Int32 => text.parse().ok().map(Value::Int),
        EdmType::Boolean => text.parse().ok().map(Value::Bool),
    }
}

/// Parses a key predicate (`guid'…'`, `'…'`, `A='…',B=guid'…'`).
pub fn parse_key(set: &EntitySet, text: &str) -> Result<Vec<Value>, SapError> {
    let keys: Vec<_> = set.keys().collect();
    let bad = |why: &str| {
        SapError::bad_request(format!(
            "Invalid key predicate '({text})' for entity set '{}': {why}",
            set.name
        ))
    };
    let parts = split_outside_quotes(text, ',');
    if parts.len() != keys.len() {
        return Err(bad(&format!("expected {} key properties", keys.len())));
    }
    if let ([(_, p)], [single]) = (keys.as_slice(), parts.as_slice())
        && !single.contains('=')
    {
        return literal(single, p.ty, p.name)
            .map(|v| vec![v])
            .ok_or_else(|| bad(&format!("'{single}' is not a {} literal", p.ty.edm_name())));
    }
    let mut values = vec![Value::Null; keys.len()];
    for part in parts {
        let Some((name, lit)) = part.split_once('=') else {
            return Err(bad("name every key property: Name=value"));
        };
        let Some(slot) = keys.iter().position(|(_, p)| p.name == name.trim()) else {
            return Err(bad(&format!("'{name}' is not a key property")));
        };
        let p = keys[slot].1;
        values[slot] = literal(lit, p.ty, p.name)
            .ok_or_else(|| bad(&format!("'{lit}' is not a {} literal", p.ty.edm_name())))?;
    }
    Ok(values)
}

/// Parses the resource path (percent-decoded, after the service root).
pub fn parse_resource(service: &Service, path: &str) -> Result<Resource, SapError> {
    let path = path.trim_end_matches('/');
    match path {
        "" => return Ok(Resource::ServiceDocument),
        "$metadata" => return Ok(Resource::Metadata),
        "$batch" => return Ok(Resource::Batch),
        _ => {}
    }
    let segments = split_outside_quotes(path, '/');
    let (name, key) = split_segment(segments[0])?;
    let Some(set) = service.set(name) else {
        return Err(SapError::not_found(format!(
            "Resource not found for segment '{name}': service {} has no such entity set",
            service.name
        )));
    };
    let key = key.map(|k| parse_key(set, k)).transpose()?;
    let mut entity = EntityPath {
        set,
        key,
        navigation: None,
        value: false,
        count: false,
    };
    for segment in &segments[1..] {
        match *segment {
            "$value" if entity.key.is_some() && entity.navigation.is_none() => entity.value = true,
            "$count" if !entity.count => entity.count = true,
            nav if entity.key.is_some() && entity.navigation.is_none() && !entity.value => {
                let Some(n) = set.navigation(nav) else {
                    return Err(SapError::not_found(format!(
                        "Resource not found for segment '{nav}': type '{}' has no navigation property of that name",
                        set.type_name
                    )));
                };
                entity.navigation = Some(n.name);
            }
            other => {
                return Err(SapError::bad_request(format!(
                    "Resource path segment '{other}' is not supported here"
                )));
            }
        }
    }
    Ok(Resource::Entities(entity))
}

/// The system query options of a read.
#[derive(Debug, Clone, Default)]
pub struct QueryOptions {
    /// `$filter`.
    pub filter: Option<Filter>,
    /// `$top`.
    pub top: Option<usize>,
    /// `$skip`.
    pub skip: usize,
    /// `$skiptoken` (the fake's tokens are offsets).
    pub skiptoken: usize,
    /// `$select` (property and navigation names); `None`: everything.
    pub select: Option<Vec<String>>,
    /// `$expand` (navigation names).
    pub expand: Vec<String>,
    /// `$inlinecount=allpages`.
    pub inline_count: bool,
    /// `$orderby`: property index and descending.
    pub order_by: Vec<(usize, bool)>,
}

fn number(name: &str, value: &str) -> Result<usize, SapError> {
    value.trim().parse().map_err(|_| {
        SapError::bad_request(format!(
            "System query option '{name}' must be a non-negative integer, not '{value}'"
        ))
    })
}

impl QueryOptions {
    /// Reads the options for a request on `set` (`None` for requests that
    /// address no entity set).
    pub fn parse(
        set: Option<&EntitySet>,
        query: &[(String, String)],
    ) -> Result<QueryOptions, SapError> {
        let mut o = QueryOptions::default();
        for (name, value) in query {
            if !name.starts_with('$') {
                continue; // sap-client, sap-language and custom options
            }
            match (name.as_str(), set) {
                ("$format", _) => match value.as_str() {
                    "json" => {}
                    other => {
                        return Err(SapError::bad_request(format!(
                            "$format={other} is not offered by the fake (it answers JSON only); use $format=json"
                        )));
                    }
                },
                ("$filter", Some(set)) => {
                    o.filter = Some(Filter::parse(value, set).map_err(SapError::bad_request)?);
                }
                ("$top", _) => o.top = Some(number(name, value)?),
                ("$skip", _) => o.skip = number(name, value)?,
                ("$skiptoken", _) => o.skiptoken = number(name, value)?,
                ("$inlinecount", _) => match value.as_str() {
                    "allpages" => o.inline_count = true,
                    "none" => o.inline_count = false,
                    other => {
                        return Err(SapError::bad_request(format!(
                            "$inlinecount={other} is invalid; use allpages or none"
                        )));
                    }
                },
                ("$select", Some(set)) => {
                    let names: Vec<String> =
                        value.split(',').map(|s| s.trim().to_owned()).collect();
                    if names.iter().any(|n| n == "*") {
                        continue;
                    }
                    for n in &names {
                        if set.property(n).is_none() && set.navigation(n).is_none() {
                            return Err(SapError::bad_request(format!(
                                "$select: property '{n}' not found in type '{}'",
                                set.type_name
                            )));
                        }
                    }
                    o.select = Some(names);
                }
                ("$expand", Some(set)) => {
                    for n in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                        if n.contains('/') {
                            return Err(SapError::bad_request(format!(
                                "$expand: nested path '{n}' is not supported"
                            )));
                        }
                        if set.navigation(n).is_none() {
                            return Err(SapError::bad_request(format!(
                                "$expand: navigation property '{n}' not found in type '{}'",
                                set.type_name
                            )));
                        }
                        o.expand.push(n.to_owned());
                    }
                }
                ("$orderby", Some(set)) => {
                    for item in value.split(',').map(str::trim) {
                        let (prop, desc) = match item.split_once(' ') {
                            Some((p, dir)) if dir.trim() == "desc" => (p, true),
                            Some((p, dir)) if dir.trim() == "asc" => (p, false),
                            Some(_) => {
                                return Err(SapError::bad_request(format!(
                                    "$orderby: '{item}' must be 'Property asc' or 'Property desc'"
                                )));
                            }
                            None => (item, false),
                        };
                        let Some(i) = set.index(prop) else {
                            return Err(SapError::bad_request(format!(
                                "$orderby: property '{prop}' not found in type '{}'",
                                set.type_name
                            )));
                        };
                        o.order_by.push((i, desc));
                    }
                }
                (_, None)
                    if matches!(
                        name.as_str(),
                        "$filter" | "$select" | "$expand" | "$orderby"
                    ) => {}
                (other, _) => {
                    return Err(SapError::bad_request(format!(
                        "System query option '{other}' is not supported"
                    )));
                }
            }
        }
        Ok(o)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::s4::edm::ServiceId;

    #[test]
    fn paths_with_keys_navigations_and_values() {
        let s = ServiceId::Appointments.service();
        let Resource::Entities(e) = parse_resource(
            s,
            "AppointmentSet(guid'0050568c-2b4f-1ee8-a1b2-c3d4e5f60718')/Attendee",
        )
        .unwrap() else {
            panic!()
        };
        assert_eq!(e.set.name, "AppointmentSet");
        assert_eq!(e.navigation, Some("Attendee"));
        let Resource::Entities(e) = parse_resource(s, "AttendeeSet(Guid=guid'0050568c-2b4f-1ee8-a1b2-c3d4e5f60718',PartnerGuid=guid'00000000-0000-0000-0000-000000000001')").unwrap() else {
            panic!()
        };
        assert_eq!(e.key.unwrap().len(), 2);
        let Resource::Entities(e) = parse_resource(s, "AttachmentSet('A/B''C')/$value").unwrap()
        else {
            panic!()
        };
        assert_eq!(e.key, Some(vec![Value::Text("A/B'C".into())]));
        assert!(e.value);
        assert_eq!(parse_resource(s, "$metadata").unwrap(), Resource::Metadata);
        assert_eq!(parse_resource(s, "").unwrap(), Resource::ServiceDocument);
        let p = ServiceId::Partners.service();
        let Resource::Entities(e) = parse_resource(p, "AccountCollection('200')").unwrap() else {
            panic!()
        };
        assert_eq!(e.key, Some(vec![Value::Text("0000000200".into())]));
    }

    #[test]
    fn bad_paths_are_errors() {
        let s = ServiceId::Appointments.service();
        assert_eq!(parse_resource(s, "Nope").unwrap_err().status, 404);
        assert_eq!(
            parse_resource(s, "AppointmentSet('x')").unwrap_err().status,
            400
        );
        assert_eq!(
            parse_resource(s, "AppointmentSet(guid'x'")
                .unwrap_err()
                .status,
            400
        );
        assert_eq!(
            parse_resource(
                s,
                "AppointmentSet(guid'0050568c-2b4f-1ee8-a1b2-c3d4e5f60718')/Foo"
            )
            .unwrap_err()
            .status,
            404
        );
        assert_eq!(
            parse_resource(
                s,
                "AttendeeSet(Guid=guid'0050568c-2b4f-1ee8-a1b2-c3d4e5f60718')"
            )
            .unwrap_err()
            .status,
            400
        );
    }

    #[test]
    fn query_options_are_checked() {
        let set = ServiceId::Appointments
            .service()
            .set("AppointmentSet")
            .unwrap();
        let q = |pairs: &[(&str, &str)]| {
            let v: Vec<(String, String)> = pairs
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect();
            QueryOptions::parse(Some(set), &v)
        };
        let o = q(&[
            ("$top", "5"),
            ("$expand", "Attendee"),
            ("$inlinecount", "allpages"),
            ("sap-client", "100"),
        ])
        .unwrap();
        assert_eq!((o.top, o.inline_count), (Some(5), true));
        assert_eq!(q(&[("$top", "-1")]).unwrap_err().status, 400);
        assert!(
            q(&[("$expand", "Foo")])
                .unwrap_err()
                .message
                .contains("Foo")
        );
        assert!(
            q(&[("$select", "Guid,Nope")])
                .unwrap_err()
                .message
                .contains("Nope")
        );
        assert!(q(&[("$search", "x")]).is_err());
        assert!(q(&[("$format", "xml")]).is_err());
        assert_eq!(
            q(&[("$orderby", "FromDate desc")]).unwrap().order_by,
            vec![(3, true)]
        );
    }
}
