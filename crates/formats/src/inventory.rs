//! A system's light inventory (issue 17.6; the asset groups of TCVN 14423: hardware, software,
//! information) read from CSV or XLSX, e.g. an agent's export: one asset a row with the system's
//! code, group, name, version, owner, end of support and a note. All or nothing: the first
//! problem is returned with its row and column, and no partial list ever is.

use crate::error::{ImportError, ImportErrorKind as K, Location};
use crate::reader::{self, find_header, Cell, Format, Found, Header, SheetRow};
use crate::text::{fold_header, parse_date};

/// At most this many assets in one file.
pub const MAX_ASSETS: usize = 50_000;

/// The asset groups and the words a file may use for them.
pub const GROUPS: [(&str, &[&str]); 3] = [
    ("hardware", &["hardware", "phan cung", "tai san phan cung", "thiet bi"]),
    ("software", &["software", "phan mem", "tai san phan mem", "ung dung"]),
    ("information", &["information", "thong tin", "tai san thong tin", "du lieu"]),
];

/// One asset as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetRow {
    pub system_code: String,
    /// `hardware`, `software` or `information`.
    pub group: &'static str,
    pub name: String,
    pub version: Option<String>,
    pub owner: Option<String>,
    /// yyyy-mm-dd.
    pub end_of_support: Option<String>,
    pub notes: Option<String>,
}

/// An asset with its row, for the checks only the caller can make (is the system known?).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcedAsset {
    pub asset: AssetRow,
    pub row: usize,
    /// The system column's header as written in the file.
    pub system_header: String,
}

