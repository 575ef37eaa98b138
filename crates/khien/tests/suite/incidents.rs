//! Incidents on both stores: the report checks, the clocks, who moves the lifecycle, tasks,
//! reports, "where else", merging, and scope.

use crate::common::{actor, bootstrap, unit_id, TestDb};
use khien_domain::time::{now_ms, rfc3339};
use khien_domain::Error;
use khien_store::{IncidentFilter, IncidentInput, ObservableInput, TaskInput};

on_both_stores!(incident_lifecycle_clocks_and_scope, the_standing_body_sets_the_reporting_deadlines);

const HOUR: i64 = 3_600_000;

fn report(unit: i64, title: &str, detected_hours_ago: i64, ip: &str) -> IncidentInput {
    IncidentInput {
        unit_id: unit,
        title: title.into(),
        category: "ransomware".into(),
        detected_at: rfc3339(now_ms() - detected_hours_ago * HOUR),
        symptoms: Some("Tệp bị mã hóa, đuôi .lockbit".into()),
        observables: vec![ObservableInput { kind: "ipv4".into(), value: ip.into(), ..Default::default() }],
        ..Default::default()
    }
}

async fn incident_lifecycle_clocks_and_scope(db: TestDb) {
    bootstrap(&db, true).await;
    let ward = unit_id(&db, "P-HONG-BANG").await;
    let other_ward = unit_id(&db, "P-LE-CHAN").await;
    let officer = actor(&db, "hongbang.canbo").await;
    let neighbour = actor(&db, "lechan.canbo").await;
    let authority = actor(&db, "pa05.canbo").await;

    // Bad input: precise errors, nothing stored.
    let before = db.store.audit_count().await.unwrap();
    for (bad, field) in [
        (IncidentInput { detected_at: rfc3339(now_ms() + 2 * HOUR), ..report(ward, "x", 0, "10.0.0.1") }, "detected_at"),
        (IncidentInput { reported_at: Some(rfc3339(now_ms() - 10 * HOUR)), ..report(ward, "x", 2, "10.0.0.1") }, "reported_at"),
        (IncidentInput { system_ids: vec![999_999], ..report(ward, "x", 2, "10.0.0.1") }, "system_ids"),
        (IncidentInput { category: "alien".into(), ..report(ward, "x", 2, "10.0.0.1") }, "category"),
        (IncidentInput { detected_at: "hôm qua".into(), ..report(ward, "x", 2, "10.0.0.1") }, "detected_at"),
        (report(ward, "x", 2, "300.1.1.1"), "value"),
    ] {
        let err = db.store.create_incident(&officer, &bad).await.unwrap_err();
        assert_eq!(err.field(), Some(field), "{err:?}");
    }
    assert!(matches!(db.store.create_incident(&neighbour, &report(ward, "x", 2, "10.0.0.1")).await, Err(Error::NotFound(_) | Error::Forbidden(_))));
    assert_eq!(db.store.audit_count().await.unwrap(), before, "nothing half stored");

    // Detected 30 hours ago and no initial report yet: the 24-hour clock is overdue.
    let inc = db.store.create_incident(&officer, &report(ward, "Mã độc tống tiền máy chủ một cửa", 30, "203.0.113.9")).await.unwrap();
    assert!(inc.code.starts_with("SC-20"), "{}", inc.code);
    assert_eq!(inc.state, "received");
    let status = |i: &khien_store::Incident, k: &str| format!("{:?}", i.clocks.iter().find(|c| c.kind == k).unwrap().status);
    assert_eq!(status(&inc, "initial"), "Overdue");
    assert_eq!(status(&inc, "cause"), "Running");
    assert_eq!(status(&inc, "closing"), "Waiting");
    assert!(inc.overdue);
    let overdue = db.store.list_incidents(&authority, &IncidentFilter { overdue: true, limit: 50, ..Default::default() }).await.unwrap();
    assert!(overdue.items.iter().any(|i| i.id == inc.id));
    let folded = db.store.list_incidents(&officer, &IncidentFilter { q: Some("ma doc tong tien".into()), limit: 50, ..Default::default() }).await.unwrap();
    assert!(folded.items.iter().any(|i| i.id == inc.id), "search without diacritics");
    // The neighbour ward neither lists nor opens it.
    let theirs = db.store.list_incidents(&neighbour, &IncidentFilter { include_closed: true, limit: 200, ..Default::default() }).await.unwrap();
    assert!(theirs.items.iter().all(|i| i.unit_id == other_ward), "the neighbour lists only its own incidents");
    assert!(matches!(db.store.get_incident(&neighbour, inc.id).await, Err(Error::NotFound(_))));

    // Filed late: met late. The unit cannot triage; the authority does.
    db.store.file_incident_report(&officer, inc.id, "initial", "Báo cáo ban đầu: 3 máy chủ bị mã hóa.").await.unwrap();
    let d = db.store.get_incident(&officer, inc.id).await.unwrap();
    assert_eq!(status(&d.incident, "initial"), "MetLate");
    assert!(!d.incident.overdue, "the 72-hour clock is still running");
    assert!(matches!(db.store.move_incident(&officer, inc.id, "triaged", None).await, Err(Error::Forbidden(_))));
    assert!(matches!(db.store.move_incident(&authority, inc.id, "recovering", None).await, Err(Error::Conflict(_))), "one step at a time");
    db.store.move_incident(&authority, inc.id, "triaged", Some("Xác minh đúng là mã độc tống tiền")).await.unwrap();

    // A task for the neighbour ward's people: they see the incident through it, and finish it.
    let task = db.store.add_incident_task(&authority, inc.id, &TaskInput { unit_id: other_ward, title: "Rà soát máy trạm cùng dải mạng".into(), due_on: Some("31/12/2026".into()), ..Default::default() }).await.unwrap();
    assert!(matches!(db.store.add_incident_task(&officer, inc.id, &TaskInput { unit_id: ward, title: "x".into(), ..Default::default() }).await, Err(Error::Forbidden(_))));
    assert_eq!(db.store.get_incident(&neighbour, inc.id).await.unwrap().incident.id, inc.id);
    assert!(matches!(db.store.move_incident(&neighbour, inc.id, "containing", None).await, Err(Error::Forbidden(_))));
    assert_eq!(db.store.set_task_state(&neighbour, task.id, "done").await.unwrap().state, "done");

    for to in ["containing", "recovering", "reviewing"] {
        db.store.move_incident(&officer, inc.id, to, None).await.unwrap();
    }
    let d = db.store.get_incident(&officer, inc.id).await.unwrap();
    assert!(d.incident.contained_at.is_some() && d.incident.response_ended_at.is_some());
    assert_eq!(status(&d.incident, "closing"), "Running", "5 days from the end of the response");
    assert!(matches!(db.store.move_incident(&officer, inc.id, "closed", None).await, Err(Error::Forbidden(_))));
    db.store.file_incident_report(&officer, inc.id, "closing", "Đã khôi phục từ bản sao lưu.").await.unwrap();
    let closed = db.store.move_incident(&authority, inc.id, "closed", None).await.unwrap();
    assert_eq!(closed.state, "closed");
    assert_eq!(status(&closed, "closing"), "Met");

    // Serious by hand needs a reason; the unit may not lower it again.
    let second = db.store.create_incident(&neighbour, &report(other_ward, "Cùng địa chỉ IP tấn công", 1, "203.0.113.9")).await.unwrap();
    assert_eq!(db.store.set_incident_severity(&neighbour, second.id, true, 1, "ok").await.unwrap_err().field(), Some("reason"));
    let serious = db.store.set_incident_severity(&neighbour, second.id, true, 1, "Lan sang hệ thống cấp độ 4").await.unwrap();
    assert!(serious.serious);
    let due = serious.clocks.iter().find(|c| c.kind == "initial").unwrap().due_at.unwrap();
    assert!(due <= now_ms() && due > now_ms() - HOUR, "a serious incident is reported at once: due {due}");
    assert!(matches!(db.store.set_incident_severity(&neighbour, second.id, false, 1, "Hạ mức nghiêm trọng").await, Err(Error::Forbidden(_))));

    // Where else: the authority sees both sightings, each ward its own.
    assert_eq!(db.store.find_observable(&authority, None, " 203.0.113.9 ").await.unwrap().incidents.len(), 2);
    assert_eq!(db.store.find_observable(&officer, Some("ipv4"), "203.0.113.9").await.unwrap().incidents.len(), 1);

    // A duplicate merged into the first.
    let dup = db.store.create_incident(&officer, &report(ward, "Trùng: máy chủ một cửa bị mã hóa", 29, "203.0.113.9")).await.unwrap();
    assert!(matches!(db.store.link_incidents(&officer, dup.id, inc.id, true).await, Err(Error::Forbidden(_))));
    db.store.link_incidents(&authority, dup.id, inc.id, true).await.unwrap();
    let d = db.store.get_incident(&authority, dup.id).await.unwrap();
    assert_eq!((d.incident.state.as_str(), d.incident.merged_into), ("closed", Some(inc.id)));
    assert_eq!(d.related.len(), 1);
    assert!(db.store.verify_audit_chain().await.unwrap().is_ok());
}

