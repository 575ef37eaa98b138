//! Errors of import and export, with full Vietnamese and English messages (the reasons, one
//! per kind of error, in `reasons`).

mod reasons;

use std::fmt;

use crate::systems::Choice;

/// Where in the file a problem was found, as the user would look for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// The file as a whole (unknown format, empty file, damaged archive).
    File,
    /// A spreadsheet row, 1-based, as Excel shows it: the header is row 1
    /// (or the row it really sits on when title rows precede it).
    Row(usize),
    /// A line of the raw text (CSV encoding or quoting), 1-based.
    Line(usize),
    /// A line and character of the raw text (JSON syntax), 1-based.
    LineColumn { line: usize, column: usize },
    /// A JSON item, as a path such as `[12]` or `[0].Wards[5]`.
    Item(String),
    /// A row of a Word document's table, both 1-based: the tables counted from the document's
    /// start (the header block of an official document is table 1), the rows from the table's top.
    TableRow { table: usize, row: usize },
}

impl Location {
    fn vi(&self) -> String {
        match self {
            Location::File => String::new(),
            Location::Row(r) => format!("dòng {r}"),
            Location::Line(line) => format!("dòng {line}"),
            Location::LineColumn { line, column } => format!("dòng {line}, ký tự {column}"),
            Location::Item(p) => format!("phần tử {p}"),
            Location::TableRow { table, row } => format!("bảng {table}, dòng {row}"),
        }
    }

    fn en(&self) -> String {
        match self {
            Location::File => String::new(),
            Location::Row(r) => format!("row {r}"),
            Location::Line(line) => format!("line {line}"),
            Location::LineColumn { line, column } => format!("line {line}, character {column}"),
            Location::Item(p) => format!("item {p}"),
            Location::TableRow { table, row } => format!("table {table}, row {row}"),
        }
    }
}

/// What a JSON file given to a table import looks like: says which import to use instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonContent {
    /// An OSCAL catalog (`{"catalog": …}`): the OSCAL catalogue import reads it.
    OscalCatalog,
    /// An OSCAL profile (`{"profile": …}`): the OSCAL profile import reads it.
    OscalProfile,
    /// A scanner's report (SARIF, Trivy, ZAP JSON): the scan import, with this tool.
    ScanReport(crate::scan::ScanTool),
    /// Any other JSON.
    Other,
}

impl JsonContent {
    fn advice_vi(self) -> String {
        match self {
            JsonContent::OscalCatalog => {
                "đây là danh mục (catalog) OSCAL: hãy dùng chức năng «Nhập danh mục OSCAL»".into()
            }
            JsonContent::OscalProfile => "đây là hồ sơ (profile) OSCAL: hãy dùng chức năng «Nhập hồ sơ OSCAL»".into(),
            JsonContent::ScanReport(t) => format!(
                "đây là báo cáo quét {}: hãy nhập ở mục «Nhập kết quả quét», công cụ «{}»",
                t.label(khien_domain::Lang::Vi),
                t.code()
            ),
            JsonContent::Other => "hãy lưu bảng thành tệp theo mẫu tải từ hệ thống".into(),
        }
    }

    fn advice_en(self) -> String {
        match self {
            JsonContent::OscalCatalog => "it is an OSCAL catalog: use «Import OSCAL catalogue»".into(),
            JsonContent::OscalProfile => "it is an OSCAL profile: use «Import OSCAL profile»".into(),
            JsonContent::ScanReport(t) => format!(
                "it is a {} scan report: import it under «Import scan results», tool «{}»",
                t.label(khien_domain::Lang::En),
                t.code()
            ),
            JsonContent::Other => "save the table in the template downloaded from the system".into(),
        }
    }
}

