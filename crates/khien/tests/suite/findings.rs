//! Findings on both stores: a Nessus report streams in with deadlines from the policy, a
//! re-import adds no duplicates, a newer scan closes what is gone and reopens what returned,
//! the lifecycle checks who moves it, a risk acceptance needs a reason and an expiry, a bad
//! file leaves nothing, and another unit sees none of it.

use crate::common::{actor, bootstrap, unit_id, TestDb};
use khien_domain::Error;
use khien_formats::scan::{synthetic_nessus, ScanTool};
use khien_store::{FindingFilter, FindingMoveInput, SystemInput};

on_both_stores!(scans_import_dedupe_close_and_reopen);

fn reader(bytes: Vec<u8>) -> Box<dyn std::io::BufRead + Send> {
    Box::new(std::io::Cursor::new(bytes))
}

fn moving(to: &str, reason: Option<&str>, until: Option<&str>) -> FindingMoveInput {
    FindingMoveInput { to: to.into(), reason: reason.map(str::to_string), accepted_until: until.map(str::to_string) }
}

async fn scans_import_dedupe_close_and_reopen(db: TestDb) {
    bootstrap(&db, true).await;
    let officer = actor(&db, "hongbang.quanly").await;
    let neighbour = actor(&db, "sokhcn.quanly").await;
    let authority = actor(&db, "pa05.canbo").await;
    let ward = unit_id(&db, "P-HONG-BANG").await;
    let input = SystemInput {
        code: "HB-DVC".into(),
        name: "Cổng dịch vụ công phường Hồng Bàng".into(),
        owner_unit_id: ward,
        system_type: "public_service".into(),
        status: Some(khien_domain::system::Lifecycle::Building),
        ..Default::default()
    };
    let system = db.store.create_system(&officer, &input).await.unwrap();
    let all = |system_id| FindingFilter {
        system_id: Some(system_id),
        include_closed: true,
        limit: 200,
        ..Default::default()
    };

    // 4 hosts × 30 items, then the same file again: nothing new.
    let file = synthetic_nessus(4, 30, 7);
    let first = db
        .store
        .import_scan(&officer, system.id, ScanTool::Nessus, "quet-thang-11.nessus", reader(file.clone()))
        .await
        .unwrap();
    assert_eq!((first.findings, first.created, first.closed), (120, 120 - first.duplicates, 0));
    let again = db
        .store
        .import_scan(&officer, system.id, ScanTool::Nessus, "quet-thang-11.nessus", reader(file.clone()))
        .await
        .unwrap();
    assert_eq!((again.created, again.seen_again, again.closed), (0, first.created, 0));
    let listed = db.store.list_findings(&officer, &all(system.id)).await.unwrap();
    assert_eq!(listed.items.len() as i64, first.created);
    let critical = listed.items.iter().find(|f| f.severity == "critical").expect("a critical finding");
    assert!(critical.due_at.is_some() && !critical.overdue, "a deadline from the policy");
    assert!(listed.items.iter().filter(|f| f.severity == "info").all(|f| f.due_at.is_none()));

    // The unit fixes one; the authority verifies it; a scan that still finds it reopens it.
    let id = critical.id;
    assert!(matches!(
        db.store.move_finding(&officer, id, &moving("verified", None, None)).await,
        Err(Error::Conflict(_))
    ));
    db.store.move_finding(&officer, id, &moving("in_remediation", None, None)).await.unwrap();
    db.store.move_finding(&officer, id, &moving("fixed", None, None)).await.unwrap();
    assert!(
        matches!(db.store.move_finding(&officer, id, &moving("verified", None, None)).await, Err(Error::Forbidden(_))),
        "the unit does not verify its own fix"
    );
    assert_eq!(db.store.move_finding(&authority, id, &moving("verified", None, None)).await.unwrap().state, "verified");

    // A risk acceptance needs a reason and an expiry within a year.
    let other = listed.items.iter().find(|f| f.id != id && f.severity == "high").expect("a high finding").id;
    let e = db
        .store
        .move_finding(&authority, other, &moving("risk_accepted", Some("Hệ thống cũ, thay thế quý 2"), None))
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("accepted_until"));
    assert_eq!(
        db.store
            .move_finding(&officer, other, &moving("risk_accepted", Some("Hệ thống cũ"), Some("2099-01-01")))
            .await
            .unwrap_err()
            .field(),
        Some("accepted_until")
    );
    let until = (db.store.clock().today_vn() + chrono::Duration::days(90)).format("%d/%m/%Y").to_string();
    let accepted = db
        .store
        .move_finding(&officer, other, &moving("risk_accepted", Some("Hệ thống cũ, thay thế quý 2"), Some(&until)))
        .await
        .unwrap();
    assert_eq!((accepted.state.code(), accepted.accepted_by.is_some()), ("risk_accepted", true));

    // A newer scan of the same hosts without its last item: that finding alone is gone — and
    // since the ward ran the scan itself, it is "fixed", awaiting verification, not verified.
    let text = String::from_utf8(file.clone()).unwrap();
    let start = text.rfind("<ReportItem").unwrap();
    let end = start + text[start..].find("</ReportItem>").unwrap() + "</ReportItem>".len();
    let fewer = format!("{}{}", &text[..start], &text[end..]).into_bytes();
    let third = db
        .store
        .import_scan(&officer, system.id, ScanTool::Nessus, "quet-thang-12.nessus", reader(fewer))
        .await
        .unwrap();
    assert_eq!((third.created, third.closed), (0, 1), "{third:?}");
    let gone = db
        .store
        .list_findings(&officer, &all(system.id))
        .await
        .unwrap()
        .items
        .into_iter()
        .filter(|f| f.state == "fixed")
        .count();
    assert_eq!(gone, 1);
    // A scan of the first host only says nothing of the others: none of theirs closes; the
    // verified critical one (if on the first host) comes back.
    let smaller = synthetic_nessus(1, 30, 7);
    let fourth = db
        .store
        .import_scan(&officer, system.id, ScanTool::Nessus, "quet-thang-12b.nessus", reader(smaller))
        .await
        .unwrap();
    assert_eq!((fourth.created, fourth.closed), (0, 0), "{fourth:?}");
    let after = db.store.get_finding(&officer, id).await.unwrap();
    if fourth.reopened > 0 {
        assert_eq!(after.state, "open");
    }

    // A truncated file: an error naming the place, nothing written.
    let before = db.store.list_findings(&officer, &all(system.id)).await.unwrap().items.len();
    let mut cut = synthetic_nessus(2, 10, 9);
    cut.truncate(cut.len() / 2);
    let e = db.store.import_scan(&officer, system.id, ScanTool::Nessus, "hong.nessus", reader(cut)).await.unwrap_err();
    assert!(e.message(khien_domain::Lang::Vi).contains("hong.nessus"), "{e:?}");
    assert_eq!(db.store.list_findings(&officer, &all(system.id)).await.unwrap().items.len(), before);

    // Another ward sees nothing and imports nothing here.
    assert!(db.store.list_findings(&neighbour, &all(system.id)).await.unwrap().items.is_empty());
    assert!(matches!(db.store.get_finding(&neighbour, id).await, Err(Error::NotFound(_))));
    assert!(matches!(
        db.store
            .import_scan(&neighbour, system.id, ScanTool::Nessus, "x.nessus", reader(synthetic_nessus(1, 1, 1)))
            .await,
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        db.store.move_finding(&neighbour, id, &moving("in_remediation", None, None)).await,
        Err(Error::NotFound(_))
    ));
    let counts = db.store.finding_counts(&authority).await.unwrap();
    assert!(counts.iter().any(|c| c.unit_id == system.owner_unit_id && c.open > 0));
}

