//! The signed JWT client assertion of the OAuth 2.0 client credentials
//! flow with a certificate.
//!
//! Microsoft documents two forms
//! (<https://learn.microsoft.com/en-us/entra/identity-platform/certificate-credentials>):
//! the current one, `alg: PS256` (RSASSA-PSS with SHA-256) naming the
//! certificate by `x5t#S256` (its SHA-256 thumbprint), and the older one,
//! `alg: RS256` (PKCS #1 v1.5) with `x5t` (SHA-1). [`AssertionStyle`]
//! picks one per environment; the pairs are never mixed.
//!
//! The certificate and key are read from PEM (PKCS #8 or PKCS #1 key) or
//! from a PKCS #12 `.pfx` as Windows and Azure export it. Signing uses
//! aws-lc-rs, the same library that carries TLS; nothing is linked from the
//! system.

use std::sync::Arc;

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{self, RsaKeyPair};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

use crate::error::EwsError;

/// How the client assertion is signed and how its header names the
/// certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AssertionStyle {
    /// `alg: PS256` with `x5t#S256`: Microsoft's current form (the
    /// default).
    #[default]
    Ps256,
    /// `alg: RS256` with `x5t` (SHA-1 thumbprint): the older documented
    /// form, for tenants or proxies that expect it.
    Rs256,
}

impl AssertionStyle {
    /// The configuration name: `ps256` or `rs256`.
    pub fn name(self) -> &'static str {
        match self {
            AssertionStyle::Ps256 => "ps256",
            AssertionStyle::Rs256 => "rs256",
        }
    }

    /// Reads a configuration name.
    pub fn from_name(name: &str) -> Option<AssertionStyle> {
        match name.to_ascii_lowercase().as_str() {
            "ps256" => Some(AssertionStyle::Ps256),
            "rs256" => Some(AssertionStyle::Rs256),
            _ => None,
        }
    }
}

/// A certificate and its private key, loaded once.
#[derive(Clone)]
pub struct CertificateKey {
    key: Arc<RsaKeyPair>,
    x5t: String,
    x5t_s256: String,
}

impl std::fmt::Debug for CertificateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key is never printed.
        write!(f, "CertificateKey {{ x5t#S256: {} }}", self.x5t_s256)
    }
}

fn config(message: String) -> EwsError {
    EwsError::Config(message)
}

impl CertificateKey {
    /// Loads a PEM certificate and its PEM private key (unencrypted PKCS #8
    /// or PKCS #1).
    pub fn from_pem(certificate: &[u8], private_key: &[u8]) -> Result<CertificateKey, EwsError> {
        let cert = CertificateDer::from_pem_slice(certificate).map_err(|e| {
            config(format!(
                "the OAuth certificate is not a PEM X.509 certificate ({e}); export it with `openssl x509 -outform PEM`"
            ))
        })?;
        if private_key
            .windows(23)
            .any(|w| w == b"ENCRYPTED PRIVATE KEY--")
        {
            return Err(config(
                "the OAuth private key is encrypted; give it unencrypted (`openssl pkcs8 -topk8 -nocrypt -in key.pem`) in a file only the hub may read, or use the .pfx with its password (kind = \"pkcs12\")".into(),
            ));
        }
        let key = PrivateKeyDer::from_pem_slice(private_key).map_err(|e| {
            config(format!(
                "the OAuth private key is not a PEM private key ({e}); it must be unencrypted PKCS#8 (BEGIN PRIVATE KEY) or PKCS#1 (BEGIN RSA PRIVATE KEY)"
            ))
        })?;
        CertificateKey::from_der(&cert, &key)
    }

    /// Loads the certificate and key of a PKCS #12 file (`.pfx`, `.p12`),
    /// as `Export-PfxCertificate` or the Azure portal write it (AES-256 or
    /// the legacy 3DES scheme).
    pub fn from_pkcs12(pfx: &[u8], password: &str) -> Result<CertificateKey, EwsError> {
        let store = p12_keystore::KeyStore::from_pkcs12(
            pfx,
            password,
            p12_keystore::Pkcs12ImportPolicy::Relaxed,
        )
        .map_err(|e| {
            config(format!(
                "the OAuth .pfx cannot be opened ({e}); check the password, and that the file is PKCS#12 (an MD5-based or unencrypted .pfx is not supported: re-export it with `openssl pkcs12 -export`)"
            ))
        })?;
        let (_, chain) = store.private_key_chain().ok_or_else(|| {
            config(
                "the OAuth .pfx holds no private key; export the certificate with its private key"
                    .into(),
            )
        })?;
        let first = chain.certs().first().ok_or_else(|| {
            config(
                "the OAuth .pfx holds a key but no certificate; export it with its certificate"
                    .into(),
            )
        })?;
        let cert = CertificateDer::from(first.as_der().to_vec());
        let key = PrivateKeyDer::try_from(chain.key().as_der().to_vec()).map_err(|e| {
            config(format!(
                "the private key in the OAuth .pfx is unreadable: {e}"
            ))
        })?;
        CertificateKey::from_der(&cert, &key)
    }

