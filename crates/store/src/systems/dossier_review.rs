//! What an appraiser judges (issue 14.3): each part of a dossier with its files, or the owner's
//! "not applicable" and its reason; and the written opinions of returns, appraisals and
//! approvals, each of which can be produced as a document.

use crate::audit::{json, Change};
use crate::db::{db_err, get, Store, WriteTx};
use crate::sql::Sql;
use crate::systems::attachments::Attachment;
use crate::systems::dossiers::Dossier;
use crate::systems::registry::System;
use khien_domain::scope::Actor;
use khien_domain::system::dossier::{may_edit, required_parts, DossierAction, Part, UnitAt};
use khien_domain::system::level::ruleset_by_code;
use khien_domain::unit::optional_text;
use khien_domain::{Error, Result};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One part of a dossier as the appraiser and the owner see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PartStatus {
    pub part: Part,
    /// Required at the proposed level (NĐ 85 Đ15; NĐ 331 Đ21, Đ22.5).
    pub required: bool,
    pub files: Vec<Attachment>,
    /// The owner's reason where the part does not apply.
    pub not_applicable: Option<String>,
    /// A file is attached, or the part is declared not applicable with a reason.
    pub complete: bool,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotApplicableInput {
    /// Why the part does not apply to this system (at least 10 characters).
    pub reason: String,
}

/// A written opinion: of a return, an appraisal or an approval.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct DossierOpinion {
    pub id: i64,
    pub dossier_id: i64,
    #[sqlx(try_from = "String")]
    pub step: DossierAction,
    pub opinion: String,
    pub author_name: String,
    /// The unit the author acted for (the document's issuing body).
    pub author_unit_id: i64,
    pub at: i64,
}

impl Store {
    /// Every required part, and any other part with a file or a declaration, in the law's order.
    pub async fn dossier_parts(&self, actor: &Actor, id: i64) -> Result<Vec<PartStatus>> {
        let (d, _) = self.get_dossier(actor, id).await?;
        let files = self.attachments_of(actor, id).await?;
        let rows = self
            .read_all(&Sql::new("SELECT part, reason FROM dossier_part_exemptions WHERE dossier_id = $1").arg(id))
            .await?;
        let mut exempt = Vec::new();
        for r in &rows {
            exempt.push((get::<String>(r, "part")?, get::<String>(r, "reason")?));
        }
        let rs = ruleset_by_code(&d.ruleset)
            .unwrap_or_else(|| khien_domain::system::level::ruleset_for(self.clock.today_vn()));
        let required = required_parts(u8::try_from(d.proposed_level).unwrap_or(1), &rs);
        Ok(Part::ALL
            .iter()
            .filter_map(|p| {
                let files: Vec<Attachment> = files.iter().filter(|f| f.part == p.code()).cloned().collect();
                let not_applicable = exempt.iter().find(|(part, _)| part == p.code()).map(|(_, r)| r.clone());
                let required = required.contains(p);
                (required || !files.is_empty() || not_applicable.is_some()).then(|| PartStatus {
                    part: *p,
                    required,
                    complete: !files.is_empty() || not_applicable.is_some(),
                    files,
                    not_applicable,
                })
            })
            .collect())
    }

