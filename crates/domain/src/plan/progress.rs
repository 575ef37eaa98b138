//! Reporting on a plan's tasks: the reporting cadence a plan orders (yearly by 15/11 in HCM 3131
//! IV and Cần Thơ, monthly in Hải Phòng), its periods and their deadlines, the status a unit
//! reports, and what a unit name in the task table stands for once the authority has mapped it.

use crate::system::code_enum;
use crate::unit::UnitType;
use crate::{Error, Result};
use chrono::{Datelike, NaiveDate};

code_enum!(
    /// Where a unit stands on one task in one period.
    ProgressStatus {
        NotStarted = "not_started": "Chưa triển khai" / "Not started",
        InProgress = "in_progress": "Đang triển khai" / "In progress",
        Done = "done": "Hoàn thành" / "Done",
        Blocked = "blocked": "Vướng mắc" / "Blocked",
    }
);

code_enum!(
    /// How a unit is named on a task.
    TaskRole {
        Lead = "lead": "Chủ trì" / "Lead",
        Coordinating = "coordinating": "Phối hợp" / "Co-ordinating",
    }
);

code_enum!(
    /// How a unit name of a task table was resolved, in the import's preview.
    MatchStatus {
        Matched = "matched": "Khớp một đơn vị" / "Matched one unit",
        Remembered = "remembered": "Đã gán từ trước" / "Mapped before",
        Chosen = "chosen": "Vừa chọn" / "Chosen now",
        Several = "several": "Trùng tên nhiều đơn vị: hãy chọn" / "Several units share the name: choose",
        Unmatched = "unmatched": "Chưa khớp đơn vị nào: hãy chọn" / "No unit matches: choose",
    }
);

/// When units report on a plan: once a year by a day and month, or every month by a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reporting {
    /// "định kỳ hằng năm, trước ngày 15 tháng 11": the report on year Y is due on day/month of Y.
    Yearly { day: u32, month: u32 },
    /// "hàng tháng": the report on month M is due on that day of M (the last day when M is shorter).
    Monthly { day: u32 },
}

impl Reporting {
    /// Builds a cadence from its stored parts, refusing a day that no month or year has.
    pub fn new(kind: &str, day: u32, month: u32) -> Result<Reporting> {
        let bad_day = || {
            Error::invalid(
                "report_day",
                format!("Ngày báo cáo {day}/{month} không có trong năm."),
                format!("The reporting day {day}/{month} does not exist."),
            )
        };
        match kind {
            "yearly" => {
                // 29/02 would skip three years in four.
                NaiveDate::from_ymd_opt(2023, month, day).ok_or_else(bad_day)?;
                Ok(Reporting::Yearly { day, month })
            }
            "monthly" if (1..=31).contains(&day) => Ok(Reporting::Monthly { day }),
            "monthly" => Err(bad_day()),
            other => Err(Error::invalid(
                "reporting",
                format!("«{other}» không phải kỳ báo cáo; chọn yearly hoặc monthly."),
                format!("«{other}» is not a reporting cadence; choose yearly or monthly."),
            )),
        }
    }

