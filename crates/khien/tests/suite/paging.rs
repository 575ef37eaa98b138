//! Cursor pages on both stores: the lists kept newest first by id (incidents, public reports,
//! findings) hand out a cursor that the next page takes, page after page, with nothing skipped
//! or repeated — on PostgreSQL as on SQLite.

use crate::common::{admin_actor, bootstrap, TestDb};
use khien_domain::page::Cursor;
use khien_store::{FindingFilter, IncidentFilter, PublicReportFilter};

on_both_stores!(lists_by_id_page_through_with_their_cursor);

/// Every id, one page of one row at a time, following the cursors.
async fn one_by_one<F, Fut>(list: F) -> Vec<i64>
where
    F: Fn(Option<Cursor>) -> Fut,
    Fut: std::future::Future<Output = (Vec<i64>, Option<String>)>,
{
    let (mut ids, mut cursor) = (Vec::new(), None);
    loop {
        let (page, next) = list(cursor).await;
        assert!(page.len() <= 1);
        ids.extend(page);
        match next {
            Some(c) => cursor = Some(Cursor::decode(&c).unwrap()),
            None => return ids,
        }
    }
}

async fn lists_by_id_page_through_with_their_cursor(db: TestDb) {
    bootstrap(&db, false).await;
    let admin = admin_actor(&db).await;
    let root = db.store.root_unit().await.unwrap().unwrap().id;
    for n in 0..3 {
        let report = khien_store::IncidentInput {
            unit_id: root,
            title: format!("Sự cố số {n}"),
            category: "malware".into(),
            detected_at: "2026-11-20T01:00:00Z".into(),
            ..Default::default()
        };
        db.store.create_incident(&admin, &report).await.unwrap();
        let citizen = khien_store::PublicReportInput {
            category: "agency_incident".into(),
            description: format!("Trang thông tin của phường bị thay đổi giao diện, lần thứ {n}."),
            ..Default::default()
        };
        db.store.submit_public_report(&citizen, &[], "192.0.2.50").await.unwrap();
    }
    let sys = khien_store::SystemInput {
        code: "TP-CONG".into(),
        name: "Cổng thông tin thành phố".into(),
        owner_unit_id: root,
        system_type: "public_service".into(),
        ..Default::default()
    };
    let system = db.store.create_system(&admin, &sys).await.unwrap();
    let scan = std::io::Cursor::new(khien_formats::scan::synthetic_nessus(1, 3, 5));
    db.store
        .import_scan(&admin, system.id, khien_formats::scan::ScanTool::Nessus, "cong.nessus", Box::new(scan))
        .await
        .unwrap();

    let (admin, store) = (&admin, &db.store);
    let incidents = |limit, cursor| async move {
        let f = IncidentFilter { include_closed: true, limit, cursor, ..Default::default() };
        let page = store.list_incidents(admin, &f).await.unwrap();
        (page.items.iter().map(|i| i.id).collect::<Vec<_>>(), page.next_cursor)
    };
    let reports = |limit, cursor| async move {
        let f = PublicReportFilter { include_closed: true, limit, cursor, ..Default::default() };
        let page = store.list_public_reports(admin, &f).await.unwrap();
        (page.items.iter().map(|r| r.id).collect::<Vec<_>>(), page.next_cursor)
    };
    let findings = |limit, cursor| async move {
        let f = FindingFilter { include_closed: true, limit, cursor, ..Default::default() };
        let page = store.list_findings(admin, &f).await.unwrap();
        (page.items.iter().map(|x| x.id).collect::<Vec<_>>(), page.next_cursor)
    };
    let all = incidents(500, None).await.0;
    assert!(all.len() >= 3 && all.windows(2).all(|w| w[0] > w[1]), "newest first: {all:?}");
    assert_eq!(one_by_one(|c| incidents(1, c)).await, all, "incidents");
    let all = reports(500, None).await.0;
    assert!(all.len() >= 3);
    assert_eq!(one_by_one(|c| reports(1, c)).await, all, "public reports");
    let all = findings(500, None).await.0;
    assert!(all.len() >= 3);
    assert_eq!(one_by_one(|c| findings(1, c)).await, all, "findings");
}
