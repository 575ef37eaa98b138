//! Reports from the public: sending one and checking its state need no account (both are
//! public by design; sending is rate-limited per address); the queue, routing, moves,
//! conversion into an incident and the files are for staff, scoped like incidents.

use crate::api::paging;
use crate::auth::Ctx;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery};
use crate::AppState;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use khien_domain::incident::public::{MAX_PUBLIC_FILES, PUBLIC_FILES};
use khien_domain::{Error, Msg};
use khien_store::{
    Incident, Page, PublicReport, PublicReportDetail, PublicReportFilter, PublicReportInput, PublicReportStatus,
    UploadedFile,
};
use serde::Deserialize;
use std::net::{IpAddr, SocketAddr};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

/// Largest body of `POST /api/v1/public/reports`: the files in base64 (4/3 of their size)
/// and the text.
pub const MAX_PUBLIC_JSON_BYTES: usize = (MAX_PUBLIC_FILES * PUBLIC_FILES.max_bytes) * 4 / 3 + 64 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(
            OpenApiRouter::new()
                .routes(routes!(submit_report))
                .layer(axum::extract::DefaultBodyLimit::max(MAX_PUBLIC_JSON_BYTES)),
        )
        .routes(routes!(report_status))
        .routes(routes!(list_reports))
        .routes(routes!(get_report))
        .routes(routes!(route_report))
        .routes(routes!(set_state))
        .routes(routes!(convert_report))
        .routes(routes!(download_file))
}

/// Sends a report for an address: counted against the address's limit unless it is refused
/// for its content (then nothing was stored, and it does not count).
pub(crate) async fn submit(
    s: &AppState,
    ip: IpAddr,
    input: &PublicReportInput,
    files: &[UploadedFile],
) -> Result<PublicReportStatus, Error> {
    let hit = s.report_limiter.check(ip)?;
    let result = s.store.submit_public_report(input, files, &ip.to_string()).await;
    if let Err(Error::Invalid { .. } | Error::BadRequest(_)) = &result {
        s.report_limiter.release(hit);
    }
    result
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublicSubmission {
    pub category: khien_domain::incident::public::PublicCategory,
    /// What happened, 20–5000 characters.
    pub description: String,
    pub reporter_name: Option<String>,
    /// Vietnamese (0…, +84…) or international (+…) number.
    pub reporter_phone: Option<String>,
    pub reporter_email: Option<String>,
    /// The address of the page reported.
    pub url: Option<String>,
    /// Agreement that the contact details given may be used to handle the report; required
    /// when any contact detail is given.
    #[serde(default)]
    pub contact_consent: bool,
    /// Up to 3 files: PNG, JPG, WEBP or PDF, each at most 5 MiB, checked by content.
    #[serde(default)]
    pub files: Vec<PublicFile>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublicFile {
    pub file_name: String,
    /// The file's bytes in standard base64.
    pub content_base64: String,
}

/// Send a report to the authority. No account needed; at most a few reports per address in
/// a window (then 429 with Retry-After). Keep the tracking code to check on it.
#[utoipa::path(post, path = "/api/v1/public/reports", tag = "public", request_body = PublicSubmission, security(()),
    responses((status = 201, body = PublicReportStatus), (status = 422, body = crate::error::Problem), (status = 429, body = crate::error::Problem), (status = 413, body = crate::error::Problem)))]
async fn submit_report(
    State(s): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    body: Result<ApiJson<PublicSubmission>, ApiError>,
) -> Result<(StatusCode, Json<PublicReportStatus>), ApiError> {
    let ApiJson(b) = body.map_err(|ApiError(e)| match e {
        Error::TooLarge(_) => Error::TooLarge(Msg::new(
            format!(
                "Nội dung gửi lên quá lớn: tối đa {MAX_PUBLIC_FILES} tệp, mỗi tệp {} MiB.",
                PUBLIC_FILES.max_bytes / 1024 / 1024
            ),
            format!(
                "The request is too large: at most {MAX_PUBLIC_FILES} files of {} MiB each.",
                PUBLIC_FILES.max_bytes / 1024 / 1024
            ),
        )),
        other => other,
    })?;
    use base64::Engine;
    let files = b
        .files
        .iter()
        .map(|f| {
            let bytes = base64::engine::general_purpose::STANDARD.decode(f.content_base64.trim()).map_err(|_| {
                Error::invalid(
                    PUBLIC_FILES.field,
                    format!("Tệp {}: nội dung base64 không hợp lệ.", f.file_name),
                    format!("File {}: the base64 content is not valid.", f.file_name),
                )
            })?;
            Ok(UploadedFile { file_name: f.file_name.clone(), bytes })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let input = PublicReportInput {
        // The store's input is what the public form sends too (a code it checks with the rest).
        category: b.category.code().to_string(),
        description: b.description,
        reporter_name: b.reporter_name,
        reporter_phone: b.reporter_phone,
        reporter_email: b.reporter_email,
        url: b.url,
        contact_consent: b.contact_consent,
    };
    Ok((StatusCode::CREATED, Json(submit(&s, addr.ip(), &input, &files).await?)))
}

/// A tracking code's status; codes looked up in vain count against the address, so the codes
/// cannot be enumerated.
pub(crate) async fn lookup_status(s: &AppState, ip: IpAddr, code: &str) -> Result<PublicReportStatus, Error> {
    let miss = s.lookup_limiter.check(ip)?;
    let found = s.store.public_report_status(code).await;
    if found.is_ok() {
        s.lookup_limiter.release(miss);
    }
    found
}

/// The state of a report by its tracking code: category, state and dates only.
#[utoipa::path(get, path = "/api/v1/public/reports/{code}", tag = "public", params(("code" = String, Path, description = "PA-XXXX-XXXX-XXXX")), security(()),
    responses((status = 200, body = PublicReportStatus), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem), (status = 429, body = crate::error::Problem)))]