    fn from_der(
        cert: &CertificateDer<'_>,
        key: &PrivateKeyDer<'_>,
    ) -> Result<CertificateKey, EwsError> {
        let key = match key {
            PrivateKeyDer::Pkcs8(k) => RsaKeyPair::from_pkcs8(k.secret_pkcs8_der()),
            PrivateKeyDer::Pkcs1(k) => RsaKeyPair::from_der(k.secret_pkcs1_der()),
            _ => {
                return Err(config(
                    "the OAuth private key is not an RSA key; Microsoft Entra ID signs client assertions with RSA certificates only".into(),
                ));
            }
        }
        .map_err(|e| config(format!("the OAuth private key is not a usable RSA key: {e}")))?;
        let end_entity = webpki::EndEntityCert::try_from(cert).map_err(|e| {
            config(format!(
                "the OAuth certificate is not a valid X.509 certificate: {e:?}"
            ))
        })?;
        // The key belongs to the certificate when the certificate's public
        // key verifies what the key signs.
        let probe = b"maiconnect: does this key belong to the certificate?";
        let signature = sign(&key, &signature::RSA_PKCS1_SHA256, probe)?;
        end_entity
            .verify_signature(webpki::aws_lc_rs::RSA_PKCS1_2048_8192_SHA256, probe, &signature)
            .map_err(|_| {
                config("the OAuth private key does not belong to the certificate; check that both come from the same key pair".into())
            })?;
        let thumbprint =
            |alg| URL_SAFE_NO_PAD.encode(aws_lc_rs::digest::digest(alg, cert.as_ref()));
        Ok(CertificateKey {
            key: Arc::new(key),
            x5t: thumbprint(&aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY),
            x5t_s256: thumbprint(&aws_lc_rs::digest::SHA256),
        })
    }

    /// The `x5t` thumbprint (base64url SHA-1 of the DER certificate).
    pub fn x5t(&self) -> &str {
        &self.x5t
    }

    /// The `x5t#S256` thumbprint (base64url SHA-256 of the DER
    /// certificate).
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
        style: AssertionStyle,
    ) -> Result<String, EwsError> {
        let (header, padding): (_, &'static dyn signature::RsaEncoding) = match style {
            AssertionStyle::Ps256 => (
                serde_json::json!({"alg": "PS256", "typ": "JWT", "x5t#S256": self.x5t_s256}),
                &signature::RSA_PSS_SHA256,
            ),
            AssertionStyle::Rs256 => (
                serde_json::json!({"alg": "RS256", "typ": "JWT", "x5t": self.x5t}),
                &signature::RSA_PKCS1_SHA256,
            ),
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
        let signature = sign(&self.key, padding, signing_input.as_bytes())?;
        Ok(format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature)
        ))
    }
}

