//! The two migration sets (crates/store/migrations/sqlite and …/postgres) build the same schema:
//! a fresh database of each is migrated and introspected, and the tables, columns (name,
//! nullability, type family), primary keys, unique constraints, indexes, foreign keys and
//! triggers are compared. Every difference is listed by table and object; a deliberate,
//! engine-specific one must be in `DELIBERATE`, with the reason.

use sqlx::{Connection, Row};
use std::collections::{BTreeMap, BTreeSet};

/// Differences that are meant to be there, each exactly as `differences` words it.
const DELIBERATE: &[&str] = &[
    // The audit trail refuses changes on both stores. PostgreSQL refuses UPDATE and DELETE in one
    // trigger (`BEFORE UPDATE OR DELETE`); SQLite has a trigger per event; only PostgreSQL has
    // TRUNCATE, refused by a statement trigger of its own.
    "audit_log: trigger audit_log_no_delete only on SQLite",
    "audit_log: trigger audit_log_no_truncate only on PostgreSQL",
];

#[derive(Debug, Clone, PartialEq, Eq)]
struct Column {
    /// integer (64-bit), int4 (32-bit, PostgreSQL only), text, real, blob, boolean, numeric, or
    /// PostgreSQL's own type name for anything else.
    family: String,
    not_null: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Index {
    unique: bool,
    /// Column names, or a normalised expression (`lower(code)`).
    terms: Vec<String>,
    /// The WHERE of a partial index, normalised.
    predicate: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct ForeignKey {
    columns: Vec<String>,
    table: String,
    references: Vec<String>,
    on_delete: String,
    on_update: String,
}

#[derive(Debug, Default)]
struct Table {
    columns: BTreeMap<String, Column>,
    primary_key: Vec<String>,
    /// UNIQUE constraints, by their columns: SQLite names them sqlite_autoindex_*, PostgreSQL
    /// TABLE_COLUMN_key, so only the columns are compared.
    unique_constraints: BTreeSet<Vec<String>>,
    /// Indexes created by name (CREATE [UNIQUE] INDEX): the same name on both stores.
    indexes: BTreeMap<String, Index>,
    foreign_keys: BTreeSet<ForeignKey>,
    triggers: BTreeSet<String>,
}

type Schema = BTreeMap<String, Table>;

/// Lower case, no blanks, no identifier quotes (PostgreSQL writes the keyword `"position"`
/// quoted), no parentheses around the whole: `(open = 1)` and `open = 1` agree.
fn normalise(expr: &str) -> String {
    let mut s: String = expr.to_lowercase().chars().filter(|c| !c.is_whitespace() && *c != '"').collect();
    // PostgreSQL writes a large integer literal as a cast text ('9223372036854775807'::bigint).
    while let Some(cast) = s.find("'::bigint") {
        let Some(open) = s[..cast].rfind('\'') else { break };
        s = format!("{}{}{}", &s[..open], &s[open + 1..cast], &s[cast + "'::bigint".len()..]);
    }
    while s.starts_with('(') && s.ends_with(')') && closes_at_end(&s) {
        s = s[1..s.len() - 1].to_string();
    }
    s
}

/// Whether the '(' that opens `s` is closed by its last character.
fn closes_at_end(s: &str) -> bool {
    let mut depth = 0;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return i == s.len() - 1;
                }
            }
            _ => {}
        }
    }
    false
}

/// SQLite's affinity rules (https://sqlite.org/datatype3.html §3.1) on a declared type.
fn sqlite_family(declared: &str) -> String {
    let t = declared.to_uppercase();
    let family = if t.contains("INT") {
        "integer"
    } else if t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT") {
        "text"
    } else if t.contains("BLOB") || t.is_empty() {
        "blob"
    } else if t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB") {
        "real"
    } else if t.contains("BOOL") {
        "boolean"
    } else {
        "numeric"
    };
    family.to_string()
}

