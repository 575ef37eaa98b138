//! Plans as tracked work (issue 15): HCM 3131's appendix imported from Word with its unit
//! names matched, a name mapped once and remembered; a ward reports, the lead unit sees its
//! co-ordinators and consolidates, the authority sees who has not reported and the sweep
//! reminds them before and after the deadline; bad reports are refused and lose nothing.

use crate::common::{actor, bootstrap, unit_id, Session, TestDb, TestServer, DEMO_PASSWORD};
use chrono::TimeDelta;
use khien_domain::FixedTime;
use khien_store::ProgressInput;
use reqwest::Method;
use serde_json::{json, Value};

on_both_stores!(the_hcm_appendix_imports_from_word_with_its_units_matched);
on_both_stores!(fixed_clock:
    a_ward_reports_the_lead_consolidates_the_authority_sees_who_is_missing,
    units_are_reminded_before_and_after_the_reporting_deadline,
    progress_reports_refuse_what_they_cannot_hold,
);

fn word(document_xml: &str) -> Vec<u8> {
    use std::io::Write;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    out.start_file("word/document.xml", zip::write::SimpleFileOptions::default()).unwrap();
    out.write_all(document_xml.as_bytes()).unwrap();
    out.finish().unwrap().into_inner()
}

fn cell(props: &str, lines: &[&str]) -> String {
    let ps: String = lines.iter().map(|l| format!("<w:p><w:r><w:t>{l}</w:t></w:r></w:p>")).collect();
    format!("<w:tc><w:tcPr>{props}</w:tcPr>{ps}</w:tc>")
}

/// A small appendix in Word: a header whose unit columns sit under one merged cell, a lead
/// merged over two tasks, bulleted co-ordinators, and a name no unit of the city has.
fn small_appendix() -> Vec<u8> {
    let (restart, cont) = ("<w:vMerge w:val=\"restart\"/>", "<w:vMerge/>");
    let rows = [
        [
            cell(restart, &["STT"]),
            cell(restart, &["Nội dung nhiệm vụ"]),
            cell("<w:gridSpan w:val=\"2\"/>", &["Đơn vị thực hiện"]),
            cell(restart, &["Thời hạn"]),
        ]
        .concat(),
        [cell(cont, &[]), cell(cont, &[]), cell("", &["Chủ trì"]), cell("", &["Phối hợp"]), cell(cont, &[])].concat(),
        [cell("", &["I"]), cell("<w:gridSpan w:val=\"4\"/>", &["Giám sát an toàn thông tin"])].concat(),
        [
            cell("", &["I.1"]),
            cell("", &["Kết nối giám sát với Trung tâm Điều hành thông minh"]),
            cell(restart, &["Sở Y tế"]),
            cell("", &["- Trung tâm Điều hành thông minh", "- Phường Hồng Bàng"]),
            cell("", &["Quý II/2026"]),
        ]
        .concat(),
        [
            cell("", &["I.2"]),
            cell("", &["Rà quét mã độc định kỳ"]),
            cell(cont, &[]),
            cell("", &["Phường Hồng Bàng"]),
            cell("", &["Theo chỉ đạo"]),
        ]
        .concat(),
    ];
    let body: String = rows.iter().map(|r| format!("<w:tr>{r}</w:tr>")).collect();
    word(&format!(
        "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:tbl>{body}</w:tbl></w:body></w:document>"
    ))
}

fn plan_body(number: &str) -> Value {
    json!({"number": number, "issued_on": "07/07/2023", "issuer": "Ủy ban nhân dân thành phố", "title": "Kế hoạch thử",
           "year_from": 2026, "year_to": 2027, "reporting": "yearly", "report_day": 15, "report_month": 11})
}

async fn stage(s: &Session, file: &str, bytes: Vec<u8>) -> (u16, Value) {
    let r = s
        .client
        .post(s.url(&format!("/api/v1/plan-imports?file_name={file}")))
        .header("x-csrf-token", &s.csrf)
        .body(bytes)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn name<'a>(preview: &'a Value, name: &str) -> &'a Value {
    preview["names"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["name"] == name)
        .unwrap_or_else(|| panic!("{name} not in {preview}"))
}

