//! Between the store's incidents and the STIX 2.1 formats: what a bundle is made of, and
//! watch-list entries from an imported bundle.

use chrono::{DateTime, Utc};
use khien_domain::incident::observable::ObservableKind;
use khien_domain::incident::Tlp;
use khien_domain::{Error, Msg};
use khien_formats::stix::{ExportInput, IdentityIn, ImportedBundle, IncidentIn, ObservableIn, StixError};
use khien_store::{ExportedIncident, WatchInput};

fn at(ms: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default()
}

fn unit_identity(id: i64, name: &str) -> IdentityIn {
    IdentityIn { key: format!("unit:{id}"), name: name.to_string(), identity_class: "organization".into() }
}

/// The export input for these incidents, produced by the city authority `authority_name`.
pub fn export_input(authority_name: &str, incidents: &[ExportedIncident]) -> ExportInput {
    let incidents = incidents
        .iter()
        .map(|e| {
            let i = &e.incident;
            IncidentIn {
                key: format!("incident:{}", i.id),
                code: i.code.clone(),
                name: i.title.clone(),
                description: i.symptoms.clone(),
                created: at(i.created_at),
                modified: at(i.updated_at.max(i.created_at)),
                detected_at: at(i.detected_at),
                reporting_unit: unit_identity(i.unit_id, &i.unit_name),
                category: i.category.code().to_string(),
                state: i.state.code().to_string(),
                priority: u8::try_from(i.priority).unwrap_or(3),
                serious: i.serious,
                tlp: i.tlp.code().to_string(),
                observables: e
                    .observables
                    .iter()
                    .map(|o| ObservableIn {
                        key: format!("observable:{}", o.id),
                        kind: o.kind.code().to_string(),
                        value: o.value.clone(),
                        first_seen: o.first_seen.map(at),
                        last_seen: o.last_seen.map(at),
                        tlp: o.tlp.code().to_string(),
                        source: o.source.clone(),
                    })
                    .collect(),
                related: e.related.iter().map(|r| format!("incident:{r}")).collect(),
            }
        })
        .collect();
    ExportInput {
        namespace_id: format!("khien:{authority_name}"),
        authority: IdentityIn {
            key: "authority".into(),
            name: authority_name.to_string(),
            identity_class: "organization".into(),
        },
        incidents,
    }
}

/// A STIX error as an input error naming the object and the property.
pub fn stix_error(e: &StixError) -> Error {
    let field = match (e.object(), e.property()) {
        (Some(o), Some(p)) => format!("{o}.{p}"),
        (Some(o), None) => o.to_string(),
        (None, Some(p)) => p.to_string(),
        (None, None) => "bundle".to_string(),
    };
    Error::Invalid { field: Some(field), msg: Msg::new(e.message_vi(), e.message_en()) }
}

/// The bundle's indicators as watch-list entries; the parser gives kinds and TLP levels from the
/// same lists as the domain's enums.
pub fn watch_inputs(b: &ImportedBundle) -> Result<Vec<WatchInput>, Error> {
    b.indicators
        .iter()
        .map(|w| {
            Ok(WatchInput {
                stix_id: w.stix_id.clone(),
                kind: ObservableKind::parse("kind", &w.kind)?,
                value: w.value.clone(),
                name: w.name.clone(),
                valid_from: w.valid_from.map(|t| t.timestamp_millis()),
                valid_until: w.valid_until.map(|t| t.timestamp_millis()),
                tlp: w.tlp.as_deref().map(|t| Tlp::parse("tlp", t)).transpose()?,
                labels: w.labels.clone(),
                source: w.source.clone(),
            })
        })
        .collect()
}
