//! `hub demo`: fake S/4HANA and fake Exchange servers, and a hub wired to
//! them, with two Exchange environments (on-premises with a service user,
//! Exchange Online with OAuth and a generated certificate) and a few users
//! and activities seeded.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use maiconnect_fakes::world::{ADMIN, World, WorldOptions};
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
    let public = format!("http://{}", args.listen);
    let opts = WorldOptions {
        s4_port: args.s4_port,
        exchange_port: args.exchange_port,
        data: args.data.clone(),
        persist: true,
        ..WorldOptions::default()
    };
    let world = World::start(&opts, Some(&public)).await?;
    // The demo writes its configuration like an administrator would: a
    // TOML file with the secrets in files next to it.
    let text = world.config_toml(&args.listen, &public)?;
    let path = world.data.join("maiconnect.toml");
    std::fs::write(&path, &text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let config = HubConfig::from_toml(&text).map_err(|e| e.to_string())?;
    let hub = Hub::from_config(&config).map_err(|e| e.to_string())?;
    let running = RunningHub::bind(hub, &args.listen)
        .await
        .map_err(|e| e.to_string())?;
    print_welcome(&args, &public, &world.s4, &world.exchange);
    Ok(Parts {
        hub: running,
        s4: world.s4,
        exchange: world.exchange,
    })
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
  curl -s {s4}/_control/activities/appointments
  curl -s -X PATCH {s4}/_control/activities/appointments/<GUID> -H 'content-type: application/json' -d '{{"Description":"Moved"}}'

The configuration the demo runs with is {data}/maiconnect.toml.
"#,
        data = args.data.display(),
        s4 = s4.base_url(),
        ews = exchange.ews_url(),
        exchange = exchange.base_url(),
    );
}
