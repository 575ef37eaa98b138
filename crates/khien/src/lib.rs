//! The pieces of the `khien` binary that tests and tools reuse: configuration, first-start
//! bootstrap and demo loading, and the benchmark.

pub mod bench;
pub mod bench_compliance;
pub mod bench_incidents;
pub mod bootstrap;
pub mod config;
pub mod demo_compliance;
pub mod demo_incidents;
pub mod demo_public_reports;
pub mod demo_systems;
pub mod reminders;
