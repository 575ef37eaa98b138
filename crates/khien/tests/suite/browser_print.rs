//! Every list and record page prints (issue 14.5): Chromium's own "print to PDF" (the WebDriver
//! Print command) of each page, read back as text: the record and its table are there, the menu,
//! the filters, the buttons and the pager are not.

use crate::browser::{in_browser_on, login_ok};
use crate::common::{admin_actor, unit_id, TestServer};
use base64::Engine;

/// The W3C WebDriver "Print Page" command, which fantoccini does not wrap: the page as a PDF,
/// A4 portrait, with backgrounds (the table headings' shade).
#[derive(Debug)]
struct PrintPage;

impl fantoccini::wd::WebDriverCompatibleCommand for PrintPage {
    fn endpoint(
        &self,
        base: &reqwest::Url,
        session: Option<&str>,
    ) -> Result<reqwest::Url, <reqwest::Url as std::str::FromStr>::Err> {
        base.join(&format!("session/{}/print", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &reqwest::Url) -> (reqwest::Method, Option<String>) {
        let body = r#"{"orientation":"portrait","background":true,"page":{"width":21.0,"height":29.7}}"#;
        (reqwest::Method::POST, Some(body.to_string()))
    }
}

/// The printed page's text (pdftotext, in the order it was drawn).
async fn printed(c: &fantoccini::Client, name: &str) -> String {
    let encoded = c.issue_cmd(PrintPage).await.unwrap();
    let pdf = base64::engine::general_purpose::STANDARD.decode(encoded.as_str().unwrap()).unwrap();
    assert!(pdf.starts_with(b"%PDF"), "{name} printed no PDF");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target");
    let _ = std::fs::create_dir_all(&dir);
    let file = dir.join(format!("print-{name}.pdf"));
    std::fs::write(&file, &pdf).unwrap();
    let out = std::process::Command::new("pdftotext").arg("-raw").arg(&file).arg("-").output().unwrap();
    assert!(out.status.success(), "pdftotext {name}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test]
async fn list_and_record_pages_print_without_the_menu_filters_or_buttons() {
    let server = TestServer::start().await;
    let admin = admin_actor(&server.db).await;
    let ward = unit_id(&server.db, "P-HONG-BANG").await;
    let input = khien_store::SystemInput {
        code: "HB-IN".into(),
        name: "Cổng thông tin phường Hồng Bàng".into(),
        owner_unit_id: ward,
        system_type: "public_service".into(),
        ..Default::default()
    };
    let system = server.db.store.create_system(&admin, &input).await.unwrap();
    let scan = std::io::Cursor::new(khien_formats::scan::synthetic_nessus(1, 3, 5));
    let tool = khien_formats::scan::ScanTool::Nessus;
    server.db.store.import_scan(&admin, system.id, tool, "in.nessus", Box::new(scan)).await.unwrap();
    let report = khien_store::IncidentInput {
        unit_id: ward,
        title: "Trang thông tin bị thay đổi giao diện".into(),
        category: "defacement".into(),
        detected_at: "2026-11-20T01:00:00Z".into(),
        ..Default::default()
    };
    let incident = server.db.store.create_incident(&admin, &report).await.unwrap();
    let pages = [
        ("systems", "/systems".to_string(), "Cổng thông tin phường Hồng Bàng"),
        ("system", format!("/systems/{}", system.id), "HB-IN"),
        ("findings", "/findings".to_string(), "HB-IN"),
        ("incidents", "/incidents".to_string(), "Trang thông tin bị thay đổi"),
        ("incident", format!("/incidents/{}", incident.id), "Trang thông tin bị thay đổi"),
        ("overview", "/overview".to_string(), "Tổng cộng"),
        ("units", "/units".to_string(), "Phường Hồng Bàng"),
    ];
    in_browser_on(server, |c, base| async move {
        c.set_window_size(1366, 900).await.unwrap();
        login_ok(&c, &base, "pa05.truong").await;
        for (name, path, holds) in pages {
            c.goto(&format!("{base}{path}")).await.unwrap();
            crate::browser::find(&c, "main h1").await;
            let text = printed(&c, name).await;
            let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(flat.contains(holds), "the printed {path} lacks {holds:?}:\n{text}");
            for gone in ["Đăng xuất", "Trang sau", "Lọc", "Xuất Excel", "☰", "dd/mm/yyyy", "Chuyển bước xử lý"]
            {
                assert!(!flat.contains(gone), "the printed {path} shows {gone:?}:\n{text}");
            }
        }
    })
    .await;
}
