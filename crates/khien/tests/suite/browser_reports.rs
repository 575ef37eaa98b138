//! Issue 16's path in the browser: the authority reads the indicators against their targets
//! with trend lines, returns a ward's yearly report with its reason; the ward's head finds it
//! on the home page of a phone, corrects and resubmits it; leadership reads the city on its
//! page; the authority accepts the report and the city's report counts it.

use crate::browser::{click_and_load, click_confirm_and_load, fill, find, in_browser_on, login_ok, logout, wait_text};
use crate::browser_layout::overflow;
use crate::common::{admin_actor, unit_id, TestServer};

#[tokio::test]
async fn a_ward_resubmits_a_returned_yearly_report_and_the_city_report_counts_it() {
    let server = TestServer::start().await;
    let admin = admin_actor(&server.db).await;
    let store = server.db.store.clone();
    let round =
        store.list_report_rounds(&admin).await.unwrap().into_iter().find(|r| r.template == "plan_year").unwrap();
    let lechan = unit_id(&server.db, "P-LE-CHAN").await;
    in_browser_on(server, move |c, base| async move {
        c.set_window_size(1366, 900).await.unwrap();
        login_ok(&c, &base, "pa05.canbo").await;
        // The city's indicators against their targets, with their trends drawn.
        c.goto(&format!("{base}/indicators")).await.unwrap();
        wait_text(&c, "#indicators", "HCM-1").await;
        find(&c, "section.indicator-trend svg").await;
        assert!(overflow(&c).await <= 0, "the indicators page is wider than 1366 px");
        // The ward's report, returned with its reason.
        c.goto(&format!("{base}/reports/{}/units/{lechan}", round.id)).await.unwrap();
        wait_text(&c, "#report-state", "Đã nộp").await;
        fill(&c, "#return-form textarea[name=reason]", "Bổ sung số liệu tuyên truyền trong năm").await;
        click_confirm_and_load(&c, "#return-form button[type=submit]", "Trả lại").await;
        wait_text(&c, "#unit-reports", "Bị trả lại").await;
        logout(&c).await;
        // The ward's head, on a phone: the home page brings the report back.
        c.set_window_size(390, 844).await.unwrap();
        login_ok(&c, &base, "lechan.quanly").await;
        wait_text(&c, "#work-reports_to_write", "Bị trả lại").await;
        click_and_load(&c, &format!("#work-reports_to_write a[href='/reports/{}/units/{lechan}']", round.id)).await;
        wait_text(&c, "#returned", "Bổ sung số liệu tuyên truyền").await;
        fill(&c, "#report-form textarea[name=results]", "Phường đã tổ chức 3 buổi tuyên truyền cho 240 lượt người.")
            .await;
        assert!(overflow(&c).await <= 0, "the report page is wider than a phone");
        click_confirm_and_load(&c, "#report-form button[value=submit]", "Nộp báo cáo").await;
        wait_text(&c, "#report-state", "Đã nộp").await;
        wait_text(&c, "#report-versions", "2").await;
        logout(&c).await;
        // Leadership's page: the indicators, the reports coming in.
        c.set_window_size(1366, 900).await.unwrap();
        login_ok(&c, &base, "lanhdao").await;
        wait_text(&c, "#leadership-indicators", "HCM-1").await;
        wait_text(&c, "#leadership-reports", "/").await;
        logout(&c).await;
        // The authority accepts; the city's report is offered.
        login_ok(&c, &base, "pa05.canbo").await;
        c.goto(&format!("{base}/reports/{}/units/{lechan}", round.id)).await.unwrap();
        click_and_load(&c, "#accept-form button[type=submit]").await;
        wait_text(&c, "#unit-reports", "Đã tiếp nhận").await;
        find(&c, "#consolidated a[href$='format=pdf']").await;
        let city = store.consolidate_reports(&admin, round.id).await.unwrap();
        let mine = city.reports.iter().find(|r| r.unit_id == lechan).unwrap();
        assert_eq!((mine.version, mine.state.code()), (2, "accepted"));
        assert!(mine.content.narrative("results").contains("240 lượt"));
    })
    .await;
}
