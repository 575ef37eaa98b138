//! Between the store's systems, findings and assessments and the OSCAL exports.

use chrono::{DateTime, Utc};
use khien_domain::calendar::date_vn;
use khien_domain::catalog::NodeKind;
use khien_domain::compliance::remediation::FindingState;
use khien_domain::scope::Actor;
use khien_domain::system::Lifecycle;
use khien_domain::{Error, Msg};
use khien_formats::oscal_export::{
    catalog_href, export_assessment_results, export_catalog, export_poam, export_ssp, level_text,
    AssessedRequirementIn, AssessmentInput, CatalogIn, CatalogNodeIn, CatalogueRef, EvidenceIn, InformationTypeIn,
    OscalExportError, PartyIn, PoamInput, PoamItemIn, RequirementIn, RequirementResult, RiskStatus, SspInput,
    SystemRef, SystemState,
};
use khien_store::{AssessmentFilter, CatalogueInfo, Finding, FindingFilter, System};

use crate::AppState;

/// Open findings exported in one POA&M at most.
const MAX_POAM_ITEMS: usize = 10_000;

fn at(ms: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default()
}

pub fn oscal_error(e: &OscalExportError) -> Error {
    Error::Invalid { field: None, msg: Msg::new(e.message_vi(), e.message_en()) }
}

fn status(state: FindingState) -> RiskStatus {
    match state {
        FindingState::InRemediation => RiskStatus::Remediating,
        FindingState::Fixed => RiskStatus::Investigating,
        FindingState::RiskAccepted => RiskStatus::DeviationApproved,
        FindingState::Verified | FindingState::FalsePositive => RiskStatus::Closed,
        FindingState::Open => RiskStatus::Open,
    }
}

fn item(f: &Finding) -> PoamItemIn {
    PoamItemIn {
        key: format!("finding:{}", f.id),
        title: f.title.clone(),
        description: if f.description.trim().is_empty() { f.title.clone() } else { f.description.clone() },
        status: status(f.state),
        severity: f.severity,
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
        last_modified: at(s.store.clock().now_ms()),
        version: s.store.clock().today_vn().format("%Y-%m-%d").to_string(),
        system: SystemRef {
            key: format!("system:{}", system.id),
            code: system.code.clone(),
            name: system.name.clone(),
        },
        owner: PartyIn {
            key: format!("unit:{}", system.owner_unit_id),
            name: system.owner_unit_name.clone(),
            short_name: None,
            email: None,
        },
        items,
    };
    export_poam(&input).map_err(|e| oscal_error(&e))
}

fn result(r: Option<&str>) -> Option<RequirementResult> {
    match r? {
        "compliant" => Some(RequirementResult::Compliant),
        "partly" => Some(RequirementResult::Partly),
        "non_compliant" => Some(RequirementResult::NonCompliant),
        "not_applicable" => Some(RequirementResult::NotApplicable),
        _ => None,
    }
}

fn title_of(vi: &str, en: &str) -> String {
    if vi.trim().is_empty() {
        en.to_string()
    } else {
        vi.to_string()
    }
}

fn catalogue_ref(c: &CatalogueInfo) -> CatalogueRef {
    CatalogueRef {
        code: c.code.clone(),
        version: c.version.clone(),
        title: title_of(&c.title_vi, &c.title_en),
        href: Some(catalog_href(&c.code, &c.version)),
    }
}

fn system_ref(s: &System) -> SystemRef {
    SystemRef { key: format!("system:{}", s.id), code: s.code.clone(), name: s.name.clone() }
}

fn unit_party(id: i64, name: &str) -> PartyIn {
    PartyIn { key: format!("unit:{id}"), name: name.to_string(), short_name: None, email: None }
}

/// A catalogue as an OSCAL catalog (the file an SSP refers to).
pub async fn catalogue_oscal(s: &AppState, actor: &Actor, id: i64) -> Result<Vec<u8>, Error> {
    let tree = s.store.catalogue(actor, id).await?;
    let c = &tree.catalogue;
    let levels = |l: &[u8]| l.iter().map(u8::to_string).collect::<Vec<_>>().join(",");
    let input = CatalogIn {
        namespace_id: "khien".into(),
        code: c.code.clone(),
        version: c.version.clone(),
        title: title_of(&c.title_vi, &c.title_en),
        last_modified: at(c.created_at),
        remarks: format!("{} / {}", c.source_note_vi, c.source_note_en),
        nodes: tree
            .nodes
            .iter()
            .map(|n| CatalogNodeIn {
                id: n.node_id.clone(),
                parent: n.parent_id.clone(),
                group: n.kind == NodeKind::Group,
                title: title_of(&n.title_vi, &n.title_en),
                description: n.description.clone(),
                levels: levels(&n.levels),
            })
            .collect(),
    };
    export_catalog(&input).map_err(|e| oscal_error(&e))
}

