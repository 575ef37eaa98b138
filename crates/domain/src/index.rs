//! The cybersecurity index (issue 16.3; Cần Thơ VI.2.c, Hải Phòng II.2.1 and V.1.10): a
//! versioned scoring model — criteria with weights that sum to 100 points, each reading a share
//! (an indicator's kept figure, the open findings within their deadline, the recurring duties
//! on time), grade bands, and a downgrade rule (a unit with a finding overdue more than N days
//! drops a band, as Hải Phòng's plan asks for units slow to fix). Pure: the store gathers each
//! unit's shares and keeps the ranking.

use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// The ranking periods that have ended by `today` and are due: the last whole year ("2025")
/// and the last whole quarter ("2026-Q3"). A ranking is made once its period is over
/// (Cần Thơ VI.2.c, Hải Phòng V.1.10: yearly, and quarterly where the city ranks by quarter).
pub fn ranking_periods_due(today: chrono::NaiveDate) -> (String, String) {
    use chrono::Datelike;
    let quarter = (today.month0() / 3) as i32; // 0-based quarter now running
    let (year, last_quarter) = if quarter == 0 { (today.year() - 1, 4) } else { (today.year(), quarter) };
    ((today.year() - 1).to_string(), format!("{year}-Q{last_quarter}"))
}

/// Where a criterion's share comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CriterionSource {
    /// The unit's kept figure of an indicator (by code) for the period.
    Indicator { code: String },
    /// Open findings still within their remediation deadline, of all open findings.
    FindingsOnTime,
    /// Recurring duties of the unit's approved systems not overdue, of all such duties.
    DutiesOnTime,
    /// The required registry details its systems hold, of all they should (issue 17.5).
    RegistryCompleteness,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Criterion {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub source: CriterionSource,
    /// Points out of 100.
    pub weight: i64,
}

/// The lowest score (in points) of each band, best first: ("A", 85), ("B", 70) …; the last
/// band takes whatever is below the one before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Band {
    pub name: String,
    pub from: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoringModel {
    pub criteria: Vec<Criterion>,
    pub bands: Vec<Band>,
    /// A unit with a finding overdue more than this many days drops one band; none: no rule.
    pub downgrade_after_days: Option<i64>,
}

/// One criterion of a unit's score, explained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CriterionScore {
    pub code: String,
    /// The share read, in basis points; none when the unit had nothing to count (full points).
    pub share_bp: Option<i64>,
    /// Points earned out of the weight, in hundredths of a point.
    pub points_cp: i64,
    pub weight: i64,
}

impl CriterionScore {
    /// The points this criterion cost the unit, in hundredths: what raising it would win back.
    pub fn lost_cp(&self) -> i64 {
        self.weight * 100 - self.points_cp
    }
}

/// A unit's score: points in hundredths, its band and whether the downgrade rule applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Score {
    pub points_cp: i64,
    pub band: String,
    pub downgraded: bool,
    pub criteria: Vec<CriterionScore>,
}

impl ScoringModel {
    /// The model's rules: criteria with distinct codes and positive weights summing to 100;
    /// bands named, best first, with falling thresholds within 0–100.
    pub fn check(&self) -> Result<()> {
        let invalid = |vi: String, en: String| Err(Error::invalid("model", vi, en));
        if self.criteria.is_empty() {
            return invalid("Mô hình cần ít nhất một tiêu chí.".into(), "A model needs a criterion.".into());
        }
        let total: i64 = self.criteria.iter().map(|c| c.weight).sum();
        if self.criteria.iter().any(|c| c.weight <= 0) || total != 100 {
            return invalid(
                format!("Trọng số các tiêu chí phải dương và cộng lại bằng 100 điểm (đang là {total})."),
                format!("Criteria weights must be positive and sum to 100 points (they sum to {total})."),
            );
        }
        let mut codes: Vec<&str> = self.criteria.iter().map(|c| c.code.as_str()).collect();
        codes.sort_unstable();
        if codes.windows(2).any(|w| w.first() == w.get(1)) || codes.iter().any(|c| c.trim().is_empty()) {
            return invalid("Mỗi tiêu chí có một mã riêng.".into(), "Each criterion has its own code.".into());
        }
        let falling = self.bands.windows(2).all(|w| matches!(w, [a, b] if a.from > b.from));
        if self.bands.len() < 2
            || !falling
            || self.bands.iter().any(|b| b.name.trim().is_empty() || !(0..=100).contains(&b.from))
        {
            return invalid(
                "Cần ít nhất hai xếp loại, từ cao xuống thấp, ngưỡng từ 0 đến 100 điểm.".into(),
                "At least two bands are needed, best first, thresholds 0 to 100 points.".into(),
            );
        }
        if self.downgrade_after_days.is_some_and(|d| !(1..=3650).contains(&d)) {
            return invalid("Số ngày quá hạn để hạ bậc từ 1 đến 3650.".into(), "Downgrade days are 1 to 3650.".into());
        }
        Ok(())
    }

