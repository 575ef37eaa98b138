//! Registry pages: the systems list with filters, the system form and page (suggested level,
//! 4 layers, gate), the dossier page, the overview and the holiday calendar.

use super::filters;
use super::listing::{LinkQuery, Pager, Sorts};
use super::msg;
pub(super) use super::system_form::number;
use super::system_form::{create, edit_form, new_form, update};
use super::{render, see_other, Chrome};
use crate::auth::Ctx;
use crate::error::WebError;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use khien_domain::calendar::{display_date, display_opt};
use khien_domain::page::Cursor;
use khien_domain::role::Action;
use khien_domain::system::dossier::DossierState;
use khien_domain::system::layers::LayerState;
use khien_domain::system::level::{ruleset_by_code, ruleset_for};
use khien_domain::system::{CertificateKind, Lifecycle, SystemType};
use khien_domain::Lang;
use khien_store::{DossierInput, SystemDetail, SystemFilter};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/systems", get(list).post(create))
        .route("/systems/new", get(new_form))
        .route("/saved-filters", post(save_filter))
        .route("/saved-filters/{id}/delete", post(delete_filter))
        .route("/systems/import", post(import).layer(axum::extract::DefaultBodyLimit::max(super::MAX_IMPORT_BYTES)))
        .route("/systems/{id}", get(page).post(update))
        .route("/systems/{id}/edit", get(edit_form))
        .route("/systems/{id}/status", post(set_status))
        .route("/systems/{id}/exceptions", post(record_exception))
        .route("/systems/{id}/dossiers", post(open_dossier))
        .route("/systems/{id}/connections", post(add_connection))
        .route("/systems/{id}/certificates", post(add_certificate))
        .route("/connections/{id}/delete", post(remove_connection))
        .route("/certificates/{id}/delete", post(remove_certificate))
}

#[derive(Deserialize)]
struct ConnectionForm {
    direction: String,
    peer: String,
    #[serde(default)]
    data_categories: String,
    #[serde(default)]
    auth_method: String,
    encrypted: Option<String>,
    approved: Option<String>,
}

async fn add_connection(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<ConnectionForm>,
) -> Result<Response, WebError> {
    let some = |v: String| Some(v).filter(|x| !x.trim().is_empty());
    let input = khien_store::ConnectionInput {
        direction: f.direction,
        peer: f.peer,
        data_categories: some(f.data_categories),
        auth_method: some(f.auth_method),
        encrypted: f.encrypted.is_some(),
        approved: f.approved.is_some(),
    };
    s.store.add_connection(&ctx.actor, id, &input).await?;
    Ok(see_other(&format!("/systems/{id}")))
}

#[derive(Deserialize)]
struct CertificateForm {
    kind: String,
    holder: String,
    serial: String,
    issuer: String,
    expires_on: String,
}

async fn add_certificate(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<CertificateForm>,
) -> Result<Response, WebError> {
    let input = khien_store::CertificateInput {
        kind: CertificateKind::parse("kind", &f.kind)?,
        holder: f.holder,
        serial: f.serial,
        issuer: f.issuer,
        expires_on: f.expires_on,
    };
    s.store.add_certificate(&ctx.actor, id, &input).await?;
    Ok(see_other(&format!("/systems/{id}")))
}

async fn remove_connection(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Response, WebError> {
    let system = s.store.remove_connection(&ctx.actor, id).await?;
    Ok(see_other(&format!("/systems/{system}")))
}

async fn remove_certificate(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Response, WebError> {
    let system = s.store.remove_certificate(&ctx.actor, id).await?;
    Ok(see_other(&format!("/systems/{system}")))
}

pub(super) type Options = Vec<(&'static str, &'static str)>;

pub(super) fn options<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T, Lang) -> &'static str,
    lang: Lang,
) -> Options {
    all.iter().map(|t| (code(*t), label(*t, lang))).collect()
}

pub(super) fn label_of<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T, Lang) -> &'static str,
    value: &str,
    lang: Lang,
) -> String {
    all.iter().find(|t| code(**t) == value).map(|t| label(*t, lang).to_string()).unwrap_or_else(|| value.to_string())
}

#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    dossier_state: String,
    #[serde(default)]
    layer_gap: String,
    #[serde(default)]
    violations: String,
    unit_id: Option<i64>,
    #[serde(default)]
    sort: String,
    cursor: Option<String>,
}

struct ListFilter {
    q: String,
    status: String,
    level: String,
    dossier_state: String,
    layer_gap: bool,
    violations: bool,
    sort: String,
}

struct Row {
    id: i64,
    code: String,
    name: String,
    owner: String,
    status: String,
    level: String,
    dossier: String,
}

#[derive(Template)]
#[template(path = "systems.html")]
struct ListPage {
    c: Chrome,
    f: ListFilter,
    statuses: Options,
    dossier_states: Options,
    rows: Vec<Row>,
    pager: Pager,
    sorts: Sorts,
    /// How many match in all (the first page).
    total: Option<i64>,
    /// The current filters as a query string, for the export link.
    export_query: String,
    can_register: bool,
    notice: Option<String>,
    saved: Vec<khien_store::SavedFilter>,
}

