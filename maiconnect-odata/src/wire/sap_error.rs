//! SAP Gateway error bodies, in JSON and XML.
//!
//! Reference: SAP Help, SAP Gateway Foundation, "Error Response Control for
//! Backend Data Provider" and OData v2 §2.2.8.1 (error format).

use std::fmt;

use quick_xml::events::Event;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::wire::xml;

/// `innererror.application` of an S/4HANA error.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorApplication {
    /// Software component, such as `CRM-BF`.
    #[serde(default)]
    pub component_id: String,
    /// Service namespace, such as `/NAG/`.
    #[serde(default)]
    pub service_namespace: String,
    /// Service name.
    #[serde(default)]
    pub service_id: String,
    /// Service version.
    #[serde(default)]
    pub service_version: String,
}

/// One entry of `innererror.errordetails`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// Message code (`CRM_TASK_ODATA/006`).
    #[serde(default)]
    pub code: String,
    /// Message text.
    #[serde(default)]
    pub message: String,
    /// `error`, `warning`, `info`.
    #[serde(default)]
    pub severity: String,
    /// The property the message is about, if any.
    #[serde(default)]
    pub target: String,
    /// SAP's `propertyref`.
    #[serde(default)]
    pub propertyref: String,
}

/// A SAP Gateway error body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SapError {
    /// `error.code`, such as `/IWFND/MED/170`.
    pub code: String,
    /// `error.message.value`.
    pub message: String,
    /// `error.message.lang`.
    pub lang: String,
    /// `innererror.transactionid`: the key for /IWFND/ERROR_LOG.
    pub transaction_id: String,
    /// `innererror.timestamp`.
    pub timestamp: String,
    /// `innererror.application`.
    pub application: Option<ErrorApplication>,
    /// `innererror.errordetails`.
    pub details: Vec<ErrorDetail>,
}

impl fmt::Display for SapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.code.is_empty() {
            f.write_str("SAP error")?;
        } else {
            write!(f, "SAP {}", self.code)?;
        }
        let texts = self.texts();
        match texts.split_first() {
            Some((main, extra)) => {
                write!(f, ": {main}")?;
                if !extra.is_empty() {
                    write!(f, " [{}]", extra.join("; "))?;
                }
            }
            None => f.write_str(" without a message")?,
        }
        if !self.transaction_id.is_empty() {
            write!(f, ", transaction {}", self.transaction_id)?;
        }
        Ok(())
    }
}

