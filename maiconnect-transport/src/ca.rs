//! An extra set of trusted root certificates, read from PEM.

use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;

use crate::TransportError;

/// Root certificates to trust in addition to the platform's, such as the
/// company CA that signed the on-premises Exchange or SAP Gateway
/// certificate.
#[derive(Clone, PartialEq, Eq)]
pub struct CaBundle {
    origin: String,
    /// DER certificates, each checked to be usable when read.
    certificates: Vec<Vec<u8>>,
}

impl std::fmt::Debug for CaBundle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "CaBundle {{ origin: {:?}, certificates: {} }}",
            self.origin,
            self.certificates.len()
        )
    }
}

impl CaBundle {
    /// Reads every `CERTIFICATE` block of `pem`; `origin` names the file or
    /// key in errors. Other blocks (a private key by mistake) are refused.
    pub fn from_pem(origin: &str, pem: &[u8]) -> Result<CaBundle, TransportError> {
        let refuse = |reason: String| TransportError::CaBundle {
            origin: origin.to_owned(),
            reason,
        };
        if pem.windows(11).any(|w| w == b"PRIVATE KEY") {
            return Err(refuse(
                "holds a private key; a CA bundle holds only certificates".into(),
            ));
        }
        let mut certificates = Vec::new();
        for (n, der) in CertificateDer::pem_slice_iter(pem).enumerate() {
            let der =
                der.map_err(|e| refuse(format!("has an unreadable block #{}: {e}", n + 1)))?;
            reqwest::Certificate::from_der(&der)
                .map_err(|e| refuse(format!("has an unusable certificate #{}: {e}", n + 1)))?;
            certificates.push(der.to_vec());
        }
        if certificates.is_empty() {
            return Err(refuse("holds no PEM certificate".into()));
        }
        Ok(CaBundle {
            origin: origin.to_owned(),
            certificates,
        })
    }

    /// Reads a PEM file.
    pub fn from_file(path: &std::path::Path) -> Result<CaBundle, TransportError> {
        let origin = path.display().to_string();
        let pem = std::fs::read(path).map_err(|e| TransportError::CaBundle {
            origin: origin.clone(),
            reason: format!("cannot be read ({e})"),
        })?;
        CaBundle::from_pem(&origin, &pem)
    }

    /// Where it came from.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// How many certificates it holds.
    pub fn len(&self) -> usize {
        self.certificates.len()
    }

    /// Whether it holds none (never true for a bundle that was read).
    pub fn is_empty(&self) -> bool {
        self.certificates.is_empty()
    }

    pub(crate) fn certificates(&self) -> Vec<reqwest::Certificate> {
        self.certificates
            .iter()
            .filter_map(|der| reqwest::Certificate::from_der(der).ok())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_is_not_a_bundle_of_certificates() {
        let e = CaBundle::from_pem("ca.pem", b"hello").unwrap_err();
        assert!(
            e.to_string().contains("ca.pem holds no PEM certificate"),
            "{e}"
        );
        let key = b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
        let e = CaBundle::from_pem("key.pem", key).unwrap_err();
        assert!(e.to_string().contains("holds a private key"), "{e}");
        let e = CaBundle::from_file(std::path::Path::new("/nonexistent/ca.pem")).unwrap_err();
        assert!(
            e.to_string().contains("/nonexistent/ca.pem cannot be read"),
            "{e}"
        );
    }
}
