//! Decoding a GetItem response of 1,000 calendar items into the core model
//! (every mapped field), and encoding a CreateItem of 100 items.
//!
//! The input is generated here (`support/getitem_doc.rs`, seeded, the same
//! shape and size as the document the Python peers were first measured on)
//! and left in `target/bench-input/getitem-1000.xml`, so that exchangelib
//! can be timed on the very same bytes: see `tools/peers/README.md`.
//!
//! Measured on the shared 2-core machine (2026-11-27, quick-xml 0.38.4,
//! `cargo bench -p maiconnect-ews --bench decode`, on the Python-generated
//! document of the same shape): decode to the model 272 MiB/s (286 MB/s;
//! 10.0 ms for 2.87 MB, 1,000 items), tree only 359 MiB/s, quick-xml events
//! only 823 MiB/s, CreateItem of 100 items 247 µs (558 MiB/s). exchangelib
//! 5.6 in the same sitting: 2.73 MB/s.

#![forbid(unsafe_code)]

use chrono::{Duration, TimeZone, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use maiconnect_core::model::{Appointment, Attendee, Body, Record, When, Zone};
use maiconnect_ews::operations::{
    Context, CreateItem, Distinguished, FolderRef, GetItem, ItemShape, Operation, SendInvitations,
};
use maiconnect_ews::soap::Headers;

#[path = "../../maiconnect-core/benches/support/bench_input.rs"]
mod bench_input;
#[path = "support/getitem_doc.rs"]
mod getitem_doc;

/// The 1,000-item response, also written to `target/bench-input` (the
/// envelope, and the body alone) for the peers and for schema checks.
fn generate() -> Vec<u8> {
    let doc = getitem_doc::generate(1000);
    bench_input::write("getitem-1000.xml", doc.envelope.as_bytes());
    bench_input::write("getitem-1000-body.xml", doc.body.as_bytes());
    doc.envelope.into_bytes()
}

fn appointments(n: usize) -> Vec<(Record, Option<maiconnect_core::model::S4Key>)> {
    let zone: Zone = "Europe/Berlin".parse().expect("zone");
    (0..n)
        .map(|i| {
            let start = Utc
                .with_ymd_and_hms(2026, 12, 1, 9, 0, 0)
                .single()
                .expect("time")
                + Duration::hours(i as i64);
            let mut a = Appointment::new(
                &format!("Kundentermin {i}: Bäckerei Huber GmbH"),
                When::timed(start, start + Duration::minutes(45), zone),
            );
            a.location = "Hauptstraße 12, 80331 München".into();
            a.body =
                Body::new("bitte die aktuelle Preisliste mitbringen & den Vertragsentwurf prüfen");
            a.categories = vec!["Kunde".into(), "CRM".into()];
            a.attendees = (0..3)
                .map(|k| Attendee {
                    email: Some(format!("person{k}@contoso.de").parse().expect("email")),
                    name: format!("Person {k}"),
                    partner: None,
                    function: None,
                    required: k < 2,
                })
                .collect();
            let key = format!("BUS2000126:0050568c-2b4f-1ee8-a1b2-{i:012x}")
                .parse()
                .expect("key");
            (Record::Appointment(a), Some(key))
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let doc = generate();
    let op = GetItem {
        shape: ItemShape::id_only(),
        ids: vec![],
    };
    let cx = Context::new("anna.berg@example.com");
    let check = op.parse_response(&doc, &cx).expect("decode");
    assert_eq!(check.len(), 1000);
    assert!(check.iter().all(Result::is_ok));

    let mut g = c.benchmark_group("getitem_1000");
    g.throughput(Throughput::Bytes(doc.len() as u64));
    g.bench_function("decode_to_model", |b| {
        b.iter(|| {
            let items = op
                .parse_response(std::hint::black_box(&doc), &cx)
                .expect("decode");
            std::hint::black_box(items.len())
        })
    });
    g.bench_function("quick_xml_events_only", |b| {
        b.iter(|| {
            let mut r = quick_xml::Reader::from_reader(std::hint::black_box(&doc[..]));
            let mut n = 0usize;
            loop {
                match r.read_event().expect("event") {
                    quick_xml::events::Event::Eof => break,
                    _ => n += 1,
                }
            }
            std::hint::black_box(n)
        })
    });
    g.bench_function("tree_only", |b| {
        b.iter(|| {
            let d = maiconnect_ews::xml::Doc::parse(std::hint::black_box(&doc)).expect("parse");
            std::hint::black_box(d.root().name().len())
        })
    });
    g.finish();

    let create = CreateItem {
        folder: FolderRef::Distinguished(Distinguished::Calendar),
        items: appointments(100),
        send: SendInvitations::SendToNone,
        all_day_zone: Zone::UTC,
    };
    let headers = Headers {
        impersonate: Some("anna.berg@example.com".into()),
        ..Headers::default()
    };
    let size = create.envelope(&headers).len();
    let mut g = c.benchmark_group("createitem_100");
    g.throughput(Throughput::Bytes(size as u64));
    g.bench_function("encode", |b| {
        b.iter(|| std::hint::black_box(create.envelope(&headers)).len())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
