//! Incidents (sự cố an toàn thông tin): categories, the response lifecycle of TT 20/2017 Đ11,
//! the "serious" test of QĐ 05/2017 Đ9, the reporting clocks, and observables (IOCs).

pub mod clocks;
pub mod observable;
pub mod public;

use crate::system::code_enum;
use crate::{Error, Lang, Msg, Result};

code_enum!(
    /// Incident category, with the class of the reference incident taxonomy CSIRTs share
    /// (RSIT, see `taxonomy`).
    Category {
        Malware = "malware": "Mã độc" / "Malware",
        Ransomware = "ransomware": "Mã độc tống tiền" / "Ransomware",
        Phishing = "phishing": "Lừa đảo, giả mạo (phishing)" / "Phishing",
        Intrusion = "intrusion": "Xâm nhập trái phép" / "Intrusion",
        Ddos = "ddos": "Tấn công từ chối dịch vụ (DDoS)" / "Denial of service (DDoS)",
        Defacement = "defacement": "Thay đổi giao diện trang web" / "Website defacement",
        DataLeak = "data_leak": "Lộ, lọt dữ liệu" / "Data leak",
        Botnet = "botnet": "Mạng máy tính ma (botnet)" / "Botnet",
        Other = "other": "Khác" / "Other",
    }
);

impl Category {
    /// The Reference Security Incident Taxonomy class/type this category corresponds to.
    pub fn taxonomy(self) -> &'static str {
        match self {
            Category::Malware => "malicious-code/infected-system",
            Category::Ransomware => "malicious-code/infected-system",
            Category::Phishing => "fraud/phishing",
            Category::Intrusion => "intrusions/system-compromise",
            Category::Ddos => "availability/ddos",
            Category::Defacement => "information-content-security/unauthorised-modification-of-information",
            Category::DataLeak => "information-content-security/unauthorised-access-to-information",
            Category::Botnet => "malicious-code/c2-server",
            Category::Other => "other/other",
        }
    }
}

code_enum!(
    /// The response procedure of TT 20/2017 Đ11.
    State {
        Received = "received": "Tiếp nhận" / "Received",
        Triaged = "triaged": "Đã phân loại, xác minh" / "Triaged",
        Containing = "containing": "Đang ngăn chặn" / "Containing",
        Recovering = "recovering": "Xử lý, khôi phục" / "Eradicating and recovering",
        Reviewing = "reviewing": "Tổng kết, đánh giá" / "Reviewing",
        Closed = "closed": "Đã đóng" / "Closed",
    }
);

code_enum!(
    /// Traffic Light Protocol 2.0.
    Tlp {
        Clear = "clear": "TLP:CLEAR — công khai" / "TLP:CLEAR — public",
        Green = "green": "TLP:GREEN — trong cộng đồng" / "TLP:GREEN — community",
        Amber = "amber": "TLP:AMBER — trong tổ chức và khách hàng" / "TLP:AMBER — organisation and clients",
        AmberStrict = "amber+strict": "TLP:AMBER+STRICT — chỉ trong tổ chức" / "TLP:AMBER+STRICT — organisation only",
        Red = "red": "TLP:RED — chỉ người nhận" / "TLP:RED — named recipients only",
    }
);

code_enum!(
    /// The kinds of report QĐ 05/2017 and TT 20/2017 name.
    ReportKind {
        Notice = "notice": "Thông báo sự cố" / "Notice",
        Initial = "initial": "Báo cáo ban đầu" / "Initial report",
        Progress = "progress": "Báo cáo nguyên nhân, phạm vi, khắc phục" / "Cause, scope and remediation report",
        ResponsePlan = "response_plan": "Phương án ứng cứu" / "Response plan",
        SupportRequest = "support_request": "Đề nghị hỗ trợ" / "Support request",
        DirectionRequest = "direction_request": "Đề nghị chỉ đạo, hướng dẫn" / "Request for direction",
        DataBreachNotice = "data_breach_notice": "Thông báo vi phạm dữ liệu cá nhân" / "Personal-data breach notice",
        Closing = "closing": "Báo cáo kết thúc ứng cứu" / "Closing report",
    }
);

code_enum!(
    /// The consequences QĐ 05/2017 Đ9 lists for a serious incident.
    Consequence {
        ServiceDisruption = "service_disruption": "Ngừng, gián đoạn hoạt động của hệ thống" / "Service stopped or disrupted",
        SecretLeak = "secret_leak": "Có thể lộ bí mật nhà nước" / "State secrets may have leaked",
        DataIntegrity = "data_integrity": "Mất toàn vẹn dữ liệu quan trọng, không khôi phục được" / "Important data lost integrity beyond recovery",
        LossOfControl = "loss_of_control": "Mất quyền kiểm soát hệ thống" / "Control of the system lost",
        Spread = "spread": "Có khả năng lan sang hệ thống cấp độ 4–5 khác" / "Likely to spread to other level 4–5 systems",
    }
);

