//! Writing a `$batch` request body.

use std::fmt::Write as _;

/// One operation (an HTTP request inside the batch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// `GET`, `POST`, `MERGE`, `PUT`, `DELETE`.
    pub method: &'static str,
    /// The resource path relative to the service root, with its query
    /// (`AppointmentSet(guid'…')`).
    pub path: String,
    /// Extra headers (`If-Match`, `Content-Type`).
    pub headers: Vec<(String, String)>,
    /// A JSON body.
    pub body: Option<String>,
    /// A `Content-ID` for referring to the result of this operation.
    pub content_id: Option<String>,
}

impl Operation {
    /// An operation without headers or body.
    pub fn new(method: &'static str, path: impl Into<String>) -> Operation {
        Operation {
            method,
            path: path.into(),
            headers: Vec::new(),
            body: None,
            content_id: None,
        }
    }
    /// The same operation with a JSON body.
    pub fn json(mut self, body: String) -> Operation {
        self.body = Some(body);
        self
    }
    /// The same operation with `If-Match`.
    pub fn if_match(mut self, etag: &str) -> Operation {
        self.headers.push(("If-Match".into(), etag.into()));
        self
    }
}

/// A part of the batch: a read on its own or a changeset of writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestPart {
    /// A read (GETs must not be inside changesets).
    Query(Operation),
    /// Writes applied all or nothing.
    ChangeSet(Vec<Operation>),
}

/// A `$batch` request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchRequest {
    /// The outer boundary; changeset boundaries derive from it.
    pub boundary: String,
    /// The parts, in order.
    pub parts: Vec<RequestPart>,
}

const CRLF: &str = "\r\n";

impl BatchRequest {
    /// An empty batch whose boundaries derive from `id` (the caller passes
    /// a random UUID; tests a fixed one).
    pub fn new(id: uuid::Uuid) -> BatchRequest {
        BatchRequest {
            boundary: format!("batch_{}", id.simple()),
            parts: Vec::new(),
        }
    }

    /// Adds a changeset; returns its index among the parts.
    pub fn changeset(&mut self, ops: Vec<Operation>) -> usize {
        self.parts.push(RequestPart::ChangeSet(ops));
        self.parts.len() - 1
    }

    /// The `Content-Type` header of the request.
    pub fn content_type(&self) -> String {
        format!("multipart/mixed; boundary={}", self.boundary)
    }

    /// The body, with CRLF line ends as RFC 2046 asks.
    pub fn to_body(&self) -> String {
        let mut out = String::with_capacity(1024);
        for (i, part) in self.parts.iter().enumerate() {
            let _ = write!(out, "--{}{CRLF}", self.boundary);
            match part {
                RequestPart::Query(op) => write_operation(&mut out, op),
                RequestPart::ChangeSet(ops) => {
                    let cs = format!(
                        "changeset_{}_{i}",
                        self.boundary.trim_start_matches("batch_")
                    );
                    let _ = write!(
                        out,
                        "Content-Type: multipart/mixed; boundary={cs}{CRLF}{CRLF}"
                    );
                    for op in ops {
                        let _ = write!(out, "--{cs}{CRLF}");
                        write_operation(&mut out, op);
                    }
                    let _ = write!(out, "--{cs}--{CRLF}");
                }
            }
        }
        let _ = write!(out, "--{}--{CRLF}", self.boundary);
        out
    }
}

fn write_operation(out: &mut String, op: &Operation) {
    let _ = write!(
        out,
        "Content-Type: application/http{CRLF}Content-Transfer-Encoding: binary{CRLF}"
    );
    if let Some(id) = &op.content_id {
        let _ = write!(out, "Content-ID: {id}{CRLF}");
    }
    let _ = write!(out, "{CRLF}{} {} HTTP/1.1{CRLF}", op.method, op.path);
    let _ = write!(out, "Accept: application/json{CRLF}");
    for (k, v) in &op.headers {
        let _ = write!(out, "{k}: {v}{CRLF}");
    }
    match &op.body {
        Some(b) => {
            let _ = write!(
                out,
                "Content-Type: application/json{CRLF}Content-Length: {}{CRLF}{CRLF}{b}{CRLF}",
                b.len()
            );
        }
        None => {
            let _ = write!(out, "{CRLF}{CRLF}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_changesets_and_reads_outside_them() {
        let mut b = BatchRequest::new(uuid::Uuid::from_u128(0xab));
        b.parts
            .push(RequestPart::Query(Operation::new("GET", "Tasks?$top=1")));
        b.changeset(vec![
            Operation::new("POST", "AppointmentSet").json("{\"Guid\":\"x\"}".into()),
            Operation::new("DELETE", "AttendeeSet(Guid=guid'1',PartnerGuid=guid'2')")
                .if_match("W/\"1\""),
        ]);
        let body = b.to_body();
        let bnd = "batch_000000000000000000000000000000ab";
        assert_eq!(b.content_type(), format!("multipart/mixed; boundary={bnd}"));
        let expected = format!(
            "--{bnd}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n\
GET Tasks?$top=1 HTTP/1.1\r\nAccept: application/json\r\n\r\n\r\n\
--{bnd}\r\nContent-Type: multipart/mixed; boundary=changeset_000000000000000000000000000000ab_1\r\n\r\n\
--changeset_000000000000000000000000000000ab_1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n\
POST AppointmentSet HTTP/1.1\r\nAccept: application/json\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n{{\"Guid\":\"x\"}}\r\n\
--changeset_000000000000000000000000000000ab_1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n\
DELETE AttendeeSet(Guid=guid'1',PartnerGuid=guid'2') HTTP/1.1\r\nAccept: application/json\r\nIf-Match: W/\"1\"\r\n\r\n\r\n\
--changeset_000000000000000000000000000000ab_1--\r\n--{bnd}--\r\n"
        );
        assert_eq!(body, expected);
    }
}
