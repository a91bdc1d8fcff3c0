//! The hub's shared state and how it is built from a configuration.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, RwLock};

use chrono::{DateTime, Utc};
use maiconnect_core::exec::RandomIds;
use maiconnect_core::ids::{EnvironmentName, Mailbox};
use maiconnect_core::policy::{
    ClientAssertion, EnvironmentAuth, OAuthCredential, Policy, ProxyConfig, User,
};
use maiconnect_core::ports::{Crm, MailboxPort};
use maiconnect_core::sync::{PartnerCache, Syncer};
use maiconnect_ews::auth::{AssertionStyle, CertificateKey, ClientSecret, Credentials, OAuth};
use maiconnect_ews::{EwsClient, EwsConfig, EwsMailboxes};
use maiconnect_odata::{ClientConfig, MappingConfig, ODataClient, ODataCrm};
use maiconnect_transport::{CaBundle, Outbound, Proxy, ProxySetting};
use serde::Serialize;
use tokio::sync::{Notify, Semaphore};

use crate::config::{HubConfig, HubSection};
use crate::error::HubError;
use crate::metered::{MeteredCrm, MeteredMailboxes};
use crate::metrics::Metrics;
use crate::secrets::{Secret, resolve, resolve_bytes};
use crate::store::SqliteStore;

/// One Exchange environment as the hub uses it.
pub struct Environment {
    /// The mailbox port (timed).
    pub mailboxes: Arc<dyn MailboxPort>,
    /// At most this many requests at once against the environment.
    pub permits: Arc<Semaphore>,
    /// The EWS client, for the `check` command (absent for test ports).
    pub ews: Option<Arc<EwsMailboxes>>,
}

/// What the admin API shows per user beyond the stored state.
#[derive(Debug, Clone, Default, Serialize)]
pub struct UserStatus {
    /// When a sync of this mailbox last finished.
    pub last_sync: Option<DateTime<Utc>>,
    /// The last error, if the last attempt failed.
    pub last_error: Option<String>,
    /// When the last error happened.
    pub last_error_at: Option<DateTime<Utc>>,
    /// Writes done for this mailbox since the hub started.
    pub writes: u64,
}

