//! How to reach S/4HANA: base URL, service roots, client, language,
//! credentials, timeouts and limits. Constructible from plain values.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use url::Url;

use crate::error::ODataError;
use crate::profile::{Profile, ProfileKind, ServiceId};

/// Credentials of the communication user.
#[derive(Clone, PartialEq, Eq)]
pub enum Auth {
    /// No `Authorization` header (tests, a proxy that authenticates).
    None,
    /// HTTP Basic with user and password.
    Basic {
        /// The user.
        user: String,
        /// The password.
        password: String,
    },
    /// `Authorization: Bearer <token>` (OAuth 2.0 SAML bearer, client
    /// credentials).
    Bearer(String),
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::None => f.write_str("None"),
            Auth::Basic { user, .. } => write!(f, "Basic {{ user: {user:?}, password: <hidden> }}"),
            Auth::Bearer(_) => f.write_str("Bearer(<hidden>)"),
        }
    }
}

/// The client's settings.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientConfig {
    /// Scheme, host and port of the Gateway, such as `https://s4.example.de:44300`.
    pub base_url: Url,
    /// The service profile the system follows (default: extended).
    pub profile: ProfileKind,
    /// Service root paths that differ from the profile's defaults
    /// (`/sap/opu/odata/NAG/<SERVICE>/` in the extended profile,
    /// `/sap/opu/odata/sap/<SERVICE>/` in the standard one).
    pub service_paths: BTreeMap<ServiceId, String>,
    /// `sap-client` (the SAP client, such as `100`).
    pub sap_client: Option<String>,
    /// `sap-language` (such as `EN`).
    pub sap_language: Option<String>,
    /// Credentials.
    pub auth: Auth,
    /// Time limit of one request, answer included.
    pub timeout: Duration,
    /// Time limit of establishing a connection.
    pub connect_timeout: Duration,
    /// The largest response body accepted, in bytes.
    pub max_response_bytes: usize,
    /// The most pages one listing follows.
    pub max_pages: usize,
    /// Whom to trust (the platform's roots and an optional CA bundle).
    pub outbound: maiconnect_transport::Outbound,
    /// Refuse a next-page link (`__next`) to another scheme, host or port
    /// than the base URL. Off by default: a Gateway behind a reverse proxy
    /// writes its own host name into the link, so the link's path and
    /// query are followed below the configured service root instead.
    pub strict_next_links: bool,
}

impl ClientConfig {
    /// Settings for `base_url` (`http://127.0.0.1:PORT` or
    /// `https://host:port`) with Basic authentication and defaults elsewhere.
    pub fn new(base_url: &str, user: &str, password: &str) -> Result<ClientConfig, ODataError> {
        let base_url = Url::parse(base_url).map_err(|e| {
            ODataError::Config(format!(
                "base URL {base_url:?} is not a URL ({e}); write it as https://host:port"
            ))
        })?;
        if !matches!(base_url.scheme(), "http" | "https") || base_url.host().is_none() {
            return Err(ODataError::Config(format!(
                "base URL {base_url} must be http:// or https:// with a host"
            )));
        }
        Ok(ClientConfig {
            base_url,
            profile: ProfileKind::default(),
            service_paths: BTreeMap::new(),
            sap_client: None,
            sap_language: None,
            auth: Auth::Basic {
                user: user.to_owned(),
                password: password.to_owned(),
            },
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            max_response_bytes: 64 * 1024 * 1024,
            max_pages: 10_000,
            outbound: maiconnect_transport::Outbound::default(),
            strict_next_links: false,
        })
    }

    /// The same settings with `sap-client`.
    pub fn with_sap_client(mut self, client: &str) -> ClientConfig {
        self.sap_client = Some(client.to_owned());
        self
    }

    /// The same settings with a bearer token instead of user and password.
    pub fn with_bearer(mut self, token: &str) -> ClientConfig {
        self.auth = Auth::Bearer(token.to_owned());
        self
    }

    /// The same settings with `sap-language`.
    pub fn with_language(mut self, language: &str) -> ClientConfig {
        self.sap_language = Some(language.to_owned());
        self
    }

    /// The same settings with another service profile (the service paths
    /// follow unless set explicitly).
    pub fn with_profile(mut self, profile: ProfileKind) -> ClientConfig {
        self.profile = profile;
        self
    }

    /// The profile's data.
    pub fn profile(&self) -> &'static Profile {
        self.profile.profile()
    }

    /// The service root of `service`, ending in `/`.
    pub fn service_root(&self, service: ServiceId) -> Result<Url, ODataError> {
        let path = self
            .service_paths
            .get(&service)
            .cloned()
            .unwrap_or_else(|| self.profile().service(service).path.to_owned());
        let path = if path.ends_with('/') {
            path
        } else {
            format!("{path}/")
        };
        self.base_url.join(&path).map_err(|e| {
            ODataError::Config(format!(
                "service path {path:?} of {service} is not a URL path ({e})"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_service_roots_and_hides_secrets() {
        let c = ClientConfig::new("http://127.0.0.1:8080", "MAICONNECT", "s3cret").unwrap();
        assert_eq!(
            c.service_root(ServiceId::Tasks).unwrap().as_str(),
            "http://127.0.0.1:8080/sap/opu/odata/NAG/MAI_CRM_TASK_SRV/"
        );
        let mut c = c.with_sap_client("100");
        c.service_paths
            .insert(ServiceId::Tasks, "/custom/TASKS".into());
        assert_eq!(
            c.service_root(ServiceId::Tasks).unwrap().as_str(),
            "http://127.0.0.1:8080/custom/TASKS/"
        );
        let shown = format!("{c:?}");
        assert!(
            !shown.contains("s3cret") && shown.contains("MAICONNECT"),
            "{shown}"
        );
        let std = c.clone().with_profile(ProfileKind::Standard);
        assert_eq!(
            std.service_root(ServiceId::Appointments).unwrap().as_str(),
            "http://127.0.0.1:8080/sap/opu/odata/sap/CRM_APPOINTMENT_SRV/"
        );
        assert_eq!(
            std.service_root(ServiceId::Tasks).unwrap().as_str(),
            "http://127.0.0.1:8080/custom/TASKS/",
            "an explicit path wins over the profile"
        );
        assert!(ClientConfig::new("ftp://x", "u", "p").is_err());
        assert!(
            ClientConfig::new("not a url", "u", "p")
                .unwrap_err()
                .to_string()
                .contains("https://host:port")
        );
    }
}
