//! The level dossier (hồ sơ đề xuất cấp độ): draft → submitted → returned | appraised →
//! approved, then superseded by a re-determination. Who may act depends on the level and the
//! ruleset; deadlines run in working days from the complete submission.

use super::code_enum;
use super::level::{Authority, DayCount, Ruleset};
use crate::attachment::{FileKind, FilePolicy};
use crate::calendar::Holidays;
use crate::role::Role;
use crate::{Error, Lang, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

code_enum!(
    DossierState {
        Draft = "draft": "Đang dự thảo" / "Draft",
        Submitted = "submitted": "Đã gửi thẩm định" / "Submitted for appraisal",
        Returned = "returned": "Trả lại để bổ sung" / "Returned with comments",
        Appraised = "appraised": "Đã thẩm định" / "Appraised",
        Approved = "approved": "Đã được phê duyệt" / "Approved",
        Superseded = "superseded": "Đã được thay thế" / "Superseded",
    }
);

code_enum!(
    /// The parts of a dossier (NĐ 85 Đ15).
    Part {
        Overview = "overview": "Báo cáo tổng quan về hệ thống" / "System overview",
        Design = "design": "Hồ sơ thiết kế" / "Design documents",
        LevelJustification = "level_justification": "Thuyết minh đề xuất cấp độ" / "Level justification",
        ProtectionPlan = "protection_plan": "Thuyết minh phương án bảo đảm an toàn" / "Protection plan justification",
        ExpertOpinion = "expert_opinion": "Ý kiến chuyên môn của đơn vị chuyên trách (cấp độ 4, 5)" / "The dedicated unit's professional opinion (levels 4–5)",
        RiskAssessment = "risk_assessment": "Báo cáo đánh giá rủi ro an ninh mạng chi tiết (cấp độ 4, 5 theo NĐ 331)" / "Detailed cybersecurity risk assessment report (levels 4–5 under NĐ 331)",
    }
);

code_enum!(
    DossierAction {
        Submit = "submit": "Gửi thẩm định" / "Submit for appraisal",
        Return = "return": "Trả lại" / "Return with comments",
        Appraise = "appraise": "Thẩm định đạt" / "Appraise",
        Approve = "approve": "Phê duyệt" / "Approve",
    }
);

/// Parts required before submission at a level (NĐ 85 Đ15; NĐ 331 Đ21, and Đ22.5 for the
/// risk-assessment report of levels 4–5).
pub fn required_parts(level: u8, rs: &Ruleset) -> Vec<Part> {
    let mut p = vec![Part::Overview, Part::Design, Part::LevelJustification, Part::ProtectionPlan];
    if level >= 4 {
        p.push(Part::ExpertOpinion);
    }
    if rs.risk_report_from_level.is_some_and(|(from, _)| level >= from) {
        p.push(Part::RiskAssessment);
    }
    p
}

/// The next state after an action, or why it is impossible.
pub fn next_state(state: DossierState, action: DossierAction) -> Result<DossierState> {
    use DossierAction as A;
    use DossierState as S;
    match (state, action) {
        (S::Draft | S::Returned, A::Submit) => Ok(S::Submitted),
        (S::Submitted, A::Return) | (S::Appraised, A::Return) => Ok(S::Returned),
        (S::Submitted, A::Appraise) => Ok(S::Appraised),
        (S::Appraised, A::Approve) => Ok(S::Approved),
        (s, a) => Err(Error::invalid(
            "action",
            format!("Không thể «{}» hồ sơ ở trạng thái «{}».", a.label(Lang::Vi), s.label(Lang::Vi)),
            format!("Cannot «{}» a dossier that is «{}».", a.label(Lang::En), s.label(Lang::En)),
        )),
    }
}

/// The step a dossier in `state` waits for: appraisal once submitted, approval once appraised.
pub fn waiting_step(state: DossierState) -> Option<DossierAction> {
    match state {
        DossierState::Submitted => Some(DossierAction::Appraise),
        DossierState::Appraised => Some(DossierAction::Approve),
        _ => None,
    }
}

/// Which roles may take an action on a dossier of this level under this ruleset. The owner
/// unit's staff prepare and submit; the security unit (authority officers) appraises and
/// returns; approval is the security unit's for levels 1–2 and the owner's leadership for 3–5.
pub fn roles_for(action: DossierAction, level: u8, rs: &Ruleset) -> &'static [Role] {
    let of = |a: Authority| -> &'static [Role] {
        match a {
            Authority::SecurityUnit => &[Role::AuthorityOfficer, Role::Administrator],
            Authority::Owner => &[Role::UnitManager, Role::Administrator],
            // The outside appraisal's result is recorded by the owner or the dedicated unit.
            Authority::Ministry | Authority::PrimeMinister => {
                &[Role::UnitManager, Role::AuthorityOfficer, Role::Administrator]
            }
        }
    };
    match action {
        DossierAction::Submit => &[Role::UnitManager, Role::UnitOfficer, Role::Administrator],
        DossierAction::Return | DossierAction::Appraise => of(rs.appraiser_at(level)),
        DossierAction::Approve => of(rs.approver_at(level)),
    }
}

