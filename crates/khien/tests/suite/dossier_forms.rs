//! The level procedure's documents written from a dossier's data (issue 17.1; NĐ 331/2026
//! Phụ lục, Mẫu 01–07, Đ18, Đ20, Đ22): which a level-3 dossier has, who issues each, what is
//! kept, and the files opened by LibreOffice as a user's office suite would.

use crate::common::{actor, unit_id, TestDb, TestServer, DEMO_PASSWORD};
use crate::systems::{submitted_dossier, ward_system, BASIC_PARTS};
use khien_domain::system::dossier::DossierAction as A;
use khien_store::SystemInput;
use reqwest::Method;
use serde_json::{json, Value};
use sha2::Digest;

on_both_stores!(
    nd331_d18_2_d20_a_wards_level_3_dossier_issues_its_request_opinion_and_decision,
    nd331_d18_3_a_level_4_dossier_is_packed_for_the_ministry_and_its_receipt_recorded,
);

/// A ward's level-3 dossier, submitted, on a system with its security rules issued.
pub(crate) async fn level_3_dossier(db: &TestDb, code: &str) -> i64 {
    let ward = unit_id(db, "P-HONG-BANG").await;
    let officer = actor(db, "hongbang.canbo").await;
    let input =
        SystemInput { security_rules_ref: Some("15/QĐ-UBND ngày 02/3/2026".into()), ..ward_system(ward, code) };
    let s = db.store.create_system(&officer, &input).await.unwrap();
    submitted_dossier(db, &officer, &officer, s.id, 3, &BASIC_PARTS).await.id
}

async fn issue(who: &crate::common::Session, id: i64, form: &str, body: Value) -> reqwest::Response {
    who.send(Method::POST, &format!("/api/v1/dossiers/{id}/forms/{form}"), Some(body)).await
}

