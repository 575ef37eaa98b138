//! Findings: from scanner imports and assessments, each on one system, with a remediation
//! deadline from the policy (severity × the system's level, counted from detection), a
//! lifecycle (open → in remediation → fixed → verified; risk accepted; false positive) and
//! per-unit overdue counts. Every read is scoped to the system's owner unit.

use crate::audit::{json, Change};
use crate::db::{db_err, from_row, get, Store};
use crate::listing::Order;
use crate::records::Page;
use crate::sql::Sql;
use khien_domain::calendar::{date_vn, end_of_day_vn, parse_date};
use khien_domain::compliance::finding_moves::may_move;
use khien_domain::compliance::remediation::{check_acceptance, FindingState, Policy, PolicyRow};
use khien_domain::finding::Severity;
use khien_domain::page::{parse_sort, Cursor};
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::{Error, Result};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use utoipa::ToSchema;

/// Decoded with `FromRow` (`finding_row`); the skipped fields are computed after.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Finding {
    pub id: i64,
    pub unit_id: i64,
    pub system_id: i64,
    pub system_code: String,
    pub system_name: String,
    /// scan or assessment
    pub source: String,
    /// nessus, openvas, sarif, trivy, zap, or the catalogue code for assessment findings
    pub tool: String,
    pub rule_id: String,
    pub title: String,
    #[sqlx(try_from = "String")]
    pub severity: Severity,
    #[sqlx(skip)]
    pub cvss: Option<f64>,
    pub host: Option<String>,
    pub port: Option<i64>,
    pub protocol: Option<String>,
    pub component: Option<String>,
    #[sqlx(skip)]
    pub cves: Vec<String>,
    #[sqlx(skip)]
    pub cwes: Vec<String>,
    pub description: String,
    pub solution: String,
    pub evidence: String,
    /// Advisory and reference links the scanner gave (http(s) only).
    #[sqlx(skip)]
    pub references: Vec<String>,
    #[sqlx(try_from = "String")]
    pub state: FindingState,
    pub detected_at: i64,
    /// End of the last day to fix it (UTC ms); none for informational findings.
    pub due_at: Option<i64>,
    /// Still owed a fix after its deadline.
    #[sqlx(skip)]
    pub overdue: bool,
    pub assessment_id: Option<i64>,
    pub node_id: Option<String>,
    pub accepted_by: Option<String>,
    pub accepted_reason: Option<String>,
    pub accepted_until: Option<String>,
    pub state_note: Option<String>,
    pub updated_at: i64,
}

#[derive(Debug, Clone, Default)]
pub struct FindingFilter {
    /// A unit and its subtree.
    pub unit_id: Option<i64>,
    pub system_id: Option<i64>,
    pub severity: Option<String>,
    pub state: Option<String>,
    /// Only findings still owed a fix whose deadline has passed.
    pub overdue: bool,
    /// Also list verified, accepted and false-positive findings.
    pub include_closed: bool,
    pub cve: Option<String>,
    pub q: Option<String>,
    /// `id` (`-id`, newest first, is the default), `due` (findings without a deadline last) or
    /// `detected`; `-` before it reverses the order.
    pub sort: Option<String>,
    pub cursor: Option<Cursor>,
    pub limit: i64,
}

/// The orders of the findings list (`FindingFilter::sort`).
pub const FINDING_SORTS: [&str; 3] = ["id", "due", "detected"];

/// A manual move of a finding.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FindingMoveInput {
    pub to: String,
    pub reason: Option<String>,
    /// Risk acceptance expiry, dd/mm/yyyy or yyyy-mm-dd.
    pub accepted_until: Option<String>,
}

/// Open and overdue findings of one unit, for the dashboard and the ranking.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitFindingCounts {
    pub unit_id: i64,
    pub unit_name: String,
    pub open: i64,
    pub overdue: i64,
    pub critical_open: i64,
}

pub(crate) const FINDING_COLS: &str = "f.*, (SELECT code FROM systems WHERE id = f.system_id) AS system_code, (SELECT name FROM systems WHERE id = f.system_id) AS system_name";

