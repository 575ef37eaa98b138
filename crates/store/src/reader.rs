//! SQLite reads on the caller's own thread (issue 13, throughput). sqlx's SQLite driver runs
//! each connection on a worker thread of its own and hands every row back through a channel:
//! under eight clients a list request spent a quarter of its time switching threads (`perf`:
//! futex waits and wake-ups in `flume`) and much of the rest copying each row's columns twice.
//! Here a read-only statement runs on a connection taken from a small idle set, on the thread
//! that asks, and its rows become the same `AnyRow`s the rest of the store decodes, so that a
//! row is decoded by one function whichever path read it. Writes, reads inside a write
//! transaction and everything on PostgreSQL stay on sqlx.
//!
//! The rows are built through `AnyRow`'s public (documented as hidden) fields, the way sqlx's
//! own drivers build them; `Cargo.lock` pins the sqlx release they were written against, and
//! every list test reads through here on SQLite.

use crate::sql::{Sql, Val};
use khien_domain::{Error, Result};
use sqlx::any::{AnyRow, AnyTypeInfoKind, AnyValue};
use sqlx_core::any::AnyValueKind;
use sqlx_core::ext::ustr::UStr;
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::{Arc, Mutex};

/// Idle connections kept: the busiest moment has one per thread reading at once.
const IDLE_KEPT: usize = 16;
/// Statements kept prepared per connection (a list and its count, a session, grants, scope…).
const STATEMENTS_KEPT: usize = 128;

pub(crate) struct SqliteReader {
    path: PathBuf,
    idle: Mutex<Vec<ReadConnection>>,
}

/// A connection with the column names of the statements it has run: every row of a
/// statement shares one map, and the next run of the same statement reuses it.
struct ReadConnection {
    conn: rusqlite::Connection,
    columns: HashMap<String, ColumnNames>,
}

type ColumnNames = Arc<sqlx_core::HashMap<UStr, usize>>;

impl SqliteReader {
    /// A reader for the SQLite file `url` names (`sqlite://path?…` or `sqlite:path`); None for
    /// an in-memory database, which another connection would not see.
    pub fn for_url(url: &str) -> Option<SqliteReader> {
        let rest = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
        let (path, options) = rest.split_once('?').unwrap_or((rest, ""));
        if path.is_empty() || path == ":memory:" || options.split('&').any(|o| o == "mode=memory") {
            return None;
        }
        // The file sqlx opens for the same address (its parser decodes `%xx` in the path).
        let options = sqlx::sqlite::SqliteConnectOptions::from_str(url).ok()?;
        Some(SqliteReader { path: options.get_filename().to_path_buf(), idle: Mutex::new(Vec::new()) })
    }

