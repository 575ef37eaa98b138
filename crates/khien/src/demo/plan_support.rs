//! What the plans ask of units besides progress reports: the plans' least cybersecurity share
//! of IT spending (HCM 3131 task 7 and Đồng Tháp: 10 %; Hải Phòng and Cần Thơ: 15 %) with
//! departments' and wards' projects of this year and last, specialist staff with certificates (one expiring, one
//! expired), a drill with its follow-up and an awareness campaign, and a draft action plan out
//! for comments with a few replies, one answered.

use anyhow::{anyhow, Result};
use chrono::{Datelike, Duration};
use khien_domain::scope::Actor;
use khien_domain::unit::UnitType;
use khien_store::{
    BudgetProjectInput, CommentInput, ConsultationInput, StaffCertificateInput, StaffInput, Store, TrainingInput, Unit,
};

const SHARES: [(&str, &str); 4] =
    [("3131/KH-UBND", "10"), ("HP-ANM/2026", "15"), ("DT-ANM/2022", "10"), ("CT-57/2026", "15")];

/// (project, total in million đồng, cybersecurity part in million đồng).
const PROJECTS: [(&str, i64, i64); 4] = [
    ("Nâng cấp hạ tầng mạng và trung tâm dữ liệu", 12_500, 1_500),
    ("Số hóa hồ sơ, dữ liệu chuyên ngành", 4_200, 380),
    ("Hệ thống thông tin một cửa điện tử", 2_800, 420),
    ("Thuê dịch vụ giám sát an toàn thông tin (SOC)", 900, 900),
];

fn err(e: impl std::fmt::Display) -> anyhow::Error {
    anyhow!("demo plan support: {e}")
}

pub async fn load(store: &Store, admin: &Actor, units: &[Unit]) -> Result<()> {
    let plans = store.list_plans(admin).await.map_err(err)?;
    for (number, percent) in SHARES {
        if let Some(p) = plans.iter().find(|p| p.number == number) {
            let bp = khien_domain::budget::parse_percent("budget_share", percent).map_err(err)?;
            store.set_plan_budget_share(admin, p.id, Some(bp)).await.map_err(err)?;
        }
    }
    let departments: Vec<&Unit> = units.iter().filter(|u| u.unit_type == UnitType::Department).take(8).collect();
    let wards: Vec<&Unit> = units.iter().filter(|u| u.unit_type == UnitType::Ward).take(4).collect();
    let today = store.clock().today_vn();
    let year = i64::from(today.year());
    for (n, unit) in departments.iter().chain(wards.iter()).enumerate() {
        for (k, (name, total, security)) in PROJECTS.iter().enumerate().filter(|(k, _)| (n + k) % 3 != 0) {
            // Some units spend less than the plans ask, so that the page has both.
            let security = if n % 4 == 1 { security / 3 } else { *security };
            let input = BudgetProjectInput {
                unit_id: unit.id,
                year: year - (k as i64 % 2),
                name: (*name).into(),
                total_cost: total * 1_000_000,
                security_cost: security * 1_000_000,
                note: String::new(),
            };
            store.record_budget_project(admin, &input).await.map_err(err)?;
        }
    }
    staff(store, admin, &departments, today).await?;
    drill(store, admin, units, &wards, today).await?;
    consultation(store, admin, units, &departments, today).await
}

/// A drill the authority held with two wards last month, with what one of them must fix, and an
/// awareness campaign.
async fn drill(store: &Store, admin: &Actor, units: &[Unit], wards: &[&Unit], today: chrono::NaiveDate) -> Result<()> {
    let Some(organiser) = units.iter().find(|u| u.code == khien_demo::PA05_CODE) else { return Ok(()) };
    let day = |days: i64| (today - Duration::days(days)).format("%Y-%m-%d").to_string();
    let drill = TrainingInput {
        kind: "drill".into(),
        title: "Diễn tập thực chiến ứng cứu sự cố mã độc tống tiền".into(),
        held_on: day(30),
        organiser_unit_id: organiser.id,
        unit_ids: wards.iter().take(2).map(|u| u.id).collect(),
        participants: 64,
        response_plan: "Phương án ứng cứu sự cố an ninh mạng của thành phố".into(),
        lessons: "Phát hiện sớm nhờ giám sát tập trung; một phường cô lập máy trạm chậm 3 giờ.".into(),
        ..Default::default()
    };
    let held = store.record_training(admin, &drill).await.map_err(err)?;
    if let Some(ward) = wards.first() {
        let due = (today + Duration::days(30)).format("%Y-%m-%d").to_string();
        let fix = "Ban hành quy trình cô lập máy trạm bị nhiễm; tập huấn lại cán bộ bộ phận một cửa.";
        store.add_follow_up(admin, held.id, ward.id, fix, &due).await.map_err(err)?;
    }
    let campaign = TrainingInput {
        kind: "awareness".into(),
        title: "Tuyên truyền nhận diện lừa đảo trực tuyến «Bình dân học vụ số»".into(),
        held_on: day(12),
        organiser_unit_id: organiser.id,
        unit_ids: wards.iter().map(|u| u.id).collect(),
        reach: 18_500,
        ..Default::default()
    };
    store.record_training(admin, &campaign).await.map_err(err)?;
    Ok(())
}