/// Everything the hub's tasks share.
pub struct Hub {
    /// The state store.
    pub store: Arc<SqliteStore>,
    /// S/4HANA (timed).
    pub crm: Arc<dyn Crm>,
    /// The Exchange environments by name.
    pub environments: BTreeMap<EnvironmentName, Environment>,
    policy: RwLock<Arc<Policy>>,
    /// The hub's own settings.
    pub settings: HubSection,
    /// Admin API credentials.
    pub admin: Option<(String, Secret)>,
    /// S/4 event URL credentials.
    pub events: Option<(String, Secret)>,
    /// Partners found by e-mail.
    pub partners: PartnerCache,
    /// Metrics.
    pub metrics: Arc<Metrics>,
    /// Woken when work arrives.
    pub wake: Notify,
    /// Woken when users or settings change.
    pub keeper: Notify,
    /// Per-user status.
    pub status: Mutex<HashMap<Mailbox, UserStatus>>,
    pub(crate) ids: RandomIds,
    /// The OData client, for the `check` command (absent for test ports).
    pub odata: Option<Arc<ODataCrm>>,
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hub")
            .field(
                "environments",
                &self.environments.keys().collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// The parts of a hub, for building one around other ports (tests).
pub struct HubParts {
    /// The state store.
    pub store: Arc<SqliteStore>,
    /// S/4HANA.
    pub crm: Arc<dyn Crm>,
    /// Mailbox ports by environment name.
    pub environments: BTreeMap<EnvironmentName, Arc<dyn MailboxPort>>,
    /// The policy.
    pub policy: Policy,
    /// The hub's settings.
    pub settings: HubSection,
    /// Admin API credentials.
    pub admin: Option<(String, Secret)>,
    /// S/4 event URL credentials.
    pub events: Option<(String, Secret)>,
}

impl Hub {
    /// A hub around the given ports.
    pub fn from_parts(parts: HubParts) -> Result<Arc<Hub>, HubError> {
        Hub::build(parts).map(Arc::new)
    }

    fn build(parts: HubParts) -> Result<Hub, HubError> {
        let metrics = Arc::new(Metrics::new());
        let mut environments = BTreeMap::new();
        for (name, port) in parts.environments {
            let limit = parts
                .policy
                .environment(&name)
                .map(|e| e.max_concurrency as usize)
                .unwrap_or(10);
            let mailboxes: Arc<dyn MailboxPort> = Arc::new(MeteredMailboxes {
                inner: port,
                metrics: metrics.clone(),
            });
            environments.insert(
                name,
                Environment {
                    mailboxes,
                    permits: Arc::new(Semaphore::new(limit.max(1))),
                    ews: None,
                },
            );
        }
        let policy = load_policy(&parts.store, parts.policy)?;
        Ok(Hub {
            store: parts.store,
            crm: Arc::new(MeteredCrm {
                inner: parts.crm,
                metrics: metrics.clone(),
            }),
            environments,
            policy: RwLock::new(Arc::new(policy)),
            settings: parts.settings,
            admin: parts.admin,
            events: parts.events,
            partners: PartnerCache::new(),
            metrics,
            wake: Notify::new(),
            keeper: Notify::new(),
            status: Mutex::new(HashMap::new()),
            ids: RandomIds,
            odata: None,
        })
    }

    /// A hub for a configuration: opens the store and builds the OData and
    /// EWS clients (secrets are read now).
    pub fn from_config(config: &HubConfig) -> Result<Arc<Hub>, HubError> {
        let store = Arc::new(SqliteStore::open(&config.hub.state)?);
        let s4_password = resolve("s4.password", &config.s4.password)?;
        let mut odata_config =
            ClientConfig::new(&config.s4.url, &config.s4.user, s4_password.expose())
                .map_err(|e| HubError::Config(format!("s4.url: {e}")))?;
        odata_config.sap_client = config.s4.client.clone();
        odata_config.sap_language = config.s4.language.clone();
        odata_config.timeout = std::time::Duration::from_secs(config.s4.timeout_seconds);
        odata_config.outbound = outbound(
            "s4",
            config.s4.ca_bundle.as_deref(),
            config.s4.proxy.as_ref(),
        )?;
        odata_config.profile = config.s4.profile;
        odata_config.strict_next_links = config.s4.strict_next_links;
        for (name, path) in &config.s4.services {
            let Some(id) = maiconnect_odata::profile::ServiceId::from_name(name) else {
                return Err(HubError::Config(format!(
                    "s4.services.{name}: not a service of either profile; use a name such as CRM_APPOINTMENT_SRV_01 or CRM_TASK"
                )));
            };
            odata_config.service_paths.insert(id, path.clone());
        }
        let client =
            ODataClient::new(odata_config).map_err(|e| HubError::Config(format!("s4: {e}")))?;
        let odata = Arc::new(ODataCrm::new(
            client,
            MappingConfig::from_policy(&config.policy),
        ));

        let mut ports = BTreeMap::new();
        let mut clients = BTreeMap::new();
        for (i, env) in config.policy.environments.iter().enumerate() {
            let key = format!("environments[{i}]");
            let credentials = credentials(&key, &env.auth)?;
            let mut ews = EwsConfig::new(&env.endpoint, credentials);
            ews.outbound = outbound(&key, env.ca_bundle.as_deref(), env.proxy.as_ref())?;
            ews.send_invitations = if config.policy.appointments.send_invitations {
                maiconnect_ews::operations::SendInvitations::SendToAllAndSaveCopy
            } else {
                maiconnect_ews::operations::SendInvitations::SendToNone
            };
            ews.contacts_folder = config.policy.contacts.folder.clone();
            ews.time_zone = config.policy.default_time_zone;
            if let Some(v) = &env.server_version {
                ews.server_version = v
                    .parse()
                    .map_err(|e| HubError::Config(format!("{key}.server_version: {e}")))?;
            }
            let client =
                EwsClient::new(ews).map_err(|e| HubError::Config(format!("{key}: {e}")))?;
            let mailboxes = Arc::new(EwsMailboxes::new(client));
            ports.insert(env.name.clone(), mailboxes.clone() as Arc<dyn MailboxPort>);
            clients.insert(env.name.clone(), mailboxes);
        }
        let admin = login("hub.admin", config.hub.admin.as_ref())?;
        let events = login("hub.events", config.hub.events.as_ref())?;
        let mut hub = Hub::build(HubParts {
            store,
            crm: odata.clone(),
            environments: ports,
            policy: config.policy.clone(),
            settings: config.hub.clone(),
            admin,
            events,
        })?;
        for (name, env) in hub.environments.iter_mut() {
            env.ews = clients.remove(name);
        }
        hub.odata = Some(odata);
        Ok(Arc::new(hub))
    }

    /// The policy in force.
    pub fn policy(&self) -> Arc<Policy> {
        self.policy
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Replaces the policy (validated by the caller) and stores it.
    pub fn set_policy(&self, policy: Policy) -> Result<(), HubError> {
        let json = serde_json::to_string(&policy).map_err(|e| HubError::Config(e.to_string()))?;
        self.store.set_setting(SETTINGS_KEY, &json)?;
        *self.policy.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(policy);
        self.partners.clear();
        self.wake.notify_one();
        Ok(())
    }

    /// A syncer for `user` (whose environment must exist).
    pub fn syncer<'a>(&'a self, user: &'a User, policy: &'a Policy) -> Option<Syncer<'a>> {
        let env = self.environments.get(&user.environment)?;
        Some(self.syncer_in(env, user, policy))
    }

    /// A syncer for `user` in the environment already looked up.
    pub fn syncer_in<'a>(
        &'a self,
        env: &'a Environment,
        user: &'a User,
        policy: &'a Policy,
    ) -> Syncer<'a> {
        Syncer {
            crm: self.crm.as_ref(),
            mailboxes: env.mailboxes.as_ref(),
            store: self.store.as_ref(),
            ids: &self.ids,
            policy,
            user,
            partners: &self.partners,
        }
    }

    /// Records the outcome of work on a mailbox.
    pub fn note(
        &self,
        mailbox: &Mailbox,
        now: DateTime<Utc>,
        writes: usize,
        error: Option<String>,
    ) {
        let mut all = self.status.lock().unwrap_or_else(|p| p.into_inner());
        let s = all.entry(mailbox.clone()).or_default();
        s.writes += writes as u64;
        match error {
            None => {
                s.last_sync = Some(now);
                s.last_error = None;
            }
            Some(e) => {
                s.last_error = Some(e);
                s.last_error_at = Some(now);
            }
        }
    }

    /// The status of a mailbox.
    pub fn user_status(&self, mailbox: &Mailbox) -> UserStatus {
        self.status
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(mailbox)
            .cloned()
            .unwrap_or_default()
    }
}

