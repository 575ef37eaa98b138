//! Findings through the web pages, as a ward's manager would use them: a Nessus report uploaded
//! through the multipart form (streamed into the import) with its summary, the list filtered by
//! severity and text, a finding opened and moved through its form, a bulk move that reports
//! each finding, the XLSX export read back, the dashboard; another ward sees none of it, and
//! only the standing body edits the remediation policy.

use crate::common::{unit_id, Session, TestDb, TestServer, DEMO_PASSWORD};
use khien_formats::scan::synthetic_nessus;
use reqwest::Method;
use serde_json::{json, Value};

on_both_stores!(a_ward_works_its_findings_through_the_pages, only_the_standing_body_edits_the_remediation_policy);

/// The number shown in `<td id="ID">N</td>`.
fn number(html: &str, id: &str) -> i64 {
    let key = format!("id=\"{id}\">");
    let start = html.find(&key).unwrap_or_else(|| panic!("no {id} in {html}")) + key.len();
    let end = html[start..].find('<').unwrap();
    html[start..start + end].trim().parse().unwrap()
}

async fn upload(session: &Session, system_id: i64, tool: &str, file_name: &str, bytes: Vec<u8>) -> (u16, String) {
    let form = reqwest::multipart::Form::new()
        .text("system_id", system_id.to_string())
        .text("tool", tool.to_string())
        .part("file", reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string()));
    let r = session
        .client
        .post(session.url("/findings/scans"))
        .header("x-csrf-token", &session.csrf)
        .multipart(form)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// All findings the API lists for a query (every page).
async fn api_findings(session: &Session, query: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/api/v1/findings?limit=500&{query}");
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let page = session.get_json(&path).await;
        out.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => return out,
        }
    }
}

pub(crate) fn xlsx_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
}

