//! The telemetry scenarios of `khien bench` (issue 18): events attributed, de-duplicated and
//! durably stored per second against the bench registry given 50,000 IP ranges (five per
//! system), then the alerts queue with those events in.

use crate::bench::{measure, BenchArgs};
use anyhow::{anyhow, Result};
use khien_domain::role::Role;
use khien_domain::scope::Actor;
use khien_server::services::nats_ingest::{self, STREAM};
use khien_store::{IngestSource, Store};
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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
    let rounds = Arc::new(Rounds {
        batches: Arc::new((0..DISTINCT).map(|n| batch(&mut seed, systems, n)).collect()),
        count: a.telemetry_events.div_ceil(PER_BATCH),
        days: a.telemetry_days,
    });
    let kib: usize = rounds.batches.iter().map(Vec::len).sum::<usize>() / DISTINCT / 1024;
    let memory = Memory::sample_every_second();
    let outcome = match &a.nats_url {
        None => straight_in(store, actor, &rounds).await?,
        Some(url) => through_nats(store, actor, &rounds, url).await?,
    };
    let (stored, secs, path) =
        (outcome.stored, outcome.secs, if a.nats_url.is_some() { "through NATS JetStream" } else { "straight in" });
    println!(
        "telemetry: {stored} events ({kib} KiB a batch of {PER_BATCH}, {} day(s) of hours, {path}) attributed against {ranges} ranges, folded and stored in {secs:.2} s = {:.0} events/s",
        rounds.days.max(1),
        stored as f64 / secs
    );
    let alerts = store.maintenance().telemetry_alert_count().await.map_err(|e| anyhow!("{e}"))?;
    match outcome.workers {
        Some(Workers { parsing, storing, unattributed }) => println!(
            "telemetry: of the two workers' time, {parsing:.2} s reading and parsing, {storing:.2} s attributing, folding and storing ({unattributed} unattributed; {alerts} alerts kept)"
        ),
        None => println!("telemetry: {alerts} alerts kept"),
    }
    memory.report();
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

/// The batches of a run: `count` rounds through the distinct batches, their times moved hour
/// after hour over `days` when more than one.
struct Rounds {
    batches: Arc<Vec<Vec<u8>>>,
    count: usize,
    days: u32,
}

impl Rounds {
    /// The body of round `i`.
    fn body(&self, i: usize) -> Vec<u8> {
        let mut body = self.batches.get(i % DISTINCT).cloned().unwrap_or_default();
        if let Some(stamp) = self.hour(i) {
            restamp(&mut body, stamp.as_bytes());
        }
        body
    }

    /// "YYYY-MM-DDTHH" of round `i`: the rounds spread evenly over the `days` ending 2026-12-07.
    fn hour(&self, i: usize) -> Option<String> {
        if self.days <= 1 {
            return None;
        }
        let hours = self.days as usize * 24;
        let slot = i * hours / self.count.max(1);
        let first = chrono::NaiveDate::from_ymd_opt(2026, 12, 7)?
            .checked_sub_days(chrono::Days::new(u64::from(self.days - 1)))?;
        let day = first.checked_add_days(chrono::Days::new((slot / 24) as u64))?;
        Some(format!("{}T{:02}", day.format("%Y-%m-%d"), slot % 24))
    }
}

/// Every generated line starts with its time in 2026-12-07 08:00–09:00 (`batch`); this moves
/// it to the hour `stamp`, in place.
fn restamp(body: &mut [u8], stamp: &[u8]) {
    const PREFIX: &[u8] = br#"{"timestamp":""#;
    let mut start = 0;
    while let Some(rest) = body.get_mut(start..) {
        let len = rest.iter().position(|&b| b == b'\n').map_or(rest.len(), |p| p + 1);
        if len == 0 {
            break;
        }
        if rest.starts_with(PREFIX) {
            if let Some(time) = rest.get_mut(PREFIX.len()..PREFIX.len() + stamp.len()) {
                time.copy_from_slice(stamp);
            }
        }
        start += len;
    }
}

struct Outcome {
    stored: usize,
    /// From the first event read to the last stored.
    secs: f64,
    /// What the workers report (straight in only).
    workers: Option<Workers>,
}

#[derive(Default)]
struct Workers {
    /// Their time reading and parsing, and attributing, folding and storing.
    parsing: f64,
    storing: f64,
    unattributed: usize,
}

/// Two workers (the machine's two cores), each parsing a batch on a blocking thread while the
/// other's is written.
async fn straight_in(store: &Store, actor: &Actor, rounds: &Arc<Rounds>) -> Result<Outcome> {
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let start = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..2 {
        let (store, actor, rounds, next) = (store.clone(), actor.clone(), Arc::clone(rounds), Arc::clone(&next));
        workers.push(tokio::spawn(async move {
            let (mut stored, mut own) = (0usize, Workers::default());
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= rounds.count {
                    return Ok::<_, anyhow::Error>((stored, own));
                }
                let t = Instant::now();
                let round = Arc::clone(&rounds);
                let parsed = tokio::task::spawn_blocking(move || {
                    let body = round.body(i);
                    khien_formats::telemetry::read_body(&body, false).map(|b| khien_formats::telemetry::parse_batch(&b))
                })
                .await?
                .map_err(|e| anyhow!("{e:?}"))?;
                own.parsing += t.elapsed().as_secs_f64();
                let t = Instant::now();
                let source = IngestSource { key: format!("bench:{i}"), channel: "http" };
                let out = store.ingest_telemetry(&actor, &source, &parsed).await.map_err(|e| anyhow!("{e}"))?;
                own.storing += t.elapsed().as_secs_f64();
                stored += out.accepted;
                own.unattributed += out.unattributed;
            }
        }));
    }
    let (mut stored, mut all) = (0, Workers::default());
    for w in workers {
        let (s, own) = w.await??;
        stored += s;
        all.parsing += own.parsing;
        all.storing += own.storing;
        all.unattributed += own.unattributed;
    }
    Ok(Outcome { stored, secs: start.elapsed().as_secs_f64(), workers: Some(all) })
}

