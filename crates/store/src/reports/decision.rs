//! The authority's decision on a submitted report: accepted (final) or returned with its reason,
//! the unit's people told.

use super::{report_row, UnitReport};
use crate::audit::{json, Change};
use crate::db::{db_err, get, get_code, Store};
use crate::events::Notice;
use khien_domain::notification::NotificationKind;
use khien_domain::report::ReportState;
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::worklist::unit_side;
use khien_domain::Result;

impl Store {
    /// The authority accepts a submitted report or returns it with its reason; the unit's people
    /// are told. An accepted report is final.
    pub async fn decide_report(
        &self,
        actor: &Actor,
        (round_id, unit_id): (i64, i64),
        accept: bool,
        reason: &str,
    ) -> Result<UnitReport> {
        let root = self.require_governor(actor).await?;
        let round = self.report_round_head(actor, round_id).await?;
        let unit = self.get_unit(actor, unit_id).await?;
        let mut w = self.begin_write().await?;
        let r = report_row(&mut *w.tx, (round_id, unit.id)).await?;
        let report_id: i64 = get(&r, "id")?;
        let state = get_code(&r, "state", |c| ReportState::parse("state", c))?;
        let next = state.check_decision(accept, reason)?;
        let reason = if accept { String::new() } else { reason.trim().to_string() };
        sqlx::query(
            "UPDATE unit_reports SET state = $1, return_reason = $2, decided_by = $3, decided_at = $4 WHERE id = $5",
        )
        .bind(next.code())
        .bind(reason.as_str())
        .bind(actor.user_id)
        .bind(w.clock.now_ms())
        .bind(report_id)
        .execute(&mut *w.tx)
        .await
        .map_err(db_err)?;
        w.audit(
            Some(actor),
            Change {
                action: if accept { "unit_report.accept" } else { "unit_report.return" },
                entity_type: "unit_report",
                entity_id: Some(report_id),
                unit_id: Some(unit.id),
                before: json(&serde_json::json!({"state": state})),
                after: json(&serde_json::json!({"state": next, "reason": reason})),
            },
        )
        .await?;
        let (vi, en) = if accept {
            (
                format!(
                    "Cơ quan thường trực đã tiếp nhận báo cáo {}",
                    round.template.period_label(&round.period, khien_domain::Lang::Vi)
                ),
                format!(
                    "The authority accepted the report for {}",
                    round.template.period_label(&round.period, khien_domain::Lang::En)
                ),
            )
        } else {
            (
                format!(
                    "Báo cáo {} bị trả lại: {reason}",
                    round.template.period_label(&round.period, khien_domain::Lang::Vi)
                ),
                format!(
                    "The report for {} was returned: {reason}",
                    round.template.period_label(&round.period, khien_domain::Lang::En)
                ),
            )
        };
        let notice = Notice {
            kind: NotificationKind::ReportDecided,
            key: format!("unit_report:{report_id}:{}:{}", next.code(), w.clock.now_ms()),
            vi,
            en,
            link: format!("/reports/{round_id}/units/{}", unit.id),
            unit_id: root,
        };
        let units = [(unit.id, unit.path.as_str())];
        self.notify_where(&mut w, actor, (&notice, &units), |p| {
            p.with_roles(unit_side).can(Action::ReportProgress, unit.id, &unit.path)
        })
        .await?;
        w.commit().await?;
        self.unit_report(actor, round_id, unit.id).await
    }
}
