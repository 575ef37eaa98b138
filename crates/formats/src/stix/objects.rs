//! The STIX objects written on export, as serde structs so that properties
//! come out in the usual order (type, spec_version, id, …).

use std::collections::BTreeMap;

use serde::Serialize;

use super::vocab::Tlp;

/// Every object written to a bundle.
#[derive(Serialize)]
#[serde(untagged)]
pub(crate) enum Obj {
    Identity(Identity),
    Marking(Marking),
    Incident(Box<Incident>),
    Sco(Sco),
    ObservedData(ObservedData),
    Indicator(Indicator),
    Sighting(Sighting),
    Relationship(Relationship),
}

/// Properties every SDO and SRO written here has, in front.
#[derive(Serialize)]
pub(crate) struct Common {
    #[serde(rename = "type")]
    pub type_: &'static str,
    pub spec_version: &'static str,
    pub id: String,
    pub created_by_ref: String,
    pub created: String,
    pub modified: String,
}

#[derive(Serialize)]
pub(crate) struct Identity {
    #[serde(flatten)]
    pub common: Common,
    pub name: String,
    pub identity_class: String,
    pub object_marking_refs: Vec<&'static str>,
}

/// An official TLP 2.0 marking definition, exactly as published.
#[derive(Serialize)]
pub(crate) struct Marking {
    #[serde(rename = "type")]
    pub type_: &'static str,
    pub spec_version: &'static str,
    pub id: &'static str,
    pub created: String,
    pub name: &'static str,
    pub extensions: MarkingExtensions,
}

#[derive(Serialize)]
pub(crate) struct MarkingExtensions {
    #[serde(rename = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d")]
    pub tlp: TlpExtension,
}

#[derive(Serialize)]
pub(crate) struct TlpExtension {
    pub extension_type: &'static str,
    pub tlp_2_0: &'static str,
}

impl Marking {
    pub(crate) fn tlp(t: Tlp) -> Self {
        Marking {
            type_: "marking-definition",
            spec_version: "2.1",
            id: t.marking_id(),
            created: super::ids::ts(&Tlp::marking_created()),
            name: t.label(),
            extensions: MarkingExtensions {
                tlp: TlpExtension { extension_type: "property-extension", tlp_2_0: t.as_str() },
            },
        }
    }
}

#[derive(Serialize)]
pub(crate) struct ExternalReference {
    pub source_name: &'static str,
    pub external_id: String,
}

#[derive(Serialize)]
pub(crate) struct Incident {
    #[serde(flatten)]
    pub common: Common,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub external_references: Vec<ExternalReference>,
    pub object_marking_refs: Vec<&'static str>,
    pub extensions: IncidentExtensions,
}

#[derive(Serialize)]
pub(crate) struct IncidentExtensions {
    #[serde(rename = "extension-definition--ef765651-680c-498d-9894-99799f2fa126")]
    pub core: IncidentCore,
}

/// The Incident Core Extension's properties used here.
#[derive(Serialize)]
pub(crate) struct IncidentCore {
    pub extension_type: &'static str,
    pub determination: &'static str,
    pub investigation_status: &'static str,
    pub incident_types: Vec<&'static str>,
    pub criticality: u8,
}

/// A Cyber-observable Object with a `value` (addresses, domain names, URLs,
/// e-mail addresses) or `hashes` (files).
#[derive(Serialize)]
pub(crate) struct Sco {
    #[serde(rename = "type")]
    pub type_: &'static str,
    pub spec_version: &'static str,
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hashes: Option<BTreeMap<&'static str, String>>,
    pub object_marking_refs: Vec<&'static str>,
}

#[derive(Serialize)]
pub(crate) struct ObservedData {
    #[serde(flatten)]
    pub common: Common,
    pub first_observed: String,
    pub last_observed: String,
    pub number_observed: u32,
    pub object_refs: Vec<String>,
    pub object_marking_refs: Vec<&'static str>,
}

#[derive(Serialize)]
pub(crate) struct Indicator {
    #[serde(flatten)]
    pub common: Common,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub indicator_types: Vec<&'static str>,
    pub pattern: String,
    pub pattern_type: &'static str,
    pub pattern_version: &'static str,
    pub valid_from: String,
    pub object_marking_refs: Vec<&'static str>,
}

#[derive(Serialize)]
pub(crate) struct Sighting {
    #[serde(flatten)]
    pub common: Common,
    pub first_seen: String,
    pub last_seen: String,
    pub count: u32,
    pub sighting_of_ref: String,
    pub observed_data_refs: Vec<String>,
    pub where_sighted_refs: Vec<String>,
    pub object_marking_refs: Vec<&'static str>,
}

#[derive(Serialize)]
pub(crate) struct Relationship {
    #[serde(flatten)]
    pub common: Common,
    pub relationship_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'static str>,
    pub source_ref: String,
    pub target_ref: String,
    pub object_marking_refs: Vec<&'static str>,
}