fn split(v: String) -> Vec<String> {
    v.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// A finding row, "overdue" as of `now`.
pub(crate) fn finding_row(r: &AnyRow, now: i64) -> Result<Finding> {
    let mut f: Finding = from_row(r)?;
    f.cvss = get::<Option<i64>>(r, "cvss_x10")?.map(|c| c as f64 / 10.0);
    f.cves = split(get(r, "cves")?);
    f.cwes = split(get(r, "cwes")?);
    f.references = get::<String>(r, "reference_urls")?
        .lines()
        .filter(|l| l.starts_with("https://") || l.starts_with("http://"))
        .map(str::to_string)
        .collect();
    f.overdue = f.state.owes_fix() && f.due_at.is_some_and(|d| d < now);
    Ok(f)
}

/// What the CVE filter looks for.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum CveMatch {
    /// A whole id (`CVE-2014-0224`): that CVE only.
    Id(String),
    /// The start of one (`CVE-2021`, `CVE-2021-44`): the ids that begin so. Ids hold only
    /// A–Z, 0–9 and `-`, all below `~`, so the ids with this prefix are those from the prefix
    /// up to the prefix followed by `~`.
    Prefix(String),
    /// Not a CVE id or its start.
    Nothing,
}

/// Reads the CVE filter: upper case, with `CVE-` added when left out (`2014-0224`).
pub(crate) fn cve_match(input: &str) -> CveMatch {
    let upper = input.trim().to_ascii_uppercase();
    let id =
        if upper.starts_with("CVE-") || "CVE-".starts_with(upper.as_str()) { upper } else { format!("CVE-{upper}") };
    let well_formed = match id.strip_prefix("CVE-") {
        Some(rest) => rest.bytes().all(|b| b.is_ascii_digit() || b == b'-'),
        None => !id.is_empty() && "CVE-".starts_with(id.as_str()),
    };
    if !well_formed {
        return CveMatch::Nothing;
    }
    let whole = id.strip_prefix("CVE-").and_then(|rest| rest.split_once('-')).is_some_and(|(year, num)| {
        year.len() == 4 && num.len() >= 4 && year.bytes().chain(num.bytes()).all(|b| b.is_ascii_digit())
    });
    if whole {
        CveMatch::Id(id)
    } else {
        CveMatch::Prefix(id)
    }
}

/// The deadline of a finding as stored: the end of its last day, in Vietnam.
pub(crate) fn due_at(
    policy: &Policy,
    holidays: &khien_domain::calendar::Holidays,
    severity: Severity,
    level: Option<i64>,
    detected_at: i64,
) -> Option<i64> {
    let level = level.and_then(|l| u8::try_from(l).ok());
    policy.due(severity, level, date_vn(detected_at), holidays).map(end_of_day_vn)
}

impl Store {
    /// The remediation policy: the defaults with the authority's rows over them.
    pub async fn remediation_policy(&self) -> Result<Policy> {
        let rows =
            self.read_all(&Sql::new("SELECT severity, level, days, working_days FROM remediation_policy")).await?;
        let mut overrides = Vec::new();
        for r in rows {
            overrides.push(PolicyRow {
                severity: Severity::parse("severity", &get::<String>(&r, "severity")?)?,
                level: u8::try_from(get::<i64>(&r, "level")?).unwrap_or(1),
                days: u32::try_from(get::<i64>(&r, "days")?).unwrap_or(0),
                working_days: get::<i64>(&r, "working_days")? != 0,
            });
        }
        Ok(Policy::with_overrides(&overrides))
    }

