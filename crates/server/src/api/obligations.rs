//! A system's recurring duties by its approved level, recording one done, and the ruleset's
//! periods (the standing body edits them).

use crate::auth::Ctx;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use khien_domain::system::obligation::ObligationKind;
use khien_store::{Occurrence, RulePeriod, SystemObligations};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(system_obligations, record_obligation))
        .routes(routes!(obligation_rules, set_obligation_rule))
}

/// A system's calendar of recurring duties (none until its level is approved), with the
/// latest occurrences.
#[utoipa::path(get, path = "/api/v1/systems/{id}/obligations", tag = "systems", params(("id" = i64, Path)),
    responses((status = 200, body = SystemObligations), (status = 404, body = crate::error::Problem)))]
async fn system_obligations(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<SystemObligations>, ApiError> {
    Ok(Json(s.store.system_obligations(&ctx.actor, id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordDuty {
    kind: ObligationKind,
    /// yyyy-mm-dd or dd/mm/yyyy; not in the future.
    done_on: String,
    #[serde(default)]
    note: String,
}

/// Record that a duty of the system's level was done on a day (a scan import records the
/// vulnerability scan by itself).
#[utoipa::path(post, path = "/api/v1/systems/{id}/obligations", tag = "systems", params(("id" = i64, Path)),
    request_body = RecordDuty,
    responses((status = 201, body = Occurrence), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn record_obligation(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<RecordDuty>,
) -> Result<(StatusCode, Json<Occurrence>), ApiError> {
    let occ = s.store.record_obligation(&ctx.actor, id, b.kind, &b.done_on, &b.note).await?;
    Ok((StatusCode::CREATED, Json(occ)))
}

/// The periods of each recurring duty by level (months; 0 = no such duty).
#[utoipa::path(get, path = "/api/v1/obligation-rules", tag = "rulesets", responses((status = 200, body = Vec<RulePeriod>)))]
async fn obligation_rules(State(s): State<AppState>, ctx: Ctx) -> Result<Json<Vec<RulePeriod>>, ApiError> {
    Ok(Json(s.store.obligation_rules(&ctx.actor).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetDutyPeriod {
    kind: ObligationKind,
    /// 1–5.
    level: i64,
    /// 1–60 months; 0 removes the duty at that level.
    months: u32,
}

/// Change one period of the ruleset (the standing body; audited).
#[utoipa::path(put, path = "/api/v1/obligation-rules", tag = "rulesets", request_body = SetDutyPeriod,
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn set_obligation_rule(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<SetDutyPeriod>,
) -> Result<StatusCode, ApiError> {
    s.store.set_obligation_rule(&ctx.actor, b.kind, b.level, b.months).await?;
    Ok(StatusCode::NO_CONTENT)
}
