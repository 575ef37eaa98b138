//! What can be wrong with a catalogue, in Vietnamese and English.

use std::fmt;

use super::LevelSet;
use crate::error::shorten;
use crate::{Error, Msg};

/// One rule a catalogue breaks: which node (by its position in the input and its id), which
/// field, and why. Problems about the catalogue as a whole have neither index nor id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueProblem {
    /// Position of the node in the list given to [`Catalogue::build`](super::Catalogue::build).
    pub index: Option<usize>,
    /// The node's id as written (may be empty when the id itself is the problem).
    pub id: Option<String>,
    /// `id`, `parent_id`, `kind`, `title_vi`, `levels`…; for the catalogue: `code`, `version`, `title_vi`, `nodes`.
    pub field: &'static str,
    pub kind: ProblemKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    /// The catalogue's code is empty or has characters other than `[A-Za-z0-9._-]`.
    BadCode,
    EmptyVersion,
    /// Neither a Vietnamese nor an English title (of the catalogue or of a node).
    NoTitle,
    EmptyId,
    /// An id longer than [`MAX_ID_CHARS`](super::MAX_ID_CHARS).
    IdTooLong {
        max: usize,
    },
    /// An id with a character outside `[A-Za-z0-9._-]`, or not starting with a letter or digit.
    BadIdChar {
        ch: char,
    },
    /// The id is used by an earlier node (ids compare ASCII case-insensitively).
    DuplicateId {
        first_index: usize,
    },
    /// The parent id names no node of the catalogue.
    UnknownParent {
        parent: String,
    },
    /// Following parents comes back here: the ids around the loop, first id repeated at the end.
    Cycle {
        path: Vec<String>,
    },
    /// A group may sit only under a group (or at the top).
    GroupUnderRequirement {
        parent: String,
    },
    /// A requirement that applies at no level.
    NoLevels,
    /// A node applies at levels its parent does not.
    LevelsOutsideParent {
        levels: LevelSet,
        parent: String,
        parent_levels: LevelSet,
    },
    /// The catalogue has no requirement at all.
    NoRequirements,
    /// More nodes than [`MAX_NODES`](super::MAX_NODES).
    TooManyNodes {
        max: usize,
    },
}

fn q(s: &str) -> String {
    shorten(s, 60)
}

impl CatalogueProblem {
    pub(crate) fn node(index: usize, id: &str, field: &'static str, kind: ProblemKind) -> CatalogueProblem {
        CatalogueProblem { index: Some(index), id: Some(id.to_string()), field, kind }
    }

    pub(crate) fn whole(field: &'static str, kind: ProblemKind) -> CatalogueProblem {
        CatalogueProblem { index: None, id: None, field, kind }
    }

    /// Only the reason, without the node and field (for callers that say where themselves,
    /// such as an importer naming the file's row and column).
    pub fn reason(&self) -> Msg {
        use ProblemKind as K;
        match &self.kind {
            K::BadCode => Msg::new(
                "mã danh mục phải có 1–64 ký tự chữ cái Latin không dấu, chữ số và các dấu . _ -",
                "the catalogue code must have 1–64 characters: unaccented Latin letters, digits and . _ -",
            ),
            K::EmptyVersion => Msg::new("phiên bản không được để trống", "the version must not be empty"),
            K::NoTitle => Msg::new(
                "cần tiêu đề tiếng Việt hoặc tiếng Anh (ít nhất một)",
                "a Vietnamese or an English title is needed (at least one)",
            ),
            K::EmptyId => Msg::new("mã mục không được để trống", "the id must not be empty"),
            K::IdTooLong { max } => Msg::new(format!("mã mục dài quá {max} ký tự"), format!("the id is longer than {max} characters")),
            K::BadIdChar { ch } => Msg::new(
                format!("mã mục chứa ký tự «{ch}» không hợp lệ; chỉ dùng chữ cái Latin không dấu, chữ số và . _ -, bắt đầu bằng chữ cái hoặc chữ số"),
                format!("the id contains the invalid character «{ch}»; use unaccented Latin letters, digits and . _ -, starting with a letter or digit"),
            ),
            K::DuplicateId { first_index } => Msg::new(
                format!("mã mục bị trùng với mục thứ {}", first_index + 1),
                format!("the id duplicates item {}", first_index + 1),
            ),
            K::UnknownParent { parent } => Msg::new(
                format!("mục cha «{}» không có trong danh mục", q(parent)),
                format!("the parent «{}» is not in the catalogue", q(parent)),
            ),
            K::Cycle { path } => {
                let p = path.iter().map(|s| q(s)).collect::<Vec<_>>().join(" → ");
                Msg::new(
                    format!("quan hệ cha–con tạo thành vòng lặp: {p}"),
                    format!("the parent links form a cycle: {p}"),
                )
            }
            K::GroupUnderRequirement { parent } => Msg::new(
                format!("nhóm không thể nằm dưới yêu cầu «{}»; nhóm chỉ nằm dưới nhóm khác hoặc ở cấp cao nhất", q(parent)),
                format!("a group cannot sit under the requirement «{}»; groups sit under groups or at the top", q(parent)),
            ),
            K::NoLevels => Msg::new(
                "yêu cầu phải áp dụng cho ít nhất một cấp độ (ví dụ 1-5 hoặc 3+)",
                "a requirement must apply to at least one level (e.g. 1-5 or 3+)",
            ),
            K::LevelsOutsideParent { levels, parent, parent_levels } => Msg::new(
                format!("cấp độ {levels} vượt ra ngoài cấp độ {parent_levels} của mục cha «{}»", q(parent)),
                format!("the levels {levels} go beyond the levels {parent_levels} of the parent «{}»", q(parent)),
            ),
            K::NoRequirements => Msg::new("danh mục không có yêu cầu nào", "the catalogue has no requirement"),
            K::TooManyNodes { max } => Msg::new(format!("danh mục có quá {max} mục"), format!("the catalogue has more than {max} items")),
        }
    }

    /// The full message: node id, field and reason.
    pub fn msg(&self) -> Msg {
        let r = self.reason();
        match &self.id {
            Some(id) => Msg::new(
                format!("Mục «{}», trường «{}»: {}", q(id), self.field, r.vi),
                format!("Item «{}», field «{}»: {}", q(id), self.field, r.en),
            ),
            None => Msg::new(
                format!("Danh mục, trường «{}»: {}", self.field, r.vi),
                format!("Catalogue, field «{}»: {}", self.field, r.en),
            ),
        }
    }
}

impl fmt::Display for CatalogueProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.msg().en)
    }
}

impl std::error::Error for CatalogueProblem {}

impl From<CatalogueProblem> for Error {
    fn from(p: CatalogueProblem) -> Error {
        Error::Invalid { field: Some(p.field.to_string()), msg: p.msg() }
    }
}
