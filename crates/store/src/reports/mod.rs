//! Periodic reports (issue 16.5): rounds the authority opens for a template and period, the
//! units' reports through draft → submitted → accepted or returned, and every submitted version
//! frozen with its SHA-256. What Khiên reads into a report is in `facts`; the consolidation the
//! authority builds from the submissions in `consolidation`.

mod consolidation;
mod decision;
mod facts;

pub use consolidation::{ConsolidatedReport, Consolidation};

use crate::audit::{json, Change};
use crate::db::{db_err, get, get_code, Store, WriteTx};
use crate::events::Notice;
use crate::sql::Sql;
use khien_domain::calendar::{display_date, parse_date};
use khien_domain::notification::NotificationKind;
use khien_domain::report::{check_narratives, content_hash, ReportContent, ReportState, ReportTemplate};
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::unit::UnitType;
use khien_domain::worklist::unit_side;
use khien_domain::{Error, Result};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Default)]
pub struct ReportRoundInput {
    pub template: String,
    pub period: String,
    /// dd/mm/yyyy or yyyy-mm-dd; empty: the template's own day where a text sets it.
    pub due_on: String,
    pub unit_types: Vec<String>,
}

/// A round: a template's report for a period, owed by the active units of some types.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportRound {
    pub id: i64,
    pub template: ReportTemplate,
    pub period: String,
    /// yyyy-mm-dd.
    pub due_on: String,
    pub unit_types: Vec<UnitType>,
    /// The units owing it (of those the caller sees), those that submitted (accepted ones
    /// included) and those accepted.
    pub asked: i64,
    pub submitted: i64,
    pub accepted: i64,
}

/// A unit's report in a round's list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitReportLine {
    pub unit_id: i64,
    pub unit_name: String,
    pub state: ReportState,
    /// The last submission, ms since the epoch.
    pub submitted_at: Option<i64>,
    /// Submitted after the due day, or not yet and the day has passed.
    pub late: bool,
    pub return_reason: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportRoundDetail {
    pub round: ReportRound,
    pub reports: Vec<UnitReportLine>,
}

/// A submitted version, frozen.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportVersionHead {
    pub id: i64,
    pub version: i64,
    pub sha256: String,
    pub submitted_at: i64,
    pub submitted_by: String,
}

/// A unit's report: where it stands, its versions, and its content — the last submitted
/// version's while the authority holds it, else the draft's narrative around today's figures.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitReport {
    pub round: ReportRound,
    pub unit_id: i64,
    pub unit_name: String,
    pub state: ReportState,
    pub return_reason: String,
    pub versions: Vec<ReportVersionHead>,
    pub content: ReportContent,
}

/// A version with its content.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportVersion {
    pub head: ReportVersionHead,
    pub round: ReportRound,
    pub unit_id: i64,
    pub content: ReportContent,
}

const ROUND_COLS: &str = "r.id, r.template, r.period, r.due_on, r.unit_types";

fn round_row(r: &sqlx::any::AnyRow, counts: (i64, i64, i64)) -> Result<ReportRound> {
    let types: String = get(r, "unit_types")?;
    Ok(ReportRound {
        id: get(r, "id")?,
        template: get_code(r, "template", |c| ReportTemplate::parse("template", c))?,
        period: get(r, "period")?,
        due_on: get(r, "due_on")?,
        unit_types: types.split(',').filter_map(|t| UnitType::parse(t).ok()).collect(),
        asked: counts.0,
        submitted: counts.1,
        accepted: counts.2,
    })
}

/// A unit's report row in a round (every column a caller here reads), or not found.
pub(super) async fn report_row(
    exec: impl sqlx::Executor<'_, Database = sqlx::Any>,
    (round_id, unit_id): (i64, i64),
) -> Result<sqlx::any::AnyRow> {
    sqlx::query("SELECT id, state, narratives, return_reason, submitted_at FROM unit_reports WHERE round_id = $1 AND unit_id = $2")
        .bind(round_id)
        .bind(unit_id)
        .fetch_optional(exec)
        .await
        .map_err(db_err)?
        .ok_or_else(|| Error::not_found("báo cáo của đơn vị", "Unit's report"))
}

/// Reads a stored narrative list (JSON of [key, text] pairs).
fn narratives_of(text: &str) -> Vec<(String, String)> {
    serde_json::from_str(text).unwrap_or_default()
}

