//! Load harness: runs the hub as its own process against the fakes and
//! prints what it measured.
//!
//! ```text
//! cargo build --release --example hub --example load
//! target/release/examples/load burst   [--users 100] [--changes 2000]
//! target/release/examples/load initial [--users 1000] [--items 100] [--latency-ms 20] [--concurrency 27]
//! target/release/examples/load idle    [--users 10000]
//! ```
//!
//! * `burst`: S/4HANA changes (creates and changes of appointments) made as
//!   fast as the fake takes them; the fake posts the events to the hub.
//!   Reports changes per second end to end, backend calls per change, and
//!   the time from each change to its write into the mailbox (p50, p99).
//! * `initial`: N mailboxes with M appointments each in S/4HANA, latency
//!   injected into both fakes, a concurrency limit per environment; the hub
//!   starts and runs the initial sync. Reports the time against the lower
//!   bound calls × latency ÷ concurrency.
//! * `idle`: N configured users, all subscribed, nothing to do; reports the
//!   hub's resident memory.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use clap::{Parser, ValueEnum};
use maiconnect_fakes::exchange::faults::Latency as ExchangeLatency;
use maiconnect_fakes::s4::{Latency as S4Latency, Partner};
use maiconnect_fakes::world::{ADMIN, World, WorldOptions};
use maiconnect_http::HubConfig;
use maiconnect_http::config::HubSection;

