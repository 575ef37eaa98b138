//! Events that notify (issue 14.2): a submission tells whoever may appraise, a return tells the
//! ward, a new incident tells the authority, a task tells the unit it is given to; the one who
//! acted, administrators and other units are not told; each person chooses which kinds also
//! come by e-mail, and the outbox hands over only those.

use crate::common::{actor, bootstrap, unit_id, TestDb};
use khien_domain::notification::NotificationKind;
use khien_domain::scope::Actor;
use khien_domain::system::dossier::DossierAction;
use khien_domain::time::rfc3339;
use khien_domain::FixedTime;
use khien_store::{DossierInput, EmailPreference, IncidentInput, Notification, SystemInput, TaskInput};

on_both_stores!(fixed_clock: workflow_events_notify_whose_turn_it_is);

async fn told(db: &TestDb, who: &Actor, kind: NotificationKind, link: &str) -> Vec<Notification> {
    let mine = db.store.notifications(who, 500).await.unwrap();
    mine.into_iter().filter(|n| n.kind == kind && n.link == link).collect()
}

async fn workflow_events_notify_whose_turn_it_is(db: TestDb, time: FixedTime) {
    bootstrap(&db, true).await;
    let ward = unit_id(&db, "P-HONG-BANG").await;
    let officer = actor(&db, "hongbang.canbo").await;
    let manager = actor(&db, "hongbang.quanly").await;
    let authority = actor(&db, "pa05.canbo").await;
    let other_ward = actor(&db, "lechan.canbo").await;
    let admin = actor(&db, "quantri").await;
    let sys = SystemInput {
        code: "HB-EVENTS".into(),
        name: "Phần mềm một cửa Hồng Bàng".into(),
        owner_unit_id: ward,
        system_type: "public_service".into(),
        admin_procedures: true,
        ..Default::default()
    };
    let sys = db.store.create_system(&officer, &sys).await.unwrap();
    let d = crate::systems::submitted_dossier(&db, &officer, &officer, sys.id, 3, &crate::systems::BASIC_PARTS).await;
    let link = format!("/dossiers/{}", d.id);
    let submitted = told(&db, &authority, NotificationKind::DossierSubmitted, &link).await;
    let n = submitted.first().expect("the appraiser is told of the submission");
    assert!(n.message_vi.contains("Phần mềm một cửa Hồng Bàng") && n.message_vi.contains("hạn "), "{n:?}");
    for who in [&officer, &other_ward, &admin] {
        assert!(told(&db, who, NotificationKind::DossierSubmitted, &link).await.is_empty(), "{}", who.username);
    }
    db.store
        .act_on_dossier(&authority, d.id, DossierAction::Return, Some("Thiếu sơ đồ mạng"), None, None)
        .await
        .unwrap();
    for who in [&officer, &manager] {
        let returned = told(&db, who, NotificationKind::DossierReturned, &link).await;
        assert!(returned.iter().any(|n| n.message_vi.contains("Thiếu sơ đồ mạng")), "{}: {returned:?}", who.username);
    }
    assert!(told(&db, &authority, NotificationKind::DossierReturned, &link).await.is_empty(), "not the one who acted");
    // The return's opinion is kept, as a letter the ward may read and another ward may not.
    let opinions = db.store.dossier_opinions(&officer, d.id).await.unwrap();
    let written = opinions.iter().find(|o| o.opinion == "Thiếu sơ đồ mạng").expect("the opinion is kept");
    assert!(db.store.dossier_opinion(&officer, written.id).await.is_ok());
    assert!(db.store.dossier_opinion(&other_ward, written.id).await.is_err());
    // A ward reports an incident: the authority hears of it; the authority gives another ward a task.
    let input = IncidentInput {
        unit_id: ward,
        title: "Lộ lọt tài khoản".into(),
        category: "malware".into(),
        detected_at: rfc3339(time.now_ms()),
        ..Default::default()
    };
    let inc = db.store.create_incident(&officer, &input).await.unwrap();
    let inc_link = format!("/incidents/{}", inc.id);
    assert_eq!(told(&db, &authority, NotificationKind::IncidentReported, &inc_link).await.len(), 1);
    assert!(told(&db, &other_ward, NotificationKind::IncidentReported, &inc_link).await.is_empty());
    crate::network::make_member(&db, unit_id(&db, "P-LE-CHAN").await).await;
    let task = TaskInput {
        unit_id: unit_id(&db, "P-LE-CHAN").await,
        assignee: None,
        title: "Rà soát nhật ký máy chủ thư".into(),
        due_on: Some("2026-11-10".into()),
    };
    db.store.add_incident_task(&authority, inc.id, &task).await.unwrap();
    let given = told(&db, &other_ward, NotificationKind::TaskGiven, &inc_link).await;
    assert!(given.iter().any(|n| n.message_vi.contains("Rà soát nhật ký") && n.message_vi.contains("10/11/2026")));
    // A report from the public, routed to a ward: that ward hears of it, the other does not.
    let citizen = khien_store::PublicReportInput {
        category: "scam".into(),
        description: "Có người gọi điện mạo danh cán bộ phường, yêu cầu chuyển tiền.".into(),
        ..Default::default()
    };
    let sent = db.store.submit_public_report(&citizen, &[], "198.51.100.7").await.unwrap();
    let filter = khien_store::PublicReportFilter { q: Some(sent.code.clone()), limit: 5, ..Default::default() };
    let report = db.store.list_public_reports(&authority, &filter).await.unwrap().items.remove(0);
    db.store.route_public_report(&authority, report.id, unit_id(&db, "P-LE-CHAN").await).await.unwrap();
    let report_link = format!("/public-reports/{}", report.id);
    assert_eq!(told(&db, &other_ward, NotificationKind::PublicReportRouted, &report_link).await.len(), 1);
    assert!(told(&db, &officer, NotificationKind::PublicReportRouted, &report_link).await.is_empty());
    // The ward's officer wants returns in the app only; its manager keeps the default.
    let off = EmailPreference { kind: NotificationKind::DossierReturned, email: false };
    let prefs = db.store.set_email_preferences(&officer, &[off]).await.unwrap();
    assert!(prefs.iter().any(|p| p.kind == NotificationKind::DossierReturned && !p.email));
    assert!(prefs.iter().filter(|p| p.kind != NotificationKind::DossierReturned).all(|p| p.email));
    let outbox = db.store.maintenance().event_outbox().await.unwrap();
    let returned_to =
        |email: &str| outbox.iter().any(|o| o.email == email && o.body.contains(&link) && o.body.contains("trả lại"));
    let manager_address = db.store.get_user(&manager, manager.user_id).await.unwrap().user.email.unwrap();
    let officer_address = db.store.get_user(&officer, officer.user_id).await.unwrap().user.email.unwrap();
    assert!(returned_to(&manager_address), "the manager gets the return by e-mail: {outbox:?}");
    assert!(!returned_to(&officer_address), "the officer switched it off");
    // Once mailed, a notification leaves the outbox.
    for o in &outbox {
        db.store.maintenance().record_email(o.notification_id, None).await.unwrap();
    }
    assert!(db.store.maintenance().event_outbox().await.unwrap().is_empty());
}

