//! Cursor pages on both stores: the lists kept newest first by id (incidents, public reports,
//! findings) hand out a cursor that the next page takes, page after page, with nothing skipped
//! or repeated — on PostgreSQL as on SQLite.

use crate::common::{admin_actor, bootstrap, TestDb};
use khien_domain::page::Cursor;
use khien_domain::system::Lifecycle;
use khien_store::{FindingFilter, IncidentFilter, PublicReportFilter};

on_both_stores!(
    lists_by_id_page_through_with_their_cursor,
    every_order_pages_forward_and_back_with_its_total,
    the_registry_total_counts_what_its_pages_hold_for_every_reach
);

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

/// A list walked forward page by page, then back from the last page by each page's
/// `prev_cursor`: the same pages, nothing skipped or repeated, as many rows as the first page's
/// total (issue 14.6).
async fn walk<F, Fut>(what: &str, list: F) -> Vec<i64>
where
    F: Fn(Option<Cursor>) -> Fut,
    Fut: std::future::Future<Output = khien_store::Page<i64>>,
{
    let first = list(None).await;
    assert_eq!(first.prev_cursor, None, "{what}: the first page has none before it");
    // The findings list is not counted (its count cost it 4–10×): the walk counts its rows.
    let total = first.total;
    let mut pages = vec![(None, first.items.clone())];
    let mut next = first.next_cursor.clone();
    let mut prevs = vec![first.prev_cursor.clone()];
    while let Some(c) = next {
        let page = list(Some(Cursor::decode(&c).unwrap())).await;
        assert_eq!(page.total, None, "{what}: later pages are not counted again");
        pages.push((Some(c), page.items.clone()));
        prevs.push(page.prev_cursor.clone());
        next = page.next_cursor;
    }
    // Back: each page's previous cursor opens the page before it.
    for i in (1..pages.len()).rev() {
        let prev = prevs[i].clone().unwrap_or_else(|| panic!("{what}: page {i} has no previous cursor"));
        let back = if prev.is_empty() { None } else { Some(Cursor::decode(&prev).unwrap()) };
        let expected_cursor = pages[i - 1].0.clone();
        assert_eq!(back.as_ref().map(Cursor::encode), expected_cursor, "{what}: page {i} leads back to page {}", i - 1);
        assert_eq!(list(back).await.items, pages[i - 1].1, "{what}: page {} again", i - 1);
    }
    let all: Vec<i64> = pages.into_iter().flat_map(|(_, items)| items).collect();
    let mut unique = all.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), all.len(), "{what}: a row twice in {all:?}");
    if let Some(total) = total {
        assert_eq!(all.len() as i64, total, "{what}: the total counts what the pages hold");
    } else {
        assert!(what.starts_with("findings"), "{what}: the first page counts");
    }
    all
}

