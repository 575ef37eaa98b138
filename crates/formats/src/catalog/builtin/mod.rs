//! Catalogues shipped with Khiên: the structure of TCVN 14423:2026 and TCVN 11930:2017, with
//! titles written by Khiên in its own words (not the standards' text), read from CSV files in
//! the table format with the same parser as uploads.

use khien_domain::catalog::{Catalogue, CatalogueMeta};
use khien_domain::Msg;

use super::error::CatalogError;
use super::parse_catalogue_table;

const TCVN_14423_2026: &str = include_str!("tcvn-14423-2026.csv");
const TCVN_11930_2017: &str = include_str!("tcvn-11930-2017.csv");

fn note(standard: &str) -> Msg {
    Msg::new(
        format!(
            "Cấu trúc nhóm và yêu cầu theo {standard}; tiêu đề do Khiên tự biên soạn, tóm lược ý chính, KHÔNG phải văn bản chính thức của tiêu chuẩn. \
             Khi đánh giá, đối chiếu bản chính thức; cơ quan thường trực nhập văn bản chính thức (tệp CSV/XLSX theo mẫu) thành một phiên bản danh mục mới."
        ),
        format!(
            "Groups and requirements follow the structure of {standard}; the titles are Khiên's own short wording, NOT the official text of the standard. \
             Check against the official text when assessing; the authority imports the official text (CSV/XLSX template) as a new catalogue version."
        ),
    )
}

fn builtin(file: &str, text: &str, meta: CatalogueMeta) -> Result<Catalogue, CatalogError> {
    parse_catalogue_table(file, text.as_bytes(), meta)
}

/// The shipped catalogues, or the first error (a test makes sure there is none).
pub fn try_builtin_catalogues() -> Result<Vec<Catalogue>, CatalogError> {
    Ok(vec![
        builtin(
            "tcvn-14423-2026.csv",
            TCVN_14423_2026,
            CatalogueMeta {
                code: "tcvn-14423-2026".into(),
                version: "2026".into(),
                title_vi: "TCVN 14423:2026 An ninh mạng – Hệ thống thông tin – Yêu cầu cơ bản (cấu trúc, tiêu đề do Khiên biên soạn)".into(),
                title_en: "TCVN 14423:2026 Cybersecurity – Information systems – Basic requirements (structure; titles written by Khiên)".into(),
                source_note: note("TCVN 14423:2026"),
            },
        )?,
        builtin(
            "tcvn-11930-2017.csv",
            TCVN_11930_2017,
            CatalogueMeta {
                code: "tcvn-11930-2017".into(),
                version: "2017".into(),
                title_vi: "TCVN 11930:2017 Yêu cầu cơ bản về an toàn hệ thống thông tin theo cấp độ (cấu trúc, tiêu đề do Khiên biên soạn)".into(),
                title_en: "TCVN 11930:2017 Basic security requirements for information systems by level (structure; titles written by Khiên)".into(),
                source_note: note("TCVN 11930:2017"),
            },
        )?,
    ])
}

/// The shipped catalogues: TCVN 14423:2026 (18 groups) and TCVN 11930:2017 (management and
/// technical groups, cumulative by level).
pub fn builtin_catalogues() -> Vec<Catalogue> {
    try_builtin_catalogues().unwrap_or_default()
}
