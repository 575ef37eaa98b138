//! "Lịch hạn": every deadline the person's units face, by day — plan reports, dossier steps,
//! systems' recurring duties, findings, incident reports — with the calendar file to add to
//! Outlook or a phone.

use super::msg;
use super::{render, Chrome};
use crate::auth::Ctx;
use crate::error::WebError;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use axum::Router;
use khien_domain::calendar::display_date;
use khien_store::Deadline;

pub fn router() -> Router<AppState> {
    Router::new().route("/deadlines", get(page))
}

#[derive(Template)]
#[template(path = "deadlines.html")]
struct Page {
    c: Chrome,
    /// (day as shown, its deadlines).
    days: Vec<(String, Vec<Deadline>)>,
    total: usize,
    overdue: usize,
}

async fn page(State(s): State<AppState>, ctx: Ctx) -> Result<Html<String>, WebError> {
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
    render(&Page { c: Chrome::new(&ctx, "deadlines", "Lịch hạn", "Deadlines"), days, total, overdue })
}
