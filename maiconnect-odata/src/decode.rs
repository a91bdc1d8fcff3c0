//! `decode`: any OData response body → a JSON value of what was
//! understood. Behind the hub's `decode odata FILE` command.
//!
//! The output names the kind (`entity`, `collection`, `error`, `batch`,
//! `metadata`, `value`); an error names its format (`json`, `xml`, `html`,
//! `text`) and gives its message in `text`, whatever shape it came in and gives typed values: `/Date(…)/` as RFC 3339 with its EDM
//! type, `PT…` durations as times, deferred and expanded navigation
//! properties apart from plain properties.

use serde_json::{Map, Value, json};

use crate::error::ODataError;
use crate::wire::batch::{HttpPart, ResponsePart, parse_batch};
use crate::wire::batch_sniff;
use crate::wire::error_text::{looks_like_html, readable_text};
use crate::wire::metadata::{Metadata, parse_metadata};
use crate::wire::sap_error::SapError;
use crate::wire::value::{parse_datetime_offset, parse_time};

/// Decodes a response body.
pub fn decode(bytes: &[u8]) -> Result<Value, ODataError> {
    decode_with(bytes, None)
}

/// Decodes a response body, typing the properties of entities whose
/// `__metadata.type` the service's `$metadata` declares (`Edm.Int64` and
/// `Edm.Decimal` strings become numbers with their type, GUIDs are named).
pub fn decode_with(bytes: &[u8], meta: Option<&Metadata>) -> Result<Value, ODataError> {
    let body = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(bytes)
        .trim_ascii_start();
    match body.first() {
        Some(b'{') | Some(b'[') => decode_json(body, meta),
        Some(b'<') => decode_xml(body),
        Some(_) => match batch_sniff(body) {
            Some(boundary) => decode_batch(body, &boundary, meta),
            None => decode_text(body),
        },
        None => Err(ODataError::Invalid(
            "the body is empty; nothing to decode".into(),
        )),
    }
}

fn not_odata() -> ODataError {
    ODataError::Invalid(
        "the body is neither OData JSON, an error, a $batch response nor $metadata".into(),
    )
}

fn decode_json(body: &[u8], meta: Option<&Metadata>) -> Result<Value, ODataError> {
    let v: Value = serde_json::from_slice(body).map_err(|e| ODataError::Json {
        context: "decode".into(),
        detail: format!("{e} (line {}, column {})", e.line(), e.column()),
    })?;
    if v.get("error").is_some() {
        let e = SapError::parse(body).ok_or_else(not_odata)?;
        return Ok(sap_error(&e, "json"));
    }
    let d = v.get("d").ok_or_else(|| {
        ODataError::Invalid(
            "the JSON has neither \"d\" nor \"error\"; is it OData v2 verbose JSON?".into(),
        )
    })?;
    Ok(match d {
        Value::Array(list) => collection(list, None, None, meta),
        Value::Object(m) => match m.get("results") {
            Some(Value::Array(list)) => collection(list, m.get("__count"), m.get("__next"), meta),
            _ => {
                let mut e = entity(m, meta);
                e.insert("kind".into(), json!("entity"));
                Value::Object(e)
            }
        },
        other => json!({ "kind": "value", "value": other }),
    })
}

fn collection(
    list: &[Value],
    count: Option<&Value>,
    next: Option<&Value>,
    meta: Option<&Metadata>,
) -> Value {
    let count = match count {
        Some(Value::String(s)) => s.parse::<u64>().map(Value::from).unwrap_or(Value::Null),
        Some(n @ Value::Number(_)) => n.clone(),
        _ => Value::Null,
    };
    json!({
        "kind": "collection",
        "count": count,
        "next": next.cloned().unwrap_or(Value::Null),
        "entities": list.iter().map(|e| match e {
            Value::Object(m) => Value::Object(entity(m, meta)),
            other => other.clone(),
        }).collect::<Vec<_>>(),
    })
}

/// A value with its inferred EDM type.
fn typed(v: &Value) -> Value {
    let Value::String(s) = v else {
        return v.clone();
    };
    if let Some(inner) = s.strip_prefix("/Date(")
        && let Ok(t) = parse_datetime_offset(s)
    {
        // An offset sign after the first character (a leading '-' is a
        // date before 1970) makes it a DateTimeOffset.
        let has_offset = inner.get(1..).is_some_and(|r| r.contains(['+', '-']));
        let edm = if has_offset {
            "Edm.DateTimeOffset"
        } else {
            "Edm.DateTime"
        };
        return json!({ "edm": edm, "value": t.to_rfc3339() });
    }
    if s.starts_with("PT")
        && let Ok(t) = parse_time(s)
    {
        return json!({ "edm": "Edm.Time", "value": t.format("%H:%M:%S%.f").to_string() });
    }
    v.clone()
}

/// A value typed by its declared EDM type; without one, by its form.
fn declared_value(v: &Value, edm: Option<&str>) -> Value {
    match (edm, v) {
        (
            Some(t @ ("Edm.Int64" | "Edm.Decimal" | "Edm.Double" | "Edm.Single")),
            Value::String(s),
        ) => match serde_json::from_str::<serde_json::Number>(s.trim()) {
            Ok(n) => json!({ "edm": t, "value": n }),
            Err(_) => json!({ "edm": t, "value": v, "invalid": true }),
        },
        (Some(t @ "Edm.Guid"), Value::String(_)) => json!({ "edm": t, "value": v }),
        _ => typed(v),
    }
}

