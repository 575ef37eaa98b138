//! Reports from the public: the checks and the queue on both stores, and the anonymous form on
//! a real server (API and web) — tracking code, status without contact data, forbidden files,
//! a flood stopped at the limit with nothing half stored, routing, conversion and scope.

use crate::common::{actor, admin_actor, bootstrap, unit_id, TestDb, TestServer, DEMO_PASSWORD};
use khien_domain::incident::public::PublicState;
use khien_domain::Error;
use khien_store::{PublicReportFilter, PublicReportInput, UploadedFile};
use reqwest::Method;
use serde_json::{json, Value};

on_both_stores!(public_reports_queue_routing_and_scope);

const PNG: &[u8] = khien::demo::public_reports::TINY_PNG;

fn report(description: &str) -> PublicReportInput {
    PublicReportInput {
        category: "scam".into(),
        description: description.into(),
        reporter_name: Some("Đỗ Thị Lan".into()),
        reporter_phone: Some("0912 000 111".into()),
        reporter_email: Some("lan@example.vn".into()),
        url: Some("https://qua-tang-tri-an.top/nhan-qua".into()),
        contact_consent: true,
    }
}

fn png(name: &str) -> UploadedFile {
    UploadedFile { file_name: name.into(), bytes: PNG.to_vec() }
}

async fn count_all(db: &TestDb) -> usize {
    let admin = admin_actor(db).await;
    db.store
        .list_public_reports(&admin, &PublicReportFilter { include_closed: true, limit: 500, ..Default::default() })
        .await
        .unwrap()
        .items
        .len()
}