async fn a_ward_works_its_findings_through_the_pages(db: TestDb) {
    let s = TestServer::start_on(db).await;
    let ward = unit_id(&s.db, "P-HONG-BANG").await;
    let a = s.login("hongbang.quanly", DEMO_PASSWORD).await;
    let r = a
        .send(Method::POST, "/api/v1/systems", Some(json!({"code": "HB-DVC", "name": "Cổng dịch vụ công phường Hồng Bàng", "owner_unit_id": ward, "system_type": "public_service", "status": "building"})))
        .await;
    assert_eq!(r.status(), 201);
    let system_id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();

    // The menu, the list's link to the upload page, the system's page linking to it with its
    // code; no page lists every system in a select.
    let list = a.get("/findings").await.text().await.unwrap();
    assert!(list.contains("href=\"/findings\"") && list.contains("id=\"scan-import-link\""), "menu and import links");
    assert!(!list.contains("<option value=\"{system_id}\""), "no select of systems");
    let system_page = a.get(&format!("/systems/{system_id}")).await.text().await.unwrap();
    assert!(system_page.contains("href=\"/findings/scans?system=HB-DVC\""), "{system_page}");
    let form = a.get("/findings/scans?system=HB-DVC").await.text().await.unwrap();
    assert!(
        form.contains("id=\"scan-form\"")
            && form.contains("value=\"HB-DVC\"")
            && form.contains("data-suggest=\"/api/v1/systems\""),
        "{form}"
    );
    // The assessment form is its own page and takes the system by its code.
    let plan = a.get("/assessments/new?system=HB-DVC").await.text().await.unwrap();
    assert!(plan.contains("id=\"new-assessment\"") && plan.contains("value=\"HB-DVC\""), "{plan}");
    // (A level is needed: the dossier proposes level 2.)
    let r = a
        .send(Method::POST, &format!("/api/v1/systems/{system_id}/dossiers"), Some(json!({"proposed_level": 2})))
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let leveled = "HB-DVC".to_string();
    let catalogue = a
        .get_json("/api/v1/catalogues")
        .await
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "tcvn-14423-2026")
        .unwrap()["id"]
        .to_string();
    let r = a
        .form(
            "/assessments",
            &[
                ("system", leveled.as_str()),
                ("catalogue_id", catalogue.as_str()),
                ("kind", "self"),
                ("title", "Tự đánh giá HB-DVC"),
                ("assessor_unit_id", ""),
                ("planned_for", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    assert!(r.headers()[reqwest::header::LOCATION].to_str().unwrap().starts_with("/assessments/"));
    let listed = a.get("/assessments").await.text().await.unwrap();
    assert!(
        listed.contains("Tự đánh giá HB-DVC")
            && listed.contains("id=\"new-assessment-link\"")
            && !listed.contains("id=\"new-assessment\""),
        "the list links to the form"
    );
    // The search field's source finds the system by a word of its name, without diacritics.
    let suggest = a.get_json("/api/v1/systems?limit=20&q=dich%20vu").await;
    assert!(suggest["items"].as_array().unwrap().iter().any(|x| x["code"] == "HB-DVC"), "{suggest}");

    // 30 hosts × 60 items: over 1 MiB (the limit of ordinary requests) and far more than the
    // 64 KiB read to recognise the tool, so the rest streams through the channel.
    let file = synthetic_nessus(30, 60, 7);
    assert!(file.len() > 1024 * 1024, "{} bytes", file.len());
    let (status, html) = upload(&a, system_id, "", "quet-thang-11.nessus", file.clone()).await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("id=\"scan-summary\"") && html.contains("quet-thang-11.nessus") && html.contains("nessus"),
        "{html}"
    );
    let (read, created, duplicates) =
        (number(&html, "sum-findings"), number(&html, "sum-created"), number(&html, "sum-duplicates"));
    assert_eq!((read, created), (1800, 1800 - duplicates));
    assert_eq!((number(&html, "sum-seen"), number(&html, "sum-reopened"), number(&html, "sum-closed")), (0, 0, 0));

    // The same file again: everything seen again, nothing new.
    let (status, html) = upload(&a, system_id, "nessus", "quet-thang-11.nessus", file.clone()).await;
    assert_eq!(status, 200, "{html}");
    assert_eq!((number(&html, "sum-created"), number(&html, "sum-seen")), (0, created));

    // A cut file: the precise error, nothing written; a file that is no report: asked for the tool.
    let mut cut = synthetic_nessus(2, 10, 9);
    cut.truncate(cut.len() / 2);
    let (status, html) = upload(&a, system_id, "", "hong.nessus", cut).await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("id=\"scan-error\"") && html.contains("hong.nessus"), "{html}");
    let (status, html) = upload(&a, system_id, "", "ghi-chu.txt", b"khong phai bao cao quet".to_vec()).await;
    assert_eq!(status, 422);
    assert!(html.contains("Không nhận ra loại báo cáo quét"), "{html}");
    let open = api_findings(&a, "").await;
    assert_eq!(open.len() as i64, created, "the failed imports left nothing");

    // The upload names the system by its code too; another code is refused, naming it.
    let by_code = reqwest::multipart::Form::new()
        .text("system", "HB-DVC – Cổng dịch vụ công phường Hồng Bàng (Phường Hồng Bàng)")
        .part("file", reqwest::multipart::Part::bytes(file).file_name("quet-thang-11.nessus"));
    let r = a
        .client
        .post(a.url("/findings/scans"))
        .header("x-csrf-token", &a.csrf)
        .multipart(by_code)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(number(&r.text().await.unwrap(), "sum-seen"), created);
    let unknown = reqwest::multipart::Form::new()
        .text("system", "KHONG-CO")
        .part("file", reqwest::multipart::Part::bytes(synthetic_nessus(1, 3, 7)).file_name("nho.nessus"));
    let r = a
        .client
        .post(a.url("/findings/scans"))
        .header("x-csrf-token", &a.csrf)
        .multipart(unknown)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("KHONG-CO"));
    // The list filtered by system code shows the system's findings only.
    let html = a.get("/findings?system=HB-DVC").await.text().await.unwrap();
    assert_eq!(html.matches("name=\"ids\"").count(), 50);
    let html = a.get("/findings?system=KHONG-CO").await;
    assert_eq!(html.status(), 422);
    // The unit field takes a code too; a link by id (the dashboard's) shows the code back.
    let by_unit = a.get("/findings?unit=P-HONG-BANG").await.text().await.unwrap();
    assert_eq!(by_unit.matches("name=\"ids\"").count(), 50);
    let by_id = a.get(&format!("/findings?unit_id={ward}&system_id={system_id}")).await.text().await.unwrap();
    assert!(
        by_id.contains("name=\"unit\" value=\"P-HONG-BANG\"") && by_id.contains("name=\"system\" value=\"HB-DVC\""),
        "{by_id}"
    );
    assert_eq!(a.get("/findings?unit=KHONG-CO").await.status(), 422);

    // Filtered by severity: only critical badges, as many rows as the API lists (one page).
    let critical = api_findings(&a, "severity=critical").await;
    assert!(!critical.is_empty());
    let html = a.get("/findings?severity=critical").await.text().await.unwrap();
    assert_eq!(html.matches("name=\"ids\"").count(), critical.len().min(50));
    assert!(
        html.contains(">Nghiêm trọng</span>") && !html.contains(">Cao</span>") && !html.contains(">Trung bình</span>")
    );
    // By text (no diacritics needed): one plugin on every host where it was found.
    let by_text = api_findings(&a, "q=100005").await;
    let html = a.get("/findings?q=100005&severity=&state=").await.text().await.unwrap();
    assert_eq!(html.matches("name=\"ids\"").count(), by_text.len());
    assert!(html.contains("Synthetic check 100005"));
    // Paging: 50 a page, with a link to the next.
    let html = a.get("/findings").await.text().await.unwrap();
    assert_eq!(html.matches("name=\"ids\"").count(), 50);
    let next = html
        .split("id=\"next-page\"")
        .next()
        .and_then(|t| t.rsplit("href=\"").next())
        .and_then(|t| t.split('"').next())
        .expect("a next page")
        .replace("&#38;", "&");
    let second = a.get(&next).await.text().await.unwrap();
    assert_eq!(second.matches("name=\"ids\"").count(), 50);

    // One finding: every field, the evidence, the moves open to a unit manager.
    let first = &critical[0];
    let id = first["id"].as_i64().unwrap();
    let page = a.get(&format!("/findings/{id}")).await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(
        page.contains("<pre id=\"evidence\">") && page.contains("HB-DVC") && page.contains("id=\"finding-due\""),
        "{page}"
    );
    for to in ["in_remediation", "fixed", "risk_accepted", "false_positive"] {
        assert!(page.contains(&format!("id=\"move-{to}\"")), "{to} offered");
    }
    assert!(!page.contains("id=\"move-verified\""), "a unit does not verify");
    let due = khien_domain::calendar::date_vn(first["due_at"].as_i64().unwrap()).format("%d/%m/%Y").to_string();
    assert!(page.contains(&due), "the deadline in dd/mm/yyyy");
    let r = a
        .form(&format!("/findings/{id}/state"), &[("to", "in_remediation"), ("reason", ""), ("accepted_until", "")])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(a.get_json(&format!("/api/v1/findings/{id}")).await["state"], "in_remediation");
    let page = a.get(&format!("/findings/{id}")).await.text().await.unwrap();
    assert!(page.contains("Đang khắc phục") && !page.contains("id=\"move-in_remediation\""));

    // A risk acceptance through the form needs its reason and date.
    let other = open.iter().map(|f| f["id"].as_i64().unwrap()).find(|x| *x != id).unwrap();
    let r = a
        .form(
            &format!("/findings/{other}/state"),
            &[("to", "risk_accepted"), ("reason", "Hệ thống cũ, thay thế quý 2"), ("accepted_until", "")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let kept = r.text().await.unwrap();
    let form = kept.split("id=\"move-risk_accepted\"").nth(1).unwrap().split("</form>").next().unwrap();
    assert!(
        form.contains("value=\"Hệ thống cũ, thay thế quý 2\"") && form.contains("id=\"form-error\""),
        "the refused move keeps its reason, with the message in its form (issue 14.4): {form}"
    );
    let until = (s.db.store.clock().today_vn() + chrono::Duration::days(60)).format("%Y-%m-%d").to_string();
    let r = a
        .form(
            &format!("/findings/{other}/state"),
            &[("to", "risk_accepted"), ("reason", "Hệ thống cũ, thay thế quý 2"), ("accepted_until", &until)],
        )
        .await;
    assert_eq!(r.status(), 303);
    let page = a.get(&format!("/findings/{other}")).await.text().await.unwrap();
    let manager = crate::common::actor(&s.db, "hongbang.quanly").await;
    let name = s.db.store.get_user(&manager, manager.user_id).await.unwrap().user.full_name;
    assert!(page.contains(&name) && page.contains("Hệ thống cũ, thay thế quý 2"), "accepted by (full name) and why");
    assert!(!page.contains("hongbang.quanly"), "not by login name (issue 14.8)");

    // Bulk: three open findings and the one already in remediation; each is reported.
    let picked: Vec<String> = open
        .iter()
        .map(|f| f["id"].as_i64().unwrap())
        .filter(|x| *x != id && *x != other)
        .take(3)
        .map(|x| x.to_string())
        .collect();
    let id_text = id.to_string();
    let mut fields: Vec<(&str, &str)> = picked.iter().map(|x| ("ids", x.as_str())).collect();
    fields.push(("ids", id_text.as_str()));
    fields.extend([("to", "in_remediation"), ("reason", ""), ("accepted_until", ""), ("back", "severity=critical")]);
    let r = a.form("/findings/bulk", &fields).await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"bulk-results\""), "{html}");
    for x in &picked {
        assert!(html.contains(&format!("#{x}: đã chuyển sang Đang khắc phục")), "{x} moved: {html}");
        assert_eq!(a.get_json(&format!("/api/v1/findings/{x}")).await["state"], "in_remediation");
    }
    assert!(html.contains(&format!("#{id}: Không thể chuyển")), "the one already moved is reported: {html}");
    assert!(html.contains(">Nghiêm trọng</span>") && !html.contains(">Cao</span>"), "the list keeps its filters");
    // The unit fixes one; verifying it is not the unit's to do.
    let fixed = &picked[0];
    let r = a.form("/findings/bulk", &[("ids", fixed.as_str()), ("to", "fixed")]).await;
    assert!(r.text().await.unwrap().contains(&format!("#{fixed}: đã chuyển sang")));
    let html = a.form("/findings/bulk", &[("ids", fixed.as_str()), ("to", "verified")]).await.text().await.unwrap();
    assert!(html.contains(&format!("#{fixed}: không được phép")), "{html}");
    assert_eq!(a.get_json(&format!("/api/v1/findings/{fixed}")).await["state"], "fixed");

    // The export: Vietnamese headers, one row per listed finding, dates in dd/mm/yyyy.
    let r = a.get("/api/v1/findings/export").await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
    let rows = xlsx_rows(&r.bytes().await.unwrap());
    assert_eq!(&rows[0][..4], &["Số", "Mức độ", "CVSS", "Tiêu đề"]);
    assert!(rows[0].iter().any(|h| h == "Hạn khắc phục") && rows[0].iter().any(|h| h == "Ngày phát hiện"));
    let listed = api_findings(&a, "").await;
    assert_eq!(rows.len() - 1, listed.len());
    let due_col = rows[0].iter().position(|h| h == "Hạn khắc phục").unwrap();
    assert!(
        rows[1..]
            .iter()
            .any(|r| r[due_col].len() == 10 && r[due_col].as_bytes()[2] == b'/' && r[due_col].as_bytes()[5] == b'/'),
        "dd/mm/yyyy"
    );
    let r = a.get("/api/v1/findings/export?severity=critical&include_closed=true").await;
    let rows = xlsx_rows(&r.bytes().await.unwrap());
    assert_eq!(rows.len() - 1, critical.len());
    assert!(rows[1..].iter().all(|r| r[1] == "Nghiêm trọng"));

    // The dashboard: the ward, with a link to its overdue findings.
    let html = a.get("/findings/dashboard").await.text().await.unwrap();
    assert!(html.contains(&format!("/findings?unit_id={ward}&amp;overdue=true")), "{html}");
    let html = a.get(&format!("/findings?unit_id={ward}&overdue=true")).await;
    assert_eq!(html.status(), 200);

    // Another ward: no finding page, nothing listed or exported, no import into this system.
    let b = s.login("lechan.quanly", DEMO_PASSWORD).await;
    assert_eq!(b.get(&format!("/findings/{id}")).await.status(), 404);
    let html = b.get("/findings?include_closed=true").await.text().await.unwrap();
    assert!(!html.contains("HB-DVC") && !html.contains("Synthetic check") && html.contains("Không có phát hiện nào"));
    let rows = xlsx_rows(&b.get("/api/v1/findings/export?include_closed=true").await.bytes().await.unwrap());
    assert_eq!(rows.len(), 1, "headers only");
    let (status, _) = upload(&b, system_id, "", "x.nessus", synthetic_nessus(1, 1, 1)).await;
    assert_eq!(status, 404);
    let r = b.form(&format!("/findings/{id}/state"), &[("to", "fixed")]).await;
    assert_eq!(r.status(), 404);
    let html = b.form("/findings/bulk", &[("ids", id_text.as_str()), ("to", "fixed")]).await.text().await.unwrap();
    assert!(html.contains(&format!("#{id}: không được phép")), "{html}");
    assert!(!b.get("/findings/dashboard").await.text().await.unwrap().contains("Hồng Bàng"));
}

