//! The level dossier in a real browser, end to end (issue 14's "done when", at 1366 × 768 and on a
//! 390 × 844 phone, where every page of the flow must fit the screen): a ward
//! registers a system and submits its dossier with a file per part; the authority finds it first
//! on its home page and is notified, opens each part's file, appraises with a written opinion
//! after a confirmation; the ward is notified and approves the same way; the overview counts it.

use crate::browser::{
    choose, click, click_and_load, click_confirm_and_load, css, fill, find, here, in_browser, login_ok, logout,
    screenshot, table, tick, wait_path, wait_text, wait_text_is,
};
use crate::browser_layout::overflow;

/// The "done when", in Vietnamese, as the ward and the authority would click it: a ward
/// registers a public-service system, cannot put it into operation unapproved, prepares and
/// submits the level dossier; the authority appraises it (and may not approve a level 3); the
/// ward approves it and then puts the system into operation; the overview counts it.
#[tokio::test]
async fn dossier_flow_in_the_browser_at_1366() {
    dossier_flow(1366, 768).await;
}

#[tokio::test]
async fn dossier_flow_in_the_browser_on_a_phone() {
    dossier_flow(390, 844).await;
}

/// On a phone the menu is folded behind its button: open it before following a menu link.
async fn open_menu(c: &fantoccini::Client) {
    let folded = !find(c, "nav.main").await.is_displayed().await.unwrap_or(false);
    if folded {
        click(c, "label.menu-button").await;
    }
}

/// The page fits the window's width (tables scroll inside their own box).
async fn fits(c: &fantoccini::Client, width: u32) {
    let wider = overflow(c).await;
    assert!(wider <= 0, "{} is {wider} px wider than a {width} px screen", here(c).await);
}

