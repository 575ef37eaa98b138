//! Errors of STIX import and export, with full Vietnamese and English
//! messages naming the object and the property at fault.

use std::fmt;

/// Why a STIX pattern could not be read (see [`StixErrorKind::BadPattern`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternProblem {
    /// The pattern is empty or only spaces.
    Empty,
    /// A string opened with `'` is never closed.
    UnclosedQuote,
    /// A backslash inside a string followed by something other than `'` or `\`.
    BadEscape(char),
    /// A character that has no place in a STIX pattern.
    UnexpectedChar(char),
    /// A `[` or `(` opened at `open_at` (1-based character) is never closed.
    Unclosed { open: char, open_at: usize },
    /// Something else than what the grammar allows here; `found` is the
    /// text found, or empty at the end of the pattern.
    Expected { expected: &'static str, found: String },
    /// Brackets or parentheses nested deeper than the reader accepts.
    TooDeep { max: usize },
}

/// What went wrong. Values quoted from the input are kept verbatim here and
/// shortened only when shown in a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StixErrorKind {
    /// The bytes are not JSON (or not UTF-8); 1-based line and column.
    NotJson {
        line: usize,
        column: usize,
        detail: String,
    },
    /// Nothing but white space.
    EmptyInput,
    /// The JSON is neither a bundle, an array of STIX objects nor one object.
    NotStix,
    /// An element of the object list is not a JSON object.
    NotAnObject,
    /// A required property is absent.
    MissingProperty,
    /// A property holds the wrong kind of JSON value.
    WrongType {
        expected: &'static str,
    },
    /// An `id` that is not `<type>--<UUID>` with the object's own type.
    BadId {
        value: String,
    },
    /// A `type` that is not a valid STIX type name.
    BadType {
        value: String,
    },
    /// A STIX 2.1 domain or relationship object without `spec_version`.
    MissingSpecVersion,
    /// A `spec_version` other than 2.1 (or 2.0, which is read too).
    UnsupportedSpecVersion {
        value: String,
    },
    /// Not an RFC 3339 timestamp.
    BadTimestamp {
        value: String,
    },
    /// The pattern does not follow the STIX patterning grammar; `position`
    /// is the 1-based character where the problem was found.
    BadPattern {
        position: usize,
        problem: PatternProblem,
    },
    TooManyObjects {
        max: usize,
        actual: usize,
    },
    /// A string (value or property name) longer than the limit, in bytes.
    StringTooLong {
        max_bytes: usize,
        actual: usize,
    },
    /// Export: an empty required input value.
    EmptyValue,
    /// Export: a value outside its closed list.
    UnknownValue {
        value: String,
        allowed: &'static [&'static str],
    },
    /// Export: an observable value that is not valid for its kind.
    InvalidObservable {
        kind: String,
        value: String,
    },
    /// Export: a number outside its range.
    OutOfRange {
        value: i64,
        min: i64,
        max: i64,
    },
    /// Export: two inputs of the same type with the same key.
    DuplicateKey {
        key: String,
    },
    /// Export: this time is before the time in `earlier` (a property name).
    TimeOrder {
        earlier: &'static str,
    },
    /// Export: the JSON writer failed (should not happen).
    Serialize(String),
}

/// A failed STIX import or export: the object (STIX id, `objects[12]` when
/// the id is missing or bad, or the input key on export), the property, and
/// the reason. Boxed so that `Result<_, StixError>` stays one pointer wide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StixError(Box<Details>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Details {
    object: Option<String>,
    property: Option<String>,
    kind: StixErrorKind,
}

/// Shortens a quoted value (see `khien_domain::error::shorten`).
fn q(value: &str) -> String {
    khien_domain::error::shorten(value, 80)
}

impl StixError {
    pub fn new(object: Option<&str>, property: Option<&str>, kind: StixErrorKind) -> Self {
        StixError(Box::new(Details {
            object: object.map(str::to_string),
            property: property.map(str::to_string),
            kind,
        }))
    }

    /// The STIX id of the object at fault, `objects[12]` (or `[12]` in a
    /// bare array) when it has no usable id, `bundle` for the envelope; on
    /// export, the input key (`incident:17`).
    pub fn object(&self) -> Option<&str> {
        self.0.object.as_deref()
    }

    /// The property as named in STIX (`pattern`, `valid_from`…), or the input
    /// field on export (`tlp`, `value`…).
    pub fn property(&self) -> Option<&str> {
        self.0.property.as_deref()
    }

    pub fn kind(&self) -> &StixErrorKind {
        &self.0.kind
    }