/// The settings key of the policy changed through the admin API.
pub const SETTINGS_KEY: &str = "policy";

/// The policy stored by the admin API wins over the file's: it is what an
/// administrator set last.
fn load_policy(store: &SqliteStore, from_file: Policy) -> Result<Policy, HubError> {
    match store.setting(SETTINGS_KEY)? {
        None => Ok(from_file),
        Some(json) => {
            let stored: Policy = serde_json::from_str(&json).map_err(|e| {
                HubError::Config(format!(
                    "the stored settings do not parse ({e}); fix or delete them in the state store"
                ))
            })?;
            tracing::info!(
                "using the settings changed through the admin API (stored in the state file)"
            );
            Ok(stored)
        }
    }
}

fn login(
    what: &str,
    l: Option<&crate::config::Login>,
) -> Result<Option<(String, Secret)>, HubError> {
    match l {
        None => Ok(None),
        Some(l) => Ok(Some((
            l.user.clone(),
            resolve(&format!("{what}.password"), &l.password)?,
        ))),
    }
}

fn assertion_style(assertion: ClientAssertion) -> AssertionStyle {
    match assertion {
        ClientAssertion::Ps256 => AssertionStyle::Ps256,
        ClientAssertion::Rs256 => AssertionStyle::Rs256,
    }
}

