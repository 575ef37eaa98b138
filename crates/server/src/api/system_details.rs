//! The registry's depth and completeness (issue 17.5): a system's details, the details the
//! authority requires, and how complete a unit's systems are.

use crate::auth::Ctx;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::AppState;
use axum::extract::{Path, State};
use axum::Json;
use khien_domain::system::details::{DetailField, DETAIL_FIELDS};
use khien_store::{Asset, InventorySummary, SystemDetails, UnitCompleteness};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(details, set_details))
        .routes(routes!(required, set_required))
        .routes(routes!(unit_completeness))
        .routes(routes!(system_assets))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(import_inventory))
                .layer(axum::extract::DefaultBodyLimit::max(crate::web::MAX_IMPORT_BYTES + 1024)),
        )
}

/// A system's details (contacts, stack, recovery, contract, tests, protections), which are
/// required, and how complete it is.
#[utoipa::path(get, path = "/api/v1/systems/{id}/details", tag = "systems", params(("id" = i64, Path)),
    responses((status = 200, body = SystemDetails), (status = 404, body = crate::error::Problem)))]
async fn details(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Json<SystemDetails>, ApiError> {
    Ok(Json(s.store.system_details(&ctx.actor, id, ctx.lang).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DetailsInput {
    /// Detail code → value; an empty value clears it. Dates dd/mm/yyyy, yes/no as "yes"/"no".
    pub values: BTreeMap<String, String>,
}

/// Set a system's details (the owner unit's staff): all checked first, then written together;
/// a wrong value is refused naming its detail.
#[utoipa::path(put, path = "/api/v1/systems/{id}/details", tag = "systems", params(("id" = i64, Path)),
    request_body = DetailsInput,
    responses((status = 200, body = SystemDetails), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn set_details(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<DetailsInput>,
) -> Result<Json<SystemDetails>, ApiError> {
    let values: Vec<(String, String)> = b.values.into_iter().collect();
    Ok(Json(s.store.set_system_details(&ctx.actor, id, &values, ctx.lang).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RequiredDetails {
    /// Every detail a system may hold.
    pub fields: &'static [DetailField],
    /// The codes every system must hold.
    pub required: Vec<String>,
}

/// Every detail and the ones the authority requires.
#[utoipa::path(get, path = "/api/v1/registry/required-details", tag = "systems",
    responses((status = 200, body = RequiredDetails)))]
async fn required(State(s): State<AppState>, _ctx: Ctx) -> Result<Json<RequiredDetails>, ApiError> {
    Ok(Json(RequiredDetails { fields: DETAIL_FIELDS, required: s.store.required_details().await? }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequiredInput {
    pub fields: Vec<String>,
}

/// Choose the details every system must hold (the standing body).
#[utoipa::path(put, path = "/api/v1/registry/required-details", tag = "systems", request_body = RequiredInput,
    responses((status = 200, body = RequiredDetails), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn set_required(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<RequiredInput>,
) -> Result<Json<RequiredDetails>, ApiError> {
    let required = s.store.set_required_details(&ctx.actor, &b.fields).await?;
    Ok(Json(RequiredDetails { fields: DETAIL_FIELDS, required }))
}

/// How complete the systems of a unit's subtree are: each system's share of the required
/// details and what it lacks, and the unit's share over them all.
#[utoipa::path(get, path = "/api/v1/units/{id}/completeness", tag = "units", params(("id" = i64, Path)),
    responses((status = 200, body = UnitCompleteness), (status = 404, body = crate::error::Problem)))]
async fn unit_completeness(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<UnitCompleteness>, ApiError> {
    Ok(Json(s.store.unit_completeness(&ctx.actor, id).await?))
}

/// A system's inventory (hardware, software, information assets), those past their end of
/// support first.
#[utoipa::path(get, path = "/api/v1/systems/{id}/assets", tag = "systems", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Asset>), (status = 404, body = crate::error::Problem)))]
async fn system_assets(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Json<Vec<Asset>>, ApiError> {
    Ok(Json(s.store.system_assets(&ctx.actor, id).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct InventoryQuery {
    pub file_name: String,
}

/// Import an inventory (raw body, CSV or XLSX): columns Mã hệ thống, Nhóm tài sản (phần cứng,
/// phần mềm, thông tin), Tên tài sản, and optionally Phiên bản, Người quản lý, Hết hỗ trợ
/// (dd/mm/yyyy), Ghi chú. Each system named has its list replaced; all or nothing, errors
/// naming the row and column (an unknown system among them).
#[utoipa::path(post, path = "/api/v1/inventory/import", tag = "systems", params(InventoryQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = InventorySummary), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn import_inventory(
    State(s): State<AppState>,
    ctx: Ctx,
    crate::extract::ApiQuery(q): crate::extract::ApiQuery<InventoryQuery>,
    body: axum::body::Bytes,
) -> Result<Json<InventorySummary>, ApiError> {
    Ok(Json(crate::services::inventory_io::import(&s, &ctx, &q.file_name, &body).await?))
}
