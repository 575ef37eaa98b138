//! Plans and their tasks: importing a task table (staged, previewed, then written), reading a
//! plan's tasks and status per period, who has not reported, and progress reports.

use crate::auth::Ctx;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery};
use crate::services::plans_io;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use khien_store::{
    MissingReporter, MyPlanTask, Plan, PlanImportPreview, PlanInput, PlanTask, ProgressInput, ProgressReport,
    TaskProgress, TaskTally,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_plans))
        .routes(routes!(get_plan))
        .routes(routes!(plan_status))
        .routes(routes!(missing_reporters))
        .routes(routes!(status_workbook))
        .routes(routes!(my_tasks))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(stage_import))
                .layer(axum::extract::DefaultBodyLimit::max(crate::web::MAX_IMPORT_BYTES)),
        )
        .routes(routes!(preview_import))
        .routes(routes!(create_plan))
        .routes(routes!(task_progress, report_progress))
}

/// The city's plans, newest first.
#[utoipa::path(get, path = "/api/v1/plans", tag = "plans", responses((status = 200, body = Vec<Plan>)))]
async fn list_plans(State(s): State<AppState>, ctx: Ctx) -> Result<Json<Vec<Plan>>, ApiError> {
    Ok(Json(s.store.list_plans(&ctx.actor).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanDetail {
    plan: Plan,
    /// Sections and tasks in the table's order.
    tasks: Vec<PlanTask>,
}

/// A plan with its sections and tasks.
#[utoipa::path(get, path = "/api/v1/plans/{id}", tag = "plans", params(("id" = i64, Path)),
    responses((status = 200, body = PlanDetail), (status = 404, body = crate::error::Problem)))]
async fn get_plan(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Json<PlanDetail>, ApiError> {
    let plan = s.store.get_plan(&ctx.actor, id).await?;
    let tasks = s.store.plan_tasks(&ctx.actor, id).await?;
    Ok(Json(PlanDetail { plan, tasks }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PeriodQuery {
    /// "2026" for a yearly plan, "2026-05" for a monthly one.
    period: String,
}

/// Per task, how many of the units the caller sees have reported for the period, and how.
#[utoipa::path(get, path = "/api/v1/plans/{id}/status", tag = "plans", params(("id" = i64, Path), PeriodQuery),
    responses((status = 200, body = Vec<TaskTally>), (status = 422, body = crate::error::Problem)))]
async fn plan_status(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> Result<Json<Vec<TaskTally>>, ApiError> {
    Ok(Json(s.store.plan_tallies(&ctx.actor, id, &q.period).await?))
}

/// The units (that the caller sees) without a report on some of their tasks for the period.
#[utoipa::path(get, path = "/api/v1/plans/{id}/missing", tag = "plans", params(("id" = i64, Path), PeriodQuery),
    responses((status = 200, body = Vec<MissingReporter>), (status = 422, body = crate::error::Problem)))]
async fn missing_reporters(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> Result<Json<Vec<MissingReporter>>, ApiError> {
    Ok(Json(s.store.missing_reporters(&ctx.actor, id, &q.period).await?))
}

/// The plan's status for the period as an Excel workbook in its appendix's layout (STT, Nhiệm
/// vụ, Chủ trì, Phối hợp, Thời gian thực hiện, then the period's reports per task), with a
/// second sheet of the units that have not reported.
#[utoipa::path(get, path = "/api/v1/plans/{id}/status.xlsx", tag = "plans", params(("id" = i64, Path), PeriodQuery),
    responses((status = 200, content((Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), (status = 422, body = crate::error::Problem)))]
async fn status_workbook(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> Result<axum::response::Response, ApiError> {
    use khien_formats::sheet::{Cell, Table};
    let tasks = s.store.plan_tasks(&ctx.actor, id).await?;
    let (tallies, missing) = s.store.plan_status(&ctx.actor, id, &q.period).await?;
    let rows: Vec<Vec<Cell>> = tasks
        .iter()
        .map(|t| {
            let mut row: Vec<Cell> = vec![
                t.number.clone().into(),
                t.body.clone().into(),
                t.lead_names.join("\n").into(),
                t.coordinating_names.join("\n").into(),
                t.cadence.clone().into(),
            ];
            if let Some(x) = tallies.iter().find(|x| x.task_id == t.id) {
                row.extend([x.expected, x.reported, x.done, x.in_progress, x.not_started, x.blocked].map(Cell::from));
            }
            row
        })
        .collect();
    let late: Vec<Vec<Cell>> = missing
        .into_iter()
        .map(|m| vec![m.code.into(), m.name.into(), m.tasks.join(", ").into(), m.leads.into()])
        .collect();
    const STATUS: [&str; 11] = [
        "STT",
        "Nhiệm vụ",
        "Đơn vị chủ trì",
        "Đơn vị phối hợp",
        "Thời gian thực hiện",
        "Số đơn vị phải báo cáo",
        "Đã báo cáo",
        "Hoàn thành",
        "Đang triển khai",
        "Chưa triển khai",
        "Vướng mắc",
    ];
    const LATE: [&str; 4] = ["Mã đơn vị", "Đơn vị", "Nhiệm vụ chưa báo cáo", "Trong đó chủ trì"];
    let bytes = tokio::task::spawn_blocking(move || {
        khien_formats::sheet::write_tables_xlsx(&[
            Table { name: "Tien do", headers: &STATUS, rows: &rows },
            Table { name: "Chua bao cao", headers: &LATE, rows: &late },
        ])
    })
    .await
    .map_err(khien_domain::Error::internal)?
    .map_err(khien_domain::Error::internal)?;
    let period: String = q.period.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    Ok(crate::api::list_exports::xlsx_download(bytes, &format!("tien-do-ke-hoach-{id}-{period}.xlsx")))
}

/// The tasks the caller's own units report on, in each plan's current period.
#[utoipa::path(get, path = "/api/v1/my-plan-tasks", tag = "plans", responses((status = 200, body = Vec<MyPlanTask>)))]
async fn my_tasks(State(s): State<AppState>, ctx: Ctx) -> Result<Json<Vec<MyPlanTask>>, ApiError> {
    Ok(Json(s.store.my_plan_tasks(&ctx.actor).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StageQuery {
    /// The file's name; .docx, .xlsx or .csv, named in error messages.
    file_name: String,
}

/// Upload a plan's task table (the Word appendix, XLSX or CSV): it is read at once (errors name
/// the table, row and column) and kept for a day; the answer shows how each unit name matched.
#[utoipa::path(post, path = "/api/v1/plan-imports", tag = "plans", params(StageQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = PlanImportPreview), (status = 422, body = crate::error::Problem)))]
async fn stage_import(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<StageQuery>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<PlanImportPreview>), ApiError> {
    Ok((StatusCode::CREATED, Json(plans_io::stage(&s, &ctx, &q.file_name, &body, "").await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NameMapping {
    /// The name as the table writes it.
    name: String,
    /// What it stands for: "unit:12", "type:ward" (every active unit of the type) or "none"
    /// (named, not tracked).
    targets: Vec<String>,
}

fn mappings(list: &[NameMapping]) -> Result<Vec<plans_io::Mapping>, khien_domain::Error> {
    list.iter().map(|m| plans_io::mapping(&m.name, &m.targets)).collect()
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviewBody {
    #[serde(default)]
    mappings: Vec<NameMapping>,
}

/// The preview of a staged file again, with the mappings chosen so far.
#[utoipa::path(post, path = "/api/v1/plan-imports/{id}/preview", tag = "plans", params(("id" = i64, Path)),
    request_body = PreviewBody,
    responses((status = 200, body = PlanImportPreview), (status = 404, body = crate::error::Problem)))]
async fn preview_import(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<PreviewBody>,
) -> Result<Json<PlanImportPreview>, ApiError> {
    Ok(Json(plans_io::preview(&s, &ctx, id, &mappings(&b.mappings)?).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePlan {
    plan: PlanInput,
    /// The authority's choices for names that did not match one unit (remembered for later
    /// plans); a name left out keeps its match.
    #[serde(default)]
    mappings: Vec<NameMapping>,
}

/// Write the plan from a staged file, all or nothing; every unit name must be resolved.
#[utoipa::path(post, path = "/api/v1/plan-imports/{id}/plan", tag = "plans", params(("id" = i64, Path)),
    request_body = CreatePlan,
    responses((status = 201, body = Plan), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn create_plan(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<CreatePlan>,
) -> Result<(StatusCode, Json<Plan>), ApiError> {
    let plan = plans_io::create(&s, &ctx, id, &b.plan, &mappings(&b.mappings)?).await?;
    Ok((StatusCode::CREATED, Json(plan)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OptionalPeriod {
    /// The plan's current period when absent.
    period: Option<String>,
}

/// A task's units and their reports for a period (the units the caller sees; every unit of a
/// task the caller's unit leads).
#[utoipa::path(get, path = "/api/v1/plan-tasks/{id}/progress", tag = "plans", params(("id" = i64, Path), OptionalPeriod),
    responses((status = 200, body = TaskProgress), (status = 404, body = crate::error::Problem)))]
async fn task_progress(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiQuery(q): ApiQuery<OptionalPeriod>,
) -> Result<Json<TaskProgress>, ApiError> {
    Ok(Json(s.store.task_progress(&ctx.actor, id, q.period.as_deref()).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgressBody {
    unit_id: i64,
    period: String,
    status: khien_domain::plan::progress::ProgressStatus,
    #[serde(default)]
    narrative: String,
    #[serde(default)]
    figures: String,
}

/// Report (or correct) a unit's progress on a task for a period that has begun.
#[utoipa::path(post, path = "/api/v1/plan-tasks/{id}/progress", tag = "plans", params(("id" = i64, Path)),
    request_body = ProgressBody,
    responses((status = 200, body = ProgressReport), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn report_progress(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<ProgressBody>,
) -> Result<Json<ProgressReport>, ApiError> {
    let input = ProgressInput { status: b.status.code().to_string(), narrative: b.narrative, figures: b.figures };
    Ok(Json(s.store.report_progress(&ctx.actor, id, b.unit_id, &b.period, &input).await?))
}
