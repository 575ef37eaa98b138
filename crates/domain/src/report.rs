//! Periodic reports (issue 16.5): the authority opens a round of a report template for a
//! period and the units that owe it; each unit drafts its report, which Khiên pre-fills from its
//! own records (indicators, systems, plan tasks, incidents, findings) around the narrative the
//! unit writes; the unit's head submits it — a frozen, hashed version — and the authority
//! accepts it or returns it with a reason, then builds the city's report from the submissions.
//!
//! The templates and their deadlines come from the plans and the decree:
//! - the yearly plan report, units → the authority before 15 November (HCM 3131 VI.5; Cần Thơ
//!   VI.2.c);
//! - the monthly report (Hải Phòng: folded into the units' monthly reports; no day is set, so the
//!   authority sets it when it opens the round);
//! - NĐ 331/2026 Mẫu 08, the yearly report on level protection: the period runs 15 December of the
//!   year before to 14 December, units → the owning body by 20 December (Đ35);
//! - the response network member's report (TT 20/2017, Biểu mẫu 05; the form's own columns were
//!   not read for this, so its parts follow the report's purpose): half-yearly before 20 June,
//!   yearly before 15 December.

use crate::system::code_enum;
use crate::{Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

code_enum!(
    /// The report a round asks for.
    ReportTemplate {
        PlanYear = "plan_year": "Báo cáo kết quả thực hiện kế hoạch bảo đảm an toàn thông tin năm" / "Yearly report on the cybersecurity plan",
        Monthly = "monthly": "Báo cáo tình hình an toàn thông tin tháng" / "Monthly cybersecurity report",
        Form08 = "form08": "Báo cáo năm về bảo đảm an toàn hệ thống thông tin theo cấp độ (Mẫu 08, NĐ 331/2026)" / "Yearly report on level-based protection (NĐ 331/2026 Form 08)",
        Network = "network": "Báo cáo của thành viên mạng lưới ứng cứu sự cố (Biểu mẫu 05, TT 20/2017; 6 tháng, năm)" / "Response network member's report (TT 20/2017 Form 05; half-year, year)",
    }
);

code_enum!(
    /// Where a unit's report stands.
    ReportState {
        Pending = "pending": "Chưa lập" / "Not started",
        Draft = "draft": "Đang soạn" / "Drafting",
        Submitted = "submitted": "Đã nộp" / "Submitted",
        Returned = "returned": "Bị trả lại" / "Returned",
        Accepted = "accepted": "Đã tiếp nhận" / "Accepted",
    }
);

code_enum!(
    /// A count a report carries, read from the unit's records.
    Fact {
        Systems = "systems": "Số hệ thống thông tin" / "Information systems",
        Approved = "approved": "Đã được phê duyệt cấp độ" / "Level approved",
        FourLayers = "four_layers": "Đủ 4 lớp bảo vệ" / "All four protection layers",
        PlanImplemented = "plan_implemented": "Đã triển khai đầy đủ phương án bảo vệ" / "Protection plan fully implemented",
        Assessed = "assessed": "Được kiểm tra, đánh giá định kỳ" / "Periodically assessed",
        MonitoredConnected = "monitored_connected": "Được giám sát, kết nối hệ thống giám sát quốc gia" / "Monitored and connected to national monitoring",
        Violations = "violations": "Vận hành chưa được phê duyệt cấp độ" / "Operating without an approved level",
        IncidentsReported = "incidents_reported": "Sự cố được báo cáo trong kỳ" / "Incidents reported in the period",
        IncidentsClosed = "incidents_closed": "Sự cố đã xử lý xong" / "Incidents closed",
        FindingsOpen = "findings_open": "Điểm yếu, lỗ hổng chưa khắc phục" / "Open findings",
        FindingsOverdue = "findings_overdue": "Điểm yếu quá hạn khắc phục" / "Findings past their deadline",
        TasksAssigned = "tasks_assigned": "Nhiệm vụ kế hoạch được giao" / "Plan tasks assigned",
        TasksReported = "tasks_reported": "Nhiệm vụ đã báo cáo tiến độ trong kỳ" / "Plan tasks reported in the period",
    }
);

/// A part of a report the unit writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Narrative {
    pub key: &'static str,
    pub title_vi: &'static str,
    pub title_en: &'static str,
    /// Must be written before the report is submitted.
    pub required: bool,
}

