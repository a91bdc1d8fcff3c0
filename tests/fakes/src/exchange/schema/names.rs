//! The check that needs no XSD engine: every element a request uses in the
//! EWS namespaces is one that Microsoft's schema declares, nothing from a
//! foreign namespace sits in the Body, the operation element holds the
//! children its type requires, and the requested server version is one the
//! schema lists.
//!
//! It does not check order, types or cardinality below the operation; the
//! `xsd` feature does. It catches what breaks most often in a client: a
//! misspelt or invented element, a wrong namespace, a missing required
//! part of the operation, an unknown `RequestServerVersion`.

use std::collections::{HashMap, HashSet};

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::{NsReader, Reader};

use super::{Violation, file};
use crate::exchange::error::{FakeExchangeError, Result};
use crate::exchange::xml::{MESSAGES_NS, SOAP_NS, TYPES_NS};

/// The element names that `messages.xsd` and `types.xsd` declare, and the
/// server versions of `ExchangeVersionType`.
#[derive(Debug)]
pub struct DeclaredNames {
    messages: HashSet<String>,
    types: HashSet<String>,
    versions: HashSet<String>,
    /// Operation (global element of messages.xsd) → the children its type
    /// requires.
    required: HashMap<String, Vec<String>>,
}

impl DeclaredNames {
    /// Reads the embedded schema.
    pub fn load() -> Result<DeclaredNames> {
        let (messages, _) = declared(file("messages.xsd"))?;
        let (types, versions) = declared(file("types.xsd"))?;
        let required = required_children(file("messages.xsd"))?;
        if messages.is_empty() || types.is_empty() || versions.is_empty() {
            return Err(FakeExchangeError::Schema {
                message: "the embedded EWS schema declares no elements".into(),
            });
        }
        Ok(DeclaredNames {
            messages,
            types,
            versions,
            required,
        })
    }

    /// Checks a request; the first problem is reported with its place.
    pub fn check(&self, xml: &[u8]) -> Result<(), Violation> {
        let mut reader = NsReader::from_reader(xml);
        // The open elements: (namespace, local name, where it started, the
        // local names of its child elements so far).
        let mut open: Vec<Open> = Vec::new();
        loop {
            let at = reader.buffer_position() as usize;
            let violation = |message: String| {
                let (line, position) = line_col(xml, at);
                Violation {
                    line,
                    position,
                    message,
                }
            };
            let (ns, event) = match reader.read_resolved_event() {
                Ok((ns, ev)) => (bound(&ns), ev),
                // Well-formedness is the parser's job; it has already run.
                Err(_) => return Ok(()),
            };
            match event {
                Event::Start(ref e) | Event::Empty(ref e) => {
                    let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                    let declared = match ns.as_str() {
                        MESSAGES_NS => Some(&self.messages),
                        TYPES_NS => Some(&self.types),
                        _ => None,
                    };
                    match declared {
                        Some(set) if !set.contains(&name) => {
                            return Err(violation(format!(
                                "The element '{name}' in namespace '{ns}' is not declared by the EWS schema."
                            )));
                        }
                        None if in_body(&open) => {
                            return Err(violation(format!(
                                "The element '{name}' in namespace '{ns}' is not allowed in the body of an EWS request; EWS elements are in {MESSAGES_NS} or {TYPES_NS}."
                            )));
                        }
                        _ => {}
                    }
                    if ns == TYPES_NS && name == "RequestServerVersion" {
                        let version = e
                            .attributes()
                            .flatten()
                            .find(|a| a.key.local_name().as_ref() == b"Version")
                            .map(|a| String::from_utf8_lossy(&a.value).into_owned());
                        match version {
                            Some(v) if self.versions.contains(&v) => {}
                            other => {
                                return Err(violation(format!(
                                    "The 'Version' attribute of RequestServerVersion is invalid: {}; the schema's ExchangeVersionType lists Exchange2007 … V2018_01_08.",
                                    other.map_or("missing".into(), |v| format!("'{v}'"))
                                )));
                            }
                        }
                    }
                    if let Some(parent) = open.last_mut() {
                        parent.children.push(name.clone());
                    }
                    let element = Open {
                        ns,
                        name,
                        at,
                        children: Vec::new(),
                    };
                    if matches!(event, Event::Start(_)) {
                        open.push(element);
                    } else {
                        self.complete(&element, xml)?;
                    }
                }
                Event::End(_) => {
                    if let Some(element) = open.pop() {
                        self.complete(&element, xml)?;
                    }
                }
                Event::Eof => return Ok(()),
                _ => {}
            }
        }
    }
}

struct Open {
    ns: String,
    name: String,
    at: usize,
    children: Vec<String>,
}

