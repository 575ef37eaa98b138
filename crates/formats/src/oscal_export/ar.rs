//! The Assessment Results of one assessment (kết quả kiểm tra, đánh giá).

use serde::Serialize;

use super::assess::*;
use super::common::*;
use super::model::{AssessmentInput, EvidenceIn, RequirementResult};
use super::OscalExportError;

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct AssessmentResults {
    uuid: String,
    metadata: Metadata,
    import_ap: ImportAp,
    results: Vec<AResult>,
    #[serde(skip_serializing_if = "Option::is_none")]
    back_matter: Option<BackMatter>,
}

#[derive(Serialize)]
struct ImportAp {
    href: String,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct AResult {
    uuid: String,
    title: String,
    description: String,
    start: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    reviewed_controls: ReviewedControls,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    observations: Vec<Observation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    findings: Vec<Finding>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct ReviewedControls {
    description: String,
    links: Vec<Link>,
    control_selections: Vec<ControlSelection>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct ControlSelection {
    description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    include_controls: Vec<SelectControl>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct SelectControl {
    control_id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Finding {
    uuid: String,
    title: String,
    description: String,
    props: Vec<Prop>,
    origins: Vec<Origin>,
    target: Target,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_observations: Vec<RelatedObservation>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Target {
    #[serde(rename = "type")]
    kind: &'static str,
    target_id: String,
    status: ObjectiveStatus,
}

#[derive(Serialize)]
struct ObjectiveStatus {
    state: &'static str,
    reason: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    remarks: Option<String>,
}

const ASSESSOR: Role = Role { id: "assessor", title: "Tổ chức, đơn vị kiểm tra, đánh giá" };

/// Satisfied / not satisfied, and why (pass, fail, other).
fn objective_status(r: RequirementResult) -> ObjectiveStatus {
    let (state, reason) = match r {
        RequirementResult::Compliant => ("satisfied", "pass"),
        RequirementResult::Partly | RequirementResult::NonCompliant => ("not-satisfied", "fail"),
        RequirementResult::NotApplicable => ("satisfied", "other"),
    };
    ObjectiveStatus { state, reason, remarks: Some(format!("{}.", r.label_vi())) }
}

fn evidence_resource(ids: &Ids, e: &EvidenceIn, sha: &str) -> Resource {
    let rlinks = opt_line(e.href.as_deref())
        .map(|href| Rlink {
            href,
            media_type: opt_line(e.media_type.as_deref()),
            hashes: vec![Hash { algorithm: "SHA-256", value: sha.to_string() }],
        })
        .into_iter()
        .collect();
    Resource {
        uuid: ids.uuid("evidence", sha),
        title: line(&e.file_name, sha),
        description: opt_line(e.description.as_deref()),
        props: prop("sha256", sha).into_iter().collect(),
        rlinks,
    }
}

fn plan_resource(ids: &Ids, input: &AssessmentInput, title: &str) -> Resource {
    let rlinks = opt_line(input.plan_href.as_deref())
        .map(|href| Rlink { href, media_type: None, hashes: Vec::new() })
        .into_iter()
        .collect();
    Resource {
        uuid: ids.uuid("assessment-plan", input.assessment_key.trim()),
        title: format!("Kế hoạch kiểm tra, đánh giá — {title}"),
        description: Some(if input.plan_href.as_deref().is_some_and(|h| !h.trim().is_empty()) {
            "Kế hoạch kiểm tra, đánh giá của đợt đánh giá này.".to_string()
        } else {
            "Kế hoạch kiểm tra, đánh giá chưa được xuất ra OSCAL; tài nguyên này giữ chỗ cho import-ap.".to_string()
        }),
        props: Vec::new(),
        rlinks,
    }
}

pub(super) fn export(input: &AssessmentInput) -> Result<Vec<u8>, OscalExportError> {
    if input.end.is_some_and(|end| end < input.start) {
        return Err(OscalExportError::EndBeforeStart);
    }
    let tokens = requirement_tokens(input.requirements.iter().map(|r| r.id.as_str()))?;
    let ids = Ids::new(&input.namespace_id);
    let key = input.assessment_key.trim();
    let title = line(&input.title, "Kết quả kiểm tra, đánh giá");
    let system_name = line(&input.system.name, "(chưa có tên)");

    let mut metadata =
        Metadata::new(format!("Kết quả kiểm tra, đánh giá — {title}"), &input.last_modified, &input.version);
    metadata.props =
        [prop("system-code", &input.system.code), prop("system-name", &system_name)].into_iter().flatten().collect();
    metadata.assign(&ids, ASSESSOR, &input.assessor);
    let assessor_uuid = party_uuid(&ids, &input.assessor);

    let plan = plan_resource(&ids, input, &title);
    let catalogue = catalogue_resource(&ids, &input.catalogue);
    let import_ap = ImportAp { href: fragment(&plan.uuid) };
    let collected = ts(&input.end.unwrap_or(input.start));

    let mut resources = vec![plan];
    let mut observations = Vec::new();
    let mut findings = Vec::new();
    let mut counts = [0usize; 4];
    for (r, token) in input.requirements.iter().zip(&tokens) {
        let req_title = opt_line(r.title.as_deref());
        let named = match &req_title {
            Some(t) => format!("{} — {t}", line(&r.id, token)),
            None => line(&r.id, token),
        };
        let note = r.note.as_deref().map(|n| block(n, "")).filter(|n| !n.is_empty());

        let mut evidence = Vec::new();
        for e in &r.evidence {
            let sha = e.sha256.trim().to_ascii_lowercase();
            if !is_sha256(&sha) {
                return Err(OscalExportError::InvalidSha256 { file_name: e.file_name.clone() });
            }
            let res = evidence_resource(&ids, e, &sha);
            let file = line(&e.file_name, &sha);
            evidence.push(RelevantEvidence {
                href: fragment(&res.uuid),
                description: match opt_line(e.description.as_deref()) {
                    Some(d) => format!("{file}: {d}"),
                    None => format!("Tệp bằng chứng {file}."),
                },
                props: prop("sha256", &sha).into_iter().collect(),
            });
            if !resources.iter().any(|x: &Resource| x.uuid == res.uuid) {
                resources.push(res);
            }
        }
        let observation_uuid =
            (note.is_some() || !evidence.is_empty()).then(|| ids.uuid("observation", &format!("{key}:{token}")));
        if let Some(uuid) = &observation_uuid {
            observations.push(Observation {
                uuid: uuid.clone(),
                title: Some(format!("Ghi nhận — {named}")),
                description: note.clone().unwrap_or_else(|| format!("Bằng chứng cho yêu cầu {}.", line(&r.id, token))),
                props: prop("original-control-id", &r.id).into_iter().collect(),
                links: Vec::new(),
                methods: vec!["EXAMINE"],
                types: vec!["control-objective"],
                origins: party_origin(&assessor_uuid),
                relevant_evidence: evidence,
                collected: collected.clone(),
            });
        }
        let Some(result) = r.result else { continue };
        let [compliant, partly, non_compliant, not_applicable] = &mut counts;
        let slot = match result {
            RequirementResult::Compliant => compliant,
            RequirementResult::Partly => partly,
            RequirementResult::NonCompliant => non_compliant,
            RequirementResult::NotApplicable => not_applicable,
        };
        *slot += 1;
        let description = match &note {
            Some(n) => format!("Kết quả: {}.\n\n{n}", result.label_vi()),
            None => format!("Kết quả: {}.", result.label_vi()),
        };
        findings.push(Finding {
            uuid: ids.uuid("finding", &format!("{key}:{token}")),
            title: named,
            description,
            props: [prop("original-control-id", &r.id), prop("assessment-result", result.code())]
                .into_iter()
                .flatten()
                .collect(),
            origins: party_origin(&assessor_uuid),
            target: Target { kind: "objective-id", target_id: token.clone(), status: objective_status(result) },
            related_observations: observation_uuid
                .map(|observation_uuid| RelatedObservation { observation_uuid })
                .into_iter()
                .collect(),
        });
    }

    let [compliant, partly, non_compliant, not_applicable] = counts;
    let description = match input.summary.as_deref().map(|s| block(s, "")).filter(|s| !s.is_empty()) {
        Some(s) => s,
        None => format!(
            "Đánh giá hệ thống «{system_name}» theo danh mục «{}»: {} yêu cầu được xem xét; {compliant} đạt, {partly} đạt một phần, {non_compliant} không đạt, {not_applicable} không áp dụng.",
            catalogue.title,
            tokens.len()
        ),
    };
    let selection = if tokens.is_empty() {
        ControlSelection {
            description: "Chưa có yêu cầu nào được xem xét.".into(), include_controls: Vec::new()
        }
    } else {
        ControlSelection {
            description: "Các yêu cầu được xem xét trong đợt đánh giá.".into(),
            include_controls: tokens.iter().map(|t| SelectControl { control_id: t.clone() }).collect(),
        }
    };
    let reviewed_controls = ReviewedControls {
        description: format!(
            "Yêu cầu của danh mục «{}» phiên bản {}.",
            catalogue.title,
            line(&input.catalogue.version, "1")
        ),
        links: vec![Link {
            href: fragment(&catalogue.uuid),
            rel: Some("reference"),
            text: Some(catalogue.title.clone()),
        }],
        control_selections: vec![selection],
    };
    resources.insert(1, catalogue);

    let result = AResult {
        uuid: ids.uuid("result", key),
        title,
        description,
        start: ts(&input.start),
        end: input.end.as_ref().map(ts),
        props: [prop("system-code", &input.system.code)].into_iter().flatten().collect(),
        reviewed_controls,
        observations,
        findings,
    };
    let doc = AssessmentResults {
        uuid: ids.uuid("assessment-results", key),
        metadata,
        import_ap,
        results: vec![result],
        back_matter: BackMatter::of(resources),
    };
    to_bytes("assessment-results", &doc)
}
