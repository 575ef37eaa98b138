use crate::api::paging;
use crate::auth::Ctx;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use khien_domain::page::parse_sort;
use khien_store::{AuditFilter, AuditRecord, NewUnit, Page, Unit, UnitFilter, UnitPatch};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_units, create_unit))
        .routes(routes!(get_unit, update_unit))
        .routes(routes!(move_unit))
        .routes(routes!(set_unit_active))
        .routes(routes!(unit_history))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(import_units))
                .layer(axum::extract::DefaultBodyLimit::max(crate::web::MAX_IMPORT_BYTES)),
        )
        .routes(routes!(export_units))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UnitQuery {
    /// Search in name and code; diacritics and case are ignored ("da nang" finds "Đà Nẵng").
    q: Option<String>,
    #[param(value_type = Option<crate::api::params::UnitType>, inline)]
    unit_type: Option<String>,
    parent_id: Option<i64>,
    active: Option<bool>,
    /// `code`, `name`, `-code` or `-name`.
    #[param(value_type = Option<crate::api::params::UnitSort>, inline)]
    sort: Option<String>,
    cursor: Option<String>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
}

/// List the units the caller may see.
#[utoipa::path(get, path = "/api/v1/units", tag = "units", params(UnitQuery),
    responses((status = 200, body = Page<Unit>), (status = 422, body = crate::error::Problem)))]
