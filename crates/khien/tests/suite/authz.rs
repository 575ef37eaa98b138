//! Authorization is proven, not assumed: for EVERY operation in the OpenAPI document (so a new
//! endpoint cannot be forgotten) and every web form, a caller of unit A (SO-KHCN) can neither
//! read nor change the records of unit B (SO-YT) — by session and by API token.

use crate::authz_requests::{attack, Other};
use crate::common::{actor, admin_actor, unit_id, Session, TestDb, TestServer, DEMO_PASSWORD};
use khien_domain::role::Role;
use reqwest::Method;
use serde_json::{json, Value};

on_both_stores!(
    unit_a_cannot_read_or_change_unit_b_through_any_endpoint,
    read_only_roles_cannot_change_anything,
    exports_hold_only_the_callers_units,
);

/// JSON bodies as JSON; a JSON string value is a raw body (file uploads).
fn with_body(rb: reqwest::RequestBuilder, body: Option<Value>) -> reqwest::RequestBuilder {
    match body {
        Some(Value::String(raw)) => rb.body(raw),
        Some(b) => rb.json(&b),
        None => rb,
    }
}

/// A snapshot of B as the administrator sees it; must not change.
async fn snapshot(admin: &Session, b: &Other) -> String {
    let unit = admin.get_json(&format!("/api/v1/units/{}", b.unit)).await;
    let user = admin.get_json(&format!("/api/v1/users/{}", b.user)).await;
    let tokens: Vec<Value> = admin
        .get_json("/api/v1/tokens")
        .await
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["unit_id"] == json!(b.unit))
        .cloned()
        .collect();
    let audit = admin.get_json("/api/v1/audit?limit=1").await["items"][0]["id"].clone();
    let system = admin.get_json(&format!("/api/v1/systems/{}", b.system)).await;
    let dossier = admin.get_json(&format!("/api/v1/dossiers/{}", b.dossier)).await;
    let registers = (
        admin.get_json(&format!("/api/v1/systems/{}/connections", b.system)).await,
        admin.get_json(&format!("/api/v1/systems/{}/certificates", b.system)).await,
        admin.get_json(&format!("/api/v1/dossiers/{}/attachments", b.dossier)).await,
        admin.get_json(&format!("/api/v1/dossiers/{}/documents", b.dossier)).await,
        admin.get_json(&format!("/api/v1/dossiers/{}/packages", b.dossier)).await,
        admin.get_json("/api/v1/rulesets/manager-check").await,
        admin.get_json("/api/v1/document-templates").await,
        admin.get_json(&format!("/api/v1/systems/{}/details", b.system)).await,
        admin.get_json("/api/v1/registry/required-details").await,
    );
    let incident = admin.get_json(&format!("/api/v1/incidents/{}", b.incident)).await;
    let public_report = admin.get_json(&format!("/api/v1/public-reports/{}", b.public_report)).await;
    let assessment = admin.get_json(&format!("/api/v1/assessments/{}", b.assessment)).await;
    let findings = admin.get_json(&format!("/api/v1/findings?system_id={}&include_closed=true", b.system)).await;
    format!(
        "{unit}{user}{tokens:?}{audit}{system}{dossier}{registers:?}{incident}{public_report}{assessment}{findings}"
    )
}

