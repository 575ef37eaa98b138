//! STIX 2.1 export of incidents and import of watch-list observables. Pure:
//! values in, bytes out, and bytes in, values out.
//!
//! Export ([`export_bundle`]) writes one bundle:
//!
//! - an `identity` for the authority (`created_by_ref` of every SDO/SRO)
//!   and one per reporting unit, marked with the strictest TLP of the
//!   incidents they reported (the authority: of all incidents), with a
//!   fixed `created`/`modified` (2020-01-01);
//! - the official TLP 2.0 `marking-definition`s in use (extension
//!   `extension-definition--60a3c5c5-…`, as published in
//!   oasis-open/cti-stix-common-objects);
//! - an `incident` per incident with the Incident Core Extension
//!   (`extension-definition--ef765651-…`): `investigation_status` new /
//!   open / closed from the state, `determination` `suspected` (Khiên does
//!   not record the outcome), `incident_types` from the category
//!   (event-type-ov, plus `major` when serious), `criticality` from
//!   serious and priority (95 if serious, else 70, 40, 20, 10 for priority
//!   1–4, after the extension's Appendix B); the Khiên code as external
//!   reference `khien`; `related-to` its reporting unit;
//! - per observable: an SCO (ipv4-addr, ipv6-addr — CIDR ranges in
//!   `value` —, domain-name, url, email-addr, file with `hashes`) with its
//!   spec-defined UUID v5 id, an `observed-data`, an `indicator`
//!   (`malicious-activity`, STIX pattern, `valid_from` first seen) `based-on`
//!   the observed-data, a `sighting` of the indicator where the reporting
//!   unit saw it, and `related-to` from the incident to the indicator and to
//!   the observed-data; an observable key met again in another incident
//!   adds only these two relationships;
//! - `related-to` between related incidents of the export.
//!
//! Ids are UUID v5: SCOs per the specification (so they match other
//! producers'), all others from `namespace_id` and the input keys (the
//! STIX validator's best-practice check 103 prefers UUID v4 there and warns).
//! Observable values are checked and canonicalised by
//! [`normalize_observable`], which entry forms can use too.
//!
//! Import ([`parse_bundle`]) reads observables for a watch list; see there.

mod check;
mod error;
mod export;
mod extract;
mod ids;
mod import;
mod model;
mod objects;
mod observable;
mod pattern;
mod vocab;

pub use error::{PatternProblem, StixError, StixErrorKind};
pub use export::{export_bundle, prepare_bundle, PreparedBundle};
pub use import::{parse_bundle, MAX_OBJECTS, MAX_STRING_BYTES};
pub use model::{ExportInput, IdentityIn, ImportedBundle, IncidentIn, ObservableIn, WatchItem};
pub use observable::{normalize_observable, OBSERVABLE_KINDS};
pub use vocab::{CATEGORIES, INCIDENT_CORE_EXTENSION_ID, STATES, TLP2_EXTENSION_ID, TLP_LEVELS};

#[cfg(test)]
mod tests;
