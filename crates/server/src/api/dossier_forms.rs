//! The level procedure's documents, written from a dossier's data (issue 17.1): which a
//! dossier has and who may issue them, a preview of each as DOCX or PDF, issuing (kept as both,
//! with their SHA-256 and the data version), and the issued ones.

use crate::api::incidents::{document_response, DocumentQuery};
use crate::auth::Ctx;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery};
use crate::services::dossier_forms::{form_document, FormRequest};
use crate::services::incident_docs::Signer;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use khien_domain::system::dossier_form::DossierForm;
use khien_domain::Lang;
use khien_store::{DocumentToIssue, DossierPackage, IssuedDocument, PackageReceipt};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(dossier_forms))
        .routes(routes!(preview_form, issue_form))
        .routes(routes!(issued_documents))
        .routes(routes!(issued_document_file))
        .routes(routes!(dossier_packages, build_package))
        .routes(routes!(package_file))
        .routes(routes!(package_receipt))
}

/// A document a dossier has at its proposed level.
#[derive(Debug, Serialize, ToSchema)]
pub struct FormInfo {
    pub form: DossierForm,
    pub label: String,
    /// "Mẫu số 02" of NĐ 331's annex; none for the statement and under NĐ 85.
    pub annex: Option<String>,
    /// Whether the caller may issue it (the people of its step).
    pub may_issue: bool,
    /// What the data cannot fill (Vietnamese): left blank for the hand in Khiên's layout; in the
    /// authority's template, what would refuse the issue.
    pub gaps: Vec<String>,
    /// The authority's default template the document would be issued from ("name v2"); none for
    /// Khiên's own layout.
    pub template: Option<String>,
}

/// What issuing each form of a dossier would use and lack now: the default template (its name
/// and the catalogue's labels of the fields the data lacks) or Khiên's layout and its blanks.
/// The API's list and the dossier page both read it.
pub(crate) async fn forms_outlook(
    s: &AppState,
    fc: &khien_store::DossierFormContext,
) -> Result<Vec<(DossierForm, Option<String>, Vec<String>)>, khien_domain::Error> {
    let signer = Signer::new(None, None, None, None)?;
    let today = s.store.clock().today_vn();
    let mut out = Vec::with_capacity(fc.forms.len());
    for f in &fc.forms {
        let req = FormRequest { form: *f, number: None, signer: &signer, place_name: None, date: today };
        let Some((t, bytes)) = s.store.default_template(*f, fc.ruleset.code).await? else {
            out.push((*f, None, form_document(fc, &req).gaps));
            continue;
        };
        let catalogue = crate::services::form_fields::CATALOGUE;
        let rendered = khien_formats::docx_template::DocxTemplate::parse(&bytes, catalogue)
            .and_then(|tpl| tpl.render(&crate::services::form_fields::form_values(fc, &req)));
        let gaps = match rendered {
            Ok(r) => r
                .missing
                .iter()
                .map(|m| {
                    catalogue.fields.iter().find(|x| x.name == m).map_or(m.clone(), |x| format!("{} ({m})", x.label))
                })
                .collect(),
            Err(e) => vec![e.to_string()],
        };
        out.push((*f, Some(format!("{} v{}", t.name, t.version)), gaps));
    }
    Ok(out)
}

/// What the issuer adds to a document.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueFormInput {
    /// Số và ký hiệu, e.g. "15/QĐ-UBND"; left out: blank for the clerk (a decision takes the
    /// dossier's decision number when it has one).
    pub number: Option<String>,
    /// `head` (the default), `acting`, `deputy`, `by_order`, `authorized`, `collective`.
    pub signing: Option<String>,
    pub signer_title: Option<String>,
    pub signer_name: Option<String>,
    pub collective: Option<String>,
    /// The authority's template to issue from; left out, the default of the form and ruleset if
    /// one is chosen, else Khiên's own layout. From a template, the document is kept as Word only.
    pub template_id: Option<i64>,
}

