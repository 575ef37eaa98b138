//! CSV reading (UTF-8 with or without BOM; `,` `;` or tab) and writing.

use super::table::{too_many_rows, units_from_rows, Cell, SheetRow, MAX_COLUMNS};
use super::{Field, SourcedUnit, UnitRow};
use crate::error::{ExportError, ImportError, ImportErrorKind as K, Location};

const BOM: &[u8] = b"\xEF\xBB\xBF";

pub(crate) fn parse(file: &str, bytes: &[u8]) -> Result<Vec<SourcedUnit>, ImportError> {
    units_from_rows(file, read_rows(file, bytes)?)
}

fn read_rows(file: &str, bytes: &[u8]) -> Result<Vec<SheetRow>, ImportError> {
    let err = |loc, kind| ImportError::new(file, loc, None, kind);
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        // Excel's "Unicode text" is UTF-16.
        return Err(err(Location::File, K::NotUtf8));
    }
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let before = bytes.get(..e.valid_up_to()).unwrap_or_default();
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        err(Location::Line(line), K::NotUtf8)
    })?;
    split_rows(file, text, sniff_delimiter(text))
}

/// Splits CSV text into rows the way Excel numbers them: a quoted field may
/// span lines and stays one row, blank lines are rows too, CR/LF/CRLF all
/// end a row. (The csv crate skips blank lines and reports positions that
/// drift with CRLF, so it is used for writing only.)
fn split_rows(file: &str, text: &str, delimiter: char) -> Result<Vec<SheetRow>, ImportError> {
    let mut rows = Vec::new();
    let (mut row, mut line, mut open_line) = (1usize, 1usize, 0usize);
    let mut cells: Vec<(usize, Cell)> = Vec::new();
    let (mut col, mut field) = (0usize, String::new());
    let (mut quoted, mut at_start) = (false, true);
    let mut chars = text.chars().peekable();

    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                _ => {
                    line += usize::from(c == '\n');
                    field.push(c);
                }
            }
            continue;
        }
        match c {
            '"' if at_start => {
                quoted = true;
                at_start = false;
                open_line = line;
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                end_field(file, &mut cells, &mut col, &mut field, row)?;
                if !cells.is_empty() {
                    rows.push(SheetRow {
                        row,
                        cells: std::mem::take(&mut cells),
                    });
                    if let Some(e) = too_many_rows(file, rows.len(), row) {
                        return Err(e);
                    }
                }
                (row, line, col, at_start) = (row + 1, line + 1, 0, true);
            }
            _ if c == delimiter => {
                end_field(file, &mut cells, &mut col, &mut field, row)?;
                at_start = true;
            }
            _ => {
                field.push(c);
                at_start = false;
            }
        }
    }
    if quoted {
        // Otherwise the rest of the file would vanish into one field.
        return Err(ImportError::new(
            file,
            Location::Line(open_line),
            None,
            K::UnclosedQuote,
        ));
    }
    end_field(file, &mut cells, &mut col, &mut field, row)?;
    if !cells.is_empty() {
        rows.push(SheetRow { row, cells });
    }
    Ok(rows)
}

/// Closes a field: keeps it if non-blank, moves to the next column.
fn end_field(
    file: &str,
    cells: &mut Vec<(usize, Cell)>,
    col: &mut usize,
    field: &mut String,
    row: usize,
) -> Result<(), ImportError> {
    if !field.trim().is_empty() {
        cells.push((*col, Cell::Text(std::mem::take(field))));
    }
    field.clear();
    *col += 1;
    if *col > MAX_COLUMNS {
        let msg = format!("more than {MAX_COLUMNS} columns");
        return Err(ImportError::new(
            file,
            Location::Row(row),
            None,
            K::MalformedCsv(msg),
        ));
    }
    Ok(())
}

/// The most frequent of `,` `;` tab on the first line, outside quotes.
/// Excel in a Vietnamese locale writes `;`.
fn sniff_delimiter(text: &str) -> char {
    let (mut comma, mut semi, mut tab) = (0, 0, 0);
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => break,
            ',' if !quoted => comma += 1,
            ';' if !quoted => semi += 1,
            '\t' if !quoted => tab += 1,
            _ => {}
        }
    }
    if semi > comma && semi >= tab {
        ';'
    } else if tab > comma && tab > semi {
        '\t'
    } else {
        ','
    }
}

/// Spreadsheets run a CSV cell starting with = + - @ as a formula (CSV
/// injection). Imported rows never start so (validation refuses it), but
/// rows may reach the exporter by other paths: prefix such values with an
/// apostrophe. A phone's leading '+' stays: digits and spaces cannot call
/// anything.
fn defuse(field: Field, value: &str) -> String {
    let risky: &[char] = if field == Field::FocalPhone {
        &['=', '@', '\t', '\r']
    } else {
        &['=', '+', '-', '@', '\t', '\r']
    };
    if value.starts_with(risky) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

pub(crate) fn write(rows: &[UnitRow]) -> Result<Vec<u8>, ExportError> {
    let to_err = |e: csv::Error| ExportError::Csv(e.to_string());
    let mut out = BOM.to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        w.write_record(Field::ALL.map(Field::label_vi))
            .map_err(to_err)?;
        for r in rows {
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
            let record = Field::ALL
                .iter()
                .zip(values)
                .map(|(f, v)| defuse(*f, v.map_or("", String::as_str)));
            w.write_record(record).map_err(to_err)?;
        }
        w.flush().map_err(|e| ExportError::Csv(e.to_string()))?;
    }
    Ok(out)
}
