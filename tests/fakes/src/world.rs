//! Both fakes started and seeded with the demo world, and the hub
//! configuration (TOML, secrets in files) that points at them: what the
//! hub's demo and the integration tests start from.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::exchange::{
    FakeExchange, FakeExchangeConfig, FakeExchangeHandle, demo as exchange_demo,
};
use crate::s4::{FakeS4, FakeS4Config, FakeS4Handle, HubDestination, Quirks, demo as s4_demo};

/// The admin API's credentials in the demo world.
pub const ADMIN: (&str, &str) = ("admin", "demo-admin");
/// The credentials S/4HANA's events come with.
pub const EVENTS: (&str, &str) = ("s4-events", "demo-events");

/// How to start the fakes.
#[derive(Debug, Clone)]
pub struct WorldOptions {
    /// Port of the fake S/4HANA (0: any free one).
    pub s4_port: u16,
    /// Port of the fake Exchange (0: any free one).
    pub exchange_port: u16,
    /// Where state files and secrets go.
    pub data: PathBuf,
    /// Keep the fakes' state in files there (the demo does; tests need not).
    pub persist: bool,
    /// Length of a "minute" in the fake Exchange (status events, retries).
    pub minute: Duration,
    /// Seed sample Outlook items.
    pub sample_items: bool,
    /// Seed the S/4HANA demo appointments and tasks (partners are always seeded).
    pub s4_activities: bool,
    /// How the fake S/4HANA departs from its kindest behaviour.
    pub s4_quirks: Quirks,
}

impl Default for WorldOptions {
    fn default() -> Self {
        WorldOptions {
            s4_port: 0,
            exchange_port: 0,
            data: PathBuf::from("maiconnect-demo"),
            persist: false,
            minute: Duration::from_secs(60),
            sample_items: true,
            s4_activities: true,
            s4_quirks: Quirks::default(),
        }
    }
}

/// The running fakes.
pub struct World {
    /// The fake S/4HANA.
    pub s4: FakeS4Handle,
    /// The fake Exchange.
    pub exchange: FakeExchangeHandle,
    /// The Exchange side of the demo world (OAuth app, certificate).
    pub exchange_world: exchange_demo::DemoWorld,
    /// The Exchange demo options (service user, mailboxes).
    pub exchange_options: exchange_demo::DemoOptions,
    /// The data directory (absolute).
    pub data: PathBuf,
}

impl World {
    /// Starts and seeds both fakes. S/4HANA's events go to `hub_url`
    /// (`http://host:port`) once given.
    pub async fn start(opts: &WorldOptions, hub_url: Option<&str>) -> Result<World, String> {
        std::fs::create_dir_all(&opts.data)
            .map_err(|e| format!("cannot create {}: {e}", opts.data.display()))?;
        let data = std::fs::canonicalize(&opts.data).map_err(|e| e.to_string())?;
        let exchange_state = data.join("fake-exchange.json");
        let first_start = !exchange_state.exists();
        let exchange = FakeExchange::start(FakeExchangeConfig {
            port: opts.exchange_port,
            state_file: opts.persist.then_some(exchange_state),
            minute: opts.minute,
            ..FakeExchangeConfig::default()
        })
        .await
        .map_err(|e| format!("fake Exchange on port {}: {e}", opts.exchange_port))?;
        let exchange_options = exchange_demo::DemoOptions {
            sample_items: opts.sample_items && first_start,
            ..Default::default()
        };
        let exchange_world =
            exchange_demo::seed(&exchange, &exchange_options).map_err(|e| e.to_string())?;
        let s4 = FakeS4::start(FakeS4Config {
            port: opts.s4_port,
            state_file: opts.persist.then(|| data.join("fake-s4.json")),
            hub: hub_url.map(|u| HubDestination {
                url: format!("{u}/s4/events"),
                user: Some(EVENTS.0.into()),
                password: Some(EVENTS.1.into()),
            }),
            quirks: opts.s4_quirks.clone(),
            ..FakeS4Config::default()
        })
        .await
        .map_err(|e| format!("fake S/4HANA on port {}: {e}", opts.s4_port))?;
        if opts.s4_activities {
            s4_demo::seed(&s4, chrono::Utc::now()).map_err(|e| e.to_string())?;
        } else {
            s4_demo::seed_partners(&s4).map_err(|e| e.to_string())?;
        }
        Ok(World {
            s4,
            exchange,
            exchange_world,
            exchange_options,
            data,
        })
    }

