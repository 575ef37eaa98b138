//! The demo city's compliance work: the built-in catalogues, and assessments of demo systems
//! against TCVN 14423:2026 in different states — one done with every result, one in progress,
//! one independent assessment planned for the demo assessor unit (KD-PN, user `danhgia`).

use anyhow::{anyhow, Result};
use khien_domain::scope::Actor;
use khien_store::{AssessmentInput, ResultInput, Store, Unit};

const OUTCOMES: [&str; 7] = ["compliant", "compliant", "compliant", "partly", "compliant", "non_compliant", "not_applicable"];

pub async fn load(store: &Store, admin: &Actor, units: &[Unit]) -> Result<()> {
    let e = |e: khien_domain::Error| anyhow!("demo compliance: {e}");
    store.ensure_builtin_catalogues(&khien_formats::builtin_catalogues()).await.map_err(e)?;
    let Some(tcvn) = store.list_catalogues(admin).await.map_err(e)?.into_iter().find(|c| c.code == "tcvn-14423-2026") else {
        return Ok(());
    };
    let systems: Vec<_> = store.all_systems(admin).await.map_err(e)?.into_iter().filter(|s| s.approved_level.is_some()).take(3).collect();
    let assessor = units.iter().find(|u| u.unit_type == "assessor").map(|u| u.id);
    for (i, system) in systems.iter().enumerate() {
        let (kind, assessor_unit_id, title) = match (i, assessor) {
            (2, Some(a)) => ("independent", Some(a), format!("Đánh giá độc lập {} năm 2026", system.code)),
            _ => ("self", None, format!("Tự đánh giá {} theo TCVN 14423:2026", system.code)),
        };
        let input = AssessmentInput { system_id: system.id, catalogue_id: tcvn.id, kind: kind.into(), assessor_unit_id, title, planned_for: Some("2026-12-15".into()) };
        let a = store.create_assessment(admin, &input).await.map_err(e)?;
        if i == 2 {
            continue; // planned
        }
        let detail = store.assessment(admin, a.id).await.map_err(e)?;
        let take = if i == 0 { detail.results.len() } else { detail.results.len() / 2 };
        let results: Vec<ResultInput> = detail
            .results
            .iter()
            .take(take)
            .enumerate()
            .map(|(k, r)| ResultInput {
                node_id: r.node_id.clone(),
                result: Some(OUTCOMES[(k * 3 + i) % OUTCOMES.len()].into()),
                notes: (k % 5 == 0).then(|| "Đã kiểm tra tài liệu và cấu hình thực tế.".into()),
            })
            .collect();
        store.record_results(admin, a.id, &results).await.map_err(e)?;
        if i == 0 {
            store.move_assessment(admin, a.id, "in_review").await.map_err(e)?;
            store.move_assessment(admin, a.id, "done").await.map_err(e)?;
        }
    }
    Ok(())
}
