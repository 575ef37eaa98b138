//! Files attached to an incident (issue 14.9): logs, screenshots and signed scans, checked by
//! content and hashed like dossier attachments; added by whoever may work on the incident (the
//! reporting unit's staff, the co-ordinator), read by whoever may see it.

use crate::audit::{json, Change};
use crate::db::{db_err, from_row, get, sha256_bytes, Store};
use crate::incidents::incident::add_event;
use crate::sql::Sql;
use khien_domain::attachment::check_attachment;
use khien_domain::incident::{EventKind, INCIDENT_FILES};
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::unit::validate_name;
use khien_domain::{Error, Result};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct IncidentFile {
    pub id: i64,
    pub incident_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    /// Who attached it (full name).
    pub uploader_name: String,
    pub created_at: i64,
}

const META: &str = "id, incident_id, file_name, content_type, size_bytes, sha256, uploader_name, created_at";

impl Store {
    /// Attaches a file to an incident the caller works on; the timeline notes it.
    pub async fn add_incident_file(
        &self,
        actor: &Actor,
        id: i64,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<IncidentFile> {
        let file_name = validate_name("file_name", file_name.rsplit(['/', '\\']).next().unwrap_or(file_name), 200)?;
        let content_type = check_attachment(&INCIDENT_FILES, &file_name, bytes)?;
        let size = i64::try_from(bytes.len()).map_err(Error::internal)?;
        let mut w = self.begin_write().await?;
        let inc = self.scoped_incident(&mut *w.tx, actor, id, Action::ReportIncidents).await?;
        let name = w.actor_name(actor).await?;
        let r = sqlx::query(&format!("INSERT INTO incident_files (incident_id, file_name, content_type, size_bytes, sha256, data, uploaded_by, uploader_name, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING {META}"))
            .bind(id)
            .bind(file_name.as_str())
            .bind(content_type)
            .bind(size)
            .bind(sha256_bytes(bytes))
            .bind(bytes)
            .bind(actor.user_id)
            .bind(name.as_str())
            .bind(w.clock.now_ms())
            .fetch_one(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let file: IncidentFile = from_row(&r)?;
        add_event(&mut w, actor, id, EventKind::Note, &format!("Đính kèm tệp / Attached: {file_name}")).await?;
        w.audit(
            Some(actor),
            Change {
                action: "incident.file",
                entity_type: "incident",
                entity_id: Some(id),
                unit_id: Some(inc.unit_id),
                before: None,
                after: json(&file),
            },
        )
        .await?;
        w.commit().await?;
        Ok(file)
    }

    /// The files of an incident the caller may see, oldest first.
    pub async fn incident_files(&self, actor: &Actor, id: i64) -> Result<Vec<IncidentFile>> {
        self.scoped_incident(&self.pool, actor, id, Action::ViewIncidents).await?;
        let rows = self
            .read_all(
                &Sql::new(&format!("SELECT {META} FROM incident_files WHERE incident_id = $1 ORDER BY id")).arg(id),
            )
            .await?;
        rows.iter().map(from_row).collect()
    }

    /// One file with its bytes, for a caller who may see its incident.
    pub async fn incident_file(&self, actor: &Actor, file_id: i64) -> Result<(IncidentFile, Vec<u8>)> {
        let r = self
            .read_optional(&Sql::new(&format!("SELECT {META}, data FROM incident_files WHERE id = $1")).arg(file_id))
            .await?
            .ok_or_else(|| Error::not_found("tệp", "File"))?;
        let file: IncidentFile = from_row(&r)?;
        self.scoped_incident(&self.pool, actor, file.incident_id, Action::ViewIncidents).await.map_err(
            |e| match e {
                Error::Forbidden(_) => Error::not_found("tệp", "File"),
                other => other,
            },
        )?;
        Ok((file, get(&r, "data")?))
    }
}
