//! Reports from the public on the web: the citizen's form and status lookup (no login, their
//! own plain layout, Vietnamese by default), and the staff's queue and report page (route to a
//! unit, move, make an incident).

use super::filters;
use super::listing::{LinkQuery, Pager};
use super::msg;
use super::systems::{options, Options};
use super::{render, see_other, Chrome};
use crate::api::public_reports::{submit, PublicReportQuery};
use crate::auth::{cookie, is_secure, set_cookie, Ctx, PUBLIC_CSRF_COOKIE, PUBLIC_FORM_PATH};
use crate::error::{status_of, urlencode, WebError};
use crate::AppState;
use askama::Template;
use axum::extract::{ConnectInfo, Multipart, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use khien_domain::incident::public::{PublicCategory, PublicState, DESCRIPTION_MAX, MAX_PUBLIC_FILES, PUBLIC_FILES};
use khien_domain::incident::Category;
use khien_domain::role::Action;
use khien_domain::time::display_vn;
use khien_domain::{Error, Lang, Msg};
use khien_store::{PublicReportDetail, PublicReportInput, UploadedFile};
use serde::Deserialize;
use std::net::SocketAddr;

/// Largest body of the public form: the files and the text fields.
const MAX_FORM_BYTES: usize = MAX_PUBLIC_FILES * PUBLIC_FILES.max_bytes + 64 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(PUBLIC_FORM_PATH, get(form_page).post(send).layer(axum::extract::DefaultBodyLimit::max(MAX_FORM_BYTES)))
        .route("/bao-cao/tra-cuu", get(lookup))
        .route("/public-reports", get(queue))
        .route("/public-reports/{id}", get(report_page))
        .route("/public-reports/{id}/route", post(route))
        .route("/public-reports/{id}/state", post(move_state))
        .route("/public-reports/{id}/convert", post(convert))
}

/// The public pages' language: `?lang=` (the switch on the page), else the cookie, else
/// Vietnamese.
fn public_lang(q: Option<&str>, headers: &HeaderMap) -> Lang {
    q.and_then(Lang::parse).unwrap_or_else(|| crate::error::request_lang(headers, true))
}

#[derive(Template)]
#[template(path = "public_report_form.html")]
struct FormPage {
    lang: Lang,
    csrf: String,
    /// Who receives the report (configured, else the root unit).
    authority: String,
    categories: Options,
    error: Option<String>,
    error_field: String,
    v: FormValues,
    max_files: usize,
    max_mib: usize,
    max_chars: usize,
}

/// What the citizen typed, kept when the form comes back with an error.
#[derive(Debug, Default, Clone)]
struct FormValues {
    category: String,
    description: String,
    reporter_name: String,
    reporter_phone: String,
    reporter_email: String,
    url: String,
    contact_consent: bool,
}

#[derive(Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

/// The authority the form names: as configured, else the root unit's name.
async fn receiving_authority(state: &AppState) -> String {
    match &state.config.receiving_authority {
        Some(a) if !a.trim().is_empty() => a.trim().to_string(),
        _ => state.store.root_unit().await.ok().flatten().map(|u| u.name).unwrap_or_default(),
    }
}

