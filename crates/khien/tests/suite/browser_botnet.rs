//! Issue 18's botnet path in the browser: a SOC's sensor reports a ward's address in a botnet;
//! the ward's officer, on a phone, finds the case on «IP nhiễm mã độc botnet», reports it cleaned
//! with evidence (confirmed); the authority verifies it at 1366 px. And the live event rate on
//! «Cảnh báo giám sát (SOC)» refreshes itself while the page stays open.

use crate::browser::{click_confirm_and_load, fill, find, in_browser_on, login_ok, logout, wait_text};
use crate::browser_layout::overflow;
use crate::common::TestServer;
use crate::telemetry::{soc_token, system_with_ranges};

#[tokio::test]
async fn a_botnet_ip_is_notified_cleaned_and_verified_in_the_browser() {
    let server = TestServer::start().await;
    system_with_ranges(&server.db, "P-HONG-BANG", "hongbang.canbo", "HB-BOTNET", &["192.168.20.0/24"]).await;
    let token = soc_token(&server.db, "P-HONG-BANG").await;
    let r = reqwest::Client::new()
        .post(server.url("/api/v1/telemetry/events"))
        .bearer_auth(&token)
        .body(r#"{"khien":"botnet","ip":"192.168.20.66","family":"mirai","feed":"SOC Hải Đông"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let admin = crate::common::admin_actor(&server.db).await;
    let cases = server.db.store.list_botnet_cases(&admin, &Default::default()).await.unwrap();
    let id = cases.iter().find(|c| c.ip == "192.168.20.66").unwrap().id;
    in_browser_on(server, move |c, base| async move {
        let row = format!("#case-{id}");
        // The ward's officer on a phone: told, then reports the machine cleaned.
        c.set_window_size(390, 844).await.unwrap();
        login_ok(&c, &base, "hongbang.canbo").await;
        c.goto(&format!("{base}/notifications")).await.unwrap();
        wait_text(&c, "main", "192.168.20.66").await;
        c.goto(&format!("{base}/botnet")).await.unwrap();
        wait_text(&c, &row, "Đã thông báo đơn vị").await;
        assert!(overflow(&c).await <= 0, "the botnet page is wider than a phone");
        fill(&c, &format!("{row} textarea[name=note]"), "Đã cách ly máy, cài lại hệ điều hành; biên bản số 7.").await;
        click_confirm_and_load(&c, &format!("{row} form.move-form button"), "Báo đã xử lý").await;
        wait_text(&c, &row, "Đơn vị báo đã xử lý").await;
        wait_text(&c, &row, "biên bản số 7").await;
        logout(&c).await;

        // The authority verifies.
        c.set_window_size(1366, 900).await.unwrap();
        login_ok(&c, &base, "pa05.truong").await;
        c.goto(&format!("{base}/botnet")).await.unwrap();
        fill(&c, &format!("{row} form.move-form textarea[name=note]"), "Đã kiểm tra lại, không còn kết nối C2.").await;
        click_confirm_and_load(&c, &format!("{row} form.move-form button"), "Xác minh đã sạch").await;
        wait_text(&c, &row, "Đã xác minh sạch").await;
    })
    .await;
}

#[tokio::test]
async fn the_live_event_rate_refreshes_itself_while_the_page_is_open() {
    let server = TestServer::start().await;
    system_with_ranges(&server.db, "P-HONG-BANG", "hongbang.canbo", "HB-LIVE", &["192.168.30.0/24"]).await;
    let token = soc_token(&server.db, "P-HONG-BANG").await;
    let url = server.url("/api/v1/telemetry/events");
    in_browser_on(server, move |c, base| async move {
        login_ok(&c, &base, "hongbang.canbo").await;
        c.goto(&format!("{base}/telemetry")).await.unwrap();
        // The demo city's own telemetry may already count: read what is shown (1.234 → 1234).
        // Read in one script call: the page's refresh replaces the figure's element, and an
        // element found before a refresh is stale when its text is asked for after it.
        let shown = |c: fantoccini::Client| async move {
            find(&c, "#live-last-hour").await;
            let text =
                c.execute("return document.querySelector('#live-last-hour').textContent;", vec![]).await.unwrap();
            text.as_str().unwrap().trim().replace('.', "").parse::<i64>().unwrap()
        };
        let before = shown(c.clone()).await;
        let line = r#"{"khien":"alert","src_ip":"192.168.30.5","dst_ip":"203.0.113.7","rule":"ET LIVE","severity":2}"#;
        let r = reqwest::Client::new().post(&url).bearer_auth(&token).body(line).send().await.unwrap();
        assert_eq!(r.status(), 200);
        // No reload: only the page's own refresh (every 30 s) can show the event.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(45);
        loop {
            let now = shown(c.clone()).await;
            if now == before + 1 {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "the live rate still shows {now} (was {before}) after 45 s");
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        }
        find(&c, "#live-rate svg").await;
    })
    .await;
}
