//! `$batch` (multipart/mixed, [OData v2 §2.2.7.6](https://www.odata.org/documentation/odata-version-2-0/batch-processing/)):
//! GETs outside changesets, changesets that succeed or fail as a whole (a
//! failed changeset is answered by one `application/http` error part, as
//! Gateway and pyodata's fixtures show), `Content-ID` references (`$1`),
//! CRLF or LF line ends. Compare
//! `maiconnect-odata/tests/samples/cloudsdk_v2_batch_*.txt`.

use axum::http::{HeaderMap, HeaderName, HeaderValue};
use bytes::Bytes;

use super::sap_error::SapError;
use super::{Exec, ODATA_ROOT, OdataResponse, execute};
use crate::s4::shared::lock;

/// One operation of a batch.
#[derive(Debug, Clone)]
struct Operation {
    method: String,
    url: String,
    headers: HeaderMap,
    body: Bytes,
    content_id: Option<String>,
}

/// A top-level part.
#[derive(Debug, Clone)]
enum Part {
    Single(Operation),
    Changeset(Vec<Operation>),
}

fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l))
}

fn boundary_of(content_type: &str) -> Option<String> {
    let lower = content_type.to_ascii_lowercase();
    if !lower.trim_start().starts_with("multipart/mixed") {
        return None;
    }
    content_type.split(';').find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"').to_owned())
    })
}

/// Splits a multipart body into the texts of its parts.
fn split(body: &str, boundary: &str) -> Result<Vec<String>, SapError> {
    let delimiter = format!("--{boundary}");
    let close = format!("--{boundary}--");
    let mut parts = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    let mut closed = false;
    for line in lines(body) {
        let trimmed = line.trim_end();
        if trimmed == close {
            if let Some(p) = current.take() {
                parts.push(p.join("\n"));
            }
            closed = true;
            break;
        }
        if trimmed == delimiter {
            if let Some(p) = current.take() {
                parts.push(p.join("\n"));
            }
            current = Some(Vec::new());
            continue;
        }
        if let Some(p) = current.as_mut() {
            p.push(line);
        }
    }
    if !closed {
        return Err(SapError::bad_request(format!(
            "Malformed $batch body: closing delimiter --{boundary}-- not found"
        )));
    }
    Ok(parts)
}

/// Splits `headers\n\nbody`.
fn head_and_body(text: &str) -> (HeaderMap, &str) {
    let mut headers = HeaderMap::new();
    let mut rest = text;
    loop {
        let (line, after) = match rest.split_once('\n') {
            Some((l, a)) => (l, a),
            None => (rest, ""),
        };
        let line = line.strip_suffix('\r').unwrap_or(line);
        rest = after;
        if line.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(k.trim().as_bytes()),
                HeaderValue::from_str(v.trim()),
            )
        {
            headers.append(name, value);
        }
        if rest.is_empty() {
            break;
        }
    }
    (headers, rest)
}

