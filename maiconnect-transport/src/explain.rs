//! Transport failures in words an administrator can act on.

use std::error::Error;

/// A transport failure: the whole cause chain as text, and what it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explained {
    /// Every cause, outermost first, joined by `: `.
    pub text: String,
    /// The server's certificate was not trusted (unknown issuer, expired,
    /// wrong name).
    pub certificate: bool,
    /// The configured proxy the call went through, if any.
    pub proxy: Option<String>,
}

impl Explained {
    /// Whether the proxy refused or failed (a `407`, a refused tunnel, an
    /// unreachable proxy), as far as the cause chain tells.
    pub fn proxy_failed(&self) -> bool {
        let lower = self.text.to_ascii_lowercase();
        self.proxy.is_some()
            && (lower.contains("proxy")
                || lower.contains("tunnel")
                || lower.contains("407")
                || lower.contains("connect"))
    }
}

impl std::fmt::Display for Explained {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)?;
        if let (true, Some(proxy)) = (self.proxy_failed(), &self.proxy) {
            write!(
                f,
                " (through the proxy {proxy}: check that it runs and is reachable from the hub, that its user and password are right (a 407 means they are missing or refused), and that it allows CONNECT to this host; or list the host in no_proxy)"
            )?;
        }
        if self.certificate {
            f.write_str(
                " (the server's TLS certificate is not trusted: if an internal CA signed it, set `ca_bundle` to that CA's PEM file for this connection; if it has expired or names another host, renew it; if a proxy intercepts TLS, its CA belongs in `ca_bundle`)",
            )?;
        }
        Ok(())
    }
}

/// Walks the cause chain of an HTTP client error. `reqwest`'s own message
/// ("error sending request") hides the cause that matters (a refused
/// connection, an untrusted certificate).
pub fn explain(error: &(dyn Error + 'static)) -> Explained {
    let mut parts: Vec<String> = Vec::new();
    let mut next = Some(error);
    while let Some(e) = next {
        let text = e.to_string();
        // Wrappers often repeat their cause's text; keep each once.
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = e.source();
    }
    let text = parts.join(": ");
    let lower = text.to_ascii_lowercase();
    let certificate = lower.contains("certificate") || lower.contains("unknownissuer");
    Explained {
        text,
        certificate,
        proxy: None,
    }
}