async fn dossier_flow(width: u32, height: u32) {
    const MANAGER: &str = "hongbang.quanly";
    const OFFICER: &str = "pa05.truong";
    const NAME: &str = "Cổng dịch vụ công phường Hồng Bàng";
    in_browser(|c, base| async move {
        c.set_window_size(width, height).await.unwrap();
        // 1. The ward's manager registers the system.
        login_ok(&c, &base, MANAGER).await;
        fits(&c, width).await;
        open_menu(&c).await;
        let systems = find(&c, "nav.main a[href='/systems']").await;
        assert_eq!(systems.text().await.unwrap().trim(), "Hệ thống");
        click_and_load(&c, "nav.main a[href='/systems']").await;
        wait_path(&c, "/systems").await;
        let new = find(&c, "a[href='/systems/new']").await;
        assert_eq!(new.text().await.unwrap().trim(), "+ Đăng ký hệ thống", "the register link on /systems");
        click_and_load(&c, "a[href='/systems/new']").await;
        wait_path(&c, "/systems/new").await;
        fits(&c, width).await;
        fill(&c, "#system-form input[name=code]", "HB-DVC").await;
        fill(&c, "#system-form input[name=name]", NAME).await;
        let mut owner = None;
        let mut offered = Vec::new();
        for o in c.find_all(css("#system-form select[name=owner_unit_id] option")).await.unwrap() {
            let text = o.text().await.unwrap();
            if owner.is_none() && text.contains("Phường Hồng Bàng") {
                owner = o.attr("value").await.unwrap();
            }
            offered.push(text);
        }
        let owner = owner.unwrap_or_else(|| {
            panic!("/systems/new offers {MANAGER} no owner unit \"Phường Hồng Bàng\"; it offers {offered:?}")
        });
        choose(&c, "#system-form select[name=owner_unit_id]", &owner).await;
        choose(&c, "#system-form select[name=system_type]", "public_service").await;
        tick(&c, "#system-form input[name=admin_procedures]").await;
        // The security rules are issued before approval (NĐ 331 Đ30.7).
        fill(&c, "#system-form input[name=security_rules_ref]", "15/QĐ-UBND ngày 02/3/2026").await;
        choose(&c, "#system-form select[name=status]", "building").await;
        click_and_load(&c, "#system-form button[type=submit]").await;
        let system_id = wait_path(&c, "/systems/*").await[0];
        let system_url = format!("{base}/systems/{system_id}");
        let suggestion = wait_text(&c, "#suggestion", "Cấp độ gợi ý: 3").await;
        assert!(
            suggestion.contains("thủ tục hành chính"),
            "the suggestion on {system_url} gives the reason: {suggestion:?}"
        );
        wait_text_is(&c, "#system-status", "Đang xây dựng").await;

        // 2. Not into operation without an approved level.
        let status_form = format!("form[action='/systems/{system_id}/status']");
        choose(&c, &format!("{status_form} select[name=status]"), "in_operation").await;
        click_confirm_and_load(&c, &format!("{status_form} button[type=submit]"), "Mẫu 08").await;
        let error = wait_text(&c, "#error-message", "chưa có quyết định phê duyệt").await;
        assert!(error.contains("vận hành"), "{error}");
        c.back().await.unwrap();
        wait_path(&c, "/systems/*").await;

        // 3. A dossier: a file for each part (a ticked box is not a document), then submitted
        // after a confirmation that says what submitting does.
        click_and_load(&c, "#new-dossier").await;
        let dossier_id = wait_path(&c, "/dossiers/*").await[0];
        let dossier_url = format!("{base}/dossiers/{dossier_id}");
        wait_text_is(&c, "#dossier-state", "Đang dự thảo").await;
        wait_text(&c, "#parts-missing", "4").await;
        fits(&c, width).await;
        let dir = std::env::temp_dir().join(format!("khien-dossier-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for part in PARTS {
            let file = dir.join(format!("{part}.pdf"));
            std::fs::write(&file, format!("%PDF-1.4\n% {part}\n%%EOF\n")).unwrap();
            let row = format!("#part-{part}");
            let input = find(&c, &format!("{row} input[type=file]")).await;
            input.send_keys(file.to_str().unwrap()).await.unwrap();
            click_and_load(&c, &format!("{row} form[enctype] button[type=submit]")).await;
            wait_text(&c, &row, "Đủ").await;
        }
        assert!(c.find(css("#parts-missing")).await.is_err(), "every part has its file on {dossier_url}");
        click(&c, "#act-submit").await;
        let consequence = wait_text(&c, "#confirm-message", "bị khóa").await;
        assert!(consequence.contains("thông báo"), "{consequence}");
        fits(&c, width).await;
        click_and_load(&c, "#confirm-yes").await;
        wait_text_is(&c, "#dossier-state", "Đã gửi thẩm định").await;
        screenshot(&c, &format!("home-ward-submitted-{width}.png")).await;

        // 4. The authority finds it first on its home page, is notified, opens each part's file
        // and appraises it with a written opinion after a confirmation (and may not approve a
        // level 3).
        logout(&c).await;
        login_ok(&c, &base, OFFICER).await;
        let waiting = wait_text(&c, "#work-dossiers_to_decide", NAME).await;
        assert!(waiting.contains("cấp độ 3") && waiting.contains("còn"), "the step and its clock: {waiting}");
        fits(&c, width).await;
        screenshot(&c, &format!("home-authority-{width}.png")).await;
        c.goto(&format!("{base}/notifications")).await.unwrap();
        wait_text(&c, "main", NAME).await;
        fits(&c, width).await;
        c.goto(&format!("{base}/")).await.unwrap();
        click_and_load(&c, &format!("#work-dossiers_to_decide a[href='/dossiers/{dossier_id}']")).await;
        wait_text_is(&c, "#dossier-state", "Đã gửi thẩm định").await;
        let files = c.find_all(css("#parts a.part-file")).await.unwrap();
        assert_eq!(files.len(), PARTS.len(), "the appraiser sees each part's file on {dossier_url}");
        for f in files {
            let href = f.attr("href").await.unwrap().unwrap();
            assert_eq!(fetched(&c, &href).await, "200 application/pdf", "{href}");
        }
        assert!(
            c.find(css("#act-approve")).await.is_err(),
            "{OFFICER} is offered to approve a submitted dossier on {dossier_url}"
        );
        fill(&c, "#note-appraise", "Hồ sơ đủ thành phần; cấp độ 3 phù hợp tiêu chí NĐ 85 Điều 9.").await;
        click(&c, "#act-appraise").await;
        let quoted = wait_text(&c, "#confirm-quote", "Hồ sơ đủ thành phần").await;
        assert!(quoted.contains("Điều 9"), "the dialog quotes the opinion: {quoted}");
        wait_text(&c, "#confirm-message", "chờ phê duyệt").await;
        fits(&c, width).await;
        click_and_load(&c, "#confirm-yes").await;
        wait_text_is(&c, "#dossier-state", "Đã thẩm định").await;
        let opinion = wait_text(&c, "#opinions", "Hồ sơ đủ thành phần").await;
        assert!(opinion.contains("Văn bản (Word)"), "{opinion}");
        let letter = find(&c, "#opinions a[href$='/document']").await.attr("href").await.unwrap().unwrap();
        let got = fetched(&c, &letter).await;
        assert!(got.starts_with("200 application/vnd.openxmlformats"), "{letter}: {got}");
        assert!(
            c.find(css("#act-approve")).await.is_err(),
            "{OFFICER} may not approve a level 3, yet {dossier_url} offers it"
        );

        // 5. The ward is notified, approves it the same way, and the system goes into operation.
        logout(&c).await;
        login_ok(&c, &base, MANAGER).await;
        wait_text(&c, "#work-dossiers_to_decide", NAME).await;
        let decided = wait_text(&c, "#work-recent_decisions", "Thẩm định").await;
        assert!(!decided.contains(OFFICER), "people by their full names, not login names: {decided}");
        fits(&c, width).await;
        screenshot(&c, &format!("home-ward-manager-{width}.png")).await;
        c.goto(&dossier_url).await.unwrap();
        wait_text_is(&c, "#dossier-state", "Đã thẩm định").await;
        fill(&c, "#step-approve input[name=decision_number]", "125/QĐ-UBND").await;
        fill(&c, "#step-approve input[name=decision_signer]", "Nguyễn Văn A").await;
        fill(&c, "#note-approve", "Đồng ý cấp độ 3 theo kết quả thẩm định.").await;
        click(&c, "#act-approve").await;
        wait_text(&c, "#confirm-message", "thay thế").await;
        click_and_load(&c, "#confirm-yes").await;
        wait_text_is(&c, "#dossier-state", "Đã được phê duyệt").await;
        fits(&c, width).await;
        c.goto(&system_url).await.unwrap();
        wait_text_is(&c, "#approved-level", "3").await;
        // Before operation: the plan implemented in full and the security conditions assessed
        // (NĐ 331 Đ30.6, Đ28.3).
        c.goto(&format!("{system_url}/edit")).await.unwrap();
        choose(&c, "#system-form select[name=plan_status]", "full").await;
        fill(&c, "#system-form input[name=preoperation_assessed_on]", "20/11/2026").await;
        click_and_load(&c, "#system-form button[type=submit]").await;
        wait_path(&c, "/systems/*").await;
        choose(&c, &format!("{status_form} select[name=status]"), "in_operation").await;
        click_confirm_and_load(&c, &format!("{status_form} button[type=submit]"), "Mẫu 08").await;
        assert!(
            c.find(css("#error-message")).await.is_err(),
            "going into operation after approval failed: {}",
            here(&c).await
        );
        wait_path(&c, "/systems/*").await;
        wait_text_is(&c, "#system-status", "Đang vận hành").await;
        wait_text_is(&c, "#approved-level", "3").await;
        assert!(c.find(css("#violation")).await.is_err(), "{system_url} shows a violation for an approved system");

        // 6. The overview counts it as approved.
        c.goto(&format!("{base}/overview")).await.unwrap();
        wait_text(&c, "#overview", "Tổng cộng").await;
        fits(&c, width).await;
        let rows = table(&c, "#overview").await;
        let header = &rows[0];
        let column = |name: &str| {
            header
                .iter()
                .position(|h| h == name)
                .unwrap_or_else(|| panic!("/overview has no column {name:?}: {header:?}"))
        };
        let total = rows
            .iter()
            .find(|r| r.first().is_some_and(|c| c == "Tổng cộng"))
            .unwrap_or_else(|| panic!("/overview has no total row: {rows:?}"));
        let cell = |name: &str| total[column(name)].clone();
        assert_eq!(cell("Đã phê duyệt"), "1", "approved in the total row of /overview: {rows:?}");

        c.goto(&dossier_url).await.unwrap();
        wait_text_is(&c, "#dossier-state", "Đã được phê duyệt").await;
        screenshot(&c, &format!("browser-dossier-{width}.png")).await;
        // Leadership's home: the city's charts; on a phone, the ward's home fits the screen.
        logout(&c).await;
        login_ok(&c, &base, "lanhdao").await;
        wait_text(&c, "#city-summary", "Toàn thành phố").await;
        fits(&c, width).await;
        screenshot(&c, &format!("home-leadership-{width}.png")).await;
        if width < 1366 {
            let _ = std::fs::remove_dir_all(&dir);
            return;
        }
        // The other roles' home pages, each with what waits for it.
        for account in ["quantri", "sokhcn.canbo", "soc", "danhgia"] {
            logout(&c).await;
            login_ok(&c, &base, account).await;
            find(&c, "main h1").await;
            fits(&c, width).await;
            screenshot(&c, &format!("home-{account}-{width}.png")).await;
        }
        logout(&c).await;
        c.set_window_size(390, 844).await.unwrap();
        login_ok(&c, &base, "hongbang.canbo").await;
        find(&c, "main h1").await;
        let wider = overflow(&c).await;
        assert!(wider <= 0, "the ward's home is {wider} px wider than a phone");
        screenshot(&c, "home-ward-phone.png").await;
        // The dossier with its parts, files and opinions fits the phone too.
        c.goto(&dossier_url).await.unwrap();
        wait_text(&c, "#opinions", "Đồng ý cấp độ 3").await;
        let wider = overflow(&c).await;
        assert!(wider <= 0, "{dossier_url} is {wider} px wider than a phone");
        screenshot(&c, "dossier-phone.png").await;
        let _ = std::fs::remove_dir_all(&dir);
    })
    .await;
}

/// The four parts every level needs (NĐ 85 Đ15; NĐ 331 Đ21).
const PARTS: [&str; 4] = ["overview", "design", "level_justification", "protection_plan"];

/// What the browser gets for `href` (status and content type), as following the link would.
async fn fetched(c: &fantoccini::Client, href: &str) -> String {
    let script = "const done = arguments[arguments.length - 1]; \
                  fetch(arguments[0]).then(r => done(r.status + ' ' + r.headers.get('content-type')));";
    c.execute_async(script, vec![href.into()]).await.unwrap().as_str().unwrap_or("").to_string()
}
