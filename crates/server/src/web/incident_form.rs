//! The incident report form (QĐ 05/2017 Đ11.4's fields): the affected systems typed by code with
//! suggestions (no Ctrl-click list), and, when a report is refused, the same form again with
//! everything typed and the message beside its field.

use super::kept_form::{refusal, refused, FormError, Posted};
use super::msg;
use super::systems::{options, Options};
use super::{render, see_other, Chrome};
use crate::auth::Ctx;
use crate::error::WebError;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{Html, Response};
use axum::routing::get;
use axum::Router;
use khien_domain::incident::observable::ObservableKind;
use khien_domain::incident::{Category, Consequence, Tlp};
use khien_domain::role::Action;
use khien_domain::time::{parse_vn_local, rfc3339};
use khien_domain::Error;
use khien_store::{IncidentInput, ObservableInput};

/// How many affected systems the form offers fields for.
const SYSTEM_FIELDS: usize = 3;

pub fn router() -> Router<AppState> {
    Router::new().route("/incidents/new", get(new_form)).route("/incidents", axum::routing::post(create))
}

#[derive(Template)]
#[template(path = "incident_form.html")]
struct FormPage {
    c: Chrome,
    v: Posted,
    error: FormError,
    units: Vec<(i64, String)>,
    /// The affected-system fields' values (empty ones for the rest).
    system_codes: Vec<String>,
    categories: Options,
    tlps: Options,
    consequences: Options,
    kinds: Options,
    now: String,
}

async fn form_page(s: &AppState, ctx: &Ctx, v: Posted, error: FormError) -> Result<Html<String>, WebError> {
    let lang = ctx.lang;
    let system_codes = (0..SYSTEM_FIELDS).map(|n| v.nth("system_codes", n).to_string()).collect();
    render(&FormPage {
        c: Chrome::new(ctx, "incidents", "Báo cáo sự cố", "Report an incident"),
        v,
        error,
        system_codes,
        units: super::units::options(s, ctx, Action::ReportIncidents).await?,
        categories: options(Category::ALL, Category::code, Category::label, lang),
        tlps: options(Tlp::ALL, Tlp::code, Tlp::label, lang),
        consequences: options(Consequence::ALL, Consequence::code, Consequence::label, lang),
        kinds: options(ObservableKind::ALL, ObservableKind::code, ObservableKind::label, lang),
        now: khien_domain::time::display_vn(s.store.clock().now_ms()),
    })
}

async fn new_form(State(s): State<AppState>, ctx: Ctx) -> Result<Html<String>, WebError> {
    // One key per form shown: a second click on «Gửi» returns the incident the first created.
    let v = Posted::default()
        .with("tlp", "amber")
        .with("priority", "3")
        .with("file_initial_report", "1")
        .with("submission_id", &super::new_token());
    form_page(&s, &ctx, v, FormError::default()).await
}

/// The systems named by code, among those the caller sees (the store checks them again).
async fn system_ids(s: &AppState, ctx: &Ctx, codes: &[String]) -> Result<Vec<i64>, Error> {
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    let seen = s.store.all_systems(&ctx.actor).await?;
    codes
        .iter()
        .map(|code| {
            // A suggestion reads "CODE – name (unit)": the code is what comes before the dash.
            let code = code.split(" – ").next().unwrap_or(code).trim();
            seen.iter().find(|x| x.code.eq_ignore_ascii_case(code)).map(|x| x.id).ok_or_else(|| {
                Error::invalid(
                    "system_codes",
                    format!("Không có hệ thống mã «{code}» trong phạm vi của bạn."),
                    format!("There is no system with code «{code}» within your reach."),
                )
            })
        })
        .collect()
}

fn input(v: &Posted, system_ids: Vec<i64>) -> Result<IncidentInput, Error> {
    let time = |k: &str| -> Result<Option<String>, Error> {
        match v.one(k) {
            None => Ok(None),
            Some(t) => parse_vn_local(&t).map(|ms| Some(rfc3339(ms))).ok_or_else(|| {
                Error::invalid(k, format!("«{t}» không phải thời điểm hợp lệ."), format!("«{t}» is not a valid time."))
            }),
        }
    };
    let number = |k: &str| v.one(k).map(|n| super::systems::number(k, &n)).transpose();
    let mut observables = Vec::new();
    if let (Some(kind), Some(value)) = (v.one("obs_kind"), v.one("obs_value")) {
        observables.push(ObservableInput { kind, value, ..Default::default() });
    }
    Ok(IncidentInput {
        unit_id: number("unit_id")?.unwrap_or(0),
        title: v.one("title").unwrap_or_default(),
        category: v.one("category").unwrap_or_default(),
        detected_at: time("detected_at")?.unwrap_or_default(),
        reported_at: None,
        tlp: v.one("tlp"),
        priority: number("priority")?,
        system_ids,
        consequences: v.all("consequences"),
        national_critical: v.one("national_critical").is_some(),
        beyond_capacity: v.one("beyond_capacity").is_some(),
        security_signs: v.one("security_signs").is_some(),
        personal_data_breach: v.one("personal_data_breach").is_some(),
        reporter_name: v.one("reporter_name"),
        reporter_contact: v.one("reporter_contact"),
        reporter_position: v.one("reporter_position"),
        operator_address: v.one("operator_address"),
        owning_body: v.one("owning_body"),
        symptoms: v.one("symptoms"),
        spread: v.one("spread"),
        impact: v.one("impact"),
        provider: v.one("provider"),
        measures_taken: v.one("measures_taken"),
        measures_planned: v.one("measures_planned"),
        help_received: v.one("help_received"),
        initial_results: v.one("initial_results"),
        recommendations: v.one("recommendations"),
        file_initial_report: v.one("file_initial_report").is_some(),
        observables,
        submission_id: v.one("submission_id"),
    })
}

/// The report form; repeated fields (systems, consequences) arrive as repeated keys.
async fn create(
    State(s): State<AppState>,
    ctx: Ctx,
    axum::extract::RawForm(body): axum::extract::RawForm,
) -> Result<Response, WebError> {
    let v = Posted::parse(&body)?;
    let unit = super::unit_field(&s, &ctx.actor, "unit_id", v.get("unit_id"), v.get("unit_id_code")).await;
    let ids = system_ids(&s, &ctx, &v.all("system_codes")).await;
    let saved =
        match unit.and_then(|unit| ids.and_then(|ids| input(&v.clone().with("unit_id", &unit.to_string()), ids))) {
            Ok(input) => s.store.create_incident(&ctx.actor, &input).await.map(|i| i.id),
            Err(e) => Err(e),
        };
    match saved {
        Ok(id) => Ok(see_other(&format!("/incidents/{id}"))),
        Err(e) => Ok(refused(form_page(&s, &ctx, v, refusal(e, ctx.lang)?).await?)),
    }
}
