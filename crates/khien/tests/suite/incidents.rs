//! Incidents on both stores: the report checks, the clocks, who moves the lifecycle, tasks,
//! reports, "where else", merging, and scope.

use crate::common::{actor, bootstrap, unit_id, TestDb};
use khien_domain::incident::{ReportKind, State, TaskState};
use khien_domain::time::rfc3339;
use khien_domain::Error;
use khien_store::{IncidentFilter, IncidentInput, ObservableInput, TaskInput};

on_both_stores!(
    incident_lifecycle_clocks_and_scope,
    the_standing_body_sets_the_reporting_deadlines,
    nd331_d31_2_d_and_luat_91_d23_clocks_and_the_initial_reports_fields
);

const HOUR: i64 = 3_600_000;

/// These stores read the machine's clock.
fn report(unit: i64, title: &str, detected_hours_ago: i64, ip: &str) -> IncidentInput {
    IncidentInput {
        unit_id: unit,
        title: title.into(),
        category: "ransomware".into(),
        detected_at: rfc3339(khien_domain::Clock::System.now_ms() - detected_hours_ago * HOUR),
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
        (
            IncidentInput {
                detected_at: rfc3339(db.store.clock().now_ms() + 2 * HOUR),
                ..report(ward, "x", 0, "10.0.0.1")
            },
            "detected_at",
        ),
        (
            IncidentInput {
                reported_at: Some(rfc3339(db.store.clock().now_ms() - 10 * HOUR)),
                ..report(ward, "x", 2, "10.0.0.1")
            },
            "reported_at",
        ),
        (IncidentInput { system_ids: vec![999_999], ..report(ward, "x", 2, "10.0.0.1") }, "system_ids"),
        (IncidentInput { category: "alien".into(), ..report(ward, "x", 2, "10.0.0.1") }, "category"),
        (IncidentInput { detected_at: "hôm qua".into(), ..report(ward, "x", 2, "10.0.0.1") }, "detected_at"),
        (report(ward, "x", 2, "300.1.1.1"), "value"),
    ] {
        let err = db.store.create_incident(&officer, &bad).await.unwrap_err();
        assert_eq!(err.field(), Some(field), "{err:?}");
    }
    assert!(matches!(
        db.store.create_incident(&neighbour, &report(ward, "x", 2, "10.0.0.1")).await,
        Err(Error::NotFound(_) | Error::Forbidden(_))
    ));
    assert_eq!(db.store.audit_count().await.unwrap(), before, "nothing half stored");

    // Detected 80 hours ago and no report yet: under NĐ 331 Đ31.2.d the 72-hour report on cause,
    // scope and remediation is overdue; an incident that is not serious has no 24-hour clock.
    let inc = db
        .store
        .create_incident(&officer, &report(ward, "Mã độc tống tiền máy chủ một cửa", 80, "203.0.113.9"))
        .await
        .unwrap();
    assert!(inc.code.starts_with("SC-20"), "{}", inc.code);
    assert_eq!(inc.state, "received");
    let status =
        |i: &khien_store::Incident, k: &str| format!("{:?}", i.clocks.iter().find(|c| c.kind == k).unwrap().status);
    assert_eq!(status(&inc, "initial"), "Waiting");
    assert_eq!(status(&inc, "cause"), "Overdue");
    assert_eq!(status(&inc, "closing"), "Waiting");
    assert_eq!(status(&inc, "notice"), "Waiting", "QĐ 05's 5-day notice is not NĐ 331's");
    assert!(inc.overdue);
    let overdue = db
        .store
        .list_incidents(&authority, &IncidentFilter { overdue: true, limit: 50, ..Default::default() })
        .await
        .unwrap();
    assert!(overdue.items.iter().any(|i| i.id == inc.id));
    let folded = db
        .store
        .list_incidents(
            &officer,
            &IncidentFilter { q: Some("ma doc tong tien".into()), limit: 50, ..Default::default() },
        )
        .await
        .unwrap();
    assert!(folded.items.iter().any(|i| i.id == inc.id), "search without diacritics");
    // The neighbour ward neither lists nor opens it.
    let theirs = db
        .store
        .list_incidents(&neighbour, &IncidentFilter { include_closed: true, limit: 200, ..Default::default() })
        .await
        .unwrap();
    assert!(theirs.items.iter().all(|i| i.unit_id == other_ward), "the neighbour lists only its own incidents");
    assert!(matches!(db.store.get_incident(&neighbour, inc.id).await, Err(Error::NotFound(_))));

    // Filed late: met late. The unit triages its own incident (TT 20/2017 Đ11), one step at a time.
    db.store
        .file_incident_report(
            &officer,
            inc.id,
            ReportKind::Progress,
            "Nguyên nhân: lỗ hổng VPN; phạm vi: 3 máy chủ; đã khôi phục.",
        )
        .await
        .unwrap();
    let d = db.store.get_incident(&officer, inc.id).await.unwrap();
    assert_eq!(status(&d.incident, "cause"), "MetLate");
    assert!(!d.incident.overdue);
    assert!(
        matches!(db.store.move_incident(&authority, inc.id, State::Recovering, None).await, Err(Error::Conflict(_))),
        "one step at a time"
    );
    db.store.move_incident(&officer, inc.id, State::Triaged, Some("Xác minh đúng là mã độc tống tiền")).await.unwrap();

    // A task for the neighbour ward's people (a member of the response network): they see the
    // incident through it, and finish it.
    crate::network::make_member(&db, other_ward).await;
    let task = db
        .store
        .add_incident_task(
            &authority,
            inc.id,
            &TaskInput {
                unit_id: other_ward,
                title: "Rà soát máy trạm cùng dải mạng".into(),
                due_on: Some("31/12/2026".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(matches!(
        db.store
            .add_incident_task(&officer, inc.id, &TaskInput { unit_id: ward, title: "x".into(), ..Default::default() })
            .await,
        Err(Error::Forbidden(_))
    ));
    assert_eq!(db.store.get_incident(&neighbour, inc.id).await.unwrap().incident.id, inc.id);
    // The "Done" button is offered to whom the store lets finish the task: the neighbour ward
    // whose task it is and the co-ordinator, not the reporting ward.
    let may_finish = |d: &khien_store::IncidentDetail| d.tasks.iter().find(|t| t.id == task.id).map(|t| t.may_finish);
    assert_eq!(may_finish(&db.store.get_incident(&neighbour, inc.id).await.unwrap()), Some(true));
    assert_eq!(may_finish(&db.store.get_incident(&authority, inc.id).await.unwrap()), Some(true));
    assert_eq!(may_finish(&db.store.get_incident(&officer, inc.id).await.unwrap()), Some(false));
    assert!(matches!(db.store.set_task_state(&officer, task.id, TaskState::Done).await, Err(Error::Forbidden(_))));
    assert!(matches!(
        db.store.move_incident(&neighbour, inc.id, State::Containing, None).await,
        Err(Error::Forbidden(_))
    ));
    assert_eq!(db.store.set_task_state(&neighbour, task.id, TaskState::Done).await.unwrap().state, "done");

    for to in ["containing", "recovering", "reviewing"] {
        db.store.move_incident(&officer, inc.id, State::parse("state", to).unwrap(), None).await.unwrap();
    }
    let d = db.store.get_incident(&officer, inc.id).await.unwrap();
    assert!(d.incident.contained_at.is_some() && d.incident.response_ended_at.is_some());
    assert_eq!(
        status(&d.incident, "closing"),
        "Waiting",
        "NĐ 331 sets no closing deadline (QĐ 05's 5 days are the legacy rule)"
    );
    assert!(matches!(db.store.move_incident(&officer, inc.id, State::Closed, None).await, Err(Error::Forbidden(_))));
    db.store.file_incident_report(&officer, inc.id, ReportKind::Closing, "Đã khôi phục từ bản sao lưu.").await.unwrap();
    let closed = db.store.move_incident(&authority, inc.id, State::Closed, None).await.unwrap();
    assert_eq!(closed.state, "closed");
    assert_eq!(status(&closed, "closing"), "Met");

    // Serious by hand needs a reason; the unit may not lower it again.
    let second = db
        .store
        .create_incident(&neighbour, &report(other_ward, "Cùng địa chỉ IP tấn công", 1, "203.0.113.9"))
        .await
        .unwrap();
    assert_eq!(
        db.store.set_incident_severity(&neighbour, second.id, true, 1, "ok").await.unwrap_err().field(),
        Some("reason")
    );
    let serious =
        db.store.set_incident_severity(&neighbour, second.id, true, 1, "Lan sang hệ thống cấp độ 4").await.unwrap();
    assert!(serious.serious);
    let due = serious.clocks.iter().find(|c| c.kind == "initial").unwrap().due_at.unwrap();
    assert_eq!(
        due,
        serious.detected_at + 24 * HOUR,
        "NĐ 331 Đ31.2.d: a serious incident's initial notice within 24 h of detection"
    );
    assert!(matches!(
        db.store.set_incident_severity(&neighbour, second.id, false, 1, "Hạ mức nghiêm trọng").await,
        Err(Error::Forbidden(_))
    ));

    // Where else: the authority sees both sightings, each ward its own.
    assert_eq!(db.store.find_observable(&authority, None, " 203.0.113.9 ").await.unwrap().incidents.len(), 2);
    assert_eq!(db.store.find_observable(&officer, Some("ipv4"), "203.0.113.9").await.unwrap().incidents.len(), 1);

    // A duplicate merged into the first.
    let dup = db
        .store
        .create_incident(&officer, &report(ward, "Trùng: máy chủ một cửa bị mã hóa", 29, "203.0.113.9"))
        .await
        .unwrap();
    assert!(matches!(db.store.link_incidents(&officer, dup.id, inc.id, true).await, Err(Error::Forbidden(_))));
    db.store.link_incidents(&authority, dup.id, inc.id, true).await.unwrap();
    let d = db.store.get_incident(&authority, dup.id).await.unwrap();
    assert_eq!((d.incident.state.code(), d.incident.merged_into), ("closed", Some(inc.id)));
    assert_eq!(d.related.len(), 1);
    assert!(db.store.maintenance().verify_audit_chain().await.unwrap().is_ok());
}

/// NĐ 331 Đ31.2.d has no 24-hour clock for an incident that is not serious, so one detected 30
/// hours ago is not late; a city that wants its own 24-hour report to its police (Hải Phòng's
/// plan V.1.9) turns it on — only the standing body may — and then it is.
async fn the_standing_body_sets_the_reporting_deadlines(db: TestDb) {
    bootstrap(&db, true).await;
    let ward = unit_id(&db, "P-HONG-BANG").await;
    let officer = actor(&db, "hongbang.canbo").await;
    let pa05 = actor(&db, "pa05.truong").await;
    let inc =
        db.store.create_incident(&officer, &report(ward, "Thư giả mạo lãnh đạo", 30, "198.51.100.9")).await.unwrap();
    assert!(!inc.overdue, "{:?}", inc.clocks);
    let cause = inc.clocks.iter().find(|c| c.kind == "cause").unwrap();
    assert_eq!(cause.due_at, Some(inc.detected_at + 72 * 3_600_000), "NĐ 331 Đ31.2.d: 72 h for every incident");
    assert!(inc.clocks.iter().find(|c| c.kind == "city").unwrap().due_at.is_none(), "no city clock by default");
    let rules = khien_domain::incident::clocks::ClockRules {
        city_hours: Some(24),
        ..khien_domain::incident::clocks::ClockRules::nd331()
    };
    let rulesets = db.store.clock_rules().await.unwrap();
    for (code, _) in &rulesets {
        assert!(matches!(
            db.store.set_clock_rules(&officer, code, &rules).await,
            Err(Error::Forbidden(_) | Error::NotFound(_))
        ));
        let bad = khien_domain::incident::clocks::ClockRules { city_hours: Some(-1), ..rules };
        assert_eq!(db.store.set_clock_rules(&pa05, code, &bad).await.unwrap_err().field(), Some("clock_rules"));
        db.store.set_clock_rules(&pa05, code, &rules).await.unwrap();
    }
    let d = db.store.get_incident(&officer, inc.id).await.unwrap();
    let city = d.incident.clocks.iter().find(|c| c.kind == "city").unwrap();
    assert_eq!(format!("{:?}", city.status), "Overdue");
    assert!(d.incident.overdue);
    assert!(db.store.clock_rules().await.unwrap().iter().all(|(_, r)| r.city_hours == Some(24)));
}

/// Issue 12, items 9–10, through the store: signs of harm to national security start a clock
/// due at once and a personal-data breach one of 72 hours (NĐ 331 Đ31.2.d; Luật 91/2025 Đ23),
/// the breach notice stops the latter, and the initial report keeps the operator's address,
/// the contact's position and the owning body (QĐ 05 Đ11.4).
async fn nd331_d31_2_d_and_luat_91_d23_clocks_and_the_initial_reports_fields(db: TestDb) {
    bootstrap(&db, true).await;
    let ward = unit_id(&db, "P-HONG-BANG").await;
    let officer = actor(&db, "hongbang.canbo").await;
    let input = IncidentInput {
        security_signs: true,
        personal_data_breach: true,
        reporter_position: Some("Phó Chủ tịch UBND phường".into()),
        operator_address: Some("Số 1 Hoàng Văn Thụ, Hồng Bàng".into()),
        owning_body: Some("UBND thành phố".into()),
        // Reported an hour ago: "at once" is then past, whatever the clock's millisecond.
        reported_at: Some(rfc3339(db.store.clock().now_ms() - HOUR)),
        ..report(ward, "Lộ dữ liệu hộ tịch", 2, "203.0.113.77")
    };
    let inc = db.store.create_incident(&officer, &input).await.unwrap();
    let clock = |i: &khien_store::Incident, k: &str| i.clocks.iter().find(|c| c.kind == k).cloned().unwrap();
    let security = clock(&inc, "security");
    assert_eq!(security.due_at, Some(inc.reported_at.max(inc.detected_at)), "at once");
    assert_eq!(format!("{:?}", security.status), "Overdue");
    assert_eq!(clock(&inc, "personal_data").due_at, Some(inc.reported_at + 72 * HOUR));
    assert_eq!(
        (inc.reporter_position.as_deref(), inc.owning_body.as_deref()),
        (Some("Phó Chủ tịch UBND phường"), Some("UBND thành phố"))
    );
    db.store
        .file_incident_report(
            &officer,
            inc.id,
            ReportKind::DataBreachNotice,
            "Đã thông báo cho chủ thể dữ liệu và cơ quan chuyên trách.",
        )
        .await
        .unwrap();
    db.store
        .file_incident_report(&officer, inc.id, ReportKind::Initial, "Báo cáo ngay: dấu hiệu lộ dữ liệu hộ tịch.")
        .await
        .unwrap();
    let d = db.store.get_incident(&officer, inc.id).await.unwrap();
    assert_eq!(format!("{:?}", clock(&d.incident, "personal_data").status), "Met");
    assert_eq!(format!("{:?}", clock(&d.incident, "security").status), "MetLate");
    // A request for direction is a report of its own kind.
    db.store
        .file_incident_report(
            &officer,
            inc.id,
            ReportKind::DirectionRequest,
            "Đề nghị cơ quan thường trực chỉ đạo phối hợp với nhà mạng.",
        )
        .await
        .unwrap();
}
