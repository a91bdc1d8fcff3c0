//! The standalone maiconnect hub.
//!
//! ```text
//! hub                          start the demo (same as `hub demo`)
//! hub demo [--listen ADDR] [--s4-port N] [--exchange-port N] [--data DIR]
//! hub run --config FILE        run against real systems
//! hub check --config FILE      test S/4HANA services and every mailbox; exit 1 on a problem
//! hub decode ews|odata FILE    show what maiconnect understands of a captured document
//! ```

mod demo;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use maiconnect_http::{Hub, HubConfig, RunningHub};

#[derive(Parser)]
#[command(
    name = "hub",
    about = "maiconnect: keeps SAP S/4HANA and Microsoft Exchange in step"
)]
struct Cli {
    /// Log as JSON lines.
    #[arg(long, global = true)]
    log_json: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the hub with a configuration file.
    Run {
        /// The configuration file (TOML).
        #[arg(long)]
        config: PathBuf,
    },
    /// Start fake S/4HANA and Exchange servers and a hub wired to them.
    Demo(demo::DemoArgs),
    /// Test a configuration: S/4HANA services, CSRF, every mailbox.
    Check {
        /// The configuration file (TOML).
        #[arg(long)]
        config: PathBuf,
    },
    /// Show what maiconnect understands of a captured EWS or OData document.
    Decode {
        /// Which protocol.
        protocol: Protocol,
        /// The file.
        file: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Protocol {
    Ews,
    Odata,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.log_json);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        match cli
            .command
            .unwrap_or(Command::Demo(demo::DemoArgs::default()))
        {
            Command::Run { config } => run(&config).await,
            Command::Demo(args) => demo::run(args).await,
            Command::Check { config } => check(&config).await,
            Command::Decode { protocol, file } => decode(protocol, &file),
        }
    })
}

fn init_logging(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,hyper=warn,reqwest=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

fn read_config(path: &PathBuf) -> Result<HubConfig, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    HubConfig::from_toml(&text).map_err(|e| format!("{}: {e}", path.display()))
}

async fn run(path: &PathBuf) -> ExitCode {
    let config = match read_config(path) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let hub = match Hub::from_config(&config) {
        Ok(h) => h,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let running = match RunningHub::bind(hub, &config.hub.listen).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    shutdown_signal().await;
    tracing::info!("shutting down: finishing work in flight");
    running.shutdown().await;
    ExitCode::SUCCESS
}

/// Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(t) => t,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}

async fn check(path: &PathBuf) -> ExitCode {
    let config = match read_config(path) {
        Ok(c) => c,
        Err(e) => {
            println!("FAILED configuration\n       {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("ok     configuration {}", path.display());
    let hub = match Hub::from_config(&config) {
        Ok(h) => h,
        Err(e) => {
            println!("FAILED {e}");
            return ExitCode::FAILURE;
        }
    };
    let report = maiconnect_http::check::run_check(&hub).await;
    print!("{report}");
    if report.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn decode(protocol: Protocol, path: &PathBuf) -> ExitCode {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cannot read {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    };
    let result = match protocol {
        Protocol::Ews => maiconnect_ews::decode(&bytes).map_err(|e| e.to_string()),
        Protocol::Odata => maiconnect_odata::decode(&bytes).map_err(|e| e.to_string()),
    };
    match result {
        Ok(v) => {
            println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}: {e}", path.display());
            ExitCode::FAILURE
        }
    }
}
