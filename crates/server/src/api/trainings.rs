//! Trainings, drills and awareness campaigns: the list a unit sees, one event, recording one.

use crate::auth::Ctx;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use khien_domain::training::TrainingKind;
use khien_store::{FollowUp, Training, TrainingInput};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_trainings, record_training))
        .routes(routes!(get_training))
        .routes(routes!(add_follow_up))
        .routes(routes!(complete_follow_up))
}

/// The events the caller's units organised or took part in, newest first (at most 500).
#[utoipa::path(get, path = "/api/v1/trainings", tag = "plans", responses((status = 200, body = Vec<Training>)))]
async fn list_trainings(State(s): State<AppState>, ctx: Ctx) -> Result<Json<Vec<Training>>, ApiError> {
    Ok(Json(s.store.list_trainings(&ctx.actor, 500).await?))
}

/// One training, drill or campaign.
#[utoipa::path(get, path = "/api/v1/trainings/{id}", tag = "plans", params(("id" = i64, Path)),
    responses((status = 200, body = Training), (status = 404, body = crate::error::Problem)))]
async fn get_training(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Json<Training>, ApiError> {
    Ok(Json(s.store.get_training(&ctx.actor, id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordTraining {
    kind: TrainingKind,
    title: String,
    /// yyyy-mm-dd or dd/mm/yyyy; not in the future.
    held_on: String,
    organiser_unit_id: i64,
    #[serde(default)]
    unit_ids: Vec<i64>,
    /// A drill's systems: each gets its incident-response drill done on that day.
    #[serde(default)]
    system_ids: Vec<i64>,
    #[serde(default)]
    participants: i64,
    #[serde(default)]
    reach: i64,
    #[serde(default)]
    response_plan: String,
    #[serde(default)]
    lessons: String,
    #[serde(default)]
    follow_up: String,
}

/// Record a training, drill or awareness campaign held by a unit the caller reports for.
#[utoipa::path(post, path = "/api/v1/trainings", tag = "plans", request_body = RecordTraining,
    responses((status = 201, body = Training), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn record_training(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<RecordTraining>,
) -> Result<(StatusCode, Json<Training>), ApiError> {
    let input = TrainingInput {
        kind: b.kind.code().to_string(),
        title: b.title,
        held_on: b.held_on,
        organiser_unit_id: b.organiser_unit_id,
        unit_ids: b.unit_ids,
        system_ids: b.system_ids,
        participants: b.participants,
        reach: b.reach,
        response_plan: b.response_plan,
        lessons: b.lessons,
        follow_up: b.follow_up,
    };
    Ok((StatusCode::CREATED, Json(s.store.record_training(&ctx.actor, &input).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUpBody {
    /// The organiser or a unit that took part.
    unit_id: i64,
    body: String,
    /// dd/mm/yyyy or yyyy-mm-dd; not past.
    due_on: String,
}

/// Give a unit something to do after a drill or training (whoever reports for the organiser);
/// the unit's people are told and see it in their calendar of deadlines.
#[utoipa::path(post, path = "/api/v1/trainings/{id}/follow-ups", tag = "plans", params(("id" = i64, Path)), request_body = FollowUpBody,
    responses((status = 201, body = FollowUp), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn add_follow_up(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<FollowUpBody>,
) -> Result<(StatusCode, Json<FollowUp>), ApiError> {
    let f = s.store.add_follow_up(&ctx.actor, id, b.unit_id, &b.body, &b.due_on).await?;
    Ok((StatusCode::CREATED, Json(f)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DoneBody {
    /// What was done.
    note: String,
}

/// The unit records a follow-up done.
#[utoipa::path(post, path = "/api/v1/follow-ups/{id}/done", tag = "plans", params(("id" = i64, Path)), request_body = DoneBody,
    responses((status = 200, body = FollowUp), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn complete_follow_up(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<DoneBody>,
) -> Result<Json<FollowUp>, ApiError> {
    Ok(Json(s.store.complete_follow_up(&ctx.actor, id, &b.note).await?))
}
