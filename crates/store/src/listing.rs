//! How the lists page (issue 14.6): keyset paging in a chosen order with the id breaking ties,
//! the total on the first page, and the cursor of the page before, so that a page links both
//! ways without an OFFSET that grows with the page number.

use crate::db::{get, Store};
use crate::records::Page;
use crate::sql::{tag_cursor, untag_cursor, Sql};

use khien_domain::page::{Cursor, Dir};
use khien_domain::{Error, Result};
use sqlx::any::AnyRow;

/// A list's order: the column (an SQL expression over the list's rows) and the id that breaks
/// ties. Expressions over nullable columns coalesce them, so that every row has a key.
pub(crate) struct Order {
    /// Names the order in cursors ("systems.code"), so that a cursor made for another order is
    /// refused instead of skipping rows.
    pub tag: String,
    pub col: &'static str,
    pub id_col: &'static str,
    pub dir: Dir,
    /// The column holds integers: cursor keys are compared as numbers.
    pub numeric: bool,
    /// The first page says how many rows match in all.
    pub counted: bool,
    /// How to count them (`SELECT COUNT(*) AS n …`), when cheaper than counting the list's
    /// own rows (see [`crate::units::scope::scoped_count`]).
    pub count: Option<Sql>,
}

impl Order {
    pub fn text(tag: &str, col: &'static str, id_col: &'static str, dir: Dir) -> Order {
        Order { tag: tag.to_string(), col, id_col, dir, numeric: false, counted: false, count: None }
    }

    pub fn number(tag: &str, col: &'static str, id_col: &'static str, dir: Dir) -> Order {
        Order { tag: tag.to_string(), col, id_col, dir, numeric: true, counted: false, count: None }
    }

    /// The list's first page counts the rows that match.
    pub fn counted(self) -> Order {
        Order { counted: true, ..self }
    }

    /// The list's first page counts the rows that match with `count`, a statement giving the
    /// same number as the list's rows (`n`).
    pub fn counted_by(self, count: Sql) -> Order {
        Order { counted: true, count: Some(count), ..self }
    }

    fn by_id(&self) -> bool {
        self.col == self.id_col
    }

    /// Conditions keeping the rows after (`forward`) or before the cursor's row, and the order
    /// to read them in, limited to `limit` rows.
    fn seek(&self, q: &mut Sql, c: Option<&Cursor>, forward: bool, limit: i64) -> Result<()> {
        let (cmp, order) = self.direction(forward);
        let (col, id) = (self.col, self.id_col);
        if let Some(c) = c {
            if self.by_id() {
                q.push(&format!(" AND {id} {cmp} ")).bind(c.id);
            } else {
                q.push(&format!(" AND ({col} {cmp} "));
                self.bind_key(q, &c.key)?;
                q.push(&format!(" OR ({col} = "));
                self.bind_key(q, &c.key)?;
                q.push(&format!(" AND {id} {cmp} ")).bind(c.id).push("))");
            }
        }
        if self.by_id() {
            q.push(&format!(" ORDER BY {id} {order} LIMIT ")).bind(limit);
        } else {
            q.push(&format!(" ORDER BY {col} {order}, {id} {order} LIMIT ")).bind(limit);
        }
        Ok(())
    }

    /// The comparison that keeps the rows after the cursor's, and the order they are read in.
    fn direction(&self, forward: bool) -> (&'static str, &'static str) {
        if (self.dir == Dir::Asc) == forward {
            (">", "ASC")
        } else {
            ("<", "DESC")
        }
    }

