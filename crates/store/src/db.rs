use crate::sql::Sql;
use khien_domain::scope::Actor;
use khien_domain::{Clock, Error, Result};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{Any, AnyPool, Executor, Row, Transaction};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, MutexGuard};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Store {
    pub(crate) pool: AnyPool,
    /// Where write transactions run: on SQLite one connection of its own (see `open`), on
    /// PostgreSQL the pool itself.
    writer: AnyPool,
    pub(crate) dialect: Dialect,
    /// Where "now" and "today" come from: the machine's clock, or a fixed one in tests.
    pub(crate) clock: Clock,
    /// On PostgreSQL, a typed pool beside the `Any` one, for the bulk writes `Any` cannot express
    /// (arrays for `UNNEST`): the per-engine seam of `crate::bulk`. None on SQLite.
    pub(crate) pg: Option<sqlx::PgPool>,
    /// On an SQLite file, reads outside a transaction run on the caller's thread
    /// (`crate::reader`); None on PostgreSQL and in memory.
    reader: Option<Arc<crate::reader::SqliteReader>>,
    /// SQLite allows one writer; serialising writers in-process avoids SQLITE_BUSY on upgrade
    /// from a read to a write lock. PostgreSQL uses an advisory lock instead (see `begin_write`).
    write_lock: Arc<Mutex<()>>,
    /// A hash of a random password, verified against when a login names no user.
    dummy_hash: Arc<tokio::sync::OnceCell<String>>,
    /// Nodes of catalogue versions read so far (immutable once stored).
    /// Bumped after every committed change to systems' ranges, owners or levels: the telemetry
    /// index is rebuilt at the next batch (`telemetry::Store::telemetry_registry`).
    pub(crate) registry_generation: Arc<std::sync::atomic::AtomicU64>,
    /// The telemetry attribution index, with the registry state it was built from.
    pub(crate) telemetry_registry: Arc<std::sync::Mutex<Option<Arc<crate::telemetry::Registry>>>>,
    /// The alerts' rule and title pairs known to be stored (`telemetry::rules`).
    pub(crate) known_rules: Arc<crate::telemetry::KnownRules>,
    pub(crate) catalogue_cache: Arc<
        std::sync::Mutex<std::collections::HashMap<i64, Arc<Vec<crate::compliance::catalogues::CatalogueNodeRow>>>>,
    >,
}

/// A write transaction that also holds the right to append to the audit chain.
pub(crate) struct WriteTx<'a> {
    pub tx: Transaction<'static, Any>,
    _guard: Option<MutexGuard<'a, ()>>,
    /// The chain's last (id, hash) once read: no one else appends while we hold the lock.
    pub(crate) chain_head: Option<(i64, String)>,
    /// Audit rows already chained but not yet written: a bulk writer (an import) sends them
    /// in multi-row INSERTs instead of one statement per change. None unless `batch_audit`
    /// was called; written before commit.
    pub(crate) pending_audit: Option<Vec<crate::audit::AuditRow>>,
    /// The store's clock, for what a write stamps.
    pub(crate) clock: &'a Clock,
}

impl WriteTx<'_> {
    /// City-wide settings (the watch list, rulesets) are the standing body's: the caller needs
    /// `action` at the root unit.
    pub(crate) async fn require_at_root(
        &mut self,
        actor: &khien_domain::scope::Actor,
        action: khien_domain::role::Action,
    ) -> Result<()> {
        let root = sqlx::query("SELECT id, path FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1")
            .fetch_one(&mut *self.tx)
            .await
            .map_err(db_err)?;
        actor.require(action, get(&root, "id")?, &get::<String>(&root, "path")?)
    }

    pub async fn commit(mut self) -> Result<()> {
        self.flush_audit().await?;
        self.tx.commit().await.map_err(db_err)
    }
}

/// Key of the PostgreSQL advisory lock that serialises audit-chain appends across nodes.
pub(crate) const AUDIT_LOCK_KEY: i64 = 0x4b48_4945_4e41;

impl Store {
    /// Opens (creating if needed) the database and runs the migrations; the store reads the
    /// machine's clock.
    pub async fn open(url: &str) -> Result<Store> {
        Store::open_with_clock(url, Clock::System).await
    }

