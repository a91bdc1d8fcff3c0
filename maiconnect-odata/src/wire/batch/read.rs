//! Reading a `$batch` response body (CRLF or LF line ends; preamble,
//! epilogue and wrong `Content-Length` headers are tolerated, since the
//! boundaries alone delimit the parts).

use crate::error::ODataError;

/// One HTTP response inside a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpPart {
    /// Its status code.
    pub status: u16,
    /// Its reason phrase.
    pub reason: String,
    /// Its headers, in order.
    pub headers: Vec<(String, String)>,
    /// Its body.
    pub body: Vec<u8>,
}

impl HttpPart {
    /// A header's value (the name compared without case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// One part of a batch response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponsePart {
    /// The response to a query, or a failed changeset's single error.
    Single(HttpPart),
    /// The responses to a changeset's operations.
    ChangeSet(Vec<HttpPart>),
}

/// A parsed batch response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchResponse {
    /// One part per request part, in order.
    pub parts: Vec<ResponsePart>,
}

/// The `boundary` parameter of a `multipart/mixed` content type.
pub fn boundary_of(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"').to_owned())
            .filter(|b| !b.is_empty())
    })
}

/// The boundary from the first delimiter line of a body, for bodies read
/// without their headers (`decode FILE`).
pub fn sniff_boundary(body: &[u8]) -> Option<String> {
    lines(body).find_map(|(_, line)| {
        let t = trim_line(line);
        let b = t.strip_prefix(b"--")?;
        (!b.is_empty())
            .then(|| String::from_utf8_lossy(b.strip_suffix(b"--").unwrap_or(b)).into_owned())
    })
}

/// Lines with their start offsets; each line excludes its `\n`.
fn lines(body: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= body.len() {
            return None;
        }
        let start = pos;
        let end = body[start..]
            .iter()
            .position(|b| *b == b'\n')
            .map_or(body.len(), |i| start + i);
        pos = end + 1;
        Some((start, &body[start..end]))
    })
}

fn trim_line(line: &[u8]) -> &[u8] {
    line.trim_ascii_end()
}

/// Drops the line break in front of a delimiter, which belongs to it.
fn strip_break(part: &[u8]) -> &[u8] {
    let p = part.strip_suffix(b"\n").unwrap_or(part);
    p.strip_suffix(b"\r").unwrap_or(p)
}

/// Splits a multipart body into the contents of its parts.
fn split_parts<'a>(body: &'a [u8], boundary: &str) -> Result<Vec<&'a [u8]>, ODataError> {
    let delim = format!("--{boundary}");
    let close = format!("--{boundary}--");
    let mut parts = Vec::new();
    let mut open: Option<usize> = None;
    for (start, line) in lines(body) {
        let t = trim_line(line);
        let is_close = t == close.as_bytes();
        if !(is_close || t == delim.as_bytes()) {
            continue;
        }
        if let Some(s) = open.take() {
            parts.push(strip_break(&body[s..start]));
        }
        if is_close {
            return Ok(parts);
        }
        open = Some((start + line.len() + 1).min(body.len()));
    }
    Err(ODataError::Batch(format!(
        "the body ends without the closing boundary {close:?} ({} parts read); the response was cut off or the boundary is wrong",
        parts.len()
    )))
}

/// Splits a part into its headers and its content.
fn headers_and_body(part: &[u8]) -> (Vec<(String, String)>, &[u8]) {
    let mut headers = Vec::new();
    for (start, line) in lines(part) {
        let t = trim_line(line);
        if t.is_empty() {
            let body_start = (start + line.len() + 1).min(part.len());
            return (headers, &part[body_start..]);
        }
        let text = String::from_utf8_lossy(t);
        if let Some((k, v)) = text.split_once(':') {
            headers.push((k.trim().to_owned(), v.trim().to_owned()));
        }
    }
    (headers, &part[part.len()..])
}

fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Reads the HTTP response embedded in an `application/http` part.
fn http_part(content: &[u8], index: usize) -> Result<HttpPart, ODataError> {
    let (_, message) = headers_and_body(content);
    let mut it = lines(message);
    let (_, status_line) = it
        .next()
        .ok_or_else(|| ODataError::Batch(format!("part {index} has no HTTP status line")))?;
    let status_text = String::from_utf8_lossy(trim_line(status_line)).into_owned();
    let mut words = status_text.splitn(3, ' ');
    let version = words.next().unwrap_or_default();
    let status = words
        .next()
        .and_then(|s| s.parse::<u16>().ok())
        .filter(|_| version.starts_with("HTTP/"))
        .ok_or_else(|| {
            ODataError::Batch(format!(
                "part {index} starts with {status_text:?}, not an HTTP status line such as \"HTTP/1.1 201 Created\""
            ))
        })?;
    let reason = words.next().unwrap_or_default().to_owned();
    let rest_start = (status_line.len() + 1).min(message.len());
    let (headers, body) = headers_and_body(&message[rest_start..]);
    Ok(HttpPart {
        status,
        reason,
        headers,
        body: body.trim_ascii_end().to_vec(),
    })
}