fn sign(
    key: &RsaKeyPair,
    padding: &'static dyn signature::RsaEncoding,
    message: &[u8],
) -> Result<Vec<u8>, EwsError> {
    let mut out = vec![0; key.public_modulus_len()];
    key.sign(padding, &SystemRandom::new(), message, &mut out)
        .map_err(|_| {
            config("cannot sign the OAuth client assertion with the private key".into())
        })?;
    Ok(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/oauth");

    pub(crate) fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{FIXTURES}/{name}")).unwrap()
    }

    /// The test app's certificate and PKCS #8 key, as PEM.
    pub(crate) fn app_pem() -> (Vec<u8>, Vec<u8>) {
        (fixture("app.pem"), fixture("app.key"))
    }

    /// base64url of the bytes that OpenSSL printed as `AA:BB:…`
    /// (tests/fixtures/oauth/README.md).
    fn from_openssl(fingerprint: &str) -> String {
        let bytes: Vec<u8> = fingerprint
            .split(':')
            .map(|h| u8::from_str_radix(h, 16).unwrap())
            .collect();
        URL_SAFE_NO_PAD.encode(bytes)
    }

    fn part(jwt: &str, i: usize) -> serde_json::Value {
        let p = jwt.split('.').nth(i).unwrap();
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(p).unwrap()).unwrap()
    }

    fn verifies(jwt: &str, alg: &dyn rustls_pki_types::SignatureVerificationAlgorithm) -> bool {
        let cert = CertificateDer::from_pem_slice(&fixture("app.pem")).unwrap();
        let ee = webpki::EndEntityCert::try_from(&cert).unwrap();
        let (input, sig) = jwt.rsplit_once('.').unwrap();
        let sig = URL_SAFE_NO_PAD.decode(sig).unwrap();
        ee.verify_signature(alg, input.as_bytes(), &sig).is_ok()
    }

    #[test]
    fn thumbprints_match_what_openssl_prints() {
        let (cert, key) = app_pem();
        let ck = CertificateKey::from_pem(&cert, &key).unwrap();
        assert_eq!(
            ck.x5t(),
            from_openssl("6E:AA:0E:55:DB:E0:3B:49:F6:78:AE:27:5F:03:11:B0:F0:C6:FF:54")
        );
        assert_eq!(
            ck.x5t_s256(),
            from_openssl(
                "02:91:8A:33:B6:60:AC:C5:44:C9:66:B0:B5:D8:AB:65:FE:00:21:18:9B:63:7E:E0:F3:25:59:35:31:A5:9E:84"
            )
        );
    }

    #[test]
    fn each_style_pairs_its_algorithm_with_its_thumbprint_and_verifies() {
        let (cert, key) = app_pem();
        let ck = CertificateKey::from_pem(&cert, &key).unwrap();
        let endpoint = "https://login.microsoftonline.com/contoso/oauth2/v2.0/token";

        let ps = ck
            .assertion("client-1", endpoint, 1_800_000_000, AssertionStyle::Ps256)
            .unwrap();
        let header = part(&ps, 0);
        assert_eq!(header["alg"], "PS256");
        assert_eq!(header["typ"], "JWT");
        assert_eq!(header["x5t#S256"], ck.x5t_s256());
        assert!(header.get("x5t").is_none());
        assert!(verifies(
            &ps,
            webpki::aws_lc_rs::RSA_PSS_2048_8192_SHA256_LEGACY_KEY
        ));
        assert!(!verifies(
            &ps,
            webpki::aws_lc_rs::RSA_PKCS1_2048_8192_SHA256
        ));

        let rs = ck
            .assertion("client-1", endpoint, 1_800_000_000, AssertionStyle::Rs256)
            .unwrap();
        let header = part(&rs, 0);
        assert_eq!(header["alg"], "RS256");
        assert_eq!(header["x5t"], ck.x5t());
        assert!(header.get("x5t#S256").is_none());
        assert!(verifies(&rs, webpki::aws_lc_rs::RSA_PKCS1_2048_8192_SHA256));

        let claims = part(&rs, 1);
        assert_eq!(claims["aud"], endpoint);
        assert_eq!(claims["iss"], "client-1");
        assert_eq!(claims["sub"], "client-1");
        assert_eq!(claims["nbf"], 1_800_000_000);
        assert_eq!(claims["exp"], 1_800_000_600);
        assert!(claims["jti"].as_str().unwrap().len() >= 32);
        assert_ne!(part(&ps, 1)["jti"], claims["jti"], "a fresh jti each time");

        // A tampered signing input does not verify.
        let (input, sig) = rs.rsplit_once('.').unwrap();
        let forged = format!("{}x.{sig}", input);
        assert!(!verifies(
            &forged,
            webpki::aws_lc_rs::RSA_PKCS1_2048_8192_SHA256
        ));
    }

    #[test]
    fn pkcs1_keys_and_both_pfx_schemes_load_the_same_certificate() {
        let (cert, key) = app_pem();
        let pem = CertificateKey::from_pem(&cert, &key).unwrap();
        let pkcs1 = CertificateKey::from_pem(&cert, &fixture("app-pkcs1.key")).unwrap();
        assert_eq!(pkcs1.x5t_s256(), pem.x5t_s256());
        for pfx in ["app-aes.pfx", "app-3des.pfx"] {
            let p12 = CertificateKey::from_pkcs12(&fixture(pfx), "test-pfx-password")
                .unwrap_or_else(|e| panic!("{pfx}: {e}"));
            assert_eq!(p12.x5t_s256(), pem.x5t_s256(), "{pfx}");
            assert_eq!(p12.x5t(), pem.x5t(), "{pfx}");
        }
        let e = CertificateKey::from_pkcs12(&fixture("app-aes.pfx"), "wrong").unwrap_err();
        assert!(e.to_string().contains("check the password"), "{e}");
    }

    #[test]
    fn mismatched_or_broken_keys_are_refused() {
        let (cert, _) = app_pem();
        let e = CertificateKey::from_pem(&cert, &fixture("other.key")).unwrap_err();
        assert!(e.to_string().contains("does not belong"), "{e}");
        let e = CertificateKey::from_pem(b"nope", &fixture("app.key")).unwrap_err();
        assert!(e.to_string().contains("PEM X.509"), "{e}");
        let e = CertificateKey::from_pem(&cert, b"nope").unwrap_err();
        assert!(e.to_string().contains("not a PEM private key"), "{e}");
        let encrypted =
            b"-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n";
        let e = CertificateKey::from_pem(&cert, encrypted).unwrap_err();
        assert!(e.to_string().contains("is encrypted"), "{e}");
    }
}
