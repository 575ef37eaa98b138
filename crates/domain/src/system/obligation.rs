//! Recurring duties a system's approved level brings (issue 15.5): how often its owner must scan
//! for vulnerabilities, review logs and accounts, test a restore, drill the incident response,
//! test for penetration and have it assessed. The periods are data — a versioned ruleset the
//! authority may edit — with TCVN 14423:2026's figures as the default (read in the
//! vn-cyber-compliance toolkit's level matrix, a secondary source: Low–Med, so editable).

use crate::system::code_enum;
use crate::{Error, Result};
use chrono::{Months, NaiveDate};

code_enum!(
    /// A recurring duty.
    ObligationKind {
        VulnerabilityScan = "vulnerability_scan": "Rà quét lỗ hổng toàn hệ thống" / "Vulnerability scan of the whole system",
        LogReview = "log_review": "Rà soát nhật ký an ninh mạng" / "Security log review",
        AccountReview = "account_review": "Rà soát danh sách tài khoản" / "Account list review",
        BackupRestoreTest = "backup_restore_test": "Thử khôi phục bản sao lưu" / "Backup restore test",
        IncidentDrill = "incident_drill": "Diễn tập ứng phó sự cố" / "Incident-response drill",
        PenetrationTest = "penetration_test": "Kiểm thử xâm nhập" / "Penetration test",
        Reassessment = "reassessment": "Kiểm tra, đánh giá định kỳ" / "Periodic assessment",
    }
);

code_enum!(
    /// How an occurrence came to be recorded.
    OccurrenceSource {
        Manual = "manual": "Đơn vị ghi nhận" / "Recorded by the unit",
        Scan = "scan": "Nhập kết quả quét" / "Scan import",
        Assessment = "assessment": "Đợt đánh giá" / "Assessment",
        Drill = "drill": "Diễn tập" / "Drill",
    }
);

/// The code of the built-in ruleset.
pub const RULESET: &str = "tcvn-14423-2026";

/// One duty and its period in months at each level (1–5); `None`: no such duty at that level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObligationRule {
    pub kind: ObligationKind,
    pub months: [Option<u32>; 5],
    /// Where the period comes from.
    pub clause: &'static str,
}

/// TCVN 14423:2026's periods: whole-system scans yearly at levels 1–2, 6-monthly at 3–4,
/// quarterly at 5 (x.7.2.1); log reviews yearly, yearly, 6-monthly, monthly, monthly (x.8.2.1 a);
/// account lists yearly, yearly, 6-monthly, quarterly, monthly (x.6.2.1 d); restore tests
/// "periodic" at 1–3 (yearly here, the owner may shorten), 6-monthly at 4, quarterly at 5
/// (x.11.2.1 a, 6.11.2.5, 7.11.2.5); drills from level 3, "periodic" at 3 (yearly here), at
/// least yearly at 4–5 (5.16.1, 6.17.2.6, 7.17.2.6); penetration tests from level 3, by the
/// owner's programme at 3 (yearly here), yearly at 4, 6-monthly at 5 (5.18, 6.18.2.2, 7.18.2.2);
/// periodic assessment every 2 years at 1–2, yearly at 3–4, 6-monthly at 5 (REGULATIONS.md).
pub fn default_rules() -> Vec<ObligationRule> {
    use ObligationKind::*;
    vec![
        ObligationRule {
            kind: VulnerabilityScan,
            months: [Some(12), Some(12), Some(6), Some(6), Some(3)],
            clause: "TCVN 14423:2026 x.7.2.1",
        },
        ObligationRule {
            kind: LogReview,
            months: [Some(12), Some(12), Some(6), Some(1), Some(1)],
            clause: "TCVN 14423:2026 x.8.2.1 a",
        },
        ObligationRule {
            kind: AccountReview,
            months: [Some(12), Some(12), Some(6), Some(3), Some(1)],
            clause: "TCVN 14423:2026 x.6.2.1 d",
        },
        ObligationRule {
            kind: BackupRestoreTest,
            months: [Some(12), Some(12), Some(12), Some(6), Some(3)],
            clause: "TCVN 14423:2026 x.11.2.1 a, 6.11.2.5, 7.11.2.5",
        },
        ObligationRule {
            kind: IncidentDrill,
            months: [None, None, Some(12), Some(12), Some(12)],
            clause: "TCVN 14423:2026 5.16.1, 6.17.2.6, 7.17.2.6",
        },
        ObligationRule {
            kind: PenetrationTest,
            months: [None, None, Some(12), Some(12), Some(6)],
            clause: "TCVN 14423:2026 5.18, 6.18.2.2, 7.18.2.2",
        },
        ObligationRule {
            kind: Reassessment,
            months: [Some(24), Some(24), Some(12), Some(12), Some(6)],
            clause: "Kiểm tra, đánh giá định kỳ theo cấp độ",
        },
    ]
}