    /// Full Vietnamese sentence, for the user interface.
    pub fn message_vi(&self) -> String {
        let mut s = String::from("Dữ liệu STIX");
        if let Some(o) = &self.0.object {
            s.push_str(&format!(", đối tượng {}", q(o)));
        }
        if let Some(p) = &self.0.property {
            s.push_str(&format!(", thuộc tính «{}»", q(p)));
        }
        s.push_str(": ");
        s.push_str(&self.reason_vi());
        s
    }

    /// Full English sentence; also what `Display` prints.
    pub fn message_en(&self) -> String {
        let mut s = String::from("STIX data");
        if let Some(o) = &self.0.object {
            s.push_str(&format!(", object {}", q(o)));
        }
        if let Some(p) = &self.0.property {
            s.push_str(&format!(", property «{}»", q(p)));
        }
        s.push_str(": ");
        s.push_str(&self.reason_en());
        s
    }

    fn reason_vi(&self) -> String {
        use StixErrorKind as K;
        match &self.0.kind {
            K::NotJson { line, column, detail } => {
                format!("không phải JSON hợp lệ ở dòng {line}, ký tự {column} ({detail})")
            }
            K::EmptyInput => "dữ liệu rỗng".into(),
            K::NotStix => "không phải dữ liệu STIX; cần một bundle ({\"type\": \"bundle\", \"objects\": […]}), một mảng đối tượng STIX hoặc một đối tượng STIX".into(),
            K::NotAnObject => "phần tử phải là một đối tượng JSON ({…})".into(),
            K::MissingProperty => "thiếu thuộc tính bắt buộc".into(),
            K::WrongType { expected } => format!("giá trị phải là {}", kind_vi(expected)),
            K::BadId { value } => format!(
                "định danh «{}» không hợp lệ; cần dạng <type>--<UUID> với đúng loại của đối tượng",
                q(value)
            ),
            K::BadType { value } => format!(
                "loại «{}» không hợp lệ; chỉ dùng chữ thường, chữ số và dấu gạch ngang",
                q(value)
            ),
            K::MissingSpecVersion => "thiếu spec_version; đối tượng STIX 2.1 phải ghi spec_version «2.1» (tệp STIX 2.0 phải ghi spec_version «2.0» ở bundle)".into(),
            K::UnsupportedSpecVersion { value } => format!(
                "phiên bản STIX «{}» không được hỗ trợ; chỉ đọc STIX 2.1 và 2.0",
                q(value)
            ),
            K::BadTimestamp { value } => format!(
                "«{}» không phải thời điểm hợp lệ; cần dạng RFC 3339, ví dụ 2026-01-31T08:30:00.000Z",
                q(value)
            ),
            K::BadPattern { position, problem } => {
                format!("biểu thức STIX sai cú pháp ở ký tự {position}: {}", problem_vi(problem))
            }
            K::TooManyObjects { max, actual } => {
                format!("có {actual} đối tượng, vượt quá giới hạn {max} đối tượng")
            }
            K::StringTooLong { max_bytes, actual } => format!(
                "chuỗi dài {actual} byte, vượt quá giới hạn {max_bytes} byte"
            ),
            K::EmptyValue => "không được để trống".into(),
            K::UnknownValue { value, allowed } => format!(
                "giá trị «{}» không hợp lệ; chọn một trong: {}",
                q(value),
                allowed.join(", ")
            ),
            K::InvalidObservable { kind, value } => {
                format!("«{}» không phải giá trị hợp lệ cho loại {}", q(value), q(kind))
            }
            K::OutOfRange { value, min, max } => {
                format!("{value} nằm ngoài khoảng cho phép từ {min} đến {max}")
            }
            K::DuplicateKey { key } => format!("khóa «{}» bị trùng", q(key)),
            K::TimeOrder { earlier } => {
                format!("thời điểm này sớm hơn thời điểm «{earlier}»")
            }
            K::Serialize(d) => format!("không ghi được JSON ({d})"),
        }
    }

