//! Latency summary shared by the load-test binaries.
use std::time::Duration;

/// Prints `{label}N requests in S s: R requests/s, E errors; latency ms p50 … max …`
/// over the sorted latencies.
pub fn print_summary(label: &str, mut all: Vec<Duration>, secs: f64, errors: usize) {
    all.sort();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or(0.0)
    };
    println!(
        "{label}{} requests in {secs:.1} s: {:.0} requests/s, {errors} errors; latency ms p50 {:.2} p90 {:.2} p99 {:.2} max {:.2}",
        all.len(),
        all.len() as f64 / secs,
        pct(0.50),
        pct(0.90),
        pct(0.99),
        all.last().map(|d| d.as_secs_f64() * 1000.0).unwrap_or(0.0)
    );
}
