//! A read-only element tree over the input bytes, built with quick-xml.
//!
//! Elements are matched by local name: EWS documents come with any prefix
//! (`soap:`, `s:`, `soap11:`, none) and the Microsoft samples even misspell
//! the envelope namespace, so the namespace URI is not checked — only that
//! every prefix in use is declared, as well-formedness requires. Names and
//! text borrow from the input where they can.
//!
//! Safety: a `<!DOCTYPE` is refused, so no DTD is read and no entity other
//! than the five predefined ones and character references can be expanded.

use std::borrow::Cow;

use quick_xml::Reader;
use quick_xml::events::attributes::Attributes;
use quick_xml::events::{BytesRef, Event};

use crate::error::EwsError;

const NONE: u32 = u32::MAX;
/// Deeper documents are refused: no EWS response nests this deep.
const MAX_DEPTH: usize = 128;

#[derive(Debug)]
struct Element<'a> {
    /// `prefix:Local attr="…"`: the whole tag content.
    raw: &'a str,
    /// Length of the qualified name in `raw`.
    name_len: usize,
    /// Start of the local name in `raw`.
    local_start: usize,
    text: Cow<'a, str>,
    first_child: u32,
    last_child: u32,
    next_sibling: u32,
}

/// A parsed document: its elements in document order.
#[derive(Debug)]
pub struct Doc<'a> {
    elements: Vec<Element<'a>>,
}

/// One element of a [`Doc`].
#[derive(Clone, Copy)]
pub struct Node<'d, 'a> {
    doc: &'d Doc<'a>,
    index: u32,
}

impl std::fmt::Debug for Node<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<{}>", self.name())
    }
}

fn bad(what: impl Into<String>) -> EwsError {
    EwsError::Xml(what.into())
}

fn utf8(bytes: &[u8]) -> Result<&str, EwsError> {
    std::str::from_utf8(bytes).map_err(|_| bad("the document is not valid UTF-8"))
}

fn resolve_ref(r: &BytesRef<'_>) -> Result<char, EwsError> {
    if let Some(c) = r
        .resolve_char_ref()
        .map_err(|e| bad(format!("bad character reference: {e}")))?
    {
        return Ok(c);
    }
    let name = r
        .decode()
        .map_err(|_| bad("the document is not valid UTF-8"))?;
    match name.as_ref() {
        "amp" => Ok('&'),
        "lt" => Ok('<'),
        "gt" => Ok('>'),
        "quot" => Ok('"'),
        "apos" => Ok('\''),
        other => Err(bad(format!(
            "undeclared entity &{other}; (entities other than the five predefined ones are refused)"
        ))),
    }
}

struct Builder<'a> {
    elements: Vec<Element<'a>>,
    stack: Vec<u32>,
    /// Declared prefixes with the depth of the element that declared them.
    prefixes: Vec<(&'a [u8], usize)>,
    seen_anything: bool,
    root_done: bool,
}

impl<'a> Builder<'a> {
    fn open(&mut self, raw: &'a str, name_len: usize, empty: bool) -> Result<(), EwsError> {
        if self.root_done {
            return Err(bad(
                "the document has more than one root element (a fragment, not a document)",
            ));
        }
        self.seen_anything = true;
        let name = &raw.as_bytes()[..name_len];
        let depth = self.stack.len();
        if depth >= MAX_DEPTH {
            return Err(bad(format!("elements nest deeper than {MAX_DEPTH} levels")));
        }
        if memfind(&raw.as_bytes()[name_len..], b"xmlns:") {
            for a in Attributes::new(raw, name_len) {
                let a = a.map_err(|e| {
                    bad(format!(
                        "bad attribute in <{}>: {e}",
                        String::from_utf8_lossy(name)
                    ))
                })?;
                if let Some(p) = a.key.as_ref().strip_prefix(b"xmlns:") {
                    self.prefixes.push((slice_in(raw.as_bytes(), p), depth));
                }
            }
        }
        let local_start = match name.iter().position(|&b| b == b':') {
            Some(i) => {
                let p = &name[..i];
                if p != b"xml" && !self.prefixes.iter().any(|(q, _)| *q == p) {
                    return Err(bad(format!(
                        "namespace prefix {:?} of <{}> is not declared",
                        String::from_utf8_lossy(p),
                        String::from_utf8_lossy(name)
                    )));
                }
                i + 1
            }
            None => 0,
        };
        let index = self.elements.len() as u32;
        self.elements.push(Element {
            raw,
            name_len,
            local_start,
            text: Cow::Borrowed(""),
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
        });
        if let Some(&parent) = self.stack.last() {
            let p = &mut self.elements[parent as usize];
            if p.first_child == NONE {
                // Mixed content does not occur in EWS: text before the
                // first child is indentation.
                p.first_child = index;
                p.text = Cow::Borrowed("");
            } else {
                let last = p.last_child as usize;
                self.elements[last].next_sibling = index;
            }
            self.elements[parent as usize].last_child = index;
        }
        if empty {
            self.close_scope(depth);
        } else {
            self.stack.push(index);
        }
        Ok(())
    }

