//! Provincial plans as tracked work (issue 15, begun): the cadence a plan's task table writes in
//! its "Thời gian thực hiện" column, read into a schedule, and a task's unit names matched to the
//! units tree. Text that cannot be read is kept and flagged, never guessed.

pub mod progress;

use crate::fold::fold;
use chrono::NaiveDate;

/// When a task is to be done, as the plans write it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cadence {
    /// "Thường xuyên": continuous, reported each reporting period.
    Continuous,
    /// "Hàng năm", "Hằng năm", "Định kỳ hằng năm".
    Yearly,
    /// "Hàng quý".
    Quarterly,
    /// "Hàng tháng".
    Monthly,
    /// "2023-2025", "Giai đoạn 2023 – 2025": within these years, inclusive.
    Years { from: i32, to: i32 },
    /// "2024", "Năm 2024".
    Year(i32),
    /// "Quý II/2026": by the end of that quarter.
    Quarter { year: i32, quarter: u32 },
    /// "Tháng 4/2026": by the end of that month.
    Month { year: i32, month: u32 },
    /// "15/11/2026", "Trước ngày 15/11/2026": by that day.
    Day(NaiveDate),
    /// Anything else, kept as written for the authority to read (and to fix in the table).
    Unread(String),
}

impl Cadence {
    /// Reads a cadence cell. Leading "trước ngày" / "chậm nhất" / "giai đoạn" / "định kỳ" are
    /// words around the date, not part of it.
    pub fn parse(text: &str) -> Cadence {
        let folded = fold(text);
        let mut t = folded.trim().trim_end_matches('.').trim();
        for lead in ["truoc ngay", "truoc", "cham nhat ngay", "cham nhat", "giai doan", "dinh ky", "trong"] {
            if let Some(rest) = t.strip_prefix(lead) {
                t = rest.trim();
            }
        }
        let unread = || Cadence::Unread(text.trim().to_string());
        match t {
            "thuong xuyen" | "lien tuc" => return Cadence::Continuous,
            "hang nam" | "hang nam hoac dot xuat" => return Cadence::Yearly,
            "hang quy" => return Cadence::Quarterly,
            "hang thang" => return Cadence::Monthly,
            _ => {}
        }
        // Other spellings of the same word ("hằng" folds to "hang" already).
        if let Some(rest) = t.strip_prefix("nam ") {
            return year(rest.trim()).map(Cadence::Year).unwrap_or_else(unread);
        }
        if let Some(rest) = t.strip_prefix("quy ") {
            return quarter(rest.trim()).unwrap_or_else(unread);
        }
        if let Some(rest) = t.strip_prefix("thang ") {
            return month(rest.trim()).unwrap_or_else(unread);
        }
        if let Some(day) = crate::calendar::parse_date(t) {
            return Cadence::Day(day);
        }
        if let Some((a, b)) = t.split_once(['-', '–', '—']) {
            return match (year(a.trim()), year(b.trim())) {
                (Some(from), Some(to)) if from <= to => Cadence::Years { from, to },
                _ => unread(),
            };
        }
        year(t).map(Cadence::Year).unwrap_or_else(unread)
    }

    /// Whether the text was read (an `Unread` cadence is listed for the authority).
    pub fn is_read(&self) -> bool {
        !matches!(self, Cadence::Unread(_))
    }

    /// The last day the task is due by, when the cadence names one.
    pub fn due_by(&self) -> Option<NaiveDate> {
        let end_of_month = |y: i32, m: u32| {
            let next =
                if m == 12 { NaiveDate::from_ymd_opt(y + 1, 1, 1) } else { NaiveDate::from_ymd_opt(y, m + 1, 1) };
            next.and_then(|d| d.pred_opt())
        };
        match self {
            Cadence::Day(d) => Some(*d),
            Cadence::Month { year, month } => end_of_month(*year, *month),
            Cadence::Quarter { year, quarter } => end_of_month(*year, quarter * 3),
            Cadence::Year(y) | Cadence::Years { to: y, .. } => NaiveDate::from_ymd_opt(*y, 12, 31),
            _ => None,
        }
    }
}

