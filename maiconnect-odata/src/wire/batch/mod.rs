//! `$batch`: several operations in one `multipart/mixed` request, writes
//! grouped in changesets that the server applies all or nothing.
//!
//! Reference: OData Version 2.0, "Batch Processing" (§2.2.7.6): a
//! changeset is a nested `multipart/mixed`; every operation is an
//! `application/http` part with `Content-Transfer-Encoding: binary`; the
//! response holds one part per request part, and a failed changeset is
//! answered with a single error part.

mod read;
mod write;

pub use read::{BatchResponse, HttpPart, ResponsePart, boundary_of, parse_batch, sniff_boundary};
pub use write::{BatchRequest, Operation, RequestPart};

/// The outcome of one changeset.
#[derive(Debug, Clone, PartialEq)]
pub enum ChangesetOutcome {
    /// Every operation succeeded: one response per operation, in order.
    Applied(Vec<HttpPart>),
    /// The changeset failed as a whole (nothing was applied); the server's
    /// error response.
    Failed(HttpPart),
}

impl BatchResponse {
    /// Pairs the response parts with the request parts: the changeset at
    /// request position `i` gets `Applied` only when every part of it has a
    /// 2xx status; a single error part, or any failing part, makes it
    /// `Failed`.
    pub fn changeset(&self, index: usize) -> Option<ChangesetOutcome> {
        match self.parts.get(index)? {
            ResponsePart::Single(p) => Some(ChangesetOutcome::Failed(p.clone())),
            ResponsePart::ChangeSet(ps) => match ps.iter().find(|p| !p.is_success()) {
                Some(bad) => Some(ChangesetOutcome::Failed(bad.clone())),
                None => Some(ChangesetOutcome::Applied(ps.clone())),
            },
        }
    }
}
