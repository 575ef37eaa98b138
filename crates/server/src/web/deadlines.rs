//! "Lịch hạn": every deadline the person's units face, by day — plan reports, dossier steps,
//! systems' recurring duties, findings, incident reports — with the calendar file to add to
//! Outlook or a phone.

use super::msg;
use super::{render, see_other, Chrome};
use crate::auth::Ctx;
use crate::error::WebError;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{Html, Response};
use axum::routing::{get, post};
use axum::Router;
use khien_domain::calendar::display_date;
use khien_store::Deadline;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/deadlines", get(page))
        .route("/deadlines/feed", post(make_feed))
        .route("/deadlines/feed/remove", post(remove_feed))
}

#[derive(Template)]
#[template(path = "deadlines.html")]
struct Page {
    c: Chrome,
    /// (day as shown, its deadlines).
    days: Vec<(String, Vec<Deadline>)>,
    total: usize,
    overdue: usize,
    /// When the person's subscription address was made, as shown.
    feed_since: Option<String>,
    /// The address just made: shown this once.
    new_address: Option<String>,
}

async fn page(State(s): State<AppState>, ctx: Ctx) -> Result<Html<String>, WebError> {
    show(&s, &ctx, None).await
}

async fn show(s: &AppState, ctx: &Ctx, new_address: Option<String>) -> Result<Html<String>, WebError> {
    let until = s.store.clock().today_vn() + chrono::Days::new(super::DEADLINE_DAYS);
    let all = s.store.deadlines(&ctx.actor, until).await?;
    let (total, overdue) = (all.len(), all.iter().filter(|d| d.overdue).count());
    let mut days: Vec<(String, Vec<Deadline>)> = Vec::new();
    for d in all {
        let shown = display_date(&d.day);
        match days.last_mut() {
            Some((day, list)) if *day == shown => list.push(d),
            _ => days.push((shown, vec![d])),
        }
    }
    let feed_since = s.store.calendar_feed_since(&ctx.actor).await?.map(khien_domain::time::display_vn);
    render(&Page {
        c: Chrome::new(ctx, "deadlines", "Lịch hạn", "Deadlines"),
        days,
        total,
        overdue,
        feed_since,
        new_address,
    })
}

/// The address as a calendar reaches this server: the scheme a proxy in front says, the host
/// the browser used.
fn absolute(headers: &HeaderMap, path: &str) -> String {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let scheme = match header("x-forwarded-proto").as_str() {
        "https" => "https",
        _ => "http",
    };
    format!("{scheme}://{}{path}", header("host"))
}

/// Makes (or replaces) the person's subscription address and shows it once.
async fn make_feed(State(s): State<AppState>, ctx: Ctx, headers: HeaderMap) -> Result<Html<String>, WebError> {
    let secret = s.store.create_calendar_feed(&ctx.actor).await?;
    let address = absolute(&headers, &crate::api::deadlines::feed_path(&secret));
    show(&s, &ctx, Some(address)).await
}

async fn remove_feed(State(s): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    s.store.revoke_calendar_feed(&ctx.actor).await?;
    Ok(see_other("/deadlines"))
}