async fn public_reports_queue_routing_and_scope(db: TestDb) {
    bootstrap(&db, true).await;
    let ward = unit_id(&db, "P-HONG-BANG").await;
    let other_ward = unit_id(&db, "P-LE-CHAN").await;
    let officer = actor(&db, "hongbang.canbo").await;
    let neighbour = actor(&db, "lechan.canbo").await;
    let authority = actor(&db, "pa05.canbo").await;
    let leadership = actor(&db, "lanhdao").await;
    assert!(count_all(&db).await >= 6, "the demo city has public reports");

    // Bad input: the field is named, nothing is stored.
    let (reports, audit) = (count_all(&db).await, db.store.audit_count().await.unwrap());
    let good = "Có người gọi điện mạo danh ngân hàng, đề nghị cung cấp mã OTP để nhận quà.";
    for (bad, files, field) in [
        (PublicReportInput { category: "spam".into(), ..report(good) }, vec![], "category"),
        (report("ngắn quá"), vec![], "description"),
        (PublicReportInput { reporter_phone: Some("gọi tôi".into()), ..report(good) }, vec![], "reporter_phone"),
        (PublicReportInput { reporter_email: Some("lan@".into()), ..report(good) }, vec![], "reporter_email"),
        (PublicReportInput { url: Some("javascript:alert(1)".into()), ..report(good) }, vec![], "url"),
        // Contact details without the consent to use them (issue 14.9).
        (PublicReportInput { contact_consent: false, ..report(good) }, vec![], "contact_consent"),
        (
            report(good),
            vec![UploadedFile { file_name: "setup.exe".into(), bytes: b"MZ\x90\x00\x03".to_vec() }],
            "files",
        ),
        (
            report(good),
            vec![UploadedFile { file_name: "anh.png".into(), bytes: b"<html><script>alert(1)</script>".to_vec() }],
            "files",
        ),
        (report(good), vec![png("1.png"), png("2.png"), png("3.png"), png("4.png")], "files"),
        (report(good), vec![png("1.png"), UploadedFile { file_name: "rong.pdf".into(), bytes: vec![] }], "files"),
    ] {
        let err = db.store.submit_public_report(&bad, &files, "203.0.113.7").await.unwrap_err();
        assert_eq!(err.field(), Some(field), "{err:?}");
    }
    assert_eq!((count_all(&db).await, db.store.audit_count().await.unwrap()), (reports, audit), "nothing half stored");

    // Sent: a tracking code; its status tells nothing but category, state and dates.
    let sent =
        db.store.submit_public_report(&report(good), &[png("Ảnh chụp màn hình.png")], "203.0.113.7").await.unwrap();
    assert!(sent.code.starts_with("PA-") && sent.code.len() == 17, "{}", sent.code);
    assert_eq!(sent.state, "received");
    let status = db.store.public_report_status(&sent.code.to_lowercase().replace('-', "")).await.unwrap();
    assert_eq!(
        (status.code.as_str(), status.category.code(), status.state.code()),
        (sent.code.as_str(), "scam", "received")
    );
    assert!(matches!(db.store.public_report_status("PA-0000-0000-0000").await, Err(Error::NotFound(_))));
    assert_eq!(db.store.public_report_status("12345").await.unwrap_err().field(), Some("code"));
    assert_eq!(db.store.audit_count().await.unwrap(), audit + 1, "the submission is audited");

    // The sender's address is kept only as a hash.
    let raw = sqlx::AnyPool::connect(&db.url).await.unwrap();
    let row = sqlx::query("SELECT client_hash FROM public_reports WHERE code = $1")
        .bind(sent.code.as_str())
        .fetch_one(&raw)
        .await
        .unwrap();
    let hash: String = sqlx::Row::get(&row, "client_hash");
    assert!(hash.len() == 64 && !hash.contains("203.0.113"), "{hash}");
    raw.close().await;

    // The authority's queue has it (search without diacritics); no unit sees it yet.
    let found = db
        .store
        .list_public_reports(
            &authority,
            &PublicReportFilter { q: Some("mao danh ngan hang".into()), limit: 50, ..Default::default() },
        )
        .await
        .unwrap();
    let id = found.items.iter().find(|r| r.code == sent.code).map(|r| r.id).expect("found without diacritics");
    for who in [&officer, &neighbour, &leadership] {
        let theirs = db
            .store
            .list_public_reports(who, &PublicReportFilter { include_closed: true, limit: 500, ..Default::default() })
            .await
            .unwrap();
        assert!(theirs.items.iter().all(|r| r.id != id), "not routed yet: only the authority sees it");
        assert!(matches!(db.store.get_public_report(who, id).await, Err(Error::NotFound(_))));
    }
    assert!(matches!(db.store.route_public_report(&officer, id, ward).await, Err(Error::NotFound(_))));

    // Routed to the ward: the ward works it; its neighbour still sees nothing.
    let routed = db.store.route_public_report(&authority, id, ward).await.unwrap();
    assert_eq!((routed.state.code(), routed.routed_unit_id), ("routed", Some(ward)));
    let d = db.store.get_public_report(&officer, id).await.unwrap();
    assert_eq!(d.report.reporter_phone.as_deref(), Some("0912000111"));
    assert_eq!(d.files.len(), 1);
    assert!(d.may_work && !d.may_coordinate && !d.may_route && d.may_convert);
    let (file, bytes) = db.store.public_report_file(&officer, d.files[0].id).await.unwrap();
    assert_eq!((file.content_type.as_str(), bytes.as_slice()), ("image/png", PNG));
    assert!(matches!(db.store.public_report_file(&neighbour, d.files[0].id).await, Err(Error::NotFound(_))));
    let mine =
        db.store.list_public_reports(&officer, &PublicReportFilter { limit: 500, ..Default::default() }).await.unwrap();
    assert!(mine.items.iter().any(|r| r.id == id) && mine.items.iter().all(|r| r.routed_unit_id == Some(ward)));
    let theirs = db
        .store
        .list_public_reports(&neighbour, &PublicReportFilter { include_closed: true, limit: 500, ..Default::default() })
        .await
        .unwrap();
    assert!(theirs.items.iter().all(|r| r.routed_unit_id == Some(other_ward)));
    assert!(matches!(db.store.get_public_report(&neighbour, id).await, Err(Error::NotFound(_))));
    assert!(
        matches!(db.store.route_public_report(&officer, id, other_ward).await, Err(Error::Forbidden(_))),
        "only the authority routes"
    );

    // Moves: one step at a time, routing and conversion have their own calls.
    assert_eq!(
        db.store.set_public_report_state(&officer, id, PublicState::Routed).await.unwrap_err().field(),
        Some("state")
    );
    assert!(matches!(
        db.store.set_public_report_state(&officer, id, PublicState::Received).await,
        Err(Error::Conflict(_))
    ));
    assert_eq!(
        db.store.set_public_report_state(&officer, id, PublicState::InProgress).await.unwrap().state,
        "in_progress"
    );

    // The ward may not make it an incident of another unit: refused, nothing changed.
    let audit = db.store.audit_count().await.unwrap();
    assert!(matches!(
        db.store.convert_public_report_to_incident(&officer, id, other_ward, None, None).await,
        Err(Error::NotFound(_) | Error::Forbidden(_))
    ));
    assert_eq!(db.store.audit_count().await.unwrap(), audit);
    assert_eq!(db.store.get_public_report(&authority, id).await.unwrap().report.state, "in_progress");

    // The authority makes it an incident of the ward, linked in one transaction.
    let inc = db.store.convert_public_report_to_incident(&authority, id, ward, None, None).await.unwrap();
    assert_eq!((inc.unit_id, inc.category.code(), inc.state.code()), (ward, "phishing", "received"));
    assert!(inc.title.starts_with(&format!("Phản ánh {}", sent.code)), "{}", inc.title);
    assert_eq!(inc.reporter_contact.as_deref(), Some("0912000111, lan@example.vn"));
    let d = db.store.get_public_report(&officer, id).await.unwrap();
    assert_eq!((d.report.state.code(), d.report.incident_id), ("converted", Some(inc.id)));
    assert!(d.next_states.is_empty() && !d.may_convert);
    let incident = db.store.get_incident(&officer, inc.id).await.unwrap();
    assert!(incident.observables.iter().any(|o| o.kind == "url" && o.value.contains("qua-tang-tri-an.top")));
    assert!(incident.events.iter().any(|e| e.note.contains(&sent.code)));
    assert!(
        matches!(
            db.store.convert_public_report_to_incident(&authority, id, ward, None, None).await,
            Err(Error::Conflict(_))
        ),
        "converted is final"
    );
    assert_eq!(db.store.public_report_status(&sent.code).await.unwrap().state, "converted");

    // Turned away from the queue, then reopened by the authority.
    let spam = db
        .store
        .submit_public_report(
            &PublicReportInput {
                category: "harmful_content".into(),
                ..report("Tin nhắn quảng cáo lặp đi lặp lại, có lẽ không phải lừa đảo.")
            },
            &[],
            "203.0.113.8",
        )
        .await
        .unwrap();
    let spam_id = db
        .store
        .list_public_reports(
            &authority,
            &PublicReportFilter { q: Some(spam.code.clone()), limit: 1, ..Default::default() },
        )
        .await
        .unwrap()
        .items[0]
        .id;
    assert_eq!(
        db.store.set_public_report_state(&authority, spam_id, PublicState::Rejected).await.unwrap().state,
        "rejected"
    );
    let open = db
        .store
        .list_public_reports(&authority, &PublicReportFilter { limit: 500, ..Default::default() })
        .await
        .unwrap();
    assert!(open.items.iter().all(|r| r.id != spam_id), "finished reports are hidden by default");
    assert_eq!(
        db.store.set_public_report_state(&authority, spam_id, PublicState::Received).await.unwrap().state,
        "received"
    );
    assert!(db.store.maintenance().verify_audit_chain().await.unwrap().is_ok());
}

