//! CSV reading: UTF-8 with or without BOM; `,` `;` or tab, whichever the
//! first line uses most.

use super::{too_many_rows, Cell, SheetRow, MAX_COLUMNS};
use crate::error::{ImportError, ImportErrorKind as K, Location};

/// The UTF-8 byte-order mark Excel writes in front of "CSV UTF-8".
pub(crate) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads CSV bytes into rows numbered as Excel would show them.
pub(crate) fn read_rows(file: &str, bytes: &[u8], max_rows: usize) -> Result<Vec<SheetRow>, ImportError> {
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
    split_rows(file, text, sniff_delimiter(text), max_rows)
}

/// Splits CSV text into rows the way Excel numbers them: a quoted field may
/// span lines and stays one row, blank lines are rows too, CR/LF/CRLF all
/// end a row. (The csv crate skips blank lines and reports positions that
/// drift with CRLF, so it is used for writing only.)
fn split_rows(file: &str, text: &str, delimiter: char, max_rows: usize) -> Result<Vec<SheetRow>, ImportError> {
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
                    rows.push(SheetRow { row, cells: std::mem::take(&mut cells) });
                    if let Some(e) = too_many_rows(file, rows.len(), row, max_rows) {
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
        return Err(ImportError::new(file, Location::Line(open_line), None, K::UnclosedQuote));
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
        return Err(ImportError::new(file, Location::Row(row), None, K::MalformedCsv(msg)));
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
