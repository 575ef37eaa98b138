//! Attribution of telemetry to the registry (issue 18.2, the index): an address belongs to the
//! system whose IP range holds it most narrowly (longest prefix). The index keeps one map per
//! prefix length in use, so a look-up costs one hash probe per length — not a scan of the
//! ranges — and is rebuilt whenever the registry's ranges change.

use crate::system::parse_cidr;
use std::collections::HashMap;
use std::net::IpAddr;

/// Whose an address is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Owner {
    pub unit_id: i64,
    pub system_id: i64,
}

/// Ranges by prefix length, most specific first.
#[derive(Debug, Default, Clone)]
pub struct RangeIndex {
    v4: Vec<(u8, HashMap<u32, Owner>)>,
    v6: Vec<(u8, HashMap<u128, Owner>)>,
    /// Ranges given to a second system at the same prefix: the first registered keeps them.
    pub conflicts: usize,
}

fn mask4(ip: u32, len: u8) -> u32 {
    if len == 0 {
        0
    } else {
        ip & (u32::MAX << (32 - u32::from(len)))
    }
}

fn mask6(ip: u128, len: u8) -> u128 {
    if len == 0 {
        0
    } else {
        ip & (u128::MAX << (128 - u32::from(len)))
    }
}

impl RangeIndex {
    /// Builds the index from (CIDR, owner) pairs in registration order; a range that does not
    /// parse is skipped (the registry checks them on entry).
    pub fn build<'a>(ranges: impl IntoIterator<Item = (&'a str, Owner)>) -> RangeIndex {
        let mut v4: HashMap<u8, HashMap<u32, Owner>> = HashMap::new();
        let mut v6: HashMap<u8, HashMap<u128, Owner>> = HashMap::new();
        let mut conflicts = 0;
        for (cidr, owner) in ranges {
            let Ok(norm) = parse_cidr(cidr) else { continue };
            let Some((addr, len)) = norm.split_once('/') else { continue };
            let Ok(len) = len.parse::<u8>() else { continue };
            // The first registered keeps a range given twice.
            let kept = match addr.parse::<IpAddr>() {
                Ok(IpAddr::V4(a)) => *v4.entry(len).or_default().entry(mask4(u32::from(a), len)).or_insert(owner),
                Ok(IpAddr::V6(a)) => *v6.entry(len).or_default().entry(mask6(u128::from(a), len)).or_insert(owner),
                Err(_) => continue,
            };
            conflicts += usize::from(kept != owner);
        }
        let mut v4: Vec<_> = v4.into_iter().collect();
        let mut v6: Vec<_> = v6.into_iter().collect();
        v4.sort_by_key(|m| std::cmp::Reverse(m.0));
        v6.sort_by_key(|m| std::cmp::Reverse(m.0));
        RangeIndex { v4, v6, conflicts }
    }

    /// The owner of the narrowest range holding `ip`.
    pub fn owner(&self, ip: IpAddr) -> Option<Owner> {
        match ip {
            IpAddr::V4(a) => {
                let a = u32::from(a);
                self.v4.iter().find_map(|(len, m)| m.get(&mask4(a, *len)).copied())
            }
            IpAddr::V6(a) => {
                let a = u128::from(a);
                self.v6.iter().find_map(|(len, m)| m.get(&mask6(a, *len)).copied())
            }
        }
    }

    /// The first of `addresses` (the host, then the source, then the destination) that the
    /// registry holds.
    pub fn attribute(&self, addresses: impl IntoIterator<Item = IpAddr>) -> Option<Owner> {
        addresses.into_iter().find_map(|ip| self.owner(ip))
    }

    pub fn len(&self) -> usize {
        self.v4.iter().map(|(_, m)| m.len()).sum::<usize>() + self.v6.iter().map(|(_, m)| m.len()).sum::<usize>()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Alerts from the same source, of the same rule, on the same asset within one window of this
/// many seconds (aligned to the epoch) are one alert with a count, a first and a last seen.
pub const ALERT_WINDOW_SECS: i64 = 3600;

/// The start (Unix seconds) of the de-duplication window holding `at_secs`.
pub fn alert_window(at_secs: i64) -> i64 {
    at_secs.div_euclid(ALERT_WINDOW_SECS) * ALERT_WINDOW_SECS
}

/// The day (yyyy-mm-dd, Vietnam's time) of a moment in milliseconds since the epoch: the day
/// an event counts on.
pub fn day_vn(ms: i64) -> String {
    day_text(day_number_vn(ms))
}

/// Days since 1970-01-01 of a moment, in Vietnam's time: a cheap key, written out by `day_text`.
pub fn day_number_vn(ms: i64) -> i64 {
    (ms.div_euclid(1000) + i64::from(crate::time::VN_OFFSET_SECS)).div_euclid(86_400)
}

/// yyyy-mm-dd of a day number (`day_number_vn`).
pub fn day_text(days: i64) -> String {
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    epoch.checked_add_signed(chrono::TimeDelta::days(days)).unwrap_or(epoch).format("%Y-%m-%d").to_string()
}

/// A host whose agent has not reported for this many days is silent: it no longer counts as
/// protected.
pub const ENDPOINT_SILENT_DAYS: i64 = 7;
/// Signatures older than this many days are stale.
pub const SIGNATURE_STALE_DAYS: i64 = 7;
/// A system with no telemetry for this many days is not monitored (layer 2, indicator 5).
pub const MONITORING_SILENT_DAYS: i64 = 3;

/// The first day whose telemetry still counts as monitoring on `today`: the last
/// `MONITORING_SILENT_DAYS` days, today included.
pub fn monitored_since(today: chrono::NaiveDate) -> chrono::NaiveDate {
    today.checked_sub_signed(chrono::TimeDelta::days(MONITORING_SILENT_DAYS - 1)).unwrap_or(today)
}

/// Whether a system whose telemetry last arrived on `last_day` has fallen silent by `today`.
pub fn monitoring_silent(last_day: chrono::NaiveDate, today: chrono::NaiveDate) -> bool {
    last_day < monitored_since(today)
}

/// Whether a host counts towards HCM 3131's indicator 3: its anti-malware shares with the
/// national centre (NCSC) and its agent has reported within `ENDPOINT_SILENT_DAYS`.
pub fn endpoint_protected(reports_to_ncsc: bool, last_seen_ms: i64, now_ms: i64) -> bool {
    reports_to_ncsc && now_ms - last_seen_ms <= ENDPOINT_SILENT_DAYS * 86_400_000
}

/// A telemetry severity's name (1 low … 4 critical).
pub fn severity_label(severity: i64, lang: crate::Lang) -> &'static str {
    match severity {
        4 => lang.pick("Nghiêm trọng", "Critical"),
        3 => lang.pick("Cao", "High"),
        2 => lang.pick("Trung bình", "Medium"),
        _ => lang.pick("Thấp", "Low"),
    }
}