async fn every_order_pages_forward_and_back_with_its_total(db: TestDb) {
    bootstrap(&db, true).await;
    let admin = admin_actor(&db).await;
    let health = crate::common::unit_id(&db, "SO-YT").await;
    let (admin, store) = (&admin, &db.store);
    // Names and codes in different orders, some equal when folded ("Đ" and "D").
    for n in 0..24 {
        let input = khien_store::SystemInput {
            code: format!("YT-{:02}", (n * 7) % 24),
            name: format!("{} hệ thống {n}", ["Đăng ký", "Dang ky", "Bệnh án", "An toàn"][n % 4]),
            owner_unit_id: health,
            system_type: "internal".into(),
            ..Default::default()
        };
        store.create_system(admin, &input).await.unwrap();
    }
    for sort in ["name", "-name", "code", "-code", "updated", "-updated"] {
        let systems = |cursor| async move {
            let f = khien_store::SystemFilter {
                unit_id: Some(health),
                sort: Some(sort.to_string()),
                limit: 5,
                cursor,
                ..Default::default()
            };
            let p = store.list_systems(admin, &f).await.unwrap();
            khien_store::Page { items: p.items.iter().map(|s| s.id).collect(), ..without_items(&p) }
        };
        assert!(walk(&format!("systems by {sort}"), systems).await.len() >= 24, "five pages at least");
    }
    for n in 0..9 {
        let report = khien_store::IncidentInput {
            unit_id: health,
            title: format!("Sự cố thử số {n}"),
            category: "malware".into(),
            detected_at: format!("2026-11-{:02}T01:00:00Z", 10 + (n * 5) % 9),
            priority: Some(1 + (n as i64 % 3)),
            ..Default::default()
        };
        store.create_incident(admin, &report).await.unwrap();
    }
    for sort in ["-id", "id", "detected", "-detected", "deadline", "-deadline", "priority", "-priority"] {
        let incidents = |cursor| async move {
            let f = IncidentFilter {
                include_closed: true,
                sort: Some(sort.into()),
                limit: 4,
                cursor,
                ..Default::default()
            };
            let p = store.list_incidents(admin, &f).await.unwrap();
            khien_store::Page { items: p.items.iter().map(|i| i.id).collect(), ..without_items(&p) }
        };
        assert!(walk(&format!("incidents by {sort}"), incidents).await.len() >= 9);
    }
    // Findings of a scan, by deadline and detection, both ways.
    let sys = khien_store::SystemInput {
        code: "YT-PAGING".into(),
        name: "Hệ thống thử phân trang".into(),
        owner_unit_id: health,
        system_type: "internal".into(),
        ..Default::default()
    };
    let system = store.create_system(admin, &sys).await.unwrap();
    let scan = std::io::Cursor::new(khien_formats::scan::synthetic_nessus(3, 4, 5));
    store
        .import_scan(admin, system.id, khien_formats::scan::ScanTool::Nessus, "p.nessus", Box::new(scan))
        .await
        .unwrap();
    for sort in ["-id", "due", "-due", "detected", "-detected"] {
        let findings = |cursor| async move {
            let f = FindingFilter {
                system_id: Some(system.id),
                sort: Some(sort.into()),
                limit: 5,
                cursor,
                ..Default::default()
            };
            let p = store.list_findings(admin, &f).await.unwrap();
            khien_store::Page { items: p.items.iter().map(|x| x.id).collect(), ..without_items(&p) }
        };
        assert!(walk(&format!("findings by {sort}"), findings).await.len() > 10);
    }
    // A cursor made for one order is refused by another, not followed.
    let f = IncidentFilter { include_closed: true, sort: Some("detected".into()), limit: 1, ..Default::default() };
    let next = store.list_incidents(admin, &f).await.unwrap().next_cursor.unwrap();
    let other = IncidentFilter { sort: Some("priority".into()), cursor: Some(Cursor::decode(&next).unwrap()), ..f };
    assert!(store.list_incidents(admin, &other).await.is_err());
    let bad = IncidentFilter { sort: Some("password".into()), limit: 1, ..Default::default() };
    assert!(store.list_incidents(admin, &bad).await.is_err(), "an unknown order is refused");
}