/// Publishes every round gzip-compressed, with an administrator's token, to the stream (emptied
/// first; not timed), then times Khiên's consumer (`nats_ingest::run`) from its start until
/// every batch is committed and acknowledged.
async fn through_nats(store: &Store, actor: &Actor, rounds: &Rounds, url: &str) -> Result<Outcome> {
    use async_nats::jetstream;
    let root = actor.grants.first().map(|g| g.unit_id).ok_or_else(|| anyhow!("the administrator has no unit"))?;
    let (token, _) =
        store.create_token(actor, "bench NATS", Role::Administrator, root, 1).await.map_err(|e| anyhow!("{e}"))?;
    let js = jetstream::new(async_nats::connect(url).await?);
    let _ = js.delete_stream(STREAM).await;
    js.get_or_create_stream(nats_ingest::stream_config()).await.map_err(|e| anyhow!("{e}"))?;
    let t = Instant::now();
    let mut acks = Vec::new();
    for i in 0..rounds.count {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&rounds.body(i))?;
        let mut headers = async_nats::HeaderMap::new();
        headers.insert("Authorization", format!("Bearer {token}").as_str());
        headers.insert("Content-Encoding", "gzip");
        acks.push(js.publish_with_headers("khien.telemetry.bench", headers, gz.finish()?.into()).await?);
        if acks.len() >= 64 {
            for ack in acks.drain(..) {
                ack.await?;
            }
        }
    }
    for ack in acks {
        ack.await?;
    }
    println!(
        "telemetry: {} batches published to {STREAM} in {:.1} s (not timed)",
        rounds.count,
        t.elapsed().as_secs_f64()
    );
    let (before, events_before) = store.maintenance().telemetry_batch_totals().await.map_err(|e| anyhow!("{e}"))?;
    let state = khien_server::AppState::new(store.clone(), khien_server::ServerConfig::default());
    let start = Instant::now();
    let consumer = tokio::spawn(nats_ingest::run(state, url.to_string()));
    let (mut last, mut progressed) = (before, Instant::now());
    let stored = loop {
        tokio::time::sleep(Duration::from_millis(20)).await;
        let (batches, events) = store.maintenance().telemetry_batch_totals().await.map_err(|e| anyhow!("{e}"))?;
        if batches - before >= rounds.count as i64 {
            break events - events_before;
        }
        if batches > last {
            (last, progressed) = (batches, Instant::now());
        } else if progressed.elapsed() > Duration::from_secs(60) {
            consumer.abort();
            return Err(anyhow!(
                "the NATS consumer stored nothing for 60 s ({} of {} batches)",
                last - before,
                rounds.count
            ));
        }
    };
    let secs = start.elapsed().as_secs_f64();
    consumer.abort();
    let _ = js.delete_stream(STREAM).await;
    Ok(Outcome { stored: usize::try_from(stored).unwrap_or_default(), secs, workers: None })
}

/// This process's resident memory, sampled every second while the events flow.
struct Memory {
    samples: Arc<Mutex<Vec<u64>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Memory {
    fn sample_every_second() -> Memory {
        let samples: Arc<Mutex<Vec<u64>>> = Arc::default();
        let sink = Arc::clone(&samples);
        let task = tokio::spawn(async move {
            loop {
                if let (Some(kib), Ok(mut s)) = (resident_kib(), sink.lock()) {
                    s.push(kib);
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
        Memory { samples, task }
    }

    /// Prints the resident memory at each tenth of the run, and its peak.
    fn report(self) {
        self.task.abort();
        let Ok(samples) = self.samples.lock() else { return };
        let n = samples.len();
        if n == 0 {
            return;
        }
        let tenths: Vec<String> = (1..=10)
            .filter_map(|k| samples.get((k * n).div_ceil(10).saturating_sub(1)))
            .map(|kib| (kib / 1024).to_string())
            .collect();
        let peak = samples.iter().max().copied().unwrap_or_default() / 1024;
        println!(
            "telemetry: resident memory (MiB) at each tenth of the run: {}; peak {peak} ({n} samples)",
            tenths.join(" ")
        );
    }
}

fn resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find_map(|l| l.strip_prefix("VmRSS:"))?.split_whitespace().next()?.parse().ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn rounds_spread_over_the_days_hour_after_hour() {
        let rounds = Rounds { batches: Arc::new(vec![b"{}".to_vec()]), count: 48, days: 2 };
        assert_eq!(rounds.hour(0).as_deref(), Some("2026-12-06T00"));
        assert_eq!(rounds.hour(25).as_deref(), Some("2026-12-07T01"));
        assert_eq!(rounds.hour(47).as_deref(), Some("2026-12-07T23"));
        assert_eq!(Rounds { days: 1, ..rounds }.hour(5), None);
    }

    #[test]
    fn restamp_moves_every_line_and_nothing_else() {
        let mut seed = 7;
        let mut body = batch(&mut seed, 100, 0);
        let before = body.clone();
        restamp(&mut body, b"2026-10-01T23");
        let text = String::from_utf8(body.clone()).unwrap();
        assert_eq!(text.lines().count(), PER_BATCH);
        assert!(text.lines().all(|l| l.starts_with(r#"{"timestamp":"2026-10-01T23:"#)), "every line moved");
        let changed = body.iter().zip(&before).filter(|(a, b)| a != b).count();
        assert!(changed <= PER_BATCH * 13, "only the hours changed");
    }
}
