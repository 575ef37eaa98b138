//! Between the store's systems, findings and assessments and the OSCAL exports.

use chrono::{DateTime, Utc};
use khien_domain::calendar::date_vn;
use khien_domain::finding::Severity;
use khien_domain::scope::Actor;
use khien_domain::{Error, Msg};
use khien_formats::oscal_export::{export_poam, OscalExportError, PartyIn, PoamInput, PoamItemIn, RiskStatus, SystemRef};
use khien_store::{Finding, FindingFilter};

use crate::AppState;

/// Open findings exported in one POA&M at most.
const MAX_POAM_ITEMS: usize = 10_000;

fn at(ms: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default()
}

pub fn oscal_error(e: &OscalExportError) -> Error {
    Error::Invalid { field: None, msg: Msg::new(e.message_vi(), e.message_en()) }
}

fn status(state: &str) -> RiskStatus {
    match state {
        "in_remediation" => RiskStatus::Remediating,
        "fixed" => RiskStatus::Investigating,
        "risk_accepted" => RiskStatus::DeviationApproved,
        "verified" | "false_positive" => RiskStatus::Closed,
        _ => RiskStatus::Open,
    }
}

fn item(f: &Finding) -> PoamItemIn {
    PoamItemIn {
        key: format!("finding:{}", f.id),
        title: f.title.clone(),
        description: if f.description.trim().is_empty() { f.title.clone() } else { f.description.clone() },
        status: status(&f.state),
        severity: Severity::parse("severity", &f.severity).unwrap_or(Severity::Info),
        cvss_score: f.cvss.map(|c| c as f32),
        cves: f.cves.clone(),
        host: f.host.clone(),
        port: f.port.and_then(|p| u16::try_from(p).ok()),
        protocol: f.protocol.clone(),
        source: Some(f.tool.clone()),
        first_seen: at(f.detected_at),
        due: f.due_at.map(date_vn),
        statement: f.state_note.clone(),
        remediation: Some(f.solution.clone()).filter(|s| !s.trim().is_empty()),
        requirement_id: f.node_id.clone(),
    }
}

/// The POA&M of a system: its findings still open (open, in remediation, fixed awaiting
/// verification), newest first.
pub async fn system_poam(s: &AppState, actor: &Actor, system_id: i64) -> Result<Vec<u8>, Error> {
    let system = s.store.get_system(actor, system_id).await?.system;
    let mut items = Vec::new();
    let mut filter = FindingFilter { system_id: Some(system_id), limit: 200, ..Default::default() };
    loop {
        let page = s.store.list_findings(actor, &filter).await?;
        items.extend(page.items.iter().map(item));
        match page.next_cursor {
            Some(c) if items.len() < MAX_POAM_ITEMS => filter.cursor = Some(khien_domain::page::Cursor::decode(&c)?),
            _ => break,
        }
    }
    let input = PoamInput {
        namespace_id: "khien".into(),
        last_modified: Utc::now(),
        version: date_vn(khien_domain::time::now_ms()).format("%Y-%m-%d").to_string(),
        system: SystemRef { key: format!("system:{}", system.id), code: system.code.clone(), name: system.name.clone() },
        owner: PartyIn { key: format!("unit:{}", system.owner_unit_id), name: system.owner_unit_name.clone(), short_name: None, email: None },
        items,
    };
    export_poam(&input).map_err(|e| oscal_error(&e))
}
