//! TAXII 2.1 collections: each is owned by a unit (whose incidents it shares); API tokens get
//! read and/or write access per collection, and still act only within their own grant. Objects
//! keep every version; "first" and "last" are kept as flags so that pages are one index walk.

use crate::db::{db_err, get, Store, WriteTx};
use crate::sql::Sql;
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::time::{parse_rfc3339, rfc3339};
use khien_domain::unit::{optional_text, validate_name};
use khien_domain::{Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Collection {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub unit_id: i64,
    #[serde(skip)]
    pub unit_path: String,
    /// What the caller may do with it.
    pub can_read: bool,
    pub can_write: bool,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CollectionInput {
    pub title: String,
    pub description: Option<String>,
    /// The unit whose incidents the collection shares.
    pub unit_id: i64,
}

/// Which versions of each object a request wants (TAXII `match[version]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionMatch {
    Last,
    First,
    All,
    At(String),
}

#[derive(Debug, Clone)]
pub struct ObjectFilter {
    pub added_after: Option<i64>,
    pub limit: i64,
    /// The `next` of the previous page.
    pub next: Option<String>,
    pub ids: Vec<String>,
    pub types: Vec<String>,
    pub versions: Vec<VersionMatch>,
    pub spec_versions: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct StoredObject {
    pub stix_id: String,
    pub version: String,
    pub date_added: i64,
    pub spec_version: String,
    pub body: String,
}

#[derive(Debug, Clone)]
pub struct ObjectPage {
    pub objects: Vec<StoredObject>,
    pub more: bool,
    pub next: Option<String>,
}

/// The outcome of adding objects, kept as a TAXII status resource.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TaxiiStatus {
    pub id: String,
    pub collection_id: String,
    pub request_timestamp: i64,
    pub total_count: i64,
    pub success_count: i64,
    pub failure_count: i64,
    /// (id, version) of each object stored.
    pub successes: Vec<(String, String)>,
    /// (id, version, message) of each object refused.
    pub failures: Vec<(String, String, String)>,
}

fn collection_row(r: &sqlx::any::AnyRow) -> Result<Collection> {
    Ok(Collection {
        id: get(r, "id")?,
        title: get(r, "title")?,
        description: get(r, "description")?,
        unit_id: get(r, "unit_id")?,
        unit_path: get(r, "path")?,
        can_read: false,
        can_write: false,
    })
}

/// A STIX timestamp in the one form stored (milliseconds, UTC), so versions compare as text.
fn stix_time(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str).and_then(parse_rfc3339).map(rfc3339)
}

impl Store {
    /// What the caller may do with a collection: a token needs an access entry for it, and
    /// every caller needs the role on the collection's unit (view to read, report to write; a
    /// signed-in person writes only as the co-ordinator).
    async fn with_access(&self, actor: &Actor, mut c: Collection) -> Result<Collection> {
        let view = actor.can(Action::ViewIncidents, c.unit_id, &c.unit_path);
        match actor.token_id {
            Some(token) => {
                let r = self
                    .read_optional(
                        &Sql::new(
                            "SELECT can_read, can_write FROM taxii_access WHERE collection_id = $1 AND token_id = $2",
                        )
                        .arg(c.id.as_str())
                        .arg(token),
                    )
                    .await?;
                if let Some(r) = r {
                    c.can_read = view && get::<i64>(&r, "can_read")? != 0;
                    c.can_write = actor.can(Action::ReportIncidents, c.unit_id, &c.unit_path)
                        && get::<i64>(&r, "can_write")? != 0;
                }
            }
            None => {
                c.can_read = view;
                c.can_write = actor.can(Action::CoordinateIncidents, c.unit_id, &c.unit_path);
            }
        }
        Ok(c)
    }

