//! A plan's standing for a period: per task how its units stand, who has not reported, a
//! unit's own tasks, and the reminder sweep's look-up of units late with their report.

use crate::db::{db_err, get, get_code, Store};
use crate::sql::Sql;
use khien_domain::plan::progress::{ProgressStatus, ReportReminder, TaskRole};
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::Result;
use serde::Serialize;
use utoipa::ToSchema;

/// Per task, how many of the units the caller sees have reported, and how.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TaskTally {
    pub task_id: i64,
    pub expected: i64,
    pub reported: i64,
    pub done: i64,
    pub in_progress: i64,
    pub not_started: i64,
    pub blocked: i64,
}

/// A unit that has not reported on some of its tasks for the period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MissingReporter {
    pub unit_id: i64,
    pub code: String,
    pub name: String,
    /// The numbers of the tasks without its report.
    pub tasks: Vec<String>,
    /// How many of those it leads.
    pub leads: i64,
}

/// A plan whose current report is due soon or late, and the units that have not sent it:
/// (unit id, unit path, tasks not reported).
pub(crate) struct PlanReminder {
    pub plan_id: i64,
    pub plan_number: String,
    pub period: String,
    pub due: chrono::NaiveDate,
    pub when: ReportReminder,
    pub units: Vec<(i64, String, i64)>,
}

/// A task one of the caller's own units reports on, in its plan's current period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyPlanTask {
    pub plan_id: i64,
    pub plan_number: String,
    pub task_id: i64,
    pub number: String,
    pub body: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub role: TaskRole,
    pub period: String,
    pub due_on: String,
    /// The unit's report for the period; none when it has not reported.
    pub status: Option<ProgressStatus>,
}

impl Store {
    /// `FROM … WHERE …` over the plan's (task, unit) pairs the caller sees, each with the unit's
    /// report for the period if any (`pp`). Two shapes: the city-wide reader walks the plan's
    /// tasks; a unit's reader starts from its own units through the (unit, plan) index. On
    /// SQLite `CROSS JOIN` keeps that order; PostgreSQL takes no `ON` after `CROSS JOIN` and
    /// orders the joins well itself.
    fn pairs_of(&self, actor: &Actor, plan_id: i64, period: &str) -> Sql {
        let reach = actor.reach(Action::ViewUnits);
        let city_wide = reach.is_whole_tree();
        let join = if self.dialect == crate::Dialect::Sqlite { "CROSS JOIN" } else { "JOIN" };
        let mut q = if city_wide {
            Sql::new(&format!(
                "FROM plan_tasks t {join} plan_task_units tu ON tu.task_id = t.id {join} units u ON u.id = tu.unit_id"
            ))
        } else {
            let mut q =
                Sql::new(&format!("FROM units u {join} plan_task_units tu ON tu.unit_id = u.id AND tu.plan_id = "));
            q.bind(plan_id).push(&format!(" {join} plan_tasks t ON t.id = tu.task_id"));
            q
        };
        q.push(" LEFT JOIN plan_progress pp ON pp.task_id = tu.task_id AND pp.unit_id = tu.unit_id AND pp.period = ");
        q.bind(period).push(" WHERE t.plan_id = ").bind(plan_id);
        if !city_wide {
            q.push(" AND ").reach("u.path", "u.id", &reach);
        }
        q
    }

    /// For the period, per task how the units the caller sees stand, and who has not reported.
    pub async fn plan_status(
        &self,
        actor: &Actor,
        plan_id: i64,
        period: &str,
    ) -> Result<(Vec<TaskTally>, Vec<MissingReporter>)> {
        tokio::try_join!(self.plan_tallies(actor, plan_id, period), self.missing_reporters(actor, plan_id, period))
    }

