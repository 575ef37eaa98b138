//! The compliance scenarios of `khien bench`: a Nessus report of 100,000 findings imported into
//! one system and imported again (dedup), then CISO Assistant's performance shape — a
//! 10,000-control catalogue, 1,000 assessments with 200,000 requirement results — and the
//! assessments, findings and requirement-result pages.

use std::io::BufReader;
use std::time::Instant;

use crate::bench::{measure, BenchArgs};
use anyhow::{anyhow, Result};
use khien_domain::catalog::{Catalogue, CatalogueMeta, CatalogueNode, LevelSet, NodeKind};
use khien_domain::Msg;
use khien_formats::scan::{write_synthetic_nessus, ScanTool};
use khien_store::{AssessmentInput, FindingFilter, ResultInput, Store, SystemFilter};

/// Peak resident memory of this process, from /proc (Linux), in MiB.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// A catalogue of `groups` × `per_group` requirements, every requirement at every level.
fn synthetic_catalogue(code: &str, groups: usize, per_group: usize) -> Result<Catalogue> {
    let mut nodes = Vec::with_capacity(groups * (per_group + 1));
    for g in 0..groups {
        let gid = format!("G{g:03}");
        nodes.push(CatalogueNode::new(
            NodeKind::Group,
            &gid,
            None,
            &format!("Nhóm yêu cầu {g}"),
            &format!("Requirement group {g}"),
            LevelSet::ALL,
        ));
        for r in 0..per_group {
            let mut n = CatalogueNode::new(
                NodeKind::Requirement,
                &format!("{gid}.{r:03}"),
                Some(&gid),
                &format!("Yêu cầu {g}.{r} về bảo đảm an toàn"),
                &format!("Requirement {g}.{r}"),
                LevelSet::ALL,
            );
            n.description = "Mô tả yêu cầu dùng cho phép đo hiệu năng.".into();
            nodes.push(n);
        }
    }
    let meta = CatalogueMeta {
        code: code.into(),
        version: "bench".into(),
        title_vi: format!("Danh mục đo hiệu năng {code}"),
        title_en: format!("Benchmark catalogue {code}"),
        source_note: Msg::new("Sinh tự động.", "Generated."),
    };
    Catalogue::build(meta, nodes).map_err(|p| anyhow!("{p:?}"))
}

