//! Recurring duties on the system page (the calendar and the record form) and the standing
//! body's page of the ruleset's periods by level.

use super::msg;
use super::{render, see_other, Chrome};
use crate::auth::Ctx;
use crate::error::WebError;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use khien_domain::calendar::display_date;
use khien_domain::role::Action;
use khien_domain::system::obligation::ObligationKind;
use khien_domain::{Error, Lang};
use khien_store::{RulePeriod, SystemObligations};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/systems/{id}/obligations", post(record))
        .route(
            "/obligation-occurrences/{id}/files",
            post(attach).layer(axum::extract::DefaultBodyLimit::max(super::MAX_IMPORT_BYTES)),
        )
        .route("/obligation-rules", get(rules_page).post(set_rule))
}

/// A duty as the system page shows it.
pub(super) struct DutyRow {
    pub kind: &'static str,
    pub label: &'static str,
    pub months: i64,
    pub clause: String,
    pub last_done: String,
    pub due: String,
    pub overdue: bool,
}

/// The system page's obligations section.
pub(super) struct ObligationView {
    pub level: Option<i64>,
    pub duties: Vec<DutyRow>,
    /// The latest duties done, newest first.
    pub recent: Vec<DoneRow>,
}

/// A duty done, with its evidence.
pub(super) struct DoneRow {
    pub id: i64,
    pub day: String,
    pub duty: &'static str,
    /// How it was recorded (by hand, a scan import …).
    pub how: &'static str,
    pub note: String,
    pub files: Vec<khien_store::EvidenceFile>,
}

pub(super) fn view(o: SystemObligations, lang: Lang) -> ObligationView {
    ObligationView {
        level: o.level,
        duties: o
            .duties
            .into_iter()
            .map(|d| DutyRow {
                kind: d.kind.code(),
                label: d.kind.label(lang),
                months: d.months,
                clause: d.clause,
                last_done: d.last_done.as_deref().map(display_date).unwrap_or_else(|| "—".into()),
                due: display_date(&d.due_on),
                overdue: d.overdue,
            })
            .collect(),
        recent: o
            .recent
            .into_iter()
            .map(|x| DoneRow {
                id: x.id,
                day: display_date(&x.done_on),
                duty: x.kind.label(lang),
                how: x.source.label(lang),
                note: x.note,
                files: x.files,
            })
            .collect(),
    }
}

#[derive(Deserialize)]
struct RecordForm {
    kind: String,
    done_on: String,
    #[serde(default)]
    note: String,
}

async fn record(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<RecordForm>,
) -> Result<Response, WebError> {
    let kind = ObligationKind::parse("kind", &f.kind)?;
    s.store.record_obligation(&ctx.actor, id, kind, &f.done_on, &f.note).await?;
    Ok(see_other(&format!("/systems/{id}#obligations")))
}

/// Attaches evidence (multipart) to a duty done, back to the system's calendar.
async fn attach(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    mp: axum::extract::Multipart,
) -> Result<Response, WebError> {
    let (name, bytes) = super::Upload::read(mp).await?.file()?;
    let file = s.store.attach_obligation_evidence(&ctx.actor, id, &name, &bytes).await?;
    let system = s.store.evidence_system(&ctx.actor, file.subject_id).await?;
    Ok(see_other(&format!("/systems/{system}#obligations")))
}

#[derive(Template)]
#[template(path = "obligation_rules.html")]
struct RulesPage {
    c: Chrome,
    rules: Vec<(RulePeriod, &'static str)>,
    can_edit: bool,
}

async fn rules_page(State(s): State<AppState>, ctx: Ctx) -> Result<Html<String>, WebError> {
    let rules = s.store.obligation_rules(&ctx.actor).await?;
    let lang = ctx.lang;
    render(&RulesPage {
        c: Chrome::new(&ctx, "rulesets", "Nghĩa vụ định kỳ theo cấp độ", "Recurring duties by level"),
        rules: rules
            .into_iter()
            .map(|r| {
                let label = r.kind.label(lang);
                (r, label)
            })
            .collect(),
        can_edit: ctx.actor.can_anywhere(Action::Govern),
    })
}

#[derive(Deserialize)]
struct RuleForm {
    kind: String,
    level: i64,
    months: String,
}

async fn set_rule(State(s): State<AppState>, ctx: Ctx, Form(f): Form<RuleForm>) -> Result<Response, WebError> {
    let kind = ObligationKind::parse("kind", &f.kind)?;
    let months: u32 = f.months.trim().parse().map_err(|_| {
        Error::invalid("months", "Chu kỳ là số tháng (0: không có).", "The period is a number of months (0: none).")
    })?;
    s.store.set_obligation_rule(&ctx.actor, kind, f.level, months).await?;
    Ok(see_other("/obligation-rules"))
}
