//! Evidence files behind a progress report or a recurring duty done (issue 15.3, 15.5),
//! checked by content and hashed like incident files. Who may attach and who may read follow
//! the record they back: the unit that reported (and the task's lead, which sees its
//! co-ordinators' reports), or whoever may edit / see the system.

use crate::audit::{json, Change};
use crate::db::{db_err, get, get_code, sha256_bytes, Store};
use crate::sql::Sql;
use khien_domain::attachment::check_attachment;
use khien_domain::evidence::{EvidenceSubject, EVIDENCE_FILES};
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::unit::validate_name;
use khien_domain::{Error, Result};
use serde::Serialize;
use sqlx::any::AnyRow;
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EvidenceFile {
    pub id: i64,
    pub subject: EvidenceSubject,
    /// The progress report's or the duty occurrence's id.
    pub subject_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    /// Who attached it (full name).
    pub uploader_name: String,
    #[serde(serialize_with = "crate::records::ts")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: i64,
}

const META: &str = "id, subject, subject_id, file_name, content_type, size_bytes, sha256, uploader_name, created_at";

fn file_row(r: &AnyRow) -> Result<EvidenceFile> {
    Ok(EvidenceFile {
        id: get(r, "id")?,
        subject: get_code(r, "subject", |s| EvidenceSubject::parse("subject", s))?,
        subject_id: get(r, "subject_id")?,
        file_name: get(r, "file_name")?,
        content_type: get(r, "content_type")?,
        size_bytes: get(r, "size_bytes")?,
        sha256: get(r, "sha256")?,
        uploader_name: get(r, "uploader_name")?,
        created_at: get(r, "created_at")?,
    })
}

/// Where a piece of evidence belongs: its subject, the unit the audit names, the action label.
struct Target {
    subject: EvidenceSubject,
    subject_id: i64,
    unit_id: i64,
    audit_action: &'static str,
    entity: (&'static str, i64),
}

impl Store {
    /// The files of the given records of one subject, oldest first, without their bytes.
    pub(crate) async fn evidence_of(
        &self,
        subject: EvidenceSubject,
        ids: &[i64],
    ) -> Result<BTreeMap<i64, Vec<EvidenceFile>>> {
        let mut out: BTreeMap<i64, Vec<EvidenceFile>> = BTreeMap::new();
        for chunk in ids.chunks(500) {
            let mut q = Sql::new(&format!("SELECT {META} FROM evidence_files WHERE subject = "));
            q.bind(subject.code()).push(" AND subject_id IN (");
            q.bind_ids(chunk);
            q.push(") ORDER BY id");
            for r in self.read_all(&q).await? {
                let f = file_row(&r)?;
                out.entry(f.subject_id).or_default().push(f);
            }
        }
        Ok(out)
    }

    async fn attach(&self, actor: &Actor, t: Target, file_name: &str, bytes: &[u8]) -> Result<EvidenceFile> {
        let file_name = validate_name("file_name", file_name.rsplit(['/', '\\']).next().unwrap_or(file_name), 200)?;
        let content_type = check_attachment(&EVIDENCE_FILES, &file_name, bytes)?;
        let size = i64::try_from(bytes.len()).map_err(Error::internal)?;
        let mut w = self.begin_write().await?;
        let name = w.actor_name(actor).await?;
        let r = sqlx::query(&format!("INSERT INTO evidence_files (subject, subject_id, file_name, content_type, size_bytes, sha256, data, uploaded_by, uploader_name, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING {META}"))
            .bind(t.subject.code())
            .bind(t.subject_id)
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
        let file = file_row(&r)?;
        w.audit(
            Some(actor),
            Change {
                action: t.audit_action,
                entity_type: t.entity.0,
                entity_id: Some(t.entity.1),
                unit_id: Some(t.unit_id),
                before: None,
                after: json(&file),
            },
        )
        .await?;
        w.commit().await?;
        Ok(file)
    }

    /// The report's task, unit, period and unit path.
    async fn progress_key(&self, progress_id: i64) -> Result<(i64, i64, String, String)> {
        let r = self.read_optional(&Sql::new("SELECT pp.task_id, pp.unit_id, pp.period, u.path FROM plan_progress pp JOIN units u ON u.id = pp.unit_id WHERE pp.id = $1").arg(progress_id)).await?
            .ok_or_else(|| Error::not_found("báo cáo tiến độ", "Progress report"))?;
        Ok((get(&r, "task_id")?, get(&r, "unit_id")?, get(&r, "period")?, get(&r, "path")?))
    }