fn entity(m: &Map<String, Value>, meta: Option<&Metadata>) -> Map<String, Value> {
    let declared = meta
        .zip(
            m.get("__metadata")
                .and_then(|x| x.get("type"))
                .and_then(Value::as_str),
        )
        .and_then(|(md, t)| md.entity_type(t));
    let mut out = Map::new();
    let mut props = Map::new();
    let mut deferred = Map::new();
    let mut expanded = Map::new();
    for (k, v) in m {
        if k == "__metadata" {
            for f in ["type", "uri", "etag", "media_src", "content_type"] {
                if let Some(x) = v.get(f) {
                    out.insert(f.into(), x.clone());
                }
            }
            continue;
        }
        match v {
            Value::Object(o) if o.contains_key("__deferred") => {
                let uri = o["__deferred"].get("uri").cloned().unwrap_or(Value::Null);
                deferred.insert(k.clone(), uri);
            }
            Value::Object(o) => match o.get("results") {
                Some(Value::Array(list)) => {
                    let list: Vec<Value> = list
                        .iter()
                        .map(|e| {
                            e.as_object()
                                .map_or_else(|| e.clone(), |m| Value::Object(entity(m, meta)))
                        })
                        .collect();
                    expanded.insert(k.clone(), Value::Array(list));
                }
                // A complex value, or an expanded to-one entity.
                _ => {
                    let inner = entity(o, meta);
                    if o.get("__metadata").and_then(|x| x.get("uri")).is_some() {
                        expanded.insert(k.clone(), Value::Object(inner));
                    } else {
                        props.insert(
                            k.clone(),
                            inner.get("properties").cloned().unwrap_or_default(),
                        );
                    }
                }
            },
            other => {
                let edm = declared
                    .and_then(|t| t.property(k))
                    .map(|p| p.edm_type.as_str());
                props.insert(k.clone(), declared_value(other, edm));
            }
        }
    }
    out.insert("properties".into(), Value::Object(props));
    if !deferred.is_empty() {
        out.insert("deferred".into(), Value::Object(deferred));
    }
    if !expanded.is_empty() {
        out.insert("expanded".into(), Value::Object(expanded));
    }
    out
}

/// An SAP error body, with the one line the hub would log for it.
fn sap_error(e: &SapError, format: &str) -> Value {
    let mut out = serde_json::to_value(e).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut out {
        m.insert("kind".into(), json!("error"));
        m.insert("format".into(), json!(format));
        m.insert("text".into(), json!(e.to_string()));
    }
    out
}

/// A body that is no OData at all: a proxy's HTML page, a plain-text
/// answer (`CSRF token validation failed`), a `$count`.
fn text_error(body: &[u8], format: &str) -> Result<Value, ODataError> {
    let text = readable_text(body).ok_or_else(not_odata)?;
    Ok(json!({ "kind": "error", "format": format, "text": text }))
}

fn decode_text(body: &[u8]) -> Result<Value, ODataError> {
    let trimmed = String::from_utf8_lossy(body).trim().to_owned();
    if let Ok(n) = trimmed.parse::<serde_json::Number>() {
        return Ok(json!({ "kind": "value", "value": n }));
    }
    text_error(body, "text")
}

fn decode_xml(body: &[u8]) -> Result<Value, ODataError> {
    if let Some(e) = SapError::parse(body) {
        return Ok(sap_error(&e, "xml"));
    }
    if looks_like_html(&String::from_utf8_lossy(body)) {
        return text_error(body, "html");
    }
    let m = parse_metadata(body)?;
    let sets: Vec<Value> = m
        .entity_sets()
        .map(|s| {
            let t = m.entity_type(&s.entity_type);
            json!({
                "name": s.name,
                "entity_type": s.entity_type,
                "keys": t.map(|t| t.keys.clone()).unwrap_or_default(),
                "media": t.is_some_and(|t| t.has_stream),
                "properties": t.map(|t| t.properties.iter().map(|p| json!({
                    "name": p.name, "type": p.edm_type, "nullable": p.nullable, "max_length": p.max_length,
                })).collect::<Vec<_>>()).unwrap_or_default(),
                "navigations": t.map(|t| t.navigations.iter().map(|n| n.name.clone()).collect::<Vec<_>>()).unwrap_or_default(),
            })
        })
        .collect();
    Ok(json!({ "kind": "metadata", "entity_sets": sets }))
}

fn part(p: &HttpPart, meta: Option<&Metadata>) -> Value {
    let body = if p.body.is_empty() {
        Value::Null
    } else {
        decode_with(&p.body, meta)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&p.body).into_owned()))
    };
    json!({
        "status": p.status,
        "reason": p.reason,
        "headers": p.headers.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
        "body": body,
    })
}

fn decode_batch(body: &[u8], boundary: &str, meta: Option<&Metadata>) -> Result<Value, ODataError> {
    let r = parse_batch(body, boundary)?;
    let parts: Vec<Value> = r
        .parts
        .iter()
        .map(|p| match p {
            ResponsePart::Single(h) => json!({ "kind": "response", "response": part(h, meta) }),
            ResponsePart::ChangeSet(list) => {
                json!({ "kind": "changeset", "responses": list.iter().map(|x| part(x, meta)).collect::<Vec<_>>() })
            }
        })
        .collect();
    Ok(json!({ "kind": "batch", "boundary": boundary, "parts": parts }))
}

#[cfg(test)]
mod tests;
