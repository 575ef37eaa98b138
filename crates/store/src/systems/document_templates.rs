//! The authority's own DOCX templates (issue 17.2): uploaded per document type and ruleset by
//! the standing body, each upload of a name a new version, at most one default per type and
//! ruleset (the one documents are issued from). The file is checked before it gets here.

use crate::audit::{json, Change};
use crate::db::{db_err, get, sha256_bytes, Store};
use crate::sql::Sql;
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::system::dossier_form::DossierForm;
use khien_domain::system::level::ruleset_by_code;
use khien_domain::unit::validate_name;
use khien_domain::{Error, Result};
use serde::Serialize;
use sqlx::any::AnyRow;
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentTemplate {
    pub id: i64,
    pub form: DossierForm,
    pub ruleset: String,
    pub name: String,
    /// 1 for a name's first upload, then one more at each.
    pub version: i64,
    pub sha256: String,
    /// The fields (and `#lists`) the template uses.
    pub fields: Vec<String>,
    /// Documents of its type and ruleset are issued from it.
    pub is_default: bool,
    pub uploaded_by_name: String,
    pub uploaded_at: i64,
}

const META: &str = "id, form, ruleset, name, version, sha256, fields, is_default, uploaded_by_name, uploaded_at";

fn template_row(r: &AnyRow) -> Result<DocumentTemplate> {
    let form: String = get(r, "form")?;
    let fields: String = get(r, "fields")?;
    Ok(DocumentTemplate {
        id: get(r, "id")?,
        form: DossierForm::try_from(form).map_err(Error::internal)?,
        ruleset: get(r, "ruleset")?,
        name: get(r, "name")?,
        version: get(r, "version")?,
        sha256: get(r, "sha256")?,
        fields: serde_json::from_str(&fields).map_err(Error::internal)?,
        is_default: get::<i64>(r, "is_default")? == 1,
        uploaded_by_name: get(r, "uploaded_by_name")?,
        uploaded_at: get(r, "uploaded_at")?,
    })
}

impl Store {
    /// Whether `actor` manages the templates (the standing body's leadership: `Govern` at the
    /// root), asked before an upload is read so a refused caller learns nothing of the file.
    pub async fn may_manage_templates(&self, actor: &Actor) -> Result<()> {
        let root = self.root_unit().await?.ok_or_else(Error::forbidden)?;
        actor.require(Action::Govern, root.id, &root.path)
    }

    /// Keeps a checked template as the next version of its name (the standing body only).
    pub async fn add_document_template(
        &self,
        actor: &Actor,
        form: DossierForm,
        ruleset: &str,
        name: &str,
        docx: Vec<u8>,
        fields: &[String],
    ) -> Result<DocumentTemplate> {
        let rs = ruleset_by_code(ruleset.trim()).ok_or_else(|| {
            Error::invalid(
                "ruleset",
                format!("Không có bộ quy định «{ruleset}»."),
                format!("There is no ruleset «{ruleset}»."),
            )
        })?;
        let name = validate_name("name", name, 200)?;
        let fields = serde_json::to_string(fields).map_err(Error::internal)?;
        let sha = sha256_bytes(&docx);
        let mut w = self.begin_write().await?;
        w.require_at_root(actor, Action::Govern).await?;
        let v = sqlx::query("SELECT CAST(COALESCE(MAX(version), 0) + 1 AS BIGINT) AS v FROM document_templates WHERE form = $1 AND ruleset = $2 AND name = $3")
            .bind(form.code())
            .bind(rs.code)
            .bind(name.as_str())
            .fetch_one(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let version: i64 = get(&v, "v")?;
        let who = w.actor_name(actor).await?;
        let r = sqlx::query(&format!(
            "INSERT INTO document_templates (form, ruleset, name, version, docx, sha256, fields, is_default, uploaded_by, uploaded_by_name, uploaded_at) \
             VALUES ($1,$2,$3,$4,$5,$6,$7,0,$8,$9,$10) RETURNING {META}"
        ))
        .bind(form.code())
        .bind(rs.code)
        .bind(name.as_str())
        .bind(version)
        .bind(docx)
        .bind(sha)
        .bind(fields)
        .bind(actor.user_id)
        .bind(who)
        .bind(self.clock.now_ms())
        .fetch_one(&mut *w.tx)
        .await
        .map_err(db_err)?;
        let t = template_row(&r)?;
        w.audit(
            Some(actor),
            Change {
                action: "document_template.upload",
                entity_type: "document_template",
                entity_id: Some(t.id),
                unit_id: None,
                before: None,
                after: json(&t),
            },
        )
        .await?;
        w.commit().await?;
        Ok(t)
    }

    /// Every template, by type, ruleset, name and version (reference data for whoever issues).
    pub async fn document_templates(&self) -> Result<Vec<DocumentTemplate>> {
        let rows = self
            .read_all(&Sql::new(&format!(
                "SELECT {META} FROM document_templates ORDER BY form, ruleset, name, version DESC"
            )))
            .await?;
        rows.iter().map(template_row).collect()
    }

    /// A template and its file.
    pub async fn document_template_file(&self, id: i64) -> Result<(DocumentTemplate, Vec<u8>)> {
        let r = self
            .read_optional(&Sql::new(&format!("SELECT {META}, docx FROM document_templates WHERE id = $1")).arg(id))
            .await?
            .ok_or_else(|| Error::not_found("mẫu văn bản", "Document template"))?;
        Ok((template_row(&r)?, get(&r, "docx")?))
    }

    /// The template documents of a type and ruleset are issued from, if one is chosen.
    pub async fn default_template(
        &self,
        form: DossierForm,
        ruleset: &str,
    ) -> Result<Option<(DocumentTemplate, Vec<u8>)>> {
        let r = self
            .read_optional(
                &Sql::new("SELECT id FROM document_templates WHERE form = $1 AND ruleset = $2 AND is_default = 1")
                    .arg(form.code())
                    .arg(ruleset),
            )
            .await?;
        match r {
            Some(r) => Ok(Some(self.document_template_file(get(&r, "id")?).await?)),
            None => Ok(None),
        }
    }

    /// Makes a template the default of its type and ruleset (`on`), or withdraws it so Khiên's
    /// own layout is used again (the standing body only).
    pub async fn set_default_template(&self, actor: &Actor, id: i64, on: bool) -> Result<DocumentTemplate> {
        let (before, _) = self.document_template_file(id).await?;
        let mut w = self.begin_write().await?;
        w.require_at_root(actor, Action::Govern).await?;
        sqlx::query("UPDATE document_templates SET is_default = 0 WHERE form = $1 AND ruleset = $2")
            .bind(before.form.code())
            .bind(before.ruleset.as_str())
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let r = sqlx::query(&format!("UPDATE document_templates SET is_default = $1 WHERE id = $2 RETURNING {META}"))
            .bind(i64::from(on))
            .bind(id)
            .fetch_one(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let after = template_row(&r)?;
        w.audit(
            Some(actor),
            Change {
                action: "document_template.default",
                entity_type: "document_template",
                entity_id: Some(id),
                unit_id: None,
                before: json(&before),
                after: json(&after),
            },
        )
        .await?;
        w.commit().await?;
        Ok(after)
    }
}
