//! Periodic reports (issue 16.5): the rounds, the form to open one, a round's page (who has
//! and has not submitted, the city's consolidated report), and a unit's report — pre-filled from
//! its records, drafted, submitted by its head, accepted or returned by the authority.

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
use khien_domain::budget::{share_bp, show_bp};
use khien_domain::calendar::display_date;
use khien_domain::number::grouped;
use khien_domain::report::{ReportState, ReportTemplate, Section};
use khien_domain::role::Action;
use khien_domain::time::display_vn;
use khien_domain::unit::UnitType;
use khien_store::{ReportRound, ReportRoundDetail, ReportRoundInput, UnitReport};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reports", get(list).post(open))
        .route("/reports/{id}", get(round))
        .route("/reports/{id}/units/{unit_id}", get(unit_page).post(write))
        .route("/reports/{id}/units/{unit_id}/decision", post(decide))
}

/// A round as listed: its names and due day shown.
struct RoundLine {
    r: ReportRound,
    template: &'static str,
    period: String,
    due: String,
}

fn line(r: ReportRound, lang: khien_domain::Lang) -> RoundLine {
    RoundLine {
        template: r.template.label(lang),
        period: r.template.period_label(&r.period, lang),
        due: display_date(&r.due_on),
        r,
    }
}

#[derive(Template)]
#[template(path = "reports.html")]
struct ListPage {
    c: Chrome,
    rounds: Vec<RoundLine>,
    can_open: bool,
    templates: Vec<(&'static str, &'static str)>,
    types: Vec<(&'static str, &'static str)>,
    v: Posted,
    error: FormError,
}

async fn show_list(s: &AppState, ctx: &Ctx, v: Posted, error: FormError) -> Result<Html<String>, WebError> {
    let rounds = s.store.list_report_rounds(&ctx.actor).await?.into_iter().map(|r| line(r, ctx.lang)).collect();
    render(&ListPage {
        c: Chrome::new(ctx, "reports", "Báo cáo định kỳ", "Periodic reports"),
        rounds,
        can_open: ctx.actor.can_anywhere(Action::Govern),
        templates: ReportTemplate::ALL.iter().map(|t| (t.code(), t.label(ctx.lang))).collect(),
        types: UnitType::ALL.iter().map(|t| (t.code(), t.label(ctx.lang))).collect(),
        v,
        error,
    })
}

async fn list(State(s): State<AppState>, ctx: Ctx) -> Result<Html<String>, WebError> {
    show_list(&s, &ctx, Posted::default(), FormError::default()).await
}

async fn open(State(s): State<AppState>, ctx: Ctx, body: Bytes) -> Result<Response, WebError> {
    let p = Posted::parse(&body)?;
    let input = ReportRoundInput {
        template: p.get("template").into(),
        period: p.get("period").into(),
        due_on: p.get("due_on").into(),
        unit_types: p.all("unit_types"),
    };
    match s.store.open_report_round(&ctx.actor, &input).await {
        Ok(r) => Ok(see_other(&format!("/reports/{}", r.id))),
        Err(e) => {
            let error = refusal(e, ctx.lang)?;
            Ok(refused(show_list(&s, &ctx, p, error).await?))
        }
    }
}

/// A unit's line on a round's page.
struct ReportLine {
    unit_id: i64,
    unit_name: String,
    state: ReportState,
    state_label: &'static str,
    submitted: String,
    late: bool,
    return_reason: String,
}

#[derive(Template)]
#[template(path = "report_round.html")]
struct RoundPage {
    c: Chrome,
    round: RoundLine,
    lines: Vec<ReportLine>,
    /// The caller sees the whole city: the consolidated report is offered.
    city: bool,
}

