//! The authority's overview: the counts of NĐ 331 Mẫu 08 by owner unit, aggregated by the
//! database.

use crate::db::{get, get_code, Store};
use crate::sql::Sql;
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::system::level::ruleset_for;
use khien_domain::unit::UnitType;
use khien_domain::Result;
use serde::Serialize;
use utoipa::ToSchema;

/// One line of the authority's overview (the counts of NĐ 331 Mẫu 08, by owner unit).
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct OverviewRow {
    pub unit_id: i64,
    pub unit_name: String,
    /// The unit's type (none on the total line), for the charts by unit type.
    pub unit_type: Option<UnitType>,
    pub systems: i64,
    /// Systems whose type is identified ("đã được phân loại (đã xác định được loại hình)", NĐ 331
    /// Mẫu 08 section 1; the types of Đ9.2): every registered system but those typed "other".
    pub classified: i64,
    /// Dossier submitted or further.
    pub dossier_prepared: i64,
    pub appraised: i64,
    pub approved: i64,
    /// Systems with an approved level periodically assessed as required (Mẫu 08: "đã phê duyệt
    /// cấp độ được kiểm tra, đánh giá an ninh mạng định kỳ theo quy định"): layer 3 current.
    pub assessed: i64,
    /// All four protection layers ok.
    pub four_layers: i64,
    /// Approved, with the approved protection plan fully implemented.
    pub plan_implemented: i64,
    /// Monitored 24/7 (contract current) and connected to the national monitoring system.
    pub monitored_connected: i64,
    /// In operation without an approved level: violations, an authority's exception or not.
    pub violations: i64,
    /// Of those, the ones the authority knows and excepted for a time (known violations).
    pub under_exception: i64,
    /// Data-sharing connections, and those authenticated and encrypted.
    pub connections: i64,
    pub connections_secure: i64,
    /// Signature tokens/certificates expired or expiring within 30 days.
    pub certificates_expiring: i64,
}

impl Store {
    /// Counts by owner unit over the systems the caller may see; the last row is the total.
    /// Aggregated by the database: the layer rules of `domain::system::layers` become SQL
    /// conditions with the reassessment cut-off date of each level computed here.
    pub async fn overview(&self, actor: &Actor) -> Result<Vec<OverviewRow>> {
        self.overview_within(&actor.reach(Action::ViewSystems)).await
    }

