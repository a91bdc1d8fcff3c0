//! Decoding the standard 10,000-appointment OData collection into the core
//! model: `Appointment` records with attendees, versions and keys.
//!
//! The collection is generated here (`support/odata_doc.rs`, seeded, the
//! same shape and size as the document the Python peers were first
//! measured on) and left in `target/bench-input/odata-10000.json`.
//!
//! Run: `cargo bench -p maiconnect-odata --bench decode`. The peer figures
//! (Python `json`, pyodata) come from `tools/peers/bench_odata_py.py` on
//! the same file, in the same sitting: see `tools/peers/README.md`.

#![forbid(unsafe_code)]

use std::sync::OnceLock;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use maiconnect_core::model::Record;
use maiconnect_core::plan::state::S4Item;
use maiconnect_odata::mapping::MappingConfig;
use maiconnect_odata::mapping::appointment::{self, AppointmentWire};
use maiconnect_odata::wire::json::{parse_page, parse_page_map};

#[path = "../../maiconnect-core/benches/support/bench_input.rs"]
mod bench_input;
#[path = "../../maiconnect-core/benches/support/cpu_time.rs"]
mod cpu_time;
#[path = "support/odata_doc.rs"]
mod odata_doc;
use cpu_time::ThreadCpuTime;

/// The collection, generated once per process (both groups measure it) and
/// written to `target/bench-input` for the peers.
fn document() -> &'static [u8] {
    static DOCUMENT: OnceLock<Vec<u8>> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        let body = odata_doc::generate(10_000);
        bench_input::write("odata-10000.json", &body);
        body
    })
}

fn decode(body: &[u8], cfg: &MappingConfig) -> Vec<S4Item> {
    parse_page_map(body, "bench", |w: AppointmentWire<'_>| {
        appointment::read_item(w, None, cfg)
    })
    .expect("collection")
    .results
}

fn bench(c: &mut Criterion) {
    let body = document();
    let cfg = MappingConfig::default();
    let items = decode(body, &cfg);
    assert_eq!(items.len(), 10_000);
    let attendees: usize = items
        .iter()
        .map(|i| match &i.record {
            Record::Appointment(a) => a.attendees.len(),
            _ => 0,
        })
        .sum();
    assert!(attendees > 10_000, "attendees decoded: {attendees}");
    eprintln!("decoded: 10000 appointments, {attendees} attendees");

    let mut g = c.benchmark_group("odata");
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.sample_size(20);
    g.bench_function("decode_10000_appointments_into_model", |b| {
        b.iter(|| decode(body, &cfg))
    });
    // The JSON layer alone (wire structs borrowing from the body), to see
    // what the mapping into the model adds.
    g.bench_function("parse_10000_appointments_wire_only", |b| {
        b.iter(|| parse_page::<AppointmentWire<'_>>(body, "bench").map(|p| p.results.len()))
    });
    g.finish();
}

fn bench_cpu(c: &mut Criterion<ThreadCpuTime>) {
    let body = document();
    let cfg = MappingConfig::default();
    let mut g = c.benchmark_group("odata_cpu_time");
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.sample_size(20);
    g.bench_function("decode_10000_appointments_into_model", |b| {
        b.iter(|| decode(body, &cfg))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_group! {
    name = cpu;
    config = Criterion::default().with_measurement(ThreadCpuTime);
    targets = bench_cpu
}
criterion_main!(benches, cpu);