/// The outbound settings of one connection: its extra CA bundle and its
/// proxy, read now so that a bad file or secret stops the start with the
/// key that names it.
fn outbound(
    key: &str,
    ca_bundle: Option<&std::path::Path>,
    proxy: Option<&ProxyConfig>,
) -> Result<Outbound, HubError> {
    let ca_bundle = ca_bundle
        .map(CaBundle::from_file)
        .transpose()
        .map_err(|e| HubError::Config(format!("{key}.ca_bundle: {e}")))?;
    let proxy = match proxy {
        None => ProxySetting::Environment,
        Some(p) if p.direct => ProxySetting::Direct,
        Some(p) => {
            let url = p.url.as_deref().unwrap_or_default();
            let mut via = Proxy::new(&format!("{key}.proxy.url"), url)
                .map_err(|e| HubError::Config(e.to_string()))?
                .bypassing(&p.no_proxy);
            if let (Some(user), Some(password)) = (&p.user, &p.password) {
                let password = resolve(&format!("{key}.proxy.password"), password)?;
                via = via.with_credentials(user, password.expose());
            }
            ProxySetting::Via(via)
        }
    };
    Ok(Outbound { ca_bundle, proxy })
}

fn credentials(key: &str, auth: &EnvironmentAuth) -> Result<Credentials, HubError> {
    match auth {
        EnvironmentAuth::Impersonation { user, password } => Ok(Credentials::Basic {
            user: user.clone(),
            password: resolve(&format!("{key}.auth.password"), password)?
                .expose()
                .to_owned(),
        }),
        EnvironmentAuth::Oauth {
            tenant,
            client_id,
            credential,
            authority,
            scope,
        } => {
            let secret = match credential {
                OAuthCredential::Secret { secret } => ClientSecret::Secret(
                    resolve(&format!("{key}.auth.credential.secret"), secret)?
                        .expose()
                        .to_owned(),
                ),
                OAuthCredential::Pkcs12 {
                    file,
                    password,
                    assertion,
                } => {
                    let pfx = std::fs::read(file).map_err(|e| HubError::Secret {
                        what: format!("{key}.auth.credential.file"),
                        why: format!("cannot read {}: {e}", file.display()),
                    })?;
                    let password = resolve(&format!("{key}.auth.credential.password"), password)?;
                    let key_pair = CertificateKey::from_pkcs12(&pfx, password.expose())
                        .map_err(|e| HubError::Config(format!("{key}.auth.credential: {e}")))?;
                    ClientSecret::Certificate {
                        key: key_pair,
                        style: assertion_style(*assertion),
                    }
                }
                OAuthCredential::Certificate {
                    certificate_file,
                    private_key,
                    assertion,
                } => {
                    let cert = std::fs::read(certificate_file).map_err(|e| HubError::Secret {
                        what: format!("{key}.auth.credential.certificate_file"),
                        why: format!("cannot read {}: {e}", certificate_file.display()),
                    })?;
                    let pem =
                        resolve_bytes(&format!("{key}.auth.credential.private_key"), private_key)?;
                    let key_pair = CertificateKey::from_pem(&cert, &pem)
                        .map_err(|e| HubError::Config(format!("{key}.auth.credential: {e}")))?;
                    ClientSecret::Certificate {
                        key: key_pair,
                        style: assertion_style(*assertion),
                    }
                }
            };
            let mut oauth = OAuth::new(tenant, client_id, secret);
            if let Some(a) = authority {
                oauth.authority = a.clone();
            }
            if let Some(s) = scope {
                oauth.scope = s.clone();
            }
            Ok(Credentials::OAuth(Box::new(oauth)))
        }
    }
}
