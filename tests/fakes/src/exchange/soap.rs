//! SOAP envelopes, faults and per-item response messages as Exchange writes
//! them.
//!
//! Reference: <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/ews-xml-elements-in-exchange>,
//! responsecode: <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/responsecode>.

use super::xml::{ERRORS_NS, MESSAGES_NS, SOAP_NS, TYPES_NS, escape_attr, escape_text};

/// An error for one response message (`ResponseClass="Error"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EwsError {
    /// `ResponseCode`.
    pub code: String,
    /// `MessageText`.
    pub text: String,
    /// `MessageXml` values (`t:Value Name=…`).
    pub values: Vec<(String, String)>,
}

impl EwsError {
    /// An error with a code and text.
    pub fn new(code: &str, text: impl Into<String>) -> EwsError {
        EwsError {
            code: code.into(),
            text: text.into(),
            values: vec![],
        }
    }

    /// `ErrorItemNotFound`.
    pub fn item_not_found() -> EwsError {
        EwsError::new(
            "ErrorItemNotFound",
            "The specified object was not found in the store.",
        )
    }

    /// `ErrorInvalidIdMalformed`.
    pub fn id_malformed() -> EwsError {
        EwsError::new("ErrorInvalidIdMalformed", "Id is malformed.")
    }

    /// `ErrorFolderNotFound`.
    pub fn folder_not_found() -> EwsError {
        EwsError::new(
            "ErrorFolderNotFound",
            "The specified folder could not be found in the store.",
        )
    }

    /// Writes the error's part of a response message (after the opening
    /// tag): MessageText, ResponseCode, DescriptiveLinkKey, MessageXml.
    pub fn write_body(&self, out: &mut String) {
        out.push_str("<m:MessageText>");
        out.push_str(&escape_text(&self.text));
        out.push_str("</m:MessageText><m:ResponseCode>");
        out.push_str(&self.code);
        out.push_str("</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>");
        if !self.values.is_empty() {
            out.push_str("<m:MessageXml>");
            for (k, v) in &self.values {
                out.push_str(&format!(
                    "<t:Value Name=\"{}\">{}</t:Value>",
                    escape_attr(k),
                    escape_text(v)
                ));
            }
            out.push_str("</m:MessageXml>");
        }
    }
}

/// Opens a response message element: `<m:{name} ResponseClass="Success">
/// <m:ResponseCode>NoError</m:ResponseCode>` or its error form (then the
/// caller adds the elements that follow and closes it).
pub fn open_message(out: &mut String, name: &str, result: Result<(), &EwsError>) {
    match result {
        Ok(()) => {
            out.push_str(&format!(
                "<m:{name} ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode>"
            ));
        }
        Err(e) => {
            out.push_str(&format!("<m:{name} ResponseClass=\"Error\">"));
            e.write_body(out);
        }
    }
}

/// A complete error response message.
pub fn error_message(out: &mut String, name: &str, e: &EwsError) {
    open_message(out, name, Err(e));
    // Elements the schema requires even in an error message.
    match name {
        "GetItemResponseMessage" | "CreateItemResponseMessage" | "UpdateItemResponseMessage" => {
            out.push_str("<m:Items/>")
        }
        "GetFolderResponseMessage" | "CreateFolderResponseMessage" => out.push_str("<m:Folders/>"),
        "CreateAttachmentResponseMessage" | "GetAttachmentResponseMessage" => {
            out.push_str("<m:Attachments/>")
        }
        _ => {}
    }
    out.push_str(&format!("</m:{name}>"));
}

/// The `ServerVersionInfo` header of an Exchange Online server.
pub const SERVER_VERSION_INFO: &str = concat!(
    "<h:ServerVersionInfo MajorVersion=\"15\" MinorVersion=\"20\" MajorBuildNumber=\"8769\" ",
    "MinorBuildNumber=\"21\" Version=\"V2018_01_08\" ",
    "xmlns:h=\"http://schemas.microsoft.com/exchange/services/2006/types\" ",
    "xmlns=\"http://schemas.microsoft.com/exchange/services/2006/types\" ",
    "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" ",
    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"/>"
);

