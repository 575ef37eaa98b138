//! The units a caller may pick for an action: the choices of the forms that place a record on a
//! unit (report an incident, create a user or a sub-unit, issue an API token). The condition is
//! `Actor::require_pick` — active, and the action allowed there — which is also what the store
//! checks when the record is created ([`Store::picked_unit`]); here it is written as SQL. And the
//! units an incident's task may go to ([`Store::task_units`]): its own and the response network's.

use crate::db::{db_err, get, Store};
use crate::records::Unit;
use crate::sql::Sql;
use crate::units::tree::{unit_row, UNIT_COLS};
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::{Error, Result};

impl Store {
    /// Active units where `actor` may do `action`, by folded name: exactly the units
    /// `picked_unit` accepts for that action.
    pub async fn units_where(&self, actor: &Actor, action: Action) -> Result<Vec<Unit>> {
        let mut q = Sql::new(&format!("SELECT {UNIT_COLS} FROM units u WHERE u.active = 1 AND "));
        q.reach("u.path", "u.id", &actor.reach(action)).push(" ORDER BY u.name_folded, u.code");
        let rows = self.read_all(&q).await?;
        rows.iter().map(unit_row).collect()
    }

    /// Active units an incident's task may go to: the incident's own unit and the approved
    /// members of the response network. Exactly what `add_incident_task` accepts (`task_unit`).
    pub async fn task_units(&self, incident_unit: i64) -> Result<Vec<Unit>> {
        let mut q = Sql::new(&format!("SELECT {UNIT_COLS} FROM units u WHERE u.active = 1 AND (u.id = "));
        q.bind(incident_unit)
            .push(" OR u.id IN (SELECT unit_id FROM network_members WHERE state = 'approved')) ORDER BY u.name_folded, u.code");
        let rows = self.read_all(&q).await?;
        rows.iter().map(unit_row).collect()
    }

    /// The unit a new record goes on, checked with `Actor::require_pick`: (path, name). An
    /// unknown id is an invalid `field`.
    pub(crate) async fn picked_unit(
        &self,
        exec: impl sqlx::Executor<'_, Database = sqlx::Any>,
        actor: &Actor,
        field: &str,
        action: Action,
        unit_id: i64,
    ) -> Result<(String, String)> {
        let r = sqlx::query("SELECT path, name, active FROM units WHERE id = $1")
            .bind(unit_id)
            .fetch_optional(exec)
            .await
            .map_err(db_err)?
            .ok_or_else(|| {
                Error::invalid(
                    field,
                    format!("Không có đơn vị mã số {unit_id}."),
                    format!("There is no unit with id {unit_id}."),
                )
            })?;
        let path: String = get(&r, "path")?;
        actor.require_pick(field, action, unit_id, &path, get::<i64>(&r, "active")? != 0)?;
        Ok((path, get(&r, "name")?))
    }
}
