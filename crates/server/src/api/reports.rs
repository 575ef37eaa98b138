//! Periodic reports (issue 16.5): rounds, each unit's report (drafted, submitted, accepted or
//! returned), its frozen versions as documents, and the city's consolidated report.

use super::incidents::document_response;
use crate::auth::Ctx;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery};
use crate::services::report_docs::{consolidated_document, consolidated_sheets, unit_report_document, DocumentFrame};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use khien_domain::role::Action;
use khien_store::{Consolidation, ReportRound, ReportRoundDetail, ReportRoundInput, ReportVersion, UnitReport};
use serde::Deserialize;
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_rounds, open_round))
        .routes(routes!(round_detail))
        .routes(routes!(unit_report, save_draft))
        .routes(routes!(submit))
        .routes(routes!(decide))
        .routes(routes!(version))
        .routes(routes!(version_document))
        .routes(routes!(consolidation))
        .routes(routes!(consolidated_report))
}

/// The rounds whose reports the caller sees, newest first.
#[utoipa::path(get, path = "/api/v1/report-rounds", tag = "reports", responses((status = 200, body = Vec<ReportRound>)))]
async fn list_rounds(State(s): State<AppState>, ctx: Ctx) -> Result<Json<Vec<ReportRound>>, ApiError> {
    Ok(Json(s.store.list_report_rounds(&ctx.actor).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenReportRound {
    #[schema(value_type = khien_domain::report::ReportTemplate)]
    template: String,
    /// "2026" for a yearly template, "2026-11" for the monthly one.
    period: String,
    /// dd/mm/yyyy; left out: the template's own day (15/11 for the yearly plan report, 20/12
    /// for Mẫu 08). The monthly report needs one.
    #[serde(default)]
    due_on: String,
    /// The unit types that owe the report.
    #[schema(value_type = Vec<khien_domain::unit::UnitType>)]
    unit_types: Vec<String>,
}

/// Open a round: every active unit of the types owes the report and is told. The standing
/// body's; one round per template and period.
#[utoipa::path(post, path = "/api/v1/report-rounds", tag = "reports", request_body = OpenReportRound,
    responses((status = 201, body = ReportRound), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn open_round(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<OpenReportRound>,
) -> Result<(StatusCode, Json<ReportRound>), ApiError> {
    let input = ReportRoundInput { template: b.template, period: b.period, due_on: b.due_on, unit_types: b.unit_types };
    Ok((StatusCode::CREATED, Json(s.store.open_report_round(&ctx.actor, &input).await?)))
}

/// A round and the reports of the units the caller sees: who has submitted, who has not, who
/// is late.
#[utoipa::path(get, path = "/api/v1/report-rounds/{id}", tag = "reports", params(("id" = i64, Path)),
    responses((status = 200, body = ReportRoundDetail), (status = 404, body = crate::error::Problem)))]
async fn round_detail(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<ReportRoundDetail>, ApiError> {
    Ok(Json(s.store.report_round(&ctx.actor, id).await?))
}

/// A unit's report: its state, its versions and its content (pre-filled from the unit's
/// records while it is the unit's to write).
#[utoipa::path(get, path = "/api/v1/report-rounds/{id}/units/{unit_id}", tag = "reports",
    params(("id" = i64, Path), ("unit_id" = i64, Path)),
    responses((status = 200, body = UnitReport), (status = 404, body = crate::error::Problem)))]
async fn unit_report(
    State(s): State<AppState>,
    ctx: Ctx,
    Path((id, unit_id)): Path<(i64, i64)>,
) -> Result<Json<UnitReport>, ApiError> {
    Ok(Json(s.store.unit_report(&ctx.actor, id, unit_id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportNarratives {
    /// The parts the unit writes, by key (the template's: e.g. `results`, `difficulties`,
    /// `proposals` for the yearly plan report).
    narratives: BTreeMap<String, String>,
}

fn pairs(n: BTreeMap<String, String>) -> Vec<(String, String)> {
    n.into_iter().collect()
}

/// Save the unit's draft narrative. Whoever reports for the unit; not while the authority
/// holds the report.
#[utoipa::path(put, path = "/api/v1/report-rounds/{id}/units/{unit_id}", tag = "reports",
    params(("id" = i64, Path), ("unit_id" = i64, Path)), request_body = ReportNarratives,
    responses((status = 200, body = UnitReport), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn save_draft(
    State(s): State<AppState>,
    ctx: Ctx,
    Path((id, unit_id)): Path<(i64, i64)>,
    ApiJson(b): ApiJson<ReportNarratives>,
) -> Result<Json<UnitReport>, ApiError> {
    Ok(Json(s.store.save_report_draft(&ctx.actor, (id, unit_id), &pairs(b.narratives)).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportSubmitBody {
    /// The narrative to submit; left out: the saved draft's.
    #[serde(default)]
    narratives: Option<BTreeMap<String, String>>,
}

/// Submit the unit's report (the unit's head): the figures are read now and frozen with the
/// narrative as a new version with its SHA-256. A report already submitted or accepted is
/// refused (409).
#[utoipa::path(post, path = "/api/v1/report-rounds/{id}/units/{unit_id}/submit", tag = "reports",
    params(("id" = i64, Path), ("unit_id" = i64, Path)), request_body = ReportSubmitBody,
    responses((status = 200, body = UnitReport), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn submit(
    State(s): State<AppState>,
    ctx: Ctx,
    Path((id, unit_id)): Path<(i64, i64)>,
    ApiJson(b): ApiJson<ReportSubmitBody>,
) -> Result<Json<UnitReport>, ApiError> {
    let narratives = b.narratives.map(pairs);
    Ok(Json(s.store.submit_report(&ctx.actor, (id, unit_id), narratives.as_deref()).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportDecisionBody {
    /// true: accepted; false: returned to the unit with `reason`.
    accept: bool,
    #[serde(default)]
    reason: String,
}

/// Accept a submitted report or return it with its reason (the standing body's).
#[utoipa::path(post, path = "/api/v1/report-rounds/{id}/units/{unit_id}/decision", tag = "reports",
    params(("id" = i64, Path), ("unit_id" = i64, Path)), request_body = ReportDecisionBody,
    responses((status = 200, body = UnitReport), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn decide(
    State(s): State<AppState>,
    ctx: Ctx,
    Path((id, unit_id)): Path<(i64, i64)>,
    ApiJson(b): ApiJson<ReportDecisionBody>,
) -> Result<Json<UnitReport>, ApiError> {
    Ok(Json(s.store.decide_report(&ctx.actor, (id, unit_id), b.accept, &b.reason).await?))
}

/// A submitted version as it was frozen, with its SHA-256.
#[utoipa::path(get, path = "/api/v1/report-versions/{id}", tag = "reports", params(("id" = i64, Path)),
    responses((status = 200, body = ReportVersion), (status = 404, body = crate::error::Problem)))]
async fn version(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Json<ReportVersion>, ApiError> {
    Ok(Json(s.store.report_version(&ctx.actor, id).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReportFormatQuery {
    /// `docx` (the default), `pdf`; the consolidation also `xlsx` (its tables).
    format: Option<String>,
}

/// Writes a document off the async runtime (a city's consolidation is long).
async fn document(
    doc: khien_formats::docx::AdminDocument,
    format: Option<String>,
    stem: String,
) -> Result<axum::response::Response, ApiError> {
    tokio::task::spawn_blocking(move || document_response(&doc, format.as_deref(), &stem))
        .await
        .map_err(khien_domain::Error::internal)?
}

/// A submitted version as a report (NĐ 30/2020 layout): DOCX or PDF.
#[utoipa::path(get, path = "/api/v1/report-versions/{id}/document", tag = "reports", params(("id" = i64, Path), ReportFormatQuery),
    responses((status = 200, content((Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), (Vec<u8> = "application/pdf"))),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn version_document(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiQuery(q): ApiQuery<ReportFormatQuery>,
) -> Result<axum::response::Response, ApiError> {
    let v = s.store.report_version(&ctx.actor, id).await?;
    let header = s.store.document_header(v.unit_id).await?;
    let frame = DocumentFrame {
        header: &header,
        place_name: s.config.place_name.as_deref(),
        date: khien_domain::calendar::date_vn(v.head.submitted_at),
    };
    let doc = unit_report_document(&frame, &v.content);
    document(doc, q.format, format!("bao-cao-{}-{}-v{}", v.round.template, v.round.period, v.head.version)).await
}

/// The submissions of a round and who has not submitted: the city's view (the authority,
/// the city's leadership).
#[utoipa::path(get, path = "/api/v1/report-rounds/{id}/consolidation", tag = "reports", params(("id" = i64, Path)),
    responses((status = 200, body = Consolidation), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
async fn consolidation(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<Consolidation>, ApiError> {
    Ok(Json(s.store.consolidate_reports(&ctx.actor, id).await?))
}

/// The city's report built from the round's submissions: DOCX or PDF in the NĐ 30/2020
/// layout, issued by the standing body; or its tables as XLSX.
#[utoipa::path(get, path = "/api/v1/report-rounds/{id}/consolidated", tag = "reports", params(("id" = i64, Path), ReportFormatQuery),
    responses((status = 200, content((Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), (Vec<u8> = "application/pdf"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn consolidated_report(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiQuery(q): ApiQuery<ReportFormatQuery>,
) -> Result<axum::response::Response, ApiError> {
    let c = s.store.consolidate_reports(&ctx.actor, id).await?;
    let stem = format!("tong-hop-{}-{}", c.round.template, c.round.period);
    if q.format.as_deref() == Some("xlsx") {
        let bytes = super::indicators::workbook(consolidated_sheets(&c)).await?;
        return Ok(super::systems::xlsx(bytes, &format!("{stem}.xlsx")));
    }
    // Issued by the standing body: the caller's governing unit, else the city.
    let root = s.store.root_unit().await?.ok_or_else(|| khien_domain::Error::not_found("đơn vị gốc", "Root unit"))?;
    let issuer = ctx.actor.grants.iter().find(|g| g.role.allows(Action::Govern)).map_or(root.id, |g| g.unit_id);
    let header = s.store.document_header(issuer).await?;
    let frame =
        DocumentFrame { header: &header, place_name: s.config.place_name.as_deref(), date: s.store.clock().today_vn() };
    let doc = consolidated_document(&frame, &c);
    document(doc, q.format, stem).await
}
