//! What the plans ask of units besides progress (issue 15.4, 15.7, 15.8): the cybersecurity
//! share of IT spending against the plan's threshold, specialist staff with the NĐ 179/2025
//! support and certificates, and the consultation register of a draft — on both stores.

use crate::common::{actor, unit_id, TestDb, TestServer, DEMO_PASSWORD};
use khien_domain::consultation::CommentAnswer;
use khien_domain::{Error, FixedTime};
use reqwest::Method;
use serde_json::json;

on_both_stores!(
    fixed_clock: hcm_3131_task_7_and_hai_phong_shares_are_per_unit_and_city_against_the_plan,
    nd179_2025_article_3_support_counts_full_time_specialists_and_certificates_warn,
    the_consultation_register_counts_replies_and_every_comment_is_answered,
    a_progress_report_and_a_duty_done_carry_their_evidence,
);

on_both_stores!(
    a_calendar_subscribes_to_a_persons_deadlines_with_its_own_secret,
    a_drill_gives_its_follow_ups_to_the_units_that_took_part,
);

async fn hcm_3131_task_7_and_hai_phong_shares_are_per_unit_and_city_against_the_plan(db: TestDb, _t: FixedTime) {
    let s = TestServer::start_on(db).await;
    let pa05 = s.login("pa05.truong", DEMO_PASSWORD).await;
    // HCM 3131 (2023–2025) asks 10 %, Hải Phòng's plan (2026–2030) 15 %: each year reads its own.
    let y2025 = pa05.get_json("/api/v1/budget-summary?year=2025").await;
    assert_eq!((y2025["target_bp"].as_i64(), y2025["target_plan"].as_str()), (Some(1000), Some("3131/KH-UBND")));
    let y2026 = pa05.get_json("/api/v1/budget-summary?year=2026").await;
    assert_eq!(y2026["target_bp"], 1500, "{y2026}");
    let units = y2026["units"].as_array().unwrap();
    assert!(units.iter().any(|u| u["meets_target"] == true) && units.iter().any(|u| u["meets_target"] == false));
    let (total, security) = units
        .iter()
        .fold((0, 0), |(t, s), u| (t + u["total_cost"].as_i64().unwrap(), s + u["security_cost"].as_i64().unwrap()));
    assert_eq!((y2026["total_cost"].as_i64(), y2026["security_cost"].as_i64()), (Some(total), Some(security)));
    assert_eq!(y2026["share_bp"].as_i64(), Some(security * 10_000 / total), "the city's share is of the sums");

    // A department declares its project; a part over the total is refused, naming the field.
    let officer = s.login("sokhcn.canbo", DEMO_PASSWORD).await;
    let khcn = unit_id(&s.db, "SO-KHCN").await;
    let over = json!({"unit_id": khcn, "year": 2026, "name": "Cổng dịch vụ công", "total_cost": 1_000_000_000i64, "security_cost": 1_200_000_000i64});
    let r = officer.send(Method::POST, "/api/v1/budget-projects", Some(over)).await;
    assert_eq!(r.status(), 422);
    let text = r.text().await.unwrap();
    assert!(text.contains("security_cost") && text.contains("100"), "{text}");
    let ok = json!({"unit_id": khcn, "year": 2026, "name": "Cổng dịch vụ công", "total_cost": 1_000_000_000i64, "security_cost": 160_000_000i64});
    let r = officer.send(Method::POST, "/api/v1/budget-projects", Some(ok)).await;
    assert_eq!(r.status(), 201);
    let project: serde_json::Value = r.json().await.unwrap();
    assert_eq!(project["share_bp"], 1600);
    // The department sees its own units only.
    let mine = officer.get_json("/api/v1/budget-summary?year=2026").await;
    assert!(mine["units"]
        .as_array()
        .unwrap()
        .iter()
        .all(|u| u["unit_code"] == "SO-KHCN" || u["unit_code"] == "TT-CDS"));

    // The web form takes đồng as people type them and keeps a refused entry.
    let page = officer
        .form(
            "/budget",
            &[
                ("unit", &khcn.to_string()),
                ("year", "2026"),
                ("name", "Hệ thống họp trực tuyến"),
                ("total_cost", "2.000.000.000"),
                ("security_cost", "2.500.000.000"),
            ],
        )
        .await;
    assert_eq!(page.status(), 422);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Hệ thống họp trực tuyến") && html.contains("2.500.000.000") && html.contains("100 %"),
        "{html}"
    );
    let r = officer
        .form(
            "/budget",
            &[
                ("unit", &khcn.to_string()),
                ("year", "2026"),
                ("name", "Hệ thống họp trực tuyến"),
                ("total_cost", "2.000.000.000"),
                ("security_cost", "250.000.000"),
            ],
        )
        .await;
    assert!(r.status().is_success() || r.status().is_redirection(), "{}", r.status());
    let html = officer.get("/budget?year=2026").await.text().await.unwrap();
    assert!(html.contains("Hệ thống họp trực tuyến") && html.contains("12,5%"), "the share shown the Vietnamese way");
    // A correction keeps the earlier figures in the audit trail.
    let id = project["id"].as_i64().unwrap();
    let fix = json!({"unit_id": khcn, "year": 2026, "name": "Cổng dịch vụ công", "total_cost": 1_000_000_000i64, "security_cost": 90_000_000i64});
    let r = officer.send(Method::PUT, &format!("/api/v1/budget-projects/{id}"), Some(fix)).await;
    assert_eq!(r.status(), 200);
    let audit = pa05.get_json("/api/v1/audit?limit=5").await;
    assert!(audit.to_string().contains("160000000"), "the earlier figure is kept: {audit}");
    // Only the authority sets a plan's threshold.
    let plan = pa05.get_json("/api/v1/plans").await.as_array().unwrap()[0]["id"].as_i64().unwrap();
    let r =
        officer.send(Method::PUT, &format!("/api/v1/plans/{plan}/budget-share"), Some(json!({"percent": "5"}))).await;
    assert!(r.status() == 403 || r.status() == 404, "{}", r.status());
    let r =
        pa05.send(Method::PUT, &format!("/api/v1/plans/{plan}/budget-share"), Some(json!({"percent": "120"}))).await;
    assert_eq!(r.status(), 422, "a share over 100 %");
}