    /// Collections the caller may read or write.
    pub async fn taxii_collections(&self, actor: &Actor) -> Result<Vec<Collection>> {
        let rows = self.read_all(&Sql::new("SELECT c.*, u.path FROM taxii_collections c JOIN units u ON u.id = c.unit_id ORDER BY c.created_at, c.id",)).await?;
        let mut out = Vec::new();
        for r in &rows {
            let c = self.with_access(actor, collection_row(r)?).await?;
            if c.can_read || c.can_write {
                out.push(c);
            }
        }
        Ok(out)
    }

    /// One collection, if the caller may read or write it (else not found: its existence is
    /// not revealed).
    pub async fn taxii_collection(&self, actor: &Actor, id: &str) -> Result<Collection> {
        let r = self
            .read_optional(
                &Sql::new(
                    "SELECT c.*, u.path FROM taxii_collections c JOIN units u ON u.id = c.unit_id WHERE c.id = $1",
                )
                .arg(id),
            )
            .await?;
        let c = match r {
            Some(r) => self.with_access(actor, collection_row(&r)?).await?,
            None => return Err(Error::not_found("tập dữ liệu TAXII", "TAXII collection")),
        };
        if c.can_read || c.can_write {
            Ok(c)
        } else {
            Err(Error::not_found("tập dữ liệu TAXII", "TAXII collection"))
        }
    }

    pub async fn create_collection(&self, actor: &Actor, i: &CollectionInput) -> Result<Collection> {
        let title = validate_name("title", &i.title, 200)?;
        let description = optional_text("description", i.description.as_deref(), 2000)?;
        let mut w = self.begin_write().await?;
        let (path, _) = self.unit_path_name(&mut w, i.unit_id).await?;
        actor.require(Action::CoordinateIncidents, i.unit_id, &path)?;
        let id = uuid::Uuid::new_v4().to_string();
        sqlx::query(
            "INSERT INTO taxii_collections (id, title, description, unit_id, created_at) VALUES ($1,$2,$3,$4,$5)",
        )
        .bind(id.as_str())
        .bind(title.as_str())
        .bind(description.clone())
        .bind(i.unit_id)
        .bind(self.clock.now_ms())
        .execute(&mut *w.tx)
        .await
        .map_err(db_err)?;
        let c =
            Collection { id, title, description, unit_id: i.unit_id, unit_path: path, can_read: true, can_write: true };
        w.audit(
            Some(actor),
            crate::audit::Change {
                action: "taxii.collection",
                entity_type: "taxii_collection",
                entity_id: None,
                unit_id: Some(i.unit_id),
                before: None,
                after: crate::audit::json(&c),
            },
        )
        .await?;
        w.commit().await?;
        Ok(c)
    }

    /// Gives an API token read and/or write access to a collection (its co-ordinator).
    pub async fn set_collection_access(
        &self,
        actor: &Actor,
        collection_id: &str,
        token_id: i64,
        can_read: bool,
        can_write: bool,
    ) -> Result<()> {
        let c = self.taxii_collection(actor, collection_id).await?;
        actor.require(Action::CoordinateIncidents, c.unit_id, &c.unit_path)?;
        let mut w = self.begin_write().await?;
        let known = sqlx::query("SELECT id FROM api_tokens WHERE id = $1 AND revoked_at IS NULL")
            .bind(token_id)
            .fetch_optional(&mut *w.tx)
            .await
            .map_err(db_err)?;
        if known.is_none() {
            return Err(Error::invalid(
                "token_id",
                format!("Không có mã truy cập số {token_id} còn hiệu lực."),
                format!("There is no active API token {token_id}."),
            ));
        }
        sqlx::query("DELETE FROM taxii_access WHERE collection_id = $1 AND token_id = $2")
            .bind(collection_id)
            .bind(token_id)
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        if can_read || can_write {
            sqlx::query("INSERT INTO taxii_access (collection_id, token_id, can_read, can_write) VALUES ($1,$2,$3,$4)")
                .bind(collection_id)
                .bind(token_id)
                .bind(i64::from(can_read))
                .bind(i64::from(can_write))
                .execute(&mut *w.tx)
                .await
                .map_err(db_err)?;
        }
        w.audit(
            Some(actor),
            crate::audit::Change {
                action: "taxii.access",
                entity_type: "taxii_collection",
                entity_id: Some(token_id),
                unit_id: Some(c.unit_id),
                before: None,
                after: crate::audit::json(&(collection_id, can_read, can_write)),
            },
        )
        .await?;
        w.commit().await
    }