impl DeclaredNames {
    /// An operation element has every child its type requires.
    fn complete(&self, element: &Open, xml: &[u8]) -> Result<(), Violation> {
        if element.ns != MESSAGES_NS {
            return Ok(());
        }
        let Some(required) = self.required.get(&element.name) else {
            return Ok(());
        };
        match required.iter().find(|r| !element.children.contains(r)) {
            None => Ok(()),
            Some(missing) => {
                let (line, position) = line_col(xml, element.at);
                Err(Violation {
                    line,
                    position,
                    message: format!(
                        "The element '{}' in namespace '{MESSAGES_NS}' has incomplete content: '{missing}' is required (found: {}).",
                        element.name,
                        if element.children.is_empty() {
                            "nothing".into()
                        } else {
                            element.children.join(", ")
                        }
                    ),
                })
            }
        }
    }
}

fn in_body(open: &[Open]) -> bool {
    open.iter().any(|o| o.ns == SOAP_NS && o.name == "Body")
}

fn bound(ns: &ResolveResult<'_>) -> String {
    match ns {
        ResolveResult::Bound(n) => String::from_utf8_lossy(n.as_ref()).into_owned(),
        _ => String::new(),
    }
}

fn line_col(input: &[u8], at: usize) -> (usize, usize) {
    let before = &input[..at.min(input.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let col = before.iter().rev().take_while(|b| **b != b'\n').count() + 1;
    (line, col)
}

/// Every `xs:element name="…"` of a schema (global and local alike: EWS's
/// schemas qualify local elements), and the enumeration values of
/// `ExchangeVersionType` when the schema defines it.
fn declared(xsd: &[u8]) -> Result<(HashSet<String>, HashSet<String>)> {
    let mut reader = Reader::from_reader(xsd);
    let mut names = HashSet::new();
    let mut versions = HashSet::new();
    let mut in_versions = false;
    loop {
        let event = reader.read_event().map_err(|e| FakeExchangeError::Schema {
            message: format!("the embedded schema does not parse: {e}"),
        })?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let attr = |key: &[u8]| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == key)
                        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
                };
                match e.local_name().as_ref() {
                    b"element" => names.extend(attr(b"name")),
                    b"simpleType" if matches!(event, Event::Start(_)) => {
                        in_versions = attr(b"name").as_deref() == Some("ExchangeVersionType");
                    }
                    b"enumeration" if in_versions => versions.extend(attr(b"value")),
                    _ => {}
                }
            }
            Event::End(ref e) if e.local_name().as_ref() == b"simpleType" => in_versions = false,
            Event::Eof => return Ok((names, versions)),
            _ => {}
        }
    }
}

