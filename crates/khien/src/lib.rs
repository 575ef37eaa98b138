//! The pieces of the `khien` binary that tests and tools reuse: configuration, first-start
//! bootstrap and demo loading, and the benchmark.

pub mod bench;
pub mod bootstrap;
pub mod config;
pub mod demo;
pub mod reminders;