    /// Declares a part not applicable with its reason, or (`None`) withdraws the declaration;
    /// the owner unit's staff, while the dossier is editable.
    pub async fn set_part_not_applicable(
        &self,
        actor: &Actor,
        id: i64,
        part: Part,
        reason: Option<&str>,
    ) -> Result<Vec<PartStatus>> {
        let (d, s) = self.get_dossier(actor, id).await?;
        may_edit(actor, d.state, &UnitAt { id: s.owner_unit_id, path: s.owner_path.clone() })?;
        let reason = optional_text("reason", reason, 2000)?;
        if reason.as_deref().is_some_and(|r| r.chars().count() < 10) {
            return Err(Error::invalid(
                "reason",
                "Ghi rõ lý do thành phần này không áp dụng (ít nhất 10 ký tự).",
                "Say why this part does not apply (at least 10 characters).",
            ));
        }
        let mut w = self.begin_write().await?;
        sqlx::query("DELETE FROM dossier_part_exemptions WHERE dossier_id = $1 AND part = $2")
            .bind(id)
            .bind(part.code())
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        if let Some(r) = &reason {
            sqlx::query("INSERT INTO dossier_part_exemptions (dossier_id, part, reason, set_by, set_at) VALUES ($1,$2,$3,$4,$5)")
                .bind(id)
                .bind(part.code())
                .bind(r.as_str())
                .bind(actor.user_id)
                .bind(w.clock.now_ms())
                .execute(&mut *w.tx)
                .await
                .map_err(db_err)?;
        }
        refresh_parts(&mut w, id).await?;
        w.audit(
            Some(actor),
            Change {
                action: "dossier.part_na",
                entity_type: "dossier",
                entity_id: Some(id),
                unit_id: Some(s.owner_unit_id),
                before: None,
                after: json(&serde_json::json!({ "part": part.code(), "not_applicable": reason })),
            },
        )
        .await?;
        w.commit().await?;
        self.dossier_parts(actor, id).await
    }

    /// The opinions written on a dossier, oldest first.
    pub async fn dossier_opinions(&self, actor: &Actor, id: i64) -> Result<Vec<DossierOpinion>> {
        self.get_dossier(actor, id).await?;
        let rows = self
            .read_all(&Sql::new("SELECT * FROM dossier_opinions WHERE dossier_id = $1 ORDER BY id").arg(id))
            .await?;
        rows.iter().map(crate::db::from_row).collect()
    }

    /// One opinion with its dossier, system and parts: what its document shows.
    pub async fn dossier_opinion(
        &self,
        actor: &Actor,
        opinion_id: i64,
    ) -> Result<(DossierOpinion, Dossier, System, Vec<PartStatus>)> {
        let r = self
            .read_optional(&Sql::new("SELECT * FROM dossier_opinions WHERE id = $1").arg(opinion_id))
            .await?
            .ok_or_else(|| Error::not_found("ý kiến", "Opinion"))?;
        let opinion: DossierOpinion = crate::db::from_row(&r)?;
        let (d, s) = self.get_dossier(actor, opinion.dossier_id).await?;
        let parts = self.dossier_parts(actor, d.id).await?;
        Ok((opinion, d, s, parts))
    }
}

/// Rewrites `dossiers.parts`: the parts with a file or a declaration.
pub(crate) async fn refresh_parts(w: &mut WriteTx<'_>, dossier_id: i64) -> Result<()> {
    let rows = sqlx::query(
        "SELECT part FROM dossier_attachments WHERE dossier_id = $1 UNION SELECT part FROM dossier_part_exemptions WHERE dossier_id = $1",
    )
    .bind(dossier_id)
    .fetch_all(&mut *w.tx)
    .await
    .map_err(db_err)?;
    let mut parts: Vec<String> = rows.iter().map(|r| get(r, "part")).collect::<Result<_>>()?;
    parts.sort_by_key(|p| Part::ALL.iter().position(|x| x.code() == p));
    sqlx::query("UPDATE dossiers SET parts = $1 WHERE id = $2")
        .bind(parts.join(","))
        .bind(dossier_id)
        .execute(&mut *w.tx)
        .await
        .map_err(db_err)?;
    Ok(())
}

/// Writes the opinion of a return, appraisal or approval inside the step's transaction.
pub(crate) async fn record_opinion(
    w: &mut WriteTx<'_>,
    actor: &Actor,
    dossier_id: i64,
    step: DossierAction,
    opinion: &str,
    author_unit_id: i64,
) -> Result<()> {
    let name = w.actor_name(actor).await?;
    sqlx::query("INSERT INTO dossier_opinions (dossier_id, step, opinion, author_user_id, author_name, author_unit_id, at) VALUES ($1,$2,$3,$4,$5,$6,$7)")
        .bind(dossier_id)
        .bind(step.code())
        .bind(opinion)
        .bind(actor.user_id)
        .bind(name)
        .bind(author_unit_id)
        .bind(w.clock.now_ms())
        .execute(&mut *w.tx)
        .await
        .map_err(db_err)?;
    Ok(())
}
