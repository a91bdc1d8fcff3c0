//! Outbound proxies: which one a connection uses, and how to tell a proxy
//! failure from a server failure.

use crate::TransportError;

/// How a connection reaches its server.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ProxySetting {
    /// The standard environment variables decide (`HTTPS_PROXY`,
    /// `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`, also in lower case); without
    /// them the connection is direct.
    #[default]
    Environment,
    /// Always direct, whatever the environment says.
    Direct,
    /// Through this proxy.
    Via(Proxy),
}

/// An HTTP(S) forward proxy: plain requests are sent to it in absolute
/// form, TLS connections are tunnelled with `CONNECT`.
#[derive(Clone, PartialEq, Eq)]
pub struct Proxy {
    url: String,
    credentials: Option<(String, String)>,
    no_proxy: Vec<String>,
}

impl std::fmt::Debug for Proxy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The password never shows.
        f.debug_struct("Proxy")
            .field("url", &self.url)
            .field("user", &self.credentials.as_ref().map(|(u, _)| u))
            .field("no_proxy", &self.no_proxy)
            .finish()
    }
}

impl Proxy {
    /// A proxy at `url` (`http://host:port` or `https://host:port`);
    /// `origin` names the setting in errors.
    pub fn new(origin: &str, url: &str) -> Result<Proxy, TransportError> {
        let refuse = |reason: &str| TransportError::Proxy {
            origin: origin.to_owned(),
            reason: format!("{url:?} {reason}"),
        };
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| refuse("is not a URL; write it as http://proxy.example.com:3128"))?;
        if !matches!(scheme, "http" | "https") {
            return Err(refuse(
                "has an unsupported scheme; an HTTP proxy is http:// or https:// (SOCKS is not supported)",
            ));
        }
        if rest.contains('@') {
            return Err(refuse(
                "carries credentials in the URL; give them as user and password so the password can be kept as a secret",
            ));
        }
        reqwest::Proxy::all(url).map_err(|e| refuse(&format!("is not usable: {e}")))?;
        Ok(Proxy {
            url: url.trim_end_matches('/').to_owned(),
            credentials: None,
            no_proxy: Vec::new(),
        })
    }

    /// With Basic proxy authentication (`Proxy-Authorization`).
    pub fn with_credentials(mut self, user: &str, password: &str) -> Proxy {
        self.credentials = Some((user.to_owned(), password.to_owned()));
        self
    }

    /// Hosts reached directly: names, `.domain` suffixes, IP addresses and
    /// CIDR ranges, as in `NO_PROXY`.
    pub fn bypassing(mut self, hosts: &[String]) -> Proxy {
        self.no_proxy = hosts.to_vec();
        self
    }

    /// The proxy's URL (without credentials).
    pub fn url(&self) -> &str {
        &self.url
    }

    pub(crate) fn to_reqwest(&self) -> Result<reqwest::Proxy, reqwest::Error> {
        let mut proxy = reqwest::Proxy::all(&self.url)?;
        if let Some((user, password)) = &self.credentials {
            proxy = proxy.basic_auth(user, password);
        }
        if !self.no_proxy.is_empty() {
            proxy = proxy.no_proxy(reqwest::NoProxy::from_string(&self.no_proxy.join(",")));
        }
        Ok(proxy)
    }
}