impl Store {
    /// Opens a round: every active unit of the types owes the report; their people are told.
    /// One round per template and period.
    pub async fn open_report_round(&self, actor: &Actor, input: &ReportRoundInput) -> Result<ReportRound> {
        let root = self.require_governor(actor).await?;
        let template = ReportTemplate::parse("template", &input.template)?;
        let period = template.check_period(&input.period)?;
        let due = match input.due_on.trim() {
            "" => template.default_due(&period).ok_or_else(|| {
                Error::invalid("due_on", "Mẫu báo cáo này cần hạn nộp.", "This report template needs a due day.")
            })?,
            d => parse_date(d).ok_or_else(|| {
                Error::invalid("due_on", "Hạn nộp phải có dạng dd/mm/yyyy.", "The due day is dd/mm/yyyy.")
            })?,
        };
        let mut types = Vec::new();
        for t in &input.unit_types {
            let t = UnitType::parse(t)?;
            if !types.contains(&t) {
                types.push(t);
            }
        }
        // The network member's report is the approved members' (of the chosen types, if any).
        let members = template.asks_network_members();
        if types.is_empty() && !members {
            return Err(Error::invalid(
                "unit_types",
                "Chọn ít nhất một loại đơn vị phải báo cáo.",
                "Choose at least one type of unit that reports.",
            ));
        }
        let codes: Vec<&str> = types.iter().map(|t| t.code()).collect();
        let mut w = self.begin_write().await?;
        let taken = sqlx::query("SELECT id FROM report_rounds WHERE template = $1 AND period = $2")
            .bind(template.code())
            .bind(period.as_str())
            .fetch_optional(&mut *w.tx)
            .await
            .map_err(db_err)?;
        if taken.is_some() {
            return Err(Error::conflict(
                format!("Đã mở đợt «{}» kỳ {period}.", template.label(khien_domain::Lang::Vi)),
                format!("A round of «{}» for {period} is already open.", template.label(khien_domain::Lang::En)),
            ));
        }
        let due = due.format("%Y-%m-%d").to_string();
        let r = sqlx::query("INSERT INTO report_rounds (template, period, due_on, unit_types, opened_by, opened_at) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id")
            .bind(template.code())
            .bind(period.as_str())
            .bind(due.as_str())
            .bind(codes.join(","))
            .bind(actor.user_id)
            .bind(w.clock.now_ms())
            .fetch_one(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let id: i64 = get(&r, "id")?;
        let mut q = Sql::new("INSERT INTO unit_reports (round_id, unit_id, state, narratives, return_reason) SELECT ");
        q.bind(id).push(", u.id, 'pending', '[]', '' FROM units u");
        if members {
            q.push(" JOIN network_members m ON m.unit_id = u.id AND m.state = 'approved'");
        }
        q.push(" WHERE u.active = 1");
        if !codes.is_empty() {
            q.push(" AND u.unit_type IN (");
            for (i, c) in codes.iter().enumerate() {
                if i > 0 {
                    q.push(",");
                }
                q.bind(*c);
            }
            q.push(")");
        }
        let asked = q.query().execute(&mut *w.tx).await.map_err(db_err)?.rows_affected();
        if asked == 0 {
            return Err(if members {
                Error::invalid(
                    "unit_types",
                    "Mạng lưới ứng cứu sự cố chưa có thành viên nào (thuộc các loại đã chọn).",
                    "The response network has no approved member (of the chosen types).",
                )
            } else {
                Error::invalid(
                    "unit_types",
                    "Không có đơn vị đang hoạt động nào thuộc các loại đã chọn.",
                    "No active unit is of the chosen types.",
                )
            });
        }
        let after = serde_json::json!({"template": template, "period": period, "due_on": due, "units": asked});
        w.audit(
            Some(actor),
            Change {
                action: "report_round.open",
                entity_type: "report_round",
                entity_id: Some(id),
                unit_id: Some(root),
                before: None,
                after: json(&after),
            },
        )
        .await?;
        let units = sqlx::query(
            "SELECT u.id, u.path FROM unit_reports ur JOIN units u ON u.id = ur.unit_id WHERE ur.round_id = $1",
        )
        .bind(id)
        .fetch_all(&mut *w.tx)
        .await
        .map_err(db_err)?
        .iter()
        .map(|r| Ok((get::<i64>(r, "id")?, get::<String>(r, "path")?)))
        .collect::<Result<Vec<_>>>()?;
        let units: Vec<(i64, &str)> = units.iter().map(|(id, p)| (*id, p.as_str())).collect();
        let shown_due = display_date(&due);
        let notice = Notice {
            kind: NotificationKind::ReportRequested,
            key: format!("report_round:{id}:open"),
            vi: format!(
                "Đề nghị nộp {} — {} trước ngày {shown_due}",
                template.label(khien_domain::Lang::Vi),
                template.period_label(&period, khien_domain::Lang::Vi)
            ),
            en: format!(
                "Please submit the {} — {} by {shown_due}",
                template.label(khien_domain::Lang::En),
                template.period_label(&period, khien_domain::Lang::En)
            ),
            link: format!("/reports/{id}"),
            unit_id: root,
        };
        self.notify_where(&mut w, actor, (&notice, &units), |p| {
            let p = p.with_roles(unit_side);
            units.iter().any(|(id, path)| p.can(Action::ReportProgress, *id, path))
        })
        .await?;
        w.commit().await?;
        self.report_round_head(actor, id).await
    }

    /// The rounds whose reports the caller may see (a unit's caller: those its units owe),
    /// newest first, with the counts of the reports it sees.
    pub async fn list_report_rounds(&self, actor: &Actor) -> Result<Vec<ReportRound>> {
        self.rounds_where(actor, None).await
    }

    async fn rounds_where(&self, actor: &Actor, id: Option<i64>) -> Result<Vec<ReportRound>> {
        let reach = actor.reach(Action::ViewUnits);
        let mut q = Sql::new(&format!("SELECT {ROUND_COLS}, COUNT(*) AS asked, CAST(SUM(CASE WHEN ur.state IN ('submitted','accepted') THEN 1 ELSE 0 END) AS BIGINT) AS submitted, CAST(SUM(CASE WHEN ur.state = 'accepted' THEN 1 ELSE 0 END) AS BIGINT) AS accepted FROM report_rounds r JOIN unit_reports ur ON ur.round_id = r.id JOIN units u ON u.id = ur.unit_id WHERE "));
        q.reach("u.path", "u.id", &reach);
        if let Some(id) = id {
            q.push(" AND r.id = ").bind(id);
        }
        q.push(&format!(" GROUP BY {ROUND_COLS}, r.opened_at ORDER BY r.opened_at DESC, r.id DESC LIMIT 200"));
        let rows = self.read_all(&q).await?;
        rows.iter()
            .map(|r| {
                let n = |c| get::<Option<i64>>(r, c).map(|v| v.unwrap_or(0));
                round_row(r, (n("asked")?, n("submitted")?, n("accepted")?))
            })
            .collect()
    }

    async fn report_round_head(&self, actor: &Actor, id: i64) -> Result<ReportRound> {
        self.rounds_where(actor, Some(id))
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| Error::not_found("đợt báo cáo", "Report round"))
    }

