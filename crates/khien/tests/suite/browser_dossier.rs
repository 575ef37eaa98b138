//! The level dossier in a real browser, end to end: a ward registers a system, the authority
//! appraises the dossier, the ward approves it, and the overview counts it.

use crate::browser::{
    choose, click_and_load, css, fill, find, here, in_browser, login_ok, logout, screenshot, table, tick, wait_path,
    wait_text, wait_text_is,
};

/// The "done when", in Vietnamese, as the ward and the authority would click it: a ward
/// registers a public-service system, cannot put it into operation unapproved, prepares and
/// submits the level dossier; the authority appraises it (and may not approve a level 3); the
/// ward approves it and then puts the system into operation; the overview counts it.
#[tokio::test]
async fn dossier_flow_in_the_browser() {
    const MANAGER: &str = "hongbang.quanly";
    const OFFICER: &str = "pa05.truong";
    const NAME: &str = "Cổng dịch vụ công phường Hồng Bàng";
    in_browser(|c, base| async move {
        // 1. The ward's manager registers the system.
        login_ok(&c, &base, MANAGER).await;
        let systems = find(&c, "nav.main a[href='/systems']").await;
        assert_eq!(systems.text().await.unwrap().trim(), "Hệ thống");
        click_and_load(&c, "nav.main a[href='/systems']").await;
        wait_path(&c, "/systems").await;
        let new = find(&c, "a[href='/systems/new']").await;
        assert_eq!(new.text().await.unwrap().trim(), "+ Đăng ký hệ thống", "the register link on /systems");
        click_and_load(&c, "a[href='/systems/new']").await;
        wait_path(&c, "/systems/new").await;
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
        click_and_load(&c, &format!("{status_form} button[type=submit]")).await;
        let error = wait_text(&c, "#error-message", "chưa có quyết định phê duyệt").await;
        assert!(error.contains("vận hành"), "{error}");
        c.back().await.unwrap();
        wait_path(&c, "/systems/*").await;

        // 3. A dossier: all four parts, then submitted for appraisal.
        click_and_load(&c, "#new-dossier").await;
        let dossier_id = wait_path(&c, "/dossiers/*").await[0];
        let dossier_url = format!("{base}/dossiers/{dossier_id}");
        wait_text_is(&c, "#dossier-state", "Đang dự thảo").await;
        for part in ["overview", "design", "level_justification", "protection_plan"] {
            tick(&c, &format!("form[action='/dossiers/{dossier_id}'] input[type=checkbox][name=part_{part}]")).await;
        }
        let save = format!("form[action='/dossiers/{dossier_id}'] button[type=submit]");
        assert_eq!(find(&c, &save).await.text().await.unwrap().trim(), "Lưu hồ sơ");
        click_and_load(&c, &save).await;
        wait_path(&c, "/dossiers/*").await;
        for part in ["overview", "design", "level_justification", "protection_plan"] {
            let ticked = find(&c, &format!("input[name=part_{part}]")).await.is_selected().await.unwrap();
            assert!(ticked, "part_{part} is not ticked on {dossier_url} after saving");
        }
        click_and_load(&c, "#act-submit").await;
        wait_text_is(&c, "#dossier-state", "Đã gửi thẩm định").await;

        // 4. The authority appraises it, and may not approve a level 3.
        logout(&c).await;
        login_ok(&c, &base, OFFICER).await;
        c.goto(&format!("{base}/overview")).await.unwrap();
        let pending = wait_text(&c, "#pending", NAME).await;
        assert!(pending.contains("Thẩm định"), "/overview lists the dossier as waiting for appraisal: {pending:?}");
        let charts = wait_text(&c, "#overview-charts", "Toàn thành phố").await;
        assert!(charts.contains("Đã nộp hồ sơ, chờ thẩm định"), "the level chart's table: {charts:?}");
        assert!(c.find(css("#overview-charts figure.chart svg[role='img']")).await.is_ok(), "the chart is drawn");
        click_and_load(&c, &format!("#pending a[href='/dossiers/{dossier_id}']")).await;
        wait_path(&c, "/dossiers/*").await;
        wait_text_is(&c, "#dossier-state", "Đã gửi thẩm định").await;
        assert!(
            c.find(css("#act-approve")).await.is_err(),
            "{OFFICER} is offered to approve a submitted dossier on {dossier_url}"
        );
        click_and_load(&c, "#act-appraise").await;
        wait_text_is(&c, "#dossier-state", "Đã thẩm định").await;
        assert!(
            c.find(css("#act-approve")).await.is_err(),
            "{OFFICER} may not approve a level 3, yet {dossier_url} offers it"
        );

        // 5. The ward approves it, and the system goes into operation.
        logout(&c).await;
        login_ok(&c, &base, MANAGER).await;
        c.goto(&dossier_url).await.unwrap();
        wait_text_is(&c, "#dossier-state", "Đã thẩm định").await;
        fill(&c, "form:has(#act-approve) input[name=decision_number]", "125/QĐ-UBND").await;
        fill(&c, "form:has(#act-approve) input[name=decision_signer]", "Nguyễn Văn A").await;
        click_and_load(&c, "#act-approve").await;
        wait_text_is(&c, "#dossier-state", "Đã được phê duyệt").await;
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
        click_and_load(&c, &format!("{status_form} button[type=submit]")).await;
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
        screenshot(&c, "browser-dossier.png").await;
    })
    .await;
}
