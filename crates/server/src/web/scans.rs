//! The scanner upload: its form, and the multipart post received whole (spooled to a temporary
//! file past 1 MiB) before the import, with the summary or the precise error.

use super::msg;
use super::{render, Chrome};
use crate::api::findings::MAX_SCAN_BYTES;
use crate::auth::Ctx;
use crate::error::WebError;
use crate::AppState;
use askama::Template;
use axum::extract::multipart::Field;
use axum::extract::{Multipart, Query, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use khien_domain::role::Action;
use khien_domain::Error;
use khien_formats::scan::ScanTool;
use khien_store::ScanImportSummary;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/findings/scans",
        get(upload_page)
            .post(upload)
            .layer(axum::extract::DefaultBodyLimit::max(usize::try_from(MAX_SCAN_BYTES).unwrap_or(usize::MAX))),
    )
}

#[derive(Template)]
#[template(path = "scan_result.html")]
struct ScanResultPage {
    c: Chrome,
    file_name: String,
    system_id: Option<i64>,
    summary: Option<ScanImportSummary>,
    /// The first skipped items, and how many more there were.
    skipped: Vec<String>,
    more_skipped: usize,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "scan_upload.html")]
struct UploadPage {
    c: Chrome,
    system: String,
    system_required: bool,
    tools: Vec<(&'static str, &'static str)>,
}

#[derive(Deserialize, Default)]
struct UploadQuery {
    #[serde(default)]
    system: String,
}

/// The scan import form (its own page; a system's page links here with its code).
async fn upload_page(ctx: Ctx, Query(q): Query<UploadQuery>) -> Result<Html<String>, WebError> {
    if !ctx.actor.can_anywhere(Action::RemediateFindings) {
        return Err(Error::forbidden().into());
    }
    let lang = ctx.lang;
    let tools = ScanTool::ALL.iter().map(|t| (t.code(), t.label(lang))).collect();
    render(&UploadPage {
        c: Chrome::new(&ctx, "findings", "Nhập báo cáo quét", "Scan import"),
        system: q.system,
        system_required: true,
        tools,
    })
}

/// The scan form: `system` (a code) or `system_id`, and `tool` first, then `file`. The file part
/// is spooled (never held whole in memory); its first 64 KiB tell the tool.
async fn upload(State(s): State<AppState>, ctx: Ctx, mut mp: Multipart) -> Result<Response, WebError> {
    let mut system_id: Option<i64> = None;
    let mut tool = String::new();
    let mut file_name = String::new();
    let mut outcome: Option<Result<ScanImportSummary, Error>> = None;
    loop {
        let field = match mp.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => {
                outcome = Some(Err(super::upload_error(e)));
                break;
            }
        };
        match field.name() {
            Some("system_id") => match field
                .text()
                .await
                .map_err(super::upload_error)
                .and_then(|v| super::findings::ListForm::number("system_id", &v))
            {
                Ok(v) => system_id = v,
                Err(e) => {
                    outcome = Some(Err(e));
                    break;
                }
            },
            Some("system") => {
                let code = field.text().await.unwrap_or_default();
                if !code.trim().is_empty() {
                    match super::system_by_code(&s, &ctx.actor, "system", &code).await {
                        Ok(sys) => system_id = Some(sys.id),
                        Err(e) => {
                            outcome = Some(Err(e));
                            break;
                        }
                    }
                }
            }
            Some("tool") => tool = field.text().await.unwrap_or_default().trim().to_string(),
            Some("file") => {
                file_name = field.file_name().unwrap_or("").trim().to_string();
                outcome = Some(import_field(&s, &ctx, system_id, &tool, &file_name, field).await);
                break;
            }
            _ => {}
        }
    }
    let outcome = outcome.unwrap_or_else(|| Err(Error::invalid("file", "Chưa chọn tệp.", "No file was chosen.")));
    let (status, summary, error) = match outcome {
        Ok(sum) => (axum::http::StatusCode::OK, Some(sum), None),
        Err(e @ Error::Internal(_)) => return Err(e.into()),
        Err(Error::Unauthenticated(m)) => return Err(Error::Unauthenticated(m).into()),
        Err(e) => (crate::error::status_of(&e), None, Some(e.message(ctx.lang))),
    };
    let skipped_all = summary.as_ref().map(|x| x.skipped.clone()).unwrap_or_default();
    let shown = skipped_all.iter().take(50).cloned().collect();
    let page = render(&ScanResultPage {
        c: Chrome::new(&ctx, "findings", "Nhập báo cáo quét", "Scan import"),
        file_name,
        system_id,
        summary,
        more_skipped: skipped_all.len().saturating_sub(50),
        skipped: shown,
        error,
    })?;
    Ok((status, page).into_response())
}

async fn import_field(
    s: &AppState,
    ctx: &Ctx,
    system_id: Option<i64>,
    tool: &str,
    file_name: &str,
    field: Field<'_>,
) -> Result<ScanImportSummary, Error> {
    let system_id = system_id.ok_or_else(|| Error::invalid("system_id", "Chọn hệ thống.", "Choose a system."))?;
    if file_name.is_empty() {
        return Err(Error::invalid("file", "Chưa chọn tệp.", "No file was chosen."));
    }
    // The whole part arrives before the import takes the write lock.
    let upload = crate::stream::spool(field, s.config.upload(MAX_SCAN_BYTES)).await?;
    if upload.len == 0 {
        return Err(Error::invalid(
            "file",
            format!("Tệp {file_name} rỗng."),
            format!("The file {file_name} is empty."),
        ));
    }
    let tool = crate::api::findings::scan_tool(tool, file_name, &upload.head)?;
    s.store.import_scan(&ctx.actor, system_id, tool, file_name, upload.reader).await
}