    /// Per task of the plan, how the units the caller sees stand for the period (counted in
    /// the database: the pairs are many, the tasks few).
    pub async fn plan_tallies(&self, actor: &Actor, plan_id: i64, period: &str) -> Result<Vec<TaskTally>> {
        let plan = self.get_plan(actor, plan_id).await?;
        let period = plan.reporting()?.parse_period(period)?;
        let city_wide = actor.reach(Action::ViewUnits).is_whole_tree();
        let q = if city_wide {
            // The whole city: the counts kept with each report, 60 rows for 60 tasks.
            let mut q = Sql::new("SELECT t.id AS task_id, (SELECT COUNT(*) FROM plan_task_units tu WHERE tu.task_id = t.id) AS expected, \
                CAST(SUM(c.n) AS BIGINT) AS reported, CAST(SUM(CASE WHEN c.status = 'done' THEN c.n ELSE 0 END) AS BIGINT) AS done, \
                CAST(SUM(CASE WHEN c.status = 'in_progress' THEN c.n ELSE 0 END) AS BIGINT) AS in_progress, \
                CAST(SUM(CASE WHEN c.status = 'not_started' THEN c.n ELSE 0 END) AS BIGINT) AS not_started, \
                CAST(SUM(CASE WHEN c.status = 'blocked' THEN c.n ELSE 0 END) AS BIGINT) AS blocked \
                FROM plan_tasks t LEFT JOIN plan_progress_counts c ON c.task_id = t.id AND c.period = ");
            q.bind(period.code.as_str()).push(" WHERE t.plan_id = ").bind(plan_id);
            q.push(" AND EXISTS (SELECT 1 FROM plan_task_units tu WHERE tu.task_id = t.id) GROUP BY t.id");
            q
        } else {
            self.pair_tallies(actor, plan_id, &period.code)
        };
        let rows = self.read_all(&q).await?;
        rows.iter()
            .map(|r| {
                let n = |c: &str| -> Result<i64> { Ok(get::<Option<i64>>(r, c)?.unwrap_or(0)) };
                Ok(TaskTally {
                    task_id: get(r, "task_id")?,
                    expected: n("expected")?,
                    reported: n("reported")?,
                    done: n("done")?,
                    in_progress: n("in_progress")?,
                    not_started: n("not_started")?,
                    blocked: n("blocked")?,
                })
            })
            .collect()
    }

    /// The tallies counted over the (task, unit) pairs a unit's reader sees.
    fn pair_tallies(&self, actor: &Actor, plan_id: i64, period: &str) -> Sql {
        let mut q = Sql::select(
            "tu.task_id, COUNT(*) AS expected, COUNT(pp.id) AS reported, \
             SUM(CASE WHEN pp.status = 'done' THEN 1 ELSE 0 END) AS done, \
             SUM(CASE WHEN pp.status = 'in_progress' THEN 1 ELSE 0 END) AS in_progress, \
             SUM(CASE WHEN pp.status = 'not_started' THEN 1 ELSE 0 END) AS not_started, \
             SUM(CASE WHEN pp.status = 'blocked' THEN 1 ELSE 0 END) AS blocked",
            &self.pairs_of(actor, plan_id, period),
        );
        q.push(" GROUP BY tu.task_id");
        q
    }

    /// The units (that the caller sees) without a report on some of their tasks for the period.
    pub async fn missing_reporters(&self, actor: &Actor, plan_id: i64, period: &str) -> Result<Vec<MissingReporter>> {
        let plan = self.get_plan(actor, plan_id).await?;
        let period = plan.reporting()?.parse_period(period)?;
        if actor.reach(Action::ViewUnits).is_whole_tree() {
            return self.missing_city_wide(plan_id, &period.code).await;
        }
        let mut q =
            Sql::select("u.id, u.code, u.name, t.number, tu.role", &self.pairs_of(actor, plan_id, &period.code));
        q.push(" AND pp.id IS NULL ORDER BY u.code, t.position");
        let rows = self.read_all(&q).await?;
        let mut out: Vec<MissingReporter> = Vec::new();
        for r in &rows {
            let id: i64 = get(r, "id")?;
            let lead = get::<String>(r, "role")? == TaskRole::Lead.code();
            if out.last().is_none_or(|m| m.unit_id != id) {
                out.push(MissingReporter {
                    unit_id: id,
                    code: get(r, "code")?,
                    name: get(r, "name")?,
                    tasks: Vec::new(),
                    leads: 0,
                });
            }
            if let Some(m) = out.last_mut() {
                m.tasks.push(get(r, "number")?);
                m.leads += i64::from(lead);
            }
        }
        Ok(out)
    }

