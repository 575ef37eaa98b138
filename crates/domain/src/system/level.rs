//! Security-level rules as versioned data. Each ruleset carries its thresholds and deadlines and
//! the date it takes effect; a system is judged by the ruleset in force on the dossier's date.
//! Figures marked Low–Med confidence in REGULATIONS.md (NĐ 331/2026) are data here, shown with
//! the ruleset's name, so an operator can see which rule produced a suggestion.

use super::{InfraScope, SecretGrade, SecretHarm, SystemType, WorksGrade};
use crate::Msg;
use chrono::NaiveDate;
use serde::Serialize;

/// Who acts on a dossier at a given level (NĐ 85 Đ12; NĐ 331 Đ18, Đ20).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Authority {
    /// The owning body's dedicated information-security unit (in Khiên: the standing body's
    /// officers, unless the authority chooses otherwise).
    SecurityUnit,
    /// The owning body, or the unit it delegated in writing (in Khiên: the owner unit's
    /// leadership).
    Owner,
    /// The ministry (Bộ Công an since 2025; NĐ 331 Đ18): an outside appraisal. Khiên records
    /// the ministry's result (its document's number) rather than offering a button.
    Ministry,
}
#[derive(Debug, Clone, Serialize)]
pub struct Ruleset {
    pub code: &'static str,
    pub name: &'static str,
    pub effective_from: NaiveDate,
    /// Short name used in citations ("NĐ 85").
    pub short: &'static str,
    /// Users (NĐ 85) or data subjects (NĐ 331) whose personal data make an online service for
    /// citizens or businesses level 3; below, level 2. Not a criterion for internal systems.
    pub basic_subjects_l3: i64,
    /// Data subjects whose sensitive personal data make such a service level 3 (None: not a
    /// criterion).
    pub sensitive_subjects_l3: Option<i64>,
    /// Handling administrative procedures makes a system for citizens or businesses level 3.
    pub admin_procedures_l3: bool,
    /// Online public-service level (mức độ) from which a system is level 3; below, level 2.
    /// None where the ruleset has no such scale (NĐ 331).
    pub online_service_level_l3: Option<u8>,
    /// The article behind each criterion, shown with every reason of a suggestion.
    pub articles: &'static [(Criterion, &'static str)],
    /// A transition that keeps an older ruleset for some systems (NĐ 331 Đ39.1).
    pub transition: Option<Transition>,
    /// The dossier includes a detailed risk-assessment report from this level (NĐ 331 Đ22.5).
    pub risk_report_from_level: Option<(u8, &'static str)>,
    /// The system's security rules (quy chế) are issued before the dossier is approved.
    pub security_rules_article: &'static str,
    /// The approved protection plan fully implemented before operation.
    pub golive_plan_article: &'static str,
    /// The security-conditions assessment before operation, where the ruleset asks it.
    pub golive_assessment_article: Option<&'static str>,
    /// The yearly report's calendar: the period ends on (day, month) — it began the day after a
    /// year before — units report to the owning body by, and the owning body to the ministry by.
    pub annual_report: AnnualReport,
    /// The legal appraisal limit by level 1..=5, counted in `appraisal_counting`, with its
    /// article; None where the decree sets none (levels 1–2).
    pub appraisal_limit: [Option<(u32, &'static str)>; 5],
    pub appraisal_counting: DayCount,
    /// The authority's own limit where the law sets none (levels 1–2), in working days: shown
    /// as a local policy, never as law.
    pub local_appraisal_working_days: u32,
    /// Approval limit in working days, with its article.
    pub approval_working_days: (u32, &'static str),
    /// The reply to an incomplete dossier, in working days from receipt, with its article.
    pub incomplete_reply_working_days: (u32, &'static str),
    /// Periodic independent assessment interval in months, by level (None: organisation-wide only).
    pub assessment_months: [Option<u32>; 5],
    /// Whole-organisation assessment interval, months.
    pub organisation_assessment_months: u32,
    pub appraiser: [Authority; 5],
    pub approver: [Authority; 5],
}

/// The yearly report's calendar (NĐ 331 Đ35.3–4; TT 12/2022 Đ13 before it).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct AnnualReport {
    /// (day, month) the period ends on.
    pub period_ends: (u32, u32),
    /// (day, month) by which the dedicated unit and the operator report to the owning body.
    pub units_by: (u32, u32),
    /// (day, month) by which the owning body reports to the ministry (Bộ Công an).
    pub owner_by: (u32, u32),
    pub article: &'static str,
}

/// The current yearly report: the period and its two deadlines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ReportCalendar {
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub units_by: NaiveDate,
    pub owner_by: NaiveDate,
}

impl AnnualReport {
    /// The report being prepared on `today`: the one whose owner deadline has not passed.
    pub fn calendar(&self, today: NaiveDate) -> ReportCalendar {
        use chrono::Datelike;
        let on = |y: i32, (d, m): (u32, u32)| NaiveDate::from_ymd_opt(y, m, d).unwrap_or(today);
        let year = if today > on(today.year(), self.owner_by) { today.year() + 1 } else { today.year() };
        let period_to = on(year, self.period_ends);
        let period_from = on(year - 1, self.period_ends).succ_opt().unwrap_or(period_to);
        ReportCalendar { period_from, period_to, units_by: on(year, self.units_by), owner_by: on(year, self.owner_by) }
    }
}

/// How a legal limit counts its days: "ngày" (calendar days) or "ngày làm việc".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DayCount {
    Calendar,
    Working,
}

/// Systems being built before `built_before` finish their appraisal and approval under the
/// `legacy` ruleset until `until` (NĐ 331 Đ39.1: built before 01/7/2026, within 6 months of
/// the Cybersecurity Law taking effect).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Transition {
    pub built_before: NaiveDate,
    pub legacy: &'static str,
    pub until: NaiveDate,
    pub article: &'static str,
}

