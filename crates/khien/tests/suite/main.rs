//! Khiên's one integration-test binary: store behaviour on SQLite and PostgreSQL, the HTTP API
//! on a real server, authorization across units, the audit CLI, imports, and the browser.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

mod api;
mod audit_cli;
mod authz;
mod browser;
mod import;
mod store;
mod systems;
