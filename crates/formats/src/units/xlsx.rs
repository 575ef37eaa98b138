//! XLSX reading (first sheet, via calamine) and writing (rust_xlsxwriter).

use std::collections::BTreeMap;
use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

use calamine::{DataRef, Reader, Xlsx};
use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, Format, Workbook, XlsxError};

use super::table::{too_many_rows, units_from_rows, Cell, SheetRow, MAX_COLUMNS};
use super::types::UNIT_TYPES;
use super::{Field, SourcedUnit, UnitRow};
use crate::error::{ExportError, ImportError, ImportErrorKind as K, Location};

pub(crate) fn parse(file: &str, bytes: &[u8]) -> Result<Vec<SourcedUnit>, ImportError> {
    // calamine parses untrusted zip/XML; a panic inside it must become an
    // ordinary error rather than take the server task down.
    let rows = catch_unwind(AssertUnwindSafe(|| read_rows(file, bytes))).unwrap_or_else(|_| {
        Err(ImportError::new(
            file,
            Location::File,
            None,
            K::MalformedXlsx("internal reader failure".into()),
        ))
    })?;
    units_from_rows(file, rows)
}

/// Cap on the declared unpacked size of all parts: a 100,000-unit sheet is
/// well under 100 MiB of XML, a zip bomb is far over.
const MAX_UNPACKED_MIB: u64 = 256;

/// Refuses archives that declare more unpacked data than the cap before
/// calamine inflates them.
fn check_unpacked_size(file: &str, bytes: &[u8]) -> Result<(), ImportError> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(()); // calamine reports the damage with its own words
    };
    let mut total = 0u64;
    for i in 0..zip.len() {
        if let Ok(part) = zip.by_index_raw(i) {
            total = total.saturating_add(part.size());
        }
    }
    if total > MAX_UNPACKED_MIB * 1024 * 1024 {
        let kind = K::UnpackedTooLarge {
            max_mib: MAX_UNPACKED_MIB,
        };
        return Err(ImportError::new(file, Location::File, None, kind));
    }
    Ok(())
}

fn read_rows(file: &str, bytes: &[u8]) -> Result<Vec<SheetRow>, ImportError> {
    check_unpacked_size(file, bytes)?;
    let damaged = |loc, e: calamine::XlsxError| {
        ImportError::new(file, loc, None, K::MalformedXlsx(e.to_string()))
    };
    let mut book: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| damaged(Location::File, e))?;
    let first = book
        .sheet_names()
        .into_iter()
        .next()
        .ok_or_else(|| ImportError::new(file, Location::File, None, K::NoSheet))?;
    // The streaming reader keeps only present cells: a used range declared
    // as A1:XFD1048576 would otherwise be allocated densely.
    let mut reader = book
        .worksheet_cells_reader(&first)
        .map_err(|e| damaged(Location::File, e))?;
    let mut rows: BTreeMap<u32, Vec<(usize, Cell)>> = BTreeMap::new();
    let mut last_row = 0u32;
    loop {
        let next = reader.next_cell().map_err(|e| {
            // Point near the damage: the row of the last cell read.
            let loc = if last_row > 0 {
                Location::Row(last_row as usize + 1)
            } else {
                Location::File
            };
            damaged(loc, e)
        })?;
        let Some(c) = next else { break };
        let (row, col) = c.get_position();
        last_row = row;
        let cell = match c.get_value() {
            DataRef::Empty => continue,
            DataRef::String(s) => Cell::Text(s.clone()),
            DataRef::SharedString(s) => Cell::Text((*s).to_string()),
            DataRef::Int(i) => Cell::Text(i.to_string()),
            DataRef::Float(f) => Cell::Text(float_text(*f)),
            DataRef::Bool(b) => Cell::Text(if *b { "TRUE" } else { "FALSE" }.to_string()),
            DataRef::DateTime(_) | DataRef::DateTimeIso(_) | DataRef::DurationIso(_) => Cell::Date,
            DataRef::Error(e) => Cell::ExcelError(e.to_string()),
        };
        if col as usize >= MAX_COLUMNS {
            let e = calamine::XlsxError::Unexpected("cell beyond column XFD");
            return Err(damaged(Location::Row(row as usize + 1), e));
        }
        let cells = rows.entry(row).or_default();
        cells.push((col as usize, cell));
        if cells.len() == 1 {
            if let Some(e) = too_many_rows(file, rows.len(), row as usize + 1) {
                return Err(e);
            }
        }
    }
    Ok(rows
        .into_iter()
        .map(|(row, mut cells)| {
            // Sorted, and a repeated cell keeps its last value, as Excel does.
            cells.sort_by_key(|(c, _)| *c);
            cells.reverse();
            cells.dedup_by_key(|(c, _)| *c);
            cells.reverse();
            SheetRow {
                row: row as usize + 1,
                cells,
            }
        })
        .collect())
}

