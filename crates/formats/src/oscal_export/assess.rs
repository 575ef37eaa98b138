//! Assessment-layer objects shared by the Assessment Results and the POA&M: observations and
//! their origins.

use serde::Serialize;

use super::common::{Link, Prop};

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct Actor {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub actor_uuid: String,
}

#[derive(Serialize)]
pub(super) struct Origin {
    pub actors: Vec<Actor>,
}

/// An origin naming one party (the assessor, the owner).
pub(super) fn party_origin(party_uuid: &str) -> Vec<Origin> {
    vec![Origin { actors: vec![Actor { kind: "party", actor_uuid: party_uuid.to_string() }] }]
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct RelevantEvidence {
    pub href: String,
    pub description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct Observation {
    pub uuid: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// EXAMINE, INTERVIEW, TEST or UNKNOWN.
    pub methods: Vec<&'static str>,
    /// finding, control-objective, mitigation, historic, ssp-statement-issue.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub types: Vec<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub origins: Vec<Origin>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub relevant_evidence: Vec<RelevantEvidence>,
    pub collected: String,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct RelatedObservation {
    pub observation_uuid: String,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct RelatedRisk {
    pub risk_uuid: String,
}
