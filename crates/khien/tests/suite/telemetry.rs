//! SOC telemetry over HTTP (issue 18): a SOC provider's token posts the shared Suricata and
//! Wazuh files; each alert lands on the unit and system whose range holds its address; a line
//! that does not parse, or names a unit the token does not serve, is refused by number while
//! the rest is stored; a batch sent twice is stored once; 413 for an oversized line.

use crate::common::{actor, admin_actor, unit_id, TestDb, TestServer, DEMO_PASSWORD};
use crate::systems::ward_system;
use khien_domain::role::Role;
use reqwest::Method;
use serde_json::Value;

on_both_stores!(soc_telemetry_is_attributed_deduplicated_and_refused_by_line);

pub const SURICATA: &str = "../../../shared/data/telemetry/suricata/wazuh-engine_suricata_alert_input.txt";
pub const WAZUH: &str = "../../../shared/data/telemetry/wazuh/events-generator_wazuh-alerts-4.x_alerts.json";

pub fn shared(path: &str) -> Vec<u8> {
    std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// A token acting as SOC provider on `unit_code` and below, issued by the administrator.
pub async fn soc_token(db: &TestDb, unit_code: &str) -> String {
    let ward = unit_id(db, unit_code).await;
    let admin = admin_actor(db).await;
    db.store.create_token(&admin, "SOC Hải Đông", Role::SocProvider, ward, 30).await.unwrap().0
}

/// Registers a system of `unit_code` holding `ranges`.
pub async fn system_with_ranges(db: &TestDb, unit_code: &str, officer: &str, code: &str, ranges: &[&str]) -> i64 {
    let unit = unit_id(db, unit_code).await;
    let who = actor(db, officer).await;
    let input = khien_store::SystemInput {
        ip_ranges: ranges.iter().map(|r| r.to_string()).collect(),
        ..ward_system(unit, code)
    };
    db.store.create_system(&who, &input).await.unwrap().id
}

async fn post(s: &TestServer, token: &str, body: Vec<u8>, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut r = reqwest::Client::new().post(s.url("/api/v1/telemetry/events")).bearer_auth(token).body(body);
    for (k, v) in headers {
        r = r.header(*k, *v);
    }
    r.send().await.unwrap()
}

async fn soc_telemetry_is_attributed_deduplicated_and_refused_by_line(db: TestDb) {
    let s = TestServer::start_on(db).await;
    // The Suricata file's sensor sits in 192.168.1.0/24; the Wazuh agents at 187.54.247.68
    // (Hồng Bàng's) and 145.80.240.15 (Lê Chân's, which this SOC does not serve).
    let portal = system_with_ranges(&s.db, "P-HONG-BANG", "hongbang.canbo", "HB-SOC", &["192.168.1.0/24"]).await;
    let mail = system_with_ranges(&s.db, "P-HONG-BANG", "hongbang.canbo", "HB-MAIL", &["187.54.247.0/24"]).await;
    system_with_ranges(&s.db, "P-LE-CHAN", "lechan.canbo", "LC-SOC", &["145.80.240.0/24"]).await;
    let token = soc_token(&s.db, "P-HONG-BANG").await;

    let suricata = shared(SURICATA);
    let lines = suricata.split(|b| *b == b'\n').filter(|l| !l.is_empty()).count();
    let r = post(&s, &token, suricata.clone(), &[("idempotency-key", "suricata-1")]).await;
    assert_eq!(r.status(), 200);
    let out: Value = r.json().await.unwrap();
    assert_eq!((out["accepted"].as_u64(), out["rejected"].as_u64()), (Some(lines as u64), Some(0)), "{out}");
    assert_eq!(out["unattributed"], 2, "two of its events are between hosts outside the range: {out}");
    assert!(out["alerts"].as_u64().unwrap() < lines as u64, "events of one rule and host within an hour fold");
    // The same batch again (a retry): nothing stored twice.
    let again: Value = post(&s, &token, suricata, &[("idempotency-key", "suricata-1")]).await.json().await.unwrap();
    assert_eq!((again["duplicate"].as_bool(), again["batch_id"].clone()), (Some(true), out["batch_id"].clone()));

    // Wazuh, gzipped, with a broken line in the middle: Lê Chân's agent is refused by line.
    let mut wazuh = shared(WAZUH);
    wazuh.splice(0..0, b"{\"rule\": not json\n".iter().copied());
    let gz = {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(&wazuh).unwrap();
        e.finish().unwrap()
    };
    let r = post(&s, &token, gz, &[("content-encoding", "gzip")]).await;
    assert_eq!(r.status(), 200);
    let out: Value = r.json().await.unwrap();
    let errors = out["errors"].as_array().unwrap();
    assert_eq!(errors[0]["line"], 1, "{out}");
    assert!(errors[0]["reason"].as_str().unwrap().contains("JSON"), "{out}");
    let foreign = errors.iter().filter(|e| e["reason"].as_str().unwrap().contains("145.80.240.15")).count();
    assert_eq!(foreign, 165, "Lê Chân's agent's lines, each named");
    assert_eq!(out["rejected"].as_u64(), Some(166));
    assert!(out["accepted"].as_u64().unwrap() > 900 && out["unattributed"].as_u64().unwrap() > 0, "{out}");

    // The ward sees its alerts on the right systems; the neighbour ward sees none.
    let officer = s.login("hongbang.canbo", DEMO_PASSWORD).await;
    let page = officer.get_json("/api/v1/telemetry/alerts?limit=500").await;
    let items = page["items"].as_array().unwrap();
    assert!(items.iter().any(|a| a["system_id"] == portal && a["shape"] == "suricata" && a["rule"] == "2013028"));
    assert!(items.iter().any(|a| a["system_id"] == mail && a["shape"] == "wazuh"));
    assert!(items.iter().all(|a| a["unit_name"].as_str().is_some()));
    let curl = items.iter().find(|a| a["rule"] == "2013028").unwrap();
    assert!(curl["event_count"].as_i64().unwrap() >= 1 && curl["asset"] == "192.168.1.146", "{curl}");
    let neighbour = s.login("lechan.canbo", DEMO_PASSWORD).await;
    assert_eq!(neighbour.get_json("/api/v1/telemetry/alerts").await["items"], serde_json::json!([]));
    let r = neighbour.get(&format!("/api/v1/telemetry/alerts/{}", curl["id"])).await;
    assert_eq!(r.status(), 404);
    // The ward promotes the curl alert to an incident: its addresses and system carried over;
    // promoted again, the same incident. The neighbour cannot.
    let path = format!("/api/v1/telemetry/alerts/{}/incident", curl["id"]);
    let r = officer.send(Method::POST, &path, Some(serde_json::json!({}))).await;
    assert_eq!(r.status(), 200);
    let incident = r.json::<Value>().await.unwrap()["incident_id"].as_i64().unwrap();
    let again: Value = officer.send(Method::POST, &path, Some(serde_json::json!({}))).await.json().await.unwrap();
    assert_eq!(again["incident_id"], incident);
    let detail = officer.get_json(&format!("/api/v1/incidents/{incident}")).await.to_string();
    assert!(detail.contains("192.168.1.146") && detail.contains("ET POLICY curl"), "{detail}");
    assert_eq!(neighbour.send(Method::POST, &path, Some(serde_json::json!({}))).await.status(), 404);
    let listed = officer.get_json(&format!("/api/v1/telemetry/alerts/{}", curl["id"])).await;
    assert_eq!(listed["incident_id"], incident);
    // The authority's queue of what no range holds; a ward has none to see.
    let pa05 = s.login("pa05.truong", DEMO_PASSWORD).await;
    let queue = pa05.get_json("/api/v1/telemetry/alerts?unattributed=true&limit=500").await;
    assert!(!queue["items"].as_array().unwrap().is_empty());
    assert!(queue["items"].as_array().unwrap().iter().all(|a| a["unit_id"].is_null()));
    assert_eq!(officer.get_json("/api/v1/telemetry/alerts?unattributed=true").await["items"], serde_json::json!([]));
    // Filters: severity at least high, words of the title.
    let high = officer.get_json("/api/v1/telemetry/alerts?min_severity=3&limit=500").await;
    assert!(high["items"].as_array().unwrap().iter().all(|a| a["severity"].as_i64().unwrap() >= 3));
    let curl_only = officer.get_json("/api/v1/telemetry/alerts?q=curl").await;
    assert!(curl_only["items"].as_array().unwrap().iter().all(|a| a["title"].as_str().unwrap().contains("curl")));
    assert_eq!(officer.get("/api/v1/telemetry/alerts?min_severity=9").await.status(), 422);
    // Per-day counts (by the events' own days) and the source's health.
    let days = pa05.get_json("/api/v1/telemetry/days?days=366").await;
    assert!(days.as_array().is_some());
    let sources = pa05.get_json("/api/v1/telemetry/sources").await;
    let soc = sources.as_array().unwrap().iter().find(|x| x["name"] == "SOC Hải Đông").unwrap();
    assert_eq!(soc["batches_24h"], 2);
    assert_eq!(soc["rejected_24h"], 166);
    // The page: the queue, the chart and the health table, in Vietnamese.
    let html = officer.get("/telemetry").await.text().await.unwrap();
    assert!(html.contains("Cảnh báo giám sát (SOC)") && html.contains("ET POLICY curl User-Agent Outbound"), "{html}");
    assert!(html.contains("HB-SOC") && html.contains("<svg"));

    // Refused whole: a line over 256 KiB (413), a body that says gzip and is not (422), and a
    // caller whose role sends no telemetry (403).
    let long = format!("{{}}\n{{\"x\":\"{}\"}}\n", "a".repeat(300 * 1024));
    let r = post(&s, &token, long.into_bytes(), &[]).await;
    assert_eq!(r.status(), 413);
    assert!(r.text().await.unwrap().contains("2"));
    assert_eq!(post(&s, &token, b"plain".to_vec(), &[("content-encoding", "gzip")]).await.status(), 422);
    let r = officer
        .client
        .post(officer.url("/api/v1/telemetry/events"))
        .header("x-csrf-token", &officer.csrf)
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}
