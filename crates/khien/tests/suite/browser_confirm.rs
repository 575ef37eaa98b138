//! Weighty actions confirm (issue 14.3), clicked as people click them: accepting a finding's
//! risk and sharing an incident through TAXII each open the dialog that names the consequence;
//! «Quay lại biểu mẫu» does nothing, «Xác nhận» acts.

use crate::browser::{click, click_and_load, fill, find, in_browser_on, login_ok, logout, wait_text};
use crate::common::{actor, admin_actor, unit_id, TestServer};
use fantoccini::Locator;

#[tokio::test]
async fn accepting_a_risk_and_sharing_through_taxii_ask_first() {
    let server = TestServer::start().await;
    let admin = admin_actor(&server.db).await;
    let ward = unit_id(&server.db, "P-HONG-BANG").await;
    let input = khien_store::SystemInput {
        code: "HB-XN".into(),
        name: "Hệ thống xác nhận".into(),
        owner_unit_id: ward,
        system_type: "internal".into(),
        ..Default::default()
    };
    let system = server.db.store.create_system(&admin, &input).await.unwrap();
    let scan = std::io::Cursor::new(khien_formats::scan::synthetic_nessus(1, 1, 5));
    let tool = khien_formats::scan::ScanTool::Nessus;
    server.db.store.import_scan(&admin, system.id, tool, "xn.nessus", Box::new(scan)).await.unwrap();
    let filter = khien_store::FindingFilter { system_id: Some(system.id), limit: 5, ..Default::default() };
    let finding = server.db.store.list_findings(&admin, &filter).await.unwrap().items[0].id;
    let report = khien_store::IncidentInput {
        unit_id: ward,
        title: "Mã độc trên máy trạm một cửa".into(),
        category: "malware".into(),
        detected_at: "2026-11-20T01:00:00Z".into(),
        ..Default::default()
    };
    let incident = server.db.store.create_incident(&admin, &report).await.unwrap().id;
    let root = server.db.store.root_unit().await.unwrap().unwrap().id;
    let shared =
        khien_store::CollectionInput { title: "Sự cố thành phố".into(), description: None, unit_id: root };
    let collection = server.db.store.create_collection(&admin, &shared).await.unwrap().id;
    let store = server.db.store.clone();
    let manager = actor(&server.db, "hongbang.quanly").await;
    let authority = actor(&server.db, "pa05.truong").await;
    in_browser_on(server, move |c, base| async move {
        c.set_window_size(1366, 900).await.unwrap();
        login_ok(&c, &base, "hongbang.quanly").await;
        c.goto(&format!("{base}/findings/{finding}")).await.unwrap();
        fill(&c, "#move-risk_accepted input[name=reason]", "Hệ thống cũ, thay thế trong quý 2").await;
        fill(&c, "#move-risk_accepted input[name=accepted_until]", "30/01/2027").await;
        click(&c, "#move-risk_accepted button[type=submit]").await;
        wait_text(&c, "#confirm-message", "tự mở lại").await;
        click(&c, "#confirm-no").await;
        let open = c.find(Locator::Css("dialog#confirm-dialog[open]")).await.is_ok();
        assert!(!open, "«back to the form» closes the dialog");
        let state = store.get_finding(&manager, finding).await.unwrap().state;
        assert_eq!(state.code(), "open", "nothing was accepted on «back»");
        assert_eq!(
            find(&c, "#move-risk_accepted input[name=reason]").await.prop("value").await.unwrap().as_deref(),
            Some("Hệ thống cũ, thay thế trong quý 2"),
            "the reason is still typed"
        );
        click(&c, "#move-risk_accepted button[type=submit]").await;
        wait_text(&c, "#confirm-message", "tự mở lại").await;
        click_and_load(&c, "#confirm-yes").await;
        let state = store.get_finding(&manager, finding).await.unwrap().state;
        assert_eq!(state.code(), "risk_accepted", "«confirm» acts");

        logout(&c).await;
        login_ok(&c, &base, "pa05.truong").await;
        c.goto(&format!("{base}/incidents/{incident}")).await.unwrap();
        click(&c, "#publish-form button[type=submit]").await;
        wait_text(&c, "#confirm-message", "TAXII").await;
        let none = khien_store::ObjectFilter {
            added_after: None,
            limit: 10,
            next: None,
            ids: Vec::new(),
            types: Vec::new(),
            versions: Vec::new(),
            spec_versions: Vec::new(),
        };
        let before = store.taxii_objects(&authority, &collection, &none, None).await.unwrap().objects.len();
        assert_eq!(before, 0, "nothing shared before confirming");
        click_and_load(&c, "#confirm-yes").await;
        assert!(c.find(Locator::Css("#error-message")).await.is_err(), "publishing failed");
        let after = store.taxii_objects(&authority, &collection, &none, None).await.unwrap().objects.len();
        assert!(after > 0, "the incident is shared once confirmed");
    })
    .await;
}
