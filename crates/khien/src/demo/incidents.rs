//! The demo city's incidents: a deterministic set in every state of the response procedure —
//! just received (some with the 24-hour clock already red), triaged, containing, recovering,
//! in review, closed, one merged duplicate — with tasks for the response network, reports of
//! each kind and observables that recur across units (so "where else?" finds something).
//! Loaded through the store like any user's work: scoped, validated and audited.

use anyhow::{anyhow, Result};
use khien_domain::scope::Actor;
use khien_domain::time::rfc3339;
use khien_domain::unit::UnitType;
use khien_store::{IncidentInput, ObservableInput, Store, TaskInput, Unit};

/// (title, category, symptoms, consequences)
const STORIES: [(&str, &str, &str, &[&str]); 8] = [
    (
        "Mã độc tống tiền mã hóa máy chủ một cửa",
        "ransomware",
        "Tệp dữ liệu bị đổi đuôi .lockbit, xuất hiện thư đòi tiền chuộc.",
        &["service_disruption"],
    ),
    (
        "Trang thông tin điện tử bị thay đổi giao diện",
        "defacement",
        "Trang chủ hiển thị nội dung lạ, chèn đường dẫn cờ bạc.",
        &[],
    ),
    (
        "Thư điện tử giả mạo lãnh đạo yêu cầu chuyển tiền",
        "phishing",
        "Nhiều cán bộ nhận thư mạo danh, tên miền gần giống tên miền cơ quan.",
        &[],
    ),
    (
        "Tấn công từ chối dịch vụ vào cổng dịch vụ công",
        "ddos",
        "Lưu lượng tăng đột biến từ nhiều địa chỉ nước ngoài, cổng không truy cập được.",
        &["service_disruption"],
    ),
    (
        "Máy trạm kết nối máy chủ điều khiển botnet",
        "botnet",
        "Tường lửa ghi nhận kết nối định kỳ tới địa chỉ C2 đã biết.",
        &[],
    ),
    (
        "Lộ lọt dữ liệu hồ sơ người dân",
        "data_leak",
        "Phát hiện tệp dữ liệu cá nhân rao bán trên diễn đàn.",
        &["data_integrity"],
    ),
    (
        "Tài khoản quản trị bị đăng nhập trái phép",
        "intrusion",
        "Đăng nhập quản trị lúc 2 giờ sáng từ địa chỉ lạ, tạo tài khoản mới.",
        &["loss_of_control"],
    ),
    (
        "Mã độc đánh cắp thông tin trên máy trạm kế toán",
        "malware",
        "Phần mềm diệt virus cảnh báo trojan, máy chạy chậm.",
        &[],
    ),
];

/// Addresses and domains that recur across incidents.
const IOCS: [(&str, &str); 6] = [
    ("ipv4", "185.220.101.47"),
    ("ipv4", "45.142.212.100"),
    ("domain", "update-microsoft-secure.com"),
    ("domain", "dichvucong-gov.vn.login-check.net"),
    ("sha256", "5f2b7e0b9c1d4a3e8f6a7b2c9d0e1f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e"),
    ("url", "http://45.142.212.100/payload/inv.exe"),
];

/// The states the demo walks each incident to, and how many hours ago it was detected.
const PATHS: [(&[&str], i64); 7] = [
    (&[], 3),
    (&[], 40),
    (&["triaged"], 20),
    (&["triaged", "containing"], 50),
    (&["triaged", "containing", "recovering"], 90),
    (&["triaged", "containing", "recovering", "reviewing"], 200),
    (&["triaged", "containing", "recovering", "reviewing", "closed"], 400),
];

