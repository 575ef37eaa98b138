//! "Việc cần xử lý" (issue 14.1): each person's home lists what waits for them, counted exactly,
//! most urgent first; the authority finds a submitted dossier there, the ward finds the return;
//! administrators and people of other units are not waited for.

use crate::common::{actor, bootstrap, unit_id, TestDb, TestServer, DEMO_PASSWORD};
use chrono::TimeDelta;
use khien_domain::scope::Actor;
use khien_domain::system::dossier::DossierAction;
use khien_domain::time::rfc3339;
use khien_domain::worklist::WorkKind;
use khien_domain::FixedTime;
use khien_store::{DossierInput, IncidentInput, SystemInput, WorkSection};

on_both_stores!(fixed_clock: the_work_list_brings_each_side_its_turn);

async fn section(db: &TestDb, who: &Actor, kind: WorkKind) -> Option<WorkSection> {
    db.store.work_list(who).await.unwrap().sections.into_iter().find(|s| s.kind == kind)
}

async fn the_work_list_brings_each_side_its_turn(db: TestDb, time: FixedTime) {
    bootstrap(&db, true).await;
    let ward = unit_id(&db, "P-HONG-BANG").await;
    let officer = actor(&db, "hongbang.canbo").await;
    let authority = actor(&db, "pa05.canbo").await;
    let other_ward = actor(&db, "lechan.canbo").await;
    // A level-3 dossier submitted by the ward waits for the authority's appraisal.
    let sys = SystemInput {
        code: "HB-WORK".into(),
        name: "Cổng dịch vụ công Hồng Bàng".into(),
        owner_unit_id: ward,
        system_type: "public_service".into(),
        admin_procedures: true,
        ..Default::default()
    };
    let sys = db.store.create_system(&officer, &sys).await.unwrap();
    let d = db.store.create_dossier(&officer, sys.id, &DossierInput::default()).await.unwrap();
    let link = format!("/dossiers/{}", d.id);
    let preparing = section(&db, &officer, WorkKind::DossiersToPrepare).await.unwrap();
    assert!(preparing.items.iter().any(|i| i.link == link), "the draft waits for the ward: {preparing:?}");
    let input = DossierInput { proposed_level: 3, level_reason: None };
    db.store.update_dossier(&officer, d.id, &input).await.unwrap();
    crate::common::attach_parts(&db, &officer, d.id, &crate::systems::BASIC_PARTS).await;
    db.store.act_on_dossier(&officer, d.id, DossierAction::Submit, None, None, None).await.unwrap();
    let deciding = section(&db, &authority, WorkKind::DossiersToDecide).await.unwrap();
    let item = deciding.items.iter().find(|i| i.link == link).expect("the authority finds the submitted dossier");
    assert!(item.due_on.is_some() && !item.overdue, "{item:?}");
    assert!(item.what_vi.contains("cấp độ 3"), "{item:?}");
    for who in [&officer, &other_ward] {
        let theirs = section(&db, who, WorkKind::DossiersToDecide).await;
        assert!(theirs.is_none_or(|s| !s.items.iter().any(|i| i.link == link)), "not {}'s turn", who.username);
    }
    // Returned with a comment: back on the ward's list, and the decision is there to read.
    let note = Some("Bổ sung sơ đồ mạng");
    db.store.act_on_dossier(&authority, d.id, DossierAction::Return, note, None, None).await.unwrap();
    let preparing = section(&db, &officer, WorkKind::DossiersToPrepare).await.unwrap();
    assert_eq!(preparing.items.first().map(|i| i.link.as_str()), Some(link.as_str()), "returned ones first");
    let decisions = section(&db, &officer, WorkKind::RecentDecisions).await.unwrap();
    assert!(decisions.items.iter().any(|i| i.link == link && i.what_vi.contains("Trả lại")), "{decisions:?}");
    let others = section(&db, &other_ward, WorkKind::RecentDecisions).await.unwrap();
    assert!(!others.items.iter().any(|i| i.link == link), "another ward does not see it");
    // Twelve incidents in a commune: the count is exact, ten are shown, the nearest clock first.
    let commune = unit_id(&db, "X-AN-LAO").await;
    let anlao = actor(&db, "anlao.canbo").await;
    let before = section(&db, &anlao, WorkKind::IncidentClocks).await.unwrap().total;
    for n in 0..12 {
        let input = IncidentInput {
            unit_id: commune,
            title: format!("Tấn công thử {n}"),
            category: "malware".into(),
            detected_at: rfc3339(time.now_ms()),
            ..Default::default()
        };
        db.store.create_incident(&anlao, &input).await.unwrap();
        time.advance(TimeDelta::minutes(5));
    }
    let clocks = section(&db, &anlao, WorkKind::IncidentClocks).await.unwrap();
    assert_eq!(clocks.total, before + 12);
    assert_eq!(clocks.items.len(), khien_store::WORK_ITEMS_SHOWN);
    let dues: Vec<i64> = clocks.items.iter().map(|i| i.due_at.unwrap()).collect();
    assert!(dues.windows(2).all(|w| w[0] <= w[1]), "nearest first: {dues:?}");
    let city = section(&db, &authority, WorkKind::IncidentClocks).await.unwrap();
    assert!(city.total >= clocks.total, "the authority follows every clock of the city");
    let theirs = section(&db, &other_ward, WorkKind::IncidentClocks).await.unwrap();
    assert!(!theirs.items.iter().any(|i| i.unit_name == clocks.items[0].unit_name), "{theirs:?}");
    // Past the deadlines, the commune is behind and the authority sees it.
    time.advance(TimeDelta::days(30));
    let late = section(&db, &authority, WorkKind::UnitsLate).await.unwrap();
    assert!(late.items.iter().any(|i| i.link == format!("/units/{commune}") && i.what_vi.contains("sự cố quá hạn")));
    // Administrators may do everything but are not waited for; leadership only reads.
    assert!(db.store.work_list(&actor(&db, "quantri").await).await.unwrap().sections.is_empty());
    assert!(db.store.work_list(&actor(&db, "lanhdao").await).await.unwrap().sections.is_empty());
}

/// The home page and the API show the same list; leadership's home has the city's charts.
#[tokio::test]
async fn the_home_page_lists_the_work_and_leadership_sees_charts() {
    let server = TestServer::start().await;
    let authority = server.login("pa05.canbo", DEMO_PASSWORD).await;
    let html = authority.get("/").await.text().await.unwrap();
    assert!(html.contains("Việc cần xử lý") && html.contains("id=\"count-incident_clocks\""), "{html}");
    assert!(!html.contains("500+"));
    let api = authority.get_json("/api/v1/work").await;
    let kinds: Vec<&str> = api["sections"].as_array().unwrap().iter().map(|s| s["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"dossiers_to_decide") && kinds.contains(&"public_reports_to_route"), "{kinds:?}");
    let leader = server.login("lanhdao", DEMO_PASSWORD).await;
    let html = leader.get("/").await.text().await.unwrap();
    assert!(html.contains("id=\"city-summary\"") && html.contains("<svg"), "{html}");
    assert!(html.contains("id=\"nothing-waiting\""));
}
