//! The documents generated from a level dossier's data (issue 17.1): what they are filled from
//! (`DossierFormContext`), and the issued ones, each kept as DOCX and PDF with their SHA-256 and
//! the data they came from. Issuing is the form's step's people's (`dossier_form::may_issue`).

use crate::audit::Change;
use crate::db::{db_err, from_row, sha256_bytes, Store};
use crate::incidents::incident::DocumentHeader;
use crate::sql::Sql;
use crate::systems::dossier_review::{DossierOpinion, PartStatus};
use crate::systems::dossiers::Dossier;
use crate::systems::registry::System;
use khien_domain::scope::Actor;
use khien_domain::system::dossier::{DossierState, UnitAt};
use khien_domain::system::dossier_form::{may_issue, may_send, DossierForm};
use khien_domain::system::level::Ruleset;
use khien_domain::unit::optional_text;
use khien_domain::{Error, Result};
use serde::Serialize;
use utoipa::ToSchema;

/// Everything a dossier's documents are filled from, read as the caller may see it.
#[derive(Debug, Clone)]
pub struct DossierFormContext {
    pub dossier: Dossier,
    pub system: System,
    pub parts: Vec<PartStatus>,
    pub opinions: Vec<DossierOpinion>,
    pub ruleset: Ruleset,
    /// The system's own unit: the operator that requests and submits.
    pub owner: DocumentHeader,
    /// The owning body (chủ quản) the authority named, which approves from level 3.
    pub owning_body: Option<DocumentHeader>,
    /// The owning body's dedicated security unit the authority named, which appraises.
    pub dedicated_unit: Option<DocumentHeader>,
    /// The documents the dossier has at its proposed level, in the procedure's order.
    pub forms: Vec<DossierForm>,
    /// Of those, the ones this caller may issue.
    pub may_issue: Vec<DossierForm>,
    /// Whether the caller sends the dossier: builds its package and records the receipt.
    pub may_send: bool,
}

impl DossierFormContext {
    pub fn level(&self) -> u8 {
        u8::try_from(self.dossier.proposed_level).unwrap_or(1)
    }
}

/// A document issued from a dossier: its two files' SHA-256 and the data version it came from.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct IssuedDocument {
    pub id: i64,
    pub dossier_id: i64,
    #[sqlx(try_from = "String")]
    pub form: DossierForm,
    /// Số và ký hiệu, when given at issue.
    pub number: Option<String>,
    /// SHA-256 of the JSON the document was filled from: the data version.
    pub data_sha256: String,
    pub docx_sha256: String,
    /// None for a document issued from the authority's own template (kept as DOCX only).
    pub pdf_sha256: Option<String>,
    /// The authority's template it was issued from; none for Khiên's own layout.
    pub template_id: Option<i64>,
    pub issued_by_name: String,
    pub issued_at: i64,
}

/// What the document service made of a form, to be kept.
pub struct DocumentToIssue {
    pub form: DossierForm,
    pub number: Option<String>,
    /// The facts the document was filled from, as JSON.
    pub data: String,
    pub docx: Vec<u8>,
    pub pdf: Option<Vec<u8>>,
    pub template_id: Option<i64>,
}

const ISSUED: &str =
    "id, dossier_id, form, number, data_sha256, docx_sha256, pdf_sha256, template_id, issued_by_name, issued_at";

impl Store {
    /// What a dossier's documents are filled from, and which of them the caller may issue.
    pub async fn dossier_form_context(&self, actor: &Actor, id: i64) -> Result<DossierFormContext> {
        let (dossier, system) = self.get_dossier(actor, id).await?;
        let parts = self.dossier_parts(actor, id).await?;
        let opinions = self.dossier_opinions(actor, id).await?;
        let ruleset = self.ruleset(&dossier.ruleset).await?;
        let bodies = self.level_bodies().await?;
        let owner = self.document_header(system.owner_unit_id).await?;
        let owning_body = match bodies.owning_body_unit_id {
            Some(u) => Some(self.document_header(u).await?),
            None => None,
        };
        let dedicated_unit = match bodies.dedicated_unit_id {
            Some(u) => Some(self.document_header(u).await?),
            None => None,
        };
        let level = u8::try_from(dossier.proposed_level).unwrap_or(1);
        let at = UnitAt { id: system.owner_unit_id, path: system.owner_path.clone() };
        let forms = DossierForm::for_level(level, &ruleset);
        let may = forms
            .iter()
            .copied()
            .filter(|_| dossier.state != DossierState::Superseded)
            .filter(|f| may_issue(actor, *f, level, &ruleset, &at, &bodies.bodies))
            .collect();
        let may_send =
            dossier.state != DossierState::Superseded && may_send(actor, level, &ruleset, &at, &bodies.bodies);
        Ok(DossierFormContext {
            may_send,
            dossier,
            system,
            parts,
            opinions,
            ruleset,
            owner,
            owning_body,
            dedicated_unit,
            forms,
            may_issue: may,
        })
    }

