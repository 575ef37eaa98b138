//! The authority's own Word templates for the dossier documents (issue 17.2): the fields each
//! document offers, upload (checked: a real DOCX, no macro, no zip bomb, known fields and
//! well-formed loops), versions, the default per type and ruleset, and a preview with a
//! dossier's data or the demo system's.

use crate::auth::Ctx;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery};
use crate::services::dossier_forms::FormRequest;
use crate::services::form_fields::{form_values, CATALOGUE};
use crate::services::incident_docs::Signer;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use khien_domain::system::dossier_form::DossierForm;
use khien_formats::docx_template::{DocxTemplate, FieldSpec, ListSpec, TemplateError, MAX_TEMPLATE_BYTES};
use khien_store::DocumentTemplate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_templates))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(upload_template))
                .layer(axum::extract::DefaultBodyLimit::max(MAX_TEMPLATE_BYTES + 1024)),
        )
        .routes(routes!(template_fields))
        .routes(routes!(template_file))
        .routes(routes!(preview_template))
        .routes(routes!(set_default))
}

/// A template problem as the 422 that names the file and the place.
pub(crate) fn refused(e: &TemplateError) -> khien_domain::Error {
    let text = e.to_string();
    let (vi, en) = text.split_once(" / ").unwrap_or((text.as_str(), text.as_str()));
    khien_domain::Error::invalid("file", format!("Mẫu văn bản: {vi}."), format!("Template: {en}."))
}

/// Every template of every document type, with its versions and the defaults.
#[utoipa::path(get, path = "/api/v1/document-templates", tag = "dossiers",
    responses((status = 200, body = Vec<DocumentTemplate>)))]
async fn list_templates(State(s): State<AppState>, _ctx: Ctx) -> Result<Json<Vec<DocumentTemplate>>, ApiError> {
    Ok(Json(s.store.document_templates().await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    #[param(inline)]
    pub form: DossierForm,
    /// `nd331-2026` or `nd85-2016`.
    pub ruleset: String,
    /// The template's name; uploading the same name again makes its next version.
    pub name: String,
}

/// Upload a DOCX template (raw body, at most 5 MiB) for a document type and ruleset (the
/// standing body). Refused, naming the place: not a DOCX, macros, a zip bomb, an unknown
/// field, a loop not opened and closed in one table row.
#[utoipa::path(post, path = "/api/v1/document-templates", tag = "dossiers", params(UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = DocumentTemplate), (status = 403, body = crate::error::Problem),
        (status = 413, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn upload_template(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<UploadQuery>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<DocumentTemplate>), ApiError> {
    let t = upload(&s, &ctx, q.form, &q.ruleset, &q.name, &body).await?;
    Ok((StatusCode::CREATED, Json(t)))
}

/// Checks and keeps a template (the API's and the page's one path).
pub(crate) async fn upload(
    s: &AppState,
    ctx: &Ctx,
    form: DossierForm,
    ruleset: &str,
    name: &str,
    bytes: &[u8],
) -> Result<DocumentTemplate, khien_domain::Error> {
    s.store.may_manage_templates(&ctx.actor).await?;
    let checked = DocxTemplate::parse(bytes, CATALOGUE).map_err(|e| refused(&e))?;
    s.store.add_document_template(&ctx.actor, form, ruleset, name, bytes.to_vec(), checked.fields_used()).await
}

/// What a template may use: the fields and the lists a table row may repeat.
#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateFields {
    #[schema(value_type = Vec<Object>)]
    pub fields: &'static [FieldSpec],
    #[schema(value_type = Vec<Object>)]
    pub lists: &'static [ListSpec],
}

/// The fields every dossier document offers a template (`{{he_thong.ten}}`), and the lists
/// a table row may repeat (`{{#thanh_phan}}` … `{{/thanh_phan}}`, items as `{{ten}}`).
#[utoipa::path(get, path = "/api/v1/document-templates/fields", tag = "dossiers",
    responses((status = 200, body = TemplateFields)))]
async fn template_fields(_ctx: Ctx) -> Json<TemplateFields> {
    Json(TemplateFields { fields: CATALOGUE.fields, lists: CATALOGUE.lists })
}

const DOCX_TYPE: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// A template's file as uploaded.
#[utoipa::path(get, path = "/api/v1/document-templates/{id}/file", tag = "dossiers", params(("id" = i64, Path)),
    responses((status = 200, content((Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))),
        (status = 404, body = crate::error::Problem)))]
async fn template_file(
    State(s): State<AppState>,
    _ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<axum::response::Response, ApiError> {
    let (t, bytes) = s.store.document_template_file(id).await?;
    Ok(super::download(&format!("mau-{}-v{}.docx", t.form.code(), t.version), DOCX_TYPE, &t.sha256, bytes))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PreviewQuery {
    /// Fill with this dossier's data (as the caller may see it); left out, the demo system's.
    pub dossier_id: Option<i64>,
}

/// A template filled with a dossier's data or the demo system's, not kept. The fields the data
/// lacks are blank and listed in `X-Khien-Missing-Fields`.
#[utoipa::path(get, path = "/api/v1/document-templates/{id}/preview", tag = "dossiers", params(("id" = i64, Path), PreviewQuery),
    responses((status = 200, content((Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))),
        (status = 404, body = crate::error::Problem)))]
async fn preview_template(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiQuery(q): ApiQuery<PreviewQuery>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let (t, bytes) = s.store.document_template_file(id).await?;
    let template = DocxTemplate::parse(&bytes, CATALOGUE).map_err(|e| refused(&e))?;
    let values = match q.dossier_id {
        Some(d) => {
            let fc = s.store.dossier_form_context(&ctx.actor, d).await?;
            let signer = Signer::new(None, None, None, None)?;
            let req = FormRequest {
                form: t.form,
                number: None,
                signer: &signer,
                place_name: s.config.place_name.as_deref(),
                date: s.store.clock().today_vn(),
            };
            form_values(&fc, &req)
        }
        None => CATALOGUE.examples(),
    };
    let out = template.render(&values).map_err(|e| refused(&e))?;
    let headers = [
        (axum::http::header::CONTENT_TYPE, DOCX_TYPE.to_string()),
        (axum::http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"xem-truoc-mau-{id}.docx\"")),
        (axum::http::HeaderName::from_static("x-khien-missing-fields"), out.missing.join(",")),
    ];
    Ok((headers, out.docx).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DefaultInput {
    /// true: documents of its type and ruleset are issued from it; false: Khiên's own layout.
    pub default: bool,
}

/// Make a template the default of its type and ruleset, or withdraw it (the standing body).
#[utoipa::path(put, path = "/api/v1/document-templates/{id}/default", tag = "dossiers", params(("id" = i64, Path)),
    request_body = DefaultInput,
    responses((status = 200, body = DocumentTemplate), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
async fn set_default(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<DefaultInput>,
) -> Result<Json<DocumentTemplate>, ApiError> {
    Ok(Json(s.store.set_default_template(&ctx.actor, id, b.default).await?))
}
