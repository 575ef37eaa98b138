//! CSV import (through the shared reader) and export of units.

use super::table::units_from_rows;
use super::{Field, SourcedUnit, UnitRow, MAX_UNITS};
use crate::error::{ExportError, ImportError};
use crate::reader::csv::{read_rows, BOM};

pub(crate) fn parse(file: &str, bytes: &[u8]) -> Result<Vec<SourcedUnit>, ImportError> {
    units_from_rows(file, read_rows(file, bytes, MAX_UNITS)?)
}

/// Spreadsheets run a CSV cell starting with = + - @ as a formula (CSV
/// injection). Imported rows never start so (validation refuses it), but
/// rows may reach the exporter by other paths: prefix such values with an
/// apostrophe. A phone's leading '+' stays: digits and spaces cannot call
/// anything.
fn defuse(field: Field, value: &str) -> String {
    let risky: &[char] =
        if field == Field::FocalPhone { &['=', '@', '\t', '\r'] } else { &['=', '+', '-', '@', '\t', '\r'] };
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
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(&mut out);
        w.write_record(Field::ALL.map(Field::label_vi)).map_err(to_err)?;
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
            let record = Field::ALL.iter().zip(values).map(|(f, v)| defuse(*f, v.map_or("", String::as_str)));
            w.write_record(record).map_err(to_err)?;
        }
        w.flush().map_err(|e| ExportError::Csv(e.to_string()))?;
    }
    Ok(out)
}
