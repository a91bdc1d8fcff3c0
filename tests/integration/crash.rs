//! Crash safety: the hub is killed at random points during a burst of mixed
//! changes on both sides, restarted on the same state file each time, and
//! in the end every change has arrived exactly once on the other side.
//!
//! `MAICONNECT_CRASH_SEED` picks another run (the seed is printed; the
//! default is fixed so that CI repeats the same run);
//! `MAICONNECT_CRASH_EVENTS` changes the size of the burst (default 1,000).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use maiconnect_core::ids::ActivityId;
use maiconnect_fakes::exchange::control::spec::ItemSpec;
use maiconnect_fakes::s4::ActivityKind;
use serde_json::{Value, json};

use crate::harness::{ANNA, BEN, CLARA, Env, Setup, at, iso, meeting, text};

/// The users: mailbox and business partner.
const USERS: [(&str, &str); 3] = [
    (ANNA, "0000004711"),
    (BEN, "0000004712"),
    (CLARA, "0000004713"),
];

/// xorshift64*: small, seedable, good enough to pick operations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Where an object was made; it is changed and deleted there only, so
/// that its final state is known without a conflict rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    S4(ActivityId),
    Outlook,
}

/// One appointment as its maker knows it.
#[derive(Debug, Clone)]
struct Made {
    origin: Origin,
    user: usize,
    outlook_id: Option<String>,
    location: String,
    alive: bool,
}

/// Everything made in the burst, by subject.
#[derive(Default)]
struct Model {
    made: BTreeMap<String, Made>,
    changes: usize,
}

impl Model {
    fn pick(&self, rng: &mut Rng, s4: bool) -> Option<String> {
        let live: Vec<&String> = self
            .made
            .iter()
            .filter(|(_, m)| m.alive && matches!(m.origin, Origin::S4(_)) == s4)
            .map(|(k, _)| k)
            .collect();
        (!live.is_empty()).then(|| live[rng.below(live.len())].clone())
    }
}

/// One person's change, through a fake's control API.
fn change(env: &Env, model: &mut Model, rng: &mut Rng, n: usize) {
    let roll = rng.below(100);
    let user = rng.below(USERS.len());
    let start = at(1 + rng.below(20) as i64, 7 + rng.below(10) as u32);
    model.changes += 1;
    let location = format!("v{}", model.changes);
    let s4 = &env.world.s4;
    match roll {
        0..25 => {
            let name = format!("S{n}");
            let guid = s4
                .create_appointment(json!({
                    "Description": name, "TransactionType": "ZMAI", "Responsible": USERS[user].1,
                    "Location": location, "FromDate": iso(start),
                    "ToDate": iso(start + chrono::Duration::hours(1)), "TimeZone": "Europe/Berlin"
                }))
                .expect("S/4 create");
            let id: ActivityId = guid.to_string().parse().expect("GUID");
            model.made.insert(
                name,
                Made {
                    origin: Origin::S4(id),
                    user,
                    outlook_id: None,
                    location,
                    alive: true,
                },
            );
        }
        25..50 => {
            let Some(name) = model.pick(rng, true) else {
                return;
            };
            let m = model.made.get_mut(&name).expect("made");
            let Origin::S4(id) = m.origin else { return };
            if roll < 45 {
                s4.update_activity(
                    ActivityKind::Appointment,
                    id.uuid(),
                    json!({"Location": location}),
                )
                .expect("S/4 change");
                m.location = location;
            } else {
                s4.delete_activity(ActivityKind::Appointment, id.uuid())
                    .expect("S/4 delete");
                m.alive = false;
            }
        }
        50..75 => {
            let name = format!("O{n}");
            let id = env.outlook_create(
                USERS[user].0,
                "calendar",
                &ItemSpec {
                    location: Some(location.clone()),
                    ..meeting(&name, start)
                },
            );
            model.made.insert(
                name,
                Made {
                    origin: Origin::Outlook,
                    user,
                    outlook_id: Some(id),
                    location,
                    alive: true,
                },
            );
        }
        _ => {
            let Some(name) = model.pick(rng, false) else {
                return;
            };
            let m = model.made.get_mut(&name).expect("made");
            let (mailbox, id) = (USERS[m.user].0, m.outlook_id.clone().expect("id"));
            if roll < 95 {
                env.outlook_update(
                    mailbox,
                    &id,
                    &ItemSpec {
                        location: Some(location.clone()),
                        ..ItemSpec::default()
                    },
                );
                m.location = location;
            } else {
                env.outlook_delete(mailbox, &id);
                m.alive = false;
            }
        }
    }
}

