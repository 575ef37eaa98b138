//! Notifications: what the reminder sweep tells people about.

use crate::system::code_enum;

code_enum!(
    /// What a notification is about.
    NotificationKind {
        IncidentClock = "incident_clock": "Hạn xử lý sự cố" / "Incident deadline",
        DossierStep = "dossier_step": "Hạn bước hồ sơ" / "Dossier step deadline",
        FindingOverdue = "finding_overdue": "Phát hiện quá hạn khắc phục" / "Finding past its deadline",
        FindingDue = "finding_due": "Phát hiện sắp đến hạn khắc phục" / "Finding due soon",
    }
);
