//! The telemetry scenarios of `khien bench` (issue 18): events attributed, de-duplicated and
//! durably stored per second against the bench registry given 50,000 IP ranges (five per
//! system), then the alerts queue with those events in.

use crate::bench::{measure, BenchArgs};
use anyhow::{anyhow, Result};
use khien_domain::scope::Actor;
use khien_store::{IngestSource, Store};
use std::sync::Arc;
use std::time::Instant;

/// Events per batch (one HTTP request or NATS message).
const PER_BATCH: usize = 5_000;
/// Distinct batches generated; the run cycles through them under new keys.
const DISTINCT: usize = 40;

/// A batch of Suricata EVE lines as one SOC's sensor sends them: half alerts, half flows, from
/// the hosts of the 250 systems it watches (one host in fifty outside the registry) to outside
/// addresses. Alerts are skewed as real ones are: four in five come from 20 noisy hosts hitting
/// 5 rules, the rest from any host, of 200 rules.
fn batch(seed: &mut u64, systems: usize, n: usize) -> Vec<u8> {
    let watched = 250.min(systems);
    let base = (n * watched) % systems.max(1);
    let mut next = || {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    };
    let mut out = Vec::with_capacity(PER_BATCH * 300);
    for _ in 0..PER_BATCH {
        let r = next();
        let noisy = r % 5 != 0;
        let i = if noisy { base + (r >> 8) as usize % 20 } else { base + (r >> 8) as usize % watched } % systems;
        // One host in fifty is outside the registry: the unattributed queue.
        let src = if r % 50 == 0 {
            format!("172.31.{}.{}", (r >> 8) % 256, (r >> 16) % 256)
        } else {
            format!("10.{}.{}.{}", i / 256, i % 256, if noisy { 7 } else { (r >> 20) % 64 })
        };
        let (minute, second, port) = ((r >> 24) % 60, (r >> 30) % 60, 1024 + (r >> 36) % 60000);
        let time = format!("2026-12-07T08:{minute:02}:{second:02}.{:06}+0700", (r >> 40) % 1_000_000);
        let line = if r & 1 == 0 {
            let rule = 2_000_000 + if noisy { (r >> 44) % 5 } else { (r >> 44) % 200 };
            format!(
                r#"{{"timestamp":"{time}","flow_id":{r},"event_type":"alert","src_ip":"{src}","src_port":{port},"dest_ip":"203.0.113.{}","dest_port":443,"proto":"TCP","alert":{{"action":"allowed","gid":1,"signature_id":{rule},"rev":1,"signature":"ET BENCH quy tắc {rule}","category":"Bench","severity":{}}}}}"#,
                (r >> 52) % 256,
                1 + (r >> 60) % 3
            )
        } else {
            format!(
                r#"{{"timestamp":"{time}","flow_id":{r},"event_type":"flow","src_ip":"{src}","src_port":{port},"dest_ip":"198.51.100.{}","dest_port":53,"proto":"UDP","flow":{{"pkts_toserver":1,"pkts_toclient":1,"bytes_toserver":74,"bytes_toclient":90}}}}"#,
                (r >> 52) % 256
            )
        };
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
    }
    out
}

pub async fn run(store: &Store, app: &axum::Router, session: &str, actor: &Actor, a: &BenchArgs) -> Result<()> {
    if a.telemetry_events == 0 {
        return Ok(());
    }
    let ranges = store.maintenance().spread_ranges_for_benchmark().await.map_err(|e| anyhow!("{e}"))?;
    let systems = ranges / 5;
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let batches: Arc<Vec<Vec<u8>>> = Arc::new((0..DISTINCT).map(|n| batch(&mut seed, systems, n)).collect());
    let mb: usize = batches.iter().map(Vec::len).sum::<usize>() / DISTINCT;
    let rounds = a.telemetry_events.div_ceil(PER_BATCH);
    // Two workers (the machine's two cores): each parses a batch on a blocking thread while the
    // other's is written.
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let start = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..2 {
        let (store, actor, batches, next) = (store.clone(), actor.clone(), Arc::clone(&batches), Arc::clone(&next));
        workers.push(tokio::spawn(async move {
            let (mut stored, mut unattributed) = (0usize, 0usize);
            let (mut parsing, mut storing) = (0f64, 0f64);
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= rounds {
                    return Ok::<_, anyhow::Error>((stored, unattributed, parsing, storing));
                }
                let body = batches.get(i % DISTINCT).cloned().unwrap_or_default();
                let t = Instant::now();
                let parsed = tokio::task::spawn_blocking(move || {
                    khien_formats::telemetry::read_body(&body, false).map(|b| khien_formats::telemetry::parse_batch(&b))
                })
                .await?
                .map_err(|e| anyhow!("{e:?}"))?;
                parsing += t.elapsed().as_secs_f64();
                let t = Instant::now();
                let source = IngestSource { key: format!("bench:{i}"), channel: "http" };
                let out = store.ingest_telemetry(&actor, &source, &parsed).await.map_err(|e| anyhow!("{e}"))?;
                storing += t.elapsed().as_secs_f64();
                stored += out.accepted;
                unattributed += out.unattributed;
            }
        }));
    }
    let (mut stored, mut unattributed, mut parsing, mut storing) = (0, 0, 0.0, 0.0);
    for w in workers {
        let (s, u, p, t) = w.await??;
        stored += s;
        unattributed += u;
        parsing += p;
        storing += t;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "telemetry: {stored} events ({} KiB a batch of {PER_BATCH}) attributed against {ranges} ranges, folded and stored in {secs:.2} s = {:.0} events/s ({unattributed} unattributed)",
        mb / 1024,
        stored as f64 / secs
    );
    println!(
        "telemetry: of the two workers' time, {parsing:.2} s reading and parsing, {storing:.2} s attributing, folding and storing ({} alerts kept)",
        store.maintenance().telemetry_alert_count().await.map_err(|e| anyhow!("{e}"))?
    );
    for (name, uri) in [
        ("telemetry: alerts queue, first page", "/api/v1/telemetry/alerts?limit=50".to_string()),
        ("telemetry: alerts queue, high and above", "/api/v1/telemetry/alerts?min_severity=3&limit=50".to_string()),
        ("telemetry: alerts queue, rule words", "/api/v1/telemetry/alerts?q=quy%20tac%202000123&limit=50".to_string()),
        ("telemetry: unattributed queue", "/api/v1/telemetry/alerts?unattributed=true&limit=50".to_string()),
        ("web: SOC alerts page", "/telemetry".to_string()),
    ] {
        measure(app, name, &uri, session, None, a.iterations).await?;
    }
    Ok(())
}
