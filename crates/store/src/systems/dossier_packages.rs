//! A level dossier's package for an outside appraiser (issue 17.3): what goes in (the latest
//! issued document of each form and every attachment), the packages built with their
//! SHA-256, and the appraiser's receipt. Built and receipted by those who send the dossier.

use crate::audit::{json, Change};
use crate::db::{db_err, from_row, get, sha256_bytes, Store};
use crate::sql::Sql;
use crate::systems::attachments::Attachment;
use crate::systems::dossier_documents::{DossierFormContext, IssuedDocument};
use khien_domain::calendar::parse_date;
use khien_domain::scope::Actor;
use khien_domain::system::dossier_form::MAX_PACKAGE_BYTES;
use khien_domain::unit::{optional_text, validate_name};
use khien_domain::{Error, Result};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A package as built, with the appraiser's receipt once recorded.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct DossierPackage {
    pub id: i64,
    pub dossier_id: i64,
    /// SHA-256 of the ZIP.
    pub sha256: String,
    pub size_bytes: i64,
    /// Files inside, besides the manifest and the sums.
    pub file_count: i64,
    pub built_by_name: String,
    pub built_at: i64,
    /// Who received it (e.g. "Cục An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao").
    pub received_by: Option<String>,
    /// The day it was received, yyyy-mm-dd.
    pub received_on: Option<String>,
    /// The receiving body's reference (its document or register number).
    pub receipt_ref: Option<String>,
    pub receipt_recorded_by: Option<String>,
    pub receipt_recorded_at: Option<i64>,
}

/// The appraiser's receipt of a package.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PackageReceipt {
    pub received_by: String,
    /// dd/mm/yyyy (or yyyy-mm-dd); not in the future, not before the package was built.
    pub received_on: String,
    pub reference: Option<String>,
}

/// What a package is made of, read as the caller may see it.
pub struct PackageSource {
    pub context: DossierFormContext,
    pub attachments: Vec<(Attachment, Vec<u8>)>,
    /// The latest issued document of each form, with its DOCX and (Khiên's layout) PDF.
    pub documents: Vec<(IssuedDocument, Vec<u8>, Option<Vec<u8>>)>,
}

const PACKAGE: &str = "id, dossier_id, sha256, size_bytes, file_count, built_by_name, built_at, received_by, received_on, receipt_ref, receipt_recorded_by, receipt_recorded_at";

impl Store {
    /// The files of a dossier's package, for one who sends the dossier; a dossier whose files
    /// pass `MAX_PACKAGE_BYTES` is refused with its size before anything is read.
    pub async fn dossier_package_source(&self, actor: &Actor, id: i64) -> Result<PackageSource> {
        let context = self.dossier_form_context(actor, id).await?;
        if !context.may_send {
            return Err(Error::forbidden());
        }
        let total = self.read_one(&Sql::new("SELECT CAST(COALESCE(SUM(size_bytes), 0) AS BIGINT) AS n FROM dossier_attachments WHERE dossier_id = $1",).arg(id)).await?;
        let total: i64 = get(&total, "n")?;
        if total > MAX_PACKAGE_BYTES {
            let mib = |b: i64| b / (1024 * 1024);
            return Err(Error::invalid(
                "attachments",
                format!(
                    "Tệp đính kèm của hồ sơ tổng cộng {} MiB, quá {} MiB của một gói.",
                    mib(total),
                    mib(MAX_PACKAGE_BYTES)
                ),
                format!(
                    "The dossier's attachments total {} MiB, past a package's {} MiB.",
                    mib(total),
                    mib(MAX_PACKAGE_BYTES)
                ),
            ));
        }
        // The dossier is visible (the context above): its files are read in one query each.
        let attachments = crate::systems::attachments::files_of(&self.pool, id).await?;
        let documents = crate::systems::dossier_documents::latest_files(&self.pool, id).await?;
        Ok(PackageSource { context, attachments, documents })
    }

