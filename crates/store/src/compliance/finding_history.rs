//! Per-unit finding counts kept day by day, for the ranking of units slow to fix (Hải Phòng
//! II.2.1 "hạ bậc thi đua"; HCM indicators 1, 2, 6). Live counts answer "how is it now"; these
//! answer "how long was it so", which a live count cannot once the findings are fixed.

use std::collections::HashMap;

use chrono::NaiveDate;
use khien_domain::calendar::date_vn;
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::{Error, Result};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::{db_err, get, Store};
use crate::sql::Sql;

/// Longest span one history request covers, in days.
pub const MAX_HISTORY_DAYS: i64 = 400;

/// One unit's counts on one day (the last sweep of that day).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FindingCountDay {
    /// `YYYY-MM-DD`, Vietnam time.
    pub day: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub open: i64,
    pub overdue: i64,
    pub critical_open: i64,
}

impl Store {
    /// Rewrites today's per-unit counts from the findings (units without open findings get no
    /// row: absent means zero). Called by every reminder sweep; returns the rows written.
    pub(crate) async fn snapshot_finding_counts(&self) -> Result<u64> {
        let now = self.clock.now_ms();
        let today = date_vn(now).format("%Y-%m-%d").to_string();
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        sqlx::query("DELETE FROM finding_count_snapshots WHERE day = $1")
            .bind(today.as_str())
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        let written = sqlx::query(
            "INSERT INTO finding_count_snapshots (day, unit_id, open_count, overdue_count, critical_open, taken_at) \
             SELECT $1, f.unit_id, COUNT(*), COUNT(CASE WHEN f.due_at < $2 THEN 1 END), COUNT(CASE WHEN f.severity = 'critical' THEN 1 END), $3 \
             FROM findings f WHERE f.open = 1 GROUP BY f.unit_id",
        )
        .bind(today.as_str())
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?
        .rows_affected();
        tx.commit().await.map_err(db_err)?;
        Ok(written)
    }

    /// Per unit in the caller's reach: the days from `from` to `to` (inclusive) on which it had
    /// overdue findings (units with none are left out).
    pub async fn overdue_days(&self, actor: &Actor, from: NaiveDate, to: NaiveDate) -> Result<HashMap<i64, i64>> {
        let mut q = Sql::new("SELECT s.unit_id, COUNT(*) AS days FROM finding_count_snapshots s JOIN units u ON u.id = s.unit_id WHERE s.overdue_count > 0 AND s.day >= ");
        q.bind(from.format("%Y-%m-%d").to_string())
            .push(" AND s.day <= ")
            .bind(to.format("%Y-%m-%d").to_string())
            .push(" AND ");
        q.reach("u.path", "u.id", &actor.reach(Action::ViewSystems));
        q.push(" GROUP BY s.unit_id");
        let rows = self.read_all(&q).await?;
        rows.iter().map(|r| Ok((get(r, "unit_id")?, get(r, "days")?))).collect()
    }

    /// The caller's reach summed per day from `from` to `to`: (day `YYYY-MM-DD`, open, overdue),
    /// days without a count left out.
    pub async fn finding_count_trend(
        &self,
        actor: &Actor,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(String, i64, i64)>> {
        let mut q = Sql::new("SELECT s.day, SUM(s.open_count) AS open_count, SUM(s.overdue_count) AS overdue_count FROM finding_count_snapshots s JOIN units u ON u.id = s.unit_id WHERE s.day >= ");
        q.bind(from.format("%Y-%m-%d").to_string())
            .push(" AND s.day <= ")
            .bind(to.format("%Y-%m-%d").to_string())
            .push(" AND ");
        q.reach("u.path", "u.id", &actor.reach(Action::ViewSystems));
        q.push(" GROUP BY s.day ORDER BY s.day");
        let rows = self.read_all(&q).await?;
        rows.iter()
            .map(|r| {
                let sum = |c: &str| get::<Option<i64>>(r, c).map(|v| v.unwrap_or(0));
                Ok((get(r, "day")?, sum("open_count")?, sum("overdue_count")?))
            })
            .collect()
    }

    /// The kept counts from `from` to `to` (inclusive) of the units in the caller's reach (or
    /// of `unit_id` and its subtree), by day then unit.
    pub async fn finding_count_history(
        &self,
        actor: &Actor,
        unit_id: Option<i64>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<FindingCountDay>> {
        if to < from {
            return Err(Error::invalid(
                "to",
                "Ngày kết thúc trước ngày bắt đầu.",
                "The end date is before the start date.",
            ));
        }
        if (to - from).num_days() >= MAX_HISTORY_DAYS {
            return Err(Error::invalid(
                "to",
                format!("Mỗi lần xem tối đa {MAX_HISTORY_DAYS} ngày."),
                format!("At most {MAX_HISTORY_DAYS} days at a time."),
            ));
        }
        let mut q = Sql::new("SELECT s.day, s.unit_id, u.name AS unit_name, s.open_count, s.overdue_count, s.critical_open FROM finding_count_snapshots s JOIN units u ON u.id = s.unit_id WHERE s.day >= ");
        q.bind(from.format("%Y-%m-%d").to_string())
            .push(" AND s.day <= ")
            .bind(to.format("%Y-%m-%d").to_string())
            .push(" AND ");
        q.reach("u.path", "u.id", &actor.reach(Action::ViewSystems));
        if let Some(id) = unit_id {
            let unit = self.get_unit(actor, id).await?;
            q.push(" AND u.path LIKE ").bind(format!("{}%", unit.path));
        }
        q.push(" ORDER BY s.day, u.name, s.unit_id LIMIT 100000");
        let rows = self.read_all(&q).await?;
        rows.iter()
            .map(|r| {
                Ok(FindingCountDay {
                    day: get(r, "day")?,
                    unit_id: get(r, "unit_id")?,
                    unit_name: get(r, "unit_name")?,
                    open: get(r, "open_count")?,
                    overdue: get(r, "overdue_count")?,
                    critical_open: get(r, "critical_open")?,
                })
            })
            .collect()
    }
}
