//! Errors of scanner-report parsing, with full Vietnamese and English messages naming the
//! place (line, column, item) and the field at fault.

use std::fmt;

use khien_domain::error::shorten;
use khien_domain::Msg;

use super::model::ScanLocation;
use super::{ScanTool, MAX_TEXT_BYTES};

/// What went wrong. Values quoted from the file are kept verbatim and shortened only when
/// shown in a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanErrorKind {
    /// Nothing but white space.
    Empty,
    /// UTF-16 or another encoding than UTF-8.
    NotUtf8,
    /// The XML is not well-formed; `detail` is the XML reader's (English) description.
    Xml { detail: String },
    /// The JSON is not well-formed, or a value has the wrong type; serde_json's description.
    Json { detail: String },
    /// The file ends early; `open` is the element (or JSON value) left open, with its line.
    Truncated { open: Option<(String, u64)> },
    /// An XML `<!DOCTYPE …>`: DTDs and entities are never read.
    Doctype,
    /// An `&name;` other than the five XML entities and character references.
    Entity { name: String },
    /// A text node, start tag with its attributes, or JSON string longer than the limit.
    TooLong { max_bytes: usize },
    /// The root element is not the tool's.
    WrongRoot { expected: &'static str, found: String },
    /// A JSON value of the wrong kind (e.g. an object where an array belongs): what was
    /// expected, in Vietnamese and English.
    WrongShape { expected_vi: &'static str, expected_en: &'static str },
    /// A required value is absent or empty (the field names it).
    Missing,
    /// An item for which the report names no host (Nessus, OpenVAS, ZAP).
    MissingHost { hint: &'static str },
    /// A severity (or risk, level, threat) outside the tool's scale.
    UnknownSeverity { value: String, allowed: &'static str },
    /// Not a number, or out of range (ports 0–65535, CVSS 0–10).
    BadNumber { value: String },
    /// A format version this reader does not read.
    UnsupportedVersion { value: String, supported: &'static str },
    /// Reading the input failed.
    Io { detail: String },
    /// The file's first bytes are recognisably a report of another tool than the one chosen
    /// (a SARIF log sent as Nessus…): refused before reading, naming the tool to choose.
    WrongTool { chosen: ScanTool, detected: ScanTool },
    /// Raised by the caller's sink (e.g. a rule of the caller's own).
    Other { vi: String, en: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Details {
    location: ScanLocation,
    field: Option<String>,
    kind: ScanErrorKind,
}

/// A failed parse. Boxed so that `Result<_, ScanError>` stays one pointer wide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanError(Box<Details>);

fn q(v: &str) -> String {
    shorten(v, 60)
}

impl ScanError {
    pub fn new(location: ScanLocation, field: Option<&str>, kind: ScanErrorKind) -> ScanError {
        ScanError(Box::new(Details { location, field: field.map(str::to_string), kind }))
    }

    /// An error of the caller's sink; `parse_scan` adds the item's location.
    pub fn other(vi: impl Into<String>, en: impl Into<String>) -> ScanError {
        ScanError::new(ScanLocation::default(), None, ScanErrorKind::Other { vi: vi.into(), en: en.into() })
    }

    pub(super) fn or_location(mut self, location: ScanLocation) -> ScanError {
        if self.0.location.is_empty() {
            self.0.location = location;
        }
        self
    }

    pub(super) fn set_line(&mut self, line: u64) {
        self.0.location.line = Some(line);
    }

    pub(super) fn set_column(&mut self, column: u64) {
        self.0.location.column = Some(column);
    }

    pub fn location(&self) -> &ScanLocation {
        &self.0.location
    }

    /// The element, attribute or JSON key at fault, as written in the file.
    pub fn field(&self) -> Option<&str> {
        self.0.field.as_deref()
    }

    pub fn kind(&self) -> &ScanErrorKind {
        &self.0.kind
    }

    /// "dòng 3, phần tử ReportHost[1], trường «host»: …" (without the file name).
    pub fn message_vi(&self) -> String {
        self.message(self.0.location.vi(), "trường", self.reason_vi())
    }

    /// "line 3, item ReportHost[1], field «host»: …"; also what `Display` prints.
    pub fn message_en(&self) -> String {
        self.message(self.0.location.en(), "field", self.reason_en())
    }

    fn message(&self, place: String, field_word: &str, reason: String) -> String {
        let mut s = place;
        if let Some(f) = &self.0.field {
            if !s.is_empty() {
                s.push_str(", ");
            }
            s.push_str(&format!("{field_word} «{}»", q(f)));
        }
        if !s.is_empty() {
            s.push_str(": ");
        }
        s.push_str(&reason);
        s
    }

    /// The domain error to show to the user who uploaded `file_name`: `Error::Invalid` with
    /// the field, the message naming file, place, field and reason in both languages
    /// (`Error::Internal` for a failure to read the input).
    pub fn into_domain(self, file_name: &str) -> khien_domain::Error {
        let name: String = file_name.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        if let ScanErrorKind::Io { detail } = &self.0.kind {
            return khien_domain::Error::internal(format!("reading scan report {name}: {detail}"));
        }
        let msg = Msg::new(format!("Tệp {name}, {}", self.message_vi()), format!("File {name}, {}", self.message_en()));
        khien_domain::Error::Invalid { field: self.0.field.clone(), msg }
    }

    fn reason_vi(&self) -> String {
        use ScanErrorKind as K;
        match &self.0.kind {
            K::Empty => "tệp rỗng".into(),
            K::NotUtf8 => "nội dung không phải văn bản UTF-8 (có thể là UTF-16); hãy xuất lại báo cáo dạng UTF-8".into(),
            K::Xml { detail } => format!("XML sai cú pháp ({})", q(detail)),
            K::Json { detail } => format!("JSON sai cú pháp hoặc sai kiểu giá trị ({})", q(detail)),
            K::Truncated { open: Some((el, line)) } => {
                format!("tệp kết thúc giữa chừng: phần tử «{}» mở ở dòng {line} chưa được đóng (tệp bị cắt cụt?)", q(el))
            }
            K::Truncated { open: None } => "tệp kết thúc giữa chừng (tệp bị cắt cụt?)".into(),
            K::Doctype => "tệp có khai báo <!DOCTYPE>; không chấp nhận DTD/thực thể (entity) vì lý do an toàn".into(),
            K::Entity { name } => format!(
                "thực thể «&{};» không được chấp nhận (không chấp nhận DTD/thực thể); chỉ dùng &lt; &gt; &amp; &quot; &apos; và mã ký tự",
                q(name)
            ),
            K::TooLong { max_bytes } => format!("giá trị dài quá giới hạn {} MiB", max_bytes / (1024 * 1024)),
            K::WrongRoot { expected, found } => {
                format!("phần tử gốc là «{}», cần «{expected}»: tệp không phải báo cáo của công cụ đã chọn", q(found))
            }
            K::WrongShape { expected_vi, .. } => format!("giá trị phải là {expected_vi}"),
            K::Missing => "thiếu giá trị bắt buộc".into(),
            K::MissingHost { hint } => format!("báo cáo không ghi máy chủ (host) cho mục này ({hint})"),
            K::UnknownSeverity { value, allowed } => {
                format!("mức độ «{}» không hợp lệ; các giá trị hợp lệ: {allowed}", q(value))
            }
            K::BadNumber { value } => format!("«{}» không phải số hợp lệ trong khoảng cho phép", q(value)),
            K::UnsupportedVersion { value, supported } => {
                format!("phiên bản «{}» không được hỗ trợ; chỉ đọc phiên bản {supported}", q(value))
            }
            K::Io { detail } => format!("không đọc được dữ liệu ({})", q(detail)),
            K::WrongTool { chosen, detected } => format!(
                "tệp này là báo cáo {}, không phải {}: hãy chọn công cụ «{}»",
                detected.label(khien_domain::Lang::Vi),
                chosen.label(khien_domain::Lang::Vi),
                detected.code()
            ),
            K::Other { vi, .. } => vi.clone(),
        }
    }

    fn reason_en(&self) -> String {
        use ScanErrorKind as K;
        match &self.0.kind {
            K::Empty => "the file is empty".into(),
            K::NotUtf8 => "the content is not UTF-8 text (UTF-16?); export the report as UTF-8".into(),
            K::Xml { detail } => format!("the XML is malformed ({})", q(detail)),
            K::Json { detail } => format!("the JSON is malformed or a value has the wrong type ({})", q(detail)),
            K::Truncated { open: Some((el, line)) } => {
                format!("the file ends early: element «{}» opened on line {line} is never closed (truncated file?)", q(el))
            }
            K::Truncated { open: None } => "the file ends early (truncated file?)".into(),
            K::Doctype => "the file has a <!DOCTYPE>; DTD/entities are not accepted, for safety".into(),
            K::Entity { name } => format!(
                "the entity «&{};» is not accepted (DTD/entities are not accepted); only &lt; &gt; &amp; &quot; &apos; and character references",
                q(name)
            ),
            K::TooLong { max_bytes } => format!("the value is longer than the limit of {} MiB", max_bytes / (1024 * 1024)),
            K::WrongRoot { expected, found } => {
                format!("the root element is «{}», expected «{expected}»: not a report of the chosen tool", q(found))
            }
            K::WrongShape { expected_en, .. } => format!("the value must be {expected_en}"),
            K::Missing => "a required value is missing".into(),
            K::MissingHost { hint } => format!("the report names no host for this item ({hint})"),
            K::UnknownSeverity { value, allowed } => format!("severity «{}» is not valid; valid values: {allowed}", q(value)),
            K::BadNumber { value } => format!("«{}» is not a valid number in the allowed range", q(value)),
            K::UnsupportedVersion { value, supported } => {
                format!("version «{}» is not supported; only version {supported} is read", q(value))
            }
            K::Io { detail } => format!("the data could not be read ({})", q(detail)),
            K::WrongTool { chosen, detected } => format!(
                "this file is a {} report, not {}: choose the tool «{}»",
                detected.label(khien_domain::Lang::En),
                chosen.label(khien_domain::Lang::En),
                detected.code()
            ),
            K::Other { en, .. } => en.clone(),
        }
    }
}

/// The default limit, for callers building `TooLong` errors.
pub(super) fn too_long() -> ScanErrorKind {
    ScanErrorKind::TooLong { max_bytes: MAX_TEXT_BYTES }
}

impl fmt::Display for ScanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_en())
    }
}

impl std::error::Error for ScanError {}