async fn nd179_2025_article_3_support_counts_full_time_specialists_and_certificates_warn(db: TestDb, _t: FixedTime) {
    let s = TestServer::start_on(db).await;
    let pa05 = s.login("pa05.truong", DEMO_PASSWORD).await;
    let staff = pa05.get_json("/api/v1/security-staff").await;
    let people = staff.as_array().unwrap();
    assert!(people.len() >= 6, "{staff}");
    for p in people {
        let expected = if p["role"] == "full_time" && p["active"] == true { 5_000_000 } else { 0 };
        assert_eq!(p["monthly_support"], expected, "{p}");
    }
    let states: Vec<&str> = people
        .iter()
        .flat_map(|p| p["certificates"].as_array().unwrap())
        .map(|c| c["state"].as_str().unwrap())
        .collect();
    assert!(states.contains(&"expiring") && states.contains(&"expired") && states.contains(&"valid"), "{states:?}");

    // A unit's manager adds a person; a start in the future and an expiry before issue are refused.
    let manager = actor(&s.db, "sokhcn.quanly").await;
    let khcn = unit_id(&s.db, "SO-KHCN").await;
    let mut input = khien_store::StaffInput {
        unit_id: khcn,
        full_name: "Đặng Quốc Hùng".into(),
        position: "Chuyên viên".into(),
        role: "full_time".into(),
        since: "03/11/2026".into(),
        qualifications: String::new(),
        active: true,
    };
    let future = s.db.store.record_security_staff(&manager, &input).await;
    assert!(matches!(future, Err(Error::Invalid { .. })), "{future:?}");
    input.since = "01/09/2026".into();
    let person = s.db.store.record_security_staff(&manager, &input).await.unwrap();
    assert_eq!(person.monthly_support, 5_000_000);
    let backwards = khien_store::StaffCertificateInput {
        name: "CISSP".into(),
        issuer: "ISC2".into(),
        issued_on: "01/06/2026".into(),
        expires_on: "01/06/2025".into(),
    };
    let e = s.db.store.add_staff_certificate(&manager, person.id, &backwards).await;
    assert!(matches!(e, Err(Error::Invalid { .. })), "{e:?}");
    // Moving to a post alongside another ends the support; the earlier record stays audited.
    input.role = "part_time".into();
    let moved = s.db.store.update_security_staff(&manager, person.id, &input).await.unwrap();
    assert_eq!(moved.monthly_support, 0);
    // People are personal data: a ward does not see a department's staff, nor may it add one there.
    let ward = actor(&s.db, "lechan.canbo").await;
    let seen = s.db.store.list_security_staff(&ward, None).await.unwrap();
    assert!(seen.iter().all(|p| p.unit_id != khcn), "{seen:?}");
    input.role = "full_time".into();
    assert!(s.db.store.record_security_staff(&ward, &input).await.is_err());
    // Certificates expiring come into the calendar of deadlines.
    let pa05_actor = actor(&s.db, "pa05.truong").await;
    let until = s.db.store.clock().today_vn() + chrono::Days::new(90);
    let due = s.db.store.deadlines(&pa05_actor, until).await.unwrap();
    assert!(due.iter().any(|d| d.kind == khien_domain::worklist::DeadlineKind::StaffCertificate), "{due:?}");
    let page = pa05.get("/staff").await.text().await.unwrap();
    assert!(page.contains("Đặng Quốc Hùng") && page.contains("id=\"staff-totals\""), "the register page");
}

