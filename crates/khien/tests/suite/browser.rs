//! The web UI in a real browser: headless Chromium driven through chromedriver (WebDriver), on a
//! real server with the demo city. Chromium and chromedriver come from Debian
//! (`scripts/install-test-deps.sh` installs them; CI always does). Never skipped: without them
//! these tests fail and say how to install them.

use crate::common::{TestServer, DEMO_PASSWORD};
use fantoccini::{Client, ClientBuilder, Locator};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The bound on every wait for the browser.
const WAIT: Duration = Duration::from_secs(20);
const USER: &str = "pa05.truong";

/// One browser at a time: each Chromium is several processes, and the suite's other tests run
/// alongside on small machines.
static ONE_BROWSER: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

/// A chromedriver child process on a free port, with a fresh Chromium profile folder. Dropping
/// it kills chromedriver (and any browser it started) and removes the folder.
struct Driver {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl Driver {
    fn start() -> Driver {
        for bin in [CHROMIUM, CHROMEDRIVER] {
            assert!(
                Path::new(bin).exists(),
                "{bin} is missing: the browser tests need Debian's chromium and chromium-driver. \
                 Run scripts/install-test-deps.sh (as root), or use scripts/test.sh, which runs it."
            );
        }
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("khien_browser_{}_{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("profile")).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let log = std::fs::File::create(dir.join("chromedriver.log")).unwrap();
        let mut cmd = Command::new(CHROMEDRIVER);
        cmd.arg(format!("--port={port}")).stdin(Stdio::null()).stdout(log.try_clone().unwrap()).stderr(log);
        // Its own process group, so that dropping the driver can end the browser with it.
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let child = cmd.spawn().unwrap_or_else(|e| panic!("could not start {CHROMEDRIVER}: {e}"));
        Driver { child, port, dir }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("chromedriver.log")).unwrap_or_default()
    }

    /// Waits for chromedriver to listen, then opens a headless Chromium session.
    async fn connect(&mut self) -> Client {
        let url = format!("http://127.0.0.1:{}", self.port);
        let deadline = Instant::now() + WAIT;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("chromedriver exited at start ({status}):\n{}", self.log());
            }
            if tokio::net::TcpStream::connect(("127.0.0.1", self.port)).await.is_ok() {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not listen on port {} within {WAIT:?}:\n{}",
                self.port,
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let profile = self.dir.join("profile");
        let caps = serde_json::json!({
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--no-first-run",
                    "--disable-dev-shm-usage",
                    "--disable-quic",
                    "--disable-component-update",
                    "--disable-sync",
                    "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.display()),
                ],
                // Headless Chromium sends Accept-Language: en-US whatever --lang says, and the
                // server follows it; a Vietnamese browser shows what the city's staff see.
                "prefs": { "intl.accept_languages": "vi-VN,vi" },
            }
        });
        let serde_json::Value::Object(caps) = caps else { unreachable!() };
        let connecting = async {
            ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(caps)
                .connect(&url)
                .await
        };
        match tokio::time::timeout(Duration::from_secs(60), connecting).await {
            Ok(Ok(client)) => client,
            Ok(Err(e)) => panic!("could not open a Chromium session through chromedriver: {e}\n{}", self.log()),
            Err(_) => panic!("Chromium did not start within 60 s:\n{}", self.log()),
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let pgid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-KILL", "--", &format!("-{pgid}")]).stderr(Stdio::null()).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Runs a scenario against a fresh demo server in a fresh browser, and always closes the
/// browser session, also when the scenario fails.
pub(crate) async fn in_browser<F, Fut>(scenario: F)
where
    F: FnOnce(Client, String) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let _one = ONE_BROWSER.acquire().await.unwrap();
    let server = TestServer::start().await;
    run_in_browser(server, scenario).await;
}

/// As [`in_browser`], on a server the test has already started (and prepared through its
/// store, which it may keep a clone of).
pub(crate) async fn in_browser_on<F, Fut>(server: TestServer, scenario: F)
where
    F: FnOnce(Client, String) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let _one = ONE_BROWSER.acquire().await.unwrap();
    run_in_browser(server, scenario).await;
}

