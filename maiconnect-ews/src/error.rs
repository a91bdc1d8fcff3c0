//! The crate's error: every failure of a request, a response or the
//! configuration, classified for retrying and convertible to the core's
//! [`PortError`].

use std::time::Duration;

use maiconnect_core::{ErrorKind, PortError, Retry};

use crate::response_code::ResponseCode;

/// An error answered by Exchange: a SOAP fault or an error response
/// message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerError {
    /// The response code.
    pub code: ResponseCode,
    /// The server's message text.
    pub message: String,
    /// `BackOffMilliseconds` from `MessageXml`, when throttled.
    pub back_off: Option<Duration>,
    /// What was asked: operation, mailbox, item (ids shortened).
    pub context: String,
    /// The mailbox the request was for (for hints), if any.
    pub mailbox: String,
}

impl std::fmt::Display for ServerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: Exchange answered {}", self.context, self.code)?;
        if !self.message.is_empty() {
            write!(f, " ({})", self.message)?;
        }
        let hint = self.code.hint(&self.mailbox);
        if !hint.is_empty() {
            write!(f, "; {hint}")?;
        }
        if let Some(b) = self.back_off {
            write!(f, "; retry after {} ms", b.as_millis())?;
        }
        Ok(())
    }
}

/// Everything that can go wrong in the EWS adapter.
#[derive(Debug, thiserror::Error)]
pub enum EwsError {
    /// The bytes are not an acceptable XML document.
    #[error("EWS XML: {0}")]
    Xml(String),
    /// The document is XML but not the EWS document expected.
    #[error("EWS response: {0}")]
    Unexpected(String),
    /// A response body exceeds the configured limit.
    #[error(
        "the EWS response of {what} is larger than the limit of {limit} bytes; raise max_response_bytes or page with smaller batches"
    )]
    TooLarge {
        /// What was read.
        what: String,
        /// The limit.
        limit: usize,
    },
    /// A SOAP fault (the whole request failed).
    #[error("SOAP fault: {0}")]
    Fault(Box<ServerError>),
    /// An error response message for one item or folder.
    #[error("{0}")]
    Response(Box<ServerError>),
    /// An HTTP status other than 200 (and not a SOAP fault).
    #[error("{context}: HTTP {status}{}; {hint}", retry_after.map(|d| format!(" (Retry-After {} s)", d.as_secs())).unwrap_or_default())]
    Http {
        /// The request.
        context: String,
        /// The status code.
        status: u16,
        /// `Retry-After`, when sent.
        retry_after: Option<Duration>,
        /// What to check.
        hint: String,
    },
    /// The network failed or timed out.
    #[error(
        "{context}: could not reach Exchange: {message}; check the endpoint URL, DNS, proxy and firewall"
    )]
    Transport {
        /// The request.
        context: String,
        /// What the HTTP client said.
        message: String,
    },
    /// Getting an OAuth token failed.
    #[error("OAuth token: {0}")]
    Auth(String),
    /// The configuration is unusable.
    #[error("EWS configuration: {0}")]
    Config(String),
    /// A record cannot be written as asked.
    #[error("EWS mapping: {0}")]
    Mapping(String),
}

