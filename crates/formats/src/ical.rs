//! A calendar file (RFC 5545, through the icalendar crate) of all-day deadlines, for Outlook,
//! Thunderbird and phone calendars: one event per deadline, its link in the description.

use chrono::NaiveDate;
use icalendar::{Calendar, Component, Event, EventLike};

/// One deadline as a calendar event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEntry {
    /// Stable across downloads, so that a calendar updates the event instead of adding one.
    pub uid: String,
    pub day: NaiveDate,
    pub summary: String,
    pub description: String,
}

/// The calendar as the text of a .ics file.
pub fn write_ics(name: &str, entries: &[CalendarEntry]) -> String {
    let mut calendar = Calendar::new();
    calendar.name(name);
    for e in entries {
        calendar.push(Event::new().uid(&e.uid).all_day(e.day).summary(&e.summary).description(&e.description).done());
    }
    calendar.done().to_string()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_are_all_day_events_with_their_vietnamese_words() {
        let e = CalendarEntry {
            uid: "plan-2-2026-11-7@khien".into(),
            day: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            summary: "Kế hoạch HP-ANM/2026: 3 nhiệm vụ chưa báo cáo kỳ 2026-11".into(),
            description: "Phường Hồng Bàng; /plans/2?period=2026-11".into(),
        };
        let ics = write_ics("Khiên — hạn của đơn vị", &[e]);
        assert!(ics.starts_with("BEGIN:VCALENDAR") && ics.contains("BEGIN:VEVENT"), "{ics}");
        assert!(ics.contains("DTSTART;VALUE=DATE:20261125"), "{ics}");
        assert!(ics.contains("UID:plan-2-2026-11-7@khien"), "{ics}");
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains("Kế hoạch HP-ANM/2026"), "{unfolded}");
    }
}
