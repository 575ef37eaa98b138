//! Users and role assignments, scoped by the unit each user belongs to.

use crate::audit::{json, Change};
use crate::db::{db_err, flag, from_row, get, Store, WriteTx};
use crate::listing::Order;
use crate::records::{Page, RoleAssignment, User, UserDetail};
use crate::sql::Sql;
use crate::units::password::hash_password;
use khien_domain::fold::fold;
use khien_domain::page::{Cursor, Dir};
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::unit::{validate_email, validate_name};
use khien_domain::user::{validate_password, validate_username};
use khien_domain::{Error, Lang, Msg, Result};
use sqlx::any::AnyRow;

#[derive(Debug, Clone, Default)]
pub struct NewUser {
    pub username: String,
    pub full_name: String,
    pub email: Option<String>,
    pub unit_id: i64,
    pub password: String,
}

#[derive(Debug, Clone, Default)]
pub struct UserPatch {
    pub full_name: Option<String>,
    pub email: Option<String>,
    pub unit_id: Option<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub q: Option<String>,
    pub unit_id: Option<i64>,
    pub active: Option<bool>,
    /// "username" or "full_name".
    pub sort: &'static str,
    pub dir: Option<Dir>,
    pub cursor: Option<Cursor>,
    pub limit: i64,
}

const USER_COLS: &str = "s.id, s.username, s.full_name, s.email, s.unit_id, u.name AS unit_name, u.path AS unit_path, s.lang, s.active, s.locked_until, s.created_at";

fn user_row(r: &AnyRow) -> Result<User> {
    let mut user: User = from_row(r)?;
    user.active = flag(r, "active")?;
    Ok(user)
}

fn username_taken(u: &str) -> Error {
    Error::Conflict(Msg::new(
        format!("Tên đăng nhập «{u}» đã có người dùng."),
        format!("The username «{u}» is already taken."),
    ))
}

impl Store {
    /// A user row and its unit path, regardless of scope (callers check scope).
    pub(super) async fn user_with_path(
        &self,
        exec: impl sqlx::Executor<'_, Database = sqlx::Any>,
        id: i64,
    ) -> Result<Option<(User, String)>> {
        let row =
            sqlx::query(&format!("SELECT {USER_COLS} FROM users s JOIN units u ON u.id = s.unit_id WHERE s.id = $1"))
                .bind(id)
                .fetch_optional(exec)
                .await
                .map_err(db_err)?;
        match row {
            Some(r) => Ok(Some((user_row(&r)?, get(&r, "unit_path")?))),
            None => Ok(None),
        }
    }

    /// Loads a user the caller may act on for `action`, or NotFound/Forbidden. Everyone may see
    /// their own account.
    pub(super) async fn scoped_user(
        &self,
        exec: impl sqlx::Executor<'_, Database = sqlx::Any>,
        actor: &Actor,
        id: i64,
        action: Action,
    ) -> Result<(User, String)> {
        let (user, path) =
            self.user_with_path(exec, id).await?.ok_or_else(|| Error::not_found("người dùng", "User"))?;
        if action == Action::ViewUsers && id == actor.user_id {
            return Ok((user, path));
        }
        if actor.can(action, user.unit_id, &path) {
            if action == Action::ManageUsers && !actor.outranks(&self.grants_of(id).await?) {
                return Err(Error::Forbidden(Msg::new(
                    "Người dùng này có vai trò cao hơn quyền của bạn; chỉ cấp có thẩm quyền tương đương mới thay đổi được tài khoản.",
                    "This user holds roles beyond yours; only someone who could grant them may change the account.",
                )));
            }
            Ok((user, path))
        } else if actor.can(Action::ViewUsers, user.unit_id, &path) {
            Err(Error::forbidden())
        } else {
            Err(Error::not_found("người dùng", "User"))
        }
    }

    pub async fn get_user(&self, actor: &Actor, id: i64) -> Result<UserDetail> {
        let (user, _) = self.scoped_user(&self.pool, actor, id, Action::ViewUsers).await?;
        let visible: Vec<i64> = self
            .grants_of(id)
            .await?
            .iter()
            .filter(|g| id == actor.user_id || actor.can(Action::ViewUnits, g.unit_id, &g.unit_path))
            .map(|g| g.unit_id)
            .collect();
        let roles = self.roles_of(id).await?.into_iter().filter(|r| visible.contains(&r.unit_id)).collect();
        Ok(UserDetail { user, roles })
    }

