//! Prometheus metrics: events received, inbox depth, operations by kind and
//! result, backend latency, throttling back-offs, subscription health.

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

type Labels = Vec<(String, String)>;

fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// The hub's metrics.
pub struct Metrics {
    registry: Registry,
    events: Family<Labels, Counter>,
    operations: Family<Labels, Counter>,
    latency: Family<Labels, Histogram>,
    backoffs: Family<Labels, Counter>,
    inbox_depth: Gauge,
    dead_letters: Gauge,
    subscriptions: Family<Labels, Gauge>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    /// Registers every metric.
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("maiconnect");
        let events = Family::<Labels, Counter>::default();
        registry.register(
            "events_received",
            "Events received, by source (s4, ews)",
            events.clone(),
        );
        let operations = Family::<Labels, Counter>::default();
        registry.register(
            "operations",
            "Sync operations, by operation and result",
            operations.clone(),
        );
        let latency = Family::<Labels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.002, 2.0, 14))
        });
        registry.register(
            "backend_request_seconds",
            "Backend call latency, by backend and call",
            latency.clone(),
        );
        let backoffs = Family::<Labels, Counter>::default();
        registry.register(
            "backoffs",
            "Retries scheduled after a failure, by reason",
            backoffs.clone(),
        );
        let inbox_depth = Gauge::default();
        registry.register("inbox_depth", "Inbox entries waiting", inbox_depth.clone());
        let dead_letters = Gauge::default();
        registry.register(
            "dead_letters",
            "Inbox entries given up",
            dead_letters.clone(),
        );
        let subscriptions = Family::<Labels, Gauge>::default();
        registry.register(
            "subscriptions",
            "Push subscriptions, by state",
            subscriptions.clone(),
        );
        Metrics {
            registry,
            events,
            operations,
            latency,
            backoffs,
            inbox_depth,
            dead_letters,
            subscriptions,
        }
    }

    /// An event arrived.
    pub fn event(&self, source: &str, n: u64) {
        self.events
            .get_or_create(&labels(&[("source", source)]))
            .inc_by(n);
    }

    /// An operation ran.
    pub fn operation(&self, op: &str, result: &str) {
        self.operations
            .get_or_create(&labels(&[("operation", op), ("result", result)]))
            .inc();
    }

    /// A backend call took `seconds`.
    pub fn backend_call(&self, backend: &str, call: &str, seconds: f64) {
        self.latency
            .get_or_create(&labels(&[("backend", backend), ("call", call)]))
            .observe(seconds);
    }

    /// A retry was scheduled.
    pub fn backoff(&self, reason: &str) {
        self.backoffs
            .get_or_create(&labels(&[("reason", reason)]))
            .inc();
    }

    /// Sets the gauges read from the store.
    pub fn set_queue(&self, depth: usize, dead: usize) {
        self.inbox_depth.set(depth as i64);
        self.dead_letters.set(dead as i64);
    }

    /// Sets the subscription gauges.
    pub fn set_subscriptions(&self, healthy: usize, silent: usize, failing: usize) {
        for (state, n) in [
            ("healthy", healthy),
            ("silent", silent),
            ("failing", failing),
        ] {
            self.subscriptions
                .get_or_create(&labels(&[("state", state)]))
                .set(n as i64);
        }
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = encode(&mut out, &self.registry);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_render_in_the_exposition_format() {
        let m = Metrics::new();
        m.event("s4", 3);
        m.operation("update_exchange", "ok");
        m.backend_call("ews", "get", 0.012);
        m.set_queue(7, 1);
        let text = m.render();
        assert!(
            text.contains("maiconnect_events_received_total{source=\"s4\"} 3"),
            "{text}"
        );
        assert!(
            text.contains(
                "maiconnect_operations_total{operation=\"update_exchange\",result=\"ok\"} 1"
            ),
            "{text}"
        );
        assert!(text.contains("maiconnect_inbox_depth 7"), "{text}");
        assert!(
            text.contains("maiconnect_backend_request_seconds_bucket"),
            "{text}"
        );
        assert!(
            text.contains(
                "maiconnect_backend_request_seconds_count{backend=\"ews\",call=\"get\"} 1"
            ),
            "{text}"
        );
    }
}
