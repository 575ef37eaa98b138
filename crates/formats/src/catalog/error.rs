//! Errors of catalogue import, in Vietnamese and English: file, place (row, or JSON path),
//! column or field, reason.

use std::fmt;

use khien_domain::catalog::{CatalogueProblem, LevelSetError, ProblemKind};

use crate::error::{ImportError, ImportErrorKind, Location};

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogErrorKind {
    /// A reason shared with the other importers: reading the file (encoding, damaged XLSX, JSON
    /// syntax, missing column…) or a cell (required, too long, control characters, formula-like
    /// text, invalid or duplicate id).
    Import(ImportErrorKind),
    /// A kind other than group / requirement (nhóm / yêu cầu).
    InvalidKind {
        value: String,
    },
    /// Levels that are not a set of levels 1–5.
    InvalidLevels {
        value: String,
        error: LevelSetError,
    },
    /// A catalogue rule (see `khien_domain::catalog`), such as an unknown parent or a cycle.
    Rule(CatalogueProblem),
    /// JSON that is not an OSCAL document (no `catalog`, `profile`… at the top).
    NotOscal,
    /// An OSCAL document of another model, e.g. a system security plan given as a catalog.
    WrongModel {
        expected: &'static str,
        found: String,
    },
    MissingProperty,
    /// A property holding the wrong kind of JSON value.
    WrongType {
        expected: &'static str,
    },
    /// Profile ids that name no control of the catalogue given.
    UnknownControls {
        ids: Vec<String>,
        catalogue: String,
    },
    /// A profile feature Khiên does not resolve.
    Unsupported {
        what: String,
    },
    /// A profile that selects no control.
    NothingSelected,
    TooLarge {
        max_bytes: usize,
    },
    /// YAML that does not parse: the parser's reason (the error's location is its line and
    /// character).
    MalformedYaml(String),
    /// YAML anchors and aliases (`&a` … `*a`) that expand to far more than the file holds
    /// ("billion laughs"): refused before the expansion is built.
    AliasExpansion,
    /// A key the YAML format does not have; the error's field is the key as written.
    UnknownKey {
        allowed: &'static str,
    },
    /// A key written twice in one YAML mapping; the error's field is the key.
    DuplicateKey,
    /// A YAML node inside the `children` of `container` whose `parent_id` names another node.
    ParentMismatch {
        parent_id: String,
        container: String,
    },
}

/// A failed catalogue import. Boxed so that `Result<_, CatalogError>` stays one pointer wide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogError(Box<Details>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Details {
    file_name: String,
    location: Location,
    field: Option<String>,
    kind: CatalogErrorKind,
}

fn q(value: &str) -> String {
    khien_domain::error::shorten(value, 60)
}

