//! Errors of import and export, with full Vietnamese and English messages.

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
}

impl Location {
    fn vi(&self) -> String {
        match self {
            Location::File => String::new(),
            Location::Row(r) => format!("dòng {r}"),
            Location::Line(line) => format!("dòng {line}"),
            Location::LineColumn { line, column } => format!("dòng {line}, ký tự {column}"),
            Location::Item(p) => format!("phần tử {p}"),
        }
    }

    fn en(&self) -> String {
        match self {
            Location::File => String::new(),
            Location::Row(r) => format!("row {r}"),
            Location::Line(line) => format!("line {line}"),
            Location::LineColumn { line, column } => format!("line {line}, character {column}"),
            Location::Item(p) => format!("item {p}"),
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
    /// For callers: an IP range that is not a valid CIDR (see
    /// `SourcedSystem::invalid_ip_range_error`).
    InvalidIpRange {
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
fn q(value: &str) -> String {
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

    fn reason_vi(&self) -> String {
        use ImportErrorKind as K;
        match &self.0.kind {
            K::UnknownFormat => {
                "không nhận dạng được định dạng tệp; hãy dùng tệp .csv, .xlsx hoặc .json".into()
            }
            K::LegacyXls => {
                "định dạng Excel 97-2003 (.xls) không được hỗ trợ; hãy lưu lại thành .xlsx".into()
            }
            K::EmptyFile => "tệp rỗng".into(),
            K::NotUtf8 => {
                "nội dung không phải văn bản UTF-8; hãy lưu tệp dưới dạng «CSV UTF-8»".into()
            }
            K::UnclosedQuote => "dấu ngoặc kép mở ở đây không bao giờ được đóng".into(),
            K::MalformedCsv(d) => format!("tệp CSV sai cú pháp ({d})"),
            K::MalformedXlsx(d) => format!("tệp Excel bị hỏng hoặc không đọc được ({d})"),
            K::MalformedJson(d) => format!("tệp JSON sai cú pháp ({d})"),
            K::NoSheet => "tệp Excel không có trang tính nào".into(),
            K::NoHeader => "không có dòng tiêu đề (tệp không có dữ liệu)".into(),
            K::TooLarge { max_rows } => format!("tệp quá lớn; tối đa {max_rows} dòng"),
            K::UnpackedTooLarge { max_mib, part: None } => {
                format!("tệp Excel khi giải nén vượt quá {max_mib} MiB")
            }
            K::UnpackedTooLarge { max_mib, part: Some(p) } => {
                format!("phần «{p}» của tệp Excel khi giải nén vượt quá {max_mib} MiB")
            }
            K::TooManyParts { max } => format!("tệp nén có hơn {max} phần; không phải tệp Excel thông thường"),
            K::TooManyCells { max } => format!("trang tính có hơn {} ô có dữ liệu", crate::text::vn_number(*max)),
            K::MissingColumn { label_vi, key } => {
                format!("thiếu cột bắt buộc «{label_vi}» ({key}) trong dòng tiêu đề")
            }
            K::DuplicateColumn { first } => {
                format!("cột này trùng ý nghĩa với cột «{}»", q(first))
            }
            K::CellOutsideHeader { column } => {
                format!("ô ở cột {column} có dữ liệu nhưng cột này không có tiêu đề (có thể do dấu phân cách thừa)")
            }
            K::ExcelErrorCell(e) => format!("ô chứa lỗi Excel «{e}»"),
            K::DateCell => "ô chứa giá trị ngày giờ, cần văn bản".into(),
            K::Required => "không được để trống".into(),
            K::TooLong { max, actual } => {
                format!("giá trị dài {actual} ký tự, vượt quá giới hạn {max} ký tự")
            }
            K::InvalidCode { value, ch } => format!(
                "mã «{}» chứa ký tự không hợp lệ «{ch}»; chỉ dùng chữ cái Latin không dấu, chữ số và các dấu . _ -",
                q(value)
            ),
            K::CodeStart { value } => {
                format!("mã «{}» phải bắt đầu bằng chữ cái hoặc chữ số", q(value))
            }
            K::InvalidUnitType { value } => {
                format!("giá trị «{}» không phải loại đơn vị hợp lệ", q(value))
            }
            K::InvalidEmail { value } => {
                format!("«{}» không phải địa chỉ email hợp lệ", q(value))
            }
            K::InvalidPhone { value } => {
                format!("«{}» không phải số điện thoại hợp lệ", q(value))
            }
            K::FormulaLike { value } => format!(
                "giá trị «{}» bắt đầu bằng ký tự = + - @ nên có thể bị bảng tính hiểu là công thức",
                q(value)
            ),
            K::ControlChar { value } => {
                format!("giá trị «{}» chứa ký tự điều khiển hoặc ký tự vô hình không hợp lệ", q(value))
            }
            K::DuplicateCode { code, first } => {
                format!("mã «{}» bị trùng với {}", q(code), first.vi())
            }
            K::SelfParent { code } => {
                format!("đơn vị «{}» không thể là cấp trên của chính nó", q(code))
            }
            K::UnknownParent { code } => format!(
                "mã đơn vị cấp trên «{}» không có trong tệp và cũng chưa có trong hệ thống",
                q(code)
            ),
            K::ParentMismatch { expected, found } => format!(
                "mã tỉnh «{}» khác với mã «{}» của tỉnh chứa đơn vị này",
                q(found),
                q(expected)
            ),
            K::MissingColumns { columns } => format!(
                "thiếu các cột bắt buộc {} trong dòng tiêu đề",
                columns.iter().map(|(l, k)| format!("«{l}» ({k})")).collect::<Vec<_>>().join(", ")
            ),
            K::MergedHeader { range } => format!(
                "các ô tiêu đề {range} đang được gộp (merge); hãy bỏ gộp ô và đặt mỗi tiêu đề trong một ô riêng, trên cùng một dòng"
            ),
            K::MergedCells { range } => format!(
                "các ô {range} đang được gộp (merge); hãy bỏ gộp ô và ghi giá trị vào từng dòng"
            ),
            K::RepeatedHeader { first_column } => format!(
                "tiêu đề này đã có ở cột {first_column} (thường do ô tiêu đề bị gộp); mỗi cột cần một tiêu đề riêng"
            ),
            K::CsvOrXlsxOnly => "chỉ nhận tệp .csv hoặc .xlsx (theo mẫu tải từ hệ thống)".into(),
            K::JsonNotTable { accepted, looks_like } => format!(
                "tệp là JSON, còn chức năng nhập này chỉ nhận bảng {accepted}; {}",
                looks_like.advice_vi()
            ),
            K::InvalidChoice { value, choices } => format!(
                "giá trị «{}» không hợp lệ; chọn một trong: {}",
                q(value),
                choices.iter().map(|c| format!("{} ({})", c.label_vi, c.code)).collect::<Vec<_>>().join(", ")
            ),
            K::InvalidFlag { value } => format!(
                "«{}» không phải giá trị có/không; ghi x, có, yes, true hoặc 1 nếu có; để trống hoặc ghi không, no, false, 0 nếu không",
                q(value)
            ),
            K::InvalidNumber { value } => format!(
                "«{}» không phải số nguyên không âm (ví dụ 20000, 20.000 hoặc 20 000)",
                q(value)
            ),
            K::OutOfRange { value, min, max } => {
                format!("«{}» không phải số nguyên từ {min} đến {max}", q(value))
            }
            K::InvalidDate { value } if value.is_empty() => {
                "ô chỉ chứa giờ hoặc khoảng thời gian, cần một ngày (dd/mm/yyyy)".into()
            }
            K::InvalidDate { value } => format!(
                "«{}» không phải ngày hợp lệ; hãy ghi dd/mm/yyyy (ví dụ 01/07/2025) hoặc yyyy-mm-dd",
                q(value)
            ),
            K::UnknownOwnerUnit { code } => {
                format!("không có đơn vị mã «{}» trong hệ thống", q(code))
            }
            K::InvalidIpRange { value } => format!(
                "«{}» không phải dải địa chỉ IP dạng CIDR hợp lệ (ví dụ 10.10.1.0/24)",
                q(value)
            ),
            K::JsonNotArray => "tệp JSON phải là một mảng ([…]) các đơn vị".into(),
            K::JsonExpectedArray => "giá trị phải là một mảng ([…])".into(),
            K::JsonNotObject => "phần tử phải là một đối tượng ({…})".into(),
            K::JsonNotText => "giá trị phải là chuỗi văn bản".into(),
            K::UnknownJsonField => format!(
                "trường không được hỗ trợ; các trường hợp lệ: {}",
                JSON_KEYS
            ),
        }
    }

    fn reason_en(&self) -> String {
        use ImportErrorKind as K;
        match &self.0.kind {
            K::UnknownFormat => {
                "the file format is not recognised; use a .csv, .xlsx or .json file".into()
            }
            K::LegacyXls => {
                "the Excel 97-2003 format (.xls) is not supported; save the file as .xlsx".into()
            }
            K::EmptyFile => "the file is empty".into(),
            K::NotUtf8 => "the content is not UTF-8 text; save the file as «CSV UTF-8»".into(),
            K::UnclosedQuote => "a quoted field opened here is never closed".into(),
            K::MalformedCsv(d) => format!("the CSV is malformed ({d})"),
            K::MalformedXlsx(d) => format!("the Excel file is damaged or unreadable ({d})"),
            K::MalformedJson(d) => format!("the JSON is malformed ({d})"),
            K::NoSheet => "the Excel file has no worksheet".into(),
            K::NoHeader => "there is no header row (the file holds no data)".into(),
            K::TooLarge { max_rows } => format!("the file is too large; at most {max_rows} rows"),
            K::UnpackedTooLarge { max_mib, part: None } => {
                format!("the Excel file unpacks to more than {max_mib} MiB")
            }
            K::UnpackedTooLarge { max_mib, part: Some(p) } => {
                format!("the part «{p}» of the Excel file unpacks to more than {max_mib} MiB")
            }
            K::TooManyParts { max } => format!("the archive has more than {max} parts; not an ordinary Excel file"),
            K::TooManyCells { max } => format!("the sheet has more than {max} non-empty cells"),
            K::MissingColumn { label_vi, key } => {
                format!("the required column «{label_vi}» ({key}) is missing from the header row")
            }
            K::DuplicateColumn { first } => {
                format!("this column means the same as column «{}»", q(first))
            }
            K::CellOutsideHeader { column } => format!(
                "the cell in column {column} has data but the column has no header (perhaps a stray delimiter)"
            ),
            K::ExcelErrorCell(e) => format!("the cell holds the Excel error «{e}»"),
            K::DateCell => "the cell holds a date/time; text is expected".into(),
            K::Required => "must not be empty".into(),
            K::TooLong { max, actual } => {
                format!("the value is {actual} characters long, more than the limit of {max}")
            }
            K::InvalidCode { value, ch } => format!(
                "code «{}» contains the invalid character «{ch}»; use only unaccented Latin letters, digits and . _ -",
                q(value)
            ),
            K::CodeStart { value } => {
                format!("code «{}» must start with a letter or a digit", q(value))
            }
            K::InvalidUnitType { value } => format!("«{}» is not a valid unit type", q(value)),
            K::InvalidEmail { value } => format!("«{}» is not a valid e-mail address", q(value)),
            K::InvalidPhone { value } => format!("«{}» is not a valid phone number", q(value)),
            K::FormulaLike { value } => format!(
                "«{}» starts with = + - @ and could be taken for a formula by a spreadsheet",
                q(value)
            ),
            K::ControlChar { value } => {
                format!("«{}» contains an invalid control or invisible character", q(value))
            }
            K::DuplicateCode { code, first } => {
                format!("code «{}» duplicates {}", q(code), first.en())
            }
            K::SelfParent { code } => format!("unit «{}» cannot be its own parent", q(code)),
            K::UnknownParent { code } => format!(
                "parent code «{}» is neither in the file nor in the system",
                q(code)
            ),
            K::ParentMismatch { expected, found } => format!(
                "province code «{}» differs from the code «{}» of the province that contains this unit",
                q(found),
                q(expected)
            ),
            K::MissingColumns { columns } => format!(
                "the required columns {} are missing from the header row",
                columns.iter().map(|(l, k)| format!("«{l}» ({k})")).collect::<Vec<_>>().join(", ")
            ),
            K::MergedHeader { range } => format!(
                "the header cells {range} are merged; unmerge them and give every column its own header cell, all on one row"
            ),
            K::MergedCells { range } => format!(
                "the cells {range} are merged; unmerge them and fill in every row"
            ),
            K::RepeatedHeader { first_column } => format!(
                "this header already names column {first_column} (usually a merged header cell); every column needs its own header"
            ),
            K::CsvOrXlsxOnly => "only .csv and .xlsx files are accepted (use the template)".into(),
            K::JsonNotTable { accepted, looks_like } => format!(
                "the file is JSON, but this import reads only {accepted} tables; {}",
                looks_like.advice_en()
            ),
            K::InvalidChoice { value, choices } => format!(
                "«{}» is not valid; use one of {} (or its Vietnamese label)",
                q(value),
                choices.iter().map(|c| c.code).collect::<Vec<_>>().join(", ")
            ),
            K::InvalidFlag { value } => format!(
                "«{}» is not a yes/no value; write x, có, yes, true or 1 for yes; leave empty or write không, no, false or 0 for no",
                q(value)
            ),
            K::InvalidNumber { value } => format!(
                "«{}» is not a non-negative whole number (e.g. 20000, 20.000 or 20 000)",
                q(value)
            ),
            K::OutOfRange { value, min, max } => {
                format!("«{}» is not a whole number from {min} to {max}", q(value))
            }
            K::InvalidDate { value } if value.is_empty() => {
                "the cell holds only a time or a duration; a date (dd/mm/yyyy) is expected".into()
            }
            K::InvalidDate { value } => format!(
                "«{}» is not a valid date; write dd/mm/yyyy (e.g. 01/07/2025) or yyyy-mm-dd",
                q(value)
            ),
            K::UnknownOwnerUnit { code } => format!("there is no unit with code «{}» in the system", q(code)),
            K::InvalidIpRange { value } => format!(
                "«{}» is not a valid CIDR IP range (e.g. 10.10.1.0/24)",
                q(value)
            ),
            K::JsonNotArray => "the JSON must be an array ([…]) of units".into(),
            K::JsonExpectedArray => "the value must be an array ([…])".into(),
            K::JsonNotObject => "the item must be an object ({…})".into(),
            K::JsonNotText => "the value must be a text string".into(),
            K::UnknownJsonField => format!("unknown field; valid fields are {JSON_KEYS}"),
        }
    }
}

const JSON_KEYS: &str = "code, name, type (unit_type), parent_code, head_name, focal_name, focal_phone, focal_email";

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
