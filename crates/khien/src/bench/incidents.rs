//! The incident scenarios of `khien bench`: 10,000 incidents with 200,000 observables (values
//! drawn from a pool so that each recurs in several incidents), then the queue pages, the
//! "where else?" lookup, a STIX bundle of 1,000 incidents and a TAXII page of 1,000 objects.

use crate::bench::{measure, BenchArgs};
use anyhow::{anyhow, Result};
use khien_domain::time::rfc3339;
use khien_store::{CollectionInput, IncidentFilter, IncidentInput, ObservableInput, Store};
use std::time::Instant;

const CATEGORIES: [&str; 9] =
    ["malware", "ransomware", "phishing", "intrusion", "ddos", "defacement", "data_leak", "botnet", "other"];
const TITLES: [&str; 6] = [
    "Mã độc tống tiền mã hóa máy chủ",
    "Tấn công từ chối dịch vụ cổng thông tin",
    "Thư giả mạo lãnh đạo",
    "Lộ lọt dữ liệu hồ sơ",
    "Trang web bị thay đổi giao diện",
    "Máy trạm kết nối botnet",
];
const STATES: [&[&str]; 4] =
    [&[], &["triaged"], &["triaged", "containing"], &["triaged", "containing", "recovering", "reviewing", "closed"]];
/// Distinct addresses in the pool: 200,000 observables over 40,000 values, five sightings each.
const POOL: usize = 40_000;

fn ip(n: usize) -> String {
    format!("10.{}.{}.{}", (n / 65_536) % 256, (n / 256) % 256, n % 256)
}

pub async fn run(store: &Store, app: &axum::Router, admin: &str, manager: &str, a: &BenchArgs) -> Result<()> {
    if a.incidents == 0 {
        return Ok(());
    }
    let e = |e: khien_domain::Error| anyhow!("{e}");
    let actor = store
        .actor_for_user(
            store.maintenance().user_id_by_username("admin").await.map_err(e)?.ok_or_else(|| anyhow!("no admin"))?,
        )
        .await
        .map_err(e)?;
    let units = store.unit_tree(&actor).await.map_err(e)?;
    let t = Instant::now();
    let mut published = Vec::new();
    let below_root = units.get(1..).unwrap_or_default();
    for n in 0..a.incidents {
        let unit = crate::nth_round(below_root, n).ok_or_else(|| anyhow!("no unit below the root"))?;
        let observables = (0..a.observables_per_incident)
            .map(|k| ObservableInput { kind: "ipv4".into(), value: ip((n * 7 + k * 13) % POOL), ..Default::default() })
            .collect();
        let input = IncidentInput {
            unit_id: unit.id,
            title: format!("{} — {}", crate::round(&TITLES, n), unit.name),
            category: crate::round(&CATEGORIES, n).into(),
            detected_at: rfc3339(store.clock().now_ms() - (1 + (n % 200) as i64) * 3_600_000),
            priority: Some(1 + (n % 4) as i64),
            file_initial_report: n % 3 != 0,
            observables,
            ..Default::default()
        };
        let inc = store.create_incident(&actor, &input).await.map_err(e)?;
        for to in crate::round(&STATES, n) {
            let to = khien_domain::incident::State::parse("state", to).map_err(e)?;
            store.move_incident(&actor, inc.id, to, None).await.map_err(e)?;
        }
        if published.len() < 50 {
            published.push(inc.id);
        }
    }
    store.maintenance().analyze().await.map_err(e)?;
    println!(
        "loaded {} incidents with {} observables in {:.1}s (then ANALYZE)",
        a.incidents,
        a.incidents * a.observables_per_incident,
        t.elapsed().as_secs_f64()
    );
    // A TAXII collection holding the objects of enough incidents for pages of 1,000.
    let root = units.first().ok_or_else(|| anyhow!("no units"))?;
    let collection = store
        .create_collection(&actor, &CollectionInput { title: "Bench".into(), description: None, unit_id: root.id })
        .await
        .map_err(e)?;
    let page = store
        .incidents_for_export(&actor, &IncidentFilter { include_closed: true, limit: 50, ..Default::default() })
        .await
        .map_err(e)?;
    let input = khien_server::services::stix_io::export_input("Bench", &page);
    let bundle: serde_json::Value =
        serde_json::from_slice(&khien_formats::stix::export_bundle(&input).map_err(|e| anyhow!("{e}"))?)?;
    let objects = bundle.get("objects").and_then(|o| o.as_array()).cloned().unwrap_or_default();
    store.publish_to_collection(&actor, &collection.id, &objects).await.map_err(e)?;
    println!("published {} STIX objects to a TAXII collection", objects.len());

    // Where the time of a 1,000-incident export goes: reading vs. building the bundle.
    for _ in 0..3 {
        let t = Instant::now();
        let page = store
            .incidents_for_export(&actor, &IncidentFilter { include_closed: true, limit: 1000, ..Default::default() })
            .await
            .map_err(e)?;
        let read = t.elapsed();
        let input = khien_server::services::stix_io::export_input("Bench", &page);
        let bytes = khien_formats::stix::export_bundle(&input).map_err(|e| anyhow!("{e}"))?;
        println!(
            "stix export of {} incidents: read {:.0} ms, bundle {:.0} ms ({} KiB)",
            page.len(),
            read.as_secs_f64() * 1e3,
            (t.elapsed() - read).as_secs_f64() * 1e3,
            bytes.len() / 1024
        );
    }
    let busy = ip(7 * 13 % POOL);
    let taxii = format!("/taxii2/api/collections/{}/objects/?limit=1000", collection.id);
    let scenarios: Vec<(&str, String, &str, Option<&str>, usize)> = vec![
        ("incidents: queue first page", "/api/v1/incidents?limit=50".into(), admin, None, a.iterations),
        ("incidents: overdue clocks", "/api/v1/incidents?overdue=true&limit=50".into(), admin, None, a.iterations),
        (
            "incidents: folded search 'ma doc tong tien'",
            "/api/v1/incidents?q=ma%20doc%20tong%20tien&limit=50".into(),
            admin,
            None,
            a.iterations,
        ),
        (
            "incidents: category + serious filter",
            "/api/v1/incidents?category=ddos&include_closed=true&limit=50".into(),
            admin,
            None,
            a.iterations,
        ),
        ("incidents: scoped manager queue", "/api/v1/incidents?limit=50".into(), manager, None, a.iterations),
        ("web: incident queue page", "/incidents?overdue=true".into(), admin, None, a.iterations),
        (
            "incidents: sorted by next deadline",
            "/api/v1/incidents?sort=deadline&limit=50".into(),
            admin,
            None,
            a.iterations,
        ),
        ("observables: where else (IP)", format!("/api/v1/observables?value={busy}"), admin, None, a.iterations),
        (
            "stix: bundle of 1,000 incidents",
            "/api/v1/stix/bundle?include_closed=true&limit=1000".into(),
            admin,
            None,
            20,
        ),
        ("taxii: objects page of 1,000", taxii, admin, Some(khien_server::TAXII_MEDIA_TYPE), 50),
    ];
    for (name, uri, token, accept, iterations) in scenarios {
        measure(app, name, &uri, token, accept, iterations).await?;
    }
    Ok(())
}