fn operation(text: &str) -> Result<Operation, SapError> {
    let (mime, http) = head_and_body(text);
    let content_id = mime
        .get("content-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let http = http.trim_start_matches(['\r', '\n']);
    let (request_line, rest) = http.split_once('\n').unwrap_or((http, ""));
    let mut words = request_line.split_whitespace();
    let (Some(method), Some(url)) = (words.next(), words.next()) else {
        return Err(SapError::bad_request(format!(
            "Malformed $batch part: request line '{}' must be 'METHOD URL HTTP/1.1'",
            request_line.trim()
        )));
    };
    let (headers, body) = head_and_body(rest);
    let content_id = content_id.or_else(|| {
        headers
            .get("content-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    });
    let body = body.trim_end_matches(['\r', '\n']);
    Ok(Operation {
        method: super::effective_method(method, &headers),
        url: url.to_owned(),
        headers,
        body: Bytes::copy_from_slice(body.as_bytes()),
        content_id,
    })
}

fn parse(body: &[u8], content_type: &str) -> Result<Vec<Part>, SapError> {
    let Some(boundary) = boundary_of(content_type) else {
        return Err(SapError::bad_request(
            "A $batch request needs Content-Type: multipart/mixed; boundary=…",
        ));
    };
    let text = std::str::from_utf8(body)
        .map_err(|_| SapError::bad_request("The $batch body is not UTF-8 text"))?;
    let mut parts = Vec::new();
    for part in split(text, &boundary)? {
        let (mime, inner) = head_and_body(&part);
        let ct = mime
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if let Some(cs_boundary) = boundary_of(ct) {
            let ops = split(inner, &cs_boundary)?
                .iter()
                .map(|t| operation(t))
                .collect::<Result<Vec<_>, _>>()?;
            parts.push(Part::Changeset(ops));
        } else if ct.to_ascii_lowercase().starts_with("application/http") {
            parts.push(Part::Single(operation(&part)?));
        } else {
            return Err(SapError::bad_request(format!(
                "Malformed $batch part: Content-Type '{ct}' must be application/http or multipart/mixed"
            )));
        }
    }
    Ok(parts)
}

/// The resource path and query of a part's URL relative to the service.
fn resolve(url: &str, ids: &[(String, String)]) -> (String, Vec<(String, String)>) {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let mut path = percent_encoding::percent_decode_str(path)
        .decode_utf8_lossy()
        .into_owned();
    if let Some(i) = path.find(ODATA_ROOT) {
        // An absolute path or URL: drop everything up to the service root.
        let after = &path[i + ODATA_ROOT.len()..];
        let mut segments = after.splitn(3, '/');
        let _namespace = segments.next();
        let _service = segments.next();
        path = segments.next().unwrap_or("").to_owned();
    }
    if let Some(reference) = path.strip_prefix('$') {
        let (id, rest) = reference
            .split_once('/')
            .map_or((reference, ""), |(a, b)| (a, b));
        if let Some((_, target)) = ids.iter().find(|(k, _)| k == id) {
            path = if rest.is_empty() {
                target.clone()
            } else {
                format!("{target}/{rest}")
            };
        }
    }
    (
        path,
        url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect(),
    )
}

fn write_http(out: &mut String, r: &OdataResponse) {
    let reason = axum::http::StatusCode::from_u16(r.status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    out.push_str("Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n");
    out.push_str(&format!("HTTP/1.1 {} {reason}\r\n", r.status));
    for (k, v) in &r.headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str(&format!(
        "content-length: {}\r\ndataserviceversion: 2.0\r\n\r\n",
        r.body.len()
    ));
    out.push_str(&String::from_utf8_lossy(&r.body));
    out.push_str("\r\n");
}

/// Whether an operation asked for JSON: its own `Accept` or `$format`,
/// not the outer request's (Gateway formats each part by its operation).
fn operation_wants_json(op: &Operation, query: &[(String, String)]) -> bool {
    super::wants_json(query, &op.headers)
}

fn run(
    exec: &Exec,
    store: &mut crate::s4::store::Store,
    op: &Operation,
    ids: &[(String, String)],
) -> OdataResponse {
    let (path, query) = resolve(&op.url, ids);
    let json = operation_wants_json(op, &query);
    let set_name = path.split(['(', '/']).next().unwrap_or("");
    let fault = lock(&exec.shared.faults).take(exec.service, set_name, &op.method);
    if let Some(e) = fault.and_then(|f| f.error()) {
        return e.response(&exec.part_error_context(json));
    }
    match execute(
        exec,
        store,
        &op.method,
        &path,
        &query,
        &op.headers,
        &op.body,
    ) {
        Ok(r) => r,
        Err(e) => e.response(&exec.part_error_context(json)),
    }
}

/// Handles `POST $batch`.
pub fn handle(exec: &Exec, headers: &HeaderMap, body: &Bytes, json: bool) -> OdataResponse {
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let parts = match parse(body, content_type) {
        Ok(p) => p,
        Err(e) => return e.response(&exec.error_context(json)),
    };
    let boundary = format!("batchresponse_{}", exec.shared.hex(32).to_ascii_lowercase());
    let mut out = String::new();
    let mut ids: Vec<(String, String)> = Vec::new();
    for part in parts {
        out.push_str(&format!("--{boundary}\r\n"));
        match part {
            Part::Single(op) => {
                let r = if super::is_modifying(&op.method) {
                    SapError::bad_request(format!("{} must be sent inside a changeset", op.method))
                        .response(&exec.part_error_context(operation_wants_json(&op, &[])))
                } else {
                    let mut store = lock(&exec.shared.store);
                    run(exec, &mut store, &op, &ids)
                };
                write_http(&mut out, &r);
            }
            Part::Changeset(ops) => {
                let mut store = lock(&exec.shared.store);
                store.begin();
                let mut responses = Vec::new();
                let mut failure = None;
                for op in &ops {
                    let r = if op.method == "GET" {
                        SapError::bad_request(
                            "GET is not allowed inside a changeset; send it outside",
                        )
                        .response(&exec.part_error_context(operation_wants_json(op, &[])))
                    } else {
                        run(exec, &mut store, op, &ids)
                    };
                    if r.status >= 400 {
                        failure = Some(r);
                        break;
                    }
                    if let (Some(id), Some(loc)) = (
                        &op.content_id,
                        r.headers.iter().find(|(k, _)| k == "location"),
                    ) {
                        let target = loc
                            .1
                            .strip_prefix(&exec.service_url)
                            .unwrap_or(&loc.1)
                            .to_owned();
                        ids.push((id.clone(), target));
                    }
                    responses.push(r);
                }
                match failure {
                    Some(error) => {
                        store.rollback();
                        drop(store);
                        write_http(&mut out, &error);
                    }
                    None => {
                        exec.shared.commit(&mut store);
                        drop(store);
                        let cs = format!(
                            "changesetresponse_{}",
                            exec.shared.hex(32).to_ascii_lowercase()
                        );
                        out.push_str(&format!(
                            "Content-Type: multipart/mixed; boundary={cs}\r\n\r\n"
                        ));
                        for r in &responses {
                            out.push_str(&format!("--{cs}\r\n"));
                            write_http(&mut out, r);
                        }
                        out.push_str(&format!("--{cs}--\r\n"));
                    }
                }
            }
        }
    }
    out.push_str(&format!("--{boundary}--\r\n"));
    OdataResponse::new(202)
        .header(
            "content-type",
            &format!("multipart/mixed; boundary={boundary}"),
        )
        .body(out.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cloud_sdk_request_parses() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../maiconnect-odata/tests/samples/cloudsdk_v2_batch_request_serialized.txt"
        );
        let text = std::fs::read_to_string(path).unwrap();
        let parts = parse(
            text.as_bytes(),
            "multipart/mixed; boundary=batch_fixed_boundary_for_testing",
        )
        .unwrap();
        assert_eq!(parts.len(), 4);
        let Part::Changeset(first) = &parts[0] else {
            panic!("changeset expected")
        };
        assert_eq!(first[0].method, "POST");
        assert_eq!(first[0].content_id.as_deref(), Some("<content-id>"));
        assert_eq!(
            &first[0].body[..],
            br#"{"KeyPropertyGuid":"guidId","KeyPropertyString":"strId","StringProperty":"value"}"#
        );
        let Part::Single(get) = &parts[1] else {
            panic!("GET expected")
        };
        assert_eq!(get.method, "GET");
        let Part::Changeset(second) = &parts[2] else {
            panic!()
        };
        assert_eq!(
            second.iter().map(|o| o.method.as_str()).collect::<Vec<_>>(),
            ["PATCH", "DELETE"]
        );
        assert!(second[1].body.is_empty());
    }

    #[test]
    fn lf_line_ends_and_malformed_bodies() {
        let body = "--b\nContent-Type: application/http\n\nGET Tasks HTTP/1.1\n\n\n--b--\n";
        let parts = parse(body.as_bytes(), "multipart/mixed; boundary=\"b\"").unwrap();
        assert!(matches!(&parts[0], Part::Single(op) if op.url == "Tasks"));
        assert!(
            parse(b"--b\n", "multipart/mixed; boundary=b")
                .unwrap_err()
                .message
                .contains("closing delimiter")
        );
        assert!(parse(body.as_bytes(), "application/json").is_err());
        let bad = "--b\nContent-Type: application/http\n\nNONSENSE\n--b--\n";
        assert!(parse(bad.as_bytes(), "multipart/mixed; boundary=b").is_err());
        assert!(parse(&[0xff, 0xfe], "multipart/mixed; boundary=b").is_err());
    }
}