    /// Opens the database with the clock this instance reads "now" from (a fixed one in tests).
    pub async fn open_with_clock(url: &str, clock: Clock) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let dialect = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Dialect::Postgres
        } else if url.starts_with("sqlite:") {
            Dialect::Sqlite
        } else {
            return Err(Error::bad_request(
                "Địa chỉ cơ sở dữ liệu phải bắt đầu bằng sqlite: hoặc postgres://",
                "The database URL must start with sqlite: or postgres://",
            ));
        };
        let opts = AnyPoolOptions::new()
            .max_connections(if dialect == Dialect::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(10))
            // A ping before each use is a round trip to the connection's thread on SQLite,
            // whose file does not drop a connection; PostgreSQL's server may have.
            .test_before_acquire(dialect == Dialect::Postgres)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if dialect == Dialect::Sqlite {
                        conn.execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000; PRAGMA cache_size=-32768;")
                            .await?;
                    }
                    Ok(())
                })
            });
        let pool =
            opts.clone().connect(url).await.map_err(|e| Error::internal(format!("cannot open database: {e}")))?;
        // SQLite: every write on one connection, whose page cache then stays warm (a connection
        // drops its whole cache when another has written; with writes spread over the pool,
        // each transaction began by reading its B-tree pages back from the file).
        let writer = match dialect {
            Dialect::Sqlite => opts
                .max_connections(1)
                .connect(url)
                .await
                .map_err(|e| Error::internal(format!("cannot open database: {e}")))?,
            Dialect::Postgres => pool.clone(),
        };
        // Connected on first use: only bulk writes (a scanner import) take a connection from it.
        let pg = match dialect {
            Dialect::Postgres => Some(
                sqlx::postgres::PgPoolOptions::new()
                    .max_connections(4)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_lazy(url)
                    .map_err(|e| Error::internal(format!("cannot open database: {e}")))?,
            ),
            Dialect::Sqlite => None,
        };
        let reader = match dialect {
            Dialect::Sqlite => crate::reader::SqliteReader::for_url(url).map(Arc::new),
            Dialect::Postgres => None,
        };
        let store = Store {
            pool,
            writer,
            dialect,
            clock,
            pg,
            reader,
            write_lock: Arc::new(Mutex::new(())),
            dummy_hash: Arc::default(),
            catalogue_cache: Arc::default(),
            telemetry_registry: Arc::default(),
            known_rules: Arc::default(),
            registry_generation: Arc::default(),
        };
        store.migrate().await?;
        store.fold_copied_rules().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<()> {
        let migrator = match self.dialect {
            Dialect::Sqlite => sqlx::migrate!("./migrations/sqlite"),
            Dialect::Postgres => sqlx::migrate!("./migrations/postgres"),
        };
        migrator.run(&self.pool).await.map_err(|e| Error::internal(format!("migration failed: {e}")))
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// The instance's clock: the server and the background tasks read "now" here too.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// For /readyz: can we reach the database right now?
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").fetch_one(&self.pool).await.is_ok()
    }

    /// Refreshes the planner's statistics; worth it after a bulk load (a city's first import),
    /// before autovacuum (PostgreSQL) or anything (SQLite) would do it.
    pub(crate) async fn analyze(&self) -> Result<()> {
        sqlx::query("ANALYZE").execute(&self.pool).await.map_err(db_err)?;
        Ok(())
    }

    /// Refreshes the planner's statistics of one table after a bulk change (a whole-database
    /// ANALYZE also walks the audit trail, which grows without bound).
    pub(crate) async fn analyze_table(&self, table: &'static str) -> Result<()> {
        sqlx::query(&format!("ANALYZE {table}")).execute(&self.pool).await.map_err(db_err)?;
        Ok(())
    }

    /// Every row of `q`, read outside any transaction.
    pub(crate) async fn read_all(&self, q: &Sql) -> Result<Vec<AnyRow>> {
        match &self.reader {
            Some(reader) => reader.fetch(q, usize::MAX),
            None => q.query().fetch_all(&self.pool).await.map_err(db_err),
        }
    }

    /// The first row of `q`, if any, read outside any transaction.
    pub(crate) async fn read_optional(&self, q: &Sql) -> Result<Option<AnyRow>> {
        match &self.reader {
            Some(reader) => Ok(reader.fetch(q, 1)?.into_iter().next()),
            None => q.query().fetch_optional(&self.pool).await.map_err(db_err),
        }
    }

    /// The first row of `q`, which must give one, read outside any transaction.
    pub(crate) async fn read_one(&self, q: &Sql) -> Result<AnyRow> {
        self.read_optional(q).await?.ok_or_else(|| db_err(sqlx::Error::RowNotFound))
    }

    pub async fn close(&self) {
        if let Some(reader) = &self.reader {
            reader.close();
        }
        self.pool.close().await;
        self.writer.close().await;
        if let Some(pg) = &self.pg {
            pg.close().await;
        }
    }

    pub(crate) async fn dummy_hash(&self) -> Result<&str> {
        let h = self
            .dummy_hash
            .get_or_try_init(|| async { crate::units::password::hash_password(&random_token(16)).await })
            .await?;
        Ok(h.as_str())
    }

    pub(crate) async fn begin_write(&self) -> Result<WriteTx<'_>> {
        let guard = match self.dialect {
            Dialect::Sqlite => Some(self.write_lock.lock().await),
            Dialect::Postgres => None,
        };
        let mut tx = self.writer.begin().await.map_err(db_err)?;
        match self.dialect {
            Dialect::Postgres => {
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(AUDIT_LOCK_KEY)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
            }
            // Take SQLite's write lock before the first read (as BEGIN IMMEDIATE would): a
            // deferred transaction that reads and then writes fails with SQLITE_BUSY_SNAPSHOT if
            // a single-statement write (a session touch) committed in between.
            Dialect::Sqlite => {
                sqlx::query("DELETE FROM sessions WHERE 1 = 0").execute(&mut *tx).await.map_err(db_err)?;
            }
        }
        Ok(WriteTx { tx, _guard: guard, chain_head: None, pending_audit: None, clock: &self.clock })
    }
}

