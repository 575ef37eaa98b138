//! The write path: one batch (an HTTP request, a NATS message) in one transaction. Each event is
//! attributed by its addresses (the cached longest-prefix index); an event of a unit the sender
//! does not serve is refused by line, like one that does not parse. What is kept grows with what
//! is distinct, not with the events: the raw lines as one LZ4 chunk per retention class, one
//! upsert per alert (source, rule, asset, hour) and per system and day. The batch's key makes a
//! redelivered message a no-op.

use crate::db::{db_err, get, Store};
use crate::sql::Sql;
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::telemetry::{alert_window, day_vn, is_alert, Owner};
use khien_domain::{Error, Result};
use khien_formats::telemetry::{Batch, Event};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;
use utoipa::ToSchema;

/// At most this many refused lines are listed in an answer (all are counted).
pub const MAX_LINE_ERRORS: usize = 1000;

/// Rows per multi-row upsert (alerts have 16 columns: 640 parameters).
const UPSERT_ROWS: usize = 40;

/// Where a batch came from: its key (`http:<uuid>`, `nats:<stream>:<sequence>`) is kept so that
/// the same batch delivered again is not stored twice.
#[derive(Debug, Clone)]
pub struct IngestSource {
    pub key: String,
    /// `http` or `nats`.
    pub channel: &'static str,
}

/// A line (or array item) refused, and why.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LineError {
    pub line: usize,
    pub reason: String,
}

/// What a batch gave.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IngestOutcome {
    pub batch_id: i64,
    /// Events stored.
    pub accepted: usize,
    /// Lines refused (all of them; `errors` lists the first 1,000).
    pub rejected: usize,
    /// Stored events whose addresses are in no registered range: the authority's queue.
    pub unattributed: usize,
    /// Distinct alerts the batch opened or added to.
    pub alerts: usize,
    /// The batch had been received before (a redelivery): nothing was stored again.
    pub duplicate: bool,
    pub errors: Vec<LineError>,
}

/// One alert being folded from a batch's events.
struct AlertAgg<'a> {
    owner: Option<Owner>,
    event: &'a Event,
    asset: String,
    first: i64,
    last: i64,
    count: i64,
}

/// What a batch writes, folded in memory first.
#[derive(Default)]
struct Folded<'a> {
    /// Raw lines by retention class (the system's level; 0 for none).
    chunks: BTreeMap<i64, (i64, Vec<u8>)>,
    /// By de-duplication key, in key order (PostgreSQL upserts take row locks in that order).
    alerts: BTreeMap<String, AlertAgg<'a>>,
    /// (day, system) → (unit, events, alerts).
    daily: BTreeMap<(String, i64), (i64, i64, i64)>,
    accepted: usize,
    unattributed: usize,
}

/// The address an alert is about: the one that matched the registry, else the host, else the
/// first address the event names.
fn asset_of(e: &Event, matched: Option<IpAddr>) -> String {
    if let Some(ip) = matched {
        return ip.to_string();
    }
    e.host.clone().or_else(|| e.addresses().next().map(|ip| ip.to_string())).unwrap_or_else(|| "-".to_string())
}

fn trimmed(s: Option<&str>, max: usize) -> String {
    let s = s.unwrap_or("");
    match s.char_indices().nth(max) {
        Some((at, _)) => s.get(..at).unwrap_or(s).to_string(),
        None => s.to_string(),
    }
}

impl Store {
    /// Stores a parsed batch sent by `actor` (a SOC provider's token): see the module's text.
    pub async fn ingest_telemetry(&self, actor: &Actor, source: &IngestSource, batch: &Batch) -> Result<IngestOutcome> {
        if !actor.can_anywhere(Action::IngestTelemetry) {
            return Err(Error::forbidden());
        }
        if let Some(done) = self.received_batch(&source.key).await? {
            return Ok(done);
        }
        let registry = self.telemetry_registry().await?;
        let now = self.clock.now_ms();
        let mut errors: Vec<LineError> =
            batch.rejected.iter().map(|(line, reason)| LineError { line: *line, reason: reason.clone() }).collect();
        // Who owns each event, then whether the sender serves that unit (paths read once).
        let owners: Vec<(Option<Owner>, Option<IpAddr>)> = batch
            .events
            .iter()
            .map(|(_, e)| {
                let hit = e.addresses().find_map(|ip| registry.index.owner(ip).map(|o| (o, ip)));
                (hit.map(|h| h.0), hit.map(|h| h.1))
            })
            .collect();
        let served = self.served_units(actor, owners.iter().filter_map(|o| o.0.map(|o| o.unit_id))).await?;
        let mut f = Folded::default();
        for (((line, event), raw), (owner, matched)) in batch.events.iter().zip(&batch.raw).zip(&owners) {
            if let Some(o) = owner {
                if !served.get(&o.unit_id).copied().unwrap_or(false) {
                    errors.push(LineError {
                        line: *line,
                        reason: format!(
                            "địa chỉ {} thuộc đơn vị #{} mà mã truy cập này không giám sát / address {} belongs to unit #{}, which this token does not serve",
                            matched.map(|ip| ip.to_string()).unwrap_or_default(), o.unit_id,
                            matched.map(|ip| ip.to_string()).unwrap_or_default(), o.unit_id
                        ),
                    });
                    continue;
                }
            }
            fold(&mut f, actor.user_id, (event, raw), (*owner, *matched), &registry.levels, now);
        }
        errors.sort_by_key(|e| e.line);
        let rejected = errors.len();
        errors.truncate(MAX_LINE_ERRORS);
        let alerts = f.alerts.len();
        let Some(batch_id) = self.write_folded(actor, source, &f, (rejected, now)).await? else {
            // Received meanwhile through another connection: that one stored it.
            return self.received_batch(&source.key).await?.ok_or_else(|| Error::internal("batch vanished"));
        };
        Ok(IngestOutcome {
            batch_id,
            accepted: f.accepted,
            rejected,
            unattributed: f.unattributed,
            alerts,
            duplicate: false,
            errors,
        })
    }

