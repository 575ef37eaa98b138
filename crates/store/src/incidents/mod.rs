//! Incidents: reporting and the queues, working an incident, the reporting clocks, sharing
//! (STIX, the watch list, TAXII collections and remote pushes) and reports from the public.

pub(crate) mod clocks;
pub(crate) mod exchange;
pub(crate) mod files;
pub(crate) mod incident;
pub(crate) mod incident_model;
pub(crate) mod network;
pub(crate) mod public_report_model;
pub(crate) mod public_reports;
pub(crate) mod stats;
pub(crate) mod taxii;
pub(crate) mod taxii_remotes;
pub(crate) mod work;
