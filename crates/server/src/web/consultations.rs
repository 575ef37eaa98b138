//! The consultation register: rounds of comments on drafts, the form to open one (units by
//! code or every active unit of chosen types), a round's page where an asked unit replies and
//! the drafting body answers each comment and closes the round, and the register export.

use super::kept_form::{refusal, refused, FormError, Posted};
use super::msg;
use super::{render, see_other, Chrome};
use crate::auth::Ctx;
use crate::error::WebError;
use crate::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{Html, Response};
use axum::routing::{get, post};
use axum::Router;
use khien_domain::calendar::display_date;
use khien_domain::consultation::{register_answer, CommentAnswer};
use khien_domain::role::Action;
use khien_domain::unit::UnitType;
use khien_domain::Error;
use khien_store::{CommentInput, Consultation, ConsultationInput};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/consultations", get(list).post(open))
        .route("/consultations/{id}", get(round))
        .route("/consultations/{id}/replies", post(reply))
        .route("/consultations/{id}/close", post(close))
        .route("/consultation-comments/{id}/answer", post(answer))
}

/// Comment rows the reply form offers at once; a unit may reply again to add more.
const COMMENT_ROWS: usize = 5;

#[derive(Template)]
#[template(path = "consultations.html")]
struct ListPage {
    c: Chrome,
    rounds: Vec<(Consultation, String)>,
    drafting: Vec<(i64, String)>,
    types: Vec<(&'static str, &'static str)>,
    v: Posted,
    error: FormError,
}

async fn show_list(s: &AppState, ctx: &Ctx, v: Posted, error: FormError) -> Result<Html<String>, WebError> {
    let rounds = s
        .store
        .list_consultations(&ctx.actor)
        .await?
        .into_iter()
        .map(|c| (display_date(&c.due_on), c))
        .map(|(d, c)| (c, d))
        .collect();
    render(&ListPage {
        c: Chrome::new(ctx, "plans", "Lấy ý kiến góp ý dự thảo", "Drafts for comments"),
        rounds,
        drafting: if ctx.actor.can_anywhere(Action::ManagePlans) {
            super::units::options(s, ctx, Action::ManagePlans).await?
        } else {
            Vec::new()
        },
        types: UnitType::ALL.iter().map(|t| (t.code(), t.label(ctx.lang))).collect(),
        v,
        error,
    })
}

async fn list(State(s): State<AppState>, ctx: Ctx) -> Result<Html<String>, WebError> {
    show_list(&s, &ctx, Posted::default(), FormError::default()).await
}

/// The units asked: typed codes, and every active unit of each ticked type.
async fn asked(s: &AppState, ctx: &Ctx, p: &Posted) -> Result<Vec<i64>, Error> {
    let mut ids = Vec::new();
    let types = p.all("unit_types");
    if !types.is_empty() {
        for u in s.store.units_where(&ctx.actor, Action::ViewUnits).await? {
            if types.iter().any(|t| t == u.unit_type.code()) {
                ids.push(u.id);
            }
        }
    }
    for code in p.get("unit_codes").split([',', ';', ' ', '\n']).map(str::trim).filter(|c| !c.is_empty()) {
        ids.push(super::unit_by_code(s, &ctx.actor, "unit_codes", code).await?.id);
    }
    Ok(ids)
}

async fn open(State(s): State<AppState>, ctx: Ctx, body: Bytes) -> Result<Response, WebError> {
    let p = Posted::parse(&body)?;
    let result = async {
        let input = ConsultationInput {
            title: p.get("title").to_string(),
            drafting_unit_id: super::unit_field(&s, &ctx.actor, "drafting", p.get("drafting"), p.get("drafting_code"))
                .await?,
            due_on: p.get("due_on").to_string(),
            unit_ids: asked(&s, &ctx, &p).await?,
        };
        s.store.open_consultation(&ctx.actor, &input).await
    }
    .await;
    match result {
        Ok(c) => Ok(see_other(&format!("/consultations/{}", c.id))),
        Err(e) => {
            let error = refusal(e, ctx.lang)?;
            Ok(refused(show_list(&s, &ctx, p, error).await?))
        }
    }
}

