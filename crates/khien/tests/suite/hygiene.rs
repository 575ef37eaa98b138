//! Issue 11, item 9: caching, HSTS, where CSRF tokens may travel, the login form's pre-session,
//! and the per-address limits on logins and tracking-code lookups.

use crate::common::{field_value, TestServer, DEMO_PASSWORD};

fn browser() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

#[tokio::test]
async fn responses_are_not_cached_and_tls_is_pinned() {
    let s = TestServer::start().await;
    let pa05 = s.login("pa05.truong", DEMO_PASSWORD).await;
    for path in ["/", "/api/v1/me", "/units"] {
        let r = pa05.get(path).await;
        assert_eq!(r.headers().get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"), "{path}");
        assert!(r.headers().get("strict-transport-security").is_none(), "no HSTS over plain HTTP: {path}");
    }
    let r = reqwest::Client::new().get(s.url("/login")).header("x-forwarded-proto", "https").send().await.unwrap();
    assert_eq!(r.headers().get("strict-transport-security").and_then(|v| v.to_str().ok()), Some("max-age=31536000"));
    assert_eq!(r.headers().get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"));
}

#[tokio::test]
async fn csrf_tokens_travel_in_the_body_or_a_header_and_login_tokens_are_bound_to_their_browser() {
    let s = TestServer::start().await;
    let pa05 = s.login("pa05.truong", DEMO_PASSWORD).await;
    let file = || reqwest::multipart::Part::bytes(b"code,name\n".to_vec()).file_name("don-vi.csv");
    // In the address: refused.
    let form = reqwest::multipart::Form::new().part("file", file());
    let r =
        pa05.client.post(pa05.url(&format!("/units/import?_csrf={}", pa05.csrf))).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), 403, "a CSRF token in the query string");
    // As the first part of the upload, or in the header: accepted (the file itself is then judged).
    let form = reqwest::multipart::Form::new().text("_csrf", pa05.csrf.clone()).part("file", file());
    let r = pa05.client.post(pa05.url("/units/import")).multipart(form).send().await.unwrap();
    assert_ne!(r.status(), 403);
    let form = reqwest::multipart::Form::new().part("file", file());
    let r = pa05
        .client
        .post(pa05.url("/units/import"))
        .header("x-csrf-token", &pa05.csrf)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_ne!(r.status(), 403);
    // A wrong token as the first part is refused; so is a token that comes after the file.
    let form = reqwest::multipart::Form::new().text("_csrf", "sai").part("file", file());
    assert_eq!(pa05.client.post(pa05.url("/units/import")).multipart(form).send().await.unwrap().status(), 403);
    let form = reqwest::multipart::Form::new().part("file", file()).text("_csrf", pa05.csrf.clone());
    assert_eq!(pa05.client.post(pa05.url("/units/import")).multipart(form).send().await.unwrap().status(), 403);

    // The login form's token is worth nothing with another browser's pre-session cookie.
    let attacker = browser();
    let page = attacker.get(s.url("/login")).send().await.unwrap().text().await.unwrap();
    let planted = field_value(&page, "_csrf").unwrap();
    let victim = browser();
    victim.get(s.url("/login")).send().await.unwrap();
    let r = victim
        .post(s.url("/login"))
        .form(&[("_csrf", planted.as_str()), ("username", "pa05.truong"), ("password", DEMO_PASSWORD), ("next", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "a login token of another pre-session");
    let r = attacker
        .post(s.url("/login"))
        .form(&[("_csrf", planted.as_str()), ("username", "pa05.truong"), ("password", DEMO_PASSWORD), ("next", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "its own browser signs in");
}

#[tokio::test]
async fn the_address_limits_count_failures_logins_and_unknown_tracking_codes() {
    let s = TestServer::start().await;
    // 30 attempts a minute per address: successful sign-ins do not use them up.
    for _ in 0..32 {
        s.login("soyt.quanly", DEMO_PASSWORD).await;
    }
    // Unknown tracking codes: 20 in 10 minutes per address, then 429 on the page and the API.
    let anon = reqwest::Client::new();
    let mut refused = None;
    for i in 0..25 {
        let r = anon.get(s.url(&format!("/api/v1/public/reports/PA-0000-0000-{i:04}"))).send().await.unwrap();
        if r.status() == 429 {
            refused = Some(i);
            break;
        }
        assert_eq!(r.status(), 404);
    }
    assert_eq!(refused, Some(20), "the 21st unknown code is refused");
    let page = anon.get(s.url("/bao-cao/tra-cuu?ma=PA-0000-0000-9999")).send().await.unwrap();
    assert_eq!(page.status(), 429);
}