    /// A page of objects (or their manifest: the same rows).
    pub async fn taxii_objects(
        &self,
        actor: &Actor,
        collection_id: &str,
        f: &ObjectFilter,
        one_id: Option<&str>,
    ) -> Result<ObjectPage> {
        let c = self.taxii_collection(actor, collection_id).await?;
        if !c.can_read {
            return Err(Error::forbidden());
        }
        let mut q = Sql::new(
            "SELECT seq, stix_id, version, date_added, spec_version, body FROM taxii_objects WHERE collection_id = ",
        );
        q.bind(collection_id);
        if let Some(id) = one_id {
            q.push(" AND stix_id = ").bind(id);
        }
        let in_list = |q: &mut Sql, col: &str, vals: &[String]| {
            if !vals.is_empty() {
                q.push(&format!(" AND {col} IN ("));
                for (n, v) in vals.iter().enumerate() {
                    if n > 0 {
                        q.push(",");
                    }
                    q.bind(v.as_str());
                }
                q.push(")");
            }
        };
        in_list(&mut q, "stix_id", &f.ids);
        in_list(&mut q, "stix_type", &f.types);
        in_list(&mut q, "spec_version", &f.spec_versions);
        // No version asked for means the latest (TAXII 2.1: `match[version]` defaults to `last`),
        // not an empty condition.
        let versions: &[VersionMatch] = if f.versions.is_empty() { &[VersionMatch::Last] } else { &f.versions };
        if !versions.contains(&VersionMatch::All) {
            q.push(" AND (");
            for (n, v) in versions.iter().enumerate() {
                if n > 0 {
                    q.push(" OR ");
                }
                match v {
                    VersionMatch::Last => q.push("is_last = 1"),
                    VersionMatch::First => q.push("is_first = 1"),
                    VersionMatch::At(t) => q.push("version = ").bind(t.as_str()),
                    VersionMatch::All => q.push("1 = 1"),
                };
            }
            q.push(")");
        }
        if let Some(a) = f.added_after {
            q.push(" AND date_added > ").bind(a);
        }
        if let Some(next) = &f.next {
            let bad = || Error::invalid("next", "Giá trị next không hợp lệ.", "The next value is not valid.");
            let (d, s) = next.split_once('.').ok_or_else(bad)?;
            let (d, s): (i64, i64) = (d.parse().map_err(|_| bad())?, s.parse().map_err(|_| bad())?);
            q.push(" AND (date_added > ")
                .bind(d)
                .push(" OR (date_added = ")
                .bind(d)
                .push(" AND seq > ")
                .bind(s)
                .push("))");
        }
        q.push(" ORDER BY date_added, seq LIMIT ").bind(f.limit + 1);
        let rows = self.read_all(&q).await?;
        let more = rows.len() as i64 > f.limit;
        let mut objects = Vec::with_capacity(rows.len());
        let mut last = None;
        for r in rows.iter().take(f.limit.max(0) as usize) {
            let seq: i64 = get(r, "seq")?;
            let o = StoredObject {
                stix_id: get(r, "stix_id")?,
                version: get(r, "version")?,
                date_added: get(r, "date_added")?,
                spec_version: get(r, "spec_version")?,
                body: get(r, "body")?,
            };
            last = Some(format!("{}.{seq}", o.date_added));
            objects.push(o);
        }
        Ok(ObjectPage { objects, more, next: if more { last } else { None } })
    }