async fn the_hcm_appendix_imports_from_word_with_its_units_matched(db: TestDb) {
    let s = TestServer::start_on(db).await;
    let authority = s.login("pa05.canbo", DEMO_PASSWORD).await;
    let hcm = &khien_demo::plans::PLANS[0];
    let (status, preview) = stage(&authority, "Phu luc 3131.docx", khien::demo::plans::appendix(hcm).unwrap()).await;
    assert_eq!(status, 201, "{preview}");
    assert_eq!((preview["section_count"].as_i64(), preview["task_count"].as_i64()), (Some(7), Some(26)), "{preview}");
    // The demo's import remembered the authority's choices: the appendix matches whole.
    for n in preview["names"].as_array().unwrap() {
        assert!(!n["targets"].as_array().unwrap().is_empty(), "unresolved: {n}");
    }
    let ttt = name(&preview, "Sở Thông tin và Truyền thông");
    assert_eq!(ttt["status"], "remembered");
    assert!(ttt["target_labels"][0].as_str().unwrap().contains("Sở Khoa học và Công nghệ"), "{ttt}");
    // One unit of that name; the later demo plans mapped it too, so it is also remembered.
    let finance = name(&preview, "Sở Tài chính");
    assert!(finance["status"] == "matched" || finance["status"] == "remembered", "{finance}");
    assert!(finance["target_labels"][0].as_str().unwrap().contains("Sở Tài chính"), "{finance}");
    assert_eq!(name(&preview, "Sở Lao động - Thương binh và Xã hội")["status"], "remembered", "a dash inside a name");
    let id = preview["import_id"].as_i64().unwrap();
    let taken = authority
        .send(
            Method::POST,
            &format!("/api/v1/plan-imports/{id}/plan"),
            Some(json!({"plan": plan_body("3131/KH-UBND")})),
        )
        .await;
    assert_eq!(taken.status(), 409, "the demo holds 3131 already");
    let created = authority
        .send(
            Method::POST,
            &format!("/api/v1/plan-imports/{id}/plan"),
            Some(json!({"plan": plan_body("3131-B/KH-UBND")})),
        )
        .await;
    assert_eq!(created.status(), 201);
    let plan: Value = created.json().await.unwrap();
    let detail = authority.get_json(&format!("/api/v1/plans/{}", plan["id"])).await;
    let tasks = detail["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 33);
    let t42 = tasks.iter().find(|t| t["number"] == "4.2").unwrap();
    assert_eq!((t42["cadence"].as_str(), t42["cadence_read"].as_bool()), (Some("Hàng năm"), Some(true)));
    assert!(t42["unit_count"].as_i64().unwrap() > 100, "every department, ward and commune: {t42}");
    let again = authority
        .send(
            Method::POST,
            &format!("/api/v1/plan-imports/{id}/plan"),
            Some(json!({"plan": plan_body("3131-C/KH-UBND")})),
        )
        .await;
    assert_eq!(again.status(), 404, "a staged file makes one plan");

    // A Word table with merged cells and a name that no unit has.
    let (status, preview) = stage(&authority, "phu-luc.docx", small_appendix()).await;
    assert_eq!(status, 201, "{preview}");
    assert_eq!(name(&preview, "Sở Y tế")["status"], "matched");
    assert_eq!(name(&preview, "Phường Hồng Bàng")["status"], "matched");
    assert_eq!(name(&preview, "Trung tâm Điều hành thông minh")["status"], "unmatched");
    assert_eq!(preview["unread_cadences"], json!(["I.2"]), "«Theo chỉ đạo» is kept and flagged, never guessed");
    let id = preview["import_id"].as_i64().unwrap();
    let refused = authority
        .send(Method::POST, &format!("/api/v1/plan-imports/{id}/plan"), Some(json!({"plan": plan_body("12/KH-TEST")})))
        .await;
    assert_eq!(refused.status(), 422);
    let problem = refused.text().await.unwrap();
    assert!(problem.contains("Trung tâm Điều hành thông minh"), "the unresolved name is named: {problem}");
    let khcn = unit_id(&s.db, "SO-KHCN").await;
    let mapping = json!([{"name": "Trung tâm Điều hành thông minh", "targets": [format!("unit:{khcn}")]}]);
    let shown: Value = authority
        .send(Method::POST, &format!("/api/v1/plan-imports/{id}/preview"), Some(json!({"mappings": mapping})))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(name(&shown, "Trung tâm Điều hành thông minh")["status"], "chosen");
    let created = authority
        .send(
            Method::POST,
            &format!("/api/v1/plan-imports/{id}/plan"),
            Some(json!({"plan": plan_body("12/KH-TEST"), "mappings": mapping})),
        )
        .await;
    assert_eq!(created.status(), 201);
    let plan: Value = created.json().await.unwrap();
    let detail = authority.get_json(&format!("/api/v1/plans/{}", plan["id"])).await;
    let i1 = detail["tasks"].as_array().unwrap().iter().find(|t| t["number"] == "I.1").unwrap().clone();
    assert_eq!(i1["unit_count"], 3, "Sở Y tế leads; the centre (mapped) and the ward co-ordinate: {i1}");
    let i2 = detail["tasks"].as_array().unwrap().iter().find(|t| t["number"] == "I.2").unwrap().clone();
    assert_eq!(i2["lead_names"], json!(["Sở Y tế"]), "a lead cell merged down stands for both tasks");
    // Mapped once, remembered: the same name in the next table matches.
    let (_, next) = stage(&authority, "phu-luc-2.docx", small_appendix()).await;
    assert_eq!(name(&next, "Trung tâm Điều hành thông minh")["status"], "remembered");

    // Bad files are refused, precisely; units cannot import plans.
    let (status, e) = stage(&authority, "ke-hoach.docx", word("<w:document xmlns:w=\"x\"><w:body><w:tbl><w:tr><w:tc><w:p><w:r><w:t>Họ tên</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>")).await;
    assert_eq!(status, 422);
    assert!(e.to_string().contains("STT, Nhiệm vụ"), "{e}");
    let ward = s.login("hongbang.quanly", DEMO_PASSWORD).await;
    let (status, _) = stage(&ward, "phu-luc.docx", small_appendix()).await;
    assert!(status == 403 || status == 404, "a ward cannot import plans: {status}");
}

/// Plan id and a task id by plan number and task number, as the authority reads them.
async fn task_of(s: &Session, plan_number: &str, task_number: &str) -> (i64, i64) {
    let plans = s.get_json("/api/v1/plans").await;
    let plan = plans.as_array().unwrap().iter().find(|p| p["number"] == plan_number).unwrap()["id"].as_i64().unwrap();
    let detail = s.get_json(&format!("/api/v1/plans/{plan}")).await;
    let task = detail["tasks"].as_array().unwrap().iter().find(|t| t["number"] == task_number).unwrap()["id"]
        .as_i64()
        .unwrap();
    (plan, task)
}

fn codes(progress: &Value) -> Vec<String> {
    progress["units"].as_array().unwrap().iter().map(|u| u["code"].as_str().unwrap().to_string()).collect()
}

async fn a_ward_reports_the_lead_consolidates_the_authority_sees_who_is_missing(db: TestDb, _time: FixedTime) {
    let s = TestServer::start_on(db).await;
    let authority = s.login("pa05.canbo", DEMO_PASSWORD).await;
    // HCM 3131 task 6.6: Sở TT&TT (Sở KHCN in Hải Đông) leads; departments, wards and communes
    // co-ordinate; units report yearly by 15/11 (HCM 3131 IV).
    let (plan, task) = task_of(&authority, "3131/KH-UBND", "6.6").await;
    let ward = s.login("hongbang.canbo", DEMO_PASSWORD).await;
    let page = ward.get(&format!("/plan-tasks/{task}?period=2025")).await.text().await.unwrap();
    assert!(page.contains("id=\"report-form\"") && page.contains("Phường Hồng Bàng"), "the ward's report form");
    assert!(!page.contains("Sở Y tế"), "a ward sees its own part only");
    let ward_id = unit_id(&s.db, "P-HONG-BANG").await.to_string();
    let sent = ward
        .form(
            &format!("/plan-tasks/{task}/progress"),
            &[
                ("unit_id", &ward_id),
                ("period", "2025"),
                ("status", "done"),
                ("narrative", "Đã tự kiểm tra, đánh giá; báo cáo gửi Sở."),
                ("figures", "12 hệ thống"),
            ],
        )
        .await;
    assert_eq!(sent.status(), 303);
    // The lead unit is told, sees its co-ordinators' reports and writes the consolidated one.
    let lead = s.login("sokhcn.canbo", DEMO_PASSWORD).await;
    let told = lead.get_json("/api/v1/notifications?limit=200").await;
    assert!(
        told.as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "plan_reported"
                && n["link"].as_str().unwrap().starts_with(&format!("/plan-tasks/{task}"))),
        "{told}"
    );
    let progress = lead.get_json(&format!("/api/v1/plan-tasks/{task}/progress?period=2025")).await;
    let hb = progress["units"].as_array().unwrap().iter().find(|u| u["code"] == "P-HONG-BANG").unwrap();
    assert_eq!(hb["report"]["status"], "done");
    assert!(codes(&progress).len() > 100, "the lead sees every unit of its task");
    let khcn = unit_id(&s.db, "SO-KHCN").await;
    let body = json!({"unit_id": khcn, "period": "2025", "status": "in_progress", "narrative": "Tổng hợp: 1 đơn vị hoàn thành, còn lại đang triển khai."});
    let r = lead.send(Method::POST, &format!("/api/v1/plan-tasks/{task}/progress"), Some(body)).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["consolidated"], true);
    // A department in the co-ordinating group sees its own part, not the others'.
    let dept = s.login("soyt.canbo", DEMO_PASSWORD).await;
    let own = dept.get_json(&format!("/api/v1/plan-tasks/{task}/progress?period=2025")).await;
    assert_eq!(codes(&own), ["SO-YT"]);
    // The authority: who has not reported, and the plan page.
    let missing = authority.get_json(&format!("/api/v1/plans/{plan}/missing?period=2025")).await;
    let late = |code: &str| missing.as_array().unwrap().iter().find(|m| m["code"] == code).cloned();
    assert!(late("P-HONG-BANG").is_none_or(|m| !m["tasks"].as_array().unwrap().contains(&json!("6.6"))), "{missing}");
    assert!(late("SO-YT").unwrap()["tasks"].as_array().unwrap().contains(&json!("6.6")), "{missing}");
    let tallies = authority.get_json(&format!("/api/v1/plans/{plan}/status?period=2025")).await;
    let t = tallies.as_array().unwrap().iter().find(|t| t["task_id"] == task).unwrap();
    assert!(t["done"].as_i64().unwrap() >= 1 && t["reported"].as_i64() < t["expected"].as_i64(), "{t}");
    // The status in the appendix's layout, for Excel.
    let xlsx = authority.get(&format!("/api/v1/plans/{plan}/status.xlsx?period=2025")).await;
    assert_eq!(xlsx.status(), 200);
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"), "an XLSX workbook");
    let page = authority.get(&format!("/plans/{plan}?period=2025")).await.text().await.unwrap();
    assert!(page.contains("id=\"missing\"") && page.contains("Phường Hồng Bàng"), "the page lists who is missing");
    // The ward's home page brought the task (before it reported); now the plan's list shows it done.
    let list = ward.get("/plans").await.text().await.unwrap();
    assert!(list.contains("id=\"mine\""), "the ward's own tasks");
}

