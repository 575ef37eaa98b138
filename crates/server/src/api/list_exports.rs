//! Lists as workbooks (issue 14.6): every page a list would show, with the same filters and
//! scope, as rows of an XLSX sheet in Vietnamese, for the people who report upward in Excel.

use crate::api::audit::AuditQuery;
use crate::api::compliance::AssessmentQuery;
use crate::api::incidents::IncidentQuery;
use crate::api::paging;
use crate::api::public_reports::PublicReportQuery;
use crate::api::users::UserQuery;
use crate::auth::Ctx;
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use khien_domain::page::{Cursor, MAX_LIMIT};
use khien_domain::time::display_vn;
use khien_domain::{Error, Lang};
use khien_formats::Cell;
use khien_store::Page;
use std::future::Future;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The most rows one export holds; the `x-khien-truncated` header says when more matched.
pub const MAX_EXPORT_ROWS: usize = 50_000;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(export_incidents))
        .routes(routes!(export_users))
        .routes(routes!(export_assessments))
        .routes(routes!(export_public_reports))
        .routes(routes!(export_audit))
}

/// The rows of every page `fetch` gives, following the cursors, at most `MAX_EXPORT_ROWS`;
/// `true` when more matched.
pub(crate) async fn every_page<T, Fut>(
    fetch: impl Fn(Option<Cursor>) -> Fut,
    mut row: impl FnMut(T) -> Vec<Cell>,
) -> Result<(Vec<Vec<Cell>>, bool), Error>
where
    Fut: Future<Output = Result<Page<T>, Error>>,
{
    let (mut rows, mut cursor) = (Vec::new(), None);
    loop {
        let page = fetch(cursor.take()).await?;
        for item in page.items {
            if rows.len() >= MAX_EXPORT_ROWS {
                return Ok((rows, true));
            }
            rows.push(row(item));
        }
        match page.next_cursor {
            Some(c) => cursor = Some(Cursor::decode(&c)?),
            None => return Ok((rows, false)),
        }
    }
}

/// The rows as an XLSX download: one sheet, its headings first.
pub(crate) async fn workbook(
    sheet: &'static str,
    headers: &'static [&'static str],
    (rows, truncated): (Vec<Vec<Cell>>, bool),
    file: &'static str,
) -> Result<Response, Error> {
    let bytes = tokio::task::spawn_blocking(move || khien_formats::write_table_xlsx(sheet, headers, &rows))
        .await
        .map_err(Error::internal)?
        .map_err(Error::internal)?;
    let mut r = xlsx_download(bytes, file);
    if truncated {
        r.headers_mut().insert("x-khien-truncated", axum::http::HeaderValue::from_static("true"));
    }
    Ok(r)
}

