//! Between stored catalogues and their files: import (table CSV/XLSX/YAML, OSCAL catalog, OSCAL
//! profile resolved against a stored catalogue) and export (CSV, XLSX, YAML, the XLSX template).
//! Shared by the API and the web form.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use khien_domain::catalog::{Catalogue, CatalogueMeta, CatalogueNode, LevelSet};
use khien_domain::scope::Actor;
use khien_domain::{Error, Msg};
use khien_formats::catalog::CatalogError;
use khien_store::CatalogueInfo;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Ctx;
use crate::AppState;

/// Largest catalogue file (an OSCAL NIST SP 800-53 catalog is about 10 MiB).
pub const MAX_CATALOGUE_BYTES: usize = 20 * 1024 * 1024;

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CatalogueImportQuery {
    /// `table` (Khiên's catalogue format as CSV, XLSX or YAML, told apart by content and the
    /// file name's extension), `oscal` (an OSCAL catalog in JSON) or `profile` (an OSCAL
    /// profile, resolved against the stored catalogue `source_id`).
    #[param(value_type = crate::api::params::CatalogueImportFormat, inline)]
    pub format: String,
    /// Named in error messages; its extension helps tell CSV, XLSX and YAML apart.
    pub file_name: String,
    /// Catalogue code, e.g. `tcvn-14423-2026` (1–64 of `[A-Za-z0-9._-]`).
    pub code: String,
    /// Version, e.g. `2026` (with `oscal` and `profile`, defaults to the file's own version).
    pub version: Option<String>,
    pub title_vi: Option<String>,
    pub title_en: Option<String>,
    /// `oscal` and `profile` only: the levels every control applies to (e.g. `3-5`); default 1-5.
    pub levels: Option<String>,
    /// `profile` only: the id of the stored catalogue the profile selects from.
    pub source_id: Option<i64>,
}

fn catalog_error(e: &CatalogError) -> Error {
    Error::Invalid { field: Some("file".into()), msg: Msg::new(e.message_vi(), e.message_en()) }
}

fn given(v: &Option<String>) -> Option<String> {
    v.as_ref().map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

fn levels_of(q: &CatalogueImportQuery) -> Result<LevelSet, Error> {
    match given(&q.levels) {
        None => Ok(LevelSet::ALL),
        Some(l) => LevelSet::parse(&l).map_err(|e| {
            let m = e.msg();
            Error::invalid("levels", m.vi, m.en)
        }),
    }
}

/// The form's version and titles override those an OSCAL file states.
fn with_overrides(cat: Catalogue, q: &CatalogueImportQuery) -> Result<Catalogue, Error> {
    let (mut meta, nodes) = cat.into_parts();
    if let Some(v) = given(&q.version) {
        meta.version = v;
    }
    if let Some(t) = given(&q.title_vi) {
        meta.title_vi = t;
    }
    if let Some(t) = given(&q.title_en) {
        meta.title_en = t;
    }
    Catalogue::build(meta, nodes).map_err(|problems| {
        let first = problems
            .first()
            .map(|p| p.msg())
            .unwrap_or_else(|| Msg::new("Danh mục không hợp lệ.", "Invalid catalogue."));
        Error::Invalid { field: Some("file".into()), msg: first }
    })
}

/// Parses and stores a catalogue file; all or nothing.
pub async fn import(s: &AppState, ctx: &Ctx, q: &CatalogueImportQuery, body: &[u8]) -> Result<CatalogueInfo, Error> {
    // Refused before parsing: only the standing body imports.
    if !ctx.actor.can_anywhere(khien_domain::role::Action::ManageCatalogues) {
        return Err(Error::forbidden());
    }
    let code = q.code.trim();
    let cat = match q.format.as_str() {
        "table" | "csv" | "xlsx" | "yaml" => {
            let version = given(&q.version).ok_or_else(|| {
                Error::invalid("version", "Cần ghi phiên bản danh mục.", "The catalogue version is required.")
            })?;
            let title_vi = given(&q.title_vi).unwrap_or_else(|| code.to_string());
            let meta = CatalogueMeta {
                code: code.to_string(),
                version,
                title_en: given(&q.title_en).unwrap_or_else(|| title_vi.clone()),
                title_vi,
                source_note: Msg::new(
                    format!("Nhập từ tệp {} bởi {}.", q.file_name, ctx.actor.label()),
                    format!("Imported from {} by {}.", q.file_name, ctx.actor.label()),
                ),
            };
            khien_formats::catalog::parse_catalogue_table(&q.file_name, body, meta).map_err(|e| catalog_error(&e))?
        }
        "oscal" => {
            let imported = khien_formats::catalog::parse_oscal_catalog(&q.file_name, body, code, levels_of(q)?)
                .map_err(|e| catalog_error(&e))?;
            with_overrides(imported.catalogue, q)?
        }
        "profile" => {
            let source_id = q.source_id.ok_or_else(|| {
                Error::invalid(
                    "source_id",
                    "Hồ sơ OSCAL cần danh mục nguồn để chọn biện pháp.",
                    "An OSCAL profile needs the source catalogue it selects from.",
                )
            })?;
            let source = model(s, &ctx.actor, source_id).await?;
            let resolved =
                khien_formats::catalog::resolve_oscal_profile(&q.file_name, body, &source, code, levels_of(q)?)
                    .map_err(|e| catalog_error(&e))?;
            with_overrides(resolved.catalogue, q)?
        }
        other => {
            return Err(Error::invalid(
                "format",
                format!("Định dạng «{other}» không được hỗ trợ; dùng table (CSV/XLSX/YAML), oscal hoặc profile."),
                format!("The format «{other}» is not supported; use table (CSV/XLSX/YAML), oscal or profile."),
            ))
        }
    };
    s.store.import_catalogue(&ctx.actor, &cat).await
}

/// A stored catalogue version as the domain's checked tree.
pub async fn model(s: &AppState, actor: &Actor, id: i64) -> Result<Catalogue, Error> {
    let tree = s.store.catalogue(actor, id).await?;
    let info = tree.catalogue;
    let meta = CatalogueMeta {
        code: info.code,
        version: info.version,
        title_vi: info.title_vi,
        title_en: info.title_en,
        source_note: Msg::new(info.source_note_vi, info.source_note_en),
    };
    let mut nodes = Vec::with_capacity(tree.nodes.len());
    for (order, n) in tree.nodes.into_iter().enumerate() {
        let kind = n.kind;
        let levels = LevelSet::from_levels(n.levels.iter().copied()).unwrap_or(LevelSet::EMPTY);
        let mut node = CatalogueNode::new(kind, &n.node_id, n.parent_id.as_deref(), &n.title_vi, &n.title_en, levels);
        node.description = n.description;
        node.order = u32::try_from(order).unwrap_or(u32::MAX);
        nodes.push(node);
    }
    Catalogue::build(meta, nodes)
        .map_err(|p| Error::internal(format!("stored catalogue {id} no longer checks: {:?}", p.first())))
}

/// What a catalogue is exported as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Xlsx,
    Yaml,
}