async fn form_response(
    state: &AppState,
    headers: &HeaderMap,
    lang: Lang,
    v: FormValues,
    error: Option<&Error>,
) -> Response {
    let authority = receiving_authority(state).await;
    let presession = cookie(headers, PUBLIC_CSRF_COOKIE).filter(|c| c.len() >= 20).unwrap_or_else(super::new_token);
    let page = FormPage {
        lang,
        csrf: crate::auth::presession_token(state, PUBLIC_CSRF_COOKIE, &presession),
        authority,
        categories: options(PublicCategory::ALL, PublicCategory::code, PublicCategory::label, lang),
        error: error.map(|e| e.message(lang)),
        error_field: error.and_then(Error::field).unwrap_or_default().to_string(),
        v,
        max_files: MAX_PUBLIC_FILES,
        max_mib: PUBLIC_FILES.max_bytes / 1024 / 1024,
        max_chars: DESCRIPTION_MAX,
    };
    let status = error.map(status_of).unwrap_or(StatusCode::OK);
    let mut r = match render(&page) {
        Ok(html) => (status, html).into_response(),
        Err(e) => return e.into_response(),
    };
    if let Ok(v) = set_cookie(PUBLIC_CSRF_COOKIE, &presession, None, is_secure(state, headers), true).parse() {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    if let Some(Error::TooMany { retry_after_secs, .. }) = error {
        if let Ok(v) = retry_after_secs.to_string().parse() {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
    }
    r
}

async fn form_page(State(s): State<AppState>, headers: HeaderMap, Query(q): Query<LangQuery>) -> Response {
    let lang = public_lang(q.lang.as_deref(), &headers);
    form_response(&s, &headers, lang, FormValues::default(), None).await
}

/// The form, as multipart (for the files), with the CSRF token in the address.
async fn send(
    State(s): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    mut mp: Multipart,
) -> Response {
    let mut lang = crate::error::request_lang(&headers, true);
    let mut v = FormValues::default();
    let mut files = Vec::new();
    let read = async {
        let upload = |e: axum::extract::multipart::MultipartError| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                let mib = PUBLIC_FILES.max_bytes / 1024 / 1024;
                Error::TooLarge(Msg::new(
                    format!("Tệp gửi kèm quá lớn: tối đa {MAX_PUBLIC_FILES} tệp, mỗi tệp {mib} MiB."),
                    format!("The files are too large: at most {MAX_PUBLIC_FILES} files of {mib} MiB each."),
                ))
            } else {
                Error::bad_request(format!("Không đọc được biểu mẫu: {e}"), format!("Cannot read the form: {e}"))
            }
        };
        while let Some(field) = mp.next_field().await.map_err(upload)? {
            let name = field.name().unwrap_or_default().to_string();
            if name == "files" {
                let file_name = field.file_name().unwrap_or_default().to_string();
                let bytes = field.bytes().await.map_err(upload)?;
                // A file input left empty still sends an empty part without a name.
                if !(file_name.is_empty() && bytes.is_empty()) {
                    files.push(UploadedFile { file_name, bytes: bytes.to_vec() });
                }
                continue;
            }
            let text = field.text().await.map_err(upload)?;
            match name.as_str() {
                "lang" => lang = Lang::parse(&text).unwrap_or(lang),
                "category" => v.category = text,
                "description" => v.description = text,
                "reporter_name" => v.reporter_name = text,
                "reporter_phone" => v.reporter_phone = text,
                "reporter_email" => v.reporter_email = text,
                "url" => v.url = text,
                "contact_consent" => v.contact_consent = !text.is_empty(),
                _ => {}
            }
        }
        Ok::<(), Error>(())
    };
    let read = read.await;
    let some = |t: &str| Some(t.to_string()).filter(|t| !t.trim().is_empty());
    let input = PublicReportInput {
        category: v.category.clone(),
        description: v.description.clone(),
        reporter_name: some(&v.reporter_name),
        reporter_phone: some(&v.reporter_phone),
        reporter_email: some(&v.reporter_email),
        url: some(&v.url),
        contact_consent: v.contact_consent,
    };
    let result = match read {
        Ok(()) => submit(&s, addr.ip(), &input, &files).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(status) => see_other(&format!("/bao-cao/tra-cuu?ma={}&moi=1&lang={}", urlencode(&status.code), lang.code())),
        Err(e @ Error::Internal(_)) => WebError(e).into_response(),
        Err(e) => form_response(&s, &headers, lang, v, Some(&e)).await,
    }
}

#[derive(Template)]
#[template(path = "public_report_status.html")]
struct StatusPage {
    lang: Lang,
    code: String,
    just_sent: bool,
    error: Option<String>,
    /// (category, state, received, updated)
    found: Option<(String, String, String, String)>,
    state: String,
}

#[derive(Deserialize)]
struct LookupQuery {
    #[serde(default)]
    ma: String,
    #[serde(default)]
    moi: String,
    lang: Option<String>,
}

async fn lookup(
    State(s): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(q): Query<LookupQuery>,
) -> Response {
    let lang = public_lang(q.lang.as_deref(), &headers);
    let mut page = StatusPage {
        lang,
        code: q.ma.trim().to_string(),
        just_sent: q.moi == "1",
        error: None,
        found: None,
        state: String::new(),
    };
    let mut status = StatusCode::OK;
    if !page.code.is_empty() {
        match crate::api::public_reports::lookup_status(&s, addr.ip(), &page.code).await {
            Ok(r) => {
                page.found = Some((
                    r.category.label(lang).to_string(),
                    r.state.label(lang).to_string(),
                    display_vn(r.received_at),
                    display_vn(r.updated_at),
                ));
                page.code = r.code;
                page.state = r.state.code().to_string();
            }
            Err(e @ Error::Internal(_)) => return WebError(e).into_response(),
            Err(e) => {
                status = status_of(&e);
                page.error = Some(e.message(lang));
            }
        }
    }
    match render(&page) {
        Ok(html) => (status, html).into_response(),
        Err(e) => e.into_response(),
    }
}

struct QueueRow {
    id: i64,
    code: String,
    category: String,
    excerpt: String,
    state: String,
    unit: String,
    files: i64,
    received: String,
}

#[derive(Template)]
#[template(path = "public_reports.html")]
struct QueuePage {
    c: Chrome,
    f: QueueForm,
    states: Options,
    categories: Options,
    rows: Vec<QueueRow>,
    pager: Pager,
    total: Option<i64>,
    /// The filters, for the export link.
    export_query: String,
    coordinator: bool,
}

#[derive(Debug, Default, Deserialize, Clone)]
struct QueueForm {
    #[serde(default)]
    q: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    include_closed: String,
    cursor: Option<String>,
}

impl QueueForm {
    fn query(&self) -> PublicReportQuery {
        PublicReportQuery {
            q: Some(self.q.clone()).filter(|v| !v.trim().is_empty()),
            state: Some(self.state.clone()).filter(|v| !v.is_empty()),
            category: Some(self.category.clone()).filter(|v| !v.is_empty()),
            unit_id: None,
            include_closed: self.include_closed == "true",
            cursor: self.cursor.clone(),
            limit: Some(50),
        }
    }