/// Whether a dossier in `state` is open to edits of its content and files: a draft, or one
/// returned with comments.
pub fn editable(state: DossierState) -> bool {
    matches!(state, DossierState::Draft | DossierState::Returned)
}

/// Whether `actor` may edit a dossier in `state` of a system owned by `system` (its content or
/// its files): the owner unit's staff (`EditSystems`), while the dossier is editable. The store
/// checks this on every edit; the dossier page shows its forms by it.
pub fn may_edit(actor: &crate::scope::Actor, state: DossierState, system: &UnitAt) -> crate::Result<()> {
    if !actor.can(crate::role::Action::EditSystems, system.id, &system.path) {
        return Err(crate::Error::forbidden());
    }
    if !editable(state) {
        return Err(crate::Error::invalid(
            "state",
            "Chỉ sửa hoặc đính kèm tệp khi hồ sơ đang dự thảo hoặc bị trả lại.",
            "Only a draft or returned dossier can be edited or given files.",
        ));
    }
    Ok(())
}

/// A unit named by id and materialised path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitAt {
    pub id: i64,
    pub path: String,
}

/// The bodies the authority named for the level dossiers (NĐ 85 Đ12; NĐ 331 Đ18, Đ20): the
/// owning body (chủ quản — e.g. the city's People's Committee — or the unit it delegated in
/// writing) and its dedicated security unit. Unnamed, the step falls to the system's own unit
/// (the owner's leadership) or the standing body's officers, as before.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LevelBodies {
    pub owning_body: Option<UnitAt>,
    pub dedicated_unit: Option<UnitAt>,
}

impl LevelBodies {
    /// The named bodies (none, one or both).
    pub fn named(&self) -> impl Iterator<Item = &UnitAt> {
        [&self.owning_body, &self.dedicated_unit].into_iter().flatten()
    }

    /// Whether a grant of `actor` covers a named body: its people act on dossiers of any unit,
    /// so a list of waiting dossiers must read them all and keep the caller's.
    pub fn speaks_for(&self, actor: &crate::scope::Actor) -> bool {
        self.named().any(|b| actor.grants.iter().any(|g| g.covers(b.id, &b.path)))
    }
}

/// Whether `actor` may take `action` on a dossier of this level for a system of `system`'s
/// unit: the one decision both the store and the dossier page use.
pub fn may_act(
    actor: &crate::scope::Actor,
    action: DossierAction,
    level: u8,
    rs: &Ruleset,
    system: &UnitAt,
    bodies: &LevelBodies,
) -> bool {
    let roles = roles_for(action, level, rs);
    let authority = match action {
        DossierAction::Submit => None,
        DossierAction::Return | DossierAction::Appraise => Some(rs.appraiser_at(level)),
        DossierAction::Approve => Some(rs.approver_at(level)),
    };
    // Where the acting body is named, its own people act there; otherwise over the system's unit.
    let at = match authority {
        Some(Authority::SecurityUnit) => bodies.dedicated_unit.as_ref(),
        Some(Authority::Owner) => bodies.owning_body.as_ref(),
        _ => None,
    };
    let roles: &[Role] = match (authority, at) {
        // The named body's leadership or security officers.
        (Some(Authority::SecurityUnit | Authority::Owner), Some(_)) => {
            &[Role::UnitManager, Role::AuthorityOfficer, Role::Administrator]
        }
        _ => roles,
    };
    let at = at.unwrap_or(system);
    actor.grants.iter().any(|g| roles.contains(&g.role) && g.covers(at.id, &at.path))
}