/// The registry's first page is counted by a statement of its own (the units' ids looked up
/// once, not each system joined to its unit): it must give the number the pages hold, for a
/// whole city's reach (more units than are listed by id), a subtree of it, a unit's own few
/// units, and with the filters on the systems' columns.
async fn the_registry_total_counts_what_its_pages_hold_for_every_reach(db: TestDb) {
    bootstrap(&db, true).await;
    let city = crate::common::actor(&db, "pa05.truong").await;
    let officer = crate::common::actor(&db, "hongbang.canbo").await;
    let root = crate::common::unit_id(&db, "TP").await;
    let store = &db.store;
    let admin = admin_actor(&db).await;
    let units = [root, crate::common::unit_id(&db, "SO-YT").await, crate::common::unit_id(&db, "P-HONG-BANG").await];
    for n in 0..45 {
        let input = khien_store::SystemInput {
            code: format!("DEM-{n:02}"),
            name: format!("{} hệ thống {n}", ["Cổng dịch vụ", "Quản lý hồ sơ", "Thư điện tử"][n % 3]),
            owner_unit_id: units[n % units.len()],
            system_type: "internal".into(),
            status: Some(if n % 4 == 0 { Lifecycle::InOperation } else { Lifecycle::Planned }),
            ..Default::default()
        };
        store.create_system(&admin, &input).await.unwrap();
    }
    let filters = [
        khien_store::SystemFilter::default(),
        khien_store::SystemFilter { unit_id: Some(root), ..Default::default() },
        khien_store::SystemFilter { status: Some("in_operation".into()), ..Default::default() },
        khien_store::SystemFilter { q: Some("hệ thống".into()), violations: true, ..Default::default() },
        khien_store::SystemFilter { layer_gap: true, sort: Some("-code".into()), ..Default::default() },
    ];
    let mut city_total = 0;
    for (who, actor) in [("the city", &city), ("a ward's officer", &officer)] {
        for (i, filter) in filters.iter().enumerate() {
            let systems = |cursor| async move {
                let f = khien_store::SystemFilter { limit: 7, cursor, ..filter.clone() };
                let p = store.list_systems(actor, &f).await.unwrap();
                khien_store::Page { items: p.items.iter().map(|s| s.id).collect(), ..without_items(&p) }
            };
            let n = walk(&format!("systems of {who}, filter {i}"), systems).await.len();
            if i == 0 && who == "the city" {
                city_total = n;
            }
        }
    }
    assert!(city_total >= 45, "the city's registry is listed whole: {city_total}");
}

/// A page's cursors and total, its rows left out (the walk compares ids).
fn without_items<T>(p: &khien_store::Page<T>) -> khien_store::Page<i64> {
    khien_store::Page {
        items: Vec::new(),
        next_cursor: p.next_cursor.clone(),
        total: p.total,
        prev_cursor: p.prev_cursor.clone(),
    }
}

/// The list pages sort by a column heading and link both ways, the order and filters kept in
/// the address (issue 14.6); the findings export takes the unit typed as a code.
#[tokio::test]
async fn list_pages_sort_by_their_headings_and_link_both_ways() {
    let s = crate::common::TestServer::start().await;
    let admin = admin_actor(&s.db).await;
    let health = crate::common::unit_id(&s.db, "SO-YT").await;
    for n in 0..105 {
        let input = khien_store::SystemInput {
            code: format!("YT-{n:03}"),
            name: format!("Hệ thống số {}", 200 - n),
            owner_unit_id: health,
            system_type: "internal".into(),
            ..Default::default()
        };
        s.db.store.create_system(&admin, &input).await.unwrap();
    }
    let web = s.login("admin", crate::common::ADMIN_PASSWORD).await;
    let attr = |html: &str, id: &str| {
        let at = html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no #{id}"));
        let tag = &html[html[..at].rfind('<').unwrap()..at];
        let href = tag.split("href=\"").nth(1).unwrap().split('"').next().unwrap();
        href.replace("&amp;", "&").replace("&#38;", "&")
    };
    let first = web.get("/systems?sort=code").await.text().await.unwrap();
    assert!(first.contains("aria-sort=\"ascending\"><a href=\"/systems?sort=-code\""), "the code heading reverses");
    assert!(first.contains("id=\"list-total\""), "the total is shown");
    assert!(!first.contains("id=\"prev-page\""), "nothing before the first page");
    assert!(first.find("YT-000").unwrap() < first.find("YT-001").unwrap(), "by code");
    let next = attr(&first, "next-page");
    assert!(next.starts_with("/systems?sort=code&cursor="), "{next}");
    let second = web.get(&next).await.text().await.unwrap();
    assert!(second.contains("YT-104") && !second.contains("YT-000"), "the second page goes on");
    assert_eq!(attr(&second, "prev-page"), "/systems?sort=code", "back to the first page");
    let by_name = web.get("/systems?sort=-name&q=he%20thong").await.text().await.unwrap();
    assert!(by_name.contains("aria-sort=\"descending\""), "a reversed order says so");
    assert!(by_name.contains("href=\"/systems?q=he%20thong&#38;sort=code\""), "other headings keep the search");
    // The findings list filtered by a unit's code exports the same (the API takes ids).
    let findings = web.get("/findings?unit=SO-YT&sort=due").await.text().await.unwrap();
    let export = attr(&findings, "export-findings");
    assert!(export.contains(&format!("unit_id={health}")) && !export.contains("unit=SO-YT"), "{export}");
    assert_eq!(web.get(&export).await.status(), 200, "{export}");
}