fn postgres_family(data_type: &str) -> String {
    match data_type {
        "bigint" => "integer",
        "integer" | "smallint" => "int4", // SQLite's INTEGER is 64-bit: reported, not matched
        "text" | "character varying" | "character" => "text",
        "real" | "double precision" => "real",
        "bytea" => "blob",
        "boolean" => "boolean",
        "numeric" => "numeric",
        other => other,
    }
    .to_string()
}

/// The key terms and the WHERE of `CREATE [UNIQUE] INDEX name ON table (a, lower(b)) WHERE …`.
fn sqlite_index_sql(sql: &str) -> (Vec<String>, Option<String>) {
    let upper = sql.to_uppercase();
    let on = upper.find(" ON ").expect("CREATE INDEX … ON");
    let open = on + sql[on..].find('(').expect("index terms");
    let (mut depth, mut terms, mut term, mut close) = (0, Vec::new(), String::new(), sql.len());
    for (i, c) in sql[open..].char_indices() {
        match c {
            '(' => {
                depth += 1;
                if depth == 1 {
                    continue;
                }
            }
            ')' => {
                depth -= 1;
                if depth == 0 {
                    close = open + i;
                    break;
                }
            }
            ',' if depth == 1 => {
                terms.push(normalise(&term));
                term.clear();
                continue;
            }
            _ => {}
        }
        term.push(c);
    }
    terms.push(normalise(&term));
    let rest = &sql[close + 1..];
    let predicate = rest.to_uppercase().find("WHERE").map(|w| normalise(&rest[w + "WHERE".len()..]));
    (terms, predicate)
}

fn on_action(sqlite_or_pg: &str) -> String {
    match sqlite_or_pg {
        "a" | "NO ACTION" => "no action",
        "r" | "RESTRICT" => "restrict",
        "c" | "CASCADE" => "cascade",
        "n" | "SET NULL" => "set null",
        "d" | "SET DEFAULT" => "set default",
        other => other,
    }
    .to_string()
}

async fn sqlite_schema(url: &str) -> Schema {
    let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
    let mut schema = Schema::new();
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
         AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(&mut c)
    .await
    .unwrap();
    for name in names {
        let mut t = Table::default();
        let cols = sqlx::query("SELECT name, type, \"notnull\", pk FROM pragma_table_info(?) ORDER BY pk, cid")
            .bind(&name)
            .fetch_all(&mut c)
            .await
            .unwrap();
        for r in cols {
            let (col, pk): (String, i64) = (r.get("name"), r.get("pk"));
            if pk > 0 {
                t.primary_key.push(col.clone());
            }
            // A primary key is NOT NULL; SQLite's table_info says so only when written out
            // (and lets a non-INTEGER key hold NULL, which the store never writes).
            let not_null = r.get::<i64, _>("notnull") == 1 || pk > 0;
            t.columns.insert(col, Column { family: sqlite_family(&r.get::<String, _>("type")), not_null });
        }
        let indexes = sqlx::query("SELECT name, \"unique\", origin FROM pragma_index_list(?)")
            .bind(&name)
            .fetch_all(&mut c)
            .await
            .unwrap();
        for r in indexes {
            let (index, origin): (String, String) = (r.get("name"), r.get("origin"));
            let columns: Vec<Option<String>> =
                sqlx::query_scalar("SELECT name FROM pragma_index_info(?) ORDER BY seqno")
                    .bind(&index)
                    .fetch_all(&mut c)
                    .await
                    .unwrap();
            match origin.as_str() {
                "pk" => {}
                "u" => {
                    t.unique_constraints.insert(columns.into_iter().map(Option::unwrap).collect());
                }
                _ => {
                    let sql: String =
                        sqlx::query_scalar("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?")
                            .bind(&index)
                            .fetch_one(&mut c)
                            .await
                            .unwrap();
                    let (terms, predicate) = sqlite_index_sql(&sql);
                    // Column names from the pragma; an expression's (no name) from the SQL.
                    let terms = columns.into_iter().zip(terms).map(|(n, term)| n.unwrap_or(term)).collect();
                    t.indexes.insert(index, Index { unique: r.get::<i64, _>("unique") == 1, terms, predicate });
                }
            }
        }
        let fks = sqlx::query(
            "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete FROM pragma_foreign_key_list(?) \
             ORDER BY id, seq",
        )
        .bind(&name)
        .fetch_all(&mut c)
        .await
        .unwrap();
        let mut by_id: BTreeMap<i64, ForeignKey> = BTreeMap::new();
        for r in fks {
            let fk = by_id.entry(r.get("id")).or_insert_with(|| ForeignKey {
                columns: vec![],
                table: r.get("table"),
                references: vec![],
                on_delete: on_action(r.get("on_delete")),
                on_update: on_action(r.get("on_update")),
            });
            fk.columns.push(r.get("from"));
            // `REFERENCES units` without a column names the primary key: resolved below.
            fk.references.push(r.get::<Option<String>, _>("to").unwrap_or_default());
        }
        for mut fk in by_id.into_values() {
            if fk.references.iter().any(String::is_empty) {
                fk.references = sqlx::query_scalar("SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk")
                    .bind(&fk.table)
                    .fetch_all(&mut c)
                    .await
                    .unwrap();
            }
            t.foreign_keys.insert(fk);
        }
        schema.insert(name, t);
    }
    let triggers =
        sqlx::query("SELECT tbl_name, name FROM sqlite_schema WHERE type = 'trigger'").fetch_all(&mut c).await.unwrap();
    for r in triggers {
        schema.entry(r.get("tbl_name")).or_default().triggers.insert(r.get("name"));
    }
    schema
}