code_enum!(
    /// State of a task given to a unit or person of the response network.
    TaskState {
        Open = "open": "Đang thực hiện" / "Open",
        Done = "done": "Đã xong" / "Done",
        Cancelled = "cancelled": "Hủy" / "Cancelled",
    }
);

code_enum!(
    /// What an entry of an incident's timeline records.
    EventKind {
        Reported = "reported": "Tiếp nhận báo cáo" / "Reported",
        State = "state": "Chuyển trạng thái" / "State changed",
        Severity = "severity": "Mức độ, ưu tiên" / "Severity and priority",
        Note = "note": "Ghi chú" / "Note",
        Report = "report": "Báo cáo" / "Report filed",
        Task = "task": "Nhiệm vụ" / "Task",
        Observable = "observable": "Dấu hiệu nhận biết (IOC)" / "Observable",
        Link = "link": "Liên kết sự cố" / "Linked incident",
        Merge = "merge": "Gộp sự cố" / "Merged",
        PublicReport = "public_report": "Phản ánh của người dân" / "Report from the public",
    }
);

code_enum!(
    /// The NĐ 30 documents made from an incident (the API's `documents/{kind}`).
    DocumentKind {
        Initial = "initial": "Báo cáo ban đầu" / "Initial report",
        Closing = "closing": "Báo cáo kết thúc ứng cứu" / "Closing report",
    }
);

code_enum!(
    /// What a push to a remote TAXII server came to: the remote's status resource (TAXII 2.1
    /// §4.3.1: complete or pending), or nothing to send (no push was made).
    PushStatus {
        Complete = "complete": "Hoàn tất" / "Complete",
        Pending = "pending": "Đang xử lý" / "Pending",
        NothingToSend = "nothing to send": "Không có gì mới để gửi" / "Nothing to send",
    }
);

/// Who may make a move: the reporting unit's people, or the co-ordinator (the authority).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Unit,
    Coordinator,
}

/// Checks a lifecycle move and says which side may make it (a unit's step may also be taken by
/// the co-ordinator). Forward one step at a time; receiving and triage is the first step of the
/// response and the unit's own (TT 20/2017 Đ11); the co-ordinator closes (also dismisses a
/// report that is no incident) and reopens.
pub fn check_transition(from: State, to: State) -> Result<Side> {
    use State::*;
    let side = match (from, to) {
        (Received, Triaged) | (Triaged, Containing) | (Containing, Recovering) | (Recovering, Reviewing) => {
            Some(Side::Unit)
        }
        (Reviewing, Closed) | (Received, Closed) | (Triaged, Closed) => Some(Side::Coordinator),
        (Reviewing, Recovering) | (Closed, Reviewing) => Some(Side::Coordinator),
        _ => None,
    };
    side.ok_or_else(|| {
        Error::Conflict(Msg::new(
            format!("Không thể chuyển sự cố từ «{}» sang «{}».", from.label(Lang::Vi), to.label(Lang::Vi)),
            format!("An incident cannot move from «{}» to «{}».", from.label(Lang::En), to.label(Lang::En)),
        ))
    })
}

/// The states reachable from `from`, for the buttons on the incident page.
pub fn next_states(from: State) -> Vec<State> {
    State::ALL.iter().copied().filter(|to| check_transition(from, *to).is_ok()).collect()
}

/// Whether a caller may take a move that belongs to `side`: the co-ordinator's moves need the
/// co-ordinator; the unit's moves its own people or the co-ordinator. The one decision for the
/// store's check and the page's buttons.
pub fn may_take(side: Side, coordinator: bool, unit_worker: bool) -> bool {
    match side {
        Side::Coordinator => coordinator,
        Side::Unit => coordinator || unit_worker,
    }
}

/// The moves from `from` a caller may take (see [`may_take`]).
pub fn moves_for(from: State, coordinator: bool, unit_worker: bool) -> Vec<State> {
    State::ALL
        .iter()
        .copied()
        .filter(|to| check_transition(from, *to).is_ok_and(|side| may_take(side, coordinator, unit_worker)))
        .collect()
}

/// Whether a caller may set a response-network task to `to`: the co-ordinator any state; the
/// people of the unit the task was given to any but "cancelled" (a task is withdrawn by whoever
/// gave it).
pub fn may_set_task(to: TaskState, coordinator: bool, own_task: bool) -> bool {
    coordinator || (own_task && to != TaskState::Cancelled)
}