    /// Keeps a package built from `dossier_package_source`.
    pub async fn record_dossier_package(
        &self,
        actor: &Actor,
        id: i64,
        zip: Vec<u8>,
        manifest: &str,
        file_count: i64,
    ) -> Result<DossierPackage> {
        let context = self.dossier_form_context(actor, id).await?;
        if !context.may_send {
            return Err(Error::forbidden());
        }
        let size = i64::try_from(zip.len()).map_err(Error::internal)?;
        let sha = sha256_bytes(&zip);
        let mut w = self.begin_write().await?;
        let name = w.actor_name(actor).await?;
        let r = sqlx::query(&format!(
            "INSERT INTO dossier_packages (dossier_id, sha256, size_bytes, file_count, manifest, data, built_by, built_by_name, built_at) \
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING {PACKAGE}"
        ))
        .bind(id)
        .bind(sha)
        .bind(size)
        .bind(file_count)
        .bind(manifest)
        .bind(zip)
        .bind(actor.user_id)
        .bind(name)
        .bind(self.clock.now_ms())
        .fetch_one(&mut *w.tx)
        .await
        .map_err(db_err)?;
        let package: DossierPackage = from_row(&r)?;
        let change = Change {
            action: "dossier.package",
            entity_type: "dossier",
            entity_id: Some(id),
            unit_id: Some(context.system.owner_unit_id),
            before: None,
            after: json(&package),
        };
        w.audit(Some(actor), change).await?;
        w.commit().await?;
        Ok(package)
    }

    /// The packages built of a dossier, newest first.
    pub async fn dossier_packages(&self, actor: &Actor, id: i64) -> Result<Vec<DossierPackage>> {
        self.get_dossier(actor, id).await?;
        let rows = self
            .read_all(
                &Sql::new(&format!("SELECT {PACKAGE} FROM dossier_packages WHERE dossier_id = $1 ORDER BY id DESC"))
                    .arg(id),
            )
            .await?;
        rows.iter().map(from_row).collect()
    }

    async fn package_of(&self, actor: &Actor, package_id: i64, with_data: bool) -> Result<(DossierPackage, Vec<u8>)> {
        let data = if with_data { ", data" } else { "" };
        let r = self
            .read_optional(
                &Sql::new(&format!("SELECT {PACKAGE}{data} FROM dossier_packages WHERE id = $1")).arg(package_id),
            )
            .await?;
        let hidden = || Error::not_found("gói hồ sơ", "Dossier package");
        let r = r.ok_or_else(hidden)?;
        let package: DossierPackage = from_row(&r)?;
        self.get_dossier(actor, package.dossier_id).await.map_err(|_| hidden())?;
        let bytes = if with_data { get(&r, "data")? } else { Vec::new() };
        Ok((package, bytes))
    }

    /// A package's ZIP as built, for a caller who may see its dossier.
    pub async fn dossier_package_file(&self, actor: &Actor, package_id: i64) -> Result<(DossierPackage, Vec<u8>)> {
        self.package_of(actor, package_id, true).await
    }

    /// Records (or corrects) the appraiser's receipt of a package.
    pub async fn record_package_receipt(
        &self,
        actor: &Actor,
        package_id: i64,
        input: &PackageReceipt,
    ) -> Result<DossierPackage> {
        let (before, _) = self.package_of(actor, package_id, false).await?;
        let context = self.dossier_form_context(actor, before.dossier_id).await?;
        if !context.may_send {
            return Err(Error::forbidden());
        }
        let received_by = validate_name("received_by", &input.received_by, 200)?;
        let reference = optional_text("reference", input.reference.as_deref(), 100)?;
        let bad_day = |vi: &str, en: &str| Error::invalid("received_on", vi.to_string(), en.to_string());
        let on = parse_date(&input.received_on)
            .ok_or_else(|| bad_day("Ngày nhận ghi theo dạng dd/mm/yyyy.", "Write the day received as dd/mm/yyyy."))?;
        if on > self.clock.today_vn() {
            return Err(bad_day("Ngày nhận không thể ở tương lai.", "The day received cannot be in the future."));
        }
        if on < khien_domain::calendar::date_vn(before.built_at) {
            return Err(bad_day(
                "Ngày nhận không thể trước ngày đóng gói.",
                "The day received cannot be before the package was built.",
            ));
        }
        let mut w = self.begin_write().await?;
        let name = w.actor_name(actor).await?;
        let r = sqlx::query(&format!(
            "UPDATE dossier_packages SET received_by = $1, received_on = $2, receipt_ref = $3, receipt_recorded_by = $4, receipt_recorded_at = $5 WHERE id = $6 RETURNING {PACKAGE}"
        ))
        .bind(received_by)
        .bind(on.format("%Y-%m-%d").to_string())
        .bind(reference)
        .bind(name)
        .bind(self.clock.now_ms())
        .bind(package_id)
        .fetch_one(&mut *w.tx)
        .await
        .map_err(db_err)?;
        let after: DossierPackage = from_row(&r)?;
        let change = Change {
            action: "dossier.package_receipt",
            entity_type: "dossier",
            entity_id: Some(before.dossier_id),
            unit_id: Some(context.system.owner_unit_id),
            before: json(&before),
            after: json(&after),
        };
        w.audit(Some(actor), change).await?;
        w.commit().await?;
        Ok(after)
    }
}
