//! The cybersecurity share of IT spending: each unit's projects per year, the shares against the
//! plan's threshold, and the threshold a plan sets.

use crate::auth::Ctx;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use khien_store::{BudgetProject, BudgetProjectInput, BudgetSummary};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_projects, record_project))
        .routes(routes!(get_project, update_project))
        .routes(routes!(summary))
        .routes(routes!(set_plan_share))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BudgetQuery {
    year: i64,
    /// Only this unit's projects.
    unit_id: Option<i64>,
}

/// A year's projects of the units the caller sees.
#[utoipa::path(get, path = "/api/v1/budget-projects", tag = "plans", params(BudgetQuery),
    responses((status = 200, body = Vec<BudgetProject>), (status = 422, body = crate::error::Problem)))]
async fn list_projects(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<BudgetQuery>,
) -> Result<Json<Vec<BudgetProject>>, ApiError> {
    Ok(Json(s.store.list_budget_projects(&ctx.actor, q.year, q.unit_id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectBody {
    unit_id: i64,
    year: i64,
    name: String,
    /// Whole đồng.
    total_cost: i64,
    /// The part for cybersecurity products and services, whole đồng; at most `total_cost`.
    security_cost: i64,
    #[serde(default)]
    note: String,
}

impl ProjectBody {
    fn input(self) -> BudgetProjectInput {
        BudgetProjectInput {
            unit_id: self.unit_id,
            year: self.year,
            name: self.name,
            total_cost: self.total_cost,
            security_cost: self.security_cost,
            note: self.note,
        }
    }
}

/// Declare a project of a unit the caller reports for.
#[utoipa::path(post, path = "/api/v1/budget-projects", tag = "plans", request_body = ProjectBody,
    responses((status = 201, body = BudgetProject), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn record_project(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<ProjectBody>,
) -> Result<(StatusCode, Json<BudgetProject>), ApiError> {
    Ok((StatusCode::CREATED, Json(s.store.record_budget_project(&ctx.actor, &b.input()).await?)))
}

#[utoipa::path(get, path = "/api/v1/budget-projects/{id}", tag = "plans", params(("id" = i64, Path)),
    responses((status = 200, body = BudgetProject), (status = 404, body = crate::error::Problem)))]
async fn get_project(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<BudgetProject>, ApiError> {
    Ok(Json(s.store.get_budget_project(&ctx.actor, id).await?))
}

/// Correct a project; its unit stays (`unit_id` must be the project's own).
#[utoipa::path(put, path = "/api/v1/budget-projects/{id}", tag = "plans", params(("id" = i64, Path)), request_body = ProjectBody,
    responses((status = 200, body = BudgetProject), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn update_project(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<ProjectBody>,
) -> Result<Json<BudgetProject>, ApiError> {
    let current = s.store.get_budget_project(&ctx.actor, id).await?;
    if current.unit_id != b.unit_id {
        return Err(khien_domain::Error::invalid(
            "unit_id",
            "Không chuyển dự án sang đơn vị khác; hãy khai báo dự án mới.",
            "A project stays with its unit; declare a new one instead.",
        )
        .into());
    }
    Ok(Json(s.store.update_budget_project(&ctx.actor, id, &b.input()).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct YearQuery {
    year: i64,
}

/// Per unit the caller sees and together: the year's total, cybersecurity part and share,
/// against the highest threshold of the plans in force that year.
#[utoipa::path(get, path = "/api/v1/budget-summary", tag = "plans", params(YearQuery),
    responses((status = 200, body = BudgetSummary), (status = 422, body = crate::error::Problem)))]
async fn summary(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> Result<Json<BudgetSummary>, ApiError> {
    Ok(Json(s.store.budget_summary(&ctx.actor, q.year).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShareBody {
    /// The least share as a percentage ("10", "12,5"); empty or absent clears it.
    #[serde(default)]
    percent: Option<String>,
}

/// Set the least share of IT spending a plan asks for cybersecurity (the authority's).
#[utoipa::path(put, path = "/api/v1/plans/{id}/budget-share", tag = "plans", params(("id" = i64, Path)), request_body = ShareBody,
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn set_plan_share(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<ShareBody>,
) -> Result<StatusCode, ApiError> {
    let bp = match b.percent.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(p) => Some(khien_domain::budget::parse_percent("percent", p)?),
    };
    s.store.set_plan_budget_share(&ctx.actor, id, bp).await?;
    Ok(StatusCode::NO_CONTENT)
}
