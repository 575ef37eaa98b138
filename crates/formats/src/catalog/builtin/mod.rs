//! Catalogues shipped with Khiên: the structure of TCVN 14423:2026 and TCVN 11930:2017, with
//! titles written by Khiên in its own words (not the standards' text), read from CSV files in
//! the table format with the same parser as uploads.
//!
//! A shipped version never changes once released: the store keeps each (code, version) once,
//! caches its nodes and assessments point at its node ids. A changed structure or wording ships
//! as a new version of the same code next to the old one (the store adds it on the next start).
//! - `tcvn-14423-2026` `2026`: the 18 groups; `2026-r2`: the same ids with the clause of each
//!   level in the description, the level-4–5 penetration test before go-live (N17.5) and Annex
//!   A (physical security, group PLA).
//! - `tcvn-11930-2017` `2017`: management and technical groups; `2017-tt12`: the structure of
//!   the annexes of TT 12/2022/TT-BTTTT (management 1.1–1.7, design zones and measures by level,
//!   the four technical groups), each requirement with its annex item and TCVN clause.

use khien_domain::catalog::{Catalogue, CatalogueMeta};
use khien_domain::Msg;

use super::error::CatalogError;
use super::parse_catalogue_table;

const TCVN_14423_2026: &str = include_str!("tcvn-14423-2026.csv");
const TCVN_14423_2026_R2: &str = include_str!("tcvn-14423-2026-r2.csv");
const TCVN_11930_2017: &str = include_str!("tcvn-11930-2017.csv");
const TCVN_11930_2017_TT12: &str = include_str!("tcvn-11930-2017-tt12.csv");

fn note(standard: &str) -> Msg {
    note_with(standard, "", "")
}

/// The common note, then where the structure and the clause numbers were read (`vi`, `en`: one
/// or more sentences, each ending with a full stop; empty for none).
fn note_with(standard: &str, vi: &str, en: &str) -> Msg {
    let sep = |s: &str| if s.is_empty() { String::new() } else { format!(" {s}") };
    Msg::new(
        format!(
            "Cấu trúc nhóm và yêu cầu theo {standard}; tiêu đề do Khiên tự biên soạn, tóm lược ý chính, KHÔNG phải văn bản chính thức của tiêu chuẩn. \
             Khi đánh giá, đối chiếu bản chính thức; cơ quan thường trực nhập văn bản chính thức (tệp CSV/XLSX theo mẫu) thành một phiên bản danh mục mới.{}",
            sep(vi)
        ),
        format!(
            "Groups and requirements follow the structure of {standard}; the titles are Khiên's own short wording, NOT the official text of the standard. \
             Check against the official text when assessing; the authority imports the official text (CSV/XLSX template) as a new catalogue version.{}",
            sep(en)
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
            "tcvn-14423-2026-r2.csv",
            TCVN_14423_2026_R2,
            CatalogueMeta {
                code: "tcvn-14423-2026".into(),
                version: "2026-r2".into(),
                title_vi: "TCVN 14423:2026 An ninh mạng – Hệ thống thông tin – Yêu cầu cơ bản, số mục theo cấp và Phụ lục A (cấu trúc, tiêu đề do Khiên biên soạn)".into(),
                title_en: "TCVN 14423:2026 Cybersecurity – Information systems – Basic requirements, clauses by level and Annex A (structure; titles written by Khiên)".into(),
                source_note: note_with(
                    "TCVN 14423:2026",
                    "Số mục theo từng cấp (mục 3–7 cho cấp 1–5, Phụ lục A.1–A.5) đọc từ tài liệu thứ cấp: ma trận và danh mục kiểm tra theo cấp của bộ công cụ ldphuong-vn/vn-cyber-compliance, \
                     không từ bản chính thức; độ tin cậy thấp–trung bình, mục chi tiết chỉ ghi khi tài liệu nêu, còn lại ghi mục của nhóm. \
                     Phụ lục A (an ninh vật lý) không thuộc yêu cầu cơ bản theo cấp độ (NĐ 331/2026 Điều 30 khoản 2).",
                    "The clause of each level (clauses 3–7 for levels 1–5, Annex A.1–A.5) was read in a secondary source, the level matrix and checklists of the \
                     ldphuong-vn/vn-cyber-compliance toolkit, not in the official text; low to medium confidence, a finer clause only where that source names one, \
                     else the group's clause. Annex A (physical security) is not part of the basic requirements by level (ND 331/2026 Art. 30(2)).",
                ),
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
        builtin(
            "tcvn-11930-2017-tt12.csv",
            TCVN_11930_2017_TT12,
            CatalogueMeta {
                code: "tcvn-11930-2017".into(),
                version: "2017-tt12".into(),
                title_vi: "TCVN 11930:2017 theo Phụ lục I–V Thông tư 12/2022/TT-BTTTT (cấu trúc, tiêu đề do Khiên biên soạn)".into(),
                title_en: "TCVN 11930:2017 by the annexes I–V of Circular 12/2022/TT-BTTTT (structure; titles written by Khiên)".into(),
                source_note: note_with(
                    "TCVN 11930:2017",
                    "Cấu trúc, cấp áp dụng và số mục TCVN lấy từ Phụ lục I–V (cấp 1–5) và Điều 9 của Thông tư 12/2022/TT-BTTTT (bản Công báo số 705+706 ngày 28/8/2022); \
                     độ tin cậy cao với cấu trúc và số mục, tiêu đề là diễn đạt của Khiên. \
                     Yêu cầu thiết kế (vùng mạng, phương án bảo vệ, thuê trung tâm dữ liệu) không dẫn mục TCVN 11930:2017.",
                    "Structure, levels and TCVN clause numbers from annexes I–V (levels 1–5) and Article 9 of Circular 12/2022/TT-BTTTT (Official Gazette 705+706 of \
                     28/8/2022); high confidence for the structure and clause numbers, the titles are Khiên's wording. \
                     The design requirements (network zones, protective measures, hosting in a data centre) name no TCVN 11930:2017 clause.",
                ),
            },
        )?,
    ])
}

/// The shipped catalogues, each code's versions oldest first (the store adds missing ones in this
/// order, so a newer version gets the higher id): TCVN 14423:2026 `2026` and `2026-r2`, TCVN
/// 11930:2017 `2017` and `2017-tt12`.
pub fn builtin_catalogues() -> Vec<Catalogue> {
    try_builtin_catalogues().unwrap_or_default()
}
