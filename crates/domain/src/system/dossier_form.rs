//! The documents of a level dossier's procedure, generated from the dossier's own data (issue
//! 17.1): under NĐ 331/2026 the forms of its annex (Mẫu 01–07) and the dossier's statement
//! (Đ22); under NĐ 85/2016 and TT 12/2022, which prescribe no such forms, the same documents
//! citing the older texts. This module says which documents a dossier of a level has, who
//! issues each (the step whose people act), and what each cites; the words are written by the
//! document service.

use super::code_enum;
use super::dossier::{may_act, DossierAction, LevelBodies, UnitAt};
use super::level::{Authority, Ruleset};

code_enum!(
    /// A document of the level procedure.
    DossierForm {
        Statement = "statement": "Thuyết minh hồ sơ đề xuất cấp độ" / "Dossier statement",
        RequestAppraisalApproval = "request_appraisal_approval": "Văn bản đề nghị thẩm định, phê duyệt hồ sơ đề xuất cấp độ" / "Request for appraisal and approval",
        RequestAppraisal = "request_appraisal": "Văn bản đề nghị thẩm định hồ sơ đề xuất cấp độ" / "Request for appraisal",
        RequestExpertOpinion = "request_expert_opinion": "Văn bản xin ý kiến chuyên môn về hồ sơ đề xuất cấp độ" / "Request for the dedicated unit's professional opinion",
        AppraisalOpinion = "appraisal_opinion": "Ý kiến thẩm định hồ sơ đề xuất cấp độ" / "Appraisal opinion",
        ApprovalSubmission = "approval_submission": "Tờ trình phê duyệt hồ sơ đề xuất cấp độ" / "Submission for approval",
        LevelDecision = "level_decision": "Quyết định phê duyệt cấp độ hệ thống thông tin" / "Decision approving the security level",
        PlanDecision = "plan_decision": "Quyết định phê duyệt phương án bảo đảm an ninh mạng" / "Decision approving the protection plan",
    }
);

/// The texts a document cites and the words it uses, by ruleset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LegalBasis {
    /// "Căn cứ …" lines, in order (law, decree, circular).
    pub grounds: &'static [&'static str],
    /// What is protected: "an ninh mạng" (Luật 116) or "an toàn thông tin" (Luật ATTTM 2015).
    pub term: &'static str,
    /// The national standard of the level requirements.
    pub standard: &'static str,
    /// The article listing the operator's duties, which a decision refers to.
    pub operator_duties: &'static str,
}

const ND331_BASIS: LegalBasis = LegalBasis {
    grounds: &[
        "Căn cứ Luật An ninh mạng số 116/2025/QH15",
        "Căn cứ Nghị định số 331/2026/NĐ-CP ngày 19 tháng 8 năm 2026 của Chính phủ quy định về bảo vệ an ninh mạng đối với hệ thống thông tin",
    ],
    term: "an ninh mạng",
    standard: "TCVN 14423:2026 An ninh mạng - Hệ thống thông tin - Yêu cầu cơ bản",
    operator_duties: "Điều 33 Nghị định số 331/2026/NĐ-CP",
};

const ND85_BASIS: LegalBasis = LegalBasis {
    grounds: &[
        "Căn cứ Luật An toàn thông tin mạng ngày 19 tháng 11 năm 2015",
        "Căn cứ Nghị định số 85/2016/NĐ-CP ngày 01 tháng 7 năm 2016 của Chính phủ về bảo đảm an toàn hệ thống thông tin theo cấp độ",
        "Căn cứ Thông tư số 12/2022/TT-BTTTT ngày 12 tháng 8 năm 2022 của Bộ Thông tin và Truyền thông quy định chi tiết và hướng dẫn một số điều của Nghị định số 85/2016/NĐ-CP",
    ],
    term: "an toàn thông tin",
    standard: "TCVN 11930:2017 Công nghệ thông tin - Các kỹ thuật an toàn - Yêu cầu cơ bản về an toàn hệ thống thông tin theo cấp độ",
    operator_duties: "Điều 20 Nghị định số 85/2016/NĐ-CP",
};

