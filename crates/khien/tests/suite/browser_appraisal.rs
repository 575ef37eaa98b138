//! Issue 17.4's appraisal round in the browser: the appraiser comments on the design part with
//! the requirement it misses and returns the dossier; the ward's officer, on a phone, answers the
//! comment and resubmits with a new design file; the appraiser sees the answer and what changed
//! between the two submissions, and issues the appraisal opinion (Mẫu 04) from the page.

use crate::browser::{
    choose, click_and_load, click_confirm_and_load, fill, in_browser_on, login_ok, logout, wait_text,
};
use crate::browser_layout::overflow;
use crate::common::{actor, TestServer};
use crate::dossier_forms::level_3_dossier;

#[tokio::test]
async fn an_appraisal_comment_is_answered_and_the_resubmission_shows_its_difference() {
    let server = TestServer::start().await;
    let id = level_3_dossier(&server.db, "HB-BROWSER").await;
    let officer = actor(&server.db, "hongbang.canbo").await;
    let store = server.db.store.clone();
    in_browser_on(server, move |c, base| async move {
        let page = format!("{base}/dossiers/{id}");
        c.set_window_size(1366, 900).await.unwrap();
        login_ok(&c, &base, "pa05.truong").await;
        c.goto(&page).await.unwrap();
        choose(&c, "#comment-form select[name=part]", "design").await;
        fill(&c, "#comment-form input[name=requirement]", "TCVN 14423:2026 5.2.3").await;
        fill(&c, "#comment-form textarea[name=body]", "Thiếu sơ đồ phân vùng mạng.").await;
        click_and_load(&c, "#add-comment").await;
        wait_text(&c, "#comment-list", "Thiếu sơ đồ phân vùng mạng.").await;
        wait_text(&c, "#comment-list", "Hồ sơ thiết kế").await;
        fill(&c, "#step-return textarea[name=note]", "Bổ sung theo ý kiến theo thành phần.").await;
        click_confirm_and_load(&c, "#act-return", "Trả lại hồ sơ").await;
        wait_text(&c, "body", "Trả lại để bổ sung").await;
        logout(&c).await;

        // The ward's officer on a phone: a new design file, the answer, the resubmission.
        let v2 = b"%PDF-1.4\n% design v2 with network zones\n%%EOF\n";
        store.add_attachment(&officer, id, "design", "thiet-ke-v2.pdf", v2).await.unwrap();
        c.set_window_size(390, 844).await.unwrap();
        login_ok(&c, &base, "hongbang.canbo").await;
        c.goto(&page).await.unwrap();
        fill(&c, "#comment-list textarea[name=answer]", "Đã bổ sung sơ đồ trong tệp thiết kế mới.").await;
        assert!(overflow(&c).await <= 0, "the dossier page is wider than a phone");
        click_and_load(&c, "#comment-list button[type=submit]").await;
        wait_text(&c, "#comment-list", "Đã bổ sung sơ đồ").await;
        click_confirm_and_load(&c, "#act-submit", "Gửi hồ sơ đi thẩm định").await;
        wait_text(&c, "#submission-list", "thiet-ke-v2.pdf").await;
        logout(&c).await;

        // The appraiser sees the difference and issues the appraisal opinion from the page.
        c.set_window_size(1366, 900).await.unwrap();
        login_ok(&c, &base, "pa05.truong").await;
        c.goto(&page).await.unwrap();
        let diff = wait_text(&c, "#submission-2", "Hồ sơ thiết kế").await;
        assert!(diff.contains("thiet-ke-v2.pdf"), "{diff}");
        click_confirm_and_load(&c, "#issue-appraisal_opinion button[type=submit]", "Ban hành văn bản này").await;
        wait_text(&c, "#issued-documents", "Ý kiến thẩm định hồ sơ đề xuất cấp độ").await;
    })
    .await;
}