#[derive(Deserialize)]
struct FilterForm {
    name: String,
    query: String,
}

async fn save_filter(State(s): State<AppState>, ctx: Ctx, Form(f): Form<FilterForm>) -> Result<Response, WebError> {
    let saved = s.store.save_filter(&ctx.actor, &f.name, &f.query).await?;
    Ok(see_other(&format!("/systems?{}", saved.query)))
}

async fn delete_filter(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Response, WebError> {
    s.store.delete_filter(&ctx.actor, id).await?;
    Ok(see_other("/systems"))
}

/// Imports an uploaded list, then shows the registry with what changed.
async fn import(State(s): State<AppState>, ctx: Ctx, mp: axum::extract::Multipart) -> Result<Response, WebError> {
    let (name, bytes) = super::Upload::read(mp).await?.file()?;
    let sum = crate::services::systems_io::import(&s, &ctx, &name, &bytes).await?;
    let notice = ctx
        .lang
        .pick(
            &format!("Đã nhập tệp {name}: {} hệ thống mới, {} cập nhật.", sum.created, sum.updated),
            &format!("Imported {name}: {} new systems, {} updated.", sum.created, sum.updated),
        )
        .to_string();
    use axum::response::IntoResponse;
    Ok(list_page(&s, &ctx, ListQuery::default(), Some(notice)).await?.into_response())
}

async fn list(State(s): State<AppState>, ctx: Ctx, Query(q): Query<ListQuery>) -> Result<Html<String>, WebError> {
    list_page(&s, &ctx, q, None).await
}

async fn list_page(s: &AppState, ctx: &Ctx, q: ListQuery, notice: Option<String>) -> Result<Html<String>, WebError> {
    let lang = ctx.lang;
    let filter = SystemFilter {
        q: Some(q.q.clone()).filter(|x| !x.trim().is_empty()),
        code: None,
        unit_id: q.unit_id,
        level: q.level.parse().ok(),
        status: Some(q.status.clone()).filter(|x| !x.is_empty()),
        dossier_state: Some(q.dossier_state.clone()).filter(|x| !x.is_empty()),
        layer_gap: q.layer_gap == "true",
        violations: q.violations == "true",
        sort: Some(q.sort.clone()).filter(|s| !s.is_empty()),
        cursor: q.cursor.as_deref().map(Cursor::decode).transpose()?,
        limit: 100,
    };
    let page = s.store.list_systems(&ctx.actor, &filter).await?;
    let rows = page
        .items
        .iter()
        .map(|x| Row {
            id: x.id,
            code: x.code.clone(),
            name: x.name.clone(),
            owner: x.owner_unit_name.clone(),
            status: x.status.label(lang).to_string(),
            level: x.approved_level.map(|l| l.to_string()).unwrap_or_else(|| "—".into()),
            dossier: x.dossier_state.map(|d| d.label(lang).to_string()).unwrap_or_else(|| "—".into()),
        })
        .collect();
    // Only the filters that are set: the API refuses empty values for typed parameters.
    let filters = LinkQuery::default()
        .with("q", q.q.clone())
        .with("status", q.status.clone())
        .with("level", q.level.clone())
        .with("dossier_state", q.dossier_state.clone())
        .with("layer_gap", q.layer_gap.clone())
        .with("violations", q.violations.clone())
        .with("unit_id", q.unit_id.map(|u| u.to_string()).unwrap_or_default());
    let sorts = Sorts::new("/systems", &filters, if q.sort.is_empty() { "name" } else { &q.sort });
    let ordered = filters.clone().with("sort", q.sort.clone());
    let export_query = ordered.encoded();
    let total = page.total;
    let pager = Pager::new("/systems", &ordered, &page);
    let f = ListFilter {
        q: q.q,
        status: q.status,
        level: q.level,
        dossier_state: q.dossier_state,
        layer_gap: q.layer_gap == "true",
        violations: q.violations == "true",
        sort: q.sort,
    };
    render(&ListPage {
        c: Chrome::new(ctx, "systems", "Hệ thống thông tin", "Information systems"),
        total,
        f,
        statuses: options(Lifecycle::ALL, Lifecycle::code, Lifecycle::label, lang),
        dossier_states: options(DossierState::ALL, DossierState::code, DossierState::label, lang),
        rows,
        pager,
        sorts,
        export_query,
        can_register: ctx.actor.can_anywhere(Action::EditSystems),
        notice,
        saved: s.store.saved_filters(&ctx.actor).await?,
    })
}

struct DossierRow {
    id: i64,
    state: String,
    level: i64,
    due: String,
    overdue: bool,
    decision: String,
}

#[derive(Template)]
#[template(path = "system.html")]
struct SystemPage {
    c: Chrome,
    d: SystemDetail,
    type_label: String,
    status_label: String,
    ruleset_name: &'static str,
    reasons: Vec<(u8, String)>,
    /// What the suggestion could not decide and a person must.
    to_confirm: Vec<String>,
    layers: Vec<(u8, &'static str, String, String)>,
    statuses: Options,
    certificate_kinds: Options,
    dossiers: Vec<DossierRow>,
    connections: Vec<khien_store::Connection>,
    /// Each certificate with its kind's label and its expiry as shown.
    certificates: Vec<(khien_store::Certificate, &'static str, String)>,
    go_live: String,
    exception_until: String,
    redetermination: Option<String>,
    can_edit: bool,
    can_govern: bool,
    /// Links to the scan import and the assessment form, with this system filled in.
    can_scan: bool,
    can_assess: bool,
    /// The recurring duties of the approved level (issue 15.5).
    obligations: super::obligations::ObligationView,
}

async fn page(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Html<String>, WebError> {
    let lang = ctx.lang;
    let d = s.store.get_system(&ctx.actor, id).await?;
    let dossiers = s.store.dossiers_of(&ctx.actor, id).await?;
    let owner = (d.system.owner_unit_id, d.system.owner_path.clone());
    let rs = ruleset_by_code(d.suggestion.ruleset).unwrap_or_else(|| ruleset_for(s.store.clock().today_vn()));
    let layers = d
        .layers
        .iter()
        .map(|l| {
            let (class, vi, en) = match l.state {
                LayerState::Ok => ("ok", "Đạt", "OK"),
                LayerState::Missing => ("missing", "Thiếu", "Missing"),
                LayerState::Expired => ("expired", "Hết hạn", "Expired"),
            };
            (l.layer, class, lang.pick(vi, en).to_string(), l.reason.get(lang).to_string())
        })
        .collect();
    let dossiers = dossiers
        .into_iter()
        .map(|x| DossierRow {
            id: x.id,
            state: x.state.label(lang).to_string(),
            level: x.proposed_level,
            due: display_opt(x.due_on.as_deref()),
            overdue: x.overdue,
            decision: x.decision_number.clone().unwrap_or_default(),
        })
        .collect();
    let page = SystemPage {
        c: Chrome::new(&ctx, "systems", &d.system.name, &d.system.name),
        type_label: label_of(SystemType::ALL, SystemType::code, SystemType::label, &d.system.system_type, lang),
        status_label: d.system.status.label(lang).to_string(),
        ruleset_name: rs.name,
        reasons: d.suggestion.reasons.iter().map(|(l, m)| (*l, m.get(lang).to_string())).collect(),
        to_confirm: d.suggestion.to_confirm.iter().map(|m| m.get(lang).to_string()).collect(),
        layers,
        statuses: options(Lifecycle::ALL, Lifecycle::code, Lifecycle::label, lang),
        certificate_kinds: options(CertificateKind::ALL, CertificateKind::code, CertificateKind::label, lang),
        dossiers,
        connections: s.store.connections_of(&ctx.actor, id).await?,
        certificates: s
            .store
            .certificates_of(&ctx.actor, id)
            .await?
            .into_iter()
            .map(|c| {
                let (kind, shown) = (c.kind.label(lang), display_date(&c.expires_on));
                (c, kind, shown)
            })
            .collect(),
        go_live: display_opt(d.system.go_live_date.as_deref()),
        redetermination: d.redetermination.as_ref().map(|m| m.get(lang).to_string()),
        exception_until: display_opt(d.exception.as_ref().map(|e| e.expires_on.as_str())),
        can_edit: ctx.actor.can(Action::EditSystems, owner.0, &owner.1),
        can_govern: ctx.actor.can(Action::Govern, owner.0, &owner.1),
        can_scan: ctx.actor.can(Action::RemediateFindings, owner.0, &owner.1),
        can_assess: ctx.actor.can_anywhere(Action::AssessSystems),
        obligations: super::obligations::view(s.store.system_obligations(&ctx.actor, id).await?, lang),
        d,
    };
    render(&page)
}

#[derive(Deserialize)]
struct StatusForm {
    status: String,
}

async fn set_status(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<StatusForm>,
) -> Result<Response, WebError> {
    s.store.set_system_status(&ctx.actor, id, Lifecycle::parse("status", &f.status)?).await?;
    Ok(see_other(&format!("/systems/{id}")))
}

#[derive(Deserialize)]
struct ExceptionForm {
    reason: String,
    expires_on: String,
}

async fn record_exception(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<ExceptionForm>,
) -> Result<Response, WebError> {
    s.store.record_exception(&ctx.actor, id, &f.reason, &f.expires_on).await?;
    Ok(see_other(&format!("/systems/{id}")))
}

async fn open_dossier(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Response, WebError> {
    let d = s.store.create_dossier(&ctx.actor, id, &DossierInput::default()).await?;
    Ok(see_other(&format!("/dossiers/{}", d.id)))
}