    fn close_scope(&mut self, depth: usize) {
        if !self.prefixes.is_empty() {
            self.prefixes.retain(|(_, d)| *d < depth);
        }
        if depth == 0 {
            self.root_done = true;
        }
    }

    fn text(&mut self, src: &'a str, input: &[u8], raw: &[u8]) -> Result<(), EwsError> {
        match self.stack.last() {
            Some(&top) => {
                let el = &mut self.elements[top as usize];
                // Indentation between child elements is not kept.
                if el.first_child == NONE {
                    push_text(&mut el.text, sub(src, input, raw)?);
                }
                Ok(())
            }
            None => self.outside(sub(src, input, raw)?),
        }
    }

    fn outside(&mut self, piece: &str) -> Result<(), EwsError> {
        match piece {
            p if p.bytes().all(|b| b.is_ascii_whitespace()) => {
                self.seen_anything = true;
                Ok(())
            }
            _ => Err(bad(format!(
                "text outside the root element: {:?} (is this XML at all?)",
                piece.chars().take(40).collect::<String>()
            ))),
        }
    }
}

/// `part` (borrowed from `input` by the slice reader) as a slice of `src`
/// (the same bytes, validated as UTF-8 once): no second validation.
fn sub<'a>(src: &'a str, input: &[u8], part: &[u8]) -> Result<&'a str, EwsError> {
    let start = (part.as_ptr() as usize).wrapping_sub(input.as_ptr() as usize);
    src.get(start..start.wrapping_add(part.len()))
        .filter(|s| s.as_ptr() == part.as_ptr())
        .ok_or_else(|| bad("internal: event was not borrowed from the input"))
}

impl<'a> Doc<'a> {
    /// Parses `input` into a tree.
    pub fn parse(input: &'a [u8]) -> Result<Doc<'a>, EwsError> {
        // Validated once; every name and text is a slice of it.
        let src = utf8(input)?;
        let mut reader = Reader::from_reader(input);
        let config = reader.config_mut();
        config.check_end_names = true;
        config.expand_empty_elements = false;
        config.trim_text(false);
        let mut b = Builder {
            elements: Vec::with_capacity(input.len() / 64),
            stack: Vec::with_capacity(32),
            prefixes: Vec::new(),
            seen_anything: false,
            root_done: false,
        };
        loop {
            let pos = reader.buffer_position();
            let event = reader.read_event().map_err(|e| {
                bad(format!(
                    "the document is not well-formed XML near byte {pos}: {e}"
                ))
            })?;
            match event {
                Event::Start(e) => {
                    let n = e.name().as_ref().len();
                    b.open(sub(src, input, &e)?, n, false)?;
                }
                Event::Empty(e) => {
                    let n = e.name().as_ref().len();
                    b.open(sub(src, input, &e)?, n, true)?;
                }
                Event::End(_) => {
                    b.stack.pop();
                    let depth = b.stack.len();
                    b.close_scope(depth);
                }
                Event::Text(t) => b.text(src, input, &t)?,
                Event::CData(t) => b.text(src, input, &t)?,
                Event::GeneralRef(r) => {
                    let c = resolve_ref(&r)?;
                    let Some(&top) = b.stack.last() else {
                        return Err(bad("a reference outside the root element"));
                    };
                    let el = &mut b.elements[top as usize];
                    if el.first_child == NONE {
                        el.text.to_mut().push(c);
                    }
                }
                Event::Decl(_) => {
                    if b.seen_anything {
                        return Err(bad(
                            "the XML declaration is not at the very start of the document (something, even a space, comes before <?xml)",
                        ));
                    }
                    b.seen_anything = true;
                }
                Event::DocType(_) => {
                    return Err(bad(
                        "the document has a <!DOCTYPE>; DTDs and entity definitions are refused",
                    ));
                }
                Event::Comment(_) | Event::PI(_) => b.seen_anything = true,
                Event::Eof => break,
            }
        }
        if !b.stack.is_empty() {
            return Err(bad("the document ends inside an element (truncated?)"));
        }
        if b.elements.is_empty() {
            return Err(bad("the document has no root element"));
        }
        Ok(Doc {
            elements: b.elements,
        })
    }

    /// The root element.
    pub fn root(&self) -> Node<'_, 'a> {
        Node {
            doc: self,
            index: 0,
        }
    }
}

fn push_text<'a>(text: &mut Cow<'a, str>, piece: &'a str) {
    if text.is_empty() {
        *text = Cow::Borrowed(piece);
    } else {
        text.to_mut().push_str(piece);
    }
}

