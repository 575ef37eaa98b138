//! The cybersecurity share of IT spending (issue 15.8). HCM 3131 task 7 asks for at least 10 % of
//! the spending on science, IT and digital transformation, Cần Thơ's and Hải Phòng's plans 15 %,
//! Luật An ninh mạng 116/2025 Đ38.1 15 % (REGULATIONS.md, Low–Med): the threshold is the plan's,
//! kept as data. Amounts are whole đồng; shares are basis points (1 % = 100) so that sums stay
//! exact and only the display rounds.

use crate::number::decimal;
use crate::{Error, Result};

/// A million billion đồng: more than any province spends, so a larger figure is a typing error.
pub const MAX_VND: i64 = 1_000_000_000_000_000;

/// An amount in đồng, 0 to [`MAX_VND`].
pub fn check_amount(field: &str, vnd: i64) -> Result<i64> {
    if (0..=MAX_VND).contains(&vnd) {
        Ok(vnd)
    } else {
        Err(Error::invalid(
            field,
            "Số tiền (đồng) từ 0 đến 1.000.000.000.000.000.",
            "An amount in đồng is 0 to 1,000,000,000,000,000.",
        ))
    }
}

/// A project's total and its cybersecurity part: the part cannot pass the total (a share over
/// 100 %), and a project has a cost.
pub fn check_parts(total_vnd: i64, security_vnd: i64) -> Result<()> {
    check_amount("total_cost", total_vnd)?;
    check_amount("security_cost", security_vnd)?;
    if total_vnd == 0 {
        return Err(Error::invalid(
            "total_cost",
            "Tổng mức kinh phí phải lớn hơn 0.",
            "The total cost must be above 0.",
        ));
    }
    if security_vnd > total_vnd {
        return Err(Error::invalid(
            "security_cost",
            format!(
                "Phần chi cho an ninh mạng ({} đ) lớn hơn tổng mức kinh phí ({} đ): tỷ lệ không thể trên 100 %.",
                crate::number::grouped(security_vnd),
                crate::number::grouped(total_vnd)
            ),
            format!(
                "The cybersecurity part ({security_vnd} VND) is more than the total ({total_vnd} VND): a share cannot pass 100 %."
            ),
        ));
    }
    Ok(())
}

/// `security` of `total` in basis points, rounded down (a share is met only when it is).
pub fn share_bp(security_vnd: i64, total_vnd: i64) -> Option<i64> {
    (total_vnd > 0).then(|| ((security_vnd as i128 * 10_000) / total_vnd as i128) as i64)
}

/// Basis points shown as a percentage with one decimal, Vietnamese style ("12,5%").
pub fn show_bp(bp: i64) -> String {
    format!("{}%", decimal(bp as f64 / 100.0, 1))
}

/// A threshold typed as a percentage: "10", "15 %", "12,5" → basis points; above 0, at most 100.
pub fn parse_percent(field: &str, text: &str) -> Result<i64> {
    let t = text.trim().trim_end_matches('%').trim().replace(',', ".");
    let refuse = || {
        Error::invalid(
            field,
            "Tỷ lệ là một số phần trăm lớn hơn 0 và không quá 100 (ví dụ 10 hoặc 12,5).",
            "A share is a percentage above 0 and at most 100 (e.g. 10 or 12.5).",
        )
    };
    let value: f64 = t.parse().map_err(|_| refuse())?;
    if !(value > 0.0 && value <= 100.0) {
        return Err(refuse());
    }
    Ok((value * 100.0).round() as i64)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_share_over_one_hundred_percent_is_refused_naming_both_amounts() {
        let e = check_parts(1_000_000_000, 1_200_000_000).unwrap_err();
        assert!(format!("{e:?}").contains("1.200.000.000") && format!("{e:?}").contains("security_cost"), "{e:?}");
        assert!(check_parts(0, 0).is_err() && check_parts(-5, 0).is_err());
        assert!(check_parts(1_000_000_000, 1_000_000_000).is_ok());
    }

    #[test]
    fn hcm_3131_task_7_ten_percent_is_met_at_ten_and_not_just_below() {
        let target = parse_percent("budget_share", "10").unwrap();
        assert_eq!(target, 1000);
        assert!(share_bp(100_000_000, 1_000_000_000).unwrap() >= target);
        assert!(share_bp(99_999_999, 1_000_000_000).unwrap() < target, "rounded down, never up to the target");
        assert_eq!(share_bp(1, 0), None);
    }

    #[test]
    fn percentages_are_typed_and_shown_the_vietnamese_way() {
        assert_eq!(parse_percent("x", "12,5 %").unwrap(), 1250);
        assert_eq!(parse_percent("x", "15%").unwrap(), 1500);
        assert!(parse_percent("x", "0").is_err() && parse_percent("x", "101").is_err());
        assert!(parse_percent("x", "mười").is_err());
        assert_eq!(show_bp(1250), "12,5%");
        assert_eq!(share_bp(MAX_VND, MAX_VND), Some(10_000), "no overflow at the largest amounts");
    }
}
