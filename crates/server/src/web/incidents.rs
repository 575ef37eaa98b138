//! Incident pages: the queue (a unit's, or the authority's across its subtree), the incident page with its clocks, timeline, reports, tasks and observables, and the
//! "where else" search.

use super::chart::{Lines, Series};
use super::filters;
use super::listing::{LinkQuery, Pager, Sorts};
use super::msg;
use super::systems::{options, Options};
use super::{render, see_other, Chrome};
use crate::api::incidents::IncidentQuery;
use crate::auth::Ctx;
use crate::error::WebError;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, Response};
use axum::routing::{get, post};
use axum::Router;
use khien_domain::incident::observable::ObservableKind;
use khien_domain::incident::{Category, ReportKind, State as IncState};
use khien_domain::role::Action;
use khien_domain::time::display_vn;
use khien_domain::Lang;
use khien_store::{IncidentDetail, ObservableHit};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/incidents", get(queue))
        .merge(super::incident_form::router())
        .route("/incidents/{id}", get(incident_page))
        .merge(super::incident_actions::router())
        .route("/observables", get(where_else))
        .route(
            "/watchlist/import",
            post(import_watchlist)
                .layer(axum::extract::DefaultBodyLimit::max(crate::api::stix::MAX_BUNDLE_BYTES + 4096)),
        )
        .route("/notifications", get(notifications))
        .route("/notifications/read", post(read_all))
}

struct QueueRow {
    id: i64,
    code: String,
    title: String,
    unit: String,
    category: String,
    state: String,
    priority: i64,
    serious: bool,
    detected: String,
    next_due: String,
    overdue: bool,
}

#[derive(Template)]
#[template(path = "incidents.html")]
struct QueuePage {
    c: Chrome,
    f: IncidentQueryForm,
    states: Options,
    categories: Options,
    rows: Vec<QueueRow>,
    pager: Pager,
    sorts: Sorts,
    /// How many match in all (the first page).
    total: Option<i64>,
    /// The current filters, for the export link.
    export_query: String,
    can_report: bool,
    /// Whether the caller may look an observable up (the watch list is the city's).
    can_look_up: bool,
    coordinator: bool,
    /// Incidents reported per month by category over the last year (the first page only).
    trend: Option<Lines>,
}

/// The incidents the caller may see, reported in each of the last 12 months, one line per category.
pub(super) async fn monthly_trend(s: &AppState, ctx: &Ctx) -> Result<Lines, WebError> {
    let counts = s.store.incidents_by_month(&ctx.actor, 12).await?;
    Ok(Lines {
        title: ctx.lang.t(msg::INCIDENTS_REPORTED_BY_MONTH).to_string(),
        points: counts.months.iter().map(|m| m.format("%m/%Y").to_string()).collect(),
        series: counts
            .by_category
            .into_iter()
            .map(|(category, values)| Series { label: category.label(ctx.lang).to_string(), values })
            .collect(),
    })
}

/// The queue's filters as the form sends them (empty strings for "any").
#[derive(Debug, Default, Deserialize, Clone)]
struct IncidentQueryForm {
    #[serde(default)]
    q: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    serious: String,
    #[serde(default)]
    overdue: String,
    #[serde(default)]
    include_closed: String,
    #[serde(default)]
    sort: String,
    cursor: Option<String>,
}

impl IncidentQueryForm {
    fn query(&self) -> IncidentQuery {
        IncidentQuery {
            q: Some(self.q.clone()).filter(|v| !v.trim().is_empty()),
            state: Some(self.state.clone()).filter(|v| !v.is_empty()),
            category: Some(self.category.clone()).filter(|v| !v.is_empty()),
            unit_id: None,
            serious: (self.serious == "true").then_some(true),
            priority: None,
            overdue: self.overdue == "true",
            include_closed: self.include_closed == "true" || !self.state.is_empty(),
            sort: Some(self.sort.clone()).filter(|v| !v.is_empty()),
            cursor: self.cursor.clone(),
            limit: Some(50),
        }
    }

