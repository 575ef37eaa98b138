//! The cybersecurity index: the rankings (the standing body computes one per unit type and
//! period with a model, then publishes it), and a ranking's page — each unit's points and band,
//! every criterion's share and points, and for the reader's own units what cost the most.

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
use khien_domain::budget::show_bp;
use khien_domain::number::decimal;
use khien_domain::role::Action;
use khien_domain::unit::UnitType;
use khien_domain::Error;
use khien_store::{IndexModel, Ranking, RankingRow};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/rankings", get(list).post(compute))
        .route("/rankings/{id}", get(page))
        .route("/rankings/{id}/publish", post(publish))
        .route("/units/{id}/index", get(unit_index))
}

#[derive(Template)]
#[template(path = "rankings.html")]
struct ListPage {
    c: Chrome,
    rankings: Vec<Ranking>,
    models: Vec<IndexModel>,
    types: Vec<(&'static str, &'static str)>,
    can_compute: bool,
    v: Posted,
    error: FormError,
}

async fn show_list(s: &AppState, ctx: &Ctx, v: Posted, error: FormError) -> Result<Html<String>, WebError> {
    let can_compute = ctx.actor.can_anywhere(Action::Govern);
    render(&ListPage {
        c: Chrome::new(ctx, "overview", "Xếp hạng chỉ số an ninh mạng", "Cybersecurity index rankings"),
        rankings: s.store.list_rankings(&ctx.actor).await?,
        models: s.store.list_index_models(&ctx.actor).await?,
        types: UnitType::ALL.iter().map(|t| (t.code(), t.label(ctx.lang))).collect(),
        can_compute,
        v,
        error,
    })
}

async fn list(State(s): State<AppState>, ctx: Ctx) -> Result<Html<String>, WebError> {
    show_list(&s, &ctx, Posted::default(), FormError::default()).await
}

async fn compute(State(s): State<AppState>, ctx: Ctx, body: Bytes) -> Result<Response, WebError> {
    let p = Posted::parse(&body)?;
    let result = match (p.get("model").trim().parse::<i64>(), UnitType::parse(p.get("unit_type"))) {
        (Ok(model), Ok(t)) => s.store.compute_ranking(&ctx.actor, model, t, p.get("period")).await,
        (Err(_), _) => Err(Error::invalid("model", "Chọn mô hình chấm điểm.", "Choose a scoring model.")),
        (_, Err(e)) => Err(e),
    };
    match result {
        Ok(r) => Ok(see_other(&format!("/rankings/{}", r.id))),
        Err(e) => {
            let error = refusal(e, ctx.lang)?;
            Ok(refused(show_list(&s, &ctx, p, error).await?))
        }
    }
}

/// A unit's line: its row, its points shown, each criterion (name, share, points of weight),
/// and for the reader's own units the criterion that cost the most points.
struct Line {
    row: RankingRow,
    points: String,
    criteria: Vec<(String, String, String)>,
    weakest: Option<String>,
    mine: bool,
}

#[derive(Template)]
#[template(path = "ranking.html")]
struct OnePage {
    c: Chrome,
    r: Ranking,
    type_label: &'static str,
    lines: Vec<Line>,
    can_publish: bool,
}

