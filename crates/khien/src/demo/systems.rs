//! The demo city's information systems: a deterministic set in every state of the registry —
//! planned, being built, each dossier state, approved and operating, operating without approval
//! (gate violations), suspended — with 4-layer facts from complete to missing. Loaded through the
//! store like any user's work, so every record is scoped, validated and audited.

use anyhow::{anyhow, Result};
use khien_domain::scope::Actor;
use khien_domain::system::dossier::DossierAction;
use khien_domain::system::Lifecycle;
use khien_store::{DossierInput, Store, SystemInput, Unit};

/// (name, system_type, admin procedures, personal-data subjects, online level, infra scope, secret)
type Template = (&'static str, &'static str, bool, i64, i64, &'static str, &'static str);

const TEMPLATES: [Template; 13] = [
    ("Cổng thông tin điện tử", "public_service", false, 0, 2, "none", "none"),
    ("Hệ thống một cửa điện tử", "public_service", true, 30_000, 3, "none", "none"),
    ("Hệ thống quản lý văn bản và điều hành", "internal", false, 500, 0, "none", "none"),
    ("Mạng nội bộ", "info_infrastructure", false, 0, 0, "one_agency", "none"),
    ("Hệ thống camera giám sát an ninh trật tự", "internal", false, 0, 0, "none", "none"),
    ("Hệ thống thư điện tử công vụ", "internal", false, 800, 0, "none", "none"),
    ("Phần mềm quản lý hộ tịch", "public_service", true, 120_000, 3, "none", "none"),
    ("Cơ sở dữ liệu chuyên ngành", "internal", false, 150_000, 0, "none", "none"),
    ("Hệ thống họp trực tuyến", "internal", false, 0, 0, "none", "none"),
    ("Phần mềm kế toán", "internal", false, 200, 0, "none", "none"),
    ("Hệ thống lưu trữ hồ sơ mật", "internal", false, 0, 0, "none", "confidential"),
    ("Hệ thống tiếp nhận phản ánh kiến nghị", "public_service", false, 40_000, 2, "none", "none"),
    ("Trung tâm dữ liệu dùng chung", "info_infrastructure", false, 0, 0, "province", "none"),
];

/// The written opinions of the demo's appraisals and approvals (every step is judged in writing).
const APPRAISAL_OPINION: &str =
    "Hồ sơ đủ thành phần; cấp độ đề xuất phù hợp với tiêu chí xác định cấp độ; phương án bảo đảm an toàn đáp ứng yêu cầu cơ bản.";
const APPROVAL_OPINION: &str = "Đồng ý phê duyệt cấp độ theo đề xuất và kết quả thẩm định.";

const ALL_PARTS: [&str; 6] =
    ["overview", "design", "level_justification", "protection_plan", "expert_opinion", "risk_assessment"];

