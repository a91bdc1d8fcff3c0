//! Reading a response envelope: faults, server version, response messages.

use std::time::Duration;

use crate::error::{EwsError, ServerError};
use crate::response_code::ResponseCode;
use crate::xml::{Doc, Node};

/// A parsed response envelope.
#[derive(Debug)]
pub struct Envelope<'d, 'a> {
    /// The first element of the body (the operation's response element, or
    /// a request such as `SendNotification`).
    pub body: Node<'d, 'a>,
    /// `ServerVersionInfo` attributes: `MajorVersion.MinorVersion.…` and
    /// `Version`, when the header carries them.
    pub server_version: Option<String>,
}

/// Reads the envelope of `doc`; a SOAP fault becomes [`EwsError::Fault`].
pub fn parse_envelope<'d, 'a>(
    doc: &'d Doc<'a>,
    context: &str,
    mailbox: &str,
) -> Result<Envelope<'d, 'a>, EwsError> {
    let root = doc.root();
    if !root.is("Envelope") {
        return Err(EwsError::Unexpected(format!(
            "{context}: expected a SOAP Envelope, found <{}>",
            root.name()
        )));
    }
    let body = root
        .child("Body")
        .ok_or_else(|| EwsError::Unexpected(format!("{context}: the envelope has no Body")))?;
    let first = body
        .first_child()
        .ok_or_else(|| EwsError::Unexpected(format!("{context}: the SOAP Body is empty")))?;
    if first.is("Fault") {
        return Err(EwsError::Fault(Box::new(parse_fault(
            first, context, mailbox,
        ))));
    }
    let server_version = root
        .child("Header")
        .and_then(|h| h.child("ServerVersionInfo"))
        .map(|v| {
            let num = [
                "MajorVersion",
                "MinorVersion",
                "MajorBuildNumber",
                "MinorBuildNumber",
            ]
            .iter()
            .filter_map(|a| v.attr(a))
            .collect::<Vec<_>>()
            .join(".");
            match v.attr("Version") {
                Some(name) => format!("{num} {name}"),
                None => num,
            }
        });
    Ok(Envelope {
        body: first,
        server_version,
    })
}

/// The extra data of an error (`MessageXml`): named values, and the
/// schema-validation position.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MessageXml {
    /// `Value Name="…"` pairs.
    pub values: Vec<(String, String)>,
    /// Other leaf elements (`LineNumber`, `Violation`, …).
    pub elements: Vec<(String, String)>,
}

impl MessageXml {
    fn read(node: Node<'_, '_>) -> MessageXml {
        let mut m = MessageXml::default();
        for c in node.children() {
            if c.is("Value") {
                let name = c.attr("Name").map(|n| n.into_owned()).unwrap_or_default();
                m.values.push((name, c.text().to_owned()));
            } else {
                m.elements.push((c.name().to_owned(), c.text().to_owned()));
            }
        }
        m
    }

    /// `BackOffMilliseconds`, when present.
    pub fn back_off(&self) -> Option<Duration> {
        self.values
            .iter()
            .find(|(k, _)| k == "BackOffMilliseconds")
            .and_then(|(_, v)| v.trim().parse::<u64>().ok())
            .map(Duration::from_millis)
    }
}

/// Reads a `soap:Fault`.
///
/// See <https://learn.microsoft.com/en-us/exchange/client-developer/exchange-web-services/handling-errors-in-ews>.
pub fn parse_fault(fault: Node<'_, '_>, context: &str, mailbox: &str) -> ServerError {
    let detail = fault.child("detail");
    let detail_code = detail.and_then(|d| d.child_text("ResponseCode"));
    let fault_code = fault.child_text("faultcode").unwrap_or("");
    let local = fault_code.rsplit(':').next().unwrap_or(fault_code);
    let code = match detail_code {
        Some(c) if !c.is_empty() => ResponseCode::parse(c),
        _ => ResponseCode::parse(local),
    };
    let mut message = detail
        .and_then(|d| d.child_text("Message"))
        .filter(|m| !m.is_empty())
        .or_else(|| fault.child_text("faultstring"))
        .unwrap_or("")
        .to_owned();
    let xml = detail
        .and_then(|d| d.child("MessageXml"))
        .map(MessageXml::read)
        .unwrap_or_default();
    for (k, v) in &xml.elements {
        if k == "Violation" {
            message = format!("{message} {v}");
        }
    }
    if let (Some(l), Some(p)) = (
        detail.and_then(|d| d.child_text("Line").or_else(|| d.child_text("LineNumber"))),
        detail.and_then(|d| {
            d.child_text("Position")
                .or_else(|| d.child_text("LinePosition"))
        }),
    ) {
        message = format!("{message} (request line {l}, position {p})");
    }
    let line = xml.elements.iter().find(|(k, _)| k == "LineNumber");
    let pos = xml.elements.iter().find(|(k, _)| k == "LinePosition");
    if let (Some((_, l)), Some((_, p))) = (line, pos) {
        message = format!("{message} (request line {l}, position {p})");
    }
    ServerError {
        code,
        message,
        back_off: xml.back_off(),
        context: context.to_owned(),
        mailbox: mailbox.to_owned(),
    }
}

/// `ResponseClass` of one response message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseClass {
    /// It worked.
    Success,
    /// It worked in part; the code says what was skipped.
    Warning,
    /// It failed.
    Error,
}

