//! Decoding the standard 10,000-appointment OData collection
//! (`shared/bench/gen_odata.py 10000`) into the core model: `Appointment`
//! records with attendees, versions and keys.
//!
//! Run: `cargo bench -p maiconnect-odata --bench decode`. The peer figure
//! comes from `shared/bench/bench_odata_py.py` on the same file.

use std::path::PathBuf;
use std::process::Command;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use maiconnect_core::model::Record;
use maiconnect_core::plan::state::S4Item;
use maiconnect_odata::mapping::MappingConfig;
use maiconnect_odata::mapping::appointment::{self, AppointmentWire};
use maiconnect_odata::wire::json::{parse_page, parse_page_map};

#[path = "../../maiconnect-core/benches/support/cpu_time.rs"]
mod cpu_time;
use cpu_time::ThreadCpuTime;

fn document() -> (PathBuf, Vec<u8>) {
    let dir = std::env::temp_dir().join(format!("maiconnect-odata-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let out = dir.join("odata-10000.json");
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/bench/gen_odata.py"
    );
    let status = Command::new("python3")
        .arg(script)
        .arg("10000")
        .arg(&out)
        .status()
        .expect("python3 runs gen_odata.py");
    assert!(status.success(), "gen_odata.py failed");
    let bytes = std::fs::read(&out).expect("generated file");
    (out, bytes)
}

fn decode(body: &[u8], cfg: &MappingConfig) -> Vec<S4Item> {
    parse_page_map(body, "bench", |w: AppointmentWire<'_>| {
        appointment::read_item(w, None, cfg)
    })
    .expect("collection")
    .results
}

fn bench(c: &mut Criterion) {
    let (path, body) = document();
    let cfg = MappingConfig::default();
    let items = decode(&body, &cfg);
    assert_eq!(items.len(), 10_000);
    let attendees: usize = items
        .iter()
        .map(|i| match &i.record {
            Record::Appointment(a) => a.attendees.len(),
            _ => 0,
        })
        .sum();
    assert!(attendees > 10_000, "attendees decoded: {attendees}");
    eprintln!(
        "{}: {} bytes, 10000 appointments, {attendees} attendees",
        path.display(),
        body.len()
    );

    let mut g = c.benchmark_group("odata");
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.sample_size(20);
    g.bench_function("decode_10000_appointments_into_model", |b| {
        b.iter(|| decode(&body, &cfg))
    });
    // The JSON layer alone (wire structs borrowing from the body), to see
    // what the mapping into the model adds.
    g.bench_function("parse_10000_appointments_wire_only", |b| {
        b.iter(|| parse_page::<AppointmentWire<'_>>(&body, "bench").map(|p| p.results.len()))
    });
    g.finish();
    let _ = std::fs::remove_dir_all(path.parent().unwrap_or(&path));
}

fn bench_cpu(c: &mut Criterion<ThreadCpuTime>) {
    let (path, body) = document();
    let cfg = MappingConfig::default();
    let mut g = c.benchmark_group("odata_cpu_time");
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.sample_size(20);
    g.bench_function("decode_10000_appointments_into_model", |b| {
        b.iter(|| decode(&body, &cfg))
    });
    g.finish();
    let _ = std::fs::remove_dir_all(path.parent().unwrap_or(&path));
}

criterion_group!(benches, bench);
criterion_group! {
    name = cpu;
    config = Criterion::default().with_measurement(ThreadCpuTime);
    targets = bench_cpu
}
criterion_main!(benches, cpu);
