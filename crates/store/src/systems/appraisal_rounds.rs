//! Itemised appraisal (issue 17.4): each submission frozen as a snapshot with its SHA-256 and
//! compared with the one before; the appraiser's comments per part or requirement and the
//! unit's answers; the unit types whose manager checks dossiers before they go.

use crate::audit::{json, Change};
use crate::db::{db_err, get, sha256_bytes, Store, WriteTx};
use crate::sql::Sql;
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::system::appraisal::{
    check_open_for_answers, check_open_for_comments, differences, Difference, Snapshot, SnapshotPart,
};
use khien_domain::system::dossier::{may_act, may_edit, DossierAction, Part, UnitAt};
use khien_domain::unit::{optional_text, UnitType};
use khien_domain::{Error, Lang, Result};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One submission as the appraiser received it, with what changed since the one before.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Submission {
    /// 1 for the first submission, then one more at each resubmission.
    pub seq: i64,
    /// SHA-256 of the frozen snapshot.
    pub sha256: String,
    pub submitted_by_name: String,
    pub submitted_at: i64,
    pub proposed_level: i64,
    /// Against the previous submission; empty for the first.
    pub changes: Vec<Difference>,
}

/// An appraiser's comment on a part or a requirement, and the unit's answer.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct DossierComment {
    pub id: i64,
    pub dossier_id: i64,
    /// The submission commented on.
    pub submission_seq: i64,
    /// The part commented on; none for the dossier as a whole.
    #[sqlx(try_from = "Option<String>")]
    #[schema(value_type = Option<Part>)]
    pub part: OptionalPart,
    /// The requirement commented on, as the appraiser names it (e.g. "TCVN 14423 5.2.3").
    pub requirement: Option<String>,
    pub body: String,
    pub author_name: String,
    pub created_at: i64,
    pub answer: Option<String>,
    pub answered_by_name: Option<String>,
    pub answered_at: Option<i64>,
}

/// A comment's part, read from its optional code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct OptionalPart(pub Option<Part>);

impl TryFrom<Option<String>> for OptionalPart {
    type Error = khien_domain::UnknownCode;
    fn try_from(code: Option<String>) -> std::result::Result<OptionalPart, Self::Error> {
        code.map(Part::try_from).transpose().map(OptionalPart)
    }
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DossierCommentInput {
    /// A part's code; left out for the dossier as a whole.
    #[schema(value_type = Option<Part>)]
    pub part: Option<String>,
    pub requirement: Option<String>,
    pub body: String,
}

const COMMENT: &str = "id, dossier_id, submission_seq, part, requirement, body, author_name, created_at, answer, answered_by_name, answered_at";

/// Freezes what is being submitted, inside the submission's transaction.
pub(crate) async fn freeze_submission(w: &mut WriteTx<'_>, actor: &Actor, dossier_id: i64) -> Result<()> {
    let d = sqlx::query("SELECT proposed_level, level_reason FROM dossiers WHERE id = $1")
        .bind(dossier_id)
        .fetch_one(&mut *w.tx)
        .await
        .map_err(db_err)?;
    let files =
        sqlx::query("SELECT part, file_name, sha256 FROM dossier_attachments WHERE dossier_id = $1 ORDER BY id")
            .bind(dossier_id)
            .fetch_all(&mut *w.tx)
            .await
            .map_err(db_err)?;
    let exempt = sqlx::query("SELECT part, reason FROM dossier_part_exemptions WHERE dossier_id = $1")
        .bind(dossier_id)
        .fetch_all(&mut *w.tx)
        .await
        .map_err(db_err)?;
    let mut parts = Vec::new();
    for part in Part::ALL {
        let mut p = SnapshotPart { part: *part, files: Vec::new(), not_applicable: None };
        for r in &files {
            if get::<String>(r, "part")? == part.code() {
                p.files.push((get(r, "file_name")?, get(r, "sha256")?));
            }
        }
        for r in &exempt {
            if get::<String>(r, "part")? == part.code() {
                p.not_applicable = Some(get(r, "reason")?);
            }
        }
        if !p.files.is_empty() || p.not_applicable.is_some() {
            parts.push(p);
        }
    }
    let snapshot =
        Snapshot { proposed_level: get(&d, "proposed_level")?, level_reason: get(&d, "level_reason")?, parts };
    let text = serde_json::to_string(&snapshot).map_err(Error::internal)?;
    let seq = sqlx::query(
        "SELECT CAST(COALESCE(MAX(seq), 0) + 1 AS BIGINT) AS n FROM dossier_submissions WHERE dossier_id = $1",
    )
    .bind(dossier_id)
    .fetch_one(&mut *w.tx)
    .await
    .map_err(db_err)?;
    let seq: i64 = get(&seq, "n")?;
    let name = w.actor_name(actor).await?;
    sqlx::query("INSERT INTO dossier_submissions (dossier_id, seq, snapshot, sha256, submitted_by_name, submitted_at) VALUES ($1,$2,$3,$4,$5,$6)")
        .bind(dossier_id)
        .bind(seq)
        .bind(text.as_str())
        .bind(sha256_bytes(text.as_bytes()))
        .bind(name)
        .bind(w.clock.now_ms())
        .execute(&mut *w.tx)
        .await
        .map_err(db_err)?;
    Ok(())
}

impl Store {
    /// Comments not yet answered: a dossier is not resubmitted over them.
    pub(crate) async fn unanswered_comments(&self, dossier_id: i64) -> Result<i64> {
        let r = self.read_one(&Sql::new("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM dossier_comments WHERE dossier_id = $1 AND answer IS NULL",).arg(dossier_id)).await?;
        get(&r, "n")
    }

