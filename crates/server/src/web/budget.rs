//! The cybersecurity share of IT spending: a year's shares per unit against the plan's
//! threshold (a meter per unit), the projects behind them, the form to declare one and the page
//! to correct it; and the threshold form of a plan.

use super::kept_form::{refusal, refused, FormError, Posted};
use super::msg;
use super::{render, see_other, Chrome};
use crate::auth::Ctx;
use crate::error::WebError;
use crate::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::{Html, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::Datelike;
use khien_domain::budget::{parse_percent, show_bp};
use khien_domain::number::grouped;
use khien_domain::role::Action;
use khien_domain::Error;
use khien_store::{BudgetProject, BudgetProjectInput, BudgetSummary};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/budget", get(page).post(record))
        .route("/budget/projects/{id}", get(project_page).post(correct))
        .route("/plans/{id}/budget-share", post(set_share))
}

#[derive(Deserialize, Default)]
struct YearQuery {
    #[serde(default)]
    year: String,
}

/// A row of the shares table: the unit (or the whole), its figures shown, the share for the
/// meter (0–100) and whether it reaches the threshold.
struct ShareLine {
    name: String,
    projects: i64,
    total: String,
    security: String,
    share: String,
    percent: f64,
    meets: Option<bool>,
}

#[derive(Template)]
#[template(path = "budget.html")]
struct Page {
    c: Chrome,
    year: i64,
    years: Vec<i64>,
    target: String,
    target_percent: f64,
    target_plan: String,
    lines: Vec<ShareLine>,
    whole: Option<ShareLine>,
    projects: Vec<(BudgetProject, String, String, String)>,
    units: Vec<(i64, String)>,
    v: Posted,
    error: FormError,
}

fn line(name: String, projects: i64, total: i64, security: i64, share_bp: i64, meets: Option<bool>) -> ShareLine {
    ShareLine {
        name,
        projects,
        total: grouped(total),
        security: grouped(security),
        share: show_bp(share_bp),
        percent: share_bp as f64 / 100.0,
        meets,
    }
}

fn year_of(s: &AppState, text: &str) -> i64 {
    text.trim().parse().unwrap_or_else(|_| i64::from(s.store.clock().today_vn().year()))
}

async fn show(s: &AppState, ctx: &Ctx, year: i64, v: Posted, error: FormError) -> Result<Html<String>, WebError> {
    let (summary, projects): (BudgetSummary, Vec<BudgetProject>) = tokio::try_join!(
        s.store.budget_summary(&ctx.actor, year),
        s.store.list_budget_projects(&ctx.actor, year, None)
    )?;
    let lines = summary
        .units
        .iter()
        .map(|u| line(u.unit_name.clone(), u.projects, u.total_cost, u.security_cost, u.share_bp, u.meets_target))
        .collect();
    let whole = summary.share_bp.map(|bp| {
        let all = ctx.lang.pick("Tổng cộng", "All together").to_string();
        line(all, projects.len() as i64, summary.total_cost, summary.security_cost, bp, summary.meets_target)
    });
    let this_year = i64::from(s.store.clock().today_vn().year());
    render(&Page {
        c: Chrome::new(ctx, "plans", "Kinh phí an ninh mạng", "Cybersecurity budget"),
        year: summary.year,
        years: (this_year - 4..=this_year + 1).rev().collect(),
        target: summary.target_bp.map(show_bp).unwrap_or_default(),
        target_percent: summary.target_bp.map_or(0.0, |bp| bp as f64 / 100.0),
        target_plan: summary.target_plan.unwrap_or_default(),
        lines,
        whole,
        projects: projects
            .into_iter()
            .map(|p| {
                let shown = (grouped(p.total_cost), grouped(p.security_cost), show_bp(p.share_bp));
                (p, shown.0, shown.1, shown.2)
            })
            .collect(),
        units: if ctx.actor.can_anywhere(Action::ReportProgress) {
            super::units::options(s, ctx, Action::ReportProgress).await?
        } else {
            Vec::new()
        },
        v,
        error,
    })
}

async fn page(State(s): State<AppState>, ctx: Ctx, Query(q): Query<YearQuery>) -> Result<Html<String>, WebError> {
    let year = year_of(&s, &q.year);
    show(&s, &ctx, year, Posted::default().with("year", &year.to_string()), FormError::default()).await
}

