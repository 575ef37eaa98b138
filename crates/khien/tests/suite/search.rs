//! Search matches words in any order, with or without diacritics (issue 14.6), in every list
//! and in the header's search, which finds only what the user may see.

use crate::common::{actor, unit_id, TestServer, DEMO_PASSWORD};
use khien_store::{SystemFilter, SystemInput};

#[tokio::test]
async fn words_in_any_order_without_diacritics_find_a_system_its_unit_may_see() {
    let server = TestServer::start().await;
    let db = &server.db;
    let officer = actor(db, "hongbang.canbo").await;
    let input = SystemInput {
        code: "HB-HOTICH".into(),
        name: "Phần mềm quản lý hộ tịch – Phường Hồng Bàng".into(),
        owner_unit_id: unit_id(db, "P-HONG-BANG").await,
        system_type: "internal".into(),
        ..Default::default()
    };
    let sys = db.store.create_system(&officer, &input).await.unwrap();
    let find = |q: &str| SystemFilter { q: Some(q.into()), limit: 50, ..Default::default() };
    for q in ["ho tich hong bang", "hồng bàng hộ tịch", "HONG   quan ly", "hb-hotich"] {
        let found = db.store.list_systems(&officer, &find(q)).await.unwrap().items;
        assert!(found.iter().any(|s| s.id == sys.id), "«{q}» does not find it");
    }
    let found = db.store.list_systems(&officer, &find("ho tich le chan")).await.unwrap().items;
    assert!(found.iter().all(|s| s.id != sys.id), "every word must match");
    // The header's search: the ward finds the system and its dossier's system; another ward does not.
    let ward = server.login("hongbang.canbo", DEMO_PASSWORD).await;
    let home = ward.get("/").await.text().await.unwrap();
    assert!(home.contains("id=\"header-search\""), "the search box is in the header");
    let html = ward.get("/search?q=ho+tich+hong+bang").await.text().await.unwrap();
    let systems = html.split("id=\"found-systems\"").nth(1).unwrap().split("</section>").next().unwrap();
    assert!(systems.contains(&format!("/systems/{}", sys.id)), "{systems}");
    let other = server.login("lechan.canbo", DEMO_PASSWORD).await;
    let html = other.get("/search?q=ho+tich+hong+bang").await.text().await.unwrap();
    assert!(!html.contains(&format!("/systems/{}", sys.id)), "another ward sees it");
}
