//! XLSX reading: the first sheet, streamed cell by cell through calamine,
//! behind a guard against zip bombs and a net for panics in the parser.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

use calamine::{DataRef, ExcelDateTime, ExcelDateTimeType, Reader, Xlsx};

use super::{too_many_rows, Cell, Merge, Sheet, SheetRow, MAX_COLUMNS};
use crate::error::{ImportError, ImportErrorKind as K, Location};
use crate::text::column_letter;
use crate::zip_guard::{check_archive, ZipLimits, ZipRefusal};

/// Reads the first sheet: at most `max_rows` data rows (plus header and
/// titles); with `merges`, also the merged ranges the sheet declares.
pub(crate) fn read_sheet(file: &str, bytes: &[u8], max_rows: usize, merges: bool) -> Result<Sheet, ImportError> {
    // calamine parses untrusted zip/XML; a panic inside it must become an
    // ordinary error rather than take the server task down.
    catch_unwind(AssertUnwindSafe(|| read(file, bytes, max_rows, merges))).unwrap_or_else(|_| {
        Err(ImportError::new(file, Location::File, None, K::MalformedXlsx("internal reader failure".into())))
    })
}

/// What a workbook may unpack to, counted as really inflated (see [`crate::zip_guard`]): a
/// 100,000-row sheet is well under 256 MiB of XML, a zip bomb far over. The shared strings are
/// held whole by calamine, so they get a lower cap.
const LIMITS: ZipLimits = ZipLimits {
    total_bytes: 256 << 20,
    default_entry_bytes: 256 << 20,
    entry_bytes: &[("xl/sharedStrings.xml", 48 << 20)],
    entries: 10_000,
};

/// Excel's own limit on the characters of one cell.
pub(crate) const MAX_CELL_CHARS: usize = 32_767;
/// Text kept from one sheet, all cells together: a shared string of 32 KiB referenced by a
/// million cells would otherwise be copied a million times.
const MAX_SHEET_TEXT_BYTES: usize = 96 << 20;
/// Cells kept from one sheet (100,000 rows of 30 columns).
pub(crate) const MAX_SHEET_CELLS: usize = 3_000_000;

/// Refuses archives that really unpack to more than the caps, before calamine inflates them.
fn check_unpacked_size(file: &str, bytes: &[u8]) -> Result<(), ImportError> {
    let kind = match check_archive(bytes, &LIMITS) {
        Ok(()) | Err(ZipRefusal::Unreadable) => return Ok(()), // calamine names the damage
        Err(ZipRefusal::TooLarge { entry, max_bytes }) => K::UnpackedTooLarge { max_mib: max_bytes >> 20, part: entry },
        Err(ZipRefusal::TooManyEntries { max }) => K::TooManyParts { max },
    };
    Err(ImportError::new(file, Location::File, None, kind))
}

