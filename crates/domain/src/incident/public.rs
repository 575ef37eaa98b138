//! Reports from the public (phản ánh của người dân): what a citizen may send without an
//! account, the tracking code they keep to check on it, and the way a report goes through the
//! authority's queue — to a unit, worked, resolved or rejected, or turned into an incident.

use super::Side;
use crate::attachment::{FileKind, FilePolicy};
use crate::fold::nfc;
use crate::system::code_enum;
use crate::unit::{optional_text, validate_email};
use crate::{Error, Lang, Msg, Result};

code_enum!(
    /// What the citizen reports.
    PublicCategory {
        Scam = "scam": "Lừa đảo trực tuyến" / "Online scam",
        Phishing = "phishing": "Giả mạo trang web, tin nhắn, thư điện tử" / "Phishing (fake sites, messages, e-mails)",
        HarmfulContent = "harmful_content": "Nội dung độc hại, sai sự thật" / "Harmful or false content",
        ChildSafety = "child_safety": "An toàn trẻ em trên mạng" / "Child safety online",
        AgencyIncident = "agency_incident": "Sự cố tại cơ quan nhà nước" / "Incident at a public agency",
    }
);

impl PublicCategory {
    /// The incident category a report of this kind becomes by default.
    pub fn incident_category(self) -> super::Category {
        match self {
            PublicCategory::Scam | PublicCategory::Phishing => super::Category::Phishing,
            _ => super::Category::Other,
        }
    }
}

code_enum!(
    /// Where a report is in the authority's queue.
    PublicState {
        Received = "received": "Đã tiếp nhận" / "Received",
        Routed = "routed": "Đã chuyển đơn vị xử lý" / "Sent to a unit",
        InProgress = "in_progress": "Đang xử lý" / "Being handled",
        Resolved = "resolved": "Đã xử lý xong" / "Resolved",
        Rejected = "rejected": "Không xử lý (không đủ căn cứ)" / "Not taken up",
        Converted = "converted": "Đã chuyển thành sự cố" / "Became an incident",
    }
);

impl PublicState {
    /// No further moves except those the co-ordinator reopens.
    pub fn is_final(self) -> bool {
        matches!(self, PublicState::Resolved | PublicState::Rejected | PublicState::Converted)
    }
}

/// Checks a move and says who may make it. The co-ordinator routes (also re-routes), turns
/// away a report still in its queue and reopens one; the unit it was routed to works it,
/// resolves or turns it away, or makes it an incident. Converted is final.
pub fn check_public_transition(from: PublicState, to: PublicState) -> Result<Side> {
    use PublicState::*;
    let side = match (from, to) {
        (Received | Routed | InProgress, Routed) => Some(Side::Coordinator),
        (Received, Rejected) | (Received, Converted) => Some(Side::Coordinator),
        (Routed, InProgress) => Some(Side::Unit),
        (Routed | InProgress, Resolved | Rejected | Converted) => Some(Side::Unit),
        (Resolved, InProgress) | (Rejected, Received) => Some(Side::Coordinator),
        _ => None,
    };
    side.ok_or_else(|| {
        Error::Conflict(Msg::new(
            format!("Không thể chuyển phản ánh từ «{}» sang «{}».", from.label(Lang::Vi), to.label(Lang::Vi)),
            format!("A public report cannot move from «{}» to «{}».", from.label(Lang::En), to.label(Lang::En)),
        ))
    })
}

/// The states reachable from `from` (for the buttons on the report's page).
pub fn next_public_states(from: PublicState) -> Vec<PublicState> {
    PublicState::ALL.iter().copied().filter(|to| *to != from && check_public_transition(from, *to).is_ok()).collect()
}

/// The letters of a tracking code: Crockford's base 32 (no I, L, O or U, so nothing reads as
/// another character), 5 bits each.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const CODE_CHARS: usize = 12;
const CODE_PREFIX: &str = "PA";

/// A tracking code from 60 random bits: `PA-7K3Q-9XMV-R2TD`. With 2^60 codes, guessing one
/// that exists is hopeless even against millions of reports.
pub fn tracking_code(random: u64) -> String {
    let mut s = String::from(CODE_PREFIX);
    for i in 0..CODE_CHARS {
        if i % 4 == 0 {
            s.push('-');
        }
        let idx = ((random >> (5 * i)) & 31) as usize;
        s.push(ALPHABET.get(idx).map_or('0', |b| char::from(*b))); // idx < 32: five bits
    }
    s
}