/// What went wrong. Values quoted from the file are kept verbatim here and
/// shortened only when shown in a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportErrorKind {
    UnknownFormat,
    /// Excel 97-2003 binary workbook.
    LegacyXls,
    EmptyFile,
    /// Not UTF-8 (e.g. UTF-16 "Unicode text" or a legacy code page).
    NotUtf8,
    /// A quoted CSV field that is never closed.
    UnclosedQuote,
    MalformedCsv(String),
    MalformedXlsx(String),
    MalformedJson(String),
    NoSheet,
    NoHeader,
    TooLarge {
        max_rows: usize,
    },
    /// An XLSX whose parts really unpack to more than the cap (zip bomb guard): one part
    /// (`part`, its name in the archive) or all together (`None`).
    UnpackedTooLarge {
        max_mib: u64,
        part: Option<String>,
    },
    /// An archive of more parts than any workbook has.
    TooManyParts {
        max: usize,
    },
    /// A sheet of more non-empty cells than an import takes.
    TooManyCells {
        max: usize,
    },
    /// A required column is absent from the header row.
    MissingColumn {
        label_vi: &'static str,
        key: &'static str,
    },
    /// Two header cells mean the same column; the error's field is the second.
    DuplicateColumn {
        first: String,
    },
    /// A non-empty cell to the right of the last header cell.
    CellOutsideHeader {
        column: String,
    },
    /// An Excel error value (#N/A, #REF!…) in a cell that is read.
    ExcelErrorCell(String),
    /// A date/time cell where text is expected.
    DateCell,
    Required,
    TooLong {
        max: usize,
        actual: usize,
    },
    InvalidCode {
        value: String,
        ch: char,
    },
    CodeStart {
        value: String,
    },
    InvalidUnitType {
        value: String,
    },
    InvalidEmail {
        value: String,
    },
    InvalidPhone {
        value: String,
    },
    /// Text that would be read as a formula by a spreadsheet.
    FormulaLike {
        value: String,
    },
    ControlChar {
        value: String,
    },
    DuplicateCode {
        code: String,
        first: Location,
    },
    /// A plan's task numbered under a section the table does not have (1.2 without 1).
    UnknownSection {
        number: String,
        section: String,
    },
    /// A Word document none of whose tables has a plan's task columns (STT, Nhiệm vụ, Chủ trì).
    NoTaskTable {
        tables: usize,
    },
    /// A Word document that cannot be read (damaged archive or XML).
    MalformedDocx(String),
    /// A plan's task table given in a format it does not come in.
    PlanTableFormats,
    SelfParent {
        code: String,
    },
    /// For callers: a parent code found neither in the file nor in the
    /// system (see `SourcedUnit::unknown_parent_error`).
    UnknownParent {
        code: String,
    },
    /// A ward's ProvinceCode differs from the province that contains it.
    ParentMismatch {
        expected: String,
        found: String,
    },
    /// Several required columns are absent from the header row (one absent
    /// column is `MissingColumn`): (Vietnamese label, key) of each.
    MissingColumns {
        columns: Vec<(&'static str, &'static str)>,
    },
    /// Header cells merged in the XLSX (range as Excel writes it, "K1:L1"):
    /// every column needs its own header cell.
    MergedHeader {
        range: String,
    },
    /// Cells merged below the header: every row needs its own values.
    MergedCells {
        range: String,
    },
    /// The same header text over two columns (what a merged header becomes
    /// once unmerged or exported); the error's field is the repeated text.
    RepeatedHeader {
        first_column: String,
    },
    /// An importer that reads only spreadsheets got something else (binary…).
    CsvOrXlsxOnly,
    /// A table import (systems, catalogue table) got a JSON file: says so, the formats it
    /// accepts (".csv, .xlsx"…) and, from the content, which import reads the file.
    JsonNotTable {
        accepted: &'static str,
        looks_like: JsonContent,
    },
    /// A value outside a coded column's list.
    InvalidChoice {
        value: String,
        choices: &'static [Choice],
    },
    /// A yes/no cell that is neither.
    InvalidFlag {
        value: String,
    },
    /// Not a non-negative whole number.
    InvalidNumber {
        value: String,
    },
    /// Not a whole number between `min` and `max`.
    OutOfRange {
        value: String,
        min: i64,
        max: i64,
    },
    /// Not a date; empty `value` means an Excel time or duration cell.
    InvalidDate {
        value: String,
    },
    /// For callers: the owning unit's code is not in the system (see
    /// `SourcedSystem::unknown_owner_error`).
    UnknownOwnerUnit {
        code: String,
    },
    /// For callers: an inventory row naming a system the caller does not have (see
    /// `inventory::SourcedAsset::unknown_system_error`).
    UnknownSystem {
        code: String,
    },
    /// An inventory's asset group that is none of hardware, software, information.
    InvalidAssetGroup {
        value: String,
    },
    /// For callers: an IP range that is not a valid CIDR (see
    /// `SourcedSystem::invalid_ip_range_error`).
    InvalidIpRange {
        value: String,
    },
    /// An IP address that does not parse (a botnet list's address column).
    InvalidIp {
        value: String,
    },
    JsonNotArray,
    /// A value that must be an array (e.g. "Wards").
    JsonExpectedArray,
    JsonNotObject,
    JsonNotText,
    UnknownJsonField,
}