/// Numbers typed into text columns (codes, phones): whole numbers without
/// a decimal point. Leading zeros already lost by Excel cannot come back.
fn float_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

pub(crate) fn write(rows: &[UnitRow]) -> Result<Vec<u8>, ExportError> {
    build(rows).map_err(|e| ExportError::Xlsx(e.to_string()))
}

fn build(rows: &[UnitRow]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let header = Format::new().set_bold().set_background_color(0xD9E1F2);
    // Text format keeps "01" as "01" when people type new codes or phones.
    let text = Format::new().set_num_format("@");

    let sheet = book.add_worksheet();
    sheet.set_name("Đơn vị")?;
    let widths = [14.0, 40.0, 18.0, 18.0, 26.0, 26.0, 16.0, 30.0];
    for (col, field) in Field::ALL.iter().enumerate() {
        let col = col as u16;
        sheet.write_string_with_format(0, col, field.label_vi(), &header)?;
        sheet.set_column_width(col, widths.get(col as usize).copied().unwrap_or(16.0))?;
        sheet.set_column_format(col, &text)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    // A dropdown of canonical codes; only a warning so labels such as
    // "Phường", which the importer also accepts, can still be typed.
    let codes: Vec<&str> = UNIT_TYPES.iter().map(|t| t.code).collect();
    let validation = DataValidation::new()
        .allow_list_strings(&codes)?
        .set_error_style(DataValidationErrorStyle::Warning);
    sheet.add_data_validation(1, 2, 1_048_575, 2, &validation)?;

    for (i, r) in rows.iter().enumerate() {
        let row = u32::try_from(i + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
        let values = [
            Some(&r.code),
            Some(&r.name),
            Some(&r.unit_type),
            r.parent_code.as_ref(),
            r.head_name.as_ref(),
            r.focal_name.as_ref(),
            r.focal_phone.as_ref(),
            r.focal_email.as_ref(),
        ];
        for (col, value) in values.iter().enumerate() {
            if let Some(v) = value.filter(|v| !v.is_empty()) {
                // Strings always: never a formula, never a number.
                sheet.write_string_with_format(row, col as u16, v, &text)?;
            }
        }
    }

    // Reference sheet; the importer reads only the first one.
    let types = book.add_worksheet();
    types.set_name("Loại đơn vị")?;
    for (col, title) in ["Mã loại (type)", "Tên tiếng Việt", "English"]
        .iter()
        .enumerate()
    {
        types.write_string_with_format(0, col as u16, *title, &header)?;
    }
    for (i, t) in UNIT_TYPES.iter().enumerate() {
        let row = i as u32 + 1;
        types.write_string(row, 0, t.code)?;
        types.write_string(row, 1, t.label_vi)?;
        types.write_string(row, 2, t.label_en)?;
    }
    types.set_column_width(0, 18.0)?;
    types.set_column_width(1, 32.0)?;
    types.set_column_width(2, 30.0)?;

    book.save_to_buffer()
}