async fn units_are_reminded_before_and_after_the_reporting_deadline(db: TestDb, time: FixedTime) {
    bootstrap(&db, true).await;
    // Sở Y tế reports on every task it has this month: it is never reminded.
    let dept = actor(&db, "soyt.canbo").await;
    let done =
        ProgressInput { status: "in_progress".into(), narrative: "Đang triển khai.".into(), figures: String::new() };
    for t in db.store.my_plan_tasks(&dept).await.unwrap() {
        db.store.report_progress(&dept, t.task_id, t.unit_id, &t.period, &done).await.unwrap();
    }
    // Hải Phòng's plan reports monthly by the 25th: on 2 November nothing is due yet.
    let plan_kinds = |n: &[khien_store::Notification], kind: &str| n.iter().filter(|x| x.kind == kind).count();
    db.store.maintenance().sweep_reminders().await.unwrap();
    let ward = actor(&db, "hongbang.canbo").await;
    assert_eq!(plan_kinds(&db.store.notifications(&ward, 500).await.unwrap(), "plan_report_due"), 0);
    time.advance(TimeDelta::days(19)); // 21 November: within 7 days of the deadline.
    db.store.maintenance().sweep_reminders().await.unwrap();
    db.store.maintenance().sweep_reminders().await.unwrap();
    let mine = db.store.notifications(&ward, 500).await.unwrap();
    assert_eq!(plan_kinds(&mine, "plan_report_due"), 1, "once, however often the sweep runs: {mine:?}");
    let authority = actor(&db, "pa05.canbo").await;
    assert_eq!(
        plan_kinds(&db.store.notifications(&authority, 500).await.unwrap(), "plan_report_due"),
        0,
        "the authority is not told of each unit"
    );
    time.advance(TimeDelta::days(5)); // 26 November: late.
    db.store.maintenance().sweep_reminders().await.unwrap();
    db.store.maintenance().sweep_reminders().await.unwrap();
    let mine = db.store.notifications(&ward, 500).await.unwrap();
    // Cần Thơ's yearly report (15 November) is late too; this checks Hải Phòng's monthly one.
    let hp = |x: &&khien_store::Notification| x.kind == "plan_report_overdue" && x.message_vi.contains("HP-ANM/2026");
    let late = mine.iter().find(hp).unwrap();
    assert!(late.message_vi.contains("quá hạn") && late.message_vi.contains("25/11/2026"), "{}", late.message_vi);
    let told = db.store.notifications(&authority, 500).await.unwrap();
    let summary: Vec<_> = told.iter().filter(hp).collect();
    assert_eq!(summary.len(), 1, "one summary per plan: {summary:?}");
    assert!(summary[0].message_vi.contains("đơn vị chưa báo cáo"), "{}", summary[0].message_vi);
    let theirs = db.store.notifications(&dept, 500).await.unwrap();
    assert_eq!(plan_kinds(&theirs, "plan_report_due") + plan_kinds(&theirs, "plan_report_overdue"), 0, "{theirs:?}");
}

