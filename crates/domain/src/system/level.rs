//! Security-level rules as versioned data. Each ruleset carries its thresholds and deadlines and
//! the date it takes effect; a system is judged by the ruleset in force on the dossier's date.
//! Figures marked Low–Med confidence in REGULATIONS.md (NĐ 331/2026) are data here, shown with
//! the ruleset's name, so an operator can see which rule produced a suggestion.

use super::{InfraScope, SecretGrade, SystemType};
use crate::Msg;
use chrono::NaiveDate;
use serde::Serialize;

/// Who acts on a dossier at a given level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Authority {
    /// The dedicated information-security unit / the city's standing body (authority officers).
    SecurityUnit,
    /// The owning unit's leadership (unit managers of the owner unit).
    Owner,
}

#[derive(Debug, Clone, Serialize)]
pub struct Ruleset {
    pub code: &'static str,
    pub name: &'static str,
    pub effective_from: NaiveDate,
    /// Data subjects whose personal data make a system level 3.
    pub basic_subjects_l3: i64,
    /// Data subjects whose sensitive personal data make a system level 3 (None: not a criterion).
    pub sensitive_subjects_l3: Option<i64>,
    /// Handling administrative procedures makes a system level 3.
    pub admin_procedures_l3: bool,
    /// Online public-service level from which a system is level 3.
    pub online_service_level_l3: u8,
    /// Appraisal deadline in working days, by level 1..=5.
    pub appraisal_days: [u32; 5],
    pub approval_days: u32,
    /// Periodic independent assessment interval in months, by level (None: organisation-wide only).
    pub assessment_months: [Option<u32>; 5],
    /// Whole-organisation assessment interval, months.
    pub organisation_assessment_months: u32,
    pub appraiser: [Authority; 5],
    pub approver: [Authority; 5],
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

impl Authority {
    pub const ALL: [Authority; 2] = [Authority::SecurityUnit, Authority::Owner];

    pub fn code(self) -> &'static str {
        match self {
            Authority::SecurityUnit => "security_unit",
            Authority::Owner => "owner",
        }
    }

    pub fn label(self, lang: crate::Lang) -> &'static str {
        match self {
            Authority::SecurityUnit => lang.pick("Đơn vị chuyên trách / cơ quan thường trực", "Dedicated security unit / standing body"),
            Authority::Owner => lang.pick("Lãnh đạo đơn vị chủ quản", "The owner unit's leadership"),
        }
    }

    pub fn parse(s: &str) -> crate::Result<Authority> {
        Authority::ALL.into_iter().find(|a| a.code() == s.trim()).ok_or_else(|| {
            crate::Error::invalid("authority", format!("«{s}» không hợp lệ; chọn security_unit hoặc owner."), format!("«{s}» is not valid; choose security_unit or owner."))
        })
    }
}

/// The two dossier steps whose actor the authority may configure per level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Appraise,
    Approve,
}

impl Step {
    pub fn code(self) -> &'static str {
        match self {
            Step::Appraise => "appraise",
            Step::Approve => "approve",
        }
    }

    pub fn parse(s: &str) -> crate::Result<Step> {
        match s.trim() {
            "appraise" => Ok(Step::Appraise),
            "approve" => Ok(Step::Approve),
            other => Err(crate::Error::invalid("step", format!("«{other}» không hợp lệ; chọn appraise hoặc approve."), format!("«{other}» is not valid; choose appraise or approve."))),
        }
    }
}

impl Ruleset {
    /// The ruleset with the operator's choices of who appraises and approves at each level.
    pub fn with_authorities(mut self, choices: &[(u8, Step, Authority)]) -> Ruleset {
        for (level, step, who) in choices {
            if (1..=5).contains(level) {
                let idx = usize::from(level - 1);
                match step {
                    Step::Appraise => self.appraiser[idx] = *who,
                    Step::Approve => self.approver[idx] = *who,
                }
            }
        }
        self
    }
}

