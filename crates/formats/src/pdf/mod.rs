//! Administrative documents as PDF, in the same NĐ 30/2020/NĐ-CP layout as the DOCX
//! ([`crate::docx`]): A4, margins 20/20/30/15 mm, the national motto, a serif face with every
//! Vietnamese letter, page numbers from the second page.
//!
//! Values in, bytes out. The PDF is written by hand (a few dozen objects); the fonts are
//! Liberation Serif (Times New Roman's metrics, compiled in by the build script), subset with
//! `subsetter` so a two-page report stays small, and mapped back to Unicode so search and copy keep the diacritics.

mod admin;
mod file;
mod font;
mod layout;
#[cfg(test)]
mod tests;

use chrono::Datelike;

use crate::docx::AdminDocument;

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("không dùng được phông chữ / unusable font: {0}")]
    Font(String),
    #[error("không ghi được tệp PDF / could not write the PDF file: {0}")]
    Io(#[from] std::io::Error),
}

/// The document as the bytes of a .pdf file.
pub fn write_admin_pdf(doc: &AdminDocument) -> Result<Vec<u8>, PdfError> {
    let faces = font::Faces::load()?;
    let mut composer = layout::Composer::new(&faces);
    admin::compose(&mut composer, doc);
    let title = match (doc.doc_type.trim(), doc.title.trim()) {
        ("", t) => t.to_string(),
        (k, "") => k.to_string(),
        (k, t) => format!("{k} - {t}"),
    };
    let info = file::Info {
        title: &layout::clean(&title),
        author: &layout::clean(&doc.issuing_body),
        created: format!("D:{:04}{:02}{:02}000000Z", doc.date.year(), doc.date.month(), doc.date.day()),
    };
    file::write(&composer.pages, &faces, &composer.used, &info)
}
