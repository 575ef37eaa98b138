//! The response network's roster (issue 17.7; QĐ 05/2017, TT 20/2017 Đ5): a unit's manager
//! applies with a 24/7 contact point and an OpenPGP key, the authority approves, rejects or
//! removes; members are listed to all, applications to their own units; incident tasks follow
//! the roster.

use crate::common::{actor, admin_actor, unit_id, TestDb, TestServer, DEMO_PASSWORD};
use khien_domain::network::{MemberDecision, MemberEntry};
use khien_domain::time::rfc3339;
use khien_store::{IncidentInput, TaskInput};
use reqwest::Method;
use serde_json::{json, Value};

on_both_stores!(qd_05_2017_a_unit_applies_the_authority_decides_and_tasks_follow_the_roster);

/// Makes a unit an approved member (the administrator applies for it and approves).
pub(crate) async fn make_member(db: &TestDb, unit: i64) {
    let admin = admin_actor(db).await;
    let entry = MemberEntry {
        contact_name: "Trực ban".into(),
        contact_phone: "0225 3 811 811".into(),
        contact_email: "trucban@haidong.gov.vn".into(),
        ..Default::default()
    };
    db.store.apply_to_network(&admin, unit, &entry).await.unwrap();
    db.store.decide_network_member(&admin, unit, MemberDecision::Approve, "").await.unwrap();
}

const KEY: &str = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBGVkaGFpZG9uZw==\n-----END PGP PUBLIC KEY BLOCK-----";

