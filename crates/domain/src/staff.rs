//! Specialist staff (issue 15.7): the people who hold a unit's security role, their
//! qualifications and certificates. Nghị định 179/2025/NĐ-CP (01/7/2025, in force 15/8/2025;
//! Med: the Government portal and the national press quote it) gives those in a full-time
//! (chuyên trách) post for digital transformation, network information security or cybersecurity
//! a support of 5.000.000 đồng a month (Điều 2 who, Điều 3 how much), paid with the salary;
//! people who hold the role alongside another post (kiêm nhiệm) are not covered.

use crate::system::code_enum;
use chrono::NaiveDate;

code_enum!(
    /// How a person holds the security role.
    StaffRole {
        FullTime = "full_time": "Chuyên trách" / "Full-time specialist",
        PartTime = "part_time": "Kiêm nhiệm" / "Alongside another post",
    }
);

/// NĐ 179/2025 Điều 3: the monthly support of a full-time specialist.
pub const ND179_MONTHLY_VND: i64 = 5_000_000;

/// NĐ 179/2025 takes effect on 15/8/2025.
pub fn nd179_in_force() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 8, 15).unwrap_or(NaiveDate::MIN)
}

/// The support a person's role brings in the month containing `on` (NĐ 179/2025 Điều 2–3).
pub fn monthly_support(role: StaffRole, on: NaiveDate) -> i64 {
    if role == StaffRole::FullTime && on >= nd179_in_force() {
        ND179_MONTHLY_VND
    } else {
        0
    }
}

/// Certificates expiring within this many days are flagged, so a renewal can be planned.
pub const CERTIFICATE_WARNING_DAYS: i64 = 90;

code_enum!(
    /// Where a certificate stands today.
    CertificateState {
        Valid = "valid": "Còn hiệu lực" / "Valid",
        Expiring = "expiring": "Sắp hết hạn" / "Expiring soon",
        Expired = "expired": "Đã hết hạn" / "Expired",
        Permanent = "permanent": "Không thời hạn" / "Does not expire",
    }
);

pub fn certificate_state(expires_on: Option<NaiveDate>, today: NaiveDate) -> CertificateState {
    match expires_on {
        None => CertificateState::Permanent,
        Some(d) if d < today => CertificateState::Expired,
        Some(d) if (d - today).num_days() <= CERTIFICATE_WARNING_DAYS => CertificateState::Expiring,
        Some(_) => CertificateState::Valid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn nd179_2025_article_3_full_time_specialists_get_five_million_a_month_from_15_august_2025() {
        assert_eq!(monthly_support(StaffRole::FullTime, day(2025, 8, 15)), 5_000_000);
        assert_eq!(monthly_support(StaffRole::FullTime, day(2025, 8, 14)), 0, "before the decree took effect");
        assert_eq!(monthly_support(StaffRole::PartTime, day(2026, 1, 1)), 0, "Điều 2 covers full-time posts only");
    }

    #[test]
    fn certificates_warn_ninety_days_ahead() {
        let today = day(2026, 12, 7);
        assert_eq!(certificate_state(Some(day(2026, 12, 6)), today), CertificateState::Expired);
        assert_eq!(certificate_state(Some(day(2027, 3, 7)), today), CertificateState::Expiring);
        assert_eq!(certificate_state(Some(day(2027, 3, 8)), today), CertificateState::Valid);
        assert_eq!(certificate_state(None, today), CertificateState::Permanent);
    }
}
