//! Import and export of control catalogues (danh mục yêu cầu), see `khien_domain::catalog`.
//!
//! # The table format (CSV or XLSX)
//!
//! One row per node, in tree order or not (parents may come after their children); siblings
//! keep the order of their rows. The header row may follow up to 20 title rows; headers are
//! matched case- and diacritic-insensitively, by key, by Vietnamese label or by an alias:
//!
//! | key | Vietnamese label | content |
//! |---|---|---|
//! | `id` | Mã mục | required; 1–64 characters of `[A-Za-z0-9._-]`, starting with a letter or digit; unique (ASCII case-insensitively) |
//! | `parent_id` | Mã mục cha | the id of the containing group or requirement; empty at the top (the column may be left out) |
//! | `kind` | Loại | `group` / `nhóm` or `requirement` / `yêu cầu` (also `control`), any case, with or without diacritics |
//! | `title_vi` | Tiêu đề tiếng Việt | up to 500 characters; a node needs this or `title_en` |
//! | `title_en` | Tiêu đề tiếng Anh | up to 500 characters |
//! | `description` | Mô tả | optional, may span lines, up to 20,000 characters |
//! | `levels` | Cấp độ áp dụng | levels 1–5 as `1-5`, `3,4,5`, `3+`, `2`; required for a requirement; a group left empty takes the levels of its contents |
//!
//! Required columns: `id`, `kind`, `levels`, and `title_vi` or `title_en`. CSV: UTF-8 (with or
//! without BOM), separated by `,` `;` or tab. XLSX: the first sheet. Text cells starting with
//! `=` `+` `-` `@` are refused (they would run as formulas when exported); exports prefix such
//! values with an apostrophe.
//!
//! Rules (from `khien_domain::catalog`): parents exist and form no cycle; groups nest under
//! groups; requirements sit under groups or requirements (sub-requirements); a node's levels
//! stay within its nearest ancestor's stated levels.
//!
//! All or nothing: the first problem is returned as a [`CatalogError`] naming the file, row,
//! column and reason (in Vietnamese and English); no partial catalogue is ever returned.
//!
//! # The YAML format
//!
//! The same fields under the same keys (`id`, `parent_id`, `kind`, `title_vi`, `title_en`,
//! `description`, `levels`) plus `children`. Nodes nest through `children`, or are flat with
//! `parent_id` as in the table, or both; siblings keep their order in the file. The document
//! is a mapping with `nodes:` or the list of nodes itself:
//!
//! ```yaml
//! nodes:
//!   - id: QL
//!     kind: group          # group | requirement, also nhóm | yêu cầu (as in the table)
//!     title_vi: Quản lý
//!     title_en: Management
//!     levels: 1-5          # as in the table: 1-5, 3+, "3,4,5", 2 (a YAML number 2 too)
//!     description: |
//!       Dòng một
//!       dòng hai
//!     children:
//!       - id: QL.1
//!         kind: requirement
//!         title_vi: Chính sách an toàn
//!         levels: 3+
//!   - id: QL.2
//!     parent_id: QL        # flat, like a table row
//!     kind: yêu cầu
//!     title_vi: Tổ chức
//!     levels: "1,2"
//! ```
//!
//! Values are read as the text written (`1.10` stays `1.10`); empty or `null` is empty. The
//! checks are the table's (id syntax, kinds, levels, lengths, control characters, formula-like
//! text) and its rules. Also refused: a key other than these (naming it), a key written twice,
//! a `parent_id` inside `children` naming another node than the one holding it, a file over
//! [`MAX_OSCAL_BYTES`], and anchors and aliases (`&a`, `*a`) that expand to far more than the
//! file holds ("billion laughs"). Problems name the YAML path (`nodes[3].children[2]`) and the
//! key; syntax errors name the line and character.
//!
//! # OSCAL
//!
//! [`parse_oscal_catalog`] reads an OSCAL catalog (NIST SP 800-53 rev. 5);
//! [`resolve_oscal_profile`] selects a baseline from a catalogue and writes the profile's
//! parameter values and added parts into the descriptions. Errors name the JSON path
//! (`catalog.groups[3].controls[12]`) and the property.

