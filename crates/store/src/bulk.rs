//! The per-engine seam for bulk writes. The store is written once against sqlx `Any`, which
//! cannot bind arrays; a scanner import writes 100,000 rows, and on PostgreSQL one statement
//! per 128 rows with numbered parameters was 2.5× SQLite's time. So a bulk writer opens a
//! [`BulkTx`]: on SQLite the shared write transaction ([`WriteTx`]); on PostgreSQL a transaction
//! of the typed pool (`Store::pg`), holding the same advisory lock, through which the rows go as
//! arrays (`UNNEST`). Everything the bulk writer does — its other statements and its audit
//! record included — goes through the one transaction, so it stays all or nothing.
//!
//! Statements are the shared [`Sql`] text on both; only the row-writing statement differs,
//! and only in the writer that needs it (`compliance::scan_rows`).

use crate::audit::{chain_row, insert_audit_sql, Change, LAST_AUDIT};
use crate::db::{db_err, get, Store, WriteTx, AUDIT_LOCK_KEY};
use crate::sql::Sql;
use khien_domain::audit::GENESIS;
use khien_domain::scope::Actor;
use khien_domain::{Clock, Result};
use sqlx::{Postgres, Row, Transaction};

pub(crate) enum BulkTx<'a> {
    /// sqlx `Any` (SQLite): the store's ordinary write transaction.
    Shared(WriteTx<'a>),
    /// The typed PostgreSQL connection, with the audit chain's head once read and the store's
    /// clock for the audit record's time.
    Pg { tx: Transaction<'static, Postgres>, chain_head: Option<(i64, String)>, clock: &'a Clock },
}

impl Store {
    /// A write transaction for a bulk writer: typed on PostgreSQL, the shared one on SQLite.
    /// Either way it holds the right to append to the audit chain (the advisory lock, or the
    /// in-process writer lock).
    pub(crate) async fn begin_bulk(&self) -> Result<BulkTx<'_>> {
        let Some(pg) = &self.pg else {
            return Ok(BulkTx::Shared(self.begin_write().await?));
        };
        let mut tx = pg.begin().await.map_err(db_err)?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(AUDIT_LOCK_KEY).execute(&mut *tx).await.map_err(db_err)?;
        Ok(BulkTx::Pg { tx, chain_head: None, clock: &self.clock })
    }
}

impl BulkTx<'_> {
    /// Runs a statement; returns the rows it changed.
    pub(crate) async fn execute(&mut self, q: &Sql) -> Result<u64> {
        match self {
            BulkTx::Shared(w) => Ok(q.query().execute(&mut *w.tx).await.map_err(db_err)?.rows_affected()),
            BulkTx::Pg { tx, .. } => Ok(q.pg_query().execute(&mut **tx).await.map_err(db_err)?.rows_affected()),
        }
    }

    /// Runs a statement that returns one row (`RETURNING id`) and reads its `id`.
    pub(crate) async fn fetch_id(&mut self, q: &Sql) -> Result<i64> {
        match self {
            BulkTx::Shared(w) => get(&q.query().fetch_one(&mut *w.tx).await.map_err(db_err)?, "id"),
            BulkTx::Pg { tx, .. } => {
                q.pg_query().fetch_one(&mut **tx).await.map_err(db_err)?.try_get("id").map_err(db_err)
            }
        }
    }

    /// Appends one record to the audit chain, in this transaction.
    pub(crate) async fn audit(&mut self, actor: Option<&Actor>, c: Change<'_>) -> Result<()> {
        let (tx, chain_head, clock) = match self {
            BulkTx::Shared(w) => return w.audit(actor, c).await,
            BulkTx::Pg { tx, chain_head, clock } => (tx, chain_head, clock),
        };
        let prev = match chain_head.take() {
            Some(head) => head,
            None => match sqlx::query(LAST_AUDIT).fetch_optional(&mut **tx).await.map_err(db_err)? {
                Some(r) => (r.try_get("id").map_err(db_err)?, r.try_get("hash").map_err(db_err)?),
                None => (0, GENESIS.to_string()),
            },
        };
        let row = chain_row(prev, clock.now_ms(), actor, c);
        insert_audit_sql(std::slice::from_ref(&row)).pg_query().execute(&mut **tx).await.map_err(db_err)?;
        *chain_head = Some(row.head());
        Ok(())
    }

    pub(crate) async fn commit(self) -> Result<()> {
        match self {
            BulkTx::Shared(w) => w.commit().await,
            BulkTx::Pg { tx, .. } => tx.commit().await.map_err(db_err),
        }
    }
}