    fn band_of(&self, points_cp: i64) -> usize {
        let last = self.bands.len().saturating_sub(1);
        self.bands.iter().position(|b| points_cp >= b.from * 100).unwrap_or(last)
    }

    /// Scores a unit from its shares (`share_of(criterion)`, none when nothing to count) and its
    /// oldest overdue finding (days).
    pub fn score(&self, share_of: impl Fn(&Criterion) -> Option<i64>, oldest_overdue_days: Option<i64>) -> Score {
        let criteria: Vec<CriterionScore> = self
            .criteria
            .iter()
            .map(|c| {
                let share = share_of(c).map(|s| s.clamp(0, 10_000));
                CriterionScore {
                    code: c.code.clone(),
                    share_bp: share,
                    points_cp: c.weight * share.unwrap_or(10_000) / 100,
                    weight: c.weight,
                }
            })
            .collect();
        let points_cp: i64 = criteria.iter().map(|c| c.points_cp).sum();
        let mut band = self.band_of(points_cp);
        let downgraded = self
            .downgrade_after_days
            .zip(oldest_overdue_days)
            .is_some_and(|(limit, days)| days > limit && band + 1 < self.bands.len());
        if downgraded {
            band += 1;
        }
        let band = self.bands.get(band).map(|b| b.name.clone()).unwrap_or_default();
        Score { points_cp, band, downgraded, criteria }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_last_whole_year_and_quarter_are_due() {
        let d = |y, m, dd| chrono::NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(ranking_periods_due(d(2026, 12, 7)), ("2025".to_string(), "2026-Q3".to_string()));
        assert_eq!(ranking_periods_due(d(2027, 1, 2)), ("2026".to_string(), "2026-Q4".to_string()));
        assert_eq!(ranking_periods_due(d(2026, 4, 1)), ("2025".to_string(), "2026-Q1".to_string()));
    }

    fn model() -> ScoringModel {
        let c = |code: &str, source, weight| Criterion {
            code: code.into(),
            name_vi: code.into(),
            name_en: code.into(),
            source,
            weight,
        };
        ScoringModel {
            criteria: vec![
                c("approved", CriterionSource::Indicator { code: "HCM-1".into() }, 60),
                c("findings", CriterionSource::FindingsOnTime, 40),
            ],
            bands: ["A", "B", "C", "D", "E"]
                .iter()
                .zip([85, 70, 50, 30, 0])
                .map(|(n, f)| Band { name: (*n).into(), from: f })
                .collect(),
            downgrade_after_days: Some(30),
        }
    }

    #[test]
    fn weights_must_sum_to_one_hundred() {
        assert!(model().check().is_ok());
        let mut m = model();
        m.criteria[1].weight = 30;
        assert!(format!("{:?}", m.check().unwrap_err()).contains("90"), "names the sum");
        let mut m = model();
        m.bands.swap(0, 1);
        assert!(m.check().is_err(), "bands best first");
    }

    #[test]
    fn hai_phong_ii_2_1_a_unit_slow_to_fix_drops_a_band() {
        let m = model();
        let share = |c: &Criterion| if c.code == "approved" { Some(9_000) } else { Some(10_000) };
        let fine = m.score(share, None);
        assert_eq!((fine.points_cp, fine.band.as_str(), fine.downgraded), (9_400, "A", false));
        let slow = m.score(share, Some(45));
        assert_eq!((slow.band.as_str(), slow.downgraded), ("B", true));
        assert_eq!(m.score(share, Some(30)).band, "A", "30 days is not more than 30");
        // Nothing to count gives full points; the lowest band cannot drop further.
        assert_eq!(m.score(|_| None, None).points_cp, 10_000);
        assert_eq!(m.score(|_| Some(0), Some(400)).band, "E");
    }
}
