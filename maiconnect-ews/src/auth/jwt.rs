//! The signed JWT client assertion of the OAuth 2.0 client credentials
//! flow with a certificate (RS256).
//!
//! See <https://learn.microsoft.com/en-us/entra/identity-platform/certificate-credentials>.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private};
use openssl::sign::Signer;
use openssl::x509::X509;

use crate::error::EwsError;

/// Which certificate thumbprint the JWT header names the key by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Thumbprint {
    /// `x5t`: base64url of the SHA-1 of the DER certificate.
    Sha1,
    /// `x5t#S256`: base64url of the SHA-256 of the DER certificate (the
    /// default; Microsoft recommends it over SHA-1).
    #[default]
    Sha256,
}

/// A certificate and its private key, loaded once.
#[derive(Clone)]
pub struct CertificateKey {
    key: PKey<Private>,
    x5t: String,
    x5t_s256: String,
}

impl std::fmt::Debug for CertificateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key is never printed.
        write!(f, "CertificateKey {{ x5t#S256: {} }}", self.x5t_s256)
    }
}

impl CertificateKey {
    /// Loads a PEM certificate and its PEM private key (PKCS#8 or PKCS#1).
    pub fn from_pem(certificate: &[u8], private_key: &[u8]) -> Result<CertificateKey, EwsError> {
        let cert = X509::from_pem(certificate).map_err(|e| {
            EwsError::Config(format!(
                "the OAuth certificate is not a PEM X.509 certificate ({e}); export it with `openssl x509 -outform PEM`"
            ))
        })?;
        let key = PKey::private_key_from_pem(private_key).map_err(|e| {
            EwsError::Config(format!(
                "the OAuth private key is not a PEM private key ({e}); it must be unencrypted PKCS#8 or PKCS#1"
            ))
        })?;
        let public = cert.public_key().map_err(|e| {
            EwsError::Config(format!("the OAuth certificate has no public key: {e}"))
        })?;
        if !public.public_eq(&key) {
            return Err(EwsError::Config(
                "the OAuth private key does not belong to the certificate; check that both files come from the same key pair".into(),
            ));
        }
        let der = cert
            .to_der()
            .map_err(|e| EwsError::Config(format!("cannot encode the OAuth certificate: {e}")))?;
        let digest = |md: MessageDigest| -> Result<String, EwsError> {
            let h = openssl::hash::hash(md, &der)
                .map_err(|e| EwsError::Config(format!("cannot hash the certificate: {e}")))?;
            Ok(URL_SAFE_NO_PAD.encode(h))
        };
        Ok(CertificateKey {
            key,
            x5t: digest(MessageDigest::sha1())?,
            x5t_s256: digest(MessageDigest::sha256())?,
        })
    }

    /// The `x5t` thumbprint.
    pub fn x5t(&self) -> &str {
        &self.x5t
    }

    /// The `x5t#S256` thumbprint.
    pub fn x5t_s256(&self) -> &str {
        &self.x5t_s256
    }

