//! Sample inputs in Vietnamese, and checks over the JSON every document must pass.
#![allow(clippy::unwrap_used)]

mod trestle;
mod unit;

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use khien_domain::finding::Severity;
use serde_json::Value;

use super::*;

pub(super) fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn unit(key: &str, name: &str) -> PartyIn {
    PartyIn { key: key.into(), name: name.into(), short_name: None, email: None }
}

fn catalogue() -> CatalogueRef {
    CatalogueRef {
        code: "tcvn-14423-2026".into(),
        version: "2026".into(),
        title: "TCVN 14423:2026 An ninh mạng — Hệ thống thông tin — Yêu cầu cơ bản".into(),
        href: Some("catalogues/tcvn-14423-2026.json".into()),
    }
}

fn system() -> SystemRef {
    SystemRef {
        key: "system:42".into(),
        code: "HT-2026-0042".into(),
        name: "Cổng dịch vụ công  thành phố\nĐà Nẵng".into(),
    }
}

fn req(id: &str, title: &str, result: Option<RequirementResult>, statement: Option<&str>) -> RequirementIn {
    RequirementIn { id: id.into(), title: Some(title.into()), result, statement: statement.map(str::to_string) }
}

pub(super) fn sample_ssp() -> SspInput {
    use RequirementResult::*;
    SspInput {
        namespace_id: "khien-test".into(),
        last_modified: t("2026-09-01T10:15:00+07:00"),
        version: "2026.1".into(),
        system: system(),
        short_name: Some("DVC-DN".into()),
        description: "Cổng cung cấp dịch vụ công trực tuyến mức độ 4 cho người dân, doanh nghiệp.\nVận hành 24/7."
            .into(),
        sensitivity_level: Some(level_text(3)),
        information_type: InformationTypeIn {
            title: "Dữ liệu cá nhân của người dân".into(),
            description: "Hồ sơ thủ tục hành chính, thông tin định danh (trên 10.000 chủ thể).".into(),
        },
        impact: None,
        state: SystemState::from_lifecycle(khien_domain::system::Lifecycle::InOperation),
        boundary: "Các máy chủ ứng dụng, CSDL và tường lửa tại Trung tâm dữ liệu thành phố.".into(),
        owner: PartyIn {
            email: Some("sotttt@danang.gov.vn".into()),
            short_name: Some("UBND".into()),
            ..unit("unit:1", "Ủy ban nhân dân thành phố Đà Nẵng")
        },
        operator: unit("unit:7", "Trung tâm Thông tin dịch vụ công"),
        catalogue: catalogue(),
        requirements: vec![
            req(
                "14423.6.2",
                "Quản lý tài khoản và quyền truy cập",
                Some(Compliant),
                Some("Tài khoản được rà soát hằng quý."),
            ),
            req("14423.6.7", "Quản lý điểm yếu", Some(NonCompliant), None),
            req("ac-2.1", "Automated system account management", Some(Partly), None),
            req("Điều 6.2 a", "Sao lưu dữ liệu", Some(NotApplicable), Some("Không lưu trữ dữ liệu tại chỗ.")),
            req("14423.6.9", "Nhật ký hệ thống", None, None),
            req("14423.6.10", "Phòng chống mã độc", None, Some("Triển khai phần mềm phòng chống mã độc tập trung.")),
        ],
    }
}

/// No result known for any requirement, no level approved, one party for both roles.
pub(super) fn bare_ssp() -> SspInput {
    let mut s = sample_ssp();
    s.sensitivity_level = None;
    s.short_name = None;
    s.state = SystemState::UnderDevelopment;
    s.operator = s.owner.clone();
    s.requirements = vec![req("14423.5.1", "Yêu cầu cơ bản", None, None)];
    s
}

fn evidence(name: &str, seed: char) -> EvidenceIn {
    EvidenceIn {
        file_name: name.into(),
        sha256: seed.to_string().repeat(64),
        description: Some("Bản chụp cấu hình".into()),
        href: Some(format!("evidence/{name}")),
        media_type: Some("application/pdf".into()),
    }
}

pub(super) fn sample_ar() -> AssessmentInput {
    use RequirementResult::*;
    let a = |id: &str, result, note: Option<&str>, evidence: Vec<EvidenceIn>| AssessedRequirementIn {
        id: id.into(),
        title: Some(format!("Yêu cầu {id}")),
        result,
        note: note.map(str::to_string),
        evidence,
    };
    AssessmentInput {
        namespace_id: "khien-test".into(),
        assessment_key: "assessment:17".into(),
        title: "Kiểm tra, đánh giá định kỳ năm 2026".into(),
        last_modified: t("2026-10-05T16:00:00Z"),
        version: "1".into(),
        system: system(),
        catalogue: catalogue(),
        assessor: unit("unit:3", "Công an thành phố — Phòng An ninh mạng"),
        start: t("2026-10-01T08:00:00+07:00"),
        end: Some(t("2026-10-03T17:30:00+07:00")),
        plan_href: None,
        summary: None,
        requirements: vec![
            a(
                "14423.6.2",
                Some(Compliant),
                Some("Đã kiểm tra danh sách tài khoản."),
                vec![evidence("tai-khoan.pdf", 'a')],
            ),
            a("14423.6.7", Some(NonCompliant), Some("Chưa quét lỗ hổng trong 6 tháng qua."), vec![]),
            a("ac-2.1", Some(Partly), None, vec![evidence("quy-trinh.pdf", 'b'), evidence("tai-khoan.pdf", 'a')]),
            a("Điều 6.2 a", Some(NotApplicable), None, vec![]),
            a("14423.6.9", None, Some("Chưa đủ thời gian đánh giá."), vec![]),
        ],
    }
}