    /// The filters that are set, as the list's links carry them.
    fn filters(&self) -> LinkQuery {
        LinkQuery::default()
            .with("q", self.q.clone())
            .with("state", self.state.clone())
            .with("category", self.category.clone())
            .with("include_closed", self.include_closed.clone())
    }
}

async fn queue(State(s): State<AppState>, ctx: Ctx, Query(f): Query<QueueForm>) -> Result<Html<String>, WebError> {
    let lang = ctx.lang;
    let page = s.store.list_public_reports(&ctx.actor, &f.query().filter()?).await?;
    let rows = page
        .items
        .iter()
        .map(|r| QueueRow {
            id: r.id,
            code: r.code.clone(),
            category: r.category.label(lang).to_string(),
            excerpt: excerpt(&r.description, 140),
            state: r.state.label(lang).to_string(),
            unit: r.routed_unit_name.clone().unwrap_or_default(),
            files: r.file_count,
            received: display_vn(r.received_at),
        })
        .collect();
    let root = s.store.root_unit().await?;
    render(&QueuePage {
        c: Chrome::new(&ctx, "public_reports", "Phản ánh của người dân", "Public reports"),
        pager: Pager::new("/public-reports", &f.filters(), &page),
        export_query: f.filters().encoded(),
        total: page.total,
        f,
        states: options(PublicState::ALL, PublicState::code, PublicState::label, lang),
        categories: options(PublicCategory::ALL, PublicCategory::code, PublicCategory::label, lang),
        rows,
        coordinator: root.is_some_and(|u| ctx.actor.can(Action::CoordinateIncidents, u.id, &u.path)),
    })
}

fn excerpt(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > max {
        format!("{}…", one_line.chars().take(max).collect::<String>())
    } else {
        one_line
    }
}

#[derive(Template)]
#[template(path = "public_report.html")]
struct ReportPage {
    c: Chrome,
    d: PublicReportDetail,
    category: String,
    state: String,
    received: String,
    updated: String,
    next_states: Options,
    units: Vec<(i64, String)>,
    incident_categories: Options,
    default_category: &'static str,
    /// The unit it was sent to, or 0.
    routed_unit: i64,
    /// (file, size as text)
    files: Vec<(khien_store::PublicReportFile, String)>,
}

async fn report_page(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Html<String>, WebError> {
    let lang = ctx.lang;
    let d = s.store.get_public_report(&ctx.actor, id).await?;
    let r = &d.report;
    let next_states = d.next_states.iter().map(|x| (x.code(), x.label(lang))).collect();
    let units = if d.may_route || d.may_convert {
        super::units::options(&s, &ctx, Action::ReportIncidents).await?
    } else {
        Vec::new()
    };
    let default_category = r.category.incident_category().code();
    let files = d.files.iter().map(|f| (f.clone(), size_text(f.size_bytes))).collect();
    render(&ReportPage {
        c: Chrome::new(&ctx, "public_reports", &r.code, &r.code),
        category: r.category.label(lang).to_string(),
        state: r.state.label(lang).to_string(),
        received: display_vn(r.received_at),
        updated: display_vn(r.updated_at),
        next_states,
        units,
        incident_categories: options(Category::ALL, Category::code, Category::label, lang),
        default_category,
        routed_unit: r.routed_unit_id.unwrap_or(0),
        files,
        d,
    })
}

fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MiB", bytes as f64 / 1024.0 / 1024.0)
    } else if bytes >= 1024 {
        format!("{} KiB", (bytes + 1023) / 1024)
    } else {
        format!("{bytes} B")
    }
}

fn back(id: i64) -> Response {
    see_other(&format!("/public-reports/{id}"))
}

#[derive(Deserialize)]
struct RouteForm {
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    unit_id_code: String,
}

async fn route(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<RouteForm>,
) -> Result<Response, WebError> {
    let unit_id = super::unit_field(&s, &ctx.actor, "unit_id", &f.unit_id, &f.unit_id_code).await?;
    s.store.route_public_report(&ctx.actor, id, unit_id).await?;
    Ok(back(id))
}

#[derive(Deserialize)]
struct StateForm {
    state: String,
}

async fn move_state(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<StateForm>,
) -> Result<Response, WebError> {
    s.store.set_public_report_state(&ctx.actor, id, PublicState::parse("state", &f.state)?).await?;
    Ok(back(id))
}

#[derive(Deserialize)]
struct ConvertForm {
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    unit_id_code: String,
    category: Option<String>,
    title: Option<String>,
}

async fn convert(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<ConvertForm>,
) -> Result<Response, WebError> {
    let unit_id = super::unit_field(&s, &ctx.actor, "unit_id", &f.unit_id, &f.unit_id_code).await?;
    let category = f.category.filter(|c| !c.trim().is_empty()).map(|c| Category::parse("category", &c)).transpose()?;
    let inc = s.store.convert_public_report_to_incident(&ctx.actor, id, unit_id, category, f.title.as_deref()).await?;
    Ok(see_other(&format!("/incidents/{}", inc.id)))
}