/// Parses a `$batch` response body with the given outer boundary.
pub fn parse_batch(body: &[u8], boundary: &str) -> Result<BatchResponse, ODataError> {
    let mut parts = Vec::new();
    for (i, content) in split_parts(body, boundary)?.into_iter().enumerate() {
        let (headers, inner) = headers_and_body(content);
        let ctype = header(&headers, "Content-Type").unwrap_or("application/http");
        if ctype
            .trim_start()
            .to_ascii_lowercase()
            .starts_with("multipart/mixed")
        {
            let cs = boundary_of(ctype).ok_or_else(|| {
                ODataError::Batch(format!("changeset part {i} has no boundary in {ctype:?}"))
            })?;
            let ops = split_parts(inner, &cs)?
                .into_iter()
                .enumerate()
                .map(|(j, c)| http_part(c, j))
                .collect::<Result<Vec<_>, _>>()?;
            parts.push(ResponsePart::ChangeSet(ops));
        } else {
            parts.push(ResponsePart::Single(http_part(content, i)?));
        }
    }
    Ok(BatchResponse { parts })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::batch::ChangesetOutcome;

    fn sample(name: &str) -> Vec<u8> {
        std::fs::read(format!(
            "{}/tests/samples/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    #[test]
    fn reads_the_cloud_sdk_changeset_response() {
        let body = sample("cloudsdk_v2_batch_response_changesets.txt");
        assert_eq!(sniff_boundary(&body).as_deref(), Some("TEST-RESPONSE"));
        let r = parse_batch(&body, "TEST-RESPONSE").unwrap();
        assert_eq!(r.parts.len(), 2);
        let ResponsePart::ChangeSet(first) = &r.parts[0] else {
            panic!("changeset")
        };
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].status, 201);
        assert_eq!(
            first[0].header("Location"),
            Some(
                "https://host:port/sap/opu/odata/sap/API_TEST_SRV/A_TestEntity(KeyProperty='otherEntityKey')"
            )
        );
        let v: serde_json::Value = serde_json::from_slice(&first[0].body).unwrap();
        assert_eq!(v["d"]["KeyProperty"], "keyProp");
        let ResponsePart::ChangeSet(second) = &r.parts[1] else {
            panic!("changeset")
        };
        assert_eq!(
            second.iter().map(|p| p.status).collect::<Vec<_>>(),
            vec![201, 204, 204],
            "the text after the inner closing boundary is epilogue"
        );
        assert!(second[1].body.is_empty());
        assert_eq!(second[1].header("dataserviceversion"), Some("2.0"));
        assert!(matches!(r.changeset(1), Some(ChangesetOutcome::Applied(v)) if v.len() == 3));
    }

    #[test]
    fn reads_the_pyodata_response_after_its_preamble() {
        let body = sample("pyodata_v2_batch_response_ok.txt");
        assert_eq!(sniff_boundary(&body).as_deref(), Some("batch_r1"));
        let r = parse_batch(&body, "batch_r1").unwrap();
        let ResponsePart::Single(get) = &r.parts[0] else {
            panic!("single")
        };
        assert_eq!((get.status, get.reason.as_str()), (200, "OK"));
        let v: serde_json::Value = serde_json::from_slice(&get.body).unwrap();
        assert_eq!(v["d"]["NameFirst"], "Rob");
        assert_eq!(v["d"]["Address"]["City"], "London");
        let ResponsePart::ChangeSet(cs) = &r.parts[1] else {
            panic!("changeset")
        };
        assert_eq!((cs[0].status, cs[0].reason.as_str()), (204, "Updated"));
    }

    #[test]
    fn a_failed_changeset_is_one_error_part_in_crlf() {
        let body = "--b\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n\
HTTP/1.1 412 Precondition Failed\r\nContent-Type: application/json\r\nETag: W/\"7\"\r\n\r\n\
{\"error\":{\"code\":\"/IWBEP/CM_MGW_RT/022\",\"message\":{\"lang\":\"en\",\"value\":\"Precondition failed\"}}}\r\n--b--\r\n";
        let r = parse_batch(body.as_bytes(), "b").unwrap();
        match r.changeset(0) {
            Some(ChangesetOutcome::Failed(p)) => {
                assert_eq!(p.status, 412);
                assert_eq!(p.header("etag"), Some("W/\"7\""));
                assert!(String::from_utf8_lossy(&p.body).ends_with("}}}"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(r.changeset(1), None);
    }

    #[test]
    fn malformed_bodies_are_reported() {
        let cut = b"--b\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 200 OK\r\n\r\n{}";
        let e = parse_batch(cut, "b").unwrap_err();
        assert!(e.to_string().contains("closing boundary"), "{e}");
        let junk = b"--b\nContent-Type: application/http\n\nhello\n--b--\n";
        let e = parse_batch(junk, "b").unwrap_err();
        assert!(e.to_string().contains("HTTP status line"), "{e}");
        let nob = b"--b\nContent-Type: multipart/mixed\n\n--b--\n";
        assert!(parse_batch(nob, "b").is_err());
        assert_eq!(
            boundary_of("multipart/mixed; boundary=\"x y\""),
            Some("x y".into())
        );
        assert_eq!(boundary_of("multipart/mixed"), None);
    }

    #[test]
    fn reads_what_the_writer_writes_back_as_a_response_shape() {
        // The request writer's output parses as a multipart body too (its
        // parts hold requests, so only the structure is compared).
        use crate::wire::batch::{BatchRequest, Operation};
        let mut b = BatchRequest::new(uuid::Uuid::from_u128(1));
        b.changeset(vec![Operation::new("POST", "Tasks").json("{}".into())]);
        let body = b.to_body();
        let parts = split_parts(body.as_bytes(), &b.boundary).unwrap();
        assert_eq!(parts.len(), 1);
        let (h, inner) = headers_and_body(parts[0]);
        let cs = boundary_of(header(&h, "content-type").unwrap()).unwrap();
        let ops = split_parts(inner, &cs).unwrap();
        assert!(String::from_utf8_lossy(ops[0]).contains("POST Tasks HTTP/1.1"));
    }
}
