//! The incident queue as a workbook (issue 14.6): the same filters and scope as the list, every
//! page, in Vietnamese, for the people who report upward in Excel.

use crate::api::findings::MAX_EXPORT_ROWS;
use crate::api::incidents::IncidentQuery;
use crate::api::paging;
use crate::auth::Ctx;
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use khien_domain::time::display_vn;
use khien_domain::{Error, Lang};
use khien_formats::Cell;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(export_incidents))
}

/// The incidents the list would show (same filters, every page, at most 50,000 rows; the
/// `x-khien-truncated` header says when more matched) as an XLSX workbook.
#[utoipa::path(get, path = "/api/v1/incidents/export", tag = "incidents", params(IncidentQuery),
    responses((status = 200, content((Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 400, body = crate::error::Problem)))]
async fn export_incidents(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<IncidentQuery>,
) -> Result<Response, ApiError> {
    // `limit` and `cursor` are checked as on the list, then every page goes out.
    paging(q.cursor.as_deref(), q.limit)?;
    let mut f = IncidentQuery { limit: Some(khien_domain::page::MAX_LIMIT), cursor: None, ..q }.filter()?;
    let (mut rows, mut truncated): (Vec<Vec<Cell>>, bool) = (Vec::new(), false);
    let when = |v: Option<i64>| v.map(display_vn).into();
    'pages: loop {
        let page = s.store.list_incidents(&ctx.actor, &f).await?;
        for i in page.items {
            if rows.len() >= MAX_EXPORT_ROWS {
                truncated = true;
                break 'pages;
            }
            rows.push(vec![
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
            ]);
        }
        match page.next_cursor {
            Some(c) => f.cursor = Some(khien_domain::page::Cursor::decode(&c)?),
            None => break,
        }
    }
    let headers = [
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
    let bytes = tokio::task::spawn_blocking(move || khien_formats::write_table_xlsx("Sự cố", &headers, &rows))
        .await
        .map_err(Error::internal)?
        .map_err(Error::internal)?;
    let mut r = (
        [
            (axum::http::header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (axum::http::header::CONTENT_DISPOSITION, "attachment; filename=\"su-co.xlsx\""),
        ],
        bytes,
    )
        .into_response();
    if truncated {
        r.headers_mut().insert("x-khien-truncated", axum::http::HeaderValue::from_static("true"));
    }
    Ok(r)
}
