//! A system's recurring duties by its approved level (issue 15.5): none before approval; a
//! level-3 system's calendar after it (TCVN 14423:2026's periods); a scan import satisfies the
//! scan duty; a duty recorded by hand; overdue duties remind the unit's head and the authority;
//! the authority edits a period and the calendar follows.

use crate::common::{actor, unit_id, TestDb, TestServer, DEMO_PASSWORD};
use crate::systems::{submitted_dossier, ward_system, BASIC_PARTS};
use chrono::TimeDelta;
use khien_domain::system::dossier::DossierAction as A;
use khien_domain::system::obligation::ObligationKind as K;
use khien_domain::{Error, FixedTime};

on_both_stores!(fixed_clock: tcvn_14423_2026_a_level_3_system_has_its_duties_and_a_scan_satisfies_x_7_2_1);

async fn tcvn_14423_2026_a_level_3_system_has_its_duties_and_a_scan_satisfies_x_7_2_1(db: TestDb, time: FixedTime) {
    let s = TestServer::start_on(db).await;
    let db = &s.db;
    let ward = unit_id(db, "P-HONG-BANG").await;
    let officer = actor(db, "hongbang.canbo").await;
    let manager = actor(db, "hongbang.quanly").await;
    let pa05 = actor(db, "pa05.truong").await;
    let input =
        khien_store::SystemInput { security_rules_ref: Some("05/QĐ-UBND".into()), ..ward_system(ward, "HB-NV") };
    let system = db.store.create_system(&officer, &input).await.unwrap();
    // Before approval there is no duty to record.
    let none = db.store.system_obligations(&officer, system.id).await.unwrap();
    assert!(none.level.is_none() && none.duties.is_empty());
    let early = db.store.record_obligation(&officer, system.id, K::LogReview, "02/11/2026", "").await;
    assert!(matches!(early, Err(Error::Invalid { .. })), "{early:?}");
    let d = submitted_dossier(db, &officer, &officer, system.id, 3, &BASIC_PARTS).await;
    db.store.act_on_dossier(&pa05, d.id, A::Appraise, Some("Hồ sơ đạt yêu cầu thẩm định."), None, None).await.unwrap();
    db.store
        .act_on_dossier(
            &manager,
            d.id,
            A::Approve,
            Some("Đồng ý phê duyệt cấp độ đề xuất."),
            Some("12/QĐ-UBND"),
            Some("Chủ tịch"),
        )
        .await
        .unwrap();
    let cal = db.store.system_obligations(&officer, system.id).await.unwrap();
    assert_eq!(cal.level, Some(3));
    assert_eq!(cal.duties.len(), 7, "{:?}", cal.duties);
    let due = |c: &khien_store::SystemObligations, k: K| c.duties.iter().find(|x| x.kind == k).unwrap().clone();
    let scan = due(&cal, K::VulnerabilityScan);
    assert_eq!((scan.months, scan.due_on.as_str(), scan.last_done.as_deref()), (6, "2027-05-02", None));
    assert_eq!(due(&cal, K::IncidentDrill).months, 12);
    // A scan import is the scan duty done.
    let nessus = std::io::Cursor::new(khien_formats::scan::synthetic_nessus(1, 1, 3));
    db.store
        .import_scan(&officer, system.id, khien_formats::scan::ScanTool::Nessus, "quet.nessus", Box::new(nessus))
        .await
        .unwrap();
    // A log review recorded by hand; the future is refused.
    db.store.record_obligation(&officer, system.id, K::LogReview, "01/11/2026", "Rà soát log tháng 10").await.unwrap();
    let future = db.store.record_obligation(&officer, system.id, K::LogReview, "03/12/2026", "").await;
    assert!(matches!(future, Err(Error::Invalid { .. })));
    let viewer = actor(db, "lechan.canbo").await;
    assert!(
        db.store.record_obligation(&viewer, system.id, K::LogReview, "01/11/2026", "").await.is_err(),
        "not another ward"
    );
    let cal = db.store.system_obligations(&officer, system.id).await.unwrap();
    let scan = due(&cal, K::VulnerabilityScan);
    assert_eq!((scan.last_done.as_deref(), scan.due_on.as_str()), (Some("2026-11-02"), "2027-05-02"));
    assert_eq!(cal.recent.iter().filter(|o| o.source == "scan").count(), 1);
    assert_eq!(due(&cal, K::LogReview).due_on, "2027-05-01");
    // A drill recorded in the browser's form (HCM 3131 4.2: at least once a year) is the
    // system's drill done; a refused form keeps what was typed.
    let web = s.login("hongbang.quanly", DEMO_PASSWORD).await;
    let ward_id = ward.to_string();
    let bad = web
        .form(
            "/trainings",
            &[
                ("kind", "drill"),
                ("title", "Diễn tập ransomware"),
                ("held_on", "31/12/2026"),
                ("organiser", &ward_id),
                ("system_codes", "HB-NV"),
            ],
        )
        .await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("Diễn tập ransomware"), "the title is kept");
    let ok = web
        .form(
            "/trainings",
            &[
                ("kind", "drill"),
                ("title", "Diễn tập ransomware"),
                ("held_on", "02/11/2026"),
                ("organiser", &ward_id),
                ("system_codes", "HB-NV"),
                ("participants", "35"),
                ("lessons", "Sao lưu ngoại tuyến chưa đủ."),
            ],
        )
        .await;
    let status = ok.status();
    let body = ok.text().await.unwrap();
    let alert = body.split("role=\"alert\">").nth(1).unwrap_or("").split('<').next().unwrap_or("").to_string();
    assert_eq!(status, 303, "{alert}");
    // The authority's city drill with wards taking part: they see it.
    let root = db.store.root_unit().await.unwrap().unwrap().id;
    let city = khien_store::TrainingInput {
        kind: "drill".into(),
        title: "Diễn tập thực chiến an toàn thông tin mạng thành phố".into(),
        held_on: "2026-11-01".into(),
        organiser_unit_id: root,
        unit_ids: vec![ward, unit_id(db, "P-LE-CHAN").await],
        participants: 120,
        ..Default::default()
    };
    db.store.record_training(&pa05, &city).await.unwrap();
    // Leaving out the demo city's own events (the standing body's drill and campaign with wards).
    let demo = unit_id(db, "CA-PA05").await;
    let seen = |who: khien_domain::scope::Actor| async move {
        let all = db.store.list_trainings(&who, 50).await.unwrap();
        all.into_iter().filter(|t| t.organiser_unit_id != demo).collect::<Vec<_>>()
    };
    let lechan = seen(actor(db, "lechan.canbo").await).await;
    assert_eq!(lechan.len(), 1, "a unit taking part sees the city's drill, not another ward's: {lechan:?}");
    assert_eq!(seen(officer.clone()).await.len(), 2, "the ward sees its own and the city's");
    assert!(seen(actor(db, "soyt.canbo").await).await.is_empty(), "others do not");
    let drill = due(&db.store.system_obligations(&officer, system.id).await.unwrap(), K::IncidentDrill);
    assert_eq!(drill.last_done.as_deref(), Some("2026-11-02"));
    // The system page shows the calendar.
    let web = s.login("hongbang.canbo", DEMO_PASSWORD).await;
    let page = web.get(&format!("/systems/{}", system.id)).await.text().await.unwrap();
    assert!(
        page.contains("id=\"obligation-calendar\"") && page.contains("Rà quét lỗ hổng toàn hệ thống"),
        "the calendar"
    );
    // Seven months on, the scan is overdue: the unit's head and the authority are told, once a day.
    time.advance(TimeDelta::days(212));
    assert!(due(&db.store.system_obligations(&officer, system.id).await.unwrap(), K::VulnerabilityScan).overdue);
    db.store.maintenance().sweep_reminders().await.unwrap();
    db.store.maintenance().sweep_reminders().await.unwrap();
    // The ward's calendar of deadlines lists the overdue duty, as does its calendar file.
    let web = s.login("hongbang.canbo", DEMO_PASSWORD).await;
    let calendar = web.get("/deadlines").await.text().await.unwrap();
    assert!(calendar.contains("id=\"deadlines\"") && calendar.contains("HB-NV «"), "the calendar");
    let ics = web.get("/api/v1/deadlines.ics").await;
    assert!(ics.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));
    let ics = ics.text().await.unwrap().replace("\r\n ", "");
    assert!(ics.contains("BEGIN:VEVENT") && ics.contains("Rà quét lỗ hổng toàn hệ thống"), "{ics}");
    for who in ["hongbang.quanly", "pa05.truong"] {
        let n = db.store.notifications(&actor(db, who).await, 500).await.unwrap();
        assert_eq!(n.iter().filter(|x| x.kind == "obligation_overdue").count(), 1, "{who}: {n:?}");
    }
    // The authority sets the level-3 scan to yearly; the calendar follows; a unit cannot.
    assert!(db.store.set_obligation_rule(&manager, K::VulnerabilityScan, 3, 12).await.is_err());
    db.store.set_obligation_rule(&pa05, K::VulnerabilityScan, 3, 12).await.unwrap();
    let scan = due(&db.store.system_obligations(&officer, system.id).await.unwrap(), K::VulnerabilityScan);
    assert_eq!((scan.months, scan.due_on.as_str(), scan.overdue), (12, "2027-11-02", false));
    let rules = db.store.obligation_rules(&officer).await.unwrap();
    assert!(rules.iter().any(|r| r.kind == K::VulnerabilityScan && r.edited && r.months[2] == 12));
    assert!(matches!(db.store.set_obligation_rule(&pa05, K::LogReview, 3, 61).await, Err(Error::Invalid { .. })));
}
