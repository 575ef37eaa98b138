//! Botnet IPs inside state networks (issue 18.5; HCM 3131 indicator 4: every botnet IP in a
//! state agency detected, notified and cleaned). A detection — from a sensor's event or a
//! national centre's list — opens a case for the address; the owning unit is notified, says it
//! has cleaned the machine (with evidence), and the authority verifies it. Detected again after
//! that, the case reopens.

use crate::role::Action;
use crate::system::code_enum;
use crate::{Error, Result};

code_enum!(
    /// Where a botnet case stands.
    BotnetState {
        Detected = "detected": "Phát hiện, chưa xác định đơn vị" / "Detected, no unit yet",
        Notified = "notified": "Đã thông báo đơn vị" / "Unit notified",
        Cleaned = "cleaned": "Đơn vị báo đã xử lý" / "Cleaned by the unit",
        Verified = "verified": "Đã xác minh sạch" / "Verified clean",
    }
);

code_enum!(
    /// What someone does to a case.
    BotnetMove {
        Clean = "clean": "Báo đã xử lý, loại bỏ mã độc" / "Report the machine cleaned",
        Verify = "verify": "Xác minh đã sạch" / "Verify it is clean",
        Reject = "reject": "Chưa sạch, trả lại đơn vị" / "Not clean, back to the unit",
    }
);

/// Days the plan gives a unit from notification to cleaning, for "handled in time". The plans
/// (HCM 3131 indicator 4) ask for every botnet IP handled and name no number of days: this is
/// Khiên's default until the authority's rule is configured.
pub const CLEAN_WITHIN_DAYS: i64 = 7;

impl BotnetMove {
    /// Who may make the move on a case of a unit: the unit's people report it cleaned; the
    /// authority (those who verify findings) verifies or rejects.
    pub fn action(self) -> Action {
        match self {
            BotnetMove::Clean => Action::RemediateFindings,
            BotnetMove::Verify | BotnetMove::Reject => Action::VerifyFindings,
        }
    }

    /// The state a move leads to from `from`; a move that does not apply is refused by name.
    pub fn apply(self, from: BotnetState) -> Result<BotnetState> {
        let to = match (self, from) {
            (BotnetMove::Clean, BotnetState::Notified) => BotnetState::Cleaned,
            (BotnetMove::Verify, BotnetState::Cleaned) => BotnetState::Verified,
            (BotnetMove::Reject, BotnetState::Cleaned) => BotnetState::Notified,
            _ => {
                return Err(Error::conflict(
                    format!(
                        "Không thể «{}» khi vụ việc đang «{}».",
                        self.label(crate::Lang::Vi),
                        from.label(crate::Lang::Vi)
                    ),
                    format!(
                        "Cannot «{}» a case that is «{}».",
                        self.label(crate::Lang::En),
                        from.label(crate::Lang::En)
                    ),
                ))
            }
        };
        Ok(to)
    }

    /// The moves open from a state, in the order a page shows them.
    pub fn open_from(state: BotnetState) -> &'static [BotnetMove] {
        match state {
            BotnetState::Notified => &[BotnetMove::Clean],
            BotnetState::Cleaned => &[BotnetMove::Verify, BotnetMove::Reject],
            BotnetState::Detected | BotnetState::Verified => &[],
        }
    }
}

/// The state a case takes when its address is detected again: a case its unit had closed
/// (cleaned or verified) reopens, returning to the unit; an open one stays as it is.
pub fn redetected(state: BotnetState, attributed: bool) -> (BotnetState, bool) {
    match state {
        BotnetState::Cleaned | BotnetState::Verified => (BotnetState::Notified, true),
        BotnetState::Detected if attributed => (BotnetState::Notified, false),
        s => (s, false),
    }
}

/// Whether a verified case was cleaned within the plan's time of its unit being notified.
pub fn handled_in_time(notified_at_ms: i64, cleaned_at_ms: Option<i64>) -> bool {
    cleaned_at_ms.is_some_and(|c| c - notified_at_ms <= CLEAN_WITHIN_DAYS * 86_400_000)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_case_goes_notified_cleaned_verified_and_reopens_when_seen_again() {
        let cleaned = BotnetMove::Clean.apply(BotnetState::Notified).unwrap();
        assert_eq!(cleaned, BotnetState::Cleaned);
        assert_eq!(BotnetMove::Reject.apply(cleaned).unwrap(), BotnetState::Notified);
        let verified = BotnetMove::Verify.apply(cleaned).unwrap();
        assert_eq!(verified, BotnetState::Verified);
        assert!(BotnetMove::Verify.apply(BotnetState::Notified).is_err(), "nothing to verify before cleaning");
        assert!(BotnetMove::Clean.apply(BotnetState::Detected).is_err(), "no unit to clean it yet");
        assert_eq!(redetected(verified, true), (BotnetState::Notified, true));
        assert_eq!(redetected(BotnetState::Notified, true), (BotnetState::Notified, false));
        assert_eq!(redetected(BotnetState::Detected, true), (BotnetState::Notified, false));
        assert_eq!(redetected(BotnetState::Detected, false), (BotnetState::Detected, false));
        assert_eq!(BotnetMove::Clean.action(), Action::RemediateFindings);
        assert_eq!(BotnetMove::Verify.action(), Action::VerifyFindings);
    }

    #[test]
    fn hcm_3131_indicator_4_counts_cases_cleaned_within_the_plan_time() {
        let day = 86_400_000;
        assert!(handled_in_time(0, Some(CLEAN_WITHIN_DAYS * day)));
        assert!(!handled_in_time(0, Some(CLEAN_WITHIN_DAYS * day + 1)));
        assert!(!handled_in_time(0, None));
    }
}