/// Reads a tracking code as people type it: any case, with or without dashes and spaces,
/// O for 0 and I or L for 1. Returns its canonical form.
pub fn parse_tracking_code(input: &str) -> Result<String> {
    let bad = || {
        Error::invalid(
            "code",
            format!("«{}» không phải mã tra cứu hợp lệ (dạng PA-XXXX-XXXX-XXXX).", input.trim()),
            format!("«{}» is not a valid tracking code (like PA-XXXX-XXXX-XXXX).", input.trim()),
        )
    };
    let mut chars: Vec<char> =
        input.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
    if chars.len() != CODE_CHARS + 2 || !chars.starts_with(&['P', 'A']) {
        return Err(bad());
    }
    chars.drain(..2);
    let mut s = String::from(CODE_PREFIX);
    for (i, c) in chars.into_iter().enumerate() {
        let c = match c {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) {
            return Err(bad());
        }
        if i % 4 == 0 {
            s.push('-');
        }
        s.push(c);
    }
    Ok(s)
}

/// Files a citizen may attach: pictures (screenshots) and PDF, a few, each limited in size.
pub const PUBLIC_FILES: FilePolicy = FilePolicy {
    field: "files",
    kinds: &[FileKind::Png, FileKind::Jpeg, FileKind::Webp, FileKind::Pdf],
    max_bytes: 5 * 1024 * 1024,
};
/// At most this many files with one report.
pub const MAX_PUBLIC_FILES: usize = 3;

pub const DESCRIPTION_MIN: usize = 20;
pub const DESCRIPTION_MAX: usize = 5000;

/// What a citizen sends, before checks.
#[derive(Debug, Clone, Default)]
pub struct Submission<'a> {
    pub category: &'a str,
    pub description: &'a str,
    pub reporter_name: Option<&'a str>,
    pub reporter_phone: Option<&'a str>,
    pub reporter_email: Option<&'a str>,
    pub url: Option<&'a str>,
    /// The reporter agreed that the contact details given may be used to handle the report.
    pub contact_consent: bool,
}

/// A checked report: text in NFC, contact details normalised, empty ones None.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedSubmission {
    pub category: PublicCategory,
    pub description: String,
    pub reporter_name: Option<String>,
    pub reporter_phone: Option<String>,
    pub reporter_email: Option<String>,
    pub url: Option<String>,
}

/// Checks a report: a category, a description of 20–5000 characters (line breaks allowed),
/// and the optional name, phone, e-mail and web address.
pub fn check_submission(s: &Submission<'_>) -> Result<CheckedSubmission> {
    let category = PublicCategory::parse("category", s.category)?;
    let description = check_description(s.description)?;
    let checked = CheckedSubmission {
        category,
        description,
        reporter_name: optional_text("reporter_name", s.reporter_name, 200)?,
        reporter_phone: check_phone(s.reporter_phone)?,
        reporter_email: validate_email("reporter_email", s.reporter_email)?,
        url: check_url(s.url)?,
    };
    // Contact details are personal data: kept only with the reporter's consent to their use for
    // handling the report (the form says so); a report without them needs none.
    let contact =
        checked.reporter_name.is_some() || checked.reporter_phone.is_some() || checked.reporter_email.is_some();
    if contact && !s.contact_consent {
        return Err(Error::invalid(
            "contact_consent",
            "Bạn đã để lại thông tin liên hệ: hãy đánh dấu ô đồng ý cho cơ quan tiếp nhận dùng thông tin này để xử lý phản ánh, hoặc xóa thông tin liên hệ để gửi ẩn danh.",
            "You gave contact details: tick the box agreeing that the receiving authority may use them to handle the report, or clear them to report anonymously.",
        ));
    }
    Ok(checked)
}

fn check_description(d: &str) -> Result<String> {
    let d = nfc(&d.replace("\r\n", "\n"));
    let n = d.chars().count();
    if !(DESCRIPTION_MIN..=DESCRIPTION_MAX).contains(&n) {
        return Err(Error::invalid(
            "description",
            format!("Nội dung phản ánh phải từ {DESCRIPTION_MIN} đến {DESCRIPTION_MAX} ký tự (hiện có {n})."),
            format!("The description must be {DESCRIPTION_MIN} to {DESCRIPTION_MAX} characters (it has {n})."),
        ));
    }
    if d.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(Error::invalid(
            "description",
            "Nội dung chứa ký tự điều khiển.",
            "The description contains control characters.",
        ));
    }
    Ok(d)
}

