//! The fake Exchange as a standalone server:
//! `fake-exchange --port 7302 [--seed N] [--state FILE]
//! [--minute-ms MS] [--demo]`.
#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::time::Duration;

use maiconnect_fakes::exchange::{FakeExchange, FakeExchangeConfig, demo};

fn usage(why: &str) -> ! {
    eprintln!(
        "fake-exchange: {why}\nusage: fake-exchange [--port N] [--seed N] [--state FILE] [--minute-ms MS] [--demo]"
    );
    std::process::exit(2)
}

#[tokio::main]
async fn main() {
    let mut config = FakeExchangeConfig {
        port: 7302,
        ..FakeExchangeConfig::default()
    };
    let mut seed_demo = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .unwrap_or_else(|| usage(&format!("{name} needs a value")))
        };
        match a.as_str() {
            "--port" => {
                config.port = value("--port")
                    .parse()
                    .unwrap_or_else(|_| usage("--port takes a number"))
            }
            "--seed" => {
                config.seed = Some(
                    value("--seed")
                        .parse()
                        .unwrap_or_else(|_| usage("--seed takes a number")),
                )
            }
            "--state" => config.state_file = Some(PathBuf::from(value("--state"))),
            "--minute-ms" => {
                let ms: u64 = value("--minute-ms")
                    .parse()
                    .unwrap_or_else(|_| usage("--minute-ms takes a number"));
                config.minute = Duration::from_millis(ms);
            }
            "--demo" => seed_demo = true,
            "-h" | "--help" => usage("help"),
            other => usage(&format!("unknown argument {other}")),
        }
    }
    let handle = match FakeExchange::start(config).await {
        Ok(h) => h,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    if seed_demo {
        match demo::seed(&handle, &demo::DemoOptions::default()) {
            Ok(d) => eprintln!(
                "demo world seeded; OAuth app {} (certificate key in the demo output)",
                d.client_id
            ),
            Err(e) => eprintln!("demo seeding failed: {e}"),
        }
    }
    println!(
        "fake Exchange listening on {} (EWS {})",
        handle.base_url(),
        handle.ews_url()
    );
    let _ = tokio::signal::ctrl_c().await;
    if let Err(e) = handle.shutdown().await {
        eprintln!("{e}");
    }
}