    /// Replaces policy rows (the standing body, at the root). Deadlines of open findings are
    /// left as they were set: a finding's deadline is a promise made when it was found.
    pub async fn set_remediation_policy(&self, actor: &Actor, rows: &[PolicyRow]) -> Result<Policy> {
        let mut w = self.begin_write().await?;
        w.require_at_root(actor, Action::Govern).await?;
        let now = self.clock.now_ms();
        for row in rows {
            Policy::check_row(row)?;
            sqlx::query("DELETE FROM remediation_policy WHERE severity = $1 AND level = $2")
                .bind(row.severity.code())
                .bind(i64::from(row.level))
                .execute(&mut *w.tx)
                .await
                .map_err(db_err)?;
            sqlx::query("INSERT INTO remediation_policy (severity, level, days, working_days, updated_at, updated_by) VALUES ($1,$2,$3,$4,$5,$6)")
                .bind(row.severity.code())
                .bind(i64::from(row.level))
                .bind(i64::from(row.days))
                .bind(i64::from(row.working_days))
                .bind(now)
                .bind(actor.label())
                .execute(&mut *w.tx)
                .await
                .map_err(db_err)?;
        }
        w.audit(
            Some(actor),
            Change {
                action: "remediation_policy.update",
                entity_type: "remediation_policy",
                entity_id: None,
                unit_id: None,
                before: None,
                after: json(&rows),
            },
        )
        .await?;
        w.commit().await?;
        self.remediation_policy().await
    }