    /// Who has not reported, for a reader of the whole city: per task, the units on it and those
    /// that reported, each as one list (the index holds a task's reports for a period side by
    /// side), compared here — instead of probing the reports once for each of the plan's
    /// 12,000 pairs.
    async fn missing_city_wide(&self, plan_id: i64, period: &str) -> Result<Vec<MissingReporter>> {
        use std::collections::{BTreeMap, HashSet};
        let list = |col: &str| match self.dialect {
            crate::Dialect::Sqlite => format!("group_concat({col}, ',')"),
            crate::Dialect::Postgres => format!("string_agg(CAST({col} AS TEXT), ',')"),
        };
        let on_task = format!(
            "SELECT t.id, t.number, {} AS units, {} AS leads FROM plan_tasks t JOIN plan_task_units tu ON tu.task_id = t.id WHERE t.plan_id = $1 GROUP BY t.id, t.number, t.position ORDER BY t.position",
            list("tu.unit_id"),
            list("CASE WHEN tu.role = 'lead' THEN tu.unit_id END")
        );
        let reported = format!(
            "SELECT pp.task_id, {} AS units FROM plan_progress pp WHERE pp.task_id IN (SELECT id FROM plan_tasks WHERE plan_id = $1) AND pp.period = $2 GROUP BY pp.task_id",
            list("pp.unit_id")
        );
        let (tasks, done) = tokio::try_join!(
            sqlx::query(&on_task).bind(plan_id).fetch_all(&self.pool),
            sqlx::query(&reported).bind(plan_id).bind(period).fetch_all(&self.pool)
        )
        .map_err(db_err)?;
        let ids = |s: Option<String>| -> HashSet<i64> {
            s.unwrap_or_default().split(',').filter_map(|x| x.trim().parse().ok()).collect()
        };
        let mut reported_on: BTreeMap<i64, HashSet<i64>> = BTreeMap::new();
        for r in &done {
            reported_on.insert(get(r, "task_id")?, ids(get(r, "units")?));
        }
        // unit → (task numbers in table order, how many it leads)
        let mut missing: BTreeMap<i64, (Vec<String>, i64)> = BTreeMap::new();
        for r in &tasks {
            let task: i64 = get(r, "id")?;
            let number: String = get(r, "number")?;
            let (units, leads) = (ids(get(r, "units")?), ids(get(r, "leads")?));
            let reported = reported_on.get(&task);
            let mut late: Vec<i64> = units.into_iter().filter(|u| !reported.is_some_and(|x| x.contains(u))).collect();
            late.sort_unstable();
            for u in late {
                let e = missing.entry(u).or_default();
                e.0.push(number.clone());
                e.1 += i64::from(leads.contains(&u));
            }
        }
        let mut out = Vec::with_capacity(missing.len());
        let unit_ids: Vec<i64> = missing.keys().copied().collect();
        for chunk in unit_ids.chunks(500) {
            let mut q = Sql::new("SELECT id, code, name FROM units WHERE id IN (");
            q.bind_ids(chunk);
            q.push(")");
            for r in self.read_all(&q).await? {
                let id: i64 = get(&r, "id")?;
                let (tasks, leads) = missing.remove(&id).unwrap_or_default();
                out.push(MissingReporter { unit_id: id, code: get(&r, "code")?, name: get(&r, "name")?, tasks, leads });
            }
        }
        out.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(out)
    }