/// A scalar as text: strings as they are, numbers and booleans written
/// out, `null`, objects and arrays as nothing.
fn scalar(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

/// A message: `"text"`, `{"lang","value"}` or `{"value"}`; (lang, text).
fn message(v: Option<&Value>) -> (String, String) {
    match v {
        Some(Value::Object(m)) => (scalar(m.get("lang")), scalar(m.get("value"))),
        other => (String::new(), scalar(other)),
    }
}

fn detail(v: &Value) -> Option<ErrorDetail> {
    let d = v.as_object()?;
    Some(ErrorDetail {
        code: scalar(d.get("code")),
        message: message(d.get("message")).1,
        severity: scalar(d.get("severity")),
        target: scalar(d.get("target")),
        propertyref: scalar(d.get("propertyref")),
    })
}

impl SapError {
    /// Whether `code` is SAP's code of the error or of one of its details
    /// (case-insensitive: the message class is upper case in SAP, lower
    /// case in some captures).
    pub fn has_code(&self, code: &str) -> bool {
        std::iter::once(self.code.as_str())
            .chain(self.details.iter().map(|d| d.code.as_str()))
            .any(|c| c.trim().eq_ignore_ascii_case(code))
    }

    /// All message texts, the main one first, without repeats.
    pub fn texts(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for t in std::iter::once(self.message.as_str())
            .chain(self.details.iter().map(|d| d.message.as_str()))
        {
            if !t.is_empty() && !out.contains(&t) {
                out.push(t);
            }
        }
        out
    }
}

impl SapError {
    /// Reads an error body in JSON (`{"error":…}`) or XML (`<error>`);
    /// `None` when the body is neither. Every field is optional and may
    /// come in another shape than Gateway's own (a message as a string or
    /// as `{"lang","value"}`, a `null` target, a number as code, `details`
    /// instead of `innererror.errordetails`): what can be read is kept, the
    /// rest ignored, so no message is lost to one odd field.
    pub fn parse(body: &[u8]) -> Option<SapError> {
        let trimmed = body
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(body)
            .trim_ascii_start();
        match trimmed.first() {
            Some(b'{') => Self::parse_json(trimmed),
            Some(b'<') => Self::parse_xml(trimmed),
            _ => None,
        }
    }

    fn parse_json(body: &[u8]) -> Option<SapError> {
        let v: Value = serde_json::from_slice(body).ok()?;
        let error = v.get("error")?;
        let mut out = SapError::default();
        match error {
            Value::Object(e) => {
                out.code = scalar(e.get("code"));
                (out.lang, out.message) = message(e.get("message"));
                let inner = e.get("innererror");
                let field = |name: &str| scalar(inner.and_then(|i| i.get(name)));
                out.transaction_id = field("transactionid");
                out.timestamp = field("timestamp");
                out.application = inner
                    .and_then(|i| i.get("application"))
                    .and_then(Value::as_object)
                    .map(|a| ErrorApplication {
                        component_id: scalar(a.get("component_id")),
                        service_namespace: scalar(a.get("service_namespace")),
                        service_id: scalar(a.get("service_id")),
                        service_version: scalar(a.get("service_version")),
                    });
                // Gateway nests them in innererror; OData v4-style servers
                // (SAP CAP) put `details` beside the message.
                let details = inner
                    .and_then(|i| i.get("errordetails"))
                    .or_else(|| e.get("details"));
                out.details = match details {
                    Some(Value::Array(list)) => list.iter().filter_map(detail).collect(),
                    Some(one @ Value::Object(_)) => detail(one).into_iter().collect(),
                    _ => Vec::new(),
                };
            }
            // `{"error": "text"}` from a proxy or a hand-written service.
            other => out.message = scalar(Some(other)),
        }
        Some(out)
    }

    /// The XML form that Gateway sends when JSON was not negotiated:
    /// `<error><code/><message xml:lang=""/><innererror>…</innererror></error>`.
    fn parse_xml(body: &[u8]) -> Option<SapError> {
        let mut reader = quick_xml::Reader::from_reader(body);
        let mut path: Vec<Vec<u8>> = Vec::new();
        let mut err = SapError::default();
        let mut detail: Option<ErrorDetail> = None;
        let mut app: Option<ErrorApplication> = None;
        let mut text = String::new();
        loop {
            match reader.read_event().ok()? {
                Event::DocType(_) => return None,
                Event::Start(e) => {
                    let name = e.local_name().as_ref().to_vec();
                    if path.is_empty() && name != b"error" {
                        return None;
                    }
                    if name == b"message" && path.len() == 1 {
                        for a in e.attributes().flatten() {
                            if a.key.local_name().as_ref() == b"lang" {
                                err.lang = String::from_utf8_lossy(&a.value).into_owned();
                            }
                        }
                    }
                    match name.as_slice() {
                        b"errordetail" => detail = Some(ErrorDetail::default()),
                        b"application" => app = Some(ErrorApplication::default()),
                        _ => {}
                    }
                    text.clear();
                    path.push(name);
                }
                Event::Empty(e) if path.is_empty() && e.local_name().as_ref() != b"error" => {
                    return None;
                }
                Event::Text(t) => text.push_str(&xml::text(&t)?),
                Event::GeneralRef(r) => text.push_str(&xml::reference(&r)?),
                Event::End(_) => {
                    let leaf = path.pop()?;
                    let value = std::mem::take(&mut text);
                    let parent = path.last().map(Vec::as_slice);
                    match leaf.as_slice() {
                        b"errordetail" => err.details.extend(detail.take()),
                        b"application" => err.application = app.take(),
                        _ => {}
                    }
                    if let Some(d) = detail.as_mut() {
                        match leaf.as_slice() {
                            b"code" => d.code = value,
                            b"message" => d.message = value,
                            b"severity" => d.severity = value,
                            b"target" => d.target = value,
                            b"propertyref" => d.propertyref = value,
                            _ => {}
                        }
                    } else if let Some(a) = app.as_mut() {
                        match leaf.as_slice() {
                            b"component_id" => a.component_id = value,
                            b"service_namespace" => a.service_namespace = value,
                            b"service_id" => a.service_id = value,
                            b"service_version" => a.service_version = value,
                            _ => {}
                        }
                    } else {
                        match (parent, leaf.as_slice()) {
                            (Some(b"error"), b"code") => err.code = value,
                            (Some(b"error"), b"message") => err.message = value,
                            (_, b"transactionid") => err.transaction_id = value,
                            (_, b"timestamp") => err.timestamp = value,
                            _ => {}
                        }
                    }
                    if path.is_empty() {
                        return Some(err);
                    }
                }
                Event::Eof => return None,
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(name: &str) -> Vec<u8> {
        let path = format!("{}/tests/samples/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(path).unwrap()
    }

    #[test]
    fn reads_the_s4_style_error_sample() {
        let e = SapError::parse(&sample("cloudsdk_v2_error_response.json")).unwrap();
        assert_eq!(e.code, "ABC");
        assert_eq!(e.message, "Some error occured");
        assert_eq!(e.lang, "en");
        assert_eq!(e.transaction_id, "0123456789ABCDEFGHIJKLMNOPQRSTUV");
        let app = e.application.as_ref().unwrap();
        assert_eq!(app.service_id, "API_TEST_SRV");
        assert_eq!(app.component_id, "XYZ");
        assert_eq!(e.details.len(), 1);
        assert_eq!(e.details[0].severity, "error");
    }

    #[test]
    fn reads_the_crm_task_error_sample() {
        let e = SapError::parse(&sample("sap_gateway_error_CRM_TASK_ODATA.json")).unwrap();
        assert_eq!(e.code, "CRM_TASK_ODATA/006");
        assert_eq!(e.lang, "de");
        assert!(e.message.starts_with("Task cannot be set to completed"));
        assert_eq!(e.details[1].code, "/IWBEP/CX_MGW_BUSI_EXCEPTION");
        assert!(
            e.to_string()
                .contains("transaction 524485850B83058CE10000000A4451B6")
        );
    }

    #[test]
    fn reads_the_xml_form() {
        let xml = br#"<?xml version="1.0" encoding="utf-8"?>
<error xmlns="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">
 <code>/IWFND/MED/170</code>
 <message xml:lang="en">No service found for namespace /NAG/, name X, version 0001</message>
 <innererror>
  <application><component_id/><service_namespace>/NAG/</service_namespace><service_id>X</service_id><service_version>0001</service_version></application>
  <transactionid>ABCDEF</transactionid>
  <errordetails><errordetail><code>/IWFND/MED/170</code><message>No service found &amp; more</message><severity>error</severity></errordetail></errordetails>
 </innererror>
</error>"#;
        let e = SapError::parse(xml).unwrap();
        assert_eq!(e.code, "/IWFND/MED/170");
        assert_eq!(e.lang, "en");
        assert_eq!(e.transaction_id, "ABCDEF");
        assert_eq!(e.application.unwrap().service_namespace, "/NAG/");
        assert_eq!(e.details[0].message, "No service found & more");
    }

    #[test]
    fn odd_shapes_keep_their_message() {
        // errordetails[].message as {lang, value}, a null target, a number as code.
        let e = SapError::parse(
            br#"{"error":{"code":500,"message":{"lang":"en","value":"Outer"},
                "innererror":{"transactionid":null,"errordetails":[
                  {"code":"CRM_ORDER/012","message":{"lang":"de","value":"Inner"},"target":null,"severity":"error"},
                  "not an object"]}}}"#,
        )
        .unwrap();
        assert_eq!(e.code, "500");
        assert_eq!(e.message, "Outer");
        assert_eq!(e.details.len(), 1);
        assert_eq!(e.details[0].message, "Inner");
        assert_eq!(e.details[0].target, "");
        assert!(e.has_code("crm_order/012"));
        assert_eq!(e.to_string(), "SAP 500: Outer [Inner]");

        // {"error": "text"}
        let e = SapError::parse(br#"{"error":"Service temporarily down"}"#).unwrap();
        assert_eq!(e.to_string(), "SAP error: Service temporarily down");

        // OData v4-style details beside the message (SAP CAP), a plain message.
        let e = SapError::parse(
            br#"{"error":{"code":"ENTITY_ALREADY_EXISTS","message":"Entity already exists","details":[{"code":"X","message":"More"}]}}"#,
        )
        .unwrap();
        assert_eq!(e.message, "Entity already exists");
        assert_eq!(e.details[0].message, "More");

        // Nothing but the shell; a byte order mark.
        let e = SapError::parse(b"\xEF\xBB\xBF {\"error\":{}}").unwrap();
        assert_eq!(e.to_string(), "SAP error without a message");
        // Only details carry the text.
        let e = SapError::parse(
            br#"{"error":{"code":"C","innererror":{"errordetails":[{"message":"From the detail"}]}}}"#,
        )
        .unwrap();
        assert_eq!(e.to_string(), "SAP C: From the detail");
    }

    #[test]
    fn other_bodies_are_not_errors() {
        assert!(SapError::parse(b"CSRF token validation failed").is_none());
        assert!(SapError::parse(b"{\"d\":{}}").is_none());
        assert!(SapError::parse(b"<html><body>403</body></html>").is_none());
    }
}
