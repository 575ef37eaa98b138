//! Botnet IPs and endpoint protection (issue 18.4, 18.5): Khiên's own `endpoint` and `botnet`
//! events from a SOC token build the ward's host list and open a case its people are told of;
//! the ward reports it cleaned with evidence, the authority verifies it (HCM 3131 indicator 4
//! counts it handled in time); the national centre's list names the address again and the case
//! reopens.

use crate::common::{TestDb, TestServer, DEMO_PASSWORD};
use crate::telemetry::{soc_token, system_with_ranges};
use reqwest::Method;
use serde_json::{json, Value};

on_both_stores!(a_botnet_ip_is_notified_cleaned_verified_and_reopens_and_hosts_are_counted);

async fn a_botnet_ip_is_notified_cleaned_verified_and_reopens_and_hosts_are_counted(db: TestDb) {
    let s = TestServer::start_on(db).await;
    let system = system_with_ranges(&s.db, "P-HONG-BANG", "hongbang.canbo", "HB-BOT", &["192.168.10.0/24"]).await;
    let token = soc_token(&s.db, "P-HONG-BANG").await;
    let today = s.db.store.clock().today_vn();
    let old = today - chrono::Days::new(30);
    let lines = format!(
        "{{\"khien\":\"endpoint\",\"host\":\"HB-PC-01\",\"ip\":\"192.168.10.11\",\"product\":\"BKAV Endpoint\",\"signature_date\":\"{today}\",\"ncsc\":true}}\n\
         {{\"khien\":\"endpoint\",\"host\":\"HB-PC-02\",\"ip\":\"192.168.10.12\",\"product\":\"BKAV Endpoint\",\"signature_date\":\"{today}\",\"ncsc\":false}}\n\
         {{\"khien\":\"endpoint\",\"host\":\"HB-SRV-01\",\"ip\":\"192.168.10.13\",\"product\":\"Kaspersky\",\"signature_date\":\"{old}\",\"ncsc\":true}}\n\
         {{\"khien\":\"botnet\",\"ip\":\"192.168.10.66\",\"family\":\"mirai\",\"feed\":\"SOC Hải Đông\"}}\n\
         {{\"khien\":\"botnet\",\"ip\":\"192.168.10.67\"}}\n"
    );
    let officer = s.login("hongbang.canbo", DEMO_PASSWORD).await;
    let counted = |v: &Value| {
        let w =
            v.as_array().unwrap().iter().find(|c| c["unit_name"].as_str().unwrap_or("").contains("Hồng Bàng")).cloned();
        let n = |k: &str| w.as_ref().and_then(|w| w[k].as_i64()).unwrap_or(0);
        (n("endpoints"), n("protected"), n("stale_signatures"))
    };
    let before = counted(&officer.get_json("/api/v1/endpoints/coverage").await);
    let r = reqwest::Client::new()
        .post(s.url("/api/v1/telemetry/events"))
        .bearer_auth(&token)
        .body(lines)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let out: Value = r.json().await.unwrap();
    assert_eq!((out["accepted"].as_u64(), out["rejected"].as_u64()), (Some(4), Some(1)), "{out}");
    assert!(out["errors"][0]["reason"].as_str().unwrap().contains("family"), "{out}");

    // The ward's hosts: two of three protected and sharing with NCSC, one with old signatures.
    let after = counted(&officer.get_json("/api/v1/endpoints/coverage").await);
    assert_eq!((after.0 - before.0, after.1 - before.1, after.2 - before.2), (3, 2, 1));
    let hosts = officer.get_json("/api/v1/endpoints").await;
    let hosts = hosts.as_array().unwrap();
    let pc2 = hosts.iter().position(|h| h["host"] == "HB-PC-02").unwrap();
    assert_eq!((hosts[pc2]["protected"].as_bool(), hosts[pc2]["system_id"].as_i64()), (Some(false), Some(system)));
    assert!(hosts[..pc2].iter().all(|h| h["protected"] == false), "the unprotected first");
    let page = officer.get("/endpoints").await.text().await.unwrap();
    assert!(page.contains("HB-SRV-01") && page.contains("Mẫu nhận diện cũ"), "{page}");

    // The case, told to the ward.
    let cases = officer.get_json("/api/v1/botnet/cases").await;
    let case = cases.as_array().unwrap().iter().find(|c| c["ip"] == "192.168.10.66").unwrap().clone();
    assert_eq!(
        (case["state"].as_str(), case["family"].as_str(), case["feed"].as_str()),
        (Some("notified"), Some("mirai"), Some("SOC Hải Đông"))
    );
    let id = case["id"].as_i64().unwrap();
    let told = officer.get_json("/api/v1/notifications").await;
    assert!(told.to_string().contains("192.168.10.66"), "{told}");
    // Cleaning needs its evidence; the form keeps what was typed.
    let r = officer.form(&format!("/botnet/{id}/move"), &[("move", "clean"), ("note", "  ")]).await;
    assert_eq!(r.status(), 422);
    let r = officer
        .form(
            &format!("/botnet/{id}/move"),
            &[("move", "clean"), ("note", "Đã cài lại hệ điều hành, quét sạch bằng BKAV; biên bản số 12")],
        )
        .await;
    assert_eq!(r.status(), 303);
    // The page's buttons come from the store's own check: the ward has no move left, the
    // authority may verify or send back.
    assert_eq!(officer.get_json(&format!("/api/v1/botnet/cases/{id}")).await["moves"], json!([]));
    // The ward cannot verify its own cleaning; the authority can.
    let r = officer
        .send(Method::POST, &format!("/api/v1/botnet/cases/{id}/moves"), Some(json!({"move": "verify", "note": "ok"})))
        .await;
    assert_eq!(r.status(), 403);
    let pa05 = s.login("pa05.truong", DEMO_PASSWORD).await;
    assert_eq!(pa05.get_json(&format!("/api/v1/botnet/cases/{id}")).await["moves"], json!(["verify", "reject"]));
    let r = pa05
        .send(
            Method::POST,
            &format!("/api/v1/botnet/cases/{id}/moves"),
            Some(json!({"move": "verify", "note": "Đã kiểm tra lại, không còn kết nối C2"})),
        )
        .await;
    assert_eq!(r.status(), 200);
    let verified: Value = r.json().await.unwrap();
    assert_eq!((verified["state"].as_str(), verified["handled_in_time"].as_bool()), (Some("verified"), Some(true)));
    let r = pa05
        .send(
            Method::POST,
            &format!("/api/v1/botnet/cases/{id}/moves"),
            Some(json!({"move": "verify", "note": "again"})),
        )
        .await;
    assert_eq!(r.status(), 409, "nothing to verify twice");

    // The national centre's list names it again (and an address of no unit): it reopens.
    let csv =
        "ip,malware,first_seen\n192.168.10.66,mirai,2026-12-06 10:00:00\n203.0.113.50,emotet,2026-12-06 11:00:00\n";
    let r = pa05
        .client
        .post(pa05.url("/api/v1/botnet/import"))
        .query(&[("file_name", "ncsc.csv"), ("feed", "NCSC 12/2026")])
        .header("x-csrf-token", &pa05.csrf)
        .body(csv)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let summary: Value = r.json().await.unwrap();
    assert_eq!(
        (summary["reopened"].as_u64(), summary["unattributed"].as_u64(), summary["opened"].as_u64()),
        (Some(1), Some(1), Some(1)),
        "{summary}"
    );
    let again = officer.get_json(&format!("/api/v1/botnet/cases/{id}")).await;
    assert_eq!(
        (again["state"].as_str(), again["reopened"].as_i64(), again["feed"].as_str()),
        (Some("notified"), Some(1), Some("NCSC 12/2026"))
    );
    let outside = pa05.get_json("/api/v1/botnet/cases?unattributed=true").await;
    assert_eq!(outside[0]["ip"], "203.0.113.50");
    // A bad list is refused whole, naming its row; a ward may not import one.
    let r = pa05
        .client
        .post(pa05.url("/api/v1/botnet/import"))
        .query(&[("file_name", "ncsc.csv"), ("feed", "NCSC")])
        .header("x-csrf-token", &pa05.csrf)
        .body("ip,malware\n10.0.0.1,x\nnot-an-ip,y\n")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("not-an-ip"));
    let r = officer
        .client
        .post(officer.url("/api/v1/botnet/import"))
        .query(&[("file_name", "ncsc.csv"), ("feed", "NCSC")])
        .header("x-csrf-token", &officer.csrf)
        .body(csv)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // The neighbour ward sees none of it.
    let neighbour = s.login("lechan.canbo", DEMO_PASSWORD).await;
    assert_eq!(neighbour.get_json("/api/v1/botnet/cases").await, json!([]));
    assert_eq!(neighbour.get(&format!("/api/v1/botnet/cases/{id}")).await.status(), 404);
    assert_eq!(neighbour.get_json("/api/v1/endpoints").await, json!([]));
    let page = officer.get("/botnet").await.text().await.unwrap();
    assert!(page.contains("192.168.10.66") && page.contains("Đã thông báo đơn vị"), "{page}");
}
