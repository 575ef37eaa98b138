//! Compliance in a real browser (issue 5's "done when"): the demo assessor assesses a ward's
//! level-3 system against TCVN 14423:2026 with the keyboard, saves, completes and closes the
//! assessment; the ward's manager finds the gaps as findings with due dates; a finding past its
//! deadline escalates to the manager's reminders. On SQLite and on PostgreSQL.

use crate::browser::{
    click_and_load, css, fill, find, in_browser_on, login_ok, logout, must, table, wait_path, wait_text, wait_text_is,
};
use crate::common::{actor, admin_actor, unit_id, TestDb, TestServer};
use fantoccini::Client;
use khien_store::{AssessmentInput, DossierInput, FindingFilter, SystemInput};
use sqlx::Connection;
use std::time::{Duration, Instant};

const ASSESSOR: &str = "danhgia";
const AUTHORITY: &str = "pa05.truong";
const MANAGER: &str = "hongbang.quanly";
const CODE: &str = "HB-MOTCUA";
const TITLE: &str = "Đánh giá độc lập hệ thống một cửa phường Hồng Bàng 2026";
const NOTE: &str = "Chưa có quy chế sao lưu; nhật ký chỉ giữ 30 ngày";

/// The workspace row of one requirement.
fn row(node: &str) -> String {
    format!("#results tr[data-node='{node}']")
}

