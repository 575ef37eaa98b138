//! Spreadsheet-shaped input (CSV or the first XLSX sheet): find the header
//! row, map its columns, turn each data row into a unit.

use super::validate::{Collector, RawUnit};
use super::{Field, SourcedUnit};
use crate::error::{ImportError, ImportErrorKind as K, Location};
use crate::reader::{find_header, Found, Header, SheetRow};
use crate::text::{fold, fold_header};

/// Official province list: the column of "Tên 34 tỉnh…"-like names.
fn province_name_col(h: &Header<Field>) -> Option<&(usize, String)> {
    h.others.iter().find(|(_, text)| {
        let f = fold_header(text);
        f.starts_with("ten") && f.split(' ').any(|w| w == "tinh")
    })
}

/// The official province list: codes and province names, no type column.
fn is_province_list(h: &Header<Field>) -> bool {
    h.has(Field::Code) && !h.has(Field::Name) && !h.has(Field::UnitType) && province_name_col(h).is_some()
}

fn is_complete(h: &Header<Field>) -> bool {
    is_province_list(h) || Field::ALL.iter().filter(|f| f.required()).all(|f| h.has(*f))
}

/// Turns the rows of a sheet into units (all or nothing).
pub(crate) fn units_from_rows(file: &str, rows: Vec<SheetRow>) -> Result<Vec<SourcedUnit>, ImportError> {
    let mut rows = rows.into_iter().filter(|r| !r.is_blank());
    // The first complete header among the first rows; otherwise report the
    // missing columns of the most promising one.
    let header = match find_header(&mut rows, Field::from_header, is_complete) {
        Found::Complete(h) => h,
        Found::Incomplete(b) => {
            let missing = Field::ALL.into_iter().find(|f| f.required() && !b.has(*f)).unwrap_or(Field::Code);
            let kind = K::MissingColumn { label_vi: missing.label_vi(), key: missing.key() };
            return Err(ImportError::new(file, Location::Row(b.row), None, kind));
        }
        Found::Nothing => return Err(ImportError::new(file, Location::File, None, K::NoHeader)),
    };
    header.check_duplicate(file)?;

    let mut collector = Collector::new(file);
    for row in rows {
        header.check_outside(file, &row)?;
        collector.push(raw_unit(file, &header, &row)?)?;
    }
    Ok(collector.finish())
}

/// Reads the mapped cells of one data row.
fn raw_unit(file: &str, header: &Header<Field>, row: &SheetRow) -> Result<RawUnit, ImportError> {
    let mut raw = RawUnit::new(Location::Row(row.row));
    if let (true, Some((name_col, name_label))) = (is_province_list(header), province_name_col(header)) {
        let name = row.text(file, *name_col, name_label)?;
        let f = fold(&name);
        let unit_type = if f.starts_with("thanh pho ") || f.starts_with("tp ") { "city" } else { "province" };
        raw.push(Field::Name, name_label, name);
        raw.push(Field::UnitType, name_label, unit_type);
    }
    for (field, col, label) in &header.cols {
        raw.push(*field, label, row.text(file, *col, label)?);
    }
    Ok(raw)
}