/// What the "serious" test of QĐ 05/2017 Đ9 looks at.
#[derive(Debug, Clone, Default)]
pub struct SeriousFacts {
    /// The highest approved (or proposed) level among the affected systems.
    pub max_level: Option<i64>,
    /// An affected system is national critical information infrastructure.
    pub national_critical: bool,
    pub consequences: Vec<Consequence>,
    /// The owner cannot handle it alone.
    pub beyond_capacity: bool,
}

/// The suggestion and the reasons for it, each a full sentence in both languages.
#[derive(Debug, Clone)]
pub struct SeriousSuggestion {
    pub serious: bool,
    pub reasons: Vec<Msg>,
}

/// Suggests "serious": an affected level 4–5 or national critical system, AND one of the listed
/// consequences, AND beyond the owner's capacity.
pub fn suggest_serious(f: &SeriousFacts) -> SeriousSuggestion {
    let mut reasons = Vec::new();
    let critical = f.national_critical || f.max_level.is_some_and(|l| l >= 4);
    reasons.push(match (f.national_critical, f.max_level) {
        (true, _) => Msg::new(
            "Ảnh hưởng hệ thống thông tin quan trọng quốc gia.",
            "Affects national critical information infrastructure.",
        ),
        (false, Some(l)) if l >= 4 => {
            Msg::new(format!("Ảnh hưởng hệ thống cấp độ {l}."), format!("Affects a level {l} system."))
        }
        (false, Some(l)) => Msg::new(
            format!("Hệ thống bị ảnh hưởng cao nhất cấp độ {l} (chưa tới cấp độ 4)."),
            format!("The highest affected level is {l} (below 4)."),
        ),
        (false, None) => Msg::new("Không có hệ thống có cấp độ bị ảnh hưởng.", "No affected system has a level."),
    });
    let consequence = !f.consequences.is_empty();
    reasons.push(if consequence {
        let vi: Vec<&str> = f.consequences.iter().map(|c| c.label(Lang::Vi)).collect();
        let en: Vec<&str> = f.consequences.iter().map(|c| c.label(Lang::En)).collect();
        Msg::new(format!("Hậu quả: {}.", vi.join("; ")), format!("Consequences: {}.", en.join("; ")))
    } else {
        Msg::new(
            "Chưa ghi nhận hậu quả nào trong danh mục của Điều 9.",
            "None of the consequences Article 9 lists is recorded.",
        )
    });
    reasons.push(if f.beyond_capacity {
        Msg::new("Vượt khả năng tự xử lý của chủ quản.", "Beyond the owner's capacity to handle alone.")
    } else {
        Msg::new("Chủ quản tự xử lý được.", "The owner can handle it alone.")
    });
    SeriousSuggestion { serious: critical && consequence && f.beyond_capacity, reasons }
}

/// Triage priority: 1 (highest) to 4.
pub fn check_priority(p: i64) -> Result<i64> {
    if (1..=4).contains(&p) {
        Ok(p)
    } else {
        Err(Error::invalid("priority", "Mức ưu tiên từ 1 (cao nhất) đến 4.", "Priority is 1 (highest) to 4."))
    }
}

/// Clock skew allowed for a detection time "in the future".
const SKEW_MS: i64 = 5 * 60 * 1000;

/// Detected-at may not be in the future; reported-at may not precede detection.
pub fn check_times(detected_ms: i64, reported_ms: i64, now_ms: i64) -> Result<()> {
    if detected_ms > now_ms + SKEW_MS {
        return Err(Error::invalid(
            "detected_at",
            "Thời điểm phát hiện ở trong tương lai.",
            "The detection time is in the future.",
        ));
    }
    if reported_ms + SKEW_MS < detected_ms {
        return Err(Error::invalid(
            "reported_at",
            "Thời điểm báo cáo trước thời điểm phát hiện.",
            "The report time is before the detection time.",
        ));
    }
    Ok(())
}

