//! Forms that never lose input (issue 14.4): a refused save shows the same form again, filled
//! with what was typed, the message beside the field; a refusal the form cannot fix stays an
//! error page with the menu.

use crate::common::{unit_id, TestServer, DEMO_PASSWORD};

#[tokio::test]
async fn a_refused_system_form_keeps_what_was_typed_and_says_why_beside_the_field() {
    let server = TestServer::start().await;
    let ward = unit_id(&server.db, "P-HONG-BANG").await.to_string();
    let officer = server.login("hongbang.canbo", DEMO_PASSWORD).await;
    let typed = [
        ("code", "HB-KEPT"),
        ("name", "Phần mềm quản lý hộ tịch – Phường Hồng Bàng"),
        ("owner_unit_id", ward.as_str()),
        ("system_type", "internal"),
        ("vendor", "Công ty Phần mềm Hải Phòng"),
        ("building_started_on", "31/02/2026"),
        ("admin_procedures", "on"),
        ("tags", "hộ tịch\nmột cửa"),
    ];
    let r = officer.form("/systems", &typed).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    for kept in [
        "value=\"HB-KEPT\"",
        "Phần mềm quản lý hộ tịch – Phường Hồng Bàng",
        "Công ty Phần mềm Hải Phòng",
        "value=\"31/02/2026\"",
        "hộ tịch\nmột cửa",
    ] {
        assert!(html.contains(kept), "the form lost {kept:?}");
    }
    assert!(html.contains("name=\"admin_procedures\" checked"), "the ticked box stays ticked");
    // The message sits in the label of the field it is about.
    let label = html.split("<label>").find(|l| l.contains("name=\"building_started_on\"")).unwrap();
    assert!(label.contains("class=\"field-error\""), "no message beside the date: {label}");
    assert!(html.contains("id=\"form-error\"") && html.contains("nav"), "the summary and the menu");
    // Fixed, it saves and goes to the system.
    let mut fixed = typed.to_vec();
    fixed.retain(|(k, _)| *k != "building_started_on");
    let r = officer.form("/systems", &fixed).await;
    assert_eq!(r.status(), 303);
    assert!(r.headers()["location"].to_str().unwrap().starts_with("/systems/"));
    // A clash (the code is taken) keeps the form too.
    let r = officer.form("/systems", &fixed).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Công ty Phần mềm Hải Phòng"));
}

#[tokio::test]
async fn a_refused_incident_report_keeps_its_fields_and_names_systems_by_code() {
    let server = TestServer::start().await;
    let ward = unit_id(&server.db, "P-HONG-BANG").await.to_string();
    let officer = server.login("hongbang.canbo", DEMO_PASSWORD).await;
    let admin = crate::common::admin_actor(&server.db).await;
    let input = khien_store::SystemInput {
        code: "HB-MAIL".into(),
        name: "Thư điện tử phường".into(),
        owner_unit_id: ward.parse().unwrap(),
        system_type: "internal".into(),
        ..Default::default()
    };
    server.db.store.create_system(&admin, &input).await.unwrap();
    let mut typed = vec![
        ("unit_id", ward.as_str()),
        ("title", "Máy chủ thư bị dò mật khẩu"),
        ("category", "intrusion"),
        ("detected_at", "2026-11-02T08:30"),
        ("system_codes", "HB-KHONG-CO"),
        ("consequences", "service_disruption"),
        ("symptoms", "Hàng nghìn lần đăng nhập sai"),
    ];
    let r = officer.form("/incidents", &typed).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    for kept in
        ["Máy chủ thư bị dò mật khẩu", "Hàng nghìn lần đăng nhập sai", "value=\"HB-KHONG-CO\"", "2026-11-02T08:30"]
    {
        assert!(html.contains(kept), "the report lost {kept:?}");
    }
    assert!(html.contains("value=\"service_disruption\" checked"), "the consequence stays ticked");
    assert!(
        html.contains("HB-KHONG-CO") && html.contains("class=\"field-error\""),
        "the message is beside the systems"
    );
    assert!(!html.contains("multiple"), "no Ctrl-click list");
    typed.retain(|(k, _)| *k != "system_codes");
    typed.push(("system_codes", "HB-MAIL – Thư điện tử phường (Phường Hồng Bàng)"));
    let r = officer.form("/incidents", &typed).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
}

