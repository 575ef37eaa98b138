//! The Vietnamese-first web UI: server-rendered pages, plain forms, one small script.

mod botnet;
mod budget;
mod chart;
mod compliance;
mod consultations;
mod deadlines;
mod document_templates;
mod dossier_page;
mod dossiers;
mod findings;
mod findings_charts;
mod home;
mod incident_actions;
mod incident_form;
mod incidents;
mod indicators;
mod kept_form;
mod listing;
pub(crate) mod msg;
mod network;
mod obligations;
mod overview;
mod pages;
mod plans;
mod public_reports;
mod rankings;
mod reports;
mod scans;
mod search;
mod staff;
mod system_details;
mod system_form;
mod systems;
mod telemetry;
mod trainings;
mod units;
mod users;

pub use units::MAX_IMPORT_BYTES;

/// How far ahead a unit's calendar of deadlines looks, in days.
pub const DEADLINE_DAYS: u64 = 90;

use crate::auth::{cookie, is_secure, set_cookie, Ctx, LANG_COOKIE, LOGIN_CSRF_COOKIE, SESSION_COOKIE};
use crate::error::{urlencode, WebError};
use crate::AppState;
use askama::Template;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use khien_domain::role::Action;
use khien_domain::{Error, Lang, Text};
use serde::Deserialize;
use std::net::SocketAddr;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/lang", post(switch_lang))
        .route("/assets/app.css", get(|| asset("text/css; charset=utf-8", include_str!("../../assets/app.css"))))
        .route("/assets/app.js", get(|| asset("text/javascript; charset=utf-8", include_str!("../../assets/app.js"))))
        .merge(pages::router())
        .merge(units::router())
        .merge(users::router())
        .merge(systems::router())
        .merge(system_details::router())
        .merge(dossiers::router())
        .merge(dossier_page::router())
        .merge(document_templates::router())
        .merge(overview::router())
        .merge(incidents::router())
        .merge(public_reports::router())
        .merge(compliance::router())
        .merge(findings::router())
        .merge(scans::router())
        .merge(search::router())
        .merge(plans::router())
        .merge(obligations::router())
        .merge(trainings::router())
        .merge(budget::router())
        .merge(consultations::router())
        .merge(indicators::router())
        .merge(rankings::router())
        .merge(reports::router())
        .merge(network::router())
        .merge(telemetry::router())
        .merge(botnet::router())
        .merge(staff::router())
        .merge(deadlines::router())
}

async fn asset(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=3600")], body).into_response()
}

/// What every signed-in page shares: language, name, CSRF token and which menus to show.
pub struct Chrome {
    pub lang: Lang,
    pub full_name: String,
    pub csrf: String,
    pub title: String,
    pub active: &'static str,
    pub can_users: bool,
    pub can_audit: bool,
    /// Works reports from the public (the authority's queue, or those routed to a unit).
    pub can_public_reports: bool,
}

impl Chrome {
    /// The hidden anti-forgery field every form of a signed-in page carries: written here once,
    /// checked by the middleware (`auth`).
    pub fn csrf_field(&self) -> askama::filters::Safe<String> {
        let token: String = self.csrf.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_')).collect();
        askama::filters::Safe(format!(r#"<input type="hidden" name="_csrf" value="{token}">"#))
    }

    pub fn new(ctx: &Ctx, active: &'static str, title_vi: &str, title_en: &str) -> Chrome {
        Chrome {
            lang: ctx.lang,
            full_name: ctx.full_name.clone(),
            csrf: ctx.csrf.clone().unwrap_or_default(),
            title: ctx.lang.pick(title_vi, title_en).to_string(),
            active,
            can_users: ctx.actor.can_anywhere(Action::ViewUsers),
            can_audit: ctx.actor.can_anywhere(Action::ViewAudit),
            can_public_reports: ctx.actor.can_anywhere(Action::ReportIncidents),
        }
    }

    /// A message of the catalogue (`msg::KEY`) in the page's language.
    pub fn t(&self, text: Text) -> &'static str {
        self.lang.t(text)
    }

    /// Chooses between two texts that come with the data (a catalogue's own title in both languages).
    pub fn pick<'a>(&self, vi: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(vi, en)
    }
}

/// Template filters: `{{ n|num }}` writes a count the Vietnamese way ("150.000").
pub(crate) mod filters {
    pub fn num(n: &i64, _: &dyn askama::Values) -> askama::Result<String> {
        Ok(khien_domain::number::grouped(*n))
    }
}

pub fn render(t: &impl Template) -> Result<Html<String>, WebError> {
    t.render().map(Html).map_err(|e| WebError(Error::internal(e)))
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    lang: Lang,
    status: u16,
    message: &'a str,
    /// What the person can do about it.
    next_step: &'static str,
}

