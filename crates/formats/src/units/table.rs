//! Spreadsheet-shaped input (CSV or the first XLSX sheet): find the header
//! row, map its columns, turn each data row into a unit.

use super::validate::{Collector, RawUnit};
use super::{Field, SourcedUnit, MAX_UNITS};
use crate::error::{ImportError, ImportErrorKind as K, Location};
use crate::text::{column_letter, fold, fold_header};

/// How many non-empty rows may precede the header (titles such as
/// "DANH SÁCH ĐƠN VỊ" that official spreadsheets often carry).
const HEADER_SEARCH_ROWS: usize = 20;

/// Excel's column count (A..XFD); more means a corrupt or hostile file.
pub(crate) const MAX_COLUMNS: usize = 16_384;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Text(String),
    /// An Excel error value such as `#N/A`.
    ExcelError(String),
    /// A date/time cell.
    Date,
}

impl Cell {
    fn is_blank(&self) -> bool {
        matches!(self, Cell::Text(t) if t.trim().is_empty())
    }

    fn header_text(&self) -> &str {
        match self {
            Cell::Text(t) => t.trim(),
            _ => "",
        }
    }
}

/// One row: its 1-based number as the user sees it, and its non-empty
/// cells sorted by 0-based column (sparse, so a stray cell in column XFD
/// costs nothing).
#[derive(Debug, Clone)]
pub(crate) struct SheetRow {
    pub row: usize,
    pub cells: Vec<(usize, Cell)>,
}

impl SheetRow {
    fn cell(&self, col: usize) -> Option<&Cell> {
        self.cells
            .binary_search_by_key(&col, |(c, _)| *c)
            .ok()
            .and_then(|i| self.cells.get(i))
            .map(|(_, cell)| cell)
    }

    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|(_, c)| c.is_blank())
    }
}

/// What the header row says about the columns.
#[derive(Debug, Default)]
struct Header {
    row: usize,
    /// Template columns found: field, 0-based column, header text.
    cols: Vec<(Field, usize, String)>,
    /// Second header of a field already seen: (its text, first header text).
    duplicate: Option<(String, String)>,
    /// Official province list: column of "Tên 34 tỉnh…"-like names.
    province_name_col: Option<(usize, String)>,
    /// Columns after the last non-empty header cell carry no meaning.
    width: usize,
}

impl Header {
    fn read(row: &SheetRow) -> Header {
        let mut h = Header {
            row: row.row,
            ..Header::default()
        };
        for (col, cell) in &row.cells {
            let text = cell.header_text();
            if text.is_empty() {
                continue;
            }
            h.width = col + 1;
            match Field::from_header(text) {
                Some(field) => {
                    if let Some((_, _, first)) = h.cols.iter().find(|(f, _, _)| *f == field) {
                        if h.duplicate.is_none() {
                            h.duplicate = Some((text.to_string(), first.clone()));
                        }
                    } else {
                        h.cols.push((field, *col, text.to_string()));
                    }
                }
                None => {
                    let f = fold_header(text);
                    let is_province_name =
                        f.starts_with("ten") && f.split(' ').any(|w| w == "tinh");
                    if is_province_name && h.province_name_col.is_none() {
                        h.province_name_col = Some((*col, text.to_string()));
                    }
                }
            }
        }
        h
    }

    fn has(&self, field: Field) -> bool {
        self.cols.iter().any(|(f, _, _)| *f == field)
    }

    /// The official province list: codes and province names, no type column.
    fn is_province_list(&self) -> bool {
        self.has(Field::Code)
            && !self.has(Field::Name)
            && !self.has(Field::UnitType)
            && self.province_name_col.is_some()
    }

    fn is_complete(&self) -> bool {
        self.is_province_list()
            || Field::ALL
                .iter()
                .filter(|f| f.required())
                .all(|f| self.has(*f))
    }
}