    /// Writes the secrets and returns the hub configuration (TOML) for a hub
    /// listening on `listen`, reachable at `public`.
    pub fn config_toml(&self, listen: &str, public: &str) -> Result<String, String> {
        let secrets = self.data.join("secrets");
        std::fs::create_dir_all(&secrets).map_err(|e| e.to_string())?;
        let cert = secrets.join("app-certificate.pem");
        std::fs::write(&cert, &self.exchange_world.certificate_pem).map_err(|e| e.to_string())?;
        let s4_user = FakeS4Config::default()
            .users
            .first()
            .cloned()
            .ok_or("the fake S/4HANA has no user")?;
        write_secret(&secrets, "admin", ADMIN.1)?;
        write_secret(&secrets, "events", EVENTS.1)?;
        write_secret(&secrets, "s4", &s4_user.password)?;
        write_secret(
            &secrets,
            "exchange-service-user",
            &self.exchange_options.service_password,
        )?;
        write_secret(
            &secrets,
            "app-private-key.pem",
            &self.exchange_world.private_key_pem,
        )?;
        Ok(config_toml(&Wiring {
            listen,
            public,
            data: &self.data,
            secrets: &secrets,
            s4_url: &self.s4.base_url(),
            s4_user: &s4_user.name,
            ews_url: &self.exchange.ews_url(),
            authority: &self.exchange.base_url(),
            service_user: &self.exchange_options.service_user,
            tenant: &self.exchange_world.tenant,
            client_id: &self.exchange_world.client_id,
            certificate: &cert,
        }))
    }
}

fn write_secret(dir: &Path, name: &str, value: &str) -> Result<(), String> {
    let path = dir.join(name);
    std::fs::write(&path, value).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600));
    }
    Ok(())
}

/// What the demo's configuration points at.
struct Wiring<'a> {
    listen: &'a str,
    public: &'a str,
    data: &'a Path,
    secrets: &'a Path,
    s4_url: &'a str,
    s4_user: &'a str,
    ews_url: &'a str,
    authority: &'a str,
    service_user: &'a str,
    tenant: &'a str,
    client_id: &'a str,
    certificate: &'a Path,
}

fn config_toml(w: &Wiring<'_>) -> String {
    let secret = |name: &str| {
        format!(
            "{{ file = {:?} }}",
            w.secrets.join(name).display().to_string()
        )
    };
    format!(
        r#"# maiconnect demo configuration (written by `hub demo`).
default_time_zone = "Europe/Berlin"

[hub]
listen = "{listen}"
public_url = "{public}"
state = {state:?}
keeper_interval_seconds = 5
admin = {{ user = "{admin}", password = {admin_pw} }}
events = {{ user = "{events}", password = {events_pw} }}

[s4]
url = "{s4_url}"
user = "{s4_user}"
password = {s4_pw}
client = "100"
language = "EN"

[[appointments.transaction_types]]
transaction_type = "ZMAI"
text_type = "A002"

[appointments.outlook_to_s4]
enabled = true
filter = "all"
default_transaction_type = "ZMAI"

[appointments.attachments]
enabled = true

[[tasks.transaction_types]]
transaction_type = "ZTSK"
text_type = "A002"

[tasks.outlook_to_s4]
enabled = true
default_transaction_type = "ZTSK"

[contacts]
enabled = true

[[environments]]
name = "onprem"
endpoint = "{ews_url}"
auth = {{ kind = "impersonation", user = "{service_user}", password = {service_pw} }}

[[environments]]
name = "online"
endpoint = "{ews_url}"
auth = {{ kind = "oauth", tenant = "{tenant}", client_id = "{client_id}", authority = "{authority}", credential = {{ kind = "certificate", certificate_file = {cert:?}, private_key = {key} }} }}

[[users]]
employee = "4711"
mailbox = "anna.berg@example.com"
environment = "onprem"

[[users]]
employee = "4712"
mailbox = "ben.kraus@example.com"
environment = "onprem"

[[users]]
employee = "4713"
mailbox = "clara.vogel@example.onmicrosoft.com"
environment = "online"
"#,
        listen = w.listen,
        public = w.public,
        state = w.data.join("hub.sqlite").display().to_string(),
        admin = ADMIN.0,
        admin_pw = secret("admin"),
        events = EVENTS.0,
        events_pw = secret("events"),
        s4_url = w.s4_url,
        s4_user = w.s4_user,
        s4_pw = secret("s4"),
        ews_url = w.ews_url,
        service_user = w.service_user,
        service_pw = secret("exchange-service-user"),
        tenant = w.tenant,
        client_id = w.client_id,
        authority = w.authority,
        cert = w.certificate.display().to_string(),
        key = secret("app-private-key.pem"),
    )
}
