//! The registry's depth (issue 17.5): a system's details page (a form that keeps what was
//! typed when a value is refused), a unit's completeness page, and the authority's choice of
//! required details.

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
use khien_domain::role::Action;
use khien_domain::system::details::{DetailKind, DETAIL_FIELDS};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/systems/{id}/details", get(details_page).post(save_details))
        .route("/units/{id}/completeness", get(completeness_page))
        .route("/registry/required-details", post(set_required))
        .route(
            "/inventory/import",
            post(import_inventory).layer(axum::extract::DefaultBodyLimit::max(super::MAX_IMPORT_BYTES + 4096)),
        )
}

/// One detail in the form: (code, label, input type, value shown in the input, required).
struct Row {
    code: &'static str,
    label: &'static str,
    input: &'static str,
    value: String,
    required: bool,
    yes_no: bool,
}

#[derive(Template)]
#[template(path = "system_details.html")]
struct DetailsPage {
    c: Chrome,
    system_id: i64,
    system_name: String,
    rows: Vec<Row>,
    completeness: Option<i64>,
    can_edit: bool,
    error: FormError,
    /// The inventory: (group's name, end of support dd/mm/yyyy, the asset).
    assets: Vec<(&'static str, String, khien_store::Asset)>,
}

fn input_type(kind: DetailKind) -> &'static str {
    match kind {
        DetailKind::Email => "email",
        DetailKind::Phone => "tel",
        _ => "text",
    }
}

async fn show(
    s: &AppState,
    ctx: &Ctx,
    id: i64,
    posted: Option<&Posted>,
    error: FormError,
) -> Result<Html<String>, WebError> {
    let d = s.store.get_system(&ctx.actor, id).await?;
    let details = s.store.system_details(&ctx.actor, id, ctx.lang).await?;
    let rows = details
        .details
        .iter()
        .map(|x| Row {
            code: x.code,
            label: x.label,
            input: input_type(x.kind),
            // What was typed wins over what is kept, so a refused form loses nothing.
            value: match posted {
                Some(p) => p.get(x.code).to_string(),
                None if x.kind == DetailKind::Date || x.kind == DetailKind::Money => {
                    x.shown.clone().unwrap_or_default()
                }
                None => x.value.clone().unwrap_or_default(),
            },
            required: x.required,
            yes_no: x.kind == DetailKind::YesNo,
        })
        .collect();
    let owner = (d.system.owner_unit_id, d.system.owner_path.clone());
    let group = |g: &str| match g {
        "hardware" => ctx.lang.pick("Phần cứng", "Hardware"),
        "software" => ctx.lang.pick("Phần mềm", "Software"),
        _ => ctx.lang.pick("Thông tin", "Information"),
    };
    let assets = s
        .store
        .system_assets(&ctx.actor, id)
        .await?
        .into_iter()
        .map(|a| (group(&a.group), khien_domain::calendar::display_opt(a.end_of_support.as_deref()), a))
        .collect();
    render(&DetailsPage {
        assets,
        c: Chrome::new(ctx, "systems", "Thông tin bổ sung của hệ thống", "System details"),
        system_id: id,
        system_name: d.system.name.clone(),
        rows,
        completeness: details.completeness,
        can_edit: ctx.actor.can(Action::EditSystems, owner.0, &owner.1),
        error,
    })
}

async fn details_page(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Html<String>, WebError> {
    show(&s, &ctx, id, None, FormError::default()).await
}

async fn save_details(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, WebError> {
    let p = Posted::parse(&body)?;
    let values: Vec<(String, String)> =
        DETAIL_FIELDS.iter().map(|f| (f.code.to_string(), p.get(f.code).to_string())).collect();
    match s.store.set_system_details(&ctx.actor, id, &values, ctx.lang).await {
        Ok(_) => Ok(see_other(&format!("/systems/{id}/details"))),
        Err(e) => {
            let error = refusal(e, ctx.lang)?;
            Ok(refused(show(&s, &ctx, id, Some(&p), error).await?))
        }
    }
}

#[derive(Template)]
#[template(path = "unit_completeness.html")]
struct CompletenessPage {
    c: Chrome,
    unit_name: String,
    unit_id: i64,
    completeness: Option<i64>,
    /// (system id, code, name, completeness, missing details' labels)
    systems: Vec<(i64, String, String, Option<i64>, String)>,
    /// Every detail: (code, label, required).
    fields: Vec<(&'static str, &'static str, bool)>,
    can_govern: bool,
}

async fn completeness_page(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Html<String>, WebError> {
    let lang = ctx.lang;
    let unit = s.store.get_unit(&ctx.actor, id).await?;
    let c = s.store.unit_completeness(&ctx.actor, id).await?;
    let label = |code: &str| DETAIL_FIELDS.iter().find(|f| f.code == code).map(|f| f.label(lang)).unwrap_or("");
    let systems = c
        .systems
        .into_iter()
        .map(|x| {
            let missing = x.missing.iter().map(|m| label(m)).collect::<Vec<_>>().join("; ");
            (x.system_id, x.code, x.name, x.completeness, missing)
        })
        .collect();
    let fields =
        DETAIL_FIELDS.iter().map(|f| (f.code, f.label(lang), c.required.iter().any(|r| r == f.code))).collect();
    let root = s.store.root_unit().await?;
    render(&CompletenessPage {
        c: Chrome::new(&ctx, "units", "Mức đầy đủ thông tin hệ thống", "Registry completeness"),
        unit_name: unit.name,
        unit_id: id,
        completeness: c.completeness,
        systems,
        fields,
        can_govern: root.is_some_and(|r| ctx.actor.can(Action::Govern, r.id, &r.path)),
    })
}

/// The required details, as ticked on the completeness page (the standing body).
async fn set_required(State(s): State<AppState>, ctx: Ctx, body: Bytes) -> Result<Response, WebError> {
    let p = Posted::parse(&body)?;
    let back = p.get("back").parse::<i64>().unwrap_or_default();
    s.store.set_required_details(&ctx.actor, &p.all("field")).await?;
    Ok(if back > 0 { see_other(&format!("/units/{back}/completeness")) } else { see_other("/") })
}

/// An inventory file for the systems it names (the page's form; the API's path).
async fn import_inventory(
    State(s): State<AppState>,
    ctx: Ctx,
    mp: axum::extract::Multipart,
) -> Result<Response, WebError> {
    let upload = super::Upload::read(mp).await?;
    let back = upload.text("back").parse::<i64>().unwrap_or_default();
    let (name, bytes) = upload.file()?;
    crate::services::inventory_io::import(&s, &ctx, &name, &bytes).await?;
    Ok(see_other(&format!("/systems/{back}/details#assets")))
}
