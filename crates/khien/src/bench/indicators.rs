//! The indicator and index scenarios of `khien bench` (issue 16): seven computed indicators
//! kept for every month of three years over the bench city's units, then the indicators page, an
//! indicator's page, a unit's index page, and a ranking of the departments computed and read.

use std::time::Instant;

use crate::bench::{measure, BenchArgs};
use anyhow::{anyhow, Result};
use khien_domain::index::{Band, Criterion, CriterionSource, ScoringModel};
use khien_domain::scope::Actor;
use khien_domain::unit::UnitType;
use khien_store::{IndicatorInput, Store};

const MEASURES: [&str; 7] = [
    "approved",
    "plan_implemented",
    "monitored_connected",
    "assessed",
    "four_layers",
    "secure_connections",
    "budget_share",
];

pub async fn run(
    store: &Store,
    app: &axum::Router,
    (admin, manager): (&str, &str),
    manager_unit: i64,
    a: &BenchArgs,
) -> Result<()> {
    let e = |e: khien_domain::Error| anyhow!("{e}");
    let actor = store
        .actor_for_user(
            store.maintenance().user_id_by_username("admin").await.map_err(e)?.ok_or_else(|| anyhow!("no admin"))?,
        )
        .await
        .map_err(e)?;
    let mut ids = Vec::new();
    for (n, measure) in MEASURES.iter().enumerate() {
        let input = IndicatorInput {
            code: format!("B-{n}"),
            name_vi: format!("Chỉ tiêu đo hiệu năng {n}"),
            name_en: format!("Benchmark indicator {n}"),
            plan_number: "1/KH-BENCH".into(),
            measure: (*measure).into(),
            targets: vec![(2026, 10_000)],
        };
        ids.push(store.define_indicator(&actor, &input).await.map_err(e)?.id);
    }
    let year = store.clock().today_vn().format("%Y").to_string();
    let first_year = year.parse::<i32>().unwrap_or(2026) - 2;
    let t = Instant::now();
    let months = khien_domain::indicator::months_between(
        &format!("{first_year}-01"),
        &store.clock().today_vn().format("%Y-%m").to_string(),
    )
    .map_err(e)?;
    let values: usize = store.snapshot_periods(&actor, &months).await.map_err(e)?.iter().map(|k| k.values).sum();
    println!(
        "kept {} indicators × 36 months (3 years) for every unit with systems: {values} figures in {:.2}s",
        ids.len(),
        t.elapsed().as_secs_f64()
    );
    let criterion = |code: &str, source, weight| Criterion {
        code: code.into(),
        name_vi: code.into(),
        name_en: code.into(),
        source,
        weight,
    };
    let model = ScoringModel {
        criteria: vec![
            criterion("b0", CriterionSource::Indicator { code: "B-0".into() }, 25),
            criterion("b3", CriterionSource::Indicator { code: "B-3".into() }, 25),
            criterion("b4", CriterionSource::Indicator { code: "B-4".into() }, 20),
            criterion("findings", CriterionSource::FindingsOnTime, 15),
            criterion("duties", CriterionSource::DutiesOnTime, 15),
        ],
        bands: [("A", 85), ("B", 70), ("C", 50), ("D", 30), ("E", 0)]
            .iter()
            .map(|(n, f)| Band { name: (*n).into(), from: *f })
            .collect(),
        downgrade_after_days: Some(30),
    };
    let model = store.define_index_model(&actor, "Bench", &model).await.map_err(e)?;
    let t = Instant::now();
    let ranking = store.compute_ranking(&actor, model.id, UnitType::Department, &year).await.map_err(e)?;
    println!("ranked {} departments in {:.2}s", ranking.rows.len(), t.elapsed().as_secs_f64());
    let first = ids.first().copied().unwrap_or_default();
    let scenarios = [
        ("web: indicators page (7 × 36 months)", "/indicators".to_string(), admin),
        ("api: an indicator, city and units", format!("/api/v1/indicators/{first}"), admin),
        ("web: an indicator's page", format!("/indicators/{first}"), admin),
        ("web: a unit's index page", format!("/units/{manager_unit}/index"), manager),
        ("web: a ranking's page", format!("/rankings/{}", ranking.id), admin),
    ];
    for (name, uri, token) in scenarios {
        measure(app, name, &uri, token, None, a.iterations).await?;
    }
    reports(store, app, admin, &actor, a).await
}

/// Every unit of the bench city submits its yearly report; then the round's page, a unit's
/// report page and the city's consolidated DOCX, PDF and XLSX.
async fn reports(store: &Store, app: &axum::Router, admin: &str, actor: &Actor, a: &BenchArgs) -> Result<()> {
    let e = |e: khien_domain::Error| anyhow!("{e}");
    let year = store.clock().today_vn().format("%Y").to_string();
    let input = khien_store::ReportRoundInput {
        template: "plan_year".into(),
        period: year,
        due_on: String::new(),
        unit_types: UnitType::ALL.iter().map(|t| t.code().to_string()).collect(),
    };
    let round = store.open_report_round(actor, &input).await.map_err(e)?;
    let units: Vec<i64> =
        store.report_round(actor, round.id).await.map_err(e)?.reports.iter().map(|l| l.unit_id).collect();
    let text = vec![("results".to_string(), "Đã triển khai các nhiệm vụ của kế hoạch trong năm.".to_string())];
    let t = Instant::now();
    for unit in &units {
        store.submit_report(actor, (round.id, *unit), Some(&text)).await.map_err(e)?;
    }
    println!("{} units submitted their yearly report in {:.2}s", units.len(), t.elapsed().as_secs_f64());
    let one = units.first().copied().unwrap_or_default();
    for (name, uri, iterations) in [
        ("web: a round's page (1,000 units)", format!("/reports/{}", round.id), a.iterations),
        ("web: a unit's submitted report", format!("/reports/{}/units/{one}", round.id), a.iterations),
        ("api: consolidated report, DOCX", format!("/api/v1/report-rounds/{}/consolidated", round.id), 20),
        ("api: consolidated report, PDF", format!("/api/v1/report-rounds/{}/consolidated?format=pdf", round.id), 5),
        ("api: consolidated tables, XLSX", format!("/api/v1/report-rounds/{}/consolidated?format=xlsx", round.id), 20),
    ] {
        measure(app, name, &uri, admin, None, iterations).await?;
    }
    Ok(())
}
