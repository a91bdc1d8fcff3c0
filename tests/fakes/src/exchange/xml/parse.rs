//! quick-xml → [`Element`] tree, refusing DTDs and custom entities.

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use super::{Element, Node};

/// Why a document could not be read, with the place (1-based line and
/// column) as Exchange reports it in `ErrorSchemaValidation` faults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// What is wrong.
    pub message: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub position: usize,
}

/// Deepest nesting accepted; deeper documents are refused rather than
/// exhausting the stack of whoever walks the tree.
const MAX_DEPTH: usize = 256;

/// Parses a document into its root element.
pub fn parse(input: &[u8]) -> Result<Element, ParseError> {
    let mut reader = NsReader::from_reader(input);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let at = reader.buffer_position() as usize;
        let fail = |message: String, at: usize| {
            let (line, position) = line_col(input, at);
            ParseError {
                message,
                line,
                position,
            }
        };
        let (ns, event) = match reader.read_resolved_event() {
            Ok((ns, ev)) => (resolved(&ns), ev),
            Err(e) => {
                let pos = reader.error_position() as usize;
                return Err(fail(e.to_string(), pos));
            }
        };
        match event {
            Event::DocType(_) => {
                return Err(fail(
                    "For security reasons DTD is prohibited in this XML document.".into(),
                    at,
                ));
            }
            Event::Start(ref e) | Event::Empty(ref e) => {
                let is_empty = matches!(event, Event::Empty(_));
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                let mut attrs = Vec::new();
                for a in e.attributes() {
                    let a = a.map_err(|err| fail(err.to_string(), at))?;
                    let key = a.key;
                    if key.as_ref().starts_with(b"xmlns") {
                        continue;
                    }
                    let (ans, local) = reader.resolve_attribute(key);
                    if !matches!(ans, ResolveResult::Unbound) {
                        // Namespaced attributes (xsi:type, xml:lang) carry no
                        // data the fake needs.
                        continue;
                    }
                    let value = a
                        .unescape_value()
                        .map_err(|err| fail(err.to_string(), at))?
                        .into_owned();
                    attrs.push((String::from_utf8_lossy(local.as_ref()).into_owned(), value));
                }
                let el = Element {
                    ns,
                    name,
                    attrs,
                    children: vec![],
                };
                if is_empty {
                    attach(&mut stack, &mut root, el).map_err(|m| fail(m, at))?;
                } else {
                    if stack.len() >= MAX_DEPTH {
                        return Err(fail("The document is nested too deeply.".into(), at));
                    }
                    stack.push(el);
                }
            }
            Event::End(_) => {
                let el = stack
                    .pop()
                    .ok_or_else(|| fail("Unexpected end tag.".into(), at))?;
                attach(&mut stack, &mut root, el).map_err(|m| fail(m, at))?;
            }
            Event::Text(t) => {
                let text = t.decode().map_err(|err| fail(err.to_string(), at))?;
                push_text(&mut stack, &text).map_err(|m| fail(m, at))?;
            }
            Event::CData(t) => {
                let text = String::from_utf8_lossy(&t).into_owned();
                push_text(&mut stack, &text).map_err(|m| fail(m, at))?;
            }
            Event::GeneralRef(r) => {
                let ch = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => {
                        let name = String::from_utf8_lossy(&r).into_owned();
                        match name.as_str() {
                            "amp" => "&".into(),
                            "lt" => "<".into(),
                            "gt" => ">".into(),
                            "quot" => "\"".into(),
                            "apos" => "'".into(),
                            _ => {
                                return Err(fail(
                                    format!("Reference to undeclared entity '{name}'."),
                                    at,
                                ));
                            }
                        }
                    }
                    Err(e) => return Err(fail(e.to_string(), at)),
                };
                push_text(&mut stack, &ch).map_err(|m| fail(m, at))?;
            }
            Event::Eof => {
                if !stack.is_empty() {
                    return Err(fail("Unexpected end of file has occurred.".into(), at));
                }
                return root.ok_or_else(|| fail("Root element is missing.".into(), at));
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
}

fn resolved(ns: &ResolveResult<'_>) -> String {
    match ns {
        ResolveResult::Bound(n) => String::from_utf8_lossy(n.as_ref()).into_owned(),
        _ => String::new(),
    }
}

fn attach(stack: &mut [Element], root: &mut Option<Element>, el: Element) -> Result<(), String> {
    match stack.last_mut() {
        Some(parent) => {
            parent.children.push(Node::Element(el));
            Ok(())
        }
        None if root.is_none() => {
            *root = Some(el);
            Ok(())
        }
        None => Err("There are multiple root elements.".into()),
    }
}

fn push_text(stack: &mut [Element], text: &str) -> Result<(), String> {
    match stack.last_mut() {
        Some(parent) => {
            if let Some(Node::Text(prev)) = parent.children.last_mut() {
                prev.push_str(text);
            } else {
                parent.children.push(Node::Text(text.to_string()));
            }
            Ok(())
        }
        None if text.trim().is_empty() => Ok(()),
        None => Err("Data at the root level is invalid.".into()),
    }
}

/// 1-based line and column of a byte offset.
pub(crate) fn line_col(input: &[u8], at: usize) -> (usize, usize) {
    let at = at.min(input.len());
    let before = &input[..at];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let col = before.iter().rev().take_while(|b| **b != b'\n').count() + 1;
    (line, col)
}
