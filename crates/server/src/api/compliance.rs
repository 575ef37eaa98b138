//! Compliance: control catalogues (browse, import a new version) and assessments of systems
//! against them (plan, record results, move, evidence).

use crate::api::paging;
use crate::auth::Ctx;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use khien_domain::catalog::{CatalogueMeta, LevelSet};
use khien_domain::{Error, Msg};
use khien_store::{Assessment, AssessmentDetail, AssessmentFilter, AssessmentInput, CatalogueInfo, CatalogueTree, Evidence, Page, ResultInput};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

/// Largest catalogue file (an OSCAL NIST SP 800-53 catalog is about 10 MiB).
pub const MAX_CATALOGUE_BYTES: usize = 20 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_catalogues))
        .routes(routes!(get_catalogue))
        .merge(OpenApiRouter::new().routes(routes!(import_catalogue)).layer(axum::extract::DefaultBodyLimit::max(MAX_CATALOGUE_BYTES + 1024)))
        .routes(routes!(list_assessments, create_assessment))
        .routes(routes!(get_assessment))
        .routes(routes!(record_results))
        .routes(routes!(move_assessment))
        .merge(OpenApiRouter::new().routes(routes!(add_evidence)).layer(axum::extract::DefaultBodyLimit::max(crate::web::MAX_IMPORT_BYTES + 1024)))
        .routes(routes!(download_evidence))
}

/// Every catalogue version (city-wide reference data).
#[utoipa::path(get, path = "/api/v1/catalogues", tag = "compliance", responses((status = 200, body = Vec<CatalogueInfo>)))]
async fn list_catalogues(State(s): State<AppState>, ctx: Ctx) -> Result<Json<Vec<CatalogueInfo>>, ApiError> {
    Ok(Json(s.store.list_catalogues(&ctx.actor).await?))
}

