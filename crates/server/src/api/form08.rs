//! NĐ 331/2026 Mẫu 08, the yearly report, as XLSX: section 1 the counts by unit, section 2 the
//! owning body and its dedicated unit, section 3 one row per system; each alone or all three as
//! the sheets of one workbook — or the whole report as a document (DOCX or PDF, NĐ 30 layout).

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

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Form08Query {
    /// `xlsx` (the default: one sheet per section), `docx` or `pdf` (the report as a document).
    #[param(value_type = Option<crate::api::params::Form08Format>, inline)]
    pub format: Option<String>,
}

/// The whole Mẫu 08 (NĐ 331/2026 Đ35–36): section 1 the counts, section 2 the owning body and
/// its dedicated unit, section 3 the systems — as one workbook, or as a report from the
/// caller's top unit in the NĐ 30/2020 layout (DOCX or PDF) with the three tables.
#[utoipa::path(get, path = "/api/v1/systems/overview/form08", tag = "systems", params(Form08Query),
    responses((status = 200, content(
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (Vec<u8> = "application/pdf"))),
        (status = 422, body = crate::error::Problem)))]
async fn export_form08(
    State(s): State<AppState>,
    ctx: Ctx,
    crate::extract::ApiQuery(q): crate::extract::ApiQuery<Form08Query>,
) -> Result<axum::response::Response, ApiError> {
    use khien_formats::Table;
    let format = q.format.as_deref().map(str::trim).unwrap_or("xlsx");
    if !matches!(format, "xlsx" | "docx" | "pdf") {
        return Err(khien_domain::Error::invalid(
            "format",
            "Định dạng là xlsx, docx hoặc pdf.",
            "The format is xlsx, docx or pdf.",
        )
        .into());
    }
    let counts = form08_counts(s.store.overview(&ctx.actor).await?);
    let bodies = form08_bodies(&s, &ctx).await?;
    let systems = form08_systems(s.store.form08_systems(&ctx.actor).await?);
    if format != "xlsx" {
        let doc = form08_document(&s, &ctx, [&counts, &bodies, &systems]).await?;
        let year = s.store.clock().today_vn().format("%Y");
        return super::incidents::document_response(&doc, Some(format), &format!("mau-08-bao-cao-nam-{year}"));
    }
    let bytes = khien_formats::write_tables_xlsx(&[
        Table { name: "1. Số liệu", headers: &FORM08_COUNT_HEADERS, rows: &counts },
        Table { name: "2. Chủ quản, chuyên trách", headers: &FORM08_BODY_HEADERS, rows: &bodies },
        Table { name: "3. Hệ thống", headers: &FORM08_SYSTEM_HEADERS, rows: &systems },
    ])
    .map_err(khien_domain::Error::internal)?;
    Ok(xlsx(bytes, "mau-08-bao-cao-nam.xlsx"))
}

fn cell_text(c: &khien_formats::Cell) -> String {
    match c {
        khien_formats::Cell::Text(t) => t.clone(),
        khien_formats::Cell::Number(n) => khien_domain::number::grouped(n.round() as i64),
        khien_formats::Cell::Empty => String::new(),
    }
}

/// Mẫu 08 as the report of the caller's top unit: the three sections as tables.
async fn form08_document(
    s: &AppState,
    ctx: &Ctx,
    [counts, bodies, systems]: [&Vec<Vec<khien_formats::Cell>>; 3],
) -> Result<khien_formats::docx::AdminDocument, khien_domain::Error> {
    use khien_formats::docx::{signature_position, AdminDocument, Block, Signing};
    let unit = ctx.actor.grants.iter().min_by_key(|g| g.unit_path.len()).map(|g| g.unit_id).unwrap_or_default();
    let header = s.store.document_header(unit).await?;
    let today = s.store.clock().today_vn();
    let rs = khien_domain::system::level::ruleset_for(today);
    let calendar = rs.annual_report.calendar(today);
    let table = |headers: &[&str], rows: &Vec<Vec<khien_formats::Cell>>| Block::Table {
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows: rows.iter().map(|r| r.iter().map(cell_text).collect()).collect(),
    };
    let blocks = vec![
        Block::Paragraph(format!(
            "Thực hiện Điều 35 Nghị định số 331/2026/NĐ-CP, {} báo cáo kết quả công tác bảo đảm an ninh mạng hệ thống thông tin, số liệu từ ngày {} đến ngày {}, như sau:",
            header.unit_name,
            calendar.period_from.format("%d/%m/%Y"),
            calendar.period_to.format("%d/%m/%Y")
        )),
        Block::Heading("1. Số liệu về hệ thống thông tin".into()),
        table(&FORM08_COUNT_HEADERS, counts),
        Block::Heading("2. Chủ quản hệ thống thông tin và đơn vị chuyên trách".into()),
        table(&FORM08_BODY_HEADERS, bodies),
        Block::Heading("3. Danh sách hệ thống thông tin".into()),
        table(&FORM08_SYSTEM_HEADERS, systems),
    ];
    Ok(AdminDocument {
        parent_body: header.parent_name.clone().unwrap_or_default(),
        issuing_body: header.unit_name.clone(),
        number: None,
        place: crate::services::incident_docs::place(s.config.place_name.as_deref(), &header.root_name),
        date: today,
        doc_type: "Báo cáo".into(),
        title: format!(
            "Kết quả công tác bảo đảm an ninh mạng hệ thống thông tin năm {}",
            calendar.period_to.format("%Y")
        ),
        addressees: vec!["Bộ Công an (Cục An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao)".into()],
        blocks,
        recipients: vec!["Như trên;".into(), "Lưu: VT.".into()],
        signer_position: signature_position(&Signing::Head, header.head_title.as_deref()),
        signer_name: header.head_name.clone().unwrap_or_default(),
    })
}