/// Every difference between what the makers expect and what both systems
/// hold: missing, duplicated, stale or left-over copies.
fn differences(env: &Env, model: &Model) -> Vec<String> {
    let mut s4: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for a in env.s4_all(ActivityKind::Appointment) {
        s4.entry(text(&a, "Description").to_owned())
            .or_default()
            .push(a);
    }
    let mut outlook: BTreeMap<String, Vec<(usize, Value)>> = BTreeMap::new();
    for (u, (mailbox, _)) in USERS.iter().enumerate() {
        for i in env.items(mailbox, "calendar") {
            outlook
                .entry(text(&i, "subject").to_owned())
                .or_default()
                .push((u, i));
        }
    }
    let mut out = Vec::new();
    for (name, m) in &model.made {
        let in_s4 = s4.remove(name).unwrap_or_default();
        let in_outlook = outlook.remove(name).unwrap_or_default();
        if !m.alive {
            if !in_s4.is_empty() || !in_outlook.is_empty() {
                out.push(format!(
                    "{name} was deleted but S/4HANA has {} and Outlook {} copies",
                    in_s4.len(),
                    in_outlook.len()
                ));
            }
            continue;
        }
        let locations: Vec<&str> = in_s4.iter().map(|a| text(a, "Location")).collect();
        if locations != [m.location.as_str()] {
            out.push(format!(
                "{name}: S/4HANA holds {locations:?}, expected [{:?}]",
                m.location
            ));
        }
        if let Some(a) = in_s4.first()
            && text(a, "Responsible") != USERS[m.user].1
        {
            out.push(format!(
                "{name}: S/4HANA's responsible is {}",
                text(a, "Responsible")
            ));
        }
        let copies: Vec<(usize, &str)> = in_outlook
            .iter()
            .map(|(u, i)| (*u, text(i, "location")))
            .collect();
        if copies != [(m.user, m.location.as_str())] {
            out.push(format!(
                "{name}: Outlook holds {copies:?} (user, location), expected [({}, {:?})]",
                m.user, m.location
            ));
        }
    }
    for (name, list) in s4 {
        out.push(format!("S/4HANA holds {} unexpected {name:?}", list.len()));
    }
    for (name, list) in outlook {
        out.push(format!("Outlook holds {} unexpected {name:?}", list.len()));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_change_arrives_exactly_once_across_crashes() {
    let seed: u64 = std::env::var("MAICONNECT_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_261_127)
        | 1;
    let events: usize = std::env::var("MAICONNECT_CRASH_EVENTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    println!("crash test: seed {seed}, {events} changes (MAICONNECT_CRASH_SEED={seed} repeats it)");
    let mut rng = Rng(seed);

    // A "minute" of 200 ms: Exchange gives up on a listener that does not
    // answer within about three seconds and drops its subscription, and the
    // hub notices a silent one after two.
    let mut env = Env::with(
        Setup::config(|c| c.policy.contacts.enabled = false)
            .with_minute(Duration::from_millis(200)),
    )
    .await;
    env.quiet().await;

    // Four crashes at random points of the burst; each time the hub stays
    // down for a random while, during which the changes go on.
    let mut crashes: Vec<usize> = (0..4)
        .map(|_| events / 20 + rng.below(events * 9 / 10))
        .collect();
    crashes.sort();
    let mut model = Model::default();
    let started = Instant::now();
    let mut down_until: Option<Instant> = None;
    for n in 0..events {
        if crashes.contains(&n) && env.hub.is_some() {
            env.crash();
            down_until = Some(Instant::now() + Duration::from_millis(200 + rng.below(3000) as u64));
        }
        if down_until.is_some_and(|t| Instant::now() >= t) {
            env.restart().await;
            down_until = None;
        }
        change(&env, &mut model, &mut rng, n);
        // About 200 changes a second: the hub works while they come.
        if n % 4 == 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    if env.hub.is_none() {
        env.restart().await;
    }
    let burst = started.elapsed();

    // Let everything travel, then compare every object on both sides.
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut last = Vec::new();
    while Instant::now() < deadline {
        last = differences(&env, &model);
        if last.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    if !last.is_empty() {
        println!("{}", history(&env, &model, &last).await);
    }
    assert!(
        last.is_empty(),
        "seed {seed}: {} difference(s), e.g. {:#?}; {}",
        last.len(),
        &last[..last.len().min(20)],
        env.diagnosis().await
    );
    env.quiet().await;
    let after = differences(&env, &model);
    assert!(after.is_empty(), "seed {seed}: after settling: {after:#?}");
    let alive = model.made.values().filter(|m| m.alive).count();
    println!(
        "crash test: {events} changes in {burst:?}, {} objects ({alive} alive), settled after {:?}",
        model.made.len(),
        started.elapsed()
    );
}

/// What the hub's journal says about the objects that differ, oldest first.
async fn history(env: &Env, model: &Model, differences: &[String]) -> String {
    let mut out = String::new();
    for (name, m) in &model.made {
        if !differences
            .iter()
            .any(|d| d.starts_with(&format!("{name} ")) || d.starts_with(&format!("{name}:")))
        {
            continue;
        }
        let s4 = match m.origin {
            Origin::S4(id) => Some(format!("BUS2000126:{id}")),
            Origin::Outlook => env
                .s4_all(ActivityKind::Appointment)
                .iter()
                .find(|a| text(a, "Description") == name)
                .map(|a| format!("BUS2000126:{}", text(a, "Guid"))),
        };
        let journal = env
            .admin_get(&format!(
                "/admin/journal?mailbox={}&limit=10000",
                USERS[m.user].0
            ))
            .await;
        out.push_str(&format!("history of {name} ({m:?}, S/4 {s4:?}):\n"));
        for e in journal.as_array().into_iter().flatten().rev() {
            let mine = s4.as_deref().is_some_and(|k| e["s4"] == k)
                || m.outlook_id
                    .as_deref()
                    .is_some_and(|i| e["exchange"].to_string().contains(i));
            if mine {
                out.push_str(&format!(
                    "  {} {} {} {}\n",
                    text(e, "at"),
                    text(e, "operation"),
                    e["fields"],
                    text(e, "reason")
                ));
            }
        }
    }
    out
}