/// One response message (`…ResponseMessage`) of a batch.
#[derive(Debug, Clone, Copy)]
pub struct ResponseMessage<'d, 'a> {
    /// The element itself, for operation-specific content.
    pub node: Node<'d, 'a>,
    /// Its class.
    pub class: ResponseClass,
}

impl<'d, 'a> ResponseMessage<'d, 'a> {
    /// The response code (`NoError` when absent).
    pub fn code(&self) -> ResponseCode {
        self.node
            .child_text("ResponseCode")
            .map(ResponseCode::parse)
            .unwrap_or(ResponseCode::NoError)
    }

    /// The error this message carries, if its class is `Error`.
    pub fn error(&self, context: &str, mailbox: &str) -> Option<ServerError> {
        if self.class != ResponseClass::Error {
            return None;
        }
        let xml = self
            .node
            .child("MessageXml")
            .map(MessageXml::read)
            .unwrap_or_default();
        Some(ServerError {
            code: self.code(),
            message: self.node.child_text("MessageText").unwrap_or("").to_owned(),
            back_off: xml.back_off(),
            context: context.to_owned(),
            mailbox: mailbox.to_owned(),
        })
    }

    /// The message as a result: `Ok` for Success and Warning.
    pub fn ok(&self, context: &str, mailbox: &str) -> Result<Node<'d, 'a>, EwsError> {
        self.ok_with(|| context.to_owned(), mailbox)
    }

    /// Like [`ResponseMessage::ok`], building the context only for errors.
    pub fn ok_with(
        &self,
        context: impl FnOnce() -> String,
        mailbox: &str,
    ) -> Result<Node<'d, 'a>, EwsError> {
        if self.class != ResponseClass::Error {
            return Ok(self.node);
        }
        match self.error(&context(), mailbox) {
            Some(e) => Err(EwsError::Response(Box::new(e))),
            None => Ok(self.node),
        }
    }
}

/// The response messages of an operation's response element, checking that
/// the element is `expected` (e.g. `GetItemResponse`).
pub fn response_messages<'d, 'a>(
    body: Node<'d, 'a>,
    expected: &str,
) -> Result<Vec<ResponseMessage<'d, 'a>>, EwsError> {
    if !body.is(expected) {
        return Err(EwsError::Unexpected(format!(
            "expected <{expected}>, found <{}>",
            body.name()
        )));
    }
    let list = body
        .child("ResponseMessages")
        .ok_or_else(|| EwsError::Unexpected(format!("<{expected}> has no ResponseMessages")))?;
    list.children()
        .map(|node| {
            let class = match node.attr("ResponseClass").as_deref() {
                Some("Success") => ResponseClass::Success,
                Some("Warning") => ResponseClass::Warning,
                Some("Error") => ResponseClass::Error,
                other => {
                    return Err(EwsError::Unexpected(format!(
                        "<{}> has ResponseClass {other:?}; expected Success, Warning or Error",
                        node.name()
                    )));
                }
            };
            Ok(ResponseMessage { node, class })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(name: &str) -> Vec<u8> {
        std::fs::read(format!(
            "{}/tests/samples/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    #[test]
    fn faults_give_code_message_and_back_off() {
        let bytes = sample("error-serverbusy-fault-response.xml");
        let doc = Doc::parse(&bytes).unwrap();
        let err = parse_envelope(&doc, "GetItem", "anna@example.com").unwrap_err();
        let s = err.server().unwrap();
        assert_eq!(s.code, ResponseCode::ErrorServerBusy);
        assert_eq!(s.back_off, Some(Duration::from_millis(297749)));

        let bytes = sample("error-schemavalidation-fault-response.xml");
        let doc = Doc::parse(&bytes).unwrap();
        let err = parse_envelope(&doc, "GetFolder", "").unwrap_err();
        assert_eq!(err.code(), Some(&ResponseCode::ErrorSchemaValidation));
        assert!(err.to_string().contains("line 2, position 630"), "{err}");

        let bytes = sample("error-soapfault-updateitem-contact-response.xml");
        let doc = Doc::parse(&bytes).unwrap();
        let err = parse_envelope(&doc, "UpdateItem", "").unwrap_err();
        assert_eq!(err.code(), Some(&ResponseCode::ErrorSchemaValidation));
        assert!(err.to_string().contains("EmailAddress4"), "{err}");
        assert!(err.to_string().contains("line 17, position 19"), "{err}");
    }

    #[test]
    fn error_messages_fail_alone() {
        let bytes = sample("error-itemnotfound-getfolder-response.xml");
        let doc = Doc::parse(&bytes).unwrap();
        let env = parse_envelope(&doc, "GetFolder", "").unwrap();
        assert_eq!(
            env.server_version.as_deref(),
            Some("14.2.328.9 Exchange2010_SP2")
        );
        let msgs = response_messages(env.body, "GetFolderResponse").unwrap();
        assert_eq!(msgs.len(), 1);
        assert_eq!(msgs[0].class, ResponseClass::Error);
        let e = msgs[0].error("GetFolder", "").unwrap();
        assert_eq!(e.code, ResponseCode::ErrorItemNotFound);
        assert_eq!(
            e.message,
            "The specified object was not found in the store."
        );
    }
}
