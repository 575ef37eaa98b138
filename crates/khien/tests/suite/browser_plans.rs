//! A ward reports progress on a plan task in the browser, on a phone's width (issue 15's "done
//! when"): from its own tasks on the plans page to the task, the report form, and back to its
//! report in the table; the plan's status page fits a 1366 px screen and a phone.

use crate::browser::{choose, click_and_load, fill, find, in_browser_on, login_ok, logout, screenshot, wait_text};
use crate::browser_layout::overflow;
use crate::common::{admin_actor, TestServer};

#[tokio::test]
async fn a_ward_reports_progress_in_the_browser() {
    let server = TestServer::start().await;
    let admin = admin_actor(&server.db).await;
    let store = server.db.store.clone();
    let plan = store.list_plans(&admin).await.unwrap().into_iter().find(|p| p.number == "HP-ANM/2026").unwrap();
    let task = store.plan_tasks(&admin, plan.id).await.unwrap().into_iter().find(|t| t.number == "1.3").unwrap();
    let period = plan.reporting().unwrap().period_of(store.clock().today_vn());
    let ward = crate::common::unit_id(&server.db, "P-HONG-BANG").await;
    let officer = crate::common::actor(&server.db, "hongbang.canbo").await;
    in_browser_on(server, move |c, base| async move {
        c.set_window_size(390, 844).await.unwrap();
        login_ok(&c, &base, "hongbang.canbo").await;
        c.goto(&format!("{base}/plans")).await.unwrap();
        wait_text(&c, "#mine", "1.3").await;
        assert!(overflow(&c).await <= 0, "the plans page is wider than a phone");
        click_and_load(&c, &format!("#mine a[href^='/plan-tasks/{}']", task.id)).await;
        wait_text(&c, "#report-form h2", "Phường Hồng Bàng").await;
        choose(&c, "#report-form select[name=status]", "done").await;
        fill(&c, "#report-form textarea[name=narrative]", "Đã rà soát 4 hệ thống, 2 hệ thống đã có mô hình 4 lớp.")
            .await;
        fill(&c, "#report-form input[name=figures]", "4 hệ thống").await;
        click_and_load(&c, "#report-form button[type=submit]").await;
        wait_text(&c, "#task-units", "Đã rà soát 4 hệ thống").await;
        assert!(overflow(&c).await <= 0, "the task page is wider than a phone");
        screenshot(&c, "plan-task-390.png").await;
        let tp = store.task_progress(&officer, task.id, Some(&period)).await.unwrap();
        let mine = tp.units.iter().find(|u| u.unit_id == ward).unwrap();
        assert_eq!(mine.report.as_ref().unwrap().status.code(), "done");
        // The form keeps the report for a correction.
        let kept = find(&c, "#report-form textarea[name=narrative]").await.prop("value").await.unwrap();
        assert_eq!(kept.as_deref(), Some("Đã rà soát 4 hệ thống, 2 hệ thống đã có mô hình 4 lớp."));
        logout(&c).await;
        c.set_window_size(1366, 900).await.unwrap();
        login_ok(&c, &base, "pa05.canbo").await;
        c.goto(&format!("{base}/plans/{}?period={period}", plan.id)).await.unwrap();
        wait_text(&c, "#plan-tasks", "1.3").await;
        wait_text(&c, "#missing", "Phường").await;
        assert!(overflow(&c).await <= 0, "the plan page is wider than 1366 px");
        screenshot(&c, "plan-1366.png").await;
    })
    .await;
}