/// A failed import: file, place, column/field as named in the file, reason.
/// Boxed so that `Result<_, ImportError>` stays one pointer wide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError(Box<Details>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Details {
    file_name: String,
    location: Location,
    field: Option<String>,
    kind: ImportErrorKind,
}

/// File names come from the uploader: keep them whole but printable.
fn printable(name: &str) -> String {
    name.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// Shortens a quoted value (see `khien_domain::error::shorten`).
pub(super) fn q(value: &str) -> String {
    khien_domain::error::shorten(value, 60)
}

impl ImportError {
    pub fn new(file_name: &str, location: Location, field: Option<&str>, kind: ImportErrorKind) -> Self {
        ImportError(Box::new(Details {
            file_name: file_name.to_string(),
            location,
            field: field.map(str::to_string),
            kind,
        }))
    }

    /// The uploaded file's name, as given to the parser.
    pub fn file_name(&self) -> &str {
        &self.0.file_name
    }

    pub fn location(&self) -> &Location {
        &self.0.location
    }

    /// The same error, placed in a Word document's table (its rows were read as a sheet's).
    pub(crate) fn in_table(mut self, table: usize) -> ImportError {
        self.0.location = match self.0.location {
            Location::Row(row) => Location::TableRow { table, row },
            Location::File => Location::TableRow { table, row: 1 },
            other => other,
        };
        self
    }

    /// Column header or JSON key exactly as written in the file.
    pub fn field(&self) -> Option<&str> {
        self.0.field.as_deref()
    }

    pub fn kind(&self) -> &ImportErrorKind {
        &self.0.kind
    }

    fn field_is_json_key(&self) -> bool {
        matches!(self.0.location, Location::Item(_))
    }

    /// Full Vietnamese sentence, for the user interface.
    pub fn message_vi(&self) -> String {
        let mut s = format!("Tệp {}", printable(&self.0.file_name));
        let loc = self.0.location.vi();
        if !loc.is_empty() {
            s.push_str(", ");
            s.push_str(&loc);
        }
        if let Some(f) = &self.0.field {
            let what = if self.field_is_json_key() { "trường" } else { "cột" };
            s.push_str(&format!(", {what} «{}»", q(f)));
        }
        s.push_str(": ");
        s.push_str(&self.reason_vi());
        s
    }

    /// Full English sentence; also what `Display` prints.
    pub fn message_en(&self) -> String {
        let mut s = format!("File {}", printable(&self.0.file_name));
        let loc = self.0.location.en();
        if !loc.is_empty() {
            s.push_str(", ");
            s.push_str(&loc);
        }
        if let Some(f) = &self.0.field {
            let what = if self.field_is_json_key() { "field" } else { "column" };
            s.push_str(&format!(", {what} «{}»", q(f)));
        }
        s.push_str(": ");
        s.push_str(&self.reason_en());
        s
    }
}

pub(super) const JSON_KEYS: &str =
    "code, name, type (unit_type), parent_code, head_name, focal_name, focal_phone, focal_email";

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_en())
    }
}

impl std::error::Error for ImportError {}

/// A failed export. Writers of in-memory buffers fail only on limits of the
/// format (e.g. a cell longer than Excel's 32,767 characters).
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("could not write the XLSX file: {0}")]
    Xlsx(String),
    #[error("could not write the CSV file: {0}")]
    Csv(String),
}