    /// A client assertion for `client_id` at `token_endpoint`, valid from
    /// `now` (Unix seconds) for ten minutes, with a fresh `jti`.
    pub fn assertion(
        &self,
        client_id: &str,
        token_endpoint: &str,
        now: i64,
        thumbprint: Thumbprint,
    ) -> Result<String, EwsError> {
        let header = match thumbprint {
            Thumbprint::Sha1 => serde_json::json!({"alg": "RS256", "typ": "JWT", "x5t": self.x5t}),
            Thumbprint::Sha256 => {
                serde_json::json!({"alg": "RS256", "typ": "JWT", "x5t#S256": self.x5t_s256})
            }
        };
        let claims = serde_json::json!({
            "aud": token_endpoint,
            "iss": client_id,
            "sub": client_id,
            "jti": uuid::Uuid::new_v4().to_string(),
            "nbf": now,
            "iat": now,
            "exp": now + 600,
        });
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let sign = || -> Result<Vec<u8>, openssl::error::ErrorStack> {
            let mut signer = Signer::new(MessageDigest::sha256(), &self.key)?;
            signer.update(signing_input.as_bytes())?;
            signer.sign_to_vec()
        };
        let signature = sign().map_err(|e| {
            EwsError::Config(format!(
                "cannot sign the OAuth client assertion with the private key (an RSA key is needed): {e}"
            ))
        })?;
        Ok(format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature)
        ))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use openssl::asn1::Asn1Time;
    use openssl::bn::BigNum;
    use openssl::rsa::Rsa;
    use openssl::sign::Verifier;
    use openssl::x509::{X509Builder, X509NameBuilder};

    /// A fresh self-signed certificate and key, as PEM.
    pub(crate) fn self_signed() -> (Vec<u8>, Vec<u8>) {
        let rsa = Rsa::generate(2048).unwrap();
        let key = PKey::from_rsa(rsa).unwrap();
        let mut name = X509NameBuilder::new().unwrap();
        name.append_entry_by_text("CN", "maiconnect test").unwrap();
        let name = name.build();
        let mut b = X509Builder::new().unwrap();
        b.set_version(2).unwrap();
        b.set_serial_number(&BigNum::from_u32(1).unwrap().to_asn1_integer().unwrap())
            .unwrap();
        b.set_subject_name(&name).unwrap();
        b.set_issuer_name(&name).unwrap();
        b.set_pubkey(&key).unwrap();
        b.set_not_before(&Asn1Time::days_from_now(0).unwrap())
            .unwrap();
        b.set_not_after(&Asn1Time::days_from_now(30).unwrap())
            .unwrap();
        b.sign(&key, MessageDigest::sha256()).unwrap();
        let cert = b.build();
        (
            cert.to_pem().unwrap(),
            key.private_key_to_pem_pkcs8().unwrap(),
        )
    }

    fn part(jwt: &str, i: usize) -> serde_json::Value {
        let p = jwt.split('.').nth(i).unwrap();
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(p).unwrap()).unwrap()
    }

    #[test]
    fn assertions_are_signed_and_name_the_certificate() {
        let (cert_pem, key_pem) = self_signed();
        let ck = CertificateKey::from_pem(&cert_pem, &key_pem).unwrap();
        let endpoint = "https://login.microsoftonline.com/contoso/oauth2/v2.0/token";
        let jwt = ck
            .assertion("client-1", endpoint, 1_800_000_000, Thumbprint::Sha256)
            .unwrap();
        let header = part(&jwt, 0);
        assert_eq!(header["alg"], "RS256");
        let cert = X509::from_pem(&cert_pem).unwrap();
        let der = cert.to_der().unwrap();
        let s256 =
            URL_SAFE_NO_PAD.encode(openssl::hash::hash(MessageDigest::sha256(), &der).unwrap());
        assert_eq!(header["x5t#S256"], s256.as_str());
        assert!(header.get("x5t").is_none());
        let claims = part(&jwt, 1);
        assert_eq!(claims["aud"], endpoint);
        assert_eq!(claims["iss"], "client-1");
        assert_eq!(claims["sub"], "client-1");
        assert_eq!(claims["exp"], 1_800_000_600);
        assert!(claims["jti"].as_str().unwrap().len() >= 32);

        // The signature verifies with the certificate's public key.
        let (input, sig) = jwt.rsplit_once('.').unwrap();
        let sig = URL_SAFE_NO_PAD.decode(sig).unwrap();
        let public = cert.public_key().unwrap();
        let mut v = Verifier::new(MessageDigest::sha256(), &public).unwrap();
        v.update(input.as_bytes()).unwrap();
        assert!(v.verify(&sig).unwrap());
        let mut v = Verifier::new(MessageDigest::sha256(), &public).unwrap();
        v.update(b"tampered").unwrap();
        assert!(!v.verify(&sig).unwrap());

        let sha1 = ck
            .assertion("client-1", endpoint, 0, Thumbprint::Sha1)
            .unwrap();
        let header = part(&sha1, 0);
        let x5t = URL_SAFE_NO_PAD.encode(openssl::hash::hash(MessageDigest::sha1(), &der).unwrap());
        assert_eq!(header["x5t"], x5t.as_str());
        assert!(header.get("x5t#S256").is_none());
    }

    #[test]
    fn mismatched_or_broken_keys_are_refused() {
        let (cert_pem, _) = self_signed();
        let (_, other_key) = self_signed();
        let e = CertificateKey::from_pem(&cert_pem, &other_key).unwrap_err();
        assert!(e.to_string().contains("does not belong"), "{e}");
        let e = CertificateKey::from_pem(b"nope", &other_key).unwrap_err();
        assert!(e.to_string().contains("PEM X.509"), "{e}");
    }
}