/// Đồng as people type them: "1.500.000.000" or "1500000000".
fn amount(p: &Posted, field: &str) -> Result<i64, Error> {
    let v: String = p.get(field).chars().filter(|c| !matches!(c, '.' | ' ' | '\u{a0}')).collect();
    v.parse().map_err(|_| {
        Error::invalid(field, "Nhập số tiền bằng đồng, ví dụ 1.500.000.000.", "Enter whole đồng, e.g. 1.500.000.000.")
    })
}

async fn input(s: &AppState, ctx: &Ctx, p: &Posted) -> Result<BudgetProjectInput, Error> {
    Ok(BudgetProjectInput {
        unit_id: super::unit_field(s, &ctx.actor, "unit", p.get("unit"), p.get("unit_code")).await?,
        year: p.get("year").trim().parse().map_err(|_| Error::invalid("year", "Năm không hợp lệ.", "Not a year."))?,
        name: p.get("name").to_string(),
        total_cost: amount(p, "total_cost")?,
        security_cost: amount(p, "security_cost")?,
        note: p.get("note").to_string(),
    })
}

async fn record(State(s): State<AppState>, ctx: Ctx, body: Bytes) -> Result<Response, WebError> {
    let p = Posted::parse(&body)?;
    let result = match input(&s, &ctx, &p).await {
        Ok(i) => s.store.record_budget_project(&ctx.actor, &i).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(project) => Ok(see_other(&format!("/budget?year={}", project.year))),
        Err(e) => {
            let error = refusal(e, ctx.lang)?;
            let year = year_of(&s, p.get("year"));
            Ok(refused(show(&s, &ctx, year, p, error).await?))
        }
    }
}

#[derive(Template)]
#[template(path = "budget_project.html")]
struct ProjectPage {
    c: Chrome,
    project: BudgetProject,
    can_edit: bool,
    /// Empty: a project stays with its unit.
    units: Vec<(i64, String)>,
    v: Posted,
    error: FormError,
}

async fn project_form(
    s: &AppState,
    ctx: &Ctx,
    id: i64,
    v: Option<Posted>,
    error: FormError,
) -> Result<Html<String>, WebError> {
    let project = s.store.get_budget_project(&ctx.actor, id).await?;
    let unit = s.store.get_unit(&ctx.actor, project.unit_id).await?;
    let v = v.unwrap_or_else(|| {
        Posted::default()
            .with("unit", &project.unit_id.to_string())
            .with("year", &project.year.to_string())
            .with("name", &project.name)
            .with("total_cost", &grouped(project.total_cost))
            .with("security_cost", &grouped(project.security_cost))
            .with("note", &project.note)
    });
    render(&ProjectPage {
        c: Chrome::new(ctx, "plans", &project.name, &project.name),
        can_edit: ctx.actor.can(Action::ReportProgress, unit.id, &unit.path),
        units: Vec::new(),
        project,
        v,
        error,
    })
}

async fn project_page(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Html<String>, WebError> {
    project_form(&s, &ctx, id, None, FormError::default()).await
}

async fn correct(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, WebError> {
    let p = Posted::parse(&body)?;
    let current = s.store.get_budget_project(&ctx.actor, id).await?;
    let p = p.with("unit", &current.unit_id.to_string());
    let result = match input(&s, &ctx, &p).await {
        Ok(i) => s.store.update_budget_project(&ctx.actor, id, &i).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(project) => Ok(see_other(&format!("/budget?year={}", project.year))),
        Err(e) => {
            let error = refusal(e, ctx.lang)?;
            Ok(refused(project_form(&s, &ctx, id, Some(p), error).await?))
        }
    }
}

/// The plan page's threshold form; an empty field clears it.
async fn set_share(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, WebError> {
    let p = Posted::parse(&body)?;
    let share = match p.get("budget_share").trim() {
        "" => None,
        v => Some(parse_percent("budget_share", v)?),
    };
    s.store.set_plan_budget_share(&ctx.actor, id, share).await?;
    Ok(see_other(&format!("/plans/{id}")))
}