/// A Vietnamese number (0… with 10–11 digits, or +84…, stored as 0…) or an international one
/// (+ and 8–15 digits). Spaces, dots, dashes and brackets are dropped.
fn check_phone(p: Option<&str>) -> Result<Option<String>> {
    let Some(raw) = p.map(str::trim).filter(|v| !v.is_empty()) else { return Ok(None) };
    let bad = || {
        Error::invalid(
            "reporter_phone",
            format!("«{raw}» không phải số điện thoại hợp lệ (ví dụ 0912 345 678 hoặc +84 912 345 678)."),
            format!("«{raw}» is not a valid phone number (e.g. 0912 345 678 or +84 912 345 678)."),
        )
    };
    let plus = raw.starts_with('+');
    let body = if plus { &raw[1..] } else { raw };
    if !body.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '(' | ')')) {
        return Err(bad());
    }
    let digits: String = body.chars().filter(char::is_ascii_digit).collect();
    let national = match (plus, digits.strip_prefix("84")) {
        (true, Some(rest)) => format!("0{rest}"),
        (true, None) => {
            return if (8..=15).contains(&digits.len()) { Ok(Some(format!("+{digits}"))) } else { Err(bad()) }
        }
        (false, _) => digits,
    };
    if national.starts_with('0') && (10..=11).contains(&national.len()) {
        Ok(Some(national))
    } else {
        Err(bad())
    }
}