/// Checks a submission: a proposed level, a reason when it differs from the suggestion, and
/// every required part present.
pub fn check_submission(proposed: u8, suggested: u8, reason: Option<&str>, parts: &[Part], rs: &Ruleset) -> Result<()> {
    if !(1..=5).contains(&proposed) {
        return Err(Error::invalid(
            "proposed_level",
            "Cấp độ đề xuất phải từ 1 đến 5.",
            "The proposed level must be 1 to 5.",
        ));
    }
    if proposed != suggested && reason.is_none_or(|r| r.trim().chars().count() < 10) {
        return Err(Error::invalid(
            "level_reason",
            format!("Đề xuất cấp độ {proposed} khác cấp độ gợi ý {suggested}: cần ghi rõ lý do (ít nhất 10 ký tự)."),
            format!("Proposing level {proposed} instead of the suggested {suggested} needs a written reason (at least 10 characters)."),
        ));
    }
    let missing: Vec<Part> = required_parts(proposed, rs).into_iter().filter(|p| !parts.contains(p)).collect();
    if !missing.is_empty() {
        let vi: Vec<&str> = missing.iter().map(|p| p.label(Lang::Vi)).collect();
        let en: Vec<&str> = missing.iter().map(|p| p.label(Lang::En)).collect();
        return Err(Error::invalid(
            "parts",
            format!("Hồ sơ còn thiếu: {}.", vi.join("; ")),
            format!("The dossier is missing: {}.", en.join("; ")),
        ));
    }
    Ok(())
}

/// The deadline of the step a dossier is waiting for, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    pub due: NaiveDate,
    /// Who is waiting on whom: "appraisal" (security unit) or "approval" (approver).
    pub step: &'static str,
    /// The article that sets the limit ("NĐ 331 Đ23.3.a"), or None for the authority's own
    /// limit where the law sets none (levels 1–2): a local policy.
    pub basis: Option<String>,
    /// While a dossier waits for appraisal: the day by which an incomplete dossier must be
    /// answered (5 working days from receipt, NĐ 331 Đ23.2; TT 03/2017 Đ14.3).
    pub incomplete_reply_due: Option<NaiveDate>,
}

pub fn deadline(
    state: DossierState,
    level: u8,
    submitted: Option<NaiveDate>,
    appraised: Option<NaiveDate>,
    rs: &Ruleset,
    holidays: &Holidays,
) -> Option<Deadline> {
    let idx = usize::from(level.clamp(1, 5) - 1);
    match (state, submitted, appraised) {
        (DossierState::Submitted, Some(s), _) => {
            let (due, basis) = match rs.appraisal_limit.get(idx).copied().flatten() {
                Some((days, article)) => {
                    let due = match rs.appraisal_counting {
                        DayCount::Calendar => s + chrono::Days::new(u64::from(days)),
                        DayCount::Working => holidays.add_working_days(s, days),
                    };
                    (due, Some(rs.article(article)))
                }
                None => (holidays.add_working_days(s, rs.local_appraisal_working_days), None),
            };
            let incomplete_reply_due = Some(holidays.add_working_days(s, rs.incomplete_reply_working_days.0));
            Some(Deadline { due, step: "appraisal", basis, incomplete_reply_due })
        }
        (DossierState::Appraised, _, Some(a)) => {
            let (days, article) = rs.approval_working_days;
            Some(Deadline {
                due: holidays.add_working_days(a, days),
                step: "approval",
                basis: Some(rs.article(article)),
                incomplete_reply_due: None,
            })
        }
        _ => None,
    }
}

/// Largest dossier attachment accepted.
pub const MAX_ATTACHMENT_BYTES: usize = 20 * 1024 * 1024;

