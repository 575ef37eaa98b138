//! Issue 14, "done when": every page each demo role reaches by following the links it is shown,
//! and every form on those pages, as that role. A link or button its user cannot use is a
//! defect (403 where the page offered it); so is a page past 200 KB of HTML, an internal error,
//! or an API path or JSON in the text a person reads.

use std::collections::{BTreeMap, HashMap, VecDeque};

use crate::common::*;

/// The roles of the demo city, one account each: administrator, the authority, leadership, a
/// department's manager, a ward's officer, the SOC provider, the independent assessor.
const ACCOUNTS: [&str; 7] = ["quantri", "pa05.canbo", "lanhdao", "sokhcn.quanly", "hongbang.canbo", "soc", "danhgia"];

/// Pages of one shape (ids replaced, query values dropped) visited per account.
const PER_SHAPE: usize = 2;
/// Pages visited per account at most.
const MAX_PAGES: usize = 160;
/// The most HTML a page may send (issue 14, performance).
const MAX_PAGE_BYTES: usize = 200 * 1024;

/// A form as the page offers it: where it posts, its fields with the values a person would send
/// without typing (hidden, pre-filled, checked, selected) and, for required empty fields, a
/// plausible entry.
#[derive(Debug, Clone)]
struct OfferedForm {
    page: String,
    action: String,
    multipart: bool,
    fields: Vec<(String, String)>,
}

/// A path's shape: digits become `N`, query values are dropped.
fn shape(url: &str) -> String {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let mut out = String::new();
    let mut in_digits = false;
    for ch in path.chars() {
        if ch.is_ascii_digit() {
            if !in_digits {
                out.push('N');
            }
            in_digits = true;
        } else {
            in_digits = false;
            out.push(ch);
        }
    }
    let mut names: Vec<&str> =
        query.split('&').filter_map(|kv| kv.split('=').next()).filter(|k| !k.is_empty()).collect();
    names.sort_unstable();
    names.dedup();
    if !names.is_empty() {
        out.push('?');
        out.push_str(&names.join("&"));
    }
    out
}

/// Links not to follow: files, downloads, the API and signing out.
fn followable(href: &str) -> bool {
    href.starts_with('/')
        && !href.starts_with("//")
        && !href.starts_with("/api/")
        && !href.starts_with("/static/")
        && !href.starts_with("/logout")
        && !["export", "/document", "/download", "format=", ".ics", "/files/", "/attachments/", "/template"]
            .iter()
            .any(|word| href.contains(word))
}

fn attr<'a>(tag: &'a tl::HTMLTag<'a>, name: &str) -> Option<String> {
    tag.attributes().get(name).flatten().map(|v| decode(&v.as_utf8_str()))
}

fn decode(s: &str) -> String {
    s.replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
}

/// The text a person reads: the page without its tags, scripts and styles.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        out.push(' ');
        let after = &rest[start..];
        let lower = after.get(..8).unwrap_or(after).to_ascii_lowercase();
        let close = if lower.starts_with("<script") {
            "</script>"
        } else if lower.starts_with("<style") {
            "</style>"
        } else {
            ">"
        };
        match after.find(close) {
            Some(end) => rest = &after[end + close.len()..],
            None => return out,
        }
    }
    out.push_str(rest);
    decode(&out)
}

/// Words of developer text in what a person reads (issue 14.8): codes written in snake_case
/// ("in_remediation") and login names (people go by their full names), except where the page
/// is about accounts (the users' list and page, one's own account).
fn raw_words(url: &str, text: &str) -> Vec<String> {
    let accounts = url.starts_with("/users") || url.starts_with("/account");
    let mut found: Vec<String> = text
        .split(|c: char| c.is_whitespace() || ",;:()«»\"'[]{}|·/".contains(c))
        .map(|w| w.trim_matches(|c: char| c == '.' || c == '…'))
        .filter(|w| {
            let snake = w.contains('_')
                && !w.starts_with('_')
                && !w.ends_with('_')
                && w.chars().all(|c| c.is_ascii_lowercase() || c == '_');
            let login = !accounts && crate::common::DEMO_LOGINS.contains(w);
            snake || login
        })
        .map(str::to_string)
        .collect();
    found.sort();
    found.dedup();
    found
}

