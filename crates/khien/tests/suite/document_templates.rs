//! The authority's own Word templates (issue 17.2): uploaded and checked (unknown field, broken
//! loop, macro, not a DOCX, too large: each refused naming why), versioned, previewed with the
//! demo system, made the default, and issued from — refused while the dossier lacks a field the
//! template uses, then kept as Word with the template's styles.

use crate::common::{actor, TestDb, TestServer, DEMO_PASSWORD};
use crate::dossier_forms::level_3_dossier;
use khien_domain::system::dossier::DossierAction as A;
use reqwest::Method;
use serde_json::{json, Value};
use std::io::Write;

on_both_stores!(the_authority_uploads_its_own_template_and_issues_from_it);

fn run(text: &str) -> String {
    format!("<w:r><w:rPr><w:rStyle w:val=\"KhienDo\"/></w:rPr><w:t>{text}</w:t></w:r>")
}

fn paragraph(runs: &[&str]) -> String {
    format!("<w:p>{}</w:p>", runs.iter().map(|r| run(r)).collect::<String>())
}

/// A Word file as a person would write it: fields split over runs, a loop row in a table.
pub(crate) fn template(body: &str, macros: bool) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default();
    let main = if macros {
        "application/vnd.ms-word.document.macroEnabled.main+xml"
    } else {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    };
    let files = [
        ("[Content_Types].xml", format!("<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"{main}\"/><Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/></Types>")),
        ("_rels/.rels", "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>".to_string()),
        ("word/_rels/document.xml.rels", "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/></Relationships>".to_string()),
        ("word/styles.xml", "<?xml version=\"1.0\"?><w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:style w:type=\"character\" w:styleId=\"KhienDo\"><w:name w:val=\"Khien Do\"/><w:rPr><w:color w:val=\"C00000\"/></w:rPr></w:style></w:styles>".to_string()),
        ("word/document.xml", format!("<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>")),
    ];
    for (name, text) in files {
        w.start_file(name, o).unwrap();
        w.write_all(text.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn decision_body() -> String {
    let cell = |t: &str| format!("<w:tc>{}</w:tc>", paragraph(&[t]));
    format!(
        "{}{}<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>{}",
        paragraph(&["QUYẾT ĐỊNH phê duyệt cấp độ của hệ thống «{{he_", "thong.ten}}»"]),
        paragraph(&["Cấp độ {{ho_so.cap_do_de_xuat}}; số {{ho_so.so_quyet_dinh}}"]),
        cell("STT"),
        cell("Thành phần"),
        cell("{{#thanh_phan}}{{stt}}"),
        cell("{{ten}}{{/thanh_phan}}"),
        paragraph(&["{{nguoi_ky.ten}}"]),
    )
}

async fn upload(who: &crate::common::Session, body: Vec<u8>, name: &str) -> reqwest::Response {
    let query = [("form", "level_decision"), ("ruleset", "nd331-2026"), ("name", name)];
    let url = who.url("/api/v1/document-templates");
    who.client.post(url).query(&query).header("x-csrf-token", &who.csrf).body(body).send().await.unwrap()
}

async fn the_authority_uploads_its_own_template_and_issues_from_it(db: TestDb) {
    let s = TestServer::start_on(db).await;
    let authority = s.login("pa05.truong", DEMO_PASSWORD).await;
    let officer = s.login("hongbang.canbo", DEMO_PASSWORD).await;
    let r = upload(&officer, template(&decision_body(), false), "QĐ của phường").await;
    assert!(r.status() == 403 || r.status() == 404, "{}", r.status());
    // Refused, each naming why.
    let unknown = template(&(paragraph(&["Kính gửi"]) + &paragraph(&["{{he_thong.chu_quan}}"])), false);
    let broken = template(
        &format!("<w:tbl><w:tr><w:tc>{}</w:tc></w:tr></w:tbl>", paragraph(&["{{#thanh_phan}}{{ten}}"])),
        false,
    );
    for (bytes, needle) in [
        (unknown, "đoạn 2"),
        (broken, "thanh_phan"),
        (template(&decision_body(), true), "macro"),
        (b"%PDF-1.4 not a template".to_vec(), "DOCX"),
    ] {
        let r = upload(&authority, bytes, "Hỏng").await;
        assert_eq!(r.status(), 422, "{needle}");
        let text = r.text().await.unwrap();
        assert!(text.contains(needle) && text.contains("\"field\":\"file\""), "{needle}: {text}");
    }
    let r = upload(&authority, vec![b'x'; 6 * 1024 * 1024], "Quá lớn").await;
    assert_eq!(r.status(), 413);
    // Kept, with versions.
    let r = upload(&authority, template(&decision_body(), false), "QĐ phê duyệt của UBND phường").await;
    assert_eq!(r.status(), 201);
    let first: Value = r.json().await.unwrap();
    assert_eq!(
        first["fields"],
        json!([
            "he_thong.ten",
            "ho_so.cap_do_de_xuat",
            "ho_so.so_quyet_dinh",
            "#thanh_phan",
            "thanh_phan.stt",
            "thanh_phan.ten",
            "nguoi_ky.ten"
        ])
    );
    let second: Value = upload(&authority, template(&decision_body(), false), "QĐ phê duyệt của UBND phường")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((first["version"].as_i64(), second["version"].as_i64()), (Some(1), Some(2)));
    assert!(officer.get_json("/api/v1/document-templates/fields").await.to_string().contains("he_thong.ten"));
    // The preview with the demo system fills every field.
    let preview = authority.get(&format!("/api/v1/document-templates/{}/preview", second["id"])).await;
    assert_eq!(preview.status(), 200);
    assert_eq!(preview.headers()["x-khien-missing-fields"], "");
    let xml = crate::common::docx_text(&preview.bytes().await.unwrap());
    assert!(xml.contains("Cổng dịch vụ công phường Hồng Bàng") && xml.contains("KhienDo"), "{xml}");
    let path = format!("/api/v1/document-templates/{}/default", second["id"]);
    assert!(matches!(
        officer.send(Method::PUT, &path, Some(json!({"default": true}))).await.status().as_u16(),
        403 | 404
    ));
    assert_eq!(authority.send(Method::PUT, &path, Some(json!({"default": true}))).await.status(), 200);

    // A ward's dossier: before approval the template's decision number is missing.
    let id = level_3_dossier(&s.db, "HB-TEMPLATE").await;
    let pa05 = actor(&s.db, "pa05.truong").await;
    s.db.store.act_on_dossier(&pa05, id, A::Appraise, Some("Đạt yêu cầu."), None, None).await.unwrap();
    let head = s.login("hongbang.quanly", DEMO_PASSWORD).await;
    // The dossier's list names the template and what the data still lacks for it.
    let forms = head.get_json(&format!("/api/v1/dossiers/{id}/forms")).await;
    let decision = forms.as_array().unwrap().iter().find(|f| f["form"] == "level_decision").unwrap().clone();
    assert_eq!(decision["template"], "QĐ phê duyệt của UBND phường v2");
    assert!(decision["gaps"].to_string().contains("ho_so.so_quyet_dinh"), "{decision}");
    let page = head.get(&format!("/dossiers/{id}")).await.text().await.unwrap();
    assert!(page.contains("QĐ phê duyệt của UBND phường v2") && page.contains("Số quyết định phê duyệt"));
    let issue = format!("/api/v1/dossiers/{id}/forms/level_decision");
    let r = head.send(Method::POST, &issue, Some(json!({}))).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("ho_so.so_quyet_dinh"));
    let manager = actor(&s.db, "hongbang.quanly").await;
    s.db.store
        .act_on_dossier(&manager, id, A::Approve, Some("Đồng ý."), Some("88/QĐ-UBND"), Some("Lê Văn C"))
        .await
        .unwrap();
    let r = head.send(Method::POST, &issue, Some(json!({}))).await;
    assert_eq!(r.status(), 201);
    let issued: Value = r.json().await.unwrap();
    assert_eq!((issued["template_id"].clone(), issued["pdf_sha256"].clone()), (second["id"].clone(), Value::Null));
    let file = head.get(&format!("/api/v1/dossier-documents/{}/file", issued["id"])).await.bytes().await.unwrap();
    let xml = crate::common::docx_text(&file);
    for needle in [
        "Cổng dịch vụ công phường Hồng Bàng",
        "88/QĐ-UBND",
        "Báo cáo tổng quan về hệ thống",
        "Hồ sơ thiết kế",
        "KhienDo",
    ] {
        assert!(xml.contains(needle), "the issued decision lacks {needle}");
    }
    assert_eq!(head.get(&format!("/api/v1/dossier-documents/{}/file?format=pdf", issued["id"])).await.status(), 404);
}
