//! Assessments of a system against a catalogue version at the system's level: one result row per
//! applicable requirement, outcome counts kept on the assessment, evidence files per result.
//!
//! Who: the assessment is seen by the system's owner unit (and above) and by the assessor unit
//! of an independent assessment (ViewCompliance). Results and moves: a self-assessment by the
//! system's unit (AssessSystems there), an independent one only by the assessor unit's people
//! (AssessSystems on the assessor unit; the authority's city-wide grant covers both). Anyone else
//! gets 404.

use crate::audit::{json, Change};
pub use crate::compliance::assessment_model::*;
use crate::db::{db_err, get, sha256_bytes, Store};
use crate::records::Page;
use crate::sql::{tag_cursor, untag_cursor, Sql};
use crate::systems::writes::opt_date;
use khien_domain::attachment::check_attachment;
use khien_domain::compliance::assessment::{AssessmentKind, AssessmentState, Outcome, Score};
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::system::dossier::ATTACHMENTS;
use khien_domain::time::now_ms;
use khien_domain::unit::validate_name;
use khien_domain::{Error, Lang, Result};
use sqlx::any::AnyRow;
use std::collections::HashMap;

const A_COLS: &str = "a.*, s.code AS system_code, s.name AS system_name, s.owner_unit_id AS owner_id, u.name AS unit_name, u.path AS unit_path, \
    au.name AS assessor_unit_name, au.path AS assessor_path, c.code AS catalogue_code, c.version AS catalogue_version, c.title_vi AS catalogue_title_vi, c.title_en AS catalogue_title_en";
const A_FROM: &str = "assessments a JOIN systems s ON s.id = a.system_id JOIN units u ON u.id = s.owner_unit_id LEFT JOIN units au ON au.id = a.assessor_unit_id JOIN catalogues c ON c.id = a.catalogue_id";
const EV_COLS: &str =
    "id, result_id, file_name, content_type, size_bytes, sha256, valid_until, uploaded_by, created_at";
/// Results per multi-row statement.
const RESULT_BATCH: usize = 100;

fn assessment_row(r: &AnyRow) -> Result<Assessment> {
    let mut a = Assessment {
        id: get(r, "id")?,
        system_id: get(r, "system_id")?,
        system_code: get(r, "system_code")?,
        system_name: get(r, "system_name")?,
        unit_id: get(r, "owner_id")?,
        unit_name: get(r, "unit_name")?,
        catalogue_id: get(r, "catalogue_id")?,
        catalogue_code: get(r, "catalogue_code")?,
        catalogue_version: get(r, "catalogue_version")?,
        catalogue_title_vi: get(r, "catalogue_title_vi")?,
        catalogue_title_en: get(r, "catalogue_title_en")?,
        level: get(r, "level")?,
        kind: get(r, "kind")?,
        assessor_unit_id: get(r, "assessor_unit_id")?,
        assessor_unit_name: get(r, "assessor_unit_name")?,
        state: get(r, "state")?,
        title: get(r, "title")?,
        planned_for: get(r, "planned_for")?,
        started_at: get(r, "started_at")?,
        finished_at: get(r, "finished_at")?,
        applicable: get(r, "applicable")?,
        compliant: get(r, "compliant")?,
        partly: get(r, "partly")?,
        non_compliant: get(r, "non_compliant")?,
        not_applicable: get(r, "not_applicable")?,
        percent: None,
        created_at: get(r, "created_at")?,
        created_by: get(r, "created_by")?,
        updated_at: get(r, "updated_at")?,
        unit_path: get(r, "unit_path")?,
        assessor_path: get(r, "assessor_path")?,
    };
    a.percent = a.score().percent();
    Ok(a)
}

fn evidence_row(r: &AnyRow) -> Result<Evidence> {
    Ok(Evidence {
        id: get(r, "id")?,
        result_id: get(r, "result_id")?,
        file_name: get(r, "file_name")?,
        content_type: get(r, "content_type")?,
        size_bytes: get(r, "size_bytes")?,
        sha256: get(r, "sha256")?,
        valid_until: get(r, "valid_until")?,
        uploaded_by: get(r, "uploaded_by")?,
        created_at: get(r, "created_at")?,
    })
}

fn not_found() -> Error {
    Error::not_found("đợt đánh giá", "Assessment")
}

fn state_of(a: &Assessment) -> Result<AssessmentState> {
    AssessmentState::parse("state", &a.state)
}

