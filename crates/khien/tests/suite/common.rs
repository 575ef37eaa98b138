//! Test harness: scratch databases on both stores and a real server on a free port.

use khien_domain::{Clock, FixedTime};
use khien_store::Store;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::OnceCell;

pub const ADMIN_PASSWORD: &str = "Admin@Test2026";
pub const DEMO_PASSWORD: &str = khien_demo::DEMO_PASSWORD;
/// Login names of demo people that no page but an account's should show.
pub const DEMO_LOGINS: [&str; 8] = [
    "pa05.truong",
    "pa05.canbo",
    "lanhdao",
    "sokhcn.quanly",
    "sokhcn.canbo",
    "hongbang.quanly",
    "hongbang.canbo",
    "danhgia",
];

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn unique(prefix: &str) -> String {
    format!("{prefix}_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst))
}

/// A scratch database; the SQLite folder is removed on drop.
pub struct TestDb {
    pub store: Store,
    pub url: String,
    dir: Option<PathBuf>,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(d) = &self.dir {
            let _ = std::fs::remove_dir_all(d);
        }
    }
}

pub async fn sqlite() -> TestDb {
    sqlite_with(Clock::System).await
}

/// Where the suite's fixed clocks start: Monday 2 November 2026, 09:00 in Hanoi (02:00 UTC),
/// under NĐ 331/2026 (in force from 19 August 2026).
pub const FIXED_START_MS: i64 = 1_793_584_800_000;

/// A time standing at `FIXED_START_MS`, for a store that a test moves through time.
pub fn fixed_time() -> FixedTime {
    FixedTime::at(FIXED_START_MS)
}

pub async fn sqlite_with(clock: Clock) -> TestDb {
    let dir = std::env::temp_dir().join(unique("khien_test"));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("khien.db").display());
    let store = Store::open_with_clock(&url, clock).await.unwrap();
    TestDb { store, url, dir: Some(dir) }
}

