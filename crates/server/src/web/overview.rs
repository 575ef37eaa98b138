//! The authority's overview: the NĐ 331 Mẫu 08 counts by unit, drawn first as charts (the city's
//! shares as rings, the level and 4-layer progress by unit type as bars, the city on top), then
//! as the table; and the dossiers waiting for a step.

use super::chart::{ring, Bars, Series};
use super::filters;
use super::listing::{LinkQuery, Pager};
use super::msg;
use super::{render, Chrome};
use crate::auth::Ctx;
use crate::error::WebError;
use crate::AppState;
use askama::filters::Safe;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;
use axum::Router;
use khien_domain::calendar::display_opt;
use khien_domain::unit::UnitType;
use khien_domain::{Lang, Text};
use khien_store::OverviewRow;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/overview", get(overview))
}

/// The overview's charts, each with its table.
pub(super) struct Charts {
    pub(super) rings: Vec<Safe<String>>,
    levels: Bars,
    layers: Bars,
}

/// Sums the unit lines by unit type, in the order of `UnitType::ALL`, after the city's total.
fn by_unit_type(rows: &[OverviewRow], lang: Lang) -> (Vec<String>, Vec<OverviewRow>) {
    let (total, units) = match rows.split_last() {
        Some((total, units)) => (total.clone(), units),
        None => (OverviewRow::default(), rows),
    };
    let mut names = vec![lang.t(msg::WHOLE_CITY).to_string()];
    let mut sums = vec![total];
    for kind in UnitType::ALL {
        let mut sum = OverviewRow::default();
        for r in units.iter().filter(|r| r.unit_type == Some(kind)) {
            sum.systems += r.systems;
            sum.dossier_prepared += r.dossier_prepared;
            sum.appraised += r.appraised;
            sum.approved += r.approved;
            sum.four_layers += r.four_layers;
        }
        if sum.systems > 0 {
            names.push(kind.label(lang).to_string());
            sums.push(sum);
        }
    }
    (names, sums)
}

pub(super) fn charts(rows: &[OverviewRow], lang: Lang) -> Charts {
    let total = rows.last().cloned().unwrap_or_default();
    let rings = vec![
        ring(lang.t(msg::CLASSIFIED), total.classified, total.systems),
        ring(lang.t(msg::APPROVED), total.approved, total.systems),
        ring(lang.t(msg::ALL_4_LAYERS), total.four_layers, total.systems),
        ring(lang.t(msg::CONNECTIONS_AUTHENTICATED_ENCRYPTED), total.connections_secure, total.connections),
    ];
    let (categories, sums) = by_unit_type(rows, lang);
    let series = |label: Text, f: fn(&OverviewRow) -> i64| Series {
        label: lang.t(label).to_string(),
        values: sums.iter().map(f).collect(),
    };
    let levels = Bars {
        title: lang.t(msg::LEVEL_APPROVAL_BY_UNIT_TYPE).to_string(),
        categories: categories.clone(),
        series: vec![
            series(msg::APPROVED, |r| r.approved),
            series(msg::APPRAISED_AWAITING_APPROVAL, |r| r.appraised - r.approved),
            series(msg::SUBMITTED_AWAITING_APPRAISAL, |r| r.dossier_prepared - r.appraised),
            series(msg::NO_DOSSIER_SUBMITTED, |r| r.systems - r.dossier_prepared),
        ],
        stacked: true,
    };
    let layers = Bars {
        title: lang.t(msg::FOUR_LAYER_PROTECTION_BY_UNIT_TYPE).to_string(),
        categories,
        series: vec![
            series(msg::ALL_4_LAYERS, |r| r.four_layers),
            series(msg::SOME_LAYER_MISSING, |r| r.systems - r.four_layers),
        ],
        stacked: true,
    };
    Charts { rings, levels, layers }
}

#[derive(Template)]
#[template(path = "overview.html")]
struct OverviewPage {
    c: Chrome,
    charts: Charts,
    /// The city's total first, then one page of the units.
    rows: Vec<OverviewRow>,
    pager: Pager,
    /// The most urgent waiting dossiers, and how many wait in all.
    pending: Vec<(i64, String, String, String, String, bool)>,
    pending_total: i64,
    /// The yearly report being prepared: period, the units' and the owning body's deadlines,
    /// and the article.
    report: (String, String, String, &'static str),
}

/// Units per page of the overview's table, and waiting dossiers listed (a page stays small: a
/// city of 1,000 units made it 420 KB).
const UNITS_PER_PAGE: usize = 100;
const PENDING_SHOWN: usize = 50;

#[derive(Deserialize, Default)]
struct OverviewQuery {
    /// The page of the units' table (0 is the first), as the pager's links give it.
    cursor: Option<String>,
}

async fn overview(
    State(s): State<AppState>,
    ctx: Ctx,
    Query(q): Query<OverviewQuery>,
) -> Result<Html<String>, WebError> {
    let lang = ctx.lang;
    let rows = s.store.overview(&ctx.actor).await?;
    let pending = s.store.pending_dossiers(&ctx.actor).await?;
    let pending_total = i64::try_from(pending.len()).unwrap_or(i64::MAX);
    let pending = pending
        .into_iter()
        .take(PENDING_SHOWN)
        .map(|(d, system, unit)| {
            let step = if d.due_step.as_deref() == Some("appraisal") {
                lang.pick("Thẩm định", "Appraisal")
            } else {
                lang.pick("Phê duyệt", "Approval")
            };
            (d.id, system, unit, step.to_string(), display_opt(d.due_on.as_deref()), d.overdue)
        })
        .collect();
    let today = s.store.clock().today_vn();
    let rs = khien_domain::system::level::ruleset_for(today);
    let cal = rs.annual_report.calendar(today);
    let day = |d: chrono::NaiveDate| d.format("%d/%m/%Y").to_string();
    let report = (
        format!("{} – {}", day(cal.period_from), day(cal.period_to)),
        day(cal.units_by),
        day(cal.owner_by),
        rs.annual_report.article,
    );
    let charts = charts(&rows, lang);
    let (total, units) = rows.split_last().map(|(t, u)| (vec![t.clone()], u)).unwrap_or_default();
    let (pager, range) =
        Pager::numbered("/overview", &LinkQuery::default(), q.cursor.as_deref(), units.len(), UNITS_PER_PAGE);
    let shown = units.get(range).unwrap_or_default().iter().cloned();
    render(&OverviewPage {
        c: Chrome::new(&ctx, "overview", "Tổng hợp", "Overview"),
        charts,
        rows: total.into_iter().chain(shown).collect(),
        pager,
        pending,
        pending_total,
        report,
    })
}