/// What a ruleset's documents cite (NĐ 331 for its own code, NĐ 85 and TT 12 otherwise).
pub fn legal_basis(rs: &Ruleset) -> LegalBasis {
    if rs.code.starts_with("nd331") {
        ND331_BASIS
    } else {
        ND85_BASIS
    }
}

impl DossierForm {
    /// "Mẫu số 01"… of NĐ 331's annex; none for the statement (its content is set by Đ22, not a
    /// form) and none under NĐ 85, which has no annex of forms.
    pub fn annex_number(self, rs: &Ruleset) -> Option<&'static str> {
        if !rs.code.starts_with("nd331") {
            return None;
        }
        match self {
            DossierForm::Statement => None,
            DossierForm::RequestAppraisalApproval => Some("Mẫu số 01"),
            DossierForm::RequestAppraisal => Some("Mẫu số 02"),
            DossierForm::RequestExpertOpinion => Some("Mẫu số 03"),
            DossierForm::AppraisalOpinion => Some("Mẫu số 04"),
            DossierForm::ApprovalSubmission => Some("Mẫu số 05"),
            DossierForm::LevelDecision => Some("Mẫu số 06"),
            DossierForm::PlanDecision => Some("Mẫu số 07"),
        }
    }

    /// Whether a dossier proposing `level` under `rs` has this document. Levels 1–2: the
    /// dedicated unit appraises and approves on one request (NĐ 331 Đ18.1, Đ20.1.b). Level 3 and
    /// up: a request for appraisal (Đ20.1.c–d), then a submission to the owning body (Đ20.3.b).
    /// Levels 4–5: the dedicated unit's professional opinion first (Đ20.1.d, Đ21.5). The
    /// appraisal opinion is Khiên's to write only where the city appraises (the ministry writes
    /// its own for levels 4–5, Đ18.3). A decision approves the level up to level 4 (Đ18.2.b,
    /// Đ18.3.d); at level 5 the owning body approves the protection plan (Đ18.3.d, Đ20.3.c).
    pub fn applies(self, level: u8, rs: &Ruleset) -> bool {
        match self {
            DossierForm::Statement => true,
            DossierForm::RequestAppraisalApproval => level <= 2,
            DossierForm::RequestAppraisal | DossierForm::ApprovalSubmission => level >= 3,
            DossierForm::RequestExpertOpinion => level >= 4,
            DossierForm::AppraisalOpinion => rs.appraiser_at(level) == Authority::SecurityUnit,
            DossierForm::LevelDecision => level <= 4,
            DossierForm::PlanDecision => level >= 5,
        }
    }

    /// The documents of a dossier proposing `level`, in the procedure's order.
    pub fn for_level(level: u8, rs: &Ruleset) -> Vec<DossierForm> {
        DossierForm::ALL.iter().copied().filter(|f| f.applies(level, rs)).collect()
    }

    /// The step whose people issue the document: the owner unit's requests and statement are
    /// theirs who submit; the opinion the appraiser's; the decisions the approver's.
    pub fn issued_at(self) -> DossierAction {
        match self {
            DossierForm::AppraisalOpinion => DossierAction::Appraise,
            DossierForm::LevelDecision | DossierForm::PlanDecision => DossierAction::Approve,
            _ => DossierAction::Submit,
        }
    }
}

/// Whether `actor` may issue `form` for a dossier of `level` on a system of `system`: the same
/// decision as taking the form's step (`may_act`), so the page's buttons and the store agree.
pub fn may_issue(
    actor: &crate::scope::Actor,
    form: DossierForm,
    level: u8,
    rs: &Ruleset,
    system: &UnitAt,
    bodies: &LevelBodies,
) -> bool {
    form.applies(level, rs) && may_act(actor, form.issued_at(), level, rs, system, bodies)
}