/// The units tree groups a unit's many children by unit type, each group collapsible with its
/// count (issue 14.5).
#[tokio::test]
async fn the_units_tree_groups_many_children_by_type() {
    let server = TestServer::start().await;
    let authority = server.login("pa05.truong", DEMO_PASSWORD).await;
    let html = authority.get("/units").await.text().await.unwrap();
    let tree = html.split("id=\"unit-tree\"").nth(1).unwrap();
    assert!(tree.contains("<details class=\"group"), "groups: {}", &tree[..tree.len().min(2000)]);
    assert_eq!(tree.matches("<details").count(), tree.matches("</details>").count(), "every group closes");
    let ward_group = tree.split("<summary>").find(|g| g.starts_with("Phường")).expect("a group of wards");
    assert!(ward_group.contains("class=\"badge\""), "with its count");
}

/// A double submit does not act twice: the report form carries one key, and the same key again
/// returns the incident the first created (issue 14, bad input).
#[tokio::test]
async fn a_report_sent_twice_creates_one_incident() {
    let server = TestServer::start().await;
    let ward = unit_id(&server.db, "P-HONG-BANG").await.to_string();
    let officer = server.login("hongbang.canbo", DEMO_PASSWORD).await;
    let html = officer.get("/incidents/new").await.text().await.unwrap();
    let key = crate::common::field_value(&html, "submission_id").expect("the form carries a key");
    let typed = [
        ("unit_id", ward.as_str()),
        ("title", "Trang tin phường bị thay giao diện"),
        ("category", "defacement"),
        ("detected_at", "2026-11-02T08:30"),
        ("submission_id", key.as_str()),
    ];
    let first = officer.form("/incidents", &typed).await;
    let second = officer.form("/incidents", &typed).await;
    assert_eq!((first.status().as_u16(), second.status().as_u16()), (303, 303));
    assert_eq!(first.headers()["location"], second.headers()["location"], "the same incident");
    let mut fresh = typed.to_vec();
    fresh.retain(|(k, _)| *k != "submission_id");
    fresh.push(("submission_id", "x!"));
    let r = officer.form("/incidents", &fresh).await;
    assert_eq!(r.status(), 422);
    // The API takes the same key.
    let body = serde_json::json!({"unit_id": ward.parse::<i64>().unwrap(), "title": "Lộ mật khẩu", "category": "malware",
        "detected_at": "2026-11-02T01:00:00Z", "submission_id": "api-retry-0001"});
    let a = officer
        .send(reqwest::Method::POST, "/api/v1/incidents", Some(body.clone()))
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap();
    let b = officer
        .send(reqwest::Method::POST, "/api/v1/incidents", Some(body))
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap();
    assert_eq!(a["id"], b["id"], "{a} {b}");
}