async fn only_the_standing_body_edits_the_remediation_policy(db: TestDb) {
    let s = TestServer::start_on(db).await;
    let ward = s.login("hongbang.quanly", DEMO_PASSWORD).await;
    let html = ward.get("/remediation-policy").await.text().await.unwrap();
    assert!(html.contains("id=\"policy\"") && !html.contains("id=\"policy-form\""), "read-only for a ward");
    assert!(html.contains("7 ngày làm việc"), "critical at level 3 by default: {html}");
    let r = ward.form("/remediation-policy", &[("d_critical_3", "4"), ("w_critical_3", "1")]).await;
    assert_eq!(r.status(), 403);

    let body = s.login("pa05.truong", DEMO_PASSWORD).await;
    let html = body.get("/remediation-policy").await.text().await.unwrap();
    assert!(html.contains("id=\"policy-form\"") && html.contains("name=\"d_critical_3\" value=\"7\""), "{html}");
    let r = body
        .form(
            "/remediation-policy",
            &[("d_critical_3", "4"), ("w_critical_3", "1"), ("d_medium_2", "75"), ("d_low_1", "180")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let policy = body.get_json("/api/v1/remediation-policy").await;
    let row = |sev: &str, level: u64| {
        policy.as_array().unwrap().iter().find(|r| r["severity"] == sev && r["level"] == level).cloned().unwrap()
    };
    assert_eq!(
        (row("critical", 3)["days"].as_u64(), row("critical", 3)["working_days"].as_bool()),
        (Some(4), Some(true))
    );
    assert_eq!(
        (row("medium", 2)["days"].as_u64(), row("medium", 2)["working_days"].as_bool()),
        (Some(75), Some(false))
    );
    let html = ward.get("/remediation-policy").await.text().await.unwrap();
    assert!(html.contains("4 ngày làm việc") && html.contains("75 ngày"));
    let r = body.form("/remediation-policy", &[("d_high_2", "dai")]).await;
    assert_eq!(r.status(), 422);
}