/// The top-level ancestor of each node (itself for a top-level node).
fn top_groups(nodes: &[crate::compliance::catalogues::CatalogueNodeRow]) -> HashMap<String, String> {
    let mut top: HashMap<String, String> = HashMap::new();
    for n in nodes {
        let t = match &n.parent_id {
            Some(p) => top.get(p).cloned().unwrap_or_else(|| p.clone()),
            None => n.node_id.clone(),
        };
        top.insert(n.node_id.clone(), t);
    }
    top
}

impl Store {
    async fn load_assessment(
        &self,
        exec: impl sqlx::Executor<'_, Database = sqlx::Any>,
        id: i64,
    ) -> Result<Option<Assessment>> {
        let r = sqlx::query(&format!("SELECT {A_COLS} FROM {A_FROM} WHERE a.id = $1"))
            .bind(id)
            .fetch_optional(exec)
            .await
            .map_err(db_err)?;
        r.as_ref().map(assessment_row).transpose()
    }

    /// An assessment the caller may see (404 otherwise); with `record`, one the caller may also
    /// work on (403 when they only see it).
    async fn scoped_assessment(
        &self,
        exec: impl sqlx::Executor<'_, Database = sqlx::Any>,
        actor: &Actor,
        id: i64,
        record: bool,
    ) -> Result<Assessment> {
        let a = self.load_assessment(exec, id).await?.ok_or_else(not_found)?;
        if !a.may_view(actor) {
            return Err(not_found());
        }
        if record && !a.may_record(actor) {
            return Err(Error::forbidden());
        }
        Ok(a)
    }

