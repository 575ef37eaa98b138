//! A dossier's package for the appraiser (issue 17.3): the latest issued document of each form
//! (Word and PDF), every attachment by part, a manifest describing the dossier and each file,
//! and the SHA-256 sums.

use khien_domain::calendar::display_opt;
use khien_domain::Lang;
use khien_formats::package::{safe_file_name, write_package, PackageFile};
use khien_store::PackageSource;
use serde::Serialize;

/// What the manifest says of the dossier.
#[derive(Serialize)]
struct About<'a> {
    dossier_id: i64,
    system_code: &'a str,
    system_name: &'a str,
    owner_unit: &'a str,
    proposed_level: i64,
    ruleset: &'a str,
    state: &'a str,
    submitted_on: String,
    built_on: String,
}

/// The ZIP, the manifest as written into it, and how many files it holds.
pub struct BuiltPackage {
    pub zip: Vec<u8>,
    pub manifest: String,
    pub file_count: i64,
}

pub fn build_package(src: PackageSource, date: chrono::NaiveDate) -> Result<BuiltPackage, khien_domain::Error> {
    let ctx = &src.context;
    let mut files = Vec::new();
    for (n, (doc, docx, pdf)) in src.documents.into_iter().enumerate() {
        let annex = doc.form.annex_number(&ctx.ruleset).map(|a| format!("{a} — ")).unwrap_or_default();
        let number = doc.number.as_deref().map(|n| format!(", số {n}")).unwrap_or_default();
        let stem = format!("van-ban/{:02}-{}-{}", n + 1, doc.form.code(), doc.id);
        for (ext, bytes) in [("docx", Some(docx)), ("pdf", pdf)] {
            let Some(bytes) = bytes else { continue };
            files.push(PackageFile {
                path: format!("{stem}.{ext}"),
                bytes,
                description: format!("{annex}{}{number} ({})", doc.form.label(Lang::Vi), ext.to_uppercase()),
            });
        }
    }
    for (a, bytes) in src.attachments {
        let part = khien_domain::system::dossier::Part::parse("part", &a.part)
            .map(|p| p.label(Lang::Vi).to_string())
            .unwrap_or_else(|_| a.part.clone());
        files.push(PackageFile {
            path: format!("tai-lieu/{}/{}-{}", a.part, a.id, safe_file_name(&a.file_name)),
            bytes,
            description: format!("{part}: {}", a.file_name),
        });
    }
    let file_count = i64::try_from(files.len()).map_err(khien_domain::Error::internal)?;
    let about = About {
        dossier_id: ctx.dossier.id,
        system_code: &ctx.system.code,
        system_name: &ctx.system.name,
        owner_unit: &ctx.system.owner_unit_name,
        proposed_level: ctx.dossier.proposed_level,
        ruleset: ctx.ruleset.name,
        state: ctx.dossier.state.label(Lang::Vi),
        submitted_on: display_opt(ctx.dossier.submitted_on.as_deref()),
        built_on: date.format("%d/%m/%Y").to_string(),
    };
    let folder = format!("ho-so-{}-{}", ctx.dossier.id, safe_file_name(&ctx.system.code));
    let (zip, manifest) = write_package(&folder, about, files, date).map_err(khien_domain::Error::internal)?;
    Ok(BuiltPackage { zip, manifest, file_count })
}
