//! The clock an instance reads "now" from. The store holds one (`Store::clock`) and the server
//! reads it there, so a running Khiên has one clock; the domain's rules take `now` and `today`
//! as parameters. `System` is the machine's clock; `Fixed` is a time that moves only when told
//! to (tests, which advance it past a deadline instead of back-dating rows).
//!
//! This is the only place that reads the wall clock: the workspace's `clippy.toml` refuses
//! `chrono::Utc::now`, `chrono::Local::now` and `std::time::SystemTime::now` elsewhere.

use chrono::{NaiveDate, TimeDelta};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

#[derive(Debug, Clone, Default)]
pub enum Clock {
    /// The machine's clock.
    #[default]
    System,
    /// A time that moves only when its holder sets or advances it; clones share it.
    Fixed(FixedTime),
}

impl Clock {
    /// UTC milliseconds, as times are stored.
    #[allow(clippy::disallowed_methods)] // the one reading of the wall clock
    pub fn now_ms(&self) -> i64 {
        match self {
            Clock::System => chrono::Utc::now().timestamp_millis(),
            Clock::Fixed(t) => t.now_ms(),
        }
    }

    /// Today's date in Vietnam (Asia/Ho_Chi_Minh).
    pub fn today_vn(&self) -> NaiveDate {
        crate::calendar::date_vn(self.now_ms())
    }
}

/// A settable instant shared by its clones: the test keeps one, the store's `Clock::Fixed` the
/// other.
#[derive(Debug, Clone)]
pub struct FixedTime(Arc<AtomicI64>);

impl FixedTime {
    /// A time standing at `ms` (UTC milliseconds).
    pub fn at(ms: i64) -> FixedTime {
        FixedTime(Arc::new(AtomicI64::new(ms)))
    }

    pub fn now_ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }

    pub fn set(&self, ms: i64) {
        self.0.store(ms, Ordering::SeqCst);
    }

    /// Moves the time by `by` (backwards when negative).
    pub fn advance(&self, by: TimeDelta) {
        self.0.fetch_add(by.num_milliseconds(), Ordering::SeqCst);
    }

    /// A clock reading this time.
    pub fn clock(&self) -> Clock {
        Clock::Fixed(self.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_moves_only_when_told() {
        // 2026-11-23T18:00:00Z is already 24/11 in Hanoi.
        let time = FixedTime::at(1_795_456_800_000);
        let clock = time.clock();
        assert_eq!(clock.now_ms(), 1_795_456_800_000);
        assert_eq!(clock.today_vn(), NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or_default());
        time.advance(TimeDelta::days(7));
        assert_eq!(clock.clone().today_vn(), NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default());
        time.set(0);
        assert_eq!(clock.now_ms(), 0);
    }

    #[test]
    fn the_system_clock_is_today() {
        let before = crate::calendar::date_vn(Clock::System.now_ms());
        assert!(Clock::System.now_ms() > 1_767_225_600_000, "after 2026-01-01");
        assert!(Clock::System.today_vn() >= before);
    }
}
