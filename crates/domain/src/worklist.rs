//! "Việc cần xử lý": what waits for a person, section by section. Whose turn it is follows the
//! role: unit staff prepare their dossiers, reports and fixes; the authority appraises, routes
//! and follows the city's clocks; administrators may do everything but are not the ones waited
//! for (as for reminders).

use crate::role::Role;
use crate::system::code_enum;

code_enum!(
    /// A section of the work list.
    WorkKind {
        DossiersToDecide = "dossiers_to_decide": "Hồ sơ cấp độ chờ bạn thẩm định, phê duyệt" / "Level dossiers waiting for your appraisal or approval",
        DossiersToPrepare = "dossiers_to_prepare": "Hồ sơ cấp độ đang soạn hoặc bị trả lại" / "Level dossiers in draft or returned",
        IncidentClocks = "incident_clocks": "Sự cố đang chạy thời hạn báo cáo" / "Incidents with a report clock running",
        PublicReportsToRoute = "public_reports_to_route": "Phản ánh của người dân chờ chuyển xử lý" / "Public reports waiting to be routed",
        PublicReportsToHandle = "public_reports_to_handle": "Phản ánh được chuyển cho đơn vị" / "Public reports sent to your units",
        IncidentTasks = "incident_tasks": "Nhiệm vụ ứng cứu được giao" / "Response tasks given to your units",
        PlanReports = "plan_reports": "Nhiệm vụ kế hoạch chưa báo cáo kỳ này" / "Plan tasks not yet reported this period",
        ReportsToWrite = "reports_to_write": "Báo cáo định kỳ đơn vị phải nộp" / "Periodic reports your units owe",
        ReportsToReview = "reports_to_review": "Báo cáo định kỳ chờ tiếp nhận" / "Periodic reports waiting to be accepted",
        FindingsDue = "findings_due": "Phát hiện đến hạn khắc phục trong 7 ngày (kể cả quá hạn)" / "Findings due within 7 days (overdue included)",
        FindingsEscalated = "findings_escalated": "Phát hiện quá hạn khắc phục đã báo lên" / "Findings escalated past their deadline",
        UnitsLate = "units_late": "Đơn vị chậm hạn" / "Units behind a deadline",
        RankingsDue = "rankings_due": "Xếp hạng đã đến kỳ, chưa công bố" / "Rankings due and not yet published",
        RecentDecisions = "recent_decisions": "Quyết định 30 ngày qua về hồ sơ của đơn vị" / "Decisions of the last 30 days on your units' records",
    }
);

code_enum!(
    /// What a deadline on a unit's calendar is for (issue 15.9).
    DeadlineKind {
        PlanReport = "plan_report": "Báo cáo tiến độ kế hoạch" / "Plan progress report",
        DossierStep = "dossier_step": "Bước hồ sơ cấp độ" / "Level dossier step",
        Obligation = "obligation": "Nghĩa vụ định kỳ của hệ thống" / "A system's recurring duty",
        Finding = "finding": "Hạn khắc phục phát hiện" / "Finding remediation",
        IncidentReport = "incident_report": "Hạn báo cáo sự cố" / "Incident report",
        FollowUp = "follow_up": "Việc cần làm sau diễn tập, tập huấn" / "Follow-up of a drill or training",
        StaffCertificate = "staff_certificate": "Chứng chỉ của cán bộ hết hạn" / "A staff certificate expires",
    }
);

/// Roles that act for their own units: prepare dossiers, report incidents, fix findings.
pub fn unit_side(role: Role) -> bool {
    matches!(role, Role::UnitManager | Role::UnitOfficer | Role::SocProvider)
}

/// Roles that follow the whole city: appraise, route, escalate.
pub fn authority_side(role: Role) -> bool {
    role == Role::AuthorityOfficer
}

/// Every role that can be waited for (all but administrators).
pub fn waited_for(role: Role) -> bool {
    role != Role::Administrator
}

/// How far ahead the "findings due" section looks, in days.
pub const FINDINGS_DUE_DAYS: i64 = 7;

/// How far back "recent decisions" looks, in days.
pub const RECENT_DAYS: i64 = 30;

/// The audit actions that are decisions on a unit's records, taken by someone else.
pub const DECISIONS: &[&str] = &[
    "dossier.return",
    "dossier.appraise",
    "dossier.approve",
    "public_report.route",
    "incident.task",
    "finding.move",
    "system.exception",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sides_do_not_overlap_and_administrators_are_not_waited_for() {
        for r in Role::ALL {
            assert!(!(unit_side(r) && authority_side(r)), "{r:?}");
        }
        assert!(!waited_for(Role::Administrator));
        assert!(!unit_side(Role::Viewer) && !authority_side(Role::Viewer));
    }

    #[test]
    fn decisions_have_labels() {
        for a in DECISIONS {
            assert!(crate::audit_labels::ACTIONS.iter().any(|(code, _, _)| code == a), "{a}");
        }
    }
}
