//! Remote TAXII collections a local collection is pushed to: which objects are still to send
//! (those added after the last successful push), and the outcome of each push.

use crate::db::{db_err, get, get_opt_code, Store};
use crate::sql::Sql;
use khien_domain::incident::PushStatus;
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::unit::{optional_text, validate_name};
use khien_domain::{Error, Result};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RemoteInput {
    pub name: String,
    /// The remote collection's objects endpoint, e.g.
    /// https://ncsc.gov.vn/taxii2/api/collections/<id>/objects/
    pub url: String,
    pub username: Option<String>,
    /// Password or API token for HTTP Basic.
    pub secret: Option<String>,
    /// The local collection whose objects are pushed.
    pub collection_id: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Remote {
    pub id: i64,
    pub name: String,
    pub url: String,
    pub username: Option<String>,
    pub collection_id: String,
    /// The newest pushes, newest first.
    pub pushes: Vec<Push>,
    #[serde(skip)]
    pub secret: Option<String>,
    #[serde(skip)]
    pub last_seq: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Push {
    pub at: i64,
    pub objects: i64,
    pub http_status: Option<i64>,
    /// The remote's status resource (complete, pending), nothing to send; none when the push failed.
    pub status: Option<PushStatus>,
    pub success_count: Option<i64>,
    pub failure_count: Option<i64>,
    pub error: Option<String>,
}

/// What one push attempt came to.
#[derive(Debug, Clone, Default)]
pub struct PushOutcome {
    pub http_status: Option<i64>,
    pub status: Option<PushStatus>,
    pub success_count: Option<i64>,
    pub failure_count: Option<i64>,
    pub error: Option<String>,
}

fn remote_row(r: &sqlx::any::AnyRow) -> Result<Remote> {
    Ok(Remote {
        id: get(r, "id")?,
        name: get(r, "name")?,
        url: get(r, "url")?,
        username: get(r, "username")?,
        collection_id: get(r, "collection_id")?,
        pushes: Vec::new(),
        secret: get(r, "secret")?,
        last_seq: get(r, "last_seq")?,
    })
}

impl Store {
    /// Configures a push of a local collection to a remote one (the collection's co-ordinator).
    pub async fn create_remote(&self, actor: &Actor, i: &RemoteInput) -> Result<Remote> {
        let name = validate_name("name", &i.name, 200)?;
        let url = i.url.trim().to_string();
        if !(url.starts_with("https://") || url.starts_with("http://")) || url.contains(char::is_whitespace) {
            return Err(Error::invalid(
                "url",
                "Địa chỉ phải bắt đầu bằng https:// (hoặc http:// trong mạng nội bộ).",
                "The address must start with https:// (or http:// on an internal network).",
            ));
        }
        let c = self.taxii_collection(actor, &i.collection_id).await?;
        actor.require(Action::CoordinateIncidents, c.unit_id, &c.unit_path)?;
        let mut w = self.begin_write().await?;
        let r = sqlx::query("INSERT INTO taxii_remotes (name, url, username, secret, collection_id, created_at) VALUES ($1,$2,$3,$4,$5,$6) RETURNING *")
            .bind(name.as_str())
            .bind(url.as_str())
            .bind(optional_text("username", i.username.as_deref(), 200)?)
            .bind(i.secret.clone().filter(|s| !s.is_empty()))
            .bind(c.id.as_str())
            .bind(self.clock.now_ms())
            .fetch_one(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let remote = remote_row(&r)?;
        w.audit(
            Some(actor),
            crate::audit::Change {
                action: "taxii.remote",
                entity_type: "taxii_collection",
                entity_id: Some(remote.id),
                unit_id: Some(c.unit_id),
                before: None,
                after: crate::audit::json(&remote),
            },
        )
        .await?;
        w.commit().await?;
        Ok(remote)
    }

    /// The remotes of the collections the caller co-ordinates, with their newest pushes.
    pub async fn list_remotes(&self, actor: &Actor) -> Result<Vec<Remote>> {
        let mut out = Vec::new();
        for c in self.taxii_collections(actor).await? {
            if !actor.can(Action::CoordinateIncidents, c.unit_id, &c.unit_path) {
                continue;
            }
            for r in self
                .read_all(
                    &Sql::new("SELECT * FROM taxii_remotes WHERE collection_id = $1 ORDER BY id").arg(c.id.as_str()),
                )
                .await?
            {
                let mut remote = remote_row(&r)?;
                remote.pushes = self.pushes_of(remote.id).await?;
                out.push(remote);
            }
        }
        Ok(out)
    }

    /// One remote, if the caller co-ordinates its collection.
    pub async fn remote(&self, actor: &Actor, id: i64) -> Result<Remote> {
        self.list_remotes(actor)
            .await?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or_else(|| Error::not_found("kết nối TAXII", "TAXII remote"))
    }

    async fn pushes_of(&self, remote_id: i64) -> Result<Vec<Push>> {
        self.read_all(
            &Sql::new("SELECT * FROM taxii_pushes WHERE remote_id = $1 ORDER BY id DESC LIMIT 20").arg(remote_id),
        )
        .await?
        .iter()
        .map(|r| {
            Ok(Push {
                at: get(r, "at")?,
                objects: get(r, "objects")?,
                http_status: get(r, "http_status")?,
                status: get_opt_code(r, "status", |s| PushStatus::parse("status", s))?,
                success_count: get(r, "success_count")?,
                failure_count: get(r, "failure_count")?,
                error: get(r, "error")?,
            })
        })
        .collect()
    }

    /// Every remote (for the scheduled push, which acts for no one).
    pub(crate) async fn all_remotes(&self) -> Result<Vec<Remote>> {
        self.read_all(&Sql::new("SELECT * FROM taxii_remotes ORDER BY id")).await?.iter().map(remote_row).collect()
    }

    /// Up to `limit` objects of the remote's collection not yet pushed, with the newest seq.
    pub(crate) async fn objects_to_push(&self, remote: &Remote, limit: i64) -> Result<(Vec<String>, i64)> {
        let rows = self
            .read_all(
                &Sql::new(
                    "SELECT seq, body FROM taxii_objects WHERE collection_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
                )
                .arg(remote.collection_id.as_str())
                .arg(remote.last_seq)
                .arg(limit),
            )
            .await?;
        let mut last = remote.last_seq;
        let mut bodies = Vec::with_capacity(rows.len());
        for r in &rows {
            last = last.max(get(r, "seq")?);
            bodies.push(get(r, "body")?);
        }
        Ok((bodies, last))
    }

    /// Records a push; on success the remote's position moves to `sent_up_to`.
    pub(crate) async fn record_push(
        &self,
        remote_id: i64,
        objects: i64,
        outcome: &PushOutcome,
        sent_up_to: Option<i64>,
    ) -> Result<()> {
        let mut w = self.begin_write().await?;
        sqlx::query("INSERT INTO taxii_pushes (remote_id, at, objects, http_status, status, success_count, failure_count, error) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)")
            .bind(remote_id)
            .bind(self.clock.now_ms())
            .bind(objects)
            .bind(outcome.http_status)
            .bind(outcome.status.map(PushStatus::code))
            .bind(outcome.success_count)
            .bind(outcome.failure_count)
            .bind(outcome.error.clone())
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        if let Some(seq) = sent_up_to {
            sqlx::query("UPDATE taxii_remotes SET last_seq = $1 WHERE id = $2")
                .bind(seq)
                .bind(remote_id)
                .execute(&mut *w.tx)
                .await
                .map_err(db_err)?;
        }
        w.commit().await
    }
}
