//! Certificate-based client assertions (JWT, RS256) as Microsoft Entra ID
//! checks them.
//!
//! Reference: <https://learn.microsoft.com/en-us/entra/identity-platform/certificate-credentials>.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use openssl::hash::MessageDigest;
use openssl::sign::Verifier;
use openssl::x509::X509;
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
    if header["alg"] != "RS256" {
        return Err((
            5002738,
            format!(
                "The client assertion uses algorithm {}; only RS256 is supported.",
                header["alg"]
            ),
        ));
    }
    let cert = X509::from_pem(certificate_pem.as_bytes()).map_err(|e| {
        (
            700027,
            format!("The registered certificate cannot be read: {e}."),
        )
    })?;
    let der = cert.to_der().map_err(|e| (700027, e.to_string()))?;
    let thumb = |md: MessageDigest| {
        openssl::hash::hash(md, &der)
            .map(|d| URL_SAFE_NO_PAD.encode(d))
            .unwrap_or_default()
    };
    let matches = match (header["x5t#S256"].as_str(), header["x5t"].as_str()) {
        (Some(t), _) => t.trim_end_matches('=') == thumb(MessageDigest::sha256()),
        (None, Some(t)) => t.trim_end_matches('=') == thumb(MessageDigest::sha1()),
        (None, None) => false,
    };
    if !matches {
        return Err((
            700027,
            "Client assertion failed signature validation: the certificate with the identifier used to sign the client assertion is not registered on the application (x5t / x5t#S256 does not match).".into(),
        ));
    }
    let key = cert.public_key().map_err(|e| (700027, e.to_string()))?;
    let signed = format!("{h64}.{p64}");
    let valid = Verifier::new(MessageDigest::sha256(), &key)
        .and_then(|mut v| {
            v.update(signed.as_bytes())?;
            v.verify(&signature)
        })
        .unwrap_or(false);
    if !valid {
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
/// `x5t` set from the certificate.
pub fn sign_assertion(
    key_pem: &str,
    certificate_pem: &str,
    client_id: &str,
    audience: &str,
    now: DateTime<Utc>,
) -> Result<String, openssl::error::ErrorStack> {
    let cert = X509::from_pem(certificate_pem.as_bytes())?;
    let x5t = URL_SAFE_NO_PAD.encode(openssl::hash::hash(MessageDigest::sha1(), &cert.to_der()?)?);
    let header = serde_json::json!({"alg": "RS256", "typ": "JWT", "x5t": x5t});
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
    let key = openssl::pkey::PKey::private_key_from_pem(key_pem.as_bytes())?;
    let mut signer = openssl::sign::Signer::new(MessageDigest::sha256(), &key)?;
    signer.update(input.as_bytes())?;
    let sig = signer.sign_to_vec()?;
    Ok(format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig)))
}

/// Generates a self-signed RSA certificate and key (PEM) for an app.
pub fn generate_certificate(
    common_name: &str,
) -> Result<(String, String), openssl::error::ErrorStack> {
    use openssl::asn1::Asn1Time;
    use openssl::bn::BigNum;
    use openssl::x509::X509NameBuilder;
    let rsa = openssl::rsa::Rsa::generate(2048)?;
    let key = openssl::pkey::PKey::from_rsa(rsa)?;
    let mut name = X509NameBuilder::new()?;
    name.append_entry_by_text("CN", common_name)?;
    let name = name.build();
    let mut b = X509::builder()?;
    b.set_version(2)?;
    let serial = BigNum::from_u32(1)?.to_asn1_integer()?;
    b.set_serial_number(&serial)?;
    b.set_subject_name(&name)?;
    b.set_issuer_name(&name)?;
    b.set_pubkey(&key)?;
    b.set_not_before(Asn1Time::days_from_now(0)?.as_ref())?;
    b.set_not_after(Asn1Time::days_from_now(3650)?.as_ref())?;
    b.sign(&key, MessageDigest::sha256())?;
    let cert = String::from_utf8_lossy(&b.build().to_pem()?).into_owned();
    let key = String::from_utf8_lossy(&key.private_key_to_pem_pkcs8()?).into_owned();
    Ok((cert, key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_assertion_passes_and_tampering_is_caught() {
        let (cert, key) = generate_certificate("app").unwrap();
        let now = crate::exchange::clock::system_now();
        let aud = vec!["http://127.0.0.1/t/oauth2/v2.0/token".to_string()];
        let a = sign_assertion(&key, &cert, "cid", &aud[0], now).unwrap();
        verify(&a, "cid", &cert, &aud, now).unwrap();
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
}