    /// Plans an assessment of a system against a catalogue version, at the system's approved
    /// level (or the level proposed in its newest dossier), with one empty result per
    /// applicable requirement.
    pub async fn create_assessment(&self, actor: &Actor, input: &AssessmentInput) -> Result<Assessment> {
        let kind = AssessmentKind::parse("kind", &input.kind)?;
        let title = validate_name("title", &input.title, 300)?;
        let planned_for = opt_date("planned_for", &input.planned_for)?;
        let mut w = self.begin_write().await?;
        let system = self.scoped_system(&mut *w.tx, actor, input.system_id, Action::AssessSystems).await?;
        let level = match system.approved_level {
            Some(l) => l,
            None => {
                let r =
                    sqlx::query("SELECT proposed_level FROM dossiers WHERE system_id = $1 ORDER BY id DESC LIMIT 1")
                        .bind(system.id)
                        .fetch_optional(&mut *w.tx)
                        .await
                        .map_err(db_err)?;
                match r {
                    Some(r) => get::<i64>(&r, "proposed_level")?,
                    None => {
                        return Err(Error::invalid(
                            "system_id",
                            "Hệ thống chưa có cấp độ được phê duyệt hay đề xuất; hãy lập hồ sơ đề xuất cấp độ trước khi đánh giá.",
                            "The system has no approved or proposed level; prepare a level dossier before assessing it.",
                        ))
                    }
                }
            }
        };
        let level_u8 = u8::try_from(level).ok().filter(|l| (1..=5).contains(l)).ok_or_else(|| {
            Error::invalid(
                "system_id",
                format!("Cấp độ {level} của hệ thống không nằm trong 1–5."),
                format!("The system's level {level} is not within 1–5."),
            )
        })?;
        let assessor = match (kind, input.assessor_unit_id) {
            (AssessmentKind::SelfAssessment, Some(_)) => {
                return Err(Error::invalid(
                    "assessor_unit_id",
                    "Tự đánh giá không có đơn vị đánh giá độc lập.",
                    "A self-assessment has no independent assessor unit.",
                ))
            }
            (AssessmentKind::SelfAssessment, None) => None,
            (AssessmentKind::Independent, None) => {
                return Err(Error::invalid(
                    "assessor_unit_id",
                    "Đánh giá độc lập cần đơn vị đánh giá.",
                    "An independent assessment needs an assessor unit.",
                ))
            }
            (AssessmentKind::Independent, Some(id)) => {
                let r = sqlx::query("SELECT id FROM units WHERE id = $1 AND unit_type = 'assessor' AND active = 1")
                    .bind(id)
                    .fetch_optional(&mut *w.tx)
                    .await
                    .map_err(db_err)?;
                if r.is_none() {
                    return Err(Error::invalid(
                        "assessor_unit_id",
                        "Đơn vị này không phải đơn vị đánh giá độc lập đang hoạt động.",
                        "This unit is not an active independent assessor.",
                    ));
                }
                Some(id)
            }
        };
        let catalogue = self
            .catalogue_info(&mut *w.tx, input.catalogue_id)
            .await
            .map_err(|_| Error::invalid("catalogue_id", "Không có danh mục yêu cầu này.", "No such catalogue."))?;
        let nodes = self.catalogue_nodes(&mut *w.tx, catalogue.id).await?;
        let applicable: Vec<&crate::compliance::catalogues::CatalogueNodeRow> =
            nodes.iter().filter(|n| n.is_requirement() && n.applies_to(level_u8)).collect();
        if applicable.is_empty() {
            return Err(Error::invalid(
                "catalogue_id",
                format!("Danh mục không có yêu cầu nào cho cấp độ {level}."),
                format!("The catalogue has no requirement for level {level}."),
            ));
        }
        let now = now_ms();
        let mut q = Sql::new("INSERT INTO assessments (system_id, unit_id, catalogue_id, level, kind, assessor_unit_id, state, title, planned_for, applicable, created_at, created_by, updated_at) VALUES (");
        q.bind(system.id)
            .push(",")
            .bind(system.owner_unit_id)
            .push(",")
            .bind(catalogue.id)
            .push(",")
            .bind(level)
            .push(",")
            .bind(kind.code())
            .push(",")
            .bind(assessor);
        q.push(",")
            .bind(AssessmentState::Planned.code())
            .push(",")
            .bind(title.as_str())
            .push(",")
            .bind(planned_for)
            .push(",")
            .bind(applicable.len() as i64);
        q.push(",").bind(now).push(",").bind(actor.label()).push(",").bind(now).push(") RETURNING id");
        let id: i64 = get(&q.query().fetch_one(&mut *w.tx).await.map_err(db_err)?, "id")?;
        for (chunk_no, chunk) in applicable.chunks(RESULT_BATCH * 3).enumerate() {
            let mut q = Sql::new("INSERT INTO assessment_results (assessment_id, node_id, position) VALUES ");
            for (i, n) in chunk.iter().enumerate() {
                q.push(if i == 0 { "(" } else { ",(" });
                q.bind(id)
                    .push(",")
                    .bind(n.node_id.as_str())
                    .push(",")
                    .bind((chunk_no * RESULT_BATCH * 3 + i) as i64)
                    .push(")");
            }
            q.query().execute(&mut *w.tx).await.map_err(db_err)?;
        }
        let a = self.load_assessment(&mut *w.tx, id).await?.ok_or_else(|| Error::internal("assessment vanished"))?;
        w.audit(
            Some(actor),
            Change {
                action: "assessment.create",
                entity_type: "assessment",
                entity_id: Some(id),
                unit_id: Some(a.unit_id),
                before: None,
                after: json(&a),
            },
        )
        .await?;
        w.commit().await?;
        Ok(a)
    }

    /// Assessments of the systems of the caller's units, and those assigned to the caller's
    /// assessor unit; newest first.
    pub async fn list_assessments(&self, actor: &Actor, f: &AssessmentFilter) -> Result<Page<Assessment>> {
        let reach = actor.reach(Action::ViewCompliance);
        if reach.is_empty() {
            return Ok(Page { items: Vec::new(), next_cursor: None });
        }
        let mut q = Sql::new(&format!("SELECT {A_COLS} FROM {A_FROM} WHERE ("));
        q.reach("u.path", "u.id", &reach).push(" OR (a.assessor_unit_id IS NOT NULL AND ");
        q.reach("au.path", "au.id", &reach).push("))");
        if let Some(sys) = f.system_id {
            q.push(" AND a.system_id = ").bind(sys);
        }
        if let Some(st) = f.state.as_deref().filter(|s| !s.is_empty()) {
            let st = AssessmentState::parse("state", st)?;
            q.push(" AND a.state = ").bind(st.code());
        }
        if let Some(c) = untag_cursor("assessments.id", f.cursor.as_ref())? {
            q.push(" AND a.id < ").bind(c.id);
        }
        q.push(" ORDER BY a.id DESC LIMIT ").bind(f.limit + 1);
        let rows = q.query().fetch_all(&self.pool).await.map_err(db_err)?;
        let items = rows.iter().map(assessment_row).collect::<Result<Vec<_>>>()?;
        Ok(Page::from_rows(items, f.limit, |a| tag_cursor("assessments.id", String::new(), a.id)))
    }