    /// The overview over the units of `reach` (a report reads its unit's subtree this way).
    pub(crate) async fn overview_within(&self, reach: &khien_domain::scope::Reach) -> Result<Vec<OverviewRow>> {
        let today = self.clock.today_vn();
        let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
        let rs = ruleset_for(today);
        // A level-L system's assessment is current when done on or after today − interval(L).
        let cutoff = |level: u8| day(rs.assessment_current_since(level, today));
        let layer3 = |q: &mut Sql| {
            q.push("(s.assessed_on >= CASE s.approved_level");
            for level in 2..=5u8 {
                q.push(&format!(" WHEN {level} THEN ")).bind(cutoff(level));
            }
            q.push(" ELSE ").bind(cutoff(1)).push(" END)");
        };
        let mut q = Sql::new(
            "SELECT s.owner_unit_id, MIN(u.name) AS unit_name, MIN(u.unit_type) AS unit_type, COUNT(*) AS systems, ",
        );
        q.push("SUM(CASE WHEN s.system_type <> 'other' THEN 1 ELSE 0 END) AS classified, ");
        q.push("SUM(CASE WHEN s.dossier_state IN ('submitted','appraised','approved','superseded') OR s.approved_level IS NOT NULL THEN 1 ELSE 0 END) AS dossier_prepared, ");
        q.push("SUM(CASE WHEN s.dossier_state IN ('appraised','approved','superseded') OR s.approved_level IS NOT NULL THEN 1 ELSE 0 END) AS appraised, ");
        q.push("SUM(CASE WHEN s.approved_level IS NOT NULL THEN 1 ELSE 0 END) AS approved, SUM(CASE WHEN s.approved_level IS NOT NULL AND ");
        layer3(&mut q);
        // Layer 2 is lost when telemetry that once arrived falls silent (`layers::evaluate`).
        let telemetry_heard = |q: &mut Sql| {
            q.push(
                " AND COALESCE((SELECT MAX(t.day) FROM telemetry_daily t WHERE t.system_id = s.id), '9999-12-31') >= ",
            )
            .bind(day(khien_domain::telemetry::monitored_since(today)));
        };
        q.push(" THEN 1 ELSE 0 END) AS assessed, SUM(CASE WHEN s.onsite_team IS NOT NULL AND s.monitoring_unit IS NOT NULL AND (s.monitoring_until IS NULL OR s.monitoring_until >= ");
        q.bind(day(today)).push(") AND s.connected_since IS NOT NULL AND ");
        layer3(&mut q);
        telemetry_heard(&mut q);
        q.push(" THEN 1 ELSE 0 END) AS four_layers, ");
        q.push("SUM(CASE WHEN s.approved_level IS NOT NULL AND s.plan_status = 'full' THEN 1 ELSE 0 END) AS plan_implemented, ");
        q.push("SUM(CASE WHEN s.monitoring_unit IS NOT NULL AND (s.monitoring_until IS NULL OR s.monitoring_until >= ");
        q.bind(day(today)).push(") AND s.connected_since IS NOT NULL");
        telemetry_heard(&mut q);
        q.push(" THEN 1 ELSE 0 END) AS monitored_connected, ");
        // An exception does not make a system compliant (TT 12/2022 Đ9.6; NĐ 331 Đ30.6): it is
        // counted among the violations, and apart as known.
        q.push(
            "SUM(CASE WHEN s.status = 'in_operation' AND s.approved_level IS NULL THEN 1 ELSE 0 END) AS violations, ",
        );
        q.push("SUM(CASE WHEN s.status = 'in_operation' AND s.approved_level IS NULL AND EXISTS (SELECT 1 FROM golive_exceptions e WHERE e.system_id = s.id AND e.expires_on >= ");
        q.bind(day(today)).push(") THEN 1 ELSE 0 END) AS under_exception, ");
        q.push("CAST(SUM(COALESCE(cc.n, 0)) AS BIGINT) AS connections, CAST(SUM(COALESCE(cc.secure, 0)) AS BIGINT) AS connections_secure, CAST(SUM(COALESCE(ce.n, 0)) AS BIGINT) AS certificates_expiring ");
        q.push("FROM systems s JOIN units u ON u.id = s.owner_unit_id ");
        q.push("LEFT JOIN (SELECT system_id, COUNT(*) AS n, SUM(CASE WHEN auth_method IS NOT NULL AND encrypted = 1 THEN 1 ELSE 0 END) AS secure FROM system_connections GROUP BY system_id) cc ON cc.system_id = s.id ");
        q.push("LEFT JOIN (SELECT system_id, COUNT(*) AS n FROM system_certificates WHERE expires_on <= ")
            .bind(day(today + chrono::Duration::days(crate::systems::registers::CERT_WARNING_DAYS)));
        q.push(" GROUP BY system_id) ce ON ce.system_id = s.id WHERE ");
        q.reach("u.path", "u.id", reach).push(" GROUP BY s.owner_unit_id ORDER BY MIN(u.path)");
        let rows = self.read_all(&q).await?;
        let mut out = Vec::with_capacity(rows.len() + 1);
        let mut total = OverviewRow { unit_name: "Tổng cộng / Total".into(), ..Default::default() };
        for r in &rows {
            let o = OverviewRow {
                unit_id: get(r, "owner_unit_id")?,
                unit_name: get(r, "unit_name")?,
                unit_type: Some(get_code(r, "unit_type", UnitType::parse)?),
                systems: get(r, "systems")?,
                classified: get(r, "classified")?,
                dossier_prepared: get(r, "dossier_prepared")?,
                appraised: get(r, "appraised")?,
                approved: get(r, "approved")?,
                assessed: get(r, "assessed")?,
                four_layers: get(r, "four_layers")?,
                plan_implemented: get(r, "plan_implemented")?,
                monitored_connected: get(r, "monitored_connected")?,
                violations: get(r, "violations")?,
                under_exception: get(r, "under_exception")?,
                connections: get(r, "connections")?,
                connections_secure: get(r, "connections_secure")?,
                certificates_expiring: get(r, "certificates_expiring")?,
            };
            total.systems += o.systems;
            total.classified += o.classified;
            total.dossier_prepared += o.dossier_prepared;
            total.appraised += o.appraised;
            total.approved += o.approved;
            total.assessed += o.assessed;
            total.four_layers += o.four_layers;
            total.plan_implemented += o.plan_implemented;
            total.monitored_connected += o.monitored_connected;
            total.violations += o.violations;
            total.under_exception += o.under_exception;
            total.connections += o.connections;
            total.connections_secure += o.connections_secure;
            total.certificates_expiring += o.certificates_expiring;
            out.push(o);
        }
        out.push(total);
        Ok(out)
    }
}

