//! A small owned XML tree for SOAP requests and stored item properties.
//!
//! Requests are parsed once with quick-xml into [`Element`]s that keep each
//! element's namespace URI and local name, so a client may use any prefix
//! (`t:`, `types:`, a default namespace). Stored properties are re-written
//! with the canonical `t:` prefix when rendered. DTDs and entity references
//! other than the five predefined ones are refused: XML from outside never
//! expands entities.

mod parse;
mod write;

pub use parse::{ParseError, parse};
pub use write::{XmlOut, escape_attr, escape_text};

use serde::{Deserialize, Serialize};

/// The SOAP 1.1 envelope namespace.
pub const SOAP_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
/// The EWS types namespace (prefix `t:`).
pub const TYPES_NS: &str = "http://schemas.microsoft.com/exchange/services/2006/types";
/// The EWS messages namespace (prefix `m:`).
pub const MESSAGES_NS: &str = "http://schemas.microsoft.com/exchange/services/2006/messages";
/// The EWS errors namespace (prefix `e:`).
pub const ERRORS_NS: &str = "http://schemas.microsoft.com/exchange/services/2006/errors";

/// One element: namespace, local name, plain attributes and children.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Element {
    /// Namespace URI (empty when none).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub ns: String,
    /// Local name.
    pub name: String,
    /// Attributes without a namespace, in document order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attrs: Vec<(String, String)>,
    /// Child nodes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Node>,
}

/// A child node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Node {
    /// A child element.
    Element(Element),
    /// Character data (entities resolved).
    Text(String),
}

impl Element {
    /// A new element in the types namespace.
    pub fn t(name: &str) -> Element {
        Element {
            ns: TYPES_NS.into(),
            name: name.into(),
            attrs: vec![],
            children: vec![],
        }
    }

    /// A types-namespace element holding text.
    pub fn t_text(name: &str, text: impl Into<String>) -> Element {
        Element::t(name).with_text(text)
    }

    /// Adds an attribute.
    pub fn with_attr(mut self, name: &str, value: impl Into<String>) -> Element {
        self.attrs.push((name.into(), value.into()));
        self
    }

    /// Adds a text child.
    pub fn with_text(mut self, text: impl Into<String>) -> Element {
        self.children.push(Node::Text(text.into()));
        self
    }

    /// Adds a child element.
    pub fn with_child(mut self, child: Element) -> Element {
        self.children.push(Node::Element(child));
        self
    }

    /// The value of an attribute.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Child elements.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// Child elements, mutable.
    pub fn elements_mut(&mut self) -> impl Iterator<Item = &mut Element> {
        self.children.iter_mut().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// The first child element with this local name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    /// All child elements with this local name.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.elements().filter(move |e| e.name == name)
    }

    /// The first element child, whatever its name.
    pub fn first_element(&self) -> Option<&Element> {
        self.elements().next()
    }

    /// The text content of the element (all text descendants), trimmed.
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.collect_text(&mut out);
        out.trim().to_string()
    }

    fn collect_text(&self, out: &mut String) {
        for n in &self.children {
            match n {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => e.collect_text(out),
            }
        }
    }

    /// The trimmed text of a child element.
    pub fn child_text(&self, name: &str) -> Option<String> {
        self.child(name).map(Element::text)
    }

    /// Follows a path of child names.
    pub fn path(&self, names: &[&str]) -> Option<&Element> {
        let mut cur = self;
        for n in names {
            cur = cur.child(n)?;
        }
        Some(cur)
    }

    /// Serializes the element (with `t:`/`m:` prefixes for the EWS
    /// namespaces; the caller declares them on an ancestor).
    pub fn write_to(&self, out: &mut String) {
        let prefix = match self.ns.as_str() {
            TYPES_NS => "t:",
            MESSAGES_NS => "m:",
            _ => "",
        };
        out.push('<');
        out.push_str(prefix);
        out.push_str(&self.name);
        if prefix.is_empty() && !self.ns.is_empty() {
            out.push_str(" xmlns=\"");
            out.push_str(&escape_attr(&self.ns));
            out.push('"');
        }
        for (k, v) in &self.attrs {
            out.push(' ');
            out.push_str(k);
            out.push_str("=\"");
            out.push_str(&escape_attr(v));
            out.push('"');
        }
        if self.children.is_empty() {
            out.push_str("/>");
            return;
        }
        out.push('>');
        for n in &self.children {
            match n {
                Node::Text(t) => out.push_str(&escape_text(t)),
                Node::Element(e) => e.write_to(out),
            }
        }
        out.push_str("</");
        out.push_str(prefix);
        out.push_str(&self.name);
        out.push('>');
    }

    /// The element as a string (see [`Element::write_to`]).
    pub fn to_xml(&self) -> String {
        let mut s = String::new();
        self.write_to(&mut s);
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_with_any_prefix_and_writes_canonical_prefixes() {
        let doc = parse(
            br#"<?xml version="1.0"?><x:Item xmlns:x="http://schemas.microsoft.com/exchange/services/2006/types" A="1"><x:Subject>Fish &amp; chips &#233;</x:Subject><Other xmlns="urn:o"/></x:Item>"#,
        )
        .unwrap();
        assert_eq!(doc.ns, TYPES_NS);
        assert_eq!(doc.attr("A"), Some("1"));
        assert_eq!(doc.child_text("Subject").unwrap(), "Fish & chips é");
        assert_eq!(
            doc.to_xml(),
            r#"<t:Item A="1"><t:Subject>Fish &amp; chips é</t:Subject><Other xmlns="urn:o"/></t:Item>"#
        );
    }

    #[test]
    fn refuses_doctype_and_unknown_entities() {
        let e = parse(b"<!DOCTYPE x [<!ENTITY a \"b\">]><x>&a;</x>").unwrap_err();
        assert!(e.message.contains("DTD is prohibited"), "{e:?}");
        let e = parse(b"<x>&a;</x>").unwrap_err();
        assert!(e.message.contains("'a'"), "{e:?}");
    }

    #[test]
    fn reports_line_and_position_of_malformed_xml() {
        let e = parse(b"<a>\n  <b></c></a>").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.position > 1, "{e:?}");
    }
}
