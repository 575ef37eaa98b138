//! The reporting clocks of incidents: each clock's due time recomputed from the incident's
//! facts and its reports under the ruleset of its detection date, and the standing body's
//! settings of each ruleset's clocks.

use crate::audit::{json, Change};
use crate::db::{db_err, get, Store, WriteTx};
use crate::sql::Sql;
use khien_domain::incident::clocks::{due_times, ClockFacts, ClockRules};
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::{Error, Result};

impl Store {
    /// Recomputes the clocks' due times from the incident's facts and its reports.
    pub(crate) async fn refresh_clocks(&self, w: &mut WriteTx<'_>, id: i64) -> Result<()> {
        let r = sqlx::query("SELECT detected_at, serious_since, beyond_capacity_since, security_since, personal_data_since, response_ended_at FROM incidents WHERE id = $1").bind(id).fetch_one(&mut *w.tx).await.map_err(db_err)?;
        let facts = ClockFacts {
            detected_ms: get(&r, "detected_at")?,
            serious_since_ms: get(&r, "serious_since")?,
            beyond_capacity_since_ms: get(&r, "beyond_capacity_since")?,
            security_since_ms: get(&r, "security_since")?,
            personal_data_since_ms: get(&r, "personal_data_since")?,
            response_ended_ms: get(&r, "response_ended_at")?,
        };
        let ruleset = khien_domain::system::level::ruleset_for(khien_domain::calendar::date_vn(facts.detected_ms)).code;
        let rules = self.clock_rules_in(w, ruleset).await?;
        let mut q = Sql::new("UPDATE incidents SET ");
        let mut next_due: Option<i64> = None;
        for (n, (kind, due)) in due_times(&rules, &facts).into_iter().enumerate() {
            let mut mq = Sql::new("SELECT MIN(filed_at) AS m FROM incident_reports WHERE incident_id = ");
            mq.bind(id).push(" AND kind IN (");
            for (k, report) in kind.reports().iter().enumerate() {
                if k > 0 {
                    mq.push(",");
                }
                mq.bind(report.code());
            }
            mq.push(")");
            let met: Option<i64> = get(&mq.query().fetch_one(&mut *w.tx).await.map_err(db_err)?, "m")?;
            if met.is_none() {
                next_due = match (next_due, due) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            }
            if n > 0 {
                q.push(", ");
            }
            q.push(&format!("{0}_due = ", kind.code())).bind(due).push(&format!(", {0}_met = ", kind.code())).bind(met);
        }
        q.push(", next_due = ").bind(next_due).push(" WHERE id = ").bind(id);
        q.query().execute(&mut *w.tx).await.map_err(db_err)?;
        Ok(())
    }
}

impl Store {
    /// The reporting deadlines under a ruleset: the standing body's setting, else (from an
    /// earlier version) its four-column setting over the ruleset's defaults, else the defaults.
    async fn clock_rules_of(&self, exec: &mut sqlx::AnyConnection, ruleset: &str) -> Result<ClockRules> {
        let set = sqlx::query("SELECT rules FROM incident_clock_settings WHERE ruleset = $1")
            .bind(ruleset)
            .fetch_optional(&mut *exec)
            .await
            .map_err(db_err)?;
        if let Some(r) = set {
            return serde_json::from_str(&get::<String>(&r, "rules")?).map_err(Error::internal);
        }
        let old = sqlx::query("SELECT * FROM incident_clock_rules WHERE ruleset = $1")
            .bind(ruleset)
            .fetch_optional(&mut *exec)
            .await
            .map_err(db_err)?;
        let defaults = ClockRules::of_ruleset(ruleset);
        match old {
            None => Ok(defaults),
            Some(r) => Ok(ClockRules {
                initial_hours: Some(get(&r, "initial_hours")?),
                serious_initial_hours: Some(get(&r, "serious_initial_hours")?),
                cause_hours: Some(get(&r, "cause_hours")?),
                closing_days: Some(get(&r, "closing_days")?),
                ..defaults
            }),
        }
    }

    async fn clock_rules_in(&self, w: &mut WriteTx<'_>, ruleset: &str) -> Result<ClockRules> {
        self.clock_rules_of(&mut w.tx, ruleset).await
    }

    /// The reporting deadlines of every ruleset: (ruleset code, rules).
    pub async fn clock_rules(&self) -> Result<Vec<(&'static str, ClockRules)>> {
        let mut conn = self.pool.acquire().await.map_err(db_err)?;
        let mut out = Vec::new();
        for rs in khien_domain::system::level::rulesets() {
            out.push((rs.code, self.clock_rules_of(&mut conn, rs.code).await?));
        }
        Ok(out)
    }

    /// Sets the reporting deadlines under a ruleset (the standing body at the root) and moves
    /// the clocks of every open incident detected under it.
    pub async fn set_clock_rules(&self, actor: &Actor, ruleset: &str, rules: &ClockRules) -> Result<()> {
        rules.check()?;
        let rs = khien_domain::system::level::ruleset_by_code(ruleset).ok_or_else(|| {
            Error::invalid(
                "ruleset",
                format!("Không có bộ quy tắc «{ruleset}»."),
                format!("There is no ruleset «{ruleset}»."),
            )
        })?;
        let mut w = self.begin_write().await?;
        w.require_at_root(actor, Action::Govern).await?;
        sqlx::query("DELETE FROM incident_clock_settings WHERE ruleset = $1")
            .bind(rs.code)
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        sqlx::query("INSERT INTO incident_clock_settings (ruleset, rules, updated_at) VALUES ($1,$2,$3)")
            .bind(rs.code)
            .bind(serde_json::to_string(rules).map_err(Error::internal)?)
            .bind(self.clock.now_ms())
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let open = sqlx::query("SELECT id FROM incidents WHERE state <> 'closed'")
            .fetch_all(&mut *w.tx)
            .await
            .map_err(db_err)?;
        for r in &open {
            self.refresh_clocks(&mut w, get(r, "id")?).await?;
        }
        w.audit(
            Some(actor),
            Change {
                action: "ruleset.clocks",
                entity_type: "ruleset",
                entity_id: None,
                unit_id: None,
                before: None,
                after: json(&(rs.code, rules)),
            },
        )
        .await?;
        w.commit().await
    }
}
