//! Progress on a plan's tasks: each lead and co-ordinating unit reports per period; the lead's
//! report is the consolidated one, written with its co-ordinators' reports in view (who has
//! not reported is `status`). A caller sees the reports of the units it may see, and a lead
//! unit also those of its task.

use super::{task_row, Plan, PlanTask, TASK_COLS};
use crate::audit::{json, Change};
use crate::db::{db_err, flag, get, get_code, Store, WriteTx};
use crate::events::Notice;
use crate::records::ts;
use crate::sql::Sql;
use khien_domain::notification::NotificationKind;
use khien_domain::plan::progress::{ProgressStatus, TaskRole};
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
    /// Evidence attached to the report.
    pub files: Vec<crate::EvidenceFile>,
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
        files: Vec::new(),
    })
}

const REPORT_COLS: &str = "pp.id, pp.task_id, pp.unit_id, pp.period, pp.status, pp.narrative, pp.figures, pp.consolidated, us.full_name AS reporter, pp.reported_at";

impl Store {
    async fn task_of(&self, actor: &Actor, task_id: i64) -> Result<(Plan, PlanTask)> {
        let r = self
            .read_optional(&Sql::new(&format!("SELECT {TASK_COLS} FROM plan_tasks t WHERE t.id = $1")).arg(task_id))
            .await?
            .ok_or_else(|| Error::not_found("nhiệm vụ", "Task"))?;
        let task = task_row(&r)?;
        let plan = self.get_plan(actor, task.plan_id).await?;
        Ok((plan, task))
    }

    /// The units on a task.
    async fn plan_task_units(&self, task_id: i64) -> Result<Vec<OnTask>> {
        let rows = self.read_all(&Sql::new("SELECT u.id, u.code, u.name, u.path, tu.role, tu.grouped FROM plan_task_units tu JOIN units u ON u.id = tu.unit_id WHERE tu.task_id = $1 ORDER BY CASE tu.role WHEN 'lead' THEN 0 ELSE 1 END, u.code").arg(task_id)).await?;
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
        let rows = self.read_all(&Sql::new(&format!(
            "SELECT {REPORT_COLS} FROM plan_progress pp JOIN users us ON us.id = pp.reported_by WHERE pp.task_id = $1 AND pp.period = $2"
        )).arg(task_id).arg(period.code.as_str())).await?;
        let mut reports: BTreeMap<i64, ProgressReport> = BTreeMap::new();
        for r in &rows {
            let rep = report_row(r)?;
            reports.insert(rep.unit_id, rep);
        }
        let ids: Vec<i64> = reports.values().map(|r| r.id).collect();
        let mut files = self.evidence_of(khien_domain::evidence::EvidenceSubject::PlanProgress, &ids).await?;
        for r in reports.values_mut() {
            r.files = files.remove(&r.id).unwrap_or_default();
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
        // The per-task counts follow (the city-wide status reads them).
        if let Some(b) = before.as_ref().filter(|b| b.status != after.status) {
            sqlx::query("UPDATE plan_progress_counts SET n = n - 1 WHERE task_id = $1 AND period = $2 AND status = $3")
                .bind(key.0)
                .bind(key.2)
                .bind(b.status.code())
                .execute(&mut *w.tx)
                .await
                .map_err(db_err)?;
        }
        if before.as_ref().is_none_or(|b| b.status != after.status) {
            sqlx::query("INSERT INTO plan_progress_counts (task_id, period, status, n) VALUES ($1, $2, $3, 1) ON CONFLICT (task_id, period, status) DO UPDATE SET n = plan_progress_counts.n + 1")
                .bind(key.0)
                .bind(key.2)
                .bind(after.status.code())
                .execute(&mut *w.tx)
                .await
                .map_err(db_err)?;
        }
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
        let root = self.root_unit().await?.map(|u| u.id);
        let mut w = self.begin_write().await?;
        for r in &checked {
            self.write_report(&mut w, actor, r).await?;
        }
        w.audit(
            Some(actor),
            Change {
                action: "plan.progress_import",
                entity_type: "plan",
                entity_id: checked.first().map(|r| r.plan.id),
                unit_id: root,
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
}
