//! A plain table as an XLSX workbook: a bold frozen header row, text cells written as text
//! (never formulas), numbers as numbers. Used for registry and report exports.

use crate::ExportError;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}
impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}
impl From<i64> for Cell {
    fn from(n: i64) -> Cell {
        Cell::Number(n as f64)
    }
}
impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Cell {
        v.map(Into::into).unwrap_or(Cell::Empty)
    }
}

pub fn write_table_xlsx(sheet_name: &str, headers: &[&str], rows: &[Vec<Cell>]) -> Result<Vec<u8>, ExportError> {
    write_tables_xlsx(&[Table { name: sheet_name, headers, rows }])
}

/// One sheet of a workbook: its name, header row and rows.
pub struct Table<'a> {
    pub name: &'a str,
    pub headers: &'a [&'a str],
    pub rows: &'a [Vec<Cell>],
}

/// Several tables as the sheets of one workbook, in order (a report in parts, such as Mẫu 08).
pub fn write_tables_xlsx(tables: &[Table<'_>]) -> Result<Vec<u8>, ExportError> {
    let mut book = Workbook::new();
    for t in tables {
        add_sheet(&mut book, t.name, t.headers, t.rows).map_err(|e| ExportError::Xlsx(e.to_string()))?;
    }
    book.save_to_buffer().map_err(|e| ExportError::Xlsx(e.to_string()))
}

fn add_sheet(book: &mut Workbook, sheet_name: &str, headers: &[&str], rows: &[Vec<Cell>]) -> Result<(), XlsxError> {
    let header = Format::new().set_bold().set_background_color(0xD9E1F2).set_text_wrap();
    let text = Format::new().set_num_format("@");
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name)?;
    for (col, h) in headers.iter().enumerate() {
        let col = u16::try_from(col).map_err(|_| XlsxError::RowColumnLimitError)?;
        sheet.write_string_with_format(0, col, *h, &header)?;
        sheet.set_column_width(col, if col == 1 { 44.0 } else { 18.0 })?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (i, r) in rows.iter().enumerate() {
        let row = u32::try_from(i + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
        for (col, cell) in r.iter().enumerate() {
            let col = u16::try_from(col).map_err(|_| XlsxError::RowColumnLimitError)?;
            match cell {
                Cell::Text(t) if !t.is_empty() => {
                    sheet.write_string_with_format(row, col, t, &text)?;
                }
                Cell::Number(n) => {
                    sheet.write_number(row, col, *n)?;
                }
                _ => {}
            }
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};
    use std::io::Cursor;

    #[test]
    fn round_trips_through_a_reader() {
        let rows =
            vec![vec![Cell::from("HB-01"), Cell::from("Cổng dịch vụ công =SUM(A1)"), Cell::from(3i64), Cell::Empty]];
        let bytes = write_table_xlsx("Hệ thống", &["Mã", "Tên", "Cấp độ", "Ghi chú"], &rows).unwrap();
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("Hệ thống").unwrap();
        assert_eq!(range.get((0, 1)), Some(&Data::String("Tên".into())));
        assert_eq!(range.get((1, 1)), Some(&Data::String("Cổng dịch vụ công =SUM(A1)".into())), "text stays text");
        assert_eq!(range.get((1, 2)), Some(&Data::Float(3.0)));
    }

    #[test]
    fn several_tables_are_several_sheets_in_order() {
        let one = vec![vec![Cell::from("a")]];
        let two = vec![vec![Cell::from(2i64)]];
        let bytes = write_tables_xlsx(&[
            Table { name: "Phần 1", headers: &["A"], rows: &one },
            Table { name: "Phần 2", headers: &["B"], rows: &two },
        ])
        .unwrap();
        let book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
        assert_eq!(book.sheet_names(), vec!["Phần 1".to_string(), "Phần 2".to_string()]);
    }
}