/// Wraps an operation's response element (`<m:XResponse …>…`) in an
/// envelope with the `ServerVersionInfo` header.
pub fn envelope(response: &str) -> String {
    let mut s = String::with_capacity(response.len() + 700);
    s.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
    s.push_str(&format!("<s:Envelope xmlns:s=\"{SOAP_NS}\"><s:Header>"));
    s.push_str(SERVER_VERSION_INFO);
    s.push_str("</s:Header><s:Body xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\">");
    s.push_str(response);
    s.push_str("</s:Body></s:Envelope>");
    s
}

/// `<m:{op}Response xmlns:m xmlns:t><m:ResponseMessages>` … and its close.
pub fn response_open(op: &str) -> String {
    format!("<m:{op}Response xmlns:m=\"{MESSAGES_NS}\" xmlns:t=\"{TYPES_NS}\"><m:ResponseMessages>")
}

/// Closes what [`response_open`] opened.
pub fn response_close(op: &str) -> String {
    format!("</m:ResponseMessages></m:{op}Response>")
}

/// A SOAP fault as Exchange sends it (HTTP 500): `faultcode` `a:{code}`,
/// `detail` with `e:ResponseCode`, `e:Message` and optional `t:MessageXml`
/// (raw XML of its children).
pub fn fault(code: &str, faultstring: &str, message: &str, message_xml: Option<&str>) -> String {
    let mut s = String::new();
    s.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
    s.push_str(&format!(
        "<s:Envelope xmlns:s=\"{SOAP_NS}\"><s:Body><s:Fault>"
    ));
    s.push_str(&format!(
        "<faultcode xmlns:a=\"{TYPES_NS}\">a:{code}</faultcode><faultstring xml:lang=\"en-US\">{}</faultstring><detail>",
        escape_text(faultstring)
    ));
    s.push_str(&format!(
        "<e:ResponseCode xmlns:e=\"{ERRORS_NS}\">{code}</e:ResponseCode><e:Message xmlns:e=\"{ERRORS_NS}\">{}</e:Message>",
        escape_text(message)
    ));
    if let Some(x) = message_xml {
        s.push_str(&format!(
            "<t:MessageXml xmlns:t=\"{TYPES_NS}\">{x}</t:MessageXml>"
        ));
    }
    s.push_str("</detail></s:Fault></s:Body></s:Envelope>");
    s
}

/// The `ErrorSchemaValidation` fault for a violation at `line`:`position`.
pub fn schema_fault(line: usize, position: usize, violation: &str) -> String {
    let xml = format!(
        "<t:LineNumber>{line}</t:LineNumber><t:LinePosition>{position}</t:LinePosition><t:Violation>{}</t:Violation>",
        escape_text(violation)
    );
    fault(
        "ErrorSchemaValidation",
        &format!("The request failed schema validation: {violation}"),
        "The request failed schema validation.",
        Some(&xml),
    )
}

/// `MessageXml` children for `Value Name=…` pairs.
pub fn values_xml(values: &[(&str, &str)]) -> String {
    values
        .iter()
        .map(|(k, v)| {
            format!(
                "<t:Value Name=\"{}\">{}</t:Value>",
                escape_attr(k),
                escape_text(v)
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::xml::parse;

    #[test]
    fn a_schema_fault_reads_like_exchanges() {
        let f = schema_fault(2, 630, "The 'Id' attribute is invalid");
        let doc = parse(f.as_bytes()).unwrap();
        let fault = doc.path(&["Body", "Fault"]).unwrap();
        assert_eq!(
            fault.child_text("faultcode").unwrap(),
            "a:ErrorSchemaValidation"
        );
        let detail = fault.child("detail").unwrap();
        assert_eq!(
            detail.child_text("ResponseCode").unwrap(),
            "ErrorSchemaValidation"
        );
        let mx = detail.child("MessageXml").unwrap();
        assert_eq!(mx.child_text("LineNumber").unwrap(), "2");
        assert_eq!(mx.child_text("LinePosition").unwrap(), "630");
    }

    #[test]
    fn an_error_message_has_the_schema_order() {
        let mut s = String::new();
        let mut e = EwsError::item_not_found();
        e.values.push(("Id".into(), "x".into()));
        error_message(&mut s, "GetItemResponseMessage", &e);
        assert_eq!(
            s,
            "<m:GetItemResponseMessage ResponseClass=\"Error\"><m:MessageText>The specified object was not found in the store.</m:MessageText><m:ResponseCode>ErrorItemNotFound</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey><m:MessageXml><t:Value Name=\"Id\">x</t:Value></m:MessageXml><m:Items/></m:GetItemResponseMessage>"
        );
    }
}
