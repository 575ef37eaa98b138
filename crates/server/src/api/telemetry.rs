//! SOC telemetry over HTTP (issue 18): a SOC provider's token posts batches (NDJSON or a JSON
//! array, gzip accepted) and is answered with the count stored and each refused line; analysts
//! read the alerts queue, the authority the unattributed queue and each provider's ingest
//! health.

use crate::api::paging;
use crate::auth::Ctx;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::Json;
use khien_domain::{Error, Msg};
use khien_formats::telemetry::{BodyError, MAX_BATCH_BYTES, MAX_LINE_BYTES};
use khien_store::{
    AlertFilter, Endpoint, EndpointCoverage, IngestOutcome, IngestSource, Page, RatePoint, RetentionInput,
    RetentionRule, SourceHealth, TelemetryAlert, TelemetryDay, RATE_MAX_MINUTES,
};
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The largest body received as sent (gzip inflates up to `MAX_BATCH_BYTES`).
const MAX_BODY_BYTES: usize = MAX_BATCH_BYTES;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(alerts))
        .routes(routes!(alert))
        .routes(routes!(promote))
        .routes(routes!(sources))
        .routes(routes!(days))
        .routes(routes!(endpoints))
        .routes(routes!(endpoint_coverage))
        .routes(routes!(retention, set_retention))
        .routes(routes!(rate))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(ingest))
                .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES + 1024)),
        )
}

/// Reads, parses and stores one batch; the HTTP and NATS paths share it. Parsing runs on a
/// blocking thread (it is the CPU-bound part).
pub(crate) async fn ingest_batch(
    s: &AppState,
    ctx: &Ctx,
    source: IngestSource,
    body: axum::body::Bytes,
    gzip: bool,
) -> Result<IngestOutcome, Error> {
    let batch = tokio::task::spawn_blocking(move || {
        khien_formats::telemetry::read_body(&body, gzip).map(|b| khien_formats::telemetry::parse_batch(&b))
    })
    .await
    .map_err(Error::internal)?
    .map_err(|e| match e {
        BodyError::TooLarge { line: Some(n) } => Error::TooLarge(Msg::new(
            format!("Dòng {n} dài quá {MAX_LINE_BYTES} byte; không dòng nào được lưu."),
            format!("Line {n} is longer than {MAX_LINE_BYTES} bytes; no line was stored."),
        )),
        BodyError::TooLarge { line: None } => Error::TooLarge(Msg::new(
            format!("Lô sự kiện vượt {} MiB; hãy chia nhỏ.", MAX_BATCH_BYTES >> 20),
            format!("The batch is over {} MiB; split it.", MAX_BATCH_BYTES >> 20),
        )),
        BodyError::NotGzip(why) => Error::invalid(
            "body",
            format!("Nội dung khai báo gzip nhưng không giải nén được: {why}"),
            format!("The body says gzip but does not inflate: {why}"),
        ),
    })?;
    s.store.ingest_telemetry(&ctx.actor, &source, &batch).await
}

