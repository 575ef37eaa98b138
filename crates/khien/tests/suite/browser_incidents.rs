//! Incidents in a real browser: a ward officer reports an incident detected 80 hours ago, its
//! 72-hour clock (NĐ 331 Đ31.2.d) is red, the authority triages it and gives a task, the ward works it to review
//! and files the closing report, the authority closes it; and a citizen's public report.

use crate::browser::{
    choose, click_and_load, css, fill, find, in_browser, login_ok, logout, must, wait_path, wait_text, wait_text_is,
};
use fantoccini::Client;

const OFFICER: &str = "hongbang.canbo";
const AUTHORITY: &str = "pa05.truong";
const TITLE: &str = "Mã độc tống tiền trên máy chủ một cửa phường Hồng Bàng";

/// A datetime-local field is set by script: typing into it depends on the browser's locale.
async fn set_value(c: &Client, selector: &str, value: &str) {
    let script = "document.querySelector(arguments[0]).value = arguments[1];";
    let r = c.execute(script, vec![serde_json::json!(selector), serde_json::json!(value)]).await;
    must(c, r, &format!("setting `{selector}`")).await;
}

async fn move_to(c: &Client, state: &str, label: &str) {
    choose(c, "#move-form select[name=state]", state).await;
    if state == "closed" {
        // Closing is weighty: the page asks first, naming what it does.
        crate::browser::click_confirm_and_load(c, "#move-form button[type=submit]", "thời hạn báo cáo dừng").await;
    } else {
        click_and_load(c, "#move-form button[type=submit]").await;
    }
    wait_text_is(c, "#incident-state", label).await;
}

async fn file_report(c: &Client, kind: &str, body: &str) {
    choose(c, "#report-form select[name=kind]", kind).await;
    fill(c, "#report-form textarea[name=body]", body).await;
    click_and_load(c, "#report-form button[type=submit]").await;
}