    /// A batch already received under `key`, as its outcome (without its line errors).
    async fn received_batch(&self, key: &str) -> Result<Option<IngestOutcome>> {
        let row =
            sqlx::query("SELECT id, accepted, rejected, unattributed FROM telemetry_batches WHERE source_key = $1")
                .bind(key)
                .fetch_optional(&self.pool)
                .await
                .map_err(db_err)?;
        let Some(r) = row else { return Ok(None) };
        let count = |c: &str| get::<i64>(&r, c).map(|n| usize::try_from(n).unwrap_or(0));
        Ok(Some(IngestOutcome {
            batch_id: get(&r, "id")?,
            accepted: count("accepted")?,
            rejected: count("rejected")?,
            unattributed: count("unattributed")?,
            alerts: 0,
            duplicate: true,
            errors: Vec::new(),
        }))
    }

    /// For each unit among `units`, whether `actor` may send telemetry about it.
    async fn served_units(&self, actor: &Actor, units: impl Iterator<Item = i64>) -> Result<HashMap<i64, bool>> {
        let mut ids: Vec<i64> = units.collect();
        ids.sort_unstable();
        ids.dedup();
        let mut out = HashMap::new();
        for part in ids.chunks(500) {
            let mut q = Sql::new("SELECT id, path FROM units WHERE id IN (");
            for (i, id) in part.iter().enumerate() {
                if i > 0 {
                    q.push(",");
                }
                q.bind(*id);
            }
            q.push(")");
            for r in q.query().fetch_all(&self.pool).await.map_err(db_err)? {
                let id: i64 = get(&r, "id")?;
                out.insert(id, actor.can(Action::IngestTelemetry, id, &get::<String>(&r, "path")?));
            }
        }
        Ok(out)
    }

    /// Writes a folded batch in one transaction; None if its key was stored meanwhile.
    async fn write_folded(
        &self,
        actor: &Actor,
        source: &IngestSource,
        f: &Folded<'_>,
        (rejected, now): (usize, i64),
    ) -> Result<Option<i64>> {
        let mut w = self.begin_plain_write().await?;
        let mut q = Sql::new("INSERT INTO telemetry_batches (source_key, user_id, token_id, channel, received_at, accepted, rejected, unattributed) VALUES (");
        q.bind(source.key.as_str()).push(",").bind(actor.user_id).push(",").bind(actor.token_id);
        q.push(",").bind(source.channel).push(",").bind(now).push(",").bind(f.accepted as i64);
        q.push(",").bind(rejected as i64).push(",").bind(f.unattributed as i64);
        q.push(") ON CONFLICT (source_key) DO NOTHING RETURNING id");
        let Some(row) = q.query().fetch_optional(&mut *w.tx).await.map_err(db_err)? else {
            return Ok(None);
        };
        let batch_id: i64 = get(&row, "id")?;
        let day = day_vn(now);
        for (level, (events, body)) in &f.chunks {
            let mut q = Sql::new("INSERT INTO telemetry_chunks (batch_id, day, level, events, body) VALUES (");
            q.bind(batch_id).push(",").bind(day.as_str()).push(",").bind(*level).push(",").bind(*events);
            q.push(",").bind_bytes(lz4_flex::compress_prepend_size(body)).push(")");
            q.query().execute(&mut *w.tx).await.map_err(db_err)?;
        }
        let alerts: Vec<_> = f.alerts.iter().collect();
        for part in alerts.chunks(UPSERT_ROWS) {
            upsert_alerts(part, actor.user_id).query().execute(&mut *w.tx).await.map_err(db_err)?;
        }
        let daily: Vec<_> = f.daily.iter().collect();
        for part in daily.chunks(UPSERT_ROWS * 3) {
            let mut q = Sql::new("INSERT INTO telemetry_daily (day, system_id, unit_id, events, alerts) VALUES ");
            for (i, ((day, system_id), (unit_id, events, alerts))) in part.iter().enumerate() {
                q.push(if i == 0 { "(" } else { ",(" }).bind(day.as_str()).push(",").bind(*system_id);
                q.push(",").bind(*unit_id).push(",").bind(*events).push(",").bind(*alerts).push(")");
            }
            q.push(" ON CONFLICT (day, system_id) DO UPDATE SET events = telemetry_daily.events + excluded.events, alerts = telemetry_daily.alerts + excluded.alerts, unit_id = excluded.unit_id");
            q.query().execute(&mut *w.tx).await.map_err(db_err)?;
        }
        w.tx.commit().await.map_err(db_err)?;
        Ok(Some(batch_id))
    }
}