impl EwsError {
    /// The class of error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            EwsError::Xml(_) | EwsError::Unexpected(_) => ErrorKind::Invalid,
            EwsError::TooLarge { .. } => ErrorKind::TooLarge,
            EwsError::Fault(e) | EwsError::Response(e) => e.code.kind(),
            EwsError::Http { status, .. } => match status {
                401 => ErrorKind::Unauthenticated,
                403 => ErrorKind::PermissionDenied,
                404 => ErrorKind::Misconfigured,
                413 => ErrorKind::TooLarge,
                429 => ErrorKind::Throttled,
                408 | 500..=599 => ErrorKind::Unavailable,
                _ => ErrorKind::Other,
            },
            EwsError::Transport { .. } => ErrorKind::Unavailable,
            EwsError::Auth(_) => ErrorKind::Unauthenticated,
            EwsError::Config(_) => ErrorKind::Misconfigured,
            EwsError::Mapping(_) => ErrorKind::Invalid,
        }
    }

    /// Whether and when to retry.
    pub fn retry(&self) -> Retry {
        let after = match self {
            EwsError::Fault(e) | EwsError::Response(e) => e.back_off,
            EwsError::Http { retry_after, .. } => *retry_after,
            _ => None,
        };
        match self.kind() {
            ErrorKind::Throttled | ErrorKind::Unavailable => Retry::Later { after },
            ErrorKind::Conflict => Retry::Replan,
            _ => Retry::Never,
        }
    }

    /// The server's error, for faults and error responses.
    pub fn server(&self) -> Option<&ServerError> {
        match self {
            EwsError::Fault(e) | EwsError::Response(e) => Some(e),
            _ => None,
        }
    }

    /// The response code, for faults and error responses.
    pub fn code(&self) -> Option<&ResponseCode> {
        self.server().map(|e| &e.code)
    }
}

impl From<EwsError> for PortError {
    fn from(e: EwsError) -> PortError {
        PortError {
            kind: e.kind(),
            retry: e.retry(),
            message: e.to_string(),
        }
    }
}

/// A hint for an HTTP status of the EWS endpoint.
pub(crate) fn http_hint(status: u16, mailbox: &str) -> String {
    match status {
        401 => "the credentials were rejected: check the user name and password, or the OAuth tenant, client id and secret/certificate".into(),
        403 => format!(
            "access is forbidden: the app registration lacks full_access_as_app or the ApplicationAccessPolicy excludes {mailbox}"
        ),
        404 => "no EWS endpoint at this URL; it usually ends in /EWS/Exchange.asmx".into(),
        407 => "a proxy between the hub and Exchange demands authentication (407 Proxy Authentication Required): set or correct user and password under the environment's proxy".into(),
        429 | 503 => "Exchange throttles or is unavailable; retry after the given time".into(),
        _ => "check the Exchange server's logs".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(code: ResponseCode, back_off: Option<u64>) -> Box<ServerError> {
        Box::new(ServerError {
            code,
            message: "msg".into(),
            back_off: back_off.map(Duration::from_millis),
            context: "UpdateItem for anna@example.com".into(),
            mailbox: "anna@example.com".into(),
        })
    }

    #[test]
    fn errors_are_classified_and_converted() {
        let busy = EwsError::Fault(server(ResponseCode::ErrorServerBusy, Some(297749)));
        assert_eq!(
            busy.retry(),
            Retry::Later {
                after: Some(Duration::from_millis(297749))
            }
        );
        let p: PortError = busy.into();
        assert_eq!(p.kind, ErrorKind::Throttled);
        assert!(p.message.contains("297749 ms"), "{}", p.message);

        let stale = EwsError::Response(server(ResponseCode::ErrorIrresolvableConflict, None));
        assert_eq!(stale.kind(), ErrorKind::Conflict);
        assert_eq!(stale.retry(), Retry::Replan);

        let denied = EwsError::Fault(server(ResponseCode::ErrorImpersonateUserDenied, None));
        assert_eq!(denied.retry(), Retry::Never);
        assert!(
            denied
                .to_string()
                .contains("ApplicationImpersonation role for anna@example.com")
        );

        let http = EwsError::Http {
            context: "GetItem".into(),
            status: 503,
            retry_after: Some(Duration::from_secs(120)),
            hint: http_hint(503, "anna@example.com"),
        };
        assert_eq!(
            http.retry(),
            Retry::Later {
                after: Some(Duration::from_secs(120))
            }
        );
        let unauth = EwsError::Http {
            context: "GetItem".into(),
            status: 401,
            retry_after: None,
            hint: http_hint(401, "a@b.c"),
        };
        assert_eq!(unauth.kind(), ErrorKind::Unauthenticated);
        assert_eq!(unauth.retry(), Retry::Never);
    }
}