    /// Whether the unit's manager checks dossiers of units of this type before they go.
    pub async fn manager_checks(&self, unit_id: i64) -> Result<bool> {
        let r = self.read_optional(&Sql::new("SELECT 1 AS yes FROM dossier_manager_check c JOIN units u ON u.unit_type = c.unit_type WHERE u.id = $1",).arg(unit_id)).await?;
        Ok(r.is_some())
    }

    /// The unit types whose dossiers their manager checks before submission.
    pub async fn manager_check_types(&self) -> Result<Vec<UnitType>> {
        let rows = self.read_all(&Sql::new("SELECT unit_type FROM dossier_manager_check ORDER BY unit_type")).await?;
        rows.iter().map(|r| UnitType::parse(&get::<String>(r, "unit_type")?)).collect()
    }

    /// Sets the unit types whose manager checks dossiers (the standing body's leadership).
    pub async fn set_manager_check_types(&self, actor: &Actor, types: &[UnitType]) -> Result<Vec<UnitType>> {
        let before = self.manager_check_types().await?;
        let mut w = self.begin_write().await?;
        w.require_at_root(actor, Action::Govern).await?;
        sqlx::query("DELETE FROM dossier_manager_check").execute(&mut *w.tx).await.map_err(db_err)?;
        let mut types = types.to_vec();
        types.sort_by_key(|t| t.code());
        types.dedup();
        for t in &types {
            sqlx::query("INSERT INTO dossier_manager_check (unit_type) VALUES ($1)")
                .bind(t.code())
                .execute(&mut *w.tx)
                .await
                .map_err(db_err)?;
        }
        let change = Change {
            action: "ruleset.manager_check",
            entity_type: "ruleset",
            entity_id: None,
            unit_id: None,
            before: json(&before),
            after: json(&types),
        };
        w.audit(Some(actor), change).await?;
        w.commit().await?;
        Ok(types)
    }

    /// A dossier's submissions, oldest first, each with what changed since the one before.
    pub async fn dossier_submissions(&self, actor: &Actor, id: i64, lang: Lang) -> Result<Vec<Submission>> {
        self.get_dossier(actor, id).await?;
        let rows = self.read_all(&Sql::new("SELECT seq, snapshot, sha256, submitted_by_name, submitted_at FROM dossier_submissions WHERE dossier_id = $1 ORDER BY seq").arg(id)).await?;
        let mut out = Vec::with_capacity(rows.len());
        let mut previous: Option<Snapshot> = None;
        for r in &rows {
            let snapshot: Snapshot = serde_json::from_str(&get::<String>(r, "snapshot")?).map_err(Error::internal)?;
            out.push(Submission {
                seq: get(r, "seq")?,
                sha256: get(r, "sha256")?,
                submitted_by_name: get(r, "submitted_by_name")?,
                submitted_at: get(r, "submitted_at")?,
                proposed_level: snapshot.proposed_level,
                changes: previous.as_ref().map(|p| differences(p, &snapshot, lang)).unwrap_or_default(),
            });
            previous = Some(snapshot);
        }
        Ok(out)
    }

    /// The appraiser's comments on a dossier with the unit's answers, oldest first.
    pub async fn dossier_comments(&self, actor: &Actor, id: i64) -> Result<Vec<DossierComment>> {
        self.get_dossier(actor, id).await?;
        let rows = self
            .read_all(
                &Sql::new(&format!("SELECT {COMMENT} FROM dossier_comments WHERE dossier_id = $1 ORDER BY id")).arg(id),
            )
            .await?;
        rows.iter().map(crate::db::from_row).collect()
    }