/// Send a batch of events (a SOC provider's token): one JSON event a line (Suricata EVE, Wazuh
/// alerts, Zeek JSON, ECS) or CEF lines, or a JSON array of events; `Content-Encoding: gzip`
/// accepted. Each event's addresses are matched to the registry's IP ranges; an event of a unit
/// the token does not serve is refused by line like one that does not parse, and the rest are
/// stored. `Idempotency-Key` (optional) makes a batch sent twice stored once. Over 64 MiB
/// inflated, or a line over 256 KiB: 413, nothing stored.
#[utoipa::path(post, path = "/api/v1/telemetry/events", tag = "telemetry",
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = IngestOutcome), (status = 403, body = crate::error::Problem),
        (status = 413, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn ingest(
    State(s): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Json<IngestOutcome>, ApiError> {
    // Refused before the body is read if the caller may send nothing at all.
    if !ctx.actor.can_anywhere(khien_domain::role::Action::IngestTelemetry) {
        return Err(Error::forbidden().into());
    }
    let gzip = headers
        .get(axum::http::header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("gzip"));
    let key = match headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(str::trim) {
        Some(k) if !k.is_empty() && k.len() <= 200 => format!("http:{}:{k}", ctx.actor.user_id),
        _ => format!("http:{}:{:032x}", ctx.actor.user_id, rand::random::<u128>()),
    };
    Ok(Json(ingest_batch(&s, &ctx, IngestSource { key, channel: "http" }, body, gzip).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AlertQuery {
    /// A unit and its subtree.
    pub unit_id: Option<i64>,
    pub system_id: Option<i64>,
    /// At least this severity: 1 low, 2 medium, 3 high, 4 critical.
    #[param(minimum = 1, maximum = 4)]
    pub min_severity: Option<i64>,
    /// Words in the rule or its title.
    pub q: Option<String>,
    /// Last seen at or after (RFC 3339).
    pub since: Option<String>,
    /// Last seen before (RFC 3339).
    pub until: Option<String>,
    /// The queue of alerts whose addresses no registered range holds (the city-wide only).
    #[serde(default)]
    pub unattributed: bool,
    /// Only the alerts whose host, source or destination is on the watch list or among the
    /// observables of an incident the caller sees.
    #[serde(default)]
    pub watched: bool,
    pub cursor: Option<String>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

fn moment(field: &str, v: Option<&str>) -> Result<Option<i64>, Error> {
    match v.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => khien_domain::time::parse_rfc3339(v).map(Some).ok_or_else(|| {
            Error::invalid(
                field,
                format!("«{v}» không phải thời điểm RFC 3339 (ví dụ 2026-12-07T08:00:00+07:00)."),
                format!("«{v}» is not an RFC 3339 time (e.g. 2026-12-07T08:00:00+07:00)."),
            )
        }),
    }
}

impl AlertQuery {
    pub fn filter(self) -> Result<AlertFilter, Error> {
        let (cursor, limit) = paging(self.cursor.as_deref(), self.limit)?;
        Ok(AlertFilter {
            unit_id: self.unit_id,
            system_id: self.system_id,
            min_severity: self.min_severity,
            q: self.q,
            since: moment("since", self.since.as_deref())?,
            until: moment("until", self.until.as_deref())?,
            unattributed: self.unattributed,
            watched: self.watched,
            cursor,
            limit,
        })
    }
}

/// The alerts of the caller's units, most recently seen first: each folds the events of one
/// source, rule and asset within an hour.
#[utoipa::path(get, path = "/api/v1/telemetry/alerts", tag = "telemetry", params(AlertQuery),
    responses((status = 200, body = Page<TelemetryAlert>), (status = 422, body = crate::error::Problem)))]
async fn alerts(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<AlertQuery>,
) -> Result<Json<Page<TelemetryAlert>>, ApiError> {
    Ok(Json(s.store.list_telemetry_alerts(&ctx.actor, &q.filter()?).await?))
}

/// One alert.
#[utoipa::path(get, path = "/api/v1/telemetry/alerts/{id}", tag = "telemetry", params(("id" = i64, Path)),
    responses((status = 200, body = TelemetryAlert), (status = 404, body = crate::error::Problem)))]
async fn alert(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Json<TelemetryAlert>, ApiError> {
    Ok(Json(s.store.get_telemetry_alert(&ctx.actor, id).await?))
}

/// Each SOC provider's ingest over the last day (the city-wide see all; a provider its own).
#[utoipa::path(get, path = "/api/v1/telemetry/sources", tag = "telemetry",
    responses((status = 200, body = Vec<SourceHealth>)))]
async fn sources(State(s): State<AppState>, ctx: Ctx) -> Result<Json<Vec<SourceHealth>>, ApiError> {
    Ok(Json(s.store.telemetry_sources(&ctx.actor).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RateQuery {
    /// A unit and its subtree.
    pub unit_id: Option<i64>,
    /// The last this many minutes (1–1440, default 60).
    #[param(minimum = 1, maximum = 1440)]
    pub minutes: Option<i64>,
}

/// Events received per minute (the live rate): every minute of the span, oldest first.
#[utoipa::path(get, path = "/api/v1/telemetry/rate", tag = "telemetry", params(RateQuery),
    responses((status = 200, body = Vec<RatePoint>), (status = 422, body = crate::error::Problem)))]
async fn rate(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<RateQuery>,
) -> Result<Json<Vec<RatePoint>>, ApiError> {
    let minutes = q.minutes.unwrap_or(60);
    if !(1..=RATE_MAX_MINUTES).contains(&minutes) {
        return Err(Error::invalid(
            "minutes",
            format!("Từ 1 đến {RATE_MAX_MINUTES} phút."),
            format!("From 1 to {RATE_MAX_MINUTES} minutes."),
        )
        .into());
    }
    Ok(Json(s.store.telemetry_rate(&ctx.actor, q.unit_id, minutes).await?))
}

/// How long raw events are kept per level: TCVN 14423:2026's log retention unless the authority
/// set longer.
#[utoipa::path(get, path = "/api/v1/telemetry/retention", tag = "telemetry",
    responses((status = 200, body = Vec<RetentionRule>)))]
