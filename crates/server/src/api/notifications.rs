//! The caller's own reminders (overdue incident clocks and dossier steps) and work list.

use crate::auth::Ctx;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use khien_store::{Notification, WorkList};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list)).routes(routes!(unread)).routes(routes!(mark_read)).routes(routes!(work))
}

/// What waits for the caller ("Việc cần xử lý"): the sections their roles concern, each with
/// its exact count and first items, most urgent first.
#[utoipa::path(get, path = "/api/v1/work", tag = "account", responses((status = 200, body = WorkList)))]
async fn work(State(s): State<AppState>, ctx: Ctx) -> Result<Json<WorkList>, ApiError> {
    Ok(Json(s.store.work_list(&ctx.actor).await?))
}

/// The caller's newest reminders.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "account", responses((status = 200, body = Vec<Notification>)))]
async fn list(State(s): State<AppState>, ctx: Ctx) -> Result<Json<Vec<Notification>>, ApiError> {
    Ok(Json(s.store.notifications(&ctx.actor, 200).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Unread {
    pub unread: i64,
}

/// How many of the caller's reminders are unread.
#[utoipa::path(get, path = "/api/v1/notifications/unread-count", tag = "account", responses((status = 200, body = Unread)))]
async fn unread(State(s): State<AppState>, ctx: Ctx) -> Result<Json<Unread>, ApiError> {
    Ok(Json(Unread { unread: s.store.unread_count(&ctx.actor).await? }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadBody {
    /// The reminders to mark read; empty: all of them.
    #[serde(default)]
    pub ids: Vec<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Marked {
    pub marked: u64,
}

/// Mark the caller's reminders read.
#[utoipa::path(post, path = "/api/v1/notifications/read", tag = "account", request_body = ReadBody, responses((status = 200, body = Marked)))]
async fn mark_read(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<ReadBody>,
) -> Result<Json<Marked>, ApiError> {
    Ok(Json(Marked { marked: s.store.mark_read(&ctx.actor, &b.ids).await? }))
}
