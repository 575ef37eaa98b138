//! Indicators: the list with each one's latest city figure against its target, and an
//! indicator's page — the trend of the city's figure against the target (an SVG chart with its
//! table), each unit's figure for a period, the authority's explicit computation of a period
//! and the units' hand-entered figures.

use super::chart::{Lines, Series};
use super::filters;
use super::kept_form::{refusal, refused, FormError, Posted};
use super::msg;
use super::{render, see_other, Chrome};
use crate::auth::Ctx;
use crate::error::WebError;
use crate::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use khien_domain::budget::show_bp;
use khien_domain::indicator::{parse_targets, Measure};
use khien_domain::role::Action;
use khien_domain::Error;
use khien_store::{Indicator, IndicatorDetail, IndicatorInput, IndicatorValue};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/indicators", get(list).post(define))
        .route("/indicators/snapshots", post(snapshot_period))
        .route("/indicators/{id}", get(page))
        .route("/indicators/{id}/snapshots", post(snapshot))
        .route("/indicators/{id}/values", post(enter))
}

/// A figure as shown: the share, the part of the whole, the target, whether it is met, and
/// where the records behind it are listed.
pub(super) struct Shown {
    pub(super) share: String,
    pub(super) percent: f64,
    pub(super) counts: String,
    pub(super) target: String,
    pub(super) met: Option<bool>,
    pub(super) records: Option<String>,
}

/// The list of the records behind a unit's figure: its systems (those with a missing layer for
/// the layer measures), its budget declarations; none for a figure entered by hand.
fn records_of(measure: Measure, v: &IndicatorValue) -> Option<String> {
    let unit = v.unit_id?;
    match measure {
        Measure::FourLayers | Measure::MonitoredConnected => Some(format!("/systems?unit_id={unit}&layer_gap=true")),
        Measure::Approved | Measure::PlanImplemented | Measure::Assessed | Measure::SecureConnections => {
            Some(format!("/systems?unit_id={unit}"))
        }
        Measure::BudgetShare => Some(format!("/budget?year={}", khien_domain::indicator::year_of(&v.period))),
        Measure::EndpointsProtected => Some("/endpoints".to_string()),
        Measure::BotnetHandled => Some("/botnet".to_string()),
        Measure::TelemetryMonitored => Some("/telemetry".to_string()),
        Measure::Manual => None,
    }
}

fn shown(measure: Measure, v: &IndicatorValue) -> Shown {
    Shown {
        records: records_of(measure, v),
        share: v.share_bp.map(show_bp).unwrap_or_else(|| "—".into()),
        percent: v.share_bp.unwrap_or(0) as f64 / 100.0,
        counts: format!(
            "{} / {}",
            khien_domain::number::grouped(v.numerator),
            khien_domain::number::grouped(v.denominator)
        ),
        target: v.target_bp.map(show_bp).unwrap_or_default(),
        met: v.share_bp.zip(v.target_bp).map(|(s, t)| s >= t),
    }
}

/// The figure per period against the target, in whole percent.
fn trend(lang: khien_domain::Lang, title: &str, city: &[IndicatorValue]) -> Lines {
    let pct = |bp: Option<i64>| bp.map_or(0, |b| b / 100);
    Lines {
        title: format!("{title} (%)"),
        points: city.iter().map(|v| v.period.clone()).collect(),
        series: vec![
            Series { label: lang.t(msg::ACHIEVED).to_string(), values: city.iter().map(|v| pct(v.share_bp)).collect() },
            Series { label: lang.t(msg::TARGET).to_string(), values: city.iter().map(|v| pct(v.target_bp)).collect() },
        ],
    }
}

/// An indicator on the list: its latest city figure (with its period) if any, and its trend
/// against the target when it has two periods or more.
pub(super) struct IndicatorLine {
    pub(super) ind: Indicator,
    pub(super) latest: Option<(String, Shown)>,
    pub(super) chart: Option<Lines>,
}

#[derive(Template)]
#[template(path = "indicators.html")]
struct ListPage {
    c: Chrome,
    rows: Vec<IndicatorLine>,
    /// The latest published ranking of each unit type: its first and last five.
    rankings: Vec<(khien_store::Ranking, Vec<khien_store::RankingRow>, Vec<khien_store::RankingRow>)>,
    /// The units behind a deadline (incidents, findings, periodic reports), worst first.
    behind: khien_store::WorkSection,
    measures: Vec<(&'static str, &'static str)>,
    can_define: bool,
    /// What the period-wide computation just kept.
    kept: Option<khien_store::PeriodSnapshot>,
    v: Posted,
    error: FormError,
}

