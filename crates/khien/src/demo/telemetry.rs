//! The demo city's telemetry (issue 18): for six wards, their hosts' anti-malware reports (most
//! sharing with NCSC, a few silent or not sharing), a day of sensor alerts and flows on their
//! systems, and botnet addresses — some cleaned and verified, some still with the ward — sent
//! as a SOC would, so that HCM 3131's indicators 3–5 have figures and the pages have work.

use anyhow::{anyhow, Result};
use khien_domain::botnet::BotnetMove;
use khien_domain::scope::Actor;
use khien_domain::unit::UnitType;
use khien_store::{IngestSource, Store, SystemFilter, Unit};

fn err(e: impl std::fmt::Display) -> anyhow::Error {
    anyhow!("demo telemetry: {e}")
}

/// The first three octets of a system's first /24 ("10.100.7").
fn prefix(range: &str) -> Option<String> {
    let (addr, _) = range.split_once('/')?;
    let mut parts = addr.split('.');
    Some(format!("{}.{}.{}", parts.next()?, parts.next()?, parts.next()?))
}

pub async fn load(store: &Store, admin: &Actor, units: &[Unit]) -> Result<()> {
    let wards: Vec<&Unit> = units.iter().filter(|u| u.unit_type == UnitType::Ward).take(6).collect();
    let now = store.clock().now_ms();
    let stamp = |back_min: i64| khien_domain::time::rfc3339(now - back_min * 60_000);
    let today = khien_domain::telemetry::day_vn(now);
    let mut lines = Vec::new();
    let mut botnet_ips = Vec::new();
    for (n, ward) in wards.iter().enumerate() {
        let filter = SystemFilter { unit_id: Some(ward.id), limit: 20, ..Default::default() };
        let systems = store.list_systems(admin, &filter).await.map_err(err)?.items;
        for (k, system) in systems.iter().enumerate() {
            let Some(p) = system.ip_ranges.first().and_then(|r| prefix(r)) else { continue };
            // Hosts: nine in ten share with NCSC; one ward's last host has gone silent.
            for h in 0..6 {
                let ncsc = (h + n + k) % 10 != 0;
                let at = if n == 5 && h == 5 { stamp(60 * 24 * 12) } else { stamp(30 + h as i64) };
                lines.push(format!(
                    r#"{{"khien":"endpoint","time":"{at}","host":"{}-{k}-{h:02}","ip":"{p}.{}","agent":"Khiên agent 1.0","product":"BKAV Endpoint","signature_date":"{today}","ncsc":{ncsc}}}"#,
                    ward.code,
                    20 + h
                ));
            }
            // A morning of sensor events: flows, and alerts of two rules.
            for e in 0..8 {
                let kind = if e % 4 == 0 { "alert" } else { "flow" };
                lines.push(format!(
                    r#"{{"timestamp":"{}","event_type":"{kind}","src_ip":"{p}.{}","src_port":{},"dest_ip":"203.0.113.{}","dest_port":443,"proto":"TCP","alert":{{"signature_id":{},"signature":"ET POLICY Kết nối tới máy chủ đáng ngờ","severity":{}}}}}"#,
                    stamp(10 + e),
                    20 + e % 6,
                    40000 + e,
                    10 + n,
                    2_013_028 + (e % 2),
                    1 + e % 3
                ));
            }
            if k == 0 && n % 2 == 0 {
                botnet_ips.push(format!("{p}.66"));
                lines.push(format!(
                    r#"{{"khien":"botnet","time":"{}","ip":"{p}.66","family":"mirai","feed":"NCSC"}}"#,
                    stamp(90)
                ));
            }
        }
    }
    let batch = khien_formats::telemetry::parse_batch(lines.join("\n").as_bytes());
    let source = IngestSource { key: "demo:telemetry".into(), channel: "http" };
    store.ingest_telemetry(admin, &source, &batch).await.map_err(err)?;
    // The first botnet address is cleaned and verified; the others wait for their wards.
    let cases = store.list_botnet_cases(admin, &Default::default()).await.map_err(err)?;
    if let Some(case) = cases.iter().find(|c| botnet_ips.first() == Some(&c.ip)) {
        let note = "Đã cách ly máy, cài lại hệ điều hành và quét sạch; biên bản kèm theo.";
        store.move_botnet_case(admin, case.id, BotnetMove::Clean, note).await.map_err(err)?;
        let check = "Đã kiểm tra lại: không còn kết nối tới máy chủ điều khiển.";
        store.move_botnet_case(admin, case.id, BotnetMove::Verify, check).await.map_err(err)?;
    }
    Ok(())
}