/// A part of a report, in the order the document prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// Written by the unit.
    Narrative(Narrative),
    /// The indicators' figures of the unit's units for the period.
    Indicators,
    /// Counts from the unit's records.
    Facts { title_vi: &'static str, title_en: &'static str, facts: &'static [Fact] },
    /// The unit's plan tasks and what it reported on each.
    PlanTasks,
}

impl Section {
    pub fn title(self, lang: crate::Lang) -> &'static str {
        match self {
            Section::Narrative(n) => lang.pick(n.title_vi, n.title_en),
            Section::Indicators => lang.pick("Kết quả thực hiện các chỉ tiêu", "The indicators"),
            Section::Facts { title_vi, title_en, .. } => lang.pick(title_vi, title_en),
            Section::PlanTasks => lang.pick("Tình hình thực hiện các nhiệm vụ được giao", "The plan tasks assigned"),
        }
    }
}

const fn narrative(key: &'static str, title_vi: &'static str, title_en: &'static str, required: bool) -> Section {
    Section::Narrative(Narrative { key, title_vi, title_en, required })
}

const SYSTEM_FACTS: Section = Section::Facts {
    title_vi: "Bảo đảm an toàn hệ thống thông tin theo cấp độ",
    title_en: "Level-based protection of information systems",
    facts: &[
        Fact::Systems,
        Fact::Approved,
        Fact::FourLayers,
        Fact::PlanImplemented,
        Fact::Assessed,
        Fact::MonitoredConnected,
        Fact::Violations,
    ],
};

const INCIDENT_FACTS: Section = Section::Facts {
    title_vi: "Sự cố, điểm yếu và lỗ hổng",
    title_en: "Incidents, weaknesses and vulnerabilities",
    facts: &[Fact::IncidentsReported, Fact::IncidentsClosed, Fact::FindingsOpen, Fact::FindingsOverdue],
};

const PROPOSALS: Section = narrative("proposals", "Đề xuất, kiến nghị", "Proposals", false);

const PLAN_YEAR: [Section; 7] = [
    narrative("results", "Kết quả triển khai thực hiện kế hoạch", "What was done under the plan", true),
    Section::Indicators,
    Section::PlanTasks,
    SYSTEM_FACTS,
    INCIDENT_FACTS,
    narrative("difficulties", "Khó khăn, vướng mắc", "Difficulties", false),
    PROPOSALS,
];

const MONTHLY: [Section; 5] = [
    narrative("situation", "Tình hình bảo đảm an toàn thông tin trong tháng", "Cybersecurity in the month", true),
    INCIDENT_FACTS,
    Section::PlanTasks,
    narrative("next_month", "Nhiệm vụ trọng tâm tháng tới", "Next month's priorities", false),
    PROPOSALS,
];

const FORM08: [Section; 3] = [
    SYSTEM_FACTS,
    narrative(
        "implementation",
        "Tình hình triển khai phương án bảo đảm an toàn hệ thống thông tin",
        "How the protection plans are carried out",
        true,
    ),
    PROPOSALS,
];

const NETWORK: [Section; 5] = [
    narrative(
        "response",
        "Hoạt động điều phối, ứng cứu sự cố trong kỳ",
        "Incident co-ordination and response in the period",
        true,
    ),
    INCIDENT_FACTS,
    narrative(
        "drills",
        "Tham gia đào tạo, huấn luyện, diễn tập",
        "Training, exercises and drills taken part in",
        false,
    ),
    narrative("capacity", "Nhân lực, trang thiết bị ứng cứu sự cố", "Response staff and equipment", false),
    PROPOSALS,
];

/// How long a period of a template is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodKind {
    Year,
    Month,
    /// The first half of a year ("2026-H1") or the whole year ("2026").
    HalfOrYear,
}

