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
        status: Some("building".into()),
        ..Default::default()
    };
    let system = db.store.create_system(&officer, &input).await.unwrap();
    let all = |system_id| FindingFilter { system_id: Some(system_id), include_closed: true, limit: 200, ..Default::default() };

    // 4 hosts × 30 items, then the same file again: nothing new.
    let file = synthetic_nessus(4, 30, 7);
    let first = db.store.import_scan(&officer, system.id, ScanTool::Nessus, "quet-thang-11.nessus", reader(file.clone())).await.unwrap();
    assert_eq!((first.findings, first.created, first.closed), (120, 120 - first.duplicates, 0));
    let again = db.store.import_scan(&officer, system.id, ScanTool::Nessus, "quet-thang-11.nessus", reader(file)).await.unwrap();
    assert_eq!((again.created, again.seen_again, again.closed), (0, first.created, 0));
    let listed = db.store.list_findings(&officer, &all(system.id)).await.unwrap();
    assert_eq!(listed.items.len() as i64, first.created);
    let critical = listed.items.iter().find(|f| f.severity == "critical").expect("a critical finding");
    assert!(critical.due_at.is_some() && !critical.overdue, "a deadline from the policy");
    assert!(listed.items.iter().filter(|f| f.severity == "info").all(|f| f.due_at.is_none()));

    // The unit fixes one; the authority verifies it; a scan that still finds it reopens it.
    let id = critical.id;
    assert!(matches!(db.store.move_finding(&officer, id, &moving("verified", None, None)).await, Err(Error::Conflict(_))));
    db.store.move_finding(&officer, id, &moving("in_remediation", None, None)).await.unwrap();
    db.store.move_finding(&officer, id, &moving("fixed", None, None)).await.unwrap();
    assert!(matches!(db.store.move_finding(&officer, id, &moving("verified", None, None)).await, Err(Error::Forbidden(_))), "the unit does not verify its own fix");
    assert_eq!(db.store.move_finding(&authority, id, &moving("verified", None, None)).await.unwrap().state, "verified");

    // A risk acceptance needs a reason and an expiry within a year.
    let other = listed.items.iter().find(|f| f.id != id && f.severity == "high").expect("a high finding").id;
    let e = db.store.move_finding(&authority, other, &moving("risk_accepted", Some("Hệ thống cũ, thay thế quý 2"), None)).await.unwrap_err();
    assert_eq!(e.field(), Some("accepted_until"));
    assert_eq!(db.store.move_finding(&officer, other, &moving("risk_accepted", Some("Hệ thống cũ"), Some("2099-01-01"))).await.unwrap_err().field(), Some("accepted_until"));
    let until = (chrono::Utc::now() + chrono::Duration::days(90)).format("%d/%m/%Y").to_string();
    let accepted = db.store.move_finding(&officer, other, &moving("risk_accepted", Some("Hệ thống cũ, thay thế quý 2"), Some(&until))).await.unwrap();
    assert_eq!((accepted.state.as_str(), accepted.accepted_by.is_some()), ("risk_accepted", true));

    // A newer scan with only the first host: the other hosts' findings close, the verified
    // critical one (if on the first host) comes back.
    let smaller = synthetic_nessus(1, 30, 7);
    let third = db.store.import_scan(&officer, system.id, ScanTool::Nessus, "quet-thang-12.nessus", reader(smaller)).await.unwrap();
    assert_eq!(third.created, 0);
    assert!(third.closed > 0, "{third:?}");
    let after = db.store.get_finding(&officer, id).await.unwrap();
    if third.reopened > 0 {
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
    assert!(matches!(db.store.import_scan(&neighbour, system.id, ScanTool::Nessus, "x.nessus", reader(synthetic_nessus(1, 1, 1))).await, Err(Error::NotFound(_))));
    assert!(matches!(db.store.move_finding(&neighbour, id, &moving("in_remediation", None, None)).await, Err(Error::NotFound(_))));
    let counts = db.store.finding_counts(&authority).await.unwrap();
    assert!(counts.iter().any(|c| c.unit_id == system.owner_unit_id && c.open > 0));
}
