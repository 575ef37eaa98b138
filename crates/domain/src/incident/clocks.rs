//! The reporting clocks, counted from detection: the initial report (24 h, or at once when the
//! incident is serious), the cause/scope/remediation report (72 h), and the closing report
//! (5 days after the response ends). Hours and days are data of the ruleset.

use super::ReportKind;
use crate::{Lang, Result};
use serde::{Deserialize, Serialize};

const HOUR_MS: i64 = 3_600_000;

/// The deadlines, as the operator configures them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockRules {
    pub initial_hours: i64,
    /// For a serious incident: hours after it was flagged serious (0: at once).
    pub serious_initial_hours: i64,
    pub cause_hours: i64,
    pub closing_days: i64,
}

impl Default for ClockRules {
    /// QĐ 05/2017 as applied by the 2026 plans (Hải Phòng V.1.9: 24 h) and NĐ 331/2026 Đ31 (72 h).
    fn default() -> ClockRules {
        ClockRules { initial_hours: 24, serious_initial_hours: 0, cause_hours: 72, closing_days: 5 }
    }
}

impl ClockRules {
    pub fn check(&self) -> Result<()> {
        let ok = |v: i64, max: i64| (0..=max).contains(&v);
        if ok(self.initial_hours, 720) && ok(self.serious_initial_hours, 720) && ok(self.cause_hours, 720) && ok(self.closing_days, 60) {
            Ok(())
        } else {
            Err(crate::Error::invalid("clock_rules", "Thời hạn phải từ 0 đến 720 giờ (kết thúc: 0 đến 60 ngày).", "Deadlines are 0 to 720 hours (closing: 0 to 60 days)."))
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockKind {
    Initial,
    Cause,
    Closing,
}

impl ClockKind {
    pub const ALL: [ClockKind; 3] = [ClockKind::Initial, ClockKind::Cause, ClockKind::Closing];

    /// The report that stops this clock.
    pub fn report(self) -> ReportKind {
        match self {
            ClockKind::Initial => ReportKind::Initial,
            ClockKind::Cause => ReportKind::Progress,
            ClockKind::Closing => ReportKind::Closing,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            ClockKind::Initial => "initial",
            ClockKind::Cause => "cause",
            ClockKind::Closing => "closing",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ClockKind::Initial => lang.pick("Báo cáo ban đầu", "Initial report"),
            ClockKind::Cause => lang.pick("Báo cáo nguyên nhân, phạm vi, khắc phục", "Cause, scope and remediation report"),
            ClockKind::Closing => lang.pick("Báo cáo kết thúc", "Closing report"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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

/// The facts the clocks depend on, in UTC milliseconds.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClockFacts {
    pub detected_ms: i64,
    /// When the incident was (last) flagged serious.
    pub serious_since_ms: Option<i64>,
    /// When the response ended (the incident entered review).
    pub response_ended_ms: Option<i64>,
}

/// The due time of each clock (None: not started).
pub fn due_times(rules: &ClockRules, f: &ClockFacts) -> [(ClockKind, Option<i64>); 3] {
    let mut initial = f.detected_ms + rules.initial_hours * HOUR_MS;
    if let Some(s) = f.serious_since_ms {
        initial = initial.min(s.max(f.detected_ms) + rules.serious_initial_hours * HOUR_MS);
    }
    [
        (ClockKind::Initial, Some(initial)),
        (ClockKind::Cause, Some(f.detected_ms + rules.cause_hours * HOUR_MS)),
        (ClockKind::Closing, f.response_ended_ms.map(|e| e + rules.closing_days * 24 * HOUR_MS)),
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

    #[test]
    fn initial_is_24h_or_at_once_when_serious() {
        let r = ClockRules::default();
        let d = 1_000 * HOUR_MS;
        let f = ClockFacts { detected_ms: d, ..Default::default() };
        let t = due_times(&r, &f);
        assert_eq!(t[0], (ClockKind::Initial, Some(d + 24 * HOUR_MS)));
        assert_eq!(t[1], (ClockKind::Cause, Some(d + 72 * HOUR_MS)));
        assert_eq!(t[2], (ClockKind::Closing, None));
        let serious = ClockFacts { serious_since_ms: Some(d + 2 * HOUR_MS), response_ended_ms: Some(d + 50 * HOUR_MS), ..f };
        let t = due_times(&r, &serious);
        assert_eq!(t[0].1, Some(d + 2 * HOUR_MS));
        assert_eq!(t[2].1, Some(d + 50 * HOUR_MS + 5 * 24 * HOUR_MS));
        // Flagged serious late: the 24 h clock still holds if it is earlier.
        let late = ClockFacts { serious_since_ms: Some(d + 30 * HOUR_MS), ..f };
        assert_eq!(due_times(&r, &late)[0].1, Some(d + 24 * HOUR_MS));
    }

    #[test]
    fn statuses() {
        assert_eq!(status(None, None, 5), ClockStatus::Waiting);
        assert_eq!(status(Some(10), None, 5), ClockStatus::Running);
        assert_eq!(status(Some(10), None, 11), ClockStatus::Overdue);
        assert_eq!(status(Some(10), Some(10), 50), ClockStatus::Met);
        assert_eq!(status(Some(10), Some(12), 50), ClockStatus::MetLate);
        assert!(ClockRules { initial_hours: -1, ..Default::default() }.check().is_err());
    }
}