    pub fn kind(self) -> &'static str {
        match self {
            Reporting::Yearly { .. } => "yearly",
            Reporting::Monthly { .. } => "monthly",
        }
    }

    /// The period that contains `day`: "2026" or "2026-05".
    pub fn period_of(self, day: NaiveDate) -> String {
        match self {
            Reporting::Yearly { .. } => format!("{}", day.year()),
            Reporting::Monthly { .. } => format!("{}-{:02}", day.year(), day.month()),
        }
    }

    /// Reads a period written for this cadence; the error says which form is expected.
    pub fn parse_period(self, period: &str) -> Result<Period> {
        let p = period.trim();
        let parsed = match self {
            Reporting::Yearly { .. } => p.parse::<i32>().ok().filter(|y| (2000..=2100).contains(y)).map(|y| (y, 1, 12)),
            Reporting::Monthly { .. } => p.split_once('-').and_then(|(y, m)| {
                let (y, m) = (y.parse::<i32>().ok()?, m.parse::<u32>().ok()?);
                ((2000..=2100).contains(&y) && (1..=12).contains(&m) && p.len() == 7).then_some((y, m, m))
            }),
        };
        let (year, first, last) = parsed.ok_or_else(|| {
            let (vi, en) = match self {
                Reporting::Yearly { .. } => ("một năm, ví dụ 2026", "a year, e.g. 2026"),
                Reporting::Monthly { .. } => ("một tháng, ví dụ 2026-05", "a month, e.g. 2026-05"),
            };
            Error::invalid(
                "period",
                format!("Kỳ báo cáo «{p}» phải là {vi}."),
                format!("The period «{p}» must be {en}."),
            )
        })?;
        let start = NaiveDate::from_ymd_opt(year, first, 1).ok_or_else(|| Error::invalid("period", "?", "?"))?;
        let end = last_day(year, last).unwrap_or(start);
        let due = match self {
            Reporting::Yearly { day, month } => NaiveDate::from_ymd_opt(year, month, day).unwrap_or(end),
            Reporting::Monthly { day } => NaiveDate::from_ymd_opt(year, first, day).unwrap_or(end),
        };
        Ok(Period { code: p.to_string(), start, end, due })
    }

    /// A period a unit may report on today: it has begun and lies within the plan's years.
    pub fn reportable(self, period: &str, today: NaiveDate, years: (i32, i32)) -> Result<Period> {
        let p = self.parse_period(period)?;
        if p.start > today {
            return Err(Error::invalid(
                "period",
                format!("Kỳ báo cáo {} chưa bắt đầu (bắt đầu {}).", p.code, p.start.format("%d/%m/%Y")),
                format!("The period {} has not started yet (it starts on {}).", p.code, p.start.format("%d/%m/%Y")),
            ));
        }
        if p.start.year() < years.0 || p.start.year() > years.1 {
            return Err(Error::invalid(
                "period",
                format!("Kỳ báo cáo {} nằm ngoài thời gian của kế hoạch ({}–{}).", p.code, years.0, years.1),
                format!("The period {} lies outside the plan's years ({}–{}).", p.code, years.0, years.1),
            ));
        }
        Ok(p)
    }

    /// The periods of the plan's years that have begun by `today`, newest first.
    pub fn periods_until(self, today: NaiveDate, years: (i32, i32)) -> Vec<String> {
        let mut out = Vec::new();
        for year in (years.0..=years.1.min(today.year())).rev() {
            match self {
                Reporting::Yearly { .. } => out.push(year.to_string()),
                Reporting::Monthly { .. } => {
                    let last = if year == today.year() { today.month() } else { 12 };
                    out.extend((1..=last).rev().map(|m| format!("{year}-{m:02}")));
                }
            }
        }
        out
    }

    /// "Hằng năm, trước ngày 15/11" / "Hằng tháng, trước ngày 20".
    pub fn label(self, lang: crate::Lang) -> String {
        match (self, lang) {
            (Reporting::Yearly { day, month }, crate::Lang::Vi) => format!("Hằng năm, trước ngày {day:02}/{month:02}"),
            (Reporting::Yearly { day, month }, _) => format!("Yearly, by {day:02}/{month:02}"),
            (Reporting::Monthly { day }, crate::Lang::Vi) => format!("Hằng tháng, trước ngày {day}"),
            (Reporting::Monthly { day }, _) => format!("Monthly, by day {day}"),
        }
    }
}

/// A period as people write it: "Năm 2026" / "Tháng 5/2026" ("2026", "05/2026" in English).
pub fn period_label(code: &str, lang: crate::Lang) -> String {
    match (code.split_once('-'), lang) {
        (Some((y, m)), crate::Lang::Vi) => format!("Tháng {}/{y}", m.trim_start_matches('0')),
        (Some((y, m)), _) => format!("{m}/{y}"),
        (None, crate::Lang::Vi) => format!("Năm {code}"),
        (None, _) => code.to_string(),
    }
}

/// One reporting period of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// "2026" or "2026-05".
    pub code: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// The day the report on this period is due.
    pub due: NaiveDate,
}

/// Days before a reporting deadline when the units that have not reported are reminded.
pub const REMIND_DAYS_BEFORE: i64 = 7;

/// Which reminder, if any, a unit that has not reported on `period` gets on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportReminder {
    /// The deadline is within `REMIND_DAYS_BEFORE` days.
    DueSoon,
    /// The deadline has passed.
    Overdue,
}

impl Period {
    pub fn reminder(&self, today: NaiveDate) -> Option<ReportReminder> {
        let days_left = (self.due - today).num_days();
        if days_left < 0 {
            Some(ReportReminder::Overdue)
        } else if days_left <= REMIND_DAYS_BEFORE {
            Some(ReportReminder::DueSoon)
        } else {
            None
        }
    }
}

