//! The `khien` binary: serve, verify the audit trail, benchmark.

use anyhow::{anyhow, Result};
use clap::{Parser, Subcommand};
use khien::config::{self, DbArgs, ServeArgs};
use khien::{bench, bootstrap};
use khien_server::{AppState, ServerConfig};
use khien_store::Store;

/// mimalloc for Rust's allocations (SQLite keeps its own): a list request builds a value per
/// column of every row it reads, and glibc's allocator was a fifth of such a request's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "khien",
    version,
    about = "Khiên — quản lý nghiệp vụ an ninh mạng / cybersecurity operations management"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start the web UI and API (migrations run first; an empty database gets a root unit and `admin`).
    Serve(Box<ServeArgs>),
    /// Audit-trail tools.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// User administration from the server's console.
    Users {
        #[command(subcommand)]
        command: UsersCommand,
    },
    /// Print the OpenAPI document.
    Openapi,
    /// Load a city (units, users, systems with dossiers, incidents, findings, assessments) into a
    /// scratch database and time the API lists, the pages and the home pages, imports and exports.
    Bench(bench::BenchArgs),
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Walk the hash chain and name the first broken record.
    Verify(DbArgs),
}

#[derive(Subcommand)]
enum UsersCommand {
    /// Set a user's password (read from standard input), unlock the account and end its
    /// sessions: the way back in when the admin password is lost.
    SetPassword {
        username: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

/// 13 systems for each of the demo city's 152 units: about 2,000 systems in every state.
const DEMO_SYSTEMS_PER_UNIT: usize = 13;

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("KHIEN_LOG").unwrap_or_else(|_| "info".into()))
        .init();
    let code = match run(Cli::parse()).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("khien: {e:#}");
            2
        }
    };
    std::process::exit(code);
}

async fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Serve(a) => serve(*a).await.map(|_| 0),
        Command::Audit { command: AuditCommand::Verify(db) } => verify(db).await,
        Command::Users { command: UsersCommand::SetPassword { username, db } } => {
            let (_, url, _) = config::resolve_db(&db)?;
            let store = open(&url).await?;
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)?;
            store
                .maintenance()
                .set_password_from_console(&username, line.trim_end_matches(['\r', '\n']))
                .await
                .map_err(|e| anyhow!("{e}"))?;
            println!("password of {username} set; its sessions and API tokens are revoked");
            Ok(0)
        }
        Command::Openapi => {
            println!("{}", serde_json::to_string_pretty(&khien_server::openapi_document())?);
            Ok(0)
        }
        Command::Bench(a) => bench::run(a).await.map(|_| 0),
    }
}

async fn open(url: &str) -> Result<Store> {
    Store::open(url).await.map_err(|e| anyhow!("{e}"))
}

async fn serve(a: ServeArgs) -> Result<()> {
    let s = config::resolve_serve(&a)?;
    let store = open(&s.database_url).await?;
    let boot = bootstrap::ensure_root_and_admin(&store, s.demo, std::env::var("KHIEN_ADMIN_PASSWORD").ok()).await?;
    let demo = if s.demo && boot.created {
        let started = std::time::Instant::now();
        bootstrap::load_demo(&store, DEMO_SYSTEMS_PER_UNIT).await?;
        println!("Đã nạp dữ liệu mẫu / demo city loaded in {:.1}s", started.elapsed().as_secs_f64());
        true
    } else if s.demo {
        let present = bootstrap::demo_present(&store).await?;
        if !present {
            println!("Bỏ qua --demo: cơ sở dữ liệu đã có dữ liệu thật / --demo ignored: the database already holds real data");
        }
        present
    } else {
        false
    };
    let listener =
        tokio::net::TcpListener::bind(&s.listen).await.map_err(|e| anyhow!("cannot listen on {}: {e}", s.listen))?;
    let addr = listener.local_addr()?;
    println!("Khiên đang chạy tại / is running at http://{addr}/");
    println!("Cơ sở dữ liệu / database: {}", redact(&s.database_url));
    if let Some(p) = &boot.generated_password {
        println!("Tài khoản quản trị / admin login: admin / {p}   (chỉ in một lần / printed once)");
    } else if boot.created {
        println!("Tài khoản quản trị / admin login: admin / (mật khẩu từ / password from KHIEN_ADMIN_PASSWORD)");
    }
    if demo {
        println!("Dữ liệu mẫu / demo logins (mật khẩu / password: {}):", khien_demo::DEMO_PASSWORD);
        for (user, role, unit) in bootstrap::demo_logins() {
            println!("  {user:<16} {role:<18} {unit}");
        }
    }
    if s.reminder_interval_secs > 0 {
        let smtp = s.smtp.clone();
        if let Some(m) = &smtp {
            println!("Nhắc hạn qua thư / reminder e-mails via {}:{} ({:?})", m.host, m.port, m.tls);
        }
        tokio::spawn(khien::reminders::run(
            store.clone(),
            smtp,
            std::time::Duration::from_secs(s.reminder_interval_secs),
        ));
    }
    if s.taxii_push_interval_secs > 0 {
        tokio::spawn(khien::reminders::every(
            std::time::Duration::from_secs(s.taxii_push_interval_secs),
            store.clone(),
            |store| async move {
                match khien_server::services::taxii_push::push_all(&store).await {
                    Ok(_) => {}
                    Err(e) => tracing::warn!("TAXII push failed: {e}"),
                }
            },
        ));
    }
    let state = AppState::new(
        store.clone(),
        ServerConfig {
            secure_cookies: s.secure_cookies,
            place_name: s.place_name.clone(),
            receiving_authority: s.receiving_authority.clone(),
            ..ServerConfig::default()
        },
    );
    if let Some(url) = &s.nats_url {
        println!("Nhận dữ liệu giám sát qua NATS / SOC telemetry from NATS: {url}");
        tokio::spawn(khien_server::services::nats_ingest::run(state.clone(), url.clone()));
    }
    // Raw telemetry past its retention goes hourly, in small deletes that never hold writers.
    tokio::spawn(khien::reminders::every(std::time::Duration::from_secs(3600), store.clone(), |store| async move {
        match store.maintenance().purge_telemetry().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(chunks = n, "raw telemetry past its retention purged"),
            Err(e) => tracing::warn!("telemetry purge failed: {e}"),
        }
    }));
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    khien_server::serve(listener, state, shutdown).await?;
    store.close().await;
    Ok(())
}

/// Hides a password in a postgres:// URL before printing it.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

async fn verify(db: DbArgs) -> Result<i32> {
    let (_, url, _) = config::resolve_db(&db)?;
    let store = open(&url).await?;
    match store.maintenance().verify_audit_chain().await.map_err(|e| anyhow!("{e}"))? {
        Ok(n) => {
            println!("audit chain OK: {n} records verified");
            Ok(0)
        }
        Err(b) => {
            println!("audit chain BROKEN at record {}: {b}", b.id());
            Ok(1)
        }
    }
}