async fn round(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Html<String>, WebError> {
    let ReportRoundDetail { round, reports } = s.store.report_round(&ctx.actor, id).await?;
    let city = match s.store.root_unit().await? {
        Some(root) => ctx.actor.can(Action::ViewUnits, root.id, &root.path),
        None => false,
    };
    let lines = reports
        .into_iter()
        .map(|l| ReportLine {
            unit_id: l.unit_id,
            unit_name: l.unit_name,
            state: l.state,
            state_label: l.state.label(ctx.lang),
            submitted: l.submitted_at.map(display_vn).unwrap_or_default(),
            late: l.late,
            return_reason: l.return_reason,
        })
        .collect();
    let round = line(round, ctx.lang);
    let title = format!("{} — {}", round.template, round.period);
    render(&RoundPage { c: Chrome::new(&ctx, "reports", &title, &title), round, lines, city })
}

/// (indicator, period, counts, share, target).
type FigureRow = (String, String, String, String, String);
/// (plan, number, body, status).
type TaskRow = (String, String, String, String);

/// A part of a unit's report as the page shows it: its title and one of the four kinds.
#[derive(Default)]
struct Part {
    title: &'static str,
    /// (key, required, text): written by the unit.
    narrative: Option<(&'static str, bool, String)>,
    figures: Option<Vec<FigureRow>>,
    facts: Option<Vec<(&'static str, String)>>,
    tasks: Option<Vec<TaskRow>>,
}

#[derive(Template)]
#[template(path = "report.html")]
struct UnitPage {
    c: Chrome,
    round: RoundLine,
    r: UnitReport,
    state: &'static str,
    parts: Vec<Part>,
    versions: Vec<(i64, i64, String, String, String)>,
    can_write: bool,
    can_submit: bool,
    can_decide: bool,
    v: Posted,
    error: FormError,
}

fn parts_of(r: &UnitReport, v: &Posted, lang: khien_domain::Lang) -> Vec<Part> {
    let c = &r.content;
    c.template
        .sections()
        .iter()
        .map(|s| {
            let title = s.title(lang);
            match s {
                Section::Narrative(n) => {
                    let typed = v.get(n.key);
                    let text = if typed.is_empty() { c.narrative(n.key) } else { typed };
                    Part { title, narrative: Some((n.key, n.required, text.to_string())), ..Part::default() }
                }
                Section::Indicators => {
                    let rows = c
                        .figures
                        .iter()
                        .map(|f| {
                            (
                                format!("{} — {}", f.code, f.name),
                                f.period.clone(),
                                format!("{} / {}", grouped(f.numerator), grouped(f.denominator)),
                                share_bp(f.numerator, f.denominator).map(show_bp).unwrap_or_else(|| "—".into()),
                                f.target_bp.map(show_bp).unwrap_or_default(),
                            )
                        })
                        .collect();
                    Part { title, figures: Some(rows), ..Part::default() }
                }
                Section::Facts { facts, .. } => {
                    let rows = facts.iter().map(|f| (f.label(lang), grouped(c.fact(*f)))).collect();
                    Part { title, facts: Some(rows), ..Part::default() }
                }
                Section::PlanTasks => {
                    let rows = c
                        .tasks
                        .iter()
                        .map(|t| {
                            let status = t.status.map(|s| s.label(lang)).unwrap_or_default();
                            (t.plan.clone(), t.number.clone(), t.body.clone(), status.to_string())
                        })
                        .collect();
                    Part { title, tasks: Some(rows), ..Part::default() }
                }
            }
        })
        .collect()
}

async fn show_unit(
    s: &AppState,
    ctx: &Ctx,
    (id, unit_id): (i64, i64),
    v: Posted,
    error: FormError,
) -> Result<Html<String>, WebError> {
    let r = s.store.unit_report(&ctx.actor, id, unit_id).await?;
    let unit = s.store.get_unit(&ctx.actor, unit_id).await?;
    let editable = r.state.editable();
    let versions = r
        .versions
        .iter()
        .map(|x| (x.id, x.version, display_vn(x.submitted_at), x.submitted_by.clone(), x.sha256.clone()))
        .collect();
    let title = format!("{} — {}", r.unit_name, r.round.template.period_label(&r.round.period, ctx.lang));
    render(&UnitPage {
        c: Chrome::new(ctx, "reports", &title, &title),
        round: line(r.round.clone(), ctx.lang),
        state: r.state.label(ctx.lang),
        parts: parts_of(&r, &v, ctx.lang),
        versions,
        can_write: editable && ctx.actor.can(Action::ReportProgress, unit.id, &unit.path),
        can_submit: editable && ctx.actor.can(Action::SubmitReports, unit.id, &unit.path),
        can_decide: r.state == ReportState::Submitted && ctx.actor.can_anywhere(Action::Govern),
        r,
        v,
        error,
    })
}

async fn unit_page(
    State(s): State<AppState>,
    ctx: Ctx,
    Path((id, unit_id)): Path<(i64, i64)>,
) -> Result<Html<String>, WebError> {
    show_unit(&s, &ctx, (id, unit_id), Posted::default(), FormError::default()).await
}

/// Saves the draft or submits it (the button pressed says which).
async fn write(
    State(s): State<AppState>,
    ctx: Ctx,
    Path((id, unit_id)): Path<(i64, i64)>,
    body: Bytes,
) -> Result<Response, WebError> {
    let p = Posted::parse(&body)?;
    let round = s.store.unit_report(&ctx.actor, id, unit_id).await?.round;
    let narratives: Vec<(String, String)> =
        round.template.narratives().map(|n| (n.key.to_string(), p.get(n.key).to_string())).collect();
    let result = if p.get("action") == "submit" {
        s.store.submit_report(&ctx.actor, (id, unit_id), Some(&narratives)).await
    } else {
        s.store.save_report_draft(&ctx.actor, (id, unit_id), &narratives).await
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/reports/{id}/units/{unit_id}"))),
        Err(e) => {
            let error = refusal(e, ctx.lang)?;
            Ok(refused(show_unit(&s, &ctx, (id, unit_id), p, error).await?))
        }
    }
}

async fn decide(
    State(s): State<AppState>,
    ctx: Ctx,
    Path((id, unit_id)): Path<(i64, i64)>,
    body: Bytes,
) -> Result<Response, WebError> {
    let p = Posted::parse(&body)?;
    let accept = p.get("decision") == "accept";
    match s.store.decide_report(&ctx.actor, (id, unit_id), accept, p.get("reason")).await {
        Ok(_) => Ok(see_other(&format!("/reports/{id}"))),
        Err(e) => {
            let error = refusal(e, ctx.lang)?;
            Ok(refused(show_unit(&s, &ctx, (id, unit_id), p, error).await?))
        }
    }
}
