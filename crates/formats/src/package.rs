//! A level dossier's package for an outside appraiser (issue 17.3): one ZIP holding every
//! file under its folder, a `manifest.json` describing the dossier and each file, and a
//! `SHA256SUMS` that `sha256sum -c` checks. Values in, bytes out.
//!
//! The files are stored, not deflated: they are PDFs, Word files and images that are already
//! compressed, and storing keeps a 20 MiB package well inside a second. Entry times are the
//! package's date, so the same files give the same bytes.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// One file of the package, at its path inside the ZIP (folders with "/").
pub struct PackageFile {
    pub path: String,
    pub bytes: Vec<u8>,
    /// What it is, for the manifest ("Mẫu số 02 (DOCX)", "Hồ sơ thiết kế").
    pub description: String,
}

/// A file as the manifest lists it.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct ManifestEntry {
    pub path: String,
    pub description: String,
    pub size_bytes: u64,
    pub sha256: String,
}

/// The package's manifest: what the dossier is, then each file.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest<T: Serialize> {
    pub about: T,
    pub files: Vec<ManifestEntry>,
}

#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    #[error("không đóng gói được hồ sơ / could not pack the dossier: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("không ghi được gói hồ sơ / could not write the package: {0}")]
    Io(#[from] std::io::Error),
    #[error("không ghi được bản kê / could not write the manifest: {0}")]
    Json(#[from] serde_json::Error),
    #[error("hai tệp cùng đường dẫn trong gói / two files share a path in the package: {0}")]
    Duplicate(String),
}

/// Packs `files` under `folder/` with the manifest (describing `about`) and the sums; returns
/// the ZIP's bytes and the manifest as written into it.
pub fn write_package<T: Serialize>(
    folder: &str,
    about: T,
    files: Vec<PackageFile>,
    date: NaiveDate,
) -> Result<(Vec<u8>, String), PackageError> {
    let mut seen = std::collections::HashSet::new();
    let entries: Vec<ManifestEntry> = files
        .iter()
        .map(|f| {
            if !seen.insert(f.path.clone()) {
                return Err(PackageError::Duplicate(f.path.clone()));
            }
            Ok(ManifestEntry {
                path: f.path.clone(),
                description: f.description.clone(),
                size_bytes: f.bytes.len() as u64,
                sha256: hex::encode(Sha256::digest(&f.bytes)),
            })
        })
        .collect::<Result<_, _>>()?;
    let sums: String = entries.iter().map(|e| format!("{}  {}\n", e.sha256, e.path)).collect();
    let manifest = serde_json::to_string_pretty(&Manifest { about, files: entries })?;
    let stamp = zip::DateTime::from_date_and_time(
        u16::try_from(date.year()).unwrap_or(1980),
        date.month() as u8,
        date.day() as u8,
        0,
        0,
        0,
    )
    .unwrap_or_default();
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored).last_modified_time(stamp);
    let deflated = stored.compression_method(CompressionMethod::Deflated);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file(format!("{folder}/manifest.json"), deflated)?;
    zip.write_all(manifest.as_bytes())?;
    zip.start_file(format!("{folder}/SHA256SUMS"), deflated)?;
    zip.write_all(sums.as_bytes())?;
    for f in files {
        zip.start_file(format!("{folder}/{}", f.path), stored)?;
        zip.write_all(&f.bytes)?;
    }
    Ok((zip.finish()?.into_inner(), manifest))
}

/// A file name safe in any archive tool: letters without their marks, digits, '.', '-' and
/// '_'; everything else '_'. Empty names become "tep".
pub fn safe_file_name(name: &str) -> String {
    let folded: String = khien_domain::fold::fold(name)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' { c } else { '_' })
        .collect();
    if folded.trim_matches(['_', '.']).is_empty() {
        "tep".into()
    } else {
        folded
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn a_package_holds_its_files_the_manifest_and_sums_that_check() {
        let date = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let files = vec![
            PackageFile {
                path: "van-ban/mau-02.pdf".into(),
                bytes: b"%PDF-1.4 a".to_vec(),
                description: "Mẫu số 02".into(),
            },
            PackageFile {
                path: "tai-lieu/design/Thiet_ke.pdf".into(),
                bytes: vec![7; 1000],
                description: "Hồ sơ thiết kế".into(),
            },
        ];
        let (zip, manifest) = write_package("ho-so-7", serde_json::json!({"dossier": 7}), files, date).unwrap();
        let entries: Vec<ManifestEntry> =
            serde_json::from_value(serde_json::from_str::<serde_json::Value>(&manifest).unwrap()["files"].clone())
                .unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(zip.clone())).unwrap();
        let mut sums = String::new();
        archive.by_name("ho-so-7/SHA256SUMS").unwrap().read_to_string(&mut sums).unwrap();
        for e in &entries {
            let mut bytes = Vec::new();
            archive.by_name(&format!("ho-so-7/{}", e.path)).unwrap().read_to_end(&mut bytes).unwrap();
            assert_eq!(hex::encode(Sha256::digest(&bytes)), e.sha256);
            assert!(sums.contains(&format!("{}  {}", e.sha256, e.path)));
        }
        let mut inside = String::new();
        archive.by_name("ho-so-7/manifest.json").unwrap().read_to_string(&mut inside).unwrap();
        assert_eq!(inside, manifest);
        assert!(manifest.contains("Hồ sơ thiết kế") && manifest.contains("\"dossier\": 7"), "{manifest}");
        // The same files on the same day give the same bytes.
        let again = vec![
            PackageFile {
                path: "van-ban/mau-02.pdf".into(),
                bytes: b"%PDF-1.4 a".to_vec(),
                description: "Mẫu số 02".into(),
            },
            PackageFile {
                path: "tai-lieu/design/Thiet_ke.pdf".into(),
                bytes: vec![7; 1000],
                description: "Hồ sơ thiết kế".into(),
            },
        ];
        assert_eq!(write_package("ho-so-7", serde_json::json!({"dossier": 7}), again, date).unwrap().0, zip);
    }

    #[test]
    fn two_files_at_one_path_are_refused() {
        let date = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let file = || PackageFile { path: "a.pdf".into(), bytes: vec![1], description: String::new() };
        let err = write_package("p", (), vec![file(), file()], date).unwrap_err();
        assert!(err.to_string().contains("a.pdf"), "{err}");
    }

    #[test]
    fn file_names_lose_their_marks_and_separators() {
        assert_eq!(safe_file_name("Thiết kế/hệ thống.pdf"), "thiet_ke_he_thong.pdf");
        assert_eq!(safe_file_name("../"), "tep");
    }
}
