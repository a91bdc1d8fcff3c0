//! Decodes an EWS response or notification document and prints what the
//! adapter understood, as JSON (what the hub's `decode ews FILE` shows).
//!
//! ```text
//! cargo run -p maiconnect-ews --example decode -- FILE
//! cargo run --release -p maiconnect-ews --example decode -- FILE --repeat 200
//! ```
//!
//! With `--repeat N` it instead reads FILE N times as a GetItem response
//! into the core model and prints the throughput (for `perf stat`).

use std::time::Instant;

use maiconnect_ews::operations::{Context, GetItem, ItemShape, Operation};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args.first().ok_or("usage: decode FILE [--repeat N]")?;
    let bytes = std::fs::read(path)?;
    let repeat = match args.get(1).map(String::as_str) {
        Some("--repeat") => args
            .get(2)
            .ok_or("--repeat needs a number")?
            .parse::<u32>()?,
        _ => 0,
    };
    if repeat == 0 {
        let v = maiconnect_ews::decode(&bytes)?;
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    let op = GetItem {
        shape: ItemShape::id_only(),
        ids: vec![],
    };
    let cx = Context::new("");
    let started = Instant::now();
    let mut items = 0;
    for _ in 0..repeat {
        items += op.parse_response(&bytes, &cx)?.len();
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{repeat} × {} bytes, {items} items: {:.1} MB/s wall clock",
        bytes.len(),
        bytes.len() as f64 * f64::from(repeat) / secs / 1e6
    );
    Ok(())
}
