//! `khien bench`: loads a city of the size the foundation issue names (1,000 units, 10,000
//! users) into a scratch database and times list/filter calls through the full HTTP stack
//! (router, middleware, session lookup, store, JSON), in process. Prints p50/p95/p99/max.

pub mod compliance;
pub mod incidents;
pub mod indicators;
pub mod paperwork;
pub mod plans;
pub mod telemetry;

use anyhow::{anyhow, Result};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use clap::Args;
use khien_domain::role::Role;
use khien_domain::unit::UnitType;
use khien_server::{AppState, ServerConfig};
use khien_store::{hash_password, ImportUnit, NewUser, Store};
use std::time::Instant;
use tower::ServiceExt;

#[derive(Debug, Args)]
pub struct BenchArgs {
    #[arg(long, default_value_t = 1000)]
    units: usize,
    #[arg(long, default_value_t = 10_000)]
    users: usize,
    /// Requests per scenario.
    #[arg(long, default_value_t = 300)]
    pub(crate) iterations: usize,
    /// Information systems per unit (with dossiers in every state), for the registry scenarios.
    #[arg(long, default_value_t = 10)]
    systems_per_unit: usize,
    /// Incidents to load for the incident scenarios (0: skip them).
    #[arg(long, default_value_t = 10_000)]
    pub(crate) incidents: usize,
    /// Observables per incident.
    #[arg(long, default_value_t = 20)]
    pub(crate) observables_per_incident: usize,
    /// Findings in the Nessus report of the compliance scenarios (0: skip them).
    #[arg(long, default_value_t = 100_000)]
    pub(crate) findings: usize,
    /// Systems the findings are spread over, one report each (the first imported again), so
    /// the CVE filter can be timed over a million findings without a 600 MB file.
    #[arg(long, default_value_t = 1)]
    pub(crate) scan_systems: usize,
    /// Assessments of 200 requirements each for the compliance scenarios.
    #[arg(long, default_value_t = 1_000)]
    pub(crate) assessments: usize,
    /// Load 5 plans of 60 tasks on 200 units reporting monthly for 3 years, and time their pages.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set)]
    pub(crate) plans: bool,
    /// Telemetry events for the ingest scenario (issue 18; 0: skip it).
    #[arg(long, default_value_t = 2_000_000)]
    pub(crate) telemetry_events: usize,
    /// Run only the telemetry scenarios (after loading units, users and systems).
    #[arg(long, default_value_t = false)]
    pub(crate) telemetry_only: bool,
    /// Days the telemetry events' times are spread over, hour after hour, so that alerts fold
    /// as they would over that time (1: every event in the same hour).
    #[arg(long, default_value_t = 1)]
    pub(crate) telemetry_days: u32,
    /// Send the telemetry through this NATS JetStream server (its stream emptied first) and
    /// Khiên's consumer, acknowledged after commit, instead of straight into the store.
    #[arg(long)]
    pub(crate) nats_url: Option<String>,
    /// Database to load; default a fresh SQLite file in a temporary folder.
    #[arg(long)]
    database_url: Option<String>,
}

const WORDS: [&str; 16] = [
    "Hồng Bàng",
    "Lê Chân",
    "Ngô Quyền",
    "Đông Hải",
    "An Dương",
    "Kiến An",
    "Đồ Sơn",
    "Dương Kinh",
    "Thủy Nguyên",
    "Vĩnh Bảo",
    "Tiên Lãng",
    "An Lão",
    "Cát Bà",
    "Đằng Giang",
    "Máy Tơ",
    "Lạch Tray",
];
const SURNAMES: [&str; 8] = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đặng", "Bùi", "Đỗ"];
const GIVEN: [&str; 8] =
    ["Văn An", "Thị Bình", "Đức Cường", "Minh Dũng", "Thanh Hà", "Ngọc Lan", "Quốc Huy", "Hữu Đạt"];

