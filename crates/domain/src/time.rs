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

/// A wall-clock time typed in Vietnam ("2026-11-23T08:30", as a datetime-local field sends it).
pub fn parse_vn_local(s: &str) -> Option<i64> {
    let s = s.trim();
    let t = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    Some(t.and_utc().timestamp_millis() - i64::from(VN_OFFSET_SECS) * 1000)
}

/// The datetime-local form of a stored time, in Vietnam.
pub fn vn_local(ms: i64) -> String {
    vn(ms).map(|t| t.format("%Y-%m-%dT%H:%M").to_string()).unwrap_or_default()
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
mod tests {
    use super::*;

    #[test]
    fn vietnam_wall_clock_round_trips() {
        let ms = parse_vn_local("2026-11-23T08:30").unwrap_or_default();
        assert_eq!(rfc3339(ms), "2026-11-23T01:30:00.000Z");
        assert_eq!(vn_local(ms), "2026-11-23T08:30");
        assert!(parse_vn_local("23/11/2026").is_none());
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