    /// [`Order::seek`] over disjoint parts of one list: each part read in order up to `limit`,
    /// then the first `limit` of them all. The order's columns must be plain columns of the
    /// parts' results (`a.last_seen`, read as `last_seen`).
    fn seek_parts(&self, parts: &[Sql], c: Option<&Cursor>, forward: bool, limit: i64) -> Result<Sql> {
        if let [one] = parts {
            let mut q = one.clone();
            self.seek(&mut q, c, forward, limit)?;
            return Ok(q);
        }
        let mut out = Sql::default();
        for (i, part) in parts.iter().enumerate() {
            let mut q = part.clone();
            self.seek(&mut q, c, forward, limit)?;
            out.push(if i == 0 { "SELECT * FROM (" } else { " UNION ALL SELECT * FROM (" });
            out.append(&q).push(&format!(") part{i}"));
        }
        let name = |col: &str| match col.rsplit_once('.') {
            Some((_, name)) if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => Ok(name.to_string()),
            _ => Err(Error::internal(format!("a list in parts is ordered by a plain column, not {col}"))),
        };
        let ((_, order), col, id) = (self.direction(forward), name(self.col)?, name(self.id_col)?);
        out.push(&format!(" ORDER BY {col} {order}, {id} {order} LIMIT ")).bind(limit);
        Ok(out)
    }

    fn bind_key(&self, q: &mut Sql, key: &str) -> Result<()> {
        if self.numeric {
            let n: i64 = key.parse().map_err(|_| {
                Error::invalid("cursor", "Con trỏ phân trang không hợp lệ.", "The pagination cursor is not valid.")
            })?;
            q.bind(n);
        } else {
            q.bind(key.to_string());
        }
        Ok(())
    }
}

impl Store {
    /// One page of `q` (a `SELECT … WHERE …` without order or limit) in `order` after `cursor`,
    /// with the total on the first page of a counted list, and the previous page's cursor.
    /// `key_of` gives a row's sort key as the cursor keeps it, and its id.
    pub(crate) async fn page_of<T>(
        &self,
        q: Sql,
        order: &Order,
        at: (Option<&Cursor>, i64),
        decode: impl Fn(&AnyRow) -> Result<T>,
        key_of: impl Fn(&T) -> (String, i64),
    ) -> Result<Page<T>> {
        self.page_of_arms(vec![q], order, at, decode, key_of).await
    }

    /// [`Store::page_of`] over a list made of disjoint parts (`SELECT … WHERE …` each), each of
    /// which an index reads in order: the page is the first rows of the parts' first rows.
    pub(crate) async fn page_of_arms<T>(
        &self,
        parts: Vec<Sql>,
        order: &Order,
        (cursor, limit): (Option<&Cursor>, i64),
        decode: impl Fn(&AnyRow) -> Result<T>,
        key_of: impl Fn(&T) -> (String, i64),
    ) -> Result<Page<T>> {
        if parts.is_empty() {
            return Ok(Page::empty());
        }
        let after = untag_cursor(&order.tag, cursor)?;
        let total = match (&after, order.counted) {
            (None, true) => {
                let count = match &order.count {
                    Some(count) => count.clone(),
                    None => {
                        let mut all = Sql::default();
                        for (i, part) in parts.iter().enumerate() {
                            all.push(if i == 0 { "" } else { " UNION ALL " }).append(part);
                        }
                        Sql::count_of(&all)
                    }
                };
                Some(get::<i64>(&self.read_one(&count).await?, "n")?)
            }
            _ => None,
        };
        // The page before ends at the cursor's row: it starts after the `limit`-th row before
        // that one, or is the first page when fewer rows come before.
        let prev_cursor = match &after {
            None => None,
            Some(c) => {
                let back = order.seek_parts(&parts, Some(c), false, limit)?;
                let rows = self.read_all(&back).await?;
                match rows.get(usize::try_from(limit).unwrap_or(usize::MAX).saturating_sub(1)) {
                    Some(row) if rows.len() as i64 >= limit => {
                        let (key, id) = key_of(&decode(row)?);
                        Some(tag_cursor(&order.tag, key, id).encode())
                    }
                    _ => Some(String::new()),
                }
            }
        };
        let q = order.seek_parts(&parts, after.as_ref(), true, limit + 1)?;
        let rows = self.read_all(&q).await?;
        let items = rows.iter().map(decode).collect::<Result<Vec<_>>>()?;
        let mut page = Page::from_rows(items, limit, |item| {
            let (key, id) = key_of(item);
            tag_cursor(&order.tag, key, id)
        });
        page.total = total;
        page.prev_cursor = prev_cursor;
        Ok(page)
    }
}