/// At most this many characters in one narrative part.
pub const MAX_NARRATIVE_CHARS: usize = 20_000;

impl ReportTemplate {
    pub fn sections(self) -> &'static [Section] {
        match self {
            ReportTemplate::PlanYear => &PLAN_YEAR,
            ReportTemplate::Monthly => &MONTHLY,
            ReportTemplate::Form08 => &FORM08,
            ReportTemplate::Network => &NETWORK,
        }
    }

    /// Whether the round asks the response network's approved members (TT 20/2017: the report
    /// is theirs) rather than every unit of the chosen types.
    pub fn asks_network_members(self) -> bool {
        self == ReportTemplate::Network
    }

    pub fn narratives(self) -> impl Iterator<Item = Narrative> {
        self.sections().iter().filter_map(|s| match s {
            Section::Narrative(n) => Some(*n),
            _ => None,
        })
    }

    pub fn period_kind(self) -> PeriodKind {
        match self {
            ReportTemplate::Monthly => PeriodKind::Month,
            ReportTemplate::PlanYear | ReportTemplate::Form08 => PeriodKind::Year,
            ReportTemplate::Network => PeriodKind::HalfOrYear,
        }
    }

    /// The period as stored ("2026" or "2026-11"), checked against the template's kind.
    pub fn check_period(self, period: &str) -> Result<String> {
        let p = period.trim();
        let year_ok = |y: &str| y.len() == 4 && y.parse::<i32>().is_ok_and(|y| (2000..=2100).contains(&y));
        let ok = match self.period_kind() {
            PeriodKind::Year => year_ok(p),
            PeriodKind::Month => p.split_once('-').is_some_and(|(y, m)| {
                year_ok(y) && m.len() == 2 && m.parse::<u32>().is_ok_and(|m| (1..=12).contains(&m))
            }),
            PeriodKind::HalfOrYear => year_ok(p) || p.strip_suffix("-H1").is_some_and(year_ok),
        };
        if ok {
            return Ok(p.to_string());
        }
        Err(match self.period_kind() {
            PeriodKind::Year => Error::invalid(
                "period",
                format!("«{p}»: kỳ của báo cáo năm là một năm, ví dụ 2026."),
                format!("«{p}»: a yearly report's period is a year, e.g. 2026."),
            ),
            PeriodKind::Month => Error::invalid(
                "period",
                format!("«{p}»: kỳ của báo cáo tháng là năm-tháng, ví dụ 2026-11."),
                format!("«{p}»: a monthly report's period is year-month, e.g. 2026-11."),
            ),
            PeriodKind::HalfOrYear => Error::invalid(
                "period",
                format!("«{p}»: kỳ là 6 tháng đầu năm (ví dụ 2026-H1) hoặc cả năm (ví dụ 2026)."),
                format!("«{p}»: the period is a year's first half (e.g. 2026-H1) or the year (e.g. 2026)."),
            ),
        })
    }

    /// The first and last day a period covers (checked with `check_period` first). Mẫu 08's
    /// year runs from 15 December of the year before to 14 December (NĐ 331/2026 Đ35).
    pub fn period_range(self, period: &str) -> Option<(NaiveDate, NaiveDate)> {
        let year: i32 = period.get(..4)?.parse().ok()?;
        match self {
            ReportTemplate::PlanYear => {
                Some((NaiveDate::from_ymd_opt(year, 1, 1)?, NaiveDate::from_ymd_opt(year, 12, 31)?))
            }
            ReportTemplate::Form08 => {
                Some((NaiveDate::from_ymd_opt(year - 1, 12, 15)?, NaiveDate::from_ymd_opt(year, 12, 14)?))
            }
            ReportTemplate::Network if period.ends_with("-H1") => {
                Some((NaiveDate::from_ymd_opt(year, 1, 1)?, NaiveDate::from_ymd_opt(year, 6, 30)?))
            }
            ReportTemplate::Network => {
                Some((NaiveDate::from_ymd_opt(year, 1, 1)?, NaiveDate::from_ymd_opt(year, 12, 31)?))
            }
            ReportTemplate::Monthly => {
                let month: u32 = period.get(5..7)?.parse().ok()?;
                let first = NaiveDate::from_ymd_opt(year, month, 1)?;
                let next = if month == 12 {
                    NaiveDate::from_ymd_opt(year + 1, 1, 1)?
                } else {
                    NaiveDate::from_ymd_opt(year, month + 1, 1)?
                };
                Some((first, next.pred_opt()?))
            }
        }
    }

    /// The day units owe the report by where a text sets it: 15 November for the yearly plan
    /// report (HCM 3131 VI.5, Cần Thơ VI.2.c), 20 December for Mẫu 08 (NĐ 331/2026 Đ35), 20 June
    /// and 15 December for the network member's half-year and yearly report (TT 20/2017). None
    /// for the monthly report: the authority sets it.
    pub fn default_due(self, period: &str) -> Option<NaiveDate> {
        let year: i32 = period.get(..4)?.parse().ok()?;
        match self {
            ReportTemplate::PlanYear => NaiveDate::from_ymd_opt(year, 11, 15),
            ReportTemplate::Form08 => NaiveDate::from_ymd_opt(year, 12, 20),
            ReportTemplate::Network if period.ends_with("-H1") => NaiveDate::from_ymd_opt(year, 6, 20),
            ReportTemplate::Network => NaiveDate::from_ymd_opt(year, 12, 15),
            ReportTemplate::Monthly => None,
        }
    }

    /// "Năm 2026", "Tháng 11/2026".
    pub fn period_label(self, period: &str, lang: crate::Lang) -> String {
        match (self.period_kind(), period.split_once('-')) {
            (PeriodKind::Month, Some((y, m))) => format!("{} {m}/{y}", lang.pick("Tháng", "Month")),
            (PeriodKind::HalfOrYear, Some((y, _))) => format!("{} {y}", lang.pick("6 tháng đầu năm", "First half of")),
            _ => format!("{} {period}", lang.pick("Năm", "Year")),
        }
    }
}

