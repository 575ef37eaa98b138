//! Khiên's one integration-test binary: store behaviour on SQLite and PostgreSQL, the HTTP API
//! on a real server, authorization across units, the audit CLI, imports, and the browser.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
// Test code: its helpers are not `#[test]`, and an out-of-range index there is a failed test.
#![allow(clippy::indexing_slicing)]

/// Runs each named check once on SQLite and once on a fresh PostgreSQL database. After
/// `fixed_clock:`, the stores read a fixed clock (`common::fixed_time`) that the check, called
/// as `check(db, time)`, moves itself; those are named `…::fixed_clock::sqlite::…`.
macro_rules! on_both_stores {
    (fixed_clock: $($name:ident),* $(,)?) => {
        mod fixed_clock {
            mod sqlite {
                $(#[tokio::test] async fn $name() {
                    let time = crate::common::fixed_time();
                    super::super::$name(crate::common::sqlite_with(time.clock()).await, time).await
                })*
            }
            mod postgres {
                $(#[tokio::test] async fn $name() {
                    let time = crate::common::fixed_time();
                    super::super::$name(crate::common::postgres_with(time.clock()).await, time).await
                })*
            }
        }
    };
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test] async fn $name() { super::$name(crate::common::sqlite().await).await })*
        }
        mod postgres {
            $(#[tokio::test] async fn $name() { super::$name(crate::common::postgres().await).await })*
        }
    };
}

mod common;

mod compliance_assess;
mod disclosure;
mod document_templates;
mod dossier_forms;

mod api;
mod appraisal;
mod audit_cli;
mod audit_words;
mod authz;
mod authz_requests;
mod authz_seed;
mod browser;
mod browser_appraisal;
mod browser_botnet;
mod browser_compliance;
mod browser_confirm;
mod browser_dossier;
mod browser_incidents;
mod browser_layout;
mod browser_plans;
mod browser_print;
mod browser_reports;
mod charts;
mod events;
mod exchange;
mod finding_cves;
mod findings;
mod findings_web;
mod hygiene;
mod import;
mod incident_files;
mod incidents;
mod indicators;
mod inventory;
mod kept_forms;
mod level_rules;
mod network;
mod obligations;
mod openapi;
mod oscal;
mod page_sweep;
mod paging;
mod permissions;
mod plan_support;
mod plans;
mod public_reports;
mod rankings;
mod reminders;
mod reports;
mod scan_scopes;
mod schema_parity;
mod search;
mod serve_process;
mod store;
mod system_details;
mod systems;
mod taxii;
mod telemetry;
mod telemetry_alert_keys;
mod telemetry_botnet;
mod telemetry_nats;
mod telemetry_registry;
mod telemetry_rule_search;
mod uploads;
mod worklist;