/// An assessment just opened: no requirement reviewed, no end, a plan file.
pub(super) fn empty_ar() -> AssessmentInput {
    let mut a = sample_ar();
    a.requirements.clear();
    a.end = None;
    a.plan_href = Some("plans/assessment-17.pdf".into());
    a.summary = Some("Đợt đánh giá mới bắt đầu.".into());
    a
}

pub(super) fn sample_poam() -> PoamInput {
    let item = |key: &str, title: &str, status, severity| PoamItemIn {
        key: key.into(),
        title: title.into(),
        description: format!("{title}: phát hiện qua quét định kỳ."),
        status,
        severity,
        cvss_score: None,
        cves: Vec::new(),
        host: None,
        port: None,
        protocol: None,
        source: None,
        first_seen: t("2026-08-20T02:00:00Z"),
        due: None,
        statement: None,
        remediation: None,
        requirement_id: None,
    };
    let mut a = item("finding:ab12", "Máy chủ web dùng OpenSSL có lỗ hổng", RiskStatus::Open, Severity::Critical);
    a.cvss_score = Some(9.8);
    a.cves = vec!["CVE-2024-12797".into(), "CVE-2025-0001".into()];
    a.host = Some("10.10.1.5".into());
    a.port = Some(443);
    a.protocol = Some("tcp".into());
    a.source = Some("Nessus".into());
    a.due = NaiveDate::from_ymd_opt(2026, 9, 30);
    a.remediation = Some("Cập nhật OpenSSL lên bản vá mới nhất.".into());
    a.requirement_id = Some("14423.6.7".into());
    let mut b = item("finding:cd34", "Tài khoản quản trị mặc định", RiskStatus::Remediating, Severity::High);
    b.host = Some("db01.noibo.danang.vn".into());
    b.statement = Some("Kẻ tấn công có thể chiếm quyền CSDL.".into());
    let c = item("finding:ef56", "Thiếu tiêu đề bảo mật HTTP", RiskStatus::DeviationApproved, Severity::Low);
    let d = item("finding:0789", "Chứng chỉ TLS sắp hết hạn", RiskStatus::Investigating, Severity::Medium);
    let e = item("finding:9999", "Cổng SSH mở ra Internet", RiskStatus::Closed, Severity::Info);
    PoamInput {
        namespace_id: "khien-test".into(),
        last_modified: t("2026-09-02T00:00:00Z"),
        version: "2026-09-02".into(),
        system: system(),
        owner: unit("unit:1", "Ủy ban nhân dân thành phố Đà Nẵng"),
        items: vec![a, b, c, d, e],
    }
}

pub(super) fn empty_poam() -> PoamInput {
    PoamInput { items: Vec::new(), ..sample_poam() }
}

pub(super) fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap()
}

/// Whether `s` is an OSCAL token (the NCName-like pattern of the schema).
pub(super) fn is_token(s: &str) -> bool {
    let start = |c: char| {
        c == '_'
            || c.is_ascii_alphabetic()
            || matches!(c, '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}' | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}')
    };
    let mut chars = s.chars();
    chars.next().is_some_and(start)
        && chars.all(|c| start(c) || c.is_ascii_digit() || matches!(c, '-' | '.' | '\u{B7}' | '\u{300}'..='\u{36F}'))
}

/// Checks every document must pass, whatever the model: no empty array or object or string
/// anywhere; no one-line string with line breaks or edge spaces outside multi-line fields;
/// prop names, control ids, role ids are tokens; uuids are v5 and defined once.
pub(super) fn check_shape(v: &Value) {
    let mut uuids = HashSet::new();
    walk(v, "$", &mut uuids);
}

const MULTILINE: &[&str] = &["description", "statement", "remarks"];

fn walk(v: &Value, path: &str, uuids: &mut HashSet<String>) {
    match v {
        Value::Array(a) => {
            assert!(!a.is_empty(), "empty array at {path}");
            for (i, x) in a.iter().enumerate() {
                walk(x, &format!("{path}[{i}]"), uuids);
            }
        }
        Value::Object(m) => {
            assert!(!m.is_empty() || path.ends_with("include-all"), "empty object at {path}");
            if let Some(Value::String(u)) = m.get("uuid") {
                let parsed = uuid::Uuid::parse_str(u).unwrap();
                assert_eq!(parsed.get_version_num(), 5, "{path}.uuid");
                assert!(uuids.insert(u.clone()), "uuid {u} defined twice ({path})");
            }
            for (k, x) in m {
                let p = format!("{path}.{k}");
                if let Value::String(s) = x {
                    assert!(!s.is_empty(), "empty string at {p}");
                    if !MULTILINE.contains(&k.as_str()) {
                        assert!(!s.contains('\n') && s.trim() == s, "not a one-line string at {p}: {s:?}");
                    }
                    if matches!(k.as_str(), "control-id" | "role-id" | "target-id" | "id") && !p.contains("system-id") {
                        assert!(is_token(s), "not a token at {p}: {s:?}");
                    }
                    if k == "name" && path.contains("props") {
                        assert!(is_token(s), "prop name not a token at {p}: {s:?}");
                    }
                }
                walk(x, &p, uuids);
            }
        }
        _ => {}
    }
}