/// The narrative a unit saves: only the template's parts, each within its length. When
/// `submitting`, the required parts must be written.
pub fn check_narratives(
    template: ReportTemplate,
    given: &[(String, String)],
    submitting: bool,
) -> Result<Vec<(String, String)>> {
    for (key, _) in given {
        if !template.narratives().any(|n| n.key == key) {
            return Err(Error::invalid(
                key,
                format!("Mẫu báo cáo này không có phần «{key}»."),
                format!("This report template has no part «{key}»."),
            ));
        }
    }
    let mut out = Vec::new();
    for n in template.narratives() {
        let text = given.iter().rev().find(|(k, _)| k == n.key).map(|(_, t)| t.trim()).unwrap_or("");
        if text.chars().count() > MAX_NARRATIVE_CHARS {
            return Err(Error::invalid(
                n.key,
                format!("«{}»: tối đa {MAX_NARRATIVE_CHARS} ký tự.", n.title_vi),
                format!("«{}»: at most {MAX_NARRATIVE_CHARS} characters.", n.title_en),
            ));
        }
        if submitting && n.required && text.is_empty() {
            return Err(Error::invalid(
                n.key,
                format!("Cần viết phần «{}» trước khi nộp.", n.title_vi),
                format!("Write the part «{}» before submitting.", n.title_en),
            ));
        }
        out.push((n.key.to_string(), text.to_string()));
    }
    Ok(out)
}

impl ReportState {
    /// The unit may still write: not while the authority holds the report.
    pub fn editable(self) -> bool {
        matches!(self, ReportState::Pending | ReportState::Draft | ReportState::Returned)
    }