    /// The workspace of one assessment.
    pub async fn assessment(&self, actor: &Actor, id: i64) -> Result<AssessmentDetail> {
        let a = self.scoped_assessment(&self.pool, actor, id, false).await?;
        let nodes = self.catalogue_nodes(&self.pool, a.catalogue_id).await?;
        let by_id: HashMap<&str, &crate::compliance::catalogues::CatalogueNodeRow> =
            nodes.iter().map(|n| (n.node_id.as_str(), n)).collect();
        let top = top_groups(&nodes);
        let rows = sqlx::query("SELECT id, node_id, position, result, notes, updated_at, updated_by FROM assessment_results WHERE assessment_id = $1 ORDER BY position")
            .bind(id)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        let ev_rows = sqlx::query(&format!("SELECT {EV_COLS} FROM assessment_evidence WHERE result_id IN (SELECT id FROM assessment_results WHERE assessment_id = $1) ORDER BY id"))
            .bind(id)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        let mut evidence: HashMap<i64, Vec<Evidence>> = HashMap::new();
        for r in &ev_rows {
            let e = evidence_row(r)?;
            evidence.entry(e.result_id).or_default().push(e);
        }
        let mut results = Vec::with_capacity(rows.len());
        let mut groups: Vec<(String, Score)> = Vec::new();
        for r in &rows {
            let node_id: String = get(r, "node_id")?;
            let node = by_id.get(node_id.as_str());
            let group_id = top.get(&node_id).cloned();
            let result: Option<String> = get(r, "result")?;
            let outcome = result.as_deref().and_then(|v| Outcome::parse("result", v).ok());
            if let Some(g) = &group_id {
                match groups.iter_mut().find(|(id, _)| id == g) {
                    Some((_, s)) => s.add(outcome),
                    None => {
                        let mut s = Score::default();
                        s.add(outcome);
                        groups.push((g.clone(), s));
                    }
                }
            }
            let rid: i64 = get(r, "id")?;
            results.push(AssessmentResult {
                id: rid,
                group_id,
                title_vi: node.map(|n| n.title_vi.clone()).unwrap_or_default(),
                title_en: node.map(|n| n.title_en.clone()).unwrap_or_default(),
                description: node.map(|n| n.description.clone()).unwrap_or_default(),
                node_id,
                position: get(r, "position")?,
                result,
                notes: get(r, "notes")?,
                updated_at: get(r, "updated_at")?,
                updated_by: get(r, "updated_by")?,
                evidence: evidence.remove(&rid).unwrap_or_default(),
            });
        }
        let groups = groups
            .into_iter()
            .map(|(g, s)| {
                let n = by_id.get(g.as_str());
                GroupScore {
                    title_vi: n.map(|n| n.title_vi.clone()).unwrap_or_default(),
                    title_en: n.map(|n| n.title_en.clone()).unwrap_or_default(),
                    group_id: g,
                    applicable: s.applicable,
                    compliant: s.compliant,
                    partly: s.partly,
                    non_compliant: s.non_compliant,
                    not_applicable: s.not_applicable,
                    percent: s.percent(),
                }
            })
            .collect();
        // The previous done assessment of the same system against the same catalogue code.
        let prev = sqlx::query("SELECT a.id FROM assessments a JOIN catalogues c ON c.id = a.catalogue_id WHERE a.system_id = $1 AND c.code = $2 AND a.state = 'done' AND a.id <> $3 AND a.created_at <= $4 ORDER BY a.finished_at DESC, a.id DESC LIMIT 1")
            .bind(a.system_id)
            .bind(a.catalogue_code.as_str())
            .bind(a.id)
            .bind(a.created_at)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        let (mut previous_id, mut previous_percent, mut changes) = (None, None, Vec::new());
        if let Some(p) = prev {
            let pid: i64 = get(&p, "id")?;
            previous_id = Some(pid);
            previous_percent = self.load_assessment(&self.pool, pid).await?.and_then(|p| p.percent);
            let old: HashMap<String, Option<String>> =
                sqlx::query("SELECT node_id, result FROM assessment_results WHERE assessment_id = $1")
                    .bind(pid)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db_err)?
                    .iter()
                    .map(|r| Ok((get(r, "node_id")?, get(r, "result")?)))
                    .collect::<Result<_>>()?;
            for r in &results {
                let before = old.get(&r.node_id).cloned().flatten();
                if r.result.is_some() && before != r.result {
                    changes.push(ResultChange {
                        node_id: r.node_id.clone(),
                        title_vi: r.title_vi.clone(),
                        before,
                        after: r.result.clone(),
                    });
                }
            }
        }
        let state = state_of(&a)?;
        let can_record = a.may_record(actor);
        let next_states =
            if can_record { state.next().into_iter().map(|s| s.code().to_string()).collect() } else { Vec::new() };
        Ok(AssessmentDetail {
            assessment: a,
            results,
            groups,
            previous_id,
            previous_percent,
            changes,
            next_states,
            can_record,
        })
    }

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
        let state = state_of(&a)?;
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
        let now = now_ms();
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
    pub async fn move_assessment(&self, actor: &Actor, id: i64, to: &str) -> Result<Assessment> {
        let to = AssessmentState::parse("state", to)?;
        let mut w = self.begin_write().await?;
        let a = self.scoped_assessment(&mut *w.tx, actor, id, true).await?;
        let from = state_of(&a)?;
        from.check_move(to)?;
        if to == AssessmentState::InReview && a.assessed() < a.applicable {
            let left = a.applicable - a.assessed();
            return Err(Error::conflict(
                format!("Còn {left} yêu cầu chưa có kết quả; hãy đánh giá hết trước khi chuyển rà soát."),
                format!("{left} requirements have no outcome yet; assess them all before review."),
            ));
        }
        let now = now_ms();
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
            if after.kind == AssessmentKind::Independent.code() {
                // Layer 3 of the 4-layer model: the system's last independent assessment.
                let day = khien_domain::calendar::date_vn(now).format("%Y-%m-%d").to_string();
                sqlx::query("UPDATE systems SET assessed_on = $1, assessor_unit = $2 WHERE id = $3")
                    .bind(day)
                    .bind(after.assessor_unit_name.clone())
                    .bind(after.system_id)
                    .execute(&mut *w.tx)
                    .await
                    .map_err(db_err)?;
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
        if state_of(&a)? == AssessmentState::Done {
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
            .bind(now_ms());
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
        let r = sqlx::query(&format!("SELECT e.{}, e.data, r.assessment_id FROM assessment_evidence e JOIN assessment_results r ON r.id = e.result_id WHERE e.id = $1", EV_COLS.replace(", ", ", e.")))
            .bind(evidence_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        let missing = || Error::not_found("bằng chứng", "Evidence");
        let r = r.ok_or_else(missing)?;
        let assessment_id: i64 = get(&r, "assessment_id")?;
        self.scoped_assessment(&self.pool, actor, assessment_id, false).await.map_err(|_| missing())?;
        Ok((evidence_row(&r)?, get(&r, "data")?))
    }

    /// Active independent assessor units (id, name): the directory an assessment is assigned from.
    pub async fn assessor_units(&self) -> Result<Vec<(i64, String)>> {
        let rows = sqlx::query("SELECT id, name FROM units WHERE unit_type = 'assessor' AND active = 1 ORDER BY name")
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        rows.iter().map(|r| Ok((get(r, "id")?, get(r, "name")?))).collect()
    }

    /// The non-compliant and partly compliant requirements of an assessment, in tree order:
    /// (node id, Vietnamese title, outcome). For turning a done assessment into findings.
    #[allow(dead_code)]
    pub(crate) async fn assessment_gaps(
        &self,
        exec: impl sqlx::Executor<'_, Database = sqlx::Any>,
        assessment_id: i64,
    ) -> Result<Vec<(String, String, Outcome)>> {
        let rows = sqlx::query(
            "SELECT r.node_id, n.title_vi, n.title_en, r.result FROM assessment_results r JOIN assessments a ON a.id = r.assessment_id \
             JOIN catalogue_nodes n ON n.catalogue_id = a.catalogue_id AND n.node_id = r.node_id \
             WHERE r.assessment_id = $1 AND r.result IN ('non_compliant', 'partly') ORDER BY r.position",
        )
        .bind(assessment_id)
        .fetch_all(exec)
        .await
        .map_err(db_err)?;
        rows.iter()
            .map(|r| {
                let vi: String = get(r, "title_vi")?;
                let title = if vi.trim().is_empty() { get(r, "title_en")? } else { vi };
                Ok((get(r, "node_id")?, title, Outcome::parse("result", &get::<String>(r, "result")?)?))
            })
            .collect()
    }
}