/// How many days raw events are kept, by the level of the system they belong to — the log
/// retention TCVN 14423:2026 asks of each level (level 2: 1 month, 3: 3 months, 4: 6 months,
/// 5: 12 months). Level 1 asks none and takes level 2's; an event of no known system (level 0)
/// is kept 3 months, long enough for the authority to add the range it belongs to.
pub const fn default_retention_days(level: i64) -> i64 {
    match level {
        1 | 2 => 30,
        3 => 90,
        4 => 180,
        5 => 365,
        _ => 90,
    }
}

/// The least the authority may keep raw events of a level: what TCVN 14423:2026 asks of it
/// (a city may keep longer, never shorter), and 30 days for events of no approved level.
pub const fn min_retention_days(level: i64) -> i64 {
    match level {
        1..=5 => default_retention_days(level),
        _ => 30,
    }
}

/// The most: ten years of raw events.
pub const MAX_RETENTION_DAYS: i64 = 3650;

/// Checks a retention the authority sets for a level (0 = no approved level, 1–5).
pub fn check_retention(level: i64, days: i64) -> crate::Result<()> {
    if !(0..=5).contains(&level) {
        return Err(crate::Error::invalid(
            "level",
            "Cấp độ từ 0 (chưa phê duyệt) đến 5.",
            "The level runs from 0 (none approved) to 5.",
        ));
    }
    let min = min_retention_days(level);
    if !(min..=MAX_RETENTION_DAYS).contains(&days) {
        return Err(crate::Error::invalid(
            "days",
            format!("Dữ liệu cấp độ {level} lưu từ {min} đến {MAX_RETENTION_DAYS} ngày (TCVN 14423:2026 yêu cầu ít nhất {min} ngày)."),
            format!("Level {level} data is kept {min} to {MAX_RETENTION_DAYS} days (TCVN 14423:2026 asks at least {min})."),
        ));
    }
    Ok(())
}

