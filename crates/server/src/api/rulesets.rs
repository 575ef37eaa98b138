//! The rules the dossiers and incidents run on: the holiday calendar, the level rulesets with
//! the authority's choices of who appraises and approves, the named owning body and dedicated
//! unit, and the incident reporting clocks.

use crate::auth::Ctx;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use khien_store::Holiday;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_holidays))
        .routes(routes!(set_holiday, remove_holiday))
        .routes(routes!(list_rulesets))
        .routes(routes!(set_authority))
        .routes(routes!(get_level_bodies, set_level_bodies))
        .routes(routes!(list_clock_rules))
        .routes(routes!(set_clock_rules))
}

/// The holiday calendar used for working-day deadlines.
#[utoipa::path(get, path = "/api/v1/holidays", tag = "calendar", responses((status = 200, body = Vec<Holiday>)))]
async fn list_holidays(State(s): State<AppState>, _ctx: Ctx) -> Result<Json<Vec<Holiday>>, ApiError> {
    Ok(Json(s.store.list_holidays().await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HolidayName {
    name: String,
}

/// Add or rename a holiday (the standing body).
#[utoipa::path(put, path = "/api/v1/holidays/{day}", tag = "calendar", params(("day" = String, Path, description = "yyyy-mm-dd")), request_body = HolidayName,
    responses((status = 200, body = Holiday), (status = 403, body = crate::error::Problem)))]
async fn set_holiday(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(day): Path<String>,
    ApiJson(b): ApiJson<HolidayName>,
) -> Result<Json<Holiday>, ApiError> {
    Ok(Json(s.store.set_holiday(&ctx.actor, &day, &b.name).await?))
}

/// Remove a holiday.
#[utoipa::path(delete, path = "/api/v1/holidays/{day}", tag = "calendar", params(("day" = String, Path)), responses((status = 204), (status = 404, body = crate::error::Problem)))]
async fn remove_holiday(State(s): State<AppState>, ctx: Ctx, Path(day): Path<String>) -> Result<StatusCode, ApiError> {
    s.store.remove_holiday(&ctx.actor, &day).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The level rulesets Khiên applies, with their thresholds and deadlines, and who appraises and
/// approves at each level (the ruleset's defaults with the authority's choices applied).
#[utoipa::path(get, path = "/api/v1/rulesets", tag = "systems", responses((status = 200, body = Vec<Object>)))]
async fn list_rulesets(State(s): State<AppState>, _ctx: Ctx) -> Result<Json<serde_json::Value>, ApiError> {
    Ok(Json(serde_json::to_value(s.store.rulesets().await?).map_err(khien_domain::Error::internal)?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthorityBody {
    /// 1 to 5
    pub level: i64,
    /// appraise or approve
    pub step: String,
    /// security_unit (the dedicated security unit), owner (the owning body or its delegate) or
    /// ministry (appraisal only: the ministry's result is recorded)
    #[schema(pattern = "^(security_unit|owner|ministry)$")]
    pub authority: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LevelBodiesBody {
    /// The owning body (chủ quản, e.g. the city's People's Committee) or the unit it delegated in
    /// writing to approve; absent: the owner unit's leadership approves.
    pub owning_body_unit_id: Option<i64>,
    /// The written delegation's number and date, when approval is delegated.
    pub delegation_ref: Option<String>,
    /// The owning body's dedicated security unit; absent: the standing body's officers appraise.
    pub dedicated_unit_id: Option<i64>,
}

/// The owning body and its dedicated security unit, as the authority named them (NĐ 85 Đ12;
/// NĐ 331 Đ18, Đ20).
#[utoipa::path(get, path = "/api/v1/rulesets/bodies", tag = "systems", responses((status = 200, body = khien_store::LevelBodiesInfo)))]
async fn get_level_bodies(
    State(s): State<AppState>,
    _ctx: Ctx,
) -> Result<Json<khien_store::LevelBodiesInfo>, ApiError> {
    Ok(Json(s.store.level_bodies().await?))
}

/// Name the owning body (or its written delegate) and the dedicated security unit: their
/// people then appraise and approve the level dossiers where the ruleset gives them the step.
/// The city's standing body only.
#[utoipa::path(put, path = "/api/v1/rulesets/bodies", tag = "systems", request_body = LevelBodiesBody,
    responses((status = 200, body = khien_store::LevelBodiesInfo), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn set_level_bodies(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<LevelBodiesBody>,
) -> Result<Json<khien_store::LevelBodiesInfo>, ApiError> {
    Ok(Json(
        s.store
            .set_level_bodies(&ctx.actor, b.owning_body_unit_id, b.delegation_ref.as_deref(), b.dedicated_unit_id)
            .await?,
    ))
}

/// Choose who appraises or approves dossiers of one level under a ruleset (the city's standing
/// body only). Dossiers already opened follow the new choice from their next step.
#[utoipa::path(put, path = "/api/v1/rulesets/{code}/authorities", tag = "systems", params(("code" = String, Path)), request_body = AuthorityBody,
    responses((status = 200, body = Object), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn set_authority(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<AuthorityBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let rs = s.store.set_dossier_authority(&ctx.actor, &code, b.level, &b.step, &b.authority).await?;
    Ok(Json(serde_json::to_value(rs).map_err(khien_domain::Error::internal)?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClockRulesOf {
    pub ruleset: String,
    #[schema(value_type = ClockRulesSchema)]
    pub rules: khien_domain::incident::clocks::ClockRules,
}

/// The schema of `khien_domain::incident::clocks::ClockRules` (the domain crate has no OpenAPI).
#[derive(ToSchema)]
#[schema(as = ClockRules)]
#[allow(dead_code)]
struct ClockRulesSchema {
    /// Notice of every incident, hours from detection (QĐ 05/2017 Đ11.1.a: 120); absent: none.
    #[schema(minimum = 0, maximum = 720)]
    notice_hours: Option<i64>,
    /// Initial report of every incident, hours from detection; absent: none.
    #[schema(minimum = 0, maximum = 720)]
    initial_hours: Option<i64>,
    /// Initial report when beyond the unit's capacity, hours (QĐ 05 Đ11.1.b: 0, at once).
    #[schema(minimum = 0, maximum = 720)]
    beyond_capacity_hours: Option<i64>,
    /// Initial report of a serious incident, hours from detection (NĐ 331 Đ31.2.d: 24).
    #[schema(minimum = 0, maximum = 720)]
    serious_initial_hours: Option<i64>,
    /// Report on signs of harm to national security or public order (NĐ 331 Đ31.2.d: 0).
    #[schema(minimum = 0, maximum = 720)]
    security_hours: Option<i64>,
    /// Cause, scope and remediation, hours from detection (NĐ 331 Đ31.2.d: 72).
    #[schema(minimum = 0, maximum = 720)]
    cause_hours: Option<i64>,
    /// Days after the response ends to the closing report (QĐ 05 Đ11.3: 5).
    #[schema(minimum = 0, maximum = 60)]
    closing_days: Option<i64>,
    /// Notice of a personal-data breach, hours (Luật 91/2025 Đ23: 72).
    #[schema(minimum = 0, maximum = 720)]
    personal_data_hours: Option<i64>,
    /// A city's own report to its police, hours from detection (e.g. Hải Phòng: 24); off by default.
    #[schema(minimum = 0, maximum = 720)]
    city_hours: Option<i64>,
}

/// Incident reporting deadlines per ruleset (hours from detection; closing: days after the
/// response ends). The ruleset in force on the detection date applies.
#[utoipa::path(get, path = "/api/v1/rulesets/clocks", tag = "incidents", responses((status = 200, body = Vec<ClockRulesOf>)))]
async fn list_clock_rules(State(s): State<AppState>, _ctx: Ctx) -> Result<Json<Vec<ClockRulesOf>>, ApiError> {
    Ok(Json(
        s.store
            .clock_rules()
            .await?
            .into_iter()
            .map(|(r, rules)| ClockRulesOf { ruleset: r.to_string(), rules })
            .collect(),
    ))
}

/// Set the incident reporting deadlines of a ruleset (the city's standing body); the clocks of
/// open incidents move at once.
#[utoipa::path(put, path = "/api/v1/rulesets/{code}/clocks", tag = "incidents", params(("code" = String, Path)), request_body = ClockRulesSchema,
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn set_clock_rules(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<khien_domain::incident::clocks::ClockRules>,
) -> Result<StatusCode, ApiError> {
    s.store.set_clock_rules(&ctx.actor, &code, &b).await?;
    Ok(StatusCode::NO_CONTENT)
}
