//! Provincial plans (issue 15): a plan's task table is staged, previewed with how each unit
//! name matched the units tree, and written in one transaction once every name is resolved;
//! the authority's mappings are remembered for the next plan. Plans are city documents that
//! everyone signed in may read; who reports on a task is what `progress` decides.

pub mod budget;
pub mod consultations;
pub mod follow_ups;
pub mod import;
pub mod progress;
pub mod status;
pub mod trainings;

pub use import::{NameMatch, PlanImportPreview, PlanInput, UnitChoice};

use crate::db::{flag, get, Store};
use crate::records::ts;
use crate::sql::Sql;
use khien_domain::plan::progress::Reporting;
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::{Error, Result};
use serde::Serialize;
use sqlx::any::AnyRow;
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Plan {
    pub id: i64,
    pub number: String,
    /// yyyy-mm-dd.
    pub issued_on: String,
    pub issuer: String,
    pub title: String,
    pub legal_basis: String,
    pub year_from: i64,
    pub year_to: i64,
    pub reporting: String,
    pub report_day: i64,
    pub report_month: i64,
    pub file_name: String,
    pub task_count: i64,
    /// The least share of IT spending that goes to cybersecurity, in basis points (1000 = 10 %).
    pub budget_share_bp: Option<i64>,
    #[serde(serialize_with = "ts")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: i64,
}

impl Plan {
    pub fn reporting(&self) -> Result<Reporting> {
        Reporting::new(&self.reporting, self.report_day as u32, self.report_month as u32)
    }

    pub fn years(&self) -> (i32, i32) {
        (self.year_from as i32, self.year_to as i32)
    }

    /// The period that contains `today`, while the plan is in force (its years); none after.
    pub fn current_period(&self, today: chrono::NaiveDate) -> Result<Option<khien_domain::plan::progress::Period>> {
        use chrono::Datelike;
        let (from, to) = self.years();
        if !(from..=to).contains(&today.year()) {
            return Ok(None);
        }
        let reporting = self.reporting()?;
        reporting.parse_period(&reporting.period_of(today)).map(Some)
    }
}

/// A task of a plan (a section when it has no parent).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanTask {
    pub id: i64,
    pub plan_id: i64,
    pub number: String,
    pub parent_number: Option<String>,
    pub body: String,
    /// The lead units as the table names them.
    pub lead_names: Vec<String>,
    pub coordinating_names: Vec<String>,
    /// The cadence as written ("Thường xuyên", "Quý II/2026").
    pub cadence: String,
    /// False when the cadence could not be read: kept as written and flagged.
    pub cadence_read: bool,
    /// The last day of a dated cadence (yyyy-mm-dd).
    pub due_on: Option<String>,
    pub output: String,
    /// How many units report on it (leads and co-ordinators).
    pub unit_count: i64,
}

pub(crate) fn plan_row(r: &AnyRow) -> Result<Plan> {
    Ok(Plan {
        id: get(r, "id")?,
        number: get(r, "number")?,
        issued_on: get(r, "issued_on")?,
        issuer: get(r, "issuer")?,
        title: get(r, "title")?,
        legal_basis: get(r, "legal_basis")?,
        year_from: get(r, "year_from")?,
        year_to: get(r, "year_to")?,
        reporting: get(r, "reporting")?,
        report_day: get(r, "report_day")?,
        report_month: get(r, "report_month")?,
        file_name: get(r, "file_name")?,
        task_count: get(r, "task_count")?,
        budget_share_bp: get(r, "budget_share_bp")?,
        created_at: get(r, "created_at")?,
    })
}

pub(crate) const PLAN_COLS: &str = "p.id, p.number, p.issued_on, p.issuer, p.title, p.legal_basis, p.year_from, p.year_to, p.reporting, p.report_day, p.report_month, p.file_name, p.created_at, p.budget_share_bp, (SELECT COUNT(*) FROM plan_tasks t WHERE t.plan_id = p.id AND t.parent_number IS NOT NULL) AS task_count";

fn lines(s: String) -> Vec<String> {
    s.lines().map(str::to_string).filter(|l| !l.is_empty()).collect()
}

pub(crate) fn task_row(r: &AnyRow) -> Result<PlanTask> {
    Ok(PlanTask {
        id: get(r, "id")?,
        plan_id: get(r, "plan_id")?,
        number: get(r, "number")?,
        parent_number: get(r, "parent_number")?,
        body: get(r, "body")?,
        lead_names: lines(get(r, "lead_names")?),
        coordinating_names: lines(get(r, "coordinating_names")?),
        cadence: get(r, "cadence")?,
        cadence_read: flag(r, "cadence_read")?,
        due_on: get(r, "due_on")?,
        output: get(r, "output")?,
        unit_count: get(r, "unit_count")?,
    })
}

pub(crate) const TASK_COLS: &str = "t.id, t.plan_id, t.number, t.parent_number, t.body, t.lead_names, t.coordinating_names, t.cadence, t.cadence_read, t.due_on, t.output, (SELECT COUNT(*) FROM plan_task_units tu WHERE tu.task_id = t.id) AS unit_count";

impl Store {
    /// The plans of the city, newest first (anyone signed in reads them).
    pub async fn list_plans(&self, actor: &Actor) -> Result<Vec<Plan>> {
        if !actor.can_anywhere(Action::ViewUnits) {
            return Err(Error::forbidden());
        }
        let rows = self
            .read_all(&Sql::new(&format!("SELECT {PLAN_COLS} FROM plans p ORDER BY p.issued_on DESC, p.id DESC")))
            .await?;
        rows.iter().map(plan_row).collect()
    }

    pub async fn get_plan(&self, actor: &Actor, id: i64) -> Result<Plan> {
        if !actor.can_anywhere(Action::ViewUnits) {
            return Err(Error::not_found("kế hoạch", "Plan"));
        }
        let row = self
            .read_optional(&Sql::new(&format!("SELECT {PLAN_COLS} FROM plans p WHERE p.id = $1")).arg(id))
            .await?
            .ok_or_else(|| Error::not_found("kế hoạch", "Plan"))?;
        plan_row(&row)
    }

    /// The plan's sections and tasks in table order.
    pub async fn plan_tasks(&self, actor: &Actor, plan_id: i64) -> Result<Vec<PlanTask>> {
        self.get_plan(actor, plan_id).await?;
        let rows = self
            .read_all(
                &Sql::new(&format!("SELECT {TASK_COLS} FROM plan_tasks t WHERE t.plan_id = $1 ORDER BY t.position"))
                    .arg(plan_id),
            )
            .await?;
        rows.iter().map(task_row).collect()
    }
}
