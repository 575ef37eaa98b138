//! Telemetry and the registry (issue 18.2, 18.6): a system whose SOC feed falls silent for three
//! days loses layer 2 "ok" on its page and in the overview's counts; alerts and botnet addresses
//! that no range held are attributed, and the case notified, once the authority registers the
//! range; an alert whose address is on the watch list is marked, filtered and found by "where
//! else"; raw events are purged past their level's retention, which the standing body may
//! lengthen but not shorten below TCVN 14423:2026's figure.

use crate::common::{actor, unit_id, TestDb, TestServer, DEMO_PASSWORD};
use crate::systems::ward_system;
use crate::telemetry::soc_token;
use chrono::TimeDelta;
use khien_domain::FixedTime;
use serde_json::{json, Value};

on_both_stores!(
    fixed_clock: a_system_whose_telemetry_falls_silent_for_three_days_loses_layer_two,
    tcvn_14423_2026_raw_events_are_purged_past_the_retention_the_authority_sets
);
on_both_stores!(unattributed_telemetry_finds_its_unit_when_the_range_is_registered_and_watch_hits_are_marked);

async fn post_events(s: &TestServer, token: &str, lines: String) -> Value {
    let r = reqwest::Client::new()
        .post(s.url("/api/v1/telemetry/events"))
        .bearer_auth(token)
        .body(lines)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

fn alert(src: &str, dst: &str, rule: &str) -> String {
    format!("{{\"khien\":\"alert\",\"src_ip\":\"{src}\",\"dst_ip\":\"{dst}\",\"rule\":\"{rule}\",\"title\":\"{rule} seen\",\"severity\":3}}\n")
}

async fn a_system_whose_telemetry_falls_silent_for_three_days_loses_layer_two(db: TestDb, time: FixedTime) {
    let s = TestServer::start_on(db).await;
    let ward = unit_id(&s.db, "P-HONG-BANG").await;
    let officer = actor(&s.db, "hongbang.canbo").await;
    let input = khien_store::SystemInput {
        ip_ranges: vec!["10.61.0.0/24".into()],
        onsite_team: Some("Tổ CNTT phường".into()),
        monitoring_unit: Some("SOC Hải Đông".into()),
        connected_since: Some("2026-01-05".into()),
        ..ward_system(ward, "HB-MON")
    };
    let system = s.db.store.create_system(&officer, &input).await.unwrap().id;
    let layer2 = |d: &khien_store::SystemDetail| d.layers[1].state;
    use khien_domain::system::layers::LayerState;
    let monitored = |rows: Vec<khien_store::OverviewRow>| {
        rows.iter().find(|r| r.unit_id == ward).map(|r| r.monitored_connected).unwrap_or(0)
    };
    // Never sent: its contract decides.
    let d = s.db.store.get_system(&officer, system).await.unwrap();
    assert_eq!((layer2(&d), d.telemetry_last_day.clone()), (LayerState::Ok, None));
    let counted_before = monitored(s.db.store.overview(&officer).await.unwrap());

    let token = soc_token(&s.db, "P-HONG-BANG").await;
    let out = post_events(&s, &token, alert("10.61.0.5", "203.0.113.9", "ET SCAN")).await;
    assert_eq!(out["accepted"], 1, "{out}");
    let d = s.db.store.get_system(&officer, system).await.unwrap();
    assert_eq!((layer2(&d), d.telemetry_last_day.as_deref()), (LayerState::Ok, Some("2026-11-02")));
    // The live rate: this minute's event is the ward's, not its neighbour's.
    let web = s.login("hongbang.canbo", DEMO_PASSWORD).await;
    let rate = web.get_json("/api/v1/telemetry/rate?minutes=5").await;
    let rate = rate.as_array().unwrap();
    assert_eq!((rate.len(), rate[4]["events"].as_i64()), (5, Some(1)), "{rate:?}");
    assert_eq!(rate[4]["minute"].as_i64().unwrap() % 60_000, 0);
    let neighbour = s.login("lechan.canbo", DEMO_PASSWORD).await;
    let theirs = neighbour.get_json("/api/v1/telemetry/rate?minutes=5").await;
    assert!(theirs.as_array().unwrap().iter().all(|p| p["events"] == 0), "{theirs}");
    assert_eq!(web.get("/api/v1/telemetry/rate?minutes=0").await.status(), 422);
    let page = web.get("/telemetry").await.text().await.unwrap();
    assert!(page.contains("id=\"live-rate\" data-refresh=\"/telemetry/live\""), "the page refreshes it");
    let section = web.get("/telemetry/live?unit=P-HONG-BANG").await.text().await.unwrap();
    assert!(section.starts_with("<section") && section.contains("<svg") && !section.contains("<html"), "{section}");
    assert!(section.contains("id=\"live-last-minute\">1<"), "{section}");
    assert_eq!(monitored(s.db.store.overview(&officer).await.unwrap()), counted_before);

    // Two days on it still counts; on the third silent day it does not.
    time.advance(TimeDelta::days(2));
    assert_eq!(layer2(&s.db.store.get_system(&officer, system).await.unwrap()), LayerState::Ok);
    time.advance(TimeDelta::days(1));
    let d = s.db.store.get_system(&officer, system).await.unwrap();
    assert_eq!(layer2(&d), LayerState::Expired);
    assert!(d.layers[1].reason.vi.contains("02/11/2026"), "{:?}", d.layers[1].reason);
    assert_eq!(monitored(s.db.store.overview(&officer).await.unwrap()), counted_before - 1);
    let web = s.login("hongbang.canbo", DEMO_PASSWORD).await;
    let page = web.get(&format!("/systems/{system}")).await.text().await.unwrap();
    assert!(page.contains("Không nhận được dữ liệu giám sát của SOC Hải Đông"), "the page says why");

    // The feed resumes: layer 2 is ok again.
    post_events(&s, &token, alert("10.61.0.5", "203.0.113.9", "ET SCAN")).await;
    assert_eq!(layer2(&s.db.store.get_system(&officer, system).await.unwrap()), LayerState::Ok);
}

async fn unattributed_telemetry_finds_its_unit_when_the_range_is_registered_and_watch_hits_are_marked(db: TestDb) {
    let s = TestServer::start_on(db).await;
    let ward = unit_id(&s.db, "P-HONG-BANG").await;
    let officer = actor(&s.db, "hongbang.canbo").await;
    let authority = actor(&s.db, "pa05.truong").await;
    let system =
        s.db.store
            .create_system(&officer, &khien_store::SystemInput { ip_ranges: vec![], ..ward_system(ward, "HB-NEW") })
            .await
            .unwrap();
    let token = soc_token(&s.db, "P-HONG-BANG").await;
    let out = post_events(&s, &token, alert("10.62.7.20", "198.51.100.4", "ET TROJAN beacon")).await;
    assert_eq!((out["accepted"].as_u64(), out["unattributed"].as_u64()), (Some(1), Some(1)), "{out}");
    // The national centre's list names an address of the same network: a case of no unit.
    let detection = khien_store::Detection {
        ip: "10.62.7.66".parse().unwrap(),
        family: "mirai".into(),
        first_seen: None,
        last_seen: None,
    };
    let summary = s.db.store.record_botnet_detections(&authority, "NCSC", &[detection]).await.unwrap();
    assert_eq!(summary.unattributed, 1);
    let web_pa05 = s.login("pa05.truong", DEMO_PASSWORD).await;
    let queue = web_pa05.get_json("/api/v1/telemetry/alerts?unattributed=true&limit=500").await;
    let orphan = queue["items"].as_array().unwrap().iter().find(|a| a["rule"] == "ET TROJAN beacon").unwrap().clone();
    let ward_web = s.login("hongbang.canbo", DEMO_PASSWORD).await;
    let seen = ward_web.get_json("/api/v1/telemetry/alerts?limit=500").await;
    assert!(!seen.to_string().contains("ET TROJAN beacon"), "not the ward's yet");

    // The ward registers the range: the alert and the case are its own now, and it is told.
    let input = khien_store::SystemInput { ip_ranges: vec!["10.62.7.0/24".into()], ..ward_system(ward, "HB-NEW") };
    s.db.store.update_system(&officer, system.id, &input).await.unwrap();
    let alert = ward_web.get_json(&format!("/api/v1/telemetry/alerts/{}", orphan["id"])).await;
    assert_eq!((alert["unit_id"].as_i64(), alert["system_id"].as_i64()), (Some(ward), Some(system.id)), "{alert}");
    let cases = ward_web.get_json("/api/v1/botnet/cases").await;
    let case = cases.as_array().unwrap().iter().find(|c| c["ip"] == "10.62.7.66").unwrap().clone();
    assert_eq!((case["state"].as_str(), case["system_id"].as_i64()), (Some("notified"), Some(system.id)), "{case}");
    // The ward's head is told (the officer who registered the range made the change).
    let head = s.login("hongbang.quanly", DEMO_PASSWORD).await;
    let told = head.get_json("/api/v1/notifications").await.to_string();
    assert!(told.contains("10.62.7.66"), "the ward is told of the botnet address: {told}");
    let queue = web_pa05.get_json("/api/v1/telemetry/alerts?unattributed=true&limit=500").await;
    assert!(!queue.to_string().contains("ET TROJAN beacon"), "gone from the authority's queue");

    // The destination goes on the watch list: the alert is marked, filtered and found.
    let watch = khien_store::WatchInput {
        stix_id: "indicator--6b1c1e8e-1f53-4d1e-9a31-2f5d1c0e7a10".into(),
        kind: khien_domain::incident::observable::ObservableKind::Ipv4,
        value: "198.51.100.4".into(),
        name: Some("C2 server".into()),
        valid_from: None,
        valid_until: None,
        tlp: None,
        labels: vec![],
        source: Some("NCSC".into()),
    };
    s.db.store.import_watchlist(&authority, &[watch]).await.unwrap();
    let hits = ward_web.get_json("/api/v1/telemetry/alerts?watched=true&limit=500").await;
    let hits = hits["items"].as_array().unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!((hits[0]["id"].clone(), hits[0]["watched"].clone()), (orphan["id"].clone(), json!(true)));
    let all = ward_web.get_json("/api/v1/telemetry/alerts?limit=500").await;
    assert!(all["items"].as_array().unwrap().iter().filter(|a| a["watched"] == true).count() == 1);
    let sightings = ward_web.get_json("/api/v1/observables?value=198.51.100.4").await;
    assert_eq!(sightings["telemetry"][0]["id"], orphan["id"], "{sightings}");
    let page = ward_web.get("/observables?value=198.51.100.4").await.text().await.unwrap();
    assert!(page.contains("id=\"telemetry-hits\"") && page.contains("ET TROJAN beacon seen"));
    let queue_page = ward_web.get("/telemetry?watched=true").await.text().await.unwrap();
    assert!(queue_page.contains("watch-hit") && queue_page.contains("ET TROJAN beacon seen"));
    // Another ward sees neither the alert nor the sighting.
    let neighbour = s.login("lechan.canbo", DEMO_PASSWORD).await;
    assert_eq!(neighbour.get_json("/api/v1/observables?value=198.51.100.4").await["telemetry"], json!([]));
}

async fn tcvn_14423_2026_raw_events_are_purged_past_the_retention_the_authority_sets(db: TestDb, time: FixedTime) {
    let s = TestServer::start_on(db).await;
    let token = soc_token(&s.db, "P-HONG-BANG").await;
    // Of no known system: the retention of level 0 (no approved level).
    post_events(&s, &token, alert("10.64.0.1", "203.0.113.50", "ET POLICY")).await;
    let ward = s.login("hongbang.quanly", DEMO_PASSWORD).await;
    let body = s.login("pa05.truong", DEMO_PASSWORD).await;
    let rules = body.get_json("/api/v1/telemetry/retention").await;
    assert_eq!(rules[3]["days"], 90, "level 3 keeps 3 months by default: {rules}");
    // Shorter than the standard asks: refused, naming the field and the floor.
    let r =
        body.send(reqwest::Method::PUT, "/api/v1/telemetry/retention", Some(json!([{"level": 3, "days": 30}]))).await;
    assert_eq!(r.status(), 422);
    let problem: Value = r.json().await.unwrap();
    assert!(problem.to_string().contains("days") && problem.to_string().contains("90"), "{problem}");
    let r =
        ward.send(reqwest::Method::PUT, "/api/v1/telemetry/retention", Some(json!([{"level": 0, "days": 40}]))).await;
    assert!(matches!(r.status().as_u16(), 403 | 404), "a ward does not set the city's retention");
    let r =
        body.send(reqwest::Method::PUT, "/api/v1/telemetry/retention", Some(json!([{"level": 0, "days": 40}]))).await;
    assert_eq!(r.status(), 200);
    let rules: Value = r.json().await.unwrap();
    assert_eq!((rules[0]["days"].as_i64(), rules[0]["default_days"].as_i64()), (Some(40), Some(90)));

    let alerts = |v: Value| v["items"].as_array().unwrap().len();
    let before = alerts(body.get_json("/api/v1/telemetry/alerts?unattributed=true&limit=500").await);
    time.advance(TimeDelta::days(39));
    assert_eq!(s.db.store.maintenance().purge_telemetry().await.unwrap(), 0, "still within 40 days");
    time.advance(TimeDelta::days(2));
    assert!(s.db.store.maintenance().purge_telemetry().await.unwrap() >= 1, "past 40 days: purged");
    assert_eq!(s.db.store.maintenance().purge_telemetry().await.unwrap(), 0, "nothing left to purge");
    // Forty days on, the sessions have lapsed.
    let (ward, body) = (s.login("hongbang.quanly", DEMO_PASSWORD).await, s.login("pa05.truong", DEMO_PASSWORD).await);
    let after = alerts(body.get_json("/api/v1/telemetry/alerts?unattributed=true&limit=500").await);
    assert_eq!(after, before, "alerts stay when their raw events go");

    // The page: the standing body edits it (with a confirmation), a ward reads it.
    let html = body.get("/telemetry").await.text().await.unwrap();
    assert!(html.contains("id=\"retention-form\"") && html.contains("name=\"d_0\" value=\"40\""), "{html}");
    let r = body.form("/telemetry/retention", &[("d_0", "40"), ("d_5", "730")]).await;
    assert!(r.status().is_success() || r.status().is_redirection(), "{}", r.status());
    assert_eq!(body.get_json("/api/v1/telemetry/retention").await[5]["days"], 730);
    let html = ward.get("/telemetry").await.text().await.unwrap();
    assert!(html.contains("id=\"retention\"") && !html.contains("id=\"retention-form\""), "read-only for a ward");
}