/// The address of the page reported: http(s), a host with a dot (or an IP), no spaces. A
/// missing scheme is taken as http:// (people paste "trang-lua-dao.vn/abc").
fn check_url(u: Option<&str>) -> Result<Option<String>> {
    let Some(raw) = u.map(str::trim).filter(|v| !v.is_empty()) else { return Ok(None) };
    let bad = || {
        Error::invalid(
            "url",
            format!("«{raw}» không phải địa chỉ trang web hợp lệ (ví dụ https://trang-lua-dao.vn/khuyen-mai)."),
            format!("«{raw}» is not a valid web address (e.g. https://fake-shop.example/offer)."),
        )
    };
    if raw.chars().count() > 2000 || raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad());
    }
    let lower = raw.to_lowercase();
    let url = if lower.starts_with("http://") || lower.starts_with("https://") {
        raw.to_string()
    } else if raw.contains("://") {
        return Err(bad());
    } else {
        format!("http://{raw}")
    };
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or_default();
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.rsplit_once('@').map(|(_, h)| h).unwrap_or(host);
    let name = host
        .rsplit_once(':')
        .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
        .map(|(h, _)| h)
        .unwrap_or(host);
    let ok = (name.contains('.') || name.starts_with('['))
        && !name.starts_with('.')
        && !name.ends_with('.')
        && !name.contains("..");
    if ok {
        Ok(Some(url))
    } else {
        Err(bad())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn good() -> Submission<'static> {
        Submission {
            category: "scam",
            description: "Có người gọi điện mạo danh công an, yêu cầu chuyển tiền.",
            ..Default::default()
        }
    }

    #[test]
    fn contact_details_need_consent_anonymous_reports_do_not() {
        let contact = Submission { reporter_phone: Some("0912345678"), ..good() };
        let e = check_submission(&contact).unwrap_err();
        assert_eq!(e.field(), Some("contact_consent"));
        assert!(check_submission(&Submission { contact_consent: true, ..contact }).is_ok());
        assert!(check_submission(&good()).is_ok(), "anonymous: no consent asked");
    }

    #[test]
    fn every_move_is_decided() {
        use PublicState::*;
        assert_eq!(check_public_transition(Received, Routed).unwrap(), Side::Coordinator);
        assert_eq!(check_public_transition(Routed, InProgress).unwrap(), Side::Unit);
        assert_eq!(check_public_transition(InProgress, Resolved).unwrap(), Side::Unit);
        assert_eq!(check_public_transition(Received, Rejected).unwrap(), Side::Coordinator);
        assert_eq!(check_public_transition(Rejected, Received).unwrap(), Side::Coordinator);
        assert!(check_public_transition(Received, InProgress).is_err(), "first routed to a unit");
        assert!(check_public_transition(Received, Resolved).is_err());
        for to in PublicState::ALL {
            assert!(check_public_transition(Converted, *to).is_err(), "converted is final");
        }
        assert_eq!(next_public_states(Received), vec![Routed, Rejected, Converted]);
        assert_eq!(next_public_states(Resolved), vec![InProgress]);
        let e = check_public_transition(Resolved, Converted).unwrap_err();
        assert!(matches!(e, Error::Conflict(m) if m.vi.contains("Đã xử lý xong")));
        assert_eq!(PublicCategory::Scam.incident_category(), super::super::Category::Phishing);
    }

    #[test]
    fn tracking_codes_round_trip_and_forgive_typing() {
        let c = tracking_code(0x0FED_CBA9_8765_4321);
        assert_eq!(c.len(), "PA-XXXX-XXXX-XXXX".len());
        assert!(c.starts_with("PA-"));
        assert_eq!(parse_tracking_code(&c).unwrap(), c);
        assert_eq!(parse_tracking_code(&c.to_lowercase().replace('-', " ")).unwrap(), c);
        assert_ne!(tracking_code(1), tracking_code(2));
        assert_eq!(tracking_code(0), "PA-0000-0000-0000");
        assert_eq!(parse_tracking_code("pa-oooo-iiii-llll").unwrap(), "PA-0000-1111-1111");
        assert!(!tracking_code(u64::MAX).contains(['I', 'L', 'O', 'U']));
        for bad in
            ["", "PA-0000-0000", "PB-0000-0000-0000", "PA-0000-0000-000U", "PA-0000-0000-00é0", "PA-0000-0000-0000-0"]
        {
            assert_eq!(parse_tracking_code(bad).unwrap_err().field(), Some("code"), "{bad}");
        }
    }

    #[test]
    fn submissions_are_checked_field_by_field() {
        let ok = check_submission(&good()).unwrap();
        assert_eq!(ok.category, PublicCategory::Scam);
        assert_eq!(ok.reporter_phone, None);
        let field = |s: Submission<'_>| check_submission(&s).unwrap_err().field().map(str::to_string);
        assert_eq!(field(Submission { category: "spam", ..good() }).as_deref(), Some("category"));
        assert_eq!(field(Submission { description: "quá ngắn", ..good() }).as_deref(), Some("description"));
        let long = "a".repeat(5001);
        assert_eq!(field(Submission { description: &long, ..good() }).as_deref(), Some("description"));
        assert_eq!(field(Submission { reporter_phone: Some("0912abc"), ..good() }).as_deref(), Some("reporter_phone"));
        assert_eq!(field(Submission { reporter_phone: Some("12345"), ..good() }).as_deref(), Some("reporter_phone"));
        assert_eq!(field(Submission { reporter_email: Some("a@b"), ..good() }).as_deref(), Some("reporter_email"));
        assert_eq!(field(Submission { url: Some("javascript:alert(1)"), ..good() }).as_deref(), Some("url"));
        assert_eq!(field(Submission { url: Some("http://localhost"), ..good() }).as_deref(), Some("url"));
        let full = check_submission(&Submission {
            description: "Dòng một của phản ánh,\r\ndòng hai có thêm chi tiết.",
            reporter_name: Some("  Nguyễn Văn An "),
            reporter_phone: Some("+84 912.345.678"),
            reporter_email: Some("an@example.vn"),
            url: Some("shopee-khuyenmai.top/qua-tang?id=1"),
            contact_consent: true,
            ..good()
        })
        .unwrap();
        assert_eq!(full.description, "Dòng một của phản ánh,\ndòng hai có thêm chi tiết.");
        assert_eq!(full.reporter_name.as_deref(), Some("Nguyễn Văn An"));
        assert_eq!(full.reporter_phone.as_deref(), Some("0912345678"));
        assert_eq!(full.url.as_deref(), Some("http://shopee-khuyenmai.top/qua-tang?id=1"));
        assert_eq!(check_phone(Some("(028) 3829 1234")).unwrap().as_deref(), Some("02838291234"));
        assert_eq!(check_phone(Some("+1 415 555 0100")).unwrap().as_deref(), Some("+14155550100"));
        assert_eq!(
            check_url(Some("https://user@203.0.113.5:8443/x")).unwrap().as_deref(),
            Some("https://user@203.0.113.5:8443/x")
        );
    }
}
