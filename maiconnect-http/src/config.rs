//! The hub's configuration file: the hub itself (`[hub]`), the S/4HANA
//! connection (`[s4]`) and the policy (every other section, see
//! [`maiconnect_core::policy`]).
//!
//! ```toml
//! [hub]
//! listen = "0.0.0.0:7300"
//! public_url = "https://maiconnect.example.com"   # how Exchange reaches the hub
//! state = "/var/lib/maiconnect/state.sqlite"
//! admin = { user = "admin", password = { env = "MAICONNECT_ADMIN_PASSWORD" } }
//! events = { user = "s4-events", password = { env = "MAICONNECT_EVENTS_PASSWORD" } }
//!
//! [s4]
//! url = "https://s4.example.com:44300"
//! user = "MAICONNECT"
//! password = { env = "MAICONNECT_S4_PASSWORD" }
//! client = "100"
//! profile = "extended"        # or "standard": SAP's shipped CRM services, see maiconnect-odata/PROFILE.md
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;

use maiconnect_core::policy::{Policy, SecretRef};
use maiconnect_odata::profile::{ProfileKind, ServiceId};
use serde::{Deserialize, Serialize};

use crate::error::HubError;

/// A user name and where its password is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Login {
    /// User name.
    pub user: String,
    /// Password.
    pub password: SecretRef,
}

/// `[hub]`: the service itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HubSection {
    /// Address and port to listen on.
    pub listen: String,
    /// The URL under which Exchange and S/4HANA reach the hub (callback URLs
    /// are built from it); default `http://<listen>`.
    pub public_url: Option<String>,
    /// The SQLite state file.
    pub state: PathBuf,
    /// Events processed at once (all mailboxes together).
    pub workers: u32,
    /// Attempts before an event becomes a dead letter.
    pub max_attempts: u32,
    /// Status event frequency asked of Exchange, in minutes.
    pub status_frequency_minutes: u32,
    /// How often the subscription keeper looks, in seconds.
    pub keeper_interval_seconds: u64,
    /// How long audit journal entries are kept, in days.
    pub journal_retention_days: u32,
    /// Largest accepted request body, in bytes.
    pub max_body_bytes: usize,
    /// Log as JSON lines instead of text.
    pub log_json: bool,
    /// Credentials of the admin API.
    pub admin: Option<Login>,
    /// Credentials S/4HANA's SM59 destination uses for the event URL.
    pub events: Option<Login>,
    /// The length of a "minute" in milliseconds (testing only: subscriptions'
    /// status frequency is counted in minutes).
    pub minute_ms: u64,
}

impl Default for HubSection {
    fn default() -> Self {
        HubSection {
            listen: "127.0.0.1:7300".into(),
            public_url: None,
            state: PathBuf::from("maiconnect.sqlite"),
            workers: 16,
            max_attempts: 10,
            status_frequency_minutes: 5,
            keeper_interval_seconds: 30,
            journal_retention_days: 90,
            max_body_bytes: 4 * 1024 * 1024,
            log_json: false,
            admin: None,
            events: None,
            minute_ms: 60_000,
        }
    }
}

impl HubSection {
    /// The public base URL without a trailing slash.
    pub fn public_url(&self) -> String {
        match &self.public_url {
            Some(u) => u.trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.listen),
        }
    }
}

/// `[s4]`: the S/4HANA system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct S4Section {
    /// Scheme, host and port of SAP Gateway.
    pub url: String,
    /// The communication user.
    pub user: String,
    /// Its password.
    pub password: SecretRef,
    /// `sap-client`.
    #[serde(default)]
    pub client: Option<String>,
    /// `sap-language`.
    #[serde(default)]
    pub language: Option<String>,
    /// The service profile: `extended` (the `/NAG/` copies with
    /// maiconnect's additions, the default) or `standard` (SAP's shipped
    /// `CRM_APPOINTMENT_SRV`, `CRM_TASK`, `CRM_BUPA_ODATA`). `hub check`
    /// says which the system fits.
    #[serde(default)]
    pub profile: ProfileKind,
    /// Service root paths by service name (of either profile), overriding
    /// the profile's `/sap/opu/odata/<namespace>/<SERVICE>/`.
    #[serde(default)]
    pub services: BTreeMap<String, String>,
    /// Refuse next-page links to another host (by default they are
    /// followed below the configured service root, as a Gateway behind a
    /// reverse proxy writes its internal host name into them).
    #[serde(default)]
    pub strict_next_links: bool,
    /// Time limit of one request, in seconds.
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u64,
    /// A PEM file with the CA certificate(s) that signed SAP Gateway's TLS
    /// certificate, trusted for S/4HANA in addition to the platform's roots.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_bundle: Option<std::path::PathBuf>,
    /// How calls reach SAP Gateway (default: the standard proxy environment
    /// variables decide).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy: Option<maiconnect_core::policy::ProxyConfig>,
}

