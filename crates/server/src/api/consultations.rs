//! The consultation register: open a round of comments on a draft, reply, answer each comment,
//! close, and the register as an Excel workbook in the annex's layout.

use crate::auth::Ctx;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use khien_domain::consultation::{register_answer, CommentAnswer};
use khien_store::{CommentInput, Consultation, ConsultationInput};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_consultations, open_consultation))
        .routes(routes!(get_consultation))
        .routes(routes!(reply))
        .routes(routes!(answer))
        .routes(routes!(close))
        .routes(routes!(register_workbook))
}

/// The rounds the caller's units drafted or were asked in, newest first.
#[utoipa::path(get, path = "/api/v1/consultations", tag = "plans", responses((status = 200, body = Vec<Consultation>)))]
async fn list_consultations(State(s): State<AppState>, ctx: Ctx) -> Result<Json<Vec<Consultation>>, ApiError> {
    Ok(Json(s.store.list_consultations(&ctx.actor).await?))
}

#[utoipa::path(get, path = "/api/v1/consultations/{id}", tag = "plans", params(("id" = i64, Path)),
    responses((status = 200, body = Consultation), (status = 404, body = crate::error::Problem)))]
async fn get_consultation(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<Consultation>, ApiError> {
    Ok(Json(s.store.get_consultation(&ctx.actor, id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenConsultation {
    title: String,
    drafting_unit_id: i64,
    /// dd/mm/yyyy or yyyy-mm-dd.
    due_on: String,
    unit_ids: Vec<i64>,
}

/// Send a draft to units for comments (the drafting body's; their people are told).
#[utoipa::path(post, path = "/api/v1/consultations", tag = "plans", request_body = OpenConsultation,
    responses((status = 201, body = Consultation), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn open_consultation(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<OpenConsultation>,
) -> Result<(StatusCode, Json<Consultation>), ApiError> {
    let input = ConsultationInput {
        title: b.title,
        drafting_unit_id: b.drafting_unit_id,
        due_on: b.due_on,
        unit_ids: b.unit_ids,
    };
    Ok((StatusCode::CREATED, Json(s.store.open_consultation(&ctx.actor, &input).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftComment {
    /// The part of the draft ("Mục III", "Nhiệm vụ 2.2").
    #[serde(default)]
    section: String,
    body: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplyBody {
    unit_id: i64,
    /// None means "Thống nhất" (agreed).
    #[serde(default)]
    comments: Vec<DraftComment>,
}

/// An asked unit's reply; comments add to any it sent before.
#[utoipa::path(post, path = "/api/v1/consultations/{id}/replies", tag = "plans", params(("id" = i64, Path)), request_body = ReplyBody,
    responses((status = 200, body = Consultation), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn reply(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<ReplyBody>,
) -> Result<Json<Consultation>, ApiError> {
    let comments: Vec<CommentInput> =
        b.comments.into_iter().map(|c| CommentInput { section: c.section, body: c.body }).collect();
    Ok(Json(s.store.reply_to_consultation(&ctx.actor, id, b.unit_id, &comments).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    answer: CommentAnswer,
    /// Required when not taken in.
    #[serde(default)]
    reason: String,
}

/// The drafting body's answer to one comment.
#[utoipa::path(post, path = "/api/v1/consultation-comments/{id}/answer", tag = "plans", params(("id" = i64, Path)), request_body = AnswerBody,
    responses((status = 200, body = Consultation), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn answer(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<AnswerBody>,
) -> Result<Json<Consultation>, ApiError> {
    Ok(Json(s.store.answer_consultation_comment(&ctx.actor, id, b.answer, &b.reason).await?))
}

/// End the round once every comment has its answer.
#[utoipa::path(post, path = "/api/v1/consultations/{id}/close", tag = "plans", params(("id" = i64, Path)),
    responses((status = 200, body = Consultation), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
async fn close(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Json<Consultation>, ApiError> {
    Ok(Json(s.store.close_consultation(&ctx.actor, id).await?))
}

/// The register ("Tổng hợp ý kiến của các đơn vị"): its counts, then one row per unit and
/// comment with the drafting body's answer.
#[utoipa::path(get, path = "/api/v1/consultations/{id}/register.xlsx", tag = "plans", params(("id" = i64, Path)),
    responses((status = 200, content((Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), (status = 404, body = crate::error::Problem)))]
async fn register_workbook(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<axum::response::Response, ApiError> {
    let c = s.store.get_consultation(&ctx.actor, id).await?;
    let bytes = tokio::task::spawn_blocking(move || register_xlsx(&c))
        .await
        .map_err(khien_domain::Error::internal)?
        .map_err(khien_domain::Error::internal)?;
    Ok(crate::api::list_exports::xlsx_download(bytes, &format!("tong-hop-y-kien-{id}.xlsx")))
}

fn register_xlsx(c: &Consultation) -> Result<Vec<u8>, khien_formats::ExportError> {
    use khien_formats::sheet::{Cell, Table};
    let answer_head = format!("Ý kiến của {}", c.drafting_unit_name);
    let headers = ["STT", "Đơn vị", "Phần góp ý", "Nội dung góp ý của các đơn vị", answer_head.as_str()];
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for (n, u) in c.units.iter().filter(|u| u.replied).enumerate() {
        let number = Cell::from((n + 1) as i64);
        if u.comments.is_empty() {
            rows.push(vec![number, u.unit_name.clone().into(), Cell::Empty, "Thống nhất".into(), Cell::Empty]);
            continue;
        }
        for (i, x) in u.comments.iter().enumerate() {
            let (number, unit) =
                if i == 0 { (number.clone(), u.unit_name.clone().into()) } else { (Cell::Empty, Cell::Empty) };
            rows.push(vec![
                number,
                unit,
                x.section.clone().into(),
                x.body.clone().into(),
                register_answer(x.answer, &x.reason).into(),
            ]);
        }
    }
    let k = &c.counts;
    let counts: Vec<Vec<Cell>> = [
        ("Số đơn vị được lấy ý kiến", k.asked),
        ("Số lượng ý kiến", k.replied),
        ("Thống nhất", k.agreed),
        ("Có ý kiến", k.with_comments),
        ("Chưa gửi ý kiến", k.asked - k.replied),
        ("Ý kiến được tiếp thu", k.accepted),
        ("Ý kiến không tiếp thu", k.not_accepted),
        ("Chưa giải trình", k.unanswered),
    ]
    .into_iter()
    .map(|(label, n)| vec![Cell::from(label), Cell::from(n)])
    .collect();
    let missing: Vec<Vec<Cell>> =
        c.units.iter().filter(|u| !u.replied).map(|u| vec![Cell::from(u.unit_name.clone())]).collect();
    khien_formats::sheet::write_tables_xlsx(&[
        Table { name: "Tong hop y kien", headers: &headers, rows: &rows },
        Table { name: "So luong", headers: &[c.title.as_str(), "Số lượng"], rows: &counts },
        Table { name: "Chua gop y", headers: &["Đơn vị chưa gửi ý kiến"], rows: &missing },
    ])
}
