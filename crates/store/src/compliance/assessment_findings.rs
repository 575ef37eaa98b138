//! When an assessment is done, each non-compliant or partly compliant requirement becomes a
//! finding on the system (non-compliant: high, partly: medium), with a deadline from the
//! remediation policy. The same requirement in a later assessment is the same finding: it is
//! reopened if it had been fixed, and closed as verified when a later assessment finds the
//! requirement met.

use crate::compliance::assessments::Assessment;
use crate::compliance::findings::due_at;
use crate::db::{db_err, get, Store, WriteTx};
use khien_domain::compliance::Outcome;
use khien_domain::finding::{finding_key, Severity};
use khien_domain::fold::fold;
use khien_domain::{Lang, Result};

/// What a done assessment changed in the findings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GapFindings {
    pub created: i64,
    pub reopened: i64,
    pub closed: i64,
}

impl Store {
    pub(crate) async fn findings_from_assessment(&self, w: &mut WriteTx<'_>, a: &Assessment) -> Result<GapFindings> {
        let gaps = self.assessment_gaps(&mut *w.tx, a.id).await?;
        let policy = self.remediation_policy().await?;
        let holidays = self.holidays().await?;
        let now = self.clock.now_ms();
        let mut out = GapFindings::default();
        let mut keys = Vec::with_capacity(gaps.len());
        for (node_id, title, outcome) in gaps {
            let key = finding_key(&["assessment", &a.catalogue_code, &node_id]);
            let severity = if outcome == Outcome::Partly { Severity::Medium } else { Severity::High };
            let known = sqlx::query("SELECT id, state FROM findings WHERE system_id = $1 AND dedup_key = $2")
                .bind(a.system_id)
                .bind(key.as_str())
                .fetch_optional(&mut *w.tx)
                .await
                .map_err(db_err)?;
            match known {
                Some(r) => {
                    let state: String = get(&r, "state")?;
                    if state == "fixed" || state == "verified" {
                        sqlx::query("UPDATE findings SET state = 'open', open = 1, assessment_id = $1, updated_at = $2, state_note = 'Đánh giá mới vẫn chưa đáp ứng / a newer assessment still finds it unmet' WHERE id = $3")
                            .bind(a.id)
                            .bind(now)
                            .bind(get::<i64>(&r, "id")?)
                            .execute(&mut *w.tx)
                            .await
                            .map_err(db_err)?;
                        out.reopened += 1;
                    }
                }
                None => {
                    let label = outcome.label(Lang::Vi);
                    let title = format!("{label}: {node_id} {title}");
                    sqlx::query(
                        "INSERT INTO findings (unit_id, system_id, source, tool, dedup_key, assessment_id, node_id, rule_id, title, search_folded, severity, state, open, detected_at, due_at, created_at, updated_at) \
                         VALUES ($1,$2,'assessment',$3,$4,$5,$6,$6,$7,$8,$9,'open',1,$10,$11,$10,$10)",
                    )
                    .bind(a.unit_id)
                    .bind(a.system_id)
                    .bind(a.catalogue_code.as_str())
                    .bind(key.as_str())
                    .bind(a.id)
                    .bind(node_id.as_str())
                    .bind(title.as_str())
                    .bind(fold(&title))
                    .bind(severity.code())
                    .bind(now)
                    .bind(due_at(&policy, &holidays, severity, Some(a.level), now))
                    .execute(&mut *w.tx)
                    .await
                    .map_err(db_err)?;
                    out.created += 1;
                }
            }
            keys.push(key);
        }
        // Requirements of this catalogue met now: their findings close as verified. Only those
        // this assessment covers: another version of the catalogue (a new built-in one, say) may
        // have other node ids, and a node it never assessed is not "met".
        let open = sqlx::query(
            "SELECT id, dedup_key FROM findings WHERE system_id = $1 AND source = 'assessment' AND tool = $2 AND state IN ('open','in_remediation','fixed') \
             AND node_id IN (SELECT node_id FROM assessment_results WHERE assessment_id = $3)",
        )
            .bind(a.system_id)
            .bind(a.catalogue_code.as_str())
            .bind(a.id)
            .fetch_all(&mut *w.tx)
            .await
            .map_err(db_err)?;
        for r in open {
            let key: String = get(&r, "dedup_key")?;
            if !keys.contains(&key) {
                sqlx::query("UPDATE findings SET state = 'verified', open = 0, verified_at = $1, updated_at = $1, state_note = 'Đánh giá mới ghi nhận đã đáp ứng / a newer assessment finds it met' WHERE id = $2")
                    .bind(now)
                    .bind(get::<i64>(&r, "id")?)
                    .execute(&mut *w.tx)
                    .await
                    .map_err(db_err)?;
                out.closed += 1;
            }
        }
        Ok(out)
    }
}