/// The rulesets Khiên knows, oldest first.
pub fn rulesets() -> Vec<Ruleset> {
    use Authority::*;
    vec![
        Ruleset {
            code: "nd85-2016",
            name: "Nghị định 85/2016/NĐ-CP",
            effective_from: date(2016, 7, 1),
            basic_subjects_l3: 10_000,
            sensitive_subjects_l3: None,
            admin_procedures_l3: false,
            online_service_level_l3: 3,
            appraisal_days: [15, 15, 15, 30, 30],
            approval_days: 7,
            assessment_months: [None, None, Some(12), Some(12), Some(6)],
            organisation_assessment_months: 24,
            appraiser: [SecurityUnit; 5],
            approver: [SecurityUnit, SecurityUnit, Owner, Owner, Owner],
        },
        Ruleset {
            code: "nd331-2026",
            name: "Nghị định 331/2026/NĐ-CP",
            effective_from: date(2026, 8, 19),
            basic_subjects_l3: 100_000,
            sensitive_subjects_l3: Some(10_000),
            admin_procedures_l3: true,
            online_service_level_l3: 3,
            appraisal_days: [15, 15, 15, 25, 25],
            approval_days: 7,
            assessment_months: [None, None, Some(12), Some(12), Some(6)],
            organisation_assessment_months: 24,
            appraiser: [SecurityUnit; 5],
            approver: [SecurityUnit, SecurityUnit, Owner, Owner, Owner],
        },
    ]
}

/// The ruleset in force on a date (the newest whose effective date has come).
pub fn ruleset_for(on: NaiveDate) -> Ruleset {
    let mut all = rulesets();
    let idx = all.iter().rposition(|r| r.effective_from <= on).unwrap_or(0);
    all.swap_remove(idx)
}

pub fn ruleset_by_code(code: &str) -> Option<Ruleset> {
    rulesets().into_iter().find(|r| r.code == code)
}

/// The attributes of a system that decide its level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelInputs {
    pub system_type: SystemType,
    pub info_private: bool,
    pub info_personal: bool,
    pub secret: SecretGrade,
    pub subjects_basic: i64,
    pub subjects_sensitive: i64,
    pub handles_admin_procedures: bool,
    /// Online public-service level 0–4 (0: none).
    pub online_service_level: u8,
    pub infra_scope: InfraScope,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    pub level: u8,
    pub ruleset: &'static str,
    /// Each criterion that applied, with the level it leads to.
    pub reasons: Vec<(u8, Msg)>,
}