async fn run_in_browser<F, Fut>(server: TestServer, scenario: F)
where
    F: FnOnce(Client, String) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let mut driver = Driver::start();
    let client = driver.connect().await;
    let outcome = tokio::spawn(scenario(client.clone(), server.base.clone())).await;
    let _ = tokio::time::timeout(WAIT, client.close()).await;
    drop(driver);
    if let Err(e) = outcome {
        match e.try_into_panic() {
            Ok(p) => std::panic::resume_unwind(p),
            Err(e) => panic!("browser scenario did not finish: {e}"),
        }
    }
}

pub(crate) fn css(s: &str) -> Locator<'_> {
    Locator::Css(s)
}

pub(crate) async fn find(c: &Client, selector: &str) -> fantoccini::elements::Element {
    match c.wait().at_most(WAIT).for_element(css(selector)).await {
        Ok(el) => el,
        Err(e) => panic!("no `{selector}` on {} within {WAIT:?}: {e}", here(c).await),
    }
}

/// Waits until the element's text contains `needle` (the page may still be the previous one
/// right after a click); returns the text.
pub(crate) async fn wait_text(c: &Client, selector: &str, needle: &str) -> String {
    let deadline = Instant::now() + WAIT;
    let mut last = String::new();
    loop {
        if let Ok(el) = c.find(css(selector)).await {
            if let Ok(t) = el.text().await {
                if t.contains(needle) {
                    return t;
                }
                last = t;
            }
        }
        if Instant::now() > deadline {
            let url = c.current_url().await.map(|u| u.to_string()).unwrap_or_default();
            panic!("`{selector}` on {url} did not come to contain {needle:?} within {WAIT:?}; last text: {last:?}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn html_lang(c: &Client) -> String {
    c.find(css("html")).await.unwrap().attr("lang").await.unwrap().unwrap_or_default()
}

async fn path(c: &Client) -> String {
    c.current_url().await.unwrap().path().to_string()
}

/// The page's address, for failure messages.
pub(crate) async fn here(c: &Client) -> String {
    c.current_url().await.map(|u| u.to_string()).unwrap_or_default()
}

/// Unwraps a WebDriver result, naming the page and what was being done.
pub(crate) async fn must<T>(c: &Client, r: Result<T, fantoccini::error::CmdError>, doing: &str) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("{doing} on {} failed: {e}", here(c).await),
    }
}

/// Replaces the text of a field.
pub(crate) async fn fill(c: &Client, selector: &str, value: &str) {
    let el = find(c, selector).await;
    must(c, el.clear().await, &format!("clearing `{selector}`")).await;
    must(c, el.send_keys(value).await, &format!("typing into `{selector}`")).await;
}

/// Clicks something that stays on the page (a checkbox, a summary).
pub(crate) async fn click(c: &Client, selector: &str) {
    let r = find(c, selector).await.click().await;
    must(c, r, &format!("clicking `{selector}`")).await;
}

/// Clicks a link or a submit button and waits until the browser has replaced the page (also
/// when the new page has the same address, as after a form that redirects back to itself).
pub(crate) async fn click_and_load(c: &Client, selector: &str) {
    let from = here(c).await;
    let old = find(c, "html").await;
    click(c, selector).await;
    let deadline = Instant::now() + WAIT;
    // The old document's root goes stale once the next document is in.
    while old.tag_name().await.is_ok() {
        assert!(Instant::now() < deadline, "clicking `{selector}` on {from} did not load another page within {WAIT:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    find(c, "body").await;
}

/// Ticks a checkbox (left ticked if it already is).
pub(crate) async fn tick(c: &Client, selector: &str) {
    let el = find(c, selector).await;
    if !el.is_selected().await.unwrap() {
        must(c, el.click().await, &format!("ticking `{selector}`")).await;
    }
    assert!(el.is_selected().await.unwrap(), "`{selector}` on {} did not get ticked", here(c).await);
}

/// Chooses the option with this value in a select.
pub(crate) async fn choose(c: &Client, selector: &str, value: &str) {
    let r = find(c, selector).await.select_by_value(value).await;
    must(c, r, &format!("choosing {value:?} in `{selector}`")).await;
}

/// Waits until the element's whole text (trimmed) is `want`.
pub(crate) async fn wait_text_is(c: &Client, selector: &str, want: &str) {
    let deadline = Instant::now() + WAIT;
    let mut last = None;
    loop {
        if let Ok(el) = c.find(css(selector)).await {
            if let Ok(t) = el.text().await {
                if t.trim() == want {
                    return;
                }
                last = Some(t);
            }
        }
        if Instant::now() > deadline {
            panic!(
                "`{selector}` on {} did not come to read {want:?} within {WAIT:?}; last text: {last:?}",
                here(c).await
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the address's path matches `pattern` (`*` stands for a number), and returns the
/// numbers in it.
pub(crate) async fn wait_path(c: &Client, pattern: &str) -> Vec<i64> {
    let matches = |path: &str| -> Option<Vec<i64>> {
        let (want, got): (Vec<&str>, Vec<&str>) = (pattern.split('/').collect(), path.split('/').collect());
        if want.len() != got.len() {
            return None;
        }
        let mut ids = Vec::new();
        for (w, g) in want.iter().zip(&got) {
            if *w == "*" {
                ids.push(g.parse().ok()?);
            } else if w != g {
                return None;
            }
        }
        Some(ids)
    };
    let deadline = Instant::now() + WAIT;
    loop {
        let now = path(c).await;
        if let Some(ids) = matches(&now) {
            return ids;
        }
        assert!(
            Instant::now() < deadline,
            "expected to be on {pattern} within {WAIT:?}, but the browser is on {}",
            here(c).await
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Fills and submits the login form that is on screen.
async fn submit_login(c: &Client, username: &str, password: &str) {
    fill(c, "form[action='/login'] input[name=username]", username).await;
    fill(c, "form[action='/login'] input[name=password]", password).await;
    click_and_load(c, "form[action='/login'] button[type=submit]").await;
}

async fn login(c: &Client, base: &str, username: &str, password: &str) {
    c.goto(&format!("{base}/login")).await.unwrap();
    submit_login(c, username, password).await;
}

/// Signs in with the demo password and waits for the home page's (Vietnamese) greeting.
pub(crate) async fn login_ok(c: &Client, base: &str, username: &str) {
    login(c, base, username, DEMO_PASSWORD).await;
    if let Ok(e) = c.find(css("#login-error")).await {
        panic!("{username} could not sign in: {:?}", e.text().await.unwrap_or_default());
    }
    wait_text(c, "#welcome", "Xin chào").await;
    assert_eq!(path(c).await, "/", "{username} signed in but is not on the home page");
}

/// Signs out with the header's button and waits for the login form.
pub(crate) async fn logout(c: &Client) {
    click_and_load(c, "header form[action='/logout'] button").await;
    find(c, "form[action='/login'] input[name=username]").await;
    assert_eq!(path(c).await, "/login");
}

/// Best effort: a picture of the page for people (target/NAME at the workspace root).
/// Clicks a button whose form asks for confirmation, checks the dialog names the consequence
/// (`consequence` is part of its text), confirms and waits for the next page.
pub(crate) async fn click_confirm_and_load(c: &Client, selector: &str, consequence: &str) {
    click(c, selector).await;
    wait_text(c, "#confirm-message", consequence).await;
    click_and_load(c, "#confirm-yes").await;
}

pub(crate) async fn screenshot(c: &Client, name: &str) {
    let Ok(png) = c.screenshot().await else { return };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target");
    let _ = std::fs::create_dir_all(&dir);
    let _ = std::fs::write(dir.join(name), png);
    println!("screenshot: target/{name}");
}

#[tokio::test]
async fn signs_in_browses_units_and_searches_without_accents() {
    in_browser(|c, base| async move {
        login(&c, &base, USER, DEMO_PASSWORD).await;
        let welcome = wait_text(&c, "#welcome", "Xin chào").await;
        assert!(welcome.len() > "Xin chào, ".len(), "the greeting names the user: {welcome:?}");
        assert_eq!(path(&c).await, "/");
        assert_eq!(html_lang(&c).await, "vi");
        // The stylesheet loads under the CSP (no inline styles) and applies.
        let rules = c
            .execute("return Array.from(document.styleSheets).reduce((n, s) => n + s.cssRules.length, 0);", vec![])
            .await
            .unwrap();
        assert!(rules.as_u64().unwrap_or(0) > 0, "app.css did not load: {rules}");
        screenshot(&c, "browser-home.png").await;

        let units_link = find(&c, "nav.main a[href='/units']").await;
        assert_eq!(units_link.text().await.unwrap().trim(), "Đơn vị");
        units_link.click().await.unwrap();
        wait_text(&c, "#unit-tree", "Sở Khoa học và Công nghệ").await;
        assert_eq!(path(&c).await, "/units");
        let all = c.find_all(css("#unit-tree .row")).await.unwrap().len();

        let q = find(&c, "form[action='/units'][method=get] input[name=q]").await;
        q.send_keys("khoa hoc").await.unwrap();
        find(&c, "form[action='/units'][method=get] button[type=submit]").await.click().await.unwrap();
        let deadline = Instant::now() + WAIT;
        while !c.current_url().await.unwrap().query().unwrap_or("").contains("q=") {
            assert!(Instant::now() < deadline, "the search did not load a result page");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let found = wait_text(&c, "#unit-tree", "Sở Khoa học và Công nghệ").await;
        let shown = c.find_all(css("#unit-tree .row")).await.unwrap().len();
        assert!(shown >= 1 && shown < all, "the search narrows the list ({shown} of {all} units shown):\n{found}");
        let kept = find(&c, "form[action='/units'][method=get] input[name=q]").await.prop("value").await.unwrap();
        assert_eq!(kept.as_deref(), Some("khoa hoc"));
    })
    .await;
}

#[tokio::test]
async fn wrong_password_shows_the_error_and_stays_on_login() {
    in_browser(|c, base| async move {
        login(&c, &base, USER, "not-the-password").await;
        let error = wait_text(&c, "#login-error", "không đúng").await;
        assert!(error.contains("mật khẩu"), "{error}");
        assert_eq!(path(&c).await, "/login");
        assert_eq!(html_lang(&c).await, "vi");
        assert!(c.find(css("#welcome")).await.is_err(), "no one is signed in");
        // The form is still there, ready for another try.
        find(&c, "form[action='/login'] input[name=password]").await;
    })
    .await;
}

#[tokio::test]
async fn language_switch_is_remembered_on_the_account() {
    in_browser(|c, base| async move {
        login(&c, &base, USER, DEMO_PASSWORD).await;
        wait_text(&c, "#welcome", "Xin chào").await;

        let switch = find(&c, "header form[action='/lang'] button").await;
        assert_eq!(switch.text().await.unwrap().trim(), "English");
        switch.click().await.unwrap();
        wait_text(&c, "#welcome", "Welcome").await;
        assert_eq!(html_lang(&c).await, "en");
        wait_text(&c, "nav.main", "Units").await;

        // Sign out and in again in the same browser.
        logout(&c).await;
        submit_login(&c, USER, DEMO_PASSWORD).await;
        wait_text(&c, "#welcome", "Welcome").await;

        // And from a browser that remembers nothing (no cookies, Vietnamese Accept-Language):
        // the choice is kept on the account.
        logout(&c).await;
        c.delete_all_cookies().await.unwrap();
        login(&c, &base, USER, DEMO_PASSWORD).await;
        wait_text(&c, "#welcome", "Welcome").await;
        assert_eq!(html_lang(&c).await, "en");
    })
    .await;
}

/// Reads a table as rows of cell texts (header cells included), trimmed.
pub(crate) async fn table(c: &Client, selector: &str) -> Vec<Vec<String>> {
    find(c, selector).await;
    let mut rows = Vec::new();
    for tr in c.find_all(css(&format!("{selector} tr"))).await.unwrap() {
        let mut cells = Vec::new();
        for cell in tr.find_all(css("th, td")).await.unwrap() {
            cells.push(cell.text().await.unwrap().trim().to_string());
        }
        rows.push(cells);
    }
    rows
}
