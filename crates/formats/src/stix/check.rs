//! Checks of the export input, before anything is written.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::model::{ExportInput, IdentityIn, IncidentIn, ObservableIn};
use super::observable::{self, Kind, OBSERVABLE_KINDS};
use super::vocab::{self, Tlp, CATEGORIES, STATES, TLP_LEVELS};
use super::{StixError, StixErrorKind as K};

pub(crate) struct CheckedObservable<'a> {
    pub obs: &'a ObservableIn,
    pub kind: Kind,
    /// Normalised value.
    pub value: String,
    pub tlp: Tlp,
    pub first: DateTime<Utc>,
    pub last: DateTime<Utc>,
}

pub(crate) struct CheckedIncident<'a> {
    pub inc: &'a IncidentIn,
    pub tlp: Tlp,
    pub status: &'static str,
    pub incident_types: Vec<&'static str>,
    pub criticality: u8,
    pub observables: Vec<CheckedObservable<'a>>,
}

fn err(object: &str, property: &str, kind: K) -> StixError {
    StixError::new(Some(object), Some(property), kind)
}

fn required(object: &str, property: &str, value: &str) -> Result<(), StixError> {
    if value.trim().is_empty() {
        return Err(err(object, property, K::EmptyValue));
    }
    Ok(())
}

fn tlp(object: &str, property: &str, value: &str) -> Result<Tlp, StixError> {
    Tlp::parse(value)
        .ok_or_else(|| err(object, property, K::UnknownValue { value: value.to_string(), allowed: TLP_LEVELS }))
}

/// Checks an identity; `seen` maps keys to names already met.
fn identity<'a>(who: &'a IdentityIn, fallback: &str, seen: &mut HashMap<&'a str, &'a str>) -> Result<(), StixError> {
    let label = if who.key.trim().is_empty() { fallback } else { who.key.trim() };
    required(label, "key", &who.key)?;
    required(label, "name", &who.name)?;
    required(label, "identity_class", &who.identity_class)?;
    match seen.get(who.key.trim()) {
        Some(name) if *name != who.name.trim() => {
            Err(err(label, "name", K::DuplicateKey { key: who.key.trim().to_string() }))
        }
        _ => {
            seen.insert(who.key.trim(), who.name.trim());
            Ok(())
        }
    }
}

/// Checks the whole input; returns the incidents with derived values.
pub(crate) fn input(input: &ExportInput) -> Result<Vec<CheckedIncident<'_>>, StixError> {
    required("namespace_id", "namespace_id", &input.namespace_id)?;
    let mut identities = HashMap::new();
    identity(&input.authority, "authority", &mut identities)?;
    let mut incident_keys: HashMap<&str, ()> = HashMap::new();
    let mut observables: HashMap<&str, (Kind, String)> = HashMap::new();
    let mut out = Vec::with_capacity(input.incidents.len());
    for (n, inc) in input.incidents.iter().enumerate() {
        let fallback = format!("incidents[{n}]");
        let label = if inc.key.trim().is_empty() { fallback.as_str() } else { inc.key.trim() };
        required(label, "key", &inc.key)?;
        if incident_keys.insert(inc.key.trim(), ()).is_some() {
            return Err(err(label, "key", K::DuplicateKey { key: inc.key.trim().to_string() }));
        }
        required(label, "code", &inc.code)?;
        required(label, "name", &inc.name)?;
        if inc.modified < inc.created {
            return Err(err(label, "modified", K::TimeOrder { earlier: "created" }));
        }
        identity(&inc.reporting_unit, label, &mut identities)?;
        let unknown = |property: &str, value: &str, allowed| {
            err(label, property, K::UnknownValue { value: value.to_string(), allowed })
        };
        let status =
            vocab::investigation_status(inc.state.trim()).ok_or_else(|| unknown("state", &inc.state, STATES))?;
        let category =
            vocab::incident_type(inc.category.trim()).ok_or_else(|| unknown("category", &inc.category, CATEGORIES))?;
        if !(1..=4).contains(&inc.priority) {
            return Err(err(label, "priority", K::OutOfRange { value: i64::from(inc.priority), min: 1, max: 4 }));
        }
        let mut incident_types = vec![category];
        if inc.serious {
            incident_types.push("major");
        }
        let mut checked = Vec::with_capacity(inc.observables.len());
        for (m, obs) in inc.observables.iter().enumerate() {
            let c = observable_in(inc, obs, &format!("{label}.observables[{m}]"))?;
            let entry = observables.entry(obs.key.trim()).or_insert((c.kind, c.value.clone()));
            if entry.0 != c.kind || entry.1 != c.value {
                return Err(err(obs.key.trim(), "key", K::DuplicateKey { key: obs.key.trim().to_string() }));
            }
            checked.push(c);
        }
        out.push(CheckedIncident {
            inc,
            tlp: tlp(label, "tlp", &inc.tlp)?,
            status,
            incident_types,
            criticality: vocab::criticality(inc.serious, inc.priority),
            observables: checked,
        });
    }
    Ok(out)
}

fn observable_in<'a>(
    inc: &IncidentIn,
    obs: &'a ObservableIn,
    fallback: &str,
) -> Result<CheckedObservable<'a>, StixError> {
    let label = if obs.key.trim().is_empty() { fallback } else { obs.key.trim() };
    required(label, "key", &obs.key)?;
    let kind = Kind::parse(&obs.kind)
        .ok_or_else(|| err(label, "kind", K::UnknownValue { value: obs.kind.clone(), allowed: OBSERVABLE_KINDS }))?;
    let value = observable::normalize(kind, &obs.value).ok_or_else(|| {
        err(label, "value", K::InvalidObservable { kind: kind.as_str().to_string(), value: obs.value.clone() })
    })?;
    let (first, last) = match (obs.first_seen, obs.last_seen) {
        (Some(f), Some(l)) if l < f => return Err(err(label, "last_seen", K::TimeOrder { earlier: "first_seen" })),
        (Some(f), Some(l)) => (f, l),
        (Some(f), None) => (f, f),
        (None, Some(l)) => (inc.detected_at.min(l), l),
        (None, None) => (inc.detected_at, inc.detected_at),
    };
    Ok(CheckedObservable { obs, kind, value, tlp: tlp(label, "tlp", &obs.tlp)?, first, last })
}