    /// Adds objects to a collection the caller may write; each is checked on its own (a bad
    /// one is a failure in the status, the others are stored). Known versions are successes.
    pub async fn taxii_add_objects(
        &self,
        actor: &Actor,
        collection_id: &str,
        objects: &[Value],
    ) -> Result<TaxiiStatus> {
        let c = self.taxii_collection(actor, collection_id).await?;
        if !c.can_write {
            return Err(Error::forbidden());
        }
        self.store_objects(actor, &c, objects).await
    }

    /// Publishes an incident's bundle objects into a collection of a unit the caller
    /// co-ordinates (the lead of the sharing, not a token).
    pub async fn publish_to_collection(
        &self,
        actor: &Actor,
        collection_id: &str,
        objects: &[Value],
    ) -> Result<TaxiiStatus> {
        let c = self.taxii_collection(actor, collection_id).await?;
        actor.require(Action::CoordinateIncidents, c.unit_id, &c.unit_path)?;
        self.store_objects(actor, &c, objects).await
    }

    async fn store_objects(&self, actor: &Actor, c: &Collection, objects: &[Value]) -> Result<TaxiiStatus> {
        let now = self.clock.now_ms();
        let mut w = self.begin_write().await?;
        let mut status = TaxiiStatus {
            id: uuid::Uuid::new_v4().to_string(),
            collection_id: c.id.clone(),
            request_timestamp: now,
            total_count: objects.len() as i64,
            success_count: 0,
            failure_count: 0,
            successes: Vec::new(),
            failures: Vec::new(),
        };
        for (n, o) in objects.iter().enumerate() {
            let id = o.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
            let kind = o.get("type").and_then(Value::as_str).unwrap_or_default().to_string();
            let version =
                stix_time(o.get("modified")).or_else(|| stix_time(o.get("created"))).unwrap_or_else(|| rfc3339(now));
            let problem = if kind.is_empty()
                || !kind.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            {
                Some(format!("objects[{n}]: the type is missing or not a STIX type"))
            } else if id.split_once("--").is_none_or(|(t, u)| t != kind || uuid::Uuid::parse_str(u).is_err()) {
                Some(format!("objects[{n}]: the id must be «{kind}--<UUID>»"))
            } else {
                None
            };
            if let Some(message) = problem {
                status.failures.push((id, version, message));
                continue;
            }
            let spec = o.get("spec_version").and_then(Value::as_str).unwrap_or("2.1").to_string();
            insert_version(&mut w, &c.id, &id, &kind, &spec, &version, now, &o.to_string()).await?;
            status.successes.push((id, version));
        }
        status.success_count = status.successes.len() as i64;
        status.failure_count = status.failures.len() as i64;
        sqlx::query("INSERT INTO taxii_status (id, collection_id, token_id, request_timestamp, total_count, success_count, failure_count, details) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)")
            .bind(status.id.as_str())
            .bind(c.id.as_str())
            .bind(actor.token_id)
            .bind(now)
            .bind(status.total_count)
            .bind(status.success_count)
            .bind(status.failure_count)
            .bind(serde_json::to_string(&status).map_err(Error::internal)?)
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        w.audit(
            Some(actor),
            crate::audit::Change {
                action: "taxii.add",
                entity_type: "taxii_collection",
                entity_id: None,
                unit_id: Some(c.unit_id),
                before: None,
                after: crate::audit::json(&(c.id.as_str(), status.success_count, status.failure_count)),
            },
        )
        .await?;
        w.commit().await?;
        Ok(status)
    }

    /// A status resource, for whoever may read or write its collection.
    pub async fn taxii_status(&self, actor: &Actor, id: &str) -> Result<TaxiiStatus> {
        let r = self
            .read_optional(&Sql::new("SELECT collection_id, details FROM taxii_status WHERE id = $1").arg(id))
            .await?;
        let r = r.ok_or_else(|| Error::not_found("trạng thái", "Status"))?;
        self.taxii_collection(actor, &get::<String>(&r, "collection_id")?)
            .await
            .map_err(|_| Error::not_found("trạng thái", "Status"))?;
        serde_json::from_str(&get::<String>(&r, "details")?).map_err(Error::internal)
    }