    /// The filters that are set, as the list's links carry them (without the order).
    fn filters(&self) -> LinkQuery {
        LinkQuery::default()
            .with("q", self.q.clone())
            .with("state", self.state.clone())
            .with("category", self.category.clone())
            .with("serious", self.serious.clone())
            .with("overdue", self.overdue.clone())
            .with("include_closed", self.include_closed.clone())
    }

    /// The filters that are set, for the export link (the API refuses empty typed values).
    fn export_query(&self) -> String {
        let flag = |on: bool| if on { "true" } else { "" };
        let closed = self.include_closed == "true" || !self.state.is_empty();
        LinkQuery::default()
            .with("q", self.q.clone())
            .with("state", self.state.clone())
            .with("category", self.category.clone())
            .with("serious", flag(self.serious == "true"))
            .with("overdue", flag(self.overdue == "true"))
            .with("include_closed", flag(closed))
            .with("sort", self.sort.clone())
            .encoded()
    }
}

async fn queue(
    State(s): State<AppState>,
    ctx: Ctx,
    Query(f): Query<IncidentQueryForm>,
) -> Result<Html<String>, WebError> {
    let lang = ctx.lang;
    let page = s.store.list_incidents(&ctx.actor, &f.query().filter()?).await?;
    let rows = page
        .items
        .iter()
        .map(|i| QueueRow {
            id: i.id,
            code: i.code.clone(),
            title: i.title.clone(),
            unit: i.unit_name.clone(),
            category: i.category.label(lang).to_string(),
            state: i.state.label(lang).to_string(),
            priority: i.priority,
            serious: i.serious,
            detected: display_vn(i.detected_at),
            next_due: i.next_due.map(display_vn).unwrap_or_default(),
            overdue: i.overdue,
        })
        .collect();
    let trend = if f.cursor.is_none() { Some(monthly_trend(&s, &ctx).await?) } else { None };
    let filters = f.filters();
    let sorts = Sorts::new("/incidents", &filters, if f.sort.is_empty() { "-id" } else { &f.sort });
    render(&QueuePage {
        trend,
        c: Chrome::new(&ctx, "incidents", "Sự cố", "Incidents"),
        pager: Pager::new("/incidents", &filters.with("sort", f.sort.clone()), &page),
        sorts,
        total: page.total,
        export_query: f.export_query(),
        f,
        states: options(IncState::ALL, IncState::code, IncState::label, lang),
        categories: options(Category::ALL, Category::code, Category::label, lang),
        rows,
        can_report: ctx.actor.can_anywhere(Action::ReportIncidents),
        can_look_up: ctx.actor.can_anywhere(Action::ViewIncidents),
        coordinator: ctx.actor.can_anywhere(Action::CoordinateIncidents),
    })
}

struct ClockView {
    label: &'static str,
    due: String,
    met: String,
    status: &'static str,
    css: &'static str,
}

