//! NĐ 331/2026 Mẫu 08, the yearly report, as XLSX: section 1 the counts by unit, section 2 the
//! owning body and its dedicated unit, section 3 one row per system; each alone or all three as
//! the sheets of one workbook.

use super::systems::xlsx;
use crate::auth::Ctx;
use crate::error::ApiError;
use crate::AppState;
use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(export_overview))
        .routes(routes!(export_form08_systems))
        .routes(routes!(export_form08))
}

const FORM08_COUNT_HEADERS: [&str; 10] = [
    "STT",
    "Đơn vị",
    "Số hệ thống",
    "Đã được phân loại (đã xác định loại hình)",
    "Đã xây dựng hồ sơ đề xuất cấp độ",
    "Đã được thẩm định",
    "Đã được phê duyệt cấp độ",
    "Đã phê duyệt, được kiểm tra, đánh giá định kỳ",
    "Đủ 4 lớp bảo vệ",
    "Vận hành chưa phê duyệt (kể cả ngoại lệ)",
];

const FORM08_BODY_HEADERS: [&str; 7] = [
    "Vai trò",
    "Tên cơ quan, đơn vị",
    "Văn bản thành lập / giao nhiệm vụ",
    "Người đại diện",
    "Chức vụ",
    "Địa chỉ",
    "Điện thoại, thư điện tử",
];

const FORM08_SYSTEM_HEADERS: [&str; 12] = [
    "STT",
    "Tên hệ thống thông tin",
    "Chủ quản",
    "Đơn vị vận hành",
    "Cấp độ đề xuất",
    "Tình trạng phê duyệt",
    "Quyết định phê duyệt (số, ngày, người ký)",
    "Quyết định ban hành quy chế",
    "Dự kiến thời gian phê duyệt",
    "Tình trạng triển khai phương án",
    "Dự kiến triển khai đầy đủ",
    "Kiểm tra, đánh giá",
];

/// Mẫu 08 section 1: the counts by unit, the total last.
fn form08_counts(rows: Vec<khien_store::OverviewRow>) -> Vec<Vec<khien_formats::Cell>> {
    use khien_formats::Cell;
    rows.into_iter()
        .enumerate()
        .map(|(i, r)| {
            vec![
                Cell::from(i64::try_from(i + 1).unwrap_or(0)),
                r.unit_name.into(),
                r.systems.into(),
                r.classified.into(),
                r.dossier_prepared.into(),
                r.appraised.into(),
                r.approved.into(),
                r.assessed.into(),
                r.four_layers.into(),
                r.violations.into(),
            ]
        })
        .collect()
}

/// Mẫu 08 section 3: one row per system, in the form's words.
fn form08_systems(rows: Vec<khien_store::Form08System>) -> Vec<Vec<khien_formats::Cell>> {
    use khien_domain::system::dossier::DossierState;
    use khien_domain::system::PlanStatus;
    use khien_formats::Cell;
    let vi = khien_domain::Lang::Vi;
    rows.into_iter()
        .enumerate()
        .map(|(i, r)| {
            let status = r
                .approval_status
                .as_deref()
                .and_then(|c| DossierState::parse("state", c).ok())
                .map(|st| st.label(vi))
                .unwrap_or("");
            let plan = PlanStatus::parse("plan_status", &r.plan_status).map(|p| p.label(vi)).unwrap_or("");
            let assessed: Vec<&str> = r
                .assessments
                .iter()
                .map(|a| if a == "before_use" { "Trước khi đưa vào sử dụng" } else { "Định kỳ" })
                .collect();
            vec![
                Cell::from(i64::try_from(i + 1).unwrap_or(0)),
                r.name.into(),
                r.owner.into(),
                r.operator.into(),
                r.proposed_level.into(),
                status.into(),
                r.decision.into(),
                r.security_rules.into(),
                Cell::Empty,
                plan.into(),
                Cell::Empty,
                assessed.join("; ").into(),
            ]
        })
        .collect()
}