/// The criteria of the level decrees, each cited by its article in each ruleset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    InternalPublic,
    InternalPrivate,
    ServesPublic,
    OnlineServiceLow,
    OnlineServiceHigh,
    ConditionalBusiness,
    AdminProcedures,
    PersonalBelow,
    PersonalAbove,
    InfraOneAgency,
    InfraShared,
    InfraNational,
    InfraInternational,
    ControlGrade2To4,
    ControlGrade1,
    ControlSpecial,
    SecretHarm,
    SecretSerious,
    SecretEspeciallySerious,
}

const ND85_ARTICLES: &[(Criterion, &str)] = &[
    (Criterion::InternalPublic, "Đ7"),
    (Criterion::InternalPrivate, "Đ8.1"),
    (Criterion::ServesPublic, "Đ8.2"),
    (Criterion::OnlineServiceLow, "Đ8.2.a"),
    (Criterion::OnlineServiceHigh, "Đ9.2.a"),
    (Criterion::ConditionalBusiness, "Đ9.2.b"),
    (Criterion::PersonalBelow, "Đ8.2.c"),
    (Criterion::PersonalAbove, "Đ9.2.c"),
    (Criterion::InfraOneAgency, "Đ8.3"),
    (Criterion::InfraShared, "Đ9.3"),
    (Criterion::InfraNational, "Đ10.3"),
    (Criterion::InfraInternational, "Đ11.3"),
    (Criterion::ControlGrade2To4, "Đ9.4"),
    (Criterion::ControlGrade1, "Đ10.4"),
    (Criterion::ControlSpecial, "Đ11.4"),
    (Criterion::SecretHarm, "Đ9.1"),
    (Criterion::SecretSerious, "Đ10.1"),
    (Criterion::SecretEspeciallySerious, "Đ11.1"),
];

const ND331_ARTICLES: &[(Criterion, &str)] = &[
    (Criterion::InternalPublic, "Đ11.1"),
    (Criterion::InternalPrivate, "Đ12.1"),
    (Criterion::ServesPublic, "Đ12.2"),
    (Criterion::ConditionalBusiness, "Đ13.2.a"),
    (Criterion::AdminProcedures, "Đ13.2.b"),
    (Criterion::PersonalBelow, "Đ12.2.b"),
    (Criterion::PersonalAbove, "Đ13.2.c"),
    (Criterion::InfraOneAgency, "Đ12.3"),
    (Criterion::InfraShared, "Đ13.3"),
    (Criterion::InfraNational, "Đ14.2"),
    (Criterion::InfraInternational, "Đ15.3"),
    (Criterion::ControlGrade2To4, "Đ13.4"),
    (Criterion::ControlGrade1, "Đ14.3"),
    (Criterion::ControlSpecial, "Đ15.4"),
    (Criterion::SecretHarm, "Đ13.1"),
    (Criterion::SecretSerious, "Đ14.1"),
    (Criterion::SecretEspeciallySerious, "Đ15.1"),
];

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

impl Authority {
    pub const ALL: [Authority; 3] = [Authority::SecurityUnit, Authority::Owner, Authority::Ministry];