async fn the_consultation_register_counts_replies_and_every_comment_is_answered(db: TestDb, _t: FixedTime) {
    let s = TestServer::start_on(db).await;
    let db = &s.db;
    let pa05 = actor(db, "pa05.truong").await;
    let (khcn, yt) = (unit_id(db, "SO-KHCN").await, unit_id(db, "SO-YT").await);
    let drafting = unit_id(db, "CA-PA05").await;
    let input = khien_store::ConsultationInput {
        title: "Dự thảo Kế hoạch diễn tập thực chiến năm 2027".into(),
        drafting_unit_id: drafting,
        due_on: "20/11/2026".into(),
        unit_ids: vec![khcn, yt],
    };
    let late = khien_store::ConsultationInput { due_on: "01/11/2026".into(), ..input.clone() };
    assert!(matches!(db.store.open_consultation(&pa05, &late).await, Err(Error::Invalid { .. })), "due in the past");
    let round = db.store.open_consultation(&pa05, &input).await.unwrap();
    // The asked units' people are told.
    let officer = actor(db, "sokhcn.canbo").await;
    let told = db.store.notifications(&officer, 20).await.unwrap();
    assert!(told.iter().any(|n| n.kind == "consultation_opened" && n.link == format!("/consultations/{}", round.id)));
    // Sở KH&CN comments on a task; Sở Y tế agrees.
    let comment = khien_store::CommentInput {
        section: "Nhiệm vụ 2.2".into(),
        body: "Đề nghị bổ sung viên chức, người lao động vào đối tượng tập huấn.".into(),
    };
    db.store.reply_to_consultation(&officer, round.id, khcn, &[comment]).await.unwrap();
    let yt_officer = actor(db, "soyt.canbo").await;
    db.store.reply_to_consultation(&yt_officer, round.id, yt, &[]).await.unwrap();
    // A unit sees its own reply, not another's; it cannot reply for a unit not asked.
    let seen = db.store.get_consultation(&officer, round.id).await.unwrap();
    assert_eq!(seen.units.iter().map(|u| u.unit_id).collect::<Vec<_>>(), vec![khcn]);
    let ward = actor(db, "lechan.canbo").await;
    let not_asked = db.store.reply_to_consultation(&ward, round.id, unit_id(db, "P-LE-CHAN").await, &[]).await;
    assert!(not_asked.is_err());
    // The drafting body sees both, with the annex's counts, and is told of the replies.
    let all = db.store.get_consultation(&pa05, round.id).await.unwrap();
    let k = &all.counts;
    assert_eq!((k.asked, k.replied, k.agreed, k.with_comments, k.unanswered), (2, 2, 1, 1, 1), "{k:?}");
    let pa05_told = db.store.notifications(&actor(db, "pa05.canbo").await, 20).await.unwrap();
    assert!(pa05_told.iter().any(|n| n.kind == "consultation_replied"), "{pa05_told:?}");
    // Closing waits for every answer; "not taken in" needs its reason.
    assert!(matches!(db.store.close_consultation(&pa05, round.id).await, Err(Error::Conflict(_))));
    let c = all.units.iter().find(|u| u.unit_id == khcn).unwrap().comments[0].id;
    let no_reason = db.store.answer_consultation_comment(&pa05, c, CommentAnswer::NotAccepted, " ").await;
    assert!(matches!(no_reason, Err(Error::Invalid { .. })));
    assert!(
        db.store.answer_consultation_comment(&officer, c, CommentAnswer::Accepted, "").await.is_err(),
        "not theirs"
    );
    db.store
        .answer_consultation_comment(&pa05, c, CommentAnswer::NotAccepted, "đã có trong nhiệm vụ 2.1")
        .await
        .unwrap();
    let closed = db.store.close_consultation(&pa05, round.id).await.unwrap();
    assert!(closed.closed && closed.counts.not_accepted == 1);
    let after = db.store.reply_to_consultation(&officer, round.id, khcn, &[]).await;
    assert!(matches!(after, Err(Error::Conflict(_))), "{after:?}");
    // The register as the annex lays it out.
    let session = s.login("pa05.truong", DEMO_PASSWORD).await;
    let r = session.get(&format!("/api/v1/consultations/{}/register.xlsx", round.id)).await;
    assert_eq!(r.status(), 200);
    let text = crate::authz::xlsx_text(&r.bytes().await.unwrap());
    assert!(
        text.contains("Không tiếp thu vì đã có trong nhiệm vụ 2.1")
            && text.contains("Thống nhất")
            && text.contains("Sở Y tế")
            && text.contains("Số lượng ý kiến"),
        "{text}"
    );
    let page = session.get(&format!("/consultations/{}", round.id)).await.text().await.unwrap();
    assert!(page.contains("id=\"consultation-counts\"") && page.contains("Nhiệm vụ 2.2"), "the round's page");
}