/// `needle` occurs in `hay`.
fn memfind(hay: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(hay, needle).is_some()
}

/// Re-borrows `part` (a sub-slice of `whole`) with `whole`'s lifetime.
fn slice_in<'a>(whole: &'a [u8], part: &[u8]) -> &'a [u8] {
    let start = (part.as_ptr() as usize).saturating_sub(whole.as_ptr() as usize);
    whole.get(start..start + part.len()).unwrap_or_default()
}

impl<'d, 'a> Node<'d, 'a> {
    fn el(&self) -> &'d Element<'a> {
        &self.doc.elements[self.index as usize]
    }

    /// The local name (without prefix).
    pub fn name(&self) -> &'d str {
        let e = self.el();
        e.raw.get(e.local_start..e.name_len).unwrap_or("")
    }

    /// Whether the local name is `name`.
    pub fn is(&self, name: &str) -> bool {
        let e = self.el();
        e.raw.as_bytes().get(e.local_start..e.name_len) == Some(name.as_bytes())
    }

    /// The text content of a leaf element, as written (not trimmed).
    pub fn raw_text(&self) -> &'d str {
        &self.el().text
    }

    /// The text content, trimmed.
    pub fn text(&self) -> &'d str {
        self.el().text.trim()
    }

    /// The value of the attribute with local name `name`, unescaped.
    pub fn attr(&self, name: &str) -> Option<Cow<'d, str>> {
        let e = self.el();
        let mut rest = e.raw.get(e.name_len..)?;
        // A plain scan: attributes are `key="value"` or `key='value'`
        // separated by white space; values hold no quote of their kind.
        loop {
            rest = rest.trim_start();
            let eq = rest.find('=')?;
            let key = rest[..eq].trim_end();
            let after = rest[eq + 1..].trim_start();
            let quote = after.chars().next().filter(|q| *q == '"' || *q == '\'')?;
            let len = after[1..].find(quote)?;
            let value = &after[1..1 + len];
            rest = &after[len + 2..];
            let local = key.rsplit(':').next().unwrap_or(key);
            if local == name && key != "xmlns" && !key.starts_with("xmlns:") {
                return if value.contains('&') {
                    quick_xml::escape::unescape(value)
                        .ok()
                        .map(|v| Cow::Owned(v.into_owned()))
                } else {
                    Some(Cow::Borrowed(value))
                };
            }
        }
    }

    /// The child elements.
    pub fn children(&self) -> Children<'d, 'a> {
        Children {
            doc: self.doc,
            next: self.el().first_child,
        }
    }

    /// The first child with local name `name`.
    pub fn child(&self, name: &str) -> Option<Node<'d, 'a>> {
        self.children().find(|c| c.is(name))
    }

    /// The first child element, whatever its name.
    pub fn first_child(&self) -> Option<Node<'d, 'a>> {
        self.children().next()
    }

    /// The children with local name `name`.
    pub fn children_named<'n>(&self, name: &'n str) -> impl Iterator<Item = Node<'d, 'a>> + 'n
    where
        'd: 'n,
        'a: 'n,
    {
        self.children().filter(move |c| c.is(name))
    }

    /// The trimmed text of the first child named `name`.
    pub fn child_text(&self, name: &str) -> Option<&'d str> {
        self.child(name).map(|c| c.text())
    }

    /// Follows a path of child names.
    pub fn path(&self, names: &[&str]) -> Option<Node<'d, 'a>> {
        let mut n = *self;
        for name in names {
            n = n.child(name)?;
        }
        Some(n)
    }

    /// Every descendant (depth first) with local name `name`.
    pub fn descendants_named(&self, name: &str) -> Vec<Node<'d, 'a>> {
        let mut out = Vec::new();
        let mut todo = vec![*self];
        while let Some(n) = todo.pop() {
            let kids: Vec<_> = n.children().collect();
            for k in kids.into_iter().rev() {
                if k.is(name) {
                    out.push(k);
                }
                todo.push(k);
            }
        }
        out
    }
}

