//! Certificate-based client assertions (JWT) as Microsoft Entra ID checks
//! them: the two documented forms, PS256 naming the certificate by
//! `x5t#S256` and RS256 naming it by `x5t`, and nothing in between.
//!
//! Reference: <https://learn.microsoft.com/en-us/entra/identity-platform/certificate-credentials>.

use aws_lc_rs::digest::{SHA1_FOR_LEGACY_USE_ONLY, SHA256, digest};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;
use serde_json::Value;

/// Why an assertion was refused: (AADSTS code, description).
pub type Refusal = (u32, String);

/// Checks a client assertion for `client_id` against the registered
/// certificate: header `alg` RS256 and `x5t` / `x5t#S256` thumbprint, the
/// signature, `aud` (one of `audiences`), `iss` = `sub` = client id, `exp`
/// in the future, `nbf` not in the future, `jti` present.
pub fn verify(
    assertion: &str,
    client_id: &str,
    certificate_pem: &str,
    audiences: &[String],
    now: DateTime<Utc>,
) -> Result<(), Refusal> {
    let malformed = |what: &str| (50027, format!("JWT token is invalid or malformed: {what}."));
    let mut parts = assertion.trim().split('.');
    let (Some(h64), Some(p64), Some(s64), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(malformed("it does not have three parts"));
    };
    let json = |part: &str| -> Option<Value> {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).ok()?).ok()
    };
    let header = json(h64).ok_or_else(|| malformed("the header is not base64url JSON"))?;
    let claims = json(p64).ok_or_else(|| malformed("the payload is not base64url JSON"))?;
    let signature = URL_SAFE_NO_PAD
        .decode(s64)
        .map_err(|_| malformed("the signature is not base64url"))?;
    // Each documented algorithm comes with its own thumbprint.
    let (algorithm, thumbprint, digest_alg): (
        &dyn rustls_pki_types::SignatureVerificationAlgorithm,
        _,
        _,
    ) = match header["alg"].as_str() {
        Some("PS256") => (
            webpki::aws_lc_rs::RSA_PSS_2048_8192_SHA256_LEGACY_KEY,
            "x5t#S256",
            &SHA256,
        ),
        Some("RS256") => (
            webpki::aws_lc_rs::RSA_PKCS1_2048_8192_SHA256,
            "x5t",
            &SHA1_FOR_LEGACY_USE_ONLY,
        ),
        _ => {
            return Err((
                5002738,
                format!(
                    "The client assertion uses algorithm {}; PS256 (with x5t#S256) or RS256 (with x5t) is required.",
                    header["alg"]
                ),
            ));
        }
    };
    let Some(named) = header[thumbprint].as_str() else {
        return Err((
            700027,
            format!(
                "Client assertion failed signature validation: an assertion signed with {} must name the certificate by {thumbprint}.",
                header["alg"].as_str().unwrap_or_default()
            ),
        ));
    };
    let cert = CertificateDer::from_pem_slice(certificate_pem.as_bytes()).map_err(|e| {
        (
            700027,
            format!("The registered certificate cannot be read: {e}."),
        )
    })?;
    if named.trim_end_matches('=') != URL_SAFE_NO_PAD.encode(digest(digest_alg, cert.as_ref())) {
        return Err((
            700027,
            format!(
                "Client assertion failed signature validation: the certificate with the identifier used to sign the client assertion is not registered on the application ({thumbprint} does not match)."
            ),
        ));
    }
    let end_entity = webpki::EndEntityCert::try_from(&cert).map_err(|e| {
        (
            700027,
            format!("The registered certificate is invalid: {e:?}."),
        )
    })?;
    let signed = format!("{h64}.{p64}");
    if end_entity
        .verify_signature(algorithm, signed.as_bytes(), &signature)
        .is_err()
    {
        return Err((
            700027,
            "Client assertion contains an invalid signature.".into(),
        ));
    }
    let aud_ok = match &claims["aud"] {
        Value::String(a) => audiences.iter().any(|x| x == a),
        Value::Array(list) => list
            .iter()
            .any(|a| a.as_str().is_some_and(|a| audiences.iter().any(|x| x == a))),
        _ => false,
    };
    if !aud_ok {
        return Err((
            700021,
            format!(
                "Client assertion audience claim does not match the token endpoint; expected {}.",
                audiences.first().cloned().unwrap_or_default()
            ),
        ));
    }
    if claims["iss"] != client_id || claims["sub"] != client_id {
        return Err((
            700023,
            "Client assertion iss and sub must both be the client id.".into(),
        ));
    }
    let ts = now.timestamp();
    match claims["exp"].as_i64() {
        Some(exp) if exp > ts => {}
        _ => return Err((
            700024,
            "Client assertion is not within its valid time range (exp is missing or in the past)."
                .into(),
        )),
    }
    if claims["nbf"].as_i64().is_some_and(|nbf| nbf > ts + 300) {
        return Err((
            700024,
            "Client assertion is not within its valid time range (nbf is in the future).".into(),
        ));
    }
    if !claims["jti"].is_string() {
        return Err((
            50027,
            "JWT token is invalid or malformed: jti is missing.".into(),
        ));
    }
    Ok(())
}