    /// Whether the step is taken outside Khiên (its result is recorded).
    pub fn is_outside(self) -> bool {
        self == Authority::Ministry
    }

    pub fn code(self) -> &'static str {
        match self {
            Authority::SecurityUnit => "security_unit",
            Authority::Owner => "owner",
            Authority::Ministry => "ministry",
        }
    }

    pub fn label(self, lang: crate::Lang) -> &'static str {
        match self {
            Authority::SecurityUnit => {
                lang.pick("Đơn vị chuyên trách an toàn thông tin", "The dedicated security unit")
            }
            Authority::Owner => lang.pick(
                "Chủ quản hệ thống (hoặc đơn vị được ủy quyền bằng văn bản)",
                "The owning body (or its written delegate)",
            ),
            Authority::Ministry => lang.pick(
                "Bộ Công an (thẩm định bên ngoài: ghi nhận kết quả)",
                "The Ministry of Public Security (outside appraisal: its result is recorded)",
            ),
        }
    }

    pub fn parse(s: &str) -> crate::Result<Authority> {
        Authority::ALL.into_iter().find(|a| a.code() == s.trim()).ok_or_else(|| {
            crate::Error::invalid(
                "authority",
                format!("«{s}» không hợp lệ; chọn security_unit, owner hoặc ministry."),
                format!("«{s}» is not valid; choose security_unit, owner or ministry."),
            )
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
            other => Err(crate::Error::invalid(
                "step",
                format!("«{other}» không hợp lệ; chọn appraise hoặc approve."),
                format!("«{other}» is not valid; choose appraise or approve."),
            )),
        }
    }
}

impl Ruleset {
    /// "NĐ 85 Đ9.2.c": the article behind a criterion in this ruleset ("NĐ 85" alone when the
    /// ruleset has no such criterion).
    /// An article of this ruleset's decree ("Đ23.2" → "NĐ 331 Đ23.2"); one naming its own
    /// text (a circular) is kept as it is.
    pub fn article(&self, article: &str) -> String {
        if article.starts_with('Đ') {
            format!("{} {article}", self.short)
        } else {
            article.to_string()
        }
    }

