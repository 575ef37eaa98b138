//! The demo city's response network: the police, the SOC provider and the telecom and IT
//! enterprises applied with their 24/7 contacts and the authority approved them, so the demo
//! incidents' tasks go to members.

use anyhow::{anyhow, Result};
use khien_domain::network::{MemberDecision, MemberEntry};
use khien_domain::scope::Actor;
use khien_domain::unit::UnitType;
use khien_store::{Store, Unit};

pub async fn load(store: &Store, admin: &Actor, units: &[Unit]) -> Result<()> {
    let e = |e: khien_domain::Error| anyhow!("demo network: {e}");
    let members = units
        .iter()
        .filter(|u| matches!(u.unit_type, UnitType::Police | UnitType::SocProvider | UnitType::ItEnterprise));
    for (n, unit) in members.enumerate() {
        let entry = MemberEntry {
            contact_name: format!("Trực ban ứng cứu — {}", unit.name),
            contact_phone: format!("0225 3 8{:02} 1{:02}", n % 100, (n * 7) % 100),
            contact_email: format!("ungcuu.{}@haidong.gov.vn", unit.code.to_lowercase()),
            public_key: String::new(),
            capabilities: match unit.unit_type {
                UnitType::Police => "Điều tra, thu thập chứng cứ số; phối hợp xử lý tấn công mạng".into(),
                UnitType::SocProvider => "Giám sát 24/7; phân tích mã độc và nhật ký; cô lập mạng".into(),
                _ => "Ngăn chặn, định tuyến lưu lượng; khôi phục kết nối".into(),
            },
        };
        store.apply_to_network(admin, unit.id, &entry).await.map_err(e)?;
        store.decide_network_member(admin, unit.id, MemberDecision::Approve, "").await.map_err(e)?;
    }
    Ok(())
}
