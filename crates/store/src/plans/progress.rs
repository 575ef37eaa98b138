//! Progress on a plan's tasks: each lead and co-ordinating unit reports per period; the lead's
//! report is the consolidated one, written with its co-ordinators' reports in view; the
//! authority sees, per task and per unit, who has not reported, and the sweep reminds them.
//! A caller sees the reports of the units it may see, and a lead unit also those of its task.

use super::{task_row, Plan, PlanTask, TASK_COLS};
use crate::audit::{json, Change};
use crate::db::{db_err, flag, get, get_code, Store, WriteTx};
use crate::events::Notice;
use crate::records::ts;
use crate::sql::Sql;
use khien_domain::notification::NotificationKind;
use khien_domain::plan::progress::{ProgressStatus, ReportReminder, TaskRole};
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::worklist::unit_side;
use khien_domain::{Error, Result};
use serde::Serialize;
use sqlx::any::AnyRow;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// What a unit reports on a task for a period.
#[derive(Debug, Clone, Default)]
pub struct ProgressInput {
    pub status: String,
    pub narrative: String,
    /// Figures as the unit writes them ("12 cuộc tuyên truyền; 3.450 lượt người").
    pub figures: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProgressReport {
    pub id: i64,
    pub task_id: i64,
    pub unit_id: i64,
    pub period: String,
    pub status: ProgressStatus,
    pub narrative: String,
    pub figures: String,
    /// Written by a lead unit: the task's consolidated report.
    pub consolidated: bool,
    /// The reporter's full name.
    pub reported_by: String,
    #[serde(serialize_with = "ts")]
    #[schema(value_type = String, format = DateTime)]
    pub reported_at: i64,
}

/// One unit on a task and its report for the period, if any.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TaskUnitStatus {
    pub unit_id: i64,
    pub code: String,
    pub name: String,
    pub role: TaskRole,
    /// A lead named by its own name: its report consolidates the task's.
    pub consolidates: bool,
    pub report: Option<ProgressReport>,
    /// Whether the caller may report for this unit.
    pub may_report: bool,
}

/// A task, its period, and where each unit the caller may see stands.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TaskProgress {
    pub plan: Plan,
    pub task: PlanTask,
    pub period: String,
    /// The report on this period is due on (yyyy-mm-dd).
    pub due_on: String,
    /// The plan's periods that have begun, newest first.
    pub periods: Vec<String>,
    pub units: Vec<TaskUnitStatus>,
}

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

/// A task with its plan and its units (id, code, name, path, role).
struct TaskContext {
    plan: Plan,
    task: PlanTask,
    units: Vec<OnTask>,
}

/// A unit on a task.
struct OnTask {
    id: i64,
    code: String,
    name: String,
    path: String,
    role: TaskRole,
    /// On the task as one of a group the table names.
    grouped: bool,
}

impl OnTask {
    /// A lead unit named by its own name writes the task's consolidated report and sees its
    /// co-ordinators' reports; a unit of a group leads only its own part.
    fn consolidates(&self) -> bool {
        self.role == TaskRole::Lead && !self.grouped
    }
}

/// A report that passed its checks, with what the write and the notice need.
struct CheckedReport {
    plan: Plan,
    task: PlanTask,
    /// The task's lead units (id, path), told when a co-ordinator reports.
    leads: Vec<(i64, String)>,
    unit_id: i64,
    unit_name: String,
    role: TaskRole,
    consolidates: bool,
    period: String,
    status: ProgressStatus,
    narrative: String,
    figures: String,
}

const MAX_NARRATIVE: usize = 10_000;
const MAX_FIGURES: usize = 2_000;

fn report_row(r: &AnyRow) -> Result<ProgressReport> {
    Ok(ProgressReport {
        id: get(r, "id")?,
        task_id: get(r, "task_id")?,
        unit_id: get(r, "unit_id")?,
        period: get(r, "period")?,
        status: get_code(r, "status", |s| ProgressStatus::parse("status", s))?,
        narrative: get(r, "narrative")?,
        figures: get(r, "figures")?,
        consolidated: flag(r, "consolidated")?,
        reported_by: get(r, "reporter")?,
        reported_at: get(r, "reported_at")?,
    })
}

const REPORT_COLS: &str = "pp.id, pp.task_id, pp.unit_id, pp.period, pp.status, pp.narrative, pp.figures, pp.consolidated, us.full_name AS reporter, pp.reported_at";