fn year(t: &str) -> Option<i32> {
    let y: i32 = t.parse().ok()?;
    (2000..=2100).contains(&y).then_some(y)
}

/// "ii/2026", "2/2026", "iv 2026".
fn quarter(t: &str) -> Option<Cadence> {
    let (q, y) = t.split_once(['/', ' ', '-'])?;
    let quarter = match q.trim() {
        "i" | "1" => 1,
        "ii" | "2" => 2,
        "iii" | "3" => 3,
        "iv" | "4" => 4,
        _ => return None,
    };
    Some(Cadence::Quarter { year: year(y.trim())?, quarter })
}

/// "4/2026", "04/2026", "4 nam 2026".
fn month(t: &str) -> Option<Cadence> {
    let (m, y) = t.split_once('/').or_else(|| t.split_once(" nam "))?;
    let month: u32 = m.trim().parse().ok()?;
    (1..=12).contains(&month).then_some(())?;
    Some(Cadence::Month { year: year(y.trim())?, month })
}

/// How a unit name from a plan's table matched the units tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitMatch {
    /// One unit: its id.
    One(i64),
    /// Several units have this name: the authority picks one, once.
    Several(Vec<i64>),
    /// No unit has this name (nor a mapping remembered for it).
    None,
}

/// Matches a name as a plan writes it ("- Sở Thông tin và Truyền thông", "UBND quận, huyện")
/// against `units` (id, name), ignoring diacritics, case, list dashes and the usual
/// abbreviations (UBND = Ủy ban nhân dân); a remembered mapping (folded name → unit) wins.
pub fn match_unit(name: &str, units: &[(i64, String)], remembered: &[(String, i64)]) -> UnitMatch {
    let key = unit_key(name);
    if let Some((_, id)) = remembered.iter().find(|(k, _)| unit_key(k) == key) {
        return UnitMatch::One(*id);
    }
    let hits: Vec<i64> = units.iter().filter(|(_, n)| unit_key(n) == key).map(|(id, _)| *id).collect();
    match hits.as_slice() {
        [] => UnitMatch::None,
        [one] => UnitMatch::One(*one),
        _ => UnitMatch::Several(hits),
    }
}

/// The folded form two spellings of a unit's name share.
pub fn unit_key(name: &str) -> String {
    let folded = fold(name);
    let trimmed = folded.trim_start_matches(['-', '–', '•', '+', '*', ' ']).trim().trim_end_matches(['.', ';', ',']);
    let mut key =
        trimmed.replace("ubnd ", "uy ban nhan dan ").replace("tp.", "thanh pho ").replace("tp ", "thanh pho ");
    key = key.split_whitespace().collect::<Vec<_>>().join(" ");
    key
}