async fn a_progress_report_and_a_duty_done_carry_their_evidence(db: TestDb, _t: FixedTime) {
    let s = TestServer::start_on(db).await;
    let db = &s.db;
    let yt = actor(db, "soyt.canbo").await;
    let task = db.store.my_plan_tasks(&yt).await.unwrap().into_iter().next().expect("Sở Y tế has a task");
    let input = khien_store::ProgressInput {
        status: "done".into(),
        narrative: "Đã tổ chức tập huấn cho 120 viên chức.".into(),
        figures: "120 lượt".into(),
    };
    let report = db.store.report_progress(&yt, task.task_id, task.unit_id, &task.period, &input).await.unwrap();
    let pdf = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
    let exe = db.store.attach_progress_evidence(&yt, report.id, "bien-ban.pdf", b"MZ\x90\x00rest").await;
    assert!(matches!(exe, Err(Error::Invalid { .. })), "checked by content: {exe:?}");
    let file = db.store.attach_progress_evidence(&yt, report.id, "bien-ban.pdf", pdf).await.unwrap();
    assert_eq!(file.content_type, "application/pdf");
    let seen = db.store.task_progress(&yt, task.task_id, Some(&task.period)).await.unwrap();
    let mine = seen.units.iter().find(|u| u.unit_id == task.unit_id).unwrap();
    assert_eq!(mine.report.as_ref().unwrap().files.len(), 1);
    // The authority reads it; another department does not, nor may it attach to it.
    let pa05 = actor(db, "pa05.truong").await;
    assert_eq!(db.store.evidence_file(&pa05, file.id).await.unwrap().1, pdf.to_vec());
    let other = actor(db, "sokhcn.canbo").await;
    assert!(matches!(db.store.evidence_file(&other, file.id).await, Err(Error::NotFound(_))));
    assert!(db.store.attach_progress_evidence(&other, report.id, "x.pdf", pdf).await.is_err());
    // A drill recorded on a system is its duty done; the minutes go with it.
    let yt_unit = unit_id(db, "SO-YT").await;
    let system = db.store.create_system(&yt, &crate::systems::ward_system(yt_unit, "YT-QLBV")).await.unwrap();
    let drill = khien_store::TrainingInput {
        kind: "drill".into(),
        title: "Diễn tập ứng cứu sự cố mã độc tống tiền".into(),
        held_on: "2026-10-20".into(),
        organiser_unit_id: system.owner_unit_id,
        system_ids: vec![system.id],
        participants: 35,
        ..Default::default()
    };
    db.store.record_training(&yt, &drill).await.unwrap();
    let done = db.store.system_obligations(&yt, system.id).await.unwrap().recent[0].id;
    db.store.attach_obligation_evidence(&yt, done, "bien-ban-dien-tap.pdf", pdf).await.unwrap();
    assert!(db.store.attach_obligation_evidence(&other, done, "x.pdf", pdf).await.is_err(), "not its system");
    let calendar = db.store.system_obligations(&yt, system.id).await.unwrap();
    assert_eq!(calendar.recent[0].files[0].file_name, "bien-ban-dien-tap.pdf");
    // Through the API, as a unit's connector would send it.
    let session = s.login("soyt.canbo", DEMO_PASSWORD).await;
    let r = session
        .client
        .post(session.url(&format!("/api/v1/plan-progress/{}/files?file_name=anh.txt", report.id)))
        .header("x-csrf-token", &session.csrf)
        .body("Danh sach 120 vien chuc tham du")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let page = session.get(&format!("/plan-tasks/{}?period={}", task.task_id, task.period)).await.text().await.unwrap();
    assert!(page.contains("bien-ban.pdf") && page.contains("anh.txt"), "the task page lists the evidence");
}

