//! Khiên data formats: pure conversions between uploaded/downloaded bytes
//! (CSV, XLSX, JSON) and typed values. No file-system or network I/O.

pub mod botnet_feed;
pub mod catalog;
mod check;
pub mod docx;
pub mod docx_template;
mod error;
pub mod fixtures;
pub mod ical;
pub mod inventory;
pub mod oscal_export;
pub mod package;
pub mod pdf;
pub mod plan_table;
mod reader;
pub mod scan;
pub mod sheet;
pub mod stix;
pub mod systems;
pub mod telemetry;
mod telemetry_cef;
mod telemetry_eve;
mod telemetry_own;
#[cfg(test)]
mod test_support;
mod text;
pub mod units;
mod zip_guard;

pub use catalog::{
    builtin_catalogues, catalog_template_xlsx, parse_catalogue_table, parse_oscal_catalog, resolve_oscal_profile,
    write_catalogue_csv, write_catalogue_xlsx, CatalogError, CatalogErrorKind, OscalCatalogImport, ProfileImport,
};
pub use error::{ExportError, ImportError, ImportErrorKind, JsonContent, Location};
pub use sheet::{write_table_xlsx, write_tables_xlsx, Cell, Table};
pub use systems::{
    choice_from_label, parse_systems, parse_systems_sourced, systems_template_xlsx, Choice, SourcedSystem,
    SystemColumn, SystemRow, DATA_CATEGORIES, INFRA_SCOPES, MAX_SYSTEMS, MAX_SYSTEM_NAME_CHARS, SECRET_GRADES,
    SYSTEM_STATUSES, SYSTEM_TYPES,
};
pub use units::{
    parse_units, parse_units_sourced, unit_type_from_label, write_units_csv, write_units_xlsx, SourcedUnit, UnitRow,
    UnitTypeInfo, MAX_CODE_CHARS, MAX_NAME_CHARS, MAX_UNITS, UNIT_TYPES,
};
