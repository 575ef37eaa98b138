//! Assessments of a system against a catalogue version at the system's level: one result row per
//! applicable requirement, outcome counts kept on the assessment, evidence files per result.
//!
//! Who: the assessment is seen by the system's owner unit (and above) and by the assessor unit
//! of an independent assessment (ViewCompliance). Results and moves: a self-assessment by the
//! system's unit (AssessSystems there), an independent one only by the assessor unit's people
//! (AssessSystems on the assessor unit; the authority's city-wide grant covers both). Anyone else
//! gets 404. Recording results, moves and evidence: `assessment_recording`.

use crate::audit::{json, Change};
pub use crate::compliance::assessment_model::*;
use crate::db::{db_err, from_row, get, Store};
use crate::listing::Order;
use crate::records::Page;
use crate::sql::Sql;
use crate::systems::writes::opt_date;
use khien_domain::compliance::assessment::{AssessmentKind, AssessmentState, Outcome, Score};
use khien_domain::page::Dir;
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::unit::validate_name;
use khien_domain::{Error, Result};
use sqlx::any::AnyRow;
use std::collections::HashMap;

const A_COLS: &str = "a.*, s.code AS system_code, s.name AS system_name, s.owner_unit_id AS owner_id, u.name AS unit_name, u.path AS unit_path, \
    au.name AS assessor_unit_name, au.path AS assessor_path, c.code AS catalogue_code, c.version AS catalogue_version, c.title_vi AS catalogue_title_vi, c.title_en AS catalogue_title_en";
const A_FROM: &str = "assessments a JOIN systems s ON s.id = a.system_id JOIN units u ON u.id = s.owner_unit_id LEFT JOIN units au ON au.id = a.assessor_unit_id JOIN catalogues c ON c.id = a.catalogue_id";
pub(super) const EV_COLS: &str =
    "id, result_id, file_name, content_type, size_bytes, sha256, valid_until, uploaded_by, created_at";
/// Results per multi-row statement.
pub(super) const RESULT_BATCH: usize = 100;

fn assessment_row(r: &AnyRow) -> Result<Assessment> {
    let mut a: Assessment = from_row(r)?;
    a.percent = a.score().percent();
    Ok(a)
}

pub(super) fn evidence_row(r: &AnyRow) -> Result<Evidence> {
    from_row(r)
}

pub(super) fn not_found() -> Error {
    Error::not_found("đợt đánh giá", "Assessment")
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
    pub(super) async fn load_assessment(
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
    pub(super) async fn scoped_assessment(
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
        let kind = input.kind;
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
        let now = self.clock.now_ms();
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
            return Ok(Page::empty());
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
        let order = Order::number("assessments.id", "a.id", "a.id", Dir::Desc).counted();
        let key_of = |a: &Assessment| (a.id.to_string(), a.id);
        self.page_of(q, &order, (f.cursor.as_ref(), f.limit), assessment_row, key_of).await
    }

    /// The workspace of one assessment.
    pub async fn assessment(&self, actor: &Actor, id: i64) -> Result<AssessmentDetail> {
        let a = self.scoped_assessment(&self.pool, actor, id, false).await?;
        let nodes = self.catalogue_nodes(&self.pool, a.catalogue_id).await?;
        let by_id: HashMap<&str, &crate::compliance::catalogues::CatalogueNodeRow> =
            nodes.iter().map(|n| (n.node_id.as_str(), n)).collect();
        let top = top_groups(&nodes);
        let rows = self.read_all(&Sql::new("SELECT id, node_id, position, result, notes, updated_at, updated_by FROM assessment_results WHERE assessment_id = $1 ORDER BY position").arg(id)).await?;
        let ev_rows = self.read_all(&Sql::new(&format!("SELECT {EV_COLS} FROM assessment_evidence WHERE result_id IN (SELECT id FROM assessment_results WHERE assessment_id = $1) ORDER BY id")).arg(id)).await?;
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
        let prev = self.read_optional(&Sql::new("SELECT a.id FROM assessments a JOIN catalogues c ON c.id = a.catalogue_id WHERE a.system_id = $1 AND c.code = $2 AND a.state = 'done' AND a.id <> $3 AND a.created_at <= $4 ORDER BY a.finished_at DESC, a.id DESC LIMIT 1").arg(a.system_id).arg(a.catalogue_code.as_str()).arg(a.id).arg(a.created_at)).await?;
        let (mut previous_id, mut previous_percent, mut changes) = (None, None, Vec::new());
        if let Some(p) = prev {
            let pid: i64 = get(&p, "id")?;
            previous_id = Some(pid);
            previous_percent = self.load_assessment(&self.pool, pid).await?.and_then(|p| p.percent);
            let old: HashMap<String, Option<String>> = self
                .read_all(&Sql::new("SELECT node_id, result FROM assessment_results WHERE assessment_id = $1").arg(pid))
                .await?
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
        let state = a.state;
        let can_record = a.may_record(actor);
        let next_states = if can_record { state.next().into_iter().collect() } else { Vec::new() };
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

    /// Active independent assessor units (id, name): the directory an assessment is assigned from.
    pub async fn assessor_units(&self) -> Result<Vec<(i64, String)>> {
        let rows = self
            .read_all(&Sql::new("SELECT id, name FROM units WHERE unit_type = 'assessor' AND active = 1 ORDER BY name"))
            .await?;
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