fn default_timeout() -> u64 {
    60
}

/// The whole configuration file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HubConfig {
    /// The hub.
    #[serde(default)]
    pub hub: HubSection,
    /// S/4HANA.
    pub s4: S4Section,
    /// Everything else: what is synchronised and how.
    #[serde(flatten)]
    pub policy: Policy,
}

impl HubConfig {
    /// Reads and checks a configuration file's text.
    pub fn from_toml(text: &str) -> Result<HubConfig, HubError> {
        let config: HubConfig = toml::from_str(text).map_err(|e| {
            let message = e.message().trim();
            // A value refused inside the flattened policy has no span of
            // its own; the line that holds the quoted value names its key.
            let quoted = message
                .strip_prefix('"')
                .and_then(|rest| rest.find('"').map(|end| &message[..end + 2]));
            let line = quoted
                .and_then(|q| text.lines().position(|l| l.contains(q)))
                .or_else(|| {
                    e.span()
                        .map(|span| text.get(..span.start).unwrap_or(text).matches('\n').count())
                });
            let place = match line {
                Some(n) => {
                    let shown = text.lines().nth(n).unwrap_or("").trim();
                    format!(" (line {}: {shown})", n + 1)
                }
                None => String::new(),
            };
            let fix = if message.contains("is not a time zone") {
                "; an unknown zone is never taken for UTC"
            } else {
                ""
            };
            HubError::Config(format!("{message}{place}{fix}"))
        })?;
        config.validate()?;
        Ok(config)
    }