/// A write that keeps no audit record (telemetry): on SQLite it still waits for the one writer's
/// turn; on PostgreSQL it takes no advisory lock, so it never waits for the audit chain.
pub(crate) struct PlainWrite<'a> {
    pub tx: Transaction<'static, Any>,
    _guard: Option<MutexGuard<'a, ()>>,
}

impl PlainWrite<'_> {
    /// Commits and gives the write turn back at once (`w.tx.commit()` alone would keep the
    /// turn until `w` goes out of scope, and the next write of the same scope would wait on it
    /// for ever).
    pub(crate) async fn commit(self) -> Result<()> {
        let PlainWrite { tx, _guard } = self;
        tx.commit().await.map_err(db_err)
    }
}

impl Store {
    pub(crate) async fn begin_plain_write(&self) -> Result<PlainWrite<'_>> {
        let guard = match self.dialect {
            Dialect::Sqlite => Some(self.write_lock.lock().await),
            Dialect::Postgres => None,
        };
        let tx = self.writer.begin().await.map_err(db_err)?;
        Ok(PlainWrite { tx, _guard: guard })
    }
}

/// The unique constraints a write can hit, each with what it means to the person who hit it
/// (realworld's `on_constraint`): the caller checks first and names the field, this catches the
/// race between two writes. A constraint is known by the name PostgreSQL reports (its default
/// `table_column_key`, or the index's name) or by what SQLite names (`table.column`, or
/// `index 'name'`).
const UNIQUE_CONSTRAINTS: &[(&[&str], &str, &str)] = &[
    (
        &["units.code", "units_code_key", "units_code_ci"],
        "Mã đơn vị này đã được dùng (không phân biệt chữ hoa, chữ thường).",
        "This unit code is already taken (whatever its case).",
    ),
    (
        &["systems.code", "systems_code_key", "systems_code_ci"],
        "Mã hệ thống này đã được dùng (không phân biệt chữ hoa, chữ thường).",
        "This system code is already taken (whatever its case).",
    ),
    (&["users.username", "users_username_key"], "Tên đăng nhập này đã được dùng.", "This username is already taken."),
    (
        &[
            "role_assignments.user_id, role_assignments.role, role_assignments.unit_id",
            "role_assignments_user_id_role_unit_id_key",
        ],
        "Người dùng đã có vai trò này tại đơn vị này.",
        "The user already holds this role on this unit.",
    ),
    (
        &["catalogues.code, catalogues.version", "catalogues_code_version_key"],
        "Danh mục đã có phiên bản này.",
        "This version of the catalogue already exists.",
    ),
];

/// The name a unique violation gives its constraint: PostgreSQL's constraint name, or what
/// SQLite's message names ("UNIQUE constraint failed: units.code" → "units.code";
/// "UNIQUE constraint failed: index 'units_code_ci'" → "units_code_ci").
fn violated_constraint(constraint: Option<&str>, message: &str) -> Option<String> {
    if let Some(name) = constraint {
        return Some(name.to_string());
    }
    let named = message.split_once("constraint failed: ")?.1.trim();
    let named = named.strip_prefix("index ").map(|i| i.trim_matches('\'')).unwrap_or(named);
    Some(named.to_string())
}