#[derive(Template)]
#[template(path = "incident.html")]
struct IncidentPage {
    c: Chrome,
    d: IncidentDetail,
    category: String,
    state: String,
    tlp: String,
    clocks: Vec<ClockView>,
    fields: Vec<(&'static str, String)>,
    times: Vec<(&'static str, String)>,
    next_states: Options,
    report_kinds: Options,
    kinds: Options,
    units: Vec<(i64, String)>,
    events: Vec<(String, String, String)>,
    reports: Vec<(String, String, String, String)>,
    collections: Vec<khien_store::Collection>,
    /// (file, size as text, when attached)
    files: Vec<(khien_store::IncidentFile, String, String)>,
}

async fn incident_page(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Html<String>, WebError> {
    let lang = ctx.lang;
    let d = s.store.get_incident(&ctx.actor, id).await?;
    let i = &d.incident;
    let clocks = i
        .clocks
        .iter()
        // A clock the ruleset does not run (no deadline, nothing filed) is not shown.
        .filter(|c| c.due_at.is_some() || c.met_at.is_some())
        .map(|c| {
            let css = match c.status {
                khien_domain::incident::clocks::ClockStatus::Overdue
                | khien_domain::incident::clocks::ClockStatus::MetLate => "bad",
                khien_domain::incident::clocks::ClockStatus::Met => "ok",
                _ => "",
            };
            ClockView {
                label: c.kind.label(lang),
                due: c.due_at.map(display_vn).unwrap_or_default(),
                met: c.met_at.map(display_vn).unwrap_or_default(),
                status: c.status.label(lang),
                css,
            }
        })
        .collect();
    let t = |vi: &'static str, en: &'static str| lang.pick(vi, en);
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let fields = vec![
        (t("Người báo cáo", "Reporter"), opt(&i.reporter_name)),
        (t("Liên hệ", "Contact"), opt(&i.reporter_contact)),
        (t("Dấu hiệu, hiện tượng", "Symptoms"), opt(&i.symptoms)),
        (t("Phạm vi lây lan", "Spread"), opt(&i.spread)),
        (t("Ảnh hưởng", "Impact"), opt(&i.impact)),
        (t("Nhà cung cấp dịch vụ", "Provider"), opt(&i.provider)),
        (t("Biện pháp đã thực hiện", "Measures taken"), opt(&i.measures_taken)),
        (t("Biện pháp dự kiến", "Measures planned"), opt(&i.measures_planned)),
        (t("Hỗ trợ đã nhận", "Help received"), opt(&i.help_received)),
        (t("Kết quả ban đầu", "Initial results"), opt(&i.initial_results)),
        (t("Kiến nghị", "Recommendations"), opt(&i.recommendations)),
    ];
    let span = |from: i64, to: Option<i64>| to.map(|t| format_span(t - from, lang)).unwrap_or_else(|| "—".into());
    let times = vec![
        (t("Phát hiện", "Detected"), display_vn(i.detected_at)),
        (t("Báo cáo", "Reported"), display_vn(i.reported_at)),
        (t("Thời gian đến khi báo cáo", "Time to report"), format_span(i.reported_at - i.detected_at, lang)),
        (t("Thời gian đến khi phân loại", "Time to triage"), span(i.reported_at, i.triaged_at)),
        (t("Thời gian đến khi ngăn chặn", "Time to contain"), span(i.detected_at, i.contained_at)),
        (t("Thời gian đến khi đóng", "Time to close"), span(i.detected_at, i.closed_at)),
    ];
    let next_states = d.next_states.iter().map(|x| (x.code(), x.label(lang))).collect();
    let events = d.events.iter().map(|e| (display_vn(e.at), e.actor_label.clone(), e.note.clone())).collect();
    let reports = d
        .reports
        .iter()
        .map(|r| (display_vn(r.filed_at), r.kind.label(lang).to_string(), r.author_label.clone(), r.body.clone()))
        .collect();
    // The units the store lets a task go to (`Store::task_units`).
    let units = if d.may_coordinate {
        super::units::choices(s.store.task_units(d.incident.unit_id).await?)
    } else {
        Vec::new()
    };
    let collections = if d.may_coordinate {
        s.store.taxii_collections(&ctx.actor).await?.into_iter().filter(|c| c.can_write).collect()
    } else {
        Vec::new()
    };
    let files = s
        .store
        .incident_files(&ctx.actor, id)
        .await?
        .into_iter()
        .map(|f| {
            let (size, at) = (format!("{} KiB", (f.size_bytes + 1023) / 1024), display_vn(f.created_at));
            (f, size, at)
        })
        .collect();
    render(&IncidentPage {
        c: Chrome::new(&ctx, "incidents", &i.code, &i.code),
        files,
        category: i.category.label(lang).to_string(),
        state: i.state.label(lang).to_string(),
        tlp: i.tlp.label(lang).to_string(),
        clocks,
        fields,
        times,
        next_states,
        report_kinds: options(ReportKind::ALL, ReportKind::code, ReportKind::label, lang),
        kinds: options(ObservableKind::ALL, ObservableKind::code, ObservableKind::label, lang),
        units,
        events,
        reports,
        collections,
        d,
    })
}

/// "2 giờ 5 phút" / "2 h 5 min".
fn format_span(ms: i64, lang: Lang) -> String {
    let m = (ms.max(0) / 60_000) as u64;
    let (d, h, min) = (m / 1440, (m % 1440) / 60, m % 60);
    match (d, lang) {
        (0, Lang::Vi) => format!("{h} giờ {min} phút"),
        (0, Lang::En) => format!("{h} h {min} min"),
        (_, Lang::Vi) => format!("{d} ngày {h} giờ"),
        (_, Lang::En) => format!("{d} d {h} h"),
    }
}

#[derive(Template)]
#[template(path = "observables.html")]
struct WhereElsePage {
    c: Chrome,
    value: String,
    hits: Vec<(ObservableHit, String)>,
    watch: Vec<(khien_store::WatchItem, String)>,
    /// SOC alerts that saw the value, with when last seen.
    telemetry: Vec<(khien_store::TelemetryAlert, String)>,
    searched: bool,
    /// The newest watch-list entries, with their import time.
    newest: Vec<(khien_store::WatchItem, String)>,
    notice: Option<String>,
}

#[derive(Deserialize)]
struct WhereElseQuery {
    #[serde(default)]
    value: String,
    /// Set after an import: how many entries it added and refreshed.
    imported: Option<String>,
}

async fn where_else(
    State(s): State<AppState>,
    ctx: Ctx,
    Query(q): Query<WhereElseQuery>,
) -> Result<Html<String>, WebError> {
    let searched = !q.value.trim().is_empty();
    let (mut hits, mut watch, mut telemetry) = (Vec::new(), Vec::new(), Vec::new());
    if searched {
        let found = s.store.find_observable(&ctx.actor, None, &q.value).await?;
        hits = found
            .incidents
            .into_iter()
            .map(|h| {
                let seen = h.observable.last_seen.or(h.observable.first_seen).map(display_vn).unwrap_or_default();
                (h, seen)
            })
            .collect();
        telemetry = found
            .telemetry
            .into_iter()
            .map(|a| {
                let at = display_vn(a.last_seen);
                (a, at)
            })
            .collect();
        watch = found
            .watchlist
            .into_iter()
            .map(|w| {
                let at = display_vn(w.imported_at);
                (w, at)
            })
            .collect();
    }
    let newest = s
        .store
        .watchlist(&ctx.actor, 50)
        .await?
        .into_iter()
        .map(|w| {
            let at = display_vn(w.imported_at);
            (w, at)
        })
        .collect();
    let notice = q.imported.map(|n| {
        ctx.lang.pick(&format!("Đã nhập danh sách theo dõi: {n}."), &format!("Watch list imported: {n}.")).to_string()
    });
    render(&WhereElsePage {
        c: Chrome::new(&ctx, "incidents", "Tra cứu dấu hiệu", "Observable lookup"),
        value: q.value,
        hits,
        watch,
        telemetry,
        searched,
        newest,
        notice,
    })
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct NotificationsPage {
    c: Chrome,
    items: Vec<(khien_store::Notification, String)>,
}

async fn notifications(State(s): State<AppState>, ctx: Ctx) -> Result<Html<String>, WebError> {
    let items = s
        .store
        .notifications(&ctx.actor, 200)
        .await?
        .into_iter()
        .map(|n| {
            let at = display_vn(n.created_at);
            (n, at)
        })
        .collect();
    render(&NotificationsPage { c: Chrome::new(&ctx, "notifications", "Thông báo", "Reminders"), items })
}

async fn read_all(State(s): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    s.store.mark_read(&ctx.actor, &[]).await?;
    Ok(see_other("/notifications"))
}

/// A STIX bundle uploaded from the lookup page into the city's watch list (all or nothing).
async fn import_watchlist(
    State(s): State<AppState>,
    ctx: Ctx,
    mp: axum::extract::Multipart,
) -> Result<Response, WebError> {
    let (_, bytes) = super::Upload::read(mp).await?.file()?;
    let parsed = khien_formats::stix::parse_bundle(&bytes).map_err(|e| crate::services::stix_io::stix_error(&e))?;
    let summary = s.store.import_watchlist(&ctx.actor, &crate::services::stix_io::watch_inputs(&parsed)?).await?;
    Ok(see_other(&format!("/observables?imported={}", super::q(&format!("+{} / ~{}", summary.added, summary.updated)))))
}