async fn nd331_d18_2_d20_a_wards_level_3_dossier_issues_its_request_opinion_and_decision(db: TestDb) {
    let s = TestServer::start_on(db).await;
    let id = level_3_dossier(&s.db, "HB-FORMS").await;
    let officer = s.login("hongbang.canbo", DEMO_PASSWORD).await;
    let forms = officer.get_json(&format!("/api/v1/dossiers/{id}/forms")).await;
    let codes: Vec<&str> = forms.as_array().unwrap().iter().map(|f| f["form"].as_str().unwrap()).collect();
    assert_eq!(codes, ["statement", "request_appraisal", "appraisal_opinion", "approval_submission", "level_decision"]);
    let may = |code: &str| forms.as_array().unwrap().iter().find(|f| f["form"] == code).unwrap()["may_issue"].clone();
    assert_eq!(
        (may("request_appraisal"), may("appraisal_opinion"), may("level_decision")),
        (json!(true), json!(false), json!(false))
    );
    assert_eq!(forms[1]["annex"], "Mẫu số 02");
    assert!(forms[2]["gaps"].to_string().contains("ý kiến thẩm định"), "{}", forms[2]);

    // The operator issues its request; the appraiser's and approver's documents are not its own;
    // a level-3 dossier has no plan decision; an unknown form is named.
    let r = issue(&officer, id, "request_appraisal", json!({"number": "12/UBND-VP"})).await;
    let status = r.status();
    let request: Value = r.json().await.unwrap();
    assert_eq!(status, 201, "{request}");
    assert_eq!((request["form"].as_str(), request["number"].as_str()), (Some("request_appraisal"), Some("12/UBND-VP")));
    assert_eq!(request["data_sha256"].as_str().unwrap().len(), 64);
    let r = issue(&officer, id, "appraisal_opinion", json!({})).await;
    assert!(r.status() == 403 || r.status() == 404, "{}", r.status());
    let r = issue(&officer, id, "plan_decision", json!({})).await;
    assert_eq!(r.status(), 422);
    let r = issue(&officer, id, "mau-99", json!({})).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("form"));
    let r = issue(&officer, id, "request_appraisal", json!({"number": "x".repeat(61)})).await;
    assert_eq!(r.status(), 422);

    // The appraiser writes its opinion; the owner's leadership its decision, after approving.
    let pa05 = actor(&s.db, "pa05.truong").await;
    s.db.store
        .act_on_dossier(&pa05, id, A::Appraise, Some("Hồ sơ đầy đủ, cấp độ đề xuất phù hợp."), None, None)
        .await
        .unwrap();
    let authority = s.login("pa05.truong", DEMO_PASSWORD).await;
    assert_eq!(issue(&authority, id, "appraisal_opinion", json!({})).await.status(), 201);
    let manager = actor(&s.db, "hongbang.quanly").await;
    s.db.store
        .act_on_dossier(&manager, id, A::Approve, Some("Đồng ý."), Some("125/QĐ-UBND"), Some("Nguyễn Văn A"))
        .await
        .unwrap();
    let head = s.login("hongbang.quanly", DEMO_PASSWORD).await;
    let r = issue(&head, id, "level_decision", json!({"signer_name": "Nguyễn Văn A"})).await;
    assert_eq!(r.status(), 201);
    let decision: Value = r.json().await.unwrap();
    assert_eq!(decision["number"], "125/QĐ-UBND", "a decision takes the dossier's decision number");

    // Kept: listed newest first, each file served as issued with its SHA-256.
    let issued = officer.get_json(&format!("/api/v1/dossiers/{id}/documents")).await;
    let kinds: Vec<&str> = issued.as_array().unwrap().iter().map(|d| d["form"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["level_decision", "appraisal_opinion", "request_appraisal"]);
    for (format, key) in [("docx", "docx_sha256"), ("pdf", "pdf_sha256")] {
        let r = officer.get(&format!("/api/v1/dossier-documents/{}/file?format={format}", decision["id"])).await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["x-content-sha256"].to_str().unwrap(), decision[key].as_str().unwrap());
        let bytes = r.bytes().await.unwrap();
        assert_eq!(hex::encode(sha2::Sha256::digest(&bytes)), decision[key].as_str().unwrap());
    }
    let xml = crate::common::docx_text(
        &officer.get(&format!("/api/v1/dossier-documents/{}/file", decision["id"])).await.bytes().await.unwrap(),
    );
    for needle in [
        "QUYẾT ĐỊNH",
        "Về việc phê duyệt cấp độ hệ thống thông tin",
        "Cổng dịch vụ công phường Hồng Bàng",
        "Cấp độ 3",
        "TCVN 14423:2026",
    ] {
        assert!(xml.contains(needle), "the decision lacks {needle}");
    }
    // Issuing is audited on the dossier's timeline.
    let audit = s.db.store.dossier_timeline(&pa05, id).await.unwrap();
    assert_eq!(audit.iter().filter(|a| a.action == "dossier.issue_document").count(), 3);
    // Another ward sees neither the list nor the files.
    let other = s.login("lechan.canbo", DEMO_PASSWORD).await;
    assert_eq!(other.get(&format!("/api/v1/dossiers/{id}/documents")).await.status(), 404);
    assert_eq!(other.get(&format!("/api/v1/dossier-documents/{}/file", decision["id"])).await.status(), 404);
    assert_eq!(other.get(&format!("/api/v1/dossiers/{id}/forms/statement")).await.status(), 404);
}

