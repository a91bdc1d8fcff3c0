//! Exchange environments: where a mailbox lives and how the hub signs in.
//!
//! Secrets are never written into the configuration: each names the
//! environment variable or the file that holds it.

use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::ids::EnvironmentName;

/// One Exchange environment (for example one per country).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Environment {
    /// The name users refer to.
    pub name: EnvironmentName,
    /// The EWS endpoint, such as `https://outlook.office365.com/EWS/Exchange.asmx`.
    pub endpoint: String,
    /// How the hub signs in.
    pub auth: EnvironmentAuth,
    /// Most requests in flight against this environment at once.
    #[serde(default = "default_concurrency")]
    pub max_concurrency: u32,
    /// The `RequestServerVersion` to send (default `Exchange2013_SP1`).
    #[serde(default)]
    pub server_version: Option<String>,
    /// A PEM file with the CA certificate(s) that signed the server's TLS
    /// certificate, trusted for this environment in addition to the
    /// platform's roots (on-premises Exchange usually presents an internal
    /// CA's certificate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_bundle: Option<PathBuf>,
    /// How calls reach Exchange (default: the standard proxy environment
    /// variables decide).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy: Option<ProxyConfig>,
}

/// An outbound proxy setting: either `{ url = "http://proxy:3128", user =
/// "…", password = { env = "…" }, no_proxy = ["host", ".domain"] }` or `{
/// direct = true }` to ignore `HTTPS_PROXY` and friends. Without it, the
/// standard environment variables decide.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProxyConfig {
    /// The proxy, `http://host:port` or `https://host:port`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Its user, for Basic proxy authentication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// That user's password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<SecretRef>,
    /// Hosts reached directly (names, `.domain` suffixes, IP addresses,
    /// CIDR ranges).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub no_proxy: Vec<String>,
    /// Ignore the environment's proxy and connect directly.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub direct: bool,
}

fn default_concurrency() -> u32 {
    10
}

/// How the hub signs in to an environment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum EnvironmentAuth {
    /// Exchange Online: OAuth 2.0 client credentials (app-only token) with
    /// the `full_access_as_app` permission.
    Oauth {
        /// The Entra ID tenant (id or domain).
        tenant: String,
        /// The application (client) id.
        client_id: String,
        /// The credential.
        credential: OAuthCredential,
        /// The authority (default `https://login.microsoftonline.com`).
        #[serde(default)]
        authority: Option<String>,
        /// The scope (default `https://outlook.office365.com/.default`).
        #[serde(default)]
        scope: Option<String>,
    },
    /// Exchange on-premises: a service user with the ApplicationImpersonation
    /// role, signing in with Basic authentication.
    Impersonation {
        /// The service user (UPN or DOMAIN\user).
        user: String,
        /// Its password.
        password: SecretRef,
    },
}

impl EnvironmentAuth {
    /// A short name of the kind, for reports.
    pub fn kind_name(&self) -> &'static str {
        match self {
            EnvironmentAuth::Oauth { .. } => "oauth",
            EnvironmentAuth::Impersonation { .. } => "impersonation",
        }
    }
}

/// The credential of an OAuth client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum OAuthCredential {
    /// A client secret.
    Secret {
        /// Where the secret is.
        secret: SecretRef,
    },
    /// A certificate: the hub signs a client assertion with its private key.
    Certificate {
        /// PEM file with the certificate registered in the app registration.
        certificate_file: PathBuf,
        /// PEM file with the private key, or where to find it.
        private_key: SecretRef,
        /// How the assertion is signed (default `ps256`).
        #[serde(default)]
        assertion: ClientAssertion,
    },
    /// A certificate and its key in one PKCS #12 file (`.pfx`), as Windows
    /// (`Export-PfxCertificate`) and the Azure portal export them.
    Pkcs12 {
        /// The `.pfx` file.
        file: PathBuf,
        /// Its password.
        password: SecretRef,
        /// How the assertion is signed (default `ps256`).
        #[serde(default)]
        assertion: ClientAssertion,
    },
}

/// How a certificate client assertion is signed, as Microsoft documents it
/// (<https://learn.microsoft.com/en-us/entra/identity-platform/certificate-credentials>).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientAssertion {
    /// `alg: PS256` naming the certificate by `x5t#S256` (the current form).
    #[default]
    Ps256,
    /// `alg: RS256` naming it by `x5t` (SHA-1; the older form).
    Rs256,
}

/// Where a secret is: an environment variable or a file. Exactly one is set.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretRef {
    /// The environment variable that holds it.
    #[serde(default)]
    pub env: Option<String>,
    /// The file that holds it.
    #[serde(default)]
    pub file: Option<PathBuf>,
}

impl SecretRef {
    /// A secret in an environment variable.
    pub fn env(name: &str) -> SecretRef {
        SecretRef {
            env: Some(name.to_owned()),
            file: None,
        }
    }
    /// A secret in a file.
    pub fn file(path: impl Into<PathBuf>) -> SecretRef {
        SecretRef {
            env: None,
            file: Some(path.into()),
        }
    }
}

/// Never prints the secret (there is none inside), only where it lives.
impl fmt::Debug for SecretRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.env, &self.file) {
            (Some(e), _) => write!(f, "SecretRef(env {e})"),
            (None, Some(p)) => write!(f, "SecretRef(file {})", p.display()),
            (None, None) => f.write_str("SecretRef(unset)"),
        }
    }
}
