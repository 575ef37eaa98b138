//! Compliance: control catalogues (browse, import a new version) and assessments of systems
//! against them (plan, record results, move, evidence).

use crate::api::paging;
use crate::auth::Ctx;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery};
use crate::services::catalogue_io::{self, CatalogueImportQuery, ExportFormat, MAX_CATALOGUE_BYTES};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use khien_domain::Error;
use khien_store::{
    Assessment, AssessmentDetail, AssessmentFilter, AssessmentInput, CatalogueInfo, CatalogueTree, Evidence, Page,
    ResultInput,
};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_catalogues))
        .routes(routes!(get_catalogue))
        .routes(routes!(export_catalogue))
        .routes(routes!(catalogue_template))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(import_catalogue))
                .layer(axum::extract::DefaultBodyLimit::max(MAX_CATALOGUE_BYTES + 1024)),
        )
        .routes(routes!(list_assessments, create_assessment))
        .routes(routes!(unit_compliance))
        .routes(routes!(get_assessment))
        .routes(routes!(record_results))
        .routes(routes!(move_assessment))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(add_evidence))
                .layer(axum::extract::DefaultBodyLimit::max(crate::web::MAX_IMPORT_BYTES + 1024)),
        )
        .routes(routes!(download_evidence))
}

/// Every catalogue version (city-wide reference data).
#[utoipa::path(get, path = "/api/v1/catalogues", tag = "compliance", responses((status = 200, body = Vec<CatalogueInfo>)))]
async fn list_catalogues(State(s): State<AppState>, ctx: Ctx) -> Result<Json<Vec<CatalogueInfo>>, ApiError> {
    Ok(Json(s.store.list_catalogues(&ctx.actor).await?))
}

