//! The reporting clocks of an incident, per ruleset — the hours and days are data of each
//! ruleset (the standing body may change them), and a clock the ruleset does not have does not
//! run:
//!
//! - QĐ 05/2017 and TT 20/2017 (with NĐ 85): a notice within 5 days of detection (QĐ 05
//!   Đ11.1.a); the initial report at once when the incident is beyond the unit's capacity
//!   (QĐ 05 Đ11.1.b; TT 20 Đ9.2); the closing report within 5 days after the response ends
//!   (QĐ 05 Đ11.3). No 72-hour report.
//! - NĐ 331/2026 Đ31.2.d: at once on signs of harm to national security or public order; the
//!   initial notice of a serious incident within 24 hours of detection; the report on cause,
//!   scope and remediation within 72 hours, for every incident.
//! - For both: a personal-data breach is notified within 72 hours (Luật 91/2025 Đ23).
//! - A city overlay the operator may turn on (Hải Phòng's plan V.1.9: reported to the city
//!   police within 24 hours) — never a national default.

use super::ReportKind;
use crate::{Lang, Result};
use serde::{Deserialize, Serialize};

const HOUR_MS: i64 = 3_600_000;

/// The deadlines of a ruleset, in hours (closing: days); `None` where the ruleset has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ClockRules {
    /// Notice of every incident, from detection.
    pub notice_hours: Option<i64>,
    /// Initial report of every incident, from detection (no ruleset has one by default).
    pub initial_hours: Option<i64>,
    /// Initial report when the incident is beyond the unit's capacity, from when that was said.
    pub beyond_capacity_hours: Option<i64>,
    /// Initial report of a serious incident, from detection.
    pub serious_initial_hours: Option<i64>,
    /// Report on signs of harm to national security or public order, from when they were seen.
    pub security_hours: Option<i64>,
    /// Cause, scope and remediation, from detection.
    pub cause_hours: Option<i64>,
    /// Closing report, days after the response ends.
    pub closing_days: Option<i64>,
    /// Notice of a personal-data breach, from when it was known.
    pub personal_data_hours: Option<i64>,
    /// A city's own report to its police, from detection (an overlay, off by default).
    pub city_hours: Option<i64>,
}

impl ClockRules {
    /// QĐ 05/2017 and TT 20/2017, the incident rules beside NĐ 85/2016.
    pub fn legacy() -> ClockRules {
        ClockRules {
            notice_hours: Some(5 * 24),
            beyond_capacity_hours: Some(0),
            closing_days: Some(5),
            personal_data_hours: Some(72),
            ..Default::default()
        }
    }

    /// NĐ 331/2026 Đ31.2.d.
    pub fn nd331() -> ClockRules {
        ClockRules {
            serious_initial_hours: Some(24),
            security_hours: Some(0),
            cause_hours: Some(72),
            personal_data_hours: Some(72),
            ..Default::default()
        }
    }

    /// The defaults of a ruleset: NĐ 85's era keeps QĐ 05/TT 20, later ones NĐ 331.
    pub fn of_ruleset(code: &str) -> ClockRules {
        if code == "nd85-2016" {
            ClockRules::legacy()
        } else {
            ClockRules::nd331()
        }
    }

