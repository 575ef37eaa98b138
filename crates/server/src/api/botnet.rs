//! Botnet cases (issue 18.5): the cases of the caller's units, a case's moves (cleaned with
//! evidence by the unit, verified or sent back by the authority) and the import of a national
//! centre's list.

use crate::auth::Ctx;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery};
use crate::AppState;
use axum::extract::{Path, State};
use axum::Json;
use khien_domain::botnet::{BotnetMove, BotnetState};
use khien_domain::Error;
use khien_store::{BotnetCase, BotnetFilter, BotnetSummary, Detection};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(cases)).routes(routes!(case)).routes(routes!(move_case)).merge(
        OpenApiRouter::new()
            .routes(routes!(import_list))
            .layer(axum::extract::DefaultBodyLimit::max(crate::web::MAX_IMPORT_BYTES + 1024)),
    )
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CaseQuery {
    /// A unit and its subtree.
    pub unit_id: Option<i64>,
    pub state: Option<BotnetState>,
    /// The addresses no registered range holds (the city-wide only).
    #[serde(default)]
    pub unattributed: bool,
}

/// Botnet cases of the caller's units, most recently seen first (at most 500).
#[utoipa::path(get, path = "/api/v1/botnet/cases", tag = "telemetry", params(CaseQuery),
    responses((status = 200, body = Vec<BotnetCase>), (status = 422, body = crate::error::Problem)))]
async fn cases(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<CaseQuery>,
) -> Result<Json<Vec<BotnetCase>>, ApiError> {
    let f = BotnetFilter { unit_id: q.unit_id, state: q.state, unattributed: q.unattributed };
    Ok(Json(s.store.list_botnet_cases(&ctx.actor, &f).await?))
}

/// One botnet case.
#[utoipa::path(get, path = "/api/v1/botnet/cases/{id}", tag = "telemetry", params(("id" = i64, Path)),
    responses((status = 200, body = BotnetCase), (status = 404, body = crate::error::Problem)))]
async fn case(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Json<BotnetCase>, ApiError> {
    Ok(Json(s.store.get_botnet_case(&ctx.actor, id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveInput {
    /// `clean` (the unit, with evidence), `verify` or `reject` (the authority, with a note).
    #[serde(rename = "move")]
    pub to: BotnetMove,
    pub note: String,
}

/// Move a case: the unit reports the machine cleaned, the authority verifies or sends it back.
#[utoipa::path(post, path = "/api/v1/botnet/cases/{id}/moves", tag = "telemetry", params(("id" = i64, Path)),
    request_body = MoveInput,
    responses((status = 200, body = BotnetCase), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
async fn move_case(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<MoveInput>,
) -> Result<Json<BotnetCase>, ApiError> {
    Ok(Json(s.store.move_botnet_case(&ctx.actor, id, b.to, &b.note).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    pub file_name: String,
    /// The list's source, kept with each case (e.g. "NCSC 12/2026").
    pub feed: String,
}

/// Import a list of botnet IPs (raw body, CSV or XLSX; e.g. a national centre's list, abuse.ch
/// Feodo Tracker, a Shadowserver drone report): columns for the address and the malware family,
/// optionally first and last seen. All or nothing, the first bad row named; each address opens
/// or counts on its case and its unit is told. The city-wide authority only.
#[utoipa::path(post, path = "/api/v1/botnet/import", tag = "telemetry", params(ImportQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = BotnetSummary), (status = 403, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
async fn import_list(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: axum::body::Bytes,
) -> Result<Json<BotnetSummary>, ApiError> {
    Ok(Json(import(&s, &ctx, &q.file_name, &q.feed, &body).await?))
}

/// Reads a list and records it (the API and the page share it).
pub(crate) async fn import(
    s: &AppState,
    ctx: &Ctx,
    file_name: &str,
    feed: &str,
    body: &[u8],
) -> Result<BotnetSummary, Error> {
    // Permission first: a caller who may not import learns nothing of the file.
    if !ctx.actor.reach(khien_domain::role::Action::VerifyFindings).is_whole_tree() {
        return Err(Error::forbidden());
    }
    let feed = feed.trim();
    if feed.is_empty() || feed.chars().count() > 100 {
        return Err(Error::invalid(
            "feed",
            "Ghi nguồn danh sách (tối đa 100 ký tự).",
            "Name the list's source (at most 100 characters).",
        ));
    }
    let rows = khien_formats::botnet_feed::parse_botnet_feed(file_name, body).map_err(crate::services::import_error)?;
    let detections: Vec<Detection> = rows
        .into_iter()
        .map(|r| Detection { ip: r.ip, family: r.family, first_seen: r.first_seen, last_seen: r.last_seen })
        .collect();
    s.store.record_botnet_detections(&ctx.actor, feed, &detections).await
}
