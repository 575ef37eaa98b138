//! Importing unit lists: the official administrative-unit files and bad files.

use crate::common::{admin_actor, bootstrap, sqlite, TestServer, ADMIN_PASSWORD};
use std::path::PathBuf;

fn shared_file(name: &str) -> Option<Vec<u8>> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/vn-admin").join(name);
    match std::fs::read(&p) {
        Ok(b) => Some(b),
        Err(_) => {
            eprintln!("shared data folder absent ({}): skipping this check", p.display());
            None
        }
    }
}

#[tokio::test]
async fn imports_the_official_34_provinces_and_3321_communes() {
    let Some(bytes) = shared_file("vn_units_34_provinces_3321_wards.json") else { return };
    let db = sqlite().await;
    bootstrap(&db, false).await;
    let admin = admin_actor(&db).await;
    let root = db.store.root_unit().await.unwrap().unwrap();
    let rows = khien_formats::parse_units("vn_units_34_provinces_3321_wards.json", &bytes).unwrap();
    let rows = khien_server::services::units_io::import_rows(rows);
    let summary = db.store.import_units(&admin, root.id, &rows).await.unwrap();
    assert_eq!(summary.created, 34 + 3321);
    assert_eq!(db.store.unit_count().await.unwrap(), 1 + 34 + 3321);
    let hits = db
        .store
        .list_units(
            &admin,
            &khien_store::UnitFilter { q: Some("ba dinh".into()), limit: 10, sort: "code", ..Default::default() },
        )
        .await
        .unwrap();
    assert!(hits.items.iter().any(|u| u.name == "Phường Ba Đình"));
    let hits = db
        .store
        .list_units(
            &admin,
            &khien_store::UnitFilter { q: Some("da nang".into()), limit: 10, sort: "code", ..Default::default() },
        )
        .await
        .unwrap();
    assert!(hits.items.iter().any(|u| u.name.contains("Đà Nẵng")));
}

#[tokio::test]
async fn upload_through_the_web_form_is_all_or_nothing() {
    let s = TestServer::start().await;
    let admin = s.login("admin", ADMIN_PASSWORD).await;
    let root = s.db.store.root_unit().await.unwrap().unwrap().id.to_string();
    let before = s.db.store.unit_count().await.unwrap();
    let upload = |name: &'static str, body: &'static str| {
        let part = reqwest::multipart::Part::bytes(body.as_bytes().to_vec()).file_name(name);
        let form = reqwest::multipart::Form::new().part("file", part).text("parent_id", root.clone());
        admin.client.post(admin.url("/units/import")).header("x-csrf-token", &admin.csrf).multipart(form).send()
    };
    let bad =
        "Mã đơn vị;Tên đơn vị;Loại đơn vị;Mã đơn vị cấp trên\nP-A;Phường A;Phường;\nP-B;Phường B;vương quốc;P-A\n";
    let r = upload("don-vi.csv", bad).await.unwrap();
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("don-vi.csv") && page.contains("dòng 3") && page.contains("Loại đơn vị"), "{page}");
    assert_eq!(s.db.store.unit_count().await.unwrap(), before, "nothing was imported");
    let good = "Mã đơn vị;Tên đơn vị;Loại đơn vị;Mã đơn vị cấp trên\nP-A;Phường A;Phường;\nX-B;Xã B;Xã;P-A\n";
    let r = upload("don-vi.csv", good).await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("2 đơn vị mới"));
    assert_eq!(s.db.store.unit_count().await.unwrap(), before + 2);
    // The export is a valid import file: it round-trips.
    let xlsx = admin.get("/units/export.xlsx").await.bytes().await.unwrap();
    let rows = khien_formats::parse_units("don-vi.xlsx", &xlsx).unwrap();
    assert_eq!(rows.len() as i64, before + 2);
}

#[tokio::test]
async fn api_import_and_export_round_trip() {
    let s = TestServer::start().await;
    let admin = s.login("admin", ADMIN_PASSWORD).await;
    let root = s.db.store.root_unit().await.unwrap().unwrap().id;
    let csv = admin.get("/api/v1/units/export?format=csv").await.text().await.unwrap();
    assert!(csv.contains("Sở Khoa học và Công nghệ"));
    let body = "[{\"code\":\"X-MOI\",\"name\":\"Xã Mới\",\"unit_type\":\"commune\",\"parent_code\":\"TP\"},{\"code\":\"X-MOI\",\"name\":\"Trùng\",\"unit_type\":\"commune\"}]";
    let r = admin
        .client
        .post(admin.url(&format!("/api/v1/units/import?parent_id={root}&file_name=moi.json")))
        .header("x-csrf-token", &admin.csrf)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let v: serde_json::Value = r.json().await.unwrap();
    assert!(v["detail"].as_str().unwrap().contains("moi.json"), "{v}");
    let good = "[{\"code\":\"X-MOI\",\"name\":\"Xã Mới\",\"unit_type\":\"commune\",\"parent_code\":\"TP\"}]";
    let r = admin
        .client
        .post(admin.url(&format!("/api/v1/units/import?parent_id={root}&file_name=moi.json")))
        .header("x-csrf-token", &admin.csrf)
        .body(good)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<serde_json::Value>().await.unwrap()["created"], 1);
}