    pub fn check(&self) -> Result<()> {
        let ok = |v: Option<i64>, max: i64| v.is_none_or(|v| (0..=max).contains(&v));
        let hours = [
            self.notice_hours,
            self.initial_hours,
            self.beyond_capacity_hours,
            self.serious_initial_hours,
            self.security_hours,
            self.cause_hours,
            self.personal_data_hours,
            self.city_hours,
        ];
        if hours.iter().all(|h| ok(*h, 720)) && ok(self.closing_days, 60) {
            Ok(())
        } else {
            Err(crate::Error::invalid(
                "clock_rules",
                "Thời hạn phải từ 0 đến 720 giờ (kết thúc: 0 đến 60 ngày).",
                "Deadlines are 0 to 720 hours (closing: 0 to 60 days).",
            ))
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ClockKind {
    Notice,
    Initial,
    Security,
    Cause,
    Closing,
    PersonalData,
    City,
}

/// Compares with a code, as the enums of `code_enum!` do.
impl PartialEq<&str> for ClockKind {
    fn eq(&self, other: &&str) -> bool {
        self.code() == *other
    }
}

impl ClockKind {
    pub const ALL: [ClockKind; 7] = [
        ClockKind::Notice,
        ClockKind::Initial,
        ClockKind::Security,
        ClockKind::Cause,
        ClockKind::Closing,
        ClockKind::PersonalData,
        ClockKind::City,
    ];

    /// The reports that stop this clock (the first filed counts).
    pub fn reports(self) -> &'static [ReportKind] {
        match self {
            ClockKind::Notice => &[ReportKind::Notice, ReportKind::Initial],
            ClockKind::Initial | ClockKind::Security => &[ReportKind::Initial],
            ClockKind::Cause => &[ReportKind::Progress],
            ClockKind::Closing => &[ReportKind::Closing],
            ClockKind::PersonalData => &[ReportKind::DataBreachNotice],
            ClockKind::City => &[ReportKind::Notice, ReportKind::Initial],
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            ClockKind::Notice => "notice",
            ClockKind::Initial => "initial",
            ClockKind::Security => "security",
            ClockKind::Cause => "cause",
            ClockKind::Closing => "closing",
            ClockKind::PersonalData => "personal_data",
            ClockKind::City => "city",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ClockKind::Notice => lang.pick("Thông báo sự cố", "Incident notice"),
            ClockKind::Initial => lang.pick("Báo cáo ban đầu", "Initial report"),
            ClockKind::Security => lang.pick(
                "Báo cáo ngay (dấu hiệu xâm phạm an ninh quốc gia, trật tự)",
                "Immediate report (signs of harm to national security or public order)",
            ),
            ClockKind::Cause => {
                lang.pick("Báo cáo nguyên nhân, phạm vi, khắc phục", "Cause, scope and remediation report")
            }
            ClockKind::Closing => lang.pick("Báo cáo kết thúc", "Closing report"),
            ClockKind::PersonalData => lang.pick("Thông báo vi phạm dữ liệu cá nhân", "Personal-data breach notice"),
            ClockKind::City => {
                lang.pick("Báo cáo công an thành phố (quy định của thành phố)", "Report to the city police (city rule)")
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ClockStatus {
    /// Not started (the closing clock before the response ends).
    Waiting,
    Running,
    Overdue,
    Met,
    MetLate,
}

impl ClockStatus {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ClockStatus::Waiting => lang.pick("Chưa bắt đầu", "Not started"),
            ClockStatus::Running => lang.pick("Đang chạy", "Running"),
            ClockStatus::Overdue => lang.pick("Quá hạn", "Overdue"),
            ClockStatus::Met => lang.pick("Đúng hạn", "Met"),
            ClockStatus::MetLate => lang.pick("Nộp muộn", "Met late"),
        }
    }
}

/// The facts the clocks depend on, in UTC milliseconds; a flag's time is when it was said.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClockFacts {
    pub detected_ms: i64,
    /// When the incident was (last) flagged serious.
    pub serious_since_ms: Option<i64>,
    /// When the unit said it is beyond its capacity.
    pub beyond_capacity_since_ms: Option<i64>,
    /// When signs of harm to national security or public order were reported.
    pub security_since_ms: Option<i64>,
    /// When the incident was known to breach personal data.
    pub personal_data_since_ms: Option<i64>,
    /// When the response ended (the incident entered review).
    pub response_ended_ms: Option<i64>,
}

/// The due time of each clock (None: the ruleset has no such clock, or it has not started).
pub fn due_times(rules: &ClockRules, f: &ClockFacts) -> [(ClockKind, Option<i64>); 7] {
    let after = |from: Option<i64>, hours: Option<i64>| Some(from? + hours? * HOUR_MS);
    let detected = Some(f.detected_ms);
    let initial = [
        after(detected, rules.initial_hours),
        after(f.beyond_capacity_since_ms.map(|t| t.max(f.detected_ms)), rules.beyond_capacity_hours),
        // A serious incident's initial notice counts from detection (NĐ 331 Đ31.2.d).
        f.serious_since_ms.and_then(|_| after(detected, rules.serious_initial_hours)),
    ]
    .into_iter()
    .flatten()
    .min();
    [
        (ClockKind::Notice, after(detected, rules.notice_hours)),
        (ClockKind::Initial, initial),
        (ClockKind::Security, after(f.security_since_ms.map(|t| t.max(f.detected_ms)), rules.security_hours)),
        (ClockKind::Cause, after(detected, rules.cause_hours)),
        (ClockKind::Closing, after(f.response_ended_ms, rules.closing_days.map(|d| d * 24))),
        (
            ClockKind::PersonalData,
            after(f.personal_data_since_ms.map(|t| t.max(f.detected_ms)), rules.personal_data_hours),
        ),
        (ClockKind::City, after(detected, rules.city_hours)),
    ]
}

/// A clock's state now, given when its report was filed.
pub fn status(due_ms: Option<i64>, met_ms: Option<i64>, now_ms: i64) -> ClockStatus {
    match (due_ms, met_ms) {
        (_, Some(m)) if due_ms.is_none_or(|d| m <= d) => ClockStatus::Met,
        (_, Some(_)) => ClockStatus::MetLate,
        (None, None) => ClockStatus::Waiting,
        (Some(d), None) if now_ms > d => ClockStatus::Overdue,
        (Some(_), None) => ClockStatus::Running,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn due(rules: &ClockRules, f: &ClockFacts, kind: ClockKind) -> Option<i64> {
        due_times(rules, f).into_iter().find(|(k, _)| *k == kind).and_then(|(_, d)| d)
    }

    const D: i64 = 1_000 * HOUR_MS;

    #[test]
    fn qd05_d11_notice_in_5_days_initial_at_once_beyond_capacity_closing_5_days_and_no_72h() {
        let r = ClockRules::legacy();
        let f = ClockFacts { detected_ms: D, ..Default::default() };
        assert_eq!(due(&r, &f, ClockKind::Notice), Some(D + 120 * HOUR_MS), "QĐ 05 Đ11.1.a: 5 days");
        assert_eq!(due(&r, &f, ClockKind::Initial), None, "no initial report unless beyond capacity");
        assert_eq!(due(&r, &f, ClockKind::Cause), None, "QĐ 05 has no 72-hour report");
        let beyond = ClockFacts {
            beyond_capacity_since_ms: Some(D + 3 * HOUR_MS),
            response_ended_ms: Some(D + 50 * HOUR_MS),
            ..f
        };
        assert_eq!(due(&r, &beyond, ClockKind::Initial), Some(D + 3 * HOUR_MS), "QĐ 05 Đ11.1.b: at once");
        assert_eq!(due(&r, &beyond, ClockKind::Closing), Some(D + 50 * HOUR_MS + 5 * 24 * HOUR_MS), "QĐ 05 Đ11.3");
        // A serious incident does not start a 24-hour clock under the legacy rules.
        let serious = ClockFacts { serious_since_ms: Some(D), ..f };
        assert_eq!(due(&r, &serious, ClockKind::Initial), None);
    }

    #[test]
    fn nd331_d31_2_d_at_once_on_security_signs_24h_for_serious_72h_for_all() {
        let r = ClockRules::nd331();
        let f = ClockFacts { detected_ms: D, ..Default::default() };
        assert_eq!(due(&r, &f, ClockKind::Cause), Some(D + 72 * HOUR_MS), "72 h for every incident");
        assert_eq!(due(&r, &f, ClockKind::Initial), None, "no 24 h clock for an incident that is not serious");
        assert_eq!(due(&r, &f, ClockKind::Notice), None);
        assert_eq!(due(&r, &f, ClockKind::Closing), None);
        let serious = ClockFacts { serious_since_ms: Some(D + 30 * HOUR_MS), ..f };
        assert_eq!(due(&r, &serious, ClockKind::Initial), Some(D + 24 * HOUR_MS), "24 h from detection");
        let signs = ClockFacts { security_since_ms: Some(D + 2 * HOUR_MS), ..f };
        assert_eq!(due(&r, &signs, ClockKind::Security), Some(D + 2 * HOUR_MS), "at once");
    }

    #[test]
    fn luat_91_2025_d23_a_personal_data_breach_is_notified_within_72h_and_city_overlays_are_off_by_default() {
        for r in [ClockRules::legacy(), ClockRules::nd331()] {
            let f = ClockFacts { detected_ms: D, personal_data_since_ms: Some(D + HOUR_MS), ..Default::default() };
            assert_eq!(due(&r, &f, ClockKind::PersonalData), Some(D + 73 * HOUR_MS));
            assert_eq!(due(&r, &f, ClockKind::City), None, "Hải Phòng's 24 h is the operator's choice");
        }
        let hai_phong = ClockRules { city_hours: Some(24), ..ClockRules::nd331() };
        assert_eq!(
            due(&hai_phong, &ClockFacts { detected_ms: D, ..Default::default() }, ClockKind::City),
            Some(D + 24 * HOUR_MS)
        );
    }

    #[test]
    fn statuses() {
        assert_eq!(status(None, None, 5), ClockStatus::Waiting);
        assert_eq!(status(Some(10), None, 5), ClockStatus::Running);
        assert_eq!(status(Some(10), None, 11), ClockStatus::Overdue);
        assert_eq!(status(Some(10), Some(10), 50), ClockStatus::Met);
        assert_eq!(status(Some(10), Some(12), 50), ClockStatus::MetLate);
        assert!(ClockRules { initial_hours: Some(-1), ..Default::default() }.check().is_err());
    }
}
