//! SOC telemetry (issue 18): batches of events from the SOC providers, attributed to the
//! registry's systems by their IP ranges, kept raw (compressed, by day and retention class),
//! folded into de-duplicated alerts and per-system daily counts. `ingest` writes; this module
//! reads (the alerts queue, ingest health, the daily counts) and keeps the attribution index.

mod botnet;
mod endpoints;
mod ingest;
mod orphans;
mod promote;
mod reads;
mod retention;
mod rules;
mod watch;

pub use botnet::{BotnetCase, BotnetFilter, BotnetSummary, Detection};
pub use endpoints::{Endpoint, EndpointCoverage};

pub use ingest::{IngestOutcome, IngestSource, LineError, MAX_LINE_ERRORS};
pub use reads::{AlertFilter, RatePoint, SourceHealth, TelemetryAlert, TelemetryDay, RATE_MAX_MINUTES};
pub use retention::{RetentionInput, RetentionRule};
pub(crate) use rules::KnownRules;

use crate::db::{db_err, get, Store};
use crate::sql::Sql;
use khien_domain::telemetry::{day_vn, default_retention_days, Owner, RangeIndex};
use khien_domain::Result;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The attribution index and what it was built from: rebuilt when the registry's systems change
/// (their count, latest update or levels), never per event.
pub(crate) struct Registry {
    fingerprint: (i64, i64, i64),
    /// When the fingerprint was last compared.
    checked_at: std::sync::Mutex<Instant>,
    /// The store's registry generation it was built at.
    generation: u64,
    pub index: RangeIndex,
    /// Each system's approved level (0 while it has none): its events' retention class.
    pub levels: HashMap<i64, i64>,
}

/// Whether `actor` sees a telemetry record of `unit` (at `path`): the unit's viewers, or the
/// city-wide for a record of no unit. The alert and the botnet case share it.
pub(crate) fn sees(actor: &khien_domain::scope::Actor, unit: Option<i64>, path: Option<String>) -> bool {
    use khien_domain::role::Action;
    match (unit, path) {
        (Some(unit), Some(path)) => actor.can(Action::ViewIncidents, unit, &path),
        _ => actor.reach(Action::ViewIncidents).is_whole_tree(),
    }
}

impl Store {
    /// Marks the registry changed (after the change is committed).
    pub(crate) fn registry_changed(&self) {
        self.registry_generation.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }

    /// The attribution index, rebuilt first if the registry changed since it was built.
    pub(crate) async fn telemetry_registry(&self) -> Result<Arc<Registry>> {
        // This process's own registry writes bump the generation; another node's (PostgreSQL)
        // are seen by the fingerprint, compared at most every 5 s so that a stream of batches
        // does not read the registry for each. The machine's clock, not the store's (a test's
        // fixed clock would never move on).
        let generation = self.registry_generation.load(std::sync::atomic::Ordering::Acquire);
        let fresh = |reg: &&Arc<Registry>| {
            reg.generation == generation && reg.checked_at.lock().is_ok_and(|at| at.elapsed() < Duration::from_secs(5))
        };
        if let Ok(cached) = self.telemetry_registry.lock() {
            if let Some(reg) = cached.as_ref().filter(fresh) {
                return Ok(Arc::clone(reg));
            }
        }
        // A level approved does not touch `updated_at`: the sum of levels sees it.
        let r = self.read_one(&Sql::new("SELECT COUNT(*) AS n, COALESCE(MAX(updated_at), 0) AS t, CAST(COALESCE(SUM(approved_level), 0) AS BIGINT) AS l FROM systems")).await?;
        let fingerprint: (i64, i64, i64) = (get(&r, "n")?, get(&r, "t")?, get(&r, "l")?);
        if let Ok(cached) = self.telemetry_registry.lock() {
            if let Some(reg) =
                cached.as_ref().filter(|reg| reg.fingerprint == fingerprint && reg.generation == generation)
            {
                if let Ok(mut at) = reg.checked_at.lock() {
                    *at = Instant::now();
                }
                return Ok(Arc::clone(reg));
            }
        }
        let rows = self
            .read_all(&Sql::new(
                "SELECT id, owner_unit_id, ip_ranges, COALESCE(approved_level, 0) AS level FROM systems ORDER BY id",
            ))
            .await?;
        let mut ranges: Vec<(String, Owner)> = Vec::new();
        let mut levels = HashMap::with_capacity(rows.len());
        for r in &rows {
            let system_id: i64 = get(r, "id")?;
            let owner = Owner { unit_id: get(r, "owner_unit_id")?, system_id };
            levels.insert(system_id, get::<i64>(r, "level")?);
            for cidr in get::<String>(r, "ip_ranges")?.lines().filter(|l| !l.trim().is_empty()) {
                ranges.push((cidr.to_string(), owner));
            }
        }
        let index = RangeIndex::build(ranges.iter().map(|(c, o)| (c.as_str(), *o)));
        let reg = Arc::new(Registry { fingerprint, checked_at: Instant::now().into(), generation, index, levels });
        if let Ok(mut cached) = self.telemetry_registry.lock() {
            *cached = Some(Arc::clone(&reg));
        }
        Ok(reg)
    }
}