    /// Checks the hub and S/4 sections, then the policy.
    pub fn validate(&self) -> Result<(), HubError> {
        let mut problems = Vec::new();
        if self.hub.listen.parse::<std::net::SocketAddr>().is_err() {
            problems.push(format!(
                "hub.listen: {:?} is not an address such as 0.0.0.0:7300",
                self.hub.listen
            ));
        }
        if let Some(u) = &self.hub.public_url
            && !(u.starts_with("http://") || u.starts_with("https://"))
        {
            problems.push(format!(
                "hub.public_url: {u:?} must start with http:// or https://"
            ));
        }
        if self.hub.workers == 0 || self.hub.workers > 1024 {
            problems.push("hub.workers: must be 1..=1024".into());
        }
        if self.hub.max_attempts == 0 {
            problems.push("hub.max_attempts: must be at least 1".into());
        }
        if !(1..=1440).contains(&self.hub.status_frequency_minutes) {
            problems.push(
                "hub.status_frequency_minutes: must be 1..=1440 (EWS allows up to a day)".into(),
            );
        }
        if self.hub.admin.is_none() {
            problems.push("hub.admin: missing; the admin API needs its own credentials, e.g. admin = { user = \"admin\", password = { env = \"MAICONNECT_ADMIN_PASSWORD\" } }".into());
        }
        if self.hub.events.is_none() {
            problems.push("hub.events: missing; give the user and password that S/4HANA's SM59 destination sends".into());
        }
        if !(self.s4.url.starts_with("http://") || self.s4.url.starts_with("https://")) {
            problems.push(format!(
                "s4.url: {:?} must start with http:// or https://",
                self.s4.url
            ));
        }
        if self.s4.user.trim().is_empty() {
            problems.push("s4.user: is empty; give the communication user".into());
        }
        if let Some(proxy) = &self.s4.proxy {
            problems.extend(proxy.problems("s4.proxy").iter().map(ToString::to_string));
        }
        for name in self.s4.services.keys() {
            if ServiceId::from_name(name).is_none() {
                problems.push(format!(
                    "s4.services.{name}: not a service of either profile; use a name such as CRM_APPOINTMENT_SRV_01 or CRM_TASK"
                ));
            }
        }
        if let Err(e) = self.policy.validate() {
            problems.extend(e.problems.iter().map(ToString::to_string));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(HubError::Config(format!(
                "{} problem(s):\n  - {}",
                problems.len(),
                problems.join("\n  - ")
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
        [hub]
        admin = { user = "admin", password = { env = "ADMIN_PW" } }
        events = { user = "s4", password = { env = "EVENTS_PW" } }

        [s4]
        url = "https://s4.example.com"
        user = "MAICONNECT"
        password = { env = "S4_PW" }

        [[appointments.transaction_types]]
        transaction_type = "ZMAI"
        text_type = "A002"

        [[environments]]
        name = "de"
        endpoint = "https://mail.example.de/EWS/Exchange.asmx"
        auth = { kind = "impersonation", user = "svc@example.de", password = { env = "DE_PW" } }

        [[users]]
        employee = "4711"
        mailbox = "anna.berg@example.de"
        environment = "de"
    "#;

    #[test]
    fn a_minimal_file_reads_with_defaults() {
        let c = HubConfig::from_toml(MINIMAL).unwrap();
        assert_eq!(c.hub.listen, "127.0.0.1:7300");
        assert_eq!(c.hub.public_url(), "http://127.0.0.1:7300");
        assert_eq!(c.policy.users.len(), 1);
        assert_eq!(
            c.policy.appointments.transaction_types[0]
                .text_type
                .as_str(),
            "A002"
        );
    }

    #[test]
    fn the_profile_and_strict_next_links_are_read() {
        let c = HubConfig::from_toml(MINIMAL).unwrap();
        assert_eq!(c.s4.profile, ProfileKind::Extended);
        assert!(!c.s4.strict_next_links);
        let text = MINIMAL.replace(
            "password = { env = \"S4_PW\" }",
            "password = { env = \"S4_PW\" }\nprofile = \"standard\"\nstrict_next_links = true\nservices = { CRM_TASK = \"/sap/opu/odata/sap/CRM_TASK_V2/\" }",
        );
        let c = HubConfig::from_toml(&text).unwrap();
        assert_eq!(c.s4.profile, ProfileKind::Standard);
        assert!(c.s4.strict_next_links);
        let e = HubConfig::from_toml(&MINIMAL.replace(
            "password = { env = \"S4_PW\" }",
            "password = { env = \"S4_PW\" }\nprofile = \"copy\"",
        ))
        .unwrap_err();
        assert!(e.to_string().contains("copy"), "{e}");
        let e = HubConfig::from_toml(&MINIMAL.replace(
            "password = { env = \"S4_PW\" }",
            "password = { env = \"S4_PW\" }\nservices = { NOPE = \"/x/\" }",
        ))
        .unwrap_err();
        assert!(e.to_string().contains("s4.services.NOPE"), "{e}");
    }

    #[test]
    fn unknown_keys_anywhere_are_refused() {
        let e = HubConfig::from_toml(&MINIMAL.replace("[hub]", "[hub]\nlisten_on = \"x\""))
            .unwrap_err();
        assert!(e.to_string().contains("listen_on"), "{e}");
        let e = HubConfig::from_toml(&format!("{MINIMAL}\n[window]\ndays_fwd = 3\n")).unwrap_err();
        assert!(e.to_string().contains("days_fwd"), "{e}");
    }

    #[test]
    fn an_unknown_time_zone_is_refused_with_its_key_and_the_fix() {
        // Issue #23: never taken for UTC.
        for (text, key) in [
            (
                MINIMAL.replace(
                    "[hub]",
                    "default_time_zone = \"Europe/Kiyv\"\n\n        [hub]",
                ),
                "default_time_zone",
            ),
            (
                format!("{MINIMAL}        time_zone = \"India Time\"\n"),
                "time_zone",
            ),
        ] {
            let e = HubConfig::from_toml(&text).unwrap_err().to_string();
            assert!(e.contains(key) && e.contains("is not a time zone"), "{e}");
            assert!(
                e.contains("Europe/Berlin") && e.contains("never taken for UTC"),
                "{e}"
            );
        }
        let text = format!("{MINIMAL}        time_zone = \"Asia/Kolkata\"\n");
        assert!(HubConfig::from_toml(&text).is_ok());
    }

    #[test]
    fn problems_in_every_section_are_reported_together() {
        let text = MINIMAL
            .replace(
                "url = \"https://s4.example.com\"",
                "url = \"s4.example.com\"",
            )
            .replace("environment = \"de\"", "environment = \"fr\"")
            .replace(
                "admin = { user = \"admin\", password = { env = \"ADMIN_PW\" } }",
                "",
            );
        let e = HubConfig::from_toml(&text).unwrap_err().to_string();
        assert!(
            e.contains("s4.url") && e.contains("users[0].environment") && e.contains("hub.admin"),
            "{e}"
        );
    }
}