fn last_day(year: i32, month: u32) -> Option<NaiveDate> {
    let next =
        if month == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1) } else { NaiveDate::from_ymd_opt(year, month + 1, 1) };
    next?.pred_opt()
}

/// What a unit name of a task table stands for, once matched or mapped by the authority.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameTarget {
    /// One unit of the tree.
    Unit(i64),
    /// Every active unit of a type ("Các sở, ban, ngành" → every department).
    Type(UnitType),
    /// Named in the plan, but no unit reports for it ("Các doanh nghiệp nền tảng số").
    Untracked,
}

impl NameTarget {
    /// "unit:12", "type:ward", "none": as stored and as the mapping form sends it.
    pub fn code(&self) -> String {
        match self {
            NameTarget::Unit(id) => format!("unit:{id}"),
            NameTarget::Type(t) => format!("type:{}", t.code()),
            NameTarget::Untracked => "none".to_string(),
        }
    }

    pub fn parse(s: &str) -> Result<NameTarget> {
        let bad = || {
            Error::invalid(
                "mapping",
                format!("«{s}» không phải đơn vị, loại đơn vị hay «không theo dõi»."),
                format!("«{s}» is neither a unit, a unit type nor «not tracked»."),
            )
        };
        match s.trim().split_once(':') {
            Some(("unit", id)) => id.parse().map(NameTarget::Unit).map_err(|_| bad()),
            Some(("type", t)) => UnitType::parse(t).map(NameTarget::Type).map_err(|_| bad()),
            None if s.trim() == "none" => Ok(NameTarget::Untracked),
            _ => Err(bad()),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// HCM 3131 IV: units report yearly before 15 November; the period is the calendar year.
    #[test]
    fn hcm_3131_iv_yearly_report_is_due_on_15_november() {
        let r = Reporting::new("yearly", 15, 11).unwrap();
        let p = r.parse_period("2026").unwrap();
        assert_eq!((p.start, p.end, p.due), (day(2026, 1, 1), day(2026, 12, 31), day(2026, 11, 15)));
        assert_eq!(p.reminder(day(2026, 11, 1)), None);
        assert_eq!(p.reminder(day(2026, 11, 8)), Some(ReportReminder::DueSoon));
        assert_eq!(p.reminder(day(2026, 11, 15)), Some(ReportReminder::DueSoon));
        assert_eq!(p.reminder(day(2026, 11, 16)), Some(ReportReminder::Overdue));
        assert_eq!(r.period_of(day(2026, 12, 6)), "2026");
    }

    /// Hải Phòng's plan (seed 004): results reported monthly with the unit's monthly report.
    #[test]
    fn a_monthly_report_is_due_on_its_day_or_the_months_last() {
        let r = Reporting::new("monthly", 31, 0).unwrap();
        assert_eq!(r.parse_period("2026-02").unwrap().due, day(2026, 2, 28));
        assert_eq!(r.period_of(day(2026, 5, 3)), "2026-05");
        assert!(
            r.parse_period("2026").is_err() && r.parse_period("2026-13").is_err() && r.parse_period("2026-5").is_err()
        );
        assert_eq!(r.periods_until(day(2026, 3, 4), (2025, 2026)).len(), 15);
    }

    #[test]
    fn a_period_that_has_not_started_cannot_be_reported() {
        let r = Reporting::new("yearly", 15, 11).unwrap();
        let e = r.reportable("2027", day(2026, 12, 6), (2023, 2030)).unwrap_err();
        assert!(e.to_string().contains("has not started"), "{e}");
        assert!(r.reportable("2022", day(2026, 12, 6), (2023, 2030)).is_err(), "before the plan's years");
        assert!(r.reportable("2026", day(2026, 12, 6), (2023, 2030)).is_ok());
        assert!(Reporting::new("yearly", 29, 2).is_err() && Reporting::new("monthly", 0, 0).is_err());
    }

    #[test]
    fn periods_read_as_people_write_them() {
        assert_eq!(period_label("2026-05", crate::Lang::Vi), "Tháng 5/2026");
        assert_eq!(period_label("2026", crate::Lang::Vi), "Năm 2026");
        assert_eq!(period_label("2026-11", crate::Lang::En), "11/2026");
    }

    #[test]
    fn name_targets_round_trip() {
        for t in [NameTarget::Unit(12), NameTarget::Type(UnitType::Ward), NameTarget::Untracked] {
            assert_eq!(NameTarget::parse(&t.code()).unwrap(), t);
        }
        assert!(NameTarget::parse("type:castle").is_err() && NameTarget::parse("unit:x").is_err());
    }
}