    fn connect(&self) -> Result<ReadConnection> {
        let conn = rusqlite::Connection::open_with_flags(
            &self.path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(read_err)?;
        // query_only: this connection can never write, whatever statement reaches it.
        conn.execute_batch("PRAGMA query_only=1; PRAGMA busy_timeout=10000; PRAGMA cache_size=-32768;")
            .map_err(read_err)?;
        conn.set_prepared_statement_cache_capacity(STATEMENTS_KEPT);
        Ok(ReadConnection { conn, columns: HashMap::new() })
    }

    /// The first `at_most` rows of `q` (all with `usize::MAX`), read now on this thread.
    pub fn fetch(&self, q: &Sql, at_most: usize) -> Result<Vec<AnyRow>> {
        let taken = self.idle.lock().map_err(|_| Error::internal("reader pool poisoned"))?.pop();
        let mut conn = match taken {
            Some(conn) => conn,
            None => self.connect()?,
        };
        let rows = read(&mut conn, q, at_most);
        if let Ok(mut idle) = self.idle.lock() {
            if idle.len() < IDLE_KEPT {
                idle.push(conn);
            }
        }
        rows
    }

    /// Closes the idle connections (the store is closing).
    pub fn close(&self) {
        if let Ok(mut idle) = self.idle.lock() {
            idle.clear();
        }
    }
}

fn read(conn: &mut ReadConnection, q: &Sql, at_most: usize) -> Result<Vec<AnyRow>> {
    let mut stmt = conn.conn.prepare_cached(q.text()).map_err(read_err)?;
    if !stmt.readonly() {
        return Err(Error::internal(format!("a statement that writes was sent to the reader: {}", q.text())));
    }
    for (i, v) in q.binds().iter().enumerate() {
        let n = i + 1;
        // The builder numbers `$n` in order; a hand-written statement may use one twice.
        let index = stmt.parameter_index(&format!("${n}")).map_err(read_err)?.unwrap_or(n);
        let bound = match v {
            Val::Int(v) => stmt.raw_bind_parameter(index, v),
            Val::Text(v) => stmt.raw_bind_parameter(index, v.as_str()),
            Val::OptInt(v) => stmt.raw_bind_parameter(index, v),
            Val::OptText(v) => stmt.raw_bind_parameter(index, v.as_deref()),
            Val::Bytes(v) => stmt.raw_bind_parameter(index, v.as_slice()),
        };
        bound.map_err(read_err)?;
    }
    let names = match conn.columns.get(q.text()) {
        Some(names) => names.clone(),
        None => {
            let names: ColumnNames =
                Arc::new(stmt.column_names().into_iter().enumerate().map(|(i, name)| (UStr::new(name), i)).collect());
            // Statements built with their values' count of parameters vary: kept within bounds.
            if conn.columns.len() >= STATEMENTS_KEPT {
                conn.columns.clear();
            }
            conn.columns.insert(q.text().to_string(), names.clone());
            names
        }
    };
    // Every column, also one whose name another column repeats (the map keeps the last, as
    // sqlx's does).
    let width = stmt.column_count();
    let mut rows = stmt.raw_query();
    let mut out = Vec::new();
    while out.len() < at_most {
        let Some(row) = rows.next().map_err(read_err)? else { break };
        let mut values = Vec::with_capacity(width);
        for i in 0..width {
            values.push(AnyValue { kind: any_value(row.get_ref(i).map_err(read_err)?)? });
        }
        // `columns` is left empty: a row is read by column name, through `column_names`.
        out.push(AnyRow { column_names: names.clone(), columns: Vec::new(), values });
    }
    Ok(out)
}

/// The value as sqlx's SQLite driver gives it to `Any`: by the value's own storage class.
fn any_value(v: rusqlite::types::ValueRef<'_>) -> Result<AnyValueKind<'static>> {
    use rusqlite::types::ValueRef;
    Ok(match v {
        ValueRef::Null => AnyValueKind::Null(AnyTypeInfoKind::Null),
        ValueRef::Integer(i) => AnyValueKind::BigInt(i),
        ValueRef::Real(f) => AnyValueKind::Double(f),
        ValueRef::Text(t) => AnyValueKind::Text(Cow::Owned(
            std::str::from_utf8(t)
                .map_err(|e| Error::internal(format!("a text column is not UTF-8: {e}")))?
                .to_string(),
        )),
        ValueRef::Blob(b) => AnyValueKind::Blob(Cow::Owned(b.to_vec())),
    })
}

fn read_err(e: rusqlite::Error) -> Error {
    Error::internal(format!("database read: {e}"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::SqliteReader;
    use crate::db::get;
    use crate::sql::Sql;

    #[test]
    fn rows_decode_as_sqlx_gives_them_and_a_write_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a file #1.db");
        let setup = rusqlite::Connection::open(&path).unwrap();
        setup
            .execute_batch(
                "CREATE TABLE t (id INTEGER PRIMARY KEY, n BIGINT, x REAL, s TEXT, b BLOB, none TEXT);
                 INSERT INTO t VALUES (1, -7, 2.5, 'Phường Hồng Bàng', x'00ff', NULL);",
            )
            .unwrap();
        assert!(SqliteReader::for_url("sqlite::memory:").is_none());
        assert!(SqliteReader::for_url("sqlite://x.db?mode=memory&cache=shared").is_none());
        // The path as sqlx reads the address: `%xx` decoded (here a `#` and spaces).
        let url = format!("sqlite://{}?mode=rwc", path.display().to_string().replace('#', "%23"));
        let reader = SqliteReader::for_url(&url).unwrap();

        // Parameters by number, one used twice, as a hand-written statement may.
        let q = Sql::new("SELECT * FROM t WHERE id = $1 AND (n = $2 OR $2 IS NULL)").arg(1).arg(-7);
        let rows = reader.fetch(&q, usize::MAX).unwrap();
        let [row] = rows.as_slice() else { panic!("one row, not {}", rows.len()) };
        assert_eq!(get::<i64>(row, "n").unwrap(), -7);
        assert_eq!(get::<f64>(row, "x").unwrap(), 2.5);
        assert_eq!(get::<String>(row, "s").unwrap(), "Phường Hồng Bàng");
        assert_eq!(get::<Vec<u8>>(row, "b").unwrap(), vec![0, 255]);
        assert_eq!(get::<Option<String>>(row, "none").unwrap(), None);
        assert!(get::<String>(row, "missing").is_err());
        // The same statement again comes from the connection's cache, with new values.
        assert!(reader
            .fetch(&Sql::new("SELECT * FROM t WHERE id = $1 AND (n = $2 OR $2 IS NULL)").arg(2).arg(-7), usize::MAX)
            .unwrap()
            .is_empty());
        // A name given twice: the last column of that name is read, and the others still are.
        let rows = reader.fetch(&Sql::new("SELECT n, s, 9 AS n FROM t"), usize::MAX).unwrap();
        assert_eq!(get::<i64>(&rows[0], "n").unwrap(), 9);
        assert_eq!(get::<String>(&rows[0], "s").unwrap(), "Phường Hồng Bàng");
        // A read of the first row stops there.
        let two = Sql::new("SELECT id FROM t UNION ALL SELECT id + 1 FROM t");
        assert_eq!(reader.fetch(&two, usize::MAX).unwrap().len(), 2);
        assert_eq!(reader.fetch(&two, 1).unwrap().len(), 1);

        let write = reader.fetch(&Sql::new("UPDATE t SET n = 0 RETURNING id"), usize::MAX);
        assert!(write.is_err(), "a statement that writes must not run on the reader");
        let n: i64 = setup.query_row("SELECT n FROM t", [], |r| r.get(0)).unwrap();
        assert_eq!(n, -7);
    }
}