/// What to do after an error, by its kind: check the input, ask for access, wait, or report it.
fn next_step(status: StatusCode) -> Text {
    match status.as_u16() {
        400 | 422 => msg::NEXT_CHECK_INPUT,
        401 => msg::NEXT_SIGN_IN,
        403 => msg::NEXT_ASK_FOR_ACCESS,
        404 => msg::NEXT_NOT_FOUND,
        409 => msg::NEXT_CONFLICT,
        413 => msg::NEXT_TOO_LARGE,
        429 => msg::NEXT_WAIT,
        _ => msg::NEXT_REPORT_IT,
    }
}

pub fn error_page(lang: Lang, status: StatusCode, message: &str) -> String {
    ErrorPage { lang, status: status.as_u16(), message, next_step: lang.t(next_step(status)) }
        .render()
        .unwrap_or_else(|_| message.to_string())
}

/// Redirect after a successful form post (303 so the browser follows with GET).
pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    lang: Lang,
    csrf: String,
    next: String,
    error: Option<String>,
}

#[derive(Deserialize)]
struct LoginQuery {
    next: Option<String>,
    lang: Option<String>,
}

/// Only local paths are accepted as a post-login destination (no open redirect).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}

fn login_form(
    state: &AppState,
    headers: &HeaderMap,
    lang: Lang,
    next: String,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let presession = cookie(headers, LOGIN_CSRF_COOKIE).filter(|c| c.len() >= 20).unwrap_or_else(new_token);
    let page =
        LoginPage { lang, csrf: crate::auth::presession_token(state, LOGIN_CSRF_COOKIE, &presession), next, error };
    let secure = is_secure(state, headers);
    let body = page.render().unwrap_or_default();
    let mut r = (status, Html(body)).into_response();
    for c in [
        set_cookie(LOGIN_CSRF_COOKIE, &presession, None, secure, true),
        set_cookie(LANG_COOKIE, lang.code(), Some(31_536_000), secure, false),
    ] {
        if let Ok(v) = c.parse() {
            r.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    r
}

pub(super) fn new_token() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut b = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut b);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

async fn login_page(State(state): State<AppState>, headers: HeaderMap, Query(q): Query<LoginQuery>) -> Response {
    let lang = q.lang.as_deref().and_then(Lang::parse).unwrap_or_else(|| crate::error::request_lang(&headers, true));
    login_form(&state, &headers, lang, safe_next(q.next.as_deref()), None, StatusCode::OK)
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

async fn login(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let lang = crate::error::request_lang(&headers, true);
    let next = safe_next(f.next.as_deref());
    // The per-address limit counts failures only: a success gives its attempt back.
    let attempt = match state.login_limiter.check(addr.ip()) {
        Ok(hit) => {
            let outcome = state.store.login(&f.username, &f.password).await;
            if outcome.is_ok() {
                state.login_limiter.release(hit);
            }
            outcome
        }
        Err(e) => Err(e),
    };
    match attempt {
        Ok(o) => {
            let secure = is_secure(&state, &headers);
            let mut r = see_other(&next);
            for c in [
                set_cookie(SESSION_COOKIE, &o.session_token, None, secure, true),
                set_cookie(LANG_COOKIE, o.lang.code(), Some(31_536_000), secure, false),
                set_cookie(LOGIN_CSRF_COOKIE, "", Some(0), secure, true),
            ] {
                if let Ok(v) = c.parse() {
                    r.headers_mut().append(header::SET_COOKIE, v);
                }
            }
            r
        }
        Err(e) => {
            let status = crate::error::status_of(&e);
            login_form(&state, &headers, lang, next, Some(e.message(lang)), status)
        }
    }
}

async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, WebError> {
    if let Some(t) = cookie(&headers, SESSION_COOKIE) {
        state.store.logout(&t).await?;
    }
    let mut r = see_other("/login");
    if let Ok(v) = set_cookie(SESSION_COOKIE, "", Some(0), is_secure(&state, &headers), true).parse() {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(r)
}

#[derive(Deserialize)]
struct LangForm {
    lang: String,
}

/// Switches the UI language and remembers it on the account.
async fn switch_lang(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Form(f): Form<LangForm>,
) -> Result<Response, WebError> {
    let lang = Lang::parse(&f.lang).unwrap_or_default();
    state.store.set_lang(ctx.actor.user_id, lang).await?;
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.find("://").and_then(|i| r[i + 3..].find('/').map(|j| r[i + 3 + j..].to_string())))
        .unwrap_or_else(|| "/".into());
    let mut r = see_other(&safe_next(Some(&back)));
    if let Ok(v) = set_cookie(LANG_COOKIE, lang.code(), Some(31_536_000), is_secure(&state, &headers), false).parse() {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(r)
}

/// The system a form names by its code. Pages take a system through a search field (codes
/// suggested by /assets/app.js from `/api/v1/systems?q=`), never a select of thousands of
/// options; a code the caller cannot see is refused like one that does not exist.
pub(crate) async fn system_by_code(
    s: &AppState,
    actor: &khien_domain::scope::Actor,
    field: &str,
    code: &str,
) -> Result<khien_store::System, Error> {
    // A suggestion reads "CODE – name (unit)"; the code is its first word.
    let code = code.split_whitespace().next().unwrap_or_default();
    let filter = khien_store::SystemFilter { code: Some(code.to_string()), limit: 1, ..Default::default() };
    s.store.list_systems(actor, &filter).await?.items.into_iter().next().ok_or_else(|| {
        Error::invalid(
            field,
            format!("Không có hệ thống mã «{code}» trong phạm vi của bạn."),
            format!("There is no system «{code}» within your reach."),
        )
    })
}

/// The unit a form names by its code (a search field, as for systems).
/// Options lists longer than this become a code field with suggestions (`forms::unit_pick`): a
/// city has too many units to choose from a list.
pub(crate) const UNIT_LIST_MAX: usize = 30;

/// Whether the option with this id is the one a form holds (`selected`: the id as a number or
/// as the text the form sent).
pub(crate) fn is_chosen(id: &i64, selected: impl std::fmt::Display) -> bool {
    selected.to_string().trim().parse::<i64>() == Ok(*id)
}

/// The unit a form names: chosen from a short list (`id`), or typed as a code with suggestions
/// (`code`, the field `{name}_code`) where the caller's units are too many to list.
pub(crate) async fn unit_field(
    s: &AppState,
    actor: &khien_domain::scope::Actor,
    field: &str,
    id: &str,
    code: &str,
) -> Result<i64, Error> {
    if let Ok(id) = id.trim().parse::<i64>() {
        return Ok(id);
    }
    if code.trim().is_empty() {
        return Err(Error::invalid(field, "Gõ mã đơn vị.", "Type the unit's code."));
    }
    Ok(unit_by_code(s, actor, field, code).await?.id)
}

pub(crate) async fn unit_by_code(
    s: &AppState,
    actor: &khien_domain::scope::Actor,
    field: &str,
    code: &str,
) -> Result<khien_store::Unit, Error> {
    let code = code.split_whitespace().next().unwrap_or_default();
    s.store.get_unit_by_code(actor, code).await.map_err(|e| match e {
        Error::NotFound(_) | Error::Forbidden(_) => Error::invalid(
            field,
            format!("Không có đơn vị mã «{code}» trong phạm vi của bạn."),
            format!("There is no unit «{code}» within your reach."),
        ),
        other => other,
    })
}

/// A multipart upload that could not be read.
pub(crate) fn upload_error(e: impl std::fmt::Display) -> Error {
    Error::bad_request(format!("Không đọc được tệp tải lên: {e}"), format!("Cannot read the upload: {e}"))
}

/// A form with one file (field `file`) and text fields, as a page's upload sends it.
pub(crate) struct Upload {
    fields: Vec<(String, String)>,
    file: Option<(String, axum::body::Bytes)>,
}

impl Upload {
    /// Reads the whole form; the file's name defaults to `upload` when the browser gives none.
    pub async fn read(mut mp: axum::extract::Multipart) -> Result<Upload, Error> {
        let (mut fields, mut file) = (Vec::new(), None);
        while let Some(field) = mp.next_field().await.map_err(upload_error)? {
            let name = field.name().unwrap_or_default().to_string();
            if name == "file" {
                let file_name = field.file_name().unwrap_or("upload").to_string();
                file = Some((file_name, field.bytes().await.map_err(upload_error)?));
            } else {
                fields.push((name, field.text().await.map_err(upload_error)?));
            }
        }
        Ok(Upload { fields, file })
    }

    /// A text field's value ("" when absent).
    pub fn text(&self, name: &str) -> &str {
        self.fields.iter().find(|(n, _)| n == name).map_or("", |(_, v)| v.as_str())
    }

    /// The file, or the refusal that none was chosen.
    pub fn file(self) -> Result<(String, axum::body::Bytes), Error> {
        self.file.ok_or_else(|| Error::invalid("file", "Chưa chọn tệp.", "No file was chosen."))
    }
}

pub fn q(v: &str) -> String {
    urlencode(v)
}
