//! The authority's own Word templates (issue 17.2): the fields they may use, the templates by
//! document type and ruleset with their versions and defaults, an upload form, previews with
//! the demo system.

use super::msg;
use super::{render, see_other, Chrome};
use crate::auth::Ctx;
use crate::error::WebError;
use crate::services::form_fields::CATALOGUE;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use khien_domain::system::dossier_form::DossierForm;
use khien_domain::system::level::rulesets;
use khien_domain::time::display_vn;
use khien_formats::docx_template::{FieldSpec, ListSpec, MAX_TEMPLATE_BYTES};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/document-templates", get(page))
        .route(
            "/document-templates/upload",
            post(upload).layer(axum::extract::DefaultBodyLimit::max(MAX_TEMPLATE_BYTES + 4096)),
        )
        .route("/document-templates/{id}/default", post(set_default))
}

/// A template as the page lists it.
struct Row {
    form: &'static str,
    uploaded: String,
    t: khien_store::DocumentTemplate,
}

#[derive(Template)]
#[template(path = "document_templates.html")]
struct Page {
    c: Chrome,
    rows: Vec<Row>,
    can_govern: bool,
    forms: Vec<(&'static str, &'static str)>,
    rulesets: Vec<(&'static str, &'static str)>,
    fields: &'static [FieldSpec],
    lists: &'static [ListSpec],
}

async fn page(State(s): State<AppState>, ctx: Ctx) -> Result<Html<String>, WebError> {
    let lang = ctx.lang;
    let rows = s
        .store
        .document_templates()
        .await?
        .into_iter()
        .map(|t| Row {
            form: t.form.label(lang),
            uploaded: format!("{} · {}", t.uploaded_by_name, display_vn(t.uploaded_at)),
            t,
        })
        .collect();
    render(&Page {
        c: Chrome::new(&ctx, "calendar", "Mẫu văn bản của cơ quan", "The authority's document templates"),
        rows,
        can_govern: s.store.may_manage_templates(&ctx.actor).await.is_ok(),
        forms: DossierForm::ALL.iter().map(|f| (f.code(), f.label(lang))).collect(),
        rulesets: rulesets().into_iter().map(|r| (r.code, r.name)).collect(),
        fields: CATALOGUE.fields,
        lists: CATALOGUE.lists,
    })
}

async fn upload(State(s): State<AppState>, ctx: Ctx, mp: axum::extract::Multipart) -> Result<Response, WebError> {
    let upload = super::Upload::read(mp).await?;
    let form = DossierForm::parse("form", upload.text("form"))?;
    let (ruleset, name) = (upload.text("ruleset").to_string(), upload.text("name").trim().to_string());
    let (file_name, bytes) = upload.file()?;
    let name = if name.is_empty() { file_name.trim_end_matches(".docx").to_string() } else { name };
    crate::api::document_templates::upload(&s, &ctx, form, &ruleset, &name, &bytes).await?;
    Ok(see_other("/document-templates#templates"))
}

#[derive(Deserialize)]
struct DefaultForm {
    #[serde(default)]
    default: String,
}

async fn set_default(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<DefaultForm>,
) -> Result<Response, WebError> {
    s.store.set_default_template(&ctx.actor, id, f.default == "true").await?;
    Ok(see_other("/document-templates#templates"))
}
