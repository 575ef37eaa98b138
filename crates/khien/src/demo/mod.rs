//! Loading the demo city's records through the store, as its people would enter them: systems
//! with dossiers in every state, incidents, assessments and findings, reports from the public.
//! The city itself (units, people) comes from the pure `khien-demo` crate.

pub mod compliance;
pub mod incidents;
pub mod indicators;
pub mod network;
pub mod plan_support;
pub mod plans;
pub mod public_reports;
pub mod reports;
pub mod systems;
pub mod telemetry;