/// Turns the rows of a sheet into units (all or nothing).
pub(crate) fn units_from_rows(
    file: &str,
    rows: Vec<SheetRow>,
) -> Result<Vec<SourcedUnit>, ImportError> {
    let mut rows = rows.into_iter().filter(|r| !r.is_blank());
    // The first complete header among the first rows; otherwise report the
    // missing columns of the most promising one.
    let mut best: Option<Header> = None;
    let mut chosen: Option<Header> = None;
    for row in rows.by_ref().take(HEADER_SEARCH_ROWS) {
        let h = Header::read(&row);
        if h.is_complete() {
            chosen = Some(h);
            break;
        }
        if best.as_ref().is_none_or(|b| h.cols.len() > b.cols.len()) {
            best = Some(h);
        }
    }
    let header = match (chosen, best) {
        (Some(h), _) => h,
        (None, Some(b)) => {
            let missing = Field::ALL
                .into_iter()
                .find(|f| f.required() && !b.has(*f))
                .unwrap_or(Field::Code);
            return Err(ImportError::new(
                file,
                Location::Row(b.row),
                None,
                K::MissingColumn {
                    label_vi: missing.label_vi(),
                    key: missing.key(),
                },
            ));
        }
        (None, None) => return Err(ImportError::new(file, Location::File, None, K::NoHeader)),
    };
    if let Some((second, first)) = &header.duplicate {
        return Err(ImportError::new(
            file,
            Location::Row(header.row),
            Some(second),
            K::DuplicateColumn {
                first: first.clone(),
            },
        ));
    }

    let mut collector = Collector::new(file);
    for row in rows {
        if let Some((col, _)) = row
            .cells
            .iter()
            .find(|(c, cell)| *c >= header.width && !cell.is_blank())
        {
            return Err(ImportError::new(
                file,
                Location::Row(row.row),
                None,
                K::CellOutsideHeader {
                    column: column_letter(*col),
                },
            ));
        }
        collector.push(raw_unit(file, &header, &row)?)?;
    }
    Ok(collector.finish())
}

/// Reads the mapped cells of one data row; Excel error and date cells are
/// reported only when they sit in a column that is read.
fn raw_unit(file: &str, header: &Header, row: &SheetRow) -> Result<RawUnit, ImportError> {
    let loc = Location::Row(row.row);
    let mut raw = RawUnit::new(loc.clone());
    let read = |col: usize, label: &str| -> Result<String, ImportError> {
        match row.cell(col) {
            None => Ok(String::new()),
            Some(Cell::Text(t)) => Ok(t.clone()),
            Some(Cell::ExcelError(e)) => Err(ImportError::new(
                file,
                loc.clone(),
                Some(label),
                K::ExcelErrorCell(e.clone()),
            )),
            Some(Cell::Date) => Err(ImportError::new(
                file,
                loc.clone(),
                Some(label),
                K::DateCell,
            )),
        }
    };
    if let (true, Some((name_col, name_label))) =
        (header.is_province_list(), &header.province_name_col)
    {
        let name = read(*name_col, name_label)?;
        let f = fold(&name);
        let unit_type = if f.starts_with("thanh pho ") || f.starts_with("tp ") {
            "city"
        } else {
            "province"
        };
        raw.push(Field::Name, name_label, name);
        raw.push(Field::UnitType, name_label, unit_type);
    }
    for (field, col, label) in &header.cols {
        raw.push(*field, label, read(*col, label)?);
    }
    Ok(raw)
}

/// Guard used by the readers while collecting rows.
pub(crate) fn too_many_rows(file: &str, count: usize, row: usize) -> Option<ImportError> {
    // Header and title rows come on top of the units.
    (count > MAX_UNITS + HEADER_SEARCH_ROWS + 1).then(|| {
        ImportError::new(
            file,
            Location::Row(row),
            None,
            K::TooLarge {
                max_rows: MAX_UNITS,
            },
        )
    })
}
