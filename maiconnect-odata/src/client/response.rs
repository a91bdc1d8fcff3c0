//! A response as the adapter sees it, and turning error statuses into
//! [`ODataError`]s (sans I/O: the clock is an argument).

use std::time::{Duration, SystemTime};

use maiconnect_core::ids::Version;

use crate::error::{HttpFailure, ODataError};
use crate::wire::error_text::readable_text;
use crate::wire::sap_error::SapError;

/// A complete response: status, headers, body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The headers (names in lower case).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    /// The `ETag` header.
    pub fn etag(&self) -> Option<&str> {
        self.header("etag").filter(|e| !e.is_empty())
    }
    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Reads `Retry-After`: seconds, or an HTTP date (the delay from `now`).
pub fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(v).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// The error for a response with status `status`; `context` names the
/// request and its object.
pub fn failure(
    context: &str,
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
    now: SystemTime,
) -> ODataError {
    let header = |n: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(n))
            .map(|(_, v)| v.as_str())
    };
    match status {
        412 => ODataError::Conflict {
            object: context.to_owned(),
            current: header("etag").and_then(|e| e.parse::<Version>().ok()),
        },
        428 => ODataError::PreconditionRequired {
            object: context.to_owned(),
        },
        _ => {
            let sap = SapError::parse(body);
            let text = if sap.is_none() {
                readable_text(body)
            } else {
                None
            };
            ODataError::Http(Box::new(HttpFailure {
                sap,
                text,
                retry_after: header("retry-after").and_then(|v| retry_after(v, now)),
                ..HttpFailure::bare(context, status)
            }))
        }
    }
}

/// The response when it is a success, else its error.
pub fn check(context: &str, r: Response, now: SystemTime) -> Result<Response, ODataError> {
    if r.is_success() {
        Ok(r)
    } else {
        Err(failure(context, r.status, &r.headers, &r.body, now))
    }
}

#[cfg(test)]
mod tests {
    use maiconnect_core::{ErrorKind, Retry};

    use super::*;

    fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn retry_after_takes_seconds_or_a_date() {
        let now = httpdate::parse_http_date("Fri, 27 Nov 2026 09:00:00 GMT").unwrap();
        assert_eq!(retry_after("120", now), Some(Duration::from_secs(120)));
        assert_eq!(
            retry_after("Fri, 27 Nov 2026 09:00:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            retry_after("Fri, 27 Nov 2026 08:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon", now), None);
    }

    #[test]
    fn error_statuses_become_classified_errors() {
        let now = SystemTime::UNIX_EPOCH;
        let e = failure(
            "MERGE Tasks(guid'x')",
            412,
            &h(&[("ETag", "W/\"9\"")]),
            b"",
            now,
        );
        assert_eq!(e.kind(), ErrorKind::Conflict);
        assert!(
            matches!(&e, ODataError::Conflict { current: Some(v), .. } if v.as_str() == "W/\"9\"")
        );
        let e = failure("MERGE Tasks(guid'x')", 428, &[], b"", now);
        assert!(e.to_string().contains("If-Match"), "{e}");
        let body =
            br#"{"error":{"code":"SY/530","message":{"lang":"en","value":"Too many requests"}}}"#;
        let e = failure("GET Tasks", 429, &h(&[("Retry-After", "3")]), body, now);
        assert_eq!(
            e.retry(),
            Retry::Later {
                after: Some(Duration::from_secs(3))
            }
        );
        assert!(e.to_string().contains("Too many requests"), "{e}");
        let e = failure("GET Tasks", 503, &[], b"<html>down</html>", now);
        assert_eq!(e.kind(), ErrorKind::Unavailable);
        assert!(e.sap().is_none());
        assert!(e.to_string().contains("the server said: \"down\""), "{e}");
    }
}
