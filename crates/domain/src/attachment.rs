//! Uploaded files: the type is decided by the first bytes (not the name alone) and must match
//! the extension; each kind of upload says which types it takes and how large they may be.

use crate::{Error, Result};

/// A file type Khiên can recognise by content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Docx,
    Xlsx,
    Odt,
    Ods,
    Zip,
    Doc,
    Xls,
    Png,
    Jpeg,
    Webp,
    /// Plain text in UTF-8: logs, CSV, JSON.
    Text,
}

impl FileKind {
    /// The name users know it by, for messages.
    pub fn label(self) -> &'static str {
        match self {
            FileKind::Pdf => "PDF",
            FileKind::Docx => "DOCX",
            FileKind::Xlsx => "XLSX",
            FileKind::Odt => "ODT",
            FileKind::Ods => "ODS",
            FileKind::Zip => "ZIP",
            FileKind::Doc => "DOC",
            FileKind::Xls => "XLS",
            FileKind::Png => "PNG",
            FileKind::Jpeg => "JPG",
            FileKind::Webp => "WEBP",
            FileKind::Text => "TXT/LOG/CSV/JSON",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Odt => "application/vnd.oasis.opendocument.text",
            FileKind::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            FileKind::Zip => "application/zip",
            FileKind::Doc => "application/msword",
            FileKind::Xls => "application/vnd.ms-excel",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Webp => "image/webp",
            FileKind::Text => "text/plain; charset=utf-8",
        }
    }

    /// The kind named by the extension, if the content agrees with it.
    fn sniff(ext: &str, bytes: &[u8]) -> Option<FileKind> {
        let zip = bytes.starts_with(b"PK\x03\x04");
        let ole = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
        match ext {
            "pdf" if bytes.starts_with(b"%PDF-") => Some(FileKind::Pdf),
            "docx" if zip => Some(FileKind::Docx),
            "xlsx" if zip => Some(FileKind::Xlsx),
            "odt" if zip => Some(FileKind::Odt),
            "ods" if zip => Some(FileKind::Ods),
            "zip" if zip => Some(FileKind::Zip),
            "doc" if ole => Some(FileKind::Doc),
            "xls" if ole => Some(FileKind::Xls),
            "png" if bytes.starts_with(b"\x89PNG\r\n\x1a\n") => Some(FileKind::Png),
            "jpg" | "jpeg" if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) => Some(FileKind::Jpeg),
            "webp"
                if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP".as_slice()) =>
            {
                Some(FileKind::Webp)
            }
            // Text is text: UTF-8 without NUL bytes (a binary renamed .log is refused).
            "txt" | "log" | "csv" | "json" if !bytes.contains(&0) && std::str::from_utf8(bytes).is_ok() => {
                Some(FileKind::Text)
            }
            _ => None,
        }
    }
}

/// What one kind of upload accepts.
#[derive(Debug, Clone, Copy)]
pub struct FilePolicy {
    /// The input field errors are reported against.
    pub field: &'static str,
    pub kinds: &'static [FileKind],
    pub max_bytes: usize,
}

impl FilePolicy {
    /// "PDF, PNG hoặc JPG" / "PDF, PNG or JPG".
    fn kinds_text(&self, or: &str) -> String {
        let labels: Vec<&str> = self.kinds.iter().map(|k| k.label()).collect();
        match labels.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} {or} {last}", rest.join(", ")),
            Some((last, _)) => (*last).to_string(),
            None => String::new(),
        }
    }
}

/// Checks a file by its first bytes against a policy and returns its media type.
pub fn check_attachment(policy: &FilePolicy, file_name: &str, bytes: &[u8]) -> Result<&'static str> {
    let mib = policy.max_bytes / 1024 / 1024;
    if bytes.is_empty() || bytes.len() > policy.max_bytes {
        return Err(Error::invalid(
            policy.field,
            format!("Tệp {file_name} rỗng hoặc lớn hơn {mib} MiB."),
            format!("The file {file_name} is empty or larger than {mib} MiB."),
        ));
    }
    let ext = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match FileKind::sniff(&ext, bytes) {
        Some(kind) if policy.kinds.contains(&kind) => Ok(kind.media_type()),
        _ => Err(Error::invalid(
            policy.field,
            format!("Tệp {file_name}: chỉ nhận {}, và nội dung phải đúng với đuôi tệp.", policy.kinds_text("hoặc")),
            format!("File {file_name}: only {}, with content matching the extension.", policy.kinds_text("or")),
        )),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const DOCS: FilePolicy =
        FilePolicy { field: "file", kinds: &[FileKind::Pdf, FileKind::Docx, FileKind::Png], max_bytes: 1024 * 1024 };
    const IMAGES: FilePolicy = FilePolicy {
        field: "files",
        kinds: &[FileKind::Png, FileKind::Jpeg, FileKind::Webp],
        max_bytes: 2 * 1024 * 1024,
    };

    #[test]
    fn attachments_are_checked_by_content() {
        assert_eq!(check_attachment(&DOCS, "thiet-ke.pdf", b"%PDF-1.7 ...").unwrap(), "application/pdf");
        assert!(
            check_attachment(&DOCS, "thiet-ke.pdf", b"MZ\x90\x00 not a pdf").is_err(),
            "an executable renamed .pdf"
        );
        assert!(check_attachment(&DOCS, "virus.exe", b"MZ\x90\x00").is_err());
        assert!(check_attachment(&DOCS, "a.docx", b"PK\x03\x04rest").is_ok());
        assert!(check_attachment(&DOCS, "empty.pdf", b"").is_err());
        assert!(check_attachment(&DOCS, "big.pdf", &vec![b'%'; DOCS.max_bytes + 1]).is_err());
    }

    #[test]
    fn each_policy_takes_only_its_kinds() {
        let e = check_attachment(&IMAGES, "ho-so.pdf", b"%PDF-1.7").unwrap_err();
        assert_eq!(e.field(), Some("files"));
        assert!(e.message(crate::Lang::Vi).contains("chỉ nhận PNG, JPG hoặc WEBP"), "{e:?}");
        assert_eq!(check_attachment(&IMAGES, "anh.WEBP", b"RIFF\x10\x00\x00\x00WEBPVP8 ").unwrap(), "image/webp");
        assert!(check_attachment(&IMAGES, "trang.html", b"<html><script>").is_err());
        assert_eq!(check_attachment(&IMAGES, "big.png", &[0u8; 3 * 1024 * 1024]).unwrap_err().field(), Some("files"));
    }
}