/// What a person would type into a required field left empty.
fn plausible(kind: &str, name: &str) -> String {
    match kind {
        "date" => "2026-12-01".into(),
        "number" => "1".into(),
        "email" => "kiem.tra@example.vn".into(),
        "password" => "Mat-khau-Kiem-tra-2026".into(),
        _ if name.contains("url") => "https://example.vn".into(),
        _ => "Kiểm tra".into(),
    }
}

/// The links and forms of a page.
fn read_page(page: &str, html: &str) -> (Vec<String>, Vec<OfferedForm>) {
    let dom = tl::parse(html, tl::ParserOptions::default()).unwrap();
    let parser = dom.parser();
    let mut links = Vec::new();
    for node in dom.query_selector("a[href]").into_iter().flatten() {
        if let Some(tag) = node.get(parser).and_then(|n| n.as_tag()) {
            if let Some(href) = attr(tag, "href") {
                links.push(href.split('#').next().unwrap_or_default().to_string());
            }
        }
    }
    let mut forms = Vec::new();
    for node in dom.query_selector("form").into_iter().flatten() {
        let Some(form) = node.get(parser).and_then(|n| n.as_tag()) else { continue };
        let method = attr(form, "method").unwrap_or_default().to_ascii_lowercase();
        let action = attr(form, "action").unwrap_or_else(|| page.to_string());
        if method != "post" || action.starts_with("/logout") {
            if method != "post" {
                // A GET form (filters, search) is a link with its current values.
                let mut query = Vec::new();
                for input in form.query_selector(parser, "input[name]").into_iter().flatten() {
                    let Some(tag) = input.get(parser).and_then(|n| n.as_tag()) else { continue };
                    let kind = attr(tag, "type").unwrap_or_default();
                    let value = attr(tag, "value").unwrap_or_default();
                    if !matches!(kind.as_str(), "checkbox" | "radio" | "submit") && !value.is_empty() {
                        query.push(format!("{}={value}", attr(tag, "name").unwrap_or_default()));
                    }
                }
                let joint = if action.contains('?') { '&' } else { '?' };
                links.push(if query.is_empty() {
                    action.clone()
                } else {
                    format!("{action}{joint}{}", query.join("&"))
                });
            }
            continue;
        }
        let multipart = attr(form, "enctype").is_some_and(|e| e.contains("multipart"));
        let mut fields = Vec::new();
        let mut buttons = Vec::new();
        const NAMED: [&str; 4] = ["input[name]", "textarea[name]", "select[name]", "button[name]"];
        let inside = NAMED.into_iter().flat_map(|selector| form.query_selector(parser, selector).into_iter().flatten());
        // Fields outside the form that name it (`form="id"`, as in a table row) belong to it too.
        let id = attr(form, "id");
        let outside =
            NAMED.into_iter().flat_map(|selector| dom.query_selector(selector).into_iter().flatten()).filter(|n| {
                let owner = n.get(parser).and_then(|n| n.as_tag()).and_then(|t| attr(t, "form"));
                id.is_some() && owner == id
            });
        for input in inside.chain(outside) {
            let Some(tag) = input.get(parser).and_then(|n| n.as_tag()) else { continue };
            let name = attr(tag, "name").unwrap_or_default();
            let kind = attr(tag, "type").unwrap_or_default().to_ascii_lowercase();
            let required = tag.attributes().contains("required");
            match tag.name().as_utf8_str().as_ref() {
                "button" => buttons.push((name, attr(tag, "value").unwrap_or_default())),
                "textarea" => {
                    let text = decode(&tag.inner_text(parser));
                    let text = if text.trim().is_empty() && required { plausible("text", &name) } else { text };
                    fields.push((name, text));
                }
                "select" => {
                    let mut chosen = None;
                    let mut first = None;
                    for option in tag.query_selector(parser, "option").into_iter().flatten() {
                        let Some(o) = option.get(parser).and_then(|n| n.as_tag()) else { continue };
                        let value = attr(o, "value").unwrap_or_else(|| decode(&o.inner_text(parser)));
                        if first.is_none() && !value.is_empty() {
                            first = Some(value.clone());
                        }
                        if o.attributes().contains("selected") {
                            chosen = Some(value);
                        }
                    }
                    let value = chosen.filter(|v| !v.is_empty() || !required).or(first).unwrap_or_default();
                    fields.push((name, value));
                }
                _ => match kind.as_str() {
                    "file" => {}
                    "checkbox" | "radio" => {
                        if tag.attributes().contains("checked") {
                            fields.push((name, attr(tag, "value").unwrap_or_else(|| "on".into())));
                        }
                    }
                    "submit" => buttons.push((name, attr(tag, "value").unwrap_or_default())),
                    _ => {
                        let value = attr(tag, "value").unwrap_or_default();
                        let value = if value.is_empty() && required { plausible(&kind, &name) } else { value };
                        fields.push((name, value));
                    }
                },
            }
        }
        let form = OfferedForm { page: page.to_string(), action, multipart, fields };
        if buttons.is_empty() {
            forms.push(form);
        } else {
            // Each named button is its own action (a move, a step): each is offered, so each is sent.
            for (name, value) in buttons {
                let mut one = form.clone();
                one.fields.push((name, value));
                forms.push(one);
            }
        }
    }
    (links, forms)
}