async fn report_status(
    State(s): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    Path(code): Path<String>,
) -> Result<Json<PublicReportStatus>, ApiError> {
    Ok(Json(lookup_status(&s, addr.ip(), &code).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PublicReportQuery {
    /// Text of the description, code, address or contact, with or without diacritics.
    pub q: Option<String>,
    /// received, routed, in_progress, resolved, rejected, converted
    #[param(value_type = Option<crate::api::params::PublicState>, inline)]
    pub state: Option<String>,
    #[param(value_type = Option<crate::api::params::PublicCategory>, inline)]
    pub category: Option<String>,
    /// Routed to this unit and its subtree.
    pub unit_id: Option<i64>,
    /// Include resolved, rejected and converted reports.
    #[serde(default)]
    pub include_closed: bool,
    pub cursor: Option<String>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

impl PublicReportQuery {
    pub fn filter(self) -> Result<PublicReportFilter, Error> {
        let (cursor, limit) = paging(self.cursor.as_deref(), self.limit)?;
        Ok(PublicReportFilter {
            q: self.q,
            state: crate::api::code_filter(self.state, |s| {
                khien_domain::incident::public::PublicState::parse("state", s).map(|v| v.code())
            })?,
            category: crate::api::code_filter(self.category, |s| {
                khien_domain::incident::public::PublicCategory::parse("category", s).map(|v| v.code())
            })?,
            unit_id: self.unit_id,
            include_closed: self.include_closed,
            cursor,
            limit,
        })
    }
}

/// The queue: the authority sees every report, a unit those routed to its units. Newest first.
#[utoipa::path(get, path = "/api/v1/public-reports", tag = "public-reports", params(PublicReportQuery), responses((status = 200, body = Page<PublicReport>)))]
async fn list_reports(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<PublicReportQuery>,
) -> Result<Json<Page<PublicReport>>, ApiError> {
    Ok(Json(s.store.list_public_reports(&ctx.actor, &q.filter()?).await?))
}

/// A report with its contact details, files and the moves the caller may make.
#[utoipa::path(get, path = "/api/v1/public-reports/{id}", tag = "public-reports", params(("id" = i64, Path)), responses((status = 200, body = PublicReportDetail), (status = 404, body = crate::error::Problem)))]
async fn get_report(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<PublicReportDetail>, ApiError> {
    Ok(Json(s.store.get_public_report(&ctx.actor, id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RouteBody {
    pub unit_id: i64,
}

/// Send the report to a unit for handling, or to another one (the authority).
#[utoipa::path(post, path = "/api/v1/public-reports/{id}/route", tag = "public-reports", params(("id" = i64, Path)), request_body = RouteBody,
    responses((status = 200, body = PublicReport), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
async fn route_report(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<RouteBody>,
) -> Result<Json<PublicReport>, ApiError> {
    Ok(Json(s.store.route_public_report(&ctx.actor, id, b.unit_id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StateBody {
    /// in_progress, resolved, rejected, or received (back to the authority's queue)
    pub state: khien_domain::incident::public::PublicState,
}

/// Move the report: being handled, resolved, not taken up, reopened.
#[utoipa::path(post, path = "/api/v1/public-reports/{id}/state", tag = "public-reports", params(("id" = i64, Path)), request_body = StateBody,
    responses((status = 200, body = PublicReport), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
async fn set_state(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<StateBody>,
) -> Result<Json<PublicReport>, ApiError> {
    Ok(Json(s.store.set_public_report_state(&ctx.actor, id, b.state).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConvertBody {
    /// The unit the incident belongs to.
    pub unit_id: i64,
    /// An incident category; by default phishing for scams and phishing, else other.
    pub category: Option<khien_domain::incident::Category>,
    /// By default "Phản ánh <code>: <the start of the description>".
    pub title: Option<String>,
}

/// Make the report an incident of a unit (its clocks start at the report's reception); the
/// report is linked to it, in the same transaction.
#[utoipa::path(post, path = "/api/v1/public-reports/{id}/incident", tag = "public-reports", params(("id" = i64, Path)), request_body = ConvertBody,
    responses((status = 201, body = Incident), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
async fn convert_report(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<ConvertBody>,
) -> Result<(StatusCode, Json<Incident>), ApiError> {
    let inc =
        s.store.convert_public_report_to_incident(&ctx.actor, id, b.unit_id, b.category, b.title.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(inc)))
}

/// Download a file sent with a report.
#[utoipa::path(get, path = "/api/v1/public-report-files/{id}", tag = "public-reports", params(("id" = i64, Path)),
    responses((status = 200, description = "The file, with the media type found from its content.",
        content((Vec<u8> = "image/png"), (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/webp"), (Vec<u8> = "application/pdf"))),
        (status = 404, body = crate::error::Problem)))]
async fn download_file(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Response, ApiError> {
    let (f, bytes) = s.store.public_report_file(&ctx.actor, id).await?;
    Ok(super::download(&f.file_name, &f.content_type, &f.sha256, bytes))
}