/// A change of severity or priority by hand needs a reason.
pub fn check_reason(reason: &str) -> Result<String> {
    let r = crate::fold::nfc(reason.trim());
    if r.chars().count() < 5 {
        return Err(Error::invalid(
            "reason",
            "Hãy ghi lý do (ít nhất 5 ký tự).",
            "Give a reason (at least 5 characters).",
        ));
    }
    Ok(r)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn tt20_d11_lifecycle_moves_and_sides() {
        assert_eq!(
            check_transition(State::Received, State::Triaged).unwrap(),
            Side::Unit,
            "TT 20/2017 Đ11: the unit triages its own incident"
        );
        assert_eq!(check_transition(State::Triaged, State::Containing).unwrap(), Side::Unit);
        assert!(check_transition(State::Received, State::Recovering).is_err());
        assert!(check_transition(State::Closed, State::Received).is_err());
        assert_eq!(next_states(State::Reviewing), vec![State::Recovering, State::Closed]);
        let err = check_transition(State::Containing, State::Closed).unwrap_err();
        assert!(matches!(err, Error::Conflict(m) if m.vi.contains("Đang ngăn chặn")));
    }

    #[test]
    fn serious_needs_all_three() {
        let mut f = SeriousFacts {
            max_level: Some(4),
            consequences: vec![Consequence::ServiceDisruption],
            beyond_capacity: true,
            ..Default::default()
        };
        let s = suggest_serious(&f);
        assert!(s.serious);
        assert_eq!(s.reasons.len(), 3);
        assert!(s.reasons[0].vi.contains("cấp độ 4"));
        f.beyond_capacity = false;
        assert!(!suggest_serious(&f).serious);
        f = SeriousFacts {
            max_level: Some(3),
            consequences: vec![Consequence::SecretLeak],
            beyond_capacity: true,
            ..Default::default()
        };
        assert!(!suggest_serious(&f).serious);
        f.national_critical = true;
        assert!(suggest_serious(&f).serious);
        f.consequences.clear();
        assert!(!suggest_serious(&f).serious);
    }

    #[test]
    fn times_and_priority() {
        let now = 1_000_000_000_000;
        assert!(check_times(now - 1000, now, now).is_ok());
        assert_eq!(check_times(now + 3_600_000, now + 3_600_000, now).unwrap_err().field(), Some("detected_at"));
        assert_eq!(check_times(now, now - 3_600_000, now).unwrap_err().field(), Some("reported_at"));
        assert!(check_priority(0).is_err() && check_priority(5).is_err() && check_priority(1).is_ok());
        assert!(check_reason("  ok ").is_err());
        assert_eq!(Category::parse("category", "ddos").unwrap().taxonomy(), "availability/ddos");
        assert_eq!(Tlp::parse("tlp", "amber+strict").unwrap(), Tlp::AmberStrict);
    }

    #[test]
    fn tt20_d11_moves_belong_to_a_side_and_tasks_to_their_unit() {
        // A unit's step (triage, TT 20/2017 Đ11): its own people or the co-ordinator.
        assert!(may_take(Side::Unit, false, true) && may_take(Side::Unit, true, false));
        assert!(!may_take(Side::Unit, false, false));
        // Closing and reopening are the co-ordinator's.
        assert!(may_take(Side::Coordinator, true, false) && !may_take(Side::Coordinator, false, true));
        assert_eq!(moves_for(State::Received, false, true), vec![State::Triaged]);
        assert_eq!(moves_for(State::Received, true, false), vec![State::Triaged, State::Closed]);
        assert!(moves_for(State::Closed, false, true).is_empty());
        for to in TaskState::ALL.iter().copied() {
            assert!(may_set_task(to, true, false));
            assert_eq!(may_set_task(to, false, true), to != TaskState::Cancelled);
            assert!(!may_set_task(to, false, false));
        }
    }
}

/// What may be attached to an incident (issue 14.9): logs and exports as text, screenshots,
/// signed scans and documents, archives of evidence; checked by content, at most 20 MiB each.
pub const INCIDENT_FILES: crate::attachment::FilePolicy = crate::attachment::FilePolicy {
    field: "file",
    kinds: &[
        crate::attachment::FileKind::Text,
        crate::attachment::FileKind::Png,
        crate::attachment::FileKind::Jpeg,
        crate::attachment::FileKind::Webp,
        crate::attachment::FileKind::Pdf,
        crate::attachment::FileKind::Docx,
        crate::attachment::FileKind::Xlsx,
        crate::attachment::FileKind::Zip,
    ],
    max_bytes: 20 * 1024 * 1024,
};

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod file_tests {
    use super::INCIDENT_FILES;
    use crate::attachment::check_attachment;

    #[test]
    fn incident_files_take_logs_screenshots_and_scans_by_content() {
        assert_eq!(
            check_attachment(&INCIDENT_FILES, "auth.log", b"Nov 2 sshd[1]: Failed password"),
            Ok("text/plain; charset=utf-8")
        );
        assert!(check_attachment(&INCIDENT_FILES, "man-hinh.png", b"\x89PNG\r\n\x1a\n....").is_ok());
        assert!(check_attachment(&INCIDENT_FILES, "bien-ban-ky.pdf", b"%PDF-1.7 ...").is_ok());
        // A binary renamed .log, an executable: refused, naming the field.
        let e = check_attachment(&INCIDENT_FILES, "nhat-ky.log", b"MZ\x90\x00\x03").unwrap_err();
        assert_eq!(e.field(), Some("file"));
        assert!(check_attachment(&INCIDENT_FILES, "x.exe", b"MZ").is_err());
    }
}