async fn staff(store: &Store, admin: &Actor, units: &[&Unit], today: chrono::NaiveDate) -> Result<()> {
    const PEOPLE: [(&str, &str, &str); 6] = [
        ("Nguyễn Văn An", "Chuyên viên công nghệ thông tin", "full_time"),
        ("Trần Thị Bình", "Phó trưởng phòng Kế hoạch - Tổng hợp", "part_time"),
        ("Lê Hoàng Cường", "Chuyên viên an toàn thông tin", "full_time"),
        ("Phạm Thu Dung", "Chuyên viên chuyển đổi số", "full_time"),
        ("Hoàng Minh Đức", "Quản trị mạng", "part_time"),
        ("Vũ Thị Giang", "Chuyên viên an toàn thông tin", "full_time"),
    ];
    for (n, (name, position, role)) in PEOPLE.iter().enumerate() {
        let Some(unit) = units.get(n % units.len().max(1)) else { continue };
        let input = StaffInput {
            unit_id: unit.id,
            full_name: (*name).into(),
            position: (*position).into(),
            role: (*role).into(),
            since: (today - Duration::days(400 + 97 * n as i64)).format("%Y-%m-%d").to_string(),
            qualifications: "Kỹ sư công nghệ thông tin".into(),
            active: true,
        };
        let person = store.record_security_staff(admin, &input).await.map_err(err)?;
        // One certificate expiring within the warning, one expired, the others valid.
        let expires = match n {
            0 => today + Duration::days(45),
            2 => today - Duration::days(20),
            _ => today + Duration::days(700),
        };
        let cert = StaffCertificateInput {
            name: if n % 2 == 0 {
                "CEH - Certified Ethical Hacker"
            } else {
                "Chứng chỉ An toàn thông tin cơ bản"
            }
            .into(),
            issuer: if n % 2 == 0 { "EC-Council" } else { "Học viện Kỹ thuật mật mã" }.into(),
            issued_on: (expires - Duration::days(3 * 365)).format("%Y-%m-%d").to_string(),
            expires_on: expires.format("%Y-%m-%d").to_string(),
        };
        store.add_staff_certificate(admin, person.id, &cert).await.map_err(err)?;
    }
    Ok(())
}

async fn consultation(
    store: &Store,
    admin: &Actor,
    units: &[Unit],
    departments: &[&Unit],
    today: chrono::NaiveDate,
) -> Result<()> {
    let Some(drafting) = units.iter().find(|u| u.code == khien_demo::PA05_CODE) else { return Ok(()) };
    let input = ConsultationInput {
        title: format!("Dự thảo Kế hoạch ứng phó sự cố an ninh mạng năm {}", today.year() + 1),
        drafting_unit_id: drafting.id,
        due_on: (today + Duration::days(10)).format("%Y-%m-%d").to_string(),
        unit_ids: departments.iter().map(|u| u.id).collect(),
    };
    let round = store.open_consultation(admin, &input).await.map_err(err)?;
    for (n, unit) in departments.iter().enumerate().take(5) {
        let comments = match n {
            1 => vec![CommentInput {
                section: "Nhiệm vụ 2.2".into(),
                body: "Đề nghị bổ sung đối tượng tập huấn là viên chức và người lao động tại các đơn vị sự nghiệp."
                    .into(),
            }],
            3 => vec![CommentInput {
                section: "Mục III".into(),
                body: "Đề nghị ghi rõ nguồn kinh phí thực hiện theo phân cấp ngân sách.".into(),
            }],
            _ => Vec::new(),
        };
        store.reply_to_consultation(admin, round.id, unit.id, &comments).await.map_err(err)?;
    }
    let round = store.get_consultation(admin, round.id).await.map_err(err)?;
    if let Some(first) = round.units.iter().flat_map(|u| u.comments.iter()).next() {
        let answer = khien_domain::consultation::CommentAnswer::Accepted;
        store
            .answer_consultation_comment(admin, first.id, answer, "Đã bổ sung vào nhiệm vụ 2.2.")
            .await
            .map_err(err)?;
    }
    Ok(())
}
