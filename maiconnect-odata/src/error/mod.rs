//! The crate's one error type, classified for the executor's retry logic.

use std::fmt;
use std::time::Duration;

use maiconnect_core::ids::Version;
use maiconnect_core::{ErrorKind, PortError, Retry};

use crate::wire::sap_error::SapError;

pub mod codes;

/// An HTTP failure of one request, with what the server said: SAP's error
/// body, or the text of whatever else came (a proxy's HTML page).
#[derive(Debug, Clone, PartialEq)]
pub struct HttpFailure {
    /// What was being done, naming the object (`GET AppointmentSet(guid'…')`).
    pub context: String,
    /// The HTTP status.
    pub status: u16,
    /// SAP Gateway's error body, if the server sent one.
    pub sap: Option<SapError>,
    /// The readable text of a body that is not an SAP error (an HTML page
    /// reduced to its title and text), cut to a few hundred characters.
    pub text: Option<String>,
    /// The server's `Retry-After` hint.
    pub retry_after: Option<Duration>,
    /// Whether the service itself is missing: the 404 came for the service
    /// root or `$metadata`, or the root answered 404 when asked.
    pub service_missing: bool,
}

impl HttpFailure {
    /// A failure with status `status` and no body.
    pub fn bare(context: &str, status: u16) -> HttpFailure {
        HttpFailure {
            context: context.to_owned(),
            status,
            sap: None,
            text: None,
            retry_after: None,
            service_missing: false,
        }
    }

    /// Whether SAP's codes say so: `code` is the error's or a detail's.
    pub fn has_code(&self, code: &str) -> bool {
        self.sap.as_ref().is_some_and(|s| s.has_code(code))
    }

    /// Whether the server said the object exists already (a repeated
    /// create): 409, or one of the [`codes::DUPLICATE_KEY`].
    pub fn says_already_exists(&self) -> bool {
        self.status == 409 || codes::DUPLICATE_KEY.iter().any(|c| self.has_code(c))
    }

    /// Whether the service itself does not exist (not active in
    /// /IWFND/MAINT_SERVICE), rather than one object.
    pub fn says_no_service(&self) -> bool {
        self.service_missing || self.has_code(codes::SERVICE_NOT_FOUND)
    }

    /// Whether a 404 came without an SAP error body that names its code,
    /// so that it may be a proxy's answer for a missing service rather
    /// than Gateway's for a missing object.
    pub fn is_bare_not_found(&self) -> bool {
        self.status == 404
            && self.sap.as_ref().is_none_or(|s| s.code.trim().is_empty())
            && !self.service_missing
    }

    fn kind(&self) -> ErrorKind {
        match self.status {
            401 => ErrorKind::Unauthenticated,
            403 => ErrorKind::PermissionDenied,
            _ if self.says_no_service() => ErrorKind::Misconfigured,
            404 | 410 => ErrorKind::NotFound,
            _ if self.says_already_exists() => ErrorKind::AlreadyExists,
            412 => ErrorKind::Conflict,
            413 => ErrorKind::TooLarge,
            429 => ErrorKind::Throttled,
            501 => ErrorKind::Misconfigured,
            500..=599 | 408 => ErrorKind::Unavailable,
            _ => ErrorKind::Invalid,
        }
    }

    /// What the administrator should check for this failure.
    fn hint(&self) -> &'static str {
        match self.status {
            401 => "check the communication user's name and password (or the bearer token)",
            403 => {
                "the communication user lacks the role /NAG/SAP_MAICONNECT (or a CSRF token was refused)"
            }
            _ if self.says_no_service() => {
                "the service is not active: activate it in /IWFND/MAINT_SERVICE with system alias LOCAL, or correct the service path (and any proxy in front of the Gateway)"
            }
            404 => "the object does not exist (or the service path is wrong)",
            407 => {
                "a proxy between the hub and S/4HANA demands authentication (407 Proxy Authentication Required): set or correct user and password under [s4] proxy"
            }
            _ if self.says_already_exists() => "the object exists already",
            413 => "the request is larger than the server accepts",
            429 => "S/4HANA asks to slow down; retry after the hinted delay",
            501 => {
                "the service does not implement this operation; check the service against PROFILE.md"
            }
            500..=599 => {
                "S/4HANA failed or is unavailable; retry later, and see the transaction id in /IWFND/ERROR_LOG"
            }
            _ => "S/4HANA rejected the request; see its message",
        }
    }
}

impl fmt::Display for HttpFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: HTTP {}", self.context, self.status)?;
        match (&self.sap, &self.text) {
            (Some(sap), _) => write!(f, " ({sap})")?,
            (None, Some(text)) => write!(f, " (the server said: {text:?})")?,
            (None, None) => f.write_str(" (no error body)")?,
        }
        write!(f, "; {}", self.hint())
    }
}