/// Registers `per_unit` systems for each unit (except the root), returns how many.
pub async fn load(store: &Store, admin: &Actor, units: &[Unit], per_unit: usize) -> Result<usize> {
    let mut n = 0;
    let e = |e: khien_domain::Error| anyhow!("demo systems: {e}");
    let today = store.clock().today_vn();
    let date = |days_ago: i64| (today - chrono::Duration::days(days_ago)).format("%Y-%m-%d").to_string();
    for (ui, unit) in units.iter().filter(|u| u.parent_id.is_some()).enumerate() {
        for k in 0..per_unit {
            let i = ui * per_unit + k;
            let (name, system_type, admin_procedures, subjects, online, scope, secret) = crate::round(&TEMPLATES, k);
            let stage = i % 10;
            let operating = matches!(stage, 5..=8);
            let input = SystemInput {
                code: format!("{}-{:02}", unit.code, k + 1),
                name: format!("{name} – {}", unit.name),
                owner_unit_id: unit.id,
                system_type: system_type.into(),
                info_personal: subjects > 0,
                info_private: k % 3 == 2,
                secret_grade: Some(secret.into()),
                subjects_basic: subjects,
                admin_procedures,
                online_service_level: online,
                infra_scope: Some(scope.into()),
                hosting: Some(
                    if k % 2 == 0 {
                        "Trung tâm dữ liệu thành phố"
                    } else {
                        "Phòng máy chủ của đơn vị"
                    }
                    .into(),
                ),
                status: Some(match stage {
                    0 => Lifecycle::Planned,
                    8 => Lifecycle::InOperation,
                    _ => Lifecycle::Building,
                }),
                go_live_date: (stage == 8).then(|| date(30 + (i as i64 % 400))),
                ip_ranges: vec![format!("10.{}.{}.0/24", 100 + ui / 250, (ui * per_unit + k) % 250)],
                onsite_team: (operating && !i.is_multiple_of(4)).then(|| format!("Tổ CNTT {}", unit.name)),
                monitoring_unit: (operating && !i.is_multiple_of(3))
                    .then(|| "Trung tâm Giám sát an toàn không gian mạng Hải Đông".into()),
                monitoring_until: (operating && !i.is_multiple_of(3)).then(|| {
                    if i.is_multiple_of(7) {
                        date(20)
                    } else {
                        date(-300)
                    }
                }),
                assessed_on: (operating && !i.is_multiple_of(5)).then(|| date(30 + (i as i64 % 500))),
                assessor_unit: (operating && !i.is_multiple_of(5))
                    .then(|| "Công ty Cổ phần Kiểm định An toàn thông tin Phương Nam".into()),
                connected_since: (operating && i.is_multiple_of(2)).then(|| date(200)),
                confirm_overlap: true,
                ..Default::default()
            };
            let system = store.create_system(admin, &input).await.map_err(e)?;
            n += 1;
            if matches!(stage, 0 | 1 | 8) {
                continue;
            }
            let d = store
                .create_dossier(admin, system.id, &DossierInput { proposed_level: 0, level_reason: None })
                .await
                .map_err(e)?;
            // Each part a file (a short PDF naming it): a part is complete only with one.
            let parts: Vec<&str> =
                ALL_PARTS.iter().copied().take(if stage == 2 { 2 } else { ALL_PARTS.len() }).collect();
            let files: Vec<(String, Vec<u8>)> = parts
                .iter()
                .map(|p| (format!("{p}.pdf"), format!("%PDF-1.4\n% {} — {p}\n%%EOF\n", system.code).into_bytes()))
                .collect();
            let files: Vec<(&str, &str, &[u8])> =
                parts.iter().zip(&files).map(|(p, (name, bytes))| (*p, name.as_str(), bytes.as_slice())).collect();
            store.add_attachments(admin, d.id, &files).await.map_err(e)?;
            if stage == 2 {
                continue;
            }
            store.act_on_dossier(admin, d.id, DossierAction::Submit, None, None, None).await.map_err(e)?;
            if stage == 9 {
                store
                    .act_on_dossier(
                        admin,
                        d.id,
                        DossierAction::Return,
                        Some("Bổ sung thuyết minh phương án bảo đảm an toàn."),
                        None,
                        None,
                    )
                    .await
                    .map_err(e)?;
                continue;
            }
            if stage == 3 {
                continue;
            }
            // Levels 4–5 are appraised by the ministry: its document's number is recorded.
            let appraisal = format!("{}/BCA-A05", 300 + i);
            store
                .act_on_dossier(admin, d.id, DossierAction::Appraise, Some(APPRAISAL_OPINION), Some(&appraisal), None)
                .await
                .map_err(e)?;
            if stage == 4 {
                continue;
            }
            // The security rules are issued before approval; the plan implemented and the
            // conditions assessed before operation.
            let ready = SystemInput {
                security_rules_ref: Some(format!("{}/QĐ-UBND ngày {}", 50 + i, date(120))),
                plan_status: Some("full".into()),
                preoperation_assessed_on: Some(date(40)),
                ..input.clone()
            };
            store.update_system(admin, system.id, &ready).await.map_err(e)?;
            let number = format!("{}/QĐ-UBND", 100 + i);
            store
                .act_on_dossier(
                    admin,
                    d.id,
                    DossierAction::Approve,
                    Some(APPROVAL_OPINION),
                    Some(&number),
                    Some("Chủ tịch UBND"),
                )
                .await
                .map_err(e)?;
            store.set_system_status(admin, system.id, Lifecycle::InOperation).await.map_err(e)?;
        }
    }
    Ok(n)
}
