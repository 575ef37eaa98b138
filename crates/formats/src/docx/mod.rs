//! Vietnamese administrative documents as DOCX, laid out after Nghị định 30/2020/NĐ-CP (Phụ
//! lục I, thể thức và kỹ thuật trình bày văn bản hành chính): A4 portrait, Times New Roman,
//! the issuing body and the national motto side by side at the top, number and place/date
//! below them, the document type and summary title centred, the body, then "Nơi nhận" and the
//! signature block.
//!
//! Values in, bytes out: no file-system I/O. The WordprocessingML is written by hand (a
//! handful of parts) and packed with `zip`. Every text value is normalised to NFC, escaped,
//! and stripped of characters XML 1.0 forbids, so no input can produce a broken file; a '\n'
//! in a value becomes a line break.

mod body;
mod parts;
mod signing;
#[cfg(test)]
pub(crate) mod tests;
mod xml;

pub use signing::{signature_position, Signing};

use std::io::{Cursor, Write};

use chrono::{Datelike, NaiveDate};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// Quốc hiệu and Tiêu ngữ, the national motto heading every administrative document.
pub const MOTTO: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
pub const SLOGAN: &str = "Độc lập - Tự do - Hạnh phúc";

/// The "Kính gửi" lines of a document (NĐ 30/2020 Phụ lục I II.9b): one addressee on the same
/// line; several one a line, "- …;" and the last ending with ".".
pub fn addressee_lines(addressees: &[String]) -> Vec<String> {
    let names: Vec<&str> =
        addressees.iter().map(|a| a.trim().trim_end_matches(['.', ';'])).filter(|a| !a.is_empty()).collect();
    match names.as_slice() {
        [] => Vec::new(),
        [one] => vec![format!("Kính gửi: {one}.")],
        many => {
            let mut lines = vec!["Kính gửi:".to_string()];
            for (i, n) in many.iter().enumerate() {
                lines.push(format!("- {n}{}", if i + 1 == many.len() { "." } else { ";" }));
            }
            lines
        }
    }
}

/// An administrative document (báo cáo, công văn, thông báo…) to be written as DOCX.
#[derive(Debug, Clone, PartialEq)]
pub struct AdminDocument {
    /// Tên cơ quan chủ quản, e.g. "Công an thành phố Hải Phòng"; shown in upper case. Empty:
    /// left out.
    pub parent_body: String,
    /// Tên cơ quan ban hành, e.g. "Phòng An ninh mạng"; shown in upper case, bold.
    pub issuing_body: String,
    /// Số và ký hiệu, e.g. "12/BC-PA05", shown as "Số: 12/BC-PA05". `None` (a draft not yet
    /// numbered): "Số:" followed by a blank for the clerk to fill in.
    pub number: Option<String>,
    /// Địa danh, e.g. "Hải Phòng".
    pub place: String,
    /// Ngày ban hành, written "ngày 05 tháng 3 năm 2026".
    pub date: NaiveDate,
    /// Tên loại văn bản, e.g. "Báo cáo"; shown in upper case. Empty: only the title is shown.
    pub doc_type: String,
    /// Trích yếu nội dung, e.g. "Sự cố tấn công mã độc tống tiền tại …".
    pub title: String,
    /// "Kính gửi": whom a report, submission or official letter sent upward is addressed to
    /// (NĐ 30/2020 Phụ lục I II.9b). One: "Kính gửi: …" on one line; several: one a line after
    /// "Kính gửi:", each "- …;" and the last ending with ".". Empty: left out.
    pub addressees: Vec<String>,
    pub blocks: Vec<Block>,
    /// Nơi nhận, one a line, e.g. "Như trên;" and "Lưu: VT, PA05." A line not already
    /// starting with a dash gets "- " in front; punctuation is the caller's.
    pub recipients: Vec<String>,
    /// Quyền hạn, chức vụ của người ký, e.g. "KT. TRƯỞNG PHÒNG\nPHÓ TRƯỞNG PHÒNG"; shown in
    /// upper case, bold.
    pub signer_position: String,
    /// Họ và tên người ký, shown bold as given.
    pub signer_name: String,
}

/// A piece of the document body, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A section heading, e.g. "I. DIỄN BIẾN SỰ CỐ": bold, kept with what follows.
    Heading(String),
    /// Body text: justified, first line indented 1.27 cm.
    Paragraph(String),
    /// A bold line centred on the page, e.g. the signing authority of a decision or
    /// "QUYẾT ĐỊNH:" before its articles; kept with what follows.
    Centered(String),
    /// A bordered two-column table of label and value (bold labels).
    Fields(Vec<(String, String)>),
    /// A bordered table with a bold header row repeated on every page. Rows shorter than the
    /// widest are padded with empty cells; a table with no cell at all is left out.
    Table { headers: Vec<String>, rows: Vec<Vec<String>> },
}

#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    #[error("không đóng gói được tệp DOCX / could not pack the DOCX file: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("không ghi được tệp DOCX / could not write the DOCX file: {0}")]
    Io(#[from] std::io::Error),
}

/// The document as the bytes of a .docx file.
pub fn write_admin_docx(doc: &AdminDocument) -> Result<Vec<u8>, DocxError> {
    let title = match (doc.doc_type.trim(), doc.title.trim()) {
        ("", t) => t.to_string(),
        (k, "") => k.to_uppercase(),
        (k, t) => format!("{} - {t}", k.to_uppercase()),
    };
    let entries: [(&str, String); 10] = [
        ("[Content_Types].xml", parts::content_types()),
        ("_rels/.rels", parts::package_rels()),
        ("word/document.xml", body::document_xml(doc)),
        ("word/styles.xml", parts::styles()),
        ("word/settings.xml", parts::settings()),
        ("word/fontTable.xml", parts::font_table()),
        ("word/header1.xml", parts::header()),
        ("word/_rels/document.xml.rels", parts::document_rels()),
        ("docProps/core.xml", parts::core(&title, doc.date)),
        ("docProps/app.xml", parts::app(&doc.issuing_body)),
    ];
    // The document's date as the entries' time, so the same input gives the same bytes.
    let stamp = zip::DateTime::from_date_and_time(
        u16::try_from(doc.date.year()).unwrap_or(1980),
        doc.date.month() as u8,
        doc.date.day() as u8,
        0,
        0,
        0,
    )
    .unwrap_or_default();
    let options =
        SimpleFileOptions::default().compression_method(CompressionMethod::Deflated).last_modified_time(stamp);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in entries {
        zip.start_file(name, options)?;
        zip.write_all(content.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

/// "Hải Phòng, ngày 05 tháng 3 năm 2026": per NĐ 30, a day below 10 and the months 1 and 2
/// take a leading zero ("ngày 01 tháng 02"), other months none.
pub fn date_line(place: &str, date: NaiveDate) -> String {
    let month = match date.month() {
        m @ 1..=2 => format!("{m:02}"),
        m => m.to_string(),
    };
    let when = format!("ngày {:02} tháng {month} năm {}", date.day(), date.year());
    match place.trim() {
        "" => when.replacen('n', "N", 1),
        p => format!("{p}, {when}"),
    }
}