    /// Keeps a generated document: the caller must be one who issues that form at the dossier's
    /// level (checked again here), and a superseded dossier issues nothing.
    pub async fn issue_dossier_document(&self, actor: &Actor, id: i64, doc: DocumentToIssue) -> Result<IssuedDocument> {
        let ctx = self.dossier_form_context(actor, id).await?;
        if !ctx.forms.contains(&doc.form) {
            return Err(Error::invalid(
                "form",
                format!(
                    "Hồ sơ đề xuất cấp độ {} không có văn bản «{}».",
                    ctx.level(),
                    doc.form.label(khien_domain::Lang::Vi)
                ),
                format!(
                    "A dossier proposing level {} has no «{}».",
                    ctx.level(),
                    doc.form.label(khien_domain::Lang::En)
                ),
            ));
        }
        if ctx.dossier.state == DossierState::Superseded {
            return Err(Error::invalid(
                "state",
                "Hồ sơ đã được thay thế: không ban hành văn bản từ hồ sơ này.",
                "The dossier has been superseded: no document is issued from it.",
            ));
        }
        if !ctx.may_issue.contains(&doc.form) {
            return Err(Error::forbidden());
        }
        let number = optional_text("number", doc.number.as_deref(), 60)?;
        let (docx_sha, pdf_sha) = (sha256_bytes(&doc.docx), doc.pdf.as_deref().map(sha256_bytes));
        let mut w = self.begin_write().await?;
        let name = w.actor_name(actor).await?;
        let r = sqlx::query(&format!(
            "INSERT INTO dossier_documents (dossier_id, form, number, data, data_sha256, docx_sha256, docx, pdf_sha256, pdf, template_id, issued_by, issued_by_name, issued_at) \
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) RETURNING {ISSUED}"
        ))
        .bind(id)
        .bind(doc.form.code())
        .bind(number)
        .bind(doc.data.as_str())
        .bind(sha256_bytes(doc.data.as_bytes()))
        .bind(docx_sha)
        .bind(doc.docx)
        .bind(pdf_sha)
        .bind(doc.pdf)
        .bind(doc.template_id)
        .bind(actor.user_id)
        .bind(name)
        .bind(self.clock.now_ms())
        .fetch_one(&mut *w.tx)
        .await
        .map_err(db_err)?;
        let issued: IssuedDocument = from_row(&r)?;
        w.audit(
            Some(actor),
            Change {
                action: "dossier.issue_document",
                entity_type: "dossier",
                entity_id: Some(id),
                unit_id: Some(ctx.system.owner_unit_id),
                before: None,
                after: crate::audit::json(&issued),
            },
        )
        .await?;
        w.commit().await?;
        Ok(issued)
    }

    /// The documents issued from a dossier, newest first.
    pub async fn issued_documents(&self, actor: &Actor, id: i64) -> Result<Vec<IssuedDocument>> {
        self.get_dossier(actor, id).await?;
        let rows = self
            .read_all(
                &Sql::new(&format!("SELECT {ISSUED} FROM dossier_documents WHERE dossier_id = $1 ORDER BY id DESC"))
                    .arg(id),
            )
            .await?;
        rows.iter().map(from_row).collect()
    }

    /// An issued document's DOCX or PDF (`pdf`), for a caller who may see its dossier.
    pub async fn issued_document_file(
        &self,
        actor: &Actor,
        doc_id: i64,
        pdf: bool,
    ) -> Result<(IssuedDocument, Vec<u8>)> {
        let column = if pdf { "pdf" } else { "docx" };
        let r = self
            .read_optional(
                &Sql::new(&format!("SELECT {ISSUED}, {column} AS bytes FROM dossier_documents WHERE id = $1"))
                    .arg(doc_id),
            )
            .await?;
        let hidden = || Error::not_found("văn bản", "Document");
        let r = r.ok_or_else(hidden)?;
        let issued: IssuedDocument = from_row(&r)?;
        self.get_dossier(actor, issued.dossier_id).await.map_err(|_| hidden())?;
        let bytes: Option<Vec<u8>> = crate::db::get(&r, "bytes")?;
        let bytes = bytes.ok_or_else(|| {
            Error::not_found(
                "bản PDF (văn bản ban hành theo mẫu của cơ quan chỉ có bản Word)",
                "PDF (a document issued from the authority's template is kept as Word only)",
            )
        })?;
        Ok((issued, bytes))
    }
}

/// The latest issued document of each form of a dossier with its DOCX and PDF (none for one
/// issued from the authority's template), for a caller already allowed to see the dossier.
pub(crate) async fn latest_files(
    pool: &sqlx::AnyPool,
    dossier_id: i64,
) -> Result<Vec<(IssuedDocument, Vec<u8>, Option<Vec<u8>>)>> {
    let rows = sqlx::query(&format!(
        "SELECT {ISSUED}, docx, pdf FROM dossier_documents d WHERE dossier_id = $1 \
         AND id = (SELECT MAX(id) FROM dossier_documents x WHERE x.dossier_id = d.dossier_id AND x.form = d.form) ORDER BY id DESC"
    ))
    .bind(dossier_id)
    .fetch_all(pool)
    .await
    .map_err(db_err)?;
    rows.iter().map(|r| Ok((from_row(r)?, crate::db::get(r, "docx")?, crate::db::get(r, "pdf")?))).collect()
}