fn form_of(code: &str) -> Result<DossierForm, ApiError> {
    Ok(DossierForm::parse("form", code)?)
}

/// The documents of a dossier at its proposed level, in the procedure's order, with what the
/// caller may issue and what each leaves blank.
#[utoipa::path(get, path = "/api/v1/dossiers/{id}/forms", tag = "dossiers", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<FormInfo>), (status = 404, body = crate::error::Problem)))]
async fn dossier_forms(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<Vec<FormInfo>>, ApiError> {
    let fc = s.store.dossier_form_context(&ctx.actor, id).await?;
    let infos = forms_outlook(&s, &fc)
        .await?
        .into_iter()
        .map(|(f, template, gaps)| FormInfo {
            form: f,
            label: f.label(Lang::Vi).to_string(),
            annex: f.annex_number(&fc.ruleset).map(str::to_string),
            may_issue: fc.may_issue.contains(&f),
            gaps,
            template,
        })
        .collect();
    Ok(Json(infos))
}

/// A document written from the dossier's data as it is now, not kept (DOCX or PDF; NĐ 30/2020
/// layout; Vietnamese). Whoever may see the dossier may preview.
#[utoipa::path(get, path = "/api/v1/dossiers/{id}/forms/{form}", tag = "dossiers",
    params(("id" = i64, Path), ("form" = inline(DossierForm), Path), DocumentQuery),
    responses((status = 200, content((Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), (Vec<u8> = "application/pdf"))),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn preview_form(
    State(s): State<AppState>,
    ctx: Ctx,
    Path((id, form)): Path<(i64, String)>,
    ApiQuery(q): ApiQuery<DocumentQuery>,
) -> Result<axum::response::Response, ApiError> {
    let form = form_of(&form)?;
    let fc = s.store.dossier_form_context(&ctx.actor, id).await?;
    if !fc.forms.contains(&form) {
        return Err(not_of_level(form, fc.level()).into());
    }
    let signer = q.signer()?;
    let req = FormRequest {
        form,
        number: None,
        signer: &signer,
        place_name: s.config.place_name.as_deref(),
        date: s.store.clock().today_vn(),
    };
    let written = form_document(&fc, &req);
    document_response(&written.document, q.format.as_deref(), &format!("ho-so-{id}-{}", form.code()))
}

fn not_of_level(form: DossierForm, level: u8) -> khien_domain::Error {
    khien_domain::Error::invalid(
        "form",
        format!("Hồ sơ đề xuất cấp độ {level} không có văn bản «{}».", form.label(Lang::Vi)),
        format!("A dossier proposing level {level} has no «{}».", form.label(Lang::En)),
    )
}

/// Issue a document: written from the dossier's data now and kept as DOCX and PDF with their
/// SHA-256 and the SHA-256 of the data it came from. Only the people of the form's step (the
/// operator's for requests, the appraiser's for the opinion, the approver's for decisions).
#[utoipa::path(post, path = "/api/v1/dossiers/{id}/forms/{form}", tag = "dossiers",
    params(("id" = i64, Path), ("form" = inline(DossierForm), Path)), request_body = IssueFormInput,
    responses((status = 201, body = IssuedDocument), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn issue_form(
    State(s): State<AppState>,
    ctx: Ctx,
    Path((id, form)): Path<(i64, String)>,
    ApiJson(b): ApiJson<IssueFormInput>,
) -> Result<(StatusCode, Json<IssuedDocument>), ApiError> {
    let form = form_of(&form)?;
    let signer = Signer::new(
        b.signing.as_deref(),
        b.signer_title.as_deref(),
        b.signer_name.as_deref(),
        b.collective.as_deref(),
    )?;
    let issued = issue(&s, &ctx, id, form, b.number, &signer, b.template_id).await?;
    Ok((StatusCode::CREATED, Json(issued)))
}

/// Writes a form from the dossier's data and keeps it (the API's and the page's one path):
/// from the authority's template where one is named or is the default — refused, naming the
/// fields, when the data lacks any it uses — else in Khiên's own layout as Word and PDF.
pub(crate) async fn issue(
    s: &AppState,
    ctx: &Ctx,
    id: i64,
    form: DossierForm,
    number: Option<String>,
    signer: &Signer,
    template_id: Option<i64>,
) -> Result<IssuedDocument, khien_domain::Error> {
    let fc = s.store.dossier_form_context(&ctx.actor, id).await?;
    let number = number.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
    let req = FormRequest {
        form,
        number,
        signer,
        place_name: s.config.place_name.as_deref(),
        date: s.store.clock().today_vn(),
    };
    let written = form_document(&fc, &req);
    // The number the document carries (a decision's may come from the dossier).
    let number = written.document.number.clone();
    let template = match template_id {
        Some(t) => Some(s.store.document_template_file(t).await?),
        None => s.store.default_template(form, fc.ruleset.code).await?,
    };
    let doc = match template {
        Some((t, bytes)) => {
            if t.form != form || t.ruleset != fc.ruleset.code {
                return Err(khien_domain::Error::invalid(
                    "template_id",
                    format!(
                        "Mẫu «{}» dùng cho «{}» ({}), không cho văn bản này.",
                        t.name,
                        t.form.label(Lang::Vi),
                        t.ruleset
                    ),
                    format!(
                        "The template «{}» is for «{}» ({}), not this document.",
                        t.name,
                        t.form.label(Lang::En),
                        t.ruleset
                    ),
                ));
            }
            let template =
                khien_formats::docx_template::DocxTemplate::parse(&bytes, crate::services::form_fields::CATALOGUE)
                    .map_err(|e| crate::api::document_templates::refused(&e))?;
            let out = template
                .render(&crate::services::form_fields::form_values(&fc, &req))
                .map_err(|e| crate::api::document_templates::refused(&e))?;
            if !out.missing.is_empty() {
                let list = out.missing.join(", ");
                return Err(khien_domain::Error::invalid(
                    "template_id",
                    format!("Dữ liệu của hồ sơ chưa có các trường mẫu «{}» dùng: {list}. Bổ sung dữ liệu (hoặc sửa mẫu) rồi ban hành.", t.name),
                    format!("The dossier's data lacks fields the template «{}» uses: {list}. Complete the data (or the template), then issue.", t.name),
                ));
            }
            DocumentToIssue { form, number, data: written.data, docx: out.docx, pdf: None, template_id: Some(t.id) }
        }
        None => {
            let docx =
                khien_formats::docx::write_admin_docx(&written.document).map_err(khien_domain::Error::internal)?;
            let pdf = khien_formats::pdf::write_admin_pdf(&written.document).map_err(khien_domain::Error::internal)?;
            DocumentToIssue { form, number, data: written.data, docx, pdf: Some(pdf), template_id: None }
        }
    };
    s.store.issue_dossier_document(&ctx.actor, id, doc).await
}

/// The documents issued from a dossier, newest first.
#[utoipa::path(get, path = "/api/v1/dossiers/{id}/documents", tag = "dossiers", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<IssuedDocument>), (status = 404, body = crate::error::Problem)))]
async fn issued_documents(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<Vec<IssuedDocument>>, ApiError> {
    Ok(Json(s.store.issued_documents(&ctx.actor, id).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FileQuery {
    /// `docx` (the default) or `pdf`.
    #[param(value_type = Option<crate::api::params::DocumentFormat>, inline)]
    pub format: Option<String>,
}

/// An issued document's file as kept (its SHA-256 in `X-Content-SHA256`).
#[utoipa::path(get, path = "/api/v1/dossier-documents/{id}/file", tag = "dossiers", params(("id" = i64, Path), FileQuery),
    responses((status = 200, content((Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), (Vec<u8> = "application/pdf"))),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn issued_document_file(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiQuery(q): ApiQuery<FileQuery>,
) -> Result<axum::response::Response, ApiError> {
    let pdf = pdf_format(q.format.as_deref())?;
    let (doc, bytes) = s.store.issued_document_file(&ctx.actor, id, pdf).await?;
    Ok(file_response(&doc, pdf, bytes))
}

/// `docx` (or nothing) or `pdf`; anything else a 422 naming `format`.
pub(crate) fn pdf_format(format: Option<&str>) -> Result<bool, khien_domain::Error> {
    match format.map(str::trim) {
        None | Some("" | "docx") => Ok(false),
        Some("pdf") => Ok(true),
        Some(_) => {
            Err(khien_domain::Error::invalid("format", "Định dạng là docx hoặc pdf.", "The format is docx or pdf."))
        }
    }
}

/// The kept bytes as a download named after the dossier and the form.
pub(crate) fn file_response(doc: &IssuedDocument, pdf: bool, bytes: Vec<u8>) -> axum::response::Response {
    let (ext, content_type, sha) = if pdf {
        ("pdf", "application/pdf", doc.pdf_sha256.as_deref().unwrap_or_default())
    } else {
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", doc.docx_sha256.as_str())
    };
    let name = format!("ho-so-{}-{}-{}.{ext}", doc.dossier_id, doc.form.code(), doc.id);
    super::download(&name, content_type, sha, bytes)
}

/// The packages built of a dossier for the appraiser, newest first, with their receipts.
#[utoipa::path(get, path = "/api/v1/dossiers/{id}/packages", tag = "dossiers", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<DossierPackage>), (status = 404, body = crate::error::Problem)))]
async fn dossier_packages(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<Vec<DossierPackage>>, ApiError> {
    Ok(Json(s.store.dossier_packages(&ctx.actor, id).await?))
}

/// Pack the dossier for an outside appraiser: one ZIP with the latest issued document of each
/// form (Word and PDF), every attachment by part, `manifest.json` and `SHA256SUMS`; kept with
/// its SHA-256. Those who send the dossier only.
#[utoipa::path(post, path = "/api/v1/dossiers/{id}/packages", tag = "dossiers", params(("id" = i64, Path)),
    responses((status = 201, body = DossierPackage), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn build_package(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<(StatusCode, Json<DossierPackage>), ApiError> {
    Ok((StatusCode::CREATED, Json(pack(&s, &ctx, id).await?)))
}

/// Builds and keeps a package (the API's and the page's one path).
pub(crate) async fn pack(s: &AppState, ctx: &Ctx, id: i64) -> Result<DossierPackage, khien_domain::Error> {
    let source = s.store.dossier_package_source(&ctx.actor, id).await?;
    let built = crate::services::dossier_package::build_package(source, s.store.clock().today_vn())?;
    s.store.record_dossier_package(&ctx.actor, id, built.zip, &built.manifest, built.file_count).await
}

/// A package's ZIP as built (its SHA-256 in `X-Content-SHA256`).
#[utoipa::path(get, path = "/api/v1/dossier-packages/{id}/file", tag = "dossiers", params(("id" = i64, Path)),
    responses((status = 200, content((Vec<u8> = "application/zip"))), (status = 404, body = crate::error::Problem)))]
async fn package_file(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<axum::response::Response, ApiError> {
    let (p, bytes) = s.store.dossier_package_file(&ctx.actor, id).await?;
    let name = format!("goi-ho-so-{}-{}.zip", p.dossier_id, p.id);
    Ok(super::download(&name, "application/zip", &p.sha256, bytes))
}

/// Record (or correct) the appraiser's receipt of a package: who received it, the day, their
/// reference. Those who send the dossier only.
#[utoipa::path(put, path = "/api/v1/dossier-packages/{id}/receipt", tag = "dossiers", params(("id" = i64, Path)),
    request_body = PackageReceipt,
    responses((status = 200, body = DossierPackage), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn package_receipt(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<PackageReceipt>,
) -> Result<Json<DossierPackage>, ApiError> {
    Ok(Json(s.store.record_package_receipt(&ctx.actor, id, &b).await?))
}
