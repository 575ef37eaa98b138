//! Trainings, drills and awareness campaigns: the list the person's units see and the form to
//! record one (kept when refused); a drill names the systems it tested by code.

use super::kept_form::{refusal, refused, FormError, Posted};
use super::msg;
use super::{render, see_other, Chrome};
use crate::auth::Ctx;
use crate::error::WebError;
use crate::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{Html, Response};
use axum::routing::get;
use axum::Router;
use khien_domain::calendar::display_date;
use khien_domain::number::grouped;
use khien_domain::role::Action;
use khien_domain::training::TrainingKind;
use khien_domain::Error;
use khien_store::{SystemFilter, Training, TrainingInput};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/trainings", get(list).post(record))
        .route("/trainings/{id}", get(one).post(give))
        .route("/follow-ups/{id}/done", axum::routing::post(done))
}

#[derive(Template)]
#[template(path = "trainings.html")]
struct Page {
    c: Chrome,
    items: Vec<(Training, String, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    organisers: Vec<(i64, String)>,
    v: Posted,
    error: FormError,
}

async fn page(s: &AppState, ctx: &Ctx, v: Posted, error: FormError) -> Result<Html<String>, WebError> {
    let lang = ctx.lang;
    let items = s
        .store
        .list_trainings(&ctx.actor, 200)
        .await?
        .into_iter()
        .map(|t| {
            let day = display_date(&t.held_on);
            let people = grouped(t.participants.max(t.reach));
            (t, day, people)
        })
        .collect();
    render(&Page {
        c: Chrome::new(ctx, "plans", "Tập huấn, diễn tập, tuyên truyền", "Trainings, drills, campaigns"),
        items,
        kinds: TrainingKind::ALL.iter().map(|k| (k.code(), k.label(lang))).collect(),
        organisers: if ctx.actor.can_anywhere(Action::ReportProgress) {
            super::units::options(s, ctx, Action::ReportProgress).await?
        } else {
            Vec::new()
        },
        v,
        error,
    })
}

async fn list(State(s): State<AppState>, ctx: Ctx) -> Result<Html<String>, WebError> {
    page(&s, &ctx, Posted::default(), FormError::default()).await
}

/// Units and systems typed by their codes, separated by commas or spaces.
fn codes(v: &str) -> Vec<String> {
    v.split([',', ';', ' ', '\n']).map(str::trim).filter(|c| !c.is_empty()).map(str::to_string).collect()
}

async fn input(s: &AppState, ctx: &Ctx, p: &Posted) -> Result<TrainingInput, Error> {
    let organiser = super::unit_field(s, &ctx.actor, "organiser", p.get("organiser"), p.get("organiser_code")).await?;
    let mut unit_ids = Vec::new();
    for code in codes(p.get("unit_codes")) {
        unit_ids.push(super::unit_by_code(s, &ctx.actor, "unit_codes", &code).await?.id);
    }
    let mut system_ids = Vec::new();
    for code in codes(p.get("system_codes")) {
        let f = SystemFilter { code: Some(code.clone()), limit: 1, ..Default::default() };
        let found = s.store.list_systems(&ctx.actor, &f).await?.items.into_iter().next().ok_or_else(|| {
            Error::invalid(
                "system_codes",
                format!("Không có hệ thống mã «{code}» trong phạm vi của bạn."),
                format!("There is no system «{code}» within your reach."),
            )
        })?;
        system_ids.push(found.id);
    }
    let count = |field: &str| -> Result<i64, Error> {
        let v = p.get(field).replace('.', "").trim().to_string();
        if v.is_empty() {
            return Ok(0);
        }
        v.parse().map_err(|_| Error::invalid(field, "Hãy nhập một số.", "Enter a number."))
    };
    Ok(TrainingInput {
        kind: p.get("kind").to_string(),
        title: p.get("title").to_string(),
        held_on: p.get("held_on").to_string(),
        organiser_unit_id: organiser,
        unit_ids,
        system_ids,
        participants: count("participants")?,
        reach: count("reach")?,
        response_plan: p.get("response_plan").to_string(),
        lessons: p.get("lessons").to_string(),
        follow_up: p.get("follow_up").to_string(),
    })
}

async fn record(State(s): State<AppState>, ctx: Ctx, body: Bytes) -> Result<Response, WebError> {
    let p = Posted::parse(&body)?;
    let result = match input(&s, &ctx, &p).await {
        Ok(i) => s.store.record_training(&ctx.actor, &i).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(see_other("/trainings")),
        Err(e) => {
            let error = refusal(e, ctx.lang)?;
            Ok(refused(page(&s, &ctx, p, error).await?))
        }
    }
}

#[derive(Template)]
#[template(path = "training.html")]
struct OnePage {
    c: Chrome,
    t: Training,
    day: String,
    /// The units a follow-up may go to, when the caller gives them (the organiser's people).
    givable: Vec<(i64, String)>,
    /// The follow-ups the caller may record done.
    doable: Vec<i64>,
    v: Posted,
    error: FormError,
}

async fn show_one(s: &AppState, ctx: &Ctx, id: i64, v: Posted, error: FormError) -> Result<Html<String>, WebError> {
    let t = s.store.get_training(&ctx.actor, id).await?;
    let organiser = s.store.get_unit(&ctx.actor, t.organiser_unit_id).await.ok();
    let gives = organiser.as_ref().is_some_and(|u| ctx.actor.can(Action::ReportProgress, u.id, &u.path));
    let mut givable = Vec::new();
    if gives {
        givable.push((t.organiser_unit_id, t.organiser_name.clone()));
        givable.extend(t.units.iter().filter(|(id, _)| *id != t.organiser_unit_id).cloned());
    }
    let mut doable = Vec::new();
    for f in t.follow_ups.iter().filter(|f| f.done_on.is_none()) {
        if let Ok(u) = s.store.get_unit(&ctx.actor, f.unit_id).await {
            if ctx.actor.can(Action::ReportProgress, u.id, &u.path) {
                doable.push(f.id);
            }
        }
    }
    render(&OnePage {
        c: Chrome::new(ctx, "plans", &t.title, &t.title),
        day: display_date(&t.held_on),
        t,
        givable,
        doable,
        v,
        error,
    })
}

async fn one(
    State(s): State<AppState>,
    ctx: Ctx,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Result<Html<String>, WebError> {
    show_one(&s, &ctx, id, Posted::default(), FormError::default()).await
}

/// Gives a follow-up; a refusal keeps what was typed.
async fn give(
    State(s): State<AppState>,
    ctx: Ctx,
    axum::extract::Path(id): axum::extract::Path<i64>,
    body: Bytes,
) -> Result<Response, WebError> {
    let p = Posted::parse(&body)?;
    let unit = p.get("unit").trim().parse::<i64>().unwrap_or(0);
    match s.store.add_follow_up(&ctx.actor, id, unit, p.get("body"), p.get("due_on")).await {
        Ok(_) => Ok(see_other(&format!("/trainings/{id}"))),
        Err(e) => {
            let error = refusal(e, ctx.lang)?;
            Ok(refused(show_one(&s, &ctx, id, p, error).await?))
        }
    }
}

async fn done(
    State(s): State<AppState>,
    ctx: Ctx,
    axum::extract::Path(id): axum::extract::Path<i64>,
    body: Bytes,
) -> Result<Response, WebError> {
    let p = Posted::parse(&body)?;
    let f = s.store.complete_follow_up(&ctx.actor, id, p.get("note")).await?;
    Ok(see_other(&format!("/trainings/{}", f.training_id)))
}
