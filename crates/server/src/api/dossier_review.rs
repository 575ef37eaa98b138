//! What an appraiser judges: a dossier's parts with their files or the owner's reasons, and the
//! written opinions of its returns, appraisals and approvals, each as a letter (DOCX or PDF).

use crate::api::incidents::{document_response, DocumentQuery};
use crate::auth::Ctx;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery};
use crate::services::dossier_docs::{opinion_document, OpinionLetter};
use crate::AppState;
use axum::extract::{Path, State};
use axum::Json;
use khien_domain::system::dossier::Part;
use khien_store::{DossierOpinion, NotApplicableInput, PartStatus};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(dossier_parts))
        .routes(routes!(set_not_applicable, clear_not_applicable))
        .routes(routes!(dossier_opinions))
        .routes(routes!(opinion_letter))
}

/// Each part of a dossier: required or not, its files, or the owner's reason it does not apply.
#[utoipa::path(get, path = "/api/v1/dossiers/{id}/parts", tag = "dossiers", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<PartStatus>), (status = 404, body = crate::error::Problem)))]
async fn dossier_parts(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<Vec<PartStatus>>, ApiError> {
    Ok(Json(s.store.dossier_parts(&ctx.actor, id).await?))
}

/// Declare a part not applicable, with the reason (the owner unit, while the dossier is editable).
#[utoipa::path(put, path = "/api/v1/dossiers/{id}/parts/{part}/not-applicable", tag = "dossiers",
    params(("id" = i64, Path), ("part" = inline(Part), Path)), request_body = NotApplicableInput,
    responses((status = 200, body = Vec<PartStatus>), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn set_not_applicable(
    State(s): State<AppState>,
    ctx: Ctx,
    Path((id, part)): Path<(i64, String)>,
    ApiJson(b): ApiJson<NotApplicableInput>,
) -> Result<Json<Vec<PartStatus>>, ApiError> {
    let part = Part::parse("part", &part)?;
    Ok(Json(s.store.set_part_not_applicable(&ctx.actor, id, part, Some(&b.reason)).await?))
}

/// Withdraw a "not applicable" declaration.
#[utoipa::path(delete, path = "/api/v1/dossiers/{id}/parts/{part}/not-applicable", tag = "dossiers",
    params(("id" = i64, Path), ("part" = inline(Part), Path)),
    responses((status = 200, body = Vec<PartStatus>), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn clear_not_applicable(
    State(s): State<AppState>,
    ctx: Ctx,
    Path((id, part)): Path<(i64, String)>,
) -> Result<Json<Vec<PartStatus>>, ApiError> {
    let part = Part::parse("part", &part)?;
    Ok(Json(s.store.set_part_not_applicable(&ctx.actor, id, part, None).await?))
}

/// The written opinions of a dossier's returns, appraisals and approvals, oldest first.
#[utoipa::path(get, path = "/api/v1/dossiers/{id}/opinions", tag = "dossiers", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<DossierOpinion>), (status = 404, body = crate::error::Problem)))]
async fn dossier_opinions(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<Vec<DossierOpinion>>, ApiError> {
    Ok(Json(s.store.dossier_opinions(&ctx.actor, id).await?))
}

/// An opinion as an official letter to the owner unit (NĐ 30/2020 layout; Vietnamese): the
/// parts examined with their files' SHA-256, then the opinion.
#[utoipa::path(get, path = "/api/v1/dossier-opinions/{id}/document", tag = "dossiers", params(("id" = i64, Path), DocumentQuery),
    responses((status = 200, content((Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), (Vec<u8> = "application/pdf"))),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn opinion_letter(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiQuery(q): ApiQuery<DocumentQuery>,
) -> Result<axum::response::Response, ApiError> {
    let (opinion, dossier, system, parts) = s.store.dossier_opinion(&ctx.actor, id).await?;
    let header = s.store.document_header(opinion.author_unit_id).await?;
    let letter =
        OpinionLetter { opinion: &opinion, dossier: &dossier, system: &system, parts: &parts, header: &header };
    let doc = opinion_document(&letter, s.config.place_name.as_deref(), &q.signer()?, s.store.clock().today_vn());
    document_response(&doc, q.format.as_deref(), &format!("y-kien-ho-so-{}-{}", dossier.id, opinion.id))
}
