//! Evidence behind a progress report or a recurring duty done (issue 15.3, 15.5): the decision,
//! the minutes, the scan report or the photographs a unit would otherwise send by post.

use crate::attachment::FilePolicy;
use crate::system::code_enum;

code_enum!(
    /// What a piece of evidence backs.
    EvidenceSubject {
        PlanProgress = "plan_progress": "Báo cáo tiến độ nhiệm vụ" / "Plan progress report",
        Obligation = "obligation": "Nghĩa vụ định kỳ đã thực hiện" / "Recurring duty done",
    }
);

/// Documents, spreadsheets, scans, photographs and archives, checked by content, 20 MiB each:
/// what an incident's files take.
pub const EVIDENCE_FILES: FilePolicy = crate::incident::INCIDENT_FILES;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::attachment::check_attachment;

    #[test]
    fn evidence_is_a_document_or_a_picture_checked_by_content() {
        assert!(check_attachment(&EVIDENCE_FILES, "bien-ban.pdf", b"%PDF-1.7\n...").is_ok());
        assert!(check_attachment(&EVIDENCE_FILES, "bien-ban.pdf", b"MZ\x90\x00 not a pdf").is_err());
        assert!(check_attachment(&EVIDENCE_FILES, "x.exe", b"MZ\x90\x00").is_err());
    }
}
