//! The Plan of Action and Milestones (kế hoạch khắc phục) of one system, from its findings.

use khien_domain::Lang;
use serde::Serialize;

use super::assess::*;
use super::common::*;
use super::model::{PoamInput, PoamItemIn};
use super::OscalExportError;

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Poam {
    uuid: String,
    metadata: Metadata,
    system_id: SystemId,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    observations: Vec<Observation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    risks: Vec<Risk>,
    poam_items: Vec<PoamItem>,
}

#[derive(Serialize)]
struct SystemId {
    id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Risk {
    uuid: String,
    title: String,
    description: String,
    statement: String,
    props: Vec<Prop>,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    deadline: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    remediations: Vec<Response>,
    related_observations: Vec<RelatedObservation>,
}

#[derive(Serialize)]
struct Response {
    uuid: String,
    lifecycle: &'static str,
    title: &'static str,
    description: String,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct PoamItem {
    uuid: String,
    title: String,
    description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_observations: Vec<RelatedObservation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_risks: Vec<RelatedRisk>,
}

const OWNER: Role = Role { id: "system-owner", title: "Chủ quản hệ thống thông tin" };

/// Severity, CVSS, CVEs, host, port and protocol as properties.
fn finding_props(it: &PoamItemIn) -> Vec<Prop> {
    let mut props: Vec<Prop> = prop("severity", it.severity.code()).into_iter().collect();
    if let Some(score) = it.cvss_score.filter(|s| s.is_finite()) {
        props.extend(prop("cvss-score", &format!("{score:.1}")));
    }
    props.extend(it.cves.iter().filter_map(|c| prop("cve", c)));
    props.extend(it.host.as_deref().and_then(|h| prop("host", h)));
    props.extend(it.port.and_then(|p| prop("port", &p.to_string())));
    props.extend(it.protocol.as_deref().and_then(|p| prop("protocol", p)));
    props
}

/// "Mức độ nghiêm trọng: Cao (CVSS 8.1). Vị trí: 10.0.0.5:443/tcp. CVE-2024-1234."
fn generated_statement(it: &PoamItemIn) -> String {
    let mut s = format!("Mức độ nghiêm trọng: {}", it.severity.label(Lang::Vi));
    if let Some(score) = it.cvss_score.filter(|s| s.is_finite()) {
        s.push_str(&format!(" (CVSS {score:.1})"));
    }
    s.push('.');
    if let Some(host) = opt_line(it.host.as_deref()) {
        let port = it.port.map(|p| format!(":{p}")).unwrap_or_default();
        let proto =
            opt_line(it.protocol.as_deref()).filter(|_| it.port.is_some()).map(|p| format!("/{p}")).unwrap_or_default();
        s.push_str(&format!(" Vị trí: {host}{port}{proto}."));
    }
    let cves: Vec<String> = it.cves.iter().filter_map(|c| opt_line(Some(c))).collect();
    if !cves.is_empty() {
        s.push_str(&format!(" {}.", cves.join(", ")));
    }
    s
}

pub(super) fn export(input: &PoamInput) -> Result<Vec<u8>, OscalExportError> {
    let mut unique = Unique::new("finding key");
    for it in &input.items {
        unique.check(it.key.trim())?;
    }
    let ids = Ids::new(&input.namespace_id);
    let key = input.system.key.trim();
    let name = line(&input.system.name, "(chưa có tên)");

    let mut metadata = Metadata::new(format!("Kế hoạch khắc phục — {name}"), &input.last_modified, &input.version);
    metadata.props =
        [prop("system-code", &input.system.code), prop("system-name", &name)].into_iter().flatten().collect();
    metadata.assign(&ids, OWNER, &input.owner);

    let mut observations = Vec::new();
    let mut risks = Vec::new();
    let mut items = Vec::new();
    for it in &input.items {
        let ikey = format!("{key}:{}", it.key.trim());
        let title = line(&it.title, "Phát hiện");
        let description = block(&it.description, &title);
        let observation_uuid = ids.uuid("poam-observation", &ikey);
        let risk_uuid = ids.uuid("risk", &ikey);
        let mut obs_props = finding_props(it);
        obs_props.extend(it.source.as_deref().and_then(|s| prop("source-tool", s)));
        observations.push(Observation {
            uuid: observation_uuid.clone(),
            title: Some(title.clone()),
            description: description.clone(),
            props: obs_props,
            links: Vec::new(),
            methods: vec!["TEST"],
            types: vec!["finding"],
            origins: Vec::new(),
            relevant_evidence: Vec::new(),
            collected: ts(&it.first_seen),
        });
        let statement = it
            .statement
            .as_deref()
            .map(|s| block(s, ""))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| generated_statement(it));
        let remediations = it
            .remediation
            .as_deref()
            .map(|r| block(r, ""))
            .filter(|r| !r.is_empty())
            .map(|description| Response {
                uuid: ids.uuid("remediation", &ikey),
                lifecycle: "planned",
                title: "Biện pháp khắc phục",
                description,
            })
            .into_iter()
            .collect();
        risks.push(Risk {
            uuid: risk_uuid.clone(),
            title: title.clone(),
            description: description.clone(),
            statement,
            props: finding_props(it),
            status: it.status.code(),
            deadline: it.due.map(end_of_day_vn),
            remediations,
            related_observations: vec![RelatedObservation { observation_uuid: observation_uuid.clone() }],
        });
        let mut props = finding_props(it);
        if let Some(req) = it.requirement_id.as_deref().filter(|r| !r.trim().is_empty()) {
            props.extend(prop("control-id", &control_token(req)));
            props.extend(prop("original-control-id", req));
        }
        props.extend(it.due.and_then(|d| prop("due-date", &d.to_string())));
        items.push(PoamItem {
            uuid: ids.uuid("poam-item", &ikey),
            title,
            description,
            props,
            related_observations: vec![RelatedObservation { observation_uuid }],
            related_risks: vec![RelatedRisk { risk_uuid }],
        });
    }
    if items.is_empty() {
        // OSCAL requires at least one item: one that says there is nothing to do.
        items.push(PoamItem {
            uuid: ids.uuid("poam-item", &format!("{key}:none")),
            title: "Không có hạng mục cần khắc phục".into(),
            description: "Tại thời điểm lập kế hoạch, hệ thống không có phát hiện nào đang mở cần khắc phục.".into(),
            props: prop("placeholder", "true").into_iter().collect(),
            related_observations: Vec::new(),
            related_risks: Vec::new(),
        });
    }
    let doc = Poam {
        uuid: ids.uuid("plan-of-action-and-milestones", key),
        metadata,
        system_id: SystemId { id: line(&input.system.code, key) },
        observations,
        risks,
        poam_items: items,
    };
    to_bytes("plan-of-action-and-milestones", &doc)
}
