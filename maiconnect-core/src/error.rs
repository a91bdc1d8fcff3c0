//! Errors of the core and of the ports, each classified for retrying.

use std::fmt;
use std::time::Duration;

use crate::policy::PolicyError;

/// What went wrong, in terms a caller can branch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The object does not exist.
    NotFound,
    /// The object changed since it was read (stale ETag or change key).
    Conflict,
    /// The object exists already (a create that happened before).
    AlreadyExists,
    /// The credentials were rejected.
    Unauthenticated,
    /// The credentials are valid but lack a permission or role.
    PermissionDenied,
    /// The server asks us to slow down.
    Throttled,
    /// The server or the network is unavailable for now.
    Unavailable,
    /// The request or the data is invalid.
    Invalid,
    /// The server is set up differently than the configuration expects
    /// (service not active, property missing).
    Misconfigured,
    /// The payload is too large.
    TooLarge,
    /// Anything else.
    Other,
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ErrorKind::NotFound => "not found",
            ErrorKind::Conflict => "conflict",
            ErrorKind::AlreadyExists => "already exists",
            ErrorKind::Unauthenticated => "unauthenticated",
            ErrorKind::PermissionDenied => "permission denied",
            ErrorKind::Throttled => "throttled",
            ErrorKind::Unavailable => "unavailable",
            ErrorKind::Invalid => "invalid",
            ErrorKind::Misconfigured => "misconfigured",
            ErrorKind::TooLarge => "too large",
            ErrorKind::Other => "error",
        })
    }
}

/// Whether and when to try again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Retry {
    /// Trying again will fail the same way; a person must act.
    Never,
    /// Trying again later may work; the server may say how much later.
    Later {
        /// The server's back-off hint (`BackOffMilliseconds`, `Retry-After`).
        after: Option<Duration>,
    },
    /// Read the object again and re-plan (stale version).
    Replan,
}

/// An error reported by a port (CRM, mailbox, state store).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct PortError {
    /// The class of error.
    pub kind: ErrorKind,
    /// Whether to retry.
    pub retry: Retry,
    /// What happened and what to check, naming the object.
    pub message: String,
}

impl PortError {
    /// An error of `kind`, retried as the kind suggests.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> PortError {
        let retry = match kind {
            ErrorKind::Throttled | ErrorKind::Unavailable => Retry::Later { after: None },
            ErrorKind::Conflict => Retry::Replan,
            _ => Retry::Never,
        };
        PortError {
            kind,
            retry,
            message: message.into(),
        }
    }
    /// The same error with the server's back-off hint.
    pub fn retry_after(mut self, after: Duration) -> PortError {
        self.retry = Retry::Later { after: Some(after) };
        self
    }
    /// A not-found error.
    pub fn not_found(message: impl Into<String>) -> PortError {
        PortError::new(ErrorKind::NotFound, message)
    }
    /// Whether retrying later may help.
    pub fn is_transient(&self) -> bool {
        !matches!(self.retry, Retry::Never)
    }
}

/// The core's own error.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The policy is invalid.
    #[error(transparent)]
    Policy(#[from] Box<PolicyError>),
    /// A port failed.
    #[error(transparent)]
    Port(#[from] PortError),
    /// A record or key did not fit what the operation expects.
    #[error("{0}")]
    Mismatch(String),
}

impl CoreError {
    /// The class of error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            CoreError::Policy(_) => ErrorKind::Misconfigured,
            CoreError::Port(e) => e.kind,
            CoreError::Mismatch(_) => ErrorKind::Invalid,
        }
    }
    /// Whether and when to retry.
    pub fn retry(&self) -> Retry {
        match self {
            CoreError::Port(e) => e.retry,
            _ => Retry::Never,
        }
    }
}

impl From<PolicyError> for CoreError {
    fn from(e: PolicyError) -> Self {
        CoreError::Policy(Box::new(e))
    }
}