    /// Refuses an edit or a submission of a report the authority holds: one submitted (twice
    /// for a period is refused) or accepted. `submitted_on` is shown in the message.
    pub fn check_editable(self, submitted_on: &str) -> Result<()> {
        match self {
            ReportState::Submitted => Err(Error::conflict(
                format!("Báo cáo của kỳ này đã được nộp ngày {submitted_on}; chỉ sửa, nộp lại khi cơ quan thường trực trả lại."),
                format!("This period's report was submitted on {submitted_on}; it can be changed and resubmitted only once the authority returns it."),
            )),
            ReportState::Accepted => Err(Error::conflict(
                format!("Báo cáo của kỳ này đã được tiếp nhận (nộp ngày {submitted_on}); không sửa được nữa."),
                format!("This period's report was accepted (submitted on {submitted_on}); it can no longer be changed."),
            )),
            _ => Ok(()),
        }
    }

    /// The authority accepts or returns only a submitted report; a return says why.
    pub fn check_decision(self, accept: bool, reason: &str) -> Result<ReportState> {
        if self != ReportState::Submitted {
            return Err(Error::conflict(
                format!(
                    "Chỉ tiếp nhận hoặc trả lại báo cáo đã nộp; báo cáo này đang ở trạng thái «{}».",
                    self.label(crate::Lang::Vi)
                ),
                format!(
                    "Only a submitted report is accepted or returned; this one is «{}».",
                    self.label(crate::Lang::En)
                ),
            ));
        }
        if accept {
            return Ok(ReportState::Accepted);
        }
        let chars = reason.trim().chars().count();
        if chars == 0 || chars > 5000 {
            return Err(Error::invalid(
                "reason",
                "Trả lại báo cáo phải nêu lý do (tối đa 5000 ký tự).",
                "A returned report needs its reason (at most 5000 characters).",
            ));
        }
        Ok(ReportState::Returned)
    }
}

/// An indicator's figure in a report: the unit's units' sum for the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportFigure {
    pub code: String,
    pub name: String,
    /// The period the figure was kept for ("2026-11" within a year's report).
    pub period: String,
    pub numerator: i64,
    pub denominator: i64,
    /// The target for the year, in basis points.
    pub target_bp: Option<i64>,
}

/// A plan task of the unit and what it last reported on it within the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportTask {
    pub plan: String,
    pub number: String,
    pub body: String,
    /// What the unit last reported within the period; none when nothing was.
    pub status: Option<crate::plan::progress::ProgressStatus>,
}

/// A unit's report as submitted: what Khiên read from the records and what the unit wrote.
/// Frozen at submission; its SHA-256 (`content_hash`) is kept with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportContent {
    pub template: ReportTemplate,
    pub period: String,
    pub unit_name: String,
    pub figures: Vec<ReportFigure>,
    /// (fact, count).
    pub facts: Vec<(Fact, i64)>,
    pub tasks: Vec<ReportTask>,
    /// (part key, text), in the template's order.
    pub narratives: Vec<(String, String)>,
}

impl ReportContent {
    pub fn fact(&self, f: Fact) -> i64 {
        self.facts.iter().find(|(k, _)| *k == f).map_or(0, |(_, v)| *v)
    }

    pub fn narrative(&self, key: &str) -> &str {
        self.narratives.iter().find(|(k, _)| k == key).map_or("", |(_, t)| t.as_str())
    }
}

