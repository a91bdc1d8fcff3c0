//! The wire layer: everything about OData v2 that needs no network —
//! values, literals, filters, query strings, the JSON envelope, SAP error
//! bodies (and the text of any other error body), `$batch` bodies and `$metadata`. Each piece builds or parses
//! bytes and is tested byte for byte.

pub mod batch;
pub mod error_text;
pub mod filter;
pub mod json;
pub mod literal;
pub mod metadata;
pub mod query;
pub mod sap_error;
pub mod value;
mod xml;

/// The boundary of a `$batch` body read without its headers: the first
/// delimiter line.
pub fn batch_sniff(body: &[u8]) -> Option<String> {
    batch::sniff_boundary(body)
}
