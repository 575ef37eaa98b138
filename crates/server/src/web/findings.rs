//! Findings pages: the list with filters and bulk moves, one finding with the moves open to the
//! caller, the per-unit remediation dashboard and the remediation policy (the standing body
//! edits it). The scanner upload is in `scans.rs`.

use super::filters;
use super::kept_form::{refusal, refused, FormError};
use super::listing::{LinkQuery, Pager, Sorts};
use super::msg;
use super::{render, see_other, Chrome};
use crate::api::findings::{date_vn, FindingQuery};
use crate::auth::Ctx;
use crate::error::WebError;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, RawForm, State};
use axum::response::{Html, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use khien_domain::compliance::finding_moves::allowed_moves;
use khien_domain::compliance::remediation::{FindingState, PolicyRow};
use khien_domain::finding::Severity;
use khien_domain::role::Action;
use khien_domain::time::display_vn;
use khien_domain::{Error, Lang};
use khien_formats::scan::ScanTool;
use khien_store::{Finding, FindingMoveInput};
use serde::Deserialize;

/// Findings moved in one bulk post at most.
const MAX_BULK: usize = 500;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/findings", get(list))
        .route("/findings/bulk", post(bulk))
        .route("/findings/dashboard", get(dashboard))
        .route("/findings/{id}", get(page))
        .route("/findings/{id}/state", post(move_state))
        .route("/remediation-policy", get(policy).post(save_policy))
}

/// The badge class of a severity (the stylesheet's own classes).
fn severity_css(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "tag bad",
        Severity::Info => "tag muted",
        Severity::Low | Severity::Medium => "tag",
    }
}

/// The list's filters as the form sends them (empty strings for "any").
#[derive(Debug, Default, Deserialize, Clone)]
pub(super) struct ListForm {
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    system_id: String,
    /// A unit code typed in the search field (resolved to `unit_id`).
    #[serde(default)]
    unit: String,
    /// A system code typed in the search field (resolved to `system_id`).
    #[serde(default)]
    system: String,
    #[serde(default)]
    severity: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    overdue: String,
    #[serde(default)]
    include_closed: String,
    #[serde(default)]
    cve: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    sort: String,
    cursor: Option<String>,
}

impl ListForm {
    pub(super) fn number(field: &str, v: &str) -> Result<Option<i64>, Error> {
        let v = v.trim();
        if v.is_empty() {
            return Ok(None);
        }
        v.parse()
            .map(Some)
            .map_err(|_| Error::invalid(field, format!("«{v}» không phải số."), format!("«{v}» is not a number.")))
    }

    fn query(&self) -> Result<FindingQuery, Error> {
        let some = |v: &str| Some(v.trim().to_string()).filter(|x| !x.is_empty());
        Ok(FindingQuery {
            unit_id: Self::number("unit_id", &self.unit_id)?,
            system_id: Self::number("system_id", &self.system_id)?,
            severity: some(&self.severity),
            state: some(&self.state),
            overdue: self.overdue == "true",
            include_closed: self.include_closed == "true",
            cve: some(&self.cve),
            q: some(&self.q),
            sort: some(&self.sort),
            cursor: self.cursor.clone().filter(|c| !c.is_empty()),
            limit: Some(50),
        })
    }

    /// The filters that are set, as the list's links carry them (the API refuses empty typed
    /// values), without the order.
    fn filters(&self) -> LinkQuery {
        [
            ("unit_id", &self.unit_id),
            ("unit", &self.unit),
            ("system_id", &self.system_id),
            ("system", &self.system),
            ("severity", &self.severity),
            ("state", &self.state),
            ("overdue", &self.overdue),
            ("include_closed", &self.include_closed),
            ("cve", &self.cve),
            ("q", &self.q),
        ]
        .into_iter()
        .fold(LinkQuery::default(), |q, (k, v)| q.with(k, v.trim()))
    }
}

struct Row {
    id: i64,
    severity: String,
    severity_css: &'static str,
    title: String,
    system: String,
    system_id: i64,
    host_port: String,
    cves: String,
    state: String,
    due: String,
    overdue: bool,
}

/// What one finding of a bulk move came to.
struct BulkResult {
    id: i64,
    ok: bool,
    message: String,
}

#[derive(Template)]
#[template(path = "findings.html")]
struct ListPage {
    c: Chrome,
    f: ListForm,
    /// The unit and system fields' values (codes).
    unit: String,
    system: String,
    system_required: bool,
    severities: Vec<(&'static str, &'static str)>,
    states: Vec<(&'static str, &'static str)>,
    rows: Vec<Row>,
    pager: Pager,
    sorts: Sorts,
    /// How many match in all (the first page).
    total: Option<i64>,
    /// The current filters and order (no cursor), for the bulk form's way back.
    filters: String,
    /// The same for the export (ids, not the typed codes: the API takes ids).
    export_query: String,
    /// The caller may import scans somewhere (the link to the import page).
    can_import: bool,
    can_move: bool,
    results: Vec<BulkResult>,
}