    /// A round and the reports of the units the caller sees: who has submitted, who has not.
    pub async fn report_round(&self, actor: &Actor, id: i64) -> Result<ReportRoundDetail> {
        let round = self.report_round_head(actor, id).await?;
        let reach = actor.reach(Action::ViewUnits);
        let mut q = Sql::new("SELECT ur.unit_id, u.name, ur.state, ur.submitted_at, ur.return_reason FROM unit_reports ur JOIN units u ON u.id = ur.unit_id WHERE ur.round_id = ");
        q.bind(id).push(" AND ");
        q.reach("u.path", "u.id", &reach).push(" ORDER BY u.unit_type, u.name LIMIT 5000");
        let due = parse_date(&round.due_on);
        let end_of_due = due.map(|d| khien_domain::calendar::start_of_day_vn(d) + 86_400_000);
        let now = self.clock.now_ms();
        let mut reports = Vec::new();
        for r in self.read_all(&q).await? {
            let submitted_at: Option<i64> = get(&r, "submitted_at")?;
            let late = end_of_due.is_some_and(|end| submitted_at.unwrap_or(now) >= end);
            reports.push(UnitReportLine {
                unit_id: get(&r, "unit_id")?,
                unit_name: get(&r, "name")?,
                state: get_code(&r, "state", |c| ReportState::parse("state", c))?,
                submitted_at,
                late,
                return_reason: get(&r, "return_reason")?,
            });
        }
        Ok(ReportRoundDetail { round, reports })
    }