/// A workbook's bytes as a download named `file`.
pub(crate) fn xlsx_download(bytes: Vec<u8>, file: &str) -> Response {
    let disposition = format!("attachment; filename=\"{file}\"");
    (
        [
            (axum::http::header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (axum::http::header::CONTENT_DISPOSITION, disposition.as_str()),
        ],
        bytes,
    )
        .into_response()
}

/// `limit` and `cursor` are checked as on the list, then every page goes out.
fn check_paging(cursor: Option<&str>, limit: Option<i64>) -> Result<(), Error> {
    paging(cursor, limit).map(|_| ())
}

fn when(v: Option<i64>) -> Cell {
    v.map(display_vn).into()
}

/// The incidents the list would show (same filters, every page) as an XLSX workbook.
#[utoipa::path(get, path = "/api/v1/incidents/export", tag = "incidents", params(IncidentQuery),
    responses((status = 200, content((Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 400, body = crate::error::Problem)))]
async fn export_incidents(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<IncidentQuery>,
) -> Result<Response, ApiError> {
    check_paging(q.cursor.as_deref(), q.limit)?;
    let f = IncidentQuery { limit: Some(MAX_LIMIT), cursor: None, ..q }.filter()?;
    let (store, actor, f) = (&s.store, &ctx.actor, &f);
    let fetch =
        |cursor| async move { store.list_incidents(actor, &khien_store::IncidentFilter { cursor, ..f.clone() }).await };
    let rows = every_page(fetch, |i: khien_store::Incident| {
        vec![
            i.code.into(),
            i.title.into(),
            i.unit_name.into(),
            i.category.label(Lang::Vi).to_string().into(),
            i.state.label(Lang::Vi).to_string().into(),
            i.priority.into(),
            (if i.serious { "Nghiêm trọng" } else { "" }).into(),
            i.tlp.label(Lang::Vi).to_string().into(),
            display_vn(i.detected_at).into(),
            display_vn(i.reported_at).into(),
            when(i.next_due),
            (if i.overdue { "Quá hạn" } else { "" }).into(),
            when(i.closed_at),
        ]
    })
    .await?;
    const HEADERS: &[&str] = &[
        "Mã sự cố",
        "Tiêu đề",
        "Đơn vị báo cáo",
        "Loại sự cố",
        "Trạng thái",
        "Ưu tiên",
        "Nghiêm trọng",
        "Chia sẻ (TLP)",
        "Phát hiện lúc",
        "Báo cáo lúc",
        "Hạn báo cáo tiếp theo",
        "Quá hạn",
        "Đóng lúc",
    ];
    Ok(workbook("Sự cố", HEADERS, rows, "su-co.xlsx").await?)
}

/// The users the list would show (same filters and order, every page) as an XLSX workbook.
#[utoipa::path(get, path = "/api/v1/users/export", tag = "users", params(UserQuery),
    responses((status = 200, content((Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 400, body = crate::error::Problem)))]
async fn export_users(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<UserQuery>,
) -> Result<Response, ApiError> {
    check_paging(q.cursor.as_deref(), q.limit)?;
    let mut q = q;
    (q.limit, q.cursor) = (Some(MAX_LIMIT), None);
    let f = q.filter()?;
    let (store, actor, f) = (&s.store, &ctx.actor, &f);
    let fetch = |cursor| async move { store.list_users(actor, &khien_store::UserFilter { cursor, ..f.clone() }).await };
    let rows = every_page(fetch, |u: khien_store::User| {
        vec![
            u.username.into(),
            u.full_name.into(),
            u.email.into(),
            u.unit_name.into(),
            (if u.active { "Đang hoạt động" } else { "Đã khóa" }).into(),
            display_vn(u.created_at).into(),
        ]
    })
    .await?;
    const HEADERS: &[&str] = &["Tên đăng nhập", "Họ và tên", "Thư điện tử", "Đơn vị", "Trạng thái", "Tạo lúc"];
    Ok(workbook("Người dùng", HEADERS, rows, "nguoi-dung.xlsx").await?)
}

/// The assessments the list would show (same filters, every page) as an XLSX workbook.
#[utoipa::path(get, path = "/api/v1/assessments/export", tag = "compliance", params(AssessmentQuery),
    responses((status = 200, content((Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 400, body = crate::error::Problem)))]
async fn export_assessments(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<AssessmentQuery>,
) -> Result<Response, ApiError> {
    check_paging(q.cursor.as_deref(), q.limit)?;
    let f = AssessmentQuery { limit: Some(MAX_LIMIT), cursor: None, ..q }.filter()?;
    let (store, actor, f) = (&s.store, &ctx.actor, &f);
    let fetch = |cursor| async move {
        store.list_assessments(actor, &khien_store::AssessmentFilter { cursor, ..f.clone() }).await
    };
    let rows = every_page(fetch, |a: khien_store::Assessment| {
        let percent = a.percent.map(|p| khien_domain::number::percent_value(p, Lang::Vi));
        vec![
            a.title.into(),
            a.system_code.into(),
            a.system_name.into(),
            a.unit_name.into(),
            format!("{} ({})", a.catalogue_code, a.catalogue_version).into(),
            a.level.into(),
            a.kind.label(Lang::Vi).to_string().into(),
            a.assessor_unit_name.into(),
            a.state.label(Lang::Vi).to_string().into(),
            a.planned_for.as_deref().map(khien_domain::calendar::display_date).into(),
            a.applicable.into(),
            a.compliant.into(),
            a.partly.into(),
            percent.into(),
        ]
    })
    .await?;
    const HEADERS: &[&str] = &[
        "Đợt đánh giá",
        "Mã hệ thống",
        "Tên hệ thống",
        "Đơn vị",
        "Danh mục",
        "Cấp độ",
        "Hình thức",
        "Tổ chức đánh giá",
        "Trạng thái",
        "Dự kiến",
        "Số yêu cầu áp dụng",
        "Đáp ứng",
        "Đáp ứng một phần",
        "Mức đáp ứng",
    ];
    Ok(workbook("Đánh giá", HEADERS, rows, "danh-gia.xlsx").await?)
}

/// The public reports the queue would show (same filters, every page) as an XLSX workbook.
#[utoipa::path(get, path = "/api/v1/public-reports/export", tag = "public-reports", params(PublicReportQuery),
    responses((status = 200, content((Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 400, body = crate::error::Problem)))]
async fn export_public_reports(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<PublicReportQuery>,
) -> Result<Response, ApiError> {
    check_paging(q.cursor.as_deref(), q.limit)?;
    let f = PublicReportQuery { limit: Some(MAX_LIMIT), cursor: None, ..q }.filter()?;
    let (store, actor, f) = (&s.store, &ctx.actor, &f);
    let fetch = |cursor| async move {
        store.list_public_reports(actor, &khien_store::PublicReportFilter { cursor, ..f.clone() }).await
    };
    let rows = every_page(fetch, |r: khien_store::PublicReport| {
        vec![
            r.code.into(),
            r.category.label(Lang::Vi).to_string().into(),
            r.description.into(),
            r.url.into(),
            r.state.label(Lang::Vi).to_string().into(),
            r.routed_unit_name.into(),
            r.incident_code.into(),
            r.file_count.into(),
            display_vn(r.received_at).into(),
        ]
    })
    .await?;
    const HEADERS: &[&str] = &[
        "Mã phản ánh",
        "Loại",
        "Nội dung",
        "Địa chỉ liên quan",
        "Trạng thái",
        "Chuyển đến đơn vị",
        "Sự cố",
        "Số tệp",
        "Nhận lúc",
    ];
    Ok(workbook("Phản ánh", HEADERS, rows, "phan-anh.xlsx").await?)
}

/// The audit records the log would show (same filters, every page, newest first) as an XLSX
/// workbook; the changes themselves stay in the log and its API.
#[utoipa::path(get, path = "/api/v1/audit/export", tag = "audit", params(AuditQuery),
    responses((status = 200, content((Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 400, body = crate::error::Problem)))]
async fn export_audit(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> Result<Response, ApiError> {
    check_paging(q.cursor.as_deref(), q.limit)?;
    let mut q = q;
    (q.limit, q.cursor) = (Some(MAX_LIMIT), None);
    let f = q.filter()?;
    let (store, actor, f) = (&s.store, &ctx.actor, &f);
    let fetch =
        |cursor| async move { store.list_audit(actor, &khien_store::AuditFilter { cursor, ..f.clone() }).await };
    let label = |code: &str, found: Option<&'static str>| found.map(str::to_string).unwrap_or_else(|| code.to_string());
    let rows = every_page(fetch, |r: khien_store::AuditRecord| {
        let action = label(&r.action, khien_domain::audit_labels::action_label(&r.action, Lang::Vi));
        let entity = label(&r.entity_type, khien_domain::audit_labels::entity_label(&r.entity_type, Lang::Vi));
        vec![
            r.id.into(),
            display_vn(r.at).into(),
            r.actor_name.unwrap_or(r.actor_label).into(),
            action.into(),
            entity.into(),
            r.entity_id.into(),
            r.hash.into(),
        ]
    })
    .await?;
    const HEADERS: &[&str] = &["Số", "Thời điểm", "Người thực hiện", "Thao tác", "Đối tượng", "Mã đối tượng", "Mã băm"];
    Ok(workbook("Nhật ký", HEADERS, rows, "nhat-ky.xlsx").await?)
}
