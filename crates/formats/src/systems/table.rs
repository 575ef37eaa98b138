//! The systems sheet: find and check the header, then read every data row
//! into a `SystemRow` (all or nothing).

use std::collections::HashMap;
use std::sync::Arc;

use super::columns::{Kind, SystemColumn};
use super::{choices, values, SourcedSystem, SystemRow, MAX_SYSTEMS};
use crate::check;
use crate::error::{ImportError, ImportErrorKind as K, Location};
use crate::reader::{find_header, Cell, Found, Header, Merge, Sheet, SheetRow};
use crate::text::{column_letter, fold_header, parse_date};
use crate::units::MAX_CODE_CHARS;

const COLUMNS: usize = SystemColumn::ALL.len();

fn is_complete(h: &Header<SystemColumn>) -> bool {
    SystemColumn::ALL.iter().filter(|c| c.required()).all(|c| h.has(*c))
}

pub(crate) fn systems_from_sheet(file: &str, sheet: Sheet) -> Result<Vec<SourcedSystem>, ImportError> {
    let Sheet { rows, merges } = sheet;
    let mut rows = rows.into_iter().filter(|r| !r.is_blank());
    let header = match find_header(&mut rows, SystemColumn::from_header, is_complete) {
        Found::Complete(h) => h,
        Found::Incomplete(best) => {
            // A header split over merged cells often hides columns: say so.
            check_header_merges(file, &best, &merges, usize::MAX)?;
            return Err(missing_columns(file, &best));
        }
        Found::Nothing => return Err(ImportError::new(file, Location::File, None, K::NoHeader)),
    };
    let rows: Vec<SheetRow> = rows.collect();
    check_header_merges(file, &header, &merges, header.width)?;
    check_data_merges(file, &header, &merges, &rows)?;
    header.check_duplicate(file)?;
    check_repeated_labels(file, &header)?;

    let headers: Arc<[(SystemColumn, String)]> = header.cols.iter().map(|(c, _, text)| (*c, text.clone())).collect();
    let mut positions: [Option<(usize, &str)>; COLUMNS] = [None; COLUMNS];
    for (c, col, text) in &header.cols {
        if let Some(slot) = positions.get_mut(*c as usize) {
            *slot = Some((*col, text.as_str()));
        }
    }

    let mut out: Vec<SourcedSystem> = Vec::new();
    // ASCII-lowercased code → row where it first appeared.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for row in rows {
        header.check_unlabelled(file, &row)?;
        let cells = RowCells { file, row: &row, positions: &positions };
        if out.len() >= MAX_SYSTEMS {
            let kind = K::TooLarge { max_rows: MAX_SYSTEMS };
            return Err(ImportError::new(file, Location::Row(row.row), None, kind));
        }
        let system = cells.system()?;
        match seen.get(&system.code.to_ascii_lowercase()) {
            Some(first) => {
                let kind = K::DuplicateCode { code: system.code, first: Location::Row(*first) };
                return Err(cells.err(SystemColumn::Code, kind));
            }
            None => {
                seen.insert(system.code.to_ascii_lowercase(), row.row);
            }
        }
        out.push(SourcedSystem { system, location: Location::Row(row.row), headers: Arc::clone(&headers) });
    }
    Ok(out)
}

/// One error naming every required column the best header candidate lacks.
fn missing_columns(file: &str, best: &Header<SystemColumn>) -> ImportError {
    let mut missing: Vec<(&'static str, &'static str)> = SystemColumn::ALL
        .into_iter()
        .filter(|c| c.required() && !best.has(*c))
        .map(|c| (c.label_vi(), c.key()))
        .collect();
    let kind = match missing.len() {
        1 => {
            let (label_vi, key) = missing.remove(0);
            K::MissingColumn { label_vi, key }
        }
        _ => K::MissingColumns { columns: missing },
    };
    ImportError::new(file, Location::Row(best.row), None, kind)
}

/// The header text over a 0-based column, if any.
fn header_text(h: &Header<SystemColumn>, col: usize) -> Option<&str> {
    h.cols
        .iter()
        .find(|(_, c, _)| *c == col)
        .map(|(_, _, t)| t.as_str())
        .or_else(|| h.others.iter().find(|(c, _)| *c == col).map(|(_, t)| t.as_str()))
}

/// Merged cells on the header row, left of column `width` (the table's, or
/// anywhere when the header is incomplete): some column has no header cell
/// of its own.
fn check_header_merges(
    file: &str,
    h: &Header<SystemColumn>,
    merges: &[Merge],
    width: usize,
) -> Result<(), ImportError> {
    let Some(m) = merges
        .iter()
        .filter(|m| m.touches_row(h.row) && m.first_col < width)
        .min_by_key(|m| (m.first_col, m.first_row))
    else {
        return Ok(());
    };
    let field = (m.first_col..=m.last_col.min(h.width)).find_map(|c| header_text(h, c));
    Err(ImportError::new(file, Location::Row(h.row), field, K::MergedHeader { range: m.range() }))
}

/// Merged cells over data rows: only their first cell holds a value, the
/// other rows (or columns) would silently read as empty. Merged formatting
/// around the table (blank rows, columns right of it) is left alone.
fn check_data_merges(
    file: &str,
    h: &Header<SystemColumn>,
    merges: &[Merge],
    rows: &[SheetRow],
) -> Result<(), ImportError> {
    // `rows` ascend by row number: is there one in first..=last (1-based)?
    let has_data = |first: usize, last: usize| {
        let i = rows.partition_point(|r| r.row < first);
        rows.get(i).is_some_and(|r| r.row <= last)
    };
    let Some(m) = merges
        .iter()
        .filter(|m| m.first_row + 1 > h.row && m.first_col < h.width && has_data(m.first_row + 1, m.last_row + 1))
        .min_by_key(|m| (m.first_row, m.first_col))
    else {
        return Ok(());
    };
    let field = header_text(h, m.first_col);
    Err(ImportError::new(file, Location::Row(m.first_row + 1), field, K::MergedCells { range: m.range() }))
}

