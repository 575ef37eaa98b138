//! Writing a period's figures: what the computed measures read, the units' figures replaced
//! and audited, and the city's figure kept beside them.

use crate::audit::{json, Change};
use crate::db::{db_err, get};
use khien_domain::indicator::Measure;
use khien_domain::scope::Actor;
use khien_domain::Result;

/// What the computed measures of a period read (see `Store::measure_sources`).
pub(super) struct MeasureSources {
    /// One row per unit, the city's total left out.
    pub(super) overview: Vec<crate::OverviewRow>,
    pub(super) budget: Option<crate::BudgetSummary>,
    /// Per unit, what telemetry gives (issue 18): empty unless a telemetry measure is asked.
    pub(super) telemetry: std::collections::HashMap<i64, crate::telemetry::UnitTelemetry>,
}

impl MeasureSources {
    /// Per unit: (unit, numerator, denominator) of a computed measure.
    pub(super) fn figures(&self, measure: Measure) -> Vec<(i64, i64, i64)> {
        if measure == Measure::BudgetShare {
            let units = self.budget.iter().flat_map(|b| &b.units);
            return units.map(|u| (u.unit_id, u.security_cost, u.total_cost)).collect();
        }
        let t = |unit: i64| self.telemetry.get(&unit).copied().unwrap_or_default();
        self.overview
            .iter()
            .filter_map(|o| {
                let (n, d) = match measure {
                    Measure::EndpointsProtected => (t(o.unit_id).protected_hosts, t(o.unit_id).hosts),
                    Measure::BotnetHandled => (t(o.unit_id).botnet_handled, t(o.unit_id).botnet_cases),
                    Measure::TelemetryMonitored => (t(o.unit_id).monitored_systems, o.systems),
                    Measure::Approved => (o.approved, o.systems),
                    Measure::PlanImplemented => (o.plan_implemented, o.approved),
                    Measure::MonitoredConnected => (o.monitored_connected, o.systems),
                    Measure::Assessed => (o.assessed, o.approved),
                    Measure::FourLayers => (o.four_layers, o.systems),
                    Measure::SecureConnections => (o.connections_secure, o.connections),
                    Measure::BudgetShare | Measure::Manual => return None,
                };
                Some((o.unit_id, n, d))
            })
            .collect()
    }
}

/// Rows a statement writes at once: the numbers go in as literals (integers only), so the
/// statement stays under both engines' limits without a parameter per value.
const VALUES_PER_STATEMENT: usize = 500;

/// Replaces an indicator's computed figures of a period with `figures` and audits the change
/// (the earlier sum in `before`).
pub(super) async fn keep_figures(
    w: &mut crate::db::WriteTx<'_>,
    actor: &Actor,
    root: i64,
    (id, period): (i64, &str),
    figures: &[(i64, i64, i64)],
) -> Result<()> {
    let before = sqlx::query("SELECT CAST(SUM(numerator) AS BIGINT) AS n, CAST(SUM(denominator) AS BIGINT) AS d, COUNT(*) AS units FROM indicator_values WHERE indicator_id = $1 AND period = $2 AND manual = 0")
        .bind(id)
        .bind(period)
        .fetch_one(&mut *w.tx)
        .await
        .map_err(db_err)?;
    let before = serde_json::json!({"numerator": get::<Option<i64>>(&before, "n")?, "denominator": get::<Option<i64>>(&before, "d")?, "units": get::<i64>(&before, "units")?});
    sqlx::query("DELETE FROM indicator_values WHERE indicator_id = $1 AND period = $2 AND manual = 0")
        .bind(id)
        .bind(period)
        .execute(&mut *w.tx)
        .await
        .map_err(db_err)?;
    let now = w.clock.now_ms();
    for chunk in figures.chunks(VALUES_PER_STATEMENT) {
        let rows: Vec<String> =
            chunk.iter().map(|(unit, n, d)| format!("({id},{unit},$1,{n},{d},0,'',{},{now})", actor.user_id)).collect();
        let sql = format!("INSERT INTO indicator_values (indicator_id, unit_id, period, numerator, denominator, manual, note, recorded_by, recorded_at) VALUES {}", rows.join(","));
        sqlx::query(&sql).bind(period).execute(&mut *w.tx).await.map_err(db_err)?;
    }
    let (n, d) = figures.iter().fold((0i64, 0i64), |(n, d), (_, a, b)| (n + a, d + b));
    // A computed indicator holds no hand-entered figure (`record_indicator_value` refuses it),
    // so the city's figure is the sum just written.
    clear_total(w, (id, period)).await?;
    if !figures.is_empty() {
        sqlx::query("INSERT INTO indicator_totals (indicator_id, period, numerator, denominator, manual) VALUES ($1,$2,$3,$4,0)")
            .bind(id)
            .bind(period)
            .bind(n)
            .bind(d)
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
    }
    w.audit(
        Some(actor),
        Change {
            action: "indicator.snapshot",
            entity_type: "indicator",
            entity_id: Some(id),
            unit_id: Some(root),
            before: Some(before),
            after: json(
                &serde_json::json!({"period": period, "numerator": n, "denominator": d, "units": figures.len()}),
            ),
        },
    )
    .await
}

/// Rewrites the city's figure of an indicator for a period from its units' figures (in the
/// same transaction as they change).
pub(super) async fn refresh_total(w: &mut crate::db::WriteTx<'_>, (id, period): (i64, &str)) -> Result<()> {
    clear_total(w, (id, period)).await?;
    sqlx::query("INSERT INTO indicator_totals (indicator_id, period, numerator, denominator, manual) SELECT indicator_id, period, CAST(SUM(numerator) AS BIGINT), CAST(SUM(denominator) AS BIGINT), MAX(manual) FROM indicator_values WHERE indicator_id = $1 AND period = $2 GROUP BY indicator_id, period")
        .bind(id)
        .bind(period)
        .execute(&mut *w.tx)
        .await
        .map_err(db_err)?;
    Ok(())
}

async fn clear_total(w: &mut crate::db::WriteTx<'_>, (id, period): (i64, &str)) -> Result<()> {
    sqlx::query("DELETE FROM indicator_totals WHERE indicator_id = $1 AND period = $2")
        .bind(id)
        .bind(period)
        .execute(&mut *w.tx)
        .await
        .map_err(db_err)?;
    Ok(())
}
