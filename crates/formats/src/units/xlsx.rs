//! XLSX import (through the shared reader) and export (rust_xlsxwriter) of units.

use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, Format, Workbook, XlsxError};

use super::table::units_from_rows;
use super::types::UNIT_TYPES;
use super::{Field, SourcedUnit, UnitRow, MAX_UNITS};
use crate::error::{ExportError, ImportError};
use crate::reader::xlsx::read_sheet;

pub(crate) fn parse(file: &str, bytes: &[u8]) -> Result<Vec<SourcedUnit>, ImportError> {
    units_from_rows(file, read_sheet(file, bytes, MAX_UNITS, false)?.rows)
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
    let validation =
        DataValidation::new().allow_list_strings(&codes)?.set_error_style(DataValidationErrorStyle::Warning);
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
    for (col, title) in ["Mã loại (type)", "Tên tiếng Việt", "English"].iter().enumerate() {
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
