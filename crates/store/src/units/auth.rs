//! Logins, server-side sessions and API tokens. Secrets are stored only as SHA-256 hashes.

use crate::audit::{json, Change};
use crate::db::{db_err, from_row, get, random_token, sha256_hex, Store};
use crate::records::ApiToken;
use crate::sql::Sql;
use crate::units::password::verify_password;
use khien_domain::role::{Action, Role};
use khien_domain::scope::{Actor, Grant};
use khien_domain::unit::validate_name;
use khien_domain::user::{after_failed_login, failures_before, locked_error, SESSION_IDLE_MS, SESSION_MAX_MS};
use khien_domain::{Error, Lang, Msg, Result};
use sqlx::any::AnyRow;

/// A successful login: the new session's secret (for the cookie) and its CSRF token.
#[derive(Debug, Clone)]
pub struct LoginOutcome {
    pub session_token: String,
    pub csrf_token: String,
    pub user_id: i64,
    pub lang: Lang,
}

/// What a valid session cookie resolves to.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub user_id: i64,
    pub username: String,
    pub csrf_token: String,
    pub lang: Lang,
    pub full_name: String,
}

pub const TOKEN_PREFIX: &str = "khien_";
/// Touch a session's last_seen at most this often, to keep reads from writing.
const TOUCH_EVERY_MS: i64 = 60_000;

/// A day: failures under unknown names older than this are forgotten.
const UNKNOWN_LOGIN_KEPT_MS: i64 = 24 * 3_600_000;

