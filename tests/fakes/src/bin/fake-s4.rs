//! The fake S/4HANA as a standalone server (for the demo and for humans).
//!
//! `fake-s4 [--port 7301] [--seed N] [--state FILE] [--hub URL] [--hub-user U --hub-password P] [--page-size N] [--demo]`
//!
//! Stops on Ctrl-C / SIGTERM, saving the state file if one is given.
#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;

use maiconnect_fakes::s4::{FakeS4, FakeS4Config, HubDestination, demo};

const USAGE: &str = "usage: fake-s4 [--port 7301] [--seed N] [--state FILE] [--hub URL] [--hub-user USER] [--hub-password PASSWORD] [--page-size N] [--demo]";

fn parse(args: &[String]) -> Result<(FakeS4Config, bool), String> {
    let mut config = FakeS4Config {
        port: 7301,
        ..FakeS4Config::default()
    };
    let mut demo = false;
    let mut hub_user = None;
    let mut hub_password = None;
    let mut hub_url = None;
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
        };
        match flag.as_str() {
            "--port" => {
                config.port = value()?
                    .parse()
                    .map_err(|_| format!("--port must be a number 0..65535\n{USAGE}"))?
            }
            "--seed" => {
                config.seed = Some(
                    value()?
                        .parse()
                        .map_err(|_| format!("--seed must be a number\n{USAGE}"))?,
                )
            }
            "--state" => config.state_file = Some(PathBuf::from(value()?)),
            "--hub" => hub_url = Some(value()?),
            "--hub-user" => hub_user = Some(value()?),
            "--hub-password" => hub_password = Some(value()?),
            "--page-size" => {
                config.page_size = value()?
                    .parse()
                    .map_err(|_| format!("--page-size must be a number\n{USAGE}"))?
            }
            "--demo" => demo = true,
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    config.hub = hub_url.map(|url| HubDestination {
        url,
        user: hub_user,
        password: hub_password,
    });
    Ok((config, demo))
}

#[tokio::main]
async fn main() -> ExitCode {
    // RUST_LOG=debug shows every OData request and event delivery.
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (config, seed_demo) = match parse(&args) {
        Ok(c) => c,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let handle = match FakeS4::start(config).await {
        Ok(h) => h,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    if seed_demo {
        match demo::seed(&handle, handle.now()) {
            Ok(s) => eprintln!(
                "demo world seeded: {} partners, {} appointments, {} tasks",
                s.partners,
                s.appointments.len(),
                s.tasks.len()
            ),
            Err(e) => eprintln!("demo seeding failed: {e}"),
        }
    }
    let (user, password) = handle.credentials();
    println!(
        "fake S/4HANA listening on {} (client {}, user {user} / {password})",
        handle.base_url(),
        handle.client()
    );
    println!("control API: {}/_control/state", handle.base_url());
    let terminate = async {
        #[cfg(unix)]
        {
            if let Ok(mut s) =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            {
                s.recv().await;
                return;
            }
        }
        std::future::pending::<()>().await;
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate => {}
    }
    match handle.shutdown().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_parsed_and_checked() {
        let args: Vec<String> = [
            "--port",
            "0",
            "--seed",
            "7",
            "--hub",
            "http://127.0.0.1:1/e",
            "--hub-user",
            "s4",
            "--demo",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let (c, demo) = parse(&args).unwrap();
        assert_eq!((c.port, c.seed, demo), (0, Some(7), true));
        assert_eq!(c.hub.unwrap().user.as_deref(), Some("s4"));
        assert!(
            parse(&["--port".into()])
                .unwrap_err()
                .contains("needs a value")
        );
        assert!(
            parse(&["--bogus".into()])
                .unwrap_err()
                .contains("unknown argument")
        );
    }
}