impl Store {
    async fn task_of(&self, actor: &Actor, task_id: i64) -> Result<(Plan, PlanTask)> {
        let r = sqlx::query(&format!("SELECT {TASK_COLS} FROM plan_tasks t WHERE t.id = $1"))
            .bind(task_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?
            .ok_or_else(|| Error::not_found("nhiệm vụ", "Task"))?;
        let task = task_row(&r)?;
        let plan = self.get_plan(actor, task.plan_id).await?;
        Ok((plan, task))
    }

    /// The units on a task.
    async fn plan_task_units(&self, task_id: i64) -> Result<Vec<OnTask>> {
        let rows = sqlx::query("SELECT u.id, u.code, u.name, u.path, tu.role, tu.grouped FROM plan_task_units tu JOIN units u ON u.id = tu.unit_id WHERE tu.task_id = $1 ORDER BY CASE tu.role WHEN 'lead' THEN 0 ELSE 1 END, u.code")
            .bind(task_id)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        rows.iter()
            .map(|r| {
                Ok(OnTask {
                    id: get(r, "id")?,
                    code: get(r, "code")?,
                    name: get(r, "name")?,
                    path: get(r, "path")?,
                    role: get_code(r, "role", |s| TaskRole::parse("role", s))?,
                    grouped: flag(r, "grouped")?,
                })
            })
            .collect()
    }

    /// A task's units and their reports for `period` (the plan's current one when none), as the
    /// caller may see them: the units it sees, and every unit of a task it leads.
    pub async fn task_progress(&self, actor: &Actor, task_id: i64, period: Option<&str>) -> Result<TaskProgress> {
        let (plan, task) = self.task_of(actor, task_id).await?;
        let reporting = plan.reporting()?;
        let today = self.clock.today_vn();
        let period = match period.map(str::trim).filter(|p| !p.is_empty()) {
            Some(p) => reporting.parse_period(p)?,
            None => reporting.parse_period(&reporting.period_of(today))?,
        };
        let units = self.plan_task_units(task_id).await?;
        let leads_it = units.iter().any(|u| u.consolidates() && actor.can(Action::ReportProgress, u.id, &u.path));
        let rows = sqlx::query(&format!(
            "SELECT {REPORT_COLS} FROM plan_progress pp JOIN users us ON us.id = pp.reported_by WHERE pp.task_id = $1 AND pp.period = $2"
        ))
        .bind(task_id)
        .bind(period.code.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        let mut reports: BTreeMap<i64, ProgressReport> = BTreeMap::new();
        for r in &rows {
            let rep = report_row(r)?;
            reports.insert(rep.unit_id, rep);
        }
        let units = units
            .into_iter()
            .filter(|u| leads_it || actor.can(Action::ViewUnits, u.id, &u.path))
            .map(|u| TaskUnitStatus {
                may_report: actor.can(Action::ReportProgress, u.id, &u.path),
                report: reports.remove(&u.id),
                consolidates: u.consolidates(),
                unit_id: u.id,
                code: u.code,
                name: u.name,
                role: u.role,
            })
            .collect();
        Ok(TaskProgress {
            periods: reporting.periods_until(today, plan.years()),
            due_on: period.due.format("%Y-%m-%d").to_string(),
            period: period.code,
            plan,
            task,
            units,
        })
    }

    /// A task with its plan and units, as the checks of a report read them.
    async fn task_context(&self, actor: &Actor, task_id: i64) -> Result<TaskContext> {
        let (plan, task) = self.task_of(actor, task_id).await?;
        let units = self.plan_task_units(task_id).await?;
        Ok(TaskContext { plan, task, units })
    }

    /// Checks one report against its task: the unit is on the task and the caller may report
    /// for it, the task is not a section, the period has begun within the plan's years, the
    /// text is within bounds. Returns what to write.
    fn checked_report(
        &self,
        actor: &Actor,
        cx: &TaskContext,
        (unit_id, period): (i64, &str),
        input: &ProgressInput,
    ) -> Result<CheckedReport> {
        if cx.task.parent_number.is_none() {
            return Err(Error::invalid(
                "task_id",
                "Đây là một mục của kế hoạch; hãy báo cáo theo từng nhiệm vụ trong mục.",
                "This is a section of the plan; report on each of its tasks.",
            ));
        }
        let Some(on) = cx.units.iter().find(|u| u.id == unit_id) else {
            return Err(Error::not_found("đơn vị của nhiệm vụ", "Unit of the task"));
        };
        actor.require(Action::ReportProgress, unit_id, &on.path)?;
        let period = cx.plan.reporting()?.reportable(period, self.clock.today_vn(), cx.plan.years())?;
        let status = ProgressStatus::parse("status", &input.status)?;
        let narrative = input.narrative.trim().to_string();
        let figures = input.figures.trim().to_string();
        if narrative.chars().count() > MAX_NARRATIVE || figures.chars().count() > MAX_FIGURES {
            return Err(Error::invalid(
                "narrative",
                format!("Nội dung báo cáo tối đa {MAX_NARRATIVE} ký tự, số liệu tối đa {MAX_FIGURES} ký tự."),
                format!("A report holds at most {MAX_NARRATIVE} characters, its figures {MAX_FIGURES}."),
            ));
        }
        if narrative.is_empty() && status != ProgressStatus::NotStarted {
            return Err(Error::invalid(
                "narrative",
                "Hãy ghi kết quả đã làm (nội dung báo cáo).",
                "Write what was done (the report's text).",
            ));
        }
        Ok(CheckedReport {
            plan: cx.plan.clone(),
            task: cx.task.clone(),
            leads: cx.units.iter().filter(|u| u.consolidates()).map(|u| (u.id, u.path.clone())).collect(),
            unit_id,
            unit_name: on.name.clone(),
            role: on.role,
            consolidates: on.consolidates(),
            period: period.code,
            status,
            narrative,
            figures,
        })
    }

    /// Writes a checked report (insert, or update of the unit's report for the period):
    /// (before, after).
    async fn write_report(
        &self,
        w: &mut WriteTx<'_>,
        actor: &Actor,
        r: &CheckedReport,
    ) -> Result<(Option<ProgressReport>, ProgressReport)> {
        let now = self.clock.now_ms();
        let select = format!(
            "SELECT {REPORT_COLS} FROM plan_progress pp JOIN users us ON us.id = pp.reported_by WHERE pp.task_id = $1 AND pp.unit_id = $2 AND pp.period = $3"
        );
        let key = (r.task.id, r.unit_id, r.period.as_str());
        let read = || sqlx::query(&select).bind(key.0).bind(key.1).bind(key.2);
        let before = read().fetch_optional(&mut *w.tx).await.map_err(db_err)?.as_ref().map(report_row).transpose()?;
        let consolidated = i64::from(r.consolidates);
        match &before {
            Some(b) => sqlx::query("UPDATE plan_progress SET status = $1, narrative = $2, figures = $3, consolidated = $4, reported_by = $5, reported_at = $6 WHERE id = $7")
                .bind(r.status.code())
                .bind(r.narrative.as_str())
                .bind(r.figures.as_str())
                .bind(consolidated)
                .bind(actor.user_id)
                .bind(now)
                .bind(b.id),
            None => sqlx::query("INSERT INTO plan_progress (status, narrative, figures, consolidated, reported_by, reported_at, task_id, unit_id, period) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)")
                .bind(r.status.code())
                .bind(r.narrative.as_str())
                .bind(r.figures.as_str())
                .bind(consolidated)
                .bind(actor.user_id)
                .bind(now)
                .bind(key.0)
                .bind(key.1)
                .bind(key.2),
        }
        .execute(&mut *w.tx)
        .await
        .map_err(db_err)?;
        let after = report_row(&read().fetch_one(&mut *w.tx).await.map_err(db_err)?)?;
        Ok((before, after))
    }

    /// Records (or corrects) a unit's report on a task for a period. The unit must be on the
    /// task and the caller may report for it; the period must have begun and lie within the
    /// plan's years. A co-ordinator's report tells the lead unit, whose report consolidates.
    pub async fn report_progress(
        &self,
        actor: &Actor,
        task_id: i64,
        unit_id: i64,
        period: &str,
        input: &ProgressInput,
    ) -> Result<ProgressReport> {
        let cx = self.task_context(actor, task_id).await?;
        let r = self.checked_report(actor, &cx, (unit_id, period), input)?;
        let mut w = self.begin_write().await?;
        let (before, after) = self.write_report(&mut w, actor, &r).await?;
        w.audit(
            Some(actor),
            Change {
                action: "plan.progress",
                entity_type: "plan_task",
                entity_id: Some(task_id),
                unit_id: Some(unit_id),
                before: before.as_ref().and_then(json),
                after: json(&after),
            },
        )
        .await?;
        if r.role == TaskRole::Coordinating {
            self.tell_leads(&mut w, actor, &r).await?;
        }
        w.commit().await?;
        Ok(after)
    }

    /// Reports gathered elsewhere (a spreadsheet of the old process, the demo's history),
    /// each checked as `report_progress` checks one, written all or nothing; the error names
    /// the report's place in the list. One audit record for the whole import.
    pub async fn import_progress(&self, actor: &Actor, reports: &[(i64, i64, String, ProgressInput)]) -> Result<usize> {
        let mut checked = Vec::with_capacity(reports.len());
        let mut tasks: std::collections::HashMap<i64, TaskContext> = std::collections::HashMap::new();
        for (n, (task_id, unit_id, period, input)) in reports.iter().enumerate() {
            let place = |e: Error| e.with_prefix(&format!("Báo cáo thứ {}: ", n + 1), &format!("Report {}: ", n + 1));
            if !tasks.contains_key(task_id) {
                let cx = self.task_context(actor, *task_id).await.map_err(place)?;
                tasks.insert(*task_id, cx);
            }
            let cx = tasks.get(task_id).ok_or_else(|| Error::internal("task context"))?;
            checked.push(self.checked_report(actor, cx, (*unit_id, period), input).map_err(place)?);
        }
        let mut w = self.begin_write().await?;
        for r in &checked {
            self.write_report(&mut w, actor, r).await?;
        }
        let root: i64 = get(
            &sqlx::query("SELECT id FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1")
                .fetch_one(&mut *w.tx)
                .await
                .map_err(db_err)?,
            "id",
        )?;
        w.audit(
            Some(actor),
            Change {
                action: "plan.progress_import",
                entity_type: "plan",
                entity_id: checked.first().map(|r| r.plan.id),
                unit_id: Some(root),
                before: None,
                after: Some(serde_json::json!({ "reports": checked.len() })),
            },
        )
        .await?;
        w.commit().await?;
        Ok(checked.len())
    }

    /// A co-ordinator reported: the lead unit's own people are told, to consolidate.
    async fn tell_leads(&self, w: &mut WriteTx<'_>, actor: &Actor, r: &CheckedReport) -> Result<()> {
        let leads: Vec<(i64, &str)> = r.leads.iter().map(|(id, path)| (*id, path.as_str())).collect();
        let (task, plan, period, unit_name) = (&r.task, &r.plan, &r.period, &r.unit_name);
        let notice = Notice {
            kind: NotificationKind::PlanReported,
            key: format!("plan-task:{}:{period}:{}:{}", task.id, r.unit_id, self.clock.now_ms()),
            vi: format!(
                "{unit_name} đã báo cáo nhiệm vụ {} của kế hoạch {} (kỳ {period}): {}",
                task.number,
                plan.number,
                r.status.label(khien_domain::Lang::Vi).to_lowercase()
            ),
            en: format!(
                "{unit_name} reported on task {} of plan {} (period {period}): {}",
                task.number,
                plan.number,
                r.status.label(khien_domain::Lang::En).to_lowercase()
            ),
            link: format!("/plan-tasks/{}?period={period}", task.id),
            unit_id: leads.first().map_or(r.unit_id, |(id, _)| *id),
        };
        self.notify_where(w, actor, (&notice, &leads), |p| {
            let p = p.with_roles(unit_side);
            leads.iter().any(|(id, path)| p.can(Action::ReportProgress, *id, path))
        })
        .await?;
        Ok(())
    }

    /// `FROM … WHERE …` over the plan's (task, unit) pairs the caller sees, each with the unit's
    /// report for the period if any (`pp`). Two shapes: the city-wide reader walks the plan's
    /// tasks; a unit's reader starts from its own units through the (unit, plan) index. On
    /// SQLite `CROSS JOIN` keeps that order; PostgreSQL takes no `ON` after `CROSS JOIN` and
    /// orders the joins well itself.
    fn pairs_of(&self, actor: &Actor, plan_id: i64, period: &str) -> Sql {
        let reach = actor.reach(Action::ViewUnits);
        let city_wide = reach.subtrees.iter().any(|p| p.matches('/').count() == 2);
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
        let mut q = Sql::select(
            "tu.task_id, COUNT(*) AS expected, COUNT(pp.id) AS reported, \
             SUM(CASE WHEN pp.status = 'done' THEN 1 ELSE 0 END) AS done, \
             SUM(CASE WHEN pp.status = 'in_progress' THEN 1 ELSE 0 END) AS in_progress, \
             SUM(CASE WHEN pp.status = 'not_started' THEN 1 ELSE 0 END) AS not_started, \
             SUM(CASE WHEN pp.status = 'blocked' THEN 1 ELSE 0 END) AS blocked",
            &self.pairs_of(actor, plan_id, &period.code),
        );
        q.push(" GROUP BY tu.task_id");
        let rows = q.query().fetch_all(&self.pool).await.map_err(db_err)?;
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

    /// The units (that the caller sees) without a report on some of their tasks for the period.
    pub async fn missing_reporters(&self, actor: &Actor, plan_id: i64, period: &str) -> Result<Vec<MissingReporter>> {
        let plan = self.get_plan(actor, plan_id).await?;
        let period = plan.reporting()?.parse_period(period)?;
        let mut q =
            Sql::select("u.id, u.code, u.name, t.number, tu.role", &self.pairs_of(actor, plan_id, &period.code));
        q.push(" AND pp.id IS NULL ORDER BY u.code, t.position");
        let rows = q.query().fetch_all(&self.pool).await.map_err(db_err)?;
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
            let reporting = plan.reporting()?;
            let (from, to) = plan.years();
            if today.format("%Y").to_string().parse::<i32>().is_ok_and(|y| y < from || y > to) {
                continue;
            }
            let period = reporting.parse_period(&reporting.period_of(today))?;
            let mut q = Sql::new(
                "SELECT t.id, t.number, t.body, tu.unit_id, u.name AS unit_name, tu.role, pp.status FROM plan_tasks t \
                JOIN plan_task_units tu ON tu.task_id = t.id JOIN units u ON u.id = tu.unit_id \
                LEFT JOIN plan_progress pp ON pp.task_id = tu.task_id AND pp.unit_id = tu.unit_id AND pp.period = ",
            );
            q.bind(period.code.as_str()).push(" WHERE t.plan_id = ").bind(plan.id).push(" AND tu.unit_id IN (");
            for (i, id) in own.iter().enumerate() {
                if i > 0 {
                    q.push(",");
                }
                q.bind(*id);
            }
            q.push(") ORDER BY CASE WHEN pp.status IS NULL THEN 0 ELSE 1 END, t.position");
            for r in &q.query().fetch_all(&self.pool).await.map_err(db_err)? {
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

    /// For the reminder sweep: per plan in force, the units still without a report on the
    /// current period when its deadline is near or past, each with its task count.
    pub(crate) async fn plan_report_reminders(&self) -> Result<Vec<(Notice, String, ReportReminder)>> {
        let today = self.clock.today_vn();
        let plans = sqlx::query(&format!("SELECT {} FROM plans p", super::PLAN_COLS))
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        let mut out = Vec::new();
        for r in &plans {
            let plan = super::plan_row(r)?;
            let reporting = plan.reporting()?;
            let (from, to) = plan.years();
            let period = reporting.parse_period(&reporting.period_of(today))?;
            let year = period.start.format("%Y").to_string().parse::<i32>().unwrap_or(0);
            let Some(when) = period.reminder(today).filter(|_| year >= from && year <= to) else { continue };
            let rows = sqlx::query("SELECT u.id, u.path, COUNT(*) AS n FROM plan_tasks t JOIN plan_task_units tu ON tu.task_id = t.id JOIN units u ON u.id = tu.unit_id LEFT JOIN plan_progress pp ON pp.task_id = tu.task_id AND pp.unit_id = tu.unit_id AND pp.period = $1 WHERE pp.id IS NULL AND t.plan_id = $2 AND u.active = 1 GROUP BY u.id, u.path")
                .bind(period.code.as_str())
                .bind(plan.id)
                .fetch_all(&self.pool)
                .await
                .map_err(db_err)?;
            let due = period.due.format("%d/%m/%Y").to_string();
            for u in &rows {
                let (unit_id, n): (i64, i64) = (get(u, "id")?, get(u, "n")?);
                let (kind, vi, en, tag) = match when {
                    ReportReminder::DueSoon => (
                        NotificationKind::PlanReportDue,
                        format!(
                            "Kế hoạch {}: còn {n} nhiệm vụ chưa báo cáo kỳ {}, hạn {due}",
                            plan.number, period.code
                        ),
                        format!("Plan {}: {n} tasks not reported for {}, due {due}", plan.number, period.code),
                        "soon",
                    ),
                    ReportReminder::Overdue => (
                        NotificationKind::PlanReportOverdue,
                        format!(
                            "Kế hoạch {}: quá hạn báo cáo kỳ {} ({due}), còn {n} nhiệm vụ chưa báo cáo",
                            plan.number, period.code
                        ),
                        format!(
                            "Plan {}: the report for {} was due {due}; {n} tasks are not reported",
                            plan.number, period.code
                        ),
                        "late",
                    ),
                };
                let notice = Notice {
                    kind,
                    key: format!("plan:{}:{}:{unit_id}:{tag}", plan.id, period.code),
                    vi,
                    en,
                    link: "/plans#mine".to_string(),
                    unit_id,
                };
                out.push((notice, get(u, "path")?, when));
            }
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
        Ok(r.rows_affected())
    }
}
