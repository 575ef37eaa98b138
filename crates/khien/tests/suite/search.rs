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

/// Every list's first page says how many match in all, with the same filters and scope
/// (issue 14.6); later pages do not count again.
#[tokio::test]
async fn the_first_page_counts_every_match() {
    let server = TestServer::start().await;
    let db = &server.db;
    let officer = actor(db, "hongbang.canbo").await;
    let ward = unit_id(db, "P-HONG-BANG").await;
    for n in 0..3 {
        let input = SystemInput {
            code: format!("HB-DEM-{n}"),
            name: format!("Hệ thống đếm thử {n}"),
            owner_unit_id: ward,
            system_type: "internal".into(),
            ..Default::default()
        };
        db.store.create_system(&officer, &input).await.unwrap();
    }
    let f = SystemFilter { q: Some("dem thu".into()), limit: 2, ..Default::default() };
    let first = db.store.list_systems(&officer, &f).await.unwrap();
    assert_eq!((first.items.len(), first.total), (2, Some(3)));
    let cursor = khien_domain::page::Cursor::decode(first.next_cursor.as_deref().unwrap()).unwrap();
    let second = db.store.list_systems(&officer, &SystemFilter { cursor: Some(cursor), ..f.clone() }).await.unwrap();
    assert_eq!((second.items.len(), second.total), (1, None));
    let other = actor(db, "lechan.canbo").await;
    assert_eq!(db.store.list_systems(&other, &f).await.unwrap().total, Some(0), "within scope");
    let ward_session = server.login("hongbang.canbo", DEMO_PASSWORD).await;
    let html = ward_session.get("/systems?q=dem+thu").await.text().await.unwrap();
    let badge = html.split("id=\"list-total\"").nth(1).and_then(|b| b.split('<').next()).unwrap_or("");
    assert!(badge.ends_with(">3"), "the heading shows the total: {badge}");
    let api = ward_session.get_json("/api/v1/systems?q=dem+thu&limit=2").await;
    assert_eq!(api["total"], 3);
}