/// Chunks deleted per statement while purging: each delete is a short write of its own.
const PURGE_STEP: i64 = 200;

impl Store {
    /// Deletes raw telemetry past its retention (by the level of its systems, see
    /// `telemetry_retention`), a few chunks per short transaction so that ingest never waits
    /// long; then the records of batches a year past the longest retention. Returns the chunks
    /// deleted.
    pub(crate) async fn purge_telemetry(&self) -> Result<u64> {
        let now = self.clock.now_ms();
        let mut purged = 0;
        let retention = self.telemetry_retention().await?;
        for rule in &retention {
            let (level, days) = (rule.level, rule.days);
            let cutoff = day_vn(now - days * 86_400_000);
            loop {
                let mut w = self.begin_plain_write().await?;
                let n = sqlx::query("DELETE FROM telemetry_chunks WHERE id IN (SELECT id FROM telemetry_chunks WHERE level = $1 AND day < $2 LIMIT $3)")
                    .bind(level)
                    .bind(cutoff.as_str())
                    .bind(PURGE_STEP)
                    .execute(&mut *w.tx)
                    .await
                    .map_err(db_err)?
                    .rows_affected();
                w.commit().await?;
                purged += n;
                if n < PURGE_STEP as u64 {
                    break;
                }
                tokio::task::yield_now().await;
            }
        }
        // The live rate's minutes: two days. (A block of its own: the write turn ends with it.)
        {
            let mut w = self.begin_plain_write().await?;
            sqlx::query("DELETE FROM telemetry_minutes WHERE minute < $1")
                .bind((now - 2 * 86_400_000).div_euclid(60_000))
                .execute(&mut *w.tx)
                .await
                .map_err(db_err)?;
            w.commit().await?;
        }
        let longest = retention.iter().map(|r| r.days).max().unwrap_or(default_retention_days(5));
        let old = now - (longest + 365) * 86_400_000;
        let mut w = self.begin_plain_write().await?;
        sqlx::query("DELETE FROM telemetry_batches WHERE received_at < $1 AND NOT EXISTS (SELECT 1 FROM telemetry_chunks c WHERE c.batch_id = telemetry_batches.id)")
            .bind(old)
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        w.commit().await?;
        Ok(purged)
    }
}

impl Store {
    /// The last day a system's telemetry arrived (layer 2 of its 4-layer status).
    pub(crate) async fn telemetry_last_day(&self, system_id: i64) -> Result<Option<String>> {
        let r = self
            .read_one(&Sql::new("SELECT MAX(day) AS day FROM telemetry_daily WHERE system_id = $1").arg(system_id))
            .await?;
        get(&r, "day")
    }

    pub(crate) async fn telemetry_alert_count(&self) -> Result<i64> {
        let r = self.read_one(&Sql::new("SELECT COUNT(*) AS n FROM telemetry_alerts")).await?;
        get(&r, "n")
    }

