//! Notifications: what the reminder sweep and the events of the workflows tell people about.

use crate::system::code_enum;

code_enum!(
    /// What a notification is about.
    NotificationKind {
        IncidentClock = "incident_clock": "Hạn xử lý sự cố" / "Incident deadline",
        DossierStep = "dossier_step": "Hạn bước hồ sơ" / "Dossier step deadline",
        FindingOverdue = "finding_overdue": "Phát hiện quá hạn khắc phục" / "Finding past its deadline",
        FindingDue = "finding_due": "Phát hiện sắp đến hạn khắc phục" / "Finding due soon",
        DossierSubmitted = "dossier_submitted": "Hồ sơ cấp độ được gửi thẩm định" / "A level dossier is submitted",
        DossierReturned = "dossier_returned": "Hồ sơ cấp độ bị trả lại" / "A level dossier is returned",
        DossierAppraised = "dossier_appraised": "Hồ sơ cấp độ được thẩm định" / "A level dossier is appraised",
        DossierApproved = "dossier_approved": "Hồ sơ cấp độ được phê duyệt" / "A level dossier is approved",
        IncidentReported = "incident_reported": "Sự cố mới được báo cáo" / "A new incident is reported",
        PublicReportRouted = "public_report_routed": "Phản ánh được chuyển cho đơn vị" / "A public report is sent to a unit",
        TaskGiven = "task_given": "Nhiệm vụ ứng cứu được giao" / "A response task is given",
        PlanReportDue = "plan_report_due": "Sắp đến hạn báo cáo tiến độ kế hoạch" / "A plan progress report is due soon",
        PlanReportOverdue = "plan_report_overdue": "Quá hạn báo cáo tiến độ kế hoạch" / "A plan progress report is overdue",
        ObligationOverdue = "obligation_overdue": "Nghĩa vụ định kỳ của hệ thống quá hạn" / "A system's recurring duty is overdue",
        PlanReported = "plan_reported": "Đơn vị phối hợp đã báo cáo tiến độ" / "A co-ordinating unit reported progress",
        ConsultationOpened = "consultation_opened": "Đề nghị góp ý dự thảo" / "A draft is sent for comments",
        FollowUpGiven = "follow_up_given": "Việc cần làm sau diễn tập, tập huấn" / "A follow-up of a drill or training",
        ConsultationReplied = "consultation_replied": "Đơn vị đã gửi ý kiến góp ý dự thảo" / "A unit sent its comments on a draft",
        ReportRequested = "report_requested": "Đề nghị nộp báo cáo định kỳ" / "A periodic report is asked for",
        ReportSubmitted = "report_submitted": "Đơn vị đã nộp báo cáo định kỳ" / "A unit submitted its periodic report",
        ReportDecided = "report_decided": "Báo cáo định kỳ được tiếp nhận hoặc trả lại" / "A periodic report is accepted or returned",
        NetworkApplied = "network_applied": "Đơn vị đăng ký tham gia mạng lưới ứng cứu sự cố" / "A unit applies to the response network",
        NetworkDecided = "network_decided": "Quyết định về tư cách thành viên mạng lưới ứng cứu" / "A decision on response network membership",
        BotnetDetected = "botnet_detected": "Phát hiện địa chỉ IP của đơn vị nhiễm mã độc botnet" / "A unit's IP address is found in a botnet",
    }
);

impl NotificationKind {
    /// Told when a workflow moves (the rest come from the reminder sweep).
    pub fn is_event(self) -> bool {
        !matches!(
            self,
            NotificationKind::IncidentClock
                | NotificationKind::DossierStep
                | NotificationKind::FindingOverdue
                | NotificationKind::FindingDue
                | NotificationKind::PlanReportDue
                | NotificationKind::PlanReportOverdue
                | NotificationKind::ObligationOverdue
        )
    }
}
