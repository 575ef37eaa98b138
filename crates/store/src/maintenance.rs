//! Store work done for no caller: the background sweeps (reminders, expired risk acceptances,
//! the daily finding counts, TAXII pushes), first-start bootstrap and demo loading, the console
//! commands (password reset, audit-chain check) and the benchmark's statistics. None of it takes
//! an `Actor`, so none of it is scoped: it sits behind `Store::maintenance()` instead of on
//! `Store`, so that a request handler cannot reach it by accident (crates/server/clippy.toml
//! refuses `Store::maintenance` outside the background push, which says why it may).

use crate::db::Store;
use crate::incidents::taxii_remotes::{PushOutcome, Remote};
use crate::notifications::Outgoing;
use crate::records::{RoleAssignment, Unit, User};
use crate::units::users::NewUser;
use khien_domain::audit::ChainBreak;
use khien_domain::catalog::Catalogue;
use khien_domain::role::Role;
use khien_domain::scope::Actor;
use khien_domain::unit::UnitType;
use khien_domain::Result;

/// The store's unscoped operations (see the module documentation).
#[derive(Clone, Copy)]
pub struct Maintenance<'a> {
    store: &'a Store,
}

impl Store {
    /// The unscoped operations: for the binary's background tasks, bootstrap, demo loading and
    /// console commands — never for a request handler.
    pub fn maintenance(&self) -> Maintenance<'_> {
        Maintenance { store: self }
    }
}

impl Maintenance<'_> {
    /// One reminder sweep: reopens expired risk acceptances, rewrites today's finding counts
    /// and returns the notifications to e-mail.
    pub async fn sweep_reminders(&self) -> Result<Vec<Outgoing>> {
        self.store.sweep_reminders().await
    }

    /// Event notifications waiting to be e-mailed (see `record_email`).
    pub async fn event_outbox(&self) -> Result<Vec<Outgoing>> {
        self.store.event_outbox().await
    }

    /// Records how sending one notification's e-mail went.
    pub async fn record_email(&self, notification_id: i64, error: Option<&str>) -> Result<()> {
        self.store.record_email(notification_id, error).await
    }

    /// For `khien bench`: five IP ranges per system (see `Store::spread_ranges_for_benchmark`).
    pub async fn spread_ranges_for_benchmark(&self) -> Result<usize> {
        self.store.spread_ranges_for_benchmark().await
    }

    /// For `khien bench`: how many alerts are kept.
    pub async fn telemetry_alert_count(&self) -> Result<i64> {
        self.store.telemetry_alert_count().await
    }

    /// For `khien bench`: the telemetry batches stored and the events they brought.
    pub async fn telemetry_batch_totals(&self) -> Result<(i64, i64)> {
        self.store.telemetry_batch_totals().await
    }

    /// Deletes raw telemetry past its retention; returns the chunks deleted.
    pub async fn purge_telemetry(&self) -> Result<u64> {
        self.store.purge_telemetry().await
    }

    /// Rewrites today's per-unit overdue counts; returns the rows written.
    pub async fn snapshot_finding_counts(&self) -> Result<u64> {
        self.store.snapshot_finding_counts().await
    }

    /// Refreshes the planner's statistics after a bulk load.
    /// For `khien bench`: every unit of every task of the plan reports on `period` (but one in
    /// ten, left missing), in one statement, as `user_id`. Not for real data: no checks, no trail.
    pub async fn fill_progress_for_benchmark(&self, plan_id: i64, period: &str, user_id: i64) -> Result<u64> {
        self.store.fill_progress_for_benchmark(plan_id, period, user_id).await
    }

    pub async fn analyze(&self) -> Result<()> {
        self.store.analyze().await
    }

    /// Walks the whole audit trail: the number of records, or where the chain breaks.
    pub async fn verify_audit_chain(&self) -> Result<std::result::Result<u64, ChainBreak>> {
        self.store.verify_audit_chain().await
    }

    /// Adds the built-in catalogues not in the database yet; run on every start.
    pub async fn ensure_builtin_catalogues(&self, builtin: &[Catalogue]) -> Result<usize> {
        self.store.ensure_builtin_catalogues(builtin).await
    }

    /// Creates the root unit on an empty database (bootstrap).
    pub async fn create_root_unit(&self, code: &str, name: &str, unit_type: UnitType) -> Result<Unit> {
        self.store.create_root_unit(code, name, unit_type).await
    }

    /// Creates a user with a password hash already made: the first administrator (`None`) or
    /// the demo's people (as that administrator).
    pub async fn create_user_hashed(&self, actor: Option<&Actor>, n: &NewUser, password_hash: &str) -> Result<User> {
        self.store.create_user_hashed(actor, n, password_hash).await
    }

    /// Grants a role with no one granting it (the first administrator).
    pub async fn grant_role(&self, user_id: i64, role: Role, unit_id: i64, recursive: bool) -> Result<RoleAssignment> {
        self.store.grant_role_as(None, user_id, role, unit_id, recursive).await
    }

    /// `khien set-password`: sets a password from the server's console.
    pub async fn set_password_from_console(&self, username: &str, new_password: &str) -> Result<()> {
        self.store.set_password_from_console(username, new_password).await
    }

    /// A user's id by name, whoever's unit it is (bootstrap, demo, benchmark).
    pub async fn user_id_by_username(&self, username: &str) -> Result<Option<i64>> {
        self.store.user_id_by_username(username).await
    }

    /// Every TAXII remote, for the push loop.
    pub async fn all_remotes(&self) -> Result<Vec<Remote>> {
        self.store.all_remotes().await
    }

    /// The next objects to send to a remote and the position they reach.
    pub async fn objects_to_push(&self, remote: &Remote, limit: i64) -> Result<(Vec<String>, i64)> {
        self.store.objects_to_push(remote, limit).await
    }

    /// Records one push to a remote.
    pub async fn record_push(
        &self,
        remote_id: i64,
        objects: i64,
        outcome: &PushOutcome,
        sent_up_to: Option<i64>,
    ) -> Result<()> {
        self.store.record_push(remote_id, objects, outcome, sent_up_to).await
    }
}
