//! The catalogue table (CSV or the first XLSX sheet): columns, header matching, one node per row.

use khien_domain::catalog::{Catalogue, CatalogueMeta, CatalogueNode, LevelSet, NodeKind, MAX_ID_CHARS};

use super::error::{CatalogError, CatalogErrorKind as CK};
use super::{MAX_DESCRIPTION_CHARS, MAX_TITLE_CHARS};
use crate::check;
use crate::error::{ImportError, ImportErrorKind as K, Location};
use crate::reader::{find_header, Found, Header, SheetRow};
use crate::text::{fold, fold_header};

/// The columns, in template order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Field {
    Id,
    ParentId,
    Kind,
    TitleVi,
    TitleEn,
    Description,
    Levels,
}

impl Field {
    pub(crate) const ALL: [Field; 7] =
        [Field::Id, Field::ParentId, Field::Kind, Field::TitleVi, Field::TitleEn, Field::Description, Field::Levels];

    pub(crate) fn key(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::ParentId => "parent_id",
            Field::Kind => "kind",
            Field::TitleVi => "title_vi",
            Field::TitleEn => "title_en",
            Field::Description => "description",
            Field::Levels => "levels",
        }
    }

    /// Vietnamese header written by the exporters (no parentheses: they are ignored when matching).
    pub(crate) fn label_vi(self) -> &'static str {
        match self {
            Field::Id => "Mã mục",
            Field::ParentId => "Mã mục cha",
            Field::Kind => "Loại",
            Field::TitleVi => "Tiêu đề tiếng Việt",
            Field::TitleEn => "Tiêu đề tiếng Anh",
            Field::Description => "Mô tả",
            Field::Levels => "Cấp độ áp dụng",
        }
    }

    fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::Id => &["ma", "ma so", "ma yeu cau", "so hieu", "control id", "code"],
            Field::ParentId => {
                &["ma cha", "muc cha", "thuoc", "thuoc nhom", "ma nhom cha", "parent", "parent id", "ma cap tren"]
            }
            Field::Kind => &["loai muc", "type", "node kind"],
            Field::TitleVi => &["tieu de", "ten", "ten muc", "ten tieng viet", "title vietnamese"],
            Field::TitleEn => &["title", "ten tieng anh", "english title", "title english"],
            Field::Description => &["mo ta chi tiet", "noi dung", "dien giai", "desc"],
            Field::Levels => &["cap do", "cap", "level", "ap dung cho cap do", "cap ap dung"],
        }
    }

    pub(crate) fn from_header(header: &str) -> Option<Field> {
        let h = fold_header(header);
        if h.is_empty() {
            return None;
        }
        Field::ALL
            .into_iter()
            .find(|f| fold_header(f.key()) == h || fold_header(f.label_vi()) == h || f.aliases().contains(&h.as_str()))
    }
}

/// Reads the kind column: group / nhóm or requirement / yêu cầu (also control, any case, with
/// or without diacritics).
pub(crate) fn kind_from_label(s: &str) -> Option<NodeKind> {
    match fold(s).as_str() {
        "group" | "nhom" | "g" => Some(NodeKind::Group),
        "requirement" | "yeu cau" | "control" | "r" => Some(NodeKind::Requirement),
        _ => None,
    }
}

fn is_complete(h: &Header<Field>) -> bool {
    h.has(Field::Id) && h.has(Field::Kind) && h.has(Field::Levels) && (h.has(Field::TitleVi) || h.has(Field::TitleEn))
}

/// Multi-line text (descriptions): NFC, each line trimmed, runs of blank lines kept as one, no
/// other control characters.
pub(crate) fn clean_multiline(raw: &str) -> Result<String, K> {
    let mut lines: Vec<String> = Vec::new();
    for line in raw.replace("\r\n", "\n").replace('\r', "\n").split('\n') {
        let clean = crate::text::clean_text(line).map_err(|()| K::ControlChar { value: raw.to_string() })?;
        if !(clean.is_empty() && lines.last().is_some_and(String::is_empty)) {
            lines.push(clean);
        }
    }
    Ok(lines.join("\n").trim().to_string())
}

/// A kind cell or value: required, group / nhóm or requirement / yêu cầu.
pub(crate) fn kind_cell(raw: &str) -> Result<NodeKind, CK> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(CK::Import(K::Required));
    }
    kind_from_label(value).ok_or_else(|| CK::InvalidKind { value: value.to_string() })
}

/// A description cell or value: multi-line text of at most [`MAX_DESCRIPTION_CHARS`], not
/// starting like a spreadsheet formula.
pub(crate) fn description_cell(raw: &str) -> Result<String, K> {
    let text = clean_multiline(raw)?;
    let len = text.chars().count();
    if len > MAX_DESCRIPTION_CHARS {
        return Err(K::TooLong { max: MAX_DESCRIPTION_CHARS, actual: len });
    }
    if text.starts_with(['=', '+', '-', '@']) {
        return Err(K::FormulaLike { value: text });
    }
    Ok(text)
}