fn row(lang: Lang, f: &Finding) -> Row {
    let host_port = match (&f.host, f.port) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.clone(),
        (None, Some(p)) => format!(":{p}"),
        (None, None) => f.component.clone().unwrap_or_default(),
    };
    Row {
        id: f.id,
        severity: f.severity.label(lang).to_string(),
        severity_css: severity_css(f.severity),
        title: f.title.clone(),
        system: f.system_code.clone(),
        system_id: f.system_id,
        host_port,
        cves: f.cves.join(", "),
        state: f.state.label(lang).to_string(),
        due: f.due_at.map(date_vn).unwrap_or_default(),
        overdue: f.overdue,
    }
}

async fn list(State(s): State<AppState>, ctx: Ctx, Query(f): Query<ListForm>) -> Result<Html<String>, WebError> {
    list_page(&s, &ctx, f, Vec::new()).await
}

async fn list_page(s: &AppState, ctx: &Ctx, f: ListForm, results: Vec<BulkResult>) -> Result<Html<String>, WebError> {
    let lang = ctx.lang;
    let mut query = f.query()?;
    // The fields take codes; links (dashboard, scan result) give ids, shown back as codes.
    let mut unit = f.unit.trim().to_string();
    if !unit.is_empty() {
        query.unit_id = Some(super::unit_by_code(s, &ctx.actor, "unit", &unit).await?.id);
    } else if let Some(id) = query.unit_id {
        unit = s.store.get_unit(&ctx.actor, id).await?.code;
    }
    let mut system = f.system.trim().to_string();
    if !system.is_empty() {
        query.system_id = Some(super::system_by_code(s, &ctx.actor, "system", &system).await?.id);
    } else if let Some(id) = query.system_id {
        system = s.store.get_system(&ctx.actor, id).await?.system.code;
    }
    let export_query = ListForm {
        unit: String::new(),
        system: String::new(),
        unit_id: query.unit_id.map(|u| u.to_string()).unwrap_or_default(),
        system_id: query.system_id.map(|u| u.to_string()).unwrap_or_default(),
        ..f.clone()
    }
    .filters()
    .with("sort", f.sort.clone())
    .encoded();
    let page = s.store.list_findings(&ctx.actor, &query.filter()?).await?;
    let rows = page.items.iter().map(|x| row(lang, x)).collect();
    let filters = f.filters();
    let ordered = filters.clone().with("sort", f.sort.clone());
    render(&ListPage {
        c: Chrome::new(ctx, "findings", "Phát hiện", "Findings"),
        pager: Pager::new("/findings", &ordered, &page),
        sorts: Sorts::new("/findings", &filters, if f.sort.is_empty() { "-id" } else { &f.sort }),
        total: page.total,
        filters: ordered.encoded(),
        export_query,
        unit,
        system,
        system_required: false,
        f,
        severities: Severity::ALL.iter().rev().map(|v| (v.code(), v.label(lang))).collect(),
        states: FindingState::ALL.iter().map(|v| (v.code(), v.label(lang))).collect(),
        rows,
        can_import: ctx.actor.can_anywhere(Action::RemediateFindings),
        can_move: khien_domain::compliance::finding_moves::moves_anywhere(&ctx.actor),
        results,
    })
}

/// Moves the ticked findings one by one, each in its own transaction through `move_finding`,
/// and shows the list again with what happened to each.
async fn bulk(State(s): State<AppState>, ctx: Ctx, RawForm(body): RawForm) -> Result<Html<String>, WebError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).map_err(|e| {
        Error::bad_request(format!("Biểu mẫu không đọc được: {e}"), format!("The form cannot be read: {e}"))
    })?;
    let one = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_string()).filter(|v| !v.is_empty());
    let mut ids = Vec::new();
    for (_, v) in pairs.iter().filter(|(n, _)| n == "ids") {
        ids.push(ListForm::number("ids", v)?.unwrap_or(0));
    }
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(*id));
    if ids.is_empty() {
        return Err(Error::invalid("ids", "Chưa chọn phát hiện nào.", "No finding was selected.").into());
    }
    if ids.len() > MAX_BULK {
        return Err(Error::invalid(
            "ids",
            format!("Mỗi lần chuyển tối đa {MAX_BULK} phát hiện."),
            format!("At most {MAX_BULK} findings at a time."),
        )
        .into());
    }
    let to = one("to").ok_or_else(|| Error::invalid("to", "Chọn trạng thái đích.", "Choose the target state."))?;
    FindingState::parse("to", &to)?;
    let input = FindingMoveInput { to, reason: one("reason"), accepted_until: one("accepted_until") };
    let lang = ctx.lang;
    let mut results = Vec::with_capacity(ids.len());
    for id in ids {
        match s.store.move_finding(&ctx.actor, id, &input).await {
            Ok(f) => results.push(BulkResult { id, ok: true, message: f.state.label(lang).to_string() }),
            Err(e @ Error::Internal(_)) => return Err(e.into()),
            Err(e) => {
                let message = match &e {
                    Error::Forbidden(_) | Error::NotFound(_) => lang.pick("không được phép", "not allowed").to_string(),
                    _ => String::new(),
                };
                let detail = e.message(lang);
                results.push(BulkResult {
                    id,
                    ok: false,
                    message: if message.is_empty() { detail } else { format!("{message} — {detail}") },
                });
            }
        }
    }
    let back: ListForm = one("back").and_then(|b| serde_urlencoded::from_str(&b).ok()).unwrap_or_default();
    list_page(&s, &ctx, back, results).await
}