async fn sweep(
    s: &TestServer,
    doc: &Value,
    b: &Other,
    own_unit: i64,
    send: &(dyn Fn(Method, String, Option<Value>) -> futures_like::Fut + Sync),
) {
    let mut checked = 0;
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            let Some((url, body)) = attack(path, method, b, own_unit) else { continue };
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let (status, text) = send(m, url.clone(), body).await;
            assert!(status == 403 || status == 404, "{method} {url} answered {status}: {text}");
            assert!(
                !text.contains("soyt.canbo") && !text.contains("Sở Y tế"),
                "{method} {url} leaked B's data: {text}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 14, "only {checked} operations were checked");
    let _ = s;
}

/// Boxed futures without pulling in the futures crate.
mod futures_like {
    pub type Fut = std::pin::Pin<Box<dyn std::future::Future<Output = (u16, String)> + Send>>;
}

async fn lists_hide_b(get: impl Fn(String) -> futures_like::Fut, b: &Other) {
    for path in [
        "/api/v1/systems?limit=500",
        "/api/v1/systems/overview",
        "/api/v1/dossiers/pending",
        "/api/v1/work",
        "/api/v1/saved-filters",
        "/api/v1/incidents?include_closed=true&limit=200",
        "/api/v1/observables?value=198.51.100.23",
        "/api/v1/stix/bundle?include_closed=true",
        "/api/v1/taxii/collections",
        "/api/v1/public-reports?include_closed=true&limit=500",
        "/api/v1/assessments?limit=200",
        "/api/v1/assessments/by-unit",
        "/api/v1/findings?include_closed=true&limit=200",
        "/api/v1/findings/counts",
        "/api/v1/findings/counts/history",
        "/api/v1/my-plan-tasks",
        "/api/v1/trainings",
        "/api/v1/budget-projects?year=2026",
        "/api/v1/budget-summary?year=2026",
        "/api/v1/security-staff",
        "/api/v1/consultations",
        "/api/v1/deadlines",
        "/api/v1/deadlines.ics",
        "/api/v1/telemetry/alerts?limit=500",
        "/api/v1/telemetry/days?days=366",
        "/api/v1/telemetry/rate?minutes=1440",
        "/api/v1/botnet/cases",
        "/api/v1/endpoints",
        "/api/v1/endpoints/coverage",
    ] {
        let (status, text) = get(path.to_string()).await;
        assert_eq!(status, 200, "{path}");
        assert!(
            !text.contains("YT-HIS") && !text.contains("Sở Y tế") && !text.contains("bệnh viện"),
            "{path} leaked: {text}"
        );
    }
    for path in ["/api/v1/units?limit=500", "/api/v1/users?limit=500", "/api/v1/audit?limit=500", "/api/v1/tokens"] {
        let (status, text) = get(path.to_string()).await;
        assert!(status == 200 || status == 403, "{path}: {status}");
        let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        let items = v.get("items").cloned().unwrap_or(v.clone());
        for item in items.as_array().cloned().unwrap_or_default() {
            assert_ne!(item["unit_id"], json!(b.unit), "{path} leaked {item}");
            assert_ne!(item["id"], json!(if path.contains("units") { b.unit } else { b.user }), "{path} leaked {item}");
        }
    }
    let (status, csv) = get("/api/v1/units/export?format=csv".to_string()).await;
    assert_eq!(status, 200);
    assert!(csv.contains("SO-KHCN") && !csv.contains("SO-YT"), "export leaked: {csv}");
    // A department leads task 4.5 only as one of the group: it sees its own part, not B's.
    for path in [
        format!("/api/v1/plan-tasks/{}/progress?period=2025", b.plan_task),
        format!("/api/v1/plans/{}/missing?period=2025", b.plan),
        format!("/api/v1/plans/{}/status?period=2025", b.plan),
        format!("/api/v1/indicators/{}?period=2026", b.indicator),
        format!("/api/v1/report-rounds/{}", b.report_round),
        "/api/v1/report-rounds".to_string(),
        "/api/v1/network".to_string(),
    ] {
        let (status, text) = get(path.clone()).await;
        assert_eq!(status, 200, "{path}");
        assert!(!text.contains("Sở Y tế") && !text.contains("SO-YT"), "{path} leaked: {text}");
    }
    let (status, text) = get(format!("/api/v1/findings/counts/history?unit_id={}", b.unit)).await;
    assert!(status == 403 || status == 404, "history of B: {status} {text}");
    for path in [
        format!("/api/v1/users?unit_id={}", b.unit),
        format!("/api/v1/audit?unit_id={}", b.unit),
        format!("/api/v1/units?parent_id={}", b.unit),
    ] {
        let (_, text) = get(path.clone()).await;
        let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        assert!(v["items"].as_array().is_none_or(|a| a.is_empty()), "{path} leaked {text}");
    }
}

async fn unit_a_cannot_read_or_change_unit_b_through_any_endpoint(db: TestDb) {
    let s = TestServer::start_on(db).await;
    let admin_session = s.login("admin", crate::common::ADMIN_PASSWORD).await;
    let (own_unit, b) = crate::authz_seed::records_of_b(&s).await;
    let doc: Value = reqwest::get(s.url("/api/openapi.json")).await.unwrap().json().await.unwrap();
    let pa05 = actor(&s.db, "pa05.truong").await;
    let (secret, _) =
        s.db.store.create_token(&pa05, "KHCN connector", Role::AuthorityOfficer, own_unit, 30).await.unwrap();
    let before = snapshot(&admin_session, &b).await;

    // 1. A unit manager of A, signed in (cookie + CSRF).
    let a = s.login("sokhcn.quanly", DEMO_PASSWORD).await;
    let (client, csrf, base) = (a.client.clone(), a.csrf.clone(), s.base.clone());
    let by_session = move |m: Method, url: String, body: Option<Value>| -> futures_like::Fut {
        let (client, csrf, base) = (client.clone(), csrf.clone(), base.clone());
        Box::pin(async move {
            let mut rb = client.request(m, format!("{base}{url}")).header("x-csrf-token", csrf);
            rb = with_body(rb, body);
            let r = rb.send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        })
    };
    sweep(&s, &doc, &b, own_unit, &by_session).await;
    lists_hide_b(|p| by_session(Method::GET, p, None), &b).await;

    // 2. An API token issued for A's unit with the broad authority-officer role.
    let base = s.base.clone();
    let by_token = move |m: Method, url: String, body: Option<Value>| -> futures_like::Fut {
        let (secret, base) = (secret.clone(), base.clone());
        Box::pin(async move {
            let mut rb = reqwest::Client::new().request(m, format!("{base}{url}")).bearer_auth(secret);
            rb = with_body(rb, body);
            let r = rb.send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        })
    };
    sweep(&s, &doc, &b, own_unit, &by_token).await;
    lists_hide_b(|p| by_token(Method::GET, p, None), &b).await;

    // 3. The web forms and pages.
    let bu = b.unit.to_string();
    let own = own_unit.to_string();
    let pages = [
        format!("/units/{}", b.unit),
        format!("/users/{}", b.user),
        format!("/incidents/{}", b.incident),
        format!("/public-reports/{}", b.public_report),
        format!("/findings/{}", b.finding),
        format!("/budget/projects/{}", b.budget_project),
        format!("/staff/{}", b.staff),
        format!("/consultations/{}", b.consultation),
        format!("/trainings/{}", b.training),
        format!("/rankings/{}", b.ranking),
        format!("/reports/{}/units/{}", b.report_round, b.unit),
        format!("/dossiers/{}", b.dossier),
        format!("/systems/{}/details", b.system),
        format!("/units/{}/completeness", b.unit),
    ];
    for p in &pages {
        let r = a.get(p).await;
        assert_eq!(r.status(), 404, "GET {p}");
    }
    let forms: Vec<(String, Vec<(&str, &str)>)> = vec![
        ("/units".into(), vec![("code", "HACK2"), ("name", "x"), ("unit_type", "ward"), ("parent_id", bu.as_str())]),
        (
            format!("/units/{}", b.unit),
            vec![("name", "hacked"), ("head_name", ""), ("focal_name", ""), ("focal_phone", ""), ("focal_email", "")],
        ),
        (format!("/units/{}/move", b.unit), vec![("parent_id", "1")]),
        (format!("/units/{}/active", b.unit), vec![("active", "false")]),
        (
            "/users".into(),
            vec![
                ("username", "hacker2"),
                ("full_name", "x"),
                ("email", ""),
                ("unit_id", bu.as_str()),
                ("password", "Mat-khau-2026"),
            ],
        ),
        (
            format!("/users/{}/roles", b.user),
            vec![("role", "unit_officer"), ("unit_id", bu.as_str()), ("recursive", "false")],
        ),
        (format!("/users/{}/password", b.user), vec![("password", "Mat-khau-2026x")]),
        (format!("/users/{}/active", b.user), vec![("active", "false")]),
        (format!("/role-assignments/{}/delete", b.assignment), vec![]),
        (format!("/tokens/{}/revoke", b.token), vec![]),
        (
            "/tokens".into(),
            vec![("name", "x"), ("role", "unit_manager"), ("unit_id", bu.as_str()), ("valid_days", "1")],
        ),
        (
            "/incidents".into(),
            vec![
                ("unit_id", bu.as_str()),
                ("title", "x"),
                ("category", "malware"),
                ("detected_at", "2026-01-01T08:00"),
            ],
        ),
        (format!("/incidents/{}/state", b.incident), vec![("state", "triaged")]),
        (format!("/incidents/{}/notes", b.incident), vec![("note", "hacked")]),
        (format!("/incidents/{}/observables", b.incident), vec![("kind", "ipv4"), ("value", "192.0.2.1")]),
        (format!("/incident-tasks/{}/state", b.task), vec![("state", "done")]),
        (format!("/public-reports/{}/route", b.public_report), vec![("unit_id", own.as_str())]),
        (format!("/public-reports/{}/state", b.public_report), vec![("state", "in_progress")]),
        (format!("/public-reports/{}/convert", b.public_report), vec![("unit_id", own.as_str())]),
        (format!("/findings/{}/state", b.finding), vec![("to", "in_remediation")]),
        (
            format!("/budget/projects/{}", b.budget_project),
            vec![("year", "2026"), ("name", "x"), ("total_cost", "1"), ("security_cost", "1")],
        ),
        (
            "/budget".into(),
            vec![("unit", bu.as_str()), ("year", "2026"), ("name", "x"), ("total_cost", "1"), ("security_cost", "1")],
        ),
        (format!("/plans/{}/budget-share", b.plan), vec![("budget_share", "1")]),
        (
            "/staff".into(),
            vec![("unit", bu.as_str()), ("full_name", "x"), ("role", "full_time"), ("since", "01/01/2025")],
        ),
        (format!("/staff/{}", b.staff), vec![("full_name", "x"), ("role", "full_time"), ("since", "01/01/2025")]),
        (format!("/staff/{}/certificates", b.staff), vec![("name", "x"), ("issued_on", "01/01/2025")]),
        ("/consultations".into(), vec![("title", "x"), ("drafting", bu.as_str()), ("due_on", "01/01/2030")]),
        (format!("/consultations/{}/replies", b.consultation), vec![("unit", bu.as_str()), ("comment", "x")]),
        (format!("/consultations/{}/close", b.consultation), vec![]),
        (format!("/trainings/{}", b.training), vec![("unit", bu.as_str()), ("body", "x"), ("due_on", "01/01/2030")]),
        (format!("/follow-ups/{}/done", b.follow_up), vec![("note", "x")]),
        (format!("/dossiers/{}/forms/statement", b.dossier), vec![("number", "1/x"), ("signer_name", "x")]),
        (format!("/dossiers/{}/packages", b.dossier), vec![]),
        (
            format!("/dossiers/{}/comments", b.dossier),
            vec![("part", "design"), ("requirement", ""), ("body", "hacked")],
        ),
        (format!("/dossier-comments/{}/answer", b.comment), vec![("answer", "hacked")]),
        ("/rulesets/manager-check".into(), vec![("unit_type", "ward")]),
        (format!("/document-templates/{}/default", b.template), vec![("default", "true")]),
        (format!("/systems/{}/details", b.system), vec![("mfa", "no")]),
        ("/registry/required-details".into(), vec![("field", "mfa")]),
        (
            format!("/dossier-packages/{}/receipt", b.package),
            vec![("received_by", "x"), ("received_on", "01/01/2026"), ("reference", "")],
        ),
        (
            format!("/indicators/{}/values", b.indicator),
            vec![("unit", bu.as_str()), ("period", "2026"), ("numerator", "1"), ("denominator", "2")],
        ),
        (format!("/indicators/{}/snapshots", b.indicator), vec![("period", "2026")]),
        ("/indicators/snapshots".into(), vec![("period", "2026")]),
        (
            "/reports".into(),
            vec![("template", "monthly"), ("period", "2026-11"), ("due_on", "30/12/2026"), ("unit_types", "ward")],
        ),
        (format!("/reports/{}/units/{}", b.report_round, b.unit), vec![("results", "hacked"), ("action", "submit")]),
        (
            "/network".into(),
            vec![
                ("unit", bu.as_str()),
                ("contact_name", "x"),
                ("contact_phone", "0225 3 811 811"),
                ("contact_email", "a@b.vn"),
            ],
        ),
        (format!("/network/{}/decision", b.unit), vec![("decision", "approve")]),
        (
            format!("/reports/{}/units/{}/decision", b.report_round, b.unit),
            vec![("decision", "return"), ("reason", "hacked")],
        ),
        (
            "/indicators".into(),
            vec![("code", "HACK"), ("name_vi", "x"), ("name_en", "x"), ("measure", "approved"), ("targets", "")],
        ),
        (
            format!("/consultation-comments/{}/answer", b.consultation_comment),
            vec![("round", "0"), ("answer", "accepted")],
        ),
        ("/remediation-policy".into(), vec![("d_critical_3", "1"), ("w_critical_3", "1")]),
        ("/telemetry/retention".into(), vec![("d_3", "400")]),
    ];
    for (path, fields) in &forms {
        let r = a.form(path, fields).await;
        let status = r.status().as_u16();
        assert!(status == 403 || status == 404, "POST {path} answered {status}");
    }
    for (page, secret_text) in [
        ("/units", "Sở Y tế"),
        ("/users", "soyt.canbo"),
        ("/audit", "soyt"),
        ("/account", "SO-YT SIEM"),
        ("/incidents?include_closed=true", "bệnh viện"),
        ("/observables?value=198.51.100.23", "bệnh viện"),
        ("/public-reports?include_closed=true", "bệnh viện"),
        ("/findings?include_closed=true", "YT-HIS"),
        ("/findings/dashboard", "Sở Y tế"),
        ("/assessments/by-unit", "Sở Y tế"),
        ("/budget?year=2026", "bệnh viện"),
        ("/staff", "Đỗ Văn Y"),
        ("/consultations", "bệnh viện"),
    ] {
        let html = a.get(page).await.text().await.unwrap();
        assert!(!html.contains(secret_text), "{page} shows {secret_text}");
    }

    // Findings moved in bulk or a scan uploaded through the web form: refused for B's records.
    let finding = b.finding.to_string();
    let html =
        a.form("/findings/bulk", &[("ids", finding.as_str()), ("to", "in_remediation")]).await.text().await.unwrap();
    assert!(
        html.contains(&format!("#{finding}: không được phép")) && !html.contains("YT-HIS"),
        "bulk move on B: {html}"
    );
    let upload = reqwest::multipart::Form::new().text("system_id", b.system.to_string()).text("tool", "").part(
        "file",
        reqwest::multipart::Part::bytes(khien_formats::scan::synthetic_nessus(1, 2, 5)).file_name("x.nessus"),
    );
    let r =
        a.client.post(a.url("/findings/scans")).header("x-csrf-token", &a.csrf).multipart(upload).send().await.unwrap();
    assert_eq!(r.status(), 404, "scan upload into B's system");
    // Forms that take a system by its code: B's code is unknown to A.
    let upload = reqwest::multipart::Form::new().text("system", "YT-HIS").part(
        "file",
        reqwest::multipart::Part::bytes(khien_formats::scan::synthetic_nessus(1, 2, 5)).file_name("x.nessus"),
    );
    let r =
        a.client.post(a.url("/findings/scans")).header("x-csrf-token", &a.csrf).multipart(upload).send().await.unwrap();
    assert_eq!(r.status(), 422, "scan upload by B's code");
    let r = a.get("/findings?system=YT-HIS&include_closed=true").await;
    assert_eq!(r.status(), 422);
    assert!(!r.text().await.unwrap().contains("bệnh viện"));
    let r = a
        .form(
            "/assessments",
            &[
                ("system", "YT-HIS"),
                ("catalogue_id", "1"),
                ("kind", "self"),
                ("title", "hacked"),
                ("assessor_unit_id", ""),
                ("planned_for", ""),
            ],
        )
        .await;
    assert!([403, 404, 422].contains(&r.status().as_u16()), "assessment of B's system: {}", r.status());

    assert_eq!(snapshot(&admin_session, &b).await, before, "B is unchanged and no audit record was written");

    // Control: the same caller can act on its own unit, so the refusals above are about scope.
    let r =
        a.send(Method::PATCH, &format!("/api/v1/units/{own_unit}"), Some(json!({"head_name":"Nguyễn Văn Mới"}))).await;
    assert_eq!(r.status(), 200);
    assert_eq!(a.get_json("/api/v1/users?limit=500").await["items"].as_array().unwrap().len(), 2);
}

async fn read_only_roles_cannot_change_anything(db: TestDb) {
    let s = TestServer::start_on(db).await;
    let viewer = s.login("lanhdao", DEMO_PASSWORD).await;
    let unit = unit_id(&s.db, "SO-KHCN").await;
    assert_eq!(viewer.get(&format!("/api/v1/units/{unit}")).await.status(), 200, "leadership reads everything");
    let r = viewer.send(Method::PATCH, &format!("/api/v1/units/{unit}"), Some(json!({"name":"x"}))).await;
    assert_eq!(r.status(), 403);
    let r = viewer
        .send(Method::POST, "/api/v1/units", Some(json!({"code":"V","name":"x","unit_type":"ward","parent_id":unit})))
        .await;
    assert_eq!(r.status(), 403);
    let officer = s.login("sokhcn.canbo", DEMO_PASSWORD).await;
    let r = officer.send(Method::PATCH, &format!("/api/v1/units/{unit}"), Some(json!({"name":"x"}))).await;
    assert_eq!(r.status(), 403, "a unit officer sees but does not edit its unit");
    assert_eq!(officer.get("/api/v1/audit").await.status(), 200);
    assert_eq!(
        officer.get_json("/api/v1/audit").await["items"].as_array().unwrap().len(),
        0,
        "officers have no audit view"
    );
}

/// Every cell of every sheet of an XLSX, as text.
pub fn xlsx_text(bytes: &[u8]) -> String {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut out = String::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        for row in range.rows() {
            for cell in row {
                out.push_str(&cell.to_string());
                out.push('\t');
            }
            out.push('\n');
        }
    }
    out
}

