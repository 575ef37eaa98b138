//! The demo city's indicators: HCM 3131's seven (80 % → 90 % → 100 %, and 100 % for 2026 as the
//! city carries them on), Hải Phòng's four layers and budget share, Đồng Tháp's awareness reach.
//! The measures Khiên computes are kept for this month (endpoints sharing with NCSC and botnet
//! IPs handled from the demo's telemetry, `demo::telemetry`); those it does not hold yet
//! (response plans, awareness reach) are entered by the wards by hand for the last six months.
//! The city's index model ranks the wards (published) and the departments (a draft) for this
//! year.

use anyhow::{anyhow, Result};
use chrono::{Datelike, Months};
use khien_domain::scope::Actor;
use khien_domain::unit::UnitType;
use khien_store::{IndicatorInput, Store, Unit};

const HCM: &str = "2023: 80, 2024: 90, 2025: 100, 2026: 100";
const ALL: &str = "2023: 100, 2024: 100, 2025: 100, 2026: 100";

/// (code, Vietnamese, English, plan, measure, targets).
const INDICATORS: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "HCM-1",
        "Tỷ lệ hệ thống thông tin được phân loại và bảo vệ theo cấp độ (đã phê duyệt cấp độ)",
        "Systems classified and protected by level (level approved)",
        "3131/KH-UBND",
        "approved",
        HCM,
    ),
    (
        "HCM-2",
        "Tỷ lệ hệ thống thông tin triển khai đầy đủ phương án bảo vệ theo hồ sơ đã phê duyệt",
        "Systems with the approved protection plan fully implemented",
        "3131/KH-UBND",
        "plan_implemented",
        HCM,
    ),
    (
        "HCM-3",
        "Tỷ lệ máy chủ, máy trạm cài phòng, chống mã độc và chia sẻ thông tin với NCSC",
        "Servers and workstations with anti-malware sharing with NCSC",
        "3131/KH-UBND",
        "endpoints_protected",
        ALL,
    ),
    (
        "HCM-4",
        "Tỷ lệ IP botnet trong cơ quan nhà nước được phát hiện, cảnh báo và xử lý",
        "Botnet IPs in state agencies detected, notified and cleaned",
        "3131/KH-UBND",
        "botnet_handled",
        ALL,
    ),
    (
        "HCM-5",
        "Tỷ lệ hệ thống thông tin được giám sát trực tiếp và kết nối chia sẻ với NCSC",
        "Systems monitored directly and connected to NCSC",
        "3131/KH-UBND",
        "monitored_connected",
        ALL,
    ),
    (
        "HCM-6",
        "Tỷ lệ hệ thống thông tin được kiểm tra, đánh giá an toàn thông tin",
        "Systems checked and assessed",
        "3131/KH-UBND",
        "assessed",
        ALL,
    ),
    (
        "HCM-7",
        "Tỷ lệ hệ thống thông tin có phương án ứng cứu sự cố tấn công mạng",
        "Systems with an incident-response plan",
        "3131/KH-UBND",
        "manual",
        ALL,
    ),
    (
        "HP-4LOP",
        "Tỷ lệ hệ thống thông tin triển khai mô hình bảo vệ 4 lớp",
        "Systems protected by the four-layer model",
        "HP-ANM/2026",
        "four_layers",
        "2026: 100",
    ),
    (
        "HP-KINHPHI",
        "Tỷ lệ kinh phí cho an ninh mạng trong các dự án CNTT",
        "Cybersecurity share of IT project spending",
        "HP-ANM/2026",
        "budget_share",
        "2026: 15",
    ),
    (
        "DT-TUYENTRUYEN",
        "Tỷ lệ người sử dụng Internet được tiếp cận thông tin tuyên truyền",
        "Internet users reached by awareness work",
        "DT-ANM/2022",
        "manual",
        "2024: 80, 2025: 90",
    ),
];

fn err(e: impl std::fmt::Display) -> anyhow::Error {
    anyhow!("demo indicators: {e}")
}