/// A levels cell or value ([`LevelSet::parse`]); empty gives no levels (a group then takes
/// those of its contents).
pub(crate) fn levels_cell(raw: &str) -> Result<LevelSet, CK> {
    let value = raw.trim();
    if value.is_empty() {
        return Ok(LevelSet::EMPTY);
    }
    LevelSet::parse(value).map_err(|error| CK::InvalidLevels { value: value.to_string(), error })
}

/// One row before the catalogue rules: where it is and the labels of its columns.
struct Sourced {
    row: usize,
    node: CatalogueNode,
}

/// The data rows of a sheet become a catalogue (all or nothing).
pub(crate) fn catalogue_from_rows(
    file: &str,
    rows: Vec<SheetRow>,
    meta: CatalogueMeta,
) -> Result<Catalogue, CatalogError> {
    let mut rows = rows.into_iter().filter(|r| !r.is_blank());
    let header = match find_header(&mut rows, Field::from_header, is_complete) {
        Found::Complete(h) => h,
        Found::Incomplete(b) => {
            let missing = [Field::Id, Field::Kind, Field::Levels, Field::TitleVi]
                .into_iter()
                .find(|f| !b.has(*f))
                .unwrap_or(Field::Id);
            let kind = K::MissingColumn { label_vi: missing.label_vi(), key: missing.key() };
            return Err(ImportError::new(file, Location::Row(b.row), None, kind).into());
        }
        Found::Nothing => return Err(ImportError::new(file, Location::File, None, K::NoHeader).into()),
    };
    header.check_duplicate(file)?;
    let mut sourced = Vec::new();
    for row in rows {
        header.check_outside(file, &row)?;
        let order = u32::try_from(sourced.len()).unwrap_or(u32::MAX);
        sourced.push(Sourced { row: row.row, node: node_from_row(file, &header, &row, order)? });
    }
    let label = |f: Field| header.cols.iter().find(|(g, _, _)| *g == f).map(|(_, _, l)| l.clone());
    let rows_of: Vec<usize> = sourced.iter().map(|s| s.row).collect();
    Catalogue::build(meta, sourced.into_iter().map(|s| s.node).collect()).map_err(|problems| {
        let Some(p) = problems.into_iter().next() else {
            return CatalogError::new(file, Location::File, None, CK::Import(K::NoHeader));
        };
        let loc = |i: Option<usize>| i.and_then(|i| rows_of.get(i)).map_or(Location::File, |r| Location::Row(*r));
        let field = match p.field {
            _ if p.index.is_none() => None,
            "id" => label(Field::Id),
            "parent_id" => label(Field::ParentId),
            "kind" => label(Field::Kind),
            "title_vi" | "title_en" => label(Field::TitleVi).or_else(|| label(Field::TitleEn)),
            "levels" => label(Field::Levels),
            _ => None,
        };
        let kind = CK::of_problem(&p, loc);
        CatalogError::new(file, loc(p.index), field.as_deref(), kind)
    })
}

fn node_from_row(
    file: &str,
    header: &Header<Field>,
    row: &SheetRow,
    order: u32,
) -> Result<CatalogueNode, CatalogError> {
    let mut node = CatalogueNode::new(NodeKind::Requirement, "", None, "", "", LevelSet::EMPTY);
    node.order = order;
    let mut kind = None;
    for (field, col, label) in &header.cols {
        let raw = row.text(file, *col, label)?;
        let err = |k: CK| CatalogError::new(file, Location::Row(row.row), Some(label), k);
        let cell = |k: K| err(CK::Import(k));
        match field {
            Field::Id => node.id = check::code(&raw, MAX_ID_CHARS).map_err(cell)?.ok_or_else(|| cell(K::Required))?,
            Field::ParentId => node.parent = check::code(&raw, MAX_ID_CHARS).map_err(cell)?,
            Field::Kind => kind = Some(kind_cell(&raw).map_err(err)?),
            Field::TitleVi => {
                node.title_vi = check::text(&raw, MAX_TITLE_CHARS, true).map_err(cell)?.unwrap_or_default()
            }
            Field::TitleEn => {
                node.title_en = check::text(&raw, MAX_TITLE_CHARS, true).map_err(cell)?.unwrap_or_default()
            }
            Field::Description => node.description = description_cell(&raw).map_err(cell)?,
            Field::Levels => node.levels = levels_cell(&raw).map_err(err)?,
        }
    }
    node.kind = kind.unwrap_or(NodeKind::Requirement);
    Ok(node)
}
