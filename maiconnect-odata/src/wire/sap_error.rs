//! SAP Gateway error bodies, in JSON and XML.
//!
//! Reference: SAP Help, SAP Gateway Foundation, "Error Response Control for
//! Backend Data Provider" and OData v2 §2.2.8.1 (error format).

use std::fmt;

use quick_xml::events::Event;
use serde::{Deserialize, Serialize};

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
        write!(f, "SAP {}: {}", self.code, self.message)?;
        let extra: Vec<&str> = self
            .details
            .iter()
            .filter(|d| !d.message.is_empty() && d.message != self.message)
            .map(|d| d.message.as_str())
            .collect();
        if !extra.is_empty() {
            write!(f, " [{}]", extra.join("; "))?;
        }
        if !self.transaction_id.is_empty() {
            write!(f, ", transaction {}", self.transaction_id)?;
        }
        Ok(())
    }
}

#[derive(Deserialize)]
struct JsonBody {
    error: JsonError,
}

#[derive(Deserialize)]
struct JsonError {
    #[serde(default)]
    code: String,
    #[serde(default)]
    message: Option<JsonMessage>,
    #[serde(default)]
    innererror: Option<JsonInner>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum JsonMessage {
    Full {
        #[serde(default)]
        lang: String,
        #[serde(default)]
        value: String,
    },
    Plain(String),
}

#[derive(Deserialize)]
struct JsonInner {
    #[serde(default)]
    transactionid: String,
    #[serde(default)]
    timestamp: String,
    #[serde(default)]
    application: Option<ErrorApplication>,
    #[serde(default)]
    errordetails: Vec<ErrorDetail>,
}

impl SapError {
    /// Reads an error body in JSON (`{"error":{…}}`) or XML (`<error>`);
    /// `None` when the body is neither.
    pub fn parse(body: &[u8]) -> Option<SapError> {
        let trimmed = body.trim_ascii_start();
        match trimmed.first() {
            Some(b'{') => Self::parse_json(trimmed),
            Some(b'<') => Self::parse_xml(trimmed),
            _ => None,
        }
    }

    fn parse_json(body: &[u8]) -> Option<SapError> {
        let b: JsonBody = serde_json::from_slice(body).ok()?;
        let (lang, message) = match b.error.message {
            Some(JsonMessage::Full { lang, value }) => (lang, value),
            Some(JsonMessage::Plain(v)) => (String::new(), v),
            None => (String::new(), String::new()),
        };
        let inner = b.error.innererror;
        Some(SapError {
            code: b.error.code,
            message,
            lang,
            transaction_id: inner
                .as_ref()
                .map(|i| i.transactionid.clone())
                .unwrap_or_default(),
            timestamp: inner
                .as_ref()
                .map(|i| i.timestamp.clone())
                .unwrap_or_default(),
            application: inner.as_ref().and_then(|i| i.application.clone()),
            details: inner.map(|i| i.errordetails).unwrap_or_default(),
        })
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
    fn other_bodies_are_not_errors() {
        assert!(SapError::parse(b"CSRF token validation failed").is_none());
        assert!(SapError::parse(b"{\"d\":{}}").is_none());
        assert!(SapError::parse(b"<html><body>403</body></html>").is_none());
    }
}