async fn page(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Html<String>, WebError> {
    let r = s.store.get_ranking(&ctx.actor, id).await?;
    let name_of = |code: &str| {
        r.model
            .model
            .criteria
            .iter()
            .find(|c| c.code == code)
            .map(|c| ctx.lang.pick(&c.name_vi, &c.name_en).to_string())
            .unwrap_or_else(|| code.to_string())
    };
    let own: Vec<i64> = ctx.actor.grants.iter().map(|g| g.unit_id).collect();
    let lines = r
        .rows
        .iter()
        .map(|row| {
            let criteria = row
                .criteria
                .iter()
                .map(|c| {
                    let share = c.share_bp.map(show_bp).unwrap_or_else(|| "—".into());
                    let points = format!("{} / {}", decimal(c.points_cp as f64 / 100.0, 1), c.weight);
                    (name_of(&c.code), share, points)
                })
                .collect();
            let weakest =
                row.criteria.iter().filter(|c| c.lost_cp() > 0).max_by_key(|c| c.lost_cp()).map(|c| name_of(&c.code));
            Line {
                points: decimal(row.points_cp as f64 / 100.0, 1),
                criteria,
                weakest,
                mine: own.contains(&row.unit_id),
                row: row.clone(),
            }
        })
        .collect();
    render(&OnePage {
        c: Chrome::new(&ctx, "overview", &format!("Xếp hạng {}", r.period), &format!("Ranking {}", r.period)),
        type_label: r.unit_type.label(ctx.lang),
        can_publish: !r.published && ctx.actor.can_anywhere(Action::Govern),
        lines,
        r,
    })
}

async fn publish(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Response, WebError> {
    s.store.publish_ranking(&ctx.actor, id).await?;
    Ok(see_other(&format!("/rankings/{id}")))
}

/// A unit's own page of the index: its latest figure of each indicator against the year's
/// target, its place in every published ranking, and what cost it the most in the latest one.
#[derive(Template)]
#[template(path = "unit_index.html")]
struct UnitPage {
    c: Chrome,
    unit: khien_store::Unit,
    /// (indicator code, name, period, share, target, met).
    figures: Vec<(String, String, String, String, String, Option<bool>)>,
    /// (period, model, position, points, band, downgraded).
    places: Vec<(String, String, i64, String, String, bool)>,
    /// The latest place's criteria that cost points, most first: (name, share, points lost).
    to_raise: Vec<(String, String, String)>,
}

async fn unit_index(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Html<String>, WebError> {
    let unit = s.store.get_unit(&ctx.actor, id).await?;
    let figures = s
        .store
        .unit_indicator_figures(&ctx.actor, unit.id)
        .await?
        .into_iter()
        .map(|(ind, v)| {
            let share = v.share_bp.map(show_bp).unwrap_or_else(|| "—".into());
            let target = v.target_bp.map(show_bp).unwrap_or_default();
            let met = v.share_bp.zip(v.target_bp).map(|(a, t)| a >= t);
            let name = ctx.lang.pick(&ind.name_vi, &ind.name_en).to_string();
            (ind.code, name, v.period, share, target, met)
        })
        .collect();
    let history = s.store.unit_rankings(&ctx.actor, unit.id).await?;
    let mut to_raise = Vec::new();
    if let Some((_, model, latest)) = history.first() {
        let name_of = |code: &str| {
            model
                .model
                .criteria
                .iter()
                .find(|c| c.code == code)
                .map(|c| ctx.lang.pick(&c.name_vi, &c.name_en).to_string())
                .unwrap_or_else(|| code.to_string())
        };
        let mut lost: Vec<_> = latest.criteria.iter().filter(|c| c.lost_cp() > 0).collect();
        lost.sort_by_key(|c| std::cmp::Reverse(c.lost_cp()));
        to_raise = lost
            .into_iter()
            .map(|c| {
                let share = c.share_bp.map(show_bp).unwrap_or_else(|| "—".into());
                (name_of(&c.code), share, decimal(c.lost_cp() as f64 / 100.0, 1))
            })
            .collect();
    }
    let places = history
        .into_iter()
        .map(|(period, model, row)| {
            let model = format!("{} v{}", model.name, model.version);
            (period, model, row.position, decimal(row.points_cp as f64 / 100.0, 1), row.band, row.downgraded)
        })
        .collect();
    render(&UnitPage {
        c: Chrome::new(&ctx, "units", &format!("Chỉ số: {}", unit.name), &format!("Index: {}", unit.name)),
        unit,
        figures,
        places,
        to_raise,
    })
}