/// Suggests a level 1–5 and says which criteria led there. The highest criterion wins.
pub fn suggest(inputs: &LevelInputs, rs: &Ruleset) -> Suggestion {
    let mut reasons: Vec<(u8, Msg)> = Vec::new();
    let mut add = |level: u8, vi: String, en: String| reasons.push((level, Msg::new(vi, en)));
    if inputs.info_private || inputs.info_personal {
        add(2, "Xử lý thông tin riêng hoặc thông tin cá nhân".into(), "Processes private or personal information".into());
    }
    if inputs.subjects_basic >= rs.basic_subjects_l3 {
        add(
            3,
            format!("Dữ liệu cá nhân của {} chủ thể (ngưỡng {})", inputs.subjects_basic, rs.basic_subjects_l3),
            format!("Personal data of {} data subjects (threshold {})", inputs.subjects_basic, rs.basic_subjects_l3),
        );
    } else if inputs.subjects_basic > 0 {
        add(2, format!("Dữ liệu cá nhân của {} chủ thể, dưới ngưỡng {}", inputs.subjects_basic, rs.basic_subjects_l3), format!("Personal data of {} data subjects, below the {} threshold", inputs.subjects_basic, rs.basic_subjects_l3));
    }
    if let Some(t) = rs.sensitive_subjects_l3 {
        if inputs.subjects_sensitive >= t {
            add(3, format!("Dữ liệu cá nhân nhạy cảm của {} chủ thể (ngưỡng {t})", inputs.subjects_sensitive), format!("Sensitive personal data of {} data subjects (threshold {t})", inputs.subjects_sensitive));
        }
    }
    if rs.admin_procedures_l3 && inputs.handles_admin_procedures {
        add(3, "Xử lý thủ tục hành chính".into(), "Handles administrative procedures".into());
    }
    if inputs.online_service_level >= rs.online_service_level_l3 {
        add(3, format!("Dịch vụ công trực tuyến mức độ {}", inputs.online_service_level), format!("Online public service at level {}", inputs.online_service_level));
    } else if inputs.online_service_level > 0 {
        add(2, format!("Dịch vụ công trực tuyến mức độ {}", inputs.online_service_level), format!("Online public service at level {}", inputs.online_service_level));
    }
    match inputs.infra_scope {
        InfraScope::None => {}
        InfraScope::OneAgency => add(2, "Hạ tầng phục vụ một cơ quan".into(), "Infrastructure serving one agency".into()),
        InfraScope::Province => add(3, "Hạ tầng dùng chung của tỉnh/thành phố hoặc ngành".into(), "Infrastructure shared by a province or sector".into()),
        InfraScope::National => add(4, "Hạ tầng dùng chung quốc gia".into(), "Nationwide shared infrastructure".into()),
    }
    match inputs.secret {
        SecretGrade::None => {}
        SecretGrade::Confidential => add(3, "Xử lý bí mật nhà nước độ Mật".into(), "Processes state secrets (Confidential)".into()),
        SecretGrade::Secret => add(4, "Xử lý bí mật nhà nước độ Tối mật".into(), "Processes state secrets (Secret)".into()),
        SecretGrade::TopSecret => add(5, "Xử lý bí mật nhà nước độ Tuyệt mật".into(), "Processes state secrets (Top secret)".into()),
    }
    if inputs.system_type == SystemType::IndustrialControl {
        add(3, "Hệ thống điều khiển công nghiệp".into(), "Industrial control system".into());
    }
    if reasons.is_empty() {
        reasons.push((1, Msg::new("Chỉ xử lý thông tin công cộng, phục vụ nội bộ", "Internal use with public information only")));
    }
    let level = reasons.iter().map(|(l, _)| *l).max().unwrap_or(1);
    reasons.sort_by_key(|r| std::cmp::Reverse(r.0));
    Suggestion { level, ruleset: rs.code, reasons }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn base() -> LevelInputs {
        LevelInputs {
            system_type: SystemType::Internal,
            info_private: false,
            info_personal: false,
            secret: SecretGrade::None,
            subjects_basic: 0,
            subjects_sensitive: 0,
            handles_admin_procedures: false,
            online_service_level: 0,
            infra_scope: InfraScope::None,
        }
    }

    #[test]
    fn public_internal_is_level_1() {
        let s = suggest(&base(), &ruleset_for(date(2026, 1, 1)));
        assert_eq!(s.level, 1);
        assert_eq!(s.reasons.len(), 1);
    }

    #[test]
    fn thresholds_depend_on_the_ruleset() {
        let mut i = base();
        i.info_personal = true;
        i.subjects_basic = 50_000;
        assert_eq!(suggest(&i, &ruleset_for(date(2026, 1, 1))).level, 3, "NĐ 85: 10,000 subjects");
        assert_eq!(suggest(&i, &ruleset_for(date(2026, 11, 1))).level, 2, "NĐ 331: 100,000 subjects");
        i.handles_admin_procedures = true;
        let s = suggest(&i, &ruleset_for(date(2026, 11, 1)));
        assert_eq!((s.level, s.ruleset), (3, "nd331-2026"));
        assert!(s.reasons[0].1.vi.contains("thủ tục hành chính"));
    }

    #[test]
    fn highest_criterion_wins() {
        let mut i = base();
        i.secret = SecretGrade::TopSecret;
        i.infra_scope = InfraScope::Province;
        let s = suggest(&i, &ruleset_for(date(2026, 11, 1)));
        assert_eq!(s.level, 5);
        assert_eq!(s.reasons.len(), 2);
        assert_eq!(s.reasons[0].0, 5, "strongest reason first");
    }

    #[test]
    fn rulesets_are_chosen_by_date() {
        assert_eq!(ruleset_for(date(2026, 8, 18)).code, "nd85-2016");
        assert_eq!(ruleset_for(date(2026, 8, 19)).code, "nd331-2026");
        assert_eq!(ruleset_for(date(2010, 1, 1)).code, "nd85-2016");
        assert!(ruleset_by_code("nd331-2026").is_some());
    }
}
