//! Findings: the list with filters, one finding, its lifecycle moves, scanner imports into a
//! system (streamed), per-unit overdue counts, the remediation policy and the POA&M in OSCAL.

use crate::api::paging;
use crate::auth::Ctx;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery};
use crate::AppState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use khien_domain::compliance::remediation::PolicyRow;
use khien_domain::Error;
use khien_formats::scan::ScanTool;
use khien_store::{Finding, FindingFilter, FindingMoveInput, Page, ScanImportSummary, UnitFindingCounts};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

/// Largest scanner report accepted (streamed, never held whole).
pub const MAX_SCAN_BYTES: u64 = 2 * 1024 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_findings))
        .routes(routes!(finding_counts))
        .routes(routes!(finding_count_history))
        .routes(routes!(export_findings))
        .routes(routes!(get_finding))
        .routes(routes!(move_finding))
        .routes(routes!(get_policy, set_policy))
        .routes(routes!(import_scan))
        .routes(routes!(system_poam))
        .routes(routes!(system_ssp))
        .routes(routes!(assessment_oscal))
        .routes(routes!(catalogue_oscal))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FindingQuery {
    /// A unit and its subtree.
    pub unit_id: Option<i64>,
    pub system_id: Option<i64>,
    /// info, low, medium, high, critical
    #[param(value_type = Option<crate::api::params::Severity>, inline)]
    pub severity: Option<String>,
    /// open, in_remediation, fixed, verified, risk_accepted, false_positive
    #[param(value_type = Option<crate::api::params::FindingState>, inline)]
    pub state: Option<String>,
    /// Only findings still owed a fix after their deadline.
    #[serde(default)]
    pub overdue: bool,
    /// Also verified, risk-accepted and false-positive findings.
    #[serde(default)]
    pub include_closed: bool,
    /// A CVE id, e.g. CVE-2014-0224 (the `CVE-` may be left out), or the start of one
    /// (CVE-2021) for every id that begins so.
    pub cve: Option<String>,
    /// Text in the title, host, component or rule, with or without diacritics.
    pub q: Option<String>,
    /// `id` (`-id`, newest first, is the default), `due` (no deadline last) or `detected`; `-`
    /// reverses.
    #[param(value_type = Option<crate::api::params::FindingSort>, inline)]
    pub sort: Option<String>,
    pub cursor: Option<String>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

impl FindingQuery {
    pub fn filter(self) -> Result<FindingFilter, Error> {
        let (cursor, limit) = paging(self.cursor.as_deref(), self.limit)?;
        Ok(FindingFilter {
            unit_id: self.unit_id,
            system_id: self.system_id,
            severity: crate::api::code_filter(self.severity, |s| {
                khien_domain::finding::Severity::parse("severity", s).map(|v| v.code())
            })?,
            state: crate::api::code_filter(self.state, |s| {
                khien_domain::compliance::FindingState::parse("state", s).map(|v| v.code())
            })?,
            overdue: self.overdue,
            include_closed: self.include_closed,
            cve: self.cve,
            q: self.q,
            sort: self.sort.filter(|s| !s.is_empty()),
            cursor,
            limit,
        })
    }
}

/// Findings of the systems the caller may see, newest first (closed ones on request).
#[utoipa::path(get, path = "/api/v1/findings", tag = "findings", params(FindingQuery), responses((status = 200, body = Page<Finding>)))]
async fn list_findings(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<FindingQuery>,
) -> Result<Json<Page<Finding>>, ApiError> {
    Ok(Json(s.store.list_findings(&ctx.actor, &q.filter()?).await?))
}

/// Open, overdue and critical open findings per unit, most overdue first.
#[utoipa::path(get, path = "/api/v1/findings/counts", tag = "findings", responses((status = 200, body = Vec<UnitFindingCounts>)))]
async fn finding_counts(State(s): State<AppState>, ctx: Ctx) -> Result<Json<Vec<UnitFindingCounts>>, ApiError> {
    Ok(Json(s.store.finding_counts(&ctx.actor).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CountHistoryQuery {
    /// First day, `dd/mm/yyyy` or `yyyy-mm-dd`; default 29 days before `to`.
    pub from: Option<String>,
    /// Last day; default today (Vietnam time).
    pub to: Option<String>,
    /// Only this unit and its sub-units.
    pub unit_id: Option<i64>,
}

fn day(field: &str, v: &Option<String>) -> Result<Option<chrono::NaiveDate>, Error> {
    match v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => khien_domain::calendar::parse_date(v).map(Some).ok_or_else(|| {
            Error::invalid(
                field,
                format!("«{v}» không phải ngày (dd/mm/yyyy)."),
                format!("«{v}» is not a date (dd/mm/yyyy)."),
            )
        }),
    }
}

/// The per-unit counts kept day by day (the reminder sweep writes today's on every run), for
/// the ranking of units slow to fix. At most 400 days per request.
#[utoipa::path(get, path = "/api/v1/findings/counts/history", tag = "findings", params(CountHistoryQuery),
    responses((status = 200, body = Vec<khien_store::FindingCountDay>), (status = 422, body = crate::error::Problem)))]
async fn finding_count_history(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<CountHistoryQuery>,
) -> Result<Json<Vec<khien_store::FindingCountDay>>, ApiError> {
    let to = day("to", &q.to)?.unwrap_or_else(|| s.store.clock().today_vn());
    let from = day("from", &q.from)?.unwrap_or(to - chrono::Days::new(29));
    Ok(Json(s.store.finding_count_history(&ctx.actor, q.unit_id, from, to).await?))
}

/// dd/mm/yyyy in Vietnam of a UTC instant in ms.
pub(crate) fn date_vn(ms: i64) -> String {
    khien_domain::calendar::date_vn(ms).format("%d/%m/%Y").to_string()
}

/// The filtered findings as XLSX with Vietnamese headers (same filters as the list, every page,
/// at most 50,000 rows; the `X-Khien-Truncated` header says when more matched).
#[utoipa::path(get, path = "/api/v1/findings/export", tag = "findings", params(FindingQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>)))]
async fn export_findings(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<FindingQuery>,
) -> Result<Response, ApiError> {
    use crate::api::list_exports::{every_page, workbook};
    use khien_domain::Lang;
    use khien_formats::Cell;
    // Every page goes out; `limit` and `cursor` are checked as on the list, then not used.
    paging(q.cursor.as_deref(), q.limit)?;
    let f = FindingQuery { limit: Some(khien_domain::page::MAX_LIMIT), cursor: None, ..q }.filter()?;
    let units: std::collections::HashMap<i64, String> =
        s.store.unit_tree(&ctx.actor).await?.into_iter().map(|u| (u.id, u.name)).collect();
    let (store, actor, f) = (&s.store, &ctx.actor, &f);
    let fetch = |cursor| async move { store.list_findings(actor, &FindingFilter { cursor, ..f.clone() }).await };
    let rows = every_page(fetch, |x: Finding| {
        vec![
            x.id.into(),
            x.severity.label(Lang::Vi).to_string().into(),
            x.cvss.map(Cell::Number).unwrap_or(Cell::Empty),
            x.title.into(),
            x.system_code.into(),
            x.system_name.into(),
            units.get(&x.unit_id).cloned().into(),
            x.host.into(),
            x.port.into(),
            x.protocol.into(),
            x.component.into(),
            x.cves.join(", ").into(),
            x.cwes.join(", ").into(),
            x.tool.into(),
            x.rule_id.into(),
            x.state.label(Lang::Vi).to_string().into(),
            date_vn(x.detected_at).into(),
            x.due_at.map(date_vn).into(),
            (if x.overdue { "Quá hạn" } else { "" }).into(),
            x.accepted_until.as_deref().map(khien_domain::calendar::display_date).into(),
            x.solution.into(),
        ]
    })
    .await?;
    const HEADERS: &[&str] = &[
        "Số",
        "Mức độ",
        "CVSS",
        "Tiêu đề",
        "Mã hệ thống",
        "Tên hệ thống",
        "Đơn vị",
        "Máy chủ",
        "Cổng",
        "Giao thức",
        "Thành phần",
        "CVE",
        "CWE",
        "Công cụ",
        "Mã quy tắc",
        "Trạng thái",
        "Ngày phát hiện",
        "Hạn khắc phục",
        "Quá hạn",
        "Chấp nhận rủi ro đến",
        "Giải pháp",
    ];
    Ok(workbook("Phát hiện", HEADERS, rows, "phat-hien.xlsx").await?)
}

#[utoipa::path(get, path = "/api/v1/findings/{id}", tag = "findings", params(("id" = i64, Path)), responses((status = 200, body = Finding), (status = 404, body = crate::error::Problem)))]
async fn get_finding(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Json<Finding>, ApiError> {
    Ok(Json(s.store.get_finding(&ctx.actor, id).await?))
}

/// Move a finding: the unit starts and finishes the fix, its manager accepts a risk (reason
/// and expiry required), the authority or an assessor verifies, sends back or reopens.
#[utoipa::path(post, path = "/api/v1/findings/{id}/state", tag = "findings", params(("id" = i64, Path)), request_body = FindingMoveInput,
    responses((status = 200, body = Finding), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn move_finding(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<FindingMoveInput>,
) -> Result<Json<Finding>, ApiError> {
    Ok(Json(s.store.move_finding(&ctx.actor, id, &b).await?))
}

#[derive(Debug, serde::Serialize, Deserialize, ToSchema)]
pub struct PolicyRowBody {
    pub severity: khien_domain::finding::Severity,
    /// 1–5
    #[schema(minimum = 1, maximum = 5)]
    pub level: u8,
    /// Days to fix, counted from detection; 0 = no deadline.
    pub days: u32,
    pub working_days: bool,
}

fn policy_body(p: &khien_domain::compliance::Policy) -> Vec<PolicyRowBody> {
    p.rows()
        .iter()
        .map(|r| PolicyRowBody { severity: r.severity, level: r.level, days: r.days, working_days: r.working_days })
        .collect()
}

/// Days to fix a finding by severity and system level (Khiên's defaults under the standing
/// body's changes).
#[utoipa::path(get, path = "/api/v1/remediation-policy", tag = "findings", responses((status = 200, body = Vec<PolicyRowBody>)))]
async fn get_policy(State(s): State<AppState>, _ctx: Ctx) -> Result<Json<Vec<PolicyRowBody>>, ApiError> {
    Ok(Json(policy_body(&s.store.remediation_policy().await?)))
}

/// Change rows of the remediation policy (the standing body). Deadlines already set stay.
#[utoipa::path(put, path = "/api/v1/remediation-policy", tag = "findings", request_body = Vec<PolicyRowBody>,
    responses((status = 200, body = Vec<PolicyRowBody>), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn set_policy(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(rows): ApiJson<Vec<PolicyRowBody>>,
) -> Result<Json<Vec<PolicyRowBody>>, ApiError> {
    let rows = rows
        .iter()
        .map(|r| Ok(PolicyRow { severity: r.severity, level: r.level, days: r.days, working_days: r.working_days }))
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(Json(policy_body(&s.store.set_remediation_policy(&ctx.actor, &rows).await?)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ScanQuery {
    /// The report's file name, as uploaded (used to recognise the tool and in messages).
    pub file_name: String,
    /// nessus, openvas, sarif, trivy or zap; recognised from the content when left out.
    #[param(value_type = Option<crate::api::params::ScanTool>, inline)]
    pub tool: Option<String>,
    /// When the scan ran (dd/mm/yyyy or RFC 3339); deadlines of new findings count from it.
    /// Default: now.
    pub scanned_at: Option<String>,
}

/// A scan date as typed (dd/mm/yyyy, yyyy-mm-dd: the start of that day in Vietnam) or RFC 3339.
pub(crate) fn scan_date(v: Option<&str>) -> Result<Option<i64>, Error> {
    let Some(v) = v.map(str::trim).filter(|v| !v.is_empty()) else { return Ok(None) };
    if let Some(ms) = khien_domain::time::parse_rfc3339(v) {
        return Ok(Some(ms));
    }
    let day = khien_domain::calendar::parse_date(v).ok_or_else(|| {
        Error::invalid("scanned_at", "Ngày quét không hợp lệ (dd/mm/yyyy).", "Not a valid scan date (dd/mm/yyyy).")
    })?;
    Ok(Some(khien_domain::calendar::end_of_day_vn(day.pred_opt().unwrap_or(day)) + 1))
}

/// Import a scanner report (Nessus .nessus v2, OpenVAS/Greenbone XML, SARIF 2.1.0, Trivy JSON,
/// OWASP ZAP XML/JSON) into a system's findings. The body is the file itself, streamed: all or
/// nothing; a re-import recognises known findings, closes those absent and reopens those back.
#[utoipa::path(post, path = "/api/v1/systems/{id}/scans", tag = "findings", params(("id" = i64, Path), ScanQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = ScanImportSummary), (status = 422, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
async fn import_scan(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiQuery(q): ApiQuery<ScanQuery>,
    body: Body,
) -> Result<Json<ScanImportSummary>, ApiError> {
    let scanned_at = scan_date(q.scanned_at.as_deref())?;
    // The whole report arrives before the import takes the write lock.
    let upload = crate::stream::spool(body.into_data_stream(), s.config.upload(MAX_SCAN_BYTES)).await?;
    let tool = scan_tool(q.tool.as_deref().unwrap_or(""), &q.file_name, &upload.head)?;
    Ok(Json(s.store.import_scan_dated(&ctx.actor, id, tool, &q.file_name, scanned_at, upload.reader).await?))
}

/// The tool chosen (`""` or `auto`: recognised from the file's first bytes, then its name).
pub(crate) fn scan_tool(chosen: &str, file_name: &str, head: &[u8]) -> Result<ScanTool, Error> {
    match chosen.trim() {
        "" | "auto" => ScanTool::detect(file_name, head).ok_or_else(|| {
            Error::invalid(
                "tool",
                "Không nhận ra loại báo cáo quét; hãy chọn công cụ.",
                "The scan report's kind was not recognised; choose the tool.",
            )
        }),
        t => ScanTool::parse(t).ok_or_else(|| {
            Error::invalid(
                "tool",
                "Công cụ là nessus, openvas, sarif, trivy hoặc zap.",
                "The tool is nessus, openvas, sarif, trivy or zap.",
            )
        }),
    }
}

/// The system's open findings as an OSCAL 1.1 Plan of Action and Milestones.
#[utoipa::path(get, path = "/api/v1/systems/{id}/oscal/poam", tag = "findings", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/json", body = Object), (status = 404, body = crate::error::Problem)))]
async fn system_poam(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Response, ApiError> {
    Ok(oscal_json(crate::services::oscal_io::system_poam(&s, &ctx.actor, id).await?))
}

fn oscal_json(bytes: Vec<u8>) -> Response {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], bytes).into_response()
}

/// The system's System Security Plan in OSCAL 1.1 (its level in `security-sensitivity-level`;
/// the requirements of its latest assessment's catalogue, or TCVN 14423:2026, at its level).
/// Its `import-profile` names the catalogue file that `/api/v1/catalogues/{id}/oscal` gives.
#[utoipa::path(get, path = "/api/v1/systems/{id}/oscal/ssp", tag = "findings", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/json", body = Object), (status = 404, body = crate::error::Problem)))]
async fn system_ssp(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Response, ApiError> {
    Ok(oscal_json(crate::services::oscal_io::system_ssp(&s, &ctx.actor, id).await?))
}

/// An assessment as OSCAL 1.1 Assessment Results.
#[utoipa::path(get, path = "/api/v1/assessments/{id}/oscal", tag = "findings", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/json", body = Object), (status = 404, body = crate::error::Problem)))]
async fn assessment_oscal(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Response, ApiError> {
    Ok(oscal_json(crate::services::oscal_io::assessment_results(&s, &ctx.actor, id).await?))
}

/// A catalogue as an OSCAL 1.1 catalog.
#[utoipa::path(get, path = "/api/v1/catalogues/{id}/oscal", tag = "findings", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/json", body = Object), (status = 404, body = crate::error::Problem)))]
async fn catalogue_oscal(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Response, ApiError> {
    Ok(oscal_json(crate::services::oscal_io::catalogue_oscal(&s, &ctx.actor, id).await?))
}