pub async fn run(store: &Store, app: &axum::Router, admin: &str, manager: &str, a: &BenchArgs) -> Result<()> {
    if a.findings == 0 {
        return Ok(());
    }
    let e = |e: khien_domain::Error| anyhow!("{e}");
    let actor = store
        .actor_for_user(
            store.maintenance().user_id_by_username("admin").await.map_err(e)?.ok_or_else(|| anyhow!("no admin"))?,
        )
        .await
        .map_err(e)?;
    let systems =
        store.list_systems(&actor, &SystemFilter { limit: 1000, ..Default::default() }).await.map_err(e)?.items;
    let target = systems.first().ok_or_else(|| anyhow!("no systems loaded"))?;

    // 1. The scan import: written to a file first, then streamed from it; with
    // `--scan-systems`, one report per system, the first imported again.
    let hosts = 500;
    let reports = a.scan_systems.clamp(1, systems.len());
    let per_host = a.findings.div_ceil(hosts * reports);
    let file = std::env::temp_dir().join(format!("khien-bench-{}.nessus", std::process::id()));
    for (n, system) in systems.iter().take(reports).enumerate() {
        let seed = 42 + n as u64;
        write_synthetic_nessus(std::io::BufWriter::new(std::fs::File::create(&file)?), hosts, per_host, seed)?;
        let size = std::fs::metadata(&file)?.len();
        let rounds: &[&str] = if n == 0 { &["import", "re-import (same file)"] } else { &["import"] };
        for round in rounds {
            let before = peak_rss_mib();
            let t = Instant::now();
            let reader = Box::new(BufReader::with_capacity(256 * 1024, std::fs::File::open(&file)?));
            let s = store.import_scan(&actor, system.id, ScanTool::Nessus, "bench.nessus", reader).await.map_err(e)?;
            println!(
                "scan {round} of {} findings ({} MiB Nessus file): {:.2} s — created {}, seen again {}, duplicates {}; peak RSS {:.0} → {:.0} MiB",
                s.findings,
                size / (1024 * 1024),
                t.elapsed().as_secs_f64(),
                s.created,
                s.seen_again,
                s.duplicates,
                before.unwrap_or(0.0),
                peak_rss_mib().unwrap_or(0.0)
            );
        }
    }
    let _ = std::fs::remove_file(&file);
    // One CVE id that the newest findings hold, for the exact look-up.
    let newest = store.list_findings(&actor, &FindingFilter { limit: 50, ..Default::default() }).await.map_err(e)?;
    let cve_id = newest.items.iter().find_map(|f| f.cves.first().cloned()).unwrap_or_else(|| "CVE-2021-1000".into());

    // 2. CISO Assistant's shape: 10,000 controls in all; 1,000 assessments × 200 results.
    let t = Instant::now();
    let big = store.import_catalogue(&actor, &synthetic_catalogue("bench-10k", 100, 98)?).await.map_err(e)?;
    let small = store.import_catalogue(&actor, &synthetic_catalogue("bench-200", 10, 20)?).await.map_err(e)?;
    let mut assessment_ids = Vec::new();
    for (n, system) in systems.iter().cycle().take(a.assessments).enumerate() {
        let plan = AssessmentInput {
            system_id: system.id,
            catalogue_id: small.id,
            kind: khien_domain::compliance::assessment::AssessmentKind::SelfAssessment,
            assessor_unit_id: None,
            title: format!("Đánh giá {n}"),
            planned_for: None,
        };
        let Ok(created) = store.create_assessment(&actor, &plan).await else { continue };
        let detail = store.assessment(&actor, created.id).await.map_err(e)?;
        let outcomes = ["compliant", "partly", "non_compliant", "not_applicable", "compliant", "compliant"];
        let results: Vec<ResultInput> = detail
            .results
            .iter()
            .enumerate()
            .map(|(i, r)| ResultInput {
                node_id: r.node_id.clone(),
                result: Some(crate::round(&outcomes, i + n).into()),
                notes: None,
            })
            .collect();
        store.record_results(&actor, created.id, &results).await.map_err(e)?;
        assessment_ids.push(created.id);
    }
    store.maintenance().analyze().await.map_err(e)?;
    println!(
        "loaded catalogues of {} and {} requirements and {} assessments × 200 results in {:.1}s (then ANALYZE)",
        big.requirements,
        small.requirements,
        assessment_ids.len(),
        t.elapsed().as_secs_f64()
    );

    // What every reminder sweep adds: rewriting today's per-unit counts.
    let t = Instant::now();
    let kept = store.maintenance().snapshot_finding_counts().await.map_err(e)?;
    println!("kept today's per-unit finding counts ({kept} units) in {:.3} s", t.elapsed().as_secs_f64());

    let one = assessment_ids.first().copied().unwrap_or(0);
    let scenarios: Vec<(&str, String, &str)> = vec![
        ("compliance: assessments first page", "/api/v1/assessments?limit=50".into(), admin),
        (
            "compliance: assessments of one system",
            format!("/api/v1/assessments?system_id={}&limit=50", target.id),
            admin,
        ),
        ("compliance: requirement results (200)", format!("/api/v1/assessments/{one}"), admin),
        ("web: assessment workspace (200 rows)", format!("/assessments/{one}"), admin),
        ("web: assessments page", "/assessments".into(), admin),
        ("findings: first page", "/api/v1/findings?limit=50".into(), admin),
        ("findings: critical", "/api/v1/findings?severity=critical&limit=50".into(), admin),
        ("findings: overdue", "/api/v1/findings?overdue=true&limit=50".into(), admin),
        ("findings: CVE", "/api/v1/findings?cve=CVE-2021&limit=50".into(), admin),
        ("findings: CVE id (one CVE)", format!("/api/v1/findings?cve={cve_id}&limit=50"), admin),
        ("findings: text search 'check 10005'", "/api/v1/findings?q=check%2010005&limit=50".into(), admin),
        ("findings: scoped manager", "/api/v1/findings?limit=50".into(), manager),
        ("findings: one system", format!("/api/v1/findings?system_id={}&limit=50", target.id), admin),
        ("web: findings page", "/findings".into(), admin),
        ("findings: sorted by deadline", "/api/v1/findings?sort=due&limit=50".into(), admin),
        ("web: findings page, one system by code", format!("/findings?system={}", target.code), admin),
        ("web: findings page, scoped manager", "/findings".into(), manager),
        ("findings: per-unit counts", "/api/v1/findings/counts".into(), admin),
        ("findings: kept counts, 30 days", "/api/v1/findings/counts/history".into(), admin),
        ("catalogue: tree of 10,000 controls", format!("/api/v1/catalogues/{}", big.id), admin),
        ("web: catalogue page (10,000 controls)", format!("/catalogues/{}", big.id), admin),
        ("web: catalogue page (200 controls)", format!("/catalogues/{}", small.id), admin),
    ];
    for (name, uri, token) in scenarios {
        measure(app, name, &uri, token, None, a.iterations).await?;
    }
    Ok(())
}
