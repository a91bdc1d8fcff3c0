//! Planning throughput over 100,000 item pairs with a realistic mix:
//! 30% changed in S/4HANA, 20% changed in Outlook, 20% our own writes
//! coming back (echo), 10% unchanged, 10% new in S/4HANA, 10% new in
//! Outlook.
//!
//! `cargo bench -p maiconnect-core --bench planner`: `planner` is wall
//! time, `planner_cpu_time` the benchmark thread's CPU time.

use std::hint::black_box;

use chrono::{Duration, TimeZone, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use maiconnect_core::ids::{ActivityId, Version};
use maiconnect_core::model::*;
use maiconnect_core::plan::{Context, Link, MailboxItem, Pair, S4Item, Side, plan_pair};
use maiconnect_core::policy::{OutlookToS4, Policy, TransactionTypeRule, User};
use maiconnect_core::testing::samples::{appointment_a, attendee, bp};

#[path = "support/cpu_time.rs"]
mod cpu_time;
use cpu_time::ThreadCpuTime;

const PAIRS: usize = 100_000;

fn policy() -> Policy {
    let mut p = Policy::default();
    p.appointments.transaction_types = vec![TransactionTypeRule {
        transaction_type: "ZMAI".parse().unwrap(),
        text_type: "A002".parse().unwrap(),
    }];
    p.appointments.outlook_to_s4 = OutlookToS4 {
        enabled: true,
        default_transaction_type: Some("ZMAI".parse().unwrap()),
        ..Default::default()
    };
    p.appointments.attachments.enabled = true;
    p
}

fn user() -> User {
    User {
        employee: bp("4711"),
        mailbox: "anna.berg@example.com".parse().unwrap(),
        environment: "de".parse().unwrap(),
        enabled: true,
        time_zone: None,
    }
}

fn v(s: String) -> Version {
    s.parse().unwrap()
}

fn pairs() -> Vec<Pair> {
    let base = Utc.with_ymd_and_hms(2026, 11, 20, 8, 0, 0).unwrap();
    (0..PAIRS)
        .map(|i| {
            let mut a = appointment_a();
            a.subject = format!("Customer visit {i}");
            let start = base + Duration::minutes(30 * (i % 2000) as i64);
            a.when = When::timed(
                start,
                start + Duration::hours(1),
                "Europe/Berlin".parse().unwrap(),
            );
            a.attendees
                .push(attendee("piet.jansen@customer.example", Some("101")));
            let key =
                S4Key::Appointment(ActivityId::from_uuid(uuid::Uuid::from_u128(i as u128 + 1)));
            let s4 = S4Item {
                key: key.clone(),
                version: v(format!("W/\"{i}\"")),
                record: Record::Appointment(a.clone()),
                changed_at: None,
            };
            let mut e = a.clone();
            e.transaction_type = None;
            e.owner = None;
            let ex = MailboxItem {
                key: ExchangeKey::item(format!("AAMkAGI2TG93AAA{i:08}").parse().unwrap()),
                version: v(format!("DwAAABYAAAA{i:06}")),
                record: Record::Appointment(e),
                changed_at: None,
                link_key: Some(key.clone()),
            };
            let link = Link {
                mailbox: user().mailbox,
                s4: key,
                exchange: ex.key.clone(),
                s4_version: s4.version.clone(),
                exchange_version: ex.version.clone(),
                s4_seen: s4.record.clone(),
                exchange_seen: ex.record.clone(),
                origin: Side::S4,
            };
            let (mut s4, mut ex) = (s4, ex);
            match i % 10 {
                0..=2 => {
                    s4.version = v(format!("W/\"{i}b\""));
                    if let Record::Appointment(a) = &mut s4.record {
                        a.location = "Room 4".into();
                    }
                    Pair {
                        s4: Some(s4),
                        exchange: Some(ex),
                        link: Some(link),
                    }
                }
                3 | 4 => {
                    ex.version = v(format!("DwAAABYAAAB{i:06}"));
                    if let Record::Appointment(a) = &mut ex.record {
                        a.subject.push_str(" (moved)");
                    }
                    Pair {
                        s4: Some(s4),
                        exchange: Some(ex),
                        link: Some(link),
                    }
                }
                5 | 6 => {
                    ex.version = v(format!("DwAAABYAAAC{i:06}"));
                    Pair {
                        s4: Some(s4),
                        exchange: Some(ex),
                        link: Some(link),
                    }
                }
                7 => Pair {
                    s4: Some(s4),
                    exchange: Some(ex),
                    link: Some(link),
                },
                8 => Pair {
                    s4: Some(s4),
                    exchange: None,
                    link: None,
                },
                _ => {
                    ex.link_key = None;
                    Pair {
                        s4: None,
                        exchange: Some(ex),
                        link: None,
                    }
                }
            }
        })
        .collect()
}

fn context_parts() -> (Policy, User) {
    (policy(), user())
}

fn plan_all(input: &[Pair], ctx: &Context<'_>) -> usize {
    let mut ops = 0usize;
    for p in input {
        let plan = plan_pair(black_box(p), ctx);
        ops += plan.ops.len();
        black_box(&plan);
    }
    ops
}

fn run<M: criterion::measurement::Measurement>(c: &mut Criterion<M>, group: &str) {
    let (policy, user) = context_parts();
    let now = Utc.with_ymd_and_hms(2026, 11, 27, 8, 0, 0).unwrap();
    let ctx = Context::new(&policy, &user, now);
    let input = pairs();
    let mut g = c.benchmark_group(group);
    g.throughput(Throughput::Elements(PAIRS as u64));
    g.sample_size(10);
    g.bench_function("plan_100k_pairs", |b| b.iter(|| plan_all(&input, &ctx)));
    g.finish();
}

/// Wall-clock time.
fn bench(c: &mut Criterion) {
    run(c, "planner");
}

/// The benchmark thread's CPU time, which time spent waiting for a core
/// on a shared machine does not inflate.
fn bench_cpu(c: &mut Criterion<ThreadCpuTime>) {
    run(c, "planner_cpu_time");
}

criterion_group!(benches, bench);
criterion_group! {
    name = cpu;
    config = Criterion::default().with_measurement(ThreadCpuTime);
    targets = bench_cpu
}
criterion_main!(benches, cpu);
