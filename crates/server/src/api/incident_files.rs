//! Files attached to an incident: logs, screenshots, signed scans (issue 14.9).

use crate::auth::Ctx;
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use khien_store::IncidentFile;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_files))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(add_file))
                .layer(axum::extract::DefaultBodyLimit::max(crate::web::MAX_IMPORT_BYTES + 1024)),
        )
        .routes(routes!(download_file))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FileQuery {
    file_name: String,
}

/// The files attached to an incident, oldest first.
#[utoipa::path(get, path = "/api/v1/incidents/{id}/files", tag = "incidents", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<IncidentFile>), (status = 404, body = crate::error::Problem)))]
async fn list_files(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<Vec<IncidentFile>>, ApiError> {
    Ok(Json(s.store.incident_files(&ctx.actor, id).await?))
}

/// Attach a file (raw body): a log or export as UTF-8 text (TXT, LOG, CSV, JSON), a screenshot
/// (PNG, JPG, WEBP), a signed scan or document (PDF, DOCX, XLSX) or a ZIP; checked by content,
/// at most 20 MiB. Its SHA-256 is stored and the timeline notes it.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/files", tag = "incidents", params(("id" = i64, Path), FileQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = IncidentFile), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn add_file(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiQuery(q): ApiQuery<FileQuery>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<IncidentFile>), ApiError> {
    Ok((StatusCode::CREATED, Json(s.store.add_incident_file(&ctx.actor, id, &q.file_name, &body).await?)))
}

/// Download a file of an incident.
#[utoipa::path(get, path = "/api/v1/incident-files/{id}", tag = "incidents", params(("id" = i64, Path)),
    responses((status = 200, description = "The file, with the media type found from its content.", content(
        (Vec<u8> = "text/plain"), (Vec<u8> = "image/png"), (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/webp"),
        (Vec<u8> = "application/pdf"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (Vec<u8> = "application/zip"))),
        (status = 404, body = crate::error::Problem)))]
async fn download_file(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<axum::response::Response, ApiError> {
    let (f, bytes) = s.store.incident_file(&ctx.actor, id).await?;
    Ok(super::download(&f.file_name, &f.content_type, &f.sha256, bytes))
}