/// One row of Mẫu 08 section 3 (NĐ 331/2026): a system, its level's approval and its plan.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Form08System {
    pub name: String,
    pub owner: String,
    pub operator: String,
    /// The level proposed by its newest dossier, else the approved one.
    pub proposed_level: Option<i64>,
    /// draft, submitted, appraised, approved (returned dossiers count as draft again).
    pub approval_status: Option<String>,
    /// Number, date and signer of the approval decision.
    pub decision: Option<String>,
    /// The decision issuing the security rules.
    pub security_rules: Option<String>,
    /// not_started, partial, full
    pub plan_status: String,
    /// "before use", "periodic", both or none.
    pub assessments: Vec<String>,
}

impl Store {
    /// Mẫu 08 section 3: every system the caller sees, with its newest dossier.
    pub async fn form08_systems(&self, actor: &Actor) -> Result<Vec<Form08System>> {
        let today = self.clock.today_vn();
        let rs = ruleset_for(today);
        let mut q = Sql::new(
            "SELECT s.name, u.name AS owner, COALESCE(op.name, u.name) AS operator, s.approved_level, s.dossier_state, s.security_rules_ref, s.plan_status, \
             s.preoperation_assessed_on, s.assessed_on, d.proposed_level, d.decision_number, d.approved_on, d.decision_signer \
             FROM systems s JOIN units u ON u.id = s.owner_unit_id LEFT JOIN units op ON op.id = s.operator_unit_id \
             LEFT JOIN dossiers d ON d.id = (SELECT MAX(x.id) FROM dossiers x WHERE x.system_id = s.id) WHERE ",
        );
        q.reach("u.path", "u.id", &actor.reach(Action::ViewSystems)).push(" ORDER BY u.path, s.name_folded");
        let rows = self.read_all(&q).await?;
        rows.iter()
            .map(|r| {
                let approved: Option<i64> = get(r, "approved_level")?;
                let state: Option<String> = get(r, "dossier_state")?;
                let approval_status = match state.as_deref() {
                    Some("draft" | "returned") => Some("draft"),
                    Some("submitted") => Some("submitted"),
                    Some("appraised") => Some("appraised"),
                    Some("approved" | "superseded") => Some("approved"),
                    _ => approved.map(|_| "approved"),
                };
                let decision =
                    match (get::<Option<String>>(r, "decision_number")?, get::<Option<String>>(r, "approved_on")?) {
                        (Some(n), on) => Some(
                            [
                                Some(n),
                                on.as_deref().map(khien_domain::calendar::display_date),
                                get::<Option<String>>(r, "decision_signer")?,
                            ]
                            .into_iter()
                            .flatten()
                            .collect::<Vec<_>>()
                            .join(", "),
                        ),
                        _ => None,
                    };
                let level = approved.and_then(|l| u8::try_from(l).ok()).unwrap_or(1);
                let cutoff = rs.assessment_current_since(level, today);
                let periodic = get::<Option<String>>(r, "assessed_on")?
                    .as_deref()
                    .and_then(khien_domain::calendar::parse_date)
                    .is_some_and(|d| d >= cutoff);
                let mut assessments = Vec::new();
                if get::<Option<String>>(r, "preoperation_assessed_on")?.is_some() {
                    assessments.push("before_use".to_string());
                }
                if periodic {
                    assessments.push("periodic".to_string());
                }
                Ok(Form08System {
                    name: get(r, "name")?,
                    owner: get(r, "owner")?,
                    operator: get(r, "operator")?,
                    proposed_level: get::<Option<i64>>(r, "proposed_level")?.or(approved),
                    approval_status: approval_status.map(str::to_string),
                    decision,
                    security_rules: get(r, "security_rules_ref")?,
                    plan_status: get(r, "plan_status")?,
                    assessments,
                })
            })
            .collect()
    }
}