/// A move the caller may make from the finding's state.
struct MoveView {
    to: &'static str,
    label: &'static str,
    needs_reason: bool,
    needs_until: bool,
}

#[derive(Template)]
#[template(path = "finding.html")]
struct FindingPage {
    c: Chrome,
    f: Finding,
    unit_name: String,
    severity: String,
    severity_css: &'static str,
    state: String,
    cvss: String,
    source: String,
    detected: String,
    due: String,
    updated: String,
    accepted_until: String,
    moves: Vec<MoveView>,
    /// The move form last sent, as typed, when it was refused, and why.
    v: MoveForm,
    error: FormError,
}

/// The moves open to the caller: the store's own decision (`finding_moves::allowed_moves`).
fn moves_for(ctx: &Ctx, f: &Finding, unit_path: &str) -> Vec<MoveView> {
    allowed_moves(&ctx.actor, f.unit_id, unit_path, f.state)
        .into_iter()
        .map(|(to, rule)| MoveView {
            to: to.code(),
            label: to.label(ctx.lang),
            needs_reason: rule.needs_reason,
            needs_until: to == FindingState::RiskAccepted,
        })
        .collect()
}

async fn page(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Html<String>, WebError> {
    finding_page(&s, &ctx, id, MoveForm::default(), FormError::default()).await
}

async fn finding_page(
    s: &AppState,
    ctx: &Ctx,
    id: i64,
    v: MoveForm,
    error: FormError,
) -> Result<Html<String>, WebError> {
    let lang = ctx.lang;
    let f = s.store.get_finding(&ctx.actor, id).await?;
    let (unit_name, moves) = match s.store.get_unit(&ctx.actor, f.unit_id).await {
        Ok(u) => (u.name.clone(), moves_for(ctx, &f, &u.path)),
        Err(_) => (String::new(), Vec::new()),
    };
    let source = match f.source.as_str() {
        "scan" => ScanTool::parse(&f.tool).map(|t| t.label(lang).to_string()).unwrap_or_else(|| f.tool.clone()),
        _ => format!("{} ({})", lang.pick("Đánh giá", "Assessment"), f.tool),
    };
    render(&FindingPage {
        c: Chrome::new(ctx, "findings", &format!("#{} {}", f.id, f.title), &format!("#{} {}", f.id, f.title)),
        unit_name,
        severity: f.severity.label(lang).to_string(),
        severity_css: severity_css(f.severity),
        state: f.state.label(lang).to_string(),
        cvss: f.cvss.map(|c| format!("{c:.1}")).unwrap_or_else(|| "—".into()),
        source,
        detected: display_vn(f.detected_at),
        due: f.due_at.map(date_vn).unwrap_or_else(|| lang.pick("Không có hạn", "No deadline").to_string()),
        updated: display_vn(f.updated_at),
        accepted_until: f.accepted_until.as_deref().map(khien_domain::calendar::display_date).unwrap_or_default(),
        moves,
        f,
        v,
        error,
    })
}

/// A finding's move, every field as typed.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct MoveForm {
    to: String,
    reason: String,
    accepted_until: String,
}

async fn move_state(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<MoveForm>,
) -> Result<Response, WebError> {
    let some = |v: &str| Some(v.trim().to_string()).filter(|x| !x.is_empty());
    let input = FindingMoveInput { to: f.to.clone(), reason: some(&f.reason), accepted_until: some(&f.accepted_until) };
    match s.store.move_finding(&ctx.actor, id, &input).await {
        Ok(_) => Ok(see_other(&format!("/findings/{id}"))),
        Err(e) => {
            let error = refusal(e, ctx.lang)?;
            Ok(refused(finding_page(&s, &ctx, id, f, error).await?))
        }
    }
}

struct CountRow {
    unit_id: i64,
    unit_name: String,
    open: i64,
    overdue: i64,
    critical_open: i64,
    /// Days of the last 30 with overdue findings (from the kept daily counts).
    overdue_days: i64,
}