/// Everything that can go wrong in this crate.
#[derive(Debug, thiserror::Error)]
pub enum ODataError {
    /// The server answered with an error status.
    #[error("{0}")]
    Http(Box<HttpFailure>),
    /// `412 Precondition Failed`: the object changed since it was read.
    #[error(
        "{object} changed since it was read (HTTP 412 Precondition Failed{}); read it again and re-plan",
        current.as_ref().map(|v| format!(", current ETag {v}")).unwrap_or_default()
    )]
    Conflict {
        /// The object written.
        object: String,
        /// The current version, when the server sent it.
        current: Option<Version>,
    },
    /// A create found the object there already: under the key sent, or
    /// (on a server that assigns its own keys) as the object made for the
    /// same Outlook item.
    #[error("{object} exists already in S/4HANA ({why}); read it instead of creating it again")]
    AlreadyExists {
        /// The object.
        object: String,
        /// How that was found out.
        why: String,
    },
    /// `428 Precondition Required`: the write carried no `If-Match`.
    #[error(
        "{object}: S/4HANA requires an If-Match header (HTTP 428 Precondition Required); read the object for its ETag and write again"
    )]
    PreconditionRequired {
        /// The object written.
        object: String,
    },
    /// The request did not reach the server or the answer did not arrive.
    #[error(
        "{context}: no answer from S/4HANA ({detail}); check the base URL, the network and the timeout"
    )]
    Transport {
        /// What was being done.
        context: String,
        /// The cause chain, with the proxy or certificate problem named
        /// (see `maiconnect_transport::Outbound::explain`).
        detail: String,
        /// The HTTP client's error.
        #[source]
        source: reqwest::Error,
    },
    /// A response body that is not what OData v2 JSON promises.
    #[error("{context}: the response is not valid OData v2 JSON: {detail}")]
    Json {
        /// What was being read.
        context: String,
        /// What is wrong, with the JSON path.
        detail: String,
    },
    /// A `$metadata` document that cannot be read.
    #[error("$metadata: {0}")]
    Metadata(String),
    /// A malformed `$batch` body.
    #[error("$batch: {0}")]
    Batch(String),
    /// A next-page link to another server.
    #[error(
        "{context}: the next-page link {next:?} points to another origin than the service ({expected}) and cannot be followed below the service root (strict next links are on, or the link does not name the service); check the Gateway's external host name settings or turn strict next links off"
    )]
    CrossOrigin {
        /// The listing.
        context: String,
        /// The link the server sent.
        next: String,
        /// The service's origin.
        expected: String,
    },
    /// A property value that does not fit the domain model.
    #[error("{object}: property {property} = {value:?} {why}")]
    Mapping {
        /// The object read, such as `AppointmentSet(guid'…')`.
        object: String,
        /// The OData property.
        property: &'static str,
        /// The value (cut to 80 characters).
        value: String,
        /// What is wrong and what to do.
        why: String,
    },
    /// A response body above the configured limit.
    #[error(
        "{context}: the response is larger than {limit} bytes; narrow the request or raise the limit"
    )]
    TooLarge {
        /// What was being read.
        context: String,
        /// The limit in bytes.
        limit: usize,
    },
    /// The adapter's configuration is unusable.
    #[error("OData configuration: {0}")]
    Config(String),
    /// A request the adapter refuses to make (a record of the wrong kind,
    /// an attachment without content).
    #[error("{0}")]
    Invalid(String),
}

impl ODataError {
    /// An error of a value read from the wire.
    pub fn mapping(
        object: impl fmt::Display,
        property: &'static str,
        value: &str,
        why: impl Into<String>,
    ) -> Self {
        ODataError::Mapping {
            object: object.to_string(),
            property,
            value: value.chars().take(80).collect(),
            why: why.into(),
        }
    }

    /// A not-found error of an object that was expected to exist.
    pub fn gone(context: &str) -> Self {
        ODataError::Http(Box::new(HttpFailure::bare(context, 404)))
    }

    /// The class of error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            ODataError::Http(h) => h.kind(),
            ODataError::Conflict { .. } => ErrorKind::Conflict,
            ODataError::AlreadyExists { .. } => ErrorKind::AlreadyExists,
            ODataError::PreconditionRequired { .. } => ErrorKind::Invalid,
            ODataError::Transport { .. } => ErrorKind::Unavailable,
            ODataError::Json { .. } | ODataError::Batch(_) | ODataError::Mapping { .. } => {
                ErrorKind::Invalid
            }
            ODataError::Metadata(_) | ODataError::CrossOrigin { .. } | ODataError::Config(_) => {
                ErrorKind::Misconfigured
            }
            ODataError::TooLarge { .. } => ErrorKind::TooLarge,
            ODataError::Invalid(_) => ErrorKind::Invalid,
        }
    }

    /// Whether and when to retry.
    pub fn retry(&self) -> Retry {
        match self.kind() {
            ErrorKind::Throttled | ErrorKind::Unavailable => Retry::Later {
                after: match self {
                    ODataError::Http(h) => h.retry_after,
                    _ => None,
                },
            },
            ErrorKind::Conflict => Retry::Replan,
            _ => Retry::Never,
        }
    }

    /// The SAP error body, if the server sent one.
    pub fn sap(&self) -> Option<&SapError> {
        match self {
            ODataError::Http(h) => h.sap.as_ref(),
            _ => None,
        }
    }
}

