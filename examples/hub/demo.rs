//! `hub demo`: fake S/4HANA and fake Exchange servers, and a hub wired to
//! them, with two Exchange environments (on-premises with a service user,
//! Exchange Online with OAuth and a generated certificate) and a few users
//! and activities seeded.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use maiconnect_fakes::exchange::{FakeExchange, FakeExchangeConfig, demo as exchange_demo};
use maiconnect_fakes::s4::{FakeS4, FakeS4Config, HubDestination, demo as s4_demo};
use maiconnect_http::{Hub, HubConfig, RunningHub};

/// Where the demo listens and keeps its files.
#[derive(Args, Clone)]
pub struct DemoArgs {
    /// The hub's address.
    #[arg(long, default_value = "127.0.0.1:7300")]
    pub listen: String,
    /// The fake S/4HANA's port.
    #[arg(long, default_value_t = 7301)]
    pub s4_port: u16,
    /// The fake Exchange's port.
    #[arg(long, default_value_t = 7302)]
    pub exchange_port: u16,
    /// Where the demo keeps its state and generated secrets.
    #[arg(long, default_value = "maiconnect-demo")]
    pub data: PathBuf,
}

impl Default for DemoArgs {
    fn default() -> Self {
        DemoArgs {
            listen: "127.0.0.1:7300".into(),
            s4_port: 7301,
            exchange_port: 7302,
            data: PathBuf::from("maiconnect-demo"),
        }
    }
}

const ADMIN: (&str, &str) = ("admin", "demo-admin");
const EVENTS: (&str, &str) = ("s4-events", "demo-events");

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

/// Runs the demo until Ctrl-C.
pub async fn run(args: DemoArgs) -> ExitCode {
    match start(args).await {
        Ok(parts) => {
            crate::shutdown_signal().await;
            tracing::info!("shutting down the demo");
            parts.hub.shutdown().await;
            let _ = parts.s4.shutdown().await;
            let _ = parts.exchange.shutdown().await;
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("the demo could not start: {e}");
            ExitCode::FAILURE
        }
    }
}

struct Parts {
    hub: RunningHub,
    s4: maiconnect_fakes::s4::FakeS4Handle,
    exchange: maiconnect_fakes::exchange::FakeExchangeHandle,
}

async fn start(args: DemoArgs) -> Result<Parts, String> {
    std::fs::create_dir_all(&args.data)
        .map_err(|e| format!("cannot create {}: {e}", args.data.display()))?;
    let data = std::fs::canonicalize(&args.data).map_err(|e| e.to_string())?;
    let secrets = data.join("secrets");
    std::fs::create_dir_all(&secrets).map_err(|e| e.to_string())?;
    let public = format!("http://{}", args.listen);

    let exchange_state = data.join("fake-exchange.json");
    let first_start = !exchange_state.exists();
    let exchange = FakeExchange::start(FakeExchangeConfig {
        port: args.exchange_port,
        state_file: Some(exchange_state),
        ..FakeExchangeConfig::default()
    })
    .await
    .map_err(|e| format!("fake Exchange on port {}: {e}", args.exchange_port))?;
    let opts = exchange_demo::DemoOptions {
        sample_items: first_start,
        ..Default::default()
    };
    let world = exchange_demo::seed(&exchange, &opts).map_err(|e| e.to_string())?;

    let s4_config = FakeS4Config::default();
    let s4_user = s4_config
        .users
        .first()
        .cloned()
        .ok_or("the fake S/4HANA has no user")?;
    let s4 = FakeS4::start(FakeS4Config {
        port: args.s4_port,
        state_file: Some(data.join("fake-s4.json")),
        hub: Some(HubDestination {
            url: format!("{public}/s4/events"),
            user: Some(EVENTS.0.into()),
            password: Some(EVENTS.1.into()),
        }),
        ..s4_config
    })
    .await
    .map_err(|e| format!("fake S/4HANA on port {}: {e}", args.s4_port))?;
    s4_demo::seed(&s4, chrono::Utc::now()).map_err(|e| e.to_string())?;

    // The demo writes its configuration like an administrator would: a
    // TOML file with the secrets in files next to it.
    let cert = secrets.join("app-certificate.pem");
    std::fs::write(&cert, &world.certificate_pem).map_err(|e| e.to_string())?;
    let text = config_toml(&Wiring {
        listen: &args.listen,
        public: &public,
        data: &data,
        secrets: &secrets,
        s4_url: &s4.base_url(),
        s4_user: &s4_user.name,
        ews_url: &exchange.ews_url(),
        authority: &exchange.base_url(),
        service_user: &opts.service_user,
        tenant: &world.tenant,
        client_id: &world.client_id,
        certificate: &cert,
    });
    write_secret(&secrets, "admin", ADMIN.1)?;
    write_secret(&secrets, "events", EVENTS.1)?;
    write_secret(&secrets, "s4", &s4_user.password)?;
    write_secret(&secrets, "exchange-service-user", &opts.service_password)?;
    write_secret(&secrets, "app-private-key.pem", &world.private_key_pem)?;
    let path = data.join("maiconnect.toml");
    std::fs::write(&path, &text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let config = HubConfig::from_toml(&text).map_err(|e| e.to_string())?;
    config.validate().map_err(|e| e.to_string())?;
    let hub = Hub::from_config(&config).map_err(|e| e.to_string())?;
    let running = RunningHub::bind(hub, &args.listen)
        .await
        .map_err(|e| e.to_string())?;
    print_welcome(&args, &public, &s4, &exchange);
    Ok(Parts {
        hub: running,
        s4,
        exchange,
    })
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

fn print_welcome(
    args: &DemoArgs,
    public: &str,
    s4: &maiconnect_fakes::s4::FakeS4Handle,
    exchange: &maiconnect_fakes::exchange::FakeExchangeHandle,
) {
    let (admin_user, admin_pw) = ADMIN;
    println!(
        r#"
maiconnect demo is running (Ctrl-C stops it; state is kept in {data}).

  hub            {public}    admin API: {admin_user} / {admin_pw}
  fake S/4HANA   {s4}    OData user MAICONNECT / Welcome1!, sap-client 100
  fake Exchange  {ews}    service user svc-maiconnect@example.com / Demo-Passw0rd!

Users: anna.berg@example.com (BP 4711) and ben.kraus@example.com (BP 4712) on the
on-premises environment, clara.vogel@example.onmicrosoft.com (BP 4713) on Exchange Online (OAuth).

Try:
  curl -s -u {admin_user}:{admin_pw} {public}/admin/users
  curl -s -u {admin_user}:{admin_pw} {public}/admin/users/anna.berg@example.com/status
  curl -s {exchange}/_control/mailboxes/anna.berg@example.com/items      # what Outlook shows
  curl -s -u {admin_user}:{admin_pw} '{public}/admin/journal?limit=10'
  curl -s {public}/metrics | grep maiconnect_

Change an appointment in S/4HANA (the fake posts the event to the hub):
  curl -s {s4}/_control/snapshot | head -c 600

The configuration the demo runs with is {data}/maiconnect.toml.
"#,
        data = args.data.display(),
        s4 = s4.base_url(),
        ews = exchange.ews_url(),
        exchange = exchange.base_url(),
    );
}