mod builtin;
mod error;
mod oscal;
mod table;
mod write;
mod yaml;

use khien_domain::catalog::{Catalogue, CatalogueMeta};

use crate::error::{ExportError, ImportError, ImportErrorKind, Location};
use crate::reader::{self, Format};

pub use builtin::{builtin_catalogues, try_builtin_catalogues};
pub use error::{CatalogError, CatalogErrorKind};
pub use oscal::catalog::{parse_oscal_catalog, OscalCatalogImport};
pub use oscal::profile::{resolve_oscal_profile, ProfileImport};
pub use oscal::MAX_OSCAL_BYTES;

/// Most data rows in one table file (the domain's node limit).
pub const MAX_CATALOGUE_ROWS: usize = khien_domain::catalog::MAX_NODES;
/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 500;
/// Longest description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 20_000;

/// Reads a catalogue file in the table format (CSV or XLSX) or the YAML format, and checks it
/// with `meta` (code, version, titles, source note: the file holds only the nodes).
///
/// The format comes from the extension (`.csv`, `.xlsx`/`.xlsm`, `.yaml`/`.yml`); for other
/// names, from the content: XLSX by its signature, YAML when its first line that is neither
/// blank nor a `#` comment is `nodes:`, a list item `- …`, `---` or a `%YAML` directive, CSV
/// for other text. JSON (even OSCAL) and Excel 97-2003 files are refused with a reason.
pub fn parse_catalogue_table(file_name: &str, bytes: &[u8], meta: CatalogueMeta) -> Result<Catalogue, CatalogError> {
    let fail = |kind| Err(ImportError::new(file_name, Location::File, None, kind).into());
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return fail(ImportErrorKind::EmptyFile);
    }
    if yaml::is_yaml(file_name, bytes) {
        return yaml::catalogue_from_yaml(file_name, bytes, meta);
    }
    let rows = match reader::detect_format(file_name, bytes) {
        Format::Csv => reader::csv::read_rows(file_name, bytes, MAX_CATALOGUE_ROWS)?,
        Format::Xlsx => reader::xlsx::read_sheet(file_name, bytes, MAX_CATALOGUE_ROWS, false)?.rows,
        Format::Json => {
            let looks_like = reader::json_content(bytes);
            return fail(ImportErrorKind::JsonNotTable { accepted: ".csv, .xlsx, .yaml", looks_like });
        }
        Format::Xls => return fail(ImportErrorKind::LegacyXls),
        Format::Unknown | Format::Docx => return fail(ImportErrorKind::UnknownFormat),
    };
    table::catalogue_from_rows(file_name, rows, meta)
}

/// Writes a catalogue in the table format as UTF-8 CSV with a BOM, CRLF line ends, Vietnamese
/// headers and kinds ("Nhóm", "Yêu cầu"). Parses back to the same catalogue.
pub fn write_catalogue_csv(catalogue: &Catalogue) -> Result<Vec<u8>, ExportError> {
    write::csv(catalogue)
}

/// Writes a catalogue in the table format as XLSX (text cells, a kind dropdown, a second sheet
/// explaining the columns). Parses back to the same catalogue.
pub fn write_catalogue_xlsx(catalogue: &Catalogue) -> Result<Vec<u8>, ExportError> {
    write::xlsx(catalogue.nodes())
}

/// Writes a catalogue in the YAML format (UTF-8): children nested under their parents, empty
/// fields left out, kinds as `group` / `requirement`, a comment line naming the catalogue;
/// nodes nested more than 32 deep are written at the top level with their `parent_id`. Parses
/// back to the same catalogue (text starting like a formula gets an apostrophe, as in CSV).
pub fn write_catalogue_yaml(catalogue: &Catalogue) -> Result<Vec<u8>, ExportError> {
    yaml::yaml(catalogue)
}

/// The XLSX template: the columns, three example rows (a group, a requirement, a
/// sub-requirement from level 3) and the explanation sheet.
pub fn catalog_template_xlsx() -> Result<Vec<u8>, ExportError> {
    write::xlsx(&write::template_nodes())
}

#[cfg(test)]
mod tests;
