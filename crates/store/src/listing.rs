//! How the lists page (issue 14.6): keyset paging in a chosen order with the id breaking ties,
//! the total on the first page, and the cursor of the page before, so that a page links both
//! ways without an OFFSET that grows with the page number.

use crate::db::{db_err, get, Store};
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
}

impl Order {
    pub fn text(tag: &str, col: &'static str, id_col: &'static str, dir: Dir) -> Order {
        Order { tag: tag.to_string(), col, id_col, dir, numeric: false, counted: false }
    }

    pub fn number(tag: &str, col: &'static str, id_col: &'static str, dir: Dir) -> Order {
        Order { tag: tag.to_string(), col, id_col, dir, numeric: true, counted: false }
    }

    /// The list's first page counts the rows that match.
    pub fn counted(self) -> Order {
        Order { counted: true, ..self }
    }

    fn by_id(&self) -> bool {
        self.col == self.id_col
    }

    /// Conditions keeping the rows after (`forward`) or before the cursor's row, and the order
    /// to read them in, limited to `limit` rows.
    fn seek(&self, q: &mut Sql, c: Option<&Cursor>, forward: bool, limit: i64) -> Result<()> {
        let ascending = (self.dir == Dir::Asc) == forward;
        let (cmp, order) = if ascending { (">", "ASC") } else { ("<", "DESC") };
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
        (cursor, limit): (Option<&Cursor>, i64),
        decode: impl Fn(&AnyRow) -> Result<T>,
        key_of: impl Fn(&T) -> (String, i64),
    ) -> Result<Page<T>> {
        let after = untag_cursor(&order.tag, cursor)?;
        let total = match (&after, order.counted) {
            (None, true) => {
                Some(get::<i64>(&Sql::count_of(&q).query().fetch_one(&self.pool).await.map_err(db_err)?, "n")?)
            }
            _ => None,
        };
        // The page before ends at the cursor's row: it starts after the `limit`-th row before
        // that one, or is the first page when fewer rows come before.
        let prev_cursor = match &after {
            None => None,
            Some(c) => {
                let mut back = q.clone();
                order.seek(&mut back, Some(c), false, limit)?;
                let rows = back.query().fetch_all(&self.pool).await.map_err(db_err)?;
                match rows.get(usize::try_from(limit).unwrap_or(usize::MAX).saturating_sub(1)) {
                    Some(row) if rows.len() as i64 >= limit => {
                        let (key, id) = key_of(&decode(row)?);
                        Some(tag_cursor(&order.tag, key, id).encode())
                    }
                    _ => Some(String::new()),
                }
            }
        };
        let mut q = q;
        order.seek(&mut q, after.as_ref(), true, limit + 1)?;
        let rows = q.query().fetch_all(&self.pool).await.map_err(db_err)?;
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
