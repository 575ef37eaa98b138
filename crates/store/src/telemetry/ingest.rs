//! The write path: one batch (an HTTP request, a NATS message) in one transaction. Each event is
//! attributed by its addresses (the cached longest-prefix index); an event of a unit the sender
//! does not serve is refused by line, like one that does not parse. What is kept grows with what
//! is distinct, not with the events: the raw lines as one LZ4 chunk per retention class, one
//! upsert per alert (source, rule, asset, hour) and per system and day. The batch's key makes a
//! redelivered message a no-op.

use super::rules::insert_rules;
use crate::db::{db_err, get, Store};
use crate::sql::Sql;
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::telemetry::{alert_window, day_number_vn, day_text, day_vn, is_alert, Owner};
use khien_domain::{Error, Result};
use khien_formats::telemetry::{Batch, Event};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::IpAddr;
use utoipa::ToSchema;

/// At most this many refused lines are listed in an answer (all are counted).
pub const MAX_LINE_ERRORS: usize = 1000;

/// Alerts per multi-row upsert (six parameters each, anonymous on SQLite: `Sql::for_dialect`).
/// Fewer statements are fewer hand-overs to the database connection's thread.
const UPSERT_ROWS: usize = 100;
/// Daily counts per statement (all literals).
const DAILY_ROWS: usize = 500;

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

/// What makes events one alert (besides their sender): shape, rule, asset and hour.
#[derive(PartialEq, Eq, Hash)]
struct AlertKey<'a> {
    shape: &'static str,
    rule: &'a str,
    asset: Asset<'a>,
    window: i64,
}

/// The address (or host) an alert is about: the one that matched the registry, else the host,
/// else the first address the event names.
#[derive(PartialEq, Eq, Hash, Clone, Copy)]
enum Asset<'a> {
    Ip(IpAddr),
    Name(&'a str),
    Unknown,
}

impl Asset<'_> {
    fn of(e: &Event, matched: Option<IpAddr>) -> Asset<'_> {
        match (matched, e.host.as_deref(), e.addresses().next()) {
            (Some(ip), _, _) => Asset::Ip(ip),
            (None, Some(host), _) => Asset::Name(host),
            (None, None, Some(ip)) => Asset::Ip(ip),
            (None, None, None) => Asset::Unknown,
        }
    }

    fn text(self) -> String {
        match self {
            Asset::Ip(ip) => ip.to_string(),
            Asset::Name(n) => n.to_string(),
            Asset::Unknown => "-".to_string(),
        }
    }
}

/// One alert being folded from a batch's events.
struct AlertAgg<'a> {
    owner: Option<Owner>,
    event: &'a Event,
    first: i64,
    last: i64,
    count: i64,
}