/// The message of a unique violation: the known constraint's own, else a general one.
fn unique_violation(constraint: Option<&str>, message: &str) -> Error {
    let name = violated_constraint(constraint, message);
    let known = name.as_deref().and_then(|n| UNIQUE_CONSTRAINTS.iter().find(|(names, _, _)| names.contains(&n)));
    match known {
        Some((_, vi, en)) => Error::conflict(*vi, *en),
        None => Error::conflict("Dữ liệu bị trùng với bản ghi đã có.", "This duplicates an existing record."),
    }
}

/// Maps a database error: unique violations become Conflict with the constraint's own message,
/// foreign-key violations Conflict, the rest Internal.
pub(crate) fn db_err(e: sqlx::Error) -> Error {
    if let sqlx::Error::Database(d) = &e {
        if d.is_unique_violation() {
            return unique_violation(d.constraint(), d.message());
        }
        if d.is_foreign_key_violation() {
            return Error::conflict(
                "Bản ghi đang được tham chiếu hoặc tham chiếu tới bản ghi không tồn tại.",
                "The record is referenced, or refers to a missing record.",
            );
        }
    }
    Error::internal(e)
}

pub(crate) fn get<'r, T>(row: &'r AnyRow, col: &str) -> Result<T>
where
    T: sqlx::Decode<'r, Any> + sqlx::Type<Any>,
{
    row.try_get(col).map_err(|e| Error::internal(format!("column {col}: {e}")))
}

/// Decodes a row into a `#[derive(sqlx::FromRow)]` struct (code enums through their
/// `TryFrom<String>`): a column it cannot decode, an unknown code too, is an internal error
/// naming the column.
pub(crate) fn from_row<T>(row: &AnyRow) -> Result<T>
where
    T: for<'r> sqlx::FromRow<'r, AnyRow>,
{
    T::from_row(row).map_err(|e| Error::internal(format!("decoding a row: {e}")))
}

/// A 0/1 flag column (BIGINT on both engines; `Any` decodes no INTEGER as `bool`, so a
/// `FromRow` struct skips such fields and sets them with this).
pub(crate) fn flag(row: &AnyRow, col: &str) -> Result<bool> {
    Ok(get::<i64>(row, col)? != 0)
}

/// A column holding one of a domain enum's codes (TEXT in the database), read with the enum's
/// own parse: a code it does not know is an internal error naming the column.
pub(crate) fn get_code<T>(row: &AnyRow, col: &str, parse: impl FnOnce(&str) -> Result<T>) -> Result<T> {
    let s: String = get(row, col)?;
    parse(&s).map_err(|_| Error::internal(format!("column {col}: unknown code «{s}»")))
}

/// As `get_code`, for a nullable column.
pub(crate) fn get_opt_code<T>(row: &AnyRow, col: &str, parse: impl FnOnce(&str) -> Result<T>) -> Result<Option<T>> {
    let s: Option<String> = get(row, col)?;
    s.map(|s| parse(&s).map_err(|_| Error::internal(format!("column {col}: unknown code «{s}»")))).transpose()
}

pub(crate) fn random_token(bytes: usize) -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

pub(crate) fn sha256_bytes(b: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(b))
}

pub(crate) fn sha256_hex(s: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(s.as_bytes()))
}

impl WriteTx<'_> {
    /// The acting person's full name for what pages and documents show (a token's owner with
    /// the token's number), falling back to the login name.
    pub(crate) async fn actor_name(&mut self, actor: &Actor) -> Result<String> {
        let name = sqlx::query("SELECT full_name FROM users WHERE id = $1")
            .bind(actor.user_id)
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(db_err)?
            .map(|r| get::<String>(&r, "full_name"))
            .transpose()?
            .unwrap_or_else(|| actor.username.clone());
        Ok(match actor.token_id {
            Some(t) => format!("{name} (token #{t})"),
            None => name,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unique_violation_names_what_was_taken_on_both_engines() {
        // PostgreSQL reports the constraint's name; SQLite names the columns or the index.
        for (constraint, message) in [
            (Some("units_code_key"), "duplicate key value violates unique constraint \"units_code_key\""),
            (None, "UNIQUE constraint failed: units.code"),
            (None, "UNIQUE constraint failed: index 'units_code_ci'"),
        ] {
            assert!(unique_violation(constraint, message).message(khien_domain::Lang::En).contains("unit code"));
        }
        let role = unique_violation(
            None,
            "UNIQUE constraint failed: role_assignments.user_id, role_assignments.role, role_assignments.unit_id",
        );
        assert!(role.message(khien_domain::Lang::En).contains("already holds this role"));
        let other = unique_violation(Some("watchlist_stix_id_kind_value_key"), "duplicate key");
        assert!(matches!(other, Error::Conflict(_)));
        assert!(other.message(khien_domain::Lang::En).contains("duplicates an existing record"));
    }
}