async fn load(store: &Store, units: usize, users: usize) -> Result<(i64, String)> {
    let root = store
        .maintenance()
        .create_root_unit("TP", "Thành phố Bench", UnitType::City)
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let hash = hash_password("Bench@2026x").await.map_err(|e| anyhow!("{e}"))?;
    let admin = NewUser {
        username: "admin".into(),
        full_name: "Quản trị".into(),
        email: None,
        unit_id: root.id,
        password: String::new(),
    };
    let admin = store.maintenance().create_user_hashed(None, &admin, &hash).await.map_err(|e| anyhow!("{e}"))?;
    store.maintenance().grant_role(admin.id, Role::Administrator, root.id, true).await.map_err(|e| anyhow!("{e}"))?;
    let actor = store.actor_for_user(admin.id).await.map_err(|e| anyhow!("{e}"))?;
    // 40 departments under the root, the rest wards/communes under the departments' level.
    let rows: Vec<ImportUnit> = (0..units.saturating_sub(1))
        .map(|i| {
            let dept = i < 40;
            ImportUnit {
                code: format!("U{i:05}"),
                name: if dept {
                    format!("Sở số {i}")
                } else {
                    format!("Phường {} {i}", crate::round(&WORDS, i))
                },
                unit_type: if dept { "department".into() } else { "ward".into() },
                parent_code: if dept { None } else { Some(format!("U{:05}", i % 40)) },
                head_name: None,
                focal_name: None,
                focal_phone: None,
                focal_email: None,
            }
        })
        .collect();
    store.import_units(&actor, root.id, &rows).await.map_err(|e| anyhow!("{e}"))?;
    let all = store.unit_tree(&actor).await.map_err(|e| anyhow!("{e}"))?;
    for i in 0..users {
        let unit = crate::nth_round(&all, i).ok_or_else(|| anyhow!("no units"))?;
        let n = NewUser {
            username: format!("user{i:05}"),
            full_name: format!("{} {} {i}", crate::round(&SURNAMES, i), crate::round(&GIVEN, i / 8)),
            email: None,
            unit_id: unit.id,
            password: String::new(),
        };
        store.maintenance().create_user_hashed(Some(&actor), &n, &hash).await.map_err(|e| anyhow!("{e}"))?;
    }
    // A manager of one department, to time a scoped caller.
    let dept = all.iter().find(|u| u.code == "U00007").ok_or_else(|| anyhow!("no dept"))?;
    let n = NewUser {
        username: "manager".into(),
        full_name: "Lãnh đạo Sở".into(),
        email: None,
        unit_id: dept.id,
        password: String::new(),
    };
    let m = store.maintenance().create_user_hashed(Some(&actor), &n, &hash).await.map_err(|e| anyhow!("{e}"))?;
    store.grant_role(&actor, m.id, Role::UnitManager, dept.id, true).await.map_err(|e| anyhow!("{e}"))?;
    // An officer of the authority over the whole city, to time its home page (its work list).
    let n = NewUser {
        username: "authority".into(),
        full_name: "Cán bộ cơ quan thường trực".into(),
        email: None,
        unit_id: root.id,
        password: String::new(),
    };
    let o = store.maintenance().create_user_hashed(Some(&actor), &n, &hash).await.map_err(|e| anyhow!("{e}"))?;
    store.grant_role(&actor, o.id, Role::AuthorityOfficer, root.id, true).await.map_err(|e| anyhow!("{e}"))?;
    Ok((dept.id, "Bench@2026x".into()))
}

