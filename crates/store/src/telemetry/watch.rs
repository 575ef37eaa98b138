//! Telemetry against the watch list (issue 18.2): an alert whose host, source or destination is
//! on the city's watch list (indicators imported from STIX, still valid) or among the
//! observables of an incident its reader sees is a hit; "where else" lists the alerts that saw
//! an address.

use super::reads::{TelemetryAlert, ALERT_COLS};
use crate::db::{from_row, get, Store};
use crate::sql::Sql;
use crate::units::scope::scoped_select;
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::Result;
use std::collections::HashSet;

/// Alerts listed per address in "where else".
const SIGHTINGS: i64 = 100;

impl Store {
    /// Appends the condition that the alert `a` is a watch-list hit for `actor`: the one
    /// definition used by the queue's filter and by each alert's mark.
    pub(super) fn push_watched(&self, q: &mut Sql, actor: &Actor) {
        let addresses = "(a.src_ip, a.dst_ip, a.host)";
        q.push(&format!("(EXISTS (SELECT 1 FROM watchlist w WHERE w.value IN {addresses} AND (w.valid_until IS NULL OR w.valid_until >= "))
            .bind(self.clock.now_ms());
        q.push(&format!(")) OR EXISTS (SELECT 1 FROM observables o JOIN incidents i ON i.id = o.incident_id JOIN units wu ON wu.id = i.unit_id WHERE o.value IN {addresses} AND "));
        q.reach("wu.path", "wu.id", &actor.reach(Action::ViewIncidents)).push("))");
    }

    /// Marks the alerts of a page that are watch-list hits (one query for the page).
    pub(super) async fn mark_watched(&self, actor: &Actor, alerts: &mut [TelemetryAlert]) -> Result<()> {
        if alerts.is_empty() {
            return Ok(());
        }
        let ids: Vec<i64> = alerts.iter().map(|a| a.id).collect();
        let mut q = Sql::new("SELECT a.id FROM telemetry_alerts a WHERE a.id IN (");
        q.bind_ids(&ids).push(") AND ");
        self.push_watched(&mut q, actor);
        let hits: HashSet<i64> = self.read_all(&q).await?.iter().map(|r| get(r, "id")).collect::<Result<_>>()?;
        for a in alerts {
            a.watched = hits.contains(&a.id);
        }
        Ok(())
    }

    /// The alerts of the caller's units whose host, source or destination is `value` (an
    /// address in its normal form), most recently seen first.
    pub(crate) async fn telemetry_sightings(&self, actor: &Actor, value: &str) -> Result<Vec<TelemetryAlert>> {
        let scope = self.unit_scope(actor, Action::ViewIncidents, None).await?;
        let Some(mut q) = scoped_select(ALERT_COLS, "telemetry_alerts", "a", "unit_id", &scope) else {
            return Ok(Vec::new());
        };
        // Each column on its own, so that each of its indexes serves.
        q.push(" AND a.id IN (SELECT id FROM telemetry_alerts WHERE src_ip = ").bind(value);
        q.push(" UNION SELECT id FROM telemetry_alerts WHERE dst_ip = ").bind(value);
        q.push(" UNION SELECT id FROM telemetry_alerts WHERE host = ").bind(value);
        q.push(") ORDER BY a.last_seen DESC, a.id DESC LIMIT ").bind(SIGHTINGS);
        let mut alerts: Vec<TelemetryAlert> = self.read_all(&q).await?.iter().map(from_row).collect::<Result<_>>()?;
        self.mark_watched(actor, &mut alerts).await?;
        Ok(alerts)
    }
}
