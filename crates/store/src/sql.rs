//! A small SQL builder that numbers `$n` bind parameters itself (sqlx's QueryBuilder writes `?`
//! for the Any driver, which PostgreSQL rejects) and applies scope conditions in one place.

use khien_domain::page::Cursor;
use khien_domain::scope::Reach;
use sqlx::any::{Any, AnyArguments};
use sqlx::postgres::{PgArguments, Postgres};
use sqlx::query::Query;
use std::fmt::Write;

/// Cursors carry the sort they were made for, so that one made for another sort (or list) is
/// refused instead of silently skipping rows.
pub(crate) fn tag_cursor(sort: &str, key: String, id: i64) -> Cursor {
    Cursor { key: format!("{sort}\u{1e}{key}"), id }
}

pub(crate) fn untag_cursor(sort: &str, c: Option<&Cursor>) -> khien_domain::Result<Option<Cursor>> {
    match c {
        None => Ok(None),
        Some(c) => match c.key.split_once('\u{1e}') {
            Some((tag, key)) if tag == sort => Ok(Some(Cursor { key: key.to_string(), id: c.id })),
            _ => Err(khien_domain::Error::invalid(
                "cursor",
                "Con trỏ phân trang thuộc về một cách sắp xếp hoặc danh sách khác; hãy bắt đầu lại từ trang đầu.",
                "The cursor belongs to another sort order or list; start again from the first page.",
            )),
        },
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Val {
    Int(i64),
    Text(String),
    OptInt(Option<i64>),
    OptText(Option<String>),
    Bytes(Vec<u8>),
}

impl From<i64> for Val {
    fn from(v: i64) -> Val {
        Val::Int(v)
    }
}
impl From<String> for Val {
    fn from(v: String) -> Val {
        Val::Text(v)
    }
}
impl From<&str> for Val {
    fn from(v: &str) -> Val {
        Val::Text(v.to_string())
    }
}
impl From<Option<i64>> for Val {
    fn from(v: Option<i64>) -> Val {
        Val::OptInt(v)
    }
}
impl From<Option<String>> for Val {
    fn from(v: Option<String>) -> Val {
        Val::OptText(v)
    }
}
impl From<&String> for Val {
    fn from(v: &String) -> Val {
        Val::Text(v.clone())
    }
}
impl From<Option<&str>> for Val {
    fn from(v: Option<&str>) -> Val {
        Val::OptText(v.map(str::to_string))
    }
}
impl From<&[u8]> for Val {
    fn from(v: &[u8]) -> Val {
        Val::Bytes(v.to_vec())
    }
}
impl From<bool> for Val {
    fn from(v: bool) -> Val {
        Val::Int(i64::from(v))
    }
}

#[derive(Debug, Default, Clone)]
pub(crate) struct Sql {
    text: String,
    binds: Vec<Val>,
    /// Planned for its values at each run (see [`Sql::plan_per_run`]).
    plan_per_run: bool,
}

impl Sql {
    pub fn new(text: &str) -> Sql {
        Sql { text: text.to_string(), binds: Vec::new(), plan_per_run: false }
    }

    /// `SELECT {cols} ` followed by `from_where` (a `FROM … WHERE …` built once), with its
    /// parameters: one condition serves a count and its first rows alike.
    pub fn select(cols: &str, from_where: &Sql) -> Sql {
        let text = format!("SELECT {cols} {}", from_where.text);
        Sql { text, binds: from_where.binds.clone(), plan_per_run: from_where.plan_per_run }
    }

    /// `SELECT COUNT(*) AS n FROM (<q>) counted`: how many rows a list's query (before its
    /// order and limit) matches.
    pub fn count_of(q: &Sql) -> Sql {
        let text = format!("SELECT COUNT(*) AS n FROM ({}) counted", q.text);
        Sql { text, binds: q.binds.clone(), plan_per_run: q.plan_per_run }
    }

    /// The statement's text, with `$n` parameters.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The values of `$1`, `$2`, … in order.
    pub fn binds(&self) -> &[Val] {
        &self.binds
    }

    pub fn push(&mut self, text: &str) -> &mut Sql {
        self.text.push_str(text);
        self
    }

    /// Appends the next `$n` parameter, bound to `v`.
    pub fn bind(&mut self, v: impl Into<Val>) -> &mut Sql {
        self.binds.push(v.into());
        let _ = write!(self.text, "${}", self.binds.len());
        self
    }

    /// Binds the next parameter of a statement written by hand (`$1`, `$2`, … in its text).
    pub fn arg(mut self, v: impl Into<Val>) -> Sql {
        self.binds.push(v.into());
        self
    }

    /// Appends `$a,$b,…`, one parameter per id (the inside of an `IN (…)`).
    pub fn bind_ids(&mut self, ids: &[i64]) -> &mut Sql {
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                self.push(",");
            }
            self.bind(*id);
        }
        self
    }

    /// Appends `(path LIKE 'p%' OR … OR id IN (…))` for the units a caller may reach; an empty
    /// reach matches nothing.
    pub fn reach(&mut self, path_col: &str, id_col: &str, reach: &Reach) -> &mut Sql {
        if reach.is_empty() {
            return self.push("1=0");
        }
        self.push("(");
        let mut first = true;
        for p in &reach.subtrees {
            if !first {
                self.push(" OR ");
            }
            first = false;
            self.push(path_col).push(" LIKE ").bind(format!("{p}%"));
        }
        if !reach.units.is_empty() {
            if !first {
                self.push(" OR ");
            }
            self.push(id_col).push(" IN (").bind_ids(&reach.units).push(")");
        }
        self.push(")")
    }

    /// Appends ` AND (c1 LIKE p OR c2 LIKE p …)` for each word of a search (see
    /// `fold::word_patterns`): every word must be in one of the columns, in any order.
    pub fn words_like(&mut self, cols: &[&str], term: &str) -> &mut Sql {
        for pattern in khien_domain::fold::word_patterns(term) {
            self.push(" AND (");
            for (i, col) in cols.iter().enumerate() {
                if i > 0 {
                    self.push(" OR ");
                }
                self.push(col).push(" LIKE ").bind(pattern.clone()).push(" ESCAPE '\\'");
            }
            self.push(")");
        }
        self
    }

    /// Appends another statement with its parameters, renumbered after this one's (the text
    /// holds `$` only before a parameter's number: values are always bound).
    pub fn append(&mut self, other: &Sql) -> &mut Sql {
        let offset = self.binds.len();
        let text = rewrite_parameters(&other.text, |n| {
            Some(n.map_or_else(|| "$".to_string(), |n| format!("${}", n + offset)))
        });
        self.text.push_str(text.as_deref().unwrap_or(&other.text));
        self.binds.extend(other.binds.iter().cloned());
        self.plan_per_run |= other.plan_per_run;
        self
    }

    /// Has the database plan the statement for its values each time it runs, not once for any
    /// values: PostgreSQL's kept plan for a prepared statement guesses a bound `path LIKE $1`
    /// (a whole city's units) at a handful of rows, and for a search by rule then reads every
    /// unit's alerts (30–48 ms instead of 0.7 ms). The cost is a plan per run.
    pub fn plan_per_run(&mut self) -> &mut Sql {
        self.plan_per_run = true;
        self
    }

    /// The statement as `dialect` reads it fastest. SQLite takes `$n` for a named parameter
    /// and looks each one up among those before it, while parsing and again while binding
    /// (quadratic in a multi-row insert's hundreds of parameters); an anonymous `?` is neither
    /// looked up nor named. The builder numbers its parameters in order, so `?` binds the same.
    pub fn for_dialect(self, dialect: crate::db::Dialect) -> Sql {
        if dialect == crate::db::Dialect::Postgres {
            return self;
        }
        let mut expected = 0;
        // Not the builder's own numbering (a hand-written `$1` used twice): left as it is.
        let Some(text) = rewrite_parameters(&self.text, |n| {
            expected += 1;
            (n == Some(expected)).then(|| "?".to_string())
        }) else {
            return self;
        };
        Sql { text, ..self }
    }

    /// Appends the next `$n` parameter, bound to binary data (attachments).
    pub fn bind_bytes(&mut self, v: Vec<u8>) -> &mut Sql {
        self.binds.push(Val::Bytes(v));
        let _ = write!(self.text, "${}", self.binds.len());
        self
    }

    pub fn query(&self) -> Query<'_, Any, AnyArguments<'_>> {
        let mut q = sqlx::query(&self.text).persistent(!self.plan_per_run);
        for b in &self.binds {
            q = match b {
                Val::Int(v) => q.bind(*v),
                Val::Text(v) => q.bind(v.as_str()),
                Val::OptInt(v) => q.bind(*v),
                Val::OptText(v) => q.bind(v.as_deref()),
                Val::Bytes(v) => q.bind(v.as_slice()),
            };
        }
        q
    }

    /// The same statement for the typed PostgreSQL connection of a bulk write
    /// ([`crate::bulk::BulkTx`]).
    pub fn pg_query(&self) -> Query<'_, Postgres, PgArguments> {
        let mut q = sqlx::query(&self.text).persistent(!self.plan_per_run);
        for b in &self.binds {
            q = match b {
                Val::Int(v) => q.bind(*v),
                Val::Text(v) => q.bind(v.as_str()),
                Val::OptInt(v) => q.bind(*v),
                Val::OptText(v) => q.bind(v.as_deref()),
                Val::Bytes(v) => q.bind(v.as_slice()),
            };
        }
        q
    }
}