/// The incident queue exports what it lists, in the caller's scope, with its filters (issue 14.6).
#[tokio::test]
async fn the_incident_queue_exports_what_it_lists() {
    let server = TestServer::start().await;
    let ward = unit_id(&server.db, "P-HONG-BANG").await;
    let officer = crate::common::actor(&server.db, "hongbang.canbo").await;
    for title in ["Mã độc trên máy kế toán", "Thư lừa đảo giả mạo Kho bạc"] {
        let input = khien_store::IncidentInput {
            unit_id: ward,
            title: title.into(),
            category: "malware".into(),
            detected_at: "2026-11-02T01:00:00Z".into(),
            ..Default::default()
        };
        server.db.store.create_incident(&officer, &input).await.unwrap();
    }
    let session = server.login("hongbang.canbo", DEMO_PASSWORD).await;
    let page = session.get("/incidents?q=ma+doc").await.text().await.unwrap();
    assert!(page.contains("id=\"export-incidents\" ") || page.contains("id=\"export-incidents\""), "the link");
    let listed = session.get_json("/api/v1/incidents?q=ma%20doc").await;
    assert_eq!(listed["total"], 1, "the queue's first page counts its matches");
    let r = session.get("/api/v1/incidents/export?q=ma%20doc").await;
    assert_eq!(r.status(), 200);
    let rows = crate::findings_web::xlsx_rows(&r.bytes().await.unwrap());
    assert_eq!(rows[0][0], "Mã sự cố");
    assert!(rows.iter().any(|r| r[1] == "Mã độc trên máy kế toán"), "{rows:?}");
    assert!(rows.iter().all(|r| r[1] != "Thư lừa đảo giả mạo Kho bạc"), "the filter applies");
    let other = server.login("lechan.canbo", DEMO_PASSWORD).await;
    let theirs = crate::findings_web::xlsx_rows(&other.get("/api/v1/incidents/export").await.bytes().await.unwrap());
    assert!(theirs.iter().all(|r| r[2] != "Phường Hồng Bàng"), "another ward's export holds none of ours");
}

/// A stale form is refused, naming who changed the record and when, with the input kept; the
/// other person's change is not undone (issue 14, bad input).
#[tokio::test]
async fn a_stale_system_form_is_refused_and_keeps_its_input() {
    let server = TestServer::start().await;
    let db = &server.db;
    let ward = unit_id(db, "P-HONG-BANG").await;
    let officer = crate::common::actor(db, "hongbang.canbo").await;
    let input = khien_store::SystemInput {
        code: "HB-STALE".into(),
        name: "Cổng thông tin phường".into(),
        owner_unit_id: ward,
        system_type: "internal".into(),
        ..Default::default()
    };
    let sys = db.store.create_system(&officer, &input).await.unwrap();
    let session = server.login("hongbang.canbo", DEMO_PASSWORD).await;
    let form = session.get(&format!("/systems/{}/edit", sys.id)).await.text().await.unwrap();
    let seen = crate::common::field_value(&form, "expected_updated_at").expect("the form carries the version");
    // Meanwhile the ward's manager renames it.
    let manager = crate::common::actor(db, "hongbang.quanly").await;
    let renamed = khien_store::SystemInput {
        name: "Cổng thông tin điện tử phường Hồng Bàng".into(), ..input.clone()
    };
    db.store.update_system(&manager, sys.id, &renamed).await.unwrap();
    let ward_id = ward.to_string();
    let typed = [
        ("code", "HB-STALE"),
        ("name", "Cổng thông tin phường (bản của cán bộ)"),
        ("owner_unit_id", ward_id.as_str()),
        ("system_type", "internal"),
        ("vendor", "Nhà cung cấp mới"),
        ("expected_updated_at", seen.as_str()),
    ];
    let r = session.form(&format!("/systems/{}", sys.id), &typed).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    let manager_name = db.store.get_user(&manager, manager.user_id).await.unwrap().user.full_name;
    assert!(html.contains(&manager_name) && html.contains("Nhà cung cấp mới"), "who changed it, and the input kept");
    let now = db.store.get_system(&officer, sys.id).await.unwrap().system;
    assert_eq!(now.name, "Cổng thông tin điện tử phường Hồng Bàng", "the other change stays");
    // The other change is shown beside its field: the record's name now; the vendor, which
    // only this person typed, says the record has none.
    let label =
        |field: &str| html.split("<label>").find(|l| l.contains(&format!("name=\"{field}\""))).unwrap().to_string();
    let name = label("name");
    assert!(
        name.contains("class=\"field-now\"") && name.contains("«Cổng thông tin điện tử phường Hồng Bàng»"),
        "the other person's name beside the field: {name}"
    );
    assert!(label("vendor").contains("«—»"), "the record has no vendor: {}", label("vendor"));
    assert!(!label("code").contains("field-now"), "an unchanged field says nothing");
    assert!(!label("system_type").contains("field-now"), "the same choice says nothing");
}