/// Whether an event of this shape and kind is an alert (work for an analyst) rather than a
/// record of activity (DNS, flows, connections) that only counts towards "monitored".
pub fn is_alert(shape_code: &str, kind: &str) -> bool {
    match shape_code {
        "suricata" => kind == "alert",
        "zeek" => kind == "notice",
        "ecs" => kind == "alert" || kind == "signal",
        "khien" => kind == "alert",
        // Wazuh and CEF carry nothing but alerts.
        _ => true,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn o(unit_id: i64, system_id: i64) -> Owner {
        Owner { unit_id, system_id }
    }

    #[test]
    fn tcvn_14423_2026_log_retention_is_a_floor_the_authority_may_raise() {
        // Level 2: 1 month, 3: 3 months, 4: 6 months, 5: 12 months of logs.
        assert_eq!([2, 3, 4, 5].map(min_retention_days), [30, 90, 180, 365]);
        assert!(check_retention(3, 90).is_ok() && check_retention(3, 400).is_ok());
        assert!(check_retention(3, 89).is_err(), "shorter than the standard asks");
        assert!(check_retention(5, MAX_RETENTION_DAYS + 1).is_err());
        assert!(check_retention(0, 30).is_ok() && check_retention(6, 400).is_err());
    }

    #[test]
    fn the_narrowest_range_wins_and_unknown_addresses_stay_unattributed() {
        let index = RangeIndex::build([
            ("10.20.0.0/16", o(1, 100)),
            ("10.20.1.0/24", o(2, 200)),
            ("10.20.1.128/25", o(2, 201)),
            ("2001:db8::/32", o(3, 300)),
        ]);
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(index.owner(ip("10.20.9.9")), Some(o(1, 100)));
        assert_eq!(index.owner(ip("10.20.1.5")), Some(o(2, 200)));
        assert_eq!(index.owner(ip("10.20.1.200")), Some(o(2, 201)));
        assert_eq!(index.owner(ip("2001:db8:1::7")), Some(o(3, 300)));
        assert_eq!(index.owner(ip("8.8.8.8")), None);
        // A host outside the registry, talking to one inside: the one inside.
        assert_eq!(index.attribute([ip("8.8.8.8"), ip("10.20.1.5")]), Some(o(2, 200)));
        assert_eq!(index.len(), 4);
    }

    #[test]
    fn a_range_given_twice_stays_with_the_first_and_is_counted() {
        let index = RangeIndex::build([("192.0.2.0/24", o(1, 1)), ("192.0.2.7/24", o(2, 2)), ("bad", o(3, 3))]);
        assert_eq!(index.owner("192.0.2.99".parse().unwrap()), Some(o(1, 1)));
        assert_eq!(index.conflicts, 1);
    }

    #[test]
    fn tcvn_14423_log_retention_by_level() {
        assert_eq!([1, 2, 3, 4, 5].map(default_retention_days), [30, 30, 90, 180, 365]);
        assert_eq!(default_retention_days(0), 90);
    }

    #[test]
    fn alerts_share_a_window_of_an_hour_and_activity_is_not_an_alert() {
        assert_eq!(alert_window(7_199), 3_600);
        assert_eq!(alert_window(7_200), 7_200);
        assert_eq!(alert_window(-1), -3_600);
        // 2026-12-06 17:30 UTC is already the 7th in Vietnam.
        assert_eq!(day_vn(1_796_578_200_000), "2026-12-07");
        assert!(is_alert("suricata", "alert") && !is_alert("suricata", "dns"));
        assert!(is_alert("zeek", "notice") && !is_alert("zeek", "conn"));
        assert!(is_alert("wazuh", "syscheck") && is_alert("cef", "cef"));
    }

    #[test]
    fn hcm_3131_indicator_3_counts_hosts_reporting_to_ncsc_and_not_silent() {
        let day = 86_400_000;
        assert!(endpoint_protected(true, 0, ENDPOINT_SILENT_DAYS * day));
        assert!(!endpoint_protected(true, 0, ENDPOINT_SILENT_DAYS * day + 1), "silent too long");
        assert!(!endpoint_protected(false, 0, 0), "not sharing with NCSC");
    }

    #[test]
    fn fifty_thousand_ranges_are_looked_up_without_a_scan() {
        let cidrs: Vec<String> = (0..50_000u32).map(|i| format!("10.{}.{}.0/24", (i >> 8) & 0xff, i & 0xff)).collect();
        let index =
            RangeIndex::build(cidrs.iter().enumerate().map(|(n, c)| (c.as_str(), o(n as i64 % 1000, n as i64))));
        assert_eq!(index.owner("10.3.7.1".parse().unwrap()).map(|x| x.system_id), Some(3 * 256 + 7));
        // One map per prefix length in use: one here.
        assert_eq!(index.v4.len(), 1);
    }
}
