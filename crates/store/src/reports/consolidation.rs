//! The city's report built from a round's submissions: each submitted (or accepted) report's
//! last version, as frozen, and the units that have not submitted. For whoever sees the whole
//! city (the authority, the city's leadership).

use super::{ReportRound, UnitReportLine};
use crate::db::{get, get_code, Store};
use crate::sql::Sql;
use khien_domain::report::{ReportContent, ReportState};
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::{Error, Result};
use serde::Serialize;
use utoipa::ToSchema;

/// A unit's submission as consolidated.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConsolidatedReport {
    pub unit_id: i64,
    pub state: ReportState,
    pub submitted_at: i64,
    pub version: i64,
    pub sha256: String,
    pub content: ReportContent,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Consolidation {
    pub round: ReportRound,
    /// The submissions, by unit type and name.
    pub reports: Vec<ConsolidatedReport>,
    /// The units that owe the report and have not submitted it (returned ones included).
    pub missing: Vec<UnitReportLine>,
}

impl Store {
    /// The round's submissions and who is missing, read in two queries.
    pub async fn consolidate_reports(&self, actor: &Actor, round_id: i64) -> Result<Consolidation> {
        let root = self.root_unit().await?.ok_or_else(|| Error::not_found("đơn vị gốc", "Root unit"))?;
        actor.require(Action::ViewUnits, root.id, &root.path)?;
        let detail = self.report_round(actor, round_id).await?;
        let rows = self.read_all(&Sql::new("SELECT ur.unit_id, ur.state, v.submitted_at, v.version, v.sha256, v.content FROM unit_reports ur JOIN units u ON u.id = ur.unit_id JOIN unit_report_versions v ON v.report_id = ur.id AND v.version = (SELECT MAX(x.version) FROM unit_report_versions x WHERE x.report_id = ur.id) WHERE ur.round_id = $1 AND ur.state IN ('submitted','accepted') ORDER BY u.unit_type, u.name").arg(round_id)).await?;
        let mut reports = Vec::with_capacity(rows.len());
        for r in &rows {
            reports.push(ConsolidatedReport {
                unit_id: get(r, "unit_id")?,
                state: get_code(r, "state", |c| ReportState::parse("state", c))?,
                submitted_at: get(r, "submitted_at")?,
                version: get(r, "version")?,
                sha256: get(r, "sha256")?,
                content: serde_json::from_str(&get::<String>(r, "content")?).map_err(Error::internal)?,
            });
        }
        let missing = detail
            .reports
            .into_iter()
            .filter(|l| !matches!(l.state, ReportState::Submitted | ReportState::Accepted))
            .collect();
        Ok(Consolidation { round: detail.round, reports, missing })
    }
}
