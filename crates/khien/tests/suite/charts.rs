//! The counts behind the charts, on both stores and a fixed clock: incidents by month in
//! Vietnam time, within the caller's scope.

use crate::common::{actor, bootstrap, unit_id, TestDb};
use chrono::NaiveDate;
use khien_domain::time::rfc3339;
use khien_domain::FixedTime;
use khien_store::{IncidentInput, IncidentMonths};

on_both_stores!(fixed_clock: incidents_by_month_cut_months_at_midnight_in_vietnam_within_scope);

/// 00:00 on `day` in Vietnam plus `minutes`, as UTC milliseconds.
fn vn(day: &str, minutes: i64) -> i64 {
    let d = NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
    khien_domain::calendar::start_of_day_vn(d) + minutes * 60_000
}

async fn incidents_by_month_cut_months_at_midnight_in_vietnam_within_scope(db: TestDb, time: FixedTime) {
    bootstrap(&db, true).await;
    let ward = unit_id(&db, "P-HONG-BANG").await;
    let officer = actor(&db, "hongbang.canbo").await;
    let neighbour = actor(&db, "lechan.canbo").await;
    let authority = actor(&db, "pa05.canbo").await;
    let report = |title: &str, category: &str, detected: i64| IncidentInput {
        unit_id: ward,
        title: title.into(),
        category: category.into(),
        detected_at: rfc3339(detected),
        symptoms: Some("Tệp bị mã hóa".into()),
        ..Default::default()
    };
    // The demo city has incidents of its own: compare the counts before and after, at the same
    // moments.
    let (now, later_on) = (vn("2026-12-06", 9 * 60), vn("2027-01-05", 0));
    time.set(now);
    let before = db.store.incidents_by_month(&authority, 3).await.unwrap();
    let ward_before = db.store.incidents_by_month(&officer, 3).await.unwrap();
    let neighbour_before = db.store.incidents_by_month(&neighbour, 3).await.unwrap();
    time.set(later_on);
    let later_before = db.store.incidents_by_month(&authority, 2).await.unwrap();
    // Reported at 23:30 on 30/11 and at 00:30 on 1/12, Vietnam time: both fall on 30/11 in UTC,
    // but in two months here.
    for (at, title, category) in [
        (vn("2026-11-30", 23 * 60 + 30), "Mã hóa máy chủ một cửa", "ransomware"),
        (vn("2026-12-01", 30), "Mã hóa máy trạm", "ransomware"),
        (vn("2026-12-01", 45), "Thư giả mạo", "phishing"),
    ] {
        time.set(at);
        db.store.create_incident(&officer, &report(title, category, at - 600_000)).await.unwrap();
    }
    time.set(now);
    let seen = db.store.incidents_by_month(&authority, 3).await.unwrap();
    let firsts: Vec<String> = seen.months.iter().map(|m| m.to_string()).collect();
    assert_eq!(firsts, ["2026-10-01", "2026-11-01", "2026-12-01"]);
    assert_eq!(added(&before, &seen), [("phishing", vec![0, 0, 1]), ("ransomware", vec![0, 1, 1])]);
    let ward = db.store.incidents_by_month(&officer, 3).await.unwrap();
    assert_eq!(added(&ward_before, &ward), added(&before, &seen), "the ward counts its own incidents");
    let other = db.store.incidents_by_month(&neighbour, 3).await.unwrap();
    assert_eq!(other, neighbour_before, "another ward counts none of them");
    // A month later the November incident has left a two-month window.
    time.set(later_on);
    let later = db.store.incidents_by_month(&authority, 2).await.unwrap();
    assert_eq!(added(&later_before, &later), [("phishing", vec![1, 0]), ("ransomware", vec![1, 0])]);
}

/// What `after` counts more than `before`, by category and month (only categories that grew).
fn added(before: &IncidentMonths, after: &IncidentMonths) -> Vec<(&'static str, Vec<i64>)> {
    assert_eq!(before.months, after.months);
    after
        .by_category
        .iter()
        .map(|(category, counts)| {
            let old = before.by_category.iter().find(|(c, _)| c == category).map(|(_, v)| v.clone());
            let old = old.unwrap_or_else(|| vec![0; counts.len()]);
            (category.code(), counts.iter().zip(old).map(|(a, b)| a - b).collect::<Vec<i64>>())
        })
        .filter(|(_, grew)| grew.iter().any(|n| *n != 0))
        .collect()
}

on_both_stores!(findings_by_severity_count_open_and_overdue_within_scope);

/// The remediation dashboard's severity counts: every severity, most severe first, open and
/// overdue, only within the caller's reach; the page draws them with the city total first.
async fn findings_by_severity_count_open_and_overdue_within_scope(db: TestDb) {
    bootstrap(&db, true).await;
    let officer = actor(&db, "hongbang.canbo").await;
    let input = khien_store::SystemInput {
        code: "HB-SCAN".into(),
        name: "Cổng thông tin phường".into(),
        owner_unit_id: unit_id(&db, "P-HONG-BANG").await,
        system_type: "internal".into(),
        ..Default::default()
    };
    let sys = db.store.create_system(&officer, &input).await.unwrap();
    let scan = std::io::Cursor::new(khien_formats::scan::synthetic_nessus(1, 6, 4));
    let tool = khien_formats::scan::ScanTool::Nessus;
    db.store.import_scan(&officer, sys.id, tool, "quet.nessus", Box::new(scan)).await.unwrap();
    let mine = db.store.finding_severity_counts(&officer).await.unwrap();
    assert_eq!(mine.first().map(|c| c.0.code()), Some("critical"), "most severe first: {mine:?}");
    assert_eq!(mine.len(), khien_domain::finding::Severity::ALL.len());
    let open: i64 = mine.iter().map(|c| c.1).sum();
    let listed = db.store.finding_counts(&officer).await.unwrap();
    assert_eq!(open, listed.iter().map(|u| u.open).sum::<i64>(), "the same open findings as the table");
    assert!(mine.iter().all(|c| c.2 <= c.1));
    let neighbour = db.store.finding_severity_counts(&actor(&db, "lechan.canbo").await).await.unwrap();
    assert!(neighbour.iter().all(|c| c.1 == 0), "another ward sees none: {neighbour:?}");
}

#[tokio::test]
async fn the_findings_dashboard_draws_the_city_total_first() {
    let server = crate::common::TestServer::start().await;
    let authority = server.login("pa05.canbo", crate::common::DEMO_PASSWORD).await;
    let html = authority.get("/findings/dashboard").await.text().await.unwrap();
    let charts = html.split("id=\"findings-charts\"").nth(1).expect("the charts section");
    assert!(charts.contains("<svg"), "drawn");
    // The table of the first chart: its header row, then the first category's.
    let first_row = charts.split("class=\"chart-table\"").nth(1).and_then(|t| t.split("</tr>").nth(1)).unwrap_or("");
    assert!(first_row.contains("Toàn thành phố"), "the city total is the first row: {first_row}");
    assert!(charts.contains("Nghiêm trọng") && charts.contains("30 ngày"), "severity and trend charts");
}
