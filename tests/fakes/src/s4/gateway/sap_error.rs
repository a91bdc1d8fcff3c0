//! SAP Gateway error bodies: JSON
//! (`{"error":{"code","message":{"lang","value"},"innererror":{…}}}`, as in
//! `maiconnect-odata/tests/samples/cloudsdk_v2_error_response.json`) when
//! the client asked for JSON, otherwise the XML form of the same error
//! (`<error xmlns="…/dataservices/metadata">`).
//!
//! Codes used: `/IWFND/MED/170` (service not found or not activated),
//! `/IWBEP/CM_MGW_RT/020` (resource not found), `/IWBEP/CM_MGW_RT/190` (412,
//! ETag stale), `/IWBEP/CM_MGW_RT/194` (428, `If-Match` missing),
//! `/IWBEP/CX_MGW_BUSI_EXCEPTION` (business errors: invalid or too long
//! values, duplicates) and `/IWBEP/CX_MGW_TECH_EXCEPTION` (malformed
//! requests: URI, `$filter`, JSON, multipart) — the exception classes
//! Gateway names in `errordetails`.

use chrono::{DateTime, Utc};

use super::OdataResponse;
use crate::s4::edm::ServiceId;
use crate::s4::quirks::ErrorShape;

/// Service not found / not activated.
pub const SERVICE_NOT_FOUND: &str = "/IWFND/MED/170";
/// Resource not found for a segment.
pub const RESOURCE_NOT_FOUND: &str = "/IWBEP/CM_MGW_RT/020";
/// 412: the entity changed since the ETag was read.
pub const ETAG_STALE: &str = "/IWBEP/CM_MGW_RT/190";
/// 428: `If-Match` missing.
pub const ETAG_MISSING: &str = "/IWBEP/CM_MGW_RT/194";
/// Business error raised by the data provider.
pub const BUSINESS: &str = "/IWBEP/CX_MGW_BUSI_EXCEPTION";
/// Technical error (malformed request).
pub const TECHNICAL: &str = "/IWBEP/CX_MGW_TECH_EXCEPTION";

/// One SAP error, before it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SapError {
    /// HTTP status.
    pub status: u16,
    /// SAP message code.
    pub code: String,
    /// Message text.
    pub message: String,
    /// The property at fault (`propertyref` of the detail).
    pub property: Option<String>,
    /// `Retry-After` seconds (429, 503).
    pub retry_after: Option<u64>,
}

impl SapError {
    /// An error.
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> SapError {
        SapError {
            status,
            code: code.into(),
            message: message.into(),
            property: None,
            retry_after: None,
        }
    }
    /// 400 for a malformed request.
    pub fn bad_request(message: impl Into<String>) -> SapError {
        SapError::new(400, TECHNICAL, message)
    }
    /// 404 for an unknown resource.
    pub fn not_found(message: impl Into<String>) -> SapError {
        SapError::new(404, RESOURCE_NOT_FOUND, message)
    }
    /// Names the property at fault.
    pub fn with_property(mut self, property: Option<String>) -> SapError {
        self.property = property;
        self
    }
}