/// What a batch writes, folded in memory first (keys made text only when written).
#[derive(Default)]
struct Folded<'a> {
    /// Raw lines by retention class (the system's level; 0 for none).
    chunks: BTreeMap<i64, (i64, Vec<u8>)>,
    alerts: HashMap<AlertKey<'a>, AlertAgg<'a>>,
    /// (day number, system) → (unit, events, alerts).
    daily: HashMap<(i64, i64), (i64, i64, i64)>,
    /// Endpoint status reports by (unit, host): the latest in the batch.
    endpoints: HashMap<(i64, &'a str), (Owner, &'a Event, i64)>,
    /// Botnet sightings, recorded as cases once the batch is stored.
    botnet: Vec<super::Detection>,
    /// Events per unit (0 for none), for the live rate.
    per_unit: BTreeMap<i64, i64>,
    accepted: usize,
    unattributed: usize,
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
        for (((line, event), raw), (owner, matched)) in batch.events.iter().zip(batch.raw()).zip(&owners) {
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
            fold(&mut f, (event, raw), (*owner, *matched), &registry.levels, now);
        }
        errors.sort_by_key(|e| e.line);
        let rejected = errors.len();
        errors.truncate(MAX_LINE_ERRORS);
        let alerts = f.alerts.len();
        let Some(batch_id) = self.write_folded(actor, source, &f, (rejected, now)).await? else {
            // Received meanwhile through another connection: that one stored it.
            return self.received_batch(&source.key).await?.ok_or_else(|| Error::internal("batch vanished"));
        };
        // Sightings become cases (told to their units) once the batch is safe; a redelivered
        // batch never gets here.
        if !f.botnet.is_empty() {
            let feed = batch.events.iter().find_map(|(_, e)| e.botnet.as_ref().and_then(|b| b.feed.clone()));
            self.record_botnet_detections(actor, feed.as_deref().unwrap_or("telemetry"), &f.botnet).await?;
        }
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
        let row = self
            .read_optional(
                &Sql::new("SELECT id, accepted, rejected, unattributed FROM telemetry_batches WHERE source_key = $1")
                    .arg(key),
            )
            .await?;
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
            q.bind_ids(part);
            q.push(")");
            for r in self.read_all(&q).await? {
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
        // Everything but the batch's own row is made before the write turn is taken: the
        // compression and the statements' text do not hold the one writer.
        let chunks: Vec<(i64, i64, Vec<u8>)> = f
            .chunks
            .iter()
            .map(|(level, (events, raw))| (*level, *events, lz4_flex::compress_prepend_size(raw)))
            .collect();
        // In key order: concurrent PostgreSQL upserts then lock rows in one order.
        let mut alerts: Vec<(String, &AlertAgg<'_>, Asset<'_>)> = f
            .alerts
            .iter()
            .map(|(k, a)| {
                let rule = trimmed(Some(k.rule), 200);
                // The hour first: a new hour's alerts go to the end of the key's index instead
                // of all over it (with millions of alerts, the index no longer fits the cache).
                (format!("{}|{}|{}|{rule}|{}", k.window, actor.user_id, k.shape, k.asset.text()), a, k.asset)
            })
            .collect();
        alerts.sort_by(|x, y| x.0.cmp(&y.0));
        let upserts: Vec<Sql> = alerts
            .chunks(UPSERT_ROWS)
            .map(|part| upsert_alerts(part, actor.user_id).for_dialect(self.dialect))
            .collect();
        let rules: BTreeSet<(&str, Option<&str>)> = f
            .alerts
            .values()
            .map(|a| (a.event.rule.as_deref().unwrap_or(&a.event.kind), a.event.title.as_deref()))
            .collect();
        let new_rules =
            self.unknown_rules(rules.into_iter().map(|(r, t)| (trimmed(Some(r), 200), trimmed(t, 500))).collect());
        let rule_inserts = insert_rules(&new_rules, self.dialect);
        let mut daily: Vec<_> = f.daily.iter().collect();
        daily.sort();
        let counts: Vec<String> = daily
            .chunks(DAILY_ROWS)
            .map(|part| {
                let rows: Vec<String> = part
                    .iter()
                    .map(|((day, system_id), (unit_id, events, alerts))| {
                        format!("('{}',{system_id},{unit_id},{events},{alerts})", day_text(*day))
                    })
                    .collect();
                format!("INSERT INTO telemetry_daily (day, system_id, unit_id, events, alerts) VALUES {} ON CONFLICT (day, system_id) DO UPDATE SET events = telemetry_daily.events + excluded.events, alerts = telemetry_daily.alerts + excluded.alerts, unit_id = excluded.unit_id", rows.join(","))
            })
            .collect();
        // The minute it arrived, per unit in unit order (the lock order of concurrent upserts).
        let minute = now.div_euclid(60_000);
        let rate: Vec<String> = f.per_unit.iter().map(|(unit, n)| format!("({minute},{unit},{n})")).collect();
        let rate = format!("INSERT INTO telemetry_minutes (minute, unit_id, events) VALUES {} ON CONFLICT (minute, unit_id) DO UPDATE SET events = telemetry_minutes.events + excluded.events", rate.join(","));
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
        for (level, events, body) in chunks {
            let mut q = Sql::new("INSERT INTO telemetry_chunks (batch_id, day, level, events, body) VALUES (");
            q.bind(batch_id).push(",").bind(day.as_str()).push(",").bind(level).push(",").bind(events);
            q.push(",").bind_bytes(body).push(")");
            q.query().execute(&mut *w.tx).await.map_err(db_err)?;
        }
        for q in upserts.iter().chain(&rule_inserts) {
            q.query().execute(&mut *w.tx).await.map_err(db_err)?;
        }
        for sql in &counts {
            sqlx::query(sql).execute(&mut *w.tx).await.map_err(db_err)?;
        }
        if !f.per_unit.is_empty() {
            sqlx::query(&rate).execute(&mut *w.tx).await.map_err(db_err)?;
        }
        for q in endpoint_upserts(&f.endpoints).into_iter().map(|q| q.for_dialect(self.dialect)) {
            q.query().execute(&mut *w.tx).await.map_err(db_err)?;
        }
        w.commit().await?;
        self.remember_rules(new_rules);
        Ok(Some(batch_id))
    }
}

/// Adds one event to what the batch writes.
fn fold<'a>(
    f: &mut Folded<'a>,
    (event, raw): (&'a Event, &str),
    (owner, matched): (Option<Owner>, Option<IpAddr>),
    levels: &HashMap<i64, i64>,
    now: i64,
) {
    f.accepted += 1;
    f.unattributed += usize::from(owner.is_none());
    *f.per_unit.entry(owner.map_or(0, |o| o.unit_id)).or_default() += 1;
    let level = owner.and_then(|o| levels.get(&o.system_id).copied()).unwrap_or(0);
    let chunk = f.chunks.entry(level).or_default();
    chunk.0 += 1;
    chunk.1.extend_from_slice(raw.as_bytes());
    chunk.1.push(b'\n');
    let at = event.at.map_or(now, |t| t.timestamp_millis());
    let alert = is_alert(event.shape.code(), &event.kind);
    if let Some(o) = owner {
        let d = f.daily.entry((day_number_vn(at), o.system_id)).or_insert((o.unit_id, 0, 0));
        d.1 += 1;
        d.2 += i64::from(alert);
        if let (Some(_), Some(host)) = (&event.endpoint, event.host.as_deref()) {
            let e = f.endpoints.entry((o.unit_id, host)).or_insert((o, event, at));
            if at >= e.2 {
                *e = (o, event, at);
            }
        }
    }
    if let (Some(b), Some(ip)) = (&event.botnet, event.src_ip) {
        f.botnet.push(super::Detection { ip, family: b.family.clone(), first_seen: Some(at), last_seen: Some(at) });
    }
    if !alert {
        return;
    }
    let key = AlertKey {
        shape: event.shape.code(),
        rule: event.rule.as_deref().unwrap_or(&event.kind),
        asset: Asset::of(event, matched),
        window: alert_window(at.div_euclid(1000)),
    };
    let a = f.alerts.entry(key).or_insert(AlertAgg { owner, event, first: at, last: at, count: 0 });
    a.first = a.first.min(at);
    a.last = a.last.max(at);
    a.count += 1;
}