/// Actions that end the session or its rights: sent last, so the rest is sent while signed in.
fn ends_rights(action: &str) -> bool {
    ["/active", "/password", "/roles", "/delete", "/revoke", "/role-assignments"].iter().any(|w| action.contains(w))
}

async fn send(s: &Session, form: &OfferedForm) -> reqwest::Response {
    let has_csrf = form.fields.iter().any(|(k, _)| k == "_csrf");
    let mut fields = form.fields.clone();
    if !has_csrf {
        fields.insert(0, ("_csrf".into(), s.csrf.clone()));
    }
    let rb = s.client.post(s.url(&form.action));
    let rb = if form.multipart {
        let mut body = reqwest::multipart::Form::new();
        for (k, v) in fields {
            body = body.text(k, v);
        }
        rb.multipart(body)
    } else {
        rb.form(&fields)
    };
    rb.send().await.unwrap()
}

/// Follows every link `account` is shown and checks each page; with `post`, then sends every
/// form found. Gives the pages visited and the forms sent.
async fn sweep_as(s: &TestServer, account: &str, post: bool, problems: &mut Vec<String>) -> (usize, usize) {
    let session = s.login(account, DEMO_PASSWORD).await;
    let mut seen_shapes: HashMap<String, usize> = HashMap::new();
    let mut visited = std::collections::HashSet::new();
    let mut queue = VecDeque::from(["/".to_string()]);
    let mut forms: BTreeMap<String, OfferedForm> = BTreeMap::new();
    let mut pages = 0;
    while let Some(url) = queue.pop_front() {
        if pages >= MAX_PAGES || !visited.insert(url.clone()) {
            continue;
        }
        let count = seen_shapes.entry(shape(&url)).or_default();
        if *count >= PER_SHAPE {
            continue;
        }
        *count += 1;
        pages += 1;
        let r = session.get(&url).await;
        let status = r.status().as_u16();
        let html_page =
            r.headers().get("content-type").is_some_and(|v| v.to_str().unwrap_or("").starts_with("text/html"));
        let html = r.text().await.unwrap();
        if status != 200 {
            problems.push(format!("{account}: GET {url} (linked) answered {status}"));
            continue;
        }
        if !html_page {
            continue;
        }
        if html.len() > MAX_PAGE_BYTES {
            problems.push(format!("{account}: GET {url} sent {} KB of HTML", html.len() / 1024));
        }
        // Dates take one dd/mm/yyyy control everywhere (issue 14.4), not the browser's own.
        if html.contains("type=\"date\"") || html.contains("type=\"datetime-local\"") {
            problems.push(format!("{account}: {url} has a browser date control"));
        }
        let text = visible_text(&html);
        for raw in ["/api/v1", "{\""] {
            if let Some(at) = text.find(raw) {
                let mut start = at.saturating_sub(60);
                while !text.is_char_boundary(start) {
                    start -= 1;
                }
                let around: String = text[start..].chars().take(140).collect();
                problems.push(format!(
                    "{account}: {url} shows «{raw}»: …{}…",
                    around.split_whitespace().collect::<Vec<_>>().join(" ")
                ));
            }
        }
        for raw in raw_words(&url, &text) {
            problems.push(format!("{account}: {url} shows the code or login name «{raw}»"));
        }
        let (links, offered) = read_page(&url, &html);
        queue.extend(links.into_iter().filter(|l| followable(l)));
        for form in offered {
            let key = format!("{} {:?}", shape(&form.action), form.fields.iter().map(|(k, _)| k).collect::<Vec<_>>());
            let key =
                format!("{key} {}", form.fields.iter().rev().take(1).map(|(_, v)| v.as_str()).collect::<String>());
            forms.entry(key).or_insert(form);
        }
    }
    if !post {
        return (pages, 0);
    }
    let mut forms: Vec<OfferedForm> = forms.into_values().collect();
    forms.sort_by_key(|f| ends_rights(&f.action));
    let sent = forms.len();
    let mut answers: BTreeMap<u16, usize> = BTreeMap::new();
    for form in &forms {
        let r = send(&session, form).await;
        let status = r.status().as_u16();
        *answers.entry(status).or_default() += 1;
        if status == 403 || status == 405 || status >= 500 {
            let body = visible_text(&r.text().await.unwrap_or_default());
            let reason: String = body.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(300).collect();
            problems.push(format!("{account}: {} offers POST {} → {status}: {reason}", form.page, form.action));
        }
    }
    eprintln!("{account}: answers to the forms sent {answers:?}");
    (pages, sent)
}

