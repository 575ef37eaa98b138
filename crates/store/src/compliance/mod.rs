//! Compliance: control catalogues, assessments and their results, findings from assessments
//! and scanner imports with their remediation, and the per-unit counts and day-by-day history.

pub(crate) mod assessment_findings;
pub(crate) mod assessment_model;
pub(crate) mod assessment_recording;
pub(crate) mod assessments;
pub(crate) mod catalogues;
pub(crate) mod finding_history;
pub(crate) mod findings;
pub(crate) mod scan_import;
pub(crate) mod scan_rows;
pub(crate) mod unit_compliance;
