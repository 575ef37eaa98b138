//! The response network's roster (issue 17.7): members and applications, a unit's entry, the
//! standing body's decisions, and the roster as a workbook for the national coordinator.

use crate::auth::Ctx;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::AppState;
use axum::extract::{Path, State};
use axum::Json;
use khien_domain::network::{MemberDecision, MemberEntry};
use khien_formats::sheet::Cell;
use khien_store::NetworkMember;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(roster))
        .routes(routes!(roster_workbook))
        .routes(routes!(apply))
        .routes(routes!(decide))
}

/// The roster: every approved member with its 24/7 contact point, public key and capabilities;
/// applications and refusals of the caller's own units.
#[utoipa::path(get, path = "/api/v1/network", tag = "network", responses((status = 200, body = Vec<NetworkMember>)))]
async fn roster(State(s): State<AppState>, ctx: Ctx) -> Result<Json<Vec<NetworkMember>>, ApiError> {
    Ok(Json(s.store.network_roster(&ctx.actor).await?))
}

/// The roster as an Excel workbook (for the national coordinator): the members, and their
/// specialist staff with qualifications and certificates (those the caller may see).
#[utoipa::path(get, path = "/api/v1/network/export", tag = "network",
    responses((status = 200, content((Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))))]
async fn roster_workbook(State(s): State<AppState>, ctx: Ctx) -> Result<axum::response::Response, ApiError> {
    let vi = khien_domain::Lang::Vi;
    let rows: Vec<Vec<Cell>> = s
        .store
        .network_roster(&ctx.actor)
        .await?
        .into_iter()
        .map(|m| {
            vec![
                Cell::from(m.unit_code),
                Cell::from(m.unit_name),
                Cell::from(m.state.label(vi)),
                Cell::from(m.contact_name),
                Cell::from(m.contact_phone),
                Cell::from(m.contact_email),
                Cell::from(m.capabilities),
                Cell::from(if m.public_key.is_empty() { "" } else { "có" }),
            ]
        })
        .collect();
    let headers = super::indicators::headers(&[
        "Mã đơn vị",
        "Đơn vị",
        "Tình trạng",
        "Người trực 24/7",
        "Điện thoại",
        "Thư điện tử",
        "Năng lực",
        "Khóa công khai",
    ]);
    let staff: Vec<Vec<Cell>> = s
        .store
        .network_staff(&ctx.actor)
        .await?
        .into_iter()
        .flat_map(|p| {
            let certificates =
                if p.certificates.is_empty() { vec![None] } else { p.certificates.into_iter().map(Some).collect() };
            let (unit, name, position, skills) = (p.unit_name, p.full_name, p.position, p.qualifications);
            certificates.into_iter().map(move |c| {
                vec![
                    Cell::from(unit.clone()),
                    Cell::from(name.clone()),
                    Cell::from(position.clone()),
                    Cell::from(skills.clone()),
                    Cell::from(c.as_ref().map(|c| c.name.clone()).unwrap_or_default()),
                    Cell::from(c.and_then(|c| c.expires_on).unwrap_or_default()),
                ]
            })
        })
        .collect();
    let staff_headers =
        super::indicators::headers(&["Đơn vị", "Họ và tên", "Chức vụ", "Trình độ, kỹ năng", "Chứng chỉ", "Hết hạn"]);
    let bytes = super::indicators::workbook(vec![
        ("Mạng lưới ứng cứu".into(), headers, rows),
        ("Cán bộ".into(), staff_headers, staff),
    ])
    .await?;
    Ok(super::systems::xlsx(bytes, "mang-luoi-ung-cuu-su-co.xlsx"))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NetworkEntryBody {
    contact_name: String,
    /// 8–15 digits; spaces, dots, dashes, parentheses and a leading + allowed.
    contact_phone: String,
    contact_email: String,
    /// An ASCII-armoured OpenPGP public key block, or empty.
    #[serde(default)]
    public_key: String,
    #[serde(default)]
    capabilities: String,
}

/// The unit's manager applies to the network, or updates the unit's entry (a member stays a
/// member).
#[utoipa::path(put, path = "/api/v1/network/{unit_id}", tag = "network", params(("unit_id" = i64, Path)), request_body = NetworkEntryBody,
    responses((status = 200, body = NetworkMember), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn apply(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(unit_id): Path<i64>,
    ApiJson(b): ApiJson<NetworkEntryBody>,
) -> Result<Json<NetworkMember>, ApiError> {
    let entry = MemberEntry {
        contact_name: b.contact_name,
        contact_phone: b.contact_phone,
        contact_email: b.contact_email,
        public_key: b.public_key,
        capabilities: b.capabilities,
    };
    Ok(Json(s.store.apply_to_network(&ctx.actor, unit_id, &entry).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberDecisionBody {
    decision: MemberDecision,
    /// Required to reject or remove.
    #[serde(default)]
    reason: String,
}

/// The standing body approves or rejects an application, or removes a member.
#[utoipa::path(post, path = "/api/v1/network/{unit_id}/decision", tag = "network", params(("unit_id" = i64, Path)), request_body = MemberDecisionBody,
    responses((status = 200, body = NetworkMember), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn decide(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(unit_id): Path<i64>,
    ApiJson(b): ApiJson<MemberDecisionBody>,
) -> Result<Json<NetworkMember>, ApiError> {
    Ok(Json(s.store.decide_network_member(&ctx.actor, unit_id, b.decision, &b.reason).await?))
}