/// An opinion becomes a letter to the owner unit in the NĐ 30/2020 layout: the parts examined,
/// with their files' SHA-256, then the opinion as written.
#[tokio::test]
async fn an_opinion_becomes_a_letter_to_the_owner_unit() {
    use std::io::Read;
    let server = crate::common::TestServer::start().await;
    let db = &server.db;
    let officer = actor(db, "hongbang.canbo").await;
    let authority = actor(db, "pa05.canbo").await;
    let input = SystemInput {
        code: "HB-LETTER".into(),
        name: "Hệ thống thư điện tử phường".into(),
        owner_unit_id: unit_id(db, "P-HONG-BANG").await,
        system_type: "internal".into(),
        ..Default::default()
    };
    let sys = db.store.create_system(&officer, &input).await.unwrap();
    let d = db.store.create_dossier(&officer, sys.id, &DossierInput::default()).await.unwrap();
    crate::common::attach_parts(db, &officer, d.id, &crate::systems::BASIC_PARTS).await;
    db.store.act_on_dossier(&officer, d.id, DossierAction::Submit, None, None, None).await.unwrap();
    let text = "Bổ sung sơ đồ kết nối mạng nội bộ.";
    db.store.act_on_dossier(&authority, d.id, DossierAction::Return, Some(text), None, None).await.unwrap();
    let opinion = db.store.dossier_opinions(&officer, d.id).await.unwrap().remove(0);
    let ward = server.login("hongbang.canbo", crate::common::DEMO_PASSWORD).await;
    let r = ward.get(&format!("/api/v1/dossier-opinions/{}/document", opinion.id)).await;
    assert_eq!(r.status(), 200);
    let bytes = r.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    let parts = db.store.dossier_parts(&officer, d.id).await.unwrap();
    let sha = &parts[0].files[0].sha256;
    for needle in
        ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "V/v đề nghị bổ sung", "Hệ thống thư điện tử phường", text, sha]
    {
        assert!(xml.contains(needle), "the letter lacks {needle}");
    }
    let pdf = ward.get(&format!("/api/v1/dossier-opinions/{}/document?format=pdf", opinion.id)).await;
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let other = server.login("lechan.canbo", crate::common::DEMO_PASSWORD).await;
    assert_eq!(other.get(&format!("/api/v1/dossier-opinions/{}/document", opinion.id)).await.status(), 404);
}

/// The account page's boxes set which kinds come by e-mail: those ticked, and only those.
#[tokio::test]
async fn the_account_page_sets_which_kinds_come_by_e_mail() {
    let server = crate::common::TestServer::start().await;
    let ward = server.login("hongbang.canbo", crate::common::DEMO_PASSWORD).await;
    let page = ward.get("/account").await.text().await.unwrap();
    assert!(page.contains("id=\"email-preferences\""), "the choice is on the account page");
    let r = ward.form("/account/email", &[("email", "dossier_returned"), ("email", "task_given")]).await;
    assert_eq!(r.status(), 303);
    let prefs = ward.get_json("/api/v1/account/email-preferences").await;
    let on: Vec<&str> =
        prefs.as_array().unwrap().iter().filter(|p| p["email"] == true).map(|p| p["kind"].as_str().unwrap()).collect();
    assert_eq!(on, ["dossier_returned", "task_given"]);
}