async fn a_calendar_subscribes_to_a_persons_deadlines_with_its_own_secret(db: TestDb) {
    let s = TestServer::start_on(db).await;
    let ward = s.login("hongbang.canbo", DEMO_PASSWORD).await;
    let r = ward.send(Method::POST, "/api/v1/me/deadline-feed", None).await;
    assert_eq!(r.status(), 201);
    let feed: serde_json::Value = r.json().await.unwrap();
    let path = feed["path"].as_str().unwrap().to_string();
    // Fetched with no session, as Outlook does: the ward's own deadlines, nobody else's.
    let r = reqwest::get(s.url(&path)).await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));
    let ics = r.text().await.unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR") && ics.contains("BEGIN:VEVENT"), "{ics}");
    assert!(!ics.contains("Sở Y tế"), "another unit's deadline: {ics}");
    // A wrong secret, an API token, a replaced address and a removed one read nothing.
    for bad in ["/api/v1/deadline-feeds/khien_cal_wrong", "/api/v1/deadline-feeds/x"] {
        assert_eq!(reqwest::get(s.url(bad)).await.unwrap().status(), 404, "{bad}");
    }
    let r = ward.send(Method::POST, "/api/v1/me/deadline-feed", None).await;
    let newer: serde_json::Value = r.json().await.unwrap();
    assert_eq!(reqwest::get(s.url(&path)).await.unwrap().status(), 404, "the old address ends");
    let newer_path = newer["path"].as_str().unwrap().to_string();
    assert_eq!(reqwest::get(s.url(&newer_path)).await.unwrap().status(), 200);
    assert_eq!(ward.send(Method::DELETE, "/api/v1/me/deadline-feed", None).await.status(), 204);
    assert_eq!(reqwest::get(s.url(&newer_path)).await.unwrap().status(), 404, "removed");
    // The page makes one and shows it once.
    let html = ward.form("/deadlines/feed", &[]).await.text().await.unwrap();
    assert!(html.contains("id=\"feed-address\"") && html.contains("/api/v1/deadline-feeds/khien_cal_"), "{html}");
    let again = ward.get("/deadlines").await.text().await.unwrap();
    assert!(!again.contains("khien_cal_") && again.contains("id=\"deadline-feed\""), "shown only once");
    // A deactivated account's address stops working.
    let admin = crate::common::admin_actor(&s.db).await;
    let me = actor(&s.db, "hongbang.canbo").await;
    let secret = s.db.store.create_calendar_feed(&me).await.unwrap();
    s.db.store.set_user_active(&admin, me.user_id, false).await.unwrap();
    assert!(s.db.store.calendar_feed_actor(&secret).await.unwrap().is_none());
}