fn read(file: &str, bytes: &[u8], max_rows: usize, want_merges: bool) -> Result<Sheet, ImportError> {
    check_unpacked_size(file, bytes)?;
    let damaged = |loc, e: calamine::XlsxError| ImportError::new(file, loc, None, K::MalformedXlsx(e.to_string()));
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| damaged(Location::File, e))?;
    let first = book
        .sheet_names()
        .into_iter()
        .next()
        .ok_or_else(|| ImportError::new(file, Location::File, None, K::NoSheet))?;
    // The streaming reader keeps only present cells: a used range declared
    // as A1:XFD1048576 would otherwise be allocated densely.
    let mut reader = book.worksheet_cells_reader(&first).map_err(|e| damaged(Location::File, e))?;
    let mut rows: BTreeMap<u32, Vec<(usize, Cell)>> = BTreeMap::new();
    let mut last_row = 0u32;
    let (mut cells_kept, mut text_kept) = (0usize, 0usize);
    loop {
        let next = reader.next_cell().map_err(|e| {
            // Point near the damage: the row of the last cell read.
            let loc = if last_row > 0 { Location::Row(last_row as usize + 1) } else { Location::File };
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
            DataRef::DateTime(d) => Cell::Date(serial_date(d)),
            DataRef::DateTimeIso(s) => Cell::Date(iso_date(s)),
            DataRef::DurationIso(_) => Cell::Date(None),
            DataRef::Error(e) => Cell::ExcelError(e.to_string()),
        };
        if col as usize >= MAX_COLUMNS {
            let e = calamine::XlsxError::Unexpected("cell beyond column XFD");
            return Err(damaged(Location::Row(row as usize + 1), e));
        }
        if let Cell::Text(t) = &cell {
            let chars = t.chars().count();
            if chars > MAX_CELL_CHARS {
                let kind = K::TooLong { max: MAX_CELL_CHARS, actual: chars };
                return Err(ImportError::new(
                    file,
                    Location::Row(row as usize + 1),
                    Some(&column_letter(col as usize)),
                    kind,
                ));
            }
            text_kept += t.len();
        }
        cells_kept += 1;
        if cells_kept > MAX_SHEET_CELLS || text_kept > MAX_SHEET_TEXT_BYTES {
            let kind = if cells_kept > MAX_SHEET_CELLS {
                K::TooManyCells { max: MAX_SHEET_CELLS }
            } else {
                K::UnpackedTooLarge { max_mib: (MAX_SHEET_TEXT_BYTES >> 20) as u64, part: None }
            };
            return Err(ImportError::new(file, Location::Row(row as usize + 1), None, kind));
        }
        let cells = rows.entry(row).or_default();
        cells.push((col as usize, cell));
        if cells.len() == 1 {
            if let Some(e) = too_many_rows(file, rows.len(), row as usize + 1, max_rows) {
                return Err(e);
            }
        }
    }
    drop(reader);
    let merges = if want_merges {
        match book.merge_cells_by_sheet_name(&first) {
            Err(calamine::XlsxError::WorksheetNotFound(_)) => Vec::new(),
            found => found
                .map_err(|e| damaged(Location::File, e))?
                .into_iter()
                .map(|d| Merge {
                    first_row: d.start.0 as usize,
                    first_col: d.start.1 as usize,
                    last_row: d.end.0 as usize,
                    last_col: d.end.1 as usize,
                })
                .filter(|m| m.last_row > m.first_row || m.last_col > m.first_col)
                .collect(),
        }
    } else {
        Vec::new()
    };
    let rows = rows
        .into_iter()
        .map(|(row, mut cells)| {
            // Sorted, and a repeated cell keeps its last value, as Excel does.
            cells.sort_by_key(|(c, _)| *c);
            cells.reverse();
            cells.dedup_by_key(|(c, _)| *c);
            cells.reverse();
            SheetRow { row: row as usize + 1, cells }
        })
        .collect();
    Ok(Sheet { rows, merges })
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

/// Last serial Excel can show as a date: 9999-12-31.
const MAX_SERIAL: f64 = 2_958_465.0;

/// The calendar date of an Excel date cell, in the 1900 or the 1904 date
/// system; `None` for durations and times of day.
fn serial_date(d: &ExcelDateTime) -> Option<String> {
    let value = d.as_f64();
    // calamine keeps the cell's kind and date system private without its
    // chrono feature; they are recovered by comparison.
    if *d == ExcelDateTime::new(value, ExcelDateTimeType::TimeDelta, false)
        || *d == ExcelDateTime::new(value, ExcelDateTimeType::TimeDelta, true)
    {
        return None;
    }
    let is_1904 = *d == ExcelDateTime::new(value, ExcelDateTimeType::DateTime, true);
    if !(1.0..=MAX_SERIAL).contains(&value) {
        return None;
    }
    let serial = value.floor() as i64;
    let days_since_1970 = if is_1904 {
        serial - 24_107 // 1904-01-01 is serial 0
    } else if serial >= 61 {
        serial - 25_569 // 1899-12-30 is serial 0, counting Excel's 29/02/1900
    } else {
        serial - 25_568 // before the phantom 29/02/1900 (serial 60 lands on 01/03)
    };
    let (y, m, day) = civil_from_days(days_since_1970);
    Some(format!("{y:04}-{m:02}-{day:02}"))
}

/// A date stored as ISO 8601 text (`t="d"` cells): its date part, when valid.
fn iso_date(s: &str) -> Option<String> {
    let date = s.get(..10)?;
    let b = date.as_bytes();
    let num =
        |r: std::ops::Range<usize>| date.get(r).filter(|p| p.bytes().all(|c| c.is_ascii_digit()))?.parse::<u32>().ok();
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    (crate::text::valid_date(y, m, d)).then(|| date.to_string())
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian
/// calendar (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::fixtures::zip_bomb;

    /// Issue 11: a part declared at 100 bytes that inflates to 1 GiB passed the check of
    /// declared sizes, and calamine inflated it into memory.
    #[test]
    fn a_zip_bomb_that_lies_about_its_size_is_refused_by_what_it_inflates() {
        for (part, cap_mib) in [("xl/sharedStrings.xml", 48), ("xl/worksheets/sheet1.xml", 256)] {
            let e = read_sheet("bom.xlsx", &zip_bomb(part, 1024), 100, false).unwrap_err();
            assert_eq!(*e.kind(), K::UnpackedTooLarge { max_mib: cap_mib, part: Some(part.into()) }, "{part}");
        }
    }

    #[test]
    fn a_cell_longer_than_excel_allows_is_refused_with_its_row_and_column() {
        let book = crate::sheet::write_table_xlsx("S", &["Mã", "Tên"], &[vec!["A".into(), "LONGCELL".into()]]).unwrap();
        let long = "x".repeat(MAX_CELL_CHARS + 1);
        let book = crate::test_support::rezip(&book, |_, data| {
            String::from_utf8(data).unwrap().replace("LONGCELL", &long).into_bytes()
        });
        let e = read_sheet("dai.xlsx", &book, 100, false).unwrap_err();
        assert_eq!(*e.kind(), K::TooLong { max: MAX_CELL_CHARS, actual: MAX_CELL_CHARS + 1 });
        assert_eq!(e.location(), &Location::Row(2));
        assert_eq!(e.field(), Some("B"));
    }

    #[test]
    fn excel_serials_are_calendar_dates() {
        let date = |v: f64, is_1904: bool| serial_date(&ExcelDateTime::new(v, ExcelDateTimeType::DateTime, is_1904));
        assert_eq!(date(45839.0, false).as_deref(), Some("2025-07-01"));
        assert_eq!(date(45839.75, false).as_deref(), Some("2025-07-01"), "the time of day is dropped");
        assert_eq!(date(1.0, false).as_deref(), Some("1900-01-01"));
        assert_eq!(date(59.0, false).as_deref(), Some("1900-02-28"));
        assert_eq!(date(61.0, false).as_deref(), Some("1900-03-01"));
        assert_eq!(date(36526.0, false).as_deref(), Some("2000-01-01"));
        assert_eq!(date(2_958_465.0, false).as_deref(), Some("9999-12-31"));
        assert_eq!(date(44377.0, true).as_deref(), Some("2025-07-01"));
        assert_eq!(date(0.5, false), None, "a time of day is no date");
        assert_eq!(date(f64::NAN, false), None);
        assert_eq!(date(3e6, false), None);
        let duration = ExcelDateTime::new(45839.0, ExcelDateTimeType::TimeDelta, false);
        assert_eq!(serial_date(&duration), None);
        assert_eq!(iso_date("2025-07-01T10:00:00").as_deref(), Some("2025-07-01"));
        assert_eq!(iso_date("2025-02-30"), None);
        assert_eq!(iso_date("2025-7-1"), None);
    }
}
