//! Checking SOAP requests against Microsoft's EWS schema, which the fake
//! carries in its binary (`maiconnect-ews/schema`, copied unchanged from
//! Exchange Online).
//!
//! Two depths, one interface:
//! - always: the envelope is SOAP 1.1, every element in the EWS `m:` and `t:`
//!   namespaces is one the schema declares, no foreign element sits in the
//!   Body, and `RequestServerVersion` names a version the schema knows
//!   ([`names`]);
//! - with the `xsd` feature: full XSD validation with libxml2 of the Body's
//!   first child and the EWS header elements, as Exchange does ([`xsd`]).
//!   `.ci/run` switches it on; a default build needs no system library.

mod names;
#[cfg(feature = "xsd")]
mod xsd;

use std::sync::Arc;

pub use names::DeclaredNames;

use super::error::Result;

/// The schema files, embedded: (file name, content).
pub const FILES: &[(&str, &[u8])] = &[
    (
        "ews-validate.xsd",
        include_bytes!("../../../../../maiconnect-ews/schema/ews-validate.xsd"),
    ),
    (
        "messages.xsd",
        include_bytes!("../../../../../maiconnect-ews/schema/messages.xsd"),
    ),
    (
        "types.xsd",
        include_bytes!("../../../../../maiconnect-ews/schema/types.xsd"),
    ),
    (
        "xml.xsd",
        include_bytes!("../../../../../maiconnect-ews/schema/xml.xsd"),
    ),
];

/// The embedded content of one schema file.
pub(crate) fn file(name: &str) -> &'static [u8] {
    FILES
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(&[][..], |(_, bytes)| *bytes)
}

/// The first schema violation of a request, as Exchange reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// 1-based line in the request.
    pub line: usize,
    /// 1-based column (libxml2 knows only the line for most violations; 1
    /// then).
    pub position: usize,
    /// What is wrong.
    pub message: String,
}

/// Checks requests: the declared-names check, then (with the `xsd`
/// feature) libxml2's XSD validation.
#[derive(Clone)]
pub struct SchemaValidator {
    names: Arc<DeclaredNames>,
    #[cfg(feature = "xsd")]
    xsd: xsd::XsdValidator,
}

impl std::fmt::Debug for SchemaValidator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.strict() {
            "SchemaValidator(xsd)"
        } else {
            "SchemaValidator(names)"
        })
    }
}

impl SchemaValidator {
    /// Loads the embedded schema; with the `xsd` feature, on `threads`
    /// validator threads.
    pub fn start(threads: usize) -> Result<SchemaValidator> {
        #[cfg(not(feature = "xsd"))]
        let _ = threads;
        Ok(SchemaValidator {
            names: Arc::new(DeclaredNames::load()?),
            #[cfg(feature = "xsd")]
            xsd: xsd::XsdValidator::start(threads)?,
        })
    }

    /// Whether requests are validated against the full XSD (the `xsd`
    /// feature).
    pub fn strict(&self) -> bool {
        cfg!(feature = "xsd")
    }

    /// Checks a well-formed SOAP request.
    pub async fn validate(&self, xml: Arc<[u8]>) -> Result<(), Violation> {
        self.names.check(&xml)?;
        #[cfg(feature = "xsd")]
        self.xsd.validate(xml).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn sample(name: &str) -> Vec<u8> {
        std::fs::read(format!(
            "{}/../../maiconnect-ews/tests/samples/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    #[tokio::test]
    async fn a_real_request_passes_and_an_undeclared_element_is_named() {
        let v = SchemaValidator::start(1).unwrap();
        v.validate(sample("getitem-calendaritem-request.xml").into())
            .await
            .unwrap();
        let bad = String::from_utf8(sample("finditem-calendarview-request.xml"))
            .unwrap()
            .replace("t:BaseShape", "t:BaseShap");
        let err = v.validate(bad.into_bytes().into()).await.unwrap_err();
        assert!(err.message.contains("BaseShap'"), "{err:?}");
    }
}
