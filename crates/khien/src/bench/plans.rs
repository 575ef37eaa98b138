//! The plan scenarios of `khien bench` (issue 15): 5 plans of 60 tasks, each task on 200 units
//! reporting monthly for 3 years (about 2 million progress rows), then a plan's status page,
//! who has not reported, a task's page and a unit's own tasks.

use std::time::Instant;

use crate::bench::{measure, BenchArgs};
use anyhow::{anyhow, Result};
use khien_domain::plan::progress::NameTarget;
use khien_store::{PlanInput, Store, Unit};

const PLANS: usize = 5;
const TASKS: usize = 60;
const UNITS_PER_TASK: usize = 200;

/// A task table of 6 sections × 10 tasks, every task led by "Đơn vị thực hiện".
fn table() -> String {
    let mut csv = String::from("STT,Nhiệm vụ,Đơn vị chủ trì,Đơn vị phối hợp,Thời gian thực hiện\n");
    for s in 1..=TASKS / 10 {
        csv.push_str(&format!("{s},Nhóm nhiệm vụ {s},,,\n"));
        for t in 1..=10 {
            csv.push_str(&format!(
                "{s}.{t},Nhiệm vụ {s}.{t} về bảo đảm an toàn thông tin,Đơn vị thực hiện,Công an thành phố,Hàng tháng\n"
            ));
        }
    }
    csv
}

pub async fn run(
    store: &Store,
    app: &axum::Router,
    (admin, manager): (&str, &str),
    units: &[Unit],
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
    // 200 units, the manager's among them; the police unit co-ordinates (the root here).
    let mut on_task: Vec<NameTarget> = vec![NameTarget::Unit(manager_unit)];
    on_task.extend(
        units
            .iter()
            .filter(|u| u.parent_id.is_some() && u.id != manager_unit)
            .take(UNITS_PER_TASK - 1)
            .map(|u| NameTarget::Unit(u.id)),
    );
    let root = units.iter().find(|u| u.parent_id.is_none()).ok_or_else(|| anyhow!("no root"))?;
    let chosen = vec![
        ("Đơn vị thực hiện".to_string(), on_task),
        ("Công an thành phố".to_string(), vec![NameTarget::Unit(root.id)]),
    ];
    let t = Instant::now();
    let today = store.clock().today_vn();
    let year: i32 = today.format("%Y").to_string().parse()?;
    let mut plan_ids = Vec::new();
    let mut rows_written = 0;
    for p in 0..PLANS {
        let csv = table();
        let rows =
            khien_formats::plan_table::parse_plan_table("bench.csv", csv.as_bytes()).map_err(|e| anyhow!("{e}"))?;
        let id = store.stage_plan_import(&actor, "bench.csv", csv.as_bytes(), "").await.map_err(e)?;
        let input = PlanInput {
            number: format!("{}/KH-BENCH", p + 1),
            issued_on: format!("{}-01-05", year - 2),
            issuer: "Ủy ban nhân dân thành phố".into(),
            title: format!("Kế hoạch đo hiệu năng {}", p + 1),
            legal_basis: String::new(),
            year_from: year - 2,
            year_to: year,
            reporting: "monthly".into(),
            report_day: 25,
            report_month: 0,
        };
        let plan = store.create_plan(&actor, id, &input, &rows, &chosen).await.map_err(e)?;
        let reporting = plan.reporting().map_err(e)?;
        for period in reporting.periods_until(today, plan.years()) {
            rows_written +=
                store.maintenance().fill_progress_for_benchmark(plan.id, &period, actor.user_id).await.map_err(e)?;
        }
        plan_ids.push((plan.id, reporting.period_of(today)));
    }
    store.maintenance().analyze().await.map_err(e)?;
    println!(
        "loaded {PLANS} plans of {TASKS} tasks on {UNITS_PER_TASK} units, {rows_written} progress reports, in {:.1}s",
        t.elapsed().as_secs_f64()
    );
    let (plan, period) = plan_ids.first().cloned().ok_or_else(|| anyhow!("no plan"))?;
    let task = store
        .plan_tasks(&actor, plan)
        .await
        .map_err(e)?
        .into_iter()
        .find(|t| t.parent_number.is_some())
        .ok_or_else(|| anyhow!("no task"))?;
    let scenarios = [
        ("web: plan status page (12,000 units×tasks)", format!("/plans/{plan}?period={period}"), admin),
        ("api: plan status per task", format!("/api/v1/plans/{plan}/status?period={period}"), admin),
        ("api: who has not reported", format!("/api/v1/plans/{plan}/missing?period={period}"), admin),
        ("web: a task's page (200 units)", format!("/plan-tasks/{}?period={period}", task.id), admin),
        ("api: a unit's own plan tasks (5 plans)", "/api/v1/my-plan-tasks".to_string(), manager),
        ("web: plans page with own tasks", "/plans".to_string(), manager),
        ("web: a department's deadlines (all kinds)", "/deadlines".to_string(), manager),
        ("api: a department's deadlines", "/api/v1/deadlines".to_string(), manager),
    ];
    for (name, uri, token) in scenarios {
        measure(app, name, &uri, token, None, a.iterations).await?;
    }
    Ok(())
}