async fn a_drill_gives_its_follow_ups_to_the_units_that_took_part(db: TestDb) {
    let s = TestServer::start_on(db).await;
    let db = &s.db;
    let pa05 = actor(db, "pa05.truong").await;
    let (organiser, hb, yt) =
        (unit_id(db, "CA-PA05").await, unit_id(db, "P-HONG-BANG").await, unit_id(db, "SO-YT").await);
    let drill = khien_store::TrainingInput {
        kind: "drill".into(),
        title: "Diễn tập thực chiến tấn công có chủ đích".into(),
        held_on: "2026-10-15".into(),
        organiser_unit_id: organiser,
        unit_ids: vec![hb],
        participants: 60,
        lessons: "Phường chậm cô lập máy trạm bị nhiễm.".into(),
        ..Default::default()
    };
    let t = db.store.record_training(&pa05, &drill).await.unwrap();
    let due = "2030-01-15";
    let body = "Ban hành quy trình cô lập máy trạm; tập huấn lại cán bộ một cửa.";
    let outsider = db.store.add_follow_up(&pa05, t.id, yt, body, due).await;
    assert!(matches!(outsider, Err(Error::Invalid { .. })), "a unit that did not take part: {outsider:?}");
    let past = db.store.add_follow_up(&pa05, t.id, hb, body, "01/01/2020").await;
    assert!(matches!(past, Err(Error::Invalid { .. })));
    let ward = actor(db, "hongbang.canbo").await;
    assert!(db.store.add_follow_up(&ward, t.id, hb, body, due).await.is_err(), "the organiser gives them");
    let f = db.store.add_follow_up(&pa05, t.id, hb, body, due).await.unwrap();
    // The ward is told and sees it among its deadlines.
    let told = db.store.notifications(&ward, 50).await.unwrap();
    assert!(told.iter().any(|n| n.kind == "follow_up_given" && n.link == format!("/trainings/{}", t.id)), "{told:?}");
    let until = chrono::NaiveDate::from_ymd_opt(2030, 2, 1).unwrap();
    let calendar = db.store.deadlines(&ward, until).await.unwrap();
    assert!(calendar.iter().any(|d| d.kind == khien_domain::worklist::DeadlineKind::FollowUp && d.title == body));
    // Another unit cannot record it done; the ward does, once.
    let other = actor(db, "soyt.canbo").await;
    assert!(matches!(db.store.complete_follow_up(&other, f.id, "x").await, Err(Error::NotFound(_))));
    let done = db.store.complete_follow_up(&ward, f.id, "Đã ban hành quy trình số 12/QT-UBND.").await.unwrap();
    assert!(done.done_on.is_some());
    assert!(matches!(db.store.complete_follow_up(&ward, f.id, "again").await, Err(Error::Conflict(_))));
    let calendar = db.store.deadlines(&ward, until).await.unwrap();
    assert!(!calendar.iter().any(|d| d.title == body), "done leaves the calendar");
    let session = s.login("hongbang.canbo", DEMO_PASSWORD).await;
    let page = session.get(&format!("/trainings/{}", t.id)).await.text().await.unwrap();
    assert!(page.contains("12/QT-UBND") && page.contains("id=\"follow-up-list\""), "the drill's page");
}
