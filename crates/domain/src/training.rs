//! Trainings, drills and awareness campaigns (issue 15.6; HCM 3131 2.2 and 4.2 "diễn tập thực
//! chiến tối thiểu mỗi năm 1 lần", Đồng Tháp's awareness reach): what was held, by whom, for
//! which units and how many people, what was learned and what follows.

use crate::system::code_enum;
use crate::{Error, Result};

code_enum!(
    /// What kind of event.
    TrainingKind {
        Training = "training": "Tập huấn, bồi dưỡng" / "Training",
        Drill = "drill": "Diễn tập" / "Drill",
        Awareness = "awareness": "Tuyên truyền, nâng cao nhận thức" / "Awareness campaign",
    }
);

/// People counts are what a province reports: taking part in a training or drill, reached by a
/// campaign. A count over a city's population is a typing error.
pub fn check_count(field: &str, n: i64) -> Result<i64> {
    if (0..=20_000_000).contains(&n) {
        Ok(n)
    } else {
        Err(Error::invalid(field, "Số người từ 0 đến 20.000.000.", "A count of people is 0 to 20,000,000."))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_people() {
        assert_eq!(check_count("participants", 120).unwrap(), 120);
        assert!(check_count("reach", -1).is_err() && check_count("reach", 30_000_000).is_err());
        assert_eq!(TrainingKind::parse("kind", "drill").unwrap(), TrainingKind::Drill);
    }
}
