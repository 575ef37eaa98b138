//! The cybersecurity index: scoring models, rankings computed per unit type and period,
//! publishing, and a unit's place over time.

use crate::auth::Ctx;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use khien_domain::index::ScoringModel;
use khien_domain::unit::UnitType;
use khien_store::{IndexModel, Ranking, RankingRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_models, define_model))
        .routes(routes!(list_rankings, compute_ranking))
        .routes(routes!(get_ranking))
        .routes(routes!(publish_ranking))
        .routes(routes!(unit_history))
        .routes(routes!(ranking_workbook))
}

/// The scoring models, newest version first.
#[utoipa::path(get, path = "/api/v1/index-models", tag = "indicators", responses((status = 200, body = Vec<IndexModel>)))]
async fn list_models(State(s): State<AppState>, ctx: Ctx) -> Result<Json<Vec<IndexModel>>, ApiError> {
    Ok(Json(s.store.list_index_models(&ctx.actor).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DefineModel {
    /// A name; a model of the same name gets the next version.
    name: String,
    model: ScoringModel,
}

/// Keep a new version of a scoring model: weights summing to 100, bands best first, indicator
/// criteria naming existing indicators (the standing body's).
#[utoipa::path(post, path = "/api/v1/index-models", tag = "indicators", request_body = DefineModel,
    responses((status = 201, body = IndexModel), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn define_model(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<DefineModel>,
) -> Result<(StatusCode, Json<IndexModel>), ApiError> {
    Ok((StatusCode::CREATED, Json(s.store.define_index_model(&ctx.actor, &b.name, &b.model).await?)))
}

/// The rankings the caller reads: published ones (drafts too for the standing body).
#[utoipa::path(get, path = "/api/v1/rankings", tag = "indicators", responses((status = 200, body = Vec<Ranking>)))]
async fn list_rankings(State(s): State<AppState>, ctx: Ctx) -> Result<Json<Vec<Ranking>>, ApiError> {
    Ok(Json(s.store.list_rankings(&ctx.actor).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ComputeRanking {
    model_id: i64,
    unit_type: UnitType,
    /// "2026" or "2026-Q4".
    period: String,
}

/// Compute (or recompute, while a draft) the ranking of a unit type for a period.
#[utoipa::path(post, path = "/api/v1/rankings", tag = "indicators", request_body = ComputeRanking,
    responses((status = 201, body = Ranking), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn compute_ranking(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<ComputeRanking>,
) -> Result<(StatusCode, Json<Ranking>), ApiError> {
    let r = s.store.compute_ranking(&ctx.actor, b.model_id, b.unit_type, &b.period).await?;
    Ok((StatusCode::CREATED, Json(r)))
}

/// A ranking with each unit's score explained criterion by criterion.
#[utoipa::path(get, path = "/api/v1/rankings/{id}", tag = "indicators", params(("id" = i64, Path)),
    responses((status = 200, body = Ranking), (status = 404, body = crate::error::Problem)))]
async fn get_ranking(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Json<Ranking>, ApiError> {
    Ok(Json(s.store.get_ranking(&ctx.actor, id).await?))
}

/// Publish a draft ranking: it is frozen from then on.
#[utoipa::path(post, path = "/api/v1/rankings/{id}/publish", tag = "indicators", params(("id" = i64, Path)),
    responses((status = 200, body = Ranking), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
async fn publish_ranking(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Json<Ranking>, ApiError> {
    Ok(Json(s.store.publish_ranking(&ctx.actor, id).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UnitPlace {
    period: String,
    /// The model's name and version.
    model: String,
    row: RankingRow,
}

/// A unit's place in every published ranking, newest first.
#[utoipa::path(get, path = "/api/v1/units/{id}/rankings", tag = "indicators", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<UnitPlace>), (status = 404, body = crate::error::Problem)))]
async fn unit_history(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<Vec<UnitPlace>>, ApiError> {
    let places = s.store.unit_rankings(&ctx.actor, id).await?;
    Ok(Json(
        places
            .into_iter()
            .map(|(period, model, row)| UnitPlace { period, model: format!("{} v{}", model.name, model.version), row })
            .collect(),
    ))
}

/// A ranking as a workbook: position, unit, points, band, then each criterion's share and points.
#[utoipa::path(get, path = "/api/v1/rankings/{id}/export", tag = "indicators", params(("id" = i64, Path)),
    responses((status = 200, content((Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), (status = 404, body = crate::error::Problem)))]
async fn ranking_workbook(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<axum::response::Response, ApiError> {
    use khien_formats::sheet::Cell;
    let r = s.store.get_ranking(&ctx.actor, id).await?;
    let mut head = super::indicators::headers(&["Thứ hạng", "Mã đơn vị", "Đơn vị", "Điểm", "Xếp loại", "Bị hạ bậc"]);
    for c in &r.model.model.criteria {
        head.push(format!("{} (%)", c.name_vi));
        head.push(format!("{} (điểm / {})", c.name_vi, c.weight));
    }
    let rows = r
        .rows
        .iter()
        .map(|row| {
            let mut cells = vec![
                Cell::from(row.position),
                Cell::from(row.unit_code.clone()),
                Cell::from(row.unit_name.clone()),
                Cell::Number(row.points_cp as f64 / 100.0),
                Cell::from(row.band.clone()),
                Cell::from(if row.downgraded { "có" } else { "" }),
            ];
            for c in &row.criteria {
                cells.push(c.share_bp.map_or(Cell::Empty, |b| Cell::Number(b as f64 / 100.0)));
                cells.push(Cell::Number(c.points_cp as f64 / 100.0));
            }
            cells
        })
        .collect();
    let bytes = super::indicators::workbook(vec![("Xep hang".into(), head, rows)]).await?;
    let period: String = r.period.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    Ok(crate::api::list_exports::xlsx_download(bytes, &format!("xep-hang-{}-{period}.xlsx", r.unit_type.code())))
}