pub async fn load(store: &Store, admin: &Actor, units: &[Unit]) -> Result<()> {
    let month = store.clock().today_vn();
    let wards: Vec<&Unit> = units.iter().filter(|u| u.unit_type == UnitType::Ward).take(6).collect();
    for (code, vi, en, plan, measure, targets) in INDICATORS {
        let input = IndicatorInput {
            code: (*code).into(),
            name_vi: (*vi).into(),
            name_en: (*en).into(),
            plan_number: (*plan).into(),
            measure: (*measure).into(),
            targets: khien_domain::indicator::parse_targets(targets).map_err(err)?,
        };
        let ind = store.define_indicator(admin, &input).await.map_err(err)?;
        if *measure != "manual" {
            continue;
        }
        // Six months of figures the wards entered, rising as the plan asks.
        for back in (0..6u32).rev() {
            let Some(day) = month.checked_sub_months(Months::new(back)) else { continue };
            let period = format!("{}-{:02}", day.year(), day.month());
            for (n, ward) in wards.iter().enumerate() {
                let whole = 40 + 7 * n as i64;
                let part = (whole * (70 + 5 * (5 - back as i64) + n as i64)).min(whole * 100) / 100;
                let note = "Số liệu đơn vị tổng hợp";
                store
                    .record_indicator_value(admin, ind.id, ward.id, &period, (part, whole), note)
                    .await
                    .map_err(err)?;
            }
        }
    }
    // The computed indicators kept for each of the last six months, as the authority would
    // have done month by month (from today's records: the demo has no history).
    for back in (0..6u32).rev() {
        let Some(day) = month.checked_sub_months(Months::new(back)) else { continue };
        store.snapshot_period(admin, &format!("{}-{:02}", day.year(), day.month())).await.map_err(err)?;
    }
    ranking(store, admin).await
}

/// The city's scoring model (weights out of 100, bands A–E, one band down for a finding overdue
/// more than 30 days), the wards' ranking of this year published and the departments' as a draft.
async fn ranking(store: &Store, admin: &Actor) -> Result<()> {
    use khien_domain::index::{Band, Criterion, CriterionSource, ScoringModel};
    let c = |code: &str, vi: &str, en: &str, source, weight| Criterion {
        code: code.into(),
        name_vi: vi.into(),
        name_en: en.into(),
        source,
        weight,
    };
    let indicator = |code: &str| CriterionSource::Indicator { code: code.into() };
    let model = ScoringModel {
        criteria: vec![
            c("phe-duyet", "Hệ thống được phê duyệt cấp độ", "Systems approved", indicator("HCM-1"), 20),
            c("giam-sat", "Giám sát và kết nối NCSC", "Monitored and connected", indicator("HCM-5"), 15),
            c("danh-gia", "Kiểm tra, đánh giá", "Assessed", indicator("HCM-6"), 15),
            c("bon-lop", "Mô hình 4 lớp", "Four layers", indicator("HP-4LOP"), 20),
            c(
                "khac-phuc",
                "Khắc phục phát hiện đúng hạn",
                "Findings fixed on time",
                CriterionSource::FindingsOnTime,
                15,
            ),
            c("dinh-ky", "Nghĩa vụ định kỳ đúng hạn", "Recurring duties on time", CriterionSource::DutiesOnTime, 15),
        ],
        bands: [("A", 85), ("B", 70), ("C", 50), ("D", 30), ("E", 0)]
            .iter()
            .map(|(name, from)| Band { name: (*name).into(), from: *from })
            .collect(),
        downgrade_after_days: Some(30),
    };
    let model = store.define_index_model(admin, "Bộ chỉ số an ninh mạng Hải Đông", &model).await.map_err(err)?;
    let year = store.clock().today_vn().year().to_string();
    let wards = store.compute_ranking(admin, model.id, UnitType::Ward, &year).await.map_err(err)?;
    store.publish_ranking(admin, wards.id).await.map_err(err)?;
    store.compute_ranking(admin, model.id, UnitType::Department, &year).await.map_err(err)?;
    Ok(())
}