/// Splits a table cell listing several units (one per line, or a dash list on one line) into
/// names. " - " separates names only in a line that is itself a dash list: in "Sở Lao động -
/// Thương binh và Xã hội" the dash is part of one name.
pub fn unit_names(cell: &str) -> Vec<String> {
    cell.split(['\n', ';'])
        .flat_map(|line| {
            let line = line.trim();
            if line.starts_with(['-', '–', '•', '+']) {
                line.split(" - ").collect::<Vec<_>>()
            } else {
                vec![line]
            }
        })
        .map(|n| n.trim().trim_start_matches(['-', '–', '•', '+', '*']).trim().trim_end_matches(['.', ',']).to_string())
        .filter(|n| !n.is_empty())
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// The cadences the four plans in `../shared/seeds` write (HCM 3131's appendix, Cần Thơ,
    /// Hải Phòng "tháng 4/2026", "quý II/2026").
    #[test]
    fn the_plans_cadences_are_read() {
        assert_eq!(Cadence::parse("Thường xuyên"), Cadence::Continuous);
        assert_eq!(Cadence::parse("Hàng năm"), Cadence::Yearly);
        assert_eq!(Cadence::parse("Định kỳ hằng năm"), Cadence::Yearly);
        assert_eq!(Cadence::parse("hàng tháng"), Cadence::Monthly);
        assert_eq!(Cadence::parse("2023-2025"), Cadence::Years { from: 2023, to: 2025 });
        assert_eq!(Cadence::parse("Giai đoạn 2023 – 2025"), Cadence::Years { from: 2023, to: 2025 });
        assert_eq!(Cadence::parse("2023"), Cadence::Year(2023));
        assert_eq!(Cadence::parse("Năm 2026"), Cadence::Year(2026));
        assert_eq!(Cadence::parse("Tháng 4/2026"), Cadence::Month { year: 2026, month: 4 });
        assert_eq!(Cadence::parse("Quý II/2026"), Cadence::Quarter { year: 2026, quarter: 2 });
        assert_eq!(Cadence::parse("Trước ngày 15/11/2026"), Cadence::Day(day(2026, 11, 15)));
    }

    #[test]
    fn what_cannot_be_read_is_kept_and_flagged_never_guessed() {
        for text in ["Theo chỉ đạo", "2025-2023", "Tháng 13/2026", "Quý V/2026", "100%", ""] {
            let c = Cadence::parse(text);
            assert!(!c.is_read(), "{text:?} read as {c:?}");
            assert_eq!(c, Cadence::Unread(text.trim().to_string()));
        }
    }

    #[test]
    fn a_cadence_is_due_by_the_end_of_its_period() {
        assert_eq!(Cadence::parse("Tháng 2/2028").due_by(), Some(day(2028, 2, 29)));
        assert_eq!(Cadence::parse("Quý IV/2026").due_by(), Some(day(2026, 12, 31)));
        assert_eq!(Cadence::parse("2023-2025").due_by(), Some(day(2025, 12, 31)));
        assert_eq!(Cadence::Continuous.due_by(), None, "continuous work is reported, not finished");
    }

    #[test]
    fn unit_names_match_the_tree_or_ask_once() {
        let units = vec![
            (1, "Sở Thông tin và Truyền thông".to_string()),
            (2, "Công an Thành phố".to_string()),
            (3, "Ủy ban nhân dân phường An Bình".to_string()),
            (4, "Ủy ban nhân dân phường An Bình".to_string()),
        ];
        assert_eq!(match_unit("- Sở Thông tin và Truyền thông", &units, &[]), UnitMatch::One(1));
        assert_eq!(match_unit("CÔNG AN THÀNH PHỐ", &units, &[]), UnitMatch::One(2));
        assert_eq!(match_unit("UBND phường An Bình", &units, &[]), UnitMatch::Several(vec![3, 4]));
        assert_eq!(match_unit("Bộ Tư lệnh Thành phố", &units, &[]), UnitMatch::None);
        let remembered = vec![("Bộ Tư lệnh TP".to_string(), 2)];
        assert_eq!(match_unit("Bộ Tư lệnh TP", &units, &remembered), UnitMatch::One(2), "mapped once, remembered");
    }

    #[test]
    fn a_cell_lists_its_units() {
        let cell = "- Ban Tuyên giáo Thành ủy - Sở Thông tin và Truyền thông - Công an Thành phố";
        assert_eq!(unit_names(cell), ["Ban Tuyên giáo Thành ủy", "Sở Thông tin và Truyền thông", "Công an Thành phố"]);
        assert_eq!(unit_names("Sở Y tế;\nSở Tài chính."), ["Sở Y tế", "Sở Tài chính"]);
        // HCM 3131 task 5.2: one department whose name holds a dash.
        assert_eq!(unit_names("Sở Lao động - Thương binh và Xã hội"), ["Sở Lao động - Thương binh và Xã hội"]);
    }
}
