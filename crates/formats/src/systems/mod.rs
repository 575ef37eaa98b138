//! Import of information systems (hệ thống thông tin) from Khiên's
//! template as CSV or XLSX, and the template itself.
//!
//! Same machinery as the units importer: the shared readers, header
//! matching by folded Vietnamese/English spellings, errors naming file,
//! row, column and reason. All or nothing: the first problem found is
//! returned and no partial list ever is.
//!
//! Left to the caller: that `owner_unit_code` names an existing unit the
//! importer may act for, that each `ip_ranges` item is a valid CIDR, that a
//! `code` is not already taken by a system outside the file, and the rules
//! that combine fields (e.g. the go-live gate for `in_operation`).
//! [`SourcedSystem`] builds those errors in the importer's words.

mod choices;
mod columns;
mod table;
mod template;
mod values;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::error::{ExportError, ImportError, ImportErrorKind, Location};
use crate::reader::{self, Format, Sheet};

pub use choices::{
    choice_from_label, Choice, DATA_CATEGORIES, INFRA_SCOPES, SECRET_GRADES, SYSTEM_STATUSES, SYSTEM_TYPES,
};
pub use columns::SystemColumn;

/// Upper bound on data rows (systems) in one file, against runaway inputs.
pub const MAX_SYSTEMS: usize = 100_000;

/// Largest system name, in characters.
pub const MAX_SYSTEM_NAME_CHARS: usize = 300;

/// One information system as read from the template.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemRow {
    /// Unique in the file (ASCII case-insensitively): trimmed, 1–32
    /// characters of `[A-Za-z0-9._-]`, starting with a letter or digit.
    pub code: String,
    /// NFC, trimmed, inner whitespace collapsed, 1–300 characters.
    pub name: String,
    /// Same syntax as `code`; the caller resolves it to a unit.
    pub owner_unit_code: String,
    /// A code of [`SYSTEM_TYPES`].
    pub system_type: String,
    /// At most 2,000 characters.
    pub purpose: Option<String>,
    /// A code of [`SYSTEM_STATUSES`]; `None` when the cell is empty.
    pub status: Option<String>,
    pub info_private: bool,
    pub info_personal: bool,
    pub admin_procedures: bool,
    /// A code of [`SECRET_GRADES`]; `None` when empty.
    pub secret_grade: Option<String>,
    /// Non-negative; 0 when empty.
    pub subjects_basic: i64,
    pub subjects_sensitive: i64,
    /// 0–4; 0 when empty.
    pub online_service_level: i64,
    /// A code of [`INFRA_SCOPES`]; `None` when empty.
    pub infra_scope: Option<String>,
    /// A code of [`DATA_CATEGORIES`]; `None` when empty.
    pub data_category: Option<String>,
    /// At most 200 characters each.
    pub hosting: Option<String>,
    pub vendor: Option<String>,
    /// yyyy-mm-dd, a real calendar day, year ≥ 1900.
    pub go_live_date: Option<String>,
    /// As written, trimmed (at most 253 characters each): the caller
    /// checks them as CIDR.
    pub ip_ranges: Vec<String>,
    pub domains: Vec<String>,
    pub tags: Vec<String>,
}

/// A parsed system with the row it came from and the file's headers, for
/// the checks only the caller can make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcedSystem {
    pub system: SystemRow,
    /// `Location::Row(n)`, n as Excel numbers the row.
    pub location: Location,
    /// Header text of each column as written in the file (shared by all rows).
    headers: Arc<[(SystemColumn, String)]>,
}

impl SourcedSystem {
    /// The column's header as written in the file, or the template's label
    /// when the file lacks the column.
    pub fn column_label(&self, column: SystemColumn) -> &str {
        self.headers.iter().find(|(c, _)| *c == column).map_or(column.label_vi(), |(_, h)| h.as_str())
    }

    /// An error at this system's row and the given column.
    pub fn error(&self, file_name: &str, column: SystemColumn, kind: ImportErrorKind) -> ImportError {
        ImportError::new(file_name, self.location.clone(), Some(self.column_label(column)), kind)
    }

    /// The error to report when `system.owner_unit_code` names no unit.
    pub fn unknown_owner_error(&self, file_name: &str) -> ImportError {
        let code = self.system.owner_unit_code.clone();
        self.error(file_name, SystemColumn::OwnerUnitCode, ImportErrorKind::UnknownOwnerUnit { code })
    }

    /// The error to report when an item of `system.ip_ranges` is no CIDR.
    pub fn invalid_ip_range_error(&self, file_name: &str, value: &str) -> ImportError {
        let kind = ImportErrorKind::InvalidIpRange { value: value.to_string() };
        self.error(file_name, SystemColumn::IpRanges, kind)
    }
}

/// Parses a list of systems from the template (or any sheet with its
/// columns). The format comes from the extension (`.csv`, `.xlsx`, any
/// case) or, failing that, from the content.
pub fn parse_systems(file_name: &str, bytes: &[u8]) -> Result<Vec<SystemRow>, ImportError> {
    parse_systems_sourced(file_name, bytes).map(|v| v.into_iter().map(|s| s.system).collect())
}

/// As [`parse_systems`], keeping each system's row and the file's headers.
pub fn parse_systems_sourced(file_name: &str, bytes: &[u8]) -> Result<Vec<SourcedSystem>, ImportError> {
    let fail = |kind| Err(ImportError::new(file_name, Location::File, None, kind));
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return fail(ImportErrorKind::EmptyFile);
    }
    let sheet = match reader::detect_format(file_name, bytes) {
        Format::Csv => Sheet { rows: reader::csv::read_rows(file_name, bytes, MAX_SYSTEMS)?, merges: Vec::new() },
        Format::Xlsx => reader::xlsx::read_sheet(file_name, bytes, MAX_SYSTEMS, true)?,
        Format::Xls => return fail(ImportErrorKind::LegacyXls),
        Format::Json => {
            let looks_like = reader::json_content(bytes);
            return fail(ImportErrorKind::JsonNotTable { accepted: ".csv, .xlsx", looks_like });
        }
        Format::Unknown | Format::Docx => return fail(ImportErrorKind::CsvOrXlsxOnly),
    };
    table::systems_from_sheet(file_name, sheet)
}

/// The import template: sheet "Hệ thống" with the Vietnamese headers (no
/// example row), sheet "Hướng dẫn" describing every column and its codes.
pub fn systems_template_xlsx() -> Result<Vec<u8>, ExportError> {
    template::workbook().and_then(|mut book| book.save_to_buffer()).map_err(|e| ExportError::Xlsx(e.to_string()))
}

#[cfg(test)]
mod tests;