    /// The tasks the caller's own units (those its grants name) report on, in each plan's
    /// current period, those not yet reported first.
    pub async fn my_plan_tasks(&self, actor: &Actor) -> Result<Vec<MyPlanTask>> {
        let own: Vec<i64> =
            actor.grants.iter().filter(|g| g.role.allows(Action::ReportProgress)).map(|g| g.unit_id).collect();
        if own.is_empty() {
            return Ok(Vec::new());
        }
        let today = self.clock.today_vn();
        let mut out = Vec::new();
        for plan in self.list_plans(actor).await? {
            let Some(period) = plan.current_period(today)? else { continue };
            let mut q = Sql::new(
                "SELECT t.id, t.number, t.body, tu.unit_id, u.name AS unit_name, tu.role, pp.status FROM plan_tasks t \
                JOIN plan_task_units tu ON tu.task_id = t.id JOIN units u ON u.id = tu.unit_id \
                LEFT JOIN plan_progress pp ON pp.task_id = tu.task_id AND pp.unit_id = tu.unit_id AND pp.period = ",
            );
            q.bind(period.code.as_str()).push(" WHERE t.plan_id = ").bind(plan.id).push(" AND tu.unit_id IN (");
            q.bind_ids(&own);
            q.push(") ORDER BY CASE WHEN pp.status IS NULL THEN 0 ELSE 1 END, t.position");
            for r in &self.read_all(&q).await? {
                let status: Option<String> = get(r, "status")?;
                out.push(MyPlanTask {
                    plan_id: plan.id,
                    plan_number: plan.number.clone(),
                    task_id: get(r, "id")?,
                    number: get(r, "number")?,
                    body: get(r, "body")?,
                    unit_id: get(r, "unit_id")?,
                    unit_name: get(r, "unit_name")?,
                    role: get_code(r, "role", |s| TaskRole::parse("role", s))?,
                    period: period.code.clone(),
                    due_on: period.due.format("%Y-%m-%d").to_string(),
                    status: status.map(|s| ProgressStatus::parse("status", &s)).transpose()?,
                });
            }
        }
        out.sort_by_key(|t| t.status.is_some());
        Ok(out)
    }

    /// For the reminder sweep: per plan in force whose current period's deadline is near or
    /// past, the active units still without a report, each with its unreported task count.
    pub(crate) async fn plan_report_reminders(&self) -> Result<Vec<PlanReminder>> {
        let today = self.clock.today_vn();
        let plans = self.read_all(&Sql::new(&format!("SELECT {} FROM plans p", super::PLAN_COLS))).await?;
        let mut out = Vec::new();
        for r in &plans {
            let plan = super::plan_row(r)?;
            let Some(period) = plan.current_period(today)? else { continue };
            let Some(when) = period.reminder(today) else { continue };
            let rows = self.read_all(&Sql::new("SELECT u.id, u.path, COUNT(*) AS n FROM plan_tasks t JOIN plan_task_units tu ON tu.task_id = t.id JOIN units u ON u.id = tu.unit_id LEFT JOIN plan_progress pp ON pp.task_id = tu.task_id AND pp.unit_id = tu.unit_id AND pp.period = $1 WHERE pp.id IS NULL AND t.plan_id = $2 AND u.active = 1 GROUP BY u.id, u.path").arg(period.code.as_str()).arg(plan.id)).await?;
            let units =
                rows.iter().map(|u| Ok((get(u, "id")?, get(u, "path")?, get(u, "n")?))).collect::<Result<_>>()?;
            out.push(PlanReminder {
                plan_id: plan.id,
                plan_number: plan.number,
                period: period.code,
                due: period.due,
                when,
                units,
            });
        }
        Ok(out)
    }

    pub(crate) async fn fill_progress_for_benchmark(&self, plan_id: i64, period: &str, user_id: i64) -> Result<u64> {
        let statuses = "CASE (tu.unit_id + tu.task_id) % 4 WHEN 0 THEN 'done' WHEN 1 THEN 'in_progress' WHEN 2 THEN 'not_started' ELSE 'blocked' END";
        let sql = format!("INSERT INTO plan_progress (task_id, unit_id, period, status, narrative, figures, consolidated, reported_by, reported_at) \
            SELECT tu.task_id, tu.unit_id, $1, {statuses}, 'Báo cáo đo hiệu năng.', '', 0, $2, $3 FROM plan_task_units tu JOIN plan_tasks t ON t.id = tu.task_id \
            WHERE t.plan_id = $4 AND (tu.unit_id + tu.task_id) % 10 <> 0");
        let r = sqlx::query(&sql)
            .bind(period)
            .bind(user_id)
            .bind(self.clock.now_ms())
            .bind(plan_id)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        sqlx::query("INSERT INTO plan_progress_counts (task_id, period, status, n) SELECT pp.task_id, pp.period, pp.status, COUNT(*) FROM plan_progress pp JOIN plan_tasks t ON t.id = pp.task_id WHERE t.plan_id = $1 AND pp.period = $2 GROUP BY pp.task_id, pp.period, pp.status ON CONFLICT (task_id, period, status) DO UPDATE SET n = excluded.n")
            .bind(plan_id)
            .bind(period)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(r.rows_affected())
    }
}