/// Reports `count` incidents across the units below the root; returns how many.
pub async fn load(store: &Store, admin: &Actor, units: &[Unit], count: usize) -> Result<usize> {
    let e = |e: khien_domain::Error| anyhow!("demo incidents: {e}");
    let reporting: Vec<&Unit> = units
        .iter()
        .filter(|u| {
            matches!(u.unit_type, UnitType::Department | UnitType::Ward | UnitType::Commune | UnitType::StateEnterprise)
        })
        .collect();
    let network: Vec<&Unit> =
        units.iter().filter(|u| matches!(u.unit_type, UnitType::Police | UnitType::SocProvider)).collect();
    if reporting.is_empty() {
        return Ok(0);
    }
    let mut created = Vec::new();
    for n in 0..count {
        let unit = *crate::nth_round(&reporting, n * 7).ok_or_else(|| anyhow!("demo incidents: no reporting unit"))?;
        let (title, category, symptoms, consequences) = crate::round(&STORIES, n);
        let (path, hours) = crate::round(&PATHS, n);
        let detected = store.clock().now_ms() - (hours + (n as i64 % 5)) * 3_600_000;
        let ioc = crate::round(&IOCS, n);
        let second = crate::round(&IOCS, n + 2);
        let input = IncidentInput {
            unit_id: unit.id,
            title: format!("{title} — {}", unit.name),
            category: category.into(),
            detected_at: rfc3339(detected),
            reported_at: Some(rfc3339(detected + 2 * 3_600_000)),
            tlp: Some(crate::round(&["amber", "green", "amber+strict", "clear"], n).into()),
            priority: Some(1 + (n as i64 % 4)),
            consequences: consequences.iter().map(|c| c.to_string()).collect(),
            beyond_capacity: n % 5 == 0,
            national_critical: n % 11 == 0,
            reporter_name: unit.focal_name.clone(),
            reporter_contact: unit.focal_phone.clone(),
            symptoms: Some(symptoms.into()),
            impact: Some("Gián đoạn một phần hoạt động tiếp nhận hồ sơ.".into()),
            measures_taken: Some("Ngắt kết nối mạng máy bị ảnh hưởng, thu thập nhật ký.".into()),
            // Every second one filed its initial report with the intake form.
            file_initial_report: n % 2 == 0,
            observables: vec![
                ObservableInput {
                    kind: ioc.0.into(),
                    value: ioc.1.into(),
                    source: Some("Nhật ký tường lửa".into()),
                    ..Default::default()
                },
                ObservableInput { kind: second.0.into(), value: second.1.into(), ..Default::default() },
            ],
            ..Default::default()
        };
        let inc = store.create_incident(admin, &input).await.map_err(e)?;
        for (step, to) in path.iter().enumerate() {
            if let Some(helper) = crate::nth_round(&network, n).filter(|_| step == 1) {
                let task = TaskInput {
                    unit_id: helper.id,
                    title: "Hỗ trợ phân tích mẫu mã độc và nhật ký".into(),
                    assignee: None,
                    due_on: None,
                };
                store.add_incident_task(admin, inc.id, &task).await.map_err(e)?;
            }
            if *to == "reviewing" {
                store
                    .file_incident_report(
                        admin,
                        inc.id,
                        khien_domain::incident::ReportKind::Progress,
                        "Nguyên nhân: lỗ hổng chưa vá trên máy chủ web. Phạm vi: 3 máy chủ. Đã khắc phục.",
                    )
                    .await
                    .map_err(e)?;
            }
            if *to == "closed" {
                store
                    .file_incident_report(
                        admin,
                        inc.id,
                        khien_domain::incident::ReportKind::Closing,
                        "Đã khôi phục hoạt động bình thường, rà soát toàn bộ hệ thống.",
                    )
                    .await
                    .map_err(e)?;
            }
            let to = khien_domain::incident::State::parse("state", to).map_err(e)?;
            store.move_incident(admin, inc.id, to, None).await.map_err(e)?;
        }
        created.push(inc.id);
    }
    // One duplicate report, merged into the first.
    if let [first, second, ..] = created[..] {
        store.link_incidents(admin, second, first, true).await.map_err(e)?;
    }
    Ok(created.len())
}