    pub(crate) async fn telemetry_batch_totals(&self) -> Result<(i64, i64)> {
        let r = self.read_one(&Sql::new("SELECT CAST(COUNT(*) AS BIGINT) AS n, CAST(COALESCE(SUM(accepted), 0) AS BIGINT) AS events FROM telemetry_batches",)).await?;
        Ok((get(&r, "n")?, get(&r, "events")?))
    }

    /// For `khien bench`: gives every system five ranges — its own /24 (10.a.b.0/24 by its
    /// place in id order) and four /28 inside it — in one transaction. Not for real data: no
    /// checks, no trail. Returns the ranges written.
    pub(crate) async fn spread_ranges_for_benchmark(&self) -> Result<usize> {
        let ids: Vec<i64> = self
            .read_all(&Sql::new("SELECT id FROM systems ORDER BY id"))
            .await?
            .iter()
            .map(|r| get(r, "id"))
            .collect::<Result<_>>()?;
        let mut w = self.begin_plain_write().await?;
        for (i, id) in ids.iter().enumerate() {
            let (a, b) = (i / 256, i % 256);
            let mut ranges = vec![format!("10.{a}.{b}.0/24")];
            ranges.extend((0..4).map(|k| format!("10.{a}.{b}.{}/28", k * 16)));
            sqlx::query("UPDATE systems SET ip_ranges = $1 WHERE id = $2")
                .bind(ranges.join("\n"))
                .bind(*id)
                .execute(&mut *w.tx)
                .await
                .map_err(db_err)?;
        }
        w.commit().await?;
        self.registry_changed();
        Ok(ids.len() * 5)
    }
}

/// What telemetry gives one unit's indicators (HCM 3131 indicators 3–5).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct UnitTelemetry {
    pub hosts: i64,
    pub protected_hosts: i64,
    pub botnet_cases: i64,
    pub botnet_handled: i64,
    pub monitored_systems: i64,
}

impl Store {
    /// Per unit: hosts and those protected (indicator 3), botnet cases and those handled in
    /// time (4), systems with telemetry in the last `MONITORING_SILENT_DAYS` days (5). Every
    /// unit's: the indicators' own scoping keeps the caller's.
    pub(crate) async fn unit_telemetry(&self) -> Result<HashMap<i64, UnitTelemetry>> {
        use khien_domain::botnet::CLEAN_WITHIN_DAYS;
        use khien_domain::telemetry::{monitored_since, ENDPOINT_SILENT_DAYS};
        let now = self.clock.now_ms();
        let mut out: HashMap<i64, UnitTelemetry> = HashMap::new();
        let hosts = self.read_all(&Sql::new("SELECT unit_id, COUNT(*) AS n, CAST(SUM(CASE WHEN reports_to_ncsc = 1 AND last_seen >= $1 THEN 1 ELSE 0 END) AS BIGINT) AS ok FROM endpoints GROUP BY unit_id").arg(now - ENDPOINT_SILENT_DAYS * 86_400_000)).await?;
        for r in &hosts {
            let u = out.entry(get(r, "unit_id")?).or_default();
            (u.hosts, u.protected_hosts) = (get(r, "n")?, get(r, "ok")?);
        }
        let cases = self.read_all(&Sql::new("SELECT unit_id, COUNT(*) AS n, CAST(SUM(CASE WHEN state = 'verified' AND cleaned_at - notified_at <= $1 THEN 1 ELSE 0 END) AS BIGINT) AS ok FROM botnet_cases WHERE unit_id IS NOT NULL GROUP BY unit_id").arg(CLEAN_WITHIN_DAYS * 86_400_000)).await?;
        for r in &cases {
            let u = out.entry(get(r, "unit_id")?).or_default();
            (u.botnet_cases, u.botnet_handled) = (get(r, "n")?, get(r, "ok")?);
        }
        let since = monitored_since(self.clock.today_vn()).format("%Y-%m-%d").to_string();
        let monitored = self.read_all(&Sql::new("SELECT unit_id, COUNT(DISTINCT system_id) AS n FROM telemetry_daily WHERE day >= $1 GROUP BY unit_id",).arg(since)).await?;
        for r in &monitored {
            out.entry(get(r, "unit_id")?).or_default().monitored_systems = get(r, "n")?;
        }
        Ok(out)
    }
}