impl From<ODataError> for PortError {
    fn from(e: ODataError) -> PortError {
        PortError {
            kind: e.kind(),
            retry: e.retry(),
            message: e.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::sap_error::SapError;

    fn http(status: u16, sap: Option<SapError>) -> ODataError {
        ODataError::Http(Box::new(HttpFailure {
            sap,
            retry_after: Some(Duration::from_secs(7)),
            ..HttpFailure::bare("GET AppointmentSet(guid'x')", status)
        }))
    }

    #[test]
    fn statuses_are_classified_with_a_fix() {
        let cases = [
            (401, ErrorKind::Unauthenticated, "password"),
            (403, ErrorKind::PermissionDenied, "/NAG/SAP_MAICONNECT"),
            (404, ErrorKind::NotFound, "does not exist"),
            (409, ErrorKind::AlreadyExists, "exists already"),
            (429, ErrorKind::Throttled, "slow down"),
            (503, ErrorKind::Unavailable, "retry later"),
            (400, ErrorKind::Invalid, "rejected"),
        ];
        for (status, kind, text) in cases {
            let e = http(status, None);
            assert_eq!(e.kind(), kind, "{status}");
            assert!(e.to_string().contains(text), "{status}: {e}");
        }
        assert_eq!(
            http(429, None).retry(),
            Retry::Later {
                after: Some(Duration::from_secs(7))
            }
        );
        assert_eq!(http(401, None).retry(), Retry::Never);
    }

    #[test]
    fn a_missing_service_is_a_configuration_problem() {
        let sap = SapError {
            code: "/IWFND/MED/170".into(),
            message: "No service found for namespace /NAG/, name X, version 0001".into(),
            ..SapError::default()
        };
        let e = http(404, Some(sap));
        assert_eq!(e.kind(), ErrorKind::Misconfigured);
        assert!(e.to_string().contains("/IWFND/MAINT_SERVICE"), "{e}");
    }

    #[test]
    fn duplicates_are_known_by_code_not_by_text() {
        // English text alone says nothing: a German logon, another release.
        let text_only = SapError {
            code: "/IWBEP/CX_MGW_BUSI_EXCEPTION".into(),
            message: "Activity 0050568C already exists".into(),
            ..SapError::default()
        };
        assert_eq!(http(400, Some(text_only)).kind(), ErrorKind::Invalid);
        // A database's duplicate key, in the error or in a detail, as a 500.
        let dump = SapError {
            code: "/IWBEP/CX_MGW_TECH_EXCEPTION".into(),
            message: "Ein Datensatz mit diesem Schlüssel existiert bereits".into(),
            details: vec![crate::wire::sap_error::ErrorDetail {
                code: "SAPSQL_ARRAY_INSERT_DUPREC".into(),
                ..Default::default()
            }],
            ..SapError::default()
        };
        let e = http(500, Some(dump));
        assert_eq!(e.kind(), ErrorKind::AlreadyExists);
        assert!(e.to_string().contains("exists already"), "{e}");
        let port: PortError = e.into();
        assert_eq!(port.kind, ErrorKind::AlreadyExists);
        assert_eq!(port.retry, Retry::Never);
        let cap = SapError {
            code: "entity_already_exists".into(),
            ..SapError::default()
        };
        assert_eq!(http(400, Some(cap)).kind(), ErrorKind::AlreadyExists);
    }

    #[test]
    fn a_bare_404_of_the_service_is_a_missing_service() {
        let mut f = HttpFailure::bare("GET $metadata", 404);
        f.text = Some("404 Not Found: The requested URL was not found".into());
        assert!(f.is_bare_not_found());
        f.service_missing = true;
        let e = ODataError::Http(Box::new(f));
        assert_eq!(e.kind(), ErrorKind::Misconfigured);
        let text = e.to_string();
        assert!(
            text.contains("the server said: \"404 Not Found")
                && text.contains("/IWFND/MAINT_SERVICE"),
            "{text}"
        );
        assert!(
            http(400, None).to_string().contains("(no error body)"),
            "a failure says when nothing came"
        );
    }

    #[test]
    fn conflicts_carry_the_current_version_and_ask_for_a_replan() {
        let e = ODataError::Conflict {
            object: "Tasks(guid'x')".into(),
            current: Some("W/\"2\"".parse().unwrap()),
        };
        assert_eq!(e.retry(), Retry::Replan);
        assert!(e.to_string().contains("W/\"2\""), "{e}");
    }
}
