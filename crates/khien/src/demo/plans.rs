//! The demo city's plans, imported the way the authority would: each task table is written as
//! the Word appendix agencies receive (through the DOCX writer), read back through the plan
//! import, previewed, and written with the authority's name mappings. Then units report on the
//! periods that have begun: most of them, so that the plan pages show who has not.

use anyhow::{anyhow, Result};
use khien_demo::plans::{DemoPlan, PLANS};
use khien_domain::plan::progress::{NameTarget, ProgressStatus};
use khien_domain::scope::Actor;
use khien_formats::docx::{write_admin_docx, AdminDocument, Block};
use khien_store::{PlanInput, ProgressInput, Store, Unit};

/// The appendix as a Word document: the NĐ 30 header block, then the task table.
pub fn appendix(plan: &DemoPlan) -> Result<Vec<u8>> {
    let mut rows = plan.rows();
    let headers = if rows.is_empty() { Vec::new() } else { rows.remove(0) };
    let date = chrono::NaiveDate::parse_from_str(plan.issued_on, "%Y-%m-%d")?;
    let doc = AdminDocument {
        parent_body: String::new(),
        issuing_body: plan.issuer.to_string(),
        number: Some(plan.number.to_string()),
        place: "Hải Đông".into(),
        date,
        doc_type: "Phụ lục".into(),
        title: format!("Phân công nhiệm vụ triển khai Kế hoạch {}", plan.number),
        addressees: Vec::new(),
        blocks: vec![Block::Table { headers, rows }],
        recipients: Vec::new(),
        signer_position: "TM. Ủy ban nhân dân\nChủ tịch".into(),
        signer_name: String::new(),
    };
    write_admin_docx(&doc).map_err(|e| anyhow!("{e}"))
}

fn targets(codes: &[&str], units: &[Unit]) -> Result<Vec<NameTarget>> {
    codes
        .iter()
        .map(|c| {
            if c.starts_with("type:") || *c == "none" {
                NameTarget::parse(c).map_err(|e| anyhow!("{e}"))
            } else {
                units
                    .iter()
                    .find(|u| u.code == *c)
                    .map(|u| NameTarget::Unit(u.id))
                    .ok_or_else(|| anyhow!("demo plan mapping: no unit {c}"))
            }
        })
        .collect()
}

pub async fn load(store: &Store, admin: &Actor, units: &[Unit]) -> Result<()> {
    for plan in PLANS {
        let file = format!("Phu luc KH {}.docx", plan.number.replace('/', "-"));
        let bytes = appendix(plan)?;
        let rows = khien_formats::plan_table::parse_plan_table(&file, &bytes).map_err(|e| anyhow!("{e}"))?;
        let id = store.stage_plan_import(admin, &file, &bytes, "").await.map_err(|e| anyhow!("{e}"))?;
        let mut chosen = Vec::new();
        for (name, codes) in plan.mappings {
            chosen.push((name.to_string(), targets(codes, units)?));
        }
        // Every other name the tables use (the military command, associations, "the units
        // concerned") has no unit in Hải Đông: named, not tracked.
        for m in store.match_plan_names(admin, &rows, &chosen).await.map_err(|e| anyhow!("{e}"))? {
            if m.targets.is_empty() {
                chosen.push((m.name, vec![NameTarget::Untracked]));
            }
        }
        let input = PlanInput {
            number: plan.number.into(),
            issued_on: plan.issued_on.into(),
            issuer: plan.issuer.into(),
            title: plan.title.into(),
            legal_basis: plan.legal_basis.into(),
            year_from: plan.years.0,
            year_to: plan.years.1,
            reporting: plan.reporting.0.into(),
            report_day: plan.reporting.1,
            report_month: plan.reporting.2,
        };
        let created =
            store.create_plan(admin, id, &input, &rows, &chosen).await.map_err(|e| anyhow!("demo plan: {e}"))?;
        report(store, admin, created.id).await?;
    }
    Ok(())
}

/// Units report on every begun period but the current one, where about half have; a few
/// tasks are blocked. Written as one import, as the authority would load last years' tables.
async fn report(store: &Store, admin: &Actor, plan_id: i64) -> Result<()> {
    let plan = store.get_plan(admin, plan_id).await.map_err(|e| anyhow!("{e}"))?;
    let reporting = plan.reporting().map_err(|e| anyhow!("{e}"))?;
    let periods = reporting.periods_until(store.clock().today_vn(), plan.years());
    let tasks = store.plan_tasks(admin, plan_id).await.map_err(|e| anyhow!("{e}"))?;
    // A few units per task keep the demo quick to load; a task's units are the same each period.
    let mut units_of = Vec::new();
    for task in tasks.iter().filter(|t| t.parent_number.is_some()) {
        let progress = store.task_progress(admin, task.id, None).await.map_err(|e| anyhow!("{e}"))?;
        units_of.push((task.id, progress.units.into_iter().take(6).collect::<Vec<_>>()));
    }
    let mut reports = Vec::new();
    for (p, period) in periods.iter().enumerate() {
        for (t, (task_id, units)) in units_of.iter().enumerate() {
            for (u, unit) in units.iter().enumerate() {
                let skip = if p == 0 { (t + u) % 2 == 0 } else { (t + u + p) % 9 == 0 };
                if skip {
                    continue;
                }
                let status = match (p, (t + u) % 7) {
                    (_, 0) => ProgressStatus::Blocked,
                    (0, _) => ProgressStatus::InProgress,
                    (_, 1 | 2) => ProgressStatus::InProgress,
                    _ => ProgressStatus::Done,
                };
                let narrative = match status {
                    ProgressStatus::Blocked => {
                        "Chưa bố trí được kinh phí; đã đề xuất bổ sung dự toán, chờ Sở Tài chính thẩm định.".to_string()
                    }
                    ProgressStatus::Done => format!(
                        "{} đã hoàn thành nội dung kỳ {period}: ban hành văn bản triển khai, phân công cán bộ đầu mối, tổ chức thực hiện và kiểm tra kết quả.",
                        unit.name
                    ),
                    _ => format!("{} đang triển khai: đã ban hành kế hoạch của đơn vị, đang tổ chức thực hiện.", unit.name),
                };
                let input = ProgressInput {
                    status: status.code().into(),
                    narrative,
                    figures: format!("{} lượt cán bộ tham gia", 20 + (t * 7 + u * 13) % 90),
                };
                reports.push((*task_id, unit.unit_id, period.clone(), input));
            }
        }
    }
    store.import_progress(admin, &reports).await.map_err(|e| anyhow!("demo reports: {e}"))?;
    Ok(())
}