/// Adds one event to what the batch writes.
fn fold<'a>(
    f: &mut Folded<'a>,
    user_id: i64,
    (event, raw): (&'a Event, &str),
    (owner, matched): (Option<Owner>, Option<IpAddr>),
    levels: &HashMap<i64, i64>,
    now: i64,
) {
    f.accepted += 1;
    f.unattributed += usize::from(owner.is_none());
    let level = owner.and_then(|o| levels.get(&o.system_id).copied()).unwrap_or(0);
    let chunk = f.chunks.entry(level).or_default();
    chunk.0 += 1;
    chunk.1.extend_from_slice(raw.as_bytes());
    chunk.1.push(b'\n');
    let at = event.at.map_or(now, |t| t.timestamp_millis());
    let alert = is_alert(event.shape.code(), &event.kind);
    if let Some(o) = owner {
        let d = f.daily.entry((day_vn(at), o.system_id)).or_insert((o.unit_id, 0, 0));
        d.1 += 1;
        d.2 += i64::from(alert);
    }
    if !alert {
        return;
    }
    let asset = asset_of(event, matched);
    let rule = event.rule.as_deref().unwrap_or(&event.kind);
    let key = format!(
        "{user_id}|{}|{}|{asset}|{}",
        event.shape.code(),
        trimmed(Some(rule), 200),
        alert_window(at.div_euclid(1000))
    );
    let a = f.alerts.entry(key).or_insert(AlertAgg { owner, event, asset, first: at, last: at, count: 0 });
    a.first = a.first.min(at);
    a.last = a.last.max(at);
    a.count += 1;
}

/// One multi-row upsert of alerts: a known alert counts the new events and widens its times.
fn upsert_alerts(part: &[(&String, &AlertAgg<'_>)], user_id: i64) -> Sql {
    let mut q = Sql::new("INSERT INTO telemetry_alerts (dedup_key, user_id, unit_id, system_id, shape, kind, rule, title, severity, asset, src_ip, dst_ip, host, first_seen, last_seen, event_count) VALUES ");
    for (i, (key, a)) in part.iter().enumerate() {
        let e = a.event;
        q.push(if i == 0 { "(" } else { ",(" }).bind(key.as_str()).push(",").bind(user_id);
        q.push(",").bind(a.owner.map(|o| o.unit_id)).push(",").bind(a.owner.map(|o| o.system_id));
        q.push(",").bind(e.shape.code()).push(",").bind(trimmed(Some(&e.kind), 100));
        q.push(",").bind(trimmed(Some(e.rule.as_deref().unwrap_or(&e.kind)), 200));
        q.push(",").bind(trimmed(e.title.as_deref(), 500)).push(",").bind(i64::from(e.severity.unwrap_or(1)));
        q.push(",").bind(a.asset.as_str()).push(",").bind(e.src_ip.map(|ip| ip.to_string()));
        q.push(",").bind(e.dst_ip.map(|ip| ip.to_string())).push(",").bind(e.host.clone());
        q.push(",").bind(a.first).push(",").bind(a.last).push(",").bind(a.count).push(")");
    }
    q.push(" ON CONFLICT (dedup_key) DO UPDATE SET event_count = telemetry_alerts.event_count + excluded.event_count, first_seen = CASE WHEN excluded.first_seen < telemetry_alerts.first_seen THEN excluded.first_seen ELSE telemetry_alerts.first_seen END, last_seen = CASE WHEN excluded.last_seen > telemetry_alerts.last_seen THEN excluded.last_seen ELSE telemetry_alerts.last_seen END");
    q
}
