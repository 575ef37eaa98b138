//! The System Security Plan (Kế hoạch bảo đảm an toàn) of one information system.

use serde::Serialize;

use super::common::*;
use super::model::{RequirementResult, SspInput, SystemState};
use super::OscalExportError;

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Ssp {
    uuid: String,
    metadata: Metadata,
    import_profile: ImportProfile,
    system_characteristics: Characteristics,
    system_implementation: Implementation,
    control_implementation: ControlImplementation,
    #[serde(skip_serializing_if = "Option::is_none")]
    back_matter: Option<BackMatter>,
}

#[derive(Serialize)]
struct ImportProfile {
    href: String,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Characteristics {
    system_ids: Vec<SystemId>,
    system_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    system_name_short: Option<String>,
    description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    security_sensitivity_level: Option<String>,
    system_information: SystemInformation,
    security_impact_level: ImpactLevel,
    status: Status,
    authorization_boundary: Described,
}

#[derive(Serialize)]
struct SystemId {
    id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct SystemInformation {
    information_types: Vec<InformationType>,
}

#[derive(Serialize)]
struct InformationType {
    uuid: String,
    title: String,
    description: String,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct ImpactLevel {
    security_objective_confidentiality: String,
    security_objective_integrity: String,
    security_objective_availability: String,
}

#[derive(Serialize)]
struct Status {
    state: &'static str,
}

#[derive(Serialize)]
struct Described {
    description: String,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Implementation {
    users: Vec<User>,
    components: Vec<Component>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct User {
    uuid: String,
    title: &'static str,
    role_ids: Vec<&'static str>,
}

#[derive(Serialize)]
struct Component {
    uuid: String,
    #[serde(rename = "type")]
    kind: &'static str,
    title: String,
    description: String,
    status: Status,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct ControlImplementation {
    description: String,
    implemented_requirements: Vec<ImplementedRequirement>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct ImplementedRequirement {
    uuid: String,
    control_id: String,
    props: Vec<Prop>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    by_components: Vec<ByComponent>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct ByComponent {
    component_uuid: String,
    uuid: String,
    description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    implementation_status: Option<Status>,
}

const OWNER: Role = Role { id: "system-owner", title: "Chủ quản hệ thống thông tin" };
const OPERATOR: Role = Role { id: "operating-unit", title: "Đơn vị vận hành hệ thống thông tin" };

/// The component state (OSCAL allows fewer states there than for the system).
fn component_state(s: SystemState) -> &'static str {
    match s {
        SystemState::UnderMajorModification => "operational",
        s => s.code(),
    }
}

fn implementation_state(r: RequirementResult) -> &'static str {
    match r {
        RequirementResult::Compliant => "implemented",
        RequirementResult::Partly => "partial",
        RequirementResult::NonCompliant => "planned",
        RequirementResult::NotApplicable => "not-applicable",
    }
}

pub(super) fn export(input: &SspInput) -> Result<Vec<u8>, OscalExportError> {
    if input.requirements.is_empty() {
        return Err(OscalExportError::NoRequirements);
    }
    let tokens = requirement_tokens(input.requirements.iter().map(|r| r.id.as_str()))?;
    let ids = Ids::new(&input.namespace_id);
    let key = input.system.key.trim();
    let name = line(&input.system.name, "(chưa có tên)");

    let mut metadata =
        Metadata::new(format!("Kế hoạch bảo đảm an toàn — {name}"), &input.last_modified, &input.version);
    metadata.assign(&ids, OWNER, &input.owner);
    metadata.assign(&ids, OPERATOR, &input.operator);

    // trestle resolves the import when it validates an SSP, and it can follow a file href but
    // not a back-matter resource: the resource is written only when there is no href.
    let catalogue = catalogue_resource(&ids, &input.catalogue);
    let catalogue_title = catalogue.title.clone();
    metadata.props =
        [prop("catalogue-code", &input.catalogue.code), prop("catalogue-version", &input.catalogue.version)]
            .into_iter()
            .flatten()
            .collect();
    let (import_profile, resources) = match opt_line(input.catalogue.href.as_deref()) {
        Some(href) => (ImportProfile { href }, Vec::new()),
        None => (ImportProfile { href: fragment(&catalogue.uuid) }, vec![catalogue]),
    };

    let level = opt_line(input.sensitivity_level.as_deref());
    let impact = match &input.impact {
        Some(i) => ImpactLevel {
            security_objective_confidentiality: line(&i.confidentiality, "chua-xac-dinh"),
            security_objective_integrity: line(&i.integrity, "chua-xac-dinh"),
            security_objective_availability: line(&i.availability, "chua-xac-dinh"),
        },
        None => {
            let l = level.clone().unwrap_or_else(|| "chua-xac-dinh".into());
            ImpactLevel {
                security_objective_confidentiality: l.clone(),
                security_objective_integrity: l.clone(),
                security_objective_availability: l,
            }
        }
    };
    let characteristics = Characteristics {
        system_ids: vec![SystemId { id: line(&input.system.code, key) }],
        system_name: name.clone(),
        system_name_short: opt_line(input.short_name.as_deref()),
        description: block(&input.description, &name),
        security_sensitivity_level: level.clone(),
        system_information: SystemInformation {
            information_types: vec![InformationType {
                uuid: ids.uuid("information-type", key),
                title: line(&input.information_type.title, "Thông tin của hệ thống"),
                description: block(&input.information_type.description, "Chưa mô tả."),
            }],
        },
        security_impact_level: impact,
        status: Status { state: input.state.code() },
        authorization_boundary: Described {
            description: block(&input.boundary, "Chưa mô tả phạm vi, ranh giới của hệ thống."),
        },
    };

    let component_uuid = ids.uuid("component", &format!("{key}:this-system"));
    let implementation = Implementation {
        users: [OWNER, OPERATOR]
            .into_iter()
            .map(|r| User { uuid: ids.uuid("user", &format!("{key}:{}", r.id)), title: r.title, role_ids: vec![r.id] })
            .collect(),
        components: vec![Component {
            uuid: component_uuid.clone(),
            kind: "this-system",
            title: name.clone(),
            description: block(&input.description, &name),
            status: Status { state: component_state(input.state) },
        }],
    };

    let mut requirements = Vec::new();
    for (r, token) in input.requirements.iter().zip(tokens) {
        let mut props: Vec<Prop> =
            [prop("original-control-id", &r.id), r.title.as_deref().and_then(|t| prop("requirement-title", t))]
                .into_iter()
                .flatten()
                .collect();
        if let Some(res) = r.result {
            props.extend(prop("assessment-result", res.code()));
        }
        let statement = r.statement.as_deref().map(|s| block(s, "")).filter(|s| !s.is_empty());
        let description = match (r.result, statement) {
            (Some(res), Some(s)) => Some(format!("Kết quả đánh giá: {}.\n\n{s}", res.label_vi())),
            (Some(res), None) => Some(format!("Kết quả đánh giá: {}.", res.label_vi())),
            (None, Some(s)) => Some(s),
            (None, None) => None,
        };
        let by_components = description
            .map(|description| ByComponent {
                component_uuid: component_uuid.clone(),
                uuid: ids.uuid("by-component", &format!("{key}:{token}")),
                description,
                implementation_status: r.result.map(|res| Status { state: implementation_state(res) }),
            })
            .into_iter()
            .collect();
        requirements.push(ImplementedRequirement {
            uuid: ids.uuid("implemented-requirement", &format!("{key}:{token}")),
            control_id: token,
            props,
            by_components,
        });
    }
    let level_text = level.map(|l| format!(" ({l})")).unwrap_or_default();
    let control_implementation = ControlImplementation {
        description: format!(
            "Các yêu cầu của danh mục «{}» phiên bản {} áp dụng cho hệ thống{level_text}, với kết quả đánh giá gần nhất khi có.",
            catalogue_title,
            line(&input.catalogue.version, "1"),
        ),
        implemented_requirements: requirements,
    };

    let doc = Ssp {
        uuid: ids.uuid("system-security-plan", key),
        metadata,
        import_profile,
        system_characteristics: characteristics,
        system_implementation: implementation,
        control_implementation,
        back_matter: BackMatter::of(resources),
    };
    to_bytes("system-security-plan", &doc)
}
