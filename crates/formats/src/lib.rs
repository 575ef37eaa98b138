//! Khiên data formats: pure conversions between uploaded/downloaded bytes
//! (CSV, XLSX, JSON) and typed values. No file-system or network I/O.

mod error;
pub mod sheet;
mod text;
pub mod units;

pub use sheet::{write_table_xlsx, Cell};
pub use error::{ExportError, ImportError, ImportErrorKind, Location};
pub use units::{
    parse_units, parse_units_sourced, unit_type_from_label, write_units_csv, write_units_xlsx,
    SourcedUnit, UnitRow, UnitTypeInfo, MAX_CODE_CHARS, MAX_NAME_CHARS, MAX_UNITS, UNIT_TYPES,
};