/// The PostgreSQL server the suite uses. CI starts it; it is never skipped.
pub fn pg_admin_url() -> String {
    std::env::var("KHIEN_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

static PG_CLEANED: OnceCell<()> = OnceCell::const_new();

/// A fresh PostgreSQL database for one test. Databases left by earlier runs are dropped once
/// per run — not by force, so that a run going on at the same time keeps the ones it uses.
pub async fn postgres() -> TestDb {
    postgres_with(Clock::System).await
}

pub async fn postgres_with(clock: Clock) -> TestDb {
    use sqlx::{Connection, Executor, Row};
    let admin_url = pg_admin_url();
    let mut conn = sqlx::PgConnection::connect(&admin_url).await.unwrap_or_else(|e| {
        panic!("PostgreSQL is required for the store tests and was not reachable at {admin_url}: {e}. Run .ci/run (it starts PostgreSQL) or set KHIEN_TEST_POSTGRES_URL.")
    });
    PG_CLEANED
        .get_or_init(|| async {
            let mut c = sqlx::PgConnection::connect(&admin_url).await.unwrap();
            let rows = c.fetch_all("SELECT datname FROM pg_database WHERE datname LIKE 'khien_t\\_%'").await.unwrap();
            for r in rows {
                let name: String = r.get(0);
                let _ = c.execute(format!("DROP DATABASE IF EXISTS \"{name}\"").as_str()).await;
            }
        })
        .await;
    let name = unique("khien_t");
    conn.execute(format!("CREATE DATABASE \"{name}\"").as_str()).await.unwrap();
    let (base, _) = admin_url.rsplit_once('/').unwrap();
    let url = format!("{base}/{name}");
    let store = Store::open_with_clock(&url, clock).await.unwrap();
    TestDb { store, url, dir: None }
}

/// Root unit + admin on an empty store (as `khien serve` does on first start).
pub async fn bootstrap(db: &TestDb, demo: bool) {
    khien::bootstrap::ensure_root_and_admin(&db.store, demo, Some(ADMIN_PASSWORD.into())).await.unwrap();
    if demo {
        khien::bootstrap::load_demo(&db.store, 0).await.unwrap();
    }
}

/// A real Khiên server on 127.0.0.1 with a free port, with the demo city: on SQLite (`start`) or
/// on any scratch database (`start_on(postgres().await)`).
pub struct TestServer {
    pub base: String,
    pub db: TestDb,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

impl TestServer {
    pub async fn start() -> TestServer {
        Self::start_on(sqlite().await).await
    }

    pub async fn start_on(db: TestDb) -> TestServer {
        Self::start_with(db, khien_server::ServerConfig::default()).await
    }

    pub async fn start_with(db: TestDb, config: khien_server::ServerConfig) -> TestServer {
        bootstrap(&db, true).await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = khien_server::AppState::new(db.store.clone(), config);
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(khien_server::serve(listener, state, async move {
            let _ = rx.await;
        }));
        TestServer { base, db, shutdown: Some(tx) }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Signs in through the login form like a browser (`sign_in`).
    pub async fn login(&self, username: &str, password: &str) -> Session {
        sign_in(&self.base, username, password).await
    }
}

/// Signs in at the server at `base` through the login form like a browser; returns a client
/// holding the session cookie and the session's CSRF token.
pub async fn sign_in(base: &str, username: &str, password: &str) -> Session {
    let url = |path: &str| format!("{base}{path}");
    let client =
        reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let page = client.get(url("/login")).send().await.unwrap().text().await.unwrap();
    let csrf = field_value(&page, "_csrf").expect("login form has a CSRF field");
    let r = client
        .post(url("/login"))
        .form(&[("_csrf", csrf.as_str()), ("username", username), ("password", password), ("next", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "login of {username} failed: {}", r.text().await.unwrap_or_default());
    let home = client.get(url("/")).send().await.unwrap().text().await.unwrap();
    let csrf = field_value(&home, "_csrf").expect("home page has a CSRF field");
    Session { client, csrf, base: base.to_string() }
}

/// The value of the first `<input name="NAME" value="...">` in a page.
pub fn field_value(html: &str, name: &str) -> Option<String> {
    let key = format!("name=\"{name}\" value=\"");
    let start = html.find(&key)? + key.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_string())
}

pub struct Session {
    pub client: reqwest::Client,
    pub csrf: String,
    pub base: String,
}

impl Session {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn get_json(&self, path: &str) -> serde_json::Value {
        let r = self.get(path).await;
        assert_eq!(r.status(), 200, "GET {path}");
        r.json().await.unwrap()
    }

    /// A JSON API call with the CSRF header, as the UI's own scripts would send it.
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> reqwest::Response {
        let mut rb = self.client.request(method, self.url(path)).header("x-csrf-token", &self.csrf);
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        rb.send().await.unwrap()
    }

    pub async fn form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let mut all = vec![("_csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        self.client.post(self.url(path)).form(&all).send().await.unwrap()
    }
}

/// The id of the demo unit with this code.
pub async fn unit_id(db: &TestDb, code: &str) -> i64 {
    let admin = admin_actor(db).await;
    db.store.get_unit_by_code(&admin, code).await.unwrap().id
}

pub async fn admin_actor(db: &TestDb) -> khien_domain::scope::Actor {
    let id = db.store.maintenance().user_id_by_username("admin").await.unwrap().unwrap();
    db.store.actor_for_user(id).await.unwrap()
}

pub async fn actor(db: &TestDb, username: &str) -> khien_domain::scope::Actor {
    let id = db.store.maintenance().user_id_by_username(username).await.unwrap().unwrap();
    db.store.actor_for_user(id).await.unwrap()
}

/// Attaches a short PDF to each of a dossier's `parts` (a part is complete only with a file).
pub async fn attach_parts(db: &TestDb, who: &khien_domain::scope::Actor, dossier_id: i64, parts: &[&str]) {
    for part in parts {
        let file = format!("%PDF-1.4\n% {part}\n%%EOF\n");
        db.store.add_attachment(who, dossier_id, part, &format!("{part}.pdf"), file.as_bytes()).await.unwrap();
    }
}

/// A PDF's text as poppler's pdftotext gives it back; `layout` keeps the page's columns on
/// their lines (pdftotext -layout).
pub fn pdf_text(pdf: &[u8], layout: bool) -> String {
    let mut cmd = std::process::Command::new("pdftotext");
    if layout {
        cmd.arg("-layout");
    }
    let mut child = cmd
        .args(["-", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("pdftotext (poppler-utils) must be installed: run scripts/install-test-deps.sh");
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), pdf).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "pdftotext refused the file");
    String::from_utf8(out.stdout).unwrap()
}

/// The body XML (word/document.xml) of a DOCX file.
pub fn docx_text(docx: &[u8]) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx.to_vec())).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    xml
}

/// A one-paragraph administrative document (a template without fields).
pub fn sample_document() -> khien_formats::docx::AdminDocument {
    khien_formats::docx::AdminDocument {
        parent_body: "Ủy ban nhân dân thành phố".into(),
        issuing_body: "Sở Y tế".into(),
        number: None,
        place: "Hải Phòng".into(),
        date: chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
        doc_type: "Thuyết minh".into(),
        title: "Hồ sơ đề xuất cấp độ".into(),
        addressees: Vec::new(),
        blocks: vec![khien_formats::docx::Block::Paragraph("Nội dung.".into())],
        recipients: vec!["Lưu: VT.".into()],
        signer_position: "GIÁM ĐỐC".into(),
        signer_name: "Nguyễn Văn A".into(),
    }
}
