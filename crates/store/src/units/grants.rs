//! Role assignments: granting and revoking a role on a unit, and the grants a user acts with
//! (their actor, built once per request).

use crate::audit::Change;
use crate::db::{db_err, get, Store};
use crate::records::RoleAssignment;
use crate::sql::Sql;
use khien_domain::role::{Action, Role};
use khien_domain::scope::{Actor, Grant};
use khien_domain::{Error, Result};

impl Store {
    /// Grants `role` on `unit_id` to a user. The caller must manage users on both the user's
    /// unit and the target unit, and may grant only roles their own role allows.
    pub async fn grant_role(
        &self,
        actor: &Actor,
        user_id: i64,
        role: Role,
        unit_id: i64,
        recursive: bool,
    ) -> Result<RoleAssignment> {
        self.grant_role_as(Some(actor), user_id, role, unit_id, recursive).await
    }

    /// `grant_role`, or with no one granting (`None`: bootstrap, through `Maintenance`).
    pub(crate) async fn grant_role_as(
        &self,
        actor: Option<&Actor>,
        user_id: i64,
        role: Role,
        unit_id: i64,
        recursive: bool,
    ) -> Result<RoleAssignment> {
        let mut w = self.begin_write().await?;
        let unit = sqlx::query("SELECT path FROM units WHERE id = $1")
            .bind(unit_id)
            .fetch_optional(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let unit_path: String = get(&unit.ok_or_else(|| Error::not_found("đơn vị", "Unit"))?, "path")?;
        let (user, _) = match actor {
            Some(a) => self.scoped_user(&mut *w.tx, a, user_id, Action::ManageUsers).await?,
            None => {
                self.user_with_path(&mut *w.tx, user_id).await?.ok_or_else(|| Error::not_found("người dùng", "User"))?
            }
        };
        if let Some(a) = actor {
            a.require(Action::ManageUsers, unit_id, &unit_path)?;
            if !a.may_grant(role, unit_id, &unit_path, recursive) {
                return Err(Error::forbidden());
            }
        }
        let mut q = Sql::new("INSERT INTO role_assignments (user_id, role, unit_id, recursive, created_at) VALUES (");
        q.bind(user_id)
            .push(",")
            .bind(role.code())
            .push(",")
            .bind(unit_id)
            .push(",")
            .bind(recursive)
            .push(",")
            .bind(self.clock.now_ms())
            .push(") RETURNING id");
        let row = q.query().fetch_one(&mut *w.tx).await.map_err(|e| match db_err(e) {
            Error::Conflict(_) => Error::conflict(
                "Người dùng đã có vai trò này tại đơn vị này.",
                "The user already has this role on this unit.",
            ),
            other => other,
        })?;
        let id: i64 = get(&row, "id")?;
        let after =
            serde_json::json!({"user_id": user_id, "role": role.code(), "unit_id": unit_id, "recursive": recursive});
        w.audit(
            actor,
            Change {
                action: "role.grant",
                entity_type: "role_assignment",
                entity_id: Some(id),
                unit_id: Some(user.unit_id),
                before: None,
                after: Some(after),
            },
        )
        .await?;
        w.commit().await?;
        self.roles_of(user_id).await?.into_iter().find(|r| r.id == id).ok_or_else(|| Error::internal("grant vanished"))
    }

    /// Revokes a role assignment; returns the user it belonged to.
    pub async fn revoke_role(&self, actor: &Actor, assignment_id: i64) -> Result<i64> {
        let mut w = self.begin_write().await?;
        let row = sqlx::query(
            "SELECT r.user_id, r.role, r.unit_id, r.recursive, u.path FROM role_assignments r JOIN units u ON u.id = r.unit_id WHERE r.id = $1",
        )
        .bind(assignment_id)
        .fetch_optional(&mut *w.tx)
        .await
        .map_err(db_err)?
        .ok_or_else(|| Error::not_found("vai trò", "Role assignment"))?;
        let user_id: i64 = get(&row, "user_id")?;
        let unit_id: i64 = get(&row, "unit_id")?;
        let role = Role::parse(&get::<String>(&row, "role")?)?;
        let (user, _) = self.scoped_user(&mut *w.tx, actor, user_id, Action::ManageUsers).await?;
        if !actor.may_grant(role, unit_id, &get::<String>(&row, "path")?, get::<i64>(&row, "recursive")? != 0) {
            return Err(Error::forbidden());
        }
        sqlx::query("DELETE FROM role_assignments WHERE id = $1")
            .bind(assignment_id)
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let before = serde_json::json!({"user_id": user_id, "role": role.code(), "unit_id": unit_id, "recursive": get::<i64>(&row, "recursive")? != 0});
        w.audit(
            Some(actor),
            Change {
                action: "role.revoke",
                entity_type: "role_assignment",
                entity_id: Some(assignment_id),
                unit_id: Some(user.unit_id),
                before: Some(before),
                after: None,
            },
        )
        .await?;
        w.commit().await?;
        Ok(user_id)
    }

    /// The caller as the rest of the system sees them: their grants with unit paths.
    pub async fn actor_for_user(&self, user_id: i64) -> Result<Actor> {
        let row = self
            .read_optional(&Sql::new("SELECT username FROM users WHERE id = $1 AND active = 1").arg(user_id))
            .await?;
        let username: String = get(&row.ok_or_else(Error::unauthenticated)?, "username")?;
        let grants = self.grants_of(user_id).await?;
        Ok(Actor { user_id, username, token_id: None, grants })
    }

    /// The actor behind a live session, whose user `session` found active: only the grants
    /// are read (a request reads the user once).
    pub async fn actor_for_session(&self, session: &crate::SessionInfo) -> Result<Actor> {
        let grants = self.grants_of(session.user_id).await?;
        Ok(Actor { user_id: session.user_id, username: session.username.clone(), token_id: None, grants })
    }

    /// A user's role assignments with the paths of their units.
    pub(crate) async fn grants_of(&self, user_id: i64) -> Result<Vec<Grant>> {
        let mut q = Sql::new("SELECT r.role, r.unit_id, r.recursive, u.path FROM role_assignments r JOIN units u ON u.id = r.unit_id WHERE r.user_id = ");
        q.bind(user_id);
        let rows = self.read_all(&q).await?;
        rows.iter()
            .map(|r| {
                Ok(Grant {
                    role: Role::parse(&get::<String>(r, "role")?)?,
                    unit_id: get(r, "unit_id")?,
                    unit_path: get(r, "path")?,
                    recursive: get::<i64>(r, "recursive")? != 0,
                })
            })
            .collect::<Result<Vec<_>>>()
    }
}