#[tokio::test]
async fn systems_import_is_all_or_nothing_and_names_the_row() {
    let s = TestServer::start().await;
    let u = s.login("hongbang.quanly", crate::common::DEMO_PASSWORD).await;
    let post = |body: &'static str| {
        u.client
            .post(u.url("/api/v1/systems/import?file_name=he-thong.csv"))
            .header("x-csrf-token", &u.csrf)
            .body(body)
            .send()
    };
    let header = "Mã hệ thống;Tên hệ thống;Mã đơn vị chủ quản;Loại hệ thống;Thủ tục hành chính;Dải IP\n";
    let bad_owner = "Mã hệ thống;Tên hệ thống;Mã đơn vị chủ quản;Loại hệ thống;Thủ tục hành chính;Dải IP\nHB-01;Cổng thông tin phường;P-HONG-BANG;Dịch vụ công;x;10.1.1.0/24\nHB-02;Một cửa điện tử;KHONG-CO;Nội bộ;;\n";
    let r = post(bad_owner).await.unwrap();
    assert_eq!(r.status(), 422);
    let v: serde_json::Value = r.json().await.unwrap();
    let detail = v["detail"].as_str().unwrap();
    assert!(detail.contains("he-thong.csv") && detail.contains("Dòng 3") && detail.contains("KHONG-CO"), "{detail}");
    let bad_cidr = "Mã hệ thống;Tên hệ thống;Mã đơn vị chủ quản;Loại hệ thống;Thủ tục hành chính;Dải IP\nHB-01;Cổng thông tin phường;P-HONG-BANG;Dịch vụ công;x;10.1.1.0/99\n";
    let v: serde_json::Value = post(bad_cidr).await.unwrap().json().await.unwrap();
    assert_eq!(v["field"], "ip_ranges", "{v}");
    // Another unit's code is refused like an unknown one: a ward manager registers only its own.
    let other = "Mã hệ thống;Tên hệ thống;Mã đơn vị chủ quản;Loại hệ thống;Thủ tục hành chính;Dải IP\nYT-01;Bệnh án điện tử;SO-YT;Nội bộ;;\n";
    assert_eq!(post(other).await.unwrap().status(), 404);
    assert_eq!(u.get_json("/api/v1/systems").await["items"].as_array().unwrap().len(), 0, "nothing was written");
    let good = "Mã hệ thống;Tên hệ thống;Mã đơn vị chủ quản;Loại hệ thống;Thủ tục hành chính;Dải IP\nHB-01;Cổng thông tin phường;P-HONG-BANG;Dịch vụ công;x;10.1.1.0/24\nHB-02;Một cửa điện tử;P-HONG-BANG;Nội bộ;;\n";
    let r = post(good).await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<serde_json::Value>().await.unwrap()["created"], 2);
    let found = u.get_json("/api/v1/systems?q=cong%20thong%20tin%20phuong").await;
    assert_eq!(found["items"][0]["admin_procedures"], true);
    assert!(header.starts_with("Mã hệ thống"));
    // The template downloads and is an XLSX the importer reads (empty: no rows).
    let template = u.get("/api/v1/systems/template").await.bytes().await.unwrap();
    assert!(khien_formats::parse_systems("mau.xlsx", &template).unwrap().is_empty());
}

#[tokio::test]
async fn dossier_attachments_upload_and_download_with_their_hash() {
    let s = TestServer::start().await;
    let u = s.login("hongbang.canbo", crate::common::DEMO_PASSWORD).await;
    let ward = crate::common::unit_id(&s.db, "P-HONG-BANG").await;
    let sys = u
        .send(
            reqwest::Method::POST,
            "/api/v1/systems",
            Some(serde_json::json!({"code":"HB-X","name":"Hệ thống X","owner_unit_id":ward,"system_type":"internal"})),
        )
        .await;
    let sys_id = sys.json::<serde_json::Value>().await.unwrap()["id"].as_i64().unwrap();
    let d = u
        .send(
            reqwest::Method::POST,
            &format!("/api/v1/systems/{sys_id}/dossiers"),
            Some(serde_json::json!({"proposed_level":0})),
        )
        .await;
    let d_id = d.json::<serde_json::Value>().await.unwrap()["id"].as_i64().unwrap();
    let pdf = b"%PDF-1.4 thuyet minh phuong an".to_vec();
    let r = u
        .client
        .post(u.url(&format!(
            "/api/v1/dossiers/{d_id}/attachments?part=protection_plan&file_name=Thuy%E1%BA%BFt%20minh.pdf"
        )))
        .header("x-csrf-token", &u.csrf)
        .body(pdf.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let a: serde_json::Value = r.json().await.unwrap();
    let r = u.get(&format!("/api/v1/attachments/{}", a["id"])).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["x-content-sha256"], a["sha256"].as_str().unwrap());
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("filename*=UTF-8''Thuy%E1%BA%BFt%20minh.pdf"));
    assert_eq!(r.bytes().await.unwrap().to_vec(), pdf);
    let bad = u
        .client
        .post(u.url(&format!("/api/v1/dossiers/{d_id}/attachments?part=design&file_name=a.pdf")))
        .header("x-csrf-token", &u.csrf)
        .body("MZ not a pdf")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    let listed = u.get_json(&format!("/api/v1/dossiers/{d_id}/attachments")).await;
    assert_eq!(listed.as_array().unwrap().len(), 1, "the refused file left nothing");
}