    /// Deletes an object (the versions asked for) from a collection the caller may write.
    pub async fn taxii_delete_object(
        &self,
        actor: &Actor,
        collection_id: &str,
        stix_id: &str,
        versions: &[VersionMatch],
    ) -> Result<u64> {
        let c = self.taxii_collection(actor, collection_id).await?;
        if !c.can_write || !c.can_read {
            return Err(Error::forbidden());
        }
        let mut w = self.begin_write().await?;
        let mut q = Sql::new("DELETE FROM taxii_objects WHERE collection_id = ");
        q.bind(collection_id).push(" AND stix_id = ").bind(stix_id);
        if !versions.contains(&VersionMatch::All) && !versions.is_empty() {
            q.push(" AND version IN (SELECT version FROM taxii_objects WHERE collection_id = ")
                .bind(collection_id)
                .push(" AND stix_id = ")
                .bind(stix_id)
                .push(" AND (");
            for (n, v) in versions.iter().enumerate() {
                if n > 0 {
                    q.push(" OR ");
                }
                match v {
                    VersionMatch::Last => q.push("is_last = 1"),
                    VersionMatch::First => q.push("is_first = 1"),
                    VersionMatch::At(t) => q.push("version = ").bind(t.as_str()),
                    VersionMatch::All => q.push("1 = 1"),
                };
            }
            q.push("))");
        }
        let done = q.query().execute(&mut *w.tx).await.map_err(db_err)?.rows_affected();
        refresh_flags(&mut w, collection_id, stix_id).await?;
        w.audit(
            Some(actor),
            crate::audit::Change {
                action: "taxii.delete",
                entity_type: "taxii_collection",
                entity_id: None,
                unit_id: Some(c.unit_id),
                before: None,
                after: crate::audit::json(&(collection_id, stix_id, done)),
            },
        )
        .await?;
        w.commit().await?;
        Ok(done)
    }
}

#[allow(clippy::too_many_arguments)]
async fn insert_version(
    w: &mut WriteTx<'_>,
    collection: &str,
    id: &str,
    kind: &str,
    spec: &str,
    version: &str,
    now: i64,
    body: &str,
) -> Result<()> {
    let r = sqlx::query("INSERT INTO taxii_objects (collection_id, stix_id, stix_type, spec_version, version, date_added, is_first, is_last, body) VALUES ($1,$2,$3,$4,$5,$6,0,0,$7) ON CONFLICT DO NOTHING")
        .bind(collection)
        .bind(id)
        .bind(kind)
        .bind(spec)
        .bind(version)
        .bind(now)
        .bind(body)
        .execute(&mut *w.tx)
        .await
        .map_err(db_err)?;
    if r.rows_affected() > 0 {
        refresh_flags(w, collection, id).await?;
    }
    Ok(())
}

/// Marks the first and the last version of one object.
async fn refresh_flags(w: &mut WriteTx<'_>, collection: &str, id: &str) -> Result<()> {
    sqlx::query(
        "UPDATE taxii_objects SET is_first = CASE WHEN version = (SELECT MIN(version) FROM taxii_objects WHERE collection_id = $1 AND stix_id = $2) THEN 1 ELSE 0 END, \
         is_last = CASE WHEN version = (SELECT MAX(version) FROM taxii_objects WHERE collection_id = $1 AND stix_id = $2) THEN 1 ELSE 0 END \
         WHERE collection_id = $1 AND stix_id = $2",
    )
    .bind(collection)
    .bind(id)
    .execute(&mut *w.tx)
    .await
    .map_err(db_err)?;
    Ok(())
}
