//! Errors of starting and driving a fake S/4HANA (not the SAP errors it
//! answers with: those are protocol data, see `gateway::sap_error`).

use maiconnect_core::{ErrorKind, Retry};

/// What went wrong when starting, controlling or stopping the fake.
#[derive(Debug, thiserror::Error)]
pub enum FakeS4Error {
    /// The port could not be bound.
    #[error(
        "fake S/4HANA: cannot listen on 127.0.0.1:{port}: {source}; choose another --port or stop the process using it"
    )]
    Bind {
        /// The port.
        port: u16,
        /// The cause.
        source: std::io::Error,
    },
    /// The state file could not be read or written.
    #[error("fake S/4HANA: state file {path}: {message}; fix or delete the file")]
    StateFile {
        /// The file.
        path: String,
        /// What failed.
        message: String,
    },
    /// A control call was refused (unknown object, invalid input).
    #[error("fake S/4HANA control: {0}")]
    Control(String),
    /// A control call named an object that does not exist.
    #[error("fake S/4HANA control: {0} does not exist; list the objects with GET /_control/state")]
    NotFound(String),
}

impl FakeS4Error {
    /// The class of error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            FakeS4Error::Bind { .. } => ErrorKind::Unavailable,
            FakeS4Error::StateFile { .. } => ErrorKind::Misconfigured,
            FakeS4Error::Control(_) => ErrorKind::Invalid,
            FakeS4Error::NotFound(_) => ErrorKind::NotFound,
        }
    }
    /// Whether trying again may help.
    pub fn retry(&self) -> Retry {
        match self {
            FakeS4Error::Bind { .. } => Retry::Later { after: None },
            _ => Retry::Never,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_classified_and_name_what_to_do() {
        let e = FakeS4Error::NotFound("appointment 1".into());
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert_eq!(e.retry(), Retry::Never);
        assert!(e.to_string().contains("GET /_control/state"));
        let b = FakeS4Error::Bind {
            port: 1,
            source: std::io::Error::other("busy"),
        };
        assert_eq!(b.retry(), Retry::Later { after: None });
    }
}
