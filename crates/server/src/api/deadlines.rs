//! The caller's deadlines, as JSON and as a calendar file.

use crate::auth::Ctx;
use crate::error::ApiError;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use khien_formats::ical::{write_ics, CalendarEntry};
use khien_store::Deadline;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(deadlines))
        .routes(routes!(deadlines_ics))
        .routes(routes!(subscribed_ics))
        .routes(routes!(make_feed, remove_feed))
}

async fn within_reach(s: &AppState, actor: &khien_domain::scope::Actor) -> Result<Vec<Deadline>, ApiError> {
    let until = s.store.clock().today_vn() + chrono::Days::new(crate::web::DEADLINE_DAYS);
    Ok(s.store.deadlines(actor, until).await?)
}

/// Every deadline the caller's units face within 90 days, overdue ones included, nearest first
/// (at most 1,000): plan reports, dossier steps, systems' recurring duties, findings, incident
/// reports.
#[utoipa::path(get, path = "/api/v1/deadlines", tag = "plans", responses((status = 200, body = Vec<Deadline>)))]
async fn deadlines(State(s): State<AppState>, ctx: Ctx) -> Result<Json<Vec<Deadline>>, ApiError> {
    Ok(Json(within_reach(&s, &ctx.actor).await?))
}

/// The same deadlines as an iCalendar file (all-day events) for Outlook or a phone.
#[utoipa::path(get, path = "/api/v1/deadlines.ics", tag = "plans",
    responses((status = 200, content((String = "text/calendar")))))]
async fn deadlines_ics(State(s): State<AppState>, ctx: Ctx) -> Result<Response, ApiError> {
    Ok(calendar(within_reach(&s, &ctx.actor).await?))
}

/// The deadlines of the person whose subscription address this is, as an iCalendar file: for
/// calendars that fetch without signing in. The address's secret is the only credential.
#[utoipa::path(get, path = "/api/v1/deadline-feeds/{secret}", tag = "plans", security(()),
    params(("secret" = String, Path, description = "The secret of the person's subscription address")),
    responses((status = 200, content((String = "text/calendar"))), (status = 404, body = crate::error::Problem)))]
async fn subscribed_ics(State(s): State<AppState>, Path(secret): Path<String>) -> Result<Response, ApiError> {
    let actor = s
        .store
        .calendar_feed_actor(&secret)
        .await?
        .ok_or_else(|| khien_domain::Error::not_found("địa chỉ đăng ký lịch", "Calendar subscription address"))?;
    Ok(calendar(within_reach(&s, &actor).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeadlineFeed {
    /// Shown once: the secret of the address.
    secret: String,
    /// The address's path on this server (`/api/v1/deadline-feeds/{secret}`).
    path: String,
}

/// Make (or replace) the signed-in person's calendar subscription address.
#[utoipa::path(post, path = "/api/v1/me/deadline-feed", tag = "plans",
    responses((status = 201, body = DeadlineFeed), (status = 403, body = crate::error::Problem)))]
async fn make_feed(State(s): State<AppState>, ctx: Ctx) -> Result<(StatusCode, Json<DeadlineFeed>), ApiError> {
    let secret = s.store.create_calendar_feed(&ctx.actor).await?;
    let path = feed_path(&secret);
    Ok((StatusCode::CREATED, Json(DeadlineFeed { secret, path })))
}

/// Remove the signed-in person's calendar subscription address.
#[utoipa::path(delete, path = "/api/v1/me/deadline-feed", tag = "plans",
    responses((status = 204), (status = 403, body = crate::error::Problem)))]
async fn remove_feed(State(s): State<AppState>, ctx: Ctx) -> Result<StatusCode, ApiError> {
    s.store.revoke_calendar_feed(&ctx.actor).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Where a subscription address's calendar is served.
pub(crate) fn feed_path(secret: &str) -> String {
    format!("/api/v1/deadline-feeds/{secret}")
}

/// Deadlines as an iCalendar file of all-day events.
fn calendar(deadlines: Vec<Deadline>) -> Response {
    let entries: Vec<CalendarEntry> = deadlines
        .into_iter()
        .filter_map(|d| {
            let day = khien_domain::calendar::parse_date(&d.day)?;
            Some(CalendarEntry {
                uid: format!("{}-{}-{}@khien", d.kind.code(), d.day, d.link.replace(['/', '?', '=', '#', '&'], "-")),
                day,
                summary: format!("{}: {}", d.kind.label(khien_domain::Lang::Vi), d.title),
                description: format!("{}\n{}", d.unit_name, d.link),
            })
        })
        .collect();
    let ics = write_ics("Khiên — lịch hạn", &entries);
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"khien-lich-han.ics\""),
        ],
        ics,
    )
        .into_response()
}
