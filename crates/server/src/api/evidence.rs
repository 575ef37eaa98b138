//! Evidence files behind progress reports and recurring duties done.

use crate::auth::Ctx;
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use khien_store::EvidenceFile;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(
            OpenApiRouter::new()
                .routes(routes!(attach_to_report))
                .routes(routes!(attach_to_duty))
                .layer(axum::extract::DefaultBodyLimit::max(crate::web::MAX_IMPORT_BYTES + 1024)),
        )
        .routes(routes!(download))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EvidenceQuery {
    file_name: String,
}

/// Attach evidence (raw body) to a unit's progress report: a decision, minutes or photographs as
/// PDF, DOCX, XLSX, PNG, JPG, WEBP, text or ZIP, checked by content, at most 20 MiB.
#[utoipa::path(post, path = "/api/v1/plan-progress/{id}/files", tag = "plans", params(("id" = i64, Path), EvidenceQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = EvidenceFile), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn attach_to_report(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiQuery(q): ApiQuery<EvidenceQuery>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<EvidenceFile>), ApiError> {
    Ok((StatusCode::CREATED, Json(s.store.attach_progress_evidence(&ctx.actor, id, &q.file_name, &body).await?)))
}

/// Attach evidence (raw body) to a recurring duty recorded as done, as for a progress report.
#[utoipa::path(post, path = "/api/v1/obligation-occurrences/{id}/files", tag = "systems", params(("id" = i64, Path), EvidenceQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = EvidenceFile), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn attach_to_duty(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiQuery(q): ApiQuery<EvidenceQuery>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<EvidenceFile>), ApiError> {
    Ok((StatusCode::CREATED, Json(s.store.attach_obligation_evidence(&ctx.actor, id, &q.file_name, &body).await?)))
}

/// Download an evidence file, for whoever sees the report or the system it backs.
#[utoipa::path(get, path = "/api/v1/evidence-files/{id}", tag = "plans", params(("id" = i64, Path)),
    responses((status = 200, description = "The file, with the media type found from its content.", content(
        (Vec<u8> = "text/plain"), (Vec<u8> = "image/png"), (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/webp"),
        (Vec<u8> = "application/pdf"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (Vec<u8> = "application/zip"))),
        (status = 404, body = crate::error::Problem)))]
async fn download(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<axum::response::Response, ApiError> {
    let (f, bytes) = s.store.evidence_file(&ctx.actor, id).await?;
    Ok(super::download(&f.file_name, &f.content_type, &f.sha256, bytes))
}