/// What an error body needs from its context.
#[derive(Debug, Clone)]
pub struct ErrorContext {
    /// The service, if the request got that far.
    pub service: Option<ServiceId>,
    /// JSON (else XML).
    pub json: bool,
    /// 32 hex digits.
    pub transaction_id: String,
    /// The time of the error.
    pub now: DateTime<Utc>,
    /// The shape of the body.
    pub shape: ErrorShape,
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

impl SapError {
    /// The HTML page a reverse proxy answers with in its place.
    fn html(&self) -> String {
        let reason = axum::http::StatusCode::from_u16(self.status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("Error");
        format!(
            "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>{status} {reason}</title>\n</head><body>\n<h1>{reason}</h1>\n<p>The server could not complete the request.</p>\n<hr>\n<address>Apache Server at s4.example.com Port 443</address>\n</body></html>\n",
            status = self.status
        )
    }

    /// The response carrying this error.
    pub fn response(&self, ctx: &ErrorContext) -> OdataResponse {
        let timestamp = crate::s4::value::abap_timestamp(&ctx.now);
        let service_id = ctx.service.map(ServiceId::name).unwrap_or("");
        let property = self.property.clone().unwrap_or_default();
        let (content_type, body) = if ctx.shape == ErrorShape::Html {
            ("text/html; charset=iso-8859-1", self.html())
        } else if ctx.json && ctx.shape == ErrorShape::PlainText {
            (
                "application/json",
                serde_json::json!({ "error": self.message }).to_string(),
            )
        } else if ctx.json && ctx.shape == ErrorShape::MessageObjects {
            let target = self
                .property
                .clone()
                .map_or(serde_json::Value::Null, Into::into);
            let body = serde_json::json!({
                "error": {
                    "code": self.code,
                    "message": self.message,
                    "target": target,
                    "innererror": {
                        "transactionid": ctx.transaction_id,
                        "timestamp": timestamp,
                        "errordetails": [{
                            "code": self.code,
                            "message": {"lang": "en", "value": self.message},
                            "propertyref": target,
                            "severity": "error",
                            "target": target
                        }]
                    }
                }
            });
            ("application/json", body.to_string())
        } else if ctx.json {
            let body = serde_json::json!({
                "error": {
                    "code": self.code,
                    "message": {"lang": "en", "value": self.message},
                    "innererror": {
                        "application": {
                            "component_id": "",
                            "service_namespace": "/NAG/",
                            "service_id": service_id,
                            "service_version": "0001"
                        },
                        "transactionid": ctx.transaction_id,
                        "timestamp": timestamp,
                        "Error_Resolution": {
                            "SAP_Transaction": "For backend administrators: use ADT feed reader \"SAP Gateway Error Log\" or run transaction /IWFND/ERROR_LOG on SAP Gateway hub system and search for entries with the timestamp above for more details",
                            "SAP_Note": "See SAP Note 1797736 for error analysis (https://service.sap.com/sap/support/notes/1797736)"
                        },
                        "errordetails": [{
                            "code": self.code,
                            "message": self.message,
                            "propertyref": property,
                            "severity": "error",
                            "target": property,
                            "transition": false
                        }]
                    }
                }
            });
            ("application/json", body.to_string())
        } else {
            let body = format!(
                concat!(
                    r#"<?xml version="1.0" encoding="utf-8"?>"#,
                    r#"<error xmlns="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">"#,
                    r#"<code>{}</code><message xml:lang="en">{}</message>"#,
                    r#"<innererror><application><component_id/><service_namespace>/NAG/</service_namespace>"#,
                    r#"<service_id>{}</service_id><service_version>0001</service_version></application>"#,
                    r#"<transactionid>{}</transactionid><timestamp>{}</timestamp>"#,
                    r#"<errordetails><errordetail><code>{}</code><message>{}</message>"#,
                    r#"<propertyref>{}</propertyref><severity>error</severity><target>{}</target></errordetail></errordetails>"#,
                    r#"</innererror></error>"#
                ),
                xml_escape(&self.code),
                xml_escape(&self.message),
                service_id,
                ctx.transaction_id,
                timestamp,
                xml_escape(&self.code),
                xml_escape(&self.message),
                xml_escape(&property),
                xml_escape(&property),
            );
            ("application/xml", body)
        };
        let mut response = OdataResponse::new(self.status)
            .header("content-type", content_type)
            .body(body.into_bytes());
        if let Some(secs) = self.retry_after {
            response = response.header("retry-after", &secs.to_string());
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(json: bool) -> ErrorContext {
        ErrorContext {
            service: Some(ServiceId::Tasks),
            json,
            transaction_id: "0123456789ABCDEF0123456789ABCDEF".into(),
            now: DateTime::from_timestamp(1_796_979_600, 0).unwrap(),
            shape: ErrorShape::Gateway,
        }
    }

    #[test]
    fn the_other_shapes_carry_the_same_message() {
        let e = SapError::new(404, RESOURCE_NOT_FOUND, "No such task");
        let body = |shape| {
            let r = e.response(&ErrorContext { shape, ..ctx(true) });
            assert_eq!(r.status, 404);
            String::from_utf8(r.body.to_vec()).unwrap()
        };
        assert_eq!(body(ErrorShape::PlainText), r#"{"error":"No such task"}"#);
        let v: serde_json::Value = serde_json::from_str(&body(ErrorShape::MessageObjects)).unwrap();
        assert_eq!(v["error"]["message"], "No such task");
        assert_eq!(
            v["error"]["innererror"]["errordetails"][0]["message"]["value"],
            "No such task"
        );
        assert!(v["error"]["innererror"]["errordetails"][0]["target"].is_null());
        let html = body(ErrorShape::Html);
        assert!(html.contains("<title>404 Not Found</title>"), "{html}");
        assert!(
            !html.contains("No such task"),
            "a proxy knows nothing of it"
        );
    }

    #[test]
    fn json_errors_have_the_gateway_shape() {
        let e = SapError::new(400, BUSINESS, "Property 'Description' is too long")
            .with_property(Some("Description".into()));
        let r = e.response(&ctx(true));
        assert_eq!(r.status, 400);
        let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(v["error"]["code"], BUSINESS);
        assert_eq!(v["error"]["message"]["lang"], "en");
        assert_eq!(
            v["error"]["innererror"]["application"]["service_id"],
            "MAI_CRM_TASK_SRV"
        );
        assert_eq!(
            v["error"]["innererror"]["timestamp"],
            "20261211090000.0000000"
        );
        assert_eq!(
            v["error"]["innererror"]["errordetails"][0]["propertyref"],
            "Description"
        );
    }

    #[test]
    fn xml_errors_escape_text() {
        let r = SapError::not_found("no <such> thing").response(&ctx(false));
        let body = String::from_utf8(r.body.to_vec()).unwrap();
        assert!(body.contains("<code>/IWBEP/CM_MGW_RT/020</code>"));
        assert!(body.contains("no &lt;such&gt; thing"));
    }
}
