//! The life of a finding and its deadline: open → in remediation → fixed (awaiting
//! verification) → verified, or risk accepted (until a date, then it reopens) or false
//! positive; days to fix by severity × system level, counted from detection.

use chrono::{Days, NaiveDate};

use crate::calendar::Holidays;
use crate::finding::Severity;
use crate::system::code_enum;
use crate::{Error, Lang, Msg, Result};

code_enum!(
    FindingState {
        Open = "open": "Mới phát hiện" / "Open",
        InRemediation = "in_remediation": "Đang khắc phục" / "In remediation",
        Fixed = "fixed": "Đã khắc phục, chờ xác minh" / "Fixed, awaiting verification",
        Verified = "verified": "Đã xác minh" / "Verified",
        RiskAccepted = "risk_accepted": "Chấp nhận rủi ro" / "Risk accepted",
        FalsePositive = "false_positive": "Cảnh báo sai" / "False positive",
    }
);

impl FindingState {
    /// States in which the unit still owes a fix, so the deadline runs and can be missed.
    pub fn owes_fix(self) -> bool {
        matches!(self, FindingState::Open | FindingState::InRemediation)
    }
}

/// Who may make a move: the system's unit, or a verifier (the authority or an independent
/// assessor), who must not be the party that did the fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verifier {
    Unit,
    Authority,
}

/// What a move needs besides the side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FindingMove {
    pub side: Verifier,
    /// Only the unit's manager (or the authority) may accept a risk.
    pub manager_only: bool,
    /// The move must say why (risk acceptance, false positive, a rejected fix, a reopening).
    pub needs_reason: bool,
}

/// Checks a manual move and says who may make it. Reopening after a risk acceptance expires
/// or when a scan finds the problem again is done by the system, not through this check.
pub fn check_move(from: FindingState, to: FindingState) -> Result<FindingMove> {
    use FindingState::*;
    let unit = |needs_reason| FindingMove { side: Verifier::Unit, manager_only: false, needs_reason };
    let authority = |needs_reason| FindingMove { side: Verifier::Authority, manager_only: false, needs_reason };
    let found = match (from, to) {
        (Open, InRemediation) => Some(unit(false)),
        (Open | InRemediation, Fixed) => Some(unit(false)),
        (Open | InRemediation, RiskAccepted) => {
            Some(FindingMove { side: Verifier::Unit, manager_only: true, needs_reason: true })
        }
        (Open | InRemediation, FalsePositive) => Some(unit(true)),
        (Fixed, Verified) => Some(authority(false)),
        (Fixed, InRemediation) => Some(authority(true)),
        (Verified | RiskAccepted | FalsePositive, Open) => Some(authority(true)),
        _ => None,
    };
    found.ok_or_else(|| {
        Error::Conflict(Msg::new(
            format!("Không thể chuyển phát hiện từ «{}» sang «{}».", from.label(Lang::Vi), to.label(Lang::Vi)),
            format!("A finding cannot move from «{}» to «{}».", from.label(Lang::En), to.label(Lang::En)),
        ))
    })
}

/// Longest a risk may be accepted for before it must be looked at again.
pub const MAX_ACCEPTANCE_DAYS: u64 = 366;

/// A risk acceptance names why and until when; the date is after today and at most a year
/// away.
pub fn check_acceptance(reason: Option<&str>, until: Option<NaiveDate>, today: NaiveDate) -> Result<NaiveDate> {
    if reason.map(str::trim).unwrap_or("").chars().count() < 5 {
        return Err(Error::invalid("reason", "Chấp nhận rủi ro phải nêu lý do.", "Accepting a risk needs a reason."));
    }
    let Some(until) = until else {
        return Err(Error::invalid(
            "accepted_until",
            "Chấp nhận rủi ro phải có ngày hết hạn.",
            "Accepting a risk needs an expiry date.",
        ));
    };
    let latest = today.checked_add_days(Days::new(MAX_ACCEPTANCE_DAYS)).unwrap_or(today);
    if until <= today || until > latest {
        return Err(Error::invalid(
            "accepted_until",
            format!("Ngày hết hạn chấp nhận rủi ro phải sau hôm nay và không quá {MAX_ACCEPTANCE_DAYS} ngày."),
            format!("The acceptance must expire after today and within {MAX_ACCEPTANCE_DAYS} days."),
        ));
    }
    Ok(until)
}

/// Days to fix one severity at one level; 0 means no deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PolicyRow {
    pub severity: Severity,
    pub level: u8,
    pub days: u32,
    /// Count working days (skipping weekends and the holiday calendar) rather than calendar days.
    pub working_days: bool,
}

/// The remediation policy: one row per severity and level 1–5.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    rows: Vec<PolicyRow>,
}

/// Khiên's defaults (no regulation fixes these numbers; the authority edits them): critical
/// and high in working days, shorter for higher levels; medium and low in calendar days;
/// informational findings carry no deadline.
const DEFAULT_DAYS: [(Severity, [u32; 5], bool); 5] = [
    (Severity::Critical, [15, 15, 7, 5, 3], true),
    (Severity::High, [30, 30, 20, 15, 10], true),
    (Severity::Medium, [90, 90, 60, 45, 30], false),
    (Severity::Low, [180, 180, 120, 90, 90], false),
    (Severity::Info, [0, 0, 0, 0, 0], false),
];