/// The SHA-256 of the content's JSON, hex: what a submitted version is known by.
pub fn content_hash(content: &ReportContent) -> String {
    let bytes = serde_json::to_vec(content).unwrap_or_default();
    Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn hcm_3131_vi_5_and_can_tho_vi_2_c_units_report_before_15_november() {
        assert_eq!(ReportTemplate::PlanYear.default_due("2026"), Some(day("2026-11-15")));
        assert_eq!(ReportTemplate::PlanYear.period_range("2026"), Some((day("2026-01-01"), day("2026-12-31"))));
    }

    #[test]
    fn nd_331_art_35_form08_covers_15_december_to_14_december_and_is_due_20_december() {
        assert_eq!(ReportTemplate::Form08.period_range("2026"), Some((day("2025-12-15"), day("2026-12-14"))));
        assert_eq!(ReportTemplate::Form08.default_due("2026"), Some(day("2026-12-20")));
    }

    #[test]
    fn tt_20_2017_bieu_mau_05_a_network_member_reports_by_20_june_for_the_half_year_and_15_december_for_the_year() {
        let t = ReportTemplate::Network;
        assert_eq!(t.check_period("2026-H1").unwrap(), "2026-H1");
        assert_eq!(t.check_period("2026").unwrap(), "2026");
        assert!(t.check_period("2026-H2").is_err() && t.check_period("2026-06").is_err());
        assert_eq!(t.default_due("2026-H1"), Some(day("2026-06-20")));
        assert_eq!(t.default_due("2026"), Some(day("2026-12-15")));
        assert_eq!(t.period_range("2026-H1"), Some((day("2026-01-01"), day("2026-06-30"))));
        assert_eq!(t.period_label("2026-H1", crate::Lang::Vi), "6 tháng đầu năm 2026");
        assert!(t.narratives().any(|n| n.key == "response" && n.required));
    }

    #[test]
    fn a_monthly_report_covers_its_month_and_takes_the_authoritys_due_day() {
        assert_eq!(ReportTemplate::Monthly.period_range("2026-02"), Some((day("2026-02-01"), day("2026-02-28"))));
        assert_eq!(ReportTemplate::Monthly.period_range("2026-12"), Some((day("2026-12-01"), day("2026-12-31"))));
        assert_eq!(ReportTemplate::Monthly.default_due("2026-11"), None);
        assert!(ReportTemplate::Monthly.check_period("2026").is_err());
        assert!(ReportTemplate::Monthly.check_period("2026-13").is_err());
        assert!(ReportTemplate::PlanYear.check_period("2026-11").is_err());
        assert_eq!(ReportTemplate::PlanYear.check_period(" 2026 ").unwrap(), "2026");
    }

    #[test]
    fn a_report_is_submitted_once_until_returned() {
        assert!(ReportState::Draft.check_editable("").is_ok());
        assert!(ReportState::Returned.check_editable("").is_ok());
        let twice = ReportState::Submitted.check_editable("15/11/2026").unwrap_err();
        assert!(twice.to_string().contains("15/11/2026"), "{twice}");
        assert!(ReportState::Accepted.check_editable("x").is_err());
        assert_eq!(ReportState::Submitted.check_decision(false, "Thiếu số liệu").unwrap(), ReportState::Returned);
        assert!(ReportState::Submitted.check_decision(false, "  ").is_err(), "a return says why");
        assert!(ReportState::Accepted.check_decision(true, "").is_err(), "an accepted report stays accepted");
    }

    #[test]
    fn narratives_keep_the_templates_parts_and_need_the_required_ones_to_submit() {
        let t = ReportTemplate::PlanYear;
        let given = vec![("results".to_string(), " Đã triển khai ".to_string())];
        let kept = check_narratives(t, &given, true).unwrap();
        assert_eq!(kept.first().unwrap(), &("results".to_string(), "Đã triển khai".to_string()));
        assert_eq!(kept.len(), t.narratives().count());
        assert!(check_narratives(t, &[], false).is_ok(), "a draft may be empty");
        assert!(check_narratives(t, &[], true).is_err(), "results are required to submit");
        assert!(check_narratives(t, &[("likes".into(), "x".into())], false).is_err());
        let long = "a".repeat(MAX_NARRATIVE_CHARS + 1);
        assert!(check_narratives(t, &[("results".into(), long)], false).is_err());
    }

    #[test]
    fn the_hash_follows_the_content() {
        let c = ReportContent {
            template: ReportTemplate::Monthly,
            period: "2026-11".into(),
            unit_name: "Phường Hồng Bàng".into(),
            figures: Vec::new(),
            facts: vec![(Fact::IncidentsReported, 2)],
            tasks: Vec::new(),
            narratives: vec![("situation".into(), "Ổn định".into())],
        };
        let h = content_hash(&c);
        assert_eq!(h.len(), 64);
        assert_eq!(h, content_hash(&c.clone()));
        let mut other = c.clone();
        other.facts = vec![(Fact::IncidentsReported, 3)];
        assert_ne!(h, content_hash(&other));
        assert_eq!(c.fact(Fact::IncidentsReported), 2);
        assert_eq!(c.narrative("situation"), "Ổn định");
    }
}