async fn postgres_schema(url: &str) -> Schema {
    let mut c = sqlx::PgConnection::connect(url).await.unwrap();
    let mut schema = Schema::new();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname <> '_sqlx_migrations'",
    )
    .fetch_all(&mut c)
    .await
    .unwrap();
    for t in tables {
        schema.insert(t, Table::default());
    }
    let columns = sqlx::query(
        "SELECT table_name::text AS t, column_name::text AS c, data_type::text AS ty, is_nullable::text AS n \
         FROM information_schema.columns WHERE table_schema = current_schema()",
    )
    .fetch_all(&mut c)
    .await
    .unwrap();
    for r in columns {
        let Some(t) = schema.get_mut(&r.get::<String, _>("t")) else { continue };
        let column = Column { family: postgres_family(r.get("ty")), not_null: r.get::<String, _>("n") == "NO" };
        t.columns.insert(r.get("c"), column);
    }
    // Constraints: the columns in key order, and for a foreign key the referenced ones.
    let constraints = sqlx::query(
        "SELECT t.relname::text AS t, con.contype::text AS kind, \
           ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, o) \
                 JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o) AS cols, \
           f.relname::text AS ref_table, \
           ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, o) \
                 JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.o) AS ref_cols, \
           con.confdeltype::text AS on_delete, con.confupdtype::text AS on_update \
         FROM pg_constraint con JOIN pg_class t ON t.oid = con.conrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace LEFT JOIN pg_class f ON f.oid = con.confrelid \
         WHERE n.nspname = current_schema() AND con.contype IN ('p', 'u', 'f')",
    )
    .fetch_all(&mut c)
    .await
    .unwrap();
    for r in constraints {
        let Some(t) = schema.get_mut(&r.get::<String, _>("t")) else { continue };
        let cols: Vec<String> = r.get("cols");
        match r.get::<String, _>("kind").as_str() {
            "p" => t.primary_key = cols,
            "u" => {
                t.unique_constraints.insert(cols);
            }
            _ => {
                t.foreign_keys.insert(ForeignKey {
                    columns: cols,
                    table: r.get("ref_table"),
                    references: r.get("ref_cols"),
                    on_delete: on_action(r.get("on_delete")),
                    on_update: on_action(r.get("on_update")),
                });
            }
        }
    }
    // Indexes not behind a primary key or UNIQUE constraint; key terms without operator classes
    // (`units_path` is `text_pattern_ops` on PostgreSQL for LIKE 'prefix%', the same key).
    let indexes = sqlx::query(
        "SELECT t.relname::text AS t, i.relname::text AS name, ix.indisunique AS uniq, \
           ARRAY(SELECT pg_get_indexdef(ix.indexrelid, k, true) FROM generate_series(1, ix.indnkeyatts::int) k \
                 ORDER BY k) AS terms, \
           pg_get_expr(ix.indpred, ix.indrelid, true) AS predicate \
         FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = current_schema() AND NOT EXISTS (SELECT 1 FROM pg_constraint con \
           WHERE con.conindid = ix.indexrelid AND con.conrelid = ix.indrelid AND con.contype IN ('p', 'u', 'x'))",
    )
    .fetch_all(&mut c)
    .await
    .unwrap();
    for r in indexes {
        let Some(t) = schema.get_mut(&r.get::<String, _>("t")) else { continue };
        let terms = r.get::<Vec<String>, _>("terms").iter().map(|x| normalise(x)).collect();
        let predicate = r.get::<Option<String>, _>("predicate").map(|p| normalise(&p));
        t.indexes.insert(r.get("name"), Index { unique: r.get("uniq"), terms, predicate });
    }
    let triggers = sqlx::query(
        "SELECT c.relname::text AS t, tg.tgname::text AS name FROM pg_trigger tg \
         JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = current_schema() AND NOT tg.tgisinternal",
    )
    .fetch_all(&mut c)
    .await
    .unwrap();
    for r in triggers {
        if let Some(t) = schema.get_mut(&r.get::<String, _>("t")) {
            t.triggers.insert(r.get("name"));
        }
    }
    schema
}

