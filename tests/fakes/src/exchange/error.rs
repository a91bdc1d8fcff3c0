//! The errors of the fake Exchange itself (start-up, control calls, state
//! files). Protocol errors go to the client as EWS responses, not as these.

use std::path::PathBuf;

use maiconnect_core::{ErrorKind, Retry};

/// What went wrong starting or controlling the fake Exchange.
#[derive(Debug, thiserror::Error)]
pub enum FakeExchangeError {
    /// The listening socket could not be opened.
    #[error(
        "fake Exchange: cannot listen on 127.0.0.1:{port}: {source}; choose another --port or 0 for an ephemeral one"
    )]
    Bind {
        /// The port asked for.
        port: u16,
        /// The operating system's answer.
        source: std::io::Error,
    },
    /// The embedded EWS schema could not be loaded.
    #[error(
        "fake Exchange: cannot load the embedded EWS schema: {message}; the binary was built from a damaged checkout (maiconnect-ews/schema), rebuild it"
    )]
    Schema {
        /// What went wrong.
        message: String,
    },
    /// The state file could not be read or written.
    #[error("fake Exchange: state file {path}: {message}; delete it or pass another --state")]
    StateFile {
        /// The file.
        path: PathBuf,
        /// What failed.
        message: String,
    },
    /// A control request was invalid.
    #[error("fake Exchange control: {0}")]
    Control(String),
    /// A control request named something that does not exist.
    #[error("fake Exchange control: {0} not found; create it first or check the spelling")]
    NotFound(String),
    /// The server task failed.
    #[error("fake Exchange: server task failed: {0}")]
    Server(String),
}

impl FakeExchangeError {
    /// The class of error, as the core classifies port errors.
    pub fn kind(&self) -> ErrorKind {
        match self {
            FakeExchangeError::Bind { .. } | FakeExchangeError::Server(_) => ErrorKind::Unavailable,
            FakeExchangeError::Schema { .. } | FakeExchangeError::StateFile { .. } => {
                ErrorKind::Misconfigured
            }
            FakeExchangeError::Control(_) => ErrorKind::Invalid,
            FakeExchangeError::NotFound(_) => ErrorKind::NotFound,
        }
    }

    /// Whether trying again can help.
    pub fn retry(&self) -> Retry {
        match self {
            FakeExchangeError::Bind { .. } | FakeExchangeError::Server(_) => {
                Retry::Later { after: None }
            }
            _ => Retry::Never,
        }
    }
}

/// Result with [`FakeExchangeError`].
pub type Result<T, E = FakeExchangeError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_classified_and_say_what_to_do() {
        let e = FakeExchangeError::NotFound("mailbox x@example.com".into());
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert_eq!(e.retry(), Retry::Never);
        assert!(e.to_string().contains("create it first"));
        let b = FakeExchangeError::Bind {
            port: 1,
            source: std::io::Error::other("in use"),
        };
        assert_eq!(b.kind(), ErrorKind::Unavailable);
        assert!(matches!(b.retry(), Retry::Later { .. }));
    }
}