/// The request, the statement and the decision, as DOCX, opened by LibreOffice (installed by
/// scripts/install-test-deps.sh) and turned into PDF: the Vietnamese text survives, the issuing
/// body stands beside the national motto, and the decision's articles follow "QUYẾT ĐỊNH:". The
/// PDFs Khiên writes itself are read back too.
#[tokio::test]
async fn the_generated_forms_open_in_libreoffice_with_their_vietnamese_text() {
    let s = TestServer::start().await;
    let id = level_3_dossier(&s.db, "HB-LIBRE").await;
    let officer = s.login("hongbang.canbo", DEMO_PASSWORD).await;
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for form in ["request_appraisal", "statement", "level_decision"] {
        let docx = officer.get(&format!("/api/v1/dossiers/{id}/forms/{form}")).await;
        assert_eq!(docx.status(), 200, "{form}");
        let path = dir.path().join(format!("{form}.docx"));
        std::fs::write(&path, docx.bytes().await.unwrap()).unwrap();
        files.push(path);
        let pdf = officer.get(&format!("/api/v1/dossiers/{id}/forms/{form}?format=pdf")).await.bytes().await.unwrap();
        let text = crate::common::pdf_text(&pdf, false);
        assert!(text.contains("Cổng dịch vụ công phường Hồng Bàng"), "{form}: {text}");
    }
    let profile = format!("-env:UserInstallation=file://{}/profile", dir.path().display());
    let out = std::process::Command::new("soffice")
        .args(["--headless", "--norestore", &profile, "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .args(&files)
        .output()
        .expect("LibreOffice (soffice) must be installed: run scripts/install-test-deps.sh");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let read =
        |form: &str| crate::common::pdf_text(&std::fs::read(dir.path().join(format!("{form}.pdf"))).unwrap(), true);
    let request = read("request_appraisal");
    let header = request.lines().find(|l| l.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")).unwrap_or_default();
    assert!(header.contains("PHƯỜNG HỒNG BÀNG") || request.contains("PHƯỜNG HỒNG BÀNG"), "{request}");
    for needle in [
        "V/v đề nghị thẩm định hồ sơ đề xuất cấp độ",
        "Căn cứ Luật An ninh mạng số 116/2025/QH15",
        "Phần 2. Hồ sơ kèm theo",
        "Độc lập - Tự do - Hạnh phúc",
    ] {
        assert!(request.contains(needle), "the request lacks {needle}: {request}");
    }
    let statement = read("statement");
    assert!(statement.contains("THUYẾT MINH") && statement.contains("10.20.1.0/24"), "{statement}");
    let decision = read("level_decision");
    let decided = decision.find("QUYẾT ĐỊNH:").expect("QUYẾT ĐỊNH:");
    assert!(decision[decided..].contains("Điều 1.") && decision[decided..].contains("Điều 3."), "{decision}");
}

async fn nd331_d18_3_a_level_4_dossier_is_packed_for_the_ministry_and_its_receipt_recorded(db: TestDb) {
    use std::io::Read;
    let s = TestServer::start_on(db).await;
    let ward = unit_id(&s.db, "P-HONG-BANG").await;
    let officer_actor = actor(&s.db, "hongbang.canbo").await;
    let sys = s.db.store.create_system(&officer_actor, &ward_system(ward, "HB-PACK")).await.unwrap();
    let parts = [&BASIC_PARTS[..], &["expert_opinion", "risk_assessment"]].concat();
    let d = s.db.store.create_dossier(&officer_actor, sys.id, &khien_store::DossierInput::default()).await.unwrap();
    let reason = Some("Hệ thống kết nối cơ sở dữ liệu quốc gia về dân cư.".to_string());
    let level_4 = khien_store::DossierInput { proposed_level: 4, level_reason: reason };
    s.db.store.update_dossier(&officer_actor, d.id, &level_4).await.unwrap();
    crate::common::attach_parts(&s.db, &officer_actor, d.id, &parts).await;
    let id = d.id;
    let officer = s.login("hongbang.canbo", DEMO_PASSWORD).await;
    // Level 4: the ministry appraises (NĐ 331 Đ18.3), so the request goes to Bộ Công an and the
    // dedicated unit's professional opinion is asked first (Mẫu 03).
    let forms = officer.get_json(&format!("/api/v1/dossiers/{id}/forms")).await.to_string();
    assert!(forms.contains("request_expert_opinion") && !forms.contains("appraisal_opinion"), "{forms}");
    for form in ["statement", "request_appraisal"] {
        assert_eq!(issue(&officer, id, form, json!({})).await.status(), 201, "{form}");
    }
    let request = officer.get(&format!("/api/v1/dossiers/{id}/forms/request_appraisal")).await.bytes().await.unwrap();
    assert!(crate::common::docx_text(&request).contains("Bộ Công an"));
    // Another ward may not pack it; the owner's officer may.
    let other = s.login("lechan.canbo", DEMO_PASSWORD).await;
    let r = other.send(Method::POST, &format!("/api/v1/dossiers/{id}/packages"), None).await;
    assert!(r.status() == 403 || r.status() == 404, "{}", r.status());
    let r = officer.send(Method::POST, &format!("/api/v1/dossiers/{id}/packages"), None).await;
    assert_eq!(r.status(), 201);
    let package: Value = r.json().await.unwrap();
    assert_eq!(package["file_count"], 10, "2 documents × (Word, PDF) + 6 attachments: {package}");
    let zip = officer.get(&format!("/api/v1/dossier-packages/{}/file", package["id"])).await;
    assert_eq!(zip.headers()["x-content-sha256"].to_str().unwrap(), package["sha256"].as_str().unwrap());
    let zip = zip.bytes().await.unwrap();
    assert_eq!(hex::encode(sha2::Sha256::digest(&zip)), package["sha256"].as_str().unwrap());
    // Every file is listed in the sums, which check.
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.to_vec())).unwrap();
    let folder = format!("ho-so-{id}-hb-pack");
    let mut sums = String::new();
    archive.by_name(&format!("{folder}/SHA256SUMS")).unwrap().read_to_string(&mut sums).unwrap();
    assert_eq!(sums.lines().count(), 10, "{sums}");
    for line in sums.lines() {
        let (sum, path) = line.split_once("  ").unwrap();
        let mut bytes = Vec::new();
        archive.by_name(&format!("{folder}/{path}")).unwrap().read_to_end(&mut bytes).unwrap();
        assert_eq!(hex::encode(sha2::Sha256::digest(&bytes)), sum, "{path}");
    }
    assert!(sums.contains("van-ban/") && sums.contains("tai-lieu/expert_opinion/"), "{sums}");
    let mut manifest = String::new();
    archive.by_name(&format!("{folder}/manifest.json")).unwrap().read_to_string(&mut manifest).unwrap();
    assert!(manifest.contains("Mẫu số 02") && manifest.contains("Cổng dịch vụ công phường Hồng Bàng"), "{manifest}");

    // The ministry's receipt: the day named when it is wrong, then recorded.
    let path = format!("/api/v1/dossier-packages/{}/receipt", package["id"]);
    for (day, why) in [("31/02/2026", "dd/mm/yyyy"), ("01/01/2099", "tương lai"), ("01/01/2020", "trước ngày đóng gói")]
    {
        let r = officer.send(Method::PUT, &path, Some(json!({"received_by": "Cục A05", "received_on": day}))).await;
        assert_eq!(r.status(), 422, "{day}");
        let body = r.text().await.unwrap();
        assert!(body.contains("received_on") && body.contains(why), "{day}: {body}");
    }
    let today = s.db.store.clock().today_vn().format("%d/%m/%Y").to_string();
    let receipt = json!({"received_by": "Cục An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao", "received_on": today, "reference": "1234/A05-P3"});
    let r = officer.send(Method::PUT, &path, Some(receipt)).await;
    assert_eq!(r.status(), 200);
    let listed = officer.get_json(&format!("/api/v1/dossiers/{id}/packages")).await;
    assert_eq!(listed[0]["receipt_ref"], "1234/A05-P3");
    assert!(listed[0]["received_by"].as_str().unwrap().starts_with("Cục An ninh mạng"));
    assert_eq!(other.get(&format!("/api/v1/dossier-packages/{}/file", package["id"])).await.status(), 404);
    let r = other.send(Method::PUT, &path, Some(json!({"received_by": "x", "received_on": today}))).await;
    assert!(r.status() == 403 || r.status() == 404, "{}", r.status());
    let audit = s.db.store.dossier_timeline(&officer_actor, id).await.unwrap();
    for action in ["dossier.package", "dossier.package_receipt"] {
        assert!(audit.iter().any(|a| a.action == action), "{action}");
    }
}

/// NĐ 331 Đ35, Mẫu 08: the yearly report as a document of the caller's top unit, its three
/// sections as tables — the systems listed one a row.
#[tokio::test]
async fn nd331_d35_mau_08_is_a_report_with_its_per_system_table() {
    let s = TestServer::start().await;
    level_3_dossier(&s.db, "HB-M08").await;
    let pa05 = s.login("pa05.truong", DEMO_PASSWORD).await;
    let r = pa05.get("/api/v1/systems/overview/form08?format=docx").await;
    assert_eq!(r.status(), 200);
    let xml = crate::common::docx_text(&r.bytes().await.unwrap());
    for needle in ["3. Danh sách hệ thống thông tin", "Cổng dịch vụ công phường Hồng Bàng", "Điều 35"]
    {
        assert!(xml.contains(needle), "the report lacks {needle}");
    }
    let pdf = pa05.get("/api/v1/systems/overview/form08?format=pdf").await.bytes().await.unwrap();
    assert!(crate::common::pdf_text(&pdf, false).contains("Danh sách hệ thống thông tin"));
    assert_eq!(pa05.get("/api/v1/systems/overview/form08?format=odt").await.status(), 422);
    // The ward sees its own systems only.
    let other = s.login("lechan.canbo", DEMO_PASSWORD).await;
    let xml = crate::common::docx_text(
        &other.get("/api/v1/systems/overview/form08?format=docx").await.bytes().await.unwrap(),
    );
    assert!(!xml.contains("Cổng dịch vụ công phường Hồng Bàng"));
}