/// Names of the keys of `a` missing from `b`.
fn missing<'a, K: Ord, V>(a: &'a BTreeMap<K, V>, b: &'a BTreeMap<K, V>) -> impl Iterator<Item = &'a K> {
    a.keys().filter(move |k| !b.contains_key(*k))
}

/// Every difference between the two schemas, one readable line each.
fn differences(lite: &Schema, pg: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    for t in missing(lite, pg) {
        out.push(format!("table {t} only on SQLite"));
    }
    for t in missing(pg, lite) {
        out.push(format!("table {t} only on PostgreSQL"));
    }
    for (name, l) in lite {
        let Some(p) = pg.get(name) else { continue };
        for c in missing(&l.columns, &p.columns) {
            out.push(format!("{name}: column {c} only on SQLite"));
        }
        for c in missing(&p.columns, &l.columns) {
            out.push(format!("{name}: column {c} only on PostgreSQL"));
        }
        for (c, lc) in &l.columns {
            let Some(pc) = p.columns.get(c) else { continue };
            if lc.family != pc.family {
                out.push(format!("{name}.{c}: type {} on SQLite, {} on PostgreSQL", lc.family, pc.family));
            }
            if lc.not_null != pc.not_null {
                let word = |n: bool| if n { "NOT NULL" } else { "nullable" };
                out.push(format!("{name}.{c}: {} on SQLite, {} on PostgreSQL", word(lc.not_null), word(pc.not_null)));
            }
        }
        if l.primary_key != p.primary_key {
            out.push(format!("{name}: primary key {:?} on SQLite, {:?} on PostgreSQL", l.primary_key, p.primary_key));
        }
        for u in l.unique_constraints.difference(&p.unique_constraints) {
            out.push(format!("{name}: UNIQUE {u:?} only on SQLite"));
        }
        for u in p.unique_constraints.difference(&l.unique_constraints) {
            out.push(format!("{name}: UNIQUE {u:?} only on PostgreSQL"));
        }
        for i in missing(&l.indexes, &p.indexes) {
            out.push(format!("{name}: index {i} {:?} only on SQLite", l.indexes[i]));
        }
        for i in missing(&p.indexes, &l.indexes) {
            out.push(format!("{name}: index {i} {:?} only on PostgreSQL", p.indexes[i]));
        }
        for (i, li) in &l.indexes {
            if let Some(pi) = p.indexes.get(i) {
                if li != pi {
                    out.push(format!("{name}: index {i} is {li:?} on SQLite, {pi:?} on PostgreSQL"));
                }
            }
        }
        for f in l.foreign_keys.difference(&p.foreign_keys) {
            out.push(format!("{name}: foreign key {f:?} only on SQLite"));
        }
        for f in p.foreign_keys.difference(&l.foreign_keys) {
            out.push(format!("{name}: foreign key {f:?} only on PostgreSQL"));
        }
        for g in l.triggers.difference(&p.triggers) {
            out.push(format!("{name}: trigger {g} only on SQLite"));
        }
        for g in p.triggers.difference(&l.triggers) {
            out.push(format!("{name}: trigger {g} only on PostgreSQL"));
        }
    }
    out
}

