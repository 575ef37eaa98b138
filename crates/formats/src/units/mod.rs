//! Import and export of lists of organisational units (communes, wards,
//! provinces, departments, enterprises…).
//!
//! Inputs: Khiên's template as CSV or XLSX, the template as JSON, the
//! official administrative-unit JSON (provinces with nested "Wards") and
//! the official 34-province CSV. All or nothing: the first problem found
//! is returned and no partial list ever is.

mod csv;
mod json;
mod table;
mod types;
mod validate;
mod xlsx;

use serde::{Deserialize, Serialize};

use crate::error::{ExportError, ImportError, ImportErrorKind, Location};
use crate::reader::{self, Format};
use crate::text::fold_header;

pub use types::{unit_type_from_label, UnitTypeInfo, UNIT_TYPES};

/// One organisational unit as read from (or written to) a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitRow {
    /// Unique code: trimmed, 1–32 characters of `[A-Za-z0-9._-]`, starting
    /// with a letter or digit.
    pub code: String,
    /// Vietnamese name, NFC, trimmed, 1–200 characters.
    pub name: String,
    /// One of the codes in [`UNIT_TYPES`].
    pub unit_type: String,
    /// May name a unit outside the file (already in the database): the
    /// caller checks that it exists.
    pub parent_code: Option<String>,
    pub head_name: Option<String>,
    pub focal_name: Option<String>,
    pub focal_phone: Option<String>,
    pub focal_email: Option<String>,
}

/// Upper bound on data rows (units) in one file, against runaway inputs.
/// The whole country's communes and wards are about 3,300.
pub const MAX_UNITS: usize = 100_000;

/// Largest name / person-name length in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Largest code length in characters.
pub const MAX_CODE_CHARS: usize = 32;

/// The columns of the template, in template order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Field {
    Code,
    Name,
    UnitType,
    ParentCode,
    HeadName,
    FocalName,
    FocalPhone,
    FocalEmail,
}

impl Field {
    pub(crate) const ALL: [Field; 8] = [
        Field::Code,
        Field::Name,
        Field::UnitType,
        Field::ParentCode,
        Field::HeadName,
        Field::FocalName,
        Field::FocalPhone,
        Field::FocalEmail,
    ];

    /// English key, as in JSON and in `UnitRow`.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Field::Code => "code",
            Field::Name => "name",
            Field::UnitType => "unit_type",
            Field::ParentCode => "parent_code",
            Field::HeadName => "head_name",
            Field::FocalName => "focal_name",
            Field::FocalPhone => "focal_phone",
            Field::FocalEmail => "focal_email",
        }
    }

    /// Vietnamese header written by the exporters.
    pub(crate) fn label_vi(self) -> &'static str {
        match self {
            Field::Code => "Mã đơn vị",
            Field::Name => "Tên đơn vị",
            Field::UnitType => "Loại đơn vị",
            Field::ParentCode => "Mã đơn vị cấp trên",
            Field::HeadName => "Thủ trưởng",
            Field::FocalName => "Đầu mối ATTT",
            Field::FocalPhone => "Điện thoại",
            Field::FocalEmail => "Email",
        }
    }

    /// Folded header spellings accepted besides the key and the label.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::Code => &["ma", "code", "ma so", "ma dv", "unit code"],
            Field::Name => &["ten", "name", "ten dv", "unit name"],
            Field::UnitType => &["loai", "type", "loai dv", "unit type"],
            Field::ParentCode => &["ma cap tren", "ma dv cap tren", "parent code", "parent"],
            Field::HeadName => &["thu truong don vi", "head name", "head"],
            Field::FocalName => &["dau moi", "nguoi dau moi", "can bo dau moi attt", "focal name", "focal point"],
            Field::FocalPhone => &["so dien thoai", "sdt", "dien thoai dau moi", "phone", "focal phone"],
            Field::FocalEmail => &["e mail", "thu dien tu", "email dau moi", "focal email"],
        }
    }

    pub(crate) fn required(self) -> bool {
        matches!(self, Field::Code | Field::Name | Field::UnitType)
    }

    /// Recognises a header cell or JSON key, case- and diacritic-insensitively.
    pub(crate) fn from_header(header: &str) -> Option<Field> {
        let h = fold_header(header);
        if h.is_empty() {
            return None;
        }
        Field::ALL
            .into_iter()
            .find(|f| fold_header(f.key()) == h || fold_header(f.label_vi()) == h || f.aliases().contains(&h.as_str()))
    }
}

/// A parsed unit with where it came from, for the checks only the caller
/// can make (does the parent exist in the database?).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcedUnit {
    pub unit: UnitRow,
    /// Row (spreadsheets) or item path (JSON) of the unit.
    pub location: Location,
    /// Header / key of the parent column as written in the file, when the
    /// unit names a parent.
    pub parent_field: Option<String>,
}

impl SourcedUnit {
    /// The error to report when `unit.parent_code` is neither in the file
    /// nor already in the system.
    pub fn unknown_parent_error(&self, file_name: &str) -> ImportError {
        ImportError::new(
            file_name,
            self.location.clone(),
            Some(self.parent_field.as_deref().unwrap_or(Field::ParentCode.key())),
            ImportErrorKind::UnknownParent { code: self.unit.parent_code.clone().unwrap_or_default() },
        )
    }
}

/// Parses a list of units. The format comes from the extension (`.csv`,
/// `.xlsx`, `.json`, any case) or, failing that, from the content.
pub fn parse_units(file_name: &str, bytes: &[u8]) -> Result<Vec<UnitRow>, ImportError> {
    parse_units_sourced(file_name, bytes).map(|v| v.into_iter().map(|s| s.unit).collect())
}

/// As [`parse_units`], keeping each unit's row/item and parent column name.
pub fn parse_units_sourced(file_name: &str, bytes: &[u8]) -> Result<Vec<SourcedUnit>, ImportError> {
    let fail = |kind| Err(ImportError::new(file_name, Location::File, None, kind));
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return fail(ImportErrorKind::EmptyFile);
    }
    match reader::detect_format(file_name, bytes) {
        Format::Csv => csv::parse(file_name, bytes),
        Format::Xlsx => xlsx::parse(file_name, bytes),
        Format::Json => json::parse(file_name, bytes),
        Format::Xls => fail(ImportErrorKind::LegacyXls),
        Format::Unknown | Format::Docx => fail(ImportErrorKind::UnknownFormat),
    }
}

/// Writes the import template's columns (Vietnamese headers) as XLSX, with
/// a second sheet listing the unit types. Parses back to the same rows.
pub fn write_units_xlsx(rows: &[UnitRow]) -> Result<Vec<u8>, ExportError> {
    xlsx::write(rows)
}

/// Writes the import template's columns as UTF-8 CSV with a BOM (so Excel
/// detects the encoding), comma-separated, CRLF line ends.
pub fn write_units_csv(rows: &[UnitRow]) -> Result<Vec<u8>, ExportError> {
    csv::write(rows)
}

#[cfg(test)]
mod tests;