/// For each global element of messages.xsd, the elements its complex type
/// requires directly: those of its `xs:sequence` that are not optional and
/// not inside an `xs:choice`. A type that extends another of messages.xsd
/// inherits its base's requirements.
fn required_children(xsd: &[u8]) -> Result<HashMap<String, Vec<String>>> {
    let mut reader = Reader::from_reader(xsd);
    let mut by_type: HashMap<String, (Option<String>, Vec<String>)> = HashMap::new();
    let mut element_type: Vec<(String, String)> = Vec::new();
    // The open xs: elements (local names) inside the current complexType.
    let mut path: Vec<Vec<u8>> = Vec::new();
    let mut current: Option<String> = None;
    loop {
        let event = reader.read_event().map_err(|e| FakeExchangeError::Schema {
            message: format!("the embedded schema does not parse: {e}"),
        })?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let attr = |key: &[u8]| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == key)
                        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
                };
                let local = e.local_name().as_ref().to_vec();
                let opens = matches!(event, Event::Start(_));
                match (current.as_ref(), local.as_slice()) {
                    (None, b"complexType") if path.is_empty() => {
                        if let Some(name) = attr(b"name") {
                            by_type.entry(name.clone()).or_default();
                            if opens {
                                current = Some(name);
                                continue;
                            }
                        }
                    }
                    (None, b"element") if path.is_empty() => {
                        if let (Some(name), Some(ty)) = (attr(b"name"), attr(b"type")) {
                            element_type.push((name, ty));
                        }
                    }
                    (Some(ty), b"extension") => {
                        let base = attr(b"base").map(|b| local_name(&b));
                        if let Some(entry) = by_type.get_mut(ty) {
                            entry.0 = base;
                        }
                    }
                    (Some(ty), b"element") => {
                        let in_choice = path.iter().any(|p| p == b"choice");
                        let direct = path.last().is_some_and(|p| p == b"sequence")
                            && path.iter().filter(|p| *p == b"sequence").count() == 1;
                        let optional = attr(b"minOccurs").as_deref() == Some("0");
                        if let (true, Some(name), Some(entry)) = (
                            direct && !in_choice && !optional,
                            attr(b"name"),
                            by_type.get_mut(ty),
                        ) {
                            entry.1.push(name);
                        }
                    }
                    _ => {}
                }
                if opens && local.as_slice() != b"schema" {
                    path.push(local);
                }
            }
            Event::End(ref e) => {
                let local = e.local_name().as_ref().to_vec();
                if current.is_some() && path.is_empty() && local.as_slice() == b"complexType" {
                    current = None;
                } else if local.as_slice() != b"schema" {
                    path.pop();
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let requirements = |ty: &str| {
        let mut out = Vec::new();
        let mut next = Some(ty.to_owned());
        // Bases form a short chain; the bound guards against a cycle.
        for _ in 0..8 {
            let Some(t) = next.take() else { break };
            if let Some((base, own)) = by_type.get(&t) {
                out.splice(0..0, own.iter().cloned());
                next = base.clone();
            }
        }
        out
    };
    Ok(element_type
        .into_iter()
        .map(|(element, ty)| {
            let required = requirements(&local_name(&ty));
            (element, required)
        })
        .filter(|(_, r)| !r.is_empty())
        .collect())
}

fn local_name(qname: &str) -> String {
    qname.rsplit(':').next().unwrap_or(qname).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> DeclaredNames {
        DeclaredNames::load().unwrap()
    }

    fn request(header: &str, body: &str) -> Vec<u8> {
        format!(
            "<s:Envelope xmlns:s=\"{SOAP_NS}\" xmlns:m=\"{MESSAGES_NS}\" xmlns:t=\"{TYPES_NS}\"><s:Header>{header}</s:Header><s:Body>{body}</s:Body></s:Envelope>"
        )
        .into_bytes()
    }

    #[test]
    fn the_schema_declares_what_requests_use() {
        let n = names();
        for m in [
            "GetItem",
            "ItemShape",
            "ItemIds",
            "SyncFolderItems",
            "Subscribe",
        ] {
            assert!(n.messages.contains(m), "{m}");
        }
        for t in [
            "CalendarItem",
            "FieldURI",
            "ExtendedFieldURI",
            "Mailbox",
            "Recurrence",
        ] {
            assert!(n.types.contains(t), "{t}");
        }
        assert!(n.versions.contains("Exchange2013_SP1"));
        assert!(n.versions.contains("V2018_01_08"));
        assert_eq!(n.versions.len(), 21);
        assert_eq!(n.required["GetItem"], ["ItemShape", "ItemIds"]);
        assert_eq!(n.required["CreateItem"], ["Items"]);
        // Subscribe is a choice of pull, push and streaming: nothing required.
        assert!(!n.required.contains_key("Subscribe"));
    }

    #[test]
    fn undeclared_foreign_and_versionless_requests_are_refused() {
        let n = names();
        let good = request(
            "<t:RequestServerVersion Version=\"Exchange2013_SP1\"/>",
            "<m:GetItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape><m:ItemIds><t:ItemId Id=\"x\"/></m:ItemIds></m:GetItem>",
        );
        n.check(&good).unwrap();

        let incomplete = request(
            "",
            "<m:GetItem><m:ItemIds><t:ItemId Id=\"x\"/></m:ItemIds></m:GetItem>",
        );
        let v = n.check(&incomplete).unwrap_err();
        assert!(
            v.message
                .contains("'ItemShape' is required (found: ItemIds)"),
            "{v:?}"
        );

        let typo = request("", "<m:GetItem><m:ItemShap/></m:GetItem>");
        let v = n.check(&typo).unwrap_err();
        assert!(v.message.contains("'ItemShap'"), "{v:?}");
        assert_eq!(v.line, 1);

        let foreign = request("", "<m:GetItem><x:Evil xmlns:x=\"urn:evil\"/></m:GetItem>");
        assert!(
            n.check(&foreign)
                .unwrap_err()
                .message
                .contains("not allowed in the body")
        );

        let swapped = request("", "<t:GetItem/>");
        assert!(
            n.check(&swapped)
                .unwrap_err()
                .message
                .contains("'GetItem' in namespace")
        );

        for bad in ["Exchange2099", ""] {
            let r = request(
                &format!("<t:RequestServerVersion Version=\"{bad}\"/>"),
                "<m:GetItem/>",
            );
            let v = n.check(&r).unwrap_err();
            assert!(
                v.message.contains("RequestServerVersion is invalid"),
                "{v:?}"
            );
        }
        let r = request("<t:RequestServerVersion/>", "<m:GetItem/>");
        assert!(n.check(&r).unwrap_err().message.contains("missing"));
    }
}