/// A catalogue version with its groups and requirements in tree order.
#[utoipa::path(get, path = "/api/v1/catalogues/{id}", tag = "compliance", params(("id" = i64, Path)), responses((status = 200, body = CatalogueTree), (status = 404, body = crate::error::Problem)))]
async fn get_catalogue(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<CatalogueTree>, ApiError> {
    Ok(Json(s.store.catalogue(&ctx.actor, id).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CatalogueExportQuery {
    /// `csv`, `xlsx` or `yaml` (Khiên's catalogue format; imports back as the same tree).
    #[param(value_type = crate::api::params::CatalogueExportFormat, inline)]
    pub format: String,
}

/// A catalogue version as a file in Khiên's catalogue format (the OSCAL form is
/// `/api/v1/catalogues/{id}/oscal`).
#[utoipa::path(get, path = "/api/v1/catalogues/{id}/export", tag = "compliance", params(("id" = i64, Path), CatalogueExportQuery),
    responses((status = 200, content((Vec<u8> = "text/csv"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (Vec<u8> = "application/yaml"))),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn export_catalogue(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiQuery(q): ApiQuery<CatalogueExportQuery>,
) -> Result<Response, ApiError> {
    let format = ExportFormat::parse(&q.format)?;
    Ok(catalogue_io::export(&s, &ctx.actor, id, format).await?)
}

/// The XLSX template of the catalogue table format, with a sheet explaining its columns.
#[utoipa::path(get, path = "/api/v1/catalogues/template", tag = "compliance",
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>)))]
async fn catalogue_template(ctx: Ctx) -> Result<Response, ApiError> {
    Ok(catalogue_io::template(&ctx.actor)?)
}

/// Import a catalogue version (the standing body). The file is the raw request body, up to
/// 20 MiB. All or nothing: a bad row is refused with 422 naming the file, row, column and reason;
/// an existing (code, version) gives 409.
#[utoipa::path(post, path = "/api/v1/catalogues/import", tag = "compliance", params(CatalogueImportQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = CatalogueInfo), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn import_catalogue(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<CatalogueImportQuery>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<CatalogueInfo>), ApiError> {
    Ok((StatusCode::CREATED, Json(catalogue_io::import(&s, &ctx, &q, &body).await?)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AssessmentQuery {
    pub system_id: Option<i64>,
    /// planned, in_progress, in_review, done
    #[param(value_type = Option<crate::api::params::AssessmentState>, inline)]
    pub state: Option<String>,
    pub cursor: Option<String>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

impl AssessmentQuery {
    pub fn filter(&self) -> Result<AssessmentFilter, Error> {
        let (cursor, limit) = paging(self.cursor.as_deref(), self.limit)?;
        Ok(AssessmentFilter {
            system_id: self.system_id,
            state: crate::api::code_filter(self.state.clone(), |s| {
                khien_domain::compliance::AssessmentState::parse("state", s).map(|v| v.code())
            })?,
            cursor,
            limit,
        })
    }
}

/// Compliance per owner unit in the caller's reach: each system's latest done assessment,
/// summed (compliant whole, partly half, not-applicable left out), lowest first.
#[utoipa::path(get, path = "/api/v1/assessments/by-unit", tag = "compliance", responses((status = 200, body = Vec<khien_store::UnitCompliance>)))]
async fn unit_compliance(
    State(s): State<AppState>,
    ctx: Ctx,
) -> Result<Json<Vec<khien_store::UnitCompliance>>, ApiError> {
    Ok(Json(s.store.unit_compliance(&ctx.actor).await?))
}

/// Assessments of the systems of the caller's units and those assigned to the caller's
/// assessor unit, newest first.
#[utoipa::path(get, path = "/api/v1/assessments", tag = "compliance", params(AssessmentQuery), responses((status = 200, body = Page<Assessment>)))]
async fn list_assessments(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<AssessmentQuery>,
) -> Result<Json<Page<Assessment>>, ApiError> {
    Ok(Json(s.store.list_assessments(&ctx.actor, &q.filter()?).await?))
}

/// Plan an assessment of a system against a catalogue version at the system's level.
#[utoipa::path(post, path = "/api/v1/assessments", tag = "compliance", request_body = AssessmentInput,
    responses((status = 201, body = Assessment), (status = 422, body = crate::error::Problem), (status = 403, body = crate::error::Problem)))]
async fn create_assessment(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<AssessmentInput>,
) -> Result<(StatusCode, Json<Assessment>), ApiError> {
    Ok((StatusCode::CREATED, Json(s.store.create_assessment(&ctx.actor, &b).await?)))
}

/// The assessment with every result, per-group scores and changes since the previous done one.
#[utoipa::path(get, path = "/api/v1/assessments/{id}", tag = "compliance", params(("id" = i64, Path)), responses((status = 200, body = AssessmentDetail), (status = 404, body = crate::error::Problem)))]
async fn get_assessment(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<AssessmentDetail>, ApiError> {
    Ok(Json(s.store.assessment(&ctx.actor, id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResultsBody {
    pub results: Vec<ResultInput>,
}

/// Record outcomes and notes of several requirements at once (planned or in progress only; the
/// first result starts a planned assessment).
#[utoipa::path(put, path = "/api/v1/assessments/{id}/results", tag = "compliance", params(("id" = i64, Path)), request_body = ResultsBody,
    responses((status = 200, body = Assessment), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn record_results(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<ResultsBody>,
) -> Result<Json<Assessment>, ApiError> {
    Ok(Json(s.store.record_results(&ctx.actor, id, &b.results).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessmentMoveBody {
    pub state: khien_domain::compliance::assessment::AssessmentState,
}

/// Move the assessment (planned → in progress → in review → done; review may send it back).
#[utoipa::path(post, path = "/api/v1/assessments/{id}/state", tag = "compliance", params(("id" = i64, Path)), request_body = AssessmentMoveBody,
    responses((status = 200, body = Assessment), (status = 409, body = crate::error::Problem)))]
async fn move_assessment(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<AssessmentMoveBody>,
) -> Result<Json<Assessment>, ApiError> {
    Ok(Json(s.store.move_assessment(&ctx.actor, id, b.state).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EvidenceQuery {
    pub file_name: String,
    /// Until when the evidence holds (dd/mm/yyyy or YYYY-MM-DD), e.g. a certificate's expiry.
    pub valid_until: Option<String>,
}

/// Attach an evidence file (raw body; PDF, DOC/DOCX, XLS/XLSX, ODT/ODS, PNG, JPG or ZIP, checked
/// by content; at most 20 MiB) to one requirement's result. Its SHA-256 is stored.
#[utoipa::path(post, path = "/api/v1/assessments/{id}/results/{node_id}/evidence", tag = "compliance", params(("id" = i64, Path), ("node_id" = String, Path), EvidenceQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = Evidence), (status = 422, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
async fn add_evidence(
    State(s): State<AppState>,
    ctx: Ctx,
    Path((id, node_id)): Path<(i64, String)>,
    ApiQuery(q): ApiQuery<EvidenceQuery>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<Evidence>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(s.store.add_evidence(&ctx.actor, id, &node_id, &q.file_name, &body, q.valid_until.as_deref()).await?),
    ))
}

/// Download an evidence file.
#[utoipa::path(get, path = "/api/v1/assessment-evidence/{id}", tag = "compliance", params(("id" = i64, Path)),
    responses((status = 200, description = "The file, with the media type found from its content.", content(
        (Vec<u8> = "application/pdf"), (Vec<u8> = "application/msword"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (Vec<u8> = "application/vnd.ms-excel"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (Vec<u8> = "application/vnd.oasis.opendocument.text"), (Vec<u8> = "application/vnd.oasis.opendocument.spreadsheet"),
        (Vec<u8> = "image/png"), (Vec<u8> = "image/jpeg"), (Vec<u8> = "application/zip"))),
        (status = 404, body = crate::error::Problem)))]
async fn download_evidence(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<axum::response::Response, ApiError> {
    let (e, bytes) = s.store.evidence(&ctx.actor, id).await?;
    Ok(super::download(&e.file_name, &e.content_type, &e.sha256, bytes))
}