/// What a refused form must show again: every kept value, and a message beside a field.
fn assert_kept(html: &str, form: &str, kept: &[&str]) {
    for k in kept {
        assert!(html.contains(k), "{form} lost {k:?}");
    }
    assert!(html.contains("id=\"form-error\"") && html.contains("nav"), "{form}: the summary and the menu");
}

/// Units, users, assessments and a finding's move keep their input too (issue 14.4: "a
/// validation error re-displays the form with the user's input").
#[tokio::test]
async fn units_users_assessments_and_finding_moves_keep_what_was_typed() {
    let server = TestServer::start().await;
    let admin = server.login("admin", crate::common::ADMIN_PASSWORD).await;
    let ward = unit_id(&server.db, "P-HONG-BANG").await.to_string();
    // A new unit whose code is taken.
    let r = admin
        .form(
            "/units",
            &[("code", "P-HONG-BANG"), ("name", "Phường Hồng Bàng Mới"), ("unit_type", "ward"), ("parent_id", "1")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert_kept(&html, "/units", &["value=\"P-HONG-BANG\"", "value=\"Phường Hồng Bàng Mới\"", "id=\"add-unit\" open"]);
    assert!(html.contains("value=\"ward\" selected"), "the chosen type stays chosen");
    // A unit's edit with a bad e-mail keeps the rest.
    let r = admin
        .form(
            &format!("/units/{ward}"),
            &[
                ("name", "Phường Hồng Bàng"),
                ("head_name", "Trần Thị Kept"),
                ("head_title", "Chủ tịch"),
                ("focal_name", ""),
                ("focal_phone", ""),
                ("focal_email", "not-an-address"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422, "a bad e-mail is refused");
    assert_kept(&r.text().await.unwrap(), "/units/{id}", &["value=\"Trần Thị Kept\"", "value=\"not-an-address\""]);
    // A new user with a taken username keeps all but the password.
    let r = admin
        .form(
            "/users",
            &[
                ("username", "hongbang.canbo"),
                ("full_name", "Lê Văn Giữ"),
                ("email", "giu@example.vn"),
                ("unit_id", ward.as_str()),
                ("password", "Mat-khau-Giu-2026"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert_kept(&html, "/users", &["value=\"Lê Văn Giữ\"", "value=\"giu@example.vn\""]);
    assert!(!html.contains("Mat-khau-Giu-2026"), "a password is never sent back");
    // The administrator's units are too many to list: the unit is typed as a code, and a code
    // outside one's reach is refused beside the field, kept as typed.
    assert!(html.contains("name=\"unit_id_code\"") && !html.contains("<select name=\"unit_id\""), "a code field");
    let typed = [("full_name", "Lê Văn Giữ"), ("email", ""), ("password", "Mat-khau-Giu-2026")];
    let mut by_code = typed.to_vec();
    by_code.extend([("username", "le.van.giu"), ("unit_id_code", "P-HONG-BANG – Phường Hồng Bàng")]);
    assert_eq!(admin.form("/users", &by_code).await.status(), 303, "the suggestion as picked names the unit");
    let mut unknown = typed.to_vec();
    unknown.extend([("username", "le.van.khac"), ("unit_id_code", "KHONG-CO")]);
    let r = admin.form("/users", &unknown).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("value=\"KHONG-CO\""), "the code typed is kept");
    // An assessment of a system outside one's reach keeps the title and the day.
    let r = admin
        .form(
            "/assessments",
            &[
                ("system", "KHONG-CO"),
                ("catalogue_id", "1"),
                ("kind", "independent"),
                ("title", "Đánh giá quý 4"),
                ("planned_for", "15/12/2026"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_kept(
        &r.text().await.unwrap(),
        "/assessments",
        &["value=\"KHONG-CO\"", "value=\"Đánh giá quý 4\"", "value=\"15/12/2026\"", "value=\"independent\" selected"],
    );
}