    pub fn cite(&self, c: Criterion) -> String {
        match self.articles.iter().find(|(k, _)| *k == c) {
            Some((_, article)) => format!("{} {article}", self.short),
            None => self.short.to_string(),
        }
    }

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
            short: "NĐ 85",
            effective_from: date(2016, 7, 1),
            basic_subjects_l3: 10_000,
            sensitive_subjects_l3: None,
            admin_procedures_l3: false,
            online_service_level_l3: Some(3),
            articles: ND85_ARTICLES,
            transition: None,
            risk_report_from_level: None,
            security_rules_article: "TT 12/2022 Đ9.7",
            golive_plan_article: "TT 12/2022 Đ9.6",
            golive_assessment_article: None,
            annual_report: AnnualReport {
                period_ends: (14, 12),
                units_by: (20, 12),
                owner_by: (25, 12),
                article: "TT 12/2022 Đ13",
            },
            // Đ16.2 says "ngày": calendar days.
            appraisal_limit: [None, None, Some((15, "Đ16.2.a")), Some((30, "Đ16.2.b")), Some((30, "Đ16.2.b"))],
            appraisal_counting: DayCount::Calendar,
            local_appraisal_working_days: 15,
            approval_working_days: (7, "Đ17.2"),
            // NĐ 85 itself is silent; its circular TT 03/2017 Đ14.3 gives 5 working days.
            incomplete_reply_working_days: (5, "TT 03/2017 Đ14.3"),
            assessment_months: [None, None, Some(12), Some(12), Some(6)],
            organisation_assessment_months: 24,
            // Levels 4–5: appraised by the ministry (NĐ 85 Đ12.3: then Bộ TT&TT, since 2025 Bộ
            // Công an; NĐ 331 Đ18.3), approved by the owning body.
            appraiser: [SecurityUnit, SecurityUnit, SecurityUnit, Ministry, Ministry],
            approver: [SecurityUnit, SecurityUnit, Owner, Owner, Owner],
        },
        Ruleset {
            code: "nd331-2026",
            name: "Nghị định 331/2026/NĐ-CP",
            short: "NĐ 331",
            effective_from: date(2026, 8, 19),
            basic_subjects_l3: 100_000,
            sensitive_subjects_l3: Some(10_000),
            admin_procedures_l3: true,
            online_service_level_l3: None,
            articles: ND331_ARTICLES,
            risk_report_from_level: Some((4, "Đ22.5")),
            security_rules_article: "Đ30.7",
            golive_plan_article: "Đ30.6",
            golive_assessment_article: Some("Đ28.3"),
            annual_report: AnnualReport {
                period_ends: (14, 12),
                units_by: (20, 12),
                owner_by: (25, 12),
                article: "NĐ 331 Đ35.3–4",
            },
            transition: Some(Transition {
                built_before: date(2026, 7, 1),
                legacy: "nd85-2016",
                until: date(2027, 1, 1),
                article: "NĐ 331 Đ39.1",
            }),
            appraisal_limit: [None, None, Some((15, "Đ23.3.a")), Some((25, "Đ23.3.b")), Some((25, "Đ23.3.b"))],
            appraisal_counting: DayCount::Working,
            local_appraisal_working_days: 15,
            approval_working_days: (7, "Đ24.2"),
            incomplete_reply_working_days: (5, "Đ23.2"),
            assessment_months: [None, None, Some(12), Some(12), Some(6)],
            organisation_assessment_months: 24,
            // Levels 4–5: appraised by the ministry (NĐ 85 Đ12.3: then Bộ TT&TT, since 2025 Bộ
            // Công an; NĐ 331 Đ18.3), approved by the owning body.
            appraiser: [SecurityUnit, SecurityUnit, SecurityUnit, Ministry, Ministry],
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

/// The ruleset a system's level is determined by on a date: the one in force, unless its
/// transition keeps the older one for a system whose building began before the cut-off
/// (NĐ 331 Đ39.1) — that fact, not only the date, decides.
pub fn ruleset_for_system(on: NaiveDate, building_started: Option<NaiveDate>) -> Ruleset {
    let current = ruleset_for(on);
    match (current.transition, building_started) {
        (Some(t), Some(started)) if started < t.built_before && on < t.until => {
            ruleset_by_code(t.legacy).unwrap_or(current)
        }
        _ => current,
    }
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
    /// The secrecy grade proposes a level; the harm decides it.
    pub secret: SecretGrade,
    pub secret_harm: SecretHarm,
    pub subjects_basic: i64,
    pub subjects_sensitive: i64,
    pub handles_admin_procedures: bool,
    /// Online public-service level 0–4 (0: none).
    pub online_service_level: u8,
    /// An online service in a conditional business line.
    pub conditional_business: bool,
    pub infra_scope: InfraScope,
    /// For industrial control: the grade of the works controlled.
    pub works_grade: WorksGrade,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    pub level: u8,
    pub ruleset: &'static str,
    /// Each criterion that applied, with the level it leads to, its article in the message.
    pub reasons: Vec<(u8, Msg)>,
    /// What the suggestion could not decide and a person must (a secret's harm, the grade of
    /// the works controlled): the level may be higher once it is known.
    pub to_confirm: Vec<Msg>,
}

/// Suggests a level 1–5 by the criteria of the ruleset and says which led there, each with its
/// article. The highest criterion wins (NĐ 331 Đ8.2).
pub fn suggest(i: &LevelInputs, rs: &Ruleset) -> Suggestion {
    let mut reasons: Vec<(u8, Msg)> = Vec::new();
    let mut to_confirm: Vec<Msg> = Vec::new();
    let mut add = |level: u8, c: Criterion, vi: String, en: String| {
        let at = rs.cite(c);
        reasons.push((level, Msg::new(format!("{vi} ({at})"), format!("{en} ({at})"))));
    };
    let private = i.info_private || i.info_personal;
    match i.system_type {
        SystemType::Internal if private => add(
            2,
            Criterion::InternalPrivate,
            "Phục vụ nội bộ, xử lý thông tin riêng hoặc cá nhân".into(),
            "Internal, processes private or personal information".into(),
        ),
        SystemType::Internal => {}
        SystemType::PublicService => {
            add(
                2,
                Criterion::ServesPublic,
                "Phục vụ người dân, doanh nghiệp: từ cấp độ 2".into(),
                "Serves citizens and businesses: level 2 at least".into(),
            );
            public_service(i, rs, &mut add);
        }
        SystemType::InfoInfrastructure if i.infra_scope == InfraScope::None => {
            add(
                2,
                Criterion::InfraOneAgency,
                "Cơ sở hạ tầng thông tin: từ cấp độ 2".into(),
                "Information infrastructure: level 2 at least".into(),
            );
        }
        SystemType::InfoInfrastructure => {}
        SystemType::IndustrialControl => {
            if i.works_grade == WorksGrade::None {
                to_confirm.push(Msg::new(
                    "Hệ thống điều khiển công nghiệp: cần cấp công trình được điều khiển (cấp IV–II: cấp độ 3; cấp I: 4; cấp đặc biệt hoặc quan trọng về an ninh quốc gia: 5).",
                    "Industrial control: the grade of the works controlled is needed (grade IV–II: level 3; grade I: 4; special grade or important to national security: 5).",
                ));
                add(
                    3,
                    Criterion::ControlGrade2To4,
                    "Hệ thống điều khiển công nghiệp: ít nhất cấp độ 3".into(),
                    "Industrial control: level 3 at least".into(),
                );
            }
        }
        SystemType::Other => {
            if private {
                add(
                    2,
                    Criterion::InternalPrivate,
                    "Xử lý thông tin riêng hoặc cá nhân".into(),
                    "Processes private or personal information".into(),
                );
            }
            to_confirm.push(Msg::new(
                "Loại «khác»: cấp độ 1 chỉ dành cho hệ thống nội bộ chỉ xử lý thông tin công cộng; hãy chọn đúng loại hệ thống.",
                "Type «other»: level 1 is only for an internal system with public information only; choose the system's type.",
            ));
        }
    }
    match i.infra_scope {
        InfraScope::None => {}
        InfraScope::OneAgency => add(
            2,
            Criterion::InfraOneAgency,
            "Hạ tầng phục vụ một cơ quan, tổ chức".into(),
            "Infrastructure serving one agency".into(),
        ),
        InfraScope::Province => add(
            3,
            Criterion::InfraShared,
            "Hạ tầng dùng chung của một bộ, ngành, tỉnh hoặc một số tỉnh".into(),
            "Infrastructure shared by a ministry, sector or province(s)".into(),
        ),
        InfraScope::National => add(
            4,
            Criterion::InfraNational,
            "Hạ tầng dùng chung quốc gia, vận hành 24/7".into(),
            "Nationwide shared infrastructure run 24/7".into(),
        ),
        InfraScope::International => add(
            5,
            Criterion::InfraInternational,
            "Hạ tầng quốc gia kết nối quốc tế".into(),
            "National infrastructure connected internationally".into(),
        ),
    }
    match i.works_grade {
        WorksGrade::None => {}
        WorksGrade::Grade4 | WorksGrade::Grade3 | WorksGrade::Grade2 => add(
            3,
            Criterion::ControlGrade2To4,
            "Điều khiển công trình cấp II–IV".into(),
            "Controls works of grade II–IV".into(),
        ),
        WorksGrade::Grade1 => {
            add(4, Criterion::ControlGrade1, "Điều khiển công trình cấp I".into(), "Controls works of grade I".into())
        }
        WorksGrade::Special => add(
            5,
            Criterion::ControlSpecial,
            "Điều khiển công trình cấp đặc biệt".into(),
            "Controls works of special grade".into(),
        ),
        WorksGrade::NationalSecurity => add(
            5,
            Criterion::ControlSpecial,
            "Điều khiển công trình quan trọng về an ninh quốc gia".into(),
            "Controls works important to national security".into(),
        ),
    }
    match i.secret_harm {
        SecretHarm::Harm => add(
            3,
            Criterion::SecretHarm,
            "Bí mật nhà nước: lộ lọt gây tổn hại an ninh quốc gia".into(),
            "State secrets whose breach harms national security".into(),
        ),
        SecretHarm::Serious => add(
            4,
            Criterion::SecretSerious,
            "Bí mật nhà nước: lộ lọt gây tổn hại nghiêm trọng".into(),
            "State secrets whose breach seriously harms national security".into(),
        ),
        SecretHarm::EspeciallySerious => add(
            5,
            Criterion::SecretEspeciallySerious,
            "Bí mật nhà nước: lộ lọt gây tổn hại đặc biệt nghiêm trọng".into(),
            "State secrets whose breach especially seriously harms national security".into(),
        ),
        SecretHarm::None if i.secret != SecretGrade::None => {
            // The grade only proposes: a system with state secrets is level 3 at least, and a
            // person must say the harm.
            let proposed = match i.secret {
                SecretGrade::TopSecret => 5,
                SecretGrade::Secret => 4,
                _ => 3,
            };
            to_confirm.push(Msg::new(
                format!("Xử lý bí mật nhà nước độ «{}»: độ mật đề xuất cấp độ {proposed}; cấp độ do mức tổn hại khi bị lộ quyết định — hãy xác định mức tổn hại.", i.secret.label(crate::Lang::Vi)),
                format!("Processes state secrets graded «{}»: the grade proposes level {proposed}; the harm of a breach decides — determine it.", i.secret.label(crate::Lang::En)),
            ));
            add(
                3,
                Criterion::SecretHarm,
                "Xử lý bí mật nhà nước: ít nhất cấp độ 3".into(),
                "Processes state secrets: level 3 at least".into(),
            );
        }
        SecretHarm::None => {}
    }
    if reasons.is_empty() && to_confirm.is_empty() {
        let at = rs.cite(Criterion::InternalPublic);
        reasons.push((
            1,
            Msg::new(
                format!("Phục vụ nội bộ, chỉ xử lý thông tin công cộng ({at})"),
                format!("Internal, public information only ({at})"),
            ),
        ));
    }
    let level = reasons.iter().map(|(l, _)| *l).max().unwrap_or(2);
    reasons.sort_by_key(|r| std::cmp::Reverse(r.0));
    Suggestion { level, ruleset: rs.code, reasons, to_confirm }
}

/// The criteria of a system serving citizens and businesses: online public services, conditional
/// business lines, administrative procedures, and the personal-data thresholds (which apply to
/// such services only, never to internal systems).
fn public_service(i: &LevelInputs, rs: &Ruleset, add: &mut impl FnMut(u8, Criterion, String, String)) {
    if let Some(l3) = rs.online_service_level_l3 {
        if i.online_service_level >= l3 {
            add(
                3,
                Criterion::OnlineServiceHigh,
                format!("Dịch vụ công trực tuyến mức độ {}", i.online_service_level),
                format!("Online public service at level {}", i.online_service_level),
            );
        } else if i.online_service_level > 0 {
            add(
                2,
                Criterion::OnlineServiceLow,
                format!("Dịch vụ công trực tuyến mức độ {}", i.online_service_level),
                format!("Online public service at level {}", i.online_service_level),
            );
        }
    }
    if rs.admin_procedures_l3 && i.handles_admin_procedures {
        add(
            3,
            Criterion::AdminProcedures,
            "Giải quyết thủ tục hành chính".into(),
            "Handles administrative procedures".into(),
        );
    }
    if i.conditional_business {
        add(
            3,
            Criterion::ConditionalBusiness,
            "Dịch vụ trực tuyến thuộc ngành, nghề kinh doanh có điều kiện".into(),
            "Online service of a conditional business line".into(),
        );
    }
    let sensitive_over = rs.sensitive_subjects_l3.is_some_and(|t| i.subjects_sensitive >= t);
    if i.subjects_basic >= rs.basic_subjects_l3 || sensitive_over {
        let (n, t) = if sensitive_over {
            (i.subjects_sensitive, rs.sensitive_subjects_l3.unwrap_or_default())
        } else {
            (i.subjects_basic, rs.basic_subjects_l3)
        };
        add(
            3,
            Criterion::PersonalAbove,
            format!("Dữ liệu cá nhân của {n} chủ thể (ngưỡng {t})"),
            format!("Personal data of {n} data subjects (threshold {t})"),
        );
    } else if i.info_personal || i.info_private || i.subjects_basic > 0 || i.subjects_sensitive > 0 {
        add(
            2,
            Criterion::PersonalBelow,
            format!(
                "Thông tin riêng, cá nhân của {} chủ thể, dưới ngưỡng {}",
                i.subjects_basic.max(i.subjects_sensitive),
                rs.basic_subjects_l3
            ),
            format!(
                "Private or personal information of {} data subjects, below the {} threshold",
                i.subjects_basic.max(i.subjects_sensitive),
                rs.basic_subjects_l3
            ),
        );
    }
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
            secret_harm: SecretHarm::None,
            subjects_basic: 0,
            subjects_sensitive: 0,
            handles_admin_procedures: false,
            online_service_level: 0,
            conditional_business: false,
            infra_scope: InfraScope::None,
            works_grade: WorksGrade::None,
        }
    }

    fn nd85() -> Ruleset {
        ruleset_by_code("nd85-2016").unwrap()
    }

    fn nd331() -> Ruleset {
        ruleset_by_code("nd331-2026").unwrap()
    }

    fn level(i: &LevelInputs, rs: &Ruleset) -> u8 {
        suggest(i, rs).level
    }

    #[test]
    fn nd85_d7_nd331_d11_1_level_1_only_for_an_internal_system_with_public_information() {
        for rs in [nd85(), nd331()] {
            let s = suggest(&base(), &rs);
            assert_eq!(s.level, 1);
            assert!(s.reasons[0].1.vi.contains(&rs.cite(Criterion::InternalPublic)), "{s:?}");
        }
        assert!(suggest(&base(), &nd85()).reasons[0].1.vi.ends_with("(NĐ 85 Đ7)"));
    }

    #[test]
    fn nd85_d8_2_nd331_d12_2_a_public_portal_with_public_information_is_level_2() {
        let portal = LevelInputs { system_type: SystemType::PublicService, ..base() };
        assert_eq!(level(&portal, &nd85()), 2);
        assert_eq!(level(&portal, &nd331()), 2);
        let infra = LevelInputs { system_type: SystemType::InfoInfrastructure, ..base() };
        assert_eq!(level(&infra, &nd85()), 2, "NĐ 85 Đ8.3: information infrastructure starts at 2");
        assert_eq!(level(&infra, &nd331()), 2, "NĐ 331 Đ12.3");
    }

    #[test]
    fn nd85_d8_2_c_d9_2_c_nd331_d12_2_b_d13_2_c_personal_data_thresholds_for_services_to_citizens_only() {
        let service = LevelInputs {
            system_type: SystemType::PublicService,
            info_personal: true,
            subjects_basic: 50_000,
            ..base()
        };
        assert_eq!(level(&service, &nd85()), 3, "NĐ 85 Đ9.2.c: 10,000 users");
        assert_eq!(level(&service, &nd331()), 2, "NĐ 331 Đ12.2.b: under 100,000 subjects");
        let sensitive = LevelInputs { subjects_sensitive: 10_000, ..service.clone() };
        assert_eq!(level(&sensitive, &nd331()), 3, "NĐ 331 Đ13.2.c: 10,000 sensitive subjects");
        let big = LevelInputs { subjects_basic: 100_000, ..service };
        let s = suggest(&big, &nd331());
        assert_eq!(s.level, 3);
        assert!(s.reasons[0].1.vi.contains("NĐ 331 Đ13.2.c"), "{s:?}");
        // An internal system with personal data of many people is level 2 whatever the count.
        let internal =
            LevelInputs { info_personal: true, subjects_basic: 500_000, subjects_sensitive: 50_000, ..base() };
        assert_eq!(level(&internal, &nd85()), 2, "NĐ 85 Đ8.1");
        assert_eq!(level(&internal, &nd331()), 2, "NĐ 331 Đ12.1");
    }

    #[test]
    fn nd85_d8_2_a_d9_2_a_online_service_levels_and_nd331_d13_2_b_administrative_procedures() {
        let service = |l: u8| LevelInputs { system_type: SystemType::PublicService, online_service_level: l, ..base() };
        assert_eq!(level(&service(2), &nd85()), 2);
        assert_eq!(level(&service(3), &nd85()), 3);
        assert_eq!(level(&service(4), &nd331()), 2, "NĐ 331 has no online-service scale");
        let procedures = LevelInputs { handles_admin_procedures: true, ..service(2) };
        assert_eq!(level(&procedures, &nd331()), 3, "NĐ 331 Đ13.2.b");
        assert_eq!(level(&procedures, &nd85()), 2, "not a criterion of NĐ 85");
    }

    #[test]
    fn nd85_d9_2_b_nd331_d13_2_a_conditional_business_online_services_are_level_3() {
        let shop = LevelInputs { system_type: SystemType::PublicService, conditional_business: true, ..base() };
        for (rs, article) in [(nd85(), "NĐ 85 Đ9.2.b"), (nd331(), "NĐ 331 Đ13.2.a")] {
            let s = suggest(&shop, &rs);
            assert_eq!(s.level, 3);
            assert!(s.reasons[0].1.en.contains(article), "{s:?}");
        }
    }

    #[test]
    fn nd85_d9_4_d10_4_d11_4_nd331_d13_4_d14_3_d15_4_industrial_control_by_the_grade_of_the_works() {
        let ics = |g: WorksGrade| LevelInputs { system_type: SystemType::IndustrialControl, works_grade: g, ..base() };
        for rs in [nd85(), nd331()] {
            assert_eq!(level(&ics(WorksGrade::Grade4), &rs), 3);
            assert_eq!(level(&ics(WorksGrade::Grade2), &rs), 3);
            assert_eq!(level(&ics(WorksGrade::Grade1), &rs), 4);
            assert_eq!(level(&ics(WorksGrade::Special), &rs), 5);
            assert_eq!(level(&ics(WorksGrade::NationalSecurity), &rs), 5);
            let unknown = suggest(&ics(WorksGrade::None), &rs);
            assert_eq!(unknown.level, 3, "at least 3");
            assert!(!unknown.to_confirm.is_empty(), "the grade is asked for");
        }
    }

    #[test]
    fn nd85_d9_1_d11_1_nd331_d13_1_d15_1_state_secrets_by_the_harm_of_a_breach() {
        let secret = |grade: SecretGrade, harm: SecretHarm| LevelInputs { secret: grade, secret_harm: harm, ..base() };
        for rs in [nd85(), nd331()] {
            assert_eq!(level(&secret(SecretGrade::Confidential, SecretHarm::Harm), &rs), 3);
            assert_eq!(
                level(&secret(SecretGrade::Confidential, SecretHarm::Serious), &rs),
                4,
                "the harm decides, not the grade"
            );
            assert_eq!(level(&secret(SecretGrade::TopSecret, SecretHarm::EspeciallySerious), &rs), 5);
            // The grade alone only proposes: level 3 at least, and the harm is asked for.
            let proposed = suggest(&secret(SecretGrade::TopSecret, SecretHarm::None), &rs);
            assert_eq!(proposed.level, 3);
            assert!(proposed.to_confirm[0].vi.contains("đề xuất cấp độ 5"), "{proposed:?}");
        }
    }

    #[test]
    fn nd85_d9_3_d10_3_d11_3_infrastructure_by_its_reach() {
        let infra = |scope: InfraScope| LevelInputs {
            system_type: SystemType::InfoInfrastructure,
            infra_scope: scope,
            ..base()
        };
        for rs in [nd85(), nd331()] {
            assert_eq!(level(&infra(InfraScope::OneAgency), &rs), 2);
            assert_eq!(level(&infra(InfraScope::Province), &rs), 3);
            assert_eq!(level(&infra(InfraScope::National), &rs), 4);
            assert_eq!(level(&infra(InfraScope::International), &rs), 5);
        }
    }

    #[test]
    fn nd331_d8_2_the_highest_criterion_wins() {
        let i = LevelInputs {
            secret: SecretGrade::TopSecret,
            secret_harm: SecretHarm::EspeciallySerious,
            infra_scope: InfraScope::Province,
            ..base()
        };
        let s = suggest(&i, &nd331());
        assert_eq!(s.level, 5);
        assert_eq!(s.reasons.len(), 2);
        assert_eq!(s.reasons[0].0, 5, "strongest reason first");
    }

    #[test]
    fn nd331_d35_the_yearly_report_covers_15_12_to_14_12_due_20_12_and_25_12() {
        let cal = nd331().annual_report.calendar(date(2026, 12, 6));
        assert_eq!((cal.period_from, cal.period_to), (date(2025, 12, 15), date(2026, 12, 14)));
        assert_eq!((cal.units_by, cal.owner_by), (date(2026, 12, 20), date(2026, 12, 25)));
        let after = nd331().annual_report.calendar(date(2026, 12, 26));
        assert_eq!(
            (after.period_from, after.owner_by),
            (date(2026, 12, 15), date(2027, 12, 25)),
            "the next report once this one is due"
        );
    }

    #[test]
    fn rulesets_are_chosen_by_date() {
        assert_eq!(ruleset_for(date(2026, 8, 18)).code, "nd85-2016");
        assert_eq!(ruleset_for(date(2026, 8, 19)).code, "nd331-2026");
        assert_eq!(ruleset_for(date(2010, 1, 1)).code, "nd85-2016");
        assert!(ruleset_by_code("nd331-2026").is_some());
    }

    #[test]
    fn nd331_d39_1_a_system_built_before_1_july_2026_finishes_under_nd85() {
        let nov = date(2026, 11, 1);
        assert_eq!(
            ruleset_for_system(nov, Some(date(2026, 3, 1))).code,
            "nd85-2016",
            "building began before 01/7/2026"
        );
        assert_eq!(
            ruleset_for_system(nov, Some(date(2026, 7, 1))).code,
            "nd331-2026",
            "began on the day: the new decree"
        );
        assert_eq!(ruleset_for_system(nov, None).code, "nd331-2026");
        assert_eq!(
            ruleset_for_system(date(2027, 1, 1), Some(date(2026, 3, 1))).code,
            "nd331-2026",
            "the transition ends six months after 01/7/2026"
        );
    }
}
