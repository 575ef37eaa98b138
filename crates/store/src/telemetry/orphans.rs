//! Telemetry that no registered range held when it arrived (the authority's "unattributed"
//! queue, issue 18.2) is attributed once the ranges that hold it are registered: each alert by
//! its host, source or destination, each botnet case by its address, which is then notified to
//! its unit as a fresh detection would be.

use super::Registry;
use crate::audit::{json, Change};
use crate::db::{db_err, get, Store};
use crate::sql::Sql;
use khien_domain::botnet::BotnetState;
use khien_domain::scope::Actor;
use khien_domain::Result;
use std::net::IpAddr;

/// Orphans read per page: memory stays bounded however long the queue.
const PAGE: i64 = 2000;

/// What a change of the registry's ranges attributed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Attributed {
    pub alerts: usize,
    pub botnet_cases: usize,
}

impl Store {
    /// After the registry's ranges changed (committed): gives the unattributed alerts and
    /// botnet cases that the ranges now hold their unit and system, in one audited write.
    /// Alerts keep the daily counts of the day they arrived (those count systems, and these
    /// had none).
    pub(crate) async fn attribute_orphans(&self, actor: &Actor) -> Result<Attributed> {
        // Most registry writes find no orphan: then the index is not rebuilt for them (an
        // import in many small parts would rebuild it for each).
        let any = self.read_one(&Sql::new("SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM telemetry_alerts WHERE unit_id IS NULL LIMIT 1) a) + (SELECT COUNT(*) FROM (SELECT 1 FROM botnet_cases WHERE unit_id IS NULL LIMIT 1) b) AS n")).await?;
        if get::<i64>(&any, "n")? == 0 {
            return Ok(Attributed::default());
        }
        let registry = self.telemetry_registry().await?;
        let alerts = self.orphan_alerts(&registry).await?;
        let cases = self.orphan_cases(&registry).await?;
        let done = Attributed { alerts: alerts.len(), botnet_cases: cases.len() };
        if done == Attributed::default() {
            return Ok(done);
        }
        let now = self.clock.now_ms();
        let mut w = self.begin_write().await?;
        for (id, unit, system) in &alerts {
            sqlx::query("UPDATE telemetry_alerts SET unit_id = $1, system_id = $2 WHERE id = $3 AND unit_id IS NULL")
                .bind(*unit)
                .bind(*system)
                .bind(*id)
                .execute(&mut *w.tx)
                .await
                .map_err(db_err)?;
        }
        for (id, unit, system, ip, family) in &cases {
            let n = sqlx::query("UPDATE botnet_cases SET unit_id = $1, system_id = $2, state = $3, notified_at = $4 WHERE id = $5 AND unit_id IS NULL")
                .bind(*unit)
                .bind(*system)
                .bind(BotnetState::Notified.code())
                .bind(now)
                .bind(*id)
                .execute(&mut *w.tx)
                .await
                .map_err(db_err)?
                .rows_affected();
            if n > 0 {
                self.notify_botnet(&mut w, actor, (*id, *unit, ip, family)).await?;
            }
        }
        let change = Change {
            action: "telemetry.attribute",
            entity_type: "telemetry_alert",
            entity_id: None,
            unit_id: None,
            before: None,
            after: json(&serde_json::json!({"alerts": done.alerts, "botnet_cases": done.botnet_cases})),
        };
        w.audit(Some(actor), change).await?;
        w.commit().await?;
        Ok(done)
    }

    /// (alert, unit, system) of each unattributed alert the registry now holds.
    async fn orphan_alerts(&self, registry: &Registry) -> Result<Vec<(i64, i64, i64)>> {
        self.each_orphan("id, host, src_ip, dst_ip", "telemetry_alerts", |r| {
            let addresses: [Option<String>; 3] = [get(r, "host")?, get(r, "src_ip")?, get(r, "dst_ip")?];
            let ips = addresses.iter().flatten().filter_map(|a| a.parse::<IpAddr>().ok());
            let id = get(r, "id")?;
            Ok(registry.index.attribute(ips).map(|o| (id, o.unit_id, o.system_id)))
        })
        .await
    }

    /// (case, unit, system, address, family) of each botnet case of no unit the registry now
    /// holds.
    async fn orphan_cases(&self, registry: &Registry) -> Result<Vec<(i64, i64, i64, String, String)>> {
        self.each_orphan("id, ip, family", "botnet_cases", |r| {
            let ip: String = get(r, "ip")?;
            match ip.parse::<IpAddr>().ok().and_then(|a| registry.index.owner(a)) {
                Some(o) => Ok(Some((get(r, "id")?, o.unit_id, o.system_id, ip, get(r, "family")?))),
                None => Ok(None),
            }
        })
        .await
    }

    /// Reads the rows of `table` that have no unit, `PAGE` at a time in id order, and keeps
    /// what `take` makes of each.
    async fn each_orphan<T>(
        &self,
        cols: &str,
        table: &str,
        take: impl Fn(&sqlx::any::AnyRow) -> Result<Option<T>>,
    ) -> Result<Vec<T>> {
        let sql = format!("SELECT {cols} FROM {table} WHERE unit_id IS NULL AND id > $1 ORDER BY id LIMIT $2");
        let (mut found, mut after) = (Vec::new(), 0i64);
        loop {
            let rows = self.read_all(&Sql::new(&sql).arg(after).arg(PAGE)).await?;
            for r in &rows {
                after = get(r, "id")?;
                found.extend(take(r)?);
            }
            if rows.len() < PAGE as usize {
                return Ok(found);
            }
        }
    }

    /// Attributes the orphans after a registry write has committed. The write stands whatever
    /// happens here: a failure is logged, and the next range change tries again.
    pub(crate) async fn attribute_orphans_after_write(&self, actor: &Actor) {
        if let Err(e) = self.attribute_orphans(actor).await {
            tracing::warn!(error = %e, "attributing unattributed telemetry after a registry change failed");
        }
    }
}
