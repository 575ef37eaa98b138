//! Working days: deadlines in the regulations count working days, skipping weekends and the
//! holidays the operator keeps in the calendar (Tết, 30/4, 1/5, 2/9 and the make-up days change
//! every year, so they are data, not code).

use chrono::{Datelike, Days, NaiveDate, Weekday};
use std::collections::BTreeSet;

/// The operator-edited holiday list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Holidays(pub BTreeSet<NaiveDate>);

impl Holidays {
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !self.0.contains(&d)
    }

    /// The date `n` working days after `start` (the start day itself does not count, as in
    /// "within 15 working days of receiving a complete dossier").
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let mut d = start;
        let mut left = n;
        while left > 0 {
            d = d.checked_add_days(Days::new(1)).unwrap_or(d);
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// Working days strictly after `from` up to and including `to` (0 when `to <= from`).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let mut n = 0;
        let mut d = from;
        while d < to {
            d = d.checked_add_days(Days::new(1)).unwrap_or(to);
            if self.is_working_day(d) {
                n += 1;
            }
        }
        n
    }
}

/// The last millisecond of a day in Vietnam (UTC+7), for a deadline that runs to the end of
/// its day.
pub fn end_of_day_vn(d: NaiveDate) -> i64 {
    let next = d.succ_opt().unwrap_or(d).and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp_millis()).unwrap_or(0);
    next - i64::from(crate::time::VN_OFFSET_SECS) * 1000 - 1
}

/// The first millisecond of a day in Vietnam (UTC+7).
pub fn start_of_day_vn(d: NaiveDate) -> i64 {
    let midnight = d.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp_millis()).unwrap_or(0);
    midnight - i64::from(crate::time::VN_OFFSET_SECS) * 1000
}

/// The first days of the last `n` calendar months up to and including `today`'s, oldest first.
pub fn last_months(today: NaiveDate, n: u32) -> Vec<NaiveDate> {
    let this = today.with_day(1).unwrap_or(today);
    (0..n).rev().filter_map(|back| this.checked_sub_months(chrono::Months::new(back))).collect()
}

/// Parses "dd/mm/yyyy" (as people type it here) or ISO "yyyy-mm-dd".
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d").or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y")).ok()
}

/// A stored date (yyyy-mm-dd) as people here write it: dd/mm/yyyy; unknown text unchanged.
pub fn display_date(stored: &str) -> String {
    parse_date(stored).map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_else(|| stored.to_string())
}

/// An optional stored date for a page: dd/mm/yyyy, or "—".
pub fn display_opt(stored: Option<&str>) -> String {
    stored.map(display_date).unwrap_or_else(|| "—".to_string())
}

/// The Vietnam date of a UTC millisecond time (today's: `Clock::today_vn`).
pub fn date_vn(ms: i64) -> NaiveDate {
    chrono::DateTime::<chrono::Utc>::from_timestamp_millis(ms + i64::from(crate::time::VN_OFFSET_SECS) * 1000)
        .unwrap_or_default()
        .date_naive()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap_or_default()
    }

    #[test]
    fn months_run_oldest_first_across_a_new_year_in_vietnam_time() {
        let months = last_months(d("2027-02-14"), 4);
        assert_eq!(months, vec![d("2026-11-01"), d("2026-12-01"), d("2027-01-01"), d("2027-02-01")]);
        // 00:00 on 1/1/2027 in Vietnam is 17:00 on 31/12/2026 UTC.
        assert_eq!(start_of_day_vn(d("2027-01-01")), 1_798_736_400_000);
        assert_eq!(start_of_day_vn(d("2027-01-02")) - 1, end_of_day_vn(d("2027-01-01")));
    }

    #[test]
    fn skips_weekends_and_holidays() {
        let none = Holidays::default();
        // Friday 20/11/2026 + 1 working day = Monday 23/11/2026.
        assert_eq!(none.add_working_days(d("20/11/2026"), 1), d("23/11/2026"));
        assert_eq!(none.add_working_days(d("23/11/2026"), 15), d("14/12/2026"));
        let mut h = Holidays::default();
        h.0.insert(d("2026-09-02"));
        h.0.insert(d("2026-09-01"));
        // Monday 31/8 + 2 working days skips Tue 1/9 and Wed 2/9 (holidays).
        assert_eq!(h.add_working_days(d("31/08/2026"), 2), d("04/09/2026"));
        assert_eq!(h.working_days_between(d("31/08/2026"), d("04/09/2026")), 2);
        assert_eq!(h.working_days_between(d("04/09/2026"), d("31/08/2026")), 0);
    }

    #[test]
    fn working_days_round_trip() {
        let mut h = Holidays::default();
        h.0.insert(d("2027-02-08"));
        let start = d("2027-01-01");
        for n in 0..200 {
            let end = h.add_working_days(start, n);
            assert_eq!(h.working_days_between(start, end), n);
            assert!(n == 0 || h.is_working_day(end));
        }
    }

    #[test]
    fn parses_both_date_forms() {
        assert_eq!(parse_date("2026-11-23"), parse_date("23/11/2026"));
        assert_eq!(parse_date("31/02/2026"), None);
    }
}