async fn every_page_and_button_works_for_whoever_is_shown_it(db: TestDb) {
    let s = TestServer::start_on(db).await;
    let mut problems = Vec::new();
    for account in ACCOUNTS {
        let (pages, forms) = sweep_as(&s, account, true, &mut problems).await;
        eprintln!("{account}: {pages} pages, {forms} forms sent");
        assert!(pages > 10, "{account} reached only {pages} pages");
    }
    // Again, now that the forms sent have left records, decisions and timelines behind.
    for account in ACCOUNTS {
        sweep_as(&s, account, false, &mut problems).await;
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

on_both_stores!(every_page_and_button_works_for_whoever_is_shown_it);

/// The audit filter takes days as people write them (issue 14.4: one dd/mm/yyyy control).
#[tokio::test]
async fn the_audit_filter_takes_dd_mm_yyyy() {
    let s = TestServer::start().await;
    let admin = s.login("admin", ADMIN_PASSWORD).await;
    let r = admin.get("/audit?from=01/01/2026&to=31/12/2099").await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("value=\"01/01/2026\""), "the filter keeps the day as typed");
    let r = admin.get("/audit?from=31/02/2026").await;
    assert_eq!(r.status(), 422, "an impossible day is refused, not ignored");
}

/// Each level criterion on the system form says which article it comes from (issue 14.4).
#[tokio::test]
async fn the_level_criteria_on_the_system_form_cite_their_articles() {
    let s = TestServer::start().await;
    let manager = s.login("hongbang.quanly", DEMO_PASSWORD).await;
    let html = manager.get("/systems/new").await.text().await.unwrap();
    for (field, article) in [
        ("system_type", "Đ12.2"),
        ("secret_harm", "Đ13.1, Đ14.1, Đ15.1"),
        ("subjects_sensitive", "Đ13.2.c"),
        ("online_service_level", "Đ9.2.a"),
        ("infra_scope", "Đ15.3"),
        ("works_grade", "Đ15.4"),
        ("building_started_on", "Đ39.1"),
        ("conditional_business", "Đ13.2.a"),
    ] {
        let at = html.find(&format!("name=\"{field}\"")).unwrap_or_else(|| panic!("no field {field}"));
        let help = &html[at..];
        let help = &help[help.find("class=\"help\"").unwrap_or_else(|| panic!("no help after {field}"))..];
        let help = &help[..help.find("</small>").unwrap()];
        assert!(help.contains(article), "{field}'s help cites {article}: {help}");
    }
    assert!(html.contains("pattern=\"[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}\""), "dates take the dd/mm/yyyy control");
}

#[test]
fn raw_words_are_codes_and_login_names() {
    let text = "Trạng thái: in_remediation · Người chấp nhận: hongbang.quanly. Mã: HB_DVC, _csrf";
    assert_eq!(raw_words("/findings/1", text), vec!["hongbang.quanly", "in_remediation"]);
    assert_eq!(raw_words("/users/3", text), vec!["in_remediation"], "an account's page names its login");
}