/// The same header text twice (recognised columns are caught as duplicates
/// before): what a merged header looks like once unmerged or exported.
fn check_repeated_labels(file: &str, h: &Header<SystemColumn>) -> Result<(), ImportError> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (col, text) in &h.others {
        let key = fold_header(text);
        if key.is_empty() {
            continue;
        }
        if let Some(first) = seen.get(&key) {
            let kind = K::RepeatedHeader { first_column: column_letter(*first) };
            return Err(ImportError::new(file, Location::Row(h.row), Some(text), kind));
        }
        seen.insert(key, *col);
    }
    Ok(())
}

/// The cells of one data row, by template column.
struct RowCells<'a> {
    file: &'a str,
    row: &'a SheetRow,
    positions: &'a [Option<(usize, &'a str)>; COLUMNS],
}

impl RowCells<'_> {
    fn position(&self, c: SystemColumn) -> Option<(usize, &str)> {
        self.positions.get(c as usize).copied().flatten()
    }

    fn err(&self, c: SystemColumn, kind: K) -> ImportError {
        let label = self.position(c).map_or(c.label_vi(), |(_, l)| l);
        ImportError::new(self.file, Location::Row(self.row.row), Some(label), kind)
    }

    /// The cell's text; empty when the column is absent or the cell blank.
    fn text(&self, c: SystemColumn) -> Result<String, ImportError> {
        match self.position(c) {
            Some((col, label)) => self.row.text(self.file, col, label),
            None => Ok(String::new()),
        }
    }

    fn code(&self, c: SystemColumn) -> Result<String, ImportError> {
        let raw = self.text(c)?;
        check::code(&raw, MAX_CODE_CHARS).map_err(|k| self.err(c, k))?.ok_or_else(|| self.err(c, K::Required))
    }

    fn opt_text(&self, c: SystemColumn) -> Result<Option<String>, ImportError> {
        let Kind::Text(max) = c.kind() else {
            return Ok(None);
        };
        check::text(&self.text(c)?, max, true).map_err(|k| self.err(c, k))
    }

    fn choice(&self, c: SystemColumn) -> Result<Option<String>, ImportError> {
        let Some(table) = c.choices() else {
            return Ok(None);
        };
        let raw = self.text(c)?;
        let value = raw.trim();
        if value.is_empty() {
            return Ok(None);
        }
        match choices::choice_from_label(table, value) {
            Some(choice) => Ok(Some(choice.code.to_string())),
            None => Err(self.err(c, K::InvalidChoice { value: value.to_string(), choices: table })),
        }
    }

    fn with<T>(&self, c: SystemColumn, read: impl Fn(&str) -> Result<T, K>) -> Result<T, ImportError> {
        read(&self.text(c)?).map_err(|k| self.err(c, k))
    }

    /// A real Excel date cell, or text in one of the accepted shapes.
    fn date(&self, c: SystemColumn) -> Result<Option<String>, ImportError> {
        let Some((col, _)) = self.position(c) else {
            return Ok(None);
        };
        match self.row.cell(col) {
            Some(Cell::Date(Some(iso))) => Ok(Some(iso.clone())),
            Some(Cell::Date(None)) => Err(self.err(c, K::InvalidDate { value: String::new() })),
            _ => {
                let raw = self.text(c)?;
                let value = raw.trim();
                if value.is_empty() {
                    return Ok(None);
                }
                parse_date(value).map(Some).ok_or_else(|| self.err(c, K::InvalidDate { value: value.to_string() }))
            }
        }
    }

    fn system(&self) -> Result<SystemRow, ImportError> {
        use SystemColumn as C;
        Ok(SystemRow {
            code: self.code(C::Code)?,
            name: self.opt_text(C::Name)?.ok_or_else(|| self.err(C::Name, K::Required))?,
            owner_unit_code: self.code(C::OwnerUnitCode)?,
            system_type: self.choice(C::SystemType)?.ok_or_else(|| self.err(C::SystemType, K::Required))?,
            purpose: self.opt_text(C::Purpose)?,
            status: self.choice(C::Status)?,
            info_private: self.with(C::InfoPrivate, values::flag)?,
            info_personal: self.with(C::InfoPersonal, values::flag)?,
            admin_procedures: self.with(C::AdminProcedures, values::flag)?,
            secret_grade: self.choice(C::SecretGrade)?,
            subjects_basic: self.with(C::SubjectsBasic, values::count)?,
            subjects_sensitive: self.with(C::SubjectsSensitive, values::count)?,
            online_service_level: self.with(C::OnlineServiceLevel, values::level)?,
            infra_scope: self.choice(C::InfraScope)?,
            data_category: self.choice(C::DataCategory)?,
            hosting: self.opt_text(C::Hosting)?,
            vendor: self.opt_text(C::Vendor)?,
            go_live_date: self.date(C::GoLiveDate)?,
            ip_ranges: self.with(C::IpRanges, values::list)?,
            domains: self.with(C::Domains, values::list)?,
            tags: self.with(C::Tags, values::list)?,
        })
    }
}