impl Default for Policy {
    fn default() -> Policy {
        let rows = DEFAULT_DAYS
            .iter()
            .flat_map(|(severity, days, working_days)| {
                (1..=5u8).map(move |level| PolicyRow {
                    severity: *severity,
                    level,
                    days: crate::system::level::per_level(days, level),
                    working_days: *working_days,
                })
            })
            .collect();
        Policy { rows }
    }
}

impl Policy {
    /// The defaults with the authority's rows laid over them.
    pub fn with_overrides(overrides: &[PolicyRow]) -> Policy {
        let mut p = Policy::default();
        for o in overrides {
            if let Some(r) = p.rows.iter_mut().find(|r| r.severity == o.severity && r.level == o.level) {
                *r = *o;
            }
        }
        p
    }

    pub fn rows(&self) -> &[PolicyRow] {
        &self.rows
    }

    pub fn row(&self, severity: Severity, level: u8) -> Option<PolicyRow> {
        self.rows.iter().copied().find(|r| r.severity == severity && r.level == level.clamp(1, 5))
    }

    /// The last day to fix a finding detected on `detected`, for a system of `level`
    /// (a system with no approved level is treated as level 1). `None`: no deadline.
    pub fn due(
        &self,
        severity: Severity,
        level: Option<u8>,
        detected: NaiveDate,
        holidays: &Holidays,
    ) -> Option<NaiveDate> {
        let row = self.row(severity, level.unwrap_or(1))?;
        match (row.days, row.working_days) {
            (0, _) => None,
            (n, true) => Some(holidays.add_working_days(detected, n)),
            (n, false) => detected.checked_add_days(Days::new(u64::from(n))),
        }
    }

    /// Checks a row the authority submits.
    pub fn check_row(row: &PolicyRow) -> Result<()> {
        if !(1..=5).contains(&row.level) {
            return Err(Error::invalid("level", "Cấp độ từ 1 đến 5.", "The level is 1 to 5."));
        }
        if row.days > 730 {
            return Err(Error::invalid("days", "Thời hạn khắc phục tối đa 730 ngày.", "At most 730 days to fix."));
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use FindingState::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_unit_fixes_and_someone_else_verifies() {
        assert_eq!(check_move(Open, InRemediation).unwrap().side, Verifier::Unit);
        assert_eq!(check_move(InRemediation, Fixed).unwrap().side, Verifier::Unit);
        assert_eq!(check_move(Fixed, Verified).unwrap().side, Verifier::Authority);
        assert!(check_move(Fixed, InRemediation).unwrap().needs_reason);
        let accept = check_move(Open, RiskAccepted).unwrap();
        assert!(accept.manager_only && accept.needs_reason);
        assert!(check_move(Verified, Fixed).is_err());
        assert!(check_move(Open, Verified).is_err(), "no one verifies what was never fixed");
        assert!(Open.owes_fix() && InRemediation.owes_fix() && !Fixed.owes_fix() && !RiskAccepted.owes_fix());
    }

    #[test]
    fn acceptance_needs_a_reason_and_a_near_future_expiry() {
        let today = d(2026, 11, 23);
        assert_eq!(check_acceptance(Some("  "), Some(d(2027, 1, 1)), today).unwrap_err().field(), Some("reason"));
        assert_eq!(
            check_acceptance(Some("Hệ thống cũ, chờ thay thế"), None, today).unwrap_err().field(),
            Some("accepted_until")
        );
        assert!(check_acceptance(Some("Hệ thống cũ, chờ thay thế"), Some(today), today).is_err());
        assert!(check_acceptance(Some("Hệ thống cũ, chờ thay thế"), Some(d(2028, 1, 1)), today).is_err());
        assert_eq!(
            check_acceptance(Some("Hệ thống cũ, chờ thay thế"), Some(d(2027, 5, 1)), today).unwrap(),
            d(2027, 5, 1)
        );
    }

    #[test]
    fn deadlines_follow_severity_level_and_the_calendar() {
        let p = Policy::default();
        let mut holidays = Holidays::default();
        // Monday 23/11/2026; critical at level 3 = 7 working days → Wednesday 2/12.
        assert_eq!(p.due(Severity::Critical, Some(3), d(2026, 11, 23), &holidays), Some(d(2026, 12, 2)));
        holidays.0.insert(d(2026, 11, 25));
        assert_eq!(p.due(Severity::Critical, Some(3), d(2026, 11, 23), &holidays), Some(d(2026, 12, 3)));
        assert_eq!(p.due(Severity::Medium, Some(5), d(2026, 11, 23), &holidays), Some(d(2026, 12, 23)));
        assert_eq!(p.due(Severity::Info, Some(5), d(2026, 11, 23), &holidays), None);
        assert_eq!(p.due(Severity::Low, None, d(2026, 1, 1), &holidays), Some(d(2026, 6, 30)));
        let p = Policy::with_overrides(&[PolicyRow {
            severity: Severity::Medium,
            level: 5,
            days: 10,
            working_days: false,
        }]);
        assert_eq!(p.due(Severity::Medium, Some(5), d(2026, 11, 23), &holidays), Some(d(2026, 12, 3)));
        assert!(
            Policy::check_row(&PolicyRow { severity: Severity::Low, level: 6, days: 1, working_days: false }).is_err()
        );
    }
}