async fn retention(State(s): State<AppState>, _ctx: Ctx) -> Result<Json<Vec<RetentionRule>>, ApiError> {
    Ok(Json(s.store.telemetry_retention().await?))
}

/// Sets levels' retention (the standing body): never below the standard's figure; all or
/// nothing.
#[utoipa::path(put, path = "/api/v1/telemetry/retention", tag = "telemetry", request_body = Vec<RetentionInput>,
    responses((status = 200, body = Vec<RetentionRule>), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn set_retention(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(rules): ApiJson<Vec<RetentionInput>>,
) -> Result<Json<Vec<RetentionRule>>, ApiError> {
    Ok(Json(s.store.set_telemetry_retention(&ctx.actor, &rules).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DaysQuery {
    /// A unit and its subtree.
    pub unit_id: Option<i64>,
    /// 1–366, default 14.
    #[param(minimum = 1, maximum = 366)]
    pub days: Option<i64>,
}

/// Events and alerts per day over the caller's units (Vietnam's days).
#[utoipa::path(get, path = "/api/v1/telemetry/days", tag = "telemetry", params(DaysQuery),
    responses((status = 200, body = Vec<TelemetryDay>), (status = 422, body = crate::error::Problem)))]
async fn days(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<DaysQuery>,
) -> Result<Json<Vec<TelemetryDay>>, ApiError> {
    let days = q.days.unwrap_or(14);
    if !(1..=366).contains(&days) {
        return Err(Error::invalid("days", "Số ngày từ 1 đến 366.", "Days run from 1 to 366.").into());
    }
    Ok(Json(s.store.telemetry_days(&ctx.actor, q.unit_id, days).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EndpointQuery {
    /// A unit and its subtree.
    pub unit_id: Option<i64>,
}

/// The hosts of the caller's units as their agents last reported (Khiên's `endpoint` events),
/// the unprotected first: silent for 7 days, signatures over 7 days old, not sharing with NCSC.
#[utoipa::path(get, path = "/api/v1/endpoints", tag = "telemetry", params(EndpointQuery),
    responses((status = 200, body = Vec<Endpoint>)))]
async fn endpoints(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<EndpointQuery>,
) -> Result<Json<Vec<Endpoint>>, ApiError> {
    Ok(Json(s.store.list_endpoints(&ctx.actor, q.unit_id).await?))
}

/// Per unit: hosts known, protected and sharing with NCSC (HCM 3131 indicator 3), silent,
/// with stale signatures.
#[utoipa::path(get, path = "/api/v1/endpoints/coverage", tag = "telemetry",
    responses((status = 200, body = Vec<EndpointCoverage>)))]
async fn endpoint_coverage(State(s): State<AppState>, ctx: Ctx) -> Result<Json<Vec<EndpointCoverage>>, ApiError> {
    Ok(Json(s.store.endpoint_coverage(&ctx.actor).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PromoteInput {
    /// Link to this open incident instead of opening a new one.
    pub incident_id: Option<i64>,
    /// The new incident's category (intrusion when absent).
    pub category: Option<khien_domain::incident::Category>,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Promoted {
    pub incident_id: i64,
}

/// Promote an alert to a new incident of its unit (its addresses as observables, its system
/// affected), or link it to an open incident. Promoting the same alert again gives the same
/// incident.
#[utoipa::path(post, path = "/api/v1/telemetry/alerts/{id}/incident", tag = "telemetry", params(("id" = i64, Path)),
    request_body = PromoteInput,
    responses((status = 200, body = Promoted), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
async fn promote(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    crate::extract::ApiJson(b): crate::extract::ApiJson<PromoteInput>,
) -> Result<Json<Promoted>, ApiError> {
    let category = b.category.map(|c| c.code());
    let incident_id = s.store.promote_alert(&ctx.actor, id, b.incident_id, category).await?;
    Ok(Json(Promoted { incident_id }))
}