#[derive(Parser)]
struct Args {
    /// What to measure.
    scenario: Scenario,
    /// Configured users (mailboxes).
    #[arg(long)]
    users: Option<usize>,
    /// Appointments per mailbox (initial).
    #[arg(long, default_value_t = 100)]
    items: usize,
    /// S/4HANA changes in the burst.
    #[arg(long, default_value_t = 2000)]
    changes: usize,
    /// Latency injected into both fakes, in milliseconds (initial).
    #[arg(long, default_value_t = 20)]
    latency_ms: u64,
    /// Concurrency limit of the Exchange environment.
    #[arg(long, default_value_t = 27)]
    concurrency: u32,
    /// Hub workers.
    #[arg(long, default_value_t = 64)]
    workers: u32,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Scenario {
    Burst,
    Initial,
    Idle,
}

fn mailbox(i: usize) -> String {
    format!("user{i:05}@load.example")
}

fn employee(i: usize) -> String {
    format!("{:010}", 1_000_000 + i)
}

struct Run {
    world: World,
    hub: Child,
    url: String,
    http: reqwest::Client,
    _dir: tempfile::TempDir,
}

impl Drop for Run {
    fn drop(&mut self) {
        let _ = self.hub.kill();
    }
}

impl Run {
    async fn metrics(&self) -> String {
        match self.http.get(format!("{}/metrics", self.url)).send().await {
            Ok(r) => r.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    async fn journal(&self, limit: usize) -> Vec<serde_json::Value> {
        let r = self
            .http
            .get(format!("{}/admin/journal?limit={limit}", self.url))
            .basic_auth(ADMIN.0, Some(ADMIN.1))
            .send()
            .await;
        match r {
            Ok(r) => serde_json::from_str(&r.text().await.unwrap_or_default()).unwrap_or_default(),
            Err(_) => Vec::new(),
        }
    }

    /// CPU seconds used by the hub process and by this process (the fakes).
    fn cpu(&self) -> (f64, f64) {
        let secs = |path: String| -> f64 {
            let stat = std::fs::read_to_string(path).unwrap_or_default();
            let fields: Vec<&str> = stat
                .rsplit(')')
                .next()
                .unwrap_or("")
                .split_whitespace()
                .collect();
            let ticks = |i: usize| {
                fields
                    .get(i)
                    .and_then(|v| v.parse::<f64>().ok())
                    .unwrap_or(0.0)
            };
            (ticks(11) + ticks(12)) / 100.0
        };
        (
            secs(format!("/proc/{}/stat", self.hub.id())),
            secs("/proc/self/stat".into()),
        )
    }

    fn rss(&self) -> (u64, u64) {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", self.hub.id())).unwrap_or_default();
        let kb = |key: &str| -> u64 {
            status
                .lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        };
        (kb("VmRSS:"), kb("VmHWM:"))
    }
}

/// Sums the metric lines that start with `prefix` and contain all `labels`.
fn sum(metrics: &str, prefix: &str, labels: &[&str]) -> f64 {
    metrics
        .lines()
        .filter(|l| l.starts_with(prefix) && labels.iter().all(|x| l.contains(x)))
        .filter_map(|l| l.rsplit(' ').next().and_then(|v| v.parse::<f64>().ok()))
        .sum()
}

fn calls(metrics: &str) -> f64 {
    sum(metrics, "maiconnect_backend_request_seconds_count", &[])
}

/// Fakes seeded with `users` mailboxes and employees, and the hub's
/// configuration file; the hub is not started yet.
struct Prepared {
    world: World,
    url: String,
    config: PathBuf,
    dir: tempfile::TempDir,
}

async fn start(args: &Args, users: usize, latency: u64, events_to_hub: bool) -> Run {
    launch(prepare(args, users, latency, events_to_hub).await).await
}

async fn prepare(args: &Args, users: usize, latency: u64, events_to_hub: bool) -> Prepared {
    let dir = tempfile::tempdir().expect("tempdir");
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        l.local_addr().expect("addr").port()
    };
    let listen = format!("127.0.0.1:{port}");
    let url = format!("http://{listen}");
    let opts = WorldOptions {
        data: dir.path().join("world"),
        sample_items: false,
        s4_activities: false,
        ..WorldOptions::default()
    };
    let world = World::start(&opts, events_to_hub.then_some(url.as_str()))
        .await
        .expect("fakes");
    let mailboxes: Vec<String> = (0..users).map(mailbox).collect();
    for (i, m) in mailboxes.iter().enumerate() {
        world.exchange.add_mailbox(m, None).expect("mailbox");
        world
            .s4
            .upsert_partner(Partner {
                number: employee(i),
                category: "1".into(),
                first_name: "Load".into(),
                last_name: format!("User {i}"),
                email: m.clone(),
                employee: true,
                user_name: format!("LOAD{i}"),
                ..Partner::default()
            })
            .expect("employee");
    }
    let grants: Vec<&str> = mailboxes.iter().map(String::as_str).collect();
    world
        .exchange
        .add_service_user(
            &world.exchange_options.service_user,
            &world.exchange_options.service_password,
            &grants,
        )
        .expect("service user");
    world.exchange.set_concurrency_limit(10_000).expect("limit");
    world
        .exchange
        .set_latency(ExchangeLatency {
            fixed_ms: latency,
            jitter_ms: 0,
        })
        .expect("latency");
    world.s4.set_latency(S4Latency {
        fixed_ms: latency,
        jitter_ms: 0,
    });

    let text = world.config_toml(&listen, &url).expect("config");
    let mut config = HubConfig::from_toml(&text).expect("config parses");
    config.hub = HubSection {
        workers: args.workers,
        keeper_interval_seconds: 2,
        ..config.hub.clone()
    };
    config.policy.contacts.enabled = false;
    config.policy.window.days_forward = 60;
    for env in &mut config.policy.environments {
        env.max_concurrency = args.concurrency;
    }
    let env_name = config.policy.environments[0].name.clone();
    config.policy.users = (0..users)
        .map(|i| maiconnect::core::policy::User {
            employee: employee(i).parse().expect("bp"),
            mailbox: mailbox(i).parse().expect("mailbox"),
            environment: env_name.clone(),
            enabled: true,
            time_zone: None,
        })
        .collect();
    config.validate().expect("config valid");
    let path = dir.path().join("hub.toml");
    std::fs::write(&path, toml::to_string(&config).expect("toml")).expect("write config");
    Prepared {
        world,
        url,
        config: path,
        dir,
    }
}

/// Starts the hub process and waits until it is ready.
async fn launch(p: Prepared) -> Run {
    let hub = spawn_hub(&p.config, p.dir.path());
    let http = reqwest::Client::new();
    let run = Run {
        world: p.world,
        hub,
        url: p.url,
        http,
        _dir: p.dir,
    };
    let ready = Instant::now();
    while run
        .http
        .get(format!("{}/health/ready", run.url))
        .send()
        .await
        .map(|r| !r.status().is_success())
        .unwrap_or(true)
    {
        assert!(
            ready.elapsed() < Duration::from_secs(60),
            "the hub did not become ready"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    run
}

fn spawn_hub(config: &Path, dir: &Path) -> Child {
    let exe = std::env::current_exe().expect("exe");
    let hub: PathBuf = exe.with_file_name("hub");
    assert!(
        hub.exists(),
        "build the hub first: cargo build --release --example hub ({})",
        hub.display()
    );
    let log = std::fs::File::create(dir.join("hub.log")).expect("log");
    Command::new(hub)
        .args(["run", "--config"])
        .arg(config)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("hub starts")
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

async fn wait_for(
    run: &Run,
    what: &str,
    timeout: Duration,
    mut done: impl FnMut(&str) -> bool,
) -> Duration {
    let t0 = Instant::now();
    loop {
        let m = run.metrics().await;
        if done(&m) {
            return t0.elapsed();
        }
        if t0.elapsed() > timeout {
            let log = std::fs::read_to_string(run._dir.path().join("hub.log")).unwrap_or_default();
            panic!(
                "timed out waiting for {what}; hub log tail:\n{}",
                log.lines().rev().take(20).collect::<Vec<_>>().join("\n")
            );
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn created(m: &str) -> f64 {
    sum(
        m,
        "maiconnect_operations_total",
        &["operation=\"create_in_exchange\"", "result=\"ok\""],
    )
}

fn updated(m: &str) -> f64 {
    sum(
        m,
        "maiconnect_operations_total",
        &["operation=\"update_exchange\"", "result=\"ok\""],
    )
}

async fn burst(args: &Args) {
    let users = args.users.unwrap_or(100);
    let run = start(args, users, 0, true).await;
    // Initial syncs of the empty mailboxes first.
    tokio::time::sleep(Duration::from_secs(3)).await;
    wait_for(&run, "the initial syncs", Duration::from_secs(120), |m| {
        sum(m, "maiconnect_inbox_depth", &[]) == 0.0
    })
    .await;
    let day = (chrono::Utc::now() + chrono::Duration::days(2)).date_naive();
    let creates = args.changes / 2;
    let changes = args.changes - creates;
    let before = run.metrics().await;
    let mut made: HashMap<String, Instant> = HashMap::new();
    let t0 = Instant::now();
    let mut guids = Vec::new();
    for i in 0..creates {
        let from = day
            .and_hms_opt(8 + (i % 8) as u32, 0, 0)
            .expect("time")
            .and_utc();
        let props = serde_json::json!({
            "Description": format!("Visit {i}"), "Responsible": employee(i % users), "TransactionType": "ZMAI",
            "FromDate": from.to_rfc3339(), "ToDate": (from + chrono::Duration::minutes(30)).to_rfc3339(), "TimeZone": "Europe/Berlin"
        });
        let g = run.world.s4.create_appointment(props).expect("create");
        made.insert(g.to_string(), Instant::now());
        guids.push(g);
    }
    wait_for(&run, "the creates", Duration::from_secs(300), |m| {
        created(m) - created(&before) >= creates as f64
    })
    .await;
    let mut changed_at: HashMap<String, Instant> = HashMap::new();
    let before_changes = run.metrics().await;
    for i in 0..changes {
        let g = guids[i % guids.len()];
        let _ = run.world.s4.update_activity(
            maiconnect_fakes::s4::ActivityKind::Appointment,
            g,
            serde_json::json!({ "Description": format!("Visit {i} (moved)") }),
        );
        changed_at.insert(g.to_string(), Instant::now());
    }
    wait_for(&run, "the changes", Duration::from_secs(300), |m| {
        updated(m) - updated(&before_changes) >= changes.min(guids.len()) as f64 * 0.99
    })
    .await;
    let elapsed = t0.elapsed();
    let after = run.metrics().await;
    let writes = (created(&after) - created(&before)) + (updated(&after) - updated(&before));
    let backend = calls(&after) - calls(&before);
    // Event to mailbox: from the change in S/4HANA to the journal's write.
    let journal = run.journal(writes as usize + 100).await;
    let now_wall = chrono::Utc::now();
    let now_mono = Instant::now();
    let mut latencies = Vec::new();
    for e in &journal {
        let (Some(s4), Some(at)) = (e["s4"].as_str(), e["at"].as_str()) else {
            continue;
        };
        let Some(guid) = s4.split(':').nth(1) else {
            continue;
        };
        let Ok(at) = chrono::DateTime::parse_from_rfc3339(at) else {
            continue;
        };
        let op = e["operation"].as_str().unwrap_or("");
        let start = match op {
            "create_in_exchange" => made.get(guid),
            "update_exchange" => changed_at.get(guid),
            _ => None,
        };
        let Some(start) = start else { continue };
        let at_mono = now_mono
            - (now_wall - at.with_timezone(&chrono::Utc))
                .to_std()
                .unwrap_or_default();
        if at_mono > *start {
            latencies.push((at_mono - *start).as_secs_f64() * 1000.0);
        }
    }
    latencies.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let (rss, peak) = run.rss();
    println!(
        "burst: {users} mailboxes, {creates} creates + {changes} changes of appointments in S/4HANA, no injected latency"
    );
    println!("  writes into mailboxes        {writes}");
    println!(
        "  elapsed                      {:.2} s",
        elapsed.as_secs_f64()
    );
    println!(
        "  throughput                   {:.0} changes/s end to end",
        writes / elapsed.as_secs_f64()
    );
    println!(
        "  backend calls per change     {:.2} ({backend} calls)",
        backend / writes.max(1.0)
    );
    println!(
        "  event to mailbox latency     p50 {:.0} ms, p99 {:.0} ms ({} samples)",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        latencies.len()
    );
    println!(
        "  hub RSS                      {} MB now, {} MB peak",
        rss / 1024,
        peak / 1024
    );
    let (hub_cpu, fakes_cpu) = run.cpu();
    println!(
        "  CPU                          hub {hub_cpu:.1} s, fakes and harness {fakes_cpu:.1} s"
    );
}

async fn initial(args: &Args) {
    let users = args.users.unwrap_or(1000);
    let items = args.items;
    // S/4HANA is filled before the hub starts; its events have nowhere to
    // go, so the initial sync alone does the work.
    let prepared = prepare(args, users, 0, false).await;
    let day = (chrono::Utc::now() + chrono::Duration::days(1)).date_naive();
    for u in 0..users {
        for i in 0..items {
            let d = day + chrono::Duration::days((i / 8) as i64);
            let from = d
                .and_hms_opt(8 + (i % 8) as u32, 0, 0)
                .expect("time")
                .and_utc();
            let props = serde_json::json!({
                "Description": format!("Visit {u}/{i}"), "Responsible": employee(u), "TransactionType": "ZMAI",
                "FromDate": from.to_rfc3339(), "ToDate": (from + chrono::Duration::minutes(45)).to_rfc3339(), "TimeZone": "Europe/Berlin"
            });
            prepared.world.s4.create_appointment(props).expect("create");
        }
    }
    prepared
        .world
        .exchange
        .set_latency(ExchangeLatency {
            fixed_ms: args.latency_ms,
            jitter_ms: 0,
        })
        .expect("latency");
    prepared.world.s4.set_latency(S4Latency {
        fixed_ms: args.latency_ms,
        jitter_ms: 0,
    });
    let t0 = Instant::now();
    let run = launch(prepared).await;
    let total = (users * items) as f64;
    wait_for(&run, "the initial sync", Duration::from_secs(3600), |m| {
        created(m) >= total
    })
    .await;
    let elapsed = t0.elapsed();
    let m = run.metrics().await;
    let backend = calls(&m);
    let lower = backend * args.latency_ms as f64 / 1000.0 / args.concurrency as f64;
    let (rss, peak) = run.rss();
    println!(
        "initial: {users} mailboxes x {items} appointments, {} ms latency, concurrency {}",
        args.latency_ms, args.concurrency
    );
    println!("  appointments written         {}", created(&m));
    println!(
        "  elapsed                      {:.1} s (from starting the hub)",
        elapsed.as_secs_f64()
    );
    println!(
        "  backend calls                {backend} ({:.2} per appointment)",
        backend / total
    );
    println!("  lower bound                  {lower:.1} s (calls x latency / concurrency)");
    println!(
        "  ratio                        {:.2}x the lower bound",
        elapsed.as_secs_f64() / lower
    );
    println!(
        "  hub RSS                      {} MB now, {} MB peak",
        rss / 1024,
        peak / 1024
    );
    let (hub_cpu, fakes_cpu) = run.cpu();
    println!(
        "  CPU                          hub {hub_cpu:.1} s, fakes and harness {fakes_cpu:.1} s"
    );
}

async fn idle(args: &Args) {
    let users = args.users.unwrap_or(10_000);
    let run = start(args, users, 0, true).await;
    let t0 = Instant::now();
    wait_for(&run, "every subscription", Duration::from_secs(1800), |m| {
        sum(m, "maiconnect_subscriptions", &["state=\"healthy\""]) >= (users * 2) as f64
            && sum(m, "maiconnect_inbox_depth", &[]) == 0.0
    })
    .await;
    let ready = t0.elapsed();
    tokio::time::sleep(Duration::from_secs(10)).await;
    let (rss, peak) = run.rss();
    println!(
        "idle: {users} configured users, {} subscriptions healthy after {:.0} s",
        users * 2,
        ready.as_secs_f64()
    );
    println!(
        "  hub RSS                      {} MB idle, {} MB peak",
        rss / 1024,
        peak / 1024
    );
}

fn main() {
    let args = Args::parse();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        match args.scenario {
            Scenario::Burst => burst(&args).await,
            Scenario::Initial => initial(&args).await,
            Scenario::Idle => idle(&args).await,
        }
    });
}
