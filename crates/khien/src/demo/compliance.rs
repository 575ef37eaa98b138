//! The demo city's compliance work: the built-in catalogues, and assessments of demo systems
//! against TCVN 14423:2026 in different states — one done with every result, one in progress,
//! one independent assessment planned for the demo assessor unit (KD-PN, user `danhgia`) —
//! and scanner findings on demo systems in every state, some past their deadline.

use anyhow::{anyhow, Result};
use khien_domain::compliance::assessment::{AssessmentKind, AssessmentState};
use khien_domain::scope::Actor;
use khien_domain::unit::UnitType;
use khien_formats::scan::{synthetic_nessus, ScanTool};
use khien_store::{AssessmentInput, FindingFilter, FindingMoveInput, ResultInput, Store, Unit};

const DAY: i64 = 24 * 3_600_000;

const OUTCOMES: [&str; 7] =
    ["compliant", "compliant", "compliant", "partly", "compliant", "non_compliant", "not_applicable"];

/// One demo finding move: (target state, reason, accepted until).
type Step<'a> = (&'a str, Option<&'a str>, Option<&'a str>);

pub async fn load(store: &Store, admin: &Actor, units: &[Unit]) -> Result<()> {
    let e = |e: khien_domain::Error| anyhow!("demo compliance: {e}");
    store.maintenance().ensure_builtin_catalogues(&khien_formats::builtin_catalogues()).await.map_err(e)?;
    let Some(tcvn) = store.list_catalogues(admin).await.map_err(e)?.into_iter().find(|c| c.code == "tcvn-14423-2026")
    else {
        return Ok(());
    };
    let systems: Vec<_> =
        store.all_systems(admin).await.map_err(e)?.into_iter().filter(|s| s.approved_level.is_some()).take(3).collect();
    let assessor = units.iter().find(|u| u.unit_type == UnitType::Assessor).map(|u| u.id);
    for (i, system) in systems.iter().enumerate() {
        let (kind, assessor_unit_id, title) = match (i, assessor) {
            (2, Some(a)) => {
                (AssessmentKind::Independent, Some(a), format!("Đánh giá độc lập {} năm 2026", system.code))
            }
            _ => (AssessmentKind::SelfAssessment, None, format!("Tự đánh giá {} theo TCVN 14423:2026", system.code)),
        };
        let input = AssessmentInput {
            system_id: system.id,
            catalogue_id: tcvn.id,
            kind,
            assessor_unit_id,
            title,
            planned_for: Some("2026-12-15".into()),
        };
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
                result: Some(crate::round(&OUTCOMES, k * 3 + i).into()),
                notes: (k % 5 == 0).then(|| "Đã kiểm tra tài liệu và cấu hình thực tế.".into()),
            })
            .collect();
        store.record_results(admin, a.id, &results).await.map_err(e)?;
        if i == 0 {
            store.move_assessment(admin, a.id, AssessmentState::InReview).await.map_err(e)?;
            store.move_assessment(admin, a.id, AssessmentState::Done).await.map_err(e)?;
        }
    }
    findings(store, admin).await
}

/// Nessus reports on four demo systems (the first scanned two months ago, so some of its
/// deadlines have passed), then findings moved into each state.
async fn findings(store: &Store, admin: &Actor) -> Result<()> {
    let e = |e: khien_domain::Error| anyhow!("demo findings: {e}");
    let systems: Vec<_> =
        store.all_systems(admin).await.map_err(e)?.into_iter().filter(|s| s.approved_level.is_some()).take(4).collect();
    for (i, system) in systems.iter().enumerate() {
        let report = Box::new(std::io::Cursor::new(synthetic_nessus(2, 20, 100 + i as u64)));
        let scanned = (i == 0).then(|| store.clock().now_ms() - 60 * DAY);
        store
            .import_scan_dated(
                admin,
                system.id,
                ScanTool::Nessus,
                &format!("quet-{}.nessus", system.code.to_lowercase()),
                scanned,
                report,
            )
            .await
            .map_err(e)?;
    }
    let open = store.list_findings(admin, &FindingFilter { limit: 200, ..Default::default() }).await.map_err(e)?.items;
    let mut work = open.iter().filter(|f| f.severity != "info").map(|f| f.id);
    let until = (store.clock().today_vn() + chrono::Duration::days(90)).format("%d/%m/%Y").to_string();
    let steps: [&[Step]; 5] = [
        &[("in_remediation", None, None)],
        &[("in_remediation", None, None), ("fixed", None, None)],
        &[("fixed", None, None), ("verified", None, None)],
        &[("risk_accepted", Some("Hệ thống sẽ thay thế trong quý tới; đã cô lập mạng"), Some(until.as_str()))],
        &[("false_positive", Some("Dịch vụ này không chạy trên máy chủ, kết quả quét nhầm"), None)],
    ];
    for moves in steps {
        let Some(id) = work.next() else { break };
        for (to, reason, accepted_until) in moves {
            let m = FindingMoveInput {
                to: to.to_string(),
                reason: reason.map(str::to_string),
                accepted_until: accepted_until.map(str::to_string),
            };
            store.move_finding(admin, id, &m).await.map_err(e)?;
        }
    }
    Ok(())
}
