#![allow(clippy::unwrap_used, clippy::panic)]

mod builtin;
mod oscal;
mod oscal_errors;
mod oscal_modify;
mod table;
mod yaml;

use khien_domain::catalog::{CatalogueMeta, LevelSet};
use khien_domain::Msg;

use super::*;
use crate::error::Location;

pub(super) fn meta(code: &str) -> CatalogueMeta {
    CatalogueMeta {
        code: code.into(),
        version: "1".into(),
        title_vi: "Danh mục thử".into(),
        title_en: "Test catalogue".into(),
        source_note: Msg::new("Soạn để kiểm thử", "Written for tests"),
    }
}

/// Parses CSV text as a table with the test metadata.
pub(super) fn csv(text: &str) -> Result<Catalogue, CatalogError> {
    parse_catalogue_table("danh-muc.csv", text.as_bytes(), meta("test"))
}

/// Asserts an error's row, column and that both messages say so.
pub(super) fn assert_at(e: &CatalogError, row: usize, field: Option<&str>) {
    assert_eq!(e.location(), &Location::Row(row), "{}", e.message_en());
    assert_eq!(e.field(), field, "{}", e.message_en());
    assert!(e.message_vi().contains(&format!("dòng {row}")), "{}", e.message_vi());
    assert!(e.message_en().contains(&format!("row {row}")), "{}", e.message_en());
    if let Some(f) = field {
        assert!(e.message_vi().contains(&format!("cột «{f}»")), "{}", e.message_vi());
        assert!(e.message_en().contains(&format!("column «{f}»")), "{}", e.message_en());
    }
}

pub(super) fn all_levels() -> LevelSet {
    LevelSet::ALL
}

/// The folder of OSCAL sample files shared with CI, or `None` (with a note) when absent.
pub(super) fn oscal_dir() -> Option<std::path::PathBuf> {
    let dir = std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/oscal"));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED: the OSCAL sample folder {} is absent, so the NIST/FedRAMP file checks did not run",
            dir.display()
        );
        None
    }
}

pub(super) fn read(dir: &std::path::Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap()
}