/// A catalogue version with its groups and requirements in tree order.
#[utoipa::path(get, path = "/api/v1/catalogues/{id}", tag = "compliance", params(("id" = i64, Path)), responses((status = 200, body = CatalogueTree), (status = 404, body = crate::error::Problem)))]
async fn get_catalogue(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Json<CatalogueTree>, ApiError> {
    Ok(Json(s.store.catalogue(&ctx.actor, id).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CatalogueImportQuery {
    /// `table` (CSV or XLSX in Khiên's catalogue template, told apart by content and the file
    /// name's extension) or `oscal` (an OSCAL catalog in JSON).
    pub format: String,
    /// Named in error messages; its extension helps tell CSV from XLSX.
    pub file_name: String,
    /// Catalogue code, e.g. `tcvn-14423-2026` (1–64 of `[A-Za-z0-9._-]`).
    pub code: String,
    /// Version, e.g. `2026` (with `oscal`, defaults to the catalog's own version).
    pub version: Option<String>,
    pub title_vi: Option<String>,
    pub title_en: Option<String>,
    /// `oscal` only: the levels every control applies to (e.g. `3-5`); default 1-5.
    pub levels: Option<String>,
}

/// Import a catalogue version (the standing body). The file is the raw request body, up to
/// 20 MiB. All or nothing: a bad row is refused with 422 naming the file, row, column and reason;
/// an existing (code, version) gives 409.
#[utoipa::path(post, path = "/api/v1/catalogues/import", tag = "compliance", params(CatalogueImportQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = CatalogueInfo), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn import_catalogue(State(s): State<AppState>, ctx: Ctx, ApiQuery(q): ApiQuery<CatalogueImportQuery>, body: axum::body::Bytes) -> Result<(StatusCode, Json<CatalogueInfo>), ApiError> {
    Ok((StatusCode::CREATED, Json(import(&s, &ctx, &q, &body).await?)))
}

fn catalog_error(e: &khien_formats::catalog::CatalogError) -> Error {
    Error::Invalid { field: Some("file".into()), msg: Msg::new(e.message_vi(), e.message_en()) }
}

/// Parses and stores a catalogue file (shared with the web form).
pub(crate) async fn import(s: &AppState, ctx: &Ctx, q: &CatalogueImportQuery, body: &[u8]) -> Result<CatalogueInfo, Error> {
    // Refused before parsing: only the standing body imports.
    if !ctx.actor.can_anywhere(khien_domain::role::Action::ManageCatalogues) {
        return Err(Error::forbidden());
    }
    let title = |v: &Option<String>| v.clone().filter(|t| !t.trim().is_empty());
    let cat = match q.format.as_str() {
        "table" | "csv" | "xlsx" => {
            let version = title(&q.version).ok_or_else(|| Error::invalid("version", "Cần ghi phiên bản danh mục.", "The catalogue version is required."))?;
            let title_vi = title(&q.title_vi).unwrap_or_else(|| q.code.clone());
            let meta = CatalogueMeta {
                code: q.code.trim().to_string(),
                version,
                title_en: title(&q.title_en).unwrap_or_else(|| title_vi.clone()),
                title_vi,
                source_note: Msg::new(format!("Nhập từ tệp {} bởi {}.", q.file_name, ctx.actor.label()), format!("Imported from {} by {}.", q.file_name, ctx.actor.label())),
            };
            khien_formats::catalog::parse_catalogue_table(&q.file_name, body, meta).map_err(|e| catalog_error(&e))?
        }
        "oscal" => {
            let levels = match title(&q.levels) {
                None => LevelSet::ALL,
                Some(l) => LevelSet::parse(&l).map_err(|e| {
                    let m = e.msg();
                    Error::invalid("levels", m.vi, m.en)
                })?,
            };
            let imported = khien_formats::catalog::parse_oscal_catalog(&q.file_name, body, q.code.trim(), levels).map_err(|e| catalog_error(&e))?;
            let (mut meta, nodes) = imported.catalogue.into_parts();
            if let Some(v) = title(&q.version) {
                meta.version = v;
            }
            if let Some(t) = title(&q.title_vi) {
                meta.title_vi = t;
            }
            if let Some(t) = title(&q.title_en) {
                meta.title_en = t;
            }
            khien_domain::catalog::Catalogue::build(meta, nodes).map_err(|problems| {
                let first = problems.first().map(|p| p.msg()).unwrap_or_else(|| Msg::new("Danh mục không hợp lệ.", "Invalid catalogue."));
                Error::Invalid { field: Some("file".into()), msg: first }
            })?
        }
        other => {
            return Err(Error::invalid(
                "format",
                format!("Định dạng «{other}» không được hỗ trợ; dùng table (CSV/XLSX) hoặc oscal."),
                format!("The format «{other}» is not supported; use table (CSV/XLSX) or oscal."),
            ))
        }
    };
    s.store.import_catalogue(&ctx.actor, &cat).await
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AssessmentQuery {
    pub system_id: Option<i64>,
    /// planned, in_progress, in_review, done
    pub state: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

impl AssessmentQuery {
    pub fn filter(&self) -> Result<AssessmentFilter, Error> {
        let (cursor, limit) = paging(self.cursor.as_deref(), self.limit)?;
        Ok(AssessmentFilter { system_id: self.system_id, state: self.state.clone().filter(|s| !s.is_empty()), cursor, limit })
    }
}

/// Assessments of the systems of the caller's units and those assigned to the caller's
/// assessor unit, newest first.
#[utoipa::path(get, path = "/api/v1/assessments", tag = "compliance", params(AssessmentQuery), responses((status = 200, body = Page<Assessment>)))]
async fn list_assessments(State(s): State<AppState>, ctx: Ctx, ApiQuery(q): ApiQuery<AssessmentQuery>) -> Result<Json<Page<Assessment>>, ApiError> {
    Ok(Json(s.store.list_assessments(&ctx.actor, &q.filter()?).await?))
}

/// Plan an assessment of a system against a catalogue version at the system's level.
#[utoipa::path(post, path = "/api/v1/assessments", tag = "compliance", request_body = AssessmentInput,
    responses((status = 201, body = Assessment), (status = 422, body = crate::error::Problem), (status = 403, body = crate::error::Problem)))]
async fn create_assessment(State(s): State<AppState>, ctx: Ctx, ApiJson(b): ApiJson<AssessmentInput>) -> Result<(StatusCode, Json<Assessment>), ApiError> {
    Ok((StatusCode::CREATED, Json(s.store.create_assessment(&ctx.actor, &b).await?)))
}

/// The assessment with every result, per-group scores and changes since the previous done one.
#[utoipa::path(get, path = "/api/v1/assessments/{id}", tag = "compliance", params(("id" = i64, Path)), responses((status = 200, body = AssessmentDetail), (status = 404, body = crate::error::Problem)))]
async fn get_assessment(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Json<AssessmentDetail>, ApiError> {
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
async fn record_results(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>, ApiJson(b): ApiJson<ResultsBody>) -> Result<Json<Assessment>, ApiError> {
    Ok(Json(s.store.record_results(&ctx.actor, id, &b.results).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessmentMoveBody {
    /// in_progress, in_review, done
    pub state: String,
}

/// Move the assessment (planned → in progress → in review → done; review may send it back).
#[utoipa::path(post, path = "/api/v1/assessments/{id}/state", tag = "compliance", params(("id" = i64, Path)), request_body = AssessmentMoveBody,
    responses((status = 200, body = Assessment), (status = 409, body = crate::error::Problem)))]
async fn move_assessment(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>, ApiJson(b): ApiJson<AssessmentMoveBody>) -> Result<Json<Assessment>, ApiError> {
    Ok(Json(s.store.move_assessment(&ctx.actor, id, &b.state).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
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
async fn add_evidence(State(s): State<AppState>, ctx: Ctx, Path((id, node_id)): Path<(i64, String)>, ApiQuery(q): ApiQuery<EvidenceQuery>, body: axum::body::Bytes) -> Result<(StatusCode, Json<Evidence>), ApiError> {
    Ok((StatusCode::CREATED, Json(s.store.add_evidence(&ctx.actor, id, &node_id, &q.file_name, &body, q.valid_until.as_deref()).await?)))
}

/// Download an evidence file.
#[utoipa::path(get, path = "/api/v1/assessment-evidence/{id}", tag = "compliance", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 404, body = crate::error::Problem)))]
async fn download_evidence(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<axum::response::Response, ApiError> {
    let (e, bytes) = s.store.evidence(&ctx.actor, id).await?;
    Ok(super::download(&e.file_name, &e.content_type, &e.sha256, bytes))
}