    pub(super) async fn roles_of(&self, user_id: i64) -> Result<Vec<RoleAssignment>> {
        let rows = self.read_all(&Sql::new("SELECT r.id, r.user_id, r.role, r.unit_id, u.name AS unit_name, r.recursive FROM role_assignments r JOIN units u ON u.id = r.unit_id WHERE r.user_id = $1 ORDER BY r.id",).arg(user_id)).await?;
        rows.iter()
            .map(|r| {
                let mut role: RoleAssignment = from_row(r)?;
                role.recursive = flag(r, "recursive")?;
                Ok(role)
            })
            .collect()
    }

    pub async fn list_users(&self, actor: &Actor, f: &UserFilter) -> Result<Page<User>> {
        let mut q = Sql::new(&format!("SELECT {USER_COLS} FROM users s JOIN units u ON u.id = s.unit_id WHERE "));
        q.reach("u.path", "u.id", &actor.reach(Action::ViewUsers));
        if let Some(term) = f.q.as_deref().filter(|t| !t.trim().is_empty()) {
            q.words_like(&["s.full_name_folded", "s.username"], term);
        }
        if let Some(id) = f.unit_id {
            q.push(" AND s.unit_id = ").bind(id);
        }
        if let Some(a) = f.active {
            q.push(" AND s.active = ").bind(a);
        }
        let sort_col = if f.sort == "full_name" { "s.full_name_folded" } else { "s.username" };
        let tag = format!("users.{}", f.sort);
        let order = Order::text(&tag, sort_col, "s.id", f.dir.unwrap_or(Dir::Asc)).counted();
        let key_of = |u: &User| (if f.sort == "full_name" { fold(&u.full_name) } else { u.username.clone() }, u.id);
        self.page_of(q, &order, (f.cursor.as_ref(), f.limit), user_row, key_of).await
    }

    /// Creates a user in a unit the caller manages. `password_hash` lets bulk loaders (demo,
    /// benchmarks) reuse one argon2 hash; otherwise the password is checked and hashed.
    pub async fn create_user(&self, actor: &Actor, n: &NewUser) -> Result<User> {
        validate_password(&n.password)?;
        let hash = hash_password(&n.password).await?;
        self.create_user_hashed(Some(actor), n, &hash).await
    }