/// `text` with each `$` and the number after it (None when no number follows) replaced by what
/// `by` gives; None as soon as `by` gives None.
fn rewrite_parameters(text: &str, mut by: impl FnMut(Option<usize>) -> Option<String>) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((head, tail)) = rest.split_once('$') {
        let digits = tail.bytes().take_while(u8::is_ascii_digit).count();
        let (number, after) = tail.split_at(digits);
        out.push_str(head);
        out.push_str(&by(number.parse().ok())?);
        rest = after;
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::Sql;

    #[test]
    fn parameters_are_renumbered_when_appended_and_anonymous_on_sqlite() {
        let mut a = Sql::new("SELECT * FROM t WHERE x = ");
        a.bind(1).push(" AND y LIKE ").bind("a%");
        let mut b = Sql::new("SELECT * FROM t WHERE x = ");
        b.bind(2).push(" AND z IN (").bind_ids(&[3, 4, 5, 6, 7, 8, 9, 10, 11, 12]).push(")");
        a.push(" UNION ALL ").append(&b);
        assert_eq!(
            a.text,
            "SELECT * FROM t WHERE x = $1 AND y LIKE $2 UNION ALL SELECT * FROM t WHERE x = $3 AND z IN ($4,$5,$6,$7,$8,$9,$10,$11,$12,$13)"
        );
        assert_eq!(a.binds.len(), 13);
        let sqlite = a.clone().for_dialect(crate::db::Dialect::Sqlite);
        assert_eq!(
            sqlite.text,
            "SELECT * FROM t WHERE x = ? AND y LIKE ? UNION ALL SELECT * FROM t WHERE x = ? AND z IN (?,?,?,?,?,?,?,?,?,?)"
        );
        assert_eq!(a.clone().for_dialect(crate::db::Dialect::Postgres).text, a.text);
        // A part planned per run makes the whole so, and its count.
        assert!(!a.plan_per_run);
        let mut c = Sql::new("SELECT 1 WHERE 1 = ");
        c.plan_per_run().bind(1);
        a.append(&c);
        assert!(a.plan_per_run && Sql::count_of(&a).plan_per_run && Sql::select("x", &a).plan_per_run);
        // A parameter used twice is left to SQLite's own numbering.
        let twice = Sql::new("SELECT $1 WHERE x = $1");
        assert_eq!(twice.for_dialect(crate::db::Dialect::Sqlite).text, "SELECT $1 WHERE x = $1");
    }
}