/// Standard base64, for the JSON body's files.
fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(T[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn submission(description: &str, files: Value) -> Value {
    json!({"category":"phishing","description":description,"reporter_name":"Hoàng Văn Tư","reporter_phone":"0988 777 666","url":"http://dichvucong-xacminh.top/login","contact_consent":true,"files":files})
}

#[tokio::test]
async fn anonymous_reports_through_the_api_and_the_form() {
    let s = TestServer::start().await;
    let anon = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let post = |body: Value| anon.post(s.url("/api/v1/public/reports")).json(&body).send();
    let stored = || async { count_all(&s.db).await };
    let before = stored().await;

    // The documented public operations need no credentials.
    let doc: Value = anon.get(s.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!(doc["paths"]["/api/v1/public/reports"]["post"]["security"], json!([{}]));
    assert_eq!(doc["paths"]["/api/v1/public/reports/{code}"]["get"]["security"], json!([{}]));

    // 1. A report with a screenshot: a tracking code; the lookup shows no contact data.
    let r = post(submission(
        "Tin nhắn giả mạo Cổng dịch vụ công yêu cầu đăng nhập để nhận hỗ trợ.",
        json!([{"file_name":"man-hinh.png","content_base64":base64(PNG)}]),
    ))
    .await
    .unwrap();
    assert_eq!(r.status(), 201);
    let code = r.json::<Value>().await.unwrap()["code"].as_str().unwrap().to_string();
    let r = anon.get(s.url(&format!("/api/v1/public/reports/{}", code.to_lowercase()))).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let status: Value = r.json().await.unwrap();
    let mut keys: Vec<&String> = status.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["category", "code", "received_at", "state", "updated_at"], "{status}");
    assert!(!status.to_string().contains("0988") && !status.to_string().contains("Hoàng"));
    let r = anon.get(s.url("/api/v1/public/reports/PA-0000-0000-0000")).send().await.unwrap();
    assert_eq!(r.status(), 404);

    // Forbidden files: 422 naming the field, nothing stored, and they do not use up the limit.
    for (name, bytes) in [
        ("cai-dat.exe", b"MZ\x90\x00\x03\x00".to_vec()),
        ("trang.html", b"<html><script>alert(1)</script></html>".to_vec()),
        ("anh.png", b"<svg onload=alert(1)>".to_vec()),
    ] {
        let r = post(submission(
            "Kèm tệp không được phép, phải bị từ chối toàn bộ.",
            json!([{"file_name":name,"content_base64":base64(&bytes)}]),
        ))
        .await
        .unwrap();
        assert_eq!(r.status(), 422, "{name}");
        let p: Value = r.json().await.unwrap();
        assert_eq!(p["field"], "files", "{p}");
        assert!(p["detail"].as_str().unwrap().contains(name), "{p}");
    }
    // A cross-site page can only send "simple" bodies: those are not accepted.
    let r = anon
        .post(s.url("/api/v1/public/reports"))
        .header("content-type", "text/plain")
        .body(submission("Gửi từ trang web khác, không phải JSON thật.", json!([])).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(stored().await, before + 1);

    // 2. The web form: no login, double-submit cookie, multipart with a file.
    let browser =
        reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let page = browser.get(s.url("/bao-cao")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Gửi phản ánh") && !html.contains("/logout"), "its own layout, no staff menu");
    // It names who receives the report (the root unit unless configured) and says how contact
    // details are used, with the box to agree (issue 14.9).
    let root = s.db.store.root_unit().await.unwrap().unwrap().name;
    let authority = html.split("id=\"receiving-authority\"").nth(1).unwrap_or("");
    assert!(authority.split("</p>").next().unwrap_or("").contains(&root), "the receiving authority: {authority}");
    assert!(html.contains("id=\"personal-data-notice\"") && html.contains("name=\"contact_consent\""));
    let token = crate::common::field_value(&html, "_csrf").unwrap();
    // The token travels as the form's first part, never in the address.
    let form_with = |token: Option<&str>, description: &str| {
        let form = reqwest::multipart::Form::new();
        let form = match token {
            Some(t) => form.text("_csrf", t.to_string()),
            None => form,
        };
        form.text("category", "child_safety")
            .text("description", description.to_string())
            .text("reporter_phone", "")
            .part(
                "files",
                reqwest::multipart::Part::bytes(PNG.to_vec()).file_name("tin-nhan.png").mime_str("image/png").unwrap(),
            )
    };
    let form = |description: &str| form_with(Some(&token), description);
    let r = browser
        .post(s.url("/bao-cao"))
        .multipart(form_with(None, "Không có mã chống giả mạo trong biểu mẫu gửi."))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "no CSRF token");
    // Issue 11, item 9: a token in the query string (where logs and Referer headers keep it) no longer counts.
    let r = browser
        .post(s.url(&format!("/bao-cao?_csrf={token}")))
        .multipart(form_with(None, "Mã chống giả mạo nằm trong địa chỉ, không trong biểu mẫu."))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "a CSRF token in the address");
    // The token is bound to this browser's pre-session cookie: another browser cannot use it.
    let stranger =
        reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    stranger.get(s.url("/bao-cao")).send().await.unwrap();
    let r = stranger
        .post(s.url("/bao-cao"))
        .multipart(form("Mã của trình duyệt khác không dùng được cho phiên này."))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "a token of another pre-session");
    let r = browser.post(s.url("/bao-cao")).multipart(form("ngắn")).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("data-field=\"description\"") && html.contains("từ 20 đến 5000 ký tự"), "{html}");
    let r = browser
        .post(s.url("/bao-cao"))
        .multipart(form("Một tài khoản lạ nhắn tin dụ dỗ con tôi gửi ảnh cá nhân qua trò chơi trực tuyến."))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let to = r.headers()["location"].to_str().unwrap().to_string();
    assert!(to.starts_with("/bao-cao/tra-cuu?ma=PA-"), "{to}");
    let html = browser.get(s.url(&to)).send().await.unwrap().text().await.unwrap();
    assert!(
        html.contains("id=\"tracking-code\"") && html.contains("Hãy ghi lại") && html.contains("Đã tiếp nhận"),
        "{html}"
    );
    let web_code = to.trim_start_matches("/bao-cao/tra-cuu?ma=").split('&').next().unwrap().to_string();
    assert_eq!(stored().await, before + 2);

    // 3. A flood from one address: 429 after the limit (5 in 10 minutes), exactly 5 stored.
    let mut refused = None;
    for i in 0..10 {
        let r =
            post(submission(&format!("Phản ánh lặp lại số {i} từ cùng một địa chỉ mạng."), json!([]))).await.unwrap();
        if r.status() == 429 {
            refused = Some(r);
            break;
        }
        assert_eq!(r.status(), 201);
    }
    let r = refused.expect("the flood is stopped");
    assert!(r.headers().get("retry-after").is_some());
    let p: Value = r.json().await.unwrap();
    assert!(p["detail"].as_str().unwrap().contains("nhiều phản ánh"), "{p}");
    assert_eq!(stored().await, before + 5, "exactly the limit is stored");
    let r = browser
        .post(s.url("/bao-cao"))
        .multipart(form("Sau giới hạn, biểu mẫu web cũng bị từ chối như API."))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(stored().await, before + 5);

    // 4. Staff: the authority routes the first report to a ward and makes it an incident.
    let ward = unit_id(&s.db, "P-HONG-BANG").await;
    let pa05 = s.login("pa05.truong", DEMO_PASSWORD).await;
    let find = |list: &Value, code: &str| list["items"].as_array().unwrap().iter().find(|r| r["code"] == code).cloned();
    let queue = pa05.get_json("/api/v1/public-reports?limit=500").await;
    let first = find(&queue, &code).expect("in the authority's queue");
    let id = first["id"].as_i64().unwrap();
    assert_eq!(first["reporter_phone"], "0988777666");
    let hongbang = s.login("hongbang.canbo", DEMO_PASSWORD).await;
    assert_eq!(hongbang.get(&format!("/api/v1/public-reports/{id}")).await.status(), 404);
    let r =
        pa05.send(Method::POST, &format!("/api/v1/public-reports/{id}/route"), Some(json!({"unit_id": ward}))).await;
    assert_eq!(r.status(), 200);
    let d = hongbang.get_json(&format!("/api/v1/public-reports/{id}")).await;
    assert_eq!(d["report"]["state"], "routed");
    let file = d["files"][0]["id"].as_i64().unwrap();
    let r = hongbang.get(&format!("/api/v1/public-report-files/{file}")).await;
    assert_eq!((r.status().as_u16(), r.headers()["content-type"].to_str().unwrap()), (200, "image/png"));
    assert_eq!(r.bytes().await.unwrap().as_ref(), PNG);
    let mine = hongbang.get_json("/api/v1/public-reports?include_closed=true&limit=500").await;
    assert!(
        mine["items"].as_array().unwrap().iter().all(|r| r["routed_unit_id"] == ward),
        "the ward sees only what is routed to it"
    );
    assert!(find(&mine, &web_code).is_none());
    let r = hongbang
        .send(Method::POST, &format!("/api/v1/public-reports/{id}/route"), Some(json!({"unit_id": ward})))
        .await;
    assert_eq!(r.status(), 403);
    let r =
        pa05.send(Method::POST, &format!("/api/v1/public-reports/{id}/incident"), Some(json!({"unit_id": ward}))).await;
    assert_eq!(r.status(), 201);
    let inc: Value = r.json().await.unwrap();
    assert_eq!((inc["unit_id"].as_i64(), inc["category"].as_str()), (Some(ward), Some("phishing")));
    let d = hongbang.get_json(&format!("/api/v1/public-reports/{id}")).await;
    assert_eq!(
        (d["report"]["state"].as_str(), d["report"]["incident_id"].as_i64()),
        (Some("converted"), inc["id"].as_i64())
    );
    assert_eq!(
        hongbang.get(&format!("/api/v1/incidents/{}", inc["id"])).await.status(),
        200,
        "the ward works the incident"
    );
    let status: Value =
        anon.get(s.url(&format!("/api/v1/public/reports/{code}"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(status["state"], "converted");

    // 5. The staff pages: queue, report page, and conversion from the form.
    let html = pa05.get("/public-reports?q=tai%20khoan%20la").await.text().await.unwrap();
    assert!(html.contains(&web_code), "search without diacritics on the queue page");
    let web_id =
        find(&pa05.get_json("/api/v1/public-reports?limit=500").await, &web_code).unwrap()["id"].as_i64().unwrap();
    let html = pa05.get(&format!("/public-reports/{web_id}")).await.text().await.unwrap();
    assert!(html.contains("route-form") && html.contains("convert-form") && html.contains("tin-nhan.png"));
    let ward_text = ward.to_string();
    let r = pa05
        .form(
            &format!("/public-reports/{web_id}/convert"),
            &[
                ("unit_id", ward_text.as_str()),
                ("category", "other"),
                ("title", "Dụ dỗ trẻ em qua trò chơi trực tuyến"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert!(r.headers()["location"].to_str().unwrap().starts_with("/incidents/"));
    let html = hongbang.get("/public-reports?include_closed=true").await.text().await.unwrap();
    assert!(html.contains(&code) && html.contains(&web_code));
    assert!(hongbang.get("/").await.text().await.unwrap().contains("href=\"/public-reports\""), "in the staff menu");
    let login = anon.get(s.url("/login")).send().await.unwrap().text().await.unwrap();
    assert!(login.contains("href=\"/bao-cao?lang=vi\""), "the login page links to the public form");
}
