//! Prometheus metrics in the text exposition format, and the readiness probe.

use crate::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Instant;

const BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

#[derive(Default)]
pub struct Metrics {
    /// (method, route, status) -> count
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    durations: Mutex<BTreeMap<String, Histogram>>,
}

pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route =
        req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_string()).unwrap_or_else(|| "unmatched".into());
    let method = req.method().to_string();
    let start = Instant::now();
    let resp = next.run(req).await;
    let secs = start.elapsed().as_secs_f64();
    if let Ok(mut m) = state.metrics.requests.lock() {
        *m.entry((method, route.clone(), resp.status().as_u16())).or_default() += 1;
    }
    if let Ok(mut d) = state.metrics.durations.lock() {
        let h = d.entry(route).or_default();
        for (count, b) in h.counts.iter_mut().zip(&BUCKETS) {
            if secs <= *b {
                *count += 1;
            }
        }
        h.sum += secs;
        h.count += 1;
    }
    resp
}

pub async fn metrics(State(state): State<AppState>) -> Response {
    let mut out = String::new();
    out.push_str("# HELP khien_http_requests_total HTTP requests by method, route and status.\n# TYPE khien_http_requests_total counter\n");
    if let Ok(m) = state.metrics.requests.lock() {
        for ((method, route, status), n) in m.iter() {
            let _ = writeln!(
                out,
                "khien_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {n}"
            );
        }
    }
    out.push_str("# HELP khien_http_request_duration_seconds Time to answer, by route.\n# TYPE khien_http_request_duration_seconds histogram\n");
    if let Ok(d) = state.metrics.durations.lock() {
        for (route, h) in d.iter() {
            for (b, count) in BUCKETS.iter().zip(&h.counts) {
                let _ =
                    writeln!(out, "khien_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{b}\"}} {count}");
            }
            let _ = writeln!(
                out,
                "khien_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(out, "khien_http_request_duration_seconds_sum{{route=\"{route}\"}} {}", h.sum);
            let _ = writeln!(out, "khien_http_request_duration_seconds_count{{route=\"{route}\"}} {}", h.count);
        }
    }
    for (name, help, value) in [
        ("khien_units", "Units in the database.", state.store.unit_count().await),
        ("khien_users", "Users in the database.", state.store.user_count().await),
        ("khien_audit_records", "Records in the audit trail.", state.store.audit_count().await),
    ] {
        if let Ok(v) = value {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {v}");
        }
    }
    ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], out).into_response()
}

pub async fn readyz(State(state): State<AppState>) -> Response {
    if state.store.ping().await {
        (StatusCode::OK, "ready").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
    }
}