/// The duties of a level, with their period in months.
pub fn duties(rules: &[ObligationRule], level: i64) -> Vec<(ObligationKind, u32, &'static str)> {
    let Some(i) = usize::try_from(level).ok().and_then(|l| l.checked_sub(1)) else { return Vec::new() };
    rules.iter().filter_map(|r| r.months.get(i).copied().flatten().map(|m| (r.kind, m, r.clause))).collect()
}

/// A period the authority may set: a month to five years.
pub fn check_months(months: u32) -> Result<u32> {
    if (1..=60).contains(&months) {
        Ok(months)
    } else {
        Err(Error::invalid("months", "Chu kỳ là từ 1 đến 60 tháng.", "A period is 1 to 60 months."))
    }
}

/// When a duty is next due: a period after it was last done, or after the level was approved
/// when it has never been done.
pub fn next_due(last_done: Option<NaiveDate>, approved_on: NaiveDate, months: u32) -> NaiveDate {
    let from = last_done.unwrap_or(approved_on);
    from.checked_add_months(Months::new(months)).unwrap_or(from)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn months(level: i64, kind: ObligationKind) -> Option<u32> {
        duties(&default_rules(), level).into_iter().find(|(k, _, _)| *k == kind).map(|(_, m, _)| m)
    }

    /// TCVN 14423:2026 x.7.2.1: scan the whole system yearly (levels 1–2), every 6 months
    /// (3–4), every quarter (5).
    #[test]
    fn tcvn_14423_2026_x_7_2_1_vulnerability_scan_periods() {
        let scan = ObligationKind::VulnerabilityScan;
        assert_eq!([1, 2, 3, 4, 5].map(|l| months(l, scan)), [Some(12), Some(12), Some(6), Some(6), Some(3)]);
    }

    /// TCVN 14423:2026 6.17.2.6 and 6.18.2.2: from level 4 a drill and a penetration test at
    /// least yearly; level 5 tests every 6 months (7.18.2.2); levels 1–2 have neither.
    #[test]
    fn tcvn_14423_2026_6_17_2_6_and_6_18_2_2_drills_and_penetration_tests() {
        assert_eq!(months(4, ObligationKind::IncidentDrill), Some(12));
        assert_eq!(months(5, ObligationKind::PenetrationTest), Some(6));
        assert_eq!(months(2, ObligationKind::IncidentDrill), None);
        assert_eq!(months(1, ObligationKind::PenetrationTest), None);
        assert_eq!(duties(&default_rules(), 3).len(), 7);
        assert!(duties(&default_rules(), 0).is_empty() && duties(&default_rules(), 6).is_empty());
    }

    #[test]
    fn a_duty_is_due_a_period_after_it_was_last_done() {
        assert_eq!(next_due(None, day(2026, 3, 31), 6), day(2026, 9, 30));
        assert_eq!(next_due(Some(day(2026, 8, 31)), day(2026, 1, 1), 6), day(2027, 2, 28));
        assert!(check_months(0).is_err() && check_months(61).is_err() && check_months(3).is_ok());
    }
}