impl ExportFormat {
    pub fn parse(v: &str) -> Result<ExportFormat, Error> {
        match v {
            "csv" => Ok(ExportFormat::Csv),
            "xlsx" => Ok(ExportFormat::Xlsx),
            "yaml" | "yml" => Ok(ExportFormat::Yaml),
            other => Err(Error::invalid(
                "format",
                format!("Định dạng xuất «{other}» không được hỗ trợ; dùng csv, xlsx hoặc yaml."),
                format!("The export format «{other}» is not supported; use csv, xlsx or yaml."),
            )),
        }
    }
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn file_response(bytes: Vec<u8>, content_type: &str, file: &str) -> Response {
    let disposition = format!("attachment; filename=\"{file}\"");
    ([(header::CONTENT_TYPE, content_type.to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response()
}

/// A catalogue version in Khiên's own format; it imports back as the same tree.
pub async fn export(s: &AppState, actor: &Actor, id: i64, format: ExportFormat) -> Result<Response, Error> {
    let cat = model(s, actor, id).await?;
    // File names keep to ASCII: codes are `[A-Za-z0-9._-]`.
    let stem = format!(
        "{}-{}",
        cat.code(),
        cat.version().chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')).collect::<String>()
    );
    let (bytes, content_type, ext) = match format {
        ExportFormat::Csv => (
            khien_formats::catalog::write_catalogue_csv(&cat).map_err(Error::internal)?,
            "text/csv; charset=utf-8",
            "csv",
        ),
        ExportFormat::Xlsx => {
            (khien_formats::catalog::write_catalogue_xlsx(&cat).map_err(Error::internal)?, XLSX, "xlsx")
        }
        ExportFormat::Yaml => (
            khien_formats::catalog::write_catalogue_yaml(&cat).map_err(Error::internal)?,
            "application/yaml; charset=utf-8",
            "yaml",
        ),
    };
    Ok(file_response(bytes, content_type, &format!("{stem}.{ext}")))
}

/// The XLSX template of the table format, with its explanation sheet (for whoever works on
/// compliance anywhere).
pub fn template(actor: &Actor) -> Result<Response, Error> {
    if !actor.can_anywhere(khien_domain::role::Action::ViewCompliance) {
        return Err(Error::forbidden());
    }
    let bytes = khien_formats::catalog::catalog_template_xlsx().map_err(Error::internal)?;
    Ok(file_response(bytes, XLSX, "mau-danh-muc.xlsx"))
}
