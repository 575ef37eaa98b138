//! How a list query reaches the units of its rows. A caller who sees a few units gets their
//! rows through the `(unit, …)` index; one who sees much of the city walks the table in list
//! order and stops after a page. CROSS JOIN keeps SQLite's loop order (the listed table first);
//! PostgreSQL plans it as the inner join it is.

use crate::db::{get, Store};
use crate::sql::Sql;
use khien_domain::role::Action;
use khien_domain::scope::{Actor, Reach};
use khien_domain::Result;

/// At most this many units are listed by id.
const FEW: usize = 64;

pub(crate) enum UnitScope {
    Nothing,
    Few(Vec<i64>),
    /// The caller's reach for the action, and the subtree asked for.
    Many(Reach, Option<i64>),
}

impl Store {
    /// The units whose rows the caller may list for `action`, narrowed to a subtree if asked.
    pub(crate) async fn unit_scope(&self, actor: &Actor, action: Action, subtree: Option<i64>) -> Result<UnitScope> {
        let mut units = Sql::new("SELECT u.id FROM units u WHERE ");
        units.reach("u.path", "u.id", &actor.reach(action));
        if let Some(unit) = subtree {
            within_subtree(&mut units, unit);
        }
        units.push(" LIMIT ").bind((FEW + 1) as i64);
        let ids: Vec<i64> = self.read_all(&units).await?.iter().map(|r| get(r, "id")).collect::<Result<_>>()?;
        Ok(match ids.len() {
            0 => UnitScope::Nothing,
            n if n <= FEW => UnitScope::Few(ids),
            _ => UnitScope::Many(actor.reach(action), subtree),
        })
    }
}

/// Starts `SELECT {cols} FROM {table} {alias} … WHERE <scope>` where `{alias}.{unit_col}` is
/// the row's unit and `u` the joined unit. None when the caller reaches no unit.
pub(crate) fn scoped_select(cols: &str, table: &str, alias: &str, unit_col: &str, scope: &UnitScope) -> Option<Sql> {
    match scope {
        UnitScope::Nothing => None,
        UnitScope::Few(ids) => {
            let mut q = Sql::new(&format!("SELECT {cols} FROM {table} {alias} JOIN units u ON u.id = {alias}.{unit_col} WHERE {alias}.{unit_col} IN ("));
            q.bind_ids(ids);
            q.push(")");
            Some(q)
        }
        UnitScope::Many(reach, subtree) => {
            let mut q = Sql::new(&format!(
                "SELECT {cols} FROM {table} {alias} CROSS JOIN units u WHERE u.id = {alias}.{unit_col} AND "
            ));
            q.reach("u.path", "u.id", reach);
            if let Some(unit) = subtree {
                within_subtree(&mut q, *unit);
            }
            Some(q)
        }
    }
}

/// `SELECT COUNT(*) AS n FROM {table} {alias} WHERE <scope>`: the rows of [`scoped_select`]'s
/// list, counted without joining each to its unit (the units' ids are looked up once, and each
/// unit's rows counted in the `(unit, …)` index: half the time of counting the joined list over
/// a whole city's 2,000 systems). Conditions appended to it may name only `{alias}`'s columns.
pub(crate) fn scoped_count(table: &str, alias: &str, unit_col: &str, scope: &UnitScope) -> Option<Sql> {
    let mut q = Sql::new(&format!("SELECT COUNT(*) AS n FROM {table} {alias} WHERE {alias}.{unit_col} IN ("));
    match scope {
        UnitScope::Nothing => return None,
        UnitScope::Few(ids) => {
            q.bind_ids(ids);
        }
        UnitScope::Many(reach, subtree) => {
            q.push("SELECT u.id FROM units u WHERE ").reach("u.path", "u.id", reach);
            if let Some(unit) = subtree {
                within_subtree(&mut q, *unit);
            }
        }
    }
    q.push(")");
    Some(q)
}

/// ` AND u.path LIKE <unit's path>%`: keeps the units `u` in `unit`'s subtree.
pub(crate) fn within_subtree(q: &mut Sql, unit: i64) -> &mut Sql {
    q.push(" AND u.path LIKE (SELECT path FROM units WHERE id = ").bind(unit).push(") || '%'")
}