async fn qd_05_2017_a_unit_applies_the_authority_decides_and_tasks_follow_the_roster(db: TestDb) {
    let s = TestServer::start_on(db).await;
    let hb = unit_id(&s.db, "P-HONG-BANG").await;
    let head = s.login("hongbang.quanly", DEMO_PASSWORD).await;
    let path = format!("/api/v1/network/{hb}");
    let good = json!({"contact_name": "Nguyễn Văn Trực", "contact_phone": "+84 225 3 822 822",
        "contact_email": "ungcuu@hongbang.haidong.gov.vn", "public_key": KEY, "capabilities": "Cô lập máy trạm"});
    // Bad entries name their field; the unit's officer may not apply for it.
    for (field, value) in
        [("contact_phone", "gọi trực ban"), ("contact_email", "trucban"), ("public_key", "ssh-rsa AAAA")]
    {
        let mut body = good.clone();
        body[field] = json!(value);
        let r = head.send(Method::PUT, &path, Some(body)).await;
        assert_eq!(r.status(), 422, "{field}");
        assert!(r.text().await.unwrap().contains(field), "{field}");
    }
    let officer = s.login("hongbang.canbo", DEMO_PASSWORD).await;
    let r = officer.send(Method::PUT, &path, Some(good.clone())).await;
    assert!(r.status() == 403 || r.status() == 404, "{}", r.status());
    let r = head.send(Method::PUT, &path, Some(good.clone())).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["state"], "applied");
    // The authority is told; another unit does not see the application.
    let pa05 = s.login("pa05.truong", DEMO_PASSWORD).await;
    assert!(pa05.get_json("/api/v1/notifications").await.to_string().contains("mạng lưới"));
    let dept = s.login("sokhcn.quanly", DEMO_PASSWORD).await;
    assert!(!dept.get_json("/api/v1/network").await.to_string().contains("Hồng Bàng"));
    // Tasks follow the roster: not yet a member.
    let pa05_actor = actor(&s.db, "pa05.truong").await;
    let le_chan = unit_id(&s.db, "P-LE-CHAN").await;
    let input = IncidentInput {
        unit_id: le_chan,
        title: "Tấn công từ chối dịch vụ cổng thông tin".into(),
        category: "ddos".into(),
        detected_at: rfc3339(s.db.store.clock().now_ms() - 3_600_000),
        ..Default::default()
    };
    let inc = s.db.store.create_incident(&pa05_actor, &input).await.unwrap();
    let task = TaskInput { unit_id: hb, title: "Hỗ trợ chặn dải IP".into(), ..Default::default() };
    assert!(s.db.store.add_incident_task(&pa05_actor, inc.id, &task).await.is_err(), "an applicant takes no task");
    // A rejection says why; approval makes a member that everyone sees and that takes tasks.
    let decision = format!("/api/v1/network/{hb}/decision");
    let r = pa05.send(Method::POST, &decision, Some(json!({"decision": "reject"}))).await;
    assert_eq!(r.status(), 422);
    let r = head.send(Method::POST, &decision, Some(json!({"decision": "approve"}))).await;
    assert!(r.status() == 403 || r.status() == 404, "a unit approves itself: {}", r.status());
    let r = pa05.send(Method::POST, &decision, Some(json!({"decision": "approve"}))).await;
    assert_eq!(r.status(), 200);
    let r = pa05.send(Method::POST, &decision, Some(json!({"decision": "approve"}))).await;
    assert_eq!(r.status(), 409, "approved twice");
    let roster = dept.get_json("/api/v1/network").await.to_string();
    assert!(roster.contains("Nguyễn Văn Trực") && roster.contains("BEGIN PGP PUBLIC KEY BLOCK"), "{roster}");
    s.db.store.add_incident_task(&pa05_actor, inc.id, &task).await.unwrap();
    // The member updates its contacts and stays a member; removed, it takes no new task.
    let mut update = good.clone();
    update["contact_phone"] = json!("0225 3 833 833");
    let r = head.send(Method::PUT, &path, Some(update)).await;
    assert_eq!(r.json::<Value>().await.unwrap()["state"], "approved");
    let r = pa05.send(Method::POST, &decision, Some(json!({"decision": "remove", "reason": "Sáp nhập đơn vị"}))).await;
    assert_eq!(r.status(), 200);
    assert!(s.db.store.add_incident_task(&pa05_actor, inc.id, &task).await.is_err(), "a removed unit takes no task");
    // The roster exports for the national coordinator; the page lists the members.
    let xlsx = pa05.get("/api/v1/network/export").await;
    assert_eq!(xlsx.status(), 200);
    let text = crate::authz::xlsx_text(&xlsx.bytes().await.unwrap());
    assert!(text.contains("Trung tâm Giám sát an toàn không gian mạng Hải Đông"), "{text}");
    // The members' specialist staff with their certificates: the roster's people.
    let soc = unit_id(&s.db, "SOC-HD").await;
    let admin = admin_actor(&s.db).await;
    let person = khien_store::StaffInput {
        unit_id: soc,
        full_name: "Trần Thị Phân Tích".into(),
        role: "full_time".into(),
        since: "2025-01-01".into(),
        qualifications: "Phân tích mã độc, điều tra số".into(),
        active: true,
        ..Default::default()
    };
    let id = s.db.store.record_security_staff(&admin, &person).await.unwrap().id;
    let cert = khien_store::StaffCertificateInput {
        name: "GCFA".into(),
        issuer: "GIAC".into(),
        issued_on: "2025-03-01".into(),
        expires_on: "2029-03-01".into(),
    };
    s.db.store.add_staff_certificate(&admin, id, &cert).await.unwrap();
    let text = crate::authz::xlsx_text(&pa05.get("/api/v1/network/export").await.bytes().await.unwrap());
    assert!(text.contains("Trần Thị Phân Tích") && text.contains("GCFA"), "{text}");
    let page = pa05.get("/network").await.text().await.unwrap();
    assert!(page.contains("id=\"network-staff\"") && page.contains("01/03/2029"), "the page lists the members' staff");
    let page = pa05.get("/network").await.text().await.unwrap();
    assert!(page.contains("id=\"network-roster\"") && page.contains("Phường Hồng Bàng"), "the page");
    // A refused form keeps what was typed.
    let hb_s = hb.to_string();
    let r = head
        .form(
            "/network",
            &[("unit", &hb_s), ("contact_name", "Lê Thị Trực"), ("contact_phone", "x"), ("contact_email", "a@b.vn")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Lê Thị Trực"));
}
