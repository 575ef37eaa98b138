//! The SOC alerts queue (issue 18.7): the caller's units' de-duplicated alerts with filters, the
//! events per day as a chart, each SOC provider's ingest health; the city-wide also see the
//! queue of alerts no registered range holds.

use super::chart::{Lines, Series};
use super::filters;
use super::findings::ListForm as Numbers;
use super::listing::{LinkQuery, Pager};
use super::msg;
use super::{render, Chrome};
use crate::api::telemetry::AlertQuery;
use crate::auth::Ctx;
use crate::error::WebError;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;
use axum::Router;
use khien_domain::role::Action;
use khien_domain::telemetry::severity_label;
use khien_domain::time::display_vn;
use khien_store::{Endpoint, EndpointCoverage, RetentionInput, RetentionRule, SourceHealth, TelemetryAlert};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/telemetry", get(page))
        .route("/telemetry/{id}/incident", axum::routing::post(promote))
        .route("/telemetry/retention", axum::routing::post(save_retention))
        .route("/telemetry/live", get(live))
        .route("/endpoints", get(endpoints))
}

/// The filters as the form sends them (empty strings for "any").
#[derive(Debug, Default, Deserialize, Clone)]
struct Filters {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    system: String,
    #[serde(default)]
    min_severity: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    unattributed: String,
    #[serde(default)]
    watched: String,
    /// Set after the retention was saved.
    #[serde(default)]
    saved: String,
    cursor: Option<String>,
}

impl Filters {
    fn link(&self) -> LinkQuery {
        [
            ("unit", &self.unit),
            ("system", &self.system),
            ("min_severity", &self.min_severity),
            ("q", &self.q),
            ("unattributed", &self.unattributed),
            ("watched", &self.watched),
        ]
        .into_iter()
        .fold(LinkQuery::default(), |q, (k, v)| q.with(k, v.trim()))
    }
}

struct Row {
    a: TelemetryAlert,
    severity: &'static str,
    first_seen: String,
    last_seen: String,
}

