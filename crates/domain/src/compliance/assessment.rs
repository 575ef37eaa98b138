//! An assessment of one system against one catalogue version at the system's level: every
//! applicable requirement gets an outcome; the compliance score follows from the outcomes.

use crate::system::code_enum;
use crate::{Error, Lang, Msg, Result};

code_enum!(
    /// Who assesses: the unit itself, or an independent assessor (layer 3 of the 4-layer model).
    AssessmentKind {
        SelfAssessment = "self": "Tự đánh giá" / "Self-assessment",
        Independent = "independent": "Đánh giá độc lập" / "Independent assessment",
    }
);

code_enum!(
    /// planned → in progress → in review → done; review may send it back to work.
    AssessmentState {
        Planned = "planned": "Kế hoạch" / "Planned",
        InProgress = "in_progress": "Đang đánh giá" / "In progress",
        InReview = "in_review": "Đang rà soát" / "In review",
        Done = "done": "Hoàn thành" / "Done",
    }
);

code_enum!(
    /// The outcome recorded for one requirement.
    Outcome {
        Compliant = "compliant": "Đáp ứng" / "Compliant",
        Partly = "partly": "Đáp ứng một phần" / "Partly compliant",
        NonCompliant = "non_compliant": "Không đáp ứng" / "Non-compliant",
        NotApplicable = "not_applicable": "Không áp dụng" / "Not applicable",
    }
);

impl AssessmentState {
    /// Checks a move. Results are entered while in progress; done is final.
    pub fn check_move(self, to: AssessmentState) -> Result<()> {
        use AssessmentState::*;
        match (self, to) {
            (Planned, InProgress) | (InProgress, InReview) | (InReview, Done) | (InReview, InProgress) => Ok(()),
            _ => Err(Error::Conflict(Msg::new(
                format!("Không thể chuyển đợt đánh giá từ «{}» sang «{}».", self.label(Lang::Vi), to.label(Lang::Vi)),
                format!("An assessment cannot move from «{}» to «{}».", self.label(Lang::En), to.label(Lang::En)),
            ))),
        }
    }

    pub fn next(self) -> Vec<AssessmentState> {
        AssessmentState::ALL.iter().copied().filter(|to| self.check_move(*to).is_ok()).collect()
    }

    /// Whether outcomes may be recorded (planned work starts on the first result).
    pub fn accepts_results(self) -> bool {
        matches!(self, AssessmentState::Planned | AssessmentState::InProgress)
    }
}

/// Outcome counts of an assessment (or of a group, or a unit's assessments).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Score {
    /// Requirements in scope (every applicable requirement, assessed or not).
    pub applicable: i64,
    pub compliant: i64,
    pub partly: i64,
    pub non_compliant: i64,
    pub not_applicable: i64,
}

/// Scores add up outcome by outcome (a unit's systems, a city's units).
impl std::ops::AddAssign for Score {
    fn add_assign(&mut self, o: Score) {
        self.applicable += o.applicable;
        self.compliant += o.compliant;
        self.partly += o.partly;
        self.non_compliant += o.non_compliant;
        self.not_applicable += o.not_applicable;
    }
}

impl Score {
    pub fn add(&mut self, outcome: Option<Outcome>) {
        self.applicable += 1;
        match outcome {
            Some(Outcome::Compliant) => self.compliant += 1,
            Some(Outcome::Partly) => self.partly += 1,
            Some(Outcome::NonCompliant) => self.non_compliant += 1,
            Some(Outcome::NotApplicable) => self.not_applicable += 1,
            None => {}
        }
    }

    pub fn assessed(&self) -> i64 {
        self.compliant + self.partly + self.non_compliant + self.not_applicable
    }

    /// Compliance in percent: compliant counts whole, partly half, over the requirements
    /// that apply (not-applicable ones left out). `None` before anything applicable is
    /// assessed.
    pub fn percent(&self) -> Option<f64> {
        let base = self.applicable - self.not_applicable;
        if base <= 0 || self.assessed() == 0 {
            return None;
        }
        Some(((self.compliant as f64 + 0.5 * self.partly as f64) * 100.0 / base as f64 * 10.0).round() / 10.0)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn states_move_forward_and_review_can_send_back() {
        use AssessmentState::*;
        assert!(Planned.check_move(InProgress).is_ok());
        assert!(InReview.check_move(InProgress).is_ok());
        assert!(Done.check_move(InProgress).is_err());
        assert!(Planned.check_move(Done).is_err());
        assert_eq!(InReview.next(), vec![InProgress, Done]);
        assert!(!Done.accepts_results() && !InReview.accepts_results() && Planned.accepts_results());
    }

    #[test]
    fn scores_add_outcome_by_outcome() {
        let mut a = Score { applicable: 4, compliant: 2, partly: 2, non_compliant: 0, not_applicable: 0 };
        a += Score { applicable: 6, compliant: 0, partly: 0, non_compliant: 4, not_applicable: 2 };
        assert_eq!(a, Score { applicable: 10, compliant: 2, partly: 2, non_compliant: 4, not_applicable: 2 });
        // (2 + 1) / (10 - 2) = 37.5 %: requirements weigh equally across systems.
        assert_eq!(a.percent(), Some(37.5));
    }

    #[test]
    fn score_counts_partly_as_half_and_skips_not_applicable() {
        let mut s = Score::default();
        assert_eq!(s.percent(), None);
        for o in [
            Some(Outcome::Compliant),
            Some(Outcome::Partly),
            Some(Outcome::NonCompliant),
            Some(Outcome::NotApplicable),
            None,
        ] {
            s.add(o);
        }
        assert_eq!((s.applicable, s.assessed()), (5, 4));
        // (1 + 0.5) / (5 - 1) = 37.5 %
        assert_eq!(s.percent(), Some(37.5));
    }
}