impl Store {
    /// A failed sign-in under a name without an account: counted and locked exactly as a real
    /// account's failures are, so the answers (401, then 429 with the same wait) are the same.
    async fn unknown_login_failed(&self, username: &str) -> Result<Error> {
        let now = self.clock.now_ms();
        let name: String = username.chars().take(200).collect();
        let mut w = self.begin_write().await?;
        sqlx::query("DELETE FROM unknown_logins WHERE updated_at < $1")
            .bind(now - UNKNOWN_LOGIN_KEPT_MS)
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let r = sqlx::query("SELECT failed_logins, locked_until FROM unknown_logins WHERE username = $1")
            .bind(name.as_str())
            .fetch_optional(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let (current, locked_until): (i64, Option<i64>) = match &r {
            Some(r) => (get(r, "failed_logins")?, get(r, "locked_until")?),
            None => (0, None),
        };
        if let Some(until) = locked_until.filter(|u| *u > now) {
            w.commit().await?;
            return Ok(locked_error(until, now));
        }
        let (failed, locked_until) = after_failed_login(failures_before(current, locked_until), now);
        sqlx::query(
            "INSERT INTO unknown_logins (username, failed_logins, locked_until, updated_at) VALUES ($1,$2,$3,$4) \
             ON CONFLICT (username) DO UPDATE SET failed_logins = excluded.failed_logins, locked_until = excluded.locked_until, updated_at = excluded.updated_at",
        )
        .bind(name.as_str())
        .bind(failed)
        .bind(locked_until)
        .bind(now)
        .execute(&mut *w.tx)
        .await
        .map_err(db_err)?;
        w.commit().await?;
        Ok(match locked_until {
            Some(until) => locked_error(until, now),
            None => bad_credentials(),
        })
    }
}

fn bad_credentials() -> Error {
    Error::Unauthenticated(Msg::new("Tên đăng nhập hoặc mật khẩu không đúng.", "Wrong username or password."))
}

fn token_row(r: &AnyRow) -> Result<ApiToken> {
    from_row(r)
}

const TOKEN_COLS: &str = "t.id, t.name, t.prefix, t.user_id, t.role, t.unit_id, u.name AS unit_name, t.created_at, t.expires_at, t.revoked_at, t.last_used_at";

impl Store {
    /// Checks a username and password, applying the lockout rule, and opens a new session
    /// (always a fresh id, so a planted session id is useless).
    pub async fn login(&self, username: &str, password: &str) -> Result<LoginOutcome> {
        let username = username.trim().to_ascii_lowercase();
        let row = self.read_optional(&Sql::new("SELECT id, password_hash, active, failed_logins, locked_until, lang, unit_id FROM users WHERE username = $1").arg(username.as_str())).await?;
        let Some(row) = row else {
            // Spend the same time as a real check so that timing does not reveal usernames,
            // and count the failure as for a real account, so that the lockout does neither.
            let _ = verify_password(password, self.dummy_hash().await?).await;
            return Err(self.unknown_login_failed(&username).await?);
        };
        let user_id: i64 = get(&row, "id")?;
        let now = self.clock.now_ms();
        let locked_until: Option<i64> = get(&row, "locked_until")?;
        if let Some(until) = locked_until.filter(|u| *u > now) {
            let _ = verify_password(password, self.dummy_hash().await?).await;
            return Err(locked_error(until, now));
        }
        let ok = verify_password(password, &get::<String>(&row, "password_hash")?).await;
        let mut w = self.begin_write().await?;
        if !ok {
            // Re-read under the write lock so that concurrent failures all count.
            let r = sqlx::query("SELECT failed_logins, locked_until FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_one(&mut *w.tx)
                .await
                .map_err(db_err)?;
            let current = failures_before(get(&r, "failed_logins")?, get(&r, "locked_until")?);
            let (failed, locked_until) = after_failed_login(current, now);
            sqlx::query("UPDATE users SET failed_logins = $1, locked_until = $2 WHERE id = $3")
                .bind(failed)
                .bind(locked_until)
                .bind(user_id)
                .execute(&mut *w.tx)
                .await
                .map_err(db_err)?;
            if let Some(until) = locked_until {
                let unit_id: i64 = get(&row, "unit_id")?;
                let after = serde_json::json!({"failed_logins": failed, "locked_until": until});
                w.audit(
                    None,
                    Change {
                        action: "auth.lockout",
                        entity_type: "user",
                        entity_id: Some(user_id),
                        unit_id: Some(unit_id),
                        before: None,
                        after: Some(after),
                    },
                )
                .await?;
                w.commit().await?;
                return Err(locked_error(until, now));
            }
            w.commit().await?;
            return Err(bad_credentials());
        }
        if get::<i64>(&row, "active")? == 0 {
            return Err(Error::Unauthenticated(Msg::new(
                "Tài khoản đã bị vô hiệu hóa. Liên hệ quản trị viên.",
                "This account is deactivated. Contact the administrator.",
            )));
        }
        sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1")
            .bind(user_id)
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let session_token = random_token(32);
        let csrf_token = random_token(24);
        let mut q = Sql::new(
            "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) VALUES (",
        );
        q.bind(sha256_hex(&session_token)).push(",").bind(user_id).push(",").bind(csrf_token.as_str());
        q.push(",").bind(now).push(",").bind(now).push(",").bind(now + SESSION_MAX_MS).push(")");
        q.query().execute(&mut *w.tx).await.map_err(db_err)?;
        w.commit().await?;
        let lang = Lang::parse(&get::<String>(&row, "lang")?).unwrap_or_default();
        Ok(LoginOutcome { session_token, csrf_token, user_id, lang })
    }

    /// Resolves a session cookie; expired or idle sessions are deleted and yield None.
    pub async fn session(&self, session_token: &str) -> Result<Option<SessionInfo>> {
        let id_hash = sha256_hex(session_token);
        let mut q = Sql::new("SELECT s.user_id, s.csrf_token, s.last_seen_at, s.expires_at, u.username, u.lang, u.full_name, u.active FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ");
        q.bind(id_hash.as_str());
        let row = self.read_optional(&q).await?;
        let Some(row) = row else { return Ok(None) };
        let now = self.clock.now_ms();
        let last_seen: i64 = get(&row, "last_seen_at")?;
        if get::<i64>(&row, "expires_at")? <= now
            || last_seen + SESSION_IDLE_MS <= now
            || get::<i64>(&row, "active")? == 0
        {
            sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
                .bind(id_hash.as_str())
                .execute(&self.pool)
                .await
                .map_err(db_err)?;
            return Ok(None);
        }
        if now - last_seen > TOUCH_EVERY_MS {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
                .bind(now)
                .bind(id_hash.as_str())
                .execute(&self.pool)
                .await
                .map_err(db_err)?;
        }
        Ok(Some(SessionInfo {
            user_id: get(&row, "user_id")?,
            username: get(&row, "username")?,
            csrf_token: get(&row, "csrf_token")?,
            lang: Lang::parse(&get::<String>(&row, "lang")?).unwrap_or_default(),
            full_name: get(&row, "full_name")?,
        }))
    }

    pub async fn logout(&self, session_token: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(sha256_hex(session_token))
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    /// Verifies the caller's current password (for changing it).
    pub async fn check_own_password(&self, actor: &Actor, password: &str) -> Result<()> {
        let r = self.read_one(&Sql::new("SELECT password_hash FROM users WHERE id = $1").arg(actor.user_id)).await?;
        if verify_password(password, &get::<String>(&r, "password_hash")?).await {
            Ok(())
        } else {
            Err(Error::invalid("current_password", "Mật khẩu hiện tại không đúng.", "The current password is wrong."))
        }
    }

    /// Issues an API token acting as `role` on `unit_id` (and its subtree). The caller must be
    /// allowed to manage tokens there and hold that role (or administrator) over the unit. The
    /// plaintext is returned once and never stored.
    pub async fn create_token(
        &self,
        actor: &Actor,
        name: &str,
        role: Role,
        unit_id: i64,
        valid_days: i64,
    ) -> Result<(String, ApiToken)> {
        crate::units::users::refuse_token(actor)?;
        let name = validate_name("name", name, 100)?;
        if !(1..=730).contains(&valid_days) {
            return Err(Error::invalid(
                "valid_days",
                "Thời hạn phải từ 1 đến 730 ngày.",
                "Validity must be 1 to 730 days.",
            ));
        }
        let mut w = self.begin_write().await?;
        let (path, _) = self.picked_unit(&mut *w.tx, actor, "unit_id", Action::ManageTokens, unit_id).await?;
        let issuing = actor.token_issuers(role, unit_id, &path);
        if issuing.is_empty() {
            return Err(Error::forbidden());
        }
        // The token reaches the subtree only if the issuer's own grant does.
        let recursive = issuing.iter().any(|g| g.recursive);
        let secret = format!("{TOKEN_PREFIX}{}", random_token(32));
        let prefix: String = secret.chars().take(TOKEN_PREFIX.len() + 6).collect();
        let now = self.clock.now_ms();
        let mut q = Sql::new("INSERT INTO api_tokens (name, token_hash, prefix, user_id, role, unit_id, recursive, created_at, expires_at) VALUES (");
        q.bind(name.as_str()).push(",").bind(sha256_hex(&secret)).push(",").bind(prefix).push(",").bind(actor.user_id);
        q.push(",").bind(role.code()).push(",").bind(unit_id).push(",").bind(recursive);
        q.push(",").bind(now).push(",").bind(now + valid_days * 86_400_000).push(") RETURNING id");
        let id: i64 = get(&q.query().fetch_one(&mut *w.tx).await.map_err(db_err)?, "id")?;
        let token = self.token_by_id(&mut *w.tx, id).await?;
        w.audit(
            Some(actor),
            Change {
                action: "token.create",
                entity_type: "api_token",
                entity_id: Some(id),
                unit_id: Some(unit_id),
                before: None,
                after: json(&token),
            },
        )
        .await?;
        w.commit().await?;
        Ok((secret, token))
    }

    async fn token_by_id(&self, exec: impl sqlx::Executor<'_, Database = sqlx::Any>, id: i64) -> Result<ApiToken> {
        let r = sqlx::query(&format!(
            "SELECT {TOKEN_COLS} FROM api_tokens t JOIN units u ON u.id = t.unit_id WHERE t.id = $1"
        ))
        .bind(id)
        .fetch_optional(exec)
        .await
        .map_err(db_err)?;
        token_row(&r.ok_or_else(|| Error::not_found("mã truy cập API", "API token"))?)
    }

    /// Tokens on units where the caller may manage tokens.
    pub async fn list_tokens(&self, actor: &Actor) -> Result<Vec<ApiToken>> {
        let mut q = Sql::new(&format!("SELECT {TOKEN_COLS} FROM api_tokens t JOIN units u ON u.id = t.unit_id WHERE "));
        q.reach("u.path", "u.id", &actor.reach(Action::ManageTokens)).push(" ORDER BY t.id DESC");
        let rows = self.read_all(&q).await?;
        rows.iter().map(token_row).collect()
    }

    pub async fn revoke_token(&self, actor: &Actor, id: i64) -> Result<ApiToken> {
        let mut w = self.begin_write().await?;
        let before = self.token_by_id(&mut *w.tx, id).await?;
        let r = sqlx::query("SELECT path FROM units WHERE id = $1")
            .bind(before.unit_id)
            .fetch_one(&mut *w.tx)
            .await
            .map_err(db_err)?;
        if !actor.can(Action::ManageTokens, before.unit_id, &get::<String>(&r, "path")?) {
            return Err(Error::not_found("mã truy cập API", "API token"));
        }
        if before.revoked_at.is_some() {
            return Ok(before);
        }
        sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2")
            .bind(self.clock.now_ms())
            .bind(id)
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let after = self.token_by_id(&mut *w.tx, id).await?;
        w.audit(
            Some(actor),
            Change {
                action: "token.revoke",
                entity_type: "api_token",
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

    /// Resolves a bearer token to an actor with exactly the token's grant (recursive on its
    /// unit), or None when unknown, expired or revoked, or when its owner is deactivated.
    pub async fn token_actor(&self, secret: &str) -> Result<Option<Actor>> {
        if !secret.starts_with(TOKEN_PREFIX) {
            return Ok(None);
        }
        let row = self.read_optional(&Sql::new("SELECT t.id, t.user_id, t.role, t.unit_id, t.recursive, t.expires_at, t.revoked_at, t.last_used_at, un.path, us.username, us.active FROM api_tokens t JOIN units un ON un.id = t.unit_id JOIN users us ON us.id = t.user_id WHERE t.token_hash = $1",).arg(sha256_hex(secret))).await?;
        let Some(r) = row else { return Ok(None) };
        let now = self.clock.now_ms();
        if get::<Option<i64>>(&r, "revoked_at")?.is_some()
            || get::<i64>(&r, "expires_at")? <= now
            || get::<i64>(&r, "active")? == 0
        {
            return Ok(None);
        }
        let id: i64 = get(&r, "id")?;
        if get::<Option<i64>>(&r, "last_used_at")?.is_none_or(|t| now - t > TOUCH_EVERY_MS) {
            sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                .bind(now)
                .bind(id)
                .execute(&self.pool)
                .await
                .map_err(db_err)?;
        }
        let grant = Grant {
            role: Role::parse(&get::<String>(&r, "role")?)?,
            unit_id: get(&r, "unit_id")?,
            unit_path: get(&r, "path")?,
            recursive: get::<i64>(&r, "recursive")? != 0,
        };
        // A token acts only while its owner still holds what it was issued from.
        let owner_id: i64 = get(&r, "user_id")?;
        let still_held = self.grants_of(owner_id).await?.iter().any(|g| g.backs_token(&grant));
        if !still_held {
            return Ok(None);
        }
        Ok(Some(Actor { user_id: owner_id, username: get(&r, "username")?, token_id: Some(id), grants: vec![grant] }))
    }
}
