//! E-mail of notifications: each person chooses the kinds they want by e-mail (all by default);
//! the outbox hands the event notifications not yet mailed to the reminder loop, which sends them
//! through the operator's relay and records the outcome.

use crate::db::{db_err, get, Store};
use crate::notifications::Outgoing;
use crate::sql::Sql;
use khien_domain::notification::NotificationKind;
use khien_domain::scope::Actor;
use khien_domain::Result;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Event notifications older than this are not mailed any more (an outbox that waited for a
/// relay to be configured does not flood people with old news).
const MAIL_WITHIN_MS: i64 = 24 * 3_600_000;

/// At most this many e-mails per loop turn.
const OUTBOX_BATCH: i64 = 200;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
pub struct EmailPreference {
    pub kind: NotificationKind,
    /// Whether notifications of this kind also go by e-mail.
    pub email: bool,
}

impl Store {
    /// The caller's choice for every kind of notification.
    pub async fn email_preferences(&self, actor: &Actor) -> Result<Vec<EmailPreference>> {
        let rows = self
            .read_all(
                &Sql::new("SELECT kind FROM email_preferences WHERE user_id = $1 AND email = 0").arg(actor.user_id),
            )
            .await?;
        let off: Vec<String> = rows.iter().map(|r| get(r, "kind")).collect::<Result<_>>()?;
        Ok(NotificationKind::ALL
            .iter()
            .map(|k| EmailPreference { kind: *k, email: !off.iter().any(|o| o == k.code()) })
            .collect())
    }

    /// Sets the caller's own choices (kinds not named keep theirs).
    pub async fn set_email_preferences(
        &self,
        actor: &Actor,
        prefs: &[EmailPreference],
    ) -> Result<Vec<EmailPreference>> {
        let mut w = self.begin_write().await?;
        for p in prefs {
            sqlx::query("DELETE FROM email_preferences WHERE user_id = $1 AND kind = $2")
                .bind(actor.user_id)
                .bind(p.kind.code())
                .execute(&mut *w.tx)
                .await
                .map_err(db_err)?;
            if !p.email {
                sqlx::query("INSERT INTO email_preferences (user_id, kind, email) VALUES ($1, $2, 0)")
                    .bind(actor.user_id)
                    .bind(p.kind.code())
                    .execute(&mut *w.tx)
                    .await
                    .map_err(db_err)?;
            }
        }
        w.commit().await?;
        self.email_preferences(actor).await
    }

    /// Whether a person wants notifications of `kind` by e-mail.
    pub(crate) async fn wants_email(&self, user_id: i64, kind: NotificationKind) -> Result<bool> {
        let off = self
            .read_optional(
                &Sql::new("SELECT 1 AS off FROM email_preferences WHERE user_id = $1 AND kind = $2 AND email = 0")
                    .arg(user_id)
                    .arg(kind.code()),
            )
            .await?;
        Ok(off.is_none())
    }

    /// Event notifications of the last day not yet mailed, for people with an address who
    /// want their kind by e-mail.
    pub(crate) async fn event_outbox(&self) -> Result<Vec<Outgoing>> {
        let kinds: Vec<&str> = NotificationKind::ALL.iter().filter(|k| k.is_event()).map(|k| k.code()).collect();
        let mut q = crate::sql::Sql::new("SELECT n.id, n.message_vi, n.message_en, n.link, u.email FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.emailed_at IS NULL AND n.email_error IS NULL AND u.active = 1 AND u.email LIKE '%@%' AND n.created_at >= ");
        q.bind(self.clock.now_ms() - MAIL_WITHIN_MS).push(" AND n.kind IN (");
        for (i, k) in kinds.iter().enumerate() {
            if i > 0 {
                q.push(",");
            }
            q.bind(*k);
        }
        q.push(") AND NOT EXISTS (SELECT 1 FROM email_preferences p WHERE p.user_id = n.user_id AND p.kind = n.kind AND p.email = 0) ORDER BY n.id LIMIT ")
            .bind(OUTBOX_BATCH);
        let rows = self.read_all(&q).await?;
        rows.iter()
            .map(|r| {
                let (vi, en, link): (String, String, String) =
                    (get(r, "message_vi")?, get(r, "message_en")?, get(r, "link")?);
                Ok(Outgoing {
                    notification_id: get(r, "id")?,
                    email: get(r, "email")?,
                    subject: format!("[Khiên] {vi}"),
                    body: format!("{vi}\n{en}\n\n{link}"),
                })
            })
            .collect()
    }
}