/// Each indicator with its latest figure for the caller and its trend: the city's page and
/// leadership's.
pub(super) async fn indicator_lines(s: &AppState, ctx: &Ctx) -> Result<Vec<IndicatorLine>, WebError> {
    let mut rows = Vec::new();
    for ind in s.store.list_indicators(&ctx.actor).await? {
        let (_, city) = s.store.indicator_trend(&ctx.actor, ind.id).await?;
        let latest = city.last().map(|v| (v.period.clone(), shown(ind.measure, v)));
        let name = ctx.lang.pick(&ind.name_vi, &ind.name_en).to_string();
        let chart = (city.len() > 1).then(|| trend(ctx.lang, &format!("{} {name}", ind.code), &city));
        rows.push(IndicatorLine { ind, latest, chart });
    }
    Ok(rows)
}

async fn show_list(
    s: &AppState,
    ctx: &Ctx,
    v: Posted,
    error: FormError,
    kept: Option<khien_store::PeriodSnapshot>,
) -> Result<Html<String>, WebError> {
    let rows = indicator_lines(s, ctx).await?;
    let behind = s.store.units_behind(&ctx.actor).await?;
    let mut rankings = Vec::new();
    let mut types_seen = Vec::new();
    for r in s.store.list_rankings(&ctx.actor).await?.into_iter().filter(|r| r.published) {
        if types_seen.contains(&r.unit_type) {
            continue;
        }
        types_seen.push(r.unit_type);
        let full = s.store.get_ranking(&ctx.actor, r.id).await?;
        let top: Vec<_> = full.rows.iter().take(5).cloned().collect();
        let bottom: Vec<_> = full.rows.iter().skip(5.max(full.rows.len().saturating_sub(5))).cloned().collect();
        rankings.push((full, top, bottom));
    }
    render(&ListPage {
        c: Chrome::new(ctx, "overview", "Chỉ tiêu", "Indicators"),
        rows,
        rankings,
        behind,
        measures: Measure::ALL.iter().map(|m| (m.code(), m.label(ctx.lang))).collect(),
        can_define: ctx.actor.can_anywhere(Action::Govern),
        kept,
        v,
        error,
    })
}

async fn list(State(s): State<AppState>, ctx: Ctx) -> Result<Html<String>, WebError> {
    show_list(&s, &ctx, Posted::default(), FormError::default(), None).await
}

/// Every computed indicator of a period at once; the list shows what was kept.
async fn snapshot_period(State(s): State<AppState>, ctx: Ctx, body: Bytes) -> Result<Response, WebError> {
    let p = Posted::parse(&body)?;
    let periods = match p.get("until").trim() {
        "" => Ok(vec![p.get("period").to_string()]),
        until => khien_domain::indicator::months_between(p.get("period"), until),
    };
    let kept = match periods {
        Ok(periods) => s.store.snapshot_periods(&ctx.actor, &periods).await.map(|mut k| k.pop()),
        Err(e) => Err(e),
    };
    match kept {
        Ok(kept) => Ok(show_list(&s, &ctx, Posted::default(), FormError::default(), kept).await?.into_response()),
        Err(e) => {
            let error = refusal(e, ctx.lang)?;
            Ok(refused(show_list(&s, &ctx, p, error, None).await?))
        }
    }
}

