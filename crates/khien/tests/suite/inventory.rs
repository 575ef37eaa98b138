//! A system's light inventory (issue 17.6; TCVN 14423's hardware, software and information
//! assets): imported from an agent's CSV or an XLSX, all or nothing, an unknown system named by
//! its row; software past its end of support flagged on the system's page.

use crate::common::{actor, unit_id, TestDb, TestServer, DEMO_PASSWORD};
use crate::systems::ward_system;
use serde_json::Value;

on_both_stores!(an_inventory_is_imported_whole_and_software_past_support_is_flagged);

async fn upload(who: &crate::common::Session, name: &str, body: &str) -> reqwest::Response {
    let url = who.url("/api/v1/inventory/import");
    who.client
        .post(url)
        .query(&[("file_name", name)])
        .header("x-csrf-token", &who.csrf)
        .body(body.as_bytes().to_vec())
        .send()
        .await
        .unwrap()
}

async fn an_inventory_is_imported_whole_and_software_past_support_is_flagged(db: TestDb) {
    let s = TestServer::start_on(db).await;
    let ward = unit_id(&s.db, "P-HONG-BANG").await;
    let officer_actor = actor(&s.db, "hongbang.canbo").await;
    let sys = s.db.store.create_system(&officer_actor, &ward_system(ward, "HB-INV")).await.unwrap();
    let other_ward = unit_id(&s.db, "P-LE-CHAN").await;
    let le_chan = actor(&s.db, "lechan.canbo").await;
    let theirs =
        khien_store::SystemInput { ip_ranges: vec!["10.30.1.0/24".into()], ..ward_system(other_ward, "LC-INV") };
    s.db.store.create_system(&le_chan, &theirs).await.unwrap();
    let officer = s.login("hongbang.canbo", DEMO_PASSWORD).await;
    // Another ward's system is not this officer's to change: its row is named, nothing is kept.
    let csv = "Mã hệ thống,Nhóm tài sản,Tên tài sản,Phiên bản,Hết hỗ trợ\nHB-INV,Phần mềm,Windows Server,2012 R2,10/10/2023\nLC-INV,Phần cứng,Máy chủ,,\n";
    let r = upload(&officer, "kiem-ke.csv", csv).await;
    assert_eq!(r.status(), 422);
    let text = r.text().await.unwrap();
    assert!(text.contains("LC-INV") && text.contains("3") && text.contains("Mã hệ thống"), "{text}");
    let assets = officer.get_json(&format!("/api/v1/systems/{}/assets", sys.id)).await;
    assert_eq!(assets, serde_json::json!([]), "nothing kept of a refused file");
    let r = upload(&officer, "kiem-ke.csv", "Mã hệ thống,Nhóm tài sản,Tên tài sản\nHB-INV,Đám mây,S3\n").await;
    assert_eq!(r.status(), 422);
    // The whole list, with one software past its end of support.
    let csv = "Mã hệ thống,Nhóm tài sản,Tên tài sản,Phiên bản,Người quản lý,Hết hỗ trợ,Ghi chú\n\
               HB-INV,Phần mềm,Windows Server,2012 R2,Lê Minh,10/10/2023,Máy chủ ứng dụng\n\
               HB-INV,Phần mềm,PostgreSQL,16,Lê Minh,09/11/2028,\n\
               HB-INV,Phần cứng,Máy chủ Dell R740,,Phòng Văn hóa,,\n\
               HB-INV,Thông tin,Cơ sở dữ liệu hồ sơ một cửa,,Văn phòng,,\n";
    let r = upload(&officer, "kiem-ke.csv", csv).await;
    assert_eq!(r.status(), 200);
    let summary: Value = r.json().await.unwrap();
    assert_eq!(
        (summary["systems"].as_i64(), summary["assets"].as_i64(), summary["past_end_of_support"].as_i64()),
        (Some(1), Some(4), Some(1))
    );
    let assets = officer.get_json(&format!("/api/v1/systems/{}/assets", sys.id)).await;
    assert_eq!(assets.as_array().unwrap().len(), 4);
    assert_eq!(
        (assets[0]["name"].as_str(), assets[0]["past_end_of_support"].as_bool()),
        (Some("Windows Server"), Some(true))
    );
    // A second import replaces the list; the page flags what is past support.
    let r = upload(
        &officer,
        "kiem-ke.csv",
        "Mã hệ thống,Nhóm tài sản,Tên tài sản,Hết hỗ trợ\nHB-INV,Phần mềm,Windows Server 2012 R2,10/10/2023\n",
    )
    .await;
    assert_eq!(r.status(), 200);
    let page = officer.get(&format!("/systems/{}/details", sys.id)).await.text().await.unwrap();
    assert!(page.contains("Windows Server 2012 R2") && page.contains("Đã hết hỗ trợ") && !page.contains("PostgreSQL"));
    let other = s.login("lechan.canbo", DEMO_PASSWORD).await;
    assert_eq!(other.get(&format!("/api/v1/systems/{}/assets", sys.id)).await.status(), 404);
}
