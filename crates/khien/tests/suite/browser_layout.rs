//! The shared frame in a real browser at the widths people use (issue 14.5): at 1366 px the
//! menu is one row with the rare items under "Khác"; on a 390 px phone the menu folds behind a
//! button and no page is wider than the screen (tables scroll inside their box); an error page
//! keeps the menu and says what to do next (issue 14.4).

use crate::browser::{click, find, in_browser, login_ok, wait_text};
use fantoccini::Client;

const AUTHORITY: &str = "pa05.truong";

/// How much wider than the window the page is, in CSS pixels (0 when it fits).
pub(crate) async fn overflow(c: &Client) -> i64 {
    let v = c
        .execute("return document.documentElement.scrollWidth - window.innerWidth;", vec![])
        .await
        .unwrap_or_else(|e| panic!("measuring the page width: {e}"));
    v.as_i64().unwrap_or(i64::MAX)
}

async fn displayed(c: &Client, selector: &str) -> bool {
    find(c, selector).await.is_displayed().await.unwrap_or(false)
}

#[tokio::test]
async fn the_menu_fits_a_laptop_and_folds_on_a_phone_where_no_page_is_wider_than_the_screen() {
    in_browser(|c, base| async move {
        c.set_window_size(1366, 900).await.unwrap();
        login_ok(&c, &base, AUTHORITY).await;
        wait_text(&c, "nav.main", "Hệ thống").await;
        let header = c.execute("return document.querySelector('header.top').getBoundingClientRect().height;", vec![]);
        let height = header.await.unwrap().as_f64().unwrap_or(f64::MAX);
        assert!(height < 110.0, "at 1366 px the header takes {height} px: the menu wraps");
        assert!(!displayed(&c, "#more-menu a[href='/calendar']").await, "rare items wait under «Khác»");
        click(&c, "#more-menu > summary").await;
        assert!(displayed(&c, "#more-menu a[href='/calendar']").await, "«Khác» opens on a click");
        let wider = overflow(&c).await;
        assert!(wider <= 0, "the home page is {wider} px wider than 1366 px");

        c.set_window_size(390, 844).await.unwrap();
        for page in ["/", "/systems", "/incidents", "/findings", "/overview", "/units"] {
            c.goto(&format!("{base}{page}")).await.unwrap();
            find(&c, "main h1").await;
            let wider = overflow(&c).await;
            assert!(wider <= 0, "{page} is {wider} px wider than a 390 px phone");
        }
        // An error keeps a way on and says what to do next.
        c.goto(&format!("{base}/systems/987654")).await.unwrap();
        let next = wait_text(&c, "#error-next", "danh sách").await;
        assert!(next.contains("ngoài phạm vi"), "a 404 says why and what to do: {next:?}");
        assert!(find(&c, "header.top a[href='/systems']").await.is_displayed().await.unwrap_or(false));
        assert!(overflow(&c).await <= 0, "the error page fits a phone");
        c.goto(&format!("{base}/")).await.unwrap();
        find(&c, "main h1").await;
        assert!(!displayed(&c, "nav.main").await, "on a phone the menu is folded");
        click(&c, "label.menu-button").await;
        assert!(displayed(&c, "nav.main a[href='/systems']").await, "the menu button opens the menu");
    })
    .await;
}

/// Issue 17's pages fit a phone: the authority's templates with the field list, the rulesets
/// page with the manager's check, a unit's completeness, a system's details with its inventory.
#[tokio::test]
async fn the_paperwork_pages_fit_a_phone() {
    let server = crate::common::TestServer::start().await;
    let ward = crate::common::unit_id(&server.db, "P-HONG-BANG").await;
    let officer = crate::common::actor(&server.db, "hongbang.canbo").await;
    let sys = server.db.store.create_system(&officer, &crate::systems::ward_system(ward, "HB-PHONE")).await.unwrap();
    let asset = khien_store::AssetInput {
        group: "software".into(),
        name: "Microsoft Windows Server 2012 R2 Datacenter".into(),
        version: Some("6.3.9600".into()),
        owner: Some("Phòng Văn hóa - Thông tin".into()),
        end_of_support: Some("2023-10-10".into()),
        notes: Some("Máy chủ ứng dụng một cửa điện tử".into()),
    };
    server.db.store.replace_inventory(&officer, &[(sys.id, vec![asset])]).await.unwrap();
    crate::browser::in_browser_on(server, move |c, base| async move {
        c.set_window_size(390, 844).await.unwrap();
        login_ok(&c, &base, AUTHORITY).await;
        for page in [
            "/document-templates".to_string(),
            "/rulesets".to_string(),
            format!("/units/{ward}/completeness"),
            format!("/systems/{}/details", sys.id),
        ] {
            c.goto(&format!("{base}{page}")).await.unwrap();
            find(&c, "main h1").await;
            let wider = overflow(&c).await;
            assert!(wider <= 0, "{page} is {wider} px wider than a 390 px phone");
        }
    })
    .await;
}
