//! Spreadsheet-shaped input shared by every importer: the CSV and XLSX readers turn bytes into
//! sparse rows numbered as Excel shows them, and the header helpers find the header row among
//! title rows and map its cells to an importer's columns.

pub(crate) mod csv;
pub(crate) mod docx;
pub(crate) mod xlsx;

use crate::error::{ImportError, ImportErrorKind as K, JsonContent, Location};
use crate::text::column_letter;

/// How many non-empty rows may precede the header (titles such as
/// "DANH SÁCH ĐƠN VỊ" that official spreadsheets often carry).
pub(crate) const HEADER_SEARCH_ROWS: usize = 20;

/// Excel's column count (A..XFD); more means a corrupt or hostile file.
pub(crate) const MAX_COLUMNS: usize = 16_384;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Text(String),
    /// An Excel error value such as `#N/A`.
    ExcelError(String),
    /// A date/time cell: its calendar date as yyyy-mm-dd, or `None` for a
    /// time of day, a duration or a serial outside Excel's calendar.
    Date(Option<String>),
}

impl Cell {
    pub(crate) fn is_blank(&self) -> bool {
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
    pub(crate) fn cell(&self, col: usize) -> Option<&Cell> {
        self.cells.binary_search_by_key(&col, |(c, _)| *c).ok().and_then(|i| self.cells.get(i)).map(|(_, cell)| cell)
    }

    pub(crate) fn is_blank(&self) -> bool {
        self.cells.iter().all(|(_, c)| c.is_blank())
    }

    /// The text of a cell that must hold text (absent = empty). Excel error
    /// and date cells are reported only when they sit in a column that is read.
    pub(crate) fn text(&self, file: &str, col: usize, label: &str) -> Result<String, ImportError> {
        let err = |kind| ImportError::new(file, Location::Row(self.row), Some(label), kind);
        match self.cell(col) {
            None => Ok(String::new()),
            Some(Cell::Text(t)) => Ok(t.clone()),
            Some(Cell::ExcelError(e)) => Err(err(K::ExcelErrorCell(e.clone()))),
            Some(Cell::Date(_)) => Err(err(K::DateCell)),
        }
    }
}

/// A merged range of cells, 0-based and inclusive, as the XLSX declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Merge {
    pub first_row: usize,
    pub first_col: usize,
    pub last_row: usize,
    pub last_col: usize,
}

impl Merge {
    /// Whether the merge covers part of a 1-based row.
    pub(crate) fn touches_row(&self, row: usize) -> bool {
        (self.first_row + 1..=self.last_row + 1).contains(&row)
    }

    /// As Excel writes it: "K1:L1".
    pub(crate) fn range(&self) -> String {
        format!(
            "{}{}:{}{}",
            column_letter(self.first_col),
            self.first_row + 1,
            column_letter(self.last_col),
            self.last_row + 1
        )
    }
}

/// What a reader found: the rows, and (XLSX only, when asked) the merged ranges.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sheet {
    pub rows: Vec<SheetRow>,
    pub merges: Vec<Merge>,
}

/// The kind of an uploaded file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Csv,
    Xlsx,
    /// A Word document (only the plan's task table reads one).
    Docx,
    Json,
    Xls,
    Unknown,
}

/// From the extension (any case) or, failing that, from the content.
pub(crate) fn detect_format(file_name: &str, bytes: &[u8]) -> Format {
    let ext = file_name.rsplit_once('.').map(|(_, e)| e.trim().to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "csv" => return Format::Csv,
        "xlsx" | "xlsm" => return Format::Xlsx,
        "json" => return Format::Json,
        "docx" => return Format::Docx,
        "xls" => return Format::Xls,
        _ => {}
    }
    sniff(bytes)
}

fn sniff(bytes: &[u8]) -> Format {
    if bytes.starts_with(b"PK\x03\x04") {
        return Format::Xlsx;
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Format::Xls;
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match text.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'[') | Some(b'{') => Format::Json,
        // Text that is not JSON: CSV if it is UTF-8 (or UTF-16, which the
        // CSV reader reports with advice) and has no NUL bytes.
        _ if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) => Format::Csv,
        _ if std::str::from_utf8(text).is_ok() && !text.contains(&0) => Format::Csv,
        _ => Format::Unknown,
    }
}

/// What a JSON file looks like, from its first 64 KiB: an OSCAL catalog or profile (its
/// first key), a scanner's report ([`crate::scan::ScanTool::detect`]), or other JSON.
pub(crate) fn json_content(bytes: &[u8]) -> JsonContent {
    let head = bytes.get(..64 * 1024).unwrap_or(bytes);
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let text = String::from_utf8_lossy(head);
    // The first key of the top object other than "$schema" (whose value is one text).
    let key_at = |s: &str| -> Option<(String, usize)> {
        let rest = s.trim_start().strip_prefix('"')?;
        let (k, _) = rest.split_once('"')?;
        Some((k.to_string(), s.len() - rest.len() + k.len() + 1))
    };
    let top = text.trim_start().strip_prefix('{').unwrap_or("");
    let mut first_key = key_at(top);
    if let Some(("$schema", end)) = first_key.as_ref().map(|(k, e)| (k.as_str(), *e)) {
        // Skip `: "…",` to the next key.
        let after = top.get(end..).unwrap_or("");
        first_key = after.split_once(',').and_then(|(_, next)| key_at(next));
    }
    match first_key.as_ref().map(|(k, _)| k.as_str()) {
        Some("catalog") => return JsonContent::OscalCatalog,
        Some("profile") => return JsonContent::OscalProfile,
        _ => {}
    }
    match crate::scan::ScanTool::detect("", head) {
        Some(t) => JsonContent::ScanReport(t),
        None => JsonContent::Other,
    }
}