/// The most a dossier package may hold, attachments and documents together: a package is
/// built in memory, so a dossier past this is refused with its size rather than exhausting
/// the server (ten attachments at the 20 MiB limit fit).
pub const MAX_PACKAGE_BYTES: i64 = 256 * 1024 * 1024;

/// Whether `actor` may build a dossier's package for the appraiser and record its receipt:
/// those who send the dossier (the submit step's people), as for the requests.
pub fn may_send(actor: &crate::scope::Actor, level: u8, rs: &Ruleset, system: &UnitAt, bodies: &LevelBodies) -> bool {
    may_act(actor, DossierAction::Submit, level, rs, system, bodies)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::system::level::ruleset_by_code;
    use DossierForm::*;

    #[test]
    fn nd331_d18_d20_a_level_3_dossier_asks_appraisal_then_approval_with_forms_02_04_05_06() {
        let rs = ruleset_by_code("nd331-2026").unwrap();
        assert_eq!(
            DossierForm::for_level(3, &rs),
            vec![Statement, RequestAppraisal, AppraisalOpinion, ApprovalSubmission, LevelDecision]
        );
        assert_eq!(RequestAppraisal.annex_number(&rs), Some("Mẫu số 02"));
        assert_eq!(LevelDecision.annex_number(&rs), Some("Mẫu số 06"));
        assert_eq!(Statement.annex_number(&rs), None);
    }

    #[test]
    fn nd331_d18_1_d20_1_b_levels_1_and_2_use_one_request_for_appraisal_and_approval() {
        let rs = ruleset_by_code("nd331-2026").unwrap();
        for level in [1, 2] {
            assert_eq!(
                DossierForm::for_level(level, &rs),
                vec![Statement, RequestAppraisalApproval, AppraisalOpinion, LevelDecision]
            );
        }
    }

    #[test]
    fn nd331_d18_3_d20_1_d_levels_4_5_ask_the_professional_opinion_and_the_ministry_appraises() {
        let rs = ruleset_by_code("nd331-2026").unwrap();
        assert_eq!(
            DossierForm::for_level(4, &rs),
            vec![Statement, RequestAppraisal, RequestExpertOpinion, ApprovalSubmission, LevelDecision]
        );
        // Level 5: the owning body approves the protection plan (Mẫu 07), not the level.
        assert_eq!(
            DossierForm::for_level(5, &rs),
            vec![Statement, RequestAppraisal, RequestExpertOpinion, ApprovalSubmission, PlanDecision]
        );
        assert_eq!(PlanDecision.annex_number(&rs), Some("Mẫu số 07"));
    }

    #[test]
    fn nd85_has_no_annex_of_forms_and_cites_the_older_texts() {
        let rs = ruleset_by_code("nd85-2016").unwrap();
        assert!(DossierForm::ALL.iter().all(|f| f.annex_number(&rs).is_none()));
        let basis = legal_basis(&rs);
        assert!(basis.grounds.iter().any(|g| g.contains("85/2016/NĐ-CP")));
        assert!(basis.grounds.iter().any(|g| g.contains("12/2022/TT-BTTTT")));
        assert_eq!(basis.term, "an toàn thông tin");
        let new = legal_basis(&ruleset_by_code("nd331-2026").unwrap());
        assert!(new.grounds.iter().any(|g| g.contains("116/2025/QH15")));
    }

    #[test]
    fn each_document_is_issued_at_its_step() {
        assert_eq!(RequestAppraisal.issued_at(), DossierAction::Submit);
        assert_eq!(AppraisalOpinion.issued_at(), DossierAction::Appraise);
        assert_eq!(LevelDecision.issued_at(), DossierAction::Approve);
        assert_eq!(PlanDecision.issued_at(), DossierAction::Approve);
    }
}