async fn list_units(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<UnitQuery>,
) -> Result<Json<Page<Unit>>, ApiError> {
    let (sort, dir) = parse_sort(q.sort.as_deref(), &["code", "name"], "code")?;
    let (cursor, limit) = paging(q.cursor.as_deref(), q.limit)?;
    let unit_type = crate::api::enum_filter(q.unit_type, khien_domain::unit::UnitType::parse)?;
    let f =
        UnitFilter { q: q.q, unit_type, parent_id: q.parent_id, active: q.active, sort, dir: Some(dir), cursor, limit };
    Ok(Json(s.store.list_units(&ctx.actor, &f).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUnit {
    code: String,
    name: String,
    unit_type: khien_domain::unit::UnitType,
    parent_id: i64,
    head_name: Option<String>,
    focal_name: Option<String>,
    focal_phone: Option<String>,
    focal_email: Option<String>,
}

/// Create a unit under a parent the caller manages.
#[utoipa::path(post, path = "/api/v1/units", tag = "units", request_body = CreateUnit,
    responses((status = 201, body = Unit), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn create_unit(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<CreateUnit>,
) -> Result<(StatusCode, Json<Unit>), ApiError> {
    let n = NewUnit {
        code: b.code,
        name: b.name,
        unit_type: b.unit_type,
        parent_id: b.parent_id,
        head_name: b.head_name,
        focal_name: b.focal_name,
        focal_phone: b.focal_phone,
        focal_email: b.focal_email,
    };
    Ok((StatusCode::CREATED, Json(s.store.create_unit(&ctx.actor, &n).await?)))
}

/// One unit.
#[utoipa::path(get, path = "/api/v1/units/{id}", tag = "units", params(("id" = i64, Path)),
    responses((status = 200, body = Unit), (status = 404, body = crate::error::Problem)))]
async fn get_unit(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Json<Unit>, ApiError> {
    Ok(Json(s.store.get_unit(&ctx.actor, id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchUnit {
    name: Option<String>,
    unit_type: Option<khien_domain::unit::UnitType>,
    /// An empty string clears the field.
    head_name: Option<String>,
    /// The head's title, e.g. "Giám đốc" (signs generated documents).
    head_title: Option<String>,
    focal_name: Option<String>,
    focal_phone: Option<String>,
    focal_email: Option<String>,
}

/// Rename a unit or change its type, head and focal point.
#[utoipa::path(patch, path = "/api/v1/units/{id}", tag = "units", params(("id" = i64, Path)), request_body = PatchUnit,
    responses((status = 200, body = Unit), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
async fn update_unit(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<PatchUnit>,
) -> Result<Json<Unit>, ApiError> {
    let p = UnitPatch {
        name: b.name,
        unit_type: b.unit_type,
        head_name: b.head_name,
        head_title: b.head_title,
        focal_name: b.focal_name,
        focal_phone: b.focal_phone,
        focal_email: b.focal_email,
    };
    Ok(Json(s.store.update_unit(&ctx.actor, id, &p).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveUnit {
    parent_id: i64,
}

/// Move a unit and its subtree under another parent. Moves that would create a cycle are refused.
#[utoipa::path(post, path = "/api/v1/units/{id}/move", tag = "units", params(("id" = i64, Path)), request_body = MoveUnit,
    responses((status = 200, body = Unit), (status = 422, body = crate::error::Problem)))]
async fn move_unit(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<MoveUnit>,
) -> Result<Json<Unit>, ApiError> {
    Ok(Json(s.store.move_unit(&ctx.actor, id, b.parent_id).await?))
}

/// Deactivate (false) or reactivate (true): a unit or a user.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetActive {
    pub(crate) active: bool,
}

/// Deactivate or reactivate a unit.
#[utoipa::path(put, path = "/api/v1/units/{id}/active", tag = "units", params(("id" = i64, Path)), request_body = SetActive,
    responses((status = 200, body = Unit), (status = 409, body = crate::error::Problem)))]
async fn set_unit_active(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<SetActive>,
) -> Result<Json<Unit>, ApiError> {
    Ok(Json(s.store.set_unit_active(&ctx.actor, id, b.active).await?))
}

/// The change history of a unit, newest first (from the audit trail).
#[utoipa::path(get, path = "/api/v1/units/{id}/history", tag = "units", params(("id" = i64, Path)),
    responses((status = 200, body = Page<AuditRecord>), (status = 404, body = crate::error::Problem)))]
async fn unit_history(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<Page<AuditRecord>>, ApiError> {
    let unit = s.store.get_unit(&ctx.actor, id).await?;
    let f =
        AuditFilter { entity_type: Some("unit".into()), entity_id: Some(unit.id), limit: 200, ..Default::default() };
    Ok(Json(s.store.list_audit(&ctx.actor, &f).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// Units without a parent code in the file go under this unit.
    parent_id: i64,
    /// The file's name; its extension (.csv, .xlsx, .json) picks the format, and it is
    /// named in error messages.
    file_name: String,
}

/// Import a unit list (CSV, XLSX or JSON, sent as the raw request body, up to 20 MiB).
/// All or nothing: any bad row rejects the whole file, naming the row, column and reason.
#[utoipa::path(post, path = "/api/v1/units/import", tag = "units", params(ImportQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = khien_store::ImportSummary), (status = 422, body = crate::error::Problem)))]
async fn import_units(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: axum::body::Bytes,
) -> Result<Json<khien_store::ImportSummary>, ApiError> {
    Ok(Json(crate::services::units_io::import(&s, &ctx, &q.file_name, &body, q.parent_id).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    /// `xlsx` (default) or `csv`.
    #[param(value_type = Option<crate::api::params::TableFormat>, inline)]
    format: Option<String>,
}

/// Export the units the caller may see, in the import template's columns.
#[utoipa::path(get, path = "/api/v1/units/export", tag = "units", params(ExportQuery),
    responses((status = 200, content((Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (Vec<u8> = "text/csv")))))]
async fn export_units(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> Result<axum::response::Response, ApiError> {
    let format = match q.format.as_deref().unwrap_or("xlsx") {
        "xlsx" => crate::services::units_io::ExportFormat::Xlsx,
        "csv" => crate::services::units_io::ExportFormat::Csv,
        other => {
            return Err(khien_domain::Error::invalid(
                "format",
                format!("Định dạng «{other}» không hỗ trợ; chọn xlsx hoặc csv."),
                format!("Format «{other}» is not supported; choose xlsx or csv."),
            )
            .into())
        }
    };
    Ok(crate::services::units_io::export(&s, &ctx, format).await?)
}
