//! A small, fast XML writer for request bodies.
//!
//! Requests are built by appending to a byte buffer: EWS requests are flat
//! and regular, and escaping is the only subtle part.

/// Appends escaped XML to a buffer.
#[derive(Debug, Default)]
pub struct XmlWriter {
    buf: Vec<u8>,
}

/// Escapes `s` for text and attribute values.
pub fn escape_into(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    let mut last = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let rep: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&apos;",
            // Control characters other than tab, LF and CR are not allowed
            // in XML 1.0 at all; they are dropped.
            0..=8 | 11 | 12 | 14..=31 => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[last..i]);
        out.extend_from_slice(rep);
        last = i + 1;
    }
    out.extend_from_slice(&bytes[last..]);
}

impl XmlWriter {
    /// An empty writer.
    pub fn new() -> XmlWriter {
        XmlWriter {
            buf: Vec::with_capacity(2048),
        }
    }

    /// Appends raw, already well-formed XML.
    pub fn raw(&mut self, xml: &str) -> &mut Self {
        self.buf.extend_from_slice(xml.as_bytes());
        self
    }

    /// Opens `<name a="v" …>`.
    pub fn open(&mut self, name: &str, attrs: &[(&str, &str)]) -> &mut Self {
        self.tag(name, attrs);
        self.buf.push(b'>');
        self
    }

    /// Writes `<name a="v" …/>`.
    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> &mut Self {
        self.tag(name, attrs);
        self.buf.extend_from_slice(b"/>");
        self
    }

    fn tag(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.buf.push(b'<');
        self.buf.extend_from_slice(name.as_bytes());
        for (k, v) in attrs {
            self.buf.push(b' ');
            self.buf.extend_from_slice(k.as_bytes());
            self.buf.extend_from_slice(b"=\"");
            escape_into(&mut self.buf, v);
            self.buf.push(b'"');
        }
    }

    /// Closes `</name>`.
    pub fn close(&mut self, name: &str) -> &mut Self {
        self.buf.extend_from_slice(b"</");
        self.buf.extend_from_slice(name.as_bytes());
        self.buf.push(b'>');
        self
    }

    /// Writes escaped text.
    pub fn text(&mut self, text: &str) -> &mut Self {
        escape_into(&mut self.buf, text);
        self
    }

    /// Writes `<name>text</name>`.
    pub fn leaf(&mut self, name: &str, text: &str) -> &mut Self {
        self.open(name, &[]);
        self.text(text);
        self.close(name)
    }

    /// Writes `<name a="v">text</name>`.
    pub fn leaf_with(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> &mut Self {
        self.open(name, attrs);
        self.text(text);
        self.close(name)
    }

    /// The bytes written.
    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }

    /// The bytes written so far.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_illegal_controls() {
        let mut w = XmlWriter::new();
        w.leaf_with("t:A", &[("Key", "a\"<b")], "x & y <z>\u{1}\tq");
        assert_eq!(
            String::from_utf8(w.into_bytes()).unwrap(),
            "<t:A Key=\"a&quot;&lt;b\">x &amp; y &lt;z&gt;\tq</t:A>"
        );
    }
}
