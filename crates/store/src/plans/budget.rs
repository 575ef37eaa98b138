//! The cybersecurity share of IT spending (issue 15.8): each unit declares its projects per
//! year with the total and the part that goes to cybersecurity; the authority sees each unit's
//! share and the city's against the threshold of the plan in force (its `budget_share_bp`).

use crate::audit::{json, Change};
use crate::db::{db_err, get, Store};
use crate::sql::Sql;
use khien_domain::budget::{check_parts, share_bp};
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::unit::validate_name;
use khien_domain::{Error, Result};
use serde::Serialize;
use sqlx::any::AnyRow;
use utoipa::ToSchema;

#[derive(Debug, Clone, Default)]
pub struct BudgetProjectInput {
    pub unit_id: i64,
    pub year: i64,
    pub name: String,
    /// Whole đồng.
    pub total_cost: i64,
    pub security_cost: i64,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BudgetProject {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub year: i64,
    pub name: String,
    /// Whole đồng.
    pub total_cost: i64,
    /// The part spent on cybersecurity products and services, whole đồng.
    pub security_cost: i64,
    /// `security_cost` of `total_cost` in basis points (1000 = 10 %), rounded down.
    pub share_bp: i64,
    pub note: String,
}

/// One unit's projects of a year, added up.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitBudget {
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub projects: i64,
    pub total_cost: i64,
    pub security_cost: i64,
    pub share_bp: i64,
    /// Whether the share reaches the threshold; none when no plan sets one.
    pub meets_target: Option<bool>,
}

/// A year's shares: per unit the caller sees, all of them together, and the threshold.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BudgetSummary {
    pub year: i64,
    /// The highest threshold among the plans in force that year, in basis points.
    pub target_bp: Option<i64>,
    /// The plan that sets it (number and symbol).
    pub target_plan: Option<String>,
    pub units: Vec<UnitBudget>,
    pub total_cost: i64,
    pub security_cost: i64,
    /// None when nothing was declared.
    pub share_bp: Option<i64>,
    pub meets_target: Option<bool>,
}

fn project_row(r: &AnyRow) -> Result<BudgetProject> {
    let (total, security): (i64, i64) = (get(r, "total_cost")?, get(r, "security_cost")?);
    Ok(BudgetProject {
        id: get(r, "id")?,
        unit_id: get(r, "unit_id")?,
        unit_name: get(r, "unit_name")?,
        year: get(r, "year")?,
        name: get(r, "name")?,
        total_cost: total,
        security_cost: security,
        share_bp: share_bp(security, total).unwrap_or(0),
        note: get(r, "note")?,
    })
}

const PROJECT_COLS: &str =
    "b.id, b.unit_id, u.name AS unit_name, b.year, b.name, b.total_cost, b.security_cost, b.note, u.path";

fn check_year(year: i64) -> Result<i64> {
    if (2000..=2100).contains(&year) {
        Ok(year)
    } else {
        Err(Error::invalid("year", "Năm từ 2000 đến 2100.", "A year from 2000 to 2100."))
    }
}

impl BudgetProjectInput {
    fn checked(&self) -> Result<(i64, String, String)> {
        let year = check_year(self.year)?;
        let name = validate_name("name", &self.name, 500)?;
        check_parts(self.total_cost, self.security_cost)?;
        let note = self.note.trim();
        if note.chars().count() > 2000 {
            return Err(Error::invalid("note", "Tối đa 2000 ký tự.", "At most 2000 characters."));
        }
        Ok((year, name, note.to_string()))
    }
}

impl Store {
    /// A year's projects of the units the caller sees (of one unit when given), by unit.
    pub async fn list_budget_projects(
        &self,
        actor: &Actor,
        year: i64,
        unit_id: Option<i64>,
    ) -> Result<Vec<BudgetProject>> {
        let reach = actor.reach(Action::ViewUnits);
        let mut q = Sql::new(&format!(
            "SELECT {PROJECT_COLS} FROM budget_projects b JOIN units u ON u.id = b.unit_id WHERE b.year = "
        ));
        q.bind(check_year(year)?).push(" AND ");
        q.reach("u.path", "u.id", &reach);
        if let Some(unit) = unit_id {
            q.push(" AND b.unit_id = ").bind(unit);
        }
        q.push(" ORDER BY u.name, b.id LIMIT 5000");
        self.read_all(&q).await?.iter().map(project_row).collect()
    }

    async fn budget_project_row(&self, actor: &Actor, id: i64) -> Result<BudgetProject> {
        let r = self
            .read_optional(
                &Sql::new(&format!(
                    "SELECT {PROJECT_COLS} FROM budget_projects b JOIN units u ON u.id = b.unit_id WHERE b.id = $1"
                ))
                .arg(id),
            )
            .await?
            .ok_or_else(|| Error::not_found("dự án", "Project"))?;
        let p = project_row(&r)?;
        let path: String = get(&r, "path")?;
        if !actor.can(Action::ViewUnits, p.unit_id, &path) {
            return Err(Error::not_found("dự án", "Project"));
        }
        Ok(p)
    }

    pub async fn get_budget_project(&self, actor: &Actor, id: i64) -> Result<BudgetProject> {
        self.budget_project_row(actor, id).await
    }

