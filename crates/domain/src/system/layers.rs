//! The 4-layer protection model (mô hình 4 lớp, CV 1552/BTTTT-CATTT): on-site force, 24/7
//! monitoring, independent periodic assessment, connection to the national/city monitoring
//! system. Each layer of a system is ok, missing or expired, with the reason.

use super::level::Ruleset;
use crate::Msg;
use chrono::{Months, NaiveDate};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LayerState {
    Ok,
    Missing,
    Expired,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LayerStatus {
    pub layer: u8,
    pub state: LayerState,
    pub reason: Msg,
}

/// What the registry records about a system's four layers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LayerFacts {
    /// Layer 1: the named on-site team or people.
    pub onsite_team: Option<String>,
    /// Layer 2: the monitoring unit (own or a hired SOC provider) and the contract end.
    pub monitoring_unit: Option<String>,
    pub monitoring_until: Option<NaiveDate>,
    /// The last day the SOC's telemetry for the system reached Khiên (none if it never sent).
    pub telemetry_last_day: Option<NaiveDate>,
    /// Layer 3: the last independent assessment.
    pub assessed_on: Option<NaiveDate>,
    pub assessor_unit: Option<String>,
    /// Layer 4: connected to the national/city monitoring system since.
    pub connected_since: Option<NaiveDate>,
    pub connection_ref: Option<String>,
}

/// When the next periodic assessment is due for a system of `level`.
pub fn next_assessment(level: u8, assessed_on: NaiveDate, rs: &Ruleset) -> NaiveDate {
    assessed_on.checked_add_months(Months::new(rs.assessment_months_of(level))).unwrap_or(assessed_on)
}

pub fn evaluate(f: &LayerFacts, level: Option<u8>, today: NaiveDate, rs: &Ruleset) -> [LayerStatus; 4] {
    let ok = |layer, vi: String, en: String| LayerStatus { layer, state: LayerState::Ok, reason: Msg::new(vi, en) };
    let missing =
        |layer, vi: &str, en: &str| LayerStatus { layer, state: LayerState::Missing, reason: Msg::new(vi, en) };
    let expired =
        |layer, vi: String, en: String| LayerStatus { layer, state: LayerState::Expired, reason: Msg::new(vi, en) };
    let d = |x: NaiveDate| x.format("%d/%m/%Y").to_string();
    let l1 = match f.onsite_team.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(t) => ok(1, format!("Lực lượng tại chỗ: {t}"), format!("On-site force: {t}")),
        None => missing(1, "Chưa có lực lượng tại chỗ", "No on-site force named"),
    };
    let l2 = match (&f.monitoring_unit, f.monitoring_until) {
        (None, _) => missing(2, "Chưa có đơn vị giám sát 24/7", "No 24/7 monitoring"),
        (Some(u), Some(until)) if until < today => expired(
            2,
            format!("Hợp đồng giám sát với {u} đã hết hạn ngày {}", d(until)),
            format!("Monitoring contract with {u} ended on {}", d(until)),
        ),
        // A feed that has reached Khiên and then fell silent is no monitoring, whatever the
        // contract says (issue 18.6); a system whose SOC never sent telemetry is judged by its
        // contract alone.
        (Some(u), _) => match f.telemetry_last_day.filter(|last| crate::telemetry::monitoring_silent(*last, today)) {
            Some(last) => expired(
                2,
                format!(
                    "Không nhận được dữ liệu giám sát của {u} từ ngày {} (quá {} ngày)",
                    d(last),
                    crate::telemetry::MONITORING_SILENT_DAYS
                ),
                format!(
                    "No monitoring data from {u} since {} (over {} days)",
                    d(last),
                    crate::telemetry::MONITORING_SILENT_DAYS
                ),
            ),
            None => ok(2, format!("Giám sát 24/7: {u}"), format!("24/7 monitoring: {u}")),
        },
    };
    let l3 = match f.assessed_on {
        None => missing(3, "Chưa được đánh giá độc lập", "Never independently assessed"),
        Some(on) => {
            let due = next_assessment(level.unwrap_or(1), on, rs);
            if due < today {
                expired(
                    3,
                    format!("Đánh giá gần nhất {}; đến hạn đánh giá lại {}", d(on), d(due)),
                    format!("Last assessed {}; reassessment was due {}", d(on), d(due)),
                )
            } else {
                ok(
                    3,
                    format!("Đánh giá ngày {}; lần tới trước {}", d(on), d(due)),
                    format!("Assessed {}; next due by {}", d(on), d(due)),
                )
            }
        }
    };
    let l4 = match f.connected_since {
        None => missing(
            4,
            "Chưa kết nối hệ thống giám sát quốc gia/thành phố",
            "Not connected to the national/city monitoring system",
        ),
        Some(since) => ok(4, format!("Kết nối từ {}", d(since)), format!("Connected since {}", d(since))),
    };
    [l1, l2, l3, l4]
}

pub fn all_ok(layers: &[LayerStatus; 4]) -> bool {
    layers.iter().all(|l| l.state == LayerState::Ok)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::system::level::ruleset_for;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap_or_default()
    }

    #[test]
    fn layers_are_ok_missing_or_expired() {
        let rs = ruleset_for(d(2026, 11, 1));
        let today = d(2026, 11, 23);
        let none = evaluate(&LayerFacts::default(), Some(3), today, &rs);
        assert!(none.iter().all(|l| l.state == LayerState::Missing));
        let f = LayerFacts {
            onsite_team: Some("Tổ CNTT".into()),
            monitoring_unit: Some("SOC Hải Đông".into()),
            monitoring_until: Some(d(2026, 10, 1)),
            telemetry_last_day: None,
            assessed_on: Some(d(2025, 12, 1)),
            assessor_unit: None,
            connected_since: Some(d(2025, 1, 1)),
            connection_ref: None,
        };
        let l = evaluate(&f, Some(3), today, &rs);
        assert_eq!(
            l.iter().map(|x| x.state).collect::<Vec<_>>(),
            vec![LayerState::Ok, LayerState::Expired, LayerState::Ok, LayerState::Ok]
        );

        // Level 5 is reassessed every six months: December 2025 is overdue by November 2026.
        assert_eq!(evaluate(&f, Some(5), today, &rs)[2].state, LayerState::Expired);
        assert!(!all_ok(&l));
    }

    #[test]
    fn layer_two_is_lost_when_the_telemetry_falls_silent() {
        let rs = ruleset_for(d(2026, 11, 1));
        let today = d(2026, 11, 23);
        let f = |last| LayerFacts {
            monitoring_unit: Some("SOC Hải Đông".into()),
            monitoring_until: Some(d(2027, 12, 31)),
            telemetry_last_day: last,
            ..LayerFacts::default()
        };
        // Never sent: the contract decides. Sent two days ago: monitored. Silent three days: not.
        assert_eq!(evaluate(&f(None), Some(3), today, &rs)[1].state, LayerState::Ok);
        assert_eq!(evaluate(&f(Some(d(2026, 11, 21))), Some(3), today, &rs)[1].state, LayerState::Ok);
        let silent = &evaluate(&f(Some(d(2026, 11, 20))), Some(3), today, &rs)[1];
        assert_eq!(silent.state, LayerState::Expired);
        assert!(silent.reason.vi.contains("20/11/2026"), "{:?}", silent.reason);
    }
}
