//! Recording an assessment: the outcomes and notes of its requirements (in batches, one
//! transaction), its moves through the states, and the evidence files of each result.

use super::assessments::{evidence_row, not_found, EV_COLS, RESULT_BATCH};
use crate::audit::{json, Change};
use crate::compliance::assessment_model::*;
use crate::db::{db_err, get, sha256_bytes, Store};
use crate::sql::Sql;
use crate::systems::writes::opt_date;
use khien_domain::attachment::check_attachment;
use khien_domain::compliance::assessment::{AssessmentKind, AssessmentState, Outcome, Score};
use khien_domain::scope::Actor;
use khien_domain::system::dossier::ATTACHMENTS;
use khien_domain::unit::validate_name;
use khien_domain::{Error, Lang, Result};
use std::collections::HashMap;

impl Store {
    /// Records outcomes and notes of several requirements in one transaction. Only while the
    /// assessment is planned or in progress; a planned one starts with its first result.
    pub async fn record_results(&self, actor: &Actor, id: i64, input: &[ResultInput]) -> Result<Assessment> {
        if input.is_empty() {
            return Err(Error::invalid("results", "Không có kết quả nào để lưu.", "No results to save."));
        }
        // Checked before the transaction: bad input never opens a write.
        let mut parsed: Vec<(String, Option<Outcome>, Option<String>)> = Vec::with_capacity(input.len());
        for (i, r) in input.iter().enumerate() {
            let outcome = match r.result.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                None => None,
                Some(v) => Some(Outcome::parse(&format!("results[{i}].result"), v)?),
            };
            let notes = match &r.notes {
                None => None,
                Some(n) if n.trim().is_empty() => Some(String::new()),
                Some(n) => Some(validate_name(&format!("results[{i}].notes"), n, 4000)?),
            };
            if parsed.iter().any(|(id, _, _)| id.eq_ignore_ascii_case(r.node_id.trim())) {
                return Err(Error::invalid(
                    &format!("results[{i}].node_id"),
                    format!("Yêu cầu «{}» được gửi hai lần.", r.node_id),
                    format!("The requirement «{}» was sent twice.", r.node_id),
                ));
            }
            parsed.push((r.node_id.trim().to_string(), outcome, notes));
        }
        let mut w = self.begin_write().await?;
        let a = self.scoped_assessment(&mut *w.tx, actor, id, true).await?;
        let state = a.state;
        if !state.accepts_results() {
            return Err(Error::conflict(
                format!("Đợt đánh giá đang ở trạng thái «{}», không nhận thêm kết quả.", state.label(Lang::Vi)),
                format!("The assessment is «{}» and takes no more results.", state.label(Lang::En)),
            ));
        }
        let existing: HashMap<String, (i64, Option<String>, String)> =
            sqlx::query("SELECT id, node_id, result, notes FROM assessment_results WHERE assessment_id = $1")
                .bind(id)
                .fetch_all(&mut *w.tx)
                .await
                .map_err(db_err)?
                .iter()
                .map(|r| Ok((get::<String>(r, "node_id")?, (get(r, "id")?, get(r, "result")?, get(r, "notes")?))))
                .collect::<Result<_>>()?;
        let mut changed: Vec<(i64, Option<String>, String)> = Vec::new();
        for (i, (node_id, outcome, notes)) in parsed.iter().enumerate() {
            let Some((rid, old_result, old_notes)) = existing.get(node_id) else {
                return Err(Error::invalid(
                    &format!("results[{i}].node_id"),
                    format!("«{node_id}» không phải yêu cầu của đợt đánh giá này."),
                    format!("«{node_id}» is not a requirement of this assessment."),
                ));
            };
            let new_result = outcome.map(|o| o.code().to_string());
            let new_notes = notes.clone().unwrap_or_else(|| old_notes.clone());
            if &new_result != old_result || &new_notes != old_notes {
                changed.push((*rid, new_result, new_notes));
            }
        }
        let now = self.clock.now_ms();
        for chunk in changed.chunks(RESULT_BATCH) {
            let mut q = Sql::new("UPDATE assessment_results SET result = CASE id");
            for (rid, result, _) in chunk {
                q.push(" WHEN ").bind(*rid).push(" THEN ").bind(result.clone());
            }
            q.push(" END, notes = CASE id");
            for (rid, _, notes) in chunk {
                q.push(" WHEN ").bind(*rid).push(" THEN ").bind(notes.as_str());
            }
            q.push(" END, updated_at = ").bind(now).push(", updated_by = ").bind(actor.label()).push(" WHERE id IN (");
            for (i, (rid, _, _)) in chunk.iter().enumerate() {
                if i > 0 {
                    q.push(",");
                }
                q.bind(*rid);
            }
            q.push(")");
            q.query().execute(&mut *w.tx).await.map_err(db_err)?;
        }
        // Counts from the rows themselves, so they cannot drift.
        let mut score = Score::default();
        for r in sqlx::query("SELECT result FROM assessment_results WHERE assessment_id = $1")
            .bind(id)
            .fetch_all(&mut *w.tx)
            .await
            .map_err(db_err)?
        {
            let v: Option<String> = get(&r, "result")?;
            score.add(v.as_deref().and_then(|v| Outcome::parse("result", v).ok()));
        }
        let mut q = Sql::new("UPDATE assessments SET compliant = ");
        q.bind(score.compliant)
            .push(", partly = ")
            .bind(score.partly)
            .push(", non_compliant = ")
            .bind(score.non_compliant);
        q.push(", not_applicable = ").bind(score.not_applicable).push(", updated_at = ").bind(now);
        if state == AssessmentState::Planned && score.assessed() > 0 {
            q.push(", state = ").bind(AssessmentState::InProgress.code()).push(", started_at = ").bind(now);
        }
        q.push(" WHERE id = ").bind(id);
        q.query().execute(&mut *w.tx).await.map_err(db_err)?;
        let after = self.load_assessment(&mut *w.tx, id).await?.ok_or_else(not_found)?;
        let summary = serde_json::json!({"changed": changed.len(), "state": after.state, "compliant": after.compliant, "partly": after.partly, "non_compliant": after.non_compliant, "not_applicable": after.not_applicable});
        w.audit(
            Some(actor),
            Change {
                action: "assessment.results",
                entity_type: "assessment",
                entity_id: Some(id),
                unit_id: Some(a.unit_id),
                before: None,
                after: Some(summary),
            },
        )
        .await?;
        w.commit().await?;
        Ok(after)
    }

    /// Moves an assessment: planned → in progress → in review → done, review back to work.
    /// Review needs every requirement assessed.
    pub async fn move_assessment(&self, actor: &Actor, id: i64, to: AssessmentState) -> Result<Assessment> {
        let mut w = self.begin_write().await?;
        let a = self.scoped_assessment(&mut *w.tx, actor, id, true).await?;
        let from = a.state;
        from.check_move(to)?;
        if to == AssessmentState::InReview && a.assessed() < a.applicable {
            let left = a.applicable - a.assessed();
            return Err(Error::conflict(
                format!("Còn {left} yêu cầu chưa có kết quả; hãy đánh giá hết trước khi chuyển rà soát."),
                format!("{left} requirements have no outcome yet; assess them all before review."),
            ));
        }
        let now = self.clock.now_ms();
        let mut q = Sql::new("UPDATE assessments SET state = ");
        q.bind(to.code()).push(", updated_at = ").bind(now);
        if to == AssessmentState::InProgress && a.started_at.is_none() {
            q.push(", started_at = ").bind(now);
        }
        if to == AssessmentState::Done {
            q.push(", finished_at = ").bind(now);
        }
        q.push(" WHERE id = ").bind(id).push(" AND state = ").bind(from.code());
        let done = q.query().execute(&mut *w.tx).await.map_err(db_err)?.rows_affected();
        if done != 1 {
            return Err(Error::conflict(
                "Đợt đánh giá vừa được người khác thay đổi; hãy tải lại.",
                "Someone else just changed the assessment; reload it.",
            ));
        }
        let after = self.load_assessment(&mut *w.tx, id).await?.ok_or_else(not_found)?;
        if to == AssessmentState::Done {
            self.findings_from_assessment(&mut w, &after).await?;
            if after.kind == AssessmentKind::Independent {
                // Layer 3 of the 4-layer model: the system's last independent assessment.
                let day = khien_domain::calendar::date_vn(now).format("%Y-%m-%d").to_string();
                sqlx::query("UPDATE systems SET assessed_on = $1, assessor_unit = $2 WHERE id = $3")
                    .bind(day)
                    .bind(after.assessor_unit_name.clone())
                    .bind(after.system_id)
                    .execute(&mut *w.tx)
                    .await
                    .map_err(db_err)?;
                // And the system's periodic-assessment duty done (issue 15.5).
                let assessed = crate::systems::obligations::NewOccurrence {
                    system_id: after.system_id,
                    kind: khien_domain::system::obligation::ObligationKind::Reassessment,
                    done_on: khien_domain::calendar::date_vn(now),
                    source: khien_domain::system::obligation::OccurrenceSource::Assessment,
                    ref_id: Some(id),
                    note: after.title.clone(),
                    recorded_by: Some(actor.user_id),
                    recorded_at: now,
                };
                assessed.insert().query().execute(&mut *w.tx).await.map_err(db_err)?;
            }
        }
        w.audit(
            Some(actor),
            Change {
                action: "assessment.state",
                entity_type: "assessment",
                entity_id: Some(id),
                unit_id: Some(a.unit_id),
                before: Some(serde_json::json!({"state": from.code()})),
                after: Some(serde_json::json!({"state": to.code()})),
            },
        )
        .await?;
        w.commit().await?;
        Ok(after)
    }

    /// Attaches an evidence file to one requirement's result (checked by content, SHA-256
    /// stored), until the assessment is done.
    pub async fn add_evidence(
        &self,
        actor: &Actor,
        id: i64,
        node_id: &str,
        file_name: &str,
        bytes: &[u8],
        valid_until: Option<&str>,
    ) -> Result<Evidence> {
        let file_name = validate_name("file_name", file_name.rsplit(['/', '\\']).next().unwrap_or(file_name), 200)?;
        let content_type = check_attachment(&ATTACHMENTS, &file_name, bytes)?;
        let valid_until = opt_date("valid_until", &valid_until.map(str::to_string))?;
        let mut w = self.begin_write().await?;
        let a = self.scoped_assessment(&mut *w.tx, actor, id, true).await?;
        if a.state == AssessmentState::Done {
            return Err(Error::conflict(
                "Đợt đánh giá đã hoàn thành, không thêm bằng chứng.",
                "The assessment is done; no more evidence can be added.",
            ));
        }
        let r = sqlx::query("SELECT id FROM assessment_results WHERE assessment_id = $1 AND node_id = $2")
            .bind(id)
            .bind(node_id)
            .fetch_optional(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let rid: i64 = match r {
            Some(r) => get(&r, "id")?,
            None => return Err(Error::not_found("yêu cầu trong đợt đánh giá", "Requirement in this assessment")),
        };
        let size = i64::try_from(bytes.len()).map_err(Error::internal)?;
        let mut q = Sql::new("INSERT INTO assessment_evidence (result_id, file_name, content_type, size_bytes, sha256, valid_until, data, uploaded_by, created_at) VALUES (");
        q.bind(rid)
            .push(",")
            .bind(file_name.as_str())
            .push(",")
            .bind(content_type)
            .push(",")
            .bind(size)
            .push(",")
            .bind(sha256_bytes(bytes));
        q.push(",")
            .bind(valid_until)
            .push(",")
            .bind_bytes(bytes.to_vec())
            .push(",")
            .bind(actor.label())
            .push(",")
            .bind(self.clock.now_ms());
        q.push(&format!(") RETURNING {EV_COLS}"));
        let e = evidence_row(&q.query().fetch_one(&mut *w.tx).await.map_err(db_err)?)?;
        w.audit(
            Some(actor),
            Change {
                action: "assessment.evidence",
                entity_type: "assessment",
                entity_id: Some(id),
                unit_id: Some(a.unit_id),
                before: None,
                after: json(&e),
            },
        )
        .await?;
        w.commit().await?;
        Ok(e)
    }

    /// An evidence file for a caller who may see its assessment.
    pub async fn evidence(&self, actor: &Actor, evidence_id: i64) -> Result<(Evidence, Vec<u8>)> {
        let r = self.read_optional(&Sql::new(&format!("SELECT e.{}, e.data, r.assessment_id FROM assessment_evidence e JOIN assessment_results r ON r.id = e.result_id WHERE e.id = $1", EV_COLS.replace(", ", ", e."))).arg(evidence_id)).await?;
        let missing = || Error::not_found("bằng chứng", "Evidence");
        let r = r.ok_or_else(missing)?;
        let assessment_id: i64 = get(&r, "assessment_id")?;
        self.scoped_assessment(&self.pool, actor, assessment_id, false).await.map_err(|_| missing())?;
        Ok((evidence_row(&r)?, get(&r, "data")?))
    }
}
