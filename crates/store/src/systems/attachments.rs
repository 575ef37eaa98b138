//! Files attached to level dossiers: type checked by content, size-limited, stored with their
//! SHA-256, readable by whoever may see the dossier, added only while the dossier is editable.

use crate::audit::{json, Change};
use crate::db::{db_err, get, sha256_bytes, Store};
use crate::sql::Sql;
use khien_domain::attachment::check_attachment;
use khien_domain::scope::Actor;
use khien_domain::system::dossier::{may_edit, Part, UnitAt, ATTACHMENTS};
use khien_domain::unit::validate_name;
use khien_domain::{Error, Result};
use serde::Serialize;
use sqlx::any::AnyRow;
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Attachment {
    pub id: i64,
    pub dossier_id: i64,
    /// The dossier part it supports (overview, design, …).
    pub part: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
}

const META: &str = "id, dossier_id, part, file_name, content_type, size_bytes, sha256";

fn attachment_row(r: &AnyRow) -> Result<Attachment> {
    Ok(Attachment {
        id: get(r, "id")?,
        dossier_id: get(r, "dossier_id")?,
        part: get(r, "part")?,
        file_name: get(r, "file_name")?,
        content_type: get(r, "content_type")?,
        size_bytes: get(r, "size_bytes")?,
        sha256: get(r, "sha256")?,
    })
}

impl Store {
    pub async fn attachments_of(&self, actor: &Actor, dossier_id: i64) -> Result<Vec<Attachment>> {
        self.get_dossier(actor, dossier_id).await?;
        let rows = self
            .read_all(
                &Sql::new(&format!("SELECT {META} FROM dossier_attachments WHERE dossier_id = $1 ORDER BY id"))
                    .arg(dossier_id),
            )
            .await?;
        rows.iter().map(attachment_row).collect()
    }

    /// Attaches a file to a draft or returned dossier of a system the caller edits.
    pub async fn add_attachment(
        &self,
        actor: &Actor,
        dossier_id: i64,
        part: &str,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<Attachment> {
        let mut added = self.add_attachments(actor, dossier_id, &[(part, file_name, bytes)]).await?;
        added.pop().ok_or_else(|| Error::internal("no attachment written"))
    }

    /// Attaches several files (part, file name, bytes) in one transaction: all or none.
    pub async fn add_attachments(
        &self,
        actor: &Actor,
        dossier_id: i64,
        files: &[(&str, &str, &[u8])],
    ) -> Result<Vec<Attachment>> {
        let mut checked = Vec::with_capacity(files.len());
        for (part, file_name, bytes) in files {
            let part = Part::parse("part", part)?;
            let file_name = validate_name("file_name", file_name.rsplit(['/', '\\']).next().unwrap_or(file_name), 200)?;
            let content_type = check_attachment(&ATTACHMENTS, &file_name, bytes)?;
            let size = i64::try_from(bytes.len()).map_err(Error::internal)?;
            checked.push((part, file_name, content_type, size, *bytes));
        }
        let (d, s) = self.get_dossier(actor, dossier_id).await?;
        let system = UnitAt { id: s.owner_unit_id, path: s.owner_path.clone() };
        may_edit(actor, d.state, &system)?;
        let mut w = self.begin_write().await?;
        let mut added = Vec::with_capacity(checked.len());
        for (part, file_name, content_type, size, bytes) in checked {
            let mut q = Sql::new("INSERT INTO dossier_attachments (dossier_id, part, file_name, content_type, size_bytes, sha256, data, uploaded_by, created_at) VALUES (");
            q.bind(dossier_id)
                .push(",")
                .bind(part.code())
                .push(",")
                .bind(file_name.as_str())
                .push(",")
                .bind(content_type)
                .push(",")
                .bind(size);
            q.push(",")
                .bind(sha256_bytes(bytes))
                .push(",")
                .bind_bytes(bytes.to_vec())
                .push(",")
                .bind(actor.user_id)
                .push(",")
                .bind(self.clock.now_ms());
            q.push(&format!(") RETURNING {META}"));
            let a = attachment_row(&q.query().fetch_one(&mut *w.tx).await.map_err(db_err)?)?;
            w.audit(
                Some(actor),
                Change {
                    action: "dossier.attach",
                    entity_type: "dossier",
                    entity_id: Some(dossier_id),
                    unit_id: Some(s.owner_unit_id),
                    before: None,
                    after: json(&a),
                },
            )
            .await?;
            added.push(a);
        }
        crate::systems::dossier_review::refresh_parts(&mut w, dossier_id).await?;
        w.commit().await?;
        Ok(added)
    }

    /// An attachment's metadata and bytes, for a caller who may see its dossier.
    pub async fn attachment_file(&self, actor: &Actor, id: i64) -> Result<(Attachment, Vec<u8>)> {
        let r = self
            .read_optional(&Sql::new(&format!("SELECT {META}, data FROM dossier_attachments WHERE id = $1")).arg(id))
            .await?;
        let r = r.ok_or_else(|| Error::not_found("tệp đính kèm", "Attachment"))?;
        let a = attachment_row(&r)?;
        self.get_dossier(actor, a.dossier_id).await.map_err(|_| Error::not_found("tệp đính kèm", "Attachment"))?;
        Ok((a, get(&r, "data")?))
    }
}

/// Every attachment of a dossier with its bytes, oldest first, for a caller already allowed to
/// see the dossier (the package).
pub(crate) async fn files_of(pool: &sqlx::AnyPool, dossier_id: i64) -> Result<Vec<(Attachment, Vec<u8>)>> {
    let rows = sqlx::query(&format!("SELECT {META}, data FROM dossier_attachments WHERE dossier_id = $1 ORDER BY id"))
        .bind(dossier_id)
        .fetch_all(pool)
        .await
        .map_err(db_err)?;
    rows.iter().map(|r| Ok((attachment_row(r)?, get(r, "data")?))).collect()
}