    pub async fn list_findings(&self, actor: &Actor, f: &FindingFilter) -> Result<Page<Finding>> {
        // The order is checked first: a caller who reaches no unit is told of a wrong one too.
        let (sort, dir) = parse_sort(f.sort.as_deref(), &FINDING_SORTS, "-id")?;
        let scope = self.unit_scope(actor, Action::ViewSystems, f.unit_id).await?;
        let Some(mut q) = crate::units::scope::scoped_select(FINDING_COLS, "findings", "f", "unit_id", &scope) else {
            return Ok(Page::empty());
        };
        if let Some(id) = f.system_id {
            q.push(" AND f.system_id = ").bind(id);
        }
        if let Some(s) = f.severity.as_deref().filter(|s| !s.is_empty()) {
            q.push(" AND f.severity = ").bind(Severity::parse("severity", s)?.code());
        }
        match f.state.as_deref().filter(|s| !s.is_empty()) {
            Some(s) => {
                q.push(" AND f.state = ").bind(FindingState::parse("state", s)?.code());
            }
            None if !f.include_closed => {
                // NOT IN rather than IN: no index serves it, so the list walks newest first
                // instead of collecting every open finding to sort them.
                q.push(" AND f.state NOT IN ('verified','risk_accepted','false_positive')");
            }
            None => {}
        }
        if f.overdue {
            q.push(" AND f.open = 1 AND f.due_at < ").bind(self.clock.now_ms());
        }
        if let Some(cve) = f.cve.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            // An index look-up in finding_cves on both engines: one id, or a range of ids.
            match cve_match(cve) {
                CveMatch::Id(id) => {
                    q.push(" AND f.id IN (SELECT finding_id FROM finding_cves WHERE cve = ").bind(id).push(")");
                }
                CveMatch::Prefix(p) => {
                    q.push(" AND f.id IN (SELECT finding_id FROM finding_cves WHERE cve >= ").bind(p.clone());
                    q.push(" AND cve < ").bind(format!("{p}~")).push(")");
                }
                CveMatch::Nothing => {
                    q.push(" AND 1 = 0");
                }
            }
        }
        if let Some(term) = f.q.as_deref().filter(|t| !t.trim().is_empty()) {
            q.words_like(&["f.search_folded"], term);
        }
        // The first page says how many match in all (the list's heading shows it).
        let tag = format!("findings.{sort}.{dir:?}");
        let order = match sort {
            "due" => Order::number(&tag, "COALESCE(f.due_at, 9223372036854775807)", "f.id", dir),
            "detected" => Order::number(&tag, "f.detected_at", "f.id", dir),
            _ => Order::number(&tag, "f.id", "f.id", dir),
        };
        let key_of = |x: &Finding| {
            let key = match sort {
                "due" => x.due_at.unwrap_or(i64::MAX),
                "detected" => x.detected_at,
                _ => x.id,
            };
            (key.to_string(), x.id)
        };
        let now = self.clock.now_ms();
        // Not counted: counting every match costs the list 4–10× (BENCHMARKS, issue 14), even
        // one system's 20,000; the dashboard counts per unit and severity instead.
        self.page_of(q, &order, (f.cursor.as_ref(), f.limit), |r| finding_row(r, now), key_of).await
    }

    pub async fn get_finding(&self, actor: &Actor, id: i64) -> Result<Finding> {
        let row = self.read_optional(&Sql::new(&format!("SELECT {FINDING_COLS}, u.path AS unit_path FROM findings f JOIN units u ON u.id = f.unit_id WHERE f.id = $1")).arg(id)).await?
            .ok_or_else(|| Error::not_found("phát hiện", "Finding"))?;
        let path: String = get(&row, "unit_path")?;
        let f = finding_row(&row, self.clock.now_ms())?;
        if !actor.can(Action::ViewSystems, f.unit_id, &path) {
            return Err(Error::not_found("phát hiện", "Finding"));
        }
        Ok(f)
    }

    /// A manual move: the unit fixes, accepts risks (its manager) or flags a false positive;
    /// the authority or an assessor verifies, sends a fix back, or reopens.
    pub async fn move_finding(&self, actor: &Actor, id: i64, input: &FindingMoveInput) -> Result<Finding> {
        let before = self.get_finding(actor, id).await?;
        let mut w = self.begin_write().await?;
        let (path, _) = self.unit_path_name(&mut w, before.unit_id).await?;
        let from = before.state;
        let to = FindingState::parse("to", &input.to)?;
        let rule = may_move(actor, before.unit_id, &path, from, to)?;
        let reason = input.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
        if rule.needs_reason && reason.is_none() {
            return Err(Error::invalid("reason", "Bước này cần nêu lý do.", "This step needs a reason."));
        }
        let now = self.clock.now_ms();
        let mut q = Sql::new("UPDATE findings SET state = ");
        q.bind(to.code()).push(", open = ").bind(i64::from(to.owes_fix())).push(", updated_at = ").bind(now);
        q.push(", state_note = ").bind(reason.map(str::to_string));
        match to {
            FindingState::RiskAccepted => {
                let until = input.accepted_until.as_deref().map(|s| {
                    parse_date(s).ok_or_else(|| {
                        Error::invalid(
                            "accepted_until",
                            "Ngày không hợp lệ (dd/mm/yyyy).",
                            "Not a valid date (dd/mm/yyyy).",
                        )
                    })
                });
                let until = check_acceptance(reason, until.transpose()?, date_vn(now))?;
                // Who accepted it, as people know them (issue 14.8).
                q.push(", accepted_by = ")
                    .bind(w.actor_name(actor).await?)
                    .push(", accepted_reason = ")
                    .bind(reason.map(str::to_string));
                q.push(", accepted_until = ").bind(until.format("%Y-%m-%d").to_string());
            }
            FindingState::Fixed => {
                q.push(", fixed_at = ").bind(now);
            }
            FindingState::Verified => {
                q.push(", verified_at = ").bind(now);
            }
            _ => {}
        }
        q.push(" WHERE id = ").bind(id).push(" AND state = ").bind(from.code());
        let done = q.query().execute(&mut *w.tx).await.map_err(db_err)?;
        if done.rows_affected() != 1 {
            return Err(Error::conflict(
                "Phát hiện vừa được người khác cập nhật.",
                "The finding was just changed by someone else.",
            ));
        }
        w.audit(
            Some(actor),
            Change {
                action: "finding.move",
                entity_type: "finding",
                entity_id: Some(id),
                unit_id: Some(before.unit_id),
                before: json(&before.state),
                after: json(&input.to),
            },
        )
        .await?;
        w.commit().await?;
        self.get_finding(actor, id).await
    }

    /// Per unit in the caller's reach: open, overdue and critical open findings.
    pub async fn finding_counts(&self, actor: &Actor) -> Result<Vec<UnitFindingCounts>> {
        let mut q = Sql::new(
            "SELECT u.id AS unit_id, u.name AS unit_name, COUNT(*) AS open_count, COUNT(CASE WHEN f.due_at < ",
        );
        q.bind(self.clock.now_ms());
        q.push(" THEN 1 END) AS overdue_count, COUNT(CASE WHEN f.severity = 'critical' THEN 1 END) AS critical_count FROM findings f JOIN units u ON u.id = f.unit_id WHERE f.open = 1 AND ");
        q.reach("u.path", "u.id", &actor.reach(Action::ViewSystems));
        q.push(" GROUP BY u.id, u.name ORDER BY overdue_count DESC, open_count DESC, u.name LIMIT 500");
        let rows = self.read_all(&q).await?;
        rows.iter()
            .map(|r| {
                Ok(UnitFindingCounts {
                    unit_id: get(r, "unit_id")?,
                    unit_name: get(r, "unit_name")?,
                    open: get::<Option<i64>>(r, "open_count")?.unwrap_or(0),
                    overdue: get::<Option<i64>>(r, "overdue_count")?.unwrap_or(0),
                    critical_open: get::<Option<i64>>(r, "critical_count")?.unwrap_or(0),
                })
            })
            .collect()
    }

    /// Open findings in the caller's reach by severity: (severity, open, overdue), most severe
    /// first, every severity listed.
    pub async fn finding_severity_counts(&self, actor: &Actor) -> Result<Vec<(Severity, i64, i64)>> {
        let mut q = Sql::new("SELECT f.severity, COUNT(*) AS open_count, COUNT(CASE WHEN f.due_at < ");
        q.bind(self.clock.now_ms());
        q.push(" THEN 1 END) AS overdue_count FROM findings f JOIN units u ON u.id = f.unit_id WHERE f.open = 1 AND ");
        q.reach("u.path", "u.id", &actor.reach(Action::ViewSystems));
        q.push(" GROUP BY f.severity");
        let rows = self.read_all(&q).await?;
        let mut counts: Vec<(Severity, i64, i64)> = Severity::ALL.iter().rev().map(|s| (*s, 0, 0)).collect();
        for r in &rows {
            let severity = Severity::parse("severity", &get::<String>(r, "severity")?)?;
            if let Some(c) = counts.iter_mut().find(|c| c.0 == severity) {
                c.1 = get::<Option<i64>>(r, "open_count")?.unwrap_or(0);
                c.2 = get::<Option<i64>>(r, "overdue_count")?.unwrap_or(0);
            }
        }
        Ok(counts)
    }

    /// Risk acceptances whose date has passed go back to open, with a note; returns how many.
    pub(crate) async fn reopen_expired_acceptances(&self) -> Result<u64> {
        let today = self.clock.today_vn().format("%Y-%m-%d").to_string();
        let done = sqlx::query("UPDATE findings SET state = 'open', open = 1, state_note = 'Hết hạn chấp nhận rủi ro / risk acceptance expired', updated_at = $1 WHERE state = 'risk_accepted' AND accepted_until < $2")
            .bind(self.clock.now_ms())
            .bind(today)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(done.rows_affected())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cve_filter_reads_an_id_or_its_start() {
        let id = |s: &str| CveMatch::Id(s.to_string());
        let prefix = |s: &str| CveMatch::Prefix(s.to_string());
        assert_eq!(cve_match(" cve-2014-0224 "), id("CVE-2014-0224"));
        assert_eq!(cve_match("2021-44228"), id("CVE-2021-44228"));
        assert_eq!(cve_match("CVE-2021"), prefix("CVE-2021"));
        assert_eq!(cve_match("CVE-2021-442"), prefix("CVE-2021-442"));
        assert_eq!(cve_match("cv"), prefix("CV"));
        assert_eq!(cve_match("2021"), prefix("CVE-2021"));
        assert_eq!(cve_match("CVE-2021-44228%"), CveMatch::Nothing);
        assert_eq!(cve_match("openssl"), CveMatch::Nothing);
    }
}
