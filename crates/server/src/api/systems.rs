//! Information systems, level dossiers, the go-live gate and the holiday calendar.

use crate::api::paging;
use crate::auth::Ctx;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use khien_domain::system::dossier::DossierAction;
use khien_store::{
    Certificate, CertificateInput, Connection, ConnectionInput, Dossier, DossierInput, GoLiveException, Holiday,
    OverviewRow, Page, System, SystemDetail, SystemFilter, SystemInput,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_systems, create_system))
        .routes(routes!(overview))
        .routes(routes!(export_systems))
        .routes(routes!(systems_template))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(import_systems))
                .layer(axum::extract::DefaultBodyLimit::max(crate::web::MAX_IMPORT_BYTES)),
        )
        .routes(routes!(export_overview))
        .routes(routes!(export_form08_systems))
        .routes(routes!(export_form08))
        .routes(routes!(get_system, update_system))
        .routes(routes!(set_status))
        .routes(routes!(record_exception))
        .routes(routes!(list_dossiers, create_dossier))
        .routes(routes!(pending_dossiers))
        .routes(routes!(get_dossier, update_dossier))
        .routes(routes!(act_on_dossier))
        .routes(routes!(list_holidays))
        .routes(routes!(set_holiday, remove_holiday))
        .routes(routes!(list_rulesets))
        .routes(routes!(set_authority))
        .routes(routes!(get_level_bodies, set_level_bodies))
        .routes(routes!(list_clock_rules))
        .routes(routes!(set_clock_rules))
        .routes(routes!(list_connections, add_connection))
        .routes(routes!(remove_connection))
        .routes(routes!(list_certificates, add_certificate))
        .routes(routes!(list_attachments))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(add_attachment))
                .layer(axum::extract::DefaultBodyLimit::max(crate::web::MAX_IMPORT_BYTES + 1024)),
        )
        .routes(routes!(download_attachment))
        .routes(routes!(remove_certificate))
}