    /// Whether `actor` appraises this dossier (may return it): who comments.
    async fn appraises(&self, actor: &Actor, d: &crate::Dossier, s: &crate::System) -> Result<bool> {
        let rs = self.ruleset(&d.ruleset).await?;
        let bodies = self.level_bodies().await?;
        let at = UnitAt { id: s.owner_unit_id, path: s.owner_path.clone() };
        let level = u8::try_from(d.proposed_level).unwrap_or(1);
        Ok(may_act(actor, DossierAction::Return, level, &rs, &at, &bodies.bodies))
    }

    /// The appraiser comments on a part, a requirement or the whole dossier while it awaits
    /// appraisal.
    pub async fn add_dossier_comment(
        &self,
        actor: &Actor,
        id: i64,
        input: &DossierCommentInput,
    ) -> Result<DossierComment> {
        let (d, s) = self.get_dossier(actor, id).await?;
        if !self.appraises(actor, &d, &s).await? {
            return Err(Error::forbidden());
        }
        check_open_for_comments(d.state)?;
        let part = input
            .part
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| Part::parse("part", p))
            .transpose()?;
        let requirement = optional_text("requirement", input.requirement.as_deref(), 200)?;
        let body =
            optional_text("body", Some(&input.body), 4000)?.filter(|b| b.chars().count() >= 5).ok_or_else(|| {
                Error::invalid(
                    "body",
                    "Ghi nội dung ý kiến (ít nhất 5 ký tự).",
                    "Write the comment (at least 5 characters).",
                )
            })?;
        let mut w = self.begin_write().await?;
        let seq = sqlx::query(
            "SELECT CAST(COALESCE(MAX(seq), 0) AS BIGINT) AS n FROM dossier_submissions WHERE dossier_id = $1",
        )
        .bind(id)
        .fetch_one(&mut *w.tx)
        .await
        .map_err(db_err)?;
        let seq: i64 = get(&seq, "n")?;
        let name = w.actor_name(actor).await?;
        let r = sqlx::query(&format!(
            "INSERT INTO dossier_comments (dossier_id, submission_seq, part, requirement, body, author_name, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING {COMMENT}"
        ))
        .bind(id)
        .bind(seq)
        .bind(part.map(Part::code))
        .bind(requirement)
        .bind(body)
        .bind(name)
        .bind(self.clock.now_ms())
        .fetch_one(&mut *w.tx)
        .await
        .map_err(db_err)?;
        let comment: DossierComment = crate::db::from_row(&r)?;
        let change = Change {
            action: "dossier.comment",
            entity_type: "dossier",
            entity_id: Some(id),
            unit_id: Some(s.owner_unit_id),
            before: None,
            after: json(&comment),
        };
        w.audit(Some(actor), change).await?;
        w.commit().await?;
        Ok(comment)
    }

    /// The unit answers a comment once the dossier is returned, before resubmitting.
    pub async fn answer_dossier_comment(&self, actor: &Actor, comment_id: i64, answer: &str) -> Result<DossierComment> {
        let r = self
            .read_optional(&Sql::new(&format!("SELECT {COMMENT} FROM dossier_comments WHERE id = $1")).arg(comment_id))
            .await?;
        let hidden = || Error::not_found("ý kiến thẩm định", "Appraisal comment");
        let before: DossierComment = crate::db::from_row(&r.ok_or_else(hidden)?)?;
        let (d, s) = self.get_dossier(actor, before.dossier_id).await.map_err(|_| hidden())?;
        check_open_for_answers(d.state)?;
        may_edit(actor, d.state, &UnitAt { id: s.owner_unit_id, path: s.owner_path.clone() })?;
        let answer = optional_text("answer", Some(answer), 4000)?
            .filter(|a| a.chars().count() >= 2)
            .ok_or_else(|| Error::invalid("answer", "Ghi nội dung trả lời.", "Write the answer."))?;
        let mut w = self.begin_write().await?;
        let name = w.actor_name(actor).await?;
        let r = sqlx::query(&format!(
            "UPDATE dossier_comments SET answer = $1, answered_by_name = $2, answered_at = $3 WHERE id = $4 RETURNING {COMMENT}"
        ))
        .bind(answer)
        .bind(name)
        .bind(self.clock.now_ms())
        .bind(comment_id)
        .fetch_one(&mut *w.tx)
        .await
        .map_err(db_err)?;
        let after: DossierComment = crate::db::from_row(&r)?;
        let change = Change {
            action: "dossier.answer",
            entity_type: "dossier",
            entity_id: Some(before.dossier_id),
            unit_id: Some(s.owner_unit_id),
            before: json(&before),
            after: json(&after),
        };
        w.audit(Some(actor), change).await?;
        w.commit().await?;
        Ok(after)
    }
}