/// Every scanner report in ../shared/data imports into a system, twice without duplicates.
#[tokio::test]
async fn every_shared_scanner_report_imports_and_reimports() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/scanners");
    if !root.exists() {
        println!("SKIPPED: {} is absent, so the real scanner reports were not imported", root.display());
        return;
    }
    let db = crate::common::sqlite().await;
    bootstrap(&db, true).await;
    let officer = actor(&db, "hongbang.quanly").await;
    let ward = unit_id(&db, "P-HONG-BANG").await;
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .flat_map(|d| std::fs::read_dir(d.unwrap().path()).unwrap())
        .map(|f| f.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 14, "{files:?}");
    for (n, path) in files.iter().enumerate() {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let input = SystemInput {
            code: format!("HB-SCAN-{n}"),
            name: format!("Hệ thống quét {n}"),
            owner_unit_id: ward,
            system_type: "internal".into(),
            ..Default::default()
        };
        let system = db.store.create_system(&officer, &input).await.unwrap();
        let bytes = std::fs::read(path).unwrap();
        let head = &bytes[..bytes.len().min(4096)];
        let tool = ScanTool::detect(&name, head).unwrap_or_else(|| panic!("{name}: tool not recognised"));
        let first = db
            .store
            .import_scan(&officer, system.id, tool, &name, reader(bytes.clone()))
            .await
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert!(first.findings > 0 && first.created > 0, "{name}: {first:?}");
        let again = db.store.import_scan(&officer, system.id, tool, &name, reader(bytes)).await.unwrap();
        assert_eq!((again.created, again.closed, again.seen_again), (0, 0, first.created), "{name}");
    }
}
