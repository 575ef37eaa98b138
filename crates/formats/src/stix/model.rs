//! Plain data in and out of the STIX module.

use chrono::{DateTime, Utc};

/// Everything one STIX export needs.
#[derive(Debug, Clone)]
pub struct ExportInput {
    /// Identifies this Khiên installation; seeds the UUID v5 namespace of
    /// every id, so two installations never mint the same id and one
    /// installation always mints the same id for the same key.
    pub namespace_id: String,
    /// The authority producing the bundle: `created_by_ref` of every object.
    pub authority: IdentityIn,
    pub incidents: Vec<IncidentIn>,
}

/// An organisation (the authority or a reporting unit).
#[derive(Debug, Clone)]
pub struct IdentityIn {
    /// Stable local key, e.g. `unit:42`; the identity's id derives from it.
    pub key: String,
    pub name: String,
    /// STIX identity class, normally `organization`.
    pub identity_class: String,
}

/// One incident with its observables.
#[derive(Debug, Clone)]
pub struct IncidentIn {
    /// Stable local key, e.g. `incident:17`; the incident's id derives from it.
    pub key: String,
    /// Human code such as `SC-2026-0017`, exported as an external reference.
    pub code: String,
    pub name: String,
    pub description: Option<String>,
    pub created: DateTime<Utc>,
    /// Must not be before `created`.
    pub modified: DateTime<Utc>,
    /// Also the default first/last sighting time of observables without one.
    pub detected_at: DateTime<Utc>,
    pub reporting_unit: IdentityIn,
    /// One of [`CATEGORIES`](super::CATEGORIES).
    pub category: String,
    /// One of [`STATES`](super::STATES).
    pub state: String,
    /// 1 (most urgent) to 4.
    pub priority: u8,
    /// A serious incident as defined by regulation.
    pub serious: bool,
    /// One of [`TLP_LEVELS`](super::TLP_LEVELS).
    pub tlp: String,
    pub observables: Vec<ObservableIn>,
    /// Keys of other incidents of the same export it is related to; keys of
    /// incidents outside the export are ignored.
    pub related: Vec<String>,
}

/// One indicator of compromise attached to an incident.
#[derive(Debug, Clone)]
pub struct ObservableIn {
    /// Stable local key, e.g. `observable:5`; the indicator, observed-data
    /// and sighting ids derive from it.
    pub key: String,
    /// One of [`OBSERVABLE_KINDS`](super::OBSERVABLE_KINDS).
    pub kind: String,
    pub value: String,
    pub first_seen: Option<DateTime<Utc>>,
    pub last_seen: Option<DateTime<Utc>>,
    /// One of [`TLP_LEVELS`](super::TLP_LEVELS).
    pub tlp: String,
    /// Where the observable came from (a tool, a feed…): the indicator's
    /// description.
    pub source: Option<String>,
}

/// What [`parse_bundle`](super::parse_bundle) found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedBundle {
    /// Number of STIX objects read (the bundle's `objects`).
    pub objects: usize,
    /// Observables for a watch list, in bundle order, indicators first.
    pub indicators: Vec<WatchItem>,
    /// (object id, reason in English) of indicators and observables that
    /// could not be used, wholly or in part.
    pub skipped: Vec<(String, String)>,
}

/// One observable for a watch list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchItem {
    /// The indicator, observable or observed-data it comes from.
    pub stix_id: String,
    /// One of [`OBSERVABLE_KINDS`](super::OBSERVABLE_KINDS).
    pub kind: String,
    /// Trimmed; hashes and domain names in lower case; addresses in their
    /// canonical text form.
    pub value: String,
    pub name: Option<String>,
    pub valid_from: Option<DateTime<Utc>>,
    pub valid_until: Option<DateTime<Utc>>,
    /// The strictest TLP marking (`clear`, `green`, `amber`, `amber+strict`,
    /// `red`; TLP 1.0 `white` reads as `clear`).
    pub tlp: Option<String>,
    /// The object's `labels` then its `indicator_types`, without repeats.
    pub labels: Vec<String>,
    /// The name of the `created_by_ref` identity when it is in the bundle.
    pub source: Option<String>,
}