fn list(ids: &[String]) -> String {
    let shown: Vec<String> = ids.iter().take(20).map(|i| q(i)).collect();
    let more = ids.len().saturating_sub(shown.len());
    if more > 0 {
        format!("{} (+{more})", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

impl CatalogErrorKind {
    /// A catalogue-rule problem as what every importer reports: a duplicate id as the shared
    /// duplicate-code reason naming the first place (`place` of its node index), other rules
    /// as they are.
    pub(crate) fn of_problem(p: &CatalogueProblem, place: impl Fn(Option<usize>) -> Location) -> CatalogErrorKind {
        match &p.kind {
            ProblemKind::DuplicateId { first_index } => CatalogErrorKind::Import(ImportErrorKind::DuplicateCode {
                code: p.id.clone().unwrap_or_default(),
                first: place(Some(*first_index)),
            }),
            _ => CatalogErrorKind::Rule(p.clone()),
        }
    }
}

impl From<ImportError> for CatalogError {
    fn from(e: ImportError) -> CatalogError {
        CatalogError::new(e.file_name(), e.location().clone(), e.field(), CatalogErrorKind::Import(e.kind().clone()))
    }
}

impl CatalogError {
    pub fn new(file_name: &str, location: Location, field: Option<&str>, kind: CatalogErrorKind) -> CatalogError {
        CatalogError(Box::new(Details {
            file_name: file_name.to_string(),
            location,
            field: field.map(str::to_string),
            kind,
        }))
    }

    pub fn file_name(&self) -> &str {
        &self.0.file_name
    }

    /// A spreadsheet row, a JSON or YAML item path (`catalog.groups[3].controls[12]`,
    /// `nodes[3].children[2]`), a line and character (JSON or YAML syntax), or the file.
    pub fn location(&self) -> &Location {
        &self.0.location
    }

    /// The column header (spreadsheets), JSON property or YAML key as written in the file.
    pub fn field(&self) -> Option<&str> {
        self.0.field.as_deref()
    }

    pub fn kind(&self) -> &CatalogErrorKind {
        &self.0.kind
    }

    /// For JSON and YAML: the item path and the property, `catalog.groups[3].controls[12].id`.
    pub fn json_path(&self) -> Option<String> {
        match (&self.0.location, &self.0.field) {
            (Location::Item(p), Some(f)) => Some(format!("{p}.{f}")),
            (Location::Item(p), None) => Some(p.clone()),
            _ => None,
        }
    }

    fn prefix(&self, vi: bool) -> String {
        let d = &self.0;
        let name: String = d.file_name.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        let mut s = if vi { format!("Tệp {name}") } else { format!("File {name}") };
        let place = match (&d.location, vi) {
            (Location::File, _) => String::new(),
            (Location::Row(r) | Location::Line(r), true) => format!("dòng {r}"),
            (Location::Row(r), false) => format!("row {r}"),
            (Location::Line(r), false) => format!("line {r}"),
            (Location::LineColumn { line, column }, true) => format!("dòng {line}, ký tự {column}"),
            (Location::LineColumn { line, column }, false) => format!("line {line}, character {column}"),
            (Location::Item(p), true) => format!("vị trí {}", q(p)),
            (Location::Item(p), false) => format!("at {}", q(p)),
            (Location::TableRow { table, row }, true) => format!("bảng {table}, dòng {row}"),
            (Location::TableRow { table, row }, false) => format!("table {table}, row {row}"),
        };
        if !place.is_empty() {
            s.push_str(", ");
            s.push_str(&place);
        }
        if let Some(f) = &d.field {
            let json = matches!(d.location, Location::Item(_));
            let what = match (json, vi) {
                (true, true) => "trường",
                (true, false) => "field",
                (false, true) => "cột",
                (false, false) => "column",
            };
            s.push_str(&format!(", {what} «{}»", q(f)));
        }
        s
    }

    fn as_import(&self) -> Option<ImportError> {
        match &self.0.kind {
            CatalogErrorKind::Import(k) => {
                Some(ImportError::new(&self.0.file_name, self.0.location.clone(), self.0.field.as_deref(), k.clone()))
            }
            _ => None,
        }
    }

    /// Full Vietnamese sentence, for the user interface.
    pub fn message_vi(&self) -> String {
        match self.as_import() {
            Some(e) => e.message_vi(),
            None => format!("{}: {}", self.prefix(true), self.reason(true)),
        }
    }

    /// Full English sentence; also what `Display` prints.
    pub fn message_en(&self) -> String {
        match self.as_import() {
            Some(e) => e.message_en(),
            None => format!("{}: {}", self.prefix(false), self.reason(false)),
        }
    }

    fn reason(&self, vi: bool) -> String {
        use CatalogErrorKind as K;
        let pick = |v: String, e: String| if vi { v } else { e };
        match &self.0.kind {
            K::Import(_) => String::new(),
            K::InvalidKind { value } => pick(
                format!("«{}» không phải loại mục hợp lệ; ghi «nhóm» (group) hoặc «yêu cầu» (requirement)", q(value)),
                format!("«{}» is not a valid kind; write «group» (nhóm) or «requirement» (yêu cầu)", q(value)),
            ),
            K::InvalidLevels { error, .. } => {
                let m = error.msg();
                pick(m.vi, m.en)
            }
            K::Rule(p) => {
                let m = p.reason();
                pick(m.vi, m.en)
            }
            K::NotOscal => pick(
                "không phải tài liệu OSCAL (cần đối tượng gốc «catalog» hoặc «profile»)".into(),
                "not an OSCAL document (a top-level «catalog» or «profile» is needed)".into(),
            ),
            K::WrongModel { expected, found } => pick(
                format!("đây là tài liệu OSCAL loại «{}», không phải «{expected}»", q(found)),
                format!("this is an OSCAL «{}» document, not a «{expected}»", q(found)),
            ),
            K::MissingProperty => pick("thiếu thuộc tính bắt buộc".into(), "a required property is missing".into()),
            K::WrongType { expected } => {
                let vi_kind = match *expected {
                    "object" => "đối tượng ({…})",
                    "array" => "mảng ([…])",
                    "text" => "chuỗi văn bản",
                    "mapping" => "một mục dạng «khóa: giá trị» (id:, kind:, …)",
                    "list" => "danh sách các mục (mỗi mục bắt đầu bằng «- »)",
                    "nodes" => "danh sách các mục (nodes: hoặc «- »)",
                    other => other,
                };
                pick(format!("giá trị phải là {vi_kind}"), format!("the value must be {}", en_kind(expected)))
            }
            K::UnknownControls { ids, catalogue } => pick(
                format!("không tìm thấy {} biện pháp trong danh mục «{}»: {}", ids.len(), q(catalogue), list(ids)),
                format!("{} control(s) not found in the catalogue «{}»: {}", ids.len(), q(catalogue), list(ids)),
            ),
            K::Unsupported { what } => pick(
                format!("Khiên chưa hỗ trợ «{}» trong hồ sơ OSCAL", q(what)),
                format!("Khiên does not support «{}» in OSCAL profiles", q(what)),
            ),
            K::NothingSelected => pick("hồ sơ không chọn biện pháp nào".into(), "the profile selects no control".into()),
            K::TooLarge { max_bytes } => pick(
                format!("tệp quá lớn; tối đa {} MiB", max_bytes / (1024 * 1024)),
                format!("the file is too large; at most {} MiB", max_bytes / (1024 * 1024)),
            ),
            K::MalformedYaml(d) => {
                let d = khien_domain::error::shorten(d, 200);
                pick(format!("tệp YAML sai cú pháp ({d})"), format!("the YAML is malformed ({d})"))
            }
            K::AliasExpansion => pick(
                "các neo và bí danh YAML (&… và *…) bung ra lớn hơn nhiều so với nội dung tệp (kiểu tấn công «billion laughs»); tệp bị từ chối".into(),
                "the YAML anchors and aliases (&… and *…) expand to far more than the file holds (a «billion laughs» attack); the file is refused".into(),
            ),
            K::UnknownKey { allowed } => pick(
                format!("khóa không được hỗ trợ; các khóa hợp lệ: {allowed}"),
                format!("unknown key; the valid keys are {allowed}"),
            ),
            K::DuplicateKey => pick("khóa được ghi hai lần trong cùng một mục".into(), "the key is written twice in the same item".into()),
            K::ParentMismatch { parent_id, container } => pick(
                format!("mục nằm trong «children» của «{}» nhưng «parent_id» ghi «{}»; bỏ «parent_id» hoặc chuyển mục ra đúng chỗ", q(container), q(parent_id)),
                format!("the item sits in the «children» of «{}» but its «parent_id» says «{}»; drop «parent_id» or move the item", q(container), q(parent_id)),
            ),
        }
    }
}

fn en_kind(expected: &str) -> String {
    match expected {
        "object" => "an object ({…})".into(),
        "array" => "an array ([…])".into(),
        "text" => "a text string".into(),
        "mapping" => "an item of «key: value» lines (id:, kind:, …)".into(),
        "list" => "a list of items (each starting with «- »)".into(),
        "nodes" => "a list of items (nodes: or «- »)".into(),
        other => other.to_string(),
    }
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_en())
    }
}

impl std::error::Error for CatalogError {}