/// Each list page links to a workbook of what it lists, with its filters (issue 14.6).
#[tokio::test]
async fn every_list_page_exports_what_it_lists() {
    let s = crate::common::TestServer::start().await;
    let web = s.login("admin", crate::common::ADMIN_PASSWORD).await;
    let citizen = khien_store::PublicReportInput {
        category: "agency_incident".into(),
        description: "Trang thông tin của phường bị thay đổi giao diện.".into(),
        ..Default::default()
    };
    let report = s.db.store.submit_public_report(&citizen, &[], "192.0.2.60").await.unwrap();
    let today = s.db.store.clock().today_vn().format("%d/%m/%Y").to_string();
    for (page, id, holds) in [
        ("/users?q=hongbang".to_string(), "export-users", vec!["hongbang.canbo", "Phường Hồng Bàng"]),
        ("/assessments".to_string(), "export-assessments", vec!["Đợt đánh giá"]),
        ("/public-reports".to_string(), "export-public-reports", vec![report.code.as_str(), "thay đổi giao diện"]),
        (format!("/audit?from={today}&to={today}"), "export-audit", vec!["Người thực hiện", "Người dân gửi phản ánh"]),
    ] {
        let html = web.get(&page).await.text().await.unwrap();
        let at = html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("{page} has no #{id}"));
        let tag = &html[html[..at].rfind('<').unwrap()..at];
        let href = tag.split("href=\"").nth(1).unwrap().split('"').next().unwrap().replace("&#38;", "&");
        let r = web.get(&href).await;
        assert_eq!(r.status(), 200, "{href}");
        let text = crate::authz::xlsx_text(&r.bytes().await.unwrap());
        for h in holds {
            assert!(text.contains(h), "{href} lacks {h:?}: {text}");
        }
        if id == "export-users" {
            assert!(!text.contains("sokhcn"), "the search is kept: {text}");
        }
    }
}

/// The overview's table pages its units, the city's total first on every page (issue 14,
/// "no page sends more than 200 KB": a city of 1,000 units made it 420 KB).
#[tokio::test]
async fn the_overview_pages_its_units_with_the_city_total_first() {
    let s = crate::common::TestServer::start().await;
    let admin = admin_actor(&s.db).await;
    // A system in each of 120 units: the overview has a line per unit with systems.
    let units = s.db.store.unit_tree(&admin).await.unwrap();
    for (n, unit) in units.iter().filter(|u| u.parent_id.is_some()).take(120).enumerate() {
        let input = khien_store::SystemInput {
            code: format!("OV-{n:03}"),
            name: format!("Cổng thông tin {n}"),
            owner_unit_id: unit.id,
            system_type: "internal".into(),
            ..Default::default()
        };
        s.db.store.create_system(&admin, &input).await.unwrap();
    }
    let web = s.login("pa05.truong", crate::common::DEMO_PASSWORD).await;
    let first = web.get("/overview").await.text().await.unwrap();
    let rows = |html: &str| {
        html.split("<table id=\"overview\">").nth(1).unwrap().split("</table>").next().unwrap().matches("<tr>").count()
    };
    assert_eq!(rows(&first), 1 + 1 + 100, "the heading, the total, a hundred units");
    let total_at = first.find("Tổng cộng").unwrap();
    assert!(total_at < first.find("href=\"/systems?unit_id=").unwrap(), "the city's total comes first");
    assert!(first.contains("id=\"next-page\"") && !first.contains("id=\"prev-page\""));
    let second = web.get("/overview?cursor=1").await.text().await.unwrap();
    assert!(second.contains("Tổng cộng") && second.contains("id=\"prev-page\""), "the total on every page");
    assert_eq!(rows(&second), 1 + 1 + 20, "the other twenty units");
}