/// Mẫu 08 section 2: the owning body and its dedicated unit, from the units the authority named.
/// What the registry does not hold (founding document, address) is left for the unit to fill.
async fn form08_bodies(s: &AppState, ctx: &Ctx) -> Result<Vec<Vec<khien_formats::Cell>>, khien_domain::Error> {
    use khien_formats::Cell;
    let bodies = s.store.level_bodies().await?;
    let mut rows = Vec::new();
    for (role, id) in [("Chủ quản", bodies.owning_body_unit_id), ("Đơn vị chuyên trách", bodies.dedicated_unit_id)]
    {
        let unit = match id {
            Some(id) => s.store.get_unit(&ctx.actor, id).await.ok(),
            None => None,
        };
        let contact = unit.as_ref().map(|u| {
            [u.focal_phone.clone(), u.focal_email.clone()].into_iter().flatten().collect::<Vec<_>>().join(", ")
        });
        rows.push(vec![
            Cell::from(role),
            unit.as_ref().map(|u| u.name.clone()).into(),
            Cell::Empty,
            unit.as_ref().and_then(|u| u.head_name.clone()).into(),
            unit.as_ref().and_then(|u| u.head_title.clone()).into(),
            Cell::Empty,
            contact.into(),
        ]);
    }
    Ok(rows)
}

/// The overview as the Mẫu 08 (NĐ 331/2026) counts table, XLSX.
#[utoipa::path(get, path = "/api/v1/systems/overview/export", tag = "systems",
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>)))]
async fn export_overview(State(s): State<AppState>, ctx: Ctx) -> Result<axum::response::Response, ApiError> {
    let rows = form08_counts(s.store.overview(&ctx.actor).await?);
    let bytes = khien_formats::write_table_xlsx("Mẫu 08", &FORM08_COUNT_HEADERS, &rows)
        .map_err(khien_domain::Error::internal)?;
    Ok(xlsx(bytes, "mau-08-tong-hop-cap-do.xlsx"))
}

/// Mẫu 08 (NĐ 331/2026) section 3, XLSX: one row per system the caller sees — its proposed
/// level, the approval's state and decision, the security rules' decision, the plan's
/// implementation and its assessments. The columns the registry does not hold (expected
/// dates) are left for the unit to fill in.
#[utoipa::path(get, path = "/api/v1/systems/overview/form08-systems", tag = "systems",
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>)))]
async fn export_form08_systems(State(s): State<AppState>, ctx: Ctx) -> Result<axum::response::Response, ApiError> {
    let rows = form08_systems(s.store.form08_systems(&ctx.actor).await?);
    let bytes = khien_formats::write_table_xlsx("Mẫu 08 - phần 3", &FORM08_SYSTEM_HEADERS, &rows)
        .map_err(khien_domain::Error::internal)?;
    Ok(xlsx(bytes, "mau-08-danh-sach-he-thong.xlsx"))
}

/// The whole Mẫu 08 (NĐ 331/2026 Đ35–36) as one workbook: section 1 the counts, section 2 the
/// owning body and its dedicated unit, section 3 the systems.
#[utoipa::path(get, path = "/api/v1/systems/overview/form08", tag = "systems",
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>)))]
async fn export_form08(State(s): State<AppState>, ctx: Ctx) -> Result<axum::response::Response, ApiError> {
    use khien_formats::Table;
    let counts = form08_counts(s.store.overview(&ctx.actor).await?);
    let bodies = form08_bodies(&s, &ctx).await?;
    let systems = form08_systems(s.store.form08_systems(&ctx.actor).await?);
    let bytes = khien_formats::write_tables_xlsx(&[
        Table { name: "1. Số liệu", headers: &FORM08_COUNT_HEADERS, rows: &counts },
        Table { name: "2. Chủ quản, chuyên trách", headers: &FORM08_BODY_HEADERS, rows: &bodies },
        Table { name: "3. Hệ thống", headers: &FORM08_SYSTEM_HEADERS, rows: &systems },
    ])
    .map_err(khien_domain::Error::internal)?;
    Ok(xlsx(bytes, "mau-08-bao-cao-nam.xlsx"))
}
