//! Issue 18's botnet path in the browser: a SOC's sensor reports a ward's address in a botnet;
//! the ward's officer, on a phone, finds the case on «IP nhiễm mã độc botnet», reports it cleaned
//! with evidence (confirmed); the authority verifies it at 1366 px.

use crate::browser::{click_confirm_and_load, fill, in_browser_on, login_ok, logout, wait_text};
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
