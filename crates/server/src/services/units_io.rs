//! Unit list import and export, shared by the web form and the API.

use crate::auth::Ctx;
use crate::AppState;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use khien_domain::{Error, Msg};
use khien_store::{ImportSummary, ImportUnit};
use std::collections::HashMap;

/// Parses a CSV/XLSX/JSON list and stores it in one transaction. Errors name the file, the
/// row and the column.
pub async fn import(s: &AppState, ctx: &Ctx, name: &str, bytes: &[u8], parent_id: i64) -> Result<ImportSummary, Error> {
    // Who may import is settled before any work is spent on the file.
    let parent = s.store.get_unit(&ctx.actor, parent_id).await?;
    ctx.actor.require(khien_domain::role::Action::ManageUnits, parent.id, &parent.path)?;
    let (file, data) = (name.to_string(), bytes.to_vec());
    let rows = tokio::task::spawn_blocking(move || khien_formats::parse_units(&file, &data))
        .await
        .map_err(Error::internal)?
        .map_err(|e| Error::Invalid {
            field: e.field().map(str::to_string),
            msg: Msg::new(e.message_vi(), e.message_en()),
        })?;
    let rows = import_rows(rows);
    s.store
        .import_units(&ctx.actor, parent_id, &rows)
        .await
        .map_err(|e| e.with_prefix(&format!("Tệp {name}: "), &format!("File {name}: ")))
}

/// The store's import rows for parsed file rows.
pub fn import_rows(rows: Vec<khien_formats::UnitRow>) -> Vec<ImportUnit> {
    rows.into_iter()
        .map(|r| ImportUnit {
            code: r.code,
            name: r.name,
            unit_type: r.unit_type,
            parent_code: r.parent_code,
            head_name: r.head_name,
            focal_name: r.focal_name,
            focal_phone: r.focal_phone,
            focal_email: r.focal_email,
        })
        .collect()
}

#[derive(Debug, Clone, Copy)]
pub enum ExportFormat {
    Xlsx,
    Csv,
}

/// The units the caller may see, in the import template's columns (so export → edit in
/// Excel → import round-trips).
pub async fn export(s: &AppState, ctx: &Ctx, format: ExportFormat) -> Result<Response, Error> {
    let units = s.store.unit_tree(&ctx.actor).await?;
    let codes: HashMap<i64, String> = units.iter().map(|u| (u.id, u.code.clone())).collect();
    let rows: Vec<khien_formats::UnitRow> = units
        .into_iter()
        .map(|u| khien_formats::UnitRow {
            parent_code: u.parent_id.and_then(|p| codes.get(&p).cloned()),
            code: u.code,
            name: u.name,
            unit_type: u.unit_type.code().to_string(),
            head_name: u.head_name,
            focal_name: u.focal_name,
            focal_phone: u.focal_phone,
            focal_email: u.focal_email,
        })
        .collect();
    let (bytes, content_type, file) = match format {
        ExportFormat::Xlsx => (
            khien_formats::write_units_xlsx(&rows).map_err(Error::internal)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "attachment; filename=\"don-vi.xlsx\"",
        ),
        ExportFormat::Csv => (
            khien_formats::write_units_csv(&rows).map_err(Error::internal)?,
            "text/csv; charset=utf-8",
            "attachment; filename=\"don-vi.csv\"",
        ),
    };
    Ok(([(header::CONTENT_TYPE, content_type), (header::CONTENT_DISPOSITION, file)], bytes).into_response())
}