impl SourcedAsset {
    /// The error when the system's code is not one the caller may change.
    pub fn unknown_system_error(&self, file_name: &str) -> ImportError {
        ImportError::new(
            file_name,
            Location::Row(self.row),
            Some(&self.system_header),
            K::UnknownSystem { code: self.asset.system_code.clone() },
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    System,
    Group,
    Name,
    Version,
    Owner,
    EndOfSupport,
    Notes,
}

const COLS: [(Col, &str, &[&str]); 7] = [
    (Col::System, "Mã hệ thống", &["system", "system code", "ma he thong", "he thong"]),
    (Col::Group, "Nhóm tài sản", &["group", "nhom", "loai tai san", "asset group"]),
    (Col::Name, "Tên tài sản", &["name", "ten", "asset", "ten thiet bi", "ten phan mem"]),
    (Col::Version, "Phiên bản", &["version", "phien ban"]),
    (Col::Owner, "Người quản lý", &["owner", "quan ly", "don vi quan ly", "nguoi phu trach"]),
    (Col::EndOfSupport, "Hết hỗ trợ", &["end of support", "eos", "eol", "ngay het ho tro", "het han ho tro"]),
    (Col::Notes, "Ghi chú", &["notes", "note", "ghi chu"]),
];

fn classify(text: &str) -> Option<Col> {
    let h = fold_header(text);
    COLS.iter().find(|(_, label, aliases)| fold_header(label) == h || aliases.contains(&h.as_str())).map(|(c, _, _)| *c)
}

fn required(c: Col) -> bool {
    matches!(c, Col::System | Col::Group | Col::Name)
}

/// Reads an inventory file (CSV or the first XLSX sheet).
pub fn parse_inventory(file_name: &str, bytes: &[u8]) -> Result<Vec<SourcedAsset>, ImportError> {
    let fail = |kind| Err(ImportError::new(file_name, Location::File, None, kind));
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return fail(K::EmptyFile);
    }
    let rows = match reader::detect_format(file_name, bytes) {
        Format::Csv => reader::csv::read_rows(file_name, bytes, MAX_ASSETS)?,
        Format::Xlsx => reader::xlsx::read_sheet(file_name, bytes, MAX_ASSETS, false)?.rows,
        Format::Xls => return fail(K::LegacyXls),
        _ => return fail(K::CsvOrXlsxOnly),
    };
    let mut rows = rows.into_iter().filter(|r| !r.is_blank());
    let header = match find_header(&mut rows, classify, |h: &Header<Col>| {
        COLS.iter().all(|(c, _, _)| !required(*c) || h.has(*c))
    }) {
        Found::Complete(h) => h,
        Found::Incomplete(h) => {
            let (_, label, _) = COLS.iter().find(|(c, _, _)| required(*c) && !h.has(*c)).copied().unwrap_or(COLS[0]);
            let kind = K::MissingColumn { label_vi: label, key: label };
            return Err(ImportError::new(file_name, Location::Row(h.row), None, kind));
        }
        Found::Nothing => return fail(K::NoHeader),
    };
    header.check_duplicate(file_name)?;
    let mut out = Vec::new();
    for row in rows {
        header.check_outside(file_name, &row)?;
        out.push(asset(file_name, &header, &row)?);
    }
    Ok(out)
}

fn asset(file: &str, header: &Header<Col>, row: &SheetRow) -> Result<SourcedAsset, ImportError> {
    let at = |c: Col| header.cols.iter().find(|(f, _, _)| *f == c).map(|(_, col, label)| (*col, label.as_str()));
    let err = |label: &str, kind| ImportError::new(file, Location::Row(row.row), Some(label), kind);
    let text = |c: Col| -> Result<Option<String>, ImportError> {
        let Some((col, label)) = at(c) else { return Ok(None) };
        let v = row.text(file, col, label)?;
        let v = v.trim();
        if v.chars().count() > 500 {
            return Err(err(label, K::TooLong { max: 500, actual: v.chars().count() }));
        }
        Ok(Some(v.to_string()).filter(|v| !v.is_empty()))
    };
    let need = |c: Col| -> Result<String, ImportError> {
        let label = at(c).map(|(_, l)| l).unwrap_or("");
        text(c)?.ok_or_else(|| err(label, K::Required))
    };
    let group_raw = need(Col::Group)?;
    let folded = fold_header(&group_raw);
    let group = GROUPS
        .iter()
        .find(|(code, words)| *code == folded || words.contains(&folded.as_str()))
        .map(|(code, _)| *code)
        .ok_or_else(|| {
            err(at(Col::Group).map(|(_, l)| l).unwrap_or(""), K::InvalidAssetGroup { value: group_raw.clone() })
        })?;
    let end_of_support = match at(Col::EndOfSupport) {
        None => None,
        Some((col, label)) => match row.cell(col) {
            Some(Cell::Date(Some(iso))) => Some(iso.clone()),
            Some(Cell::Date(None)) => return Err(err(label, K::InvalidDate { value: String::new() })),
            _ => match text(Col::EndOfSupport)? {
                None => None,
                Some(v) => Some(parse_date(&v).ok_or_else(|| err(label, K::InvalidDate { value: v.clone() }))?),
            },
        },
    };
    Ok(SourcedAsset {
        asset: AssetRow {
            system_code: need(Col::System)?,
            group,
            name: need(Col::Name)?,
            version: text(Col::Version)?,
            owner: text(Col::Owner)?,
            end_of_support,
            notes: text(Col::Notes)?,
        },
        row: row.row,
        system_header: at(Col::System).map(|(_, l)| l.to_string()).unwrap_or_default(),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn an_agents_csv_is_read_with_its_groups_and_dates() {
        let csv = "Mã hệ thống,Nhóm tài sản,Tên tài sản,Phiên bản,Hết hỗ trợ\nHB-DVC,Phần mềm,Windows Server,2012 R2,10/10/2023\nHB-DVC,hardware,Máy chủ Dell R740,,\n";
        let assets = parse_inventory("kiem-ke.csv", csv.as_bytes()).unwrap();
        assert_eq!(assets.len(), 2);
        assert_eq!(
            (assets[0].asset.group, assets[0].asset.end_of_support.as_deref()),
            ("software", Some("2023-10-10"))
        );
        assert_eq!((assets[1].asset.group, assets[1].row), ("hardware", 3));
    }

    #[test]
    fn a_bad_row_is_named_and_nothing_is_returned() {
        let bad_group = "Mã hệ thống,Nhóm tài sản,Tên tài sản\nHB-DVC,Phần mềm,Nginx\nHB-DVC,Đám mây,Kho S3\n";
        let e = parse_inventory("kiem-ke.csv", bad_group.as_bytes()).unwrap_err();
        assert_eq!(*e.kind(), K::InvalidAssetGroup { value: "Đám mây".into() });
        assert!(e.to_string().contains("3"), "{e}");
        let bad_date = "Mã hệ thống,Nhóm tài sản,Tên tài sản,Hết hỗ trợ\nHB-DVC,Phần mềm,PHP 7.4,31/02/2022\n";
        assert!(matches!(parse_inventory("k.csv", bad_date.as_bytes()).unwrap_err().kind(), K::InvalidDate { .. }));
        let no_name = "Mã hệ thống,Nhóm tài sản\nHB-DVC,Phần mềm\n";
        assert!(matches!(parse_inventory("k.csv", no_name.as_bytes()).unwrap_err().kind(), K::MissingColumn { .. }));
    }
}