    /// Declares a project of a unit the caller reports for.
    pub async fn record_budget_project(&self, actor: &Actor, input: &BudgetProjectInput) -> Result<BudgetProject> {
        let (year, name, note) = input.checked()?;
        let unit = self.get_unit(actor, input.unit_id).await?;
        actor.require_pick("unit_id", Action::ReportProgress, unit.id, &unit.path, unit.active)?;
        let now = self.clock.now_ms();
        let mut w = self.begin_write().await?;
        let r = sqlx::query("INSERT INTO budget_projects (unit_id, year, name, total_cost, security_cost, note, created_by, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$8) RETURNING id")
            .bind(unit.id)
            .bind(year)
            .bind(name.as_str())
            .bind(input.total_cost)
            .bind(input.security_cost)
            .bind(note.as_str())
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let id: i64 = get(&r, "id")?;
        let after = serde_json::json!({"year": year, "name": name, "total_cost": input.total_cost, "security_cost": input.security_cost});
        w.audit(
            Some(actor),
            Change {
                action: "budget.record",
                entity_type: "budget_project",
                entity_id: Some(id),
                unit_id: Some(unit.id),
                before: None,
                after: json(&after),
            },
        )
        .await?;
        w.commit().await?;
        self.budget_project_row(actor, id).await
    }

    /// Corrects a project (its unit stays); the earlier figures stay in the audit trail.
    pub async fn update_budget_project(
        &self,
        actor: &Actor,
        id: i64,
        input: &BudgetProjectInput,
    ) -> Result<BudgetProject> {
        let before = self.budget_project_row(actor, id).await?;
        let unit = self.get_unit(actor, before.unit_id).await?;
        actor.require(Action::ReportProgress, unit.id, &unit.path)?;
        let (year, name, note) = input.checked()?;
        let mut w = self.begin_write().await?;
        sqlx::query("UPDATE budget_projects SET year = $1, name = $2, total_cost = $3, security_cost = $4, note = $5, updated_at = $6 WHERE id = $7")
            .bind(year)
            .bind(name.as_str())
            .bind(input.total_cost)
            .bind(input.security_cost)
            .bind(note.as_str())
            .bind(self.clock.now_ms())
            .bind(id)
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let after = serde_json::json!({"year": year, "name": name, "total_cost": input.total_cost, "security_cost": input.security_cost});
        w.audit(
            Some(actor),
            Change {
                action: "budget.update",
                entity_type: "budget_project",
                entity_id: Some(id),
                unit_id: Some(unit.id),
                before: json(&before),
                after: json(&after),
            },
        )
        .await?;
        w.commit().await?;
        self.budget_project_row(actor, id).await
    }

    /// Sets (or clears) the least cybersecurity share a plan asks for; the authority's.
    pub async fn set_plan_budget_share(&self, actor: &Actor, plan_id: i64, share_bp: Option<i64>) -> Result<()> {
        let root = self.require_plans_manager(actor).await?;
        let plan = self.get_plan(actor, plan_id).await?;
        if let Some(bp) = share_bp {
            if !(1..=10_000).contains(&bp) {
                return Err(Error::invalid(
                    "budget_share",
                    "Tỷ lệ từ 0,01 % đến 100 %.",
                    "A share from 0.01 % to 100 %.",
                ));
            }
        }
        let mut w = self.begin_write().await?;
        sqlx::query("UPDATE plans SET budget_share_bp = $1 WHERE id = $2")
            .bind(share_bp)
            .bind(plan_id)
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        w.audit(
            Some(actor),
            Change {
                action: "plan.budget_share",
                entity_type: "plan",
                entity_id: Some(plan_id),
                unit_id: Some(root),
                before: json(&serde_json::json!({"budget_share_bp": plan.budget_share_bp})),
                after: json(&serde_json::json!({"budget_share_bp": share_bp})),
            },
        )
        .await?;
        w.commit().await
    }

    /// A year's shares per unit the caller sees and together, against the highest threshold of
    /// the plans in force that year.
    pub async fn budget_summary(&self, actor: &Actor, year: i64) -> Result<BudgetSummary> {
        let year = check_year(year)?;
        let target = self.read_optional(&Sql::new("SELECT number, budget_share_bp FROM plans WHERE year_from <= $1 AND year_to >= $1 AND budget_share_bp IS NOT NULL ORDER BY budget_share_bp DESC, issued_on DESC LIMIT 1").arg(year)).await?;
        let (target_plan, target_bp) = match &target {
            Some(r) => (Some(get::<String>(r, "number")?), Some(get::<i64>(r, "budget_share_bp")?)),
            None => (None, None),
        };
        let meets = |share: Option<i64>| target_bp.zip(share).map(|(t, s)| s >= t);
        let reach = actor.reach(Action::ViewUnits);
        let mut q = Sql::new("SELECT u.id, u.code, u.name, COUNT(*) AS projects, CAST(SUM(b.total_cost) AS BIGINT) AS total_cost, CAST(SUM(b.security_cost) AS BIGINT) AS security_cost FROM budget_projects b JOIN units u ON u.id = b.unit_id WHERE b.year = ");
        q.bind(year).push(" AND ");
        q.reach("u.path", "u.id", &reach);
        q.push(" GROUP BY u.id, u.code, u.name ORDER BY u.name");
        let rows = self.read_all(&q).await?;
        let mut units = Vec::with_capacity(rows.len());
        let (mut total_cost, mut security_cost) = (0i64, 0i64);
        for r in &rows {
            let (total, security): (i64, i64) = (get(r, "total_cost")?, get(r, "security_cost")?);
            total_cost = total_cost.saturating_add(total);
            security_cost = security_cost.saturating_add(security);
            let share = share_bp(security, total);
            units.push(UnitBudget {
                unit_id: get(r, "id")?,
                unit_code: get(r, "code")?,
                unit_name: get(r, "name")?,
                projects: get(r, "projects")?,
                total_cost: total,
                security_cost: security,
                share_bp: share.unwrap_or(0),
                meets_target: meets(share),
            });
        }
        let share = share_bp(security_cost, total_cost);
        Ok(BudgetSummary {
            year,
            target_bp,
            target_plan,
            units,
            total_cost,
            security_cost,
            share_bp: share,
            meets_target: meets(share),
        })
    }
}
