//! Itemised appraisal (issue 17.4): each submission frozen with what changed since the one
//! before, the appraiser's comments per part or requirement and the unit's answers, and the
//! unit types whose manager checks dossiers before they go.

use crate::auth::Ctx;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use khien_domain::unit::UnitType;
use khien_store::{DossierComment, DossierCommentInput, Submission};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(submissions))
        .routes(routes!(comments, add_comment))
        .routes(routes!(answer_comment))
        .routes(routes!(manager_check, set_manager_check))
}

/// A dossier's submissions, oldest first: each frozen with its SHA-256 and what changed since
/// the previous one (in the caller's language).
#[utoipa::path(get, path = "/api/v1/dossiers/{id}/submissions", tag = "dossiers", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Submission>), (status = 404, body = crate::error::Problem)))]
async fn submissions(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Submission>>, ApiError> {
    Ok(Json(s.store.dossier_submissions(&ctx.actor, id, ctx.lang).await?))
}

/// The appraiser's comments on a dossier, per part or requirement, with the unit's answers.
#[utoipa::path(get, path = "/api/v1/dossiers/{id}/comments", tag = "dossiers", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<DossierComment>), (status = 404, body = crate::error::Problem)))]
async fn comments(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<Vec<DossierComment>>, ApiError> {
    Ok(Json(s.store.dossier_comments(&ctx.actor, id).await?))
}

/// Comment on a part, a requirement or the whole dossier (the appraiser, while the dossier
/// awaits appraisal; a closed dossier takes none). The unit answers each before resubmitting.
#[utoipa::path(post, path = "/api/v1/dossiers/{id}/comments", tag = "dossiers", params(("id" = i64, Path)),
    request_body = DossierCommentInput,
    responses((status = 201, body = DossierComment), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn add_comment(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<DossierCommentInput>,
) -> Result<(StatusCode, Json<DossierComment>), ApiError> {
    Ok((StatusCode::CREATED, Json(s.store.add_dossier_comment(&ctx.actor, id, &b).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerInput {
    pub answer: String,
}

/// Answer a comment (the owner unit's staff, once the dossier is returned).
#[utoipa::path(put, path = "/api/v1/dossier-comments/{id}/answer", tag = "dossiers", params(("id" = i64, Path)),
    request_body = AnswerInput,
    responses((status = 200, body = DossierComment), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn answer_comment(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<AnswerInput>,
) -> Result<Json<DossierComment>, ApiError> {
    Ok(Json(s.store.answer_dossier_comment(&ctx.actor, id, &b.answer).await?))
}

/// The unit types whose dossiers the unit's manager checks and submits (officers prepare).
#[utoipa::path(get, path = "/api/v1/rulesets/manager-check", tag = "dossiers",
    responses((status = 200, body = Vec<UnitType>)))]
async fn manager_check(State(s): State<AppState>, _ctx: Ctx) -> Result<Json<Vec<UnitType>>, ApiError> {
    Ok(Json(s.store.manager_check_types().await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ManagerCheckInput {
    pub unit_types: Vec<UnitType>,
}

/// Choose the unit types whose manager checks dossiers before they go (the standing body).
#[utoipa::path(put, path = "/api/v1/rulesets/manager-check", tag = "dossiers", request_body = ManagerCheckInput,
    responses((status = 200, body = Vec<UnitType>), (status = 403, body = crate::error::Problem)))]
async fn set_manager_check(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<ManagerCheckInput>,
) -> Result<Json<Vec<UnitType>>, ApiError> {
    Ok(Json(s.store.set_manager_check_types(&ctx.actor, &b.unit_types).await?))
}