#[tokio::test]
async fn incident_reported_coordinated_and_closed_in_the_browser() {
    in_browser(|c, base| async move {
        // 1. The ward officer reports it from the queue.
        login_ok(&c, &base, OFFICER).await;
        click_and_load(&c, "nav.main a[href='/incidents']").await;
        wait_path(&c, "/incidents").await;
        click_and_load(&c, "#report-incident").await;
        wait_path(&c, "/incidents/new").await;
        let mut unit = None;
        for o in c.find_all(css("#incident-form select[name=unit_id] option")).await.unwrap() {
            if o.text().await.unwrap().contains("Hồng Bàng") {
                unit = o.attr("value").await.unwrap();
            }
        }
        let unit = unit.unwrap_or_else(|| panic!("/incidents/new offers {OFFICER} no unit \"Phường Hồng Bàng\""));
        choose(&c, "#incident-form select[name=unit_id]", &unit).await;
        fill(&c, "#incident-form input[name=title]", TITLE).await;
        choose(&c, "#incident-form select[name=category]", "ransomware").await;
        let detected = khien_domain::time::display_vn(khien_domain::Clock::System.now_ms() - 80 * 3_600_000);
        set_value(&c, "#incident-form input[name=detected_at]", &detected).await;
        fill(&c, "#incident-form textarea[name=symptoms]", "Tệp bị mã hóa, đuôi .lockbit").await;
        choose(&c, "#incident-form select[name=obs_kind]", "ipv4").await;
        fill(&c, "#incident-form input[name=obs_value]", "185.220.101.47").await;
        // Not yet a report: the 72-hour clock on cause, scope and remediation is already past.
        let initial = find(&c, "#incident-form input[name=file_initial_report]").await;
        if initial.is_selected().await.unwrap() {
            initial.click().await.unwrap();
        }
        click_and_load(&c, "#incident-form button[type=submit]").await;
        let id = wait_path(&c, "/incidents/*").await[0];
        wait_text_is(&c, "#incident-state", "Tiếp nhận").await;
        let clocks = wait_text(&c, "#clocks", "Quá hạn").await;
        assert!(clocks.contains("Báo cáo nguyên nhân, phạm vi, khắc phục"), "{clocks}");
        let red = c.find(css("#clocks tr.bad")).await;
        assert!(red.is_ok(), "the overdue clock on /incidents/{id} is not marked red");
        // The queue marks it too.
        c.goto(&format!("{base}/incidents?overdue=true")).await.unwrap();
        wait_text(&c, "#incident-list", TITLE).await;
        c.goto(&format!("{base}/incidents/{id}")).await.unwrap();
        file_report(&c, "progress", "Nguyên nhân: lỗ hổng VPN; 3 máy chủ bị mã hóa, đã ngắt mạng.").await;
        wait_text(&c, "#clocks", "Nộp muộn").await;
        assert!(
            c.find(css("#move-form")).await.is_ok(),
            "TT 20/2017 Đ11: {OFFICER} may triage the ward's own incident on /incidents/{id}"
        );

        // 2. The authority triages it and gives the city SOC a task.
        logout(&c).await;
        login_ok(&c, &base, AUTHORITY).await;
        c.goto(&format!("{base}/incidents/{id}")).await.unwrap();
        move_to(&c, "triaged", "Đã phân loại, xác minh").await;
        // A task goes to the incident's own ward or a member of the response network: a short list.
        choose(&c, "#task-form select[name=unit_id]", &unit).await;
        fill(&c, "#task-form input[name=title]", "Cô lập máy chủ, gửi mẫu mã độc").await;
        click_and_load(&c, "#task-form button[type=submit]").await;
        wait_text(&c, "#tasks", "Cô lập máy chủ").await;

        // 3. The ward works it to review and files the closing report.
        logout(&c).await;
        login_ok(&c, &base, OFFICER).await;
        c.goto(&format!("{base}/incidents/{id}")).await.unwrap();
        click_and_load(&c, "#tasks button[type=submit]").await;
        wait_text(&c, "#tasks", "Đã xong").await;
        move_to(&c, "containing", "Đang ngăn chặn").await;
        move_to(&c, "recovering", "Xử lý, khôi phục").await;
        move_to(&c, "reviewing", "Tổng kết, đánh giá").await;
        file_report(&c, "closing", "Đã khôi phục từ bản sao lưu, vá lỗ hổng.").await;
        let clocks = wait_text(&c, "#clocks", "Báo cáo kết thúc").await;
        assert!(clocks.contains("Đúng hạn"), "{clocks}");

        // 4. The authority closes it; the timeline tells the story.
        logout(&c).await;
        login_ok(&c, &base, AUTHORITY).await;
        c.goto(&format!("{base}/incidents/{id}")).await.unwrap();
        move_to(&c, "closed", "Đã đóng").await;
        let timeline = wait_text(&c, "#timeline", "Tổng kết, đánh giá → Đã đóng").await;
        assert!(timeline.contains("Giao nhiệm vụ"), "{timeline}");
    })
    .await;
}

/// A citizen reports a scam without an account and keeps the tracking code; the status page
/// shows it received; the authority finds it in its queue.
#[tokio::test]
async fn a_citizen_reports_a_scam_and_the_authority_sees_it() {
    in_browser(|c, base| async move {
        c.goto(&format!("{base}/bao-cao")).await.unwrap();
        choose(&c, "#public-report-form select[name=category]", "scam").await;
        fill(
            &c,
            "#public-report-form textarea[name=description]",
            "Tôi nhận cuộc gọi giả danh công an yêu cầu chuyển tiền vào tài khoản lạ.",
        )
        .await;
        fill(&c, "#public-report-form input[name=url]", "https://cong-an-gia.example/nop-phat").await;
        click_and_load(&c, "#public-report-form button[type=submit]").await;
        let code = wait_text(&c, "#tracking-code", "PA-").await.trim().to_string();
        assert_eq!(code.len(), "PA-XXXX-XXXX-XXXX".len(), "{code}");
        let state = find(&c, "#report-state").await.attr("data-state").await.unwrap();
        assert_eq!(state.as_deref(), Some("received"));
        login_ok(&c, &base, AUTHORITY).await;
        c.goto(&format!("{base}/public-reports")).await.unwrap();
        wait_text(&c, "body", &code).await;
    })
    .await;
}