async fn progress_reports_refuse_what_they_cannot_hold(db: TestDb, _time: FixedTime) {
    bootstrap(&db, true).await;
    let admin = crate::common::admin_actor(&db).await;
    let plans = db.store.list_plans(&admin).await.unwrap();
    let hp = plans.iter().find(|p| p.number == "HP-ANM/2026").unwrap();
    let tasks = db.store.plan_tasks(&admin, hp.id).await.unwrap();
    let task = |n: &str| tasks.iter().find(|t| t.number == n).unwrap().id;
    let ward = actor(&db, "hongbang.canbo").await;
    let hb = unit_id(&db, "P-HONG-BANG").await;
    let yt = unit_id(&db, "SO-YT").await;
    let good =
        ProgressInput { status: "done".into(), narrative: "Đã ban hành quy chế.".into(), figures: String::new() };
    let err = |r: khien_domain::Result<khien_store::ProgressReport>| r.unwrap_err().to_string();
    // 2 November 2026: December has not begun; months are written 2026-11.
    assert!(err(db.store.report_progress(&ward, task("1.1"), hb, "2026-12", &good).await).contains("has not started"));
    assert!(err(db.store.report_progress(&ward, task("1.1"), hb, "2026-13", &good).await).contains("2026-05"));
    assert!(err(db.store.report_progress(&ward, task("1"), hb, "2026-11", &good).await).contains("section"));
    let empty = ProgressInput { narrative: "  ".into(), ..good.clone() };
    assert!(
        err(db.store.report_progress(&ward, task("1.1"), hb, "2026-11", &empty).await).contains("Write what was done")
    );
    // Not on the task; another unit's report.
    assert!(matches!(
        db.store.report_progress(&ward, task("1.2"), hb, "2026-11", &good).await,
        Err(khien_domain::Error::NotFound(_))
    ));
    let other = db.store.report_progress(&ward, task("1.1"), yt, "2026-11", &good).await;
    assert!(matches!(other, Err(khien_domain::Error::NotFound(_) | khien_domain::Error::Forbidden(_))), "{other:?}");
    // A correction replaces the unit's report for the period; the trail keeps the first.
    db.store.report_progress(&ward, task("1.1"), hb, "2026-11", &good).await.unwrap();
    let fixed =
        ProgressInput { status: "blocked".into(), narrative: "Chưa có kinh phí.".into(), figures: String::new() };
    db.store.report_progress(&ward, task("1.1"), hb, "2026-11", &fixed).await.unwrap();
    let tp = db.store.task_progress(&ward, task("1.1"), Some("2026-11")).await.unwrap();
    assert_eq!(tp.units.len(), 1);
    assert_eq!(tp.units[0].report.as_ref().unwrap().status, khien_domain::plan::progress::ProgressStatus::Blocked);
    let trail =
        db.store.list_audit(&admin, &khien_store::AuditFilter { limit: 5, ..Default::default() }).await.unwrap();
    let last = trail.items.iter().find(|a| a.action == "plan.progress").unwrap();
    assert!(format!("{:?}", last.before).contains("Đã ban hành quy chế"), "the first report is in the trail");
    // The city-wide tallies (kept counts) agree with the reports themselves after a correction.
    let all = db.store.task_progress(&admin, task("1.1"), Some("2026-11")).await.unwrap();
    let count =
        |st: &str| all.units.iter().filter(|u| u.report.as_ref().is_some_and(|r| r.status == st)).count() as i64;
    let kept = db.store.plan_tallies(&admin, hp.id, "2026-11").await.unwrap();
    let t11 = kept.iter().find(|t| t.task_id == task("1.1")).unwrap();
    assert_eq!((t11.done, t11.blocked, t11.in_progress), (count("done"), count("blocked"), count("in_progress")));
    assert_eq!(t11.reported, all.units.iter().filter(|u| u.report.is_some()).count() as i64);
    assert_eq!(t11.expected, all.units.len() as i64);
    // The city-wide list of who has not reported (read per task as lists) agrees with the
    // tasks' own pages, unit by unit and task by task, in the table's order.
    let mut expected: std::collections::BTreeMap<String, (Vec<String>, i64)> = Default::default();
    for t in tasks.iter().filter(|t| t.parent_number.is_some()) {
        for u in db.store.task_progress(&admin, t.id, Some("2026-10")).await.unwrap().units {
            if u.report.is_none() {
                let e = expected.entry(u.code.clone()).or_default();
                e.0.push(t.number.clone());
                e.1 += i64::from(u.role == khien_domain::plan::progress::TaskRole::Lead);
            }
        }
    }
    let missing = db.store.missing_reporters(&admin, hp.id, "2026-10").await.unwrap();
    let got: std::collections::BTreeMap<String, (Vec<String>, i64)> =
        missing.into_iter().map(|m| (m.code, (m.tasks, m.leads))).collect();
    assert!(!expected.is_empty());
    assert_eq!(got, expected);
    // An import is all or nothing: one bad report, nothing written.
    let tallies = db.store.plan_tallies(&admin, hp.id, "2026-10").await.unwrap();
    let before: i64 = tallies.iter().map(|t| t.reported).sum();
    let batch = vec![
        (task("1.3"), hb, "2026-10".to_string(), good.clone()),
        (task("1.3"), hb, "2027-10".to_string(), good.clone()),
    ];
    let e = db.store.import_progress(&admin, &batch).await.unwrap_err().to_string();
    assert!(e.contains("Report 2") && e.contains("2027-10"), "{e}");
    let after: i64 = db.store.plan_tallies(&admin, hp.id, "2026-10").await.unwrap().iter().map(|t| t.reported).sum();
    assert_eq!(before, after);
}