    /// A unit's report in a round (the caller sees the unit).
    pub async fn unit_report(&self, actor: &Actor, round_id: i64, unit_id: i64) -> Result<UnitReport> {
        let unit = self.get_unit(actor, unit_id).await?;
        let round = self.report_round_head(actor, round_id).await?;
        let r = report_row(&self.pool, (round_id, unit.id)).await?;
        let report_id: i64 = get(&r, "id")?;
        let state = get_code(&r, "state", |c| ReportState::parse("state", c))?;
        let versions = self.report_versions(report_id).await?;
        let content = match (state.editable(), versions.last()) {
            (false, Some(v)) => self.report_version(actor, v.id).await?.content,
            _ => {
                let narratives = narratives_of(&get::<String>(&r, "narratives")?);
                let narratives = check_narratives(round.template, &narratives, false).unwrap_or_default();
                self.report_content((round.template, &round.period), &unit, narratives).await?
            }
        };
        Ok(UnitReport {
            round,
            unit_id: unit.id,
            unit_name: unit.name,
            state,
            return_reason: get(&r, "return_reason")?,
            versions,
            content,
        })
    }

    async fn report_versions(&self, report_id: i64) -> Result<Vec<ReportVersionHead>> {
        let rows = self.read_all(&Sql::new("SELECT v.id, v.version, v.sha256, v.submitted_at, COALESCE(p.full_name, p.username) AS who FROM unit_report_versions v JOIN users p ON p.id = v.submitted_by WHERE v.report_id = $1 ORDER BY v.version").arg(report_id)).await?;
        rows.iter()
            .map(|r| {
                Ok(ReportVersionHead {
                    id: get(r, "id")?,
                    version: get(r, "version")?,
                    sha256: get(r, "sha256")?,
                    submitted_at: get(r, "submitted_at")?,
                    submitted_by: get(r, "who")?,
                })
            })
            .collect()
    }

    /// A submitted version as it was frozen (the caller sees the unit).
    pub async fn report_version(&self, actor: &Actor, id: i64) -> Result<ReportVersion> {
        let r = self.read_optional(&Sql::new("SELECT v.id, v.version, v.sha256, v.submitted_at, v.content, COALESCE(p.full_name, p.username) AS who, ur.unit_id, ur.round_id FROM unit_report_versions v JOIN unit_reports ur ON ur.id = v.report_id JOIN users p ON p.id = v.submitted_by WHERE v.id = $1").arg(id)).await?
            .ok_or_else(|| Error::not_found("phiên bản báo cáo", "Report version"))?;
        let unit = self.get_unit(actor, get(&r, "unit_id")?).await?;
        let round = self.report_round_head(actor, get(&r, "round_id")?).await?;
        let content: ReportContent = serde_json::from_str(&get::<String>(&r, "content")?).map_err(Error::internal)?;
        Ok(ReportVersion {
            head: ReportVersionHead {
                id: get(&r, "id")?,
                version: get(&r, "version")?,
                sha256: get(&r, "sha256")?,
                submitted_at: get(&r, "submitted_at")?,
                submitted_by: get(&r, "who")?,
            },
            round,
            unit_id: unit.id,
            content,
        })
    }

    /// The unit's report row, checked for `action` on the unit and still the unit's to write.
    async fn writable_report(
        &self,
        w: &mut WriteTx<'_>,
        actor: &Actor,
        (round_id, unit_id): (i64, i64),
        action: Action,
    ) -> Result<(crate::Unit, i64, ReportState)> {
        let unit = self.get_unit(actor, unit_id).await?;
        actor.require(action, unit.id, &unit.path)?;
        let r = report_row(&mut *w.tx, (round_id, unit.id)).await?;
        let state = get_code(&r, "state", |c| ReportState::parse("state", c))?;
        let submitted = get::<Option<i64>>(&r, "submitted_at")?.map(khien_domain::time::display_vn).unwrap_or_default();
        state.check_editable(&submitted)?;
        Ok((unit, get(&r, "id")?, state))
    }