/// Times the import of a 10,000-row XLSX through the API (parse + validation + one
/// transaction with its audit records), three times with new codes each time.
async fn import_benchmark(app: &axum::Router, session: &str, csrf: &str, units: &[khien_store::Unit]) -> Result<()> {
    use khien_formats::Cell;
    let headers = [
        "Mã hệ thống",
        "Tên hệ thống",
        "Mã đơn vị chủ quản",
        "Loại hệ thống",
        "Thủ tục hành chính",
        "Số chủ thể dữ liệu cơ bản",
        "Dải IP",
    ];
    let below_root = units.get(1..).filter(|u| !u.is_empty()).ok_or_else(|| anyhow!("no unit below the root"))?;
    for round in 0..3 {
        let rows: Vec<Vec<Cell>> = (0..10_000usize)
            .zip(below_root.iter().cycle())
            .map(|(i, unit)| {
                vec![
                    format!("IMP{round}-{i:05}").into(),
                    format!("Hệ thống nhập {i} – {}", unit.name).into(),
                    unit.code.clone().into(),
                    (if i % 2 == 0 { "Nội bộ" } else { "Dịch vụ công" }).into(),
                    (if i % 3 == 0 { "x" } else { "" }).into(),
                    Cell::from(i64::try_from(i * 7).unwrap_or(0)),
                    format!("10.{}.{}.{}/32", 200 + round, i / 256, i % 256).into(),
                ]
            })
            .collect();
        let bytes = khien_formats::write_table_xlsx("Hệ thống", &headers, &rows).map_err(|e| anyhow!("{e}"))?;
        let req = Request::post(format!("/api/v1/systems/import?file_name=he-thong-{round}.xlsx"))
            .header("cookie", format!("khien_session={session}"))
            .header("x-csrf-token", csrf)
            .body(Body::from(bytes.clone()))?;
        let start = Instant::now();
        let resp = app.clone().oneshot(req).await?;
        let status = resp.status();
        let body = axum::body::to_bytes(resp.into_body(), usize::MAX).await?;
        if status != StatusCode::OK {
            return Err(anyhow!("import answered {status}: {}", String::from_utf8_lossy(&body)));
        }
        println!(
            "import of a 10,000-row XLSX ({} KiB) through the API: {:.2} s",
            bytes.len() / 1024,
            start.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// Sends one GET `iterations` times (after 10 warm-up requests) as the session `token` and
/// prints its percentiles.
pub(crate) async fn measure(
    app: &axum::Router,
    name: &str,
    uri: &str,
    token: &str,
    accept: Option<&str>,
    iterations: usize,
) -> Result<()> {
    let mut times = Vec::with_capacity(iterations);
    let mut size = 0;
    for i in 0..iterations + 10 {
        let mut req = Request::get(uri).header("cookie", format!("khien_session={token}"));
        if let Some(a) = accept {
            req = req.header("accept", a);
        }
        let start = Instant::now();
        let resp = app.clone().oneshot(req.body(Body::empty())?).await?;
        let status = resp.status();
        size = axum::body::to_bytes(resp.into_body(), usize::MAX).await?.len();
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        if status != StatusCode::OK {
            return Err(anyhow!("{uri} answered {status}"));
        }
        if i >= 10 {
            times.push(ms);
        }
    }
    times.sort_by(|x, y| x.total_cmp(y));
    println!(
        "{name:<42} {:>9.2} {:>9.2} {:>9.2} {:>9.2} {:>7}",
        pct(&times, 0.5),
        pct(&times, 0.95),
        pct(&times, 0.99),
        pct(&times, 1.0),
        size.div_ceil(1024)
    );
    Ok(())
}

pub(crate) fn pct(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or(0.0)
}

pub async fn run(a: BenchArgs) -> Result<()> {
    let dir = std::env::temp_dir().join(format!("khien-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let url = a.database_url.clone().unwrap_or_else(|| format!("sqlite://{}?mode=rwc", dir.join("bench.db").display()));
    let store = Store::open(&url).await.map_err(|e| anyhow!("{e}"))?;
    let t = Instant::now();
    let (dept_id, password) = load(&store, a.units, a.users).await?;
    println!(
        "loaded {} units and {} users in {:.1}s ({:?})",
        a.units,
        a.users,
        t.elapsed().as_secs_f64(),
        store.dialect()
    );
    let t = Instant::now();
    let admin_actor = store
        .actor_for_user(
            store
                .maintenance()
                .user_id_by_username("admin")
                .await
                .map_err(|e| anyhow!("{e}"))?
                .ok_or_else(|| anyhow!("no admin"))?,
        )
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let units = store.unit_tree(&admin_actor).await.map_err(|e| anyhow!("{e}"))?;
    let systems = crate::demo::systems::load(&store, &admin_actor, &units, a.systems_per_unit).await?;
    store.maintenance().analyze().await.map_err(|e| anyhow!("{e}"))?;
    println!(
        "loaded {systems} information systems with their dossiers in {:.1}s (then ANALYZE)",
        t.elapsed().as_secs_f64()
    );
    let admin = store.login("admin", &password).await.map_err(|e| anyhow!("{e}"))?;
    let manager = store.login("manager", &password).await.map_err(|e| anyhow!("{e}"))?;
    let app = khien_server::router(AppState::new(store.clone(), ServerConfig::default()));
    if a.telemetry_only {
        println!("{:<42} {:>9} {:>9} {:>9} {:>9} {:>7}", "scenario", "p50 ms", "p95 ms", "p99 ms", "max ms", "KB");
        crate::bench::telemetry::run(&store, &app, &admin.session_token, &admin_actor, &a).await?;
        store.close().await;
        let _ = std::fs::remove_dir_all(&dir);
        return Ok(());
    }
    let scenarios: Vec<(&str, String, &str)> = vec![
        ("units: first page", "/api/v1/units?limit=50".into(), &admin.session_token),
        (
            "units: folded search 'phuong dong hai'",
            "/api/v1/units?q=phuong%20dong%20hai&limit=50".into(),
            &admin.session_token,
        ),
        (
            "units: filter type=ward, sort by name",
            "/api/v1/units?unit_type=ward&sort=name&limit=100".into(),
            &admin.session_token,
        ),
        ("users: first page", "/api/v1/users?limit=50".into(), &admin.session_token),
        ("users: folded search 'nguyen van'", "/api/v1/users?q=nguyen%20van&limit=50".into(), &admin.session_token),
        ("users: filter by unit", format!("/api/v1/users?unit_id={dept_id}"), &admin.session_token),
        ("users: scoped manager, sort by name", "/api/v1/users?sort=full_name&limit=50".into(), &manager.session_token),
        ("web: units tree page (1,000 units)", "/units".into(), &admin.session_token),
        ("systems: registry first page", "/api/v1/systems?limit=50".into(), &admin.session_token),
        (
            "systems: folded search 'mot cua dien tu'",
            "/api/v1/systems?q=mot%20cua%20dien%20tu&limit=50".into(),
            &admin.session_token,
        ),
        ("systems: filter violations", "/api/v1/systems?violations=true&limit=50".into(), &admin.session_token),
        (
            "systems: filter dossier=submitted, level gaps",
            "/api/v1/systems?dossier_state=submitted&layer_gap=true&limit=50".into(),
            &admin.session_token,
        ),
        (
            "systems: unit subtree, scoped manager",
            format!("/api/v1/systems?unit_id={dept_id}&limit=50"),
            &manager.session_token,
        ),
        ("web: registry page with filters", "/systems?status=in_operation&q=cong".into(), &admin.session_token),
        ("web: registry page sorted by code", "/systems?sort=code".into(), &admin.session_token),
        ("web: authority overview (10,000 systems)", "/overview".into(), &admin.session_token),
    ];
    println!("{:<42} {:>9} {:>9} {:>9} {:>9} {:>7}", "scenario", "p50 ms", "p95 ms", "p99 ms", "max ms", "KB");
    for (name, uri, token) in scenarios {
        measure(&app, name, &uri, token, None, a.iterations).await?;
    }
    crate::bench::incidents::run(&store, &app, &admin.session_token, &manager.session_token, &a).await?;
    crate::bench::compliance::run(&store, &app, &admin.session_token, &manager.session_token, &a).await?;
    if a.plans {
        let tokens = (admin.session_token.as_str(), manager.session_token.as_str());
        crate::bench::plans::run(&store, &app, tokens, &units, dept_id, &a).await?;
    }
    let tokens = (admin.session_token.as_str(), manager.session_token.as_str());
    crate::bench::indicators::run(&store, &app, tokens, dept_id, &a).await?;
    let admin_session = (admin.session_token.as_str(), admin.csrf_token.as_str());
    crate::bench::paperwork::run(&store, &app, admin_session, &admin_actor, dept_id, &a).await?;
    crate::bench::telemetry::run(&store, &app, &admin.session_token, &admin_actor, &a).await?;
    // The home pages, once the incidents and findings above are in: what waits for each.
    let authority = store.login("authority", &password).await.map_err(|e| anyhow!("{e}"))?;
    for (name, uri, token) in [
        ("web: authority home (its work list)", "/", &authority.session_token),
        ("api: authority work list", "/api/v1/work", &authority.session_token),
        ("web: department manager home", "/", &manager.session_token),
    ] {
        measure(&app, name, uri, token, None, a.iterations).await?;
    }
    // Last, so that the scenarios above see the 10,000 systems the issue names.
    import_benchmark(&app, &admin.session_token, &admin.csrf_token, &units).await?;
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