/// Guard used by the readers while collecting rows: at most `max_rows`
/// data rows, plus the header and the title rows above it.
pub(crate) fn too_many_rows(file: &str, count: usize, row: usize, max_rows: usize) -> Option<ImportError> {
    (count > max_rows + HEADER_SEARCH_ROWS + 1)
        .then(|| ImportError::new(file, Location::Row(row), None, K::TooLarge { max_rows }))
}

/// What a header row says about the columns of one importer (`F`).
#[derive(Debug)]
pub(crate) struct Header<F> {
    pub row: usize,
    /// Recognised columns, first occurrence of each: field, 0-based column, header text.
    pub cols: Vec<(F, usize, String)>,
    /// Second header of a field already seen: (its text, first header text).
    pub duplicate: Option<(String, String)>,
    /// Non-empty header cells that name no field: 0-based column, text.
    pub others: Vec<(usize, String)>,
    /// Columns after the last non-empty header cell carry no meaning.
    pub width: usize,
    /// Every column with a non-empty header cell, ascending.
    labelled: Vec<usize>,
}

impl<F: Copy + Eq> Header<F> {
    pub(crate) fn read(row: &SheetRow, classify: impl Fn(&str) -> Option<F>) -> Header<F> {
        let mut h = Header {
            row: row.row,
            cols: Vec::new(),
            duplicate: None,
            others: Vec::new(),
            width: 0,
            labelled: Vec::new(),
        };
        for (col, cell) in &row.cells {
            let text = cell.header_text();
            if text.is_empty() {
                continue;
            }
            h.width = col + 1;
            h.labelled.push(*col);
            match classify(text) {
                Some(field) => {
                    if let Some((_, _, first)) = h.cols.iter().find(|(f, _, _)| *f == field) {
                        if h.duplicate.is_none() {
                            h.duplicate = Some((text.to_string(), first.clone()));
                        }
                    } else {
                        h.cols.push((field, *col, text.to_string()));
                    }
                }
                None => h.others.push((*col, text.to_string())),
            }
        }
        h
    }

    pub(crate) fn has(&self, field: F) -> bool {
        self.cols.iter().any(|(f, _, _)| *f == field)
    }

    /// Two header cells meaning the same field.
    pub(crate) fn check_duplicate(&self, file: &str) -> Result<(), ImportError> {
        match &self.duplicate {
            Some((second, first)) => Err(ImportError::new(
                file,
                Location::Row(self.row),
                Some(second),
                K::DuplicateColumn { first: first.clone() },
            )),
            None => Ok(()),
        }
    }

    /// A non-empty cell right of the last header cell (a stray delimiter
    /// shifted the row, or data was typed past the table).
    pub(crate) fn check_outside(&self, file: &str, row: &SheetRow) -> Result<(), ImportError> {
        match row.cells.iter().find(|(c, cell)| *c >= self.width && !cell.is_blank()) {
            Some((col, _)) => Err(outside(file, row.row, *col)),
            None => Ok(()),
        }
    }

    /// Stricter: a non-empty cell in any column whose header cell is empty
    /// (also the gaps a merged header leaves).
    pub(crate) fn check_unlabelled(&self, file: &str, row: &SheetRow) -> Result<(), ImportError> {
        let unlabelled = |c: &usize| self.labelled.binary_search(c).is_err();
        match row.cells.iter().find(|(c, cell)| !cell.is_blank() && unlabelled(c)) {
            Some((col, _)) => Err(outside(file, row.row, *col)),
            None => Ok(()),
        }
    }
}

fn outside(file: &str, row: usize, col: usize) -> ImportError {
    ImportError::new(file, Location::Row(row), None, K::CellOutsideHeader { column: column_letter(col) })
}

/// Where the header search ended.
pub(crate) enum Found<F> {
    /// The first complete header row.
    Complete(Header<F>),
    /// No complete header: the most promising row (most recognised columns).
    Incomplete(Header<F>),
    /// No non-blank row at all.
    Nothing,
}

/// Looks for the header among the first non-blank rows; `rows` is left
/// at the first row after the header.
pub(crate) fn find_header<F: Copy + Eq>(
    rows: &mut impl Iterator<Item = SheetRow>,
    classify: impl Fn(&str) -> Option<F>,
    complete: impl Fn(&Header<F>) -> bool,
) -> Found<F> {
    let mut best: Option<Header<F>> = None;
    for row in rows.by_ref().take(HEADER_SEARCH_ROWS) {
        let h = Header::read(&row, &classify);
        if complete(&h) {
            return Found::Complete(h);
        }
        if best.as_ref().is_none_or(|b| h.cols.len() > b.cols.len()) {
            best = Some(h);
        }
    }
    best.map_or(Found::Nothing, Found::Incomplete)
}