/// Focuses the row's outcome select, presses `key`, and waits for the select to show `want`.
async fn press(c: &Client, node: &str, key: &str, want: &str) {
    let sel = format!("{} select.outcome", row(node));
    let el = find(c, &sel).await;
    must(c, el.send_keys(key).await, &format!("pressing {key} on `{sel}`")).await;
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let value = el.prop("value").await.unwrap().unwrap_or_default();
        if value == want {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "key {key} on requirement {node} left its outcome at {value:?}, not {want:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// (counts, percent) of every group in the workspace's group table.
async fn groups(c: &Client) -> Vec<(String, String, String)> {
    table(c, "#groups").await.into_iter().skip(1).map(|r| (r[0].clone(), r[1].clone(), r[2].clone())).collect()
}

/// What the page should show for a group's counts "c/p/n/na · total": the percent rule of the
/// domain (partly counts half, not applicable left out), "—" before anything is assessed.
fn expected_percent(counts: &str) -> String {
    let (outcomes, total) = counts.split_once(" · ").unwrap_or_else(|| panic!("group counts {counts:?}"));
    let n: Vec<f64> = outcomes.split('/').map(|x| x.trim().parse().unwrap()).collect();
    let total: f64 = total.trim().parse().unwrap();
    let base = total - n[3];
    if n.iter().sum::<f64>() == 0.0 || base <= 0.0 {
        return "—".into();
    }
    // Written the Vietnamese way: a decimal comma, the sign close ("36,8%").
    format!("{:.1}%", ((n[0] + 0.5 * n[1]) * 100.0 / base * 10.0).round() / 10.0).replace('.', ",")
}

fn is_vn_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[2] == b'/'
        && b[5] == b'/'
        && s.chars().enumerate().all(|(i, ch)| i == 2 || i == 5 || ch.is_ascii_digit())
}

/// Presses the workspace's state button that moves the assessment to `to`.
async fn move_to(c: &Client, id: i64, to: &str, label: &str) {
    click_and_load(c, &format!("form[action='/assessments/{id}/state']:has(input[name=state][value={to}]) button"))
        .await;
    no_error(c, &format!("moving assessment {id} to {to}")).await;
    wait_path(c, "/assessments/*").await;
    wait_text_is(c, "#state", label).await;
}

/// Fails with the server's message if the page just loaded is the error page.
async fn no_error(c: &Client, doing: &str) {
    if let Ok(e) = c.find(css("#error-message")).await {
        panic!("{doing} failed: {:?}", e.text().await.unwrap_or_default());
    }
}

on_both_stores!(independent_assessment_findings_and_escalation_in_the_browser);

async fn independent_assessment_findings_and_escalation_in_the_browser(db: TestDb) {
    let server = TestServer::start_on(db).await;
    let db = &server.db;
    // 1. Through the store: a level-3 system of the ward (level proposed in its dossier), and an
    //    independent assessment of it against TCVN 14423:2026, assigned to KD-PN by the authority.
    let admin = admin_actor(db).await;
    let ward = unit_id(db, "P-HONG-BANG").await;
    let kd = unit_id(db, "KD-PN").await;
    let input = SystemInput {
        code: CODE.into(),
        name: "Hệ thống một cửa điện tử phường Hồng Bàng".into(),
        owner_unit_id: ward,
        system_type: "public_service".into(),
        ..Default::default()
    };
    let system = db.store.create_system(&admin, &input).await.unwrap();
    let level = DossierInput {
        proposed_level: 3,
        level_reason: Some("Hệ thống phục vụ dịch vụ công trực tuyến toàn trình".into()),
    };
    db.store.create_dossier(&admin, system.id, &level).await.unwrap();
    let authority = actor(db, AUTHORITY).await;
    let tcvn = db
        .store
        .list_catalogues(&authority)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.code == "tcvn-14423-2026")
        .expect("built-in TCVN 14423:2026 is loaded");
    let plan = AssessmentInput {
        system_id: system.id,
        catalogue_id: tcvn.id,
        kind: khien_domain::compliance::assessment::AssessmentKind::Independent,
        assessor_unit_id: Some(kd),
        title: TITLE.into(),
        planned_for: Some("15/12/2026".into()),
    };
    let a = db.store.create_assessment(&authority, &plan).await.unwrap();
    assert_eq!((a.level, a.state.code()), (3, "planned"));
    let store = db.store.clone();
    let db_url = db.url.clone();
    let manager = actor(db, MANAGER).await;
    let system_id = system.id;

    in_browser_on(server, move |c, base| async move {
        // 2. The assessor finds the assessment in its list and opens the workspace.
        login_ok(&c, &base, ASSESSOR).await;
        click_and_load(&c, "nav.main a[href='/assessments']").await;
        wait_path(&c, "/assessments").await;
        let listed = wait_text(&c, "#assessments", TITLE).await;
        assert!(listed.contains(CODE) && listed.contains("Đánh giá độc lập"), "/assessments for {ASSESSOR}: {listed}");
        click_and_load(&c, &format!("#assessments a[href='/assessments/{}']", a.id)).await;
        let id = wait_path(&c, "/assessments/*").await[0];
        assert_eq!(id, a.id);
        wait_text_is(&c, "#state", "Kế hoạch").await;
        assert!(groups(&c).await.iter().all(|g| g.2 == "—"), "nothing assessed yet: {:?}", groups(&c).await);
        let mut nodes = Vec::new();
        for tr in c.find_all(css("#results tr[data-node]")).await.unwrap() {
            nodes.push(tr.attr("data-node").await.unwrap().unwrap());
        }
        assert_eq!(nodes.len() as i64, a.applicable, "one row per applicable requirement");
        assert!(nodes.len() > 4);

        // Keys 1–4 on the focused row: non-compliant, partly, compliant, not applicable.
        press(&c, &nodes[0], "3", "non_compliant").await;
        press(&c, &nodes[1], "2", "partly").await;
        press(&c, &nodes[2], "1", "compliant").await;
        press(&c, &nodes[3], "4", "not_applicable").await;
        // 0 clears, and a key again sets it.
        press(&c, &nodes[2], "0", "").await;
        press(&c, &nodes[2], "1", "compliant").await;
        fill(&c, &format!("{} input[name='n:{}']", row(&nodes[0]), nodes[0]), NOTE).await;
        assert_eq!(find(&c, "#save").await.text().await.unwrap().trim(), "Lưu");
        click_and_load(&c, "#save").await;
        no_error(&c, "saving the results").await;
        wait_path(&c, "/assessments/*").await;
        wait_text_is(&c, "#state", "Đang đánh giá").await;
        for (node, want) in [(&nodes[0], "non_compliant"), (&nodes[1], "partly"), (&nodes[2], "compliant"), (&nodes[3], "not_applicable"), (&nodes[4], "")] {
            let v = find(&c, &format!("{} select.outcome", row(node))).await.prop("value").await.unwrap();
            assert_eq!(v.as_deref(), Some(want), "{node} after saving");
        }
        let note = find(&c, &format!("input[name='n:{}']", nodes[0])).await.prop("value").await.unwrap();
        assert_eq!(note.as_deref(), Some(NOTE));
        // The per-group percentages follow the saved outcomes.
        let after = groups(&c).await;
        let counted: i64 = after.iter().map(|g| g.1.split(" · ").next().unwrap().split('/').map(|x| x.parse::<i64>().unwrap()).sum::<i64>()).sum();
        assert_eq!(counted, 4, "four outcomes counted in the groups: {after:?}");
        for (name, counts, percent) in &after {
            assert_eq!(percent, &expected_percent(counts), "group {name} ({counts})");
        }
        assert!(after.iter().any(|g| g.2 != "—"), "some group has a percentage now: {after:?}");
        assert_ne!(find(&c, "#percent").await.text().await.unwrap().trim(), "—");

        // The rest compliant, by script, and saved.
        let script = "let n = 0; document.querySelectorAll('#results select.outcome').forEach(s => { if (!s.value) { s.value = 'compliant'; n++; } }); return n;";
        let set = must(&c, c.execute(script, vec![]).await, "completing the outcomes").await;
        assert_eq!(set.as_u64(), Some(nodes.len() as u64 - 4));
        click_and_load(&c, "#save").await;
        no_error(&c, "saving the results").await;
        wait_path(&c, "/assessments/*").await;
        wait_text_is(&c, "#state", "Đang đánh giá").await;
        let all = format!("{}/{}", nodes.len(), nodes.len());
        wait_text(&c, "main", &format!("Đã đánh giá {all}")).await;
        for (name, counts, percent) in groups(&c).await {
            assert_eq!(percent, expected_percent(&counts), "group {name} ({counts})");
            assert_ne!(percent, "—", "group {name} is fully assessed");
        }

        // To review and done: the assessor unit of an independent assessment closes it.
        move_to(&c, id, "in_review", "Đang rà soát").await;
        assert!(c.find(css("#save")).await.is_err(), "a reviewed assessment takes no more results");
        move_to(&c, id, "done", "Hoàn thành").await;
        assert!(c.find(css(&format!("form[action='/assessments/{id}/state']"))).await.is_err(), "done is final");
        let disabled = find(&c, &format!("{} select.outcome", row(&nodes[0]))).await.attr("disabled").await.unwrap();
        assert!(disabled.is_some(), "outcomes are read-only once done");

        // 3. The ward's manager finds the two gaps as findings with due dates.
        logout(&c).await;
        login_ok(&c, &base, MANAGER).await;
        click_and_load(&c, "nav.main a[href='/findings']").await;
        wait_path(&c, "/findings").await;
        wait_text(&c, "#finding-list", &nodes[0]).await;
        let rows = table(&c, "#finding-list").await;
        let header = &rows[0];
        let col = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("/findings has no column {name:?}: {header:?}"));
        let (title_col, system_col, due_col) = (col("Tiêu đề"), col("Hệ thống"), col("Hạn khắc phục"));
        let ours: Vec<&Vec<String>> = rows.iter().skip(1).filter(|r| r[system_col].contains(CODE)).collect();
        assert_eq!(ours.len(), 2, "the non-compliant and the partly met requirement, nothing else: {rows:?}");
        let gap = |prefix: &str, node: &str| {
            let want = format!("{prefix}: {node} ");
            ours.iter().find(|r| r[title_col].contains(&want)).unwrap_or_else(|| panic!("no finding titled {want:?} on /findings: {ours:?}"))
        };
        let non = gap("Không đáp ứng", &nodes[0]);
        let partly = gap("Đáp ứng một phần", &nodes[1]);
        for r in [non, partly] {
            assert!(is_vn_date(&r[due_col]), "due date in dd/mm/yyyy: {r:?}");
        }
        let due = non[due_col].clone();
        let finding_id: i64 = non[title_col].trim_start_matches('#').split(' ').next().unwrap().parse().unwrap();
        click_and_load(&c, &format!("#finding-list a[href='/findings/{finding_id}']")).await;
        wait_path(&c, "/findings/*").await;
        wait_text_is(&c, "#finding-due", &due).await;
        let fields = wait_text(&c, "#finding-fields", "Đánh giá (tcvn-14423-2026)").await;
        assert!(fields.contains(&format!("#{id} · {}", nodes[0])), "the finding names its assessment and requirement: {fields}");
        find(&c, &format!("#finding-fields a[href='/assessments/{id}']")).await;
        assert!(!find(&c, "#finding-summary").await.text().await.unwrap().contains("Quá hạn"), "not overdue yet");

        // 4. Nothing is overdue yet: a sweep escalates nothing.
        store.maintenance().sweep_reminders().await.unwrap();
        let escalations = |n: &[khien_store::Notification]| n.iter().filter(|x| x.kind == "finding_overdue").count();
        assert_eq!(escalations(&store.notifications(&manager, 500).await.unwrap()), 0);
        // Its deadline passes (yesterday); the next sweep escalates it to the ward's manager.
        let mut conn = sqlx::AnyConnection::connect(&db_url).await.unwrap();
        let updated = sqlx::query("UPDATE findings SET due_at = $1 WHERE id = $2").bind(store.clock().now_ms() - 86_400_000).bind(finding_id).execute(&mut conn).await.unwrap();
        assert_eq!(updated.rows_affected(), 1);
        store.maintenance().sweep_reminders().await.unwrap();
        c.goto(&format!("{base}/findings/{finding_id}")).await.unwrap();
        wait_text(&c, "#finding-summary", "Quá hạn").await;
        click_and_load(&c, "#bell").await;
        wait_path(&c, "/notifications").await;
        let text = wait_text(&c, "#notifications", "quá hạn khắc phục").await;
        let line = text.lines().find(|l| l.contains("quá hạn khắc phục")).unwrap();
        assert!(line.contains("Hồng Bàng: 1 phát hiện"), "the escalation names the ward and counts one finding: {line:?}");
        click_and_load(&c, "#notifications tr.overdue a[href*='overdue=true']").await;
        wait_path(&c, "/findings").await;
        let overdue = wait_text(&c, "#finding-list", &nodes[0]).await;
        assert!(!overdue.contains(&format!("Đáp ứng một phần: {} ", nodes[1])), "only the overdue finding is listed: {overdue}");
        find(&c, &format!("#finding-list tr.overdue a[href='/findings/{finding_id}']")).await;
        let escalated = store.list_findings(&manager, &FindingFilter { system_id: Some(system_id), limit: 10, ..Default::default() }).await.unwrap();
        assert!(escalated.items.iter().any(|f| f.id == finding_id && f.overdue));

        // 5. The system field suggests codes as the manager types a word of the name (no
        // diacritics), and filters the list by the code chosen.
        c.goto(&format!("{base}/findings")).await.unwrap();
        fill(&c, "#finding-filters input[name=system]", "mot cua").await;
        let deadline = Instant::now() + Duration::from_secs(10);
        let suggested = loop {
            let v = c.execute("return Array.from(document.querySelectorAll('#system-codes option')).map(o => o.value);", vec![]).await.unwrap();
            let codes: Vec<String> = serde_json::from_value(v).unwrap_or_default();
            if codes.iter().any(|x| x == CODE) || Instant::now() > deadline {
                break codes;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        assert!(suggested.contains(&CODE.to_string()), "suggestions for «mot cua»: {suggested:?}");
        fill(&c, "#finding-filters input[name=system]", CODE).await;
        click_and_load(&c, "#finding-filters button[type=submit]").await;
        let listed = wait_text(&c, "#finding-list", &nodes[0]).await;
        let rows = table(&c, "#finding-list").await;
        assert!(rows.iter().skip(1).all(|r| r.iter().any(|cell| cell.contains(CODE))), "only {CODE}: {listed}");
    })
    .await;
}