/// Builds a signed client assertion (for tests and the demo): RS256 with
/// `x5t`, or PS256 with `x5t#S256` when `pss`.
pub fn sign_assertion(
    key_pem: &str,
    certificate_pem: &str,
    client_id: &str,
    audience: &str,
    now: DateTime<Utc>,
    pss: bool,
) -> Result<String, String> {
    let cert = CertificateDer::from_pem_slice(certificate_pem.as_bytes())
        .map_err(|e| format!("certificate: {e}"))?;
    let key = rustls_pki_types::PrivatePkcs8KeyDer::from_pem_slice(key_pem.as_bytes())
        .map_err(|e| format!("PKCS#8 key: {e}"))?;
    let key = aws_lc_rs::signature::RsaKeyPair::from_pkcs8(key.secret_pkcs8_der())
        .map_err(|e| format!("RSA key: {e}"))?;
    let (header, padding): (_, &'static dyn aws_lc_rs::signature::RsaEncoding) = if pss {
        let t = URL_SAFE_NO_PAD.encode(digest(&SHA256, cert.as_ref()));
        (
            serde_json::json!({"alg": "PS256", "typ": "JWT", "x5t#S256": t}),
            &aws_lc_rs::signature::RSA_PSS_SHA256,
        )
    } else {
        let t = URL_SAFE_NO_PAD.encode(digest(&SHA1_FOR_LEGACY_USE_ONLY, cert.as_ref()));
        (
            serde_json::json!({"alg": "RS256", "typ": "JWT", "x5t": t}),
            &aws_lc_rs::signature::RSA_PKCS1_SHA256,
        )
    };
    let claims = serde_json::json!({
        "aud": audience, "iss": client_id, "sub": client_id,
        "jti": format!("{}", now.timestamp_nanos_opt().unwrap_or_default()),
        "nbf": now.timestamp(), "exp": now.timestamp() + 600,
    });
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let mut sig = vec![0; key.public_modulus_len()];
    key.sign(
        padding,
        &aws_lc_rs::rand::SystemRandom::new(),
        input.as_bytes(),
        &mut sig,
    )
    .map_err(|e| format!("signing: {e}"))?;
    Ok(format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig)))
}

