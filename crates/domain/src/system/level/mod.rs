//! Security-level rules as versioned data. Each ruleset carries its thresholds and deadlines and
//! the date it takes effect; a system is judged by the ruleset in force on the dossier's date.
//! Figures marked Low–Med confidence in REGULATIONS.md (NĐ 331/2026) are data here, shown with
//! the ruleset's name, so an operator can see which rule produced a suggestion.

mod suggest;
#[cfg(test)]
mod tests;

pub use suggest::{suggest, LevelInputs, Suggestion};

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
    /// The Prime Minister, who approves the list of level-5 systems (NĐ 85 Đ14.3.c): Khiên
    /// records the decision's number; the owning body approves the protection plan.
    PrimeMinister,
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
    pub const ALL: [Authority; 4] =
        [Authority::SecurityUnit, Authority::Owner, Authority::Ministry, Authority::PrimeMinister];

    /// Whether the step is taken outside Khiên (its result is recorded).
    pub fn is_outside(self) -> bool {
        matches!(self, Authority::Ministry | Authority::PrimeMinister)
    }

    /// Whether this authority can take `step` at all: the ministry appraises, the Prime
    /// Minister approves (a list), the others either.
    pub fn can_take(self, step: Step) -> bool {
        match self {
            Authority::Ministry => step == Step::Appraise,
            Authority::PrimeMinister => step == Step::Approve,
            Authority::SecurityUnit | Authority::Owner => true,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Authority::SecurityUnit => "security_unit",
            Authority::Owner => "owner",
            Authority::Ministry => "ministry",
            Authority::PrimeMinister => "prime_minister",
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
            Authority::PrimeMinister => lang.pick(
                "Thủ tướng Chính phủ phê duyệt Danh mục hệ thống cấp độ 5 (ghi nhận số quyết định)",
                "The Prime Minister approves the list of level-5 systems (the decision is recorded)",
            ),
        }
    }

    pub fn parse(s: &str) -> crate::Result<Authority> {
        Authority::ALL.into_iter().find(|a| a.code() == s.trim()).ok_or_else(|| {
            crate::Error::invalid(
                "authority",
                format!("«{s}» không hợp lệ; chọn security_unit, owner, ministry hoặc prime_minister."),
                format!("«{s}» is not valid; choose security_unit, owner, ministry or prime_minister."),
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

/// The entry for `level` in a per-level table (levels 1–5; below 1 reads as 1, above 5 as 5).
pub fn per_level<T: Copy>(table: &[T; 5], level: u8) -> T {
    let [l1, l2, l3, l4, l5] = *table;
    match level {
        0 | 1 => l1,
        2 => l2,
        3 => l3,
        4 => l4,
        _ => l5,
    }
}

impl Ruleset {
    /// Who appraises a dossier of `level` (clamped to 1–5).
    pub fn appraiser_at(&self, level: u8) -> Authority {
        per_level(&self.appraiser, level)
    }

    /// Who approves a dossier of `level` (clamped to 1–5).
    pub fn approver_at(&self, level: u8) -> Authority {
        per_level(&self.approver, level)
    }

    /// Months between periodic assessments of a system of `level` (the organisation-wide
    /// interval where the level has none of its own).
    pub fn assessment_months_of(&self, level: u8) -> u32 {
        self.assessment_months
            .get(usize::from(level.clamp(1, 5) - 1))
            .copied()
            .flatten()
            .unwrap_or(self.organisation_assessment_months)
    }

    /// The earliest assessment date still current on `today` for a system of `level`.
    pub fn assessment_current_since(&self, level: u8, today: NaiveDate) -> NaiveDate {
        today.checked_sub_months(chrono::Months::new(self.assessment_months_of(level))).unwrap_or(today)
    }

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
                let row = match step {
                    Step::Appraise => &mut self.appraiser,
                    Step::Approve => &mut self.approver,
                };
                if let Some(slot) = row.get_mut(usize::from(level - 1)) {
                    *slot = *who;
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
            // Công an); level 4 approved by the owning body (Đ14.3.b), level 5 by the Prime
            // Minister's list of level-5 systems (Đ14.3.c).
            appraiser: [SecurityUnit, SecurityUnit, SecurityUnit, Ministry, Ministry],
            approver: [SecurityUnit, SecurityUnit, Owner, Owner, PrimeMinister],
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