async fn define(State(s): State<AppState>, ctx: Ctx, body: Bytes) -> Result<Response, WebError> {
    let p = Posted::parse(&body)?;
    let result = match parse_targets(p.get("targets")) {
        Ok(targets) => {
            let input = IndicatorInput {
                code: p.get("code").into(),
                name_vi: p.get("name_vi").into(),
                name_en: p.get("name_en").into(),
                plan_number: p.get("plan_number").into(),
                measure: p.get("measure").into(),
                targets,
            };
            s.store.define_indicator(&ctx.actor, &input).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(i) => Ok(see_other(&format!("/indicators/{}", i.id))),
        Err(e) => {
            let error = refusal(e, ctx.lang)?;
            Ok(refused(show_list(&s, &ctx, p, error, None).await?))
        }
    }
}

#[derive(Deserialize, Default)]
struct PeriodQuery {
    #[serde(default)]
    period: String,
}

#[derive(Template)]
#[template(path = "indicator.html")]
struct OnePage {
    c: Chrome,
    d: IndicatorDetail,
    name: String,
    trend: Lines,
    units: Vec<(IndicatorValue, Shown)>,
    can_compute: bool,
    /// Units the caller enters figures for (a measure entered by hand).
    enters: Vec<(i64, String)>,
    v: Posted,
    error: FormError,
}

async fn show_one(
    s: &AppState,
    ctx: &Ctx,
    id: i64,
    period: &str,
    v: Posted,
    error: FormError,
) -> Result<Html<String>, WebError> {
    let d = s.store.indicator_detail(&ctx.actor, id, Some(period).filter(|p| !p.trim().is_empty())).await?;
    let name = ctx.lang.pick(&d.indicator.name_vi, &d.indicator.name_en).to_string();
    let pct = |bp: Option<i64>| bp.map_or(0, |b| b / 100);
    let trend = Lines {
        title: format!("{} (%)", name),
        points: d.city.iter().map(|v| v.period.clone()).collect(),
        series: vec![
            Series {
                label: ctx.lang.t(msg::ACHIEVED).to_string(),
                values: d.city.iter().map(|v| pct(v.share_bp)).collect(),
            },
            Series {
                label: ctx.lang.t(msg::TARGET).to_string(),
                values: d.city.iter().map(|v| pct(v.target_bp)).collect(),
            },
        ],
    };
    let measure = d.indicator.measure;
    let mut units: Vec<(IndicatorValue, Shown)> = d.units.iter().map(|v| (v.clone(), shown(measure, v))).collect();
    units.sort_by(|a, b| a.0.share_bp.cmp(&b.0.share_bp).then_with(|| a.0.unit_name.cmp(&b.0.unit_name)));
    let enters = if d.indicator.measure.is_manual() && ctx.actor.can_anywhere(Action::ReportProgress) {
        super::units::options(s, ctx, Action::ReportProgress).await?
    } else {
        Vec::new()
    };
    render(&OnePage {
        c: Chrome::new(ctx, "overview", &d.indicator.name_vi, &d.indicator.name_en),
        can_compute: !d.indicator.measure.is_manual() && ctx.actor.can_anywhere(Action::Govern),
        name,
        trend,
        units,
        enters,
        d,
        v,
        error,
    })
}

async fn page(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<PeriodQuery>,
) -> Result<Html<String>, WebError> {
    show_one(&s, &ctx, id, &q.period, Posted::default(), FormError::default()).await
}

async fn snapshot(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, WebError> {
    let p = Posted::parse(&body)?;
    match s.store.snapshot_indicator(&ctx.actor, id, p.get("period")).await {
        Ok(d) => Ok(see_other(&format!("/indicators/{id}?period={}", d.period.unwrap_or_default()))),
        Err(e) => {
            let error = refusal(e, ctx.lang)?;
            Ok(refused(show_one(&s, &ctx, id, "", p, error).await?))
        }
    }
}

async fn enter(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, WebError> {
    let p = Posted::parse(&body)?;
    let number = |field: &str| -> Result<i64, Error> {
        p.get(field)
            .replace('.', "")
            .trim()
            .parse()
            .map_err(|_| Error::invalid(field, "Hãy nhập một số.", "Enter a number."))
    };
    let result = match (p.get("unit").trim().parse::<i64>(), number("numerator"), number("denominator")) {
        (Ok(unit), Ok(n), Ok(d)) => {
            s.store.record_indicator_value(&ctx.actor, id, unit, p.get("period"), (n, d), p.get("note")).await
        }
        (Err(_), _, _) => Err(Error::invalid("unit_id", "Chọn đơn vị.", "Choose the unit.")),
        (_, Err(e), _) | (_, _, Err(e)) => Err(e),
    };
    match result {
        Ok(v) => Ok(see_other(&format!("/indicators/{id}?period={}", v.period))),
        Err(e) => {
            let error = refusal(e, ctx.lang)?;
            Ok(refused(show_one(&s, &ctx, id, "", p, error).await?))
        }
    }
}