/// An address as an SQL literal: `IpAddr` writes only digits, dots, colons and hex letters.
fn ip_literal(ip: Option<IpAddr>) -> String {
    ip.map_or_else(|| "NULL".to_string(), |ip| format!("'{ip}'"))
}

fn int_literal(v: Option<i64>) -> String {
    v.map_or_else(|| "NULL".to_string(), |v| v.to_string())
}

/// One multi-row upsert of alerts: a known alert counts the new events and widens its times.
/// Numbers, addresses and shape codes go in as literals; the sender's text is bound.
fn upsert_alerts(part: &[(String, &AlertAgg<'_>, Asset<'_>)], user_id: i64) -> Sql {
    let mut q = Sql::new("INSERT INTO telemetry_alerts (dedup_key, user_id, unit_id, system_id, shape, kind, rule, title, severity, asset, src_ip, dst_ip, host, first_seen, last_seen, event_count) VALUES ");
    for (i, (key, a, asset)) in part.iter().enumerate() {
        let e = a.event;
        q.push(if i == 0 { "(" } else { ",(" }).bind(key.as_str());
        q.push(&format!(
            ",{user_id},{},{},'{}',",
            int_literal(a.owner.map(|o| o.unit_id)),
            int_literal(a.owner.map(|o| o.system_id)),
            e.shape.code()
        ));
        q.bind(trimmed(Some(&e.kind), 100)).push(",").bind(trimmed(Some(e.rule.as_deref().unwrap_or(&e.kind)), 200));
        q.push(",").bind(trimmed(e.title.as_deref(), 500));
        q.push(&format!(",{},", e.severity.unwrap_or(1))).bind(trimmed(Some(&asset.text()), 200));
        q.push(&format!(",{},{},", ip_literal(e.src_ip), ip_literal(e.dst_ip))).bind(e.host.clone());
        q.push(&format!(",{},{},{})", a.first, a.last, a.count));
    }
    q.push(" ON CONFLICT (dedup_key) DO UPDATE SET event_count = telemetry_alerts.event_count + excluded.event_count, first_seen = CASE WHEN excluded.first_seen < telemetry_alerts.first_seen THEN excluded.first_seen ELSE telemetry_alerts.first_seen END, last_seen = CASE WHEN excluded.last_seen > telemetry_alerts.last_seen THEN excluded.last_seen ELSE telemetry_alerts.last_seen END");
    q
}

/// Endpoint status reports as upserts: a host's latest report replaces what was known of it.
fn endpoint_upserts(endpoints: &HashMap<(i64, &str), (Owner, &Event, i64)>) -> Vec<Sql> {
    let mut rows: Vec<_> = endpoints.values().collect();
    rows.sort_by(|a, b| (a.0.unit_id, &a.1.host).cmp(&(b.0.unit_id, &b.1.host)));
    rows.chunks(UPSERT_ROWS)
        .map(|part| {
            let mut q = Sql::new("INSERT INTO endpoints (unit_id, system_id, host, ip, agent, product, signature_date, reports_to_ncsc, first_seen, last_seen) VALUES ");
            for (i, (o, e, at)) in part.iter().enumerate() {
                let r = e.endpoint.clone().unwrap_or(khien_formats::telemetry::EndpointReport {
                    agent: None,
                    product: None,
                    signature_date: None,
                    reports_to_ncsc: false,
                });
                q.push(&format!("{}({},{},", if i == 0 { "" } else { "," }, o.unit_id, o.system_id));
                q.bind(trimmed(e.host.as_deref(), 200)).push(&format!(",{},", ip_literal(e.host_ip)));
                q.bind(r.agent.map(|a| trimmed(Some(&a), 200))).push(",").bind(r.product.map(|p| trimmed(Some(&p), 200)));
                q.push(",").bind(r.signature_date).push(&format!(",{},{at},{at})", i64::from(r.reports_to_ncsc)));
            }
            q.push(" ON CONFLICT (unit_id, host) DO UPDATE SET system_id = excluded.system_id, ip = excluded.ip, agent = excluded.agent, product = excluded.product, signature_date = excluded.signature_date, reports_to_ncsc = excluded.reports_to_ncsc, last_seen = excluded.last_seen WHERE excluded.last_seen >= endpoints.last_seen");
            q
        })
        .collect()
}