    /// As `create_user` with a ready argon2 hash; `actor` None is the bootstrap (system).
    pub(crate) async fn create_user_hashed(
        &self,
        actor: Option<&Actor>,
        n: &NewUser,
        password_hash: &str,
    ) -> Result<User> {
        let username = validate_username(&n.username)?;
        let full_name = validate_name("full_name", &n.full_name, 200)?;
        let email = validate_email("email", n.email.as_deref())?;
        let mut w = self.begin_write().await?;
        let unit = sqlx::query("SELECT id, path, active FROM units WHERE id = $1")
            .bind(n.unit_id)
            .fetch_optional(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let unit = unit.ok_or_else(|| Error::not_found("đơn vị", "Unit"))?;
        let unit_path: String = get(&unit, "path")?;
        let active = get::<i64>(&unit, "active")? != 0;
        match actor {
            Some(a) => a.require_pick("unit_id", Action::ManageUsers, n.unit_id, &unit_path, active)?,
            None if !active => {
                return Err(Error::invalid("unit_id", "Đơn vị đã ngừng hoạt động.", "The unit is deactivated."))
            }
            None => {}
        }
        let exists = sqlx::query("SELECT id FROM users WHERE username = $1")
            .bind(username.as_str())
            .fetch_optional(&mut *w.tx)
            .await
            .map_err(db_err)?;
        if exists.is_some() {
            return Err(username_taken(&username));
        }
        let now = self.clock.now_ms();
        let mut q = Sql::new("INSERT INTO users (username, full_name, full_name_folded, email, unit_id, password_hash, lang, active, failed_logins, created_at, updated_at) VALUES (");
        q.bind(username.as_str())
            .push(",")
            .bind(full_name.as_str())
            .push(",")
            .bind(fold(&full_name))
            .push(",")
            .bind(email)
            .push(",")
            .bind(n.unit_id);
        q.push(",").bind(password_hash).push(", 'vi', 1, 0, ").bind(now).push(",").bind(now).push(") RETURNING id");
        let row = q.query().fetch_one(&mut *w.tx).await.map_err(db_err)?;
        let id: i64 = get(&row, "id")?;
        let (user, _) = self.user_with_path(&mut *w.tx, id).await?.ok_or_else(|| Error::internal("user vanished"))?;
        w.audit(
            actor,
            Change {
                action: "user.create",
                entity_type: "user",
                entity_id: Some(id),
                unit_id: Some(n.unit_id),
                before: None,
                after: json(&user),
            },
        )
        .await?;
        w.commit().await?;
        Ok(user)
    }

    pub async fn update_user(&self, actor: &Actor, id: i64, p: &UserPatch) -> Result<User> {
        let mut w = self.begin_write().await?;
        let (before, _) = self.scoped_user(&mut *w.tx, actor, id, Action::ManageUsers).await?;
        let full_name = match &p.full_name {
            Some(n) => validate_name("full_name", n, 200)?,
            None => before.full_name.clone(),
        };
        let email = match &p.email {
            Some(e) => validate_email("email", Some(e))?,
            None => before.email.clone(),
        };
        let unit_id = p.unit_id.unwrap_or(before.unit_id);
        if unit_id != before.unit_id {
            let row = sqlx::query("SELECT path FROM units WHERE id = $1")
                .bind(unit_id)
                .fetch_optional(&mut *w.tx)
                .await
                .map_err(db_err)?;
            let path: String = get(&row.ok_or_else(|| Error::not_found("đơn vị", "Unit"))?, "path")?;
            actor.require(Action::ManageUsers, unit_id, &path)?;
        }
        let mut q = Sql::new("UPDATE users SET full_name = ");
        q.bind(full_name.as_str()).push(", full_name_folded = ").bind(fold(&full_name)).push(", email = ").bind(email);
        q.push(", unit_id = ")
            .bind(unit_id)
            .push(", updated_at = ")
            .bind(self.clock.now_ms())
            .push(" WHERE id = ")
            .bind(id);
        q.query().execute(&mut *w.tx).await.map_err(db_err)?;
        let (after, _) = self.user_with_path(&mut *w.tx, id).await?.ok_or_else(|| Error::internal("user vanished"))?;
        w.audit(
            Some(actor),
            Change {
                action: "user.update",
                entity_type: "user",
                entity_id: Some(id),
                unit_id: Some(after.unit_id),
                before: json(&before),
                after: json(&after),
            },
        )
        .await?;
        w.commit().await?;
        Ok(after)
    }

    /// Activates or deactivates an account; deactivation ends its sessions and API tokens.
    pub async fn set_user_active(&self, actor: &Actor, id: i64, active: bool) -> Result<User> {
        if id == actor.user_id && !active {
            return Err(Error::invalid(
                "active",
                "Bạn không thể tự khóa tài khoản của mình.",
                "You cannot deactivate your own account.",
            ));
        }
        let mut w = self.begin_write().await?;
        let (before, _) = self.scoped_user(&mut *w.tx, actor, id, Action::ManageUsers).await?;
        sqlx::query(
            "UPDATE users SET active = $1, failed_logins = 0, locked_until = NULL, updated_at = $2 WHERE id = $3",
        )
        .bind(i64::from(active))
        .bind(self.clock.now_ms())
        .bind(id)
        .execute(&mut *w.tx)
        .await
        .map_err(db_err)?;
        if !active {
            revoke_credentials(&mut w, id).await?;
        }
        let (after, _) = self.user_with_path(&mut *w.tx, id).await?.ok_or_else(|| Error::internal("user vanished"))?;
        let action = if active { "user.activate" } else { "user.deactivate" };
        w.audit(
            Some(actor),
            Change {
                action,
                entity_type: "user",
                entity_id: Some(id),
                unit_id: Some(after.unit_id),
                before: json(&before),
                after: json(&after),
            },
        )
        .await?;
        w.commit().await?;
        Ok(after)
    }

    /// Resets another user's password (a manager's or administrator's reset). All sessions
    /// and tokens of that user end. Credentials never change through an API token.
    pub async fn set_password(&self, actor: &Actor, id: i64, new_password: &str) -> Result<()> {
        refuse_token(actor)?;
        if id == actor.user_id {
            return Err(Error::invalid(
                "password",
                "Đổi mật khẩu của chính mình tại trang Tài khoản (cần mật khẩu hiện tại).",
                "Change your own password on the Account page (it needs the current one).",
            ));
        }
        self.write_password(actor, id, new_password).await
    }

    /// Changes the caller's own password after checking the current one.
    pub async fn change_own_password(&self, actor: &Actor, current: &str, new_password: &str) -> Result<()> {
        refuse_token(actor)?;
        self.check_own_password(actor, current).await?;
        self.write_password(actor, actor.user_id, new_password).await
    }

    async fn write_password(&self, actor: &Actor, id: i64, new_password: &str) -> Result<()> {
        validate_password(new_password)?;
        let hash = hash_password(new_password).await?;
        let mut w = self.begin_write().await?;
        let (user, _) = if id == actor.user_id {
            self.user_with_path(&mut *w.tx, id).await?.ok_or_else(|| Error::not_found("người dùng", "User"))?
        } else {
            self.scoped_user(&mut *w.tx, actor, id, Action::ManageUsers).await?
        };
        store_password(&mut w, Some(actor), id, user.unit_id, hash).await?;
        w.commit().await
    }

    /// The operator's way back in (`khien users set-password`): sets a password from the
    /// server's console, unlocks the account and ends its sessions. Audited as "system".
    pub(crate) async fn set_password_from_console(&self, username: &str, new_password: &str) -> Result<()> {
        validate_password(new_password)?;
        let hash = hash_password(new_password).await?;
        let mut w = self.begin_write().await?;
        let row = sqlx::query("SELECT id, unit_id FROM users WHERE username = $1")
            .bind(username.trim())
            .fetch_optional(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let row = row.ok_or_else(|| Error::not_found("người dùng", "User"))?;
        let (id, unit_id): (i64, i64) = (get(&row, "id")?, get(&row, "unit_id")?);
        store_password(&mut w, None, id, unit_id, hash).await?;
        w.commit().await
    }

    pub async fn set_lang(&self, user_id: i64, lang: Lang) -> Result<()> {
        sqlx::query("UPDATE users SET lang = $1 WHERE id = $2")
            .bind(lang.code())
            .bind(user_id)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    pub async fn user_count(&self) -> Result<i64> {
        let r = self.read_one(&Sql::new("SELECT COUNT(*) AS n FROM users")).await?;
        get(&r, "n")
    }

    pub(crate) async fn user_id_by_username(&self, username: &str) -> Result<Option<i64>> {
        let r = self.read_optional(&Sql::new("SELECT id FROM users WHERE username = $1").arg(username)).await?;
        r.map(|r| get(&r, "id")).transpose()
    }
}

/// Writes a new password hash, unlocks the account, ends its sessions and tokens, audits and
/// commits: the one way a password changes, whoever asks.
async fn store_password(w: &mut WriteTx<'_>, actor: Option<&Actor>, id: i64, unit_id: i64, hash: String) -> Result<()> {
    sqlx::query(
        "UPDATE users SET password_hash = $1, failed_logins = 0, locked_until = NULL, updated_at = $2 WHERE id = $3",
    )
    .bind(hash)
    .bind(w.clock.now_ms())
    .bind(id)
    .execute(&mut *w.tx)
    .await
    .map_err(db_err)?;
    revoke_credentials(w, id).await?;
    w.audit(
        actor,
        Change {
            action: "user.password",
            entity_type: "user",
            entity_id: Some(id),
            unit_id: Some(unit_id),
            before: None,
            after: None,
        },
    )
    .await
}

/// Credentials (passwords, tokens) are a person's business: an API token may not change them.
pub(crate) fn refuse_token(actor: &Actor) -> Result<()> {
    if actor.token_id.is_some() {
        return Err(Error::Forbidden(Msg::new(
            "Không thể đổi mật khẩu hay tạo mã truy cập bằng một mã truy cập API.",
            "Passwords and API tokens cannot be changed with an API token.",
        )));
    }
    Ok(())
}

/// Ends every session and API token of a user (password change, deactivation).
pub(crate) async fn revoke_credentials(w: &mut WriteTx<'_>, user_id: i64) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *w.tx).await.map_err(db_err)?;
    sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
        .bind(w.clock.now_ms())
        .bind(user_id)
        .execute(&mut *w.tx)
        .await
        .map_err(db_err)?;
    Ok(())
}