/// With 48 hours for the initial report, an incident detected 30 hours ago is no longer late;
/// only the standing body may set that.
async fn the_standing_body_sets_the_reporting_deadlines(db: TestDb) {
    bootstrap(&db, true).await;
    let ward = unit_id(&db, "P-HONG-BANG").await;
    let officer = actor(&db, "hongbang.canbo").await;
    let pa05 = actor(&db, "pa05.truong").await;
    let inc = db.store.create_incident(&officer, &report(ward, "Thư giả mạo lãnh đạo", 30, "198.51.100.9")).await.unwrap();
    assert!(inc.overdue);
    let rules = khien_domain::incident::clocks::ClockRules { initial_hours: 48, ..Default::default() };
    let rulesets = db.store.clock_rules().await.unwrap();
    for (code, _) in &rulesets {
        assert!(matches!(db.store.set_clock_rules(&officer, code, &rules).await, Err(Error::Forbidden(_) | Error::NotFound(_))));
        let bad = khien_domain::incident::clocks::ClockRules { initial_hours: -1, ..rules };
        assert_eq!(db.store.set_clock_rules(&pa05, code, &bad).await.unwrap_err().field(), Some("clock_rules"));
        db.store.set_clock_rules(&pa05, code, &rules).await.unwrap();
    }
    let d = db.store.get_incident(&officer, inc.id).await.unwrap();
    let initial = d.incident.clocks.iter().find(|c| c.kind == "initial").unwrap();
    assert_eq!(format!("{:?}", initial.status), "Running");
    assert!(db.store.clock_rules().await.unwrap().iter().all(|(_, r)| r.initial_hours == 48));
}