#[tokio::test]
async fn both_migration_sets_build_the_same_schema() {
    let (lite_db, pg_db) = (crate::common::sqlite().await, crate::common::postgres().await);
    let lite = sqlite_schema(&lite_db.url).await;
    let pg = postgres_schema(&pg_db.url).await;
    // The introspection itself saw the schema (a query gone wrong would compare two empties).
    let units = &lite["units"];
    assert!(units.columns.len() > 10 && units.primary_key == ["id"] && !units.indexes.is_empty());
    assert!(!lite["users"].foreign_keys.is_empty() && !pg["users"].foreign_keys.is_empty());
    assert!(lite.len() > 30, "{} tables", lite.len());

    let found = differences(&lite, &pg);
    let unexpected: Vec<&String> = found.iter().filter(|d| !DELIBERATE.contains(&d.as_str())).collect();
    let stale: Vec<&&str> = DELIBERATE.iter().filter(|d| !found.iter().any(|f| f == *d)).collect();
    assert!(
        unexpected.is_empty(),
        "the SQLite and PostgreSQL migrations differ ({} differences); add a migration on the wrong side:\n{}",
        unexpected.len(),
        unexpected.iter().map(|d| format!("  - {d}")).collect::<Vec<_>>().join("\n")
    );
    assert!(stale.is_empty(), "deliberate differences no longer there; remove them from DELIBERATE: {stale:?}");

    // The comparison sees each kind of difference (a broken one would pass any two schemas).
    let mut changed = sqlite_schema(&lite_db.url).await;
    let users = changed.get_mut("users").unwrap();
    users.columns.get_mut("email").unwrap().not_null = true;
    users.columns.get_mut("failed_logins").unwrap().family = "text".into();
    users.indexes.remove("users_unit");
    users.unique_constraints.clear();
    let fk = users.foreign_keys.pop_first().unwrap();
    users.foreign_keys.insert(ForeignKey { on_delete: "cascade".into(), ..fk });
    changed.remove("sessions");
    let found = differences(&changed, &pg);
    for expected in [
        "users.email: NOT NULL on SQLite, nullable on PostgreSQL",
        "users.failed_logins: type text on SQLite, integer on PostgreSQL",
        "users: UNIQUE [\"username\"] only on PostgreSQL",
        "table sessions only on PostgreSQL",
    ] {
        assert!(found.iter().any(|f| f == expected), "{expected} not in {found:#?}");
    }
    assert!(found.iter().any(|f| f.starts_with("users: index users_unit ") && f.ends_with(" only on PostgreSQL")));
    assert!(found.iter().any(|f| f.starts_with("users: foreign key ") && f.contains("\"cascade\"")), "{found:#?}");
}

#[test]
fn index_sql_is_read_term_by_term() {
    let (terms, predicate) =
        sqlite_index_sql("CREATE INDEX findings_scan_scope ON findings (system_id, scan_scope) WHERE open = 1");
    assert_eq!((terms, predicate), (vec!["system_id".into(), "scan_scope".into()], Some("open=1".into())));
    let (terms, predicate) = sqlite_index_sql("CREATE UNIQUE INDEX units_code_ci ON units (lower(code))");
    assert_eq!((terms, predicate), (vec!["lower(code)".to_string()], None));
    assert_eq!(normalise("((open = 1))"), "open=1");
    assert_eq!(normalise("(a) = (b)"), "(a)=(b)");
}