    /// Saves the unit's narrative (a draft; the figures are read again when it is submitted).
    pub async fn save_report_draft(
        &self,
        actor: &Actor,
        (round_id, unit_id): (i64, i64),
        narratives: &[(String, String)],
    ) -> Result<UnitReport> {
        let round = self.report_round_head(actor, round_id).await?;
        let narratives = check_narratives(round.template, narratives, false)?;
        let mut w = self.begin_write().await?;
        let (unit, report_id, state) =
            self.writable_report(&mut w, actor, (round_id, unit_id), Action::ReportProgress).await?;
        sqlx::query(
            "UPDATE unit_reports SET state = 'draft', narratives = $1, updated_by = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(serde_json::to_string(&narratives).map_err(Error::internal)?)
        .bind(actor.user_id)
        .bind(w.clock.now_ms())
        .bind(report_id)
        .execute(&mut *w.tx)
        .await
        .map_err(db_err)?;
        w.audit(
            Some(actor),
            Change {
                action: "unit_report.save",
                entity_type: "unit_report",
                entity_id: Some(report_id),
                unit_id: Some(unit.id),
                before: json(&serde_json::json!({"state": state})),
                after: json(&serde_json::json!({"state": ReportState::Draft, "round_id": round_id})),
            },
        )
        .await?;
        w.commit().await?;
        self.unit_report(actor, round_id, unit.id).await
    }

    /// The unit's head submits: the figures are read now, frozen with the narrative as a new
    /// version and hashed; the authority is told. A report the authority holds (submitted, or
    /// accepted) is not submitted again.
    pub async fn submit_report(
        &self,
        actor: &Actor,
        (round_id, unit_id): (i64, i64),
        narratives: Option<&[(String, String)]>,
    ) -> Result<UnitReport> {
        let round = self.report_round_head(actor, round_id).await?;
        let unit = self.get_unit(actor, unit_id).await?;
        actor.require(Action::SubmitReports, unit.id, &unit.path)?;
        let saved = match narratives {
            Some(n) => n.to_vec(),
            None => {
                let r = report_row(&self.pool, (round_id, unit.id)).await?;
                narratives_of(&get::<String>(&r, "narratives")?)
            }
        };
        let narratives = check_narratives(round.template, &saved, true)?;
        let content = self.report_content((round.template, &round.period), &unit, narratives.clone()).await?;
        let hash = content_hash(&content);
        let mut w = self.begin_write().await?;
        let (unit, report_id, state) =
            self.writable_report(&mut w, actor, (round_id, unit_id), Action::SubmitReports).await?;
        let now = w.clock.now_ms();
        let version: i64 = get(
            &sqlx::query("SELECT COALESCE(MAX(version), 0) + 1 AS v FROM unit_report_versions WHERE report_id = $1")
                .bind(report_id)
                .fetch_one(&mut *w.tx)
                .await
                .map_err(db_err)?,
            "v",
        )?;
        sqlx::query("INSERT INTO unit_report_versions (report_id, version, content, sha256, submitted_by, submitted_at) VALUES ($1,$2,$3,$4,$5,$6)")
            .bind(report_id)
            .bind(version)
            .bind(serde_json::to_string(&content).map_err(Error::internal)?)
            .bind(hash.as_str())
            .bind(actor.user_id)
            .bind(now)
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        sqlx::query("UPDATE unit_reports SET state = 'submitted', narratives = $1, updated_by = $2, updated_at = $3, submitted_at = $3, return_reason = '' WHERE id = $4")
            .bind(serde_json::to_string(&narratives).map_err(Error::internal)?)
            .bind(actor.user_id)
            .bind(now)
            .bind(report_id)
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        w.audit(
            Some(actor),
            Change {
                action: "unit_report.submit",
                entity_type: "unit_report",
                entity_id: Some(report_id),
                unit_id: Some(unit.id),
                before: json(&serde_json::json!({"state": state})),
                after: json(&serde_json::json!({"state": ReportState::Submitted, "round_id": round_id, "version": version, "sha256": hash})),
            },
        )
        .await?;
        let root = self.root_unit().await?.ok_or_else(|| Error::not_found("đơn vị gốc", "Root unit"))?;
        let notice = Notice {
            kind: NotificationKind::ReportSubmitted,
            key: format!("unit_report:{report_id}:v{version}"),
            vi: format!(
                "{} đã nộp {} — {}",
                unit.name,
                round.template.label(khien_domain::Lang::Vi),
                round.template.period_label(&round.period, khien_domain::Lang::Vi)
            ),
            en: format!(
                "{} submitted the {} — {}",
                unit.name,
                round.template.label(khien_domain::Lang::En),
                round.template.period_label(&round.period, khien_domain::Lang::En)
            ),
            link: format!("/reports/{round_id}/units/{}", unit.id),
            unit_id: unit.id,
        };
        self.notify_where(&mut w, actor, (&notice, &[(root.id, root.path.as_str())]), |p| {
            p.can(Action::Govern, root.id, &root.path)
        })
        .await?;
        w.commit().await?;
        self.unit_report(actor, round_id, unit.id).await
    }
}