#[derive(Template)]
#[template(path = "findings_dashboard.html")]
struct DashboardPage {
    c: Chrome,
    charts: super::findings_charts::DashboardCharts,
    rows: Vec<CountRow>,
    total: (i64, i64, i64),
}

async fn dashboard(State(s): State<AppState>, ctx: Ctx) -> Result<Html<String>, WebError> {
    let counts = s.store.finding_counts(&ctx.actor).await?;
    let charts = super::findings_charts::dashboard_charts(&s, &ctx, &counts).await?;
    let mut rows: Vec<CountRow> = counts
        .into_iter()
        .map(|c| CountRow {
            unit_id: c.unit_id,
            unit_name: c.unit_name,
            open: c.open,
            overdue: c.overdue,
            critical_open: c.critical_open,
            overdue_days: 0,
        })
        .collect();
    let today = s.store.clock().today_vn();
    let days = s.store.overdue_days(&ctx.actor, today - chrono::Days::new(29), today).await?;
    for r in &mut rows {
        r.overdue_days = days.get(&r.unit_id).copied().unwrap_or(0);
    }
    rows.sort_by(|a, b| {
        b.overdue
            .cmp(&a.overdue)
            .then(b.open.cmp(&a.open))
            .then_with(|| khien_domain::fold::fold(&a.unit_name).cmp(&khien_domain::fold::fold(&b.unit_name)))
    });
    let total = rows.iter().fold((0, 0, 0), |t, r| (t.0 + r.open, t.1 + r.overdue, t.2 + r.critical_open));
    render(&DashboardPage {
        c: Chrome::new(&ctx, "findings", "Bảng theo dõi khắc phục", "Remediation dashboard"),
        charts,
        rows,
        total,
    })
}

struct PolicyLine {
    severity: &'static str,
    label: &'static str,
    /// (level, days, working days)
    cells: Vec<(u8, u32, bool)>,
}

#[derive(Template)]
#[template(path = "remediation_policy.html")]
struct PolicyPage {
    c: Chrome,
    lines: Vec<PolicyLine>,
    editable: bool,
    saved: bool,
}

#[derive(Deserialize, Default)]
struct PolicyQuery {
    #[serde(default)]
    saved: String,
}

pub(super) async fn can_govern(s: &AppState, ctx: &Ctx) -> Result<bool, Error> {
    Ok(s.store.root_unit().await?.is_some_and(|r| ctx.actor.can(Action::Govern, r.id, &r.path)))
}

async fn policy(State(s): State<AppState>, ctx: Ctx, Query(q): Query<PolicyQuery>) -> Result<Html<String>, WebError> {
    let p = s.store.remediation_policy().await?;
    let lines = Severity::ALL
        .iter()
        .rev()
        .map(|sev| PolicyLine {
            severity: sev.code(),
            label: sev.label(ctx.lang),
            cells: (1..=5u8).filter_map(|l| p.row(*sev, l)).map(|r| (r.level, r.days, r.working_days)).collect(),
        })
        .collect();
    render(&PolicyPage {
        c: Chrome::new(&ctx, "findings", "Thời hạn khắc phục", "Remediation policy"),
        lines,
        editable: can_govern(&s, &ctx).await?,
        saved: q.saved == "1",
    })
}

/// Fields `d_<severity>_<level>` (days) and `w_<severity>_<level>` (present when counted in
/// working days). Only rows that differ from the policy in force are written.
async fn save_policy(
    State(s): State<AppState>,
    ctx: Ctx,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    if !can_govern(&s, &ctx).await? {
        return Err(Error::forbidden().into());
    }
    let current = s.store.remediation_policy().await?;
    let mut rows = Vec::new();
    for (k, v) in &fields {
        let Some(rest) = k.strip_prefix("d_") else { continue };
        let Some((sev, level)) = rest.rsplit_once('_') else { continue };
        let severity = Severity::parse("severity", sev)?;
        let level: u8 =
            level.parse().map_err(|_| Error::invalid("level", "Cấp độ từ 1 đến 5.", "The level is 1 to 5."))?;
        let days: u32 = v.trim().parse().map_err(|_| {
            Error::invalid(
                k,
                format!("«{}» không phải số ngày hợp lệ.", v.trim()),
                format!("«{}» is not a valid number of days.", v.trim()),
            )
        })?;
        let working_days = fields.iter().any(|(n, _)| n == &format!("w_{sev}_{level}"));
        let row = PolicyRow { severity, level, days, working_days };
        if current.row(severity, level) != Some(row) {
            rows.push(row);
        }
    }
    if !rows.is_empty() {
        s.store.set_remediation_policy(&ctx.actor, &rows).await?;
    }
    Ok(see_other("/remediation-policy?saved=1"))
}