/// Files attached to a dossier (metadata; download each by id).
#[utoipa::path(get, path = "/api/v1/dossiers/{id}/attachments", tag = "dossiers", params(("id" = i64, Path)), responses((status = 200, body = Vec<khien_store::Attachment>)))]
async fn list_attachments(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<Vec<khien_store::Attachment>>, ApiError> {
    Ok(Json(s.store.attachments_of(&ctx.actor, id).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AttachQuery {
    /// The dossier part: overview, design, level_justification, protection_plan, expert_opinion.
    #[param(value_type = crate::api::params::DossierPart, inline)]
    part: String,
    file_name: String,
}

/// Attach a file (raw body; PDF, DOC/DOCX, XLS/XLSX, ODT/ODS, PNG, JPG or ZIP, checked by
/// content; at most 20 MiB) to a draft or returned dossier. Its SHA-256 is stored.
#[utoipa::path(post, path = "/api/v1/dossiers/{id}/attachments", tag = "dossiers", params(("id" = i64, Path), AttachQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = khien_store::Attachment), (status = 422, body = crate::error::Problem)))]
async fn add_attachment(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiQuery(q): ApiQuery<AttachQuery>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<khien_store::Attachment>), ApiError> {
    Ok((StatusCode::CREATED, Json(s.store.add_attachment(&ctx.actor, id, &q.part, &q.file_name, &body).await?)))
}

/// Download an attachment.
#[utoipa::path(get, path = "/api/v1/attachments/{id}", tag = "dossiers", params(("id" = i64, Path)),
    responses((status = 200, description = "The file, with the media type found from its content.", content(
        (Vec<u8> = "application/pdf"), (Vec<u8> = "application/msword"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (Vec<u8> = "application/vnd.ms-excel"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (Vec<u8> = "application/vnd.oasis.opendocument.text"), (Vec<u8> = "application/vnd.oasis.opendocument.spreadsheet"),
        (Vec<u8> = "image/png"), (Vec<u8> = "image/jpeg"), (Vec<u8> = "application/zip"))),
        (status = 404, body = crate::error::Problem)))]
async fn download_attachment(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<axum::response::Response, ApiError> {
    let (a, bytes) = s.store.attachment_file(&ctx.actor, id).await?;
    Ok(super::download(&a.file_name, &a.content_type, &a.sha256, bytes))
}

/// A system's data-sharing connections (APIs).
#[utoipa::path(get, path = "/api/v1/systems/{id}/connections", tag = "systems", params(("id" = i64, Path)), responses((status = 200, body = Vec<Connection>)))]
async fn list_connections(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Connection>>, ApiError> {
    Ok(Json(s.store.connections_of(&ctx.actor, id).await?))
}

/// Record a data-sharing connection: peer, data, authentication, encryption, approval.
#[utoipa::path(post, path = "/api/v1/systems/{id}/connections", tag = "systems", params(("id" = i64, Path)), request_body = ConnectionInput,
    responses((status = 201, body = Connection), (status = 422, body = crate::error::Problem)))]
async fn add_connection(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<ConnectionInput>,
) -> Result<(StatusCode, Json<Connection>), ApiError> {
    Ok((StatusCode::CREATED, Json(s.store.add_connection(&ctx.actor, id, &b).await?)))
}

/// Remove a data-sharing connection.
#[utoipa::path(delete, path = "/api/v1/connections/{id}", tag = "systems", params(("id" = i64, Path)), responses((status = 204), (status = 404, body = crate::error::Problem)))]
async fn remove_connection(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<StatusCode, ApiError> {
    s.store.remove_connection(&ctx.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A system's digital-signature tokens and certificates; `expiring` flags those within 30 days.
#[utoipa::path(get, path = "/api/v1/systems/{id}/certificates", tag = "systems", params(("id" = i64, Path)), responses((status = 200, body = Vec<Certificate>)))]
async fn list_certificates(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Certificate>>, ApiError> {
    Ok(Json(s.store.certificates_of(&ctx.actor, id).await?))
}

/// Record a USB token or certificate (holder, serial, issuer, expiry).
#[utoipa::path(post, path = "/api/v1/systems/{id}/certificates", tag = "systems", params(("id" = i64, Path)), request_body = CertificateInput,
    responses((status = 201, body = Certificate), (status = 422, body = crate::error::Problem)))]
async fn add_certificate(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<CertificateInput>,
) -> Result<(StatusCode, Json<Certificate>), ApiError> {
    Ok((StatusCode::CREATED, Json(s.store.add_certificate(&ctx.actor, id, &b).await?)))
}

/// Remove a token or certificate.
#[utoipa::path(delete, path = "/api/v1/certificates/{id}", tag = "systems", params(("id" = i64, Path)), responses((status = 204), (status = 404, body = crate::error::Problem)))]
async fn remove_certificate(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<StatusCode, ApiError> {
    s.store.remove_certificate(&ctx.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SystemQuery {
    /// Search in name and code, ignoring diacritics.
    q: Option<String>,
    /// Exactly this system code.
    code: Option<String>,
    /// Systems owned by this unit or its sub-units.
    unit_id: Option<i64>,
    /// Approved level 1–5.
    #[param(minimum = 1, maximum = 5)]
    level: Option<i64>,
    /// planned, building, in_operation, suspended, decommissioned
    #[param(value_type = Option<crate::api::params::SystemStatus>, inline)]
    status: Option<String>,
    /// draft, submitted, returned, appraised, approved, superseded, or `none`.
    #[param(value_type = Option<crate::api::params::DossierState>, inline)]
    dossier_state: Option<String>,
    /// Only systems with a missing or expired protection layer.
    #[serde(default)]
    layer_gap: bool,
    /// Only systems operating without an approved level (gate violations).
    #[serde(default)]
    violations: bool,
    cursor: Option<String>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
}

/// The registry: systems of the units the caller may see, by name.
#[utoipa::path(get, path = "/api/v1/systems", tag = "systems", params(SystemQuery), responses((status = 200, body = Page<System>)))]
async fn list_systems(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<SystemQuery>,
) -> Result<Json<Page<System>>, ApiError> {
    Ok(Json(s.store.list_systems(&ctx.actor, &q.filter()?).await?))
}

impl SystemQuery {
    fn filter(self) -> Result<SystemFilter, khien_domain::Error> {
        use khien_domain::system::{dossier::DossierState, Lifecycle};
        let (cursor, limit) = paging(self.cursor.as_deref(), self.limit)?;
        if self.level.is_some_and(|l| !(1..=5).contains(&l)) {
            return Err(khien_domain::Error::invalid("level", "Cấp độ từ 1 đến 5.", "The level is 1 to 5."));
        }
        // An empty value means any (as the filters send it); any other must be a known code.
        let status = self
            .status
            .filter(|s| !s.is_empty())
            .map(|s| Lifecycle::parse("status", &s).map(|v| v.code().to_string()))
            .transpose()?;
        let dossier_state = match self.dossier_state.filter(|s| !s.is_empty()) {
            Some(d) if d == "none" => Some(d),
            Some(d) => Some(DossierState::parse("dossier_state", &d)?.code().to_string()),
            None => None,
        };
        Ok(SystemFilter {
            q: self.q,
            code: self.code,
            unit_id: self.unit_id,
            level: self.level,
            status,
            dossier_state,
            layer_gap: self.layer_gap,
            violations: self.violations,
            cursor,
            limit,
        })
    }
}

fn xlsx(bytes: Vec<u8>, file: &'static str) -> axum::response::Response {
    use axum::response::IntoResponse;
    let disposition = format!("attachment; filename=\"{file}\"");
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

/// The filtered registry as XLSX (same filters as the list, every page).
#[utoipa::path(get, path = "/api/v1/systems/export", tag = "systems", params(SystemQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>)))]
async fn export_systems(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<SystemQuery>,
) -> Result<axum::response::Response, ApiError> {
    use khien_formats::Cell;
    // Every page goes out; `limit` and `cursor` are checked as on the list, then not used.
    paging(q.cursor.as_deref(), q.limit)?;
    let mut f = SystemQuery { limit: Some(khien_domain::page::MAX_LIMIT), cursor: None, ..q }.filter()?;
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    loop {
        let page = s.store.list_systems(&ctx.actor, &f).await?;
        for x in page.items {
            rows.push(vec![
                x.code.into(),
                x.name.into(),
                x.owner_unit_name.into(),
                x.system_type.into(),
                x.status.into(),
                x.approved_level.into(),
                x.dossier_state.into(),
                x.go_live_date.into(),
                x.ip_ranges.join(", ").into(),
                x.domains.join(", ").into(),
            ]);
        }
        match page.next_cursor {
            Some(c) => f.cursor = Some(khien_domain::page::Cursor::decode(&c)?),
            None => break,
        }
    }
    let headers = [
        "Mã hệ thống",
        "Tên hệ thống",
        "Đơn vị chủ quản",
        "Loại",
        "Trạng thái",
        "Cấp độ đã phê duyệt",
        "Hồ sơ",
        "Ngày vận hành",
        "Dải IP",
        "Tên miền",
    ];
    let bytes = khien_formats::write_table_xlsx("Hệ thống thông tin", &headers, &rows)
        .map_err(khien_domain::Error::internal)?;
    Ok(xlsx(bytes, "he-thong-thong-tin.xlsx"))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// The file's name; .csv or .xlsx picks the format, and errors name it.
    file_name: String,
}

/// Import systems from CSV or XLSX (the template's columns; raw body, up to 20 MiB). All or
/// nothing: new codes are registered, known codes replaced; the owner is named by unit code.
#[utoipa::path(post, path = "/api/v1/systems/import", tag = "systems", params(ImportQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = khien_store::ImportSummary), (status = 422, body = crate::error::Problem)))]
async fn import_systems(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: axum::body::Bytes,
) -> Result<Json<khien_store::ImportSummary>, ApiError> {
    Ok(Json(crate::systems_io::import(&s, &ctx, &q.file_name, &body).await?))
}

/// The systems import template (XLSX with Vietnamese headers and a guide sheet).
#[utoipa::path(get, path = "/api/v1/systems/template", tag = "systems",
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>)))]
async fn systems_template(_ctx: Ctx) -> Result<axum::response::Response, ApiError> {
    Ok(xlsx(crate::systems_io::template()?, "mau-nhap-he-thong.xlsx"))
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

/// Register a system of a unit the caller works for.
#[utoipa::path(post, path = "/api/v1/systems", tag = "systems", request_body = SystemInput,
    responses((status = 201, body = System), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn create_system(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<SystemInput>,
) -> Result<(StatusCode, Json<System>), ApiError> {
    Ok((StatusCode::CREATED, Json(s.store.create_system(&ctx.actor, &b).await?)))
}

/// A system with its suggested level (and reasons), its four layers and gate status.
#[utoipa::path(get, path = "/api/v1/systems/{id}", tag = "systems", params(("id" = i64, Path)),
    responses((status = 200, body = SystemDetail), (status = 404, body = crate::error::Problem)))]
async fn get_system(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Json<SystemDetail>, ApiError> {
    Ok(Json(s.store.get_system(&ctx.actor, id).await?))
}

/// Replace a system's attributes (status, level and dossier go through their own endpoints).
#[utoipa::path(put, path = "/api/v1/systems/{id}", tag = "systems", params(("id" = i64, Path)), request_body = SystemInput,
    responses((status = 200, body = System), (status = 409, body = crate::error::Problem)))]
async fn update_system(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<SystemInput>,
) -> Result<Json<System>, ApiError> {
    Ok(Json(s.store.update_system(&ctx.actor, id, &b).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetStatus {
    /// planned, building, in_operation, suspended, decommissioned
    status: String,
}

/// Change a system's lifecycle status. Going into operation needs an approved level or an
/// unexpired exception (the go-live gate).
#[utoipa::path(put, path = "/api/v1/systems/{id}/status", tag = "systems", params(("id" = i64, Path)), request_body = SetStatus,
    responses((status = 200, body = System), (status = 422, body = crate::error::Problem)))]
async fn set_status(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<SetStatus>,
) -> Result<Json<System>, ApiError> {
    Ok(Json(s.store.set_system_status(&ctx.actor, id, &b.status).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewException {
    reason: String,
    /// yyyy-mm-dd or dd/mm/yyyy.
    expires_on: String,
}

/// The authority records an exception to the go-live gate, with a reason and an expiry.
#[utoipa::path(post, path = "/api/v1/systems/{id}/exceptions", tag = "systems", params(("id" = i64, Path)), request_body = NewException,
    responses((status = 201, body = GoLiveException), (status = 403, body = crate::error::Problem)))]
async fn record_exception(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<NewException>,
) -> Result<(StatusCode, Json<GoLiveException>), ApiError> {
    Ok((StatusCode::CREATED, Json(s.store.record_exception(&ctx.actor, id, &b.reason, &b.expires_on).await?)))
}

/// Counts by owner unit (NĐ 331 Mẫu 08: classified, dossier prepared, appraised, approved,
/// periodically assessed) with 4-layer coverage and gate violations; the last row is the total.
#[utoipa::path(get, path = "/api/v1/systems/overview", tag = "systems", responses((status = 200, body = Vec<OverviewRow>)))]
async fn overview(State(s): State<AppState>, ctx: Ctx) -> Result<Json<Vec<OverviewRow>>, ApiError> {
    Ok(Json(s.store.overview(&ctx.actor).await?))
}

/// A system's level dossiers, newest first.
#[utoipa::path(get, path = "/api/v1/systems/{id}/dossiers", tag = "dossiers", params(("id" = i64, Path)), responses((status = 200, body = Vec<Dossier>)))]
async fn list_dossiers(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Dossier>>, ApiError> {
    Ok(Json(s.store.dossiers_of(&ctx.actor, id).await?))
}

/// Open a draft level dossier (proposed_level 0 takes the suggestion).
#[utoipa::path(post, path = "/api/v1/systems/{id}/dossiers", tag = "dossiers", params(("id" = i64, Path)), request_body = DossierInput,
    responses((status = 201, body = Dossier), (status = 409, body = crate::error::Problem)))]
async fn create_dossier(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<DossierInput>,
) -> Result<(StatusCode, Json<Dossier>), ApiError> {
    Ok((StatusCode::CREATED, Json(s.store.create_dossier(&ctx.actor, id, &b).await?)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PendingDossier {
    #[serde(flatten)]
    dossier: Dossier,
    system_name: String,
    unit_name: String,
}

/// Dossiers waiting for appraisal or approval in the caller's scope, with their deadlines.
#[utoipa::path(get, path = "/api/v1/dossiers/pending", tag = "dossiers", responses((status = 200, body = Vec<PendingDossier>)))]
async fn pending_dossiers(State(s): State<AppState>, ctx: Ctx) -> Result<Json<Vec<PendingDossier>>, ApiError> {
    let rows = s.store.pending_dossiers(&ctx.actor).await?;
    Ok(Json(
        rows.into_iter()
            .map(|(dossier, system_name, unit_name)| PendingDossier { dossier, system_name, unit_name })
            .collect(),
    ))
}

/// One dossier.
#[utoipa::path(get, path = "/api/v1/dossiers/{id}", tag = "dossiers", params(("id" = i64, Path)), responses((status = 200, body = Dossier), (status = 404, body = crate::error::Problem)))]
async fn get_dossier(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Json<Dossier>, ApiError> {
    Ok(Json(s.store.get_dossier(&ctx.actor, id).await?.0))
}

/// Edit a draft or returned dossier: proposed level, reason, parts present.
#[utoipa::path(put, path = "/api/v1/dossiers/{id}", tag = "dossiers", params(("id" = i64, Path)), request_body = DossierInput,
    responses((status = 200, body = Dossier), (status = 422, body = crate::error::Problem)))]
async fn update_dossier(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<DossierInput>,
) -> Result<Json<Dossier>, ApiError> {
    Ok(Json(s.store.update_dossier(&ctx.actor, id, &b).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DossierStep {
    /// submit, return, appraise, approve
    action: String,
    /// The comment of a return.
    note: Option<String>,
    /// Approval: decision number and signer.
    decision_number: Option<String>,
    decision_signer: Option<String>,
}

/// Move a dossier through its workflow. Who may act depends on the level and the ruleset.
#[utoipa::path(post, path = "/api/v1/dossiers/{id}/actions", tag = "dossiers", params(("id" = i64, Path)), request_body = DossierStep,
    responses((status = 200, body = Dossier), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn act_on_dossier(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<DossierStep>,
) -> Result<Json<Dossier>, ApiError> {
    let action = DossierAction::parse("action", &b.action)?;
    Ok(Json(
        s.store
            .act_on_dossier(
                &ctx.actor,
                id,
                action,
                b.note.as_deref(),
                b.decision_number.as_deref(),
                b.decision_signer.as_deref(),
            )
            .await?,
    ))
}

/// The holiday calendar used for working-day deadlines.
#[utoipa::path(get, path = "/api/v1/holidays", tag = "calendar", responses((status = 200, body = Vec<Holiday>)))]
async fn list_holidays(State(s): State<AppState>, _ctx: Ctx) -> Result<Json<Vec<Holiday>>, ApiError> {
    Ok(Json(s.store.list_holidays().await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HolidayName {
    name: String,
}

/// Add or rename a holiday (the standing body).
#[utoipa::path(put, path = "/api/v1/holidays/{day}", tag = "calendar", params(("day" = String, Path, description = "yyyy-mm-dd")), request_body = HolidayName,
    responses((status = 200, body = Holiday), (status = 403, body = crate::error::Problem)))]
async fn set_holiday(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(day): Path<String>,
    ApiJson(b): ApiJson<HolidayName>,
) -> Result<Json<Holiday>, ApiError> {
    Ok(Json(s.store.set_holiday(&ctx.actor, &day, &b.name).await?))
}

/// Remove a holiday.
#[utoipa::path(delete, path = "/api/v1/holidays/{day}", tag = "calendar", params(("day" = String, Path)), responses((status = 204), (status = 404, body = crate::error::Problem)))]
async fn remove_holiday(State(s): State<AppState>, ctx: Ctx, Path(day): Path<String>) -> Result<StatusCode, ApiError> {
    s.store.remove_holiday(&ctx.actor, &day).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The level rulesets Khiên applies, with their thresholds and deadlines, and who appraises and
/// approves at each level (the ruleset's defaults with the authority's choices applied).
#[utoipa::path(get, path = "/api/v1/rulesets", tag = "systems", responses((status = 200, body = Vec<Object>)))]
async fn list_rulesets(State(s): State<AppState>, _ctx: Ctx) -> Result<Json<serde_json::Value>, ApiError> {
    Ok(Json(serde_json::to_value(s.store.rulesets().await?).map_err(khien_domain::Error::internal)?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthorityBody {
    /// 1 to 5
    pub level: i64,
    /// appraise or approve
    pub step: String,
    /// security_unit (the dedicated security unit), owner (the owning body or its delegate) or
    /// ministry (appraisal only: the ministry's result is recorded)
    #[schema(pattern = "^(security_unit|owner|ministry)$")]
    pub authority: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LevelBodiesBody {
    /// The owning body (chủ quản, e.g. the city's People's Committee) or the unit it delegated in
    /// writing to approve; absent: the owner unit's leadership approves.
    pub owning_body_unit_id: Option<i64>,
    /// The written delegation's number and date, when approval is delegated.
    pub delegation_ref: Option<String>,
    /// The owning body's dedicated security unit; absent: the standing body's officers appraise.
    pub dedicated_unit_id: Option<i64>,
}

/// The owning body and its dedicated security unit, as the authority named them (NĐ 85 Đ12;
/// NĐ 331 Đ18, Đ20).
#[utoipa::path(get, path = "/api/v1/rulesets/bodies", tag = "systems", responses((status = 200, body = khien_store::LevelBodiesInfo)))]
async fn get_level_bodies(
    State(s): State<AppState>,
    _ctx: Ctx,
) -> Result<Json<khien_store::LevelBodiesInfo>, ApiError> {
    Ok(Json(s.store.level_bodies().await?))
}

/// Name the owning body (or its written delegate) and the dedicated security unit: their
/// people then appraise and approve the level dossiers where the ruleset gives them the step.
/// The city's standing body only.
#[utoipa::path(put, path = "/api/v1/rulesets/bodies", tag = "systems", request_body = LevelBodiesBody,
    responses((status = 200, body = khien_store::LevelBodiesInfo), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn set_level_bodies(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<LevelBodiesBody>,
) -> Result<Json<khien_store::LevelBodiesInfo>, ApiError> {
    Ok(Json(
        s.store
            .set_level_bodies(&ctx.actor, b.owning_body_unit_id, b.delegation_ref.as_deref(), b.dedicated_unit_id)
            .await?,
    ))
}

/// Choose who appraises or approves dossiers of one level under a ruleset (the city's standing
/// body only). Dossiers already opened follow the new choice from their next step.
#[utoipa::path(put, path = "/api/v1/rulesets/{code}/authorities", tag = "systems", params(("code" = String, Path)), request_body = AuthorityBody,
    responses((status = 200, body = Object), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn set_authority(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<AuthorityBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let rs = s.store.set_dossier_authority(&ctx.actor, &code, b.level, &b.step, &b.authority).await?;
    Ok(Json(serde_json::to_value(rs).map_err(khien_domain::Error::internal)?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClockRulesOf {
    pub ruleset: String,
    #[schema(value_type = ClockRulesSchema)]
    pub rules: khien_domain::incident::clocks::ClockRules,
}

/// The schema of `khien_domain::incident::clocks::ClockRules` (the domain crate has no OpenAPI).
#[derive(ToSchema)]
#[schema(as = ClockRules)]
#[allow(dead_code)]
struct ClockRulesSchema {
    /// Notice of every incident, hours from detection (QĐ 05/2017 Đ11.1.a: 120); absent: none.
    #[schema(minimum = 0, maximum = 720)]
    notice_hours: Option<i64>,
    /// Initial report of every incident, hours from detection; absent: none.
    #[schema(minimum = 0, maximum = 720)]
    initial_hours: Option<i64>,
    /// Initial report when beyond the unit's capacity, hours (QĐ 05 Đ11.1.b: 0, at once).
    #[schema(minimum = 0, maximum = 720)]
    beyond_capacity_hours: Option<i64>,
    /// Initial report of a serious incident, hours from detection (NĐ 331 Đ31.2.d: 24).
    #[schema(minimum = 0, maximum = 720)]
    serious_initial_hours: Option<i64>,
    /// Report on signs of harm to national security or public order (NĐ 331 Đ31.2.d: 0).
    #[schema(minimum = 0, maximum = 720)]
    security_hours: Option<i64>,
    /// Cause, scope and remediation, hours from detection (NĐ 331 Đ31.2.d: 72).
    #[schema(minimum = 0, maximum = 720)]
    cause_hours: Option<i64>,
    /// Days after the response ends to the closing report (QĐ 05 Đ11.3: 5).
    #[schema(minimum = 0, maximum = 60)]
    closing_days: Option<i64>,
    /// Notice of a personal-data breach, hours (Luật 91/2025 Đ23: 72).
    #[schema(minimum = 0, maximum = 720)]
    personal_data_hours: Option<i64>,
    /// A city's own report to its police, hours from detection (e.g. Hải Phòng: 24); off by default.
    #[schema(minimum = 0, maximum = 720)]
    city_hours: Option<i64>,
}

/// Incident reporting deadlines per ruleset (hours from detection; closing: days after the
/// response ends). The ruleset in force on the detection date applies.
#[utoipa::path(get, path = "/api/v1/rulesets/clocks", tag = "incidents", responses((status = 200, body = Vec<ClockRulesOf>)))]
async fn list_clock_rules(State(s): State<AppState>, _ctx: Ctx) -> Result<Json<Vec<ClockRulesOf>>, ApiError> {
    Ok(Json(
        s.store
            .clock_rules()
            .await?
            .into_iter()
            .map(|(r, rules)| ClockRulesOf { ruleset: r.to_string(), rules })
            .collect(),
    ))
}

/// Set the incident reporting deadlines of a ruleset (the city's standing body); the clocks of
/// open incidents move at once.
#[utoipa::path(put, path = "/api/v1/rulesets/{code}/clocks", tag = "incidents", params(("code" = String, Path)), request_body = ClockRulesSchema,
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn set_clock_rules(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<khien_domain::incident::clocks::ClockRules>,
) -> Result<StatusCode, ApiError> {
    s.store.set_clock_rules(&ctx.actor, &code, &b).await?;
    Ok(StatusCode::NO_CONTENT)
}
