//! The JSON API and the web forms on a real server: happy paths and every kind of bad input.

use crate::common::{TestDb, TestServer, ADMIN_PASSWORD, DEMO_PASSWORD};
use reqwest::Method;
use serde_json::{json, Value};

// The probes and the login rate limit (held in memory) do not touch the store's SQL: SQLite only.
on_both_stores!(
    units_and_users_through_the_api,
    bad_input_gets_precise_errors_and_changes_nothing,
    sessions_login_errors_and_tokens,
    language_is_remembered_per_user,
    web_pages_render_for_every_role,
    no_escalation_through_tokens_grants_or_resets,
);

async fn problem(r: reqwest::Response, status: u16) -> Value {
    assert_eq!(r.status(), status);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["status"], status);
    v
}

#[tokio::test]
async fn probes_metrics_and_openapi() {
    let s = TestServer::start().await;
    let c = reqwest::Client::new();
    assert_eq!(c.get(s.url("/healthz")).send().await.unwrap().text().await.unwrap(), "ok");
    assert_eq!(c.get(s.url("/readyz")).send().await.unwrap().status(), 200);
    let doc: Value = c.get(s.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in
        ["/api/v1/units", "/api/v1/units/{id}", "/api/v1/users", "/api/v1/audit", "/api/v1/tokens", "/api/v1/me"]
    {
        assert!(doc["paths"].get(path).is_some(), "{path} is documented");
    }
    assert!(doc["components"]["schemas"].get("Problem").is_some());
    let m = c.get(s.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(m.contains("khien_http_requests_total{method=\"GET\",route=\"/readyz\",status=\"200\"} 1"), "{m}");
    assert!(m.contains("khien_units "));
}

async fn units_and_users_through_the_api(db: TestDb) {
    let s = TestServer::start_on(db).await;
    let admin = s.login("admin", ADMIN_PASSWORD).await;
    let root = s.db.store.root_unit().await.unwrap().unwrap().id;
    let r = admin.send(Method::POST, "/api/v1/units", Some(json!({"code":"P-MOI","name":"Phường Đông Hải Mới","unit_type":"ward","parent_id":root,"focal_email":"dm@haidong.gov.vn"}))).await;
    assert_eq!(r.status(), 201);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let found = admin.get_json("/api/v1/units?q=dong%20hai%20moi").await;
    assert_eq!(found["items"][0]["id"], id, "folded search through the API");
    let r = admin.send(Method::PATCH, &format!("/api/v1/units/{id}"), Some(json!({"name":"Phường Đông Hải 2"}))).await;
    assert_eq!(r.json::<Value>().await.unwrap()["name"], "Phường Đông Hải 2");
    let history = admin.get_json(&format!("/api/v1/units/{id}/history")).await;
    let actions: Vec<_> =
        history["items"].as_array().unwrap().iter().map(|a| a["action"].as_str().unwrap().to_string()).collect();
    assert_eq!(actions, vec!["unit.update", "unit.create"]);
    assert_eq!(history["items"][0]["before"]["name"], "Phường Đông Hải Mới");
    let r = admin.send(Method::PUT, &format!("/api/v1/units/{id}/active"), Some(json!({"active": false}))).await;
    assert_eq!(r.json::<Value>().await.unwrap()["active"], false);

    let r = admin
        .send(
            Method::POST,
            "/api/v1/users",
            Some(json!({"username":"dm.canbo","full_name":"Lê Thị Mai","unit_id":root,"password":"Mat-khau-2026"})),
        )
        .await;
    assert_eq!(r.status(), 201);
    let uid = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let r = admin
        .send(
            Method::POST,
            &format!("/api/v1/users/{uid}/roles"),
            Some(json!({"role":"viewer","unit_id":root,"recursive":true})),
        )
        .await;
    assert_eq!(r.status(), 201);
    let detail = admin.get_json(&format!("/api/v1/users/{uid}")).await;
    assert_eq!(detail["roles"][0]["role"], "viewer");
    // Sorting and cursor pagination over users.
    let page = admin.get_json("/api/v1/users?sort=-full_name&limit=3").await;
    assert_eq!(page["items"].as_array().unwrap().len(), 3);
    let next = page["next_cursor"].as_str().unwrap();
    let page2 = admin.get_json(&format!("/api/v1/users?sort=-full_name&limit=3&cursor={next}")).await;
    assert_ne!(page["items"][0]["id"], page2["items"][0]["id"]);
    let v = problem(admin.get(&format!("/api/v1/users?sort=username&cursor={next}")).await, 422).await;
    assert_eq!(v["field"], "cursor", "a cursor made for another sort is refused");
    // Saved registry filters are personal and hold only registry parameters.
    let r = admin
        .send(
            Method::POST,
            "/api/v1/saved-filters",
            Some(json!({"name":"Đang vận hành thiếu lớp","query":"status=in_operation&layer_gap=true"})),
        )
        .await;
    assert_eq!(r.status(), 201);
    let listed = admin.get_json("/api/v1/saved-filters").await;
    assert_eq!(listed[0]["query"], "status=in_operation&layer_gap=true");
    let v = problem(
        admin
            .send(Method::POST, "/api/v1/saved-filters", Some(json!({"name":"x","query":"next=//evil.example"})))
            .await,
        422,
    )
    .await;
    assert_eq!(v["field"], "query");
    let page = admin.get(&format!("/systems?{}", listed[0]["query"].as_str().unwrap())).await.text().await.unwrap();
    assert!(page.contains("Đang vận hành thiếu lớp"));
}

async fn bad_input_gets_precise_errors_and_changes_nothing(db: TestDb) {
    let s = TestServer::start_on(db).await;
    let admin = s.login("admin", ADMIN_PASSWORD).await;
    let audit_before = s.db.store.audit_count().await.unwrap();
    let c = &admin.client;
    let post = |body: &'static str| {
        c.post(admin.url("/api/v1/units"))
            .header("x-csrf-token", &admin.csrf)
            .header("content-type", "application/json")
            .body(body)
    };

    let v = problem(post("{\"code\": ").send().await.unwrap(), 400).await;
    assert!(v["detail"].as_str().unwrap().contains("JSON sai cú pháp"), "{v}");
    let v = problem(
        post("{\"code\":\"A\",\"name\":\"B\",\"unit_type\":\"ward\",\"parent_id\":1,\"colour\":\"x\"}")
            .send()
            .await
            .unwrap(),
        400,
    )
    .await;
    assert!(v["detail"].as_str().unwrap().contains("colour"), "unknown field named: {v}");
    let v = problem(
        post("{\"code\":\"A\",\"name\":\"B\",\"unit_type\":\"kingdom\",\"parent_id\":1}").send().await.unwrap(),
        400,
    )
    .await;
    assert!(v["detail"].as_str().unwrap().contains("unit_type: unknown variant `kingdom`"), "{v}");
    let v = problem(
        post("{\"code\":\"SO-YT\",\"name\":\"B\",\"unit_type\":\"ward\",\"parent_id\":1}").send().await.unwrap(),
        409,
    )
    .await;
    assert!(v["detail"].as_str().unwrap().contains("SO-YT"));
    let big = format!(
        "{{\"code\":\"A\",\"name\":\"{}\",\"unit_type\":\"ward\",\"parent_id\":1}}",
        "x".repeat(2 * 1024 * 1024)
    );
    let r = c
        .post(admin.url("/api/v1/units"))
        .header("x-csrf-token", &admin.csrf)
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    problem(r, 413).await;
    // English on request (an integration with a token and Accept-Language; in the UI the
    // user's saved choice wins over the browser's header).
    let admin_actor = crate::common::admin_actor(&s.db).await;
    let root_id = s.db.store.root_unit().await.unwrap().unwrap().id;
    let (secret, _) =
        s.db.store.create_token(&admin_actor, "en", khien_domain::role::Role::Administrator, root_id, 1).await.unwrap();
    let audit_before = audit_before + 1;
    let r = reqwest::Client::new()
        .post(admin.url("/api/v1/units"))
        .bearer_auth(secret)
        .header("accept-language", "en-GB,en;q=0.9")
        .json(&json!({"code":"SO-YT","name":"B","unit_type":"ward","parent_id":1}))
        .send()
        .await
        .unwrap();
    let v = problem(r, 409).await;
    assert_eq!(v["detail"], "The unit code «SO-YT» is already taken.");
    // Cycles, bad cursors, bad sorts, unknown query parameters.
    let root = s.db.store.root_unit().await.unwrap().unwrap().id;
    let child = crate::common::unit_id(&s.db, "SO-KHCN").await;
    let grandchild = crate::common::unit_id(&s.db, "TT-CDS").await;
    let v = problem(
        admin.send(Method::POST, &format!("/api/v1/units/{child}/move"), Some(json!({"parent_id": grandchild}))).await,
        422,
    )
    .await;
    assert!(v["detail"].as_str().unwrap().contains("cấp dưới"), "{v}");
    problem(
        admin.send(Method::POST, &format!("/api/v1/units/{root}/move"), Some(json!({"parent_id": child}))).await,
        422,
    )
    .await;
    problem(admin.get("/api/v1/units?cursor=%%%").await, 422).await;
    let v = problem(admin.get("/api/v1/units?sort=password").await, 422).await;
    assert_eq!(v["field"], "sort");
    problem(admin.get("/api/v1/units?limit=100000").await, 422).await;
    problem(admin.get("/api/v1/units?bogus=1").await, 400).await;
    problem(admin.get("/api/v1/units/999999").await, 404).await;
    // No CSRF token on a cookie-authenticated change.
    let r = c
        .post(admin.url("/api/v1/units"))
        .json(&json!({"code":"Z","name":"Z","unit_type":"ward","parent_id":root}))
        .send()
        .await
        .unwrap();
    let v = problem(r, 403).await;
    assert!(v["detail"].as_str().unwrap().contains("CSRF"));
    let r = c
        .post(admin.url("/units"))
        .form(&[("_csrf", "wrong"), ("code", "Z"), ("name", "Z"), ("unit_type", "ward"), ("parent_id", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(s.db.store.audit_count().await.unwrap(), audit_before, "no bad request changed anything");
}

async fn sessions_login_errors_and_tokens(db: TestDb) {
    let s = TestServer::start_on(db).await;
    let c = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    // No session / a forged session: 401 on the API, a redirect to the login page on the UI.
    let v = problem(c.get(s.url("/api/v1/units")).header("cookie", "khien_session=forged").send().await.unwrap(), 401)
        .await;
    assert!(v["detail"].as_str().unwrap().contains("chưa đăng nhập"));
    let r = c.get(s.url("/units")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/login?next=/units");
    // Wrong password: the login page says so, in Vietnamese.
    let page = c.get(s.url("/login")).send().await.unwrap();
    let cookie = page.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let csrf = crate::common::field_value(&page.text().await.unwrap(), "_csrf").unwrap();
    let r = c
        .post(s.url("/login"))
        .header("cookie", &cookie)
        .form(&[("_csrf", csrf.as_str()), ("username", "admin"), ("password", "sai")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert!(r.text().await.unwrap().contains("Tên đăng nhập hoặc mật khẩu không đúng"));
    // A login post without the login form's token is refused.
    let r = c.post(s.url("/login")).form(&[("username", "admin"), ("password", ADMIN_PASSWORD)]).send().await.unwrap();
    assert_eq!(r.status(), 403);
    // Session cookies are HttpOnly and SameSite.
    let r = c
        .post(s.url("/login"))
        .header("cookie", &cookie)
        .form(&[("_csrf", csrf.as_str()), ("username", "admin"), ("password", ADMIN_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let set: Vec<_> = r.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect();
    let session = set.iter().find(|c| c.starts_with("khien_session=")).unwrap();
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Lax"), "{session}");
    let r = c
        .get(s.url("/"))
        .header("cookie", session.split(';').next().unwrap())
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    // API tokens: shown once, scoped to their unit, revocable.
    let pa05 = s.login("pa05.truong", DEMO_PASSWORD).await;
    let ward = crate::common::unit_id(&s.db, "P-HONG-BANG").await;
    let r = pa05
        .send(
            Method::POST,
            "/api/v1/tokens",
            Some(json!({"name":"SOC connector","role":"authority_officer","unit_id":ward,"valid_days":30})),
        )
        .await;
    assert_eq!(r.status(), 201);
    let created: Value = r.json().await.unwrap();
    let secret = created["token"].as_str().unwrap().to_string();
    let listed = pa05.get_json("/api/v1/tokens").await;
    assert!(!listed.to_string().contains(&secret), "the secret is never shown again");
    let units: Value = c.get(s.url("/api/v1/units")).bearer_auth(&secret).send().await.unwrap().json().await.unwrap();
    let ids: Vec<_> = units["items"].as_array().unwrap().iter().map(|u| u["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![ward], "a token sees only its unit");
    let r = c
        .post(s.url("/api/v1/tokens"))
        .bearer_auth(&secret)
        .json(&json!({"name":"x","role":"authority_officer","unit_id":ward,"valid_days":1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "tokens cannot mint tokens");
    let id = created["id"].as_i64().unwrap();
    assert_eq!(pa05.send(Method::DELETE, &format!("/api/v1/tokens/{id}"), None).await.status(), 200);
    problem(c.get(s.url("/api/v1/units")).bearer_auth(&secret).send().await.unwrap(), 401).await;
}

async fn language_is_remembered_per_user(db: TestDb) {
    let s = TestServer::start_on(db).await;
    let u = s.login("sokhcn.canbo", DEMO_PASSWORD).await;
    assert!(u.get("/").await.text().await.unwrap().contains("Xin chào"));
    assert_eq!(u.form("/lang", &[("lang", "en")]).await.status(), 303);
    assert!(u.get("/").await.text().await.unwrap().contains("Welcome"));
    // A new login (new client, no cookies) comes back in English.
    let again = s.login("sokhcn.canbo", DEMO_PASSWORD).await;
    assert!(again.get("/").await.text().await.unwrap().contains("Welcome"));
    let v = problem(again.get("/api/v1/units/999999").await, 404).await;
    assert!(v["detail"].as_str().unwrap().starts_with("Unit not found"));
}

async fn web_pages_render_for_every_role(db: TestDb) {
    let s = TestServer::start_on(db).await;
    for user in ["pa05.truong", "sokhcn.quanly", "lanhdao", "danhgia", "soc", "hongbang.canbo"] {
        let u = s.login(user, DEMO_PASSWORD).await;
        for page in ["/", "/units", "/users", "/audit", "/account"] {
            let r = u.get(page).await;
            assert!(r.status() == 200 || r.status() == 403, "{user} {page}: {}", r.status());
        }
        let tree = u.get("/units").await.text().await.unwrap();
        assert!(tree.contains("unit-tree"), "{user}");
    }
    let pa05 = s.login("pa05.truong", DEMO_PASSWORD).await;
    let found = pa05.get("/units?q=khoa%20hoc").await.text().await.unwrap();
    assert!(found.contains("Sở Khoa học và Công nghệ"));
    let html = pa05.get("/units").await.text().await.unwrap();
    assert!(!html.contains("http://") && !html.contains("https://"), "the page loads nothing from outside");
}

#[tokio::test]
async fn secure_cookies_behind_tls_and_login_rate_limit() {
    let s = TestServer::start().await;
    let c = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let page = c.get(s.url("/login")).send().await.unwrap();
    let cookie = page.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let csrf = crate::common::field_value(&page.text().await.unwrap(), "_csrf").unwrap();
    let login = |user: String, password: &'static str| {
        c.post(s.url("/login"))
            .header("cookie", &cookie)
            .header("x-forwarded-proto", "https")
            .form(&[("_csrf", csrf.clone()), ("username", user), ("password", password.to_string())])
            .send()
    };
    let r = login("admin".into(), ADMIN_PASSWORD).await.unwrap();
    assert_eq!(r.status(), 303);
    let session = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("khien_session="))
        .unwrap();
    assert!(session.contains("; Secure"), "{session}");
    // 30 failed attempts a minute from one address (the success above does not count); the
    // next is refused before any password check.
    for i in 1..=30 {
        assert_eq!(login(format!("nobody{i}"), "x").await.unwrap().status(), 401);
    }
    let r = login("admin".into(), ADMIN_PASSWORD).await.unwrap();
    assert_eq!(r.status(), 429);
    assert!(r.text().await.unwrap().contains("Quá nhiều lần đăng nhập"));
}

/// Regressions for the review of the foundation: every way to widen one's reach is closed.
async fn no_escalation_through_tokens_grants_or_resets(db: TestDb) {
    let s = TestServer::start_on(db).await;
    let khcn = crate::common::unit_id(&s.db, "SO-KHCN").await;
    let admin = crate::common::admin_actor(&s.db).await;
    let manager = s.login("sokhcn.quanly", DEMO_PASSWORD).await;
    let canbo = s.db.store.maintenance().user_id_by_username("sokhcn.canbo").await.unwrap().unwrap();
    // A single-unit manager cannot grant a role over the subtree.
    let r = manager
        .send(
            Method::POST,
            &format!("/api/v1/users/{canbo}/roles"),
            Some(json!({"role":"unit_officer","unit_id":khcn,"recursive":true})),
        )
        .await;
    assert_eq!(r.status(), 403);
    // Nor reset the password of a stronger account whose home unit they manage.
    let boss =
        s.db.store
            .create_user(
                &admin,
                &khien_store::NewUser {
                    username: "boss".into(),
                    full_name: "Trưởng phòng".into(),
                    email: None,
                    unit_id: khcn,
                    password: "Mat-khau-2026".into(),
                },
            )
            .await
            .unwrap();
    let root = s.db.store.root_unit().await.unwrap().unwrap().id;
    s.db.store.grant_role(&admin, boss.id, khien_domain::role::Role::AuthorityOfficer, root, true).await.unwrap();
    let r = manager
        .send(Method::PUT, &format!("/api/v1/users/{}/password", boss.id), Some(json!({"password":"Chiem-quyen-2026"})))
        .await;
    assert_eq!(r.status(), 403);
    let r =
        manager.send(Method::PUT, &format!("/api/v1/users/{}/active", boss.id), Some(json!({"active": false}))).await;
    assert_eq!(r.status(), 403);
    // One's own password changes only with the current one.
    let me = s.db.store.maintenance().user_id_by_username("sokhcn.quanly").await.unwrap().unwrap();
    let r = manager
        .send(Method::PUT, &format!("/api/v1/users/{me}/password"), Some(json!({"password":"Khong-can-cu-2026"})))
        .await;
    assert_eq!(r.status(), 422);
    // A token can neither change its owner's password nor mint tokens, on the API or the web.
    let pa05 = crate::common::actor(&s.db, "pa05.truong").await;
    let (secret, token) =
        s.db.store.create_token(&pa05, "SOC", khien_domain::role::Role::AuthorityOfficer, khcn, 5).await.unwrap();
    let c = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let r = c
        .put(s.url("/api/v1/me/password"))
        .bearer_auth(&secret)
        .json(&json!({"current_password":DEMO_PASSWORD,"new_password":"Chiem-quyen-2026"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = c
        .post(s.url("/tokens"))
        .bearer_auth(&secret)
        .form(&[("name", "x"), ("role", "authority_officer"), ("unit_id", &khcn.to_string()), ("valid_days", "1")])
        .send()
        .await
        .unwrap();
    assert!(r.status() == 401 || r.status() == 303, "web pages refuse bearer tokens: {}", r.status());
    assert_eq!(c.get(s.url("/units")).bearer_auth(&secret).send().await.unwrap().status(), 303);
    // The token is not recursive unless its issuer's grant is — pa05's is, so it sees TT-CDS.
    assert_eq!(
        c.get(s.url("/api/v1/units?limit=500"))
            .bearer_auth(&secret)
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap()["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // Revoking the issuer's role ends the token.
    let pa05_id = s.db.store.maintenance().user_id_by_username("pa05.truong").await.unwrap().unwrap();
    let assignment = s.db.store.get_user(&admin, pa05_id).await.unwrap().roles[0].id;
    s.db.store.revoke_role(&admin, assignment).await.unwrap();
    assert_eq!(
        c.get(s.url("/api/v1/units")).bearer_auth(&secret).send().await.unwrap().status(),
        401,
        "token {} outlived its role",
        token.id
    );
    // axum's own rejections speak problem details too.
    // A path segment that is not an id names no record (schemathesis follows a link whose
    // value is null to /incidents/None and expects 404, not 400).
    let v = problem(manager.get("/api/v1/units/abc").await, 404).await;
    assert!(v["detail"].as_str().unwrap().contains("Không có"));
    problem(manager.get("/api/v1/nothing-here").await, 404).await;
    let html = manager.get("/khong-co-trang-nay").await;
    assert_eq!(html.status(), 404);
    assert!(html.text().await.unwrap().contains("Không có trang"));
}
