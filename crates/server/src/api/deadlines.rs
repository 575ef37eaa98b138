//! The caller's deadlines, as JSON and as a calendar file.

use crate::auth::Ctx;
use crate::error::ApiError;
use crate::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use khien_formats::ical::{write_ics, CalendarEntry};
use khien_store::Deadline;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(deadlines)).routes(routes!(deadlines_ics))
}

async fn within_reach(s: &AppState, ctx: &Ctx) -> Result<Vec<Deadline>, ApiError> {
    let until = s.store.clock().today_vn() + chrono::Days::new(crate::web::DEADLINE_DAYS);
    Ok(s.store.deadlines(&ctx.actor, until).await?)
}

/// Every deadline the caller's units face within 90 days, overdue ones included, nearest first
/// (at most 1,000): plan reports, dossier steps, systems' recurring duties, findings, incident
/// reports.
#[utoipa::path(get, path = "/api/v1/deadlines", tag = "plans", responses((status = 200, body = Vec<Deadline>)))]
async fn deadlines(State(s): State<AppState>, ctx: Ctx) -> Result<Json<Vec<Deadline>>, ApiError> {
    Ok(Json(within_reach(&s, &ctx).await?))
}

/// The same deadlines as an iCalendar file (all-day events) for Outlook or a phone.
#[utoipa::path(get, path = "/api/v1/deadlines.ics", tag = "plans",
    responses((status = 200, content((String = "text/calendar")))))]
async fn deadlines_ics(State(s): State<AppState>, ctx: Ctx) -> Result<Response, ApiError> {
    let entries: Vec<CalendarEntry> = within_reach(&s, &ctx)
        .await?
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
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"khien-lich-han.ics\""),
        ],
        ics,
    )
        .into_response())
}