/// What a dossier accepts: PDF, Word/Excel (DOCX/XLSX and the old DOC/XLS), ODF, PNG, JPEG, ZIP.
pub const ATTACHMENTS: FilePolicy = FilePolicy {
    field: "file",
    kinds: &[
        FileKind::Pdf,
        FileKind::Doc,
        FileKind::Docx,
        FileKind::Xls,
        FileKind::Xlsx,
        FileKind::Odt,
        FileKind::Ods,
        FileKind::Png,
        FileKind::Jpeg,
        FileKind::Zip,
    ],
    max_bytes: MAX_ATTACHMENT_BYTES,
};

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::system::level::ruleset_by_code;

    #[test]
    fn only_the_owner_edits_and_only_a_draft_or_returned_dossier() {
        use crate::role::Role;
        use crate::scope::{Actor, Grant};
        let system = UnitAt { id: 9, path: "/1/5/9/".into() };
        for role in Role::ALL {
            let a = Actor {
                user_id: 1,
                username: "u".into(),
                token_id: None,
                grants: vec![Grant { role, unit_id: 5, unit_path: "/1/5/".into(), recursive: true }],
            };
            for state in DossierState::ALL.iter().copied() {
                let ok = matches!(
                    role,
                    Role::Administrator | Role::AuthorityOfficer | Role::UnitManager | Role::UnitOfficer
                ) && matches!(state, DossierState::Draft | DossierState::Returned);
                assert_eq!(may_edit(&a, state, &system).is_ok(), ok, "{role:?} {state:?}");
            }
        }
    }

    #[test]
    fn every_state_and_action_is_decided() {
        use DossierAction as A;
        use DossierState as S;
        let mut allowed = 0;
        for s in S::ALL {
            for a in A::ALL {
                if let Ok(next) = next_state(*s, *a) {
                    allowed += 1;
                    assert_ne!(next, *s);
                }
            }
        }
        assert_eq!(allowed, 6);
        assert_eq!(next_state(S::Returned, A::Submit), Ok(S::Submitted));
        assert!(next_state(S::Draft, A::Approve).is_err(), "no approval without appraisal");
        assert!(next_state(S::Approved, A::Return).is_err());
        assert!(next_state(S::Superseded, A::Submit).is_err());
    }

    #[test]
    fn nd331_d18_d20_approvers_and_appraisers_depend_on_level() {
        let rs =
            ruleset_by_code("nd331-2026").unwrap_or_else(|| super::super::level::ruleset_for(NaiveDate::default()));
        assert!(roles_for(DossierAction::Approve, 2, &rs).contains(&Role::AuthorityOfficer));
        assert!(!roles_for(DossierAction::Approve, 3, &rs).contains(&Role::AuthorityOfficer));
        assert!(roles_for(DossierAction::Approve, 3, &rs).contains(&Role::UnitManager));
        assert!(roles_for(DossierAction::Appraise, 3, &rs).contains(&Role::AuthorityOfficer));
        assert!(!roles_for(DossierAction::Appraise, 3, &rs).contains(&Role::UnitManager));
        // NĐ 331 Đ18.3: levels 4–5 are appraised by the ministry; its result is recorded.
        assert!(rs.appraiser[3].is_outside() && rs.appraiser[4].is_outside());
    }

    #[test]
    fn nd85_d14_3_c_level_5_is_approved_by_the_prime_ministers_list() {
        use super::super::level::{Authority, Step};
        let nd85 = ruleset_by_code("nd85-2016").unwrap();
        assert_eq!(nd85.approver[4], Authority::PrimeMinister);
        assert_eq!(nd85.approver[3], Authority::Owner, "level 4: the owning body (Đ14.3.b)");
        // The decision is recorded by the owning body's people or the standing body, not clicked.
        assert!(nd85.approver[4].is_outside());
        assert!(roles_for(DossierAction::Approve, 5, &nd85).contains(&Role::AuthorityOfficer));
        // NĐ 331 has no such list for level 5: the owning body approves (Đ20).
        assert_eq!(ruleset_by_code("nd331-2026").unwrap().approver[4], Authority::Owner);
        assert!(!Authority::PrimeMinister.can_take(Step::Appraise) && !Authority::Ministry.can_take(Step::Approve));
    }

    #[test]
    fn nd85_d15_nd331_d21_submissions_need_parts_and_reasons() {
        let rs = ruleset_by_code("nd85-2016").unwrap();
        let all = [Part::Overview, Part::Design, Part::LevelJustification, Part::ProtectionPlan];
        assert!(check_submission(3, 3, None, &all, &rs).is_ok());
        assert!(check_submission(4, 4, None, &all, &rs).is_err(), "expert opinion for level 4");
        assert!(check_submission(2, 3, None, &all, &rs).is_err(), "a lower level needs a reason");
        assert!(check_submission(2, 3, Some("Chỉ phục vụ nội bộ phòng ban"), &all, &rs).is_ok());
        assert!(check_submission(6, 6, None, &all, &rs).is_err());
        let e = check_submission(3, 3, None, &all[..2], &rs).unwrap_err();
        assert!(e.message(Lang::Vi).contains("Thuyết minh đề xuất cấp độ"));
    }

    #[test]
    fn nd331_d22_5_levels_4_and_5_include_the_risk_assessment_report() {
        let four = [Part::Overview, Part::Design, Part::LevelJustification, Part::ProtectionPlan, Part::ExpertOpinion];
        assert!(check_submission(4, 4, None, &four, &ruleset_by_code("nd85-2016").unwrap()).is_ok());
        let nd331 = ruleset_by_code("nd331-2026").unwrap();
        let e = check_submission(4, 4, None, &four, &nd331).unwrap_err();
        assert!(e.message(Lang::En).contains("risk assessment"), "{e:?}");
        let mut all = four.to_vec();
        all.push(Part::RiskAssessment);
        assert!(check_submission(5, 5, None, &all, &nd331).is_ok());
        assert!(check_submission(3, 3, None, &four[..4], &nd331).is_ok(), "not at level 3");
    }

    #[test]
    fn nd331_d23_3_d24_2_appraisal_and_approval_in_working_days() {
        let rs = ruleset_by_code("nd331-2026").unwrap();
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap_or_default();
        let h = Holidays::default();
        let dl = deadline(DossierState::Submitted, 3, Some(d(2026, 11, 23)), None, &rs, &h).unwrap();
        assert_eq!(
            (dl.due, dl.step, dl.basis.as_deref()),
            (d(2026, 12, 14), "appraisal", Some("NĐ 331 Đ23.3.a")),
            "15 working days"
        );
        assert_eq!(dl.incomplete_reply_due, Some(d(2026, 11, 30)), "NĐ 331 Đ23.2: 5 working days");
        let dl = deadline(DossierState::Submitted, 4, Some(d(2026, 11, 23)), None, &rs, &h).unwrap();
        assert_eq!((dl.due, dl.basis.as_deref()), (d(2026, 12, 28), Some("NĐ 331 Đ23.3.b")), "25 working days");
        let dl = deadline(DossierState::Appraised, 4, Some(d(2026, 11, 2)), Some(d(2026, 11, 20)), &rs, &h).unwrap();
        assert_eq!((dl.due, dl.basis.as_deref()), (d(2026, 12, 1), Some("NĐ 331 Đ24.2")));
        assert_eq!(deadline(DossierState::Approved, 3, None, None, &rs, &h), None);
    }

    #[test]
    fn nd85_d16_2_appraisal_in_calendar_days_and_d17_2_approval_in_working_days() {
        let rs = ruleset_by_code("nd85-2016").unwrap();
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap_or_default();
        let h = Holidays::default();
        let dl = deadline(DossierState::Submitted, 3, Some(d(2026, 11, 23)), None, &rs, &h).unwrap();
        assert_eq!((dl.due, dl.basis.as_deref()), (d(2026, 12, 8), Some("NĐ 85 Đ16.2.a")), "15 calendar days");
        let dl = deadline(DossierState::Submitted, 5, Some(d(2026, 11, 23)), None, &rs, &h).unwrap();
        assert_eq!((dl.due, dl.basis.as_deref()), (d(2026, 12, 23), Some("NĐ 85 Đ16.2.b")), "30 calendar days");
        assert_eq!(dl.incomplete_reply_due, Some(d(2026, 11, 30)), "TT 03/2017 Đ14.3");
        let dl = deadline(DossierState::Appraised, 3, None, Some(d(2026, 11, 20)), &rs, &h).unwrap();
        assert_eq!((dl.due, dl.basis.as_deref()), (d(2026, 12, 1), Some("NĐ 85 Đ17.2")));
    }

    #[test]
    fn levels_1_and_2_have_no_legal_appraisal_limit_only_a_local_policy() {
        for code in ["nd85-2016", "nd331-2026"] {
            let rs = ruleset_by_code(code).unwrap();
            let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap_or_default();
            let dl =
                deadline(DossierState::Submitted, 2, Some(d(2026, 11, 23)), None, &rs, &Holidays::default()).unwrap();
            assert_eq!((dl.due, dl.basis), (d(2026, 12, 14), None), "{code}: 15 working days of local policy");
        }
    }
}