async fn exports_hold_only_the_callers_units(db: TestDb) {
    let s = TestServer::start_on(db).await;
    let admin = admin_actor(&s.db).await;
    for (unit, code) in [("SO-YT", "YT-HIS"), ("SO-KHCN", "KHCN-CDS")] {
        let id = unit_id(&s.db, unit).await;
        let input = khien_store::SystemInput {
            code: code.into(),
            name: format!("Hệ thống {code}"),
            owner_unit_id: id,
            system_type: "internal".into(),
            ..Default::default()
        };
        s.db.store.create_system(&admin, &input).await.unwrap();
    }
    for system in
        s.db.store.all_systems(&admin).await.unwrap().into_iter().filter(|x| x.code == "YT-HIS" || x.code == "KHCN-CDS")
    {
        let scan = std::io::Cursor::new(khien_formats::scan::synthetic_nessus(2, 5, 3));
        s.db.store
            .import_scan(&admin, system.id, khien_formats::scan::ScanTool::Nessus, "quet.nessus", Box::new(scan))
            .await
            .unwrap();
    }
    let a = s.login("sokhcn.quanly", DEMO_PASSWORD).await;
    for path in [
        "/api/v1/systems/export",
        "/api/v1/systems/export?status=planned",
        "/api/v1/systems/overview/export",
        "/api/v1/systems/overview/form08-systems",
        "/api/v1/systems/overview/form08",
        "/api/v1/findings/export",
        "/api/v1/findings/export?include_closed=true",
        "/api/v1/incidents/export?include_closed=true",
        "/api/v1/users/export",
        "/api/v1/assessments/export",
        "/api/v1/public-reports/export?include_closed=true",
        "/api/v1/audit/export",
    ] {
        let r = a.get(path).await;
        assert_eq!(r.status(), 200, "{path}");
        let text = xlsx_text(&r.bytes().await.unwrap());
        assert!(!text.contains("YT-HIS") && !text.contains("Sở Y tế"), "{path} leaked: {text}");
        if path.contains("systems/export") || path.contains("findings/export") {
            assert!(text.contains("KHCN-CDS"), "{path} has the caller's own system: {text}");
        }
    }
}