    fn reason_en(&self) -> String {
        use StixErrorKind as K;
        match &self.0.kind {
            K::NotJson { line, column, detail } => {
                format!("not valid JSON at line {line}, character {column} ({detail})")
            }
            K::EmptyInput => "the data is empty".into(),
            K::NotStix => "not STIX data; expected a bundle ({\"type\": \"bundle\", \"objects\": […]}), an array of STIX objects or one STIX object".into(),
            K::NotAnObject => "the item must be a JSON object ({…})".into(),
            K::MissingProperty => "a required property is missing".into(),
            K::WrongType { expected } => format!("the value must be {}", kind_en(expected)),
            K::BadId { value } => format!(
                "the identifier «{}» is invalid; expected <type>--<UUID> with the object's own type",
                q(value)
            ),
            K::BadType { value } => format!(
                "the type «{}» is invalid; use only lower-case letters, digits and hyphens",
                q(value)
            ),
            K::MissingSpecVersion => "spec_version is missing; STIX 2.1 objects must state spec_version «2.1» (STIX 2.0 files must state spec_version «2.0» on the bundle)".into(),
            K::UnsupportedSpecVersion { value } => format!(
                "STIX version «{}» is not supported; only STIX 2.1 and 2.0 are read",
                q(value)
            ),
            K::BadTimestamp { value } => format!(
                "«{}» is not a valid timestamp; expected RFC 3339, e.g. 2026-01-31T08:30:00.000Z",
                q(value)
            ),
            K::BadPattern { position, problem } => {
                format!("the STIX pattern is malformed at character {position}: {}", problem_en(problem))
            }
            K::TooManyObjects { max, actual } => {
                format!("there are {actual} objects, more than the limit of {max}")
            }
            K::StringTooLong { max_bytes, actual } => format!(
                "a string is {actual} bytes long, more than the limit of {max_bytes} bytes"
            ),
            K::EmptyValue => "must not be empty".into(),
            K::UnknownValue { value, allowed } => format!(
                "«{}» is not valid; use one of {}",
                q(value),
                allowed.join(", ")
            ),
            K::InvalidObservable { kind, value } => {
                format!("«{}» is not a valid {} value", q(value), q(kind))
            }
            K::OutOfRange { value, min, max } => {
                format!("{value} is outside the allowed range {min} to {max}")
            }
            K::DuplicateKey { key } => format!("the key «{}» is used twice", q(key)),
            K::TimeOrder { earlier } => format!("this time is before «{earlier}»"),
            K::Serialize(d) => format!("the JSON could not be written ({d})"),
        }
    }
}

fn kind_vi(expected: &str) -> &'static str {
    match expected {
        "string" => "chuỗi văn bản",
        "array" => "mảng ([…])",
        "strings" => "mảng các chuỗi văn bản ([\"…\", …])",
        "object" => "đối tượng ({…})",
        "boolean" => "true hoặc false",
        _ => "giá trị đúng kiểu",
    }
}

fn kind_en(expected: &str) -> &'static str {
    match expected {
        "string" => "a text string",
        "array" => "an array ([…])",
        "strings" => "an array of text strings ([\"…\", …])",
        "object" => "an object ({…})",
        "boolean" => "true or false",
        _ => "of the right type",
    }
}

fn problem_vi(p: &PatternProblem) -> String {
    use PatternProblem as P;
    match p {
        P::Empty => "biểu thức rỗng".into(),
        P::UnclosedQuote => "dấu nháy đơn (') mở ở đây không được đóng".into(),
        P::BadEscape(c) => format!("sau dấu \\ chỉ được là ' hoặc \\, không phải «{}»", q(&c.to_string())),
        P::UnexpectedChar(c) => format!("ký tự «{}» không hợp lệ", q(&c.to_string())),
        P::Unclosed { open, open_at } => {
            format!("dấu «{open}» mở ở ký tự {open_at} không được đóng")
        }
        P::Expected { expected, found } if found.is_empty() => {
            format!("biểu thức kết thúc khi còn cần {expected}")
        }
        P::Expected { expected, found } => format!("cần {expected} nhưng gặp «{}»", q(found)),
        P::TooDeep { max } => format!("lồng ngoặc quá {max} cấp"),
    }
}

fn problem_en(p: &PatternProblem) -> String {
    use PatternProblem as P;
    match p {
        P::Empty => "the pattern is empty".into(),
        P::UnclosedQuote => "a quote (') opened here is never closed".into(),
        P::BadEscape(c) => format!("a \\ may only be followed by ' or \\, not «{}»", q(&c.to_string())),
        P::UnexpectedChar(c) => format!("the character «{}» is not allowed", q(&c.to_string())),
        P::Unclosed { open, open_at } => {
            format!("the «{open}» opened at character {open_at} is never closed")
        }
        P::Expected { expected, found } if found.is_empty() => {
            format!("the pattern ends where {expected} is expected")
        }
        P::Expected { expected, found } => format!("expected {expected} but found «{}»", q(found)),
        P::TooDeep { max } => format!("brackets are nested more than {max} levels deep"),
    }
}

impl fmt::Display for StixError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_en())
    }
}

impl std::error::Error for StixError {}
