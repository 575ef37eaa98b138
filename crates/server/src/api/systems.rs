//! Information systems, level dossiers and the go-live gate.

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
    Certificate, CertificateInput, Connection, ConnectionInput, Dossier, DossierInput, GoLiveException, OverviewRow,
    Page, System, SystemDetail, SystemFilter, SystemInput,
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
        .routes(routes!(get_system, update_system))
        .routes(routes!(set_status))
        .routes(routes!(record_exception))
        .routes(routes!(list_dossiers, create_dossier))
        .routes(routes!(pending_dossiers))
        .routes(routes!(get_dossier, update_dossier))
        .routes(routes!(act_on_dossier))
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
    /// `name` (the default), `code` or `updated`; `-` reverses.
    #[param(value_type = Option<crate::api::params::SystemSort>, inline)]
    sort: Option<String>,
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
            sort: self.sort.filter(|s| !s.is_empty()),
            cursor,
            limit,
        })
    }
}

pub(crate) fn xlsx(bytes: Vec<u8>, file: &str) -> axum::response::Response {
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
                x.status.code().into(),
                x.approved_level.into(),
                x.dossier_state.map(|d| d.code().to_string()).into(),
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
    Ok(Json(crate::services::systems_io::import(&s, &ctx, &q.file_name, &body).await?))
}

/// The systems import template (XLSX with Vietnamese headers and a guide sheet).
#[utoipa::path(get, path = "/api/v1/systems/template", tag = "systems",
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>)))]
async fn systems_template(_ctx: Ctx) -> Result<axum::response::Response, ApiError> {
    Ok(xlsx(crate::services::systems_io::template()?, "mau-nhap-he-thong.xlsx"))
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
    status: khien_domain::system::Lifecycle,
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
    Ok(Json(s.store.set_system_status(&ctx.actor, id, b.status).await?))
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
    /// The written opinion: required to return (the comments), appraise or approve.
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