/// Iterator over child elements.
pub struct Children<'d, 'a> {
    doc: &'d Doc<'a>,
    next: u32,
}

impl<'d, 'a> Iterator for Children<'d, 'a> {
    type Item = Node<'d, 'a>;
    fn next(&mut self) -> Option<Node<'d, 'a>> {
        if self.next == NONE {
            return None;
        }
        let n = Node {
            doc: self.doc,
            index: self.next,
        };
        self.next = self.doc.elements[self.next as usize].next_sibling;
        Some(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_text_attributes_and_references() {
        let doc = Doc::parse(
            br#"<?xml version="1.0"?><s:E xmlns:s="x" xmlns:t="y"><t:A Id="1&amp;2"> a &lt; b &#65; </t:A><B/><t:A>second</t:A></s:E>"#,
        )
        .unwrap();
        let root = doc.root();
        assert_eq!(root.name(), "E");
        let a = root.child("A").unwrap();
        assert_eq!(a.text(), "a < b A");
        assert_eq!(a.attr("Id").unwrap(), "1&2");
        assert_eq!(root.children().count(), 3);
        assert_eq!(root.children_named("A").nth(1).unwrap().text(), "second");
        assert!(root.child("B").unwrap().first_child().is_none());
        let doc = Doc::parse(
            br#"<a xmlns:p="u" Name = 'x="y" z' p:Key="k&lt;1" Id="=>"  ChangeKey="ck"/>"#,
        )
        .unwrap();
        let a = doc.root();
        assert_eq!(a.attr("Name").unwrap(), "x=\"y\" z");
        assert_eq!(a.attr("Key").unwrap(), "k<1");
        assert_eq!(a.attr("Id").unwrap(), "=>");
        assert_eq!(a.attr("ChangeKey").unwrap(), "ck");
        assert!(a.attr("p").is_none());
        assert!(a.attr("Missing").is_none());
    }

    #[test]
    fn hostile_or_broken_documents_are_refused() {
        let e = Doc::parse(b"<!DOCTYPE x [<!ENTITY a \"b\">]><x>&a;</x>").unwrap_err();
        assert!(e.to_string().contains("DOCTYPE"), "{e}");
        let e = Doc::parse(b" <?xml version=\"1.0\"?><x/>").unwrap_err();
        assert!(e.to_string().contains("declaration"), "{e}");
        let e = Doc::parse(b"<a><b></a>").unwrap_err();
        assert!(e.to_string().contains("well-formed"), "{e}");
        let e = Doc::parse(b"<t:a/>").unwrap_err();
        assert!(e.to_string().contains("prefix"), "{e}");
        let e = Doc::parse(b"<a/><b/>").unwrap_err();
        assert!(e.to_string().contains("more than one root"), "{e}");
        let e = Doc::parse(b"POST /EWS HTTP/1.1\n<a/>").unwrap_err();
        assert!(e.to_string().contains("outside the root"), "{e}");
        let e = Doc::parse(b"<a><b>").unwrap_err();
        assert!(e.to_string().contains("ends inside"), "{e}");
        let e = Doc::parse(b"<a>&bogus;</a>").unwrap_err();
        assert!(e.to_string().contains("bogus"), "{e}");
    }
}