    /// Whether the caller sees a unit's report on a task for a period: as the task's page
    /// decides (its own units, or every unit of a task it leads).
    /// Returns the report's (task, unit, period, unit path).
    async fn sees_progress(&self, actor: &Actor, progress_id: i64) -> Result<(i64, i64, String, String)> {
        let missing = || Error::not_found("báo cáo tiến độ", "Progress report");
        let (task, unit, period, path) = self.progress_key(progress_id).await?;
        let seen = self.task_progress(actor, task, Some(&period)).await.map_err(|_| missing())?;
        if !seen.units.iter().any(|u| u.unit_id == unit) {
            return Err(missing());
        }
        Ok((task, unit, period, path))
    }

    /// Attaches evidence to a unit's progress report; whoever may report for the unit.
    pub async fn attach_progress_evidence(
        &self,
        actor: &Actor,
        progress_id: i64,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<EvidenceFile> {
        let (task, unit, _, path) = self.sees_progress(actor, progress_id).await?;
        actor.require(Action::ReportProgress, unit, &path)?;
        let t = Target {
            subject: EvidenceSubject::PlanProgress,
            subject_id: progress_id,
            unit_id: unit,
            audit_action: "plan.progress_file",
            entity: ("plan_task", task),
        };
        self.attach(actor, t, file_name, bytes).await
    }

    /// Attaches evidence to a duty done; whoever may edit the system.
    pub async fn attach_obligation_evidence(
        &self,
        actor: &Actor,
        occurrence_id: i64,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<EvidenceFile> {
        let system_id = self.occurrence_system(occurrence_id).await?;
        let system = self.scoped_system(&self.pool, actor, system_id, Action::EditSystems).await?;
        let t = Target {
            subject: EvidenceSubject::Obligation,
            subject_id: occurrence_id,
            unit_id: system.owner_unit_id,
            audit_action: "obligation.file",
            entity: ("system", system.id),
        };
        self.attach(actor, t, file_name, bytes).await
    }

    async fn occurrence_system(&self, occurrence_id: i64) -> Result<i64> {
        let r = self
            .read_optional(&Sql::new("SELECT system_id FROM obligation_occurrences WHERE id = $1").arg(occurrence_id))
            .await?
            .ok_or_else(|| Error::not_found("nghĩa vụ đã thực hiện", "Duty done"))?;
        get(&r, "system_id")
    }

    /// Where a report lies, for the page that shows it: (task, period).
    pub async fn progress_place(&self, actor: &Actor, progress_id: i64) -> Result<(i64, String)> {
        let (task, _, period, _) = self.sees_progress(actor, progress_id).await?;
        Ok((task, period))
    }

    /// The system a duty done belongs to, for a caller who sees it.
    pub async fn evidence_system(&self, actor: &Actor, occurrence_id: i64) -> Result<i64> {
        let system = self.occurrence_system(occurrence_id).await?;
        Ok(self.scoped_system(&self.pool, actor, system, Action::ViewSystems).await?.id)
    }

    /// One file with its bytes, for a caller who sees the record it backs.
    pub async fn evidence_file(&self, actor: &Actor, id: i64) -> Result<(EvidenceFile, Vec<u8>)> {
        let missing = || Error::not_found("tệp bằng chứng", "Evidence file");
        let r = self
            .read_optional(&Sql::new(&format!("SELECT {META}, data FROM evidence_files WHERE id = $1")).arg(id))
            .await?
            .ok_or_else(missing)?;
        let f = file_row(&r)?;
        let seen = match f.subject {
            EvidenceSubject::PlanProgress => self.sees_progress(actor, f.subject_id).await.map(|_| ()),
            EvidenceSubject::Obligation => {
                let system = self.occurrence_system(f.subject_id).await?;
                self.scoped_system(&self.pool, actor, system, Action::ViewSystems).await.map(|_| ())
            }
        };
        seen.map_err(|_| missing())?;
        Ok((f, get(&r, "data")?))
    }
}