#[derive(Template)]
#[template(path = "telemetry.html")]
struct AlertsPage {
    c: Chrome,
    f: Filters,
    severities: Vec<(String, &'static str)>,
    rows: Vec<Row>,
    pager: Pager,
    total: Option<i64>,
    chart: Lines,
    sources: Vec<(SourceHealth, String)>,
    city_wide: bool,
    /// The caller reports incidents somewhere: the rows offer promotion (the store checks the
    /// alert's unit).
    can_promote: bool,
    /// The live event rate (the `/telemetry/live` section, refreshed in place).
    live: String,
    /// How long raw events are kept per level; editable by the standing body.
    retention: Vec<RetentionRule>,
    can_govern: bool,
    saved: bool,
}

async fn page(State(s): State<AppState>, ctx: Ctx, Query(f): Query<Filters>) -> Result<Html<String>, WebError> {
    let mut query = AlertQuery {
        unit_id: None,
        system_id: None,
        min_severity: Numbers::number("min_severity", &f.min_severity)?,
        q: Some(f.q.trim().to_string()).filter(|q| !q.is_empty()),
        since: None,
        until: None,
        unattributed: f.unattributed == "true",
        watched: f.watched == "true",
        cursor: f.cursor.clone().filter(|c| !c.is_empty()),
        limit: Some(50),
    };
    if !f.unit.trim().is_empty() {
        query.unit_id = Some(super::unit_by_code(&s, &ctx.actor, "unit", f.unit.trim()).await?.id);
    }
    if !f.system.trim().is_empty() {
        query.system_id = Some(super::system_by_code(&s, &ctx.actor, "system", f.system.trim()).await?.id);
    }
    let unit_id = query.unit_id;
    let live = live_section(&s, &ctx, unit_id, f.unit.trim()).await?;
    let page = s.store.list_telemetry_alerts(&ctx.actor, &query.filter()?).await?;
    let rows = page
        .items
        .iter()
        .map(|a| Row {
            severity: severity_label(a.severity, ctx.lang),
            first_seen: display_vn(a.first_seen),
            last_seen: display_vn(a.last_seen),
            a: a.clone(),
        })
        .collect();
    let days = s.store.telemetry_days(&ctx.actor, unit_id, 14).await?;
    let chart = Lines {
        title: ctx.lang.t(msg::EVENTS_PER_DAY_14_DAYS).to_string(),
        points: days.iter().map(|d| d.day.get(5..).unwrap_or(&d.day).to_string()).collect(),
        series: vec![
            Series { label: ctx.lang.t(msg::EVENTS).to_string(), values: days.iter().map(|d| d.events).collect() },
            Series { label: ctx.lang.t(msg::ALERTS).to_string(), values: days.iter().map(|d| d.alerts).collect() },
        ],
    };
    let sources = s
        .store
        .telemetry_sources(&ctx.actor)
        .await?
        .into_iter()
        .map(|h| {
            let at = display_vn(h.last_received_at);
            (h, at)
        })
        .collect();
    render(&AlertsPage {
        c: Chrome::new(&ctx, "incidents", "Cảnh báo giám sát (SOC)", "SOC alerts"),
        severities: (1..=4).map(|n| (n.to_string(), severity_label(n, ctx.lang))).collect(),
        pager: Pager::new("/telemetry", &f.link(), &page),
        total: page.total,
        rows,
        chart,
        sources,
        city_wide: ctx.actor.reach(Action::ViewIncidents).is_whole_tree(),
        can_promote: ctx.actor.can_anywhere(Action::ReportIncidents),
        live,
        retention: s.store.telemetry_retention().await?,
        can_govern: super::findings::can_govern(&s, &ctx).await?,
        saved: f.saved == "retention",
        f,
    })
}

#[derive(Template)]
#[template(path = "telemetry_live.html")]
struct LiveSection {
    c: Chrome,
    chart: Lines,
    /// Where the page fetches the section again.
    refresh: String,
    /// Events in the last minute and in the hour.
    last_minute: i64,
    last_hour: i64,
}

/// Events received per minute over the last hour, as a chart the page refreshes every 30 s.
async fn live_section(s: &AppState, ctx: &Ctx, unit_id: Option<i64>, unit_code: &str) -> Result<String, WebError> {
    let points = s.store.telemetry_rate(&ctx.actor, unit_id, 60).await?;
    let with_orphans = points.iter().any(|p| p.unattributed > 0);
    let mut series =
        vec![Series { label: ctx.lang.t(msg::EVENTS).to_string(), values: points.iter().map(|p| p.events).collect() }];
    if with_orphans {
        series.push(Series {
            label: ctx.lang.t(msg::UNATTRIBUTED).to_string(),
            values: points.iter().map(|p| p.unattributed).collect(),
        });
    }
    let total = |p: &khien_store::RatePoint| p.events + p.unattributed;
    let section = LiveSection {
        c: Chrome::new(ctx, "incidents", "Cảnh báo giám sát (SOC)", "SOC alerts"),
        chart: Lines {
            title: ctx.lang.t(msg::EVENTS_PER_MINUTE_LAST_HOUR).to_string(),
            points: points.iter().map(|p| display_vn(p.minute).get(11..).unwrap_or_default().to_string()).collect(),
            series,
        },
        refresh: LinkQuery::default().with("unit", unit_code).href("/telemetry/live", &[]),
        last_minute: points.last().map(total).unwrap_or(0),
        last_hour: points.iter().map(total).sum(),
    };
    Ok(section.render().map_err(khien_domain::Error::internal)?)
}

#[derive(Debug, Default, Deserialize)]
struct LiveQuery {
    #[serde(default)]
    unit: String,
}

/// The live-rate section alone, for the page's periodic refresh.
async fn live(State(s): State<AppState>, ctx: Ctx, Query(q): Query<LiveQuery>) -> Result<Html<String>, WebError> {
    let code = q.unit.trim();
    let unit_id = match code.is_empty() {
        true => None,
        false => Some(super::unit_by_code(&s, &ctx.actor, "unit", code).await?.id),
    };
    Ok(Html(live_section(&s, &ctx, unit_id, code).await?))
}

/// Fields `d_<level>` (days); only the levels that change are written, an empty one is left as it
/// is.
async fn save_retention(
    State(s): State<AppState>,
    ctx: Ctx,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> Result<axum::response::Response, WebError> {
    let current = s.store.telemetry_retention().await?;
    let mut rules = Vec::new();
    for (k, v) in &fields {
        let Some(level) = k.strip_prefix("d_").and_then(|l| l.parse::<i64>().ok()) else { continue };
        // An emptied field keeps the level's retention.
        let Some(days) = Numbers::number(k, v)? else { continue };
        if current.iter().any(|r| r.level == level && r.days != days) {
            rules.push(RetentionInput { level, days });
        }
    }
    if !rules.is_empty() {
        s.store.set_telemetry_retention(&ctx.actor, &rules).await?;
    }
    Ok(super::see_other("/telemetry?saved=retention#retention"))
}

#[derive(Template)]
#[template(path = "endpoints.html")]
struct EndpointsPage {
    c: Chrome,
    /// Each unit's hosts counted, with the share protected as shown ("36,8 %").
    coverage: Vec<(EndpointCoverage, String)>,
    /// The city's (or the caller's units') share.
    total: (i64, i64, String),
    /// (host, last seen as shown), the unprotected first.
    hosts: Vec<(Endpoint, String)>,
}

async fn endpoints(State(s): State<AppState>, ctx: Ctx) -> Result<Html<String>, WebError> {
    let share = |part: i64, whole: i64| khien_domain::number::percent(part, whole).unwrap_or_else(|| "—".into());
    let coverage: Vec<(EndpointCoverage, String)> = s
        .store
        .endpoint_coverage(&ctx.actor)
        .await?
        .into_iter()
        .map(|c| {
            let p = share(c.protected, c.endpoints);
            (c, p)
        })
        .collect();
    let (protected, all) = coverage.iter().fold((0, 0), |(p, a), (c, _)| (p + c.protected, a + c.endpoints));
    let hosts = s
        .store
        .list_endpoints(&ctx.actor, None)
        .await?
        .into_iter()
        .take(500)
        .map(|e| {
            let at = display_vn(e.last_seen);
            (e, at)
        })
        .collect();
    render(&EndpointsPage {
        c: Chrome::new(&ctx, "incidents", "Phòng, chống mã độc trên máy trạm, máy chủ", "Endpoint protection"),
        total: (protected, all, share(protected, all)),
        coverage,
        hosts,
    })
}

/// Promotes an alert to a new incident and opens it.
async fn promote(
    State(s): State<AppState>,
    ctx: Ctx,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Result<axum::response::Response, WebError> {
    let incident = s.store.promote_alert(&ctx.actor, id, None, None).await?;
    Ok(super::see_other(&format!("/incidents/{incident}")))
}
