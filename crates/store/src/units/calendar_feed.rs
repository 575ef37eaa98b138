//! A person's calendar subscription address (issue 15.9): Outlook and phones fetch a calendar
//! without signing in, so the address carries a secret that allows this one read — the
//! person's deadlines — and nothing else. The secret is shown once, kept as its SHA-256, and
//! replaced or removed by the person; it stops working when the account is deactivated.

use crate::audit::Change;
use crate::db::{db_err, get, random_token, sha256_hex, Store};
use crate::sql::Sql;
use khien_domain::scope::Actor;
use khien_domain::Result;

/// Secrets begin so, so a leaked one is recognisable in logs and scanners.
const FEED_PREFIX: &str = "khien_cal_";

impl Store {
    /// Makes a new address secret for the signed-in person (replacing any earlier one).
    pub async fn create_calendar_feed(&self, actor: &Actor) -> Result<String> {
        crate::units::users::refuse_token(actor)?;
        let secret = format!("{FEED_PREFIX}{}", random_token(32));
        let mut w = self.begin_write().await?;
        sqlx::query("DELETE FROM calendar_feeds WHERE user_id = $1")
            .bind(actor.user_id)
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        sqlx::query("INSERT INTO calendar_feeds (user_id, secret_hash, created_at) VALUES ($1, $2, $3)")
            .bind(actor.user_id)
            .bind(sha256_hex(&secret))
            .bind(self.clock.now_ms())
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        w.audit(Some(actor), feed_change("deadline_feed.create", actor.user_id)).await?;
        w.commit().await?;
        Ok(secret)
    }

    /// Removes the person's address; calendars subscribed to it stop updating.
    pub async fn revoke_calendar_feed(&self, actor: &Actor) -> Result<()> {
        crate::units::users::refuse_token(actor)?;
        let mut w = self.begin_write().await?;
        sqlx::query("DELETE FROM calendar_feeds WHERE user_id = $1")
            .bind(actor.user_id)
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        w.audit(Some(actor), feed_change("deadline_feed.revoke", actor.user_id)).await?;
        w.commit().await
    }

    /// When the person's address was made, if they have one.
    pub async fn calendar_feed_since(&self, actor: &Actor) -> Result<Option<i64>> {
        let r = self
            .read_optional(&Sql::new("SELECT created_at FROM calendar_feeds WHERE user_id = $1").arg(actor.user_id))
            .await?;
        r.map(|r| get(&r, "created_at")).transpose()
    }

    /// The person an address secret belongs to, with their grants; none for an unknown secret
    /// or a deactivated account.
    pub async fn calendar_feed_actor(&self, secret: &str) -> Result<Option<Actor>> {
        if !secret.starts_with(FEED_PREFIX) {
            return Ok(None);
        }
        let r = self.read_optional(&Sql::new("SELECT f.user_id FROM calendar_feeds f JOIN users u ON u.id = f.user_id WHERE f.secret_hash = $1 AND u.active = 1").arg(sha256_hex(secret))).await?;
        match r {
            Some(r) => Ok(Some(self.actor_for_user(get(&r, "user_id")?).await?)),
            None => Ok(None),
        }
    }
}

fn feed_change(action: &'static str, user_id: i64) -> Change<'static> {
    Change { action, entity_type: "user", entity_id: Some(user_id), unit_id: None, before: None, after: None }
}