/// The System Security Plan of a system: its level, owner and operator, and the requirements
/// of the catalogue of its latest assessment (TCVN 14423:2026 when never assessed) that apply
/// at its level, each with the latest outcome and note.
pub async fn system_ssp(s: &AppState, actor: &Actor, system_id: i64) -> Result<Vec<u8>, Error> {
    let system = s.store.get_system(actor, system_id).await?.system;
    let latest = s
        .store
        .list_assessments(actor, &AssessmentFilter { system_id: Some(system_id), state: None, cursor: None, limit: 1 })
        .await?
        .items
        .into_iter()
        .next();
    let level = system.approved_level.or(latest.as_ref().map(|a| a.level));
    let (catalogue, requirements) = match latest {
        Some(a) => {
            let d = s.store.assessment(actor, a.id).await?;
            let info = s
                .store
                .list_catalogues(actor)
                .await?
                .into_iter()
                .find(|c| c.id == a.catalogue_id)
                .ok_or_else(|| Error::not_found("danh mục", "Catalogue"))?;
            let reqs = d
                .results
                .iter()
                .map(|r| RequirementIn {
                    id: r.node_id.clone(),
                    title: Some(title_of(&r.title_vi, &r.title_en)),
                    result: result(r.result.as_deref()),
                    statement: Some(r.notes.clone()).filter(|n| !n.trim().is_empty()),
                })
                .collect();
            (info, reqs)
        }
        None => {
            let info = s
                .store
                .list_catalogues(actor)
                .await?
                .into_iter()
                .find(|c| c.code == "tcvn-14423-2026")
                .ok_or_else(|| Error::not_found("danh mục TCVN 14423:2026", "Catalogue TCVN 14423:2026"))?;
            let tree = s.store.catalogue(actor, info.id).await?;
            let at_level = u8::try_from(level.unwrap_or(1)).unwrap_or(1);
            let reqs = tree
                .nodes
                .iter()
                .filter(|n| n.kind != NodeKind::Group && n.applies_to(at_level))
                .map(|n| RequirementIn {
                    id: n.node_id.clone(),
                    title: Some(title_of(&n.title_vi, &n.title_en)),
                    result: None,
                    statement: None,
                })
                .collect();
            (info, reqs)
        }
    };
    let state = match system.status {
        Lifecycle::InOperation => SystemState::Operational,
        Lifecycle::Planned | Lifecycle::Building => SystemState::UnderDevelopment,
        Lifecycle::Decommissioned => SystemState::Disposition,
        Lifecycle::Suspended => SystemState::Other,
    };
    let owner = unit_party(system.owner_unit_id, &system.owner_unit_name);
    let input = SspInput {
        namespace_id: "khien".into(),
        last_modified: at(s.store.clock().now_ms()),
        version: s.store.clock().today_vn().format("%Y-%m-%d").to_string(),
        system: system_ref(&system),
        short_name: Some(system.code.clone()),
        description: system.purpose.clone().unwrap_or_else(|| system.name.clone()),
        sensitivity_level: system.approved_level.and_then(|l| u8::try_from(l).ok()).map(level_text),
        information_type: InformationTypeIn {
            title: system.name.clone(),
            description: system.purpose.clone().unwrap_or_else(|| system.name.clone()),
        },
        impact: None,
        state,
        boundary: format!("Hệ thống «{}» ({}) do {} quản lý.", system.name, system.code, system.owner_unit_name),
        // The system record holds the operating unit's id only (the caller may not see that
        // unit); the owner fills both roles when they are the same.
        operator: match system.operator_unit_id {
            Some(id) if id != system.owner_unit_id => unit_party(id, &format!("Đơn vị vận hành (mã đơn vị {id})")),
            _ => owner.clone(),
        },
        owner,
        catalogue: catalogue_ref(&catalogue),
        requirements,
    };
    export_ssp(&input).map_err(|e| oscal_error(&e))
}

/// The Assessment Results of one assessment: every requirement reviewed, its outcome, note and
/// evidence files (SHA-256).
pub async fn assessment_results(s: &AppState, actor: &Actor, id: i64) -> Result<Vec<u8>, Error> {
    let d = s.store.assessment(actor, id).await?;
    let a = &d.assessment;
    let system = s.store.get_system(actor, a.system_id).await?.system;
    let info = s
        .store
        .list_catalogues(actor)
        .await?
        .into_iter()
        .find(|c| c.id == a.catalogue_id)
        .ok_or_else(|| Error::not_found("danh mục", "Catalogue"))?;
    let assessor = match (a.assessor_unit_id, a.assessor_unit_name.as_deref()) {
        (Some(id), Some(name)) => unit_party(id, name),
        _ => unit_party(a.unit_id, &a.unit_name),
    };
    let start = at(a.started_at.unwrap_or(a.created_at));
    let input = AssessmentInput {
        namespace_id: "khien".into(),
        assessment_key: format!("assessment:{}", a.id),
        title: a.title.clone(),
        last_modified: at(a.updated_at),
        version: a.state.code().to_string(),
        system: system_ref(&system),
        catalogue: catalogue_ref(&info),
        assessor,
        start,
        end: a.finished_at.map(at).filter(|e| *e >= start),
        plan_href: None,
        summary: a.percent.map(|p| {
            format!(
                "Mức đáp ứng {p}% ({} đáp ứng, {} một phần, {} không đáp ứng, {} không áp dụng).",
                a.compliant, a.partly, a.non_compliant, a.not_applicable
            )
        }),
        requirements: d
            .results
            .iter()
            .map(|r| AssessedRequirementIn {
                id: r.node_id.clone(),
                title: Some(title_of(&r.title_vi, &r.title_en)),
                result: result(r.result.as_deref()),
                note: Some(r.notes.clone()).filter(|n| !n.trim().is_empty()),
                evidence: r
                    .evidence
                    .iter()
                    .map(|e| EvidenceIn {
                        file_name: e.file_name.clone(),
                        sha256: e.sha256.clone(),
                        description: e.valid_until.as_ref().map(|v| format!("Hiệu lực đến {v}")),
                        href: Some(format!("/api/v1/assessment-evidence/{}", e.id)),
                        media_type: Some(e.content_type.clone()),
                    })
                    .collect(),
            })
            .collect(),
    };
    export_assessment_results(&input).map_err(|e| oscal_error(&e))
}