/// Generates a self-signed RSA certificate and its PKCS #8 key (PEM) for
/// an app registration.
pub fn generate_certificate(common_name: &str) -> Result<(String, String), rcgen::Error> {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_RSA_SHA256)?;
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new())?;
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, common_name);
    let cert = params.self_signed(&key)?;
    Ok((cert.pem(), key.serialize_pem()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_assertion_passes_and_tampering_is_caught() {
        let (cert, key) = generate_certificate("app").unwrap();
        let now = crate::exchange::clock::system_now();
        let aud = vec!["http://127.0.0.1/t/oauth2/v2.0/token".to_string()];
        let a = sign_assertion(&key, &cert, "cid", &aud[0], now, false).unwrap();
        verify(&a, "cid", &cert, &aud, now).unwrap();
        let pss = sign_assertion(&key, &cert, "cid", &aud[0], now, true).unwrap();
        verify(&pss, "cid", &cert, &aud, now).unwrap();
        assert_eq!(verify(&a, "other", &cert, &aud, now).unwrap_err().0, 700023);
        assert_eq!(
            verify(&a, "cid", &cert, &["x".into()], now).unwrap_err().0,
            700021
        );
        let later = now + chrono::Duration::hours(1);
        assert_eq!(verify(&a, "cid", &cert, &aud, later).unwrap_err().0, 700024);
        let dot = a.rfind('.').unwrap();
        let mut forged: Vec<char> = a.chars().collect();
        forged[dot + 5] = if forged[dot + 5] == 'A' { 'B' } else { 'A' };
        let forged: String = forged.into_iter().collect();
        assert_eq!(
            verify(&forged, "cid", &cert, &aud, now).unwrap_err().0,
            700027
        );
        let (other_cert, _) = generate_certificate("other").unwrap();
        assert_eq!(
            verify(&a, "cid", &other_cert, &aud, now).unwrap_err().0,
            700027
        );
        assert_eq!(verify("a.b", "cid", &cert, &aud, now).unwrap_err().0, 50027);
    }

    /// Swaps the header of a signed assertion (the signature no longer
    /// matters: the pairing is checked first).
    fn with_header(assertion: &str, header: Value) -> String {
        let rest = assertion.split_once('.').unwrap().1;
        format!("{}.{rest}", URL_SAFE_NO_PAD.encode(header.to_string()))
    }

    #[test]
    fn mismatched_algorithm_and_thumbprint_pairs_are_refused() {
        let (cert, key) = generate_certificate("app").unwrap();
        let now = crate::exchange::clock::system_now();
        let aud = vec!["http://127.0.0.1/t/oauth2/v2.0/token".to_string()];
        let a = sign_assertion(&key, &cert, "cid", &aud[0], now, true).unwrap();
        let der = CertificateDer::from_pem_slice(cert.as_bytes()).unwrap();
        let sha1 = URL_SAFE_NO_PAD.encode(digest(&SHA1_FOR_LEGACY_USE_ONLY, der.as_ref()));
        let sha256 = URL_SAFE_NO_PAD.encode(digest(&SHA256, der.as_ref()));
        for header in [
            serde_json::json!({"alg": "RS256", "typ": "JWT", "x5t#S256": sha256}),
            serde_json::json!({"alg": "PS256", "typ": "JWT", "x5t": sha1}),
        ] {
            let e = verify(&with_header(&a, header.clone()), "cid", &cert, &aud, now).unwrap_err();
            assert_eq!(e.0, 700027, "{header}: {e:?}");
            assert!(e.1.contains("must name the certificate"), "{e:?}");
        }
        let e = verify(
            &with_header(
                &a,
                serde_json::json!({"alg": "HS256", "typ": "JWT", "x5t": sha1}),
            ),
            "cid",
            &cert,
            &aud,
            now,
        )
        .unwrap_err();
        assert_eq!(e.0, 5002738);
        // A PS256 signature under an RS256 header does not verify.
        let e = verify(
            &with_header(
                &a,
                serde_json::json!({"alg": "RS256", "typ": "JWT", "x5t": sha1}),
            ),
            "cid",
            &cert,
            &aud,
            now,
        )
        .unwrap_err();
        assert_eq!(e.0, 700027);
        assert!(e.1.contains("invalid signature"), "{e:?}");
    }
}