#[derive(Template)]
#[template(path = "consultation.html")]
struct RoundPage {
    c: Chrome,
    r: Consultation,
    due: String,
    can_answer: bool,
    /// The asked units the caller replies for.
    repliers: Vec<(i64, String)>,
    rows: Vec<usize>,
    answers: Vec<(&'static str, &'static str)>,
    v: Posted,
    error: FormError,
}

impl RoundPage {
    fn shown_answer(&self, answer: &Option<CommentAnswer>, reason: &str) -> String {
        register_answer(*answer, reason)
    }
}

async fn show_round(s: &AppState, ctx: &Ctx, id: i64, v: Posted, error: FormError) -> Result<Html<String>, WebError> {
    let r = s.store.get_consultation(&ctx.actor, id).await?;
    let can_answer = match s.store.get_unit(&ctx.actor, r.drafting_unit_id).await {
        Ok(u) => ctx.actor.can(Action::ManagePlans, u.id, &u.path),
        Err(_) => false,
    };
    let mut repliers = Vec::new();
    if !r.closed {
        for u in &r.units {
            if let Ok(unit) = s.store.get_unit(&ctx.actor, u.unit_id).await {
                if ctx.actor.can(Action::ReportProgress, unit.id, &unit.path) {
                    repliers.push((unit.id, unit.name));
                }
            }
        }
    }
    render(&RoundPage {
        c: Chrome::new(ctx, "plans", &r.title, &r.title),
        due: display_date(&r.due_on),
        can_answer: can_answer && !r.closed,
        repliers,
        rows: (0..COMMENT_ROWS).collect(),
        answers: CommentAnswer::ALL.iter().map(|a| (a.code(), a.label(ctx.lang))).collect(),
        r,
        v,
        error,
    })
}

async fn round(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Html<String>, WebError> {
    show_round(&s, &ctx, id, Posted::default(), FormError::default()).await
}

async fn reply(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, WebError> {
    let p = Posted::parse(&body)?;
    let comments: Vec<CommentInput> = (0..COMMENT_ROWS)
        .map(|n| CommentInput { section: p.nth("section", n).to_string(), body: p.nth("comment", n).to_string() })
        .filter(|c| !c.body.trim().is_empty() || !c.section.trim().is_empty())
        .collect();
    let result = match p.get("unit").trim().parse::<i64>() {
        Ok(unit) => s.store.reply_to_consultation(&ctx.actor, id, unit, &comments).await,
        Err(_) => Err(Error::invalid("unit", "Chọn đơn vị gửi ý kiến.", "Choose the unit replying.")),
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/consultations/{id}"))),
        Err(e) => {
            let error = refusal(e, ctx.lang)?;
            Ok(refused(show_round(&s, &ctx, id, p, error).await?))
        }
    }
}

async fn answer(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(comment): Path<i64>,
    body: Bytes,
) -> Result<Response, WebError> {
    let p = Posted::parse(&body)?;
    let round: i64 = p.get("round").trim().parse().unwrap_or(0);
    let result = match CommentAnswer::parse("answer", p.get("answer")) {
        Ok(a) => s.store.answer_consultation_comment(&ctx.actor, comment, a, p.get("reason")).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(c) => Ok(see_other(&format!("/consultations/{}#comment-{comment}", c.id))),
        Err(e) => {
            let error = refusal(e, ctx.lang)?;
            Ok(refused(show_round(&s, &ctx, round, p.with("comment_id", &comment.to_string()), error).await?))
        }
    }
}

async fn close(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Response, WebError> {
    match s.store.close_consultation(&ctx.actor, id).await {
        Ok(_) => Ok(see_other(&format!("/consultations/{id}"))),
        Err(e) => {
            let error = refusal(e, ctx.lang)?;
            Ok(refused(show_round(&s, &ctx, id, Posted::default(), error).await?))
        }
    }
}
