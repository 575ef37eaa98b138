//! Times are stored as UTC milliseconds and shown in Asia/Ho_Chi_Minh (UTC+7, no DST since 1975).
//! "Now" comes from the instance's `Clock` (`crate::clock`).

use chrono::{DateTime, FixedOffset, Utc};

pub const VN_OFFSET_SECS: i32 = 7 * 3600;

fn vn(ms: i64) -> Option<DateTime<FixedOffset>> {
    let offset = FixedOffset::east_opt(VN_OFFSET_SECS)?;
    DateTime::<Utc>::from_timestamp_millis(ms).map(|t| t.with_timezone(&offset))
}

/// "23/11/2026 18:05" in Vietnam time.
pub fn display_vn(ms: i64) -> String {
    vn(ms).map(|t| t.format("%d/%m/%Y %H:%M").to_string()).unwrap_or_default()
}

/// A wall-clock time typed in Vietnam: "23/11/2026 08:30" as people write it (the one date
/// control), or "2026-11-23T08:30" as a datetime-local field or a script sends it.
pub fn parse_vn_local(s: &str) -> Option<i64> {
    let s = s.trim();
    let t = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|f| chrono::NaiveDateTime::parse_from_str(s, f).ok())?;
    Some(t.and_utc().timestamp_millis() - i64::from(VN_OFFSET_SECS) * 1000)
}

/// How long until a deadline, or how long past it: "còn 5 giờ", "quá hạn 2 ngày"
/// ("5 hours left", "2 days overdue"), in whole days from a day on, else hours, else minutes.
pub fn time_left(due_ms: i64, now_ms: i64, lang: crate::Lang) -> String {
    let diff = due_ms - now_ms;
    let minutes = diff.abs() / 60_000;
    let (n, vi, en) = if minutes >= 24 * 60 {
        (minutes / (24 * 60), "ngày", "day")
    } else if minutes >= 60 {
        (minutes / 60, "giờ", "hour")
    } else {
        (minutes, "phút", "minute")
    };
    let plural = if n == 1 { "" } else { "s" };
    match (lang, diff >= 0) {
        (crate::Lang::Vi, true) => format!("còn {n} {vi}"),
        (crate::Lang::Vi, false) => format!("quá hạn {n} {vi}"),
        (crate::Lang::En, true) => format!("{n} {en}{plural} left"),
        (crate::Lang::En, false) => format!("{n} {en}{plural} overdue"),
    }
}

/// The same for a deadline that is a calendar day, counted in days from `today`.
pub fn days_left(due: chrono::NaiveDate, today: chrono::NaiveDate, lang: crate::Lang) -> String {
    let n = (due - today).num_days();
    let plural = if n.abs() == 1 { "" } else { "s" };
    match (lang, n) {
        (crate::Lang::Vi, 0) => "hạn hôm nay".into(),
        (crate::Lang::En, 0) => "due today".into(),
        (crate::Lang::Vi, n) if n > 0 => format!("còn {n} ngày"),
        (crate::Lang::Vi, n) => format!("quá hạn {} ngày", -n),
        (crate::Lang::En, n) if n > 0 => format!("{n} day{plural} left"),
        (crate::Lang::En, n) => format!("{} day{plural} overdue", -n),
    }
}

/// RFC 3339 UTC, for the API.
pub fn rfc3339(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_default()
}

/// Parses an RFC 3339 time into UTC milliseconds.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(s).ok().map(|t| t.timestamp_millis())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    #[test]
    fn time_left_counts_the_largest_whole_unit_either_side() {
        use super::{days_left, time_left};
        use crate::Lang::{En, Vi};
        let h = 3_600_000;
        assert_eq!(time_left(5 * h + 1, 0, Vi), "còn 5 giờ");
        assert_eq!(time_left(0, 49 * h, Vi), "quá hạn 2 ngày");
        assert_eq!(time_left(0, 49 * h, En), "2 days overdue");
        assert_eq!(time_left(60_000, 0, En), "1 minute left");
        let d = |s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(days_left(d("2026-12-09"), d("2026-12-06"), Vi), "còn 3 ngày");
        assert_eq!(days_left(d("2026-12-06"), d("2026-12-06"), Vi), "hạn hôm nay");
        assert_eq!(days_left(d("2026-12-05"), d("2026-12-06"), En), "1 day overdue");
    }

    use super::*;

    #[test]
    fn vietnam_wall_clock_round_trips() {
        let ms = parse_vn_local("23/11/2026 08:30").unwrap_or_default();
        assert_eq!(rfc3339(ms), "2026-11-23T01:30:00.000Z");
        assert_eq!(display_vn(ms), "23/11/2026 08:30");
        assert_eq!(parse_vn_local("2026-11-23T08:30"), Some(ms));
        assert!(parse_vn_local("23/11/2026").is_none(), "a time needs its hour");
        assert!(parse_vn_local("31/02/2026 08:30").is_none());
    }

    #[test]
    fn shows_vietnam_time() {
        // 2026-11-23T11:00:00Z is 18:00 in Hanoi.
        let ms = 1_795_431_600_000;
        assert_eq!(rfc3339(ms), "2026-11-23T11:00:00.000Z");
        assert_eq!(display_vn(ms), "23/11/2026 18:00");
        assert_eq!(parse_rfc3339("2026-11-23T18:00:00+07:00"), Some(ms));
        assert_eq!(parse_rfc3339("23/11/2026"), None);
    }
}
